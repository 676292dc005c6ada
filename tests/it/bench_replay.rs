//! Benchmarks for `hcl replay` and log selection, run by `bench/replay.sh`
//! (release build): `cargo test --release --test it bench_replay -- --ignored --nocapture`.

use std::time::{Duration, Instant};

use serde_json::Value;

use crate::support::FakeGateway;
use crate::support::hcl::{Hcl, stderr};

/// A log of `n` distinct records cloned from one real chat record: a third
/// of them gpt-4o-mini, the rest gpt-4o, a property on every tenth.
fn synthetic_log(hcl: &Hcl, n: usize) -> String {
    let out = hcl
        .cmd()
        .args(["chat", "--cache", "-p", "env=bench", "-p", "team=search"])
        .arg("Summarise the following paragraph in one sentence, please.")
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let template: Value = hcl.last_record();
    let mut text = String::with_capacity(n * 1600);
    for i in 0..n {
        let mut r = template.clone();
        let id = uuid::Uuid::new_v4().to_string();
        r["id"] = id.clone().into();
        r["request"]["headers"]["Helicone-Request-Id"] = id.into();
        r["request"]["body"]["messages"][0]["content"] =
            format!("Summarise paragraph {i} in one sentence, please.").into();
        if i % 3 != 0 {
            r["model"] = "gpt-4o".into();
        }
        if i % 10 != 0 {
            let h = r["request"]["headers"].as_object_mut().unwrap();
            h.remove("Helicone-Property-env");
        }
        r.as_object_mut().unwrap().remove("cache_key");
        text.push_str(&r.to_string());
        text.push('\n');
    }
    text
}

/// Median and minimum wall time of `runs` runs of `hcl ARGS`.
fn time(hcl: &Hcl, args: &[&str], runs: usize) -> (Duration, Duration) {
    let mut times = Vec::new();
    for _ in 0..runs {
        let t = Instant::now();
        let out = hcl.cmd().args(args).output().unwrap();
        times.push(t.elapsed());
        assert!(out.status.success(), "{args:?}: {}", stderr(&out));
    }
    times.sort();
    (times[runs / 2], times[0])
}

/// Peak resident memory of `hcl ARGS` in KiB, from GNU time.
fn max_rss_kib(hcl: &Hcl, args: &[&str]) -> Option<u64> {
    let c = hcl.std_cmd();
    let program = c.get_program().to_owned();
    let mut timed = std::process::Command::new("/usr/bin/time");
    timed.arg("-f").arg("%M").arg(program).args(args);
    timed.env_clear();
    for (k, v) in c.get_envs() {
        if let Some(v) = v {
            timed.env(k, v);
        }
    }
    timed.stdout(std::process::Stdio::null());
    let out = timed.output().ok()?;
    let err = String::from_utf8_lossy(&out.stderr);
    err.lines().last()?.trim().parse().ok()
}

#[test]
#[ignore = "benchmark: bench/replay.sh"]
fn bench_replay_1000_at_j32() {
    let gw = FakeGateway::start();
    let hcl = Hcl::with_gateway(&gw);
    let log = synthetic_log(&hcl, 1000);
    let mut best = Duration::MAX;
    for round in 0..3 {
        std::fs::write(hcl.log_path(), &log).unwrap();
        let t = Instant::now();
        let out = hcl
            .cmd()
            .args(["replay", "--all", "-j", "32", "--json"])
            .output()
            .unwrap();
        let took = t.elapsed();
        assert!(out.status.success(), "{}", stderr(&out));
        let report: Value = serde_json::from_slice(&out.stdout).unwrap();
        assert_eq!(report["summary"]["replayed"], 1000);
        println!(
            "replay 1000 records -j 32, round {round}: {took:?} = {:.0} requests/s ({} HIT, {} MISS)",
            1000.0 / took.as_secs_f64(),
            report["summary"]["hit"],
            report["summary"]["miss"]
        );
        best = best.min(took);
    }
    println!(
        "RESULT replay 1000 at -j 32: best {best:?} = {:.0} requests/s",
        1000.0 / best.as_secs_f64()
    );
}

#[test]
#[ignore = "benchmark: bench/replay.sh"]
fn bench_replay_selection_100k() {
    let gw = FakeGateway::start();
    let hcl = Hcl::with_gateway(&gw);
    let log = synthetic_log(&hcl, 100_000);
    std::fs::write(hcl.log_path(), &log).unwrap();
    let size = std::fs::metadata(hcl.log_path()).unwrap().len();
    println!("log: 100000 records, {:.1} MB", size as f64 / 1_000_000.0);
    let cases: &[&[&str]] = &[
        &["log", "list", "-n", "20"],
        &["log", "list", "-n", "20", "--json"],
        &["log", "list", "-n", "20", "--model", "gpt-4o-mini"],
        &["log", "list", "-n", "20", "--property", "env=bench"],
        &["log", "list", "-n", "20", "--model", "no-such-model"],
        &[
            "log",
            "list",
            "--all",
            "--since",
            "1h",
            "--model",
            "gpt-4o-mini",
            "--json",
        ],
        &[
            "replay",
            "--last",
            "20",
            "--model",
            "gpt-4o-mini",
            "--json",
            "--no-log",
        ],
    ];
    for args in cases {
        let (median, min) = time(&hcl, args, 5);
        println!(
            "RESULT hcl {}: median {median:?}, min {min:?}",
            args.join(" ")
        );
    }
    let big = max_rss_kib(&hcl, &["log", "list", "-n", "20"]);
    std::fs::write(hcl.log_path(), &log[..log.len() / 100]).unwrap();
    let small = max_rss_kib(&hcl, &["log", "list", "-n", "20"]);
    println!(
        "RESULT max RSS of log list -n 20: {small:?} KiB on 1000 records, {big:?} KiB on 100000"
    );
}
