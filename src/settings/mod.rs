//! Parse, resolve, run: this is the resolve step. Flags, environment, the
//! config file and the keyring become validated domain values; commands see
//! nothing else.
//!
//! Resolving is a fixed series of named steps, each a small function:
//! provider and format, model, route and base URL ([`route`]), keys
//! ([`keys`]), Helicone options ([`options`]), generation settings, network
//! and log. `hcl chat`, every batch line, the interactive mode and replay go
//! through the same steps (replay takes keys, base URL and network), so each
//! check is written once. A [`Resolver`] remembers what depends only on where
//! a request goes (the [`Target`]), so a batch of ten thousand lines to one
//! provider reads its keys and checks its route once.
//!
//! Precedence: a key comes from the environment, then the OS keyring, then
//! the config file; a base URL from `--base-url`, then
//! `HCL_BASE_URL_<PROVIDER>`, then the config file, then the provider table;
//! a route parameter from its flag, its environment variables, the config
//! file, then its default.

mod config;
mod generation;
mod keys;
mod missing;
mod options;
mod route;
mod template;

use std::collections::{HashMap, HashSet};
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use crate::cli::RequestArgs;
use crate::conversation::TurnId;
use crate::error::{Error, Result};
use crate::helicone::HeliconeOptions;
use crate::keystore::{self, KeyStore};
use crate::log;
use crate::provider::Provider;
use crate::request::{self, Credentials, Route};
use crate::schema::Schema;
use crate::transport::{NetOptions, ProxyConfig};
use crate::wire::{self, ChatInput, Completion, WireFormat};

pub use config::{Config, Generation, ProviderConfig, config_path, load_config, parse_config};
pub use keys::{
    HELICONE_KEY_NAME, HELICONE_KEY_VAR, Keys, MISSING_HELICONE_KEY, RowKeys, helicone_key,
    missing_key_message, profile_key, provider_key, row_keys_of,
};
pub use missing::Missing;
pub use route::{
    Source, base_url, base_url_source_text, model_provider, param_value, select_model, split_model,
};
pub use template::{
    Template, load as load_template, parse as parse_template, template_path, templates_dir,
    write_private,
};

/// Reads one environment variable. Passed around instead of calling
/// `std::env` directly so resolution is testable.
pub type Env<'a> = &'a dyn Fn(&str) -> Option<String>;

/// Where a request goes and how: everything that depends on the provider,
/// the model and the routing and network flags, but not on the prompt.
#[derive(Debug)]
pub struct Target {
    pub provider: &'static Provider,
    pub format: WireFormat,
    pub model: String,
    pub route: Route,
    pub creds: Credentials,
    pub net: NetOptions,
    pub proxy: ProxyConfig,
    /// `None` with `--no-log`.
    pub log_path: Option<PathBuf>,
}

/// A fully resolved request: everything `chat` needs, validated.
#[derive(Debug)]
pub struct RequestSettings {
    pub target: Arc<Target>,
    pub input: ChatInput,
    pub stream: bool,
    pub helicone: HeliconeOptions,
    pub extra_headers: Vec<(String, String)>,
    /// The id of the log record; also the default `Helicone-Request-Id`.
    pub record_id: String,
    /// Warnings not said before by the same resolver.
    pub warnings: Vec<String>,
    /// The conversation turn this request is, for its log record.
    pub conversation: Option<TurnId>,
    /// `--schema`: what the answer must meet.
    pub schema: Option<Arc<Schema>>,
    /// The files this request attaches, for its log record (the caller that
    /// read them sets it).
    pub files: Vec<log::AttachedFile>,
}

