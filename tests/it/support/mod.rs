//! The fake Helicone gateway: an in-process HTTP/1.1 server on 127.0.0.1 that
//! behaves like Helicone as `docs/helicone.md` specifies (proxy paths,
//! cache, rate limits, the generic and AI gateways, the REST auth check), with
//! a deterministic default provider behind it and scripted faults on demand.
//!
//! Layering of one request:
//! 1. it is recorded (always, rejected ones too);
//! 2. REST API paths (`/v1/request/...`) are answered by the fake Jawn
//!    (a queued [`Script`] replaces that answer);
//! 3. otherwise the Helicone layer runs: gateway checks, AI-gateway auth,
//!    cache read (HIT answers here), rate limit (429 answers here);
//! 4. then "the provider" is called: the first queued [`Script`], else the
//!    default answer of the wire format the path speaks. Helicone headers are
//!    added, and a 200 is stored in the cache when caching applies.
//!
//! So a script is consumed by the next request that reaches the provider (or
//! the REST API); a cache HIT or a Helicone 429 does not consume one.
#![allow(dead_code)]

/// Report a skipped check where the person running `cargo test` sees it:
/// straight to the process's stderr, past the test harness's capture.
pub fn skip(why: &str) {
    use std::io::Write;
    let _ = writeln!(std::io::stderr().lock(), "skipped: {why}");
}

pub mod bedrock;
pub mod cache;
pub mod eventstream;
pub mod formats;
pub mod hcl;
pub mod helicone_store;
pub mod ratelimit;
pub mod rest;

/// The longest a test waits for something that should happen on its own (a
/// request to arrive, hcl to print or exit). Only a guard against a hang:
/// nothing is expected to come near it, and no test measures speed with it.
pub const HANG_GUARD: Duration = Duration::from_secs(60);

/// Whether the outside program `tool` can be run. When it cannot, the check
/// that needs it is skipped with a visible message, or fails when
/// `HCL_TEST_DOC_TOOLS=1` (set by `.ci/run`, which installs the tools) says
/// it must be there.
pub fn have_tool(tool: &str) -> bool {
    let ok = std::process::Command::new("sh")
        .arg("-c")
        .arg(format!("command -v {tool}"))
        .output()
        .map(|o| o.status.success())
        .unwrap_or(false);
    if !ok {
        if std::env::var("HCL_TEST_DOC_TOOLS").as_deref() == Ok("1") {
            panic!("{tool} is required (HCL_TEST_DOC_TOOLS=1) but not installed");
        }
        skip(&format!(
            "{tool} is not installed (set HCL_TEST_DOC_TOOLS=1 to require it)"
        ));
    }
    ok
}

/// Poll `done` until it holds; panics after [`HANG_GUARD`], naming `what`.
pub fn wait_until(what: &str, mut done: impl FnMut() -> bool) {
    let start = Instant::now();
    while !done() {
        assert!(
            start.elapsed() < HANG_GUARD,
            "hang guard: gave up waiting for {what}"
        );
        std::thread::sleep(Duration::from_millis(5));
    }
}

/// A recorded SSE transcript from `tests/fixtures/sse` (see its README),
/// for example `openai/tool-call.sse`.
pub fn sse_fixture(path: &str) -> Vec<u8> {
    let p = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/sse")
        .join(path);
    std::fs::read(&p).unwrap_or_else(|e| {
        panic!(
            "cannot read the recorded SSE fixture {} ({e}); it is part of the repository, see tests/fixtures/sse/README.md",
            p.display()
        )
    })
}
pub mod tls;
pub mod wirekit;

use std::collections::VecDeque;
use std::io;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use bytes::Bytes;
use http_body_util::combinators::UnsyncBoxBody;
use http_body_util::{BodyExt, StreamBody};
use hyper::body::{Frame, Incoming};
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper::{Request, Response};
use hyper_util::rt::{TokioIo, TokioTimer};
use serde_json::{Value, json};
use tokio::sync::{oneshot, watch};

use formats::Format;

/// Body of the 429 Helicone sends when a rate-limit policy denies a request.
pub const RATE_LIMITED_BODY: &str = r#"{"message":"Helicone user was rate limit via Helicone-RateLimit-Policy header. Please wait before making more requests. See https://docs.helicone.ai/features/advanced-usage/custom-rate-limits for more details."}"#;

/// One request as the fake received it.
#[derive(Debug, Clone)]
pub struct Recorded {
    pub method: String,
    pub path: String,
    pub query: Option<String>,
    /// Names lower-cased, in arrival order (repeated names grouped together).
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
    /// When the whole request had arrived.
    pub at: Instant,
}

