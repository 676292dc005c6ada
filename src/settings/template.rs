//! Request templates: `-t NAME` reads `<config dir>/hcl/templates/NAME.toml`
//! and lays its settings under the flags; `--save NAME` writes the flags as
//! one (0600). A template holds a system prompt, a prompt with an `{input}`
//! placeholder, provider, model, generation settings, `-o` options, a
//! schema, Helicone properties and cache flags.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::cli::RequestArgs;
use crate::error::{Error, Result};
use crate::helicone;
use crate::wire::{self, Effort};

use super::config::malformed;
use super::generation::effort;

/// Where the user's text goes in a template's prompt.
pub const INPUT: &str = "{input}";

/// One template file.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Template {
    /// One line on what it is for (`hcl templates list` shows it).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub system: Option<String>,
    /// The prompt; `{input}` is replaced by the arguments and stdin (which
    /// otherwise follow it after a blank line).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub prompt: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub provider: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub model: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_tokens: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub temperature: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub top_p: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub seed: Option<i64>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub stop: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reasoning: Option<Effort>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub json_object: Option<bool>,
    /// A JSON Schema: a file (relative to the templates directory), the
    /// schema as JSON text, or a TOML table.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub schema: Option<SchemaSpec>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cache: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cache_ttl: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cache_bucket: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cache_seed: Option<String>,
    /// Body fields by path, as `-o` sets them.
    #[serde(default, skip_serializing_if = "Map::is_empty")]
    pub options: Map<String, Value>,
    /// Helicone properties.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub properties: BTreeMap<String, String>,
}

#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(untagged)]
pub enum SchemaSpec {
    Text(String),
    Table(Value),
}

/// `<config dir>/hcl/templates`.
pub fn templates_dir() -> Result<PathBuf> {
    dirs::config_dir()
        .map(|d| d.join("hcl").join("templates"))
        .ok_or_else(|| Error::usage("cannot tell where templates go: no config directory is known"))
}

/// The file of template NAME: `NAME.toml` in the templates directory, or
/// NAME itself when it is a path (holds a `/`).
pub fn template_path(name: &str) -> Result<PathBuf> {
    if name.contains('/') || name.contains(std::path::MAIN_SEPARATOR) {
        return Ok(PathBuf::from(name));
    }
    let stem = name.strip_suffix(".toml").unwrap_or(name);
    let ok = !stem.is_empty()
        && !stem.starts_with('.')
        && stem
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '-' | '_' | '.'));
    if !ok {
        return Err(Error::usage(format!(
            "'{name}' is not a template name: use letters, digits, '-', '_' and '.'"
        )));
    }
    Ok(templates_dir()?.join(format!("{stem}.toml")))
}

/// Read and parse template NAME. A missing file or a malformed one is a
/// usage error naming the file (and the line and column).
pub fn load(name: &str) -> Result<(Template, PathBuf)> {
    let path = template_path(name)?;
    let text = std::fs::read_to_string(&path).map_err(|e| {
        if e.kind() == std::io::ErrorKind::NotFound {
            Error::usage(format!(
                "no template '{name}': {} does not exist; `hcl templates list` shows the saved ones, and --save NAME writes one",
                path.display()
            ))
        } else {
            Error::usage(format!("cannot read the template {}: {e}", path.display()))
        }
    })?;
    let t = parse(&text, &path)?;
    Ok((t, path))
}

/// Parse a template's text (`path` names it in errors).
pub fn parse(text: &str, path: &Path) -> Result<Template> {
    toml::from_str(text)
        .map_err(|e| malformed(&format!("the template {}", path.display()), text, &e))
}

impl Template {
    /// Lay the template under the flags: each setting the flags leave
    /// unset is taken from it, options and properties go before the
    /// flags' own (which win), and a template's model is used only with
    /// its own provider. `path` is the template's file (a schema file is
    /// found beside it).
    pub fn apply(&self, name: &str, path: &Path, a: &mut RequestArgs) -> Result<()> {
        self.lay(name, path, a, false)
    }

