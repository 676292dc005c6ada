//! Incremental decoder for AWS event-stream bodies
//! (`application/vnd.amazon.eventstream`), the binary framing AWS services
//! such as Bedrock stream in instead of server-sent events.
//!
//! Each message is framed as
//!
//! ```text
//! total length u32 | headers length u32 | prelude CRC u32 | headers | payload | message CRC u32
//! ```
//!
//! all big-endian. The prelude CRC covers the first 8 bytes and the message
//! CRC every byte before it; both are CRC-32 (IEEE, the `crc32fast` crate).
//! A header is a name (u8 length, UTF-8), a type byte and a value of that
//! type (booleans, integers, a timestamp, a UUID, bytes or a string with a
//! u16 length).
//!
//! Why not a crate: `aws-smithy-eventstream` (the AWS SDK's) was measured
//! against this module (see `bench/RESULTS.md`, issue 17): it brings 16
//! crates hcl does not otherwise build (a second `http` and `http-body`,
//! `time`, `aws-smithy-types`, …), its newer releases need a newer Rust than
//! hcl supports, and it buffers a whole message before it checks the prelude
//! CRC and has no bound on the length a corrupt prelude can announce, so it
//! would need a wrapper doing half of this anyway. This decoder checks the
//! prelude the moment its 12 bytes are in, bounds every message, and names
//! the byte offset of any fault.
//!
//! The decoder is fed network chunks as they arrive; the output does not
//! depend on where the chunks split the bytes.

/// Bedrock, like the AWS SDKs, caps a payload at 16 MiB and the headers at
/// 128 KiB; a message is at most that plus its 16 bytes of framing.
pub const DEFAULT_MAX_MESSAGE_BYTES: usize = 16 * 1024 * 1024 + 128 * 1024 + 16;

/// Prelude (12 bytes) plus message CRC (4 bytes).
const FRAMING_BYTES: usize = 16;
const PRELUDE_BYTES: usize = 12;

/// A consumed prefix longer than this is dropped from the buffer at once
/// rather than at the end of the chunk.
const COMPACT_AFTER: usize = 64 * 1024;

/// One header value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HeaderValue {
    Bool(bool),
    Byte(i8),
    Int16(i16),
    Int32(i32),
    Int64(i64),
    Bytes(Vec<u8>),
    String(String),
    /// Milliseconds since the Unix epoch.
    Timestamp(i64),
    Uuid([u8; 16]),
}

/// One decoded message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Message {
    pub headers: Vec<(String, HeaderValue)>,
    pub payload: Vec<u8>,
}

impl Message {
    /// The value of string header `name` (`:message-type`, `:event-type`,
    /// `:exception-type`, …).
    pub fn header_str(&self, name: &str) -> Option<&str> {
        self.headers.iter().find_map(|(n, v)| match v {
            HeaderValue::String(s) if n == name => Some(s.as_str()),
            _ => None,
        })
    }
}

/// Why a body is not a valid event stream. Offsets are absolute byte
/// offsets in the body. Once [`EventStreamDecoder::push`] or
/// [`EventStreamDecoder::finish`] has returned an error, every later call
/// returns the same error.
#[derive(Debug, Clone, thiserror::Error, PartialEq, Eq)]
pub enum EventStreamError {
    #[error(
        "the prelude checksum of the message at byte {offset} does not match (it says {stated:#010x}, the bytes give {computed:#010x})"
    )]
    PreludeChecksum {
        offset: u64,
        stated: u32,
        computed: u32,
    },
    #[error(
        "the checksum of the message at byte {offset} does not match (it says {stated:#010x}, the bytes give {computed:#010x})"
    )]
    MessageChecksum {
        offset: u64,
        stated: u32,
        computed: u32,
    },
    #[error("the message at byte {offset} {detail}")]
    Length { offset: u64, detail: String },
    #[error("a header of the message at byte {offset} is malformed: {detail}")]
    Header { offset: u64, detail: String },
    #[error("the body ended {missing} bytes short of the end of the message at byte {offset}")]
    Truncated { offset: u64, missing: u64 },
}

