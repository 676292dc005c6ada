//! The driver: a bounded window of pending lines, each a task that waits
//! for a permit and the pacer, sends, retries and logs every attempt.

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Instant;

use futures_util::StreamExt;
use futures_util::stream::{FuturesOrdered, FuturesUnordered};
use tokio::sync::{Semaphore, mpsc, watch};

use super::input::{InputMsg, Reader, line_digest, parse_line, spawn_reader};
use super::job::{Job, Lines};
use super::junit::{self, BatchJunit};
use super::pacing::Gate;
use super::results::{ResultLine, Stats};
use super::resume::Resume;
use super::retry::{MAX_HINTED_WAIT, backoff, error_kind, retryable, server_hint};
use crate::cli::BatchArgs;
use crate::error::{Error, Result, Signal};
use crate::exchange::{self, Outcome, RecordContext};
use crate::log::{BatchLine, Record};
use crate::output::Printer;
use crate::transport::Client;
use crate::wire::Usage;

/// What every job of a run shares: the client, the `-j` permits, the pacer,
/// Ctrl-C and the log writer.
pub(super) struct Shared {
    pub(super) client: Client,
    pub(super) permits: Semaphore,
    pub(super) gate: Gate,
    /// Set by a signal (or a closed stdout): every item stops.
    pub(super) cancel: watch::Receiver<Option<Signal>>,
    /// `--fail-fast` tripped: items that have not sent yet stay unsent.
    pub(super) stop_launching: AtomicBool,
    pub(super) log: Option<mpsc::Sender<Record>>,
    pub(super) batch_id: String,
    /// The input as records name it (`batch_input`).
    pub(super) batch_input: String,
    pub(super) max_retries: u32,
    pub(super) fail_fast: bool,
    /// `--shard K/N`, written into each record.
    pub(super) shard: Option<String>,
}

impl Shared {
    /// Resolves when a signal has stopped the batch, with the signal.
    async fn cancelled(&self) -> Signal {
        let mut rx = self.cancel.clone();
        let signal = rx.wait_for(Option::is_some).await.map(|s| *s);
        match signal {
            Ok(s) => s.unwrap_or(Signal::Interrupt),
            Err(_) => std::future::pending().await,
        }
    }

    fn launching_stopped(&self) -> bool {
        self.stop_launching.load(Ordering::SeqCst) || self.cancel.borrow().is_some()
    }
}

pub(super) enum Done {
    Result(Box<ResultLine>),
    /// Never sent: `--fail-fast` stopped launching.
    NotRun,
    /// Cut short by Ctrl-C.
    Interrupted,
    /// `--resume`: answered by an earlier run; its result again.
    Resumed(Box<ResultLine>),
}

pub(super) async fn run_job(sh: Arc<Shared>, batch_line: BatchLine, mut job: Job) -> Done {
    let line = batch_line.n as usize;
    let id = batch_line.id.clone();
    let t = Arc::clone(&job.settings.target);
    let peer = exchange::peer_label(t.provider.name, t.route.direct);
    let mut attempt = 0u32;
    loop {
        attempt += 1;
        let permit = tokio::select! {
            p = sh.permits.acquire() => p,
            _ = sh.cancelled() => return Done::Interrupted,
        };
        if attempt == 1 && sh.launching_stopped() {
            return if sh.cancel.borrow().is_some() {
                Done::Interrupted
            } else {
                Done::NotRun
            };
        }
        let at = sh.gate.reserve();
        tokio::select! {
            _ = tokio::time::sleep_until(at.into()) => {}
            _ = sh.cancelled() => return Done::Interrupted,
        }
        let record_id = uuid::Uuid::new_v4().to_string();
        job.settings.helicone.request_id = record_id.clone();
        let prepared = job.settings.prepare();
        let mut outcome = tokio::select! {
            o = exchange::execute(&sh.client, &prepared, &t.creds, t.format, &peer) => o,
            signal = sh.cancelled() => Outcome { error: Some(Error::Interrupted(signal)), ..Default::default() },
        };
        crate::commands::turn::check_answer(&job.settings, &mut outcome);
        let retry = outcome.error.as_ref().is_some_and(retryable)
            && attempt <= sh.max_retries
            && !sh.launching_stopped();
        if sh.fail_fast && outcome.error.is_some() && !retry {
            // Before the permit goes back, so no later line starts.
            sh.stop_launching.store(true, Ordering::SeqCst);
        }
        drop(permit);
        let ctx = RecordContext {
            id: &record_id,
            provider: t.provider.name,
            model: &t.model,
            format: t.format,
            stream: false,
            replay_of: None,
        };
        let logged = match exchange::build_record(&ctx, &prepared, &t.creds, &outcome) {
            Ok(mut record) => {
                record.batch = Some(sh.batch_id.clone());
                record.attempt = Some(attempt);
                record.shard.clone_from(&sh.shard);
                record.line = Some(batch_line.clone());
                record.batch_input = Some(sh.batch_input.clone());
                record.attachments.clone_from(&job.settings.files);
                if let Some(tx) = &sh.log {
                    // A closed channel means the writer died; it reports that.
                    let _ = tx.send(record).await;
                }
                true
            }
            Err(_) => false,
        };
        if matches!(outcome.error, Some(Error::Interrupted(_))) {
            return Done::Interrupted;
        }
        if retry {
            let hint = server_hint(&outcome);
            let wait = hint.map_or_else(|| backoff(attempt), |h| h.min(MAX_HINTED_WAIT));
            if outcome.status == Some(429) && hint.is_some() {
                // The limit is shared: nobody gains by knocking before it resets.
                sh.gate.pause_until(Instant::now() + wait);
            }
            tokio::select! {
                _ = tokio::time::sleep(wait) => {}
                _ = sh.cancelled() => return Done::Interrupted,
            }
            continue;
        }
        let log_id = (logged && t.log_path.is_some()).then_some(record_id);
        return Done::Result(Box::new(result_line(line, id, log_id, attempt, outcome)));
    }
}

