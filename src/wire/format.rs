//! The wire formats as data: what each one's requests look like on the
//! wire beyond the body (its default API path, how a stream is asked for,
//! its key header, fixed headers) and how its stop reasons read. The
//! provider table builds on these; nothing outside `wire/` and the table
//! needs to know them.

use serde::{Deserialize, Serialize};

/// The prefixes of the rate-limit headers providers answer with, kept in the
/// log beside Helicone's own.
pub const RATE_LIMIT_HEADER_PREFIXES: &[&str] = &["x-ratelimit-", "anthropic-ratelimit-"];

/// The three request/response dialects hcl speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum WireFormat {
    /// OpenAI chat completions (and every OpenAI-compatible host).
    OpenAi,
    /// Anthropic Messages.
    Anthropic,
    /// Google generateContent (Gemini API and Vertex AI).
    Gemini,
    /// AWS Bedrock InvokeModel: the model's own body (Anthropic Claude,
    /// Amazon Nova), streamed in AWS event-stream framing.
    Bedrock,
}

impl WireFormat {
    pub const ALL: [WireFormat; 4] = [
        WireFormat::OpenAi,
        WireFormat::Anthropic,
        WireFormat::Gemini,
        WireFormat::Bedrock,
    ];

    pub fn name(self) -> &'static str {
        match self {
            WireFormat::OpenAi => "openai",
            WireFormat::Anthropic => "anthropic",
            WireFormat::Gemini => "gemini",
            WireFormat::Bedrock => "bedrock",
        }
    }

    /// The formats an upstream behind the generic gateway may speak
    /// (`-P gateway --format`): those whose requests a plain HTTP upstream
    /// takes as they are.
    pub const GENERIC: [WireFormat; 3] = [
        WireFormat::OpenAi,
        WireFormat::Anthropic,
        WireFormat::Gemini,
    ];

    /// The format of that name, in any case.
    pub fn from_name(name: &str) -> Option<WireFormat> {
        Self::ALL
            .into_iter()
            .find(|f| f.name().eq_ignore_ascii_case(name.trim()))
    }

    /// The generic format of that name (see [`WireFormat::GENERIC`]).
    pub fn generic_from_name(name: &str) -> Option<WireFormat> {
        Self::from_name(name).filter(|f| Self::GENERIC.contains(f))
    }

    /// The generic formats' names, for messages: `openai|anthropic|gemini`.
    pub fn names(sep: &str) -> String {
        Self::GENERIC.map(WireFormat::name).join(sep)
    }

    /// Why this format cannot build a request to `model`, when its body
    /// depends on the model and hcl knows no body for that one.
    pub fn check_model(self, model: &str) -> Result<(), String> {
        match self {
            WireFormat::OpenAi | WireFormat::Anthropic | WireFormat::Gemini => Ok(()),
            WireFormat::Bedrock => super::bedrock::check_model(model),
        }
    }

    /// What Helicone's cache does differently for this format, when it
    /// does: said when a replay asks for the cache.
    pub fn cache_caveat(self) -> Option<&'static str> {
        match self {
            WireFormat::OpenAi | WireFormat::Anthropic | WireFormat::Gemini => None,
            WireFormat::Bedrock => Some(
                "Helicone signs a Bedrock request (AWS SigV4, a new signature every second) before it computes its cache key, and the key includes that signature, so the hosted Helicone's cache is unlikely ever to answer HIT for Bedrock; a cached stream would also come back damaged (docs/helicone.md §1.5)",
            ),
        }
    }

    /// The API path of a request, for a row that does not name its own.
    /// `{model}` is substituted.
    pub fn default_path(self) -> &'static str {
        match self {
            WireFormat::OpenAi => "/v1/chat/completions",
            WireFormat::Anthropic => "/v1/messages",
            WireFormat::Gemini => "/v1beta/models/{model}:generateContent",
            WireFormat::Bedrock => "/model/{model}/invoke",
        }
    }

    /// The model as it goes into the `{model}` segment of a path. Google
    /// documents model names both bare and as `models/NAME`.
    pub fn model_segment(self, model: &str) -> &str {
        match self {
            WireFormat::Gemini => model.strip_prefix("models/").unwrap_or(model),
            WireFormat::OpenAi | WireFormat::Anthropic | WireFormat::Bedrock => model,
        }
    }

    /// The path of a streamed request, from the path of a plain one. OpenAI
    /// and Anthropic ask for a stream in the body; Google has its own method
    /// and wants server-sent events asked for in the query; Bedrock has its
    /// own operation, `invoke-with-response-stream` in place of `invoke`
    /// (the body stays the same).
    pub fn stream_path(self, path: String) -> String {
        match self {
            WireFormat::Gemini => {
                let mut path = path.replacen(":generateContent", ":streamGenerateContent", 1);
                path.push(if path.contains('?') { '&' } else { '?' });
                path.push_str("alt=sse");
                path
            }
            WireFormat::Bedrock => match path.strip_suffix("/invoke") {
                Some(head) => format!("{head}/invoke-with-response-stream"),
                None => path,
            },
            WireFormat::OpenAi | WireFormat::Anthropic => path,
        }
    }

    /// The header the provider key travels in, and its value prefix, for a
    /// row that does not say otherwise; `None` for a format whose rows name
    /// their own key headers.
    pub fn key_header(self) -> Option<(&'static str, &'static str)> {
        match self {
            WireFormat::OpenAi => Some(("Authorization", "Bearer ")),
            WireFormat::Anthropic => Some(("x-api-key", "")),
            WireFormat::Gemini => Some(("x-goog-api-key", "")),
            WireFormat::Bedrock => None,
        }
    }

    /// Headers every request in this format carries.
    pub fn fixed_headers(self) -> &'static [(&'static str, &'static str)] {
        match self {
            WireFormat::Anthropic => &[("anthropic-version", "2023-06-01")],
            WireFormat::OpenAi | WireFormat::Gemini | WireFormat::Bedrock => &[],
        }
    }

    /// How a streamed answer in this format is framed.
    pub fn framing(self) -> Framing {
        match self {
            WireFormat::OpenAi | WireFormat::Anthropic | WireFormat::Gemini => Framing::Sse,
            WireFormat::Bedrock => Framing::AwsEventStream,
        }
    }

    /// A model for a row that has none of its own (the generic gateway).
    pub fn default_model(self) -> &'static str {
        match self {
            WireFormat::OpenAi => "gpt-4o-mini",
            WireFormat::Anthropic => "claude-3-5-haiku-latest",
            WireFormat::Gemini => "gemini-2.0-flash",
            WireFormat::Bedrock => "anthropic.claude-3-5-haiku-20241022-v1:0",
        }
    }

    /// The path of Helicone's custom-logging endpoint for this format: the
    /// worker reads the usage and prices the request by the path it arrives
    /// on (docs/helicone.md §5.3).
    pub fn custom_log_path(self) -> &'static str {
        match self {
            WireFormat::OpenAi => "/oai/v1/log",
            WireFormat::Anthropic => "/anthropic/v1/log",
            WireFormat::Gemini => "/googleapis/v1/log",
            // No Bedrock variant is documented: the generic endpoint.
            WireFormat::Bedrock => "/custom/v1/log",
        }
    }

    /// A logged finish or stop reason in this format's words, normalised.
    pub fn finish_reason(self, raw: &str) -> FinishReason {
        match (self, raw) {
            (WireFormat::OpenAi, "stop")
            | (WireFormat::Anthropic | WireFormat::Bedrock, "end_turn" | "stop_sequence")
            | (WireFormat::Gemini, "STOP") => FinishReason::Stop,
            (WireFormat::OpenAi, "length")
            | (WireFormat::Anthropic | WireFormat::Bedrock, "max_tokens")
            | (WireFormat::Gemini, "MAX_TOKENS") => FinishReason::Length,
            (WireFormat::OpenAi, "tool_calls" | "function_call")
            | (WireFormat::Anthropic | WireFormat::Bedrock, "tool_use") => FinishReason::ToolUse,
            (WireFormat::OpenAi, "content_filter")
            | (
                WireFormat::Gemini,
                "SAFETY" | "RECITATION" | "BLOCKLIST" | "PROHIBITED_CONTENT" | "SPII",
            )
            | (WireFormat::Bedrock, "content_filtered" | "guardrail_intervened") => {
                FinishReason::Filtered
            }
            (WireFormat::Anthropic | WireFormat::Bedrock, "refusal") => FinishReason::Refusal,
            _ => FinishReason::Other,
        }
    }
}

