//! `hcl log stats`: counts, errors, cache hit rate, tokens, cost and latency
//! percentiles of the selected requests, grouped with `--by`.

use std::collections::{BTreeMap, HashSet};
use std::time::SystemTime;

use serde::Serialize;

use crate::annotations;
use crate::cli::{LogStatsArgs, TableFormat};
use crate::error::{Error, ExitStatus, Result};
use crate::log::{self, Record};
use crate::output::{self, Printer};
use crate::select::{self, Selection};
use crate::settings::Env;

/// How the rows are grouped.
#[derive(Debug, Clone, PartialEq, Eq)]
enum By {
    All,
    Provider,
    Model,
    Batch,
    Property(String),
}

impl By {
    fn parse(raw: Option<&str>) -> Result<By> {
        let Some(raw) = raw.map(str::trim) else {
            return Ok(By::All);
        };
        match raw.to_ascii_lowercase().as_str() {
            "provider" => Ok(By::Provider),
            "model" => Ok(By::Model),
            "batch" => Ok(By::Batch),
            _ => match raw.split_once(':') {
                Some((p, name))
                    if p.eq_ignore_ascii_case("property") && !name.trim().is_empty() =>
                {
                    Ok(By::Property(name.trim().to_string()))
                }
                _ => Err(Error::usage(format!(
                    "--by '{raw}' is not a grouping; use provider, model, batch or property:NAME (e.g. --by property:team)"
                ))),
            },
        }
    }

    fn label(&self) -> String {
        match self {
            By::All => "all".to_string(),
            By::Provider => "provider".to_string(),
            By::Model => "model".to_string(),
            By::Batch => "batch".to_string(),
            By::Property(p) => format!("property:{p}"),
        }
    }

    fn key(&self, r: &Record) -> String {
        match self {
            By::All => "all".to_string(),
            By::Provider => r.provider.clone(),
            By::Model => r.model.clone(),
            By::Batch => r.batch.clone().unwrap_or_else(|| "-".to_string()),
            By::Property(name) => {
                let header = format!("helicone-property-{name}");
                r.request
                    .headers
                    .0
                    .iter()
                    .find(|(n, _)| n.eq_ignore_ascii_case(&header))
                    .map_or_else(|| "-".to_string(), |(_, v)| v.clone())
            }
        }
    }
}

/// The figures of one group.
#[derive(Debug, Default, Serialize, PartialEq)]
struct Group {
    group: String,
    requests: usize,
    errors: usize,
    cache_hits: usize,
    cache_misses: usize,
    /// HIT / (HIT + MISS); none when no request asked the cache.
    cache_hit_rate: Option<f64>,
    input_tokens: u64,
    output_tokens: u64,
    /// The sum of the costs Helicone reported (`hcl log verify`).
    cost_usd: Option<f64>,
    /// How many requests that cost covers.
    cost_known: usize,
    latency_p50_ms: Option<u64>,
    latency_p95_ms: Option<u64>,
}

/// Nearest-rank percentile of sorted values.
fn percentile(sorted: &[u64], p: f64) -> Option<u64> {
    if sorted.is_empty() {
        return None;
    }
    let rank = (p * sorted.len() as f64).ceil().max(1.0) as usize;
    sorted.get(rank.min(sorted.len()) - 1).copied()
}

fn figures(group: String, records: &[&Record], costs: &dyn Fn(&str) -> Option<f64>) -> Group {
    let mut g = Group {
        group,
        requests: records.len(),
        ..Group::default()
    };
    let mut latencies = Vec::new();
    let mut cost = 0.0;
    for r in records {
        if !select::is_ok(r) {
            g.errors += 1;
        }
        match r.helicone.cache.as_deref() {
            Some(c) if c.eq_ignore_ascii_case("HIT") => g.cache_hits += 1,
            Some(c) if c.eq_ignore_ascii_case("MISS") => g.cache_misses += 1,
            _ => {}
        }
        g.input_tokens += r.response.usage.input.unwrap_or(0);
        g.output_tokens += r.response.usage.output.unwrap_or(0);
        if let Some(c) = costs(&r.id) {
            cost += c;
            g.cost_known += 1;
        }
        if let Some(ms) = r.latency_ms {
            latencies.push(ms);
        }
    }
    let asked = g.cache_hits + g.cache_misses;
    g.cache_hit_rate = (asked > 0).then(|| g.cache_hits as f64 / asked as f64);
    g.cost_usd = (g.cost_known > 0).then_some(cost);
    latencies.sort_unstable();
    g.latency_p50_ms = percentile(&latencies, 0.50);
    g.latency_p95_ms = percentile(&latencies, 0.95);
    g
}

