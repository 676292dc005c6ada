//! The provider table: every provider hcl knows, as data. Routing, `hcl
//! providers`, `--provider` completion, the docs and the table-driven tests
//! all read this one table. A provider that speaks an existing wire format is
//! one more row.

use serde::Serialize;

/// The three request/response dialects hcl speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum WireFormat {
    /// OpenAI chat completions (and every OpenAI-compatible host).
    OpenAi,
    /// Anthropic Messages.
    Anthropic,
    /// Google generateContent (Gemini API and Vertex AI).
    Gemini,
}

impl WireFormat {
    pub const ALL: [WireFormat; 3] = [
        WireFormat::OpenAi,
        WireFormat::Anthropic,
        WireFormat::Gemini,
    ];

    pub fn name(self) -> &'static str {
        match self {
            WireFormat::OpenAi => "openai",
            WireFormat::Anthropic => "anthropic",
            WireFormat::Gemini => "gemini",
        }
    }

    /// The API path used when a row does not name its own.
    fn default_path(self) -> &'static str {
        match self {
            WireFormat::OpenAi => "/v1/chat/completions",
            WireFormat::Anthropic => "/v1/messages",
            WireFormat::Gemini => "/v1beta/models/{model}:generateContent",
        }
    }

    fn default_key_style(self) -> KeyStyle {
        match self {
            WireFormat::OpenAi => KeyStyle::Bearer,
            WireFormat::Anthropic => KeyStyle::XApiKey,
            WireFormat::Gemini => KeyStyle::XGoogApiKey,
        }
    }

    /// Headers every request in this format carries.
    pub fn fixed_headers(self) -> &'static [(&'static str, &'static str)] {
        match self {
            WireFormat::Anthropic => &[("anthropic-version", "2023-06-01")],
            WireFormat::OpenAi | WireFormat::Gemini => &[],
        }
    }

    /// A default model for the `gateway` row, which has none of its own.
    fn default_model(self) -> &'static str {
        match self {
            WireFormat::OpenAi => "gpt-4o-mini",
            WireFormat::Anthropic => "claude-3-5-haiku-latest",
            WireFormat::Gemini => "gemini-2.0-flash",
        }
    }
}

/// How the provider key travels.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyStyle {
    /// `Authorization: Bearer KEY`
    Bearer,
    /// `x-api-key: KEY`
    XApiKey,
    /// `api-key: KEY` (Azure)
    ApiKey,
    /// `x-goog-api-key: KEY` (never `?key=`: Helicone stores full URLs)
    XGoogApiKey,
    /// The row's wire format decides (the `gateway` row).
    FormatDefault,
    /// The Helicone key is the bearer; there is no provider key (`ai-gateway`).
    HeliconeBearer,
}

impl KeyStyle {
    /// Header name and value prefix.
    pub fn header(self, format: WireFormat) -> Option<(&'static str, &'static str)> {
        match self {
            KeyStyle::Bearer | KeyStyle::HeliconeBearer => Some(("Authorization", "Bearer ")),
            KeyStyle::XApiKey => Some(("x-api-key", "")),
            KeyStyle::ApiKey => Some(("api-key", "")),
            KeyStyle::XGoogApiKey => Some(("x-goog-api-key", "")),
            KeyStyle::FormatDefault => format.default_key_style().header(format),
        }
    }
}

/// Which Helicone routing header a row needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Routing {
    /// The Helicone host implies the upstream.
    Host,
    /// `Helicone-Target-Url` with a fixed origin.
    TargetUrl(&'static str),
    /// `Helicone-Target-Url: https://{location}-aiplatform.googleapis.com` (Vertex).
    VertexTarget,
    /// `Helicone-Target-Url` from `--target-url` (the `gateway` row).
    TargetUrlFlag,
    /// `Helicone-OpenAI-Api-Base` from `AZURE_OPENAI_ENDPOINT` (Azure).
    AzureApiBase,
}

impl Routing {
    pub fn header_name(self) -> Option<&'static str> {
        match self {
            Routing::Host => None,
            Routing::TargetUrl(_) | Routing::VertexTarget | Routing::TargetUrlFlag => {
                Some("Helicone-Target-Url")
            }
            Routing::AzureApiBase => Some("Helicone-OpenAI-Api-Base"),
        }
    }
}

