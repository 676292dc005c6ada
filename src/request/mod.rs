//! The request as a value. [`prepare`] is pure: provider row, chat input,
//! Helicone options and route in, [`PreparedRequest`] out, no I/O. Secrets are
//! not in it, only slots naming which key goes where; they are attached when
//! the request is sent, masked when it is shown or logged, and written as
//! `$ENV_VAR` references by `--curl`.

pub mod logged;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::helicone::HeliconeOptions;
use crate::provider::route::Values;
use crate::provider::{self, KeyStyle, PROVIDER_KEY_ROLE, Provider};
use crate::secrets::{FoundKey, HELICONE_KEY_NAME, HELICONE_KEY_VAR, Secret};
use crate::wire::{self, ChatInput, Framing, WireFormat};

/// Which key fills a secret header: the Helicone key, or one of the row's
/// keys by its role (`provider` for a row's one key, a slot's name for a
/// row with several). The log holds the word itself, so records written
/// before rows had several keys ("provider", "helicone") read the same.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum SecretRole {
    Helicone,
    Key(String),
}

impl SecretRole {
    /// The role of a row's one provider key.
    pub fn provider() -> SecretRole {
        SecretRole::Key(PROVIDER_KEY_ROLE.to_string())
    }

    pub fn as_str(&self) -> &str {
        match self {
            SecretRole::Helicone => HELICONE_KEY_NAME,
            SecretRole::Key(role) => role,
        }
    }
}

