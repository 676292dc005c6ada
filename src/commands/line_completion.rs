//! Tab completion in the interactive mode: slash commands, then model
//! names (cached and built-in, for the current provider), aliases and
//! `PROVIDER:` prefixes after `/model`, provider names after `/provider`,
//! `on`/`off` after `/cache`, paths after `/file` and `/save`. Model lists
//! are made when the session starts and when the provider changes: no
//! network at Tab.

use rustyline::completion::{Completer, Pair};
use rustyline::highlight::Highlighter;
use rustyline::hint::Hinter;
use rustyline::validate::Validator;
use rustyline::{Context, Helper};

/// The slash commands, in the order `/help` lists them.
pub const COMMANDS: &[&str] = &[
    "/model",
    "/provider",
    "/system",
    "/property",
    "/cache",
    "/file",
    "/retry",
    "/clear",
    "/save",
    "/id",
    "/help",
    "/exit",
];

#[derive(Debug, Default)]
pub struct LineHelper {
    /// Model ids of the current provider.
    pub models: Vec<String>,
    /// Alias names from the config file.
    pub aliases: Vec<String>,
    /// Every provider name.
    pub providers: Vec<String>,
}

impl LineHelper {
    /// What completes the word at `start..pos` of `line`, if anything does.
    fn candidates(&self, line: &str, pos: usize) -> (usize, Vec<String>) {
        let head = &line[..pos];
        if !head.starts_with('/') {
            return (0, Vec::new());
        }
        let Some((command, rest)) = head.split_once(' ') else {
            let found = COMMANDS
                .iter()
                .filter(|c| c.starts_with(head))
                .map(|c| format!("{c} "))
                .collect();
            return (0, found);
        };
        let start = command.len() + 1 + (rest.len() - rest.trim_start().len());
        let word = &head[start..];
        let pool: Vec<String> = match command {
            "/model" => self
                .aliases
                .iter()
                .cloned()
                .chain(self.models.iter().cloned())
                .chain(self.providers.iter().map(|p| format!("{p}:")))
                .collect(),
            "/provider" => self.providers.clone(),
            "/cache" => vec!["on".into(), "off".into()],
            _ => Vec::new(),
        };
        let mut found: Vec<String> = pool
            .into_iter()
            .filter(|c| c.starts_with(word) && c != word)
            .collect();
        found.dedup();
        (start, found)
    }
}

impl Completer for LineHelper {
    type Candidate = Pair;

    fn complete(
        &self,
        line: &str,
        pos: usize,
        ctx: &Context<'_>,
    ) -> rustyline::Result<(usize, Vec<Pair>)> {
        let head = &line[..pos];
        if head.starts_with("/file ") || head.starts_with("/save ") {
            return rustyline::completion::FilenameCompleter::new().complete(line, pos, ctx);
        }
        let (start, found) = self.candidates(line, pos);
        Ok((
            start,
            found
                .into_iter()
                .map(|c| Pair {
                    display: c.trim_end().to_string(),
                    replacement: c,
                })
                .collect(),
        ))
    }
}

impl Hinter for LineHelper {
    type Hint = String;
}

impl Highlighter for LineHelper {}

impl Validator for LineHelper {}

impl Helper for LineHelper {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn completes_commands_models_and_providers() {
        let h = LineHelper {
            models: vec!["claude-haiku-4-5".into(), "claude-opus-4-1".into()],
            aliases: vec!["fast".into()],
            providers: vec!["anthropic".into(), "groq".into()],
        };
        assert_eq!(h.candidates("/mo", 3), (0, vec!["/model ".to_string()]));
        assert_eq!(
            h.candidates("/model claude-h", 15),
            (7, vec!["claude-haiku-4-5".to_string()])
        );
        assert_eq!(h.candidates("/model gr", 9), (7, vec!["groq:".to_string()]));
        assert_eq!(h.candidates("/model f", 8), (7, vec!["fast".to_string()]));
        assert_eq!(
            h.candidates("/provider an", 12),
            (10, vec!["anthropic".to_string()])
        );
        assert_eq!(h.candidates("/cache o", 8).1, ["on", "off"]);
        assert!(h.candidates("hello /mo", 9).1.is_empty());
    }
}
