//! The command line as clap sees it. These types are deliberately dumb: no
//! validation beyond syntax happens here. `settings.rs` resolves them, with
//! the environment and the config file, into validated domain values.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::examples::examples_help;
use crate::provider;

#[derive(Debug, Parser)]
#[command(
    name = "hcl",
    version,
    about = "Issue and replay LLM requests through the Helicone gateway",
    long_about = "hcl sends chat requests to any supported LLM provider through Helicone's proxy, \
with every Helicone feature as a flag, logs every exchange locally, and replays logged requests \
to prove that Helicone's cache answers.",
    after_help = examples_help(""),
    propagate_version = true,
    max_term_width = 100
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Send one chat request and print the answer; on a terminal with no prompt, chat interactively.
    #[command(
        long_about = "Send one chat request and print the answer. Every request is a turn of a \
conversation, sent as one Helicone session (Helicone-Session-Id is the conversation id, \
Helicone-Session-Path /turn-N, Helicone-Session-Name --session-name or \"hcl conversation\", never \
words of a prompt), and \
logged with its conversation id and turn number. -c continues the latest conversation and \
--conversation ID a given one: the history is rebuilt from the log and sent again. On a terminal \
with no prompt, hcl chat is an interactive conversation: replies stream, Ctrl-C cancels a reply, \
Ctrl-D or /exit leaves, and /help lists the slash commands.",
        after_help = examples_help("chat")
    )]
    Chat(Box<ChatArgs>),
    /// Send one chat request and print the answer token by token as it arrives.
    #[command(
        long_about = "Send one chat request with streaming on and print each token the moment it \
arrives; the same as `hcl chat --stream`. It takes the request flags of `hcl chat`. On a terminal a \
spinner shows until the first token. Ctrl-C stops the stream, keeps what arrived (printed and \
logged) and exits 130 (SIGTERM: 143, SIGHUP: 129); a dropped connection or a silence longer than \
--idle-timeout exits 3.",
        after_help = examples_help("stream")
    )]
    Stream(Box<StreamArgs>),
    /// Show the provider table: routing, wire format and where each key was found.
    #[command(after_help = examples_help("providers"))]
    Providers(ProvidersArgs),
    /// List the models each provider offers (live through Helicone, cached for a day), with aliases.
    #[command(
        long_about = "List the models each provider offers: fetched live from the provider's \
model-list endpoint through Helicone with the provider key (without Helicone-Auth, so Helicone \
forwards the call without logging it), kept in hcl's cache directory for a day, and the \
provider's built-in list when neither can be had. Without -P, every provider whose key is set. \
The default model and the aliases of the config file are marked.",
        after_help = examples_help("models")
    )]
    Models(ModelsArgs),
    /// Read the local request log.
    #[command(subcommand, after_help = examples_help("log"))]
    Log(LogCommand),
    /// Re-send logged requests and report, for each, whether Helicone's cache answered.
    #[command(
        long_about = "Re-send logged requests exactly as they were sent (same URL, body bytes and \
headers, with fresh keys and a new Helicone-Request-Id) and report, for each, whether Helicone's \
cache answered (HIT or MISS) and, for a MISS, which part of the cache key changed or what else \
is the likely cause. With no id and no selector, the last logged request is replayed. \
Exit status: 0 all replayed; 6 --expect not met; 1-5 as for chat when a replay failed.",
        after_help = examples_help("replay")
    )]
    Replay(Box<ReplayArgs>),
    /// Keys in the OS keyring, where each key was found, and a Helicone key check.
    #[command(subcommand, after_help = examples_help("auth"))]
    Auth(AuthCommand),
    /// Rate logged requests good or bad in Helicone (by log id prefix, or a whole batch).
    #[command(
        long_about = "Rate a logged request good or bad in Helicone (POST /v1/request/{id}/feedback on \
Helicone's REST API). ID is a log record id or a unique prefix of one (see `hcl log list`); hcl sends \
the Helicone request id that record was logged under. --batch rates every successful request of a \
`hcl chat --batch` run, and --results every request named in a batch results file. Helicone must \
have logged the request first (see `hcl log verify`). Exit status: 0 all rated; 5 the Helicone key \
was refused; 1 Helicone refused a request; 2 bad input.",
        after_help = examples_help("feedback")
    )]
    Feedback(FeedbackArgs),
    /// Attach scores (integers or booleans) to logged requests in Helicone.
    #[command(
        long_about = "Attach scores to a logged request in Helicone (POST /v1/request/{id}/score on \
Helicone's REST API): NAME=VALUE pairs where VALUE is an integer or true/false. Helicone accepts \
nothing else, so a fractional value such as 0.5 is refused before anything is sent; scale it \
(e.g. accuracy=92). ID, --batch and --results select requests as for `hcl feedback`. Scores \
appear in Helicone after its aggregation delay (about 10 minutes).",
        after_help = examples_help("score")
    )]
    Score(ScoreArgs),
    /// The config file: its path and the effective settings.
    #[command(subcommand, after_help = examples_help("config"))]
    Config(ConfigCommand),
    /// Saved request templates (`-t NAME`, `--save NAME`): list, show, edit, path.
    #[command(
        subcommand,
        long_about = "Saved request templates. A template is a TOML file NAME.toml in the \
templates directory (`hcl templates path`) holding any of: description, system, prompt (with \
{input} where the arguments and stdin go), provider, model, max_tokens, temperature, top_p, \
seed, stop, reasoning, json_object, schema (a file beside the template, or JSON), cache, \
cache_ttl, cache_bucket, cache_seed, and the tables options (body fields, as -o sets them) and \
properties. `hcl chat -t NAME` lays it under the flags given; `hcl chat --save NAME` writes the \
flags as one.",
        after_help = examples_help("templates")
    )]
    Templates(TemplatesCommand),
    /// Print a shell completion script.
    #[command(after_help = examples_help("completions"))]
    Completions(CompletionsArgs),
}

