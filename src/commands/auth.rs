//! `hcl auth`: keys in the OS keyring (`set`, `delete`), where each key was
//! found (`status`), and a check of the Helicone key against Helicone's REST
//! API (`check`), because the proxies accept a wrong key silently (docs/helicone.md §3.5).

use std::io::{IsTerminal, Read};
use std::time::Duration;

use serde::Serialize;

use crate::cli::{AuthCheckArgs, AuthCommand, AuthStatusArgs};
use crate::error::{Error, ExitStatus, Result};
use crate::helicone_api::{self, Api, ApiError, Permission, Target};
use crate::keystore::{self, KeyStore};
use crate::output::{self, Printer};
use crate::provider::{PROVIDERS, Provider, Slot};
use crate::secrets::{self, FoundKey, Secret};
use crate::settings::{self, Config, Env, HELICONE_KEY_NAME, HELICONE_KEY_VAR};

/// The largest secret `auth set` accepts on stdin.
const MAX_SECRET_BYTES: u64 = 16 * 1024;

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
    let mut table = output::Table::new(vec![
        output::Col::keep("name"),
        output::Col::text("found in", 0, 8),
        output::Col::fixed("fingerprint", 1),
        output::Col::text("also in", 2, 8),
    ]);
    for r in &report.keys {
        table.row(vec![
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
    printer.table(&table, output::TableFormat::Table)?;
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

/// What `auth check` found the key can do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
enum Verdict {
    /// Helicone knows the key (whatever it may do).
    Ok,
    /// Helicone does not know the key.
    Invalid,
}

#[derive(Serialize)]
struct CheckReport {
    status: Verdict,
    api_base: String,
    key_source: &'static str,
    key_variable: Option<String>,
    key_fingerprint: String,
    /// Helicone's proxies log and cache with the key (they check no permission).
    proxy_logging: bool,
    /// GET calls of the REST API (one request by id).
    read: bool,
    /// POST calls of the REST API (the bulk query, feedback, scores).
    write: bool,
    message: String,
}

/// A request id no request has, for the read-only probes.
const PROBE_ID: &str = "00000000-0000-4000-8000-000000000000";

/// Whether a probe passed, was refused for want of a permission, or found
/// the key unknown (the error says so).
enum Probe {
    Allowed,
    Refused,
}

fn probe(answer: std::result::Result<(), ApiError>) -> Result<Probe> {
    match answer {
        Ok(()) => Ok(Probe::Allowed),
        Err(ApiError::NoPermission { .. }) => Ok(Probe::Refused),
        Err(ApiError::Failed(e)) => Err(e),
    }
}

fn check(args: &AuthCheckArgs, env: Env<'_>, printer: &Printer) -> Result<ExitStatus> {
    let config = super::load_config(env, printer)?;
    let key = settings::helicone_key(env, &config, keystore::for_env(env)).ok_or_else(|| {
        Error::usage(
            "no Helicone key to check: set HELICONE_API_KEY, run `hcl auth set helicone`, or set api_key under [helicone] in the config file",
        )
    })?;
    let target = Target::resolve(env, &config, key)?;
    helicone_api::warn_if_unlike(&target, printer);
    let timeout = helicone_api::timeout(args.timeout)?;
    let api = Api::new(target, timeout, env)?;
    let runtime = super::runtime()?;
    // Two calls that change nothing: a GET of a request that does not exist
    // (read permission) and a query for it (write permission: a POST).
    let outcome = runtime.block_on(async {
        tokio::select! {
            r = async {
                let read = probe(api.get_request(PROBE_ID).await.map(|_| ()))?;
                let write = probe(api.query_ids(&[PROBE_ID.to_string()], None).await.map(|_| ()))?;
                Ok::<_, Error>((read, write))
            } => r,
            signal = super::interrupted() => Err(Error::Interrupted(signal)),
        }
    });
    let target = &api.target;
    let report = |status, read, write, message: String| CheckReport {
        status,
        api_base: target.api_base.clone(),
        key_source: target.key.source.kind(),
        key_variable: target.key.source.env_var().map(str::to_string),
        key_fingerprint: target.key.secret.fingerprint(),
        proxy_logging: status == Verdict::Ok,
        read,
        write,
        message,
    };
    let (read, write) = match outcome {
        Ok((read, write)) => (
            matches!(read, Probe::Allowed),
            matches!(write, Probe::Allowed),
        ),
        Err(e) if e.exit_status() == ExitStatus::Auth => {
            let r = report(Verdict::Invalid, false, false, e.to_string());
            if args.json {
                printer.json(&r)?;
            } else {
                printer.error(&r.message);
            }
            return Ok(ExitStatus::Auth);
        }
        Err(e) => return Err(e),
    };
    let yes = |b: bool| if b { "yes" } else { "no" };
    let mut message = format!(
        "{} is known to {}: proxy logging {}, read {}, write {}",
        target.who(),
        target.api_base,
        yes(true),
        yes(read),
        yes(write)
    );
    if !read && !write {
        message.push_str(
            "; the REST API refused both a read and a write, so only the proxies will take this key",
        );
    }
    let r = report(Verdict::Ok, read, write, message);
    if args.json {
        printer.json(&r)?;
        return Ok(ExitStatus::Success);
    }
    print_abilities(&r, target, printer)?;
    Ok(ExitStatus::Success)
}

/// What a known key can do, as a table with a note for each ability it lacks.
fn print_abilities(r: &CheckReport, target: &Target, printer: &Printer) -> Result<()> {
    let yes = |b: bool| if b { "yes" } else { "no" };
    printer.line(&format!("ok: {}", r.message))?;
    let mut table = output::Table::new(vec![
        output::Col::keep("ability"),
        output::Col::keep(""),
        output::Col::text("what it allows", 0, 16),
    ]);
    table.row(vec![
        "proxy logging".to_string(),
        yes(true).to_string(),
        "Helicone's proxies log and cache requests sent with the key (they check no permission)"
            .to_string(),
    ]);
    table.row(vec![
        "read".to_string(),
        yes(r.read).to_string(),
        "GET calls: `hcl log verify` one request at a time".to_string(),
    ]);
    table.row(vec![
        "write".to_string(),
        yes(r.write).to_string(),
        "POST calls: the bulk query of `hcl log verify`, `hcl feedback`, `hcl score`".to_string(),
    ]);
    printer.table(&table, output::TableFormat::Table)?;
    if !r.write {
        printer.note(
            &target.no_permission_message(Permission::Write, "POST /v1/request/query-clickhouse"),
        );
    }
    if !r.read {
        printer.note(&target.no_permission_message(Permission::Read, "GET /v1/request/{id}"));
    }
    Ok(())
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
