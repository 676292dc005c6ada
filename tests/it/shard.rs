//! CI at scale: `--shard K/N` on `chat --batch` and `replay`, `hcl log
//! merge`, and the JUnit report of `chat --batch --junit`.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::support::hcl::{Hcl, assert_stderr_has, stderr, stdout};
use crate::support::{FakeGateway, Script, ok_script};

/// A batch of `n` lines: every third without an id (a plain prompt or an
/// object), the rest with ids.
fn mixed_lines(n: usize) -> Vec<String> {
    (1..=n)
        .map(|i| match i % 3 {
            0 => format!("plain prompt number {i}"),
            1 => format!(r#"{{"prompt":"object prompt {i}"}}"#),
            _ => format!(r#"{{"id":"q{i}","prompt":"question {i}"}}"#),
        })
        .collect()
}

fn write_input(dir: &Path, lines: &[String]) -> String {
    let path = dir.join("in.jsonl");
    std::fs::write(&path, lines.join("\n") + "\n").unwrap();
    path.display().to_string()
}

fn results(out: &std::process::Output) -> Vec<Value> {
    stdout(out)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
        .collect()
}

fn shard_log(hcl: &Hcl, k: u32) -> PathBuf {
    hcl.dir.path().join(format!("shard-{k}.jsonl"))
}

/// Run shard k/n of the batch with its own log; its result lines.
fn run_shard(hcl: &Hcl, file: &str, k: u32, n: u32, extra: &[&str]) -> Vec<Value> {
    let log = shard_log(hcl, k);
    let out = hcl
        .cmd()
        .env("HCL_LOG", &log)
        .args(["chat", "--batch", file, "--shard", &format!("{k}/{n}")])
        .args(["-p", "Hcl-Batch=evals", "--cache"])
        .args(extra)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert_stderr_has(&out, &format!("shard: {k}/{n}"));
    results(&out)
}

fn lines_of(rs: &[Value]) -> Vec<u64> {
    rs.iter().map(|r| r["line"].as_u64().unwrap()).collect()
}

fn records(path: &Path) -> Vec<Value> {
    std::fs::read_to_string(path)
        .unwrap_or_default()
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

#[cfg(unix)]
fn mode(path: &Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path).unwrap().permissions().mode() & 0o777
}

#[test]
fn four_batch_shards_are_the_whole_batch_without_overlap() {
    let gw = FakeGateway::start();
    let hcl = Hcl::with_gateway(&gw);
    let lines = mixed_lines(24);
    let file = write_input(hcl.dir.path(), &lines);
    let mut seen = Vec::new();
    for k in 1..=4 {
        let rs = run_shard(&hcl, &file, k, 4, &[]);
        let mine = lines_of(&rs);
        // Every record of the shard's own log is tagged with the shard.
        let logged = records(&shard_log(&hcl, k));
        assert_eq!(logged.len(), mine.len());
        assert!(logged.iter().all(|r| r["shard"] == format!("{k}/4")));
        if let Some(r) = logged.first() {
            let out = hcl
                .cmd()
                .env("HCL_LOG", shard_log(&hcl, k))
                .args(["log", "show", r["id"].as_str().unwrap()])
                .output()
                .unwrap();
            assert!(
                stdout(&out).contains(&format!("evals · attempt 1 · shard {k}/4")),
                "{}",
                stdout(&out)
            );
        }
        seen.extend(mine);
    }
    let unique: BTreeSet<u64> = seen.iter().copied().collect();
    assert_eq!(
        seen.len(),
        unique.len(),
        "a line ran in two shards: {seen:?}"
    );
    assert_eq!(unique, (1..=24).collect::<BTreeSet<u64>>());
    assert_eq!(gw.requests().len(), 24);
    // Nothing went to the default log.
    assert!(!hcl.log_path().exists());

    // Merged, the four shards' log holds what one run's log holds.
    let whole = hcl.dir.path().join("whole.jsonl");
    let out = hcl
        .cmd()
        .env("HCL_LOG", &whole)
        .args(["chat", "--batch", &file, "-p", "Hcl-Batch=evals", "--cache"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let merged = hcl.dir.path().join("merged.jsonl");
    let shards: Vec<String> = (1..=4)
        .map(|k| shard_log(&hcl, k).display().to_string())
        .collect();
    let mut args: Vec<&str> = shards.iter().map(String::as_str).collect();
    args.extend(["-o", merged.to_str().unwrap()]);
    let out = merge(&hcl, &args);
    assert!(out.status.success(), "{}", stderr(&out));
    let requests = |path: &Path| {
        let mut r: Vec<String> = records(path)
            .iter()
            .map(|r| {
                let mut req = r["request"].clone();
                req["headers"] = Value::Null; // the request id differs
                req.to_string()
            })
            .collect();
        r.sort();
        r
    };
    assert_eq!(requests(&merged), requests(&whole));
}

#[test]
fn a_shard_is_the_same_lines_every_time_and_the_summary_counts_the_rest() {
    let gw = FakeGateway::start();
    let hcl = Hcl::with_gateway(&gw);
    let lines = mixed_lines(12);
    let file = write_input(hcl.dir.path(), &lines);
    let first = lines_of(&run_shard(&hcl, &file, 2, 3, &[]));
    let out = hcl
        .cmd()
        .args(["chat", "--batch", &file, "--shard", "2/3", "--no-log"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(lines_of(&results(&out)), first);
    assert_stderr_has(
        &out,
        &format!("skipped (other shards): {}", 12 - first.len()),
    );
    // The partition is SHA-256 of the id, mod N, plus 1: id "a" is in
    // shard 3 of 4 on every machine and in every version.
    let one = write_input(hcl.dir.path(), &[r#"{"id":"a","prompt":"x"}"#.to_string()]);
    for (k, expected) in [(3, 1), (1, 0), (2, 0), (4, 0)] {
        let out = hcl
            .cmd()
            .args(["chat", "--batch", &one, "--no-log", "--shard"])
            .arg(format!("{k}/4"))
            .output()
            .unwrap();
        assert!(out.status.success(), "{}", stderr(&out));
        assert_eq!(results(&out).len(), expected, "shard {k}");
    }
}

#[test]
fn bad_shard_specs_are_usage_errors() {
    let gw = FakeGateway::start();
    let hcl = Hcl::with_gateway(&gw);
    let file = write_input(hcl.dir.path(), &mixed_lines(3));
    for spec in ["0/4", "5/4", "a/b", "1/0", "2"] {
        for args in [
            vec!["chat", "--batch", &file, "--shard", spec],
            vec!["replay", "--all", "--shard", spec],
        ] {
            let out = hcl.cmd().args(&args).output().unwrap();
            assert_eq!(out.status.code(), Some(2), "{args:?}: {}", stderr(&out));
            let err = stderr(&out);
            let first = err.lines().next().unwrap_or_default();
            assert!(first.contains("K/N with 1 ≤ K ≤ N"), "{err}");
        }
    }
    let out = hcl
        .cmd()
        .args(["chat", "--shard", "1/2", "hello"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert_stderr_has(&out, "--shard applies to --batch FILE only");
    // A report that cannot be written stops the run before anything is sent.
    let dir = hcl.dir.path().display().to_string();
    let out = hcl
        .cmd()
        .args(["chat", "--batch", &file, "--junit", &dir])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert_stderr_has(&out, "cannot write the JUnit report --junit");
    assert!(gw.requests().is_empty());
}

/// A log of `lines` batch records (with and without ids) in the default log.
fn logged_batch(hcl: &Hcl, n: usize) -> Vec<String> {
    let file = write_input(hcl.dir.path(), &mixed_lines(n));
    let out = hcl
        .cmd()
        .args(["chat", "--batch", &file, "--cache"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    hcl.records()
        .iter()
        .map(|r| r["id"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn four_replay_shards_replay_every_record_once() {
    let gw = FakeGateway::start();
    let hcl = Hcl::with_gateway(&gw);
    let ids = logged_batch(&hcl, 16);
    let mut seen = Vec::new();
    let mut others = 0;
    for k in 1..=4 {
        let out = hcl
            .cmd()
            .args(["replay", "--all", "--json", "--no-log", "--expect", "hit"])
            .arg("--shard")
            .arg(format!("{k}/4"))
            .output()
            .unwrap();
        assert!(out.status.success(), "{}", stderr(&out));
        let report: Value = serde_json::from_str(&stdout(&out)).unwrap();
        for r in report["replays"].as_array().unwrap() {
            assert_eq!(r["cache"], "HIT");
            seen.push(r["original_id"].as_str().unwrap().to_string());
        }
        others += report["summary"]["other_shards"].as_u64().unwrap();
    }
    let unique: BTreeSet<&String> = seen.iter().collect();
    assert_eq!(seen.len(), unique.len(), "a record replayed twice");
    assert_eq!(unique, ids.iter().collect::<BTreeSet<_>>());
    assert_eq!(others, 3 * 16);
}

#[test]
fn an_empty_replay_shard_succeeds_with_a_note() {
    let gw = FakeGateway::start();
    let hcl = Hcl::with_gateway(&gw);
    logged_batch(&hcl, 1);
    // One record: exactly one of two shards holds it.
    let codes: Vec<(i32, String)> = ["1/2", "2/2"]
        .iter()
        .map(|s| {
            let out = hcl
                .cmd()
                .args(["replay", "--last", "1", "--no-log", "--shard", s])
                .output()
                .unwrap();
            (out.status.code().unwrap(), stderr(&out) + &stdout(&out))
        })
        .collect();
    assert!(codes.iter().all(|(c, _)| *c == 0), "{codes:?}");
    let empty: Vec<_> = codes
        .iter()
        .filter(|(_, text)| text.contains("holds none of the 1 selected requests"))
        .collect();
    assert_eq!(empty.len(), 1, "{codes:?}");
    assert!(empty[0].1.contains("0 replayed"), "{codes:?}");
}

/// Two shard logs of one batch (ids and no ids).
fn two_shard_logs(gw: &FakeGateway, hcl: &Hcl) -> (PathBuf, PathBuf) {
    let _ = gw;
    let file = write_input(hcl.dir.path(), &mixed_lines(10));
    run_shard(hcl, &file, 1, 2, &[]);
    run_shard(hcl, &file, 2, 2, &[]);
    (shard_log(hcl, 1), shard_log(hcl, 2))
}

fn merge(hcl: &Hcl, args: &[&str]) -> std::process::Output {
    hcl.cmd()
        .args(["log", "merge"])
        .args(args)
        .output()
        .unwrap()
}

#[test]
fn merge_drops_duplicates_skips_bad_lines_and_sorts_by_time() {
    let gw = FakeGateway::start();
    let hcl = Hcl::with_gateway(&gw);
    let (s1, s2) = two_shard_logs(&gw, &hcl);
    let total = records(&s1).len() + records(&s2).len();
    assert_eq!(total, 10);

    // A copy of shard 1, newest first, with a corrupt line and a torn end.
    let mut text: Vec<String> = std::fs::read_to_string(&s1)
        .unwrap()
        .lines()
        .map(String::from)
        .collect();
    text.reverse();
    text.insert(1, "this is not a record".to_string());
    let torn = text[0][..text[0].len() / 2].to_string();
    let bad = hcl.dir.path().join("reversed.jsonl");
    std::fs::write(&bad, text.join("\n") + "\n" + &torn).unwrap();

    let out_path = hcl.dir.path().join("merged.jsonl");
    let out = merge(
        &hcl,
        &[
            s2.to_str().unwrap(),
            bad.to_str().unwrap(),
            s1.to_str().unwrap(),
            s2.to_str().unwrap(),
            "-o",
            out_path.to_str().unwrap(),
        ],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stdout(&out).is_empty());
    let err = stderr(&out);
    let bad_name = bad.display().to_string();
    assert!(
        err.contains(&format!("{bad_name}:2: skipped: not a valid record")),
        "{err}"
    );
    let last = text.len() + 1;
    assert!(
        err.contains(&format!(
            "{bad_name}:{last}: skipped: the last line is incomplete"
        )),
        "{err}"
    );
    assert!(err.contains("merged 10 records from 4 logs"), "{err}");
    assert!(err.contains("2 bad lines skipped"), "{err}");

    let merged = records(&out_path);
    let ids: Vec<&str> = merged.iter().map(|r| r["id"].as_str().unwrap()).collect();
    let unique: BTreeSet<&str> = ids.iter().copied().collect();
    assert_eq!(ids.len(), 10);
    assert_eq!(unique.len(), 10);
    let times: Vec<std::time::SystemTime> = merged
        .iter()
        .map(|r| humantime::parse_rfc3339_weak(r["ts"].as_str().unwrap()).unwrap())
        .collect();
    assert!(times.windows(2).all(|w| w[0] <= w[1]), "not in time order");
    #[cfg(unix)]
    assert_eq!(mode(&out_path), 0o600);
    // Every kept line is a record as written, byte for byte.
    let originals = std::fs::read_to_string(&s1).unwrap() + &std::fs::read_to_string(&s2).unwrap();
    for line in std::fs::read_to_string(&out_path).unwrap().lines() {
        assert!(originals.contains(line));
    }
}

#[test]
fn selection_and_replay_work_on_a_merged_log() {
    let gw = FakeGateway::start();
    let hcl = Hcl::with_gateway(&gw);
    let (s1, s2) = two_shard_logs(&gw, &hcl);
    let merged = hcl.dir.path().join("merged.jsonl");
    let out = merge(
        &hcl,
        &[
            s1.to_str().unwrap(),
            s2.to_str().unwrap(),
            "-o",
            merged.to_str().unwrap(),
        ],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let on_merged = |args: &[&str]| {
        hcl.cmd()
            .env("HCL_LOG", &merged)
            .args(args)
            .output()
            .unwrap()
    };
    // `log list --json` prints one record per line.
    let count = |out: &std::process::Output| {
        assert!(out.status.success(), "{}", stderr(out));
        stdout(out).lines().filter(|l| l.starts_with('{')).count()
    };
    assert_eq!(
        count(&on_merged(&[
            "log", "list", "--batch", "evals", "--all", "--json"
        ])),
        10
    );
    assert_eq!(
        count(&on_merged(&["log", "list", "--last", "3", "--json"])),
        3
    );

    // Replayed whole, as one run would be: every request a HIT.
    let junit = hcl.dir.path().join("replay.xml");
    let out = on_merged(&[
        "replay",
        "--batch",
        "evals",
        "--all",
        "--expect",
        "hit",
        "--json",
        "--junit",
        junit.to_str().unwrap(),
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let report: Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(report["summary"]["replayed"], 10);
    assert_eq!(report["summary"]["hit"], 10);
    let xml = std::fs::read_to_string(&junit).unwrap();
    let doc = roxmltree::Document::parse(&xml).unwrap();
    let names: BTreeSet<&str> = doc
        .descendants()
        .filter(|n| n.has_tag_name("testcase"))
        .map(|n| n.attribute("name").unwrap())
        .collect();
    // A line with an id is named by it, one without by its prompt.
    assert!(
        names.contains("q2") && names.contains("plain prompt number 3"),
        "{names:?}"
    );
    assert!(names.contains("object prompt 1"), "{names:?}");
}

#[test]
fn merge_refuses_to_overwrite_a_log_that_is_not_an_input() {
    let gw = FakeGateway::start();
    let hcl = Hcl::with_gateway(&gw);
    let (s1, s2) = two_shard_logs(&gw, &hcl);
    let before = std::fs::read(&s2).unwrap();
    let out = merge(&hcl, &[s1.to_str().unwrap(), "-o", s2.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    assert_stderr_has(&out, "exists and is not one of the logs being merged");
    assert_eq!(std::fs::read(&s2).unwrap(), before);

    // Into one of its inputs: safe, as the inputs are read first.
    let out = merge(
        &hcl,
        &[
            s2.to_str().unwrap(),
            s1.to_str().unwrap(),
            "-o",
            s2.to_str().unwrap(),
        ],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(records(&s2).len(), 10);

    // A missing input is an error, not an empty log.
    let gone = hcl.dir.path().join("nope.jsonl");
    let new = hcl.dir.path().join("new.jsonl");
    let out = merge(
        &hcl,
        &[
            s1.to_str().unwrap(),
            gone.to_str().unwrap(),
            "-o",
            new.to_str().unwrap(),
        ],
    );
    assert_eq!(out.status.code(), Some(2));
    assert_stderr_has(&out, "nope.jsonl");
    assert!(!new.exists());
    // -o is required.
    let out = merge(&hcl, &[s1.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn merge_merges_the_helicone_annotations_beside_the_logs() {
    let gw = FakeGateway::start();
    let hcl = Hcl::with_gateway(&gw);
    let (s1, s2) = two_shard_logs(&gw, &hcl);
    let id1 = records(&s1)[0]["id"].as_str().unwrap().to_string();
    let id2 = records(&s2)[0]["id"].as_str().unwrap().to_string();
    let event = |id: &str, ts: &str| {
        format!(
            r#"{{"v":1,"id":"{id}","ts":"{ts}","event":"verified","status":"logged","cost_usd":0.5,"latency_ms":9}}"#
        )
    };
    let e1 = event(&id1, "2026-01-01T00:00:02.000Z");
    let e2 = event(&id2, "2026-01-01T00:00:01.000Z");
    std::fs::write(
        hcl.dir.path().join("shard-1.helicone.jsonl"),
        format!("{e1}\nnot json\n"),
    )
    .unwrap();
    // The same event twice (a copied sidecar) is kept once.
    std::fs::write(
        hcl.dir.path().join("shard-2.helicone.jsonl"),
        format!("{e2}\n{e1}\n"),
    )
    .unwrap();
    let merged = hcl.dir.path().join("merged.jsonl");
    // As `shard-*.jsonl` would: the annotation files among the logs.
    let side1 = hcl.dir.path().join("shard-1.helicone.jsonl");
    let out = merge(
        &hcl,
        &[
            s1.to_str().unwrap(),
            side1.to_str().unwrap(),
            s2.to_str().unwrap(),
            "-o",
            merged.to_str().unwrap(),
        ],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    assert_stderr_has(&out, "holds the Helicone annotations of a log, not records");
    assert_stderr_has(&out, "merged 10 records from 2 logs");
    assert_stderr_has(&out, "shard-1.helicone.jsonl:2: skipped");
    assert_stderr_has(&out, "2 Helicone annotations into");
    let side = hcl.dir.path().join("merged.helicone.jsonl");
    assert_eq!(
        std::fs::read_to_string(&side).unwrap(),
        format!("{e2}\n{e1}\n")
    );
    #[cfg(unix)]
    assert_eq!(mode(&side), 0o600);
    // `log show` on the merged log knows the cost.
    let out = hcl
        .cmd()
        .env("HCL_LOG", &merged)
        .args(["log", "show", &id1])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stdout(&out).contains("0.5"), "{}", stdout(&out));
}

#[test]
fn batch_junit_names_cases_by_id_or_prompt_with_failures_and_reasons() {
    let gw = FakeGateway::start();
    let hcl = Hcl::with_gateway(&gw);
    // One at a time, in order: the first line meets the fake's refusal.
    let lines = [
        r#"{"id":7,"prompt":"refused"}"#.to_string(),
        r#"{"id":"q1","prompt":"first question"}"#.to_string(),
        "a plain prompt that is rather longer than sixty characters, so it is cut short"
            .to_string(),
        r#"{"id":"bad","prompt":"x","colour":"red"}"#.to_string(),
    ];
    let file = write_input(hcl.dir.path(), &lines);
    gw.push_script(Script::Respond {
        status: 400,
        headers: vec![("content-type".into(), "application/json".into())],
        body: r#"{"error":{"message":"the prompt was refused","type":"invalid_request_error"}}"#
            .into(),
    });
    let junit = hcl.dir.path().join("batch.xml");
    let out = hcl
        .cmd()
        .args([
            "chat",
            "--batch",
            &file,
            "-j",
            "1",
            "-P",
            "openai",
            "-m",
            "gpt-4o-mini",
        ])
        .args(["-p", "Hcl-Batch=ci", "--junit", junit.to_str().unwrap()])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    #[cfg(unix)]
    assert_eq!(mode(&junit), 0o600);
    let xml = std::fs::read_to_string(&junit).unwrap();
    let doc = roxmltree::Document::parse(&xml).unwrap();
    let suite = doc
        .descendants()
        .find(|n| n.has_tag_name("testsuite"))
        .unwrap();
    assert_eq!(suite.attribute("name"), Some("hcl chat --batch"));
    assert_eq!(suite.attribute("tests"), Some("4"));
    assert_eq!(suite.attribute("failures"), Some("2"), "{xml}");
    let cases: Vec<_> = suite
        .children()
        .filter(|n| n.has_tag_name("testcase"))
        .collect();
    let names: Vec<&str> = cases.iter().map(|c| c.attribute("name").unwrap()).collect();
    assert_eq!(
        names,
        [
            "7",
            "q1",
            "a plain prompt that is rather longer than sixty characters, …",
            "bad"
        ]
    );
    for c in &cases[..3] {
        assert_eq!(c.attribute("classname"), Some("openai/gpt-4o-mini"));
        assert!(c.attribute("time").is_some());
    }
    let failure = |i: usize| cases[i].children().find(|n| n.has_tag_name("failure"));
    assert!(failure(1).is_none() && failure(2).is_none());
    let refused = failure(0).unwrap();
    let message = refused.attribute("message").unwrap();
    assert!(
        message.contains("HTTP 400") && message.contains("refused"),
        "{message}"
    );
    let input = failure(3).unwrap();
    assert!(
        input.attribute("message").unwrap().starts_with("input: "),
        "{xml}"
    );
    assert!(input.text().unwrap_or_default().contains("colour"), "{xml}");
}

#[test]
fn batch_junit_skips_the_lines_fail_fast_never_ran() {
    let gw = FakeGateway::start();
    let hcl = Hcl::with_gateway(&gw);
    let file = write_input(hcl.dir.path(), &mixed_lines(3));
    gw.push_script(Script::Respond {
        status: 400,
        headers: vec![("content-type".into(), "application/json".into())],
        body: r#"{"error":{"message":"no","type":"invalid_request_error"}}"#.into(),
    });
    let junit = hcl.dir.path().join("batch.xml");
    let out = hcl
        .cmd()
        .args([
            "chat",
            "--batch",
            &file,
            "-j",
            "1",
            "--fail-fast",
            "--junit",
        ])
        .arg(&junit)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let xml = std::fs::read_to_string(&junit).unwrap();
    let doc = roxmltree::Document::parse(&xml).unwrap();
    let suite = doc
        .descendants()
        .find(|n| n.has_tag_name("testsuite"))
        .unwrap();
    assert_eq!(suite.attribute("tests"), Some("3"), "{xml}");
    assert_eq!(suite.attribute("failures"), Some("1"), "{xml}");
    assert_eq!(suite.attribute("skipped"), Some("2"), "{xml}");
}

/// The line numbers of the batch records logged after the first `skip`.
fn logged_lines_after(hcl: &Hcl, skip: usize) -> BTreeSet<u64> {
    hcl.records()[skip..]
        .iter()
        .map(|r| r["line"]["n"].as_u64().unwrap())
        .collect()
}

#[test]
fn resuming_a_shard_continues_that_shards_batch_in_a_shared_log() {
    let gw = FakeGateway::start();
    let hcl = Hcl::with_gateway(&gw);
    let file = write_input(hcl.dir.path(), &mixed_lines(16));
    let shard = |k: u32, extra: &[&str]| {
        hcl.cmd()
            .args(["chat", "--batch", &file, "-j", "1", "--max-retries", "0"])
            .args(["--shard", &format!("{k}/2")])
            .args(extra)
            .output()
            .unwrap()
    };
    // Shard 2, cut short: its first two lines answered, the others failed.
    gw.push_script(ok_script("ok"));
    gw.push_script(ok_script("ok"));
    for _ in 0..16 {
        gw.push_script(Script::Respond {
            status: 500,
            headers: vec![],
            body: "down".into(),
        });
    }
    let out = shard(2, &[]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    gw.clear_scripts();
    let first = results(&out);
    let failed: BTreeSet<u64> = first
        .iter()
        .filter(|r| r["status"] != 200)
        .map(|r| r["line"].as_u64().unwrap())
        .collect();
    assert!(failed.len() >= 2, "{first:?}");
    let batch2 = hcl.records()[0]["batch"].as_str().unwrap().to_string();
    // Then shard 1, whole, into the same log: the newest batch of the input.
    let out = shard(1, &[]);
    assert!(out.status.success(), "{}", stderr(&out));
    let logged = hcl.records().len();

    // Resuming shard 2 continues shard 2's batch: only its failed lines go out.
    let sent = gw.requests().len();
    let out = shard(2, &["--resume"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_stderr_has(&out, &format!("resuming batch {batch2}: 2 lines answered"));
    assert_eq!(gw.requests().len() - sent, failed.len());
    assert_eq!(logged_lines_after(&hcl, logged), failed);
    for r in &hcl.records()[logged..] {
        assert_eq!(r["batch"], batch2.as_str());
        assert_eq!(r["shard"], "2/2");
    }
    // Its results are shard 2's lines, complete and in order.
    let again = results(&out);
    assert_eq!(lines_of(&again), lines_of(&first));
    assert_eq!(again.iter().filter(|r| r["resumed"] == true).count(), 2);
    assert!(again.iter().all(|r| r["status"] == 200), "{again:?}");

    // A shard that never ran here finds no batch of its own and sends all.
    let out = shard(1, &["--resume", "--no-log"]);
    assert_eq!(out.status.code(), Some(2), "--no-log without RESULTS");
    let out = hcl
        .cmd()
        .args(["chat", "--batch", &file, "--shard", "3/3", "--resume"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert_stderr_has(
        &out,
        "as shard 3/3 or unsharded is in the request log: every line is sent",
    );
}

#[test]
fn a_sharded_resume_continues_an_unsharded_batch_of_the_input() {
    let gw = FakeGateway::start();
    let hcl = Hcl::with_gateway(&gw);
    let file = write_input(hcl.dir.path(), &mixed_lines(8));
    let out = hcl.cmd().args(["chat", "--batch", &file]).output().unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let whole = hcl.records()[0]["batch"].as_str().unwrap().to_string();
    let sent = gw.requests().len();
    let out = hcl
        .cmd()
        .args(["chat", "--batch", &file, "--shard", "1/2", "--resume"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert_stderr_has(&out, &format!("resuming batch {whole}"));
    assert_eq!(gw.requests().len(), sent, "every line was answered");
    assert!(results(&out).iter().all(|r| r["resumed"] == true));
}

#[test]
fn replay_shards_of_a_whole_batch_follow_the_batch_shards_of_lines_with_ids() {
    let gw = FakeGateway::start();
    let hcl = Hcl::with_gateway(&gw);
    let lines = mixed_lines(24);
    let file = write_input(hcl.dir.path(), &lines);
    // One unsharded run logs the whole batch.
    let out = hcl
        .cmd()
        .args(["chat", "--batch", &file, "--cache", "-p", "Hcl-Batch=whole"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let line_of: std::collections::HashMap<String, (u64, bool)> = hcl
        .records()
        .iter()
        .map(|r| {
            let line = &r["line"];
            let has_id = !line["id"].is_null();
            (
                r["id"].as_str().unwrap().to_string(),
                (line["n"].as_u64().unwrap(), has_id),
            )
        })
        .collect();
    let mut replayed = BTreeSet::new();
    for k in 1..=4 {
        // Where chat --batch --shard puts each line.
        let out = hcl
            .cmd()
            .args(["chat", "--batch", &file, "--no-log", "--shard"])
            .arg(format!("{k}/4"))
            .output()
            .unwrap();
        assert!(out.status.success(), "{}", stderr(&out));
        let batch_shard: BTreeSet<u64> = lines_of(&results(&out)).into_iter().collect();
        // Where replay --shard puts each record of the unsharded run.
        let out = hcl
            .cmd()
            .args([
                "replay", "--batch", "whole", "--json", "--no-log", "--shard",
            ])
            .arg(format!("{k}/4"))
            .output()
            .unwrap();
        assert!(out.status.success(), "{}", stderr(&out));
        let report: Value = serde_json::from_str(&stdout(&out)).unwrap();
        let replay_shard: BTreeSet<u64> = report["replays"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| line_of[r["original_id"].as_str().unwrap()].0)
            .collect();
        let with_ids = |s: &BTreeSet<u64>| -> BTreeSet<u64> {
            s.iter()
                .copied()
                .filter(|n| line_of.values().any(|(m, id)| m == n && *id))
                .collect()
        };
        assert_eq!(
            with_ids(&replay_shard),
            with_ids(&batch_shard),
            "shard {k}/4"
        );
        for n in replay_shard {
            assert!(replayed.insert(n), "line {n} replayed in two shards");
        }
    }
    assert_eq!(replayed, (1..=24).collect::<BTreeSet<u64>>());
    // Lines with ids are a third of the batch: the check compared some.
    assert_eq!(line_of.values().filter(|(_, id)| *id).count(), 8);
}