/// `hcl generate-docs`: a maintainer's command, kept out of the parser
/// users see, so that no help, man page or completion offers it.
#[derive(Debug, Parser)]
#[command(
    name = "hcl generate-docs",
    about = "Write the man pages and completion scripts from the CLI definition"
)]
pub struct GenerateDocsCli {
    #[command(flatten)]
    pub args: GenerateDocsArgs,
}

#[derive(Debug, Args)]
pub struct ChatArgs {
    /// The prompt. Piped stdin is added after it in a `<stdin>` block; `-` puts stdin in its place; with no prompt, stdin is the prompt (on a terminal: an interactive conversation).
    ///
    /// With a prompt and piped stdin, both are sent as one message: the prompt, a blank line,
    /// then `<stdin>`, the piped text and `</stdin>` on lines of their own (the layout of `codex
    /// exec`). The instruction leads and the data is fenced, so the model sees where it ends.
    /// Blank stdin adds nothing; binary stdin is refused (attach it with --file -). In a shell
    /// loop that reads its own stdin, give hcl `</dev/null`.
    #[arg(value_name = "PROMPT")]
    pub prompt: Vec<String>,

    #[command(flatten)]
    pub request: RequestArgs,

    #[command(flatten)]
    pub compose: ComposeArgs,

    /// Stream the answer, printing each token as it arrives (the same as `hcl stream`).
    #[arg(long, help_heading = "Output")]
    pub stream: bool,

    /// Print the answer when complete, even where the config file says `stream = true`.
    #[arg(long, help_heading = "Output", conflicts_with = "stream")]
    pub no_stream: bool,

    /// When streaming, show the model's reasoning (thinking) on stderr as it arrives.
    #[arg(long, help_heading = "Output")]
    pub show_thinking: bool,

    #[command(flatten)]
    pub batch: BatchArgs,

    #[command(flatten)]
    pub conversation: ConversationArgs,
}

/// `hcl stream`: the flags of `hcl chat` that make sense for one streamed
/// request (no `--stream`, no batch flags).
#[derive(Debug, Args)]
pub struct StreamArgs {
    /// The prompt. Piped stdin is added after it in a `<stdin>` block; `-` puts stdin in its place; with no prompt, stdin is the prompt.
    ///
    /// With a prompt and piped stdin, both are sent as one message: the prompt, a blank line,
    /// then `<stdin>`, the piped text and `</stdin>` on lines of their own (the layout of `codex
    /// exec`). The instruction leads and the data is fenced, so the model sees where it ends.
    /// Blank stdin adds nothing; binary stdin is refused (attach it with --file -). In a shell
    /// loop that reads its own stdin, give hcl `</dev/null`.
    #[arg(value_name = "PROMPT")]
    pub prompt: Vec<String>,

    #[command(flatten)]
    pub request: RequestArgs,

    #[command(flatten)]
    pub compose: ComposeArgs,

    /// Show the model's reasoning (thinking) on stderr as it arrives.
    #[arg(long, help_heading = "Output")]
    pub show_thinking: bool,

    #[command(flatten)]
    pub conversation: ConversationArgs,
}

/// The message for a flag of `hcl chat --batch` given to `hcl stream`, which
/// has none, in place of clap's bare "unexpected argument"; `None` for any
/// other error.
pub fn batch_flag_on_stream(e: &clap::Error, argv: &[String]) -> Option<String> {
    use clap::error::{ContextKind, ContextValue, ErrorKind};
    if e.kind() != ErrorKind::UnknownArgument
        || argv
            .iter()
            .skip(1)
            .find(|a| !a.starts_with('-'))
            .map(String::as_str)
            != Some("stream")
    {
        return None;
    }
    let Some(ContextValue::String(arg)) = e.get(ContextKind::InvalidArg) else {
        return None;
    };
    let flag = arg.split('=').next().unwrap_or_default();
    let batch_flags = [
        "--batch",
        "-j",
        "--concurrency",
        "--rps",
        "--max-retries",
        "--resume",
        "--unordered",
        "--fail-fast",
    ];
    if !batch_flags.contains(&flag) {
        return None;
    }
    let retry = if flag == "--max-retries" {
        "; for retries of one request, Helicone's --retry retries it upstream"
    } else {
        ""
    };
    Some(format!(
        "{flag} belongs to hcl chat --batch FILE (many requests); hcl stream sends one{retry}"
    ))
}

impl StreamArgs {
    /// The same request as `hcl chat --stream`.
    pub fn to_chat(&self) -> ChatArgs {
        ChatArgs {
            prompt: self.prompt.clone(),
            request: self.request.clone(),
            compose: self.compose.clone(),
            stream: true,
            no_stream: false,
            show_thinking: self.show_thinking,
            batch: BatchArgs::default(),
            conversation: self.conversation.clone(),
        }
    }
}

/// How the prompt is written, and saving the flags: `-e`, `--save`.
#[derive(Debug, Args, Clone, Default)]
pub struct ComposeArgs {
    /// Write the prompt in $VISUAL or $EDITOR (else vi), opened on the arguments and stdin.
    ///
    /// The editor command is split like a shell would (EDITOR="code -w" works). Saving an empty
    /// file cancels: nothing is sent or logged. With -t, the text fills the template's {input}.
    #[arg(short = 'e', long, help_heading = "Request")]
    pub edit: bool,

