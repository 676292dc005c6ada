//! `hcl config path` and `hcl config show`: where the config file is, and the
//! effective settings with the place each came from. Keys appear only as
//! fingerprints.

use serde::Serialize;

use crate::cli::{ConfigCommand, ConfigInitArgs, ConfigShowArgs};
use crate::error::{Error, ExitStatus, Result};
use crate::keystore::{self, KeyStore};
use crate::log;
use crate::output::{self, Printer};
use crate::provider::route::Values;
use crate::provider::{PROVIDERS, Provider};
use crate::settings::{self, Config, Env, RowKeys};
use crate::wire;

pub fn run(cmd: &ConfigCommand, env: Env<'_>, printer: &Printer) -> Result<ExitStatus> {
    match cmd {
        ConfigCommand::Path => path(env, printer),
        ConfigCommand::Show(a) => show(a, env, printer),
        ConfigCommand::Init(a) => init(a, env, printer),
    }
}

/// `hcl config init`: a commented config file for the keys and providers
/// found (0600); an existing file stays unless `--force`.
fn init(args: &ConfigInitArgs, env: Env<'_>, printer: &Printer) -> Result<ExitStatus> {
    let path = settings::config_path(env).ok_or_else(no_config_dir)?;
    if path.exists() && !args.force {
        return Err(Error::usage(format!(
            "{} already exists; `hcl config show` shows what it sets, and `hcl config init --force` replaces it",
            path.display()
        )));
    }
    let empty = Config::default();
    let mut keys = settings::Keys::from_env(env, &empty);
    let helicone = keys.helicone();
    let found: Vec<(&'static Provider, String)> = PROVIDERS
        .iter()
        .filter(|p| p.uses_provider_key())
        .filter_map(|p| keys.provider(p).map(|k| (p, k.source.label())))
        .collect();
    let text = init_text(env, helicone.map(|k| k.source.label()), &found);
    crate::files::replace_private(&path, text.as_bytes())
        .map_err(|e| Error::io(format!("cannot write {}", path.display()), e))?;
    printer.line(&path.display().to_string())?;
    printer.note(&format!(
        "wrote a config file for {} provider{} with a key; edit it, and check it with hcl config show",
        found.len(),
        if found.len() == 1 { "" } else { "s" }
    ));
    Ok(ExitStatus::Success)
}

/// The text of a new config file: every setting commented, the providers
/// found given a section, no key copied.
fn init_text(
    env: Env<'_>,
    helicone: Option<String>,
    found: &[(&'static Provider, String)],
) -> String {
    let mut t = String::from(
        "# hcl's config file, written by `hcl config init`. `hcl config show` prints the\n\
         # effective settings and where each comes from; `hcl providers` lists every provider.\n\
         #\n\
         # Keys are not copied here: hcl reads each from its environment variable or the OS\n\
         # keyring (`hcl auth set NAME`). Found when this file was written:\n",
    );
    match &helicone {
        Some(source) => t.push_str(&format!("#   helicone: {source}\n")),
        None => t.push_str(&format!(
            "#   helicone: not set; set {} (hcl sends nothing through Helicone without it)\n",
            settings::HELICONE_KEY_VAR
        )),
    }
    for (p, source) in found {
        t.push_str(&format!("#   {}: {source}\n", p.name));
    }
    let first = found.first().map(|(p, _)| *p);
    t.push_str("\n# The provider used when neither -P nor the model's name picks one.\n");
    match first.filter(|p| p.name != crate::provider::DEFAULT) {
        Some(p) => t.push_str(&format!("provider = \"{}\"\n", p.name)),
        None => t.push_str(&format!("# provider = \"{}\"\n", crate::provider::DEFAULT)),
    }
    t.push_str(
        "# Its model, when -m is not given.\n# model = \"…\"\n\n\
         # hcl chat streams its answers as they arrive (--no-stream for one that does not).\n\
         # stream = true\n\n\
         # Helicone's cache on by default, and for how long (seconds).\n\
         # cache = true\n# cache_ttl = 86400\n\n\
         # Default Helicone-User-Id.\n# user = \"alice\"\n\n\
         # Properties sent with every request (Helicone-Property-NAME); -p overrides them.\n\
         [properties]\n# team = \"search\"\n\n\
         # Model aliases: -m NAME works wherever a model does, batch lines included.\n\
         # A target is a model, or PROVIDER:MODEL.\n[aliases]\n",
    );
    if let Some(p) = first
        && let Some(m) = p.models.curated.first().copied().or(p.default_model)
    {
        t.push_str(&format!("# fast = \"{}:{m}\"\n", p.name));
    }
    for (p, _) in found {
        t.push_str(&format!("\n[providers.{}]\n", p.name));
        if let Some(m) = p.default_model {
            t.push_str(&format!("# model = \"{m}\"\n"));
        }
        t.push_str(&format!(
            "# base_url = \"{}\"   # or {}\n",
            p.helicone_base,
            p.base_url_var()
        ));
        for param in p.params {
            let now = settings::param_value(param, None, env, None)
                .map(|(v, _)| format!(" (now: {v})"))
                .unwrap_or_default();
            t.push_str(&format!(
                "# {} = \"…\"   # {}; or {}{now}\n",
                param.name,
                param.about,
                param.how_to_give(p.name)
            ));
        }
    }
    t
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

fn from_config<T: ToString>(v: Option<T>) -> (Option<String>, &'static str) {
    match v {
        Some(v) => (Some(v.to_string()), "config"),
        None => (None, "unset"),
    }
}

fn show(args: &ConfigShowArgs, env: Env<'_>, printer: &Printer) -> Result<ExitStatus> {
    let config = super::load_config(env, printer)?;
    let keyring = keystore::for_env(env);
    let mut rows = file_rows(env)?;
    let default_provider = request_rows(&config, &mut rows);
    helicone_rows(env, &config, keyring, &mut rows);
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
    let mut table = output::Table::new(vec![
        output::Col::keep("setting"),
        output::Col::text("value", 0, 12),
        output::Col::text("source", 1, 8),
    ]);
    for r in &rows {
        table.row(vec![
            r.setting.clone(),
            r.value.clone().unwrap_or_else(|| "—".to_string()),
            r.source.clone(),
        ]);
    }
    printer.table(&table, output::TableFormat::Table)?;
    if config.holds_keys() {
        printer.note(
            "the config file holds API keys; the environment or the OS keyring (`hcl auth set NAME`) is safer",
        );
    }
    Ok(ExitStatus::Success)
}

/// The config file and the log file.
fn file_rows(env: Env<'_>) -> Result<Vec<Row>> {
    let path = settings::config_path(env).ok_or_else(no_config_dir)?;
    let from_env = |var: &str| {
        if env(var).is_some_and(|v| !v.is_empty()) {
            format!("env ({var})")
        } else {
            "default".to_string()
        }
    };
    let mut shown = path.display().to_string();
    if !path.exists() {
        shown.push_str(" (absent)");
    }
    Ok(vec![
        row("config_file", Some(shown), from_env("HCL_CONFIG")),
        row(
            "log_file",
            Some(log::default_path(env)?.display().to_string()),
            from_env("HCL_LOG"),
        ),
    ])
}

/// The request defaults; returns the default provider.
fn request_rows(config: &Config, rows: &mut Vec<Row>) -> String {
    let default_provider = config
        .provider
        .clone()
        .unwrap_or_else(|| crate::provider::DEFAULT.into());
    let given = |set: bool| if set { "config" } else { "default" };
    rows.push(row(
        "provider",
        Some(default_provider.clone()),
        given(config.provider.is_some()),
    ));
    let (v, s) = from_config(config.model.as_ref());
    rows.push(row("model", v, s));
    let (v, s) = from_config(config.user.as_ref());
    rows.push(row("user", v, s));
    rows.push(row(
        "cache",
        Some(config.cache.unwrap_or(false).to_string()),
        given(config.cache.is_some()),
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
    rows.push(row(
        "stream",
        Some(config.stream.unwrap_or(false).to_string()),
        given(config.stream.is_some()),
    ));
    generation_rows("", &config.generation(), rows);
    default_provider
}

/// The generation defaults of the file's top level or of one provider
/// (`prefix` "providers.NAME."): each set one, as the file has it.
fn generation_rows(prefix: &str, g: &settings::Generation<'_>, rows: &mut Vec<Row>) {
    let mut put = |key: &str, v: Option<String>| {
        if prefix.is_empty() || v.is_some() {
            let (v, s) = from_config(v);
            rows.push(row(format!("{prefix}{key}"), v, s));
        }
    };
    put("system", g.system.map(str::to_string));
    put("max_tokens", g.max_tokens.map(|v| v.to_string()));
    put("temperature", g.temperature.map(|v| v.to_string()));
    put("top_p", g.top_p.map(|v| v.to_string()));
    put("seed", g.seed.map(|v| v.to_string()));
    put(
        "stop",
        (!g.stop.is_empty()).then(|| serde_json::to_string(g.stop).unwrap_or_default()),
    );
    put("reasoning", g.reasoning.map(|e| e.name().to_string()));
    for (path, v) in g.options.map(wire::option_leaves).unwrap_or_default() {
        rows.push(row(
            format!("{prefix}options.{}", wire::dotted_path(&path)),
            Some(v.to_string()),
            "config",
        ));
    }
}

/// The Helicone key and REST API base.
fn helicone_rows(env: Env<'_>, config: &Config, keyring: &dyn KeyStore, rows: &mut Vec<Row>) {
    let helicone_key = settings::helicone_key(env, config, keyring);
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
}

fn key_row(setting: &str, key: Option<&crate::secrets::FoundKey>) -> Row {
    match key {
        Some(k) => row(setting, Some(k.secret.fingerprint()), k.source.label()),
        None => row(setting, None, "unset"),
    }
}

fn provider_rows(
    p: &'static Provider,
    is_default: bool,
    env: Env<'_>,
    config: &Config,
    rows: &mut Vec<Row>,
) {
    let pconf = config.provider_config(p.name);
    let base_from_env = env(&p.base_url_var()).is_some_and(|v| !v.trim().is_empty());
    let keys = settings::row_keys_of(p, env, config);
    let key_found = p.uses_provider_key() && keys.first().is_some();
    if !(is_default || pconf.is_some() || base_from_env || key_found) {
        return;
    }
    let prefix = format!("providers.{}", p.name);
    let mut values = Values::default();
    let mut params = Vec::new();
    for param in p.params {
        let found = settings::param_value(param, None, env, pconf);
        if let Some((v, _)) = &found {
            values.set(param.name, v.clone());
        }
        params.push(match found {
            Some((v, source)) => row(format!("{prefix}.{}", param.name), Some(v), source.label()),
            None => row(format!("{prefix}.{}", param.name), None, "unset"),
        });
    }
    let (base, source) = settings::base_url(p, None, env, config, &values);
    rows.push(row(
        format!("{prefix}.base_url"),
        Some(base),
        source.label(),
    ));
    let (v, s) = match pconf.and_then(|c| c.model.clone()) {
        Some(m) => (Some(m), "config"),
        None => match p.default_model {
            Some(m) => (Some(m.to_string()), "default"),
            None => (None, "unset"),
        },
    };
    rows.push(row(format!("{prefix}.model"), v, s));
    for slot in p.key_slots(p.any_format()) {
        let found = match &keys {
            RowKeys::Found(found) => found.iter().find(|(r, _)| *r == slot.role).map(|(_, k)| k),
            RowKeys::Missing(_) | RowKeys::Partial(_) => None,
        };
        rows.push(key_row(&format!("{prefix}.{}", slot.config), found));
    }
    rows.extend(params);
    if let Some(c) = pconf {
        if let Some(stream) = c.stream {
            rows.push(row(
                format!("{prefix}.stream"),
                Some(stream.to_string()),
                "config",
            ));
        }
        generation_rows(&format!("{prefix}."), &c.generation(), rows);
    }
}