impl RequestSettings {
    pub fn spec(&self) -> request::Spec<'_> {
        let t = &*self.target;
        request::Spec {
            provider: t.provider,
            format: t.format,
            model: &t.model,
            input: &self.input,
            stream: self.stream,
            route: &t.route,
            helicone: (!t.route.direct).then_some(&self.helicone),
            extra_headers: &self.extra_headers,
            creds: &t.creds,
        }
    }

    pub fn prepare(&self) -> request::PreparedRequest {
        request::prepare(&self.spec())
    }

    /// For a request that asked for JSON (`--json-object`, `--schema`):
    /// put the answer in the text (Anthropic gives it as a tool's input)
    /// and check it, naming the first place it fails the schema.
    pub fn check_answer(&self, c: &mut Completion) -> Result<(), String> {
        let Some(response) = &self.input.response else {
            return Ok(());
        };
        wire::take_structured_answer(self.target.format, response, c);
        match &self.schema {
            Some(schema) => schema.check(&c.text),
            None => crate::schema::check_object(&c.text),
        }
    }
}

/// Inputs to [`resolve`] beyond the flags.
pub struct ResolveContext<'a> {
    pub env: Env<'a>,
    pub config: &'a Config,
    pub input: ChatInput,
    pub stream: bool,
    /// `--dry-run` / `--curl`: missing keys are shown, not fatal.
    pub offline: bool,
}

/// Resolve one request.
pub fn resolve(args: &RequestArgs, ctx: ResolveContext<'_>) -> Result<RequestSettings> {
    let keyring = keystore::for_env(ctx.env);
    resolve_with_keyring(args, ctx, keyring)
}

/// [`resolve`] with the keyring given (tests use a map).
pub fn resolve_with_keyring(
    args: &RequestArgs,
    ctx: ResolveContext<'_>,
    keyring: &dyn KeyStore,
) -> Result<RequestSettings> {
    Resolver::with_keyring(ctx.env, ctx.config, keyring, ctx.offline)
        .resolve(args, ctx.input, ctx.stream)
}

/// Resolves many requests of one run (a batch, a conversation), sharing key
/// lookups and targets and saying each warning once.
pub struct Resolver<'a> {
    env: Env<'a>,
    config: &'a Config,
    keys: Keys<'a>,
    offline: bool,
    targets: HashMap<TargetKey, Arc<Target>>,
    schemas: generation::Schemas,
    said: HashSet<String>,
}

/// The flags a [`Target`] depends on.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
struct TargetKey {
    provider: Option<String>,
    model: Option<String>,
    route: [Option<String>; 3],
    direct: bool,
    no_log: bool,
    timeouts: [Option<u64>; 3],
    cacert: Option<PathBuf>,
}

impl TargetKey {
    fn of(a: &RequestArgs) -> Self {
        TargetKey {
            provider: a.provider.clone(),
            model: a.model.clone(),
            route: [
                a.base_url.clone(),
                a.target_url.clone(),
                a.format.map(|f| format!("{f:?}")),
            ],
            direct: a.direct,
            no_log: a.no_log,
            timeouts: [a.connect_timeout, a.timeout, a.idle_timeout].map(|t| t.map(f64::to_bits)),
            cacert: a.cacert.clone(),
        }
    }
}

/// A batch names few distinct targets; past this many, forget them all.
const MAX_TARGETS: usize = 256;

impl<'a> Resolver<'a> {
    pub fn new(env: Env<'a>, config: &'a Config, offline: bool) -> Self {
        Self::with_keyring(env, config, keystore::for_env(env), offline)
    }

    pub fn with_keyring(
        env: Env<'a>,
        config: &'a Config,
        keyring: &'a dyn KeyStore,
        offline: bool,
    ) -> Self {
        Resolver {
            env,
            config,
            keys: Keys::new(env, config, keyring),
            offline,
            targets: HashMap::new(),
            schemas: generation::Schemas::default(),
            said: HashSet::new(),
        }
    }

