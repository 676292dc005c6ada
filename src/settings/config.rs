//! The config file (`HCL_CONFIG`, else `<config dir>/hcl/config.toml`):
//! defaults for requests, the Helicone key and REST base, and per-provider
//! base URLs, models, keys and route parameters.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::provider;

use super::Env;

/// The config file (`HCL_CONFIG`, TOML).
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
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
    /// Properties sent with every request (flags override them).
    #[serde(default)]
    pub properties: BTreeMap<String, String>,
    #[serde(default)]
    pub helicone: HeliconeConfig,
    #[serde(default)]
    pub providers: BTreeMap<String, ProviderConfig>,
}

#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct HeliconeConfig {
    /// Allowed but discouraged: prefer HELICONE_API_KEY or the keyring.
    pub api_key: Option<String>,
    /// The REST API base for `hcl auth check` (self-hosted Helicone);
    /// `HCL_HELICONE_API_BASE` overrides it.
    pub api_base: Option<String>,
}

/// `[providers.NAME]`: a row's base URL, model, key and route parameters.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
pub struct ProviderConfig {
    pub base_url: Option<String>,
    pub model: Option<String>,
    pub api_key: Option<String>,
    /// The row's route parameters by name (Azure's `endpoint`, Vertex's
    /// `location`, …): the provider table says which a row takes, and
    /// loading the file refuses any other key.
    #[serde(flatten)]
    pub params: BTreeMap<String, String>,
}

impl Config {
    pub fn provider_config(&self, name: &str) -> Option<&ProviderConfig> {
        self.providers.get(name)
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
            self.params.get(config_key).map(String::as_str)
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
    let config: Config = toml::from_str(&text).map_err(|e| {
        let at = e
            .span()
            .map(|span| {
                let before = &text[..span.start.min(text.len())];
                let line = before.matches('\n').count() + 1;
                let col = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
                format!(" at line {line}, column {col}")
            })
            .unwrap_or_default();
        Error::usage(format!(
            "the config file {} is malformed{at}: {}",
            path.display(),
            e.message()
        ))
    })?;
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
    check_providers(&config)
        .map_err(|e| Error::usage(format!("the config file {} {e}", path.display())))?;
    Ok((config, warnings))
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
