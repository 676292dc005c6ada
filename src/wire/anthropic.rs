//! Anthropic Messages.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::attach::{Attachment, Limits, MIB, Measure, MediaType};
use super::event::StreamEvent;
use super::generation::at_most;
use super::{
    ChatInput, Completion, Effort, HistoryError, Message, Refused, ResponseFormat, Role, Setting,
    ToolCall, Usage,
};

/// Anthropic requires `max_tokens`; this is sent when none is given (with
/// a thinking budget, on top of the budget).
pub const DEFAULT_MAX_TOKENS: u32 = 1024;

/// The tool hcl forces for `--json-object`: any object is the answer.
const JSON_TOOL: &str = "json_answer";

/// What the forced tool tells the model.
const TOOL_DESCRIPTION: &str =
    "Give your answer by calling this tool: its input is the whole answer.";

#[derive(Debug, Serialize)]
pub struct Request<'a> {
    pub model: &'a str,
    #[serde(flatten)]
    pub body: Messages<'a>,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub stream: bool,
}

/// The Messages body without `model` and `stream`: what Bedrock's Claude
/// models take, with their own `anthropic_version`.
#[derive(Debug, Serialize)]
pub struct Messages<'a> {
    pub max_tokens: u32,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub system: Option<&'a str>,
    pub messages: Vec<ReqMessage<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub temperature: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub top_p: Option<f64>,
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    pub stop_sequences: &'a [String],
    #[serde(skip_serializing_if = "Option::is_none")]
    pub thinking: Option<Thinking>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub output_config: Option<OutputConfig>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub tools: Vec<Tool<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tool_choice: Option<ToolChoice<'a>>,
}

#[derive(Debug, Serialize)]
pub struct ReqMessage<'a> {
    pub role: &'static str,
    pub content: ReqContent<'a>,
}

/// A message's content: plain text, or (with attachments) a list of blocks.
#[derive(Debug, Serialize)]
#[serde(untagged)]
pub enum ReqContent<'a> {
    Text(&'a str),
    Blocks(Vec<ReqBlock<'a>>),
}

#[derive(Debug, Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum ReqBlock<'a> {
    Image { source: Source<'a> },
    Document { source: Source<'a> },
    Text { text: &'a str },
}

/// Base64 data inline (the `base64` source type).
#[derive(Debug, Serialize)]
pub struct Source<'a> {
    #[serde(rename = "type")]
    pub kind: &'static str,
    pub media_type: &'static str,
    pub data: &'a str,
}

/// What the Messages API takes: PNG, JPEG, GIF and WebP images up to 5 MB of
/// base64 each, at most 100 a request; PDFs; and 32 MB for the whole
/// request (docs.anthropic.com "Vision" and "PDF support"; the API's own
/// error reads "image exceeds 5 MB maximum: N bytes > 5242880 bytes").
pub const LIMITS: Limits = Limits {
    types: &[
        MediaType::Png,
        MediaType::Jpeg,
        MediaType::Gif,
        MediaType::Webp,
        MediaType::Pdf,
    ],
    measure: Measure::Base64,
    image: 5 * MIB,
    document: 32 * MIB,
    images: 32 * MIB,
    documents: 32 * MIB,
    total: 32 * MIB,
    max_images: 100,
};

fn content(m: &Message) -> ReqContent<'_> {
    if m.attachments.is_empty() {
        return ReqContent::Text(&m.content);
    }
    let mut blocks: Vec<ReqBlock<'_>> = m
        .attachments
        .iter()
        .map(|a| {
            let source = Source {
                kind: "base64",
                media_type: a.media_type.mime(),
                data: &a.data,
            };
            if a.media_type.is_image() {
                ReqBlock::Image { source }
            } else {
                ReqBlock::Document { source }
            }
        })
        .collect();
    if !m.content.is_empty() {
        blocks.push(ReqBlock::Text { text: &m.content });
    }
    ReqContent::Blocks(blocks)
}

/// Extended thinking: a token budget (models before 4.6), or adaptive
/// thinking steered by `output_config.effort` (4.6 and later, which
/// refuse or deprecate budgets).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(tag = "type", rename_all = "lowercase")]
pub enum Thinking {
    Enabled { budget_tokens: u32 },
    Adaptive,
}

#[derive(Debug, Serialize)]
pub struct OutputConfig {
    pub effort: &'static str,
}

#[derive(Debug, Serialize)]
pub struct Tool<'a> {
    pub name: &'a str,
    pub description: &'static str,
    pub input_schema: std::borrow::Cow<'a, Value>,
}

