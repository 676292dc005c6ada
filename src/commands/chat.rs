//! `hcl chat`: one request, answer printed when complete.

use std::io::{IsTerminal, Read};

use crate::cli::{ChatArgs, ConversationArgs, RequestArgs};
use crate::conversation::{self, Conversation, TurnId, Which};
use crate::error::{Error, ExitStatus, Result};
use crate::exchange::{self, Outcome, RecordContext, Summary};
use crate::log::{self, Record};
use crate::output::Printer;
use crate::request::PreparedRequest;
use crate::settings::{self, Env, RequestSettings, ResolveContext};
use crate::transport::Client;
use crate::wire::{ChatInput, Message, Role};

/// The prompt from the arguments, with stdin standing in for a `-` argument
/// or for no arguments at all.
pub fn read_prompt(words: &[String], printer: &Printer) -> Result<String> {
    let wants_stdin = words.is_empty() || words.iter().any(|w| w == "-");
    let stdin_text = if wants_stdin {
        let stdin = std::io::stdin();
        if stdin.is_terminal() {
            if words.is_empty() {
                return Err(Error::usage(
                    "no prompt: give one as an argument (hcl chat \"…\") or pipe it on stdin",
                ));
            }
            printer.note("reading the prompt for '-' from the terminal; end it with Ctrl-D");
        }
        let mut buf = Vec::new();
        stdin
            .lock()
            .read_to_end(&mut buf)
            .map_err(|e| Error::usage(format!("cannot read the prompt from stdin: {e}")))?;
        let text = String::from_utf8(buf).map_err(|e| {
            Error::usage(format!(
                "the prompt on stdin is not UTF-8 (byte {})",
                e.utf8_error().valid_up_to()
            ))
        })?;
        Some(text.trim_end_matches(['\n', '\r']).to_string())
    } else {
        None
    };
    let prompt = if words.is_empty() {
        stdin_text.unwrap_or_default()
    } else {
        words
            .iter()
            .map(|w| {
                if w == "-" {
                    stdin_text.as_deref().unwrap_or("")
                } else {
                    w.as_str()
                }
            })
            .collect::<Vec<_>>()
            .join(" ")
    };
    if prompt.trim().is_empty() {
        return Err(Error::usage("the prompt is empty; give some text to send"));
    }
    Ok(prompt)
}

pub fn run(args: &ChatArgs, env: Env<'_>, printer: &Printer) -> Result<ExitStatus> {
    if let Some(input) = &args.batch.batch {
        if args.stream {
            return Err(Error::usage(
                "--batch writes one JSON result per line and does not stream; drop --stream",
            ));
        }
        let c = &args.conversation;
        if c.continue_last || c.conversation.is_some() || c.max_history_tokens.is_some() {
            return Err(Error::usage(
                "--batch runs independent requests; -c, --conversation and --max-history-tokens belong to a single chat",
            ));
        }
        return super::batch::run(args, input, env, printer);
    }
    run_with(args, args.stream, env, printer)
}

