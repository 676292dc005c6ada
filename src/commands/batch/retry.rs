//! The retry policy: which failures are retried, how long to wait, and the
//! name of each kind of failure.

use std::time::Duration;

use crate::error::{Error, NetLayer};
use crate::exchange::Outcome;
use crate::log::HeaderList;

/// The first client-side backoff; doubled per attempt, with jitter.
const BACKOFF_BASE: Duration = Duration::from_millis(250);
const BACKOFF_MAX: Duration = Duration::from_secs(30);
/// The longest wait a `Retry-After`-style hint can impose.
pub(super) const MAX_HINTED_WAIT: Duration = Duration::from_secs(60);

/// A stable name for the kind of failure, for `error_kind` and the summary.
pub(super) fn error_kind(e: &Error) -> &'static str {
    match e {
        Error::Usage(_) => "input",
        Error::Api { status, .. } => match status {
            401 | 403 => "auth",
            429 => "rate_limited",
            400..=499 => "client_error",
            500..=599 => "server_error",
            _ => "http_error",
        },
        Error::HeliconeRateLimited { .. } => "rate_limited",
        Error::Network {
            layer: NetLayer::Timeout,
            ..
        } => "timeout",
        Error::Network { .. } => "network",
        Error::Protocol(_) => "invalid_response",
        Error::Io { .. } | Error::BrokenPipe => "io",
        Error::Interrupted(_) => "interrupted",
    }
}

pub(super) fn retryable(e: &Error) -> bool {
    match e {
        Error::Api { status, .. } => *status == 429 || (500..=599).contains(status),
        Error::HeliconeRateLimited { .. } => true,
        Error::Network { layer, .. } => matches!(
            layer,
            NetLayer::Connect | NetLayer::Connection | NetLayer::Timeout | NetLayer::Dns
        ),
        _ => false,
    }
}

fn header<'h>(headers: &'h HeaderList, name: &str) -> Option<&'h str> {
    headers
        .0
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case(name))
        .map(|(_, v)| v.trim())
}

/// How long the server asked us to wait: `retry-after-ms`, then
/// `Retry-After` (seconds or an HTTP date), then, for Helicone's own rate
/// limiter, `Helicone-RateLimit-Reset` (seconds).
pub(super) fn server_hint(o: &Outcome) -> Option<Duration> {
    if let Some(ms) = header(&o.headers, "retry-after-ms").and_then(|v| v.parse::<f64>().ok())
        && ms.is_finite()
        && ms >= 0.0
    {
        return Some(Duration::from_secs_f64(ms / 1000.0));
    }
    if let Some(v) = header(&o.headers, "retry-after") {
        if let Ok(secs) = v.parse::<f64>()
            && secs.is_finite()
            && secs >= 0.0
        {
            return Some(Duration::from_secs_f64(secs.min(1e6)));
        }
        if let Ok(at) = httpdate::parse_http_date(v) {
            return Some(
                at.duration_since(std::time::SystemTime::now())
                    .unwrap_or(Duration::ZERO),
            );
        }
    }
    if o.meta.is_rate_limited()
        && let Some(secs) = o
            .meta
            .rate_limit
            .reset
            .as_deref()
            .and_then(|v| v.parse::<f64>().ok())
        && secs.is_finite()
        && secs >= 0.0
    {
        return Some(Duration::from_secs_f64(secs.min(1e6)));
    }
    None
}

/// Exponential backoff with jitter: 250 ms × 2^(n-1) × [0.5, 1.5), at most 30 s.
pub(super) fn backoff(attempt: u32) -> Duration {
    let base = BACKOFF_BASE.saturating_mul(1u32 << (attempt.saturating_sub(1)).min(16));
    base.min(BACKOFF_MAX).mul_f64(0.5 + fastrand::f64())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retry_hints() {
        let with = |pairs: &[(&str, &str)]| Outcome {
            headers: HeaderList(
                pairs
                    .iter()
                    .map(|(k, v)| (k.to_string(), v.to_string()))
                    .collect(),
            ),
            ..Default::default()
        };
        assert_eq!(
            server_hint(&with(&[("retry-after-ms", "250")])),
            Some(Duration::from_millis(250))
        );
        assert_eq!(
            server_hint(&with(&[("retry-after", "2")])),
            Some(Duration::from_secs(2))
        );
        let later = std::time::SystemTime::now() + Duration::from_secs(30);
        let date = httpdate::fmt_http_date(later);
        let d = server_hint(&with(&[("retry-after", &date)])).unwrap();
        assert!(
            d > Duration::from_secs(28) && d <= Duration::from_secs(30),
            "{d:?}"
        );
        assert_eq!(server_hint(&with(&[("retry-after", "soon")])), None);
        let mut o = with(&[]);
        o.meta.rate_limit.reset = Some("7".into());
        assert_eq!(
            server_hint(&o),
            None,
            "reset counts only for Helicone's 429"
        );
        o.meta.error = Some("rate_limited".into());
        assert_eq!(server_hint(&o), Some(Duration::from_secs(7)));
    }

    #[test]
    fn backoff_grows_with_jitter_and_a_cap() {
        for attempt in 1..=40 {
            let d = backoff(attempt);
            let nominal = BACKOFF_BASE
                .saturating_mul(1 << (attempt - 1).min(16))
                .min(BACKOFF_MAX);
            assert!(
                d >= nominal.mul_f64(0.5) && d < nominal.mul_f64(1.5),
                "{attempt}: {d:?}"
            );
        }
    }

    #[test]
    fn which_errors_are_retried() {
        let api = |status| Error::Api {
            provider: "p".into(),
            status,
            message: String::new(),
        };
        assert!(retryable(&api(429)));
        assert!(retryable(&api(503)));
        assert!(!retryable(&api(400)));
        assert!(!retryable(&api(401)));
        assert!(!retryable(&Error::usage("x")));
        assert!(!retryable(&Error::Protocol("x".into())));
        let net = |layer| Error::Network {
            layer,
            url: String::new(),
            detail: String::new(),
        };
        assert!(retryable(&net(NetLayer::Connect)));
        assert!(retryable(&net(NetLayer::Timeout)));
        assert!(!retryable(&net(NetLayer::Tls)));
    }
}
