//! The fake Helicone REST API (Jawn, docs/helicone.md §5) and the worker's
//! custom-logging endpoints (§5.3), over the store in `helicone_store`.
//!
//! - Jawn's auth (current `middleware/auth.ts`): no key → 401 `No API key
//!   found`; an unknown key, or one of the other region → 401 `Invalid API
//!   key`; a known key without the permission the method needs (read for
//!   GET, write for anything else) → 401 with `"error": null`.
//! - `POST /v1/request/query-clickhouse`: the filter AST, where a leaf not
//!   wrapped in `request_response_rmt` matches nothing (Helicone answers
//!   `{"data":[],"error":null}`); `limit` at most 1,000.
//! - `GET /v1/request/{id}`: `{"data": …, "error": null}`, or `{"error":
//!   null}` when Helicone does not have it (yet).
//! - feedback and scores; a fractional score is refused.
//! - `POST /{custom,oai,anthropic,googleapis}/v1/log`: 400 `Payload too
//!   large` over 10 MB, 401 without a key, 200 `ok` with `helicone-id`.
//!
//! The US API is served at the root and the EU API under `/eu`.

use std::collections::BTreeMap;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use serde_json::{Value, json};

use super::helicone_store::{self, KeyInfo, Region, Stored};
use super::{Recorded, Reply, State, bearer, is_valid_request_id, lock};

/// The worker's custom-logging payload limit.
pub const MAX_CUSTOM_LOG: usize = 10 * 1024 * 1024;

const CUSTOM_LOG_PATHS: [(&str, &str); 4] = [
    ("/custom/v1/log", "CUSTOM"),
    ("/oai/v1/log", "OPENAI"),
    ("/anthropic/v1/log", "ANTHROPIC"),
    ("/googleapis/v1/log", "GOOGLE"),
];

/// The region and the path below its prefix.
fn region_path(path: &str) -> (Region, &str) {
    match path.strip_prefix("/eu") {
        Some(rest) if rest.starts_with('/') => (Region::Eu, rest),
        _ => (Region::Us, path),
    }
}

/// Whether a request is for the REST API or custom logging.
pub fn is_rest(rec: &Recorded) -> bool {
    let (_, path) = region_path(&rec.path);
    path.starts_with("/v1/request/") || CUSTOM_LOG_PATHS.iter().any(|(p, _)| *p == path)
}

fn err(status: u16, error: Value) -> Reply {
    Reply::json(
        status,
        &json!({"error": error, "trace": "isAuthenticated.error"}),
    )
}

/// Jawn's auth check for `rec` in `region`.
fn authenticate(rec: &Recorded, region: Region) -> Result<KeyInfo, Reply> {
    let Some(auth) = rec.header("authorization") else {
        return Err(err(401, json!("No API key found")));
    };
    match helicone_store::key_info(bearer(auth)) {
        Some(k) if k.region == region => {
            let allowed = if rec.method == "GET" { k.read } else { k.write };
            if allowed {
                Ok(k)
            } else {
                Err(err(401, Value::Null))
            }
        }
        _ => Err(err(401, json!("Invalid API key"))),
    }
}

fn result(status: u16, data: Value, error: Value) -> Reply {
    Reply::json(status, &json!({"data": data, "error": error}))
}

