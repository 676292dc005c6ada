//! Documentation generated from the clap definition: man pages, shell
//! completions, and the examples shown at the end of every `--help`. One
//! source of truth; `hcl generate-docs` writes the files in `man/` and
//! `completions/`, and a unit test fails when the checked-in copies drift.

use std::io::Write;
use std::path::{Path, PathBuf};

use clap::CommandFactory;
use clap_complete::Shell;
use clap_mangen::roff::{Roff, bold, roman};

use crate::cli::Cli;
use crate::error::{Error, Result};
use crate::provider::PROVIDERS;

/// Worked examples, by command path. `--help` ends with them and the man
/// pages' EXAMPLES sections list them; the README mirrors them.
pub const EXAMPLES: &[(&str, &[(&str, &str)])] = &[
    (
        "",
        &[
            (
                "hcl chat \"Say hello\"",
                "One request through Helicone with the default provider.",
            ),
            (
                "hcl chat -P anthropic --cache -p env=ci \"Summarise: $(cat notes.txt)\"",
                "Cached, with a custom property.",
            ),
            ("hcl providers", "The provider table and the keys found."),
        ],
    ),
    (
        "chat",
        &[
            (
                "hcl chat \"What is Helicone?\"",
                "Ask, and print the answer.",
            ),
            (
                "echo \"Explain SSE\" | hcl chat -P anthropic --json",
                "Prompt from stdin; one JSON object out.",
            ),
            (
                "hcl chat --dry-run -P gemini -p team=search \"hi\"",
                "Show the exact request, secrets masked; send nothing.",
            ),
            (
                "hcl chat -c \"And in one sentence?\"",
                "Continue the latest conversation: same Helicone session, history resent.",
            ),
            (
                "hcl chat --session-name triage -P anthropic",
                "On a terminal: an interactive conversation (/help lists its commands).",
            ),
            (
                "hcl chat --batch evals.jsonl -j 32 --cache > results.jsonl",
                "Run a JSON Lines file concurrently; one result line per input line.",
            ),
        ],
    ),
    (
        "stream",
        &[
            (
                "hcl stream \"Write a haiku about caching\"",
                "Print the answer token by token as it arrives.",
            ),
            (
                "hcl stream -P anthropic --show-thinking --max-tokens 2000 \"Why is the sky blue?\"",
                "Show the model's reasoning on stderr while the answer streams to stdout.",
            ),
            (
                "hcl stream -v --cache -P gemini \"hi\" | tee answer.txt",
                "Cached; time to first token, tokens/s, cache status and Helicone id on stderr.",
            ),
        ],
    ),
    (
        "providers",
        &[
            (
                "hcl providers",
                "Routing, wire format and key source of every provider.",
            ),
            (
                "hcl providers --json | jq '.[] | select(.key_source != \"none\") | .name'",
                "The providers with a key.",
            ),
        ],
    ),
    (
        "log",
        &[
            ("hcl log list", "The last 20 exchanges."),
            (
                "hcl log show 3f2a | jq .response.usage",
                "One record, by id prefix.",
            ),
        ],
    ),
    (
        "log list",
        &[
            ("hcl log list", "The last 20 exchanges."),
            ("hcl log list -n 50 --json", "The last 50, as JSON Lines."),
            (
                "hcl log list --since 1d --provider anthropic --status error",
                "Yesterday's failed Anthropic requests.",
            ),
        ],
    ),
    (
        "log show",
        &[
            ("hcl log show 3f2a", "One record as pretty JSON."),
            ("hcl log show 3f2a | jq .response.usage", "Its token usage."),
            (
                "hcl log show --conversation 9c1e > chat.md",
                "A conversation's transcript as Markdown.",
            ),
        ],
    ),
    (
        "log conversations",
        &[
            (
                "hcl log conversations",
                "Recent conversations: id, turns, first prompt, provider, model.",
            ),
            (
                "hcl log conversations --all --json | jq -r 'select(.turns > 5) | .id'",
                "Every long conversation's id.",
            ),
            (
                "hcl chat --conversation \"$(hcl log conversations -n 1 --json | jq -r .id)\" \"Go on\"",
                "Continue a listed conversation.",
            ),
        ],
    ),
    (
        "log path",
        &[
            ("hcl log path", "Where the log is."),
            (
                "tail -f \"$(hcl log path)\"",
                "Watch exchanges as they are logged.",
            ),
        ],
    ),
    (
        "replay",
        &[
            (
                "hcl chat --cache \"Say hi\" && hcl replay --expect hit",
                "Prove the cache: the replay must be a HIT (exit 6 otherwise).",
            ),
            (
                "hcl replay --since 1h --property env=ci -j 8 --expect hit --junit replay.xml",
                "A CI check with a JUnit report.",
            ),
            (
                "hcl replay 3f2a --repeat 3 --json",
                "One record, three sends, as JSON.",
            ),
        ],
    ),
    (
        "log export",
        &[
            (
                "hcl log export --har hcl.har",
                "Every exchange as HAR 1.2, for browser devtools.",
            ),
            (
                "hcl log export --har - --since 1d --provider anthropic | jq '.log.entries | length'",
                "A day of Anthropic exchanges, to stdout.",
            ),
        ],
    ),
    (
        "auth",
        &[
            (
                "hcl auth set helicone",
                "Store the Helicone key in the OS keyring (hidden prompt).",
            ),
            ("hcl auth status", "Where each key was found."),
            ("hcl auth check", "Ask Helicone whether the key is valid."),
        ],
    ),
    (
        "auth set",
        &[
            ("hcl auth set helicone", "Hidden prompt."),
            (
                "pass show openai | hcl auth set openai",
                "From a pipe; one trailing newline is dropped.",
            ),
            (
                "hcl auth set anthropic < ~/.secrets/anthropic",
                "From a file.",
            ),
        ],
    ),
    (
        "auth delete",
        &[
            (
                "hcl auth delete openai",
                "Remove the OpenAI key from the keyring.",
            ),
            ("hcl auth delete helicone", "Remove the Helicone key."),
        ],
    ),
    (
        "auth status",
        &[
            ("hcl auth status", "A table: name, source, fingerprint."),
            (
                "hcl auth status --json | jq '.keys[] | select(.source != \"none\")'",
                "The keys that were found.",
            ),
        ],
    ),
    (
        "auth check",
        &[
            (
                "hcl auth check",
                "Verify the Helicone key (exit 5 when Helicone refuses it).",
            ),
            ("hcl auth check --json", "The verdict as JSON."),
            (
                "HCL_HELICONE_API_BASE=https://helicone.internal.example hcl auth check",
                "A self-hosted Helicone.",
            ),
        ],
    ),
    (
        "config",
        &[
            ("hcl config path", "Where the config file is."),
            (
                "hcl config show",
                "The effective settings and their sources.",
            ),
        ],
    ),
    (
        "config path",
        &[
            ("hcl config path", "Where the config file is."),
            ("$EDITOR \"$(hcl config path)\"", "Edit it."),
        ],
    ),
    (
        "config show",
        &[
            (
                "hcl config show",
                "Every effective setting and where it came from.",
            ),
            (
                "hcl config show --json | jq '.[] | select(.source == \"config\")'",
                "Only what the file sets.",
            ),
        ],
    ),
    (
        "completions",
        &[
            (
                "hcl completions bash > ~/.local/share/bash-completion/completions/hcl",
                "Install bash completion.",
            ),
            (
                "hcl completions zsh > \"${fpath[1]}/_hcl\"",
                "Install zsh completion.",
            ),
            (
                "hcl completions fish > ~/.config/fish/completions/hcl.fish",
                "Install fish completion.",
            ),
        ],
    ),
];

