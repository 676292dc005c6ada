//! The provider table: every provider hcl knows, as data. Routing, `hcl
//! providers`, `--provider` completion, the docs and the table-driven tests
//! all read this one table. A provider that speaks an existing wire format is
//! one more row.

pub mod family;
pub mod route;

use crate::wire::WireFormat;

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
    /// Every header a provider key can travel in, for telling a secret
    /// header given with `-H` from a plain one.
    pub const HEADER_NAMES: [&'static str; 4] =
        ["Authorization", "x-api-key", "api-key", "x-goog-api-key"];

    /// Header name and value prefix.
    pub fn header(self, format: WireFormat) -> Option<(&'static str, &'static str)> {
        self.fixed_header().or(Some(format.key_header()))
    }

    /// Header name and value prefix, when they do not depend on the format.
    pub fn fixed_header(self) -> Option<(&'static str, &'static str)> {
        match self {
            KeyStyle::Bearer | KeyStyle::HeliconeBearer => Some(("Authorization", "Bearer ")),
            KeyStyle::XApiKey => Some(("x-api-key", "")),
            KeyStyle::ApiKey => Some(("api-key", "")),
            KeyStyle::XGoogApiKey => Some(("x-goog-api-key", "")),
            KeyStyle::FormatDefault => None,
        }
    }
}

/// How Helicone learns where to forward a row's requests.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Routing {
    /// The Helicone host implies the upstream.
    Host,
    /// A header names the upstream origin. Its value is a template over the
    /// row's route parameters: a fixed origin, or one built from a parameter
    /// (`https://{location}-aiplatform.googleapis.com`, `{endpoint}`).
    Header {
        name: &'static str,
        value: &'static str,
    },
}

impl Routing {
    pub fn header_name(self) -> Option<&'static str> {
        match self {
            Routing::Host => None,
            Routing::Header { name, .. } => Some(name),
        }
    }
}