/// The origin used with `--direct`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direct {
    Origin(&'static str),
    /// Same origin as the routing header (Vertex, Azure, gateway).
    FromRouting,
    /// There is nothing to bypass (`ai-gateway` is Helicone itself).
    Unsupported,
}

/// One provider row.
#[derive(Debug)]
pub struct Provider {
    pub name: &'static str,
    /// `None`: chosen with `--format` (the `gateway` row).
    pub format: Option<WireFormat>,
    /// The Helicone base: scheme, host and optional path prefix.
    pub helicone_base: &'static str,
    pub direct: Direct,
    /// API path template; `{model}`, `{project}`, `{location}` and
    /// `{api_version}` are substituted. `None`: the wire format's default.
    pub path: Option<&'static str>,
    pub key_style: KeyStyle,
    /// Environment variables that hold the provider key, in lookup order.
    pub key_env: &'static [&'static str],
    pub routing: Routing,
    /// `None`: the model must be given (Azure deployments).
    pub default_model: Option<&'static str>,
    /// Accepts `stream_options.include_usage`.
    pub stream_usage: bool,
    /// Takes the output limit as `max_completion_tokens` (OpenAI's current
    /// name, required by its reasoning models) rather than `max_tokens`.
    pub max_completion_tokens: bool,
    pub about: &'static str,
}

/// The name used for the `HCL_BASE_URL_<NAME>` variable and config sections.
impl Provider {
    pub fn env_suffix(&self) -> String {
        self.name.to_ascii_uppercase().replace('-', "_")
    }

    pub fn path_template(&self, format: WireFormat) -> &'static str {
        self.path.unwrap_or_else(|| format.default_path())
    }

    pub fn default_model_for(&self, format: WireFormat) -> Option<&'static str> {
        match self.format {
            Some(_) => self.default_model,
            None => Some(format.default_model()),
        }
    }

    /// The name of the first key variable, for messages and `--curl`.
    pub fn key_var(&self) -> Option<&'static str> {
        match self.key_style {
            KeyStyle::HeliconeBearer => None,
            _ => self.key_env.first().copied(),
        }
    }

    /// What this row's OpenAI-compatible host accepts.
    pub fn dialect(&self) -> crate::wire::Dialect {
        crate::wire::Dialect {
            stream_usage: self.stream_usage,
            max_completion_tokens: self.max_completion_tokens,
        }
    }

    pub fn uses_provider_key(&self) -> bool {
        self.key_style != KeyStyle::HeliconeBearer
    }
}

const OPENAI_COMPAT: Option<WireFormat> = Some(WireFormat::OpenAi);

