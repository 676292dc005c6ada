//! `hcl chat` end to end against the fake gateway.

use crate::support::FakeGateway;
use crate::support::hcl::{
    HELICONE_KEY, Hcl, assert_stderr_has, assert_stderr_lacks, key_of, stderr, stdout,
};

#[test]
fn openai_chat_prints_the_answer_and_logs_it() {
    let gw = FakeGateway::start();
    let hcl = Hcl::with_gateway(&gw);
    let out = hcl.cmd().args(["chat", "hello", "there"]).output().unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(stdout(&out), "Hello! You said: hello there\n");
    let req = gw.last_request();
    assert_eq!(req.path, "/v1/chat/completions");
    assert_eq!(
        req.header("authorization"),
        Some(format!("Bearer {}", key_of("OPENAI_API_KEY")).as_str())
    );
    assert_eq!(
        req.header("helicone-auth"),
        Some(format!("Bearer {HELICONE_KEY}").as_str())
    );
    let rec = hcl.last_record();
    assert_eq!(rec["response"]["text"], "Hello! You said: hello there");
    assert_eq!(rec["request"]["headers"]["Helicone-Request-Id"], rec["id"]);
    assert_eq!(rec["helicone"]["id"], rec["id"]);
    hcl.assert_log_has_no_keys();
}

#[test]
fn prompt_from_stdin_and_dash() {
    let gw = FakeGateway::start();
    let hcl = Hcl::with_gateway(&gw);
    let out = hcl
        .cmd()
        .arg("chat")
        .write_stdin("from stdin\n")
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(stdout(&out), "Hello! You said: from stdin\n");
    let out = hcl
        .cmd()
        .args(["chat", "Summarise:", "-"])
        .write_stdin("the text")
        .output()
        .unwrap();
    assert_eq!(stdout(&out), "Hello! You said: Summarise: the text\n");
    let out = hcl.cmd().arg("chat").write_stdin("  \n").output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert_stderr_has(&out, "the prompt is empty");
}

#[test]
fn system_prompt_and_generation_parameters_per_format() {
    let gw = FakeGateway::start();
    let hcl = Hcl::with_gateway(&gw);
    let args = [
        "-s",
        "Be terse",
        "--max-tokens",
        "50",
        "--temperature",
        "0.2",
        "hi",
    ];
    hcl.cmd()
        .args(["chat", "-P", "openai"])
        .args(args)
        .assert()
        .success();
    let b = gw.last_request().json();
    assert_eq!(b["messages"][0]["role"], "system");
    assert_eq!(b["messages"][0]["content"], "Be terse");
    // OpenAI's own rows use its current name, which its reasoning models require.
    assert_eq!(b["max_completion_tokens"], 50);
    assert!(b.get("max_tokens").is_none());
    hcl.cmd()
        .args(["chat", "-P", "groq"])
        .args(args)
        .assert()
        .success();
    assert_eq!(gw.last_request().json()["max_tokens"], 50);
    assert_eq!(b["temperature"], 0.2);
    hcl.cmd()
        .args(["chat", "-P", "anthropic"])
        .args(args)
        .assert()
        .success();
    let b = gw.last_request().json();
    assert_eq!(b["system"], "Be terse");
    assert_eq!(b["max_tokens"], 50);
    hcl.cmd()
        .args(["chat", "-P", "gemini"])
        .args(args)
        .assert()
        .success();
    let b = gw.last_request().json();
    assert_eq!(b["systemInstruction"]["parts"][0]["text"], "Be terse");
    assert_eq!(b["generationConfig"]["maxOutputTokens"], 50);
}

