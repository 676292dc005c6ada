//! The fake gateway's Bedrock route (docs/helicone.md §1.5): what Helicone
//! forwards to `bedrock-runtime.<region>.amazonaws.com` after signing it
//! with the `aws-*` headers, and what Bedrock's InvokeModel answers for
//! Anthropic Claude and Amazon Nova models, streamed in AWS event-stream
//! framing split at awkward offsets.

use bytes::Bytes;
use serde_json::{Value, json};

use super::eventstream;
use super::formats::{
    Answer, Format, content_text, last_user, pieces, reply_for, simple_id, words,
};

/// A Bedrock path, taken apart.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Route {
    pub region: String,
    /// The model id segment as it came (percent-encoded).
    pub raw_model: String,
    /// The model id, decoded as Helicone's worker decodes it.
    pub model: String,
    pub stream: bool,
}

/// `/v1/<region>/model/<id>/invoke` or `…/invoke-with-response-stream`.
pub fn route(path: &str) -> Option<Route> {
    let rest = path.strip_prefix("/v1/")?;
    let segs: Vec<&str> = rest.split('/').collect();
    let [region, "model", id, op] = segs.as_slice() else {
        return None;
    };
    let stream = match *op {
        "invoke" => false,
        "invoke-with-response-stream" => true,
        _ => return None,
    };
    Some(Route {
        region: (*region).to_string(),
        raw_model: (*id).to_string(),
        model: percent_decode(id),
        stream,
    })
}

fn percent_decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%'
            && let Some(v) = s
                .get(i + 1..i + 3)
                .and_then(|h| u8::from_str_radix(h, 16).ok())
        {
            out.push(v);
            i += 3;
            continue;
        }
        out.push(b[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Family {
    Claude,
    Nova,
}

/// The model family of an id, after an optional geography prefix
/// (`us.`, `eu.`, `apac.`, `global.`) and an ARN's path.
fn family(model: &str) -> Option<Family> {
    let id = model.rsplit('/').next().unwrap_or(model);
    let mut parts = id.splitn(3, '.');
    let (a, b, c) = (parts.next()?, parts.next()?, parts.next().unwrap_or(""));
    let (vendor, name) = match a {
        "anthropic" | "amazon" => (a, b),
        _ => (b, c),
    };
    match vendor {
        "anthropic" if name.starts_with("claude") => Some(Family::Claude),
        "amazon" if name.starts_with("nova") => Some(Family::Nova),
        _ => None,
    }
}

fn header<'h>(headers: &'h [(String, String)], name: &str) -> Option<&'h str> {
    headers
        .iter()
        .find(|(n, _)| n == name)
        .map(|(_, v)| v.trim())
        .filter(|v| !v.is_empty())
}

/// An AWS error: JSON `{"message"}` with `x-amzn-errortype`.
fn aws_error(status: u16, kind: &str, message: &str) -> Answer {
    let mut a = Answer::json(status, &json!({ "message": message }));
    a.headers.push((
        "x-amzn-errortype".into(),
        format!("{kind}:http://internal.amazon.com/coral/com.amazon.bedrock/"),
    ));
    a
}

/// What Bedrock answers, as Helicone passes it through.
pub fn answer(path: &str, body: &Value, headers: &[(String, String)]) -> Answer {
    let Some(r) = route(path) else {
        return aws_error(404, "UnknownOperationException", "Unknown operation");
    };
    // Helicone signs with whatever it was given; AWS refuses a signature
    // made with empty keys.
    if header(headers, "aws-access-key").is_none() || header(headers, "aws-secret-key").is_none() {
        return aws_error(
            403,
            "UnrecognizedClientException",
            "The security token included in the request is invalid.",
        );
    }
    if r.region.is_empty()
        || !r
            .region
            .bytes()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == b'-')
    {
        return Answer::json(
            500,
            &json!({"helicone-message": format!("Helicone ran into an error servicing your request: TypeError: fetch failed (bedrock-runtime.{}.amazonaws.com)", r.region)}),
        );
    }
    // boto3 and hcl send the model id as one percent-encoded segment.
    if r.raw_model.contains(':') {
        return aws_error(
            400,
            "ValidationException",
            "fake Bedrock: the model id must be percent-encoded (':' as %3A)",
        );
    }
    match family(&r.model) {
        Some(Family::Claude) => claude(&r, body),
        Some(Family::Nova) => nova(&r, body),
        None => aws_error(
            400,
            "ValidationException",
            "The provided model identifier is invalid.",
        ),
    }
}

