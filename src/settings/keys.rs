//! Resolve step for keys: the provider key and the Helicone key, each from
//! the environment, then the OS keyring, then the config file. Lookups are
//! remembered, so a batch or a replay asks the keyring once per row.

use std::collections::HashMap;

use crate::keystore::{self, KeyStore};
use crate::provider::Provider;
use crate::request::Credentials;
use crate::secrets::{self, FoundKey};

use super::missing::Missing;
use super::{Config, Env};

pub use crate::secrets::{HELICONE_KEY_NAME, HELICONE_KEY_VAR};

/// Key lookups for one run, each made at most once.
pub struct Keys<'a> {
    env: Env<'a>,
    config: &'a Config,
    keyring: &'a dyn KeyStore,
    helicone: Option<Option<FoundKey>>,
    provider: HashMap<&'static str, Option<FoundKey>>,
}

impl<'a> Keys<'a> {
    pub fn new(env: Env<'a>, config: &'a Config, keyring: &'a dyn KeyStore) -> Self {
        Keys {
            env,
            config,
            keyring,
            helicone: None,
            provider: HashMap::new(),
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

    /// Where the key of `row` was found, for messages.
    pub fn source_of(&mut self, row: &'static Provider) -> Option<String> {
        self.provider(row).map(|k| k.source.label())
    }

    /// The key a row's requests carry: its own, or for a row whose bearer
    /// is the Helicone key, that one.
    pub fn provider(&mut self, row: &'static Provider) -> Option<FoundKey> {
        if !row.uses_provider_key() {
            return self.helicone();
        }
        let (env, config, keyring) = (self.env, self.config, self.keyring);
        self.provider
            .entry(row.name)
            .or_insert_with(|| {
                secrets::lookup(
                    row.name,
                    row.key_env,
                    env,
                    keyring,
                    config
                        .provider_config(row.name)
                        .and_then(|c| c.api_key.as_deref()),
                )
            })
            .clone()
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
        let provider = if row.uses_provider_key() {
            let found = self.provider(row);
            if found.is_none() {
                if offline {
                    warnings.push(missing_key_message(row));
                } else {
                    missing.add_provider_key(missing_key_message(row));
                }
            }
            found
        } else {
            None
        };
        let helicone = if direct {
            None
        } else {
            let found = self.helicone();
            match &found {
                None if !offline => missing.add(MISSING_HELICONE_KEY.to_string()),
                None => warnings.push(format!("{HELICONE_KEY_VAR} is not set")),
                Some(k) => check_helicone_key(k, warnings),
            }
            found
        };
        Credentials { helicone, provider }
    }
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

pub fn missing_key_message(p: &Provider) -> String {
    let vars = p.key_env.join(" or ");
    format!(
        "no API key for {}: set {vars}, run `hcl auth set {}`, or set api_key under [providers.{}] in the config file",
        p.name, p.name, p.name
    )
}

/// The provider key's source, for `hcl providers` and `hcl config show`.
pub fn provider_key(p: &'static Provider, env: Env<'_>, config: &Config) -> Option<FoundKey> {
    Keys::from_env(env, config).provider(p)
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
