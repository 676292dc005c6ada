//! `hcl chat`: one request, answer printed when complete.

use std::io::{IsTerminal, Read};

use crate::cli::ChatArgs;
use crate::error::{Error, ExitStatus, Result};

use super::turn;
use crate::exchange::{self, Outcome, RecordContext, Summary};
use crate::output::Printer;
use crate::request::PreparedRequest;
use crate::settings::{self, Env, RequestSettings, ResolveContext};
use crate::transport::Client;
use crate::wire::{ChatInput, Completion, FinishReason, Message, Role, WireFormat};

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
        Some(turn::load_conversation(c, env, printer)?)
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
        turn::adopt_provider(&mut request_args, conv, printer);
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
    let turn = turn::TurnPlan::new(r, earlier.as_ref(), &prompt, &settings.helicone.request_id);
    turn::apply_turn(
        &mut settings,
        &turn,
        r.session_path.as_deref(),
        c.max_history_tokens,
        printer,
    );
    output(args, &settings, stream, printer)
}

/// Show the request (`--dry-run`, `--curl`) or send it, streamed or not.
fn output(
    args: &ChatArgs,
    settings: &RequestSettings,
    stream: bool,
    printer: &Printer,
) -> Result<ExitStatus> {
    let r = &args.request;
    let prepared = settings.prepare();
    if r.dry_run {
        print_dry_run(&prepared, settings, printer)?;
        return Ok(ExitStatus::Success);
    }
    if r.curl {
        printer.line(&prepared.to_curl(
            &settings.target.creds,
            &settings.target.provider.key_vars(settings.target.format),
        ))?;
        return Ok(ExitStatus::Success);
    }
    if printer.is_verbose() {
        printer.verbose(&format!("> {} {}", prepared.method, prepared.url));
        for (k, v) in prepared.masked_headers(&settings.target.creds) {
            printer.verbose(&format!("> {k}: {v}"));
        }
    }
    if stream {
        return super::stream::send(settings, &prepared, args, printer);
    }
    let outcome = send(settings, &prepared)?;
    finish(settings, &prepared, outcome, r.json, printer)
}

/// `--dry-run`: the exact request, every secret as a fingerprint.
pub fn print_dry_run(req: &PreparedRequest, s: &RequestSettings, printer: &Printer) -> Result<()> {
    let mut out = format!("{} {}\n", req.method, req.url);
    for (k, v) in req.masked_headers(&s.target.creds) {
        out.push_str(&format!("{k}: {v}\n"));
    }
    out.push('\n');
    out.push_str(&req.body);
    printer.line(&out)
}

/// Send on a fresh single-threaded runtime, racing Ctrl-C.
fn send(s: &RequestSettings, req: &PreparedRequest) -> Result<Outcome> {
    let client = Client::new(s.target.net.clone(), s.target.proxy.clone())?;
    let runtime = super::runtime()?;
    let peer = exchange::peer_label(s.target.provider.name, s.target.route.direct);
    Ok(runtime.block_on(async {
        tokio::select! {
            outcome = exchange::execute(&client, req, &s.target.creds, s.target.format, &peer) => outcome,
            () = super::ctrl_c() => Outcome { error: Some(Error::Interrupted), ..Default::default() },
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
        provider: s.target.provider.name,
        model: &s.target.model,
        format: s.target.format,
        stream: s.stream,
        replay_of: None,
    };
    let mut record = exchange::build_record(&ctx, req, &s.target.creds, &outcome)?;
    turn::mark_turn(&mut record, s);
    turn::log_exchange(s, &record, printer);
    turn::print_verbose(&record, s, printer);
    let error = outcome.error.take();
    if json {
        printer.json(&Summary::of(&record))?;
    } else if let Some(c) = &outcome.completion {
        print_completion(s.target.format, c, printer)?;
    }
    match error {
        None => Ok(ExitStatus::Success),
        Some(e) => Err(e),
    }
}

fn print_completion(format: WireFormat, c: &Completion, printer: &Printer) -> Result<()> {
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
    if c.finish_reason.as_deref().map(|f| format.finish_reason(f)) == Some(FinishReason::Length) {
        printer.warn("the answer was cut off at the token limit; raise --max-tokens for more");
    }
    printer.answer(&c.text)
}
