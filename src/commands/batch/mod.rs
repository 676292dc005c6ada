//! `hcl chat --batch FILE`: many requests from JSON Lines, run concurrently,
//! one JSON result line per input line on stdout.
//!
//! The shape of a run:
//! - a reader thread streams input lines through a bounded channel;
//! - the driver (one task) parses each line, lays its fields over the flags
//!   and resolves them through the shared resolve steps (targets and keys
//!   remembered per provider and model), and keeps a bounded window of
//!   pending items, so memory stays constant however long the input is;
//! - each item is a task: it takes one of `-j` permits, waits for the pacer,
//!   sends, retries on 429/5xx/connection errors, and hands one log record
//!   per attempt to the single log-writer thread;
//! - results leave the window in input order (or as they complete with
//!   `--unordered`) and go to stdout.

mod driver;
mod input;
mod job;
mod junit;
mod pacing;
mod results;
mod resume;
mod retry;
mod writer;

use std::io::IsTerminal;
use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::AtomicBool;
use std::time::Instant;

use tokio::sync::{Semaphore, watch};

use crate::cli::{BatchArgs, ChatArgs};
use crate::error::{Error, ExitStatus, Result};
use crate::output::Printer;
use crate::settings::Env;
use crate::transport::Client;

use driver::{Driver, End, Shared};
use input::open_input;
use job::{Lines, named_batch};
use pacing::Gate;
use results::{Stats, print_summary};
use resume::{Resume, ResumeFrom, input_name};
use writer::LogWriter;

/// The property that tags every request of a batch.
pub const BATCH_PROPERTY: &str = "Hcl-Batch";
const MAX_CONCURRENCY: usize = 4096;
const DEFAULT_CONCURRENCY: usize = 8;
const DEFAULT_MAX_RETRIES: u32 = 2;

pub fn run(args: &ChatArgs, input: &Path, env: Env<'_>, printer: &Printer) -> Result<ExitStatus> {
    let r = &args.request;
    let b = &args.batch;
    printer.set_verbosity(r.quiet, false);
    let concurrency = b.concurrency.unwrap_or(DEFAULT_CONCURRENCY);
    let max_retries = b.max_retries.unwrap_or(DEFAULT_MAX_RETRIES);
    check_flags(concurrency, b.rps, max_retries)?;
    let config = super::load_config(env, printer)?;
    let named = named_batch(r)?;
    let mut batch_id = named
        .clone()
        .unwrap_or_else(|| uuid::Uuid::new_v4().to_string());

    // The flags alone must resolve: a missing key or a bad flag is a usage
    // error now, before anything is sent.
    let (mut lines, default) = Lines::new(r, env, &config, &batch_id, printer)?;

    let batch_input = input_name(input);
    let resume = open_resume(
        b,
        default.log_path.as_deref(),
        named.as_deref(),
        &batch_input,
        printer,
    )?;
    // A resumed run continues the earlier batch, under its id.
    if let Some(found) = resume.as_ref().and_then(|r| r.batch.as_deref())
        && found != batch_id
    {
        batch_id = found.to_string();
        lines.set_batch(&batch_id);
    }
    let (reader, total) = open_input(input, printer.stderr_is_tty && !r.quiet)?;
    if input.as_os_str() == "-" && std::io::stdin().is_terminal() {
        printer.note("reading batch lines from the terminal; end them with Ctrl-D");
    }
    let log_writer = match &default.log_path {
        Some(path) => Some(LogWriter::start(path, printer)?),
        None => None,
    };
    let client = Client::new(default.net.clone(), default.proxy.clone())?;

    // One thread: measured against two workers at -j 64 on 2 cores, it is
    // within 6% of the throughput with less CPU and memory (bench/RESULTS.md).
    let runtime = super::runtime()?;
    let (cancel_tx, cancel_rx) = watch::channel(None);
    let shared = Arc::new(Shared {
        client,
        permits: Semaphore::new(concurrency),
        gate: Gate::new(b.rps),
        cancel: cancel_rx,
        stop_launching: AtomicBool::new(false),
        log: log_writer.as_ref().map(|w| w.sender.clone()),
        batch_id: batch_id.clone(),
        batch_input,
        max_retries,
        fail_fast: b.fail_fast,
        shard: b.shard.map(|s| s.to_string()),
    });
    let mut driver = Driver {
        opts: b,
        concurrency,
        printer,
        lines,
        resume,
        warned_target: false,
        shared,
        cancel: cancel_tx,
        stats: Stats::default(),
        progress: printer.progress(total),
        started: Instant::now(),
        junit: junit::BatchJunit::start(b.junit.as_deref(), &default)?,
    };
    let outcome = runtime.block_on(driver.drive(reader));
    printer.finish_progress();
    let Driver {
        stats,
        shared,
        junit: report,
        ..
    } = driver;
    drop(shared);
    drop(runtime);
    if let Some(w) = log_writer {
        w.finish(printer);
    }
    let end = outcome?;
    if let Some(report) = report {
        let shard = b.shard.map(|s| (s, stats.other_shards));
        report.write(&batch_id, shard)?;
    }
    if !r.quiet {
        print_summary(&batch_id, b.shard, &stats, printer);
    }
    Ok(match end {
        End::Interrupted(signal) => signal.exit_status(),
        End::Done if stats.failed() > 0 || stats.input_error => ExitStatus::Failure,
        End::Done => ExitStatus::Success,
    })
}

/// `--resume`: what an earlier run of the batch answered.
fn open_resume(
    b: &BatchArgs,
    log: Option<&Path>,
    named: Option<&str>,
    input: &str,
    printer: &Printer,
) -> Result<Option<Resume>> {
    let Some(results) = &b.resume else {
        return Ok(None);
    };
    let shard = b.shard.map(|s| s.to_string());
    let from = ResumeFrom {
        results: results.as_deref(),
        log,
        named,
        input,
        shard: shard.as_deref(),
    };
    Resume::open(&from, printer).map(Some)
}

/// Batch flags without `--batch` are a mistake worth naming.
pub fn check_without_batch(b: &BatchArgs) -> Result<()> {
    let stray = [
        ("-j/--concurrency", b.concurrency.is_some()),
        ("--rps", b.rps.is_some()),
        ("--max-retries", b.max_retries.is_some()),
        ("--resume", b.resume.is_some()),
        ("--unordered", b.unordered),
        ("--fail-fast", b.fail_fast),
        ("--shard", b.shard.is_some()),
        ("--junit", b.junit.is_some()),
    ];
    match stray.iter().find(|(_, set)| *set) {
        Some((flag, _)) => Err(Error::usage(format!(
            "{flag} applies to --batch FILE only; add --batch, or drop {flag}"
        ))),
        None => Ok(()),
    }
}

fn check_flags(concurrency: usize, rps: Option<f64>, max_retries: u32) -> Result<()> {
    if concurrency == 0 || concurrency > MAX_CONCURRENCY {
        return Err(Error::usage(format!(
            "-j {concurrency} is out of range; give 1 to {MAX_CONCURRENCY} requests in flight"
        )));
    }
    if let Some(r) = rps
        && !(r.is_finite() && r > 0.0 && r <= 1e6)
    {
        return Err(Error::usage(format!(
            "--rps {r} is not a positive rate; give requests per second, e.g. --rps 5 or --rps 0.5"
        )));
    }
    if max_retries > 100 {
        return Err(Error::usage(format!(
            "--max-retries {max_retries} is too many; give 0 to 100"
        )));
    }
    Ok(())
}
