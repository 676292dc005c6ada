//! `--resume [RESULTS]`: what an earlier run of the batch already answered,
//! so that it is not sent (and billed) again, and its result is written
//! again in its place.
//!
//! Two sources, the request log first:
//! - the log: every record of a batch names its batch, its input and its
//!   line (the line's `id`, else a digest of its bytes), so the answered
//!   lines are known even when the earlier run was killed before it wrote
//!   their results (an ordered run holds finished results back behind a
//!   slow one);
//! - an earlier results file: the ids of the lines that succeeded in it
//!   (for runs with `--no-log`, or logs written before hcl kept lines).
//!
//! Which earlier batch is continued, in this order: the one named with
//! `-p Hcl-Batch=NAME`; the one the results file's `log_id`s belong to; the
//! newest batch in the log read from the same input file by the same shard
//! (`--shard K/N`), else, for a sharded run, by an unsharded run.

use std::collections::HashMap;
use std::fs::File;
use std::io::{BufRead, BufReader, Seek, SeekFrom};
use std::ops::ControlFlow;
use std::path::{Path, PathBuf};

use serde::Deserialize;
use serde_json::Value;

use super::results::ResultLine;
use crate::error::{Error, Result};
use crate::log::{self, BatchLine, Record};
use crate::output::Printer;
use crate::select;
use crate::wire::Usage;

/// How many of the results file's log ids are looked up to find its batch.
const LOG_IDS_TRIED: usize = 16;

/// A successful line of an earlier results file, as much as a result needs.
#[derive(Deserialize)]
struct PriorResult {
    #[serde(default)]
    id: Option<Value>,
    #[serde(default)]
    log_id: Option<String>,
    #[serde(default)]
    status: Option<u16>,
    #[serde(default)]
    text: Option<String>,
    #[serde(default)]
    usage: Usage,
    #[serde(default)]
    finish_reason: Option<String>,
    #[serde(default)]
    cache: Option<String>,
    #[serde(default)]
    helicone_id: Option<String>,
    #[serde(default)]
    latency_ms: Option<u64>,
    #[serde(default)]
    attempts: Option<u32>,
    #[serde(default)]
    error: Option<Value>,
}

impl PriorResult {
    fn ok(&self) -> bool {
        self.status.is_some_and(|s| (200..300).contains(&s))
            && self.error.as_ref().is_none_or(Value::is_null)
    }
}

/// A line an earlier run answered: its result again, and where the earlier
/// request went (`provider`, `model`) when the log says.
pub(super) struct Earlier {
    pub(super) result: ResultLine,
    pub(super) sent_to: Option<(String, String)>,
}

/// Where the run finds the answers of an earlier run.
pub(super) struct Resume {
    /// The earlier batch found in the log (its id is this run's too).
    pub(super) batch: Option<String>,
    log_path: Option<PathBuf>,
    /// Answered lines in the log: line key → (line number, record offset).
    log_done: HashMap<String, Vec<(u64, u64)>>,
    results_path: Option<PathBuf>,
    /// Ids that succeeded in the results file (as JSON text) → line offset.
    results_done: HashMap<String, u64>,
}

/// What `--resume` was given and what it searches.
pub(super) struct ResumeFrom<'a> {
    pub(super) results: Option<&'a Path>,
    pub(super) log: Option<&'a Path>,
    /// `-p Hcl-Batch=NAME`.
    pub(super) named: Option<&'a str>,
    /// The batch input as records name it (`batch_input`).
    pub(super) input: &'a str,
    /// This run's `--shard K/N`, as records name it (`shard`).
    pub(super) shard: Option<&'a str>,
}

impl Resume {
    pub(super) fn open(from: &ResumeFrom<'_>, printer: &Printer) -> Result<Resume> {
        let (results_done, log_ids) = match from.results {
            Some(path) => read_results(path)?,
            None => (HashMap::new(), Vec::new()),
        };
        if from.results.is_none() {
            if from.log.is_none() {
                return Err(Error::usage(
                    "--resume without a results file reads the request log, which --no-log turns off; give the earlier results file (--resume RESULTS), or drop --no-log",
                ));
            }
            if from.named.is_none() && from.input == "-" {
                return Err(Error::usage(
                    "--resume cannot tell which earlier batch read from stdin to continue; name the batch with -p Hcl-Batch=ID (the earlier run's summary and `hcl log list` show its id), or give the earlier results file (--resume RESULTS)",
                ));
            }
        }
        let mut resume = Resume {
            batch: None,
            log_path: from.log.map(Path::to_path_buf),
            log_done: HashMap::new(),
            results_path: from.results.map(Path::to_path_buf),
            results_done,
        };
        if let Some(log_path) = from.log {
            resume.batch = match from.named {
                Some(name) => Some(name.to_string()),
                None => find_batch(log_path, &log_ids, from.input, from.shard)?,
            };
            if let Some(batch) = &resume.batch {
                resume.log_done = answered_lines(log_path, batch)?;
            }
        }
        resume.say(from, printer);
        Ok(resume)
    }

