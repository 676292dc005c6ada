//! The request log: append-only JSON Lines, one record per exchange.
//!
//! Each record goes out in a single `write` under an advisory lock, into a
//! file created 0600. Reading skips (and reports) corrupt lines, a torn last
//! line, and records of a newer schema version.

use std::fs::{File, OpenOptions};
use std::io::{BufRead, BufReader, Read, Seek, SeekFrom, Write};
use std::ops::ControlFlow;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;

use crate::cachekey::{CacheKey, Original};
use crate::error::{Error, Result};
pub use crate::headers::HeaderList;
use crate::helicone::HeliconeMeta;
use crate::provider;
use crate::request::SecretSlot;
use crate::wire::{ToolCall, Usage, WireFormat};

/// 2: every record names its wire format (`format`). Version 1 records are
/// still read: their format comes from their provider row.
pub const SCHEMA_VERSION: u32 = 2;

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct RequestRecord {
    pub method: String,
    pub url: String,
    /// Secrets appear only as fingerprints.
    pub headers: HeaderList,
    /// Which headers carry keys, so a replay attaches fresh ones.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub secret_headers: Vec<SecretSlot>,
    /// The body exactly as sent, byte for byte.
    pub body: Box<RawValue>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct ResponseRecord {
    pub status: Option<u16>,
    #[serde(default)]
    pub headers: HeaderList,
    #[serde(default)]
    pub text: String,
    #[serde(default)]
    pub usage: Usage,
    #[serde(default)]
    pub finish_reason: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tool_calls: Vec<ToolCall>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub refusal: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Record {
    pub v: u32,
    pub id: String,
    pub ts: String,
    pub provider: String,
    pub model: String,
    /// The wire format the request was sent in (schema 2). Reading a
    /// schema 1 record fills it in: see [`parse_line`].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub format: Option<WireFormat>,
    pub stream: bool,
    /// The conversation this exchange is a turn of (`hcl chat -c`,
    /// interactive mode); also sent as `Helicone-Session-Id`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub conversation: Option<String>,
    /// Which turn of the conversation (1-based). Both come early in the
    /// line, so that a torn record still says which turn it was.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub turn: Option<u32>,
    pub request: RequestRecord,
    #[serde(default)]
    pub response: ResponseRecord,
    #[serde(default)]
    pub helicone: HeliconeMeta,
    /// A fingerprint of each part of Helicone's cache key, to explain a MISS.
    #[serde(default)]
    pub cache_key: CacheKey,
    pub latency_ms: Option<u64>,
    pub ttft_ms: Option<u64>,
    pub error: Option<String>,
    pub replay_of: Option<String>,
    /// The `hcl chat --batch` run this exchange belongs to (also sent as
    /// `Helicone-Property-Hcl-Batch`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub batch: Option<String>,
    /// Which attempt this was (1-based), for requests sent by a batch.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub attempt: Option<u32>,
    /// The files this request attached (`--file`, `/file`, a batch line's
    /// `files`), so they can be listed without decoding the body; files of
    /// earlier turns are listed in their own turns' records.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub attachments: Vec<AttachedFile>,
}

/// A file attached to a request, as its record lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AttachedFile {
    /// The path as given (`-` for stdin).
    pub name: String,
    /// Its size in bytes.
    pub size: u64,
    /// The SHA-256 of its bytes, hex.
    pub sha256: String,
    /// `text/plain` for a file sent inline as text, else the type it was
    /// sent as (`image/png`, `application/pdf`).
    pub media_type: String,
}

impl Record {
    /// The parts of Helicone's cache key this request had: its own
    /// `cache_key`, or, for a record written before hcl kept one, the parts
    /// derived from the logged request.
    pub fn cache_key_parts(&self) -> CacheKey {
        if self.cache_key != CacheKey::default() {
            return self.cache_key.clone();
        }
        CacheKey::compute(
            &self.request.url,
            self.request.body.get(),
            &self.request.headers.0,
            &self.request.secret_headers,
            &crate::request::Credentials::default(),
        )
    }

    /// What explaining a MISS of a replay of this record needs.
    pub fn as_original(&self) -> Original<'_> {
        Original {
            key: self.cache_key_parts(),
            url: &self.request.url,
            headers: &self.request.headers,
            status: self.response.status,
            ts: &self.ts,
        }
    }
}

