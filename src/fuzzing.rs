//! Entry points for the fuzz targets in `fuzz/` and for the test that
//! replays what they found (`tests/it/fuzz_regressions.rs`). Each target
//! feeds arbitrary bytes through a decoder or parser the way hcl runs it and
//! checks invariants, not only the absence of a crash: a broken invariant
//! panics. Not part of hcl's interface.

// Panicking is how a fuzz target reports a broken invariant.
#![allow(clippy::expect_used, clippy::panic, clippy::unwrap_used)]

use std::io::Cursor;
use std::ops::ControlFlow;
use std::path::Path;

use crate::conversation;
use crate::eventstream::{EventStreamDecoder, EventStreamError, Message};
use crate::helicone;
use crate::log::{self, LogFile};
use crate::request;
use crate::select::Selection;
use crate::settings;
use crate::sse::{self, SseDecoder, SseError, SseEvent};
use crate::wire::WireFormat;
use crate::wire::stream::{Assembler, Parser, StreamEvent};
use crate::wire::{self, Dialect};

/// Every target, by the name of its `fuzz/` binary and corpus directory.
pub const TARGETS: &[&str] = &[
    "sse",
    "stream_openai",
    "stream_anthropic",
    "stream_gemini",
    "response_openai",
    "response_anthropic",
    "response_gemini",
    "log_record",
    "log_scan",
    "rate_limit",
    "config",
    "eventstream",
];

/// Run target `name` on `data`; `false` when there is no such target.
pub fn run(name: &str, data: &[u8]) -> bool {
    match name {
        "sse" => sse(data),
        "stream_openai" => stream(WireFormat::OpenAi, data),
        "stream_anthropic" => stream(WireFormat::Anthropic, data),
        "stream_gemini" => stream(WireFormat::Gemini, data),
        "response_openai" => response(WireFormat::OpenAi, data),
        "response_anthropic" => response(WireFormat::Anthropic, data),
        "response_gemini" => response(WireFormat::Gemini, data),
        "log_record" => log_record(data),
        "log_scan" => log_scan(data),
        "rate_limit" => rate_limit(data),
        "config" => config(data),
        "eventstream" => eventstream(data),
        _ => return false,
    }
    true
}

/// FNV-1a: split points and sizes that follow the input, so the fuzzer
/// reaches them by mutating it.
fn hash(data: &[u8]) -> u64 {
    data.iter().fold(0xcbf2_9ce4_8422_2325, |h, &b| {
        (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3)
    })
}

/// Two split points `0 <= a <= b <= len` chosen by the input.
fn split_points(data: &[u8]) -> (usize, usize) {
    let h = hash(data);
    let n = data.len() + 1;
    let a = (h % n as u64) as usize;
    let b = ((h >> 32) % n as u64) as usize;
    (a.min(b), a.max(b))
}

// ---------------------------------------------------------------- SSE

/// What decoding gives: the events, and the error that stopped it.
fn decode(decoder: &mut SseDecoder, chunks: &[&[u8]]) -> (Vec<SseEvent>, Option<SseError>) {
    let mut out = Vec::new();
    for chunk in chunks {
        if let Err(e) = decoder.push(chunk, &mut out) {
            return (out, Some(e));
        }
    }
    let end = decoder.finish(&mut out).err();
    (out, end)
}

/// Any split of the same bytes gives the same events and the same error,
/// with the default bound and with a small one; every event is well formed;
/// the word-at-a-time line-end search agrees with a plain one.
fn sse(data: &[u8]) {
    let (a, b) = split_points(data);
    let limit = 1 + (hash(data) >> 16) as usize % 512;
    for limit in [sse::DEFAULT_MAX_EVENT_BYTES, limit] {
        let fresh = || SseDecoder::with_max_event_bytes(limit);
        let whole = decode(&mut fresh(), &[data]);
        let two = decode(&mut fresh(), &[&data[..a], &data[a..]]);
        assert_eq!(whole, two, "split at {a} (limit {limit})");
        let three = decode(&mut fresh(), &[&data[..a], &data[a..b], &data[b..]]);
        assert_eq!(whole, three, "split at {a} and {b} (limit {limit})");
        if data.len() <= 4096 {
            let bytes: Vec<&[u8]> = data.chunks(1).collect();
            assert_eq!(whole, decode(&mut fresh(), &bytes), "byte at a time");
        }
        for e in &whole.0 {
            assert!(!e.event.is_empty(), "an event always has a name");
            assert!(!e.event.contains(['\r', '\n']) && !e.data.contains('\r'));
            assert!(
                e.id.as_deref()
                    .is_none_or(|id| !id.contains(['\0', '\r', '\n']))
            );
            if limit < sse::DEFAULT_MAX_EVENT_BYTES {
                assert!(e.data.len() <= limit, "an event over the bound");
            }
        }
    }
    for start in 0..data.len().min(16) {
        let hay = &data[start..];
        assert_eq!(
            sse::find_line_end(hay),
            hay.iter().position(|&b| b == b'\n' || b == b'\r'),
            "line end from {start}"
        );
    }
}

