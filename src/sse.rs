//! Incremental decoder for `text/event-stream` bodies (Server-Sent Events).
//!
//! It follows the "event stream interpretation" rules of the WHATWG HTML
//! standard, with three deliberate differences that matter for LLM streaming:
//!
//! * the stream must be valid UTF-8: an invalid byte is reported as
//!   [`SseError::InvalidUtf8`] with its absolute offset instead of being
//!   replaced by U+FFFD;
//! * the bytes buffered for one event are bounded ([`SseError::EventTooLarge`]);
//! * at end of body a pending event that has data is still dispatched (see
//!   [`SseDecoder::finish`]).
//!
//! The decoder is fed network chunks as they arrive. Chunks may split lines,
//! multi-byte characters and even a CRLF pair anywhere; the output does not
//! depend on where the splits fall.

use std::mem;

/// Default bound on the bytes buffered for one event (16 MiB).
pub const DEFAULT_MAX_EVENT_BYTES: usize = 16 * 1024 * 1024;

/// The UTF-8 byte order mark, skipped once at the start of the stream.
const BOM: &[u8] = b"\xEF\xBB\xBF";

/// A data buffer with more capacity than this is shrunk after dispatch, so a
/// single huge event does not pin its memory for the rest of the stream.
const DATA_CAPACITY_KEPT: usize = 64 * 1024;

/// One dispatched server-sent event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SseEvent {
    /// The `event:` field, or `"message"` when the event had none (or an empty one).
    pub event: String,
    /// The `data:` lines joined with `"\n"` (the final newline removed).
    pub data: String,
    /// The last event ID in effect when this event was dispatched. `id:`
    /// persists across events; an empty `id:` resets it to `None`, and an
    /// `id:` whose value contains U+0000 is ignored.
    pub id: Option<String>,
    /// The reconnection time (milliseconds) most recently set by a `retry:`
    /// field made only of ASCII digits; persists across events like `id`.
    /// A value too large for `u64` is ignored.
    pub retry: Option<u64>,
}

/// Why an event stream could not be decoded. Once [`SseDecoder::push`] or
/// [`SseDecoder::finish`] has returned an error, every later call returns the
/// same error.
#[derive(Debug, Clone, thiserror::Error, PartialEq, Eq)]
pub enum SseError {
    #[error(
        "a server-sent event exceeded {limit} bytes; the stream is not valid SSE or the event is too large"
    )]
    EventTooLarge { limit: usize },
    #[error("the event stream is not valid UTF-8 at byte {offset}")]
    InvalidUtf8 { offset: u64 },
}

/// Incremental SSE decoder; see the module documentation.
#[derive(Debug)]
pub struct SseDecoder {
    limit: usize,
    /// Bytes of a line whose terminator has not arrived yet (never contains CR or LF).
    pending: Vec<u8>,
    /// Stream offset of `pending[0]`.
    pending_start: u64,
    /// The data buffer: each `data:` value followed by `'\n'`.
    data: String,
    /// The event type buffer (empty means `"message"`).
    event_type: String,
    last_id: Option<String>,
    retry: Option<u64>,
    /// The previous chunk ended with CR: an LF at the start of the next chunk
    /// belongs to the same line ending.
    skip_lf: bool,
    /// No line has been completed yet, so the first one may start with a BOM.
    at_start: bool,
    bytes_seen: u64,
    failed: Option<SseError>,
}

impl Default for SseDecoder {
    fn default() -> Self {
        Self::new()
    }
}

impl SseDecoder {
    /// A decoder bounded by [`DEFAULT_MAX_EVENT_BYTES`].
    pub fn new() -> Self {
        Self::with_max_event_bytes(DEFAULT_MAX_EVENT_BYTES)
    }

    /// A decoder that fails with [`SseError::EventTooLarge`] when the bytes
    /// buffered for one event (the line being read, the data buffer and the
    /// event type buffer, line terminators excluded) exceed `limit`.
    pub fn with_max_event_bytes(limit: usize) -> Self {
        Self {
            limit,
            pending: Vec::new(),
            pending_start: 0,
            data: String::new(),
            event_type: String::new(),
            last_id: None,
            retry: None,
            skip_lf: false,
            at_start: true,
            bytes_seen: 0,
            failed: None,
        }
    }

    /// Feed one chunk of bytes as it arrived from the network; complete events are appended to `out`.
    ///
    /// On error, the events completed before the offending line have already
    /// been appended to `out`.
    pub fn push(&mut self, chunk: &[u8], out: &mut Vec<SseEvent>) -> Result<(), SseError> {
        if let Some(err) = &self.failed {
            return Err(err.clone());
        }
        let base = self.bytes_seen;
        self.bytes_seen += chunk.len() as u64;
        let result = self.push_inner(chunk, base, out);
        if let Err(err) = &result {
            self.failed = Some(err.clone());
        }
        result
    }

