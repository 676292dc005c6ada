//! `hcl providers`: the provider table, with where each key was found.

use serde::Serialize;

use crate::cli::ProvidersArgs;
use crate::error::{ExitStatus, Result};
use crate::output::{Col, Printer, Table, TableFormat};
use crate::provider::PROVIDERS;
use crate::provider::route::Values;
use crate::secrets::HELICONE_KEY_VAR;
use crate::settings::{self, Env, RowKeys};

#[derive(Serialize)]
struct Row {
    name: &'static str,
    format: String,
    #[serde(skip)]
    model_shown: String,
    helicone_base: String,
    routing_header: Option<String>,
    key_header: String,
    /// Every variable of every key the row takes, in lookup order.
    key_variables: Vec<&'static str>,
    /// Where the row's keys were found (all in one place), or `none`.
    key_source: String,
    /// The first key's fingerprint.
    key_fingerprint: Option<String>,
    /// Each key the row's requests carry besides the Helicone key.
    keys: Vec<KeyRow>,
    default_model: Option<&'static str>,
    about: &'static str,
}

#[derive(Serialize)]
struct KeyRow {
    /// The keyring entry (`hcl auth set NAME`).
    name: &'static str,
    header: &'static str,
    variables: &'static [&'static str],
    required: bool,
    source: Option<String>,
    fingerprint: Option<String>,
}

pub fn run(args: &ProvidersArgs, env: Env<'_>, printer: &Printer) -> Result<ExitStatus> {
    let config = super::load_config(env, printer)?;
    let rows: Vec<Row> = PROVIDERS
        .iter()
        .map(|p| {
            let found = settings::provider_key(p, env, &config);
            let row_keys = settings::row_keys_of(p, env, &config);
            let keys: Vec<KeyRow> = p
                .key_slots(p.any_format())
                .into_iter()
                .map(|s| {
                    let k = match &row_keys {
                        RowKeys::Found(keys) => keys.iter().find(|(r, _)| *r == s.role),
                        _ => None,
                    };
                    KeyRow {
                        name: s.keyring,
                        header: s.header,
                        variables: s.env,
                        required: s.required,
                        source: k.map(|(_, k)| k.source.label()),
                        fingerprint: k.map(|(_, k)| k.secret.fingerprint()),
                    }
                })
                .collect();
            let (base, _) = settings::base_url(p, None, env, &config, &Values::default());
            let base = crate::request::redact_url(&base);
            let routing_header = p.routing_shown();
            let format_name = p.format_shown();
            let key_header = p.key_header_shown();
            Row {
                name: p.name,
                format: format_name,
                helicone_base: base,
                routing_header,
                key_header,
                key_variables: if p.uses_provider_key() {
                    keys.iter()
                        .flat_map(|k| k.variables.iter().copied())
                        .collect()
                } else {
                    vec![HELICONE_KEY_VAR]
                },
                keys,
                key_source: found
                    .as_ref()
                    .map_or("none".to_string(), |k| k.source.label()),
                key_fingerprint: found.map(|k| k.secret.fingerprint()),
                default_model: p.default_model,
                model_shown: match (p.default_model, p.format) {
                    (Some(m), _) => m.to_string(),
                    (None, None) => format!("per {}", p.format_shown()),
                    (None, Some(_)) => "(--model required)".to_string(),
                },
                about: p.about,
            }
        })
        .collect();
    let format = args.format.resolve();
    if format == TableFormat::Json {
        printer.json(&rows)?;
        return Ok(ExitStatus::Success);
    }
    // Dropped first when the terminal is narrow: the routing details, then
    // the base, the format and the key's variables.
    let mut table = Table::new(vec![
        Col::keep("provider"),
        Col::fixed("format", 4),
        Col::text("Helicone base", 5, 24),
        Col::text("routing header", 6, 24),
        Col::text("key", 3, 14),
        Col::text("key found", 1, 12),
        Col::text("default model", 2, 20),
    ]);
    for r in &rows {
        table.row(vec![
            r.name.to_string(),
            r.format.clone(),
            r.helicone_base.clone(),
            r.routing_header.clone().unwrap_or_else(|| "—".into()),
            r.key_variables.join(" / "),
            match &r.key_fingerprint {
                // `env (OPENAI_API_KEY)`: the variable is in the key column.
                Some(fp) => format!("{} {fp}", r.key_source.split(" (").next().unwrap_or("")),
                None => "none".to_string(),
            },
            r.model_shown.clone(),
        ]);
    }
    printer.table(&table, format)?;
    Ok(ExitStatus::Success)
}
