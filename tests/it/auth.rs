//! `hcl auth` and `hcl config` without a Secret Service: the Helicone key
//! check against the fake REST API, the headless keyring path, lookup
//! precedence through the binary, and the config file's errors and warnings.
//! The real Secret Service is exercised in `keyring.rs`.

use serde_json::Value;

use crate::support::hcl::{
    HELICONE_KEY, Hcl, assert_stderr_has, assert_stderr_lacks, key_of, stderr, stdout,
};
use crate::support::{FakeGateway, Script};

/// Not a Helicone key at all: the fake REST API answers 401.
const WRONG_KEY: &str = "not-a-helicone-KEY-0099";

fn check_env(gw: &FakeGateway) -> Hcl {
    Hcl::new().env("HCL_HELICONE_API_BASE", &gw.url())
}

#[test]
fn auth_check_valid_key_is_ok() {
    let gw = FakeGateway::start();
    let hcl = check_env(&gw);
    let out = hcl.cmd().args(["auth", "check"]).output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(text.starts_with("ok: "), "{text}");
    assert!(
        text.contains("HELICONE_API_KEY") && text.contains("sha256:"),
        "{text}"
    );
    assert!(
        text.contains("proxy logging yes, read yes, write yes"),
        "{text}"
    );
    assert!(!text.contains(HELICONE_KEY));
    assert_stderr_lacks(&out, HELICONE_KEY);

    // Two calls that change nothing: a GET (read) and a query (write).
    let reqs = gw.requests();
    assert_eq!(reqs.len(), 2);
    let probe = "00000000-0000-4000-8000-000000000000";
    assert_eq!(reqs[0].method, "GET");
    assert_eq!(reqs[0].path, format!("/v1/request/{probe}"));
    assert_eq!(reqs[1].method, "POST");
    assert_eq!(reqs[1].path, "/v1/request/query-clickhouse");
    for r in &reqs {
        assert_eq!(
            r.header("authorization"),
            Some(format!("Bearer {HELICONE_KEY}").as_str())
        );
    }
    let body: Value = serde_json::from_str(reqs[1].body_str()).unwrap();
    assert_eq!(
        body["filter"],
        serde_json::json!({"request_response_rmt": {"request_id": {"equals": probe}}})
    );
    assert_eq!(body["limit"], 1);
}

#[test]
fn auth_check_exits_5_only_for_an_unknown_key() {
    let gw = FakeGateway::start();
    // (key, exit code, JSON status, words in the message)
    let cases: &[(&str, i32, &str, &str)] = &[
        (HELICONE_KEY, 0, "ok", "is known"),
        (WRONG_KEY, 5, "invalid", "does not know"),
    ];
    for (key, code, status, words) in cases {
        let hcl = check_env(&gw).env("HELICONE_API_KEY", key);
        let out = hcl
            .cmd()
            .args(["auth", "check", "--json"])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(*code), "{key}: {}", stderr(&out));
        let v: Value = serde_json::from_str(&stdout(&out)).unwrap();
        assert_eq!(v["status"], *status, "{v}");
        assert_eq!(v["key_source"], "env");
        assert_eq!(v["key_variable"], "HELICONE_API_KEY");
        assert_eq!(v["api_base"], gw.url());
        assert!(v["message"].as_str().unwrap().contains(words), "{v}");
        assert!(
            !stdout(&out).contains(key),
            "the key leaked into the output"
        );

        // The text form: the verdict on stderr as an error, same exit code.
        let out = hcl.cmd().args(["auth", "check"]).output().unwrap();
        assert_eq!(out.status.code(), Some(*code));
        if *code == 5 {
            assert_stderr_has(&out, "hcl: error:");
            assert_stderr_has(&out, words);
            assert_stderr_lacks(&out, key);
        }
    }
}

