//! Everything a request still lacks, gathered over every resolve step so
//! that a user without configuration learns all they must set in one
//! message, with the providers whose keys are there suggested.

use crate::error::Error;
use crate::provider::{PROVIDERS, Provider};

/// Where a row's key was found (`env (VAR)`, `keyring`, `config`), if it was.
pub type KeySource<'a> = &'a mut dyn FnMut(&'static Provider) -> Option<String>;

/// The settings a request lacks, each with how to give it.
#[derive(Debug, Default)]
pub struct Missing {
    items: Vec<String>,
    /// The provider key is one of them: suggest rows whose keys are set.
    provider_key: bool,
}

impl Missing {
    pub fn add(&mut self, how: String) {
        if !self.items.contains(&how) {
            self.items.push(how);
        }
    }

    pub fn add_provider_key(&mut self, how: String) {
        self.provider_key = true;
        self.add(how);
    }

    /// One error naming every missing setting, or nothing when none is.
    pub fn check(self, row: &'static Provider, keys: KeySource<'_>) -> Result<(), Error> {
        if self.items.is_empty() {
            return Ok(());
        }
        let mut msg = if self.items.len() == 1 {
            self.items[0].clone()
        } else {
            let mut m = format!(
                "-P {} needs {} settings before anything can be sent:",
                row.name,
                self.items.len()
            );
            for item in &self.items {
                m.push_str("\n  - ");
                m.push_str(item);
            }
            m
        };
        if self.provider_key {
            msg.push_str(&suggestion(row, keys));
        }
        Err(Error::usage(msg))
    }
}

/// The rows other than `row` whose keys are set, as a hint to use one.
fn suggestion(row: &'static Provider, keys: KeySource<'_>) -> String {
    let found: Vec<(&'static str, String)> = PROVIDERS
        .iter()
        .filter(|p| p.name != row.name && p.uses_provider_key())
        .filter_map(|p| keys(p).map(|source| (p.name, source)))
        .collect();
    match found.as_slice() {
        [] => "\n`hcl providers` lists every provider and the key it reads; `hcl config init` writes a config file for the keys you have".to_string(),
        [(name, source)] => format!("\na key is set for {name} ({source}): try -P {name}"),
        many => format!(
            "\nkeys are set for {}: try -P {}",
            many.iter()
                .map(|(n, s)| format!("{n} ({s})"))
                .collect::<Vec<_>>()
                .join(", "),
            many[0].0
        ),
    }
}
