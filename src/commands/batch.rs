//! `hcl chat --batch FILE`: many requests from JSON Lines, run concurrently,
//! one JSON result line per input line on stdout.
//!
//! The shape of a run:
//! - a reader thread streams input lines through a bounded channel;
//! - the driver (one task) parses each line, resolves it against a cached
//!   per-provider template, and keeps a bounded window of pending items, so
//!   memory stays constant however long the input is;
//! - each item is a task: it takes one of `-j` permits, waits for the pacer,
//!   sends, retries on 429/5xx/connection errors, and hands one log record
//!   per attempt to the single log-writer thread;
//! - results leave the window in input order (or as they complete with
//!   `--unordered`) and go to stdout.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::fs::File;
use std::future::Future;
use std::io::{BufRead, BufReader, IsTerminal, Read};
use std::path::Path;
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use futures_util::StreamExt;
use futures_util::stream::{FuturesOrdered, FuturesUnordered};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use tokio::sync::{Semaphore, mpsc, watch};

use crate::cli::{BatchArgs, ChatArgs, RequestArgs};
use crate::error::{Error, ExitStatus, NetLayer, Result, Signal};
use crate::exchange::{self, Outcome, RecordContext};
use crate::helicone::{self, HeliconeOptions};
use crate::log::{self, HeaderList, Record};
use crate::output::{self, Printer};
use crate::provider;
use crate::request;
use crate::settings::{self, Config, Env, RequestSettings, ResolveContext};
use crate::transport::Client;
use crate::wire::{ChatInput, Message, Role, Usage};

/// The property that tags every request of a batch.
pub const BATCH_PROPERTY: &str = "Hcl-Batch";
const MAX_CONCURRENCY: usize = 4096;
const DEFAULT_CONCURRENCY: usize = 8;
const DEFAULT_MAX_RETRIES: u32 = 2;
/// The first client-side backoff; doubled per attempt, with jitter.
const BACKOFF_BASE: Duration = Duration::from_millis(250);
const BACKOFF_MAX: Duration = Duration::from_secs(30);
/// The longest wait a `Retry-After`-style hint can impose.
const MAX_HINTED_WAIT: Duration = Duration::from_secs(60);
/// Distinct (provider, model) templates kept before the cache starts over.
const MAX_TEMPLATES: usize = 256;

pub fn run(args: &ChatArgs, input: &Path, env: Env<'_>, printer: &Printer) -> Result<ExitStatus> {
    let r = &args.request;
    let b = &args.batch;
    printer.set_verbosity(r.quiet, false);
    let concurrency = b.concurrency.unwrap_or(DEFAULT_CONCURRENCY);
    let max_retries = b.max_retries.unwrap_or(DEFAULT_MAX_RETRIES);
    check_flags(concurrency, b.rps, max_retries)?;
    let config = super::load_config(env, printer)?;
    let batch_id = batch_id(r)?;

    // The flags alone must resolve: a missing key or a bad flag is a usage
    // error now, before anything is sent.
    let mut templates = Templates::new(r, env, &config, &batch_id);
    let default = templates.get(None, None, printer)?;

    let resume = match &b.resume {
        Some(path) => Some(read_resume(path)?),
        None => None,
    };
    let (reader, total) = open_input(input, printer.stderr_is_tty && !r.quiet)?;
    if input.as_os_str() == "-" && std::io::stdin().is_terminal() {
        printer.note("reading batch lines from the terminal; end them with Ctrl-D");
    }
    let log_writer = match &default.log_path {
        Some(path) => Some(LogWriter::start(path, printer)?),
        None => None,
    };
    let client = Client::new(default.net.clone(), default.proxy.clone())?;

    // One thread: measured against two workers at -j 64 on 2 cores, it is
    // within 6% of the throughput with less CPU and memory (bench/RESULTS.md).
    let runtime = super::runtime()?;
    let (cancel_tx, cancel_rx) = watch::channel(None);
    let shared = Arc::new(Shared {
        client,
        permits: Semaphore::new(concurrency),
        gate: Gate::new(b.rps),
        cancel: cancel_rx,
        stop_launching: AtomicBool::new(false),
        log: log_writer.as_ref().map(|w| w.sender.clone()),
        batch_id: batch_id.clone(),
        max_retries,
        fail_fast: b.fail_fast,
    });
    let mut driver = Driver {
        opts: b,
        concurrency,
        printer,
        templates,
        resume: resume.as_ref(),
        shared,
        cancel: cancel_tx,
        stats: Stats::default(),
        progress: printer.progress(total),
        started: Instant::now(),
    };
    let outcome = runtime.block_on(driver.drive(reader));
    printer.finish_progress();
    let Driver { stats, shared, .. } = driver;
    drop(shared);
    drop(runtime);
    if let Some(w) = log_writer {
        w.finish(printer);
    }
    let end = outcome?;
    if !r.quiet {
        print_summary(&batch_id, &stats, printer);
    }
    Ok(match end {
        End::Interrupted(signal) => signal.exit_status(),
        End::Done if stats.failed() > 0 || stats.input_error => ExitStatus::Failure,
        End::Done => ExitStatus::Success,
    })
}

/// Batch flags without `--batch` are a mistake worth naming.
pub fn check_without_batch(b: &BatchArgs) -> Result<()> {
    let stray = [
        ("-j/--concurrency", b.concurrency.is_some()),
        ("--rps", b.rps.is_some()),
        ("--max-retries", b.max_retries.is_some()),
        ("--resume", b.resume.is_some()),
        ("--unordered", b.unordered),
        ("--fail-fast", b.fail_fast),
    ];
    match stray.iter().find(|(_, set)| *set) {
        Some((flag, _)) => Err(Error::usage(format!(
            "{flag} applies to --batch FILE only; add --batch, or drop {flag}"
        ))),
        None => Ok(()),
    }
}

