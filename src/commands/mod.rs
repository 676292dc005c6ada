//! One module per command. Each returns `Result<ExitStatus>`; `main` maps
//! errors to exit codes.

pub mod auth;
pub mod chat;
pub mod completions;
pub mod config;
pub mod log;
pub mod providers;
pub mod stream;

/// Reads the real process environment.
pub fn process_env(name: &str) -> Option<String> {
    std::env::var(name).ok()
}
