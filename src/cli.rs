//! The command line as clap sees it. These types are deliberately dumb: no
//! validation beyond syntax happens here. `settings.rs` resolves them, with
//! the environment and the config file, into validated domain values.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::{docs, provider};

#[derive(Debug, Parser)]
#[command(
    name = "hcl",
    version,
    about = "Issue and replay LLM requests through the Helicone gateway",
    long_about = "hcl sends chat requests to any supported LLM provider through Helicone's proxy, \
with every Helicone feature as a flag, logs every exchange locally, and replays logged requests \
to prove that Helicone's cache answers.",
    after_help = docs::examples_help(""),
    propagate_version = true,
    max_term_width = 100
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Send one chat request and print the answer.
    #[command(after_help = docs::examples_help("chat"))]
    Chat(Box<ChatArgs>),
    /// Send one chat request and print the answer token by token as it arrives.
    #[command(
        long_about = "Send one chat request with streaming on and print each token the moment it \
arrives; the same as `hcl chat --stream`. It takes every flag of `hcl chat`. On a terminal a \
spinner shows until the first token. Ctrl-C stops the stream, keeps what arrived (printed and \
logged) and exits 130; a dropped connection or a silence longer than --idle-timeout exits 3.",
        after_help = docs::examples_help("stream")
    )]
    Stream(Box<ChatArgs>),
    /// Show the provider table: routing, wire format and where each key was found.
    #[command(after_help = docs::examples_help("providers"))]
    Providers(ProvidersArgs),
    /// Read the local request log.
    #[command(subcommand, after_help = docs::examples_help("log"))]
    Log(LogCommand),
    /// Keys in the OS keyring, where each key was found, and a Helicone key check.
    #[command(subcommand, after_help = docs::examples_help("auth"))]
    Auth(AuthCommand),
    /// The config file: its path and the effective settings.
    #[command(subcommand, after_help = docs::examples_help("config"))]
    Config(ConfigCommand),
    /// Print a shell completion script.
    #[command(after_help = docs::examples_help("completions"))]
    Completions(CompletionsArgs),
    /// Write the man pages and completion scripts from the CLI definition.
    #[command(hide = true)]
    GenerateDocs(GenerateDocsArgs),
}

#[derive(Debug, Args)]
pub struct ChatArgs {
    /// The prompt. With none, or with `-`, the prompt is read from stdin.
    #[arg(value_name = "PROMPT")]
    pub prompt: Vec<String>,

    #[command(flatten)]
    pub request: RequestArgs,

    /// Stream the answer, printing each token as it arrives (the same as `hcl stream`).
    #[arg(long, help_heading = "Output")]
    pub stream: bool,

    /// When streaming, show the model's reasoning (thinking) on stderr as it arrives.
    #[arg(long, help_heading = "Output")]
    pub show_thinking: bool,
}

/// Flags shared by every command that sends a request.
#[derive(Debug, Args, Clone, Default)]
pub struct RequestArgs {
    /// Provider row (see `hcl providers`); default from the config file, else `openai`.
    #[arg(short = 'P', long, value_name = "NAME", value_parser = provider_names(), help_heading = "Request")]
    pub provider: Option<String>,

    /// Model (for Azure, the deployment); default per provider.
    #[arg(short, long, value_name = "MODEL", help_heading = "Request")]
    pub model: Option<String>,

    /// System prompt.
    #[arg(short, long, value_name = "TEXT", help_heading = "Request")]
    pub system: Option<String>,

    /// Maximum output tokens (Anthropic requires one; hcl sends 1024 when none is given).
    #[arg(long, value_name = "N", help_heading = "Request")]
    pub max_tokens: Option<u32>,