/// The origin used with `--direct`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direct {
    Origin(&'static str),
    /// The origin the routing header names (Gemini, Vertex, Azure, gateway).
    Upstream,
    /// `--direct` cannot work for this row; the reason, for the message.
    Unsupported(&'static str),
}

/// A pattern a model id of a row's family matches (in lower case).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Family {
    /// The id starts with it: `claude-`.
    Prefix(&'static str),
    /// The id is exactly it: `sonar`, `o3`.
    Exact(&'static str),
    /// The id ends with it: `-versatile`, `/anthropic`.
    Suffix(&'static str),
}

impl Family {
    /// How strongly `id` (lower case) matches: the pattern's length, so
    /// that the longest pattern wins (`gpt-oss-` over `gpt-`).
    pub fn strength(self, id: &str) -> Option<usize> {
        let (pat, hit) = match self {
            Family::Prefix(p) => (p, id.starts_with(p)),
            Family::Exact(p) => (p, id == p),
            Family::Suffix(p) => (p, id.ends_with(p)),
        };
        // An id with a slash names an organisation or a route: only a
        // pattern with a slash of its own can claim it.
        (hit && (!id.contains('/') || pat.contains('/'))).then_some(pat.len())
    }
}

/// What a row knows about its models: the list endpoint, a built-in list
/// for when that cannot be reached, and the families of ids that name it.
#[derive(Debug)]
pub struct Models {
    /// The endpoint that lists the models, if the row has one.
    pub list: Option<ModelList>,
    /// A few current ids, shown (and completed) when the list cannot be
    /// fetched. A snapshot, never a guarantee.
    pub curated: &'static [&'static str],
    /// The ids that name this row: without `-P`, such a model picks it.
    pub families: &'static [Family],
    /// The row serves models of every family (a deployment name, an
    /// upstream of any kind): a family of another row is no mismatch.
    pub any_family: bool,
}

impl Models {
    /// A row with no list endpoint, no built-in list and no family: what a
    /// new row starts from (every row of today's table has a list).
    #[allow(dead_code)]
    pub const NONE: Models = Models {
        list: None,
        curated: &[],
        families: &[],
        any_family: false,
    };
}

/// A row's model-list endpoint.
#[derive(Debug, Clone, Copy)]
pub struct ModelList {
    /// Path and query after the row's base; the row's parameters are
    /// substituted. `None`: the wire format's own list path.
    pub path: Option<&'static str>,
    /// Which listed models can chat.
    pub keep: crate::wire::Keep,
}

impl ModelList {
    /// The format's own list path, every listed model kept.
    pub const FORMAT: Option<ModelList> = Some(ModelList {
        path: None,
        keep: crate::wire::Keep::All,
    });

    pub const fn at(path: &'static str) -> Option<ModelList> {
        Some(ModelList {
            path: Some(path),
            keep: crate::wire::Keep::All,
        })
    }
}

/// Ids no row can claim from their name alone: open-weight models that
/// several hosts serve (`gpt-oss-120b` is not OpenAI's API).
pub const NOT_INFERRED: &[Family] = &[
    Family::Prefix("gpt-oss-"),
    Family::Prefix("deepseek-r1-distill-"),
    Family::Prefix("llama-"),
];

/// A value a row's route needs beyond the model: a cloud project, a region,
/// a resource endpoint, an API version, an upstream and its format. It is
/// substituted for `{name}` in the row's path, base and routing header. It
/// comes from its flag, else its environment variables in order, else
/// `name` under `[providers.ROW]` in the config file, else its default.
#[derive(Debug)]
pub struct Param {
    /// The placeholder and the config key.
    pub name: &'static str,
    /// The command-line flag that gives it, if one does.
    pub flag: Option<&'static str>,
    pub env: &'static [&'static str],
    pub default: Option<&'static str>,
    pub kind: ParamKind,
    /// What it is, with an example, for messages: "a Google Cloud region
    /// such as us-central1".
    pub about: &'static str,
}

/// What a route parameter's value must look like.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParamKind {
    /// Any text; it is percent-encoded where it goes into a path.
    Text,
    /// Letters, digits and hyphens: a cloud region.
    Region,
    /// An http(s) origin. Helicone keeps only the origin of a routing
    /// header, so a path is dropped with a warning; a host outside
    /// `approved` (when the list is not empty) draws a warning that Helicone
    /// will refuse it.
    Origin { approved: &'static [&'static str] },
    /// The wire format of a row that speaks any (the generic gateway).
    Format,
}

/// One provider row.
#[derive(Debug)]
pub struct Provider {
    pub name: &'static str,
    /// `None`: the row's `format` parameter chooses (the `gateway` row).
    pub format: Option<WireFormat>,
    /// The Helicone base: scheme, host and optional path prefix. It may use
    /// the row's parameters.
    pub helicone_base: &'static str,
    pub direct: Direct,
    /// API path template: `{model}` and the row's parameters are
    /// substituted. `None`: the wire format's default.
    pub path: Option<&'static str>,
    pub key_style: KeyStyle,
    /// Environment variables that hold the provider key, in lookup order.
    pub key_env: &'static [&'static str],
    pub routing: Routing,
    /// The route parameters: see [`Param`].
    pub params: &'static [Param],
    /// `None`: the model must be given (Azure deployments).
    pub default_model: Option<&'static str>,
    /// Accepts `stream_options.include_usage`.
    pub stream_usage: bool,
    /// Takes the output limit as `max_completion_tokens` (OpenAI's current
    /// name, required by its reasoning models) rather than `max_tokens`.
    pub max_completion_tokens: bool,
    /// Its models: list endpoint, built-in list, families.
    pub models: Models,
    /// Other names people call it (`claude` for anthropic), for hints and
    /// for `-m NAME:MODEL`.
    pub aka: &'static [&'static str],
    pub about: &'static str,
}

impl Provider {
    /// The name used for the `HCL_BASE_URL_<NAME>` variable.
    pub fn env_suffix(&self) -> String {
        self.name.to_ascii_uppercase().replace('-', "_")
    }