/// Answer a REST or custom-logging request.
pub(super) fn answer(state: &State, rec: &Recorded) -> Reply {
    let (region, path) = region_path(&rec.path);
    if let Some((_, provider)) = CUSTOM_LOG_PATHS.iter().find(|(p, _)| *p == path) {
        return custom_log(state, rec, provider);
    }
    let key = match authenticate(rec, region) {
        Ok(k) => k,
        Err(reply) => return reply,
    };
    let rest = path.strip_prefix("/v1/request/").unwrap_or_default();
    let mut store = lock(&state.helicone);
    match (
        rec.method.as_str(),
        rest.split('/').collect::<Vec<_>>().as_slice(),
    ) {
        ("POST", ["query-clickhouse"]) => query(&store, key.region, &rec.body),
        ("GET", [id]) => match store
            .visible(key.region)
            .find(|r| r.id.eq_ignore_ascii_case(id))
        {
            Some(r) => result(200, r.to_json(), Value::Null),
            None => Reply::json(200, &json!({"error": null})),
        },
        ("POST", [id, "feedback"]) => {
            if !is_valid_request_id(id) {
                return result(
                    500,
                    Value::Null,
                    json!("Invalid requestId: must be a valid UUID"),
                );
            }
            let rating = serde_json::from_slice::<Value>(&rec.body)
                .ok()
                .and_then(|b| b.get("rating").and_then(Value::as_bool));
            let Some(rating) = rating else {
                return Reply::json(400, &json!({"message": "rating must be a boolean"}));
            };
            match store.visible_mut(key.region, id) {
                Some(r) => {
                    r.feedback = Some(rating);
                    r.scores
                        .insert("helicone-score-feedback".into(), json!(u8::from(rating)));
                    result(200, Value::Null, Value::Null)
                }
                None => result(500, Value::Null, json!("Request not found")),
            }
        }
        ("POST", [id, "score"]) => {
            let scores = serde_json::from_slice::<Value>(&rec.body)
                .ok()
                .and_then(|b| b.get("scores").and_then(Value::as_object).cloned());
            let Some(scores) = scores else {
                return Reply::json(400, &json!({"message": "scores is required"}));
            };
            let valid = scores
                .values()
                .all(|v| v.is_boolean() || v.is_i64() || v.is_u64());
            if !valid {
                return result(500, Value::Null, json!("Error adding scores to request."));
            }
            match store.visible_mut(key.region, id) {
                Some(r) => {
                    r.scores.extend(scores);
                    result(201, Value::Null, Value::Null)
                }
                None => result(500, Value::Null, json!("Error adding scores to request.")),
            }
        }
        _ => Reply::json(404, &json!({"message": "Not Found"})),
    }
}

/// `POST /v1/request/query-clickhouse`.
fn query(store: &helicone_store::Store, region: Region, body: &[u8]) -> Reply {
    let Ok(q) = serde_json::from_slice::<Value>(body) else {
        return Reply::json(400, &json!({"message": "invalid JSON body"}));
    };
    let Some(filter) = q.get("filter") else {
        return Reply::json(400, &json!({"message": "'requestBody.filter' is required"}));
    };
    let limit = q.get("limit").and_then(Value::as_i64).unwrap_or(10);
    let offset = q.get("offset").and_then(Value::as_i64).unwrap_or(0);
    if !(0..=1000).contains(&limit) {
        return result(500, Value::Null, json!("invalid limit"));
    }
    let mut rows: Vec<&Stored> = store
        .visible(region)
        .filter(|r| matches(filter, r))
        .collect();
    rows.sort_by_key(|r| std::cmp::Reverse(r.created_at));
    let data: Vec<Value> = rows
        .into_iter()
        .skip(offset.max(0) as usize)
        .take(limit as usize)
        .map(Stored::to_json)
        .collect();
    result(200, Value::Array(data), Value::Null)
}

/// The filter AST: `"all"`, a branch, or a leaf wrapped in
/// `request_response_rmt`. Anything else matches nothing, as in Helicone.
fn matches(f: &Value, r: &Stored) -> bool {
    match f {
        Value::String(s) => s == "all",
        Value::Object(m) => {
            if let (Some(l), Some(op), Some(rt)) =
                (m.get("left"), m.get("operator"), m.get("right"))
            {
                return match op.as_str() {
                    Some("and") => matches(l, r) && matches(rt, r),
                    Some("or") => matches(l, r) || matches(rt, r),
                    _ => false,
                };
            }
            match m.get("request_response_rmt").and_then(Value::as_object) {
                Some(fields) => fields
                    .iter()
                    .all(|(field, cond)| field_matches(field, cond, r)),
                None => false,
            }
        }
        _ => false,
    }
}

