//! One exchange: send a prepared request, interpret the answer, and build the
//! log record. Shared by chat, replay and batch.

use std::time::{Duration, Instant};

use serde::Serialize;
use serde_json::value::RawValue;

use crate::cachekey::CacheKey;
use crate::error::{Error, NetLayer, Result, Signal};
use crate::eventstream::{self, EventStreamDecoder};
use crate::helicone::{self, HeliconeMeta, RateLimitMeta};
use crate::log::{self, HeaderList, Record, RequestRecord, ResponseRecord};
use crate::provider;
use crate::request::{Credentials, PreparedRequest};
use crate::secrets::HELICONE_KEY_VAR;
use crate::sse::{SseDecoder, SseEvent};
use crate::transport::Client;
use crate::wire::stream::{self, Delta, StreamEvent};
use crate::wire::{self, Completion, ToolCall, Usage};
use crate::wire::{Framing, WireFormat};

/// What came back, whatever it was.
#[derive(Debug, Default)]
pub struct Outcome {
    pub status: Option<u16>,
    pub meta: HeliconeMeta,
    pub headers: HeaderList,
    pub completion: Option<Completion>,
    pub latency: Option<Duration>,
    pub ttfb: Option<Duration>,
    pub error: Option<Error>,
}

/// Who is being talked to, for messages: "anthropic via Helicone".
pub fn peer_label(provider: &str, direct: bool) -> String {
    if direct {
        provider.to_string()
    } else {
        format!("{provider} via Helicone")
    }
}

pub fn logged_headers(headers: &reqwest::header::HeaderMap) -> HeaderList {
    HeaderList(
        headers
            .iter()
            .filter(|(k, _)| helicone::is_logged_response_header(k.as_str()))
            .map(|(k, v)| {
                (
                    k.as_str().to_string(),
                    String::from_utf8_lossy(v.as_bytes()).into_owned(),
                )
            })
            .collect(),
    )
}

/// Send a non-streamed request and interpret the response.
pub async fn execute(
    client: &Client,
    req: &PreparedRequest,
    creds: &Credentials,
    format: WireFormat,
    peer: &str,
) -> Outcome {
    let ex = match client.send_full(req, creds).await {
        Ok(ex) => ex,
        Err(e) => {
            return Outcome {
                error: Some(e),
                ..Default::default()
            };
        }
    };
    let meta = HeliconeMeta::from_headers(&ex.headers);
    let mut out = Outcome {
        status: Some(ex.status),
        headers: logged_headers(&ex.headers),
        latency: Some(ex.latency),
        ttfb: Some(ex.ttfb),
        ..Default::default()
    };
    if (200..300).contains(&ex.status) {
        match wire::parse_response(format, &ex.body) {
            Ok(c) => {
                if let Some(reason) = &c.blocked {
                    out.error = Some(Error::Protocol(blocked_message(reason)));
                }
                out.completion = Some(c);
            }
            Err(e) => {
                out.error = Some(Error::Protocol(format!(
                    "{peer} answered {} with a body hcl could not read ({e}): {}",
                    ex.status,
                    excerpt(&ex.body)
                )));
            }
        }
    } else {
        out.error = Some(status_error(peer, ex.status, &meta, &ex.body));
    }
    out.meta = meta;
    out
}

