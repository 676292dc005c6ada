//! A response body rebuilt from a log record, in its wire format: what
//! `hcl log push` sends Helicone as the provider's answer. The log keeps the
//! answer's text, tool calls, finish reason and usage rather than the raw
//! bytes, so the body is the provider's shape around those; Helicone reads
//! the usage from it (OpenAI `usage`, Anthropic `usage`, Gemini
//! `usageMetadata`, docs/helicone.md §5.3).

use serde_json::{Value, json};

use super::WireFormat;
use crate::log::ResponseRecord;

/// The body for `status`: an error object when it is not a 2xx.
pub fn response_body(
    format: WireFormat,
    id: &str,
    model: &str,
    status: Option<u16>,
    r: &ResponseRecord,
    error: Option<&str>,
) -> Value {
    let ok = status.is_some_and(|s| (200..300).contains(&s));
    if !ok {
        let message = error.unwrap_or(if r.text.is_empty() {
            "no answer"
        } else {
            r.text.as_str()
        });
        return match format {
            WireFormat::Bedrock => json!({"message": message}),
            WireFormat::Anthropic => {
                json!({"type": "error", "error": {"type": "api_error", "message": message}})
            }
            WireFormat::OpenAi | WireFormat::Gemini => {
                json!({"error": {"message": message, "code": status}})
            }
        };
    }
    match format {
        WireFormat::OpenAi => openai(id, model, r),
        WireFormat::Anthropic => anthropic(id, model, r),
        WireFormat::Gemini => gemini(model, r),
        // Bedrock's own answers are the model family's shape; the Messages
        // shape carries the usage in a form Helicone's logger reads.
        WireFormat::Bedrock => anthropic(id, model, r),
    }
}

fn openai(id: &str, model: &str, r: &ResponseRecord) -> Value {
    let mut message = json!({"role": "assistant", "content": r.text});
    if !r.tool_calls.is_empty() {
        message["tool_calls"] = r
            .tool_calls
            .iter()
            .map(|t| {
                json!({"id": t.id, "type": "function",
                       "function": {"name": t.name, "arguments": t.arguments}})
            })
            .collect();
    }
    if let Some(refusal) = &r.refusal {
        message["refusal"] = json!(refusal);
    }
    let mut body = json!({
        "id": format!("chatcmpl-{id}"),
        "object": "chat.completion",
        "model": model,
        "choices": [{"index": 0, "message": message, "finish_reason": r.finish_reason}],
    });
    if r.usage.input.is_some() || r.usage.output.is_some() {
        body["usage"] = json!({
            "prompt_tokens": r.usage.input.unwrap_or(0),
            "completion_tokens": r.usage.output.unwrap_or(0),
            "total_tokens": r.usage.total.unwrap_or(0),
        });
    }
    body
}

fn anthropic(id: &str, model: &str, r: &ResponseRecord) -> Value {
    let mut content = Vec::new();
    if !r.text.is_empty() {
        content.push(json!({"type": "text", "text": r.text}));
    }
    for t in &r.tool_calls {
        let input: Value = serde_json::from_str(&t.arguments).unwrap_or_else(|_| json!({}));
        content.push(json!({"type": "tool_use", "id": t.id, "name": t.name, "input": input}));
    }
    let mut body = json!({
        "id": format!("msg_{id}"),
        "type": "message",
        "role": "assistant",
        "model": model,
        "content": content,
        "stop_reason": r.finish_reason,
    });
    if r.usage.input.is_some() || r.usage.output.is_some() {
        body["usage"] = json!({
            "input_tokens": r.usage.input.unwrap_or(0),
            "output_tokens": r.usage.output.unwrap_or(0),
        });
    }
    body
}

fn gemini(model: &str, r: &ResponseRecord) -> Value {
    let mut parts = Vec::new();
    if !r.text.is_empty() {
        parts.push(json!({"text": r.text}));
    }
    for t in &r.tool_calls {
        let args: Value = serde_json::from_str(&t.arguments).unwrap_or_else(|_| json!({}));
        parts.push(json!({"functionCall": {"name": t.name, "args": args}}));
    }
    let mut body = json!({
        "candidates": [{"content": {"role": "model", "parts": parts}, "finishReason": r.finish_reason, "index": 0}],
        "modelVersion": model,
    });
    if r.usage.input.is_some() || r.usage.output.is_some() {
        body["usageMetadata"] = json!({
            "promptTokenCount": r.usage.input.unwrap_or(0),
            "candidatesTokenCount": r.usage.output.unwrap_or(0),
            "totalTokenCount": r.usage.total.unwrap_or(0),
        });
    }
    body
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wire::Usage;

    fn record() -> ResponseRecord {
        ResponseRecord {
            status: Some(200),
            text: "Hi there".into(),
            usage: Usage::new(Some(5), Some(2), None),
            finish_reason: Some("stop".into()),
            ..Default::default()
        }
    }

    #[test]
    fn each_format_carries_its_usage_where_helicone_reads_it() {
        let r = record();
        let o = response_body(WireFormat::OpenAi, "x", "m", Some(200), &r, None);
        assert_eq!(o["usage"]["prompt_tokens"], 5);
        assert_eq!(o["choices"][0]["message"]["content"], "Hi there");
        let a = response_body(WireFormat::Anthropic, "x", "m", Some(200), &r, None);
        assert_eq!(a["usage"]["output_tokens"], 2);
        assert_eq!(a["content"][0]["text"], "Hi there");
        let g = response_body(WireFormat::Gemini, "x", "m", Some(200), &r, None);
        assert_eq!(g["usageMetadata"]["totalTokenCount"], 7);
        let e = response_body(WireFormat::OpenAi, "x", "m", Some(500), &r, Some("boom"));
        assert_eq!(e["error"]["message"], "boom");
    }
}
