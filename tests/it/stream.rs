//! `hcl stream` / `hcl chat --stream` end to end against the fake gateway:
//! every wire format, incremental output, cache bursts, faults, Ctrl-C, a
//! closed stdout and a stalled stream.

use std::time::Duration;

use serde_json::{Value, json};

use crate::support::hcl::{Hcl, assert_stderr_has, assert_stderr_lacks, stderr, stdout};
use crate::support::{FakeGateway, Gate, Script, sse_fixture};

const MS: fn(u64) -> Duration = Duration::from_millis;

fn sse_headers() -> Vec<(String, String)> {
    vec![(
        "content-type".to_string(),
        "text/event-stream; charset=utf-8".to_string(),
    )]
}

fn openai_text(text: &str) -> Vec<u8> {
    format!(
        "data: {}\n\n",
        json!({"id": "chatcmpl-1", "object": "chat.completion.chunk",
               "choices": [{"index": 0, "delta": {"content": text}, "finish_reason": null}]})
    )
    .into_bytes()
}

fn openai_finish(reason: &str) -> Vec<u8> {
    format!(
        "data: {}\n\ndata: [DONE]\n\n",
        json!({"id": "chatcmpl-1", "object": "chat.completion.chunk",
               "choices": [{"index": 0, "delta": {}, "finish_reason": reason}]})
    )
    .into_bytes()
}

fn anthropic_event(v: Value) -> Vec<u8> {
    let name = v["type"].as_str().unwrap().to_string();
    format!("event: {name}\ndata: {v}\n\n").into_bytes()
}

fn anthropic_start() -> Vec<Vec<u8>> {
    vec![
        anthropic_event(
            json!({"type": "message_start", "message": {"id": "msg_1", "type": "message",
            "role": "assistant", "content": [], "model": "claude", "stop_reason": null,
            "usage": {"input_tokens": 3, "output_tokens": 1}}}),
        ),
        anthropic_event(json!({"type": "content_block_start", "index": 0,
            "content_block": {"type": "text", "text": ""}})),
    ]
}

fn anthropic_text(index: u32, text: &str) -> Vec<u8> {
    anthropic_event(json!({"type": "content_block_delta", "index": index,
        "delta": {"type": "text_delta", "text": text}}))
}

fn now(chunks: Vec<Vec<u8>>) -> Vec<(Duration, Vec<u8>)> {
    chunks.into_iter().map(|c| (Duration::ZERO, c)).collect()
}

// ------------------------------------------------------------------ formats

#[test]
fn every_format_streams_prints_and_logs() {
    let gw = FakeGateway::start();
    let hcl = Hcl::with_gateway(&gw);
    for provider in ["openai", "anthropic", "gemini"] {
        let out = hcl
            .cmd()
            .args(["stream", "-P", provider, "hello", "wörld"])
            .output()
            .unwrap();
        assert!(out.status.success(), "{provider}: {}", stderr(&out));
        assert_eq!(stdout(&out), "Hello! You said: hello wörld\n", "{provider}");

        let req = gw.last_request();
        let sent = req.json();
        let rec = hcl.last_record();
        assert_eq!(rec["stream"], true, "{provider}");
        assert_eq!(rec["provider"], provider);
        assert_eq!(rec["response"]["text"], "Hello! You said: hello wörld");
        assert_eq!(rec["response"]["usage"]["output"], 5, "{provider}");
        assert!(rec["response"]["usage"]["input"].as_u64().is_some());
        assert!(rec["ttft_ms"].is_u64() && rec["latency_ms"].is_u64());
        assert_eq!(rec["error"], Value::Null);
        let line = hcl.log_text().lines().last().unwrap().to_string();
        assert!(
            line.contains(&format!("\"body\":{}", req.body_str())),
            "{provider}: the logged body is the body sent, byte for byte: {line}"
        );
        match provider {
            "openai" => {
                assert_eq!(sent["stream"], true);
                assert_eq!(sent["stream_options"]["include_usage"], true);
                assert_eq!(rec["response"]["finish_reason"], "stop");
            }
            "anthropic" => {
                assert_eq!(sent["stream"], true);
                assert_eq!(rec["response"]["finish_reason"], "end_turn");
            }
            _ => {
                assert!(req.path.ends_with(":streamGenerateContent"), "{}", req.path);
                assert_eq!(req.query.as_deref(), Some("alt=sse"));
                assert_eq!(rec["response"]["finish_reason"], "STOP");
            }
        }
        assert_eq!(req.header("accept"), Some("text/event-stream"));
    }
    hcl.assert_log_has_no_keys();
}

