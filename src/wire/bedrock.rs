//! AWS Bedrock's InvokeModel, as Helicone's Bedrock route forwards it
//! (docs/helicone.md §1.5). The body is the model's own: Anthropic Claude
//! takes the Messages body with `anthropic_version: "bedrock-2023-05-31"`
//! and without `model` or `stream` (Bedrock refuses both), and Amazon Nova
//! takes its `messages-v1` schema. A stream is asked for by the path
//! (`invoke-with-response-stream`, the only thing by which Helicone tells a
//! Bedrock stream) and comes back in AWS event-stream framing: each `chunk`
//! event carries, base64 in `bytes`, one of the model's own stream events.
//!
//! Why InvokeModel and not Converse: Converse is one format for every
//! Bedrock model, but Helicone recognises a Bedrock stream only by
//! `invoke-with-response-stream` in the path, and its Bedrock stream parser
//! reads only InvokeModel `chunk` events; a Converse stream would be logged
//! by Helicone without its text, usage or time to first token.

use base64::Engine;
use serde::{Deserialize, Serialize};

use super::attach::{Limits, MIB, Measure, MediaType};
use super::event::StreamEvent;
use super::generation::{at_most, stop_count};
use super::{ChatInput, Completion, HistoryError, Refused, Role, Setting, Usage, anthropic};
use crate::eventstream::Message;

/// The `anthropic_version` Bedrock's Claude models take.
pub const ANTHROPIC_VERSION: &str = "bedrock-2023-05-31";

/// The model families hcl builds bodies for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Family {
    /// `anthropic.claude-…`
    Claude,
    /// `amazon.nova-…`
    Nova,
}

/// The family of a model id: `anthropic.claude-3-5-haiku-20241022-v1:0`,
/// a cross-region inference profile such as `us.anthropic.claude-…` or
/// `eu.amazon.nova-lite-v1:0`, or an ARN ending in one of those.
pub fn family(model: &str) -> Option<Family> {
    let id = model.rsplit('/').next().unwrap_or(model);
    let mut parts = id.splitn(3, '.');
    let (a, b, c) = (parts.next()?, parts.next()?, parts.next().unwrap_or(""));
    // A geography prefix (us, eu, apac, global, …) comes before the vendor.
    let (vendor, name) = match a {
        "anthropic" | "amazon" => (a, b),
        _ => (b, c),
    };
    match vendor {
        "anthropic" if name.starts_with("claude") => Some(Family::Claude),
        "amazon" if name.starts_with("nova") => Some(Family::Nova),
        _ => None,
    }
}

/// A model hcl can build an InvokeModel body for, or why not.
pub fn check_model(model: &str) -> Result<(), String> {
    match family(model) {
        Some(_) => Ok(()),
        None => Err(format!(
            "hcl speaks Bedrock's InvokeModel for Anthropic Claude (anthropic.claude-…) and Amazon Nova (amazon.nova-…) models, optionally with a geography prefix (us.anthropic.claude-…); '{model}' is neither"
        )),
    }
}

// ---------- settings and attachments ----------

/// What Bedrock takes inline in an InvokeModel body, for Claude and Nova
/// alike: PNG, JPEG, GIF and WebP images of at most 3.75 MB each, 20 of
/// them (Bedrock's documented image limits). PDFs are not sent: Nova's
/// InvokeModel schema has no inline document block hcl could rely on.
pub const LIMITS: Limits = Limits {
    types: &[
        MediaType::Png,
        MediaType::Jpeg,
        MediaType::Gif,
        MediaType::Webp,
    ],
    measure: Measure::File,
    image: 3_932_160,
    document: 0,
    images: 20 * MIB,
    documents: 0,
    total: 20 * MIB,
    max_images: 20,
};

