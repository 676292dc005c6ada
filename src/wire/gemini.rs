//! Google generateContent, for the Gemini API and Vertex AI.

use serde::{Deserialize, Serialize};

use super::attach::{Attachment, Limits, MIB, Measure, MediaType};
use super::event::StreamEvent;
use super::generation::{at_most, stop_count};
use super::{
    ChatInput, Completion, Effort, HistoryError, Message, Refused, ResponseFormat, Role, Setting,
    ToolCall, Usage,
};

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Request<'a> {
    pub contents: Vec<Content<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub system_instruction: Option<SystemInstruction<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub generation_config: Option<GenerationConfig<'a>>,
}

#[derive(Debug, Serialize)]
pub struct Content<'a> {
    pub role: &'static str,
    pub parts: Vec<Part<'a>>,
}

#[derive(Debug, Serialize)]
pub struct TextPart<'a> {
    pub text: &'a str,
}

/// A part: text, or a file inline (`inlineData`, the spelling of Google's
/// reference and the one Helicone's dashboard reads).
#[derive(Debug, Serialize)]
#[serde(untagged)]
pub enum Part<'a> {
    Text(TextPart<'a>),
    Inline {
        #[serde(rename = "inlineData")]
        inline_data: Blob<'a>,
    },
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Blob<'a> {
    pub mime_type: &'static str,
    pub data: &'a str,
}

#[derive(Debug, Serialize)]
pub struct SystemInstruction<'a> {
    pub parts: [TextPart<'a>; 1],
}

/// What the Gemini API takes inline: PNG, JPEG and WebP images (GIF is not
/// among its image types) and PDFs up to 50 MB, in a request of up to 100 MB
/// of base64 (ai.google.dev "File input methods" and "Image understanding").
pub const LIMITS: Limits = Limits {
    types: &[
        MediaType::Png,
        MediaType::Jpeg,
        MediaType::Webp,
        MediaType::Pdf,
    ],
    measure: Measure::Base64,
    image: 100 * MIB,
    document: 50 * MIB,
    images: 100 * MIB,
    documents: 100 * MIB,
    total: 100 * MIB,
    max_images: 3000,
};

/// Vertex AI is stricter: 7 MB a file inline, in a request of 20 MB
/// (cloud.google.com Vertex AI "Image understanding"; Firebase's "input file
/// requirements").
pub const VERTEX_LIMITS: Limits = Limits {
    measure: Measure::File,
    image: 7 * MIB,
    document: 7 * MIB,
    images: 15 * MIB,
    documents: 15 * MIB,
    total: 15 * MIB,
    ..LIMITS
};

fn parts(m: &Message) -> Vec<Part<'_>> {
    let mut parts: Vec<Part<'_>> = m
        .attachments
        .iter()
        .map(|a| Part::Inline {
            inline_data: Blob {
                mime_type: a.media_type.mime(),
                data: &a.data,
            },
        })
        .collect();
    if parts.is_empty() || !m.content.is_empty() {
        parts.push(Part::Text(TextPart { text: &m.content }));
    }
    parts
}

#[derive(Debug, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct GenerationConfig<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_output_tokens: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub temperature: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub top_p: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub seed: Option<i64>,
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    pub stop_sequences: &'a [String],
    #[serde(skip_serializing_if = "Option::is_none")]
    pub thinking_config: Option<ThinkingConfig>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub response_mime_type: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub response_json_schema: Option<std::borrow::Cow<'a, serde_json::Value>>,
}

/// `thinkingConfig`: a level for Gemini 3 and later, a token budget for
/// Gemini 2.5 (a request may not carry both).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(untagged)]
pub enum ThinkingConfig {
    #[serde(rename_all = "camelCase")]
    Level { thinking_level: &'static str },
    #[serde(rename_all = "camelCase")]
    Budget { thinking_budget: u32 },
}

/// Fields only hcl sets, with the flag to use instead.
pub const RESERVED_FIELDS: &[(&str, &str)] = &[
    ("contents", "the prompt"),
    ("systemInstruction", "-s/--system"),
    ("system_instruction", "-s/--system"),
];

/// Fields hcl sets from a flag when it is given.
pub const FIELD_FLAGS: &[(&str, &str)] = &[
    ("generationConfig.maxOutputTokens", "--max-tokens"),
    ("generationConfig.temperature", "--temperature"),
    ("generationConfig.topP", "--top-p"),
    ("generationConfig.seed", "--seed"),
    ("generationConfig.stopSequences", "--stop"),
    ("generationConfig.thinkingConfig", "--reasoning"),
    (
        "generationConfig.responseMimeType",
        "--json-object or --schema",
    ),
    ("generationConfig.responseJsonSchema", "--schema"),
];

/// The major version of a Gemini model id (`gemini-2.5-flash` → 2).
fn major(model: &str) -> Option<u32> {
    let rest = &model[model.find("gemini-")? + "gemini-".len()..];
    rest.split(['-', '.']).next()?.parse().ok()
}

/// How `--reasoning` is sent to `model`: `thinkingLevel` for Gemini 3 and
/// later (and ids without a version), `thinkingBudget` before.
pub fn thinking(model: &str, effort: Effort) -> ThinkingConfig {
    match major(model) {
        Some(m) if m < 3 => ThinkingConfig::Budget {
            thinking_budget: match effort {
                Effort::Low => 1024,
                Effort::Medium => 8192,
                Effort::High => 24576,
            },
        },
        _ => ThinkingConfig::Level {
            thinking_level: effort.name(),
        },
    }
}

/// Gemini's ranges and limits: temperature 0-2, at most 5 stop sequences,
/// a 32-bit seed.
pub fn check(input: &ChatInput) -> Result<(), Refused> {
    if let Some(t) = input.temperature {
        at_most(Setting::Temperature, t, 2.0, "Gemini")?;
    }
    stop_count(input, 5, "Gemini")?;
    if let Some(seed) = input.seed
        && i32::try_from(seed).is_err()
    {
        return Err(Refused::new(
            Setting::Seed,
            format!("{seed} is out of range: Gemini's seed is a 32-bit integer"),
        ));
    }
    Ok(())
}

/// The schema as `responseJsonSchema` takes it: without the `$schema`
/// marker, which Gemini's JSON Schema subset does not list.
fn gemini_schema(schema: &serde_json::Value) -> std::borrow::Cow<'_, serde_json::Value> {
    use std::borrow::Cow;
    match schema {
        serde_json::Value::Object(map) if map.contains_key("$schema") => {
            let mut map = map.clone();
            map.remove("$schema");
            Cow::Owned(serde_json::Value::Object(map))
        }
        _ => Cow::Borrowed(schema),
    }
}

