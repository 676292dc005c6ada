//! `hcl models`: the models each provider offers, live through Helicone
//! (cached for a day), else the cache, else the row's built-in list; with
//! the default model and the aliases of the config file.

use std::time::{Duration, SystemTime};

use serde::Serialize;

use crate::cli::ModelsArgs;
use crate::error::{Error, ExitStatus, Result};
use crate::models::{self, Cache, MAX_AGE};
use crate::output::{Col, Printer, Table, TableFormat};
use crate::provider::{self, PROVIDERS, Provider};
use crate::settings::{self, Config, Env, ListTarget, Resolver};

/// How long one list call may take.
const FETCH_TIMEOUT: Duration = Duration::from_secs(10);

#[derive(Serialize)]
struct Listing {
    provider: &'static str,
    /// `live`, `cache` or `built-in`.
    source: &'static str,
    /// Seconds since the list was fetched (cache and live).
    age_secs: Option<u64>,
    /// Why the live list could not be had.
    error: Option<String>,
    default_model: Option<&'static str>,
    models: Vec<String>,
}

#[derive(Serialize)]
struct Alias {
    alias: String,
    provider: Option<&'static str>,
    model: Option<String>,
}

#[derive(Serialize)]
struct Report {
    providers: Vec<Listing>,
    aliases: Vec<Alias>,
}

pub fn run(args: &ModelsArgs, env: Env<'_>, printer: &Printer) -> Result<ExitStatus> {
    let config = super::load_config(env, printer)?;
    let mut resolver = Resolver::new(env, &config, true);
    let rows: Vec<&'static Provider> = match &args.provider {
        Some(name) => vec![
            provider::find(name)
                .ok_or_else(|| Error::usage(format!("unknown provider '{name}'")))?,
        ],
        None => PROVIDERS.iter().filter(|p| resolver.has_key(p)).collect(),
    };
    if rows.is_empty() {
        return Err(Error::usage(
            "no provider key is set, so there is nothing to list; `hcl providers` shows each provider's key variable, and `hcl models -P NAME` a provider's built-in list",
        ));
    }
    let mut cache = Cache::load(env);
    let now = SystemTime::now();
    let targets: Vec<std::result::Result<ListTarget, String>> = rows
        .iter()
        .map(|row| resolver.list_target(row).map_err(|e| e.to_string()))
        .collect();
    // Fetch what is not fresh in the cache, every row at once.
    let stale: Vec<usize> = (0..rows.len())
        .filter(|&i| match &targets[i] {
            Ok(t) if rows[i].models.list.is_some() => {
                args.refresh
                    || cache
                        .get(&models::key(rows[i], Some(t)))
                        .is_none_or(|e| e.age(now) > MAX_AGE)
            }
            _ => false,
        })
        .collect();
    let fetched = fetch_all(&stale, &targets)?;
    let mut listings = Vec::new();
    for (i, row) in rows.iter().enumerate() {
        let target = targets[i].as_ref().ok();
        let key = models::key(row, target);
        let live = stale
            .iter()
            .position(|&s| s == i)
            .map(|n| fetched[n].clone());
        let listing = match (live, &targets[i]) {
            (Some(Ok(ids)), _) => {
                cache.put(key, ids.clone(), now);
                listing(row, "live", Some(0), None, ids)
            }
            (Some(Err(e)), _) => fallback(row, &cache, &key, now, Some(e)),
            (None, Err(e)) => fallback(row, &cache, &key, now, Some(e.clone())),
            (None, Ok(_)) if row.models.list.is_none() => fallback(
                row,
                &cache,
                &key,
                now,
                Some(format!("{} has no model-list endpoint", row.name)),
            ),
            (None, Ok(_)) => fallback(row, &cache, &key, now, None),
        };
        listings.push(listing);
    }
    if !stale.is_empty()
        && let Err(e) = cache.save()
    {
        printer.warn(&format!("{e}; the lists were not cached"));
    }
    let report = Report {
        aliases: aliases(&config),
        providers: listings,
    };
    print(&report, &config, args.format.resolve(), printer)
}

