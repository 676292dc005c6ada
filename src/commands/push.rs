//! `hcl log push`: send the requests Helicone lacks through its
//! custom-logging API, each once, with the original bodies, times,
//! properties, user and session.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use serde::Serialize;
use serde_json::value::RawValue;

use crate::annotations::{self, Event, EventKind};
use crate::cli::{LogPushArgs, TableFormat};
use crate::error::{Error, ExitStatus, Result};
use crate::helicone_api::{self, Api, ApiError, Target};
use crate::log::{self, Record};
use crate::output::Printer;
use crate::settings::Env;
use crate::wire::WireFormat;
use crate::wire::rebuild;

use super::verify::{self, Status};

/// What happened to one selected record.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
enum Outcome {
    Pushed,
    WouldPush,
    Failed,
    /// Helicone has it.
    Logged,
    /// Pushed by an earlier `hcl log push`.
    AlreadyPushed,
    /// Not in Helicone yet, but younger than --grace.
    Pending,
    /// Sent with --direct, and --include-direct was not given.
    Direct,
    /// Helicone has it, but differently; pushing would duplicate it.
    Mismatch,
    /// Never answered: there is no exchange to push.
    Unanswered,
}

impl Outcome {
    fn label(self) -> &'static str {
        match self {
            Outcome::Pushed => "pushed",
            Outcome::WouldPush => "would push",
            Outcome::Failed => "failed",
            Outcome::Logged => "logged",
            Outcome::AlreadyPushed => "already pushed",
            Outcome::Pending => "pending",
            Outcome::Direct => "direct",
            Outcome::Mismatch => "mismatch",
            Outcome::Unanswered => "unanswered",
        }
    }
}

#[derive(Debug, Serialize)]
struct Row {
    id: String,
    helicone_id: String,
    provider: String,
    model: String,
    result: Outcome,
    detail: String,
}

#[derive(Debug, Default, Serialize)]
struct Summary {
    selected: usize,
    pushed: usize,
    failed: usize,
    skipped: usize,
}

pub fn run(args: &LogPushArgs, env: Env<'_>, printer: &Printer) -> Result<ExitStatus> {
    printer.set_verbosity(args.quiet, false);
    let config = super::load_config(env, printer)?;
    let grace = verify::parse_grace(&args.grace)?;
    let timeout = helicone_api::timeout(args.rest.timeout)?;
    let path = log::default_path(env)?;
    let records = verify::select_records(&args.ids, &args.select, &path, printer)?;
    let key = helicone_api::helicone_key(env, &config, "hcl log push")?;
    let target = Target::resolve(env, &config, key)?;
    let log_base = target.log_base(env, &config)?;
    helicone_api::warn_if_unlike(&target, printer);
    let api = Api::new(target, timeout, env)?;

    let ids: HashSet<&str> = records.iter().map(|r| r.id.as_str()).collect();
    let (known, warnings) = annotations::load(&path, Some(&ids))?;
    printer.warn_all(&warnings);

    let (mut rows, candidates) = decide(&records, &known, args);

    let runtime = super::runtime()?;
    let outcome = runtime.block_on(async {
        tokio::select! {
            r = push_all(&api, &log_base, &path, candidates, args, grace, printer) => r,
            () = super::ctrl_c() => Err(Error::Interrupted),
        }
    });
    rows.extend(outcome?);
    // Keep the selection's order.
    let order: Vec<&str> = records.iter().map(|r| r.id.as_str()).collect();
    rows.sort_by_key(|row| order.iter().position(|id| *id == row.id));

    let summary = Summary::of(&rows);
    print_report(&rows, &summary, args, printer)?;
    if summary.failed > 0 {
        let first = rows
            .iter()
            .find(|r| r.result == Outcome::Failed)
            .map(|r| format!("{}: {}", r.id.chars().take(8).collect::<String>(), r.detail))
            .unwrap_or_default();
        printer.error(&format!(
            "{} of {} pushes failed; the first: {first}",
            summary.failed,
            summary.failed + summary.pushed
        ));
        return Ok(ExitStatus::Failure);
    }
    Ok(ExitStatus::Success)
}

