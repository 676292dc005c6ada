//! Every generation setting, JSON output, `--schema` and `-o`, for each of
//! the three wire formats, through the binary against the fake gateway.

use serde_json::{Value, json};

use crate::support::FakeGateway;
use crate::support::hcl::{Hcl, assert_stderr_has, stderr, stdout};

const FORMATS: [&str; 3] = ["openai", "anthropic", "gemini"];

const PERSON: &str = r#"{
  "$schema": "https://json-schema.org/draft/2020-12/schema",
  "type": "object",
  "properties": {
    "name": {"type": "string"},
    "age": {"type": "integer", "minimum": 0}
  },
  "required": ["name", "age"],
  "additionalProperties": false
}"#;

fn run(hcl: &Hcl, args: &[&str]) -> std::process::Output {
    hcl.cmd().args(args).output().unwrap()
}

fn ok_body(hcl: &Hcl, gw: &FakeGateway, args: &[&str]) -> Value {
    let out = run(hcl, args);
    assert!(out.status.success(), "{args:?}: {}", stderr(&out));
    gw.last_request().json()
}

#[test]
fn top_p_seed_and_stop_per_format() {
    let gw = FakeGateway::start();
    let hcl = Hcl::with_gateway(&gw);
    let flags = ["--top-p", "0.9", "--stop", "END", "--stop", "###", "hi"];
    let b = ok_body(
        &hcl,
        &gw,
        &[&["chat", "-P", "openai", "--seed", "7"], &flags[..]].concat(),
    );
    assert_eq!(b["top_p"], 0.9);
    assert_eq!(b["seed"], 7);
    assert_eq!(b["stop"], json!(["END", "###"]));
    let b = ok_body(
        &hcl,
        &gw,
        &[&["chat", "-P", "anthropic"], &flags[..]].concat(),
    );
    assert_eq!(b["top_p"], 0.9);
    assert_eq!(b["stop_sequences"], json!(["END", "###"]));
    let b = ok_body(
        &hcl,
        &gw,
        &[&["chat", "-P", "gemini", "--seed", "7"], &flags[..]].concat(),
    );
    let g = &b["generationConfig"];
    assert_eq!(g["topP"], 0.9);
    assert_eq!(g["seed"], 7);
    assert_eq!(g["stopSequences"], json!(["END", "###"]));
    // Anthropic has no seed: said, not dropped.
    let out = run(&hcl, &["chat", "-P", "anthropic", "--seed", "7", "hi"]);
    assert_eq!(out.status.code(), Some(2));
    assert_stderr_has(&out, "--seed: Anthropic's Messages API has no seed");
}

#[test]
fn ranges_are_checked_per_format_before_sending() {
    let gw = FakeGateway::start();
    let hcl = Hcl::with_gateway(&gw);
    let cases: &[(&[&str], &str)] = &[
        (
            &["-P", "anthropic", "--temperature", "1.5"],
            "--temperature: 1.5 is out of range: Anthropic takes 0 to 1",
        ),
        (
            &["-P", "openai", "--temperature", "2.5"],
            "OpenAI takes 0 to 2",
        ),
        (
            &["-P", "gemini", "--top-p", "1.5"],
            "--top-p: 1.5 is out of range",
        ),
        (
            &[
                "-P", "openai", "--stop", "a", "--stop", "b", "--stop", "c", "--stop", "d",
                "--stop", "e",
            ],
            "OpenAI takes at most 4",
        ),
        (
            &["-P", "gemini", "--seed", "5000000000"],
            "Gemini's seed is a 32-bit integer",
        ),
        (&["-P", "openai", "--stop", ""], "must not be empty"),
    ];
    for (args, want) in cases {
        let out = run(&hcl, &[&["chat"], *args, &["hi"]].concat());
        assert_eq!(out.status.code(), Some(2), "{args:?}: {}", stderr(&out));
        assert_stderr_has(&out, want);
    }
    assert!(gw.requests().is_empty(), "nothing was sent");
    // In range for OpenAI and Gemini.
    let b = ok_body(
        &hcl,
        &gw,
        &["chat", "-P", "gemini", "--temperature", "1.5", "hi"],
    );
    assert_eq!(b["generationConfig"]["temperature"], 1.5);
}

