//! `--junit FILE`: the report as JUnit XML, one testcase per replay.

use std::fmt::Write as _;
use std::path::Path;

use super::report::{Cache, Row, Totals};
use crate::error::{Error, Result};
use crate::exchange;

/// Text safe inside XML attributes and elements.
fn xml_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' | '\n' | '\r' => out.push(c),
            c if (c as u32) < 0x20 => {}
            c => out.push(c),
        }
    }
    out
}

/// JUnit XML: one testcase per replay; a missed expectation is a failure,
/// a replay that got no usable answer an error.
fn junit_xml(rows: &[Row], t: &Totals) -> String {
    let secs = |ms: Option<u64>| ms.unwrap_or(0) as f64 / 1000.0;
    let time: f64 = rows.iter().map(|r| secs(r.latency_ms)).sum();
    let failures = t.expectation_failures
        - rows
            .iter()
            .filter(|r| r.met_expectation == Some(false) && r.cache == Cache::Error)
            .count();
    let mut x = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let _ = writeln!(
        x,
        "<testsuites name=\"hcl replay\" tests=\"{}\" failures=\"{failures}\" errors=\"{}\" time=\"{time:.3}\">",
        rows.len(),
        t.error
    );
    let _ = writeln!(
        x,
        "  <testsuite name=\"hcl replay\" tests=\"{}\" failures=\"{failures}\" errors=\"{}\" skipped=\"0\" time=\"{time:.3}\" timestamp=\"{}\">",
        rows.len(),
        t.error,
        xml_escape(&exchange::now_rfc3339())
    );
    let repeated = rows.iter().any(|r| r.attempt > 1);
    for r in rows {
        let name = if repeated {
            format!("{} #{}", r.original_id, r.attempt)
        } else {
            r.original_id.clone()
        };
        let _ = write!(
            x,
            "    <testcase classname=\"hcl.replay.{}\" name=\"{}\" time=\"{:.3}\">",
            xml_escape(&r.provider),
            xml_escape(&name),
            secs(r.latency_ms)
        );
        let detail = format!(
            "model {}, status {}, cache {}{}{}, replay id {}{}",
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
            if r.why.is_empty() {
                String::new()
            } else {
                format!("; why: {}", r.why.join("; "))
            }
        );
        if let Some(e) = &r.error {
            let _ = write!(
                x,
                "\n      <error type=\"replay\" message=\"{}\">{}</error>\n    ",
                xml_escape(e),
                xml_escape(&detail)
            );
        } else if r.met_expectation == Some(false) {
            let _ = write!(
                x,
                "\n      <failure type=\"expectation\" message=\"expected {}, got {}\">{}</failure>\n    ",
                t.expect.unwrap_or("?"),
                r.cache.label(),
                xml_escape(&detail)
            );
        } else {
            let _ = write!(
                x,
                "\n      <system-out>{}</system-out>\n    ",
                xml_escape(&detail)
            );
        }
        x.push_str("</testcase>\n");
    }
    x.push_str("  </testsuite>\n</testsuites>\n");
    x
}

pub(super) fn write_junit(file: &Path, rows: &[Row], t: &Totals) -> Result<()> {
    crate::files::write_private(file, junit_xml(rows, t).as_bytes()).map_err(|e| {
        Error::io(
            format!("cannot write the JUnit report {}", file.display()),
            e,
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cli::ExpectArg;
    use crate::commands::replay::report::tests::row;
    use crate::commands::replay::report::{judge, totals};

    #[test]
    fn junit_escapes() {
        let mut rows = vec![row(Cache::Miss, 1)];
        rows[0].why = vec!["the body <differs> & \"so\"".into()];
        judge(&mut rows, Some(ExpectArg::Hit), 1);
        let t = totals(&rows, Some(ExpectArg::Hit));
        let x = junit_xml(&rows, &t);
        assert!(x.contains("m&lt;&amp;&gt;"), "{x}");
        assert!(x.contains("&lt;differs&gt; &amp; &quot;so&quot;"), "{x}");
        assert!(x.contains("failures=\"1\""), "{x}");
        assert_eq!(xml_escape("a\u{1}b"), "ab");
    }
}