impl Recorded {
    /// The first value of header `name` (case-insensitive).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// The body parsed as JSON; panics when it is not JSON.
    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.body).unwrap_or_else(|e| {
            panic!(
                "request body of {} {} is not JSON ({e}): {:?}",
                self.method,
                self.path,
                String::from_utf8_lossy(&self.body)
            )
        })
    }

    /// The body as UTF-8; panics when it is not UTF-8.
    pub fn body_str(&self) -> &str {
        std::str::from_utf8(&self.body).unwrap_or_else(|e| {
            panic!(
                "request body of {} {} is not UTF-8: {e}",
                self.method, self.path
            )
        })
    }
}

/// Lets a test decide when the fake answers: a [`Script::Await`] or
/// [`Script::Held`] waits until the test calls [`Gate::open`] (or drops the
/// gate). So a test can check what hcl does before the server goes on,
/// without guessing how long anything takes.
pub struct Gate(watch::Sender<bool>);

/// The fake's side of a [`Gate`].
#[derive(Debug, Clone)]
pub struct GateWait(watch::Receiver<bool>);

impl Gate {
    pub fn new() -> Gate {
        Gate(watch::channel(false).0)
    }

    /// The handle to put in a script; several scripts may share one gate.
    pub fn waiter(&self) -> GateWait {
        GateWait(self.0.subscribe())
    }

    /// Let every script waiting on this gate go on.
    pub fn open(&self) {
        self.0.send_replace(true);
    }
}

impl Default for Gate {
    fn default() -> Self {
        Gate::new()
    }
}

impl GateWait {
    /// Until the gate opens or the test drops it.
    async fn wait(mut self) {
        let _ = self.0.wait_for(|open| *open).await;
    }
}

/// A scripted provider answer, consumed by the next request that reaches the
/// provider (see the module docs).
#[derive(Debug, Clone)]
pub enum Script {
    /// Any status, any body.
    Respond {
        status: u16,
        headers: Vec<(String, String)>,
        body: String,
    },
    /// Wait before doing the inner script (before the headers).
    DelayThen(Duration, Box<Script>),
    /// Wait until the test opens the gate, then do the inner script.
    Await(GateWait, Box<Script>),
    /// Raw body chunks, each sent after its delay, chunked encoding.
    Chunks {
        status: u16,
        headers: Vec<(String, String)>,
        chunks: Vec<(Duration, Vec<u8>)>,
    },
    /// Read the request, then close the socket without any response.
    DropBeforeHeaders,
    /// Send the chunks, then abort the connection before the terminating chunk.
    ChunksThenDrop {
        status: u16,
        headers: Vec<(String, String)>,
        chunks: Vec<(Duration, Vec<u8>)>,
    },
    /// Send the chunks, then keep the connection open and silent for `stall`;
    /// after that the body ends normally.
    ChunksThenStall {
        status: u16,
        headers: Vec<(String, String)>,
        chunks: Vec<(Duration, Vec<u8>)>,
        stall: Duration,
    },
    /// Send `before`, keep the connection open and silent until the test
    /// opens the gate, then send `after` and end the body normally.
    Held {
        status: u16,
        headers: Vec<(String, String)>,
        before: Vec<(Duration, Vec<u8>)>,
        gate: GateWait,
        after: Vec<(Duration, Vec<u8>)>,
    },
}

/// The fake Helicone gateway. Runs on its own thread with its own tokio
/// runtime; dropping it shuts it down.
pub struct FakeGateway {
    addr: SocketAddr,
    state: Arc<State>,
    shutdown: Option<oneshot::Sender<()>>,
    thread: Option<JoinHandle<()>>,
}

#[derive(Default)]
struct State {
    requests: Mutex<Vec<Recorded>>,
    scripts: Mutex<VecDeque<Script>>,
    stream_delay: Mutex<Duration>,
    in_flight: AtomicUsize,
    max_in_flight: AtomicUsize,
    upstream_calls: AtomicUsize,
    cache: Mutex<cache::Cache>,
    limiter: Mutex<ratelimit::RateLimiter>,
    /// What the fake Helicone logged (`rest.rs`).
    helicone: Mutex<helicone_store::Store>,
}

/// Lock, ignoring poisoning (a panicking test thread must not hide the cause).
fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

