//! Planning a replay: a logged record becomes a request to send again, with
//! fresh keys in its key slots, re-routed when asked, and notes on what may
//! keep it from hitting the cache.

use std::collections::BTreeMap;

use super::short;
use crate::cachekey;
use crate::cli::ReplayArgs;
use crate::error::{Error, Result};
use crate::exchange;
use crate::log::Record;
use crate::output::Printer;
use crate::provider::{self, Provider, WireFormat};
use crate::request::{self, Credentials, Header, HeaderValue, PreparedRequest, SecretRole};
use crate::secrets::{self, FoundKey};
use crate::settings::{self, Config, Env};

/// The property that ties a replay to the record it replays. Properties are
/// not part of Helicone's cache key.
const REPLAY_OF: &str = "Helicone-Property-Hcl-Replay-Of";
const REQUEST_ID: &str = "Helicone-Request-Id";

/// One logged request, ready to send again.
pub(super) struct Plan<'a> {
    pub(super) original: &'a Record,
    pub(super) format: WireFormat,
    /// The logged request with fresh key slots; the id header is set per send.
    pub(super) req: PreparedRequest,
    pub(super) id_index: Option<usize>,
    pub(super) creds: Credentials,
    pub(super) peer: String,
    pub(super) helicone_key_ok: bool,
}

/// Fresh keys, looked up once per provider: environment, keyring, config.
pub(super) struct Keys<'a> {
    env: Env<'a>,
    config: &'a Config,
    helicone: Option<Option<FoundKey>>,
    provider: BTreeMap<&'static str, Option<FoundKey>>,
}

impl<'a> Keys<'a> {
    pub(super) fn new(env: Env<'a>, config: &'a Config) -> Self {
        Keys {
            env,
            config,
            helicone: None,
            provider: BTreeMap::new(),
        }
    }

    fn get(&mut self, row: &'static Provider, role: SecretRole) -> Result<FoundKey> {
        let (env, config) = (self.env, self.config);
        let found = match role {
            SecretRole::Helicone => self
                .helicone
                .get_or_insert_with(|| {
                    settings::helicone_key(env, config, crate::keystore::for_env(env))
                })
                .clone(),
            SecretRole::Provider => self
                .provider
                .entry(row.name)
                .or_insert_with(|| settings::provider_key(row, env, config))
                .clone(),
        };
        found.ok_or_else(|| {
            Error::usage(match role {
                SecretRole::Helicone => {
                    "HELICONE_API_KEY is not set; a replay through Helicone needs it (or helicone.api_key in the config file)".to_string()
                }
                SecretRole::Provider => settings::missing_key_message(row),
            })
        })
    }
}

/// Notes and warnings gathered while planning, each said once.
#[derive(Default)]
pub(super) struct Notes {
    warnings: BTreeMap<String, usize>,
    notes: BTreeMap<String, usize>,
}

impl Notes {
    fn warn(&mut self, msg: String) {
        *self.warnings.entry(msg).or_default() += 1;
    }

    fn note(&mut self, msg: String) {
        *self.notes.entry(msg).or_default() += 1;
    }

    pub(super) fn print(&self, printer: &Printer) {
        let with_count = |msg: &str, n: usize| {
            if n > 1 {
                format!("{msg} ({n} requests)")
            } else {
                msg.to_string()
            }
        };
        for (msg, n) in &self.warnings {
            printer.warn(&with_count(msg, *n));
        }
        for (msg, n) in &self.notes {
            printer.note(&with_count(msg, *n));
        }
    }
}

/// Where the provider's API path starts in a logged URL, and the wire format
/// that path speaks (the `gateway` row serves all three).
fn api_path_start(row: &Provider, url: &str) -> Option<(usize, WireFormat)> {
    let authority = url.find("://")? + 3;
    let path = authority + url[authority..].find('/')?;
    let formats = match row.format {
        Some(f) => vec![f],
        None => vec![
            WireFormat::OpenAi,
            WireFormat::Anthropic,
            WireFormat::Gemini,
        ],
    };
    formats
        .into_iter()
        .filter_map(|f| {
            let literal = row.path_template(f).split(['{', '?']).next()?;
            url[path..].find(literal).map(|i| (path + i, f))
        })
        .min_by_key(|(i, _)| *i)
}

