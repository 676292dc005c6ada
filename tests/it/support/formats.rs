//! The default "provider" behind the fake gateway: deterministic answers in the
//! three wire formats (OpenAI chat completions, Anthropic Messages, Gemini
//! generateContent), as JSON or as SSE streams shaped like docs/helicone.md §6.

use std::time::{SystemTime, UNIX_EPOCH};

use bytes::Bytes;
use serde_json::{Value, json};

/// The wire format a path speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    OpenAi,
    Anthropic,
    Gemini,
    /// Helicone's Bedrock route, `/v1/<region>/model/<id>/invoke` (or
    /// `invoke-with-response-stream`).
    Bedrock,
}

/// Recognise the wire format from a (prefix-stripped) path.
pub fn detect(path: &str) -> Option<Format> {
    if super::bedrock::route(path).is_some() {
        Some(Format::Bedrock)
    } else if path.ends_with("/chat/completions") {
        Some(Format::OpenAi)
    } else if path.ends_with("/v1/messages") {
        Some(Format::Anthropic)
    } else if path.contains(":generateContent") || path.contains(":streamGenerateContent") {
        Some(Format::Gemini)
    } else {
        None
    }
}

/// What the fake provider answers: a status, headers and the body as the
/// separate chunks it sends (one SSE event per chunk when streaming).
pub struct Answer {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub chunks: Vec<Bytes>,
    /// true when `chunks` are SSE events to be paced by the stream delay.
    pub streamed: bool,
}

impl Answer {
    pub fn json(status: u16, body: &Value) -> Answer {
        Answer {
            status,
            headers: vec![("content-type".into(), "application/json".into())],
            chunks: vec![Bytes::from(body.to_string())],
            streamed: false,
        }
    }

    fn sse(events: Vec<String>) -> Answer {
        Answer {
            status: 200,
            headers: vec![
                (
                    "content-type".into(),
                    "text/event-stream; charset=utf-8".into(),
                ),
                ("cache-control".into(), "no-cache".into()),
            ],
            chunks: events.into_iter().map(Bytes::from).collect(),
            streamed: true,
        }
    }
}

/// A 404 for a path that speaks none of the three formats.
pub fn unknown_path(method: &str, path: &str) -> Answer {
    Answer::json(
        404,
        &json!({"error": {
            "message": format!("Unknown request URL: {method} {path}. Please check the URL for typos."),
            "type": "invalid_request_error",
            "param": null,
            "code": "unknown_url"
        }}),
    )
}

/// Options that do not come from the body itself.
pub struct Options<'a> {
    /// The query string, if any (Gemini streams on `alt=sse`).
    pub query: Option<&'a str>,
    /// Always send the usage chunk on OpenAI streams (the AI gateway injects
    /// `stream_options.include_usage`).
    pub force_include_usage: bool,
    /// Model name to echo instead of the body's `model` (AI gateway: the model
    /// part of `model/provider`).
    pub model_override: Option<String>,
    /// The request headers (lower-case names), for a provider that reads
    /// more than the body (Bedrock's `aws-*` keys).
    pub headers: &'a [(String, String)],
}

/// Answer a request in `format` the way the default provider does.
pub fn answer(format: Format, path: &str, body: &[u8], opts: &Options<'_>) -> Answer {
    let parsed: Value = match serde_json::from_slice(body) {
        Ok(v) => v,
        Err(e) => return invalid_json(format, &e.to_string()),
    };
    match format {
        Format::OpenAi => openai(&parsed, opts),
        Format::Anthropic => anthropic(&parsed, opts),
        Format::Gemini => gemini(&parsed, path, opts),
        Format::Bedrock => super::bedrock::answer(path, &parsed, opts.headers),
    }
}

fn invalid_json(format: Format, detail: &str) -> Answer {
    let body = match format {
        Format::OpenAi => json!({"error": {
            "message": "We could not parse the JSON body of your request. (HINT: This likely means you aren't using your HTTP library correctly. The OpenAI API expects a JSON payload, but what was sent was not valid JSON.)",
            "type": "invalid_request_error",
            "param": null,
            "code": null
        }}),
        Format::Anthropic => json!({"type": "error", "error": {
            "type": "invalid_request_error",
            "message": format!("There was an error parsing the body: {detail}")
        }}),
        Format::Gemini => json!({"error": {
            "code": 400,
            "message": format!("Invalid JSON payload received. {detail}"),
            "status": "INVALID_ARGUMENT"
        }}),
        Format::Bedrock => json!({"message": format!("Malformed input request: {detail}")}),
    };
    Answer::json(400, &body)
}