    /// End of body.
    ///
    /// Leniency: the WHATWG algorithm discards an event that is not followed
    /// by a blank line at end of file. Real servers end bodies right after the
    /// last `data:` line (Gemini after a single CRLF, Anthropic's recorded
    /// transcripts with no line terminator at all), so here an unterminated
    /// final line is still interpreted as a line, and the pending event is
    /// dispatched if its data buffer is not empty. An event with no data is
    /// dropped, as at any other dispatch.
    pub fn finish(&mut self, out: &mut Vec<SseEvent>) -> Result<(), SseError> {
        if let Some(err) = &self.failed {
            return Err(err.clone());
        }
        self.skip_lf = false;
        if !self.pending.is_empty() {
            let line = mem::take(&mut self.pending);
            let result = self.line(&line, self.pending_start, out);
            self.pending = line;
            self.pending.clear();
            if let Err(err) = &result {
                self.failed = Some(err.clone());
                return result;
            }
        }
        self.dispatch(out);
        Ok(())
    }

    /// Total number of bytes passed to [`push`](Self::push) so far.
    pub fn bytes_seen(&self) -> u64 {
        self.bytes_seen
    }

    fn push_inner(
        &mut self,
        chunk: &[u8],
        base: u64,
        out: &mut Vec<SseEvent>,
    ) -> Result<(), SseError> {
        let mut pos = 0;
        if self.skip_lf && !chunk.is_empty() {
            self.skip_lf = false;
            if chunk[0] == b'\n' {
                pos = 1;
            }
        }
        while pos < chunk.len() {
            let rest = &chunk[pos..];
            let Some(end) = find_line_end(rest) else {
                // No terminator in the rest of the chunk: keep it for later.
                if self.pending.is_empty() {
                    self.pending_start = base + pos as u64;
                }
                self.check_size(self.pending.len() + rest.len())?;
                self.pending.extend_from_slice(rest);
                break;
            };
            if self.pending.is_empty() {
                // Fast path: the whole line is inside this chunk; no copy.
                self.line(&rest[..end], base + pos as u64, out)?;
            } else {
                let mut line = mem::take(&mut self.pending);
                line.extend_from_slice(&rest[..end]);
                let result = self.line(&line, self.pending_start, out);
                line.clear();
                self.pending = line;
                result?;
            }
            let terminator = rest[end];
            pos += end + 1;
            if terminator == b'\r' {
                match chunk.get(pos) {
                    Some(b'\n') => pos += 1,
                    Some(_) => {}
                    None => self.skip_lf = true,
                }
            }
        }
        Ok(())
    }

    /// Fail if `line_len` more bytes on top of the current event's buffers
    /// would exceed the limit.
    fn check_size(&self, line_len: usize) -> Result<(), SseError> {
        let buffered = line_len
            .saturating_add(self.data.len())
            .saturating_add(self.event_type.len());
        if buffered > self.limit {
            return Err(SseError::EventTooLarge { limit: self.limit });
        }
        Ok(())
    }

    /// Interpret one complete line (terminator excluded) that starts at
    /// stream offset `start`.
    fn line(&mut self, raw: &[u8], start: u64, out: &mut Vec<SseEvent>) -> Result<(), SseError> {
        // Checked on the raw length so the result is the same as the check
        // done while the line was still pending.
        self.check_size(raw.len())?;
        let mut bytes = raw;
        let mut start = start;
        if self.at_start {
            self.at_start = false;
            if let Some(stripped) = bytes.strip_prefix(BOM) {
                bytes = stripped;
                start += BOM.len() as u64;
            }
        }
        if bytes.is_empty() {
            self.dispatch(out);
            return Ok(());
        }
        // CR and LF are ASCII and never occur inside a multi-byte sequence, so
        // validating whole lines is exact, and the first error found is the
        // first invalid byte of the stream.
        let text = std::str::from_utf8(bytes).map_err(|err| SseError::InvalidUtf8 {
            offset: start + err.valid_up_to() as u64,
        })?;
        if text.starts_with(':') {
            return Ok(()); // comment, e.g. a keep-alive
        }
        let (field, value) = match text.split_once(':') {
            Some((field, value)) => (field, value.strip_prefix(' ').unwrap_or(value)),
            None => (text, ""),
        };
        match field {
            "data" => {
                self.data.push_str(value);
                self.data.push('\n');
            }
            "event" => {
                self.event_type.clear();
                self.event_type.push_str(value);
            }
            // An id containing U+0000 is ignored (falls through to `_`).
            "id" if !value.contains('\0') => {
                self.last_id = (!value.is_empty()).then(|| value.to_owned());
            }
            // Only ASCII digits; a value that overflows u64 is ignored too.
            "retry" if !value.is_empty() && value.bytes().all(|b| b.is_ascii_digit()) => {
                if let Ok(millis) = value.parse::<u64>() {
                    self.retry = Some(millis);
                }
            }
            _ => {}
        }
        Ok(())
    }