#[derive(Debug, Serialize)]
pub struct ToolChoice<'a> {
    #[serde(rename = "type")]
    pub kind: &'static str,
    pub name: &'a str,
}

/// Fields only hcl sets, with the flag to use instead.
pub const RESERVED_FIELDS: &[(&str, &str)] = &[
    ("model", "-m/--model"),
    ("messages", "the prompt"),
    ("system", "-s/--system"),
    ("stream", "--stream or hcl stream"),
];

/// Fields hcl sets from a flag when it is given.
pub const FIELD_FLAGS: &[(&str, &str)] = &[
    ("max_tokens", "--max-tokens"),
    ("temperature", "--temperature"),
    ("top_p", "--top-p"),
    ("stop_sequences", "--stop"),
    ("thinking", "--reasoning"),
    ("output_config.effort", "--reasoning"),
    ("tools", "--schema or --json-object"),
    ("tool_choice", "--schema or --json-object"),
];

/// The model generation of a Claude model id, `(major, minor)`:
/// `claude-3-5-haiku-latest` → (3, 5), `claude-sonnet-4-20250514` → (4, 0),
/// `claude-opus-4-6` → (4, 6). A date is not a minor version.
fn version(model: &str) -> Option<(u32, u32)> {
    let rest = &model[model.find("claude-")? + "claude-".len()..];
    let mut nums = rest
        .split(['-', '.', '@', ':'])
        .skip_while(|p| !p.chars().all(|c| c.is_ascii_digit()) || p.is_empty());
    let major = nums.next()?.parse().ok()?;
    let minor = nums
        .next()
        .filter(|p| p.len() <= 2 && p.chars().all(|c| c.is_ascii_digit()))
        .and_then(|p| p.parse().ok())
        .unwrap_or(0);
    Some((major, minor))
}

/// How `--reasoning` is sent to `model`: adaptive thinking from Claude 4.6
/// on (and for ids without a version, such as new model families), a
/// thinking budget before.
pub fn thinking(model: &str, effort: Effort) -> Thinking {
    match version(model) {
        Some(v) if v < (4, 6) => Thinking::Enabled {
            budget_tokens: budget(effort),
        },
        _ => Thinking::Adaptive,
    }
}

/// The thinking budget of an effort, for models that take budgets (at
/// least 1024, Anthropic's minimum).
fn budget(effort: Effort) -> u32 {
    match effort {
        Effort::Low => 1024,
        Effort::Medium => 4096,
        Effort::High => 16384,
    }
}

/// The forced tool of a JSON request, and whether the schema had to be
/// wrapped: a tool's input is always an object, so any other schema
/// becomes the `value` of one.
fn answer_tool(response: &ResponseFormat) -> (&str, std::borrow::Cow<'_, Value>, bool) {
    use std::borrow::Cow;
    match response {
        ResponseFormat::JsonObject => (
            JSON_TOOL,
            Cow::Owned(serde_json::json!({"type": "object"})),
            false,
        ),
        ResponseFormat::Schema(s) => {
            if s.schema.get("type").and_then(Value::as_str) == Some("object") {
                (&s.name, Cow::Borrowed(&s.schema), false)
            } else {
                let wrapped = serde_json::json!({
                    "type": "object",
                    "properties": {"value": s.schema},
                    "required": ["value"],
                });
                (&s.name, Cow::Owned(wrapped), true)
            }
        }
    }
}

pub fn request<'a>(model: &'a str, input: &'a ChatInput, stream: bool) -> Request<'a> {
    Request {
        model,
        body: messages(model, input),
        stream,
    }
}

