//! Resolve steps for where a request goes: the provider row and its wire
//! format, the model, the route parameters and the base URL. What each row
//! needs comes from the provider table; this module only knows the order in
//! which flags, the environment, the config file and defaults are asked.

use clap::ValueEnum;

use crate::cli::RequestArgs;
use crate::error::{Error, Result};
use crate::provider::route::Values;
use crate::provider::{self, Direct, Param, ParamKind, Provider};
use crate::request::Route;
use crate::wire::WireFormat;

use super::{Config, Env, ProviderConfig, check_base_url, env_nonempty};

/// Where a setting's value came from, for `hcl config show` and messages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    Flag(&'static str),
    Env(String),
    Config,
    Default,
}

impl Source {
    pub fn label(&self) -> String {
        match self {
            Source::Flag(f) => format!("flag ({f})"),
            Source::Env(v) => format!("env ({v})"),
            Source::Config => "config".to_string(),
            Source::Default => "default".to_string(),
        }
    }
}

/// The provider row and the wire format it speaks for this request.
pub fn target(
    args: &RequestArgs,
    env: Env<'_>,
    config: &Config,
) -> Result<(&'static Provider, WireFormat)> {
    let name = args
        .provider
        .as_deref()
        .or(config.provider.as_deref())
        .unwrap_or(provider::DEFAULT);
    let provider = provider::find(name).ok_or_else(|| {
        Error::usage(format!(
            "unknown provider '{name}' (from the config file); known: {}",
            provider::names().join(", ")
        ))
    })?;
    check_flags_apply(provider, args)?;
    let format = match provider.format {
        Some(f) => f,
        None => {
            let param = provider
                .params
                .iter()
                .find(|p| p.kind == ParamKind::Format)
                .ok_or_else(|| Error::usage(format!("-P {} has no wire format", provider.name)))?;
            let pconf = config.provider_config(provider.name);
            let (raw, source) = param_value(param, flag_value(args, param), env, pconf)
                .ok_or_else(|| missing_params(provider, &[param]))?;
            let what = source_text(param, &source);
            let checked = param.check(provider, &what, &raw, &mut Vec::new())?;
            WireFormat::generic_from_name(&checked)
                .ok_or_else(|| Error::usage(format!("{what} '{raw}' is not a wire format")))?
        }
    };
    Ok((provider, format))
}

/// A route flag (`--target-url`, `--format`) given for a row that takes no
/// such parameter is a mistake: say which rows take it.
fn check_flags_apply(provider: &Provider, args: &RequestArgs) -> Result<()> {
    for (flag, given) in route_flags(args) {
        if given.is_none() || provider.param_for_flag(flag).is_some() {
            continue;
        }
        let takers: Vec<&str> = provider::PROVIDERS
            .iter()
            .filter(|p| p.param_for_flag(flag).is_some())
            .map(|p| p.name)
            .collect();
        let what = match provider.format {
            Some(f) if flag == "--format" => format!("{} speaks {}", provider.name, f.name()),
            _ => format!("{} is routed by Helicone already", provider.name),
        };
        return Err(Error::usage(format!(
            "{flag} applies to -P {} only; {what}",
            takers.join(", -P ")
        )));
    }
    Ok(())
}