/// Bedrock's ranges, per family: Claude's are Anthropic's (and so are the
/// JSON request and thinking, which go into the same Messages body);
/// Nova takes temperature and top-p from 0 to 1 and at most 4 stop
/// sequences, and hcl sends it neither a seed, a reasoning effort nor a
/// JSON request.
pub fn check(model: &str, input: &ChatInput) -> Result<(), Refused> {
    match family(model) {
        Some(Family::Nova) => {
            if let Some(t) = input.temperature {
                at_most(Setting::Temperature, t, 1.0, "Amazon Nova")?;
            }
            stop_count(input, 4, "Amazon Nova")?;
            if input.seed.is_some() {
                return Err(Refused::new(
                    Setting::Seed,
                    "Amazon Nova's InvokeModel body has no seed; drop it",
                ));
            }
            if let Some(r) = &input.response {
                let setting = match r {
                    super::ResponseFormat::JsonObject => Setting::JsonObject,
                    super::ResponseFormat::Schema(_) => Setting::Schema,
                };
                return Err(Refused::new(
                    setting,
                    "hcl asks Amazon Nova for no JSON mode; use a Claude model on Bedrock, or ask for JSON in the prompt",
                ));
            }
            if input.reasoning.is_some() {
                return Err(Refused::new(
                    Setting::MaxTokens,
                    "--reasoning is not sent to Amazon Nova's InvokeModel; drop it",
                ));
            }
            Ok(())
        }
        _ => anthropic::check(model, input),
    }
}

/// Fields only hcl sets, with the flag to use instead (`-o` refuses them).
pub const RESERVED_FIELDS: &[(&str, &str)] = &[
    ("anthropic_version", "the model id (-m)"),
    ("schemaVersion", "the model id (-m)"),
    ("messages", "the prompt"),
    ("system", "-s/--system"),
    ("model", "-m/--model (Bedrock takes it in the path)"),
    ("stream", "hcl stream (Bedrock streams by the path)"),
];

/// Fields hcl sets from a flag when it is given.
pub const FIELD_FLAGS: &[(&str, &str)] = &[
    ("max_tokens", "--max-tokens"),
    ("temperature", "--temperature"),
    ("top_p", "--top-p"),
    ("stop_sequences", "--stop"),
    ("thinking", "--reasoning"),
    ("tools", "--schema or --json-object"),
    ("tool_choice", "--schema or --json-object"),
    ("inferenceConfig.maxTokens", "--max-tokens"),
    ("inferenceConfig.temperature", "--temperature"),
    ("inferenceConfig.topP", "--top-p"),
    ("inferenceConfig.stopSequences", "--stop"),
];

// ---------- request bodies ----------

#[derive(Debug, Serialize)]
struct ClaudeRequest<'a> {
    anthropic_version: &'static str,
    #[serde(flatten)]
    body: anthropic::Messages<'a>,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
struct NovaRequest<'a> {
    schema_version: &'static str,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    system: Vec<NovaText<'a>>,
    messages: Vec<NovaMessage<'a>>,
    #[serde(skip_serializing_if = "InferenceConfig::is_empty")]
    inference_config: InferenceConfig<'a>,
}

#[derive(Debug, Serialize)]
struct NovaMessage<'a> {
    role: &'static str,
    content: Vec<NovaBlockOut<'a>>,
}

#[derive(Debug, Serialize)]
struct NovaText<'a> {
    text: &'a str,
}

/// A content block of a Nova message: text, or an image sent before it.
#[derive(Debug, Serialize)]
#[serde(untagged)]
enum NovaBlockOut<'a> {
    Text(NovaText<'a>),
    Image { image: NovaImage<'a> },
}

#[derive(Debug, Serialize)]
struct NovaImage<'a> {
    format: &'static str,
    source: NovaBytes<'a>,
}

#[derive(Debug, Serialize)]
struct NovaBytes<'a> {
    bytes: &'a str,
}

#[derive(Debug, Serialize, Default)]
#[serde(rename_all = "camelCase")]
struct InferenceConfig<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    max_tokens: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    temperature: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    top_p: Option<f64>,
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    stop_sequences: &'a [String],
}

impl InferenceConfig<'_> {
    fn is_empty(&self) -> bool {
        self.max_tokens.is_none()
            && self.temperature.is_none()
            && self.top_p.is_none()
            && self.stop_sequences.is_empty()
    }
}

/// A Nova message's blocks: its images, then its text.
fn nova_content(m: &super::Message) -> Vec<NovaBlockOut<'_>> {
    let mut blocks: Vec<NovaBlockOut<'_>> = m
        .attachments
        .iter()
        .filter(|a| a.media_type.is_image())
        .map(|a| NovaBlockOut::Image {
            image: NovaImage {
                format: match a.media_type {
                    MediaType::Png => "png",
                    MediaType::Gif => "gif",
                    MediaType::Webp => "webp",
                    MediaType::Jpeg | MediaType::Pdf => "jpeg",
                },
                source: NovaBytes { bytes: &a.data },
            },
        })
        .collect();
    if !m.content.is_empty() || blocks.is_empty() {
        blocks.push(NovaBlockOut::Text(NovaText { text: &m.content }));
    }
    blocks
}

