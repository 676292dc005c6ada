//! Model lists as each wire format's list endpoint answers them, decoded
//! tolerantly into ids: OpenAI-compatible hosts answer `{"data": […]}`, a
//! bare array (Together) or `{"models": […]}`; Anthropic pages with
//! `has_more`/`last_id`; Google answers `{"models": [{"name":
//! "models/…"}]}` (or Vertex's `publisherModels`) and pages with
//! `nextPageToken`.

use serde::Deserialize;

use super::WireFormat;

/// Which listed models a row keeps: the ones that can chat.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Keep {
    All,
    /// Together: `"type": "chat"`.
    TypeChat,
    /// Google: `supportedGenerationMethods` holds `generateContent`.
    GenerateContent,
    /// Azure: `capabilities.chat_completion` is true.
    ChatCompletion,
    /// Perplexity: its own ids, not `vendor/model`.
    NoSlash,
}

/// One page of a model list.
#[derive(Debug, Default, PartialEq)]
pub struct ModelPage {
    pub ids: Vec<String>,
    /// The query parameter and value that ask for the next page.
    pub next: Option<(&'static str, String)>,
}

impl WireFormat {
    /// The list endpoint's path and query, for a row that names none.
    pub fn models_path(self) -> &'static str {
        match self {
            WireFormat::OpenAi => "/v1/models",
            WireFormat::Anthropic => "/v1/models?limit=1000",
            WireFormat::Gemini => "/v1beta/models?pageSize=1000",
            // ListFoundationModels is Bedrock's control plane
            // (bedrock.REGION.amazonaws.com), which Helicone does not
            // proxy: the bedrock row has no list, only a curated one.
            WireFormat::Bedrock => "/foundation-models",
        }
    }
}

#[derive(Deserialize)]
struct Item {
    #[serde(default)]
    id: Option<String>,
    #[serde(default)]
    name: Option<String>,
    #[serde(default, rename = "type")]
    kind: Option<String>,
    #[serde(default, rename = "supportedGenerationMethods")]
    methods: Option<Vec<String>>,
    #[serde(default)]
    capabilities: Option<Capabilities>,
}

#[derive(Deserialize)]
struct Capabilities {
    #[serde(default)]
    chat_completion: Option<bool>,
}

#[derive(Deserialize)]
#[serde(untagged)]
enum Body {
    Bare(Vec<Item>),
    Wrapped {
        #[serde(default)]
        data: Option<Vec<Item>>,
        #[serde(default)]
        models: Option<Vec<Item>>,
        #[serde(default, rename = "publisherModels")]
        publisher_models: Option<Vec<Item>>,
        #[serde(default)]
        has_more: Option<bool>,
        #[serde(default)]
        last_id: Option<String>,
        #[serde(default, rename = "nextPageToken")]
        next_page_token: Option<String>,
    },
}

impl Item {
    /// The id a request names the model by.
    fn id(&self, format: WireFormat) -> Option<String> {
        let raw = match format {
            WireFormat::Gemini => self.name.as_deref().or(self.id.as_deref()),
            WireFormat::OpenAi | WireFormat::Anthropic => self.id.as_deref(),
            WireFormat::Bedrock => self.id.as_deref().or(self.name.as_deref()),
        }?;
        let id = raw.rsplit_once("models/").map_or(raw, |(_, tail)| tail);
        (!id.trim().is_empty()).then(|| id.to_string())
    }

    fn kept(&self, keep: Keep, id: &str) -> bool {
        match keep {
            Keep::All => true,
            Keep::TypeChat => self.kind.as_deref().is_none_or(|k| k == "chat"),
            Keep::GenerateContent => self
                .methods
                .as_ref()
                .is_none_or(|m| m.iter().any(|x| x == "generateContent")),
            Keep::ChatCompletion => self
                .capabilities
                .as_ref()
                .and_then(|c| c.chat_completion)
                .unwrap_or(true),
            Keep::NoSlash => !id.contains('/'),
        }
    }
}

/// Decode one page of a list answer in `format`.
pub fn parse_models(format: WireFormat, keep: Keep, body: &[u8]) -> Result<ModelPage, String> {
    let body: Body = serde_json::from_slice(body).map_err(|e| format!("not a model list: {e}"))?;
    let (items, next) = match body {
        Body::Bare(items) => (items, None),
        Body::Wrapped {
            data,
            models,
            publisher_models,
            has_more,
            last_id,
            next_page_token,
        } => {
            let items = data
                .or(models)
                .or(publisher_models)
                .ok_or("not a model list: no data, models or publisherModels")?;
            let next = match (has_more, last_id, next_page_token) {
                (Some(true), Some(last), _) => Some(("after_id", last)),
                (_, _, Some(token)) if !token.is_empty() => Some(("pageToken", token)),
                _ => None,
            };
            (items, next)
        }
    };
    let ids = items
        .iter()
        .filter_map(|item| item.id(format).filter(|id| item.kept(keep, id)))
        .collect();
    Ok(ModelPage { ids, next })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ids(format: WireFormat, keep: Keep, body: &str) -> ModelPage {
        parse_models(format, keep, body.as_bytes()).unwrap()
    }

    #[test]
    fn every_shape_reads() {
        let openai = r#"{"object":"list","data":[{"id":"gpt-4o","object":"model","created":1,"owned_by":"openai"}]}"#;
        assert_eq!(ids(WireFormat::OpenAi, Keep::All, openai).ids, ["gpt-4o"]);
        let together = r#"[{"id":"a","type":"chat"},{"id":"b","type":"image"},{"id":"c"}]"#;
        assert_eq!(
            ids(WireFormat::OpenAi, Keep::TypeChat, together).ids,
            ["a", "c"]
        );
        let anthropic = r#"{"data":[{"id":"claude-x","type":"model","display_name":"X"}],"has_more":true,"first_id":"claude-x","last_id":"claude-x"}"#;
        let page = ids(WireFormat::Anthropic, Keep::All, anthropic);
        assert_eq!(page.ids, ["claude-x"]);
        assert_eq!(page.next, Some(("after_id", "claude-x".to_string())));
        let gemini = r#"{"models":[{"name":"models/gemini-2.5-flash","supportedGenerationMethods":["generateContent","countTokens"]},{"name":"models/embedding-001","supportedGenerationMethods":["embedContent"]}],"nextPageToken":"tok"}"#;
        let page = ids(WireFormat::Gemini, Keep::GenerateContent, gemini);
        assert_eq!(page.ids, ["gemini-2.5-flash"]);
        assert_eq!(page.next, Some(("pageToken", "tok".to_string())));
        let vertex =
            r#"{"publisherModels":[{"name":"publishers/google/models/gemini-2.0-flash"}]}"#;
        assert_eq!(
            ids(WireFormat::Gemini, Keep::All, vertex).ids,
            ["gemini-2.0-flash"]
        );
        let azure = r#"{"data":[{"id":"gpt-4o","capabilities":{"chat_completion":true}},{"id":"ada","capabilities":{"chat_completion":false}}]}"#;
        assert_eq!(
            ids(WireFormat::OpenAi, Keep::ChatCompletion, azure).ids,
            ["gpt-4o"]
        );
        let pplx = r#"{"data":[{"id":"sonar"},{"id":"openai/gpt-5"}]}"#;
        assert_eq!(ids(WireFormat::OpenAi, Keep::NoSlash, pplx).ids, ["sonar"]);
        assert!(parse_models(WireFormat::OpenAi, Keep::All, b"<html>").is_err());
        assert!(parse_models(WireFormat::OpenAi, Keep::All, b"{\"error\":{}}").is_err());
    }
}
