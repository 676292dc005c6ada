//! `hcl log`: listing with filters, a corrupt log, HAR export.

use serde_json::Value;

use crate::support::FakeGateway;
use crate::support::hcl::{Hcl, assert_stderr_has, assert_stderr_lacks, stderr, stdout};

fn chat(hcl: &Hcl, args: &[&str]) {
    let out = hcl.cmd().arg("chat").args(args).output().unwrap();
    assert!(out.status.success(), "chat failed: {}", stderr(&out));
}

/// `hcl log list --json ARGS`: the ids listed.
fn list(hcl: &Hcl, args: &[&str]) -> Vec<String> {
    let out = hcl
        .cmd()
        .args(["log", "list", "--json"])
        .args(args)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    stdout(&out)
        .lines()
        .map(|l| {
            serde_json::from_str::<Value>(l).unwrap()["id"]
                .as_str()
                .unwrap()
                .to_string()
        })
        .collect()
}

fn append(hcl: &Hcl, bytes: &str) {
    use std::io::Write;
    let mut f = std::fs::OpenOptions::new()
        .append(true)
        .open(hcl.log_path())
        .unwrap();
    f.write_all(bytes.as_bytes()).unwrap();
}

#[test]
fn list_filters_select_records() {
    let gw = FakeGateway::start();
    let hcl = Hcl::with_gateway(&gw);
    chat(&hcl, &["-P", "anthropic", "one"]);
    chat(&hcl, &["-p", "env=ci", "two"]);
    chat(&hcl, &["three"]);
    gw.push_script(crate::support::Script::Respond {
        status: 500,
        headers: vec![],
        body: "{}".into(),
    });
    let out = hcl.cmd().args(["chat", "four"]).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let ids: Vec<String> = hcl
        .records()
        .iter()
        .map(|r| r["id"].as_str().unwrap().to_string())
        .collect();

    assert_eq!(list(&hcl, &[]), ids);
    assert_eq!(list(&hcl, &["-n", "2"]), ids[2..]);
    assert_eq!(list(&hcl, &["--provider", "anthropic"]), ids[..1]);
    assert_eq!(list(&hcl, &["--property", "ENV=ci"]), ids[1..2]);
    assert_eq!(
        list(&hcl, &["--property", "env=prod"]),
        Vec::<String>::new()
    );
    assert_eq!(list(&hcl, &["--status", "error"]), ids[3..]);
    assert_eq!(list(&hcl, &["--status", "ok", "--last", "1"]), ids[2..3]);
    assert_eq!(list(&hcl, &["--since", "1h"]), ids);
    assert_eq!(list(&hcl, &["--since", "2999-01-01"]), Vec::<String>::new());
    assert_eq!(list(&hcl, &["--model", "gpt-4o-mini", "--all"]).len(), 3);

    let out = hcl
        .cmd()
        .args(["log", "show", &ids[1][..6], "--json"])
        .output()
        .unwrap();
    let shown: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(shown["id"], ids[1].as_str());
    assert!(stdout(&out).contains("\n  \"id\""), "pretty JSON");

    let out = hcl.cmd().args(["log", "list"]).output().unwrap();
    let table = stdout(&out);
    assert!(
        table.contains("anthropic") && table.contains("three"),
        "{table}"
    );
    let out = hcl
        .cmd()
        .args(["log", "list", "--since", "yesterday"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert_stderr_has(&out, "--since 'yesterday'");
}

#[test]
fn corrupt_newer_and_torn_lines_are_skipped_with_their_line_numbers() {
    let gw = FakeGateway::start();
    let hcl = Hcl::with_gateway(&gw);
    chat(&hcl, &["--cache", "one"]);
    append(&hcl, "{\"v\":1,\"id\":\"broken\", nope}\n");
    chat(&hcl, &["--cache", "two"]);
    let mut newer: Value = serde_json::from_str(hcl.log_text().lines().last().unwrap()).unwrap();
    newer["v"] = 99.into();
    newer["id"] = "newer".into();
    append(&hcl, &format!("{newer}\n"));
    append(&hcl, "{\"v\":1,\"id\":\"torn");

    let out = hcl.cmd().args(["log", "list"]).output().unwrap();
    assert!(out.status.success());
    let err = stderr(&out);
    assert_stderr_has(&out, "requests.jsonl:2: skipped");
    assert_stderr_has(&out, "requests.jsonl:4: skipped: written by a newer hcl");
    assert_stderr_has(
        &out,
        "requests.jsonl:5: skipped: the last line is incomplete",
    );
    assert_eq!(err.lines().count(), 3, "one warning per bad line: {err}");
    assert_eq!(stdout(&out).matches("gpt-4o-mini").count(), 2);

    // Reading from the end stops early, yet still names the lines it skipped.
    let out = hcl.cmd().args(["log", "list", "-n", "1"]).output().unwrap();
    assert_stderr_has(&out, ":4: skipped");
    assert_stderr_has(&out, ":5: skipped");
    assert_stderr_lacks(&out, ":2: skipped");

    // Replay goes on with the readable records.
    let out = hcl
        .cmd()
        .args(["replay", "--all", "--expect", "hit"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stdout(&out).contains("2 replayed: 2 HIT"),
        "{}",
        stdout(&out)
    );
}

#[test]
fn har_export_has_one_entry_per_record_and_no_keys() {
    let gw = FakeGateway::start();
    let hcl = Hcl::with_gateway(&gw);
    chat(&hcl, &["--cache", "one"]);
    chat(&hcl, &["-P", "anthropic", "two"]);
    chat(&hcl, &["-P", "gemini", "three"]);
    let file = hcl.dir.path().join("out.har");
    let out = hcl
        .cmd()
        .args(["log", "export", "--har"])
        .arg(&file)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let text = std::fs::read_to_string(&file).unwrap();
    let har: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(har["log"]["version"], "1.2");
    assert_eq!(har["log"]["creator"]["name"], "hcl");
    let entries = har["log"]["entries"].as_array().unwrap();
    let recs = hcl.records();
    assert_eq!(entries.len(), recs.len());
    for (e, r) in entries.iter().zip(&recs) {
        assert_eq!(e["request"]["url"], r["request"]["url"]);
        assert_eq!(e["request"]["method"], "POST");
        assert_eq!(e["response"]["status"], 200);
        assert_eq!(e["response"]["content"]["text"], r["response"]["text"]);
        let body: Value =
            serde_json::from_str(e["request"]["postData"]["text"].as_str().unwrap()).unwrap();
        assert_eq!(body, r["request"]["body"]);
        assert!(e["startedDateTime"].is_string() && e["time"].is_number());
        assert!(
            e["request"]["headers"]
                .as_array()
                .unwrap()
                .iter()
                .all(|h| h["name"].is_string())
        );
    }
    for (_, key) in crate::support::hcl::TEST_KEYS {
        assert!(!text.contains(key));
    }
    // `-` writes to stdout, and the filters apply.
    let out = hcl
        .cmd()
        .args(["log", "export", "--har", "-", "--provider", "gemini"])
        .output()
        .unwrap();
    let har: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(har["log"]["entries"].as_array().unwrap().len(), 1);
}
