//! `hcl auth`: keys in the OS keyring (`set`, `delete`), where each key was
//! found (`status`), and a check of the Helicone key against Helicone's REST
//! API (`check`), because the proxies accept a wrong key silently (docs/helicone.md §3.5).

use std::io::{IsTerminal, Read};
use std::time::Duration;

use serde::{Deserialize, Serialize};

use crate::cli::{AuthCheckArgs, AuthCommand, AuthStatusArgs};
use crate::error::{Error, ExitStatus, Result};
use crate::exchange;
use crate::helicone;
use crate::keystore::{self, KeyStore};
use crate::output::{self, Printer};
use crate::provider::{PROVIDERS, Provider, Slot};
use crate::request::{Credentials, Header, HeaderValue, PreparedRequest, SecretRole};
use crate::secrets::{self, FoundKey, Secret};
use crate::settings::{self, Config, Env, HELICONE_KEY_NAME, HELICONE_KEY_VAR};
use crate::transport::{Client, NetOptions, ProxyConfig};

/// The largest secret `auth set` accepts on stdin.
const MAX_SECRET_BYTES: u64 = 16 * 1024;

/// The default timeout of `auth check`.
const CHECK_TIMEOUT: Duration = Duration::from_secs(30);

pub fn run(cmd: &AuthCommand, env: Env<'_>, printer: &Printer) -> Result<ExitStatus> {
    match cmd {
        AuthCommand::Set(a) => {
            if !a.refused.is_empty() {
                return Err(Error::usage(format!(
                    "hcl auth set takes the key from stdin or a hidden prompt, never from the command line (it would stay in shell history); run `hcl auth set {}` and paste the key, or pipe it in",
                    a.name
                )));
            }
            set(&a.name, env, printer)
        }
        AuthCommand::Delete(a) => delete(&a.name, env, printer),
        AuthCommand::Status(a) => status(a, env, printer),
        AuthCommand::Check(a) => check(a, env, printer),
    }
}

/// A key hcl knows by name: `helicone`, or one of a row's keys (the row's
/// name for its one key, a slot's name for a row with several).
#[derive(Debug)]
struct KeyName {
    name: &'static str,
    vars: &'static [&'static str],
    /// The row and the key's name under `[providers.ROW]`, and in a profile
    /// when the row reads one; `None` for the Helicone key.
    row: Option<(&'static Provider, Slot)>,
}

fn key_names() -> Vec<KeyName> {
    let mut names = vec![KeyName {
        name: HELICONE_KEY_NAME,
        vars: &[HELICONE_KEY_VAR],
        row: None,
    }];
    for p in PROVIDERS {
        for slot in p.key_slots(p.any_format()) {
            names.push(KeyName {
                name: slot.keyring,
                vars: slot.env,
                row: Some((p, slot)),
            });
        }
    }
    names
}

fn key_name(name: &str) -> Result<KeyName> {
    key_names()
        .into_iter()
        .find(|k| k.name == name)
        .ok_or_else(|| {
            Error::usage(format!(
                "'{name}' is not a key name; use one of: {}",
                key_names()
                    .iter()
                    .map(|k| k.name)
                    .collect::<Vec<_>>()
                    .join(", ")
            ))
        })
}

fn config_value<'a>(config: &'a Config, k: &KeyName) -> Option<&'a str> {
    match k.row {
        None => config.helicone.api_key.as_deref(),
        Some((p, slot)) => config
            .provider_config(p.name)
            .and_then(|c| c.key(slot.config)),
    }
}

fn set(name: &str, env: Env<'_>, printer: &Printer) -> Result<ExitStatus> {
    let key = key_name(name)?;
    let var = key.vars.first().copied().unwrap_or(HELICONE_KEY_VAR);
    // Say so before asking for a secret that could not be stored.
    keystore::ensure_usable(env, key.name, var)?;
    let secret = read_secret(key.name)?;
    if key.name == HELICONE_KEY_NAME && !secrets::looks_like_helicone_key(secret.expose()) {
        printer.warn(
            "this does not look like a Helicone key (sk-helicone-…); Helicone silently ignores unknown keys, so nothing would be logged or cached",
        );
    }
    keystore::set(env, key.name, var, &secret, patience())?;
    printer.note(&format!(
        "stored the key for {} in the OS keyring ({})",
        key.name,
        secret.fingerprint()
    ));
    if let Some(set_var) = key
        .vars
        .iter()
        .find(|v| env(v).is_some_and(|x| !x.trim().is_empty()))
    {
        printer.warn(&format!(
            "{set_var} is set and takes precedence over the keyring; unset it to use the stored key"
        ));
    }
    Ok(ExitStatus::Success)
}