/// The InvokeModel body for `model`. The same body asks for a stream or
/// not: the path decides, so a streamed and a plain request differ only in
/// their URL. A model of no known family gets the Claude body; the resolve
/// step refuses such a model before a body is built ([`check_model`]).
pub fn request_body(model: &str, input: &ChatInput) -> serde_json::Result<String> {
    match family(model) {
        Some(Family::Nova) => serde_json::to_string(&NovaRequest {
            schema_version: "messages-v1",
            system: input
                .system
                .as_deref()
                .map(|text| vec![NovaText { text }])
                .unwrap_or_default(),
            messages: input
                .messages
                .iter()
                .map(|m| NovaMessage {
                    role: role_name(m.role),
                    content: nova_content(m),
                })
                .collect(),
            inference_config: InferenceConfig {
                max_tokens: input.max_tokens,
                temperature: input.temperature,
                top_p: input.top_p,
                stop_sequences: &input.stop,
            },
        }),
        Some(Family::Claude) | None => serde_json::to_string(&ClaudeRequest {
            anthropic_version: ANTHROPIC_VERSION,
            body: anthropic::messages(model, input),
        }),
    }
}

fn role_name(role: Role) -> &'static str {
    match role {
        Role::User => "user",
        Role::Assistant => "assistant",
    }
}

// ---------- responses ----------

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct NovaResponse {
    output: NovaOutput,
    #[serde(default)]
    stop_reason: Option<String>,
    #[serde(default)]
    usage: Option<NovaUsage>,
}

#[derive(Debug, Deserialize)]
struct NovaOutput {
    message: NovaOutMessage,
}

#[derive(Debug, Deserialize)]
struct NovaOutMessage {
    #[serde(default)]
    content: Vec<NovaBlock>,
}

#[derive(Debug, Deserialize)]
struct NovaBlock {
    #[serde(default)]
    text: Option<String>,
}

#[derive(Debug, Deserialize, Clone, Copy)]
#[serde(rename_all = "camelCase")]
struct NovaUsage {
    #[serde(default)]
    input_tokens: Option<u64>,
    #[serde(default)]
    output_tokens: Option<u64>,
    #[serde(default)]
    total_tokens: Option<u64>,
}

impl NovaUsage {
    fn usage(self) -> Usage {
        Usage::new(self.input_tokens, self.output_tokens, self.total_tokens)
    }
}

/// Which family's answer a body is, by its shape: Nova's has `output`.
#[derive(Debug, Deserialize)]
struct Shape {
    #[serde(default)]
    output: Option<serde::de::IgnoredAny>,
}

/// A non-streamed InvokeModel answer: Claude's Messages object or Nova's
/// `output.message`.
pub fn parse(body: &[u8]) -> Result<Completion, String> {
    let shape: Shape = serde_json::from_slice(body).map_err(|e| e.to_string())?;
    if shape.output.is_none() {
        return anthropic::parse(body);
    }
    let resp: NovaResponse = serde_json::from_slice(body).map_err(|e| e.to_string())?;
    let mut out = Completion {
        finish_reason: resp.stop_reason,
        usage: resp.usage.map(NovaUsage::usage).unwrap_or_default(),
        ..Default::default()
    };
    for block in resp.output.message.content {
        if let Some(t) = block.text {
            out.text.push_str(&t);
        }
    }
    Ok(out)
}

// ---------- streams ----------

/// The payload of an InvokeModelWithResponseStream `chunk` event: the
/// model's own event, base64 (newer answers add a random-length `p` key as
/// padding, ignored).
#[derive(Debug, Deserialize)]
struct PayloadPart {
    bytes: String,
}

/// An exception's payload.
#[derive(Debug, Deserialize)]
struct ExceptionBody {
    #[serde(default)]
    message: Option<String>,
    #[serde(default, rename = "originalMessage")]
    original_message: Option<String>,
}