impl Serialize for SecretRole {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for SecretRole {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let word = String::deserialize(d)?;
        Ok(if word == HELICONE_KEY_NAME {
            SecretRole::Helicone
        } else {
            SecretRole::Key(word)
        })
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum HeaderValue {
    Plain(String),
    /// `prefix` + the key in `role`.
    Key {
        role: SecretRole,
        prefix: &'static str,
    },
    /// A secret the user gave with `-H` (e.g. their own `Authorization`).
    Literal(Secret),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Header {
    pub name: String,
    pub value: HeaderValue,
}

#[derive(Debug, Clone, PartialEq)]
pub struct PreparedRequest {
    pub method: &'static str,
    /// The URL without any `user:password@` (see [`split_userinfo`]): safe to
    /// show and to log.
    pub url: String,
    /// The `user:password` of a base URL that had one: a secret, put back
    /// only when the request is sent.
    pub userinfo: Option<Secret>,
    pub headers: Vec<Header>,
    /// Exactly the bytes sent: Helicone's cache key hashes the body text.
    pub body: String,
}

/// Take a URL's `user:password@` out: the URL without it, and it as a
/// secret. A URL that does not parse is returned as it is.
pub fn split_userinfo(url: &str) -> (String, Option<Secret>) {
    match reqwest::Url::parse(url) {
        Ok(mut u) if !u.username().is_empty() || u.password().is_some() => {
            let info = match u.password() {
                Some(p) => format!("{}:{p}", u.username()),
                None => u.username().to_string(),
            };
            let _ = u.set_username("");
            let _ = u.set_password(None);
            // Url adds a `/` to a bare origin; keep the text as it was given.
            let mut out = u.to_string();
            if !url.ends_with('/') && u.path() == "/" && u.query().is_none() {
                out.pop();
            }
            (out, Some(Secret::new(info)))
        }
        _ => (url.to_string(), None),
    }
}

/// A URL as it may be shown: any `user:password@` becomes `***@`.
pub fn redact_url(url: &str) -> String {
    match split_userinfo(url) {
        (bare, Some(_)) => with_hidden_userinfo(&bare),
        (bare, None) => bare,
    }
}

fn with_hidden_userinfo(bare: &str) -> String {
    match bare.split_once("://") {
        Some((scheme, rest)) => format!("{scheme}://***@{rest}"),
        None => bare.to_string(),
    }
}

/// The keys a request needs, found before it is prepared.
#[derive(Debug, Clone, Default)]
pub struct Credentials {
    pub helicone: Option<FoundKey>,
    /// The row's keys by role, in slot order. An optional slot with no
    /// value is absent.
    pub keys: Vec<(String, FoundKey)>,
}

impl Credentials {
    pub fn get(&self, role: &SecretRole) -> Option<&FoundKey> {
        match role {
            SecretRole::Helicone => self.helicone.as_ref(),
            SecretRole::Key(role) => self.key(role),
        }
    }

    /// The row's key in the slot `role`.
    pub fn key(&self, role: &str) -> Option<&FoundKey> {
        self.keys.iter().find(|(r, _)| r == role).map(|(_, k)| k)
    }

    /// The row's one provider key.
    #[cfg(test)]
    pub fn provider(&self) -> Option<&FoundKey> {
        self.key(PROVIDER_KEY_ROLE)
    }

    pub fn set(&mut self, role: &SecretRole, found: FoundKey) {
        match role {
            SecretRole::Helicone => self.helicone = Some(found),
            SecretRole::Key(role) => match self.keys.iter_mut().find(|(r, _)| r == role) {
                Some(slot) => slot.1 = found,
                None => self.keys.push((role.clone(), found)),
            },
        }
    }
}

/// Where a request goes: resolved from flags, environment and config.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Route {
    /// Scheme, host and optional path prefix; the API path is appended.
    pub base: String,
    pub direct: bool,
    /// The upstream origin named in the routing header, if the row has one.
    pub upstream: Option<String>,
    /// The row's route parameters (Vertex project and location, Azure
    /// endpoint and API version, the gateway's target and format).
    pub params: Values,
}

/// Everything [`prepare`] needs.
pub struct Spec<'a> {
    pub provider: &'static Provider,
    pub format: WireFormat,
    pub model: &'a str,
    pub input: &'a ChatInput,
    pub stream: bool,
    pub route: &'a Route,
    /// `None` with `--direct`.
    pub helicone: Option<&'a HeliconeOptions>,
    pub extra_headers: &'a [(String, String)],
    /// The keys found: an optional key slot gets its header only when it
    /// has a key.
    pub creds: &'a Credentials,
}

/// Header names whose values are secrets when a user passes them with `-H`.
/// That is every header the provider table sends a key in, plus Helicone's
/// and a proxy's.
pub fn is_secret_header(name: &str) -> bool {
    ["helicone-auth", "proxy-authorization"]
        .into_iter()
        .chain(provider::secret_header_names())
        .any(|n| name.eq_ignore_ascii_case(n))
}

/// The API path for this request, with its variables filled in.
pub fn api_path(spec: &Spec<'_>) -> String {
    spec.provider
        .api_path(spec.format, spec.model, &spec.route.params, spec.stream)
}

pub fn prepare(spec: &Spec<'_>) -> PreparedRequest {
    let provider = spec.provider;
    let body = wire::build_body(
        spec.format,
        spec.model,
        spec.input,
        spec.stream,
        provider.dialect(),
    );
    let url = format!(
        "{}{}",
        spec.route.base.trim_end_matches('/'),
        api_path(spec)
    );

    let mut headers: Vec<Header> = Vec::with_capacity(16);
    let plain = |headers: &mut Vec<Header>, name: &str, value: &str| {
        headers.push(Header {
            name: name.to_string(),
            value: HeaderValue::Plain(value.to_string()),
        })
    };
    plain(&mut headers, "Content-Type", "application/json");
    if spec.stream {
        plain(&mut headers, "Accept", spec.format.framing().accept());
    }
    if provider.key_style == KeyStyle::HeliconeBearer
        && let Some((name, prefix)) = provider.key_style.fixed_header()
    {
        headers.push(Header {
            name: name.to_string(),
            value: HeaderValue::Key {
                role: SecretRole::Helicone,
                prefix,
            },
        });
    }
    for slot in provider.key_slots(spec.format) {
        if slot.required || spec.creds.key(slot.role).is_some() {
            headers.push(Header {
                name: slot.header.to_string(),
                value: HeaderValue::Key {
                    role: SecretRole::Key(slot.role.to_string()),
                    prefix: slot.prefix,
                },
            });
        }
    }
    for (name, value) in spec.format.fixed_headers() {
        plain(&mut headers, name, value);
    }
    if let Some(opts) = spec.helicone.filter(|_| !spec.route.direct) {
        if provider.key_style != KeyStyle::HeliconeBearer {
            headers.push(Header {
                name: "Helicone-Auth".to_string(),
                value: HeaderValue::Key {
                    role: SecretRole::Helicone,
                    prefix: "Bearer ",
                },
            });
        }
        if let (Some(name), Some(origin)) = (provider.routing.header_name(), &spec.route.upstream) {
            plain(&mut headers, name, origin);
        }
        for (name, value) in opts.headers() {
            plain(&mut headers, &name, &value);
        }
    }
    for (name, value) in spec.extra_headers {
        headers.retain(|h| !h.name.eq_ignore_ascii_case(name));
        let value = if is_secret_header(name) {
            HeaderValue::Literal(Secret::new(value.clone()))
        } else {
            HeaderValue::Plain(value.clone())
        };
        headers.push(Header {
            name: name.clone(),
            value,
        });
    }
    let (url, userinfo) = split_userinfo(&url);
    PreparedRequest {
        method: "POST",
        url,
        userinfo,
        headers,
        body,
    }
}

/// The GET that lists a row's models, with `query` (a page token) added.
/// It carries the provider key and the row's routing and fixed headers, and
/// no `Helicone-Auth`: Helicone forwards it without logging it, so model
/// lists never fill the dashboard (docs/helicone.md §3.5). `None` for a row
/// without a list endpoint.
pub fn prepare_list(
    provider: &'static Provider,
    format: WireFormat,
    route: &Route,
    query: Option<(&str, &str)>,
) -> Option<PreparedRequest> {
    let list = provider.models.list?;
    let template = list.path.unwrap_or_else(|| format.models_path());
    let mut url = format!(
        "{}{}",
        route.base.trim_end_matches('/'),
        crate::provider::route::fill(template, None, &route.params, true)
    );
    if let Some((name, value)) = query {
        url.push(if url.contains('?') { '&' } else { '?' });
        url.push_str(name);
        url.push('=');
        url.push_str(&crate::provider::route::encode_segment(value));
    }
    let mut headers = Vec::new();
    for slot in provider.key_slots(format) {
        headers.push(Header {
            name: slot.header.to_string(),
            value: HeaderValue::Key {
                role: SecretRole::Key(slot.role.to_string()),
                prefix: slot.prefix,
            },
        });
    }
    for (name, value) in format.fixed_headers() {
        headers.push(Header {
            name: (*name).to_string(),
            value: HeaderValue::Plain((*value).to_string()),
        });
    }
    if !route.direct
        && let (Some(name), Some(origin)) = (provider.routing.header_name(), &route.upstream)
    {
        headers.push(Header {
            name: name.to_string(),
            value: HeaderValue::Plain(origin.clone()),
        });
    }
    let (url, userinfo) = split_userinfo(&url);
    Some(PreparedRequest {
        method: "GET",
        url,
        userinfo,
        headers,
        body: String::new(),
    })
}

impl PreparedRequest {
    /// The URL to show: `***@` where a `user:password@` is sent.
    pub fn shown_url(&self) -> String {
        match &self.userinfo {
            Some(_) => with_hidden_userinfo(&self.url),
            None => self.url.clone(),
        }
    }

