//! Shell completion at Tab, answered by hcl itself: the shell's script (from
//! `hcl completions SHELL`) runs `COMPLETE=SHELL hcl -- WORDS…`, and hcl
//! prints the candidates. Beyond what the command line declares, `-m`
//! offers the models of the provider `-P` names (fetched before, else
//! built-in), the aliases of the config file and `PROVIDER:` prefixes,
//! `--conversation` the latest conversation ids, and `-t`/`--template` (and
//! `hcl templates show|edit`) the saved templates. Only local files are read:
//! no network at Tab.

use clap::CommandFactory;
use clap_complete::engine::{ArgValueCandidates, CompletionCandidate};

use crate::cli::Cli;
use crate::models;
use crate::provider::{self, PROVIDERS};

/// The variable that asks hcl for completions instead of running.
pub const VAR: &str = "COMPLETE";

/// When the shell asks for completions, answer and exit; otherwise return.
pub fn answer_if_asked() {
    clap_complete::CompleteEnv::with_factory(command)
        .var(VAR)
        .complete();
}

/// The command line with its value completers attached.
pub fn command() -> clap::Command {
    let with_values = |c: clap::Command| {
        let c = c.mut_arg("model", |a| {
            a.add(ArgValueCandidates::new(model_candidates))
        });
        if c.get_arguments().any(|a| a.get_id() == "conversation") {
            c.mut_arg("conversation", |a| {
                a.add(ArgValueCandidates::new(conversation_candidates))
            })
        } else {
            c
        }
    };
    let templates = |c: clap::Command| {
        c.mut_arg("template", |a| {
            a.add(ArgValueCandidates::new(template_candidates))
        })
    };
    let template_name = |c: clap::Command| {
        c.mut_arg("name", |a| {
            a.add(ArgValueCandidates::new(template_candidates))
        })
    };
    Cli::command()
        .mut_subcommand("chat", |c| templates(with_values(c)))
        .mut_subcommand("stream", |c| templates(with_values(c)))
        .mut_subcommand("templates", |t| {
            t.mut_subcommand("show", template_name)
                .mut_subcommand("edit", template_name)
        })
        .mut_subcommand("replay", with_values)
        .mut_subcommand("log", |log| {
            log.mut_subcommand("list", with_values)
                .mut_subcommand("export", with_values)
        })
}

/// The value of `-P`/`--provider` on the command line being completed.
fn provider_given(words: &[String]) -> Option<&'static provider::Provider> {
    let mut it = words.iter();
    while let Some(w) = it.next() {
        let value = match w.as_str() {
            "-P" | "--provider" => it.next().map(String::as_str),
            _ => w
                .strip_prefix("--provider=")
                .or_else(|| w.strip_prefix("-P").filter(|v| !v.is_empty())),
        };
        if let Some(p) = value.and_then(provider::find) {
            return Some(p);
        }
    }
    None
}

fn env(name: &str) -> Option<String> {
    std::env::var(name).ok()
}

/// Aliases, the given provider's models (or every provider's built-in
/// list), and `PROVIDER:` prefixes.
fn model_candidates() -> Vec<CompletionCandidate> {
    let words: Vec<String> = std::env::args().collect();
    let config = crate::settings::load_config(&env)
        .map(|(c, _)| c)
        .unwrap_or_default();
    let cache = models::Cache::load(&env);
    let mut out: Vec<CompletionCandidate> = config
        .aliases
        .iter()
        .map(|(name, target)| {
            CompletionCandidate::new(name).help(Some(format!("alias of {target}").into()))
        })
        .collect();
    let rows: Vec<&'static provider::Provider> = match provider_given(&words) {
        Some(p) => vec![p],
        None => PROVIDERS.iter().collect(),
    };
    for row in &rows {
        for id in models::known(row, &cache) {
            out.push(CompletionCandidate::new(id).help(Some(row.name.into())));
        }
    }
    if rows.len() > 1 {
        out.extend(
            PROVIDERS
                .iter()
                .map(|p| CompletionCandidate::new(format!("{}:", p.name))),
        );
    }
    out
}

/// The saved templates' names: the `.toml` files of the templates directory.
fn template_candidates() -> Vec<CompletionCandidate> {
    let Ok(dir) = crate::settings::templates_dir() else {
        return Vec::new();
    };
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut names: Vec<String> = entries
        .flatten()
        .filter_map(|e| {
            let p = e.path();
            (p.extension().is_some_and(|x| x == "toml"))
                .then(|| p.file_stem().map(|s| s.to_string_lossy().into_owned()))
                .flatten()
        })
        .collect();
    names.sort();
    names.into_iter().map(CompletionCandidate::new).collect()
}

/// The ids of the 50 most recently active conversations, newest first.
fn conversation_candidates() -> Vec<CompletionCandidate> {
    let Ok(path) = crate::log::default_path(&env) else {
        return Vec::new();
    };
    let Ok((list, _)) = crate::conversation::list(&path) else {
        return Vec::new();
    };
    list.iter()
        .rev()
        .take(50)
        .map(|c| {
            CompletionCandidate::new(c.id.clone())
                .help(Some(crate::wire::one_line(&c.first_prompt).into()))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_provider_is_read_from_the_words() {
        let words = |s: &str| s.split(' ').map(str::to_string).collect::<Vec<_>>();
        assert_eq!(
            provider_given(&words("hcl chat -P groq -m")).map(|p| p.name),
            Some("groq")
        );
        assert_eq!(
            provider_given(&words("hcl chat --provider=xai -m")).map(|p| p.name),
            Some("xai")
        );
        assert_eq!(
            provider_given(&words("hcl chat -Panthropic -m")).map(|p| p.name),
            Some("anthropic")
        );
        assert!(provider_given(&words("hcl chat -m")).is_none());
    }
}
