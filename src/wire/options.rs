//! `-o KEY=VALUE`: any body field by dotted path. The typed body is built
//! first; only when options are given does it go through a JSON value, so a
//! body without them keeps its exact bytes (and its key order). A field hcl
//! sets itself is never overwritten: the refusal names the flag to use.

use serde_json::{Map, Value};

use super::{WireFormat, anthropic, bedrock, gemini, openai};

/// One body field to set.
#[derive(Debug, Clone, PartialEq)]
pub struct BodyOption {
    /// The dotted path, split: `generationConfig.topK` → `["generationConfig", "topK"]`.
    pub path: Vec<String>,
    pub value: Value,
    /// Where it came from, for errors: `-o top_k`, `options.top_k in the config file`.
    pub origin: String,
    /// A default (the config file's): it yields to a field hcl sets
    /// instead of being refused.
    pub weak: bool,
}

impl BodyOption {
    /// The path as written.
    pub fn dotted(&self) -> String {
        dotted(&self.path)
    }
}

/// The leaves of a nested options table (the config file's and a
/// template's `[options]`): tables are walked, anything else (an empty
/// table too) is a value at its path.
pub fn leaves(table: &Map<String, Value>) -> Vec<(Vec<String>, Value)> {
    fn walk(
        table: &Map<String, Value>,
        prefix: &mut Vec<String>,
        out: &mut Vec<(Vec<String>, Value)>,
    ) {
        for (k, v) in table {
            prefix.push(k.clone());
            match v {
                Value::Object(map) if !map.is_empty() => walk(map, prefix, out),
                _ => out.push((prefix.clone(), v.clone())),
            }
            prefix.pop();
        }
    }
    let mut out = Vec::new();
    walk(table, &mut Vec::new(), &mut out);
    out
}

/// A path as written, with literal dots escaped.
pub fn dotted(path: &[String]) -> String {
    path.iter()
        .map(|s| s.replace('.', "\\."))
        .collect::<Vec<_>>()
        .join(".")
}

/// Parse `KEY=VALUE`: KEY a dotted path (`\.` for a dot inside a key),
/// VALUE JSON when it parses as JSON, else the text itself.
pub fn parse(raw: &str) -> Result<(Vec<String>, Value), String> {
    let Some((key, value)) = raw.split_once('=') else {
        return Err(format!(
            "'{raw}' is not KEY=VALUE; e.g. -o top_k=40 or -o generationConfig.topK=40"
        ));
    };
    let path = split_path(key.trim())?;
    let value = serde_json::from_str(value).unwrap_or_else(|_| Value::String(value.to_string()));
    Ok((path, value))
}

/// Split a dotted path; every segment must be non-empty.
pub fn split_path(key: &str) -> Result<Vec<String>, String> {
    let mut path = Vec::new();
    let mut cur = String::new();
    let mut chars = key.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => match chars.next() {
                Some('.') => cur.push('.'),
                Some(other) => {
                    cur.push('\\');
                    cur.push(other);
                }
                None => cur.push('\\'),
            },
            '.' => path.push(std::mem::take(&mut cur)),
            c => cur.push(c),
        }
    }
    path.push(cur);
    if path.iter().any(String::is_empty) {
        return Err(format!(
            "'{key}' is not a dotted path: every part between dots must have a name"
        ));
    }
    Ok(path)
}

/// Fields of each format that only hcl sets, whether or not this body holds
/// them, with the flag to use instead.
fn reserved(format: WireFormat) -> &'static [(&'static str, &'static str)] {
    match format {
        WireFormat::OpenAi => openai::RESERVED_FIELDS,
        WireFormat::Anthropic => anthropic::RESERVED_FIELDS,
        WireFormat::Gemini => gemini::RESERVED_FIELDS,
        WireFormat::Bedrock => bedrock::RESERVED_FIELDS,
    }
}

/// The flag that sets the field at `path` in `format`'s bodies.
fn owner(format: WireFormat, path: &[String]) -> &'static str {
    let dotted = dotted(path);
    let fields = match format {
        WireFormat::OpenAi => openai::FIELD_FLAGS,
        WireFormat::Anthropic => anthropic::FIELD_FLAGS,
        WireFormat::Gemini => gemini::FIELD_FLAGS,
        WireFormat::Bedrock => bedrock::FIELD_FLAGS,
    };
    reserved(format)
        .iter()
        .chain(fields)
        .filter(|(field, _)| dotted == *field || dotted.starts_with(&format!("{field}.")))
        .map(|(_, flag)| *flag)
        .next()
        .unwrap_or("its own flag")
}

/// Why `opt` may not be set on `body` (hcl's own body, before any option),
/// if it may not.
fn conflict(format: WireFormat, body: &Value, opt: &BodyOption) -> Option<String> {
    let first = opt.path[0].as_str();
    if let Some((_, flag)) = reserved(format).iter().find(|(f, _)| *f == first) {
        return Some(format!(
            "{}: hcl sets {first} itself; use {flag}",
            opt.origin
        ));
    }
    let mut at = body;
    for (i, seg) in opt.path.iter().enumerate() {
        let Value::Object(map) = at else {
            return Some(format!(
                "{}: {} is not an object in the body hcl builds (set by {}), so it has no field {seg}",
                opt.origin,
                dotted(&opt.path[..i]),
                owner(format, &opt.path[..i])
            ));
        };
        match map.get(seg) {
            None => return None,
            Some(next) => at = next,
        }
    }
    if at.is_object() {
        return Some(format!(
            "{}: hcl builds {} from its flags; set single fields inside it instead (-o {}.FIELD=VALUE)",
            opt.origin,
            opt.dotted(),
            opt.dotted()
        ));
    }
    Some(format!(
        "{}: hcl sets {} itself; use {}",
        opt.origin,
        opt.dotted(),
        owner(format, &opt.path)
    ))
}