/// How a format's streamed answer is framed on the wire.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Framing {
    /// Server-sent events (`text/event-stream`): each event's `data` is
    /// one of the format's stream events.
    Sse,
    /// AWS event stream (`application/vnd.amazon.eventstream`): binary
    /// messages with headers and a payload, each checked by two CRCs.
    AwsEventStream,
}

impl Framing {
    pub const ALL: [Framing; 2] = [Framing::Sse, Framing::AwsEventStream];

    /// The media type a request for a stream accepts.
    pub fn accept(self) -> &'static str {
        match self {
            Framing::Sse => "text/event-stream",
            Framing::AwsEventStream => "application/vnd.amazon.eventstream",
        }
    }

    /// Whether an answer's content type (lower case) is this framing.
    pub fn matches(self, content_type: &str) -> bool {
        match self {
            Framing::Sse => content_type.contains("event-stream"),
            Framing::AwsEventStream => content_type.contains("vnd.amazon.eventstream"),
        }
    }

    /// What it is called in messages.
    pub fn about(self) -> &'static str {
        match self {
            Framing::Sse => "an event stream",
            Framing::AwsEventStream => "an AWS event stream",
        }
    }

    /// Binary: a terminal should not be sent it raw (`curl --output -`).
    pub fn is_binary(self) -> bool {
        self == Framing::AwsEventStream
    }

    /// The framing whose `Accept` value this is.
    pub fn of_accept(value: &str) -> Option<Framing> {
        Self::ALL.into_iter().find(|f| f.accept() == value)
    }
}

