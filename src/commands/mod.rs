//! One module per command. Each returns `Result<ExitStatus>`; `main` maps
//! errors to exit codes.

pub mod auth;
pub mod batch;
pub mod chat;
pub mod completions;
pub mod config;
pub mod editor;
pub mod feedback;
pub mod interactive;
pub mod junit;
pub mod line_completion;
pub mod log;
pub mod merge;
pub mod models;
pub mod prompt;
pub mod providers;
pub mod push;
pub mod replay;
pub mod shell_complete;
pub mod stats;
pub mod stream;
pub mod templates;
pub mod turn;
pub mod verify;

use crate::error::Signal;

/// Reads the real process environment.
pub fn process_env(name: &str) -> Option<String> {
    std::env::var(name).ok()
}

/// Resolves at the first Ctrl-C (SIGINT), SIGTERM or SIGHUP, with which one
/// it was: each stops a command the same way, and what arrived is logged.
/// A handler that cannot be installed leaves its signal's default effect,
/// rather than interrupting at once.
pub async fn interrupted() -> Signal {
    signal_among(true).await
}

/// Resolves at the first SIGTERM or SIGHUP: what ends an interactive
/// session while it waits for a line (Ctrl-C reaches the line editor as a
/// key there).
pub async fn terminated() -> Signal {
    signal_among(false).await
}

async fn signal_among(with_interrupt: bool) -> Signal {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        async fn recv(s: &mut Option<tokio::signal::unix::Signal>) {
            let received = match s {
                Some(s) => s.recv().await.is_some(),
                None => false,
            };
            if !received {
                std::future::pending::<()>().await;
            }
        }
        let mut int = if with_interrupt {
            signal(SignalKind::interrupt()).ok()
        } else {
            None
        };
        let mut term = signal(SignalKind::terminate()).ok();
        let mut hup = signal(SignalKind::hangup()).ok();
        tokio::select! {
            () = recv(&mut int) => Signal::Interrupt,
            () = recv(&mut term) => Signal::Terminate,
            () = recv(&mut hup) => Signal::Hangup,
        }
    }
    #[cfg(not(unix))]
    {
        if !with_interrupt || tokio::signal::ctrl_c().await.is_err() {
            std::future::pending::<()>().await;
        }
        Signal::Interrupt
    }
}

/// The async runtime a command runs its requests on: one thread, started
/// only by commands that send something, so `--help`, `--dry-run` and the
/// log commands never pay for it.
pub fn runtime() -> crate::error::Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| crate::error::Error::io("cannot start the async runtime", e))
}

/// The config file, with its warnings (such as a readable file holding
/// keys) said once on stderr.
pub fn load_config(
    env: crate::settings::Env<'_>,
    printer: &crate::output::Printer,
) -> crate::error::Result<crate::settings::Config> {
    let (config, warnings) = crate::settings::load_config(env)?;
    printer.warn_all(&warnings);
    Ok(config)
}
