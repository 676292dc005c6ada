//! Parse, resolve, run: this is the resolve step. Flags, environment and the
//! config file become validated domain values; commands see nothing else.
//!
//! Precedence: a key comes from the environment, then the OS keyring, then
//! the config file; a base URL from `--base-url`, then `HCL_BASE_URL_<PROVIDER>`, then the config
//! file, then the provider table.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Duration;

use serde::{Deserialize, Serialize};

use crate::cli::{FormatArg, RequestArgs};
use crate::error::{Error, Result};
use crate::helicone::{self, HeliconeOptions, RetryOptions};
use crate::keystore::{self, KeyStore};
use crate::log;
use crate::provider::{self, Direct, Provider, Routing, WireFormat};
use crate::request::{self, Credentials, Route};
use crate::secrets::{self, FoundKey};
use crate::transport::{NetOptions, ProxyConfig};
use crate::wire::ChatInput;

/// Reads one environment variable. Passed around instead of calling
/// `std::env` directly so resolution is testable.
pub type Env<'a> = &'a dyn Fn(&str) -> Option<String>;

pub const DEFAULT_AZURE_API_VERSION: &str = "2024-10-21";

/// The config file (`HCL_CONFIG`, TOML).
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// Default provider.
    pub provider: Option<String>,
    /// Default model for the default provider.
    pub model: Option<String>,
    /// Default `Helicone-User-Id`.
    pub user: Option<String>,
    /// Enable Helicone's cache by default.
    pub cache: Option<bool>,
    pub cache_ttl: Option<u64>,
    pub cache_bucket: Option<u32>,
    /// Default `Helicone-Cache-Seed`.
    pub cache_seed: Option<String>,
    /// Properties sent with every request (flags override them).
    #[serde(default)]
    pub properties: BTreeMap<String, String>,
    #[serde(default)]
    pub helicone: HeliconeConfig,
    #[serde(default)]
    pub providers: BTreeMap<String, ProviderConfig>,
}

#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct HeliconeConfig {
    /// Allowed but discouraged: prefer HELICONE_API_KEY or the keyring.
    pub api_key: Option<String>,
    /// The REST API base for `hcl auth check` (self-hosted Helicone);
    /// `HCL_HELICONE_API_BASE` overrides it.
    pub api_base: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ProviderConfig {
    pub base_url: Option<String>,
    pub model: Option<String>,
    pub api_key: Option<String>,
    /// Azure: the resource origin.
    pub endpoint: Option<String>,
    /// Azure: the API version.
    pub api_version: Option<String>,
    /// Vertex: the project and location.
    pub project: Option<String>,
    pub location: Option<String>,
    /// gateway: the upstream origin and wire format.
    pub target_url: Option<String>,
    pub format: Option<String>,
}

impl Config {
    pub fn provider_config(&self, name: &str) -> Option<&ProviderConfig> {
        self.providers.get(name)
    }

    pub fn holds_keys(&self) -> bool {
        self.helicone.api_key.is_some() || self.providers.values().any(|p| p.api_key.is_some())
    }
}

/// `HCL_CONFIG`, else `<config dir>/hcl/config.toml`.
pub fn config_path(env: Env<'_>) -> Option<PathBuf> {
    env("HCL_CONFIG")
        .filter(|p| !p.is_empty())
        .map(PathBuf::from)
        .or_else(|| dirs::config_dir().map(|d| d.join("hcl").join("config.toml")))
}

/// Load the config file. A missing file is an empty config; a malformed one
/// is an error naming the line and column.
pub fn load_config(env: Env<'_>) -> Result<(Config, Vec<String>)> {
    let Some(path) = config_path(env) else {
        return Ok((Config::default(), Vec::new()));
    };
    load_config_from(&path)
}