    /// Sampling temperature.
    #[arg(
        long,
        value_name = "T",
        allow_negative_numbers = true,
        help_heading = "Request"
    )]
    pub temperature: Option<f64>,

    /// Custom property: `Helicone-Property-KEY: VALUE` (repeatable).
    #[arg(
        short = 'p',
        long = "property",
        value_name = "KEY=VALUE",
        help_heading = "Helicone"
    )]
    pub properties: Vec<String>,

    /// User id: `Helicone-User-Id`.
    #[arg(short, long, value_name = "ID", help_heading = "Helicone")]
    pub user: Option<String>,

    /// Session id: `Helicone-Session-Id`.
    #[arg(long, value_name = "ID", help_heading = "Helicone")]
    pub session: Option<String>,

    /// Session path, such as `/plan/step-1`: `Helicone-Session-Path`.
    #[arg(long, value_name = "PATH", help_heading = "Helicone")]
    pub session_path: Option<String>,

    /// Session name: `Helicone-Session-Name`.
    #[arg(long, value_name = "NAME", help_heading = "Helicone")]
    pub session_name: Option<String>,

    /// Enable Helicone's cache: `Helicone-Cache-Enabled: true`.
    #[arg(long, help_heading = "Helicone")]
    pub cache: bool,

    /// Cache TTL in seconds (at most 365 days): `Cache-Control: max-age=SECS`.
    #[arg(long, value_name = "SECS", help_heading = "Helicone")]
    pub cache_ttl: Option<u64>,

    /// Responses kept per cache key, 1-20: `Helicone-Cache-Bucket-Max-Size`.
    #[arg(long, value_name = "N", help_heading = "Helicone")]
    pub cache_bucket: Option<u32>,

    /// Cache namespace: `Helicone-Cache-Seed`.
    #[arg(long, value_name = "SEED", help_heading = "Helicone")]
    pub cache_seed: Option<String>,

    /// Let Helicone retry 429 and 5xx upstream answers: `Helicone-Retry-Enabled: true`.
    #[arg(long, help_heading = "Helicone")]
    pub retry: bool,

    /// Total attempts Helicone makes (implies --retry): `Helicone-Retry-Num`.
    #[arg(long, value_name = "N", help_heading = "Helicone")]
    pub retry_num: Option<u32>,

    /// Backoff factor (implies --retry): `Helicone-Retry-Factor`.
    #[arg(long, value_name = "F", help_heading = "Helicone")]
    pub retry_factor: Option<f64>,

    /// Shortest backoff in ms (implies --retry): `Helicone-Retry-Min-Timeout`.
    #[arg(long, value_name = "MS", help_heading = "Helicone")]
    pub retry_min_timeout: Option<u64>,

    /// Longest backoff in ms (implies --retry): `Helicone-Retry-Max-Timeout`.
    #[arg(long, value_name = "MS", help_heading = "Helicone")]
    pub retry_max_timeout: Option<u64>,

    /// Rate-limit policy `QUOTA;w=SECS[;u=request|cents][;s=user|PROPERTY]`: `Helicone-RateLimit-Policy`.
    #[arg(long, value_name = "POLICY", help_heading = "Helicone")]
    pub rate_limit: Option<String>,

    /// Don't store the request body in Helicone: `Helicone-Omit-Request: true`.
    #[arg(long, help_heading = "Helicone")]
    pub omit_request: bool,

    /// Don't store the response body in Helicone: `Helicone-Omit-Response: true`.
    #[arg(long, help_heading = "Helicone")]
    pub omit_response: bool,

    /// Request id, a UUID v1-v5: `Helicone-Request-Id` (default: the log record's id).
    #[arg(long, value_name = "UUID", help_heading = "Helicone")]
    pub request_id: Option<String>,

    /// Extra header `Name: value` (repeatable).
    #[arg(
        short = 'H',
        long = "header",
        value_name = "NAME: VALUE",
        help_heading = "Helicone"
    )]
    pub headers: Vec<String>,

    /// Replace the provider's Helicone base URL (self-hosted Helicone, tests).
    #[arg(long, value_name = "URL", help_heading = "Routing")]
    pub base_url: Option<String>,

    /// Bypass Helicone: send to the provider's own origin, without Helicone headers.
    #[arg(long, help_heading = "Routing")]
    pub direct: bool,

    /// For `-P gateway`: the upstream origin, sent as `Helicone-Target-Url`.
    #[arg(long, value_name = "ORIGIN", help_heading = "Routing")]
    pub target_url: Option<String>,

    /// For `-P gateway`: the upstream's wire format.
    #[arg(long, value_enum, value_name = "FORMAT", help_heading = "Routing")]
    pub format: Option<FormatArg>,

    /// Connect timeout in seconds [default: 10].
    #[arg(long, value_name = "SECS", help_heading = "Network")]
    pub connect_timeout: Option<f64>,

    /// Whole-request timeout in seconds [default: 600].
    #[arg(long, value_name = "SECS", help_heading = "Network")]
    pub timeout: Option<f64>,

    /// Longest silence allowed mid-stream, in seconds [default: 60].
    #[arg(long, value_name = "SECS", help_heading = "Network")]
    pub idle_timeout: Option<f64>,

    /// Trust an extra CA certificate (PEM); HTTPS_PROXY, ALL_PROXY and NO_PROXY are honoured.
    #[arg(long, value_name = "FILE", help_heading = "Network")]
    pub cacert: Option<PathBuf>,

    /// Print an equivalent curl command, secrets as $ENV_VAR references; nothing is sent.
    #[arg(long, help_heading = "Output")]
    pub curl: bool,

    /// Print the exact request, secrets masked; nothing is sent or logged.
    #[arg(long, help_heading = "Output", conflicts_with = "curl")]
    pub dry_run: bool,

    /// Print one JSON object instead of text.
    #[arg(long, help_heading = "Output")]
    pub json: bool,

    /// Don't append to the request log.
    #[arg(long, help_heading = "Output")]
    pub no_log: bool,

    /// Helicone response metadata on stderr.
    #[arg(short, long, help_heading = "Output", conflicts_with = "quiet")]
    pub verbose: bool,

    /// Nothing but the answer.
    #[arg(short, long, help_heading = "Output")]
    pub quiet: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FormatArg {
    Openai,
    Anthropic,
    Gemini,
}