    /// `HCL_BASE_URL_<NAME>`: the variable that replaces this row's base.
    pub fn base_url_var(&self) -> String {
        format!("HCL_BASE_URL_{}", self.env_suffix())
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

    /// What this row takes as attachments in `format`: the format's limits,
    /// or the row's own where it is stricter.
    pub fn attachment_limits(&self, format: WireFormat) -> crate::wire::Limits {
        STRICTER_ATTACHMENT_LIMITS
            .iter()
            .find(|(name, _)| *name == self.name)
            .map_or_else(|| crate::wire::limits(format), |(_, limits)| *limits)
    }

    pub fn uses_provider_key(&self) -> bool {
        self.key_style != KeyStyle::HeliconeBearer
    }

    pub fn param(&self, name: &str) -> Option<&'static Param> {
        self.params.iter().find(|p| p.name == name)
    }

    /// The parameter a flag gives, on this row.
    pub fn param_for_flag(&self, flag: &str) -> Option<&'static Param> {
        self.params.iter().find(|p| p.flag == Some(flag))
    }
}

const OPENAI_COMPAT: Option<WireFormat> = Some(WireFormat::OpenAi);

/// Rows that take smaller attachments than their wire format allows.
const STRICTER_ATTACHMENT_LIMITS: &[(&str, crate::wire::Limits)] =
    &[("vertex", crate::wire::gemini::VERTEX_LIMITS)];

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
        params: &[],
        default_model: Some("gpt-4o-mini"),
        stream_usage: true,
        max_completion_tokens: true,
        models: Models {
            list: ModelList::FORMAT,
            curated: &[
                "gpt-5",
                "gpt-5-mini",
                "gpt-5-nano",
                "gpt-4.1",
                "gpt-4.1-mini",
                "gpt-4o",
                "gpt-4o-mini",
                "o3",
                "o4-mini",
            ],
            families: &[
                Family::Prefix("gpt-"),
                Family::Prefix("chatgpt-"),
                Family::Exact("o1"),
                Family::Prefix("o1-"),
                Family::Exact("o3"),
                Family::Prefix("o3-"),
                Family::Exact("o4"),
                Family::Prefix("o4-"),
                Family::Prefix("codex-"),
                Family::Prefix("computer-use-"),
                Family::Prefix("text-embedding-"),
                Family::Prefix("omni-moderation-"),
                // Fine-tunes: ft:BASE:ORG:SUFFIX:ID.
                Family::Prefix("ft:"),
            ],
            any_family: false,
        },
        aka: &[],
        about: "OpenAI",
    },
    Provider {
        name: "azure",
        format: OPENAI_COMPAT,
        helicone_base: "https://oai.helicone.ai",
        direct: Direct::Upstream,
        path: Some("/openai/deployments/{model}/chat/completions?api-version={api_version}"),
        key_style: KeyStyle::ApiKey,
        key_env: &["AZURE_OPENAI_API_KEY"],
        routing: Routing::Header {
            name: "Helicone-OpenAI-Api-Base",
            value: "{endpoint}",
        },
        params: &[
            Param {
                name: "endpoint",
                flag: None,
                env: &["AZURE_OPENAI_ENDPOINT"],
                default: None,
                kind: ParamKind::Origin {
                    approved: &[
                        ".openai.azure.com",
                        ".azure-api.net",
                        ".cognitiveservices.azure.com",
                        ".services.ai.azure.com",
                    ],
                },
                about: "the resource origin, https://RESOURCE.openai.azure.com",
            },
            Param {
                name: "api_version",
                flag: None,
                env: &["AZURE_OPENAI_API_VERSION"],
                default: Some("2024-10-21"),
                kind: ParamKind::Text,
                about: "the Azure OpenAI API version",
            },
        ],
        default_model: None,
        stream_usage: true,
        max_completion_tokens: true,
        models: Models {
            // The models the resource can deploy (not its deployments: only
            // Azure's management plane lists those, with an Entra token).
            list: Some(ModelList {
                path: Some("/openai/models?api-version={api_version}"),
                keep: crate::wire::Keep::ChatCompletion,
            }),
            curated: &[],
            families: &[],
            // --model is a deployment name, which can be anything.
            any_family: true,
        },
        aka: &["azure-openai", "aoai"],
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
        params: &[],
        default_model: Some("claude-3-5-haiku-latest"),
        stream_usage: false,
        max_completion_tokens: false,
        models: Models {
            list: ModelList::FORMAT,
            curated: &[
                "claude-opus-4-1",
                "claude-opus-4-0",
                "claude-sonnet-4-5",
                "claude-sonnet-4-0",
                "claude-3-7-sonnet-latest",
                "claude-haiku-4-5",
                "claude-3-5-haiku-latest",
            ],
            families: &[Family::Prefix("claude-")],
            any_family: false,
        },
        aka: &["claude"],
        about: "Anthropic Messages",
    },
    Provider {
        name: "gemini",
        format: Some(WireFormat::Gemini),
        helicone_base: "https://gateway.helicone.ai",
        direct: Direct::Upstream,
        path: None,
        key_style: KeyStyle::XGoogApiKey,
        key_env: &["GEMINI_API_KEY", "GOOGLE_API_KEY"],
        routing: Routing::Header {
            name: "Helicone-Target-Url",
            value: "https://generativelanguage.googleapis.com",
        },
        params: &[],
        default_model: Some("gemini-2.0-flash"),
        stream_usage: false,
        max_completion_tokens: false,
        models: Models {
            list: Some(ModelList {
                path: None,
                keep: crate::wire::Keep::GenerateContent,
            }),
            curated: &[
                "gemini-2.5-pro",
                "gemini-2.5-flash",
                "gemini-2.5-flash-lite",
                "gemini-2.0-flash",
                "gemini-flash-latest",
            ],
            families: &[
                Family::Prefix("gemini-"),
                Family::Prefix("models/gemini-"),
                Family::Prefix("learnlm-"),
            ],
            any_family: false,
        },
        aka: &["google", "ai-studio", "aistudio"],
        about: "Google Gemini API (AI Studio)",
    },
    Provider {
        name: "vertex",
        format: Some(WireFormat::Gemini),
        helicone_base: "https://gateway.helicone.ai",
        direct: Direct::Upstream,
        path: Some(
            "/v1/projects/{project}/locations/{location}/publishers/google/models/{model}:generateContent",
        ),
        key_style: KeyStyle::Bearer,
        key_env: &["VERTEX_ACCESS_TOKEN"],
        routing: Routing::Header {
            name: "Helicone-Target-Url",
            value: "https://{location}-aiplatform.googleapis.com",
        },
        params: &[
            Param {
                name: "project",
                flag: None,
                env: &["VERTEX_PROJECT"],
                default: None,
                kind: ParamKind::Text,
                about: "the Google Cloud project",
            },
            Param {
                name: "location",
                flag: None,
                env: &["VERTEX_LOCATION"],
                default: None,
                kind: ParamKind::Region,
                about: "a Google Cloud region such as us-central1",
            },
        ],
        default_model: Some("gemini-2.0-flash"),
        stream_usage: false,
        max_completion_tokens: false,
        models: Models {
            // Model Garden's publisher models (v1beta1 only); it may list
            // nothing, and then the built-in list stands.
            list: Some(ModelList {
                path: Some("/v1beta1/publishers/google/models?pageSize=1000"),
                keep: crate::wire::Keep::All,
            }),
            curated: &[
                "gemini-2.5-pro",
                "gemini-2.5-flash",
                "gemini-2.5-flash-lite",
                "gemini-2.0-flash",
            ],
            // After gemini: chosen for these ids when only its key is set.
            families: &[Family::Prefix("gemini-")],
            any_family: false,
        },
        aka: &["vertexai", "vertex-ai", "gcp"],
        about: "Google Vertex AI",
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
        params: &[],
        default_model: Some("llama-3.3-70b-versatile"),
        stream_usage: true,
        max_completion_tokens: false,
        models: Models {
            list: ModelList::at("/openai/v1/models"),
            curated: &[
                "llama-3.3-70b-versatile",
                "llama-3.1-8b-instant",
                "openai/gpt-oss-120b",
                "openai/gpt-oss-20b",
                "meta-llama/llama-4-scout-17b-16e-instruct",
                "qwen/qwen3-32b",
                "moonshotai/kimi-k2-instruct-0905",
            ],
            families: &[Family::Suffix("-versatile"), Family::Suffix("-instant")],
            any_family: false,
        },
        aka: &[],
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
        params: &[],
        default_model: Some("meta-llama/Llama-3.3-70B-Instruct-Turbo"),
        stream_usage: true,
        max_completion_tokens: false,
        models: Models {
            // A bare array; only `type: chat` entries can chat.
            list: Some(ModelList {
                path: Some("/v1/models"),
                keep: crate::wire::Keep::TypeChat,
            }),
            curated: &[
                "meta-llama/Llama-3.3-70B-Instruct-Turbo",
                "meta-llama/Meta-Llama-3.1-8B-Instruct-Turbo",
                "Qwen/Qwen2.5-72B-Instruct-Turbo",
                "deepseek-ai/DeepSeek-V3",
            ],
            families: &[],
            any_family: false,
        },
        aka: &["togetherai", "together-ai"],
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
        params: &[],
        default_model: Some("openai/gpt-4o-mini"),
        stream_usage: true,
        max_completion_tokens: false,
        models: Models {
            list: ModelList::at("/api/v1/models"),
            curated: &[
                "openrouter/auto",
                "openai/gpt-4o-mini",
                "anthropic/claude-sonnet-4.5",
                "google/gemini-2.5-flash",
                "meta-llama/llama-3.3-70b-instruct",
                "deepseek/deepseek-chat-v3.1",
                "x-ai/grok-4",
            ],
            families: &[Family::Prefix("openrouter/")],
            any_family: false,
        },
        aka: &[],
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
        params: &[],
        default_model: Some("mistral-small-latest"),
        stream_usage: false,
        max_completion_tokens: false,
        models: Models {
            list: ModelList::at("/v1/models"),
            curated: &[
                "mistral-large-latest",
                "mistral-medium-latest",
                "mistral-small-latest",
                "magistral-medium-latest",
                "codestral-latest",
                "devstral-medium-latest",
                "ministral-8b-latest",
            ],
            families: &[
                Family::Prefix("mistral-"),
                Family::Prefix("open-mistral-"),
                Family::Prefix("open-mixtral-"),
                Family::Prefix("codestral-"),
                Family::Prefix("magistral-"),
                Family::Prefix("ministral-"),
                Family::Prefix("devstral-"),
                Family::Prefix("pixtral-"),
                Family::Prefix("voxtral-"),
            ],
            any_family: false,
        },
        aka: &["mistralai", "mistral-ai"],
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
        params: &[],
        default_model: Some("accounts/fireworks/models/llama-v3p1-8b-instruct"),
        stream_usage: true,
        max_completion_tokens: false,
        models: Models {
            list: ModelList::at("/inference/v1/models"),
            curated: &[
                "accounts/fireworks/models/llama-v3p1-8b-instruct",
                "accounts/fireworks/models/llama-v3p3-70b-instruct",
                "accounts/fireworks/models/deepseek-v3p1",
                "accounts/fireworks/models/qwen2p5-72b-instruct",
            ],
            families: &[Family::Prefix("accounts/fireworks/")],
            any_family: false,
        },
        aka: &["fireworks-ai", "fireworksai"],
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
        params: &[],
        default_model: Some("sonar"),
        stream_usage: false,
        max_completion_tokens: false,
        models: Models {
            // Its list also names other vendors' models (org/model): keep
            // Perplexity's own.
            list: Some(ModelList {
                path: Some("/v1/models"),
                keep: crate::wire::Keep::NoSlash,
            }),
            curated: &[
                "sonar",
                "sonar-pro",
                "sonar-reasoning-pro",
                "sonar-deep-research",
            ],
            families: &[
                Family::Exact("sonar"),
                Family::Prefix("sonar-"),
                Family::Prefix("r1-1776"),
            ],
            any_family: false,
        },
        aka: &["pplx"],
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
        params: &[],
        default_model: Some("deepseek-chat"),
        stream_usage: true,
        max_completion_tokens: false,
        models: Models {
            list: ModelList::at("/models"),
            curated: &["deepseek-chat", "deepseek-reasoner"],
            families: &[Family::Prefix("deepseek-")],
            any_family: false,
        },
        aka: &[],
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
        params: &[],
        default_model: Some("grok-3-mini"),
        stream_usage: true,
        max_completion_tokens: false,
        models: Models {
            list: ModelList::at("/v1/models"),
            curated: &["grok-4", "grok-code-fast-1", "grok-3", "grok-3-mini"],
            families: &[Family::Prefix("grok-")],
            any_family: false,
        },
        aka: &["grok", "x-ai"],
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
        params: &[],
        default_model: Some("meta-llama/Meta-Llama-3.1-8B-Instruct"),
        stream_usage: true,
        max_completion_tokens: false,
        models: Models {
            list: ModelList::at("/v1/openai/models"),
            curated: &[
                "meta-llama/Meta-Llama-3.1-8B-Instruct",
                "meta-llama/Llama-3.3-70B-Instruct-Turbo",
                "deepseek-ai/DeepSeek-V3.1",
                "Qwen/Qwen3-Coder-480B-A35B-Instruct-Turbo",
            ],
            families: &[],
            any_family: false,
        },
        aka: &[],
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
        params: &[],
        default_model: Some("llama3.1-8b"),
        stream_usage: true,
        max_completion_tokens: false,
        models: Models {
            list: ModelList::at("/v1/models"),
            curated: &["llama3.1-8b", "llama-3.3-70b", "gpt-oss-120b", "qwen-3-32b"],
            families: &[Family::Prefix("llama3.1-"), Family::Prefix("llama3.3-")],
            any_family: false,
        },
        aka: &[],
        about: "Cerebras",
    },
    Provider {
        name: "gateway",
        format: None,
        helicone_base: "https://gateway.helicone.ai",
        direct: Direct::Upstream,
        path: None,
        key_style: KeyStyle::FormatDefault,
        key_env: &["HCL_GATEWAY_API_KEY"],
        routing: Routing::Header {
            name: "Helicone-Target-Url",
            value: "{target_url}",
        },
        params: &[
            Param {
                name: "target_url",
                flag: Some("--target-url"),
                env: &[],
                default: None,
                kind: ParamKind::Origin { approved: &[] },
                about: "the upstream origin, e.g. https://api.groq.com; Helicone answers 400 without it",
            },
            Param {
                name: "format",
                flag: Some("--format"),
                env: &[],
                default: None,
                kind: ParamKind::Format,
                about: "the upstream's wire format, openai|anthropic|gemini",
            },
        ],
        default_model: None,
        stream_usage: true,
        max_completion_tokens: false,
        models: Models {
            // The upstream's own list, in its format.
            list: ModelList::FORMAT,
            curated: &[],
            families: &[],
            any_family: true,
        },
        aka: &[],
        about: "any upstream, through Helicone's generic gateway, with --target-url ORIGIN --format openai|anthropic|gemini",
    },
    Provider {
        name: "ai-gateway",
        format: OPENAI_COMPAT,
        helicone_base: "https://ai-gateway.helicone.ai",
        direct: Direct::Unsupported("it is Helicone's own gateway: there is nothing to bypass"),
        path: None,
        key_style: KeyStyle::HeliconeBearer,
        key_env: &[],
        routing: Routing::Host,
        params: &[],
        default_model: Some("gpt-4o-mini/openai"),
        stream_usage: true,
        max_completion_tokens: false,
        models: Models {
            // Helicone's model registry; it needs no key.
            list: ModelList::FORMAT,
            curated: &[
                "gpt-4o-mini",
                "gpt-4o",
                "claude-3-5-haiku",
                "gpt-4o-mini/openai",
            ],
            // MODEL/PROVIDER strings (and comma lists of them).
            families: &[
                Family::Suffix("/openai"),
                Family::Suffix("/anthropic"),
                Family::Suffix("/azure"),
                Family::Suffix("/bedrock"),
                Family::Suffix("/vertex"),
                Family::Suffix("/google-ai-studio"),
                Family::Suffix("/groq"),
                Family::Suffix("/deepseek"),
                Family::Suffix("/xai"),
                Family::Suffix("/mistral"),
                Family::Suffix("/perplexity"),
                Family::Suffix("/cerebras"),
                Family::Suffix("/deepinfra"),
                Family::Suffix("/fireworks"),
                Family::Suffix("/openrouter"),
                Family::Suffix("/novita"),
                Family::Suffix("/nebius"),
                Family::Suffix("/chutes"),
                Family::Suffix("/baseten"),
            ],
            any_family: true,
        },
        aka: &["helicone"],
        about: "Helicone AI Gateway (model/provider strings, Helicone key only)",
    },
];

