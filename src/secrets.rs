//! Secrets: a redacting type, fingerprints, and the key lookup order:
//! environment, then the OS keyring, then the config file.

use std::fmt;

use sha2::{Digest, Sha256};

/// The keyring entry name of the Helicone key.
pub const HELICONE_KEY_NAME: &str = "helicone";
/// The environment variable of the Helicone key.
pub const HELICONE_KEY_VAR: &str = "HELICONE_API_KEY";

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

/// What a keyring lookup found.
#[derive(Debug, Clone)]
pub enum Lookup {
    Found(Secret),
    Missing,
    /// The keyring could not be asked; [`KeyStore::unavailable`] says why.
    Unavailable,
}

impl Lookup {
    pub fn found(self) -> Option<Secret> {
        match self {
            Lookup::Found(s) => Some(s),
            Lookup::Missing | Lookup::Unavailable => None,
        }
    }
}

/// Somewhere keys may be stored by name. The OS keyring in the program; a
/// map in tests.
pub trait KeyStore: Send + Sync {
    fn get(&self, name: &str) -> Lookup;

    /// `None` when the store can be used; otherwise why not.
    fn unavailable(&self) -> Option<String>;
}

/// Where a key was found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum KeySource {
    /// The environment variable of that name.
    Env(String),
    /// The OS keyring (`hcl auth set`).
    Keyring,
    /// The config file.
    Config,
}

impl KeySource {
    pub fn label(&self) -> String {
        match self {
            KeySource::Env(var) => format!("env ({var})"),
            KeySource::Keyring => "keyring".to_string(),
            KeySource::Config => "config".to_string(),
        }
    }

    /// `env`, `keyring` or `config`: the stable word for `--json` output.
    pub fn kind(&self) -> &'static str {
        match self {
            KeySource::Env(_) => "env",
            KeySource::Keyring => "keyring",
            KeySource::Config => "config",
        }
    }

    /// How `--curl` refers to the key: an environment variable name.
    pub fn env_var(&self) -> Option<&str> {
        match self {
            KeySource::Env(var) => Some(var),
            KeySource::Keyring | KeySource::Config => None,
        }
    }
}

#[derive(Debug, Clone)]
pub struct FoundKey {
    pub secret: Secret,
    pub source: KeySource,
}

/// Look a key up: each environment variable in order, then the keyring entry
/// `name` (`helicone` or a provider name), then the config value. Empty
/// values count as absent. The keyring is asked only when no variable is set.
pub fn lookup(
    name: &str,
    env_vars: &[&str],
    env: &dyn Fn(&str) -> Option<String>,
    keyring: &dyn KeyStore,
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
    if let Some(secret) = keyring
        .get(name)
        .found()
        .filter(|s| !s.expose().trim().is_empty())
    {
        return Some(FoundKey {
            secret: Secret::new(secret.expose().trim()),
            source: KeySource::Keyring,
        });
    }
    config_key(config_value)
}

fn config_key(config_value: Option<&str>) -> Option<FoundKey> {
    config_value
        .filter(|v| !v.trim().is_empty())
        .map(|v| FoundKey {
            secret: Secret::new(v.trim()),
            source: KeySource::Config,
        })
}

/// The shape Helicone accepts (docs/helicone.md §2.1): `sk-` or `pk-`, then optionally
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
pub mod tests {
    use super::*;
    use crate::keystore::NoKeyring;

    #[test]
    fn debug_and_display_never_show_the_key() {
        let s = Secret::new("sk-very-secret-value");
        assert!(!format!("{s:?}").contains("secret-value"));
        assert!(!format!("{s}").contains("secret-value"));
        assert!(format!("{s}").starts_with("sha256:"));
        assert_eq!(s.fingerprint().len(), "sha256:".len() + 8);
    }

    /// A keyring holding fixed entries.
    pub struct MapStore(pub &'static [(&'static str, &'static str)]);

    impl KeyStore for MapStore {
        fn get(&self, name: &str) -> Lookup {
            self.0
                .iter()
                .find(|(n, _)| *n == name)
                .map_or(Lookup::Missing, |(_, v)| Lookup::Found(Secret::new(*v)))
        }
        fn unavailable(&self) -> Option<String> {
            None
        }
    }

    #[test]
    fn lookup_order_is_env_then_keyring_then_config() {
        let env = |k: &str| match k {
            "B" => Some("from-b".to_string()),
            "EMPTY" => Some("  ".to_string()),
            _ => None,
        };
        let ring = MapStore(&[("openai", "from-keyring"), ("blank", " ")]);
        let none = MapStore(&[]);
        let off = NoKeyring("off".into());
        type Case<'a> = (
            &'a [&'a str],
            &'a dyn KeyStore,
            &'a str,
            Option<&'a str>,
            Option<(&'a str, KeySource)>,
        );
        let cases: &[Case<'_>] = &[
            // (variables, keyring, keyring name, config value, expected)
            (
                &["A", "B"],
                &ring,
                "openai",
                Some("cfg"),
                Some(("from-b", KeySource::Env("B".into()))),
            ),
            (
                &["A"],
                &ring,
                "openai",
                Some("cfg"),
                Some(("from-keyring", KeySource::Keyring)),
            ),
            (
                &["EMPTY"],
                &ring,
                "openai",
                Some("cfg"),
                Some(("from-keyring", KeySource::Keyring)),
            ),
            (
                &["A"],
                &none,
                "openai",
                Some("cfg"),
                Some(("cfg", KeySource::Config)),
            ),
            (
                &["A"],
                &off,
                "openai",
                Some(" cfg "),
                Some(("cfg", KeySource::Config)),
            ),
            (
                &["A"],
                &ring,
                "blank",
                Some("cfg"),
                Some(("cfg", KeySource::Config)),
            ),
            (&["A"], &ring, "groq", Some(""), None),
            (&["A"], &off, "openai", None, None),
        ];
        for (i, (vars, store, name, config, want)) in cases.iter().enumerate() {
            let got = lookup(name, vars, &env, *store, *config)
                .map(|f| (f.secret.expose().to_string(), f.source));
            let want = want.as_ref().map(|(v, s)| (v.to_string(), s.clone()));
            assert_eq!(got, want, "case {i}");
        }
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
