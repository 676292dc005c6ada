//! What the fake Helicone logs, and the keys it knows (docs/helicone.md §1.3, §3.5, §5,
//! §10): the record store behind the fake REST API, filled by the proxy
//! paths and by custom logging, with a configurable ingestion lag.
//!
//! Keys of the fake organisation:
//! - a Helicone-shaped key (`sk-helicone-…`, `pk-helicone-…`) is known,
//!   unless it contains `invalid` or `unknown`: those Helicone does not
//!   know, so the proxies forward such requests and silently log nothing;
//! - `sk-` keys may read and write; `pk-` keys are write-only (Helicone's
//!   public keys); a key with a `-READ` group may only read;
//! - a key containing `helicone-eu-` belongs to the EU region: only the EU
//!   REST API (the fake's `/eu` prefix) knows it, and what it logs is stored
//!   there.

use std::collections::BTreeMap;
use std::time::{Duration, Instant, SystemTime};

use serde_json::{Value, json};

use super::Recorded;
use super::formats::{self, Format};

/// A key the fake logs with, that may read and write.
pub const KEY: &str = "sk-helicone-TEST001-AAAAAAA-BBBBBBB-CCCCCCC";
/// A key that may only read.
pub const READ_ONLY_KEY: &str = "sk-helicone-READ001-AAAAAAA-BBBBBBB-CCCCCCC";
/// A key that may only write (a public key).
pub const WRITE_ONLY_KEY: &str = "pk-helicone-TEST001-AAAAAAA-BBBBBBB-CCCCCCC";
/// An EU key.
pub const EU_KEY: &str = "sk-helicone-eu-TEST001-AAAAAAA-BBBBBBB-CCCCCCC";
/// A Helicone-shaped key Helicone does not know: proxied, never logged.
pub const UNKNOWN_KEY: &str = "sk-helicone-unknown-AAAAAAA-BBBBBBB-CCCCCCC";