/// The deterministic reply text.
pub fn reply_text(user_text: &str) -> String {
    format!("Hello! You said: {user_text}")
}

/// Number of whitespace-separated words.
pub fn words(s: &str) -> u64 {
    s.split_whitespace().count() as u64
}

/// Split `text` into stream pieces: each piece is a run of whitespace followed
/// by a word, so the pieces concatenate back to `text` exactly (" You", " said:").
pub fn pieces(text: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut cur = String::new();
    let mut prev_ws = true;
    for c in text.chars() {
        let ws = c.is_whitespace();
        if ws && !prev_ws && !cur.is_empty() {
            out.push(std::mem::take(&mut cur));
        }
        cur.push(c);
        prev_ws = ws;
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out
}

/// Text of an OpenAI/Anthropic `content`: a string, or the `text` of its parts
/// joined with "\n".
pub fn content_text(v: Option<&Value>) -> String {
    match v {
        Some(Value::String(s)) => s.clone(),
        Some(Value::Array(parts)) => parts
            .iter()
            .filter_map(|p| p.get("text").and_then(Value::as_str))
            .collect::<Vec<_>>()
            .join("\n"),
        _ => String::new(),
    }
}

fn parts_text(v: Option<&Value>) -> String {
    match v.and_then(|c| c.get("parts")).and_then(Value::as_array) {
        Some(parts) => parts
            .iter()
            .filter_map(|p| p.get("text").and_then(Value::as_str))
            .collect::<Vec<_>>()
            .join("\n"),
        None => String::new(),
    }
}

pub fn last_user<'a>(list: Option<&'a Value>, role: &str) -> Option<&'a Value> {
    list.and_then(Value::as_array)?
        .iter()
        .rev()
        .find(|m| m.get("role").and_then(Value::as_str) == Some(role))
}

fn now_secs() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0)
}

pub fn simple_id() -> String {
    uuid::Uuid::new_v4().simple().to_string()
}

fn model_of(body: &Value, opts: &Options<'_>) -> String {
    opts.model_override.clone().unwrap_or_else(|| {
        body.get("model")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_string()
    })
}

fn sse_data(v: &Value) -> String {
    format!("data: {v}\n\n")
}

fn openai(body: &Value, opts: &Options<'_>) -> Answer {
    let messages = body.get("messages");
    let user = last_user(messages, "user").map(|m| content_text(m.get("content")));
    let reply = reply_text(&user.unwrap_or_default());
    let input: u64 = messages
        .and_then(Value::as_array)
        .map(|ms| {
            ms.iter()
                .map(|m| words(&content_text(m.get("content"))))
                .sum()
        })
        .unwrap_or(0)
        .max(1);
    let output = words(&reply);
    let model = model_of(body, opts);
    let id = format!("chatcmpl-{}", simple_id());
    let created = now_secs();
    let usage = json!({"prompt_tokens": input, "completion_tokens": output, "total_tokens": input + output});

    if body.get("stream").and_then(Value::as_bool) != Some(true) {
        return Answer::json(
            200,
            &json!({
                "id": id, "object": "chat.completion", "created": created, "model": model,
                "choices": [{"index": 0, "message": {"role": "assistant", "content": reply, "refusal": null}, "logprobs": null, "finish_reason": "stop"}],
                "usage": usage
            }),
        );
    }
    let include_usage = opts.force_include_usage
        || body
            .pointer("/stream_options/include_usage")
            .and_then(Value::as_bool)
            == Some(true);
    let chunk = |choices: Value, usage: Value| {
        let mut c = json!({"id": id, "object": "chat.completion.chunk", "created": created, "model": model, "choices": choices});
        if include_usage {
            c["usage"] = usage;
        }
        sse_data(&c)
    };
    let mut events = vec![chunk(
        json!([{"index": 0, "delta": {"role": "assistant", "content": "", "refusal": null}, "logprobs": null, "finish_reason": null}]),
        Value::Null,
    )];
    for p in pieces(&reply) {
        events.push(chunk(
            json!([{"index": 0, "delta": {"content": p}, "logprobs": null, "finish_reason": null}]),
            Value::Null,
        ));
    }
    events.push(chunk(
        json!([{"index": 0, "delta": {}, "logprobs": null, "finish_reason": "stop"}]),
        Value::Null,
    ));
    if include_usage {
        events.push(chunk(json!([]), usage));
    }
    events.push("data: [DONE]\n\n".to_string());
    Answer::sse(events)
}

