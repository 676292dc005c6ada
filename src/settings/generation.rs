//! The generation step: system prompt, token limit, sampling, stop
//! sequences, reasoning, JSON output and `-o` body options, each from the
//! flags (a template's settings among them), else the history or batch
//! line, else `[providers.NAME]` in the config file, else its top level.
//! The wire format then checks them (its ranges, what it cannot carry), and
//! the body is built once so that a refused `-o` is a usage error before
//! anything is sent.

use std::collections::HashMap;
use std::sync::Arc;

use crate::cli::{ReasoningArg, RequestArgs};
use crate::error::{Error, Result};
use crate::schema::Schema;
use crate::wire::{self, BodyOption, ChatInput, Effort, Refused, ResponseFormat, Setting};

use super::Target;
use super::config::{Config, Generation};

/// Schemas loaded in this run, by their `--schema` argument: a batch that
/// names one schema reads and compiles it once.
#[derive(Default)]
pub struct Schemas(HashMap<String, Arc<Schema>>);

impl Schemas {
    fn get(&mut self, arg: &str) -> Result<Arc<Schema>> {
        if let Some(s) = self.0.get(arg) {
            return Ok(Arc::clone(s));
        }
        let schema = Arc::new(Schema::load(arg, None).map_err(Error::usage)?);
        if self.0.len() >= 64 {
            self.0.clear();
        }
        self.0.insert(arg.to_string(), Arc::clone(&schema));
        Ok(schema)
    }
}

pub fn effort(r: ReasoningArg) -> Effort {
    match r {
        ReasoningArg::Low => Effort::Low,
        ReasoningArg::Medium => Effort::Medium,
        ReasoningArg::High => Effort::High,
    }
}

/// The generation settings of one request, and the schema its answer must
/// meet.
pub fn resolve(
    args: &RequestArgs,
    mut input: ChatInput,
    config: &Config,
    target: &Target,
    stream: bool,
    schemas: &mut Schemas,
) -> Result<(ChatInput, Option<Arc<Schema>>)> {
    let global = config.generation();
    let pconf = config.provider_config(target.provider.name);
    let row = pconf
        .map(super::ProviderConfig::generation)
        .unwrap_or_default();
    let layers = [row, global];
    let pick = |flag: Option<f64>, f: fn(&Generation<'_>) -> Option<f64>| {
        flag.or_else(|| layers.iter().find_map(f))
    };
    if let Some(s) = &args.system {
        input.system = Some(s.clone());
    } else if input.system.is_none() {
        input.system = layers.iter().find_map(|g| g.system).map(str::to_string);
    }
    input.max_tokens = args
        .max_tokens
        .or(input.max_tokens)
        .or_else(|| layers.iter().find_map(|g| g.max_tokens));
    input.temperature = pick(args.temperature.or(input.temperature), |g| g.temperature);
    input.top_p = pick(args.top_p.or(input.top_p), |g| g.top_p);
    input.seed = args
        .seed
        .or(input.seed)
        .or_else(|| layers.iter().find_map(|g| g.seed));
    if !args.stop.is_empty() {
        input.stop.clone_from(&args.stop);
    } else if input.stop.is_empty()
        && let Some(g) = layers.iter().find(|g| !g.stop.is_empty())
    {
        input.stop = g.stop.to_vec();
    }
    input.reasoning = args
        .reasoning
        .map(effort)
        .or(input.reasoning)
        .or_else(|| layers.iter().find_map(|g| g.reasoning));
    let schema = match &args.schema {
        Some(arg) => Some(schemas.get(arg)?),
        None => None,
    };
    if let Some(s) = &schema {
        input.response = Some(ResponseFormat::Schema(Arc::clone(&s.body)));
    } else if args.json_object {
        input.response = Some(ResponseFormat::JsonObject);
    }
    input.options = options(args, &global, &row, target.provider.name)?;
    wire::check_generation(target.format, &target.model, &input)
        .map_err(|r| refused(&r, args, &layers, target.provider.name))?;
    // Only options can make a body fail to build; without them the body is
    // not built twice (attachments make bodies large).
    if !input.options.is_empty() {
        wire::try_build_body(
            target.format,
            &target.model,
            &input,
            stream,
            target.provider.dialect(),
        )
        .map_err(Error::usage)?;
    }
    Ok((input, schema))
}

/// The body options: the config file's (top level, then the provider's;
/// these yield to any field hcl sets) under the flags' `-o` (refused on a
/// field hcl sets).
fn options(
    args: &RequestArgs,
    global: &Generation<'_>,
    row: &Generation<'_>,
    provider: &str,
) -> Result<Vec<BodyOption>> {
    let mut out = Vec::new();
    for (g, place) in [
        (global, "in the config file".to_string()),
        (
            row,
            format!("under [providers.{provider}] in the config file"),
        ),
    ] {
        for (path, value) in g.options.map(wire::option_leaves).unwrap_or_default() {
            out.push(BodyOption {
                origin: format!("options.{} {place}", wire::dotted_path(&path)),
                path,
                value,
                weak: true,
            });
        }
    }
    for raw in &args.options {
        let (path, value) = wire::parse_option(raw).map_err(|e| Error::usage(format!("-o {e}")))?;
        out.push(BodyOption {
            origin: format!("-o {}", wire::dotted_path(&path)),
            path,
            value,
            weak: false,
        });
    }
    Ok(out)
}

/// A refusal, naming where the refused value came from.
fn refused(r: &Refused, args: &RequestArgs, layers: &[Generation<'_>; 2], provider: &str) -> Error {
    let s = r.setting;
    let key = s.key();
    let by_flag = match s {
        Setting::MaxTokens => args.max_tokens.is_some(),
        Setting::Temperature => args.temperature.is_some(),
        Setting::TopP => args.top_p.is_some(),
        Setting::Seed => args.seed.is_some(),
        Setting::Stop => !args.stop.is_empty(),
        Setting::JsonObject => args.json_object,
        Setting::Schema => args.schema.is_some(),
    };
    let in_layer = |g: &Generation<'_>| match s {
        Setting::MaxTokens => g.max_tokens.is_some(),
        Setting::Temperature => g.temperature.is_some(),
        Setting::TopP => g.top_p.is_some(),
        Setting::Seed => g.seed.is_some(),
        Setting::Stop => !g.stop.is_empty(),
        Setting::JsonObject | Setting::Schema => false,
    };
    let place = if by_flag && args.from_template.contains(&key) {
        format!(
            "{key} in template {}",
            args.template.as_deref().unwrap_or("?")
        )
    } else if by_flag {
        s.flag().to_string()
    } else if in_layer(&layers[0]) {
        format!("{key} under [providers.{provider}] in the config file")
    } else if in_layer(&layers[1]) {
        format!("{key} in the config file")
    } else {
        // Carried by the batch line.
        key.to_string()
    };
    Error::usage(format!("{place}: {}", r.why))
}