#[test]
fn auth_check_other_failures_have_their_own_exit_codes() {
    // A 500 from the REST API: exit 1, with Helicone's message.
    let gw = FakeGateway::start();
    gw.push_script(Script::Respond {
        status: 500,
        headers: vec![("content-type".into(), "application/json".into())],
        body: r#"{"error":"database unavailable"}"#.into(),
    });
    let out = check_env(&gw)
        .cmd()
        .args(["auth", "check"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert_stderr_has(&out, "database unavailable");

    // Nothing listening: a network error, exit 3.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let out = Hcl::new()
        .env("HCL_HELICONE_API_BASE", &format!("http://127.0.0.1:{port}"))
        .cmd()
        .args(["auth", "check"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(3), "{}", stderr(&out));

    // No key anywhere: a usage error that names the ways to give one.
    let out = Hcl::new()
        .env_remove("HELICONE_API_KEY")
        .cmd()
        .args(["auth", "check"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert_stderr_has(&out, "hcl auth set helicone");

    // A bad override is named.
    let out = Hcl::new()
        .env("HCL_HELICONE_API_BASE", "api.helicone.ai")
        .cmd()
        .args(["auth", "check"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert_stderr_has(&out, "HCL_HELICONE_API_BASE");
}

#[test]
fn auth_check_uses_the_config_key_and_api_base() {
    let gw = FakeGateway::start();
    let hcl = Hcl::new().env_remove("HELICONE_API_KEY");
    hcl.write_config(&format!(
        "[helicone]\napi_key = \"{HELICONE_KEY}\"\napi_base = \"{}\"\n",
        gw.url()
    ));
    set_mode(&hcl.config_path(), 0o600);
    let out = hcl
        .cmd()
        .args(["auth", "check", "--json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let v: Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(v["key_source"], "config");
    assert_eq!(v["api_base"], gw.url());
    assert_eq!(gw.requests().len(), 2);
}

#[test]
fn eu_keys_check_against_the_eu_api() {
    // Shown by `config show` (no network): the REST base follows the key's region.
    let eu_key = "sk-helicone-eu-TEST001-AAAAAAA-BBBBBBB-CCCCCCC";
    for (key, want) in [
        (eu_key, "https://eu.api.helicone.ai"),
        (HELICONE_KEY, "https://api.helicone.ai"),
    ] {
        let out = Hcl::new()
            .env("HELICONE_API_KEY", key)
            .cmd()
            .args(["config", "show", "--json"])
            .output()
            .unwrap();
        assert!(out.status.success(), "{}", stderr(&out));
        let rows: Vec<Value> = serde_json::from_str(&stdout(&out)).unwrap();
        let base = rows
            .iter()
            .find(|r| r["setting"] == "helicone.api_base")
            .unwrap();
        assert_eq!(base["value"], want);
        assert_eq!(base["source"], "default");
    }
}

#[test]
fn auth_set_never_takes_the_key_from_argv() {
    let out = Hcl::new()
        .cmd()
        .args(["auth", "set", "openai", "test-openai-KEY-0001"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert_stderr_has(&out, "never from the command line");
    assert_stderr_lacks(&out, "test-openai-KEY-0001");

    // Unknown names list the valid ones.
    let out = Hcl::new()
        .cmd()
        .args(["auth", "set", "nope"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert_stderr_has(&out, "helicone");
    assert_stderr_has(&out, "anthropic");
}

/// An environment with the keyring switched on but no D-Bus session at all.
fn headless(hcl: Hcl) -> Hcl {
    let runtime = hcl.dir.path().join("runtime");
    std::fs::create_dir_all(&runtime).unwrap();
    let runtime = runtime.display().to_string();
    hcl.env_remove("HCL_NO_KEYRING")
        .env_remove("DBUS_SESSION_BUS_ADDRESS")
        .env("XDG_RUNTIME_DIR", &runtime)
}

#[test]
fn headless_auth_set_fails_fast_with_the_alternatives() {
    let hcl = headless(Hcl::new());
    let out = hcl
        .cmd()
        .args(["auth", "set", "openai"])
        .write_stdin("test-openai-KEY-0001\n")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert_eq!(err.lines().count(), 1, "one clear line: {err}");
    assert_stderr_has(&out, "D-Bus");
    // It fails fast: it saw there is no bus and never made a keyring call
    // (a call that got no answer would say "did not answer within 3 s").
    assert_stderr_has(&out, "no D-Bus session");
    assert_stderr_lacks(&out, "did not answer");
    assert_stderr_has(&out, "OPENAI_API_KEY");
    assert_stderr_has(&out, "config file");
    assert_stderr_lacks(&out, "test-openai-KEY-0001");

    let out = hcl
        .cmd()
        .args(["auth", "delete", "helicone"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert_stderr_has(&out, "HELICONE_API_KEY");

    // HCL_NO_KEYRING=1 says so.
    let out = Hcl::new()
        .cmd()
        .args(["auth", "set", "openai"])
        .write_stdin("x\n")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert_stderr_has(&out, "HCL_NO_KEYRING=1");
}

#[test]
fn headless_chat_uses_env_and_config_keys_quietly() {
    let gw = FakeGateway::start();
    let hcl = headless(Hcl::with_gateway(&gw));
    let out = hcl.cmd().args(["chat", "hi"]).output().unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(stderr(&out), "", "no noise about the keyring");

    // The keyring is skipped; the config file supplies the key.
    let hcl = hcl.env_remove("OPENAI_API_KEY");
    hcl.write_config("[providers.openai]\napi_key = \"test-config-KEY-0042\"\n");
    set_mode(&hcl.config_path(), 0o600);
    let out = hcl.cmd().args(["chat", "hi"]).output().unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(stderr(&out), "");
    assert_eq!(
        gw.last_request().header("authorization"),
        Some("Bearer test-config-KEY-0042")
    );

    let out = hcl
        .cmd()
        .args(["auth", "status", "--json"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let v: Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(v["keyring"]["available"], false);
    assert!(v["keyring"]["reason"].as_str().unwrap().contains("D-Bus"));
    // Without a session bus the keyring is skipped before any call, so no
    // lookup here can have waited on it.
    assert!(
        v["keyring"]["reason"]
            .as_str()
            .unwrap()
            .contains("no D-Bus session"),
        "{v}"
    );
}

/// Where a key comes from, through the binary: env beats config, config is
/// the fallback, and status shows what is shadowed. (env > keyring > config
/// with a real keyring is in `keyring.rs` and the unit tests.)
#[test]
fn key_precedence_through_the_binary() {
    let gw = FakeGateway::start();
    // (OPENAI_API_KEY in env?, key in config?, expected bearer, status source, shadowed)
    type Case = (
        bool,
        bool,
        Option<&'static str>,
        &'static str,
        &'static [&'static str],
    );
    let cases: &[Case] = &[
        (true, true, Some("test-openai-KEY-0001"), "env", &["config"]),
        (true, false, Some("test-openai-KEY-0001"), "env", &[]),
        (false, true, Some("test-config-KEY-0042"), "config", &[]),
        (false, false, None, "none", &[]),
    ];
    for (in_env, in_config, bearer, source, shadowed) in cases {
        let mut hcl = Hcl::with_gateway(&gw);
        if !in_env {
            hcl = hcl.env_remove("OPENAI_API_KEY");
        }
        if *in_config {
            hcl.write_config("[providers.openai]\napi_key = \"test-config-KEY-0042\"\n");
            set_mode(&hcl.config_path(), 0o600);
        }
        let out = hcl.cmd().args(["chat", "hi"]).output().unwrap();
        match bearer {
            Some(b) => {
                assert!(out.status.success(), "{}", stderr(&out));
                assert_eq!(
                    gw.last_request().header("authorization"),
                    Some(format!("Bearer {b}").as_str())
                );
            }
            None => {
                assert_eq!(out.status.code(), Some(2));
                assert_stderr_has(&out, "hcl auth set openai");
            }
        }
        let out = hcl
            .cmd()
            .args(["auth", "status", "--json"])
            .output()
            .unwrap();
        let v: Value = serde_json::from_str(&stdout(&out)).unwrap();
        let row = v["keys"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["name"] == "openai")
            .unwrap()
            .clone();
        assert_eq!(row["source"], *source, "{row}");
        assert_eq!(row["shadowed"], serde_json::json!(shadowed), "{row}");
        assert_eq!(row["fingerprint"].is_string(), bearer.is_some());
        assert!(!stdout(&out).contains("test-config-KEY-0042"));
        assert!(!stdout(&out).contains("test-openai-KEY-0001"));
    }
}

#[test]
fn auth_status_table_shows_fingerprints_never_keys() {
    let out = Hcl::new().cmd().args(["auth", "status"]).output().unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(
        text.contains("env (OPENAI_API_KEY)") && text.contains("sha256:"),
        "{text}"
    );
    assert!(!text.contains(key_of("OPENAI_API_KEY")) && !text.contains(HELICONE_KEY));
    assert_stderr_has(&out, "HCL_NO_KEYRING");
}

#[cfg(unix)]
fn set_mode(path: &std::path::Path, mode: u32) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).unwrap();
}

#[cfg(not(unix))]
fn set_mode(_path: &std::path::Path, _mode: u32) {}

#[test]
fn malformed_config_is_an_error_with_line_and_column() {
    let hcl = Hcl::new();
    hcl.write_config("provider = \"openai\"\n[providers.openai]\nmodel = gpt-4o\n");
    for args in [
        &["config", "show"][..],
        &["auth", "status"][..],
        &["chat", "--dry-run", "hi"][..],
    ] {
        let out = hcl.cmd().args(args).output().unwrap();
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert_stderr_has(&out, "malformed");
        assert_stderr_has(&out, "line 3, column 9");
        assert_stderr_has(&out, &hcl.config_path().display().to_string());
    }
}

#[cfg(unix)]
#[test]
fn a_readable_config_holding_keys_is_warned_about() {
    let hcl = Hcl::new();
    hcl.write_config("[helicone]\napi_key = \"sk-helicone-TEST001-AAAAAAA-BBBBBBB-CCCCCCC\"\n");
    set_mode(&hcl.config_path(), 0o644);
    let out = hcl.cmd().args(["config", "show"]).output().unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert_stderr_has(&out, "warning:");
    assert_stderr_has(&out, "chmod 600");
    assert!(!stdout(&out).contains(HELICONE_KEY));

    set_mode(&hcl.config_path(), 0o600);
    let out = hcl.cmd().args(["config", "show"]).output().unwrap();
    assert_stderr_lacks(&out, "chmod 600");

    // Without keys, a readable file is fine.
    hcl.write_config("provider = \"anthropic\"\n");
    set_mode(&hcl.config_path(), 0o644);
    let out = hcl.cmd().args(["config", "show"]).output().unwrap();
    assert_stderr_lacks(&out, "chmod");
}

#[test]
fn config_path_and_show() {
    let hcl = Hcl::new();
    let out = hcl.cmd().args(["config", "path"]).output().unwrap();
    assert!(out.status.success());
    assert_eq!(
        stdout(&out).trim_end(),
        hcl.config_path().display().to_string()
    );
    assert_stderr_has(&out, "no file there yet");

    hcl.write_config(
        "provider = \"azure\"\nmodel = \"my-deployment\"\nuser = \"ci\"\ncache = true\ncache_ttl = 3600\n\
         [properties]\nteam = \"search\"\n\
         [providers.azure]\napi_key = \"test-azcfg-KEY-0043\"\napi_version = \"2024-06-01\"\n\
         [providers.groq]\nbase_url = \"http://127.0.0.1:9/groq\"\n",
    );
    set_mode(&hcl.config_path(), 0o600);
    let out = hcl
        .cmd()
        .args(["config", "show", "--json"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(!text.contains("test-azcfg-KEY-0043") && !text.contains("test-azure-KEY-0002"));
    let rows: Vec<Value> = serde_json::from_str(&text).unwrap();
    let get = |name: &str| -> (Value, Value) {
        let r = rows
            .iter()
            .find(|r| r["setting"] == name)
            .unwrap_or_else(|| panic!("no row {name} in {text}"));
        (r["value"].clone(), r["source"].clone())
    };
    assert_eq!(get("provider"), ("azure".into(), "config".into()));
    assert_eq!(get("model"), ("my-deployment".into(), "config".into()));
    assert_eq!(get("user"), ("ci".into(), "config".into()));
    assert_eq!(get("cache"), ("true".into(), "config".into()));
    assert_eq!(get("cache_ttl"), ("3600".into(), "config".into()));
    assert_eq!(get("properties.team"), ("search".into(), "config".into()));
    assert_eq!(
        get("providers.azure.endpoint"),
        (
            "https://hcltest.openai.azure.com".into(),
            "env (AZURE_OPENAI_ENDPOINT)".into()
        )
    );
    assert_eq!(
        get("providers.azure.api_version"),
        ("2024-06-01".into(), "config".into())
    );
    // The env key wins over the config key, shown as a fingerprint.
    let (fp, source) = get("providers.azure.api_key");
    assert!(fp.as_str().unwrap().starts_with("sha256:"));
    assert_eq!(source, "env (AZURE_OPENAI_API_KEY)");
    assert_eq!(
        get("providers.groq.base_url"),
        ("http://127.0.0.1:9/groq".into(), "config".into())
    );
    assert_eq!(
        get("providers.openai.base_url"),
        ("https://oai.helicone.ai".into(), "default".into())
    );
    let (_, source) = get("keyring");
    assert_eq!(source, "env (HCL_NO_KEYRING)");
    // The text form says keys in the file are discouraged.
    let out = hcl.cmd().args(["config", "show"]).output().unwrap();
    assert_stderr_has(&out, "hcl auth set");
}
