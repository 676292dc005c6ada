//! `hcl feedback` and `hcl score`: rate logged requests in Helicone, by log
//! id prefix, by batch, or by a batch results file.

use std::collections::HashSet;
use std::io::{BufRead, BufReader};
use std::path::Path;
use std::time::SystemTime;

use futures_util::StreamExt;
use serde::{Deserialize, Serialize};

use crate::annotations;
use crate::cli::{FeedbackArgs, RateArgs, ScoreArgs};
use crate::error::{Error, ExitStatus, Result};
use crate::helicone_api::{self, Api, ApiError, ScoreValue, Scores, Target};
use crate::log::{self, Record};
use crate::output::Printer;
use crate::select::{self, Selection};
use crate::settings::Env;

/// Calls in flight at once for a batch.
const CONCURRENCY: usize = 4;

pub fn feedback(args: &FeedbackArgs, env: Env<'_>, printer: &Printer) -> Result<ExitStatus> {
    let by_group = args.rate.batch.is_some() || args.rate.results.is_some();
    let (id, rating) = match (args.args.as_slice(), by_group) {
        ([rating], true) => (None, rating),
        ([id, rating], false) => (Some(id.as_str()), rating),
        ([_], false) => {
            return Err(Error::usage(
                "give the request and the rating: hcl feedback ID good|bad (or --batch BATCH_ID good|bad)",
            ));
        }
        (_, true) => {
            return Err(Error::usage(
                "with --batch or --results, give only the rating: hcl feedback --batch BATCH_ID good|bad",
            ));
        }
        _ => return Err(Error::usage("hcl feedback takes ID good|bad")),
    };
    let good = match rating.to_ascii_lowercase().as_str() {
        "good" | "up" | "true" | "+1" => true,
        "bad" | "down" | "false" | "-1" => false,
        _ => {
            return Err(Error::usage(format!(
                "'{rating}' is not a rating; use good or bad"
            )));
        }
    };
    let what = if good { "good" } else { "bad" };
    rate(
        id,
        &args.rate,
        env,
        printer,
        &format!("rated {what}"),
        |api, hid| Box::pin(async move { api.feedback(&hid, good).await }),
    )
}

pub fn score(args: &ScoreArgs, env: Env<'_>, printer: &Printer) -> Result<ExitStatus> {
    let by_group = args.rate.batch.is_some() || args.rate.results.is_some();
    let (id, pairs) = match args.args.split_first() {
        Some((first, rest)) if !first.contains('=') => {
            if by_group {
                return Err(Error::usage(format!(
                    "'{first}' is not NAME=VALUE; with --batch or --results give only the scores"
                )));
            }
            (Some(first.as_str()), rest)
        }
        _ if !by_group => {
            return Err(Error::usage(
                "give the request first: hcl score ID NAME=VALUE... (or --batch BATCH_ID NAME=VALUE...)",
            ));
        }
        _ => (None, args.args.as_slice()),
    };
    if pairs.is_empty() {
        return Err(Error::usage(
            "give at least one score, NAME=VALUE with an integer or true/false VALUE",
        ));
    }
    let scores = parse_scores(pairs)?;
    let names = scores.keys().cloned().collect::<Vec<_>>().join(", ");
    let scores = std::sync::Arc::new(scores);
    rate(
        id,
        &args.rate,
        env,
        printer,
        &format!("scored {names}"),
        move |api, hid| {
            let scores = scores.clone();
            Box::pin(async move { api.score(&hid, &scores).await })
        },
    )
}

/// `NAME=VALUE` pairs: Helicone takes integers and booleans only, so a
/// fraction is refused here, before anything is sent.
pub fn parse_scores(pairs: &[String]) -> Result<Scores> {
    let mut scores = Scores::new();
    for pair in pairs {
        let Some((name, value)) = pair.split_once('=') else {
            return Err(Error::usage(format!(
                "score '{pair}' is not NAME=VALUE, e.g. accuracy=92 or is_safe=true"
            )));
        };
        let name = name.trim();
        if name.is_empty() || name.chars().any(char::is_control) {
            return Err(Error::usage(format!("score '{pair}' has no usable name")));
        }
        let v = value.trim();
        let parsed = match v.to_ascii_lowercase().as_str() {
            "true" => ScoreValue::Bool(true),
            "false" => ScoreValue::Bool(false),
            _ => match v.parse::<i64>() {
                Ok(i) => ScoreValue::Int(i),
                Err(_) if v.parse::<f64>().is_ok() => {
                    return Err(Error::usage(format!(
                        "score {name}={v}: Helicone accepts integers and booleans only, and refuses a fraction; scale it (e.g. {name}={}) or round it",
                        scaled(v)
                    )));
                }
                Err(_) => {
                    return Err(Error::usage(format!(
                        "score {name}={v}: the value must be an integer or true/false"
                    )));
                }
            },
        };
        if scores.insert(name.to_string(), parsed).is_some() {
            return Err(Error::usage(format!("score {name} is given twice")));
        }
    }
    Ok(scores)
}

