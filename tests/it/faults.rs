//! The fault matrix: each fault hcl must survive, staged for every wire
//! format it applies to, with the exit code, what reaches stdout, and the
//! record that must be in the log afterwards. A new fault is a new row of
//! [`FAULTS`]; the per-format building blocks are in
//! `support/wirekit.rs`.
//!
//! The faults that need more than one request, or a command other than
//! `chat`/`stream` (the request log itself, batch and replay under a
//! signal), follow the matrix as their own tests.

use std::time::Duration;

use serde_json::Value;

use crate::support::formats::Format;
use crate::support::hcl::{Hcl, stderr, stdout};
use crate::support::wirekit::{self as kit, ALL};
use crate::support::{FakeGateway, Script};

/// How hcl is run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    Chat,
    Stream,
}

/// When a signal is sent, if one is.
#[derive(Debug, Clone, Copy)]
enum Signal {
    None,
    /// Once the first text is on stdout.
    AfterText(&'static str),
    /// Once the request has reached the fake.
    AfterRequest(&'static str),
}

struct Fault {
    name: &'static str,
    mode: Mode,
    formats: &'static [Format],
    /// Flags besides `-P PROVIDER`.
    args: &'static [&'static str],
    /// What the fake provider does.
    stage: fn(Format) -> Script,
    signal: Signal,
    exit: i32,
    /// stdout, exactly.
    stdout: &'static str,
    /// Each must be in stderr.
    stderr: &'static [&'static str],
    /// The logged record: its response status, its text, and a part of its
    /// error (`None`: no error).
    status: Option<u16>,
    text: &'static str,
    error: Option<&'static str>,
}

const PARTIAL: &str = "Partial ans";

fn partial(f: Format) -> Vec<Vec<u8>> {
    vec![kit::head(f), kit::text(f, PARTIAL)]
}

fn slow(then: Script) -> Script {
    Script::DelayThen(Duration::from_secs(30), Box::new(then))
}

/// The usual case of a streamed row: every format, "Partial ans" arrives
/// and is printed, the record has status 200 and that text. Rows say what
/// differs.
const STREAMED: Fault = Fault {
    name: "",
    mode: Mode::Stream,
    formats: ALL,
    args: &[],
    stage: |f| kit::stream(partial(f)),
    signal: Signal::None,
    exit: 0,
    stdout: "Partial ans\n",
    stderr: &[],
    status: Some(200),
    text: PARTIAL,
    error: None,
};

/// The usual case of a non-streamed row: nothing on stdout, no text.
const WHOLE: Fault = Fault {
    mode: Mode::Chat,
    stdout: "",
    text: "",
    ..STREAMED
};

/// A signal while waiting for a whole answer: no response yet.
const WAITING: Fault = Fault {
    stage: |f| {
        slow(Script::Respond {
            status: 200,
            headers: kit::json_headers(),
            body: kit::answer_body(f, "too late"),
        })
    },
    status: None,
    ..WHOLE
};

