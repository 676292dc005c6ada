//! Route parameters as data: their values once resolved, the templates they
//! fill, and the checks each kind of value gets. Where a value comes from
//! (a flag, the environment, the config file) is the resolve step's
//! business; what it must look like and where it goes is the table's.

use crate::error::{Error, Result};
use crate::wire::WireFormat;

use super::{Param, ParamKind, Provider};

/// The resolved values of a row's route parameters, by name.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Values(Vec<(&'static str, String)>);

impl Values {
    pub fn set(&mut self, name: &'static str, value: String) {
        match self.0.iter_mut().find(|(n, _)| *n == name) {
            Some(slot) => slot.1 = value,
            None => self.0.push((name, value)),
        }
    }

    pub fn iter(&self) -> impl Iterator<Item = (&'static str, &str)> {
        self.0.iter().map(|(n, v)| (*n, v.as_str()))
    }
}

/// Percent-encode everything but RFC 3986's unreserved characters, for one
/// path segment or query value.
pub fn encode_segment(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// Fill `{model}` and `{param}` placeholders. In a path every value is
/// percent-encoded as a segment; in an origin (`https://{location}-…`) the
/// values were checked when they were resolved and go in as they are.
pub fn fill(template: &str, model: Option<&str>, values: &Values, in_path: bool) -> String {
    if !template.contains('{') {
        return template.to_string();
    }
    let put = |v: &str| {
        if in_path {
            encode_segment(v)
        } else {
            v.to_string()
        }
    };
    let mut out = template.to_string();
    if let Some(m) = model {
        out = out.replace("{model}", &put(m));
    }
    for (name, value) in values.iter() {
        out = out.replace(&format!("{{{name}}}"), &put(value));
    }
    out
}

impl Provider {
    /// The upstream origin the routing header names, once the parameters are
    /// known; `None` for a row routed by its Helicone host.
    pub fn upstream(&self, values: &Values) -> Option<String> {
        match self.routing {
            super::Routing::Host => None,
            super::Routing::Header { value, .. } => Some(fill(value, None, values, false)),
        }
    }

    /// The routing header as `hcl providers` shows it: each parameter by
    /// how a user gives it (`$VERTEX_LOCATION`, `--target-url`).
    pub fn routing_shown(&self) -> Option<String> {
        let super::Routing::Header { name, value } = self.routing else {
            return None;
        };
        let mut shown = Values::default();
        for p in self.params {
            let how = match (p.flag, p.env.first()) {
                (Some(flag), _) => flag.to_string(),
                (None, Some(var)) => format!("${var}"),
                (None, None) => format!("{{{}}}", p.name),
            };
            shown.set(p.name, how);
        }
        Some(format!("{name}: {}", fill(value, None, &shown, false)))
    }

    /// The wire format as `hcl providers` shows it: its name, or the flag
    /// that chooses it.
    pub fn format_shown(&self) -> String {
        match self.format {
            Some(f) => f.name().to_string(),
            None => self
                .params
                .iter()
                .find(|p| p.kind == ParamKind::Format)
                .and_then(|p| p.flag)
                .unwrap_or("?")
                .to_string(),
        }
    }

    /// The key header as `hcl providers` shows it.
    pub fn key_header_shown(&self) -> String {
        if let super::KeyStyle::Slots { slots, .. } = self.key_style {
            return slots
                .iter()
                .map(|s| {
                    let optional = if s.required { "" } else { " (optional)" };
                    format!("{}: {}…{optional}", s.header, s.prefix)
                })
                .collect::<Vec<_>>()
                .join(", ");
        }
        match (self.key_style, self.key_style.fixed_header()) {
            (super::KeyStyle::HeliconeBearer, Some((h, prefix))) => {
                format!("{h}: {prefix}${}", crate::secrets::HELICONE_KEY_VAR)
            }
            (_, Some((h, prefix))) => format!("{h}: {prefix}…"),
            (_, None) => format!("per {}", self.format_shown()),
        }
    }

    /// The API path of a request to `model`, streamed or not.
    pub fn api_path(
        &self,
        format: WireFormat,
        model: &str,
        values: &Values,
        stream: bool,
    ) -> String {
        let path = fill(
            self.path_template(format),
            Some(format.model_segment(model)),
            values,
            true,
        );
        if stream {
            format.stream_path(path)
        } else {
            path
        }
    }

    /// Where the API path starts in a URL this row built, after whatever
    /// base it was sent to: the literal start of the path template.
    pub fn api_path_start(&self, format: WireFormat, url: &str) -> Option<usize> {
        let authority = url.find("://")? + 3;
        let path = authority + url[authority..].find('/')?;
        let literal = self.path_template(format).split(['{', '?']).next()?;
        url[path..].find(literal).map(|i| path + i)
    }
}

impl Provider {
    /// The wire format of a request this row sent to `url`, for a record
    /// written before the log named formats (schema 1): the row's own, or
    /// for a row that speaks any, the one whose API path the URL holds.
    pub fn format_of_url(&self, url: &str) -> Option<WireFormat> {
        if let Some(f) = self.format {
            return Some(f);
        }
        WireFormat::GENERIC
            .into_iter()
            .filter_map(|f| self.api_path_start(f, url).map(|i| (i, f)))
            .min_by_key(|(i, _)| *i)
            .map(|(_, f)| f)
    }
}

impl Param {
    /// `VERTEX_LOCATION`, `--target-url`, or `location under
    /// [providers.vertex]`: how a user gives this value, for messages.
    pub fn how_to_give(&self, row: &str) -> String {
        match (self.flag, self.env) {
            (Some(flag), _) => format!("{flag} {}", self.name.to_ascii_uppercase()),
            (None, []) => format!("{} under [providers.{row}]", self.name),
            (None, vars) => vars.join(" or "),
        }
    }

    /// Check a value given for this parameter (`source` names where it came
    /// from) and return the value to use. Warnings are for values Helicone
    /// will change or refuse.
    pub fn check(
        &self,
        row: &Provider,
        source: &str,
        raw: &str,
        warnings: &mut Vec<String>,
    ) -> Result<String> {
        let raw = raw.trim();
        match self.kind {
            ParamKind::Text => Ok(raw.to_string()),
            ParamKind::Region => {
                if raw.is_empty() || !raw.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-') {
                    return Err(Error::usage(format!(
                        "{source} '{raw}' is not {}",
                        self.about
                    )));
                }
                Ok(raw.to_string())
            }
            ParamKind::Format => WireFormat::generic_from_name(raw)
                .map(|f| f.name().to_string())
                .ok_or_else(|| {
                    Error::usage(format!(
                        "{source} '{raw}' is not {}",
                        WireFormat::names(", ")
                    ))
                }),
            ParamKind::Origin { approved } => {
                let origin = check_origin(source, raw, warnings)?;
                if !approved.is_empty() && !is_approved(&origin, approved) {
                    warnings.push(format!(
                        "Helicone only proxies -P {} to approved hosts ({}); {origin} will likely be refused with 'Invalid API base'",
                        row.name,
                        approved
                            .iter()
                            .map(|s| format!("*{s}"))
                            .collect::<Vec<_>>()
                            .join(", ")
                    ));
                }
                Ok(origin)
            }
        }
    }
}

