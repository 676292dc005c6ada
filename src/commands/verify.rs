//! `hcl log verify`: ask Helicone's REST API whether it logged each selected
//! request, and say which are logged, missing, pending, direct or differ.

use std::collections::{HashMap, HashSet};
use std::path::Path;
use std::time::{Duration, SystemTime};

use futures_util::StreamExt;
use serde::Serialize;

use super::junit;
use crate::annotations::{self, Event, EventKind, Known};
use crate::cli::{LogVerifyArgs, SelectArgs, TableFormat, VerifyExpect};
use crate::error::{Error, ExitStatus, Result};
use crate::helicone_api::types::HeliconeRequest;
use crate::helicone_api::{self, Api, ApiError, Permission, Target};
use crate::log::{self, Record};
use crate::output::{self, Printer};
use crate::select::{self, Selection};
use crate::settings::Env;

/// Requests verified when nothing narrows the selection.
pub const DEFAULT_LAST: usize = 20;
/// GETs in flight at once when the bulk query is not allowed.
const GET_CONCURRENCY: usize = 8;
/// The clock skew allowed between this machine and Helicone.
const SKEW: Duration = Duration::from_secs(3600);

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    Logged,
    Missing,
    Pending,
    Direct,
    Mismatch,
}

impl Status {
    pub fn label(self) -> &'static str {
        match self {
            Status::Logged => "logged",
            Status::Missing => "missing",
            Status::Pending => "pending",
            Status::Direct => "direct",
            Status::Mismatch => "mismatch",
        }
    }

    /// Counts against `--expect logged`.
    pub fn is_gap(self) -> bool {
        matches!(self, Status::Missing | Status::Mismatch)
    }
}

/// A field Helicone holds differently from the local record.
#[derive(Debug, Clone, Serialize)]
pub struct Mismatch {
    pub field: &'static str,
    pub local: String,
    pub helicone: String,
}

/// The verdict on one record.
#[derive(Debug, Clone, Serialize)]
pub struct Verdict {
    pub id: String,
    pub helicone_id: String,
    pub ts: String,
    pub provider: String,
    pub model: String,
    pub status: Status,
    pub detail: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub mismatches: Vec<Mismatch>,
    pub cost_usd: Option<f64>,
    pub latency_ms: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub batch: Option<String>,
    /// The batch line's id, else the prompt's preview: the JUnit case's name.
    #[serde(skip)]
    pub preview: String,
}

#[derive(Debug, Default, Serialize)]
pub struct Summary {
    pub requests: usize,
    pub logged: usize,
    pub missing: usize,
    pub pending: usize,
    pub direct: usize,
    pub mismatch: usize,
}

impl Summary {
    pub fn of(verdicts: &[Verdict]) -> Summary {
        let mut s = Summary {
            requests: verdicts.len(),
            ..Summary::default()
        };
        for v in verdicts {
            *match v.status {
                Status::Logged => &mut s.logged,
                Status::Missing => &mut s.missing,
                Status::Pending => &mut s.pending,
                Status::Direct => &mut s.direct,
                Status::Mismatch => &mut s.mismatch,
            } += 1;
        }
        s
    }

    pub fn line(&self) -> String {
        format!(
            "verified {} requests: {} logged, {} missing, {} pending, {} direct, {} mismatch",
            self.requests, self.logged, self.missing, self.pending, self.direct, self.mismatch
        )
    }
}

