//! Helicone's REST API (docs/helicone.md §5) and its custom-logging endpoint: which host
//! and key to use, the calls hcl makes, and what a refusal means, said in
//! words. Used by `hcl auth check`, `hcl log verify`, `hcl log push`,
//! `hcl feedback` and `hcl score`.
//!
//! Helicone's REST API (Jawn) wants read permission for every GET and write
//! permission for every POST, and answers a key that lacks it with 401 and
//! `{"error": null, "trace": "isAuthenticated.error"}`; an unknown key gets
//! 401 with the reason in `error`. Its proxies check no permission at all:
//! any key Helicone knows logs and caches.

pub mod filter;
pub mod types;

use std::time::Duration;

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::exchange;
use crate::helicone::{self, REST_API_EU, REST_API_US};
use crate::log::Record;
use crate::request::{self, Credentials, Header, HeaderValue, PreparedRequest, SecretRole};
use crate::secrets::{self, FoundKey};
use crate::settings::{self, Config, Env};
use crate::transport::{Client, NetOptions, ProxyConfig};

use filter::{Filter, Query, Sort};
use types::{Envelope, HeliconeRequest};

/// Helicone's custom-logging host (the worker), which the docs and SDKs use.
pub const LOG_API: &str = "https://api.worker.helicone.ai";
/// The default timeout of one REST call.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);
/// Request ids per query: Helicone caps `limit` at 1,000.
pub const QUERY_CHUNK: usize = 100;
/// Where to create keys.
const KEYS_PAGE: &str =
    "https://us.helicone.ai/settings/api-keys (EU: https://eu.helicone.ai/settings/api-keys)";

/// Where the REST base came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BaseSource {
    Env,
    Config,
    /// The key's region (US or EU host).
    KeyRegion,
}

/// The key and the REST host to use it on.
#[derive(Debug, Clone)]
pub struct Target {
    pub api_base: String,
    pub source: BaseSource,
    pub key: FoundKey,
}

/// The Helicone key (environment, keyring, config), else a usage error that
/// says how to give one.
pub fn helicone_key(env: Env<'_>, config: &Config, what: &str) -> Result<FoundKey> {
    settings::helicone_key(env, config, crate::keystore::for_env(env)).ok_or_else(|| {
        Error::usage(format!(
            "{what} needs a Helicone key: set HELICONE_API_KEY, run `hcl auth set helicone`, or set api_key under [helicone] in the config file"
        ))
    })
}

impl Target {
    /// `HCL_HELICONE_API_BASE`, then `api_base` under `[helicone]`, then the
    /// region of the key.
    pub fn resolve(env: Env<'_>, config: &Config, key: FoundKey) -> Result<Target> {
        let (api_base, source) =
            if let Some(v) = env("HCL_HELICONE_API_BASE").filter(|v| !v.trim().is_empty()) {
                (
                    settings::check_base_url("HCL_HELICONE_API_BASE", &v)?,
                    BaseSource::Env,
                )
            } else if let Some(v) = &config.helicone.api_base {
                (
                    settings::check_base_url("api_base under [helicone]", v)?,
                    BaseSource::Config,
                )
            } else {
                (
                    helicone::rest_api_for_key(key.secret.expose()).to_string(),
                    BaseSource::KeyRegion,
                )
            };
        Ok(Target {
            api_base,
            source,
            key,
        })
    }

    /// The custom-logging base: `HCL_HELICONE_LOG_BASE`, then `log_base`
    /// under `[helicone]`, then Helicone's worker. A REST base that points
    /// elsewhere than Helicone's own hosts (a self-hosted Helicone) needs the
    /// log base said too, so that prompts never go to a Helicone the user
    /// did not name.
    pub fn log_base(&self, env: Env<'_>, config: &Config) -> Result<String> {
        if let Some(v) = env("HCL_HELICONE_LOG_BASE").filter(|v| !v.trim().is_empty()) {
            return settings::check_base_url("HCL_HELICONE_LOG_BASE", &v);
        }
        if let Some(v) = &config.helicone.log_base {
            return settings::check_base_url("log_base under [helicone]", v);
        }
        if self.source != BaseSource::KeyRegion
            && self.api_base != REST_API_US
            && self.api_base != REST_API_EU
        {
            return Err(Error::usage(format!(
                "{} points hcl at {}, not at Helicone's own API, so hcl will not send request bodies to Helicone's cloud worker ({LOG_API}); set HCL_HELICONE_LOG_BASE (or log_base under [helicone]) to your Helicone worker, or to {LOG_API}",
                self.base_setting(),
                self.api_base
            )));
        }
        Ok(LOG_API.to_string())
    }

