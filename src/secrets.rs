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
    /// A named profile of a shared credentials file (`~/.aws/credentials`).
    Profile { name: String, file: String },
}

impl KeySource {
    pub fn label(&self) -> String {
        match self {
            KeySource::Env(var) => format!("env ({var})"),
            KeySource::Keyring => "keyring".to_string(),
            KeySource::Config => "config".to_string(),
            KeySource::Profile { name, file } => format!("profile {name} ({file})"),
        }
    }

    /// `env`, `keyring` or `config`: the stable word for `--json` output.
    pub fn kind(&self) -> &'static str {
        match self {
            KeySource::Env(_) => "env",
            KeySource::Keyring => "keyring",
            KeySource::Config => "config",
            KeySource::Profile { .. } => "profile",
        }
    }

    /// How `--curl` refers to the key: an environment variable name.
    pub fn env_var(&self) -> Option<&str> {
        match self {
            KeySource::Env(var) => Some(var),
            KeySource::Keyring | KeySource::Config | KeySource::Profile { .. } => None,
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
    env_key(env_vars, env)
        .or_else(|| keyring_key(name, keyring))
        .or_else(|| config_key(config_value))
}

fn env_key(env_vars: &[&str], env: &dyn Fn(&str) -> Option<String>) -> Option<FoundKey> {
    env_vars.iter().find_map(|var| {
        env(var).filter(|v| !v.trim().is_empty()).map(|v| FoundKey {
            secret: Secret::new(v.trim()),
            source: KeySource::Env((*var).to_string()),
        })
    })
}

fn keyring_key(name: &str, keyring: &dyn KeyStore) -> Option<FoundKey> {
    keyring
        .get(name)
        .found()
        .filter(|s| !s.expose().trim().is_empty())
        .map(|secret| FoundKey {
            secret: Secret::new(secret.expose().trim()),
            source: KeySource::Keyring,
        })
}

fn config_key(config_value: Option<&str>) -> Option<FoundKey> {
    config_value
        .filter(|v| !v.trim().is_empty())
        .map(|v| FoundKey {
            secret: Secret::new(v.trim()),
            source: KeySource::Config,
        })
}

/// One key of a set that is looked up together (an access key and the
/// secret that goes with it).
#[derive(Debug, Clone, Copy)]
pub struct Wanted<'a> {
    /// The keyring entry.
    pub keyring: &'a str,
    pub env: &'a [&'a str],
    /// The value in the config file, if it has one.
    pub config: Option<&'a str>,
    pub required: bool,
}

/// The places a key is looked for, in order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Place {
    Env,
    Keyring,
    Config,
    /// A named profile of a shared credentials file.
    Profile,
}

/// What looking a set of keys up found.
#[derive(Debug, Clone)]
pub enum SetLookup {
    /// Every required key, all from the first place that holds any of
    /// them, with the optional keys that place holds (by position).
    Found(Vec<Option<FoundKey>>),
    /// No place holds any required key.
    Missing,
    /// The first place that holds a required key lacks another: which it
    /// has and which it lacks (by position). Keys from two places are never
    /// mixed: an access key from one and a secret from another would not
    /// belong together.
    Partial {
        place: Place,
        have: Vec<(usize, FoundKey)>,
        missing: Vec<usize>,
    },
}

