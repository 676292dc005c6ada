//! hcl: issue and replay LLM requests through the Helicone gateway.
//!
//! The crate is a library with a thin binary (`src/main.rs`) so that the
//! fuzz targets and benchmarks can reach the decoders and parsers directly.
//! Every module stays private: the program's entry point is [`main`].

mod annotations;
mod cachekey;
mod cli;
mod commands;
mod conversation;
mod docs;
mod error;
mod eventstream;
mod examples;
mod exchange;
mod files;
#[doc(hidden)]
pub mod fuzzing;
mod headers;
mod helicone;
mod helicone_api;
mod keystore;
mod log;
mod models;
mod output;
mod profiles;
mod provider;
mod request;
mod schema;
mod secrets;
mod select;
mod settings;
mod shard;
mod sse;
#[cfg(test)]
mod structure_tests;
mod transport;
mod wire;

use std::process::ExitCode;

use clap::Parser;

use crate::cli::{Cli, Command};
use crate::error::{Error, ExitStatus};
use crate::output::Printer;

/// Parse the command line, run the command, map the result to an exit code.
/// `hcl --version` or `hcl -V` and nothing else.
fn version_only() -> bool {
    let mut args = std::env::args_os().skip(1);
    matches!((args.next(), args.next()), (Some(a), None) if a == "--version" || a == "-V")
}

pub fn main() -> ExitCode {
    // A shell asking for completions at Tab: answer and exit.
    commands::shell_complete::answer_if_asked();
    let env = commands::process_env;
    let printer = Printer::new(&env);
    if version_only() {
        // Before the command line parser is built, which is most of the
        // start-up time (bench/RESULTS.md); the text is clap's.
        let _ = printer.line(&format!("hcl {}", env!("CARGO_PKG_VERSION")));
        return ExitCode::from(0);
    }
    if std::env::args_os()
        .nth(1)
        .is_some_and(|a| a == "generate-docs")
    {
        let docs = cli::GenerateDocsCli::parse_from(std::env::args_os().skip(1));
        return finish(
            commands::completions::generate_docs(&docs.args, &printer),
            &printer,
        );
    }
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) if e.use_stderr() => {
            let argv: Vec<String> = std::env::args().collect();
            if let Some(message) = cli::batch_flag_on_stream(&e, &argv) {
                printer.error(&message);
                return ExitCode::from(ExitStatus::Usage.code());
            }
            printer.usage_error(&cli::render_error(e));
            return ExitCode::from(ExitStatus::Usage.code());
        }
        Err(e) => {
            // Help and version go to stdout.
            let _ = e.print();
            return ExitCode::from(0);
        }
    };
    if output::stdout_closed_at_start() {
        // Whatever hcl printed would be lost, and a request would be paid
        // for with nowhere to show its answer.
        printer.error(
            "stdout is closed (>&-), so the answer would be lost; redirect it instead: > FILE, or > /dev/null to discard it",
        );
        return ExitCode::from(ExitStatus::Usage.code());
    }
    let result = match &cli.command {
        Command::Chat(args) => commands::chat::run(args, &env, &printer),
        Command::Stream(args) => commands::chat::run_with(&args.to_chat(), true, &env, &printer),
        Command::Providers(args) => commands::providers::run(args, &env, &printer),
        Command::Models(args) => commands::models::run(args, &env, &printer),
        Command::Log(cmd) => commands::log::run(cmd, &env, &printer),
        Command::Completions(args) => commands::completions::run(args, &printer),
        Command::Auth(cmd) => commands::auth::run(cmd, &env, &printer),
        Command::Config(cmd) => commands::config::run(cmd, &env, &printer),
        Command::Templates(cmd) => commands::templates::run(cmd, &env, &printer),
        Command::Replay(args) => commands::replay::run(args, &env, &printer),
        Command::Feedback(args) => commands::feedback::feedback(args, &env, &printer),
        Command::Score(args) => commands::feedback::score(args, &env, &printer),
    };
    finish(result, &printer)
}

/// The exit code of a command's result; an error is said on stderr.
fn finish(result: error::Result<ExitStatus>, printer: &Printer) -> ExitCode {
    let status = match result {
        Ok(status) => status,
        Err(Error::BrokenPipe) => ExitStatus::Success,
        Err(e) => {
            if !matches!(e, Error::Interrupted(_)) {
                printer.error(&e.to_string());
            }
            e.exit_status()
        }
    };
    ExitCode::from(status.code())
}

#[cfg(test)]
mod version_tests {
    #[test]
    fn the_short_cut_prints_what_the_parser_would() {
        let parser = <crate::cli::Cli as clap::CommandFactory>::command().render_version();
        assert_eq!(parser, format!("hcl {}\n", env!("CARGO_PKG_VERSION")));
    }
}