pub fn run(args: &LogVerifyArgs, env: Env<'_>, printer: &Printer) -> Result<ExitStatus> {
    printer.set_verbosity(args.quiet, false);
    let config = super::load_config(env, printer)?;
    let grace = parse_grace(&args.grace)?;
    let timeout = helicone_api::timeout(args.rest.timeout)?;
    let path = log::default_path(env)?;
    let records = select_records(&args.ids, &args.select, &path, printer)?;
    // A --direct request that `hcl log push` sent is looked up like any other.
    let ids: HashSet<&str> = records.iter().map(|r| r.id.as_str()).collect();
    let (known, warnings) = annotations::load(&path, Some(&ids))?;
    printer.warn_all(&warnings);
    let (pushed_direct, direct): (Vec<Record>, Vec<Record>) = records
        .iter()
        .filter(|r| !helicone_api::via_helicone(r))
        .cloned()
        .partition(|r| known.get(&r.id).is_some_and(|k| k.pushed_at.is_some()));
    let key = helicone_api::helicone_key(env, &config, "hcl log verify")?;
    let target = Target::resolve(env, &config, key)?;
    helicone_api::warn_if_unlike(&target, printer);
    let api = Api::new(target, timeout, env)?;
    let runtime = super::runtime()?;
    let via: Vec<Record> = records
        .iter()
        .filter(|r| helicone_api::via_helicone(r))
        .cloned()
        .collect();
    let verdicts = runtime.block_on(async {
        tokio::select! {
            v = async {
                let mut v = check(&api, &via, grace, false, printer).await?;
                v.extend(check(&api, &pushed_direct, grace, true, printer).await?);
                v.extend(check(&api, &direct, grace, false, printer).await?);
                Ok::<_, Error>(v)
            } => v,
            signal = super::interrupted() => Err(Error::Interrupted(signal)),
        }
    })?;
    // In the selection's order.
    let order: HashMap<&str, usize> = records
        .iter()
        .enumerate()
        .map(|(i, r)| (r.id.as_str(), i))
        .collect();
    let mut verdicts = verdicts;
    verdicts.sort_by_key(|v| order.get(v.id.as_str()).copied());
    remember(&path, &verdicts, printer)?;

    if let Some(file) = &args.junit {
        write_junit(file, &verdicts)?;
    }
    let summary = Summary::of(&verdicts);
    match args.format.resolve() {
        TableFormat::Json => printer.json(&Report {
            requests: &verdicts,
            summary: &summary,
        })?,
        format => {
            print_rows(&verdicts, format == TableFormat::Tsv, printer)?;
            if format == TableFormat::Table {
                printer.line(&summary.line())?;
            }
        }
    }
    if args.expect == Some(VerifyExpect::Logged) {
        let gaps: Vec<&Verdict> = verdicts.iter().filter(|v| v.status.is_gap()).collect();
        if !gaps.is_empty() {
            printer.error(&gap_message(&gaps, verdicts.len(), &args.select));
            return Ok(ExitStatus::Expectation);
        }
    }
    Ok(ExitStatus::Success)
}

#[derive(Serialize)]
struct Report<'a> {
    requests: &'a [Verdict],
    summary: &'a Summary,
}

/// `--grace`: a humantime duration.
pub fn parse_grace(raw: &str) -> Result<Duration> {
    humantime::parse_duration(raw.trim()).map_err(|_| {
        Error::usage(format!(
            "--grace '{raw}' is not a duration; write it as 30s, 10m or 2h"
        ))
    })
}

/// The records `ids` and `select` choose; the last [`DEFAULT_LAST`] when
/// nothing narrows them. None is a usage error.
pub fn select_records(
    ids: &[String],
    select: &SelectArgs,
    path: &Path,
    printer: &Printer,
) -> Result<Vec<Record>> {
    let mut sel = Selection::from_args(select, ids, None, SystemTime::now())?;
    if ids.is_empty() && select.last.is_none() && !select.all && !sel.has_filters() {
        sel.limit = Some(DEFAULT_LAST);
    }
    let (records, skipped) = select::select(path, &sel)?;
    select::warn_skipped(path, &skipped, printer);
    if records.is_empty() {
        return Err(Error::usage(format!(
            "no logged request matches the selection in {}; see `hcl log list`",
            path.display()
        )));
    }
    Ok(records)
}

/// Ask Helicone about every record that went through it (and, with
/// `lookup_direct`, about `--direct` ones too, under their own ids: those
/// `hcl log push` sent), then judge each.
pub async fn check(
    api: &Api,
    records: &[Record],
    grace: Duration,
    lookup_direct: bool,
    printer: &Printer,
) -> Result<Vec<Verdict>> {
    let mut ids: Vec<String> = Vec::new();
    let mut seen = HashSet::new();
    for r in records {
        if lookup_direct || helicone_api::via_helicone(r) {
            let id = helicone_api::request_id(r);
            if seen.insert(id.clone()) {
                ids.push(id);
            }
        }
    }
    // Helicone's creation time is the request's start; allow an hour of
    // clock skew between this machine and Helicone.
    let since = records
        .iter()
        .filter_map(|r| {
            let end = humantime::parse_rfc3339_weak(&r.ts).ok()?;
            end.checked_sub(Duration::from_millis(r.latency_ms.unwrap_or(0)) + SKEW)
        })
        .min()
        .map(|t| humantime::format_rfc3339_seconds(t).to_string());
    let found = lookup(api, &ids, since.as_deref(), printer).await?;
    let now = SystemTime::now();
    Ok(records
        .iter()
        .map(|r| judge(r, &found, grace, now, lookup_direct))
        .collect())
}

