//! `hcl log`: read the request log.

use std::collections::{HashMap, HashSet};
use std::path::Path;
use std::time::SystemTime;

use serde::Serialize;

use crate::annotations::{self, Known};
use crate::cli::{LogCommand, LogConversationsArgs, LogExportArgs, LogListArgs, LogShowArgs};
use crate::conversation;
use crate::error::{Error, ExitStatus, Result};
use crate::log::{self, Record};
use crate::output::{self, Col, Printer, Table, TableFormat};
use crate::select::{self, Selection};
use crate::settings::{self, Config, Env};
use crate::wire;

pub fn run(cmd: &LogCommand, env: Env<'_>, printer: &Printer) -> Result<ExitStatus> {
    if let LogCommand::Merge(args) = cmd {
        // Its files are named: HCL_LOG plays no part.
        return super::merge::run(args, printer);
    }
    let path = log::default_path(env)?;
    match cmd {
        LogCommand::Path => {
            printer.line(&path.display().to_string())?;
            Ok(ExitStatus::Success)
        }
        LogCommand::List(args) => {
            let config = super::load_config(env, printer)?;
            list(args, &config, &path, printer)
        }
        LogCommand::Show(args) => show(args, &path, printer),
        LogCommand::Export(args) => export(args, &path, printer),
        LogCommand::Conversations(args) => conversations(args, &path, printer),
        LogCommand::Verify(args) => super::verify::run(args, env, printer),
        LogCommand::Push(args) => super::push::run(args, env, printer),
        LogCommand::Stats(args) => super::stats::run(args, env, printer),
        LogCommand::Merge(args) => super::merge::run(args, printer),
    }
}

/// The records `args` select; `default_limit` when neither --last nor --all is given.
fn selected(
    args: &crate::cli::SelectArgs,
    default_limit: Option<usize>,
    config: Option<&Config>,
    path: &Path,
    printer: &Printer,
) -> Result<Vec<Record>> {
    let mut sel = Selection::from_args(args, &[], default_limit, SystemTime::now())?;
    if let Some(config) = config {
        settings::select_model(&mut sel, config)?;
    }
    let (records, skipped) = select::select(path, &sel)?;
    select::warn_skipped(path, &skipped, printer);
    Ok(records)
}

fn list(args: &LogListArgs, config: &Config, path: &Path, printer: &Printer) -> Result<ExitStatus> {
    let records = selected(&args.select, Some(20), Some(config), path, printer)?;
    let known = remembered(&records, path, printer)?;
    let format = args.format.resolve();
    if format == TableFormat::Json {
        for r in &records {
            printer.json_line(&WithKnown::of(r, &known))?;
        }
        return Ok(ExitStatus::Success);
    }
    if records.is_empty() {
        printer.note(&format!("no logged request matches in {}", path.display()));
        return Ok(ExitStatus::Success);
    }
    // Cut first: the answer and the prompt; dropped first: the latency,
    // the cache status, the cost, the tokens, the provider.
    let cost = |r: &Record| known.get(&r.id).and_then(|k| k.cost_usd);
    let with_cost = records.iter().any(|r| cost(r).is_some());
    let mut cols = vec![
        Col::keep("id"),
        Col::keep(format!("time ({})", output::local_offset())),
        Col::fixed("provider", 4),
        Col::text("model", 3, 10),
        Col::keep("status"),
        Col::fixed("cache", 7),
        Col::fixed("tokens", 5),
        Col::fixed("latency", 8),
    ];
    if with_cost {
        cols.push(Col::fixed("cost", 6));
    }
    cols.extend([Col::text("prompt", 0, 12), Col::text("answer", 2, 12)]);
    let mut table = Table::new(cols);
    for r in &records {
        let u = &r.response.usage;
        let mut row = vec![
            r.id.chars().take(8).collect::<String>(),
            output::local_time(&r.ts, false).unwrap_or_else(|| r.ts.clone()),
            r.provider.clone(),
            r.model.clone(),
            status_cell(r),
            r.helicone.cache.clone().unwrap_or_else(|| "-".into()),
            match (u.input, u.output) {
                (None, None) => "-".into(),
                (i, o) => format!("{}→{}", count(i), count(o)),
            },
            r.latency_ms.map_or("-".into(), |ms| format!("{ms} ms")),
        ];
        if with_cost {
            row.push(cost(r).map_or_else(|| "-".to_string(), output::usd));
        }
        row.push(wire::last_prompt(r.request.body.get()));
        row.push(answer_cell(r, format));
        table.row(row);
    }
    printer.table(&table, format)?;
    Ok(ExitStatus::Success)
}

fn count(n: Option<u64>) -> String {
    n.map_or("?".into(), |n| n.to_string())
}