/// Open the log (or a file beside it) for appending, creating it (and its
/// directory) with mode 0600.
pub fn open_for_append(path: &Path) -> std::io::Result<File> {
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir)?;
    }
    let mut opts = OpenOptions::new();
    opts.append(true).create(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        opts.mode(0o600);
    }
    opts.open(path)
}

/// Append one record: one `write` of one line, under an exclusive advisory lock.
pub fn append(path: &Path, record: &Record) -> Result<()> {
    let mut line = serde_json::to_vec(record)
        .map_err(|e| Error::Protocol(format!("could not serialize the log record: {e}")))?;
    line.push(b'\n');
    append_raw(path, &line)
}

pub fn append_raw(path: &Path, line: &[u8]) -> Result<()> {
    let ctx = || format!("cannot write the request log {}", path.display());
    let mut file = open_for_append(path).map_err(|e| Error::io(ctx(), e))?;
    file.lock().map_err(|e| Error::io(ctx(), e))?;
    let written = file.write_all(line);
    let _ = file.unlock();
    written.map_err(|e| Error::io(ctx(), e))
}

/// The log held open by one writer, for many records in a row (a batch):
/// each record is still one `write` of one line under the advisory lock, so
/// other hcl processes appending at the same time never interleave with it.
pub struct Writer {
    path: PathBuf,
    file: File,
    line: Vec<u8>,
}

impl Writer {
    pub fn open(path: &Path) -> Result<Writer> {
        let file = open_for_append(path).map_err(|e| {
            Error::io(
                format!("cannot write the request log {}", path.display()),
                e,
            )
        })?;
        Ok(Writer {
            path: path.to_path_buf(),
            file,
            line: Vec::with_capacity(4096),
        })
    }

    pub fn append(&mut self, record: &Record) -> Result<()> {
        self.line.clear();
        serde_json::to_writer(&mut self.line, record)
            .map_err(|e| Error::Protocol(format!("could not serialize the log record: {e}")))?;
        self.line.push(b'\n');
        let ctx = || format!("cannot write the request log {}", self.path.display());
        self.file.lock().map_err(|e| Error::io(ctx(), e))?;
        let written = self.file.write_all(&self.line);
        let _ = self.file.unlock();
        written.map_err(|e| Error::io(ctx(), e))
    }
}

/// A problem met while reading the log; reading goes on.
#[derive(Debug, Clone, PartialEq)]
pub struct Skipped {
    pub line: usize,
    pub reason: String,
}

/// Read every readable record in file order. A missing file is an empty log.
/// The commands read through `select.rs`, which holds only what it keeps;
/// the tests check the readers against this simple one.
#[cfg(test)]
pub fn read_all(path: &Path) -> Result<(Vec<Record>, Vec<Skipped>)> {
    let mut records = Vec::new();
    let mut skipped = Vec::new();
    scan(path, |line, text, torn| {
        match parse_or_reason(text, torn) {
            Ok(r) => records.push(r),
            Err(s) => skipped.push(Skipped { line, reason: s }),
        }
        ControlFlow::Continue(())
    })?;
    Ok((records, skipped))
}

fn read_error(path: &Path, e: std::io::Error) -> Error {
    Error::io(format!("cannot read the request log {}", path.display()), e)
}

/// Open the log for reading; `None` when it does not exist (an empty log).
fn open_for_read(path: &Path) -> Result<Option<File>> {
    match File::open(path) {
        Ok(f) => Ok(Some(f)),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(read_error(path, e)),
    }
}

/// [`parse_line`], saying so when the line is a torn last line.
pub fn parse_or_reason(line: &[u8], torn: bool) -> std::result::Result<Record, String> {
    parse_line(line).map_err(|reason| {
        if torn {
            format!("the last line is incomplete (an interrupted write?): {reason}")
        } else {
            reason
        }
    })
}

