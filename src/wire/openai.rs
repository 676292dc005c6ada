//! OpenAI chat completions, spoken by OpenAI, Azure and every
//! OpenAI-compatible host, and by Helicone's AI gateway.

use serde::{Deserialize, Serialize};

use super::attach::{Attachment, DataUri, Limits, MIB, Measure, MediaType};
use super::event::StreamEvent;
use super::generation::{at_most, stop_count};
use super::{
    ChatInput, Completion, Dialect, Effort, HistoryError, Message, Refused, ResponseFormat, Role,
    Setting, ToolCall, Usage,
};

#[derive(Debug, Serialize)]
pub struct Request<'a> {
    pub model: &'a str,
    pub messages: Vec<ReqMessage<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_tokens: Option<u32>,
    /// OpenAI's current name for the limit; its reasoning models refuse
    /// `max_tokens`. Rows that accept it send this instead.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_completion_tokens: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub temperature: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub top_p: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub seed: Option<i64>,
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    pub stop: &'a [String],
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reasoning_effort: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub response_format: Option<ApiResponseFormat<'a>>,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub stream: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub stream_options: Option<StreamOptions>,
}

/// `response_format`: JSON mode, or structured output against a schema.
#[derive(Debug, Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum ApiResponseFormat<'a> {
    JsonObject,
    JsonSchema { json_schema: ApiJsonSchema<'a> },
}

#[derive(Debug, Serialize)]
pub struct ApiJsonSchema<'a> {
    pub name: &'a str,
    pub schema: &'a serde_json::Value,
    /// Only when the schema meets strict mode's rules (see [`strict_ok`]);
    /// hcl validates the answer either way.
    pub strict: bool,
}

/// Fields only hcl sets, with the flag to use instead.
pub const RESERVED_FIELDS: &[(&str, &str)] = &[
    ("model", "-m/--model"),
    ("messages", "the prompt and -s/--system"),
    ("stream", "--stream or hcl stream"),
    ("stream_options", "--stream or hcl stream"),
];

/// Fields hcl sets from a flag when it is given.
pub const FIELD_FLAGS: &[(&str, &str)] = &[
    ("max_tokens", "--max-tokens"),
    ("max_completion_tokens", "--max-tokens"),
    ("temperature", "--temperature"),
    ("top_p", "--top-p"),
    ("seed", "--seed"),
    ("stop", "--stop"),
    ("reasoning_effort", "--reasoning"),
    ("response_format", "--json-object or --schema"),
];

/// OpenAI's ranges and limits: temperature 0-2, at most 4 stop sequences;
/// JSON mode needs the word JSON in the messages (the API refuses it
/// otherwise).
pub fn check(input: &ChatInput) -> Result<(), Refused> {
    if let Some(t) = input.temperature {
        at_most(Setting::Temperature, t, 2.0, "OpenAI")?;
    }
    stop_count(input, 4, "OpenAI")?;
    if input.response == Some(ResponseFormat::JsonObject) {
        let mentions_json = input
            .system
            .iter()
            .chain(input.messages.iter().map(|m| &m.content))
            .any(|t| t.to_ascii_lowercase().contains("json"));
        if !mentions_json {
            return Err(Refused::new(
                Setting::JsonObject,
                "OpenAI's JSON mode needs the word JSON in the prompt or the system prompt; add it (e.g. -s 'Answer in JSON'), or use --schema",
            ));
        }
    }
    Ok(())
}

/// Whether a schema meets the rules of OpenAI's strict structured outputs:
/// an object at the root, every object closed (`additionalProperties:
/// false`) with every property required, and none of the keywords strict
/// mode refuses.
pub fn strict_ok(schema: &serde_json::Value) -> bool {
    use serde_json::Value;
    fn closed(v: &Value) -> bool {
        let Value::Object(map) = v else {
            return true;
        };
        const REFUSED: [&str; 7] = [
            "allOf",
            "not",
            "if",
            "then",
            "else",
            "dependentRequired",
            "dependentSchemas",
        ];
        if REFUSED.iter().any(|k| map.contains_key(*k)) {
            return false;
        }
        if let Some(Value::Object(props)) = map.get("properties") {
            let required: Vec<&str> = map
                .get("required")
                .and_then(Value::as_array)
                .map(|r| r.iter().filter_map(Value::as_str).collect())
                .unwrap_or_default();
            if map.get("additionalProperties") != Some(&Value::Bool(false))
                || props.keys().any(|k| !required.contains(&k.as_str()))
                || !props.values().all(closed)
            {
                return false;
            }
        }
        let list = |k: &str| map.get(k).and_then(Value::as_array).into_iter().flatten();
        let defs = |k: &str| map.get(k).and_then(Value::as_object).into_iter().flatten();
        map.get("items").is_none_or(closed)
            && list("anyOf").chain(list("prefixItems")).all(closed)
            && defs("$defs")
                .chain(defs("definitions"))
                .all(|(_, d)| closed(d))
    }
    schema.get("type").and_then(Value::as_str) == Some("object")
        && schema.get("anyOf").is_none()
        && closed(schema)
}

