//! Nothing leaked: no prompt text in any header hcl sends, no password from
//! a base URL on any surface, and every file hcl writes private (0600).

use crate::support::hcl::{Hcl, stderr, stdout};
use crate::support::{FakeGateway, Recorded};

/// Words that appear only in prompts: none may reach a header.
const WORDS: &[&str] = &[
    "zebracorn",
    "quokkafish",
    "marmaladex",
    "pelicanine",
    "tangerinox",
    "walrusberry",
    "fennelope",
];

/// Every header, name and value, of every request, that holds a prompt word.
fn leaks(requests: &[Recorded]) -> Vec<String> {
    let mut out = Vec::new();
    for (i, r) in requests.iter().enumerate() {
        for (name, value) in &r.headers {
            let both = format!("{name}: {value}").to_lowercase();
            if WORDS.iter().any(|w| both.contains(w)) {
                out.push(format!(
                    "request {i} ({} {}): {name}: {value}",
                    r.method, r.path
                ));
            }
        }
    }
    out
}

fn ok(hcl: &Hcl, args: &[&str]) -> std::process::Output {
    let out = hcl.cmd().args(args).output().unwrap();
    assert!(out.status.success(), "hcl {args:?}: {}", stderr(&out));
    out
}

/// The session name is never derived from the prompt: not for chat, stream,
/// a continued conversation, a batch or a replay, and not with
/// --omit-request or --omit-response. Helicone stores it as a property even
/// when the body is omitted.
#[test]
fn no_header_of_any_request_holds_a_prompt_word() {
    let gw = FakeGateway::start();
    let hcl = Hcl::with_gateway(&gw);
    ok(&hcl, &["chat", "zebracorn quokkafish marmaladex"]);
    ok(
        &hcl,
        &[
            "chat",
            "--omit-request",
            "patient zebracorn has condition X",
        ],
    );
    ok(&hcl, &["chat", "--omit-response", "quokkafish secrets"]);
    ok(
        &hcl,
        &["stream", "-P", "anthropic", "marmaladex pelicanine"],
    );
    ok(&hcl, &["chat", "-c", "tangerinox follow-up"]);
    ok(&hcl, &["stream", "-c", "-P", "gemini", "walrusberry again"]);
    let batch = hcl.dir.path().join("batch.jsonl");
    std::fs::write(
        &batch,
        "{\"id\": \"a\", \"prompt\": \"fennelope one\"}\n{\"prompt\": \"zebracorn two\", \"provider\": \"anthropic\"}\n",
    )
    .unwrap();
    ok(&hcl, &["chat", "--batch", batch.to_str().unwrap()]);
    ok(&hcl, &["replay", "--all", "--json"]);
    let requests = gw.requests();
    assert!(requests.len() >= 16, "{} requests", requests.len());
    let leaked = leaks(&requests);
    assert!(
        leaked.is_empty(),
        "prompt words in headers:\n{}",
        leaked.join("\n")
    );
    // The default name is neutral and the same for every conversation.
    let first = &requests[0];
    assert_eq!(
        first.header("helicone-session-name"),
        Some("hcl conversation")
    );
}

/// A conversation logged by an older hcl carries a session name made of its
/// first prompt's words; continuing or replaying it does not send that
/// name again. (`--session-name` with the prompt's words stands in for the
/// old default here; it is the same header.)
#[test]
fn a_name_older_hcl_derived_from_the_prompt_is_not_sent_again() {
    let gw = FakeGateway::start();
    let hcl = Hcl::with_gateway(&gw);
    let prompt = "zebracorn quokkafish marmaladex";
    ok(&hcl, &["chat", "--session-name", prompt, prompt]);
    let id = hcl.last_record()["id"].as_str().unwrap().to_string();
    ok(&hcl, &["chat", "-c", "pelicanine"]);
    ok(&hcl, &["replay", &id]);
    let requests = gw.requests();
    assert_eq!(requests.len(), 3);
    let leaked = leaks(&requests[1..]);
    assert!(
        leaked.is_empty(),
        "prompt words in headers:\n{}",
        leaked.join("\n")
    );
    for r in &requests[1..] {
        assert_eq!(r.header("helicone-session-name"), Some("hcl conversation"));
    }
    // A name given by hand that is not the prompt's words is the
    // conversation's own, and is kept.
    ok(&hcl, &["chat", "--session-name", "Planner", "tangerinox"]);
    ok(&hcl, &["chat", "-c", "walrusberry"]);
    assert_eq!(
        gw.last_request().header("helicone-session-name"),
        Some("Planner")
    );
}