fn field_matches(field: &str, cond: &Value, r: &Stored) -> bool {
    let Some(ops) = cond.as_object() else {
        return false;
    };
    if field == "properties" {
        return ops.iter().all(|(name, c)| {
            r.properties
                .get(&name.to_ascii_lowercase())
                .is_some_and(|v| text_matches(v, c))
        });
    }
    let text = |v: &str| text_matches(v, cond);
    let number = |n: f64| {
        ops.iter().all(|(op, want)| {
            let Some(w) = want.as_f64() else { return false };
            match op.as_str() {
                "equals" => n == w,
                "not-equals" => n != w,
                "gte" => n >= w,
                "lte" => n <= w,
                "gt" => n > w,
                "lt" => n < w,
                _ => false,
            }
        })
    };
    match field {
        "request_id" => text(&r.id),
        "model" => text(r.model()),
        "provider" => text(&r.provider),
        "user_id" => r.user_id.as_deref().is_some_and(text),
        "status" => number(r.status as f64),
        "latency" => number(r.latency_ms as f64),
        "request_created_at" => ops.iter().all(|(op, want)| {
            let Some(t) = want
                .as_str()
                .and_then(|s| humantime::parse_rfc3339_weak(s).ok())
            else {
                return false;
            };
            match op.as_str() {
                "gte" => r.created_at >= t,
                "lte" => r.created_at <= t,
                "gt" => r.created_at > t,
                "lt" => r.created_at < t,
                "equals" => r.created_at == t,
                _ => false,
            }
        }),
        _ => false,
    }
}

fn text_matches(v: &str, cond: &Value) -> bool {
    let Some(ops) = cond.as_object() else {
        return false;
    };
    ops.iter().all(|(op, want)| {
        let Some(w) = want.as_str() else { return false };
        match op.as_str() {
            "equals" => v == w,
            "not-equals" => v != w,
            "contains" => v.contains(w),
            "not-contains" => !v.contains(w),
            "ilike" | "like" => v.eq_ignore_ascii_case(w.trim_matches('%')),
            _ => false,
        }
    })
}

