//! The one vocabulary every format's stream is read into: what each wire
//! module's state machine emits, and what a printer shows as it arrives.

use super::Usage;

/// One step of a streamed answer, the same for every wire format.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StreamEvent {
    /// Answer text.
    Text(String),
    /// Reasoning text (Anthropic `thinking_delta`, Gemini thought summaries).
    Thinking(String),
    /// The model's refusal text (OpenAI `refusal` deltas).
    Refusal(String),
    /// A tool call starts, or a fragment of its arguments arrives. `index`
    /// identifies the call; `id` and `name` come once, `arguments` are appended.
    ToolCall {
        index: usize,
        id: Option<String>,
        name: Option<String>,
        arguments: String,
    },
    /// The token counts so far; replaces any earlier counts.
    Usage(Usage),
    /// A finish or stop reason; a later one replaces an earlier one.
    Finish(String),
    /// The answer was withheld by a safety filter (Gemini `promptFeedback`).
    Blocked(String),
    /// The provider reported an error inside a stream that began with 200.
    Error(String),
    /// Parts of the answer hcl does not show (other choices, Gemini code
    /// execution and inline data), to be named.
    Unshown(super::Unshown),
    /// The provider reported an error inside a stream that began with 200,
    /// with the HTTP status it stands for (an AWS event-stream exception:
    /// `throttlingException` is 429), so it maps to the exit code that
    /// status would.
    Fault { status: u16, message: String },
    /// The stream's own end marker (`[DONE]`, `message_stop`).
    Done,
}

impl StreamEvent {
    /// Whether this is model output: the first one marks the time to first token.
    pub fn is_token(&self) -> bool {
        matches!(
            self,
            StreamEvent::Text(_)
                | StreamEvent::Thinking(_)
                | StreamEvent::Refusal(_)
                | StreamEvent::ToolCall { .. }
        )
    }

    /// The text to show as it arrives, if any.
    pub fn delta(&self) -> Option<Delta<'_>> {
        match self {
            StreamEvent::Text(t) => Some(Delta::Text(t)),
            StreamEvent::Thinking(t) => Some(Delta::Thinking(t)),
            StreamEvent::Refusal(t) => Some(Delta::Refusal(t)),
            _ => None,
        }
    }
}

/// Text to show the moment it is decoded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Delta<'a> {
    Text(&'a str),
    Thinking(&'a str),
    Refusal(&'a str),
    /// Everything decoded from the bytes received so far has been delivered:
    /// show it now. Sent once per network read that produced deltas, so a
    /// printer can write the deltas of one read together and flush once.
    Flush,
}
