//! Documentation generated from the clap definition: man pages, shell
//! completions and the EXAMPLES sections (from `examples.rs`). One
//! source of truth; `hcl generate-docs` writes the files in `man/` and
//! `completions/`, and a unit test fails when the checked-in copies drift.

use std::io::Write;
use std::path::{Path, PathBuf};

use clap::CommandFactory;
use clap_complete::Shell;
use clap_mangen::roff::{Roff, bold, roman};

use crate::cli::Cli;
use crate::error::{Error, Result};
use crate::examples::examples;
use crate::provider::PROVIDERS;

const EXIT_CODES: &[(&str, &str)] = &[
    ("0", "Success."),
    (
        "1",
        "The provider or Helicone answered with an error, or a stream ended in an error; in batch mode, some item failed.",
    ),
    ("2", "Usage or configuration error: nothing was sent."),
    (
        "3",
        "Network error or timeout: no HTTP response. The message names the layer: DNS, connect, TLS, proxy or timeout.",
    ),
    (
        "4",
        "Rate limited (429). Helicone's own rate limiter is named as such, with its limit, remaining and reset.",
    ),
    ("5", "Authentication or permission failure (401, 403)."),
    (
        "6",
        "Replay expectation not met (--expect hit saw a MISS, or the reverse).",
    ),
    (
        "129",
        "Hung up (SIGHUP: the terminal closed); whatever was received is printed and logged.",
    ),
    (
        "130",
        "Interrupted (Ctrl-C); whatever was received is printed and logged.",
    ),
    (
        "143",
        "Terminated (SIGTERM: timeout, systemd, kill); whatever was received is printed and logged.",
    ),
];

fn environment() -> Vec<(String, String)> {
    let mut env = vec![(
        "HELICONE_API_KEY".to_string(),
        "The Helicone key, sent as Helicone-Auth: Bearer KEY.".to_string(),
    )];
    for p in PROVIDERS {
        let slots = p.key_slots(p.any_format());
        for slot in &slots {
            for var in slot.env {
                let what = if slots.len() == 1 {
                    format!("The provider key for -P {} ({}).", p.name, p.about)
                } else {
                    let about = p.slot_about(slot.role);
                    let mut s = format!("For -P {}: {about}", p.name);
                    if !slot.required {
                        s.push_str(", if there is one");
                    }
                    s.push('.');
                    s
                };
                env.push(((*var).to_string(), what));
            }
        }
        if let Some(file) = p.profile_file() {
            env.push((
                file.profile_env.to_string(),
                format!(
                    "For -P {}: the profile of {} that holds the keys when no other place does (unset: [{}]).",
                    p.name, file.about, file.default_profile
                ),
            ));
            env.push((
                file.file_env.to_string(),
                format!(
                    "For -P {}: {} (default ~/{}).",
                    p.name, file.about, file.home_path
                ),
            ));
        }
    }
    for p in PROVIDERS {
        for param in p.params.iter().filter(|param| !param.env.is_empty()) {
            let default = param
                .default
                .map(|d| format!(" (default {d})"))
                .unwrap_or_default();
            env.push((
                param.env.join(", "),
                format!(
                    "For -P {}: {}{default}; or {} under [providers.{}] in the config file.",
                    p.name, param.about, param.name, p.name
                ),
            ));
        }
    }
    for (var, about) in [
        (
            "HCL_BASE_URL_<PROVIDER>",
            "The Helicone base for one provider, e.g. HCL_BASE_URL_OPENAI=http://127.0.0.1:8787; upper case, - as _.",
        ),
        ("HCL_LOG", "The request log file."),
        (
            "HCL_CACHE_DIR",
            "Where hcl models keeps the model lists it fetched (default: the platform's cache directory, then hcl).",
        ),
        (
            "COLUMNS",
            "The width tables are fitted to (default: the terminal's; in a pipe nothing is cut).",
        ),
        ("HCL_CONFIG", "The config file."),
        ("HCL_NO_KEYRING", "1: never touch the OS keyring."),
        (
            "HCL_HELICONE_API_BASE",
            "Helicone's REST API base for auth check, log verify, feedback and score (default https://api.helicone.ai; EU keys use https://eu.api.helicone.ai).",
        ),
        (
            "HCL_HELICONE_LOG_BASE",
            "Helicone's custom-logging base for log push (default https://api.worker.helicone.ai; required when HCL_HELICONE_API_BASE points at a self-hosted Helicone).",
        ),
        (
            "HTTPS_PROXY, HTTP_PROXY, ALL_PROXY, NO_PROXY",
            "Proxy settings, honoured in either case.",
        ),
        (
            "VISUAL, EDITOR",
            "The editor of -e/--edit, /edit and hcl templates edit: VISUAL unless TERM is dumb, then EDITOR, then vi.",
        ),
        ("NO_COLOR", "No colour."),
    ] {
        env.push((var.to_string(), about.to_string()));
    }
    env
}

