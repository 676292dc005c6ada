//! AWS event-stream framing for the fake gateway's Bedrock route, written
//! from the format (docs/helicone.md §6.5) rather than taken from hcl, so
//! that the two can disagree: each message is total length, headers length,
//! prelude CRC, headers, payload and message CRC, big-endian, CRC-32 IEEE.

use base64::Engine;
use serde_json::{Value, json};

/// One message with string headers.
pub fn frame(headers: &[(&str, &str)], payload: &[u8]) -> Vec<u8> {
    let mut h = Vec::new();
    for (name, value) in headers {
        h.push(u8::try_from(name.len()).unwrap());
        h.extend_from_slice(name.as_bytes());
        h.push(7);
        h.extend_from_slice(&u16::try_from(value.len()).unwrap().to_be_bytes());
        h.extend_from_slice(value.as_bytes());
    }
    let total = u32::try_from(16 + h.len() + payload.len()).unwrap();
    let mut out = total.to_be_bytes().to_vec();
    out.extend_from_slice(&u32::try_from(h.len()).unwrap().to_be_bytes());
    let prelude = crc32fast::hash(&out);
    out.extend_from_slice(&prelude.to_be_bytes());
    out.extend_from_slice(&h);
    out.extend_from_slice(payload);
    let crc = crc32fast::hash(&out);
    out.extend_from_slice(&crc.to_be_bytes());
    out
}

/// An InvokeModelWithResponseStream `chunk` event carrying one of the
/// model's own stream events, base64 in `bytes`, with Bedrock's `p` padding.
pub fn chunk(event: &Value) -> Vec<u8> {
    let bytes = base64::engine::general_purpose::STANDARD.encode(event.to_string());
    let payload = json!({"bytes": bytes, "p": "abcdefghijklmnopqrstu"}).to_string();
    frame(
        &[
            (":event-type", "chunk"),
            (":content-type", "application/json"),
            (":message-type", "event"),
        ],
        payload.as_bytes(),
    )
}

/// A stream exception (`throttlingException`, `modelStreamErrorException`, …).
pub fn exception(kind: &str, message: &str) -> Vec<u8> {
    frame(
        &[
            (":exception-type", kind),
            (":content-type", "application/json"),
            (":message-type", "exception"),
        ],
        json!({ "message": message }).to_string().as_bytes(),
    )
}

/// The event-stream protocol's own error message (no payload).
pub fn protocol_error(code: &str, message: &str) -> Vec<u8> {
    frame(
        &[
            (":error-code", code),
            (":error-message", message),
            (":message-type", "error"),
        ],
        b"",
    )
}

/// Split a body into network writes of awkward sizes (1, 2, 3, 5, 7, 11,
/// 13, 17 bytes, then again), so preludes, headers and CRCs all straddle
/// writes somewhere.
pub fn awkward_split(body: &[u8]) -> Vec<Vec<u8>> {
    const SIZES: [usize; 8] = [1, 2, 3, 5, 7, 11, 13, 17];
    let mut out = Vec::new();
    let mut at = 0;
    let mut i = 0;
    while at < body.len() {
        let end = (at + SIZES[i % SIZES.len()]).min(body.len());
        out.push(body[at..end].to_vec());
        at = end;
        i += 1;
    }
    out
}

/// The recorded Bedrock stream from `tests/fixtures/eventstream` (see its
/// README).
pub fn fixture(name: &str) -> Vec<u8> {
    let p = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/eventstream")
        .join(name);
    std::fs::read(&p).unwrap_or_else(|e| {
        panic!(
            "cannot read the recorded fixture {} ({e}); see tests/fixtures/eventstream/README.md",
            p.display()
        )
    })
}
