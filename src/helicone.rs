//! Helicone options: validated before anything is sent, turned into request
//! headers; and Helicone's response headers, turned into [`HeliconeMeta`].
//!
//! Helicone fails open or silently on bad input (an invalid request id is
//! replaced, a bad rate-limit policy is ignored, a retry header is honoured
//! even when it says `false`), so every check here exists to catch what
//! Helicone would swallow.

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};

/// The longest TTL Helicone honours (365 days); longer values are clamped.
pub const MAX_CACHE_TTL: u64 = 31_536_000;
/// Cloudflare KV drops TTLs under a minute, so such entries are never stored.
pub const MIN_USEFUL_CACHE_TTL: u64 = 60;
pub const MAX_CACHE_BUCKET: u32 = 20;

#[derive(Debug, Clone, Default, PartialEq)]
pub struct RetryOptions {
    pub num: Option<u32>,
    pub factor: Option<f64>,
    pub min_timeout_ms: Option<u64>,
    pub max_timeout_ms: Option<u64>,
}

/// A parsed `Helicone-RateLimit-Policy` (docs/helicone.md §2.4).
#[derive(Debug, Clone, PartialEq)]
pub struct RateLimitPolicy {
    pub raw: String,
    pub quota: f64,
    pub window_secs: u64,
    pub cents: bool,
    pub segment: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct HeliconeOptions {
    pub properties: Vec<(String, String)>,
    pub user: Option<String>,
    pub session_id: Option<String>,
    pub session_path: Option<String>,
    pub session_name: Option<String>,
    pub cache: bool,
    pub cache_ttl: Option<u64>,
    pub cache_bucket: Option<u32>,
    pub cache_seed: Option<String>,
    pub retry: Option<RetryOptions>,
    pub rate_limit: Option<RateLimitPolicy>,
    pub omit_request: bool,
    pub omit_response: bool,
    /// Always set: the log record's id unless `--request-id` was given.
    pub request_id: String,
}

impl HeliconeOptions {
    /// The request headers, in a stable order.
    pub fn headers(&self) -> Vec<(String, String)> {
        let mut h: Vec<(String, String)> = Vec::new();
        let mut put = |name: &str, value: &str| h.push((name.to_string(), value.to_string()));
        put("Helicone-Request-Id", &self.request_id);
        for (k, v) in &self.properties {
            put(&format!("Helicone-Property-{k}"), v);
        }
        if let Some(u) = &self.user {
            put("Helicone-User-Id", u);
        }
        if let Some(s) = &self.session_id {
            put("Helicone-Session-Id", s);
        }
        if let Some(s) = &self.session_path {
            put("Helicone-Session-Path", s);
        }
        if let Some(s) = &self.session_name {
            put("Helicone-Session-Name", s);
        }
        if self.cache {
            put("Helicone-Cache-Enabled", "true");
        }
        if let Some(ttl) = self.cache_ttl {
            put("Cache-Control", &format!("max-age={ttl}"));
        }
        if let Some(b) = self.cache_bucket {
            put("Helicone-Cache-Bucket-Max-Size", &b.to_string());
        }
        if let Some(seed) = &self.cache_seed {
            put("Helicone-Cache-Seed", seed);
        }
        // Helicone retries whenever this header is present, whatever its
        // value, so it is only ever sent to turn retries on.
        if let Some(r) = &self.retry {
            put("Helicone-Retry-Enabled", "true");
            if let Some(n) = r.num {
                put("Helicone-Retry-Num", &n.to_string());
            }
            if let Some(f) = r.factor {
                put("Helicone-Retry-Factor", &f.to_string());
            }
            if let Some(ms) = r.min_timeout_ms {
                put("Helicone-Retry-Min-Timeout", &ms.to_string());
            }
            if let Some(ms) = r.max_timeout_ms {
                put("Helicone-Retry-Max-Timeout", &ms.to_string());
            }
        }
        if let Some(p) = &self.rate_limit {
            put("Helicone-RateLimit-Policy", &p.raw);
        }
        if self.omit_request {
            put("Helicone-Omit-Request", "true");
        }
        if self.omit_response {
            put("Helicone-Omit-Response", "true");
        }
        h
    }