#[derive(Debug, Serialize)]
pub struct ReqMessage<'a> {
    pub role: &'static str,
    pub content: ReqContent<'a>,
}

/// A message's content: plain text, or (with attachments) a list of parts.
#[derive(Debug, Serialize)]
#[serde(untagged)]
pub enum ReqContent<'a> {
    Text(&'a str),
    Parts(Vec<ReqPart<'a>>),
}

#[derive(Debug, Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum ReqPart<'a> {
    Text { text: &'a str },
    ImageUrl { image_url: ImageUrl<'a> },
    File { file: FileData<'a> },
}

#[derive(Debug, Serialize)]
pub struct ImageUrl<'a> {
    pub url: DataUri<'a>,
}

/// A PDF: chat completions take only PDFs as `file` parts, as a data URI.
#[derive(Debug, Serialize)]
pub struct FileData<'a> {
    pub filename: &'a str,
    pub file_data: DataUri<'a>,
}

/// What OpenAI's chat completions take: images (non-animated GIF too) up to
/// 20 MB each and 50 MB together, at most 500 a request; PDFs up to 32 MB
/// together ("Images and vision" and "File inputs" guides,
/// developers.openai.com). OpenAI-compatible hosts share the format; one
/// that takes no images answers with its own error.
pub const LIMITS: Limits = Limits {
    types: &[
        MediaType::Png,
        MediaType::Jpeg,
        MediaType::Webp,
        MediaType::Gif,
        MediaType::Pdf,
    ],
    measure: Measure::File,
    image: 20 * MIB,
    document: 32 * MIB,
    images: 50 * MIB,
    documents: 32 * MIB,
    total: 82 * MIB,
    max_images: 500,
};

/// The name a PDF part carries when the file's own is not known.
const UNNAMED_PDF: &str = "document.pdf";

fn content<'a>(m: &'a Message) -> ReqContent<'a> {
    if m.attachments.is_empty() {
        return ReqContent::Text(&m.content);
    }
    let mut parts: Vec<ReqPart<'a>> = m
        .attachments
        .iter()
        .map(|a| match a.media_type {
            MediaType::Pdf => ReqPart::File {
                file: FileData {
                    filename: a.name.as_deref().map_or(UNNAMED_PDF, base_name),
                    file_data: a.data_uri(),
                },
            },
            _ => ReqPart::ImageUrl {
                image_url: ImageUrl { url: a.data_uri() },
            },
        })
        .collect();
    if !m.content.is_empty() {
        parts.push(ReqPart::Text { text: &m.content });
    }
    ReqContent::Parts(parts)
}

/// The last component of a path as given: `docs/a.pdf` → `a.pdf`.
fn base_name(path: &str) -> &str {
    path.rsplit(['/', '\\'])
        .find(|s| !s.is_empty())
        .unwrap_or(path)
}

#[derive(Debug, Serialize)]
pub struct StreamOptions {
    pub include_usage: bool,
}

pub fn request<'a>(model: &'a str, input: &'a ChatInput, stream: bool, d: Dialect) -> Request<'a> {
    let mut messages = Vec::with_capacity(input.messages.len() + 1);
    if let Some(system) = &input.system {
        messages.push(ReqMessage {
            role: "system",
            content: ReqContent::Text(system),
        });
    }
    for m in &input.messages {
        messages.push(ReqMessage {
            role: match m.role {
                Role::User => "user",
                Role::Assistant => "assistant",
            },
            content: content(m),
        });
    }
    Request {
        model,
        messages,
        max_tokens: input.max_tokens.filter(|_| !d.max_completion_tokens),
        max_completion_tokens: input.max_tokens.filter(|_| d.max_completion_tokens),
        temperature: input.temperature,
        top_p: input.top_p,
        seed: input.seed,
        stop: &input.stop,
        reasoning_effort: input.reasoning.map(Effort::name),
        response_format: input.response.as_ref().map(|r| match r {
            ResponseFormat::JsonObject => ApiResponseFormat::JsonObject,
            ResponseFormat::Schema(s) => ApiResponseFormat::JsonSchema {
                json_schema: ApiJsonSchema {
                    name: &s.name,
                    schema: &s.schema,
                    strict: strict_ok(&s.schema),
                },
            },
        }),
        stream,
        stream_options: (stream && d.stream_usage).then_some(StreamOptions {
            include_usage: true,
        }),
    }
}

