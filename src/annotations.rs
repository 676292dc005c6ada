//! What hcl learned from Helicone about logged requests, remembered beside
//! the request log: Helicone's verdict, cost and latency from `hcl log
//! verify`, and the pushes of `hcl log push`.
//!
//! The store is its own append-only JSON Lines file next to the log
//! (`requests.jsonl` → `requests.helicone.jsonl`), mode 0600, one event per
//! line, keyed by the log record's id; the latest verdict for an id wins and
//! a push is never forgotten. The log itself stays one record per exchange,
//! so none of its readers has to learn to skip annotation lines, and a scan
//! of the log never pays for them. Losing this file loses nothing that
//! `hcl log verify` cannot learn again: a request pushed before is found
//! logged, and is not pushed twice.

use std::collections::{HashMap, HashSet};
use std::fs::File;
use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};

pub const SCHEMA_VERSION: u32 = 1;

/// `requests.jsonl` → `requests.helicone.jsonl`; any other name gets
/// `.helicone.jsonl` appended.
pub fn path_for(log: &Path) -> PathBuf {
    let name = log
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let stem = name.strip_suffix(".jsonl").unwrap_or(&name);
    log.with_file_name(format!("{stem}.helicone.jsonl"))
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum EventKind {
    /// `hcl log verify` asked Helicone.
    Verified,
    /// `hcl log push` sent the request.
    Pushed,
}

/// One line of the store.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Event {
    pub v: u32,
    /// The log record's id.
    pub id: String,
    pub ts: String,
    pub event: EventKind,
    /// Verified: `logged`, `mismatch`, `missing`, …
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub helicone_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cost_usd: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub latency_ms: Option<u64>,
}

impl Event {
    pub fn new(id: &str, event: EventKind) -> Event {
        Event {
            v: SCHEMA_VERSION,
            id: id.to_string(),
            ts: crate::exchange::now_rfc3339(),
            event,
            status: None,
            helicone_id: None,
            cost_usd: None,
            latency_ms: None,
        }
    }
}

/// Everything known about one record.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Known {
    /// The latest verdict of `hcl log verify`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub verified_at: Option<String>,
    /// Helicone's cost of the request, in USD.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cost_usd: Option<f64>,
    /// The latency Helicone measured.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub latency_ms: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pushed_at: Option<String>,
}

impl Known {
    fn apply(&mut self, e: Event) {
        match e.event {
            EventKind::Verified => {
                self.status = e.status;
                self.verified_at = Some(e.ts);
                if e.cost_usd.is_some() {
                    self.cost_usd = e.cost_usd;
                }
                if e.latency_ms.is_some() {
                    self.latency_ms = e.latency_ms;
                }
            }
            EventKind::Pushed => {
                self.pushed_at.get_or_insert(e.ts);
            }
        }
    }
}

/// What the store knows about each record (only those in `wanted`, when
/// given), and a warning for each line it could not read. A missing store
/// knows nothing.
pub fn load(
    log: &Path,
    wanted: Option<&HashSet<&str>>,
) -> Result<(HashMap<String, Known>, Vec<String>)> {
    let path = path_for(log);
    let mut known: HashMap<String, Known> = HashMap::new();
    let mut warnings = Vec::new();
    let file = match File::open(&path) {
        Ok(f) => f,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok((known, warnings)),
        Err(e) => {
            return Err(Error::io(format!("cannot read {}", path.display()), e));
        }
    };
    let mut reader = BufReader::new(file);
    let mut line = Vec::new();
    let mut n = 0;
    loop {
        line.clear();
        let read = reader
            .read_until(b'\n', &mut line)
            .map_err(|e| Error::io(format!("cannot read {}", path.display()), e))?;
        if read == 0 {
            break;
        }
        n += 1;
        if line.iter().all(u8::is_ascii_whitespace) {
            continue;
        }
        match serde_json::from_slice::<Event>(&line) {
            Ok(e) if e.v > SCHEMA_VERSION => warnings.push(format!(
                "{}:{n}: skipped: written by a newer hcl (v{})",
                path.display(),
                e.v
            )),
            Ok(e) => {
                if wanted.is_none_or(|w| w.contains(e.id.as_str())) {
                    known.entry(e.id.clone()).or_default().apply(e);
                }
            }
            Err(err) => warnings.push(format!("{}:{n}: skipped: {err}", path.display())),
        }
    }
    Ok((known, warnings))
}

/// Append events in one write, under the log's advisory-lock discipline,
/// into a file created 0600.
pub fn append(log: &Path, events: &[Event]) -> Result<()> {
    if events.is_empty() {
        return Ok(());
    }
    let path = path_for(log);
    let mut text = Vec::new();
    for e in events {
        serde_json::to_writer(&mut text, e)
            .map_err(|e| Error::Protocol(format!("cannot serialize an annotation: {e}")))?;
        text.push(b'\n');
    }
    let ctx = || format!("cannot write {}", path.display());
    let mut file = crate::log::open_for_append(&path).map_err(|e| Error::io(ctx(), e))?;
    file.lock().map_err(|e| Error::io(ctx(), e))?;
    let written = file.write_all(&text);
    let _ = file.unlock();
    written.map_err(|e| Error::io(ctx(), e))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_store_sits_beside_the_log() {
        assert_eq!(
            path_for(Path::new("/d/requests.jsonl")),
            Path::new("/d/requests.helicone.jsonl")
        );
        assert_eq!(path_for(Path::new("log")), Path::new("log.helicone.jsonl"));
    }

    #[test]
    fn latest_verdict_wins_and_pushes_are_kept() {
        let dir = tempfile::tempdir().unwrap();
        let log = dir.path().join("requests.jsonl");
        let mut a = Event::new("a", EventKind::Verified);
        a.status = Some("missing".into());
        let p = Event::new("a", EventKind::Pushed);
        let mut b = Event::new("a", EventKind::Verified);
        b.status = Some("logged".into());
        b.cost_usd = Some(0.25);
        append(&log, &[a, p.clone()]).unwrap();
        append(&log, &[b]).unwrap();
        std::fs::OpenOptions::new()
            .append(true)
            .open(path_for(&log))
            .unwrap()
            .write_all(b"{broken\n")
            .unwrap();
        let mut other = Event::new("b", EventKind::Pushed);
        other.helicone_id = Some("h".into());
        append(&log, &[other]).unwrap();
        let (known, warnings) = load(&log, None).unwrap();
        assert_eq!(warnings.len(), 1, "{warnings:?}");
        let a = &known["a"];
        assert_eq!(a.status.as_deref(), Some("logged"));
        assert_eq!(a.cost_usd, Some(0.25));
        assert_eq!(a.pushed_at.as_deref(), Some(p.ts.as_str()));
        let wanted: HashSet<&str> = ["b"].into_iter().collect();
        let (only_b, _) = load(&log, Some(&wanted)).unwrap();
        assert_eq!(only_b.len(), 1);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(path_for(&log))
                .unwrap()
                .permissions()
                .mode();
            assert_eq!(mode & 0o777, 0o600);
        }
    }
}