    /// The setting that chose the REST base, for messages.
    fn base_setting(&self) -> &'static str {
        match self.source {
            BaseSource::Env => "HCL_HELICONE_API_BASE",
            BaseSource::Config => "api_base under [helicone]",
            BaseSource::KeyRegion => "the key's region",
        }
    }

    /// "the Helicone key sha256:… (HELICONE_API_KEY)"
    pub fn who(&self) -> String {
        format!(
            "the Helicone key {} ({})",
            self.key.secret.fingerprint(),
            self.key.source.label()
        )
    }

    fn is_eu_key(&self) -> bool {
        helicone::rest_api_for_key(self.key.secret.expose()) == REST_API_EU
    }

    /// When the key's region and the REST host disagree, what to do.
    pub fn region_hint(&self) -> Option<String> {
        if self.is_eu_key() && self.api_base != REST_API_EU {
            Some(format!(
                "This is an EU key (sk-helicone-eu-…), which only Helicone's EU API ({REST_API_EU}) knows, but {} sends hcl to {}; unset it, or set it to {REST_API_EU}.",
                self.base_setting(),
                self.api_base
            ))
        } else if !self.is_eu_key() && self.api_base == REST_API_EU {
            Some(format!(
                "{} sends hcl to Helicone's EU API, but this is not an EU key (those start sk-helicone-eu-); a US key is known only to {REST_API_US}.",
                self.base_setting()
            ))
        } else {
            None
        }
    }

    /// The message for a key Helicone does not know.
    pub fn unknown_key_message(&self, detail: &str) -> String {
        let mut m = format!(
            "it does not know {} ({detail}). Helicone's proxies accept an unknown key silently and never log or cache with it; create a key at {KEYS_PAGE}",
            self.who()
        );
        if let Some(hint) = self.region_hint() {
            m.push_str(". ");
            m.push_str(&hint);
        }
        m
    }

    /// The message for a key that lacks a permission.
    pub fn no_permission_message(&self, needs: Permission, call: &str) -> String {
        match needs {
            Permission::Write => format!(
                "{} has no write permission, which {call} needs (Helicone's REST API wants write permission for every POST). The key still logs and caches through Helicone's proxies, which check no permission; create a key with read and write permission at {KEYS_PAGE}",
                self.who()
            ),
            Permission::Read => format!(
                "{} has no read permission, which {call} needs. Keys that start pk-helicone- are write-only: they log and cache through Helicone's proxies but cannot read; use a key with read permission (sk-helicone-…), created at {KEYS_PAGE}",
                self.who()
            ),
        }
    }
}

/// What a REST call needs of the key: Helicone wants read permission for a
/// GET and write permission for anything else.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Permission {
    Read,
    Write,
}

impl Permission {
    pub fn of(method: &str) -> Permission {
        if method.eq_ignore_ascii_case("GET") {
            Permission::Read
        } else {
            Permission::Write
        }
    }
}

/// A failed call: the key lacked a permission (which a caller may work
/// around), or anything else, already explained.
#[derive(Debug)]
pub enum ApiError {
    NoPermission {
        needs: Permission,
        status: u16,
        /// `POST /v1/request/query-clickhouse`
        call: String,
    },
    Failed(Error),
}

impl From<Error> for ApiError {
    fn from(e: Error) -> Self {
        ApiError::Failed(e)
    }
}

/// Jawn's refusal body: `{"error": …, "trace": …}`.
#[derive(Deserialize)]
struct Refusal {
    #[serde(default)]
    error: Option<serde_json::Value>,
}

/// An answer with a success status.
pub struct Answer {
    pub status: u16,
    pub body: Vec<u8>,
}

/// A REST client bound to one key and host.
pub struct Api {
    pub target: Target,
    client: Client,
    creds: Credentials,
}

impl Api {
    pub fn new(target: Target, timeout: Duration, env: Env<'_>) -> Result<Api> {
        let client = Client::new(
            NetOptions {
                timeout,
                ..NetOptions::default()
            },
            ProxyConfig::from_env(env),
        )?;
        let creds = Credentials {
            helicone: Some(target.key.clone()),
            keys: Vec::new(),
        };
        Ok(Api {
            target,
            client,
            creds,
        })
    }

    /// "Helicone's REST API (https://api.helicone.ai)"
    pub fn peer(&self) -> String {
        format!("Helicone's REST API ({})", self.target.api_base)
    }

