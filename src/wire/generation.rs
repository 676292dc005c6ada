//! Generation settings beyond the prompt (top-p, seed, stop sequences,
//! reasoning effort, JSON output) in format-neutral terms, and the checks
//! each format makes on them: its ranges, and the settings it cannot carry.
//! How each format writes them into a body lives in its own module.

use std::sync::Arc;

use serde_json::Value;

use super::ChatInput;

/// How hard the model should think before answering (`--reasoning`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Effort {
    Low,
    Medium,
    High,
}

impl Effort {
    pub fn name(self) -> &'static str {
        match self {
            Effort::Low => "low",
            Effort::Medium => "medium",
            Effort::High => "high",
        }
    }
}

/// The shape the answer must take.
#[derive(Debug, Clone, PartialEq)]
pub enum ResponseFormat {
    /// Any JSON object (`--json-object`).
    JsonObject,
    /// JSON valid against a schema (`--schema`).
    Schema(Arc<JsonSchema>),
}

/// A JSON Schema as it goes into a body.
#[derive(Debug, Clone, PartialEq)]
pub struct JsonSchema {
    /// `[A-Za-z0-9_-]{1,64}`: OpenAI's `json_schema.name`, Anthropic's tool name.
    pub name: String,
    pub schema: Value,
}

impl JsonSchema {
    /// The name a body may carry: the characters OpenAI and Anthropic
    /// accept, at most 64 of them, `response` when nothing is left.
    pub fn clean_name(raw: &str) -> String {
        let name: String = raw
            .chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() || c == '_' || c == '-' {
                    c
                } else {
                    '_'
                }
            })
            .take(64)
            .collect();
        if name.trim_matches('_').is_empty() {
            "response".to_string()
        } else {
            name
        }
    }
}

/// A generation setting, as errors name it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Setting {
    MaxTokens,
    Temperature,
    TopP,
    Seed,
    Stop,
    JsonObject,
    Schema,
}

impl Setting {
    /// The flag that sets it.
    pub fn flag(self) -> &'static str {
        match self {
            Setting::MaxTokens => "--max-tokens",
            Setting::Temperature => "--temperature",
            Setting::TopP => "--top-p",
            Setting::Seed => "--seed",
            Setting::Stop => "--stop",
            Setting::JsonObject => "--json-object",
            Setting::Schema => "--schema",
        }
    }

    /// Its key in the config file and in templates.
    pub fn key(self) -> &'static str {
        match self {
            Setting::MaxTokens => "max_tokens",
            Setting::Temperature => "temperature",
            Setting::TopP => "top_p",
            Setting::Seed => "seed",
            Setting::Stop => "stop",
            Setting::JsonObject => "json_object",
            Setting::Schema => "schema",
        }
    }
}

/// A setting the format refuses: out of its range, or not something it
/// can carry.
#[derive(Debug, Clone, PartialEq)]
pub struct Refused {
    pub setting: Setting,
    pub why: String,
}

impl Refused {
    pub fn new(setting: Setting, why: impl Into<String>) -> Refused {
        Refused {
            setting,
            why: why.into(),
        }
    }
}

/// The checks every format shares: numbers that are numbers, a token
/// limit of at least 1, top-p a probability, no empty stop sequence.
pub(super) fn common(input: &ChatInput) -> Result<(), Refused> {
    if let Some(t) = input.temperature
        && (!t.is_finite() || t < 0.0)
    {
        return Err(Refused::new(
            Setting::Temperature,
            format!("{t} must be a number of 0 or more"),
        ));
    }
    if input.max_tokens == Some(0) {
        return Err(Refused::new(Setting::MaxTokens, "must be at least 1"));
    }
    if let Some(p) = input.top_p
        && !(p.is_finite() && (0.0..=1.0).contains(&p))
    {
        return Err(Refused::new(
            Setting::TopP,
            format!("{p} is out of range: top-p is a probability from 0 to 1"),
        ));
    }
    if input.stop.iter().any(String::is_empty) {
        return Err(Refused::new(
            Setting::Stop,
            "a stop sequence must not be empty",
        ));
    }
    Ok(())
}

/// An upper bound a format puts on a setting.
pub(super) fn at_most(setting: Setting, value: f64, max: f64, who: &str) -> Result<(), Refused> {
    if value > max {
        return Err(Refused::new(
            setting,
            format!("{value} is out of range: {who} takes 0 to {max}"),
        ));
    }
    Ok(())
}

/// A cap on the number of stop sequences.
pub(super) fn stop_count(input: &ChatInput, max: usize, who: &str) -> Result<(), Refused> {
    if input.stop.len() > max {
        return Err(Refused::new(
            Setting::Stop,
            format!(
                "{} stop sequences given; {who} takes at most {max}",
                input.stop.len()
            ),
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn schema_names_are_cleaned() {
        assert_eq!(JsonSchema::clean_name("person"), "person");
        assert_eq!(JsonSchema::clean_name("my person.v2"), "my_person_v2");
        assert_eq!(JsonSchema::clean_name("..."), "response");
        assert_eq!(JsonSchema::clean_name(&"x".repeat(80)).len(), 64);
    }
}