pub fn request<'a>(model: &str, input: &'a ChatInput) -> Request<'a> {
    let config = GenerationConfig {
        max_output_tokens: input.max_tokens,
        temperature: input.temperature,
        top_p: input.top_p,
        seed: input.seed,
        stop_sequences: &input.stop,
        thinking_config: input.reasoning.map(|e| thinking(model, e)),
        response_mime_type: input.response.as_ref().map(|_| "application/json"),
        response_json_schema: match &input.response {
            Some(ResponseFormat::Schema(s)) => Some(gemini_schema(&s.schema)),
            _ => None,
        },
    };
    let has_config = config.max_output_tokens.is_some()
        || config.temperature.is_some()
        || config.top_p.is_some()
        || config.seed.is_some()
        || !config.stop_sequences.is_empty()
        || config.thinking_config.is_some()
        || config.response_mime_type.is_some();
    Request {
        contents: input
            .messages
            .iter()
            .map(|m| Content {
                role: match m.role {
                    Role::User => "user",
                    Role::Assistant => "model",
                },
                parts: parts(m),
            })
            .collect(),
        system_instruction: input.system.as_deref().map(|s| SystemInstruction {
            parts: [TextPart { text: s }],
        }),
        generation_config: has_config.then_some(config),
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

// ---------- streaming (docs/helicone.md §6.3) ----------

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

/// `inlineData` (or `inline_data`): a file inline.
#[derive(Debug, Deserialize)]
struct HistoryBlob {
    #[serde(alias = "mime_type", rename = "mimeType")]
    mime_type: String,
    data: String,
}

impl HistoryContent {
    /// The text (parts joined by newlines) and the inline files.
    fn read(&self, what: &str) -> Result<(String, Vec<Attachment>), HistoryError> {
        let mut out = Vec::new();
        let mut attachments = Vec::new();
        for part in &self.parts {
            if let (Some(serde_json::Value::String(t)), 1) = (part.get("text"), part.len()) {
                out.push(t.as_str());
                continue;
            }
            let inline = match (
                part.get("inlineData").or(part.get("inline_data")),
                part.len(),
            ) {
                (Some(v), 1) => v,
                _ => {
                    let kind = part
                        .keys()
                        .find(|k| *k != "text")
                        .map_or("non-text", String::as_str);
                    return Err(HistoryError::Unsupported(format!(
                        "{what} holds a {kind} part"
                    )));
                }
            };
            let unsupported =
                |why: String| HistoryError::Unsupported(format!("{what} holds {why}"));
            let blob = HistoryBlob::deserialize(inline)
                .map_err(|e| unsupported(format!("inline data hcl cannot read ({e})")))?;
            let media_type = MediaType::from_mime(&blob.mime_type)
                .ok_or_else(|| unsupported(format!("inline data of type {}", blob.mime_type)))?;
            attachments.push(
                Attachment::from_base64(media_type, &blob.data, None)
                    .ok_or_else(|| unsupported("inline data that is not base64".to_string()))?,
            );
        }
        Ok((out.join("\n"), attachments))
    }

    fn text(&self, what: &str) -> Result<String, HistoryError> {
        match self.read(what)? {
            (text, a) if a.is_empty() => Ok(text),
            _ => Err(HistoryError::Unsupported(format!(
                "{what} holds inline data"
            ))),
        }
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
        let (text, attachments) = match role {
            Role::User => c.read(&what)?,
            Role::Assistant => (c.text(&what)?, Vec::new()),
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
    fn body_shape() {
        let input = ChatInput {
            system: Some("sys".into()),
            messages: vec![
                Message::text(Role::User, "a"),
                Message::text(Role::Assistant, "b"),
            ],
            max_tokens: Some(10),
            ..Default::default()
        };
        assert_eq!(
            serde_json::to_string(&request("gemini-2.0-flash", &input)).unwrap(),
            r#"{"contents":[{"role":"user","parts":[{"text":"a"}]},{"role":"model","parts":[{"text":"b"}]}],"systemInstruction":{"parts":[{"text":"sys"}]},"generationConfig":{"maxOutputTokens":10}}"#
        );
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
