//! What goes in as content: piped text with a prompt, and `--file` (text
//! inline, images and PDFs as each format's own parts), end to end against
//! the fake gateway for the three wire formats.

use std::path::{Path, PathBuf};

use serde_json::{Value, json};

use crate::providers::golden_dir;
use crate::support::FakeGateway;
use crate::support::formats::reply_text;
use crate::support::hcl::{Hcl, assert_stderr_has, stderr, stdout};

/// The committed fixtures (see tests/fixtures/attach/README.md).
fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/attach")
}

fn fixture(name: &str) -> Vec<u8> {
    std::fs::read(fixtures().join(name)).unwrap()
}

fn b64(bytes: &[u8]) -> String {
    use base64::Engine as _;
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

fn sha256(bytes: &[u8]) -> String {
    use sha2::Digest as _;
    sha2::Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// A 1x1 GIF (the classic transparent pixel, 43 bytes).
const GIF: &[u8] = b"GIF89a\x01\x00\x01\x00\x80\x00\x00\xff\xff\xff\x00\x00\x00!\xf9\x04\x01\x00\x00\x00\x00,\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02D\x01\x00;";

const FORMATS: [&str; 3] = ["openai", "anthropic", "gemini"];

/// The text of the (only) user message of a body, whatever the format.
fn user_text(provider: &str, body: &Value) -> String {
    let msg = match provider {
        "gemini" => &body["contents"][0],
        _ => &body["messages"][0],
    };
    let parts = match provider {
        "gemini" => msg["parts"].clone(),
        _ => msg["content"].clone(),
    };
    match parts {
        Value::String(s) => s,
        Value::Array(parts) => parts
            .iter()
            .filter_map(|p| p["text"].as_str())
            .collect::<Vec<_>>()
            .join(""),
        other => panic!("no text in {other}"),
    }
}

#[test]
fn piped_text_and_the_prompt_both_reach_the_model() {
    let gw = FakeGateway::start();
    let hcl = Hcl::with_gateway(&gw);
    let notes = fixture("notes.txt");
    let joined = format!(
        "Summarize\n\n<stdin>\n{}</stdin>",
        String::from_utf8_lossy(&notes)
    );
    for p in FORMATS {
        let out = hcl
            .cmd()
            .args(["chat", "-P", p, "Summarize"])
            .write_stdin(notes.clone())
            .output()
            .unwrap();
        assert!(out.status.success(), "{p}: {}", stderr(&out));
        assert_eq!(user_text(p, &gw.last_request().json()), joined, "{p}");
        assert_eq!(stdout(&out), format!("{}\n", reply_text(&joined)));
    }
    // The same through hcl stream.
    let out = hcl
        .cmd()
        .args(["stream", "-P", "anthropic", "Summarize"])
        .write_stdin(notes.clone())
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(user_text("anthropic", &gw.last_request().json()), joined);
    // Without a trailing newline the block still closes on its own line.
    hcl.cmd()
        .args(["chat", "Translate"])
        .write_stdin("bonjour")
        .assert()
        .success();
    assert_eq!(
        user_text("openai", &gw.last_request().json()),
        "Translate\n\n<stdin>\nbonjour\n</stdin>"
    );
    // `-` still puts stdin in its place, with no block.
    hcl.cmd()
        .args(["chat", "Say", "-", "twice"])
        .write_stdin("hello\n")
        .assert()
        .success();
    assert_eq!(
        user_text("openai", &gw.last_request().json()),
        "Say hello twice"
    );
    // Empty or blank stdin with a prompt: the prompt alone.
    for empty in ["", "  \n\n"] {
        hcl.cmd()
            .args(["chat", "Just this"])
            .write_stdin(empty)
            .assert()
            .success();
        assert_eq!(user_text("openai", &gw.last_request().json()), "Just this");
    }
    assert_eq!(gw.requests().len(), 8);
}

#[test]
fn binary_stdin_is_refused_naming_file() {
    let gw = FakeGateway::start();
    let hcl = Hcl::with_gateway(&gw);
    for args in [
        &["chat", "What is this?"][..],
        &["chat"],
        &["chat", "x", "-"],
    ] {
        let out = hcl
            .cmd()
            .args(args)
            .write_stdin(fixture("diagram.png"))
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{args:?}: {}", stderr(&out));
        assert_stderr_has(&out, "stdin holds a PNG image, not text");
        assert_stderr_has(&out, "--file -");
    }
    let out = hcl
        .cmd()
        .args(["chat", "x"])
        .write_stdin(vec![b'a', 0, 0xff, 0xfe])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert_stderr_has(&out, "binary data");
    // `--file -` takes it, as an image.
    let out = hcl
        .cmd()
        .args(["chat", "-P", "anthropic", "-f", "-", "What is this?"])
        .write_stdin(fixture("diagram.png"))
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(gw.requests().len(), 1, "only the --file - request was sent");
    let body = gw.last_request().json();
    assert_eq!(
        body["messages"][0]["content"][0]["source"]["data"],
        json!(b64(&fixture("diagram.png")))
    );
    assert_eq!(hcl.last_record()["attachments"][0]["name"], json!("-"));
    // Text on `--file -` is a <stdin> block after the prompt.
    hcl.cmd()
        .args(["chat", "-f", "-", "Summarize"])
        .write_stdin("piped text")
        .assert()
        .success();
    assert_eq!(
        user_text("openai", &gw.last_request().json()),
        "Summarize\n\n<stdin>\npiped text\n</stdin>"
    );
    // stdin is read once.
    let out = hcl
        .cmd()
        .args(["chat", "-f", "-", "x", "-"])
        .write_stdin("t")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert_stderr_has(&out, "stdin can be read only once");
}

/// The body of `-f notes.txt -f diagram.png -f paper.pdf "Compare"` in
/// each format: images and PDFs first as native parts, then the text with
/// the text file inline.
#[test]
fn files_become_each_formats_native_parts() {
    let gw = FakeGateway::start();
    let hcl = Hcl::with_gateway(&gw);
    let (png, pdf, notes) = (
        fixture("diagram.png"),
        fixture("paper.pdf"),
        fixture("notes.txt"),
    );
    let text = format!(
        "Compare\n\n<file name=\"notes.txt\">\n{}</file>",
        String::from_utf8_lossy(&notes)
    );
    for p in FORMATS {
        let out = hcl
            .cmd()
            .current_dir(fixtures())
            .args(["chat", "-P", p, "-f", "notes.txt", "-f", "diagram.png"])
            .args(["-f", "paper.pdf", "Compare"])
            .output()
            .unwrap();
        assert!(out.status.success(), "{p}: {}", stderr(&out));
        // The fake checks each part as the provider does and names what it saw.
        assert_eq!(
            stdout(&out),
            format!(
                "{} [seen: image/png {} bytes, application/pdf {} bytes]\n",
                reply_text(&text),
                png.len(),
                pdf.len()
            ),
            "{p}"
        );
        let req = gw.last_request();
        let body = req.json();
        let want = match p {
            "openai" => json!({"role": "user", "content": [
                {"type": "image_url", "image_url": {"url": format!("data:image/png;base64,{}", b64(&png))}},
                {"type": "file", "file": {"filename": "paper.pdf", "file_data": format!("data:application/pdf;base64,{}", b64(&pdf))}},
                {"type": "text", "text": text},
            ]}),
            "anthropic" => json!({"role": "user", "content": [
                {"type": "image", "source": {"type": "base64", "media_type": "image/png", "data": b64(&png)}},
                {"type": "document", "source": {"type": "base64", "media_type": "application/pdf", "data": b64(&pdf)}},
                {"type": "text", "text": text},
            ]}),
            _ => json!({"role": "user", "parts": [
                {"inlineData": {"mimeType": "image/png", "data": b64(&png)}},
                {"inlineData": {"mimeType": "application/pdf", "data": b64(&pdf)}},
                {"text": text},
            ]}),
        };
        let got = if p == "gemini" {
            &body["contents"][0]
        } else {
            &body["messages"][0]
        };
        assert_eq!(got, &want, "{p}");
        // The log keeps the body byte for byte and lists the files.
        let record = hcl.last_record();
        assert_eq!(
            hcl.raw_bodies().last().unwrap().as_bytes(),
            &req.body[..],
            "{p}"
        );
        assert_eq!(
            record["attachments"],
            json!([
                {"name": "notes.txt", "size": notes.len(), "sha256": sha256(&notes), "media_type": "text/plain"},
                {"name": "diagram.png", "size": png.len(), "sha256": sha256(&png), "media_type": "image/png"},
                {"name": "paper.pdf", "size": pdf.len(), "sha256": sha256(&pdf), "media_type": "application/pdf"},
            ]),
            "{p}"
        );
    }
    // `log show` lists them.
    let id = hcl.last_record()["id"].as_str().unwrap().to_string();
    let out = hcl
        .cmd()
        .args(["log", "show", &id[..8], "--json"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let shown: Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(shown["attachments"][1]["sha256"], json!(sha256(&png)));
    // A replay sends the same bytes, and its record lists the same files.
    let sent = gw.last_request().body;
    hcl.cmd().args(["replay", &id[..8]]).assert().success();
    assert_eq!(gw.last_request().body, sent);
    let replay = hcl.last_record();
    assert_eq!(replay["replay_of"], json!(id));
    assert_eq!(replay["attachments"], shown["attachments"]);
    hcl.assert_log_has_no_keys();
}

/// The issue's "done when": an image and a question, each provider, end to
/// end; streamed too.
#[test]
fn an_image_and_a_question_for_each_provider() {
    let gw = FakeGateway::start();
    let hcl = Hcl::with_gateway(&gw);
    let png = fixture("diagram.png");
    for (cmd, p) in FORMATS
        .iter()
        .map(|p| ("chat", *p))
        .chain(FORMATS.iter().map(|p| ("stream", *p)))
    {
        let out = hcl
            .cmd()
            .current_dir(fixtures())
            .args([cmd, "-P", p, "-f", "diagram.png", "What is this?"])
            .output()
            .unwrap();
        assert!(out.status.success(), "{cmd} {p}: {}", stderr(&out));
        assert_eq!(
            stdout(&out),
            format!(
                "{} [seen: image/png {} bytes]\n",
                reply_text("What is this?"),
                png.len()
            ),
            "{cmd} {p}"
        );
    }
    assert_eq!(gw.requests().len(), 6);
}

#[test]
fn bad_files_are_refused_before_anything_is_sent() {
    let gw = FakeGateway::start();
    let hcl = Hcl::with_gateway(&gw);
    let dir = hcl.dir.path();
    std::fs::write(dir.join("a.zip"), b"PK\x03\x04\x14\0\0\0rest of a zip").unwrap();
    std::fs::write(dir.join("pixel.gif"), GIF).unwrap();
    // An "image" of 8 MB: a PNG signature then zeros.
    let mut big = fixture("diagram.png");
    big.resize(8_000_000, 0);
    std::fs::write(dir.join("big.png"), &big).unwrap();
    let huge = std::fs::File::create(dir.join("huge.txt")).unwrap();
    huge.set_len(101 * 1024 * 1024).unwrap();
    let cases: &[(&[&str], &str)] = &[
        (&["-f", "missing.png"], "cannot read --file missing.png"),
        (&["-f", "."], "--file . is a directory"),
        (
            &["-f", "a.zip"],
            "--file a.zip holds application/zip data; hcl attaches text files",
        ),
        (
            &["-P", "gemini", "-f", "pixel.gif"],
            "pixel.gif (a GIF image) cannot go to gemini: it takes PNG, JPEG and WebP images and PDF documents",
        ),
        (
            &["-P", "anthropic", "-f", "big.png"],
            "anthropic takes images up to 5 MiB as base64",
        ),
        (
            &["-P", "vertex", "-f", "big.png"],
            "vertex takes images up to 7 MiB",
        ),
        (
            &["-P", "vertex", "-f", "pixel.gif"],
            "pixel.gif (a GIF image) cannot go to vertex",
        ),
        (&["-f", "huge.txt"], "hcl attaches files up to 100 MiB"),
    ];
    for (args, want) in cases {
        let out = hcl
            .cmd()
            .current_dir(dir)
            .arg("chat")
            .args(*args)
            .arg("Describe")
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{args:?}: {}", stderr(&out));
        assert_stderr_has(&out, want);
    }
    assert!(gw.requests().is_empty(), "nothing was sent");
    assert!(hcl.records().is_empty(), "nothing was logged");
    // The same 8 MB image is within OpenAI's and the Gemini API's limits.
    for p in ["openai", "gemini"] {
        let out = hcl
            .cmd()
            .current_dir(dir)
            .args(["chat", "--dry-run", "-P", p, "-f", "big.png", "Describe"])
            .output()
            .unwrap();
        assert!(out.status.success(), "{p}: {}", stderr(&out));
    }
}

/// `-c` after an image turn carries the image in the history, in the same
/// format and converted to another; a history the new provider cannot
/// carry (a GIF for Gemini) is refused.
#[test]
fn a_conversation_continues_after_an_image_turn() {
    let gw = FakeGateway::start();
    let hcl = Hcl::with_gateway(&gw);
    let png = fixture("diagram.png");
    let chat = |args: &[&str]| {
        let out = hcl
            .cmd()
            .current_dir(fixtures())
            .arg("chat")
            .args(args)
            .output()
            .unwrap();
        assert!(out.status.success(), "{args:?}: {}", stderr(&out));
        out
    };
    chat(&["-P", "openai", "-f", "diagram.png", "What is this?"]);
    let first = gw.last_request().json()["messages"][0].clone();
    chat(&["-c", "And the colours?"]);
    let body = gw.last_request().json();
    assert_eq!(body["messages"][0], first);
    assert_eq!(
        body["messages"][2],
        json!({"role": "user", "content": "And the colours?"})
    );
    assert!(hcl.last_record().get("attachments").is_none());
    // To Anthropic: the image becomes an image block.
    chat(&["-c", "-P", "anthropic", "Thanks"]);
    let body = gw.last_request().json();
    assert_eq!(
        body["messages"][0]["content"][0],
        json!({"type": "image", "source": {"type": "base64", "media_type": "image/png", "data": b64(&png)}})
    );
    assert_eq!(
        body["messages"][0]["content"][1]["text"],
        json!("What is this?")
    );
    // And to Gemini: inline data.
    chat(&["-c", "-P", "gemini", "Bye"]);
    let body = gw.last_request().json();
    assert_eq!(
        body["contents"][0]["parts"][0],
        json!({"inlineData": {"mimeType": "image/png", "data": b64(&png)}})
    );
    assert_eq!(body["contents"].as_array().unwrap().len(), 7);

    // A GIF turn on OpenAI cannot move to Gemini.
    let gif = hcl.dir.path().join("pixel.gif");
    std::fs::write(&gif, GIF).unwrap();
    chat(&["-P", "openai", "-f", gif.to_str().unwrap(), "A pixel?"]);
    let sent = gw.requests().len();
    let out = hcl
        .cmd()
        .args(["chat", "-c", "-P", "gemini", "More?"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert_stderr_has(
        &out,
        "a GIF image in message 1 of the history cannot go to gemini",
    );
    assert_eq!(gw.requests().len(), sent, "nothing was sent");
}

#[test]
fn batch_lines_attach_their_files() {
    let gw = FakeGateway::start();
    let hcl = Hcl::with_gateway(&gw);
    let lines = [
        r#"{"id": "img", "prompt": "What is this?", "files": ["diagram.png"]}"#,
        r#"{"id": "flag", "prompt": "Summarize"}"#,
        r#"{"id": "gone", "prompt": "x", "files": ["missing.png"]}"#,
        r#"{"id": "msgs", "messages": [{"role": "user", "content": "Read"}, {"role": "assistant", "content": "ok"}, {"role": "user", "content": "Now this"}], "files": ["paper.pdf"], "provider": "anthropic"}"#,
    ]
    .join("\n");
    let out = hcl
        .cmd()
        .current_dir(fixtures())
        .args(["chat", "--batch", "-", "-f", "notes.txt", "-q"])
        .write_stdin(lines)
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(1),
        "one line fails: {}",
        stderr(&out)
    );
    let results: Vec<Value> = stdout(&out)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let by_id = |id: &str| {
        results
            .iter()
            .find(|r| r["id"] == json!(id))
            .unwrap()
            .clone()
    };
    assert!(
        by_id("img")["text"]
            .as_str()
            .unwrap()
            .ends_with("[seen: image/png 79 bytes]")
    );
    assert!(
        by_id("gone")["error"]
            .as_str()
            .unwrap()
            .contains("files: cannot read --file missing.png"),
        "{results:?}"
    );
    let reqs = gw.requests();
    assert_eq!(reqs.len(), 3);
    let body_of = |needle: &str| {
        reqs.iter()
            .map(|r| r.json())
            .find(|b| b.to_string().contains(needle))
            .unwrap()
    };
    // A line without files of its own gets the --file list.
    let flag = body_of("Summarize");
    assert!(
        flag["messages"][0]["content"]
            .as_str()
            .unwrap()
            .starts_with("Summarize\n\n<file name=\"notes.txt\">\n")
    );
    // A messages line: the files go with the last user message.
    let msgs = body_of("Now this");
    assert_eq!(msgs["messages"][0]["content"], json!("Read"));
    assert_eq!(msgs["messages"][2]["content"][0]["type"], json!("document"));
    let records = hcl.records();
    let listed: Vec<&Value> = records
        .iter()
        .map(|r| &r["attachments"][0]["name"])
        .collect();
    assert!(listed.contains(&&json!("diagram.png")));
    assert!(listed.contains(&&json!("notes.txt")));
    assert!(listed.contains(&&json!("paper.pdf")));
}

/// `--dry-run` with an image, per format, against golden files
/// (`attach-FORMAT.txt`). Regenerate with `HCL_UPDATE_GOLDEN=1`.
#[test]
fn dry_run_golden_files_with_an_image() {
    let hcl = Hcl::new();
    let update = std::env::var_os("HCL_UPDATE_GOLDEN").is_some();
    let mut failures = Vec::new();
    for p in FORMATS {
        let out = hcl
            .cmd()
            .current_dir(fixtures())
            .args(["chat", "--dry-run", "-P", p, "-f", "diagram.png"])
            .args(["--request-id", "123e4567-e89b-42d3-a456-426614174000"])
            .arg("What is this?")
            .output()
            .unwrap();
        assert!(out.status.success(), "{p}: {}", stderr(&out));
        let text = stdout(&out);
        let path = golden_dir().join(format!("attach-{p}.txt"));
        if update {
            std::fs::write(&path, &text).unwrap();
        } else if std::fs::read_to_string(&path).unwrap_or_default() != text {
            failures.push(format!("--- {}\n+++ actual\n{text}", path.display()));
        }
    }
    assert!(
        failures.is_empty(),
        "dry-run output differs (HCL_UPDATE_GOLDEN=1 cargo test --test it dry_run_golden_files_with_an_image if deliberate):\n{}",
        failures.join("\n")
    );
}

/// The interactive mode: `-f` goes with the first message, `/file PATH`
/// with the next one.
#[cfg(unix)]
#[test]
fn interactive_file_attaches_to_the_next_message() {
    use rexpect::session::spawn_command;

    let gw = FakeGateway::start();
    let hcl = Hcl::with_gateway(&gw);
    let mut cmd = hcl.std_cmd();
    cmd.current_dir(fixtures()).env("TERM", "xterm").args([
        "chat",
        "-P",
        "anthropic",
        "-f",
        "diagram.png",
    ]);
    let mut p = spawn_command(cmd, Some(10_000)).unwrap();
    p.exp_string("diagram.png (image/png, 79 bytes) goes with your next message")
        .unwrap();
    p.exp_string("/help lists the commands").unwrap();
    p.exp_string("> ").unwrap();
    p.send_line("What is this?").unwrap();
    p.exp_string("[seen: image/png 79 bytes]").unwrap();
    p.exp_string("> ").unwrap();
    p.send_line("/file nope.png").unwrap();
    p.exp_string("cannot read /file nope.png").unwrap();
    p.exp_string("> ").unwrap();
    p.send_line("/file notes.txt").unwrap();
    p.exp_string("notes.txt (text/plain, 84 bytes) goes with your next message")
        .unwrap();
    p.exp_string("> ").unwrap();
    p.send_line("/file paper.pdf").unwrap();
    p.exp_string("goes with your next message").unwrap();
    p.exp_string("> ").unwrap();
    p.send_line("Summarize").unwrap();
    p.exp_string("[seen: application/pdf 586 bytes]").unwrap();
    p.exp_string("> ").unwrap();
    p.send_control('d').unwrap();
    p.exp_eof().unwrap();

    let reqs = gw.requests();
    assert_eq!(reqs.len(), 2);
    let second = reqs[1].json();
    let messages = second["messages"].as_array().unwrap();
    assert_eq!(messages[0]["content"][0]["type"], json!("image"));
    assert_eq!(messages[2]["content"][0]["type"], json!("document"));
    let text = messages[2]["content"][1]["text"].as_str().unwrap();
    assert!(
        text.starts_with("Summarize\n\n<file name=\"notes.txt\">\nHelicone is"),
        "{text}"
    );
    let records = hcl.records();
    assert_eq!(records[0]["attachments"][0]["name"], json!("diagram.png"));
    let names: Vec<&Value> = records[1]["attachments"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| &a["name"])
        .collect();
    assert_eq!(names, [&json!("notes.txt"), &json!("paper.pdf")]);
}
