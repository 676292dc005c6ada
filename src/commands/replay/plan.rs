//! Planning a replay: a logged record becomes a request to send again, with
//! fresh keys in its key slots, re-routed when asked, and notes on what may
//! keep it from hitting the cache.

use std::collections::BTreeMap;

use super::short;
use crate::cachekey;
use crate::cli::ReplayArgs;
use crate::conversation;
use crate::error::{Error, Result};
use crate::exchange;
use crate::log::Record;
use crate::output::Printer;
use crate::provider::route::Values;
use crate::provider::{self, Provider};
use crate::request::logged::{self, Rebuilt, Resend};
use crate::request::{self, Credentials, Header, HeaderValue, PreparedRequest, SecretRole};
use crate::secrets::{self, FoundKey};
use crate::settings::{self, Config, Env, Keys, RowKeys, Source};
use crate::wire::WireFormat;

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

/// Notes and warnings gathered while planning, each said once.
#[derive(Default)]
pub(super) struct Notes {
    warnings: BTreeMap<String, usize>,
    notes: BTreeMap<String, usize>,
}

impl Notes {
    pub(super) fn warn(&mut self, msg: String) {
        *self.warnings.entry(msg).or_default() += 1;
    }

    pub(super) fn note(&mut self, msg: String) {
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

/// Everything planning reads besides the record: the flags, the fresh keys,
/// the base to re-route to.
pub(super) struct Planner<'a> {
    pub(super) args: &'a ReplayArgs,
    pub(super) extra: Vec<(String, String)>,
    /// `--base-url`, checked.
    pub(super) base_url: Option<String>,
    pub(super) env: Env<'a>,
    pub(super) config: &'a Config,
    pub(super) keys: Keys<'a>,
    pub(super) notes: Notes,
}

impl Planner<'_> {
    /// Where to re-route a record of `row`: `--base-url`, else
    /// `HCL_BASE_URL_<PROVIDER>`; otherwise the logged URL stands (the
    /// config file and the table give where new requests go, not old ones).
    fn base_for(&self, row: &Provider) -> Result<Option<String>> {
        let flag = self.base_url.as_deref();
        let (base, source) =
            settings::base_url(row, flag, self.env, self.config, &Values::default());
        match source {
            Source::Flag(_) => Ok(Some(base)),
            Source::Env(_) => Ok(Some(settings::check_base_url(
                &settings::base_url_source_text(row, &source),
                &base,
            )?)),
            Source::Config | Source::Default => Ok(None),
        }
    }

    /// A fresh key for one slot of a record, with a warning when it is not
    /// the key the record was sent with.
    fn key(
        &mut self,
        row: &'static Provider,
        role: &SecretRole,
        header: &str,
        logged: &str,
        caching: bool,
    ) -> Result<FoundKey> {
        let found = match role {
            SecretRole::Helicone => self
                .keys
                .helicone()
                .ok_or_else(|| Error::usage(settings::MISSING_HELICONE_KEY))?,
            SecretRole::Key(role) => match self.keys.row(row) {
                RowKeys::Found(keys) => keys
                    .into_iter()
                    .find(|(r, _)| r == role)
                    .map(|(_, k)| k)
                    .ok_or_else(|| {
                        Error::usage(format!(
                            "the logged request carried {}, and there is none now; give it as it was first given",
                            row.slot_about(role)
                        ))
                    })?,
                RowKeys::Missing(_) => {
                    return Err(Error::usage(settings::missing_key_message(row)));
                }
                RowKeys::Partial(message) => return Err(Error::usage(message)),
            },
        };
        if caching {
            check_fingerprint(row, role, header, logged, &found, &mut self.notes);
        }
        Ok(found)
    }

