//! `hcl config path` and `hcl config show`: where the config file is, and the
//! effective settings with the place each came from. Keys appear only as
//! fingerprints.

use serde::Serialize;

use crate::cli::{ConfigCommand, ConfigShowArgs};
use crate::error::{Error, ExitStatus, Result};
use crate::keystore;
use crate::log;
use crate::output::{self, Printer};
use crate::provider::{PROVIDERS, Provider, Routing};
use crate::settings::{self, Config, DEFAULT_AZURE_API_VERSION, Env};

pub fn run(cmd: &ConfigCommand, env: Env<'_>, printer: &Printer) -> Result<ExitStatus> {
    match cmd {
        ConfigCommand::Path => path(env, printer),
        ConfigCommand::Show(a) => show(a, env, printer),
    }
}

fn path(env: Env<'_>, printer: &Printer) -> Result<ExitStatus> {
    let path = settings::config_path(env).ok_or_else(no_config_dir)?;
    printer.line(&path.display().to_string())?;
    if !path.exists() {
        printer.note("there is no file there yet; hcl runs on its defaults");
    }
    Ok(ExitStatus::Success)
}

fn no_config_dir() -> Error {
    Error::usage(
        "cannot tell where the config file goes: no config directory is known; set HCL_CONFIG",
    )
}

/// One effective setting.
#[derive(Serialize)]
struct Row {
    setting: String,
    value: Option<String>,
    /// Where the value came from: `config`, `default`, `env (NAME)`,
    /// `keyring`, or `unset`.
    source: String,
}

fn row(setting: impl Into<String>, value: Option<String>, source: impl Into<String>) -> Row {
    Row {
        setting: setting.into(),
        value,
        source: source.into(),
    }
}

/// A value from the environment, else the config file, else a default.
fn layered(
    env: Env<'_>,
    var: &str,
    config: Option<&String>,
    default: Option<&str>,
) -> (Option<String>, String) {
    if let Some(v) = env(var).filter(|v| !v.trim().is_empty()) {
        return (Some(v), format!("env ({var})"));
    }
    if let Some(v) = config {
        return (Some(v.clone()), "config".to_string());
    }
    match default {
        Some(d) => (Some(d.to_string()), "default".to_string()),
        None => (None, "unset".to_string()),
    }
}

fn from_config<T: ToString>(v: Option<T>) -> (Option<String>, &'static str) {
    match v {
        Some(v) => (Some(v.to_string()), "config"),
        None => (None, "unset"),
    }
}

fn show(args: &ConfigShowArgs, env: Env<'_>, printer: &Printer) -> Result<ExitStatus> {
    let path = settings::config_path(env).ok_or_else(no_config_dir)?;
    let config = super::load_config(env, printer)?;
    let mut rows = Vec::new();
    let path_source = if env("HCL_CONFIG").is_some_and(|v| !v.is_empty()) {
        "env (HCL_CONFIG)"
    } else {
        "default"
    };
    let mut shown = path.display().to_string();
    if !path.exists() {
        shown.push_str(" (absent)");
    }
    rows.push(row("config_file", Some(shown), path_source));
    let log_source = if env("HCL_LOG").is_some_and(|v| !v.is_empty()) {
        "env (HCL_LOG)"
    } else {
        "default"
    };
    rows.push(row(
        "log_file",
        Some(log::default_path(env)?.display().to_string()),
        log_source,
    ));
    let keyring = keystore::for_env(env);

    // Request defaults.
    let default_provider = config.provider.clone().unwrap_or_else(|| "openai".into());
    rows.push(row(
        "provider",
        Some(default_provider.clone()),
        if config.provider.is_some() {
            "config"
        } else {
            "default"
        },
    ));
    let (v, s) = from_config(config.model.as_ref());
    rows.push(row("model", v, s));
    let (v, s) = from_config(config.user.as_ref());
    rows.push(row("user", v, s));
    rows.push(row(
        "cache",
        Some(config.cache.unwrap_or(false).to_string()),
        if config.cache.is_some() {
            "config"
        } else {
            "default"
        },
    ));
    let (v, s) = from_config(config.cache_ttl);
    rows.push(row("cache_ttl", v, s));
    let (v, s) = from_config(config.cache_bucket);
    rows.push(row("cache_bucket", v, s));
    let (v, s) = from_config(config.cache_seed.as_ref());
    rows.push(row("cache_seed", v, s));
    for (k, v) in &config.properties {
        rows.push(row(format!("properties.{k}"), Some(v.clone()), "config"));
    }

    // Helicone.
    let helicone_key = settings::helicone_key(env, &config, keyring);
    rows.push(key_row("helicone.api_key", helicone_key.as_ref()));
    let api_base = match (
        env("HCL_HELICONE_API_BASE").filter(|v| !v.trim().is_empty()),
        &config.helicone.api_base,
    ) {
        (Some(v), _) => (v, "env (HCL_HELICONE_API_BASE)".to_string()),
        (None, Some(v)) => (v.clone(), "config".to_string()),
        (None, None) => (
            crate::helicone::rest_api_for_key(
                helicone_key.as_ref().map_or("", |k| k.secret.expose()),
            )
            .to_string(),
            "default".to_string(),
        ),
    };
    rows.push(row(
        "helicone.api_base",
        Some(crate::request::redact_url(&api_base.0)),
        api_base.1,
    ));

    // Providers: the default one, and every one that differs from the table.
    for p in PROVIDERS {
        provider_rows(p, p.name == default_provider, env, &config, &mut rows);
    }

    rows.push(row(
        "keyring",
        Some(match keyring.unavailable() {
            None => "on".to_string(),
            Some(reason) => format!("off: {reason}"),
        }),
        if env("HCL_NO_KEYRING").is_some_and(|v| !v.is_empty()) {
            "env (HCL_NO_KEYRING)"
        } else {
            "default"
        },
    ));

    if args.json {
        printer.json(&rows)?;
        return Ok(ExitStatus::Success);
    }
    let mut table = output::new_table(&["setting", "value", "source"]);
    for r in &rows {
        table.add_row(vec![
            r.setting.clone(),
            r.value.clone().unwrap_or_else(|| "—".to_string()),
            r.source.clone(),
        ]);
    }
    printer.table(&table)?;
    if config.holds_keys() {
        printer.note(
            "the config file holds API keys; the environment or the OS keyring (`hcl auth set NAME`) is safer",
        );
    }
    Ok(ExitStatus::Success)
}