/// Incremental event-stream decoder; see the module documentation.
#[derive(Debug)]
pub struct EventStreamDecoder {
    limit: usize,
    /// Bytes not yet consumed, from `buf[pos]` on.
    buf: Vec<u8>,
    pos: usize,
    /// Body offset of `buf[0]`.
    buf_start: u64,
    /// The prelude of the message at `pos` was checked: its total length.
    pending_total: Option<usize>,
    bytes_seen: u64,
    failed: Option<EventStreamError>,
}

impl Default for EventStreamDecoder {
    fn default() -> Self {
        Self::new()
    }
}

fn be32(b: &[u8]) -> u32 {
    u32::from_be_bytes([b[0], b[1], b[2], b[3]])
}

impl EventStreamDecoder {
    /// A decoder bounded by [`DEFAULT_MAX_MESSAGE_BYTES`].
    pub fn new() -> Self {
        Self::with_max_message_bytes(DEFAULT_MAX_MESSAGE_BYTES)
    }

    /// A decoder that refuses a message whose prelude announces more than
    /// `limit` bytes, before any of them are buffered.
    pub fn with_max_message_bytes(limit: usize) -> Self {
        EventStreamDecoder {
            limit,
            buf: Vec::new(),
            pos: 0,
            buf_start: 0,
            pending_total: None,
            bytes_seen: 0,
            failed: None,
        }
    }

    /// The number of body bytes fed so far.
    pub fn bytes_seen(&self) -> u64 {
        self.bytes_seen
    }

    /// Feed one chunk as it arrived; complete messages are appended to
    /// `out`. On error, the messages completed before the fault have
    /// already been appended.
    pub fn push(&mut self, chunk: &[u8], out: &mut Vec<Message>) -> Result<(), EventStreamError> {
        if let Some(e) = &self.failed {
            return Err(e.clone());
        }
        self.bytes_seen += chunk.len() as u64;
        self.buf.extend_from_slice(chunk);
        let result = self.drain(out);
        // Drop what was consumed, keeping the partial message.
        self.buf.drain(..self.pos);
        self.buf_start += self.pos as u64;
        self.pos = 0;
        if let Err(e) = &result {
            self.failed = Some(e.clone());
        }
        result
    }

    /// End of body: a message cut short is an error.
    pub fn finish(&mut self) -> Result<(), EventStreamError> {
        if let Some(e) = &self.failed {
            return Err(e.clone());
        }
        let left = self.buf.len() - self.pos;
        if left == 0 {
            return Ok(());
        }
        let offset = self.buf_start + self.pos as u64;
        let wanted = self.pending_total.unwrap_or(PRELUDE_BYTES);
        let e = EventStreamError::Truncated {
            offset,
            missing: (wanted - left) as u64,
        };
        self.failed = Some(e.clone());
        Err(e)
    }

    fn drain(&mut self, out: &mut Vec<Message>) -> Result<(), EventStreamError> {
        loop {
            let offset = self.buf_start + self.pos as u64;
            let avail = &self.buf[self.pos..];
            let total = match self.pending_total {
                Some(t) => t,
                None if avail.len() < PRELUDE_BYTES => return Ok(()),
                None => {
                    let t = self.check_prelude(&avail[..PRELUDE_BYTES], offset)?;
                    self.pending_total = Some(t);
                    t
                }
            };
            if avail.len() < total {
                return Ok(());
            }
            out.push(parse_message(&avail[..total], offset)?);
            self.pos += total;
            self.pending_total = None;
            if self.pos > COMPACT_AFTER {
                self.buf.drain(..self.pos);
                self.buf_start += self.pos as u64;
                self.pos = 0;
            }
        }
    }