fn stream_answer(frames: Vec<Vec<u8>>) -> Answer {
    let body: Vec<u8> = frames.concat();
    Answer {
        status: 200,
        headers: vec![
            (
                "content-type".into(),
                "application/vnd.amazon.eventstream".into(),
            ),
            (
                "x-amzn-bedrock-content-type".into(),
                "application/json".into(),
            ),
            ("x-amzn-requestid".into(), uuid::Uuid::new_v4().to_string()),
        ],
        chunks: eventstream::awkward_split(&body)
            .into_iter()
            .map(Bytes::from)
            .collect(),
        streamed: true,
    }
}

/// Bedrock's own schema check of a Claude body (docs/helicone.md §1.5).
fn claude_body_error(body: &Value) -> Option<String> {
    let mut problems = Vec::new();
    for key in ["model", "stream"] {
        if body.get(key).is_some() {
            problems.push(format!("#: extraneous key [{key}] is not permitted"));
        }
    }
    if body.get("anthropic_version").and_then(Value::as_str) != Some("bedrock-2023-05-31") {
        problems.push("#: required key [anthropic_version] not found".to_string());
    }
    if body.get("max_tokens").and_then(Value::as_u64).is_none() {
        problems.push("#: required key [max_tokens] not found".to_string());
    }
    (!problems.is_empty()).then(|| format!("Malformed input request: {}", problems.join(", ")))
}

fn claude(r: &Route, body: &Value) -> Answer {
    if let Some(e) = claude_body_error(body) {
        return aws_error(400, "ValidationException", &e);
    }
    let messages = body.get("messages");
    let last = last_user(messages, "user");
    let user = last.map(|m| content_text(m.get("content")));
    let reply = match reply_for(Format::Bedrock, last, user.unwrap_or_default()) {
        Ok(r) => r,
        Err(e) => return aws_error(400, "ValidationException", &e),
    };
    let input = (words(&content_text(body.get("system")))
        + messages
            .and_then(Value::as_array)
            .map(|ms| {
                ms.iter()
                    .map(|m| words(&content_text(m.get("content"))))
                    .sum()
            })
            .unwrap_or(0))
    .max(1);
    let output = words(&reply);
    let id = format!("msg_bdrk_{}", simple_id());
    if !r.stream {
        return Answer::json(
            200,
            &json!({
                "id": id, "type": "message", "role": "assistant", "model": r.model,
                "content": [{"type": "text", "text": reply}],
                "stop_reason": "end_turn", "stop_sequence": null,
                "usage": {"input_tokens": input, "output_tokens": output}
            }),
        );
    }
    let mut frames = vec![
        eventstream::chunk(&json!({"type": "message_start", "message": {
            "id": id, "type": "message", "role": "assistant", "model": r.model, "content": [],
            "stop_reason": null, "stop_sequence": null,
            "usage": {"input_tokens": input, "output_tokens": 1}
        }})),
        eventstream::chunk(
            &json!({"type": "content_block_start", "index": 0, "content_block": {"type": "text", "text": ""}}),
        ),
    ];
    for p in pieces(&reply) {
        frames.push(eventstream::chunk(&json!({"type": "content_block_delta", "index": 0, "delta": {"type": "text_delta", "text": p}})));
    }
    frames.push(eventstream::chunk(
        &json!({"type": "content_block_stop", "index": 0}),
    ));
    frames.push(eventstream::chunk(&json!({"type": "message_delta", "delta": {"stop_reason": "end_turn", "stop_sequence": null}, "usage": {"output_tokens": output}})));
    frames.push(eventstream::chunk(&json!({"type": "message_stop", "amazon-bedrock-invocationMetrics": {
        "inputTokenCount": input, "outputTokenCount": output, "invocationLatency": 120, "firstByteLatency": 40
    }})));
    stream_answer(frames)
}