/// The fake's price list: $1 per million input tokens, $2 per million output.
pub fn cost_of(input: u64, output: u64) -> f64 {
    input as f64 * 1e-6 + output as f64 * 2e-6
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Region {
    Us,
    Eu,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KeyInfo {
    pub region: Region,
    pub read: bool,
    pub write: bool,
}

/// What the fake organisation knows about `key`; `None` when it is unknown.
pub fn key_info(key: &str) -> Option<KeyInfo> {
    let lower = key.to_ascii_lowercase();
    let shaped = key.starts_with("sk-helicone-") || key.starts_with("pk-helicone-");
    if !shaped || lower.contains("invalid") || lower.contains("unknown") {
        return None;
    }
    let region = if lower.contains("helicone-eu-") {
        Region::Eu
    } else {
        Region::Us
    };
    let (read, write) = if key.starts_with("pk-") {
        (false, true)
    } else if key.contains("-READ") {
        (true, false)
    } else {
        (true, true)
    };
    Some(KeyInfo {
        region,
        read,
        write,
    })
}

/// One request as the fake Helicone holds it.
#[derive(Debug, Clone)]
pub struct Stored {
    pub id: String,
    pub region: Region,
    pub created_at: SystemTime,
    pub visible_at: Instant,
    pub status: i64,
    pub request_model: String,
    pub model_override: Option<String>,
    pub provider: String,
    pub prompt_tokens: u64,
    pub completion_tokens: u64,
    pub latency_ms: u64,
    pub ttft_ms: Option<u64>,
    pub user_id: Option<String>,
    pub properties: BTreeMap<String, String>,
    pub request_body: Value,
    pub response_body: Value,
    pub feedback: Option<bool>,
    pub scores: BTreeMap<String, Value>,
    /// `proxy` or `custom` (custom logging).
    pub via: &'static str,
}

impl Stored {
    pub fn cost(&self) -> f64 {
        cost_of(self.prompt_tokens, self.completion_tokens)
    }

    /// Helicone's `model`: the override, else the request's.
    pub fn model(&self) -> &str {
        self.model_override
            .as_deref()
            .unwrap_or(&self.request_model)
    }

    /// The `HeliconeRequest` JSON of the REST API.
    pub fn to_json(&self) -> Value {
        json!({
            "request_id": self.id,
            "request_created_at": humantime::format_rfc3339_millis(self.created_at).to_string(),
            "response_status": self.status,
            "model": self.model(),
            "request_model": self.request_model,
            "response_model": self.request_model,
            "model_override": self.model_override,
            "provider": self.provider,
            "prompt_tokens": self.prompt_tokens,
            "completion_tokens": self.completion_tokens,
            "total_tokens": self.prompt_tokens + self.completion_tokens,
            "cost": self.cost(),
            "delay_ms": self.latency_ms,
            "time_to_first_token": self.ttft_ms,
            "request_user_id": self.user_id,
            "request_properties": self.properties,
            "properties": self.properties,
            "feedback_rating": self.feedback,
            "scores": self.scores,
            "request_body": self.request_body,
            "response_body": self.response_body,
        })
    }
}

/// Every request the fake Helicone logged, visible after the ingestion lag.
#[derive(Debug, Default)]
pub struct Store {
    records: Vec<Stored>,
    lag: Duration,
}

impl Store {
    pub fn set_lag(&mut self, lag: Duration) {
        self.lag = lag;
    }

    pub fn insert(&mut self, mut s: Stored) {
        s.visible_at = Instant::now() + self.lag;
        self.records
            .retain(|r| r.id != s.id || r.region != s.region);
        self.records.push(s);
    }

    /// What a region's REST API can see now.
    pub fn visible(&self, region: Region) -> impl Iterator<Item = &Stored> {
        let now = Instant::now();
        self.records
            .iter()
            .filter(move |r| r.region == region && r.visible_at <= now)
    }

    pub fn visible_mut(&mut self, region: Region, id: &str) -> Option<&mut Stored> {
        let now = Instant::now();
        self.records
            .iter_mut()
            .find(|r| r.region == region && r.visible_at <= now && r.id.eq_ignore_ascii_case(id))
    }

    /// Everything logged, visible or not (for test assertions).
    pub fn all(&self) -> Vec<Stored> {
        self.records.clone()
    }
}

/// Input and output tokens found anywhere in a JSON value: OpenAI
/// `prompt_tokens`/`completion_tokens`, Anthropic `input_tokens`/
/// `output_tokens`, Gemini `promptTokenCount`/`candidatesTokenCount`. The
/// largest seen wins (an Anthropic stream reports output tokens twice).
pub fn usage_in(v: &Value, acc: &mut (u64, u64)) {
    match v {
        Value::Object(m) => {
            for (k, val) in m {
                let n = val.as_u64();
                match (k.as_str(), n) {
                    ("prompt_tokens" | "input_tokens" | "promptTokenCount", Some(n)) => {
                        acc.0 = acc.0.max(n)
                    }
                    ("completion_tokens" | "output_tokens" | "candidatesTokenCount", Some(n)) => {
                        acc.1 = acc.1.max(n)
                    }
                    _ => usage_in(val, acc),
                }
            }
        }
        Value::Array(a) => a.iter().for_each(|x| usage_in(x, acc)),
        _ => {}
    }
}

/// The usage of a response body: one JSON document, or SSE `data:` lines.
pub fn usage_of_body(body: &[u8]) -> (u64, u64) {
    let mut acc = (0, 0);
    if let Ok(v) = serde_json::from_slice::<Value>(body) {
        usage_in(&v, &mut acc);
        return acc;
    }
    for line in String::from_utf8_lossy(body).lines() {
        if let Some(data) = line.strip_prefix("data:")
            && let Ok(v) = serde_json::from_str::<Value>(data.trim())
        {
            usage_in(&v, &mut acc);
        }
    }
    acc
}

/// Helicone's provider name for a wire format.
pub fn provider_of(format: Option<Format>) -> &'static str {
    match format {
        Some(Format::OpenAi) | None => "OPENAI",
        Some(Format::Anthropic) => "ANTHROPIC",
        Some(Format::Gemini) => "GOOGLE",
        // packages/cost/providers/mappings.ts lists bedrock-runtime as "AWS".
        Some(Format::Bedrock) => "AWS",
    }
}

/// Properties, user and omit switches from Helicone headers (names as
/// given); session headers are stored as properties too (docs/helicone.md §10).
pub fn helicone_fields(
    headers: &[(String, String)],
) -> (BTreeMap<String, String>, Option<String>, bool, bool) {
    let mut props = BTreeMap::new();
    let mut user = None;
    let (mut omit_req, mut omit_resp) = (false, false);
    for (n, v) in headers {
        let n = n.to_ascii_lowercase();
        if let Some(p) = n.strip_prefix("helicone-property-") {
            props.insert(p.to_string(), v.clone());
        } else if n.starts_with("helicone-session-") {
            props.insert(n.clone(), v.clone());
        } else if n == "helicone-user-id" {
            user = Some(v.clone());
        } else if n == "helicone-omit-request" {
            omit_req = v.eq_ignore_ascii_case("true");
        } else if n == "helicone-omit-response" {
            omit_resp = v.eq_ignore_ascii_case("true");
        }
    }
    (props, user, omit_req, omit_resp)
}

/// What an omitted body is stored as.
fn omitted() -> Value {
    json!({"helicone_message": "omitted by Helicone-Omit-*"})
}

/// The record the proxy logs for one exchange.
pub fn from_proxy(
    rec: &Recorded,
    inner_path: &str,
    id: &str,
    region: Region,
    status: u16,
    body: &[u8],
    latency: Duration,
) -> Stored {
    let format = formats::detect(inner_path);
    let request: Value = serde_json::from_slice(&rec.body).unwrap_or(Value::Null);
    let model = request
        .get("model")
        .and_then(Value::as_str)
        .map(str::to_string)
        .unwrap_or_else(|| formats::gemini_model(inner_path));
    let (properties, user_id, omit_req, omit_resp) = helicone_fields(&rec.headers);
    let (prompt_tokens, completion_tokens) = usage_of_body(body);
    let response: Value = serde_json::from_slice(body)
        .unwrap_or_else(|_| Value::String(String::from_utf8_lossy(body).into_owned()));
    Stored {
        id: id.to_string(),
        region,
        created_at: SystemTime::now() - latency,
        visible_at: Instant::now(),
        status: i64::from(status),
        request_model: model,
        model_override: rec.header("helicone-model-override").map(str::to_string),
        provider: provider_of(format).to_string(),
        prompt_tokens,
        completion_tokens,
        latency_ms: latency.as_millis() as u64,
        ttft_ms: None,
        user_id,
        properties,
        request_body: if omit_req { omitted() } else { request },
        response_body: if omit_resp { omitted() } else { response },
        feedback: None,
        scores: BTreeMap::new(),
        via: "proxy",
    }
}
