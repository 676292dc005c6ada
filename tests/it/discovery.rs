//! Finding your way (issue 13): `hcl models` live, cached and offline;
//! the provider a model names, `PROVIDER:MODEL`, aliases and the mismatch
//! warning; setup errors in one message; `hcl config init`; tables that fit
//! the terminal and `--format`; `log show` and `--grep`; the chat spinner
//! and the interactive prompt's Tab completion in a pseudo-terminal.

use std::path::PathBuf;

use serde_json::{Value, json};

use crate::support::FakeGateway;
use crate::support::hcl::{Hcl, TEST_KEYS, assert_stderr_has, assert_stderr_lacks, stderr, stdout};

fn golden(name: &str, actual: &str) {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/golden")
        .join(name);
    if std::env::var_os("HCL_UPDATE_GOLDEN").is_some() {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, actual).unwrap();
        return;
    }
    let want = std::fs::read_to_string(&path).unwrap_or_default();
    assert_eq!(
        want,
        actual,
        "{} differs; if the change is deliberate run: HCL_UPDATE_GOLDEN=1 cargo test --test it discovery",
        path.display()
    );
}

/// An environment with only these keys set.
fn only_keys(mut hcl: Hcl, keep: &[&str]) -> Hcl {
    for (var, _) in TEST_KEYS {
        if !keep.contains(var) {
            hcl = hcl.env_remove(var);
        }
    }
    hcl
}

fn with_cache(hcl: Hcl) -> Hcl {
    let dir = hcl.dir.path().join("cache");
    let d = dir.display().to_string();
    hcl.env("HCL_CACHE_DIR", &d)
}

fn run(hcl: &Hcl, args: &[&str]) -> std::process::Output {
    hcl.cmd().args(args).output().unwrap()
}

fn ok(hcl: &Hcl, args: &[&str]) -> std::process::Output {
    let out = run(hcl, args);
    assert!(out.status.success(), "hcl {args:?}: {}", stderr(&out));
    out
}

fn json_of(out: &std::process::Output) -> Value {
    serde_json::from_str(stdout(out).trim()).unwrap()
}

fn every_line_fits(text: &str, width: usize) {
    for line in text.lines() {
        let w = unicode_width(line);
        assert!(
            w <= width,
            "a line of {w} columns is wider than {width}:\n{line}\n{text}"
        );
    }
}

/// Display width, counting every char as one column but the wide CJK ones
/// the tests do not print.
fn unicode_width(s: &str) -> usize {
    s.chars().count()
}

#[test]
fn models_live_then_cached_then_offline() {
    let mut gw = Some(FakeGateway::start());
    let hcl = with_cache(Hcl::with_gateway(gw.as_ref().unwrap()));
    let gw_ref = gw.as_ref().unwrap();
    // Anthropic pages its list: both pages are read, with its headers, and
    // no Helicone-Auth (list calls are not logged by Helicone).
    let out = ok(&hcl, &["models", "-P", "anthropic", "--json"]);
    let report = json_of(&out);
    let p = &report["providers"][0];
    assert_eq!(p["source"], json!("live"));
    assert_eq!(
        p["models"],
        json!(["fake-model-a", "fake-model-b", "fake-model-c"])
    );
    let reqs = gw_ref.requests();
    assert_eq!(reqs.len(), 2);
    assert_eq!(reqs[0].method, "GET");
    assert_eq!(reqs[0].path, "/v1/models");
    assert_eq!(reqs[0].query.as_deref(), Some("limit=1000"));
    assert_eq!(
        reqs[1].query.as_deref(),
        Some("limit=1000&after_id=fake-model-b")
    );
    assert!(reqs[0].header("x-api-key").is_some());
    assert_eq!(reqs[0].header("anthropic-version"), Some("2023-06-01"));
    assert_eq!(reqs[0].header("helicone-auth"), None);
    // The cache file is the owner's only.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(hcl.dir.path().join("cache/models.json"))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600);
    }

    // Within a day: from the cache, nothing sent.
    let out = ok(&hcl, &["models", "-P", "anthropic", "--json"]);
    assert_eq!(json_of(&out)["providers"][0]["source"], json!("cache"));
    assert_eq!(gw_ref.requests().len(), 2);

    // Offline with --refresh: the cached list, and why it is not live.
    drop(gw.take());
    let down = hcl
        .cmd()
        .args(["models", "-P", "anthropic", "--refresh", "--json"])
        .output()
        .unwrap();
    assert!(down.status.success(), "{}", stderr(&down));
    let p = &json_of(&down)["providers"][0];
    assert_eq!(p["source"], json!("cache"));
    assert!(
        p["error"].as_str().unwrap().contains("could not connect"),
        "{p}"
    );

    // Offline and no cache: the built-in list.
    std::fs::remove_dir_all(hcl.dir.path().join("cache")).unwrap();
    let down = hcl
        .cmd()
        .args(["models", "-P", "anthropic", "--json"])
        .output()
        .unwrap();
    let p = &json_of(&down)["providers"][0];
    assert_eq!(p["source"], json!("built-in"));
    assert!(
        p["models"]
            .as_array()
            .unwrap()
            .iter()
            .any(|m| m.as_str().unwrap().starts_with("claude-"))
    );
}