const FAULTS: &[Fault] = &[
    Fault {
        name: "a complete stream",
        stage: |f| {
            let mut p = partial(f);
            p.extend([kit::finish(f), kit::end(f)]);
            kit::stream(p)
        },
        ..STREAMED
    },
    Fault {
        name: "a stream that ends after its finish reason but before its end marker",
        stage: |f| {
            let mut p = partial(f);
            p.push(kit::finish(f));
            kit::stream(p)
        },
        ..STREAMED
    },
    Fault {
        name: "a stream that ends cleanly before its finish reason",
        exit: 1,
        stderr: &["ended before", "the answer may be incomplete"],
        error: Some("ended before"),
        ..STREAMED
    },
    Fault {
        name: "an empty stream",
        stage: |_| kit::stream(vec![]),
        exit: 1,
        stdout: "",
        stderr: &["ended without an answer"],
        text: "",
        error: Some("ended without an answer"),
        ..STREAMED
    },
    Fault {
        name: "an error event mid-stream",
        stage: |f| {
            let mut p = partial(f);
            p.push(kit::error_event(f, "Overloaded now"));
            kit::stream(p)
        },
        exit: 1,
        stderr: &["ended the stream with an error", "Overloaded now"],
        error: Some("Overloaded now"),
        ..STREAMED
    },
    Fault {
        name: "an unreadable event mid-stream",
        stage: |f| {
            let mut p = partial(f);
            p.push(b"data: {not json\n\n".to_vec());
            kit::stream(p)
        },
        exit: 1,
        stderr: &["could not read"],
        error: Some("could not read"),
        ..STREAMED
    },
    Fault {
        name: "the connection dropped mid-stream",
        stage: |f| kit::stream_then_drop(partial(f)),
        exit: 3,
        stderr: &["connection lost", "after 11 characters of the answer"],
        error: Some("connection lost"),
        ..STREAMED
    },
    Fault {
        name: "a stall mid-stream longer than --idle-timeout",
        args: &["--idle-timeout", "0.3"],
        stage: |f| kit::stream_then_stall(partial(f)),
        exit: 3,
        stderr: &["no data for 300 ms", "--idle-timeout"],
        error: Some("no data for 300 ms"),
        ..STREAMED
    },
    Fault {
        name: "no response headers within --idle-timeout",
        args: &["--idle-timeout", "0.5"],
        stage: |f| slow(kit::stream(partial(f))),
        exit: 3,
        stdout: "",
        stderr: &["no response headers within 500 ms", "--idle-timeout"],
        status: None,
        text: "",
        error: Some("no response headers"),
        ..STREAMED
    },
    Fault {
        name: "the connection dropped before the headers",
        stage: |_| Script::DropBeforeHeaders,
        exit: 3,
        stderr: &["connection lost"],
        status: None,
        error: Some("connection lost"),
        ..WHOLE
    },
    Fault {
        name: "the connection dropped before the headers of a stream",
        mode: Mode::Stream,
        stage: |_| Script::DropBeforeHeaders,
        exit: 3,
        stderr: &["connection lost"],
        status: None,
        error: Some("connection lost"),
        ..WHOLE
    },
    Fault {
        name: "a provider error (500 with its JSON error body)",
        stage: |f| Script::Respond {
            status: 500,
            headers: kit::json_headers(),
            body: kit::error_body(f, "Something broke upstream"),
        },
        exit: 1,
        stderr: &["answered 500", "Something broke upstream"],
        status: Some(500),
        error: Some("Something broke upstream"),
        ..WHOLE
    },
    Fault {
        name: "a provider error on a stream",
        mode: Mode::Stream,
        stage: |f| Script::Respond {
            status: 503,
            headers: kit::json_headers(),
            body: kit::error_body(f, "Try again later"),
        },
        exit: 1,
        stderr: &["answered 503", "Try again later"],
        status: Some(503),
        error: Some("Try again later"),
        ..WHOLE
    },
    Fault {
        name: "the provider's rate limit (429)",
        stage: |f| Script::Respond {
            status: 429,
            headers: kit::json_headers(),
            body: kit::error_body(f, "Rate limit reached"),
        },
        exit: 4,
        stderr: &["answered 429"],
        status: Some(429),
        error: Some("Rate limit reached"),
        ..WHOLE
    },
    Fault {
        name: "a refused key (401)",
        stage: |f| Script::Respond {
            status: 401,
            headers: kit::json_headers(),
            body: kit::error_body(f, "Incorrect API key provided"),
        },
        exit: 5,
        stderr: &["answered 401", "check the provider key"],
        status: Some(401),
        error: Some("Incorrect API key provided"),
        ..WHOLE
    },
    Fault {
        name: "an HTML error page from something in between",
        stage: |_| Script::Respond {
            status: 502,
            headers: vec![("content-type".into(), "text/html".into())],
            body: "<html><head><title>502 Bad Gateway</title></head><body>nginx</body></html>"
                .into(),
        },
        exit: 1,
        stderr: &["HTML page titled '502 Bad Gateway'"],
        status: Some(502),
        error: Some("HTML page titled"),
        ..WHOLE
    },
    Fault {
        name: "a 200 whose body is not JSON",
        stage: |_| Script::Respond {
            status: 200,
            headers: kit::json_headers(),
            body: "{\"choices\": [".into(),
        },
        exit: 1,
        stderr: &["could not read"],
        error: Some("could not read"),
        ..WHOLE
    },
    Fault {
        name: "Ctrl-C (SIGINT) mid-stream",
        stage: |f| kit::stream_then_stall(partial(f)),
        signal: Signal::AfterText("INT"),
        exit: 130,
        stderr: &["interrupted; what arrived is logged as"],
        error: Some("interrupted"),
        ..STREAMED
    },
    Fault {
        name: "SIGTERM mid-stream (timeout, systemd)",
        stage: |f| kit::stream_then_stall(partial(f)),
        signal: Signal::AfterText("TERM"),
        exit: 143,
        stderr: &["terminated (SIGTERM); what arrived is logged as"],
        error: Some("SIGTERM"),
        ..STREAMED
    },
    Fault {
        name: "SIGHUP mid-stream (the terminal closed)",
        stage: |f| kit::stream_then_stall(partial(f)),
        signal: Signal::AfterText("HUP"),
        exit: 129,
        stderr: &["hung up (SIGHUP); what arrived is logged as"],
        error: Some("SIGHUP"),
        ..STREAMED
    },
    Fault {
        name: "Ctrl-C (SIGINT) while waiting for a whole answer",
        signal: Signal::AfterRequest("INT"),
        exit: 130,
        stderr: &["interrupted; the request is logged as"],
        error: Some("interrupted"),
        ..WAITING
    },
    Fault {
        name: "SIGTERM while waiting for a whole answer",
        signal: Signal::AfterRequest("TERM"),
        exit: 143,
        stderr: &["terminated (SIGTERM); the request is logged as"],
        error: Some("SIGTERM"),
        ..WAITING
    },
    Fault {
        name: "SIGHUP while waiting for a whole answer",
        signal: Signal::AfterRequest("HUP"),
        exit: 129,
        stderr: &["hung up (SIGHUP); the request is logged as"],
        error: Some("SIGHUP"),
        ..WAITING
    },
];