pub fn load_config_from(path: &Path) -> Result<(Config, Vec<String>)> {
    let text = match std::fs::read_to_string(path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return Ok((Config::default(), Vec::new()));
        }
        Err(e) => {
            return Err(Error::usage(format!(
                "cannot read the config file {}: {e}",
                path.display()
            )));
        }
    };
    let config = parse_config(&text, path)?;
    let mut warnings = Vec::new();
    #[cfg(unix)]
    if config.holds_keys() {
        use std::os::unix::fs::PermissionsExt;
        if let Ok(meta) = std::fs::metadata(path)
            && meta.permissions().mode() & 0o077 != 0
        {
            warnings.push(format!(
                    "the config file {} holds API keys and can be read by other users; run: chmod 600 {}",
                    path.display(),
                    path.display()
                ));
        }
    }
    Ok((config, warnings))
}

/// Read the text of the config file at `path` (named in the error).
pub fn parse_config(text: &str, path: &Path) -> Result<Config> {
    toml::from_str(text).map_err(|e| {
        let at = e
            .span()
            .map(|span| {
                let before = &text[..span.start.min(text.len())];
                let line = before.matches('\n').count() + 1;
                let col = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
                format!(" at line {line}, column {col}")
            })
            .unwrap_or_default();
        Error::usage(format!(
            "the config file {} is malformed{at}: {}",
            path.display(),
            e.message()
        ))
    })
}

/// A fully resolved request: everything `chat` needs, validated.
#[derive(Debug)]
pub struct RequestSettings {
    pub provider: &'static Provider,
    pub format: WireFormat,
    pub model: String,
    pub input: ChatInput,
    pub stream: bool,
    pub route: Route,
    pub helicone: HeliconeOptions,
    pub extra_headers: Vec<(String, String)>,
    pub creds: Credentials,
    pub net: NetOptions,
    pub proxy: ProxyConfig,
    /// `None` with `--no-log`.
    pub log_path: Option<PathBuf>,
    /// The id of the log record; also the default `Helicone-Request-Id`.
    pub record_id: String,
    pub warnings: Vec<String>,
    /// The conversation turn this request is, for its log record.
    pub conversation: Option<crate::conversation::TurnId>,
}

