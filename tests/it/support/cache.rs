//! Helicone's response cache (docs/helicone.md §4.1), in memory.

use std::collections::HashMap;
use std::time::{Duration, Instant};

use bytes::Bytes;
use sha2::{Digest, Sha256};

/// Default TTL: 7 days.
pub const DEFAULT_TTL_SECS: u64 = 604_800;
/// TTLs above one year are clamped.
pub const MAX_TTL_SECS: u64 = 31_536_000;
/// Largest accepted `Helicone-Cache-Bucket-Max-Size`.
pub const MAX_BUCKET: u64 = 20;

/// One cached upstream response.
#[derive(Clone)]
pub struct Entry {
    pub headers: Vec<(String, String)>,
    pub latency_ms: u128,
    pub body: Vec<Bytes>,
    /// Reads see the entry from this instant on (KV propagation, §4.1).
    visible: Instant,
    expires: Instant,
}

#[derive(Default)]
pub struct Cache {
    entries: HashMap<String, Entry>,
    /// How long a new entry stays invisible to reads (default 0): Cloudflare
    /// KV can take up to a minute to show a write everywhere.
    propagation: Duration,
}

impl Cache {
    pub fn set_propagation(&mut self, d: Duration) {
        self.propagation = d;
    }

    /// Every entry written so far becomes visible now.
    pub fn show_all(&mut self) {
        let now = Instant::now();
        for e in self.entries.values_mut() {
            e.visible = e.visible.min(now);
        }
    }

    /// The live entry under `key` that reads can see yet.
    pub fn get(&mut self, key: &str) -> Option<Entry> {
        self.live(key).filter(|e| e.visible <= Instant::now())
    }

    /// The live entry under `key`, visible or not; an expired one is removed.
    fn live(&mut self, key: &str) -> Option<Entry> {
        let now = Instant::now();
        match self.entries.get(key) {
            Some(e) if e.expires > now => Some(e.clone()),
            Some(_) => {
                self.entries.remove(key);
                None
            }
            None => None,
        }
    }

    /// Store into the first free (missing or expired) slot of `keys`.
    /// Returns the slot used, or None when every slot is taken.
    ///
    /// Like the worker, the body is kept as text: decoded as UTF-8 with
    /// invalid sequences replaced by U+FFFD, and encoded again when served
    /// (docs/helicone.md §4.1). Text answers survive; a binary event stream
    /// comes back damaged.
    pub fn store_first_free(
        &mut self,
        keys: &[String],
        headers: Vec<(String, String)>,
        latency_ms: u128,
        body: Vec<Bytes>,
        ttl: Duration,
    ) -> Option<usize> {
        // A slot written but not yet visible is taken.
        let idx = keys.iter().position(|k| self.live(k).is_none())?;
        let text = String::from_utf8_lossy(&body.concat()).into_owned();
        let body = vec![Bytes::from(text)];
        self.entries.insert(
            keys[idx].clone(),
            Entry {
                headers,
                latency_ms,
                body,
                visible: Instant::now() + self.propagation,
                expires: Instant::now() + ttl,
            },
        );
        Some(idx)
    }
}

/// The cache key of bucket slot `idx`: SHA-256 hex over
/// seed + url + body + JSON `[[name, value], ...]` of the keyed headers + idx (only when ≥ 1).
///
/// `url` is path + query: the real worker hashes the full URL, but the host is
/// the same for every request a test sends to one fake, so it adds nothing.
pub fn key(seed: &str, url: &str, body: &[u8], keyed_headers: &str, idx: u64) -> String {
    let mut h = Sha256::new();
    h.update(seed.as_bytes());
    h.update(url.as_bytes());
    h.update(body);
    h.update(keyed_headers.as_bytes());
    if idx >= 1 {
        h.update(idx.to_string().as_bytes());
    }
    h.finalize().iter().map(|b| format!("{b:02x}")).collect()
}

/// JSON list of the request headers that enter the key: names starting with
/// `helicone-cache`, and `helicone-auth` and `authorization`, in arrival order.
/// An `authorization` holding a Google OAuth token (`Bearer ya29.…`) is left
/// out, as the worker does, so that token refreshes keep hitting.
pub fn keyed_headers(headers: &[(String, String)]) -> String {
    let list: Vec<(&str, &str)> = headers
        .iter()
        .filter(|(n, v)| {
            n.starts_with("helicone-cache")
                || n == "helicone-auth"
                || (n == "authorization" && !v.trim_start_matches("Bearer ").starts_with("ya29."))
        })
        .map(|(n, v)| (n.as_str(), v.as_str()))
        .collect();
    serde_json::to_string(&list).unwrap_or_default()
}

/// TTL from the request's `Cache-Control` (`s-maxage` wins over `max-age`).
pub fn ttl(cache_control: Option<&str>) -> Duration {
    let mut max_age = None;
    let mut s_maxage = None;
    for part in cache_control.unwrap_or_default().split(',') {
        let part = part.trim().to_ascii_lowercase();
        if let Some(v) = part.strip_prefix("s-maxage=") {
            s_maxage = v.trim().parse::<u64>().ok();
        } else if let Some(v) = part.strip_prefix("max-age=") {
            max_age = v.trim().parse::<u64>().ok();
        }
    }
    let secs = s_maxage.or(max_age).unwrap_or(DEFAULT_TTL_SECS);
    Duration::from_secs(secs.min(MAX_TTL_SECS))
}