fn static_prefix(p: &str) -> Option<&'static str> {
    match p {
        "" => Some(""),
        "Bearer " => Some("Bearer "),
        _ => None,
    }
}

fn static_method(m: &str) -> Option<&'static str> {
    ["POST", "GET", "PUT", "PATCH", "DELETE"]
        .into_iter()
        .find(|k| k.eq_ignore_ascii_case(m))
}

pub(super) fn plan<'a>(
    r: &'a Record,
    args: &ReplayArgs,
    extra: &[(String, String)],
    base_url: Option<&str>,
    env: Env<'_>,
    keys: &mut Keys<'_>,
    notes: &mut Notes,
) -> Result<Plan<'a>> {
    let id = short(&r.id);
    let row = provider::find(&r.provider).ok_or_else(|| {
        Error::usage(format!(
            "record {id} names the provider '{}', which this hcl does not know",
            r.provider
        ))
    })?;
    let method = static_method(&r.request.method).ok_or_else(|| {
        Error::usage(format!(
            "record {id} has the method '{}', which hcl cannot send",
            r.request.method
        ))
    })?;
    let split = api_path_start(row, &r.request.url);
    let format = row
        .format
        .or(split.map(|(_, f)| f))
        .unwrap_or(WireFormat::OpenAi);

    // Route: --base-url, else HCL_BASE_URL_<PROVIDER>, else the logged URL.
    let var = format!("HCL_BASE_URL_{}", row.env_suffix());
    let new_base = match base_url {
        Some(b) => Some(b.to_string()),
        None => match env(&var).filter(|v| !v.trim().is_empty()) {
            Some(b) => Some(settings::check_base_url(&var, &b)?),
            None => None,
        },
    };
    let mut url = r.request.url.clone();
    if let Some(base) = new_base {
        let (start, _) = split.ok_or_else(|| {
            Error::usage(format!(
                "cannot re-route record {id}: its URL {} does not hold {}'s API path",
                r.request.url, row.name
            ))
        })?;
        let rerouted = format!("{base}{}", &r.request.url[start..]);
        if rerouted != url {
            notes.note(format!(
                "replaying to {base} instead of the logged {}; the URL is part of Helicone's cache key, so answers cached under the old one will not hit",
                &r.request.url[..start]
            ));
            url = rerouted;
        }
    }

    // Headers: as logged, in order; key slots get fresh keys.
    let via_helicone = r.request.headers.0.iter().any(|(n, _)| {
        n.get(..9)
            .is_some_and(|p| p.eq_ignore_ascii_case("helicone-"))
    });
    let overridden = |name: &str| extra.iter().any(|(n, _)| n.eq_ignore_ascii_case(name));
    let caching = cachekey::saves_to_cache(&r.request.headers) || args.cache;
    let mut headers: Vec<Header> = Vec::with_capacity(r.request.headers.0.len() + 3);
    let mut creds = Credentials::default();
    let mut id_index = None;
    for (name, value) in &r.request.headers.0 {
        if overridden(name) || name.eq_ignore_ascii_case(REPLAY_OF) {
            continue;
        }
        if name.eq_ignore_ascii_case(REQUEST_ID) {
            id_index = Some(headers.len());
        }
        let slot = r
            .request
            .secret_headers
            .iter()
            .find(|s| s.header.eq_ignore_ascii_case(name));
        let value = match slot {
            Some(slot) => {
                let prefix = static_prefix(&slot.prefix).ok_or_else(|| {
                    Error::usage(format!(
                        "record {id}: unknown key prefix '{}' for header {name}",
                        slot.prefix
                    ))
                })?;
                let key = keys.get(row, slot.role)?;
                if caching {
                    check_fingerprint(row, slot.role, name, value, &key, notes);
                }
                match slot.role {
                    SecretRole::Helicone => creds.helicone = Some(key),
                    SecretRole::Provider => creds.provider = Some(key),
                }
                HeaderValue::Key {
                    role: slot.role,
                    prefix,
                }
            }
            None if request::is_secret_header(name) => {
                return Err(Error::usage(format!(
                    "record {id} was sent with its own secret {name} header (-H), and hcl logs only its fingerprint; give it again: hcl replay {id} -H '{name}: …'"
                )));
            }
            None => HeaderValue::Plain(value.clone()),
        };
        headers.push(Header {
            name: name.clone(),
            value,
        });
    }
    if via_helicone {
        if id_index.is_none() {
            id_index = Some(headers.len());
            headers.push(plain(REQUEST_ID, ""));
        }
        headers.push(plain(REPLAY_OF, &r.id));
        if !cachekey::saves_to_cache(&r.request.headers) {
            if args.cache {
                headers.push(plain("Helicone-Cache-Enabled", "true"));
                notes.note(
                    "--cache adds Helicone-Cache-Enabled to requests first sent without caching: the first replay fills the cache and the next one can hit".to_string(),
                );
            } else {
                notes.note(
                    "a selected request was sent without caching, so its replay reports OFF; add --cache to enable Helicone's cache".to_string(),
                );
            }
        }
    } else if args.cache {
        notes.warn(
            "--cache does not apply to requests sent with --direct: they bypass Helicone"
                .to_string(),
        );
    }
    for (name, value) in extra {
        let value = if request::is_secret_header(name) {
            HeaderValue::Literal(secrets::Secret::new(value.clone()))
        } else {
            HeaderValue::Plain(value.clone())
        };
        headers.push(Header {
            name: name.clone(),
            value,
        });
    }
    let helicone_key_ok = creds
        .helicone
        .as_ref()
        .is_none_or(|k| secrets::looks_like_helicone_key(k.secret.expose()));
    if !helicone_key_ok {
        notes.warn(
            "the Helicone key does not look like a Helicone key (sk-helicone-…); Helicone silently ignores unknown keys, so nothing would be cached".to_string(),
        );
    }
    Ok(Plan {
        original: r,
        format,
        req: PreparedRequest {
            method,
            url,
            headers,
            body: r.request.body.get().to_string(),
        },
        id_index,
        creds,
        peer: exchange::peer_label(row.name, !via_helicone),
        helicone_key_ok,
    })
}

