//! The report: one row per replay, the totals, `--expect` judgement, the
//! table and the summary line.

use std::fmt::Write as _;

use serde::Serialize;

use super::short;
use crate::cli::ExpectArg;
use crate::error::{ExitStatus, Result};
use crate::output::{Col, Printer, Table, TableFormat};

/// What Helicone's cache did for one replay.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "UPPERCASE")]
pub(super) enum Cache {
    Hit,
    Miss,
    /// The request did not ask for the cache.
    Off,
    /// No usable answer: an error status or no response.
    Error,
}

impl Cache {
    pub(super) fn label(self) -> &'static str {
        match self {
            Cache::Hit => "HIT",
            Cache::Miss => "MISS",
            Cache::Off => "OFF",
            Cache::Error => "ERROR",
        }
    }
}

/// One row of the report.
#[derive(Debug, Serialize)]
pub(super) struct Row {
    pub(super) original_id: String,
    pub(super) id: String,
    pub(super) attempt: u32,
    /// How many times this send went out: 1, or with `--settle` the tries
    /// until it HIT or the deadline passed; the other fields are the last try's.
    pub(super) attempts: u32,
    pub(super) provider: String,
    pub(super) model: String,
    pub(super) stream: bool,
    pub(super) status: Option<u16>,
    pub(super) cache: Cache,
    pub(super) bucket_idx: Option<u32>,
    pub(super) original_latency_ms: Option<u64>,
    pub(super) latency_ms: Option<u64>,
    /// On a HIT: the original upstream latency minus this one.
    pub(super) saved_ms: Option<u64>,
    /// Whether the answer's text equals the logged one (`null`: not comparable).
    pub(super) same_text: Option<bool>,
    /// For a MISS: the part of the cache key that changed, or the likely causes.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub(super) why: Vec<String>,
    /// With `--expect`, whether this replay met it (`null`: not judged).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(super) met_expectation: Option<bool>,
    pub(super) error: Option<String>,
    #[serde(skip)]
    pub(super) exit: Option<ExitStatus>,
}

#[derive(Debug, Default, Serialize)]
pub(super) struct Totals {
    pub(super) replayed: usize,
    pub(super) hit: usize,
    pub(super) miss: usize,
    pub(super) off: usize,
    pub(super) error: usize,
    /// HITs over replays.
    pub(super) hit_rate: f64,
    pub(super) saved_ms: u64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(super) expect: Option<&'static str>,
    pub(super) expectation_failures: usize,
    /// With `--shard`: the selected requests left to other shards.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(super) other_shards: Option<usize>,
}

#[derive(Serialize)]
pub(super) struct Report<'a> {
    pub(super) replays: &'a [Row],
    pub(super) summary: &'a Totals,
}

/// Mark each judged row against `--expect`: every row, or with `--repeat`
/// the last send of each request (the ones before it fill the bucket).
pub(super) fn judge(rows: &mut [Row], expect: Option<ExpectArg>, repeat: u32) {
    let Some(expect) = expect else { return };
    let want = match expect {
        ExpectArg::Hit => Cache::Hit,
        ExpectArg::Miss => Cache::Miss,
    };
    for row in rows.iter_mut().filter(|r| r.attempt == repeat) {
        row.met_expectation = Some(row.cache == want);
    }
}

pub(super) fn totals(rows: &[Row], expect: Option<ExpectArg>) -> Totals {
    let count = |c: Cache| rows.iter().filter(|r| r.cache == c).count();
    let replayed = rows.len();
    let hit = count(Cache::Hit);
    Totals {
        replayed,
        hit,
        miss: count(Cache::Miss),
        off: count(Cache::Off),
        error: count(Cache::Error),
        hit_rate: if replayed == 0 {
            0.0
        } else {
            hit as f64 / replayed as f64
        },
        saved_ms: rows.iter().filter_map(|r| r.saved_ms).sum(),
        expect: expect.map(|e| match e {
            ExpectArg::Hit => "HIT",
            ExpectArg::Miss => "MISS",
        }),
        expectation_failures: rows
            .iter()
            .filter(|r| r.met_expectation == Some(false))
            .count(),
        other_shards: None,
    }
}

fn duration_text(ms: u64) -> String {
    if ms < 1000 {
        format!("{ms} ms")
    } else {
        format!("{:.1} s", ms as f64 / 1000.0)
    }
}

/// `12 replayed: 10 HIT, 2 MISS (83%), 1.8 s saved`
pub(super) fn summary_line(t: &Totals) -> String {
    let mut s = format!("{} replayed: {} HIT, {} MISS", t.replayed, t.hit, t.miss);
    if t.off > 0 {
        let _ = write!(s, ", {} OFF", t.off);
    }
    if t.error > 0 {
        let _ = write!(s, ", {} ERROR", t.error);
    }
    let _ = write!(
        s,
        " ({:.0}%), {} saved",
        t.hit_rate * 100.0,
        duration_text(t.saved_ms)
    );
    if let Some(n) = t.other_shards {
        let _ = write!(s, "; {n} skipped (other shards)");
    }
    s
}