fn check_flags(concurrency: usize, rps: Option<f64>, max_retries: u32) -> Result<()> {
    if concurrency == 0 || concurrency > MAX_CONCURRENCY {
        return Err(Error::usage(format!(
            "-j {concurrency} is out of range; give 1 to {MAX_CONCURRENCY} requests in flight"
        )));
    }
    if let Some(r) = rps
        && !(r.is_finite() && r > 0.0 && r <= 1e6)
    {
        return Err(Error::usage(format!(
            "--rps {r} is not a positive rate; give requests per second, e.g. --rps 5 or --rps 0.5"
        )));
    }
    if max_retries > 100 {
        return Err(Error::usage(format!(
            "--max-retries {max_retries} is too many; give 0 to 100"
        )));
    }
    Ok(())
}

/// `-p Hcl-Batch=NAME` names the batch; otherwise it gets a fresh UUID.
fn batch_id(r: &RequestArgs) -> Result<String> {
    let mut id = None;
    for p in &r.properties {
        let (k, v) = helicone::parse_property(p)?;
        if k.eq_ignore_ascii_case(BATCH_PROPERTY) {
            if v.trim().is_empty() {
                return Err(Error::usage(format!(
                    "--property {BATCH_PROPERTY}= is empty; give the batch a name, or drop it for a generated id"
                )));
            }
            id = Some(v);
        }
    }
    Ok(id.unwrap_or_else(|| uuid::Uuid::new_v4().to_string()))
}

// ---------------------------------------------------------------------------
// Templates: resolved settings per (provider, model), shared by many lines.

type TemplateKey = (Option<String>, Option<String>);

/// Resolving settings reads keys and checks every flag; a batch does it once
/// per distinct provider and model, not once per line.
struct Templates<'a> {
    args: &'a RequestArgs,
    env: Env<'a>,
    config: &'a Config,
    batch_id: &'a str,
    cache: HashMap<TemplateKey, std::result::Result<Arc<RequestSettings>, String>>,
    warned: HashSet<String>,
    /// The provider the flags resolve to: a line naming it changes nothing.
    default_provider: Option<&'static str>,
}

impl<'a> Templates<'a> {
    fn new(args: &'a RequestArgs, env: Env<'a>, config: &'a Config, batch_id: &'a str) -> Self {
        Templates {
            args,
            env,
            config,
            batch_id,
            cache: HashMap::new(),
            warned: HashSet::new(),
            default_provider: None,
        }
    }

    fn get(
        &mut self,
        provider: Option<&str>,
        model: Option<&str>,
        printer: &Printer,
    ) -> Result<Arc<RequestSettings>> {
        // A line naming the flags' own provider is the flags' template.
        let provider = provider.filter(|p| Some(*p) != self.default_provider);
        let key = (provider.map(str::to_string), model.map(str::to_string));
        if let Some(found) = self.cache.get(&key) {
            return found.clone().map_err(Error::Usage);
        }
        if self.cache.len() >= MAX_TEMPLATES {
            self.cache.clear();
        }
        let resolved = self.resolve(provider, model);
        if let Ok(s) = &resolved {
            if key == (None, None) {
                self.default_provider = Some(s.provider.name);
            }
            for w in &s.warnings {
                if self.warned.insert(w.clone()) {
                    printer.warn(w);
                }
            }
        }
        let entry = resolved.map(Arc::new).map_err(|e| e.to_string());
        self.cache.insert(key, entry.clone());
        entry.map_err(Error::Usage)
    }

    fn resolve(&self, provider: Option<&str>, model: Option<&str>) -> Result<RequestSettings> {
        let mut args = self.args.clone();
        if let Some(p) = provider {
            args.provider = Some(p.to_string());
            // The flags' model belongs to the flags' provider.
            args.model = None;
        }
        if let Some(m) = model {
            args.model = Some(m.to_string());
        }
        // The batch property is hcl's own; the rest are validated by resolve.
        args.properties
            .retain(|p| !p.split('=').next().is_some_and(is_batch_property));
        let mut s = settings::resolve(
            &args,
            ResolveContext {
                env: self.env,
                config: self.config,
                input: ChatInput::default(),
                stream: false,
                offline: false,
            },
        )?;
        s.helicone.properties.retain(|(k, _)| !is_batch_property(k));
        s.helicone
            .properties
            .push((BATCH_PROPERTY.to_string(), self.batch_id.to_string()));
        Ok(s)
    }
}

fn is_batch_property(name: &str) -> bool {
    name.trim().eq_ignore_ascii_case(BATCH_PROPERTY)
}

// ---------------------------------------------------------------------------
// Input lines.

/// The fields an input line may carry.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct LineSpec {
    prompt: Option<String>,
    messages: Option<Vec<LineMessage>>,
    system: Option<String>,
    provider: Option<String>,
    model: Option<String>,
    properties: Option<BTreeMap<String, Value>>,
    user: Option<String>,
    session: Option<String>,
    max_tokens: Option<u32>,
    temperature: Option<f64>,
    cache: Option<bool>,
    // `id` is taken out before the rest is read, so even a bad line reports it.
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct LineMessage {
    role: String,
    content: String,
}

/// One line, ready to send.
struct Job {
    template: Arc<RequestSettings>,
    input: ChatInput,
    helicone: HeliconeOptions,
}

/// What a line turned into: its client id and a job or the reason it is
/// bad; `None` for a blank line.
type Parsed = Option<(Option<Value>, std::result::Result<Job, String>)>;

/// The client id of a line, read even when the rest of the line is bad.
fn take_id(map: &mut serde_json::Map<String, Value>) -> std::result::Result<Option<Value>, String> {
    match map.remove("id") {
        None | Some(Value::Null) => Ok(None),
        Some(v @ (Value::String(_) | Value::Number(_))) => Ok(Some(v)),
        Some(_) => Err("field id must be a string or a number".to_string()),
    }
}

