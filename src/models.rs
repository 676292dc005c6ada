//! Model discovery: each row's models, fetched live from its list endpoint
//! through Helicone, kept in hcl's cache directory for a day, and the row's
//! built-in list when neither can be had. Completion (interactive and
//! shell) reads only the cache and the built-in lists: no network.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::provider::Provider;
use crate::request;
use crate::settings::{Env, ListTarget};
use crate::transport::{Client, NetOptions};
use crate::wire;

/// How long a fetched list is used before it is fetched again.
pub const MAX_AGE: Duration = Duration::from_secs(24 * 60 * 60);
/// The most pages one list is read to.
const MAX_PAGES: usize = 20;

/// `HCL_CACHE_DIR`, else `<cache dir>/hcl`.
pub fn cache_dir(env: Env<'_>) -> Option<PathBuf> {
    env("HCL_CACHE_DIR")
        .filter(|p| !p.trim().is_empty())
        .map(PathBuf::from)
        .or_else(|| dirs::cache_dir().map(|d| d.join("hcl")))
}

/// The cache of fetched lists: one entry per row and the base and upstream
/// it was fetched from, so a test gateway never mixes with the real one.
#[derive(Debug, Default, Serialize, Deserialize)]
pub struct Cache {
    #[serde(default)]
    entries: BTreeMap<String, Entry>,
    #[serde(skip)]
    path: Option<PathBuf>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Entry {
    /// Seconds since the epoch.
    pub fetched_at: u64,
    pub ids: Vec<String>,
}

impl Entry {
    pub fn age(&self, now: SystemTime) -> Duration {
        let now = now.duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs());
        Duration::from_secs(now.saturating_sub(self.fetched_at))
    }
}

/// The cache key of a row's list.
pub fn key(row: &Provider, target: Option<&ListTarget>) -> String {
    match target {
        Some(t) => format!(
            "{} {} {}",
            row.name,
            t.route.base,
            t.route.upstream.as_deref().unwrap_or("")
        ),
        None => row.name.to_string(),
    }
}

impl Cache {
    /// The cache file, read; a missing or unreadable one is empty (it is
    /// only a cache).
    pub fn load(env: Env<'_>) -> Cache {
        let Some(path) = cache_dir(env).map(|d| d.join("models.json")) else {
            return Cache::default();
        };
        let mut cache: Cache = std::fs::read(&path)
            .ok()
            .and_then(|b| serde_json::from_slice(&b).ok())
            .unwrap_or_default();
        cache.path = Some(path);
        cache
    }

    pub fn get(&self, key: &str) -> Option<&Entry> {
        self.entries.get(key)
    }

    /// Every id cached for a row, whatever the base it came from.
    pub fn ids_of(&self, row: &str) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for (k, e) in &self.entries {
            if k.split(' ').next() == Some(row) {
                for id in &e.ids {
                    if !out.contains(id) {
                        out.push(id.clone());
                    }
                }
            }
        }
        out
    }

    pub fn put(&mut self, key: String, ids: Vec<String>, now: SystemTime) {
        let fetched_at = now.duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs());
        self.entries.insert(key, Entry { fetched_at, ids });
    }

    /// Write the cache (0600, through a temporary file and a rename).
    pub fn save(&self) -> Result<()> {
        let Some(path) = &self.path else {
            return Ok(());
        };
        let text = serde_json::to_vec(self)
            .map_err(|e| Error::Protocol(format!("cannot serialize the model cache: {e}")))?;
        crate::files::replace_private(path, &text).map_err(|e| {
            Error::io(
                format!("cannot write the model cache {}", path.display()),
                e,
            )
        })
    }
}

/// The ids a row's list endpoint gives, every page, through Helicone.
pub async fn fetch(
    target: &ListTarget,
    timeout: Duration,
) -> std::result::Result<Vec<String>, String> {
    let net = NetOptions {
        timeout,
        connect_timeout: timeout.min(Duration::from_secs(5)),
        ..NetOptions::default()
    };
    let client = Client::new(net, target.proxy.clone()).map_err(|e| e.to_string())?;
    let Some(keep) = target.provider.models.list.map(|l| l.keep) else {
        return Err(format!(
            "{} has no model-list endpoint",
            target.provider.name
        ));
    };
    let mut ids: Vec<String> = Vec::new();
    let mut next: Option<(&'static str, String)> = None;
    for _ in 0..MAX_PAGES {
        let query = next.as_ref().map(|(n, v)| (*n, v.as_str()));
        let Some(req) = request::prepare_list(target.provider, target.format, &target.route, query)
        else {
            return Err(format!(
                "{} has no model-list endpoint",
                target.provider.name
            ));
        };
        let ex = client
            .send_full(&req, &target.creds)
            .await
            .map_err(|e| e.to_string())?;
        if !(200..300).contains(&ex.status) {
            let msg = wire::error_message(&ex.body).unwrap_or_default();
            return Err(format!("{} answered {} {msg}", req.url, ex.status)
                .trim()
                .to_string());
        }
        let page = wire::parse_models(target.format, keep, &ex.body)?;
        for id in page.ids {
            if !ids.contains(&id) {
                ids.push(id);
            }
        }
        next = page.next;
        if next.is_none() {
            break;
        }
    }
    Ok(ids)
}

/// The models hcl knows for a row without asking anyone: what was fetched
/// before, then its built-in list.
pub fn known(row: &Provider, cache: &Cache) -> Vec<String> {
    let mut out = cache.ids_of(row.name);
    for c in row.models.curated {
        if !out.iter().any(|x| x == c) {
            out.push((*c).to_string());
        }
    }
    out
}
