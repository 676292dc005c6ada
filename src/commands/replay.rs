//! `hcl replay`: re-send logged requests exactly as they were sent and
//! report, per request, whether Helicone's cache answered; for a MISS, say
//! which part of the cache key changed, or what else is the likely cause.

use std::cell::Cell;
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::Path;
use std::time::SystemTime;

use futures_util::StreamExt;
use serde::Serialize;

use crate::cachekey::{self, CacheKey};
use crate::cli::{ExpectArg, ReplayArgs};
use crate::conversation;
use crate::error::{Error, ExitStatus, Result, Signal};
use crate::exchange::{self, Outcome, RecordContext};
use crate::helicone;
use crate::log::{self, Record};
use crate::output::{self, Printer, Progress};
use crate::provider::{self, Provider, WireFormat};
use crate::request::{self, Credentials, Header, HeaderValue, PreparedRequest, SecretRole};
use crate::secrets::{self, FoundKey};
use crate::select::{self, Selection};
use crate::settings::{self, Config, Env};
use crate::transport::{Client, NetOptions, ProxyConfig};

/// The property that ties a replay to the record it replays. Properties are
/// not part of Helicone's cache key.
const REPLAY_OF: &str = "Helicone-Property-Hcl-Replay-Of";
const REQUEST_ID: &str = "Helicone-Request-Id";

/// What Helicone's cache did for one replay.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "UPPERCASE")]
enum Cache {
    Hit,
    Miss,
    /// The request did not ask for the cache.
    Off,
    /// No usable answer: an error status or no response.
    Error,
}

impl Cache {
    fn label(self) -> &'static str {
        match self {
            Cache::Hit => "HIT",
            Cache::Miss => "MISS",
            Cache::Off => "OFF",
            Cache::Error => "ERROR",
        }
    }
}

/// One logged request, ready to send again.
struct Plan<'a> {
    original: &'a Record,
    format: WireFormat,
    /// The logged request with fresh key slots; the id header is set per send.
    req: PreparedRequest,
    id_index: Option<usize>,
    creds: Credentials,
    peer: String,
    helicone_key_ok: bool,
}

/// One row of the report.
#[derive(Debug, Serialize)]
struct Row {
    original_id: String,
    id: String,
    attempt: u32,
    provider: String,
    model: String,
    stream: bool,
    status: Option<u16>,
    cache: Cache,
    bucket_idx: Option<u32>,
    original_latency_ms: Option<u64>,
    latency_ms: Option<u64>,
    /// On a HIT: the original upstream latency minus this one.
    saved_ms: Option<u64>,
    /// Whether the answer's text equals the logged one (`null`: not comparable).
    same_text: Option<bool>,
    /// For a MISS: the part of the cache key that changed, or the likely causes.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    why: Vec<String>,
    /// With `--expect`, whether this replay met it (`null`: not judged).
    #[serde(skip_serializing_if = "Option::is_none")]
    met_expectation: Option<bool>,
    error: Option<String>,
    #[serde(skip)]
    exit: Option<ExitStatus>,
}

#[derive(Debug, Default, Serialize)]
struct Totals {
    replayed: usize,
    hit: usize,
    miss: usize,
    off: usize,
    error: usize,
    /// HITs over replays.
    hit_rate: f64,
    saved_ms: u64,
    #[serde(skip_serializing_if = "Option::is_none")]
    expect: Option<&'static str>,
    expectation_failures: usize,
}

#[derive(Serialize)]
struct Report<'a> {
    replays: &'a [Row],
    summary: &'a Totals,
}

