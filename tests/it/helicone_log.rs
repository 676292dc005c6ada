//! Helicone's side of the log, end to end against the fake: `hcl log verify`
//! with every status, `hcl log push` filling the gaps once, `hcl log stats`,
//! `hcl feedback` and `hcl score`, and what `hcl auth check` says of each kind
//! of key.

use std::time::{Duration, SystemTime};

use serde_json::{Value, json};

use crate::support::FakeGateway;
use crate::support::hcl::{HELICONE_KEY, Hcl, stderr, stdout};
use crate::support::helicone_store::{EU_KEY, READ_ONLY_KEY, UNKNOWN_KEY, WRITE_ONLY_KEY, cost_of};

/// Every provider and Helicone's REST and logging APIs on the fake.
fn env(gw: &FakeGateway) -> Hcl {
    Hcl::with_gateway(gw)
        .env("HCL_HELICONE_API_BASE", &gw.url())
        .env("HCL_HELICONE_LOG_BASE", &gw.url())
}

/// Send one chat request; its log record.
fn chat(hcl: &Hcl, args: &[&str]) -> Value {
    chat_as(hcl, HELICONE_KEY, args)
}

/// Send one chat request with another Helicone key; its log record.
fn chat_as(hcl: &Hcl, key: &str, args: &[&str]) -> Value {
    let out = hcl
        .cmd()
        .env("HELICONE_API_KEY", key)
        .arg("chat")
        .args(args)
        .output()
        .unwrap();
    assert!(out.status.success(), "{args:?}: {}", stderr(&out));
    hcl.last_record()
}

/// Make records look `secs` older, by rewriting their `ts` in the log.
fn age(hcl: &Hcl, ids: &[&str], secs: u64) {
    let then =
        humantime::format_rfc3339_millis(SystemTime::now() - Duration::from_secs(secs)).to_string();
    let text = hcl.log_text();
    let lines: Vec<String> = text
        .lines()
        .map(|line| {
            let v: Value = serde_json::from_str(line).unwrap();
            let id = v["id"].as_str().unwrap();
            if ids.contains(&id) {
                let ts = v["ts"].as_str().unwrap();
                line.replacen(
                    &format!("\"ts\":\"{ts}\""),
                    &format!("\"ts\":\"{then}\""),
                    1,
                )
            } else {
                line.to_string()
            }
        })
        .collect();
    std::fs::write(hcl.log_path(), lines.join("\n") + "\n").unwrap();
}

fn id_of(r: &Value) -> String {
    r["id"].as_str().unwrap().to_string()
}

fn json_out(out: &std::process::Output) -> Value {
    serde_json::from_str(&stdout(out))
        .unwrap_or_else(|e| panic!("not JSON ({e}): {}\n{}", stdout(out), stderr(out)))
}

fn status_of(report: &Value, id: &str) -> String {
    report["requests"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["id"] == id)
        .unwrap_or_else(|| panic!("{id} not in {report}"))["status"]
        .as_str()
        .unwrap()
        .to_string()
}

/// The five situations of the issue, one request each: an omitted body
/// (logged), a key Helicone does not know (missing), a model override
/// (mismatch), `--direct` (direct) and ingestion lag (pending).
struct Five {
    logged: String,
    missing: String,
    mismatch: String,
    direct: String,
    pending: String,
}

fn five(gw: &FakeGateway, hcl: &Hcl) -> Five {
    let logged = id_of(&chat(
        hcl,
        &["--omit-response", "-p", "suite=five", "first"],
    ));
    let missing = id_of(&chat_as(hcl, UNKNOWN_KEY, &["-p", "suite=five", "second"]));
    let mismatch = id_of(&chat(
        hcl,
        &[
            "-H",
            "Helicone-Model-Override: gpt-4.1",
            "-p",
            "suite=five",
            "third",
        ],
    ));
    let direct = id_of(&chat(hcl, &["--direct", "--base-url", &gw.url(), "fourth"]));
    age(hcl, &[&logged, &missing, &mismatch, &direct], 3600);
    gw.set_ingest_lag(Duration::from_secs(3600));
    let pending = id_of(&chat(hcl, &["-p", "suite=five", "fifth"]));
    gw.set_ingest_lag(Duration::ZERO);
    Five {
        logged,
        missing,
        mismatch,
        direct,
        pending,
    }
}