#[test]
fn models_reads_each_format_and_marks_defaults_and_aliases() {
    let gw = FakeGateway::start();
    let hcl = with_cache(Hcl::with_gateway(&gw));
    hcl.write_config("[aliases]\nfast = \"groq:fake-model-b\"\n");
    // Gemini: pages by token, keeps only models that generate content.
    let p = &json_of(&ok(&hcl, &["models", "-P", "gemini", "--json"]))["providers"][0];
    assert_eq!(
        p["models"],
        json!(["fake-model-a", "fake-model-b", "fake-model-c"])
    );
    let r = gw.last_request();
    assert_eq!(r.path, "/v1beta/models");
    assert!(r.header("x-goog-api-key").is_some());
    assert_eq!(
        r.header("helicone-target-url"),
        Some("https://generativelanguage.googleapis.com")
    );
    // Together answers a bare array; only chat models are kept.
    let p = &json_of(&ok(&hcl, &["models", "-P", "together", "--json"]))["providers"][0];
    assert_eq!(p["models"], json!(["fake-model-a", "fake-model-b"]));
    // Groq lists under its own path; the table marks the default and the alias.
    let out = ok(&hcl, &["models", "-P", "groq", "--format", "tsv"]);
    assert_eq!(gw.last_request().path, "/openai/v1/models");
    let text = stdout(&out);
    assert!(text.starts_with("provider\tmodel\tnotes\n"), "{text}");
    assert!(
        text.contains("groq\tllama-3.3-70b-versatile\tdefault"),
        "{text}"
    );
    assert!(text.contains("groq\tfake-model-b\talias fast"), "{text}");
    assert_stderr_has(&out, "groq: 2 models, fetched now");
    let report = json_of(&ok(&hcl, &["models", "-P", "groq", "--json"]));
    assert_eq!(
        report["aliases"],
        json!([{"alias": "fast", "provider": "groq", "model": "fake-model-b"}])
    );
    // Without -P: every provider whose key is set, at once.
    let before = gw.requests().len();
    let out = ok(&hcl, &["models", "--json", "--refresh"]);
    let names: Vec<String> = json_of(&out)["providers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["provider"].as_str().unwrap().to_string())
        .collect();
    assert!(names.contains(&"openai".to_string()) && names.contains(&"anthropic".to_string()));
    assert!(gw.requests().len() > before + 10);
}

#[test]
fn a_model_names_its_provider() {
    let gw = FakeGateway::start();
    // Done when: only Anthropic and Helicone keys, and a Claude model.
    let hcl = only_keys(
        Hcl::with_gateway(&gw),
        &["ANTHROPIC_API_KEY", "HELICONE_API_KEY"],
    );
    ok(&hcl, &["chat", "-m", "claude-3-5-haiku-latest", "hi"]);
    let r = gw.last_request();
    assert_eq!(r.path, "/v1/messages");
    assert_eq!(r.json()["model"], json!("claude-3-5-haiku-latest"));
    assert_eq!(hcl.last_record()["provider"], json!("anthropic"));

    let hcl = Hcl::with_gateway(&gw);
    // PROVIDER:MODEL, split at the first colon only.
    ok(&hcl, &["chat", "-m", "groq:llama-3.1-8b-instant", "hi"]);
    let r = gw.last_request();
    assert_eq!(r.path, "/openai/v1/chat/completions");
    assert_eq!(r.json()["model"], json!("llama-3.1-8b-instant"));
    ok(
        &hcl,
        &["chat", "-m", "openrouter:openai/gpt-4o:online", "hi"],
    );
    assert_eq!(
        gw.last_request().json()["model"],
        json!("openai/gpt-4o:online")
    );
    // A fine-tune keeps its colons and goes to OpenAI.
    ok(
        &hcl,
        &["chat", "-m", "ft:gpt-4o-mini-2024-07-18:org::abc123", "hi"],
    );
    let r = gw.last_request();
    assert_eq!(r.path, "/v1/chat/completions");
    assert_eq!(
        r.json()["model"],
        json!("ft:gpt-4o-mini-2024-07-18:org::abc123")
    );
    // Gemini models go to gemini (vertex only when its key alone is set).
    ok(&hcl, &["chat", "-m", "gemini-2.5-flash", "--dry-run", "hi"]);
    // An alias, for a chat and for a batch line.
    hcl.write_config(
        "[aliases]\nfast = \"groq:llama-3.1-8b-instant\"\nsmart = \"claude-opus-4-1\"\n",
    );
    ok(&hcl, &["chat", "-m", "fast", "hi"]);
    assert_eq!(gw.last_request().path, "/openai/v1/chat/completions");
    ok(&hcl, &["chat", "-m", "smart", "hi"]);
    assert_eq!(gw.last_request().path, "/v1/messages");
    let input = hcl.dir.path().join("in.jsonl");
    std::fs::write(&input, "{\"prompt\":\"a\",\"model\":\"fast\"}\n").unwrap();
    ok(&hcl, &["chat", "--batch", input.to_str().unwrap()]);
    let r = gw.last_request();
    assert_eq!(r.path, "/openai/v1/chat/completions");
    assert_eq!(r.json()["model"], json!("llama-3.1-8b-instant"));
    // The log selects by alias too.
    // (the first chat, the alias and the batch line)
    let out = ok(&hcl, &["log", "list", "-m", "fast", "--json"]);
    assert_eq!(stdout(&out).lines().count(), 3);

    // -P with another family's model: sent as asked, with a warning.
    let out = ok(
        &hcl,
        &[
            "chat",
            "-P",
            "openai",
            "-m",
            "claude-3-5-haiku-latest",
            "--dry-run",
            "hi",
        ],
    );
    assert_stderr_has(
        &out,
        "claude-3-5-haiku-latest looks like a model of anthropic, not of openai",
    );
    assert_stderr_has(&out, "did you mean -P anthropic");
    assert!(stdout(&out).contains("/v1/chat/completions"));
    // -P and a prefix that disagree.
    let out = run(&hcl, &["chat", "-P", "openai", "-m", "groq:x", "hi"]);
    assert_eq!(out.status.code(), Some(2));
    assert_stderr_has(&out, "name different providers");
    // A bad alias is the config file's error, by name.
    hcl.write_config("[aliases]\nopenai = \"gpt-4o\"\n");
    let out = run(&hcl, &["chat", "--dry-run", "hi"]);
    assert_eq!(out.status.code(), Some(2));
    assert_stderr_has(&out, "alias 'openai'");
}

#[test]
fn setup_errors_come_in_one_message() {
    let hcl = only_keys(Hcl::new(), &[]);
    // No configuration at all: everything to set, at once.
    let out = run(&hcl, &["chat", "hi"]);
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert_eq!(err.matches("hcl: error:").count(), 1, "{err}");
    assert!(
        err.contains("OPENAI_API_KEY") && err.contains("HELICONE_API_KEY"),
        "{err}"
    );
    assert!(err.contains("hcl config init"), "{err}");
    // The generic gateway: its key, its upstream, its format and Helicone's key.
    let out = run(&hcl, &["chat", "-P", "gateway", "hi"]);
    let err = stderr(&out);
    assert_eq!(err.matches("hcl: error:").count(), 1, "{err}");
    for want in [
        "4 settings",
        "HCL_GATEWAY_API_KEY",
        "--target-url",
        "--format",
        "HELICONE_API_KEY",
    ] {
        assert!(err.contains(want), "{want}: {err}");
    }
    // Only an Anthropic key: the default provider's error suggests it.
    let hcl = only_keys(Hcl::new(), &["ANTHROPIC_API_KEY", "HELICONE_API_KEY"]);
    let out = run(&hcl, &["chat", "hi"]);
    assert_eq!(out.status.code(), Some(2));
    assert_stderr_has(&out, "no API key for openai");
    assert_stderr_has(
        &out,
        "a key is set for anthropic (env (ANTHROPIC_API_KEY)): try -P anthropic",
    );
    // -p with a provider's name.
    let out = run(&hcl, &["chat", "--dry-run", "-p", "anthropic", "hi"]);
    assert_eq!(out.status.code(), Some(2));
    assert_stderr_has(&out, "did you mean -P anthropic");
    // clap's errors have hcl's one prefix, and -P claude suggests anthropic.
    let out = run(&hcl, &["chat", "-P", "claude", "hi"]);
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(
        err.starts_with("hcl: error: invalid value 'claude'"),
        "{err}"
    );
    assert!(err.contains("'anthropic'"), "{err}");
    assert!(!err.lines().any(|l| l.starts_with("error:")), "{err}");
    let out = run(&hcl, &["chat", "--no-such-flag"]);
    assert!(
        stderr(&out).starts_with("hcl: error: unexpected argument"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn config_init_writes_a_commented_file_once() {
    let hcl = only_keys(
        Hcl::new(),
        &["ANTHROPIC_API_KEY", "GROQ_API_KEY", "HELICONE_API_KEY"],
    );
    let out = ok(&hcl, &["config", "init"]);
    assert_eq!(stdout(&out).trim(), hcl.config_path().display().to_string());
    let text = std::fs::read_to_string(hcl.config_path()).unwrap();
    assert!(text.contains("provider = \"anthropic\""), "{text}");
    assert!(
        text.contains("[providers.anthropic]") && text.contains("[providers.groq]"),
        "{text}"
    );
    assert!(
        text.contains("#   helicone: env (HELICONE_API_KEY)"),
        "{text}"
    );
    assert!(!text.contains("test-anthropic-KEY"), "no key is copied");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(hcl.config_path())
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600);
    }
    // The file it wrote is a valid config.
    let shown = json_of(&ok(&hcl, &["config", "show", "--json"]));
    assert!(
        shown
            .as_array()
            .unwrap()
            .iter()
            .any(|r| r["setting"] == json!("provider") && r["value"] == json!("anthropic"))
    );
    // Not twice, unless --force.
    let out = run(&hcl, &["config", "init"]);
    assert_eq!(out.status.code(), Some(2));
    assert_stderr_has(&out, "--force");
    ok(&hcl, &["config", "init", "--force"]);
}

#[test]
fn tables_fit_the_terminal_and_pipes_get_plain_text() {
    let hcl = Hcl::new();
    let at = |cols: &str, args: &[&str]| {
        let out = hcl.cmd().env("COLUMNS", cols).args(args).output().unwrap();
        assert!(out.status.success(), "{}", stderr(&out));
        stdout(&out)
    };
    let narrow = at("80", &["providers"]);
    every_line_fits(&narrow, 80);
    golden("providers-80.txt", &narrow);
    let wide = at("200", &["providers"]);
    every_line_fits(&wide, 200);
    assert!(wide.contains("routing header"), "{wide}");
    assert!(!narrow.contains("routing header"), "{narrow}");
    // A pipe: no box drawing, nothing cut.
    let out = ok(&hcl, &["providers"]);
    let piped = stdout(&out);
    assert!(
        !piped.contains('│') && !piped.contains('─') && !piped.contains('…'),
        "{piped}"
    );
    assert!(
        piped.contains("Helicone-OpenAI-Api-Base: $AZURE_OPENAI_ENDPOINT"),
        "{piped}"
    );
    // --format.
    let tsv = stdout(&ok(&hcl, &["providers", "--format", "tsv"]));
    assert!(tsv.lines().all(|l| l.split('\t').count() == 7), "{tsv}");
    let json: Value =
        serde_json::from_str(&stdout(&ok(&hcl, &["providers", "--format", "json"]))).unwrap();
    assert!(json.as_array().unwrap().len() >= 17);
}

#[test]
fn log_tables_show_answers_and_fit() {
    let gw = FakeGateway::start();
    let hcl = Hcl::with_gateway(&gw);
    let long =
        "Tell me everything about caching LLM responses at the edge, with examples ".repeat(3);
    ok(&hcl, &["chat", &long]);
    ok(
        &hcl,
        &["chat", "-c", "-P", "anthropic", "and the token cost?"],
    );
    ok(&hcl, &["chat", "a short one"]);
    for width in ["80", "200"] {
        let out = hcl
            .cmd()
            .env("COLUMNS", width)
            .args(["log", "list"])
            .output()
            .unwrap();
        every_line_fits(&stdout(&out), width.parse().unwrap());
        let out = hcl
            .cmd()
            .env("COLUMNS", width)
            .args(["log", "conversations"])
            .output()
            .unwrap();
        every_line_fits(&stdout(&out), width.parse().unwrap());
    }
    let text = stdout(&ok(&hcl, &["log", "list"]));
    assert!(text.lines().next().unwrap().contains("answer"), "{text}");
    assert!(text.contains("Hello! You said: a short one"), "{text}");
    assert!(text.contains("time (UTC"), "{text}");
    // Token counts: in → out.
    assert!(text.contains('→'), "{text}");
    // --grep searches prompts and answers, in any case.
    let out = ok(
        &hcl,
        &["log", "list", "--grep", "TOKEN COST", "--format", "tsv"],
    );
    let text = stdout(&out);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 2, "{lines:?}");
    assert!(lines[1].contains("anthropic"));
    let out = ok(
        &hcl,
        &["log", "list", "--grep", "you said: a short", "--json"],
    );
    let rec: Value = serde_json::from_str(stdout(&out).trim()).unwrap();
    assert!(rec["ts"].as_str().unwrap().ends_with('Z'), "JSON keeps UTC");
    // -P and -m select, as --provider and --model do.
    let out = ok(&hcl, &["log", "list", "-P", "anthropic", "--json"]);
    assert_eq!(stdout(&out).lines().count(), 1);
    let out = ok(&hcl, &["log", "conversations", "--format", "tsv"]);
    assert!(
        stdout(&out).starts_with("id\tturns\tfirst prompt"),
        "{}",
        stdout(&out)
    );
    let out = ok(&hcl, &["log", "conversations", "--format", "json"]);
    assert_eq!(stdout(&out).lines().count(), 2);
}

/// One record, written as hcl writes them, for a stable `log show`.
const RECORD: &str = r#"{"v":2,"id":"3f2a9c1e-5b6d-4e7f-8a9b-0c1d2e3f4a5b","ts":"2026-11-27T13:03:12.345Z","provider":"anthropic","model":"claude-3-5-haiku-latest","format":"anthropic","stream":false,"conversation":"9c1e0000-1111-4222-8333-444455556666","turn":2,"request":{"method":"POST","url":"https://anthropic.helicone.ai/v1/messages","headers":{"Content-Type":"application/json"},"body":{"model":"claude-3-5-haiku-latest","max_tokens":1024,"messages":[{"role":"user","content":"What does Helicone do?"}]}},"response":{"status":200,"headers":{},"text":"Helicone logs, caches and rate-limits LLM requests.","usage":{"input":12,"output":11,"total":23},"finish_reason":"end_turn"},"helicone":{"id":"5919976f-5274-4ed0-b1f3-7d0034ef7322","cache":"MISS","bucket_idx":null},"latency_ms":412,"ttft_ms":null,"error":null,"replay_of":null}"#;

#[test]
fn log_show_reads_like_an_answer() {
    let hcl = Hcl::new().env("TZ", "UTC0");
    std::fs::write(hcl.log_path(), format!("{RECORD}\n")).unwrap();
    // No id: the latest record.
    let latest = stdout(&ok(&hcl, &["log", "show"]));
    let by_id = stdout(&ok(&hcl, &["log", "show", "3f2a"]));
    assert_eq!(latest, by_id);
    assert!(latest.lines().count() < 20, "{latest}");
    golden("log-show.txt", &latest);
    for want in [
        "2026-11-27 13:03:12 +00:00",
        "anthropic",
        "claude-3-5-haiku-latest",
        "cache MISS",
        "412 ms",
        "12 in · 11 out · 23 total",
        "5919976f-5274-4ed0-b1f3-7d0034ef7322",
        "> What does Helicone do?",
        "Helicone logs, caches and rate-limits LLM requests.",
    ] {
        assert!(latest.contains(want), "{want}: {latest}");
    }
    let json: Value = serde_json::from_str(&stdout(&ok(&hcl, &["log", "show", "--json"]))).unwrap();
    assert_eq!(json["ts"], json!("2026-11-27T13:03:12.345Z"));
    // An empty log is a clear error.
    let empty = Hcl::new();
    let out = run(&empty, &["log", "show"]);
    assert_eq!(out.status.code(), Some(2));
    assert_stderr_has(&out, "holds no request yet");
}

#[test]
fn replay_says_each_reason_once_under_the_table() {
    let gw = FakeGateway::start();
    let hcl = Hcl::with_gateway(&gw);
    ok(&hcl, &["chat", "one"]);
    ok(&hcl, &["chat", "two"]);
    let out = hcl
        .cmd()
        .env("COLUMNS", "80")
        .args(["replay", "--last", "2", "--cache"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    every_line_fits(&text, 80);
    assert!(text.contains("[1]"), "{text}");
    assert!(text.contains("\n[1] "), "{text}");
    assert!(text.contains("(every row)"), "{text}");
    assert_eq!(text.matches("[1] ").count(), 1, "{text}");
    let tsv = stdout(&ok(&hcl, &["replay", "--last", "1", "--format", "tsv"]));
    assert!(tsv.starts_with("id\tprovider\tmodel"), "{tsv}");
    let json: Value = serde_json::from_str(&stdout(&ok(
        &hcl,
        &["replay", "--last", "1", "--format", "json"],
    )))
    .unwrap();
    assert_eq!(json["summary"]["replayed"], json!(1));
}

#[test]
fn config_can_make_chat_stream() {
    let gw = FakeGateway::start();
    let hcl = Hcl::with_gateway(&gw);
    hcl.write_config("stream = true\n");
    ok(&hcl, &["chat", "hi"]);
    assert_eq!(gw.last_request().json()["stream"], json!(true));
    assert_eq!(hcl.last_record()["stream"], json!(true));
    ok(&hcl, &["chat", "--no-stream", "hi"]);
    assert_eq!(gw.last_request().json().get("stream"), None);
    // In a pipe, no spinner.
    let out = ok(&hcl, &["chat", "--no-stream", "hi"]);
    assert_stderr_lacks(&out, "waiting for");
}

/// What hcl answers a shell asking for completions of `words`, the last
/// being completed.
fn completions(hcl: &Hcl, words: &[&str]) -> Vec<String> {
    let out = hcl
        .cmd()
        .env("COMPLETE", "bash")
        .env("_CLAP_COMPLETE_INDEX", (words.len() - 1).to_string())
        .arg("--")
        .args(words)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    stdout(&out).lines().map(str::to_string).collect()
}

#[test]
fn shell_completion_offers_models_aliases_and_conversations() {
    let gw = FakeGateway::start();
    let hcl = with_cache(Hcl::with_gateway(&gw));
    hcl.write_config("[aliases]\nfast = \"groq:llama-3.1-8b-instant\"\n");
    // The provider given picks the list; models fetched before come first.
    ok(&hcl, &["models", "-P", "groq"]);
    let got = completions(&hcl, &["hcl", "chat", "-P", "groq", "-m", ""]);
    assert!(got.contains(&"fake-model-a".to_string()), "{got:?}");
    assert!(
        got.contains(&"llama-3.3-70b-versatile".to_string()),
        "{got:?}"
    );
    assert!(got.contains(&"fast".to_string()), "{got:?}");
    assert!(!got.iter().any(|m| m.starts_with("claude-")), "{got:?}");
    // No -P: every provider's, and PROVIDER: prefixes.
    let got = completions(&hcl, &["hcl", "chat", "-m", "cl"]);
    assert!(got.iter().all(|m| m.starts_with("cl")), "{got:?}");
    assert!(
        got.contains(&"claude-3-5-haiku-latest".to_string()),
        "{got:?}"
    );
    let got = completions(&hcl, &["hcl", "stream", "-m", "gr"]);
    assert!(got.contains(&"groq:".to_string()), "{got:?}");
    // Conversation ids, newest first.
    ok(&hcl, &["chat", "first conversation"]);
    ok(&hcl, &["chat", "second conversation"]);
    let ids: Vec<String> = hcl
        .records()
        .iter()
        .map(|r| r["conversation"].as_str().unwrap().to_string())
        .collect();
    let got = completions(&hcl, &["hcl", "chat", "--conversation", ""]);
    assert_eq!(got, [ids[1].clone(), ids[0].clone()]);
    // Saved templates, for -t and templates show|edit.
    let templates = hcl.dir.path().join("config/hcl/templates");
    std::fs::create_dir_all(&templates).unwrap();
    std::fs::write(templates.join("brief.toml"), "system = \"Be brief.\"\n").unwrap();
    assert_eq!(completions(&hcl, &["hcl", "chat", "-t", "b"]), ["brief"]);
    let got = completions(&hcl, &["hcl", "templates", "edit", ""]);
    assert!(got.contains(&"brief".to_string()), "{got:?}");
    // Never the maintainer's command.
    let got = completions(&hcl, &["hcl", "g"]);
    assert!(!got.iter().any(|c| c.contains("generate")), "{got:?}");
}

#[cfg(unix)]
mod pty {
    use rexpect::session::spawn_command;

    use crate::support::hcl::Hcl;
    use crate::support::{FakeGateway, Gate, Script};

    #[test]
    fn chat_shows_a_spinner_until_the_answer_and_leaves_no_trace() {
        let gw = FakeGateway::start();
        let hcl = Hcl::with_gateway(&gw);
        let gate = Gate::new();
        gw.push_script(Script::Await(
            gate.waiter(),
            Box::new(Script::Respond {
                status: 200,
                headers: vec![("content-type".into(), "application/json".into())],
                body: r#"{"id":"c","object":"chat.completion","created":0,"model":"gpt-4o-mini","choices":[{"index":0,"message":{"role":"assistant","content":"the answer"},"finish_reason":"stop"}],"usage":{"prompt_tokens":1,"completion_tokens":2,"total_tokens":3}}"#.into(),
            }),
        ));
        let mut cmd = hcl.std_cmd();
        cmd.env("TERM", "xterm").args(["chat", "hi"]);
        let mut p = spawn_command(cmd, Some(20_000)).unwrap();
        p.exp_string("waiting for openai").unwrap();
        gate.open();
        let before = p.exp_string("the answer").unwrap();
        // The spinner's line was erased before the answer took its place.
        assert!(before.contains("\u{1b}[2K"), "{before:?}");
        p.exp_eof().unwrap();
    }

    #[test]
    fn the_prompt_names_provider_and_model_and_tab_completes() {
        let gw = FakeGateway::start();
        let hcl = Hcl::with_gateway(&gw);
        hcl.write_config("[aliases]\nfast = \"groq:llama-3.1-8b-instant\"\n");
        let mut cmd = hcl.std_cmd();
        cmd.env("TERM", "xterm").args(["chat", "-P", "anthropic"]);
        let mut p = spawn_command(cmd, Some(20_000)).unwrap();
        p.exp_string("talking to anthropic claude-3-5-haiku-latest through Helicone")
            .unwrap();
        p.exp_string("anthropic:claude-3-5-haiku-latest> ").unwrap();
        // Tab completes a slash command, then a provider prefix.
        p.send("/mo\t").unwrap();
        p.flush().unwrap();
        p.exp_string("/model").unwrap();
        p.send("gr\t").unwrap();
        p.flush().unwrap();
        p.exp_string("groq:").unwrap();
        p.send_line("").unwrap();
        p.exp_string("provider groq").unwrap();
        p.exp_string("groq:llama-3.3-70b-versatile> ").unwrap();
        // /model alone says the current one; an alias completes.
        p.send_line("/model").unwrap();
        p.exp_string("model: llama-3.3-70b-versatile (provider groq)")
            .unwrap();
        p.exp_string("> ").unwrap();
        p.send("/model fa\t").unwrap();
        p.flush().unwrap();
        p.exp_string("fast").unwrap();
        p.send_line("").unwrap();
        p.exp_string("groq:llama-3.1-8b-instant> ").unwrap();
        p.send_line("hello").unwrap();
        p.exp_string("Hello! You said: hello").unwrap();
        p.exp_string("> ").unwrap();
        p.send_control('d').unwrap();
        p.exp_eof().unwrap();
        let r = gw.last_request();
        assert_eq!(r.path, "/openai/v1/chat/completions");
        assert_eq!(r.json()["model"], serde_json::json!("llama-3.1-8b-instant"));
    }
}
