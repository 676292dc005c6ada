//! Building blocks for scripted answers in each wire format, so that one
//! fault can be staged the same way for OpenAI, Anthropic and Gemini: the
//! opening events of a stream, a piece of text, a finish without the end
//! marker, the end marker, an error event, and whole error bodies. Also the
//! helpers to run hcl as a child process and signal it mid-answer.

use std::io::Read;
use std::process::{Child, Stdio};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

use super::formats::Format;
use super::hcl::{Hcl, stderr, stdout};
use super::{FakeGateway, Script};

pub const ALL: &[Format] = &[Format::OpenAi, Format::Anthropic, Format::Gemini];

/// The matrix stages faults in the three server-sent-event formats;
/// Bedrock's binary event stream has its own fault tests
/// (`tests/it/bedrock.rs`: bad CRCs, exceptions, splits).
fn bedrock_is_not_in_the_matrix() -> ! {
    panic!("the fault matrix covers the SSE formats; Bedrock's faults are tested in bedrock.rs")
}

/// The provider row that speaks `format`.
pub fn provider(format: Format) -> &'static str {
    match format {
        Format::Bedrock => bedrock_is_not_in_the_matrix(),
        Format::OpenAi => "openai",
        Format::Anthropic => "anthropic",
        Format::Gemini => "gemini",
    }
}

pub fn sse_headers() -> Vec<(String, String)> {
    vec![(
        "content-type".to_string(),
        "text/event-stream; charset=utf-8".to_string(),
    )]
}

pub fn json_headers() -> Vec<(String, String)> {
    vec![("content-type".to_string(), "application/json".to_string())]
}

fn data(v: &Value) -> Vec<u8> {
    format!("data: {v}\n\n").into_bytes()
}

fn anthropic_event(v: &Value) -> Vec<u8> {
    let name = v["type"].as_str().unwrap_or("unknown").to_string();
    format!("event: {name}\ndata: {v}\n\n").into_bytes()
}

/// The events a stream opens with, before any text.
pub fn head(f: Format) -> Vec<u8> {
    match f {
        Format::Bedrock => bedrock_is_not_in_the_matrix(),
        Format::OpenAi => data(
            &json!({"id": "chatcmpl-1", "object": "chat.completion.chunk",
            "choices": [{"index": 0, "delta": {"role": "assistant", "content": ""}, "finish_reason": null}]}),
        ),
        Format::Anthropic => {
            let mut out = anthropic_event(&json!({"type": "message_start", "message": {
                "id": "msg_1", "type": "message", "role": "assistant", "content": [],
                "model": "claude", "stop_reason": null,
                "usage": {"input_tokens": 3, "output_tokens": 1}}}));
            out.extend(anthropic_event(
                &json!({"type": "content_block_start", "index": 0,
                "content_block": {"type": "text", "text": ""}}),
            ));
            out
        }
        Format::Gemini => Vec::new(),
    }
}

/// One piece of answer text.
pub fn text(f: Format, t: &str) -> Vec<u8> {
    match f {
        Format::Bedrock => bedrock_is_not_in_the_matrix(),
        Format::OpenAi => data(
            &json!({"id": "chatcmpl-1", "object": "chat.completion.chunk",
            "choices": [{"index": 0, "delta": {"content": t}, "finish_reason": null}]}),
        ),
        Format::Anthropic => anthropic_event(&json!({"type": "content_block_delta", "index": 0,
            "delta": {"type": "text_delta", "text": t}})),
        Format::Gemini => data(&json!({"candidates": [{"content": {"parts": [{"text": t}],
            "role": "model"}, "index": 0}]})),
    }
}

/// The finish reason (and usage), without the end marker.
pub fn finish(f: Format) -> Vec<u8> {
    match f {
        Format::Bedrock => bedrock_is_not_in_the_matrix(),
        Format::OpenAi => data(
            &json!({"id": "chatcmpl-1", "object": "chat.completion.chunk",
            "choices": [{"index": 0, "delta": {}, "finish_reason": "stop"}]}),
        ),
        Format::Anthropic => {
            let mut out = anthropic_event(&json!({"type": "content_block_stop", "index": 0}));
            out.extend(anthropic_event(&json!({"type": "message_delta",
                "delta": {"stop_reason": "end_turn", "stop_sequence": null},
                "usage": {"output_tokens": 4}})));
            out
        }
        Format::Gemini => data(&json!({"candidates": [{"content": {"parts": [{"text": ""}],
            "role": "model"}, "finishReason": "STOP", "index": 0}],
            "usageMetadata": {"promptTokenCount": 3, "candidatesTokenCount": 4, "totalTokenCount": 7}})),
    }
}

/// The stream's own end marker (Gemini has none).
pub fn end(f: Format) -> Vec<u8> {
    match f {
        Format::Bedrock => bedrock_is_not_in_the_matrix(),
        Format::OpenAi => b"data: [DONE]\n\n".to_vec(),
        Format::Anthropic => anthropic_event(&json!({"type": "message_stop"})),
        Format::Gemini => Vec::new(),
    }
}

