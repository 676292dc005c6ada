//! `hcl chat` on a terminal with no prompt: an interactive conversation.
//!
//! Each line is a turn, streamed exactly as `hcl stream` does and logged as
//! a normal record with the conversation's id and the turn number; every
//! turn is sent in one Helicone session. Line editing and history come from
//! rustyline (the history file sits beside the request log, 0600). A
//! trailing `\` continues a line; a bracketed paste arrives whole. Ctrl-C
//! cancels the reply in flight (or clears the line), Ctrl-D or `/exit`
//! leaves. Slash commands change the settings of the following turns.

use std::path::{Path, PathBuf};

use rustyline::error::ReadlineError;

use crate::cli::{ChatArgs, RequestArgs};
use crate::conversation::{self, Conversation, Transcript, TranscriptTurn};
use crate::error::{Error, ExitStatus, Result, Signal};
use crate::log::{self, Record};
use crate::models;
use crate::output::Printer;
use crate::provider;
use crate::settings::{self, Config, Env, Resolver};
use crate::wire::{ChatInput, Message, Role};

use super::line_completion::LineHelper;
use super::prompt::{FileInput, Prompt};
use super::turn::{self, TurnPlan};

const HELP: &str = "\
Type a message and press Enter; end a line with \\ to continue it on the next.
Ctrl-C cancels a reply (or clears the line); Ctrl-D or /exit leaves.
  /model [NAME]      the model of the next turns (an alias or PROVIDER:MODEL too); alone: the current one
  /provider NAME     the provider of the next turns (the history is converted)
  /system TEXT       the system prompt (/system alone removes it)
  /property K=V      send Helicone-Property-K: V with the next turns
  /cache on|off      Helicone's cache for the next turns
  /file PATH         attach a file to the next message (text inline, images and PDFs as parts)
  /edit [TEXT]       write the next message in $VISUAL/$EDITOR (an empty file cancels)
  /retry             send the last prompt again (its answer is replaced)
  /clear             start a new conversation (a new Helicone session)
  /save FILE         write the transcript as Markdown
  /id                the conversation id and its Helicone session id
  /help              this list
  /exit              leave";

const COMMANDS: &str = "/model, /provider, /system, /property, /cache, /file, /edit, /retry, /clear, /save, /id, /help, /exit (Tab completes them)";

/// The conversation as it goes.
struct Session<'a> {
    args: &'a ChatArgs,
    /// The request flags, as slash commands changed them.
    request: RequestArgs,
    /// Every turn's request goes through it: keys are read once, and each
    /// warning is said once.
    resolver: Resolver<'a>,
    env: Env<'a>,
    printer: &'a Printer,
    config: &'a Config,
    /// Model lists fetched earlier, for Tab.
    cache: models::Cache,
    runtime: tokio::runtime::Runtime,
    id: String,
    /// The number of the last turn sent (failed ones count).
    turn: u32,
    name: Option<String>,
    /// System prompt and every answered turn.
    history: ChatInput,
    /// Files `/file` (or `-f`) attached to the next message.
    pending: Vec<FileInput>,
    /// The last prompt sent, for /retry; `answered` when its answer is the
    /// last message of `history`.
    last_prompt: Option<Prompt>,
    answered: bool,
    transcript: Vec<TranscriptTurn>,
}

