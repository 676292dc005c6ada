//! `hcl chat --batch --resume` after a `kill -9`: what the request log shows
//! as answered is never sent again, and the resumed results are complete and
//! in order.

use std::collections::HashMap;

use serde_json::Value;

use crate::support::hcl::{Hcl, assert_stderr_has, stderr, stdout};
use crate::support::{FakeGateway, Gate, Script, ok_script, wait_until};

/// Lines with and without ids, one plain line given twice.
const LINES: &[&str] = &[
    r#"{"id":"q1","prompt":"question 1"}"#,
    "plain 2",
    r#"{"id":3,"prompt":"question 3"}"#,
    "twice",
    r#"{"prompt":"object without id 5"}"#,
    r#"{"id":"q6","prompt":"question 6"}"#,
    "twice",
    "plain 8",
    r#"{"id":"q9","prompt":"question 9"}"#,
    "plain 10",
];

/// The prompt a line sends.
fn prompt_of(line: &str) -> String {
    match serde_json::from_str::<Value>(line) {
        Ok(v) if v.is_object() => v["prompt"].as_str().unwrap().to_string(),
        _ => line.to_string(),
    }
}

fn write_input(hcl: &Hcl) -> String {
    let path = hcl.dir.path().join("evals.jsonl");
    std::fs::write(&path, LINES.join("\n") + "\n").unwrap();
    path.display().to_string()
}

/// The prompt each request to the fake sent, in arrival order.
fn sent_prompts(gw: &FakeGateway) -> Vec<String> {
    gw.requests()
        .iter()
        .map(|r| {
            r.json()["messages"][0]["content"]
                .as_str()
                .unwrap()
                .to_string()
        })
        .collect()
}

fn answered_records(hcl: &Hcl) -> Vec<Value> {
    hcl.records()
        .into_iter()
        .filter(|r| r["response"]["status"] == 200 && r["error"].is_null())
        .collect()
}

fn count<I: IntoIterator<Item = String>>(items: I) -> HashMap<String, usize> {
    let mut m = HashMap::new();
    for i in items {
        *m.entry(i).or_default() += 1;
    }
    m
}

/// Run the batch so that the fake answers `answered` requests and holds the
/// rest; once the log shows those answers and one more request is in
/// flight, `kill -9` hcl. Returns what it wrote to stdout.
fn killed_run(hcl: &Hcl, gw: &FakeGateway, args: &[&str], answered: usize) -> String {
    gw.clear_scripts();
    let before = answered_records(hcl).len();
    let sent_before = gw.requests().len();
    for i in 0..answered {
        gw.push_script(ok_script(&format!("answer {i}")));
    }
    let gate = Gate::new();
    for _ in 0..LINES.len() {
        gw.push_script(Script::Await(gate.waiter(), Box::new(ok_script("late"))));
    }
    let run = hcl.spawn(args);
    wait_until(&format!("{answered} answers in the log"), || {
        answered_records(hcl).len() >= before + answered
    });
    gw.wait_for_requests(sent_before + answered + 1);
    run.kill9();
    let out = run.finish();
    assert_eq!(out.status.code(), None, "killed by a signal");
    // The held requests were never answered: hcl is gone.
    gate.open();
    gw.clear_scripts();
    assert_eq!(answered_records(hcl).len(), before + answered);
    stdout(&out)
}

/// Resume, and check that exactly the unanswered lines were sent, and that
/// the results are complete, ok, and (unless unordered) in input order.
fn resume_and_check(hcl: &Hcl, gw: &FakeGateway, args: &[&str], unordered: bool) -> Vec<Value> {
    let answered = count(
        answered_records(hcl)
            .iter()
            .map(|r| prompt_of_body(&r["request"]["body"])),
    );
    let sent_before = gw.requests().len();
    let out = hcl.cmd().args(args).output().unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let resent = count(sent_prompts(gw).split_off(sent_before));
    for (prompt, n) in count(LINES.iter().map(|l| prompt_of(l))) {
        let done = answered.get(&prompt).copied().unwrap_or(0).min(n);
        assert_eq!(
            resent.get(&prompt).copied().unwrap_or(0),
            n - done,
            "{prompt:?}: {n} lines, {done} answered before"
        );
    }
    let results: Vec<Value> = stdout(&out)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let mut lines: Vec<u64> = results
        .iter()
        .map(|r| r["line"].as_u64().unwrap())
        .collect();
    if unordered {
        lines.sort_unstable();
    }
    assert_eq!(lines, (1..=LINES.len() as u64).collect::<Vec<_>>());
    for r in &results {
        assert_eq!(r["status"], 200, "{r}");
        assert!(r["error"].is_null(), "{r}");
        let line = LINES[r["line"].as_u64().unwrap() as usize - 1];
        let want_id = serde_json::from_str::<Value>(line)
            .ok()
            .and_then(|v| v.get("id").cloned())
            .unwrap_or(Value::Null);
        assert_eq!(r["id"], want_id, "{r}");
    }
    let resumed = results.iter().filter(|r| r["resumed"] == true).count();
    assert_eq!(resumed, answered.values().sum::<usize>().min(LINES.len()));
    results
}

fn prompt_of_body(body: &Value) -> String {
    body["messages"][0]["content"].as_str().unwrap().to_string()
}

