//! From a parsed line to a job: the line's fields laid over the flags, and
//! the result resolved through the same steps as `hcl chat` (one
//! [`Resolver`] for the run, so keys are read and each target is checked
//! once however many lines name it).

use std::collections::HashMap;
use std::sync::Arc;

use serde_json::Value;

use super::BATCH_PROPERTY;
use super::input::LineSpec;
use crate::cli::RequestArgs;
use crate::commands::prompt::{self, FileInput, Prompt};
use crate::error::{Error, Result};
use crate::helicone;
use crate::output::Printer;
use crate::settings::{self, Config, Env, RequestSettings, Resolver, Target};
use crate::wire::{ChatInput, Message, Role};

/// The batch named with `-p Hcl-Batch=NAME`, if any (otherwise the run
/// gets a fresh UUID, or with `--resume` the id of the batch it continues).
pub(super) fn named_batch(r: &RequestArgs) -> Result<Option<String>> {
    let mut id = None;
    for p in &r.properties {
        let (k, v) = helicone::parse_property(p)?;
        if k.eq_ignore_ascii_case(BATCH_PROPERTY) {
            if v.trim().is_empty() {
                return Err(Error::usage(format!(
                    "--property {BATCH_PROPERTY}= is empty; give the batch a name, or drop it for a generated id"
                )));
            }
            id = Some(v);
        }
    }
    Ok(id)
}

/// The batch property is hcl's own: every request carries the batch id.
fn set_batch_property(args: &mut RequestArgs, batch_id: &str) {
    args.properties
        .retain(|p| !p.split('=').next().is_some_and(is_batch_property));
    args.properties.push(format!("{BATCH_PROPERTY}={batch_id}"));
}

fn is_batch_property(name: &str) -> bool {
    name.trim().eq_ignore_ascii_case(BATCH_PROPERTY)
}

/// One line, ready to send.
pub(super) struct Job {
    pub(super) settings: RequestSettings,
}

/// Turns lines into jobs.
pub(super) struct Lines<'a> {
    /// The flags: every line's defaults.
    args: RequestArgs,
    resolver: Resolver<'a>,
    /// The provider the flags resolve to: a line naming it keeps the flags'
    /// model.
    flags_provider: &'static str,
    /// Templates lines named, read (or failed) once each.
    templates: HashMap<String, TemplateRead>,
    /// The `--file`s, read once: every line without `files` of its own
    /// attaches them.
    files: Vec<FileInput>,
}

type TemplateRead = std::result::Result<(settings::Template, std::path::PathBuf), String>;

impl<'a> Lines<'a> {
    /// Resolve the flags alone, so that a missing key or a bad flag is a
    /// usage error before anything is sent; the target they give is the
    /// run's default (its log, network options and proxy).
    pub(super) fn new(
        args: &RequestArgs,
        env: Env<'a>,
        config: &'a Config,
        batch_id: &str,
        printer: &Printer,
    ) -> Result<(Lines<'a>, Arc<Target>)> {
        let mut args = args.clone();
        if let Some(name) = &args.template.clone() {
            let (t, path) = settings::load_template(name)?;
            if t.prompt.is_some() {
                return Err(Error::usage(format!(
                    "template {name} has a prompt, and -t with --batch gives every line's defaults; name it in the lines (\"template\": \"{name}\") to fill its prompt from each line"
                )));
            }
            t.apply(name, &path, &mut args)?;
        }
        set_batch_property(&mut args, batch_id);
        let mut files = Vec::with_capacity(args.files.len());
        for path in &args.files {
            if path.as_os_str() == "-" {
                return Err(Error::usage(
                    "--file - cannot be used with --batch: give the file's path (a batch line may list its own \"files\")",
                ));
            }
            files.push(prompt::read_file(path).map_err(Error::usage)?);
        }
        let mut resolver = Resolver::new(env, config, false);
        let flags = resolver.resolve(&args, ChatInput::default(), false)?;
        printer.warn_all(&flags.warnings);
        let lines = Lines {
            args,
            resolver,
            flags_provider: flags.target.provider.name,
            templates: HashMap::new(),
            files,
        };
        Ok((lines, flags.target))
    }

    /// Send every line as part of `batch_id` (`--resume` continues an
    /// earlier batch, found only once the log is known).
    pub(super) fn set_batch(&mut self, batch_id: &str) {
        set_batch_property(&mut self.args, batch_id);
    }