/// Visit every non-empty line in file order: its 1-based line number, its
/// text, and whether it is a torn last line. Memory stays at one line,
/// whatever the log's size.
pub fn scan(
    path: &Path,
    mut visit: impl FnMut(usize, &[u8], bool) -> ControlFlow<()>,
) -> Result<()> {
    let Some(file) = open_for_read(path)? else {
        return Ok(());
    };
    let mut reader = BufReader::with_capacity(256 * 1024, file);
    let mut buf = Vec::new();
    let mut n = 0;
    loop {
        buf.clear();
        let read = reader
            .read_until(b'\n', &mut buf)
            .map_err(|e| read_error(path, e))?;
        if read == 0 {
            break;
        }
        n += 1;
        let torn = !buf.ends_with(b"\n");
        let line = trim_line(&buf);
        if line.is_empty() {
            continue;
        }
        if visit(n, line, torn).is_break() {
            break;
        }
    }
    Ok(())
}

const BLOCK: u64 = 64 * 1024;

/// Visit lines from the end of the file backwards, reading it in blocks, so
/// that the newest records cost the same whatever the log's size. `visit`
/// gets the line's byte offset (see [`line_numbers`]), its text, and whether
/// it is a torn last line.
pub fn scan_back(
    path: &Path,
    mut visit: impl FnMut(u64, &[u8], bool) -> ControlFlow<()>,
) -> Result<()> {
    let Some(mut file) = open_for_read(path)? else {
        return Ok(());
    };
    let len = file.metadata().map_err(|e| read_error(path, e))?.len();
    let mut pos = len;
    // The start of a line whose end is already read: it continues into `buf`.
    let mut carry: Vec<u8> = Vec::new();
    let mut first = true;
    while pos > 0 {
        let start = pos.saturating_sub(BLOCK);
        let mut buf = vec![0; (pos - start) as usize];
        file.seek(SeekFrom::Start(start))
            .and_then(|_| file.read_exact(&mut buf))
            .map_err(|e| read_error(path, e))?;
        buf.extend_from_slice(&carry);
        let mut end = buf.len();
        while let Some(nl) = buf[..end].iter().rposition(|&b| b == b'\n') {
            let torn = first && end == buf.len() && end > nl + 1;
            first = false;
            let line = trim_line(&buf[nl + 1..end]);
            if !line.is_empty() && visit(start + nl as u64 + 1, line, torn).is_break() {
                return Ok(());
            }
            end = nl;
        }
        carry = buf[..end].to_vec();
        pos = start;
    }
    let line = trim_line(&carry);
    if !line.is_empty() {
        let torn = first;
        let _ = visit(0, line, torn);
    }
    Ok(())
}

/// The 1-based line numbers of byte offsets that start lines, in one pass.
pub fn line_numbers(path: &Path, offsets: &[u64]) -> Result<Vec<usize>> {
    let mut order: Vec<usize> = (0..offsets.len()).collect();
    order.sort_by_key(|&i| offsets[i]);
    let mut out = vec![0; offsets.len()];
    let Some(file) = open_for_read(path)? else {
        return Ok(out);
    };
    let mut reader = BufReader::with_capacity(256 * 1024, file);
    let (mut pos, mut lines) = (0u64, 1usize);
    let mut next = order.iter().peekable();
    loop {
        while let Some(&&i) = next.peek() {
            let available = reader.buffer().len() as u64;
            if offsets[i] > pos + available {
                break;
            }
            let upto = (offsets[i] - pos) as usize;
            out[i] = lines
                + reader.buffer()[..upto]
                    .iter()
                    .filter(|&&b| b == b'\n')
                    .count();
            next.next();
        }
        if next.peek().is_none() {
            break;
        }
        let chunk = reader.buffer();
        lines += chunk.iter().filter(|&&b| b == b'\n').count();
        pos += chunk.len() as u64;
        let used = chunk.len();
        reader.consume(used);
        if reader
            .fill_buf()
            .map_err(|e| read_error(path, e))?
            .is_empty()
        {
            break;
        }
    }
    Ok(out)
}

fn trim_line(buf: &[u8]) -> &[u8] {
    let mut end = buf.len();
    while end > 0 && matches!(buf[end - 1], b'\n' | b'\r' | b' ' | b'\t') {
        end -= 1;
    }
    &buf[..end]
}

#[derive(Deserialize)]
struct VersionProbe {
    v: u32,
}

