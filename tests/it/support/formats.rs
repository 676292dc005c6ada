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

/// The models the fake provider lists on every list endpoint (first page).
pub const LISTED: &[&str] = &["fake-model-a", "fake-model-b"];
/// The second page (Anthropic and Gemini page their lists).
pub const LISTED_PAGE_2: &str = "fake-model-c";

/// The answer of a model-list endpoint (`GET …/models`), in the shape the
/// path and headers say: Anthropic's paged `data` (`x-api-key`), Google's
/// `models`/`publisherModels` with `nextPageToken`, Together's bare array
/// (its key), or the OpenAI `{"object":"list","data":[…]}` everyone else
/// answers. `None` when the path lists nothing.
pub fn model_list<'a>(
    path: &str,
    query: Option<&str>,
    header: impl Fn(&str) -> Option<&'a str>,
) -> Option<Answer> {
    let paged = |token: &str| query.is_some_and(|q| q.contains(token));
    if path.ends_with("/publishers/google/models") {
        return Some(Answer::json(
            200,
            &json!({"publisherModels": [{"name": "publishers/google/models/fake-model-a"},
                                        {"name": "publishers/google/models/fake-model-b"}]}),
        ));
    }
    if path.ends_with("/v1beta/models") {
        if paged("pageToken=") {
            return Some(Answer::json(
                200,
                &json!({"models": [{"name": format!("models/{LISTED_PAGE_2}"), "supportedGenerationMethods": ["generateContent"]}]}),
            ));
        }
        return Some(Answer::json(
            200,
            &json!({"models": [
                {"name": "models/fake-model-a", "supportedGenerationMethods": ["generateContent", "countTokens"]},
                {"name": "models/fake-model-b", "supportedGenerationMethods": ["generateContent"]},
                {"name": "models/fake-embedding", "supportedGenerationMethods": ["embedContent"]}
            ], "nextPageToken": "page-2"}),
        ));
    }
    if !path.ends_with("/models") {
        return None;
    }
    if header("x-api-key").is_some() && header("anthropic-version").is_some() {
        let (data, more) = if paged("after_id=") {
            (vec![LISTED_PAGE_2], false)
        } else {
            (LISTED.to_vec(), true)
        };
        let items: Vec<Value> = data
            .iter()
            .map(|id| json!({"id": id, "type": "model", "display_name": id, "created_at": "2026-01-01T00:00:00Z"}))
            .collect();
        return Some(Answer::json(
            200,
            &json!({"data": items, "has_more": more, "first_id": data[0], "last_id": data[data.len() - 1]}),
        ));
    }
    if header("authorization").is_some_and(|a| a.contains("together")) {
        return Some(Answer::json(
            200,
            &json!([{"id": "fake-model-a", "type": "chat"}, {"id": "fake-model-b", "type": "chat"},
                    {"id": "fake-image", "type": "image"}]),
        ));
    }
    let items: Vec<Value> = LISTED
        .iter()
        .map(|id| json!({"id": id, "object": "model", "created": 0, "owned_by": "fake"}))
        .collect();
    Some(Answer::json(200, &json!({"object": "list", "data": items})))
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

/// The attachments of a message, checked the way the providers check them:
/// each a known part shape of `format`, base64 that decodes, and bytes of the
/// type it claims. `Ok` lists them (`image/png 79 bytes`); `Err` is the
/// provider's 400 message.
pub fn attachments(format: Format, message: &Value) -> Result<Vec<String>, String> {
    let parts: Vec<&Value> = match format {
        Format::OpenAi | Format::Anthropic | Format::Bedrock => match message.get("content") {
            Some(Value::Array(parts)) => parts.iter().collect(),
            _ => return Ok(Vec::new()),
        },
        Format::Gemini => message
            .get("parts")
            .and_then(Value::as_array)
            .map(|p| p.iter().collect())
            .unwrap_or_default(),
    };
    let mut out = Vec::new();
    for part in parts {
        let (mime, data) = match (format, part.get("type").and_then(Value::as_str)) {
            (Format::OpenAi | Format::Anthropic | Format::Bedrock, Some("text")) => {
                if part.get("text").and_then(Value::as_str) == Some("") {
                    return Err("text content blocks must be non-empty".into());
                }
                continue;
            }
            (Format::OpenAi, Some("image_url")) => {
                let url = part.pointer("/image_url/url").and_then(Value::as_str);
                split_data_uri(url.unwrap_or_default())?
            }
            (Format::OpenAi, Some("file")) => {
                if part
                    .pointer("/file/filename")
                    .and_then(Value::as_str)
                    .is_none()
                {
                    return Err("file parts need a filename".into());
                }
                let uri = part.pointer("/file/file_data").and_then(Value::as_str);
                split_data_uri(uri.unwrap_or_default())?
            }
            // Bedrock's Nova: `{"text"}` and `{"image": {"format", "source": {"bytes"}}}`.
            (Format::Bedrock, None) if part.get("text").is_some() => continue,
            (Format::Bedrock, None) if part.get("image").is_some() => {
                let format = part.pointer("/image/format").and_then(Value::as_str);
                let bytes = part.pointer("/image/source/bytes").and_then(Value::as_str);
                match (format, bytes) {
                    (Some(f @ ("png" | "jpeg" | "gif" | "webp")), Some(b)) => {
                        (format!("image/{f}"), b.to_string())
                    }
                    _ => return Err(format!("Malformed input request: image {part}")),
                }
            }
            (Format::Anthropic | Format::Bedrock, Some(kind @ ("image" | "document"))) => {
                let field = |f: &str| {
                    part.pointer(&format!("/source/{f}"))
                        .and_then(Value::as_str)
                };
                if field("type") != Some("base64") {
                    return Err(format!("{kind}.source.type: must be base64"));
                }
                let mime = field("media_type").unwrap_or_default();
                let wanted = if kind == "image" {
                    mime.starts_with("image/")
                } else {
                    mime == "application/pdf"
                };
                if !wanted {
                    return Err(format!("{kind}.source.media_type: {mime} is not allowed"));
                }
                (
                    mime.to_string(),
                    field("data").unwrap_or_default().to_string(),
                )
            }
            (Format::Gemini, _) if part.get("text").is_some() => continue,
            (Format::Gemini, _) => {
                let blob = part.get("inlineData").or(part.get("inline_data"));
                let field = |a: &str, b: &str| {
                    blob.and_then(|v| v.get(a).or(v.get(b)))
                        .and_then(Value::as_str)
                };
                match (field("mimeType", "mime_type"), field("data", "data")) {
                    (Some(m), Some(d)) => (m.to_string(), d.to_string()),
                    _ => return Err(format!("Invalid value at 'contents.parts': {part}")),
                }
            }
            (_, kind) => return Err(format!("unknown content part type {kind:?}")),
        };
        out.push(check_bytes(&mime, &data)?);
    }
    Ok(out)
}

fn split_data_uri(uri: &str) -> Result<(String, String), String> {
    let rest = uri
        .strip_prefix("data:")
        .ok_or_else(|| format!("expected a data URI, got {:.30}", uri))?;
    let (head, data) = rest.split_once(',').ok_or("a data URI without data")?;
    let mime = head
        .strip_suffix(";base64")
        .ok_or("a data URI that is not base64")?;
    Ok((mime.to_string(), data.to_string()))
}

/// `image/png 79 bytes`, when `data` is base64 of a file of type `mime`.
fn check_bytes(mime: &str, data: &str) -> Result<String, String> {
    use base64::Engine as _;
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(data)
        .map_err(|e| format!("the {mime} data is not valid base64 ({e})"))?;
    let magic: &[u8] = match mime {
        "image/png" => b"\x89PNG",
        "image/jpeg" => b"\xFF\xD8\xFF",
        "image/gif" => b"GIF8",
        "image/webp" => b"RIFF",
        "application/pdf" => b"%PDF-",
        other => return Err(format!("unsupported media type {other}")),
    };
    if !bytes.starts_with(magic) {
        return Err(format!(
            "the data was specified as {mime}, but does not appear to be a valid {mime} file"
        ));
    }
    Ok(format!("{mime} {} bytes", bytes.len()))
}

/// The reply, noting any attachments the last user message carried.
pub fn reply_for(format: Format, user: Option<&Value>, text: String) -> Result<String, String> {
    let seen = match user {
        Some(m) => attachments(format, m)?,
        None => Vec::new(),
    };
    let mut reply = reply_text(&text);
    if !seen.is_empty() {
        reply.push_str(&format!(" [seen: {}]", seen.join(", ")));
    }
    Ok(reply)
}

/// A provider's 400 for a bad request body.
fn bad_request(format: Format, message: &str) -> Answer {
    let body = match format {
        Format::OpenAi => {
            json!({"error": {"message": message, "type": "invalid_request_error", "param": null, "code": null}})
        }
        Format::Anthropic => {
            json!({"type": "error", "error": {"type": "invalid_request_error", "message": message}})
        }
        Format::Gemini => {
            json!({"error": {"code": 400, "message": message, "status": "INVALID_ARGUMENT"}})
        }
        Format::Bedrock => json!({"message": message}),
    };
    Answer::json(400, &body)
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

/// What a provider asked for JSON answers: the user's text when it is JSON
/// (so tests choose the answer, a wrong one included), else an instance
/// made from the schema (or any object when there is none).
pub fn structured_reply(user_text: &str, schema: Option<&Value>) -> Value {
    if let Ok(v) = serde_json::from_str::<Value>(user_text.trim())
        && (v.is_object() || v.is_array())
    {
        return v;
    }
    match schema {
        Some(s) => instance_of(s),
        None => json!({"answer": reply_text(user_text)}),
    }
}

/// A value that meets a (simple) JSON Schema: every property, the first
/// enum value, the minimum of a number.
fn instance_of(schema: &Value) -> Value {
    if let Some(v) = schema
        .get("enum")
        .and_then(Value::as_array)
        .and_then(|e| e.first())
    {
        return v.clone();
    }
    if let Some(v) = schema.get("const") {
        return v.clone();
    }
    let kind = match schema.get("type") {
        Some(Value::String(t)) => t.as_str(),
        Some(Value::Array(ts)) => ts.first().and_then(Value::as_str).unwrap_or("null"),
        _ if schema.get("properties").is_some() => "object",
        _ => "string",
    };
    match kind {
        "object" => {
            let mut out = serde_json::Map::new();
            if let Some(props) = schema.get("properties").and_then(Value::as_object) {
                for (k, v) in props {
                    out.insert(k.clone(), instance_of(v));
                }
            }
            Value::Object(out)
        }
        "array" => match schema.get("items") {
            Some(items) => json!([instance_of(items)]),
            None => json!([]),
        },
        "integer" => schema.get("minimum").cloned().unwrap_or(json!(42)),
        "number" => schema.get("minimum").cloned().unwrap_or(json!(4.5)),
        "boolean" => json!(true),
        "null" => Value::Null,
        _ => json!("example"),
    }
}

/// The schema and whether JSON was asked for, in an OpenAI body.
fn openai_json(body: &Value) -> Option<Option<&Value>> {
    match body
        .pointer("/response_format/type")
        .and_then(Value::as_str)
    {
        Some("json_schema") => Some(body.pointer("/response_format/json_schema/schema")),
        Some("json_object") => Some(None),
        _ => None,
    }
}

/// The forced tool of an Anthropic body: its name and input schema.
fn anthropic_forced_tool(body: &Value) -> Option<(String, Option<&Value>)> {
    if body.pointer("/tool_choice/type").and_then(Value::as_str) != Some("tool") {
        return None;
    }
    let name = body.pointer("/tool_choice/name")?.as_str()?.to_string();
    let schema = body
        .get("tools")
        .and_then(Value::as_array)
        .and_then(|ts| ts.iter().find(|t| t["name"] == name.as_str()))
        .and_then(|t| t.get("input_schema"));
    Some((name, schema))
}

/// The schema and whether JSON was asked for, in a Gemini body.
fn gemini_json(body: &Value) -> Option<Option<&Value>> {
    let config = body.get("generationConfig")?;
    (config.get("responseMimeType").and_then(Value::as_str) == Some("application/json"))
        .then(|| config.get("responseJsonSchema"))
}

fn openai(body: &Value, opts: &Options<'_>) -> Answer {
    let messages = body.get("messages");
    let last = last_user(messages, "user");
    let user = last
        .map(|m| content_text(m.get("content")))
        .unwrap_or_default();
    let reply = match openai_json(body) {
        Some(schema) => structured_reply(&user, schema).to_string(),
        None => match reply_for(Format::OpenAi, last, user) {
            Ok(r) => r,
            Err(e) => return bad_request(Format::OpenAi, &e),
        },
    };
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

/// An Anthropic answer that is one call of the forced tool.
fn anthropic_tool_answer(body: &Value, opts: &Options<'_>, name: &str, input: &Value) -> Answer {
    let model = model_of(body, opts);
    let id = format!("msg_{}", simple_id());
    let tool_id = format!("toolu_{}", simple_id());
    let usage = json!({"input_tokens": 10, "output_tokens": 5});
    if body.get("stream").and_then(Value::as_bool) != Some(true) {
        return Answer::json(
            200,
            &json!({
                "id": id, "type": "message", "role": "assistant", "model": model,
                "content": [{"type": "tool_use", "id": tool_id, "name": name, "input": input}],
                "stop_reason": "tool_use", "stop_sequence": null, "usage": usage
            }),
        );
    }
    let ev = |name: &str, v: Value| format!("event: {name}\ndata: {v}\n\n");
    let text = input.to_string();
    let mid = text.len() / 2;
    let mid = (0..=mid)
        .rev()
        .find(|i| text.is_char_boundary(*i))
        .unwrap_or(0);
    let mut events = vec![
        ev(
            "message_start",
            json!({"type": "message_start", "message": {
                "id": id, "type": "message", "role": "assistant", "content": [], "model": model,
                "stop_reason": null, "stop_sequence": null,
                "usage": {"input_tokens": 10, "output_tokens": 1}
            }}),
        ),
        ev(
            "content_block_start",
            json!({"type": "content_block_start", "index": 0, "content_block": {"type": "tool_use", "id": tool_id, "name": name, "input": {}}}),
        ),
    ];
    for part in [&text[..mid], &text[mid..]] {
        events.push(ev(
            "content_block_delta",
            json!({"type": "content_block_delta", "index": 0, "delta": {"type": "input_json_delta", "partial_json": part}}),
        ));
    }
    events.push(ev(
        "content_block_stop",
        json!({"type": "content_block_stop", "index": 0}),
    ));
    events.push(ev(
        "message_delta",
        json!({"type": "message_delta", "delta": {"stop_reason": "tool_use", "stop_sequence": null}, "usage": {"output_tokens": 5}}),
    ));
    events.push(ev("message_stop", json!({"type": "message_stop"})));
    Answer::sse(events)
}

fn anthropic(body: &Value, opts: &Options<'_>) -> Answer {
    let messages = body.get("messages");
    let last = last_user(messages, "user");
    let user = last
        .map(|m| content_text(m.get("content")))
        .unwrap_or_default();
    if let Some((name, schema)) = anthropic_forced_tool(body) {
        return anthropic_tool_answer(body, opts, &name, &structured_reply(&user, schema));
    }
    let reply = match reply_for(Format::Anthropic, last, user) {
        Ok(r) => r,
        Err(e) => return bad_request(Format::Anthropic, &e),
    };
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
    let last = last_user(contents, "user");
    let user = last.map(|c| parts_text(Some(c))).unwrap_or_default();
    let reply = match gemini_json(body) {
        Some(schema) => structured_reply(&user, schema).to_string(),
        None => match reply_for(Format::Gemini, last, user) {
            Ok(r) => r,
            Err(e) => return bad_request(Format::Gemini, &e),
        },
    };
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