fn batch_args<'a>(file: &'a str, extra: &[&'a str]) -> Vec<&'a str> {
    let mut a = vec!["chat", "--batch", file, "-j", "3"];
    a.extend_from_slice(extra);
    a
}

#[test]
fn an_ordered_batch_killed_early_resumes_from_the_log_alone() {
    let gw = FakeGateway::start();
    let hcl = Hcl::with_gateway(&gw);
    let file = write_input(&hcl);
    killed_run(&hcl, &gw, &batch_args(&file, &[]), 0);
    let results = resume_and_check(&hcl, &gw, &batch_args(&file, &["--resume"]), false);
    assert!(results.iter().all(|r| r["resumed"].is_null()));
}

#[test]
fn an_ordered_batch_killed_midway_resumes_twice_without_resending() {
    let gw = FakeGateway::start();
    let hcl = Hcl::with_gateway(&gw);
    let file = write_input(&hcl);
    let first = killed_run(&hcl, &gw, &batch_args(&file, &[]), 3);
    // Killed again while resuming: the second run continues the same batch.
    killed_run(&hcl, &gw, &batch_args(&file, &["--resume"]), 4);
    let results = resume_and_check(&hcl, &gw, &batch_args(&file, &["--resume"]), false);
    // One batch id throughout, and every record names its line.
    let recs = hcl.records();
    let batches = count(
        recs.iter()
            .map(|r| r["batch"].as_str().unwrap().to_string()),
    );
    assert_eq!(batches.len(), 1, "{batches:?}");
    for r in &recs {
        let line = &r["line"];
        assert!(line["n"].as_u64().is_some(), "{r}");
        assert!(line["id"].is_null() != line["digest"].is_null(), "{line}");
        assert_eq!(r["batch_input"], file.as_str());
    }
    let r = &results[1];
    assert!(r["log_id"].as_str().is_some());
    // An ordered run killed with answers held back wrote fewer results than it logged.
    assert!(first.lines().count() <= 3, "{first}");
}

#[test]
fn an_unordered_batch_resumes_with_its_results_file() {
    let gw = FakeGateway::start();
    let hcl = Hcl::with_gateway(&gw);
    let file = write_input(&hcl);
    let first = killed_run(&hcl, &gw, &batch_args(&file, &["--unordered"]), 5);
    let prior = hcl.dir.path().join("results-1.jsonl");
    std::fs::write(&prior, &first).unwrap();
    let prior = prior.display().to_string();
    let results = resume_and_check(
        &hcl,
        &gw,
        &batch_args(&file, &["--unordered", "--resume", &prior]),
        true,
    );
    // A resumed result is the answer the log holds for it.
    for r in results.iter().filter(|r| r["resumed"] == true) {
        assert!(r["text"].as_str().unwrap().starts_with("answer "), "{r}");
        assert_eq!(r["usage"]["total"], 5, "{r}");
    }
}

#[test]
fn an_unordered_batch_killed_late_resumes_with_a_named_batch() {
    let gw = FakeGateway::start();
    let hcl = Hcl::with_gateway(&gw);
    let file = write_input(&hcl);
    let named = ["--unordered", "-p", "Hcl-Batch=nightly-7"];
    killed_run(&hcl, &gw, &batch_args(&file, &named), 8);
    // The input moved: the batch is found by its name.
    let moved = hcl.dir.path().join("moved.jsonl");
    std::fs::rename(&file, &moved).unwrap();
    let moved = moved.display().to_string();
    let mut args = batch_args(&moved, &named);
    args.push("--resume");
    resume_and_check(&hcl, &gw, &args, true);
    assert!(hcl.records().iter().all(|r| r["batch"] == "nightly-7"));
}

#[test]
fn resume_says_what_it_continues_and_refuses_what_it_cannot_tell() {
    let gw = FakeGateway::start();
    let hcl = Hcl::with_gateway(&gw);
    let file = write_input(&hcl);
    // Nothing in the log yet: a note, and every line is sent.
    let out = hcl
        .cmd()
        .args(["chat", "--batch", &file, "--resume"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert_stderr_has(&out, "no earlier batch read from");
    assert_eq!(gw.requests().len(), LINES.len());
    // Now everything is done: nothing is sent, every result is written again.
    let out = hcl
        .cmd()
        .args(["chat", "--batch", &file, "--resume"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert_stderr_has(&out, "lines answered in the request log are not sent again");
    assert_eq!(gw.requests().len(), LINES.len());
    assert_eq!(stdout(&out).lines().count(), LINES.len());
    // Other flags would send the lines elsewhere: the earlier answers are
    // kept, and a warning says so once.
    let out = hcl
        .cmd()
        .args([
            "chat",
            "--batch",
            &file,
            "--resume",
            "-P",
            "openai",
            "-m",
            "gpt-other",
        ])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert_stderr_has(&out, "keeps line 1's earlier answer");
    assert_eq!(stderr(&out).matches("earlier answer from").count(), 1);
    assert_eq!(gw.requests().len(), LINES.len());

    let out = hcl
        .cmd()
        .args(["chat", "--batch", "-", "--resume"])
        .write_stdin("hello\n")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert_stderr_has(&out, "-p Hcl-Batch=ID");
    // From stdin with the earlier results file: its log ids find the batch.
    let stdin_lines = "one\ntwo\nthree\n";
    let out = hcl
        .cmd()
        .args(["chat", "--batch", "-"])
        .write_stdin(stdin_lines)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let prior = hcl.dir.path().join("stdin-results.jsonl");
    std::fs::write(
        &prior,
        stdout(&out).lines().take(2).collect::<Vec<_>>().join("\n"),
    )
    .unwrap();
    let sent = gw.requests().len();
    let out = hcl
        .cmd()
        .args(["chat", "--batch", "-", "--resume"])
        .arg(&prior)
        .write_stdin(stdin_lines)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert_stderr_has(&out, "3 lines answered in the request log");
    assert_eq!(gw.requests().len(), sent, "nothing sent again");
    assert_eq!(stdout(&out).lines().count(), 3);
    let out = hcl
        .cmd()
        .args(["chat", "--batch", &file, "--resume", "--no-log"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert_stderr_has(&out, "--no-log");
    assert_eq!(gw.requests().len(), sent);
}