/// Set `value` at `path`, creating objects on the way; a value that is not
/// an object on the way is replaced by one.
fn set(body: &mut Value, path: &[String], value: Value) {
    let Some((last, parents)) = path.split_last() else {
        return;
    };
    let mut at = body;
    for seg in parents {
        if !at.is_object() {
            *at = Value::Object(Map::new());
        }
        let Value::Object(map) = at else { return };
        at = map
            .entry(seg.clone())
            .or_insert_with(|| Value::Object(Map::new()));
    }
    if !at.is_object() {
        *at = Value::Object(Map::new());
    }
    if let Value::Object(map) = at {
        map.insert(last.clone(), value);
    }
}

/// Lay `options` over a body hcl built. Refuses an option on a field hcl
/// set; later options on the same path win over earlier ones.
pub fn apply(format: WireFormat, body: &str, options: &[BodyOption]) -> Result<String, String> {
    let built: Value = serde_json::from_str(body).map_err(|e| e.to_string())?;
    let mut merged = built.clone();
    for opt in options {
        if opt.path.is_empty() {
            continue;
        }
        if let Some(why) = conflict(format, &built, opt) {
            if opt.weak {
                continue;
            }
            return Err(why);
        }
        set(&mut merged, &opt.path, opt.value.clone());
    }
    serde_json::to_string(&merged).map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn opt(raw: &str) -> BodyOption {
        let (path, value) = parse(raw).unwrap();
        BodyOption {
            path,
            value,
            origin: format!("-o {raw}"),
            weak: false,
        }
    }

    #[test]
    fn values_are_json_when_they_parse() {
        assert_eq!(parse("a=1").unwrap().1, Value::from(1));
        assert_eq!(parse("a=true").unwrap().1, Value::from(true));
        assert_eq!(parse("a=null").unwrap().1, Value::Null);
        assert_eq!(parse(r#"a="1""#).unwrap().1, Value::from("1"));
        assert_eq!(
            parse("a=hello world").unwrap().1,
            Value::from("hello world")
        );
        assert_eq!(parse("a=[1,2]").unwrap().1, serde_json::json!([1, 2]));
        assert_eq!(parse("a=x=y").unwrap().1, Value::from("x=y"));
        assert_eq!(
            parse(r"a\.b.c=1").unwrap().0,
            vec!["a.b".to_string(), "c".to_string()]
        );
        assert!(parse("a").is_err());
        assert!(parse("a..b=1").is_err());
        assert!(parse("=1").is_err());
    }

    #[test]
    fn option_tables_flatten_to_leaf_paths() {
        let table: Map<String, Value> = serde_json::from_str(
            r#"{"generationConfig":{"topK":40,"thinkingConfig":{"thinkingBudget":0}},"metadata":{},"n":1}"#,
        )
        .unwrap();
        let paths: Vec<String> = leaves(&table).iter().map(|(p, _)| dotted(p)).collect();
        assert_eq!(
            paths,
            [
                "generationConfig.thinkingConfig.thinkingBudget",
                "generationConfig.topK",
                "metadata",
                "n"
            ]
        );
    }

    #[test]
    fn options_merge_into_the_body() {
        let body = r#"{"contents":[],"generationConfig":{"maxOutputTokens":5}}"#;
        let out = apply(
            WireFormat::Gemini,
            body,
            &[
                opt("generationConfig.thinkingConfig.thinkingBudget=0"),
                opt("safetySettings=[]"),
            ],
        )
        .unwrap();
        let v: Value = serde_json::from_str(&out).unwrap();
        assert_eq!(v["generationConfig"]["maxOutputTokens"], 5);
        assert_eq!(v["generationConfig"]["thinkingConfig"]["thinkingBudget"], 0);
        assert_eq!(v["safetySettings"], serde_json::json!([]));
    }

    #[test]
    fn fields_hcl_sets_are_refused_with_the_flag() {
        let body = r#"{"model":"m","messages":[],"temperature":0.5}"#;
        let err = apply(WireFormat::OpenAi, body, &[opt("temperature=1")]).unwrap_err();
        assert!(err.contains("--temperature"), "{err}");
        let err = apply(WireFormat::OpenAi, body, &[opt("model=x")]).unwrap_err();
        assert!(err.contains("--model"), "{err}");
        let err = apply(WireFormat::OpenAi, body, &[opt("temperature.x=1")]).unwrap_err();
        assert!(err.contains("not an object"), "{err}");
        // Not set by hcl this time: allowed.
        assert!(apply(WireFormat::OpenAi, body, &[opt("top_k=3")]).is_ok());
        let body = r#"{"contents":[],"generationConfig":{"temperature":0.5}}"#;
        let err = apply(WireFormat::Gemini, body, &[opt("generationConfig={}")]).unwrap_err();
        assert!(err.contains("generationConfig"), "{err}");
        let err = apply(WireFormat::Gemini, body, &[opt("systemInstruction.x=1")]).unwrap_err();
        assert!(err.contains("--system"), "{err}");
    }
}