    /// One logged request, made ready to send again.
    pub(super) fn plan<'r>(&mut self, r: &'r Record) -> Result<Plan<'r>> {
        let row = provider::find(&r.provider).ok_or_else(|| {
            Error::usage(format!(
                "record {} names the provider '{}', which this hcl does not know",
                short(&r.id),
                r.provider
            ))
        })?;
        let base = self.base_for(row)?;
        let caching = cachekey::saves_to_cache(&r.request.headers) || self.args.cache;
        let extra = std::mem::take(&mut self.extra);
        let rebuilt = logged::rebuild(
            r,
            &Resend {
                base: base.as_deref(),
                extra: &extra,
                drop: &[REPLAY_OF],
            },
            &mut |row, role, header, value| self.key(row, role, header, value, caching),
        );
        self.extra = extra;
        let mut rebuilt = rebuilt?;
        if let Some(from) = &rebuilt.rerouted_from {
            self.notes.note(format!(
                "replaying to {} instead of the logged {}; the URL is part of Helicone's cache key, so answers cached under the old one will not hit",
                request::redact_url(base.as_deref().unwrap_or_default()),
                request::redact_url(from)
            ));
        }
        forget_derived_session_name(r, &mut rebuilt);
        if caching && let Some(caveat) = rebuilt.format.cache_caveat() {
            self.notes.warn(caveat.to_string());
        }
        let id_index = self.mark_replay(r, &mut rebuilt);
        let helicone_key_ok = rebuilt
            .creds
            .helicone
            .as_ref()
            .is_none_or(|k| secrets::looks_like_helicone_key(k.secret.expose()));
        if !helicone_key_ok {
            self.notes.warn(
                "the Helicone key does not look like a Helicone key (sk-helicone-…); Helicone silently ignores unknown keys, so nothing would be cached".to_string(),
            );
        }
        Ok(Plan {
            original: r,
            format: rebuilt.format,
            peer: exchange::peer_label(rebuilt.row.name, !rebuilt.via_helicone),
            req: rebuilt.req,
            id_index,
            creds: rebuilt.creds,
            helicone_key_ok,
        })
    }

    /// Through Helicone, a replay gets a request id slot, names the record
    /// it replays, and, with `--cache`, turns the cache on. Returns where
    /// the request id header is.
    fn mark_replay(&mut self, r: &Record, rebuilt: &mut Rebuilt) -> Option<usize> {
        let headers = &mut rebuilt.req.headers;
        let mut id_index = headers
            .iter()
            .position(|h| h.name.eq_ignore_ascii_case(REQUEST_ID));
        if !rebuilt.via_helicone {
            if self.args.cache {
                self.notes.warn(
                    "--cache does not apply to requests sent with --direct: they bypass Helicone"
                        .to_string(),
                );
            }
            return id_index;
        }
        if id_index.is_none() {
            id_index = Some(headers.len());
            headers.push(plain(REQUEST_ID, ""));
        }
        headers.push(plain(REPLAY_OF, &r.id));
        if !cachekey::saves_to_cache(&r.request.headers) {
            if self.args.cache {
                headers.push(plain("Helicone-Cache-Enabled", "true"));
                self.notes.note(
                    "--cache adds Helicone-Cache-Enabled to requests first sent without caching: the first replay fills the cache and the next one can hit".to_string(),
                );
            } else {
                self.notes.note(
                    "a selected request was sent without caching, so its replay reports OFF; add --cache to enable Helicone's cache".to_string(),
                );
            }
        }
        id_index
    }
}

/// A session name an older hcl derived from the prompt is not sent again
/// (session headers are not part of Helicone's cache key).
fn forget_derived_session_name(r: &Record, rebuilt: &mut Rebuilt) {
    let Some(prompt) = conversation::first_prompt(rebuilt.format, r.request.body.get()) else {
        return;
    };
    for h in &mut rebuilt.req.headers {
        if h.name.eq_ignore_ascii_case("helicone-session-name")
            && matches!(&h.value, HeaderValue::Plain(v) if conversation::is_derived_name(v, &prompt))
        {
            h.value = HeaderValue::Plain(conversation::DEFAULT_NAME.to_string());
        }
    }
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
    role: &SecretRole,
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
        SecretRole::Key(role) => row.slot_about(role),
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
