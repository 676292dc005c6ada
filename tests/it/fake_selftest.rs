//! Self-tests of the fake Helicone gateway, driven directly with reqwest.

use std::time::{Duration, Instant};

use serde_json::{Value, json};

use crate::support::ratelimit;
use crate::support::{FakeGateway, RATE_LIMITED_BODY, Script, is_valid_request_id};

const KEY: &str = "sk-helicone-TESTAAA-BBBBBBB-CCCCCCC-DDDDDDD";
const PK: &str = "pk-helicone-aaaaaaa-bbbbbbb-ccccccc-ddddddd";

fn client() -> reqwest::Client {
    reqwest::Client::builder().no_proxy().build().unwrap()
}

async fn post(
    gw: &FakeGateway,
    path: &str,
    headers: &[(&str, &str)],
    body: &Value,
) -> reqwest::Response {
    post_raw(gw, path, headers, body.to_string().into_bytes()).await
}

async fn post_raw(
    gw: &FakeGateway,
    path: &str,
    headers: &[(&str, &str)],
    body: Vec<u8>,
) -> reqwest::Response {
    let mut req = client()
        .post(format!("{}{path}", gw.url()))
        .header("content-type", "application/json")
        .body(body);
    for (n, v) in headers {
        req = req.header(*n, *v);
    }
    req.send().await.unwrap()
}

fn hdr(resp: &reqwest::Response, name: &str) -> Option<String> {
    resp.headers()
        .get(name)
        .map(|v| v.to_str().unwrap().to_string())
}

async fn json_of(resp: reqwest::Response) -> Value {
    serde_json::from_slice(&resp.bytes().await.unwrap()).unwrap()
}

fn openai_body(prompt: &str, stream: bool) -> Value {
    json!({"model": "gpt-4o-mini", "stream": stream,
           "messages": [{"role": "system", "content": "Be brief"}, {"role": "user", "content": prompt}]})
}

/// Every `data:` payload of an SSE body.
fn sse_data(body: &str) -> Vec<String> {
    body.lines()
        .filter_map(|l| l.strip_prefix("data: "))
        .map(str::to_string)
        .collect()
}

fn sse_events(body: &str) -> Vec<String> {
    body.lines()
        .filter_map(|l| l.strip_prefix("event: "))
        .map(str::to_string)
        .collect()
}

// ---------------------------------------------------------------- formats

#[tokio::test]
async fn openai_json_answer() {
    let gw = FakeGateway::start();
    let resp = post(
        &gw,
        "/v1/chat/completions",
        &[],
        &openai_body("hi there", false),
    )
    .await;
    assert_eq!(resp.status(), 200);
    assert!(
        hdr(&resp, "content-type")
            .unwrap()
            .starts_with("application/json")
    );
    assert_eq!(hdr(&resp, "helicone-status").as_deref(), Some("success"));
    assert!(is_valid_request_id(&hdr(&resp, "helicone-id").unwrap()));
    let v = json_of(resp).await;
    assert_eq!(v["object"], "chat.completion");
    assert!(v["id"].as_str().unwrap().starts_with("chatcmpl-"));
    assert_eq!(v["model"], "gpt-4o-mini");
    assert_eq!(v["choices"][0]["message"]["role"], "assistant");
    assert_eq!(
        v["choices"][0]["message"]["content"],
        "Hello! You said: hi there"
    );
    assert_eq!(v["choices"][0]["finish_reason"], "stop");
    assert_eq!(v["usage"]["prompt_tokens"], 4);
    assert_eq!(v["usage"]["completion_tokens"], 5);
    assert_eq!(v["usage"]["total_tokens"], 9);
    assert_eq!(gw.upstream_calls(), 1);
    let rec = gw.last_request();
    assert_eq!(rec.method, "POST");
    assert_eq!(rec.path, "/v1/chat/completions");
    assert_eq!(rec.json()["messages"][1]["content"], "hi there");
    assert_eq!(rec.header("Content-Type"), Some("application/json"));
}

#[tokio::test]
async fn openai_paths_and_content_parts() {
    let gw = FakeGateway::start();
    let body = json!({"model": "m", "messages": [
        {"role": "user", "content": "first"},
        {"role": "assistant", "content": "x"},
        {"role": "user", "content": [{"type": "text", "text": "second one"}]}
    ]});
    for path in [
        "/openai/v1/chat/completions",
        "/api/v1/chat/completions",
        "/inference/v1/chat/completions",
        "/v1/openai/chat/completions",
        "/chat/completions",
        "/openai/deployments/dep1/chat/completions",
    ] {
        let resp = post(&gw, path, &[], &body).await;
        assert_eq!(resp.status(), 200, "{path}");
        let v = json_of(resp).await;
        assert_eq!(
            v["choices"][0]["message"]["content"], "Hello! You said: second one",
            "{path}"
        );
    }
    assert_eq!(gw.requests().len(), 6);
    assert_eq!(
        gw.requests()[5].path,
        "/openai/deployments/dep1/chat/completions"
    );
}

#[tokio::test]
async fn anthropic_json_answer() {
    let gw = FakeGateway::start();
    let body = json!({"model": "claude-3-5-haiku-latest", "max_tokens": 100, "system": "Be brief",
                      "messages": [{"role": "user", "content": "héllo 世界"}]});
    let resp = post(&gw, "/v1/messages", &[], &body).await;
    assert_eq!(resp.status(), 200);
    let v = json_of(resp).await;
    assert_eq!(v["type"], "message");
    assert!(v["id"].as_str().unwrap().starts_with("msg_"));
    assert_eq!(v["role"], "assistant");
    assert_eq!(v["model"], "claude-3-5-haiku-latest");
    assert_eq!(v["content"][0]["type"], "text");
    assert_eq!(v["content"][0]["text"], "Hello! You said: héllo 世界");
    assert_eq!(v["stop_reason"], "end_turn");
    assert_eq!(v["stop_sequence"], Value::Null);
    assert_eq!(v["usage"]["input_tokens"], 4);
    assert_eq!(v["usage"]["output_tokens"], 5);
}

