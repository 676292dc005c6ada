//! JUnit XML reports for CI dashboards (`chat --batch --junit`, `replay
//! --junit`, `log verify --junit`), written with `quick-junit`, mode 0600.
//!
//! Every report names things the same way: a test case is named by the
//! batch line's id, or else a preview of its prompt (its first 60
//! characters, on one line); its class name is `provider/model`; its time
//! is the request's latency; a failure carries a one-line message and the
//! reason in full. Names that repeat in a report get ` (2)`, ` (3)` … so a
//! dashboard shows every case.

use std::collections::HashMap;
use std::path::Path;
use std::time::Duration;

use quick_junit::{NonSuccessKind, Property, Report, TestCase, TestCaseStatus, TestSuite};

use crate::error::{Error, Result};

const PREVIEW_CHARS: usize = 60;

/// The first 60 characters of a prompt, on one line.
pub fn preview(text: &str) -> String {
    let one_line = crate::wire::one_line(text);
    let mut out: String = one_line.chars().take(PREVIEW_CHARS).collect();
    if one_line.chars().count() > PREVIEW_CHARS {
        out.push('…');
    }
    if out.is_empty() {
        out.push_str("(no prompt)");
    }
    out
}

/// The preview of the last user message of a logged request body.
fn body_preview(body: &str) -> String {
    preview(&crate::wire::last_prompt(body))
}

/// A logged request's case name: its batch line's id, else its prompt.
pub fn record_name(r: &crate::log::Record) -> String {
    match r.line.as_ref().and_then(|l| l.id.as_ref()) {
        Some(id) => crate::shard::id_key(id),
        None => body_preview(r.request.body.get()),
    }
}

/// `provider/model`: every report's class name.
pub fn classname(provider: &str, model: &str) -> String {
    format!("{provider}/{model}")
}

/// A failure (`NonSuccessKind::Failure`: an expectation not met) or an
/// error (no usable answer): its type, a one-line message and the reason.
pub fn non_success(kind: NonSuccessKind, ty: &str, message: &str, reason: &str) -> TestCaseStatus {
    let mut s = TestCaseStatus::non_success(kind);
    s.set_type(ty);
    s.set_message(crate::wire::one_line(message));
    s.set_description(reason);
    s
}

/// A test case named and classed the common way.
pub fn case(
    name: String,
    class: String,
    latency_ms: Option<u64>,
    status: TestCaseStatus,
) -> TestCase {
    let mut c = TestCase::new(name, status);
    c.set_classname(class);
    if let Some(ms) = latency_ms {
        c.set_time(Duration::from_millis(ms));
    }
    c
}

/// Write one suite of `cases` as a report to `file`, mode 0600.
pub fn write(
    file: &Path,
    suite_name: &str,
    properties: &[(&str, String)],
    mut cases: Vec<TestCase>,
) -> Result<()> {
    unique_names(&mut cases);
    let mut suite = TestSuite::new(suite_name);
    suite.set_timestamp(chrono::Utc::now().fixed_offset());
    let time: Duration = cases.iter().filter_map(|c| c.time).sum();
    suite.set_time(time);
    for (k, v) in properties {
        suite.add_property(Property::new(*k, v.as_str()));
    }
    suite.add_test_cases(cases);
    let mut report = Report::new("hcl");
    report.set_time(time);
    report.add_test_suite(suite);
    let text = report
        .to_string()
        .map_err(|e| Error::Protocol(format!("cannot write the JUnit report: {e}")))?;
    crate::files::write_private(file, text.as_bytes()).map_err(|e| {
        Error::io(
            format!("cannot write the JUnit report {}", file.display()),
            e,
        )
    })
}

/// The second and later cases of a name get ` (2)`, ` (3)` ….
fn unique_names(cases: &mut [TestCase]) {
    let mut seen: HashMap<String, usize> = HashMap::new();
    for c in cases.iter_mut() {
        let name = c.name.as_str().to_string();
        let n = seen.entry(name.clone()).or_default();
        *n += 1;
        if *n > 1 {
            c.name = format!("{name} ({n})").into();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn previews_are_one_short_line() {
        assert_eq!(preview("  What is\n2+2?  "), "What is 2+2?");
        let long = "x".repeat(100);
        assert_eq!(preview(&long).chars().count(), 61);
        assert_eq!(preview(""), "(no prompt)");
    }

    #[test]
    fn repeated_names_are_numbered() {
        let mut cases = vec![
            TestCase::new("a", TestCaseStatus::success()),
            TestCase::new("b", TestCaseStatus::success()),
            TestCase::new("a", TestCaseStatus::success()),
        ];
        unique_names(&mut cases);
        let names: Vec<&str> = cases.iter().map(|c| c.name.as_str()).collect();
        assert_eq!(names, ["a", "b", "a (2)"]);
    }
}