const FILES: &[(&str, &str)] = &[
    (
        "$HCL_LOG, else ~/.local/share/hcl/requests.jsonl (Linux), ~/Library/Application Support/hcl/requests.jsonl (macOS)",
        "The request log: JSON Lines, one record per exchange, mode 0600.",
    ),
    (
        "requests.helicone.jsonl beside the log",
        "What Helicone said about logged requests (log verify's verdict, cost and latency; log push's pushes), one event per line, mode 0600.",
    ),
    (
        "$HCL_CONFIG, else ~/.config/hcl/config.toml (Linux), ~/Library/Application Support/hcl/config.toml (macOS)",
        "The config file (TOML): default provider, model, properties, generation defaults, per-provider base URLs and defaults.",
    ),
    (
        "~/.config/hcl/templates/NAME.toml (Linux), ~/Library/Application Support/hcl/templates/NAME.toml (macOS)",
        "Request templates (-t NAME, --save NAME, hcl templates), mode 0600.",
    ),
];

fn tagged_paragraphs(roff: &mut Roff, items: &[(String, String)], bold_tag: bool) {
    for (tag, text) in items {
        roff.control("TP", []);
        roff.text([if bold_tag {
            bold(tag.as_str())
        } else {
            roman(tag.as_str())
        }]);
        roff.text([roman(text.as_str())]);
    }
}

/// Render one man page: clap's sections plus EXAMPLES, EXIT STATUS,
/// ENVIRONMENT, FILES and SEE ALSO.
fn man_page(cmd: clap::Command, path: &str, page_name: &str) -> Result<String> {
    let man = clap_mangen::Man::new(cmd.clone())
        .title(page_name.to_ascii_uppercase())
        .source(format!("hcl {}", env!("CARGO_PKG_VERSION")))
        .manual("hcl manual");
    let mut buf: Vec<u8> = Vec::new();
    let io = |e: std::io::Error| Error::io("cannot render a man page", e);
    man.render_title(&mut buf).map_err(io)?;
    man.render_name_section(&mut buf).map_err(io)?;
    man.render_synopsis_section(&mut buf).map_err(io)?;
    man.render_description_section(&mut buf).map_err(io)?;
    man.render_options_section(&mut buf).map_err(io)?;
    if cmd.get_subcommands().any(|s| !s.is_hide_set()) {
        man.render_subcommands_section(&mut buf).map_err(io)?;
    }
    let mut roff = Roff::default();
    let ex = examples(path);
    if !ex.is_empty() {
        roff.control("SH", ["EXAMPLES"]);
        for (c, about) in ex {
            roff.control("TP", []);
            roff.text([roman(*about)]);
            roff.control("RS", []);
            roff.control("nf", []);
            roff.text([bold(*c)]);
            roff.control("fi", []);
            roff.control("RE", []);
        }
    }
    roff.control("SH", ["EXIT STATUS"]);
    let codes: Vec<(String, String)> = EXIT_CODES
        .iter()
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .collect();
    tagged_paragraphs(&mut roff, &codes, true);
    roff.control("SH", ["ENVIRONMENT"]);
    tagged_paragraphs(&mut roff, &environment(), true);
    roff.control("SH", ["FILES"]);
    let files: Vec<(String, String)> = FILES
        .iter()
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .collect();
    tagged_paragraphs(&mut roff, &files, false);
    roff.control("SH", ["SEE ALSO"]);
    let mut see: Vec<String> = man_pages_names()
        .into_iter()
        .filter(|n| n != page_name)
        .map(|n| format!("{n}(1)"))
        .collect();
    see.sort();
    roff.text([roman(see.join(", "))]);
    roff.to_writer(&mut buf).map_err(io)?;
    man.render_version_section(&mut buf).map_err(io)?;
    let text =
        String::from_utf8(buf).map_err(|_| Error::Protocol("a man page is not UTF-8".into()))?;
    Ok(text.lines().map(unquote).collect::<Vec<_>>().join("\n") + "\n")
}

/// A `code span` of the help text in bold, instead of raw backticks, on a
/// text line of roff.
fn unquote(line: &str) -> String {
    if line.starts_with('.') || !line.matches('`').count().is_multiple_of(2) {
        return line.to_string();
    }
    let mut out = String::with_capacity(line.len() + 16);
    for (i, part) in line.split('`').enumerate() {
        if i > 0 {
            out.push_str(if i % 2 == 1 { "\\fB" } else { "\\fR" });
        }
        out.push_str(part);
    }
    out
}