/// The Messages body for `model` (whose id says how thinking is asked for).
pub fn messages<'a>(model: &str, input: &'a ChatInput) -> Messages<'a> {
    let thinking = input.reasoning.map(|e| thinking(model, e));
    let default_max = match thinking {
        Some(Thinking::Enabled { budget_tokens }) => budget_tokens + DEFAULT_MAX_TOKENS,
        _ => DEFAULT_MAX_TOKENS,
    };
    let (tools, tool_choice) = match &input.response {
        None => (Vec::new(), None),
        Some(r) => {
            let (name, input_schema, _) = answer_tool(r);
            (
                vec![Tool {
                    name,
                    description: TOOL_DESCRIPTION,
                    input_schema,
                }],
                Some(ToolChoice { kind: "tool", name }),
            )
        }
    };
    Messages {
        max_tokens: input.max_tokens.unwrap_or(default_max),
        system: input.system.as_deref(),
        messages: input
            .messages
            .iter()
            .map(|m| ReqMessage {
                role: match m.role {
                    Role::User => "user",
                    Role::Assistant => "assistant",
                },
                content: content(m),
            })
            .collect(),
        temperature: input.temperature,
        top_p: input.top_p,
        stop_sequences: &input.stop,
        thinking,
        output_config: match (thinking, input.reasoning) {
            (Some(Thinking::Adaptive), Some(e)) => Some(OutputConfig { effort: e.name() }),
            _ => None,
        },
        tools,
        tool_choice,
    }
}

/// Anthropic's ranges and what Messages cannot carry: temperature 0-1; no
/// seed; thinking takes neither a forced tool (which `--schema` and
/// `--json-object` use) nor a temperature, and a budget must fit under
/// `max_tokens`.
pub fn check(model: &str, input: &ChatInput) -> Result<(), Refused> {
    if let Some(t) = input.temperature {
        at_most(Setting::Temperature, t, 1.0, "Anthropic")?;
    }
    if input.seed.is_some() {
        return Err(Refused::new(
            Setting::Seed,
            "Anthropic's Messages API has no seed; drop it",
        ));
    }
    let Some(effort) = input.reasoning else {
        return Ok(());
    };
    if let Some(r) = &input.response {
        let setting = match r {
            ResponseFormat::JsonObject => Setting::JsonObject,
            ResponseFormat::Schema(_) => Setting::Schema,
        };
        return Err(Refused::new(
            setting,
            "Anthropic answers in JSON through a forced tool, and its thinking cannot be combined with a forced tool; drop --reasoning or the JSON request",
        ));
    }
    if input.temperature.is_some() {
        return Err(Refused::new(
            Setting::Temperature,
            "Anthropic's thinking (--reasoning) works only at the default temperature; drop the temperature",
        ));
    }
    if let (Thinking::Enabled { budget_tokens }, Some(max)) =
        (thinking(model, effort), input.max_tokens)
        && max <= budget_tokens
    {
        return Err(Refused::new(
            Setting::MaxTokens,
            format!(
                "{max} leaves no room for the answer: --reasoning {} gives {model} a thinking budget of {budget_tokens} tokens, which max_tokens must exceed; raise it or leave it out",
                effort.name()
            ),
        ));
    }
    Ok(())
}

/// Move the forced tool's input into the answer's text (unwrapping a
/// wrapped schema's `value`), so it is printed, logged and validated as
/// the answer.
pub fn take_tool_answer(response: &ResponseFormat, completion: &mut Completion) {
    let (name, _, wrapped) = answer_tool(response);
    let Some(i) = completion.tool_calls.iter().position(|t| t.name == name) else {
        return;
    };
    let call = completion.tool_calls.remove(i);
    let mut text = call.arguments;
    if wrapped
        && let Ok(Value::Object(mut map)) = serde_json::from_str::<Value>(&text)
        && let Some(v) = map.remove("value")
    {
        text = v.to_string();
    }
    // Any text the model wrote beside the call is not part of the answer.
    completion.text = text;
}

#[derive(Debug, Deserialize)]
pub struct Response {
    #[serde(default)]
    pub content: Vec<Block>,
    #[serde(default)]
    pub stop_reason: Option<String>,
    #[serde(default)]
    pub usage: Option<ApiUsage>,
}

#[derive(Debug, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Block {
    Text {
        text: String,
    },
    /// A tool the model calls, or (`server_tool_use`) one Anthropic runs
    /// itself, such as `web_search`.
    #[serde(alias = "server_tool_use")]
    ToolUse {
        #[serde(default)]
        id: Option<String>,
        name: String,
        #[serde(default)]
        input: serde_json::Value,
    },
    #[serde(other)]
    Other,
}

