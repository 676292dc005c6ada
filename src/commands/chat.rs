//! `hcl chat`: one request, answer printed when complete.

use std::io::IsTerminal;

use crate::cli::ChatArgs;
use crate::error::{Error, ExitStatus, Result};

use super::turn;
use crate::exchange::{self, Outcome, RecordContext, Summary};
use crate::output::Printer;
use crate::request::PreparedRequest;
use crate::settings::{self, Env, RequestSettings, ResolveContext};
use crate::transport::Client;
use crate::wire::{ChatInput, Completion, FinishReason, WireFormat};

pub fn run(args: &ChatArgs, env: Env<'_>, printer: &Printer) -> Result<ExitStatus> {
    if let Some(input) = &args.batch.batch {
        if args.stream {
            return Err(Error::usage(
                "--batch writes one JSON result per line and does not stream; drop --stream",
            ));
        }
        if args.compose.edit || args.compose.save.is_some() || args.no_stream {
            return Err(Error::usage(
                "--batch reads its prompts from the file; -e, --save and --no-stream belong to a single chat",
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
    let mut request_args = r.clone();
    let template = match &r.template {
        Some(name) => {
            let (t, path) = settings::load_template(name)?;
            t.apply(name, &path, &mut request_args)?;
            Some(t)
        }
        None => None,
    };
    if let Some(name) = &args.compose.save {
        return save_template(args, &request_args, name, printer);
    }
    let c = &args.conversation;
    let continuing = c.continue_last || c.conversation.is_some();
    if continuing && r.session.is_some() {
        return Err(Error::usage(
            "--session names the Helicone session of a new conversation; a continued conversation keeps its own (its id). Drop --session",
        ));
    }
    let offline = r.dry_run || r.curl;
    let template_prompt = template.as_ref().is_some_and(|t| t.prompt.is_some());
    let interactive = args.prompt.is_empty()
        && std::io::stdin().is_terminal()
        && !offline
        && !args.compose.edit
        && !template_prompt;
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
        return super::interactive::run(args, request_args, earlier, &config, env, printer);
    }
    let Some(prompt) = compose_prompt(args, template.as_ref(), env, printer)? else {
        printer.note("the prompt is empty: cancelled, nothing was sent");
        return Ok(ExitStatus::Success);
    };
    let mut input = ChatInput::default();
    if let Some(conv) = &earlier {
        turn::adopt_provider(&mut request_args, conv, &config, printer);
        input = conv.history.clone();
    }
    input.messages.push(prompt.message());
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
    settings.stream = stream || (!args.no_stream && config.streams(settings.target.provider.name));
    printer.warn_all(&settings.warnings);
    settings.files = prompt.files;
    let turn = turn::TurnPlan::new(r, earlier.as_ref(), &settings.helicone.request_id);
    turn::apply_turn(
        &mut settings,
        &turn,
        r.session_path.as_deref(),
        c.max_history_tokens,
        printer,
    );
    output(args, &settings, printer)
}

/// The prompt to send: the arguments, stdin and `--file`s, written in the
/// editor with `-e` (which opens on that text), laid into the template's
/// prompt with `-t`. `None` when the editor saved an empty text.
fn compose_prompt(
    args: &ChatArgs,
    template: Option<&settings::Template>,
    env: Env<'_>,
    printer: &Printer,
) -> Result<Option<super::prompt::Prompt>> {
    let r = &args.request;
    let flexible = args.compose.edit || template.is_some();
    // With only the editor or a template to go on, a terminal is not read.
    let given = !args.prompt.is_empty() || !r.files.is_empty() || !std::io::stdin().is_terminal();
    let mut prompt = if given || !flexible {
        super::prompt::read(&args.prompt, &r.files, flexible, printer)?
    } else {
        super::prompt::Prompt::default()
    };
    if args.compose.edit {
        match super::editor::edit_text(&prompt.text, env)? {
            Some(text) => prompt.text = text,
            None => return Ok(None),
        }
    }
    if let Some(t) = template {
        prompt.text = t.fill(Some(&prompt.text))?.unwrap_or_default();
    }
    if prompt.is_empty() {
        return Err(Error::usage(
            "no prompt: give one as an argument or on stdin (the template has none)",
        ));
    }
    Ok(Some(prompt))
}

/// `--save NAME`: the flags (and the prompt words) as a template.
fn save_template(
    args: &ChatArgs,
    request: &crate::cli::RequestArgs,
    name: &str,
    printer: &Printer,
) -> Result<ExitStatus> {
    let prompt = (!args.prompt.is_empty()).then(|| args.prompt.join(" "));
    let t = settings::Template::from_flags(request, prompt)?;
    let path = settings::template_path(name)?;
    let existed = path.exists();
    settings::write_private(&path, &t.to_toml()?)?;
    printer.note(&format!(
        "{} template {name}: {}",
        if existed { "replaced" } else { "saved" },
        path.display()
    ));
    Ok(ExitStatus::Success)
}

/// Show the request (`--dry-run`, `--curl`) or send it, streamed or not.
fn output(args: &ChatArgs, settings: &RequestSettings, printer: &Printer) -> Result<ExitStatus> {
    let stream = settings.stream;
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
        printer.verbose(&format!("> {} {}", prepared.method, prepared.shown_url()));
        for (k, v) in prepared.masked_headers(&settings.target.creds) {
            printer.verbose(&format!("> {k}: {v}"));
        }
    }
    if stream {
        return super::stream::send(settings, &prepared, args, printer);
    }
    let outcome = send(settings, &prepared, printer)?;
    finish(settings, &prepared, outcome, r.json, printer)
}

/// `--dry-run`: the exact request, every secret as a fingerprint.
pub fn print_dry_run(req: &PreparedRequest, s: &RequestSettings, printer: &Printer) -> Result<()> {
    let mut out = format!("{} {}\n", req.method, req.shown_url());
    for (k, v) in req.masked_headers(&s.target.creds) {
        out.push_str(&format!("{k}: {v}\n"));
    }
    out.push('\n');
    out.push_str(&req.body);
    printer.line(&out)
}

/// Send on a fresh single-threaded runtime, racing Ctrl-C. On a terminal a
/// spinner with the time elapsed shows on stderr until the answer is in,
/// and leaves no trace.
fn send(s: &RequestSettings, req: &PreparedRequest, printer: &Printer) -> Result<Outcome> {
    let client = Client::new(s.target.net.clone(), s.target.proxy.clone())?;
    let runtime = super::runtime()?;
    let peer = exchange::peer_label(s.target.provider.name, s.target.route.direct);
    printer.start_spinner(&format!("waiting for {peer}"));
    let outcome = runtime.block_on(async {
        tokio::select! {
            outcome = exchange::execute(&client, req, &s.target.creds, s.target.format, &peer) => outcome,
            signal = super::interrupted() => Outcome { error: Some(Error::Interrupted(signal)), ..Default::default() },
        }
    });
    printer.stop_spinner();
    Ok(outcome)
}

/// Log the exchange, print the answer or the error, pick the exit status.
pub fn finish(
    s: &RequestSettings,
    req: &PreparedRequest,
    mut outcome: Outcome,
    json: bool,
    printer: &Printer,
) -> Result<ExitStatus> {
    turn::check_answer(s, &mut outcome);
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
    let logged = turn::log_exchange(s, &record, printer);
    if let Some(e @ Error::Interrupted(_)) = &outcome.error
        && logged
    {
        printer.note(&format!("{e}; the request is logged as {}", record.id));
    }
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
    turn::note_unshown(c, printer);
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