/// The conversation, with `request` (the flags, a template laid under them)
/// as the settings of its first turn.
pub fn run(
    args: &ChatArgs,
    request: RequestArgs,
    earlier: Option<Conversation>,
    config: &Config,
    env: Env<'_>,
    printer: &Printer,
) -> Result<ExitStatus> {
    let runtime = super::runtime()?;
    // From here on Ctrl-C never ends the session: between replies it does
    // nothing, during one it cancels it.
    keep_sigint(&runtime);
    let mut session = Session {
        args,
        request: RequestArgs::default(),
        resolver: Resolver::new(env, config, false),
        env,
        printer,
        config,
        cache: models::Cache::load(env),
        runtime,
        id: String::new(),
        turn: 0,
        name: args.request.session_name.clone(),
        history: ChatInput::default(),
        pending: Vec::new(),
        last_prompt: None,
        answered: false,
        transcript: Vec::new(),
    };
    for path in &args.request.files {
        if path.as_os_str() == "-" {
            return Err(Error::usage(
                "--file - reads stdin, which is the terminal here; pipe the file in with a prompt, or attach it with /file PATH",
            ));
        }
        let file = super::prompt::read_file(path).map_err(Error::usage)?;
        session.attach(file);
    }
    session.begin(request, earlier)?;
    let history_file = history_path(env).ok();
    let editor = open_editor(&mut session, history_file.as_deref(), printer)?;
    session.converse(editor, history_file.as_deref())
}

/// The line editor, with Tab completion and the line history loaded when
/// its file can be used.
fn open_editor(
    session: &mut Session<'_>,
    history: Option<&Path>,
    printer: &Printer,
) -> Result<Editor> {
    let mut editor = new_editor()?;
    editor.set_helper(Some(session.line_helper()));
    if let Some(path) = history {
        match prepare_history_file(path) {
            Ok(()) => {
                let _ = editor.load_history(path);
            }
            Err(e) => printer.warn(&format!(
                "cannot use the line history {}: {e}",
                path.display()
            )),
        }
    }
    Ok(editor)
}

impl Session<'_> {
    /// Take up an earlier conversation or start a new one, and say what is
    /// missing to send (a key, a parameter) at once.
    fn begin(&mut self, mut request: RequestArgs, earlier: Option<Conversation>) -> Result<()> {
        match earlier {
            Some(conv) => {
                turn::adopt_provider(&mut request, &conv, self.config, self.printer);
                self.id = conv.id.clone();
                self.turn = conv.last_turn;
                self.name = self.name.take().or(conv.name.clone());
                self.answered = true;
                self.history = conv.history;
            }
            None => {
                self.id = self
                    .args
                    .request
                    .session
                    .clone()
                    .unwrap_or_else(|| uuid::Uuid::new_v4().to_string());
            }
        }
        self.request = request;
        let target = self.resolver.target(&self.request, &mut Vec::new())?;
        let how = if target.route.direct {
            "directly, bypassing Helicone"
        } else {
            "through Helicone"
        };
        let what = format!("{} {} {how}", target.provider.name, target.model);
        if self.turn > 0 {
            self.printer.note(&format!(
                "continuing conversation {} after turn {} ({} messages) with {what}; /help lists the commands, Ctrl-D leaves",
                self.id,
                self.turn,
                self.history.messages.len()
            ));
        } else {
            self.printer.note(&format!(
                "talking to {what}, conversation {}: /help lists the commands, Tab completes them, Ctrl-D leaves",
                self.id
            ));
        }
        Ok(())
    }

    /// Read, send and show until Ctrl-D, /exit or a signal.
    fn converse(mut self, mut editor: Editor, history: Option<&Path>) -> Result<ExitStatus> {
        loop {
            let prompt = self.prompt();
            let read = match read_or_signal(&self.runtime, editor, prompt) {
                Ok((back, read)) => {
                    editor = back;
                    read
                }
                Err(e) => return self.end(e),
            };
            let input = match read {
                Ok(Some(text)) => text,
                Ok(None) => continue,
                Err(ReadlineError::Eof) => break,
                Err(e) => {
                    return Err(Error::io(
                        "cannot read from the terminal",
                        std::io::Error::other(e.to_string()),
                    ));
                }
            };
            if input.trim().is_empty() {
                continue;
            }
            let _ = editor.add_history_entry(input.as_str());
            if let Some(path) = history {
                let _ = editor.append_history(path);
            }
            let prompt = if let Some(cmd) = input.trim_start().strip_prefix('/') {
                let step = self.command(cmd.trim_end());
                if let Some(h) = editor.helper_mut() {
                    *h = self.line_helper();
                }
                match step {
                    Step::Continue => continue,
                    Step::Exit => break,
                    Step::Send(p) => p,
                }
            } else {
                self.compose(input)
            };
            if let Some(signal) = self.send(prompt) {
                return self.end(Error::Interrupted(signal));
            }
        }
        Ok(ExitStatus::Success)
    }
}