#[derive(Debug, Args)]
pub struct ProvidersArgs {
    /// Print the table as JSON.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Subcommand)]
pub enum LogCommand {
    /// List logged exchanges, newest last.
    #[command(after_help = docs::examples_help("log list"))]
    List(LogListArgs),
    /// Print one record as pretty JSON (an id or a unique prefix of one).
    #[command(after_help = docs::examples_help("log show"))]
    Show(LogShowArgs),
    /// Print the log file's path.
    #[command(after_help = docs::examples_help("log path"))]
    Path,
}

#[derive(Debug, Args)]
pub struct LogListArgs {
    /// Show the last N records.
    #[arg(short = 'n', long = "last", value_name = "N", default_value_t = 20)]
    pub last: usize,
    /// Print JSON Lines instead of a table.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct LogShowArgs {
    /// A record id or a unique prefix of one.
    #[arg(value_name = "ID")]
    pub id: String,
}

#[derive(Debug, Subcommand)]
pub enum AuthCommand {
    /// Store a key in the OS keyring, read from stdin when piped, else from a hidden prompt.
    ///
    /// NAME is `helicone` or a provider that takes a key (see `hcl providers`). The key is never
    /// taken from the command line. The keyring is the Secret Service (GNOME Keyring, KWallet)
    /// on Linux, the Keychain on macOS and the Credential Manager on Windows. Where there is
    /// none (CI, SSH), use the environment variable or the config file.
    #[command(after_help = docs::examples_help("auth set"))]
    Set(AuthSetArgs),
    /// Delete a key from the OS keyring.
    #[command(after_help = docs::examples_help("auth delete"))]
    Delete(AuthNameArgs),
    /// Show where each key was found (env, keyring, config or none), as a fingerprint.
    ///
    /// Keys are looked up in the environment, then the OS keyring, then the config file.
    /// HCL_NO_KEYRING=1 skips the keyring.
    #[command(after_help = docs::examples_help("auth status"))]
    Status(AuthStatusArgs),
    /// Verify the Helicone key with one cheap call to Helicone's REST API.
    ///
    /// Helicone's proxies accept a wrong Helicone key silently: requests are answered but never
    /// logged or cached. This check asks the REST API instead: https://api.helicone.ai, or
    /// https://eu.api.helicone.ai for sk-helicone-eu- keys; HCL_HELICONE_API_BASE (or api_base
    /// under [helicone] in the config file) overrides it. Exit status: 0 ok, 5 invalid key or no
    /// permission, 3 network error, 2 no key.
    #[command(after_help = docs::examples_help("auth check"))]
    Check(AuthCheckArgs),
}

#[derive(Debug, Args)]
pub struct AuthSetArgs {
    /// `helicone` or a provider name.
    #[arg(value_name = "NAME", value_parser = key_names())]
    pub name: String,
    /// Anything after NAME: refused (without echoing it), so a key typed
    /// here never reaches shell history or CI logs through an error message.
    #[arg(hide = true, num_args = 0.., allow_hyphen_values = true, trailing_var_arg = true)]
    pub refused: Vec<String>,
}

#[derive(Debug, Args)]
pub struct AuthNameArgs {
    /// `helicone` or a provider name.
    #[arg(value_name = "NAME", value_parser = key_names())]
    pub name: String,
}

#[derive(Debug, Args)]
pub struct AuthStatusArgs {
    /// Print JSON instead of a table.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct AuthCheckArgs {
    /// Print one JSON object instead of text.
    #[arg(long)]
    pub json: bool,
    /// Whole-request timeout in seconds [default: 30].
    #[arg(long, value_name = "SECS")]
    pub timeout: Option<f64>,
}

#[derive(Debug, Subcommand)]
pub enum ConfigCommand {
    /// Print the config file's path (HCL_CONFIG, else the platform's config directory).
    #[command(after_help = docs::examples_help("config path"))]
    Path,
    /// Print the effective settings and where each came from; keys as fingerprints.
    #[command(after_help = docs::examples_help("config show"))]
    Show(ConfigShowArgs),
}

#[derive(Debug, Args)]
pub struct ConfigShowArgs {
    /// Print JSON instead of a table.
    #[arg(long)]
    pub json: bool,
}

/// `helicone` and every provider that takes a key of its own.
fn key_names() -> clap::builder::PossibleValuesParser {
    clap::builder::PossibleValuesParser::new(
        std::iter::once("helicone").chain(
            provider::PROVIDERS
                .iter()
                .filter(|p| p.uses_provider_key())
                .map(|p| p.name),
        ),
    )
}

fn provider_names() -> clap::builder::PossibleValuesParser {
    clap::builder::PossibleValuesParser::new(provider::PROVIDERS.iter().map(|p| p.name))
}

#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell to complete for.
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}

#[derive(Debug, Args)]
pub struct GenerateDocsArgs {
    /// The repository root to write `man/` and `completions/` under.
    #[arg(long, value_name = "DIR", default_value = ".")]
    pub dir: PathBuf,
    /// Compare instead of writing; exit 1 when a file is out of date.
    #[arg(long)]
    pub check: bool,
}