#[derive(Debug, Deserialize)]
pub struct Response {
    #[serde(default)]
    pub choices: Vec<Choice>,
    #[serde(default)]
    pub usage: Option<ApiUsage>,
}

#[derive(Debug, Deserialize)]
pub struct Choice {
    #[serde(default)]
    pub message: Option<RespMessage>,
    #[serde(default)]
    pub finish_reason: Option<String>,
}

#[derive(Debug, Deserialize)]
pub struct RespMessage {
    #[serde(default)]
    pub content: Option<Content>,
    #[serde(default)]
    pub refusal: Option<String>,
    #[serde(default)]
    pub tool_calls: Vec<ApiToolCall>,
}

/// `content` is a string, or (some compatible hosts) an array of parts.
#[derive(Debug, Deserialize)]
#[serde(untagged)]
pub enum Content {
    Text(String),
    Parts(Vec<ContentPart>),
}

#[derive(Debug, Deserialize)]
pub struct ContentPart {
    #[serde(default)]
    pub text: Option<String>,
}

#[derive(Debug, Deserialize)]
pub struct ApiToolCall {
    #[serde(default)]
    pub id: Option<String>,
    pub function: ApiFunction,
}

#[derive(Debug, Deserialize)]
pub struct ApiFunction {
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub arguments: String,
}

#[derive(Debug, Deserialize, Clone, Copy)]
pub struct ApiUsage {
    #[serde(default)]
    pub prompt_tokens: Option<u64>,
    #[serde(default)]
    pub completion_tokens: Option<u64>,
    #[serde(default)]
    pub total_tokens: Option<u64>,
}

impl From<ApiUsage> for Usage {
    fn from(u: ApiUsage) -> Self {
        Usage::new(u.prompt_tokens, u.completion_tokens, u.total_tokens)
    }
}

pub fn parse(body: &[u8]) -> Result<Completion, String> {
    let resp: Response = serde_json::from_slice(body).map_err(|e| e.to_string())?;
    let usage = resp.usage.map(Usage::from).unwrap_or_default();
    let Some(choice) = resp.choices.into_iter().next() else {
        return Err("the response has no choices".to_string());
    };
    let mut out = Completion {
        usage,
        finish_reason: choice.finish_reason,
        ..Default::default()
    };
    if let Some(msg) = choice.message {
        out.text = match msg.content {
            Some(Content::Text(t)) => t,
            Some(Content::Parts(parts)) => parts.into_iter().filter_map(|p| p.text).collect(),
            None => String::new(),
        };
        out.refusal = msg.refusal;
        out.tool_calls = msg
            .tool_calls
            .into_iter()
            .map(|t| ToolCall {
                id: t.id,
                name: t.function.name,
                arguments: t.function.arguments,
            })
            .collect();
    }
    finalize(&mut out);
    Ok(out)
}

/// What every OpenAI answer gets once complete, streamed or not: a
/// `content_filter` finish means the answer was withheld.
pub fn finalize(out: &mut Completion) {
    if out.finish_reason.as_deref() == Some("content_filter") {
        out.blocked = Some("content_filter".to_string());
    }
}

// ---------- streaming (docs/helicone.md §6.1) ----------

/// One `chat.completion.chunk`, or an error object some hosts send mid-stream.
#[derive(Debug, Deserialize)]
pub struct Chunk {
    #[serde(default)]
    pub choices: Vec<ChunkChoice>,
    /// Only on the final chunk, whose `choices` is `[]`, with `include_usage`.
    #[serde(default)]
    pub usage: Option<ApiUsage>,
    #[serde(default)]
    pub error: Option<serde::de::IgnoredAny>,
}

#[derive(Debug, Deserialize)]
pub struct ChunkChoice {
    #[serde(default)]
    pub index: u32,
    #[serde(default)]
    pub delta: Option<ChunkDelta>,
    #[serde(default)]
    pub finish_reason: Option<String>,
}