/// Read one message on a blocking thread while watching for SIGTERM and
/// SIGHUP, which end the session like any other command (Ctrl-C reaches the
/// line editor as a key). The editor comes back with what was read.
fn read_or_signal(
    runtime: &tokio::runtime::Runtime,
    mut editor: Editor,
    prompt: String,
) -> Result<(Editor, std::result::Result<Option<String>, ReadlineError>)> {
    runtime.block_on(async {
        let reading = tokio::task::spawn_blocking(move || {
            let read = read_input(&mut editor, &prompt);
            (editor, read)
        });
        tokio::select! {
            joined = reading => joined.map_err(|e| {
                Error::io("cannot read from the terminal", std::io::Error::other(e.to_string()))
            }),
            signal = super::terminated() => Err(Error::Interrupted(signal)),
        }
    })
}

/// What a slash command leads to.
enum Step {
    Continue,
    Exit,
    Send(Prompt),
}

impl Session<'_> {
    /// The provider and model the next turn goes to, if they resolve.
    fn current(&mut self) -> Option<(&'static str, String)> {
        self.resolver
            .target(&self.request, &mut Vec::new())
            .ok()
            .map(|t| (t.provider.name, t.model.clone()))
    }

    /// `provider:model> `, the model cut to 32 columns.
    fn prompt(&mut self) -> String {
        match self.current() {
            Some((p, m)) => format!("{p}:{}> ", crate::output::cut(&m, 32)),
            None => "> ".to_string(),
        }
    }

    /// What Tab offers for the current provider.
    fn line_helper(&mut self) -> LineHelper {
        let row = self
            .current()
            .and_then(|(p, _)| provider::find(p))
            .unwrap_or(&provider::PROVIDERS[0]);
        LineHelper {
            models: models::known(row, &self.cache),
            aliases: self.config.aliases.keys().cloned().collect(),
            providers: provider::names().iter().map(|s| (*s).to_string()).collect(),
        }
    }

    /// A file for the next message, with a note saying so.
    fn attach(&mut self, file: FileInput) {
        let r = &file.record;
        self.printer.note(&format!(
            "{} ({}, {}) goes with your next message",
            r.name,
            r.media_type,
            crate::wire::attach::human_size(r.size)
        ));
        self.pending.push(file);
    }

    /// The next message: what was typed, and the files waiting for it.
    fn compose(&mut self, text: String) -> Prompt {
        let mut prompt = Prompt {
            text,
            ..Prompt::default()
        };
        for file in self.pending.drain(..) {
            prompt.attach(file);
        }
        prompt
    }

    fn command(&mut self, line: &str) -> Step {
        let p = self.printer;
        let (name, arg) = match line.split_once(char::is_whitespace) {
            Some((n, a)) => (n, a.trim()),
            None => (line, ""),
        };
        match name {
            "exit" | "quit" => return Step::Exit,
            "help" | "?" => p.report(HELP),
            "id" => p.report(&format!(
                "conversation: {}\nHelicone-Session-Id: {}\nHelicone-Session-Name: {}\nturns sent: {}",
                self.id,
                self.id,
                self.name.as_deref().unwrap_or(conversation::DEFAULT_NAME),
                self.turn
            )),
            "model" if arg.is_empty() => self.show_model(),
            "model" => self.set_model(arg),
            "provider" if !arg.is_empty() => self.set_provider(arg),
            "system" => {
                if arg.is_empty() {
                    self.request.system = None;
                    self.history.system = None;
                    p.note("no system prompt");
                } else {
                    self.request.system = Some(arg.to_string());
                    p.note("system prompt set");
                }
            }
            "property" if !arg.is_empty() => self.set_property(arg),
            "cache" if arg == "on" || arg == "off" => {
                self.request.cache = arg == "on";
                p.note(&format!("Helicone cache {arg}"));
            }
            "edit" => return self.edit(arg),
            "retry" => return self.retry(),
            "clear" => self.clear(),
            "save" if !arg.is_empty() => self.save(Path::new(arg)),
            "file" if !arg.is_empty() => match super::prompt::read_file(Path::new(arg)) {
                Ok(file) => self.attach(file),
                Err(e) => p.error(&e.replacen("--file", "/file", 1)),
            },
            "provider" | "property" | "save" | "file" => p.error(&format!(
                "/{name} needs an argument; /help shows how to use it"
            )),
            "cache" => p.error("/cache takes on or off"),
            other => p.error(&format!(
                "unknown command /{other}; the commands are {COMMANDS} (a message starting with / needs a space first)"
            )),
        }
        Step::Continue
    }

    fn show_model(&mut self) {
        let p = self.printer;
        match self.current() {
            Some((provider, model)) => p.report(&format!("model: {model} (provider {provider})")),
            None => p.report(&format!(
                "model: {} (provider {}); it does not resolve yet",
                self.request.model.as_deref().unwrap_or("the default"),
                self.request.provider.as_deref().unwrap_or("the default")
            )),
        }
    }

    /// `/model NAME`: an alias, `provider:model`, or a model whose name
    /// names its provider.
    fn set_model(&mut self, arg: &str) {
        let p = self.printer;
        match settings::split_model(self.config, arg) {
            Ok((Some(row), model)) => {
                self.request.provider = Some(row.name.to_string());
                self.request.model = model;
                p.note(&format!(
                    "model: {} (provider {})",
                    self.request.model.as_deref().unwrap_or("its default"),
                    row.name
                ));
            }
            Ok((None, _)) => {
                // A model of another provider's family moves there.
                let named = settings::model_provider(self.config, arg);
                if let Some(first) = named.first()
                    && !self
                        .request
                        .provider
                        .as_deref()
                        .is_some_and(|cur| named.iter().any(|n| n.eq_ignore_ascii_case(cur)))
                {
                    self.request.provider = None;
                    p.note(&format!("model: {arg} (provider {first}, from its name)"));
                } else {
                    p.note(&format!("model: {arg}"));
                }
                self.request.model = Some(arg.to_string());
            }
            Err(e) => p.error(&e.to_string()),
        }
    }

    fn set_provider(&mut self, arg: &str) {
        let p = self.printer;
        {
            if provider::find(arg).is_none() {
                p.error(&format!(
                    "unknown provider '{arg}'; known: {}",
                    provider::PROVIDERS
                        .iter()
                        .map(|p| p.name)
                        .collect::<Vec<_>>()
                        .join(", ")
                ));
            } else {
                self.request.provider = Some(arg.to_string());
                // The model of one provider rarely exists at another.
                self.request.model = None;
                p.note(&format!(
                "provider: {arg} with its default model (/model NAME to choose); the history is converted"
            ));
            }
        }
    }

    fn set_property(&mut self, arg: &str) {
        let p = self.printer;
        match crate::helicone::parse_property(arg) {
            Ok((k, v)) => {
                self.request.properties.retain(|old| {
                    !old.split('=')
                        .next()
                        .unwrap_or("")
                        .trim()
                        .eq_ignore_ascii_case(&k)
                });
                self.request.properties.push(format!("{k}={v}"));
                p.note(&format!("Helicone-Property-{k}: {v}"));
            }
            Err(e) => p.error(&e.to_string()),
        }
    }

    /// `/edit [TEXT]`: write the message in $EDITOR.
    fn edit(&mut self, arg: &str) -> Step {
        let p = self.printer;
        match super::editor::edit_text(arg, self.env) {
            Ok(Some(text)) => Step::Send(self.compose(text)),
            Ok(None) => {
                p.note("the message is empty: cancelled, nothing was sent");
                Step::Continue
            }
            Err(e) => {
                p.error(&e.to_string());
                Step::Continue
            }
        }
    }

    /// `/retry`: send the last prompt again, dropping its answer.
    fn retry(&mut self) -> Step {
        let p = self.printer;
        {
            let Some(prompt) = self.last_prompt.clone() else {
                p.error("nothing to retry yet: no prompt was sent in this conversation");
                return Step::Continue;
            };
            if self.answered {
                // Drop the last answer and its prompt; they are sent again.
                self.history.messages.pop();
                if self
                    .history
                    .messages
                    .last()
                    .is_some_and(|m| m.role == Role::User)
                {
                    self.history.messages.pop();
                }
                self.answered = false;
            }
            Step::Send(prompt)
        }
    }

    /// `/clear`: a new conversation with the same settings.
    fn clear(&mut self) {
        let p = self.printer;
        {
            self.id = uuid::Uuid::new_v4().to_string();
            self.turn = 0;
            self.name = self.args.request.session_name.clone();
            self.history = ChatInput::default();
            self.transcript.clear();
            self.last_prompt = None;
            self.answered = false;
            p.note(&format!("new conversation {}", self.id));
        }
    }

    /// End the session with `error`. A line still being read is left to
    /// the process's exit rather than waited for.
    fn end(self, error: Error) -> Result<ExitStatus> {
        self.runtime.shutdown_background();
        Err(error)
    }

    /// Send one turn, streamed; keep its answer in the history when it came.
    /// `Some(signal)` when SIGTERM or SIGHUP cut it short: the turn is
    /// logged and the session ends.
    fn send(&mut self, prompt: Prompt) -> Option<Signal> {
        let p = self.printer;
        let mut input = self.history.clone();
        input.messages.push(prompt.message());
        let resolved = self.resolver.resolve(&self.request, input, true);
        let mut s = match resolved {
            Ok(s) => s,
            Err(e) => {
                p.error(&e.to_string());
                if !prompt.files.is_empty() {
                    p.note(
                        "the message was not sent; /retry sends it again (after /provider, say)",
                    );
                    self.last_prompt = Some(prompt);
                    self.answered = false;
                }
                return None;
            }
        };
        p.warn_all(&s.warnings);
        s.files.clone_from(&prompt.files);
        self.turn += 1;
        let name = self
            .name
            .get_or_insert_with(|| conversation::DEFAULT_NAME.to_string())
            .clone();
        let plan = TurnPlan {
            id: self.id.clone(),
            turn: self.turn,
            name,
        };
        turn::apply_turn(
            &mut s,
            &plan,
            self.request.session_path.as_deref(),
            self.args.conversation.max_history_tokens,
            p,
        );
        let prepared = s.prepare();
        let mut record: Option<Record> = None;
        let result = super::stream::send_on(
            &self.runtime,
            &s,
            &prepared,
            false,
            self.args.show_thinking,
            p,
            &mut record,
        );
        self.last_prompt = Some(prompt.clone());
        let answer = record.as_ref().map(|r| r.response.text.clone());
        if let Err(Error::Interrupted(signal @ (Signal::Terminate | Signal::Hangup))) = result {
            return Some(signal);
        }
        let error = match result {
            Ok(_) => None,
            Err(Error::Interrupted(_)) => Some("interrupted".to_string()),
            Err(e) => {
                p.error(&e.to_string());
                Some(e.to_string())
            }
        };
        self.transcript.push(TranscriptTurn {
            turn: self.turn,
            provider: s.target.provider.name.to_string(),
            model: s.target.model.clone(),
            ts: record.as_ref().map(|r| r.ts.clone()).unwrap_or_default(),
            user: prompt.text,
            assistant: answer.clone().filter(|a| error.is_none() || !a.is_empty()),
            error: error.clone(),
        });
        if error.is_none() {
            // The history sent (within --max-history-tokens) and its answer.
            self.history = s.input;
            self.history
                .messages
                .push(Message::text(Role::Assistant, answer.unwrap_or_default()));
            self.answered = true;
        } else {
            self.answered = false;
            p.note("the prompt is not part of the conversation; /retry sends it again");
        }
        None
    }

    fn save(&self, path: &Path) {
        let t = Transcript {
            id: self.id.clone(),
            name: self.name.clone(),
            system: self
                .request
                .system
                .clone()
                .or_else(|| self.history.system.clone()),
            turns: self.transcript.clone(),
        };
        match crate::files::write_private(path, t.markdown().as_bytes()) {
            Ok(()) => self.printer.note(&format!(
                "saved {} turn{} to {}",
                t.turns.len(),
                if t.turns.len() == 1 { "" } else { "s" },
                path.display()
            )),
            Err(e) => self
                .printer
                .error(&format!("cannot write {}: {e}", path.display())),
        }
    }
}