#[tokio::test]
async fn gemini_and_vertex_json_answer() {
    let gw = FakeGateway::start();
    let body = json!({"contents": [{"role": "user", "parts": [{"text": "why blue"}]}]});
    for (path, model) in [
        (
            "/v1beta/models/gemini-2.0-flash:generateContent",
            "gemini-2.0-flash",
        ),
        (
            "/v1/projects/p1/locations/us-central1/publishers/google/models/gemini-1.5-pro:generateContent",
            "gemini-1.5-pro",
        ),
    ] {
        let resp = post(&gw, &format!("{path}?key=abc"), &[], &body).await;
        assert_eq!(resp.status(), 200);
        let v = json_of(resp).await;
        let c = &v["candidates"][0];
        assert_eq!(
            c["content"]["parts"][0]["text"],
            "Hello! You said: why blue"
        );
        assert_eq!(c["content"]["role"], "model");
        assert_eq!(c["finishReason"], "STOP");
        assert_eq!(c["index"], 0);
        assert_eq!(v["usageMetadata"]["promptTokenCount"], 2);
        assert_eq!(v["usageMetadata"]["candidatesTokenCount"], 5);
        assert_eq!(v["usageMetadata"]["totalTokenCount"], 7);
        assert_eq!(v["modelVersion"], model);
    }
    assert_eq!(gw.last_request().query.as_deref(), Some("key=abc"));
}

#[tokio::test]
async fn invalid_json_and_unknown_path() {
    let gw = FakeGateway::start();
    let r = post_raw(&gw, "/v1/chat/completions", &[], b"{not json".to_vec()).await;
    assert_eq!(r.status(), 400);
    assert_eq!(json_of(r).await["error"]["type"], "invalid_request_error");
    let r = post_raw(&gw, "/v1/messages", &[], b"{".to_vec()).await;
    assert_eq!(r.status(), 400);
    assert_eq!(json_of(r).await["type"], "error");
    let r = post_raw(&gw, "/v1beta/models/g:generateContent", &[], b"[".to_vec()).await;
    assert_eq!(r.status(), 400);
    assert_eq!(json_of(r).await["error"]["status"], "INVALID_ARGUMENT");
    let r = post(&gw, "/v1/nothing", &[], &json!({})).await;
    assert_eq!(r.status(), 404);
    assert!(hdr(&r, "helicone-id").is_some());
    assert_eq!(gw.requests().len(), 4);
}

// ---------------------------------------------------------------- streams

#[tokio::test]
async fn openai_stream_with_usage() {
    let gw = FakeGateway::start();
    let mut body = openai_body("tell me  more", true);
    body["stream_options"] = json!({"include_usage": true});
    let resp = post(&gw, "/v1/chat/completions", &[], &body).await;
    assert_eq!(resp.status(), 200);
    assert!(
        hdr(&resp, "content-type")
            .unwrap()
            .starts_with("text/event-stream")
    );
    let text = resp.text().await.unwrap();
    let data = sse_data(&text);
    assert_eq!(data.last().unwrap(), "[DONE]");
    let chunks: Vec<Value> = data[..data.len() - 1]
        .iter()
        .map(|d| serde_json::from_str(d).unwrap())
        .collect();
    assert_eq!(chunks[0]["choices"][0]["delta"]["role"], "assistant");
    assert_eq!(chunks[0]["object"], "chat.completion.chunk");
    let content: String = chunks
        .iter()
        .filter_map(|c| c["choices"][0]["delta"]["content"].as_str())
        .collect();
    assert_eq!(content, "Hello! You said: tell me  more");
    // One event per word, spaces preserved as leading whitespace.
    assert_eq!(chunks[2]["choices"][0]["delta"]["content"], " You");
    let finish = &chunks[chunks.len() - 2];
    assert_eq!(finish["choices"][0]["finish_reason"], "stop");
    let usage = chunks.last().unwrap();
    assert_eq!(usage["choices"], json!([]));
    assert_eq!(usage["usage"]["completion_tokens"], 6);
    assert_eq!(usage["usage"]["prompt_tokens"], 5);
    assert_eq!(chunks[1]["usage"], Value::Null);
    assert!(text.contains("\n\n"));
}

#[tokio::test]
async fn openai_stream_without_usage() {
    let gw = FakeGateway::start();
    let resp = post(&gw, "/v1/chat/completions", &[], &openai_body("hi", true)).await;
    let text = resp.text().await.unwrap();
    let data = sse_data(&text);
    assert_eq!(data.last().unwrap(), "[DONE]");
    for d in &data[..data.len() - 1] {
        let v: Value = serde_json::from_str(d).unwrap();
        assert!(v.get("usage").is_none());
        assert_eq!(v["choices"].as_array().unwrap().len(), 1);
    }
}

#[tokio::test]
async fn anthropic_stream() {
    let gw = FakeGateway::start();
    let body = json!({"model": "claude-x", "stream": true, "max_tokens": 5,
                      "messages": [{"role": "user", "content": [{"type": "text", "text": "ping me"}]}]});
    let resp = post(&gw, "/v1/messages", &[], &body).await;
    assert!(
        hdr(&resp, "content-type")
            .unwrap()
            .starts_with("text/event-stream")
    );
    let text = resp.text().await.unwrap();
    let events = sse_events(&text);
    assert_eq!(
        events,
        [
            "message_start",
            "content_block_start",
            "ping",
            "content_block_delta",
            "content_block_delta",
            "content_block_delta",
            "content_block_delta",
            "content_block_delta",
            "content_block_stop",
            "message_delta",
            "message_stop"
        ]
    );
    let data: Vec<Value> = sse_data(&text)
        .iter()
        .map(|d| serde_json::from_str(d).unwrap())
        .collect();
    assert_eq!(data[0]["message"]["usage"]["input_tokens"], 2);
    assert_eq!(data[0]["message"]["model"], "claude-x");
    let t: String = data
        .iter()
        .filter_map(|d| d["delta"]["text"].as_str())
        .collect();
    assert_eq!(t, "Hello! You said: ping me");
    assert_eq!(data[9]["delta"]["stop_reason"], "end_turn");
    assert_eq!(data[9]["usage"]["output_tokens"], 5);
}