impl FakeGateway {
    /// Bind 127.0.0.1:0 and serve on a background thread.
    pub fn start() -> FakeGateway {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("fake gateway: bind");
        listener
            .set_nonblocking(true)
            .expect("fake gateway: set_nonblocking");
        let addr = listener.local_addr().expect("fake gateway: local_addr");
        let state = Arc::new(State::default());
        let (tx, rx) = oneshot::channel::<()>();
        let st = state.clone();
        let thread = std::thread::Builder::new()
            .name(format!("fake-gateway-{}", addr.port()))
            .spawn(move || {
                let rt = tokio::runtime::Builder::new_multi_thread()
                    .worker_threads(2)
                    .enable_all()
                    .build()
                    .expect("fake gateway: tokio runtime");
                rt.block_on(serve(listener, st, rx));
                rt.shutdown_timeout(Duration::from_millis(200));
            })
            .expect("fake gateway: spawn thread");
        FakeGateway {
            addr,
            state,
            shutdown: Some(tx),
            thread: Some(thread),
        }
    }

    /// `http://127.0.0.1:PORT`
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Every request received, in arrival order.
    pub fn requests(&self) -> Vec<Recorded> {
        lock(&self.state.requests).clone()
    }

    /// The most recent request; panics when there is none.
    pub fn last_request(&self) -> Recorded {
        lock(&self.state.requests)
            .last()
            .cloned()
            .expect("the fake Helicone gateway has received no request yet")
    }

    /// Queue a script for the next request that reaches the provider.
    pub fn push_script(&self, s: Script) {
        lock(&self.state.scripts).push_back(s);
    }

    /// Drop every queued script: later requests get the default answers.
    pub fn clear_scripts(&self) {
        lock(&self.state.scripts).clear();
    }

    /// Delay between the events of default SSE streams (default 0).
    pub fn set_stream_delay(&self, d: Duration) {
        *lock(&self.state.stream_delay) = d;
    }

    /// The highest number of requests handled at once (from arrival until the
    /// response body is finished or dropped).
    pub fn max_in_flight(&self) -> usize {
        self.state.max_in_flight.load(Ordering::SeqCst)
    }

    /// How many requests reached the provider (not cache HITs, not Helicone
    /// 429s, not gateway/auth rejections, not REST calls).
    pub fn upstream_calls(&self) -> usize {
        self.state.upstream_calls.load(Ordering::SeqCst)
    }

    /// The number of requests being handled right now.
    pub fn in_flight(&self) -> usize {
        self.state.in_flight.load(Ordering::SeqCst)
    }

    /// Block until `n` requests in all have arrived (hang-guarded).
    pub fn wait_for_requests(&self, n: usize) {
        wait_until(&format!("{n} requests at the fake gateway"), || {
            lock(&self.state.requests).len() >= n
        });
    }

    /// Block until exactly `n` requests are being handled (hang-guarded).
    pub fn wait_for_in_flight(&self, n: usize) {
        wait_until(&format!("{n} requests in flight at once"), || {
            self.in_flight() == n
        });
    }

    /// Cache entries written from now on are seen by reads only after `d`
    /// (Cloudflare KV propagation, docs/helicone.md §4.1).
    pub fn set_cache_propagation(&self, d: Duration) {
        lock(&self.state.cache).set_propagation(d);
    }

    /// Every cache entry written so far becomes visible to reads now.
    pub fn show_cache(&self) {
        lock(&self.state.cache).show_all();
    }

    /// Requests logged from now on become visible to the REST API only
    /// after `lag` (Helicone's asynchronous ingestion).
    pub fn set_ingest_lag(&self, lag: Duration) {
        lock(&self.state.helicone).set_lag(lag);
    }

    /// Everything the fake Helicone logged, visible or not.
    pub fn helicone_records(&self) -> Vec<helicone_store::Stored> {
        lock(&self.state.helicone).all()
    }
}

