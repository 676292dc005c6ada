//! Conversations: every chat is a turn of a Helicone session; `-c` and
//! `--conversation` rebuild the history from the log for every wire format,
//! across providers and past damaged records; `--max-history-tokens`;
//! `hcl log conversations` and `log show --conversation`; and the
//! interactive mode driven through a pseudo-terminal.

use serde_json::{Value, json};

use crate::support::hcl::{Hcl, assert_stderr_has, stderr, stdout};
use crate::support::{FakeGateway, Recorded};

fn chat(hcl: &Hcl, args: &[&str]) -> std::process::Output {
    let out = hcl.cmd().arg("chat").args(args).output().unwrap();
    assert!(
        out.status.success(),
        "hcl chat {args:?} failed: {}",
        stderr(&out)
    );
    out
}

fn reply(prompt: &str) -> String {
    format!("Hello! You said: {prompt}")
}

fn session_headers(r: &Recorded) -> (String, String, String) {
    (
        r.header("helicone-session-id").unwrap().to_string(),
        r.header("helicone-session-path").unwrap().to_string(),
        r.header("helicone-session-name").unwrap().to_string(),
    )
}

#[test]
fn turns_share_one_session_and_resend_the_growing_history() {
    let gw = FakeGateway::start();
    let hcl = Hcl::with_gateway(&gw);
    chat(&hcl, &["What is Helicone?"]);
    let out = chat(&hcl, &["-c", "--json", "And caching?"]);
    let summary: Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(summary["turn"], json!(2));
    let out = chat(&hcl, &["--stream", "-c", "Thanks"]);
    assert_eq!(stdout(&out), format!("{}\n", reply("Thanks")));

    let reqs = gw.requests();
    assert_eq!(reqs.len(), 3);
    let (id, _, name) = session_headers(&reqs[0]);
    for (i, r) in reqs.iter().enumerate() {
        let (sid, path, n) = session_headers(r);
        assert_eq!(sid, id, "one session id for every turn");
        assert_eq!(path, format!("/turn-{}", i + 1));
        assert_eq!(n, name);
    }
    assert_eq!(name, "hcl conversation", "never the prompt's words");
    assert_eq!(
        reqs[2].json()["messages"],
        json!([
            {"role": "user", "content": "What is Helicone?"},
            {"role": "assistant", "content": reply("What is Helicone?")},
            {"role": "user", "content": "And caching?"},
            {"role": "assistant", "content": reply("And caching?")},
            {"role": "user", "content": "Thanks"},
        ])
    );
    assert_eq!(summary["conversation"], json!(id));
    let records = hcl.records();
    for (i, r) in records.iter().enumerate() {
        assert_eq!(r["conversation"], json!(id));
        assert_eq!(r["turn"], json!(i + 1));
    }
    // The conversation id is the first turn's Helicone-Request-Id.
    assert_eq!(reqs[0].header("helicone-request-id"), Some(id.as_str()));
    hcl.assert_log_has_no_keys();

    // A replay of one turn sends that exact request again.
    let out = hcl
        .cmd()
        .args(["replay", records[1]["id"].as_str().unwrap()])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let again = gw.last_request();
    assert_eq!(again.body, reqs[1].body);
    assert_eq!(session_headers(&again), session_headers(&reqs[1]));
}

