//! `hcl completions SHELL` and the hidden `hcl generate-docs`.

use crate::cli::{CompletionsArgs, GenerateDocsArgs};
use crate::docs;
use crate::error::{Error, ExitStatus, Result};
use crate::output::Printer;

pub fn run(args: &CompletionsArgs, printer: &Printer) -> Result<ExitStatus> {
    let script = docs::completion_script(args.shell)?;
    printer.stream_text(&script)?;
    Ok(ExitStatus::Success)
}

pub fn generate_docs(args: &GenerateDocsArgs, printer: &Printer) -> Result<ExitStatus> {
    let files = docs::write_or_check(&args.dir, args.check)?;
    if args.check {
        if files.is_empty() {
            printer.note("man pages and completions are up to date");
            return Ok(ExitStatus::Success);
        }
        return Err(Error::Protocol(format!(
            "out of date: {}; run: {}",
            files
                .iter()
                .map(|p| p.display().to_string())
                .collect::<Vec<_>>()
                .join(", "),
            docs::REGENERATE
        )));
    }
    for f in &files {
        printer.note(&format!("wrote {}", args.dir.join(f).display()));
    }
    Ok(ExitStatus::Success)
}