    /// Check a prelude: its CRC, and lengths that can frame a message.
    fn check_prelude(&self, prelude: &[u8], offset: u64) -> Result<usize, EventStreamError> {
        let stated = be32(&prelude[8..12]);
        let computed = crc32fast::hash(&prelude[..8]);
        if stated != computed {
            return Err(EventStreamError::PreludeChecksum {
                offset,
                stated,
                computed,
            });
        }
        let total = be32(&prelude[0..4]) as usize;
        let headers = be32(&prelude[4..8]) as usize;
        let length = |detail: String| Err(EventStreamError::Length { offset, detail });
        if total < FRAMING_BYTES {
            return length(format!(
                "says it is {total} bytes long, less than its {FRAMING_BYTES} bytes of framing"
            ));
        }
        if total > self.limit {
            return length(format!(
                "says it is {total} bytes long, more than the {} bytes allowed",
                self.limit
            ));
        }
        if headers > total - FRAMING_BYTES {
            return length(format!(
                "says its headers are {headers} bytes long, more than its {total} bytes hold"
            ));
        }
        Ok(total)
    }
}

/// Check the message CRC of a whole message and read its headers and
/// payload.
fn parse_message(bytes: &[u8], offset: u64) -> Result<Message, EventStreamError> {
    let total = bytes.len();
    let stated = be32(&bytes[total - 4..]);
    let computed = crc32fast::hash(&bytes[..total - 4]);
    if stated != computed {
        return Err(EventStreamError::MessageChecksum {
            offset,
            stated,
            computed,
        });
    }
    let headers_len = be32(&bytes[4..8]) as usize;
    let headers = parse_headers(&bytes[PRELUDE_BYTES..PRELUDE_BYTES + headers_len])
        .map_err(|detail| EventStreamError::Header { offset, detail })?;
    Ok(Message {
        headers,
        payload: bytes[PRELUDE_BYTES + headers_len..total - 4].to_vec(),
    })
}

/// A cursor over header bytes.
struct Reader<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize, what: &str) -> Result<&'a [u8], String> {
        let end = self.at + n;
        let got = self.bytes.get(self.at..end).ok_or_else(|| {
            format!(
                "{what} needs {n} bytes at header byte {}, but only {} remain",
                self.at,
                self.bytes.len() - self.at
            )
        })?;
        self.at = end;
        Ok(got)
    }

    fn array<const N: usize>(&mut self, what: &str) -> Result<[u8; N], String> {
        let mut out = [0u8; N];
        out.copy_from_slice(self.take(N, what)?);
        Ok(out)
    }

    fn text(&mut self, n: usize, what: &str) -> Result<String, String> {
        let bytes = self.take(n, what)?;
        String::from_utf8(bytes.to_vec()).map_err(|_| format!("{what} is not UTF-8"))
    }
}

fn parse_headers(bytes: &[u8]) -> Result<Vec<(String, HeaderValue)>, String> {
    let mut r = Reader { bytes, at: 0 };
    let mut out = Vec::new();
    while r.at < bytes.len() {
        let [name_len] = r.array::<1>("a header name length")?;
        if name_len == 0 {
            return Err("a header has an empty name".to_string());
        }
        let name = r.text(usize::from(name_len), "a header name")?;
        let [kind] = r.array::<1>("a header type")?;
        let value = match kind {
            0 => HeaderValue::Bool(true),
            1 => HeaderValue::Bool(false),
            2 => HeaderValue::Byte(i8::from_be_bytes(r.array::<1>(&name)?)),
            3 => HeaderValue::Int16(i16::from_be_bytes(r.array::<2>(&name)?)),
            4 => HeaderValue::Int32(i32::from_be_bytes(r.array::<4>(&name)?)),
            5 => HeaderValue::Int64(i64::from_be_bytes(r.array::<8>(&name)?)),
            6 | 7 => {
                let len = usize::from(u16::from_be_bytes(r.array::<2>(&name)?));
                if kind == 6 {
                    HeaderValue::Bytes(r.take(len, &name)?.to_vec())
                } else {
                    HeaderValue::String(r.text(len, &name)?)
                }
            }
            8 => HeaderValue::Timestamp(i64::from_be_bytes(r.array::<8>(&name)?)),
            9 => HeaderValue::Uuid(r.array::<16>(&name)?),
            other => return Err(format!("header {name} has the unknown type {other}")),
        };
        out.push((name, value));
    }
    Ok(out)
}