/// The body of the third turn for each wire format, the first turn sent
/// with a system prompt that the continuation carries over.
#[test]
fn continue_and_conversation_rebuild_each_wire_format() {
    let gw = FakeGateway::start();
    let hcl = Hcl::with_gateway(&gw);
    let mut first_ids = Vec::new();
    for provider in ["openai", "anthropic", "gemini"] {
        chat(&hcl, &["-P", provider, "-s", "Be brief.", "one"]);
        first_ids.push(
            hcl.last_record()["conversation"]
                .as_str()
                .unwrap()
                .to_string(),
        );
        chat(&hcl, &["-c", "two"]);
        assert_eq!(hcl.last_record()["provider"], json!(provider));
    }
    // --conversation by prefix goes back to each earlier one.
    for (id, provider) in first_ids.iter().zip(["openai", "anthropic", "gemini"]) {
        chat(&hcl, &["--conversation", &id[..8], "three"]);
        let r = gw.last_request();
        assert_eq!(r.header("helicone-session-id"), Some(id.as_str()));
        assert_eq!(r.header("helicone-session-path"), Some("/turn-3"));
        let body = r.json();
        let turns = |assistant: &'static str| {
            vec![
                ("user", "one".to_string()),
                (assistant, reply("one")),
                ("user", "two".to_string()),
                (assistant, reply("two")),
                ("user", "three".to_string()),
            ]
        };
        match provider {
            "openai" => {
                let mut want = vec![json!({"role": "system", "content": "Be brief."})];
                want.extend(
                    turns("assistant")
                        .into_iter()
                        .map(|(role, c)| json!({"role": role, "content": c})),
                );
                assert_eq!(body["messages"], Value::Array(want));
            }
            "anthropic" => {
                assert_eq!(body["system"], json!("Be brief."));
                let want: Vec<Value> = turns("assistant")
                    .into_iter()
                    .map(|(role, c)| json!({"role": role, "content": c}))
                    .collect();
                assert_eq!(body["messages"], Value::Array(want));
            }
            _ => {
                assert_eq!(
                    body["systemInstruction"],
                    json!({"parts": [{"text": "Be brief."}]})
                );
                let want: Vec<Value> = turns("model")
                    .into_iter()
                    .map(|(role, c)| json!({"role": role, "parts": [{"text": c}]}))
                    .collect();
                assert_eq!(body["contents"], Value::Array(want));
            }
        }
    }
}