#[test]
fn chat_with_stream_flag_is_the_same_thing() {
    let gw = FakeGateway::start();
    let hcl = Hcl::with_gateway(&gw);
    let out = hcl
        .cmd()
        .args(["chat", "--stream", "-P", "anthropic", "hi"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(stdout(&out), "Hello! You said: hi\n");
    assert_eq!(gw.last_request().json()["stream"], true);
    assert_eq!(hcl.last_record()["stream"], true);
}

#[test]
fn curl_for_a_stream_does_not_buffer() {
    let hcl = Hcl::new();
    let out = hcl.cmd().args(["stream", "--curl", "hi"]).output().unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(text.starts_with("curl -sSN -X POST "), "{text}");
    assert!(text.contains("\"stream\":true"), "{text}");
    let out = hcl.cmd().args(["chat", "--curl", "hi"]).output().unwrap();
    assert!(stdout(&out).starts_with("curl -sS -X POST "));
}

#[test]
fn json_prints_the_chat_summary_after_the_stream() {
    let gw = FakeGateway::start();
    let hcl = Hcl::with_gateway(&gw);
    let out = hcl.cmd().args(["stream", "--json", "hi"]).output().unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    assert_eq!(
        text.lines().count(),
        1,
        "one JSON line and nothing else: {text}"
    );
    let v: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(v["text"], "Hello! You said: hi");
    assert_eq!(v["id"], hcl.last_record()["id"]);
    assert!(v["ttft_ms"].is_u64());
    assert_eq!(v["usage"]["output"], 4);
    assert_eq!(v["finish_reason"], "stop");
}

#[test]
fn verbose_reports_first_token_rate_cache_and_id() {
    let gw = FakeGateway::start();
    let hcl = Hcl::with_gateway(&gw);
    let out = hcl.cmd().args(["stream", "-v", "hi"]).output().unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(stdout(&out), "Hello! You said: hi\n");
    let rec = hcl.last_record();
    assert_stderr_has(&out, "stream: first token ");
    assert_stderr_has(&out, "4 output tokens");
    assert_stderr_has(&out, "tokens/s");
    assert_stderr_has(&out, "cache: off");
    assert_stderr_has(
        &out,
        &format!("helicone-id: {}", rec["id"].as_str().unwrap()),
    );
}

// ----------------------------------------------------- incremental output

#[test]
fn first_token_shows_while_the_server_holds_back_the_rest() {
    let gw = FakeGateway::start();
    let hcl = Hcl::with_gateway(&gw);
    let gate = Gate::new();
    gw.push_script(Script::Held {
        status: 200,
        headers: sse_headers(),
        before: now(vec![openai_text("First")]),
        gate: gate.waiter(),
        after: now(vec![openai_text(" second"), openai_finish("stop")]),
    });
    let mut run = hcl.spawn(&["stream", "hi"]);
    // The server sends the rest only when the gate opens, so this is printed
    // from the first chunk alone.
    let first = run.wait_for_stdout("First");
    assert_eq!(first, "First", "only the first token has been sent so far");
    assert!(run.is_running(), "hcl is still waiting for the rest");
    // Keep the rest back a while longer, so the record's timings show the gap.
    let hold = MS(300);
    std::thread::sleep(hold);
    gate.open();
    let out = run.finish();
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(&stdout(&out)[first.len()..], " second\n");
    let rec = hcl.last_record();
    assert_eq!(rec["response"]["text"], "First second");
    let ttft = rec["ttft_ms"].as_u64().unwrap();
    let latency = rec["latency_ms"].as_u64().unwrap();
    assert!(
        ttft + hold.as_millis() as u64 <= latency,
        "the first token was timed before the server let the rest go: ttft {ttft} ms, latency {latency} ms"
    );
    assert!(latency >= hold.as_millis() as u64);
}

#[test]
fn a_cached_hit_arrives_in_one_burst_and_prints_the_same() {
    let gw = FakeGateway::start();
    let hcl = Hcl::with_gateway(&gw);
    gw.set_stream_delay(MS(30));
    let args = ["stream", "-v", "--cache", "-P", "anthropic", "cache", "me"];
    let miss = hcl.cmd().args(args).output().unwrap();
    assert!(miss.status.success(), "{}", stderr(&miss));
    let hit = hcl.cmd().args(args).output().unwrap();
    assert!(hit.status.success(), "{}", stderr(&hit));
    assert_eq!(stdout(&miss), "Hello! You said: cache me\n");
    assert_eq!(stdout(&hit), stdout(&miss));
    assert_stderr_has(&miss, "cache: MISS");
    assert_stderr_has(&hit, "cache: HIT");
    assert_eq!(
        gw.upstream_calls(),
        1,
        "the second answer came from the cache"
    );

    let recs = hcl.records();
    let (m, h) = (&recs[0], &recs[1]);
    assert_eq!(h["helicone"]["cache"], "HIT");
    assert_eq!(h["response"]["text"], m["response"]["text"]);
    assert_eq!(h["response"]["usage"], m["response"]["usage"]);
    // The MISS was paced (≥ 6 gaps of 30 ms); the HIT is a burst, so its
    // text arrived all at once, faster than the paced MISS (compared with
    // each other rather than with a fixed bound, which a loaded machine
    // could overrun).
    let span = |r: &Value| r["latency_ms"].as_u64().unwrap() - r["ttft_ms"].as_u64().unwrap();
    assert!(span(m) >= 150, "miss: {m}");
    assert!(span(h) < span(m), "hit: {h}, miss: {m}");
}

#[test]
fn chunk_boundaries_inside_characters_and_crlf_do_not_matter() {
    let gw = FakeGateway::start();
    let hcl = Hcl::with_gateway(&gw);
    let body = "data: {\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"日本\"}]},\"finishReason\":\"STOP\"}]}\r\n\r\ndata: {\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"語 🎉\"}]},\"finishReason\":\"STOP\"}],\"usageMetadata\":{\"promptTokenCount\":1,\"candidatesTokenCount\":2,\"totalTokenCount\":3}}\r\n";
    let bytes = body.as_bytes();
    // Split inside 日 and between a CR and its LF.
    let a = body.find("日").unwrap() + 1;
    let b = body.find("\r\n\r\n").unwrap() + 1;
    gw.push_script(Script::Chunks {
        status: 200,
        headers: sse_headers(),
        chunks: vec![
            (Duration::ZERO, bytes[..a].to_vec()),
            (MS(5), bytes[a..b].to_vec()),
            (MS(5), bytes[b..].to_vec()),
        ],
    });
    let out = hcl
        .cmd()
        .args(["stream", "-P", "gemini", "hi"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(stdout(&out), "日本語 🎉\n");
    assert_eq!(hcl.last_record()["response"]["usage"]["total"], 3);
}

// ------------------------------------------------------------- contents

/// The recorded transcripts are the files their README names: every file is
/// listed there, and each OpenAI file still has the SHA-256 that its source
/// file is named by (openai-python stores them content-addressed).
#[test]
fn recorded_fixtures_are_the_files_their_readme_names() {
    use sha2::{Digest, Sha256};
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/sse");
    let readme = std::fs::read_to_string(dir.join("README.md")).unwrap();
    let mut files = 0;
    for provider in ["openai", "anthropic", "gemini"] {
        for entry in std::fs::read_dir(dir.join(provider)).unwrap() {
            let name = entry.unwrap().file_name().into_string().unwrap();
            assert!(
                readme.contains(&format!("| `{name}` |")),
                "tests/fixtures/sse/README.md does not list {provider}/{name}"
            );
            files += 1;
        }
    }
    assert_eq!(
        files, 15,
        "five OpenAI, three Anthropic and seven Gemini files"
    );
    let mut checked = 0;
    for row in readme
        .lines()
        .filter(|l| l.contains(".inline-snapshot/external/"))
    {
        let name = row.split('`').nth(1).unwrap();
        let hash = row
            .split(".inline-snapshot/external/")
            .nth(1)
            .and_then(|rest| rest.split(".bin").next())
            .unwrap();
        let digest = Sha256::digest(sse_fixture(&format!("openai/{name}")));
        let hex: String = digest.iter().map(|b| format!("{b:02x}")).collect();
        assert_eq!(hex, hash, "openai/{name} is not byte for byte its source");
        checked += 1;
    }
    assert_eq!(checked, 5, "every OpenAI fixture is checked");
}

#[test]
fn tool_call_deltas_are_assembled_into_the_record() {
    let gw = FakeGateway::start();
    let hcl = Hcl::with_gateway(&gw);
    let fixture = sse_fixture("openai/tool-call.sse");
    gw.push_script(Script::Chunks {
        status: 200,
        headers: sse_headers(),
        chunks: fixture
            .chunks(97)
            .map(|c| (Duration::ZERO, c.to_vec()))
            .collect(),
    });
    let out = hcl.cmd().args(["stream", "weather?"]).output().unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stdout(&out).starts_with("tool call: GetWeatherArgs({"),
        "{}",
        stdout(&out)
    );
    let rec = hcl.last_record();
    let calls = rec["response"]["tool_calls"].as_array().unwrap();
    assert_eq!(calls.len(), 1);
    assert_eq!(calls[0]["name"], "GetWeatherArgs");
    assert_eq!(calls[0]["id"], "call_7PhhveOvvpPK53s1fV8TWhoV");
    let args: Value = serde_json::from_str(calls[0]["arguments"].as_str().unwrap()).unwrap();
    assert!(args.is_object());
}

#[test]
fn thinking_is_hidden_unless_asked_for_and_never_on_stdout() {
    let gw = FakeGateway::start();
    let hcl = Hcl::with_gateway(&gw);
    let script = || {
        let mut chunks = vec![
            anthropic_event(
                json!({"type": "message_start", "message": {"usage": {"input_tokens": 3, "output_tokens": 1}}}),
            ),
            anthropic_event(
                json!({"type": "content_block_start", "index": 0, "content_block": {"type": "thinking", "thinking": ""}}),
            ),
            anthropic_event(
                json!({"type": "content_block_delta", "index": 0, "delta": {"type": "thinking_delta", "thinking": "Pondering deeply"}}),
            ),
            anthropic_event(
                json!({"type": "content_block_start", "index": 1, "content_block": {"type": "text", "text": ""}}),
            ),
            anthropic_text(1, "Answer."),
        ];
        chunks.push(anthropic_event(json!({"type": "message_delta", "delta": {"stop_reason": "end_turn"}, "usage": {"output_tokens": 9}})));
        chunks.push(anthropic_event(json!({"type": "message_stop"})));
        Script::Chunks {
            status: 200,
            headers: sse_headers(),
            chunks: now(chunks),
        }
    };
    gw.push_script(script());
    let out = hcl
        .cmd()
        .args(["stream", "-P", "anthropic", "q"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(stdout(&out), "Answer.\n");
    assert_stderr_lacks(&out, "Pondering");

    gw.push_script(script());
    let out = hcl
        .cmd()
        .args(["stream", "--show-thinking", "-P", "anthropic", "q"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(stdout(&out), "Answer.\n");
    assert_stderr_has(&out, "Pondering deeply");
    assert_eq!(hcl.last_record()["response"]["text"], "Answer.");
}

#[test]
fn an_openai_refusal_is_printed_as_such() {
    let gw = FakeGateway::start();
    let hcl = Hcl::with_gateway(&gw);
    let refusal = |t: &str| {
        format!(
            "data: {}\n\n",
            json!({"choices": [{"index": 0, "delta": {"content": null, "refusal": t}, "finish_reason": null}]})
        )
        .into_bytes()
    };
    gw.push_script(Script::Chunks {
        status: 200,
        headers: sse_headers(),
        chunks: now(vec![
            refusal("I can't"),
            refusal(" help with that."),
            openai_finish("stop"),
        ]),
    });
    let out = hcl.cmd().args(["stream", "x"]).output().unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(stdout(&out), "I can't help with that.\n");
    assert_stderr_has(&out, "refused");
    let rec = hcl.last_record();
    assert_eq!(rec["response"]["refusal"], "I can't help with that.");
    assert_eq!(rec["response"]["text"], "");
}

#[test]
fn a_gemini_safety_stop_exits_1_with_a_clear_message() {
    let gw = FakeGateway::start();
    let hcl = Hcl::with_gateway(&gw);
    gw.push_script(Script::Chunks {
        status: 200,
        headers: sse_headers(),
        chunks: now(vec![
            b"data: {\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"Once upon\"}]}}]}\n\n".to_vec(),
            b"data: {\"candidates\":[{\"content\":{\"parts\":[]},\"finishReason\":\"SAFETY\"}]}\n\n".to_vec(),
        ]),
    });
    let out = hcl
        .cmd()
        .args(["stream", "-P", "gemini", "x"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert_eq!(stdout(&out), "Once upon\n");
    assert_stderr_has(&out, "safety filter");
    assert_stderr_has(&out, "SAFETY");
    assert_eq!(hcl.last_record()["response"]["finish_reason"], "SAFETY");
}

// ------------------------------------------------------------------ faults

#[test]
fn a_connection_dropped_mid_stream_keeps_the_partial_answer_and_exits_3() {
    let gw = FakeGateway::start();
    let hcl = Hcl::with_gateway(&gw);
    gw.push_script(Script::ChunksThenDrop {
        status: 200,
        headers: sse_headers(),
        chunks: now(vec![openai_text("Partial"), openai_text(" answer")]),
    });
    let out = hcl.cmd().args(["stream", "hi"]).output().unwrap();
    assert_eq!(out.status.code(), Some(3), "{}", stderr(&out));
    assert_eq!(stdout(&out), "Partial answer\n");
    let err = stderr(&out);
    assert_eq!(err.lines().count(), 1, "one line: {err}");
    assert_stderr_has(&out, "connection lost");
    let rec = hcl.last_record();
    assert_eq!(rec["stream"], true);
    assert_eq!(rec["response"]["text"], "Partial answer");
    assert!(rec["error"].as_str().unwrap().contains("connection lost"));
}

#[test]
fn an_error_event_after_200_exits_1_and_keeps_the_partial_text() {
    let gw = FakeGateway::start();
    let hcl = Hcl::with_gateway(&gw);
    let mut chunks = anthropic_start();
    chunks.push(anthropic_text(0, "Partial"));
    chunks.push(
        b"event: error\ndata: {\"type\": \"error\", \"error\": {\"type\": \"overloaded_error\", \"message\": \"Overloaded\"}}\n\n"
            .to_vec(),
    );
    gw.push_script(Script::Chunks {
        status: 200,
        headers: sse_headers(),
        chunks: now(chunks),
    });
    let out = hcl
        .cmd()
        .args(["stream", "-P", "anthropic", "hi"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert_eq!(stdout(&out), "Partial\n");
    assert_stderr_has(&out, "Overloaded (overloaded_error)");
    let rec = hcl.last_record();
    assert_eq!(rec["response"]["text"], "Partial");
    assert!(rec["error"].as_str().unwrap().contains("Overloaded"));
}

#[test]
fn an_error_status_is_reported_like_chat() {
    let gw = FakeGateway::start();
    let hcl = Hcl::with_gateway(&gw);
    gw.push_script(Script::Respond {
        status: 401,
        headers: vec![("content-type".into(), "application/json".into())],
        body:
            r#"{"error":{"message":"Incorrect API key provided","type":"invalid_request_error"}}"#
                .into(),
    });
    let out = hcl.cmd().args(["stream", "hi"]).output().unwrap();
    assert_eq!(out.status.code(), Some(5), "{}", stderr(&out));
    assert_eq!(stdout(&out), "");
    assert_stderr_has(&out, "Incorrect API key provided");
    assert_eq!(hcl.last_record()["response"]["status"], 401);
}

#[test]
fn a_200_that_is_not_an_event_stream_is_named() {
    let gw = FakeGateway::start();
    let hcl = Hcl::with_gateway(&gw);
    gw.push_script(Script::Respond {
        status: 200,
        headers: vec![("content-type".into(), "text/html".into())],
        body: "<html><head><title>Corporate proxy login</title></head></html>".into(),
    });
    let out = hcl.cmd().args(["stream", "hi"]).output().unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert_stderr_has(&out, "text/html instead of an event stream");
    assert_stderr_has(&out, "'Corporate proxy login'");

    // A host that ignores `stream: true` and answers JSON: shown whole.
    gw.push_script(Script::Respond {
        status: 200,
        headers: vec![("content-type".into(), "application/json".into())],
        body: r#"{"choices":[{"message":{"content":"Whole answer"},"finish_reason":"stop"}],"usage":{"prompt_tokens":1,"completion_tokens":2,"total_tokens":3}}"#.into(),
    });
    let out = hcl.cmd().args(["stream", "hi"]).output().unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(stdout(&out), "Whole answer\n");
    assert_eq!(hcl.last_record()["response"]["usage"]["total"], 3);
}

#[test]
fn a_stall_longer_than_the_idle_timeout_exits_3() {
    let gw = FakeGateway::start();
    let hcl = Hcl::with_gateway(&gw);
    let gate = Gate::new();
    gw.push_script(Script::Held {
        status: 200,
        headers: sse_headers(),
        before: now(vec![openai_text("Before the stall")]),
        gate: gate.waiter(),
        after: now(vec![openai_finish("stop")]),
    });
    let out = hcl
        .cmd()
        .args(["stream", "--idle-timeout", "0.3", "hi"])
        .output()
        .unwrap();
    // Only now may the stream go on: hcl gave up while it was still held.
    gate.open();
    assert_eq!(out.status.code(), Some(3), "{}", stderr(&out));
    assert_eq!(stdout(&out), "Before the stall\n");
    assert_stderr_has(&out, "no data for 300 ms");
    assert_stderr_has(&out, "--idle-timeout");
    assert_eq!(hcl.last_record()["response"]["text"], "Before the stall");
}

#[cfg(unix)]
#[test]
fn sigint_mid_stream_exits_130_and_logs_the_partial_text() {
    let gw = FakeGateway::start();
    let hcl = Hcl::with_gateway(&gw);
    let gate = Gate::new();
    gw.push_script(Script::Held {
        status: 200,
        headers: sse_headers(),
        before: now(vec![openai_text("Half an ans")]),
        gate: gate.waiter(),
        after: now(vec![openai_text("wer"), openai_finish("stop")]),
    });
    let mut run = hcl.spawn(&["stream", "hi"]);
    let first = run.wait_for_stdout("Half an ans");
    assert_eq!(first, "Half an ans");
    run.interrupt();
    let out = run.finish();
    // Only now may the stream go on: hcl stopped while it was still held.
    gate.open();
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(130), "{err}");
    assert_eq!(
        &stdout(&out)[first.len()..],
        "\n",
        "the partial answer ends with a newline"
    );
    let rec = hcl.last_record();
    assert_eq!(rec["error"], "interrupted");
    assert_eq!(rec["stream"], true);
    assert_eq!(rec["response"]["text"], "Half an ans");
    assert_stderr_has(&out, rec["id"].as_str().unwrap());
}

#[test]
fn a_closed_stdout_ends_quietly_with_the_record_logged() {
    let gw = FakeGateway::start();
    let hcl = Hcl::with_gateway(&gw);
    let gate = Gate::new();
    gw.push_script(Script::Held {
        status: 200,
        headers: sse_headers(),
        before: now(vec![openai_text("one")]),
        gate: gate.waiter(),
        after: vec![
            (Duration::ZERO, openai_text(" two")),
            (MS(50), openai_text(" three")),
            (Duration::ZERO, openai_finish("stop")),
        ],
    });
    let mut run = hcl.spawn(&["stream", "hi"]);
    assert_eq!(run.wait_for_stdout("one"), "one");
    run.close_stdout(); // like `| head -c 3`
    // The rest comes only after the reader has gone.
    gate.open();
    let out = run.finish();
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(0), "{err}");
    assert_eq!(err, "", "a closed pipe is not an error to report");
    let rec = hcl.last_record();
    assert!(
        rec["response"]["text"]
            .as_str()
            .unwrap()
            .starts_with("one two"),
        "{rec}"
    );
    assert_eq!(rec["error"], "broken pipe");
}