    /// Every step, for one request.
    pub fn resolve(
        &mut self,
        args: &RequestArgs,
        input: ChatInput,
        stream: bool,
    ) -> Result<RequestSettings> {
        let mut warnings = Vec::new();
        let target = self.target(args, &mut warnings)?;
        let record_id = uuid::Uuid::new_v4().to_string();
        let helicone = options::helicone(args, self.config, &record_id, &mut warnings)?;
        let extra_headers = options::extra_headers(args)?;
        let (input, schema) =
            generation::resolve(args, input, self.config, &target, stream, &mut self.schemas)?;
        attachments(&target, &input)?;
        warnings.retain(|w| self.said.insert(w.clone()));
        Ok(RequestSettings {
            target,
            input,
            stream,
            helicone,
            extra_headers,
            record_id,
            warnings,
            conversation: None,
            schema,
            files: Vec::new(),
        })
    }

    /// The target of `args`, resolved once per distinct set of flags.
    pub fn target(
        &mut self,
        args: &RequestArgs,
        warnings: &mut Vec<String>,
    ) -> Result<Arc<Target>> {
        let key = TargetKey::of(args);
        if let Some(t) = self.targets.get(&key) {
            return Ok(Arc::clone(t));
        }
        let mut missing = Missing::default();
        let keys = &mut self.keys;
        let picked = route::target(
            args,
            self.env,
            self.config,
            &mut |row| keys.provider(row).is_some(),
            warnings,
            &mut missing,
        )?;
        let provider = picked.provider;
        let model = route::model(self.config, &picked, &mut missing);
        if let (Some(format), Some(model)) = (picked.format, &model) {
            format.check_model(model).map_err(|why| {
                Error::usage(format!(
                    "-P {} cannot send to this model: {why}",
                    provider.name
                ))
            })?;
        }
        let route = route::route(
            args,
            self.env,
            self.config,
            provider,
            warnings,
            &mut missing,
        )?;
        let creds =
            self.keys
                .credentials(provider, args.direct, self.offline, warnings, &mut missing);
        missing.check(provider, &mut |p| self.keys.source_of(p))?;
        let (Some(format), Some(model), Some(route)) = (picked.format, model, route) else {
            return Err(Error::usage(format!(
                "-P {} is not fully configured",
                provider.name
            )));
        };
        let target = Arc::new(Target {
            provider,
            format,
            model,
            route,
            creds,
            net: network(args)?,
            proxy: ProxyConfig::from_env(self.env),
            log_path: log_path(args, self.env)?,
        });
        if self.targets.len() >= MAX_TARGETS {
            self.targets.clear();
        }
        self.targets.insert(key, Arc::clone(&target));
        Ok(target)
    }
}

/// Where a row's model list is asked for: its format, route (base URL,
/// parameters, upstream) and provider key, resolved by the same steps as a
/// request.
#[derive(Debug)]
pub struct ListTarget {
    pub provider: &'static Provider,
    pub format: WireFormat,
    pub route: Route,
    pub creds: Credentials,
    pub proxy: ProxyConfig,
}

impl Resolver<'_> {
    /// The list target of `row`, or one error naming what it lacks (its
    /// key, a route parameter). No Helicone key is needed: list calls are
    /// not logged by Helicone.
    pub fn list_target(&mut self, row: &'static Provider) -> Result<ListTarget> {
        let args = RequestArgs {
            provider: Some(row.name.to_string()),
            ..Default::default()
        };
        let mut warnings = Vec::new();
        let mut missing = Missing::default();
        let picked = route::target(
            &args,
            self.env,
            self.config,
            &mut |_| true,
            &mut warnings,
            &mut missing,
        )?;
        let route = route::route(
            &args,
            self.env,
            self.config,
            row,
            &mut warnings,
            &mut missing,
        )?;
        let creds = self
            .keys
            .credentials(row, true, false, &mut warnings, &mut missing);
        missing.check(row, &mut |p| self.keys.source_of(p))?;
        let (Some(format), Some(route)) = (picked.format, route) else {
            return Err(Error::usage(format!(
                "-P {} is not fully configured",
                row.name
            )));
        };
        Ok(ListTarget {
            provider: row,
            format,
            route,
            creds,
            proxy: ProxyConfig::from_env(self.env),
        })
    }

    /// Whether a key for `row` is found (env, keyring, config).
    pub fn has_key(&mut self, row: &'static Provider) -> bool {
        self.keys.provider(row).is_some()
    }
}

