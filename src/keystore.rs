//! The OS keyring: Secret Service over D-Bus on Linux and the BSDs (GNOME
//! Keyring, KWallet), the Keychain on macOS, the Credential Manager on
//! Windows. Items are stored under service `hcl`, user = the key's name
//! (`helicone` or a provider name).
//!
//! Every call is bounded: it runs on its own thread and hcl waits at most
//! [`TIMEOUT`]. A locked keyring that wants to show an unlock dialog, or a
//! D-Bus peer that never answers, therefore costs at most that long, once: the
//! first failure marks the keyring as down for the rest of the process.
//!
//! Lookups never fail and never make noise. With `HCL_NO_KEYRING=1`, or on a
//! machine with no D-Bus session (headless CI, SSH), they find nothing
//! without touching D-Bus at all. `set` and `delete` do fail, with a message
//! that names the environment variable and the config file instead.

use std::collections::HashMap;
use std::sync::mpsc;
use std::sync::{Mutex, OnceLock};
use std::time::Duration;

use crate::error::{Error, Result};
use crate::secrets::Secret;
pub use crate::secrets::{KeyStore, Lookup};

/// The keyring service name under which hcl stores keys.
pub const SERVICE: &str = "hcl";

/// The longest hcl waits for one keyring call.
pub const TIMEOUT: Duration = Duration::from_secs(3);

/// The longest `auth set`/`auth delete` wait when a person is at the
/// terminal: long enough to answer the keyring's unlock dialog.
pub const INTERACTIVE_TIMEOUT: Duration = Duration::from_secs(60);

/// A store that is switched off or absent: every lookup finds nothing.
pub struct NoKeyring(pub String);

impl KeyStore for NoKeyring {
    fn get(&self, _name: &str) -> Lookup {
        Lookup::Unavailable
    }

    fn unavailable(&self) -> Option<String> {
        Some(self.0.clone())
    }
}

/// The OS keyring, with every answer remembered for the life of the process
/// (a batch resolves the same key many times) and a circuit breaker: after
/// one timeout or platform failure, it is not asked again.
pub struct OsKeyring {
    state: Mutex<OsState>,
}

#[derive(Default)]
struct OsState {
    cache: HashMap<String, Option<Secret>>,
    down: Option<String>,
}

impl KeyStore for OsKeyring {
    fn get(&self, name: &str) -> Lookup {
        let mut state = match self.state.lock() {
            Ok(s) => s,
            Err(poisoned) => poisoned.into_inner(),
        };
        if state.down.is_some() {
            return Lookup::Unavailable;
        }
        if let Some(hit) = state.cache.get(name) {
            return hit.clone().map_or(Lookup::Missing, Lookup::Found);
        }
        let owned = name.to_string();
        match bounded(TIMEOUT, move || entry(&owned)?.get_password()) {
            Ok(value) => {
                let secret = Some(value)
                    .filter(|v| !v.trim().is_empty())
                    .map(|v| Secret::new(v.trim()));
                state.cache.insert(name.to_string(), secret.clone());
                secret.map_or(Lookup::Missing, Lookup::Found)
            }
            Err(Failure::NoEntry) => {
                state.cache.insert(name.to_string(), None);
                Lookup::Missing
            }
            Err(Failure::Other(reason)) => {
                state.down = Some(reason);
                Lookup::Unavailable
            }
        }
    }

    fn unavailable(&self) -> Option<String> {
        match self.state.lock() {
            Ok(s) => s.down.clone(),
            Err(poisoned) => poisoned.into_inner().down.clone(),
        }
    }
}

/// The keyring for this process: switched off by `HCL_NO_KEYRING=1`, absent
/// without a D-Bus session, else the OS keyring (one per process).
pub fn for_env(env: &dyn Fn(&str) -> Option<String>) -> &'static dyn KeyStore {
    static DISABLED: OnceLock<NoKeyring> = OnceLock::new();
    static NO_SESSION: OnceLock<NoKeyring> = OnceLock::new();
    static OS: OnceLock<OsKeyring> = OnceLock::new();
    if is_disabled(env) {
        return DISABLED.get_or_init(|| NoKeyring("disabled by HCL_NO_KEYRING=1".to_string()));
    }
    if let Some(reason) = no_session_reason(env) {
        return NO_SESSION.get_or_init(|| NoKeyring(reason));
    }
    OS.get_or_init(|| OsKeyring {
        state: Mutex::new(OsState::default()),
    })
}

