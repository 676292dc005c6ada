//! Conversations: many turns of one chat, each a normal log record that
//! carries `conversation` (an id, also sent as `Helicone-Session-Id`) and
//! `turn`. The request body of a turn holds the whole history it sent, so
//! the newest good turn plus its answer is the conversation so far; this
//! module rebuilds it from the log for `hcl chat -c` / `--conversation`,
//! lists conversations and renders transcripts.

use std::collections::BTreeMap;
use std::ops::ControlFlow;
use std::path::Path;

use serde::Serialize;

use crate::error::{Error, Result};
use crate::log::{self, Record};
use crate::select;
use crate::wire::{self, ChatInput, HistoryError, Message, Role, WireFormat};

/// The longest `Helicone-Session-Name` hcl derives from a prompt.
pub const MAX_NAME_CHARS: usize = 60;

/// Which conversation to continue.
#[derive(Debug, Clone, Copy)]
pub enum Which<'a> {
    /// The one with the newest turn in the log.
    Latest,
    /// An id or a unique prefix of one.
    Id(&'a str),
}

/// The conversation so far, rebuilt from the log.
#[derive(Debug, Clone)]
pub struct Conversation {
    pub id: String,
    /// The `Helicone-Session-Name` its turns were sent with.
    pub name: Option<String>,
    /// The highest turn number in the log (failed turns count).
    pub last_turn: u32,
    /// System prompt and every user/assistant turn, ending with an answer.
    pub history: ChatInput,
    /// Provider and model of the turn the history comes from.
    pub provider: String,
    pub model: String,
}

/// The id and number of the turn being sent, for its log record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TurnId {
    pub id: String,
    pub turn: u32,
}

/// A log line of some conversation: readable, or damaged.
struct Seen {
    line: usize,
    conversation: String,
    turn: Option<u32>,
    record: std::result::Result<Box<Record>, String>,
}

/// Every line of the log that belongs to a conversation, in file order.
/// A damaged line counts when its conversation id can still be read from it.
fn scan_conversations(path: &Path) -> Result<Vec<Seen>> {
    let mut seen = Vec::new();
    log::scan(path, |n, line, torn| {
        match log::parse_or_reason(line, torn) {
            Ok(r) => {
                if let (Some(c), None) = (&r.conversation, &r.replay_of) {
                    seen.push(Seen {
                        line: n,
                        conversation: c.clone(),
                        turn: r.turn,
                        record: Ok(Box::new(r)),
                    });
                }
            }
            Err(reason) => {
                let text = String::from_utf8_lossy(line);
                if let Some(c) = raw_string_field(&text, "conversation") {
                    seen.push(Seen {
                        line: n,
                        conversation: c,
                        turn: raw_number_field(&text, "turn"),
                        record: Err(reason),
                    });
                }
            }
        }
        ControlFlow::Continue(())
    })?;
    Ok(seen)
}

/// `"name":"value"` found in a damaged line (ids never hold quotes).
fn raw_string_field(text: &str, name: &str) -> Option<String> {
    let key = format!("\"{name}\":\"");
    let start = text.rfind(&key)? + key.len();
    let end = text[start..].find('"')?;
    let v = &text[start..start + end];
    (!v.is_empty() && !v.contains('\\')).then(|| v.to_string())
}

fn raw_number_field(text: &str, name: &str) -> Option<u32> {
    let key = format!("\"{name}\":");
    let start = text.rfind(&key)? + key.len();
    let digits: String = text[start..]
        .chars()
        .take_while(char::is_ascii_digit)
        .collect();
    digits.parse().ok()
}

/// Resolve `which` against the conversations in the log: its id.
fn resolve_id(seen: &[Seen], which: Which<'_>) -> Result<String> {
    match which {
        Which::Latest => seen.last().map(|s| s.conversation.clone()).ok_or_else(|| {
            Error::usage(
                "no conversation in the request log to continue; start one with hcl chat \"…\" (or hcl chat on a terminal)",
            )
        }),
        Which::Id(prefix) => {
            let prefix = prefix.trim();
            if prefix.is_empty() {
                return Err(Error::usage("--conversation is empty; give an id from hcl log conversations"));
            }
            let mut ids: Vec<&str> = Vec::new();
            for s in seen {
                if s.conversation.starts_with(prefix) && !ids.contains(&s.conversation.as_str()) {
                    ids.push(&s.conversation);
                }
            }
            match ids.as_slice() {
                [] => Err(Error::usage(format!(
                    "no conversation has an id starting '{prefix}'; see hcl log conversations"
                ))),
                [one] => Ok((*one).to_string()),
                many => match many.iter().find(|id| **id == prefix) {
                    Some(id) => Ok((*id).to_string()),
                    None => Err(Error::usage(format!(
                        "the conversation id prefix '{prefix}' is ambiguous: it matches {} conversations ({}…); give more characters",
                        many.len(),
                        many.iter()
                            .take(3)
                            .map(|id| id.get(..12).unwrap_or(id))
                            .collect::<Vec<_>>()
                            .join(", ")
                    ))),
                },
            }
        }
    }
}