#[derive(Debug, Deserialize)]
pub struct ChunkDelta {
    #[serde(default)]
    pub content: Option<String>,
    #[serde(default)]
    pub refusal: Option<String>,
    /// Reasoning text of DeepSeek-style hosts.
    #[serde(default)]
    pub reasoning_content: Option<String>,
    /// Reasoning text of OpenRouter-style hosts.
    #[serde(default)]
    pub reasoning: Option<String>,
    #[serde(default)]
    pub tool_calls: Vec<ChunkToolCall>,
}

#[derive(Debug, Deserialize)]
pub struct ChunkToolCall {
    #[serde(default)]
    pub index: usize,
    #[serde(default)]
    pub id: Option<String>,
    #[serde(default)]
    pub function: Option<ChunkFunction>,
}

#[derive(Debug, Deserialize)]
pub struct ChunkFunction {
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub arguments: Option<String>,
}

/// The OpenAI stream has no state beyond the vocabulary: tool calls carry
/// their own index, usage comes whole, and `[DONE]` ends it.
#[derive(Debug, Default)]
pub struct StreamState;

impl StreamState {
    pub fn event(&mut self, data: &str, out: &mut Vec<StreamEvent>) -> Result<(), String> {
        if data.trim() == "[DONE]" {
            out.push(StreamEvent::Done);
            return Ok(());
        }
        let chunk: Chunk = serde_json::from_str(data).map_err(|e| e.to_string())?;
        if chunk.error.is_some() {
            let message = super::error_message(data.as_bytes())
                .unwrap_or_else(|| "an error with no message".to_string());
            out.push(StreamEvent::Error(message));
            return Ok(());
        }
        // With `n` > 1 there are several choices; hcl shows the first.
        for choice in chunk.choices.into_iter().filter(|c| c.index == 0) {
            if let Some(delta) = choice.delta {
                if let Some(t) = delta.reasoning_content.or(delta.reasoning)
                    && !t.is_empty()
                {
                    out.push(StreamEvent::Thinking(t));
                }
                if let Some(t) = delta.content
                    && !t.is_empty()
                {
                    out.push(StreamEvent::Text(t));
                }
                if let Some(r) = delta.refusal
                    && !r.is_empty()
                {
                    out.push(StreamEvent::Refusal(r));
                }
                for t in delta.tool_calls {
                    let (name, arguments) = match t.function {
                        Some(f) => (f.name, f.arguments.unwrap_or_default()),
                        None => (None, String::new()),
                    };
                    out.push(StreamEvent::ToolCall {
                        index: t.index,
                        id: t.id,
                        name,
                        arguments,
                    });
                }
            }
            if let Some(reason) = choice.finish_reason {
                out.push(StreamEvent::Finish(reason));
            }
        }
        if let Some(u) = chunk.usage {
            out.push(StreamEvent::Usage(u.into()));
        }
        Ok(())
    }
}

/// A logged request body read back as a conversation (`hcl chat -c`).
#[derive(Debug, Deserialize)]
struct HistoryBody {
    #[serde(default)]
    messages: Vec<HistoryMessage>,
}

#[derive(Debug, Deserialize)]
struct HistoryMessage {
    role: String,
    #[serde(default)]
    content: Option<HistoryContent>,
    #[serde(default)]
    tool_calls: Vec<serde::de::IgnoredAny>,
}

#[derive(Debug, Deserialize)]
#[serde(untagged)]
enum HistoryContent {
    Text(String),
    Parts(Vec<HistoryPart>),
}

#[derive(Debug, Deserialize)]
struct HistoryPart {
    #[serde(rename = "type")]
    kind: String,
    #[serde(default)]
    text: Option<String>,
    #[serde(default)]
    image_url: Option<HistoryImageUrl>,
    #[serde(default)]
    file: Option<HistoryFile>,
}

#[derive(Debug, Deserialize)]
struct HistoryImageUrl {
    url: String,
}

#[derive(Debug, Deserialize)]
struct HistoryFile {
    #[serde(default)]
    filename: Option<String>,
    #[serde(default)]
    file_data: Option<String>,
}