/// Attachments: every image and PDF of the request (the history's too, when
/// a conversation moves to another provider) of a type and size the target
/// takes, before anything is sent.
fn attachments(target: &Target, input: &ChatInput) -> Result<()> {
    if input.messages.iter().all(|m| m.attachments.is_empty()) {
        return Ok(());
    }
    let who = target.provider.name;
    target
        .provider
        .attachment_limits(target.format)
        .check(who, input)
        .map_err(Error::usage)
}

/// Timeouts and an extra CA.
fn network(args: &RequestArgs) -> Result<NetOptions> {
    let net = NetOptions {
        connect_timeout: positive_secs(
            "--connect-timeout",
            args.connect_timeout,
            crate::transport::DEFAULT_CONNECT_TIMEOUT,
        )?,
        timeout: positive_secs("--timeout", args.timeout, crate::transport::DEFAULT_TIMEOUT)?,
        idle_timeout: positive_secs(
            "--idle-timeout",
            args.idle_timeout,
            crate::transport::DEFAULT_IDLE_TIMEOUT,
        )?,
        cacert: args.cacert.clone(),
    };
    if let Some(path) = &net.cacert
        && !path.is_file()
    {
        return Err(Error::usage(format!(
            "--cacert {} is not a readable file",
            path.display()
        )));
    }
    Ok(net)
}

/// The request log, unless `--no-log`.
fn log_path(args: &RequestArgs, env: Env<'_>) -> Result<Option<PathBuf>> {
    if args.no_log {
        Ok(None)
    } else {
        log::default_path(env).map(Some)
    }
}

/// Validate a base URL: scheme and host, optional path prefix, no query.
pub fn check_base_url(what: &str, raw: &str) -> Result<String> {
    // Messages never show a password the URL holds.
    let shown = crate::request::redact_url(raw.trim());
    let url = reqwest::Url::parse(raw.trim()).map_err(|e| {
        Error::usage(format!(
            "{what} '{shown}' is not a URL ({e}); give scheme and host, e.g. https://oai.helicone.ai"
        ))
    })?;
    if !matches!(url.scheme(), "http" | "https") || url.host_str().is_none() {
        return Err(Error::usage(format!(
            "{what} '{shown}' must be an http:// or https:// URL with a host"
        )));
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err(Error::usage(format!(
            "{what} '{shown}' must not have a query or fragment; the API path is appended to it"
        )));
    }
    Ok(url.as_str().trim_end_matches('/').to_string())
}

pub fn positive_secs(flag: &str, v: Option<f64>, default: Duration) -> Result<Duration> {
    match v {
        None => Ok(default),
        Some(s) if s.is_finite() && s > 0.0 && s < 1e9 => Ok(Duration::from_secs_f64(s)),
        Some(s) => Err(Error::usage(format!(
            "{flag} {s} is not a positive number of seconds"
        ))),
    }
}

fn env_nonempty(env: Env<'_>, name: &str) -> Option<String> {
    env(name).filter(|v| !v.trim().is_empty())
}