/// The wire format a logged record was sent in, as its record says.
fn record_format(r: &Record) -> std::result::Result<WireFormat, HistoryError> {
    r.format.ok_or_else(|| {
        HistoryError::Unreadable(format!(
            "its record names no wire format and an unknown provider '{}'",
            r.provider
        ))
    })
}

/// The history a record sent, plus its answer.
fn history_of(r: &Record) -> std::result::Result<ChatInput, HistoryError> {
    let format = record_format(r)?;
    let mut input = wire::parse_history(format, r.request.body.get())?;
    if !r.response.tool_calls.is_empty() {
        return Err(HistoryError::Unsupported(
            "its answer holds tool calls".to_string(),
        ));
    }
    input
        .messages
        .push(Message::text(Role::Assistant, r.response.text.clone()));
    Ok(input)
}

fn turn_label(s: &Seen) -> String {
    s.turn
        .map_or_else(|| format!("line {}", s.line), |t| format!("turn {t}"))
}

/// Rebuild a conversation from the log: the newest turn that succeeded and
/// whose history hcl can read. Every newer turn passed over is named in a
/// warning (damaged) or a note (failed), with what it loses.
pub fn load(path: &Path, which: Which<'_>) -> Result<(Conversation, Vec<String>)> {
    let seen = scan_conversations(path)?;
    let id = resolve_id(&seen, which)?;
    let mine: Vec<&Seen> = seen.iter().filter(|s| s.conversation == id).collect();
    let last_turn = mine.iter().filter_map(|s| s.turn).max().unwrap_or(0);
    let mut warnings = Vec::new();
    let mut name = None;
    for s in mine.iter().rev() {
        let r = match &s.record {
            Err(reason) => {
                warnings.push(format!(
                    "{} of conversation {} is damaged in {} (line {}: {reason}); its prompt and answer are lost",
                    turn_label(s),
                    short(&id),
                    path.display(),
                    s.line
                ));
                continue;
            }
            Ok(r) => r,
        };
        if name.is_none() {
            name = r
                .request
                .headers
                .get("Helicone-Session-Name")
                .map(str::to_string);
        }
        if !select::is_ok(r) {
            warnings.push(format!(
                "{} of conversation {} failed ({}); it is left out of the history",
                turn_label(s),
                short(&id),
                r.error.as_deref().unwrap_or("no answer")
            ));
            continue;
        }
        match history_of(r) {
            Ok(history) => {
                return Ok((
                    Conversation {
                        id,
                        name,
                        last_turn,
                        history,
                        provider: r.provider.clone(),
                        model: r.model.clone(),
                    },
                    warnings,
                ));
            }
            Err(HistoryError::Unsupported(reason)) => {
                let turn = turn_label(s);
                // Content hcl cannot carry is in every later turn too:
                // refuse rather than drop it quietly.
                {
                    return Err(Error::usage(format!(
                        "conversation {} cannot be continued: {turn} ({} {}) holds content hcl cannot carry over: {reason}",
                        short(&id),
                        r.provider,
                        r.model
                    )));
                }
            }
            Err(reason) => {
                warnings.push(format!(
                    "{} of conversation {} could not be read back ({reason}); its prompt and answer are lost",
                    turn_label(s),
                    short(&id)
                ));
            }
        }
    }
    Err(Error::usage(format!(
        "conversation {} has no turn that succeeded and can be read back from {}; start a new one",
        short(&id),
        path.display()
    )))
}

/// The first 8 characters of an id, for messages.
pub fn short(id: &str) -> &str {
    id.get(..8).unwrap_or(id)
}

/// Rough token count: about four characters a token.
pub fn estimate_tokens(input: &ChatInput) -> u64 {
    let chars: usize = input.system.as_deref().map_or(0, |s| s.chars().count())
        + input
            .messages
            .iter()
            .map(|m| m.content.chars().count())
            .sum::<usize>();
    (chars as u64).div_ceil(4)
}