/// The answer, or what happened instead.
fn answer_cell(r: &Record, format: TableFormat) -> String {
    match (&r.error, r.response.text.is_empty()) {
        (_, false) => output::cell_prefix(&r.response.text, format).to_string(),
        (Some(e), true) => format!("({e})"),
        (None, true) if !r.response.tool_calls.is_empty() => "(tool call)".into(),
        (None, true) => String::new(),
    }
}

fn status_cell(r: &Record) -> String {
    match (r.response.status, &r.error) {
        (_, Some(e)) if e == "interrupted" => "interrupted".into(),
        (Some(s), _) => s.to_string(),
        (None, Some(_)) => "error".into(),
        (None, None) => "-".into(),
    }
}

fn show(args: &LogShowArgs, path: &Path, printer: &Printer) -> Result<ExitStatus> {
    if let Some(c) = &args.conversation {
        return show_conversation(c, args.json, path, printer);
    }
    let sel = match &args.id {
        Some(id) => Selection::from_args(
            &Default::default(),
            std::slice::from_ref(id),
            None,
            SystemTime::now(),
        )?,
        // No id: the latest record.
        None => Selection {
            limit: Some(1),
            ..Selection::default()
        },
    };
    let (records, skipped) = select::select(path, &sel)?;
    select::warn_skipped(path, &skipped, printer);
    if records.is_empty() {
        return Err(Error::usage(format!(
            "the log {} holds no request yet; send one with hcl chat \"…\"",
            path.display()
        )));
    }
    let known = remembered(&records, path, printer)?;
    for r in &records {
        if args.json {
            printer.json_pretty(&WithKnown::of(r, &known))?;
        } else {
            printer.answer(&readable(r, known.get(&r.id)))?;
        }
    }
    Ok(ExitStatus::Success)
}

/// One record for a person: when, where, how it went, what was asked and
/// what came back.
fn readable(r: &Record, known: Option<&Known>) -> String {
    let mut out = Vec::new();
    let mut line = |label: &str, value: String| out.push(format!("{label:<9} {value}"));
    let mut id = r.id.clone();
    if let (Some(c), Some(t)) = (&r.conversation, r.turn) {
        id.push_str(&format!(
            "  (turn {t} of conversation {})",
            conversation::short(c)
        ));
    }
    if let Some(of) = &r.replay_of {
        id.push_str(&format!("  (replay of {})", &of[..of.len().min(8)]));
    }
    line("id", id);
    line(
        "time",
        output::local_time(&r.ts, true).unwrap_or_else(|| r.ts.clone()),
    );
    if r.batch.is_some() || r.shard.is_some() {
        let mut b = r.batch.clone().unwrap_or_else(|| "-".to_string());
        if let Some(a) = r.attempt {
            b.push_str(&format!(" · attempt {a}"));
        }
        if let Some(s) = &r.shard {
            b.push_str(&format!(" · shard {s}"));
        }
        line("batch", b);
    }
    line(
        "provider",
        format!(
            "{} · model {}{}",
            r.provider,
            r.model,
            if r.stream { " · streamed" } else { "" }
        ),
    );
    line("status", status_line(r));
    let u = &r.response.usage;
    if u.input.is_some() || u.output.is_some() {
        line(
            "tokens",
            format!(
                "{} in · {} out · {} total",
                count(u.input),
                count(u.output),
                count(u.total)
            ),
        );
    }
    if let Some(h) = &r.helicone.id {
        let mut h = h.clone();
        if let Some(cost) = known.and_then(|k| k.cost_usd) {
            h.push_str(&format!(" · cost {}", output::usd(cost)));
        }
        if let Some(status) = known.and_then(|k| k.status.as_deref()) {
            h.push_str(&format!(" · {status}"));
        }
        line("helicone", h);
    }
    for a in &r.attachments {
        line(
            "attached",
            format!("{} ({}, {} bytes)", a.name, a.media_type, a.size),
        );
    }
    if let Some(e) = &r.error {
        line("error", e.clone());
    }
    let body = r.request.body.get();
    out.push(String::new());
    out.push(format!(
        "> {}",
        wire::last_prompt(body).trim_end().replace('\n', "\n> ")
    ));
    out.push(String::new());
    for t in &r.response.tool_calls {
        out.push(format!("tool call: {}({})", t.name, t.arguments));
    }
    if let Some(refusal) = &r.response.refusal {
        out.push(format!("refused: {refusal}"));
    }
    out.push(match (&r.error, r.response.text.is_empty()) {
        (_, false) => r.response.text.trim_end().to_string(),
        (Some(_), true) => "(no answer)".to_string(),
        (None, true) => "(empty answer)".to_string(),
    });
    out.join("\n")
}

