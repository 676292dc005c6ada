//! What every conversation turn shares, whether `hcl chat` prints it
//! whole, `hcl stream` prints it token by token, or the interactive mode
//! sends it: finding the conversation it continues, making the request a
//! Helicone session turn, logging the exchange, and `-v`.

use crate::cli::{ConversationArgs, RequestArgs};
use crate::conversation::{self, Conversation, TurnId, Which};
use crate::error::{Error, Result};
use crate::exchange::Outcome;
use crate::log::{self, Record};
use crate::output::Printer;
use crate::settings::{self, Config, Env, RequestSettings};

/// The conversation `-c` / `--conversation ID` names, rebuilt from the log;
/// what was passed over is said on stderr.
pub fn load_conversation(
    c: &ConversationArgs,
    env: Env<'_>,
    printer: &Printer,
) -> Result<Conversation> {
    let path = log::default_path(env)?;
    let which = match &c.conversation {
        Some(id) => Which::Id(id),
        None => Which::Latest,
    };
    let (conv, warnings) = conversation::load(&path, which)?;
    printer.warn_all(&warnings);
    Ok(conv)
}

/// A continued conversation keeps the provider and model of its last turn
/// unless -P or -m say otherwise (a model that names its provider, by its
/// family, prefix or alias, moves the conversation there); a switch of
/// provider converts the history.
pub fn adopt_provider(
    r: &mut RequestArgs,
    conv: &Conversation,
    config: &Config,
    printer: &Printer,
) {
    match &r.provider {
        None => {
            let named = r
                .model
                .as_deref()
                .map(|m| settings::model_provider(config, m))
                .unwrap_or_default();
            match named.first() {
                Some(p) if !named.iter().any(|n| n.eq_ignore_ascii_case(&conv.provider)) => {
                    printer.note(&format!(
                        "conversation {} continues on {p} (it was on {}); its history is converted",
                        conversation::short(&conv.id),
                        conv.provider
                    ));
                }
                _ => r.provider = Some(conv.provider.clone()),
            }
            if r.model.is_none() {
                r.model = Some(conv.model.clone());
            }
        }
        Some(p) if *p != conv.provider => printer.note(&format!(
            "conversation {} continues on {p} (it was on {}); its history is converted",
            conversation::short(&conv.id),
            conv.provider
        )),
        Some(_) => {
            if r.model.is_none() {
                r.model = Some(conv.model.clone());
            }
        }
    }
}

/// Which conversation turn a request is.
pub struct TurnPlan {
    pub id: String,
    pub turn: u32,
    /// The `Helicone-Session-Name`.
    pub name: String,
}

impl TurnPlan {
    /// The next turn of `earlier`, or the first turn of a new conversation
    /// whose id is `--session` or else the request's own id.
    pub fn new(
        r: &RequestArgs,
        earlier: Option<&Conversation>,
        prompt: &str,
        request_id: &str,
    ) -> TurnPlan {
        match earlier {
            Some(conv) => TurnPlan {
                id: conv.id.clone(),
                turn: conv.last_turn + 1,
                name: r
                    .session_name
                    .clone()
                    .or_else(|| conv.name.clone())
                    .unwrap_or_else(|| {
                        conversation::name_from_prompt(
                            conv.history
                                .messages
                                .first()
                                .map_or(prompt, |m| m.content.as_str()),
                        )
                    }),
            },
            None => TurnPlan {
                id: r.session.clone().unwrap_or_else(|| request_id.to_string()),
                turn: 1,
                name: r
                    .session_name
                    .clone()
                    .unwrap_or_else(|| conversation::name_from_prompt(prompt)),
            },
        }
    }
}