#[tokio::test]
async fn gemini_stream() {
    let gw = FakeGateway::start();
    let body = json!({"contents": [{"role": "user", "parts": [{"text": "ciao"}]}]});
    let resp = post(
        &gw,
        "/v1beta/models/gemini-2.0-flash:streamGenerateContent?alt=sse",
        &[],
        &body,
    )
    .await;
    assert!(
        hdr(&resp, "content-type")
            .unwrap()
            .starts_with("text/event-stream")
    );
    let text = resp.text().await.unwrap();
    assert!(!text.contains("[DONE]"));
    let data: Vec<Value> = sse_data(&text)
        .iter()
        .map(|d| serde_json::from_str(d).unwrap())
        .collect();
    assert_eq!(data.len(), 4);
    for (i, d) in data.iter().enumerate() {
        assert_eq!(d["candidates"][0]["finishReason"], "STOP");
        assert_eq!(d.get("usageMetadata").is_some(), i == 3);
        assert_eq!(d["modelVersion"], "gemini-2.0-flash");
    }
    let t: String = data
        .iter()
        .map(|d| {
            d["candidates"][0]["content"]["parts"][0]["text"]
                .as_str()
                .unwrap()
        })
        .collect();
    assert_eq!(t, "Hello! You said: ciao");
    assert_eq!(data[3]["usageMetadata"]["candidatesTokenCount"], 4);
}

#[tokio::test]
async fn stream_is_sent_incrementally() {
    let gw = FakeGateway::start();
    gw.set_stream_delay(Duration::from_millis(40));
    let start = Instant::now();
    let mut resp = post(
        &gw,
        "/v1/chat/completions",
        &[],
        &openai_body("a b c", true),
    )
    .await;
    let first = resp.chunk().await.unwrap().unwrap();
    let first_at = start.elapsed();
    assert!(String::from_utf8_lossy(&first).contains("\"role\":\"assistant\""));
    let mut n = 1;
    while resp.chunk().await.unwrap().is_some() {
        n += 1;
    }
    let total = start.elapsed();
    // role + 6 words + finish + [DONE], each its own chunk.
    assert_eq!(n, 9);
    assert!(total >= Duration::from_millis(300), "{total:?}");
    assert!(
        first_at < total - Duration::from_millis(200),
        "{first_at:?} vs {total:?}"
    );
}

// ---------------------------------------------------------------- Helicone id

#[tokio::test]
async fn helicone_id_echo_and_replacement() {
    let gw = FakeGateway::start();
    let valid = "0b9ad8a6-4c38-4b2e-9a6d-5b2b6a5f4e11";
    let r = post(
        &gw,
        "/v1/chat/completions",
        &[("helicone-request-id", valid)],
        &openai_body("x", false),
    )
    .await;
    assert_eq!(hdr(&r, "helicone-id").as_deref(), Some(valid));
    for bad in [
        "not-a-uuid",
        "0B9AD8A6-4C38-4B2E-9A6D-5B2B6A5F4E11",
        "0b9ad8a6-4c38-6b2e-9a6d-5b2b6a5f4e11",
    ] {
        let r = post(
            &gw,
            "/v1/chat/completions",
            &[("helicone-request-id", bad)],
            &openai_body("x", false),
        )
        .await;
        let id = hdr(&r, "helicone-id").unwrap();
        assert_ne!(id, bad);
        assert!(is_valid_request_id(&id));
    }
}

// ---------------------------------------------------------------- cache

fn cache_headers(key: &str) -> Vec<(&'static str, String)> {
    vec![
        ("helicone-auth", format!("Bearer {key}")),
        ("helicone-cache-enabled", "true".to_string()),
        ("authorization", "Bearer sk-openai-1".to_string()),
    ]
}

async fn post_h(
    gw: &FakeGateway,
    path: &str,
    headers: &[(&str, String)],
    body: &Value,
) -> reqwest::Response {
    let h: Vec<(&str, &str)> = headers.iter().map(|(n, v)| (*n, v.as_str())).collect();
    post(gw, path, &h, body).await
}

#[tokio::test]
async fn cache_miss_then_hit() {
    let gw = FakeGateway::start();
    let h = cache_headers(KEY);
    let body = openai_body("cache me", false);
    let r1 = post_h(&gw, "/v1/chat/completions", &h, &body).await;
    assert_eq!(hdr(&r1, "helicone-cache").as_deref(), Some("MISS"));
    let id1 = hdr(&r1, "helicone-id").unwrap();
    let b1 = r1.bytes().await.unwrap();
    let r2 = post_h(&gw, "/v1/chat/completions", &h, &body).await;
    assert_eq!(r2.status(), 200);
    assert_eq!(hdr(&r2, "helicone-cache").as_deref(), Some("HIT"));
    assert_eq!(hdr(&r2, "helicone-cache-bucket-idx").as_deref(), Some("0"));
    assert!(
        hdr(&r2, "helicone-cache-latency")
            .unwrap()
            .parse::<u64>()
            .is_ok()
    );
    assert!(
        hdr(&r2, "content-type")
            .unwrap()
            .starts_with("application/json")
    );
    assert_ne!(hdr(&r2, "helicone-id").unwrap(), id1);
    assert_eq!(r2.bytes().await.unwrap(), b1);
    assert_eq!(gw.upstream_calls(), 1);
    assert_eq!(gw.requests().len(), 2);
    // "TRUE" is accepted too (the reader lower-cases the value).
    let mut h2 = h.clone();
    h2[1].1 = "TRUE".to_string();
    let r3 = post_h(&gw, "/v1/chat/completions", &h2, &body).await;
    assert_eq!(
        hdr(&r3, "helicone-cache").as_deref(),
        Some("MISS"),
        "header value is part of the key"
    );
}

#[tokio::test]
async fn cached_stream_replays_in_one_burst() {
    let gw = FakeGateway::start();
    gw.set_stream_delay(Duration::from_millis(5));
    let h = cache_headers(KEY);
    let body = openai_body("stream and cache", true);
    let r1 = post_h(&gw, "/v1/chat/completions", &h, &body).await;
    assert_eq!(hdr(&r1, "helicone-cache").as_deref(), Some("MISS"));
    let b1 = r1.text().await.unwrap();
    let mut r2 = post_h(&gw, "/v1/chat/completions", &h, &body).await;
    assert_eq!(hdr(&r2, "helicone-cache").as_deref(), Some("HIT"));
    assert!(
        hdr(&r2, "content-type")
            .unwrap()
            .starts_with("text/event-stream")
    );
    let mut chunks = Vec::new();
    while let Some(c) = r2.chunk().await.unwrap() {
        chunks.push(c);
    }
    assert_eq!(String::from_utf8(chunks.concat()).unwrap(), b1);
    assert!(
        chunks.len() <= 2,
        "HIT should be a burst, got {} chunks",
        chunks.len()
    );
    // The non-streamed body caches separately.
    let r3 = post_h(
        &gw,
        "/v1/chat/completions",
        &h,
        &openai_body("stream and cache", false),
    )
    .await;
    assert_eq!(hdr(&r3, "helicone-cache").as_deref(), Some("MISS"));
}

