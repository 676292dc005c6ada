//! The OS keyring for real: a Secret Service (gnome-keyring) in a private
//! D-Bus session, set up by `tests/keyring/with-secret-service.sh`:
//!
//!     tests/keyring/with-secret-service.sh cargo test --test it keyring
//!
//! Outside that sandbox these tests never touch a keyring (they would write
//! to the developer's own): they print a visible "skipped" line, or fail when
//! `HCL_TEST_SECRET_SERVICE=1` says the Secret Service is expected (CI).
//!
//! Also here: a D-Bus peer that never answers, to prove every keyring call is
//! bounded. It needs no Secret Service and always runs on Unix.

use serde_json::Value;

use crate::support::hcl::{
    HELICONE_KEY, Hcl, assert_stderr_has, assert_stderr_lacks, key_of, stderr, stdout,
};
use crate::support::{FakeGateway, wait_until};

/// The session bus address of the sandbox, or `None` after printing why the
/// test is skipped.
fn sandbox_bus() -> Option<String> {
    let expected = std::env::var("HCL_TEST_SECRET_SERVICE").is_ok_and(|v| v == "1");
    let sandbox = std::env::var("HCL_TEST_KEYRING_SANDBOX").ok();
    let bus = std::env::var("DBUS_SESSION_BUS_ADDRESS").ok();
    match (sandbox, bus) {
        (Some(_), Some(bus)) if !bus.is_empty() => Some(bus),
        _ if expected => panic!(
            "HCL_TEST_SECRET_SERVICE=1 but this is not the keyring sandbox; run: \
             tests/keyring/with-secret-service.sh cargo test --test it keyring"
        ),
        _ => {
            // Straight to stderr, past the test harness's capture, so the
            // skip is visible in a normal `cargo test` run.
            use std::io::Write;
            let _ = writeln!(
                std::io::stderr().lock(),
                "skipped: keyring test (no sandboxed Secret Service); run tests/keyring/with-secret-service.sh cargo test --test it keyring"
            );
            None
        }
    }
}

/// hcl with the keyring on, talking to the sandbox's session bus.
fn with_keyring(hcl: Hcl, bus: &str) -> Hcl {
    hcl.env_remove("HCL_NO_KEYRING")
        .env("DBUS_SESSION_BUS_ADDRESS", bus)
}

