//! Error mapping (exit codes and messages) and validation before sending.

use std::time::Duration;

use crate::support::hcl::{Hcl, assert_stderr_has, assert_stderr_lacks, stderr, stdout};
use crate::support::{FakeGateway, Gate, Script};

fn json_headers() -> Vec<(String, String)> {
    vec![("content-type".into(), "application/json".into())]
}

/// Run a chat against a scripted answer; return (exit code, stderr, last record).
fn chat_with(script: Script, extra: &[&str]) -> (i32, String, serde_json::Value) {
    let gw = FakeGateway::start();
    gw.push_script(script);
    let hcl = Hcl::with_gateway(&gw);
    let out = hcl
        .cmd()
        .args(["chat"])
        .args(extra)
        .arg("hi")
        .output()
        .unwrap();
    let rec = hcl.last_record();
    hcl.assert_log_has_no_keys();
    (out.status.code().unwrap(), stderr(&out), rec)
}

#[test]
fn provider_json_errors_map_to_exit_codes() {
    let cases = [
        (
            400,
            r#"{"error":{"message":"Invalid 'model'","type":"invalid_request_error"}}"#,
            1,
            "Invalid 'model'",
        ),
        (
            401,
            r#"{"error":{"message":"Incorrect API key provided","type":"invalid_request_error"}}"#,
            5,
            "Incorrect API key provided",
        ),
        (
            403,
            r#"{"error":{"message":"Country not supported","type":"permission_error"}}"#,
            5,
            "Country not supported",
        ),
        (
            429,
            r#"{"error":{"message":"Rate limit reached for gpt-4o-mini","type":"requests"}}"#,
            4,
            "Rate limit reached",
        ),
        (
            500,
            r#"{"error":{"message":"The server had an error","type":"server_error"}}"#,
            1,
            "The server had an error",
        ),
        (
            529,
            r#"{"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}"#,
            1,
            "Overloaded",
        ),
    ];
    for (status, body, code, needle) in cases {
        let (got, err, rec) = chat_with(
            Script::Respond {
                status,
                headers: json_headers(),
                body: body.into(),
            },
            &[],
        );
        assert_eq!(got, code, "status {status}: {err}");
        assert!(err.contains(needle), "status {status}: {err}");
        assert!(
            err.contains(&status.to_string()),
            "the status is named: {err}"
        );
        assert_eq!(err.trim().lines().count(), 1, "one line: {err}");
        assert_eq!(rec["response"]["status"], status);
        assert!(
            rec["error"].as_str().unwrap().contains(needle),
            "the error is logged"
        );
    }
}

#[test]
fn helicone_rate_limit_names_the_policy_and_exits_4() {
    let gw = FakeGateway::start();
    let hcl = Hcl::with_gateway(&gw);
    let ok = hcl
        .cmd()
        .args(["chat", "--rate-limit", "1;w=60", "one"])
        .output()
        .unwrap();
    assert!(ok.status.success(), "{}", stderr(&ok));
    let out = hcl
        .cmd()
        .args(["chat", "--rate-limit", "1;w=60", "two"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(4), "{}", stderr(&out));
    assert_stderr_has(&out, "Helicone's rate-limit policy stopped this request");
    assert_stderr_has(&out, "limit 1");
    assert_stderr_has(&out, "0 remaining");
    assert_stderr_has(&out, "resets in");
    let rec = hcl.last_record();
    assert_eq!(rec["response"]["status"], 429);
    assert_eq!(rec["helicone"]["error"], "rate_limited");
    assert_eq!(rec["helicone"]["rate_limit"]["limit"], "1");
}

#[test]
fn html_and_malformed_bodies() {
    let (code, err, _) = chat_with(
        Script::Respond {
            status: 502,
            headers: vec![("content-type".into(), "text/html".into())],
            body: "<html><head><title>502 Bad Gateway</title></head><body>cloudflare</body></html>"
                .into(),
        },
        &[],
    );
    assert_eq!(code, 1, "{err}");
    assert!(
        err.contains("502") && err.contains("502 Bad Gateway"),
        "{err}"
    );
    let (code, err, rec) = chat_with(
        Script::Respond {
            status: 200,
            headers: json_headers(),
            body: "{\"choices\": [".into(),
        },
        &[],
    );
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("could not read"), "{err}");
    assert_eq!(rec["response"]["status"], 200);
}