    /// A blank line (or end of body): dispatch the event if it has data, and
    /// reset the per-event buffers.
    fn dispatch(&mut self, out: &mut Vec<SseEvent>) {
        if self.data.is_empty() {
            self.event_type.clear();
            return;
        }
        if self.data.ends_with('\n') {
            self.data.pop();
        }
        let event = if self.event_type.is_empty() {
            String::from("message")
        } else {
            mem::take(&mut self.event_type)
        };
        // Copy to an exact-size string and keep the buffer's capacity for the
        // next event.
        let data = String::from(self.data.as_str());
        self.data.clear();
        if self.data.capacity() > DATA_CAPACITY_KEPT {
            self.data.shrink_to(DATA_CAPACITY_KEPT);
        }
        out.push(SseEvent {
            event,
            data,
            id: self.last_id.clone(),
            retry: self.retry,
        });
    }
}

/// Index of the first CR or LF in `hay`.
///
/// Scans eight bytes at a time: a byte of `x ^ splat(b)` is zero exactly where
/// `x` has `b`, and `(v - 0x01..) & !v & 0x80..` flags zero bytes (the lowest
/// flag is always exact, which is all that is needed for the first match).
pub(crate) fn find_line_end(hay: &[u8]) -> Option<usize> {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGHS: u64 = 0x8080_8080_8080_8080;
    const LF: u64 = ONES * b'\n' as u64;
    const CR: u64 = ONES * b'\r' as u64;
    let (words, tail) = hay.as_chunks::<8>();
    for (i, word) in words.iter().enumerate() {
        let x = u64::from_le_bytes(*word);
        let lf = x ^ LF;
        let cr = x ^ CR;
        let found = ((lf.wrapping_sub(ONES) & !lf) | (cr.wrapping_sub(ONES) & !cr)) & HIGHS;
        if found != 0 {
            return Some(i * 8 + (found.trailing_zeros() / 8) as usize);
        }
    }
    tail.iter()
        .position(|&b| b == b'\n' || b == b'\r')
        .map(|p| words.len() * 8 + p)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::{Path, PathBuf};

    // ---------- helpers ----------

    fn decode_chunks<'a>(
        chunks: impl IntoIterator<Item = &'a [u8]>,
        limit: usize,
    ) -> Result<Vec<SseEvent>, SseError> {
        let mut decoder = SseDecoder::with_max_event_bytes(limit);
        let mut out = Vec::new();
        let mut total = 0u64;
        for chunk in chunks {
            total += chunk.len() as u64;
            decoder.push(chunk, &mut out)?;
        }
        assert_eq!(decoder.bytes_seen(), total);
        decoder.finish(&mut out)?;
        Ok(out)
    }

    struct XorShift(u64);

    impl XorShift {
        fn next(&mut self) -> u64 {
            let mut x = self.0;
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            self.0 = x;
            x
        }

        fn below(&mut self, n: usize) -> usize {
            (self.next() % n as u64) as usize
        }
    }

    /// Random partition of `input` into chunks (some of them empty).
    fn random_partition<'a>(
        input: &'a [u8],
        rng: &mut XorShift,
        max_chunk: usize,
    ) -> Vec<&'a [u8]> {
        let mut chunks = Vec::new();
        let mut pos = 0;
        while pos < input.len() {
            let len = rng.below(max_chunk + 1).min(input.len() - pos);
            chunks.push(&input[pos..pos + len]);
            pos += len;
        }
        chunks
    }

    /// Decode `input` in one chunk, split in two at every offset, one byte at
    /// a time, and in random partitions; all must give the same result, which
    /// is returned.
    fn decode_every_way(input: &[u8], limit: usize) -> Result<Vec<SseEvent>, SseError> {
        let whole = decode_chunks([input], limit);
        for split in 0..=input.len() {
            let (a, b) = input.split_at(split);
            assert_eq!(
                decode_chunks([a, b], limit),
                whole,
                "split at byte {split} changed the result"
            );
        }
        let bytes = input.chunks(1).collect::<Vec<_>>();
        assert_eq!(
            decode_chunks(bytes, limit),
            whole,
            "byte-at-a-time changed the result"
        );
        let mut rng = XorShift(0x9E37_79B9_7F4A_7C15 ^ input.len() as u64);
        for round in 0..20 {
            let max_chunk = [3, 7, 16, 64, 500][round % 5];
            let chunks = random_partition(input, &mut rng, max_chunk);
            assert_eq!(
                decode_chunks(chunks.iter().copied(), limit),
                whole,
                "random partition (round {round}) changed the result"
            );
        }
        whole
    }

    fn all_ways(input: &[u8]) -> Vec<SseEvent> {
        decode_every_way(input, DEFAULT_MAX_EVENT_BYTES).expect("valid stream")
    }

    fn message(data: &str) -> SseEvent {
        SseEvent {
            event: "message".into(),
            data: data.into(),
            id: None,
            retry: None,
        }
    }

    fn named(event: &str, data: &str) -> SseEvent {
        SseEvent {
            event: event.into(),
            data: data.into(),
            id: None,
            retry: None,
        }
    }

    // ---------- hand-written transcripts (docs/helicone.md §6) ----------

    const OPENAI: &str = concat!(
        "data: {\"id\":\"chatcmpl-CDYH\",\"object\":\"chat.completion.chunk\",\"created\":1757346066,\"model\":\"gpt-4o-2024-08-06\",\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"\",\"refusal\":null},\"logprobs\":null,\"finish_reason\":null}],\"usage\":null}\n",
        "\n",
        ": keep-alive\n",
        "\n",
        "data: {\"id\":\"chatcmpl-CDYH\",\"object\":\"chat.completion.chunk\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"héllo wörld 日本語 🎉\"},\"logprobs\":null,\"finish_reason\":null}],\"usage\":null}\n",
        "\n",
        "data: {\"id\":\"chatcmpl-CDYH\",\"choices\":[{\"index\":0,\"delta\":{},\"logprobs\":null,\"finish_reason\":\"stop\"}],\"usage\":null}\n",
        "\n",
        "data: {\"id\":\"chatcmpl-CDYH\",\"choices\":[],\"usage\":{\"prompt_tokens\":1248,\"completion_tokens\":10,\"total_tokens\":1258}}\n",
        "\n",
        "data: [DONE]\n",
        "\n",
    );

    #[test]
    fn openai_transcript() {
        let events = all_ways(OPENAI.as_bytes());
        assert_eq!(events.len(), 5);
        assert!(
            events
                .iter()
                .all(|e| e.event == "message" && e.id.is_none())
        );
        let json: Vec<serde_json::Value> = events[..4]
            .iter()
            .map(|e| serde_json::from_str(&e.data).unwrap())
            .collect();
        assert_eq!(json[0]["choices"][0]["delta"]["role"], "assistant");
        assert_eq!(
            json[1]["choices"][0]["delta"]["content"],
            "héllo wörld 日本語 🎉"
        );
        assert_eq!(json[2]["choices"][0]["finish_reason"], "stop");
        assert_eq!(json[3]["choices"], serde_json::json!([]));
        assert_eq!(json[3]["usage"]["total_tokens"], 1258);
        assert_eq!(events[4], message("[DONE]"));
    }

    const ANTHROPIC: &str = concat!(
        "event: message_start\n",
        "data: {\"type\":\"message_start\",\"message\":{\"id\":\"msg_018nz\",\"type\":\"message\",\"role\":\"assistant\",\"model\":\"claude-3-5-haiku-20241022\",\"content\":[],\"stop_reason\":null,\"stop_sequence\":null,\"usage\":{\"input_tokens\":338,\"output_tokens\":1}}}\n",
        "\n",
        "event: content_block_start\n",
        "data: {\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"text\",\"text\":\"\"}}\n",
        "\n",
        "event: ping\n",
        "data: {\"type\": \"ping\"}\n",
        "\n",
        "event: content_block_delta\n",
        "data: {\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\" héllo 日本語 🎉\"}}\n",
        "\n",
        "event: error\n",
        "data: {\"type\": \"error\", \"error\": {\"type\": \"overloaded_error\", \"message\": \"Overloaded\"}}\n",
        "\n",
    );

    #[test]
    fn anthropic_transcript() {
        let events = all_ways(ANTHROPIC.as_bytes());
        let names: Vec<&str> = events.iter().map(|e| e.event.as_str()).collect();
        assert_eq!(
            names,
            [
                "message_start",
                "content_block_start",
                "ping",
                "content_block_delta",
                "error"
            ]
        );
        for event in &events {
            let json: serde_json::Value = serde_json::from_str(&event.data).unwrap();
            assert_eq!(json["type"], event.event.as_str());
        }
        assert!(events[3].data.contains(" héllo 日本語 🎉"));
        assert_eq!(
            events[4].data,
            r#"{"type": "error", "error": {"type": "overloaded_error", "message": "Overloaded"}}"#
        );
    }

    const GEMINI_CRLF: &str = concat!(
        "data: {\"candidates\": [{\"content\": {\"parts\": [{\"text\": \"In the quaint, sunlit cottage\"}],\"role\": \"model\"},\"finishReason\": \"STOP\",\"index\": 0}]}\r\n",
        "\r\n",
        "data: {\"candidates\": [{\"content\": {\"parts\": [{\"text\": \" wörld 日本語 🎉\"}],\"role\": \"model\"},\"finishReason\": \"STOP\",\"index\": 0}]}\r\n",
        "\r\n",
        "data: {\"candidates\":[{\"content\":{\"parts\":[{\"text\":\" world\"}]},\"finishReason\":\"STOP\"}],\"usageMetadata\":{\"promptTokenCount\":5,\"candidatesTokenCount\":3,\"totalTokenCount\":8}}\r\n",
        "\r\n",
    );

    #[test]
    fn gemini_crlf_transcript() {
        let events = all_ways(GEMINI_CRLF.as_bytes());
        assert_eq!(events.len(), 3);
        let json: Vec<serde_json::Value> = events
            .iter()
            .map(|e| {
                assert_eq!(e.event, "message");
                assert!(!e.data.contains('\r'));
                serde_json::from_str(&e.data).unwrap()
            })
            .collect();
        assert_eq!(
            json[1]["candidates"][0]["content"]["parts"][0]["text"],
            " wörld 日本語 🎉"
        );
        assert_eq!(json[2]["usageMetadata"]["totalTokenCount"], 8);
    }

    #[test]
    fn gemini_body_ends_after_single_newline() {
        // No blank line after the last event: dispatched at finish (leniency).
        let input = b"data: {\"a\":1}\r\n\r\ndata: {\"b\":2}\r\n";
        assert_eq!(
            all_ways(input),
            [message("{\"a\":1}"), message("{\"b\":2}")]
        );
        // Not even a line terminator.
        assert_eq!(
            all_ways(b"event: message_stop\ndata: {}"),
            [named("message_stop", "{}")]
        );
        // A pending event without data is still dropped.
        assert_eq!(all_ways(b"data: x\n\nevent: ping\n"), [message("x")]);
    }

    #[test]
    fn multi_line_data_comments_and_field_parsing() {
        let input = concat!(
            ": keep-alive\n",
            ":\n",
            "data: line one\n",
            "data:line two\n",
            "data:  two spaces\n",
            "data\n",
            "unknown: ignored\n",
            "data: {\"k\": \"v: w\"}\n",
            "\n",
        );
        assert_eq!(
            all_ways(input.as_bytes()),
            [message(
                "line one\nline two\n two spaces\n\n{\"k\": \"v: w\"}"
            )]
        );
    }

    #[test]
    fn empty_data_field_dispatches_empty_event() {
        assert_eq!(
            all_ways(b"data\n\ndata:\n\ndata: \n\n"),
            [message(""), message(""), message("")]
        );
    }

    #[test]
    fn event_without_data_is_not_dispatched_and_resets_type() {
        let input = b"event: ping\n\ndata: after\n\n";
        assert_eq!(all_ways(input), [message("after")]);
        // An empty event type means "message".
        assert_eq!(all_ways(b"event:\ndata: x\n\n"), [message("x")]);
        // Only comments and blank lines: nothing.
        assert!(all_ways(b": a\n\n\n: b\n\n").is_empty());
    }

    #[test]
    fn cr_only_line_endings() {
        let input = b"event: a\rdata: 1\rdata: 2\r\rdata: 3\r\r";
        assert_eq!(all_ways(input), [named("a", "1\n2"), message("3")]);
    }

    #[test]
    fn mixed_line_endings() {
        let input = b"data: a\r\ndata: b\ndata: c\rdata: d\n\r\ndata: e\r\n\n";
        assert_eq!(all_ways(input), [message("a\nb\nc\nd"), message("e")]);
    }

    #[test]
    fn crlf_split_across_chunks_is_one_line_ending() {
        let mut decoder = SseDecoder::new();
        let mut out = Vec::new();
        decoder.push(b"data: a\r", &mut out).unwrap();
        decoder.push(b"\ndata: b\r", &mut out).unwrap();
        assert!(out.is_empty(), "dispatched early: {out:?}");
        decoder.push(b"\n", &mut out).unwrap();
        assert!(out.is_empty(), "dispatched early: {out:?}");
        decoder.push(b"\r", &mut out).unwrap();
        assert_eq!(out, [message("a\nb")]);
        decoder.push(b"\n", &mut out).unwrap();
        decoder.push(b"", &mut out).unwrap();
        decoder.finish(&mut out).unwrap();
        assert_eq!(out, [message("a\nb")], "an extra event appeared");

        // An empty chunk between CR and LF does not break the pair.
        let mut decoder = SseDecoder::new();
        let mut out = Vec::new();
        for chunk in [&b"data: a\r"[..], b"", b"\n", b"data: b\r\n\r", b"", b"\n"] {
            decoder.push(chunk, &mut out).unwrap();
        }
        decoder.finish(&mut out).unwrap();
        assert_eq!(out, [message("a\nb")]);
    }

    #[test]
    fn cr_cr_is_two_line_endings_across_chunks() {
        let mut decoder = SseDecoder::new();
        let mut out = Vec::new();
        decoder.push(b"data: a\r", &mut out).unwrap();
        decoder.push(b"\r", &mut out).unwrap();
        assert_eq!(out, [message("a")]);
    }

    #[test]
    fn bom_is_skipped_once() {
        let input = b"\xEF\xBB\xBFdata: first\n\ndata: second\n\n";
        assert_eq!(all_ways(input), [message("first"), message("second")]);
        // A BOM-prefixed field name still parses as `data`.
        assert_eq!(all_ways(b"\xEF\xBB\xBFdata\n\n"), [message("")]);
        // Only at the very start: a second BOM is part of the field name,
        // so the line is an unknown field.
        assert!(all_ways(b"\xEF\xBB\xBF\xEF\xBB\xBFdata: x\n\n").is_empty());
        assert!(all_ways(b"\n\xEF\xBB\xBFdata: x\n\n").is_empty());
        // A bare BOM is an empty stream.
        assert!(all_ways(b"\xEF\xBB\xBF").is_empty());
    }

    #[test]
    fn id_and_retry() {
        let input = concat!(
            "id: 1\nretry: 3000\ndata: a\n\n",
            "data: b\n\n",
            "id: 2\0x\nretry: 12ms\nretry: -5\nretry: +5\nretry:\ndata: c\n\n",
            "id\nretry: 99999999999999999999999\ndata: d\n\n",
            "id: 3\n\n",
            "retry: 10\n\n",
            "data: e\n\n",
        );
        let events = all_ways(input.as_bytes());
        let got: Vec<(&str, Option<&str>, Option<u64>)> = events
            .iter()
            .map(|e| (e.data.as_str(), e.id.as_deref(), e.retry))
            .collect();
        assert_eq!(
            got,
            [
                ("a", Some("1"), Some(3000)),
                ("b", Some("1"), Some(3000)),
                ("c", Some("1"), Some(3000)),
                ("d", None, Some(3000)),
                ("e", Some("3"), Some(10)),
            ]
        );
    }

    #[test]
    fn multibyte_characters_split_at_every_offset() {
        let text = "héllo wörld 日本語 🎉";
        let input = format!("data: {text}\n\ndata: {text}\ndata: ☃\n\n");
        assert_eq!(
            all_ways(input.as_bytes()),
            [message(text), message(&format!("{text}\n☃"))]
        );
    }

    // ---------- errors ----------

    #[test]
    fn event_too_large() {
        let big = format!("data: {}\n\n", "x".repeat(100));
        assert_eq!(
            decode_every_way(big.as_bytes(), 64),
            Err(SseError::EventTooLarge { limit: 64 })
        );
        // Many small data lines adding up past the limit.
        let many = "data: 0123456789\n".repeat(10) + "\n";
        let err = decode_every_way(many.as_bytes(), 64);
        assert_eq!(err, Err(SseError::EventTooLarge { limit: 64 }));
        // An endless line without terminator is caught while still pending.
        let mut decoder = SseDecoder::with_max_event_bytes(64);
        let mut out = Vec::new();
        decoder.push(&[b'x'; 40], &mut out).unwrap();
        assert_eq!(
            decoder.push(&[b'x'; 40], &mut out),
            Err(SseError::EventTooLarge { limit: 64 })
        );
        // The decoder stays failed.
        assert_eq!(
            decoder.push(b"\n\n", &mut out),
            Err(SseError::EventTooLarge { limit: 64 })
        );
        assert_eq!(
            decoder.finish(&mut out),
            Err(SseError::EventTooLarge { limit: 64 })
        );
        // Events within the limit pass, and the buffers are per event.
        let ok = "data: 0123456789012345678901234567890123456789\n\n".repeat(5);
        assert_eq!(decode_every_way(ok.as_bytes(), 64).unwrap().len(), 5);
    }

    #[test]
    fn events_before_an_error_are_delivered() {
        let mut decoder = SseDecoder::with_max_event_bytes(64);
        let mut out = Vec::new();
        let input = format!("data: ok\n\ndata: {}\n\n", "y".repeat(80));
        assert_eq!(
            decoder.push(input.as_bytes(), &mut out),
            Err(SseError::EventTooLarge { limit: 64 })
        );
        assert_eq!(out, [message("ok")]);
    }

    #[test]
    fn invalid_utf8_reports_exact_offset() {
        // 0xFF at byte 16 ("data: ok\n\ndata: " is 16 bytes).
        let input = b"data: ok\n\ndata: \xFFabc\n\n";
        assert_eq!(
            decode_every_way(input, DEFAULT_MAX_EVENT_BYTES),
            Err(SseError::InvalidUtf8 { offset: 16 })
        );
        // A truncated 3-byte sequence (E6 97 then ASCII) at byte 9.
        let input = b"data: \xE6\x97\xA5\xE6\x97x\n\n";
        assert_eq!(
            decode_every_way(input, DEFAULT_MAX_EVENT_BYTES),
            Err(SseError::InvalidUtf8 { offset: 9 })
        );
        // After a BOM, in a comment, and in an unterminated last line.
        let input = b"\xEF\xBB\xBF: \xC0\x80\n";
        assert_eq!(
            decode_every_way(input, DEFAULT_MAX_EVENT_BYTES),
            Err(SseError::InvalidUtf8 { offset: 5 })
        );
        let input = b"data: a\n\ndata: \xF0\x9F\x8E";
        assert_eq!(
            decode_every_way(input, DEFAULT_MAX_EVENT_BYTES),
            Err(SseError::InvalidUtf8 { offset: 15 })
        );
        // A lone continuation byte in a line that spans three chunks.
        let mut decoder = SseDecoder::new();
        let mut out = Vec::new();
        decoder.push(b"data: ok\n\nda", &mut out).unwrap();
        decoder.push(b"ta: \xE6\x97", &mut out).unwrap();
        decoder.push(b"\xA5 \x80", &mut out).unwrap();
        assert_eq!(
            decoder.push(b"\n", &mut out),
            Err(SseError::InvalidUtf8 { offset: 20 })
        );
        assert_eq!(out, [message("ok")]);
        assert_eq!(decoder.bytes_seen(), 22);
    }

    #[test]
    fn find_line_end_matches_naive_search() {
        let mut rng = XorShift(42);
        for len in 0..80 {
            for _ in 0..50 {
                let hay: Vec<u8> = (0..len)
                    .map(|_| match rng.below(12) {
                        0 => b'\n',
                        1 => b'\r',
                        2 => 0x8A, // high bit set, low bits of '\n'
                        3 => 0x0B,
                        4 => 0x0C,
                        5 => 0x09,
                        _ => rng.below(256) as u8,
                    })
                    .collect();
                let naive = hay.iter().position(|&b| b == b'\n' || b == b'\r');
                assert_eq!(find_line_end(&hay), naive, "{hay:?}");
            }
        }
    }

    // ---------- recorded fixtures ----------

    fn fixture_dir() -> PathBuf {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/sse");
        assert!(
            dir.is_dir(),
            "the recorded SSE fixtures are missing: expected the directory {} (it is part of the repository; see tests/fixtures/sse/README.md)",
            dir.display()
        );
        dir
    }

    fn fixtures(provider: &str) -> Vec<(String, Vec<u8>)> {
        let dir = fixture_dir().join(provider);
        let mut files: Vec<(String, Vec<u8>)> = std::fs::read_dir(&dir)
            .unwrap_or_else(|e| panic!("cannot list {}: {e}", dir.display()))
            .map(|entry| entry.unwrap().path())
            .filter(|path| path.extension().is_some_and(|ext| ext == "sse"))
            .map(|path| {
                let name = path.file_name().unwrap().to_string_lossy().into_owned();
                (name, std::fs::read(&path).unwrap())
            })
            .collect();
        files.sort();
        assert!(!files.is_empty(), "no .sse fixtures in {}", dir.display());
        files
    }

    /// Every recorded event has exactly one `data:` line, so the number of
    /// events is the number of lines starting with `data:`.
    fn data_line_count(bytes: &[u8]) -> usize {
        std::str::from_utf8(bytes)
            .unwrap()
            .split(['\r', '\n'])
            .filter(|line| line.starts_with("data:"))
            .count()
    }

    fn check_fixtures(provider: &str, check: impl Fn(&str, &[SseEvent])) {
        for (name, bytes) in fixtures(provider) {
            let events = all_ways(&bytes);
            assert_eq!(
                events.len(),
                data_line_count(&bytes),
                "{provider}/{name}: wrong number of events"
            );
            for event in &events {
                assert!(!event.data.contains(['\r', '\n']), "{provider}/{name}");
                assert_eq!(event.id, None);
                assert_eq!(event.retry, None);
            }
            check(&name, &events);
        }
    }

    fn json(event: &SseEvent) -> serde_json::Value {
        serde_json::from_str(&event.data)
            .unwrap_or_else(|e| panic!("event data is not JSON ({e}): {}", event.data))
    }

    #[test]
    fn openai_fixtures() {
        check_fixtures("openai", |name, events| {
            let (done, chunks) = events.split_last().unwrap();
            assert_eq!(*done, message("[DONE]"), "{name}");
            for event in chunks {
                assert_eq!(event.event, "message");
                assert_eq!(json(event)["object"], "chat.completion.chunk", "{name}");
            }
            if name == "text-with-usage.sse" {
                let usage = json(&chunks[chunks.len() - 1]);
                assert_eq!(usage["choices"], serde_json::json!([]));
                assert!(usage["usage"]["total_tokens"].as_u64().unwrap() > 0);
                let stop = json(&chunks[chunks.len() - 2]);
                assert_eq!(stop["choices"][0]["finish_reason"], "stop");
            }
        });
    }

    #[test]
    fn anthropic_fixtures() {
        check_fixtures("anthropic", |name, events| {
            for event in events {
                assert_eq!(json(event)["type"], event.event.as_str(), "{name}");
            }
            assert_eq!(events[0].event, "message_start", "{name}");
            // basic.sse and tool_use.sse end without any line terminator.
            assert_eq!(events.last().unwrap().event, "message_stop", "{name}");
            if name == "basic.sse" {
                assert!(events.iter().any(|e| e.event == "ping"));
            }
        });
    }

    #[test]
    fn gemini_fixtures() {
        check_fixtures("gemini", |name, events| {
            for event in events {
                assert_eq!(event.event, "message");
                let value = json(event);
                assert!(
                    value.get("candidates").is_some() || value.get("promptFeedback").is_some(),
                    "{name}"
                );
            }
            if name == "vertexai-success-utf8.sse" {
                let text: String = events
                    .iter()
                    .filter_map(|e| {
                        json(e)["candidates"][0]["content"]["parts"][0]["text"]
                            .as_str()
                            .map(str::to_owned)
                    })
                    .collect();
                assert!(text.starts_with("秋风瑟瑟"), "{text}");
            }
        });
    }

    // ---------- throughput (run explicitly, in release mode) ----------

    #[test]
    #[ignore = "benchmark: cargo test --release sse::tests::throughput_10mb -- --ignored --nocapture"]
    fn throughput_10mb() {
        let mut stream = Vec::with_capacity(11 << 20);
        let mut n = 0usize;
        while stream.len() < 10 << 20 {
            let chunk = format!(
                "data: {{\"id\":\"chatcmpl-CDYHx8WjqhLkPZtv3\",\"object\":\"chat.completion.chunk\",\"created\":1757346066,\"model\":\"gpt-4o-2024-08-06\",\"system_fingerprint\":\"fp_f33640a400\",\"choices\":[{{\"index\":0,\"delta\":{{\"content\":\" wörd{n}\"}},\"logprobs\":null,\"finish_reason\":null}}],\"usage\":null}}\n\n"
            );
            stream.extend_from_slice(chunk.as_bytes());
            n += 1;
        }
        let mut best = f64::INFINITY;
        for _ in 0..5 {
            let start = std::time::Instant::now();
            let mut decoder = SseDecoder::new();
            let mut out = Vec::new();
            let mut count = 0usize;
            for chunk in stream.chunks(8 * 1024) {
                decoder.push(chunk, &mut out).unwrap();
                count += out.len();
                out.clear();
            }
            decoder.finish(&mut out).unwrap();
            count += out.len();
            let secs = start.elapsed().as_secs_f64();
            assert_eq!(count, n);
            best = best.min(secs);
        }
        let mb = stream.len() as f64 / 1e6;
        println!(
            "sse throughput: {:.1} MB in {:.2} ms = {:.0} MB/s ({n} events, 8 KiB chunks, best of 5)",
            mb,
            best * 1e3,
            mb / best
        );
    }
}