#[tokio::test]
async fn cache_bucket_of_three() {
    let gw = FakeGateway::start();
    let mut h = cache_headers(KEY);
    h.push(("helicone-cache-bucket-max-size", "3".to_string()));
    let body = openai_body("bucket", false);
    for _ in 0..3 {
        let r = post_h(&gw, "/v1/chat/completions", &h, &body).await;
        assert_eq!(hdr(&r, "helicone-cache").as_deref(), Some("MISS"));
    }
    let r = post_h(&gw, "/v1/chat/completions", &h, &body).await;
    assert_eq!(hdr(&r, "helicone-cache").as_deref(), Some("HIT"));
    let idx: usize = hdr(&r, "helicone-cache-bucket-idx")
        .unwrap()
        .parse()
        .unwrap();
    assert!(idx < 3);
    assert_eq!(gw.upstream_calls(), 3);
}

#[tokio::test]
async fn cache_key_covers_authorization_seed_and_url() {
    let gw = FakeGateway::start();
    let body = openai_body("key parts", false);
    let h = cache_headers(KEY);
    post_h(&gw, "/v1/chat/completions", &h, &body).await;
    let mut other_auth = h.clone();
    other_auth[2].1 = "Bearer sk-openai-2".to_string();
    let r = post_h(&gw, "/v1/chat/completions", &other_auth, &body).await;
    assert_eq!(hdr(&r, "helicone-cache").as_deref(), Some("MISS"));
    let mut seeded = h.clone();
    seeded.push(("helicone-cache-seed", "s1".to_string()));
    let r = post_h(&gw, "/v1/chat/completions", &seeded, &body).await;
    assert_eq!(hdr(&r, "helicone-cache").as_deref(), Some("MISS"));
    let r = post_h(&gw, "/v1/chat/completions?x=1", &h, &body).await;
    assert_eq!(hdr(&r, "helicone-cache").as_deref(), Some("MISS"));
    // Properties do not change the key.
    let mut prop = h.clone();
    prop.push(("helicone-property-app", "hcl".to_string()));
    let r = post_h(&gw, "/v1/chat/completions", &prop, &body).await;
    assert_eq!(hdr(&r, "helicone-cache").as_deref(), Some("HIT"));
}

#[tokio::test]
async fn unauthenticated_is_never_cached() {
    let gw = FakeGateway::start();
    let h = vec![
        ("helicone-cache-enabled", "true".to_string()),
        ("authorization", "Bearer sk-openai-1".to_string()),
    ];
    let mut wrong = h.clone();
    wrong.push(("helicone-auth", "Bearer sk-not-helicone".to_string()));
    for headers in [&h, &h, &wrong, &wrong] {
        let r = post_h(
            &gw,
            "/v1/chat/completions",
            headers,
            &openai_body("no auth", false),
        )
        .await;
        assert_eq!(r.status(), 200);
        assert_eq!(hdr(&r, "helicone-cache").as_deref(), Some("MISS"));
    }
    assert_eq!(gw.upstream_calls(), 4);
}

#[tokio::test]
async fn cache_bucket_too_large_and_ttl_zero() {
    let gw = FakeGateway::start();
    let mut h = cache_headers(KEY);
    h.push(("helicone-cache-bucket-max-size", "21".to_string()));
    let r = post_h(&gw, "/v1/chat/completions", &h, &openai_body("x", false)).await;
    assert_eq!(r.status(), 500);
    assert_eq!(
        r.text().await.unwrap(),
        "Cache bucket size cannot be greater than 20"
    );
    let mut h = cache_headers(KEY);
    h.push(("cache-control", "max-age=0".to_string()));
    for _ in 0..2 {
        let r = post_h(&gw, "/v1/chat/completions", &h, &openai_body("ttl", false)).await;
        assert_eq!(hdr(&r, "helicone-cache").as_deref(), Some("MISS"));
    }
}

#[tokio::test]
async fn cache_does_not_store_errors() {
    let gw = FakeGateway::start();
    gw.push_script(Script::Respond {
        status: 500,
        headers: vec![("content-type".into(), "application/json".into())],
        body: r#"{"error":{"message":"boom"}}"#.into(),
    });
    let h = cache_headers(KEY);
    let body = openai_body("flaky", false);
    let r = post_h(&gw, "/v1/chat/completions", &h, &body).await;
    assert_eq!(r.status(), 500);
    assert_eq!(hdr(&r, "helicone-cache").as_deref(), Some("MISS"));
    let r = post_h(&gw, "/v1/chat/completions", &h, &body).await;
    assert_eq!(
        (r.status().as_u16(), hdr(&r, "helicone-cache").unwrap()),
        (200, "MISS".to_string())
    );
    let r = post_h(&gw, "/v1/chat/completions", &h, &body).await;
    assert_eq!(hdr(&r, "helicone-cache").as_deref(), Some("HIT"));
}

// ---------------------------------------------------------------- rate limits

#[tokio::test]
async fn rate_limit_denies_third_request() {
    let gw = FakeGateway::start();
    let h = vec![
        ("helicone-auth", format!("Bearer {KEY}")),
        ("helicone-ratelimit-policy", "2;w=60".to_string()),
    ];
    for remaining in ["1", "0"] {
        let r = post_h(&gw, "/v1/chat/completions", &h, &openai_body("rl", false)).await;
        assert_eq!(r.status(), 200);
        assert_eq!(hdr(&r, "helicone-ratelimit-limit").as_deref(), Some("2"));
        assert_eq!(
            hdr(&r, "helicone-ratelimit-remaining").as_deref(),
            Some(remaining)
        );
        assert_eq!(
            hdr(&r, "helicone-ratelimit-policy").as_deref(),
            Some("2;w=60")
        );
        assert!(hdr(&r, "helicone-ratelimit-reset").is_some());
    }
    let r = post_h(&gw, "/v1/chat/completions", &h, &openai_body("rl", false)).await;
    assert_eq!(r.status(), 429);
    assert_eq!(
        hdr(&r, "content-type").as_deref(),
        Some("application/json;charset=UTF-8")
    );
    assert_eq!(hdr(&r, "x-helicone-error").as_deref(), Some("rate_limited"));
    assert_eq!(hdr(&r, "helicone-status").as_deref(), Some("success"));
    assert!(hdr(&r, "helicone-id").is_some());
    assert_eq!(hdr(&r, "helicone-ratelimit-limit").as_deref(), Some("2"));
    assert_eq!(
        hdr(&r, "helicone-ratelimit-remaining").as_deref(),
        Some("0")
    );
    assert_eq!(
        hdr(&r, "helicone-ratelimit-policy").as_deref(),
        Some("2;w=60")
    );
    let reset: u64 = hdr(&r, "helicone-ratelimit-reset")
        .unwrap()
        .parse()
        .unwrap();
    assert!((59..=60).contains(&reset), "{reset}");
    assert_eq!(r.text().await.unwrap(), RATE_LIMITED_BODY);
    assert_eq!(gw.upstream_calls(), 2);
    assert_eq!(gw.requests().len(), 3);
}