/// Encode one message, for the tests here (the fake gateway has its own), and the
/// reference for what [`EventStreamDecoder`] reads. Only string headers.
#[cfg(test)]
pub fn encode(headers: &[(&str, &str)], payload: &[u8]) -> Vec<u8> {
    let mut h = Vec::new();
    for (name, value) in headers {
        h.push(name.len() as u8);
        h.extend_from_slice(name.as_bytes());
        h.push(7);
        h.extend_from_slice(&(value.len() as u16).to_be_bytes());
        h.extend_from_slice(value.as_bytes());
    }
    let total = (FRAMING_BYTES + h.len() + payload.len()) as u32;
    let mut out = Vec::with_capacity(total as usize);
    out.extend_from_slice(&total.to_be_bytes());
    out.extend_from_slice(&(h.len() as u32).to_be_bytes());
    let prelude_crc = crc32fast::hash(&out);
    out.extend_from_slice(&prelude_crc.to_be_bytes());
    out.extend_from_slice(&h);
    out.extend_from_slice(payload);
    let crc = crc32fast::hash(&out);
    out.extend_from_slice(&crc.to_be_bytes());
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::PathBuf;

    fn fixture(name: &str) -> Vec<u8> {
        let p = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/eventstream")
            .join(name);
        std::fs::read(&p).unwrap_or_else(|e| {
            panic!(
                "cannot read the recorded fixture {} ({e}); see tests/fixtures/eventstream/README.md",
                p.display()
            )
        })
    }

    fn decode<'a>(
        chunks: impl IntoIterator<Item = &'a [u8]>,
    ) -> (Vec<Message>, Result<(), EventStreamError>) {
        let mut d = EventStreamDecoder::new();
        let mut out = Vec::new();
        for c in chunks {
            if let Err(e) = d.push(c, &mut out) {
                return (out, Err(e));
            }
        }
        let end = d.finish();
        (out, end)
    }

    /// The messages of `input` whole; asserts that splitting it in two at
    /// every offset, in three around every offset, and byte by byte give the
    /// same messages and the same outcome.
    fn every_split(input: &[u8]) -> (Vec<Message>, Result<(), EventStreamError>) {
        let whole = decode([input]);
        for at in 0..=input.len() {
            let (a, b) = input.split_at(at);
            assert_eq!(decode([a, b]), whole, "split at byte {at}");
            if at + 3 <= input.len() {
                let (b, c) = b.split_at(3);
                assert_eq!(decode([a, b, c]), whole, "split at {at} and {}", at + 3);
            }
        }
        assert_eq!(decode(input.chunks(1)), whole, "byte by byte");
        whole
    }

    #[test]
    fn the_recorded_bedrock_stream_at_every_split() {
        let f = fixture("bedrock-claude-3-sonnet.bin");
        let (messages, end) = every_split(&f);
        end.unwrap();
        assert_eq!(messages.len(), 23);
        for m in &messages {
            assert_eq!(m.header_str(":message-type"), Some("event"));
            assert_eq!(m.header_str(":event-type"), Some("chunk"));
            assert_eq!(m.header_str(":content-type"), Some("application/json"));
            assert!(m.payload.starts_with(b"{\"bytes\":\""), "{:?}", m.payload);
        }
    }

    #[test]
    fn every_header_type_round_trips() {
        let mut h = Vec::new();
        let mut push = |name: &str, kind: u8, value: &[u8]| {
            h.push(name.len() as u8);
            h.extend_from_slice(name.as_bytes());
            h.push(kind);
            h.extend_from_slice(value);
        };
        push("t", 0, &[]);
        push("f", 1, &[]);
        push("b", 2, &[0xff]);
        push("s", 3, &(-2i16).to_be_bytes());
        push("i", 4, &7i32.to_be_bytes());
        push("l", 5, &(-9i64).to_be_bytes());
        push("y", 6, &[0, 2, 0xde, 0xad]);
        push("str", 7, &[0, 3, b'a', b'b', b'c']);
        push("ts", 8, &1_700_000_000_000i64.to_be_bytes());
        push("u", 9, &[7; 16]);
        let total = (16 + h.len() + 2) as u32;
        let mut m = total.to_be_bytes().to_vec();
        m.extend_from_slice(&(h.len() as u32).to_be_bytes());
        let c = crc32fast::hash(&m);
        m.extend_from_slice(&c.to_be_bytes());
        m.extend_from_slice(&h);
        m.extend_from_slice(b"{}");
        let c = crc32fast::hash(&m);
        m.extend_from_slice(&c.to_be_bytes());
        let (messages, end) = every_split(&m);
        end.unwrap();
        let values: Vec<&HeaderValue> = messages[0].headers.iter().map(|(_, v)| v).collect();
        assert_eq!(
            values,
            [
                &HeaderValue::Bool(true),
                &HeaderValue::Bool(false),
                &HeaderValue::Byte(-1),
                &HeaderValue::Int16(-2),
                &HeaderValue::Int32(7),
                &HeaderValue::Int64(-9),
                &HeaderValue::Bytes(vec![0xde, 0xad]),
                &HeaderValue::String("abc".into()),
                &HeaderValue::Timestamp(1_700_000_000_000),
                &HeaderValue::Uuid([7; 16]),
            ]
        );
        assert_eq!(messages[0].payload, b"{}");
        // No headers and no payload: the smallest message.
        let (messages, end) = decode([encode(&[], b"").as_slice()]);
        end.unwrap();
        assert_eq!(
            messages[0],
            Message {
                headers: vec![],
                payload: vec![]
            }
        );
    }

    #[test]
    fn a_bad_message_checksum_keeps_the_messages_before_it() {
        let mut f = fixture("bedrock-claude-3-sonnet.bin");
        // The third message starts after two whose lengths the preludes give.
        let first = be32(&f[0..4]) as usize;
        let second = be32(&f[first..first + 4]) as usize;
        let third = first + second;
        f[third + 40] ^= 0x01; // a header byte of the third message
        let (messages, end) = every_split(&f);
        assert_eq!(messages.len(), 2);
        match end {
            Err(EventStreamError::MessageChecksum { offset, .. }) => {
                assert_eq!(offset, third as u64);
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn a_bad_prelude_fails_before_the_message_arrives() {
        let f = fixture("bedrock-claude-3-sonnet.bin");
        let mut bad = f.clone();
        bad[0] = 0x7f; // an absurd length, as a corrupted byte would give
        let mut d = EventStreamDecoder::new();
        let mut out = Vec::new();
        let err = d.push(&bad[..12], &mut out).unwrap_err();
        assert!(
            matches!(err, EventStreamError::PreludeChecksum { offset: 0, .. }),
            "{err:?}"
        );
        assert!(err.to_string().contains("at byte 0"), "{err}");
        // The same error from then on.
        assert_eq!(d.push(&bad[12..], &mut out).unwrap_err(), err);
        assert_eq!(d.finish().unwrap_err(), err);
    }

    #[test]
    fn lengths_that_cannot_frame_a_message_are_refused() {
        let prelude = |total: u32, headers: u32| {
            let mut p = total.to_be_bytes().to_vec();
            p.extend_from_slice(&headers.to_be_bytes());
            let c = crc32fast::hash(&p);
            p.extend_from_slice(&c.to_be_bytes());
            p
        };
        for (total, headers, says) in [
            (15, 0, "less than its 16 bytes of framing"),
            (u32::MAX, 0, "more than the"),
            (20, 5, "headers are 5 bytes long"),
        ] {
            let mut d = EventStreamDecoder::new();
            let err = d
                .push(&prelude(total, headers), &mut Vec::new())
                .unwrap_err();
            assert!(matches!(err, EventStreamError::Length { .. }), "{err:?}");
            assert!(err.to_string().contains(says), "{err}");
        }
        let mut d = EventStreamDecoder::with_max_message_bytes(64);
        let err = d
            .push(&encode(&[], &[b'x'; 100]), &mut Vec::new())
            .unwrap_err();
        assert!(
            err.to_string().contains("more than the 64 bytes allowed"),
            "{err}"
        );
    }

    #[test]
    fn malformed_headers_and_cut_bodies() {
        // A header whose string runs past the headers' end, framed with
        // valid checksums.
        let mut h = vec![3];
        h.extend_from_slice(b"abc");
        h.push(7);
        h.extend_from_slice(&[0, 9, b'x']);
        let total = (16 + h.len()) as u32;
        let mut m = total.to_be_bytes().to_vec();
        m.extend_from_slice(&(h.len() as u32).to_be_bytes());
        let c = crc32fast::hash(&m);
        m.extend_from_slice(&c.to_be_bytes());
        m.extend_from_slice(&h);
        let c = crc32fast::hash(&m);
        m.extend_from_slice(&c.to_be_bytes());
        let (_, end) = decode([m.as_slice()]);
        let err = end.unwrap_err();
        assert!(
            matches!(err, EventStreamError::Header { offset: 0, .. }),
            "{err:?}"
        );
        assert!(err.to_string().contains("abc needs 9 bytes"), "{err}");

        let whole = encode(&[(":message-type", "event")], b"{}");
        let (_, end) = decode([&whole[..whole.len() - 5]]);
        assert_eq!(
            end.unwrap_err(),
            EventStreamError::Truncated {
                offset: 0,
                missing: 5
            }
        );
        let (_, end) = decode([&whole[..5]]);
        assert_eq!(
            end.unwrap_err(),
            EventStreamError::Truncated {
                offset: 0,
                missing: 7
            }
        );
    }

    #[test]
    #[ignore = "benchmark: cargo test --release --lib eventstream::tests::throughput_10mb -- --ignored --nocapture"]
    fn throughput_10mb() {
        let f = fixture("bedrock-claude-3-sonnet.bin");
        let mut body = Vec::new();
        while body.len() < 10_000_000 {
            body.extend_from_slice(&f);
        }
        let mut best = f64::MAX;
        let mut n = 0;
        for _ in 0..5 {
            let start = std::time::Instant::now();
            let mut d = EventStreamDecoder::new();
            let mut out = Vec::new();
            n = 0;
            for chunk in body.chunks(8192) {
                d.push(chunk, &mut out).unwrap();
                n += out.len();
                out.clear();
            }
            d.finish().unwrap();
            best = best.min(start.elapsed().as_secs_f64());
        }
        let mb = body.len() as f64 / 1e6;
        println!(
            "event-stream decode: {mb:.1} MB in {:.2} ms = {:.0} MB/s ({n} messages, 8 KiB chunks, best of 5)",
            best * 1e3,
            mb / best
        );
    }

    #[test]
    fn offsets_count_from_the_start_of_the_body() {
        let a = encode(&[(":message-type", "event")], b"one");
        let mut b = encode(&[(":message-type", "event")], b"two");
        let at = b.len() - 1;
        b[at] ^= 0xff;
        let mut body = a.clone();
        body.extend_from_slice(&b);
        let (messages, end) = every_split(&body);
        assert_eq!(messages.len(), 1);
        assert!(
            matches!(end, Err(EventStreamError::MessageChecksum { offset, .. }) if offset == a.len() as u64)
        );
    }
}
