//! From a parsed line to a job: the settings its provider and model resolve
//! to (cached per provider and model) and the line's own fields on top.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use serde_json::Value;

use super::BATCH_PROPERTY;
use super::input::LineSpec;
use crate::cli::RequestArgs;
use crate::error::{Error, Result};
use crate::helicone::{self, HeliconeOptions};
use crate::output::Printer;
use crate::provider;
use crate::settings::{self, Config, Env, RequestSettings, ResolveContext};
use crate::wire::{ChatInput, Message, Role};

/// Distinct (provider, model) templates kept before the cache starts over.
const MAX_TEMPLATES: usize = 256;

/// `-p Hcl-Batch=NAME` names the batch; otherwise it gets a fresh UUID.
pub(super) fn batch_id(r: &RequestArgs) -> Result<String> {
    let mut id = None;
    for p in &r.properties {
        let (k, v) = helicone::parse_property(p)?;
        if k.eq_ignore_ascii_case(BATCH_PROPERTY) {
            if v.trim().is_empty() {
                return Err(Error::usage(format!(
                    "--property {BATCH_PROPERTY}= is empty; give the batch a name, or drop it for a generated id"
                )));
            }
            id = Some(v);
        }
    }
    Ok(id.unwrap_or_else(|| uuid::Uuid::new_v4().to_string()))
}

type TemplateKey = (Option<String>, Option<String>);

/// Resolving settings reads keys and checks every flag; a batch does it once
/// per distinct provider and model, not once per line.
pub(super) struct Templates<'a> {
    args: &'a RequestArgs,
    env: Env<'a>,
    config: &'a Config,
    batch_id: &'a str,
    cache: HashMap<TemplateKey, std::result::Result<Arc<RequestSettings>, String>>,
    warned: HashSet<String>,
    /// The provider the flags resolve to: a line naming it changes nothing.
    default_provider: Option<&'static str>,
}

impl<'a> Templates<'a> {
    pub(super) fn new(
        args: &'a RequestArgs,
        env: Env<'a>,
        config: &'a Config,
        batch_id: &'a str,
    ) -> Self {
        Templates {
            args,
            env,
            config,
            batch_id,
            cache: HashMap::new(),
            warned: HashSet::new(),
            default_provider: None,
        }
    }

    pub(super) fn get(
        &mut self,
        provider: Option<&str>,
        model: Option<&str>,
        printer: &Printer,
    ) -> Result<Arc<RequestSettings>> {
        // A line naming the flags' own provider is the flags' template.
        let provider = provider.filter(|p| Some(*p) != self.default_provider);
        let key = (provider.map(str::to_string), model.map(str::to_string));
        if let Some(found) = self.cache.get(&key) {
            return found.clone().map_err(Error::Usage);
        }
        if self.cache.len() >= MAX_TEMPLATES {
            self.cache.clear();
        }
        let resolved = self.resolve(provider, model);
        if let Ok(s) = &resolved {
            if key == (None, None) {
                self.default_provider = Some(s.provider.name);
            }
            for w in &s.warnings {
                if self.warned.insert(w.clone()) {
                    printer.warn(w);
                }
            }
        }
        let entry = resolved.map(Arc::new).map_err(|e| e.to_string());
        self.cache.insert(key, entry.clone());
        entry.map_err(Error::Usage)
    }

    fn resolve(&self, provider: Option<&str>, model: Option<&str>) -> Result<RequestSettings> {
        let mut args = self.args.clone();
        if let Some(p) = provider {
            args.provider = Some(p.to_string());
            // The flags' model belongs to the flags' provider.
            args.model = None;
        }
        if let Some(m) = model {
            args.model = Some(m.to_string());
        }
        // The batch property is hcl's own; the rest are validated by resolve.
        args.properties
            .retain(|p| !p.split('=').next().is_some_and(is_batch_property));
        let mut s = settings::resolve(
            &args,
            ResolveContext {
                env: self.env,
                config: self.config,
                input: ChatInput::default(),
                stream: false,
                offline: false,
            },
        )?;
        s.helicone.properties.retain(|(k, _)| !is_batch_property(k));
        s.helicone
            .properties
            .push((BATCH_PROPERTY.to_string(), self.batch_id.to_string()));
        Ok(s)
    }
}