    /// Tell what was found.
    fn say(&self, from: &ResumeFrom<'_>, printer: &Printer) {
        let answered: usize = self.log_done.values().map(Vec::len).sum();
        match &self.batch {
            Some(batch) => printer.note(&format!(
                "resuming batch {batch}: {answered} lines answered in the request log are not sent again"
            )),
            None if from.log.is_some() && from.named.is_none() => printer.note(&format!(
                "no earlier batch read from {}{} is in the request log{}",
                from.input,
                from.shard
                    .map(|s| format!(" as shard {s} or unsharded"))
                    .unwrap_or_default(),
                if from.results.is_some() {
                    "; only the results file says what is done"
                } else {
                    ": every line is sent"
                }
            )),
            None => {}
        }
    }

    /// The earlier result of `line` when an earlier run answered it, marked
    /// resumed; `None` when the line is still to be sent. A match is used
    /// once, so a line given twice is answered twice.
    pub(super) fn take(
        &mut self,
        line: &BatchLine,
        id: Option<&Value>,
        printer: &Printer,
    ) -> Option<Earlier> {
        if let Some(key) = line.key()
            && let Some(found) = self.log_done.get_mut(&key)
            && !found.is_empty()
        {
            // The same line number if it is there (the input unchanged), else the first.
            let i = found.iter().position(|(n, _)| *n == line.n).unwrap_or(0);
            let (_, offset) = found.remove(i);
            match self.read_record(offset) {
                Ok(record) => {
                    let sent_to = Some((record.provider.clone(), record.model.clone()));
                    let result = from_record(line.n, id, record);
                    return Some(Earlier { result, sent_to });
                }
                Err(e) => printer.warn(&format!("{e}; line {} is sent again", line.n)),
            }
        }
        let offset = *self.results_done.get(&id?.to_string())?;
        match self.read_result(offset) {
            Ok(prior) => Some(Earlier {
                result: from_prior(line.n, id, prior),
                sent_to: None,
            }),
            Err(e) => {
                printer.warn(&format!("{e}; line {} is sent again", line.n));
                None
            }
        }
    }

    fn read_record(&self, offset: u64) -> std::result::Result<Record, String> {
        let path = self.log_path.as_deref().unwrap_or(Path::new(""));
        let line = read_line_at(path, offset)
            .map_err(|e| format!("cannot read the request log {}: {e}", path.display()))?;
        log::parse_line(&line).map_err(|e| {
            format!(
                "the earlier answer in the request log {} is unreadable ({e})",
                path.display()
            )
        })
    }

    fn read_result(&self, offset: u64) -> std::result::Result<PriorResult, String> {
        let path = self.results_path.as_deref().unwrap_or(Path::new(""));
        let line = read_line_at(path, offset)
            .map_err(|e| format!("cannot read --resume {}: {e}", path.display()))?;
        serde_json::from_slice(&line).map_err(|e| {
            format!(
                "the earlier result in {} is unreadable ({e})",
                path.display()
            )
        })
    }
}

/// The line of `path` that starts at `offset`.
fn read_line_at(path: &Path, offset: u64) -> std::io::Result<Vec<u8>> {
    let mut file = File::open(path)?;
    file.seek(SeekFrom::Start(offset))?;
    let mut buf = Vec::new();
    BufReader::new(file).read_until(b'\n', &mut buf)?;
    Ok(buf)
}

/// A result rebuilt from the logged record of its answer: the shape a
/// fresh run writes, plus `"resumed": true`.
fn from_record(n: u64, id: Option<&Value>, r: Record) -> ResultLine {
    ResultLine {
        line: n as usize,
        id: id.cloned(),
        log_id: Some(r.id),
        status: r.response.status,
        text: Some(r.response.text),
        usage: r.response.usage,
        finish_reason: r.response.finish_reason,
        cache: r.helicone.cache,
        helicone_id: r.helicone.id,
        latency_ms: r.latency_ms,
        attempts: r.attempt.unwrap_or(1),
        error: None,
        error_kind: None,
        resumed: true,
    }
}

/// A result carried over from the earlier results file.
fn from_prior(n: u64, id: Option<&Value>, p: PriorResult) -> ResultLine {
    ResultLine {
        line: n as usize,
        id: id.cloned(),
        log_id: p.log_id,
        status: p.status,
        text: p.text,
        usage: p.usage,
        finish_reason: p.finish_reason,
        cache: p.cache,
        helicone_id: p.helicone_id,
        latency_ms: p.latency_ms,
        attempts: p.attempts.unwrap_or(1),
        error: None,
        error_kind: None,
        resumed: true,
    }
}

type ResultsRead = (HashMap<String, u64>, Vec<String>);