impl Summary {
    fn of(rows: &[Row]) -> Summary {
        Summary {
            selected: rows.len(),
            pushed: rows
                .iter()
                .filter(|r| matches!(r.result, Outcome::Pushed | Outcome::WouldPush))
                .count(),
            failed: rows.iter().filter(|r| r.result == Outcome::Failed).count(),
            skipped: rows
                .iter()
                .filter(|r| {
                    !matches!(
                        r.result,
                        Outcome::Pushed | Outcome::WouldPush | Outcome::Failed
                    )
                })
                .count(),
        }
    }
}

/// The report: JSON, or a table or TSV with a summary line.
fn print_report(
    rows: &[Row],
    summary: &Summary,
    args: &LogPushArgs,
    printer: &Printer,
) -> Result<()> {
    match args.format.resolve() {
        TableFormat::Json => {
            #[derive(Serialize)]
            struct Report<'a> {
                requests: &'a [Row],
                summary: &'a Summary,
                dry_run: bool,
            }
            printer.json(&Report {
                requests: rows,
                summary,
                dry_run: args.dry_run,
            })?;
        }
        format => {
            let tsv = format == TableFormat::Tsv;
            let table: Vec<Vec<String>> = rows
                .iter()
                .map(|r| {
                    vec![
                        if tsv {
                            r.id.clone()
                        } else {
                            r.id.chars().take(8).collect()
                        },
                        r.provider.clone(),
                        r.model.clone(),
                        r.result.label().to_string(),
                        r.detail.clone(),
                    ]
                })
                .collect();
            if !args.dry_run {
                printer.rows(tsv, &["id", "provider", "model", "result", "detail"], table)?;
            }
            if format == TableFormat::Table {
                printer.line(&format!(
                    "{} {} of {} selected requests; {} failed, {} skipped",
                    if args.dry_run { "would push" } else { "pushed" },
                    summary.pushed,
                    summary.selected,
                    summary.failed,
                    summary.skipped
                ))?;
            }
        }
    }
    Ok(())
}

/// Decide, without sending, what each record needs: skipped (already
/// pushed, `--direct`, never answered, known logged) or a candidate.
fn decide<'r>(
    records: &'r [Record],
    known: &HashMap<String, annotations::Known>,
    args: &LogPushArgs,
) -> (Vec<Row>, Vec<&'r Record>) {
    let mut rows: Vec<Row> = Vec::with_capacity(records.len());
    let mut candidates: Vec<&Record> = Vec::new();
    for r in records {
        let skip = |result: Outcome, detail: &str| Row {
            id: r.id.clone(),
            helicone_id: helicone_api::request_id(r),
            provider: r.provider.clone(),
            model: r.model.clone(),
            result,
            detail: detail.to_string(),
        };
        let direct = !helicone_api::via_helicone(r);
        if let Some(at) = known.get(&r.id).and_then(|k| k.pushed_at.as_deref()) {
            rows.push(skip(
                Outcome::AlreadyPushed,
                &format!("pushed at {at}; a request is never pushed twice"),
            ));
        } else if direct && !args.include_direct {
            rows.push(skip(
                Outcome::Direct,
                "sent with --direct; add --include-direct to push it",
            ));
        } else if r.response.status.is_none() {
            rows.push(skip(
                Outcome::Unanswered,
                "never answered, so there is no exchange to push",
            ));
        } else if args.no_verify
            && known
                .get(&r.id)
                .is_some_and(|k| matches!(k.status.as_deref(), Some("logged" | "mismatch")))
        {
            rows.push(skip(Outcome::Logged, "hcl log verify found it in Helicone"));
        } else {
            candidates.push(r);
        }
    }

    (rows, candidates)
}

