//! Helicone's cache key (docs/helicone.md §4.1), fingerprinted part by part, and the
//! answer to "why did this replay miss?".
//!
//! Helicone hashes the seed, the full URL, the body text, the
//! `helicone-cache*`, `helicone-auth` and `authorization` headers, and the
//! bucket index into one SHA-256, so a miss says nothing about which part
//! changed. Each log record keeps a fingerprint of every part on its own;
//! comparing an original with its replay names the part that differs, and
//! when none does, the causes that remain.

use std::collections::BTreeMap;
use std::time::{Duration, SystemTime};

use serde::{Deserialize, Serialize};

use crate::headers::HeaderList;
use crate::request::{Credentials, SecretRole, SecretSlot};
use crate::secrets;

/// Helicone's default cache TTL: 7 days.
pub const DEFAULT_TTL_SECS: u64 = 604_800;
/// Cloudflare KV needs this long to show a write everywhere.
const KV_PROPAGATION_SECS: u64 = 60;

/// One fingerprint per part of Helicone's cache key. Nothing here is secret:
/// keys appear as the same `sha256:` fingerprints the logged headers show.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CacheKey {
    /// The full URL.
    pub url: String,
    /// The body text, byte for byte.
    pub body: String,
    /// Each `helicone-cache*` header other than the seed and the bucket size:
    /// lower-cased name to a fingerprint of its value.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub headers: BTreeMap<String, String>,
    /// The Helicone key, when it travels in `Helicone-Auth` or `Authorization`.
    #[serde(default)]
    pub helicone_key: Option<String>,
    /// The provider key, when it travels in `Authorization` (an `x-api-key`
    /// or `x-goog-api-key` is not part of Helicone's cache key).
    #[serde(default)]
    pub provider_key: Option<String>,
    /// `Helicone-Cache-Seed`.
    #[serde(default)]
    pub seed: Option<String>,
    /// `Helicone-Cache-Bucket-Max-Size` (absent: 1).
    #[serde(default)]
    pub bucket: Option<u32>,
}

const SEED: &str = "helicone-cache-seed";
const BUCKET: &str = "helicone-cache-bucket-max-size";

/// The key fingerprint inside a masked header value (`Bearer sha256:1a2b3c4d`),
/// or a fingerprint of the whole value when it shows none.
fn key_fingerprint(masked: &str) -> String {
    match masked.find("sha256:") {
        Some(i) => masked[i..].to_string(),
        None => secrets::fingerprint(masked.as_bytes()),
    }
}

impl CacheKey {
    /// The parts of a request as it was sent: `headers` are the masked headers
    /// (keys as fingerprints) and `slots` say which key fills which header.
    /// `creds`, when known, lets Google OAuth tokens (`ya29.`) be left out,
    /// as Helicone leaves them out.
    pub fn compute(
        url: &str,
        body: &str,
        headers: &[(String, String)],
        slots: &[SecretSlot],
        creds: &Credentials,
    ) -> CacheKey {
        let mut key = CacheKey {
            url: secrets::fingerprint(url.as_bytes()),
            body: secrets::fingerprint(body.as_bytes()),
            ..Default::default()
        };
        for (name, value) in headers {
            let lower = name.to_ascii_lowercase();
            let slot = slots.iter().find(|s| s.header.eq_ignore_ascii_case(name));
            if lower == SEED {
                key.seed = Some(secrets::fingerprint(value.as_bytes()));
            } else if lower == BUCKET {
                key.bucket = value.trim().parse().ok();
            } else if lower.starts_with("helicone-cache") {
                key.headers
                    .insert(lower, secrets::fingerprint(value.as_bytes()));
            } else if lower == "helicone-auth" {
                key.helicone_key = Some(key_fingerprint(value));
            } else if lower == "authorization" {
                let role = slot.map_or_else(SecretRole::provider, |s| s.role.clone());
                let oauth = creds
                    .get(&role)
                    .is_some_and(|k| k.secret.expose().starts_with("ya29."));
                if oauth {
                    continue;
                }
                match role {
                    SecretRole::Helicone => key.helicone_key = Some(key_fingerprint(value)),
                    SecretRole::Key(_) => key.provider_key = Some(key_fingerprint(value)),
                }
            }
        }
        key
    }
}