    /// A request to `url`, the key as `Authorization: Bearer`.
    pub fn request(method: &'static str, url: String, body: Option<String>) -> PreparedRequest {
        let mut headers = vec![
            Header {
                name: "Authorization".to_string(),
                value: HeaderValue::Key {
                    role: SecretRole::Helicone,
                    prefix: "Bearer ",
                },
            },
            Header {
                name: "Accept".to_string(),
                value: HeaderValue::Plain("application/json".to_string()),
            },
        ];
        if body.is_some() {
            headers.push(Header {
                name: "Content-Type".to_string(),
                value: HeaderValue::Plain("application/json".to_string()),
            });
        }
        // A user and password in a self-hosted base are sent, never shown.
        let (url, userinfo) = request::split_userinfo(&url);
        PreparedRequest {
            method,
            url,
            userinfo,
            headers,
            body: body.unwrap_or_default(),
        }
    }

    /// The credentials a request from [`Api::request`] is sent with.
    pub fn credentials(&self) -> &Credentials {
        &self.creds
    }

    /// Send; a refusal of the key becomes [`ApiError`], any other failure
    /// status an [`Error::Api`] with Helicone's own words.
    async fn call(
        &self,
        method: &'static str,
        path: &str,
        body: Option<String>,
    ) -> Result<Answer, ApiError> {
        let url = format!("{}{path}", self.target.api_base);
        let req = Api::request(method, url, body);
        let answer = self.client.send_full(&req, &self.creds).await?;
        let call = format!("{method} {}", path.split('?').next().unwrap_or(path));
        self.judge(&self.peer(), &call, answer.status, &answer.body)?;
        Ok(Answer {
            status: answer.status,
            body: answer.body,
        })
    }

    /// Send a prepared request to another Helicone host (the custom-logging
    /// worker) with the same key.
    pub async fn send(&self, req: &PreparedRequest) -> Result<crate::transport::Exchange> {
        self.client.send_full(req, &self.creds).await
    }

    /// A 2xx passes; 401 and 403 are the key's fault (unknown, or lacking a
    /// permission); anything else is Helicone's failure, in its own words.
    pub fn judge(&self, peer: &str, call: &str, status: u16, body: &[u8]) -> Result<(), ApiError> {
        if (200..300).contains(&status) {
            return Ok(());
        }
        let method = call.split(' ').next().unwrap_or("POST");
        let refusal = serde_json::from_slice::<Refusal>(body).ok();
        let reason = refusal.as_ref().and_then(|r| match &r.error {
            None | Some(serde_json::Value::Null) => None,
            Some(serde_json::Value::String(s)) if s.trim().is_empty() => None,
            Some(serde_json::Value::String(s)) => Some(s.clone()),
            Some(other) => Some(other.to_string()),
        });
        match status {
            403 => Err(ApiError::NoPermission {
                needs: Permission::of(method),
                status,
                call: call.to_string(),
            }),
            // Jawn's permission refusal carries no reason; an unknown key's does.
            401 if refusal.is_some() && reason.is_none() => Err(ApiError::NoPermission {
                needs: Permission::of(method),
                status,
                call: call.to_string(),
            }),
            401 => {
                let detail = reason.unwrap_or_else(|| exchange::excerpt(body));
                Err(ApiError::Failed(Error::Api {
                    provider: peer.to_string(),
                    status,
                    message: self.target.unknown_key_message(&detail),
                }))
            }
            _ => {
                let detail = serde_json::from_slice::<Envelope<serde_json::Value>>(body)
                    .ok()
                    .and_then(|e| e.error_text())
                    .unwrap_or_else(|| exchange::excerpt(body));
                Err(ApiError::Failed(Error::Api {
                    provider: peer.to_string(),
                    status,
                    message: format!("{call} failed: {detail}"),
                }))
            }
        }
    }

    /// An [`ApiError`] as an [`Error`], the permission named.
    pub fn explain(&self, e: ApiError) -> Error {
        match e {
            ApiError::Failed(e) => e,
            ApiError::NoPermission {
                needs,
                status,
                call,
            } => Error::Api {
                provider: self.peer(),
                status,
                message: self.target.no_permission_message(needs, &call),
            },
        }
    }

