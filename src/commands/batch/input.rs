//! The batch input: opening it, counting its lines for the progress bar,
//! reading it on a thread of its own, and parsing each line into its spec.

use std::collections::BTreeMap;
use std::fs::File;
use std::io::{BufRead, BufReader, Read};
use std::path::Path;

use serde::Deserialize;
use serde_json::Value;
use tokio::sync::mpsc;

use crate::error::{Error, Result};

pub(super) enum InputMsg {
    Line(usize, Vec<u8>),
    Failed(String),
}

pub(super) type Reader = Box<dyn Read + Send>;

/// The input stream, and its line count when it is a file and a progress
/// bar will show it.
pub(super) fn open_input(path: &Path, want_total: bool) -> Result<(Reader, Option<u64>)> {
    if path.as_os_str() == "-" {
        return Ok((Box::new(std::io::stdin()), None));
    }
    let open = || {
        File::open(path).map_err(|e| {
            Error::usage(format!(
                "cannot read --batch {}: {e}; give a JSON Lines file, or - for stdin",
                path.display()
            ))
        })
    };
    let file = open()?;
    if file.metadata().is_ok_and(|m| m.is_dir()) {
        return Err(Error::usage(format!(
            "--batch {} is a directory; give a JSON Lines file",
            path.display()
        )));
    }
    let total = if want_total {
        count_lines(open()?).ok()
    } else {
        None
    };
    Ok((Box::new(file), total))
}

fn count_lines(file: File) -> std::io::Result<u64> {
    let mut reader = BufReader::with_capacity(1 << 16, file);
    let mut n = 0u64;
    let mut last = b'\n';
    loop {
        let buf = reader.fill_buf()?;
        if buf.is_empty() {
            break;
        }
        n += buf.iter().filter(|&&b| b == b'\n').count() as u64;
        last = buf[buf.len() - 1];
        let len = buf.len();
        reader.consume(len);
    }
    Ok(if last == b'\n' { n } else { n + 1 })
}

/// Stream lines from `reader` into a bounded channel on a thread of its own.
pub(super) fn spawn_reader(reader: Reader, capacity: usize) -> mpsc::Receiver<InputMsg> {
    let (tx, rx) = mpsc::channel(capacity);
    let spawned = std::thread::Builder::new()
        .name("hcl-batch-input".into())
        .spawn(move || {
            let mut reader = BufReader::with_capacity(1 << 16, reader);
            let mut n = 0usize;
            loop {
                let mut buf = Vec::new();
                match reader.read_until(b'\n', &mut buf) {
                    Ok(0) => break,
                    Ok(_) => {
                        n += 1;
                        if tx.blocking_send(InputMsg::Line(n, buf)).is_err() {
                            break;
                        }
                    }
                    Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                    Err(e) => {
                        let _ = tx.blocking_send(InputMsg::Failed(format!(
                            "cannot read the batch input after line {n}: {e}"
                        )));
                        break;
                    }
                }
            }
        });
    if let Err(e) = spawned {
        let (tx, rx) = mpsc::channel(1);
        let _ = tx.try_send(InputMsg::Failed(format!(
            "cannot start the input reader: {e}"
        )));
        return rx;
    }
    rx
}

/// The fields an input line may carry.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct LineSpec {
    pub(super) prompt: Option<String>,
    pub(super) messages: Option<Vec<LineMessage>>,
    pub(super) system: Option<String>,
    pub(super) provider: Option<String>,
    pub(super) model: Option<String>,
    pub(super) properties: Option<BTreeMap<String, Value>>,
    pub(super) user: Option<String>,
    pub(super) session: Option<String>,
    pub(super) max_tokens: Option<u32>,
    pub(super) temperature: Option<f64>,
    pub(super) cache: Option<bool>,
    /// A template (`hcl templates`): its settings over the flags, the
    /// line's own fields over it, the line's prompt in its `{input}`.
    pub(super) template: Option<String>,
    /// Files to attach to the line's (last) user message, as `--file` takes
    /// them; paths are relative to the current directory.
    pub(super) files: Option<Vec<std::path::PathBuf>>,
    // `id` is taken out before the rest is read, so even a bad line reports it.
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct LineMessage {
    pub(super) role: String,
    pub(super) content: String,
}