#[derive(Debug, Deserialize, Clone, Copy, Default)]
pub struct ApiUsage {
    #[serde(default)]
    pub input_tokens: Option<u64>,
    #[serde(default)]
    pub output_tokens: Option<u64>,
    #[serde(default)]
    pub cache_creation_input_tokens: Option<u64>,
    #[serde(default)]
    pub cache_read_input_tokens: Option<u64>,
}

impl ApiUsage {
    /// Input counts every prompt token, cached or not.
    pub fn input(&self) -> Option<u64> {
        self.input_tokens.map(|i| {
            i + self.cache_creation_input_tokens.unwrap_or(0)
                + self.cache_read_input_tokens.unwrap_or(0)
        })
    }
}

pub fn parse(body: &[u8]) -> Result<Completion, String> {
    let resp: Response = serde_json::from_slice(body).map_err(|e| e.to_string())?;
    let mut out = Completion {
        finish_reason: resp.stop_reason,
        ..Default::default()
    };
    if let Some(u) = resp.usage {
        out.usage = Usage::new(u.input(), u.output_tokens, None);
    }
    for block in resp.content {
        match block {
            Block::Text { text } => out.text.push_str(&text),
            Block::ToolUse { id, name, input } => out.tool_calls.push(ToolCall {
                id,
                name,
                arguments: input.to_string(),
            }),
            Block::Other => {}
        }
    }
    finalize(&mut out);
    Ok(out)
}

/// What every Anthropic answer gets once complete, streamed or not: a
/// `refusal` stop reason becomes the refusal, and a tool call whose input
/// never arrived has the empty object as its arguments.
pub fn finalize(out: &mut Completion) {
    if out.finish_reason.as_deref() == Some("refusal") && out.refusal.is_none() {
        out.refusal = Some(if out.text.is_empty() {
            "the model declined to answer".to_string()
        } else {
            out.text.clone()
        });
    }
    for t in &mut out.tool_calls {
        if t.arguments.is_empty() {
            t.arguments.push_str("{}");
        }
    }
}

// ---------- streaming (docs/helicone.md §6.2) ----------

/// One Messages stream event, told apart by its `type` field.
#[derive(Debug, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Event {
    MessageStart {
        message: StartMessage,
    },
    ContentBlockStart {
        index: usize,
        content_block: StartBlock,
    },
    ContentBlockDelta {
        index: usize,
        delta: BlockDelta,
    },
    // Struct variants (not unit ones) so that any extra fields are ignored.
    ContentBlockStop {},
    MessageDelta {
        #[serde(default)]
        delta: Option<MessageDeltaBody>,
        #[serde(default)]
        usage: Option<ApiUsage>,
    },
    MessageStop {},
    Ping {},
    Error {
        #[serde(default)]
        error: Option<StreamError>,
    },
    #[serde(other)]
    Other,
}

#[derive(Debug, Deserialize)]
pub struct StartMessage {
    #[serde(default)]
    pub usage: Option<ApiUsage>,
}

#[derive(Debug, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum StartBlock {
    Text {
        #[serde(default)]
        text: String,
    },
    Thinking {
        #[serde(default)]
        thinking: String,
    },
    #[serde(alias = "server_tool_use")]
    ToolUse {
        #[serde(default)]
        id: Option<String>,
        name: String,
    },
    #[serde(other)]
    Other,
}

#[derive(Debug, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum BlockDelta {
    TextDelta {
        text: String,
    },
    ThinkingDelta {
        thinking: String,
    },
    InputJsonDelta {
        partial_json: String,
    },
    #[serde(other)]
    Other,
}

#[derive(Debug, Deserialize)]
pub struct MessageDeltaBody {
    #[serde(default)]
    pub stop_reason: Option<String>,
}

#[derive(Debug, Deserialize)]
pub struct StreamError {
    #[serde(default, rename = "type")]
    pub kind: Option<String>,
    #[serde(default)]
    pub message: Option<String>,
}

/// The running token counts: `message_start` gives the input,
/// `message_delta` the cumulative output (and sometimes the input again).
#[derive(Debug, Default)]
pub struct StreamState {
    input: Option<u64>,
    output: Option<u64>,
}

