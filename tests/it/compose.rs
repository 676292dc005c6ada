//! Where a request's settings come from besides the flags: defaults in the
//! config file, templates (`-t`, `--save`, `hcl templates`), and the prompt
//! written in `$EDITOR` (`-e`), through the binary against the fake gateway.

use std::path::PathBuf;

use serde_json::{Value, json};

use crate::support::FakeGateway;
use crate::support::hcl::{Hcl, assert_stderr_has, stderr, stdout};

fn run(hcl: &Hcl, args: &[&str]) -> std::process::Output {
    hcl.cmd().args(args).output().unwrap()
}

fn templates_dir(hcl: &Hcl) -> PathBuf {
    // Hcl sets XDG_CONFIG_HOME to <dir>/config.
    hcl.dir.path().join("config/hcl/templates")
}

fn write_template(hcl: &Hcl, name: &str, text: &str) -> PathBuf {
    let dir = templates_dir(hcl);
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(format!("{name}.toml"));
    std::fs::write(&path, text).unwrap();
    path
}

/// A scripted editor: a shell script that rewrites the file it is given.
fn editor(hcl: &Hcl, name: &str, body: &str) -> String {
    let path = hcl.dir.path().join(name);
    std::fs::write(&path, format!("#!/bin/sh\n{body}\n")).unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
    path.display().to_string()
}