/// Every visible (sub)command as (path, page name, command).
fn visible_commands() -> Vec<(String, String, clap::Command)> {
    fn walk(
        cmd: &clap::Command,
        path: &str,
        name: &str,
        out: &mut Vec<(String, String, clap::Command)>,
    ) {
        out.push((path.to_string(), name.to_string(), cmd.clone()));
        for sub in cmd
            .get_subcommands()
            .filter(|s| !s.is_hide_set() && s.get_name() != "help")
        {
            let p = if path.is_empty() {
                sub.get_name().to_string()
            } else {
                format!("{path} {}", sub.get_name())
            };
            walk(sub, &p, &format!("{name}-{}", sub.get_name()), out);
        }
    }
    // The man pages name no `help` subcommand: `hcl help X` is `hcl X --help`.
    fn no_help(cmd: clap::Command) -> clap::Command {
        cmd.disable_help_subcommand(true).mut_subcommands(no_help)
    }
    let mut cmd = no_help(Cli::command());
    cmd.build();
    let mut out = Vec::new();
    walk(&cmd, "", "hcl", &mut out);
    out
}

fn man_pages_names() -> Vec<String> {
    visible_commands().into_iter().map(|(_, n, _)| n).collect()
}

pub const COMPLETION_FILES: &[(Shell, &str)] = &[
    (Shell::Bash, "hcl.bash"),
    (Shell::Zsh, "_hcl"),
    (Shell::Fish, "hcl.fish"),
    (Shell::PowerShell, "_hcl.ps1"),
    (Shell::Elvish, "hcl.elv"),
];

/// The script that registers hcl's completions with `shell`: at Tab it
/// runs `COMPLETE=SHELL hcl -- WORDS…`, so hcl (on `PATH`) answers with
/// the candidates, model names and conversation ids included.
pub fn completion_script(shell: Shell) -> Result<String> {
    use clap_complete::env::EnvCompleter;
    let completer: &dyn EnvCompleter = match shell {
        Shell::Bash => &clap_complete::env::Bash,
        Shell::Zsh => &clap_complete::env::Zsh,
        Shell::Fish => &clap_complete::env::Fish,
        Shell::PowerShell => &clap_complete::env::Powershell,
        Shell::Elvish => &clap_complete::env::Elvish,
        _ => return Err(Error::usage(format!("no completion script for {shell}"))),
    };
    let mut buf = Vec::new();
    completer
        .write_registration("COMPLETE", "hcl", "hcl", "hcl", &mut buf)
        .map_err(|e| Error::io("cannot write the completion script", e))?;
    String::from_utf8(buf).map_err(|_| Error::Protocol("a completion script is not UTF-8".into()))
}

/// Every generated file, relative to the repository root, with its contents.
pub fn generated_files() -> Result<Vec<(PathBuf, String)>> {
    let mut out = Vec::new();
    for (shell, file) in COMPLETION_FILES {
        out.push((
            Path::new("completions").join(file),
            completion_script(*shell)?,
        ));
    }
    for (path, name, cmd) in visible_commands() {
        out.push((
            Path::new("man").join(format!("{name}.1")),
            man_page(cmd, &path, &name)?,
        ));
    }
    Ok(out)
}

pub const REGENERATE: &str = "cargo run -- generate-docs";

/// Write every generated file under `root`; with `check`, compare instead
/// and list the files that differ.
pub fn write_or_check(root: &Path, check: bool) -> Result<Vec<PathBuf>> {
    let mut stale = Vec::new();
    for (rel, text) in generated_files()? {
        let path = root.join(&rel);
        if check {
            if std::fs::read_to_string(&path).ok().as_deref() != Some(text.as_str()) {
                stale.push(rel);
            }
        } else {
            if let Some(dir) = path.parent() {
                std::fs::create_dir_all(dir)
                    .map_err(|e| Error::io(format!("cannot create {}", dir.display()), e))?;
            }
            let mut f = std::fs::File::create(&path)
                .map_err(|e| Error::io(format!("cannot write {}", path.display()), e))?;
            f.write_all(text.as_bytes())
                .map_err(|e| Error::io(format!("cannot write {}", path.display()), e))?;
            stale.push(rel);
        }
    }
    Ok(stale)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_docs_are_in_sync_with_the_cli() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let stale = write_or_check(root, true).unwrap();
        assert!(
            stale.is_empty(),
            "generated files are out of date: {}\nregenerate them with: {REGENERATE}",
            stale
                .iter()
                .map(|p| p.display().to_string())
                .collect::<Vec<_>>()
                .join(", ")
        );
    }

    #[test]
    fn every_visible_command_has_examples() {
        for (path, name, _) in visible_commands() {
            assert!(
                examples(&path).len() >= 2,
                "{name} ({path:?}) needs two or three examples in examples::EXAMPLES"
            );
        }
    }

    #[test]
    fn man_pages_have_the_extra_sections() {
        for (rel, text) in generated_files().unwrap() {
            if rel.starts_with("man") {
                for section in ["EXAMPLES", "EXIT STATUS", "ENVIRONMENT", "FILES"] {
                    assert!(
                        text.contains(&format!(".SH \"{section}\""))
                            || text.contains(&format!(".SH {section}")),
                        "{} lacks {section}",
                        rel.display()
                    );
                }
            }
        }
    }
}
