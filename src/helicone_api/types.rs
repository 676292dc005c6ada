//! What Helicone's REST API answers: the `Result` envelope
//! `{"data": …, "error": …}` and the fields of `HeliconeRequest` that hcl
//! reads (docs/helicone.md §5.1; the swagger schema `HeliconeRequest`).

use serde::{Deserialize, Deserializer};

/// `{"data": T, "error": null}` or `{"data": null, "error": "…"}`. A
/// missing `data` (Helicone's `GET /v1/request/{id}` for an id it does not
/// have) reads as `None`.
#[derive(Debug, Deserialize)]
pub struct Envelope<T> {
    #[serde(default = "none")]
    pub data: Option<T>,
    #[serde(default)]
    pub error: Option<serde_json::Value>,
}

fn none<T>() -> Option<T> {
    None
}

impl<T> Envelope<T> {
    /// The error as text, when there is one.
    pub fn error_text(&self) -> Option<String> {
        match &self.error {
            None | Some(serde_json::Value::Null) => None,
            Some(serde_json::Value::String(s)) => Some(s.clone()),
            Some(other) => Some(other.to_string()),
        }
    }
}

/// One logged request as Helicone holds it. ClickHouse may send 64-bit
/// numbers as strings, so every number is read from either.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct HeliconeRequest {
    pub request_id: String,
    #[serde(default, deserialize_with = "number")]
    pub response_status: Option<f64>,
    /// Helicone's own choice: the model override, else the request's, else the response's.
    #[serde(default)]
    pub model: Option<String>,
    #[serde(default)]
    pub request_model: Option<String>,
    #[serde(default)]
    pub response_model: Option<String>,
    #[serde(default, deserialize_with = "number")]
    pub prompt_tokens: Option<f64>,
    #[serde(default, deserialize_with = "number")]
    pub completion_tokens: Option<f64>,
    /// USD.
    #[serde(default, deserialize_with = "number")]
    pub cost: Option<f64>,
    /// USD, computed by Jawn from the token counts (older answers).
    #[serde(default, rename = "costUSD", deserialize_with = "number")]
    pub cost_usd: Option<f64>,
    /// The latency Helicone measured, in ms.
    #[serde(default, deserialize_with = "number")]
    pub delay_ms: Option<f64>,
}

impl HeliconeRequest {
    /// The model Helicone shows: `model`, else the request's, else the response's.
    pub fn shown_model(&self) -> Option<&str> {
        [&self.model, &self.request_model, &self.response_model]
            .into_iter()
            .flatten()
            .map(String::as_str)
            .find(|m| !m.is_empty() && *m != "unknown")
    }

    pub fn cost(&self) -> Option<f64> {
        self.cost.or(self.cost_usd).filter(|c| c.is_finite())
    }

    pub fn latency_ms(&self) -> Option<u64> {
        whole(self.delay_ms)
    }

    pub fn status(&self) -> Option<i64> {
        self.response_status
            .filter(|s| s.is_finite())
            .map(|s| s as i64)
    }

    pub fn input_tokens(&self) -> Option<u64> {
        whole(self.prompt_tokens)
    }

    pub fn output_tokens(&self) -> Option<u64> {
        whole(self.completion_tokens)
    }
}

fn whole(v: Option<f64>) -> Option<u64> {
    v.filter(|x| x.is_finite() && *x >= 0.0).map(|x| x as u64)
}

/// A number, a numeric string, or null.
fn number<'de, D: Deserializer<'de>>(d: D) -> Result<Option<f64>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum N {
        F(f64),
        S(String),
    }
    Ok(match Option::<N>::deserialize(d)? {
        None => None,
        Some(N::F(f)) => Some(f),
        Some(N::S(s)) => s.trim().parse().ok(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_may_be_strings_and_data_may_be_missing() {
        let e: Envelope<HeliconeRequest> = serde_json::from_str(
            r#"{"data":{"request_id":"r","response_status":200,"prompt_tokens":"12","completion_tokens":3,"cost":"0.00042","delay_ms":812,"model":"gpt-4o-mini","extra":[1]},"error":null}"#,
        )
        .unwrap();
        let r = e.data.unwrap();
        assert_eq!(r.status(), Some(200));
        assert_eq!(r.input_tokens(), Some(12));
        assert_eq!(r.output_tokens(), Some(3));
        assert_eq!(r.cost(), Some(0.00042));
        assert_eq!(r.latency_ms(), Some(812));
        assert_eq!(r.shown_model(), Some("gpt-4o-mini"));
        let e: Envelope<HeliconeRequest> = serde_json::from_str(r#"{"error":null}"#).unwrap();
        assert!(e.data.is_none() && e.error_text().is_none());
        let e: Envelope<Vec<HeliconeRequest>> =
            serde_json::from_str(r#"{"data":null,"error":"invalid limit"}"#).unwrap();
        assert_eq!(e.error_text().as_deref(), Some("invalid limit"));
    }
}