fn parse_line(bytes: &[u8], templates: &mut Templates<'_>, printer: &Printer) -> Parsed {
    let Ok(text) = std::str::from_utf8(bytes) else {
        return Some((None, Err("the line is not UTF-8".to_string())));
    };
    let text = text.trim_end_matches(['\n', '\r']);
    if text.trim().is_empty() {
        return None;
    }
    let trimmed = text.trim_start();
    let spec = if trimmed.starts_with('{') {
        let mut map = match serde_json::from_str::<serde_json::Map<String, Value>>(text) {
            Ok(m) => m,
            Err(e) => {
                return Some((
                    None,
                    Err(format!(
                        "the line starts with '{{' but is not a JSON object ({e}); write a plain prompt as {{\"prompt\": \"…\"}}"
                    )),
                ));
            }
        };
        let id = match take_id(&mut map) {
            Ok(id) => id,
            Err(e) => return Some((None, Err(e))),
        };
        return Some(
            match serde_json::from_value::<LineSpec>(Value::Object(map)) {
                Ok(spec) => (id, build_job(spec, templates, printer)),
                Err(e) => (id, Err(e.to_string())),
            },
        );
    } else if trimmed.starts_with('"') {
        // A JSON string is a prompt; so is anything else that does not parse.
        match serde_json::from_str::<String>(text) {
            Ok(prompt) => LineSpec {
                prompt: Some(prompt),
                ..Default::default()
            },
            Err(_) => LineSpec {
                prompt: Some(text.to_string()),
                ..Default::default()
            },
        }
    } else {
        LineSpec {
            prompt: Some(text.to_string()),
            ..Default::default()
        }
    };
    Some((None, build_job(spec, templates, printer)))
}

fn build_job(
    spec: LineSpec,
    templates: &mut Templates<'_>,
    printer: &Printer,
) -> std::result::Result<Job, String> {
    let mut system = spec.system;
    let messages = match (spec.prompt, spec.messages) {
        (Some(_), Some(_)) => {
            return Err("give either prompt or messages, not both".to_string());
        }
        (None, None) => {
            return Err("the line has neither prompt nor messages".to_string());
        }
        (Some(p), None) => {
            if p.trim().is_empty() {
                return Err("the prompt is empty".to_string());
            }
            vec![Message {
                role: Role::User,
                content: p,
            }]
        }
        (None, Some(msgs)) => {
            let mut out = Vec::with_capacity(msgs.len());
            let mut system_parts = Vec::new();
            for (i, m) in msgs.into_iter().enumerate() {
                let role = match m.role.as_str() {
                    "user" => Role::User,
                    "assistant" => Role::Assistant,
                    "system" | "developer" => {
                        system_parts.push(m.content);
                        continue;
                    }
                    other => {
                        return Err(format!(
                            "messages[{i}] has role '{other}'; use user, assistant or system"
                        ));
                    }
                };
                out.push(Message {
                    role,
                    content: m.content,
                });
            }
            if !system_parts.is_empty() {
                if system.is_some() {
                    return Err(
                        "the system prompt is given twice: in system and as a system message"
                            .to_string(),
                    );
                }
                system = Some(system_parts.join("\n\n"));
            }
            if out.is_empty() {
                return Err("messages holds no user or assistant message".to_string());
            }
            out
        }
    };
    if let Some(p) = &spec.provider
        && provider::find(p).is_none()
    {
        return Err(format!(
            "unknown provider '{p}'; see `hcl providers` for the names"
        ));
    }
    if let Some(m) = &spec.model
        && m.trim().is_empty()
    {
        return Err("model is empty".to_string());
    }
    if spec.max_tokens == Some(0) {
        return Err("max_tokens must be at least 1".to_string());
    }
    if let Some(t) = spec.temperature
        && (!t.is_finite() || t < 0.0)
    {
        return Err(format!("temperature {t} must be a number of 0 or more"));
    }
    let template = templates
        .get(spec.provider.as_deref(), spec.model.as_deref(), printer)
        .map_err(|e| e.to_string())?;

    let mut helicone = template.helicone.clone();
    if let Some(props) = spec.properties {
        for (k, v) in props {
            let v = match v {
                Value::String(s) => s,
                Value::Number(n) => n.to_string(),
                Value::Bool(b) => b.to_string(),
                _ => {
                    return Err(format!(
                        "property '{k}' must be a string, number or boolean"
                    ));
                }
            };
            if is_batch_property(&k) {
                return Err(format!(
                    "property '{k}' is set by hcl to the batch id; name the batch with -p {BATCH_PROPERTY}=NAME instead"
                ));
            }
            let (k, v) =
                helicone::parse_property(&format!("{k}={v}")).map_err(|e| e.to_string())?;
            helicone
                .properties
                .retain(|(old, _)| !old.eq_ignore_ascii_case(&k));
            helicone.properties.push((k, v));
        }
    }
    for (what, value, slot) in [
        ("user", spec.user, &mut helicone.user),
        ("session", spec.session, &mut helicone.session_id),
    ] {
        if let Some(v) = value {
            if v.is_empty() {
                return Err(format!("{what} is empty"));
            }
            helicone::check_value(what, &v).map_err(|e| e.to_string())?;
            *slot = Some(v);
        }
    }
    if let Some(c) = spec.cache {
        helicone.cache = c;
    }
    helicone.validate().map_err(|e| e.to_string())?;

    let input = ChatInput {
        system: system.or_else(|| template.input.system.clone()),
        messages,
        max_tokens: spec.max_tokens.or(template.input.max_tokens),
        temperature: spec.temperature.or(template.input.temperature),
    };
    Ok(Job {
        template,
        input,
        helicone,
    })
}

enum InputMsg {
    Line(usize, Vec<u8>),
    Failed(String),
}

type Reader = Box<dyn Read + Send>;