pub fn run(args: &ReplayArgs, env: Env<'_>, printer: &Printer) -> Result<ExitStatus> {
    printer.set_verbosity(args.quiet, false);
    let config = super::load_config(env, printer)?;
    let timeout =
        settings::positive_secs("--timeout", args.timeout, crate::transport::DEFAULT_TIMEOUT)?;
    let mut extra = Vec::new();
    for h in &args.headers {
        extra.push(helicone::parse_header(h)?);
    }
    let base_url = args
        .base_url
        .as_deref()
        .map(|b| settings::check_base_url("--base-url", b))
        .transpose()?;

    let path = log::default_path(env)?;
    let now = SystemTime::now();
    let mut sel = Selection::from_args(&args.select, &args.ids, None, now)?;
    // With no id, count or filter: the last request.
    if args.ids.is_empty() && args.select.last.is_none() && !args.select.all && !sel.has_filters() {
        sel.limit = Some(1);
    }
    sel.originals_only = args.ids.is_empty() && !args.include_replays;
    let (records, skipped) = select::select(&path, &sel)?;
    select::warn_skipped(&path, &skipped, printer);
    if records.is_empty() {
        return Err(Error::usage(format!(
            "no logged request matches the selection in {}; see `hcl log list`",
            path.display()
        )));
    }

    // Plan everything before sending anything: a missing key or an
    // unreplayable record stops the run with nothing sent.
    let mut keys = Keys::new(env, &config);
    let mut notes = Notes::default();
    let mut plans = Vec::with_capacity(records.len());
    for r in &records {
        plans.push(plan(
            r,
            args,
            &extra,
            base_url.as_deref(),
            env,
            &mut keys,
            &mut notes,
        )?);
    }
    notes.print(printer);

    let net = NetOptions {
        timeout,
        ..Default::default()
    };
    let client = Client::new(net, ProxyConfig::from_env(env))?;
    let log_path = (!args.no_log).then_some(path.as_path());
    let runtime = super::runtime()?;
    let total = plans.len() as u64 * u64::from(args.repeat);
    let progress = printer.progress_steps(total);
    // A signal (Ctrl-C, SIGTERM, SIGHUP) stops launching and cuts the
    // replays in flight short; they are logged as interrupted, and the
    // report covers what was done.
    let (interrupt, interrupted) = tokio::sync::watch::channel(None);
    let run = Run {
        client: &client,
        log_path,
        repeat: args.repeat,
        progress: &progress,
        hits: Cell::new(0),
        misses: Cell::new(0),
        printer,
        interrupted,
    };
    let mut rows = runtime.block_on(async {
        let watch_signals = async {
            let signal = super::interrupted().await;
            let _ = interrupt.send(Some(signal));
            std::future::pending::<()>().await;
        };
        tokio::select! {
            rows = run.all(&plans, args.concurrency as usize) => rows,
            () = watch_signals => Vec::new(),
        }
    });
    printer.finish_progress();
    let was_interrupted = *run.interrupted.borrow();
    judge(&mut rows, args.expect, args.repeat);
    let totals = totals(&rows, args.expect);

    if let Some(file) = &args.junit {
        write_junit(file, &rows, &totals)?;
    }
    if args.json {
        printer.json(&Report {
            replays: &rows,
            summary: &totals,
        })?;
    } else {
        print_table(&rows, args.repeat > 1, printer)?;
        printer.line(&summary_line(&totals))?;
    }

    if let Some(signal) = was_interrupted {
        let cut = signal.to_string();
        printer.note(&format!(
            "{cut}: {} replays done; those in flight were logged as {cut}",
            rows.iter()
                .filter(|r| r.error.as_deref() != Some(cut.as_str()))
                .count()
        ));
        return Err(Error::Interrupted(signal));
    }
    if let Some(row) = rows.iter().find(|r| r.exit.is_some()) {
        let failed = rows.iter().filter(|r| r.exit.is_some()).count();
        printer.error(&format!(
            "{failed} of {} replays failed; the first: {}",
            rows.len(),
            row.error.as_deref().unwrap_or("unknown error")
        ));
        return Ok(row.exit.unwrap_or(ExitStatus::Failure));
    }
    if totals.expectation_failures > 0 {
        printer.error(&format!(
            "{} of {} judged replays were not a {}; see the report",
            totals.expectation_failures,
            rows.iter().filter(|r| r.met_expectation.is_some()).count(),
            totals.expect.unwrap_or("?")
        ));
        return Ok(ExitStatus::Expectation);
    }
    Ok(ExitStatus::Success)
}

/// Fresh keys, looked up once per provider: environment, keyring, config.
struct Keys<'a> {
    env: Env<'a>,
    config: &'a Config,
    helicone: Option<Option<FoundKey>>,
    provider: BTreeMap<&'static str, Option<FoundKey>>,
}

impl<'a> Keys<'a> {
    fn new(env: Env<'a>, config: &'a Config) -> Self {
        Keys {
            env,
            config,
            helicone: None,
            provider: BTreeMap::new(),
        }
    }