#[derive(Serialize)]
struct Report<'a> {
    by: String,
    groups: &'a [Group],
    total: &'a Group,
}

pub fn run(args: &LogStatsArgs, env: Env<'_>, printer: &Printer) -> Result<ExitStatus> {
    let by = By::parse(args.by.as_deref())?;
    let path = log::default_path(env)?;
    let sel = Selection::from_args(&args.select, &[], None, SystemTime::now())?;
    let (records, skipped) = select::select(&path, &sel)?;
    select::warn_skipped(&path, &skipped, printer);
    let ids: HashSet<&str> = records.iter().map(|r| r.id.as_str()).collect();
    let (known, warnings) = annotations::load(&path, Some(&ids))?;
    printer.warn_all(&warnings);
    let costs = |id: &str| known.get(id).and_then(|k| k.cost_usd);

    let mut grouped: BTreeMap<String, Vec<&Record>> = BTreeMap::new();
    for r in &records {
        grouped.entry(by.key(r)).or_default().push(r);
    }
    let groups: Vec<Group> = grouped
        .into_iter()
        .map(|(k, rs)| figures(k, &rs, &costs))
        .collect();
    let all: Vec<&Record> = records.iter().collect();
    let total = figures("total".to_string(), &all, &costs);

    let format = args.format.resolve();
    if format == TableFormat::Json {
        printer.json(&Report {
            by: by.label(),
            groups: &groups,
            total: &total,
        })?;
        return Ok(ExitStatus::Success);
    }
    if records.is_empty() {
        printer.note(&format!("no logged request matches in {}", path.display()));
    }
    let tsv = format == TableFormat::Tsv;
    let rate = |g: &Group| match g.cache_hit_rate {
        Some(r) if tsv => format!("{r:.4}"),
        Some(r) => format!("{:.1}%", r * 100.0),
        None => "-".to_string(),
    };
    let ms = |v: Option<u64>| match v {
        Some(v) if tsv => v.to_string(),
        Some(v) => format!("{v} ms"),
        None => "-".to_string(),
    };
    let cost = |g: &Group| match g.cost_usd {
        Some(c) if tsv => c.to_string(),
        Some(c) if g.cost_known < g.requests => {
            format!("{} ({} of {})", output::usd(c), g.cost_known, g.requests)
        }
        Some(c) => output::usd(c),
        None => "-".to_string(),
    };
    let row = |g: &Group| {
        vec![
            g.group.clone(),
            g.requests.to_string(),
            g.errors.to_string(),
            g.cache_hits.to_string(),
            rate(g),
            g.input_tokens.to_string(),
            g.output_tokens.to_string(),
            cost(g),
            ms(g.latency_p50_ms),
            ms(g.latency_p95_ms),
        ]
    };
    let mut rows: Vec<Vec<String>> = groups.iter().map(row).collect();
    if by != By::All {
        rows.push(row(&total));
    }
    let group_header = by.label();
    printer.rows(
        tsv,
        &[
            group_header.as_str(),
            "requests",
            "errors",
            "cache hits",
            "hit rate",
            "input tokens",
            "output tokens",
            "cost",
            "p50",
            "p95",
        ],
        rows,
    )?;
    if !tsv && total.cost_known < total.requests && !records.is_empty() {
        printer.note(&format!(
            "cost is known for {} of {} requests; `hcl log verify` asks Helicone for the rest",
            total.cost_known, total.requests
        ));
    }
    Ok(ExitStatus::Success)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nearest_rank_percentiles() {
        let v: Vec<u64> = (1..=20).map(|i| i * 10).collect();
        assert_eq!(percentile(&v, 0.5), Some(100));
        assert_eq!(percentile(&v, 0.95), Some(190));
        assert_eq!(percentile(&[7], 0.95), Some(7));
        assert_eq!(percentile(&[], 0.5), None);
    }

    #[test]
    fn groupings() {
        assert_eq!(By::parse(None).unwrap(), By::All);
        assert_eq!(By::parse(Some("Model")).unwrap(), By::Model);
        assert_eq!(
            By::parse(Some("property:team")).unwrap(),
            By::Property("team".into())
        );
        assert!(
            By::parse(Some("colour"))
                .unwrap_err()
                .to_string()
                .contains("property:NAME")
        );
    }
}
