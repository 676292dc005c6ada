//! Resolve step for Helicone's options: properties, user, session, cache,
//! retries, rate limit, omissions and the request id, from the flags and
//! the config file, each validated before anything is sent; and the extra
//! `-H` headers.

use crate::cli::RequestArgs;
use crate::error::{Error, Result};
use crate::helicone::{self, HeliconeOptions, RetryOptions};

use super::Config;

/// The Helicone options of a request; `record_id` is the default request id.
pub fn helicone(
    args: &RequestArgs,
    config: &Config,
    record_id: &str,
    warnings: &mut Vec<String>,
) -> Result<HeliconeOptions> {
    let opts = helicone_options(args, config, record_id, warnings)?;
    if args.direct && helicone_flags_given(args) {
        warnings.push(
            "Helicone options are ignored with --direct: nothing goes through Helicone".to_string(),
        );
    }
    Ok(opts)
}

/// `-H NAME: VALUE`, parsed.
pub fn extra_headers(args: &RequestArgs) -> Result<Vec<(String, String)>> {
    args.headers
        .iter()
        .map(|h| helicone::parse_header(h))
        .collect()
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
    let user = args.user.clone().or_else(|| config.user.clone());
    let cache_seed = args
        .cache_seed
        .clone()
        .or_else(|| config.cache_seed.clone());
    check_values(args, user.as_ref(), cache_seed.as_ref())?;
    let (cache_ttl, cache_bucket) = cache_limits(args, config, warnings)?;
    let cache = args.cache || config.cache.unwrap_or(false);
    if !cache && (cache_ttl.is_some() || cache_bucket.is_some() || cache_seed.is_some()) {
        warnings.push(
            "cache options are set but caching is off; add --cache to enable Helicone's cache"
                .to_string(),
        );
    }
    let request_id = match &args.request_id {
        Some(id) => helicone::parse_request_id(id)?,
        None => record_id.to_string(),
    };
    let opts = HeliconeOptions {
        properties: properties(args, config)?,
        user,
        session_id: args.session.clone(),
        session_path: args.session_path.clone(),
        session_name: args.session_name.clone(),
        cache,
        cache_ttl,
        cache_bucket,
        cache_seed,
        retry: retry(args)?,
        rate_limit: args
            .rate_limit
            .as_deref()
            .map(helicone::parse_rate_limit)
            .transpose()?,
        omit_request: args.omit_request,
        omit_response: args.omit_response,
        request_id,
    };
    opts.validate()?;
    Ok(opts)
}

/// The config file's properties, then the flags' (a flag replaces a config
/// property of the same name, in any case).
fn properties(args: &RequestArgs, config: &Config) -> Result<Vec<(String, String)>> {
    let mut properties: Vec<(String, String)> = Vec::new();
    for (k, v) in &config.properties {
        properties.push(helicone::parse_property(&format!("{k}={v}"))?);
    }
    for p in &args.properties {
        let (k, v) = helicone::parse_property(p).map_err(|e| provider_hint(p, e))?;
        properties.retain(|(old, _)| !old.eq_ignore_ascii_case(&k));
        properties.push((k, v));
    }
    Ok(properties)
}

/// Header values: not empty, no control characters; a session path is a
/// path.
fn check_values(
    args: &RequestArgs,
    user: Option<&String>,
    cache_seed: Option<&String>,
) -> Result<()> {
    for (what, v) in [
        ("--user", user),
        ("--session", args.session.as_ref()),
        ("--session-name", args.session_name.as_ref()),
        ("--session-path", args.session_path.as_ref()),
        ("--cache-seed", cache_seed),
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
    Ok(())
}

/// The cache TTL and bucket size, within Helicone's limits.
fn cache_limits(
    args: &RequestArgs,
    config: &Config,
    warnings: &mut Vec<String>,
) -> Result<(Option<u64>, Option<u32>)> {
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
    Ok((cache_ttl, cache_bucket))
}

/// Helicone's retries, when any retry flag is given.
fn retry(args: &RequestArgs) -> Result<Option<RetryOptions>> {
    let given = args.retry
        || args.retry_num.is_some()
        || args.retry_factor.is_some()
        || args.retry_min_timeout.is_some()
        || args.retry_max_timeout.is_some();
    if !given {
        return Ok(None);
    }
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
    Ok(Some(RetryOptions {
        num: args.retry_num,
        factor: args.retry_factor,
        min_timeout_ms: args.retry_min_timeout,
        max_timeout_ms: args.retry_max_timeout,
    }))
}

/// `-p anthropic` was meant as `-P anthropic`: say so.
fn provider_hint(arg: &str, e: Error) -> Error {
    match crate::provider::family::find_named(arg) {
        Some(row) if !arg.contains('=') => Error::usage(format!(
            "{e}; '{arg}' is a provider: did you mean -P {} (-p is --property)?",
            row.name
        )),
        _ => e,
    }
}