/// Verify the candidates (unless --no-verify), then push the missing ones,
/// remembering each push as it succeeds.
async fn push_all(
    api: &Api,
    log_base: &str,
    path: &std::path::Path,
    candidates: Vec<&Record>,
    args: &LogPushArgs,
    grace: Duration,
    printer: &Printer,
) -> Result<Vec<Row>> {
    let mut rows = Vec::new();
    let mut to_push: Vec<&Record> = Vec::new();
    if args.no_verify || candidates.is_empty() {
        to_push = candidates;
    } else {
        let owned: Vec<Record> = candidates.iter().map(|r| (*r).clone()).collect();
        let verdicts = verify::check(api, &owned, grace, true, printer).await?;
        if !args.dry_run {
            verify::remember(path, &verdicts, printer)?;
        }
        for (r, v) in candidates.into_iter().zip(verdicts) {
            let result = match v.status {
                Status::Missing | Status::Direct => {
                    to_push.push(r);
                    continue;
                }
                Status::Logged => Outcome::Logged,
                Status::Mismatch => Outcome::Mismatch,
                Status::Pending => Outcome::Pending,
            };
            let detail = match v.status {
                Status::Logged => "Helicone has it".to_string(),
                Status::Pending => format!(
                    "not in Helicone yet but younger than --grace {}; not pushed, so that Helicone does not get it twice",
                    args.grace
                ),
                _ => format!("Helicone has it, but {}", v.detail),
            };
            rows.push(Row {
                id: r.id.clone(),
                helicone_id: v.helicone_id,
                provider: r.provider.clone(),
                model: r.model.clone(),
                result,
                detail,
            });
        }
    }
    for r in to_push {
        let helicone_id = helicone_api::request_id(r);
        let row = |result: Outcome, detail: String| Row {
            id: r.id.clone(),
            helicone_id: helicone_id.clone(),
            provider: r.provider.clone(),
            model: r.model.clone(),
            result,
            detail,
        };
        let Some(format) = r.format else {
            rows.push(row(
                Outcome::Failed,
                "its record names no wire format and no provider hcl knows".to_string(),
            ));
            continue;
        };
        let url = format!("{log_base}{}", format.custom_log_path());
        let payload = payload(r, &helicone_id, format)?;
        let req = Api::request("POST", url, Some(payload));
        if args.dry_run {
            print_dry_run(&req, api, printer)?;
            rows.push(row(
                Outcome::WouldPush,
                format!("{} bytes to {}", req.body.len(), req.url),
            ));
            continue;
        }
        match send(api, &req, log_base).await {
            Ok(id) => {
                let mut e = Event::new(&r.id, EventKind::Pushed);
                e.helicone_id = Some(id.unwrap_or_else(|| helicone_id.clone()));
                annotations::append(path, &[e])?;
                rows.push(row(Outcome::Pushed, format!("as {helicone_id}")));
            }
            Err(ApiError::Failed(Error::Api {
                status, message, ..
            })) if status != 401 && status != 403 => {
                rows.push(row(Outcome::Failed, format!("{status}: {message}")));
            }
            Err(e) => return Err(api.explain(e)),
        }
    }
    Ok(rows)
}

/// POST one payload; `Ok` with the `helicone-id` Helicone answered.
async fn send(
    api: &Api,
    req: &crate::request::PreparedRequest,
    log_base: &str,
) -> Result<Option<String>, ApiError> {
    let answer = api.send(req).await?;
    let peer = format!("Helicone's custom-logging API ({log_base})");
    let call = format!(
        "POST {}",
        req.url.strip_prefix(log_base).unwrap_or(&req.url)
    );
    let text = String::from_utf8_lossy(&answer.body);
    if answer.status == 400 && text.contains("Payload too large") {
        return Err(ApiError::Failed(Error::Api {
            provider: peer,
            status: 400,
            message: format!(
                "its payload is {:.1} MB, over the 10 MB Helicone's custom-logging API takes; it cannot be pushed",
                req.body.len() as f64 / (1024.0 * 1024.0)
            ),
        }));
    }
    api.judge(&peer, &call, answer.status, &answer.body)?;
    // The worker answers a failed insert with 200 and `{"error": …}`.
    if let Ok(serde_json::Value::Object(m)) = serde_json::from_slice(&answer.body)
        && let Some(e) = m.get("error").filter(|e| !e.is_null())
    {
        return Err(ApiError::Failed(Error::Api {
            provider: peer,
            status: answer.status,
            message: format!("Helicone could not store it: {e}"),
        }));
    }
    Ok(answer
        .headers
        .get("helicone-id")
        .and_then(|v| v.to_str().ok())
        .filter(|v| !v.is_empty())
        .map(str::to_string))
}