fn host_of(url: &str) -> String {
    reqwest::Url::parse(url)
        .ok()
        .and_then(|u| {
            u.host_str().map(|h| match u.port() {
                Some(p) => format!("{h}:{p}"),
                None => h.to_string(),
            })
        })
        .unwrap_or_else(|| url.to_string())
}

fn changed(what: &str, old: &Option<String>, new: &Option<String>) -> Option<String> {
    match (old, new) {
        (a, b) if a == b => None,
        (None, Some(_)) => Some(format!("{what} was added")),
        (Some(_), None) => Some(format!("{what} was removed")),
        (Some(a), Some(b)) => Some(format!("{what} changed ({a} → {b})")),
        _ => None,
    }
}

/// Which parts of the cache key differ between an original and its replay,
/// one phrase each ("the body differs", "the provider key changed …").
pub fn differences(orig: &CacheKey, orig_url: &str, now: &CacheKey, now_url: &str) -> Vec<String> {
    let mut out = Vec::new();
    if orig.url != now.url {
        let (a, b) = (host_of(orig_url), host_of(now_url));
        out.push(if a != b {
            format!("the endpoint changed from {a} to {b}")
        } else {
            format!("the URL changed from {orig_url} to {now_url}")
        });
    }
    if orig.body != now.body {
        out.push("the body differs from the one first sent (was the log edited?)".to_string());
    }
    out.extend(changed(
        "the Helicone key",
        &orig.helicone_key,
        &now.helicone_key,
    ));
    out.extend(changed(
        "the provider key",
        &orig.provider_key,
        &now.provider_key,
    ));
    if orig.seed != now.seed {
        out.push(match (&orig.seed, &now.seed) {
            (None, _) => "a cache seed was added".to_string(),
            (_, None) => "the cache seed was removed".to_string(),
            _ => "the cache seed changed".to_string(),
        });
    }
    if orig.bucket != now.bucket {
        out.push(format!(
            "the bucket size changed from {} to {}",
            orig.bucket.unwrap_or(1),
            now.bucket.unwrap_or(1)
        ));
    }
    let names: std::collections::BTreeSet<&String> =
        orig.headers.keys().chain(now.headers.keys()).collect();
    for name in names {
        match (orig.headers.get(name), now.headers.get(name)) {
            (Some(a), Some(b)) if a != b => out.push(format!("header {name} changed")),
            (None, Some(_)) => out.push(format!("header {name} was added")),
            (Some(_), None) => out.push(format!("header {name} was removed")),
            _ => {}
        }
    }
    out
}

fn is_true(h: &HeaderList, name: &str) -> bool {
    h.get(name)
        .is_some_and(|v| v.trim().eq_ignore_ascii_case("true"))
}

/// Whether a logged request asked Helicone to store its answer.
pub fn saves_to_cache(h: &HeaderList) -> bool {
    is_true(h, "helicone-cache-enabled") || is_true(h, "helicone-cache-save")
}

/// The TTL Helicone applied: `s-maxage`, else `max-age`, else 7 days, at most a year.
pub fn ttl_secs(h: &HeaderList) -> u64 {
    let mut max_age = None;
    let mut s_maxage = None;
    for part in h.get("cache-control").unwrap_or_default().split(',') {
        let part = part.trim().to_ascii_lowercase();
        if let Some(v) = part.strip_prefix("s-maxage=") {
            s_maxage = v.trim().parse::<u64>().ok();
        } else if let Some(v) = part.strip_prefix("max-age=") {
            max_age = v.trim().parse::<u64>().ok();
        }
    }
    s_maxage
        .or(max_age)
        .unwrap_or(DEFAULT_TTL_SECS)
        .min(crate::helicone::MAX_CACHE_TTL)
}