#[test]
fn json_output_has_the_documented_shape() {
    let gw = FakeGateway::start();
    let hcl = Hcl::with_gateway(&gw);
    let out = hcl
        .cmd()
        .args(["chat", "--json", "--cache", "-P", "anthropic", "hi"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["provider"], "anthropic");
    assert_eq!(v["model"], "claude-3-5-haiku-latest");
    assert_eq!(v["text"], "Hello! You said: hi");
    assert_eq!(v["status"], 200);
    assert_eq!(v["finish_reason"], "end_turn");
    for k in ["input", "output", "total"] {
        assert!(v["usage"][k].as_u64().is_some(), "usage.{k}");
    }
    assert!(v["latency_ms"].as_u64().is_some());
    assert_eq!(v["helicone"]["id"], v["id"]);
    assert_eq!(v["helicone"]["cache"], "MISS");
    assert!(
        v["helicone"]
            .as_object()
            .unwrap()
            .contains_key("bucket_idx")
    );
    assert!(
        v["helicone"]
            .as_object()
            .unwrap()
            .contains_key("rate_limit")
    );
    assert_eq!(v["error"], serde_json::Value::Null);
    // The second identical request is a cache HIT.
    let out = hcl
        .cmd()
        .args(["chat", "--json", "--cache", "-P", "anthropic", "hi"])
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["helicone"]["cache"], "HIT");
    assert_eq!(v["helicone"]["bucket_idx"], 0);
    // Errors keep the shape, with `error` set.
    gw.push_script(crate::support::Script::Respond {
        status: 400,
        headers: vec![("content-type".into(), "application/json".into())],
        body: r#"{"error":{"message":"bad"}}"#.into(),
    });
    let out = hcl.cmd().args(["chat", "--json", "x"]).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["status"], 400);
    assert!(v["error"].as_str().unwrap().contains("bad"));
}

#[test]
fn verbose_shows_helicone_metadata_on_stderr_without_secrets() {
    let gw = FakeGateway::start();
    let hcl = Hcl::with_gateway(&gw);
    let out = hcl
        .cmd()
        .args(["chat", "-v", "--cache", "--rate-limit", "10;w=60", "hi"])
        .output()
        .unwrap();
    assert!(out.status.success());
    assert_eq!(stdout(&out), "Hello! You said: hi\n");
    for needle in [
        "helicone-id: ",
        "cache: MISS",
        "rate limit: policy 10;w=60",
        "limit 10",
        "usage: ",
        "logged: ",
    ] {
        assert_stderr_has(&out, needle);
    }
    for (_, key) in crate::support::hcl::TEST_KEYS {
        assert_stderr_lacks(&out, key);
    }
}

#[test]
fn the_log_file_is_private_and_no_log_skips_it() {
    let gw = FakeGateway::start();
    let hcl = Hcl::with_gateway(&gw);
    hcl.cmd()
        .args(["chat", "--no-log", "hi"])
        .assert()
        .success();
    assert!(!hcl.log_path().exists(), "--no-log writes nothing");
    let custom = hcl.dir.path().join("nested/dir/custom.jsonl");
    hcl.cmd()
        .env("HCL_LOG", &custom)
        .args(["chat", "hi"])
        .assert()
        .success();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&custom).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
    }
    let text = std::fs::read_to_string(&custom).unwrap();
    let rec: serde_json::Value = serde_json::from_str(text.lines().next().unwrap()).unwrap();
    for field in [
        "v",
        "id",
        "ts",
        "provider",
        "model",
        "format",
        "stream",
        "request",
        "response",
        "helicone",
        "latency_ms",
        "ttft_ms",
        "error",
        "replay_of",
    ] {
        assert!(rec.get(field).is_some(), "record field {field}");
    }
    assert_eq!(rec["v"], 2);
    assert_eq!(rec["format"], "openai");
    assert_eq!(rec["stream"], false);
    assert!(
        rec["request"]["headers"]["Authorization"]
            .as_str()
            .unwrap()
            .starts_with("Bearer sha256:")
    );
    assert!(
        rec["request"]["headers"]["Helicone-Auth"]
            .as_str()
            .unwrap()
            .starts_with("Bearer sha256:")
    );
    assert!(!rec["request"]["url"].as_str().unwrap().contains("key="));
}

