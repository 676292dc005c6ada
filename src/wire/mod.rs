//! Wire formats: typed request bodies and responses for each dialect, mapped
//! to one internal vocabulary (text, usage, finish reason, tool calls, error).

pub mod anthropic;
pub mod attach;
pub mod bedrock;
mod event;
mod format;
pub mod gemini;
mod generation;
mod models;
pub mod openai;
mod options;
pub mod rebuild;
pub mod stream;

use serde::{Deserialize, Serialize};

pub use attach::{Attachment, Limits, MediaType};
pub use format::{FinishReason, Framing, RATE_LIMIT_HEADER_PREFIXES, WireFormat};
pub use generation::{Effort, JsonSchema, Refused, ResponseFormat, Setting};
pub use models::{Keep, parse_models};
pub use options::{
    BodyOption, dotted as dotted_path, leaves as option_leaves, parse as parse_option,
};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    User,
    Assistant,
}

/// One turn: its text, and the images and PDFs it carries (sent before the
/// text, as Anthropic and Gemini advise). A message without attachments is
/// sent exactly as plain text always was.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Message {
    pub role: Role,
    pub content: String,
    pub attachments: Vec<Attachment>,
}

impl Message {
    /// A turn of text alone.
    pub fn text(role: Role, content: impl Into<String>) -> Message {
        Message {
            role,
            content: content.into(),
            attachments: Vec::new(),
        }
    }
}

/// What the user asks, independent of any wire format.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ChatInput {
    pub system: Option<String>,
    pub messages: Vec<Message>,
    pub max_tokens: Option<u32>,
    pub temperature: Option<f64>,
    pub top_p: Option<f64>,
    pub seed: Option<i64>,
    /// Stop sequences (`--stop`, repeatable).
    pub stop: Vec<String>,
    pub reasoning: Option<Effort>,
    /// JSON output: `--json-object` or `--schema`.
    pub response: Option<ResponseFormat>,
    /// Body fields by dotted path (`-o`), laid over the body last.
    pub options: Vec<BodyOption>,
}

/// Token counts, named the same for every format.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Usage {
    pub input: Option<u64>,
    pub output: Option<u64>,
    pub total: Option<u64>,
}

impl Usage {
    pub fn new(input: Option<u64>, output: Option<u64>, total: Option<u64>) -> Self {
        let total = total.or(match (input, output) {
            (Some(i), Some(o)) => Some(i + o),
            _ => None,
        });
        Usage {
            input,
            output,
            total,
        }
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ToolCall {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    pub name: String,
    /// The arguments as the model wrote them (JSON text).
    pub arguments: String,
}

/// Parts of an answer that hcl does not show, counted so that they are
/// named rather than dropped in silence.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Unshown {
    /// The indexes of choices after the first (OpenAI `n` > 1).
    pub choices: std::collections::BTreeSet<u32>,
    /// Gemini `executableCode` and `codeExecutionResult` parts.
    pub code_execution: u32,
    /// The MIME types of Gemini `inlineData` parts (images, audio), one each.
    pub inline_data: Vec<String>,
}

impl Unshown {
    pub fn is_empty(&self) -> bool {
        self.choices.is_empty() && self.code_execution == 0 && self.inline_data.is_empty()
    }

    /// Add what `other` counted.
    pub fn merge(&mut self, other: Unshown) {
        self.choices.extend(other.choices);
        self.code_execution += other.code_execution;
        self.inline_data.extend(other.inline_data);
    }

    /// One phrase per kind: "2 more choices (n = 3)", ...
    pub fn describe(&self) -> Vec<String> {
        let mut out = Vec::new();
        if !self.choices.is_empty() {
            let n = self.choices.len();
            out.push(format!(
                "{n} more choice{} (n = {})",
                if n == 1 { "" } else { "s" },
                n + 1
            ));
        }
        if self.code_execution > 0 {
            let n = self.code_execution;
            out.push(format!(
                "{n} code-execution part{} (executableCode, codeExecutionResult)",
                if n == 1 { "" } else { "s" }
            ));
        }
        if !self.inline_data.is_empty() {
            let n = self.inline_data.len();
            let mut types = self.inline_data.clone();
            types.sort();
            types.dedup();
            out.push(format!(
                "{n} inlineData part{} ({})",
                if n == 1 { "" } else { "s" },
                types.join(", ")
            ));
        }
        out
    }
}

/// A finished answer.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Completion {
    pub text: String,
    pub usage: Usage,
    pub finish_reason: Option<String>,
    pub tool_calls: Vec<ToolCall>,
    /// The model declined (OpenAI `refusal`).
    pub refusal: Option<String>,
    /// The answer was withheld by a safety filter: the reason.
    pub blocked: Option<String>,
    /// What the answer holds besides its text, tool calls and refusal.
    pub unshown: Unshown,
}