// ------------------------------------------------------------- streams

/// The wire events of a stream arriving in `chunks`, as hcl reads it: SSE,
/// then each event through the format's state machine, stopping at the
/// first error.
fn stream_events(format: WireFormat, chunks: &[&[u8]]) -> (Vec<StreamEvent>, Option<String>) {
    let (sse_events, sse_error) = decode(&mut SseDecoder::new(), chunks);
    let mut parser = Parser::new(format);
    let mut out = Vec::new();
    for e in &sse_events {
        if let Err(reason) = parser.event(&e.data, &mut out) {
            return (out, Some(reason));
        }
    }
    (out, sse_error.map(|e| e.to_string()))
}

/// A split does not change the wire events; the assembled answer is the
/// text events in order, has one tool call per call index, and is the same
/// however often it is asked for.
fn stream(format: WireFormat, data: &[u8]) {
    let (a, _) = split_points(data);
    let whole = stream_events(format, &[data]);
    assert_eq!(
        whole,
        stream_events(format, &[&data[..a], &data[a..]]),
        "split at {a}"
    );
    let mut assembler = Assembler::default();
    let mut text = String::new();
    let mut calls: Vec<usize> = Vec::new();
    for e in whole.0 {
        match &e {
            StreamEvent::Text(t) => text.push_str(t),
            StreamEvent::ToolCall { index, .. } if !calls.contains(index) => calls.push(*index),
            _ => {}
        }
        assembler.apply(e);
    }
    assert_eq!(assembler.text(), text);
    let c = assembler.completion(format);
    assert_eq!(c, assembler.completion(format), "completion() is pure");
    assert_eq!(c.text, text);
    assert_eq!(c.tool_calls.len(), calls.len());
}

// ----------------------------------------------------------- responses

/// Parsing a body is deterministic and never panics, nor do the error and
/// excerpt readers; a request body read back as a conversation, built again
/// by hcl, reads back as the same conversation.
fn response(format: WireFormat, data: &[u8]) {
    let parsed = wire::parse_response(format, data);
    assert_eq!(parsed, wire::parse_response(format, data));
    if let Ok(c) = &parsed {
        assert!(
            c.tool_calls.iter().all(|t| !t.arguments.is_empty()) || format == WireFormat::OpenAi,
            "tool call arguments are JSON text"
        );
    }
    let _ = wire::error_message(data);
    let excerpt = crate::exchange::excerpt(data);
    assert!(excerpt.chars().count() <= 161 || excerpt.starts_with("HTML page"));
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(history) = wire::parse_history(format, text) else {
        return;
    };
    for dialect in [
        Dialect::default(),
        Dialect {
            stream_usage: true,
            max_completion_tokens: true,
        },
    ] {
        let body = wire::build_body(format, "model-x", &history, false, dialect);
        let back = wire::parse_history(format, &body)
            .unwrap_or_else(|e| panic!("hcl's own body does not read back ({e}): {body}"));
        assert_eq!(back.system, history.system, "{body}");
        assert_eq!(back.messages, history.messages, "{body}");
    }
}

// ----------------------------------------------------------- the log

/// A log held in memory, for appending to.
struct MemoryLog(Vec<u8>);

impl LogFile for MemoryLog {
    fn len(&mut self) -> std::io::Result<u64> {
        Ok(self.0.len() as u64)
    }
    fn last_byte(&mut self, len: u64) -> std::io::Result<u8> {
        Ok(self.0[len as usize - 1])
    }
    fn append(&mut self, bytes: &[u8]) -> std::io::Result<()> {
        self.0.extend_from_slice(bytes);
        Ok(())
    }
    fn truncate(&mut self, len: u64) -> std::io::Result<()> {
        self.0.truncate(len as usize);
        Ok(())
    }
}

