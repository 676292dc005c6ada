//! `-P bedrock` end to end against the fake gateway's Bedrock route: the
//! request Helicone's worker expects (the region and the percent-encoded
//! model id in the path, the `aws-*` headers, InvokeModel bodies for Claude
//! and Nova), AWS event streams split at awkward offsets, the recorded
//! Bedrock stream, a bad CRC, stream exceptions and their exit codes, every
//! place the keys come from, no secret anywhere, and replay, conversations
//! and batch.

use std::time::Duration;

use serde_json::{Value, json};

use crate::support::eventstream::{self, awkward_split, chunk, exception, frame};
use crate::support::hcl::{
    AWS_SESSION_TOKEN, HELICONE_KEY, Hcl, TEST_KEYS, assert_stderr_has, key_of, stderr, stdout,
};
use crate::support::{FakeGateway, Script};

const CLAUDE: &str = "anthropic.claude-3-5-haiku-20241022-v1:0";
const CLAUDE_PATH: &str = "/v1/us-east-1/model/anthropic.claude-3-5-haiku-20241022-v1%3A0";
const NOVA: &str = "us.amazon.nova-lite-v1:0";
const NOVA_PATH: &str = "/v1/us-east-1/model/us.amazon.nova-lite-v1%3A0";

fn reply(prompt: &str) -> String {
    format!("Hello! You said: {prompt}")
}

fn run(hcl: &Hcl, args: &[&str]) -> std::process::Output {
    hcl.cmd().args(args).output().unwrap()
}

fn ok(hcl: &Hcl, args: &[&str]) -> std::process::Output {
    let out = run(hcl, args);
    assert!(out.status.success(), "hcl {args:?}: {}", stderr(&out));
    out
}

/// Every secret a test may have set.
fn secrets() -> Vec<&'static str> {
    let mut s: Vec<&str> = TEST_KEYS.iter().map(|(_, v)| *v).collect();
    s.push(AWS_SESSION_TOKEN);
    s.push("PROFILE-SECRET-abc/def+ghi");
    s.push("AKIAPROFILE0000000001");
    s
}

fn assert_no_secret(what: &str, text: &str) {
    for s in secrets() {
        assert!(!text.contains(s), "{what} shows a secret: {text}");
    }
}

fn assert_no_secret_in(out: &std::process::Output) {
    assert_no_secret("stdout", &stdout(out));
    assert_no_secret("stderr", &stderr(out));
}

/// What every Bedrock request through Helicone must carry.
fn assert_helicone_bedrock_request(r: &crate::support::Recorded, path: &str) {
    assert_eq!(r.method, "POST");
    assert_eq!(r.path, path);
    assert_eq!(r.query, None);
    assert_eq!(r.header("content-type"), Some("application/json"));
    assert_eq!(
        r.header("aws-access-key"),
        Some(key_of("AWS_ACCESS_KEY_ID"))
    );
    assert_eq!(
        r.header("aws-secret-key"),
        Some(key_of("AWS_SECRET_ACCESS_KEY"))
    );
    assert_eq!(
        r.header("helicone-auth"),
        Some(format!("Bearer {HELICONE_KEY}").as_str())
    );
    for absent in ["authorization", "x-api-key", "anthropic-version"] {
        assert_eq!(r.header(absent), None, "{absent}");
    }
    assert!(
        r.headers.iter().all(|(n, _)| !n.starts_with("x-amz")),
        "hcl signs nothing itself: {:?}",
        r.headers
    );
}