/// Run one row for one format; a description of each mismatch.
fn run(fault: &Fault, format: Format) -> Vec<String> {
    let gw = FakeGateway::start();
    let hcl = Hcl::with_gateway(&gw);
    gw.push_script((fault.stage)(format));
    let mut args: Vec<&str> = vec![match fault.mode {
        Mode::Chat => "chat",
        Mode::Stream => "stream",
    }];
    args.extend(["-P", kit::provider(format)]);
    args.extend(fault.args);
    args.push("hello there");
    let (code, out, err) = match fault.signal {
        Signal::None => {
            let o = hcl.cmd().args(&args).output().unwrap();
            (o.status.code(), stdout(&o), stderr(&o))
        }
        Signal::AfterText(sig) => {
            let mut child = kit::spawn(&hcl, &args);
            let first = kit::first_bytes(&mut child);
            kit::signal(&child, sig);
            let (status, rest, err) = kit::rest_of(child);
            (status.code(), first + &rest, err)
        }
        Signal::AfterRequest(sig) => {
            let child = kit::spawn(&hcl, &args);
            kit::wait_for_requests(&gw, 1);
            // The request is in; give hcl a moment to be waiting on it.
            std::thread::sleep(Duration::from_millis(100));
            kit::signal(&child, sig);
            let (status, out, err) = kit::rest_of(child);
            (status.code(), out, err)
        }
    };
    let mut wrong = Vec::new();
    if code != Some(fault.exit) {
        wrong.push(format!("exit {code:?}, want {}", fault.exit));
    }
    if out != fault.stdout {
        wrong.push(format!("stdout {out:?}, want {:?}", fault.stdout));
    }
    for want in fault.stderr {
        if !err.contains(want) {
            wrong.push(format!("stderr lacks {want:?}"));
        }
    }
    let records = hcl.records();
    if records.len() != 1 {
        wrong.push(format!("{} records logged, want 1", records.len()));
        wrong.push(format!("stderr: {err}"));
        return wrong;
    }
    let rec = &records[0];
    let status = rec["response"]["status"].as_u64().map(|s| s as u16);
    if status != fault.status {
        wrong.push(format!("logged status {status:?}, want {:?}", fault.status));
    }
    if rec["response"]["text"] != fault.text {
        wrong.push(format!(
            "logged text {}, want {:?}",
            rec["response"]["text"], fault.text
        ));
    }
    match (fault.error, &rec["error"]) {
        (None, Value::Null) => {}
        (None, e) => wrong.push(format!("logged error {e}, want none")),
        (Some(want), Value::String(e)) if e.contains(want) => {}
        (Some(want), e) => wrong.push(format!("logged error {e}, want one with {want:?}")),
    }
    if rec["stream"] != (fault.mode == Mode::Stream) {
        wrong.push(format!("logged stream {}", rec["stream"]));
    }
    hcl.assert_log_has_no_keys();
    if !wrong.is_empty() {
        wrong.push(format!("stderr: {err}"));
    }
    wrong
}