#[tokio::test]
async fn rate_limit_fails_open() {
    let gw = FakeGateway::start();
    for policy in [
        "0;w=60",
        "5;w=10",
        "abc",
        "5;w=60;u=tokens",
        "1;w=60;s=user",
        "1;w=60;s=team",
    ] {
        for _ in 0..3 {
            let h = vec![
                ("helicone-auth", format!("Bearer {KEY}")),
                ("helicone-ratelimit-policy", policy.to_string()),
            ];
            let r = post_h(&gw, "/v1/chat/completions", &h, &openai_body("open", false)).await;
            assert_eq!(r.status(), 200, "{policy}");
            assert!(hdr(&r, "helicone-ratelimit-limit").is_none(), "{policy}");
        }
    }
    // Unauthenticated: never rate-limited.
    for _ in 0..3 {
        let h = vec![("helicone-ratelimit-policy", "1;w=60".to_string())];
        let r = post_h(&gw, "/v1/chat/completions", &h, &openai_body("open", false)).await;
        assert_eq!(r.status(), 200);
        assert!(hdr(&r, "helicone-ratelimit-limit").is_none());
    }
}

#[tokio::test]
async fn rate_limit_segments_and_cache_hits() {
    let gw = FakeGateway::start();
    let user = |u: &str| {
        vec![
            ("helicone-auth", format!("Bearer {KEY}")),
            ("helicone-ratelimit-policy", "1;W=60;s=user".to_string()),
            ("helicone-user-id", u.to_string()),
        ]
    };
    let r = post_h(
        &gw,
        "/v1/chat/completions",
        &user("alice"),
        &openai_body("a", false),
    )
    .await;
    assert_eq!(r.status(), 200);
    assert_eq!(
        hdr(&r, "helicone-ratelimit-policy").as_deref(),
        Some("1;w=60;s=user")
    );
    let r = post_h(
        &gw,
        "/v1/chat/completions",
        &user("alice"),
        &openai_body("a", false),
    )
    .await;
    assert_eq!(r.status(), 429);
    let r = post_h(
        &gw,
        "/v1/chat/completions",
        &user("bob"),
        &openai_body("a", false),
    )
    .await;
    assert_eq!(r.status(), 200);

    // Cents: checked, never deducted.
    let h = vec![
        ("helicone-auth", format!("Bearer {KEY}")),
        (
            "helicone-ratelimit-policy",
            "1.5;w=3600;u=cents".to_string(),
        ),
    ];
    for _ in 0..3 {
        let r = post_h(&gw, "/v1/chat/completions", &h, &openai_body("c", false)).await;
        assert_eq!(r.status(), 200);
        assert_eq!(
            hdr(&r, "helicone-ratelimit-policy").as_deref(),
            Some("1.5;w=3600;u=cents")
        );
        assert_eq!(
            hdr(&r, "helicone-ratelimit-remaining").as_deref(),
            Some("1")
        );
        assert!(hdr(&r, "helicone-ratelimit-reset").is_none());
    }

    // A cache HIT consumes no quota.
    let mut h = cache_headers(KEY);
    h.push(("helicone-ratelimit-policy", "1;w=60;s=app".to_string()));
    h.push(("helicone-property-App", "hcl".to_string()));
    let r = post_h(&gw, "/v1/chat/completions", &h, &openai_body("hit", false)).await;
    assert_eq!(
        (r.status().as_u16(), hdr(&r, "helicone-cache").unwrap()),
        (200, "MISS".to_string())
    );
    let r = post_h(&gw, "/v1/chat/completions", &h, &openai_body("hit", false)).await;
    assert_eq!(
        (r.status().as_u16(), hdr(&r, "helicone-cache").unwrap()),
        (200, "HIT".to_string())
    );
    assert!(hdr(&r, "helicone-ratelimit-limit").is_none());
    let r = post_h(
        &gw,
        "/v1/chat/completions",
        &h,
        &openai_body("other", false),
    )
    .await;
    assert_eq!(r.status(), 429);
    assert_eq!(hdr(&r, "helicone-cache").as_deref(), Some("MISS"));
}

#[test]
fn policy_parser() {
    let p = ratelimit::parse("1000;w=3600").unwrap();
    assert_eq!(
        (p.quota, p.window_secs, p.cents, p.segment),
        (1000.0, 3600, false, None)
    );
    let p = ratelimit::parse("500;w=3600;u=cents;s=user").unwrap();
    assert_eq!(p.echo(), "500;w=3600;u=cents;s=user");
    assert_eq!(
        ratelimit::parse("5;w=60;u=request").unwrap().echo(),
        "5;w=60"
    );
    assert_eq!(
        ratelimit::parse("2.5;w=60;s=org-1").unwrap().echo(),
        "2.5;w=60;s=org-1"
    );
    for bad in [
        "",
        "5",
        "5;w=59",
        "5;w=31536001",
        "0;w=60",
        "-1;w=60",
        "1.;w=60",
        "5;w=60;",
        "5;w=60;s=user;u=cents",
        "5;w=60;s=a.b",
        "5; w=60",
    ] {
        assert!(ratelimit::parse(bad).is_none(), "{bad:?}");
    }
}

// ---------------------------------------------------------------- scripts

