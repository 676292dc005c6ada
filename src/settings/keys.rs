//! Resolve step for keys: a row's keys and the Helicone key. A row's keys
//! (one provider key, or a set such as an access key, its secret and a
//! session token) come together from the first place that holds them: the
//! environment, the OS keyring, the config file, then, for a row whose
//! table entry names one, a profile of a shared credentials file. Lookups
//! are remembered, so a batch or a replay asks the keyring once per row.

use std::collections::HashMap;
use std::path::PathBuf;

use crate::keystore::{self, KeyStore};
use crate::profiles::{self, Read};
use crate::provider::{ProfileFile, Provider, Slot};
use crate::request::Credentials;
use crate::secrets::{self, FoundKey, KeySource, Place, Secret, SetLookup, Wanted};

use super::missing::Missing;
use super::{Config, Env, env_nonempty};

pub use crate::secrets::{HELICONE_KEY_NAME, HELICONE_KEY_VAR};

/// What looking up a row's keys found.
#[derive(Debug, Clone)]
pub enum RowKeys {
    /// The row's keys by role, in slot order; an optional key only when
    /// the place the set came from holds it.
    Found(Vec<(&'static str, FoundKey)>),
    /// No place holds them. The notes say what was looked at and found
    /// wanting (a profile that gets its keys elsewhere, a missing file).
    Missing(Vec<String>),
    /// A place holds some of the required keys but not all: the message.
    Partial(String),
}

impl RowKeys {
    /// The first key found, for listings.
    pub fn first(&self) -> Option<&FoundKey> {
        match self {
            RowKeys::Found(keys) => keys.first().map(|(_, k)| k),
            RowKeys::Missing(_) | RowKeys::Partial(_) => None,
        }
    }
}

/// Key lookups for one run, each made at most once.
pub struct Keys<'a> {
    env: Env<'a>,
    config: &'a Config,
    keyring: &'a dyn KeyStore,
    helicone: Option<Option<FoundKey>>,
    rows: HashMap<&'static str, RowKeys>,
}

impl<'a> Keys<'a> {
    pub fn new(env: Env<'a>, config: &'a Config, keyring: &'a dyn KeyStore) -> Self {
        Keys {
            env,
            config,
            keyring,
            helicone: None,
            rows: HashMap::new(),
        }
    }

    /// With the keyring the environment allows (`HCL_NO_KEYRING`).
    pub fn from_env(env: Env<'a>, config: &'a Config) -> Self {
        Self::new(env, config, keystore::for_env(env))
    }

    /// The Helicone key: `HELICONE_API_KEY`, then the keyring entry
    /// `helicone`, then `api_key` under `[helicone]`.
    pub fn helicone(&mut self) -> Option<FoundKey> {
        let (env, config, keyring) = (self.env, self.config, self.keyring);
        self.helicone
            .get_or_insert_with(|| helicone_key(env, config, keyring))
            .clone()
    }

    /// The keys a row's requests carry besides the Helicone key.
    pub fn row(&mut self, row: &'static Provider) -> RowKeys {
        if let Some(found) = self.rows.get(row.name) {
            return found.clone();
        }
        let found = row_keys(self.env, self.config, self.keyring, row);
        self.rows.insert(row.name, found.clone());
        found
    }

    /// Where the key of `row` was found, for messages.
    pub fn source_of(&mut self, row: &'static Provider) -> Option<String> {
        self.provider(row).map(|k| k.source.label())
    }

    /// The key a row's requests carry first: its own, or for a row whose
    /// bearer is the Helicone key, that one.
    pub fn provider(&mut self, row: &'static Provider) -> Option<FoundKey> {
        if !row.uses_provider_key() {
            return self.helicone();
        }
        self.row(row).first().cloned()
    }