/// A fraction such as 0.92 as a percentage (92), for the hint.
fn scaled(v: &str) -> String {
    v.parse::<f64>()
        .map(|f| ((f * 100.0).round() as i64).to_string())
        .unwrap_or_else(|_| "92".to_string())
}

/// One request to rate: the log record and its Helicone id.
struct Subject {
    id: String,
    helicone_id: String,
}

#[derive(Serialize)]
struct Outcome {
    id: String,
    helicone_id: String,
    ok: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    error: Option<String>,
}

type Call<'a> = std::pin::Pin<Box<dyn std::future::Future<Output = Result<(), ApiError>> + 'a>>;

/// Apply `call` to every subject, and report.
fn rate<F>(
    id: Option<&str>,
    opts: &RateArgs,
    env: Env<'_>,
    printer: &Printer,
    done: &str,
    call: F,
) -> Result<ExitStatus>
where
    F: for<'a> Fn(&'a Api, String) -> Call<'a>,
{
    let config = super::load_config(env, printer)?;
    let timeout = helicone_api::timeout(opts.rest.timeout)?;
    let path = log::default_path(env)?;
    let subjects = subjects(id, opts, &path, printer)?;
    let key = helicone_api::helicone_key(env, &config, "rating a request")?;
    let target = Target::resolve(env, &config, key)?;
    helicone_api::warn_if_unlike(&target, printer);
    let api = Api::new(target, timeout, env)?;
    let runtime = super::runtime()?;
    let results = runtime.block_on(async {
        let all = async {
            let mut answers = futures_util::stream::iter(subjects.iter())
                .map(|s| {
                    let fut = call(&api, s.helicone_id.clone());
                    async move { (s, fut.await) }
                })
                .buffered(CONCURRENCY);
            let mut out = Vec::new();
            while let Some((s, answer)) = answers.next().await {
                match answer {
                    Ok(()) => out.push(Outcome {
                        id: s.id.clone(),
                        helicone_id: s.helicone_id.clone(),
                        ok: true,
                        error: None,
                    }),
                    // The key is the problem: every other call would fail too.
                    Err(e @ ApiError::NoPermission { .. }) => return Err(api.explain(e)),
                    Err(ApiError::Failed(e)) if e.exit_status() == ExitStatus::Auth => {
                        return Err(e);
                    }
                    Err(ApiError::Failed(Error::Api {
                        status, message, ..
                    })) => out.push(Outcome {
                        id: s.id.clone(),
                        helicone_id: s.helicone_id.clone(),
                        ok: false,
                        error: Some(format!(
                            "{status}: {message} (has Helicone logged it yet? `hcl log verify {}`)",
                            short(&s.id)
                        )),
                    }),
                    Err(ApiError::Failed(e)) => return Err(e),
                }
            }
            Ok(out)
        };
        tokio::select! {
            r = all => r,
            () = super::ctrl_c() => Err(Error::Interrupted),
        }
    })?;
    let failed = results.iter().filter(|o| !o.ok).count();
    if opts.json {
        #[derive(Serialize)]
        struct Report<'a> {
            requests: &'a [Outcome],
            done: usize,
            failed: usize,
        }
        printer.json(&Report {
            requests: &results,
            done: results.len() - failed,
            failed,
        })?;
    } else {
        for o in &results {
            if o.ok {
                printer.line(&format!(
                    "{done}: {} (Helicone id {})",
                    short(&o.id),
                    o.helicone_id
                ))?;
            }
        }
    }
    for o in results.iter().filter(|o| !o.ok) {
        printer.error(&format!(
            "{}: {}",
            short(&o.id),
            o.error.as_deref().unwrap_or("failed")
        ));
    }
    Ok(if failed > 0 {
        ExitStatus::Failure
    } else {
        ExitStatus::Success
    })
}

fn short(id: &str) -> &str {
    id.get(..8).unwrap_or(id)
}

/// A results line of `hcl chat --batch`: only its log record id matters.
#[derive(Deserialize)]
struct ResultLine {
    #[serde(default)]
    log_id: Option<String>,
}