    fn get(&mut self, row: &'static Provider, role: SecretRole) -> Result<FoundKey> {
        let (env, config) = (self.env, self.config);
        let found = match role {
            SecretRole::Helicone => self
                .helicone
                .get_or_insert_with(|| {
                    settings::helicone_key(env, config, crate::keystore::for_env(env))
                })
                .clone(),
            SecretRole::Provider => self
                .provider
                .entry(row.name)
                .or_insert_with(|| settings::provider_key(row, env, config))
                .clone(),
        };
        found.ok_or_else(|| {
            Error::usage(match role {
                SecretRole::Helicone => {
                    "HELICONE_API_KEY is not set; a replay through Helicone needs it (or helicone.api_key in the config file)".to_string()
                }
                SecretRole::Provider => settings::missing_key_message(row),
            })
        })
    }
}

/// Notes and warnings gathered while planning, each said once.
#[derive(Default)]
struct Notes {
    warnings: BTreeMap<String, usize>,
    notes: BTreeMap<String, usize>,
}

impl Notes {
    fn warn(&mut self, msg: String) {
        *self.warnings.entry(msg).or_default() += 1;
    }

    fn note(&mut self, msg: String) {
        *self.notes.entry(msg).or_default() += 1;
    }

    fn print(&self, printer: &Printer) {
        let with_count = |msg: &str, n: usize| {
            if n > 1 {
                format!("{msg} ({n} requests)")
            } else {
                msg.to_string()
            }
        };
        for (msg, n) in &self.warnings {
            printer.warn(&with_count(msg, *n));
        }
        for (msg, n) in &self.notes {
            printer.note(&with_count(msg, *n));
        }
    }
}

/// Where the provider's API path starts in a logged URL, and the wire format
/// that path speaks (the `gateway` row serves all three).
fn api_path_start(row: &Provider, url: &str) -> Option<(usize, WireFormat)> {
    let authority = url.find("://")? + 3;
    let path = authority + url[authority..].find('/')?;
    let formats = match row.format {
        Some(f) => vec![f],
        None => vec![
            WireFormat::OpenAi,
            WireFormat::Anthropic,
            WireFormat::Gemini,
        ],
    };
    formats
        .into_iter()
        .filter_map(|f| {
            let literal = row.path_template(f).split(['{', '?']).next()?;
            url[path..].find(literal).map(|i| (path + i, f))
        })
        .min_by_key(|(i, _)| *i)
}

fn static_prefix(p: &str) -> Option<&'static str> {
    match p {
        "" => Some(""),
        "Bearer " => Some("Bearer "),
        _ => None,
    }
}

fn static_method(m: &str) -> Option<&'static str> {
    ["POST", "GET", "PUT", "PATCH", "DELETE"]
        .into_iter()
        .find(|k| k.eq_ignore_ascii_case(m))
}

fn short(id: &str) -> &str {
    id.get(..8).unwrap_or(id)
}