/// The HTTP status each of Bedrock's stream exceptions stands for (the
/// `ResponseStream` members of the Bedrock Runtime API model), so that a
/// throttled stream exits as rate limited.
pub fn exception_status(kind: &str) -> Option<u16> {
    Some(match kind {
        "throttlingException" => 429,
        "validationException" => 400,
        "modelTimeoutException" => 408,
        "modelStreamErrorException" => 424,
        "internalServerException" => 500,
        "serviceUnavailableException" => 503,
        _ => return None,
    })
}

/// A Nova stream event (the Converse vocabulary, one key per event).
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct NovaEvent {
    #[serde(default)]
    content_block_delta: Option<NovaDelta>,
    #[serde(default)]
    message_stop: Option<NovaStop>,
    #[serde(default)]
    metadata: Option<NovaMetadata>,
    #[serde(default, rename = "amazon-bedrock-invocationMetrics")]
    metrics: Option<InvocationMetrics>,
}

#[derive(Debug, Deserialize)]
struct NovaDelta {
    delta: NovaDeltaBody,
}

#[derive(Debug, Deserialize)]
struct NovaDeltaBody {
    #[serde(default)]
    text: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct NovaStop {
    #[serde(default)]
    stop_reason: Option<String>,
}

#[derive(Debug, Deserialize)]
struct NovaMetadata {
    #[serde(default)]
    usage: Option<NovaUsage>,
}

/// Bedrock's own counts, on the last event of a stream.
#[derive(Debug, Deserialize, Clone, Copy)]
#[serde(rename_all = "camelCase")]
struct InvocationMetrics {
    #[serde(default)]
    input_token_count: Option<u64>,
    #[serde(default)]
    output_token_count: Option<u64>,
}

/// Which family's stream this is, by its first event: Anthropic's events
/// have a `type`.
#[derive(Debug, Deserialize)]
struct EventShape {
    #[serde(default, rename = "type")]
    kind: Option<serde::de::IgnoredAny>,
}

/// One InvokeModelWithResponseStream answer being read.
#[derive(Debug, Default)]
pub struct StreamState {
    family: Option<Family>,
    claude: anthropic::StreamState,
}

impl StreamState {
    /// One event-stream message: a `chunk` event, or an exception.
    pub fn message(&mut self, m: &Message, out: &mut Vec<StreamEvent>) -> Result<(), String> {
        match m.header_str(":message-type") {
            Some("exception") => {
                let kind = m.header_str(":exception-type").unwrap_or("exception");
                let body: Option<ExceptionBody> = serde_json::from_slice(&m.payload).ok();
                let text = body
                    .and_then(|b| b.original_message.or(b.message))
                    .unwrap_or_else(|| "no message".to_string());
                let message = format!("{text} ({kind})");
                out.push(match exception_status(kind) {
                    Some(status) => StreamEvent::Fault { status, message },
                    None => StreamEvent::Error(message),
                });
                Ok(())
            }
            Some("event") | None => match m.header_str(":event-type") {
                Some("chunk") => self.chunk(&m.payload, out),
                // Event types InvokeModel may add later carry no text.
                _ => Ok(()),
            },
            Some(other) => Err(format!("an event-stream message of type '{other}'")),
        }
    }

    fn chunk(&mut self, payload: &[u8], out: &mut Vec<StreamEvent>) -> Result<(), String> {
        let part: PayloadPart = serde_json::from_slice(payload).map_err(|e| e.to_string())?;
        let bytes = base64::engine::general_purpose::STANDARD
            .decode(part.bytes.as_bytes())
            .map_err(|e| format!("the chunk's bytes are not base64: {e}"))?;
        let event =
            std::str::from_utf8(&bytes).map_err(|_| "the chunk is not UTF-8".to_string())?;
        let family = match self.family {
            Some(f) => f,
            None => {
                let shape: EventShape = serde_json::from_str(event).map_err(|e| e.to_string())?;
                let f = if shape.kind.is_some() {
                    Family::Claude
                } else {
                    Family::Nova
                };
                self.family = Some(f);
                f
            }
        };
        match family {
            Family::Claude => self.claude.event(event, out),
            Family::Nova => nova_event(event, out),
        }
    }

    /// How a complete stream ends, for the message when one ends early.
    pub fn end_shown(&self) -> &'static str {
        match self.family {
            Some(Family::Nova) => "its end marker (metadata)",
            _ => "its end marker (message_stop)",
        }
    }
}