    /// The keys a request to `row` needs. A missing one goes to `missing`,
    /// unless the request is only shown (`offline`): then it is a warning.
    pub fn credentials(
        &mut self,
        row: &'static Provider,
        direct: bool,
        offline: bool,
        warnings: &mut Vec<String>,
        missing: &mut Missing,
    ) -> Credentials {
        let mut creds = Credentials::default();
        if row.uses_provider_key() {
            let problem = match self.row(row) {
                RowKeys::Found(keys) => {
                    creds.keys = keys
                        .into_iter()
                        .map(|(role, k)| (role.to_string(), k))
                        .collect();
                    None
                }
                RowKeys::Missing(notes) => Some(missing_key_message_with(row, &notes)),
                RowKeys::Partial(message) => Some(message),
            };
            if let Some(message) = problem {
                if offline {
                    warnings.push(message);
                } else {
                    missing.add_provider_key(message);
                }
            }
        }
        if !direct {
            let found = self.helicone();
            match &found {
                None if !offline => missing.add(MISSING_HELICONE_KEY.to_string()),
                None => warnings.push(format!("{HELICONE_KEY_VAR} is not set")),
                Some(k) => check_helicone_key(k, warnings),
            }
            creds.helicone = found;
        }
        creds
    }
}

/// Look a row's keys up, place by place; see [`secrets::lookup_set`].
fn row_keys(env: Env<'_>, config: &Config, keyring: &dyn KeyStore, row: &Provider) -> RowKeys {
    let slots = row.key_slots(row.any_format());
    let pconf = config.provider_config(row.name);
    let wanted: Vec<Wanted<'_>> = slots
        .iter()
        .map(|s| Wanted {
            keyring: s.keyring,
            env: s.env,
            config: pconf.and_then(|c| c.key(s.config)),
            required: s.required,
        })
        .collect();
    let mut profile = ProfileSource {
        env,
        file: row.profile_file(),
        loaded: None,
    };
    let found = secrets::lookup_set(&wanted, env, keyring, &mut |i| {
        profile.key(slots[i].profile)
    });
    match found {
        SetLookup::Found(keys) => RowKeys::Found(
            slots
                .iter()
                .zip(keys)
                .filter_map(|(s, k)| k.map(|k| (s.role, k)))
                .collect(),
        ),
        SetLookup::Missing => RowKeys::Missing(profile.notes()),
        SetLookup::Partial {
            place,
            have,
            missing,
        } => RowKeys::Partial(partial_message(row, &slots, place, &have, &missing)),
    }
}

/// The profile a row's keys may come from, read when first asked.
struct ProfileSource<'a> {
    env: Env<'a>,
    file: Option<&'static ProfileFile>,
    loaded: Option<Loaded>,
}

enum Loaded {
    Values {
        name: String,
        path: String,
        values: HashMap<String, String>,
    },
    /// Nothing to read; a note when the user asked for something that is
    /// not there.
    Nothing(Option<String>),
}

impl ProfileSource<'_> {
    fn key(&mut self, key: Option<&str>) -> Option<FoundKey> {
        let (key, file) = (key?, self.file?);
        let env = self.env;
        match self.loaded.get_or_insert_with(|| load_profile(env, file)) {
            Loaded::Values { name, path, values } => values
                .get(key)
                .filter(|v| !v.trim().is_empty())
                .map(|v| FoundKey {
                    secret: Secret::new(v.trim()),
                    source: KeySource::Profile {
                        name: name.clone(),
                        file: path.clone(),
                    },
                }),
            Loaded::Nothing(_) => None,
        }
    }

    /// Why the profile gave nothing, when there is something to say.
    fn notes(&self) -> Vec<String> {
        let Some(file) = self.file else {
            return Vec::new();
        };
        match &self.loaded {
            Some(Loaded::Nothing(Some(note))) => vec![note.clone()],
            Some(Loaded::Values { name, path, values }) => {
                let via: Vec<&str> = file
                    .indirect
                    .iter()
                    .copied()
                    .filter(|k| values.contains_key(*k))
                    .collect();
                if via.is_empty() {
                    vec![format!("profile {name} in {path} holds no keys")]
                } else {
                    vec![format!(
                        "profile {name} in {path} gets its keys through {}, which hcl does not follow; {}",
                        via.join(" and "),
                        file.indirect_hint.replace("NAME", name)
                    )]
                }
            }
            _ => Vec::new(),
        }
    }
}

fn load_profile(env: Env<'_>, file: &ProfileFile) -> Loaded {
    let named = env_nonempty(env, file.profile_env);
    let name = named
        .clone()
        .unwrap_or_else(|| file.default_profile.to_string());
    let chosen_file = env_nonempty(env, file.file_env);
    let file_was_named = chosen_file.is_some();
    let home = env_nonempty(env, "HOME")
        .map(PathBuf::from)
        .or_else(dirs::home_dir);
    let Some(path) = profiles::path(chosen_file, home, file.home_path) else {
        return Loaded::Nothing(None);
    };
    let shown = path.display().to_string();
    match profiles::read(&path, &name) {
        Ok(Read::Found(values)) => Loaded::Values {
            name,
            path: shown,
            values,
        },
        Ok(Read::NoFile) if file_was_named => Loaded::Nothing(Some(format!(
            "{} names {shown}, which does not exist",
            file.file_env
        ))),
        Ok(Read::NoFile) => Loaded::Nothing(named.map(|_| {
            format!(
                "{} names the profile {name}, but {shown} does not exist",
                file.profile_env
            )
        })),
        Ok(Read::NoProfile(names)) => Loaded::Nothing(Some(format!(
            "{shown} has no profile [{name}] (it has {})",
            if names.is_empty() {
                "none".to_string()
            } else {
                names.join(", ")
            }
        ))),
        Err(e) => Loaded::Nothing(Some(e)),
    }
}

