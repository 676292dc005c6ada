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

use super::missing::Missing;
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

/// What `-P` and `-m` pick: the row, its wire format (unknown while a
/// parameter that chooses it is missing), and the model `-m` names after
/// its alias and `PROVIDER:` prefix are taken off.
#[derive(Debug)]
pub struct Picked {
    pub provider: &'static Provider,
    pub format: Option<WireFormat>,
    pub model: Option<String>,
    /// The provider was named (by `-P` or a `PROVIDER:` prefix), not taken
    /// from the model or the defaults.
    pub named: bool,
}

/// A model as given: an alias from the config file is replaced by its
/// target (one level), and a `PROVIDER:` prefix, split at the first colon
/// when the text before it is a provider's name (or another name of one),
/// names the row. Other colons stay in the model (`ft:gpt-4o:org::id`,
/// `llama3:8b`). `PROVIDER:` alone means that row's default model.
pub fn split_model(
    config: &Config,
    raw: &str,
) -> Result<(Option<&'static Provider>, Option<String>)> {
    let raw = raw.trim();
    let target = config.aliases.get(raw).map_or(raw, |t| t.trim());
    if let Some((head, rest)) = target.split_once(':')
        && let Some(row) = provider::family::find_named(head)
    {
        let rest = rest.trim();
        return Ok((Some(row), (!rest.is_empty()).then(|| rest.to_string())));
    }
    if target.is_empty() {
        return Err(Error::usage("--model is empty"));
    }
    Ok((None, Some(target.to_string())))
}

/// `-m` of a log selection: an alias or `PROVIDER:MODEL` selects that
/// provider's records of that model.
pub fn select_model(sel: &mut crate::select::Selection, config: &Config) -> Result<()> {
    if let Some(raw) = sel.model.clone() {
        let (row, model) = split_model(config, &raw)?;
        if let Some(row) = row {
            if sel
                .provider
                .as_deref()
                .is_some_and(|p| !p.eq_ignore_ascii_case(row.name))
            {
                return Err(Error::usage(format!(
                    "-P {} and -m {raw} name different providers; drop one",
                    sel.provider.as_deref().unwrap_or_default()
                )));
            }
            sel.provider = Some(row.name.to_string());
        }
        sel.model = model;
    }
    Ok(())
}

/// The providers a model names by itself (its `PROVIDER:` prefix, its
/// alias's, or its family), best first; empty when it names none.
pub fn model_provider(config: &Config, raw: &str) -> Vec<&'static str> {
    match split_model(config, raw) {
        Ok((Some(row), _)) => vec![row.name],
        Ok((None, Some(m))) => provider::family::rows_for_model(&m)
            .iter()
            .map(|p| p.name)
            .collect(),
        _ => Vec::new(),
    }
}