/// One Nova stream event. `metadata` (with the usage) comes after
/// `messageStop`, so it, not `messageStop`, ends the stream.
fn nova_event(event: &str, out: &mut Vec<StreamEvent>) -> Result<(), String> {
    let e: NovaEvent = serde_json::from_str(event).map_err(|e| e.to_string())?;
    if let Some(text) = e.content_block_delta.and_then(|d| d.delta.text)
        && !text.is_empty()
    {
        out.push(StreamEvent::Text(text));
    }
    if let Some(reason) = e.message_stop.and_then(|s| s.stop_reason) {
        out.push(StreamEvent::Finish(reason));
    }
    let usage = e
        .metadata
        .as_ref()
        .and_then(|m| m.usage)
        .map(NovaUsage::usage)
        .or_else(|| {
            e.metrics
                .map(|m| Usage::new(m.input_token_count, m.output_token_count, None))
        });
    if let Some(u) = usage {
        out.push(StreamEvent::Usage(u));
    }
    if e.metadata.is_some() {
        out.push(StreamEvent::Done);
    }
    Ok(())
}

// ---------- conversations ----------

#[derive(Debug, Deserialize)]
struct NovaHistory {
    #[serde(default)]
    system: Vec<NovaHistoryBlock>,
    #[serde(default)]
    messages: Vec<NovaHistoryMessage>,
}

#[derive(Debug, Deserialize)]
struct NovaHistoryMessage {
    role: String,
    #[serde(default)]
    content: Vec<NovaHistoryBlock>,
}

#[derive(Debug, Deserialize)]
struct NovaHistoryBlock {
    #[serde(default)]
    text: Option<String>,
    #[serde(default)]
    image: Option<NovaHistoryImage>,
}

#[derive(Debug, Deserialize)]
struct NovaHistoryImage {
    format: String,
    source: NovaHistoryBytes,
}

#[derive(Debug, Deserialize)]
struct NovaHistoryBytes {
    bytes: String,
}

/// The text of a Nova message's blocks, and its images as attachments.
fn nova_text(
    blocks: Vec<NovaHistoryBlock>,
    what: &str,
) -> Result<(String, Vec<super::Attachment>), HistoryError> {
    let mut text = Vec::new();
    let mut images = Vec::new();
    for b in blocks {
        match (b.text, b.image) {
            (Some(t), _) => text.push(t),
            (None, Some(img)) => {
                let image = MediaType::from_mime(&format!("image/{}", img.format))
                    .and_then(|m| super::Attachment::from_base64(m, &img.source.bytes, None))
                    .ok_or_else(|| {
                        HistoryError::Unsupported(format!(
                            "{what} holds an image hcl cannot read back ({})",
                            img.format
                        ))
                    })?;
                images.push(image);
            }
            (None, None) => {
                return Err(HistoryError::Unsupported(format!(
                    "{what} holds a block that is neither text nor an image"
                )));
            }
        }
    }
    Ok((text.join("\n"), images))
}