pub fn find(name: &str) -> Option<&'static Provider> {
    PROVIDERS.iter().find(|p| p.name.eq_ignore_ascii_case(name))
}

/// The provider hcl uses when neither a flag nor the config file names one.
pub const DEFAULT: &str = "openai";

/// How a user gives each upstream origin Helicone checks against its list
/// of approved hosts (`AZURE_OPENAI_ENDPOINT`, `--target-url`), for hints.
pub fn origin_sources() -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for p in PROVIDERS {
        for param in p.params {
            if matches!(param.kind, ParamKind::Origin { .. }) {
                let how = param
                    .flag
                    .map_or_else(|| param.env.join(" or "), str::to_string);
                if !how.is_empty() && !out.contains(&how) {
                    out.push(how);
                }
            }
        }
    }
    out
}

/// Every row's name, in table order.
pub fn names() -> Vec<&'static str> {
    PROVIDERS.iter().map(|p| p.name).collect()
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

    /// The `{name}` placeholders of a template.
    fn placeholders(template: &str) -> Vec<&str> {
        template
            .split('{')
            .skip(1)
            .filter_map(|s| s.split_once('}').map(|(name, _)| name))
            .collect()
    }

    #[test]
    fn every_placeholder_is_a_parameter_and_every_parameter_is_used() {
        for p in PROVIDERS {
            let formats: Vec<WireFormat> = p.format.map_or(WireFormat::ALL.to_vec(), |f| vec![f]);
            let mut templates = vec![p.helicone_base];
            templates.extend(formats.iter().map(|f| p.path_template(*f)));
            if let Routing::Header { value, .. } = p.routing {
                templates.push(value);
            }
            for t in &templates {
                for name in placeholders(t) {
                    assert!(
                        name == "model" || p.param(name).is_some(),
                        "{}: {{{name}}} in {t} is not a parameter of the row",
                        p.name
                    );
                }
            }
            for param in p.params {
                let used = param.kind == ParamKind::Format
                    || templates
                        .iter()
                        .any(|t| placeholders(t).contains(&param.name));
                assert!(used, "{}: parameter {} goes nowhere", p.name, param.name);
                assert!(
                    param.flag.is_some() || !param.env.is_empty() || param.default.is_some(),
                    "{}: parameter {} can only come from the config file",
                    p.name,
                    param.name
                );
            }
            if p.format.is_none() {
                assert!(
                    p.params.iter().any(|x| x.kind == ParamKind::Format),
                    "{} speaks any format but has no format parameter",
                    p.name
                );
            }
            if p.direct == Direct::Upstream {
                assert!(
                    p.routing != Routing::Host,
                    "{}: --direct needs an upstream",
                    p.name
                );
            }
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