impl Drop for FakeGateway {
    fn drop(&mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

async fn serve(
    listener: std::net::TcpListener,
    state: Arc<State>,
    mut stop: oneshot::Receiver<()>,
) {
    let listener = tokio::net::TcpListener::from_std(listener).expect("fake gateway: listener");
    loop {
        tokio::select! {
            _ = &mut stop => break,
            accepted = listener.accept() => {
                let Ok((stream, _)) = accepted else { continue };
                let _ = stream.set_nodelay(true);
                let state = state.clone();
                tokio::spawn(async move {
                    let svc = service_fn(move |req| handle(state.clone(), req));
                    let _ = http1::Builder::new()
                        .timer(TokioTimer::new())
                        .serve_connection(TokioIo::new(stream), svc)
                        .await;
                });
            }
        }
    }
}

/// Returned by the service to make hyper close the connection unanswered.
#[derive(Debug)]
struct DropConnection;

impl std::fmt::Display for DropConnection {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("fake gateway: scripted drop before headers")
    }
}

impl std::error::Error for DropConnection {}

type Body = UnsyncBoxBody<Bytes, io::Error>;

/// Counts a request as in flight while alive.
struct InFlight(Arc<State>);

impl InFlight {
    fn enter(state: &Arc<State>) -> InFlight {
        let n = state.in_flight.fetch_add(1, Ordering::SeqCst) + 1;
        state.max_in_flight.fetch_max(n, Ordering::SeqCst);
        InFlight(state.clone())
    }
}

impl Drop for InFlight {
    fn drop(&mut self) {
        self.0.in_flight.fetch_sub(1, Ordering::SeqCst);
    }
}

/// One step of a response body.
enum Step {
    Data(Duration, Bytes),
    /// Abort the connection after the delay.
    Fail(Duration),
    /// Stay silent, then go on.
    Stall(Duration),
    /// Stay silent until the test opens the gate.
    Wait(GateWait),
}

type OnEnd = Box<dyn FnOnce(Vec<Bytes>) + Send>;

/// A response to send.
struct Reply {
    status: u16,
    headers: Vec<(String, String)>,
    steps: Vec<Step>,
    /// Send a Content-Length (whole body known) instead of chunked encoding.
    content_length: bool,
    /// Called with the sent chunks when the body completes normally.
    on_end: Option<OnEnd>,
}

impl Reply {
    fn full(status: u16, headers: Vec<(String, String)>, body: impl Into<Bytes>) -> Reply {
        let body = body.into();
        Reply {
            status,
            headers,
            steps: vec![Step::Data(Duration::ZERO, body)],
            content_length: true,
            on_end: None,
        }
    }

    fn text(status: u16, body: &str) -> Reply {
        Reply::full(
            status,
            vec![("content-type".into(), "text/plain;charset=UTF-8".into())],
            body.to_string(),
        )
    }

    fn json(status: u16, body: &Value) -> Reply {
        Reply::full(
            status,
            vec![(
                "content-type".into(),
                "application/json; charset=utf-8".into(),
            )],
            body.to_string(),
        )
    }

    fn has_header(&self, name: &str) -> bool {
        self.headers
            .iter()
            .any(|(n, _)| n.eq_ignore_ascii_case(name))
    }

    fn add_if_missing(&mut self, name: &str, value: &str) {
        if !self.has_header(name) {
            self.headers.push((name.to_string(), value.to_string()));
        }
    }