#[test]
fn a_conversation_moves_between_providers() {
    let gw = FakeGateway::start();
    let hcl = Hcl::with_gateway(&gw);
    chat(&hcl, &["-P", "anthropic", "-s", "Terse.", "alpha"]);
    let out = chat(&hcl, &["-c", "-P", "gemini", "beta"]);
    assert_stderr_has(&out, "continues on gemini (it was on anthropic)");
    let body = gw.last_request().json();
    assert_eq!(
        body["systemInstruction"]["parts"][0]["text"],
        json!("Terse.")
    );
    assert_eq!(
        body["contents"],
        json!([
            {"role": "user", "parts": [{"text": "alpha"}]},
            {"role": "model", "parts": [{"text": reply("alpha")}]},
            {"role": "user", "parts": [{"text": "beta"}]},
        ])
    );
    // Without -P the conversation stays where its last turn was.
    chat(&hcl, &["-c", "gamma"]);
    assert!(gw.last_request().path.contains(":generateContent"));
    chat(&hcl, &["-c", "-P", "openai", "delta"]);
    let body = gw.last_request().json();
    let msgs = body["messages"].as_array().unwrap();
    assert_eq!(msgs[0], json!({"role": "system", "content": "Terse."}));
    assert_eq!(msgs.len(), 8);
    let ids: Vec<_> = gw
        .requests()
        .iter()
        .map(|r| r.header("helicone-session-id").unwrap().to_string())
        .collect();
    assert!(ids.iter().all(|i| *i == ids[0]));

    // A turn holding content hcl cannot carry over is refused, by name.
    let mut text = hcl.log_text();
    let last = text.trim_end().rsplit('\n').next().unwrap().to_string();
    let mut rec: Value = serde_json::from_str(&last).unwrap();
    rec["request"]["body"]["messages"][1] = json!({"role": "assistant", "content": null,
        "tool_calls": [{"id": "call_1", "type": "function", "function": {"name": "f", "arguments": "{}"}}]});
    text.push_str(&format!("{rec}\n"));
    std::fs::write(hcl.log_path(), text).unwrap();
    let out = hcl.cmd().args(["chat", "-c", "epsilon"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert_stderr_has(&out, "cannot be continued");
    assert_stderr_has(&out, "tool calls");
    assert_eq!(gw.requests().len(), 4, "nothing was sent");
}

#[test]
fn a_damaged_turn_falls_back_to_the_newest_readable_one() {
    let gw = FakeGateway::start();
    let hcl = Hcl::with_gateway(&gw);
    chat(&hcl, &["first"]);
    chat(&hcl, &["-c", "second"]);
    // Tear the second turn's record in half.
    let text = hcl.log_text();
    let (head, tail) = text.trim_end().rsplit_once('\n').unwrap();
    std::fs::write(
        hcl.log_path(),
        format!("{head}\n{}\n", &tail[..tail.len() / 2]),
    )
    .unwrap();
    let out = chat(&hcl, &["-c", "third"]);
    assert_stderr_has(&out, "turn 2 of conversation");
    assert_stderr_has(&out, "damaged");
    assert_stderr_has(&out, "lost");
    let r = gw.last_request();
    assert_eq!(r.header("helicone-session-path"), Some("/turn-3"));
    assert_eq!(
        r.json()["messages"],
        json!([
            {"role": "user", "content": "first"},
            {"role": "assistant", "content": reply("first")},
            {"role": "user", "content": "third"},
        ])
    );

    // The listing and the transcript name the damaged line and go on.
    let out = hcl
        .cmd()
        .args(["log", "conversations", "--json"])
        .output()
        .unwrap();
    assert!(out.status.success());
    assert_stderr_has(&out, "skipped");
    let row: Value = serde_json::from_str(stdout(&out).trim()).unwrap();
    assert_eq!(row["turns"], json!(3));
    assert_eq!(row["first_prompt"], json!("first"));
    assert_eq!(row["providers"], json!(["openai"]));
    let id = row["id"].as_str().unwrap();
    let out = hcl
        .cmd()
        .args(["log", "show", "--conversation", &id[..6]])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let md = stdout(&out);
    assert!(md.contains("## Turn 1") && md.contains("## Turn 3"), "{md}");
    assert!(
        md.contains(&reply("third")) && !md.contains("## Turn 2"),
        "{md}"
    );

    // Nothing to continue: a clear usage error.
    let empty = Hcl::with_gateway(&gw);
    let out = empty.cmd().args(["chat", "-c", "x"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert_stderr_has(&out, "no conversation");
}

#[test]
fn long_histories_drop_their_oldest_turns_with_a_note() {
    let gw = FakeGateway::start();
    let hcl = Hcl::with_gateway(&gw);
    let long = "word ".repeat(100);
    chat(&hcl, &["-s", "sys", &long]);
    chat(&hcl, &["-c", "short"]);
    let out = chat(&hcl, &["-c", "--max-history-tokens", "40", "last"]);
    assert_stderr_has(&out, "dropped the 1 oldest turn");
    assert_stderr_has(&out, "--max-history-tokens 40");
    let body = gw.last_request().json();
    assert_eq!(
        body["messages"],
        json!([
            {"role": "system", "content": "sys"},
            {"role": "user", "content": "short"},
            {"role": "assistant", "content": reply("short")},
            {"role": "user", "content": "last"},
        ])
    );
}

#[test]
fn session_flags_with_conversations() {
    let gw = FakeGateway::start();
    let hcl = Hcl::with_gateway(&gw);
    chat(
        &hcl,
        &[
            "--session",
            "ticket-42",
            "--session-name",
            "Ticket 42",
            "hi",
        ],
    );
    assert_eq!(hcl.last_record()["conversation"], json!("ticket-42"));
    let out = hcl
        .cmd()
        .args(["chat", "-c", "--session", "other", "again"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert_stderr_has(&out, "Drop --session");
    chat(
        &hcl,
        &[
            "--conversation",
            "ticket",
            "--session-path",
            "/followup",
            "again",
        ],
    );
    let (id, path, name) = session_headers(&gw.last_request());
    assert_eq!(
        (id.as_str(), path.as_str(), name.as_str()),
        ("ticket-42", "/followup", "Ticket 42")
    );
    let out = hcl
        .cmd()
        .args(["chat", "--conversation", "nope", "x"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert_stderr_has(&out, "hcl log conversations");
}

#[cfg(unix)]
mod pty {
    use std::time::Duration;

    use rexpect::session::{PtySession, spawn_command};
    use serde_json::json;

    use super::reply;
    use crate::support::FakeGateway;
    use crate::support::hcl::Hcl;

    fn start(hcl: &Hcl, args: &[&str]) -> PtySession {
        let mut cmd = hcl.std_cmd();
        cmd.env("TERM", "xterm").arg("chat").args(args);
        let mut p = spawn_command(cmd, Some(10_000)).unwrap();
        p.exp_string("/help lists the commands").unwrap();
        p
    }

    /// Wait for the prompt; send nothing before it shows.
    fn prompt(p: &mut PtySession) {
        p.exp_string("> ").unwrap();
    }

    #[test]
    fn two_turns_a_slash_command_and_ctrl_d() {
        let gw = FakeGateway::start();
        let hcl = Hcl::with_gateway(&gw);
        let mut p = start(&hcl, &["-P", "anthropic"]);
        prompt(&mut p);
        p.send_line("hello there").unwrap();
        p.exp_string(&reply("hello there")).unwrap();
        prompt(&mut p);
        p.send_line("/nonsense").unwrap();
        p.exp_string("unknown command /nonsense").unwrap();
        prompt(&mut p);
        p.send_line("/model claude-test").unwrap();
        p.exp_string("model: claude-test").unwrap();
        prompt(&mut p);
        p.send_line("and more \\").unwrap();
        p.exp_string(". ").unwrap();
        p.send_line("lines").unwrap();
        p.exp_string("lines").unwrap();
        p.exp_string(&reply("and more")).unwrap();
        prompt(&mut p);
        p.send_line("/id").unwrap();
        p.exp_string("Helicone-Session-Id").unwrap();
        prompt(&mut p);
        let md = hcl.dir.path().join("t.md");
        p.send_line(&format!("/save {}", md.display())).unwrap();
        p.exp_string("saved 2 turns").unwrap();
        prompt(&mut p);
        p.send_control('d').unwrap();
        p.exp_eof().unwrap();

        let reqs = gw.requests();
        assert_eq!(reqs.len(), 2);
        let second = reqs[1].json();
        assert_eq!(second["model"], json!("claude-test"));
        assert_eq!(
            second["messages"],
            json!([
                {"role": "user", "content": "hello there"},
                {"role": "assistant", "content": reply("hello there")},
                {"role": "user", "content": "and more \nlines"},
            ])
        );
        let sid = reqs[0].header("helicone-session-id").unwrap();
        assert_eq!(reqs[1].header("helicone-session-id"), Some(sid));
        assert_eq!(reqs[1].header("helicone-session-path"), Some("/turn-2"));
        let records = hcl.records();
        assert_eq!(records[1]["turn"], json!(2));
        assert_eq!(records[1]["conversation"], json!(sid));
        let saved = std::fs::read_to_string(md).unwrap();
        assert!(
            saved.contains("## Turn 2") && saved.contains("hello there"),
            "{saved}"
        );
        // The line history sits beside the log, readable by its owner only.
        use std::os::unix::fs::PermissionsExt;
        let hist = hcl.dir.path().join("history.txt");
        let mode = std::fs::metadata(&hist).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
        assert!(
            std::fs::read_to_string(hist)
                .unwrap()
                .contains("hello there")
        );
        hcl.assert_log_has_no_keys();
    }

    #[test]
    fn ctrl_c_cancels_the_reply_not_the_session() {
        let gw = FakeGateway::start();
        let hcl = Hcl::with_gateway(&gw);
        let mut p = start(&hcl, &[]);
        prompt(&mut p);
        gw.set_stream_delay(Duration::from_millis(400));
        p.send_line("one two three four five six seven").unwrap();
        p.exp_string("Hello!").unwrap();
        p.send_control('c').unwrap();
        p.exp_string("interrupted").unwrap();
        prompt(&mut p);
        gw.set_stream_delay(Duration::ZERO);
        // Ctrl-C at the prompt only clears the line.
        p.send("half typed").unwrap();
        p.send_control('c').unwrap();
        p.exp_string("half typed").unwrap();
        // Wait for the fresh prompt: line editing asks the terminal where
        // the cursor is before drawing it, and input typed meanwhile is lost
        // to that exchange on a pty that never answers.
        prompt(&mut p);
        p.send_line("/retry").unwrap();
        p.exp_string(&reply("one two three four five six seven"))
            .unwrap();
        prompt(&mut p);
        p.send_line("/exit").unwrap();
        p.exp_eof().unwrap();

        let records = hcl.records();
        assert_eq!(records.len(), 2);
        assert_eq!(records[0]["error"], json!("interrupted"));
        assert_eq!(records[1]["turn"], json!(2));
        // The interrupted prompt is not history: the retry sends it once.
        let body = gw.last_request().json();
        assert_eq!(body["messages"].as_array().unwrap().len(), 1);
    }
}