/// Why a set of keys found in one place is not whole, and what to do.
fn partial_message(
    row: &Provider,
    slots: &[Slot],
    place: Place,
    have: &[(usize, FoundKey)],
    missing: &[usize],
) -> String {
    let join = |items: Vec<String>| items.join(" and ");
    let missing_of =
        |f: &dyn Fn(&Slot) -> String| join(missing.iter().map(|i| f(&slots[*i])).collect());
    let detail = match place {
        Place::Env => format!(
            "{} is set but {} is not: set both, or unset {} to use a key from elsewhere",
            join(
                have.iter()
                    .filter_map(|(_, k)| k.source.env_var().map(str::to_string))
                    .collect()
            ),
            missing_of(&|s| s.env.join(" or ")),
            if have.len() == 1 { "it" } else { "them" }
        ),
        Place::Keyring => format!(
            "the OS keyring holds {} but not {}: run {}",
            join(
                have.iter()
                    .map(|(i, _)| slots[*i].keyring.to_string())
                    .collect()
            ),
            missing_of(&|s| s.keyring.to_string()),
            missing_of(&|s| format!("`hcl auth set {}`", s.keyring))
        ),
        Place::Config => format!(
            "the config file sets {} under [providers.{}] but not {}",
            join(
                have.iter()
                    .map(|(i, _)| slots[*i].config.to_string())
                    .collect()
            ),
            row.name,
            missing_of(&|s| s.config.to_string())
        ),
        Place::Profile => format!(
            "{} has {} but not {}",
            have.first()
                .map_or_else(String::new, |(_, k)| k.source.label()),
            join(
                have.iter()
                    .filter_map(|(i, _)| slots[*i].profile.map(str::to_string))
                    .collect()
            ),
            missing_of(&|s| s.profile.unwrap_or_default().to_string())
        ),
    };
    format!("incomplete {} for {}: {detail}", row.keys_about(), row.name)
}

/// Why a request through Helicone needs its key, and how to give one.
pub const MISSING_HELICONE_KEY: &str = "HELICONE_API_KEY is not set; without it Helicone forwards requests without logging or caching them. Set it (or run `hcl auth set helicone`, or api_key under [helicone] in the config file), or use --direct to bypass Helicone";

/// A Helicone key of another shape is silently not authenticated.
fn check_helicone_key(k: &FoundKey, warnings: &mut Vec<String>) {
    if !secrets::looks_like_helicone_key(k.secret.expose()) {
        warnings.push(format!(
            "the Helicone key ({}) does not look like a Helicone key (sk-helicone-…); Helicone silently ignores unknown keys, so nothing would be logged or cached",
            k.source.label()
        ));
    }
}

/// Every way to give a row's keys: "no API key for openai: set
/// OPENAI_API_KEY, run `hcl auth set openai`, or set api_key under
/// [providers.openai] in the config file".
pub fn missing_key_message(p: &Provider) -> String {
    missing_key_message_with(p, &[])
}

fn missing_key_message_with(p: &Provider, notes: &[String]) -> String {
    let slots = p.key_slots(p.any_format());
    let required: Vec<&Slot> = slots.iter().filter(|s| s.required).collect();
    let optional: Vec<String> = slots
        .iter()
        .filter(|s| !s.required)
        .map(|s| {
            format!(
                "{} too, if you have {}",
                s.env.join(" or "),
                p.slot_about(s.role)
            )
        })
        .collect();
    let and = |items: Vec<String>| items.join(" and ");
    let mut set_env = format!(
        "set {}",
        and(required.iter().map(|s| s.env.join(" or ")).collect())
    );
    if !optional.is_empty() {
        set_env.push_str(&format!(" ({})", optional.join("; ")));
    }
    let mut ways = vec![set_env];
    if let Some(file) = p.profile_file() {
        ways.push(format!(
            "name a profile of {} (~/{}, or the file {} names) with {} ([{}] when unset)",
            file.about, file.home_path, file.file_env, file.profile_env, file.default_profile
        ));
    }
    ways.push(format!(
        "run {}",
        and(required
            .iter()
            .map(|s| format!("`hcl auth set {}`", s.keyring))
            .collect())
    ));
    ways.push(format!(
        "or set {} under [providers.{}] in the config file",
        and(required.iter().map(|s| s.config.to_string()).collect()),
        p.name
    ));
    let mut message = format!("no {} for {}: {}", p.keys_about(), p.name, ways.join(", "));
    for note in notes {
        message.push_str("; ");
        message.push_str(note);
    }
    message
}