fn plan<'a>(
    r: &'a Record,
    args: &ReplayArgs,
    extra: &[(String, String)],
    base_url: Option<&str>,
    env: Env<'_>,
    keys: &mut Keys<'_>,
    notes: &mut Notes,
) -> Result<Plan<'a>> {
    let id = short(&r.id);
    let row = provider::find(&r.provider).ok_or_else(|| {
        Error::usage(format!(
            "record {id} names the provider '{}', which this hcl does not know",
            r.provider
        ))
    })?;
    let method = static_method(&r.request.method).ok_or_else(|| {
        Error::usage(format!(
            "record {id} has the method '{}', which hcl cannot send",
            r.request.method
        ))
    })?;
    let split = api_path_start(row, &r.request.url);
    let format = row
        .format
        .or(split.map(|(_, f)| f))
        .unwrap_or(WireFormat::OpenAi);

    // Route: --base-url, else HCL_BASE_URL_<PROVIDER>, else the logged URL.
    let var = format!("HCL_BASE_URL_{}", row.env_suffix());
    let new_base = match base_url {
        Some(b) => Some(b.to_string()),
        None => match env(&var).filter(|v| !v.trim().is_empty()) {
            Some(b) => Some(settings::check_base_url(&var, &b)?),
            None => None,
        },
    };
    let mut url = r.request.url.clone();
    if let Some(base) = new_base {
        let (start, _) = split.ok_or_else(|| {
            Error::usage(format!(
                "cannot re-route record {id}: its URL {} does not hold {}'s API path",
                request::redact_url(&r.request.url),
                row.name
            ))
        })?;
        let rerouted = format!("{base}{}", &r.request.url[start..]);
        if rerouted != url {
            notes.note(format!(
                "replaying to {} instead of the logged {}; the URL is part of Helicone's cache key, so answers cached under the old one will not hit",
                request::redact_url(&base),
                request::redact_url(&r.request.url[..start])
            ));
            url = rerouted;
        }
    }
    // A user and password in the URL (a --base-url, or a record of an older
    // hcl) are sent, never shown or logged.
    let (url, userinfo) = request::split_userinfo(&url);

    // Headers: as logged, in order; key slots get fresh keys.
    let via_helicone = r.request.headers.0.iter().any(|(n, _)| {
        n.get(..9)
            .is_some_and(|p| p.eq_ignore_ascii_case("helicone-"))
    });
    let overridden = |name: &str| extra.iter().any(|(n, _)| n.eq_ignore_ascii_case(name));
    let caching = cachekey::saves_to_cache(&r.request.headers) || args.cache;
    let mut headers: Vec<Header> = Vec::with_capacity(r.request.headers.0.len() + 3);
    let mut creds = Credentials::default();
    let mut id_index = None;
    for (name, value) in &r.request.headers.0 {
        if overridden(name) || name.eq_ignore_ascii_case(REPLAY_OF) {
            continue;
        }
        if name.eq_ignore_ascii_case(REQUEST_ID) {
            id_index = Some(headers.len());
        }
        let slot = r
            .request
            .secret_headers
            .iter()
            .find(|s| s.header.eq_ignore_ascii_case(name));
        let value = match slot {
            Some(slot) => {
                let prefix = static_prefix(&slot.prefix).ok_or_else(|| {
                    Error::usage(format!(
                        "record {id}: unknown key prefix '{}' for header {name}",
                        slot.prefix
                    ))
                })?;
                let key = keys.get(row, slot.role)?;
                if caching {
                    check_fingerprint(row, slot.role, name, value, &key, notes);
                }
                match slot.role {
                    SecretRole::Helicone => creds.helicone = Some(key),
                    SecretRole::Provider => creds.provider = Some(key),
                }
                HeaderValue::Key {
                    role: slot.role,
                    prefix,
                }
            }
            None if request::is_secret_header(name) => {
                return Err(Error::usage(format!(
                    "record {id} was sent with its own secret {name} header (-H), and hcl logs only its fingerprint; give it again: hcl replay {id} -H '{name}: …'"
                )));
            }
            // A session name older hcl derived from the prompt is not sent
            // again (session headers are not part of the cache key).
            None if name.eq_ignore_ascii_case("helicone-session-name")
                && conversation::first_prompt(format, r.request.body.get())
                    .is_some_and(|p| conversation::is_derived_name(value, &p)) =>
            {
                HeaderValue::Plain(conversation::DEFAULT_NAME.to_string())
            }
            None => HeaderValue::Plain(value.clone()),
        };
        headers.push(Header {
            name: name.clone(),
            value,
        });
    }
    if via_helicone {
        if id_index.is_none() {
            id_index = Some(headers.len());
            headers.push(plain(REQUEST_ID, ""));
        }
        headers.push(plain(REPLAY_OF, &r.id));
        if !cachekey::saves_to_cache(&r.request.headers) {
            if args.cache {
                headers.push(plain("Helicone-Cache-Enabled", "true"));
                notes.note(
                    "--cache adds Helicone-Cache-Enabled to requests first sent without caching: the first replay fills the cache and the next one can hit".to_string(),
                );
            } else {
                notes.note(
                    "a selected request was sent without caching, so its replay reports OFF; add --cache to enable Helicone's cache".to_string(),
                );
            }
        }
    } else if args.cache {
        notes.warn(
            "--cache does not apply to requests sent with --direct: they bypass Helicone"
                .to_string(),
        );
    }
    for (name, value) in extra {
        let value = if request::is_secret_header(name) {
            HeaderValue::Literal(secrets::Secret::new(value.clone()))
        } else {
            HeaderValue::Plain(value.clone())
        };
        headers.push(Header {
            name: name.clone(),
            value,
        });
    }
    let helicone_key_ok = creds
        .helicone
        .as_ref()
        .is_none_or(|k| secrets::looks_like_helicone_key(k.secret.expose()));
    if !helicone_key_ok {
        notes.warn(
            "the Helicone key does not look like a Helicone key (sk-helicone-…); Helicone silently ignores unknown keys, so nothing would be cached".to_string(),
        );
    }
    Ok(Plan {
        original: r,
        format,
        req: PreparedRequest {
            method,
            url,
            userinfo,
            headers,
            body: r.request.body.get().to_string(),
        },
        id_index,
        creds,
        peer: exchange::peer_label(row.name, !via_helicone),
        helicone_key_ok,
    })
}