    /// Cross-field checks: a rate-limit segment needs the header it segments on.
    pub fn validate(&self) -> Result<()> {
        if let Some(policy) = &self.rate_limit
            && let Some(seg) = &policy.segment
        {
            if seg.eq_ignore_ascii_case("user") {
                if self.user.is_none() {
                    return Err(Error::usage(format!(
                        "rate-limit policy '{}' segments by user, but no user is set; add --user ID (Helicone would silently ignore the policy)",
                        policy.raw
                    )));
                }
            } else if !self
                .properties
                .iter()
                .any(|(k, _)| k.eq_ignore_ascii_case(seg))
            {
                return Err(Error::usage(format!(
                    "rate-limit policy '{}' segments by property '{seg}', but it is not set; add --property {seg}=VALUE, or drop ';s={seg}' for a global limit (Helicone would silently ignore the policy)",
                    policy.raw
                )));
            }
        }
        if let Some(r) = &self.retry
            && let (Some(min), Some(max)) = (r.min_timeout_ms, r.max_timeout_ms)
            && min > max
        {
            return Err(Error::usage(format!(
                "--retry-min-timeout {min} is greater than --retry-max-timeout {max}"
            )));
        }
        Ok(())
    }
}

/// RFC 9110 `tchar`: the characters allowed in a header name.
pub fn is_token(s: &str) -> bool {
    !s.is_empty()
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b))
}

/// A header value may not hold CR, LF or other control characters (tab is allowed).
pub fn check_value(what: &str, value: &str) -> Result<()> {
    if let Some(c) = value.chars().find(|c| c.is_control() && *c != '\t') {
        let name = match c {
            '\r' => "a carriage return".to_string(),
            '\n' => "a line feed".to_string(),
            c => format!("the control character U+{:04X}", c as u32),
        };
        return Err(Error::usage(format!(
            "{what} contains {name}; header values must be a single line"
        )));
    }
    Ok(())
}

/// `KEY=VALUE` for `--property`.
pub fn parse_property(arg: &str) -> Result<(String, String)> {
    let Some((k, v)) = arg.split_once('=') else {
        return Err(Error::usage(format!(
            "--property '{arg}' is not KEY=VALUE; write it as --property {arg}=VALUE"
        )));
    };
    let k = k.trim();
    if !is_token(k) {
        return Err(Error::usage(format!(
            "property name '{k}' is not a valid header name; use letters, digits and - _ . only"
        )));
    }
    check_value(&format!("property '{k}'"), v)?;
    Ok((k.to_string(), v.to_string()))
}

/// `Name: value` for `-H`.
pub fn parse_header(arg: &str) -> Result<(String, String)> {
    let Some((k, v)) = arg.split_once(':') else {
        return Err(Error::usage(format!(
            "--header '{arg}' is not 'Name: value'"
        )));
    };
    let k = k.trim();
    if !is_token(k) {
        return Err(Error::usage(format!(
            "header name '{k}' is not a valid header name"
        )));
    }
    let v = v.trim();
    check_value(&format!("header '{k}'"), v)?;
    Ok((k.to_string(), v.to_string()))
}

