//! Sending the plans: each `--repeat` times, `--concurrency` at a time,
//! logged, and turned into report rows; with `--settle`, a MISS is sent
//! again until it HITs or the deadline passes; Ctrl-C cuts the run short.

use std::cell::{Cell, RefCell};
use std::path::Path;
use std::time::{Duration, Instant, SystemTime};

use futures_util::StreamExt;

use super::plan::Plan;
use super::report::{Cache, Row};
use super::short;
use crate::cachekey::{self, CacheKey};
use crate::error::{Error, Signal};
use crate::exchange::{self, Outcome, RecordContext};
use crate::log;
use crate::output::{Printer, Progress};
use crate::request::{Credentials, HeaderValue, PreparedRequest};
use crate::select;
use crate::transport::Client;
use crate::wire::WireFormat;

/// Send one request. Every replay goes through here.
async fn send_one(
    client: &Client,
    req: &PreparedRequest,
    creds: &Credentials,
    format: WireFormat,
    stream: bool,
    peer: &str,
    interrupted: &tokio::sync::watch::Receiver<Option<Signal>>,
) -> Outcome {
    if stream {
        // Streamed records replay as streams: the same request, decoded as
        // it arrives, so the text can be compared with the original; an
        // interruption keeps what arrived.
        exchange::execute_stream(
            client,
            req,
            creds,
            format,
            peer,
            &mut |_| Ok(()),
            until_interrupted(interrupted.clone()),
        )
        .await
    } else {
        tokio::select! {
            outcome = exchange::execute(client, req, creds, format, peer) => outcome,
            signal = until_interrupted(interrupted.clone()) => Outcome {
                error: Some(Error::Interrupted(signal)),
                ..Default::default()
            },
        }
    }
}

/// Resolves with the signal that stopped the run (never, if it ends first).
async fn until_interrupted(mut rx: tokio::sync::watch::Receiver<Option<Signal>>) -> Signal {
    let signal = rx.wait_for(Option::is_some).await.map(|s| *s);
    match signal {
        Ok(s) => s.unwrap_or(Signal::Interrupt),
        Err(_) => std::future::pending().await,
    }
}

/// The shared state of one run.
pub(super) struct Run<'a> {
    pub(super) client: &'a Client,
    pub(super) log_path: Option<&'a Path>,
    /// The log, opened at the first replay and kept open for the rest.
    pub(super) log: RefCell<Option<log::Writer>>,
    pub(super) repeat: u32,
    pub(super) progress: &'a Progress,
    pub(super) hits: Cell<usize>,
    pub(super) misses: Cell<usize>,
    pub(super) printer: &'a Printer,
    /// Set at Ctrl-C: no new replay starts, those in flight stop.
    pub(super) interrupted: tokio::sync::watch::Receiver<Option<Signal>>,
    /// `--shard K/N`, written into each replay's record.
    pub(super) shard: Option<String>,
    /// `--settle`: until when a MISS is sent again.
    pub(super) settle_until: Option<Instant>,
}

/// The first wait before a MISS is sent again under `--settle`; it doubles.
const SETTLE_FIRST_WAIT: Duration = Duration::from_secs(1);
/// The longest wait between two tries.
const SETTLE_MAX_WAIT: Duration = Duration::from_secs(16);

/// How long to wait before try `tries + 1`: 1 s, 2 s, 4 s … up to
/// [`SETTLE_MAX_WAIT`], and never past the deadline; `None` when the
/// deadline has passed.
fn settle_wait(tries: u32, until: Instant, now: Instant) -> Option<Duration> {
    let left = until.checked_duration_since(now).filter(|d| !d.is_zero())?;
    let wait = SETTLE_FIRST_WAIT
        .saturating_mul(1u32 << tries.saturating_sub(1).min(8))
        .min(SETTLE_MAX_WAIT);
    Some(wait.min(left))
}