/// One message: a line, continued while it ends with `\`. `Ok(None)` when
/// Ctrl-C cleared the line.
fn read_input(
    editor: &mut Editor,
    first: &str,
) -> std::result::Result<Option<String>, ReadlineError> {
    let mut text = String::new();
    let mut prompt = first;
    loop {
        match editor.readline(prompt) {
            Ok(line) => {
                if let Some(head) = line.strip_suffix('\\') {
                    text.push_str(head);
                    text.push('\n');
                    prompt = ". ";
                    continue;
                }
                text.push_str(&line);
                return Ok(Some(text));
            }
            Err(ReadlineError::Interrupted) => return Ok(None),
            // Ctrl-D inside a continued message sends what there is.
            Err(ReadlineError::Eof) if !text.is_empty() => return Ok(Some(text)),
            Err(e) => return Err(e),
        }
    }
}

type Editor = rustyline::Editor<LineHelper, rustyline::history::DefaultHistory>;

fn new_editor() -> Result<Editor> {
    let config = rustyline::Config::builder()
        .completion_type(rustyline::CompletionType::List)
        .auto_add_history(false)
        .history_ignore_space(true)
        .bracketed_paste(true)
        .max_history_size(1000)
        .map_err(|e| {
            Error::io(
                "cannot set up line editing",
                std::io::Error::other(e.to_string()),
            )
        })?
        .build();
    Editor::with_config(config).map_err(|e| {
        Error::io(
            "cannot set up line editing",
            std::io::Error::other(e.to_string()),
        )
    })
}