/// Drop the oldest turns (a user message and its answer each) until the
/// estimate is at most `max`; never the system prompt, never the newest
/// user message. Returns how many turns were dropped.
pub fn trim_history(input: &mut ChatInput, max: u64) -> usize {
    let mut dropped = 0;
    while estimate_tokens(input) > max && input.messages.len() > 1 {
        // The oldest turn: a user message and the answers up to the next one.
        let mut end = 1;
        while end < input.messages.len() - 1 && input.messages[end].role == Role::Assistant {
            end += 1;
        }
        if end >= input.messages.len() {
            break;
        }
        input.messages.drain(..end);
        dropped += 1;
    }
    dropped
}

/// A `Helicone-Session-Name` from a prompt: its first words, on one line,
/// at most [`MAX_NAME_CHARS`] characters.
pub fn name_from_prompt(prompt: &str) -> String {
    let mut out = String::new();
    for word in prompt.split_whitespace() {
        let word: String = word.chars().filter(|c| !c.is_control()).collect();
        if word.is_empty() {
            continue;
        }
        let extra = usize::from(!out.is_empty()) + word.chars().count();
        if out.chars().count() + extra > MAX_NAME_CHARS {
            if out.is_empty() {
                out = word.chars().take(MAX_NAME_CHARS).collect();
            }
            break;
        }
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(&word);
    }
    if out.is_empty() {
        out.push_str("hcl conversation");
    }
    out
}

