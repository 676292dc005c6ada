//! `hcl replay` against the fake gateway's cache emulation.

use std::time::Duration;

use serde_json::Value;
use serde_json::value::RawValue;

use crate::support::hcl::{Hcl, assert_stderr_has, stderr, stdout};
use crate::support::{FakeGateway, Gate, Script, wait_until};

/// Run `hcl chat` and return the new record's id.
fn chat(hcl: &Hcl, args: &[&str]) -> String {
    let out = hcl.cmd().arg("chat").args(args).output().unwrap();
    assert!(out.status.success(), "chat failed: {}", stderr(&out));
    hcl.last_record()["id"].as_str().unwrap().to_string()
}

/// Run `hcl replay ARGS --json`; the exit code and the report.
fn replay(hcl: &Hcl, args: &[&str]) -> (i32, Value, String) {
    let out = hcl
        .cmd()
        .arg("replay")
        .args(args)
        .arg("--json")
        .output()
        .unwrap();
    let report = serde_json::from_str(&stdout(&out)).unwrap_or(Value::Null);
    (out.status.code().unwrap(), report, stderr(&out))
}

fn caches(report: &Value) -> Vec<String> {
    report["replays"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["cache"].as_str().unwrap().to_string())
        .collect()
}

fn why(report: &Value, i: usize) -> String {
    report["replays"][i]["why"]
        .as_array()
        .map(|w| {
            w.iter()
                .map(|s| s.as_str().unwrap())
                .collect::<Vec<_>>()
                .join(" | ")
        })
        .unwrap_or_default()
}

/// The exact body bytes of each logged record, as the log holds them.
fn logged_bodies(hcl: &Hcl) -> Vec<String> {
    #[derive(serde::Deserialize)]
    struct Line<'a> {
        #[serde(borrow)]
        request: Req<'a>,
    }
    #[derive(serde::Deserialize)]
    struct Req<'a> {
        #[serde(borrow)]
        body: &'a RawValue,
    }
    hcl.log_text()
        .lines()
        .map(|l| {
            serde_json::from_str::<Line>(l)
                .unwrap()
                .request
                .body
                .get()
                .to_string()
        })
        .collect()
}

fn without(headers: &[(String, String)], names: &[&str]) -> Vec<(String, String)> {
    headers
        .iter()
        .filter(|(n, _)| !names.contains(&n.as_str()))
        .cloned()
        .collect()
}

#[test]
fn a_cached_chat_replays_as_a_hit_with_the_same_bytes() {
    let gw = FakeGateway::start();
    let hcl = Hcl::with_gateway(&gw);
    let id = chat(&hcl, &["--cache", "-p", "team=qa", "hello \u{e9}t\u{e9}"]);
    let out = hcl.cmd().arg("replay").output().unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(text.contains("HIT"), "{text}");
    assert!(text.contains("1 replayed: 1 HIT, 0 MISS (100%)"), "{text}");

    let reqs = gw.requests();
    assert_eq!(reqs.len(), 2);
    let (first, again) = (&reqs[0], &reqs[1]);
    // Byte-identical body: as first sent, and as logged.
    assert_eq!(again.body, first.body);
    assert_eq!(logged_bodies(&hcl)[0].as_bytes(), &first.body[..]);
    assert_eq!(again.path, first.path);
    // The same headers, apart from a new request id and the replay property.
    let changed = ["helicone-request-id", "helicone-property-hcl-replay-of"];
    assert_eq!(
        without(&again.headers, &changed),
        without(&first.headers, &changed)
    );
    assert_ne!(
        again.header("helicone-request-id"),
        first.header("helicone-request-id")
    );
    assert_eq!(
        again.header("helicone-property-hcl-replay-of"),
        Some(id.as_str())
    );

    let recs = hcl.records();
    assert_eq!(recs.len(), 2);
    assert_eq!(recs[1]["replay_of"], id.as_str());
    assert_eq!(recs[1]["id"].as_str(), again.header("helicone-request-id"));
    assert_eq!(recs[1]["helicone"]["cache"], "HIT");
    assert_eq!(recs[0]["cache_key"], recs[1]["cache_key"]);
    hcl.assert_log_has_no_keys();
}