fn plain(name: &str, value: &str) -> Header {
    Header {
        name: name.to_string(),
        value: HeaderValue::Plain(value.to_string()),
    }
}

/// Warn when a fresh key is not the one the record was sent with.
fn check_fingerprint(
    row: &Provider,
    role: SecretRole,
    header: &str,
    logged: &str,
    key: &FoundKey,
    notes: &mut Notes,
) {
    let Some(at) = logged.find("sha256:") else {
        return;
    };
    let (old, new) = (&logged[at..], key.secret.fingerprint());
    if old == new {
        return;
    }
    let which = match role {
        SecretRole::Helicone => "the Helicone key".to_string(),
        SecretRole::Provider => format!("the {} key", row.name),
    };
    let keyed = header.eq_ignore_ascii_case("authorization")
        || header.eq_ignore_ascii_case("helicone-auth");
    notes.warn(if keyed {
        format!(
            "{which} from {} differs from the one logged ({old} → {new}); it is part of Helicone's cache key, so the cache key changed: expect a MISS",
            key.source.label()
        )
    } else {
        format!(
            "{which} from {} differs from the one logged ({old} → {new}); Helicone's cache key leaves out {header}, so a HIT can still come from the answer cached for the old key",
            key.source.label()
        )
    })
}

/// Send one request. Every replay goes through here.
async fn send_one(
    client: &Client,
    req: &PreparedRequest,
    creds: &Credentials,
    format: WireFormat,
    stream: bool,
    peer: &str,
    interrupted: &tokio::sync::watch::Receiver<Option<Signal>>,
) -> Outcome {
    if stream {
        // Streamed records replay as streams: the same request, decoded as
        // it arrives, so the text can be compared with the original; an
        // interruption keeps what arrived.
        exchange::execute_stream(
            client,
            req,
            creds,
            format,
            peer,
            &mut |_| Ok(()),
            until_interrupted(interrupted.clone()),
        )
        .await
    } else {
        tokio::select! {
            outcome = exchange::execute(client, req, creds, format, peer) => outcome,
            signal = until_interrupted(interrupted.clone()) => Outcome {
                error: Some(Error::Interrupted(signal)),
                ..Default::default()
            },
        }
    }
}

/// Resolves with the signal that stopped the run (never, if it ends first).
async fn until_interrupted(mut rx: tokio::sync::watch::Receiver<Option<Signal>>) -> Signal {
    let signal = rx.wait_for(Option::is_some).await.map(|s| *s);
    match signal {
        Ok(s) => s.unwrap_or(Signal::Interrupt),
        Err(_) => std::future::pending().await,
    }
}

/// The shared state of one run.
struct Run<'a> {
    client: &'a Client,
    log_path: Option<&'a Path>,
    repeat: u32,
    progress: &'a Progress,
    hits: Cell<usize>,
    misses: Cell<usize>,
    printer: &'a Printer,
    /// Set by a signal: no new replay starts, those in flight stop.
    interrupted: tokio::sync::watch::Receiver<Option<Signal>>,
}