    /// Lay the template over the flags: what it sets wins (a batch line's
    /// template over the flags that give every line's defaults).
    pub fn apply_over(&self, name: &str, path: &Path, a: &mut RequestArgs) -> Result<()> {
        if self.provider.is_some() && self.provider != a.provider {
            // The flags' model belongs to the flags' provider.
            a.model = None;
        }
        self.lay(name, path, a, true)
    }

    fn lay(&self, name: &str, path: &Path, a: &mut RequestArgs, over: bool) -> Result<()> {
        let mut took: Vec<&'static str> = Vec::new();
        let mut take = |key: &'static str, unset: bool, has: bool| {
            let t = (unset || over) && has;
            if t {
                took.push(key);
            }
            t
        };
        let same_provider = a.provider.is_none() || a.provider == self.provider;
        if take("provider", a.provider.is_none(), self.provider.is_some()) {
            a.provider.clone_from(&self.provider);
        }
        if (same_provider || over) && take("model", a.model.is_none(), self.model.is_some()) {
            a.model.clone_from(&self.model);
        }
        if take("system", a.system.is_none(), self.system.is_some()) {
            a.system.clone_from(&self.system);
        }
        if take(
            "max_tokens",
            a.max_tokens.is_none(),
            self.max_tokens.is_some(),
        ) {
            a.max_tokens = self.max_tokens;
        }
        if take(
            "temperature",
            a.temperature.is_none(),
            self.temperature.is_some(),
        ) {
            a.temperature = self.temperature;
        }
        if take("top_p", a.top_p.is_none(), self.top_p.is_some()) {
            a.top_p = self.top_p;
        }
        if take("seed", a.seed.is_none(), self.seed.is_some()) {
            a.seed = self.seed;
        }
        if take("stop", a.stop.is_empty(), !self.stop.is_empty()) {
            a.stop.clone_from(&self.stop);
        }
        if take("reasoning", a.reasoning.is_none(), self.reasoning.is_some()) {
            a.reasoning = self.reasoning.map(|e| match e {
                Effort::Low => crate::cli::ReasoningArg::Low,
                Effort::Medium => crate::cli::ReasoningArg::Medium,
                Effort::High => crate::cli::ReasoningArg::High,
            });
        }
        let json_unset = a.schema.is_none() && !a.json_object;
        if take("schema", json_unset, self.schema.is_some()) {
            a.schema = self.schema_arg(name, path)?;
            a.json_object = false;
        } else if take("json_object", json_unset, self.json_object == Some(true)) {
            a.json_object = true;
            a.schema = None;
        }
        let mut options: Vec<String> = wire::option_leaves(&self.options)
            .into_iter()
            .map(|(path, v)| format!("{}={v}", wire::dotted_path(&path)))
            .collect();
        let mut properties: Vec<String> = self
            .properties
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect();
        // Later ones win: the template's go first, unless it is laid over.
        if over {
            a.options.append(&mut options);
            a.properties.append(&mut properties);
        } else {
            options.append(&mut a.options);
            a.options = options;
            properties.append(&mut a.properties);
            a.properties = properties;
        }
        if self.cache == Some(true) {
            a.cache = true;
        }
        let pick = |flag: Option<u64>, t: Option<u64>| if over { t.or(flag) } else { flag.or(t) };
        a.cache_ttl = pick(a.cache_ttl, self.cache_ttl);
        a.cache_bucket = pick(
            a.cache_bucket.map(u64::from),
            self.cache_bucket.map(u64::from),
        )
        .and_then(|b| u32::try_from(b).ok());
        if take(
            "cache_seed",
            a.cache_seed.is_none(),
            self.cache_seed.is_some(),
        ) {
            a.cache_seed.clone_from(&self.cache_seed);
        }
        a.template = Some(name.to_string());
        a.from_template = took;
        Ok(())
    }

    /// The template's schema as `--schema` takes it: a file beside the
    /// template, or JSON text.
    fn schema_arg(&self, name: &str, path: &Path) -> Result<Option<String>> {
        Ok(match &self.schema {
            None => None,
            Some(SchemaSpec::Table(v)) => Some(v.to_string()),
            Some(SchemaSpec::Text(t)) if t.trim_start().starts_with('{') => Some(t.clone()),
            Some(SchemaSpec::Text(file)) => {
                let p = Path::new(file);
                let full = if p.is_relative() {
                    path.parent().unwrap_or(Path::new(".")).join(p)
                } else {
                    p.to_path_buf()
                };
                if !full.is_file() {
                    return Err(Error::usage(format!(
                        "template {name} names the schema file {}, which does not exist",
                        full.display()
                    )));
                }
                Some(full.display().to_string())
            }
        })
    }

    /// The text to send: the template's prompt with `{input}` filled, or
    /// followed by the input after a blank line; the input alone when the
    /// template has no prompt. `None` when there is nothing to send.
    pub fn fill(&self, input: Option<&str>) -> Result<Option<String>> {
        let input = input.filter(|i| !i.trim().is_empty());
        Ok(match (&self.prompt, input) {
            (None, i) => i.map(str::to_string),
            (Some(p), Some(i)) if p.contains(INPUT) => Some(p.replace(INPUT, i)),
            (Some(p), None) if p.contains(INPUT) => {
                return Err(Error::usage(format!(
                    "the template's prompt has {INPUT}, but no input was given: give it as arguments or on stdin"
                )));
            }
            (Some(p), Some(i)) => Some(format!("{p}\n\n{i}")),
            (Some(p), None) => Some(p.clone()),
        })
    }

    /// A template of the flags given (`--save`), with `prompt` as its prompt.
    pub fn from_flags(a: &RequestArgs, prompt: Option<String>) -> Result<Template> {
        let schema = match &a.schema {
            None => None,
            Some(arg) if arg.trim_start().starts_with('{') => Some(SchemaSpec::Text(arg.clone())),
            Some(file) => Some(SchemaSpec::Text(std::fs::read_to_string(file).map_err(
                |e| Error::usage(format!("cannot read the schema file {file}: {e}")),
            )?)),
        };
        let mut options = Map::new();
        for raw in &a.options {
            let (path, value) =
                wire::parse_option(raw).map_err(|e| Error::usage(format!("-o {e}")))?;
            if value.is_null() {
                return Err(Error::usage(format!(
                    "-o {}: a template cannot hold null (TOML has no null); leave the option out of the template",
                    wire::dotted_path(&path)
                )));
            }
            insert(&mut options, &path, value);
        }
        let mut properties = BTreeMap::new();
        for p in &a.properties {
            let (k, v) = helicone::parse_property(p)?;
            properties.insert(k, v);
        }
        Ok(Template {
            description: None,
            system: a.system.clone(),
            prompt,
            provider: a.provider.clone(),
            model: a.model.clone(),
            max_tokens: a.max_tokens,
            temperature: a.temperature,
            top_p: a.top_p,
            seed: a.seed,
            stop: a.stop.clone(),
            reasoning: a.reasoning.map(effort),
            json_object: a.json_object.then_some(true),
            schema,
            cache: a.cache.then_some(true),
            cache_ttl: a.cache_ttl,
            cache_bucket: a.cache_bucket,
            cache_seed: a.cache_seed.clone(),
            options,
            properties,
        })
    }

    /// The template as TOML.
    pub fn to_toml(&self) -> Result<String> {
        toml::to_string(self)
            .map_err(|e| Error::usage(format!("cannot write the template as TOML: {e}")))
    }
}

