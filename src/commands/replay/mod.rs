//! `hcl replay`: re-send logged requests exactly as they were sent and
//! report, per request, whether Helicone's cache answered; for a MISS, say
//! which part of the cache key changed, or what else is the likely cause.

mod junit;
mod plan;
mod report;
mod send;

use std::cell::{Cell, RefCell};
use std::path::PathBuf;
use std::time::{Duration, SystemTime};

use crate::cli::ReplayArgs;
use crate::error::{Error, ExitStatus, Result, Signal};
use crate::helicone;
use crate::log::{self, Record};
use crate::output::{Printer, TableFormat};
use crate::select::{self, Selection};
use crate::settings::{self, Env, Keys};
use crate::shard::{self, Shard};
use crate::transport::{Client, NetOptions, ProxyConfig};

use junit::write_junit;
use plan::{Notes, Planner};
use report::{Report, Row, Totals, judge, print_table, summary_line, totals};
use send::Run;

pub fn run(args: &ReplayArgs, env: Env<'_>, printer: &Printer) -> Result<ExitStatus> {
    printer.set_verbosity(args.quiet, false);
    let config = super::load_config(env, printer)?;
    let timeout =
        settings::positive_secs("--timeout", args.timeout, crate::transport::DEFAULT_TIMEOUT)?;
    let mut extra = Vec::new();
    for h in &args.headers {
        extra.push(helicone::parse_header(h)?);
    }
    let base_url = args
        .base_url
        .as_deref()
        .map(|b| settings::check_base_url("--base-url", b))
        .transpose()?;

    let settle = args.settle.as_deref().map(parse_settle).transpose()?;
    if settle.is_some() && matches!(args.expect, Some(crate::cli::ExpectArg::Miss)) {
        return Err(Error::usage(
            "--settle re-sends a MISS until it HITs, so it cannot go with --expect miss; drop one of them",
        ));
    }

    let (path, mut records) = select_records(args, &config, env, printer)?;
    let other_shards = args
        .shard
        .map(|shard| keep_shard(&mut records, shard, printer));

    // Plan everything before sending anything: a missing key or an
    // unreplayable record stops the run with nothing sent.
    let mut planner = Planner {
        args,
        extra,
        base_url,
        env,
        config: &config,
        keys: Keys::from_env(env, &config),
        notes: Notes::default(),
    };
    let mut plans = Vec::with_capacity(records.len());
    for r in &records {
        plans.push(planner.plan(r)?);
    }
    planner.notes.print(printer);

    let net = NetOptions {
        timeout,
        ..Default::default()
    };
    let client = Client::new(net, ProxyConfig::from_env(env))?;
    let log_path = (!args.no_log).then_some(path.as_path());
    let runtime = super::runtime()?;
    let total = plans.len() as u64 * u64::from(args.repeat);
    let progress = printer.progress_steps(total);
    // A signal (Ctrl-C, SIGTERM, SIGHUP) stops launching and cuts the replays in flight short; they are
    // logged as interrupted, and the report covers what was done.
    let (interrupt, interrupted) = tokio::sync::watch::channel(None);
    let run = Run {
        client: &client,
        log_path,
        log: RefCell::new(None),
        repeat: args.repeat,
        progress: &progress,
        hits: Cell::new(0),
        misses: Cell::new(0),
        printer,
        interrupted,
        shard: args.shard.map(|s| s.to_string()),
        settle_until: settle.map(|d| std::time::Instant::now() + d),
    };
    let mut rows = runtime.block_on(async {
        let watch_signals = async {
            let signal = super::interrupted().await;
            let _ = interrupt.send(Some(signal));
            std::future::pending::<()>().await;
        };
        tokio::select! {
            rows = run.all(&plans, args.concurrency as usize) => rows,
            () = watch_signals => Vec::new(),
        }
    });
    printer.finish_progress();
    let was_interrupted = *run.interrupted.borrow();
    judge(&mut rows, args.expect, args.repeat);
    let mut totals = totals(&rows, args.expect);
    totals.other_shards = other_shards;

    write_report(args, &rows, &totals, &records, printer)?;
    exit_status(&rows, &totals, was_interrupted, printer)
}