/// The report as a table, each distinct reason (or error) said once under
/// it with the rows it applies to, marked `[1]`, `[2]` in the table.
///
/// With `--settle` (`settled`), a `tries` column after `cache` says how
/// many sends each took.
pub(super) fn print_table(
    rows: &[Row],
    repeated: bool,
    settled: bool,
    format: TableFormat,
    printer: &Printer,
) -> Result<()> {
    let mut cols = vec![
        Col::keep("id"),
        Col::fixed("provider", 4),
        Col::text("model", 3, 10),
        Col::keep("status"),
        Col::keep("cache"),
    ];
    if settled {
        cols.push(Col::keep("tries"));
    }
    cols.extend([
        Col::fixed("bucket", 5),
        Col::fixed("latency", 2),
        Col::fixed("text", 6),
        Col::text("why", 1, 8),
    ]);
    let mut table = Table::new(cols);
    let mut reasons: Vec<(String, Vec<String>)> = Vec::new();
    for r in rows {
        let mut id = short(&r.original_id).to_string();
        if repeated {
            let _ = write!(id, " #{}", r.attempt);
        }
        let mut cache = r.cache.label().to_string();
        if r.met_expectation == Some(false) {
            cache.push_str(" ✗");
        }
        let ms = |v: Option<u64>| v.map_or("-".to_string(), |v| v.to_string());
        let why = match &r.error {
            Some(e) => e.clone(),
            None => r.why.join("; "),
        };
        // TSV keeps every reason in its row, for scripts.
        let why = if why.is_empty() || format == TableFormat::Tsv {
            why
        } else {
            let n = match reasons.iter().position(|(w, _)| *w == why) {
                Some(n) => n,
                None => {
                    reasons.push((why, Vec::new()));
                    reasons.len() - 1
                }
            };
            reasons[n].1.push(id.clone());
            format!("[{}]", n + 1)
        };
        let mut cells = vec![
            id,
            r.provider.clone(),
            r.model.clone(),
            r.status.map_or("-".into(), |s| s.to_string()),
            cache,
        ];
        if settled {
            cells.push(r.attempts.to_string());
        }
        cells.extend([
            r.bucket_idx.map_or("-".into(), |b| b.to_string()),
            format!("{} → {} ms", ms(r.original_latency_ms), ms(r.latency_ms)),
            match r.same_text {
                Some(true) => "same".into(),
                Some(false) => "differs".into(),
                None => "-".into(),
            },
            why,
        ]);
        table.row(cells);
    }
    printer.table(&table, format)?;
    for (n, (why, ids)) in reasons.iter().enumerate() {
        let which = if ids.len() == rows.len() && rows.len() > 1 {
            "every row".to_string()
        } else {
            ids.join(", ")
        };
        let mark = format!("[{}] ", n + 1);
        printer.wrapped(&format!("{mark}{why} ({which})"), mark.len())?;
    }
    Ok(())
}

#[cfg(test)]
pub(super) mod tests {
    use super::*;

    /// A report row; the JUnit tests use it too.
    pub(in crate::commands::replay) fn row(cache: Cache, attempt: u32) -> Row {
        Row {
            original_id: "0123456789".into(),
            id: "r".into(),
            attempt,
            attempts: 1,
            provider: "openai".into(),
            model: "m<&>".into(),
            stream: false,
            status: Some(200),
            cache,
            bucket_idx: None,
            original_latency_ms: Some(900),
            latency_ms: Some(100),
            saved_ms: (cache == Cache::Hit).then_some(800),
            same_text: Some(true),
            why: vec![],
            met_expectation: None,
            error: None,
            exit: None,
        }
    }

    #[test]
    fn summary_and_expectation() {
        let mut rows: Vec<Row> = (0..10).map(|_| row(Cache::Hit, 1)).collect();
        rows.push(row(Cache::Miss, 1));
        rows.push(row(Cache::Miss, 1));
        judge(&mut rows, Some(ExpectArg::Hit), 1);
        let t = totals(&rows, Some(ExpectArg::Hit));
        assert_eq!(
            summary_line(&t),
            "12 replayed: 10 HIT, 2 MISS (83%), 8.0 s saved"
        );
        assert_eq!(t.expectation_failures, 2);
        // With --repeat, only the last send of each request is judged.
        let mut rows = vec![row(Cache::Miss, 1), row(Cache::Miss, 2), row(Cache::Hit, 3)];
        judge(&mut rows, Some(ExpectArg::Hit), 3);
        assert_eq!(
            rows.iter().map(|r| r.met_expectation).collect::<Vec<_>>(),
            [None, None, Some(true)]
        );
    }
}