impl Run<'_> {
    /// Replay every plan, `concurrency` at a time; rows in plan order.
    pub(super) async fn all(&self, plans: &[Plan<'_>], concurrency: usize) -> Vec<Row> {
        let mut done: Vec<(usize, Vec<Row>)> = futures_util::stream::iter(plans.iter().enumerate())
            .map(|(i, p)| async move { (i, self.one(p).await) })
            .buffer_unordered(concurrency)
            .collect()
            .await;
        done.sort_by_key(|(i, _)| *i);
        done.into_iter().flat_map(|(_, rows)| rows).collect()
    }

    /// One plan, `repeat` times in a row (a bucket fills one send at a time).
    async fn one(&self, p: &Plan<'_>) -> Vec<Row> {
        let mut rows = Vec::with_capacity(self.repeat as usize);
        for attempt in 1..=self.repeat {
            if self.interrupted.borrow().is_some() {
                break;
            }
            let mut row = self.send(p, attempt).await;
            // `--settle`: the judged (last) send of a request is sent again
            // while it misses, until the deadline.
            if let Some(until) = self.settle_until.filter(|_| attempt == self.repeat) {
                while row.cache == Cache::Miss {
                    let Some(wait) = settle_wait(row.attempts, until, Instant::now()) else {
                        break;
                    };
                    tokio::select! {
                        () = tokio::time::sleep(wait) => {}
                        _ = until_interrupted(self.interrupted.clone()) => break,
                    }
                    let tries = row.attempts + 1;
                    row = self.send(p, attempt).await;
                    row.attempts = tries;
                }
            }
            match row.cache {
                Cache::Hit => self.hits.set(self.hits.get() + 1),
                Cache::Miss => self.misses.set(self.misses.get() + 1),
                _ => {}
            }
            self.progress.step(&format!(
                "{} HIT · {} MISS",
                self.hits.get(),
                self.misses.get()
            ));
            rows.push(row);
        }
        rows
    }

    /// Send a plan once, log it, and make its report row.
    async fn send(&self, p: &Plan<'_>, attempt: u32) -> Row {
        let id = uuid::Uuid::new_v4().to_string();
        let mut req = p.req.clone();
        if let Some(i) = p.id_index {
            req.headers[i].value = HeaderValue::Plain(id.clone());
        }
        let outcome = send_one(
            self.client,
            &req,
            &p.creds,
            p.format,
            p.original.stream,
            &p.peer,
            &self.interrupted,
        )
        .await;
        self.finish(p, attempt, id, &req, outcome)
    }

    /// Append a replay's record to the log (unless `--no-log`): each record
    /// is one write under the lock, through a file opened once.
    fn append(&self, record: &log::Record) -> crate::error::Result<()> {
        let Some(path) = self.log_path else {
            return Ok(());
        };
        let mut log = self.log.borrow_mut();
        let writer = match &mut *log {
            Some(w) => w,
            None => {
                let (w, warning) = log::Writer::open(path)?;
                self.printer.warn_all(warning.as_slice());
                log.insert(w)
            }
        };
        writer.append(record)
    }

    /// Log the replay and turn it into a report row.
    fn finish(
        &self,
        p: &Plan<'_>,
        attempt: u32,
        id: String,
        req: &PreparedRequest,
        outcome: Outcome,
    ) -> Row {
        let o = p.original;
        let ctx = RecordContext {
            id: &id,
            provider: &o.provider,
            model: &o.model,
            format: p.format,
            stream: o.stream,
            replay_of: Some(o.id.clone()),
        };
        let (now_key, text) = match exchange::build_record(&ctx, req, &p.creds, &outcome) {
            Ok(mut record) => {
                // The same body: the same files.
                record.attachments.clone_from(&o.attachments);
                record.shard.clone_from(&self.shard);
                if let Err(e) = self.append(&record) {
                    self.printer
                        .warn(&format!("{e}; the replay {} was not logged", short(&id)));
                }
                (record.cache_key, record.response.text)
            }
            Err(_) => (CacheKey::default(), String::new()),
        };
        let cache = match (&outcome.error, outcome.meta.cache.as_deref()) {
            (Some(_), _) => Cache::Error,
            (None, Some("HIT")) => Cache::Hit,
            (None, Some(_)) => Cache::Miss,
            (None, None) => Cache::Off,
        };
        let why = match (&outcome.error, cache) {
            (_, Cache::Miss) => cachekey::explain_miss(
                &o.as_original(),
                &now_key,
                &req.url,
                p.helicone_key_ok,
                SystemTime::now(),
            ),
            _ => Vec::new(),
        };
        let latency_ms = outcome.latency.map(|d| d.as_millis() as u64);
        let saved_ms = (cache == Cache::Hit)
            .then(|| {
                let upstream = outcome.meta.cache_latency_ms.or(o.latency_ms)?;
                Some(upstream.saturating_sub(latency_ms.unwrap_or(0)))
            })
            .flatten();
        let comparable =
            outcome.error.is_none() && select::is_ok(o) && !(o.stream && text.is_empty());
        Row {
            original_id: o.id.clone(),
            id,
            attempt,
            attempts: 1,
            provider: o.provider.clone(),
            model: o.model.clone(),
            stream: o.stream,
            status: outcome.status,
            cache,
            bucket_idx: outcome.meta.bucket_idx,
            original_latency_ms: o.latency_ms,
            latency_ms,
            saved_ms,
            same_text: comparable.then(|| text == o.response.text),
            why,
            met_expectation: None,
            exit: outcome.error.as_ref().map(Error::exit_status),
            error: outcome.error.map(|e| e.to_string()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn settle_waits_double_up_to_the_cap_and_stop_at_the_deadline() {
        let now = Instant::now();
        let far = now + Duration::from_secs(3600);
        let waits: Vec<u64> = (1..=7)
            .map(|t| settle_wait(t, far, now).map_or(0, |d| d.as_secs()))
            .collect();
        assert_eq!(waits, [1, 2, 4, 8, 16, 16, 16]);
        assert_eq!(settle_wait(40, far, now), Some(SETTLE_MAX_WAIT));
        // Never past the deadline; none once it has passed.
        let soon = now + Duration::from_millis(300);
        assert_eq!(settle_wait(3, soon, now), Some(Duration::from_millis(300)));
        assert_eq!(settle_wait(1, soon, soon), None);
        assert_eq!(settle_wait(1, now, soon), None);
    }
}