/// What an OpenAI-compatible host accepts beyond the common core; from the
/// provider table.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Dialect {
    /// `stream_options.include_usage`.
    pub stream_usage: bool,
    /// `max_completion_tokens` rather than `max_tokens`.
    pub max_completion_tokens: bool,
}

/// Serialize a request body for `format`. The text returned is exactly what
/// is sent, logged and replayed.
pub fn build_body(
    format: WireFormat,
    model: &str,
    input: &ChatInput,
    stream: bool,
    dialect: Dialect,
) -> String {
    let typed = typed_body(format, model, input, stream, dialect);
    if input.options.is_empty() {
        return typed;
    }
    // Settings resolution has checked the options with [`try_build_body`].
    options::apply(format, &typed, &input.options).unwrap_or(typed)
}

/// [`build_body`], or why the `-o` options cannot be laid over it (one
/// would overwrite a field hcl sets). Settings resolution calls this, so
/// that a refused option is a usage error before anything is sent.
pub fn try_build_body(
    format: WireFormat,
    model: &str,
    input: &ChatInput,
    stream: bool,
    dialect: Dialect,
) -> Result<String, String> {
    let typed = typed_body(format, model, input, stream, dialect);
    if input.options.is_empty() {
        return Ok(typed);
    }
    options::apply(format, &typed, &input.options)
}

fn typed_body(
    format: WireFormat,
    model: &str,
    input: &ChatInput,
    stream: bool,
    dialect: Dialect,
) -> String {
    let result = match format {
        WireFormat::OpenAi => {
            serde_json::to_string(&openai::request(model, input, stream, dialect))
        }
        WireFormat::Anthropic => serde_json::to_string(&anthropic::request(model, input, stream)),
        WireFormat::Gemini => serde_json::to_string(&gemini::request(model, input)),
        WireFormat::Bedrock => bedrock::request_body(model, input),
    };
    // Serializing plain structs of strings, numbers and JSON values cannot
    // fail; non-finite numbers are rejected during settings resolution.
    result.unwrap_or_default()
}

/// Check the generation settings of `input` against what `format` takes.
pub fn check_generation(format: WireFormat, model: &str, input: &ChatInput) -> Result<(), Refused> {
    generation::common(input)?;
    match format {
        WireFormat::OpenAi => openai::check(input),
        WireFormat::Anthropic => anthropic::check(model, input),
        WireFormat::Gemini => gemini::check(input),
        WireFormat::Bedrock => bedrock::check(model, input),
    }
}

/// The answer of a request that asked for JSON, as the text to print and
/// validate. Anthropic has no JSON mode: hcl forces a tool whose input is
/// the answer, and this moves that input into the text. Others answer in
/// the text already.
pub fn take_structured_answer(
    format: WireFormat,
    response: &ResponseFormat,
    completion: &mut Completion,
) {
    if matches!(format, WireFormat::Anthropic | WireFormat::Bedrock) {
        // Bedrock's Claude answers JSON through the same forced tool; its
        // Nova refuses a JSON request before it is sent.
        anthropic::take_tool_answer(response, completion);
    }
}

/// What `format` takes as attachments, and how large.
pub fn limits(format: WireFormat) -> Limits {
    match format {
        WireFormat::OpenAi => openai::LIMITS,
        WireFormat::Anthropic => anthropic::LIMITS,
        WireFormat::Gemini => gemini::LIMITS,
        WireFormat::Bedrock => bedrock::LIMITS,
    }
}

