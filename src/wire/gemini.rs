//! Google generateContent, for the Gemini API and Vertex AI.

use serde::{Deserialize, Serialize};

use super::stream::StreamEvent;
use super::{ChatInput, Completion, HistoryError, Role, ToolCall, Unshown, Usage};

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Request<'a> {
    pub contents: Vec<Content<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub system_instruction: Option<SystemInstruction<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub generation_config: Option<GenerationConfig>,
}

#[derive(Debug, Serialize)]
pub struct Content<'a> {
    pub role: &'static str,
    pub parts: [Part<'a>; 1],
}

#[derive(Debug, Serialize)]
pub struct Part<'a> {
    pub text: &'a str,
}

#[derive(Debug, Serialize)]
pub struct SystemInstruction<'a> {
    pub parts: [Part<'a>; 1],
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct GenerationConfig {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_output_tokens: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub temperature: Option<f64>,
}

pub fn request(input: &ChatInput) -> Request<'_> {
    let generation_config =
        (input.max_tokens.is_some() || input.temperature.is_some()).then_some(GenerationConfig {
            max_output_tokens: input.max_tokens,
            temperature: input.temperature,
        });
    Request {
        contents: input
            .messages
            .iter()
            .map(|m| Content {
                role: match m.role {
                    Role::User => "user",
                    Role::Assistant => "model",
                },
                parts: [Part { text: &m.content }],
            })
            .collect(),
        system_instruction: input.system.as_deref().map(|s| SystemInstruction {
            parts: [Part { text: s }],
        }),
        generation_config,
    }
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Response {
    #[serde(default)]
    pub candidates: Vec<Candidate>,
    #[serde(default)]
    pub usage_metadata: Option<UsageMetadata>,
    #[serde(default)]
    pub prompt_feedback: Option<PromptFeedback>,
    /// An error object sent in place of a chunk mid-stream.
    #[serde(default)]
    pub error: Option<serde::de::IgnoredAny>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Candidate {
    #[serde(default)]
    pub content: Option<RespContent>,
    #[serde(default)]
    pub finish_reason: Option<String>,
}

#[derive(Debug, Deserialize)]
pub struct RespContent {
    #[serde(default)]
    pub parts: Vec<RespPart>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RespPart {
    #[serde(default)]
    pub text: Option<String>,
    /// A thought summary, not part of the answer.
    #[serde(default)]
    pub thought: bool,
    #[serde(default)]
    pub function_call: Option<FunctionCall>,
    #[serde(default)]
    pub executable_code: Option<serde::de::IgnoredAny>,
    #[serde(default)]
    pub code_execution_result: Option<serde::de::IgnoredAny>,
    #[serde(default)]
    pub inline_data: Option<InlineData>,
}

impl RespPart {
    /// What this part holds that hcl does not show.
    fn unshown(&self) -> Option<Unshown> {
        let code = u32::from(self.executable_code.is_some())
            + u32::from(self.code_execution_result.is_some());
        let inline: Vec<String> = self
            .inline_data
            .iter()
            .map(|d| d.mime_type.clone().unwrap_or_else(|| "no MIME type".into()))
            .collect();
        (code > 0 || !inline.is_empty()).then(|| Unshown {
            code_execution: code,
            inline_data: inline,
            ..Default::default()
        })
    }
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct InlineData {
    #[serde(default)]
    pub mime_type: Option<String>,
}

#[derive(Debug, Deserialize)]
pub struct FunctionCall {
    pub name: String,
    #[serde(default)]
    pub args: serde_json::Value,
}

#[derive(Debug, Deserialize, Clone, Copy)]
#[serde(rename_all = "camelCase")]
pub struct UsageMetadata {
    #[serde(default)]
    pub prompt_token_count: Option<u64>,
    #[serde(default)]
    pub candidates_token_count: Option<u64>,
    #[serde(default)]
    pub total_token_count: Option<u64>,
}

impl From<UsageMetadata> for Usage {
    fn from(u: UsageMetadata) -> Self {
        Usage::new(
            u.prompt_token_count,
            u.candidates_token_count,
            u.total_token_count,
        )
    }
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PromptFeedback {
    #[serde(default)]
    pub block_reason: Option<String>,
}

/// Finish reasons that mean the answer was withheld or cut by a filter.
pub fn is_blocking(reason: &str) -> bool {
    matches!(
        reason,
        "SAFETY"
            | "RECITATION"
            | "BLOCKLIST"
            | "PROHIBITED_CONTENT"
            | "SPII"
            | "IMAGE_SAFETY"
            | "LANGUAGE"
            | "OTHER"
    )
}

pub fn parse(body: &[u8]) -> Result<Completion, String> {
    let resp: Response = serde_json::from_slice(body).map_err(|e| e.to_string())?;
    let mut out = Completion {
        usage: resp.usage_metadata.map(Usage::from).unwrap_or_default(),
        ..Default::default()
    };
    if let Some(reason) = resp.prompt_feedback.and_then(|f| f.block_reason) {
        out.blocked = Some(reason.clone());
        out.finish_reason = Some(reason);
        return Ok(out);
    }
    let Some(cand) = resp.candidates.into_iter().next() else {
        return Err("the response has no candidates".to_string());
    };
    for part in cand.content.map(|c| c.parts).unwrap_or_default() {
        if let Some(u) = part.unshown() {
            out.unshown.merge(u);
        }
        if let Some(fc) = part.function_call {
            out.tool_calls.push(ToolCall {
                id: None,
                name: fc.name,
                arguments: fc.args.to_string(),
            });
        }
        if let Some(t) = part.text
            && !part.thought
        {
            out.text.push_str(&t);
        }
    }
    out.finish_reason = cand.finish_reason;
    finalize(&mut out);
    Ok(out)
}

/// What every Gemini answer gets once complete, streamed or not: a blocking
/// finish reason means the answer was withheld or cut by a filter.
pub fn finalize(out: &mut Completion) {
    if out.blocked.is_none()
        && let Some(r) = &out.finish_reason
        && is_blocking(r)
    {
        out.blocked = Some(r.clone());
    }
}

// ---------- streaming (spec §6.3) ----------

/// Each SSE event is a whole [`Response`]. There is no end marker: the end of
/// the body ends the stream. `finishReason` may come on every chunk (the last
/// one wins) and `usageMetadata` is taken from the last chunk that has it.
#[derive(Debug, Default)]
pub struct StreamState {
    /// Function calls arrive whole; this numbers them.
    tool_calls: usize,
}

impl StreamState {
    pub fn event(&mut self, data: &str, out: &mut Vec<StreamEvent>) -> Result<(), String> {
        let chunk: Response = serde_json::from_str(data).map_err(|e| e.to_string())?;
        if chunk.error.is_some() {
            let message = super::error_message(data.as_bytes())
                .unwrap_or_else(|| "an error with no message".to_string());
            out.push(StreamEvent::Error(message));
            return Ok(());
        }
        if let Some(reason) = chunk.prompt_feedback.and_then(|f| f.block_reason) {
            out.push(StreamEvent::Finish(reason.clone()));
            out.push(StreamEvent::Blocked(reason));
        }
        if let Some(cand) = chunk.candidates.into_iter().next() {
            for part in cand.content.map(|c| c.parts).unwrap_or_default() {
                if let Some(u) = part.unshown() {
                    out.push(StreamEvent::Unshown(u));
                }
                if let Some(fc) = part.function_call {
                    out.push(StreamEvent::ToolCall {
                        index: self.tool_calls,
                        id: None,
                        name: Some(fc.name),
                        arguments: fc.args.to_string(),
                    });
                    self.tool_calls += 1;
                }
                if let Some(t) = part.text
                    && !t.is_empty()
                {
                    out.push(if part.thought {
                        StreamEvent::Thinking(t)
                    } else {
                        StreamEvent::Text(t)
                    });
                }
            }
            if let Some(reason) = cand.finish_reason {
                out.push(StreamEvent::Finish(reason));
            }
        }
        if let Some(u) = chunk.usage_metadata {
            out.push(StreamEvent::Usage(u.into()));
        }
        Ok(())
    }
}

/// A logged request body read back as a conversation (`hcl chat -c`).
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct HistoryBody {
    #[serde(default)]
    contents: Vec<HistoryContent>,
    #[serde(default, alias = "system_instruction")]
    system_instruction: Option<HistoryContent>,
}

#[derive(Debug, Deserialize)]
struct HistoryContent {
    #[serde(default)]
    role: Option<String>,
    #[serde(default)]
    parts: Vec<serde_json::Map<String, serde_json::Value>>,
}

impl HistoryContent {
    fn text(&self, what: &str) -> Result<String, HistoryError> {
        let mut out = Vec::new();
        for part in &self.parts {
            match part.get("text") {
                Some(serde_json::Value::String(t)) if part.len() == 1 => out.push(t.as_str()),
                _ => {
                    let kind = part
                        .keys()
                        .find(|k| *k != "text")
                        .map_or("non-text", String::as_str);
                    return Err(HistoryError::Unsupported(format!(
                        "{what} holds a {kind} part"
                    )));
                }
            }
        }
        Ok(out.join("\n"))
    }
}

/// `systemInstruction` and the `user`/`model` turns of a generateContent
/// body. Function calls, inline data and files are errors naming them.
pub fn parse_history(body: &str) -> Result<ChatInput, HistoryError> {
    let parsed: HistoryBody =
        serde_json::from_str(body).map_err(|e| HistoryError::Unreadable(e.to_string()))?;
    let mut input = ChatInput::default();
    if let Some(system) = &parsed.system_instruction {
        super::push_system(&mut input, system.text("the system instruction")?);
    }
    for (i, c) in parsed.contents.iter().enumerate() {
        let what = format!("content {}", i + 1);
        let role = match c.role.as_deref() {
            Some("user") | None => Role::User,
            Some("model") => Role::Assistant,
            Some(other) => {
                return Err(HistoryError::Unsupported(format!(
                    "{what} has the role '{other}'"
                )));
            }
        };
        super::push_turn(&mut input, role, c.text(&what)?);
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
            system: Some("sys".into()),
            messages: vec![
                Message {
                    role: Role::User,
                    content: "a".into(),
                },
                Message {
                    role: Role::Assistant,
                    content: "b".into(),
                },
            ],
            max_tokens: Some(10),
            temperature: None,
        };
        assert_eq!(
            serde_json::to_string(&request(&input)).unwrap(),
            r#"{"contents":[{"role":"user","parts":[{"text":"a"}]},{"role":"model","parts":[{"text":"b"}]}],"systemInstruction":{"parts":[{"text":"sys"}]},"generationConfig":{"maxOutputTokens":10}}"#
        );
    }

    /// Code execution and inline data are named, not dropped in silence.
    #[test]
    fn code_execution_and_inline_data_are_named() {
        let body = br#"{"candidates":[{"content":{"parts":[{"text":"Let me compute."},{"executableCode":{"language":"PYTHON","code":"print(1+1)"}},{"codeExecutionResult":{"outcome":"OUTCOME_OK","output":"2\n"}},{"inlineData":{"mimeType":"image/png","data":"iVBO"}},{"text":" It is 2."}],"role":"model"},"finishReason":"STOP"}]}"#;
        let c = parse(body).unwrap();
        assert_eq!(c.text, "Let me compute. It is 2.");
        assert_eq!(
            c.unshown.describe(),
            [
                "2 code-execution parts (executableCode, codeExecutionResult)",
                "1 inlineData part (image/png)"
            ]
        );
        let mut state = StreamState::default();
        let mut out = Vec::new();
        state
            .event(std::str::from_utf8(body).unwrap(), &mut out)
            .unwrap();
        let shown: Vec<_> = out
            .iter()
            .filter(|e| matches!(e, StreamEvent::Unshown(_)))
            .collect();
        assert_eq!(shown.len(), 3, "one per part: {out:?}");
    }

    #[test]
    fn parses_text_and_blocks() {
        let c = parse(br#"{"candidates":[{"content":{"parts":[{"text":"Hel"},{"text":"lo"}],"role":"model"},"finishReason":"STOP"}],"usageMetadata":{"promptTokenCount":2,"candidatesTokenCount":1,"totalTokenCount":3}}"#).unwrap();
        assert_eq!((c.text.as_str(), c.usage.total), ("Hello", Some(3)));
        let c = parse(br#"{"promptFeedback":{"blockReason":"SAFETY"}}"#).unwrap();
        assert_eq!(c.blocked.as_deref(), Some("SAFETY"));
        let c = parse(br#"{"candidates":[{"finishReason":"SAFETY"}]}"#).unwrap();
        assert_eq!(c.blocked.as_deref(), Some("SAFETY"));
    }
}