/// The input stream, and its line count when it is a file and a progress
/// bar will show it.
fn open_input(path: &Path, want_total: bool) -> Result<(Reader, Option<u64>)> {
    if path.as_os_str() == "-" {
        return Ok((Box::new(std::io::stdin()), None));
    }
    let open = || {
        File::open(path).map_err(|e| {
            Error::usage(format!(
                "cannot read --batch {}: {e}; give a JSON Lines file, or - for stdin",
                path.display()
            ))
        })
    };
    let file = open()?;
    if file.metadata().is_ok_and(|m| m.is_dir()) {
        return Err(Error::usage(format!(
            "--batch {} is a directory; give a JSON Lines file",
            path.display()
        )));
    }
    let total = if want_total {
        count_lines(open()?).ok()
    } else {
        None
    };
    Ok((Box::new(file), total))
}

fn count_lines(file: File) -> std::io::Result<u64> {
    let mut reader = BufReader::with_capacity(1 << 16, file);
    let mut n = 0u64;
    let mut last = b'\n';
    loop {
        let buf = reader.fill_buf()?;
        if buf.is_empty() {
            break;
        }
        n += buf.iter().filter(|&&b| b == b'\n').count() as u64;
        last = buf[buf.len() - 1];
        let len = buf.len();
        reader.consume(len);
    }
    Ok(if last == b'\n' { n } else { n + 1 })
}

/// Stream lines from `reader` into a bounded channel on a thread of its own.
fn spawn_reader(reader: Reader, capacity: usize) -> mpsc::Receiver<InputMsg> {
    let (tx, rx) = mpsc::channel(capacity);
    let spawned = std::thread::Builder::new()
        .name("hcl-batch-input".into())
        .spawn(move || {
            let mut reader = BufReader::with_capacity(1 << 16, reader);
            let mut n = 0usize;
            loop {
                let mut buf = Vec::new();
                match reader.read_until(b'\n', &mut buf) {
                    Ok(0) => break,
                    Ok(_) => {
                        n += 1;
                        if tx.blocking_send(InputMsg::Line(n, buf)).is_err() {
                            break;
                        }
                    }
                    Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                    Err(e) => {
                        let _ = tx.blocking_send(InputMsg::Failed(format!(
                            "cannot read the batch input after line {n}: {e}"
                        )));
                        break;
                    }
                }
            }
        });
    if let Err(e) = spawned {
        let (tx, rx) = mpsc::channel(1);
        let _ = tx.try_send(InputMsg::Failed(format!(
            "cannot start the input reader: {e}"
        )));
        return rx;
    }
    rx
}

// ---------------------------------------------------------------------------
// --resume

#[derive(Deserialize)]
struct PriorResult {
    #[serde(default)]
    id: Option<Value>,
    #[serde(default)]
    status: Option<u16>,
    #[serde(default)]
    error: Option<Value>,
}

/// The ids that succeeded in an earlier results file (status 2xx, no error),
/// as their JSON text, so `"1"` and `1` stay different ids.
fn read_resume(path: &Path) -> Result<HashSet<String>> {
    let file = File::open(path).map_err(|e| {
        Error::usage(format!(
            "cannot read --resume {}: {e}; give the results file of an earlier run",
            path.display()
        ))
    })?;
    let mut done = HashSet::new();
    let mut reader = BufReader::new(file);
    let mut buf = Vec::new();
    loop {
        buf.clear();
        let n = reader
            .read_until(b'\n', &mut buf)
            .map_err(|e| Error::usage(format!("cannot read --resume {}: {e}", path.display())))?;
        if n == 0 {
            break;
        }
        // A torn or foreign line proves nothing succeeded: it is skipped.
        let Ok(prior) = serde_json::from_slice::<PriorResult>(&buf) else {
            continue;
        };
        let ok = prior.status.is_some_and(|s| (200..300).contains(&s))
            && prior.error.as_ref().is_none_or(Value::is_null);
        if ok && let Some(id) = prior.id.filter(|v| !v.is_null()) {
            done.insert(id.to_string());
        }
    }
    Ok(done)
}

// ---------------------------------------------------------------------------
// Log writer: one thread, one open file, one record per write.

struct LogWriter {
    sender: mpsc::Sender<Record>,
    thread: std::thread::JoinHandle<(u64, Option<String>)>,
}

impl LogWriter {
    fn start(path: &Path, printer: &Printer) -> Result<LogWriter> {
        let (mut writer, warning) = log::Writer::open(path)
            .map_err(|e| Error::usage(format!("{e}; fix the path (HCL_LOG) or pass --no-log")))?;
        printer.warn_all(warning.as_slice());
        let (sender, mut rx) = mpsc::channel::<Record>(1024);
        let thread = std::thread::Builder::new()
            .name("hcl-batch-log".into())
            .spawn(move || {
                let mut failed = 0u64;
                let mut first = None;
                while let Some(record) = rx.blocking_recv() {
                    if let Err(e) = writer.append(&record) {
                        failed += 1;
                        first.get_or_insert_with(|| e.to_string());
                    }
                }
                (failed, first)
            })
            .map_err(|e| Error::io("cannot start the log writer", e))?;
        Ok(LogWriter { sender, thread })
    }

    /// Wait for every record to be written; report records that were not.
    fn finish(self, printer: &Printer) {
        drop(self.sender);
        match self.thread.join() {
            Ok((0, _)) => {}
            Ok((n, first)) => printer.warn(&format!(
                "{n} exchanges were not logged: {}",
                first.unwrap_or_default()
            )),
            Err(_) => printer.warn("the log writer stopped; some exchanges were not logged"),
        }
    }
}

// ---------------------------------------------------------------------------
// Pacing and pausing.

/// Where every attempt waits before it is sent: `--rps` spacing, and a pause
/// for everyone after a 429 that said how long to wait.
struct Gate {
    interval: Option<Duration>,
    state: Mutex<GateState>,
}

struct GateState {
    next: Instant,
    paused_until: Option<Instant>,
}

