//! One error type for the whole program, each variant mapped to an exit code
//! of the command-line contract. Every message says what went wrong and, where
//! there is one, what to do about it.

use std::fmt;

/// Exit codes of the command-line contract.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExitStatus {
    Success = 0,
    Failure = 1,
    Usage = 2,
    Network = 3,
    RateLimited = 4,
    Auth = 5,
    Expectation = 6,
    /// SIGHUP: the terminal closed.
    HungUp = 129,
    /// SIGINT: Ctrl-C.
    Interrupted = 130,
    /// SIGTERM: `timeout`, systemd, `kill`.
    Terminated = 143,
}

impl ExitStatus {
    pub fn code(self) -> u8 {
        self as u8
    }
}

/// A signal that cut a command short. Each is handled the same way: stop,
/// log what arrived, exit with 128 + the signal's number.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Signal {
    /// SIGINT (Ctrl-C).
    Interrupt,
    /// SIGTERM.
    Terminate,
    /// SIGHUP.
    Hangup,
}

impl Signal {
    pub fn exit_status(self) -> ExitStatus {
        match self {
            Signal::Interrupt => ExitStatus::Interrupted,
            Signal::Terminate => ExitStatus::Terminated,
            Signal::Hangup => ExitStatus::HungUp,
        }
    }
}

impl fmt::Display for Signal {
    /// What the log record's `error` says.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Signal::Interrupt => "interrupted",
            Signal::Terminate => "terminated (SIGTERM)",
            Signal::Hangup => "hung up (SIGHUP)",
        })
    }
}

/// The network layer at which a request failed without an HTTP response.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NetLayer {
    Dns,
    Connect,
    Tls,
    Proxy,
    Timeout,
    /// The connection broke after it was established (mid-body or before headers).
    Connection,
}

impl fmt::Display for NetLayer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            NetLayer::Dns => "DNS lookup failed",
            NetLayer::Connect => "could not connect",
            NetLayer::Tls => "TLS handshake failed",
            NetLayer::Proxy => "proxy failed",
            NetLayer::Timeout => "timed out",
            NetLayer::Connection => "connection lost",
        })
    }
}

#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// Bad flags, bad input, bad configuration: nothing was sent.
    #[error("{0}")]
    Usage(String),

    /// The provider or Helicone answered with an error status.
    #[error("{provider} answered {status}: {message}")]
    Api {
        provider: String,
        status: u16,
        message: String,
    },

    /// Helicone's own rate limiter (`X-Helicone-Error: rate_limited`).
    #[error(
        "Helicone's rate-limit policy stopped this request ({detail}); wait and retry, or raise the policy's quota"
    )]
    HeliconeRateLimited { detail: String },

    /// A 200 whose body could not be understood, or a stream that ended in an error.
    #[error("{0}")]
    Protocol(String),

    /// No HTTP response: DNS, connect, TLS, proxy or timeout.
    #[error("{layer} for {url}: {detail}")]
    Network {
        layer: NetLayer,
        url: String,
        detail: String,
    },

    /// Reading or writing a local file failed.
    #[error("{context}: {source}")]
    Io {
        context: String,
        #[source]
        source: std::io::Error,
    },

    /// A signal (Ctrl-C, SIGTERM, SIGHUP) stopped the command.
    #[error("{0}")]
    Interrupted(Signal),

    /// stdout was closed by the reader (`| head`): end quietly.
    #[error("broken pipe")]
    BrokenPipe,
}

impl Error {
    pub fn usage(msg: impl Into<String>) -> Self {
        Error::Usage(msg.into())
    }

    pub fn io(context: impl Into<String>, source: std::io::Error) -> Self {
        if source.kind() == std::io::ErrorKind::BrokenPipe {
            return Error::BrokenPipe;
        }
        Error::Io {
            context: context.into(),
            source,
        }
    }

    pub fn exit_status(&self) -> ExitStatus {
        match self {
            Error::Usage(_) => ExitStatus::Usage,
            Error::Api { status, .. } => match status {
                401 | 403 => ExitStatus::Auth,
                429 => ExitStatus::RateLimited,
                _ => ExitStatus::Failure,
            },
            Error::HeliconeRateLimited { .. } => ExitStatus::RateLimited,
            Error::Protocol(_) | Error::Io { .. } => ExitStatus::Failure,
            Error::Network { .. } => ExitStatus::Network,
            Error::Interrupted(signal) => signal.exit_status(),
            Error::BrokenPipe => ExitStatus::Success,
        }
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;