/// The first key of a row, for `hcl providers` and `hcl config show`.
pub fn provider_key(p: &'static Provider, env: Env<'_>, config: &Config) -> Option<FoundKey> {
    Keys::from_env(env, config).provider(p)
}

/// Every key of a row, for listings.
pub fn row_keys_of(p: &'static Provider, env: Env<'_>, config: &Config) -> RowKeys {
    Keys::from_env(env, config).row(p)
}

/// The value profile of `row`'s shared credentials file holds for `key`
/// (the profile its variable names, else the default one), for listings.
pub fn profile_key(env: Env<'_>, row: &Provider, key: &str) -> Option<FoundKey> {
    let mut source = ProfileSource {
        env,
        file: row.profile_file(),
        loaded: None,
    };
    source.key(Some(key))
}

/// The Helicone key, with the keyring given.
pub fn helicone_key(env: Env<'_>, config: &Config, keyring: &dyn KeyStore) -> Option<FoundKey> {
    secrets::lookup(
        HELICONE_KEY_NAME,
        &[HELICONE_KEY_VAR],
        env,
        keyring,
        config.helicone.api_key.as_deref(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::provider::TEST_SLOTS_ROW;
    use crate::secrets::tests::MapStore;

    fn found(keys: &RowKeys) -> Vec<(&'static str, String, String)> {
        let RowKeys::Found(keys) = keys else {
            panic!("not found: {keys:?}")
        };
        keys.iter()
            .map(|(r, k)| (*r, k.secret.expose().to_string(), k.source.label()))
            .collect()
    }

    fn lookup_with(
        vars: Vec<(&'static str, String)>,
        config: &Config,
        ring: &'static [(&'static str, &'static str)],
    ) -> RowKeys {
        let env = move |k: &str| vars.iter().find(|(n, _)| *n == k).map(|(_, v)| v.clone());
        row_keys(&env, config, &MapStore(ring), &TEST_SLOTS_ROW)
    }

    const CREDENTIALS: &str = "\
[default]
key_id = D-ID
secret = D-SECRET

[dev]
key_id = DEV-ID
secret = DEV-SECRET
token = DEV-TOKEN

[half]
key_id = HALF-ID

[sso]
sso_session = corp
";

    #[test]
    fn slots_come_from_the_environment_else_a_profile() {
        let dir = tempfile::tempdir().unwrap();
        let home = dir.path().display().to_string();
        std::fs::create_dir_all(dir.path().join(".test")).unwrap();
        std::fs::write(dir.path().join(".test/credentials"), CREDENTIALS).unwrap();
        let empty = Config::default();

        // The environment, the session token with it, the second variable
        // of a slot.
        let got = lookup_with(
            vec![
                ("HOME", home.clone()),
                ("TEST_KEY_ID", "E-ID".into()),
                ("TEST_SECRET_OLD", "E-SECRET".into()),
                ("TEST_TOKEN", "E-TOKEN".into()),
                ("TEST_PROFILE", "dev".into()),
            ],
            &empty,
            &[],
        );
        assert_eq!(
            found(&got),
            [
                ("slots-test-id", "E-ID".into(), "env (TEST_KEY_ID)".into()),
                (
                    "slots-test-secret",
                    "E-SECRET".into(),
                    "env (TEST_SECRET_OLD)".into()
                ),
                (
                    "slots-test-token",
                    "E-TOKEN".into(),
                    "env (TEST_TOKEN)".into()
                ),
            ],
            "the environment wins over a named profile"
        );

        // The default profile under HOME; no token there, so none.
        let got = lookup_with(vec![("HOME", home.clone())], &empty, &[]);
        let file = dir.path().join(".test/credentials").display().to_string();
        assert_eq!(
            found(&got),
            [
                (
                    "slots-test-id",
                    "D-ID".into(),
                    format!("profile default ({file})")
                ),
                (
                    "slots-test-secret",
                    "D-SECRET".into(),
                    format!("profile default ({file})")
                ),
            ]
        );

        // A named profile with its session token, from a file named by its
        // variable.
        let elsewhere = dir.path().join("elsewhere");
        std::fs::write(&elsewhere, CREDENTIALS).unwrap();
        let got = lookup_with(
            vec![
                ("TEST_PROFILE", "dev".into()),
                ("TEST_CREDENTIALS_FILE", elsewhere.display().to_string()),
            ],
            &empty,
            &[],
        );
        let got = found(&got);
        assert_eq!(got.len(), 3);
        assert_eq!(got[2].1, "DEV-TOKEN");
        assert!(got[2].2.contains("elsewhere"), "{got:?}");

        // The keyring and the config file come before the profile.
        let config: Config =
            toml::from_str("[providers.slots-test]\nkey_id = \"C-ID\"\nsecret = \"C-SECRET\"\n")
                .unwrap();
        let got = lookup_with(vec![("HOME", home.clone())], &config, &[]);
        assert_eq!(found(&got)[0].2, "config");
        let got = lookup_with(
            vec![("HOME", home.clone())],
            &config,
            &[("slots-test-id", "R-ID"), ("slots-test-secret", "R-SECRET")],
        );
        assert_eq!(found(&got)[1].1, "R-SECRET");
    }

    #[test]
    fn half_a_set_and_nothing_at_all_say_what_to_do() {
        let dir = tempfile::tempdir().unwrap();
        let home = dir.path().display().to_string();
        std::fs::create_dir_all(dir.path().join(".test")).unwrap();
        std::fs::write(dir.path().join(".test/credentials"), CREDENTIALS).unwrap();
        let empty = Config::default();
        let message = |keys: RowKeys| match keys {
            RowKeys::Partial(m) => m,
            RowKeys::Missing(notes) => missing_key_message_with(&TEST_SLOTS_ROW, &notes),
            RowKeys::Found(k) => panic!("found {k:?}"),
        };

        let m = message(lookup_with(
            vec![("HOME", home.clone()), ("TEST_KEY_ID", "E-ID".into())],
            &empty,
            &[],
        ));
        assert!(
            m.contains("TEST_KEY_ID is set but TEST_SECRET or TEST_SECRET_OLD is not"),
            "{m}"
        );
        let m = message(lookup_with(
            vec![("HOME", home.clone()), ("TEST_PROFILE", "half".into())],
            &empty,
            &[],
        ));
        assert!(
            m.contains("profile half") && m.contains("has key_id but not secret"),
            "{m}"
        );
        let m = message(lookup_with(vec![], &empty, &[("slots-test-id", "R")]));
        assert!(m.contains("`hcl auth set slots-test-secret`"), "{m}");

        let m = message(lookup_with(
            vec![("HOME", home.clone()), ("TEST_PROFILE", "sso".into())],
            &empty,
            &[],
        ));
        assert!(
            m.starts_with("no test credentials for slots-test: set TEST_KEY_ID and TEST_SECRET or TEST_SECRET_OLD (TEST_TOKEN too, if you have the test session token), name a profile of the test credentials file (~/.test/credentials, or the file TEST_CREDENTIALS_FILE names) with TEST_PROFILE ([default] when unset)"),
            "{m}"
        );
        assert!(
            m.contains("`hcl auth set slots-test-id` and `hcl auth set slots-test-secret`"),
            "{m}"
        );
        assert!(
            m.contains("key_id and secret under [providers.slots-test]"),
            "{m}"
        );
        assert!(
            m.contains("profile sso in") && m.contains("through sso_session"),
            "{m}"
        );
        let m = message(lookup_with(
            vec![("HOME", home.clone()), ("TEST_PROFILE", "nope".into())],
            &empty,
            &[],
        ));
        assert!(
            m.contains("has no profile [nope] (it has default, dev, half, sso)"),
            "{m}"
        );
        let m = message(lookup_with(
            vec![("TEST_CREDENTIALS_FILE", format!("{home}/absent"))],
            &empty,
            &[],
        ));
        assert!(
            m.contains("TEST_CREDENTIALS_FILE names") && m.contains("does not exist"),
            "{m}"
        );
    }

    #[test]
    fn one_key_rows_read_as_before() {
        let openai = crate::provider::find("openai").unwrap();
        assert_eq!(
            missing_key_message(openai),
            "no API key for openai: set OPENAI_API_KEY, run `hcl auth set openai`, or set api_key under [providers.openai] in the config file"
        );
        let gemini = crate::provider::find("gemini").unwrap();
        assert!(missing_key_message(gemini).contains("set GEMINI_API_KEY or GOOGLE_API_KEY, run"));
    }
}
