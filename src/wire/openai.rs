//! OpenAI chat completions, spoken by OpenAI, Azure and every
//! OpenAI-compatible host, and by Helicone's AI gateway.

use serde::{Deserialize, Serialize};

use super::stream::StreamEvent;
use super::{ChatInput, Completion, Dialect, HistoryError, Role, ToolCall, Usage};

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
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub stream: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub stream_options: Option<StreamOptions>,
}

#[derive(Debug, Serialize)]
pub struct ReqMessage<'a> {
    pub role: &'static str,
    pub content: &'a str,
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
            content: system,
        });
    }
    for m in &input.messages {
        messages.push(ReqMessage {
            role: match m.role {
                Role::User => "user",
                Role::Assistant => "assistant",
            },
            content: &m.content,
        });
    }
    Request {
        model,
        messages,
        max_tokens: input.max_tokens.filter(|_| !d.max_completion_tokens),
        max_completion_tokens: input.max_tokens.filter(|_| d.max_completion_tokens),
        temperature: input.temperature,
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
    pub index: u32,
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
    let mut choices = resp.choices.into_iter();
    let Some(choice) = choices.next() else {
        return Err("the response has no choices".to_string());
    };
    let mut out = Completion {
        usage,
        finish_reason: choice.finish_reason,
        ..Default::default()
    };
    // With `n` > 1 hcl shows the first choice and names the others.
    out.unshown.choices = choices.map(|c| c.index).collect();
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

// ---------- streaming (spec §6.1) ----------

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
        // With `n` > 1 there are several choices; hcl shows the first and
        // names the others.
        for choice in chunk.choices {
            if choice.index != 0 {
                out.push(StreamEvent::Unshown(super::Unshown {
                    choices: [choice.index].into(),
                    ..Default::default()
                }));
                continue;
            }
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
        let text = match m.content {
            None => String::new(),
            Some(HistoryContent::Text(t)) => t,
            Some(HistoryContent::Parts(parts)) => {
                let mut out = Vec::new();
                for p in parts {
                    match (p.kind.as_str(), p.text) {
                        ("text", Some(t)) => out.push(t),
                        (kind, _) => {
                            return Err(HistoryError::Unsupported(format!(
                                "message {} holds a {kind} part",
                                i + 1
                            )));
                        }
                    }
                }
                out.join("\n")
            }
        };
        match m.role.as_str() {
            "system" | "developer" => super::push_system(&mut input, text),
            "user" => super::push_turn(&mut input, Role::User, text),
            "assistant" => super::push_turn(&mut input, Role::Assistant, text),
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
            messages: vec![Message {
                role: Role::User,
                content: "hi".into(),
            }],
            max_tokens: Some(5),
            temperature: None,
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

    /// With `n` > 1 the first choice is the answer and the others are named.
    #[test]
    fn more_choices_are_named() {
        let c = parse(br#"{"choices":[{"index":0,"message":{"content":"A"},"finish_reason":"stop"},{"index":1,"message":{"content":"B"},"finish_reason":"stop"},{"index":2,"message":{"content":"C"},"finish_reason":"stop"}]}"#).unwrap();
        assert_eq!(c.text, "A");
        assert_eq!(c.unshown.describe(), ["2 more choices (n = 3)"]);
        let mut state = StreamState;
        let mut out = Vec::new();
        state
            .event(
                r#"{"choices":[{"index":0,"delta":{"content":"A"}},{"index":1,"delta":{"content":"B"}}]}"#,
                &mut out,
            )
            .unwrap();
        assert_eq!(out[0], StreamEvent::Text("A".into()));
        assert!(matches!(&out[1], StreamEvent::Unshown(u) if u.choices.contains(&1)));
        assert_eq!(out.len(), 2, "{out:?}");
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