/// The secret from stdin when it is piped (one trailing newline removed),
/// else from a hidden prompt on the terminal.
fn read_secret(name: &str) -> Result<Secret> {
    let stdin = std::io::stdin();
    let raw = if stdin.is_terminal() {
        rpassword::prompt_password(format!("Key for {name} (input hidden): "))
            .map_err(|e| Error::io("cannot read the key from the terminal", e))?
    } else {
        let mut bytes = Vec::new();
        stdin
            .lock()
            .take(MAX_SECRET_BYTES + 1)
            .read_to_end(&mut bytes)
            .map_err(|e| Error::io("cannot read the key from stdin", e))?;
        if bytes.len() as u64 > MAX_SECRET_BYTES {
            return Err(Error::usage(format!(
                "stdin holds more than {} KiB, which is no API key; pipe the key alone, e.g. printf %s \"$KEY\" | hcl auth set {name}",
                MAX_SECRET_BYTES / 1024
            )));
        }
        String::from_utf8(bytes).map_err(|_| {
            Error::usage("the key read from stdin is not UTF-8 text; pipe the key alone")
        })?
    };
    clean_secret(&raw, name)
}

/// One trailing newline (`\n` or `\r\n`) is the end of the line, not part
/// of the key; anything else that is not a single line is a mistake.
fn clean_secret(raw: &str, name: &str) -> Result<Secret> {
    let line = raw
        .strip_suffix("\r\n")
        .or_else(|| raw.strip_suffix('\n'))
        .unwrap_or(raw);
    let key = line.trim();
    if key.is_empty() {
        return Err(Error::usage(format!(
            "no key given; pipe it in (printf %s \"$KEY\" | hcl auth set {name}) or type it at the prompt"
        )));
    }
    if key.chars().any(|c| c.is_control() || c.is_whitespace()) {
        return Err(Error::usage(
            "the key contains spaces, line breaks or control characters; give the key alone, on one line",
        ));
    }
    Ok(Secret::new(key))
}

/// How long `set` and `delete` wait for the keyring: a person at the
/// terminal may have to answer an unlock dialog; a script should not hang.
fn patience() -> Duration {
    if std::io::stdin().is_terminal() {
        keystore::INTERACTIVE_TIMEOUT
    } else {
        keystore::TIMEOUT
    }
}

fn delete(name: &str, env: Env<'_>, printer: &Printer) -> Result<ExitStatus> {
    let key = key_name(name)?;
    let var = key.vars.first().copied().unwrap_or(HELICONE_KEY_VAR);
    if keystore::delete(env, key.name, var, patience())? {
        printer.note(&format!(
            "deleted the key for {} from the OS keyring",
            key.name
        ));
    } else {
        printer.note(&format!(
            "the OS keyring holds no key for {}; nothing to delete",
            key.name
        ));
    }
    Ok(ExitStatus::Success)
}

#[derive(Serialize)]
struct StatusRow {
    name: &'static str,
    /// `env`, `keyring`, `config` or `none`.
    source: &'static str,
    /// The environment variable, when `source` is `env`.
    variable: Option<String>,
    fingerprint: Option<String>,
    /// Lower-precedence places that hold a key too.
    shadowed: Vec<&'static str>,
}

#[derive(Serialize)]
struct StatusReport {
    keyring: KeyringState,
    keys: Vec<StatusRow>,
}

#[derive(Serialize)]
struct KeyringState {
    available: bool,
    /// Why it was not consulted.
    reason: Option<String>,
}