/// `hcl chat`; with `stream`, `hcl stream` (or `hcl chat --stream`).
pub fn run_with(
    args: &ChatArgs,
    stream: bool,
    env: Env<'_>,
    printer: &Printer,
) -> Result<ExitStatus> {
    if args.batch.batch.is_some() {
        return Err(Error::usage(
            "--batch belongs to hcl chat: run hcl chat --batch FILE",
        ));
    }
    super::batch::check_without_batch(&args.batch)?;
    let r = &args.request;
    printer.set_verbosity(r.quiet, r.verbose);
    if args.show_thinking && !stream {
        printer.warn(
            "--show-thinking applies to streamed answers only (hcl stream, hcl chat --stream)",
        );
    }
    let config = super::load_config(env, printer)?;
    let c = &args.conversation;
    let continuing = c.continue_last || c.conversation.is_some();
    if continuing && r.session.is_some() {
        return Err(Error::usage(
            "--session names the Helicone session of a new conversation; a continued conversation keeps its own (its id). Drop --session",
        ));
    }
    let offline = r.dry_run || r.curl;
    let interactive = args.prompt.is_empty() && std::io::stdin().is_terminal() && !offline;
    let earlier = if continuing {
        Some(load_conversation(c, env, printer)?)
    } else {
        None
    };
    if interactive {
        if r.json {
            return Err(Error::usage(
                "--json needs a prompt: give one as an argument or on stdin (an interactive conversation prints text)",
            ));
        }
        return super::interactive::run(args, earlier, &config, env, printer);
    }
    let prompt = read_prompt(&args.prompt, printer)?;
    let mut request_args = r.clone();
    let mut input = ChatInput::default();
    if let Some(conv) = &earlier {
        adopt_provider(&mut request_args, conv, printer);
        input = conv.history.clone();
    }
    input.messages.push(Message {
        role: Role::User,
        content: prompt.clone(),
    });
    let mut settings = settings::resolve(
        &request_args,
        ResolveContext {
            env,
            config: &config,
            input,
            stream,
            offline,
        },
    )?;
    printer.warn_all(&settings.warnings);
    // The session name is the one given, else the conversation's own, else
    // a fixed one: never anything from the prompt.
    let turn = match &earlier {
        Some(conv) => TurnPlan {
            id: conv.id.clone(),
            turn: conv.last_turn + 1,
            name: r
                .session_name
                .clone()
                .or_else(|| conv.name.clone())
                .unwrap_or_else(|| conversation::DEFAULT_NAME.to_string()),
        },
        None => TurnPlan {
            id: r
                .session
                .clone()
                .unwrap_or_else(|| settings.helicone.request_id.clone()),
            turn: 1,
            name: r
                .session_name
                .clone()
                .unwrap_or_else(|| conversation::DEFAULT_NAME.to_string()),
        },
    };
    apply_turn(
        &mut settings,
        &turn,
        r.session_path.as_deref(),
        c.max_history_tokens,
        printer,
    );
    let prepared = settings.prepare();
    if r.dry_run {
        print_dry_run(&prepared, &settings, printer)?;
        return Ok(ExitStatus::Success);
    }
    if r.curl {
        printer.line(&prepared.to_curl(&settings.creds, settings.provider.key_var()))?;
        return Ok(ExitStatus::Success);
    }
    if printer.is_verbose() {
        printer.verbose(&format!("> {} {}", prepared.method, prepared.shown_url()));
        for (k, v) in prepared.masked_headers(&settings.creds) {
            printer.verbose(&format!("> {k}: {v}"));
        }
    }
    if stream {
        return super::stream::send(&settings, &prepared, args, printer);
    }
    let outcome = send(&settings, &prepared)?;
    finish(&settings, &prepared, outcome, r.json, printer)
}

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
/// unless -P or -m say otherwise; a switch of provider converts the history.
pub fn adopt_provider(r: &mut RequestArgs, conv: &Conversation, printer: &Printer) {
    match &r.provider {
        None => {
            r.provider = Some(conv.provider.clone());
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

/// Stamp a log record with the conversation turn it is.
pub fn mark_turn(record: &mut Record, s: &RequestSettings) {
    if let Some(t) = &s.conversation {
        record.conversation = Some(t.id.clone());
        record.turn = Some(t.turn);
    }
}

/// `--dry-run`: the exact request, every secret as a fingerprint.
pub fn print_dry_run(req: &PreparedRequest, s: &RequestSettings, printer: &Printer) -> Result<()> {
    let mut out = format!("{} {}\n", req.method, req.shown_url());
    for (k, v) in req.masked_headers(&s.creds) {
        out.push_str(&format!("{k}: {v}\n"));
    }
    out.push('\n');
    out.push_str(&req.body);
    printer.line(&out)
}

/// Send on a fresh single-threaded runtime, racing Ctrl-C.
fn send(s: &RequestSettings, req: &PreparedRequest) -> Result<Outcome> {
    let client = Client::new(s.net.clone(), s.proxy.clone())?;
    let runtime = super::runtime()?;
    let peer = exchange::peer_label(s.provider.name, s.route.direct);
    Ok(runtime.block_on(async {
        tokio::select! {
            outcome = exchange::execute(&client, req, &s.creds, s.format, &peer) => outcome,
            signal = super::interrupted() => Outcome { error: Some(Error::Interrupted(signal)), ..Default::default() },
        }
    }))
}

/// Log the exchange, print the answer or the error, pick the exit status.
pub fn finish(
    s: &RequestSettings,
    req: &PreparedRequest,
    mut outcome: Outcome,
    json: bool,
    printer: &Printer,
) -> Result<ExitStatus> {
    let ctx = RecordContext {
        id: &s.record_id,
        provider: s.provider.name,
        model: &s.model,
        stream: s.stream,
        replay_of: None,
    };
    let mut record = exchange::build_record(&ctx, req, &s.creds, &outcome)?;
    mark_turn(&mut record, s);
    let mut logged = false;
    if let Some(path) = &s.log_path {
        match log::append(path, &record) {
            Ok(warning) => {
                printer.warn_all(warning.as_slice());
                logged = true;
            }
            Err(e) => printer.warn(&format!("{e}; the exchange was not logged")),
        }
    }
    if let Some(e @ Error::Interrupted(_)) = &outcome.error
        && logged
    {
        printer.note(&format!("{e}; the request is logged as {}", record.id));
    }
    print_verbose(&record, s, printer);
    let error = outcome.error.take();
    if json {
        printer.json(&Summary::of(&record))?;
    } else if let Some(c) = &outcome.completion {
        print_completion(&record, c, printer)?;
    }
    match error {
        None => Ok(ExitStatus::Success),
        Some(e) => Err(e),
    }
}

fn print_completion(record: &Record, c: &crate::wire::Completion, printer: &Printer) -> Result<()> {
    note_unshown(c, printer);
    if let Some(refusal) = &c.refusal {
        printer.warn("the model refused to answer");
        if c.text.is_empty() {
            return printer.answer(refusal);
        }
    }
    if c.blocked.is_some() && c.text.is_empty() {
        return Ok(());
    }
    if c.text.is_empty() && !c.tool_calls.is_empty() {
        for t in &c.tool_calls {
            printer.answer(&format!("tool call: {}({})", t.name, t.arguments))?;
        }
        return Ok(());
    }
    if record
        .response
        .finish_reason
        .as_deref()
        .is_some_and(|f| f == "length" || f == "max_tokens" || f == "MAX_TOKENS")
    {
        printer.warn("the answer was cut off at the token limit; raise --max-tokens for more");
    }
    printer.answer(&c.text)
}

/// Name what the answer held besides what is printed.
pub fn note_unshown(c: &crate::wire::Completion, printer: &Printer) {
    if !c.unshown.is_empty() {
        printer.note(&format!(
            "the answer also holds {}, which hcl does not show",
            c.unshown.describe().join(" and ")
        ));
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
    } else if !s.route.direct {
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
    match &s.log_path {
        Some(p) => printer.verbose(&format!("logged: {} in {}", r.id, p.display())),
        None => printer.verbose("logged: no (--no-log)"),
    }
}
