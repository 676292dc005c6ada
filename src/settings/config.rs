//! The config file (`HCL_CONFIG`, else `<config dir>/hcl/config.toml`):
//! defaults for requests, the Helicone key and REST base, and per-provider
//! base URLs, models, keys and route parameters.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::provider;
use crate::wire::Effort;

use super::Env;

/// The config file (`HCL_CONFIG`, TOML).
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// Default provider.
    pub provider: Option<String>,
    /// Default model for the default provider.
    pub model: Option<String>,
    /// Default `Helicone-User-Id`.
    pub user: Option<String>,
    /// Enable Helicone's cache by default.
    pub cache: Option<bool>,
    pub cache_ttl: Option<u64>,
    pub cache_bucket: Option<u32>,
    /// Default `Helicone-Cache-Seed`.
    pub cache_seed: Option<String>,
    /// Model aliases: `fast = "groq:llama-3.1-8b-instant"`. An alias works
    /// wherever a model does; its target is a model, or `PROVIDER:MODEL`.
    #[serde(default)]
    pub aliases: BTreeMap<String, String>,
    /// Properties sent with every request (flags override them).
    #[serde(default)]
    pub properties: BTreeMap<String, String>,
    /// Whether `hcl chat` streams its answer (`--no-stream` overrides).
    pub stream: Option<bool>,
    /// Generation defaults for every provider; `[providers.NAME]` and the
    /// flags override them.
    pub system: Option<String>,
    pub max_tokens: Option<u32>,
    pub temperature: Option<f64>,
    pub top_p: Option<f64>,
    pub seed: Option<i64>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub stop: Vec<String>,
    pub reasoning: Option<Effort>,
    /// Body fields, as `-o` sets them: a table, nested along dotted paths.
    #[serde(default, skip_serializing_if = "serde_json::Map::is_empty")]
    pub options: serde_json::Map<String, serde_json::Value>,
    #[serde(default)]
    pub helicone: HeliconeConfig,
    #[serde(default)]
    pub providers: BTreeMap<String, ProviderConfig>,
}

#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct HeliconeConfig {
    /// Allowed but discouraged: prefer HELICONE_API_KEY or the keyring.
    pub api_key: Option<String>,
    /// The REST API base for `hcl auth check` (self-hosted Helicone);
    /// `HCL_HELICONE_API_BASE` overrides it.
    pub api_base: Option<String>,
    /// The custom-logging base of `hcl log push` (Helicone's worker);
    /// `HCL_HELICONE_LOG_BASE` overrides it.
    pub log_base: Option<String>,
}

/// Generation defaults, at the top of the config file and under
/// `[providers.NAME]`: what the request flags of the same names set.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Generation<'a> {
    pub system: Option<&'a str>,
    pub max_tokens: Option<u32>,
    pub temperature: Option<f64>,
    pub top_p: Option<f64>,
    pub seed: Option<i64>,
    pub stop: &'a [String],
    pub reasoning: Option<Effort>,
    /// Body fields, as `-o` sets them: a table, nested along dotted paths.
    pub options: Option<&'a serde_json::Map<String, serde_json::Value>>,
}

impl Generation<'_> {
    /// The keys it takes, for messages.
    pub const KEYS: [&'static str; 8] = [
        "system",
        "max_tokens",
        "temperature",
        "top_p",
        "seed",
        "stop",
        "reasoning",
        "options",
    ];
}

/// `[providers.NAME]`: a row's base URL, model, key, route parameters,
/// generation defaults and whether `hcl chat` streams.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
pub struct ProviderConfig {
    pub base_url: Option<String>,
    pub model: Option<String>,
    pub api_key: Option<String>,
    pub stream: Option<bool>,
    pub system: Option<String>,
    pub max_tokens: Option<u32>,
    pub temperature: Option<f64>,
    pub top_p: Option<f64>,
    pub seed: Option<i64>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub stop: Vec<String>,
    pub reasoning: Option<Effort>,
    #[serde(default, skip_serializing_if = "serde_json::Map::is_empty")]
    pub options: serde_json::Map<String, serde_json::Value>,
    /// The row's route parameters by name (Azure's `endpoint`, Vertex's
    /// `location`, …): the provider table says which a row takes, and
    /// loading the file refuses any other key.
    #[serde(flatten)]
    pub params: BTreeMap<String, toml::Value>,
}

impl ProviderConfig {
    /// A route parameter's value, as the file gives it.
    pub fn param(&self, name: &str) -> Option<&str> {
        self.params.get(name).and_then(toml::Value::as_str)
    }
}

impl ProviderConfig {
    /// Its generation defaults.
    pub fn generation(&self) -> Generation<'_> {
        Generation {
            system: self.system.as_deref(),
            max_tokens: self.max_tokens,
            temperature: self.temperature,
            top_p: self.top_p,
            seed: self.seed,
            stop: &self.stop,
            reasoning: self.reasoning,
            options: Some(&self.options),
        }
    }
}

impl Config {
    pub fn provider_config(&self, name: &str) -> Option<&ProviderConfig> {
        self.providers.get(name)
    }

    /// The generation defaults at the top of the file.
    pub fn generation(&self) -> Generation<'_> {
        Generation {
            system: self.system.as_deref(),
            max_tokens: self.max_tokens,
            temperature: self.temperature,
            top_p: self.top_p,
            seed: self.seed,
            stop: &self.stop,
            reasoning: self.reasoning,
            options: Some(&self.options),
        }
    }

    /// Whether `hcl chat` streams to `provider` by default.
    pub fn streams(&self, provider: &str) -> bool {
        self.provider_config(provider)
            .and_then(|p| p.stream)
            .or(self.stream)
            .unwrap_or(false)
    }

    pub fn holds_keys(&self) -> bool {
        self.helicone.api_key.is_some()
            || self.providers.iter().any(|(name, pc)| {
                pc.api_key.is_some()
                    || provider::find(name)
                        .is_some_and(|row| pc.params.keys().any(|k| row.is_key_config(k)))
            })
    }
}