    /// Save the request flags as template NAME (see `hcl templates`) instead of sending.
    ///
    /// The prompt given is saved as the template's prompt; write {input} where later input
    /// goes. The system prompt, provider, model, generation settings, -o options, the schema
    /// (inline), properties and cache flags are saved; the file is written 0600.
    #[arg(long, value_name = "NAME", help_heading = "Request")]
    pub save: Option<String>,
}

/// Conversations: `-c`, `--conversation ID`, `--max-history-tokens`.
#[derive(Debug, Args, Clone, Default)]
pub struct ConversationArgs {
    /// Continue the most recent conversation in the log: its history is sent again, in the same Helicone session.
    ///
    /// With no prompt on a terminal, the conversation goes on interactively. The provider and
    /// model of its last turn apply unless -P or -m are given (the history is converted).
    #[arg(
        short = 'c',
        long = "continue",
        help_heading = "Conversation",
        conflicts_with = "conversation"
    )]
    pub continue_last: bool,

    /// Continue the conversation with this id, or a unique prefix of one (see `hcl log conversations`).
    #[arg(long, value_name = "ID", value_hint = clap::ValueHint::Other, help_heading = "Conversation")]
    pub conversation: Option<String>,

    /// Drop the oldest turns when the history would exceed about N tokens (4 characters a token); a note says how many.
    #[arg(long, value_name = "N", help_heading = "Conversation", value_parser = clap::value_parser!(u64).range(1..))]
    pub max_history_tokens: Option<u64>,
}

/// `hcl chat --batch`: many requests from JSON Lines, run concurrently.
#[derive(Debug, Args, Clone, Default)]
pub struct BatchArgs {
    /// Run every line of a JSON Lines file (`-` = stdin) as one request; print one JSON result line per input line.
    ///
    /// Each line is an object with any of: prompt, messages, system, provider, model, properties,
    /// user, session, max_tokens, temperature, cache, files, template, id. A line that is not a
    /// JSON object is a plain prompt. The request flags give the defaults; each line's fields override them
    /// (`"files": ["a.png"]` replaces the --file list for that line).
    #[arg(
        long,
        value_name = "FILE",
        help_heading = "Batch",
        conflicts_with_all = ["prompt", "dry_run", "curl", "request_id"]
    )]
    pub batch: Option<std::path::PathBuf>,

    /// Requests in flight at once [default: 8].
    #[arg(short = 'j', long, value_name = "N", help_heading = "Batch")]
    pub concurrency: Option<usize>,

    /// Start at most R requests per second (retries included).
    #[arg(long, value_name = "R", help_heading = "Batch")]
    pub rps: Option<f64>,

    /// Client-side retries on 429, 5xx and connection errors, honouring Retry-After [default: 2].
    #[arg(long, value_name = "N", help_heading = "Batch")]
    pub max_retries: Option<u32>,

    /// Continue an earlier run of this batch: lines it answered are not sent again.
    ///
    /// What is done comes from the request log, where every answer of a batch names its batch and
    /// its line (the line's id, else a digest of its bytes), so nothing answered is sent twice, even
    /// after a kill -9, with or without ids, ordered or not. The earlier batch is the one named with
    /// -p Hcl-Batch=ID, else the one the RESULTS file belongs to, else the newest batch read from
    /// the same input file by the same --shard K/N (a sharded run falls back to an unsharded
    /// batch, never to another shard's); the run keeps its batch id. Lines of an earlier RESULTS file whose id
    /// succeeded are skipped too (for runs with --no-log). The results are complete and in input
    /// order: an answered line's result is written again from the log, marked "resumed": true.
    /// Write them to a new file: `> results.jsonl` empties the old one before hcl reads it.
    #[arg(
        long,
        value_name = "RESULTS",
        num_args = 0..=1,
        require_equals = false,
        help_heading = "Batch"
    )]
    pub resume: Option<Option<std::path::PathBuf>>,

    /// Write each result as it completes instead of in input order.
    #[arg(long, help_heading = "Batch")]
    pub unordered: bool,

    /// Stop launching requests at the first failure.
    #[arg(long, help_heading = "Batch")]
    pub fail_fast: bool,

    /// Run only shard K of N (K from 1 to N): a stable partition by each line's id, else a digest of the line.
    ///
    /// Every line lands in exactly one shard, the same one on every machine and in every run
    /// (SHA-256 of the id, or of the line without its surrounding whitespace, modulo N). Lines of
    /// other shards are not sent and get no result line; the summary counts them. Give each shard
    /// run its own request log (HCL_LOG=shard-K.jsonl) and results file, then combine the logs
    /// with `hcl log merge`.
    #[arg(long, value_name = "K/N", help_heading = "Batch")]
    pub shard: Option<crate::shard::Shard>,

    /// Write a JUnit XML report to FILE: one testcase per line, named by its id or a prompt preview.
    #[arg(long, value_name = "FILE", help_heading = "Batch")]
    pub junit: Option<std::path::PathBuf>,
}

/// Flags shared by every command that sends a request.
#[derive(Debug, Args, Clone, Default)]
pub struct RequestArgs {
    /// Provider row (see `hcl providers`); default from the config file, else `openai`.
    #[arg(short = 'P', long, value_name = "NAME", value_parser = provider_names(), help_heading = "Request")]
    pub provider: Option<String>,

    /// Model (for Azure, the deployment), an alias from the config file, or PROVIDER:MODEL; without -P the model's name picks the provider.
    #[arg(short, long, value_name = "MODEL", value_hint = clap::ValueHint::Other, help_heading = "Request")]
    pub model: Option<String>,