/// The requests to rate: one id, a batch's successful requests, or the
/// requests a results file names.
fn subjects(
    id: Option<&str>,
    target: &RateArgs,
    path: &Path,
    printer: &Printer,
) -> Result<Vec<Subject>> {
    let now = SystemTime::now();
    let records: Vec<Record> = if let Some(id) = id {
        let sel = Selection::from_args(&Default::default(), &[id.to_string()], None, now)?;
        let (records, skipped) = select::select(path, &sel)?;
        select::warn_skipped(path, &skipped, printer);
        records
    } else if let Some(batch) = &target.batch {
        let sel = Selection {
            batch: Some(batch.clone()),
            status: Some(crate::cli::StatusArg::Ok),
            ..Selection::default()
        };
        let (records, skipped) = select::select(path, &sel)?;
        select::warn_skipped(path, &skipped, printer);
        if records.is_empty() {
            return Err(Error::usage(format!(
                "the log holds no successful request of batch {batch}; see `hcl log list --batch {batch}`"
            )));
        }
        records
    } else if let Some(file) = &target.results {
        let ids = result_ids(file, printer)?;
        if ids.is_empty() {
            return Err(Error::usage(format!(
                "{} names no logged request (no line has a log_id); give the results file of `hcl chat --batch`",
                file.display()
            )));
        }
        let sel = Selection {
            ids,
            ..Selection::default()
        };
        let (records, skipped) = select::select(path, &sel)?;
        select::warn_skipped(path, &skipped, printer);
        records
    } else {
        Vec::new()
    };
    let wanted: HashSet<&str> = records.iter().map(|r| r.id.as_str()).collect();
    let (known, warnings) = annotations::load(path, Some(&wanted))?;
    printer.warn_all(&warnings);
    let mut out = Vec::new();
    for r in &records {
        let pushed = known.get(&r.id).is_some_and(|k| k.pushed_at.is_some());
        if !helicone_api::via_helicone(r) && !pushed {
            if id.is_some() {
                return Err(Error::usage(format!(
                    "request {} was sent with --direct, so Helicone never saw it; push it first: hcl log push {} --include-direct",
                    short(&r.id),
                    short(&r.id)
                )));
            }
            printer.note(&format!(
                "skipped {}: sent with --direct and never pushed to Helicone",
                short(&r.id)
            ));
            continue;
        }
        out.push(Subject {
            id: r.id.clone(),
            helicone_id: helicone_api::request_id(r),
        });
    }
    if out.is_empty() {
        return Err(Error::usage(
            "none of the selected requests is in Helicone; nothing to rate",
        ));
    }
    Ok(out)
}

/// The `log_id` of every results line that has one.
fn result_ids(file: &Path, printer: &Printer) -> Result<Vec<String>> {
    let f = std::fs::File::open(file).map_err(|e| {
        Error::usage(format!(
            "cannot read --results {}: {e}; give the results file of `hcl chat --batch`",
            file.display()
        ))
    })?;
    let mut ids = Vec::new();
    for (n, line) in BufReader::new(f).lines().enumerate() {
        let line = line.map_err(|e| Error::io(format!("cannot read {}", file.display()), e))?;
        if line.trim().is_empty() {
            continue;
        }
        match serde_json::from_str::<ResultLine>(&line) {
            Ok(ResultLine { log_id: Some(id) }) if !id.is_empty() => ids.push(id),
            Ok(_) => {}
            Err(e) => printer.warn(&format!(
                "{}:{}: skipped: not a results line ({e})",
                file.display(),
                n + 1
            )),
        }
    }
    Ok(ids)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scores_are_integers_or_booleans() {
        let s = parse_scores(&["accuracy=92".into(), "is_safe=true".into()]).unwrap();
        assert_eq!(s["accuracy"], ScoreValue::Int(92));
        assert_eq!(s["is_safe"], ScoreValue::Bool(true));
        assert_eq!(
            serde_json::to_string(&s).unwrap(),
            r#"{"accuracy":92,"is_safe":true}"#
        );
        let e = parse_scores(&["accuracy=0.92".into()])
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("integers and booleans only") && e.contains("accuracy=92"),
            "{e}"
        );
        assert!(parse_scores(&["x=high".into()]).is_err());
        assert!(parse_scores(&["x".into()]).is_err());
        assert!(parse_scores(&["x=1".into(), "x=2".into()]).is_err());
        assert!(parse_scores(&["=1".into()]).is_err());
    }
}