/// The worker's `logAsync`.
fn custom_log(state: &State, rec: &Recorded, provider: &str) -> Reply {
    let parsed: Option<Value> = serde_json::from_slice(&rec.body).ok();
    // `JSON.stringify(asyncLogModel).length`: UTF-16 units of the compact JSON.
    let size = parsed
        .as_ref()
        .map(|v| v.to_string().encode_utf16().count())
        .unwrap_or(rec.body.len());
    if size > MAX_CUSTOM_LOG {
        return Reply::text(400, "Payload too large");
    }
    let Some(auth) = rec.header("authorization") else {
        return Reply::text(401, "Unauthorized");
    };
    let Some(model) = parsed else {
        return Reply::json(400, &json!({"error": "invalid JSON"}));
    };
    let (Some(req), Some(resp)) = (
        model.get("providerRequest").filter(|v| v.is_object()),
        model.get("providerResponse").filter(|v| v.is_object()),
    ) else {
        return Reply::json(
            400,
            &json!({"error": "providerRequest and providerResponse are required"}),
        );
    };
    if !req.get("url").is_some_and(Value::is_string)
        || !req.get("json").is_some_and(Value::is_object)
    {
        return Reply::json(
            400,
            &json!({"error": "providerRequest.url and providerRequest.json are required"}),
        );
    }
    let Some(key) = helicone_store::key_info(bearer(auth)) else {
        return Reply::json(401, &json!({"error": "Invalid API key"}));
    };
    let meta: Vec<(String, String)> = req
        .get("meta")
        .and_then(Value::as_object)
        .map(|m| {
            m.iter()
                .filter_map(|(k, v)| v.as_str().map(|s| (k.clone(), s.to_string())))
                .collect()
        })
        .unwrap_or_default();
    let meta_header = |name: &str| {
        meta.iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.clone())
    };
    let id = meta_header("helicone-request-id")
        .filter(|id| is_valid_request_id(id))
        .unwrap_or_else(|| uuid::Uuid::new_v4().to_string());
    let time = |v: Option<&Value>| -> Option<SystemTime> {
        let v = v?;
        let secs = v.get("seconds")?.as_u64()?;
        let ms = v.get("milliseconds").and_then(Value::as_u64).unwrap_or(0);
        Some(UNIX_EPOCH + Duration::from_secs(secs) + Duration::from_millis(ms))
    };
    let timing = model.get("timing");
    let now = SystemTime::now();
    let start = time(timing.and_then(|t| t.get("startTime"))).unwrap_or(now);
    let end = time(timing.and_then(|t| t.get("endTime"))).unwrap_or(now);
    let (properties, user_id, omit_req, omit_resp) = helicone_store::helicone_fields(&meta);
    let mut usage = (0, 0);
    let response_json = resp.get("json").cloned().unwrap_or(Value::Null);
    helicone_store::usage_in(&response_json, &mut usage);
    let request_json = req.get("json").cloned().unwrap_or(Value::Null);
    let omitted = json!({"helicone_message": "omitted by Helicone-Omit-*"});
    let stored = Stored {
        id: id.clone(),
        region: key.region,
        created_at: start,
        visible_at: Instant::now(),
        status: resp.get("status").and_then(Value::as_i64).unwrap_or(200),
        request_model: request_json
            .get("model")
            .and_then(Value::as_str)
            .unwrap_or("unknown")
            .to_string(),
        model_override: meta_header("helicone-model-override"),
        provider: provider.to_string(),
        prompt_tokens: usage.0,
        completion_tokens: usage.1,
        latency_ms: end.duration_since(start).unwrap_or_default().as_millis() as u64,
        ttft_ms: timing
            .and_then(|t| t.get("timeToFirstToken"))
            .and_then(Value::as_u64),
        user_id,
        properties,
        request_body: if omit_req {
            omitted.clone()
        } else {
            request_json
        },
        response_body: if omit_resp { omitted } else { response_json },
        feedback: None,
        scores: BTreeMap::new(),
        via: "custom",
    };
    lock(&state.helicone).insert(stored);
    Reply::full(
        200,
        vec![
            ("content-type".into(), "text/plain;charset=UTF-8".into()),
            ("helicone-id".into(), id),
        ],
        "ok",
    )
}

/// Log a proxied exchange the way the worker does, once its body is known:
/// at once for a whole body, at the end of a stream otherwise. Nothing is
/// logged for a key Helicone does not know.
pub(super) fn log_reply(
    state: &std::sync::Arc<State>,
    rec: &Recorded,
    inner_path: &str,
    key: Option<KeyInfo>,
    id: &str,
    reply: &mut Reply,
    started: Instant,
) {
    let Some(key) = key else { return };
    let (st, rec, inner, id, status) = (
        state.clone(),
        rec.clone(),
        inner_path.to_string(),
        id.to_string(),
        reply.status,
    );
    let log = move |chunks: &[bytes::Bytes]| {
        let body = chunks.concat();
        let stored = helicone_store::from_proxy(
            &rec,
            &inner,
            &id,
            key.region,
            status,
            &body,
            started.elapsed(),
        );
        lock(&st.helicone).insert(stored);
    };
    if reply.content_length {
        let chunks: Vec<bytes::Bytes> = reply
            .steps
            .iter()
            .filter_map(|s| match s {
                super::Step::Data(_, b) => Some(b.clone()),
                _ => None,
            })
            .collect();
        log(&chunks);
    } else {
        let before = reply.on_end.take();
        reply.on_end = Some(Box::new(move |chunks| {
            log(&chunks);
            if let Some(f) = before {
                f(chunks);
            }
        }));
    }
}