fn print_dry_run(
    req: &crate::request::PreparedRequest,
    api: &Api,
    printer: &Printer,
) -> Result<()> {
    let mut text = format!("{} {}\n", req.method, req.url);
    for (name, value) in req.masked_headers(api.credentials()) {
        text.push_str(&format!("{name}: {value}\n"));
    }
    text.push('\n');
    let pretty = serde_json::from_str::<serde_json::Value>(&req.body)
        .and_then(|v| serde_json::to_string_pretty(&v))
        .unwrap_or_else(|_| req.body.clone());
    text.push_str(&pretty);
    text.push('\n');
    printer.answer(&text)
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Payload<'a> {
    provider_request: ProviderRequest<'a>,
    provider_response: ProviderResponse,
    timing: Timing,
}

#[derive(Serialize)]
struct ProviderRequest<'a> {
    url: &'a str,
    json: &'a RawValue,
    /// Helicone headers, read as if they had been sent to the proxy.
    meta: BTreeMap<String, String>,
}

#[derive(Serialize)]
struct ProviderResponse {
    json: serde_json::Value,
    status: u16,
    headers: BTreeMap<String, String>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Timing {
    start_time: Stamp,
    end_time: Stamp,
    #[serde(skip_serializing_if = "Option::is_none")]
    time_to_first_token: Option<u64>,
}

#[derive(Serialize)]
struct Stamp {
    seconds: u64,
    milliseconds: u64,
}

impl Stamp {
    fn of(t: SystemTime) -> Stamp {
        let d = t.duration_since(UNIX_EPOCH).unwrap_or_default();
        Stamp {
            seconds: d.as_secs(),
            milliseconds: u64::from(d.subsec_millis()),
        }
    }
}

/// The headers a push carries in `meta`: the request id, properties, user,
/// session, model override and the omit switches (a body the user kept out
/// of Helicone stays out). Never a key.
fn is_meta_header(name: &str) -> bool {
    let n = name.to_ascii_lowercase();
    n.starts_with("helicone-property-")
        || n.starts_with("helicone-session-")
        || n.starts_with("helicone-omit-")
        || n == "helicone-user-id"
        || n == "helicone-model-override"
}

/// The custom-logging body of one record.
fn payload(r: &Record, helicone_id: &str, format: WireFormat) -> Result<String> {
    let mut meta: BTreeMap<String, String> = r
        .request
        .headers
        .0
        .iter()
        .filter(|(n, _)| is_meta_header(n))
        .map(|(n, v)| (n.clone(), v.clone()))
        .collect();
    meta.insert("Helicone-Request-Id".to_string(), helicone_id.to_string());
    // `ts` is written when the exchange ends.
    let end = humantime::parse_rfc3339_weak(&r.ts).unwrap_or_else(|_| SystemTime::now());
    let start = end
        .checked_sub(Duration::from_millis(r.latency_ms.unwrap_or(0)))
        .unwrap_or(end);
    let status = r.response.status.unwrap_or(0);
    let body = Payload {
        provider_request: ProviderRequest {
            url: &r.request.url,
            json: &r.request.body,
            meta,
        },
        provider_response: ProviderResponse {
            json: rebuild::response_body(
                format,
                &r.id,
                &r.model,
                r.response.status,
                &r.response,
                r.error.as_deref(),
            ),
            status,
            headers: BTreeMap::new(),
        },
        timing: Timing {
            start_time: Stamp::of(start),
            end_time: Stamp::of(end),
            time_to_first_token: r.ttft_ms,
        },
    };
    serde_json::to_string(&body)
        .map_err(|e| Error::Protocol(format!("cannot build the push of {}: {e}", r.id)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn meta_carries_no_key() {
        assert!(is_meta_header("Helicone-Property-Team"));
        assert!(is_meta_header("helicone-user-id"));
        assert!(is_meta_header("Helicone-Session-Path"));
        assert!(is_meta_header("Helicone-Omit-Response"));
        assert!(!is_meta_header("Helicone-Auth"));
        assert!(!is_meta_header("Authorization"));
        assert!(!is_meta_header("Helicone-Cache-Enabled"));
    }
}