#[test]
fn config_file_gives_defaults() {
    let gw = FakeGateway::start();
    let hcl = Hcl::with_gateway(&gw).env_remove("ANTHROPIC_API_KEY");
    hcl.write_config(
        "provider = \"anthropic\"\nmodel = \"claude-config\"\nuser = \"cfg-user\"\n\n[properties]\nteam = \"search\"\n\n[providers.anthropic]\napi_key = \"test-anthropic-CONFIG-77\"\n",
    );
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(hcl.config_path(), std::fs::Permissions::from_mode(0o644))
            .unwrap();
    }
    let out = hcl
        .cmd()
        .args(["chat", "-p", "team=override", "hi"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert_stderr_has(&out, "chmod 600");
    let r = gw.last_request();
    assert_eq!(r.path, "/v1/messages");
    assert_eq!(r.json()["model"], "claude-config");
    assert_eq!(r.header("x-api-key"), Some("test-anthropic-CONFIG-77"));
    assert_eq!(r.header("helicone-user-id"), Some("cfg-user"));
    assert_eq!(r.header("helicone-property-team"), Some("override"));
    assert!(!hcl.log_text().contains("test-anthropic-CONFIG-77"));
    // A malformed file is an error with its line, never ignored.
    hcl.write_config("provider = \"openai\"\n[properties\n");
    let out = hcl.cmd().args(["chat", "hi"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert_stderr_has(&out, "line 2");
}

#[test]
fn curl_prints_env_references_and_sends_nothing() {
    let gw = FakeGateway::start();
    let hcl = Hcl::with_gateway(&gw);
    let out = hcl
        .cmd()
        .args(["chat", "--curl", "-P", "anthropic", "it's"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let text = stdout(&out);
    assert!(text.starts_with("curl "), "{text}");
    assert!(text.contains("\"x-api-key: $ANTHROPIC_API_KEY\""), "{text}");
    assert!(
        text.contains("\"Helicone-Auth: Bearer $HELICONE_API_KEY\""),
        "{text}"
    );
    assert!(text.contains(r"'\''"), "single quotes are escaped: {text}");
    assert!(gw.requests().is_empty());
    assert!(hcl.records().is_empty());
    // The command really works when pasted into a shell.
    if crate::support::have_tool("curl") {
        let run = std::process::Command::new("sh")
            .arg("-c")
            .arg(&text)
            .env("ANTHROPIC_API_KEY", key_of("ANTHROPIC_API_KEY"))
            .env("HELICONE_API_KEY", HELICONE_KEY)
            .output()
            .unwrap();
        assert!(String::from_utf8_lossy(&run.stdout).contains("Hello! You said: it's"));
        assert_eq!(
            gw.last_request().header("x-api-key"),
            Some(key_of("ANTHROPIC_API_KEY"))
        );
    }
}

#[test]
fn log_list_show_and_path() {
    let gw = FakeGateway::start();
    let hcl = Hcl::with_gateway(&gw);
    hcl.cmd()
        .args(["chat", "first question"])
        .assert()
        .success();
    hcl.cmd()
        .args(["chat", "-P", "gemini", "second question"])
        .assert()
        .success();
    let out = hcl.cmd().args(["log", "path"]).output().unwrap();
    assert_eq!(stdout(&out).trim(), hcl.log_path().display().to_string());
    let out = hcl.cmd().args(["log", "list"]).output().unwrap();
    let text = stdout(&out);
    assert!(
        text.contains("first question") && text.contains("gemini"),
        "{text}"
    );
    let id = hcl.records()[1]["id"].as_str().unwrap().to_string();
    let out = hcl
        .cmd()
        .args(["log", "show", &id[..8], "--json"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let shown: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(shown["id"], id.as_str());
    let out = hcl.cmd().args(["log", "show", "zzzz"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    // A corrupt line is skipped with a warning naming it.
    let mut text = hcl.log_text();
    text.insert_str(0, "{garbage\n");
    std::fs::write(hcl.log_path(), text).unwrap();
    let out = hcl.cmd().args(["log", "list", "--json"]).output().unwrap();
    assert!(out.status.success());
    assert_stderr_has(&out, ":1: skipped");
    assert_eq!(stdout(&out).lines().count(), 2);
}

#[test]
fn broken_pipe_is_quiet() {
    let gw = FakeGateway::start();
    let hcl = Hcl::with_gateway(&gw);
    let mut run = hcl.spawn(&["providers"]);
    run.close_stdout();
    let out = run.finish();
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stderr(&out).is_empty(), "{}", stderr(&out));
}