/// The result line of a request's last attempt.
fn result_line(
    line: usize,
    id: Option<serde_json::Value>,
    log_id: Option<String>,
    attempts: u32,
    mut outcome: Outcome,
) -> ResultLine {
    let error = outcome.error.take();
    let (text, usage, finish_reason) = match outcome.completion.take() {
        Some(c) => (Some(c.text), c.usage, c.finish_reason),
        None => (None, Usage::default(), None),
    };
    ResultLine {
        line,
        id,
        log_id,
        status: outcome.status,
        text,
        usage,
        finish_reason,
        cache: outcome.meta.cache,
        helicone_id: outcome.meta.id,
        latency_ms: outcome.latency.map(|d| d.as_millis() as u64),
        attempts,
        error_kind: error.as_ref().map(error_kind),
        error: error.map(|e| e.to_string()),
        resumed: false,
    }
}

type Pending = Pin<Box<dyn Future<Output = Done> + Send>>;

/// Results in input order, or as they complete.
enum Window {
    Ordered(FuturesOrdered<Pending>),
    Unordered(FuturesUnordered<Pending>),
}

impl Window {
    fn push(&mut self, f: Pending) {
        match self {
            Window::Ordered(q) => q.push_back(f),
            Window::Unordered(q) => q.push(f),
        }
    }

    fn len(&self) -> usize {
        match self {
            Window::Ordered(q) => q.len(),
            Window::Unordered(q) => q.len(),
        }
    }

    async fn next(&mut self) -> Option<Done> {
        match self {
            Window::Ordered(q) => q.next().await,
            Window::Unordered(q) => q.next().await,
        }
    }
}

pub(super) enum End {
    Done,
    Interrupted(Signal),
}

pub(super) struct Driver<'a> {
    pub(super) opts: &'a BatchArgs,
    pub(super) concurrency: usize,
    pub(super) printer: &'a Printer,
    pub(super) lines: Lines<'a>,
    pub(super) resume: Option<Resume>,
    /// A resumed line's earlier answer came from another provider or model.
    pub(super) warned_target: bool,
    pub(super) shared: Arc<Shared>,
    pub(super) cancel: watch::Sender<Option<Signal>>,
    pub(super) stats: Stats,
    pub(super) progress: Option<indicatif::ProgressBar>,
    pub(super) started: Instant,
    /// `--junit FILE`: the testcases so far.
    pub(super) junit: Option<BatchJunit>,
}