impl RequestSettings {
    pub fn spec(&self) -> request::Spec<'_> {
        request::Spec {
            provider: self.provider,
            format: self.format,
            model: &self.model,
            input: &self.input,
            stream: self.stream,
            route: &self.route,
            helicone: (!self.route.direct).then_some(&self.helicone),
            extra_headers: &self.extra_headers,
        }
    }

    pub fn prepare(&self) -> request::PreparedRequest {
        request::prepare(&self.spec())
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

/// An origin for a routing header. Helicone keeps only the origin of
/// `Helicone-Target-Url` and `Helicone-OpenAI-Api-Base`, so a path would be
/// silently dropped: drop it here, and say so.
fn check_origin(what: &str, raw: &str, warnings: &mut Vec<String>) -> Result<String> {
    let url = reqwest::Url::parse(raw.trim()).map_err(|e| {
        Error::usage(format!(
            "{what} '{raw}' is not a URL ({e}); give an origin such as https://api.groq.com"
        ))
    })?;
    if !matches!(url.scheme(), "http" | "https") || url.host_str().is_none() {
        return Err(Error::usage(format!(
            "{what} '{raw}' must be an http:// or https:// origin"
        )));
    }
    let origin = url.origin().ascii_serialization();
    if url.path() != "/" || url.query().is_some() {
        warnings.push(format!(
            "{what} '{raw}' has a path; Helicone keeps only the origin, so hcl sends {origin}"
        ));
    }
    Ok(origin)
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

/// Inputs to [`resolve`] beyond the flags.
pub struct ResolveContext<'a> {
    pub env: Env<'a>,
    pub config: &'a Config,
    pub input: ChatInput,
    pub stream: bool,
    /// `--dry-run` / `--curl`: missing keys are shown, not fatal.
    pub offline: bool,
}

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
    let env = ctx.env;
    let config = ctx.config;
    let mut warnings = Vec::new();

    // Provider and wire format.
    let from_flag = args.provider.is_some();
    let name = args
        .provider
        .clone()
        .or_else(|| config.provider.clone())
        .unwrap_or_else(|| "openai".to_string());
    let provider = provider::find(&name).ok_or_else(|| {
        Error::usage(format!(
            "unknown provider '{name}' (from the config file); known: {}",
            provider::PROVIDERS
                .iter()
                .map(|p| p.name)
                .collect::<Vec<_>>()
                .join(", ")
        ))
    })?;
    let pconf = config
        .provider_config(provider.name)
        .cloned()
        .unwrap_or_default();
    let format = match (provider.format, args.format) {
        (Some(f), None) => f,
        (Some(f), Some(flag)) => {
            if format_from_arg(flag) != f {
                return Err(Error::usage(format!(
                    "--format applies to -P gateway only; {} speaks {}",
                    provider.name,
                    f.name()
                )));
            }
            f
        }
        (None, Some(flag)) => format_from_arg(flag),
        (None, None) => match pconf.format.as_deref() {
            Some(f) => parse_format(f)?,
            None => {
                return Err(Error::usage(format!(
                    "-P {} needs --format openai|anthropic|gemini to know the upstream's wire format",
                    provider.name
                )));
            }
        },
    };
    if args.target_url.is_some() && provider.routing != Routing::TargetUrlFlag {
        return Err(Error::usage(format!(
            "--target-url applies to -P gateway only; {} is routed by Helicone already",
            provider.name
        )));
    }

    // Model.
    let model = args
        .model
        .clone()
        .or_else(|| pconf.model.clone())
        .or_else(|| if from_flag { None } else { config.model.clone() })
        .or_else(|| provider.default_model_for(format).map(str::to_string))
        .ok_or_else(|| {
            Error::usage(format!(
                "-P {} needs --model (the deployment name), or `model` under [providers.{}] in the config file",
                provider.name, provider.name
            ))
        })?;
    if model.trim().is_empty() {
        return Err(Error::usage("--model is empty"));
    }

    // Route.
    let mut route = Route {
        direct: args.direct,
        ..Default::default()
    };
    match provider.routing {
        Routing::Host => {}
        Routing::TargetUrl(_) => route.upstream = request::fixed_upstream(provider, None),
        Routing::VertexTarget => {
            let project = env_nonempty(env, "VERTEX_PROJECT").or(pconf.project.clone());
            let location = env_nonempty(env, "VERTEX_LOCATION").or(pconf.location.clone());
            let (Some(project), Some(location)) = (project, location) else {
                return Err(Error::usage(
                    "-P vertex needs VERTEX_PROJECT and VERTEX_LOCATION (e.g. us-central1), or project and location under [providers.vertex] in the config file",
                ));
            };
            if !location
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-')
            {
                return Err(Error::usage(format!(
                    "VERTEX_LOCATION '{location}' is not a Google Cloud region such as us-central1"
                )));
            }
            route.upstream = request::fixed_upstream(provider, Some(&location));
            route.vertex_project = Some(project);
            route.vertex_location = Some(location);
        }
        Routing::TargetUrlFlag => {
            let raw = args.target_url.clone().or(pconf.target_url.clone()).ok_or_else(|| {
                Error::usage(format!(
                    "-P {} needs --target-url ORIGIN (the upstream, e.g. https://api.groq.com); Helicone answers 400 without it",
                    provider.name
                ))
            })?;
            route.upstream = Some(check_origin("--target-url", &raw, &mut warnings)?);
        }
        Routing::AzureApiBase => {
            let raw = env_nonempty(env, "AZURE_OPENAI_ENDPOINT")
                .or(pconf.endpoint.clone())
                .ok_or_else(|| {
                    Error::usage(
                        "-P azure needs AZURE_OPENAI_ENDPOINT (https://RESOURCE.openai.azure.com), or endpoint under [providers.azure] in the config file",
                    )
                })?;
            let origin = check_origin("AZURE_OPENAI_ENDPOINT", &raw, &mut warnings)?;
            if !is_approved_azure(&origin) {
                warnings.push(format!(
                    "Helicone only proxies to approved Azure hosts (*.openai.azure.com, *.azure-api.net, *.cognitiveservices.azure.com, *.services.ai.azure.com); {origin} will likely be refused with 'Invalid API base'"
                ));
            }
            route.upstream = Some(origin);
            route.api_version = Some(
                env_nonempty(env, "AZURE_OPENAI_API_VERSION")
                    .or(pconf.api_version.clone())
                    .unwrap_or_else(|| DEFAULT_AZURE_API_VERSION.to_string()),
            );
        }
    }
    route.base = if args.direct {
        match (&args.base_url, provider.direct) {
            (_, Direct::Unsupported) => {
                return Err(Error::usage(format!(
                    "--direct does not apply to -P {}: it is Helicone's own gateway",
                    provider.name
                )));
            }
            (Some(b), _) => check_base_url("--base-url", b)?,
            (None, Direct::Origin(o)) => o.to_string(),
            (None, Direct::FromRouting) => route.upstream.clone().ok_or_else(|| {
                Error::usage(format!(
                    "-P {} has no upstream origin for --direct",
                    provider.name
                ))
            })?,
        }
    } else {
        let var = format!("HCL_BASE_URL_{}", provider.env_suffix());
        match (&args.base_url, env_nonempty(env, &var), &pconf.base_url) {
            (Some(b), _, _) => check_base_url("--base-url", b)?,
            (None, Some(b), _) => check_base_url(&var, &b)?,
            (None, None, Some(b)) => {
                check_base_url(&format!("base_url under [providers.{}]", provider.name), b)?
            }
            (None, None, None) => provider.helicone_base.to_string(),
        }
    };

    // Keys.
    let provider_key = if provider.uses_provider_key() {
        let found = secrets::lookup(
            provider.name,
            provider.key_env,
            env,
            keyring,
            pconf.api_key.as_deref(),
        );
        if found.is_none() && !ctx.offline {
            return Err(Error::usage(missing_key_message(provider)));
        }
        found
    } else {
        None
    };
    let needs_helicone = !args.direct;
    let helicone_key = if needs_helicone {
        let found = helicone_key(env, config, keyring);
        match &found {
            None if !ctx.offline => {
                return Err(Error::usage(
                    "HELICONE_API_KEY is not set; without it Helicone forwards requests without logging or caching them. Set it (or run `hcl auth set helicone`, or api_key under [helicone] in the config file), or use --direct to bypass Helicone",
                ));
            }
            Some(k) if !secrets::looks_like_helicone_key(k.secret.expose()) => {
                warnings.push(format!(
                    "the Helicone key ({}) does not look like a Helicone key (sk-helicone-…); Helicone silently ignores unknown keys, so nothing would be logged or cached",
                    k.source.label()
                ));
            }
            _ => {}
        }
        found
    } else {
        None
    };
    if ctx.offline {
        if provider.uses_provider_key() && provider_key.is_none() {
            warnings.push(missing_key_message(provider));
        }
        if needs_helicone && helicone_key.is_none() {
            warnings.push("HELICONE_API_KEY is not set".to_string());
        }
    }
    let creds = Credentials {
        helicone: helicone_key,
        provider: provider_key,
    };

    // Helicone options.
    let record_id = uuid::Uuid::new_v4().to_string();
    let helicone = helicone_options(args, config, &record_id, &mut warnings)?;
    if args.direct && helicone_flags_given(args) {
        warnings.push(
            "Helicone options are ignored with --direct: nothing goes through Helicone".to_string(),
        );
    }
    let mut extra_headers = Vec::new();
    for h in &args.headers {
        extra_headers.push(helicone::parse_header(h)?);
    }

    // Generation parameters.
    if let Some(t) = args.temperature
        && (!t.is_finite() || t < 0.0)
    {
        return Err(Error::usage(format!(
            "--temperature {t} must be a number of 0 or more"
        )));
    }
    if args.max_tokens == Some(0) {
        return Err(Error::usage("--max-tokens must be at least 1"));
    }
    let mut input = ctx.input;
    input.max_tokens = args.max_tokens.or(input.max_tokens);
    input.temperature = args.temperature.or(input.temperature);
    if let Some(s) = &args.system {
        input.system = Some(s.clone());
    }

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

    let log_path = if args.no_log {
        None
    } else {
        Some(log::default_path(env)?)
    };

    Ok(RequestSettings {
        provider,
        format,
        model,
        input,
        stream: ctx.stream,
        route,
        helicone,
        extra_headers,
        creds,
        net,
        proxy: ProxyConfig::from_env(env),
        log_path,
        record_id,
        warnings,
        conversation: None,
    })
}