fn key_row(setting: &str, key: Option<&crate::secrets::FoundKey>) -> Row {
    match key {
        Some(k) => row(setting, Some(k.secret.fingerprint()), k.source.label()),
        None => row(setting, None, "unset"),
    }
}

fn provider_rows(
    p: &Provider,
    is_default: bool,
    env: Env<'_>,
    config: &Config,
    rows: &mut Vec<Row>,
) {
    let pconf = config.provider_config(p.name);
    let base_var = format!("HCL_BASE_URL_{}", p.env_suffix());
    let base_from_env = env(&base_var).is_some_and(|v| !v.trim().is_empty());
    let key = p
        .uses_provider_key()
        .then(|| settings::provider_key(p, env, config))
        .flatten();
    if !(is_default || pconf.is_some() || base_from_env || key.is_some()) {
        return;
    }
    let prefix = format!("providers.{}", p.name);
    let (v, s) = layered(
        env,
        &base_var,
        pconf.and_then(|c| c.base_url.as_ref()),
        Some(p.helicone_base),
    );
    let v = v.map(|url| crate::request::redact_url(&url));
    rows.push(row(format!("{prefix}.base_url"), v, s));
    let (v, s) = match pconf.and_then(|c| c.model.clone()) {
        Some(m) => (Some(m), "config"),
        None => match p.default_model {
            Some(m) => (Some(m.to_string()), "default"),
            None => (None, "unset"),
        },
    };
    rows.push(row(format!("{prefix}.model"), v, s));
    if p.uses_provider_key() {
        rows.push(key_row(&format!("{prefix}.api_key"), key.as_ref()));
    }
    match p.routing {
        Routing::AzureApiBase => {
            let (v, s) = layered(
                env,
                "AZURE_OPENAI_ENDPOINT",
                pconf.and_then(|c| c.endpoint.as_ref()),
                None,
            );
            rows.push(row(format!("{prefix}.endpoint"), v, s));
            let (v, s) = layered(
                env,
                "AZURE_OPENAI_API_VERSION",
                pconf.and_then(|c| c.api_version.as_ref()),
                Some(DEFAULT_AZURE_API_VERSION),
            );
            rows.push(row(format!("{prefix}.api_version"), v, s));
        }
        Routing::VertexTarget => {
            let (v, s) = layered(
                env,
                "VERTEX_PROJECT",
                pconf.and_then(|c| c.project.as_ref()),
                None,
            );
            rows.push(row(format!("{prefix}.project"), v, s));
            let (v, s) = layered(
                env,
                "VERTEX_LOCATION",
                pconf.and_then(|c| c.location.as_ref()),
                None,
            );
            rows.push(row(format!("{prefix}.location"), v, s));
        }
        Routing::TargetUrlFlag => {
            let (v, s) = from_config(pconf.and_then(|c| c.target_url.as_ref()));
            rows.push(row(format!("{prefix}.target_url"), v, s));
            let (v, s) = from_config(pconf.and_then(|c| c.format.as_ref()));
            rows.push(row(format!("{prefix}.format"), v, s));
        }
        Routing::Host | Routing::TargetUrl(_) => {}
    }
}