/// Helicone's records of `ids`, by id: one bulk query per 100 ids, or, for a
/// key without write permission, one GET per id.
async fn lookup(
    api: &Api,
    ids: &[String],
    since: Option<&str>,
    printer: &Printer,
) -> Result<HashMap<String, HeliconeRequest>> {
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    let found = match api.query_ids(ids, since).await {
        Ok(found) => found,
        Err(ApiError::NoPermission {
            needs: Permission::Write,
            ..
        }) => {
            printer.note(&format!(
                "{} has no write permission, which Helicone's bulk query needs; asking for each of the {} requests on its own (GET /v1/request/{{id}})",
                api.target.who(),
                ids.len()
            ));
            let mut answers = futures_util::stream::iter(ids.iter())
                .map(|id| api.get_request(id))
                .buffer_unordered(GET_CONCURRENCY);
            let mut found = Vec::new();
            while let Some(answer) = answers.next().await {
                match answer {
                    Ok(Some(h)) => found.push(h),
                    Ok(None) => {}
                    Err(e) => return Err(api.explain(e)),
                }
            }
            found
        }
        Err(e) => return Err(api.explain(e)),
    };
    Ok(found
        .into_iter()
        .map(|h| (h.request_id.to_ascii_lowercase(), h))
        .collect())
}

fn age(r: &Record, now: SystemTime) -> Option<Duration> {
    humantime::parse_rfc3339_weak(&r.ts)
        .ok()
        .map(|t| now.duration_since(t).unwrap_or_default())
}

fn ago(d: Option<Duration>) -> String {
    match d {
        Some(d) => {
            let secs = d.as_secs();
            let rounded = if secs >= 3600 {
                Duration::from_secs(secs / 60 * 60)
            } else {
                Duration::from_secs(secs)
            };
            humantime::format_duration(rounded).to_string()
        }
        None => "an unknown time".to_string(),
    }
}

fn judge(
    r: &Record,
    found: &HashMap<String, HeliconeRequest>,
    grace: Duration,
    now: SystemTime,
    lookup_direct: bool,
) -> Verdict {
    let helicone_id = helicone_api::request_id(r);
    let mut v = Verdict {
        id: r.id.clone(),
        helicone_id: helicone_id.clone(),
        ts: r.ts.clone(),
        provider: r.provider.clone(),
        model: r.model.clone(),
        status: Status::Logged,
        detail: String::new(),
        mismatches: Vec::new(),
        cost_usd: None,
        latency_ms: None,
        batch: r.batch.clone(),
        preview: junit::record_name(r),
    };
    let direct = !helicone_api::via_helicone(r);
    let age = age(r, now);
    match found.get(&helicone_id.to_ascii_lowercase()) {
        _ if direct && !lookup_direct => {
            v.status = Status::Direct;
            v.detail =
                "sent with --direct, so Helicone never saw it (hcl log push --include-direct sends it)"
                    .to_string();
        }
        Some(h) => {
            v.cost_usd = h.cost();
            v.latency_ms = h.latency_ms();
            v.mismatches = compare(r, h);
            if v.mismatches.is_empty() {
                v.status = Status::Logged;
                v.detail = omitted_note(r);
            } else {
                v.status = Status::Mismatch;
                v.detail = v
                    .mismatches
                    .iter()
                    .map(|m| format!("{}: {} here, {} in Helicone", m.field, m.local, m.helicone))
                    .collect::<Vec<_>>()
                    .join("; ");
            }
        }
        None if direct => {
            v.status = Status::Direct;
            v.detail = "sent with --direct; not in Helicone".to_string();
        }
        None if age.is_none_or(|a| a < grace) => {
            v.status = Status::Pending;
            v.detail = format!(
                "not in Helicone yet, {} after it was sent; Helicone logs asynchronously, so it counts as missing only after --grace {}",
                ago(age),
                humantime::format_duration(grace)
            );
        }
        None => {
            v.status = Status::Missing;
            v.detail = if r.response.status.is_none() {
                format!(
                    "not in Helicone {} after it was sent; it was never answered, so Helicone may not have seen it",
                    ago(age)
                )
            } else {
                format!(
                    "not in Helicone {} after it was sent (was the Helicone key one Helicone knows? `hcl auth check`)",
                    ago(age)
                )
            };
        }
    }
    v
}