/// The examples of one command path ("" for hcl itself, "log list" …).
pub fn examples(path: &str) -> &'static [(&'static str, &'static str)] {
    EXAMPLES
        .iter()
        .find(|(p, _)| *p == path)
        .map(|(_, e)| *e)
        .unwrap_or(&[])
}

/// The `after_help` text of a command: its examples.
pub fn examples_help(path: &str) -> String {
    let mut out = String::from("Examples:\n");
    for (cmd, about) in examples(path) {
        out.push_str(&format!("  # {about}\n  {cmd}\n"));
    }
    out.trim_end().to_string()
}

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
        if p.uses_provider_key() {
            for var in p.key_env {
                env.push(((*var).to_string(), format!("The {} key.", p.about)));
            }
        }
    }
    for (var, about) in [
        (
            "AZURE_OPENAI_ENDPOINT",
            "The Azure resource origin (https://RESOURCE.openai.azure.com), sent as Helicone-OpenAI-Api-Base.",
        ),
        (
            "AZURE_OPENAI_API_VERSION",
            "The Azure API version (default 2024-10-21).",
        ),
        (
            "VERTEX_PROJECT, VERTEX_LOCATION",
            "The Vertex AI project and region.",
        ),
        (
            "HCL_BASE_URL_<PROVIDER>",
            "The Helicone base for one provider, e.g. HCL_BASE_URL_OPENAI=http://127.0.0.1:8787; upper case, - as _.",
        ),
        ("HCL_LOG", "The request log file."),
        ("HCL_CONFIG", "The config file."),
        ("HCL_NO_KEYRING", "1: never touch the OS keyring."),
        (
            "HCL_HELICONE_API_BASE",
            "The Helicone REST API base for hcl auth check (self-hosted installs).",
        ),
        (
            "HTTPS_PROXY, HTTP_PROXY, ALL_PROXY, NO_PROXY",
            "Proxy settings, honoured in either case.",
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
        "$HCL_CONFIG, else ~/.config/hcl/config.toml (Linux), ~/Library/Application Support/hcl/config.toml (macOS)",
        "The config file (TOML): default provider, model, properties, per-provider base URLs.",
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
    String::from_utf8(buf).map_err(|_| Error::Protocol("a man page is not UTF-8".into()))
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
    let mut cmd = Cli::command();
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

pub fn completion_script(shell: Shell) -> Result<String> {
    let mut cmd = Cli::command();
    let mut buf = Vec::new();
    clap_complete::generate(shell, &mut cmd, "hcl", &mut buf);
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
                "{name} ({path:?}) needs two or three examples in docs::EXAMPLES"
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