/// How an exchange went, on one line: status, finish, cache, timing.
fn status_line(r: &Record) -> String {
    let mut status = match r.response.status {
        Some(s) => s.to_string(),
        None => "no response".to_string(),
    };
    if let Some(f) = &r.response.finish_reason {
        status.push_str(&format!(" · finish {f}"));
    }
    status.push_str(&format!(
        " · cache {}",
        r.helicone.cache.as_deref().unwrap_or("off")
    ));
    if let Some(ms) = r.latency_ms {
        status.push_str(&format!(" · {ms} ms"));
    }
    if let Some(ms) = r.ttft_ms {
        status.push_str(&format!(" (first token {ms} ms)"));
    }
    status
}

/// What `hcl log verify` and `hcl log push` remembered about these records.
fn remembered(
    records: &[Record],
    path: &Path,
    printer: &Printer,
) -> Result<HashMap<String, Known>> {
    let ids: HashSet<&str> = records.iter().map(|r| r.id.as_str()).collect();
    let (known, warnings) = annotations::load(path, Some(&ids))?;
    printer.warn_all(&warnings);
    Ok(known)
}

/// A record as JSON, with what Helicone said about it (cost, latency,
/// verdict, push) under `helicone_remembered` when anything is known.
#[derive(Serialize)]
struct WithKnown<'a> {
    #[serde(flatten)]
    record: &'a Record,
    #[serde(skip_serializing_if = "Option::is_none")]
    helicone_remembered: Option<&'a Known>,
}

impl<'a> WithKnown<'a> {
    fn of(record: &'a Record, known: &'a HashMap<String, Known>) -> Self {
        WithKnown {
            record,
            helicone_remembered: known.get(&record.id),
        }
    }
}

/// `log show --conversation ID`: the transcript, Markdown or JSON.
fn show_conversation(id: &str, json: bool, path: &Path, printer: &Printer) -> Result<ExitStatus> {
    let (t, warnings) = conversation::transcript(path, conversation::Which::Id(id))?;
    printer.warn_all(&warnings);
    if json {
        printer.json_pretty(&t)?;
    } else {
        printer.answer(&t.markdown())?;
    }
    Ok(ExitStatus::Success)
}

/// `log conversations`: one row per conversation, most recent last.
fn conversations(
    args: &LogConversationsArgs,
    path: &Path,
    printer: &Printer,
) -> Result<ExitStatus> {
    if args.last == Some(0) {
        return Err(Error::usage("--last must be at least 1"));
    }
    let (mut rows, warnings) = conversation::list(path)?;
    printer.warn_all(&warnings);
    if !args.all {
        let n = args.last.unwrap_or(20);
        let extra = rows.len().saturating_sub(n);
        rows.drain(..extra);
    }
    let format = args.format.resolve();
    if format == TableFormat::Json {
        for r in &rows {
            printer.json_line(r)?;
        }
        return Ok(ExitStatus::Success);
    }
    if rows.is_empty() {
        printer.note(&format!(
            "no conversation in {}; start one with hcl chat \"…\" or hcl chat on a terminal",
            path.display()
        ));
        return Ok(ExitStatus::Success);
    }
    let mut table = Table::new(vec![
        Col::keep("id"),
        Col::fixed("turns", 3),
        Col::text("first prompt", 0, 12),
        Col::text("provider", 2, 8),
        Col::text("model", 1, 10),
        Col::keep(format!("last activity ({})", output::local_offset())),
    ]);
    for r in &rows {
        table.row(vec![
            conversation::short(&r.id).to_string(),
            r.turns.to_string(),
            r.first_prompt.clone(),
            r.providers.join(", "),
            r.model.clone(),
            output::local_time(&r.last_activity, false).unwrap_or_else(|| r.last_activity.clone()),
        ]);
    }
    printer.table(&table, format)?;
    Ok(ExitStatus::Success)
}

/// `log export --har FILE`: HAR 1.2, so exchanges open in browser devtools
/// and HTTP tools. Keys stay fingerprints, as in the log.
fn export(args: &LogExportArgs, path: &Path, printer: &Printer) -> Result<ExitStatus> {
    let records = selected(&args.select, None, None, path, printer)?;
    let har = Har {
        log: HarLog {
            version: "1.2",
            creator: HarCreator {
                name: "hcl",
                version: env!("CARGO_PKG_VERSION"),
            },
            entries: records.iter().map(har_entry).collect(),
        },
    };
    if args.har.as_os_str() == "-" {
        printer.json_pretty(&har)?;
        return Ok(ExitStatus::Success);
    }
    let text = serde_json::to_vec_pretty(&har)
        .map_err(|e| Error::Protocol(format!("cannot serialize the HAR file: {e}")))?;
    crate::files::write_private(&args.har, &text).map_err(|e| {
        Error::io(
            format!("cannot write the HAR file {}", args.har.display()),
            e,
        )
    })?;
    printer.note(&format!(
        "wrote {} exchanges to {}",
        records.len(),
        args.har.display()
    ));
    Ok(ExitStatus::Success)
}