fn status(args: &AuthStatusArgs, env: Env<'_>, printer: &Printer) -> Result<ExitStatus> {
    let config = super::load_config(env, printer)?;
    let keyring = keystore::for_env(env);
    let keys: Vec<StatusRow> = key_names()
        .iter()
        .map(|k| status_row(k, env, keyring, &config))
        .collect();
    let report = StatusReport {
        keyring: KeyringState {
            available: keyring.unavailable().is_none(),
            reason: keyring.unavailable(),
        },
        keys,
    };
    if args.json {
        printer.json(&report)?;
        return Ok(ExitStatus::Success);
    }
    let mut table = output::new_table(&["name", "found in", "fingerprint", "also in"]);
    for r in &report.keys {
        table.add_row(vec![
            r.name.to_string(),
            match &r.variable {
                Some(v) => format!("env ({v})"),
                None => r.source.to_string(),
            },
            r.fingerprint.clone().unwrap_or_else(|| "—".into()),
            if r.shadowed.is_empty() {
                "—".to_string()
            } else {
                r.shadowed.join(", ")
            },
        ]);
    }
    printer.table(&table)?;
    if let Some(reason) = &report.keyring.reason {
        printer.note(&format!("the OS keyring was not consulted: {reason}"));
    }
    Ok(ExitStatus::Success)
}

/// Every place that holds the key, in lookup order; the first one wins.
fn status_row(k: &KeyName, env: Env<'_>, keyring: &dyn KeyStore, config: &Config) -> StatusRow {
    let none: &[&str] = &[];
    let mut found: Vec<FoundKey> = Vec::new();
    // Each source on its own, through the same lookup the requests use.
    if let Some(f) = secrets::lookup(
        k.name,
        k.vars,
        env,
        &keystore::NoKeyring(String::new()),
        None,
    ) {
        found.push(f);
    }
    if let Some(f) = secrets::lookup(k.name, none, env, keyring, None) {
        found.push(f);
    }
    if let Some(f) = secrets::lookup(
        k.name,
        none,
        env,
        &keystore::NoKeyring(String::new()),
        config_value(config, k),
    ) {
        found.push(f);
    }
    if let Some((p, slot)) = k.row
        && let Some(f) = slot
            .profile
            .and_then(|key| settings::profile_key(env, p, key))
    {
        found.push(f);
    }
    let mut places = found.into_iter();
    match places.next() {
        None => StatusRow {
            name: k.name,
            source: "none",
            variable: None,
            fingerprint: None,
            shadowed: Vec::new(),
        },
        Some(first) => StatusRow {
            name: k.name,
            source: first.source.kind(),
            variable: first.source.env_var().map(str::to_string),
            fingerprint: Some(first.secret.fingerprint()),
            shadowed: places.map(|f| f.source.kind()).collect(),
        },
    }
}

/// The verdict of `auth check`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
enum Verdict {
    Ok,
    Invalid,
    NoPermission,
}

#[derive(Serialize)]
struct CheckReport {
    status: Verdict,
    api_base: String,
    key_source: &'static str,
    key_variable: Option<String>,
    key_fingerprint: String,
    http_status: u16,
    message: String,
}

/// Jawn's error body: `{"error":"…","trace":"…"}`.
#[derive(Deserialize)]
struct RestError {
    error: Option<String>,
}

