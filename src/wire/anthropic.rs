//! Anthropic Messages.

use serde::{Deserialize, Serialize};

use super::event::StreamEvent;
use super::{ChatInput, Completion, HistoryError, Role, ToolCall, Usage};

/// Anthropic requires `max_tokens`; this is sent when none is given.
pub const DEFAULT_MAX_TOKENS: u32 = 1024;

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
}

#[derive(Debug, Serialize)]
pub struct ReqMessage<'a> {
    pub role: &'static str,
    pub content: &'a str,
}

pub fn request<'a>(model: &'a str, input: &'a ChatInput, stream: bool) -> Request<'a> {
    Request {
        model,
        body: messages(input),
        stream,
    }
}

pub fn messages(input: &ChatInput) -> Messages<'_> {
    Messages {
        max_tokens: input.max_tokens.unwrap_or(DEFAULT_MAX_TOKENS),
        system: input.system.as_deref(),
        messages: input
            .messages
            .iter()
            .map(|m| ReqMessage {
                role: match m.role {
                    Role::User => "user",
                    Role::Assistant => "assistant",
                },
                content: &m.content,
            })
            .collect(),
        temperature: input.temperature,
    }
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
}

impl HistoryContent {
    fn text(self, what: &str) -> Result<String, HistoryError> {
        match self {
            HistoryContent::Text(t) => Ok(t),
            HistoryContent::Blocks(blocks) => {
                let mut out = Vec::new();
                for b in blocks {
                    match (b.kind.as_str(), b.text) {
                        ("text", Some(t)) => out.push(t),
                        (kind, _) => {
                            return Err(HistoryError::Unsupported(format!(
                                "{what} holds a {kind} block"
                            )));
                        }
                    }
                }
                Ok(out.join("\n"))
            }
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
        let text = m.content.text(&what)?;
        super::push_turn(&mut input, role, text);
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
            messages: vec![Message {
                role: Role::User,
                content: "hi".into(),
            }],
            ..Default::default()
        };
        let body = serde_json::to_string(&request("claude", &input, false)).unwrap();
        assert_eq!(
            body,
            r#"{"model":"claude","max_tokens":1024,"system":"sys","messages":[{"role":"user","content":"hi"}]}"#
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