/// `QUOTA;w=SECS[;u=request|cents][;s=SEGMENT]`, case-insensitive, as
/// Helicone's own parser reads it (docs/helicone.md §2.4).
pub fn parse_rate_limit(raw: &str) -> Result<RateLimitPolicy> {
    let bad = |why: &str| {
        Error::usage(format!(
            "invalid --rate-limit '{raw}': {why}; expected QUOTA;w=SECS[;u=request|cents][;s=user|PROPERTY], e.g. 100;w=3600;s=user (Helicone ignores an invalid policy silently)"
        ))
    };
    let mut parts = raw.split(';');
    let quota_s = parts.next().unwrap_or_default();
    let quota_ok = {
        let mut it = quota_s.splitn(2, '.');
        let int = it.next().unwrap_or_default();
        let frac = it.next();
        !int.is_empty()
            && int.bytes().all(|b| b.is_ascii_digit())
            && frac.is_none_or(|f| !f.is_empty() && f.bytes().all(|b| b.is_ascii_digit()))
    };
    if !quota_ok {
        return Err(bad("the quota must be a number such as 100 or 2.5"));
    }
    let quota: f64 = quota_s
        .parse()
        .map_err(|_| bad("the quota is not a number"))?;
    if quota <= 0.0 {
        return Err(bad("the quota must be greater than 0"));
    }
    let rest: Vec<&str> = parts.collect();
    let mut idx = 0;
    let field = |idx: usize, name: &str| -> Option<&str> {
        rest.get(idx).and_then(|p| {
            let (k, v) = p.split_once('=')?;
            k.eq_ignore_ascii_case(name).then_some(v)
        })
    };
    let Some(w) = field(idx, "w") else {
        return Err(bad("the window ';w=SECS' must follow the quota"));
    };
    idx += 1;
    if w.is_empty() || !w.bytes().all(|b| b.is_ascii_digit()) {
        return Err(bad("the window must be a whole number of seconds"));
    }
    let window_secs: u64 = w.parse().map_err(|_| bad("the window is too large"))?;
    if !(60..=MAX_CACHE_TTL).contains(&window_secs) {
        return Err(bad("the window must be between 60 and 31536000 seconds"));
    }
    let mut cents = false;
    if let Some(u) = field(idx, "u") {
        idx += 1;
        if u.eq_ignore_ascii_case("cents") {
            cents = true;
        } else if !u.eq_ignore_ascii_case("request") {
            return Err(bad("the unit ';u=' must be request or cents"));
        }
    }
    let mut segment = None;
    if let Some(s) = field(idx, "s") {
        idx += 1;
        if s.is_empty()
            || !s
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
        {
            return Err(bad(
                "the segment ';s=' must be user or a property name (letters, digits, _ and -)",
            ));
        }
        segment = Some(s.to_string());
    }
    if idx != rest.len() {
        return Err(bad(&format!(
            "unexpected '{}' (the order is w, then u, then s)",
            rest[idx]
        )));
    }
    Ok(RateLimitPolicy {
        raw: raw.to_string(),
        quota,
        window_secs,
        cents,
        segment,
    })
}

/// Helicone's request-id check (docs/helicone.md §2.1): a UUID v1-v5 in lower case.
/// Upper-case hex is the same UUID, so it is lower-cased rather than refused.
pub fn parse_request_id(raw: &str) -> Result<String> {
    let id = raw.trim().to_ascii_lowercase();
    let b = id.as_bytes();
    let hex = |r: std::ops::Range<usize>| b[r].iter().all(|c| c.is_ascii_hexdigit());
    let ok = b.len() == 36
        && b[8] == b'-'
        && b[13] == b'-'
        && b[18] == b'-'
        && b[23] == b'-'
        && hex(0..8)
        && hex(9..13)
        && (b'1'..=b'5').contains(&b[14])
        && hex(15..18)
        && matches!(b[19], b'8' | b'9' | b'a' | b'b')
        && hex(20..23)
        && hex(24..36);
    if !ok {
        return Err(Error::usage(format!(
            "--request-id '{raw}' is not a UUID v1-v5 (like 123e4567-e89b-42d3-a456-426614174000); Helicone would silently replace it with a random id"
        )));
    }
    Ok(id)
}

pub fn check_cache_bucket(n: u32) -> Result<u32> {
    if n == 0 || n > MAX_CACHE_BUCKET {
        return Err(Error::usage(format!(
            "--cache-bucket {n} is out of range; Helicone keeps 1 to 20 responses per key"
        )));
    }
    Ok(n)
}