#[test]
fn network_failures_name_the_layer_and_exit_3() {
    // Connection refused: a port nobody listens on.
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = closed.local_addr().unwrap().port();
    drop(closed);
    let hcl = Hcl::new();
    let out = hcl
        .cmd()
        .args([
            "chat",
            "--base-url",
            &format!("http://127.0.0.1:{port}"),
            "hi",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(3));
    assert_stderr_has(&out, "could not connect");
    assert!(
        hcl.last_record()["error"]
            .as_str()
            .unwrap()
            .contains("could not connect"),
        "failures are logged"
    );

    // DNS: a name that cannot resolve.
    let out = hcl
        .cmd()
        .args(["chat", "--base-url", "http://hcl-test.invalid", "hi"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(3));
    assert_stderr_has(&out, "DNS");

    // TLS: https:// against a plain-HTTP server.
    let gw = FakeGateway::start();
    let tls_url = gw.url().replace("http://", "https://");
    let out = hcl
        .cmd()
        .args(["chat", "--base-url", &tls_url, "hi"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(3));
    assert_stderr_has(&out, "TLS");

    // Proxy: a proxy that refuses connections.
    let out = hcl
        .cmd()
        .env("HTTP_PROXY", format!("http://127.0.0.1:{port}"))
        .args(["chat", "--base-url", &gw.url(), "hi"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(3));
    assert_stderr_has(&out, "proxy");
    // NO_PROXY lets the same request through.
    let out = hcl
        .cmd()
        .env("HTTP_PROXY", format!("http://127.0.0.1:{port}"))
        .env("NO_PROXY", "127.0.0.1")
        .args(["chat", "--base-url", &gw.url(), "hi"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));

    // Timeout: headers held back longer than --timeout.
    gw.push_script(Script::DelayThen(
        Duration::from_secs(3),
        Box::new(Script::Respond {
            status: 200,
            headers: vec![],
            body: "{}".into(),
        }),
    ));
    let out = hcl
        .cmd()
        .args(["chat", "--base-url", &gw.url(), "--timeout", "0.3", "hi"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(3));
    assert_stderr_has(&out, "timed out");

    // The connection closed before any response.
    gw.push_script(Script::DropBeforeHeaders);
    let out = hcl
        .cmd()
        .args(["chat", "--base-url", &gw.url(), "hi"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(3), "{}", stderr(&out));
    assert_stderr_lacks(&out, "panicked");
}

/// Each invalid input exits 2 with a message naming the problem, and
/// nothing reaches the gateway.
#[test]
fn validation_happens_before_anything_is_sent() {
    let gw = FakeGateway::start();
    let hcl = Hcl::with_gateway(&gw);
    let cases: &[(&[&str], &str)] = &[
        (&["-p", "bad name=x"], "not a valid header name"),
        (&["-p", "novalue"], "KEY=VALUE"),
        (&["-p", "k=line\nbreak"], "line feed"),
        (&["-p", "k=a\rb"], "carriage return"),
        (&["-H", "X-Thing"], "Name: value"),
        (&["--rate-limit", "abc"], "invalid --rate-limit"),
        (&["--rate-limit", "10;w=30"], "between 60 and 31536000"),
        (&["--rate-limit", "10;w=60;u=tokens"], "request or cents"),
        (&["--rate-limit", "0;w=60"], "greater than 0"),
        (&["--rate-limit", "10;w=60;s=user"], "--user"),
        (&["--rate-limit", "10;w=60;s=team"], "--property team=VALUE"),
        (&["--cache", "--cache-bucket", "0"], "1 to 20"),
        (&["--cache", "--cache-bucket", "21"], "1 to 20"),
        (&["--cache", "--cache-ttl", "31536001"], "365 days"),
        (&["--request-id", "not-a-uuid"], "UUID v1-v5"),
        (
            &["--request-id", "123e4567-e89b-62d3-a456-426614174000"],
            "UUID v1-v5",
        ),
        (&["--session-path", "no-slash"], "must start with '/'"),
        (&["--retry-num", "0"], "at least 1"),
        (&["--temperature", "-1"], "--temperature"),
        (&["-P", "azure"], "--model"),
        (&["-P", "gateway", "--format", "openai"], "--target-url"),
        (
            &["-P", "gateway", "--target-url", "https://api.groq.com"],
            "--format",
        ),
        (
            &["-P", "openai", "--format", "gemini"],
            "--format applies to -P gateway",
        ),
        (&["--base-url", "ftp://x"], "http:// or https://"),
        (&["--direct", "-P", "ai-gateway"], "--direct does not apply"),
        (&["--timeout", "0"], "positive number"),
    ];
    for (args, needle) in cases {
        let out = hcl
            .cmd()
            .arg("chat")
            .args(*args)
            .arg("hi")
            .output()
            .unwrap();
        let err = stderr(&out);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {err}");
        assert!(
            err.contains(needle),
            "{args:?}: expected '{needle}' in: {err}"
        );
        assert_eq!(err.trim().lines().count(), 1, "{args:?}: one line: {err}");
    }
    assert!(gw.requests().is_empty(), "nothing was sent");
    assert!(hcl.records().is_empty(), "nothing was logged");
}

#[test]
fn missing_keys_are_named() {
    let gw = FakeGateway::start();
    let hcl = Hcl::with_gateway(&gw)
        .env_remove("ANTHROPIC_API_KEY")
        .env_remove("HELICONE_API_KEY");
    let out = hcl
        .cmd()
        .args(["chat", "-P", "anthropic", "hi"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert_stderr_has(&out, "ANTHROPIC_API_KEY");
    let out = hcl.cmd().args(["chat", "hi"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert_stderr_has(&out, "HELICONE_API_KEY is not set");
    assert!(gw.requests().is_empty());
    // --direct needs no Helicone key and sends no Helicone header.
    let out = hcl
        .cmd()
        .args([
            "chat",
            "--direct",
            "--base-url",
            &gw.url(),
            "-p",
            "a=b",
            "hi",
        ])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert_stderr_has(&out, "ignored with --direct");
    let req = gw.last_request();
    assert!(
        req.headers.iter().all(|(k, _)| !k.starts_with("helicone-")),
        "{:?}",
        req.headers
    );
}

#[test]
fn a_key_that_is_not_a_helicone_key_is_flagged() {
    let gw = FakeGateway::start();
    let hcl = Hcl::with_gateway(&gw).env("HELICONE_API_KEY", "test-not-a-helicone-key");
    let out = hcl.cmd().args(["chat", "hi"]).output().unwrap();
    assert!(out.status.success());
    assert_stderr_has(&out, "does not look like a Helicone key");
}

#[test]
fn short_cache_ttl_warns_but_sends() {
    let gw = FakeGateway::start();
    let hcl = Hcl::with_gateway(&gw);
    let out = hcl
        .cmd()
        .args(["chat", "--cache", "--cache-ttl", "30", "hi"])
        .output()
        .unwrap();
    assert!(out.status.success());
    assert_stderr_has(&out, "under 60 seconds");
    assert_eq!(
        gw.last_request().header("cache-control"),
        Some("max-age=30")
    );
}

#[test]
fn helicone_headers_from_flags() {
    let gw = FakeGateway::start();
    let hcl = Hcl::with_gateway(&gw);
    let out = hcl
        .cmd()
        .args([
            "chat",
            "-p",
            "App=hcl",
            "-p",
            "env=ci",
            "-u",
            "alice",
            "--session",
            "s-1",
        ])
        .args([
            "--session-path",
            "/plan/step",
            "--session-name",
            "Planner",
            "--cache",
        ])
        .args([
            "--cache-ttl",
            "120",
            "--cache-bucket",
            "3",
            "--cache-seed",
            "v2",
            "--retry-num",
            "3",
        ])
        .args([
            "--retry-factor",
            "1.5",
            "--retry-min-timeout",
            "100",
            "--retry-max-timeout",
            "900",
        ])
        .args([
            "--rate-limit",
            "100;w=3600;s=user",
            "--omit-request",
            "--omit-response",
        ])
        .args([
            "--request-id",
            "123E4567-E89B-42D3-A456-426614174000",
            "-H",
            "X-Trace: abc",
        ])
        .arg("hi")
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let r = gw.last_request();
    let want = [
        ("helicone-property-app", "hcl"),
        ("helicone-property-env", "ci"),
        ("helicone-user-id", "alice"),
        ("helicone-session-id", "s-1"),
        ("helicone-session-path", "/plan/step"),
        ("helicone-session-name", "Planner"),
        ("helicone-cache-enabled", "true"),
        ("cache-control", "max-age=120"),
        ("helicone-cache-bucket-max-size", "3"),
        ("helicone-cache-seed", "v2"),
        ("helicone-retry-enabled", "true"),
        ("helicone-retry-num", "3"),
        ("helicone-retry-factor", "1.5"),
        ("helicone-retry-min-timeout", "100"),
        ("helicone-retry-max-timeout", "900"),
        ("helicone-ratelimit-policy", "100;w=3600;s=user"),
        ("helicone-omit-request", "true"),
        ("helicone-omit-response", "true"),
        (
            "helicone-request-id",
            "123e4567-e89b-42d3-a456-426614174000",
        ),
        ("x-trace", "abc"),
    ];
    for (k, v) in want {
        assert_eq!(r.header(k), Some(v), "{k}");
    }
    // Without --retry, no retry header at all: Helicone retries on mere presence.
    hcl.cmd().args(["chat", "hi"]).assert().success();
    assert!(
        gw.last_request()
            .headers
            .iter()
            .all(|(k, _)| !k.starts_with("helicone-retry"))
    );
}

#[test]
fn secret_headers_given_with_h_are_masked() {
    let gw = FakeGateway::start();
    let hcl = Hcl::with_gateway(&gw);
    let out = hcl
        .cmd()
        .args([
            "chat",
            "--dry-run",
            "-H",
            "x-api-key: test-user-SECRET-4242",
            "hi",
        ])
        .output()
        .unwrap();
    assert!(!stdout(&out).contains("test-user-SECRET-4242"));
    assert!(stdout(&out).contains("x-api-key: sha256:"));
    hcl.cmd()
        .args(["chat", "-H", "x-api-key: test-user-SECRET-4242", "hi"])
        .assert()
        .success();
    assert_eq!(
        gw.last_request().header("x-api-key"),
        Some("test-user-SECRET-4242")
    );
    assert!(!hcl.log_text().contains("test-user-SECRET-4242"));
}

#[test]
fn ai_gateway_rejects_a_bad_helicone_key_with_exit_5() {
    let gw = FakeGateway::start();
    let hcl = Hcl::with_gateway(&gw).env("HELICONE_API_KEY", "test-wrong-key");
    let out = hcl
        .cmd()
        .args(["chat", "-P", "ai-gateway", "hi"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(5), "{}", stderr(&out));
    assert_stderr_has(&out, "Invalid Helicone API key");
    assert_stderr_has(&out, "check HELICONE_API_KEY");
}

#[test]
fn gateway_without_target_is_refused_by_helicone_and_explained() {
    // hcl refuses this itself (exit 2); with the header stripped by a user
    // override, Helicone's own 400 is explained too.
    let gw = FakeGateway::start();
    let hcl = Hcl::with_gateway(&gw);
    let out = hcl
        .cmd()
        .args([
            "chat",
            "-P",
            "openai",
            "--base-url",
            &format!("{}/gateway", gw.url()),
            "hi",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert_stderr_has(&out, "Missing target base url");
    assert_stderr_has(&out, "--target-url");
}

#[cfg(unix)]
#[test]
fn ctrl_c_while_waiting_logs_the_request_and_exits_130() {
    let gw = FakeGateway::start();
    let gate = Gate::new();
    gw.push_script(Script::Await(
        gate.waiter(),
        Box::new(Script::Respond {
            status: 200,
            headers: vec![],
            body: "{}".into(),
        }),
    ));
    let hcl = Hcl::with_gateway(&gw);
    let run = hcl.spawn(&["chat", "slow one"]);
    gw.wait_for_requests(1);
    run.interrupt();
    let out = run.finish();
    // Ctrl-C does not wait for the answer: it is released only now.
    gate.open();
    assert_eq!(out.status.code(), Some(130), "{}", stderr(&out));
    let rec = hcl.last_record();
    assert_eq!(rec["error"], "interrupted");
    assert_eq!(rec["response"]["status"], serde_json::Value::Null);
}

#[test]
fn cacert_is_loaded_or_refused_clearly() {
    let gw = FakeGateway::start();
    let hcl = Hcl::with_gateway(&gw);
    let bogus = hcl.dir.path().join("bogus.pem");
    std::fs::write(&bogus, "not a certificate").unwrap();
    let out = hcl
        .cmd()
        .args(["chat", "--cacert"])
        .arg(&bogus)
        .arg("hi")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert_stderr_has(&out, "--cacert");
    let out = hcl
        .cmd()
        .args(["chat", "--cacert", "/nonexistent/ca.pem", "hi"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(gw.requests().is_empty());
    let bundle = std::path::Path::new("/etc/ssl/certs/ca-certificates.crt");
    if bundle.exists() {
        hcl.cmd()
            .args(["chat", "--cacert"])
            .arg(bundle)
            .arg("hi")
            .assert()
            .success();
    }
}