/// Look a set of keys up, place by place: the environment, the keyring,
/// the config file, then `profile` (the value a profile holds for the key
/// at a position; it is asked only when no earlier place holds the set).
/// The first place that holds any required key must hold all of them; its
/// optional keys come with it. A set of one required key is found exactly
/// as [`lookup`] finds it.
pub fn lookup_set(
    wanted: &[Wanted<'_>],
    env: &dyn Fn(&str) -> Option<String>,
    keyring: &dyn KeyStore,
    profile: &mut dyn FnMut(usize) -> Option<FoundKey>,
) -> SetLookup {
    for place in [Place::Env, Place::Keyring, Place::Config, Place::Profile] {
        let mut get = |i: usize| -> Option<FoundKey> {
            let w = &wanted[i];
            match place {
                Place::Env => env_key(w.env, env),
                Place::Keyring => keyring_key(w.keyring, keyring),
                Place::Config => config_key(w.config),
                Place::Profile => profile(i),
            }
        };
        let mut have = Vec::new();
        let mut missing = Vec::new();
        for i in (0..wanted.len()).filter(|i| wanted[*i].required) {
            match get(i) {
                Some(k) => have.push((i, k)),
                None => missing.push(i),
            }
        }
        if have.is_empty() {
            continue;
        }
        if !missing.is_empty() {
            return SetLookup::Partial {
                place,
                have,
                missing,
            };
        }
        let mut found: Vec<Option<FoundKey>> = vec![None; wanted.len()];
        for (i, k) in have {
            found[i] = Some(k);
        }
        for i in (0..wanted.len()).filter(|i| !wanted[*i].required) {
            found[i] = get(i);
        }
        return SetLookup::Found(found);
    }
    SetLookup::Missing
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

    fn wanted(config: Option<&'static str>) -> [Wanted<'static>; 3] {
        [
            Wanted {
                keyring: "id",
                env: &["ID"],
                config,
                required: true,
            },
            Wanted {
                keyring: "secret",
                env: &["SECRET", "SECRET2"],
                config: None,
                required: true,
            },
            Wanted {
                keyring: "token",
                env: &["TOKEN"],
                config: None,
                required: false,
            },
        ]
    }

    /// Each key of a found set as (value, kind of source).
    fn values(found: &SetLookup) -> Vec<Option<(String, String)>> {
        let SetLookup::Found(v) = found else {
            panic!("not found: {found:?}")
        };
        v.iter()
            .map(|k| {
                k.as_ref()
                    .map(|k| (k.secret.expose().to_string(), k.source.kind().to_string()))
            })
            .collect()
    }

    fn pair(a: &str, b: &str) -> Option<(String, String)> {
        Some((a.to_string(), b.to_string()))
    }

    #[test]
    fn a_set_comes_whole_from_the_first_place_that_holds_it() {
        let no_profile = &mut |_: usize| None;
        // The environment, with the optional token from the same place.
        let env = |k: &str| match k {
            "ID" => Some("env-id".to_string()),
            "SECRET2" => Some("env-secret".to_string()),
            "TOKEN" => Some("env-token".to_string()),
            _ => None,
        };
        let ring = MapStore(&[("id", "ring-id"), ("secret", "ring-secret"), ("token", "t")]);
        let got = lookup_set(&wanted(None), &env, &ring, no_profile);
        assert_eq!(
            values(&got),
            [
                pair("env-id", "env"),
                pair("env-secret", "env"),
                pair("env-token", "env")
            ]
        );

        // A token alone in the environment does not make it the place:
        // the keyring holds the set, and its own token comes with it.
        let only_token = |k: &str| (k == "TOKEN").then(|| "stray".to_string());
        let got = lookup_set(&wanted(None), &only_token, &ring, no_profile);
        assert_eq!(
            values(&got),
            [
                pair("ring-id", "keyring"),
                pair("ring-secret", "keyring"),
                pair("t", "keyring")
            ]
        );

        // Half a set in the environment is an error, not a mix.
        let half = |k: &str| (k == "ID").then(|| "env-id".to_string());
        let got = lookup_set(&wanted(None), &half, &ring, no_profile);
        let SetLookup::Partial {
            place,
            have,
            missing,
        } = got
        else {
            panic!("{got:?}")
        };
        assert_eq!((place, have.len(), missing), (Place::Env, 1, vec![1]));
    }

    #[test]
    fn the_profile_is_asked_last_and_only_then() {
        let none = MapStore(&[]);
        let nothing = |_: &str| None;
        let mut asked = 0;
        let mut profile = |i: usize| {
            asked += 1;
            (i < 2).then(|| FoundKey {
                secret: Secret::new(format!("p{i}")),
                source: KeySource::Profile {
                    name: "dev".into(),
                    file: "f".into(),
                },
            })
        };
        let got = lookup_set(&wanted(None), &nothing, &none, &mut profile);
        assert_eq!(
            values(&got),
            [pair("p0", "profile"), pair("p1", "profile"), None]
        );
        assert_eq!(asked, 3);
        let env = |k: &str| (k == "ID" || k == "SECRET").then(|| "v".to_string());
        let mut asked = 0;
        let mut counting = |_: usize| {
            asked += 1;
            None
        };
        lookup_set(&wanted(None), &env, &none, &mut counting);
        assert_eq!(asked, 0, "the environment held the set");
    }

    #[test]
    fn a_config_value_for_one_key_alone_is_partial() {
        let none = MapStore(&[]);
        let nothing = |_: &str| None;
        let no_profile = &mut |_: usize| None;
        let got = lookup_set(&wanted(Some("cfg-id")), &nothing, &none, no_profile);
        assert!(matches!(
            got,
            SetLookup::Partial {
                place: Place::Config,
                ..
            }
        ));
        assert!(matches!(
            lookup_set(&wanted(None), &nothing, &none, no_profile),
            SetLookup::Missing
        ));
    }

    #[test]
    fn a_set_of_one_is_found_as_lookup_finds_it() {
        let env = |k: &str| match k {
            "B" => Some(" from-b ".to_string()),
            _ => None,
        };
        let ring = MapStore(&[("openai", "from-keyring")]);
        for (vars, config) in [
            (&["A", "B"][..], Some("cfg")),
            (&["A"][..], Some("cfg")),
            (&["A"][..], None),
        ] {
            let one = [Wanted {
                keyring: "openai",
                env: vars,
                config,
                required: true,
            }];
            let got = match lookup_set(&one, &env, &ring, &mut |_| None) {
                SetLookup::Found(mut v) => v.remove(0),
                other => panic!("{other:?}"),
            };
            let want = lookup("openai", vars, &env, &ring, config);
            assert_eq!(
                got.map(|k| (k.secret, k.source)),
                want.map(|k| (k.secret, k.source))
            );
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
