//! Anthropic Messages.

use serde::{Deserialize, Serialize};

use super::{ChatInput, Completion, Role, ToolCall, Usage};

/// Anthropic requires `max_tokens`; this is sent when none is given.
pub const DEFAULT_MAX_TOKENS: u32 = 1024;

#[derive(Debug, Serialize)]
pub struct Request<'a> {
    pub model: &'a str,
    pub max_tokens: u32,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub system: Option<&'a str>,
    pub messages: Vec<ReqMessage<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub temperature: Option<f64>,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub stream: bool,
}

#[derive(Debug, Serialize)]
pub struct ReqMessage<'a> {
    pub role: &'static str,
    pub content: &'a str,
}

pub fn request<'a>(model: &'a str, input: &'a ChatInput, stream: bool) -> Request<'a> {
    Request {
        model,
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
        stream,
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
    if out.finish_reason.as_deref() == Some("refusal") {
        out.refusal = Some(if out.text.is_empty() {
            "the model declined to answer".to_string()
        } else {
            out.text.clone()
        });
    }
    Ok(out)
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