fn is_batch_property(name: &str) -> bool {
    name.trim().eq_ignore_ascii_case(BATCH_PROPERTY)
}

/// One line, ready to send.
pub(super) struct Job {
    pub(super) template: Arc<RequestSettings>,
    pub(super) input: ChatInput,
    pub(super) helicone: HeliconeOptions,
}

pub(super) fn build_job(
    spec: LineSpec,
    templates: &mut Templates<'_>,
    printer: &Printer,
) -> std::result::Result<Job, String> {
    let mut system = spec.system;
    let messages = match (spec.prompt, spec.messages) {
        (Some(_), Some(_)) => {
            return Err("give either prompt or messages, not both".to_string());
        }
        (None, None) => {
            return Err("the line has neither prompt nor messages".to_string());
        }
        (Some(p), None) => {
            if p.trim().is_empty() {
                return Err("the prompt is empty".to_string());
            }
            vec![Message {
                role: Role::User,
                content: p,
            }]
        }
        (None, Some(msgs)) => {
            let mut out = Vec::with_capacity(msgs.len());
            let mut system_parts = Vec::new();
            for (i, m) in msgs.into_iter().enumerate() {
                let role = match m.role.as_str() {
                    "user" => Role::User,
                    "assistant" => Role::Assistant,
                    "system" | "developer" => {
                        system_parts.push(m.content);
                        continue;
                    }
                    other => {
                        return Err(format!(
                            "messages[{i}] has role '{other}'; use user, assistant or system"
                        ));
                    }
                };
                out.push(Message {
                    role,
                    content: m.content,
                });
            }
            if !system_parts.is_empty() {
                if system.is_some() {
                    return Err(
                        "the system prompt is given twice: in system and as a system message"
                            .to_string(),
                    );
                }
                system = Some(system_parts.join("\n\n"));
            }
            if out.is_empty() {
                return Err("messages holds no user or assistant message".to_string());
            }
            out
        }
    };
    if let Some(p) = &spec.provider
        && provider::find(p).is_none()
    {
        return Err(format!(
            "unknown provider '{p}'; see `hcl providers` for the names"
        ));
    }
    if let Some(m) = &spec.model
        && m.trim().is_empty()
    {
        return Err("model is empty".to_string());
    }
    if spec.max_tokens == Some(0) {
        return Err("max_tokens must be at least 1".to_string());
    }
    if let Some(t) = spec.temperature
        && (!t.is_finite() || t < 0.0)
    {
        return Err(format!("temperature {t} must be a number of 0 or more"));
    }
    let template = templates
        .get(spec.provider.as_deref(), spec.model.as_deref(), printer)
        .map_err(|e| e.to_string())?;

    let mut helicone = template.helicone.clone();
    if let Some(props) = spec.properties {
        for (k, v) in props {
            let v = match v {
                Value::String(s) => s,
                Value::Number(n) => n.to_string(),
                Value::Bool(b) => b.to_string(),
                _ => {
                    return Err(format!(
                        "property '{k}' must be a string, number or boolean"
                    ));
                }
            };
            if is_batch_property(&k) {
                return Err(format!(
                    "property '{k}' is set by hcl to the batch id; name the batch with -p {BATCH_PROPERTY}=NAME instead"
                ));
            }
            let (k, v) =
                helicone::parse_property(&format!("{k}={v}")).map_err(|e| e.to_string())?;
            helicone
                .properties
                .retain(|(old, _)| !old.eq_ignore_ascii_case(&k));
            helicone.properties.push((k, v));
        }
    }
    for (what, value, slot) in [
        ("user", spec.user, &mut helicone.user),
        ("session", spec.session, &mut helicone.session_id),
    ] {
        if let Some(v) = value {
            if v.is_empty() {
                return Err(format!("{what} is empty"));
            }
            helicone::check_value(what, &v).map_err(|e| e.to_string())?;
            *slot = Some(v);
        }
    }
    if let Some(c) = spec.cache {
        helicone.cache = c;
    }
    helicone.validate().map_err(|e| e.to_string())?;

    let input = ChatInput {
        system: system.or_else(|| template.input.system.clone()),
        messages,
        max_tokens: spec.max_tokens.or(template.input.max_tokens),
        temperature: spec.temperature.or(template.input.temperature),
    };
    Ok(Job {
        template,
        input,
        helicone,
    })
}