#[test]
fn verify_reports_every_status() {
    let gw = FakeGateway::start();
    let hcl = env(&gw);
    let f = five(&gw, &hcl);
    let before = gw.requests().len();

    let out = hcl
        .cmd()
        .args(["log", "verify", "--all", "--json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let report = json_out(&out);
    assert_eq!(status_of(&report, &f.logged), "logged");
    assert_eq!(status_of(&report, &f.missing), "missing");
    assert_eq!(status_of(&report, &f.mismatch), "mismatch");
    assert_eq!(status_of(&report, &f.direct), "direct");
    assert_eq!(status_of(&report, &f.pending), "pending");
    assert_eq!(
        report["summary"],
        json!({"requests": 5, "logged": 1, "missing": 1, "pending": 1, "direct": 1, "mismatch": 1})
    );
    let rows = report["requests"].as_array().unwrap();
    let row = |id: &str| rows.iter().find(|r| r["id"] == id).unwrap();
    // The mismatch says which field.
    let m = row(&f.mismatch);
    assert_eq!(m["mismatches"][0]["field"], "model");
    assert_eq!(m["mismatches"][0]["helicone"], "gpt-4.1");
    assert!(m["detail"].as_str().unwrap().contains("model"), "{m}");
    // The omitted body is said; the cost and latency are Helicone's.
    let l = row(&f.logged);
    assert!(
        l["detail"].as_str().unwrap().contains("--omit-response"),
        "{l}"
    );
    let stored = gw
        .helicone_records()
        .into_iter()
        .find(|s| s.id == f.logged)
        .unwrap();
    assert_eq!(
        l["cost_usd"].as_f64().unwrap(),
        cost_of(stored.prompt_tokens, stored.completion_tokens)
    );
    assert_eq!(l["latency_ms"], stored.latency_ms);

    // One batched query for the four requests that went through Helicone,
    // every leaf wrapped; the direct one is not asked about.
    let asked: Vec<_> = gw.requests()[before..].to_vec();
    assert_eq!(asked.len(), 1, "{asked:?}");
    assert_eq!(asked[0].path, "/v1/request/query-clickhouse");
    let q = asked[0].body_str();
    assert_eq!(q.matches("\"request_response_rmt\"").count(), 5, "{q}");
    assert!(!q.contains(&f.direct));

    // --expect logged: exit 6, naming the missing and mismatched requests.
    let out = hcl
        .cmd()
        .args([
            "log",
            "verify",
            "--all",
            "--expect",
            "logged",
            "--junit",
            "verify.xml",
        ])
        .current_dir(hcl.dir.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(6), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(
        err.contains(&f.missing[..8]) && err.contains(&f.mismatch[..8]),
        "{err}"
    );
    assert!(
        !err.contains(&f.pending[..8]) && !err.contains(&f.logged[..8]),
        "{err}"
    );
    assert!(err.contains("hcl log push"), "{err}");
    let table = stdout(&out);
    assert!(table.contains("missing") && table.contains("$"), "{table}");
    assert!(
        table.contains("verified 5 requests: 1 logged, 1 missing, 1 pending, 1 direct, 1 mismatch")
    );

    // The JUnit report, parsed back.
    let xml = std::fs::read_to_string(hcl.dir.path().join("verify.xml")).unwrap();
    let doc = roxmltree::Document::parse(&xml).unwrap();
    let cases: Vec<_> = doc
        .descendants()
        .filter(|n| n.has_tag_name("testcase"))
        .collect();
    assert_eq!(cases.len(), 5);
    let suite = doc
        .descendants()
        .find(|n| n.has_tag_name("testsuite"))
        .unwrap();
    assert_eq!(suite.attribute("tests"), Some("5"));
    assert_eq!(suite.attribute("failures"), Some("2"));
    assert_eq!(suite.attribute("skipped"), Some("2"));
    // Each case is named by its prompt and carries the record id.
    let case = |id: &str| {
        cases
            .iter()
            .find(|c| {
                c.descendants().any(|p| {
                    p.has_tag_name("property")
                        && p.attribute("name") == Some("id")
                        && p.attribute("value") == Some(id)
                })
            })
            .unwrap()
    };
    let failure = case(&f.missing)
        .children()
        .find(|n| n.has_tag_name("failure"))
        .unwrap();
    assert!(failure.attribute("message").unwrap().starts_with("missing"));
    assert!(
        case(&f.missing)
            .attribute("name")
            .unwrap()
            .starts_with("second")
    );
    assert!(case(&f.logged).attribute("time").is_some());
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let meta = std::fs::metadata(hcl.dir.path().join("verify.xml")).unwrap();
        assert_eq!(meta.permissions().mode() & 0o777, 0o600);
    }
    assert_eq!(
        case(&f.logged).attribute("classname"),
        Some("openai/gpt-4o-mini")
    );
    assert!(
        case(&f.logged)
            .children()
            .all(|n| !n.has_tag_name("failure"))
    );
    assert!(
        case(&f.pending)
            .children()
            .any(|n| n.has_tag_name("skipped"))
    );

    // TSV: a header and one line per request.
    let out = hcl
        .cmd()
        .args(["log", "verify", "--all", "--format", "tsv"])
        .output()
        .unwrap();
    let tsv = stdout(&out);
    let lines: Vec<&str> = tsv.lines().collect();
    assert_eq!(lines.len(), 6, "{tsv}");
    assert!(lines[0].starts_with("id\ttime\tprovider"));
    assert!(
        lines
            .iter()
            .any(|l| l.starts_with(&f.direct) && l.contains("\tdirect\t"))
    );

    // Remembered: log list and log show give the cost without asking.
    let asked = gw.requests().len();
    let out = hcl.cmd().args(["log", "list"]).output().unwrap();
    let list = stdout(&out);
    assert!(list.contains("cost"), "{list}");
    let out = hcl
        .cmd()
        .args(["log", "show", &f.logged[..8], "--json"])
        .output()
        .unwrap();
    let shown = json_out(&out);
    assert_eq!(
        shown["helicone_remembered"]["cost_usd"].as_f64().unwrap(),
        cost_of(stored.prompt_tokens, stored.completion_tokens)
    );
    assert_eq!(shown["helicone_remembered"]["status"], "logged");
    assert_eq!(gw.requests().len(), asked, "no call to Helicone");
    let sidecar = hcl.dir.path().join("requests.helicone.jsonl");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&sidecar).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
    }
    // The log itself keeps one record per exchange.
    assert_eq!(hcl.records().len(), 5);
}