impl StreamState {
    pub fn event(&mut self, data: &str, out: &mut Vec<StreamEvent>) -> Result<(), String> {
        let event: Event = serde_json::from_str(data).map_err(|e| e.to_string())?;
        match event {
            Event::MessageStart { message } => {
                if let Some(u) = message.usage {
                    self.usage(u, out);
                }
            }
            Event::ContentBlockStart {
                index,
                content_block,
            } => match content_block {
                StartBlock::Text { text } if !text.is_empty() => out.push(StreamEvent::Text(text)),
                StartBlock::Thinking { thinking } if !thinking.is_empty() => {
                    out.push(StreamEvent::Thinking(thinking))
                }
                StartBlock::ToolUse { id, name } => out.push(StreamEvent::ToolCall {
                    index,
                    id,
                    name: Some(name),
                    arguments: String::new(),
                }),
                _ => {}
            },
            Event::ContentBlockDelta { index, delta } => match delta {
                BlockDelta::TextDelta { text } => out.push(StreamEvent::Text(text)),
                BlockDelta::ThinkingDelta { thinking } => out.push(StreamEvent::Thinking(thinking)),
                BlockDelta::InputJsonDelta { partial_json } => out.push(StreamEvent::ToolCall {
                    index,
                    id: None,
                    name: None,
                    arguments: partial_json,
                }),
                BlockDelta::Other => {}
            },
            Event::MessageDelta { delta, usage } => {
                if let Some(reason) = delta.and_then(|d| d.stop_reason) {
                    out.push(StreamEvent::Finish(reason));
                }
                if let Some(u) = usage {
                    self.usage(u, out);
                }
            }
            Event::MessageStop {} => out.push(StreamEvent::Done),
            Event::Error { error } => {
                let (kind, message) = error.map(|e| (e.kind, e.message)).unwrap_or_default();
                out.push(StreamEvent::Error(match (message, kind) {
                    (Some(m), Some(k)) => format!("{m} ({k})"),
                    (Some(m), None) => m,
                    (None, Some(k)) => k,
                    (None, None) => "an error with no message".to_string(),
                }));
            }
            Event::ContentBlockStop {} | Event::Ping {} | Event::Other => {}
        }
        Ok(())
    }

    fn usage(&mut self, u: ApiUsage, out: &mut Vec<StreamEvent>) {
        if let Some(i) = u.input() {
            self.input = Some(i);
        }
        if let Some(o) = u.output_tokens {
            self.output = Some(o);
        }
        out.push(StreamEvent::Usage(Usage::new(
            self.input,
            self.output,
            None,
        )));
    }
}

/// A logged request body read back as a conversation (`hcl chat -c`).
#[derive(Debug, Deserialize)]
struct HistoryBody {
    #[serde(default)]
    system: Option<HistoryContent>,
    #[serde(default)]
    messages: Vec<HistoryMessage>,
}

#[derive(Debug, Deserialize)]
struct HistoryMessage {
    role: String,
    content: HistoryContent,
}

#[derive(Debug, Deserialize)]
#[serde(untagged)]
enum HistoryContent {
    Text(String),
    Blocks(Vec<HistoryBlock>),
}

#[derive(Debug, Deserialize)]
struct HistoryBlock {
    #[serde(rename = "type")]
    kind: String,
    #[serde(default)]
    text: Option<String>,
    #[serde(default)]
    source: Option<HistorySource>,
}

#[derive(Debug, Deserialize)]
struct HistorySource {
    #[serde(default, rename = "type")]
    kind: String,
    #[serde(default)]
    media_type: Option<String>,
    #[serde(default)]
    data: Option<String>,
}

impl HistoryBlock {
    /// The attachment of an `image` or `document` block with base64 data;
    /// an error naming anything else.
    fn attachment(self, what: &str) -> Result<Attachment, HistoryError> {
        let unsupported = |why: String| HistoryError::Unsupported(format!("{what} holds {why}"));
        let source = match (self.kind.as_str(), self.source) {
            ("image" | "document", Some(s)) => s,
            (kind, _) => return Err(unsupported(format!("a {kind} block"))),
        };
        let (Some(mime), Some(data), "base64") =
            (source.media_type, source.data, source.kind.as_str())
        else {
            return Err(unsupported(format!(
                "an {} block whose source is not inline base64",
                self.kind
            )));
        };
        let media_type = MediaType::from_mime(&mime)
            .ok_or_else(|| unsupported(format!("a {} block of type {mime}", self.kind)))?;
        Attachment::from_base64(media_type, &data, None)
            .ok_or_else(|| unsupported(format!("a {} block that is not base64", self.kind)))
    }
}