#[test]
fn reasoning_per_format_and_model_generation() {
    let gw = FakeGateway::start();
    let hcl = Hcl::with_gateway(&gw);
    let b = ok_body(
        &hcl,
        &gw,
        &[
            "chat",
            "-P",
            "openai",
            "-m",
            "o4-mini",
            "--reasoning",
            "high",
            "hi",
        ],
    );
    assert_eq!(b["reasoning_effort"], "high");
    // Claude before 4.6: a thinking budget, with max_tokens above it.
    let b = ok_body(
        &hcl,
        &gw,
        &[
            "chat",
            "-P",
            "anthropic",
            "-m",
            "claude-3-7-sonnet-latest",
            "--reasoning",
            "medium",
            "hi",
        ],
    );
    assert_eq!(
        b["thinking"],
        json!({"type": "enabled", "budget_tokens": 4096})
    );
    assert_eq!(b["max_tokens"], 4096 + 1024);
    assert!(b.get("output_config").is_none());
    // Claude 4.6 and later: adaptive thinking and an effort.
    let b = ok_body(
        &hcl,
        &gw,
        &[
            "chat",
            "-P",
            "anthropic",
            "-m",
            "claude-sonnet-4-6",
            "--reasoning",
            "low",
            "hi",
        ],
    );
    assert_eq!(b["thinking"], json!({"type": "adaptive"}));
    assert_eq!(b["output_config"], json!({"effort": "low"}));
    assert_eq!(b["max_tokens"], 1024);
    let b = ok_body(
        &hcl,
        &gw,
        &[
            "chat",
            "-P",
            "gemini",
            "-m",
            "gemini-2.5-flash",
            "--reasoning",
            "low",
            "hi",
        ],
    );
    assert_eq!(
        b["generationConfig"]["thinkingConfig"],
        json!({"thinkingBudget": 1024})
    );
    let b = ok_body(
        &hcl,
        &gw,
        &[
            "chat",
            "-P",
            "gemini",
            "-m",
            "gemini-3-pro-preview",
            "--reasoning",
            "high",
            "hi",
        ],
    );
    assert_eq!(
        b["generationConfig"]["thinkingConfig"],
        json!({"thinkingLevel": "high"})
    );
    // A budget that leaves no room, and thinking with a temperature.
    let out = run(
        &hcl,
        &[
            "chat",
            "-P",
            "anthropic",
            "-m",
            "claude-3-7-sonnet-latest",
            "--reasoning",
            "high",
            "--max-tokens",
            "2000",
            "hi",
        ],
    );
    assert_eq!(out.status.code(), Some(2));
    assert_stderr_has(&out, "--max-tokens: 2000 leaves no room");
    let out = run(
        &hcl,
        &[
            "chat",
            "-P",
            "anthropic",
            "--reasoning",
            "low",
            "--temperature",
            "0.2",
            "hi",
        ],
    );
    assert_eq!(out.status.code(), Some(2));
    assert_stderr_has(&out, "--temperature: Anthropic's thinking");
    let out = run(&hcl, &["chat", "--reasoning", "max", "hi"]);
    assert_eq!(out.status.code(), Some(2));
    assert_stderr_has(&out, "possible values: low, medium, high");
}

#[test]
fn json_object_per_format() {
    let gw = FakeGateway::start();
    let hcl = Hcl::with_gateway(&gw);
    for p in FORMATS {
        let out = run(
            &hcl,
            &["chat", "-P", p, "--json-object", "Reply in JSON please"],
        );
        assert!(out.status.success(), "{p}: {}", stderr(&out));
        let answer: Value = serde_json::from_str(&stdout(&out)).unwrap();
        assert!(answer.is_object(), "{p}: {answer}");
        let b = gw.last_request().json();
        match p {
            "openai" => assert_eq!(b["response_format"], json!({"type": "json_object"})),
            "anthropic" => {
                assert_eq!(
                    b["tool_choice"],
                    json!({"type": "tool", "name": "json_answer"})
                );
                assert_eq!(b["tools"][0]["input_schema"], json!({"type": "object"}));
            }
            _ => assert_eq!(
                b["generationConfig"]["responseMimeType"],
                "application/json"
            ),
        }
    }
    // OpenAI refuses JSON mode without the word JSON in the messages.
    let out = run(&hcl, &["chat", "--json-object", "hi"]);
    assert_eq!(out.status.code(), Some(2));
    assert_stderr_has(
        &out,
        "--json-object: OpenAI's JSON mode needs the word JSON",
    );
    // An answer that is not an object fails.
    let out = run(&hcl, &["chat", "-P", "gemini", "--json-object", "[1, 2]"]);
    assert_eq!(out.status.code(), Some(1));
    assert_stderr_has(&out, "not an object");
}