/// The selections whose quick, borrowed reading of a line must agree with
/// the full one.
fn selections() -> Vec<Selection> {
    use crate::cli::StatusArg;
    let mut out = vec![Selection::default()];
    out.push(Selection {
        provider: Some("OpenAI".into()),
        ..Default::default()
    });
    out.push(Selection {
        model: Some("m".into()),
        ..Default::default()
    });
    out.push(Selection {
        status: Some(StatusArg::Ok),
        ..Default::default()
    });
    out.push(Selection {
        status: Some(StatusArg::Error),
        originals_only: true,
        ..Default::default()
    });
    out.push(Selection {
        properties: vec![("env".into(), "ci".into())],
        ..Default::default()
    });
    out.push(Selection {
        since: Some(std::time::UNIX_EPOCH + std::time::Duration::from_secs(1_700_000_000)),
        ..Default::default()
    });
    out
}

/// A record read back equals the record written; the filters' quick reading
/// of a line keeps exactly the records the full reading keeps, and without
/// filters reports every line that is not a record. (With filters, a
/// damaged line whose quick reading does not match is passed over without
/// a warning: finding out would cost the full parse the quick one saves.)
fn log_record(data: &[u8]) {
    let parsed = log::parse_line(data);
    for sel in selections() {
        let quick = sel.read(data, false);
        match &parsed {
            Ok(r) => assert_eq!(quick.is_some(), sel.matches(r), "{sel:?}"),
            Err(_) if !sel.has_filters() => {
                assert!(matches!(quick, Some(Err(_))), "{sel:?}")
            }
            Err(_) => assert!(!matches!(quick, Some(Ok(_))), "{sel:?}"),
        }
    }
    let Ok(record) = parsed else {
        return;
    };
    let line = serde_json::to_vec(&record).expect("a record read can be written");
    let again = log::parse_line(&line)
        .unwrap_or_else(|e| panic!("a record written does not read back: {e}"));
    let line_again = serde_json::to_vec(&again).expect("a record read can be written");
    assert_eq!(
        String::from_utf8_lossy(&line),
        String::from_utf8_lossy(&line_again)
    );
    let _ = conversation::first_prompt(WireFormat::OpenAi, record.request.body.get());
    let _ = request::redact_url(&record.request.url);
}

/// The lines and their torn flags, as the forward reader sees them.
fn forward_lines(data: &[u8]) -> Vec<(usize, Vec<u8>, bool)> {
    let mut out = Vec::new();
    log::scan_in(Cursor::new(data), |n, line, torn| {
        out.push((n, line.to_vec(), torn));
        ControlFlow::Continue(())
    })
    .expect("reading memory cannot fail");
    out
}

/// The backward scan, in any block size, sees what the forward scan sees,
/// and the line numbers it works out for its offsets are the forward ones.
/// A record appended to these bytes is the last line and reads back; the
/// lines before it are unchanged.
fn log_scan(data: &[u8]) {
    let forward = forward_lines(data);
    let h = hash(data);
    for block in [1 + h % 64, 1 + (h >> 8) % 4096, 64 * 1024] {
        let mut back = Vec::new();
        log::scan_back_in(
            &mut Cursor::new(data),
            data.len() as u64,
            block,
            |off, line, torn| {
                back.push((off, line.to_vec(), torn));
                ControlFlow::Continue(())
            },
        )
        .expect("reading memory cannot fail");
        back.reverse();
        assert_eq!(back.len(), forward.len(), "block {block}");
        let offsets: Vec<u64> = back.iter().map(|(o, _, _)| *o).collect();
        let capacity = 1 + (h >> 20) as usize % 300;
        let numbers = log::line_numbers_in(Cursor::new(data), capacity, &offsets).expect("memory");
        for ((b, n), f) in back.iter().zip(&numbers).zip(&forward) {
            assert_eq!((&b.1, b.2), (&f.1, f.2), "block {block}");
            assert_eq!(*n, f.0, "line number of offset {}", b.0);
        }
    }
    // Append a record, as hcl does, after whatever the log held.
    let mut file = MemoryLog(data.to_vec());
    log::append_line(&mut file, sample_line()).expect("memory cannot fail");
    let after = forward_lines(&file.0);
    let (last, before) = after.split_last().expect("the record is a line");
    let back = log::parse_line(&last.1).expect("the appended record reads back");
    assert_eq!(back.id, "0f1440d7-9110-47b6-bc6a-bb5c77f562e9");
    assert!(!last.2, "the appended record is not torn");
    let untorn: Vec<_> = forward.iter().map(|(n, l, _)| (*n, l.clone())).collect();
    let kept: Vec<_> = before.iter().map(|(n, l, _)| (*n, l.clone())).collect();
    assert_eq!(kept, untorn, "the lines before the record are unchanged");
}