/// `hcl chat --dry-run --base-url http://u:pw@host hi` printed the password,
/// and so did the log, the HAR export and -v.
#[test]
fn a_password_in_a_base_url_never_shows() {
    let gw = FakeGateway::start();
    let hcl = Hcl::with_gateway(&gw);
    let password = "hunter2pw";
    let base = gw
        .url()
        .replace("http://", &format!("http://alice:{password}@"));
    let out = ok(&hcl, &["chat", "--dry-run", "--base-url", &base, "hi"]);
    let text = stdout(&out) + &stderr(&out);
    assert!(!text.contains(password), "--dry-run: {text}");
    assert!(text.contains("http://***@127.0.0.1"), "--dry-run: {text}");
    let out = ok(&hcl, &["chat", "--curl", "--base-url", &base, "hi"]);
    assert!(!stdout(&out).contains(password), "--curl: {}", stdout(&out));

    let out = ok(
        &hcl,
        &["chat", "-v", "-P", "anthropic", "--base-url", &base, "hi"],
    );
    assert!(!stderr(&out).contains(password), "-v: {}", stderr(&out));
    // The password still reaches the server, as Basic authorization (the
    // Anthropic key goes in x-api-key).
    assert_eq!(
        gw.last_request().header("authorization"),
        Some("Basic YWxpY2U6aHVudGVyMnB3")
    );
    let out = hcl
        .cmd()
        .args(["stream", "--idle-timeout", "0.2", "--base-url"])
        .arg(base.replace(&gw.url()[7..], "127.0.0.1:9"))
        .arg("hi")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(3), "{}", stderr(&out));
    assert!(!stderr(&out).contains(password), "error: {}", stderr(&out));

    let log = hcl.log_text();
    assert!(!log.contains(password), "the log: {log}");
    let har = hcl.dir.path().join("out.har");
    ok(
        &hcl,
        &["log", "export", "--all", "--har", har.to_str().unwrap()],
    );
    let har_text = std::fs::read_to_string(&har).unwrap();
    assert!(!har_text.contains(password), "the HAR export");
}

#[cfg(unix)]
fn mode(path: &std::path::Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path).unwrap().permissions().mode() & 0o777
}

/// The HAR export was 0644; an existing 0644 log stayed 0644, unremarked.
#[cfg(unix)]
#[test]
fn files_hcl_writes_are_private() {
    use std::os::unix::fs::PermissionsExt;
    let gw = FakeGateway::start();
    let hcl = Hcl::with_gateway(&gw);
    std::fs::write(hcl.log_path(), "").unwrap();
    std::fs::set_permissions(hcl.log_path(), std::fs::Permissions::from_mode(0o644)).unwrap();
    let out = ok(&hcl, &["chat", "hi"]);
    assert_eq!(mode(&hcl.log_path()), 0o600);
    assert!(
        stderr(&out).contains("could be read by others (mode 0644); hcl made it 0600"),
        "{}",
        stderr(&out)
    );
    let out = ok(&hcl, &["chat", "again"]);
    assert_eq!(stderr(&out), "", "said once");

    let har = hcl.dir.path().join("out.har");
    ok(
        &hcl,
        &["log", "export", "--all", "--har", har.to_str().unwrap()],
    );
    assert_eq!(mode(&har), 0o600, "a new HAR file");
    std::fs::set_permissions(&har, std::fs::Permissions::from_mode(0o644)).unwrap();
    ok(
        &hcl,
        &["log", "export", "--all", "--har", har.to_str().unwrap()],
    );
    assert_eq!(mode(&har), 0o600, "an existing HAR file written over");

    let junit = hcl.dir.path().join("replay.xml");
    ok(
        &hcl,
        &["replay", "--last", "1", "--junit", junit.to_str().unwrap()],
    );
    assert_eq!(mode(&junit), 0o600, "a JUnit report");
}