/// A fixed environment for tests of anything that takes an [`Env`].
#[cfg(test)]
pub fn env_of(pairs: &'static [(&'static str, &'static str)]) -> impl Fn(&str) -> Option<String> {
    move |k: &str| {
        pairs
            .iter()
            .find(|(n, _)| *n == k)
            .map(|(_, v)| v.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_url_precedence() {
        let config: Config = toml::from_str(
            "[providers.openai]\nbase_url = \"http://from-config\"\n[providers.ai-gateway]\nbase_url = \"http://gw-config/prefix/\"\n",
        )
        .unwrap();
        type Vars = &'static [(&'static str, &'static str)];
        // (--provider, --base-url, env, expected base)
        let cases: &[(Option<&str>, Option<&str>, Vars, &str)] = &[
            (
                None,
                Some("http://flag"),
                &[("HCL_BASE_URL_OPENAI", "http://env")],
                "http://flag",
            ),
            (
                None,
                None,
                &[("HCL_BASE_URL_OPENAI", "http://env")],
                "http://env",
            ),
            (
                None,
                None,
                &[("HCL_BASE_URL_OPENAI", "")],
                "http://from-config",
            ),
            (
                None,
                None,
                &[("HCL_BASE_URL_GROQ", "http://groq-env")],
                "http://from-config",
            ),
            (None, None, &[], "http://from-config"),
            (
                Some("groq"),
                None,
                &[("HCL_BASE_URL_GROQ", "http://groq-env/")],
                "http://groq-env",
            ),
            (Some("groq"), None, &[], "https://groq.helicone.ai"),
            (
                Some("ai-gateway"),
                None,
                &[("HCL_BASE_URL_AI_GATEWAY", "http://gw-env/x")],
                "http://gw-env/x",
            ),
            (Some("ai-gateway"), None, &[], "http://gw-config/prefix"),
        ];
        for (provider, flag, pairs, want) in cases {
            let env = env_of(pairs);
            let args = RequestArgs {
                provider: provider.map(str::to_string),
                base_url: flag.map(str::to_string),
                ..Default::default()
            };
            let s = resolve(
                &args,
                ResolveContext {
                    env: &env,
                    config: &config,
                    input: ChatInput::default(),
                    stream: false,
                    offline: true,
                },
            )
            .unwrap();
            assert_eq!(s.target.route.base, *want);
        }
        let env = env_of(&[]);
        let s = resolve(
            &RequestArgs::default(),
            ResolveContext {
                env: &env,
                config: &Config::default(),
                input: ChatInput::default(),
                stream: false,
                offline: true,
            },
        )
        .unwrap();
        assert_eq!(s.target.route.base, "https://oai.helicone.ai");
    }

    #[test]
    fn key_precedence_env_then_keyring_then_config() {
        use crate::secrets::KeySource;
        use crate::secrets::tests::MapStore;
        let config: Config = toml::from_str(
            "[helicone]\napi_key = \"cfg-helicone\"\n[providers.openai]\napi_key = \"cfg-openai\"\n",
        )
        .unwrap();
        let empty = Config::default();
        type Vars = &'static [(&'static str, &'static str)];
        type Ring = &'static [(&'static str, &'static str)];
        type Want = (&'static str, KeySource);
        // (env, keyring, config, expected openai key and source, expected helicone key and source)
        let cases: &[(Vars, Ring, &Config, Want, Want)] = &[
            (
                &[
                    ("OPENAI_API_KEY", "env-openai"),
                    ("HELICONE_API_KEY", "env-helicone"),
                ],
                &[("openai", "ring-openai"), ("helicone", "ring-helicone")],
                &config,
                ("env-openai", KeySource::Env("OPENAI_API_KEY".into())),
                ("env-helicone", KeySource::Env("HELICONE_API_KEY".into())),
            ),
            (
                &[("OPENAI_API_KEY", "env-openai")],
                &[("openai", "ring-openai"), ("helicone", "ring-helicone")],
                &config,
                ("env-openai", KeySource::Env("OPENAI_API_KEY".into())),
                ("ring-helicone", KeySource::Keyring),
            ),
            (
                &[],
                &[("openai", "ring-openai")],
                &config,
                ("ring-openai", KeySource::Keyring),
                ("cfg-helicone", KeySource::Config),
            ),
            (
                &[("OPENAI_API_KEY", " ")],
                &[],
                &config,
                ("cfg-openai", KeySource::Config),
                ("cfg-helicone", KeySource::Config),
            ),
            (
                &[],
                &[("openai", "ring-openai"), ("helicone", "ring-helicone")],
                &empty,
                ("ring-openai", KeySource::Keyring),
                ("ring-helicone", KeySource::Keyring),
            ),
        ];
        for (i, (vars, ring, config, want_openai, want_helicone)) in cases.iter().enumerate() {
            let env = env_of(vars);
            let s = resolve_with_keyring(
                &RequestArgs::default(),
                ResolveContext {
                    env: &env,
                    config,
                    input: ChatInput::default(),
                    stream: false,
                    offline: false,
                },
                &MapStore(ring),
            )
            .unwrap();
            let p = s.target.creds.provider().cloned().unwrap();
            assert_eq!(
                (p.secret.expose(), p.source),
                (want_openai.0, want_openai.1.clone()),
                "case {i}"
            );
            let h = s.target.creds.helicone.clone().unwrap();
            assert_eq!(
                (h.secret.expose(), h.source),
                (want_helicone.0, want_helicone.1.clone()),
                "case {i}"
            );
        }
        // Nothing anywhere: the error says how to give a key, keyring included.
        let env = env_of(&[("HELICONE_API_KEY", "h")]);
        let err = resolve_with_keyring(
            &RequestArgs::default(),
            ResolveContext {
                env: &env,
                config: &empty,
                input: ChatInput::default(),
                stream: false,
                offline: false,
            },
            &MapStore(&[("anthropic", "wrong-name")]),
        )
        .unwrap_err()
        .to_string();
        assert!(err.contains("hcl auth set openai"), "{err}");
    }

    #[test]
    fn gateway_route_and_format_from_the_config_file() {
        let env = env_of(&[]);
        let resolve_with = |toml_text: &str| {
            let config: Config = toml::from_str(toml_text).unwrap();
            let args = RequestArgs {
                provider: Some("gateway".into()),
                ..Default::default()
            };
            resolve(
                &args,
                ResolveContext {
                    env: &env,
                    config: &config,
                    input: ChatInput::default(),
                    stream: false,
                    offline: true,
                },
            )
        };
        let s = resolve_with(
            "[providers.gateway]\ntarget_url = \"https://api.anthropic.com\"\nformat = \"Anthropic\"\n",
        )
        .unwrap();
        assert_eq!(s.target.format, WireFormat::Anthropic);
        assert_eq!(
            s.target.route.upstream.as_deref(),
            Some("https://api.anthropic.com")
        );
        let err = resolve_with(
            "[providers.gateway]\ntarget_url = \"https://x.example\"\nformat = \"soap\"\n",
        )
        .unwrap_err()
        .to_string();
        assert!(err.contains("'soap'"), "{err}");
    }

    #[test]
    fn malformed_config_names_line_and_column() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("c.toml");
        std::fs::write(&path, "provider = \"openai\"\ncache = maybe\n").unwrap();
        let err = config::load_config_from(&path).unwrap_err().to_string();
        assert!(err.contains("line 2"), "{err}");
        std::fs::write(&path, "[providers.azure]\nendpoint = 1\n").unwrap();
        let err = config::load_config_from(&path).unwrap_err().to_string();
        assert!(err.contains("endpoint under [providers.azure]"), "{err}");
        std::fs::write(&path, "[providers.azure]\nlocation = \"x\"\n").unwrap();
        let err = config::load_config_from(&path).unwrap_err().to_string();
        assert!(
            err.contains("unknown key 'location'") && err.contains("api_version"),
            "{err}"
        );
        std::fs::write(&path, "[providers.opneai]\n").unwrap();
        let err = config::load_config_from(&path).unwrap_err().to_string();
        assert!(err.contains("[providers.opneai]"), "{err}");
        std::fs::write(&path, "providr = \"openai\"\n").unwrap();
        let err = config::load_config_from(&path).unwrap_err().to_string();
        assert!(err.contains("line 1") && err.contains("providr"), "{err}");
    }
}