/// Make `s` a turn of a conversation: the Helicone session headers, the
/// log record's conversation and turn, and the history within
/// `max_history_tokens` (the oldest turns dropped, with a note).
pub fn apply_turn(
    s: &mut RequestSettings,
    plan: &TurnPlan,
    session_path: Option<&str>,
    max_history_tokens: Option<u64>,
    printer: &Printer,
) {
    if let Some(max) = max_history_tokens {
        let before = conversation::estimate_tokens(&s.input);
        let dropped = conversation::trim_history(&mut s.input, max);
        let after = conversation::estimate_tokens(&s.input);
        if dropped > 0 {
            printer.note(&format!(
                "dropped the {dropped} oldest turn{} of the history (about {before} → {after} tokens) to stay within --max-history-tokens {max}",
                if dropped == 1 { "" } else { "s" }
            ));
        }
        if after > max {
            printer.note(&format!(
                "the request is still about {after} tokens, over --max-history-tokens {max}: the system prompt and the newest prompt are never dropped"
            ));
        }
    }
    s.helicone.session_id = Some(plan.id.clone());
    s.helicone.session_path =
        Some(session_path.map_or_else(|| format!("/turn-{}", plan.turn), str::to_string));
    s.helicone.session_name = Some(plan.name.clone());
    s.conversation = Some(TurnId {
        id: plan.id.clone(),
        turn: plan.turn,
    });
}

/// Stamp a log record with the conversation turn it is and the files it
/// attached.
pub fn mark_turn(record: &mut Record, s: &RequestSettings) {
    if let Some(t) = &s.conversation {
        record.conversation = Some(t.id.clone());
        record.turn = Some(t.turn);
    }
    record.attachments.clone_from(&s.files);
}

/// Append the exchange to the log, unless `--no-log`; a failure to log is
/// said, not fatal. Whether it was logged.
pub fn log_exchange(s: &RequestSettings, record: &Record, printer: &Printer) -> bool {
    let Some(path) = &s.target.log_path else {
        return false;
    };
    match log::append(path, record) {
        Ok(()) => true,
        Err(e) => {
            printer.warn(&format!("{e}; the exchange was not logged"));
            false
        }
    }
}

pub fn print_verbose(r: &Record, s: &RequestSettings, printer: &Printer) {
    if !printer.is_verbose() {
        return;
    }
    let h = &r.helicone;
    let Some(status) = r.response.status else {
        printer.verbose("< no response");
        return;
    };
    printer.verbose(&format!(
        "< status {status}, latency {}",
        r.latency_ms.map_or("-".into(), |ms| format!("{ms} ms")),
    ));
    printer.verbose(&format!(
        "helicone-id: {}",
        h.id.as_deref().unwrap_or("(none)")
    ));
    if let Some(c) = &h.cache {
        let bucket = h
            .bucket_idx
            .map(|b| format!(", bucket {b}"))
            .unwrap_or_default();
        let saved = h
            .cache_latency_ms
            .map(|ms| format!(", original latency {ms} ms"))
            .unwrap_or_default();
        printer.verbose(&format!("cache: {c}{bucket}{saved}"));
    } else if !s.target.route.direct {
        printer.verbose("cache: off");
    }
    if !h.rate_limit.is_empty() {
        printer.verbose(&format!("rate limit: {}", h.rate_limit_summary()));
    }
    if let Some(g) = &h.gateway_provider {
        printer.verbose(&format!(
            "gateway: provider {g}, model {}, mode {}",
            h.gateway_model.as_deref().unwrap_or("?"),
            h.gateway_mode.as_deref().unwrap_or("?")
        ));
    }
    let u = &r.response.usage;
    if u.total.is_some() {
        printer.verbose(&format!(
            "usage: {} in, {} out, {} total",
            u.input.map_or("?".into(), |n| n.to_string()),
            u.output.map_or("?".into(), |n| n.to_string()),
            u.total.map_or("?".into(), |n| n.to_string())
        ));
    }
    match &s.target.log_path {
        Some(p) => printer.verbose(&format!("logged: {} in {}", r.id, p.display())),
        None => printer.verbose("logged: no (--no-log)"),
    }
}

/// A JSON answer (`--json-object`, `--schema`) taken out and checked; one
/// that fails is an error of the exchange (exit 1), logged as such.
pub fn check_answer(s: &RequestSettings, outcome: &mut Outcome) {
    let Some(c) = outcome.completion.as_mut() else {
        return;
    };
    if let Err(e) = s.check_answer(c)
        && outcome.error.is_none()
    {
        outcome.error = Some(Error::Protocol(e));
    }
}