/// An origin for a routing header. Helicone keeps only the origin of
/// `Helicone-Target-Url` and `Helicone-OpenAI-Api-Base`, so a path would be
/// silently dropped: drop it here, and say so.
fn check_origin(what: &str, raw: &str, warnings: &mut Vec<String>) -> Result<String> {
    let url = reqwest::Url::parse(raw).map_err(|e| {
        Error::usage(format!(
            "{what} '{raw}' is not a URL ({e}); give an origin such as https://api.example.com"
        ))
    })?;
    if !matches!(url.scheme(), "http" | "https") || url.host_str().is_none() {
        return Err(Error::usage(format!(
            "{what} '{raw}' must be an http:// or https:// origin"
        )));
    }
    let origin = url.origin().ascii_serialization();
    if url.path() != "/" || url.query().is_some() {
        warnings.push(format!(
            "{what} '{raw}' has a path; Helicone keeps only the origin, so hcl sends {origin}"
        ));
    }
    Ok(origin)
}

/// A host under one of `suffixes`, or the loopback host a test or a local
/// gateway uses.
fn is_approved(origin: &str, suffixes: &[&str]) -> bool {
    let host = reqwest::Url::parse(origin)
        .ok()
        .and_then(|u| u.host_str().map(str::to_string))
        .unwrap_or_default();
    suffixes.iter().any(|s| host.ends_with(s)) || host == "127.0.0.1" || host == "localhost"
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::provider::find;

    #[test]
    fn paths_fill_and_encode() {
        let vertex = find("vertex").unwrap();
        let mut v = Values::default();
        v.set("project", "my proj".into());
        v.set("location", "us-central1".into());
        assert_eq!(
            vertex.api_path(WireFormat::Gemini, "models/gemini-2.0-flash", &v, true),
            "/v1/projects/my%20proj/locations/us-central1/publishers/google/models/gemini-2.0-flash:streamGenerateContent?alt=sse"
        );
        assert_eq!(
            vertex.upstream(&v).as_deref(),
            Some("https://us-central1-aiplatform.googleapis.com")
        );
        let openai = find("openai").unwrap();
        assert_eq!(
            openai.api_path(WireFormat::OpenAi, "a/b:c", &Values::default(), false),
            "/v1/chat/completions"
        );
    }

    #[test]
    fn the_api_path_is_found_after_a_base_prefix() {
        let groq = find("groq").unwrap();
        let url = "http://127.0.0.1:9/prefix/openai/v1/chat/completions";
        let start = groq.api_path_start(WireFormat::OpenAi, url).unwrap();
        assert_eq!(&url[start..], "/openai/v1/chat/completions");
        let gemini = find("gemini").unwrap();
        let url = "https://gateway.helicone.ai/v1beta/models/x:generateContent";
        let start = gemini.api_path_start(WireFormat::Gemini, url).unwrap();
        assert_eq!(&url[..start], "https://gateway.helicone.ai");
        let gateway = find("gateway").unwrap();
        let url = "http://127.0.0.1:9/gateway/v1/messages";
        assert_eq!(gateway.format_of_url(url), Some(WireFormat::Anthropic));
        let start = gateway.api_path_start(WireFormat::Anthropic, url).unwrap();
        assert_eq!(&url[..start], "http://127.0.0.1:9/gateway");
    }

    #[test]
    fn checks_by_kind() {
        let azure = find("azure").unwrap();
        let endpoint = azure.param("endpoint").unwrap();
        let mut w = Vec::new();
        assert_eq!(
            endpoint
                .check(
                    azure,
                    "AZURE_OPENAI_ENDPOINT",
                    "https://x.openai.azure.com/",
                    &mut w
                )
                .unwrap(),
            "https://x.openai.azure.com"
        );
        assert!(w.is_empty(), "{w:?}");
        endpoint
            .check(azure, "E", "https://evil.example/path", &mut w)
            .unwrap();
        assert_eq!(w.len(), 2, "a path and an unapproved host: {w:?}");
        let vertex = find("vertex").unwrap();
        let location = vertex.param("location").unwrap();
        assert!(location.check(vertex, "L", "us/central", &mut w).is_err());
        let gateway = find("gateway").unwrap();
        let format = gateway.param("format").unwrap();
        assert_eq!(
            format.check(gateway, "F", "Anthropic", &mut w).unwrap(),
            "anthropic"
        );
        assert!(format.check(gateway, "F", "soap", &mut w).is_err());
    }
}