#[test]
fn a_bucket_of_three_misses_until_it_is_full() {
    let gw = FakeGateway::start();
    let hcl = Hcl::with_gateway(&gw);
    chat(&hcl, &["--cache", "--cache-bucket", "3", "fill me"]);
    assert_eq!(hcl.last_record()["helicone"]["cache"], "MISS");
    let (code, report, err) = replay(&hcl, &["--repeat", "3", "--expect", "hit"]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(caches(&report), ["MISS", "MISS", "HIT"]);
    assert!(why(&report, 0).contains("bucket is not full"), "{report}");
    assert!(report["replays"][2]["bucket_idx"].is_u64(), "{report}");
    assert_eq!(report["summary"]["hit"], 1);
    // The chat and two replays filled the bucket; the HIT did not go upstream.
    assert_eq!(gw.upstream_calls(), 3);
}

#[test]
fn a_changed_provider_key_misses_with_a_warning_and_the_reason() {
    let gw = FakeGateway::start();
    let hcl = Hcl::with_gateway(&gw);
    chat(&hcl, &["--cache", "key test"]);
    let other = "test-openai-KEY-9999";
    let hcl = hcl.env("OPENAI_API_KEY", other);
    let (code, report, err) = replay(&hcl, &[]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(caches(&report), ["MISS"]);
    assert!(
        err.contains("the openai key") && err.contains("expect a MISS"),
        "{err}"
    );
    assert!(
        why(&report, 0).contains("the provider key changed"),
        "{report}"
    );
    // The fresh key was sent, and is not logged.
    assert_eq!(
        gw.last_request().header("authorization"),
        Some(format!("Bearer {other}").as_str())
    );
    assert!(!hcl.log_text().contains(other));
    hcl.assert_log_has_no_keys();
}

#[test]
fn a_changed_body_byte_misses_and_says_so() {
    let gw = FakeGateway::start();
    let hcl = Hcl::with_gateway(&gw);
    chat(&hcl, &["--cache", "abcdef"]);
    // Corrupt one byte of the logged body on purpose.
    let log = hcl.log_text();
    assert_eq!(log.matches("\"content\":\"abcdef\"").count(), 1);
    std::fs::write(
        hcl.log_path(),
        log.replace("\"content\":\"abcdef\"", "\"content\":\"abcdeg\""),
    )
    .unwrap();
    let (code, report, err) = replay(&hcl, &[]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(caches(&report), ["MISS"]);
    assert!(why(&report, 0).contains("body differs"), "{report}");
    assert!(gw.last_request().body_str().contains("abcdeg"));
}

#[test]
fn expect_hit_and_miss_exit_codes() {
    let gw = FakeGateway::start();
    let hcl = Hcl::with_gateway(&gw);
    let a = chat(&hcl, &["--cache", "stored"]);
    let c = chat(&hcl, &["--cache", "--cache-bucket", "3", "three"]);
    let d = chat(&hcl, &["--cache", "--cache-bucket", "5", "five"]);

    assert_eq!(replay(&hcl, &[&a, "--expect", "hit"]).0, 0);
    let (code, report, err) = replay(&hcl, &[&a, "--expect", "miss"]);
    assert_eq!(code, 6, "{err}");
    assert_eq!(report["replays"][0]["met_expectation"], false);
    assert!(err.contains("not a MISS"), "{err}");
    assert_eq!(replay(&hcl, &[&c, "--expect", "miss"]).0, 0);
    // Every replay runs before the verdict: the MISS of c does not stop a.
    let before = gw.requests().len();
    let (code, report, _) = replay(&hcl, &[&c, &a, "--expect", "hit"]);
    assert_eq!(code, 6);
    assert_eq!(caches(&report), ["MISS", "HIT"]);
    assert_eq!(gw.requests().len(), before + 2);
    // Errors keep their own exit codes, --expect or not.
    gw.push_script(Script::Respond {
        status: 500,
        headers: vec![],
        body: r#"{"error":{"message":"upstream broke"}}"#.into(),
    });
    let (code, report, err) = replay(&hcl, &[&d, "--expect", "hit"]);
    assert_eq!(code, 1, "{err}");
    assert_eq!(caches(&report), ["ERROR"]);
    assert!(err.contains("upstream broke"), "{err}");
    gw.push_script(Script::Respond {
        status: 401,
        headers: vec![],
        body: r#"{"error":{"message":"bad key"}}"#.into(),
    });
    assert_eq!(replay(&hcl, &[&d, "--expect", "miss"]).0, 5);
    // A MISS without --expect is not a failure.
    assert_eq!(replay(&hcl, &[&d]).0, 0);
}

#[test]
fn junit_report_parses_back_with_the_right_counts() {
    let gw = FakeGateway::start();
    let hcl = Hcl::with_gateway(&gw);
    let hit = chat(&hcl, &["--cache", "stored"]);
    let miss = chat(
        &hcl,
        &["--cache", "--cache-bucket", "4", "<four> & \"more\""],
    );
    let error = chat(&hcl, &["--cache", "--cache-bucket", "4", "error"]);
    gw.push_script(Script::DelayThen(
        Duration::from_millis(50),
        Box::new(Script::Respond {
            status: 503,
            headers: vec![],
            body: "<html><title>Down</title></html>".into(),
        }),
    ));
    let file = hcl.dir.path().join("replay.xml");
    // One at a time, so the scripted 503 meets the second request.
    let out = hcl
        .cmd()
        .args(["replay", &hit, &error, &miss, "-j", "1", "--expect", "hit"])
        .arg("--junit")
        .arg(&file)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let xml = std::fs::read_to_string(&file).unwrap();
    let doc = roxmltree::Document::parse(&xml).unwrap();
    let suite = doc
        .descendants()
        .find(|n| n.has_tag_name("testsuite"))
        .unwrap();
    assert_eq!(suite.attribute("tests"), Some("3"));
    assert_eq!(suite.attribute("failures"), Some("1"));
    assert_eq!(suite.attribute("errors"), Some("1"));
    let cases: Vec<_> = suite
        .children()
        .filter(|n| n.has_tag_name("testcase"))
        .collect();
    assert_eq!(cases.len(), 3);
    // Named by the prompt, classed by provider/model.
    assert_eq!(cases[0].attribute("name"), Some("stored"));
    assert_eq!(cases[2].attribute("name"), Some("<four> & \"more\""));
    assert_eq!(cases[0].attribute("classname"), Some("openai/gpt-4o-mini"));
    assert!(cases[0].attribute("time").is_some());
    assert!(xml.contains(&hit), "the record id is a property");
    let child = |i: usize, tag: &str| cases[i].children().any(|n| n.has_tag_name(tag));
    assert!(child(0, "system-out") && child(1, "error") && child(2, "failure"));
    let failure = cases[2]
        .children()
        .find(|n| n.has_tag_name("failure"))
        .unwrap();
    let message = failure.attribute("message").unwrap();
    assert!(message.starts_with("expected HIT, got MISS: "), "{message}");
    // The reason in full.
    assert!(failure.text().unwrap_or_default().contains("why:"), "{xml}");
}

#[test]
fn two_hundred_records_replay_at_j8() {
    let gw = FakeGateway::start();
    let hcl = Hcl::with_gateway(&gw);
    chat(&hcl, &["--cache", "template"]);
    let mut template: Value = hcl.last_record();
    template.as_object_mut().unwrap().remove("cache_key");
    let mut lines = String::new();
    for i in 0..200 {
        let mut r = template.clone();
        let id = uuid::Uuid::new_v4().to_string();
        r["id"] = id.clone().into();
        r["request"]["headers"]["Helicone-Request-Id"] = id.into();
        r["request"]["body"]["messages"][0]["content"] = format!("prompt {i}").into();
        lines.push_str(&r.to_string());
        lines.push('\n');
    }
    std::fs::write(hcl.log_path(), lines).unwrap();
    // The first eight answers wait until eight requests are in flight at
    // once, which only a parallel replay can reach.
    let gate = Gate::new();
    for i in 0..200 {
        let answer = Script::Respond {
            status: 200,
            headers: vec![("content-type".into(), "application/json".into())],
            body: r#"{"id":"c","object":"chat.completion","model":"m","choices":[{"index":0,"message":{"role":"assistant","content":"ok"},"finish_reason":"stop"}]}"#.into(),
        };
        gw.push_script(if i < 8 {
            Script::Await(gate.waiter(), Box::new(answer))
        } else {
            answer
        });
    }
    let run = hcl.spawn(&["replay", "--all", "-j", "8", "--json"]);
    gw.wait_for_in_flight(8);
    gate.open();
    let out = run.finish();
    let (code, report, err) = (
        out.status.code().unwrap(),
        serde_json::from_str::<Value>(&stdout(&out)).unwrap_or(Value::Null),
        stderr(&out),
    );
    assert_eq!(code, 0, "{err}");
    assert_eq!(report["summary"]["replayed"], 200);
    assert_eq!(report["summary"]["miss"], 200);
    let max = gw.max_in_flight();
    assert!((2..=8).contains(&max), "max in flight {max}");
    assert_eq!(max, 8, "-j 8 had eight replays in flight at once");
    let recs = hcl.records();
    assert_eq!(recs.len(), 400);
    assert_eq!(
        recs.iter().filter(|r| r["replay_of"].is_string()).count(),
        200
    );
    // Rows come back in selection order.
    let originals: Vec<&Value> = recs[..200].iter().map(|r| &r["id"]).collect();
    let replayed: Vec<&Value> = report["replays"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| &r["original_id"])
        .collect();
    assert_eq!(originals, replayed);
}

#[test]
fn base_url_reroutes_with_a_note_and_the_miss_names_the_endpoint() {
    let gw = FakeGateway::start();
    let other = FakeGateway::start();
    let hcl = Hcl::with_gateway(&gw);
    chat(&hcl, &["--cache", "route"]);
    let (code, report, err) = replay(&hcl, &["--base-url", &other.url()]);
    assert_eq!(code, 0, "{err}");
    assert!(
        err.contains("the URL is part of Helicone's cache key"),
        "{err}"
    );
    assert_eq!(other.requests().len(), 1);
    assert_eq!(gw.requests().len(), 1);
    let host = |u: &str| u.trim_start_matches("http://").to_string();
    assert!(
        why(&report, 0).contains(&format!(
            "the endpoint changed from {} to {}",
            host(&gw.url()),
            host(&other.url())
        )),
        "{report}"
    );
    // HCL_BASE_URL_<PROVIDER> re-routes too.
    let hcl = hcl.env("HCL_BASE_URL_OPENAI", &other.url());
    assert_eq!(replay(&hcl, &[]).0, 0);
    assert_eq!(other.requests().len(), 2);
}

#[test]
fn cache_flag_enables_caching_for_an_uncached_original() {
    let gw = FakeGateway::start();
    let hcl = Hcl::with_gateway(&gw);
    chat(&hcl, &["no cache here"]);
    let (code, report, err) = replay(&hcl, &[]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(caches(&report), ["OFF"]);
    assert!(err.contains("add --cache"), "{err}");
    let (_, report, err) = replay(&hcl, &["--cache"]);
    assert!(err.contains("the first replay fills the cache"), "{err}");
    assert_eq!(caches(&report), ["MISS"]);
    assert!(why(&report, 0).contains("caching off"), "{report}");
    assert_eq!(
        gw.last_request().header("helicone-cache-enabled"),
        Some("true")
    );
    let (_, report, _) = replay(&hcl, &["--cache"]);
    assert_eq!(caches(&report), ["HIT"]);
}

#[test]
fn ids_by_unique_prefix_and_clear_errors() {
    let gw = FakeGateway::start();
    let hcl = Hcl::with_gateway(&gw);
    let out = hcl.cmd().args(["replay"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert_stderr_has(&out, "no logged request matches");
    let a = chat(&hcl, &["--cache", "first"]);
    chat(&hcl, &["--cache", "second"]);
    let (code, report, err) = replay(&hcl, &[&a[..8]]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(report["replays"][0]["original_id"], a.as_str());
    let out = hcl.cmd().args(["replay", "zzzz"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert_stderr_has(&out, "no logged request has an id starting 'zzzz'");
    // A replay replays the last original, not the last replay.
    let (_, report, _) = replay(&hcl, &[]);
    assert_eq!(report["replays"][0]["same_text"], true);
    let last_original = hcl.records()[1]["id"].clone();
    assert_eq!(report["replays"][0]["original_id"], last_original);
    let (_, report, _) = replay(&hcl, &["--all"]);
    assert_eq!(report["summary"]["replayed"], 2);
    let (_, report, _) = replay(&hcl, &["--all", "--include-replays"]);
    assert_eq!(report["summary"]["replayed"], 6);
}

#[test]
fn a_streamed_record_replays_as_a_stream_and_hits() {
    for provider in ["openai", "anthropic", "gemini"] {
        let gw = FakeGateway::start();
        let hcl = Hcl::with_gateway(&gw);
        let out = hcl
            .cmd()
            .args(["stream", "-P", provider, "--cache", "streamed words"])
            .output()
            .unwrap();
        assert!(out.status.success(), "{provider}: {}", stderr(&out));
        let original = hcl.last_record();
        assert_eq!(original["stream"], true);
        let (code, report, err) = replay(&hcl, &["--expect", "hit"]);
        assert_eq!(code, 0, "{provider}: {err}");
        assert_eq!(caches(&report), ["HIT"], "{provider}");
        assert_eq!(
            report["replays"][0]["same_text"], true,
            "{provider}: {report}"
        );
        let replayed = hcl.last_record();
        assert_eq!(replayed["stream"], true);
        assert_eq!(
            replayed["response"]["text"], original["response"]["text"],
            "{provider}"
        );
        assert_eq!(
            gw.last_request().body,
            gw.requests()[0].body,
            "{provider}: same bytes"
        );
    }
}

#[test]
fn an_x_api_key_change_still_hits_and_the_warning_says_why() {
    let gw = FakeGateway::start();
    let hcl = Hcl::with_gateway(&gw);
    chat(&hcl, &["-P", "anthropic", "--cache", "claude"]);
    let hcl = hcl.env("ANTHROPIC_API_KEY", "test-anthropic-KEY-9999");
    let (code, report, err) = replay(&hcl, &["--expect", "hit"]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(caches(&report), ["HIT"]);
    assert!(
        err.contains(
            "leaves out x-api-key, so a HIT can still come from the answer cached for the old key"
        ),
        "{err}"
    );
}

/// Ctrl-C mid-replay: the replays in flight stop and are logged as
/// interrupted, the report covers what was done, and the exit is 130.
#[cfg(unix)]
#[test]
fn ctrl_c_logs_the_replays_in_flight_and_exits_130() {
    let gw = FakeGateway::start();
    let hcl = Hcl::with_gateway(&gw);
    chat(&hcl, &["first"]);
    chat(&hcl, &["second"]);
    let gate = Gate::new();
    for _ in 0..2 {
        gw.push_script(Script::Await(
            gate.waiter(),
            Box::new(Script::Respond {
                status: 200,
                headers: vec![],
                body: "{}".into(),
            }),
        ));
    }
    let before = gw.requests().len();
    let run = hcl.spawn(&["replay", "--all", "-j", "2"]);
    gw.wait_for_requests(before + 2);
    run.interrupt();
    let out = run.finish();
    // Ctrl-C does not wait for the answers: they are released only now.
    gate.open();
    assert_eq!(out.status.code(), Some(130), "{}", stderr(&out));
    assert_stderr_has(&out, "interrupted");
    let recs = hcl.records();
    let replays: Vec<&Value> = recs.iter().filter(|r| !r["replay_of"].is_null()).collect();
    assert_eq!(replays.len(), 2, "both replays in flight are logged");
    assert!(replays.iter().all(|r| r["error"] == "interrupted"));
}

/// The replays of `original` in the log.
fn replays_of(hcl: &Hcl, original: &str) -> usize {
    hcl.records()
        .iter()
        .filter(|r| r["replay_of"] == original)
        .count()
}

/// A cache entry Helicone's store does not show yet: a plain replay misses
/// and fails `--expect hit`; with `--settle` the MISS is sent again until
/// the entry shows, every try is logged, and the report counts the tries.
#[test]
fn settle_resends_a_miss_until_the_entry_shows() {
    let gw = FakeGateway::start();
    let hcl = Hcl::with_gateway(&gw);
    // Invisible until the test shows it: no timing assumption anywhere.
    gw.set_cache_propagation(Duration::from_secs(3600));
    let id = chat(&hcl, &["--cache", "settle me"]);

    let (code, report, err) = replay(&hcl, &[&id, "--expect", "hit"]);
    assert_eq!(code, 6, "{err}");
    assert_eq!(caches(&report), ["MISS"]);
    assert_eq!(report["replays"][0]["attempts"], 1);
    assert!(why(&report, 0).contains("up to a minute"), "{report}");

    let before = gw.requests().len();
    let run = hcl.spawn(&[
        "replay", &id, "--settle", "60s", "--expect", "hit", "--json",
    ]);
    // Two tries have missed (the second after a wait); now the entry shows.
    gw.wait_for_requests(before + 2);
    gw.show_cache();
    let out = run.finish();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let report: Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(caches(&report), ["HIT"]);
    assert_eq!(report["replays"][0]["met_expectation"], true);
    let attempts = report["replays"][0]["attempts"].as_u64().unwrap();
    assert!(attempts >= 2, "{report}");
    // Every try was sent and logged: 1 plain replay, then the settled ones.
    assert_eq!(gw.requests().len() as u64, before as u64 + attempts);
    assert_eq!(replays_of(&hcl, &id) as u64, 1 + attempts);
    assert_eq!(report["summary"]["hit"], 1);
    assert_eq!(report["summary"]["replayed"], 1);
}

/// A request that never hits gives up at the deadline with a MISS, after
/// more than one try; the table has a tries column.
#[test]
fn settle_gives_up_at_the_deadline_with_a_miss() {
    let gw = FakeGateway::start();
    let hcl = Hcl::with_gateway(&gw);
    gw.set_cache_propagation(Duration::from_secs(3600));
    let id = chat(&hcl, &["--cache", "never shows"]);
    let started = std::time::Instant::now();
    let out = hcl
        .cmd()
        .args(["replay", &id, "--settle", "2s", "--expect", "hit"])
        .output()
        .unwrap();
    // A lower bound only: it waited for the deadline.
    assert!(started.elapsed() >= Duration::from_secs(2));
    assert_eq!(out.status.code(), Some(6), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(text.contains("tries"), "{text}");
    assert!(text.contains("MISS ✗"), "{text}");
    // 1 s, then the last try at the deadline: 3 tries, each logged.
    let tries = replays_of(&hcl, &id);
    assert!(tries >= 2, "{tries} tries");
    let row = text.lines().find(|l| l.contains("MISS ✗")).unwrap();
    assert!(row.contains(&format!(" {tries} ")), "{row}");

    // Without --settle nothing changes: one send, no tries column.
    let out = hcl.cmd().args(["replay", &id]).output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(!stdout(&out).contains("tries"), "{}", stdout(&out));
    assert_eq!(replays_of(&hcl, &id), tries + 1);

    let out = hcl
        .cmd()
        .args(["replay", &id, "--settle", "soon"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert_stderr_has(&out, "--settle 'soon' is not a duration");
    let out = hcl
        .cmd()
        .args(["replay", &id, "--settle", "5s", "--expect", "miss"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert_stderr_has(&out, "cannot go with --expect miss");
}

/// Ctrl-C while a MISS waits to be sent again: hcl stops waiting, exits
/// 130, and every try sent so far is logged.
#[cfg(unix)]
#[test]
fn ctrl_c_while_settling_exits_130_with_the_tries_logged() {
    let gw = FakeGateway::start();
    let hcl = Hcl::with_gateway(&gw);
    gw.set_cache_propagation(Duration::from_secs(3600));
    let id = chat(&hcl, &["--cache", "interrupt me"]);
    let before = gw.requests().len();
    let run = hcl.spawn(&["replay", &id, "--settle", "10m", "--expect", "hit"]);
    gw.wait_for_requests(before + 2);
    // The second try is answered and logged before the signal.
    wait_until("two tries logged", || replays_of(&hcl, &id) == 2);
    run.interrupt();
    let out = run.finish();
    assert_eq!(out.status.code(), Some(130), "{}", stderr(&out));
    assert_stderr_has(&out, "interrupted");
    assert_eq!(replays_of(&hcl, &id), gw.requests().len() - before);
}
