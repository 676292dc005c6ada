//! Helicone's custom rate limits (docs/helicone.md §2.4, §4.3): policy parser and token buckets.

use std::collections::HashMap;
use std::time::Instant;

/// A parsed `Helicone-RateLimit-Policy`.
#[derive(Debug, Clone, PartialEq)]
pub struct Policy {
    pub quota: f64,
    pub window_secs: u64,
    pub cents: bool,
    /// None = global; Some("user") or Some(<property name>) otherwise.
    pub segment: Option<String>,
}

impl Policy {
    /// The normalised echo sent in `Helicone-RateLimit-Policy`.
    pub fn echo(&self) -> String {
        let mut s = format!("{};w={}", self.quota, self.window_secs);
        if self.cents {
            s.push_str(";u=cents");
        }
        if let Some(seg) = &self.segment {
            s.push_str(";s=");
            s.push_str(seg);
        }
        s
    }
}

fn all_digits(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit())
}

fn strip_prefix_ci<'a>(s: &'a str, prefix: &str) -> Option<&'a str> {
    if s.len() >= prefix.len() && s[..prefix.len()].eq_ignore_ascii_case(prefix) {
        Some(&s[prefix.len()..])
    } else {
        None
    }
}

/// Parse like the worker's regex (case-insensitive)
/// `^(\d+(?:\.\d+)?);w=(\d+)(?:;u=(request|cents))?(?:;s=([\w-]+))?$`,
/// then require quota > 0 and 60 ≤ w ≤ 31536000. None = invalid (fail open).
pub fn parse(policy: &str) -> Option<Policy> {
    let mut parts = policy.split(';');
    let quota_s = parts.next()?;
    let quota_ok = match quota_s.split_once('.') {
        Some((int, frac)) => all_digits(int) && all_digits(frac),
        None => all_digits(quota_s),
    };
    if !quota_ok {
        return None;
    }
    let quota: f64 = quota_s.parse().ok()?;
    let w_s = strip_prefix_ci(parts.next()?, "w=")?;
    if !all_digits(w_s) {
        return None;
    }
    let window_secs: u64 = w_s.parse().ok()?;
    let mut cents = false;
    let mut segment = None;
    let mut next = parts.next();
    if let Some(u) = next.and_then(|p| strip_prefix_ci(p, "u=")) {
        if u.eq_ignore_ascii_case("cents") {
            cents = true;
        } else if !u.eq_ignore_ascii_case("request") {
            return None;
        }
        next = parts.next();
    }
    if let Some(s) = next.and_then(|p| strip_prefix_ci(p, "s=")) {
        if s.is_empty()
            || !s
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
        {
            return None;
        }
        segment = Some(s.to_string());
        next = parts.next();
    }
    if next.is_some() {
        return None;
    }
    if quota <= 0.0 || !(60..=31_536_000).contains(&window_secs) {
        return None;
    }
    Some(Policy {
        quota,
        window_secs,
        cents,
        segment,
    })
}

struct Bucket {
    tokens: f64,
    last: Instant,
}

/// The outcome of one rate-limit check.
pub struct Decision {
    pub allowed: bool,
    /// `Helicone-RateLimit-*` headers to send.
    pub headers: Vec<(String, String)>,
}

/// Token buckets, one per segment key. The whole fake is one organisation.
#[derive(Default)]
pub struct RateLimiter {
    buckets: HashMap<String, Bucket>,
}

impl RateLimiter {
    /// Check (and for `u=request` deduct 1 token from) the bucket `segment_key`.
    /// `u=cents` only checks tokens > 0 and deducts nothing: the fake knows no
    /// costs, so a cents bucket never drains.
    pub fn check(&mut self, policy: &Policy, segment_key: &str) -> Decision {
        let now = Instant::now();
        let cap = policy.quota;
        let rate = cap / policy.window_secs as f64;
        let unit = if policy.cents { "cents" } else { "request" };
        let bucket = self
            .buckets
            .entry(format!("{segment_key}:{unit}"))
            .or_insert(Bucket {
                tokens: cap,
                last: now,
            });
        let elapsed = now.duration_since(bucket.last).as_secs_f64();
        bucket.tokens = (bucket.tokens + elapsed * rate).min(cap);
        bucket.last = now;
        let allowed = if policy.cents {
            bucket.tokens > 0.0
        } else if bucket.tokens >= 1.0 {
            bucket.tokens -= 1.0;
            true
        } else {
            false
        };
        let mut headers = vec![
            ("helicone-ratelimit-limit".to_string(), format!("{cap}")),
            (
                "helicone-ratelimit-remaining".to_string(),
                format!("{}", bucket.tokens.max(0.0).floor() as u64),
            ),
            ("helicone-ratelimit-policy".to_string(), policy.echo()),
        ];
        let reset = ((cap - bucket.tokens) / rate).ceil();
        if reset > 0.0 {
            headers.push((
                "helicone-ratelimit-reset".to_string(),
                format!("{}", reset as u64),
            ));
        }
        Decision { allowed, headers }
    }
}