/// An error reported inside a stream that began with 200.
pub fn error_event(f: Format, message: &str) -> Vec<u8> {
    match f {
        Format::Bedrock => bedrock_is_not_in_the_matrix(),
        Format::OpenAi => data(&json!({"error": {"message": message, "type": "server_error"}})),
        Format::Anthropic => anthropic_event(
            &json!({"type": "error", "error": {"type": "overloaded_error", "message": message}}),
        ),
        Format::Gemini => data(&json!({"error": {"code": 500, "message": message,
            "status": "INTERNAL"}})),
    }
}

/// The provider's own JSON error body.
pub fn error_body(f: Format, message: &str) -> String {
    match f {
        Format::Bedrock => bedrock_is_not_in_the_matrix(),
        Format::OpenAi => json!({"error": {"message": message, "type": "server_error"}}),
        Format::Anthropic => {
            json!({"type": "error", "error": {"type": "api_error", "message": message}})
        }
        Format::Gemini => json!({"error": {"code": 500, "message": message, "status": "INTERNAL"}}),
    }
    .to_string()
}

/// A whole non-streamed answer.
pub fn answer_body(f: Format, t: &str) -> String {
    match f {
        Format::Bedrock => bedrock_is_not_in_the_matrix(),
        Format::OpenAi => json!({"id": "chatcmpl-1", "object": "chat.completion",
            "choices": [{"index": 0, "message": {"role": "assistant", "content": t},
            "finish_reason": "stop"}],
            "usage": {"prompt_tokens": 3, "completion_tokens": 4, "total_tokens": 7}}),
        Format::Anthropic => json!({"id": "msg_1", "type": "message", "role": "assistant",
            "content": [{"type": "text", "text": t}], "stop_reason": "end_turn",
            "usage": {"input_tokens": 3, "output_tokens": 4}}),
        Format::Gemini => json!({"candidates": [{"content": {"parts": [{"text": t}],
            "role": "model"}, "finishReason": "STOP", "index": 0}],
            "usageMetadata": {"promptTokenCount": 3, "candidatesTokenCount": 4, "totalTokenCount": 7}}),
    }
    .to_string()
}

/// The pieces as chunks sent at once, empty ones left out.
fn chunks(pieces: Vec<Vec<u8>>) -> Vec<(Duration, Vec<u8>)> {
    pieces
        .into_iter()
        .filter(|p| !p.is_empty())
        .map(|p| (Duration::ZERO, p))
        .collect()
}

/// A stream of these pieces, all sent at once.
pub fn stream(pieces: Vec<Vec<u8>>) -> Script {
    Script::Chunks {
        status: 200,
        headers: sse_headers(),
        chunks: chunks(pieces),
    }
}

/// These pieces, then a long silence (for a signal or an idle timeout).
pub fn stream_then_stall(pieces: Vec<Vec<u8>>) -> Script {
    Script::ChunksThenStall {
        status: 200,
        headers: sse_headers(),
        chunks: chunks(pieces),
        stall: Duration::from_secs(30),
    }
}

/// These pieces, then the connection cut.
pub fn stream_then_drop(pieces: Vec<Vec<u8>>) -> Script {
    Script::ChunksThenDrop {
        status: 200,
        headers: sse_headers(),
        chunks: chunks(pieces),
    }
}

/// Spawn hcl with stdout and stderr piped and stdin empty.
pub fn spawn(hcl: &Hcl, args: &[&str]) -> Child {
    hcl.std_cmd()
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap()
}

/// Block until the child has written something to stdout; return it.
pub fn first_bytes(child: &mut Child) -> String {
    let mut buf = [0u8; 4096];
    let n = child.stdout.as_mut().unwrap().read(&mut buf).unwrap();
    assert!(n > 0, "hcl closed stdout without writing anything");
    String::from_utf8_lossy(&buf[..n]).into_owned()
}

/// Wait until the fake has received `n` requests (at most 10 s).
pub fn wait_for_requests(gw: &FakeGateway, n: usize) {
    let start = Instant::now();
    while gw.requests().len() < n {
        assert!(
            start.elapsed() < Duration::from_secs(10),
            "the fake never received request {n}"
        );
        std::thread::sleep(Duration::from_millis(10));
    }
}

/// Send `signal` (`INT`, `TERM`, `HUP`) to the child.
pub fn signal(child: &Child, signal: &str) {
    let sent = std::process::Command::new("kill")
        .args([&format!("-{signal}"), &child.id().to_string()])
        .status()
        .unwrap();
    assert!(sent.success(), "kill -{signal} failed");
}

/// Wait for the child: its status, the rest of stdout, and stderr.
pub fn rest_of(child: Child) -> (std::process::ExitStatus, String, String) {
    let out = child.wait_with_output().unwrap();
    (out.status, stdout(&out), stderr(&out))
}