pub fn check_cache_ttl(secs: u64) -> Result<u64> {
    if secs == 0 {
        return Err(Error::usage(
            "--cache-ttl 0 would never store anything; give a TTL of at least 60 seconds",
        ));
    }
    if secs > MAX_CACHE_TTL {
        return Err(Error::usage(format!(
            "--cache-ttl {secs} is longer than Helicone's maximum of {MAX_CACHE_TTL} seconds (365 days)"
        )));
    }
    Ok(secs)
}

/// Helicone's rate-limit response headers.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct RateLimitMeta {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub limit: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub remaining: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reset: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub policy: Option<String>,
}

impl RateLimitMeta {
    pub fn is_empty(&self) -> bool {
        self == &RateLimitMeta::default()
    }
}

/// What Helicone said about an exchange, from its response headers.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct HeliconeMeta {
    pub id: Option<String>,
    /// `HIT` or `MISS`; absent when caching was not requested.
    pub cache: Option<String>,
    pub bucket_idx: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cache_latency_ms: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    #[serde(default, skip_serializing_if = "RateLimitMeta::is_empty")]
    pub rate_limit: RateLimitMeta,
    /// AI gateway only: `Helicone-Provider`, `Helicone-Model`, `Helicone-Gateway-Mode`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gateway_provider: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gateway_model: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gateway_mode: Option<String>,
}

impl HeliconeMeta {
    pub fn from_headers(headers: &reqwest::header::HeaderMap) -> Self {
        let get = |name: &str| {
            headers
                .get(name)
                .and_then(|v| v.to_str().ok())
                .map(|s| s.trim().to_string())
        };
        HeliconeMeta {
            id: get("helicone-id"),
            cache: get("helicone-cache").map(|s| s.to_ascii_uppercase()),
            bucket_idx: get("helicone-cache-bucket-idx").and_then(|s| s.parse().ok()),
            cache_latency_ms: get("helicone-cache-latency").and_then(|s| s.parse().ok()),
            status: get("helicone-status"),
            error: get("x-helicone-error"),
            rate_limit: RateLimitMeta {
                limit: get("helicone-ratelimit-limit"),
                remaining: get("helicone-ratelimit-remaining"),
                reset: get("helicone-ratelimit-reset"),
                policy: get("helicone-ratelimit-policy"),
            },
            gateway_provider: get("helicone-provider"),
            gateway_model: get("helicone-model"),
            gateway_mode: get("helicone-gateway-mode"),
        }
    }

    pub fn is_rate_limited(&self) -> bool {
        self.error.as_deref() == Some("rate_limited")
    }

    /// "limit 10, 0 remaining, resets in 42 s" for messages.
    pub fn rate_limit_summary(&self) -> String {
        let r = &self.rate_limit;
        let mut parts = Vec::new();
        if let Some(p) = &r.policy {
            parts.push(format!("policy {p}"));
        }
        if let Some(l) = &r.limit {
            parts.push(format!("limit {l}"));
        }
        if let Some(rem) = &r.remaining {
            parts.push(format!("{rem} remaining"));
        }
        if let Some(reset) = &r.reset {
            parts.push(format!("resets in {reset} s"));
        }
        if parts.is_empty() {
            "no rate-limit headers were returned".to_string()
        } else {
            parts.join(", ")
        }
    }
}

/// The response headers worth keeping in the log: Helicone's own, the
/// rate-limit ones, and the retry hints.
pub fn is_logged_response_header(name: &str) -> bool {
    let n = name.to_ascii_lowercase();
    n.starts_with("helicone-")
        || n == "x-helicone-error"
        || n == "retry-after"
        || n == "retry-after-ms"
        || n == "content-type"
        || crate::wire::RATE_LIMIT_HEADER_PREFIXES
            .iter()
            .any(|p| n.starts_with(p))
}

/// Helicone's REST API (docs/helicone.md §5), US region.
pub const REST_API_US: &str = "https://api.helicone.ai";
/// Helicone's REST API, EU region.
pub const REST_API_EU: &str = "https://eu.api.helicone.ai";