/// One turn of a transcript.
#[derive(Debug, Clone, Serialize)]
pub struct TranscriptTurn {
    pub turn: u32,
    pub provider: String,
    pub model: String,
    pub ts: String,
    pub user: String,
    /// The answer; `None` when the turn failed.
    pub assistant: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

/// A conversation as a reader sees it.
#[derive(Debug, Clone, Serialize)]
pub struct Transcript {
    pub id: String,
    pub name: Option<String>,
    pub system: Option<String>,
    pub turns: Vec<TranscriptTurn>,
}

impl Transcript {
    /// Markdown: a heading, the system prompt quoted, each turn's prompt and answer.
    pub fn markdown(&self) -> String {
        let mut out = format!(
            "# {}\n\nConversation `{}` (Helicone session id)\n",
            self.name.as_deref().unwrap_or("Conversation"),
            self.id
        );
        if let Some(s) = &self.system {
            out.push_str("\n**System:**\n\n");
            for line in s.lines() {
                out.push_str(&format!("> {line}\n"));
            }
        }
        for t in &self.turns {
            out.push_str(&format!(
                "\n## Turn {} ({} {})\n\n**You:**\n\n{}\n\n",
                t.turn,
                t.provider,
                t.model,
                t.user.trim_end()
            ));
            match (&t.assistant, &t.error) {
                (Some(a), None) => out.push_str(&format!("**Assistant:**\n\n{}\n", a.trim_end())),
                (Some(a), Some(e)) => {
                    out.push_str(&format!("**Assistant** ({e}):\n\n{}\n", a.trim_end()))
                }
                (None, e) => out.push_str(&format!(
                    "*No answer: {}*\n",
                    e.as_deref().unwrap_or("failed")
                )),
            }
        }
        out
    }
}

/// The transcript of a conversation from the log: every turn in order, its
/// prompt (the newest user message it sent) and its answer. Damaged lines
/// are named in the warnings.
pub fn transcript(path: &Path, which: Which<'_>) -> Result<(Transcript, Vec<String>)> {
    let seen = scan_conversations(path)?;
    let id = resolve_id(&seen, which)?;
    let mut warnings = Vec::new();
    let mut out = Transcript {
        id: id.clone(),
        name: None,
        system: None,
        turns: Vec::new(),
    };
    for s in seen.iter().filter(|s| s.conversation == id) {
        let r = match &s.record {
            Ok(r) => r,
            Err(reason) => {
                warnings.push(format!(
                    "{}:{}: {} is damaged and left out: {reason}",
                    path.display(),
                    s.line,
                    turn_label(s)
                ));
                continue;
            }
        };
        if let Some(n) = r.request.headers.get("Helicone-Session-Name") {
            out.name = Some(n.to_string());
        }
        let sent = record_format(r).and_then(|f| wire::parse_history(f, r.request.body.get()));
        let sent = match sent {
            Ok(h) => h,
            Err(reason) => {
                warnings.push(format!(
                    "{}:{}: {} could not be read back ({reason})",
                    path.display(),
                    s.line,
                    turn_label(s)
                ));
                continue;
            }
        };
        if sent.system.is_some() {
            out.system = sent.system.clone();
        }
        let user = sent
            .messages
            .iter()
            .rev()
            .find(|m| m.role == Role::User)
            .map(|m| m.content.clone())
            .unwrap_or_default();
        let ok = select::is_ok(r);
        let answered = ok || !r.response.text.is_empty();
        out.turns.push(TranscriptTurn {
            turn: s.turn.unwrap_or(0),
            provider: r.provider.clone(),
            model: r.model.clone(),
            ts: r.ts.clone(),
            user,
            assistant: answered.then(|| r.response.text.clone()),
            error: r
                .error
                .clone()
                .or_else(|| (!ok).then(|| format!("status {}", r.response.status.unwrap_or(0)))),
        });
    }
    Ok((out, warnings))
}

/// One row of `hcl log conversations`.
#[derive(Debug, Clone, Serialize)]
pub struct Summary {
    pub id: String,
    pub name: Option<String>,
    pub turns: u32,
    pub first_prompt: String,
    pub providers: Vec<String>,
    pub model: String,
    pub last_activity: String,
}

/// Every conversation in the log, least recently active first.
pub fn list(path: &Path) -> Result<(Vec<Summary>, Vec<String>)> {
    let seen = scan_conversations(path)?;
    let mut warnings = Vec::new();
    let mut by_id: BTreeMap<String, Summary> = BTreeMap::new();
    let mut order: Vec<String> = Vec::new();
    for s in &seen {
        let r = match &s.record {
            Ok(r) => r,
            Err(reason) => {
                warnings.push(format!(
                    "{}:{}: skipped ({} of conversation {}): {reason}",
                    path.display(),
                    s.line,
                    turn_label(s),
                    short(&s.conversation)
                ));
                continue;
            }
        };
        let entry = by_id
            .entry(s.conversation.clone())
            .or_insert_with(|| Summary {
                id: s.conversation.clone(),
                name: None,
                turns: 0,
                first_prompt: wire::prompt_preview(r.request.body.get()),
                providers: Vec::new(),
                model: String::new(),
                last_activity: String::new(),
            });
        entry.turns = entry.turns.max(s.turn.unwrap_or(0));
        if entry.name.is_none() {
            entry.name = r
                .request
                .headers
                .get("Helicone-Session-Name")
                .map(str::to_string);
        }
        if !entry.providers.contains(&r.provider) {
            entry.providers.push(r.provider.clone());
        }
        entry.model = r.model.clone();
        entry.last_activity = r.ts.clone();
        order.retain(|id| id != &s.conversation);
        order.push(s.conversation.clone());
    }
    let rows = order.iter().filter_map(|id| by_id.remove(id)).collect();
    Ok((rows, warnings))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn msg(role: Role, content: &str) -> Message {
        Message::text(role, content)
    }

    #[test]
    fn names_are_one_short_line() {
        assert_eq!(
            name_from_prompt("  What is\n Helicone?  "),
            "What is Helicone?"
        );
        let long = "word ".repeat(40);
        let n = name_from_prompt(&long);
        assert!(
            n.chars().count() <= MAX_NAME_CHARS && n.starts_with("word word"),
            "{n}"
        );
        assert_eq!(
            name_from_prompt(&"x".repeat(100)).chars().count(),
            MAX_NAME_CHARS
        );
        assert_eq!(name_from_prompt("\u{7}"), "hcl conversation");
    }

    #[test]
    fn trimming_drops_whole_old_turns_only() {
        let mut input = ChatInput {
            system: Some("s".repeat(40)),
            messages: vec![
                msg(Role::User, &"a".repeat(400)),
                msg(Role::Assistant, &"b".repeat(400)),
                msg(Role::User, &"c".repeat(40)),
                msg(Role::Assistant, &"d".repeat(40)),
                msg(Role::User, &"e".repeat(40)),
            ],
            ..Default::default()
        };
        assert_eq!(trim_history(&mut input, 1000), 0);
        assert_eq!(trim_history(&mut input, 100), 1);
        assert_eq!(input.messages.len(), 3);
        assert_eq!(input.messages[0].content, "c".repeat(40));
        // Nothing can go below the newest prompt and the system prompt.
        assert_eq!(trim_history(&mut input, 1), 1);
        assert_eq!(input.messages.len(), 1);
        assert!(input.system.is_some());
        assert_eq!(trim_history(&mut input, 1), 0);
    }

    #[test]
    fn damaged_lines_still_name_their_conversation() {
        let line = r#"{"v":1,"id":"x","conversation":"abc-123","turn":4,"request":{"body":{"mess"#;
        assert_eq!(
            raw_string_field(line, "conversation").as_deref(),
            Some("abc-123")
        );
        assert_eq!(raw_number_field(line, "turn"), Some(4));
        assert_eq!(raw_string_field("{\"v\":1", "conversation"), None);
    }

    #[test]
    fn histories_read_back_for_every_format() {
        let input = ChatInput {
            system: Some("Be brief.".into()),
            messages: vec![
                msg(Role::User, "hi"),
                msg(Role::Assistant, "hello"),
                msg(Role::User, "more"),
            ],
            max_tokens: Some(50),
            temperature: Some(0.5),
            ..Default::default()
        };
        for format in [
            WireFormat::OpenAi,
            WireFormat::Anthropic,
            WireFormat::Gemini,
        ] {
            let body = wire::build_body(
                format,
                "m",
                &input,
                true,
                wire::Dialect {
                    stream_usage: true,
                    max_completion_tokens: true,
                },
            );
            let back = wire::parse_history(format, &body).unwrap();
            assert_eq!(back.system, input.system, "{format:?}");
            assert_eq!(back.messages, input.messages, "{format:?}");
        }
        let tool = r#"{"messages":[{"role":"user","content":"x"},{"role":"assistant","content":null,"tool_calls":[{"id":"1"}]}]}"#;
        assert!(
            wire::parse_history(WireFormat::OpenAi, tool)
                .unwrap_err()
                .to_string()
                .contains("tool calls")
        );
        let image = r#"{"messages":[{"role":"user","content":[{"type":"image","source":{"type":"url","url":"https://x"}}]}]}"#;
        assert!(
            wire::parse_history(WireFormat::Anthropic, image)
                .unwrap_err()
                .to_string()
                .contains("image")
        );
        let inline = r#"{"contents":[{"role":"user","parts":[{"fileData":{}}]}]}"#;
        assert!(
            wire::parse_history(WireFormat::Gemini, inline)
                .unwrap_err()
                .to_string()
                .contains("fileData")
        );
        let url = r#"{"messages":[{"role":"user","content":[{"type":"image_url","image_url":{"url":"https://x/a.png"}}]}]}"#;
        assert!(
            wire::parse_history(WireFormat::OpenAi, url)
                .unwrap_err()
                .to_string()
                .contains("by URL")
        );
    }

    /// Images and PDFs read back from every format's body and convert to
    /// every other: a conversation moves between providers with them.
    #[test]
    fn attachments_read_back_and_convert() {
        use crate::wire::{Attachment, MediaType};
        let image = Attachment::from_bytes(MediaType::Png, b"png bytes", Some("a.png".into()));
        let pdf = Attachment::from_bytes(MediaType::Pdf, b"%PDF-1.4", Some("d/b.pdf".into()));
        let mut first = msg(Role::User, "what are these?");
        first.attachments = vec![image, pdf];
        let mut only_image = msg(Role::User, "");
        only_image.attachments = vec![first.attachments[0].clone()];
        let input = ChatInput {
            messages: vec![
                first,
                msg(Role::Assistant, "a picture and a paper"),
                only_image,
            ],
            ..Default::default()
        };
        let dialect = wire::Dialect::default();
        let strip = |mut m: Message| {
            for a in &mut m.attachments {
                a.name = None;
            }
            m
        };
        for from in WireFormat::ALL {
            let body = wire::build_body(from, "m", &input, false, dialect);
            let back = wire::parse_history(from, &body).unwrap();
            assert_eq!(
                back.messages
                    .clone()
                    .into_iter()
                    .map(strip)
                    .collect::<Vec<_>>(),
                input
                    .messages
                    .clone()
                    .into_iter()
                    .map(strip)
                    .collect::<Vec<_>>(),
                "{from:?}: {body}"
            );
            for to in WireFormat::ALL {
                let again = wire::build_body(to, "m", &back, false, dialect);
                let twice = wire::parse_history(to, &again).unwrap();
                assert_eq!(twice.messages.len(), 3, "{from:?} -> {to:?}");
                assert_eq!(twice.messages[0].attachments.len(), 2, "{from:?} -> {to:?}");
            }
        }
        let openai = wire::build_body(WireFormat::OpenAi, "m", &input, false, dialect);
        let back = wire::parse_history(WireFormat::OpenAi, &openai).unwrap();
        assert_eq!(
            back.messages[0].attachments[1].name.as_deref(),
            Some("b.pdf")
        );
    }
}