pub fn missing_key_message(p: &Provider) -> String {
    let vars = p.key_env.join(" or ");
    format!(
        "no API key for {}: set {vars}, run `hcl auth set {}`, or set api_key under [providers.{}] in the config file",
        p.name, p.name, p.name
    )
}

fn is_approved_azure(origin: &str) -> bool {
    let host = origin
        .split("://")
        .nth(1)
        .unwrap_or(origin)
        .split(':')
        .next()
        .unwrap_or("");
    [
        ".openai.azure.com",
        ".azure-api.net",
        ".cognitiveservices.azure.com",
        ".services.ai.azure.com",
    ]
    .iter()
    .any(|suffix| host.ends_with(suffix))
        || host == "127.0.0.1"
        || host == "localhost"
}

fn format_from_arg(f: FormatArg) -> WireFormat {
    match f {
        FormatArg::Openai => WireFormat::OpenAi,
        FormatArg::Anthropic => WireFormat::Anthropic,
        FormatArg::Gemini => WireFormat::Gemini,
    }
}

fn parse_format(s: &str) -> Result<WireFormat> {
    WireFormat::ALL
        .into_iter()
        .find(|f| f.name().eq_ignore_ascii_case(s))
        .ok_or_else(|| {
            Error::usage(format!(
                "format '{s}' under [providers.gateway] in the config file is not openai, anthropic or gemini"
            ))
        })
}