/// Parse a successful, non-streamed response body.
pub fn parse_response(format: WireFormat, body: &[u8]) -> Result<Completion, String> {
    match format {
        WireFormat::OpenAi => openai::parse(body),
        WireFormat::Anthropic => anthropic::parse(body),
        WireFormat::Gemini => gemini::parse(body),
        WireFormat::Bedrock => bedrock::parse(body),
    }
}

/// Error bodies of every shape hcl meets: OpenAI and Gemini
/// (`{"error":{"message"}}`), Anthropic (`{"type":"error","error":{...}}`),
/// Helicone (`{"message"}`, `{"helicone-message"}`), the AI gateway
/// (`{"success":false,"error":{"code","message"}}`) and Jawn (`{"error":"..."}`).
#[derive(Debug, Deserialize)]
struct ErrorBody {
    #[serde(default)]
    error: Option<ErrorField>,
    #[serde(default)]
    message: Option<String>,
    #[serde(default, rename = "helicone-message")]
    helicone_message: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(untagged)]
enum ErrorField {
    Text(String),
    Object {
        #[serde(default)]
        message: Option<String>,
        #[serde(default, rename = "type")]
        kind: Option<String>,
        #[serde(default)]
        status: Option<String>,
        #[serde(default)]
        code: Option<serde_json::Value>,
    },
}

/// The provider's own message from an error body, if the body is JSON of a
/// known shape.
pub fn error_message(body: &[u8]) -> Option<String> {
    let parsed: ErrorBody = serde_json::from_slice(body).ok()?;
    if let Some(err) = parsed.error {
        match err {
            ErrorField::Text(t) => return Some(t),
            ErrorField::Object {
                message,
                kind,
                status,
                code,
            } => {
                let label = kind
                    .or(status)
                    .or_else(|| code.and_then(|c| c.as_str().map(str::to_string)));
                if let Some(m) = message {
                    return Some(match label {
                        Some(l) if !m.contains(&l) => format!("{m} ({l})"),
                        _ => m,
                    });
                }
                if let Some(l) = label {
                    return Some(l);
                }
            }
        }
    }
    parsed.message.or(parsed.helicone_message)
}

/// The last user message of a request body of any format, on one line and
/// cut to 40 characters: for listing logged requests.
pub fn prompt_preview(body: &str) -> String {
    let one_line = one_line(&last_prompt(body));
    let mut out: String = one_line.chars().take(40).collect();
    if one_line.chars().count() > 40 {
        out.push('…');
    }
    out
}

/// Text on one line: every run of whitespace (newlines too) is one space.
pub fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The last user message of a request body of any format, whole.
pub fn last_prompt(body: &str) -> String {
    #[derive(serde::Deserialize)]
    struct Body {
        #[serde(default)]
        messages: Vec<Msg>,
        #[serde(default)]
        contents: Vec<Msg>,
    }
    #[derive(serde::Deserialize)]
    struct Msg {
        #[serde(default)]
        role: String,
        #[serde(default)]
        content: serde_json::Value,
        #[serde(default)]
        parts: Vec<Part>,
    }
    #[derive(serde::Deserialize)]
    struct Part {
        #[serde(default)]
        text: String,
    }
    let Ok(body) = serde_json::from_str::<Body>(body) else {
        return String::new();
    };
    body.messages
        .iter()
        .chain(body.contents.iter())
        .rev()
        .find(|m| m.role == "user")
        .map(|m| match &m.content {
            serde_json::Value::String(s) => s.clone(),
            // Content parts (`[{"text": …}]`: OpenAI's and Anthropic's
            // blocks, Bedrock Nova's): their text.
            serde_json::Value::Array(parts) => parts
                .iter()
                .filter_map(|p| p.get("text").and_then(serde_json::Value::as_str))
                .collect::<Vec<_>>()
                .join(" "),
            _ => m
                .parts
                .iter()
                .map(|p| p.text.as_str())
                .collect::<Vec<_>>()
                .join(" "),
        })
        .unwrap_or_default()
}

/// Why a logged body could not be read back as a conversation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HistoryError {
    /// Not a body of this format (damaged, or another format).
    Unreadable(String),
    /// Content hcl cannot carry over: tool calls, images, other non-text parts.
    Unsupported(String),
}

impl std::fmt::Display for HistoryError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            HistoryError::Unreadable(e) => write!(f, "not a body hcl can read: {e}"),
            HistoryError::Unsupported(e) => f.write_str(e),
        }
    }
}

