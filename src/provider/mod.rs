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
    /// Several secrets, each in a header of its own, found together in one
    /// place (AWS Bedrock's access key, secret key and session token).
    Slots {
        /// What the set is called in messages: "AWS credentials".
        what: &'static str,
        slots: &'static [KeySlot],
        /// A shared credentials file whose named profiles may hold the set.
        profile: Option<&'static ProfileFile>,
    },
}

/// One secret of a row whose requests carry several (`KeyStyle::Slots`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KeySlot {
    /// Its name: the OS keyring entry (`hcl auth set NAME`) and its role in
    /// the log's secret slots.
    pub name: &'static str,
    pub header: &'static str,
    /// What goes before the secret in the header value (`Bearer ` or none).
    pub prefix: &'static str,
    /// Environment variables that hold it, in lookup order.
    pub env: &'static [&'static str],
    /// Its key under `[providers.ROW]` in the config file.
    pub config: &'static str,
    /// Its key in a profile of the row's shared credentials file.
    pub profile: Option<&'static str>,
    /// A request cannot go without it. An optional slot's header is left out
    /// when the place the set came from has no value for it.
    pub required: bool,
    /// What it is, for messages: "the AWS secret access key".
    pub about: &'static str,
}

/// A shared credentials file in INI format whose named sections (profiles)
/// hold a row's keys, such as `~/.aws/credentials`.
#[derive(Debug, PartialEq, Eq)]
pub struct ProfileFile {
    /// What it is called in messages: "the AWS shared credentials file".
    pub about: &'static str,
    /// The variable that names the file; else `home_path` under the home
    /// directory.
    pub file_env: &'static str,
    pub home_path: &'static str,
    /// The variable that names the profile; else `default_profile`.
    pub profile_env: &'static str,
    pub default_profile: &'static str,
    /// Keys that mark a profile whose keys come from elsewhere (a role to
    /// assume, single sign-on, a process), which hcl does not follow.
    pub indirect: &'static [&'static str],
    /// How to get static keys out of such a profile, for the message.
    pub indirect_hint: &'static str,
}

/// A key a row's requests carry, the same for every [`KeyStyle`]: a row
/// with one provider key has one slot whose role is
/// [`PROVIDER_KEY_ROLE`], its keyring entry the row's name and its config
/// key `api_key`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Slot {
    /// The role in the log's secret slots.
    pub role: &'static str,
    /// The OS keyring entry.
    pub keyring: &'static str,
    pub header: &'static str,
    pub prefix: &'static str,
    pub env: &'static [&'static str],
    /// The key under `[providers.ROW]` in the config file.
    pub config: &'static str,
    /// The key in a profile of the row's [`ProfileFile`].
    pub profile: Option<&'static str>,
    pub required: bool,
}

/// The role of a row's one provider key in the log ("provider", as every
/// log written before rows had several keys says).
pub const PROVIDER_KEY_ROLE: &str = "provider";

/// The config key of a row's one provider key.
pub const API_KEY_CONFIG: &str = "api_key";