#[tokio::test]
async fn script_respond_any_status_and_body() {
    let gw = FakeGateway::start();
    gw.push_script(Script::Respond {
        status: 502,
        headers: vec![("content-type".into(), "text/html".into())],
        body: "<html><body>Bad gateway</body></html>".into(),
    });
    gw.push_script(Script::Respond {
        status: 200,
        headers: vec![
            ("content-type".into(), "application/json".into()),
            ("Helicone-Id".into(), "fixed".into()),
        ],
        body: "{\"choices\": [".into(),
    });
    let r = post(&gw, "/anything/at/all", &[], &json!({})).await;
    assert_eq!(r.status(), 502);
    assert_eq!(hdr(&r, "content-type").as_deref(), Some("text/html"));
    assert_eq!(hdr(&r, "helicone-status").as_deref(), Some("success"));
    assert!(hdr(&r, "helicone-id").is_some());
    assert_eq!(
        r.text().await.unwrap(),
        "<html><body>Bad gateway</body></html>"
    );
    let r = post(&gw, "/v1/chat/completions", &[], &openai_body("x", false)).await;
    assert_eq!(hdr(&r, "helicone-id").as_deref(), Some("fixed"));
    assert_eq!(r.text().await.unwrap(), "{\"choices\": [");
    // Queue empty: default behaviour again.
    let r = post(&gw, "/v1/chat/completions", &[], &openai_body("x", false)).await;
    assert_eq!(r.status(), 200);
    assert_eq!(gw.requests().len(), 3);
}

#[tokio::test]
async fn script_chunks_keep_boundaries() {
    let gw = FakeGateway::start();
    let euro = "€".as_bytes(); // 3 bytes
    let mut first = b"data: {\"x\":\"".to_vec();
    first.extend_from_slice(&euro[..1]);
    let mut second = euro[1..].to_vec();
    second.extend_from_slice(b"\"}\r\n\r\n");
    gw.push_script(Script::Chunks {
        status: 200,
        headers: vec![("content-type".into(), "text/event-stream".into())],
        chunks: vec![
            (Duration::ZERO, first.clone()),
            (Duration::from_millis(50), second.clone()),
        ],
    });
    let mut r = post(&gw, "/v1/chat/completions", &[], &openai_body("x", true)).await;
    assert_eq!(r.status(), 200);
    assert!(hdr(&r, "helicone-id").is_some());
    let mut got = Vec::new();
    while let Some(c) = r.chunk().await.unwrap() {
        got.push(c.to_vec());
    }
    assert_eq!(got, vec![first, second]);
}

#[tokio::test]
async fn script_delay_then() {
    let gw = FakeGateway::start();
    gw.push_script(Script::DelayThen(
        Duration::from_millis(200),
        Box::new(Script::Respond {
            status: 200,
            headers: vec![],
            body: "late".into(),
        }),
    ));
    let start = Instant::now();
    let r = post(&gw, "/v1/chat/completions", &[], &openai_body("x", false)).await;
    assert!(start.elapsed() >= Duration::from_millis(200));
    assert_eq!(r.text().await.unwrap(), "late");
}

#[tokio::test]
async fn script_drop_before_headers() {
    let gw = FakeGateway::start();
    gw.push_script(Script::DropBeforeHeaders);
    let err = client()
        .post(format!("{}/v1/chat/completions", gw.url()))
        .body(openai_body("x", false).to_string())
        .send()
        .await
        .unwrap_err();
    assert!(!err.is_timeout(), "{err:?}");
    assert_eq!(gw.requests().len(), 1);
    assert_eq!(gw.last_request().json()["model"], "gpt-4o-mini");
    // The fake keeps serving.
    let r = post(&gw, "/v1/chat/completions", &[], &openai_body("x", false)).await;
    assert_eq!(r.status(), 200);
}

#[tokio::test]
async fn script_chunks_then_drop_is_an_error() {
    let gw = FakeGateway::start();
    gw.push_script(Script::ChunksThenDrop {
        status: 200,
        headers: vec![("content-type".into(), "text/event-stream".into())],
        chunks: vec![(Duration::ZERO, b"data: {\"a\":1}\n\n".to_vec())],
    });
    let mut r = post(&gw, "/v1/chat/completions", &[], &openai_body("x", true)).await;
    assert_eq!(r.status(), 200);
    let first = r.chunk().await.unwrap().unwrap();
    assert_eq!(&first[..], b"data: {\"a\":1}\n\n");
    assert!(
        r.chunk().await.is_err(),
        "a dropped body must be an error, not a clean end"
    );
}

#[tokio::test]
async fn script_chunks_then_stall() {
    let gw = FakeGateway::start();
    gw.push_script(Script::ChunksThenStall {
        status: 200,
        headers: vec![("content-type".into(), "text/event-stream".into())],
        chunks: vec![(Duration::ZERO, b"data: {\"a\":1}\n\n".to_vec())],
        stall: Duration::from_millis(800),
    });
    let mut r = post(&gw, "/v1/chat/completions", &[], &openai_body("x", true)).await;
    r.chunk().await.unwrap().unwrap();
    let waited = tokio::time::timeout(Duration::from_millis(300), r.chunk()).await;
    assert!(waited.is_err(), "the stream should be silent");
    // After the stall the body ends cleanly.
    let start = Instant::now();
    assert!(r.chunk().await.unwrap().is_none());
    assert!(start.elapsed() >= Duration::from_millis(300));
}

#[tokio::test]
async fn max_in_flight_counts_concurrent_requests() {
    let gw = FakeGateway::start();
    gw.set_stream_delay(Duration::from_millis(30));
    let futs = (0..4).map(|i| {
        let gw = &gw;
        async move {
            let r = post(
                gw,
                "/v1/chat/completions",
                &[],
                &openai_body(&format!("n{i}"), true),
            )
            .await;
            r.text().await.unwrap()
        }
    });
    let bodies = futures_util::future::join_all(futs).await;
    assert_eq!(bodies.len(), 4);
    assert_eq!(gw.max_in_flight(), 4);
    let r = post(
        &gw,
        "/v1/chat/completions",
        &[],
        &openai_body("alone", false),
    )
    .await;
    r.bytes().await.unwrap();
    assert_eq!(gw.max_in_flight(), 4);
    assert_eq!(gw.upstream_calls(), 5);
}

// ---------------------------------------------------------------- gateways

#[tokio::test]
async fn generic_gateway_needs_target() {
    let gw = FakeGateway::start();
    let r = post(
        &gw,
        "/gateway/v1beta/models/g:generateContent",
        &[],
        &json!({"contents": []}),
    )
    .await;
    assert_eq!(r.status(), 400);
    assert_eq!(r.text().await.unwrap(), "Missing target base url");
    assert_eq!(gw.upstream_calls(), 0);
    let r = post(
        &gw,
        "/gateway/openai/v1/chat/completions",
        &[("helicone-target-url", "https://api.groq.com")],
        &openai_body("groq", false),
    )
    .await;
    assert_eq!(r.status(), 200);
    assert_eq!(
        json_of(r).await["choices"][0]["message"]["content"],
        "Hello! You said: groq"
    );
    assert_eq!(
        gw.last_request().path,
        "/gateway/openai/v1/chat/completions"
    );
    assert_eq!(gw.requests().len(), 2);
}