impl Run<'_> {
    /// Replay every plan, `concurrency` at a time; rows in plan order.
    async fn all(&self, plans: &[Plan<'_>], concurrency: usize) -> Vec<Row> {
        let mut done: Vec<(usize, Vec<Row>)> = futures_util::stream::iter(plans.iter().enumerate())
            .map(|(i, p)| async move { (i, self.one(p).await) })
            .buffer_unordered(concurrency)
            .collect()
            .await;
        done.sort_by_key(|(i, _)| *i);
        done.into_iter().flat_map(|(_, rows)| rows).collect()
    }

    /// One plan, `repeat` times in a row (a bucket fills one send at a time).
    async fn one(&self, p: &Plan<'_>) -> Vec<Row> {
        let mut rows = Vec::with_capacity(self.repeat as usize);
        for attempt in 1..=self.repeat {
            if self.interrupted.borrow().is_some() {
                break;
            }
            let id = uuid::Uuid::new_v4().to_string();
            let mut req = p.req.clone();
            if let Some(i) = p.id_index {
                req.headers[i].value = HeaderValue::Plain(id.clone());
            }
            let outcome = send_one(
                self.client,
                &req,
                &p.creds,
                p.format,
                p.original.stream,
                &p.peer,
                &self.interrupted,
            )
            .await;
            let row = self.finish(p, attempt, id, &req, outcome);
            match row.cache {
                Cache::Hit => self.hits.set(self.hits.get() + 1),
                Cache::Miss => self.misses.set(self.misses.get() + 1),
                _ => {}
            }
            self.progress.step(&format!(
                "{} HIT · {} MISS",
                self.hits.get(),
                self.misses.get()
            ));
            rows.push(row);
        }
        rows
    }

    /// Log the replay and turn it into a report row.
    fn finish(
        &self,
        p: &Plan<'_>,
        attempt: u32,
        id: String,
        req: &PreparedRequest,
        outcome: Outcome,
    ) -> Row {
        let o = p.original;
        let ctx = RecordContext {
            id: &id,
            provider: &o.provider,
            model: &o.model,
            stream: o.stream,
            replay_of: Some(o.id.clone()),
        };
        let (now_key, text) = match exchange::build_record(&ctx, req, &p.creds, &outcome) {
            Ok(record) => {
                if let Some(path) = self.log_path {
                    match log::append(path, &record) {
                        Ok(warning) => self.printer.warn_all(warning.as_slice()),
                        Err(e) => self
                            .printer
                            .warn(&format!("{e}; the replay {} was not logged", short(&id))),
                    }
                }
                (record.cache_key, record.response.text)
            }
            Err(_) => (CacheKey::default(), String::new()),
        };
        let cache = match (&outcome.error, outcome.meta.cache.as_deref()) {
            (Some(_), _) => Cache::Error,
            (None, Some("HIT")) => Cache::Hit,
            (None, Some(_)) => Cache::Miss,
            (None, None) => Cache::Off,
        };
        let why = match (&outcome.error, cache) {
            (_, Cache::Miss) => {
                cachekey::explain_miss(o, &now_key, &req.url, p.helicone_key_ok, SystemTime::now())
            }
            _ => Vec::new(),
        };
        let latency_ms = outcome.latency.map(|d| d.as_millis() as u64);
        let saved_ms = (cache == Cache::Hit)
            .then(|| {
                let upstream = outcome.meta.cache_latency_ms.or(o.latency_ms)?;
                Some(upstream.saturating_sub(latency_ms.unwrap_or(0)))
            })
            .flatten();
        let comparable =
            outcome.error.is_none() && select::is_ok(o) && !(o.stream && text.is_empty());
        Row {
            original_id: o.id.clone(),
            id,
            attempt,
            provider: o.provider.clone(),
            model: o.model.clone(),
            stream: o.stream,
            status: outcome.status,
            cache,
            bucket_idx: outcome.meta.bucket_idx,
            original_latency_ms: o.latency_ms,
            latency_ms,
            saved_ms,
            same_text: comparable.then(|| text == o.response.text),
            why,
            met_expectation: None,
            exit: outcome.error.as_ref().map(Error::exit_status),
            error: outcome.error.map(|e| e.to_string()),
        }
    }
}

/// Mark each judged row against `--expect`: every row, or with `--repeat`
/// the last send of each request (the ones before it fill the bucket).
fn judge(rows: &mut [Row], expect: Option<ExpectArg>, repeat: u32) {
    let Some(expect) = expect else { return };
    let want = match expect {
        ExpectArg::Hit => Cache::Hit,
        ExpectArg::Miss => Cache::Miss,
    };
    for row in rows.iter_mut().filter(|r| r.attempt == repeat) {
        row.met_expectation = Some(row.cache == want);
    }
}