impl Gate {
    fn new(rps: Option<f64>) -> Gate {
        Gate {
            interval: rps.map(|r| Duration::from_secs_f64(1.0 / r)),
            state: Mutex::new(GateState {
                next: Instant::now(),
                paused_until: None,
            }),
        }
    }

    /// The instant this attempt may go.
    fn reserve(&self) -> Instant {
        let now = Instant::now();
        let mut st = self.state.lock().unwrap_or_else(|e| e.into_inner());
        let mut at = now;
        if let Some(p) = st.paused_until {
            if p > now {
                at = p;
            } else {
                st.paused_until = None;
            }
        }
        if let Some(iv) = self.interval {
            at = at.max(st.next);
            st.next = at + iv;
        }
        at
    }

    fn pause_until(&self, until: Instant) {
        let mut st = self.state.lock().unwrap_or_else(|e| e.into_inner());
        st.paused_until = Some(st.paused_until.map_or(until, |p| p.max(until)));
    }
}

// ---------------------------------------------------------------------------
// Running one item.

struct Shared {
    client: Client,
    permits: Semaphore,
    gate: Gate,
    /// Set by a signal (or a closed stdout): every item stops.
    cancel: watch::Receiver<Option<Signal>>,
    /// `--fail-fast` tripped: items that have not sent yet stay unsent.
    stop_launching: AtomicBool,
    log: Option<mpsc::Sender<Record>>,
    batch_id: String,
    max_retries: u32,
    fail_fast: bool,
}

impl Shared {
    /// Resolves when a signal has stopped the batch, with the signal.
    async fn cancelled(&self) -> Signal {
        let mut rx = self.cancel.clone();
        let signal = rx.wait_for(Option::is_some).await.map(|s| *s);
        match signal {
            Ok(s) => s.unwrap_or(Signal::Interrupt),
            Err(_) => std::future::pending().await,
        }
    }

    fn launching_stopped(&self) -> bool {
        self.stop_launching.load(Ordering::SeqCst) || self.cancel.borrow().is_some()
    }
}

/// One result line on stdout.
#[derive(Debug, Serialize)]
struct ResultLine {
    line: usize,
    id: Option<Value>,
    log_id: Option<String>,
    status: Option<u16>,
    text: Option<String>,
    usage: Usage,
    finish_reason: Option<String>,
    cache: Option<String>,
    helicone_id: Option<String>,
    latency_ms: Option<u64>,
    attempts: u32,
    error: Option<String>,
    error_kind: Option<&'static str>,
}

impl ResultLine {
    fn bad_line(line: usize, id: Option<Value>, error: String) -> ResultLine {
        ResultLine {
            line,
            id,
            log_id: None,
            status: None,
            text: None,
            usage: Usage::default(),
            finish_reason: None,
            cache: None,
            helicone_id: None,
            latency_ms: None,
            attempts: 0,
            error: Some(error),
            error_kind: Some("input"),
        }
    }

    fn ok(&self) -> bool {
        self.error.is_none()
    }
}

enum Done {
    Result(Box<ResultLine>),
    /// Never sent: `--fail-fast` stopped launching.
    NotRun,
    /// Cut short by Ctrl-C.
    Interrupted,
}

/// A stable name for the kind of failure, for `error_kind` and the summary.
fn error_kind(e: &Error) -> &'static str {
    match e {
        Error::Usage(_) => "input",
        Error::Api { status, .. } => match status {
            401 | 403 => "auth",
            429 => "rate_limited",
            400..=499 => "client_error",
            500..=599 => "server_error",
            _ => "http_error",
        },
        Error::HeliconeRateLimited { .. } => "rate_limited",
        Error::Network {
            layer: NetLayer::Timeout,
            ..
        } => "timeout",
        Error::Network { .. } => "network",
        Error::Protocol(_) => "invalid_response",
        Error::Io { .. } | Error::BrokenPipe => "io",
        Error::Interrupted(_) => "interrupted",
    }
}

fn retryable(e: &Error) -> bool {
    match e {
        Error::Api { status, .. } => *status == 429 || (500..=599).contains(status),
        Error::HeliconeRateLimited { .. } => true,
        Error::Network { layer, .. } => matches!(
            layer,
            NetLayer::Connect | NetLayer::Connection | NetLayer::Timeout | NetLayer::Dns
        ),
        _ => false,
    }
}

fn header<'h>(headers: &'h HeaderList, name: &str) -> Option<&'h str> {
    headers
        .0
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case(name))
        .map(|(_, v)| v.trim())
}

/// How long the server asked us to wait: `retry-after-ms`, then
/// `Retry-After` (seconds or an HTTP date), then, for Helicone's own rate
/// limiter, `Helicone-RateLimit-Reset` (seconds).
fn server_hint(o: &Outcome) -> Option<Duration> {
    if let Some(ms) = header(&o.headers, "retry-after-ms").and_then(|v| v.parse::<f64>().ok())
        && ms.is_finite()
        && ms >= 0.0
    {
        return Some(Duration::from_secs_f64(ms / 1000.0));
    }
    if let Some(v) = header(&o.headers, "retry-after") {
        if let Ok(secs) = v.parse::<f64>()
            && secs.is_finite()
            && secs >= 0.0
        {
            return Some(Duration::from_secs_f64(secs.min(1e6)));
        }
        if let Ok(at) = httpdate::parse_http_date(v) {
            return Some(
                at.duration_since(std::time::SystemTime::now())
                    .unwrap_or(Duration::ZERO),
            );
        }
    }
    if o.meta.is_rate_limited()
        && let Some(secs) = o
            .meta
            .rate_limit
            .reset
            .as_deref()
            .and_then(|v| v.parse::<f64>().ok())
        && secs.is_finite()
        && secs >= 0.0
    {
        return Some(Duration::from_secs_f64(secs.min(1e6)));
    }
    None
}

