//! `hcl providers`: the provider table, with where each key was found.

use serde::Serialize;

use crate::cli::ProvidersArgs;
use crate::error::{ExitStatus, Result};
use crate::output::{self, Printer};
use crate::provider::{KeyStyle, PROVIDERS, Routing};
use crate::settings::{self, Env};

#[derive(Serialize)]
struct Row {
    name: &'static str,
    format: &'static str,
    helicone_base: String,
    routing_header: Option<String>,
    key_header: String,
    key_variables: Vec<&'static str>,
    key_source: String,
    key_fingerprint: Option<String>,
    default_model: Option<&'static str>,
    about: &'static str,
}

pub fn run(args: &ProvidersArgs, env: Env<'_>, printer: &Printer) -> Result<ExitStatus> {
    let config = super::load_config(env, printer)?;
    let rows: Vec<Row> = PROVIDERS
        .iter()
        .map(|p| {
            let found = settings::provider_key(p, env, &config);
            let var = format!("HCL_BASE_URL_{}", p.env_suffix());
            let base = env(&var)
                .filter(|v| !v.is_empty())
                .or_else(|| {
                    config
                        .provider_config(p.name)
                        .and_then(|c| c.base_url.clone())
                })
                .unwrap_or_else(|| p.helicone_base.to_string());
            let base = crate::request::redact_url(&base);
            let routing_header = p.routing.header_name().map(|h| match p.routing {
                Routing::TargetUrl(origin) => format!("{h}: {origin}"),
                Routing::VertexTarget => {
                    format!("{h}: https://$VERTEX_LOCATION-aiplatform.googleapis.com")
                }
                Routing::TargetUrlFlag => format!("{h}: --target-url"),
                Routing::AzureApiBase => format!("{h}: $AZURE_OPENAI_ENDPOINT"),
                Routing::Host => h.to_string(),
            });
            let format_name = p.format.map_or("--format", |f| f.name());
            let key_header = match p.key_style {
                KeyStyle::FormatDefault => "per --format".to_string(),
                KeyStyle::HeliconeBearer => "Authorization: Bearer $HELICONE_API_KEY".to_string(),
                style => style
                    .header(p.format.unwrap_or(crate::provider::WireFormat::OpenAi))
                    .map(|(h, prefix)| format!("{h}: {prefix}…"))
                    .unwrap_or_default(),
            };
            Row {
                name: p.name,
                format: format_name,
                helicone_base: base,
                routing_header,
                key_header,
                key_variables: if p.uses_provider_key() {
                    p.key_env.to_vec()
                } else {
                    vec!["HELICONE_API_KEY"]
                },
                key_source: found
                    .as_ref()
                    .map_or("none".to_string(), |k| k.source.label()),
                key_fingerprint: found.map(|k| k.secret.fingerprint()),
                default_model: p.default_model,
                about: p.about,
            }
        })
        .collect();
    if args.json {
        printer.json(&rows)?;
        return Ok(ExitStatus::Success);
    }
    let mut table = output::new_table(&[
        "provider",
        "format",
        "Helicone base",
        "routing header",
        "key",
        "key found",
        "default model",
    ]);
    for r in &rows {
        table.add_row(vec![
            r.name.to_string(),
            r.format.to_string(),
            r.helicone_base.clone(),
            r.routing_header.clone().unwrap_or_else(|| "—".into()),
            r.key_variables.join(" / "),
            match &r.key_fingerprint {
                Some(fp) => format!("{} {fp}", r.key_source),
                None => "none".to_string(),
            },
            r.default_model
                .unwrap_or(if r.format == "--format" {
                    "per --format"
                } else {
                    "(--model required)"
                })
                .to_string(),
        ]);
    }
    printer.table(&table)?;
    Ok(ExitStatus::Success)
}