/// The provider row and the wire format it speaks for this request, and
/// the model `-m` gives. Without `-P`, a model of a known family picks its
/// row (the first with a key, when several serve it); with `-P`, a model of
/// another row's family draws a warning.
pub fn target(
    args: &RequestArgs,
    env: Env<'_>,
    config: &Config,
    has_key: &mut dyn FnMut(&'static Provider) -> bool,
    warnings: &mut Vec<String>,
    missing: &mut Missing,
) -> Result<Picked> {
    let (prefixed, model) = match args.model.as_deref() {
        Some(m) => split_model(config, m)?,
        None => (None, None),
    };
    let flagged = args
        .provider
        .as_deref()
        .map(|name| {
            provider::find(name).ok_or_else(|| {
                Error::usage(format!(
                    "unknown provider '{name}'; known: {}",
                    provider::names().join(", ")
                ))
            })
        })
        .transpose()?;
    if let (Some(f), Some(p)) = (flagged, prefixed)
        && f.name != p.name
    {
        return Err(Error::usage(format!(
            "-P {} and -m {}:… name different providers; drop one",
            f.name,
            args.model
                .as_deref()
                .unwrap_or_default()
                .split(':')
                .next()
                .unwrap_or_default()
        )));
    }
    let named = flagged.or(prefixed);
    let provider = match named {
        Some(p) => p,
        None => match model.as_deref().map(provider::family::rows_for_model) {
            Some(rows) if !rows.is_empty() => {
                rows.iter().copied().find(|p| has_key(p)).unwrap_or(rows[0])
            }
            _ => default_row(config)?,
        },
    };
    if let (Some(_), Some(m)) = (named, model.as_deref())
        && let Some(other) = provider::family::mismatch(provider, m)
    {
        warnings.push(format!(
            "{m} looks like a model of {}, not of {}; did you mean -P {} (or -m {}:{m})?",
            other.name, provider.name, other.name, other.name
        ));
    }
    check_flags_apply(provider, args)?;
    let format = match provider.format {
        Some(f) => Some(f),
        None => {
            let param = provider
                .params
                .iter()
                .find(|p| p.kind == ParamKind::Format)
                .ok_or_else(|| Error::usage(format!("-P {} has no wire format", provider.name)))?;
            let pconf = config.provider_config(provider.name);
            match param_value(param, flag_value(args, param), env, pconf) {
                None => {
                    missing.add(missing_param(provider, param));
                    None
                }
                Some((raw, source)) => {
                    let what = source_text(param, &source);
                    let checked = param.check(provider, &what, &raw, &mut Vec::new())?;
                    Some(WireFormat::generic_from_name(&checked).ok_or_else(|| {
                        Error::usage(format!("{what} '{raw}' is not a wire format"))
                    })?)
                }
            }
        }
    };
    Ok(Picked {
        provider,
        format,
        model,
        named: named.is_some(),
    })
}

/// The config file's default provider, else hcl's.
fn default_row(config: &Config) -> Result<&'static Provider> {
    let name = config.provider.as_deref().unwrap_or(provider::DEFAULT);
    provider::find(name).ok_or_else(|| {
        Error::usage(format!(
            "unknown provider '{name}' (from the config file); known: {}",
            provider::names().join(", ")
        ))
    })
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

/// The model: `-m` (after its alias and prefix), else the row's model in
/// the config file, else the config file's default model (when the
/// provider was not named), else the row's default. `None` (with the gap
/// in `missing`) when none is known yet.
pub fn model(config: &Config, picked: &Picked, missing: &mut Missing) -> Option<String> {
    let provider = picked.provider;
    let pconf = config.provider_config(provider.name);
    let model = picked
        .model
        .clone()
        .or_else(|| pconf.and_then(|c| c.model.clone()))
        .or_else(|| {
            // The config file's model goes with its provider.
            let default_row = config.provider.as_deref().unwrap_or(provider::DEFAULT);
            (!picked.named && provider.name.eq_ignore_ascii_case(default_row))
                .then(|| config.model.clone())
                .flatten()
        })
        .map(|m| split_config_model(config, &m))
        .or_else(|| {
            picked
                .format
                .and_then(|f| provider.default_model_for(f))
                .map(str::to_string)
        });
    if model.is_none() && (provider.format.is_some() || picked.format.is_some()) {
        missing.add(format!(
            "-P {} needs --model (the deployment name), or model under [providers.{}] in the config file",
            provider.name, provider.name
        ));
    }
    model
}

/// A model from the config file may be an alias too.
fn split_config_model(config: &Config, m: &str) -> String {
    match split_model(config, m) {
        Ok((_, Some(model))) => model,
        _ => m.to_string(),
    }
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

/// A missing parameter and how to give it.
fn missing_param(provider: &Provider, p: &Param) -> String {
    format!(
        "-P {} needs {} ({}), or {} under [providers.{}] in the config file",
        provider.name,
        p.how_to_give(provider.name),
        p.about,
        p.name,
        provider.name
    )
}

/// The route: every parameter of the row, checked; the upstream its
/// routing header names; the base URL.
pub fn route(
    args: &RequestArgs,
    env: Env<'_>,
    config: &Config,
    provider: &'static Provider,
    warnings: &mut Vec<String>,
    missing: &mut Missing,
) -> Result<Option<Route>> {
    let pconf = config.provider_config(provider.name);
    let mut values = Values::default();
    let mut complete = true;
    for param in provider.params {
        match param_value(param, flag_value(args, param), env, pconf) {
            Some((raw, source)) => {
                let v = param.check(provider, &source_text(param, &source), &raw, warnings)?;
                values.set(param.name, v);
            }
            None => {
                // The format parameter was said by the target step.
                if param.kind != ParamKind::Format {
                    missing.add(missing_param(provider, param));
                }
                complete = false;
            }
        }
    }
    if !complete {
        return Ok(None);
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
    Ok(Some(Route {
        base,
        direct: args.direct,
        upstream,
        params: values,
    }))
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