pub fn parse_line(line: &[u8]) -> std::result::Result<Record, String> {
    match serde_json::from_slice::<Record>(line) {
        Ok(r) if r.v > SCHEMA_VERSION => Err(format!(
            "written by a newer hcl (schema v{}; this hcl reads v{SCHEMA_VERSION}); upgrade hcl to read it",
            r.v
        )),
        Ok(mut r) => {
            if r.format.is_none() {
                r.format =
                    provider::find(&r.provider).and_then(|p| p.format_of_url(&r.request.url));
            }
            Ok(r)
        }
        Err(e) => match serde_json::from_slice::<VersionProbe>(line) {
            Ok(p) if p.v > SCHEMA_VERSION => Err(format!(
                "written by a newer hcl (schema v{}; this hcl reads v{SCHEMA_VERSION}); upgrade hcl to read it",
                p.v
            )),
            _ => Err(format!("not a valid record: {e}")),
        },
    }
}

/// Find one record by id or unique id prefix, as git finds commits.
pub fn find_by_prefix<'a>(records: &'a [Record], prefix: &str) -> Result<&'a Record> {
    let prefix = prefix.trim().to_ascii_lowercase();
    if prefix.is_empty() {
        return Err(Error::usage("an empty id matches nothing"));
    }
    let matches: Vec<&Record> = records
        .iter()
        .filter(|r| r.id.starts_with(&prefix))
        .collect();
    match matches.as_slice() {
        [] => Err(Error::usage(format!(
            "no logged request has an id starting '{prefix}'; see `hcl log list`"
        ))),
        [one] => Ok(one),
        many => {
            let mut exact = many.iter().filter(|r| r.id == prefix);
            if let Some(r) = exact.next() {
                return Ok(r);
            }
            Err(Error::usage(format!(
                "the id prefix '{prefix}' is ambiguous: it matches {} records ({}…); give more characters",
                many.len(),
                many.iter()
                    .take(3)
                    .map(|r| r.id.get(..12).unwrap_or(&r.id))
                    .collect::<Vec<_>>()
                    .join(", ")
            )))
        }
    }
}