#[test]
fn claude_chat_and_stream_send_what_helicones_worker_expects() {
    let gw = FakeGateway::start();
    let hcl = Hcl::with_gateway(&gw);
    let out = ok(&hcl, &["chat", "-P", "bedrock", "-m", CLAUDE, "hi"]);
    assert_eq!(stdout(&out), format!("{}\n", reply("hi")));
    let chat = gw.last_request();
    assert_helicone_bedrock_request(&chat, &format!("{CLAUDE_PATH}/invoke"));
    assert_eq!(
        chat.header("aws-session-token"),
        None,
        "no token, no header"
    );
    assert_eq!(
        chat.json(),
        json!({"anthropic_version": "bedrock-2023-05-31", "max_tokens": 1024,
               "messages": [{"role": "user", "content": "hi"}]})
    );
    let rec = hcl.last_record();
    assert_eq!(rec["provider"], "bedrock");
    assert_eq!(rec["format"], "bedrock");
    assert_eq!(rec["model"], CLAUDE);
    assert_eq!(rec["response"]["finish_reason"], "end_turn");
    assert_eq!(
        rec["response"]["usage"],
        json!({"input": 1, "output": 4, "total": 5})
    );
    let roles: Vec<&str> = rec["request"]["secret_headers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["role"].as_str().unwrap())
        .collect();
    assert_eq!(
        roles,
        ["bedrock-access-key", "bedrock-secret-key", "helicone"]
    );

    // The stream: the same body, the stream operation, an AWS event stream
    // split at awkward offsets back.
    let out = ok(
        &hcl,
        &["stream", "-P", "bedrock", "-m", CLAUDE, "--json", "hi"],
    );
    let summary: Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(summary["text"], reply("hi"));
    let stream = gw.last_request();
    assert_helicone_bedrock_request(
        &stream,
        &format!("{CLAUDE_PATH}/invoke-with-response-stream"),
    );
    assert_eq!(
        stream.header("accept"),
        Some("application/vnd.amazon.eventstream")
    );
    assert_eq!(stream.body, chat.body, "a stream differs only in its path");
    let rec = hcl.last_record();
    assert_eq!(rec["stream"], true);
    assert_eq!(rec["response"]["text"], reply("hi"));
    assert_eq!(rec["response"]["finish_reason"], "end_turn");
    assert_eq!(rec["response"]["usage"]["output"], 4);
    assert!(rec["ttft_ms"].is_u64(), "{rec}");
    assert!(rec["error"].is_null(), "{rec}");
    hcl.assert_log_has_no_keys();
}

#[test]
fn nova_chat_and_stream() {
    let gw = FakeGateway::start();
    let hcl = Hcl::with_gateway(&gw);
    let out = ok(
        &hcl,
        &[
            "chat",
            "-P",
            "bedrock",
            "-m",
            NOVA,
            "-s",
            "Be brief.",
            "--max-tokens",
            "50",
            "hello nova",
        ],
    );
    assert_eq!(stdout(&out), format!("{}\n", reply("hello nova")));
    let r = gw.last_request();
    assert_helicone_bedrock_request(&r, &format!("{NOVA_PATH}/invoke"));
    assert_eq!(
        r.json(),
        json!({"schemaVersion": "messages-v1", "system": [{"text": "Be brief."}],
               "messages": [{"role": "user", "content": [{"text": "hello nova"}]}],
               "inferenceConfig": {"maxTokens": 50}})
    );
    let rec = hcl.last_record();
    assert_eq!(
        rec["response"]["usage"],
        json!({"input": 4, "output": 5, "total": 9})
    );

    let out = ok(&hcl, &["stream", "-P", "bedrock", "-m", NOVA, "hello nova"]);
    assert_eq!(stdout(&out), format!("{}\n", reply("hello nova")));
    assert_eq!(
        gw.last_request().path,
        format!("{NOVA_PATH}/invoke-with-response-stream")
    );
    let rec = hcl.last_record();
    assert_eq!(rec["response"]["text"], reply("hello nova"));
    assert_eq!(rec["response"]["finish_reason"], "end_turn");
    assert_eq!(
        rec["response"]["usage"],
        json!({"input": 2, "output": 5, "total": 7})
    );
    assert!(rec["error"].is_null(), "{rec}");
    hcl.assert_log_has_no_keys();
}

fn stream_script(chunks: Vec<Vec<u8>>) -> Script {
    Script::Chunks {
        status: 200,
        headers: vec![(
            "content-type".into(),
            "application/vnd.amazon.eventstream".into(),
        )],
        chunks: chunks.into_iter().map(|c| (Duration::ZERO, c)).collect(),
    }
}

#[test]
fn the_recorded_bedrock_stream_through_the_binary() {
    let gw = FakeGateway::start();
    let hcl = Hcl::with_gateway(&gw);
    let body = eventstream::fixture("bedrock-claude-3-sonnet.bin");
    gw.push_script(stream_script(awkward_split(&body)));
    let out = ok(&hcl, &["stream", "-P", "bedrock", "Tell me a joke"]);
    assert_eq!(
        stdout(&out),
        "Why did the distributed tracing span cross the road? To get to the other service!\n"
    );
    let rec = hcl.last_record();
    assert_eq!(
        rec["response"]["usage"],
        json!({"input": 16, "output": 21, "total": 37})
    );
    assert_eq!(rec["response"]["finish_reason"], "end_turn");
}

/// A few chunk events of text, as a Claude stream begins.
fn claude_start(words: &[&str]) -> Vec<u8> {
    let mut body = chunk(
        &json!({"type": "message_start", "message": {"usage": {"input_tokens": 3, "output_tokens": 1}}}),
    );
    body.extend(chunk(&json!({"type": "content_block_start", "index": 0, "content_block": {"type": "text", "text": ""}})));
    for w in words {
        body.extend(chunk(&json!({"type": "content_block_delta", "index": 0, "delta": {"type": "text_delta", "text": w}})));
    }
    body
}

#[test]
fn a_bad_crc_ends_the_stream_with_the_text_so_far_kept() {
    let gw = FakeGateway::start();
    let hcl = Hcl::with_gateway(&gw);
    let mut body = claude_start(&["Par", "tial"]);
    let mut bad = chunk(
        &json!({"type": "content_block_delta", "index": 0, "delta": {"type": "text_delta", "text": " lost"}}),
    );
    let last = bad.len() - 1;
    bad[last] ^= 0x5a;
    body.extend(bad);
    gw.push_script(stream_script(awkward_split(&body)));
    let out = run(&hcl, &["stream", "-P", "bedrock", "x"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert_eq!(stdout(&out).trim_end(), "Partial");
    assert_stderr_has(&out, "is not a valid AWS event stream");
    assert_stderr_has(&out, "checksum of the message at byte");
    let rec = hcl.last_record();
    assert_eq!(rec["response"]["text"], "Partial");
    assert!(rec["error"].as_str().unwrap().contains("checksum"), "{rec}");
}

#[test]
fn stream_exceptions_map_to_exit_codes_and_keep_the_partial_text() {
    // (exception, exit code, words in the message)
    let cases = [
        ("throttlingException", 4, "429"),
        ("modelStreamErrorException", 1, "424"),
        ("internalServerException", 1, "500"),
    ];
    for (kind, code, status) in cases {
        let gw = FakeGateway::start();
        let hcl = Hcl::with_gateway(&gw);
        let mut body = claude_start(&["Half", " an"]);
        body.extend(exception(
            kind,
            "Too many requests, please wait before trying again.",
        ));
        gw.push_script(stream_script(awkward_split(&body)));
        let out = run(&hcl, &["stream", "-P", "bedrock", "x"]);
        assert_eq!(out.status.code(), Some(code), "{kind}: {}", stderr(&out));
        assert_eq!(stdout(&out).trim_end(), "Half an", "{kind}");
        assert_stderr_has(&out, &format!("answered {status}"));
        assert_stderr_has(&out, kind);
        assert_stderr_has(&out, "what arrived was kept");
        let rec = hcl.last_record();
        assert_eq!(rec["response"]["text"], "Half an", "{kind}");
        assert!(rec["error"].as_str().unwrap().contains(kind), "{rec}");
    }
    // The event-stream protocol's own error message.
    let gw = FakeGateway::start();
    let hcl = Hcl::with_gateway(&gw);
    let mut body = claude_start(&["So"]);
    body.extend(eventstream::protocol_error(
        "InternalFailure",
        "the stream broke",
    ));
    gw.push_script(stream_script(awkward_split(&body)));
    let out = run(&hcl, &["stream", "-P", "bedrock", "x"]);
    assert_eq!(out.status.code(), Some(1));
    assert_stderr_has(&out, "the stream broke (InternalFailure)");
    assert_eq!(hcl.last_record()["response"]["text"], "So");
}

#[test]
fn dry_run_masks_every_aws_key_and_curl_refers_to_variables() {
    let hcl = Hcl::new().env("AWS_SESSION_TOKEN", AWS_SESSION_TOKEN);
    let out = ok(
        &hcl,
        &["stream", "--dry-run", "-P", "bedrock", "-m", CLAUDE, "hi"],
    );
    let text = stdout(&out);
    assert!(
        text.starts_with(&format!(
            "POST https://bedrock.helicone.ai{CLAUDE_PATH}/invoke-with-response-stream\n"
        )),
        "{text}"
    );
    for h in [
        "aws-access-key: sha256:",
        "aws-secret-key: sha256:",
        "aws-session-token: sha256:",
    ] {
        assert!(text.contains(h), "{h}: {text}");
    }
    assert_no_secret_in(&out);

    let out = ok(&hcl, &["chat", "--curl", "-P", "bedrock", "-m", NOVA, "hi"]);
    let curl = stdout(&out);
    for h in [
        "\"aws-access-key: $AWS_ACCESS_KEY_ID\"",
        "\"aws-secret-key: $AWS_SECRET_ACCESS_KEY\"",
        "\"aws-session-token: $AWS_SESSION_TOKEN\"",
        "\"Helicone-Auth: Bearer $HELICONE_API_KEY\"",
    ] {
        assert!(curl.contains(h), "{h}: {curl}");
    }
    assert!(curl.contains(&format!("https://bedrock.helicone.ai{NOVA_PATH}/invoke")));
    assert_no_secret_in(&out);
    let out = ok(&hcl, &["stream", "--curl", "-P", "bedrock", "hi"]);
    assert!(
        stdout(&out).starts_with("curl -sSN --output - -X POST"),
        "{}",
        stdout(&out)
    );
}

#[test]
fn a_session_token_travels_in_its_header_and_nowhere_else() {
    let gw = FakeGateway::start();
    let hcl = Hcl::with_gateway(&gw).env("AWS_SESSION_TOKEN", AWS_SESSION_TOKEN);
    let out = ok(&hcl, &["chat", "-P", "bedrock", "-v", "hi"]);
    assert_no_secret_in(&out);
    assert_eq!(
        gw.last_request().header("aws-session-token"),
        Some(AWS_SESSION_TOKEN)
    );
    let rec = hcl.last_record();
    let logged = rec["request"]["headers"].to_string();
    assert!(logged.contains("aws-session-token"), "{logged}");
    hcl.assert_log_has_no_keys();
}

fn write_credentials(hcl: &Hcl, rel: &str, text: &str) -> String {
    let path = hcl.dir.path().join(rel);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(&path, text).unwrap();
    path.display().to_string()
}

const CREDENTIALS: &str = "\
[default]
aws_access_key_id = AKIAPROFILE0000000001
aws_secret_access_key = PROFILE-SECRET-abc/def+ghi

[dev]
aws_access_key_id = AKIAPROFILE0000000001
aws_secret_access_key = PROFILE-SECRET-abc/def+ghi
aws_session_token = test-aws-SESSION-TOKEN-0019

[sso-only]
sso_session = corp
sso_account_id = 123456789012
";

/// An environment with the Helicone key and a region, and no AWS keys.
fn without_aws_keys(gw: &FakeGateway) -> Hcl {
    Hcl::with_gateway(gw)
        .env_remove("AWS_ACCESS_KEY_ID")
        .env_remove("AWS_SECRET_ACCESS_KEY")
}

#[test]
fn keys_from_a_profile_of_the_shared_credentials_file() {
    let gw = FakeGateway::start();
    // HOME/.aws/credentials, the default profile.
    let hcl = without_aws_keys(&gw);
    write_credentials(&hcl, ".aws/credentials", CREDENTIALS);
    let out = ok(&hcl, &["chat", "-P", "bedrock", "hi"]);
    assert_no_secret_in(&out);
    let r = gw.last_request();
    assert_eq!(r.header("aws-access-key"), Some("AKIAPROFILE0000000001"));
    assert_eq!(
        r.header("aws-secret-key"),
        Some("PROFILE-SECRET-abc/def+ghi")
    );
    assert_eq!(r.header("aws-session-token"), None);
    hcl.assert_log_has_no_keys();
    assert!(!hcl.log_text().contains("PROFILE-SECRET"));

    // AWS_PROFILE in a file named by AWS_SHARED_CREDENTIALS_FILE, with its
    // session token; hcl providers and auth status say where they are.
    let hcl = without_aws_keys(&gw).env("AWS_PROFILE", "dev");
    let file = write_credentials(&hcl, "elsewhere/creds", CREDENTIALS);
    let hcl = hcl.env("AWS_SHARED_CREDENTIALS_FILE", &file);
    ok(&hcl, &["chat", "-P", "bedrock", "hi"]);
    assert_eq!(
        gw.last_request().header("aws-session-token"),
        Some(AWS_SESSION_TOKEN)
    );
    let out = ok(&hcl, &["providers", "--json"]);
    assert_no_secret_in(&out);
    let rows: Vec<Value> = serde_json::from_slice(&out.stdout).unwrap();
    let bedrock = rows.iter().find(|r| r["name"] == "bedrock").unwrap();
    assert_eq!(bedrock["key_source"], format!("profile dev ({file})"));
    assert_eq!(bedrock["keys"].as_array().unwrap().len(), 3);
    assert_eq!(bedrock["keys"][2]["name"], "bedrock-session-token");
    assert_eq!(bedrock["keys"][2]["required"], false);
    let out = ok(&hcl, &["auth", "status", "--json"]);
    assert_no_secret_in(&out);
    let status: Value = serde_json::from_slice(&out.stdout).unwrap();
    let row = status["keys"]
        .as_array()
        .unwrap()
        .iter()
        .find(|k| k["name"] == "bedrock-secret-key")
        .unwrap();
    assert_eq!(row["source"], "profile");

    // The environment wins over a profile, as with AWS's own tools.
    let hcl = Hcl::with_gateway(&gw).env("AWS_PROFILE", "dev");
    write_credentials(&hcl, ".aws/credentials", CREDENTIALS);
    ok(&hcl, &["chat", "-P", "bedrock", "hi"]);
    let r = gw.last_request();
    assert_eq!(
        r.header("aws-access-key"),
        Some(key_of("AWS_ACCESS_KEY_ID"))
    );
    assert_eq!(
        r.header("aws-session-token"),
        None,
        "not the profile's token"
    );
}

#[test]
fn missing_and_half_given_keys_are_refused_before_sending() {
    let gw = FakeGateway::start();
    let hcl = without_aws_keys(&gw);
    let out = run(&hcl, &["chat", "-P", "bedrock", "hi"]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    for part in [
        "no AWS credentials for bedrock",
        "AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY",
        "AWS_SESSION_TOKEN",
        "AWS_PROFILE",
        "`hcl auth set bedrock-access-key`",
        "aws_access_key_id and aws_secret_access_key under [providers.bedrock]",
    ] {
        assert_stderr_has(&out, part);
    }

    let hcl = without_aws_keys(&gw).env("AWS_PROFILE", "sso-only");
    write_credentials(&hcl, ".aws/credentials", CREDENTIALS);
    let out = run(&hcl, &["chat", "-P", "bedrock", "hi"]);
    assert_eq!(out.status.code(), Some(2));
    assert_stderr_has(&out, "gets its keys through sso_session");
    assert_stderr_has(&out, "aws configure export-credentials --profile sso-only");

    let hcl = Hcl::with_gateway(&gw).env_remove("AWS_SECRET_ACCESS_KEY");
    let out = run(&hcl, &["chat", "-P", "bedrock", "hi"]);
    assert_eq!(out.status.code(), Some(2));
    assert_stderr_has(
        &out,
        "AWS_ACCESS_KEY_ID is set but AWS_SECRET_ACCESS_KEY is not",
    );
    assert_no_secret_in(&out);

    // A dry run shows the request anyway, with the keys missing.
    let out = ok(
        &without_aws_keys(&gw),
        &["chat", "--dry-run", "-P", "bedrock", "hi"],
    );
    assert!(
        stdout(&out).contains("aws-access-key: <missing>"),
        "{}",
        stdout(&out)
    );
    assert!(gw.requests().is_empty(), "nothing was sent");
}

#[test]
fn keys_and_region_from_the_config_file() {
    let gw = FakeGateway::start();
    let hcl = without_aws_keys(&gw).env_remove("AWS_REGION");
    hcl.write_config(
        "provider = \"bedrock\"\n[providers.bedrock]\nregion = \"eu-central-1\"\naws_access_key_id = \"AKIAPROFILE0000000001\"\naws_secret_access_key = \"PROFILE-SECRET-abc/def+ghi\"\n",
    );
    ok(&hcl, &["chat", "hi"]);
    let r = gw.last_request();
    assert!(r.path.starts_with("/v1/eu-central-1/model/"), "{}", r.path);
    assert_eq!(r.header("aws-access-key"), Some("AKIAPROFILE0000000001"));
    let out = ok(&hcl, &["config", "show", "--json"]);
    assert_no_secret_in(&out);
    let rows: Vec<Value> = serde_json::from_slice(&out.stdout).unwrap();
    let find = |s: &str| rows.iter().find(|r| r["setting"] == s).unwrap().clone();
    assert_eq!(
        find("providers.bedrock.aws_access_key_id")["source"],
        "config"
    );
    assert_eq!(
        find("providers.bedrock.aws_session_token")["source"],
        "unset"
    );
    assert_eq!(find("providers.bedrock.region")["value"], "eu-central-1");

    // AWS_REGION wins, then AWS_DEFAULT_REGION.
    let hcl = hcl.env("AWS_DEFAULT_REGION", "ap-south-1");
    ok(&hcl, &["chat", "hi"]);
    assert!(gw.last_request().path.starts_with("/v1/ap-south-1/"));
    let hcl = hcl.env("AWS_REGION", "us-west-2");
    ok(&hcl, &["chat", "hi"]);
    assert!(gw.last_request().path.starts_with("/v1/us-west-2/"));

    // api_key means nothing for a row with several keys.
    hcl.write_config("[providers.bedrock]\napi_key = \"x\"\n");
    let out = run(&hcl, &["chat", "-P", "bedrock", "hi"]);
    assert_eq!(out.status.code(), Some(2));
    assert_stderr_has(&out, "unknown key 'api_key' under [providers.bedrock]");
}

#[test]
fn what_bedrock_cannot_do_is_refused_clearly() {
    let hcl = Hcl::new();
    let out = run(&hcl, &["chat", "-P", "bedrock", "--direct", "hi"]);
    assert_eq!(out.status.code(), Some(2));
    assert_stderr_has(&out, "--direct does not apply to -P bedrock");
    assert_stderr_has(&out, "SigV4");

    let out = run(
        &hcl,
        &[
            "chat",
            "-P",
            "bedrock",
            "-m",
            "meta.llama3-8b-instruct-v1:0",
            "hi",
        ],
    );
    assert_eq!(out.status.code(), Some(2));
    assert_stderr_has(&out, "Anthropic Claude");
    assert_stderr_has(&out, "meta.llama3-8b-instruct-v1:0");

    // The generic gateway cannot be told to speak Bedrock.
    let out = run(
        &hcl,
        &[
            "chat",
            "-P",
            "gateway",
            "--target-url",
            "https://x.example",
            "--format",
            "bedrock",
            "hi",
        ],
    );
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));

    let out = run(
        &Hcl::new().env_remove("AWS_REGION"),
        &["chat", "-P", "bedrock", "hi"],
    );
    assert_eq!(out.status.code(), Some(2));
    assert_stderr_has(&out, "-P bedrock needs AWS_REGION or AWS_DEFAULT_REGION");

    let out = run(
        &Hcl::new().env("AWS_REGION", "us east"),
        &["chat", "-P", "bedrock", "hi"],
    );
    assert_eq!(out.status.code(), Some(2));
    assert_stderr_has(&out, "is not an AWS region");
}

#[test]
fn a_replayed_chat_hits_the_fakes_cache_and_a_cached_stream_is_named_damaged() {
    let gw = FakeGateway::start();
    let hcl = Hcl::with_gateway(&gw);
    ok(
        &hcl,
        &["chat", "-P", "bedrock", "-m", NOVA, "--cache", "cache me"],
    );
    let out = run(&hcl, &["replay", "--expect", "hit"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stdout(&out).contains("HIT"), "{}", stdout(&out));
    assert_stderr_has(&out, "unlikely ever to answer HIT for Bedrock");
    let again = gw.last_request();
    assert_eq!(again.body, gw.requests()[0].body);
    assert_eq!(again.path, gw.requests()[0].path);
    assert_eq!(
        again.header("aws-secret-key"),
        Some(key_of("AWS_SECRET_ACCESS_KEY"))
    );
    let rec = hcl.last_record();
    assert_eq!(rec["helicone"]["cache"], "HIT");
    assert_eq!(rec["response"]["text"], reply("cache me"));
    hcl.assert_log_has_no_keys();

    // Helicone's cache keeps answers as text; a binary stream comes back
    // damaged, and hcl says where it came from.
    ok(&hcl, &["stream", "-P", "bedrock", "--cache", "stream me"]);
    let out = run(&hcl, &["replay"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let all = format!("{}{}", stdout(&out), stderr(&out));
    assert!(all.contains("Helicone's cache"), "{all}");
    assert_eq!(hcl.last_record()["helicone"]["cache"], "HIT");
}

#[test]
fn conversations_continue_on_bedrock_and_move_to_another_provider() {
    let gw = FakeGateway::start();
    let hcl = Hcl::with_gateway(&gw);
    ok(
        &hcl,
        &["chat", "-P", "bedrock", "-m", NOVA, "-s", "Terse.", "one"],
    );
    ok(&hcl, &["chat", "-c", "two"]);
    let body = gw.last_request().json();
    assert_eq!(gw.last_request().path, format!("{NOVA_PATH}/invoke"));
    assert_eq!(
        body["messages"],
        json!([
            {"role": "user", "content": [{"text": "one"}]},
            {"role": "assistant", "content": [{"text": reply("one")}]},
            {"role": "user", "content": [{"text": "two"}]},
        ])
    );
    assert_eq!(body["system"], json!([{"text": "Terse."}]));
    // On to Claude on Bedrock, then to Anthropic's own API.
    ok(
        &hcl,
        &["chat", "-c", "-P", "bedrock", "-m", CLAUDE, "three"],
    );
    let body = gw.last_request().json();
    assert_eq!(body["system"], "Terse.");
    assert_eq!(
        body["messages"][4],
        json!({"role": "user", "content": "three"})
    );
    ok(&hcl, &["chat", "-c", "-P", "anthropic", "four"]);
    let body = gw.last_request().json();
    assert_eq!(body["messages"].as_array().unwrap().len(), 7);
    assert_eq!(body["messages"][5]["content"], reply("three"));
}

#[test]
fn a_batch_goes_to_bedrock_line_by_line() {
    let gw = FakeGateway::start();
    let hcl = Hcl::with_gateway(&gw);
    let file = hcl.dir.path().join("in.jsonl");
    std::fs::write(
        &file,
        format!(
            "{{\"id\":\"a\",\"prompt\":\"first\"}}\n{{\"id\":\"b\",\"prompt\":\"second\",\"model\":\"{NOVA}\"}}\n"
        ),
    )
    .unwrap();
    let out = ok(
        &hcl,
        &[
            "chat",
            "--batch",
            &file.display().to_string(),
            "-P",
            "bedrock",
            "-j",
            "1",
        ],
    );
    let results: Vec<Value> = stdout(&out)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(results.len(), 2, "{}", stdout(&out));
    assert_eq!(results[0]["text"], reply("first"));
    assert_eq!(results[1]["text"], reply("second"));
    let paths: Vec<String> = gw.requests().iter().map(|r| r.path.clone()).collect();
    assert_eq!(
        paths,
        [
            format!("{CLAUDE_PATH}/invoke"),
            format!("{NOVA_PATH}/invoke")
        ]
    );
    hcl.assert_log_has_no_keys();
}

#[test]
fn the_fake_checks_what_helicone_and_bedrock_check() {
    let gw = FakeGateway::start();
    let hcl = Hcl::with_gateway(&gw);
    // Without AWS keys Helicone signs with empty ones and AWS refuses;
    // a -H that empties one gets the same answer the real route gives.
    let out = run(
        &hcl,
        &["chat", "-P", "bedrock", "-H", "aws-secret-key: ", "hi"],
    );
    assert_eq!(out.status.code(), Some(5), "{}", stderr(&out));
    assert_stderr_has(
        &out,
        "The security token included in the request is invalid",
    );
    // A -H aws-* header is a secret too: masked in a dry run.
    let out = ok(
        &hcl,
        &[
            "chat",
            "--dry-run",
            "-P",
            "bedrock",
            "-H",
            "aws-session-token: given-by-hand",
            "hi",
        ],
    );
    assert!(!stdout(&out).contains("given-by-hand"), "{}", stdout(&out));
    // Frames built by the fake decode in hcl; a plain frame with no
    // headers is ignored as an event of no known type.
    let mut body = frame(
        &[
            (":message-type", "event"),
            (":event-type", "initial-response"),
        ],
        b"{}",
    );
    body.extend(claude_start(&["Fine"]));
    body.extend(chunk(&json!({"type": "message_stop"})));
    gw.push_script(stream_script(awkward_split(&body)));
    let out = ok(&hcl, &["stream", "-P", "bedrock", "x"]);
    assert_eq!(stdout(&out).trim_end(), "Fine");
}

#[test]
fn images_go_to_nova_and_claude_in_their_own_blocks() {
    let gw = FakeGateway::start();
    let hcl = Hcl::with_gateway(&gw);
    // The smallest PNG: an 8-byte signature and an IHDR chunk.
    let png: &[u8] = &[
        0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, b'I', b'H', b'D', b'R', 0, 0,
        0, 1, 0, 0, 0, 1, 8, 6, 0, 0, 0, 0x1f, 0x15, 0xc4, 0x89,
    ];
    let path = hcl.dir.path().join("dot.png");
    std::fs::write(&path, png).unwrap();
    let file = path.display().to_string();
    for (model, block) in [(NOVA, "image"), (CLAUDE, "type")] {
        let out = ok(
            &hcl,
            &[
                "chat",
                "-P",
                "bedrock",
                "-m",
                model,
                "-f",
                &file,
                "what is it",
            ],
        );
        assert!(
            stdout(&out).contains("[seen: image/png"),
            "{model}: {}",
            stdout(&out)
        );
        let body = gw.last_request().json();
        let first = &body["messages"][0]["content"][0];
        assert!(first.get(block).is_some(), "{model}: {first}");
    }
    // A PDF is refused before sending.
    let pdf = hcl.dir.path().join("doc.pdf");
    std::fs::write(&pdf, b"%PDF-1.4\n%EOF\n").unwrap();
    let n = gw.requests().len();
    let out = run(
        &hcl,
        &[
            "chat",
            "-P",
            "bedrock",
            "-f",
            &pdf.display().to_string(),
            "read",
        ],
    );
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert_eq!(gw.requests().len(), n);
}

#[test]
fn model_ids_pick_bedrock_and_provider_prefixes_split_on_the_first_colon() {
    let hcl = Hcl::new();
    for (args, path) in [
        (vec!["-m", CLAUDE], CLAUDE_PATH.to_string()),
        (
            vec!["-m", "bedrock:us.amazon.nova-lite-v1:0"],
            NOVA_PATH.to_string(),
        ),
        (
            vec!["-m", "aws:us.amazon.nova-lite-v1:0"],
            NOVA_PATH.to_string(),
        ),
    ] {
        let mut all = vec!["chat", "--dry-run"];
        all.extend(args.iter().copied());
        all.push("hi");
        let out = ok(&hcl, &all);
        let first = stdout(&out).lines().next().unwrap_or_default().to_string();
        assert_eq!(
            first,
            format!("POST https://bedrock.helicone.ai{path}/invoke"),
            "{args:?}"
        );
    }
    // Bedrock's models come from the built-in list: Helicone does not
    // proxy ListFoundationModels.
    let out = ok(&hcl, &["models", "-P", "bedrock"]);
    let text = stdout(&out);
    assert!(text.contains("us.amazon.nova-lite-v1:0"), "{text}");
    assert_stderr_has(&out, "built-in list (bedrock has no model-list endpoint)");
}