/// The ids that succeeded in an earlier results file (status 2xx, no
/// error), as their JSON text (so `"1"` and `1` stay different ids), with
/// the offset of their line; and the first few log ids, to find the batch.
fn read_results(path: &Path) -> Result<ResultsRead> {
    let cannot = |e: std::io::Error| {
        Error::usage(format!(
            "cannot read --resume {}: {e}; give the results file of an earlier run",
            path.display()
        ))
    };
    let mut reader = BufReader::new(File::open(path).map_err(cannot)?);
    let mut done = HashMap::new();
    let mut log_ids = Vec::new();
    let mut buf = Vec::new();
    let mut offset = 0u64;
    loop {
        buf.clear();
        let n = reader.read_until(b'\n', &mut buf).map_err(cannot)?;
        if n == 0 {
            break;
        }
        let at = offset;
        offset += n as u64;
        // A torn or foreign line proves nothing succeeded: it is skipped.
        let Ok(prior) = serde_json::from_slice::<PriorResult>(&buf) else {
            continue;
        };
        if !prior.ok() {
            continue;
        }
        if log_ids.len() < LOG_IDS_TRIED
            && let Some(l) = &prior.log_id
        {
            log_ids.push(l.clone());
        }
        if let Some(id) = prior.id.filter(|v| !v.is_null()) {
            done.insert(id.to_string(), at);
        }
    }
    Ok((done, log_ids))
}

/// Whether a log line may hold `needle` (a cheap test before parsing).
fn mentions(line: &[u8], needle: &str) -> bool {
    std::str::from_utf8(line).is_ok_and(|s| s.contains(needle))
}

/// The batch to continue: the batch of one of `log_ids`, else the newest
/// batch read from the file `input` by the same shard (`shard`: this run's
/// `--shard K/N`, `None` unsharded), else, for a sharded run, the newest
/// unsharded batch of `input` (it answered every shard's lines). A batch of
/// another shard is never taken: its lines are not this run's, and its id
/// would make two runners' batches one.
fn find_batch(
    path: &Path,
    log_ids: &[String],
    input: &str,
    shard: Option<&str>,
) -> Result<Option<String>> {
    let mut found = None;
    if !log_ids.is_empty() {
        log::scan_back(path, |_, line, _| {
            if let Some(id) = log_ids.iter().find(|id| mentions(line, id))
                && let Ok(r) = log::parse_line(line)
                && r.id == *id
                && r.batch.is_some()
            {
                found = r.batch;
                return ControlFlow::Break(());
            }
            ControlFlow::Continue(())
        })?;
        if found.is_some() {
            return Ok(found);
        }
    }
    // Every batch read from stdin is named `-`: that names none of them.
    if input == "-" {
        return Ok(None);
    }
    let needle = format!("\"batch_input\":{}", json_string(input));
    // The newest unsharded batch, kept while a sharded run looks further
    // back for its own shard's.
    let mut unsharded = None;
    log::scan_back(path, |_, line, _| {
        if mentions(line, &needle)
            && let Ok(r) = log::parse_line(line)
            && r.batch_input.as_deref() == Some(input)
            && r.batch.is_some()
        {
            if r.shard.as_deref() == shard {
                found = r.batch;
                return ControlFlow::Break(());
            }
            if r.shard.is_none() && unsharded.is_none() {
                unsharded = r.batch;
            }
        }
        ControlFlow::Continue(())
    })?;
    Ok(found.or(unsharded))
}

fn json_string(s: &str) -> String {
    serde_json::to_string(s).unwrap_or_default()
}

/// The lines of `batch` the log shows as answered (2xx, no error): by line
/// key, each line number once, with the offset of its record.
fn answered_lines(path: &Path, batch: &str) -> Result<HashMap<String, Vec<(u64, u64)>>> {
    let needle = format!("\"batch\":{}", json_string(batch));
    let mut done: HashMap<String, Vec<(u64, u64)>> = HashMap::new();
    log::scan_back(path, |offset, line, _| {
        if !mentions(line, &needle) {
            return ControlFlow::Continue(());
        }
        let Ok(r) = log::parse_line(line) else {
            return ControlFlow::Continue(());
        };
        if r.batch.as_deref() != Some(batch) || !select::is_ok(&r) {
            return ControlFlow::Continue(());
        }
        if let Some(l) = &r.line
            && let Some(key) = l.key()
        {
            let seen = done.entry(key).or_default();
            if !seen.iter().any(|(n, _)| *n == l.n) {
                seen.push((l.n, offset));
            }
        }
        ControlFlow::Continue(())
    })?;
    // The earliest line numbers first.
    for v in done.values_mut() {
        v.sort_unstable();
    }
    Ok(done)
}

/// How the batch input is named in records: its absolute path, or `-`.
pub(super) fn input_name(input: &Path) -> String {
    if input.as_os_str() == "-" {
        return "-".to_string();
    }
    std::fs::canonicalize(input)
        .unwrap_or_else(|_| input.to_path_buf())
        .display()
        .to_string()
}
