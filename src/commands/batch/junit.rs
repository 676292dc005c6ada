//! `chat --batch --junit FILE`: one testcase per line that ran, named by
//! the line's id or a preview of its prompt (see [`crate::commands::junit`]).

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use quick_junit::{NonSuccessKind, Property, TestCase, TestCaseStatus};
use serde_json::Value;

use super::input::LineSpec;
use super::results::ResultLine;
use crate::commands::junit;
use crate::error::{Error, Result};
use crate::settings::Target;
use crate::shard::Shard;

/// The testcases of a run, gathered as its results come.
pub(super) struct BatchJunit {
    file: PathBuf,
    /// The name and class of each line in flight, by line number.
    pending: HashMap<usize, (String, String)>,
    cases: Vec<TestCase>,
    /// The flags' `provider/model`: the class of a line that did not resolve.
    default_class: String,
}

impl BatchJunit {
    /// With `--junit FILE`: the report to fill, once FILE is known to be
    /// writable (a usage error now, before anything is sent and paid for).
    pub(super) fn start(file: Option<&Path>, default: &Target) -> Result<Option<BatchJunit>> {
        let Some(file) = file else {
            return Ok(None);
        };
        crate::files::write_private(file, b"").map_err(|e| {
            Error::usage(format!(
                "cannot write the JUnit report --junit {}: {e}; give a writable path",
                file.display()
            ))
        })?;
        Ok(Some(BatchJunit {
            file: file.to_path_buf(),
            pending: HashMap::new(),
            cases: Vec::new(),
            default_class: junit::classname(default.provider.name, &default.model),
        }))
    }

    /// A line launched, with its name (see [`name`]) and, once resolved,
    /// its `provider/model`.
    pub(super) fn launch(&mut self, line: usize, name: String, class: Option<String>) {
        let class = class.unwrap_or_else(|| self.default_class.clone());
        self.pending.insert(line, (name, class));
    }

    /// The testcase of a finished line.
    pub(super) fn finish(&mut self, r: &ResultLine) {
        let (name, class) = self
            .pending
            .remove(&r.line)
            .unwrap_or_else(|| (format!("line {}", r.line), self.default_class.clone()));
        let facts = facts(r);
        let status = match &r.error {
            None => TestCaseStatus::success(),
            Some(e) => {
                let kind = r.error_kind.unwrap_or("error");
                let message = match r.status {
                    Some(s) => format!("{kind}: HTTP {s}: {e}"),
                    None => format!("{kind}: {e}"),
                };
                junit::non_success(NonSuccessKind::Failure, kind, &message, &facts)
            }
        };
        let mut case = junit::case(name, class, r.latency_ms, status);
        if r.error.is_none() {
            case.set_system_out(facts);
        }
        case.add_property(Property::new("line", r.line.to_string()));
        if let Some(id) = &r.log_id {
            case.add_property(Property::new("log_id", id.as_str()));
        }
        if let Some(c) = &r.cache {
            case.add_property(Property::new("cache", c.as_str()));
        }
        self.cases.push(case);
    }

    /// Write the report. Lines launched that never finished (not run after
    /// `--fail-fast`, or cut short by a signal) are skipped cases.
    pub(super) fn write(mut self, batch_id: &str, shard: Option<(Shard, u64)>) -> Result<()> {
        let mut props = vec![("batch", batch_id.to_string())];
        if let Some((shard, others)) = shard {
            props.push(("shard", shard.to_string()));
            props.push(("other_shards", others.to_string()));
        }
        let mut unfinished: Vec<(usize, (String, String))> = self.pending.drain().collect();
        unfinished.sort_by_key(|(line, _)| *line);
        for (line, (name, class)) in unfinished {
            let mut status = TestCaseStatus::skipped();
            status.set_message("not run: stopped by --fail-fast or a signal");
            let mut case = junit::case(name, class, None, status);
            case.add_property(Property::new("line", line.to_string()));
            self.cases.push(case);
        }
        junit::write(&self.file, "hcl chat --batch", &props, self.cases)
    }
}

/// A line's name: its id, else its prompt's preview (the raw line's when
/// it is not a valid line).
pub(super) fn name(id: Option<&Value>, spec: Option<&LineSpec>, raw: &[u8]) -> String {
    match id {
        Some(id) => crate::shard::id_key(id),
        None => junit::preview(
            &spec.map_or_else(|| String::from_utf8_lossy(raw).into_owned(), line_prompt),
        ),
    }
}

/// The line's status, attempts, cache and error, for the case's text.
fn facts(r: &ResultLine) -> String {
    let mut s = format!(
        "line {}, status {}, attempts {}, cache {}",
        r.line,
        r.status.map_or("-".to_string(), |s| s.to_string()),
        r.attempts,
        r.cache.as_deref().unwrap_or("-")
    );
    if let Some(id) = &r.log_id {
        s.push_str(&format!(", log id {id}"));
    }
    if let Some(e) = &r.error {
        s.push_str(&format!("\nerror: {e}"));
    }
    s
}

/// The prompt of a line: its prompt, or its last user message.
fn line_prompt(spec: &LineSpec) -> String {
    if let Some(p) = &spec.prompt {
        return p.clone();
    }
    spec.messages
        .iter()
        .flatten()
        .rev()
        .find(|m| m.role == "user")
        .map(|m| m.content.clone())
        .unwrap_or_default()
}