pub static PROVIDERS: &[Provider] = &[
    Provider {
        name: "openai",
        format: OPENAI_COMPAT,
        helicone_base: "https://oai.helicone.ai",
        direct: Direct::Origin("https://api.openai.com"),
        path: None,
        key_style: KeyStyle::Bearer,
        key_env: &["OPENAI_API_KEY"],
        routing: Routing::Host,
        default_model: Some("gpt-4o-mini"),
        stream_usage: true,
        max_completion_tokens: true,
        about: "OpenAI",
    },
    Provider {
        name: "azure",
        format: OPENAI_COMPAT,
        helicone_base: "https://oai.helicone.ai",
        direct: Direct::FromRouting,
        path: Some("/openai/deployments/{model}/chat/completions?api-version={api_version}"),
        key_style: KeyStyle::ApiKey,
        key_env: &["AZURE_OPENAI_API_KEY"],
        routing: Routing::AzureApiBase,
        default_model: None,
        stream_usage: true,
        max_completion_tokens: true,
        about: "Azure OpenAI (--model is the deployment)",
    },
    Provider {
        name: "anthropic",
        format: Some(WireFormat::Anthropic),
        helicone_base: "https://anthropic.helicone.ai",
        direct: Direct::Origin("https://api.anthropic.com"),
        path: None,
        key_style: KeyStyle::XApiKey,
        key_env: &["ANTHROPIC_API_KEY"],
        routing: Routing::Host,
        default_model: Some("claude-3-5-haiku-latest"),
        stream_usage: false,
        max_completion_tokens: false,
        about: "Anthropic Messages",
    },
    Provider {
        name: "gemini",
        format: Some(WireFormat::Gemini),
        helicone_base: "https://gateway.helicone.ai",
        direct: Direct::FromRouting,
        path: None,
        key_style: KeyStyle::XGoogApiKey,
        key_env: &["GEMINI_API_KEY", "GOOGLE_API_KEY"],
        routing: Routing::TargetUrl("https://generativelanguage.googleapis.com"),
        default_model: Some("gemini-2.0-flash"),
        stream_usage: false,
        max_completion_tokens: false,
        about: "Google Gemini API (AI Studio)",
    },
    Provider {
        name: "vertex",
        format: Some(WireFormat::Gemini),
        helicone_base: "https://gateway.helicone.ai",
        direct: Direct::FromRouting,
        path: Some(
            "/v1/projects/{project}/locations/{location}/publishers/google/models/{model}:generateContent",
        ),
        key_style: KeyStyle::Bearer,
        key_env: &["VERTEX_ACCESS_TOKEN"],
        routing: Routing::VertexTarget,
        default_model: Some("gemini-2.0-flash"),
        stream_usage: false,
        max_completion_tokens: false,
        about: "Google Vertex AI (VERTEX_PROJECT, VERTEX_LOCATION)",
    },
    Provider {
        name: "groq",
        format: OPENAI_COMPAT,
        helicone_base: "https://groq.helicone.ai",
        direct: Direct::Origin("https://api.groq.com"),
        path: Some("/openai/v1/chat/completions"),
        key_style: KeyStyle::Bearer,
        key_env: &["GROQ_API_KEY"],
        routing: Routing::Host,
        default_model: Some("llama-3.3-70b-versatile"),
        stream_usage: true,
        max_completion_tokens: false,
        about: "Groq",
    },
    Provider {
        name: "together",
        format: OPENAI_COMPAT,
        helicone_base: "https://together.helicone.ai",
        direct: Direct::Origin("https://api.together.xyz"),
        path: None,
        key_style: KeyStyle::Bearer,
        key_env: &["TOGETHER_API_KEY"],
        routing: Routing::Host,
        default_model: Some("meta-llama/Llama-3.3-70B-Instruct-Turbo"),
        stream_usage: true,
        max_completion_tokens: false,
        about: "Together AI",
    },
    Provider {
        name: "openrouter",
        format: OPENAI_COMPAT,
        helicone_base: "https://openrouter.helicone.ai",
        direct: Direct::Origin("https://openrouter.ai"),
        path: Some("/api/v1/chat/completions"),
        key_style: KeyStyle::Bearer,
        key_env: &["OPENROUTER_API_KEY"],
        routing: Routing::Host,
        default_model: Some("openai/gpt-4o-mini"),
        stream_usage: true,
        max_completion_tokens: false,
        about: "OpenRouter",
    },
    Provider {
        name: "mistral",
        format: OPENAI_COMPAT,
        helicone_base: "https://mistral.helicone.ai",
        direct: Direct::Origin("https://api.mistral.ai"),
        path: None,
        key_style: KeyStyle::Bearer,
        key_env: &["MISTRAL_API_KEY"],
        routing: Routing::Host,
        default_model: Some("mistral-small-latest"),
        stream_usage: false,
        max_completion_tokens: false,
        about: "Mistral AI",
    },
    Provider {
        name: "fireworks",
        format: OPENAI_COMPAT,
        helicone_base: "https://fireworks.helicone.ai",
        direct: Direct::Origin("https://api.fireworks.ai"),
        path: Some("/inference/v1/chat/completions"),
        key_style: KeyStyle::Bearer,
        key_env: &["FIREWORKS_API_KEY"],
        routing: Routing::Host,
        default_model: Some("accounts/fireworks/models/llama-v3p1-8b-instruct"),
        stream_usage: true,
        max_completion_tokens: false,
        about: "Fireworks AI",
    },
    Provider {
        name: "perplexity",
        format: OPENAI_COMPAT,
        helicone_base: "https://perplexity.helicone.ai",
        direct: Direct::Origin("https://api.perplexity.ai"),
        path: Some("/chat/completions"),
        key_style: KeyStyle::Bearer,
        key_env: &["PERPLEXITY_API_KEY"],
        routing: Routing::Host,
        default_model: Some("sonar"),
        stream_usage: false,
        max_completion_tokens: false,
        about: "Perplexity",
    },
    Provider {
        name: "deepseek",
        format: OPENAI_COMPAT,
        helicone_base: "https://deepseek.helicone.ai",
        direct: Direct::Origin("https://api.deepseek.com"),
        path: None,
        key_style: KeyStyle::Bearer,
        key_env: &["DEEPSEEK_API_KEY"],
        routing: Routing::Host,
        default_model: Some("deepseek-chat"),
        stream_usage: true,
        max_completion_tokens: false,
        about: "DeepSeek",
    },
    Provider {
        name: "xai",
        format: OPENAI_COMPAT,
        helicone_base: "https://x.helicone.ai",
        direct: Direct::Origin("https://api.x.ai"),
        path: None,
        key_style: KeyStyle::Bearer,
        key_env: &["XAI_API_KEY"],
        routing: Routing::Host,
        default_model: Some("grok-3-mini"),
        stream_usage: true,
        max_completion_tokens: false,
        about: "xAI (Grok)",
    },
    Provider {
        name: "deepinfra",
        format: OPENAI_COMPAT,
        helicone_base: "https://deepinfra.helicone.ai",
        direct: Direct::Origin("https://api.deepinfra.com"),
        path: Some("/v1/openai/chat/completions"),
        key_style: KeyStyle::Bearer,
        key_env: &["DEEPINFRA_API_KEY"],
        routing: Routing::Host,
        default_model: Some("meta-llama/Meta-Llama-3.1-8B-Instruct"),
        stream_usage: true,
        max_completion_tokens: false,
        about: "DeepInfra",
    },
    Provider {
        name: "cerebras",
        format: OPENAI_COMPAT,
        helicone_base: "https://cerebras.helicone.ai",
        direct: Direct::Origin("https://api.cerebras.ai"),
        path: None,
        key_style: KeyStyle::Bearer,
        key_env: &["CEREBRAS_API_KEY"],
        routing: Routing::Host,
        default_model: Some("llama3.1-8b"),
        stream_usage: true,
        max_completion_tokens: false,
        about: "Cerebras",
    },
    Provider {
        name: "gateway",
        format: None,
        helicone_base: "https://gateway.helicone.ai",
        direct: Direct::FromRouting,
        path: None,
        key_style: KeyStyle::FormatDefault,
        key_env: &["HCL_GATEWAY_API_KEY"],
        routing: Routing::TargetUrlFlag,
        default_model: None,
        stream_usage: true,
        max_completion_tokens: false,
        about: "Any upstream: --target-url ORIGIN --format openai|anthropic|gemini",
    },
    Provider {
        name: "ai-gateway",
        format: OPENAI_COMPAT,
        helicone_base: "https://ai-gateway.helicone.ai",
        direct: Direct::Unsupported,
        path: None,
        key_style: KeyStyle::HeliconeBearer,
        key_env: &[],
        routing: Routing::Host,
        default_model: Some("gpt-4o-mini/openai"),
        stream_usage: true,
        max_completion_tokens: false,
        about: "Helicone AI Gateway (model/provider strings, Helicone key only)",
    },
];

pub fn find(name: &str) -> Option<&'static Provider> {
    PROVIDERS.iter().find(|p| p.name.eq_ignore_ascii_case(name))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_unique_and_lowercase() {
        for (i, p) in PROVIDERS.iter().enumerate() {
            assert_eq!(p.name, p.name.to_ascii_lowercase());
            assert!(
                PROVIDERS[i + 1..].iter().all(|q| q.name != p.name),
                "{}",
                p.name
            );
        }
    }

    #[test]
    fn every_row_can_build_a_path_and_a_key_header() {
        for p in PROVIDERS {
            let format = p.format.unwrap_or(WireFormat::OpenAi);
            assert!(p.path_template(format).starts_with('/'), "{}", p.name);
            assert!(p.key_style.header(format).is_some(), "{}", p.name);
            assert!(p.helicone_base.starts_with("https://"), "{}", p.name);
            if p.uses_provider_key() {
                assert!(p.key_var().is_some(), "{} needs a key variable", p.name);
            }
        }
    }
}