impl HistoryContent {
    /// The text (blocks joined by newlines) and the attachments.
    fn read(self, what: &str) -> Result<(String, Vec<Attachment>), HistoryError> {
        match self {
            HistoryContent::Text(t) => Ok((t, Vec::new())),
            HistoryContent::Blocks(blocks) => {
                let mut out = Vec::new();
                let mut attachments = Vec::new();
                for b in blocks {
                    match (b.kind.as_str(), &b.text) {
                        ("text", Some(t)) => out.push(t.clone()),
                        _ => attachments.push(b.attachment(what)?),
                    }
                }
                Ok((out.join("\n"), attachments))
            }
        }
    }

    fn text(self, what: &str) -> Result<String, HistoryError> {
        match self.read(what)? {
            (text, a) if a.is_empty() => Ok(text),
            _ => Err(HistoryError::Unsupported(format!(
                "{what} holds attachments"
            ))),
        }
    }
}

/// The separate `system` and the alternating user/assistant turns of a
/// Messages body. Tool use, images and documents are errors naming them.
pub fn parse_history(body: &str) -> Result<ChatInput, HistoryError> {
    let parsed: HistoryBody =
        serde_json::from_str(body).map_err(|e| HistoryError::Unreadable(e.to_string()))?;
    let mut input = ChatInput::default();
    if let Some(system) = parsed.system {
        super::push_system(&mut input, system.text("the system prompt")?);
    }
    for (i, m) in parsed.messages.into_iter().enumerate() {
        let what = format!("message {}", i + 1);
        let role = super::history_role(&what, &m.role)?;
        let (text, attachments) = match role {
            Role::User => m.content.read(&what)?,
            Role::Assistant => (m.content.text(&what)?, Vec::new()),
        };
        super::push_turn(&mut input, role, text, attachments);
    }
    Ok(input)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wire::Message;

    #[test]
    fn body_always_has_max_tokens() {
        let input = ChatInput {
            system: Some("sys".into()),
            messages: vec![Message::text(Role::User, "hi")],
            ..Default::default()
        };
        let body = serde_json::to_string(&request("claude", &input, false)).unwrap();
        assert_eq!(
            body,
            r#"{"model":"claude","max_tokens":1024,"system":"sys","messages":[{"role":"user","content":"hi"}]}"#
        );
    }

    /// A tool Anthropic runs itself (`server_tool_use`, e.g. web search) keeps
    /// its name, streamed or not.
    #[test]
    fn server_tool_use_has_its_name() {
        let c = parse(br#"{"content":[{"type":"server_tool_use","id":"srvtoolu_1","name":"web_search","input":{"query":"hcl"}},{"type":"web_search_tool_result","tool_use_id":"srvtoolu_1","content":[]},{"type":"text","text":"Found."}],"stop_reason":"end_turn"}"#).unwrap();
        assert_eq!(c.text, "Found.");
        assert_eq!(c.tool_calls.len(), 1);
        assert_eq!(c.tool_calls[0].name, "web_search");
        assert_eq!(c.tool_calls[0].arguments, r#"{"query":"hcl"}"#);
        let mut state = StreamState::default();
        let mut out = Vec::new();
        for data in [
            r#"{"type":"content_block_start","index":0,"content_block":{"type":"server_tool_use","id":"srvtoolu_1","name":"web_search","input":{}}}"#,
            r#"{"type":"content_block_delta","index":0,"delta":{"type":"input_json_delta","partial_json":"{\"query\": \"hcl\"}"}}"#,
        ] {
            state.event(data, &mut out).unwrap();
        }
        assert_eq!(
            out[0],
            StreamEvent::ToolCall {
                index: 0,
                id: Some("srvtoolu_1".into()),
                name: Some("web_search".into()),
                arguments: String::new()
            }
        );
    }

    #[test]
    fn parses_blocks() {
        let c = parse(br#"{"id":"msg_1","type":"message","content":[{"type":"text","text":"Hi"},{"type":"tool_use","id":"t1","name":"get","input":{"a":1}}],"stop_reason":"tool_use","usage":{"input_tokens":5,"output_tokens":2}}"#).unwrap();
        assert_eq!(c.text, "Hi");
        assert_eq!(c.tool_calls[0].arguments, r#"{"a":1}"#);
        assert_eq!(c.usage.total, Some(7));
    }
}