/// The route flags and what was given for each.
fn route_flags(args: &RequestArgs) -> [(&'static str, Option<String>); 2] {
    [
        ("--target-url", args.target_url.clone()),
        (
            "--format",
            args.format
                .and_then(|f| f.to_possible_value())
                .map(|v| v.get_name().to_string()),
        ),
    ]
}

fn flag_value(args: &RequestArgs, param: &Param) -> Option<String> {
    let flag = param.flag?;
    route_flags(args)
        .into_iter()
        .find(|(f, _)| *f == flag)
        .and_then(|(_, v)| v)
}

/// The model: `-m`, else the row's model in the config file, else the
/// config file's default model (when the provider was not named by a
/// flag), else the row's default.
pub fn model(
    args: &RequestArgs,
    config: &Config,
    provider: &Provider,
    format: WireFormat,
) -> Result<String> {
    let pconf = config.provider_config(provider.name);
    let model = args
        .model
        .clone()
        .or_else(|| pconf.and_then(|c| c.model.clone()))
        .or_else(|| {
            if args.provider.is_some() {
                None
            } else {
                config.model.clone()
            }
        })
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
    format.check_model(&model).map_err(|why| {
        Error::usage(format!(
            "-P {} cannot send to this model: {why}",
            provider.name
        ))
    })?;
    Ok(model)
}

/// A route parameter's raw value and where it came from: its flag, its
/// environment variables in order, the config file, its default.
pub fn param_value(
    param: &Param,
    flag: Option<String>,
    env: Env<'_>,
    pconf: Option<&ProviderConfig>,
) -> Option<(String, Source)> {
    if let (Some(v), Some(f)) = (flag, param.flag) {
        return Some((v, Source::Flag(f)));
    }
    for var in param.env {
        if let Some(v) = env_nonempty(env, var) {
            return Some((v, Source::Env((*var).to_string())));
        }
    }
    if let Some(v) = pconf
        .and_then(|c| c.param(param.name))
        .filter(|v| !v.trim().is_empty())
    {
        return Some((v.to_string(), Source::Config));
    }
    param.default.map(|d| (d.to_string(), Source::Default))
}

fn source_text(param: &Param, source: &Source) -> String {
    match source {
        Source::Flag(f) => (*f).to_string(),
        Source::Env(v) => v.clone(),
        Source::Config | Source::Default => format!("{} in the config file", param.name),
    }
}

/// One message naming every missing parameter and how to give each.
fn missing_params(provider: &Provider, missing: &[&Param]) -> Error {
    let how: Vec<String> = missing
        .iter()
        .map(|p| format!("{} ({})", p.how_to_give(provider.name), p.about))
        .collect();
    let keys: Vec<&str> = missing.iter().map(|p| p.name).collect();
    Error::usage(format!(
        "-P {} needs {}, or {} under [providers.{}] in the config file",
        provider.name,
        how.join(" and "),
        keys.join(" and "),
        provider.name
    ))
}

/// The route: every parameter of the row, checked; the upstream its
/// routing header names; the base URL.
pub fn route(
    args: &RequestArgs,
    env: Env<'_>,
    config: &Config,
    provider: &'static Provider,
    warnings: &mut Vec<String>,
) -> Result<Route> {
    let pconf = config.provider_config(provider.name);
    let mut values = Values::default();
    let mut missing = Vec::new();
    for param in provider.params {
        match param_value(param, flag_value(args, param), env, pconf) {
            Some((raw, source)) => {
                let v = param.check(provider, &source_text(param, &source), &raw, warnings)?;
                values.set(param.name, v);
            }
            None => missing.push(param),
        }
    }
    if !missing.is_empty() {
        return Err(missing_params(provider, &missing));
    }
    let upstream = provider.upstream(&values);
    let base = if args.direct {
        direct_base(args, provider, upstream.as_deref())?
    } else {
        let (raw, source) = base_url(provider, args.base_url.as_deref(), env, config, &values);
        match source {
            Source::Default => raw,
            _ => check_base_url(&base_url_source_text(provider, &source), &raw)?,
        }
    };
    Ok(Route {
        base,
        direct: args.direct,
        upstream,
        params: values,
    })
}

fn direct_base(args: &RequestArgs, provider: &Provider, upstream: Option<&str>) -> Result<String> {
    match (&args.base_url, provider.direct) {
        (_, Direct::Unsupported(why)) => Err(Error::usage(format!(
            "--direct does not apply to -P {}: {why}",
            provider.name
        ))),
        (Some(b), _) => check_base_url("--base-url", b),
        (None, Direct::Origin(o)) => Ok(o.to_string()),
        (None, Direct::Upstream) => upstream.map(str::to_string).ok_or_else(|| {
            Error::usage(format!(
                "-P {} has no upstream origin for --direct",
                provider.name
            ))
        }),
    }
}

/// The one base-URL lookup: `--base-url`, then `HCL_BASE_URL_<PROVIDER>`,
/// then `base_url` under `[providers.NAME]`, then the table. The value is
/// as given; a caller about to send checks it with [`check_base_url`].
pub fn base_url(
    provider: &Provider,
    flag: Option<&str>,
    env: Env<'_>,
    config: &Config,
    values: &Values,
) -> (String, Source) {
    if let Some(b) = flag {
        return (b.to_string(), Source::Flag("--base-url"));
    }
    let var = provider.base_url_var();
    if let Some(b) = env_nonempty(env, &var) {
        return (b, Source::Env(var));
    }
    if let Some(b) = config
        .provider_config(provider.name)
        .and_then(|c| c.base_url.clone())
    {
        return (b, Source::Config);
    }
    (
        provider::route::fill(provider.helicone_base, None, values, false),
        Source::Default,
    )
}

/// How a base URL's source is named in an error about it.
pub fn base_url_source_text(provider: &Provider, source: &Source) -> String {
    match source {
        Source::Flag(f) => (*f).to_string(),
        Source::Env(v) => v.clone(),
        Source::Config | Source::Default => {
            format!("base_url under [providers.{}]", provider.name)
        }
    }
}