    /// Attach a file (repeatable; `-` = stdin): text inline, images and PDFs as native parts.
    ///
    /// The type comes from the file's content, not its name. A text file goes after the
    /// prompt, marked `<file name="PATH">` ... `</file>`. PNG, JPEG, WebP and GIF images and PDF
    /// documents go before the prompt as the format's own parts: OpenAI `image_url` and
    /// `file`, Anthropic `image` and `document`, Gemini `inlineData`, base64-encoded. A
    /// type or size the provider does not take is refused before anything is sent. The log
    /// keeps the body as sent and lists each file's name, size and SHA-256. Helicone stores
    /// request bodies, attachments included, unless --omit-request. In an interactive
    /// conversation the files go with the first message; /file PATH attaches more to the next.
    #[arg(
        short = 'f',
        long = "file",
        value_name = "PATH",
        help_heading = "Request"
    )]
    pub files: Vec<PathBuf>,

    /// System prompt.
    #[arg(short, long, value_name = "TEXT", help_heading = "Request")]
    pub system: Option<String>,

    /// Maximum output tokens (Anthropic requires one; hcl sends 1024 when none is given).
    #[arg(long, value_name = "N", help_heading = "Request")]
    pub max_tokens: Option<u32>,

    /// Sampling temperature (OpenAI and Gemini 0-2, Anthropic 0-1).
    #[arg(
        long,
        value_name = "T",
        allow_negative_numbers = true,
        help_heading = "Request"
    )]
    pub temperature: Option<f64>,

    /// Nucleus sampling: draw only from the most likely tokens that make up probability P (0-1).
    #[arg(long, value_name = "P", help_heading = "Request")]
    pub top_p: Option<f64>,

    /// Seed for repeatable sampling, best effort (OpenAI, Gemini; Anthropic has none).
    #[arg(
        long,
        value_name = "N",
        allow_negative_numbers = true,
        help_heading = "Request"
    )]
    pub seed: Option<i64>,

    /// Stop generating at this text (repeatable; OpenAI takes 4, Gemini 5).
    #[arg(long = "stop", value_name = "TEXT", help_heading = "Request")]
    pub stop: Vec<String>,

    /// How hard the model thinks first: OpenAI reasoning_effort, Anthropic thinking, Gemini thinkingConfig.
    ///
    /// OpenAI: reasoning_effort. Anthropic: adaptive thinking with output_config.effort for
    /// Claude 4.6 and later, a thinking budget of 1024, 4096 or 16384 tokens before (max_tokens
    /// then defaults to the budget + 1024). Gemini: thinkingLevel for Gemini 3 and later,
    /// thinkingBudget 1024, 8192 or 24576 before. Only reasoning models take it.
    #[arg(long, value_enum, value_name = "EFFORT", help_heading = "Request")]
    pub reasoning: Option<ReasoningArg>,

    /// Ask for the answer as one JSON object (OpenAI needs the word JSON in the prompt).
    #[arg(long, help_heading = "Request", conflicts_with = "schema")]
    pub json_object: bool,

    /// Structured output: the answer must be JSON valid against this JSON Schema (a file, or the JSON itself).
    ///
    /// Sent as OpenAI response_format json_schema (strict when the schema allows it), Gemini
    /// responseMimeType + responseJsonSchema, and for Anthropic a forced tool whose input is the
    /// answer (printed as JSON). The answer is validated: one that does not match exits 1 naming
    /// the first failing path, such as /age.
    #[arg(long, value_name = "FILE|JSON", help_heading = "Request")]
    pub schema: Option<String>,

    /// Set any body field: KEY is a dotted path, VALUE JSON when it parses, else text (repeatable).
    ///
    /// For example -o top_k=40, -o generationConfig.thinkingConfig.thinkingBudget=0 or
    /// -o 'metadata={"team":"x"}'. A field hcl sets itself (model, messages, a field a flag set)
    /// is refused with the flag to use; `\.` is a dot inside a key.
    #[arg(
        short = 'o',
        long = "option",
        value_name = "KEY=VALUE",
        help_heading = "Request"
    )]
    pub options: Vec<String>,

    /// Apply a saved template (see `hcl templates`): its settings under the flags given.
    #[arg(short = 't', long, value_name = "NAME", help_heading = "Request")]
    pub template: Option<String>,

    /// The settings a template gave, by config key (filled when it is applied; for messages).
    #[arg(skip)]
    pub from_template: Vec<&'static str>,

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

    /// Session name: `Helicone-Session-Name` [default: the conversation's, else "hcl conversation"].
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

    /// Longest silence allowed in a stream, in seconds: before its response headers and between its chunks [default: 60].
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
pub enum ReasoningArg {
    Low,
    Medium,
    High,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FormatArg {
    Openai,
    Anthropic,
    Gemini,
}

#[derive(Debug, Args)]
pub struct ProvidersArgs {
    #[command(flatten)]
    pub format: FormatArgs,
}

#[derive(Debug, Args)]
pub struct ModelsArgs {
    /// Only this provider (its built-in list when its key is not set).
    #[arg(short = 'P', long, value_name = "NAME", value_parser = provider_names())]
    pub provider: Option<String>,
    /// Fetch the lists again even when the cached ones are less than a day old.
    #[arg(long)]
    pub refresh: bool,
    #[command(flatten)]
    pub format: FormatArgs,
}

#[derive(Debug, Subcommand)]
pub enum LogCommand {
    /// List logged exchanges, newest last: time (local), provider, model, status, tokens, prompt and answer.
    #[command(after_help = examples_help("log list"))]
    List(LogListArgs),
    /// Show one exchange readably (the latest when no id is given); --json prints the record.
    #[command(after_help = examples_help("log show"))]
    Show(LogShowArgs),
    /// Print the log file's path.
    #[command(after_help = examples_help("log path"))]
    Path,
    /// Write logged exchanges to a file other tools open (every record unless narrowed).
    #[command(after_help = examples_help("log export"))]
    Export(LogExportArgs),
    /// List conversations: id, turns, first prompt, providers, model and last activity.
    #[command(after_help = examples_help("log conversations"))]
    Conversations(LogConversationsArgs),
    /// Ask Helicone whether it logged each selected request: logged, missing, pending, direct, mismatch.
    #[command(
        long_about = "Ask Helicone's REST API whether it logged each selected request, by the \
Helicone request id the log holds, and report each as: logged; missing (not in Helicone and older \
than --grace); pending (not in Helicone yet, but younger than --grace: ingestion is asynchronous \
and can lag); direct (sent with --direct, so Helicone never saw it); or mismatch (Helicone's status, \
model or token counts differ from the local record, which the report names). For logged requests \
it shows Helicone's cost and latency, and remembers them beside the log so that `hcl log list` and \
`hcl log show` show the cost without asking again. The lookups are batched in one query per 100 \
requests (POST /v1/request/query-clickhouse, which Helicone allows only to keys with write \
permission); with a read-only key hcl asks for each request on its own instead (GET \
/v1/request/{id}). With no id and no selector, the last 20 requests are verified. Exit status: 0 \
done; 6 --expect logged and a request is missing or mismatched; 5 the Helicone key was refused; \
3 network error.",
        after_help = examples_help("log verify")
    )]
    Verify(Box<LogVerifyArgs>),
    /// Send the requests Helicone lacks through its custom-logging API, once each.
    #[command(
        long_about = "Send the selected requests that Helicone lacks through Helicone's \
custom-logging API (POST https://api.worker.helicone.ai/{oai,anthropic,googleapis}/v1/log), each \
with its original request and response bodies, start and end times, time to first token, \
properties, user and session, under its original Helicone request id. hcl verifies first and sends \
only the requests found missing (not pending); --include-direct adds those sent with --direct; \
--no-verify skips the check. Every push is remembered beside the log, and a request is never pushed \
twice. --dry-run shows what would be sent, secrets masked. A request over Helicone's 10 MB \
payload limit fails on its own and the others still go. Exit status: 0 done; 1 a push failed; 5 \
the Helicone key was refused; 3 network error.",
        after_help = examples_help("log push")
    )]
    Push(Box<LogPushArgs>),
    /// Counts, errors, cache hit rate, tokens, cost and latency percentiles, grouped with --by.
    #[command(
        long_about = "Summarise the selected requests (every logged request unless narrowed): \
requests, errors, Helicone cache hits and hit rate (HIT / (HIT + MISS)), input and output tokens, \
cost where Helicone's figure is known (from `hcl log verify`), and latency p50 and p95 \
(nearest-rank). --by groups the rows by provider, model, batch or a property (property:NAME).",
        after_help = examples_help("log stats")
    )]
    Stats(LogStatsArgs),
    /// Merge request logs (of shard runs) into one: no duplicates, in time order, mode 0600.
    #[command(
        long_about = "Merge request logs, such as those of `hcl chat --batch --shard K/N` runs on several CI runners, into one log at OUT: every valid record once (by record id; the first copy is kept), in time order (records with the same time keep the order of the inputs). Every line is read as `hcl log list` reads it; a corrupt or torn line, or a record of a newer hcl, is skipped with a warning naming its file and line. What `hcl log verify` and `hcl log push` remembered beside each input (NAME.helicone.jsonl) is merged beside OUT too. OUT is written whole or not at all (a new 0600 file renamed into place) after every input is read, so OUT may be one of the inputs: `hcl log merge \"$HCL_LOG\" shard-*.jsonl -o \"$HCL_LOG\"` adds the shards to the current log. An existing OUT that is not an input is refused, so no log is lost by mistake. Do not merge into a log that hcl is writing at the same time: records appended during the merge are lost. The records are held in memory while they are sorted. Then `HCL_LOG=OUT hcl log list`, `hcl replay` and the other readers work on the result. Exit status: 0 merged (bad lines are warnings); 2 an input cannot be read or OUT is refused.",
        after_help = examples_help("log merge")
    )]
    Merge(LogMergeArgs),
}