fn is_disabled(env: &dyn Fn(&str) -> Option<String>) -> bool {
    env("HCL_NO_KEYRING").is_some_and(|v| {
        let v = v.trim();
        !v.is_empty() && v != "0" && !v.eq_ignore_ascii_case("false")
    })
}

/// On Linux and the BSDs the keyring is a D-Bus service. Find the session bus
/// the way zbus does (`DBUS_SESSION_BUS_ADDRESS`, else
/// `$XDG_RUNTIME_DIR/bus`, else `/run/user/UID/bus`) and say why there is
/// none, so a headless machine never waits on D-Bus.
#[cfg(all(unix, not(any(target_os = "macos", target_os = "ios"))))]
fn no_session_reason(env: &dyn Fn(&str) -> Option<String>) -> Option<String> {
    if env("DBUS_SESSION_BUS_ADDRESS").is_some_and(|v| !v.trim().is_empty()) {
        return None;
    }
    let runtime_dir = env("XDG_RUNTIME_DIR")
        .filter(|v| !v.is_empty())
        .map(std::path::PathBuf::from)
        .or_else(|| {
            use std::os::unix::fs::MetadataExt;
            std::fs::metadata("/proc/self")
                .ok()
                .map(|m| std::path::PathBuf::from(format!("/run/user/{}", m.uid())))
        });
    match runtime_dir {
        Some(dir) if dir.join("bus").exists() => None,
        _ => Some(
            "no D-Bus session (DBUS_SESSION_BUS_ADDRESS is not set), so no Secret Service"
                .to_string(),
        ),
    }
}

#[cfg(not(all(unix, not(any(target_os = "macos", target_os = "ios")))))]
fn no_session_reason(_env: &dyn Fn(&str) -> Option<String>) -> Option<String> {
    None
}

/// Why a keyring call did not return a value.
enum Failure {
    NoEntry,
    Other(String),
}

fn entry(name: &str) -> keyring::Result<keyring::Entry> {
    keyring::Entry::new(SERVICE, name)
}

/// Run one keyring call on its own thread and wait at most `limit`. On a
/// timeout the thread is left behind; it ends with the process.
fn bounded<T: Send + 'static>(
    limit: Duration,
    call: impl FnOnce() -> keyring::Result<T> + Send + 'static,
) -> std::result::Result<T, Failure> {
    let (tx, rx) = mpsc::channel();
    std::thread::Builder::new()
        .name("hcl-keyring".to_string())
        .spawn(move || {
            // The receiver may have given up already.
            let _ = tx.send(call());
        })
        .map_err(|e| Failure::Other(format!("cannot start a thread for the keyring: {e}")))?;
    match rx.recv_timeout(limit) {
        Ok(Ok(v)) => Ok(v),
        Ok(Err(keyring::Error::NoEntry)) => Err(Failure::NoEntry),
        Ok(Err(e)) => Err(Failure::Other(describe(&e))),
        Err(mpsc::RecvTimeoutError::Timeout) => Err(Failure::Other(format!(
            "the OS keyring did not answer within {} s (is it locked?)",
            limit.as_secs()
        ))),
        Err(mpsc::RecvTimeoutError::Disconnected) => {
            Err(Failure::Other("the OS keyring call failed".to_string()))
        }
    }
}

fn describe(e: &keyring::Error) -> String {
    match e {
        keyring::Error::NoStorageAccess(inner) => {
            format!("the OS keyring cannot be accessed (is it locked?): {inner}")
        }
        keyring::Error::PlatformFailure(inner) => format!("the OS keyring failed: {inner}"),
        keyring::Error::Ambiguous(items) => format!(
            "{} items in the OS keyring match; remove the duplicates with your keyring manager",
            items.len()
        ),
        other => format!("the OS keyring failed: {other}"),
    }
}