/// A note for a logged request whose body Helicone was told not to keep.
fn omitted_note(r: &Record) -> String {
    let sent = |name: &str| {
        r.request
            .headers
            .0
            .iter()
            .any(|(n, val)| n.eq_ignore_ascii_case(name) && val.eq_ignore_ascii_case("true"))
    };
    match (
        sent("Helicone-Omit-Request"),
        sent("Helicone-Omit-Response"),
    ) {
        (true, true) => "Helicone holds no request or response body (sent with --omit-request and --omit-response)".to_string(),
        (true, false) => "Helicone holds no request body (sent with --omit-request)".to_string(),
        (false, true) => "Helicone holds no response body (sent with --omit-response)".to_string(),
        (false, false) => String::new(),
    }
}

/// A dated snapshot (`gpt-4o-mini-2024-07-18`, `claude-3-5-haiku-20241022`,
/// `gemini-1.5-flash-001`) or a `-latest` alias is the model it names; a
/// sibling (`gpt-4o-mini` and `gpt-4o`) is not.
fn same_model(a: &str, b: &str) -> bool {
    let (a, b) = (model_family(a), model_family(b));
    a == b
}

/// A model name without `models/`, case, and a version suffix.
fn model_family(m: &str) -> String {
    let m = m.trim().trim_start_matches("models/").to_ascii_lowercase();
    let digits = |s: &str, n: usize| s.len() == n && s.bytes().all(|b| b.is_ascii_digit());
    let segments: Vec<&str> = m.split('-').collect();
    let n = segments.len();
    let keep = if n > 1 && segments[n - 1] == "latest" {
        n - 1
    } else if n > 3
        && digits(segments[n - 3], 4)
        && digits(segments[n - 2], 2)
        && digits(segments[n - 1], 2)
    {
        n - 3
    } else if n > 1 && (digits(segments[n - 1], 8) || digits(segments[n - 1], 3)) {
        n - 1
    } else {
        n
    };
    segments[..keep].join("-")
}

/// Where Helicone's record differs from the local one: the status, the
/// model, the token counts. Only what both sides know is compared.
fn compare(r: &Record, h: &HeliconeRequest) -> Vec<Mismatch> {
    let mut out = Vec::new();
    if r.error.is_none()
        && let (Some(local), Some(theirs)) = (r.response.status, h.status())
        && theirs > 0
        && i64::from(local) != theirs
    {
        out.push(Mismatch {
            field: "status",
            local: local.to_string(),
            helicone: theirs.to_string(),
        });
    }
    if let Some(theirs) = h.shown_model()
        && !r.model.is_empty()
        && !same_model(&r.model, theirs)
    {
        out.push(Mismatch {
            field: "model",
            local: r.model.clone(),
            helicone: theirs.to_string(),
        });
    }
    for (field, local, theirs) in [
        ("input tokens", r.response.usage.input, h.input_tokens()),
        ("output tokens", r.response.usage.output, h.output_tokens()),
    ] {
        if let (Some(l), Some(t)) = (local, theirs)
            && l != t
        {
            out.push(Mismatch {
                field,
                local: l.to_string(),
                helicone: t.to_string(),
            });
        }
    }
    out
}

/// Remember verdicts beside the log, only where they add to what is known.
pub fn remember(path: &Path, verdicts: &[Verdict], printer: &Printer) -> Result<()> {
    let ids: HashSet<&str> = verdicts.iter().map(|v| v.id.as_str()).collect();
    let (known, warnings) = annotations::load(path, Some(&ids))?;
    printer.warn_all(&warnings);
    let events: Vec<Event> = verdicts
        .iter()
        .filter(|v| v.status != Status::Direct && v.status != Status::Pending)
        .filter(|v| {
            known.get(&v.id).is_none_or(|k: &Known| {
                k.status.as_deref() != Some(v.status.label())
                    || (v.cost_usd.is_some() && k.cost_usd != v.cost_usd)
                    || (v.latency_ms.is_some() && k.latency_ms != v.latency_ms)
            })
        })
        .map(|v| {
            let mut e = Event::new(&v.id, EventKind::Verified);
            e.status = Some(v.status.label().to_string());
            e.helicone_id = Some(v.helicone_id.clone());
            e.cost_usd = v.cost_usd;
            e.latency_ms = v.latency_ms;
            e
        })
        .collect();
    annotations::append(path, &events)
}