#[test]
fn push_fills_the_gaps_once() {
    let gw = FakeGateway::start();
    let hcl = env(&gw);
    let logged = id_of(&chat(&hcl, &["-p", "suite=push", "kept"]));
    let lost = chat_as(
        &hcl,
        UNKNOWN_KEY,
        &[
            "-p",
            "suite=push",
            "-u",
            "alice",
            "--session",
            "s-1",
            "lost",
        ],
    );
    let missing = id_of(&lost);
    let direct = id_of(&chat(&hcl, &["--direct", "--base-url", &gw.url(), "aside"]));
    age(&hcl, &[&logged, &missing, &direct], 3600);

    // A dry run shows what would go, the key masked, and sends nothing.
    let out = hcl
        .cmd()
        .args(["log", "push", "--all", "--include-direct", "--dry-run"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(
        text.contains(&format!("POST {}/oai/v1/log", gw.url())),
        "{text}"
    );
    assert!(text.contains("Authorization: Bearer sha256:"), "{text}");
    assert!(!text.contains(HELICONE_KEY) && !text.contains(UNKNOWN_KEY));
    assert!(text.contains("would push 2 of 3"), "{text}");
    let pushes = |gw: &FakeGateway| {
        gw.requests()
            .into_iter()
            .filter(|r| r.path.ends_with("/v1/log"))
            .collect::<Vec<_>>()
    };
    assert!(pushes(&gw).is_empty());

    let out = hcl
        .cmd()
        .args(["log", "push", "--all", "--include-direct", "--json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let report = json_out(&out);
    assert_eq!(report["summary"]["pushed"], 2, "{report}");
    let sent = pushes(&gw);
    assert_eq!(sent.len(), 2);
    let payload = sent
        .iter()
        .map(|r| r.json())
        .find(|p| p["providerRequest"]["meta"]["Helicone-Request-Id"] == missing.as_str())
        .unwrap();
    let meta = &payload["providerRequest"]["meta"];
    assert_eq!(meta["Helicone-Property-suite"], "push");
    assert_eq!(meta["Helicone-User-Id"], "alice");
    assert_eq!(meta["Helicone-Session-Id"], "s-1");
    assert!(meta.get("Helicone-Auth").is_none());
    assert_eq!(payload["providerRequest"]["json"], lost["request"]["body"]);
    assert_eq!(
        payload["providerResponse"]["json"]["choices"][0]["message"]["content"],
        lost["response"]["text"]
    );
    assert_eq!(
        payload["providerResponse"]["json"]["usage"]["completion_tokens"],
        lost["response"]["usage"]["output"]
    );
    let start = &payload["timing"]["startTime"];
    let end = &payload["timing"]["endTime"];
    let ms =
        |t: &Value| t["seconds"].as_u64().unwrap() * 1000 + t["milliseconds"].as_u64().unwrap();
    assert_eq!(ms(end) - ms(start), lost["latency_ms"].as_u64().unwrap());
    assert!(payload.to_string().find(HELICONE_KEY).is_none());
    assert_eq!(
        sent[0].header("authorization"),
        Some(format!("Bearer {HELICONE_KEY}").as_str())
    );

    // Now everything is logged, the direct request included.
    let out = hcl
        .cmd()
        .args(["log", "verify", "--all", "--expect", "logged", "--json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let report = json_out(&out);
    assert_eq!(report["summary"]["logged"], 3, "{report}");

    // A second push sends nothing.
    let out = hcl
        .cmd()
        .args(["log", "push", "--all", "--include-direct"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(stdout(&out).contains("pushed 0 of 3"), "{}", stdout(&out));
    assert!(stdout(&out).contains("already pushed"));
    assert_eq!(pushes(&gw).len(), 2);
    // Even without asking Helicone first.
    let out = hcl
        .cmd()
        .args(["log", "push", "--all", "--include-direct", "--no-verify"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(pushes(&gw).len(), 2);
}

#[test]
fn an_oversized_push_fails_alone() {
    let gw = FakeGateway::start();
    let hcl = env(&gw);
    let small = id_of(&chat_as(&hcl, UNKNOWN_KEY, &["small"]));
    // A record of the same exchange, 11 MB of prompt bigger.
    let mut big = hcl.last_record();
    let big_id = "9f9ad8a6-4c38-4b2e-9a6d-5b2b6a5f4e11";
    big["id"] = json!(big_id);
    big["helicone"]["id"] = json!(big_id);
    big["request"]["body"]["messages"][0]["content"] = json!("x".repeat(11 * 1024 * 1024));
    let mut text = hcl.log_text();
    text.push_str(&big.to_string());
    text.push('\n');
    std::fs::write(hcl.log_path(), text).unwrap();
    age(&hcl, &[&small, big_id], 3600);

    let out = hcl.cmd().args(["log", "push", "--all"]).output().unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(err.contains("10 MB") && err.contains(&big_id[..8]), "{err}");
    assert!(stdout(&out).contains("pushed 1 of 2"), "{}", stdout(&out));
    assert!(
        gw.helicone_records()
            .iter()
            .any(|s| s.id == small && s.via == "custom")
    );
}

#[test]
fn key_problems_are_explained() {
    let gw = FakeGateway::start();
    let check = |key: &str, base: &str| {
        Hcl::new()
            .env("HELICONE_API_KEY", key)
            .env("HCL_HELICONE_API_BASE", base)
            .cmd()
            .args(["auth", "check", "--json"])
            .output()
            .unwrap()
    };
    let us = gw.url();
    let eu = format!("{}/eu", gw.url());
    // (key, base, exit, proxy logging, read, write)
    let cases = [
        (HELICONE_KEY, &us, 0, true, true, true),
        (READ_ONLY_KEY, &us, 0, true, true, false),
        (WRITE_ONLY_KEY, &us, 0, true, false, true),
        (EU_KEY, &eu, 0, true, true, true),
        (UNKNOWN_KEY, &us, 5, false, false, false),
        (EU_KEY, &us, 5, false, false, false),
    ];
    for (key, base, code, logging, read, write) in cases {
        let out = check(key, base);
        assert_eq!(out.status.code(), Some(code), "{key}: {}", stderr(&out));
        let v = json_out(&out);
        assert_eq!(
            (&v["proxy_logging"], &v["read"], &v["write"]),
            (&json!(logging), &json!(read), &json!(write)),
            "{key} at {base}: {v}"
        );
        assert!(!stdout(&out).contains(key) && !stderr(&out).contains(key));
    }
    let v = json_out(&check(EU_KEY, &us));
    let m = v["message"].as_str().unwrap();
    assert!(
        m.contains("EU key") && m.contains("https://eu.api.helicone.ai"),
        "{m}"
    );
    let v = json_out(&check(UNKNOWN_KEY, &us));
    assert!(
        v["message"].as_str().unwrap().contains("does not know"),
        "{v}"
    );
    // The text form says each ability, and what a missing one costs.
    let out = Hcl::new()
        .env("HELICONE_API_KEY", READ_ONLY_KEY)
        .env("HCL_HELICONE_API_BASE", &us)
        .cmd()
        .args(["auth", "check"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let text = stdout(&out);
    assert!(text.contains("proxy logging") && text.contains("read") && text.contains("write"));
    assert!(
        stderr(&out).contains("no write permission"),
        "{}",
        stderr(&out)
    );

    // verify with a read-only key: one GET per request instead of the query.
    let hcl = env(&gw);
    let a = id_of(&chat(&hcl, &["one"]));
    let b = id_of(&chat(&hcl, &["two"]));
    let before = gw.requests().len();
    let out = hcl
        .cmd()
        .env("HELICONE_API_KEY", READ_ONLY_KEY)
        .args(["log", "verify", "--all", "--json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("no write permission"),
        "{}",
        stderr(&out)
    );
    let report = json_out(&out);
    assert_eq!(status_of(&report, &a), "logged");
    assert_eq!(status_of(&report, &b), "logged");
    let calls = &gw.requests()[before..];
    assert_eq!(calls.iter().filter(|r| r.method == "GET").count(), 2);
    // Feedback needs write permission: refused, explained, exit 5.
    let out = hcl
        .cmd()
        .env("HELICONE_API_KEY", READ_ONLY_KEY)
        .args(["feedback", &a[..8], "good"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(5), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("no write permission"),
        "{}",
        stderr(&out)
    );
    // An EU key sent to the US API: exit 5, and where to go instead.
    let out = hcl
        .cmd()
        .env("HELICONE_API_KEY", EU_KEY)
        .args(["log", "verify", "--all"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(5), "{}", stderr(&out));
    assert!(stderr(&out).contains("EU key"), "{}", stderr(&out));
}

#[test]
fn eu_requests_are_found_on_the_eu_api() {
    let gw = FakeGateway::start();
    let hcl = env(&gw)
        .env("HELICONE_API_KEY", EU_KEY)
        .env("HCL_HELICONE_API_BASE", &format!("{}/eu", gw.url()));
    let id = id_of(&chat_as(&hcl, EU_KEY, &["bonjour"]));
    let out = hcl
        .cmd()
        .args(["log", "verify", "--json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(status_of(&json_out(&out), &id), "logged");
    assert_eq!(gw.last_request().path, "/eu/v1/request/query-clickhouse");
}

/// A hand-made log: the figures below are worked out by hand.
#[test]
fn stats_match_hand_computed_figures() {
    let hcl = Hcl::new();
    let rec = |id: &str,
               provider: &str,
               model: &str,
               status: u16,
               cache: Option<&str>,
               (i, o): (u64, u64),
               ms: u64,
               batch: Option<&str>| {
        json!({
            "v": 1, "id": id, "ts": "2026-03-01T10:00:00.000Z",
            "provider": provider, "model": model, "stream": false,
            "request": {"method": "POST", "url": "https://oai.helicone.ai/v1/chat/completions",
                        "headers": {"Helicone-Request-Id": id, "Helicone-Property-team": if provider == "openai" {"search"} else {"ads"}},
                        "body": {"model": model, "messages": []}},
            "response": {"status": status, "headers": {}, "text": "", "usage": {"input": i, "output": o, "total": i + o}},
            "helicone": {"id": id, "cache": cache, "bucket_idx": null},
            "latency_ms": ms, "ttft_ms": null, "error": null, "replay_of": null, "batch": batch
        })
        .to_string()
    };
    let lines = [
        rec(
            "a1",
            "openai",
            "gpt-4o-mini",
            200,
            Some("MISS"),
            (10, 5),
            100,
            Some("B1"),
        ),
        rec(
            "a2",
            "openai",
            "gpt-4o-mini",
            200,
            Some("HIT"),
            (10, 5),
            20,
            Some("B1"),
        ),
        rec(
            "a3",
            "openai",
            "gpt-4o-mini",
            200,
            Some("HIT"),
            (10, 5),
            30,
            Some("B1"),
        ),
        rec("a4", "openai", "gpt-4o", 500, None, (0, 0), 400, Some("B1")),
        rec(
            "b1",
            "anthropic",
            "claude-3-5-haiku-latest",
            200,
            Some("MISS"),
            (7, 3),
            250,
            None,
        ),
        rec(
            "b2",
            "anthropic",
            "claude-3-5-haiku-latest",
            200,
            None,
            (8, 4),
            350,
            None,
        ),
    ];
    std::fs::write(hcl.log_path(), lines.join("\n") + "\n").unwrap();
    let side = [
        json!({"v": 1, "id": "a1", "ts": "2026-03-01T10:05:00Z", "event": "verified", "status": "logged", "cost_usd": 0.25}),
        json!({"v": 1, "id": "a2", "ts": "2026-03-01T10:05:00Z", "event": "verified", "status": "logged", "cost_usd": 0.5}),
    ];
    std::fs::write(
        hcl.dir.path().join("requests.helicone.jsonl"),
        side.iter()
            .map(|v| v.to_string() + "\n")
            .collect::<String>(),
    )
    .unwrap();

    let out = hcl
        .cmd()
        .args(["log", "stats", "--by", "provider", "--json"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let v = json_out(&out);
    assert_eq!(v["by"], "provider");
    let anthropic = &v["groups"][0];
    assert_eq!(anthropic["group"], "anthropic");
    assert_eq!(anthropic["requests"], 2);
    assert_eq!(anthropic["errors"], 0);
    assert_eq!(anthropic["cache_hits"], 0);
    assert_eq!(anthropic["cache_hit_rate"], 0.0);
    assert_eq!(
        (&anthropic["input_tokens"], &anthropic["output_tokens"]),
        (&json!(15), &json!(7))
    );
    assert_eq!(anthropic["cost_usd"], Value::Null);
    // Nearest rank over [250, 350]: p50 is the 1st, p95 the 2nd.
    assert_eq!(
        (&anthropic["latency_p50_ms"], &anthropic["latency_p95_ms"]),
        (&json!(250), &json!(350))
    );
    let openai = &v["groups"][1];
    assert_eq!(openai["requests"], 4);
    assert_eq!(openai["errors"], 1);
    // 2 HITs of 3 requests that asked the cache.
    assert_eq!(openai["cache_hits"], 2);
    assert!((openai["cache_hit_rate"].as_f64().unwrap() - 2.0 / 3.0).abs() < 1e-12);
    assert_eq!(
        (&openai["input_tokens"], &openai["output_tokens"]),
        (&json!(30), &json!(15))
    );
    assert_eq!(openai["cost_usd"], 0.75);
    assert_eq!(openai["cost_known"], 2);
    // [20, 30, 100, 400]: p50 = 2nd = 30, p95 = 4th = 400.
    assert_eq!(
        (&openai["latency_p50_ms"], &openai["latency_p95_ms"]),
        (&json!(30), &json!(400))
    );
    assert_eq!(v["total"]["requests"], 6);
    assert_eq!(v["total"]["latency_p50_ms"], 100);

    // The cache hit rate of one batch is one command.
    let out = hcl
        .cmd()
        .args(["log", "stats", "--batch", "B1", "--format", "tsv"])
        .output()
        .unwrap();
    let tsv = stdout(&out);
    let lines: Vec<&str> = tsv.lines().collect();
    assert_eq!(lines.len(), 2, "{tsv}");
    assert!(lines[0].starts_with("all\trequests\terrors\tcache hits\thit rate"));
    let cells: Vec<&str> = lines[1].split('\t').collect();
    assert_eq!(&cells[..5], ["all", "4", "1", "2", "0.6667"]);

    let out = hcl
        .cmd()
        .args(["log", "stats", "--by", "property:team"])
        .output()
        .unwrap();
    let table = stdout(&out);
    assert!(
        table.contains("ads") && table.contains("search") && table.contains("total"),
        "{table}"
    );
    assert!(table.contains("$0.75 (2 of 4)"), "{table}");
    let out = hcl
        .cmd()
        .args(["log", "stats", "--by", "colour"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn feedback_and_scores() {
    let gw = FakeGateway::start();
    let hcl = env(&gw);
    let id = id_of(&chat(&hcl, &["rate me"]));
    let out = hcl
        .cmd()
        .args(["feedback", &id[..8], "good"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(stdout(&out).contains("rated good"), "{}", stdout(&out));
    let req = gw.last_request();
    assert_eq!(req.path, format!("/v1/request/{id}/feedback"));
    assert_eq!(req.json(), json!({"rating": true}));
    let stored = |gw: &FakeGateway| {
        gw.helicone_records()
            .into_iter()
            .find(|s| s.id == id)
            .unwrap()
    };
    assert_eq!(stored(&gw).feedback, Some(true));

    let out = hcl
        .cmd()
        .args(["score", &id[..8], "accuracy=92", "is_safe=true"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(
        gw.last_request().json(),
        json!({"scores": {"accuracy": 92, "is_safe": true}})
    );
    assert_eq!(stored(&gw).scores["accuracy"], 92);

    // A fraction is refused before anything is sent.
    let before = gw.requests().len();
    let out = hcl
        .cmd()
        .args(["score", &id[..8], "accuracy=0.92"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("integers and booleans only") && stderr(&out).contains("accuracy=92"),
        "{}",
        stderr(&out)
    );
    assert_eq!(gw.requests().len(), before);

    // A whole batch, and a results file.
    let input = hcl.dir.path().join("in.jsonl");
    std::fs::write(
        &input,
        "{\"id\":\"q1\",\"prompt\":\"one\"}\n{\"id\":\"q2\",\"prompt\":\"two\"}\n",
    )
    .unwrap();
    let out = hcl
        .cmd()
        .args([
            "chat",
            "--batch",
            input.to_str().unwrap(),
            "-p",
            "Hcl-Batch=nightly",
        ])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    std::fs::write(hcl.dir.path().join("results.jsonl"), stdout(&out)).unwrap();
    let out = hcl
        .cmd()
        .args(["feedback", "--batch", "nightly", "bad", "--json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(json_out(&out)["done"], 2);
    let batch: Vec<_> = gw
        .helicone_records()
        .into_iter()
        .filter(|s| s.properties.get("hcl-batch").map(String::as_str) == Some("nightly"))
        .collect();
    assert_eq!(batch.len(), 2);
    assert!(batch.iter().all(|s| s.feedback == Some(false)));
    let out = hcl
        .cmd()
        .args(["score", "--results", "results.jsonl", "reviewed=true"])
        .current_dir(hcl.dir.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(stdout(&out).lines().count(), 2, "{}", stdout(&out));

    // A --direct request cannot be rated until it is pushed.
    let direct = id_of(&chat(&hcl, &["--direct", "--base-url", &gw.url(), "aside"]));
    let out = hcl
        .cmd()
        .args(["feedback", &direct[..8], "good"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("hcl log push"), "{}", stderr(&out));
    // Usage slips are named.
    let out = hcl.cmd().args(["feedback", "good"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let out = hcl
        .cmd()
        .args(["feedback", &id[..8], "meh"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("good or bad"));
}