impl Driver<'_> {
    pub(super) async fn drive(&mut self, reader: Reader) -> Result<End> {
        let j = self.concurrency;
        // Results may wait behind a slow one up to this many; then reading stops.
        let window_cap = (j * 4).max(64);
        let mut input = spawn_reader(reader, window_cap);
        let mut window = if self.opts.unordered {
            Window::Unordered(FuturesUnordered::new())
        } else {
            Window::Ordered(FuturesOrdered::new())
        };
        let signalled = crate::commands::interrupted();
        tokio::pin!(signalled);
        let mut interrupted = None;
        let mut reading = true;
        let mut out_error = None;
        loop {
            if !reading && window.len() == 0 {
                break;
            }
            tokio::select! {
                biased;
                signal = &mut signalled, if interrupted.is_none() => {
                    interrupted = Some(signal);
                    reading = false;
                    let _ = self.cancel.send(Some(signal));
                    self.shared.stop_launching.store(true, Ordering::SeqCst);
                }
                Some(done) = window.next(), if window.len() > 0 => {
                    if out_error.is_some() {
                        continue;
                    }
                    if let Err(e) = self.finish(done) {
                        // stdout is gone: nothing more can be reported.
                        out_error = Some(e);
                        reading = false;
                        let _ = self.cancel.send(Some(Signal::Interrupt));
                    }
                }
                msg = input.recv(), if reading && window.len() < window_cap => match msg {
                    None => reading = false,
                    Some(InputMsg::Failed(e)) => {
                        self.printer.error(&e);
                        self.stats.input_error = true;
                        reading = false;
                    }
                    Some(InputMsg::Line(n, bytes)) => {
                        if let Some(f) = self.launch(n, &bytes) {
                            window.push(f);
                        }
                    }
                },
            }
        }
        if let Some(e) = out_error {
            return Err(e);
        }
        Ok(match interrupted {
            Some(signal) => End::Interrupted(signal),
            None => End::Done,
        })
    }

    /// Turn one input line into a pending result (a resumed line's is ready
    /// at once), or nothing (blank, another shard's).
    fn launch(&mut self, n: usize, bytes: &[u8]) -> Option<Pending> {
        let (id, spec) = parse_line(bytes)?;
        if let Some(shard) = self.opts.shard
            && !shard.holds_line(id.as_ref(), bytes)
        {
            self.stats.other_shards += 1;
            self.tick();
            return None;
        }
        let case_name = self
            .junit
            .as_ref()
            .map(|_| junit::name(id.as_ref(), spec.as_ref().ok(), bytes));
        let line = BatchLine {
            n: n as u64,
            digest: id.is_none().then(|| line_digest(bytes)),
            id: id.clone(),
        };
        let job = spec.and_then(|spec| self.lines.build(spec, self.printer));
        if let (Some(report), Some(name)) = (&mut self.junit, case_name) {
            let class = job.as_ref().ok().map(|j| {
                let t = &j.settings.target;
                crate::commands::junit::classname(t.provider.name, &t.model)
            });
            report.launch(n, name, class);
        }
        if let Some(resume) = &mut self.resume
            && let Some(earlier) = resume.take(&line, id.as_ref(), self.printer)
        {
            if let (Ok(job), Some((provider, model))) = (&job, &earlier.sent_to) {
                self.check_same_target(n, job, provider, model);
            }
            let done = Done::Resumed(Box::new(earlier.result));
            return Some(Box::pin(std::future::ready(done)));
        }
        Some(match job {
            Err(e) => {
                let r = ResultLine::bad_line(n, id, e);
                Box::pin(std::future::ready(Done::Result(Box::new(r))))
            }
            Ok(job) => {
                let task = tokio::spawn(run_job(self.shared.clone(), line, job));
                Box::pin(async move {
                    task.await.unwrap_or_else(|e| {
                        Done::Result(Box::new(ResultLine {
                            error_kind: Some("internal"),
                            ..ResultLine::bad_line(n, None, format!("internal error: {e}"))
                        }))
                    })
                })
            }
        })
    }

    /// `--resume` keeps an earlier answer even when this run would send the
    /// line elsewhere (the flags changed); say so, once.
    fn check_same_target(&mut self, n: usize, job: &Job, provider: &str, model: &str) {
        let t = &job.settings.target;
        if self.warned_target || (t.provider.name == provider && t.model == model) {
            return;
        }
        self.warned_target = true;
        self.printer.warn(&format!(
            "--resume keeps line {n}'s earlier answer from {provider} {model}, although this run would send it to {} {}; to send such lines again, run without --resume or name a new batch with -p Hcl-Batch=ID",
            t.provider.name, t.model
        ));
    }

    fn finish(&mut self, done: Done) -> Result<()> {
        match done {
            Done::Result(r) => {
                self.stats.add(&r);
                if let Some(report) = &mut self.junit {
                    report.finish(&r);
                }
                if !r.ok() && self.opts.fail_fast {
                    // Bad lines fail without a task; requests stop themselves.
                    self.shared.stop_launching.store(true, Ordering::SeqCst);
                }
                self.printer.json_line(&*r)?;
            }
            Done::Resumed(r) => {
                self.stats.resumed += 1;
                // The report of a resumed run is as complete as its results.
                if let Some(report) = &mut self.junit {
                    report.finish(&r);
                }
                self.printer.json_line(&*r)?;
            }
            Done::NotRun => self.stats.not_run += 1,
            Done::Interrupted => self.stats.interrupted += 1,
        }
        self.tick();
        Ok(())
    }

    fn tick(&self) {
        if let Some(bar) = &self.progress {
            let s = &self.stats;
            bar.set_position(s.results + s.resumed + s.other_shards + s.not_run + s.interrupted);
            let secs = self.started.elapsed().as_secs_f64().max(0.001);
            bar.set_message(format!(
                "ok {}  failed {}  hits {}  {:.1}/s",
                s.ok,
                s.failed(),
                s.hits,
                s.results as f64 / secs
            ));
        }
    }
}