#[derive(Serialize)]
struct Har<'a> {
    log: HarLog<'a>,
}

#[derive(Serialize)]
struct HarLog<'a> {
    version: &'static str,
    creator: HarCreator,
    entries: Vec<HarEntry<'a>>,
}

#[derive(Serialize)]
struct HarCreator {
    name: &'static str,
    version: &'static str,
}

#[derive(Serialize)]
struct NameValue<'a> {
    name: std::borrow::Cow<'a, str>,
    value: std::borrow::Cow<'a, str>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct HarEntry<'a> {
    started_date_time: &'a str,
    time: f64,
    request: HarRequest<'a>,
    response: HarResponse<'a>,
    cache: serde_json::Map<String, serde_json::Value>,
    timings: HarTimings,
    comment: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct HarRequest<'a> {
    method: &'a str,
    /// Without any user and password (a record of an older hcl may hold one).
    url: String,
    http_version: &'static str,
    cookies: [(); 0],
    headers: Vec<NameValue<'a>>,
    query_string: Vec<NameValue<'a>>,
    post_data: HarPostData<'a>,
    headers_size: i64,
    body_size: i64,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct HarPostData<'a> {
    mime_type: &'static str,
    text: &'a str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct HarResponse<'a> {
    status: u16,
    status_text: &'static str,
    http_version: &'static str,
    cookies: [(); 0],
    headers: Vec<NameValue<'a>>,
    content: HarContent<'a>,
    #[serde(rename = "redirectURL")]
    redirect_url: &'static str,
    headers_size: i64,
    body_size: i64,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct HarContent<'a> {
    size: i64,
    mime_type: &'static str,
    text: &'a str,
    comment: &'static str,
}

#[derive(Serialize)]
struct HarTimings {
    send: f64,
    wait: f64,
    receive: f64,
}

fn har_pairs(h: &log::HeaderList) -> Vec<NameValue<'_>> {
    h.0.iter()
        .map(|(n, v)| NameValue {
            name: n.as_str().into(),
            value: v.as_str().into(),
        })
        .collect()
}

fn har_entry(r: &Record) -> HarEntry<'_> {
    let query_string = reqwest::Url::parse(&r.request.url)
        .map(|u| {
            u.query_pairs()
                .map(|(n, v)| NameValue {
                    name: n.into_owned().into(),
                    value: v.into_owned().into(),
                })
                .collect::<Vec<_>>()
        })
        .unwrap_or_default();
    let body = r.request.body.get();
    let status = r.response.status.unwrap_or(0);
    let total = r.latency_ms.unwrap_or(0) as f64;
    let wait = r.ttft_ms.map_or(total, |t| t as f64).min(total);
    let mut comment = format!("hcl record {}", r.id);
    if let Some(c) = &r.helicone.cache {
        comment.push_str(&format!("; Helicone cache {c}"));
    }
    if let Some(of) = &r.replay_of {
        comment.push_str(&format!("; replay of {of}"));
    }
    if let Some(e) = &r.error {
        comment.push_str(&format!("; error: {e}"));
    }
    HarEntry {
        started_date_time: &r.ts,
        time: total,
        request: HarRequest {
            method: &r.request.method,
            url: crate::request::redact_url(&r.request.url),
            http_version: "HTTP/1.1",
            cookies: [],
            headers: har_pairs(&r.request.headers),
            query_string,
            post_data: HarPostData {
                mime_type: "application/json",
                text: body,
            },
            headers_size: -1,
            body_size: body.len() as i64,
        },
        response: HarResponse {
            status,
            status_text: reqwest::StatusCode::from_u16(status)
                .ok()
                .and_then(|s| s.canonical_reason())
                .unwrap_or(""),
            http_version: "HTTP/1.1",
            cookies: [],
            headers: har_pairs(&r.response.headers),
            content: HarContent {
                size: r.response.text.len() as i64,
                mime_type: "text/plain; charset=utf-8",
                text: &r.response.text,
                comment: "the answer's text as hcl decoded it, not the raw body",
            },
            redirect_url: "",
            headers_size: -1,
            body_size: -1,
        },
        cache: serde_json::Map::new(),
        timings: HarTimings {
            send: 0.0,
            wait,
            receive: total - wait,
        },
        comment,
    }
}