impl KeyStyle {
    /// Every header a provider key can travel in, for telling a secret
    /// header given with `-H` from a plain one.
    pub const HEADER_NAMES: [&'static str; 4] =
        ["Authorization", "x-api-key", "api-key", "x-goog-api-key"];

    /// Header name and value prefix of a row's one key; `None` for a row
    /// whose keys are [`KeyStyle::Slots`].
    pub fn header(self, format: WireFormat) -> Option<(&'static str, &'static str)> {
        match self {
            KeyStyle::Slots { .. } => None,
            _ => self.fixed_header().or(format.key_header()),
        }
    }

    /// Header name and value prefix, when they do not depend on the format.
    /// `None` for [`KeyStyle::Slots`] too: each slot has its own header.
    pub fn fixed_header(self) -> Option<(&'static str, &'static str)> {
        match self {
            KeyStyle::Bearer | KeyStyle::HeliconeBearer => Some(("Authorization", "Bearer ")),
            KeyStyle::XApiKey => Some(("x-api-key", "")),
            KeyStyle::ApiKey => Some(("api-key", "")),
            KeyStyle::XGoogApiKey => Some(("x-goog-api-key", "")),
            KeyStyle::FormatDefault | KeyStyle::Slots { .. } => None,
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
    /// Environment variables that hold the provider key, in lookup order
    /// (for a row of [`KeyStyle::Slots`], each slot names its own).
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

    /// Each key's role and the variable `--curl` refers to it by when it
    /// was not found in the environment: the first of the slot's variables.
    pub fn key_vars(&self, format: WireFormat) -> Vec<(&'static str, &'static str)> {
        self.key_slots(format)
            .iter()
            .filter_map(|s| s.env.first().map(|v| (s.role, *v)))
            .collect()
    }

    /// The row's format, or for a row that speaks any, one of them: for
    /// what does not depend on the format.
    pub fn any_format(&self) -> WireFormat {
        self.format.unwrap_or(WireFormat::OpenAi)
    }

    /// The keys a request in `format` carries besides the Helicone key, in
    /// header order; none for a row whose bearer is the Helicone key.
    pub fn key_slots(&self, format: WireFormat) -> Vec<Slot> {
        match self.key_style {
            KeyStyle::HeliconeBearer => Vec::new(),
            KeyStyle::Slots { slots, .. } => slots
                .iter()
                .map(|s| Slot {
                    role: s.name,
                    keyring: s.name,
                    header: s.header,
                    prefix: s.prefix,
                    env: s.env,
                    config: s.config,
                    profile: s.profile,
                    required: s.required,
                })
                .collect(),
            style => {
                let Some((header, prefix)) = style.header(format) else {
                    return Vec::new();
                };
                vec![Slot {
                    role: PROVIDER_KEY_ROLE,
                    keyring: self.name,
                    header,
                    prefix,
                    env: self.key_env,
                    config: API_KEY_CONFIG,
                    profile: None,
                    required: true,
                }]
            }
        }
    }

    /// The shared credentials file whose profiles may hold this row's keys.
    pub fn profile_file(&self) -> Option<&'static ProfileFile> {
        match self.key_style {
            KeyStyle::Slots { profile, .. } => profile,
            _ => None,
        }
    }

    /// What this row's keys are called in messages: "API key", "AWS
    /// credentials".
    pub fn keys_about(&self) -> &'static str {
        match self.key_style {
            KeyStyle::Slots { what, .. } => what,
            _ => "API key",
        }
    }

    /// What one of this row's keys is, by its role: "the AWS secret access
    /// key", "the openai key".
    pub fn slot_about(&self, role: &str) -> String {
        match self.key_style {
            KeyStyle::Slots { slots, .. } => slots.iter().find(|s| s.name == role).map_or_else(
                || format!("the {} key {role}", self.name),
                |s| s.about.to_string(),
            ),
            _ => format!("the {} key", self.name),
        }
    }

    /// Whether `key` under `[providers.ROW]` is one of this row's key slots.
    pub fn is_key_config(&self, key: &str) -> bool {
        self.key_slots(self.any_format())
            .iter()
            .any(|s| s.config == key)
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
    Provider {
        name: "bedrock",
        format: Some(WireFormat::Bedrock),
        helicone_base: "https://bedrock.helicone.ai",
        direct: Direct::Unsupported(
            "AWS wants every request signed (SigV4), which hcl does not do; Helicone signs Bedrock requests itself from the aws-* headers, so -P bedrock goes through Helicone",
        ),
        // The region is in the path, not the base, so that a base given
        // with HCL_BASE_URL_BEDROCK or --base-url (a self-hosted worker)
        // keeps it.
        path: Some("/v1/{region}/model/{model}/invoke"),
        key_style: KeyStyle::Slots {
            what: "AWS credentials",
            slots: &[
                KeySlot {
                    name: "bedrock-access-key",
                    header: "aws-access-key",
                    prefix: "",
                    env: &["AWS_ACCESS_KEY_ID"],
                    config: "aws_access_key_id",
                    profile: Some("aws_access_key_id"),
                    required: true,
                    about: "the AWS access key id",
                },
                KeySlot {
                    name: "bedrock-secret-key",
                    header: "aws-secret-key",
                    prefix: "",
                    env: &["AWS_SECRET_ACCESS_KEY"],
                    config: "aws_secret_access_key",
                    profile: Some("aws_secret_access_key"),
                    required: true,
                    about: "the AWS secret access key",
                },
                KeySlot {
                    name: "bedrock-session-token",
                    header: "aws-session-token",
                    prefix: "",
                    env: &["AWS_SESSION_TOKEN"],
                    config: "aws_session_token",
                    profile: Some("aws_session_token"),
                    required: false,
                    about: "the AWS session token of temporary keys",
                },
            ],
            profile: Some(&ProfileFile {
                about: "the AWS shared credentials file",
                file_env: "AWS_SHARED_CREDENTIALS_FILE",
                home_path: ".aws/credentials",
                profile_env: "AWS_PROFILE",
                default_profile: "default",
                indirect: &[
                    "role_arn",
                    "source_profile",
                    "credential_process",
                    "sso_session",
                    "sso_start_url",
                    "web_identity_token_file",
                ],
                indirect_hint: "export its temporary keys into the environment first, e.g. eval \"$(aws configure export-credentials --profile NAME --format env)\"",
            }),
        },
        key_env: &[],
        routing: Routing::Host,
        params: &[Param {
            name: "region",
            flag: None,
            env: &["AWS_REGION", "AWS_DEFAULT_REGION"],
            default: None,
            kind: ParamKind::Region,
            about: "an AWS region such as us-east-1",
        }],
        default_model: Some("anthropic.claude-3-5-haiku-20241022-v1:0"),
        stream_usage: false,
        max_completion_tokens: false,
        models: Models {
            // Bedrock lists its models with ListFoundationModels, on its
            // control plane (bedrock.REGION.amazonaws.com), which Helicone
            // does not proxy: only the curated list.
            list: None,
            curated: &[
                "anthropic.claude-3-5-haiku-20241022-v1:0",
                "us.anthropic.claude-3-5-haiku-20241022-v1:0",
                "us.anthropic.claude-3-7-sonnet-20250219-v1:0",
                "us.anthropic.claude-sonnet-4-20250514-v1:0",
                "amazon.nova-micro-v1:0",
                "amazon.nova-lite-v1:0",
                "amazon.nova-pro-v1:0",
                "us.amazon.nova-lite-v1:0",
            ],
            families: &[
                Family::Prefix("anthropic.claude-"),
                Family::Prefix("amazon.nova-"),
                Family::Prefix("us.anthropic.claude-"),
                Family::Prefix("eu.anthropic.claude-"),
                Family::Prefix("apac.anthropic.claude-"),
                Family::Prefix("global.anthropic.claude-"),
                Family::Prefix("us.amazon.nova-"),
                Family::Prefix("eu.amazon.nova-"),
                Family::Prefix("apac.amazon.nova-"),
            ],
            any_family: false,
        },
        aka: &["aws", "aws-bedrock"],
        about: "AWS Bedrock InvokeModel: Anthropic Claude and Amazon Nova (AWS keys, signed by Helicone)",
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

/// Every header a key travels in, for telling a secret header given with
/// `-H` from a plain one: the single-key headers and every row's slots.
pub fn secret_header_names() -> Vec<&'static str> {
    let mut names: Vec<&'static str> = KeyStyle::HEADER_NAMES.to_vec();
    for p in PROVIDERS {
        if let KeyStyle::Slots { slots, .. } = p.key_style {
            names.extend(slots.iter().map(|s| s.header));
        }
    }
    names
}

/// Every row's name, in table order.
pub fn names() -> Vec<&'static str> {
    PROVIDERS.iter().map(|p| p.name).collect()
}

/// A row with several keys and a profile file, for the unit tests of the
/// generic key-slot code (the real table's rows are tested through it too).
#[cfg(test)]
pub static TEST_SLOTS_ROW: Provider = Provider {
    name: "slots-test",
    format: OPENAI_COMPAT,
    helicone_base: "https://slots.example",
    direct: Direct::Unsupported("a test row"),
    path: None,
    key_style: KeyStyle::Slots {
        what: "test credentials",
        slots: &[
            KeySlot {
                name: "slots-test-id",
                header: "x-test-id",
                prefix: "",
                env: &["TEST_KEY_ID"],
                config: "key_id",
                profile: Some("key_id"),
                required: true,
                about: "the test key id",
            },
            KeySlot {
                name: "slots-test-secret",
                header: "x-test-secret",
                prefix: "Secret ",
                env: &["TEST_SECRET", "TEST_SECRET_OLD"],
                config: "secret",
                profile: Some("secret"),
                required: true,
                about: "the test secret",
            },
            KeySlot {
                name: "slots-test-token",
                header: "x-test-token",
                prefix: "",
                env: &["TEST_TOKEN"],
                config: "token",
                profile: Some("token"),
                required: false,
                about: "the test session token",
            },
        ],
        profile: Some(&ProfileFile {
            about: "the test credentials file",
            file_env: "TEST_CREDENTIALS_FILE",
            home_path: ".test/credentials",
            profile_env: "TEST_PROFILE",
            default_profile: "default",
            indirect: &["role_arn", "sso_session"],
            indirect_hint: "export its keys first",
        }),
    },
    key_env: &[],
    routing: Routing::Host,
    params: &[],
    default_model: Some("m"),
    stream_usage: false,
    max_completion_tokens: false,
    models: Models::NONE,
    aka: &[],
    about: "a test row with several keys",
};

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
            let formats: Vec<WireFormat> =
                p.format.map_or(WireFormat::GENERIC.to_vec(), |f| vec![f]);
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
            assert!(p.helicone_base.starts_with("https://"), "{}", p.name);
            if p.uses_provider_key() {
                let slots = p.key_slots(format);
                assert!(
                    slots.iter().any(|s| s.required),
                    "{} needs a required key",
                    p.name
                );
                for s in &slots {
                    assert!(
                        !s.env.is_empty(),
                        "{}: key {} has no variable",
                        p.name,
                        s.role
                    );
                    assert!(
                        !s.header.is_empty(),
                        "{}: key {} has no header",
                        p.name,
                        s.role
                    );
                }
            }
        }
    }

    #[test]
    fn key_slots_have_their_own_names_headers_and_config_keys() {
        let mut keyring_names = vec![crate::secrets::HELICONE_KEY_NAME];
        for p in PROVIDERS {
            let slots = p.key_slots(p.any_format());
            for (i, s) in slots.iter().enumerate() {
                assert!(
                    !keyring_names.contains(&s.keyring),
                    "{}: keyring entry {} is used twice",
                    p.name,
                    s.keyring
                );
                keyring_names.push(s.keyring);
                assert!(
                    slots[i + 1..]
                        .iter()
                        .all(|t| t.role != s.role && !t.header.eq_ignore_ascii_case(s.header)),
                    "{}: two slots share a role or a header",
                    p.name
                );
                assert!(
                    p.param(s.config).is_none() && !["base_url", "model"].contains(&s.config),
                    "{}: config key {} is taken",
                    p.name,
                    s.config
                );
                assert_eq!(
                    s.profile.is_some(),
                    p.profile_file().is_some(),
                    "{}: key {} and the row disagree about a profile file",
                    p.name,
                    s.role
                );
                assert!(
                    secret_header_names()
                        .iter()
                        .any(|h| h.eq_ignore_ascii_case(s.header)),
                    "{}: {} is not known as a secret header",
                    p.name,
                    s.header
                );
            }
            if p.uses_provider_key() && !matches!(p.key_style, KeyStyle::Slots { .. }) {
                assert_eq!(slots.len(), 1, "{}", p.name);
                assert_eq!(slots[0].role, PROVIDER_KEY_ROLE);
                assert_eq!(slots[0].keyring, p.name);
            }
        }
        for p in PROVIDERS.iter().chain([&TEST_SLOTS_ROW]) {
            if let KeyStyle::Slots { slots, .. } = p.key_style {
                for s in slots {
                    assert!(
                        find(s.name).is_none() && s.name.starts_with(p.name),
                        "{}: key {} must be named after its row and be no row's name",
                        p.name,
                        s.name
                    );
                }
            }
        }
    }
}