/// What a line holds: its client id and its spec or the reason it is bad;
/// `None` for a blank line.
pub(super) type Parsed = Option<(Option<Value>, std::result::Result<LineSpec, String>)>;

/// The client id of a line, read even when the rest of the line is bad.
fn take_id(map: &mut serde_json::Map<String, Value>) -> std::result::Result<Option<Value>, String> {
    match map.remove("id") {
        None | Some(Value::Null) => Ok(None),
        Some(v @ (Value::String(_) | Value::Number(_))) => Ok(Some(v)),
        Some(_) => Err("field id must be a string or a number".to_string()),
    }
}

/// A line's bytes without its line ending.
fn line_text(bytes: &[u8]) -> &[u8] {
    let mut end = bytes.len();
    while end > 0 && matches!(bytes[end - 1], b'\n' | b'\r') {
        end -= 1;
    }
    &bytes[..end]
}

/// The digest that names a line without an `id` in its log records:
/// `sha256:` and the first 32 hex digits of the SHA-256 of its bytes,
/// without the line ending (so LF and CRLF files agree).
pub(super) fn line_digest(bytes: &[u8]) -> String {
    use sha2::{Digest, Sha256};
    let hash = Sha256::digest(line_text(bytes));
    let hex: String = hash[..16].iter().map(|b| format!("{b:02x}")).collect();
    format!("sha256:{hex}")
}

pub(super) fn parse_line(bytes: &[u8]) -> Parsed {
    let Ok(text) = std::str::from_utf8(bytes) else {
        return Some((None, Err("the line is not UTF-8".to_string())));
    };
    let text = text.trim_end_matches(['\n', '\r']);
    if text.trim().is_empty() {
        return None;
    }
    let trimmed = text.trim_start();
    let spec = if trimmed.starts_with('{') {
        let mut map = match serde_json::from_str::<serde_json::Map<String, Value>>(text) {
            Ok(m) => m,
            Err(e) => {
                return Some((
                    None,
                    Err(format!(
                        "the line starts with '{{' but is not a JSON object ({e}); write a plain prompt as {{\"prompt\": \"…\"}}"
                    )),
                ));
            }
        };
        let id = match take_id(&mut map) {
            Ok(id) => id,
            Err(e) => return Some((None, Err(e))),
        };
        return Some(
            match serde_json::from_value::<LineSpec>(Value::Object(map)) {
                Ok(spec) => (id, Ok(spec)),
                Err(e) => (id, Err(e.to_string())),
            },
        );
    } else if trimmed.starts_with('"') {
        // A JSON string is a prompt; so is anything else that does not parse.
        match serde_json::from_str::<String>(text) {
            Ok(prompt) => LineSpec {
                prompt: Some(prompt),
                ..Default::default()
            },
            Err(_) => LineSpec {
                prompt: Some(text.to_string()),
                ..Default::default()
            },
        }
    } else {
        LineSpec {
            prompt: Some(text.to_string()),
            ..Default::default()
        }
    };
    Some((None, Ok(spec)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_digests_ignore_the_line_ending() {
        let d = line_digest(b"{\"prompt\": \"hi\"}\n");
        assert_eq!(d, line_digest(b"{\"prompt\": \"hi\"}\r\n"));
        assert_eq!(d, line_digest(b"{\"prompt\": \"hi\"}"));
        assert_ne!(d, line_digest(b"{\"prompt\": \"hi!\"}"));
        assert_eq!(d.len(), "sha256:".len() + 32);
        assert!(d.starts_with("sha256:"));
    }

    #[test]
    fn counting_lines() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("in.jsonl");
        std::fs::write(&p, "a\nb\nc").unwrap();
        assert_eq!(count_lines(File::open(&p).unwrap()).unwrap(), 3);
        std::fs::write(&p, "a\nb\n").unwrap();
        assert_eq!(count_lines(File::open(&p).unwrap()).unwrap(), 2);
    }
}