#[tokio::test]
async fn ai_gateway_auth_and_headers() {
    let gw = FakeGateway::start();
    let body = json!({"model": "claude-3-5-haiku/anthropic", "messages": [{"role": "user", "content": "yo"}]});
    let r = post(&gw, "/ai-gateway/v1/chat/completions", &[], &body).await;
    assert_eq!(r.status(), 401);
    assert_eq!(r.text().await.unwrap(), "Invalid Helicone API key (hshed)");
    let r = post(
        &gw,
        "/ai-gateway/v1/chat/completions",
        &[("authorization", "Bearer sk-openai-x")],
        &body,
    )
    .await;
    assert_eq!(r.status(), 401);
    assert_eq!(r.text().await.unwrap(), "Invalid Helicone API key");
    let auth = format!("Bearer {KEY}");
    let r = post(
        &gw,
        "/ai-gateway/v1/chat/completions",
        &[("authorization", &auth)],
        &body,
    )
    .await;
    assert_eq!(r.status(), 200);
    assert_eq!(hdr(&r, "helicone-gateway-mode").as_deref(), Some("BYOK"));
    assert_eq!(hdr(&r, "helicone-provider").as_deref(), Some("anthropic"));
    assert_eq!(
        hdr(&r, "helicone-model").as_deref(),
        Some("claude-3-5-haiku")
    );
    let v = json_of(r).await;
    assert_eq!(v["object"], "chat.completion");
    assert_eq!(v["choices"][0]["message"]["content"], "Hello! You said: yo");
    let mut sbody = openai_body("s", true);
    sbody["model"] = json!("gpt-4o-mini");
    let r = post(
        &gw,
        "/ai-gateway/chat/completions",
        &[("authorization", &auth)],
        &sbody,
    )
    .await;
    assert_eq!(hdr(&r, "helicone-provider").as_deref(), Some("openai"));
    assert_eq!(hdr(&r, "helicone-model").as_deref(), Some("gpt-4o-mini"));
    let text = r.text().await.unwrap();
    assert!(
        text.contains("\"choices\":[]"),
        "usage chunk is always added: {text}"
    );
    assert_eq!(gw.upstream_calls(), 2);
}

