//! Secrets: a redacting type, fingerprints, and the key lookup order
//! (environment, then config file; the OS keyring slots in between).

use std::fmt;

use sha2::{Digest, Sha256};

/// An API key. It never prints: `Debug` and `Display` show a fingerprint.
/// The only way to the value is [`Secret::expose`], used when a request is
/// actually sent.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    pub fn new(value: impl Into<String>) -> Self {
        Secret(value.into())
    }

    pub fn expose(&self) -> &str {
        &self.0
    }

    /// `sha256:` and the first 8 hex digits of the key's SHA-256: enough to
    /// tell two keys apart, useless for recovering either.
    pub fn fingerprint(&self) -> String {
        fingerprint(self.0.as_bytes())
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Secret({})", self.fingerprint())
    }
}

impl fmt::Display for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.fingerprint())
    }
}

pub fn fingerprint(bytes: &[u8]) -> String {
    let digest = Sha256::digest(bytes);
    let mut out = String::with_capacity(15);
    out.push_str("sha256:");
    for b in &digest[..4] {
        out.push_str(&format!("{b:02x}"));
    }
    out
}

/// Where a key was found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum KeySource {
    /// The environment variable of that name.
    Env(String),
    /// The config file.
    Config,
}

impl KeySource {
    pub fn label(&self) -> String {
        match self {
            KeySource::Env(var) => format!("env ({var})"),
            KeySource::Config => "config".to_string(),
        }
    }

    /// How `--curl` refers to the key: an environment variable name.
    pub fn env_var(&self) -> Option<&str> {
        match self {
            KeySource::Env(var) => Some(var),
            KeySource::Config => None,
        }
    }
}

#[derive(Debug, Clone)]
pub struct FoundKey {
    pub secret: Secret,
    pub source: KeySource,
}

/// Look a key up: each environment variable in order, then the config value.
/// Empty values count as absent.
pub fn lookup(
    env_vars: &[&str],
    env: &dyn Fn(&str) -> Option<String>,
    config_value: Option<&str>,
) -> Option<FoundKey> {
    for var in env_vars {
        if let Some(v) = env(var).filter(|v| !v.trim().is_empty()) {
            return Some(FoundKey {
                secret: Secret::new(v.trim()),
                source: KeySource::Env((*var).to_string()),
            });
        }
    }
    config_value
        .filter(|v| !v.trim().is_empty())
        .map(|v| FoundKey {
            secret: Secret::new(v.trim()),
            source: KeySource::Config,
        })
}

/// The shape Helicone accepts (spec §2.1): `sk-` or `pk-`, then optionally
/// `helicone-`, `eu-`, `cp-` (and `rl-` variants), then four groups of seven
/// word characters. A key of another shape is silently not authenticated:
/// the request is proxied but never logged, cached or rate-limited.
pub fn looks_like_helicone_key(key: &str) -> bool {
    let rest = match key.strip_prefix("sk-").or_else(|| key.strip_prefix("pk-")) {
        Some(r) => r,
        None => return false,
    };
    let mut parts: Vec<&str> = rest.split('-').collect();
    while let Some(first) = parts.first() {
        if matches!(*first, "helicone" | "eu" | "cp" | "rl" | "proxy") {
            parts.remove(0);
        } else {
            break;
        }
    }
    parts.len() == 4
        && parts
            .iter()
            .all(|p| p.len() == 7 && p.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_and_display_never_show_the_key() {
        let s = Secret::new("sk-very-secret-value");
        assert!(!format!("{s:?}").contains("secret-value"));
        assert!(!format!("{s}").contains("secret-value"));
        assert!(format!("{s}").starts_with("sha256:"));
        assert_eq!(s.fingerprint().len(), "sha256:".len() + 8);
    }

    #[test]
    fn lookup_prefers_env_in_order_then_config() {
        let env = |k: &str| match k {
            "B" => Some("from-b".to_string()),
            "EMPTY" => Some("  ".to_string()),
            _ => None,
        };
        let found = lookup(&["A", "B"], &env, Some("cfg")).unwrap();
        assert_eq!(found.secret.expose(), "from-b");
        assert_eq!(found.source, KeySource::Env("B".into()));
        let found = lookup(&["EMPTY"], &env, Some("cfg")).unwrap();
        assert_eq!(found.source, KeySource::Config);
        assert!(lookup(&["A"], &env, None).is_none());
    }

    #[test]
    fn helicone_key_shapes() {
        assert!(looks_like_helicone_key(
            "sk-helicone-TEST001-AAAAAAA-BBBBBBB-CCCCCCC"
        ));
        assert!(looks_like_helicone_key(
            "pk-helicone-eu-TEST001-AAAAAAA-BBBBBBB-CCCCCCC"
        ));
        assert!(looks_like_helicone_key(
            "sk-TEST001-AAAAAAA-BBBBBBB-CCCCCCC"
        ));
        assert!(!looks_like_helicone_key("sk-proj-openai-key"));
        assert!(!looks_like_helicone_key("helicone"));
        assert!(!looks_like_helicone_key(
            "sk-helicone-short-AAAAAAA-BBBBBBB-CCCCCCC"
        ));
    }
}