/// Read a logged request body of `format` back into the conversation it
/// sent: the system prompt and the user/assistant turns, format-neutral, so
/// that it can be continued with any provider. Generation parameters are
/// not carried over (the flags of the new turn give them).
pub fn parse_history(format: WireFormat, body: &str) -> Result<ChatInput, HistoryError> {
    match format {
        WireFormat::OpenAi => openai::parse_history(body),
        WireFormat::Anthropic => anthropic::parse_history(body),
        WireFormat::Gemini => gemini::parse_history(body),
        WireFormat::Bedrock => bedrock::parse_history(body),
    }
}

/// The role of a logged message with the Messages API's names (`user`,
/// `assistant`); `what` names the message for the error.
fn history_role(what: &str, role: &str) -> Result<Role, HistoryError> {
    match role {
        "user" => Ok(Role::User),
        "assistant" => Ok(Role::Assistant),
        other => Err(HistoryError::Unsupported(format!(
            "{what} has the role '{other}'"
        ))),
    }
}

/// Add a system prompt; several are joined by a blank line.
fn push_system(input: &mut ChatInput, text: String) {
    match &mut input.system {
        Some(s) => {
            s.push_str("\n\n");
            s.push_str(&text);
        }
        None => input.system = Some(text),
    }
}

/// Add a turn; two turns in a row of the same role are joined (text and
/// attachments), so that the history alternates as Anthropic and Gemini
/// require.
fn push_turn(input: &mut ChatInput, role: Role, text: String, attachments: Vec<Attachment>) {
    match input.messages.last_mut() {
        Some(last) if last.role == role => {
            if !text.is_empty() {
                if !last.content.is_empty() {
                    last.content.push_str("\n\n");
                }
                last.content.push_str(&text);
            }
            last.attachments.extend(attachments);
        }
        _ => input.messages.push(Message {
            role,
            content: text,
            attachments,
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn previews_of_every_body_shape() {
        for body in [
            r#"{"model":"m","messages":[{"role":"user","content":"hello there"}]}"#,
            r#"{"messages":[{"role":"user","content":[{"type":"text","text":"hello there"}]}]}"#,
            r#"{"schemaVersion":"messages-v1","messages":[{"role":"user","content":[{"text":"hello there"}]}]}"#,
            r#"{"contents":[{"role":"user","parts":[{"text":"hello there"}]}]}"#,
        ] {
            assert_eq!(prompt_preview(body), "hello there", "{body}");
        }
    }

    #[test]
    fn error_shapes() {
        let cases: &[(&str, &str)] = &[
            (
                r#"{"error":{"message":"Incorrect API key","type":"invalid_request_error"}}"#,
                "Incorrect API key (invalid_request_error)",
            ),
            (
                r#"{"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}"#,
                "Overloaded (overloaded_error)",
            ),
            (
                r#"{"error":{"code":400,"message":"API key not valid","status":"INVALID_ARGUMENT"}}"#,
                "API key not valid (INVALID_ARGUMENT)",
            ),
            (
                r#"{"message":"Helicone user was rate limit"}"#,
                "Helicone user was rate limit",
            ),
            (
                r#"{"error":"No API key found","trace":"isAuthenticated.error"}"#,
                "No API key found",
            ),
            (
                r#"{"success":false,"error":{"code":"request_failed","message":"boom"}}"#,
                "boom (request_failed)",
            ),
        ];
        for (body, want) in cases {
            assert_eq!(
                error_message(body.as_bytes()).as_deref(),
                Some(*want),
                "{body}"
            );
        }
        assert_eq!(error_message(b"<html>"), None);
    }

    #[test]
    fn previews_read_the_text_of_content_parts() {
        let openai = r#"{"messages":[{"role":"user","content":[{"type":"image_url","image_url":{"url":"data:image/png;base64,AAAA"}},{"type":"text","text":"What is this?"}]}]}"#;
        assert_eq!(prompt_preview(openai), "What is this?");
        let gemini = r#"{"contents":[{"role":"user","parts":[{"inlineData":{"mimeType":"image/png","data":"AAAA"}},{"text":"Describe"}]}]}"#;
        assert_eq!(prompt_preview(gemini), "Describe");
    }
}
