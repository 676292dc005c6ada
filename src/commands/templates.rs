//! `hcl templates list|show|edit|path`: the saved request templates.

use serde::Serialize;

use crate::cli::{TemplateNameArgs, TemplatesCommand, TemplatesListArgs};
use crate::error::{Error, ExitStatus, Result};
use crate::output::{self, Printer};
use crate::settings::{self, Env};

pub fn run(cmd: &TemplatesCommand, env: Env<'_>, printer: &Printer) -> Result<ExitStatus> {
    match cmd {
        TemplatesCommand::List(a) => list(a, printer),
        TemplatesCommand::Show(a) => show(a, printer),
        TemplatesCommand::Edit(a) => edit(a, env, printer),
        TemplatesCommand::Path => {
            printer.line(&settings::templates_dir()?.display().to_string())?;
            Ok(ExitStatus::Success)
        }
    }
}

/// One line of `hcl templates list`.
#[derive(Serialize)]
struct Entry {
    name: String,
    path: String,
    /// Its description, else the first line of its prompt or system prompt.
    about: String,
    /// Why it cannot be used, when it is malformed.
    #[serde(skip_serializing_if = "Option::is_none")]
    error: Option<String>,
}

fn entries() -> Result<Vec<Entry>> {
    let dir = settings::templates_dir()?;
    let read = match std::fs::read_dir(&dir) {
        Ok(r) => r,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(Error::io(format!("cannot read {}", dir.display()), e)),
    };
    let mut out = Vec::new();
    for entry in read.flatten() {
        let path = entry.path();
        let Some(name) = path
            .file_name()
            .and_then(|n| n.to_str())
            .and_then(|n| n.strip_suffix(".toml"))
        else {
            continue;
        };
        let (about, error) = match settings::load_template(name) {
            Ok((t, _)) => {
                let first = |s: &Option<String>| {
                    s.as_deref()
                        .and_then(|t| t.lines().find(|l| !l.trim().is_empty()))
                        .map(str::to_string)
                };
                let about = t
                    .description
                    .clone()
                    .or_else(|| first(&t.prompt))
                    .or_else(|| first(&t.system))
                    .unwrap_or_default();
                (about, None)
            }
            Err(e) => (String::new(), Some(e.to_string())),
        };
        out.push(Entry {
            name: name.to_string(),
            path: path.display().to_string(),
            about,
            error,
        });
    }
    out.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(out)
}

fn list(a: &TemplatesListArgs, printer: &Printer) -> Result<ExitStatus> {
    let entries = entries()?;
    if a.names {
        for e in &entries {
            printer.line(&e.name)?;
        }
        return Ok(ExitStatus::Success);
    }
    if a.json {
        for e in &entries {
            printer.json_line(e)?;
        }
        return Ok(ExitStatus::Success);
    }
    if entries.is_empty() {
        printer.note(&format!(
            "no templates in {}; save one with hcl chat --save NAME …",
            settings::templates_dir()?.display()
        ));
        return Ok(ExitStatus::Success);
    }
    let mut table = output::Table::new(vec![
        output::Col::keep("name"),
        output::Col::text("about", 0, 12),
    ]);
    for e in &entries {
        let about = match &e.error {
            Some(err) => format!("(malformed) {err}"),
            None => e.about.clone(),
        };
        table.row(vec![e.name.clone(), about]);
    }
    printer.table(&table, output::TableFormat::Table)?;
    Ok(ExitStatus::Success)
}

fn show(a: &TemplateNameArgs, printer: &Printer) -> Result<ExitStatus> {
    let path = settings::template_path(&a.name)?;
    let text = std::fs::read_to_string(&path).map_err(|e| {
        Error::usage(format!(
            "no template '{}': cannot read {}: {e}; `hcl templates list` shows the saved ones",
            a.name,
            path.display()
        ))
    })?;
    printer.line(text.trim_end())?;
    // Say so when it would not load.
    if let Err(e) = settings::parse_template(&text, &path) {
        printer.warn(&e.to_string());
    }
    Ok(ExitStatus::Success)
}

/// What a new template starts as.
const SKELETON: &str = r#"# An hcl request template: `hcl chat -t NAME "input"`. Every key is optional;
# the flags given on the command line win over these.
# description = "What this template is for"
# system = "You are a careful reviewer."
# prompt = "Review this:\n\n{input}"
# provider = "NAME"       # a row of `hcl providers`
# model = "MODEL"
# max_tokens = 1024
# temperature = 0.2
# top_p = 0.9
# seed = 7
# stop = ["END"]
# reasoning = "low"
# json_object = true
# schema = "person.json"   # a file beside this one, or the JSON Schema itself
# cache = true
# cache_ttl = 3600
#
# [options]                # body fields, as -o sets them
# top_k = 40
#
# [properties]             # Helicone-Property-* headers
# team = "search"
"#;

fn edit(a: &TemplateNameArgs, env: Env<'_>, printer: &Printer) -> Result<ExitStatus> {
    let path = settings::template_path(&a.name)?;
    if !path.exists() {
        settings::write_private(&path, SKELETON)?;
        printer.note(&format!("new template {}: {}", a.name, path.display()));
    }
    super::editor::edit_file(&path, env)?;
    let text = std::fs::read_to_string(&path)
        .map_err(|e| Error::io(format!("cannot read {}", path.display()), e))?;
    settings::parse_template(&text, &path)?;
    printer.note(&format!(
        "template {} is ready: hcl chat -t {} …",
        a.name, a.name
    ));
    Ok(ExitStatus::Success)
}