fn anthropic(body: &Value, opts: &Options<'_>) -> Answer {
    let messages = body.get("messages");
    let user = last_user(messages, "user").map(|m| content_text(m.get("content")));
    let reply = reply_text(&user.unwrap_or_default());
    let input: u64 = (words(&content_text(body.get("system")))
        + messages
            .and_then(Value::as_array)
            .map(|ms| {
                ms.iter()
                    .map(|m| words(&content_text(m.get("content"))))
                    .sum()
            })
            .unwrap_or(0))
    .max(1);
    let output = words(&reply);
    let model = model_of(body, opts);
    let id = format!("msg_{}", simple_id());

    if body.get("stream").and_then(Value::as_bool) != Some(true) {
        return Answer::json(
            200,
            &json!({
                "id": id, "type": "message", "role": "assistant", "model": model,
                "content": [{"type": "text", "text": reply}],
                "stop_reason": "end_turn", "stop_sequence": null,
                "usage": {"input_tokens": input, "output_tokens": output}
            }),
        );
    }
    let ev = |name: &str, v: Value| format!("event: {name}\ndata: {v}\n\n");
    let mut events = vec![
        ev(
            "message_start",
            json!({"type": "message_start", "message": {
                "id": id, "type": "message", "role": "assistant", "content": [], "model": model,
                "stop_reason": null, "stop_sequence": null,
                "usage": {"input_tokens": input, "output_tokens": 1}
            }}),
        ),
        ev(
            "content_block_start",
            json!({"type": "content_block_start", "index": 0, "content_block": {"type": "text", "text": ""}}),
        ),
        "event: ping\ndata: {\"type\": \"ping\"}\n\n".to_string(),
    ];
    for p in pieces(&reply) {
        events.push(ev(
            "content_block_delta",
            json!({"type": "content_block_delta", "index": 0, "delta": {"type": "text_delta", "text": p}}),
        ));
    }
    events.push(ev(
        "content_block_stop",
        json!({"type": "content_block_stop", "index": 0}),
    ));
    events.push(ev(
        "message_delta",
        json!({"type": "message_delta", "delta": {"stop_reason": "end_turn", "stop_sequence": null}, "usage": {"output_tokens": output}}),
    ));
    events.push(ev("message_stop", json!({"type": "message_stop"})));
    Answer::sse(events)
}

/// The model named in a Gemini/Vertex path: `.../models/<M>:method`.
pub fn gemini_model(path: &str) -> String {
    let after = path.rsplit_once("/models/").map(|(_, m)| m).unwrap_or(path);
    after.split(':').next().unwrap_or_default().to_string()
}

fn gemini(body: &Value, path: &str, opts: &Options<'_>) -> Answer {
    let contents = body.get("contents");
    let user = last_user(contents, "user").map(|c| parts_text(Some(c)));
    let reply = reply_text(&user.unwrap_or_default());
    let input: u64 = (words(&parts_text(body.get("systemInstruction")))
        + contents
            .and_then(Value::as_array)
            .map(|cs| cs.iter().map(|c| words(&parts_text(Some(c)))).sum())
            .unwrap_or(0))
    .max(1);
    let output = words(&reply);
    let model = opts
        .model_override
        .clone()
        .unwrap_or_else(|| gemini_model(path));
    let usage = json!({"promptTokenCount": input, "candidatesTokenCount": output, "totalTokenCount": input + output});
    let candidate = |text: &str| json!([{"content": {"parts": [{"text": text}], "role": "model"}, "finishReason": "STOP", "index": 0}]);
    let sse = opts
        .query
        .is_some_and(|q| q.split('&').any(|kv| kv == "alt=sse"));
    let streaming = path.contains(":streamGenerateContent");
    if !sse && !streaming {
        return Answer::json(
            200,
            &json!({"candidates": candidate(&reply), "usageMetadata": usage, "modelVersion": model}),
        );
    }
    let ps = pieces(&reply);
    let n = ps.len();
    let chunks: Vec<Value> = ps
        .iter()
        .enumerate()
        .map(|(i, p)| {
            let mut c = json!({"candidates": candidate(p), "modelVersion": model});
            if i + 1 == n {
                c["usageMetadata"] = usage.clone();
            }
            c
        })
        .collect();
    if sse {
        Answer::sse(chunks.iter().map(sse_data).collect())
    } else {
        // streamGenerateContent without alt=sse: one JSON array.
        Answer::json(200, &Value::Array(chunks))
    }
}