    /// Headers with every secret shown as a fingerprint: for `--dry-run`,
    /// `--verbose` and the log.
    pub fn masked_headers(&self, creds: &Credentials) -> Vec<(String, String)> {
        self.headers
            .iter()
            .map(|h| {
                let v = match &h.value {
                    HeaderValue::Plain(v) => v.clone(),
                    HeaderValue::Key { role, prefix } => match creds.get(role) {
                        Some(k) => format!("{prefix}{}", k.secret.fingerprint()),
                        None => format!("{prefix}<missing>"),
                    },
                    HeaderValue::Literal(s) => s.fingerprint(),
                };
                (h.name.clone(), v)
            })
            .collect()
    }

    /// Which headers hold secrets, so a replay can attach fresh keys.
    pub fn secret_slots(&self) -> Vec<SecretSlot> {
        self.headers
            .iter()
            .filter_map(|h| match &h.value {
                HeaderValue::Key { role, prefix } => Some(SecretSlot {
                    header: h.name.clone(),
                    role: role.clone(),
                    prefix: (*prefix).to_string(),
                }),
                _ => None,
            })
            .collect()
    }

    /// A curl command line in which each key is a `$ENV_VAR` reference: the
    /// variable it was found in, else the one `vars` names for its role
    /// (a key from the keyring, the config file or a profile).
    pub fn to_curl(&self, creds: &Credentials, vars: &[(&str, &str)]) -> String {
        // -N: print a streamed answer as it arrives instead of buffering it;
        // `--output -`: a binary stream too, which curl otherwise refuses to
        // write to a terminal.
        let framing = self.headers.iter().find_map(|h| match &h.value {
            HeaderValue::Plain(v) if h.name.eq_ignore_ascii_case("accept") => Framing::of_accept(v),
            _ => None,
        });
        let mut out = format!(
            "curl -sS{}{} -X {} {}",
            if framing.is_some() { "N" } else { "" },
            if framing.is_some_and(Framing::is_binary) {
                " --output -"
            } else {
                ""
            },
            self.method,
            shell_quote(&self.url)
        );
        if let Some(info) = &self.userinfo {
            out.push_str(" \\\n  -u ");
            out.push_str(&shell_quote(&format!("<redacted {}>", info.fingerprint())));
        }
        for h in &self.headers {
            let line = match &h.value {
                HeaderValue::Plain(v) => shell_quote(&format!("{}: {v}", h.name)),
                HeaderValue::Key { role, prefix } => {
                    let var = creds
                        .get(role)
                        .and_then(|k| k.source.env_var().map(str::to_string))
                        .unwrap_or_else(|| match role {
                            SecretRole::Helicone => HELICONE_KEY_VAR.to_string(),
                            SecretRole::Key(r) => vars
                                .iter()
                                .find(|(role, _)| role == r)
                                .map_or("API_KEY", |(_, v)| v)
                                .to_string(),
                        });
                    // Double quotes so the shell expands the variable.
                    format!("\"{}: {prefix}${var}\"", h.name)
                }
                HeaderValue::Literal(s) => {
                    shell_quote(&format!("{}: <redacted {}>", h.name, s.fingerprint()))
                }
            };
            out.push_str(" \\\n  -H ");
            out.push_str(&line);
        }
        out.push_str(" \\\n  --data-raw ");
        out.push_str(&shell_quote(&self.body));
        out
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SecretSlot {
    pub header: String,
    pub role: SecretRole,
    pub prefix: String,
}

/// POSIX single-quoting.
pub fn shell_quote(s: &str) -> String {
    if !s.is_empty()
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-_./:=@,+%".contains(&b))
    {
        return s.to_string();
    }
    format!("'{}'", s.replace('\'', r"'\''"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::provider;
    use crate::secrets::KeySource;
    use crate::wire::{Message, Role};

    fn input() -> ChatInput {
        ChatInput {
            messages: vec![Message::text(Role::User, "hi")],
            ..Default::default()
        }
    }

    #[test]
    fn gemini_stream_path_and_no_key_in_url() {
        let p = provider::find("gemini").unwrap();
        let route = Route {
            base: "https://gateway.helicone.ai".into(),
            upstream: Some("https://generativelanguage.googleapis.com".into()),
            ..Default::default()
        };
        let opts = HeliconeOptions::default();
        let input = input();
        let spec = Spec {
            provider: p,
            format: WireFormat::Gemini,
            model: "models/gemini-2.0-flash",
            input: &input,
            stream: true,
            route: &route,
            helicone: Some(&opts),
            extra_headers: &[],
            creds: &Credentials::default(),
        };
        let req = prepare(&spec);
        assert_eq!(
            req.url,
            "https://gateway.helicone.ai/v1beta/models/gemini-2.0-flash:streamGenerateContent?alt=sse"
        );
        assert!(req.headers.iter().any(|h| h.name == "x-goog-api-key"));
        assert!(req.headers.iter().any(|h| h.name == "Helicone-Target-Url"));
    }

    #[test]
    fn direct_has_no_helicone_headers_and_curl_uses_env_refs() {
        let p = provider::find("openai").unwrap();
        let route = Route {
            base: "https://api.openai.com".into(),
            direct: true,
            ..Default::default()
        };
        let opts = HeliconeOptions {
            cache: true,
            ..Default::default()
        };
        let input = input();
        let spec = Spec {
            provider: p,
            format: WireFormat::OpenAi,
            model: "gpt-4o-mini",
            input: &input,
            stream: false,
            route: &route,
            helicone: Some(&opts),
            extra_headers: &[],
            creds: &Credentials::default(),
        };
        let req = prepare(&spec);
        assert!(!req.headers.iter().any(|h| h.name.starts_with("Helicone")));
        let mut creds = Credentials::default();
        creds.set(
            &SecretRole::provider(),
            FoundKey {
                secret: Secret::new("sk-live-secret"),
                source: KeySource::Env("OPENAI_API_KEY".into()),
            },
        );
        let curl = req.to_curl(&creds, &[]);
        assert!(curl.contains("\"Authorization: Bearer $OPENAI_API_KEY\""));
        assert!(!curl.contains("sk-live-secret"));
        let masked = req.masked_headers(&creds);
        assert!(masked.iter().all(|(_, v)| !v.contains("sk-live-secret")));
    }

    #[test]
    fn a_row_with_several_keys_sends_each_in_its_header() {
        let row = &provider::TEST_SLOTS_ROW;
        let route = Route {
            base: "https://slots.example".into(),
            ..Default::default()
        };
        let opts = HeliconeOptions::default();
        let input = input();
        let key = |v: &str, source: KeySource| FoundKey {
            secret: Secret::new(v),
            source,
        };
        let profile = KeySource::Profile {
            name: "dev".into(),
            file: "/h/.test/credentials".into(),
        };
        let mut creds = Credentials {
            helicone: Some(key(
                "sk-helicone-x",
                KeySource::Env("HELICONE_API_KEY".into()),
            )),
            keys: Vec::new(),
        };
        creds.set(
            &SecretRole::Key("slots-test-id".into()),
            key("ID-VALUE", KeySource::Env("TEST_KEY_ID".into())),
        );
        creds.set(
            &SecretRole::Key("slots-test-secret".into()),
            key("SECRET-VALUE", profile.clone()),
        );
        fn spec<'a>(
            input: &'a ChatInput,
            route: &'a Route,
            opts: &'a HeliconeOptions,
            creds: &'a Credentials,
        ) -> Spec<'a> {
            Spec {
                provider: &provider::TEST_SLOTS_ROW,
                format: WireFormat::OpenAi,
                model: "m",
                input,
                stream: false,
                route,
                helicone: Some(opts),
                extra_headers: &[],
                creds,
            }
        }
        // No session token: its optional header is left out.
        let req = prepare(&spec(&input, &route, &opts, &creds));
        let names: Vec<&str> = req.headers.iter().map(|h| h.name.as_str()).collect();
        assert_eq!(
            names,
            [
                "Content-Type",
                "x-test-id",
                "x-test-secret",
                "Helicone-Auth",
                "Helicone-Request-Id"
            ]
        );
        let masked = req.masked_headers(&creds);
        assert_eq!(masked[1].1, Secret::new("ID-VALUE").fingerprint());
        assert_eq!(
            masked[2].1,
            format!("Secret {}", Secret::new("SECRET-VALUE").fingerprint())
        );
        let curl = req.to_curl(&creds, &row.key_vars(WireFormat::OpenAi));
        assert!(curl.contains("\"x-test-id: $TEST_KEY_ID\""), "{curl}");
        assert!(
            curl.contains("\"x-test-secret: Secret $TEST_SECRET\""),
            "a key from a profile is shown by its first variable: {curl}"
        );
        assert!(!curl.contains("VALUE"), "{curl}");

        creds.set(
            &SecretRole::Key("slots-test-token".into()),
            key("TOKEN-VALUE", profile),
        );
        let req = prepare(&spec(&input, &route, &opts, &creds));
        assert_eq!(req.headers[3].name, "x-test-token");
        let slots = req.secret_slots();
        let json = serde_json::to_string(&slots).unwrap();
        assert!(
            json.contains(r#""role":"slots-test-token""#) && json.contains(r#""role":"helicone""#),
            "{json}"
        );
        let back: Vec<SecretSlot> = serde_json::from_str(&json).unwrap();
        assert_eq!(back, slots);
    }

    #[test]
    fn roles_in_old_logs_read_the_same() {
        let old = r#"[{"header":"Authorization","role":"provider","prefix":"Bearer "},{"header":"Helicone-Auth","role":"helicone","prefix":"Bearer "}]"#;
        let slots: Vec<SecretSlot> = serde_json::from_str(old).unwrap();
        assert_eq!(slots[0].role, SecretRole::provider());
        assert_eq!(slots[1].role, SecretRole::Helicone);
        assert_eq!(serde_json::to_string(&slots).unwrap(), old);
    }

    #[test]
    fn secret_headers_cover_every_key_header() {
        for h in [
            "Authorization",
            "x-api-key",
            "API-KEY",
            "x-goog-api-key",
            "Helicone-Auth",
            "Proxy-Authorization",
        ] {
            assert!(is_secret_header(h), "{h}");
        }
        assert!(!is_secret_header("Helicone-Property-App"));
    }

    #[test]
    fn userinfo_is_taken_out_of_the_url() {
        let (url, info) = split_userinfo("http://alice:s%40cret@127.0.0.1:8080/prefix");
        assert_eq!(url, "http://127.0.0.1:8080/prefix");
        assert_eq!(info.unwrap().expose(), "alice:s%40cret");
        let (url, info) = split_userinfo("https://token@host.example");
        assert_eq!(url, "https://host.example");
        assert_eq!(info.unwrap().expose(), "token");
        assert_eq!(
            split_userinfo("https://host.example/").0,
            "https://host.example/"
        );
        assert!(split_userinfo("https://host.example").1.is_none());
        assert_eq!(
            redact_url("http://u:pw@127.0.0.1:1/v1/x?y=1"),
            "http://***@127.0.0.1:1/v1/x?y=1"
        );
        assert_eq!(redact_url("not a url"), "not a url");
    }

    #[test]
    fn quoting() {
        assert_eq!(shell_quote("abc"), "abc");
        assert_eq!(shell_quote("it's"), r"'it'\''s'");
        assert_eq!(shell_quote(""), "''");
    }
}
