//! `--junit FILE`: the report as JUnit XML, one testcase per replay, named
//! by the logged request's prompt (see [`crate::commands::junit`]).

use std::collections::HashMap;
use std::path::Path;

use quick_junit::{NonSuccessKind, Property, TestCase, TestCaseStatus};

use super::report::{Row, Totals};
use crate::commands::junit;
use crate::error::Result;
use crate::log::Record;

/// What a replay's row says, for the case's text.
fn detail(r: &Row) -> String {
    format!(
        "model {}, status {}, cache {}{}{}, replay id {}, original id {}{}",
        r.model,
        r.status.map_or("-".into(), |s| s.to_string()),
        r.cache.label(),
        r.bucket_idx
            .map(|b| format!(" (bucket {b})"))
            .unwrap_or_default(),
        if r.attempts > 1 {
            format!(" after {} tries", r.attempts)
        } else {
            String::new()
        },
        r.id,
        r.original_id,
        if r.why.is_empty() {
            String::new()
        } else {
            format!("; why: {}", r.why.join("; "))
        }
    )
}

/// One testcase: a replay with no usable answer is an error, one that
/// missed `--expect` a failure.
fn case(r: &Row, original: Option<&Record>, repeated: bool, t: &Totals) -> TestCase {
    // The batch line's id names the case, else the prompt.
    let mut name = original.map_or_else(|| r.original_id.clone(), junit::record_name);
    if repeated {
        name = format!("{name} #{}", r.attempt);
    }
    let status = if let Some(e) = &r.error {
        junit::non_success(NonSuccessKind::Error, "replay", e, &detail(r))
    } else if r.met_expectation == Some(false) {
        let message = format!(
            "expected {}, got {}{}",
            t.expect.unwrap_or("?"),
            r.cache.label(),
            r.why.first().map(|w| format!(": {w}")).unwrap_or_default()
        );
        junit::non_success(NonSuccessKind::Failure, "expectation", &message, &detail(r))
    } else {
        TestCaseStatus::success()
    };
    let mut c = junit::case(
        name,
        junit::classname(&r.provider, &r.model),
        r.latency_ms,
        status,
    );
    if r.error.is_none() && r.met_expectation != Some(false) {
        c.set_system_out(detail(r));
    }
    c.add_property(Property::new("cache", r.cache.label()));
    c.add_property(Property::new("original_id", r.original_id.as_str()));
    c.add_property(Property::new("replay_id", r.id.as_str()));
    if let Some(batch) = original.and_then(|o| o.batch.as_deref()) {
        c.add_property(Property::new("batch", batch));
    }
    c
}

pub(super) fn write_junit(file: &Path, rows: &[Row], t: &Totals, records: &[Record]) -> Result<()> {
    let by_id: HashMap<&str, &Record> = records.iter().map(|r| (r.id.as_str(), r)).collect();
    let repeated = rows.iter().any(|r| r.attempt > 1);
    let cases = rows
        .iter()
        .map(|r| case(r, by_id.get(r.original_id.as_str()).copied(), repeated, t))
        .collect();
    let mut props = Vec::new();
    if let Some(e) = t.expect {
        props.push(("expect", e.to_string()));
    }
    if let Some(n) = t.other_shards {
        props.push(("other_shards", n.to_string()));
    }
    junit::write(file, "hcl replay", &props, cases)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cli::ExpectArg;
    use crate::commands::replay::report::tests::row;
    use crate::commands::replay::report::{Cache, judge, totals};

    #[test]
    fn a_missed_expectation_is_a_failure_with_its_reason() {
        let mut rows = vec![row(Cache::Miss, 1)];
        rows[0].why = vec!["the body <differs> & \"so\"".into()];
        judge(&mut rows, Some(ExpectArg::Hit), 1);
        let t = totals(&rows, Some(ExpectArg::Hit));
        let c = case(&rows[0], None, false, &t);
        match &c.status {
            TestCaseStatus::NonSuccess {
                kind,
                message,
                description,
                ..
            } => {
                assert_eq!(*kind, NonSuccessKind::Failure);
                let m = message.as_ref().map(|m| m.as_str()).unwrap_or_default();
                assert!(m.starts_with("expected HIT, got MISS"), "{m}");
                let d = description.as_ref().map(|d| d.as_str()).unwrap_or_default();
                assert!(d.contains("<differs>"), "{d}");
            }
            other => panic!("{other:?}"),
        }
    }
}
