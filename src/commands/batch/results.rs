//! Results: one JSON line per input line, the statistics of a run and the
//! summary printed at its end.

use std::collections::BTreeMap;

use serde::Serialize;
use serde_json::Value;

use crate::output::{self, Printer};
use crate::shard::Shard;
use crate::wire::Usage;

/// One result line on stdout.
#[derive(Debug, Serialize)]
pub(super) struct ResultLine {
    pub(super) line: usize,
    pub(super) id: Option<Value>,
    pub(super) log_id: Option<String>,
    pub(super) status: Option<u16>,
    pub(super) text: Option<String>,
    pub(super) usage: Usage,
    pub(super) finish_reason: Option<String>,
    pub(super) cache: Option<String>,
    pub(super) helicone_id: Option<String>,
    pub(super) latency_ms: Option<u64>,
    pub(super) attempts: u32,
    pub(super) error: Option<String>,
    pub(super) error_kind: Option<&'static str>,
    /// `--resume`: an earlier run answered this line; the result is its.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub(super) resumed: bool,
}

impl ResultLine {
    pub(super) fn bad_line(line: usize, id: Option<Value>, error: String) -> ResultLine {
        ResultLine {
            line,
            id,
            log_id: None,
            status: None,
            text: None,
            usage: Usage::default(),
            finish_reason: None,
            cache: None,
            helicone_id: None,
            latency_ms: None,
            attempts: 0,
            error: Some(error),
            error_kind: Some("input"),
            resumed: false,
        }
    }

    pub(super) fn ok(&self) -> bool {
        self.error.is_none()
    }
}

/// Latencies in a fixed-size histogram: exact milliseconds up to 10 s, then
/// 100 ms steps up to 10 minutes. Constant memory for any batch size.
struct Histogram {
    counts: Vec<u64>,
    n: u64,
}

const FINE_MS: u64 = 10_000;
const COARSE_STEP_MS: u64 = 100;
const MAX_MS: u64 = 600_000;

impl Default for Histogram {
    fn default() -> Self {
        let buckets = FINE_MS + (MAX_MS - FINE_MS) / COARSE_STEP_MS + 1;
        Histogram {
            counts: vec![0; buckets as usize],
            n: 0,
        }
    }
}

impl Histogram {
    fn add(&mut self, ms: u64) {
        let ms = ms.min(MAX_MS);
        let i = if ms < FINE_MS {
            ms
        } else {
            FINE_MS + (ms - FINE_MS) / COARSE_STEP_MS
        };
        if let Some(c) = self.counts.get_mut(i as usize) {
            *c += 1;
            self.n += 1;
        }
    }

    /// The value at quantile `q` (0..=1), in milliseconds.
    fn quantile(&self, q: f64) -> Option<u64> {
        if self.n == 0 {
            return None;
        }
        let rank = ((q * self.n as f64).ceil() as u64).clamp(1, self.n);
        let mut seen = 0;
        for (i, c) in self.counts.iter().enumerate() {
            seen += c;
            if seen >= rank {
                let i = i as u64;
                return Some(if i < FINE_MS {
                    i
                } else {
                    FINE_MS + (i - FINE_MS) * COARSE_STEP_MS
                });
            }
        }
        None
    }
}

#[derive(Default)]
pub(super) struct Stats {
    /// Result lines written.
    pub(super) results: u64,
    pub(super) ok: u64,
    failed: BTreeMap<&'static str, u64>,
    retries: u64,
    pub(super) hits: u64,
    latency: Histogram,
    input_tokens: u64,
    output_tokens: u64,
    pub(super) resumed: u64,
    /// Lines of other shards (`--shard`), not run here.
    pub(super) other_shards: u64,
    pub(super) not_run: u64,
    pub(super) interrupted: u64,
    pub(super) input_error: bool,
}

impl Stats {
    pub(super) fn add(&mut self, r: &ResultLine) {
        self.results += 1;
        if r.ok() {
            self.ok += 1;
        } else {
            *self
                .failed
                .entry(r.error_kind.unwrap_or("error"))
                .or_default() += 1;
        }
        self.retries += u64::from(r.attempts.saturating_sub(1));
        if r.cache.as_deref() == Some("HIT") {
            self.hits += 1;
        }
        if let Some(ms) = r.latency_ms {
            self.latency.add(ms);
        }
        self.input_tokens += r.usage.input.unwrap_or(0);
        self.output_tokens += r.usage.output.unwrap_or(0);
    }

    pub(super) fn failed(&self) -> u64 {
        self.failed.values().sum()
    }
}

pub(super) fn print_summary(batch_id: &str, shard: Option<Shard>, s: &Stats, printer: &Printer) {
    let mut rows: Vec<(&str, String)> = vec![("batch", batch_id.to_string())];
    if let Some(shard) = shard {
        rows.push(("shard", shard.to_string()));
    }
    rows.push(("results", s.results.to_string()));
    rows.push(("ok", s.ok.to_string()));
    let failed = if s.failed.is_empty() {
        "0".to_string()
    } else {
        let kinds: Vec<String> = s.failed.iter().map(|(k, n)| format!("{k} {n}")).collect();
        format!("{} ({})", s.failed(), kinds.join(", "))
    };
    rows.push(("failed", failed));
    if shard.is_some() {
        rows.push(("skipped (other shards)", s.other_shards.to_string()));
    }
    if s.resumed > 0 {
        rows.push(("skipped (--resume)", s.resumed.to_string()));
    }
    if s.not_run > 0 {
        rows.push(("not run (--fail-fast)", s.not_run.to_string()));
    }
    if s.interrupted > 0 {
        rows.push(("interrupted", s.interrupted.to_string()));
    }
    rows.push(("retries", s.retries.to_string()));
    rows.push(("cache hits", s.hits.to_string()));
    let ms = |q| {
        s.latency
            .quantile(q)
            .map_or("-".to_string(), |v| format!("{v} ms"))
    };
    rows.push(("latency p50", ms(0.5)));
    rows.push(("latency p95", ms(0.95)));
    rows.push(("input tokens", s.input_tokens.to_string()));
    rows.push(("output tokens", s.output_tokens.to_string()));
    if printer.stderr_is_tty {
        let mut table = output::Table::new(vec![
            output::Col::keep("batch summary"),
            output::Col::keep(""),
        ]);
        for (k, v) in &rows {
            table.row(vec![k.to_string(), v.clone()]);
        }
        printer.report_table(&table);
    } else {
        let text: String = rows.iter().map(|(k, v)| format!("{k}: {v}\n")).collect();
        printer.report(&text);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn histogram_quantiles() {
        let mut h = Histogram::default();
        assert_eq!(h.quantile(0.5), None);
        for ms in 1..=100 {
            h.add(ms);
        }
        assert_eq!(h.quantile(0.5), Some(50));
        assert_eq!(h.quantile(0.95), Some(95));
        h.add(25_049);
        h.add(10_000_000);
        assert_eq!(h.quantile(1.0), Some(MAX_MS));
    }
}
