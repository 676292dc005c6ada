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
pub mod line_completion;
pub mod log;
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