/// Exponential backoff with jitter: 250 ms × 2^(n-1) × [0.5, 1.5), at most 30 s.
fn backoff(attempt: u32) -> Duration {
    let base = BACKOFF_BASE.saturating_mul(1u32 << (attempt.saturating_sub(1)).min(16));
    base.min(BACKOFF_MAX).mul_f64(0.5 + fastrand::f64())
}

async fn run_job(sh: Arc<Shared>, line: usize, id: Option<Value>, mut job: Job) -> Done {
    let t = job.template.clone();
    let peer = exchange::peer_label(t.provider.name, t.route.direct);
    let mut attempt = 0u32;
    loop {
        attempt += 1;
        let permit = tokio::select! {
            p = sh.permits.acquire() => p,
            _ = sh.cancelled() => return Done::Interrupted,
        };
        if attempt == 1 && sh.launching_stopped() {
            return if sh.cancel.borrow().is_some() {
                Done::Interrupted
            } else {
                Done::NotRun
            };
        }
        let at = sh.gate.reserve();
        tokio::select! {
            _ = tokio::time::sleep_until(at.into()) => {}
            _ = sh.cancelled() => return Done::Interrupted,
        }
        let record_id = uuid::Uuid::new_v4().to_string();
        job.helicone.request_id = record_id.clone();
        let prepared = request::prepare(&request::Spec {
            provider: t.provider,
            format: t.format,
            model: &t.model,
            input: &job.input,
            stream: false,
            route: &t.route,
            helicone: (!t.route.direct).then_some(&job.helicone),
            extra_headers: &t.extra_headers,
        });
        let mut outcome = tokio::select! {
            o = exchange::execute(&sh.client, &prepared, &t.creds, t.format, &peer) => o,
            signal = sh.cancelled() => Outcome { error: Some(Error::Interrupted(signal)), ..Default::default() },
        };
        let retry = outcome.error.as_ref().is_some_and(retryable)
            && attempt <= sh.max_retries
            && !sh.launching_stopped();
        if sh.fail_fast && outcome.error.is_some() && !retry {
            // Before the permit goes back, so no later line starts.
            sh.stop_launching.store(true, Ordering::SeqCst);
        }
        drop(permit);
        let ctx = RecordContext {
            id: &record_id,
            provider: t.provider.name,
            model: &t.model,
            stream: false,
            replay_of: None,
        };
        let logged = match exchange::build_record(&ctx, &prepared, &t.creds, &outcome) {
            Ok(mut record) => {
                record.batch = Some(sh.batch_id.clone());
                record.attempt = Some(attempt);
                if let Some(tx) = &sh.log {
                    // A closed channel means the writer died; it reports that.
                    let _ = tx.send(record).await;
                }
                true
            }
            Err(_) => false,
        };
        if matches!(outcome.error, Some(Error::Interrupted(_))) {
            return Done::Interrupted;
        }
        if retry {
            let hint = server_hint(&outcome);
            let wait = hint.map_or_else(|| backoff(attempt), |h| h.min(MAX_HINTED_WAIT));
            if outcome.status == Some(429) && hint.is_some() {
                // The limit is shared: nobody gains by knocking before it resets.
                sh.gate.pause_until(Instant::now() + wait);
            }
            tokio::select! {
                _ = tokio::time::sleep(wait) => {}
                _ = sh.cancelled() => return Done::Interrupted,
            }
            continue;
        }
        let error = outcome.error.take();
        let (text, usage, finish_reason) = match outcome.completion.take() {
            Some(c) => (Some(c.text), c.usage, c.finish_reason),
            None => (None, Usage::default(), None),
        };
        return Done::Result(Box::new(ResultLine {
            line,
            id,
            log_id: (logged && t.log_path.is_some()).then_some(record_id),
            status: outcome.status,
            text,
            usage,
            finish_reason,
            cache: outcome.meta.cache,
            helicone_id: outcome.meta.id,
            latency_ms: outcome.latency.map(|d| d.as_millis() as u64),
            attempts: attempt,
            error_kind: error.as_ref().map(error_kind),
            error: error.map(|e| e.to_string()),
        }));
    }
}

// ---------------------------------------------------------------------------
// The driver.

type Pending = Pin<Box<dyn Future<Output = Done> + Send>>;

/// Results in input order, or as they complete.
enum Window {
    Ordered(FuturesOrdered<Pending>),
    Unordered(FuturesUnordered<Pending>),
}

impl Window {
    fn push(&mut self, f: Pending) {
        match self {
            Window::Ordered(q) => q.push_back(f),
            Window::Unordered(q) => q.push(f),
        }
    }

    fn len(&self) -> usize {
        match self {
            Window::Ordered(q) => q.len(),
            Window::Unordered(q) => q.len(),
        }
    }

    async fn next(&mut self) -> Option<Done> {
        match self {
            Window::Ordered(q) => q.next().await,
            Window::Unordered(q) => q.next().await,
        }
    }
}

enum End {
    Done,
    Interrupted(Signal),
}

struct Driver<'a> {
    opts: &'a BatchArgs,
    concurrency: usize,
    printer: &'a Printer,
    templates: Templates<'a>,
    resume: Option<&'a HashSet<String>>,
    shared: Arc<Shared>,
    cancel: watch::Sender<Option<Signal>>,
    stats: Stats,
    progress: Option<indicatif::ProgressBar>,
    started: Instant,
}