#[test]
fn schema_output_is_valid_json_for_every_format() {
    let gw = FakeGateway::start();
    let hcl = Hcl::with_gateway(&gw);
    let file = hcl.dir.path().join("person.json");
    std::fs::write(&file, PERSON).unwrap();
    let file = file.to_str().unwrap();
    for p in FORMATS {
        for cmd in ["chat", "stream"] {
            let out = run(&hcl, &[cmd, "-P", p, "--schema", file, "Invent a person"]);
            assert!(out.status.success(), "{p} {cmd}: {}", stderr(&out));
            let answer: Value = serde_json::from_str(stdout(&out).trim())
                .unwrap_or_else(|e| panic!("{p} {cmd}: not JSON ({e}): {}", stdout(&out)));
            assert!(
                answer["name"].is_string() && answer["age"].as_i64() >= Some(0),
                "{p}: {answer}"
            );
            assert_eq!(
                hcl.last_record()["response"]["text"],
                answer.to_string(),
                "{p} {cmd}"
            );
        }
        let b = gw.last_request().json();
        match p {
            "openai" => {
                let f = &b["response_format"];
                assert_eq!(f["type"], "json_schema");
                assert_eq!(f["json_schema"]["name"], "person");
                assert_eq!(f["json_schema"]["strict"], true);
                assert_eq!(
                    f["json_schema"]["schema"]["required"],
                    json!(["name", "age"])
                );
            }
            "anthropic" => {
                assert_eq!(b["tool_choice"], json!({"type": "tool", "name": "person"}));
                assert_eq!(b["tools"][0]["name"], "person");
                assert_eq!(
                    b["tools"][0]["input_schema"]["properties"]["age"]["minimum"],
                    0
                );
            }
            _ => {
                let g = &b["generationConfig"];
                assert_eq!(g["responseMimeType"], "application/json");
                assert_eq!(g["responseJsonSchema"]["type"], "object");
                assert!(g["responseJsonSchema"].get("$schema").is_none());
            }
        }
    }
}