    fn into_response(self, guard: InFlight) -> Response<Body> {
        let status = hyper::StatusCode::from_u16(self.status)
            .unwrap_or_else(|_| panic!("fake gateway: invalid status {}", self.status));
        let mut builder = Response::builder().status(status);
        for (n, v) in &self.headers {
            builder = builder.header(n.as_str(), v.as_str());
        }
        if self.content_length
            && !self.has_header("content-length")
            && status != hyper::StatusCode::NO_CONTENT
            && status != hyper::StatusCode::NOT_MODIFIED
        {
            let len: usize = self
                .steps
                .iter()
                .map(|s| match s {
                    Step::Data(_, b) => b.len(),
                    _ => 0,
                })
                .sum();
            builder = builder.header("content-length", len.to_string());
        }
        let plan = Plan {
            steps: self.steps.into(),
            on_end: self.on_end,
            sent: Vec::new(),
            _guard: guard,
        };
        let stream = futures_util::stream::unfold(plan, next_frame);
        builder
            .body(BodyExt::boxed_unsync(StreamBody::new(stream)))
            .expect("fake gateway: invalid response header")
    }
}

struct Plan {
    steps: VecDeque<Step>,
    on_end: Option<OnEnd>,
    sent: Vec<Bytes>,
    _guard: InFlight,
}

async fn pause(d: Duration) {
    if d.is_zero() {
        tokio::task::yield_now().await;
    } else {
        tokio::time::sleep(d).await;
    }
}

async fn next_frame(mut plan: Plan) -> Option<(Result<Frame<Bytes>, io::Error>, Plan)> {
    while let Some(step) = plan.steps.pop_front() {
        match step {
            Step::Data(d, b) => {
                if !plan.sent.is_empty() || !d.is_zero() {
                    pause(d).await;
                }
                if b.is_empty() {
                    continue;
                }
                plan.sent.push(b.clone());
                return Some((Ok(Frame::data(b)), plan));
            }
            Step::Fail(d) => {
                pause(d).await;
                plan.steps.clear();
                plan.on_end = None;
                let err = io::Error::other("fake gateway: scripted drop mid-body");
                return Some((Err(err), plan));
            }
            Step::Stall(d) => tokio::time::sleep(d).await,
            Step::Wait(gate) => gate.wait().await,
        }
    }
    if let Some(f) = plan.on_end.take() {
        f(std::mem::take(&mut plan.sent));
    }
    None
}

async fn handle(
    state: Arc<State>,
    req: Request<Incoming>,
) -> Result<Response<Body>, DropConnection> {
    let guard = InFlight::enter(&state);
    let (parts, incoming) = req.into_parts();
    let body = incoming
        .collect()
        .await
        .map(|c| c.to_bytes())
        .unwrap_or_default();
    let rec = Recorded {
        method: parts.method.as_str().to_string(),
        path: parts.uri.path().to_string(),
        query: parts.uri.query().map(str::to_string),
        headers: parts
            .headers
            .iter()
            .map(|(n, v)| {
                (
                    n.as_str().to_ascii_lowercase(),
                    String::from_utf8_lossy(v.as_bytes()).into_owned(),
                )
            })
            .collect(),
        body: body.to_vec(),
        at: Instant::now(),
    };
    lock(&state.requests).push(rec.clone());
    match dispatch(&state, &rec).await {
        Some(reply) => Ok(reply.into_response(guard)),
        None => Err(DropConnection),
    }
}

/// Whether `key` looks like a Helicone API key.
fn is_helicone_key(key: &str) -> bool {
    key.starts_with("sk-helicone-") || key.starts_with("pk-helicone-")
}

fn bearer(v: &str) -> &str {
    v.strip_prefix("Bearer ")
        .or_else(|| v.strip_prefix("bearer "))
        .unwrap_or(v)
        .trim()
}

/// Helicone's request-id regex (docs/helicone.md §2.1)
/// `^[0-9a-f]{8}-[0-9a-f]{4}-[1-5][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`.
pub fn is_valid_request_id(id: &str) -> bool {
    let b = id.as_bytes();
    b.len() == 36
        && b.iter().enumerate().all(|(i, &c)| match i {
            8 | 13 | 18 | 23 => c == b'-',
            14 => (b'1'..=b'5').contains(&c),
            19 => matches!(c, b'8' | b'9' | b'a' | b'b'),
            _ => c.is_ascii_digit() || (b'a'..=b'f').contains(&c),
        })
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    /// Legacy per-provider proxy (oai./anthropic./... .helicone.ai).
    Proxy,
    /// `gateway.helicone.ai`, emulated under `/gateway`.
    Gateway,
    /// `ai-gateway.helicone.ai`, emulated under `/ai-gateway`.
    AiGateway,
}

fn strip_mode<'a>(path: &'a str, prefix: &str) -> Option<&'a str> {
    let rest = path.strip_prefix(prefix)?;
    if rest.is_empty() {
        Some("/")
    } else if rest.starts_with('/') {
        Some(rest)
    } else {
        None
    }
}

fn pop_script(state: &State) -> Option<Script> {
    lock(&state.scripts).pop_front()
}

/// Turn a script into a reply; None = drop the connection.
async fn run_script(mut script: Script) -> Option<Reply> {
    loop {
        match script {
            Script::DelayThen(d, inner) => {
                tokio::time::sleep(d).await;
                script = *inner;
            }
            Script::Await(gate, inner) => {
                gate.wait().await;
                script = *inner;
            }
            _ => break,
        }
    }
    let chunked = |status, headers, chunks: Vec<(Duration, Vec<u8>)>, tail: Option<Step>| {
        let mut steps: Vec<Step> = chunks
            .into_iter()
            .map(|(d, c)| Step::Data(d, Bytes::from(c)))
            .collect();
        steps.extend(tail);
        Reply {
            status,
            headers,
            steps,
            content_length: false,
            on_end: None,
        }
    };
    match script {
        Script::Respond {
            status,
            headers,
            body,
        } => Some(Reply::full(status, headers, body)),
        Script::DelayThen(..) | Script::Await(..) => unreachable!("unwrapped above"),
        Script::DropBeforeHeaders => None,
        Script::Chunks {
            status,
            headers,
            chunks,
        } => Some(chunked(status, headers, chunks, None)),
        Script::ChunksThenDrop {
            status,
            headers,
            chunks,
        } => Some(chunked(
            status,
            headers,
            chunks,
            Some(Step::Fail(Duration::from_millis(10))),
        )),
        Script::ChunksThenStall {
            status,
            headers,
            chunks,
            stall,
        } => Some(chunked(status, headers, chunks, Some(Step::Stall(stall)))),
        Script::Held {
            status,
            headers,
            before,
            gate,
            after,
        } => {
            let mut reply = chunked(status, headers, before, Some(Step::Wait(gate)));
            reply.steps.extend(
                after
                    .into_iter()
                    .map(|(d, c)| Step::Data(d, Bytes::from(c))),
            );
            Some(reply)
        }
    }
}