/// Every row for every format it applies to, four at a time (most of a
/// case is waiting on a process).
#[test]
fn the_fault_matrix() {
    let cases: Vec<(&Fault, Format)> = FAULTS
        .iter()
        .flat_map(|f| f.formats.iter().map(move |&format| (f, format)))
        .collect();
    let next = std::sync::atomic::AtomicUsize::new(0);
    let failures = std::sync::Mutex::new(Vec::new());
    std::thread::scope(|scope| {
        for _ in 0..4 {
            scope.spawn(|| {
                loop {
                    let i = next.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                    let Some(&(fault, format)) = cases.get(i) else {
                        break;
                    };
                    let wrong = run(fault, format);
                    if !wrong.is_empty() {
                        failures.lock().unwrap().push(format!(
                            "{} ({}):\n    {}",
                            fault.name,
                            kit::provider(format),
                            wrong.join("\n    ")
                        ));
                    }
                }
            });
        }
    });
    let failures = failures.into_inner().unwrap();
    assert!(
        failures.is_empty(),
        "{} of {} cases failed:\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n")
    );
}

// ------------------------------------------------ faults outside the matrix

/// A self-signed certificate marked as a CA, used as the server's own and
/// given to --cacert, failed with a bare `CaUsedAsEndEntity`.
#[test]
fn a_ca_certificate_used_as_the_servers_own_is_explained() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/tls");
    let cert = dir.join("ca-as-server.pem");
    let server = crate::support::tls::TlsServer::start(&cert, &dir.join("ca-as-server.key"));
    let hcl = Hcl::new();
    let out = hcl
        .cmd()
        .args(["chat", "--cacert"])
        .arg(&cert)
        .args([
            "--base-url",
            &format!("https://127.0.0.1:{}", server.port),
            "hi",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(3), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(
        err.contains("TLS handshake failed")
            && err.contains("is a CA certificate")
            && err.contains("sign a server certificate with it"),
        "{err}"
    );
    assert!(!err.contains("CaUsedAsEndEntity"), "{err}");
    assert!(
        hcl.last_record()["error"]
            .as_str()
            .unwrap()
            .contains("is a CA certificate")
    );
}

/// A record written without its final newline (a write cut short) made the
/// next exchange unreadable: appended onto it, neither line parsed.
#[test]
fn an_exchange_after_a_torn_last_line_is_listed() {
    let gw = FakeGateway::start();
    let hcl = Hcl::with_gateway(&gw);
    let out = hcl.cmd().args(["chat", "first"]).output().unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let first = hcl.log_text();
    // The same record again, cut short as a full disk leaves it.
    let torn = &first[..first.len() / 2];
    std::fs::write(hcl.log_path(), format!("{first}{torn}")).unwrap();
    let out = hcl.cmd().args(["chat", "second"]).output().unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let out = hcl
        .cmd()
        .args(["log", "list", "--json", "-n", "1"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let newest: Value = serde_json::from_str(stdout(&out).trim()).unwrap();
    assert_eq!(newest["response"]["text"], "Hello! You said: second");
    let all = hcl
        .cmd()
        .args(["log", "list", "--json", "--all"])
        .output()
        .unwrap();
    assert_eq!(stdout(&all).lines().count(), 2, "both exchanges are listed");
    assert!(
        stderr(&all).contains(":2: skipped"),
        "the torn line is named: {}",
        stderr(&all)
    );
}

/// A full disk, staged from outside with /dev/full (ENOSPC on every write):
/// the answer is still printed, and the warning says it was not logged.
#[cfg(target_os = "linux")]
#[test]
fn a_full_disk_is_named_and_the_answer_still_shown() {
    if !std::path::Path::new("/dev/full").exists() {
        crate::support::skip("no /dev/full to stage a full disk");
        return;
    }
    let gw = FakeGateway::start();
    let hcl = Hcl::with_gateway(&gw).env("HCL_LOG", "/dev/full");
    let out = hcl.cmd().args(["chat", "hello"]).output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(stdout(&out), "Hello! You said: hello\n");
    let err = stderr(&out);
    assert!(
        err.contains("No space left on device") && err.contains("the exchange was not logged"),
        "{err}"
    );
}

/// HCL_LOG below a regular file said only "File exists".
#[test]
fn a_log_path_inside_a_file_names_the_file() {
    let gw = FakeGateway::start();
    let hcl = Hcl::with_gateway(&gw);
    let file = hcl.dir.path().join("notes.txt");
    std::fs::write(&file, "mine").unwrap();
    let hcl = hcl.env("HCL_LOG", file.join("requests.jsonl").to_str().unwrap());
    let out = hcl.cmd().args(["chat", "hello"]).output().unwrap();
    let err = stderr(&out);
    assert!(
        err.contains(&format!("{} is a file, not a directory", file.display())),
        "{err}"
    );
    assert_eq!(std::fs::read_to_string(&file).unwrap(), "mine");
}

/// With stdout closed (`hcl chat hi >&-`) the answer went nowhere and hcl
/// exited 0: the Rust runtime puts /dev/null in place of a closed stdout.
#[cfg(target_os = "linux")]
#[test]
fn a_closed_stdout_is_refused_before_anything_is_sent() {
    let gw = FakeGateway::start();
    let hcl = Hcl::with_gateway(&gw);
    let out = hcl
        .std_cmd()
        .args(["chat", "hello"])
        .stdout(std::process::Stdio::null())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "/dev/null is a fine place");
    let mut sh = std::process::Command::new("sh");
    sh.arg("-c")
        .arg("exec \"$0\" chat hello >&-")
        .arg(assert_cmd::cargo::cargo_bin("hcl"));
    sh.env_clear();
    for (k, v) in hcl.std_cmd().get_envs() {
        if let Some(v) = v {
            sh.env(k, v);
        }
    }
    let out = sh.output().unwrap();
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("stdout is closed"),
        "{}",
        stderr(&out)
    );
    assert_eq!(gw.requests().len(), 1, "only the first chat was sent");
}

/// `hcl stream --max-retries 3` gave a bare "unexpected argument".
#[test]
fn batch_flags_on_stream_say_where_they_belong() {
    let hcl = Hcl::new();
    for (flag, value) in [
        ("--max-retries", Some("3")),
        ("-j", Some("4")),
        ("--fail-fast", None),
    ] {
        let mut cmd = hcl.cmd();
        cmd.args(["stream", flag]);
        if let Some(v) = value {
            cmd.arg(v);
        }
        let out = cmd.arg("hi").output().unwrap();
        assert_eq!(out.status.code(), Some(2), "{flag}");
        let err = stderr(&out);
        assert!(
            err.contains("belongs to hcl chat --batch FILE"),
            "{flag}: {err}"
        );
    }
}

/// SIGTERM stops a batch like Ctrl-C: nothing more is launched, the
/// requests in flight are logged as terminated, and the exit is 143.
#[test]
fn sigterm_stops_a_batch_and_logs_what_was_in_flight() {
    let gw = FakeGateway::start();
    let hcl = Hcl::with_gateway(&gw);
    for _ in 0..4 {
        gw.push_script(slow(Script::Respond {
            status: 200,
            headers: kit::json_headers(),
            body: kit::answer_body(Format::OpenAi, "never"),
        }));
    }
    let file = hcl.dir.path().join("in.jsonl");
    std::fs::write(&file, "one\ntwo\nthree\nfour\n").unwrap();
    let child = kit::spawn(
        &hcl,
        &["chat", "--batch", file.to_str().unwrap(), "-j", "2"],
    );
    kit::wait_for_requests(&gw, 2);
    std::thread::sleep(Duration::from_millis(100));
    kit::signal(&child, "TERM");
    let (status, out, err) = kit::rest_of(child);
    assert_eq!(status.code(), Some(143), "{err}");
    assert_eq!(out, "", "no result for what was cut short");
    assert_eq!(gw.requests().len(), 2, "nothing launched after SIGTERM");
    let recs = hcl.records();
    assert_eq!(recs.len(), 2, "both requests in flight are logged");
    assert!(
        recs.iter().all(|r| r["error"] == "terminated (SIGTERM)"),
        "{recs:?}"
    );
}

/// SIGHUP stops a replay like Ctrl-C, with 129.
#[test]
fn sighup_stops_a_replay_and_logs_what_was_in_flight() {
    let gw = FakeGateway::start();
    let hcl = Hcl::with_gateway(&gw);
    for prompt in ["one", "two"] {
        let out = hcl.cmd().args(["chat", prompt]).output().unwrap();
        assert!(out.status.success(), "{}", stderr(&out));
    }
    for _ in 0..2 {
        gw.push_script(slow(Script::Respond {
            status: 200,
            headers: kit::json_headers(),
            body: kit::answer_body(Format::OpenAi, "never"),
        }));
    }
    let child = kit::spawn(&hcl, &["replay", "--all", "-j", "2"]);
    kit::wait_for_requests(&gw, 4);
    std::thread::sleep(Duration::from_millis(100));
    kit::signal(&child, "HUP");
    let (status, _, err) = kit::rest_of(child);
    assert_eq!(status.code(), Some(129), "{err}");
    assert!(err.contains("hung up (SIGHUP)"), "{err}");
    let replays: Vec<Value> = hcl
        .records()
        .into_iter()
        .filter(|r| !r["replay_of"].is_null())
        .collect();
    assert_eq!(replays.len(), 2, "both replays in flight are logged");
    assert!(replays.iter().all(|r| r["error"] == "hung up (SIGHUP)"));
}

/// An interactive conversation ends on SIGTERM or SIGHUP like any other
/// command: at the prompt, and mid-reply with the reply logged.
#[cfg(unix)]
mod interactive {
    use std::time::Duration;

    use rexpect::process::{Signal, WaitStatus};
    use rexpect::session::{PtySession, spawn_command};

    use crate::support::FakeGateway;
    use crate::support::hcl::Hcl;

    fn start(hcl: &Hcl) -> PtySession {
        let mut cmd = hcl.std_cmd();
        cmd.env("TERM", "xterm").arg("chat");
        let mut p = spawn_command(cmd, Some(10_000)).unwrap();
        p.exp_string("/help lists the commands").unwrap();
        p.exp_string("> ").unwrap();
        p
    }

    fn signal_and_wait(p: &mut PtySession, sig: Signal) -> i32 {
        p.process_mut().signal(sig).unwrap();
        match p.process().wait().unwrap() {
            WaitStatus::Exited(_, code) => code,
            other => panic!("hcl did not exit: {other:?}"),
        }
    }

    #[test]
    fn sigterm_at_the_prompt_ends_the_session_with_143() {
        let gw = FakeGateway::start();
        let hcl = Hcl::with_gateway(&gw);
        let mut p = start(&hcl);
        p.send_line("hello there").unwrap();
        p.exp_string("Hello! You said: hello there").unwrap();
        p.exp_string("> ").unwrap();
        let code = signal_and_wait(&mut p, Signal::SIGTERM);
        assert_eq!(code, 143);
        assert_eq!(hcl.records().len(), 1);
    }

    #[test]
    fn sighup_mid_reply_logs_what_arrived_and_exits_129() {
        let gw = FakeGateway::start();
        let hcl = Hcl::with_gateway(&gw);
        let mut p = start(&hcl);
        gw.set_stream_delay(Duration::from_millis(400));
        p.send_line("one two three four five six seven").unwrap();
        p.exp_string("Hello!").unwrap();
        let code = signal_and_wait(&mut p, Signal::SIGHUP);
        assert_eq!(code, 129);
        let rec = hcl.last_record();
        assert_eq!(rec["error"], "hung up (SIGHUP)");
        assert!(
            rec["response"]["text"]
                .as_str()
                .is_some_and(|t| t.starts_with("Hello!")),
            "{rec}"
        );
    }
}