/// `--settle`: a humantime duration, at most a day.
fn parse_settle(raw: &str) -> Result<Duration> {
    let d = humantime::parse_duration(raw.trim()).map_err(|_| {
        Error::usage(format!(
            "--settle '{raw}' is not a duration; write it as 90s or 2m (Helicone's cache can take up to a minute to show a new entry)"
        ))
    })?;
    if d > Duration::from_secs(86_400) {
        return Err(Error::usage(format!(
            "--settle {raw} is over a day; give at most 24h (90s is usually enough)"
        )));
    }
    Ok(d)
}

/// The logged requests to replay, and the log they came from.
fn select_records(
    args: &ReplayArgs,
    config: &settings::Config,
    env: Env<'_>,
    printer: &Printer,
) -> Result<(PathBuf, Vec<Record>)> {
    let path = log::default_path(env)?;
    let now = SystemTime::now();
    let mut sel = Selection::from_args(&args.select, &args.ids, None, now)?;
    settings::select_model(&mut sel, config)?;
    // With no id, count or filter: the last request.
    if args.ids.is_empty() && args.select.last.is_none() && !args.select.all && !sel.has_filters() {
        sel.limit = Some(1);
    }
    sel.originals_only = args.ids.is_empty() && !args.include_replays;
    let (records, skipped) = select::select(&path, &sel)?;
    select::warn_skipped(&path, &skipped, printer);
    if records.is_empty() {
        return Err(Error::usage(format!(
            "no logged request matches the selection in {}; see `hcl log list`",
            path.display()
        )));
    }
    Ok((path, records))
}

/// `--shard K/N`: keep the records of shard K; how many were another's.
fn keep_shard(records: &mut Vec<Record>, shard: Shard, printer: &Printer) -> usize {
    let before = records.len();
    records.retain(|r| shard.holds(&shard::record_key(r)));
    let others = before - records.len();
    if records.is_empty() {
        printer.note(&format!(
            "shard {shard} holds none of the {before} selected requests; nothing to replay"
        ));
    }
    others
}

/// The report: `--junit`, then JSON or the table and summary line.
fn write_report(
    args: &ReplayArgs,
    rows: &[Row],
    totals: &Totals,
    records: &[Record],
    printer: &Printer,
) -> Result<()> {
    if let Some(file) = &args.junit {
        write_junit(file, rows, totals, records)?;
    }
    let format = args.format.resolve();
    if format == TableFormat::Json {
        printer.json(&Report {
            replays: rows,
            summary: totals,
        })?;
    } else {
        print_table(
            rows,
            args.repeat > 1,
            args.settle.is_some(),
            format,
            printer,
        )?;
        printer.line(&summary_line(totals))?;
    }
    Ok(())
}

/// How the run ends: interrupted, a failed replay, a missed expectation, or success.
fn exit_status(
    rows: &[Row],
    totals: &Totals,
    was_interrupted: Option<Signal>,
    printer: &Printer,
) -> Result<ExitStatus> {
    if let Some(signal) = was_interrupted {
        let cut = signal.to_string();
        printer.note(&format!(
            "{cut}: {} replays done; those in flight were logged as {cut}",
            rows.iter()
                .filter(|r| r.error.as_deref() != Some(cut.as_str()))
                .count()
        ));
        return Err(Error::Interrupted(signal));
    }
    if let Some(row) = rows.iter().find(|r| r.exit.is_some()) {
        let failed = rows.iter().filter(|r| r.exit.is_some()).count();
        printer.error(&format!(
            "{failed} of {} replays failed; the first: {}",
            rows.len(),
            row.error.as_deref().unwrap_or("unknown error")
        ));
        return Ok(row.exit.unwrap_or(ExitStatus::Failure));
    }
    if totals.expectation_failures > 0 {
        printer.error(&format!(
            "{} of {} judged replays were not a {}; see the report",
            totals.expectation_failures,
            rows.iter().filter(|r| r.met_expectation.is_some()).count(),
            totals.expect.unwrap_or("?")
        ));
        return Ok(ExitStatus::Expectation);
    }
    Ok(ExitStatus::Success)
}

fn short(id: &str) -> &str {
    id.get(..8).unwrap_or(id)
}