#[tokio::test]
async fn rest_auth_check() {
    use crate::support::helicone_store::{EU_KEY, READ_ONLY_KEY, WRITE_ONLY_KEY};
    let gw = FakeGateway::start();
    let c = client();
    let q = format!("{}/v1/request/query-clickhouse", gw.url());
    let body = r#"{"filter":"all","limit":1}"#;
    let r = c.post(&q).body(body).send().await.unwrap();
    assert_eq!(r.status(), 401);
    assert_eq!(
        json_of(r).await,
        json!({"error": "No API key found", "trace": "isAuthenticated.error"})
    );
    // Unknown keys, and an EU key at the US API: the reason is given.
    for bad in [
        "Bearer sk-helicone-invalid-key".to_string(),
        "Bearer sk-openai".to_string(),
        format!("Bearer {EU_KEY}"),
    ] {
        let r = c
            .post(&q)
            .header("authorization", bad)
            .body(body)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 401);
        assert_eq!(json_of(r).await["error"], "Invalid API key");
    }
    // A key without the permission: 401 and no reason, as Jawn answers.
    let r = c
        .post(&q)
        .header("authorization", format!("Bearer {READ_ONLY_KEY}"))
        .body(body)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 401);
    assert_eq!(
        json_of(r).await,
        json!({"error": null, "trace": "isAuthenticated.error"})
    );
    for key in [KEY, PK, WRITE_ONLY_KEY] {
        let r = c
            .post(&q)
            .header("authorization", format!("Bearer {key}"))
            .body(body)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 200, "{key}");
        assert_eq!(json_of(r).await, json!({"data": [], "error": null}));
    }
    let g = format!(
        "{}/v1/request/0b9ad8a6-4c38-4b2e-9a6d-5b2b6a5f4e11?includeBody=true",
        gw.url()
    );
    // A write-only key cannot GET; a read-only one can.
    let r = c
        .get(&g)
        .header("authorization", format!("Bearer {PK}"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 401);
    let r = c
        .get(&g)
        .header("authorization", format!("Bearer {READ_ONLY_KEY}"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(json_of(r).await, json!({"error": null}));
    // The EU API knows the EU key.
    let r = c
        .post(format!("{}/eu/v1/request/query-clickhouse", gw.url()))
        .header("authorization", format!("Bearer {EU_KEY}"))
        .body(body)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(gw.upstream_calls(), 0);
    assert_eq!(gw.last_request().path, "/eu/v1/request/query-clickhouse");
}

/// The fake Helicone logs what its proxy forwards for known keys, and its
/// REST API finds it only through a wrapped filter, after the ingestion lag.
#[tokio::test]
async fn helicone_logs_and_the_query_needs_the_wrapper() {
    use crate::support::helicone_store::{UNKNOWN_KEY, cost_of};
    let gw = FakeGateway::start();
    let c = client();
    let id = "0b9ad8a6-4c38-4b2e-9a6d-5b2b6a5f4e11";
    let h = vec![
        ("helicone-auth", format!("Bearer {KEY}")),
        ("helicone-request-id", id.to_string()),
        ("helicone-property-team", "search".to_string()),
        ("helicone-user-id", "u1".to_string()),
    ];
    let r = post_h(
        &gw,
        "/v1/chat/completions",
        &h,
        &openai_body("log me", false),
    )
    .await;
    assert_eq!(r.status(), 200);
    let usage = json_of(r).await["usage"].clone();
    // A key Helicone does not know: answered, never logged.
    let r = post(
        &gw,
        "/v1/chat/completions",
        &[("helicone-auth", &format!("Bearer {UNKNOWN_KEY}"))],
        &openai_body("unlogged", false),
    )
    .await;
    assert_eq!(r.status(), 200);
    let stored = gw.helicone_records();
    assert_eq!(stored.len(), 1);
    let s = &stored[0];
    assert_eq!(s.id, id);
    assert_eq!(s.prompt_tokens, usage["prompt_tokens"].as_u64().unwrap());
    assert_eq!(
        s.completion_tokens,
        usage["completion_tokens"].as_u64().unwrap()
    );
    assert_eq!(s.properties["team"], "search");
    assert_eq!(s.user_id.as_deref(), Some("u1"));

    let q = format!("{}/v1/request/query-clickhouse", gw.url());
    let auth = format!("Bearer {KEY}");
    let wrapped =
        json!({"filter": {"request_response_rmt": {"request_id": {"equals": id}}}, "limit": 5});
    let r = c
        .post(&q)
        .header("authorization", &auth)
        .body(wrapped.to_string())
        .send()
        .await
        .unwrap();
    let v = json_of(r).await;
    assert_eq!(v["data"].as_array().unwrap().len(), 1, "{v}");
    assert_eq!(v["data"][0]["request_id"], id);
    assert_eq!(
        v["data"][0]["cost"],
        cost_of(s.prompt_tokens, s.completion_tokens)
    );
    let bare = json!({"filter": {"request_id": {"equals": id}}, "limit": 5});
    let r = c
        .post(&q)
        .header("authorization", &auth)
        .body(bare.to_string())
        .send()
        .await
        .unwrap();
    assert_eq!(json_of(r).await, json!({"data": [], "error": null}));
    let r = c
        .post(&q)
        .header("authorization", &auth)
        .body(json!({"filter": "all", "limit": 1001}).to_string())
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 500);

    // Ingestion lag: logged, but not visible yet.
    gw.set_ingest_lag(std::time::Duration::from_secs(3600));
    let late = "1b9ad8a6-4c38-4b2e-9a6d-5b2b6a5f4e11";
    let h = vec![
        ("helicone-auth", format!("Bearer {KEY}")),
        ("helicone-request-id", late.to_string()),
    ];
    post_h(&gw, "/v1/chat/completions", &h, &openai_body("late", false)).await;
    assert_eq!(gw.helicone_records().len(), 2);
    let r = c
        .get(format!("{}/v1/request/{late}", gw.url()))
        .header("authorization", &auth)
        .send()
        .await
        .unwrap();
    assert_eq!(json_of(r).await, json!({"error": null}));
}

#[tokio::test]
async fn feedback_scores_and_custom_logging() {
    let gw = FakeGateway::start();
    let c = client();
    let auth = format!("Bearer {KEY}");
    let id = "2b9ad8a6-4c38-4b2e-9a6d-5b2b6a5f4e11";
    let payload = json!({
        "providerRequest": {"url": "https://api.openai.com/v1/chat/completions",
            "json": {"model": "gpt-4o-mini", "messages": []},
            "meta": {"Helicone-Request-Id": id, "Helicone-Property-Env": "ci"}},
        "providerResponse": {"json": {"usage": {"prompt_tokens": 3, "completion_tokens": 4}}, "status": 200, "headers": {}},
        "timing": {"startTime": {"seconds": 1700000000, "milliseconds": 120},
                   "endTime": {"seconds": 1700000001, "milliseconds": 0}, "timeToFirstToken": 300}
    });
    let log = format!("{}/oai/v1/log", gw.url());
    let r = c.post(&log).body(payload.to_string()).send().await.unwrap();
    assert_eq!(r.status(), 401, "no key");
    let r = c
        .post(&log)
        .header("authorization", &auth)
        .body(payload.to_string())
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(hdr(&r, "helicone-id").as_deref(), Some(id));
    assert_eq!(r.text().await.unwrap(), "ok");
    let s = gw.helicone_records().pop().unwrap();
    assert_eq!(
        (s.prompt_tokens, s.completion_tokens, s.latency_ms),
        (3, 4, 880)
    );
    assert_eq!(s.provider, "OPENAI");
    assert_eq!(s.properties["env"], "ci");
    // Over 10 MB: refused before anything else.
    let mut big = payload.clone();
    big["providerRequest"]["json"]["pad"] = json!("x".repeat(10 * 1024 * 1024));
    let r = c.post(&log).body(big.to_string()).send().await.unwrap();
    assert_eq!(r.status(), 400);
    assert_eq!(r.text().await.unwrap(), "Payload too large");

    let fb = format!("{}/v1/request/{id}/feedback", gw.url());
    let r = c
        .post(&fb)
        .header("authorization", &auth)
        .body(json!({"rating": true}).to_string())
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(gw.helicone_records().pop().unwrap().feedback, Some(true));
    let sc = format!("{}/v1/request/{id}/score", gw.url());
    let r = c
        .post(&sc)
        .header("authorization", &auth)
        .body(json!({"scores": {"accuracy": 0.5}}).to_string())
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 500, "floats are refused");
    let r = c
        .post(&sc)
        .header("authorization", &auth)
        .body(json!({"scores": {"accuracy": 92, "safe": true}}).to_string())
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 201);
    assert_eq!(gw.helicone_records().pop().unwrap().scores["accuracy"], 92);
}

#[tokio::test]
async fn helicone_key_in_path() {
    let gw = FakeGateway::start();
    let path = format!("/{KEY}/v1/openai/chat/completions");
    let h = vec![("helicone-cache-enabled", "true".to_string())];
    let r = post_h(&gw, &path, &h, &openai_body("deepinfra", false)).await;
    assert_eq!(r.status(), 200);
    assert_eq!(hdr(&r, "helicone-cache").as_deref(), Some("MISS"));
    let r = post_h(&gw, &path, &h, &openai_body("deepinfra", false)).await;
    assert_eq!(hdr(&r, "helicone-cache").as_deref(), Some("HIT"));
    assert_eq!(gw.last_request().path, path);
}

/// The fake works from a plain #[test] fn, with blocking I/O (as assert_cmd tests do).
#[test]
fn usable_from_plain_test_with_blocking_io() {
    use std::io::{Read, Write};
    let gw = FakeGateway::start();
    let body = r#"{"model":"m","messages":[{"role":"user","content":"plain"}]}"#;
    let addr = gw.url().trim_start_matches("http://").to_string();
    let mut s = std::net::TcpStream::connect(&addr).unwrap();
    write!(
        s,
        "POST /v1/chat/completions HTTP/1.1\r\nHost: {addr}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )
    .unwrap();
    let mut out = String::new();
    s.read_to_string(&mut out).unwrap();
    assert!(out.starts_with("HTTP/1.1 200 OK\r\n"), "{out}");
    assert!(
        out.to_ascii_lowercase()
            .contains("helicone-status: success")
    );
    assert!(out.contains("Hello! You said: plain"));
    assert_eq!(gw.requests().len(), 1);
    drop(gw);
}