    /// The requests Helicone holds among `ids`, in queries of
    /// [`QUERY_CHUNK`] ids (needs write permission: it is a POST). `since`
    /// (RFC 3339) bounds the creation time, which lets Helicone's ClickHouse
    /// skip everything older.
    pub async fn query_ids(
        &self,
        ids: &[String],
        since: Option<&str>,
    ) -> Result<Vec<HeliconeRequest>, ApiError> {
        let mut found = Vec::new();
        for chunk in ids.chunks(QUERY_CHUNK) {
            let Some(mut filter) = Filter::any_request_id(chunk) else {
                continue;
            };
            if let Some(t) = since {
                filter = filter.and(Filter::Leaf(filter::Leaf::CreatedSince(t.to_string())));
            }
            let body = serde_json::to_string(&Query {
                filter: &filter,
                offset: 0,
                limit: chunk.len() as u32,
                sort: Sort::NEWEST_FIRST,
            })
            .map_err(|e| Error::Protocol(format!("cannot build the query: {e}")))?;
            let answer = self
                .call("POST", "/v1/request/query-clickhouse", Some(body))
                .await?;
            let env: Envelope<Vec<HeliconeRequest>> = self.parse(&answer.body)?;
            if let Some(e) = env.error_text() {
                return Err(ApiError::Failed(Error::Api {
                    provider: self.peer(),
                    status: answer.status,
                    message: format!("the request query failed: {e}"),
                }));
            }
            found.extend(env.data.unwrap_or_default());
        }
        Ok(found)
    }

    /// One request by id, or `None` when Helicone does not have it (needs
    /// read permission).
    pub async fn get_request(&self, id: &str) -> Result<Option<HeliconeRequest>, ApiError> {
        let answer = self
            .call("GET", &format!("/v1/request/{}", path_segment(id)), None)
            .await?;
        let env: Envelope<HeliconeRequest> = self.parse(&answer.body)?;
        Ok(env.data)
    }

    /// `POST /v1/request/{id}/feedback` with `{"rating": bool}`.
    pub async fn feedback(&self, id: &str, good: bool) -> Result<(), ApiError> {
        let body = serde_json::json!({ "rating": good }).to_string();
        let path = format!("/v1/request/{}/feedback", path_segment(id));
        self.call("POST", &path, Some(body)).await.map(|_| ())
    }

    /// `POST /v1/request/{id}/score` with `{"scores": {NAME: int|bool}}`.
    pub async fn score(&self, id: &str, scores: &Scores) -> Result<(), ApiError> {
        let body = serde_json::json!({ "scores": scores }).to_string();
        let path = format!("/v1/request/{}/score", path_segment(id));
        self.call("POST", &path, Some(body)).await.map(|_| ())
    }

    fn parse<T: serde::de::DeserializeOwned>(&self, body: &[u8]) -> Result<T, ApiError> {
        serde_json::from_slice(body).map_err(|e| {
            ApiError::Failed(Error::Protocol(format!(
                "{} answered something hcl cannot read ({e}): {}",
                self.peer(),
                exchange::excerpt(body)
            )))
        })
    }
}

/// Score values Helicone accepts: integers and booleans.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(untagged)]
pub enum ScoreValue {
    Int(i64),
    Bool(bool),
}

pub type Scores = std::collections::BTreeMap<String, ScoreValue>;