#[derive(Debug, Args)]
pub struct LogMergeArgs {
    /// The logs to merge (each a request log, e.g. one per shard).
    #[arg(value_name = "FILE", required = true)]
    pub files: Vec<PathBuf>,
    /// The merged log to write (mode 0600); it may be one of the inputs.
    #[arg(short = 'o', long = "output", value_name = "OUT", required = true)]
    pub output: PathBuf,
    /// No notes or warnings; only errors.
    #[arg(short, long)]
    pub quiet: bool,
}

/// The shape of a table: `--format table|tsv|json`, or `--json`. Any
/// command that prints a table flattens this.
#[derive(Debug, Args, Clone, Default)]
pub struct FormatArgs {
    /// The output's shape: a table, tab-separated values with a header line, or JSON [default: table].
    #[arg(
        long = "format",
        value_enum,
        value_name = "FORMAT",
        help_heading = "Output",
        conflicts_with = "json"
    )]
    pub format: Option<TableFormat>,
    /// The same as --format json.
    #[arg(long, help_heading = "Output")]
    pub json: bool,
}

impl FormatArgs {
    pub fn resolve(&self) -> TableFormat {
        if self.json {
            TableFormat::Json
        } else {
            self.format.unwrap_or(TableFormat::Table)
        }
    }
}

/// How `--format` shapes a table.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, ValueEnum)]
pub enum TableFormat {
    /// Aligned columns, fitted to the terminal's width (boxed on a terminal).
    #[default]
    Table,
    /// Tab-separated, a header line first, nothing cut.
    Tsv,
    /// JSON: what `--json` prints.
    Json,
}

