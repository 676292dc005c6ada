//! `hcl log`: read the request log.

use crate::cli::{LogCommand, LogListArgs, LogShowArgs};
use crate::error::{ExitStatus, Result};
use crate::log::{self, Record};
use crate::output::{self, Printer};
use crate::settings::Env;

pub fn run(cmd: &LogCommand, env: Env<'_>, printer: &Printer) -> Result<ExitStatus> {
    let path = log::default_path(env)?;
    match cmd {
        LogCommand::Path => {
            printer.line(&path.display().to_string())?;
            Ok(ExitStatus::Success)
        }
        LogCommand::List(args) => list(args, &path, printer),
        LogCommand::Show(args) => show(args, &path, printer),
    }
}

fn load(path: &std::path::Path, printer: &Printer) -> Result<Vec<Record>> {
    let (records, skipped) = log::read_all(path)?;
    for s in &skipped {
        printer.warn(&format!(
            "{}:{}: skipped: {}",
            path.display(),
            s.line,
            s.reason
        ));
    }
    Ok(records)
}

fn list(args: &LogListArgs, path: &std::path::Path, printer: &Printer) -> Result<ExitStatus> {
    let records = load(path, printer)?;
    let start = records.len().saturating_sub(args.last);
    let shown = &records[start..];
    if args.json {
        for r in shown {
            printer.json_line(r)?;
        }
        return Ok(ExitStatus::Success);
    }
    if shown.is_empty() {
        printer.note(&format!("the request log {} is empty", path.display()));
        return Ok(ExitStatus::Success);
    }
    let mut table = output::new_table(&[
        "id", "time", "provider", "model", "status", "cache", "latency", "prompt",
    ]);
    for r in shown {
        table.add_row(vec![
            r.id.chars().take(8).collect::<String>(),
            r.ts.chars().take(19).collect::<String>().replace('T', " "),
            r.provider.clone(),
            r.model.clone(),
            status_cell(r),
            r.helicone.cache.clone().unwrap_or_else(|| "-".into()),
            r.latency_ms.map_or("-".into(), |ms| format!("{ms} ms")),
            preview(r),
        ]);
    }
    printer.table(&table)?;
    Ok(ExitStatus::Success)
}

fn status_cell(r: &Record) -> String {
    match (r.response.status, &r.error) {
        (_, Some(e)) if e == "interrupted" => "interrupted".into(),
        (Some(s), _) => s.to_string(),
        (None, Some(_)) => "error".into(),
        (None, None) => "-".into(),
    }
}

/// The last user message of a logged body, shortened.
pub fn preview(r: &Record) -> String {
    #[derive(serde::Deserialize)]
    struct Body {
        #[serde(default)]
        messages: Vec<Msg>,
        #[serde(default)]
        contents: Vec<Msg>,
    }
    #[derive(serde::Deserialize)]
    struct Msg {
        #[serde(default)]
        role: String,
        #[serde(default)]
        content: serde_json::Value,
        #[serde(default)]
        parts: Vec<Part>,
    }
    #[derive(serde::Deserialize)]
    struct Part {
        #[serde(default)]
        text: String,
    }
    let Ok(body) = serde_json::from_str::<Body>(r.request.body.get()) else {
        return String::new();
    };
    let text = body
        .messages
        .iter()
        .chain(body.contents.iter())
        .rev()
        .find(|m| m.role == "user")
        .map(|m| match &m.content {
            serde_json::Value::String(s) => s.clone(),
            _ => m
                .parts
                .iter()
                .map(|p| p.text.as_str())
                .collect::<Vec<_>>()
                .join(" "),
        })
        .unwrap_or_default();
    let one_line: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    let mut out: String = one_line.chars().take(40).collect();
    if one_line.chars().count() > 40 {
        out.push('…');
    }
    out
}

fn show(args: &LogShowArgs, path: &std::path::Path, printer: &Printer) -> Result<ExitStatus> {
    let records = load(path, printer)?;
    let r = log::find_by_prefix(&records, &args.id)?;
    printer.json_pretty(r)?;
    Ok(ExitStatus::Success)
}