fn status_row(hcl: &Hcl, name: &str) -> Value {
    let out = hcl
        .cmd()
        .args(["auth", "status", "--json"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let v: Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(v["keyring"]["available"], true, "{v}");
    v["keys"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["name"] == name)
        .unwrap()
        .clone()
}

/// The fingerprint in `auth set`'s note.
fn noted_fingerprint(err: &str) -> String {
    let at = err.find("sha256:").expect("a fingerprint");
    err[at..at + "sha256:".len() + 8].to_string()
}

/// One test, so the steps share the sandbox's keyring in order.
#[test]
fn keyring_set_status_chat_delete_with_a_real_secret_service() {
    let Some(bus) = sandbox_bus() else { return };
    let gw = FakeGateway::start();
    let openai_key = key_of("OPENAI_API_KEY");
    let hcl = with_keyring(Hcl::with_gateway(&gw), &bus)
        .env_remove("OPENAI_API_KEY")
        .env_remove("HELICONE_API_KEY");

    // set: from piped stdin, one trailing newline dropped.
    for (name, key) in [("openai", openai_key), ("helicone", HELICONE_KEY)] {
        let out = hcl
            .cmd()
            .args(["auth", "set", name])
            .write_stdin(format!("{key}\n"))
            .output()
            .unwrap();
        assert!(out.status.success(), "auth set {name}: {}", stderr(&out));
        let err = stderr(&out);
        assert_stderr_has(&out, "stored the key");
        assert_stderr_lacks(&out, key);
        let row = status_row(&hcl, name);
        assert_eq!(row["source"], "keyring", "{row}");
        assert_eq!(row["fingerprint"], noted_fingerprint(&err), "{row}");
    }

    // chat: both keys come from the keyring.
    let out = hcl
        .cmd()
        .args(["chat", "from", "the", "keyring"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(stdout(&out), "Hello! You said: from the keyring\n");
    assert_eq!(stderr(&out), "", "no noise");
    let req = gw.last_request();
    assert_eq!(
        req.header("authorization"),
        Some(format!("Bearer {openai_key}").as_str())
    );
    assert_eq!(
        req.header("helicone-auth"),
        Some(format!("Bearer {HELICONE_KEY}").as_str())
    );
    hcl.assert_log_has_no_keys();

    // Precedence: env > keyring > config.
    hcl.write_config("[providers.openai]\napi_key = \"test-config-KEY-0042\"\n");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(hcl.config_path(), std::fs::Permissions::from_mode(0o600))
            .unwrap();
    }
    let env_hcl = with_keyring(Hcl::with_gateway(&gw), &bus)
        .env("OPENAI_API_KEY", "test-env-KEY-0044")
        .env("HCL_CONFIG", &hcl.config_path().display().to_string());
    // (hcl, expected bearer, status source, shadowed)
    let cases: [(&Hcl, &str, &str, Value); 2] = [
        (
            &env_hcl,
            "test-env-KEY-0044",
            "env",
            serde_json::json!(["keyring", "config"]),
        ),
        (&hcl, openai_key, "keyring", serde_json::json!(["config"])),
    ];
    for (h, bearer, source, shadowed) in cases {
        let out = h.cmd().args(["chat", "hi"]).output().unwrap();
        assert!(out.status.success(), "{}", stderr(&out));
        assert_eq!(
            gw.last_request().header("authorization"),
            Some(format!("Bearer {bearer}").as_str())
        );
        let row = status_row(h, "openai");
        assert_eq!(row["source"], source, "{row}");
        assert_eq!(row["shadowed"], shadowed, "{row}");
    }
    // With HCL_NO_KEYRING=1 the keyring is skipped: config wins.
    let out = hcl
        .cmd()
        .env("HCL_NO_KEYRING", "1")
        .env("HELICONE_API_KEY", HELICONE_KEY)
        .args(["chat", "hi"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(
        gw.last_request().header("authorization"),
        Some("Bearer test-config-KEY-0042")
    );
    std::fs::remove_file(hcl.config_path()).unwrap();

    // delete: gone from status, and chat says how to give a key.
    for name in ["openai", "helicone"] {
        let out = hcl.cmd().args(["auth", "delete", name]).output().unwrap();
        assert!(out.status.success(), "{}", stderr(&out));
        assert_stderr_has(&out, "deleted");
        assert_eq!(status_row(&hcl, name)["source"], "none");
    }
    let out = hcl
        .cmd()
        .args(["auth", "delete", "openai"])
        .output()
        .unwrap();
    assert!(out.status.success());
    assert_stderr_has(&out, "nothing to delete");
    let out = hcl.cmd().args(["chat", "hi"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert_stderr_has(&out, "no API key for openai");
}

/// A row with several keys: each is its own keyring entry, and the set
/// comes from the keyring when the environment holds none of it.
#[test]
fn bedrock_keys_in_the_keyring() {
    let Some(bus) = sandbox_bus() else { return };
    let gw = FakeGateway::start();
    let hcl = with_keyring(Hcl::with_gateway(&gw), &bus)
        .env_remove("AWS_ACCESS_KEY_ID")
        .env_remove("AWS_SECRET_ACCESS_KEY");
    let keys = [
        ("bedrock-access-key", "AKIAKEYRING000000001"),
        ("bedrock-secret-key", "keyring-SECRET-0001/x+y"),
    ];
    for (name, key) in keys {
        let out = hcl
            .cmd()
            .args(["auth", "set", name])
            .write_stdin(format!("{key}\n"))
            .output()
            .unwrap();
        assert!(out.status.success(), "auth set {name}: {}", stderr(&out));
        assert_stderr_lacks(&out, key);
        assert_eq!(status_row(&hcl, name)["source"], "keyring");
    }
    let out = hcl
        .cmd()
        .args(["chat", "-P", "bedrock", "hi"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let req = gw.last_request();
    assert_eq!(req.header("aws-access-key"), Some(keys[0].1));
    assert_eq!(req.header("aws-secret-key"), Some(keys[1].1));
    assert!(!hcl.log_text().contains(keys[1].1));
    // Half the set: the message names the missing entry.
    let out = hcl
        .cmd()
        .args(["auth", "delete", "bedrock-secret-key"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let out = hcl
        .cmd()
        .args(["chat", "-P", "bedrock", "hi"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert_stderr_has(
        &out,
        "the OS keyring holds bedrock-access-key but not bedrock-secret-key",
    );
    let out = hcl
        .cmd()
        .args(["auth", "delete", "bedrock-access-key"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
}

/// A session bus that accepts connections and never says a word: every
/// keyring call must give up after its bound (3 s), quietly for lookups and
/// with the alternatives for `auth set`. The bus holds every connection open
/// until the end of the test, so each hcl that exits gave up on its own.
#[cfg(unix)]
#[test]
fn a_silent_dbus_never_hangs_hcl() {
    use std::os::unix::net::UnixListener;

    let gw = FakeGateway::start();
    let hcl = Hcl::with_gateway(&gw);
    let socket = hcl.dir.path().join("silent-bus");
    let listener = UnixListener::bind(&socket).unwrap();
    let accepted = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let count = accepted.clone();
    std::thread::spawn(move || {
        let mut held = Vec::new();
        for conn in listener.incoming().flatten() {
            held.push(conn); // never read, never answered
            count.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        }
    });
    let hcl = hcl
        .env_remove("HCL_NO_KEYRING")
        .env_remove("OPENAI_API_KEY")
        .env(
            "DBUS_SESSION_BUS_ADDRESS",
            &format!("unix:path={}", socket.display()),
        );
    hcl.write_config("[providers.openai]\napi_key = \"test-config-KEY-0042\"\n");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(hcl.config_path(), std::fs::Permissions::from_mode(0o600))
            .unwrap();
    }

    // Both at once: the bound is per process, so this takes one bound, not two.
    let chat = hcl.spawn(&["chat", "hi"]);
    let set = hcl
        .cmd()
        .args(["auth", "set", "openai"])
        .write_stdin("test-openai-KEY-0001\n")
        .output()
        .unwrap();
    let chat = chat.finish();
    // Both asked the bus, which never answered nor let go.
    wait_until("both processes to have connected to the silent bus", || {
        accepted.load(std::sync::atomic::Ordering::SeqCst) >= 2
    });

    assert!(chat.status.success(), "{}", stderr(&chat));
    assert_eq!(stderr(&chat), "", "a lookup gives up quietly");
    assert_eq!(
        gw.last_request().header("authorization"),
        Some("Bearer test-config-KEY-0042")
    );

    assert_eq!(set.status.code(), Some(2));
    assert_stderr_has(&set, "did not answer within 3 s");
    assert_stderr_has(&set, "OPENAI_API_KEY");
    assert_stderr_has(&set, "config file");
}
