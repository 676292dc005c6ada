//! Every provider row, end to end against the fake gateway: the method, path,
//! query and headers hcl sends, the body shape, the answer and the log; and
//! the `--dry-run` route of every row against golden files.

use std::path::PathBuf;

use serde_json::Value;

use crate::support::FakeGateway;
use crate::support::hcl::{HELICONE_KEY, Hcl, PROVIDER_NAMES, key_of, stderr, stdout};

/// What one row must send.
struct Row {
    provider: &'static str,
    extra: &'static [&'static str],
    path: &'static str,
    query: Option<&'static str>,
    /// (header, expected value); `None` value: must be absent.
    headers: &'static [(&'static str, Option<&'static str>)],
    body: Body,
}

enum Body {
    OpenAi(&'static str),
    Anthropic(&'static str),
    Gemini,
    /// Bedrock InvokeModel for Claude: no model, no stream.
    BedrockClaude,
}

fn bearer(var: &str) -> String {
    format!("Bearer {}", key_of(var))
}

fn rows() -> Vec<(Row, Vec<(&'static str, String)>)> {
    let openai_like =
        |provider: &'static str, path: &'static str, var: &'static str, model: &'static str| {
            (
                Row {
                    provider,
                    extra: &[],
                    path,
                    query: None,
                    headers: &[
                        ("helicone-target-url", None),
                        ("helicone-openai-api-base", None),
                    ],
                    body: Body::OpenAi(model),
                },
                vec![("authorization", bearer(var))],
            )
        };
    vec![
        openai_like(
            "openai",
            "/v1/chat/completions",
            "OPENAI_API_KEY",
            "gpt-4o-mini",
        ),
        (
            Row {
                provider: "azure",
                extra: &["--model", "prod-gpt4o"],
                path: "/openai/deployments/prod-gpt4o/chat/completions",
                query: Some("api-version=2024-10-21"),
                headers: &[
                    (
                        "helicone-openai-api-base",
                        Some("https://hcltest.openai.azure.com"),
                    ),
                    ("authorization", None),
                ],
                body: Body::OpenAi("prod-gpt4o"),
            },
            vec![("api-key", key_of("AZURE_OPENAI_API_KEY").to_string())],
        ),
        (
            Row {
                provider: "anthropic",
                extra: &[],
                path: "/v1/messages",
                query: None,
                headers: &[
                    ("anthropic-version", Some("2023-06-01")),
                    ("authorization", None),
                ],
                body: Body::Anthropic("claude-3-5-haiku-latest"),
            },
            vec![("x-api-key", key_of("ANTHROPIC_API_KEY").to_string())],
        ),
        (
            Row {
                provider: "gemini",
                extra: &[],
                path: "/v1beta/models/gemini-2.0-flash:generateContent",
                query: None,
                headers: &[
                    (
                        "helicone-target-url",
                        Some("https://generativelanguage.googleapis.com"),
                    ),
                    ("authorization", None),
                ],
                body: Body::Gemini,
            },
            vec![("x-goog-api-key", key_of("GEMINI_API_KEY").to_string())],
        ),
        (
            Row {
                provider: "vertex",
                extra: &[],
                path: "/v1/projects/hcl-test/locations/us-central1/publishers/google/models/gemini-2.0-flash:generateContent",
                query: None,
                headers: &[(
                    "helicone-target-url",
                    Some("https://us-central1-aiplatform.googleapis.com"),
                )],
                body: Body::Gemini,
            },
            vec![("authorization", bearer("VERTEX_ACCESS_TOKEN"))],
        ),
        openai_like(
            "groq",
            "/openai/v1/chat/completions",
            "GROQ_API_KEY",
            "llama-3.3-70b-versatile",
        ),
        openai_like(
            "together",
            "/v1/chat/completions",
            "TOGETHER_API_KEY",
            "meta-llama/Llama-3.3-70B-Instruct-Turbo",
        ),
        openai_like(
            "openrouter",
            "/api/v1/chat/completions",
            "OPENROUTER_API_KEY",
            "openai/gpt-4o-mini",
        ),
        openai_like(
            "mistral",
            "/v1/chat/completions",
            "MISTRAL_API_KEY",
            "mistral-small-latest",
        ),
        openai_like(
            "fireworks",
            "/inference/v1/chat/completions",
            "FIREWORKS_API_KEY",
            "accounts/fireworks/models/llama-v3p1-8b-instruct",
        ),
        openai_like(
            "perplexity",
            "/chat/completions",
            "PERPLEXITY_API_KEY",
            "sonar",
        ),
        openai_like(
            "deepseek",
            "/v1/chat/completions",
            "DEEPSEEK_API_KEY",
            "deepseek-chat",
        ),
        openai_like("xai", "/v1/chat/completions", "XAI_API_KEY", "grok-3-mini"),
        openai_like(
            "deepinfra",
            "/v1/openai/chat/completions",
            "DEEPINFRA_API_KEY",
            "meta-llama/Meta-Llama-3.1-8B-Instruct",
        ),
        openai_like(
            "cerebras",
            "/v1/chat/completions",
            "CEREBRAS_API_KEY",
            "llama3.1-8b",
        ),
        (
            Row {
                provider: "gateway",
                extra: &[
                    "--target-url",
                    "https://api.groq.com",
                    "--format",
                    "openai",
                    "--model",
                    "llama3",
                ],
                path: "/gateway/v1/chat/completions",
                query: None,
                headers: &[("helicone-target-url", Some("https://api.groq.com"))],
                body: Body::OpenAi("llama3"),
            },
            vec![("authorization", bearer("HCL_GATEWAY_API_KEY"))],
        ),
        (
            Row {
                provider: "gateway",
                extra: &[
                    "--target-url",
                    "https://api.anthropic.com",
                    "--format",
                    "anthropic",
                ],
                path: "/gateway/v1/messages",
                query: None,
                headers: &[
                    ("helicone-target-url", Some("https://api.anthropic.com")),
                    ("anthropic-version", Some("2023-06-01")),
                ],
                body: Body::Anthropic("claude-3-5-haiku-latest"),
            },
            vec![("x-api-key", key_of("HCL_GATEWAY_API_KEY").to_string())],
        ),
        (
            Row {
                provider: "gateway",
                extra: &[
                    "--target-url",
                    "https://generativelanguage.googleapis.com",
                    "--format",
                    "gemini",
                ],
                path: "/gateway/v1beta/models/gemini-2.0-flash:generateContent",
                query: None,
                headers: &[(
                    "helicone-target-url",
                    Some("https://generativelanguage.googleapis.com"),
                )],
                body: Body::Gemini,
            },
            vec![("x-goog-api-key", key_of("HCL_GATEWAY_API_KEY").to_string())],
        ),
        (
            Row {
                provider: "ai-gateway",
                extra: &[],
                path: "/ai-gateway/v1/chat/completions",
                query: None,
                headers: &[("helicone-auth", None)],
                body: Body::OpenAi("gpt-4o-mini/openai"),
            },
            vec![("authorization", format!("Bearer {HELICONE_KEY}"))],
        ),
        (
            Row {
                provider: "bedrock",
                extra: &[],
                path: "/v1/us-east-1/model/anthropic.claude-3-5-haiku-20241022-v1%3A0/invoke",
                query: None,
                headers: &[
                    ("aws-session-token", None),
                    ("authorization", None),
                    ("anthropic-version", None),
                ],
                body: Body::BedrockClaude,
            },
            vec![
                ("aws-access-key", key_of("AWS_ACCESS_KEY_ID").to_string()),
                (
                    "aws-secret-key",
                    key_of("AWS_SECRET_ACCESS_KEY").to_string(),
                ),
            ],
        ),
    ]
}

#[test]
fn every_provider_row_routes_as_the_spec_says_and_is_logged() {
    let gw = FakeGateway::start();
    let hcl = Hcl::with_gateway(&gw);
    let mut seen = std::collections::BTreeSet::new();
    for (row, key_headers) in rows() {
        seen.insert(row.provider);
        let prompt = format!("ping {}", row.provider);
        let out = hcl
            .cmd()
            .args(["chat", "-P", row.provider])
            .args(row.extra)
            .arg(&prompt)
            .output()
            .unwrap();
        assert!(out.status.success(), "{}: {}", row.provider, stderr(&out));
        assert_eq!(
            stdout(&out),
            format!("Hello! You said: {prompt}\n"),
            "{}",
            row.provider
        );

        let req = gw.last_request();
        let p = row.provider;
        assert_eq!(req.method, "POST", "{p}");
        assert_eq!(req.path, row.path, "{p}");
        assert_eq!(
            req.query.as_deref(),
            row.query,
            "{p}: no key may travel in the URL"
        );
        assert_eq!(req.header("content-type"), Some("application/json"), "{p}");
        for (name, value) in &key_headers {
            assert_eq!(
                req.header(name),
                Some(value.as_str()),
                "{p}: key header {name}"
            );
        }
        for (name, want) in row.headers {
            assert_eq!(req.header(name), *want, "{p}: header {name}");
        }
        if p != "ai-gateway" {
            assert_eq!(
                req.header("helicone-auth"),
                Some(format!("Bearer {HELICONE_KEY}").as_str()),
                "{p}"
            );
        }
        let body = req.json();
        match row.body {
            Body::OpenAi(model) => {
                assert_eq!(body["model"], model, "{p}");
                assert_eq!(body["messages"][0]["role"], "user", "{p}");
                assert_eq!(body["messages"][0]["content"], prompt.as_str(), "{p}");
            }
            Body::Anthropic(model) => {
                assert_eq!(body["model"], model, "{p}");
                assert_eq!(
                    body["max_tokens"], 1024,
                    "{p}: Anthropic always gets max_tokens"
                );
                assert_eq!(body["messages"][0]["content"], prompt.as_str(), "{p}");
            }
            Body::BedrockClaude => {
                assert_eq!(body["anthropic_version"], "bedrock-2023-05-31", "{p}");
                assert!(
                    body.get("model").is_none() && body.get("stream").is_none(),
                    "{p}: Bedrock refuses model and stream in the body"
                );
                assert_eq!(body["messages"][0]["content"], prompt.as_str(), "{p}");
            }
            Body::Gemini => {
                assert!(
                    body.get("model").is_none(),
                    "{p}: the Gemini model is in the path"
                );
                assert_eq!(body["contents"][0]["role"], "user", "{p}");
                assert_eq!(
                    body["contents"][0]["parts"][0]["text"],
                    prompt.as_str(),
                    "{p}"
                );
            }
        }
        // The exchange is in the log, with the body exactly as sent.
        let rec = hcl.last_record();
        assert_eq!(rec["provider"], p);
        assert_eq!(rec["response"]["status"], 200, "{p}");
        assert_eq!(
            rec["response"]["text"],
            format!("Hello! You said: {prompt}"),
            "{p}"
        );
        let logged_body = hcl.raw_bodies().pop().unwrap();
        assert_eq!(
            logged_body.as_bytes(),
            req.body.as_slice(),
            "{p}: logged body == sent body"
        );
        assert!(
            rec["response"]["usage"]["total"].as_u64().unwrap() > 0,
            "{p}: usage"
        );
    }
    let all: std::collections::BTreeSet<&str> = PROVIDER_NAMES.iter().copied().collect();
    assert_eq!(seen, all, "every row of the provider table is covered");
    hcl.assert_log_has_no_keys();
}

pub(crate) fn golden_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/golden/dry-run")
}

/// `--dry-run` prints the route docs/helicone.md §1.2 gives, for every row, against the
/// real Helicone hosts. Regenerate with `HCL_UPDATE_GOLDEN=1 cargo test`.
#[test]
fn dry_run_golden_files() {
    let hcl = Hcl::new();
    let update = std::env::var_os("HCL_UPDATE_GOLDEN").is_some();
    let cases: Vec<(&str, Vec<&str>)> = PROVIDER_NAMES
        .iter()
        .map(|p| {
            let extra = match *p {
                "azure" => vec!["--model", "prod-gpt4o"],
                "gateway" => vec![
                    "--target-url",
                    "https://api.groq.com",
                    "--format",
                    "openai",
                    "--model",
                    "llama-3.3-70b-versatile",
                ],
                _ => vec![],
            };
            (*p, extra)
        })
        .collect();
    let mut failures = Vec::new();
    for (p, extra) in cases {
        let out = hcl
            .cmd()
            .args([
                "chat",
                "--dry-run",
                "-P",
                p,
                "--request-id",
                "123e4567-e89b-42d3-a456-426614174000",
            ])
            .args(["-p", "app=hcl", "--cache", "--cache-ttl", "3600"])
            .args(&extra)
            .arg("Say hello")
            .output()
            .unwrap();
        assert!(out.status.success(), "{p}: {}", stderr(&out));
        let text = stdout(&out);
        for (var, key) in crate::support::hcl::TEST_KEYS {
            assert!(!text.contains(key), "{p}: dry run shows {var}");
        }
        let path = golden_dir().join(format!("{p}.txt"));
        if update {
            std::fs::create_dir_all(golden_dir()).unwrap();
            std::fs::write(&path, &text).unwrap();
        } else {
            let want = std::fs::read_to_string(&path).unwrap_or_default();
            if want != text {
                failures.push(format!(
                    "--- {}\n{want}\n+++ actual\n{text}",
                    path.display()
                ));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "dry-run output differs from the golden files (run HCL_UPDATE_GOLDEN=1 cargo test --test it dry_run_golden_files if the change is deliberate):\n{}",
        failures.join("\n")
    );
    assert!(hcl.records().is_empty(), "a dry run logs nothing");
}

#[test]
fn providers_command_lists_every_row_with_key_sources() {
    let hcl = Hcl::new().env_remove("GROQ_API_KEY");
    let out = hcl.cmd().args(["providers", "--json"]).output().unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let rows: Vec<Value> = serde_json::from_slice(&out.stdout).unwrap();
    let names: Vec<&str> = rows.iter().map(|r| r["name"].as_str().unwrap()).collect();
    assert_eq!(names, PROVIDER_NAMES);
    let find = |n: &str| rows.iter().find(|r| r["name"] == n).unwrap().clone();
    assert_eq!(find("openai")["key_source"], "env (OPENAI_API_KEY)");
    assert_eq!(find("groq")["key_source"], "none");
    assert_eq!(
        find("gemini")["routing_header"],
        "Helicone-Target-Url: https://generativelanguage.googleapis.com"
    );
    assert_eq!(find("anthropic")["format"], "anthropic");
    assert!(
        find("openai")["key_fingerprint"]
            .as_str()
            .unwrap()
            .starts_with("sha256:")
    );
    let table = hcl.cmd().arg("providers").output().unwrap();
    let text = stdout(&table);
    assert!(text.contains("deepinfra") && text.contains("Helicone-OpenAI-Api-Base"));
    for (_, key) in crate::support::hcl::TEST_KEYS {
        assert!(!text.contains(key) && !String::from_utf8_lossy(&out.stdout).contains(key));
    }
}