fn totals(rows: &[Row], expect: Option<ExpectArg>) -> Totals {
    let count = |c: Cache| rows.iter().filter(|r| r.cache == c).count();
    let replayed = rows.len();
    let hit = count(Cache::Hit);
    Totals {
        replayed,
        hit,
        miss: count(Cache::Miss),
        off: count(Cache::Off),
        error: count(Cache::Error),
        hit_rate: if replayed == 0 {
            0.0
        } else {
            hit as f64 / replayed as f64
        },
        saved_ms: rows.iter().filter_map(|r| r.saved_ms).sum(),
        expect: expect.map(|e| match e {
            ExpectArg::Hit => "HIT",
            ExpectArg::Miss => "MISS",
        }),
        expectation_failures: rows
            .iter()
            .filter(|r| r.met_expectation == Some(false))
            .count(),
    }
}

fn duration_text(ms: u64) -> String {
    if ms < 1000 {
        format!("{ms} ms")
    } else {
        format!("{:.1} s", ms as f64 / 1000.0)
    }
}

/// `12 replayed: 10 HIT, 2 MISS (83%), 1.8 s saved`
fn summary_line(t: &Totals) -> String {
    let mut s = format!("{} replayed: {} HIT, {} MISS", t.replayed, t.hit, t.miss);
    if t.off > 0 {
        let _ = write!(s, ", {} OFF", t.off);
    }
    if t.error > 0 {
        let _ = write!(s, ", {} ERROR", t.error);
    }
    let _ = write!(
        s,
        " ({:.0}%), {} saved",
        t.hit_rate * 100.0,
        duration_text(t.saved_ms)
    );
    s
}

fn print_table(rows: &[Row], repeated: bool, printer: &Printer) -> Result<()> {
    let mut table = output::new_table(&[
        "id", "provider", "model", "status", "cache", "bucket", "latency", "text", "why",
    ]);
    for r in rows {
        let mut id = short(&r.original_id).to_string();
        if repeated {
            let _ = write!(id, " #{}", r.attempt);
        }
        let mut cache = r.cache.label().to_string();
        if r.met_expectation == Some(false) {
            cache.push_str(" ✗");
        }
        let ms = |v: Option<u64>| v.map_or("-".to_string(), |v| v.to_string());
        let why = match &r.error {
            Some(e) => e.clone(),
            None => r.why.join("; "),
        };
        table.add_row(vec![
            id,
            r.provider.clone(),
            r.model.clone(),
            r.status.map_or("-".into(), |s| s.to_string()),
            cache,
            r.bucket_idx.map_or("-".into(), |b| b.to_string()),
            format!("{} → {} ms", ms(r.original_latency_ms), ms(r.latency_ms)),
            match r.same_text {
                Some(true) => "same".into(),
                Some(false) => "differs".into(),
                None => "-".into(),
            },
            why,
        ]);
    }
    printer.table(&table)
}

/// Text safe inside XML attributes and elements.
fn xml_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' | '\n' | '\r' => out.push(c),
            c if (c as u32) < 0x20 => {}
            c => out.push(c),
        }
    }
    out
}

/// JUnit XML: one testcase per replay; a missed expectation is a failure,
/// a replay that got no usable answer an error.
fn junit_xml(rows: &[Row], t: &Totals) -> String {
    let secs = |ms: Option<u64>| ms.unwrap_or(0) as f64 / 1000.0;
    let time: f64 = rows.iter().map(|r| secs(r.latency_ms)).sum();
    let failures = t.expectation_failures
        - rows
            .iter()
            .filter(|r| r.met_expectation == Some(false) && r.cache == Cache::Error)
            .count();
    let mut x = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let _ = writeln!(
        x,
        "<testsuites name=\"hcl replay\" tests=\"{}\" failures=\"{failures}\" errors=\"{}\" time=\"{time:.3}\">",
        rows.len(),
        t.error
    );
    let _ = writeln!(
        x,
        "  <testsuite name=\"hcl replay\" tests=\"{}\" failures=\"{failures}\" errors=\"{}\" skipped=\"0\" time=\"{time:.3}\" timestamp=\"{}\">",
        rows.len(),
        t.error,
        xml_escape(&exchange::now_rfc3339())
    );
    let repeated = rows.iter().any(|r| r.attempt > 1);
    for r in rows {
        let name = if repeated {
            format!("{} #{}", r.original_id, r.attempt)
        } else {
            r.original_id.clone()
        };
        let _ = write!(
            x,
            "    <testcase classname=\"hcl.replay.{}\" name=\"{}\" time=\"{:.3}\">",
            xml_escape(&r.provider),
            xml_escape(&name),
            secs(r.latency_ms)
        );
        let detail = format!(
            "model {}, status {}, cache {}{}, replay id {}{}",
            r.model,
            r.status.map_or("-".into(), |s| s.to_string()),
            r.cache.label(),
            r.bucket_idx
                .map(|b| format!(" (bucket {b})"))
                .unwrap_or_default(),
            r.id,
            if r.why.is_empty() {
                String::new()
            } else {
                format!("; why: {}", r.why.join("; "))
            }
        );
        if let Some(e) = &r.error {
            let _ = write!(
                x,
                "\n      <error type=\"replay\" message=\"{}\">{}</error>\n    ",
                xml_escape(e),
                xml_escape(&detail)
            );
        } else if r.met_expectation == Some(false) {
            let _ = write!(
                x,
                "\n      <failure type=\"expectation\" message=\"expected {}, got {}\">{}</failure>\n    ",
                t.expect.unwrap_or("?"),
                r.cache.label(),
                xml_escape(&detail)
            );
        } else {
            let _ = write!(
                x,
                "\n      <system-out>{}</system-out>\n    ",
                xml_escape(&detail)
            );
        }
        x.push_str("</testcase>\n");
    }
    x.push_str("  </testsuite>\n</testsuites>\n");
    x
}