impl ProviderConfig {
    /// The value of one of the row's keys: `api_key`, or the config key a
    /// key slot names.
    pub fn key(&self, config_key: &str) -> Option<&str> {
        if config_key == provider::API_KEY_CONFIG {
            self.api_key.as_deref()
        } else {
            self.param(config_key)
        }
    }
}

/// `HCL_CONFIG`, else `<config dir>/hcl/config.toml`.
pub fn config_path(env: Env<'_>) -> Option<PathBuf> {
    env("HCL_CONFIG")
        .filter(|p| !p.is_empty())
        .map(PathBuf::from)
        .or_else(|| dirs::config_dir().map(|d| d.join("hcl").join("config.toml")))
}

/// Load the config file. A missing file is an empty config; a malformed one
/// is an error naming the line and column.
pub fn load_config(env: Env<'_>) -> Result<(Config, Vec<String>)> {
    let Some(path) = config_path(env) else {
        return Ok((Config::default(), Vec::new()));
    };
    load_config_from(&path)
}

pub fn load_config_from(path: &Path) -> Result<(Config, Vec<String>)> {
    let text = match std::fs::read_to_string(path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return Ok((Config::default(), Vec::new()));
        }
        Err(e) => {
            return Err(Error::usage(format!(
                "cannot read the config file {}: {e}",
                path.display()
            )));
        }
    };
    let config = parse_config(&text, path)?;
    let mut warnings = Vec::new();
    #[cfg(unix)]
    if config.holds_keys() {
        use std::os::unix::fs::PermissionsExt;
        if let Ok(meta) = std::fs::metadata(path)
            && meta.permissions().mode() & 0o077 != 0
        {
            warnings.push(format!(
                    "the config file {} holds API keys and can be read by other users; run: chmod 600 {}",
                    path.display(),
                    path.display()
                ));
        }
    }
    Ok((config, warnings))
}

/// Read the text of the config file at `path` (named in errors): TOML of
/// the right shape, every `[providers.NAME]` a row with only the keys it
/// takes, every alias sound.
pub fn parse_config(text: &str, path: &Path) -> Result<Config> {
    let config: Config = toml::from_str(text)
        .map_err(|e| malformed(&format!("the config file {}", path.display()), text, &e))?;
    check_providers(&config)
        .and_then(|()| check_aliases(&config))
        .map_err(|e| Error::usage(format!("the config file {} {e}", path.display())))?;
    Ok(config)
}

/// A TOML file that does not parse, naming the line and column.
pub(super) fn malformed(what: &str, text: &str, e: &toml::de::Error) -> Error {
    let at = e
        .span()
        .map(|span| {
            let before = &text[..span.start.min(text.len())];
            let line = before.matches('\n').count() + 1;
            let col = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
            format!(" at line {line}, column {col}")
        })
        .unwrap_or_default();
    Error::usage(format!("{what} is malformed{at}: {}", e.message()))
}

/// Every `[providers.NAME]` names a row, and holds only the keys that row
/// takes.
fn check_providers(config: &Config) -> std::result::Result<(), String> {
    for (name, pc) in &config.providers {
        let Some(row) = provider::find(name) else {
            return Err(format!(
                "has [providers.{name}], but there is no such provider; known: {}",
                provider::names().join(", ")
            ));
        };
        if let Some((key, _)) = pc
            .params
            .iter()
            .find(|(k, v)| (row.param(k).is_some() || row.is_key_config(k)) && v.as_str().is_none())
        {
            return Err(format!(
                "has {key} under [providers.{name}] that is not a string; write it in quotes"
            ));
        }
        let stray_api_key = (pc.api_key.is_some()
            && row.uses_provider_key()
            && !row.is_key_config(provider::API_KEY_CONFIG))
        .then_some(provider::API_KEY_CONFIG);
        if let Some(key) = stray_api_key.or_else(|| {
            pc.params
                .keys()
                .map(String::as_str)
                .find(|k| row.param(k).is_none() && !row.is_key_config(k))
        }) {
            let slots = row.key_slots(row.any_format());
            let takes: Vec<&str> = ["base_url", "model"]
                .into_iter()
                .chain(slots.iter().map(|s| s.config))
                .chain(["stream"])
                .chain(Generation::KEYS)
                .chain(row.params.iter().map(|p| p.name))
                .collect();
            return Err(format!(
                "has an unknown key '{key}' under [providers.{name}]; it takes {}",
                takes.join(", ")
            ));
        }
    }
    Ok(())
}

/// Alias names are plain words that are not provider names; a target is not
/// empty and is not itself an alias (aliases resolve one level).
fn check_aliases(config: &Config) -> std::result::Result<(), String> {
    for (name, target) in &config.aliases {
        if name.is_empty()
            || !name
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'))
        {
            return Err(format!(
                "has an alias '{name}' under [aliases]; an alias name is letters, digits, '-', '_' and '.'"
            ));
        }
        if provider::family::find_named(name).is_some() {
            return Err(format!(
                "has an alias '{name}' under [aliases], but that is a provider's name; choose another"
            ));
        }
        let target = target.trim();
        if target.is_empty() {
            return Err(format!(
                "has an empty target for the alias '{name}' under [aliases]"
            ));
        }
        if config.aliases.contains_key(target) {
            return Err(format!(
                "has the alias '{name}' pointing at the alias '{target}' under [aliases]; aliases resolve one level: give '{name}' the model itself"
            ));
        }
    }
    Ok(())
}
