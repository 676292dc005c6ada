//! A logged request made ready to send again: the same method, URL and body
//! bytes and the same headers in the same order, with fresh keys in its key
//! slots. Replay builds on it; so can anything else that re-sends what the
//! log holds.

use crate::error::{Error, Result};
use crate::log::Record;
use crate::provider::{self, Provider};
use crate::secrets::{FoundKey, Secret};
use crate::wire::WireFormat;

use super::{Credentials, Header, HeaderValue, PreparedRequest, SecretRole, is_secret_header};

/// What re-sending may change.
#[derive(Default)]
pub struct Resend<'a> {
    /// Send to this base instead of the logged one (already checked).
    pub base: Option<&'a str>,
    /// Headers to add at the end, replacing logged ones of the same name.
    pub extra: &'a [(String, String)],
    /// Logged headers to leave out, by name in any case.
    pub drop: &'a [&'a str],
}

/// A logged request, ready to send again.
#[derive(Debug)]
pub struct Rebuilt {
    pub row: &'static Provider,
    pub format: WireFormat,
    pub req: PreparedRequest,
    pub creds: Credentials,
    /// It carried Helicone headers: it goes through Helicone.
    pub via_helicone: bool,
    /// The logged base, when the URL was moved to another.
    pub rerouted_from: Option<String>,
}

/// The key for one slot: the provider row and the slot's role, with the
/// header and the value the log shows for it (a fingerprint), so the caller
/// can tell whether the key changed.
pub type KeyFor<'k> =
    dyn FnMut(&'static Provider, &SecretRole, &str, &str) -> Result<FoundKey> + 'k;

/// Rebuild `r` for sending again. `key` supplies a fresh key for each key
/// slot.
pub fn rebuild(r: &Record, how: &Resend<'_>, key: &mut KeyFor<'_>) -> Result<Rebuilt> {
    let id = r.id.get(..8).unwrap_or(&r.id);
    let row = provider::find(&r.provider).ok_or_else(|| {
        Error::usage(format!(
            "record {id} names the provider '{}', which this hcl does not know",
            r.provider
        ))
    })?;
    let format = r.format.ok_or_else(|| {
        Error::usage(format!(
            "record {id} does not say which wire format it was sent in"
        ))
    })?;
    let method = static_method(&r.request.method).ok_or_else(|| {
        Error::usage(format!(
            "record {id} has the method '{}', which hcl cannot send",
            r.request.method
        ))
    })?;
    let (url, rerouted_from) = match how.base {
        None => (r.request.url.clone(), None),
        Some(base) => {
            let start = row.api_path_start(format, &r.request.url).ok_or_else(|| {
                Error::usage(format!(
                    "cannot re-route record {id}: its URL {} does not hold {}'s API path",
                    super::redact_url(&r.request.url),
                    row.name
                ))
            })?;
            let url = format!("{base}{}", &r.request.url[start..]);
            let from = (url != r.request.url).then(|| r.request.url[..start].to_string());
            (url, from)
        }
    };
    // A user and password in the URL (a --base-url, or a record of an older
    // hcl) are sent, never shown or logged.
    let (url, userinfo) = super::split_userinfo(&url);
    let (headers, creds) = rebuild_headers(r, row, how, key)?;
    let via_helicone = r.request.headers.0.iter().any(|(n, _)| {
        n.get(..9)
            .is_some_and(|p| p.eq_ignore_ascii_case("helicone-"))
    });
    Ok(Rebuilt {
        row,
        format,
        req: PreparedRequest {
            method,
            url,
            userinfo,
            headers,
            body: r.request.body.get().to_string(),
        },
        creds,
        via_helicone,
        rerouted_from,
    })
}

/// The logged headers in order, less the dropped and replaced ones, each key
/// slot with a fresh key; then the extra headers.
fn rebuild_headers(
    r: &Record,
    row: &'static Provider,
    how: &Resend<'_>,
    key: &mut KeyFor<'_>,
) -> Result<(Vec<Header>, Credentials)> {
    let id = r.id.get(..8).unwrap_or(&r.id);
    let mut headers: Vec<Header> =
        Vec::with_capacity(r.request.headers.0.len() + how.extra.len() + 2);
    let mut creds = Credentials::default();
    let skipped = |name: &str| {
        how.drop.iter().any(|d| d.eq_ignore_ascii_case(name))
            || how.extra.iter().any(|(n, _)| n.eq_ignore_ascii_case(name))
    };
    for (name, value) in r.request.headers.0.iter().filter(|(n, _)| !skipped(n)) {
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
                let found = key(row, &slot.role, name, value)?;
                creds.set(&slot.role, found);
                HeaderValue::Key {
                    role: slot.role.clone(),
                    prefix,
                }
            }
            None if is_secret_header(name) => {
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
    for (name, value) in how.extra {
        let value = if is_secret_header(name) {
            HeaderValue::Literal(Secret::new(value.clone()))
        } else {
            HeaderValue::Plain(value.clone())
        };
        headers.push(Header {
            name: name.clone(),
            value,
        });
    }
    Ok((headers, creds))
}

/// The key prefixes hcl writes (`Bearer ` or none).
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