/// Put `value` at `path` in a nested table.
fn insert(table: &mut Map<String, Value>, path: &[String], value: Value) {
    let Some((first, rest)) = path.split_first() else {
        return;
    };
    if rest.is_empty() {
        table.insert(first.clone(), value);
        return;
    }
    let entry = table
        .entry(first.clone())
        .or_insert_with(|| Value::Object(Map::new()));
    if !entry.is_object() {
        *entry = Value::Object(Map::new());
    }
    if let Value::Object(map) = entry {
        insert(map, rest, value);
    }
}

/// Write `text` to `path` as a private file (0600, its directory 0700).
pub fn write_private(path: &Path, text: &str) -> Result<()> {
    let fail = |e: std::io::Error| Error::io(format!("cannot write {}", path.display()), e);
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        crate::files::create_private_dir(dir).map_err(fail)?;
    }
    crate::files::write_private(path, text.as_bytes()).map_err(fail)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_prompt_is_filled_from_the_input() {
        let t = Template {
            prompt: Some("Summarise: {input}".into()),
            ..Default::default()
        };
        assert_eq!(t.fill(Some("x")).unwrap().as_deref(), Some("Summarise: x"));
        assert!(t.fill(None).is_err());
        let t = Template {
            prompt: Some("Tell a joke".into()),
            ..Default::default()
        };
        assert_eq!(t.fill(None).unwrap().as_deref(), Some("Tell a joke"));
        assert_eq!(
            t.fill(Some("about cats")).unwrap().as_deref(),
            Some("Tell a joke\n\nabout cats")
        );
        assert_eq!(
            Template::default().fill(Some("hi")).unwrap().as_deref(),
            Some("hi")
        );
        assert_eq!(Template::default().fill(None).unwrap(), None);
    }

    #[test]
    fn templates_round_trip_through_toml() {
        let args = RequestArgs {
            provider: Some("p".into()),
            system: Some("sys".into()),
            temperature: Some(0.5),
            stop: vec!["END".into()],
            options: vec![
                "generationConfig.topK=40".into(),
                "generationConfig.x=\"1\"".into(),
                "n=1".into(),
            ],
            properties: vec!["team=ml".into()],
            cache: true,
            ..Default::default()
        };
        let t = Template::from_flags(&args, Some("Do {input}".into())).unwrap();
        let text = t.to_toml().unwrap();
        let back = parse(&text, Path::new("t.toml")).unwrap();
        assert_eq!(back, t, "{text}");
        let mut fresh = RequestArgs::default();
        back.apply("t", Path::new("/x/t.toml"), &mut fresh).unwrap();
        assert_eq!(
            fresh.options,
            [
                "generationConfig.topK=40",
                "generationConfig.x=\"1\"",
                "n=1"
            ]
        );
        assert_eq!(fresh.system.as_deref(), Some("sys"));
        assert!(fresh.cache);
        assert!(fresh.from_template.contains(&"temperature"));
    }

    #[test]
    fn flags_win_over_the_template() {
        let t = Template {
            provider: Some("anthropic-like".into()),
            model: Some("m1".into()),
            temperature: Some(0.1),
            properties: BTreeMap::from([("a".to_string(), "t".to_string())]),
            ..Default::default()
        };
        let mut a = RequestArgs {
            provider: Some("other".into()),
            temperature: Some(0.9),
            properties: vec!["a=flag".into()],
            ..Default::default()
        };
        t.apply("t", Path::new("t.toml"), &mut a).unwrap();
        assert_eq!(a.provider.as_deref(), Some("other"));
        assert_eq!(
            a.model, None,
            "the template's model belongs to its provider"
        );
        assert_eq!(a.temperature, Some(0.9));
        assert_eq!(a.properties, ["a=t", "a=flag"]);
    }

    #[test]
    fn bad_names_and_malformed_files() {
        assert!(template_path("../x").is_ok(), "a path is taken as is");
        assert!(template_path(".hidden").is_err());
        assert!(template_path("a b").is_err());
        let err = parse("system = \"a\"\ntemprature = 1\n", Path::new("/t/x.toml"))
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("/t/x.toml") && err.contains("line 2, column 1"),
            "{err}"
        );
    }
}
