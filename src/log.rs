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
    /// What the answer held that hcl does not show (more choices, Gemini
    /// code execution and inline data), one phrase each.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub unshown: Vec<String>,
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
    /// The shard (`K/N`) of the `--shard` run that sent this request, so a
    /// merged log still tells which runner sent what.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub shard: Option<String>,
    /// The batch input line this exchange answers, so `--resume` knows
    /// from the log alone what is done (records written by hcl before this
    /// field have none, and read as before).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub line: Option<BatchLine>,
    /// The batch's input: the absolute path of the `--batch` file, or `-`
    /// for stdin. `--resume` finds the batch to continue by it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub batch_input: Option<String>,
    /// The files this request attached (`--file`, `/file`, a batch line's
    /// `files`), so they can be listed without decoding the body; files of
    /// earlier turns are listed in their own turns' records.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub attachments: Vec<AttachedFile>,
}

/// Which line of a batch input a record answers: its 1-based number, and
/// the line's `id` when it has one, else a digest of its bytes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BatchLine {
    /// The line's number in the input (1-based) when it was sent.
    pub n: u64,
    /// The line's own `id` (a string or a number, kept as given).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<serde_json::Value>,
    /// Without an id: `sha256:` and the first 32 hex digits of the SHA-256
    /// of the line's bytes (without its line ending).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub digest: Option<String>,
}

impl BatchLine {
    /// What identifies the line across runs: its id as JSON text (so `"1"`
    /// and `1` differ), else its digest.
    pub fn key(&self) -> Option<String> {
        match (&self.id, &self.digest) {
            (Some(id), _) => Some(format!("id:{id}")),
            (None, Some(d)) => Some(format!("digest:{d}")),
            (None, None) => None,
        }
    }
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

/// Open the log for appending (and reading its last byte), creating it and
/// its directory with mode 0600. An existing log that others can read is
/// made 0600: it holds prompts and answers. The warning says so.
pub fn open_for_append(path: &Path) -> Result<(File, Option<String>)> {
    let ctx = || format!("cannot write the request log {}", path.display());
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(|e| match file_in_the_way(dir) {
            Some(file) => Error::io(
                format!(
                    "cannot write the request log {}: {} is a file, not a directory; point HCL_LOG at a file in a directory",
                    path.display(),
                    file.display()
                ),
                e,
            ),
            None => Error::io(ctx(), e),
        })?;
    }
    let mut opts = OpenOptions::new();
    opts.read(true).append(true).create(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        opts.mode(0o600);
    }
    let file = opts.open(path).map_err(|e| Error::io(ctx(), e))?;
    let warning = crate::files::make_private(&file).map(|was| {
        format!(
            "the request log {} could be read by others (mode {was:04o}); hcl made it 0600",
            path.display()
        )
    });
    Ok((file, warning))
}

/// The nearest ancestor of `dir` that exists and is not a directory.
fn file_in_the_way(dir: &Path) -> Option<&Path> {
    dir.ancestors()
        .find(|a| std::fs::metadata(a).is_ok_and(|m| !m.is_dir()))
}

/// What appending needs from the log file: its length, its last byte, a
/// write at the end, and cutting it back. A trait so that a test can stand
/// in a disk that fills up part-way.
pub(crate) trait LogFile {
    fn len(&mut self) -> std::io::Result<u64>;
    fn last_byte(&mut self, len: u64) -> std::io::Result<u8>;
    /// Write everything at the end of the file.
    fn append(&mut self, bytes: &[u8]) -> std::io::Result<()>;
    fn truncate(&mut self, len: u64) -> std::io::Result<()>;
}

impl LogFile for File {
    fn len(&mut self) -> std::io::Result<u64> {
        Ok(self.metadata()?.len())
    }

    fn last_byte(&mut self, len: u64) -> std::io::Result<u8> {
        let mut b = [0u8];
        self.seek(SeekFrom::Start(len - 1))?;
        self.read_exact(&mut b)?;
        Ok(b[0])
    }