fn write_junit(file: &Path, rows: &[Row], t: &Totals) -> Result<()> {
    crate::files::write_private(file, junit_xml(rows, t).as_bytes()).map_err(|e| {
        Error::io(
            format!("cannot write the JUnit report {}", file.display()),
            e,
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(cache: Cache, attempt: u32) -> Row {
        Row {
            original_id: "0123456789".into(),
            id: "r".into(),
            attempt,
            provider: "openai".into(),
            model: "m<&>".into(),
            stream: false,
            status: Some(200),
            cache,
            bucket_idx: None,
            original_latency_ms: Some(900),
            latency_ms: Some(100),
            saved_ms: (cache == Cache::Hit).then_some(800),
            same_text: Some(true),
            why: vec![],
            met_expectation: None,
            error: None,
            exit: None,
        }
    }

    #[test]
    fn summary_and_expectation() {
        let mut rows: Vec<Row> = (0..10).map(|_| row(Cache::Hit, 1)).collect();
        rows.push(row(Cache::Miss, 1));
        rows.push(row(Cache::Miss, 1));
        judge(&mut rows, Some(ExpectArg::Hit), 1);
        let t = totals(&rows, Some(ExpectArg::Hit));
        assert_eq!(
            summary_line(&t),
            "12 replayed: 10 HIT, 2 MISS (83%), 8.0 s saved"
        );
        assert_eq!(t.expectation_failures, 2);
        // With --repeat, only the last send of each request is judged.
        let mut rows = vec![row(Cache::Miss, 1), row(Cache::Miss, 2), row(Cache::Hit, 3)];
        judge(&mut rows, Some(ExpectArg::Hit), 3);
        assert_eq!(
            rows.iter().map(|r| r.met_expectation).collect::<Vec<_>>(),
            [None, None, Some(true)]
        );
    }

    #[test]
    fn junit_escapes() {
        let mut rows = vec![row(Cache::Miss, 1)];
        rows[0].why = vec!["the body <differs> & \"so\"".into()];
        judge(&mut rows, Some(ExpectArg::Hit), 1);
        let t = totals(&rows, Some(ExpectArg::Hit));
        let x = junit_xml(&rows, &t);
        assert!(x.contains("m&lt;&amp;&gt;"), "{x}");
        assert!(x.contains("&lt;differs&gt; &amp; &quot;so&quot;"), "{x}");
        assert!(x.contains("failures=\"1\""), "{x}");
        assert_eq!(xml_escape("a\u{1}b"), "ab");
    }

    #[test]
    fn api_path_is_found_after_a_base_prefix() {
        let gw = provider::find("gateway").unwrap();
        let url = "http://127.0.0.1:9/gateway/v1/messages";
        let (i, f) = api_path_start(gw, url).unwrap();
        assert_eq!(&url[..i], "http://127.0.0.1:9/gateway");
        assert_eq!(f, WireFormat::Anthropic);
        let gem = provider::find("gemini").unwrap();
        let url = "https://gateway.helicone.ai/v1beta/models/x:generateContent";
        assert_eq!(
            &url[..api_path_start(gem, url).unwrap().0],
            "https://gateway.helicone.ai"
        );
    }
}
