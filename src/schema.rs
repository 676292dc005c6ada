//! `--schema FILE|JSON`: the schema loaded and checked once, and each answer
//! validated against it. The JSON Schema work is the `jsonschema` crate's
//! (every draft; no network: a remote `$ref` is an error).

use std::path::Path;
use std::sync::Arc;

use serde_json::Value;

use crate::wire::JsonSchema;

/// A schema ready to go into a body and to validate answers.
pub struct Schema {
    pub body: Arc<JsonSchema>,
    validator: jsonschema::Validator,
}

impl std::fmt::Debug for Schema {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Schema").field("body", &self.body).finish()
    }
}

/// Where a schema was found, for messages.
fn describe(arg: &str) -> String {
    if looks_inline(arg) {
        "the --schema JSON".to_string()
    } else {
        format!("the schema file {arg}")
    }
}

fn looks_inline(arg: &str) -> bool {
    arg.trim_start().starts_with('{')
}

impl Schema {
    /// A schema from `--schema`: JSON text when it starts with `{`, else a
    /// file. The name it goes by in a body comes from the file's stem.
    pub fn load(arg: &str, base: Option<&Path>) -> Result<Schema, String> {
        let (text, name) = if looks_inline(arg) {
            (arg.to_string(), "response".to_string())
        } else {
            let path = match base {
                Some(dir) if Path::new(arg).is_relative() => dir.join(arg),
                _ => Path::new(arg).to_path_buf(),
            };
            let text = std::fs::read_to_string(&path).map_err(|e| {
                format!(
                    "cannot read the schema file {}: {e}; give a file holding a JSON Schema, or the schema itself as JSON",
                    path.display()
                )
            })?;
            let stem = path
                .file_stem()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_default();
            let stem = stem.strip_suffix(".schema").unwrap_or(&stem).to_string();
            (text, stem)
        };
        let value: Value = serde_json::from_str(&text).map_err(|e| {
            format!(
                "{} is not JSON: {e} (line {}, column {})",
                describe(arg),
                e.line(),
                e.column()
            )
        })?;
        Schema::from_value(value, &name).map_err(|e| format!("{}: {e}", describe(arg)))
    }

    /// A schema from its JSON value.
    pub fn from_value(value: Value, name: &str) -> Result<Schema, String> {
        if !value.is_object() {
            return Err(
                "a JSON Schema must be an object, such as {\"type\": \"object\", …}".into(),
            );
        }
        let validator = jsonschema::validator_for(&value).map_err(|e| {
            let at = e.schema_path().as_str().to_string();
            if at.is_empty() {
                format!("is not a valid JSON Schema: {e}")
            } else {
                format!("is not a valid JSON Schema at {at}: {e}")
            }
        })?;
        Ok(Schema {
            body: Arc::new(JsonSchema {
                name: JsonSchema::clean_name(name),
                schema: value,
            }),
            validator,
        })
    }

    /// Check an answer: it must be JSON, valid against the schema. The
    /// error names the first failing place as a JSON pointer.
    pub fn check(&self, answer: &str) -> Result<(), String> {
        let value = parse_answer(answer)?;
        match self.validator.validate(&value) {
            Ok(()) => Ok(()),
            Err(e) => {
                let path = e.instance_path().as_str();
                let path = if path.is_empty() { "/" } else { path };
                Err(format!(
                    "the answer does not match the schema at {path}: {e}"
                ))
            }
        }
    }
}

/// The answer as JSON, or why it is not.
pub fn parse_answer(answer: &str) -> Result<Value, String> {
    if answer.trim().is_empty() {
        return Err("the answer is empty, not JSON".to_string());
    }
    serde_json::from_str(answer.trim()).map_err(|e| format!("the answer is not JSON: {e}"))
}

/// `--json-object`: the answer must be a JSON object.
pub fn check_object(answer: &str) -> Result<(), String> {
    match parse_answer(answer)? {
        Value::Object(_) => Ok(()),
        _ => Err("the answer is JSON but not an object".to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn person() -> Schema {
        Schema::load(
            r#"{"type":"object","properties":{"name":{"type":"string"},"age":{"type":"integer","minimum":0}},"required":["name","age"]}"#,
            None,
        )
        .unwrap()
    }

    #[test]
    fn answers_are_validated_naming_the_first_failing_path() {
        let s = person();
        assert!(s.check(r#"{"name":"Ada","age":36}"#).is_ok());
        let err = s.check(r#"{"name":"Ada","age":-1}"#).unwrap_err();
        assert!(err.contains("at /age"), "{err}");
        let err = s.check(r#"{"name":"Ada"}"#).unwrap_err();
        assert!(err.contains("at /:") && err.contains("age"), "{err}");
        let err = s.check("Sure! Here it is").unwrap_err();
        assert!(err.contains("not JSON"), "{err}");
    }

    #[test]
    fn bad_schemas_are_refused() {
        let err = Schema::load(r#"{"type": 12}"#, None).unwrap_err();
        assert!(err.contains("not a valid JSON Schema"), "{err}");
        let err = Schema::load("{not json", None).unwrap_err();
        assert!(err.contains("not JSON"), "{err}");
        let err = Schema::load("/no/such/file.json", None).unwrap_err();
        assert!(err.contains("cannot read the schema file"), "{err}");
        let err = Schema::load(r#"{"$ref": "https://example.com/s.json"}"#, None).unwrap_err();
        assert!(err.contains("not a valid JSON Schema"), "{err}");
    }

    #[test]
    fn the_file_stem_names_the_schema() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("person.schema.json");
        std::fs::write(&p, r#"{"type":"object"}"#).unwrap();
        let s = Schema::load(p.to_str().unwrap(), None).unwrap();
        assert_eq!(s.body.name, "person");
        let s = Schema::load("person.schema.json", Some(dir.path())).unwrap();
        assert_eq!(s.body.name, "person");
    }
}