    fn append(&mut self, bytes: &[u8]) -> std::io::Result<()> {
        // Opened with O_APPEND: the write goes to the end wherever the
        // cursor is.
        self.write_all(bytes)
    }

    fn truncate(&mut self, len: u64) -> std::io::Result<()> {
        self.set_len(len)
    }
}

/// Append `line` (which starts with an extra b'\n' and ends with one) as
/// one write, the caller holding the lock. If the file does not end with a
/// newline (a write cut short earlier), the leading newline goes too, so the
/// record starts on a line of its own. If the write fails part-way (a full
/// disk), the file is cut back to its old length, so no partial line is left
/// for the next record to be glued to.
pub(crate) fn append_line(file: &mut impl LogFile, line: &[u8]) -> std::io::Result<()> {
    let len = file.len()?;
    let torn = len > 0 && file.last_byte(len)? != b'\n';
    let bytes = if torn { line } else { &line[1..] };
    if let Err(e) = file.append(bytes) {
        // Best effort: if this fails too, the next append starts with a newline.
        let _ = file.truncate(len);
        return Err(e);
    }
    Ok(())
}

/// A record as one line: a leading newline for [`append_line`], the JSON,
/// the final newline.
fn record_line(out: &mut Vec<u8>, record: &Record) -> Result<()> {
    out.clear();
    out.push(b'\n');
    push_record(out, record)
}

/// Add `record` and its newline to `out`; on failure `out` is as it was.
fn push_record(out: &mut Vec<u8>, record: &Record) -> Result<()> {
    let len = out.len();
    if let Err(e) = serde_json::to_writer(&mut *out, record) {
        out.truncate(len);
        return Err(Error::Protocol(format!(
            "could not serialize the log record: {e}"
        )));
    }
    out.push(b'\n');
    Ok(())
}