/// A logged body read back as a conversation: Claude's is a Messages
/// body; Nova's has `schemaVersion`.
pub fn parse_history(body: &str) -> Result<ChatInput, HistoryError> {
    #[derive(Deserialize)]
    #[serde(rename_all = "camelCase")]
    struct Which {
        #[serde(default)]
        schema_version: Option<serde::de::IgnoredAny>,
    }
    let which: Which =
        serde_json::from_str(body).map_err(|e| HistoryError::Unreadable(e.to_string()))?;
    if which.schema_version.is_none() {
        return anthropic::parse_history(body);
    }
    let parsed: NovaHistory =
        serde_json::from_str(body).map_err(|e| HistoryError::Unreadable(e.to_string()))?;
    let mut input = ChatInput::default();
    if !parsed.system.is_empty() {
        let (system, _) = nova_text(parsed.system, "the system prompt")?;
        super::push_system(&mut input, system);
    }
    for (i, m) in parsed.messages.into_iter().enumerate() {
        let what = format!("message {}", i + 1);
        let role = super::history_role(&what, &m.role)?;
        let (text, images) = nova_text(m.content, &what)?;
        super::push_turn(&mut input, role, text, images);
    }
    Ok(input)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::eventstream::{EventStreamDecoder, encode};
    use crate::wire::Message as Turn;
    use crate::wire::stream::Assembler;
    use crate::wire::{FinishReason, WireFormat};

    fn input() -> ChatInput {
        ChatInput {
            system: Some("Be brief.".into()),
            messages: vec![
                Turn::text(Role::User, "hi"),
                Turn::text(Role::Assistant, "hello"),
                Turn::text(Role::User, "again"),
            ],
            temperature: Some(0.5),
            ..Default::default()
        }
    }

    #[test]
    fn families_by_id() {
        for (id, want) in [
            (
                "anthropic.claude-3-5-haiku-20241022-v1:0",
                Some(Family::Claude),
            ),
            (
                "us.anthropic.claude-sonnet-4-20250514-v1:0",
                Some(Family::Claude),
            ),
            (
                "global.anthropic.claude-sonnet-4-5-20250929-v1:0",
                Some(Family::Claude),
            ),
            ("amazon.nova-lite-v1:0", Some(Family::Nova)),
            ("eu.amazon.nova-micro-v1:0", Some(Family::Nova)),
            (
                "arn:aws:bedrock:us-east-1:123456789012:inference-profile/us.amazon.nova-pro-v1:0",
                Some(Family::Nova),
            ),
            ("amazon.titan-text-express-v1", None),
            ("meta.llama3-8b-instruct-v1:0", None),
            ("anthropic", None),
        ] {
            assert_eq!(family(id), want, "{id}");
        }
        let err = check_model("meta.llama3-8b-instruct-v1:0").unwrap_err();
        assert!(
            err.contains("anthropic.claude-") && err.contains("meta.llama3"),
            "{err}"
        );
    }

    #[test]
    fn claude_body_has_the_bedrock_version_and_no_model_or_stream() {
        let body = request_body("us.anthropic.claude-3-5-haiku-20241022-v1:0", &input()).unwrap();
        assert_eq!(
            body,
            r#"{"anthropic_version":"bedrock-2023-05-31","max_tokens":1024,"system":"Be brief.","messages":[{"role":"user","content":"hi"},{"role":"assistant","content":"hello"},{"role":"user","content":"again"}],"temperature":0.5}"#
        );
        let back = parse_history(&body).unwrap();
        assert_eq!(back.system.as_deref(), Some("Be brief."));
        assert_eq!(back.messages, input().messages);
    }

    #[test]
    fn nova_body_is_messages_v1() {
        let mut i = input();
        i.max_tokens = Some(200);
        let body = request_body("amazon.nova-lite-v1:0", &i).unwrap();
        assert_eq!(
            body,
            r#"{"schemaVersion":"messages-v1","system":[{"text":"Be brief."}],"messages":[{"role":"user","content":[{"text":"hi"}]},{"role":"assistant","content":[{"text":"hello"}]},{"role":"user","content":[{"text":"again"}]}],"inferenceConfig":{"maxTokens":200,"temperature":0.5}}"#
        );
        let back = parse_history(&body).unwrap();
        assert_eq!(back.system.as_deref(), Some("Be brief."));
        assert_eq!(back.messages, i.messages);
        let bare = ChatInput {
            messages: vec![Turn::text(Role::User, "x")],
            ..Default::default()
        };
        assert_eq!(
            request_body("amazon.nova-micro-v1:0", &bare).unwrap(),
            r#"{"schemaVersion":"messages-v1","messages":[{"role":"user","content":[{"text":"x"}]}]}"#
        );
    }

    #[test]
    fn settings_and_images_per_family() {
        use crate::wire::{Attachment, JsonSchema, ResponseFormat};
        let mut i = input();
        i.top_p = Some(0.9);
        i.stop = vec!["END".into()];
        i.messages[2]
            .attachments
            .push(Attachment::from_bytes(MediaType::Png, b"\x89PNG", None));
        let body = request_body("amazon.nova-lite-v1:0", &i).unwrap();
        let v: serde_json::Value = serde_json::from_str(&body).unwrap();
        assert_eq!(
            v["inferenceConfig"],
            serde_json::json!({"temperature": 0.5, "topP": 0.9, "stopSequences": ["END"]})
        );
        assert_eq!(
            v["messages"][2]["content"],
            serde_json::json!([{"image": {"format": "png", "source": {"bytes": "iVBORw=="}}}, {"text": "again"}])
        );
        // Read back with its image, for a conversation that moves on.
        let back = parse_history(&body).unwrap();
        assert_eq!(back.messages[2].attachments, i.messages[2].attachments);
        assert!(check("amazon.nova-lite-v1:0", &i).is_ok());

        // What Nova is not sent.
        let refused = |f: &dyn Fn(&mut ChatInput)| {
            let mut x = input();
            f(&mut x);
            check("us.amazon.nova-micro-v1:0", &x).unwrap_err().setting
        };
        assert_eq!(refused(&|x| x.seed = Some(1)), Setting::Seed);
        assert_eq!(
            refused(&|x| x.temperature = Some(1.5)),
            Setting::Temperature
        );
        assert_eq!(
            refused(&|x| x.response = Some(ResponseFormat::JsonObject)),
            Setting::JsonObject
        );
        assert_eq!(refused(&|x| x.stop = vec!["a".into(); 5]), Setting::Stop);
        assert!(refused(&|x| x.reasoning = Some(crate::wire::Effort::Low)) == Setting::MaxTokens);

        // Claude takes Anthropic's settings, in Anthropic's body.
        let mut c = input();
        c.temperature = None;
        c.response = Some(ResponseFormat::Schema(std::sync::Arc::new(JsonSchema {
            name: "person".into(),
            schema: serde_json::json!({"type": "object"}),
        })));
        let model = "anthropic.claude-3-5-haiku-20241022-v1:0";
        assert!(check(model, &c).is_ok());
        let v: serde_json::Value = serde_json::from_str(&request_body(model, &c).unwrap()).unwrap();
        assert_eq!(v["anthropic_version"], ANTHROPIC_VERSION);
        assert_eq!(
            v["tool_choice"],
            serde_json::json!({"type": "tool", "name": "person"})
        );
        assert!(v.get("model").is_none() && v.get("stream").is_none());
        c.seed = Some(3);
        assert_eq!(check(model, &c).unwrap_err().setting, Setting::Seed);
    }

    #[test]
    fn answers_of_both_families() {
        let c = parse(br#"{"id":"msg_bdrk_01","type":"message","role":"assistant","model":"claude","content":[{"type":"text","text":"Hi"}],"stop_reason":"end_turn","usage":{"input_tokens":3,"output_tokens":2}}"#).unwrap();
        assert_eq!((c.text.as_str(), c.usage.total), ("Hi", Some(5)));
        let n = parse(br#"{"output":{"message":{"role":"assistant","content":[{"text":"Hel"},{"text":"lo"}]}},"stopReason":"max_tokens","usage":{"inputTokens":4,"outputTokens":6,"totalTokens":10}}"#).unwrap();
        assert_eq!(n.text, "Hello");
        assert_eq!(n.usage, Usage::new(Some(4), Some(6), Some(10)));
        assert_eq!(
            WireFormat::Bedrock.finish_reason(n.finish_reason.as_deref().unwrap()),
            FinishReason::Length
        );
        assert!(parse(b"not json").is_err());
    }

    /// Decode an event stream and run every message through a fresh state.
    fn stream(bytes: &[u8]) -> (Vec<StreamEvent>, StreamState) {
        let mut d = EventStreamDecoder::new();
        let mut messages = Vec::new();
        d.push(bytes, &mut messages).unwrap();
        d.finish().unwrap();
        let mut s = StreamState::default();
        let mut out = Vec::new();
        for m in &messages {
            s.message(m, &mut out).unwrap();
        }
        (out, s)
    }

    fn assembled(events: &[StreamEvent]) -> Assembler {
        let mut a = Assembler::default();
        for e in events {
            a.apply(e.clone());
        }
        a
    }

    #[test]
    fn the_recorded_claude_stream() {
        let f = std::fs::read(
            std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("tests/fixtures/eventstream/bedrock-claude-3-sonnet.bin"),
        )
        .unwrap();
        let (events, state) = stream(&f);
        assert_eq!(state.end_shown(), "its end marker (message_stop)");
        assert_eq!(events.last(), Some(&StreamEvent::Done));
        let a = assembled(&events);
        let c = a.completion(WireFormat::Bedrock);
        assert_eq!(
            c.text,
            "Why did the distributed tracing span cross the road? To get to the other service!"
        );
        assert_eq!(c.finish_reason.as_deref(), Some("end_turn"));
        assert_eq!(c.usage, Usage::new(Some(16), Some(21), None));
    }

    fn chunk(event: &str) -> Vec<u8> {
        let b64 = base64::engine::general_purpose::STANDARD.encode(event);
        encode(
            &[
                (":event-type", "chunk"),
                (":content-type", "application/json"),
                (":message-type", "event"),
            ],
            format!(r#"{{"bytes":"{b64}","p":"abcdefgh"}}"#).as_bytes(),
        )
    }

    #[test]
    fn a_nova_stream_ends_at_its_metadata() {
        let mut body = Vec::new();
        for e in [
            r#"{"messageStart":{"role":"assistant"}}"#,
            r#"{"contentBlockDelta":{"delta":{"text":"On"},"contentBlockIndex":0}}"#,
            r#"{"contentBlockDelta":{"delta":{"text":" it"},"contentBlockIndex":0},"amazon-bedrock-guardrailAction":"NONE"}"#,
            r#"{"contentBlockStop":{"contentBlockIndex":0}}"#,
            r#"{"messageStop":{"stopReason":"end_turn"}}"#,
            r#"{"metadata":{"usage":{"inputTokens":30,"outputTokens":55,"cacheReadInputTokenCount":0},"metrics":{},"trace":{}},"amazon-bedrock-invocationMetrics":{"inputTokenCount":30,"outputTokenCount":55,"invocationLatency":851,"firstByteLatency":354}}"#,
        ] {
            body.extend(chunk(e));
        }
        let (events, state) = stream(&body);
        assert_eq!(state.end_shown(), "its end marker (metadata)");
        let stop = events
            .iter()
            .position(|e| *e == StreamEvent::Finish("end_turn".into()))
            .unwrap();
        assert!(
            !events[..stop].contains(&StreamEvent::Done),
            "messageStop is not the end"
        );
        assert_eq!(events.last(), Some(&StreamEvent::Done));
        let c = assembled(&events).completion(WireFormat::Bedrock);
        assert_eq!(c.text, "On it");
        assert_eq!(c.usage, Usage::new(Some(30), Some(55), None));
    }

    #[test]
    fn exceptions_stand_for_their_status() {
        let mut body = chunk(r#"{"type":"message_start","message":{"usage":{"input_tokens":3}}}"#);
        body.extend(chunk(
            r#"{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"Par"}}"#,
        ));
        body.extend(encode(
            &[
                (":exception-type", "throttlingException"),
                (":content-type", "application/json"),
                (":message-type", "exception"),
            ],
            br#"{"message":"Too many requests, please wait before trying again."}"#,
        ));
        let (events, _) = stream(&body);
        let a = assembled(&events);
        assert_eq!(a.completion(WireFormat::Bedrock).text, "Par");
        assert_eq!(a.error_status(), Some(429));
        assert_eq!(
            a.error(),
            Some("Too many requests, please wait before trying again. (throttlingException)")
        );
        let m = encode(
            &[
                (":exception-type", "modelStreamErrorException"),
                (":message-type", "exception"),
            ],
            br#"{"message":"x","originalStatusCode":500,"originalMessage":"the model failed"}"#,
        );
        let (events, _) = stream(&m);
        assert_eq!(
            events,
            [StreamEvent::Fault {
                status: 424,
                message: "the model failed (modelStreamErrorException)".into()
            }]
        );
        let odd = encode(
            &[
                (":exception-type", "newException"),
                (":message-type", "exception"),
            ],
            b"{}",
        );
        let (events, _) = stream(&odd);
        assert_eq!(
            events,
            [StreamEvent::Error("no message (newException)".into())]
        );
    }

    #[test]
    fn unreadable_chunks_are_errors() {
        let mut s = StreamState::default();
        let mut out = Vec::new();
        let not_b64 = encode(
            &[(":event-type", "chunk"), (":message-type", "event")],
            br#"{"bytes":"***"}"#,
        );
        let mut d = EventStreamDecoder::new();
        let mut ms = Vec::new();
        d.push(&not_b64, &mut ms).unwrap();
        let err = s.message(&ms[0], &mut out).unwrap_err();
        assert!(err.contains("base64"), "{err}");
    }
}