/// A record as hcl writes it (from a real run), for the append check.
const SAMPLE_RECORD: &str = r#"{"v":1,"id":"0f1440d7-9110-47b6-bc6a-bb5c77f562e9","ts":"2026-12-02T08:23:17.081Z","provider":"openai","model":"gpt-4o-mini","stream":false,"conversation":"0f1440d7-9110-47b6-bc6a-bb5c77f562e9","turn":1,"request":{"method":"POST","url":"http://127.0.0.1:9/v1/chat/completions","headers":{"Content-Type":"application/json","Authorization":"Bearer sha256:a3d425b4","Helicone-Session-Name":"hcl conversation"},"secret_headers":[{"header":"Authorization","role":"provider","prefix":"Bearer "}],"body":{"model":"gpt-4o-mini","messages":[{"role":"user","content":"refused"}]}},"response":{"status":null,"headers":{},"text":"","usage":{"input":null,"output":null,"total":null},"finish_reason":null},"helicone":{"id":null,"cache":null,"bucket_idx":null},"cache_key":{"url":"sha256:b4f8d33b","body":"sha256:bc5c1cac","helicone_key":null,"provider_key":"sha256:a3d425b4","seed":null,"bucket":null},"latency_ms":null,"ttft_ms":null,"error":"could not connect","replay_of":null}"#;

/// [`SAMPLE_RECORD`] as an appended line: a leading newline, the record, a
/// final newline.
fn sample_line() -> &'static [u8] {
    static LINE: std::sync::OnceLock<Vec<u8>> = std::sync::OnceLock::new();
    LINE.get_or_init(|| {
        let mut line = vec![b'\n'];
        line.extend_from_slice(SAMPLE_RECORD.as_bytes());
        line.push(b'\n');
        line
    })
}

// ------------------------------------------------------- rate limits

/// A policy that parses is within Helicone's bounds, and its canonical
/// spelling parses to the same policy.
fn rate_limit(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(p) = helicone::parse_rate_limit(text) else {
        return;
    };
    assert!(p.quota.is_finite() && p.quota > 0.0, "quota {}", p.quota);
    assert!((60..=31_536_000).contains(&p.window_secs));
    assert!(
        p.segment
            .as_deref()
            .is_none_or(|s| !s.is_empty() && !s.contains([';', '=', ' ']))
    );
    let canonical = format!(
        "{};w={}{}{}",
        text.split(';').next().unwrap_or_default(),
        p.window_secs,
        if p.cents { ";u=cents" } else { ";u=request" },
        p.segment
            .as_deref()
            .map(|s| format!(";s={s}"))
            .unwrap_or_default()
    );
    let again = helicone::parse_rate_limit(&canonical)
        .unwrap_or_else(|e| panic!("'{canonical}' does not parse again: {e}"));
    assert_eq!(
        (again.quota, again.window_secs, again.cents, again.segment),
        (p.quota, p.window_secs, p.cents, p.segment)
    );
}

// ------------------------------------------------------------ config

/// A config file that reads, written out again, reads back the same; the
/// base URLs in it are checked, and a user and password in one never show.
fn config(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(config) = settings::parse_config(text, Path::new("config.toml")) else {
        return;
    };
    if let Ok(written) = toml::to_string(&config) {
        let back = settings::parse_config(&written, Path::new("config.toml"))
            .unwrap_or_else(|e| panic!("a config hcl wrote does not read back: {e}\n{written}"));
        assert_eq!(back, config, "{written}");
    }
    let urls = config
        .providers
        .values()
        .filter_map(|p| p.base_url.as_deref())
        .chain(config.helicone.api_base.as_deref());
    for url in urls {
        if let Ok(base) = settings::check_base_url("base_url", url) {
            let (bare, userinfo) = request::split_userinfo(&base);
            let shown = request::redact_url(&base);
            if userinfo.is_some() {
                // Shown is the bare URL with `***@` in place of the userinfo.
                assert_eq!(shown.replacen("***@", "", 1), bare, "{base}");
            } else {
                assert_eq!((&bare, &shown), (&base, &base));
            }
        }
    }
    for (k, v) in &config.properties {
        let _ = helicone::parse_property(&format!("{k}={v}"));
    }
}