/// Fetch the lists of the rows at `which`, concurrently.
fn fetch_all(
    which: &[usize],
    targets: &[std::result::Result<ListTarget, String>],
) -> Result<Vec<std::result::Result<Vec<String>, String>>> {
    if which.is_empty() {
        return Ok(Vec::new());
    }
    let runtime = super::runtime()?;
    Ok(
        runtime.block_on(futures_util::future::join_all(which.iter().map(
            |&i| async move {
                match &targets[i] {
                    Ok(t) => models::fetch(t, FETCH_TIMEOUT).await,
                    Err(e) => Err(e.clone()),
                }
            },
        ))),
    )
}

fn listing(
    row: &'static Provider,
    source: &'static str,
    age_secs: Option<u64>,
    error: Option<String>,
    mut models: Vec<String>,
) -> Listing {
    if models.is_empty() && source != "built-in" {
        models = row
            .models
            .curated
            .iter()
            .map(|s| (*s).to_string())
            .collect();
    }
    Listing {
        provider: row.name,
        source,
        age_secs,
        error,
        default_model: row.default_model,
        models,
    }
}

/// The cache (of any age) when the live list is not to be had, else the
/// built-in list.
fn fallback(
    row: &'static Provider,
    cache: &Cache,
    key: &str,
    now: SystemTime,
    error: Option<String>,
) -> Listing {
    match cache.get(key) {
        Some(e) => listing(
            row,
            "cache",
            Some(e.age(now).as_secs()),
            error,
            e.ids.clone(),
        ),
        None => listing(
            row,
            "built-in",
            None,
            error,
            row.models
                .curated
                .iter()
                .map(|s| (*s).to_string())
                .collect(),
        ),
    }
}

fn aliases(config: &Config) -> Vec<Alias> {
    config
        .aliases
        .keys()
        .map(|name| {
            let (row, model) = settings::split_model(config, name).unwrap_or((None, None));
            let row = row.or_else(|| {
                model
                    .as_deref()
                    .and_then(|m| provider::family::rows_for_model(m).first().copied())
            });
            Alias {
                alias: name.clone(),
                provider: row.map(|r| r.name),
                model,
            }
        })
        .collect()
}

fn age_text(secs: u64) -> String {
    humantime::format_duration(Duration::from_secs(if secs >= 3600 {
        secs / 3600 * 3600
    } else {
        secs / 60 * 60
    }))
    .to_string()
}

fn print(
    report: &Report,
    config: &Config,
    format: TableFormat,
    printer: &Printer,
) -> Result<ExitStatus> {
    if format == TableFormat::Json {
        printer.json(report)?;
        return Ok(ExitStatus::Success);
    }
    let default_row = config.provider.as_deref().unwrap_or(provider::DEFAULT);
    let mut table = Table::new(vec![
        Col::fixed("provider", 1),
        Col::text("model", 0, 16),
        Col::text("notes", 2, 8),
    ]);
    for l in &report.providers {
        let mut ids = l.models.clone();
        if let Some(d) = l.default_model
            && !ids.iter().any(|m| m == d)
        {
            ids.insert(0, d.to_string());
        }
        for a in &report.aliases {
            if let Some(m) = &a.model
                && a.provider.unwrap_or(default_row) == l.provider
                && !ids.contains(m)
            {
                ids.push(m.clone());
            }
        }
        for id in ids {
            let mut notes = Vec::new();
            if l.default_model == Some(id.as_str()) {
                notes.push("default".to_string());
            }
            for a in &report.aliases {
                if a.model.as_deref() == Some(id.as_str())
                    && a.provider.unwrap_or(default_row) == l.provider
                {
                    notes.push(format!("alias {}", a.alias));
                }
            }
            table.row(vec![l.provider.to_string(), id, notes.join(", ")]);
        }
        let source = match (l.source, l.age_secs) {
            ("live", _) => "fetched now".to_string(),
            ("cache", Some(s)) => format!("cached {} ago", age_text(s)),
            _ => "built-in list".to_string(),
        };
        let why = l
            .error
            .as_ref()
            .map(|e| format!(" ({e})"))
            .unwrap_or_default();
        printer.note(&format!(
            "{}: {} models, {source}{why}",
            l.provider,
            l.models.len()
        ));
    }
    printer.table(&table, format)?;
    Ok(ExitStatus::Success)
}