/// `history.txt` beside the request log.
fn history_path(env: Env<'_>) -> Result<PathBuf> {
    let log = log::default_path(env)?;
    Ok(log
        .parent()
        .map_or_else(|| PathBuf::from("history.txt"), |d| d.join("history.txt")))
}

/// Create the history file 0600 (with its directory) if it is missing, and
/// make an existing one 0600: what was typed may hold secrets.
fn prepare_history_file(path: &Path) -> std::io::Result<()> {
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir)?;
    }
    let mut opts = std::fs::OpenOptions::new();
    opts.append(true).create(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
        opts.mode(0o600);
        let file = opts.open(path)?;
        file.set_permissions(std::fs::Permissions::from_mode(0o600))?;
    }
    #[cfg(not(unix))]
    opts.open(path)?;
    Ok(())
}

/// Install the Ctrl-C handler for the whole session, so that a Ctrl-C
/// between two replies does not end the process.
fn keep_sigint(runtime: &tokio::runtime::Runtime) {
    #[cfg(unix)]
    {
        let _guard = runtime.enter();
        if let Ok(signal) =
            tokio::signal::unix::signal(tokio::signal::unix::SignalKind::interrupt())
        {
            // Kept for the life of the process: the handler stays installed.
            std::mem::forget(signal);
        }
    }
    #[cfg(not(unix))]
    {
        let _ = runtime;
    }
}