fn print_rows(verdicts: &[Verdict], tsv: bool, printer: &Printer) -> Result<()> {
    let header = [
        "id", "time", "provider", "model", "helicone", "cost", "latency", "detail",
    ];
    let rows = verdicts
        .iter()
        .map(|v| {
            vec![
                if tsv {
                    v.id.clone()
                } else {
                    v.id.chars().take(8).collect()
                },
                if tsv {
                    v.ts.clone()
                } else {
                    v.ts.chars().take(19).collect::<String>().replace('T', " ")
                },
                v.provider.clone(),
                v.model.clone(),
                v.status.label().to_string(),
                v.cost_usd.map_or_else(|| "-".to_string(), output::usd),
                v.latency_ms
                    .map_or_else(|| "-".to_string(), |ms| format!("{ms} ms")),
                v.detail.clone(),
            ]
        })
        .collect();
    printer.rows(tsv, &header, rows)
}

/// The error of `--expect logged`: how many, and which.
fn gap_message(gaps: &[&Verdict], total: usize, select: &SelectArgs) -> String {
    const NAMED: usize = 50;
    let mut names: Vec<String> = gaps
        .iter()
        .take(NAMED)
        .map(|v| {
            format!(
                "{} ({})",
                v.id.chars().take(8).collect::<String>(),
                v.status.label()
            )
        })
        .collect();
    if gaps.len() > NAMED {
        names.push(format!("and {} more", gaps.len() - NAMED));
    }
    let push = match &select.batch {
        Some(b) => format!("hcl log push --batch {b}"),
        None => "hcl log push".to_string(),
    };
    format!(
        "{} of {total} requests are missing from Helicone or differ from the log: {}; `{push}` sends the missing ones",
        gaps.len(),
        names.join(", ")
    )
}

/// A JUnit report: one test case per request, failed when missing or
/// mismatched, skipped when pending or direct.
fn write_junit(file: &Path, verdicts: &[Verdict]) -> Result<()> {
    use quick_junit::{NonSuccessKind, Property, TestCaseStatus};
    let cases = verdicts
        .iter()
        .map(|v| {
            let message = format!("{}: {}", v.status.label(), v.detail);
            let status = match v.status {
                Status::Logged => TestCaseStatus::success(),
                Status::Missing | Status::Mismatch => {
                    let reason = v
                        .mismatches
                        .iter()
                        .map(|m| format!("{}: local {}, Helicone {}", m.field, m.local, m.helicone))
                        .collect::<Vec<_>>()
                        .join("\n");
                    let reason = if reason.is_empty() {
                        message.clone()
                    } else {
                        reason
                    };
                    junit::non_success(NonSuccessKind::Failure, v.status.label(), &message, &reason)
                }
                Status::Pending | Status::Direct => {
                    let mut s = TestCaseStatus::skipped();
                    s.set_message(message);
                    s
                }
            };
            // The batch line's id names the case, else the prompt.
            let mut case = junit::case(
                v.preview.clone(),
                junit::classname(&v.provider, &v.model),
                v.latency_ms,
                status,
            );
            case.add_property(Property::new("id", v.id.as_str()));
            case.add_property(Property::new("helicone_id", v.helicone_id.as_str()));
            if let Some(b) = &v.batch {
                case.add_property(Property::new("batch", b.as_str()));
            }
            if let Some(c) = v.cost_usd {
                case.add_property(Property::new("cost_usd", c.to_string()));
            }
            case
        })
        .collect();
    junit::write(file, "hcl log verify", &[], cases)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dated_snapshots_are_the_same_model() {
        assert!(same_model("gpt-4o-mini", "gpt-4o-mini-2024-07-18"));
        assert!(same_model(
            "claude-3-5-haiku-latest",
            "claude-3-5-haiku-20241022"
        ));
        assert!(same_model("models/gemini-2.0-flash", "gemini-2.0-flash"));
        assert!(same_model("GPT-4o", "gpt-4o"));
        assert!(!same_model("gpt-4o-mini", "gpt-4o"));
        assert!(!same_model("gpt-4o", "gpt-4.1"));
        assert!(same_model("gemini-1.5-flash-001", "gemini-1.5-flash"));
        assert!(!same_model("gpt-4", "gpt-3"));
    }

    #[test]
    fn grace_is_a_duration() {
        assert_eq!(parse_grace("10m").unwrap(), Duration::from_secs(600));
        assert!(parse_grace("soon").unwrap_err().to_string().contains("30s"));
    }
}