impl Driver<'_> {
    async fn drive(&mut self, reader: Reader) -> Result<End> {
        let j = self.concurrency;
        // Results may wait behind a slow one up to this many; then reading stops.
        let window_cap = (j * 4).max(64);
        let mut input = spawn_reader(reader, window_cap);
        let mut window = if self.opts.unordered {
            Window::Unordered(FuturesUnordered::new())
        } else {
            Window::Ordered(FuturesOrdered::new())
        };
        let signalled = super::interrupted();
        tokio::pin!(signalled);
        let mut interrupted = None;
        let mut reading = true;
        let mut out_error = None;
        loop {
            if !reading && window.len() == 0 {
                break;
            }
            tokio::select! {
                biased;
                signal = &mut signalled, if interrupted.is_none() => {
                    interrupted = Some(signal);
                    reading = false;
                    let _ = self.cancel.send(Some(signal));
                    self.shared.stop_launching.store(true, Ordering::SeqCst);
                }
                Some(done) = window.next(), if window.len() > 0 => {
                    if out_error.is_some() {
                        continue;
                    }
                    if let Err(e) = self.finish(done) {
                        // stdout is gone: nothing more can be reported.
                        out_error = Some(e);
                        reading = false;
                        let _ = self.cancel.send(Some(Signal::Interrupt));
                    }
                }
                msg = input.recv(), if reading && window.len() < window_cap => match msg {
                    None => reading = false,
                    Some(InputMsg::Failed(e)) => {
                        self.printer.error(&e);
                        self.stats.input_error = true;
                        reading = false;
                    }
                    Some(InputMsg::Line(n, bytes)) => {
                        if let Some(f) = self.launch(n, &bytes) {
                            window.push(f);
                        }
                    }
                },
            }
        }
        if let Some(e) = out_error {
            return Err(e);
        }
        Ok(match interrupted {
            Some(signal) => End::Interrupted(signal),
            None => End::Done,
        })
    }

    /// Turn one input line into a pending result, or nothing (blank, resumed).
    fn launch(&mut self, n: usize, bytes: &[u8]) -> Option<Pending> {
        let (id, job) = parse_line(bytes, &mut self.templates, self.printer)?;
        if let (Some(done), Some(id)) = (self.resume, &id)
            && done.contains(&id.to_string())
        {
            self.stats.resumed += 1;
            self.tick();
            return None;
        }
        Some(match job {
            Err(e) => {
                let r = ResultLine::bad_line(n, id, e);
                Box::pin(std::future::ready(Done::Result(Box::new(r))))
            }
            Ok(job) => {
                let task = tokio::spawn(run_job(self.shared.clone(), n, id, job));
                Box::pin(async move {
                    task.await.unwrap_or_else(|e| {
                        Done::Result(Box::new(ResultLine {
                            error_kind: Some("internal"),
                            ..ResultLine::bad_line(n, None, format!("internal error: {e}"))
                        }))
                    })
                })
            }
        })
    }

    fn finish(&mut self, done: Done) -> Result<()> {
        match done {
            Done::Result(r) => {
                self.stats.add(&r);
                if !r.ok() && self.opts.fail_fast {
                    // Bad lines fail without a task; requests stop themselves.
                    self.shared.stop_launching.store(true, Ordering::SeqCst);
                }
                self.printer.json_line(&*r)?;
            }
            Done::NotRun => self.stats.not_run += 1,
            Done::Interrupted => self.stats.interrupted += 1,
        }
        self.tick();
        Ok(())
    }

    fn tick(&self) {
        if let Some(bar) = &self.progress {
            let s = &self.stats;
            bar.set_position(s.results + s.resumed + s.not_run + s.interrupted);
            let secs = self.started.elapsed().as_secs_f64().max(0.001);
            bar.set_message(format!(
                "ok {}  failed {}  hits {}  {:.1}/s",
                s.ok,
                s.failed(),
                s.hits,
                s.results as f64 / secs
            ));
        }
    }
}

// ---------------------------------------------------------------------------
// Statistics and the summary.

/// Latencies in a fixed-size histogram: exact milliseconds up to 10 s, then
/// 100 ms steps up to 10 minutes. Constant memory for any batch size.
struct Histogram {
    counts: Vec<u64>,
    n: u64,
}

const FINE_MS: u64 = 10_000;
const COARSE_STEP_MS: u64 = 100;
const MAX_MS: u64 = 600_000;

impl Default for Histogram {
    fn default() -> Self {
        let buckets = FINE_MS + (MAX_MS - FINE_MS) / COARSE_STEP_MS + 1;
        Histogram {
            counts: vec![0; buckets as usize],
            n: 0,
        }
    }
}

impl Histogram {
    fn add(&mut self, ms: u64) {
        let ms = ms.min(MAX_MS);
        let i = if ms < FINE_MS {
            ms
        } else {
            FINE_MS + (ms - FINE_MS) / COARSE_STEP_MS
        };
        if let Some(c) = self.counts.get_mut(i as usize) {
            *c += 1;
            self.n += 1;
        }
    }

    /// The value at quantile `q` (0..=1), in milliseconds.
    fn quantile(&self, q: f64) -> Option<u64> {
        if self.n == 0 {
            return None;
        }
        let rank = ((q * self.n as f64).ceil() as u64).clamp(1, self.n);
        let mut seen = 0;
        for (i, c) in self.counts.iter().enumerate() {
            seen += c;
            if seen >= rank {
                let i = i as u64;
                return Some(if i < FINE_MS {
                    i
                } else {
                    FINE_MS + (i - FINE_MS) * COARSE_STEP_MS
                });
            }
        }
        None
    }
}

#[derive(Default)]
struct Stats {
    /// Result lines written.
    results: u64,
    ok: u64,
    failed: BTreeMap<&'static str, u64>,
    retries: u64,
    hits: u64,
    latency: Histogram,
    input_tokens: u64,
    output_tokens: u64,
    resumed: u64,
    not_run: u64,
    interrupted: u64,
    input_error: bool,
}

impl Stats {
    fn add(&mut self, r: &ResultLine) {
        self.results += 1;
        if r.ok() {
            self.ok += 1;
        } else {
            *self
                .failed
                .entry(r.error_kind.unwrap_or("error"))
                .or_default() += 1;
        }
        self.retries += u64::from(r.attempts.saturating_sub(1));
        if r.cache.as_deref() == Some("HIT") {
            self.hits += 1;
        }
        if let Some(ms) = r.latency_ms {
            self.latency.add(ms);
        }
        self.input_tokens += r.usage.input.unwrap_or(0);
        self.output_tokens += r.usage.output.unwrap_or(0);
    }