/// Send a streamed request, calling `on_delta` with each piece of text the
/// moment it is decoded, until the stream ends, fails, goes silent for longer
/// than the client's idle timeout, `on_delta` fails (a closed stdout), or
/// `interrupt` completes (a signal). Whatever arrived is in the [`Outcome`]:
/// the completion assembled so far, `ttfb` as the time to first token, and
/// the error ([`Error::Interrupted`] with the signal when `interrupt` fired).
/// Callers that cannot be interrupted pass `std::future::pending()`.
pub async fn execute_stream(
    client: &Client,
    req: &PreparedRequest,
    creds: &Credentials,
    format: WireFormat,
    peer: &str,
    on_delta: &mut dyn FnMut(Delta<'_>) -> Result<()>,
    interrupt: impl Future<Output = Signal>,
) -> Outcome {
    let mut ex = StreamExchange::new(format);
    let interrupted = tokio::select! {
        () = ex.run(client, req, creds, peer, on_delta) => None,
        signal = interrupt => Some(Error::Interrupted(signal)),
    };
    ex.into_outcome(interrupted)
}

/// The decoder of a streamed body, by the format's [`Framing`].
enum Frames {
    Sse(SseDecoder, Vec<SseEvent>),
    Aws(EventStreamDecoder, Vec<eventstream::Message>),
}

/// One decoded unit of a stream, for the format's parser.
enum Item {
    Sse(SseEvent),
    Aws(eventstream::Message),
}

impl Frames {
    fn new(framing: Framing) -> Frames {
        match framing {
            Framing::Sse => Frames::Sse(SseDecoder::new(), Vec::new()),
            Framing::AwsEventStream => Frames::Aws(EventStreamDecoder::new(), Vec::new()),
        }
    }

    fn framing(&self) -> Framing {
        match self {
            Frames::Sse(..) => Framing::Sse,
            Frames::Aws(..) => Framing::AwsEventStream,
        }
    }

    /// Decode a chunk (`None`: the end of the body) into `items`. Items
    /// completed before a decoding error are still delivered.
    fn push(&mut self, chunk: Option<&[u8]>, items: &mut Vec<Item>) -> Result<(), String> {
        match self {
            Frames::Sse(decoder, out) => {
                let result = match chunk {
                    Some(c) => decoder.push(c, out),
                    None => decoder.finish(out),
                };
                items.extend(out.drain(..).map(Item::Sse));
                result.map_err(|e| e.to_string())
            }
            Frames::Aws(decoder, out) => {
                let result = match chunk {
                    Some(c) => decoder.push(c, out),
                    None => decoder.finish(),
                };
                items.extend(out.drain(..).map(Item::Aws));
                result.map_err(|e| e.to_string())
            }
        }
    }

    fn bytes_seen(&self) -> u64 {
        match self {
            Frames::Sse(d, _) => d.bytes_seen(),
            Frames::Aws(d, _) => d.bytes_seen(),
        }
    }
}

/// One streamed exchange. Its state lives here, outside the future that
/// drives it ([`run`](Self::run)), so that dropping that future part-way
/// (an interruption) keeps everything that arrived.
pub struct StreamExchange {
    format: WireFormat,
    frames: Frames,
    parser: stream::Parser,
    assembler: stream::Assembler,
    /// A 200 that was not an event stream, read whole.
    whole: Option<Completion>,
    started: Option<Instant>,
    status: Option<u16>,
    meta: HeliconeMeta,
    headers: HeaderList,
    ttft: Option<Duration>,
    latency: Option<Duration>,
    error: Option<Error>,
    items: Vec<Item>,
    events: Vec<StreamEvent>,
}

impl StreamExchange {
    pub fn new(format: WireFormat) -> Self {
        StreamExchange {
            format,
            frames: Frames::new(format.framing()),
            parser: stream::Parser::new(format),
            assembler: stream::Assembler::default(),
            whole: None,
            started: None,
            status: None,
            meta: HeliconeMeta::default(),
            headers: HeaderList::default(),
            ttft: None,
            latency: None,
            error: None,
            items: Vec::new(),
            events: Vec::new(),
        }
    }

    /// Send and read the stream to its end; see [`execute_stream`].
    pub async fn run(
        &mut self,
        client: &Client,
        req: &PreparedRequest,
        creds: &Credentials,
        peer: &str,
        on_delta: &mut dyn FnMut(Delta<'_>) -> Result<()>,
    ) {
        if let Err(e) = self.drive(client, req, creds, peer, on_delta).await {
            self.error = Some(e);
        }
        self.latency = self.started.map(|t| t.elapsed());
    }

    /// What came back. `interrupted`, when given, is the error: it is why the
    /// stream was cut short, whatever else happened.
    pub fn into_outcome(self, interrupted: Option<Error>) -> Outcome {
        let success = self.status.is_some_and(|s| (200..300).contains(&s));
        let completion = success.then(|| match self.whole {
            Some(c) => c,
            None => self.assembler.completion(self.format),
        });
        let blocked = completion
            .as_ref()
            .and_then(|c| c.blocked.as_deref())
            .map(|r| Error::Protocol(blocked_message(r)));
        Outcome {
            status: self.status,
            meta: self.meta,
            headers: self.headers,
            completion,
            latency: self.latency.or_else(|| self.started.map(|t| t.elapsed())),
            ttfb: self.ttft,
            error: interrupted.or(self.error).or(blocked),
        }
    }

    async fn drive(
        &mut self,
        client: &Client,
        req: &PreparedRequest,
        creds: &Credentials,
        peer: &str,
        on_delta: &mut dyn FnMut(Delta<'_>) -> Result<()>,
    ) -> Result<()> {
        let reads = BodyReads {
            client,
            url: &req.url,
            idle: client.idle_timeout(),
        };
        // A stream's headers come at once; a server that takes the request
        // and says nothing is a silence like any other.
        let started = match tokio::time::timeout(reads.idle, client.send(req, creds)).await {
            Ok(started) => started?,
            Err(_) => return Err(reads.no_headers()),
        };
        let t0 = started.started;
        self.started = Some(t0);
        self.status = Some(started.status);
        self.meta = HeliconeMeta::from_headers(&started.headers);
        self.headers = logged_headers(&started.headers);
        let status = started.status;
        let response = started.response;

        if !(200..300).contains(&status) {
            let body = reads.whole(response).await?;
            return Err(status_error(peer, status, &self.meta, &body));
        }
        let content_type = started
            .headers
            .get(reqwest::header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_ascii_lowercase();
        let framing = self.frames.framing();
        let is_json = content_type.contains("json") && !content_type.contains("stream");
        if !content_type.is_empty() && !is_json && !framing.matches(&content_type) {
            // An HTML page or plain text from something between hcl and the
            // provider: name it rather than report an empty stream.
            let body = reads.whole(response).await?;
            return Err(Error::Protocol(format!(
                "{peer} answered {status} with {content_type} instead of {}: {}",
                framing.about(),
                excerpt(&body)
            )));
        }
        if is_json {
            // Not an event stream (a host that ignored `stream: true`).
            let body = reads.whole(response).await?;
            return self.show_whole(peer, status, t0, &body, on_delta);
        }
        if self
            .read_stream(&reads, response, peer, t0, on_delta)
            .await?
        {
            return Ok(());
        }
        self.check_end(peer)
    }

    /// A 200 that is one JSON answer: read it and show it whole.
    fn show_whole(
        &mut self,
        peer: &str,
        status: u16,
        t0: Instant,
        body: &[u8],
        on_delta: &mut dyn FnMut(Delta<'_>) -> Result<()>,
    ) -> Result<()> {
        let c = wire::parse_response(self.format, body).map_err(|e| {
            Error::Protocol(format!(
                "{peer} answered {status} with a body hcl could not read ({e}): {}",
                excerpt(body)
            ))
        })?;
        self.ttft = Some(t0.elapsed());
        let shown = if c.text.is_empty() {
            Ok(())
        } else {
            on_delta(Delta::Text(&c.text)).and_then(|()| on_delta(Delta::Flush))
        };
        self.whole = Some(c);
        shown
    }

    /// Decode the body chunk by chunk, handing each event on as it comes.
    /// True when the format's end marker came.
    async fn read_stream(
        &mut self,
        reads: &BodyReads<'_>,
        mut response: reqwest::Response,
        peer: &str,
        t0: Instant,
        on_delta: &mut dyn FnMut(Delta<'_>) -> Result<()>,
    ) -> Result<bool> {
        loop {
            let chunk = match tokio::time::timeout(reads.idle, response.chunk()).await {
                Ok(Ok(Some(chunk))) => chunk,
                Ok(Ok(None)) => break,
                Ok(Err(e)) => {
                    return Err(reads.failed(&e, self.assembler.text().chars().count()));
                }
                Err(_) => return Err(reads.silent()),
            };
            let pushed = self.frames.push(Some(&chunk), &mut self.items);
            // Events completed before a decoding error still count.
            if self.absorb(peer, t0, on_delta)? {
                return Ok(true);
            }
            pushed.map_err(|e| self.framing_error(peer, &e))?;
        }
        let finished = self.frames.push(None, &mut self.items);
        if self.absorb(peer, t0, on_delta)? {
            return Ok(true);
        }
        finished.map_err(|e| self.framing_error(peer, &e))?;
        Ok(false)
    }

    /// A stream that ended without its end marker: complete only with an
    /// answer and a finish reason. The same rule for every format.
    fn check_end(&self, peer: &str) -> Result<()> {
        if self.assembler.is_empty() {
            return Err(Error::Protocol(format!(
                "the stream from {peer} ended without an answer ({} bytes, no text, no finish reason)",
                self.frames.bytes_seen()
            )));
        }
        if self
            .assembler
            .completion(self.format)
            .finish_reason
            .is_none()
        {
            return Err(Error::Protocol(format!(
                "the stream from {peer} ended before {} and without a finish reason; the answer may be incomplete",
                self.parser.end_marker()
            )));
        }
        Ok(())
    }

    /// A body that is not valid in its framing. A Helicone cache HIT says
    /// why a binary stream can be damaged: the cache keeps answers as text.
    fn framing_error(&self, peer: &str, detail: &str) -> Error {
        let framing = self.frames.framing();
        let mut message = format!(
            "the stream from {peer} is not a valid {}: {detail}",
            framing.about().trim_start_matches("an ")
        );
        if framing.is_binary() && self.meta.cache.as_deref() == Some("HIT") {
            message.push_str(
                "; this answer came from Helicone's cache, which stores streams as text and so damages binary ones (docs/helicone.md §4.1): replay without --cache",
            );
        }
        Error::Protocol(message)
    }

    /// Interpret the stream items decoded so far. Ok(true): the stream's
    /// end marker arrived, stop reading.
    fn absorb(
        &mut self,
        peer: &str,
        t0: Instant,
        on_delta: &mut dyn FnMut(Delta<'_>) -> Result<()>,
    ) -> Result<bool> {
        let mut items = std::mem::take(&mut self.items);
        let mut delivered = false;
        let mut result = self.absorb_events(&items, peer, t0, &mut delivered, on_delta);
        items.clear();
        self.items = items;
        if delivered {
            let flushed = on_delta(Delta::Flush);
            if result.is_ok() {
                flushed?;
            } else if let Err(e) = flushed
                && matches!(e, Error::BrokenPipe)
            {
                result = Err(e);
            }
        }
        result
    }

    fn absorb_events(
        &mut self,
        items: &[Item],
        peer: &str,
        t0: Instant,
        delivered: &mut bool,
        on_delta: &mut dyn FnMut(Delta<'_>) -> Result<()>,
    ) -> Result<bool> {
        for item in items {
            let (read, raw) = match item {
                Item::Sse(event) => (
                    self.parser.event(&event.data, &mut self.events),
                    event.data.as_bytes(),
                ),
                // An `error` message is the event-stream protocol's own
                // (`:error-code`, `:error-message`, no payload), the same for
                // every AWS service; events and exceptions are the format's.
                Item::Aws(message) if message.header_str(":message-type") == Some("error") => {
                    self.events.push(StreamEvent::Error(format!(
                        "{} ({})",
                        message.header_str(":error-message").unwrap_or("no message"),
                        message.header_str(":error-code").unwrap_or("no error code")
                    )));
                    (Ok(()), message.payload.as_slice())
                }
                Item::Aws(message) => (
                    self.parser.message(message, &mut self.events),
                    message.payload.as_slice(),
                ),
            };
            read.map_err(|e| {
                Error::Protocol(format!(
                    "{peer} sent a stream event hcl could not read ({e}): {}",
                    excerpt(raw)
                ))
            })?;
            for ev in self.events.drain(..) {
                if self.ttft.is_none() && ev.is_token() {
                    self.ttft = Some(t0.elapsed());
                }
                let shown = match ev.delta() {
                    Some(d) => {
                        *delivered = true;
                        on_delta(d)
                    }
                    None => Ok(()),
                };
                self.assembler.apply(ev);
                shown?;
                if let Some(message) = self.assembler.error() {
                    return Err(match self.assembler.error_status() {
                        // An exception that stands for a status maps to that
                        // status's exit code (429: rate limited).
                        Some(status) => Error::Api {
                            provider: peer.to_string(),
                            status,
                            message: format!(
                                "{message} (in the stream, after {} characters of the answer; what arrived was kept)",
                                self.assembler.text_len()
                            ),
                        },
                        None => Error::Protocol(format!(
                            "{peer} ended the stream with an error: {message}"
                        )),
                    });
                }
                if self.assembler.is_done() {
                    return Ok(true);
                }
            }
        }
        Ok(false)
    }
}

/// "60 s", "1.5 s", "250 ms".
fn secs_text(d: Duration) -> String {
    if d < Duration::from_secs(1) {
        format!("{} ms", d.as_millis())
    } else if d.subsec_millis() == 0 {
        format!("{} s", d.as_secs())
    } else {
        format!("{:.1} s", d.as_secs_f64())
    }
}

pub fn blocked_message(reason: &str) -> String {
    format!(
        "the answer was withheld by the provider's safety filter (finish reason {reason}); rephrase the prompt or adjust the safety settings"
    )
}

/// Map an error status to an error, with the provider's own message.
pub fn status_error(peer: &str, status: u16, meta: &HeliconeMeta, body: &[u8]) -> Error {
    if status == 429 && meta.is_rate_limited() {
        return Error::HeliconeRateLimited {
            detail: meta.rate_limit_summary(),
        };
    }
    let reason = reqwest::StatusCode::from_u16(status)
        .ok()
        .and_then(|s| s.canonical_reason())
        .unwrap_or("");
    let status_text = format!("{status} {reason}").trim().to_string();
    let mut message = match wire::error_message(body) {
        Some(m) => m,
        None => {
            let text = excerpt(body);
            if text.is_empty() {
                "(empty body)".to_string()
            } else {
                format!("non-JSON body: {text}")
            }
        }
    };
    if let Some(hint) = hint(status, &message) {
        message.push_str("; ");
        message.push_str(&hint);
    }
    Error::Api {
        provider: peer.to_string(),
        status,
        message: format!("{message} [{status_text}]"),
    }
}

fn hint(status: u16, message: &str) -> Option<String> {
    if message.contains("Missing target base url") {
        Some("give the upstream with --target-url ORIGIN".to_string())
    } else if message.contains("Invalid API base") {
        Some(format!(
            "Helicone proxies only to approved domains; check {}",
            provider::origin_sources().join(" or ")
        ))
    } else if message.contains("Invalid Helicone API key") {
        Some(format!("check {HELICONE_KEY_VAR}"))
    } else if status == 401 || status == 403 {
        Some("check the provider key".to_string())
    } else {
        None
    }
}

/// A short, single-line excerpt of a body: an HTML page's title, or the
/// first 160 characters with whitespace collapsed.
pub fn excerpt(body: &[u8]) -> String {
    let text = String::from_utf8_lossy(body);
    let lower = text.to_ascii_lowercase();
    if let (Some(a), Some(b)) = (lower.find("<title>"), lower.find("</title>"))
        && a + 7 <= b
    {
        return format!("HTML page titled '{}'", text[a + 7..b].trim());
    }
    let collapsed: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    let mut out: String = collapsed.chars().take(160).collect();
    if collapsed.chars().count() > 160 {
        out.push('…');
    }
    out
}

/// Identity of a record.
pub struct RecordContext<'a> {
    pub id: &'a str,
    pub provider: &'a str,
    pub model: &'a str,
    pub format: WireFormat,
    pub stream: bool,
    pub replay_of: Option<String>,
}

pub fn now_rfc3339() -> String {
    humantime::format_rfc3339_millis(std::time::SystemTime::now()).to_string()
}

pub fn build_record(
    ctx: &RecordContext<'_>,
    req: &PreparedRequest,
    creds: &Credentials,
    outcome: &Outcome,
) -> Result<Record> {
    let body = RawValue::from_string(req.body.clone())
        .map_err(|e| Error::Protocol(format!("the request body is not JSON: {e}")))?;
    let completion = outcome.completion.clone().unwrap_or_default();
    let headers = req.masked_headers(creds);
    let secret_headers = req.secret_slots();
    let cache_key = CacheKey::compute(&req.url, &req.body, &headers, &secret_headers, creds);
    Ok(Record {
        v: log::SCHEMA_VERSION,
        id: ctx.id.to_string(),
        ts: now_rfc3339(),
        provider: ctx.provider.to_string(),
        model: ctx.model.to_string(),
        format: Some(ctx.format),
        stream: ctx.stream,
        request: RequestRecord {
            method: req.method.to_string(),
            url: req.url.clone(),
            headers: HeaderList(headers),
            secret_headers,
            body,
        },
        response: ResponseRecord {
            status: outcome.status,
            headers: outcome.headers.clone(),
            text: completion.text,
            usage: completion.usage,
            finish_reason: completion.finish_reason,
            tool_calls: completion.tool_calls,
            refusal: completion.refusal,
            unshown: completion.unshown.describe(),
        },
        helicone: outcome.meta.clone(),
        cache_key,
        latency_ms: outcome.latency.map(|d| d.as_millis() as u64),
        ttft_ms: outcome.ttfb.map(|d| d.as_millis() as u64),
        error: outcome.error.as_ref().map(|e| e.to_string()),
        replay_of: ctx.replay_of.clone(),
        batch: None,
        attempt: None,
        shard: None,
        line: None,
        batch_input: None,
        attachments: Vec::new(),
        conversation: None,
        turn: None,
    })
}

/// The `--json` object of `chat` and `stream`.
#[derive(Debug, Serialize)]
pub struct Summary<'a> {
    pub id: &'a str,
    pub provider: &'a str,
    pub model: &'a str,
    pub text: &'a str,
    pub usage: Usage,
    pub finish_reason: Option<&'a str>,
    pub status: Option<u16>,
    pub latency_ms: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ttft_ms: Option<u64>,
    pub helicone: SummaryHelicone<'a>,
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    pub tool_calls: &'a [ToolCall],
    #[serde(skip_serializing_if = "Option::is_none")]
    pub refusal: Option<&'a str>,
    pub error: Option<&'a str>,
    /// The conversation and turn (for `hcl chat --conversation ID`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub conversation: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub turn: Option<u32>,
}

#[derive(Debug, Serialize)]
pub struct SummaryHelicone<'a> {
    pub id: Option<&'a str>,
    pub cache: Option<&'a str>,
    pub bucket_idx: Option<u32>,
    pub rate_limit: Option<&'a RateLimitMeta>,
}

impl<'a> Summary<'a> {
    pub fn of(r: &'a Record) -> Self {
        Summary {
            id: &r.id,
            provider: &r.provider,
            model: &r.model,
            text: &r.response.text,
            usage: r.response.usage,
            finish_reason: r.response.finish_reason.as_deref(),
            status: r.response.status,
            latency_ms: r.latency_ms,
            ttft_ms: if r.stream { r.ttft_ms } else { None },
            helicone: SummaryHelicone {
                id: r.helicone.id.as_deref(),
                cache: r.helicone.cache.as_deref(),
                bucket_idx: r.helicone.bucket_idx,
                rate_limit: (!r.helicone.rate_limit.is_empty()).then_some(&r.helicone.rate_limit),
            },
            tool_calls: &r.response.tool_calls,
            refusal: r.response.refusal.as_deref(),
            error: r.error.as_deref(),
            conversation: r.conversation.as_deref(),
            turn: r.turn,
        }
    }
}

/// Reading a response body within the idle timeout, with its failures
/// named for the user.
struct BodyReads<'a> {
    client: &'a Client,
    url: &'a str,
    idle: Duration,
}

impl BodyReads<'_> {
    fn timeout(&self, detail: String) -> Error {
        Error::Network {
            layer: NetLayer::Timeout,
            url: self.url.to_string(),
            detail,
        }
    }

    fn no_headers(&self) -> Error {
        self.timeout(format!(
            "no response headers within {} of sending the request (raise --idle-timeout SECS to wait longer)",
            secs_text(self.idle)
        ))
    }

    fn silent(&self) -> Error {
        self.timeout(format!(
            "no data for {} mid-stream (raise --idle-timeout SECS to wait longer)",
            secs_text(self.idle)
        ))
    }

    /// A body that failed after `chars` characters of the answer.
    fn failed(&self, e: &reqwest::Error, chars: usize) -> Error {
        match self.client.classify(e, self.url) {
            Error::Network { layer, url, detail } if layer != NetLayer::Timeout => Error::Network {
                layer,
                url,
                detail: format!(
                    "{detail} (after {chars} characters of the answer; what arrived was kept)"
                ),
            },
            other => other,
        }
    }

    /// The whole body of a response that is not a stream.
    async fn whole(&self, response: reqwest::Response) -> Result<bytes::Bytes> {
        match tokio::time::timeout(self.idle, response.bytes()).await {
            Ok(Ok(b)) => Ok(b),
            Ok(Err(e)) => Err(self.failed(&e, 0)),
            Err(_) => Err(self.silent()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn excerpts() {
        assert_eq!(
            excerpt(b"<html><head><title> Bad Gateway </title>"),
            "HTML page titled 'Bad Gateway'"
        );
        assert_eq!(excerpt(b"  a \n\n b  "), "a b");
        assert!(excerpt("x".repeat(500).as_bytes()).ends_with('…'));
    }

    #[test]
    fn each_framing_has_its_decoder() {
        let f = std::fs::read(
            std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("tests/fixtures/eventstream/bedrock-claude-3-sonnet.bin"),
        )
        .unwrap();
        let mut frames = Frames::new(Framing::AwsEventStream);
        let mut items = Vec::new();
        for chunk in f.chunks(333) {
            frames.push(Some(chunk), &mut items).unwrap();
        }
        frames.push(None, &mut items).unwrap();
        assert_eq!(items.len(), 23);
        assert!(items.iter().all(|i| matches!(i, Item::Aws(_))));
        assert_eq!(frames.bytes_seen(), f.len() as u64);

        // Cut short, with Helicone's cache named when the answer was a HIT.
        let mut ex = StreamExchange::new(WireFormat::OpenAi);
        ex.frames = Frames::new(Framing::AwsEventStream);
        ex.meta.cache = Some("HIT".into());
        let err = ex
            .frames
            .push(Some(&f[..100]), &mut items)
            .and_then(|()| ex.frames.push(None, &mut items))
            .unwrap_err();
        let e = ex.framing_error("bedrock via Helicone", &err).to_string();
        assert!(
            e.starts_with("the stream from bedrock via Helicone is not a valid AWS event stream: the body ended")
                && e.contains("Helicone's cache"),
            "{e}"
        );
        let mut sse = Frames::new(Framing::Sse);
        sse.push(Some(b"data: {}\n\n"), &mut items).unwrap();
        assert!(matches!(items.last(), Some(Item::Sse(_))));
    }

    #[test]
    fn helicone_rate_limit_is_its_own_error() {
        let meta = HeliconeMeta {
            error: Some("rate_limited".into()),
            rate_limit: RateLimitMeta {
                limit: Some("2".into()),
                remaining: Some("0".into()),
                reset: Some("30".into()),
                policy: Some("2;w=60".into()),
            },
            ..Default::default()
        };
        let e = status_error("openai via Helicone", 429, &meta, br#"{"message":"x"}"#);
        assert_eq!(e.exit_status().code(), 4);
        let text = e.to_string();
        assert!(
            text.contains("limit 2")
                && text.contains("0 remaining")
                && text.contains("resets in 30 s"),
            "{text}"
        );
        let e = status_error(
            "openai",
            401,
            &HeliconeMeta::default(),
            br#"{"error":{"message":"bad key"}}"#,
        );
        assert_eq!(e.exit_status().code(), 5);
        assert!(e.to_string().contains("bad key"));
    }
}