/// The text of Nova's `[{"text": …}]` content, and whether it has that
/// shape.
fn nova_text(v: Option<&Value>) -> Option<String> {
    let parts = v?.as_array()?;
    let texts: Vec<&str> = parts
        .iter()
        .filter(|p| p.get("image").is_none())
        .map(|p| p.get("text").and_then(Value::as_str))
        .collect::<Option<Vec<&str>>>()?;
    Some(texts.join("\n"))
}

fn nova(r: &Route, body: &Value) -> Answer {
    let messages = body.get("messages").and_then(Value::as_array);
    let shaped = body.get("schemaVersion").and_then(Value::as_str) == Some("messages-v1")
        && messages.is_some_and(|ms| {
            ms.iter()
                .all(|m| nova_text(m.get("content")).is_some() && m.get("role").is_some())
        })
        && body
            .get("system")
            .is_none_or(|s| nova_text(Some(s)).is_some());
    if !shaped {
        return aws_error(
            400,
            "ValidationException",
            "Malformed input request: expected schemaVersion messages-v1 with content as [{\"text\": …}]",
        );
    }
    let messages = messages.map(Vec::as_slice).unwrap_or_default();
    let last = messages
        .iter()
        .rev()
        .find(|m| m.get("role").and_then(Value::as_str) == Some("user"));
    let user = last
        .and_then(|m| nova_text(m.get("content")))
        .unwrap_or_default();
    let reply = match reply_for(Format::Bedrock, last, user) {
        Ok(r) => r,
        Err(e) => return aws_error(400, "ValidationException", &e),
    };
    let input = (words(&nova_text(body.get("system")).unwrap_or_default())
        + messages
            .iter()
            .map(|m| words(&nova_text(m.get("content")).unwrap_or_default()))
            .sum::<u64>())
    .max(1);
    let output = words(&reply);
    let usage =
        json!({"inputTokens": input, "outputTokens": output, "totalTokens": input + output});
    if !r.stream {
        return Answer::json(
            200,
            &json!({
                "output": {"message": {"role": "assistant", "content": [{"text": reply}]}},
                "stopReason": "end_turn",
                "usage": usage
            }),
        );
    }
    let mut frames = vec![eventstream::chunk(
        &json!({"messageStart": {"role": "assistant"}}),
    )];
    for p in pieces(&reply) {
        frames.push(eventstream::chunk(
            &json!({"contentBlockDelta": {"delta": {"text": p}, "contentBlockIndex": 0}}),
        ));
    }
    frames.push(eventstream::chunk(
        &json!({"contentBlockStop": {"contentBlockIndex": 0}}),
    ));
    frames.push(eventstream::chunk(
        &json!({"messageStop": {"stopReason": "end_turn"}}),
    ));
    frames.push(eventstream::chunk(&json!({
        "metadata": {"usage": {"inputTokens": input, "outputTokens": output, "cacheReadInputTokenCount": 0, "cacheWriteInputTokenCount": 0}, "metrics": {}, "trace": {}},
        "amazon-bedrock-invocationMetrics": {"inputTokenCount": input, "outputTokenCount": output, "invocationLatency": 90, "firstByteLatency": 30}
    })));
    stream_answer(frames)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn routes_and_families() {
        let r = route("/v1/us-east-1/model/us.anthropic.claude-3-5-haiku-20241022-v1%3A0/invoke-with-response-stream").unwrap();
        assert_eq!(r.region, "us-east-1");
        assert_eq!(r.model, "us.anthropic.claude-3-5-haiku-20241022-v1:0");
        assert!(r.stream);
        assert_eq!(family(&r.model), Some(Family::Claude));
        assert_eq!(family("amazon.nova-lite-v1:0"), Some(Family::Nova));
        assert_eq!(family("eu.amazon.nova-micro-v1:0"), Some(Family::Nova));
        assert_eq!(family("meta.llama3-8b-instruct-v1:0"), None);
        assert!(route("/v1/us-east-1/model/x/converse").is_none());
        assert!(route("/v1/chat/completions").is_none());
    }
}
