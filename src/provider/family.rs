//! Which row a model id names: its family (`claude-` → anthropic), or its
//! place in exactly one row's built-in list; and a row's other names
//! (`claude` for anthropic), for `-m NAME:MODEL` and for hints.

use super::{Family, NOT_INFERRED, PROVIDERS, Provider};

/// The rows whose family the model id belongs to, best first (table
/// order among equals): the rows of the longest matching pattern. Empty
/// when no row claims it, when the longest match says "any host" (an
/// open-weight model), or for a versioned id (`…@2025…`, Vertex's).
pub fn rows_for_model(model: &str) -> Vec<&'static Provider> {
    let id = model.trim().to_ascii_lowercase();
    if id.is_empty() || id.contains('@') {
        return Vec::new();
    }
    let best_of = |families: &[Family]| families.iter().filter_map(|f| f.strength(&id)).max();
    let mut best = 0;
    let mut rows = Vec::new();
    for p in PROVIDERS {
        match best_of(p.models.families) {
            Some(n) if n > best => {
                best = n;
                rows = vec![p];
            }
            Some(n) if n == best => rows.push(p),
            _ => {}
        }
    }
    if best_of(NOT_INFERRED).is_some_and(|n| n >= best) {
        return Vec::new();
    }
    if !rows.is_empty() {
        return rows;
    }
    // An id in exactly one row's built-in list.
    let listed: Vec<&'static Provider> = PROVIDERS
        .iter()
        .filter(|p| {
            p.models
                .curated
                .iter()
                .any(|c| c.eq_ignore_ascii_case(model.trim()))
        })
        .collect();
    if listed.len() == 1 {
        listed
    } else {
        Vec::new()
    }
}

/// Whether a request of `row` for `model` looks like a mistake: the model
/// belongs to other rows' family. Returns the row it belongs to.
pub fn mismatch(row: &Provider, model: &str) -> Option<&'static Provider> {
    if row.models.any_family {
        return None;
    }
    let rows = rows_for_model(model);
    if rows.is_empty() || rows.iter().any(|p| p.name == row.name) {
        return None;
    }
    rows.first().copied()
}

/// The row of a name or of one of its other names (`claude`), any case.
pub fn find_named(name: &str) -> Option<&'static Provider> {
    let name = name.trim();
    super::find(name).or_else(|| {
        PROVIDERS
            .iter()
            .find(|p| p.aka.iter().any(|a| a.eq_ignore_ascii_case(name)))
    })
}

/// The row a mistyped provider name most likely means: one of its other
/// names, or a family word (`gpt` → openai).
pub fn suggest(name: &str) -> Option<&'static Provider> {
    find_named(name).or_else(|| {
        let rows = rows_for_model(&format!("{}-", name.trim()));
        (rows.len() == 1).then(|| rows[0])
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(model: &str) -> Vec<&'static str> {
        rows_for_model(model).iter().map(|p| p.name).collect()
    }

    #[test]
    fn families_pick_rows() {
        assert_eq!(names("claude-3-5-haiku-latest"), ["anthropic"]);
        assert_eq!(names("Claude-Opus-4-1"), ["anthropic"]);
        assert_eq!(names("gpt-4o-mini"), ["openai"]);
        assert_eq!(names("o3"), ["openai"]);
        assert_eq!(names("o4-mini"), ["openai"]);
        assert_eq!(names("ft:gpt-4o-mini-2024-07-18:org::abc123"), ["openai"]);
        assert_eq!(names("gemini-2.5-flash"), ["gemini", "vertex"]);
        assert_eq!(names("llama-3.3-70b-versatile"), ["groq"]);
        assert_eq!(names("llama3.1-8b"), ["cerebras"]);
        assert_eq!(names("sonar"), ["perplexity"]);
        assert_eq!(names("grok-3-mini"), ["xai"]);
        assert_eq!(names("accounts/fireworks/models/x"), ["fireworks"]);
        assert_eq!(names("claude-3-5-haiku/anthropic"), ["ai-gateway"]);
        assert_eq!(names("mistral-small-latest"), ["mistral"]);
        // Bedrock's ids, bare and as inference profiles.
        assert_eq!(
            names("anthropic.claude-3-5-sonnet-20240620-v1:0"),
            ["bedrock"]
        );
        assert_eq!(names("us.amazon.nova-lite-v1:0"), ["bedrock"]);
        // Open-weight, versioned, slashed, unknown: nobody's.
        for none in [
            "gpt-oss-120b",
            "openai/gpt-oss-20b-custom",
            "deepseek-r1-distill-llama-70b",
            "llama-4-scout-17b-16e-instruct",
            "claude-sonnet-4-5@20250929",
            "meta-llama/Llama-3.3-70B-Instruct-Turbo",
            "my-deployment",
            "",
        ] {
            assert!(names(none).is_empty(), "{none}: {:?}", names(none));
        }
        // In exactly one built-in list.
        assert_eq!(
            names("meta-llama/Meta-Llama-3.1-8B-Instruct"),
            ["deepinfra"]
        );
        assert_eq!(names("openai/gpt-oss-120b"), ["groq"]);
    }

    #[test]
    fn mismatches_and_names() {
        let openai = super::super::find("openai").unwrap();
        let azure = super::super::find("azure").unwrap();
        let vertex = super::super::find("vertex").unwrap();
        assert_eq!(
            mismatch(openai, "claude-3-5-haiku-latest").map(|p| p.name),
            Some("anthropic")
        );
        assert!(mismatch(openai, "gpt-4o").is_none());
        assert!(mismatch(openai, "whatever").is_none());
        assert!(mismatch(azure, "claude-3-5-haiku-latest").is_none());
        assert!(mismatch(vertex, "gemini-2.0-flash").is_none());
        assert_eq!(find_named("Claude").map(|p| p.name), Some("anthropic"));
        assert_eq!(suggest("claude").map(|p| p.name), Some("anthropic"));
        assert_eq!(suggest("gpt").map(|p| p.name), Some("openai"));
        assert_eq!(suggest("zzz").map(|p| p.name), None);
    }

    #[test]
    fn other_names_are_unique_and_no_row_name() {
        let mut seen: Vec<&str> = PROVIDERS.iter().map(|p| p.name).collect();
        for p in PROVIDERS {
            for a in p.aka {
                assert!(!seen.contains(a), "{a} is used twice");
                assert_eq!(*a, a.to_ascii_lowercase());
                seen.push(a);
            }
        }
    }
}