// --------------------------------------------------------- event stream

/// The messages and the error of an event-stream body arriving in `chunks`.
fn decode_aws(limit: usize, chunks: &[&[u8]]) -> (Vec<Message>, Option<EventStreamError>) {
    let mut decoder = EventStreamDecoder::with_max_message_bytes(limit);
    let mut out = Vec::new();
    for chunk in chunks {
        if let Err(e) = decoder.push(chunk, &mut out) {
            return (out, Some(e));
        }
    }
    let end = decoder.finish().err();
    (out, end)
}

/// Frame `headers` and `payload` as one message with both CRCs right, so
/// the fuzzer reaches the header reader and the payload, which random
/// bytes almost never do past the checksums.
fn frame(headers: &[u8], payload: &[u8]) -> Vec<u8> {
    let total = (16 + headers.len() + payload.len()) as u32;
    let mut out = Vec::with_capacity(total as usize);
    out.extend_from_slice(&total.to_be_bytes());
    out.extend_from_slice(&(headers.len() as u32).to_be_bytes());
    let prelude = crc32fast::hash(&out);
    out.extend_from_slice(&prelude.to_be_bytes());
    out.extend_from_slice(headers);
    out.extend_from_slice(payload);
    let crc = crc32fast::hash(&out);
    out.extend_from_slice(&crc.to_be_bytes());
    out
}

/// The AWS event-stream decoder (Bedrock's streams). The first byte picks
/// the body: odd, the rest as raw bytes; even, the rest cut at 0xFF bytes
/// into header-block/payload pairs, each framed with correct checksums.
/// Any split of the body gives the same messages and error, with the
/// default bound and a small one; a framed body whose header blocks read
/// gives exactly its payloads, in order; a message is never over the bound.
fn eventstream(data: &[u8]) {
    let Some((&mode, rest)) = data.split_first() else {
        return;
    };
    let (body, framed): (Vec<u8>, Vec<Vec<u8>>) = if mode % 2 == 1 {
        (rest.to_vec(), Vec::new())
    } else {
        let parts: Vec<&[u8]> = rest.split(|&b| b == 0xFF).collect();
        let mut body = Vec::new();
        let mut payloads = Vec::new();
        for pair in parts.chunks(2) {
            let headers = pair[0];
            let payload = pair.get(1).copied().unwrap_or_default();
            body.extend_from_slice(&frame(headers, payload));
            payloads.push(payload.to_vec());
        }
        (body, payloads)
    };
    let (a, b) = split_points(&body);
    let small = 16 + (hash(data) >> 20) as usize % 256;
    for limit in [crate::eventstream::DEFAULT_MAX_MESSAGE_BYTES, small] {
        let whole = decode_aws(limit, &[&body]);
        let two = decode_aws(limit, &[&body[..a], &body[a..]]);
        assert_eq!(whole, two, "split at {a} (limit {limit})");
        let three = decode_aws(limit, &[&body[..a], &body[a..b], &body[b..]]);
        assert_eq!(whole, three, "split at {a} and {b} (limit {limit})");
        if body.len() <= 2048 {
            let bytes: Vec<&[u8]> = body.chunks(1).collect();
            assert_eq!(whole, decode_aws(limit, &bytes), "byte at a time");
        }
        for m in &whole.0 {
            assert!(m.payload.len() + 16 <= limit, "a message over the bound");
        }
        if limit == crate::eventstream::DEFAULT_MAX_MESSAGE_BYTES && mode % 2 == 0 {
            let got: Vec<&[u8]> = whole.0.iter().map(|m| m.payload.as_slice()).collect();
            let want: Vec<&[u8]> = framed.iter().map(Vec::as_slice).collect();
            match &whole.1 {
                None => assert_eq!(got, want, "the framed payloads"),
                Some(e) => {
                    assert!(
                        matches!(e, EventStreamError::Header { .. }),
                        "correct framing failed with {e}"
                    );
                    assert_eq!(got, want[..got.len()], "the payloads before the fault");
                }
            }
        }
    }
}