#[test]
fn a_schema_violation_exits_1_naming_the_first_failing_path() {
    let gw = FakeGateway::start();
    let hcl = Hcl::with_gateway(&gw);
    // The fake answers JSON prompts with the prompt itself.
    for p in FORMATS {
        for cmd in ["chat", "stream"] {
            let out = run(
                &hcl,
                &[
                    cmd,
                    "-P",
                    p,
                    "--schema",
                    PERSON,
                    r#"{"name": "Ada", "age": -1}"#,
                ],
            );
            assert_eq!(out.status.code(), Some(1), "{p} {cmd}: {}", stderr(&out));
            assert_stderr_has(&out, "the answer does not match the schema at /age");
            let rec = hcl.last_record();
            assert!(
                rec["error"].as_str().unwrap().contains("/age"),
                "{p}: the record keeps the failure"
            );
        }
    }
    let out = run(&hcl, &["chat", "--schema", PERSON, r#"{"name": "Ada"}"#]);
    assert_eq!(out.status.code(), Some(1));
    assert_stderr_has(&out, "at /: ");
    // A schema whose root is not an object: Anthropic's tool input is
    // always an object, so hcl wraps the schema and unwraps the answer.
    let out = run(
        &hcl,
        &[
            "chat",
            "-P",
            "anthropic",
            "--schema",
            r#"{"type": "string"}"#,
            "x",
        ],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(
        stdout(&out),
        "\"example\"\n",
        "a wrapped schema is unwrapped"
    );
    let b = gw.last_request().json();
    assert_eq!(
        b["tools"][0]["input_schema"]["properties"]["value"]["type"],
        "string"
    );
}

#[test]
fn bad_schemas_are_usage_errors() {
    let hcl = Hcl::new();
    let cases: &[(&str, &str)] = &[
        (
            "/no/such/person.json",
            "cannot read the schema file /no/such/person.json",
        ),
        (r#"{"type": 12}"#, "is not a valid JSON Schema"),
        ("{oops", "the --schema JSON is not JSON"),
    ];
    for (arg, want) in cases {
        let out = run(&hcl, &["chat", "--dry-run", "--schema", arg, "hi"]);
        assert_eq!(out.status.code(), Some(2), "{arg}");
        assert_stderr_has(&out, want);
    }
    let out = run(
        &hcl,
        &[
            "chat",
            "--dry-run",
            "--schema",
            PERSON,
            "--json-object",
            "hi",
        ],
    );
    assert_eq!(out.status.code(), Some(2));
    let out = run(
        &hcl,
        &[
            "chat",
            "--dry-run",
            "-P",
            "anthropic",
            "--schema",
            PERSON,
            "--reasoning",
            "low",
            "hi",
        ],
    );
    assert_eq!(out.status.code(), Some(2));
    assert_stderr_has(
        &out,
        "--schema: Anthropic answers in JSON through a forced tool",
    );
}

#[test]
fn options_merge_into_the_body_of_every_format() {
    let gw = FakeGateway::start();
    let hcl = Hcl::with_gateway(&gw);
    let b = ok_body(
        &hcl,
        &gw,
        &[
            "chat",
            "-P",
            "openai",
            "-o",
            "logit_bias={\"50256\": -100}",
            "-o",
            "user=u-7",
            "-o",
            "n=1",
            "hi",
        ],
    );
    assert_eq!(b["logit_bias"], json!({"50256": -100}));
    assert_eq!(b["user"], "u-7");
    assert_eq!(b["n"], 1);
    assert_eq!(b["model"], "gpt-4o-mini");
    let b = ok_body(
        &hcl,
        &gw,
        &[
            "chat",
            "-P",
            "anthropic",
            "-o",
            "top_k=40",
            "-o",
            "metadata.user_id=abc",
            "hi",
        ],
    );
    assert_eq!(b["top_k"], 40);
    assert_eq!(b["metadata"], json!({"user_id": "abc"}));
    assert_eq!(b["max_tokens"], 1024);
    let b = ok_body(
        &hcl,
        &gw,
        &[
            "chat",
            "-P",
            "gemini",
            "--max-tokens",
            "64",
            "-o",
            "generationConfig.thinkingConfig.thinkingBudget=0",
            "-o",
            "generationConfig.topK=3",
            "hi",
        ],
    );
    let g = &b["generationConfig"];
    assert_eq!(g["maxOutputTokens"], 64);
    assert_eq!(g["thinkingConfig"]["thinkingBudget"], 0);
    assert_eq!(g["topK"], 3);
}

#[test]
fn options_that_overwrite_what_hcl_sets_are_refused() {
    let hcl = Hcl::new();
    let cases: &[(&[&str], &str)] = &[
        (
            &["-P", "openai", "-o", "model=gpt-5"],
            "-o model: hcl sets model itself; use -m/--model",
        ),
        (&["-P", "openai", "-o", "messages=[]"], "use the prompt"),
        (&["-P", "anthropic", "-o", "system=x"], "use -s/--system"),
        (
            &["-P", "gemini", "-o", "contents=[]"],
            "hcl sets contents itself",
        ),
        (
            &[
                "-P",
                "openai",
                "--temperature",
                "0.5",
                "-o",
                "temperature=1",
            ],
            "-o temperature: hcl sets temperature itself; use --temperature",
        ),
        (
            &["-P", "anthropic", "-o", "max_tokens=5"],
            "use --max-tokens",
        ),
        (
            &[
                "-P",
                "gemini",
                "--temperature",
                "0.5",
                "-o",
                "generationConfig.temperature=1",
            ],
            "use --temperature",
        ),
        (
            &[
                "-P",
                "gemini",
                "--top-p",
                "0.5",
                "-o",
                "generationConfig={}",
            ],
            "set single fields inside it instead",
        ),
        (
            &["-P", "openai", "-o", "stream=true"],
            "--stream or hcl stream",
        ),
        (&["-o", "nokey"], "is not KEY=VALUE"),
        (&["-o", "a..b=1"], "is not a dotted path"),
    ];
    for (args, want) in cases {
        let out = run(&hcl, &[&["chat", "--dry-run"], *args, &["hi"]].concat());
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert_stderr_has(&out, want);
    }
}

#[test]
fn bodies_without_the_new_flags_keep_their_bytes() {
    // Key order is the typed order, not the sorted order a JSON value gives.
    let hcl = Hcl::new();
    let out = run(
        &hcl,
        &["chat", "--dry-run", "-P", "anthropic", "-s", "sys", "hi"],
    );
    assert!(stdout(&out).ends_with(
        "{\"model\":\"claude-3-5-haiku-latest\",\"max_tokens\":1024,\"system\":\"sys\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}\n"
    ), "{}", stdout(&out));
}