fn plain(name: &str, value: &str) -> Header {
    Header {
        name: name.to_string(),
        value: HeaderValue::Plain(value.to_string()),
    }
}

/// Warn when a fresh key is not the one the record was sent with.
fn check_fingerprint(
    row: &Provider,
    role: SecretRole,
    header: &str,
    logged: &str,
    key: &FoundKey,
    notes: &mut Notes,
) {
    let Some(at) = logged.find("sha256:") else {
        return;
    };
    let (old, new) = (&logged[at..], key.secret.fingerprint());
    if old == new {
        return;
    }
    let which = match role {
        SecretRole::Helicone => "the Helicone key".to_string(),
        SecretRole::Provider => format!("the {} key", row.name),
    };
    let keyed = header.eq_ignore_ascii_case("authorization")
        || header.eq_ignore_ascii_case("helicone-auth");
    notes.warn(if keyed {
        format!(
            "{which} from {} differs from the one logged ({old} → {new}); it is part of Helicone's cache key, so the cache key changed: expect a MISS",
            key.source.label()
        )
    } else {
        format!(
            "{which} from {} differs from the one logged ({old} → {new}); Helicone's cache key leaves out {header}, so a HIT can still come from the answer cached for the old key",
            key.source.label()
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn api_path_is_found_after_a_base_prefix() {
        let gw = provider::find("gateway").unwrap();
        let url = "http://127.0.0.1:9/gateway/v1/messages";
        let (i, f) = api_path_start(gw, url).unwrap();
        assert_eq!(&url[..i], "http://127.0.0.1:9/gateway");
        assert_eq!(f, WireFormat::Anthropic);
        let gem = provider::find("gemini").unwrap();
        let url = "https://gateway.helicone.ai/v1beta/models/x:generateContent";
        assert_eq!(
            &url[..api_path_start(gem, url).unwrap().0],
            "https://gateway.helicone.ai"
        );
    }
}