fn ago(d: Duration) -> String {
    humantime::format_duration(Duration::from_secs(d.as_secs())).to_string()
}

/// What explaining a MISS needs of the original exchange.
pub struct Original<'a> {
    /// Its cache-key parts.
    pub key: CacheKey,
    pub url: &'a str,
    pub headers: &'a HeaderList,
    /// Its answer's status; `None`: no answer.
    pub status: Option<u16>,
    /// When it was sent (RFC 3339).
    pub ts: &'a str,
}

/// Why a replay of `original` missed. `now_key` and `now_url` are what the
/// replay sent; `helicone_key_ok` says whether the Helicone key has the
/// shape Helicone accepts.
pub fn explain_miss(
    original: &Original<'_>,
    now_key: &CacheKey,
    now_url: &str,
    helicone_key_ok: bool,
    now: SystemTime,
) -> Vec<String> {
    let orig_key = &original.key;
    let mut why = differences(orig_key, original.url, now_key, now_url);
    let headers = original.headers;
    if !saves_to_cache(headers) {
        why.retain(|w| !w.contains("helicone-cache-enabled was added"));
        why.insert(
            0,
            "the original was never stored: it was sent with caching off; this replay stored it, so the next one can hit".to_string(),
        );
    }
    if !why.is_empty() {
        return why;
    }
    let mut causes = Vec::new();
    match original.status {
        Some(200) => {}
        Some(s) => causes.push(format!(
            "the original was never stored: it answered {s}, and Helicone stores only 200 answers"
        )),
        None => causes.push(
            "the original was never stored: it got no answer (see `hcl log show`)".to_string(),
        ),
    }
    let bucket = orig_key.bucket.unwrap_or(1);
    if bucket > 1 {
        causes.push(format!(
            "the bucket is not full yet: with a bucket of {bucket}, Helicone serves a HIT only after {bucket} answers are stored (try --repeat {bucket})"
        ));
    }
    let ttl = ttl_secs(headers);
    let age = humantime::parse_rfc3339_weak(original.ts)
        .ok()
        .and_then(|t| now.duration_since(t).ok());
    if ttl < crate::helicone::MIN_USEFUL_CACHE_TTL {
        causes.push(format!(
            "the TTL of {ttl} s is under 60 s, which Helicone's store (Cloudflare KV) drops"
        ));
    } else if let Some(age) = age {
        if age.as_secs() > ttl {
            causes.push(format!(
                "the TTL has passed: the original is {} old and its TTL is {}",
                ago(age),
                ago(Duration::from_secs(ttl))
            ));
        } else if age.as_secs() < KV_PROPAGATION_SECS {
            causes.push(format!(
                "the original is only {} old: Helicone's store (Cloudflare KV) can take up to a minute to show a new entry",
                ago(age)
            ));
        }
    }
    causes.push(if helicone_key_ok {
        "Helicone may not have accepted the Helicone key: it then answers MISS without reading the cache, silently; check HELICONE_API_KEY".to_string()
    } else {
        "the Helicone key does not have the shape Helicone accepts (sk-helicone-…): Helicone answers MISS without reading the cache, silently; check HELICONE_API_KEY".to_string()
    });
    causes
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(a, b)| (a.to_string(), b.to_string()))
            .collect()
    }

    fn slots() -> Vec<SecretSlot> {
        vec![
            SecretSlot {
                header: "Authorization".into(),
                role: SecretRole::provider(),
                prefix: "Bearer ".into(),
            },
            SecretSlot {
                header: "Helicone-Auth".into(),
                role: SecretRole::Helicone,
                prefix: "Bearer ".into(),
            },
        ]
    }

    fn base() -> Vec<(String, String)> {
        headers(&[
            ("Content-Type", "application/json"),
            ("Authorization", "Bearer sha256:aaaaaaaa"),
            ("Helicone-Auth", "Bearer sha256:bbbbbbbb"),
            ("Helicone-Request-Id", "x"),
            ("Helicone-Cache-Enabled", "true"),
            ("Helicone-Cache-Bucket-Max-Size", "3"),
            ("Helicone-Property-Env", "ci"),
        ])
    }

    fn key(url: &str, body: &str, h: &[(String, String)]) -> CacheKey {
        CacheKey::compute(url, body, h, &slots(), &Credentials::default())
    }

    #[test]
    fn parts_and_what_is_left_out() {
        let k = key("https://oai.helicone.ai/v1/chat/completions", "{}", &base());
        assert_eq!(k.provider_key.as_deref(), Some("sha256:aaaaaaaa"));
        assert_eq!(k.helicone_key.as_deref(), Some("sha256:bbbbbbbb"));
        assert_eq!(k.bucket, Some(3));
        assert_eq!(
            k.headers.keys().collect::<Vec<_>>(),
            ["helicone-cache-enabled"]
        );
        // Properties and the request id are not part of the key.
        let mut other = base();
        other[3].1 = "y".into();
        other[6].1 = "prod".into();
        assert_eq!(
            key("https://oai.helicone.ai/v1/chat/completions", "{}", &other),
            k
        );
    }

    #[test]
    fn each_difference_is_named() {
        let url = "https://oai.helicone.ai/v1/chat/completions";
        let a = key(url, r#"{"a":1}"#, &base());
        let mut h = base();
        h[1].1 = "Bearer sha256:cccccccc".into();
        h[5].1 = "1".into();
        h.push(("Helicone-Cache-Seed".into(), "s".into()));
        let url2 = "https://gateway.helicone.ai/v1/chat/completions";
        let b = key(url2, r#"{"a":2}"#, &h);
        let d = differences(&a, url, &b, url2);
        assert_eq!(
            d,
            [
                "the endpoint changed from oai.helicone.ai to gateway.helicone.ai",
                "the body differs from the one first sent (was the log edited?)",
                "the provider key changed (sha256:aaaaaaaa → sha256:cccccccc)",
                "a cache seed was added",
                "the bucket size changed from 3 to 1",
            ]
        );
        assert!(differences(&a, url, &a, url).is_empty());
    }

    const URL: &str = "https://oai.helicone.ai/v1/chat/completions";

    fn original<'a>(status: Option<u16>, h: &'a HeaderList, ts: &'a str) -> Original<'a> {
        Original {
            key: key(URL, "{}", &h.0),
            url: URL,
            headers: h,
            status,
            ts,
        }
    }

    #[test]
    fn likely_causes_when_nothing_differs() {
        let now = humantime::parse_rfc3339("2026-01-10T00:00:00Z").unwrap();
        let h = HeaderList(base());
        let r = original(Some(500), &h, "2026-01-01T00:00:00Z");
        let why = explain_miss(&r, &r.key, URL, true, now);
        assert!(why[0].contains("answered 500"), "{why:?}");
        assert!(why[1].contains("bucket of 3"), "{why:?}");
        assert!(why[2].contains("TTL has passed"), "{why:?}");
        assert!(why[3].contains("Helicone key"), "{why:?}");

        let mut h = base();
        h.retain(|(n, _)| !n.starts_with("Helicone-Cache"));
        let h = HeaderList(h);
        let r = original(Some(200), &h, "2026-01-09T23:59:50Z");
        let mut sent = r.key.clone();
        sent.headers
            .insert("helicone-cache-enabled".into(), "sha256:x".into());
        let why = explain_miss(&r, &sent, URL, false, now);
        assert_eq!(why.len(), 1, "{why:?}");
        assert!(why[0].contains("caching off"), "{why:?}");
    }

    #[test]
    fn ttl_from_cache_control() {
        let h = HeaderList(headers(&[("Cache-Control", "max-age=120, s-maxage=90")]));
        assert_eq!(ttl_secs(&h), 90);
        assert_eq!(ttl_secs(&HeaderList::default()), DEFAULT_TTL_SECS);
    }
}