fn helicone_flags_given(a: &RequestArgs) -> bool {
    !a.properties.is_empty()
        || a.user.is_some()
        || a.session.is_some()
        || a.session_path.is_some()
        || a.session_name.is_some()
        || a.cache
        || a.cache_ttl.is_some()
        || a.cache_bucket.is_some()
        || a.cache_seed.is_some()
        || a.retry
        || a.rate_limit.is_some()
        || a.omit_request
        || a.omit_response
        || a.request_id.is_some()
}

fn helicone_options(
    args: &RequestArgs,
    config: &Config,
    record_id: &str,
    warnings: &mut Vec<String>,
) -> Result<HeliconeOptions> {
    let mut properties: Vec<(String, String)> = Vec::new();
    for (k, v) in &config.properties {
        properties.push(helicone::parse_property(&format!("{k}={v}"))?);
    }
    for p in &args.properties {
        let (k, v) = helicone::parse_property(p)?;
        properties.retain(|(old, _)| !old.eq_ignore_ascii_case(&k));
        properties.push((k, v));
    }
    let user = args.user.clone().or_else(|| config.user.clone());
    let cache_seed = args
        .cache_seed
        .clone()
        .or_else(|| config.cache_seed.clone());
    for (what, v) in [
        ("--user", &user),
        ("--session", &args.session),
        ("--session-name", &args.session_name),
        ("--session-path", &args.session_path),
        ("--cache-seed", &cache_seed),
    ] {
        if let Some(v) = v {
            helicone::check_value(what, v)?;
            if v.is_empty() {
                return Err(Error::usage(format!("{what} is empty")));
            }
        }
    }
    if let Some(p) = &args.session_path
        && !p.starts_with('/')
    {
        return Err(Error::usage(format!(
            "--session-path '{p}' must start with '/', like /parent/child"
        )));
    }
    let cache_ttl = args
        .cache_ttl
        .or(config.cache_ttl)
        .map(helicone::check_cache_ttl)
        .transpose()?;
    if let Some(ttl) = cache_ttl
        && ttl < helicone::MIN_USEFUL_CACHE_TTL
    {
        warnings.push(format!(
                "--cache-ttl {ttl} is under 60 seconds; Helicone's store (Cloudflare KV) drops such entries, so this response will probably never be cached"
            ));
    }
    let cache_bucket = args
        .cache_bucket
        .or(config.cache_bucket)
        .map(helicone::check_cache_bucket)
        .transpose()?;
    let cache = args.cache || config.cache.unwrap_or(false);
    if !cache && (cache_ttl.is_some() || cache_bucket.is_some() || cache_seed.is_some()) {
        warnings.push(
            "cache options are set but caching is off; add --cache to enable Helicone's cache"
                .to_string(),
        );
    }
    let retry_given = args.retry
        || args.retry_num.is_some()
        || args.retry_factor.is_some()
        || args.retry_min_timeout.is_some()
        || args.retry_max_timeout.is_some();
    let retry = if retry_given {
        if args.retry_num == Some(0) {
            return Err(Error::usage("--retry-num must be at least 1"));
        }
        if let Some(f) = args.retry_factor
            && (!f.is_finite() || f <= 0.0)
        {
            return Err(Error::usage(format!(
                "--retry-factor {f} must be greater than 0"
            )));
        }
        Some(RetryOptions {
            num: args.retry_num,
            factor: args.retry_factor,
            min_timeout_ms: args.retry_min_timeout,
            max_timeout_ms: args.retry_max_timeout,
        })
    } else {
        None
    };
    let rate_limit = args
        .rate_limit
        .as_deref()
        .map(helicone::parse_rate_limit)
        .transpose()?;
    let request_id = match &args.request_id {
        Some(id) => helicone::parse_request_id(id)?,
        None => record_id.to_string(),
    };
    let opts = HeliconeOptions {
        properties,
        user,
        session_id: args.session.clone(),
        session_path: args.session_path.clone(),
        session_name: args.session_name.clone(),
        cache,
        cache_ttl,
        cache_bucket,
        cache_seed,
        retry,
        rate_limit,
        omit_request: args.omit_request,
        omit_response: args.omit_response,
        request_id,
    };
    opts.validate()?;
    Ok(opts)
}