    /// The job of one line, or why the line is bad.
    pub(super) fn build(
        &mut self,
        mut spec: LineSpec,
        printer: &Printer,
    ) -> std::result::Result<Job, String> {
        let mut args = self.args.clone();
        if let Some(name) = spec.template.clone() {
            let (t, path) = self.template(&name)?;
            t.apply_over(&name, &path, &mut args)
                .map_err(|e| e.to_string())?;
            if t.prompt.is_some() {
                if spec.messages.is_some() {
                    return Err(format!(
                        "template {name} has a prompt, which a line with messages cannot fill; give prompt instead"
                    ));
                }
                spec.prompt = t.fill(spec.prompt.as_deref()).map_err(|e| e.to_string())?;
            }
        }
        let (system, mut messages) = line_messages(&spec)?;
        let files = self.line_files(&spec)?;
        let records = attach_files(&mut messages, files);
        if let Some(p) = &spec.provider
            && !p.eq_ignore_ascii_case(self.flags_provider)
        {
            args.provider = Some(p.clone());
            // The flags' model belongs to the flags' provider.
            args.model = None;
        }
        if spec.model.is_some() {
            args.model.clone_from(&spec.model);
        }
        if system.is_some() {
            args.system = system;
        }
        args.max_tokens = spec.max_tokens.or(args.max_tokens);
        args.temperature = spec.temperature.or(args.temperature);
        args.user = spec.user.clone().or(args.user);
        args.session = spec.session.clone().or(args.session);
        if let Some(c) = spec.cache {
            args.cache = c;
        }
        for (k, v) in spec.properties.iter().flatten() {
            args.properties.push(line_property(k, v)?);
        }
        let input = ChatInput {
            messages,
            ..ChatInput::default()
        };
        let mut settings = self
            .resolver
            .resolve(&args, input, false)
            .map_err(|e| e.to_string())?;
        // A line's `"cache": false` turns off a cache the config file turns on.
        if spec.cache == Some(false) {
            settings.helicone.cache = false;
        }
        settings.files = records;
        printer.warn_all(&settings.warnings);
        Ok(Job { settings })
    }
}

impl Lines<'_> {
    /// A template named by lines, read once.
    fn template(
        &mut self,
        name: &str,
    ) -> std::result::Result<(settings::Template, std::path::PathBuf), String> {
        if let Some(found) = self.templates.get(name) {
            return found.clone();
        }
        let found = settings::load_template(name).map_err(|e| e.to_string());
        if self.templates.len() >= 64 {
            self.templates.clear();
        }
        self.templates.insert(name.to_string(), found.clone());
        found
    }

    /// The files of a line: its own `files`, else the `--file`s.
    fn line_files(&self, spec: &LineSpec) -> std::result::Result<Vec<FileInput>, String> {
        let Some(paths) = &spec.files else {
            return Ok(self.files.clone());
        };
        paths
            .iter()
            .map(|path| {
                if path.as_os_str() == "-" {
                    return Err(
                        "files: - (stdin) cannot be attached to a batch line; give a path"
                            .to_string(),
                    );
                }
                prompt::read_file(path).map_err(|e| format!("files: {e}"))
            })
            .collect()
    }
}

/// Attach `files` to the last user message; the records of the files.
fn attach_files(messages: &mut [Message], files: Vec<FileInput>) -> Vec<crate::log::AttachedFile> {
    if files.is_empty() {
        return Vec::new();
    }
    let Some(m) = messages.iter_mut().rev().find(|m| m.role == Role::User) else {
        return Vec::new();
    };
    let mut p = Prompt {
        text: std::mem::take(&mut m.content),
        attachments: std::mem::take(&mut m.attachments),
        files: Vec::new(),
    };
    for f in files {
        p.attach(f);
    }
    m.content = p.text;
    m.attachments = p.attachments;
    p.files
}

/// A line's property as `-p` takes it.
fn line_property(k: &str, v: &Value) -> std::result::Result<String, String> {
    let v = match v {
        Value::String(s) => s.clone(),
        Value::Number(n) => n.to_string(),
        Value::Bool(b) => b.to_string(),
        _ => {
            return Err(format!(
                "property '{k}' must be a string, number or boolean"
            ));
        }
    };
    if is_batch_property(k) {
        return Err(format!(
            "property '{k}' is set by hcl to the batch id; name the batch with -p {BATCH_PROPERTY}=NAME instead"
        ));
    }
    if k.contains('=') {
        return Err(format!("property name '{k}' must not contain '='"));
    }
    Ok(format!("{k}={v}"))
}

/// The system prompt and the turns of a line: its prompt, or its messages
/// (whose system messages join the system prompt).
fn line_messages(spec: &LineSpec) -> std::result::Result<(Option<String>, Vec<Message>), String> {
    let mut system = spec.system.clone();
    let messages = match (&spec.prompt, &spec.messages) {
        (Some(_), Some(_)) => return Err("give either prompt or messages, not both".to_string()),
        (None, None) => return Err("the line has neither prompt nor messages".to_string()),
        (Some(p), None) => {
            if p.trim().is_empty() {
                return Err("the prompt is empty".to_string());
            }
            vec![Message::text(Role::User, p.clone())]
        }
        (None, Some(msgs)) => {
            let mut out = Vec::with_capacity(msgs.len());
            let mut system_parts = Vec::new();
            for (i, m) in msgs.iter().enumerate() {
                let role = match m.role.as_str() {
                    "user" => Role::User,
                    "assistant" => Role::Assistant,
                    "system" | "developer" => {
                        system_parts.push(m.content.clone());
                        continue;
                    }
                    other => {
                        return Err(format!(
                            "messages[{i}] has role '{other}'; use user, assistant or system"
                        ));
                    }
                };
                out.push(Message::text(role, m.content.clone()));
            }
            if !system_parts.is_empty() {
                if system.is_some() {
                    return Err(
                        "the system prompt is given twice: in system and as a system message"
                            .to_string(),
                    );
                }
                system = Some(system_parts.join("\n\n"));
            }
            if out.is_empty() {
                return Err("messages holds no user or assistant message".to_string());
            }
            out
        }
    };
    Ok((system, messages))
}