/// An id as one path segment: Helicone ids are UUIDs, but a logged id is
/// data, and never splits the path.
fn path_segment(id: &str) -> String {
    id.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b == b'-' {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

/// Whether a record went through Helicone: it carries Helicone headers
/// (`--direct` sends none).
pub fn via_helicone(r: &Record) -> bool {
    r.request.headers.0.iter().any(|(n, _)| {
        n.get(..9)
            .is_some_and(|p| p.eq_ignore_ascii_case("helicone-"))
    })
}

/// The id Helicone knows a record by: the `Helicone-Id` it answered, else
/// the `Helicone-Request-Id` sent, else the record's own id (which is what
/// hcl sends, and what a push uses).
pub fn request_id(r: &Record) -> String {
    if let Some(id) = r.helicone.id.as_deref().filter(|s| !s.is_empty()) {
        return id.to_string();
    }
    r.request
        .headers
        .0
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case("helicone-request-id"))
        .map(|(_, v)| v.clone())
        .filter(|v| !v.is_empty())
        .unwrap_or_else(|| r.id.clone())
}

/// Whether `key` looks like a Helicone key; warns otherwise.
pub fn warn_if_unlike(target: &Target, printer: &crate::output::Printer) {
    if !secrets::looks_like_helicone_key(target.key.secret.expose()) {
        printer.warn(&format!(
            "the Helicone key ({}) does not look like a Helicone key (sk-helicone-…)",
            target.key.source.label()
        ));
    }
}

/// `--timeout` in seconds, else [`DEFAULT_TIMEOUT`].
pub fn timeout(secs: Option<f64>) -> Result<Duration> {
    settings::positive_secs("--timeout", secs, DEFAULT_TIMEOUT)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::secrets::{KeySource, Secret};

    fn target(key: &str, base: &str, source: BaseSource) -> Target {
        Target {
            api_base: base.to_string(),
            source,
            key: FoundKey {
                secret: Secret::new(key),
                source: KeySource::Env("HELICONE_API_KEY".into()),
            },
        }
    }

    #[test]
    fn refusals_are_told_apart() {
        let t = target(
            "sk-helicone-TEST001-AAAAAAA-BBBBBBB-CCCCCCC",
            REST_API_US,
            BaseSource::KeyRegion,
        );
        let api = Api::new(t, DEFAULT_TIMEOUT, &|_| None).unwrap();
        let peer = api.peer();
        let no_perm = api.judge(
            &peer,
            "POST /v1/request/query-clickhouse",
            401,
            br#"{"error":null,"trace":"isAuthenticated.error"}"#,
        );
        assert!(matches!(
            no_perm,
            Err(ApiError::NoPermission {
                needs: Permission::Write,
                ..
            })
        ));
        let old = api.judge(&peer, "GET /v1/request/x", 403, b"{}");
        assert!(matches!(
            old,
            Err(ApiError::NoPermission {
                needs: Permission::Read,
                ..
            })
        ));
        let Err(ApiError::Failed(e)) = api.judge(
            &peer,
            "GET /v1/request/x",
            401,
            br#"{"error":"Invalid API key","trace":"isAuthenticated.error"}"#,
        ) else {
            panic!("an unknown key is no permission problem")
        };
        assert_eq!(e.exit_status().code(), 5);
        let text = e.to_string();
        assert!(text.contains("does not know") && text.contains("Invalid API key"));
        assert!(!text.contains("sk-helicone-TEST001"), "{text}");
        let Err(ApiError::Failed(e)) =
            api.judge(&peer, "POST /x", 500, br#"{"data":null,"error":"boom"}"#)
        else {
            panic!()
        };
        assert_eq!(e.exit_status().code(), 1);
        assert!(e.to_string().contains("boom"));
    }

    #[test]
    fn region_hints() {
        let eu = "sk-helicone-eu-TEST001-AAAAAAA-BBBBBBB-CCCCCCC";
        let us = "sk-helicone-TEST001-AAAAAAA-BBBBBBB-CCCCCCC";
        let hint = target(eu, "http://127.0.0.1:9", BaseSource::Env)
            .region_hint()
            .unwrap();
        assert!(hint.contains("EU key") && hint.contains("HCL_HELICONE_API_BASE"));
        assert!(hint.contains(REST_API_EU));
        assert!(
            target(eu, REST_API_EU, BaseSource::KeyRegion)
                .region_hint()
                .is_none()
        );
        assert!(
            target(us, REST_API_US, BaseSource::KeyRegion)
                .region_hint()
                .is_none()
        );
        let hint = target(us, REST_API_EU, BaseSource::Config)
            .region_hint()
            .unwrap();
        assert!(hint.contains("not an EU key"), "{hint}");
    }

    #[test]
    fn the_log_base_never_defaults_past_a_self_hosted_helicone() {
        let t = target(
            "sk-helicone-TEST001-AAAAAAA-BBBBBBB-CCCCCCC",
            "https://helicone.internal.example",
            BaseSource::Env,
        );
        let config = Config::default();
        let e = t.log_base(&|_| None, &config).unwrap_err().to_string();
        assert!(e.contains("HCL_HELICONE_LOG_BASE"), "{e}");
        let env =
            |k: &str| (k == "HCL_HELICONE_LOG_BASE").then(|| "http://127.0.0.1:1".to_string());
        assert_eq!(t.log_base(&env, &config).unwrap(), "http://127.0.0.1:1");
        let t = target(
            "sk-helicone-TEST001-AAAAAAA-BBBBBBB-CCCCCCC",
            REST_API_US,
            BaseSource::KeyRegion,
        );
        assert_eq!(t.log_base(&|_| None, &config).unwrap(), LOG_API);
    }

    #[test]
    fn ids_stay_one_path_segment() {
        assert_eq!(path_segment("0b9ad8a6-4c38"), "0b9ad8a6-4c38");
        assert_eq!(path_segment("a/b?c"), "a%2Fb%3Fc");
    }
}