/// The advice when the keyring cannot be written: the alternatives.
fn alternatives(name: &str, env_var: &str) -> String {
    let section = if name == "helicone" {
        "api_key under [helicone]".to_string()
    } else {
        format!("api_key under [providers.{name}]")
    };
    format!(
        "set {env_var} in the environment instead, or {section} in the config file (then chmod 600 it)"
    )
}

/// Store `secret` under `name`, waiting at most `limit`. `env_var` names
/// the alternative for the error message.
pub fn set(
    env: &dyn Fn(&str) -> Option<String>,
    name: &str,
    env_var: &str,
    secret: &Secret,
    limit: Duration,
) -> Result<()> {
    ensure_usable(env, name, env_var)?;
    let owned = name.to_string();
    let value = secret.expose().to_string();
    bounded(limit, move || entry(&owned)?.set_password(&value)).map_err(|f| match f {
        Failure::NoEntry => Error::usage(format!(
            "the OS keyring refused to store the key for {name}; {}",
            alternatives(name, env_var)
        )),
        Failure::Other(reason) => {
            Error::usage(format!("{reason}; {}", alternatives(name, env_var)))
        }
    })
}

/// Delete the key stored under `name`, waiting at most `limit`.
/// `Ok(false)`: there was none.
pub fn delete(
    env: &dyn Fn(&str) -> Option<String>,
    name: &str,
    env_var: &str,
    limit: Duration,
) -> Result<bool> {
    ensure_usable(env, name, env_var)?;
    let owned = name.to_string();
    match bounded(limit, move || entry(&owned)?.delete_credential()) {
        Ok(()) => Ok(true),
        Err(Failure::NoEntry) => Ok(false),
        Err(Failure::Other(reason)) => Err(Error::usage(format!(
            "{reason}; cannot delete the key for {name}"
        ))),
    }
}

/// Fail with advice when the keyring cannot be written at all (before
/// asking the user for a secret).
pub fn ensure_usable(
    env: &dyn Fn(&str) -> Option<String>,
    name: &str,
    env_var: &str,
) -> Result<()> {
    if is_disabled(env) {
        return Err(Error::usage(format!(
            "HCL_NO_KEYRING=1 is set, so hcl does not touch the OS keyring; unset it, or {}",
            alternatives(name, env_var)
        )));
    }
    if let Some(reason) = no_session_reason(env) {
        return Err(Error::usage(format!(
            "cannot reach the OS keyring: {reason}; {}",
            alternatives(name, env_var)
        )));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::settings::env_of;

    #[test]
    fn hcl_no_keyring_switches_it_off() {
        assert!(is_disabled(&env_of(&[("HCL_NO_KEYRING", "1")])));
        assert!(is_disabled(&env_of(&[("HCL_NO_KEYRING", "yes")])));
        assert!(!is_disabled(&env_of(&[("HCL_NO_KEYRING", "0")])));
        assert!(!is_disabled(&env_of(&[("HCL_NO_KEYRING", "")])));
        assert!(!is_disabled(&env_of(&[])));
        let store = for_env(&env_of(&[("HCL_NO_KEYRING", "1")]));
        assert!(matches!(store.get("openai"), Lookup::Unavailable));
        let err = set(
            &env_of(&[("HCL_NO_KEYRING", "1")]),
            "openai",
            "OPENAI_API_KEY",
            &Secret::new("x"),
            TIMEOUT,
        )
        .unwrap_err()
        .to_string();
        assert!(err.contains("OPENAI_API_KEY") && err.contains("[providers.openai]"));
    }

    #[cfg(all(unix, not(any(target_os = "macos", target_os = "ios"))))]
    #[test]
    fn no_session_bus_means_no_keyring_without_asking_dbus() {
        let dir = tempfile::tempdir().unwrap();
        let runtime = dir.path().display().to_string();
        let env = move |k: &str| (k == "XDG_RUNTIME_DIR").then(|| runtime.clone());
        assert!(no_session_reason(&env).is_some());
        std::fs::write(dir.path().join("bus"), "").unwrap();
        assert!(no_session_reason(&env).is_none());
        let with_address =
            |k: &str| (k == "DBUS_SESSION_BUS_ADDRESS").then(|| "unix:path=/x".to_string());
        assert!(no_session_reason(&with_address).is_none());
    }
}