fn header_is_true(rec: &Recorded, name: &str) -> bool {
    rec.header(name)
        .is_some_and(|v| v.trim().eq_ignore_ascii_case("true"))
}

/// The Helicone key a legacy-proxy request authenticates with:
/// `Helicone-Auth: Bearer <key>`, else `Authorization`, else `x-api-key`.
fn proxy_key(rec: &Recorded) -> Option<&str> {
    if let Some(h) = rec.header("helicone-auth") {
        return h.strip_prefix("Bearer ").map(str::trim);
    }
    rec.header("authorization")
        .map(bearer)
        .or_else(|| rec.header("x-api-key").map(str::trim))
}

/// Without a `Helicone-Auth` header, the first path segment starting with
/// `sk-helicone`/`pk-helicone` is removed from the path and used as the key.
fn strip_path_key(rec: &Recorded) -> (String, Option<String>) {
    if rec.header("helicone-auth").is_none() {
        let segs: Vec<&str> = rec.path.split('/').collect();
        if let Some(i) = segs
            .iter()
            .position(|s| s.starts_with("sk-helicone") || s.starts_with("pk-helicone"))
        {
            let key = segs[i].to_string();
            let rest: Vec<&str> = segs
                .iter()
                .enumerate()
                .filter(|(j, _)| *j != i)
                .map(|(_, s)| *s)
                .collect();
            return (rest.join("/"), Some(key));
        }
    }
    (rec.path.clone(), None)
}