/// `--timeout` for the commands that call Helicone's REST API.
#[derive(Debug, Args, Clone, Default)]
pub struct RestArgs {
    /// Timeout of each call to Helicone's REST API, in seconds [default: 30].
    #[arg(long, value_name = "SECS", help_heading = "Network")]
    pub timeout: Option<f64>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum VerifyExpect {
    Logged,
}

#[derive(Debug, Args)]
pub struct LogVerifyArgs {
    /// Record ids or unique prefixes of them (see `hcl log list`).
    #[arg(value_name = "ID")]
    pub ids: Vec<String>,
    #[command(flatten)]
    pub select: SelectArgs,
    /// A request not in Helicone is pending, not missing, until it is this old (`30s`, `10m`, `2h`).
    #[arg(long, value_name = "DURATION", default_value = "10m")]
    pub grace: String,
    /// Exit 6 when a request is missing or mismatched (pending and direct ones do not count).
    #[arg(long, value_enum, value_name = "logged")]
    pub expect: Option<VerifyExpect>,
    /// Write a JUnit XML report to FILE, one testcase per request.
    #[arg(long, value_name = "FILE", help_heading = "Output")]
    pub junit: Option<PathBuf>,
    #[command(flatten)]
    pub format: FormatArgs,
    #[command(flatten)]
    pub rest: RestArgs,
    /// No notes or warnings; only the report and errors.
    #[arg(short, long, help_heading = "Output")]
    pub quiet: bool,
}

#[derive(Debug, Args)]
pub struct LogPushArgs {
    /// Record ids or unique prefixes of them (see `hcl log list`).
    #[arg(value_name = "ID")]
    pub ids: Vec<String>,
    #[command(flatten)]
    pub select: SelectArgs,
    /// Also push requests sent with --direct, which Helicone never saw.
    #[arg(long)]
    pub include_direct: bool,
    /// Push without asking Helicone first (requests already pushed are still skipped).
    #[arg(long)]
    pub no_verify: bool,
    /// When verifying: a request not in Helicone is pending (and not pushed) until it is this old.
    #[arg(long, value_name = "DURATION", default_value = "10m")]
    pub grace: String,
    /// Print what would be sent (URL, headers with the key masked, payload); send nothing.
    #[arg(long, help_heading = "Output")]
    pub dry_run: bool,
    #[command(flatten)]
    pub format: FormatArgs,
    #[command(flatten)]
    pub rest: RestArgs,
    /// No notes or warnings; only the report and errors.
    #[arg(short, long, help_heading = "Output")]
    pub quiet: bool,
}

#[derive(Debug, Args)]
pub struct LogStatsArgs {
    #[command(flatten)]
    pub select: SelectArgs,
    /// Group by `provider`, `model`, `batch` or `property:NAME` [default: one row for everything].
    #[arg(long, value_name = "KEY")]
    pub by: Option<String>,
    #[command(flatten)]
    pub format: FormatArgs,
}

#[derive(Debug, Args)]
pub struct FeedbackArgs {
    /// `ID good|bad`, or only `good|bad` with --batch or --results.
    #[arg(value_name = "ID] [good|bad", num_args = 1..=2, required = true)]
    pub args: Vec<String>,
    #[command(flatten)]
    pub rate: RateArgs,
}

#[derive(Debug, Args)]
pub struct ScoreArgs {
    /// `ID NAME=VALUE...`, or only `NAME=VALUE...` with --batch or --results; VALUE is an integer or true/false.
    #[arg(value_name = "ID] [NAME=VALUE", num_args = 1.., required = true)]
    pub args: Vec<String>,
    #[command(flatten)]
    pub rate: RateArgs,
}

/// What `feedback` and `score` share: which requests besides one id, and
/// the output.
#[derive(Debug, Args, Clone, Default)]
pub struct RateArgs {
    /// Every successful request of this `hcl chat --batch` run (its Hcl-Batch property).
    #[arg(long, value_name = "BATCH_ID", conflicts_with = "results")]
    pub batch: Option<String>,
    /// Every request named (by log_id) in this `hcl chat --batch` results file.
    #[arg(long, value_name = "FILE")]
    pub results: Option<PathBuf>,
    /// Print one JSON object instead of text.
    #[arg(long, help_heading = "Output")]
    pub json: bool,
    #[command(flatten)]
    pub rest: RestArgs,
}

#[derive(Debug, Args)]
pub struct LogConversationsArgs {
    /// The N most recently active conversations [default: 20].
    #[arg(short = 'n', long = "last", value_name = "N", conflicts_with = "all")]
    pub last: Option<usize>,
    /// Every conversation.
    #[arg(long)]
    pub all: bool,
    #[command(flatten)]
    pub format: FormatArgs,
}

#[derive(Debug, Args)]
pub struct LogListArgs {
    #[command(flatten)]
    pub select: SelectArgs,
    #[command(flatten)]
    pub format: FormatArgs,
}

#[derive(Debug, Args)]
pub struct LogExportArgs {
    /// Write HAR 1.2 (browser devtools, HTTP tools) to FILE; `-` is stdout.
    #[arg(long, value_name = "FILE", required = true)]
    pub har: PathBuf,
    #[command(flatten)]
    pub select: SelectArgs,
}

/// Which log records to take (replay, log list, log export).
#[derive(Debug, Args, Clone, Default)]
pub struct SelectArgs {
    /// The newest N matching records (log list shows the last 20 by default).
    #[arg(
        short = 'n',
        long = "last",
        value_name = "N",
        help_heading = "Selection"
    )]
    pub last: Option<usize>,
    /// Records since WHEN: a duration ago (`2h`, `30m`, `7days`) or an RFC 3339 time.
    #[arg(long, value_name = "WHEN", help_heading = "Selection")]
    pub since: Option<String>,
    /// Only records of this provider.
    #[arg(short = 'P', long = "provider", value_name = "NAME", value_parser = provider_names(), help_heading = "Selection")]
    pub provider: Option<String>,
    /// Only records of this model (an alias or PROVIDER:MODEL works too).
    #[arg(short = 'm', long = "model", value_name = "MODEL", value_hint = clap::ValueHint::Other, help_heading = "Selection")]
    pub model: Option<String>,
    /// Only records whose prompt or answer holds TEXT (any case).
    #[arg(long, value_name = "TEXT", help_heading = "Selection")]
    pub grep: Option<String>,
    /// Only records sent with `Helicone-Property-KEY: VALUE` (repeatable; all must match).
    #[arg(
        long = "property",
        value_name = "KEY=VALUE",
        help_heading = "Selection"
    )]
    pub properties: Vec<String>,
    /// Only exchanges that succeeded (`ok`: a 2xx answer) or failed (`error`).
    #[arg(long, value_enum, value_name = "STATUS", help_heading = "Selection")]
    pub status: Option<StatusArg>,
    /// Only the requests of this `hcl chat --batch` run (its Hcl-Batch property).
    #[arg(long = "batch", value_name = "BATCH_ID", help_heading = "Selection")]
    pub batch: Option<String>,
    /// Every matching record.
    #[arg(long, conflicts_with = "last", help_heading = "Selection")]
    pub all: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum StatusArg {
    Ok,
    Error,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ExpectArg {
    Hit,
    Miss,
}

#[derive(Debug, Args)]
pub struct ReplayArgs {
    /// Record ids or unique prefixes of them (see `hcl log list`).
    #[arg(value_name = "ID")]
    pub ids: Vec<String>,

    #[command(flatten)]
    pub select: SelectArgs,

    /// Also select records that are themselves replays.
    #[arg(long, help_heading = "Selection")]
    pub include_replays: bool,

    /// Send each request N times, one after another (a bucket of size N needs N sends to hit).
    #[arg(long, value_name = "N", default_value_t = 1, value_parser = clap::value_parser!(u32).range(1..=1000))]
    pub repeat: u32,

    /// Replay only shard K of N (K from 1 to N) of the selected requests: a stable partition by line id, else record id.
    ///
    /// Every selected request lands in exactly one shard (SHA-256 of its key, modulo N), so N
    /// runners replaying the same log with --shard 1/N to N/N replay each request once. The key of
    /// a record of a batch line with an id is that id, so the record goes to the shard `chat --batch
    /// --shard K/N` puts its line in, whether the batch ran sharded or not; any other record's key
    /// is its record id. Give each shard its own request log (HCL_LOG) and --junit file.
    #[arg(long, value_name = "K/N", help_heading = "Selection")]
    pub shard: Option<crate::shard::Shard>,

    /// Requests in flight at once.
    #[arg(short = 'j', long = "concurrency", value_name = "N", default_value_t = 4, value_parser = clap::value_parser!(u32).range(1..=1024))]
    pub concurrency: u32,

    /// Exit 6 unless every replay was a HIT (or a MISS); with --repeat, the last send of each request counts.
    #[arg(long, value_enum, value_name = "hit|miss")]
    pub expect: Option<ExpectArg>,

    /// Re-send each MISS until it HITs or DURATION (e.g. 90s, 2m) after the replay started has passed.
    ///
    /// Helicone's cache store can take up to a minute to show a new entry, so a replay sent soon
    /// after the original may MISS although a later one would HIT. With --settle, each MISS is
    /// sent again after 1 s, 2 s, 4 s and so on (at most 16 s apart, the last try at the deadline); every
    /// try is logged, the report shows how many each took, and --expect judges the last one.
    /// With --repeat, the last send of each request settles.
    #[arg(long, value_name = "DURATION")]
    pub settle: Option<String>,

    /// Add `Helicone-Cache-Enabled: true` to requests first sent without caching.
    #[arg(long)]
    pub cache: bool,

    /// Send to this Helicone base instead of the logged one (the URL is part of the cache key).
    #[arg(long, value_name = "URL")]
    pub base_url: Option<String>,

    /// Extra header `Name: value`, replacing a logged one of that name (repeatable).
    #[arg(short = 'H', long = "header", value_name = "NAME: VALUE")]
    pub headers: Vec<String>,

    /// Whole-request timeout in seconds [default: 600].
    #[arg(long, value_name = "SECS")]
    pub timeout: Option<f64>,

    /// Write a JUnit XML report to FILE, one testcase per replay.
    #[arg(long, value_name = "FILE", help_heading = "Output")]
    pub junit: Option<PathBuf>,

    #[command(flatten)]
    pub format: FormatArgs,

    /// Don't append the replays to the request log.
    #[arg(long, help_heading = "Output")]
    pub no_log: bool,

    /// No notes or warnings; only the report and errors.
    #[arg(short, long, help_heading = "Output")]
    pub quiet: bool,
}

#[derive(Debug, Args)]
pub struct LogShowArgs {
    /// A record id or a unique prefix of one; the latest record when none is given.
    #[arg(value_name = "ID")]
    pub id: Option<String>,
    /// Print the transcript of this conversation (an id or a unique prefix) as Markdown.
    #[arg(long, value_name = "CONVERSATION", conflicts_with = "id")]
    pub conversation: Option<String>,
    /// Print the record as pretty JSON (times in UTC); with --conversation, the transcript as one JSON object.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Subcommand)]
pub enum AuthCommand {
    /// Store a key in the OS keyring, read from stdin when piped, else from a hidden prompt.
    ///
    /// NAME is `helicone` or a provider that takes a key (see `hcl providers`). The key is never
    /// taken from the command line. The keyring is the Secret Service (GNOME Keyring, KWallet)
    /// on Linux, the Keychain on macOS and the Credential Manager on Windows. Where there is
    /// none (CI, SSH), use the environment variable or the config file.
    #[command(after_help = examples_help("auth set"))]
    Set(AuthSetArgs),
    /// Delete a key from the OS keyring.
    #[command(after_help = examples_help("auth delete"))]
    Delete(AuthNameArgs),
    /// Show where each key was found (env, keyring, config or none), as a fingerprint.
    ///
    /// Keys are looked up in the environment, then the OS keyring, then the config file.
    /// HCL_NO_KEYRING=1 skips the keyring.
    #[command(after_help = examples_help("auth status"))]
    Status(AuthStatusArgs),
    /// Say what the Helicone key can do: proxy logging, read and write, each on its own.
    ///
    /// Helicone's proxies accept a wrong Helicone key silently: requests are answered but never
    /// logged or cached. The proxies do not check a key's permissions, so any key Helicone knows
    /// logs and caches. Helicone's REST API does: reading (GET, e.g. `hcl log verify` one request
    /// at a time) needs read permission, and every POST (the bulk query of `hcl log verify`,
    /// feedback, scores) needs write permission. The check makes two read-only calls: GET
    /// /v1/request/{id} for a request id that does not exist, and POST /v1/request/query-clickhouse
    /// for at most one row. It asks https://api.helicone.ai, or https://eu.api.helicone.ai for
    /// sk-helicone-eu- keys; HCL_HELICONE_API_BASE (or api_base under [helicone] in the config
    /// file) overrides it. Exit status: 0 Helicone knows the key (whatever it may do); 5 Helicone
    /// does not know the key; 3 network error; 2 no key.
    #[command(after_help = examples_help("auth check"))]
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
pub enum TemplatesCommand {
    /// List the saved templates with their descriptions.
    #[command(after_help = examples_help("templates list"))]
    List(TemplatesListArgs),
    /// Print a template's file.
    #[command(after_help = examples_help("templates show"))]
    Show(TemplateNameArgs),
    /// Open a template in $VISUAL/$EDITOR (a new one starts from a commented example), then check it.
    #[command(after_help = examples_help("templates edit"))]
    Edit(TemplateNameArgs),
    /// Print the templates directory.
    #[command(after_help = examples_help("templates path"))]
    Path,
}

#[derive(Debug, Args)]
pub struct TemplatesListArgs {
    /// Print JSON Lines instead of a table.
    #[arg(long, conflicts_with = "names")]
    pub json: bool,
    /// Print only the names, one a line (for scripts and shell completion).
    #[arg(long)]
    pub names: bool,
}

#[derive(Debug, Args)]
pub struct TemplateNameArgs {
    /// The template's name (its file is NAME.toml in `hcl templates path`).
    #[arg(value_name = "NAME")]
    pub name: String,
}

#[derive(Debug, Subcommand)]
pub enum ConfigCommand {
    /// Print the config file's path (HCL_CONFIG, else the platform's config directory).
    #[command(after_help = examples_help("config path"))]
    Path,
    /// Print the effective settings and where each came from; keys as fingerprints.
    #[command(after_help = examples_help("config show"))]
    Show(ConfigShowArgs),
    /// Write a commented config file (0600) for the keys and providers found; keys are not copied into it.
    #[command(after_help = examples_help("config init"))]
    Init(ConfigInitArgs),
}

#[derive(Debug, Args)]
pub struct ConfigInitArgs {
    /// Replace an existing config file.
    #[arg(long)]
    pub force: bool,
}

#[derive(Debug, Args)]
pub struct ConfigShowArgs {
    /// Print JSON instead of a table.
    #[arg(long)]
    pub json: bool,
}

/// `helicone` and the keyring name of every key a row takes: the row's
/// own name for its one key, a slot's name for a row with several.
pub fn key_name_values() -> Vec<&'static str> {
    std::iter::once("helicone")
        .chain(
            provider::PROVIDERS
                .iter()
                .flat_map(|p| p.key_slots(p.any_format()).into_iter().map(|s| s.keyring)),
        )
        .collect()
}

fn key_names() -> clap::builder::PossibleValuesParser {
    clap::builder::PossibleValuesParser::new(key_name_values())
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

#[derive(Debug, Args, Clone)]
pub struct GenerateDocsArgs {
    /// The repository root to write `man/` and `completions/` under.
    #[arg(long, value_name = "DIR", default_value = ".")]
    pub dir: PathBuf,
    /// Compare instead of writing; exit 1 when a file is out of date.
    #[arg(long)]
    pub check: bool,
}

/// A usage error of clap's as plain text without its `error: ` label (the
/// printer adds hcl's one prefix), with a better guess for a mistyped
/// provider (`-P claude` means anthropic, not azure).
pub fn render_error(mut e: clap::Error) -> String {
    use clap::error::{ContextKind, ContextValue, ErrorKind};
    if e.kind() == ErrorKind::InvalidValue
        && let Some(ContextValue::String(arg)) = e.get(ContextKind::InvalidArg)
        && arg.starts_with("--provider")
        && let Some(ContextValue::String(value)) = e.get(ContextKind::InvalidValue)
        && let Some(row) = provider::family::suggest(value)
    {
        e.insert(
            ContextKind::SuggestedValue,
            ContextValue::String(row.name.to_string()),
        );
    }
    let text = e.render().to_string();
    text.strip_prefix("error: ").unwrap_or(&text).to_string()
}