/// Append one record: one `write` of one line, under an exclusive advisory
/// lock. `Ok(Some(warning))` when the log had to be made private first.
pub fn append(path: &Path, record: &Record) -> Result<Option<String>> {
    let mut line = Vec::with_capacity(4096);
    record_line(&mut line, record)?;
    let ctx = || format!("cannot write the request log {}", path.display());
    let (mut file, warning) = open_for_append(path)?;
    file.lock().map_err(|e| Error::io(ctx(), e))?;
    let written = append_line(&mut file, &line);
    let _ = file.unlock();
    written.map_err(|e| Error::io(ctx(), e))?;
    Ok(warning)
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
    /// Open the log; the warning is as for [`append`].
    pub fn open(path: &Path) -> Result<(Writer, Option<String>)> {
        let (file, warning) = open_for_append(path)?;
        Ok((
            Writer {
                path: path.to_path_buf(),
                file,
                line: Vec::with_capacity(4096),
            },
            warning,
        ))
    }

    pub fn append(&mut self, record: &Record) -> Result<()> {
        record_line(&mut self.line, record)?;
        self.write_lines()
    }

    /// Append `records` as one `write` of their lines under one lock (a
    /// batch writes the records that are waiting together). Each line is
    /// whole, and a write cut short is cut back as for one record. Returns
    /// how many records were not written, and the first reason.
    pub fn append_all(&mut self, records: &[Record]) -> (u64, Option<Error>) {
        let mut failed = 0;
        let mut first = None;
        self.line.clear();
        self.line.push(b'\n');
        for record in records {
            if let Err(e) = push_record(&mut self.line, record) {
                failed += 1;
                first.get_or_insert(e);
            }
        }
        let written = records.len() as u64 - failed;
        if written > 0
            && let Err(e) = self.write_lines()
        {
            failed += written;
            first.get_or_insert(e);
        }
        (failed, first)
    }

    /// Write the buffered lines (after their leading newline) under the lock.
    fn write_lines(&mut self) -> Result<()> {
        let ctx = || format!("cannot write the request log {}", self.path.display());
        self.file.lock().map_err(|e| Error::io(ctx(), e))?;
        let written = append_line(&mut self.file, &self.line);
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
pub fn scan(path: &Path, visit: impl FnMut(usize, &[u8], bool) -> ControlFlow<()>) -> Result<()> {
    let Some(file) = open_for_read(path)? else {
        return Ok(());
    };
    let reader = BufReader::with_capacity(256 * 1024, file);
    scan_in(reader, visit).map_err(|e| read_error(path, e))
}

/// [`scan`] over any buffered source.
pub(crate) fn scan_in(
    mut reader: impl BufRead,
    mut visit: impl FnMut(usize, &[u8], bool) -> ControlFlow<()>,
) -> std::io::Result<()> {
    let mut buf = Vec::new();
    let mut n = 0;
    loop {
        buf.clear();
        if reader.read_until(b'\n', &mut buf)? == 0 {
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
    visit: impl FnMut(u64, &[u8], bool) -> ControlFlow<()>,
) -> Result<()> {
    let Some(mut file) = open_for_read(path)? else {
        return Ok(());
    };
    let len = file.metadata().map_err(|e| read_error(path, e))?.len();
    scan_back_in(&mut file, len, BLOCK, visit).map_err(|e| read_error(path, e))
}

/// [`scan_back`] over the first `len` bytes of any seekable source, in
/// blocks of `block` bytes. Each block is searched once; a line that spans
/// blocks is only searched for its start (nothing of it is kept), then read
/// once, whole, so the work stays linear in the line's length.
pub(crate) fn scan_back_in<R: Read + Seek>(
    src: &mut R,
    len: u64,
    block: u64,
    mut visit: impl FnMut(u64, &[u8], bool) -> ControlFlow<()>,
) -> std::io::Result<()> {
    let block = block.max(1);
    let mut pos = len;
    // Where the line whose start is not read yet ends.
    let mut open_end: Option<u64> = None;
    let mut long = Vec::new();
    let mut buf = Vec::new();
    // Only the first piece of text met (the file's end) can be a torn line.
    let mut first = true;
    let mut torn_end = false;
    while pos > 0 {
        let start = pos.saturating_sub(block);
        buf.resize((pos - start) as usize, 0);
        src.seek(SeekFrom::Start(start))?;
        src.read_exact(&mut buf)?;
        if pos == len {
            torn_end = buf.last() != Some(&b'\n');
        }
        let mut end = buf.len();
        while let Some(nl) = memchr::memrchr(b'\n', &buf[..end]) {
            let text = match open_end.take() {
                Some(line_end) => read_span(src, start + nl as u64 + 1, line_end, &mut long)?,
                None => &buf[nl + 1..end],
            };
            let torn = first && torn_end;
            first = false;
            let line = trim_line(text);
            if !line.is_empty() && visit(start + nl as u64 + 1, line, torn).is_break() {
                return Ok(());
            }
            end = nl;
        }
        if end > 0 && open_end.is_none() {
            open_end = Some(start + end as u64);
        }
        pos = start;
    }
    if let Some(line_end) = open_end {
        let line = trim_line(read_span(src, 0, line_end, &mut long)?);
        if !line.is_empty() {
            let _ = visit(0, line, first && torn_end);
        }
    }
    Ok(())
}

/// Bytes `from..to` of `src`, read into `into`.
fn read_span<'a, R: Read + Seek>(
    src: &mut R,
    from: u64,
    to: u64,
    into: &'a mut Vec<u8>,
) -> std::io::Result<&'a [u8]> {
    into.clear();
    into.resize((to - from) as usize, 0);
    src.seek(SeekFrom::Start(from))?;
    src.read_exact(into)?;
    Ok(into)
}

/// The 1-based line numbers of byte offsets that start lines, in one pass.
pub fn line_numbers(path: &Path, offsets: &[u64]) -> Result<Vec<usize>> {
    let Some(file) = open_for_read(path)? else {
        return Ok(vec![0; offsets.len()]);
    };
    line_numbers_in(file, 256 * 1024, offsets).map_err(|e| read_error(path, e))
}

/// [`line_numbers`] over any source, read `capacity` bytes at a time.
pub(crate) fn line_numbers_in(
    src: impl Read,
    capacity: usize,
    offsets: &[u64],
) -> std::io::Result<Vec<usize>> {
    let mut order: Vec<usize> = (0..offsets.len()).collect();
    order.sort_by_key(|&i| offsets[i]);
    let mut out = vec![0; offsets.len()];
    let mut reader = BufReader::with_capacity(capacity.max(1), src);
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
        if reader.fill_buf()?.is_empty() {
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

    /// Append bytes exactly as given (a damaged or torn line).
    fn append_raw(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
        OpenOptions::new()
            .append(true)
            .create(true)
            .open(path)?
            .write_all(bytes)
    }

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
            shard: None,
            line: None,
            batch_input: None,
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
    fn batch_lines_have_a_fixed_shape_and_older_records_lack_them() {
        let mut r = record("b1");
        r.batch = Some("nightly".into());
        r.line = Some(BatchLine {
            n: 3,
            id: Some(serde_json::json!("q3")),
            digest: None,
        });
        r.batch_input = Some("/data/evals.jsonl".into());
        let text = serde_json::to_string(&r).unwrap();
        assert!(
            text.contains(r#""line":{"n":3,"id":"q3"},"batch_input":"/data/evals.jsonl""#),
            "{text}"
        );
        let back = parse_line(text.as_bytes()).unwrap();
        assert_eq!(
            back.line.as_ref().and_then(BatchLine::key).unwrap(),
            r#"id:"q3""#
        );
        let digest = BatchLine {
            n: 4,
            id: None,
            digest: Some("sha256:00ff".into()),
        };
        assert_eq!(
            serde_json::to_string(&digest).unwrap(),
            r#"{"n":4,"digest":"sha256:00ff"}"#
        );
        assert_eq!(digest.key().unwrap(), "digest:sha256:00ff");
        // A number id and a string id are different lines.
        let one = |id| {
            BatchLine {
                n: 1,
                id: Some(id),
                digest: None,
            }
            .key()
        };
        assert_ne!(one(serde_json::json!(1)), one(serde_json::json!("1")));
        // A record written before these fields reads without them.
        let old = serde_json::to_string(&record("old")).unwrap();
        assert!(!old.contains("\"line\"") && !old.contains("batch_input"));
        let back = parse_line(old.as_bytes()).unwrap();
        assert!(back.line.is_none() && back.batch_input.is_none());
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

    /// A line left without its newline (a write cut short) must not swallow
    /// the next record: the next append starts on a fresh line.
    #[test]
    fn records_written_together_are_whole_lines_after_a_torn_one() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("log.jsonl");
        append(&path, &record("aaaa1111")).unwrap();
        append_raw(&path, br#"{"v":1,"id":"torn","ts":"2026"#).unwrap();
        let (mut w, _) = Writer::open(&path).unwrap();
        let (failed, first) = w.append_all(&[record("bbbb2222"), record("cccc3333")]);
        assert_eq!((failed, first.is_none()), (0, true));
        w.append(&record("dddd4444")).unwrap();
        let (recs, skipped) = read_all(&path).unwrap();
        assert_eq!(
            recs.iter().map(|r| r.id.as_str()).collect::<Vec<_>>(),
            ["aaaa1111", "bbbb2222", "cccc3333", "dddd4444"]
        );
        assert_eq!(skipped.len(), 1, "{skipped:?}");
        assert!(std::fs::read(&path).unwrap().ends_with(b"}\n"));
    }

    #[test]
    fn a_record_after_a_torn_last_line_is_readable() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("log.jsonl");
        append(&path, &record("aaaa1111")).unwrap();
        append_raw(&path, br#"{"v":1,"id":"torn","ts":"2026"#).unwrap();
        append(&path, &record("bbbb2222")).unwrap();
        let (recs, skipped) = read_all(&path).unwrap();
        assert_eq!(
            recs.iter().map(|r| r.id.as_str()).collect::<Vec<_>>(),
            ["aaaa1111", "bbbb2222"]
        );
        assert_eq!(skipped.len(), 1, "{skipped:?}");
        assert_eq!(skipped[0].line, 2);
        let mut newest = Vec::new();
        scan_back(&path, |_, line, torn| {
            if let Ok(r) = parse_or_reason(line, torn) {
                newest.push(r.id);
            }
            ControlFlow::Continue(())
        })
        .unwrap();
        assert_eq!(newest, ["bbbb2222", "aaaa1111"]);
    }

    /// Reading a long line backwards copies each of its bytes a bounded
    /// number of times, not once per block it spans (which made a 50 MB
    /// line take 45 s). Measured as bytes allocated on this thread.
    #[test]
    fn a_long_line_is_read_backwards_in_linear_work() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("log.jsonl");
        append(&path, &record("aaaa1111")).unwrap();
        let mut long = record("long0000");
        long.response.text = "x".repeat(4 << 20);
        append(&path, &long).unwrap();
        append(&path, &record("cccc3333")).unwrap();
        let size = std::fs::metadata(&path).unwrap().len();
        let before = alloc_count::allocated();
        let mut ids = Vec::new();
        scan_back(&path, |_, line, torn| {
            ids.push(parse_or_reason(line, torn).map(|r| r.id));
            ControlFlow::Continue(())
        })
        .unwrap();
        let used = alloc_count::allocated() - before;
        assert_eq!(
            ids,
            [
                Ok("cccc3333".to_string()),
                Ok("long0000".to_string()),
                Ok("aaaa1111".to_string())
            ]
        );
        assert!(
            used < 8 * size,
            "{used} bytes allocated to read a {size}-byte log backwards"
        );
    }

    /// A file whose disk fills up after `room` more bytes.
    struct FillingDisk {
        file: File,
        room: usize,
    }

    impl LogFile for FillingDisk {
        fn len(&mut self) -> std::io::Result<u64> {
            self.file.len()
        }
        fn last_byte(&mut self, len: u64) -> std::io::Result<u8> {
            self.file.last_byte(len)
        }
        fn append(&mut self, bytes: &[u8]) -> std::io::Result<()> {
            let n = bytes.len().min(self.room);
            self.file.write_all(&bytes[..n])?;
            self.room -= n;
            if n < bytes.len() {
                return Err(std::io::Error::from_raw_os_error(28)); // ENOSPC
            }
            Ok(())
        }
        fn truncate(&mut self, len: u64) -> std::io::Result<()> {
            self.file.truncate(len)
        }
    }

    /// A write that fails part-way (a full disk) leaves the log as it was:
    /// no partial line for the next record to be glued to.
    #[test]
    fn a_write_that_fails_part_way_is_cut_back() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("log.jsonl");
        append(&path, &record("aaaa1111")).unwrap();
        let before = std::fs::read(&path).unwrap();
        let (writer, _) = Writer::open(&path).unwrap();
        let mut line = Vec::new();
        record_line(&mut line, &record("bbbb2222")).unwrap();
        let mut disk = FillingDisk {
            file: writer.file,
            room: 40,
        };
        let err = append_line(&mut disk, &line).unwrap_err();
        assert_eq!(err.raw_os_error(), Some(28));
        assert_eq!(
            std::fs::read(&path).unwrap(),
            before,
            "cut back to the old length"
        );
        append(&path, &record("cccc3333")).unwrap();
        let (recs, skipped) = read_all(&path).unwrap();
        assert!(skipped.is_empty(), "{skipped:?}");
        assert_eq!(
            recs.iter().map(|r| r.id.as_str()).collect::<Vec<_>>(),
            ["aaaa1111", "cccc3333"]
        );
    }

    /// A log that others can read is made 0600 when hcl appends to it, and
    /// says so once.
    #[cfg(unix)]
    #[test]
    fn a_readable_log_is_made_private() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("log.jsonl");
        append_raw(&path, b"").unwrap();
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
        let warning = append(&path, &record("aaaa1111")).unwrap();
        let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);
        let warning = warning.expect("a warning");
        assert!(
            warning.contains("0644") && warning.contains("0600"),
            "{warning}"
        );
        assert_eq!(append(&path, &record("bbbb2222")).unwrap(), None);
    }

    /// A log path under a regular file names that file.
    #[test]
    fn a_log_path_inside_a_file_names_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("notes.txt");
        std::fs::write(&file, "x").unwrap();
        let path = file.join("sub/requests.jsonl");
        let err = append(&path, &record("aaaa1111")).unwrap_err().to_string();
        assert!(
            err.contains(&format!("{} is a file, not a directory", file.display())),
            "{err}"
        );
    }

    /// The backward scan in tiny blocks sees what the forward scan sees.
    #[test]
    fn backwards_in_any_block_size_matches_forwards() {
        let texts: [&[u8]; 6] = [
            b"",
            b"\n\n",
            b"a\nbb\r\n\nccc",
            b"one\ntwo\nthree\n",
            b"  \n x \n",
            b"\nlast without newline",
        ];
        for text in texts {
            let mut forward = Vec::new();
            let mut n = 0;
            for piece in text.split_inclusive(|&b| b == b'\n') {
                n += 1;
                let line = trim_line(piece);
                if !line.is_empty() {
                    forward.push((n, line.to_vec(), !piece.ends_with(b"\n")));
                }
            }
            for block in 1..=8 {
                let mut back = Vec::new();
                let mut src = std::io::Cursor::new(text);
                scan_back_in(&mut src, text.len() as u64, block, |off, line, torn| {
                    back.push((off, line.to_vec(), torn));
                    ControlFlow::Continue(())
                })
                .unwrap();
                back.reverse();
                let lines: Vec<_> = back.iter().map(|(_, l, t)| (l.clone(), *t)).collect();
                let want: Vec<_> = forward.iter().map(|(_, l, t)| (l.clone(), *t)).collect();
                assert_eq!(lines, want, "{text:?} in blocks of {block}");
                for ((off, _, _), (n, _, _)) in back.iter().zip(&forward) {
                    let before = &text[..*off as usize];
                    assert_eq!(before.iter().filter(|&&b| b == b'\n').count() + 1, *n);
                }
            }
        }
    }

    #[test]
    fn prefixes() {
        let recs = vec![record("abc123"), record("abd456")];
        assert_eq!(find_by_prefix(&recs, "abc").unwrap().id, "abc123");
        assert!(find_by_prefix(&recs, "ab").is_err());
        assert!(find_by_prefix(&recs, "zz").is_err());
    }

    /// Counts the bytes allocated by each thread, for the tests that check
    /// that work stays linear in the input.
    pub mod alloc_count {
        use std::alloc::{GlobalAlloc, Layout, System};
        use std::cell::Cell;

        struct Counting;

        thread_local! {
            static ALLOCATED: Cell<u64> = const { Cell::new(0) };
        }

        // SAFETY: forwards to the system allocator unchanged.
        unsafe impl GlobalAlloc for Counting {
            unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
                let _ = ALLOCATED.try_with(|a| a.set(a.get() + layout.size() as u64));
                // SAFETY: the caller upholds `alloc`'s contract.
                unsafe { System.alloc(layout) }
            }
            unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
                // SAFETY: the caller upholds `dealloc`'s contract.
                unsafe { System.dealloc(ptr, layout) }
            }
            unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
                let _ = ALLOCATED.try_with(|a| a.set(a.get() + new_size as u64));
                // SAFETY: the caller upholds `realloc`'s contract.
                unsafe { System.realloc(ptr, layout, new_size) }
            }
        }

        #[global_allocator]
        static COUNTING: Counting = Counting;

        /// Bytes allocated by this thread so far.
        pub fn allocated() -> u64 {
            ALLOCATED.with(Cell::get)
        }
    }
}