async fn dispatch(state: &Arc<State>, rec: &Recorded) -> Option<Reply> {
    if rest::is_rest(rec) {
        return match pop_script(state) {
            Some(s) => run_script(s).await,
            None => Some(rest::answer(state, rec)),
        };
    }

    // A Helicone key as a path segment stands for `Helicone-Auth` (§1.1).
    let (path, path_key) = strip_path_key(rec);
    let path = path.as_str();
    let (mode, inner) = if let Some(rest) = strip_mode(path, "/ai-gateway") {
        (Mode::AiGateway, rest)
    } else if let Some(rest) = strip_mode(path, "/gateway") {
        (Mode::Gateway, rest)
    } else {
        (Mode::Proxy, path)
    };

    // Gateway / AI-gateway checks (worker errors: no Helicone headers).
    let mut ai_model: Option<(String, String)> = None;
    // Whom Helicone logs for: an unknown key is proxied, never logged.
    let known: Option<helicone_store::KeyInfo>;
    let authenticated = match mode {
        Mode::Gateway => {
            if rec.header("helicone-target-url").is_none()
                && rec.header("helicone-fallbacks").is_none()
            {
                return Some(Reply::text(400, "Missing target base url"));
            }
            known = path_key
                .as_deref()
                .or_else(|| proxy_key(rec))
                .and_then(helicone_store::key_info);
            known.is_some()
        }
        Mode::Proxy => {
            known = path_key
                .as_deref()
                .or_else(|| proxy_key(rec))
                .and_then(helicone_store::key_info);
            known.is_some()
        }
        Mode::AiGateway => {
            if rec.method == "GET" && (inner == "/v1/models" || inner == "/models") {
                return Some(Reply::json(
                    200,
                    &json!({"object": "list", "data": [
                        {"id": "gpt-4o-mini", "object": "model", "created": 0, "owned_by": "openai"},
                        {"id": "claude-3-5-haiku-20241022", "object": "model", "created": 0, "owned_by": "anthropic"}
                    ]}),
                ));
            }
            if rec.method != "POST" {
                return Some(Reply::text(405, "Method not allowed"));
            }
            let key = rec
                .header("authorization")
                .or_else(|| rec.header("x-api-key"))
                .or_else(|| rec.header("api-key"));
            let Some(key) = key else {
                return Some(Reply::text(401, "Invalid Helicone API key (hshed)"));
            };
            if !is_helicone_key(bearer(key)) {
                return Some(Reply::text(401, "Invalid Helicone API key"));
            }
            known = helicone_store::key_info(bearer(key));
            let Ok(body) = serde_json::from_slice::<Value>(&rec.body) else {
                return Some(Reply::text(400, "Invalid request body"));
            };
            let Some(model) = body.get("model").and_then(Value::as_str) else {
                return Some(Reply::text(400, "Missing model in request body"));
            };
            let first = model.split(',').next().unwrap_or_default().trim();
            let mut it = first.split('/');
            let m = it.next().unwrap_or_default().to_string();
            let p = it.next().unwrap_or("openai").to_string();
            ai_model = Some((m, p));
            true
        }
    };

    let helicone_id = match rec.header("helicone-request-id") {
        Some(id) if is_valid_request_id(id) => id.to_string(),
        _ => uuid::Uuid::new_v4().to_string(),
    };
    let mut helicone_headers: Vec<(String, String)> = Vec::new();

    // Cache read (§4.1).
    let enabled = header_is_true(rec, "helicone-cache-enabled");
    let cache_read = enabled || header_is_true(rec, "helicone-cache-read");
    let cache_save = enabled || header_is_true(rec, "helicone-cache-save");
    let mut slot_keys: Vec<String> = Vec::new();
    if cache_read || cache_save {
        let size = rec
            .header("helicone-cache-bucket-max-size")
            .and_then(|v| v.trim().parse::<u64>().ok())
            .unwrap_or(1)
            .max(1);
        if size > cache::MAX_BUCKET {
            return Some(Reply::text(
                500,
                "Cache bucket size cannot be greater than 20",
            ));
        }
        if authenticated {
            let url = match &rec.query {
                Some(q) => format!("{path}?{q}"),
                None => path.to_string(),
            };
            let seed = rec.header("helicone-cache-seed").unwrap_or_default();
            let keyed = cache::keyed_headers(&rec.headers);
            slot_keys = (0..size)
                .map(|i| cache::key(seed, &url, &rec.body, &keyed, i))
                .collect();
        }
    }
    if cache_read && authenticated {
        let found: Option<Vec<cache::Entry>> = {
            let mut c = lock(&state.cache);
            slot_keys.iter().map(|k| c.get(k)).collect()
        };
        if let Some(entries) = found {
            let idx = (uuid::Uuid::new_v4().as_u128() % entries.len() as u128) as usize;
            let entry = &entries[idx];
            let mut reply = Reply {
                status: 200,
                headers: entry.headers.clone(),
                steps: vec![Step::Data(Duration::ZERO, entry.body.concat().into())],
                content_length: false,
                on_end: None,
            };
            reply.headers.extend([
                ("helicone-cache".to_string(), "HIT".to_string()),
                ("helicone-cache-bucket-idx".to_string(), idx.to_string()),
                (
                    "helicone-cache-latency".to_string(),
                    entry.latency_ms.to_string(),
                ),
                ("helicone-id".to_string(), helicone_id.clone()),
                ("helicone-status".to_string(), "success".to_string()),
            ]);
            rest::log_reply(
                state,
                rec,
                inner,
                known,
                &helicone_id,
                &mut reply,
                Instant::now(),
            );
            return Some(reply);
        }
    }
    if cache_read {
        helicone_headers.push(("helicone-cache".into(), "MISS".into()));
    }

    // Rate limit (§4.3); fail open on anything invalid.
    if authenticated
        && let Some(policy) = rec
            .header("helicone-ratelimit-policy")
            .and_then(ratelimit::parse)
    {
        let segment_key = match policy.segment.as_deref().map(str::to_ascii_lowercase) {
            None => Some("global".to_string()),
            Some(s) if s == "user" => rec.header("helicone-user-id").map(|u| format!("user:{u}")),
            Some(prop) => rec
                .header(&format!("helicone-property-{prop}"))
                .map(|v| format!("prop:{prop}:{v}")),
        };
        if let Some(segment_key) = segment_key {
            let decision = lock(&state.limiter).check(&policy, &segment_key);
            if !decision.allowed {
                let mut reply = if let Some((m, p)) = &ai_model {
                    // The AI gateway re-wraps the 429 and loses the RateLimit headers.
                    Reply::json(
                        429,
                        &json!({"success": false, "error": {
                            "code": "rate_limited",
                            "message": "Rate limited",
                            "details": [{"source": format!("{m}/{p}/byok"), "type": "rate_limited",
                                         "message": serde_json::from_str::<Value>(RATE_LIMITED_BODY).ok().and_then(|v| v["message"].as_str().map(str::to_string)),
                                         "statusCode": 429}],
                            "param": null
                        }}),
                    )
                } else {
                    let mut r = Reply::full(
                        429,
                        vec![
                            (
                                "content-type".into(),
                                "application/json;charset=UTF-8".into(),
                            ),
                            ("x-helicone-error".into(), "rate_limited".into()),
                        ],
                        RATE_LIMITED_BODY,
                    );
                    r.headers.extend(decision.headers);
                    r
                };
                reply.headers.extend(helicone_headers);
                reply
                    .headers
                    .push(("helicone-id".into(), helicone_id.clone()));
                reply
                    .headers
                    .push(("helicone-status".into(), "success".into()));
                rest::log_reply(
                    state,
                    rec,
                    inner,
                    known,
                    &helicone_id,
                    &mut reply,
                    Instant::now(),
                );
                return Some(reply);
            }
            helicone_headers.extend(decision.headers);
        }
    }

    // The provider.
    state.upstream_calls.fetch_add(1, Ordering::SeqCst);
    let started = Instant::now();
    let mut reply = match pop_script(state) {
        Some(s) => run_script(s).await?,
        None => default_answer(
            state,
            mode,
            inner,
            rec,
            ai_model.as_ref().map(|(m, _)| m.clone()),
        ),
    };

    if authenticated && cache_save && reply.status == 200 {
        let stored_headers: Vec<(String, String)> = reply
            .headers
            .iter()
            .filter(|(n, _)| !n.to_ascii_lowercase().starts_with("helicone-"))
            .cloned()
            .collect();
        let ttl = cache::ttl(rec.header("cache-control"));
        let st = state.clone();
        let store: OnEnd = Box::new(move |chunks| {
            let latency = started.elapsed().as_millis();
            lock(&st.cache).store_first_free(&slot_keys, stored_headers, latency, chunks, ttl);
        });
        if reply.content_length {
            // A whole body is known now; hyper may not poll a sized body to its
            // end, so store before answering.
            let chunks = reply
                .steps
                .iter()
                .filter_map(|s| match s {
                    Step::Data(_, b) if !b.is_empty() => Some(b.clone()),
                    _ => None,
                })
                .collect();
            store(chunks);
        } else {
            // Streams are stored when their last chunk has been handed to hyper,
            // before the terminating chunk goes out.
            reply.on_end = Some(store);
        }
    }

    rest::log_reply(state, rec, inner, known, &helicone_id, &mut reply, started);
    reply.add_if_missing("helicone-id", &helicone_id);
    reply.add_if_missing("helicone-status", "success");
    for (n, v) in helicone_headers {
        reply.add_if_missing(&n, &v);
    }
    if let Some((m, p)) = ai_model {
        reply.add_if_missing("helicone-gateway-mode", "BYOK");
        reply.add_if_missing("helicone-provider", &p);
        reply.add_if_missing("helicone-model", &m);
    }
    Some(reply)
}