/// Why an answer ended, the same for every format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FinishReason {
    /// The model finished, or hit a stop sequence.
    Stop,
    /// The output token limit cut it off.
    Length,
    /// It stopped to call a tool.
    ToolUse,
    /// A safety filter withheld or cut it.
    Filtered,
    /// The model declined.
    Refusal,
    /// Anything else the provider says.
    Other,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_token_limit_reads_the_same_in_every_format() {
        for (format, raw) in [
            (WireFormat::OpenAi, "length"),
            (WireFormat::Anthropic, "max_tokens"),
            (WireFormat::Gemini, "MAX_TOKENS"),
        ] {
            assert_eq!(format.finish_reason(raw), FinishReason::Length, "{raw}");
            for other in WireFormat::GENERIC.into_iter().filter(|f| *f != format) {
                assert_ne!(other.finish_reason(raw), FinishReason::Length, "{raw}");
            }
        }
        // Bedrock's models say it in Anthropic's words, Nova's too.
        assert_eq!(
            WireFormat::Bedrock.finish_reason("max_tokens"),
            FinishReason::Length
        );
        assert_eq!(
            WireFormat::Bedrock.finish_reason("content_filtered"),
            FinishReason::Filtered
        );
    }

    #[test]
    fn names_round_trip() {
        for f in WireFormat::ALL {
            assert_eq!(WireFormat::from_name(&f.name().to_uppercase()), Some(f));
        }
        assert_eq!(WireFormat::from_name("soap"), None);
    }

    #[test]
    fn generic_formats_carry_one_key_and_take_any_model() {
        assert_eq!(WireFormat::names("|"), "openai|anthropic|gemini");
        for f in WireFormat::GENERIC {
            assert_eq!(WireFormat::generic_from_name(f.name()), Some(f));
            assert!(f.key_header().is_some(), "{f:?}");
            assert!(f.check_model("any/model:v1").is_ok(), "{f:?}");
            assert_eq!(f.framing(), Framing::Sse, "{f:?}");
        }
        for f in WireFormat::ALL {
            if !WireFormat::GENERIC.contains(&f) {
                assert_eq!(WireFormat::generic_from_name(f.name()), None, "{f:?}");
            }
        }
    }

    #[test]
    fn framings() {
        for f in Framing::ALL {
            assert!(f.matches(f.accept()));
            assert_eq!(Framing::of_accept(f.accept()), Some(f));
            for other in Framing::ALL.into_iter().filter(|o| *o != f) {
                assert!(!f.matches(other.accept()), "{f:?} takes {other:?}");
            }
        }
        assert!(Framing::Sse.matches("text/event-stream; charset=utf-8"));
        assert!(Framing::AwsEventStream.is_binary() && !Framing::Sse.is_binary());
        assert_eq!(WireFormat::OpenAi.framing(), Framing::Sse);
    }

    #[test]
    fn stream_paths() {
        assert_eq!(
            WireFormat::Gemini.stream_path("/v1beta/models/g:generateContent".into()),
            "/v1beta/models/g:streamGenerateContent?alt=sse"
        );
        assert_eq!(
            WireFormat::OpenAi.stream_path("/v1/chat/completions?x=1".into()),
            "/v1/chat/completions?x=1"
        );
        assert_eq!(
            WireFormat::Bedrock.stream_path("/v1/us-east-1/model/a.b-v1%3A0/invoke".into()),
            "/v1/us-east-1/model/a.b-v1%3A0/invoke-with-response-stream"
        );
    }
}