fn check(args: &AuthCheckArgs, env: Env<'_>, printer: &Printer) -> Result<ExitStatus> {
    let config = super::load_config(env, printer)?;
    let keyring = keystore::for_env(env);
    let key = settings::helicone_key(env, &config, keyring).ok_or_else(|| {
        Error::usage(
            "no Helicone key to check: set HELICONE_API_KEY, run `hcl auth set helicone`, or set api_key under [helicone] in the config file",
        )
    })?;
    if !secrets::looks_like_helicone_key(key.secret.expose()) {
        printer.warn(&format!(
            "the Helicone key ({}) does not look like a Helicone key (sk-helicone-…)",
            key.source.label()
        ));
    }
    let api_base = rest_api_base(env, &config, &key)?;
    let timeout = match args.timeout {
        None => CHECK_TIMEOUT,
        Some(s) if s.is_finite() && s > 0.0 && s < 1e9 => Duration::from_secs_f64(s),
        Some(s) => {
            return Err(Error::usage(format!(
                "--timeout {s} is not a positive number of seconds"
            )));
        }
    };
    let request = check_request(&api_base);
    let creds = Credentials {
        helicone: Some(key.clone()),
        keys: Vec::new(),
    };
    let client = Client::new(
        NetOptions {
            timeout,
            ..NetOptions::default()
        },
        ProxyConfig::from_env(env),
    )?;
    let runtime = super::runtime()?;
    let answer = runtime.block_on(async {
        tokio::select! {
            r = client.send_full(&request, &creds) => r,
            () = super::ctrl_c() => Err(Error::Interrupted),
        }
    })?;
    let detail = serde_json::from_slice::<RestError>(&answer.body)
        .ok()
        .and_then(|e| e.error)
        .unwrap_or_else(|| exchange::excerpt(&answer.body));
    let who = format!(
        "the Helicone key {} ({})",
        key.secret.fingerprint(),
        key.source.label()
    );
    let (verdict, message) = match answer.status {
        200..=299 => (
            Verdict::Ok,
            format!("{who} is valid: {api_base} accepted it"),
        ),
        401 => (
            Verdict::Invalid,
            format!(
                "{who} is invalid: {api_base} answered 401 ({detail}). Helicone's proxies accept it silently but never log or cache with it; create a key at https://us.helicone.ai/settings/api-keys (EU: https://eu.helicone.ai)"
            ),
        ),
        403 => (
            Verdict::NoPermission,
            format!(
                "{who} has no permission for this call: {api_base} answered 403 ({detail}). The key exists but lacks read/write access; create a key with both"
            ),
        ),
        status => {
            return Err(Error::Api {
                provider: format!("Helicone's REST API ({api_base})"),
                status,
                message: detail,
            });
        }
    };
    let report = CheckReport {
        status: verdict,
        api_base,
        key_source: key.source.kind(),
        key_variable: key.source.env_var().map(str::to_string),
        key_fingerprint: key.secret.fingerprint(),
        http_status: answer.status,
        message,
    };
    if args.json {
        printer.json(&report)?;
    } else if verdict == Verdict::Ok {
        printer.line(&format!("ok: {}", report.message))?;
    } else {
        printer.error(&report.message);
    }
    Ok(match verdict {
        Verdict::Ok => ExitStatus::Success,
        Verdict::Invalid | Verdict::NoPermission => ExitStatus::Auth,
    })
}

/// `HCL_HELICONE_API_BASE`, then `api_base` under `[helicone]`, then the
/// region of the key.
fn rest_api_base(env: Env<'_>, config: &Config, key: &FoundKey) -> Result<String> {
    if let Some(v) = env("HCL_HELICONE_API_BASE").filter(|v| !v.trim().is_empty()) {
        return settings::check_base_url("HCL_HELICONE_API_BASE", &v);
    }
    if let Some(v) = &config.helicone.api_base {
        return settings::check_base_url("api_base under [helicone]", v);
    }
    Ok(helicone::rest_api_for_key(key.secret.expose()).to_string())
}

/// The cheapest authenticated call (docs/helicone.md §5.1): one row of a query. Jawn
/// wants write permission for every POST, so it also proves the key can be
/// used for everything hcl does.
fn check_request(api_base: &str) -> PreparedRequest {
    PreparedRequest {
        method: "POST",
        url: format!("{api_base}/v1/request/query-clickhouse"),
        headers: vec![
            Header {
                name: "Authorization".to_string(),
                value: HeaderValue::Key {
                    role: SecretRole::Helicone,
                    prefix: "Bearer ",
                },
            },
            Header {
                name: "Content-Type".to_string(),
                value: HeaderValue::Plain("application/json".to_string()),
            },
        ],
        body: r#"{"filter":"all","limit":1}"#.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clean_secret_trims_one_line_and_rejects_the_rest() {
        assert_eq!(clean_secret("abc\n", "openai").unwrap().expose(), "abc");
        assert_eq!(clean_secret("abc\r\n", "openai").unwrap().expose(), "abc");
        assert_eq!(clean_secret("  abc  ", "openai").unwrap().expose(), "abc");
        assert!(clean_secret("\n", "openai").is_err());
        assert!(clean_secret("", "openai").is_err());
        assert!(clean_secret("abc\ndef\n", "openai").is_err());
        assert!(clean_secret("ab c", "openai").is_err());
        let err = clean_secret("", "groq").unwrap_err().to_string();
        assert!(err.contains("hcl auth set groq"), "{err}");
    }

    #[test]
    fn key_names_are_helicone_and_providers_with_keys() {
        let names: Vec<_> = key_names().iter().map(|k| k.name).collect();
        assert_eq!(names[0], "helicone");
        assert!(names.contains(&"openai") && names.contains(&"gateway"));
        assert!(!names.contains(&"ai-gateway"));
        let cli = crate::cli::key_name_values();
        assert_eq!(cli, names, "`auth set` completes the names it accepts");
        assert!(key_name("nope").unwrap_err().to_string().contains("openai"));
    }
}