/// The default provider answer for `inner` (the path without gateway prefix).
fn default_answer(
    state: &State,
    mode: Mode,
    inner: &str,
    rec: &Recorded,
    ai_model: Option<String>,
) -> Reply {
    let format = if mode == Mode::AiGateway {
        Some(Format::OpenAi)
    } else {
        formats::detect(inner)
    };
    let list = (rec.method == "GET")
        .then(|| formats::model_list(inner, rec.query.as_deref(), |n| rec.header(n)))
        .flatten();
    let answer = match (list, format) {
        (Some(list), _) => list,
        (None, format) => match format {
            Some(f) => formats::answer(
                f,
                inner,
                &rec.body,
                &formats::Options {
                    query: rec.query.as_deref(),
                    force_include_usage: mode == Mode::AiGateway,
                    model_override: ai_model,
                    headers: &rec.headers,
                },
            ),
            None => formats::unknown_path(&rec.method, inner),
        },
    };
    let delay = *lock(&state.stream_delay);
    Reply {
        status: answer.status,
        headers: answer.headers,
        steps: answer
            .chunks
            .into_iter()
            .enumerate()
            .map(|(i, c)| Step::Data(if i == 0 { Duration::ZERO } else { delay }, c))
            .collect(),
        content_length: !answer.streamed,
        on_end: None,
    }
}

/// An OpenAI chat completion whose answer is `text` (3 prompt tokens, 2
/// completion tokens).
pub fn openai_answer(text: &str) -> String {
    serde_json::json!({
        "id": "chatcmpl-test",
        "object": "chat.completion",
        "model": "gpt-4o-mini",
        "choices": [{"index": 0, "message": {"role": "assistant", "content": text}, "finish_reason": "stop"}],
        "usage": {"prompt_tokens": 3, "completion_tokens": 2, "total_tokens": 5}
    })
    .to_string()
}

/// A 200 with [`openai_answer`].
pub fn ok_script(text: &str) -> Script {
    Script::Respond {
        status: 200,
        headers: vec![("content-type".into(), "application/json".into())],
        body: openai_answer(text),
    }
}