/// `HCL_LOG`, else `<data dir>/hcl/requests.jsonl`.
pub fn default_path(env: &dyn Fn(&str) -> Option<String>) -> Result<PathBuf> {
    if let Some(p) = env("HCL_LOG").filter(|p| !p.is_empty()) {
        return Ok(PathBuf::from(p));
    }
    dirs::data_dir()
        .map(|d| d.join("hcl").join("requests.jsonl"))
        .ok_or_else(|| {
            Error::usage("cannot find a data directory for the request log; set HCL_LOG=/path/to/requests.jsonl")
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(id: &str) -> Record {
        Record {
            v: SCHEMA_VERSION,
            id: id.to_string(),
            ts: "2026-01-01T00:00:00Z".into(),
            provider: "openai".into(),
            model: "m".into(),
            format: Some(WireFormat::OpenAi),
            stream: false,
            request: RequestRecord {
                method: "POST".into(),
                url: "https://x/v1/chat/completions".into(),
                headers: HeaderList(vec![("B".into(), "2".into()), ("A".into(), "1".into())]),
                secret_headers: vec![],
                body: RawValue::from_string(r#"{"z":1,"a":[1.50,2]}"#.to_string()).unwrap(),
            },
            response: ResponseRecord::default(),
            helicone: HeliconeMeta::default(),
            cache_key: CacheKey::default(),
            latency_ms: Some(1),
            ttft_ms: None,
            error: None,
            replay_of: None,
            batch: None,
            attempt: None,
            attachments: Vec::new(),
            conversation: None,
            turn: None,
        }
    }

    #[test]
    fn body_bytes_and_header_order_survive_a_round_trip() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("sub/log.jsonl");
        append(&path, &record("aaaa1111")).unwrap();
        let (recs, skipped) = read_all(&path).unwrap();
        assert!(skipped.is_empty());
        assert_eq!(recs[0].request.body.get(), r#"{"z":1,"a":[1.50,2]}"#);
        assert_eq!(recs[0].request.headers.0[0].0, "B");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&path).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }
    }

    #[test]
    fn schema_1_records_read_with_their_format() {
        let v1 = |provider: &str, url: &str| {
            let mut r = record("a");
            r.v = 1;
            r.format = None;
            r.provider = provider.into();
            r.request.url = url.into();
            let line = serde_json::to_vec(&r).unwrap();
            assert!(!String::from_utf8_lossy(&line).contains("\"format\""));
            parse_line(&line).unwrap().format
        };
        assert_eq!(
            v1("anthropic", "http://127.0.0.1:1/v1/messages"),
            Some(WireFormat::Anthropic)
        );
        assert_eq!(
            v1(
                "gateway",
                "https://gateway.helicone.ai/v1beta/models/g:streamGenerateContent?alt=sse"
            ),
            Some(WireFormat::Gemini)
        );
        assert_eq!(
            v1("gateway", "https://gateway.helicone.ai/prefix/v1/messages"),
            Some(WireFormat::Anthropic)
        );
        assert_eq!(v1("nope", "https://x/v1/messages"), None);
        // Schema 2 writes its format, and it is read back as written.
        let line = serde_json::to_vec(&record("b")).unwrap();
        assert!(String::from_utf8_lossy(&line).contains("\"format\":\"openai\""));
        assert_eq!(parse_line(&line).unwrap().format, Some(WireFormat::OpenAi));
    }

    #[test]
    fn corrupt_torn_and_newer_lines_are_skipped() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("log.jsonl");
        append(&path, &record("aaaa1111")).unwrap();
        append_raw(&path, b"{not json}\n").unwrap();
        let mut newer = serde_json::to_value(record("bbbb")).unwrap();
        newer["v"] = 99.into();
        append_raw(&path, format!("{newer}\n").as_bytes()).unwrap();
        append(&path, &record("cccc2222")).unwrap();
        append_raw(&path, br#"{"v":1,"id":"tor"#).unwrap();
        let (recs, skipped) = read_all(&path).unwrap();
        assert_eq!(
            recs.iter().map(|r| r.id.as_str()).collect::<Vec<_>>(),
            ["aaaa1111", "cccc2222"]
        );
        assert_eq!(
            skipped.iter().map(|s| s.line).collect::<Vec<_>>(),
            [2, 3, 5]
        );
        assert!(skipped[1].reason.contains("newer"));
        assert!(skipped[2].reason.contains("incomplete"));
    }

    /// The backward reader sees exactly what the forward one sees, with the
    /// same line numbers, across block boundaries and with bad lines.
    #[test]
    fn backwards_matches_forwards() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("log.jsonl");
        let mut expected_bad = Vec::new();
        let mut line = 0;
        for i in 0..3000 {
            line += 1;
            if i % 701 == 5 {
                append_raw(&path, b"{corrupt\n").unwrap();
                expected_bad.push(line);
            } else {
                append(&path, &record(&format!("id{i:05}"))).unwrap();
            }
            if i == 1500 {
                append_raw(&path, b"\n").unwrap();
                line += 1;
            }
        }
        append_raw(&path, br#"{"v":1,"id":"torn"#).unwrap();
        expected_bad.push(line + 1);
        let (forward, skipped) = read_all(&path).unwrap();
        assert_eq!(
            skipped.iter().map(|s| s.line).collect::<Vec<_>>(),
            expected_bad
        );
        let mut backward = Vec::new();
        let mut bad = Vec::new();
        scan_back(&path, |offset, line, torn| {
            match parse_or_reason(line, torn) {
                Ok(r) => backward.push(r.id),
                Err(reason) => bad.push((offset, reason)),
            }
            ControlFlow::Continue(())
        })
        .unwrap();
        backward.reverse();
        assert_eq!(
            backward,
            forward.iter().map(|r| r.id.clone()).collect::<Vec<_>>()
        );
        bad.reverse();
        let offsets: Vec<u64> = bad.iter().map(|(o, _)| *o).collect();
        assert_eq!(line_numbers(&path, &offsets).unwrap(), expected_bad);
        assert!(bad.last().unwrap().1.contains("incomplete"));
        assert!(!bad[0].1.contains("incomplete"));
        // Stopping early reads only the end.
        let mut newest = Vec::new();
        scan_back(&path, |_, line, torn| {
            if let Ok(r) = parse_or_reason(line, torn) {
                newest.push(r.id);
            }
            if newest.len() == 2 {
                ControlFlow::Break(())
            } else {
                ControlFlow::Continue(())
            }
        })
        .unwrap();
        assert_eq!(newest, ["id02999", "id02998"]);
    }

    #[test]
    fn prefixes() {
        let recs = vec![record("abc123"), record("abd456")];
        assert_eq!(find_by_prefix(&recs, "abc").unwrap().id, "abc123");
        assert!(find_by_prefix(&recs, "ab").is_err());
        assert!(find_by_prefix(&recs, "zz").is_err());
    }
}
