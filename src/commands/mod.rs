//! One module per command. Each returns `Result<ExitStatus>`; `main` maps
//! errors to exit codes.

pub mod auth;
pub mod batch;
pub mod chat;
pub mod completions;
pub mod config;
pub mod interactive;
pub mod log;
pub mod providers;
pub mod replay;
pub mod stream;

/// Reads the real process environment.
pub fn process_env(name: &str) -> Option<String> {
    std::env::var(name).ok()
}

/// Resolves at Ctrl-C. If the handler cannot be installed it never resolves
/// (and Ctrl-C keeps its default effect), rather than interrupting at once.
pub async fn ctrl_c() {
    if tokio::signal::ctrl_c().await.is_err() {
        std::future::pending::<()>().await;
    }
}
