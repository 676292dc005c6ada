//! The README's CI recipes, run as written: the commands of each block marked
//! `<!-- recipe: NAME -->` are taken from README.md (the YAML's `run:` and
//! `script:` lines, the shell block's lines), the CI's variables filled in,
//! and run through bash with the hcl under test first on `PATH`, against
//! the fake gateway. Editing a recipe changes what these tests run.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::time::Duration;

use serde_json::Value;

use crate::support::hcl::Hcl;
use crate::support::{FakeGateway, wait_until};

/// The batch every recipe runs: lines with ids (a string and a number) and
/// without (an object and a plain prompt).
fn evals() -> Vec<String> {
    (1..=16)
        .map(|i| match i % 4 {
            0 => format!("plain prompt {i}"),
            1 => format!(r#"{{"prompt":"object prompt {i}"}}"#),
            2 => format!(r#"{{"id":{i},"prompt":"numbered question {i}"}}"#),
            _ => format!(r#"{{"id":"q{i}","prompt":"question {i}"}}"#),
        })
        .collect()
}

/// What a JUnit case of line `line` is named: its id, else its prompt.
fn case_name(line: &str) -> String {
    match serde_json::from_str::<Value>(line) {
        Ok(v) if v.is_object() => match &v["id"] {
            Value::String(s) => s.clone(),
            Value::Null => v["prompt"].as_str().unwrap().to_string(),
            other => other.to_string(),
        },
        _ => line.to_string(),
    }
}

const RUN_ID: &str = "4242";

/// The fenced block after `<!-- recipe: NAME`, without its fences.
fn recipe(name: &str) -> Vec<String> {
    let readme =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md")).unwrap();
    let marker = format!("<!-- recipe: {name} ");
    let at = readme
        .find(&marker)
        .unwrap_or_else(|| panic!("README.md has no block marked {marker:?}"));
    let mut lines = readme[at..].lines().skip(1);
    let fence = lines.next().unwrap();
    assert!(fence.starts_with("```"), "{marker:?} is not before a fence");
    lines
        .take_while(|l| !l.starts_with("```"))
        .map(str::to_string)
        .collect()
}

fn indent(line: &str) -> usize {
    line.len() - line.trim_start().len()
}

/// One CI job of a recipe: its commands, and the artifacts it keeps.
#[derive(Default, Debug)]
struct Job {
    name: String,
    commands: Vec<String>,
    artifacts: Vec<String>,
    /// GitHub `matrix: shard: [...]` / GitLab `parallel: N`.
    shards: Option<u32>,
}

/// The value of `key:` on `lines[i]` (after any `- `): inline, or the
/// indented block under `key: |`, or the `- ` items under `key:`.
fn values(lines: &[String], i: usize, key: &str) -> Option<Vec<String>> {
    let line = &lines[i];
    let item = line.trim_start().trim_start_matches("- ");
    let rest = item.strip_prefix(key)?.strip_prefix(':')?.trim();
    if !rest.is_empty() && rest != "|" {
        return Some(vec![rest.to_string()]);
    }
    let under: Vec<&String> = lines[i + 1..]
        .iter()
        .take_while(|l| l.trim().is_empty() || indent(l) > indent(line))
        .collect();
    Some(if rest == "|" {
        // A literal block: one script.
        let cut = under.iter().map(|l| indent(l)).min().unwrap_or(0);
        vec![
            under
                .iter()
                .map(|l| &l[cut..])
                .collect::<Vec<_>>()
                .join("\n"),
        ]
    } else {
        under
            .iter()
            .map(|l| l.trim().trim_start_matches("- ").to_string())
            .collect()
    })
}

/// The jobs of a recipe: a GitHub workflow's `jobs:` (named at indent 2), or
/// GitLab's top-level jobs. `cargo install` steps are checked and left out:
/// the hcl under test is on `PATH`.
fn jobs(lines: &[String], github: bool) -> Vec<Job> {
    let mut jobs: Vec<Job> = Vec::new();
    let mut in_jobs = !github;
    for (i, line) in lines.iter().enumerate() {
        let t = line.trim();
        if github && line == "jobs:" {
            in_jobs = true;
            continue;
        }
        let header = if github { 2 } else { 0 };
        if in_jobs && indent(line) == header && t.ends_with(':') && !t.starts_with('-') {
            jobs.push(Job {
                name: t.trim_end_matches(':').to_string(),
                ..Job::default()
            });
            continue;
        }
        let Some(job) = jobs.last_mut() else { continue };
        let keys: &[&str] = if github {
            &["run"]
        } else {
            &["script", "before_script"]
        };
        for key in keys {
            for cmd in values(lines, i, key).unwrap_or_default() {
                if cmd.starts_with("cargo install") {
                    continue;
                }
                job.commands.push(cmd);
            }
        }
        if let Some(paths) = values(lines, i, if github { "path" } else { "paths" }) {
            job.artifacts
                .extend(paths.join("\n").lines().map(str::to_string));
        }
        let n = if github {
            values(lines, i, "shard").map(|v| v[0].matches(',').count() as u32 + 1)
        } else {
            values(lines, i, "parallel").map(|v| v[0].parse().unwrap())
        };
        job.shards = job.shards.or(n);
    }
    jobs
}

/// GitHub's `${{ … }}` expressions for runner k of n; any other is a
/// recipe this test does not know how to run.
fn github_vars(s: &str, k: u32, n: u32) -> String {
    let s = s
        .replace("${{ matrix.shard }}", &k.to_string())
        .replace("${{ strategy.job-total }}", &n.to_string())
        .replace("${{ github.run_id }}", RUN_ID);
    assert!(
        !s.contains("${{"),
        "an expression the test does not fill: {s}"
    );
    s
}

/// Whether `name` matches `pattern` with at most one `*`.
fn glob(pattern: &str, name: &str) -> bool {
    match pattern.split_once('*') {
        Some((a, b)) => name.len() >= a.len() + b.len() && name.starts_with(a) && name.ends_with(b),
        None => pattern == name,
    }
}

/// Run one job's commands as a CI runner would (`bash -e`) in `dir`;
/// `during` runs while the job does.
fn run_job(hcl: &Hcl, job: &Job, run: (&str, &Path), vars: &[(&str, String)], during: &dyn Fn()) {
    let (script, dir) = run;
    let mut cmd = hcl.bash(script, dir);
    for (k, v) in vars {
        cmd.env(k, v);
    }
    let child = cmd
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    during();
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "job {} failed ({:?}):\n{script}\n{}",
        job.name,
        out.status,
        String::from_utf8_lossy(&out.stderr)
    );
}

/// Copy what a runner kept as artifacts into the merge job's directory.
fn keep_artifacts(patterns: &[String], from: &Path, to: &Path) {
    for entry in std::fs::read_dir(from).unwrap() {
        let name = entry.unwrap().file_name().into_string().unwrap();
        if patterns.iter().any(|p| glob(p, &name)) {
            std::fs::copy(from.join(&name), to.join(&name)).unwrap();
        }
    }
}

/// A fresh "checkout": a runner's directory holding evals.jsonl.
fn checkout(root: &Path, name: &str) -> PathBuf {
    let dir = root.join(name);
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("evals.jsonl"), evals().join("\n") + "\n").unwrap();
    dir
}

/// Run a matrix recipe: every shard job on its own runner, then the merge
/// job with every shard's artifacts (`during_merge` runs while it does).
/// Returns the merge job's directory and N.
fn run_matrix(hcl: &Hcl, name: &str, during_merge: &dyn Fn()) -> (PathBuf, u32) {
    let github = name == "github";
    let lines = recipe(name);
    let jobs = jobs(&lines, github);
    assert_eq!(jobs.len(), 2, "{jobs:?}");
    let (shard, merge) = (&jobs[0], &jobs[1]);
    let n = shard.shards.unwrap();
    assert!(n > 1, "{shard:?}");
    assert!(!shard.commands.is_empty() && !merge.commands.is_empty());
    let root = hcl.dir.path();
    let merge_dir = checkout(root, "merge-runner");
    for k in 1..=n {
        let dir = checkout(root, &format!("runner-{k}"));
        let (script, artifacts, vars) = if github {
            let script = github_vars(&shard.commands.join("\n"), k, n);
            let paths: Vec<String> = shard
                .artifacts
                .iter()
                .map(|p| github_vars(p, k, n))
                .collect();
            (script, paths, vec![])
        } else {
            let vars = vec![
                ("CI_NODE_INDEX", k.to_string()),
                ("CI_NODE_TOTAL", n.to_string()),
                ("CI_PIPELINE_ID", RUN_ID.to_string()),
            ];
            (shard.commands.join("\n"), shard.artifacts.clone(), vars)
        };
        run_job(hcl, shard, (&script, &dir), &vars, &|| {});
        keep_artifacts(&artifacts, &dir, &merge_dir);
    }
    let (script, vars) = if github {
        (github_vars(&merge.commands.join("\n"), 0, n), vec![])
    } else {
        let vars = vec![("CI_PIPELINE_ID", RUN_ID.to_string())];
        (merge.commands.join("\n"), vars)
    };
    run_job(hcl, merge, (&script, &merge_dir), &vars, during_merge);
    for kept in &merge.artifacts {
        assert!(
            merge_dir.join(kept).exists(),
            "the merge job did not write {kept}"
        );
    }
    (merge_dir, n)
}

fn json_lines(path: &Path) -> Vec<Value> {
    std::fs::read_to_string(path)
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

/// JUnit XML: (tests, failures, errors, case name → failed).
fn junit(path: &Path) -> (u64, u64, u64, BTreeMap<String, bool>) {
    let xml = std::fs::read_to_string(path).unwrap();
    let doc = roxmltree::Document::parse(&xml).unwrap();
    let (mut tests, mut failures, mut errors) = (0, 0, 0);
    let mut cases = BTreeMap::new();
    for suite in doc.descendants().filter(|n| n.has_tag_name("testsuite")) {
        let num = |a: &str| suite.attribute(a).unwrap().parse::<u64>().unwrap();
        tests += num("tests");
        failures += num("failures");
        errors += num("errors");
        for case in suite.children().filter(|n| n.has_tag_name("testcase")) {
            let failed = case
                .children()
                .any(|c| c.has_tag_name("failure") || c.has_tag_name("error"));
            let name = case.attribute("name").unwrap().to_string();
            assert_eq!(case.attribute("classname"), Some("openai/gpt-4o-mini"));
            assert!(cases.insert(name.clone(), failed).is_none(), "{name} twice");
        }
    }
    (tests, failures, errors, cases)
}

/// What a result says about its line, without timing, log ids or
/// Helicone's request id.
fn result_key(r: &Value) -> String {
    let mut r = r.clone();
    for volatile in ["log_id", "helicone_id", "latency_ms"] {
        r.as_object_mut().unwrap().remove(volatile);
    }
    r.to_string()
}

/// The batch's requests in a log, without replays: (line, URL path, body;
/// the fake gateways' ports differ).
fn batch_requests(log: &Path) -> BTreeSet<String> {
    json_lines(log)
        .iter()
        .filter(|r| r["replay_of"].is_null())
        .map(|r| {
            assert_eq!(r["batch"], format!("ci-{RUN_ID}"), "{r}");
            let url = r["request"]["url"].as_str().unwrap();
            let path = url.splitn(4, '/').nth(3).unwrap();
            serde_json::json!([r["line"], path, r["request"]["body"]]).to_string()
        })
        .collect()
}

/// The checks every matrix recipe must pass: the shards' results cover the
/// input once, the reports name every line, and the replay of the merged
/// log was all HITs. Returns the results by line.
fn check_matrix(dir: &Path, n: u32) -> BTreeMap<u64, String> {
    let lines = evals();
    let mut by_line = BTreeMap::new();
    let mut batch_cases = BTreeMap::new();
    for k in 1..=n {
        let results = json_lines(&dir.join(format!("results-{k}.jsonl")));
        let numbers: Vec<u64> = results
            .iter()
            .map(|r| r["line"].as_u64().unwrap())
            .collect();
        assert!(
            numbers.is_sorted(),
            "shard {k}'s results in input order: {numbers:?}"
        );
        for r in &results {
            assert_eq!(r["status"], 200, "{r}");
            let line = r["line"].as_u64().unwrap();
            assert!(
                by_line.insert(line, result_key(r)).is_none(),
                "line {line} in two shards"
            );
        }
        let (tests, failures, errors, cases) = junit(&dir.join(format!("batch-{k}.xml")));
        assert_eq!((tests, failures, errors), (results.len() as u64, 0, 0));
        batch_cases.extend(cases);
    }
    assert_eq!(
        by_line.keys().copied().collect::<Vec<_>>(),
        (1..=lines.len() as u64).collect::<Vec<_>>()
    );
    let names: BTreeSet<String> = lines.iter().map(|l| case_name(l)).collect();
    assert_eq!(batch_cases.keys().cloned().collect::<BTreeSet<_>>(), names);

    // The merged log: every line's request once, and then its replay, a HIT.
    let merged = dir.join("merged.jsonl");
    assert_eq!(batch_requests(&merged).len(), lines.len());
    let (tests, failures, errors, cases) = junit(&dir.join("replay.xml"));
    assert_eq!((tests, failures, errors), (lines.len() as u64, 0, 0));
    assert_eq!(cases.keys().cloned().collect::<BTreeSet<_>>(), names);
    let replays: Vec<Value> = json_lines(&merged)
        .into_iter()
        .filter(|r| !r["replay_of"].is_null())
        .collect();
    let hit: BTreeSet<&str> = replays
        .iter()
        .filter(|r| r["helicone"]["cache"] == "HIT")
        .map(|r| r["replay_of"].as_str().unwrap())
        .collect();
    assert_eq!(
        hit.len(),
        lines.len(),
        "every request's replay ends in a HIT"
    );
    by_line
}

/// A gateway whose cache shows a new entry only after a second, as
/// Helicone's can take up to a minute: the recipes' `--settle` waits.
fn slow_cache_gateway() -> FakeGateway {
    let gw = FakeGateway::start();
    gw.set_cache_propagation(Duration::from_secs(1));
    gw
}

#[test]
fn the_github_actions_recipe_runs_as_written() {
    let gw = FakeGateway::start();
    let hcl = Hcl::with_gateway(&gw);
    // The cache shows nothing until the replay's first tries have missed:
    // the recipe passes only because it settles.
    gw.set_cache_propagation(Duration::from_secs(3600));
    let sent = evals().len();
    let merged = hcl.dir.path().join("merge-runner").join("merged.jsonl");
    let (dir, n) = run_matrix(&hcl, "github", &|| {
        wait_until("a logged replay that missed", || {
            std::fs::read_to_string(&merged)
                .unwrap_or_default()
                .lines()
                .filter_map(|l| serde_json::from_str::<Value>(l).ok())
                .any(|r| !r["replay_of"].is_null() && r["helicone"]["cache"] == "MISS")
        });
        gw.show_cache();
    });
    check_matrix(&dir, n);
    // Each line was sent once by the shards; a replay missed, then hit.
    let requests = gw.requests();
    let replays = requests
        .iter()
        .filter(|r| r.header("helicone-property-hcl-replay-of").is_some())
        .count();
    assert_eq!(requests.len() - replays, sent);
    assert!(replays > sent, "{replays} replays of {sent} requests");
    let (.., cases) = junit(&dir.join("replay.xml"));
    assert_eq!(cases.len(), sent);
}

#[test]
fn the_gitlab_recipe_runs_as_written() {
    let gw = slow_cache_gateway();
    let hcl = Hcl::with_gateway(&gw);
    let (dir, n) = run_matrix(&hcl, "gitlab", &|| {});
    check_matrix(&dir, n);
}

/// Done when: the same eval set run as 4 shards and merged gives the same
/// results, log and replay report as 1 run (the single-runner recipe).
#[test]
fn four_shards_merged_give_what_one_run_gives() {
    let gw = slow_cache_gateway();
    let hcl = Hcl::with_gateway(&gw);
    let (dir, n) = run_matrix(&hcl, "github", &|| {});
    assert_eq!(n, 4);
    let sharded = check_matrix(&dir, n);

    // One run on its own gateway (its own cache), as the single recipe says.
    let one_gw = slow_cache_gateway();
    let one = Hcl::with_gateway(&one_gw);
    let one_dir = checkout(one.dir.path(), "one-runner");
    let log = one_dir.join("requests.jsonl");
    let script = recipe("single").join("\n");
    let mut cmd = one.bash(&script, &one_dir);
    cmd.env("CI_PIPELINE_ID", RUN_ID).env("HCL_LOG", &log);
    let out = cmd.output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );

    // The same results, line by line (timing, log ids and request ids aside).
    let whole: BTreeMap<u64, String> = json_lines(&one_dir.join("results.jsonl"))
        .iter()
        .map(|r| (r["line"].as_u64().unwrap(), result_key(r)))
        .collect();
    assert_eq!(sharded, whole);
    // The same requests in the log, by line.
    assert_eq!(
        batch_requests(&dir.join("merged.jsonl")),
        batch_requests(&log)
    );
    // The same replay verdicts, case by case.
    let (.., sharded_cases) = junit(&dir.join("replay.xml"));
    let (.., whole_cases) = junit(&one_dir.join("replay.xml"));
    assert_eq!(sharded_cases, whole_cases);
}
