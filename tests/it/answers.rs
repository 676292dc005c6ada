//! Answers with more in them than text: a tool Anthropic runs itself, more
//! than one choice, Gemini code execution and inline data. What hcl does not
//! print is named on stderr and in the log record, never dropped in silence.

use serde_json::json;

use crate::support::hcl::{Hcl, stderr, stdout};
use crate::support::wirekit as kit;
use crate::support::{FakeGateway, Script};

fn anthropic_event(v: serde_json::Value) -> Vec<u8> {
    let name = v["type"].as_str().unwrap().to_string();
    format!("event: {name}\ndata: {v}\n\n").into_bytes()
}

#[test]
fn a_server_tool_keeps_its_name_streamed_and_not() {
    let gw = FakeGateway::start();
    let hcl = Hcl::with_gateway(&gw);
    gw.push_script(kit::stream(vec![
        anthropic_event(json!({"type": "message_start", "message": {"id": "msg_1",
            "type": "message", "role": "assistant", "content": [], "model": "claude",
            "usage": {"input_tokens": 3, "output_tokens": 1}}})),
        anthropic_event(
            json!({"type": "content_block_start", "index": 0, "content_block":
            {"type": "server_tool_use", "id": "srvtoolu_1", "name": "web_search", "input": {}}}),
        ),
        anthropic_event(json!({"type": "content_block_delta", "index": 0, "delta":
            {"type": "input_json_delta", "partial_json": "{\"query\": \"helicone\"}"}})),
        anthropic_event(json!({"type": "content_block_stop", "index": 0})),
        anthropic_event(
            json!({"type": "content_block_start", "index": 1, "content_block":
            {"type": "web_search_tool_result", "tool_use_id": "srvtoolu_1", "content": []}}),
        ),
        anthropic_event(json!({"type": "content_block_stop", "index": 1})),
        anthropic_event(
            json!({"type": "content_block_start", "index": 2, "content_block":
            {"type": "text", "text": ""}}),
        ),
        anthropic_event(json!({"type": "content_block_delta", "index": 2, "delta":
            {"type": "text_delta", "text": "Helicone is a gateway."}})),
        anthropic_event(json!({"type": "content_block_stop", "index": 2})),
        anthropic_event(
            json!({"type": "message_delta", "delta": {"stop_reason": "end_turn"},
            "usage": {"output_tokens": 9}}),
        ),
        anthropic_event(json!({"type": "message_stop"})),
    ]));
    let out = hcl
        .cmd()
        .args(["stream", "-P", "anthropic", "what is helicone?"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(
        stdout(&out),
        "Helicone is a gateway.\ntool call: web_search({\"query\": \"helicone\"})\n"
    );
    let rec = hcl.last_record();
    assert_eq!(rec["response"]["tool_calls"][0]["name"], "web_search");
    assert_eq!(rec["response"]["tool_calls"][0]["id"], "srvtoolu_1");

    gw.push_script(Script::Respond {
        status: 200,
        headers: kit::json_headers(),
        body: json!({"id": "msg_2", "type": "message", "role": "assistant", "content": [
            {"type": "server_tool_use", "id": "srvtoolu_2", "name": "web_search",
             "input": {"query": "helicone"}},
            {"type": "web_search_tool_result", "tool_use_id": "srvtoolu_2", "content": []}],
            "stop_reason": "end_turn", "usage": {"input_tokens": 3, "output_tokens": 4}})
        .to_string(),
    });
    let out = hcl
        .cmd()
        .args(["chat", "-P", "anthropic", "what is helicone?"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(
        stdout(&out),
        "tool call: web_search({\"query\":\"helicone\"})\n"
    );
    assert_eq!(
        hcl.last_record()["response"]["tool_calls"][0]["name"],
        "web_search"
    );
}

#[test]
fn more_choices_are_named_on_stderr_and_in_the_log() {
    let gw = FakeGateway::start();
    let hcl = Hcl::with_gateway(&gw);
    gw.push_script(Script::Respond {
        status: 200,
        headers: kit::json_headers(),
        body: json!({"id": "chatcmpl-1", "object": "chat.completion", "choices": [
            {"index": 0, "message": {"role": "assistant", "content": "First"}, "finish_reason": "stop"},
            {"index": 1, "message": {"role": "assistant", "content": "Second"}, "finish_reason": "stop"},
            {"index": 2, "message": {"role": "assistant", "content": "Third"}, "finish_reason": "stop"}]})
        .to_string(),
    });
    let out = hcl.cmd().args(["chat", "three ways"]).output().unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(stdout(&out), "First\n");
    assert!(
        stderr(&out).contains("the answer also holds 2 more choices (n = 3)"),
        "{}",
        stderr(&out)
    );
    assert_eq!(
        hcl.last_record()["response"]["unshown"],
        json!(["2 more choices (n = 3)"])
    );

    let chunk = |index: u32, text: &str, finish: Option<&str>| {
        format!(
            "data: {}\n\n",
            json!({"id": "chatcmpl-2", "object": "chat.completion.chunk",
                   "choices": [{"index": index, "delta": {"content": text}, "finish_reason": finish}]})
        )
        .into_bytes()
    };
    gw.push_script(kit::stream(vec![
        chunk(0, "One", None),
        chunk(1, "Two", None),
        chunk(0, "", Some("stop")),
        chunk(1, "", Some("stop")),
        b"data: [DONE]\n\n".to_vec(),
    ]));
    let out = hcl.cmd().args(["stream", "two ways"]).output().unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(stdout(&out), "One\n");
    assert!(
        stderr(&out).contains("1 more choice (n = 2)"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn gemini_code_execution_and_inline_data_are_named() {
    let gw = FakeGateway::start();
    let hcl = Hcl::with_gateway(&gw);
    let chunk = |parts: serde_json::Value, finish: Option<&str>| {
        format!(
            "data: {}\r\n\r\n",
            json!({"candidates": [{"content": {"parts": parts, "role": "model"},
                   "finishReason": finish, "index": 0}]})
        )
        .into_bytes()
    };
    gw.push_script(kit::stream(vec![
        chunk(json!([{"text": "Computing."}]), None),
        chunk(
            json!([{"executableCode": {"language": "PYTHON", "code": "print(6*7)"}}]),
            None,
        ),
        chunk(
            json!([{"codeExecutionResult": {"outcome": "OUTCOME_OK", "output": "42\n"}}]),
            None,
        ),
        chunk(
            json!([{"inlineData": {"mimeType": "image/png", "data": "iVBORw0KGgo="}}]),
            None,
        ),
        chunk(json!([{"text": " It is 42."}]), Some("STOP")),
    ]));
    let out = hcl
        .cmd()
        .args(["stream", "-P", "gemini", "six times seven"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(stdout(&out), "Computing. It is 42.\n");
    let err = stderr(&out);
    assert!(
        err.contains("2 code-execution parts (executableCode, codeExecutionResult)")
            && err.contains("1 inlineData part (image/png)"),
        "{err}"
    );
    assert_eq!(
        hcl.last_record()["response"]["unshown"],
        json!([
            "2 code-execution parts (executableCode, codeExecutionResult)",
            "1 inlineData part (image/png)"
        ])
    );
}
