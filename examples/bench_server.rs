//! A tiny, fast local HTTP server for benchmarks: answers every request with
//! one fixed OpenAI chat completion, after an optional delay.
//!
//! ```text
//! cargo run --release --example bench_server -- [PORT] [DELAY_MS]
//! ```
//! It prints `http://127.0.0.1:PORT` on stdout once it listens (PORT 0 picks
//! a free port) and serves until killed. It runs on one thread, so that a
//! client measured on the same machine keeps the other cores.

use std::convert::Infallible;
use std::io::Write;
use std::time::Duration;

use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper::{Request, Response};
use hyper_util::rt::TokioIo;

const ANSWER: &str = r#"{"id":"chatcmpl-bench","object":"chat.completion","created":0,"model":"gpt-4o-mini","choices":[{"index":0,"message":{"role":"assistant","content":"ok"},"finish_reason":"stop"}],"usage":{"prompt_tokens":5,"completion_tokens":1,"total_tokens":6}}"#;

async fn answer(
    req: Request<Incoming>,
    delay: Duration,
) -> Result<Response<Full<Bytes>>, Infallible> {
    // Read the whole request, as a real server would.
    let _ = req.into_body().collect().await;
    if !delay.is_zero() {
        tokio::time::sleep(delay).await;
    }
    let resp = Response::builder()
        .header("content-type", "application/json")
        .header("helicone-cache", "MISS")
        .body(Full::new(Bytes::from_static(ANSWER.as_bytes())))
        .unwrap_or_else(|_| Response::new(Full::new(Bytes::new())));
    Ok(resp)
}

fn main() -> std::io::Result<()> {
    let mut args = std::env::args().skip(1);
    let port: u16 = args.next().and_then(|a| a.parse().ok()).unwrap_or(0);
    let delay = Duration::from_millis(args.next().and_then(|a| a.parse().ok()).unwrap_or(0));
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    rt.block_on(async move {
        let listener = tokio::net::TcpListener::bind(("127.0.0.1", port)).await?;
        let addr = listener.local_addr()?;
        let mut out = std::io::stdout();
        writeln!(out, "http://{addr}")?;
        out.flush()?;
        loop {
            let (stream, _) = listener.accept().await?;
            let _ = stream.set_nodelay(true);
            tokio::spawn(async move {
                let svc = service_fn(move |req| answer(req, delay));
                let _ = http1::Builder::new()
                    .serve_connection(TokioIo::new(stream), svc)
                    .await;
            });
        }
    })
}
