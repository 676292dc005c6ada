//! `hcl chat --batch` end to end against the fake gateway.

use std::time::{Duration, Instant};

use serde_json::Value;

use crate::support::hcl::{Hcl, assert_stderr_has, stderr, stdout};
use crate::support::{FakeGateway, Gate, Script, ok_script, wait_until};

/// Answers `text` once the test opens `gate`.
fn held(gate: &Gate, text: &str) -> Script {
    Script::Await(gate.waiter(), Box::new(ok_script(text)))
}

/// Write `lines` as the batch input file and return its path.
fn input(hcl: &Hcl, lines: &[&str]) -> String {
    let path = hcl.dir.path().join("in.jsonl");
    let mut text = lines.join("\n");
    text.push('\n');
    std::fs::write(&path, text).unwrap();
    path.display().to_string()
}

fn prompts(n: usize) -> Vec<String> {
    (1..=n)
        .map(|i| format!(r#"{{"id":"q{i}","prompt":"question {i}"}}"#))
        .collect()
}

fn results(out: &std::process::Output) -> Vec<Value> {
    stdout(out)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
        .collect()
}

fn line_numbers(rs: &[Value]) -> Vec<u64> {
    rs.iter().map(|r| r["line"].as_u64().unwrap()).collect()
}

#[test]
fn results_in_input_order_with_every_field() {
    let gw = FakeGateway::start();
    let hcl = Hcl::with_gateway(&gw);
    // Whichever request arrives first is answered last: it is held until
    // the other three have been logged.
    let gate = Gate::new();
    gw.push_script(held(&gate, "slow"));
    let lines = prompts(4);
    let lines: Vec<&str> = lines.iter().map(String::as_str).collect();
    let file = input(&hcl, &lines);
    let run = hcl.spawn(&["chat", "--batch", &file, "-j", "4"]);
    wait_until("the three quick answers to be logged", || {
        hcl.log_text().matches('\n').count() == 3
    });
    gate.open();
    let out = run.finish();
    assert!(out.status.success(), "{}", stderr(&out));
    let rs = results(&out);
    assert_eq!(line_numbers(&rs), [1, 2, 3, 4]);
    let r = rs.iter().find(|r| r["text"] != "slow").unwrap();
    let n = r["line"].as_u64().unwrap();
    assert_eq!(r["id"], format!("q{n}"));
    assert_eq!(r["text"], format!("Hello! You said: question {n}"));
    assert_eq!(r["status"], 200);
    assert_eq!(r["attempts"], 1);
    assert!(r["error"].is_null() && r["error_kind"].is_null());
    assert!(r["usage"]["input"].as_u64().is_some());
    assert!(r["latency_ms"].as_u64().is_some());
    // The log id is the record's id and the Helicone request id.
    let recs = hcl.records();
    assert_eq!(recs.len(), 4);
    let rec = recs.iter().find(|x| x["id"] == r["log_id"]).unwrap();
    assert_eq!(r["helicone_id"], rec["id"]);
    // Summary on stderr, as plain lines in a pipe.
    assert_stderr_has(&out, "results: 4\n");
    assert_stderr_has(&out, "ok: 4\n");
    assert_stderr_has(&out, "latency p95: ");
    hcl.assert_log_has_no_keys();
}

#[test]
fn unordered_writes_results_as_they_complete() {
    let gw = FakeGateway::start();
    let hcl = Hcl::with_gateway(&gw);
    let gate = Gate::new();
    gw.push_script(held(&gate, "slow"));
    let lines = prompts(4);
    let lines: Vec<&str> = lines.iter().map(String::as_str).collect();
    let file = input(&hcl, &lines);
    let mut run = hcl.spawn(&["chat", "--batch", &file, "-j", "4", "--unordered", "-q"]);
    // The slow answer is released only once the other three are written.
    run.wait_for_stdout_lines(3);
    gate.open();
    let out = run.finish();
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(stderr(&out), "", "--quiet drops the summary");
    let rs = results(&out);
    assert_eq!(rs.len(), 4);
    assert_eq!(rs[3]["text"], "slow", "the slow answer comes last: {rs:?}");
    let mut lines = line_numbers(&rs);
    lines.sort();
    assert_eq!(lines, [1, 2, 3, 4]);
}

#[test]
fn line_fields_override_the_flags() {
    let gw = FakeGateway::start();
    let hcl = Hcl::with_gateway(&gw);
    let file = input(
        &hcl,
        &[
            r#"{"prompt":"a","model":"gpt-4.1","system":"be brief","max_tokens":7,"temperature":0.5,"user":"u-1","session":"s-1","cache":true,"properties":{"team":"x","n":3}}"#,
            r#"{"messages":[{"role":"system","content":"sys"},{"role":"user","content":"hi"},{"role":"assistant","content":"yo"},{"role":"user","content":"again"}],"provider":"anthropic"}"#,
        ],
    );
    let out = hcl
        .cmd()
        .args([
            "chat", "--batch", &file, "-j", "1", "-m", "gpt-4o", "-p", "env=ci", "-p", "team=y",
        ])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let reqs = gw.requests();
    assert_eq!(reqs.len(), 2);
    let a = &reqs[0];
    assert_eq!(a.path, "/v1/chat/completions");
    let body = a.json();
    assert_eq!(body["model"], "gpt-4.1");
    assert_eq!(body["max_completion_tokens"], 7);
    assert_eq!(body["temperature"], 0.5);
    assert_eq!(body["messages"][0]["content"], "be brief");
    assert_eq!(a.header("helicone-user-id"), Some("u-1"));
    assert_eq!(a.header("helicone-session-id"), Some("s-1"));
    assert_eq!(a.header("helicone-cache-enabled"), Some("true"));
    assert_eq!(a.header("helicone-property-team"), Some("x"));
    assert_eq!(a.header("helicone-property-n"), Some("3"));
    assert_eq!(a.header("helicone-property-env"), Some("ci"));
    // The second line changes provider: its default model, not the flags' one.
    let b = &reqs[1];
    assert_eq!(b.path, "/v1/messages");
    let body = b.json();
    assert_ne!(body["model"], "gpt-4o");
    assert_eq!(body["system"], "sys");
    assert_eq!(body["messages"].as_array().unwrap().len(), 3);
}

#[test]
fn bad_lines_get_error_results_and_the_rest_go_on() {
    let gw = FakeGateway::start();
    let hcl = Hcl::with_gateway(&gw);
    let file = input(
        &hcl,
        &[
            r#"{"id":"ok1","prompt":"first"}"#,
            r#"{"id":"bad1","prompt":"x","colour":"red"}"#,
            r#"{"prompt": "torn"#,
            "",
            "just some plain text",
            r#""a JSON string""#,
            r#"{"id":7,"prompt":"x","provider":"nope"}"#,
            r#"{"id":"bad3","prompt":"x","messages":[]}"#,
            r#"{"id":"bad4","prompt":"x","temperature":-1}"#,
        ],
    );
    let out = hcl.cmd().args(["chat", "--batch", &file]).output().unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let rs = results(&out);
    assert_eq!(
        line_numbers(&rs),
        [1, 2, 3, 5, 6, 7, 8, 9],
        "blank lines are skipped"
    );
    assert_eq!(rs[0]["text"], "Hello! You said: first");
    assert_eq!(rs[1]["id"], "bad1");
    assert_eq!(rs[1]["error_kind"], "input");
    assert!(
        rs[1]["error"].as_str().unwrap().contains("colour"),
        "{}",
        rs[1]
    );
    assert!(rs[1]["status"].is_null() && rs[1]["log_id"].is_null());
    assert!(
        rs[2]["error"]
            .as_str()
            .unwrap()
            .contains("not a JSON object")
    );
    assert_eq!(rs[3]["text"], "Hello! You said: just some plain text");
    assert_eq!(rs[4]["text"], "Hello! You said: a JSON string");
    assert_eq!(rs[5]["id"], 7);
    assert!(
        rs[5]["error"]
            .as_str()
            .unwrap()
            .contains("unknown provider 'nope'")
    );
    assert!(rs[6]["error"].as_str().unwrap().contains("not both"));
    assert!(rs[7]["error"].as_str().unwrap().contains("temperature"));
    assert_eq!(gw.requests().len(), 3, "bad lines send nothing");
    assert_eq!(hcl.records().len(), 3);
    assert_stderr_has(&out, "failed: 5 (input 5)");
}

#[test]
fn a_429_with_retry_after_is_retried_and_both_attempts_are_logged() {
    let gw = FakeGateway::start();
    let hcl = Hcl::with_gateway(&gw);
    gw.push_script(Script::Respond {
        status: 429,
        headers: vec![
            ("content-type".into(), "application/json".into()),
            ("retry-after".into(), "1".into()),
        ],
        body: r#"{"error":{"message":"slow down","type":"rate_limit"}}"#.into(),
    });
    let file = input(&hcl, &[r#"{"id":"r","prompt":"retry me"}"#]);
    let out = hcl.cmd().args(["chat", "--batch", &file]).output().unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let reqs = gw.requests();
    let gap = reqs[1].at - reqs[0].at;
    assert!(
        gap >= Duration::from_millis(950),
        "Retry-After: 1 was honoured: the retry came {gap:?} after the first attempt"
    );
    let rs = results(&out);
    assert_eq!(rs.len(), 1);
    assert_eq!(rs[0]["status"], 200);
    assert_eq!(rs[0]["attempts"], 2);
    let recs = hcl.records();
    assert_eq!(recs.len(), 2);
    assert_eq!(recs[0]["response"]["status"], 429);
    assert_eq!(recs[0]["attempt"], 1);
    assert_eq!(recs[1]["response"]["status"], 200);
    assert_eq!(recs[1]["attempt"], 2);
    assert_ne!(recs[0]["id"], recs[1]["id"], "each attempt has its own id");
    assert_eq!(rs[0]["log_id"], recs[1]["id"]);
    assert_stderr_has(&out, "retries: 1\n");
}

#[test]
fn a_500_then_success_and_no_retry_on_other_4xx() {
    let gw = FakeGateway::start();
    let hcl = Hcl::with_gateway(&gw);
    gw.push_script(Script::Respond {
        status: 500,
        headers: vec![],
        body: "<html><title>Internal</title></html>".into(),
    });
    let file = input(&hcl, &[r#"{"prompt":"one"}"#]);
    let out = hcl.cmd().args(["chat", "--batch", &file]).output().unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let rs = results(&out);
    assert_eq!((rs.len(), rs[0]["attempts"].as_u64()), (1, Some(2)));
    assert_eq!(hcl.records().len(), 2);

    // A 400 is final; retries stop at --max-retries.
    let gw = FakeGateway::start();
    let hcl = Hcl::with_gateway(&gw);
    gw.push_script(Script::Respond {
        status: 400,
        headers: vec![],
        body: r#"{"error":{"message":"bad request"}}"#.into(),
    });
    for _ in 0..3 {
        gw.push_script(Script::Respond {
            status: 503,
            headers: vec![("retry-after-ms".into(), "10".into())],
            body: "{}".into(),
        });
    }
    let file = input(&hcl, &[r#"{"prompt":"one"}"#, r#"{"prompt":"two"}"#]);
    let out = hcl
        .cmd()
        .args(["chat", "--batch", &file, "-j", "1", "--max-retries", "2"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let rs = results(&out);
    assert_eq!(rs[0]["status"], 400);
    assert_eq!(rs[0]["attempts"], 1);
    assert_eq!(rs[0]["error_kind"], "client_error");
    assert_eq!(rs[1]["status"], 503);
    assert_eq!(rs[1]["attempts"], 3);
    assert_eq!(rs[1]["error_kind"], "server_error");
    assert_eq!(gw.requests().len(), 4);
    assert_eq!(hcl.records().len(), 4);
}

#[test]
fn resume_skips_ids_that_already_succeeded() {
    let gw = FakeGateway::start();
    let hcl = Hcl::with_gateway(&gw);
    let prior = hcl.dir.path().join("results.jsonl");
    std::fs::write(
        &prior,
        concat!(
            r#"{"line":1,"id":"a","status":200,"error":null}"#,
            "\n",
            r#"{"line":2,"id":"b","status":500,"error":"boom"}"#,
            "\n",
            r#"{"line":3,"id":1,"status":200,"error":null}"#,
            "\n",
            r#"{"line":4,"id":"c","sta"#,
        ),
    )
    .unwrap();
    let file = input(
        &hcl,
        &[
            r#"{"id":"a","prompt":"A"}"#,
            r#"{"id":"b","prompt":"B"}"#,
            r#"{"id":"c","prompt":"C"}"#,
            r#"{"id":1,"prompt":"one"}"#,
            r#"{"id":"1","prompt":"string one"}"#,
            r#"{"prompt":"no id"}"#,
        ],
    );
    let out = hcl
        .cmd()
        .args(["chat", "--batch", &file, "--resume"])
        .arg(&prior)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    // The results are complete: the skipped lines' results come from the
    // earlier file, marked resumed.
    let rs = results(&out);
    assert_eq!(line_numbers(&rs), [1, 2, 3, 4, 5, 6]);
    let resumed: Vec<u64> = rs
        .iter()
        .filter(|r| r["resumed"] == true)
        .map(|r| r["line"].as_u64().unwrap())
        .collect();
    assert_eq!(resumed, [1, 4]);
    assert_eq!(rs[3]["id"], 1);
    assert_eq!(rs[3]["status"], 200);
    let sent: Vec<String> = gw
        .requests()
        .iter()
        .map(|r| {
            r.json()["messages"][0]["content"]
                .as_str()
                .unwrap()
                .to_string()
        })
        .collect();
    assert_eq!(sent.len(), 4);
    assert!(!sent.iter().any(|s| s == "A" || s == "one"), "{sent:?}");
    assert_stderr_has(&out, "skipped (--resume): 2\n");

    let out = hcl
        .cmd()
        .args([
            "chat",
            "--batch",
            &file,
            "--resume",
            "/nonexistent/results.jsonl",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert_stderr_has(&out, "--resume");
}

#[test]
fn concurrency_never_exceeds_j() {
    let gw = FakeGateway::start();
    let hcl = Hcl::with_gateway(&gw);
    // The first three answers wait until all three requests are in flight.
    let gate = Gate::new();
    for _ in 0..3 {
        gw.push_script(held(&gate, "done"));
    }
    let lines = prompts(12);
    let lines: Vec<&str> = lines.iter().map(String::as_str).collect();
    let file = input(&hcl, &lines);
    let run = hcl.spawn(&["chat", "--batch", &file, "-j", "3"]);
    gw.wait_for_in_flight(3);
    gate.open();
    let out = run.finish();
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(results(&out).len(), 12);
    assert_eq!(gw.max_in_flight(), 3, "-j 3 keeps exactly 3 in flight");
}

#[test]
fn rps_paces_requests() {
    let gw = FakeGateway::start();
    let hcl = Hcl::with_gateway(&gw);
    let lines = prompts(20);
    let lines: Vec<&str> = lines.iter().map(String::as_str).collect();
    let file = input(&hcl, &lines);
    let t0 = Instant::now();
    let out = hcl
        .cmd()
        .args(["chat", "--batch", &file, "-j", "8", "--rps", "40"])
        .output()
        .unwrap();
    let took = t0.elapsed();
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(results(&out).len(), 20);
    // 20 starts 25 ms apart: the last one at 475 ms (a lower bound, which a
    // slow start-up only makes easier to meet).
    assert!(took >= Duration::from_millis(450), "{took:?}");
    // Not paced at a tenth of the rate (a unit mix-up): the first and last
    // requests reached the gateway less than 19 gaps of 250 ms apart. This is
    // measured at the gateway, so hcl's start-up is not part of it.
    let reqs = gw.requests();
    let span = reqs[19].at - reqs[0].at;
    assert!(span < Duration::from_millis(19 * 250), "{span:?}");
}

#[test]
fn fail_fast_stops_launching() {
    let gw = FakeGateway::start();
    let hcl = Hcl::with_gateway(&gw);
    gw.push_script(Script::Respond {
        status: 401,
        headers: vec![],
        body: r#"{"error":{"message":"bad key"}}"#.into(),
    });
    let lines = prompts(10);
    let lines: Vec<&str> = lines.iter().map(String::as_str).collect();
    let file = input(&hcl, &lines);
    let out = hcl
        .cmd()
        .args(["chat", "--batch", &file, "-j", "1", "--fail-fast"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let rs = results(&out);
    assert_eq!(rs.len(), 1);
    assert_eq!(rs[0]["error_kind"], "auth");
    assert_eq!(gw.requests().len(), 1);
    assert_stderr_has(&out, "not run (--fail-fast): 9");
}

#[test]
fn every_record_and_request_carries_the_batch_id() {
    let gw = FakeGateway::start();
    let hcl = Hcl::with_gateway(&gw);
    let lines = prompts(3);
    let lines: Vec<&str> = lines.iter().map(String::as_str).collect();
    let file = input(&hcl, &lines);
    let out = hcl.cmd().args(["chat", "--batch", &file]).output().unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let recs = hcl.records();
    let batch = recs[0]["batch"].as_str().unwrap().to_string();
    assert!(recs.iter().all(|r| r["batch"] == batch.as_str()));
    assert!(
        gw.requests()
            .iter()
            .all(|r| r.header("helicone-property-hcl-batch") == Some(batch.as_str()))
    );
    assert_stderr_has(&out, &format!("batch: {batch}\n"));

    // A batch can be named, from stdin.
    let out = hcl
        .cmd()
        .args(["chat", "--batch", "-", "-p", "Hcl-Batch=nightly-7"])
        .write_stdin("from stdin\n")
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(hcl.last_record()["batch"], "nightly-7");
    assert_eq!(
        gw.last_request().header("helicone-property-hcl-batch"),
        Some("nightly-7")
    );
}

#[test]
fn usage_errors_before_anything_is_sent() {
    let gw = FakeGateway::start();
    let hcl = Hcl::with_gateway(&gw);
    let out = hcl
        .cmd()
        .args(["chat", "--batch", "/nonexistent/in.jsonl"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert_stderr_has(&out, "cannot read --batch");

    let file = input(&hcl, &[r#"{"prompt":"x"}"#]);
    for args in [
        vec!["-j", "0"],
        vec!["--rps", "0"],
        vec!["hello"],
        vec!["--dry-run"],
    ] {
        let out = hcl
            .cmd()
            .args(["chat", "--batch", &file])
            .args(&args)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{args:?}: {}", stderr(&out));
    }
    let out = hcl.cmd().args(["chat", "-j", "3", "hi"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert_stderr_has(&out, "applies to --batch FILE only");
    let out = Hcl::with_gateway(&gw)
        .env_remove("HELICONE_API_KEY")
        .cmd()
        .args(["chat", "--batch", &file])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert_stderr_has(&out, "HELICONE_API_KEY");
    assert!(gw.requests().is_empty());
}

#[cfg(unix)]
#[test]
fn ctrl_c_writes_finished_results_and_exits_130() {
    let gw = FakeGateway::start();
    let hcl = Hcl::with_gateway(&gw);
    gw.push_script(ok_script("fast 1"));
    gw.push_script(ok_script("fast 2"));
    // The rest are answered only after hcl has exited.
    let gate = Gate::new();
    for _ in 0..8 {
        gw.push_script(held(&gate, "never"));
    }
    let lines = prompts(10);
    let lines: Vec<&str> = lines.iter().map(String::as_str).collect();
    let file = input(&hcl, &lines);
    let mut run = hcl.spawn(&["chat", "--batch", &file, "-j", "2", "--unordered"]);
    let first = run.wait_for_stdout_lines(2);
    gw.wait_for_requests(4);
    run.interrupt();
    let out = run.finish();
    // hcl stopped while both answers in flight were still held.
    gate.open();
    assert_eq!(out.status.code(), Some(130));
    let rest = &stdout(&out)[first.concat().len()..];
    assert_eq!(rest, "", "no result for interrupted requests");
    assert!(first.iter().all(|l| l.contains("fast")), "{first:?}");
    assert_eq!(gw.requests().len(), 4, "nothing launched after Ctrl-C");
    let recs = hcl.records();
    assert_eq!(recs.len(), 4, "interrupted exchanges are logged too");
    assert_eq!(
        recs.iter().filter(|r| r["error"] == "interrupted").count(),
        2
    );
}

/// The CI recipe: run a batch with caching, then replay exactly that batch
/// by its id and expect every request to be a HIT.
#[test]
fn a_whole_batch_is_replayed_by_its_batch_id() {
    let gw = FakeGateway::start();
    let hcl = Hcl::with_gateway(&gw);
    // Another batch and a lone chat that must not be replayed.
    hcl.cmd()
        .args(["chat", "--cache", "not in the batch"])
        .assert()
        .success();
    let other = input(&hcl, &["other batch line"]);
    hcl.cmd()
        .args([
            "chat",
            "--batch",
            &other,
            "--cache",
            "-p",
            "Hcl-Batch=other",
        ])
        .assert()
        .success();

    let lines = prompts(5);
    let lines: Vec<&str> = lines.iter().map(String::as_str).collect();
    let file = input(&hcl, &lines);
    let out = hcl
        .cmd()
        .args([
            "chat",
            "--batch",
            &file,
            "--cache",
            "-p",
            "Hcl-Batch=nightly-9",
        ])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let before = hcl.records().len();
    let junit = hcl.dir.path().join("replay.xml");
    let out = hcl
        .cmd()
        .args([
            "replay",
            "--property",
            "Hcl-Batch=nightly-9",
            "--expect",
            "hit",
            "--json",
            "--junit",
        ])
        .arg(&junit)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    let replays = report["replays"].as_array().unwrap();
    assert_eq!(replays.len(), 5, "exactly the batch's five records");
    assert!(replays.iter().all(|r| r["cache"] == "HIT"), "{report}");
    let recs = hcl.records();
    assert_eq!(recs.len(), before + 5);
    let batch_ids: std::collections::BTreeSet<String> = recs[..before]
        .iter()
        .filter(|r| r["batch"] == "nightly-9")
        .map(|r| r["id"].as_str().unwrap().to_string())
        .collect();
    let replayed: std::collections::BTreeSet<String> = recs[before..]
        .iter()
        .map(|r| r["replay_of"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(batch_ids, replayed);
    assert!(
        std::fs::read_to_string(&junit)
            .unwrap()
            .contains("tests=\"5\"")
    );
}