impl HistoryPart {
    /// The attachment of an `image_url` or `file` part given inline as a
    /// data URI; an error naming anything else.
    fn attachment(self, what: &str) -> Result<Attachment, HistoryError> {
        let (uri, name) = match (self.kind.as_str(), self.image_url, self.file) {
            ("image_url", Some(i), _) => (i.url, None),
            (
                "file",
                _,
                Some(HistoryFile {
                    filename,
                    file_data: Some(d),
                }),
            ) => (d, filename),
            (kind, _, _) => {
                return Err(HistoryError::Unsupported(format!(
                    "{what} holds a {kind} part"
                )));
            }
        };
        let unsupported = |why: &str| HistoryError::Unsupported(format!("{what} holds {why}"));
        let (mime, data) = super::attach::parse_data_uri(&uri)
            .ok_or_else(|| unsupported("a file given by URL, not inline"))?;
        let media_type = MediaType::from_mime(mime)
            .ok_or_else(|| unsupported(&format!("a part of type {mime}")))?;
        Attachment::from_base64(media_type, data, name)
            .ok_or_else(|| unsupported("a data URI that is not base64"))
    }
}

/// The system prompt and the user/assistant turns of a chat-completions
/// body. Content hcl cannot carry over (tool calls, images, audio) is an
/// error naming it.
pub fn parse_history(body: &str) -> Result<ChatInput, HistoryError> {
    let parsed: HistoryBody =
        serde_json::from_str(body).map_err(|e| HistoryError::Unreadable(e.to_string()))?;
    let mut input = ChatInput::default();
    for (i, m) in parsed.messages.into_iter().enumerate() {
        if !m.tool_calls.is_empty() {
            return Err(HistoryError::Unsupported(format!(
                "message {} holds tool calls",
                i + 1
            )));
        }
        let what = format!("message {}", i + 1);
        let mut attachments = Vec::new();
        let text = match m.content {
            None => String::new(),
            Some(HistoryContent::Text(t)) => t,
            Some(HistoryContent::Parts(parts)) => {
                let mut out = Vec::new();
                for p in parts {
                    match (p.kind.as_str(), &p.text) {
                        ("text", Some(t)) => out.push(t.clone()),
                        _ => attachments.push(p.attachment(&what)?),
                    }
                }
                out.join("\n")
            }
        };
        if !attachments.is_empty() && m.role != "user" {
            return Err(HistoryError::Unsupported(format!(
                "{what} ({}) holds attachments",
                m.role
            )));
        }
        match m.role.as_str() {
            "system" | "developer" => super::push_system(&mut input, text),
            "user" => super::push_turn(&mut input, Role::User, text, attachments),
            "assistant" => super::push_turn(&mut input, Role::Assistant, text, Vec::new()),
            other => {
                return Err(HistoryError::Unsupported(format!(
                    "message {} has the role '{other}'",
                    i + 1
                )));
            }
        }
    }
    Ok(input)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wire::Message;

    #[test]
    fn body_shape() {
        let input = ChatInput {
            system: Some("be brief".into()),
            messages: vec![Message::text(Role::User, "hi")],
            max_tokens: Some(5),
            ..Default::default()
        };
        let compat = Dialect {
            stream_usage: true,
            max_completion_tokens: false,
        };
        let body = serde_json::to_string(&request("m", &input, true, compat)).unwrap();
        assert_eq!(
            body,
            r#"{"model":"m","messages":[{"role":"system","content":"be brief"},{"role":"user","content":"hi"}],"max_tokens":5,"stream":true,"stream_options":{"include_usage":true}}"#
        );
        let openai = Dialect {
            stream_usage: false,
            max_completion_tokens: true,
        };
        let body = serde_json::to_string(&request("m", &input, false, openai)).unwrap();
        assert!(body.contains(r#""max_completion_tokens":5"#), "{body}");
        assert!(!body.contains(r#""max_tokens""#), "{body}");
    }

    #[test]
    fn parses_text_usage_tools_and_refusal() {
        let c = parse(br#"{"choices":[{"message":{"role":"assistant","content":"Hello"},"finish_reason":"stop"}],"usage":{"prompt_tokens":3,"completion_tokens":1,"total_tokens":4}}"#).unwrap();
        assert_eq!(
            (c.text.as_str(), c.usage.total, c.finish_reason.as_deref()),
            ("Hello", Some(4), Some("stop"))
        );
        let c = parse(br#"{"choices":[{"message":{"content":null,"refusal":"I can't"},"finish_reason":"stop"}]}"#).unwrap();
        assert_eq!(c.refusal.as_deref(), Some("I can't"));
        let c = parse(br#"{"choices":[{"message":{"content":null,"tool_calls":[{"id":"c1","type":"function","function":{"name":"f","arguments":"{}"}}]},"finish_reason":"tool_calls"}]}"#).unwrap();
        assert_eq!(c.tool_calls[0].name, "f");
        assert!(parse(b"{}").is_err());
    }
}