/// The REST API host that holds a key's organisation: EU keys
/// (`sk-helicone-eu-`, `pk-helicone-eu-`) live on the EU host.
pub fn rest_api_for_key(key: &str) -> &'static str {
    if key.starts_with("sk-helicone-eu-") || key.starts_with("pk-helicone-eu-") {
        REST_API_EU
    } else {
        REST_API_US
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn eu_keys_go_to_the_eu_rest_api() {
        assert_eq!(
            rest_api_for_key("sk-helicone-eu-TEST001-AAAAAAA-BBBBBBB-CCCCCCC"),
            REST_API_EU
        );
        assert_eq!(
            rest_api_for_key("pk-helicone-eu-TEST001-AAAAAAA-BBBBBBB-CCCCCCC"),
            REST_API_EU
        );
        assert_eq!(
            rest_api_for_key("sk-helicone-TEST001-AAAAAAA-BBBBBBB-CCCCCCC"),
            REST_API_US
        );
    }

    #[test]
    fn rate_limit_grammar() {
        let p = parse_rate_limit("1000;w=3600").unwrap();
        assert_eq!(
            (p.quota, p.window_secs, p.cents, p.segment),
            (1000.0, 3600, false, None)
        );
        let p = parse_rate_limit("2.5;W=60;U=cents;s=user").unwrap();
        assert!(p.cents);
        assert_eq!(p.segment.as_deref(), Some("user"));
        for bad in [
            "",
            "abc",
            "0;w=60",
            "10",
            "10;w=59",
            "10;w=31536001",
            "10;u=cents;w=60",
            "10;w=60;u=tokens",
            "10;w=60;s=",
            "10;w=60;s=a b",
            "10;w=60;x=1",
            "-1;w=60",
            "1.;w=60",
            "10;w=60;s=user;u=cents",
        ] {
            assert!(parse_rate_limit(bad).is_err(), "{bad:?} should be rejected");
        }
    }

    #[test]
    fn segments_need_their_header() {
        let mut o = HeliconeOptions {
            rate_limit: Some(parse_rate_limit("5;w=60;s=user").unwrap()),
            ..Default::default()
        };
        assert!(o.validate().is_err());
        o.user = Some("u1".into());
        assert!(o.validate().is_ok());
        o.rate_limit = Some(parse_rate_limit("5;w=60;s=Team").unwrap());
        assert!(o.validate().is_err());
        o.properties.push(("team".into(), "a".into()));
        assert!(o.validate().is_ok());
    }

    #[test]
    fn request_ids() {
        assert!(parse_request_id("123e4567-e89b-42d3-a456-426614174000").is_ok());
        assert_eq!(
            parse_request_id("123E4567-E89B-42D3-A456-426614174000").unwrap(),
            "123e4567-e89b-42d3-a456-426614174000"
        );
        for bad in [
            "nope",
            "123e4567-e89b-62d3-a456-426614174000",
            "123e4567-e89b-42d3-c456-426614174000",
            "123e4567e89b42d3a456426614174000",
        ] {
            assert!(parse_request_id(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn retry_header_only_when_enabled() {
        let mut o = HeliconeOptions::default();
        assert!(
            !o.headers()
                .iter()
                .any(|(k, _)| k.starts_with("Helicone-Retry"))
        );
        o.retry = Some(RetryOptions {
            num: Some(3),
            ..Default::default()
        });
        let h = o.headers();
        assert!(h.contains(&("Helicone-Retry-Enabled".into(), "true".into())));
        assert!(h.contains(&("Helicone-Retry-Num".into(), "3".into())));
    }

    #[test]
    fn properties_and_headers_are_checked() {
        assert!(parse_property("app=hcl").is_ok());
        assert!(parse_property("a b=c").is_err());
        assert!(parse_property("noequals").is_err());
        assert!(parse_property("k=line\nbreak").is_err());
        assert!(parse_header("X-Thing: v").is_ok());
        assert!(parse_header("bad header: v").is_err());
        assert!(parse_header("X: a\rb").is_err());
    }
}