    fn failed(&self) -> u64 {
        self.failed.values().sum()
    }
}

fn print_summary(batch_id: &str, s: &Stats, printer: &Printer) {
    let mut rows: Vec<(&str, String)> = vec![("batch", batch_id.to_string())];
    rows.push(("results", s.results.to_string()));
    rows.push(("ok", s.ok.to_string()));
    let failed = if s.failed.is_empty() {
        "0".to_string()
    } else {
        let kinds: Vec<String> = s.failed.iter().map(|(k, n)| format!("{k} {n}")).collect();
        format!("{} ({})", s.failed(), kinds.join(", "))
    };
    rows.push(("failed", failed));
    if s.resumed > 0 {
        rows.push(("skipped (--resume)", s.resumed.to_string()));
    }
    if s.not_run > 0 {
        rows.push(("not run (--fail-fast)", s.not_run.to_string()));
    }
    if s.interrupted > 0 {
        rows.push(("interrupted", s.interrupted.to_string()));
    }
    rows.push(("retries", s.retries.to_string()));
    rows.push(("cache hits", s.hits.to_string()));
    let ms = |q| {
        s.latency
            .quantile(q)
            .map_or("-".to_string(), |v| format!("{v} ms"))
    };
    rows.push(("latency p50", ms(0.5)));
    rows.push(("latency p95", ms(0.95)));
    rows.push(("input tokens", s.input_tokens.to_string()));
    rows.push(("output tokens", s.output_tokens.to_string()));
    if printer.stderr_is_tty {
        let mut table = output::new_table(&["batch summary", ""]);
        for (k, v) in &rows {
            table.add_row(vec![k.to_string(), v.clone()]);
        }
        printer.report(&table.to_string());
    } else {
        let text: String = rows.iter().map(|(k, v)| format!("{k}: {v}\n")).collect();
        printer.report(&text);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn histogram_quantiles() {
        let mut h = Histogram::default();
        assert_eq!(h.quantile(0.5), None);
        for ms in 1..=100 {
            h.add(ms);
        }
        assert_eq!(h.quantile(0.5), Some(50));
        assert_eq!(h.quantile(0.95), Some(95));
        h.add(25_049);
        h.add(10_000_000);
        assert_eq!(h.quantile(1.0), Some(MAX_MS));
    }

    #[test]
    fn retry_hints() {
        let with = |pairs: &[(&str, &str)]| Outcome {
            headers: HeaderList(
                pairs
                    .iter()
                    .map(|(k, v)| (k.to_string(), v.to_string()))
                    .collect(),
            ),
            ..Default::default()
        };
        assert_eq!(
            server_hint(&with(&[("retry-after-ms", "250")])),
            Some(Duration::from_millis(250))
        );
        assert_eq!(
            server_hint(&with(&[("retry-after", "2")])),
            Some(Duration::from_secs(2))
        );
        let later = std::time::SystemTime::now() + Duration::from_secs(30);
        let date = httpdate::fmt_http_date(later);
        let d = server_hint(&with(&[("retry-after", &date)])).unwrap();
        assert!(
            d > Duration::from_secs(28) && d <= Duration::from_secs(30),
            "{d:?}"
        );
        assert_eq!(server_hint(&with(&[("retry-after", "soon")])), None);
        let mut o = with(&[]);
        o.meta.rate_limit.reset = Some("7".into());
        assert_eq!(
            server_hint(&o),
            None,
            "reset counts only for Helicone's 429"
        );
        o.meta.error = Some("rate_limited".into());
        assert_eq!(server_hint(&o), Some(Duration::from_secs(7)));
    }

    #[test]
    fn backoff_grows_with_jitter_and_a_cap() {
        for attempt in 1..=40 {
            let d = backoff(attempt);
            let nominal = BACKOFF_BASE
                .saturating_mul(1 << (attempt - 1).min(16))
                .min(BACKOFF_MAX);
            assert!(
                d >= nominal.mul_f64(0.5) && d < nominal.mul_f64(1.5),
                "{attempt}: {d:?}"
            );
        }
    }

    #[test]
    fn which_errors_are_retried() {
        let api = |status| Error::Api {
            provider: "p".into(),
            status,
            message: String::new(),
        };
        assert!(retryable(&api(429)));
        assert!(retryable(&api(503)));
        assert!(!retryable(&api(400)));
        assert!(!retryable(&api(401)));
        assert!(!retryable(&Error::usage("x")));
        assert!(!retryable(&Error::Protocol("x".into())));
        let net = |layer| Error::Network {
            layer,
            url: String::new(),
            detail: String::new(),
        };
        assert!(retryable(&net(NetLayer::Connect)));
        assert!(retryable(&net(NetLayer::Timeout)));
        assert!(!retryable(&net(NetLayer::Tls)));
    }

    #[test]
    fn gate_spaces_attempts() {
        let g = Gate::new(Some(10.0));
        let a = g.reserve();
        let b = g.reserve();
        let c = g.reserve();
        assert!(b.duration_since(a) >= Duration::from_millis(99));
        assert!(c.duration_since(b) >= Duration::from_millis(99));
        let g = Gate::new(None);
        g.pause_until(Instant::now() + Duration::from_secs(5));
        assert!(g.reserve() > Instant::now() + Duration::from_secs(4));
    }

    #[test]
    fn counting_lines() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("in.jsonl");
        std::fs::write(&p, "a\nb\nc").unwrap();
        assert_eq!(count_lines(File::open(&p).unwrap()).unwrap(), 3);
        std::fs::write(&p, "a\nb\n").unwrap();
        assert_eq!(count_lines(File::open(&p).unwrap()).unwrap(), 2);
    }
}