#[test]
fn config_defaults_apply_and_flags_override_them() {
    let gw = FakeGateway::start();
    let hcl = Hcl::with_gateway(&gw);
    hcl.write_config(
        r#"
system = "Be terse."
temperature = 0.3
max_tokens = 200
top_p = 0.8
stop = ["END"]

[options]
user = "from-config"

[providers.anthropic]
system = "Answer as a pirate."
temperature = 0.9

[providers.gemini.options.generationConfig]
topK = 5
"#,
    );
    let out = run(&hcl, &["chat", "hi"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let b = gw.last_request().json();
    assert_eq!(
        b["messages"][0],
        json!({"role": "system", "content": "Be terse."})
    );
    assert_eq!(b["temperature"], 0.3);
    assert_eq!(b["max_completion_tokens"], 200);
    assert_eq!(b["top_p"], 0.8);
    assert_eq!(b["stop"], json!(["END"]));
    assert_eq!(b["user"], "from-config");
    // Per provider over the top level.
    run(&hcl, &["chat", "-P", "anthropic", "hi"]);
    let b = gw.last_request().json();
    assert_eq!(b["system"], "Answer as a pirate.");
    assert_eq!(b["temperature"], 0.9);
    assert_eq!(b["max_tokens"], 200);
    run(&hcl, &["chat", "-P", "gemini", "hi"]);
    let b = gw.last_request().json();
    assert_eq!(b["generationConfig"]["topK"], 5);
    assert_eq!(b["generationConfig"]["temperature"], 0.3);
    // Flags over everything; a config option yields to a field a flag sets.
    run(
        &hcl,
        &[
            "chat",
            "-s",
            "Flag system",
            "--temperature",
            "1.5",
            "--stop",
            "X",
            "-o",
            "user=flag",
            "hi",
        ],
    );
    let b = gw.last_request().json();
    assert_eq!(b["messages"][0]["content"], "Flag system");
    assert_eq!(b["temperature"], 1.5);
    assert_eq!(b["stop"], json!(["X"]));
    assert_eq!(b["user"], "flag");
    hcl.write_config("[options]\ntemperature = 0.1\n");
    run(&hcl, &["chat", "--temperature", "0.7", "hi"]);
    assert_eq!(gw.last_request().json()["temperature"], 0.7);
}

#[test]
fn a_config_default_a_format_cannot_carry_names_the_config_file() {
    let gw = FakeGateway::start();
    let hcl = Hcl::with_gateway(&gw);
    hcl.write_config("seed = 7\n[providers.anthropic]\ntemperature = 1.5\n");
    let out = run(&hcl, &["chat", "-P", "anthropic", "hi"]);
    assert_eq!(out.status.code(), Some(2));
    assert_stderr_has(
        &out,
        "temperature under [providers.anthropic] in the config file: 1.5 is out of range",
    );
    let out = run(
        &hcl,
        &["chat", "-P", "anthropic", "--temperature", "0.5", "hi"],
    );
    assert_eq!(out.status.code(), Some(2));
    assert_stderr_has(
        &out,
        "seed in the config file: Anthropic's Messages API has no seed",
    );
    hcl.write_config("temprature = 0.5\n");
    let out = run(&hcl, &["chat", "hi"]);
    assert_eq!(out.status.code(), Some(2));
    assert_stderr_has(&out, "line 1, column 1");
    hcl.write_config("[providers.openai]\nreasoning = \"max\"\n");
    let out = run(&hcl, &["chat", "hi"]);
    assert_eq!(out.status.code(), Some(2));
    assert_stderr_has(&out, "unknown variant `max`");
}

#[test]
fn config_stream_default_and_no_stream() {
    let gw = FakeGateway::start();
    let hcl = Hcl::with_gateway(&gw);
    hcl.write_config("stream = true\n[providers.gemini]\nstream = false\n");
    let out = run(&hcl, &["chat", "hi"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(stdout(&out), "Hello! You said: hi\n");
    assert_eq!(gw.last_request().json()["stream"], true);
    assert_eq!(hcl.last_record()["stream"], true);
    run(&hcl, &["chat", "--no-stream", "hi"]);
    assert!(gw.last_request().json().get("stream").is_none());
    run(&hcl, &["chat", "-P", "gemini", "hi"]);
    assert!(gw.last_request().path.contains(":generateContent"));
    let out = run(&hcl, &["chat", "--stream", "--no-stream", "hi"]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn config_show_says_where_each_default_came_from() {
    let hcl = Hcl::new();
    hcl.write_config(
        "system = \"Be terse.\"\nstream = true\n[options.metadata]\nteam = \"x\"\n[providers.anthropic]\ntemperature = 0.2\n",
    );
    let out = run(&hcl, &["config", "show", "--json"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let rows: Vec<Value> = serde_json::from_slice(&out.stdout).unwrap();
    let get = |k: &str| {
        rows.iter()
            .find(|r| r["setting"] == k)
            .unwrap_or_else(|| panic!("no row {k}: {rows:?}"))
            .clone()
    };
    assert_eq!(
        get("system"),
        json!({"setting": "system", "value": "Be terse.", "source": "config"})
    );
    assert_eq!(get("stream")["source"], "config");
    assert_eq!(get("temperature")["source"], "unset");
    assert_eq!(get("options.metadata.team")["value"], "\"x\"");
    assert_eq!(get("providers.anthropic.temperature")["value"], "0.2");
}

#[test]
fn templates_save_apply_and_list() {
    let gw = FakeGateway::start();
    let hcl = Hcl::with_gateway(&gw);
    let schema = hcl.dir.path().join("person.json");
    std::fs::write(
        &schema,
        r#"{"type":"object","properties":{"name":{"type":"string"}},"required":["name"]}"#,
    )
    .unwrap();
    let out = run(
        &hcl,
        &[
            "chat",
            "-P",
            "anthropic",
            "-s",
            "Be brief",
            "--temperature",
            "0.2",
            "-o",
            "top_k=7",
            "-p",
            "team=ml",
            "--cache",
            "--save",
            "brief",
            "Explain: {input}",
        ],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    assert_stderr_has(&out, "saved template brief");
    assert!(gw.requests().is_empty(), "--save sends nothing");
    let path = templates_dir(&hcl).join("brief.toml");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&path).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600, "the template is private");
    }
    let out = run(&hcl, &["chat", "-t", "brief", "caching"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let req = gw.last_request();
    let b = req.json();
    assert_eq!(req.path, "/v1/messages");
    assert_eq!(b["system"], "Be brief");
    assert_eq!(b["temperature"], 0.2);
    assert_eq!(b["top_k"], 7);
    assert_eq!(b["messages"][0]["content"], "Explain: caching");
    assert_eq!(req.header("helicone-property-team"), Some("ml"));
    assert_eq!(req.header("helicone-cache-enabled"), Some("true"));
    // Flags win over the template; the template's model stays with its provider.
    run(
        &hcl,
        &[
            "chat",
            "-t",
            "brief",
            "--temperature",
            "0.6",
            "-P",
            "openai",
            "x",
        ],
    );
    let b = gw.last_request().json();
    assert_eq!(b["temperature"], 0.6);
    assert_eq!(b["model"], "gpt-4o-mini");
    // A schema beside the template, and a prompt without {input}.
    std::fs::copy(&schema, templates_dir(&hcl).join("person.json")).unwrap();
    write_template(
        &hcl,
        "person",
        "description = \"Invent a person\"\nprovider = \"gemini\"\nprompt = \"Invent a person\"\nschema = \"person.json\"\n",
    );
    let out = run(&hcl, &["chat", "-t", "person"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let answer: Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert!(answer["name"].is_string());
    assert!(gw.last_request().json()["generationConfig"]["responseJsonSchema"].is_object());
    let out = run(&hcl, &["templates", "list"]);
    assert!(stdout(&out).contains("brief") && stdout(&out).contains("Invent a person"));
    let out = run(&hcl, &["templates", "list", "--names"]);
    assert_eq!(stdout(&out), "brief\nperson\n");
    let out = run(&hcl, &["templates", "show", "brief"]);
    assert!(
        stdout(&out).contains("prompt = \"Explain: {input}\""),
        "{}",
        stdout(&out)
    );
    let out = run(&hcl, &["templates", "path"]);
    assert_eq!(
        stdout(&out).trim(),
        templates_dir(&hcl).display().to_string()
    );
}

#[test]
fn a_broken_or_missing_template_names_the_file_line_and_column() {
    let hcl = Hcl::new();
    let path = write_template(&hcl, "broken", "system = \"ok\"\ntemprature = 0.5\n");
    let out = run(&hcl, &["chat", "--dry-run", "-t", "broken", "hi"]);
    assert_eq!(out.status.code(), Some(2));
    assert_stderr_has(
        &out,
        &format!(
            "the template {} is malformed at line 2, column 1",
            path.display()
        ),
    );
    assert_stderr_has(&out, "unknown field `temprature`");
    write_template(&hcl, "quote", "prompt = \"unclosed\n");
    let out = run(&hcl, &["chat", "--dry-run", "-t", "quote", "hi"]);
    assert_eq!(out.status.code(), Some(2));
    assert_stderr_has(&out, "line 1, column");
    let out = run(&hcl, &["chat", "--dry-run", "-t", "nope", "hi"]);
    assert_eq!(out.status.code(), Some(2));
    assert_stderr_has(&out, "no template 'nope'");
    assert_stderr_has(
        &out,
        &templates_dir(&hcl).join("nope.toml").display().to_string(),
    );
    write_template(&hcl, "needs", "prompt = \"Fix: {input}\"\n");
    let out = hcl
        .cmd()
        .args(["chat", "--dry-run", "-t", "needs"])
        .write_stdin("")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert_stderr_has(
        &out,
        "the template's prompt has {input}, but no input was given",
    );
    let out = run(&hcl, &["templates", "list"]);
    assert!(stdout(&out).contains("(malformed)"), "{}", stdout(&out));
}

#[test]
fn batch_lines_may_name_a_template() {
    let gw = FakeGateway::start();
    let hcl = Hcl::with_gateway(&gw);
    write_template(
        &hcl,
        "tr",
        "provider = \"anthropic\"\nsystem = \"Translate\"\nprompt = \"To French: {input}\"\n",
    );
    let input = hcl.dir.path().join("in.jsonl");
    std::fs::write(
        &input,
        "{\"id\":1,\"template\":\"tr\",\"prompt\":\"cat\"}\n{\"id\":2,\"template\":\"tr\",\"prompt\":\"dog\",\"system\":\"Own\"}\n{\"id\":3,\"template\":\"missing\",\"prompt\":\"x\"}\n{\"id\":4,\"prompt\":\"plain\"}\n",
    )
    .unwrap();
    let out = run(
        &hcl,
        &[
            "chat",
            "--batch",
            input.to_str().unwrap(),
            "-j",
            "1",
            "-m",
            "gpt-4.1",
        ],
    );
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let results: Vec<Value> = stdout(&out)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(results[0]["text"], "Hello! You said: To French: cat");
    assert!(
        results[2]["error"]
            .as_str()
            .unwrap()
            .contains("no template 'missing'")
    );
    let reqs = gw.requests();
    assert_eq!(reqs[0].path, "/v1/messages", "the template's provider");
    let bodies: Vec<Value> = reqs.iter().map(|r| r.json()).collect();
    assert_eq!(bodies[0]["system"], "Translate");
    assert_eq!(
        bodies[0]["model"], "claude-3-5-haiku-latest",
        "the flags' model stays with the flags' provider"
    );
    assert_eq!(bodies[1]["system"], "Own", "the line's own fields win");
    assert_eq!(bodies[2]["model"], "gpt-4.1");
}

#[test]
fn edit_writes_the_prompt_in_the_editor() {
    let gw = FakeGateway::start();
    let hcl = Hcl::with_gateway(&gw);
    let ed = editor(&hcl, "ed.sh", r#"printf 'edited: %s' "$(cat "$1")" > "$1""#);
    let hcl = hcl.env("EDITOR", &ed);
    let out = run(&hcl, &["chat", "-e", "first draft"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(stdout(&out), "Hello! You said: edited: first draft\n");
    // Filled from stdin, and into a template's {input}.
    write_template(&hcl, "sum", "prompt = \"Summarise: {input}\"\n");
    let out = hcl
        .cmd()
        .args(["chat", "-e", "-t", "sum"])
        .write_stdin("piped")
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(stdout(&out), "Hello! You said: Summarise: edited: piped\n");
    // VISUAL first when the terminal is not dumb; split like a shell.
    let visual = editor(&hcl, "visual.sh", r#"printf '%s from visual' "$1" > "$2""#);
    let hcl = hcl
        .env("VISUAL", &format!("'{visual}' --tag"))
        .env("TERM", "xterm");
    let out = run(&hcl, &["chat", "-e", "x"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(stdout(&out), "Hello! You said: --tag from visual\n");
}

#[test]
fn an_empty_edit_cancels_without_sending_or_logging() {
    let gw = FakeGateway::start();
    let hcl = Hcl::with_gateway(&gw);
    let ed = editor(&hcl, "empty.sh", r#": > "$1""#);
    let hcl = hcl.env("EDITOR", &ed);
    let out = run(&hcl, &["chat", "-e", "draft"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_stderr_has(&out, "the prompt is empty: cancelled, nothing was sent");
    assert_eq!(stdout(&out), "");
    assert!(gw.requests().is_empty());
    assert!(!hcl.log_path().exists(), "nothing logged");
    // An editor that fails, or is missing: exit 2, nothing sent.
    let failing = editor(&hcl, "fail.sh", "exit 3");
    let out = hcl
        .cmd()
        .env("EDITOR", &failing)
        .args(["chat", "-e", "x"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert_stderr_has(&out, "exited with");
    let out = hcl
        .cmd()
        .env("EDITOR", "/no/such/editor")
        .args(["chat", "-e", "x"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert_stderr_has(
        &out,
        "cannot start the editor '/no/such/editor' (from EDITOR)",
    );
    assert!(gw.requests().is_empty());
}

#[test]
fn templates_edit_checks_the_file() {
    let hcl = Hcl::new();
    let ed = editor(&hcl, "ed.sh", r#"printf 'system = "Be kind"\n' > "$1""#);
    let out = hcl
        .cmd()
        .env("EDITOR", &ed)
        .args(["templates", "edit", "kind"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let text = std::fs::read_to_string(templates_dir(&hcl).join("kind.toml")).unwrap();
    assert_eq!(text, "system = \"Be kind\"\n");
    let bad = editor(&hcl, "bad.sh", r#"printf 'system = 3\n' > "$1""#);
    let out = hcl
        .cmd()
        .env("EDITOR", &bad)
        .args(["templates", "edit", "kind"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert_stderr_has(&out, "line 1, column 10");
}

#[cfg(unix)]
#[test]
fn interactive_edit_sends_the_edited_message_and_an_empty_one_cancels() {
    use rexpect::session::spawn_command;
    let gw = FakeGateway::start();
    let hcl = Hcl::with_gateway(&gw);
    // Writes its text the first time, an empty file the second.
    let ed = editor(
        &hcl,
        "ed.sh",
        r#"if [ -e "$0.done" ]; then : > "$1"; else printf 'from the editor: %s' "$(cat "$1")" > "$1"; touch "$0.done"; fi"#,
    );
    write_template(&hcl, "terse", "system = \"Be terse\"\n");
    let mut cmd = hcl.std_cmd();
    cmd.env("TERM", "xterm")
        .env("EDITOR", &ed)
        .args(["chat", "-P", "anthropic", "-t", "terse"]);
    let mut p = spawn_command(cmd, Some(10_000)).unwrap();
    p.exp_string("/help lists the commands").unwrap();
    p.exp_string("> ").unwrap();
    p.send_line("/edit draft").unwrap();
    p.exp_string("Hello! You said: from the editor: draft")
        .unwrap();
    p.exp_string("> ").unwrap();
    p.send_line("/edit").unwrap();
    p.exp_string("cancelled, nothing was sent").unwrap();
    p.exp_string("> ").unwrap();
    p.send_line("/exit").unwrap();
    p.exp_eof().unwrap();
    let reqs = gw.requests();
    assert_eq!(reqs.len(), 1);
    let b = reqs[0].json();
    assert_eq!(
        b["system"], "Be terse",
        "the template applies to the conversation"
    );
    assert_eq!(b["messages"][0]["content"], "from the editor: draft");
}
