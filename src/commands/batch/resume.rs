//! `--resume`: the ids an earlier run already answered.

use std::collections::HashSet;
use std::fs::File;
use std::io::{BufRead, BufReader};
use std::path::Path;

use serde::Deserialize;
use serde_json::Value;

use crate::error::{Error, Result};

#[derive(Deserialize)]
struct PriorResult {
    #[serde(default)]
    id: Option<Value>,
    #[serde(default)]
    status: Option<u16>,
    #[serde(default)]
    error: Option<Value>,
}

/// The ids that succeeded in an earlier results file (status 2xx, no error),
/// as their JSON text, so `"1"` and `1` stay different ids.
pub(super) fn read_resume(path: &Path) -> Result<HashSet<String>> {
    let file = File::open(path).map_err(|e| {
        Error::usage(format!(
            "cannot read --resume {}: {e}; give the results file of an earlier run",
            path.display()
        ))
    })?;
    let mut done = HashSet::new();
    let mut reader = BufReader::new(file);
    let mut buf = Vec::new();
    loop {
        buf.clear();
        let n = reader
            .read_until(b'\n', &mut buf)
            .map_err(|e| Error::usage(format!("cannot read --resume {}: {e}", path.display())))?;
        if n == 0 {
            break;
        }
        // A torn or foreign line proves nothing succeeded: it is skipped.
        let Ok(prior) = serde_json::from_slice::<PriorResult>(&buf) else {
            continue;
        };
        let ok = prior.status.is_some_and(|s| (200..300).contains(&s))
            && prior.error.as_ref().is_none_or(Value::is_null);
        if ok && let Some(id) = prior.id.filter(|v| !v.is_null()) {
            done.insert(id.to_string());
        }
    }
    Ok(done)
}