/// The provider key's source, for `hcl providers`.
pub fn provider_key(p: &Provider, env: Env<'_>, config: &Config) -> Option<FoundKey> {
    let keyring = keystore::for_env(env);
    if p.uses_provider_key() {
        secrets::lookup(
            p.name,
            p.key_env,
            env,
            keyring,
            config
                .provider_config(p.name)
                .and_then(|c| c.api_key.as_deref()),
        )
    } else {
        helicone_key(env, config, keyring)
    }
}

/// The keyring entry name of the Helicone key.
pub const HELICONE_KEY_NAME: &str = "helicone";
/// The environment variable of the Helicone key.
pub const HELICONE_KEY_VAR: &str = "HELICONE_API_KEY";

/// The Helicone key: `HELICONE_API_KEY`, then the keyring entry `helicone`,
/// then `api_key` under `[helicone]`.
pub fn helicone_key(env: Env<'_>, config: &Config, keyring: &dyn KeyStore) -> Option<FoundKey> {
    secrets::lookup(
        HELICONE_KEY_NAME,
        &[HELICONE_KEY_VAR],
        env,
        keyring,
        config.helicone.api_key.as_deref(),
    )
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
            assert_eq!(s.route.base, *want);
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
        assert_eq!(s.route.base, "https://oai.helicone.ai");
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
            let p = s.creds.provider.unwrap();
            assert_eq!(
                (p.secret.expose(), p.source),
                (want_openai.0, want_openai.1.clone()),
                "case {i}"
            );
            let h = s.creds.helicone.unwrap();
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
        assert_eq!(s.format, WireFormat::Anthropic);
        assert_eq!(
            s.route.upstream.as_deref(),
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
        let err = load_config_from(&path).unwrap_err().to_string();
        assert!(err.contains("line 2"), "{err}");
        std::fs::write(&path, "providr = \"openai\"\n").unwrap();
        let err = load_config_from(&path).unwrap_err().to_string();
        assert!(err.contains("line 1") && err.contains("providr"), "{err}");
    }
}
