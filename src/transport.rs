//! Sending a [`PreparedRequest`]: the reqwest client (rustls, HTTP/2, proxy
//! variables, timeouts), timing, and naming the network layer that failed.

use std::net::IpAddr;
use std::path::Path;
use std::time::{Duration, Instant};

use reqwest::header::{HeaderMap, HeaderName, HeaderValue as ReqHeaderValue};

use crate::error::{Error, NetLayer, Result};
use crate::request::{Credentials, HeaderValue, PreparedRequest};

pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(600);
pub const DEFAULT_IDLE_TIMEOUT: Duration = Duration::from_secs(60);

#[derive(Debug, Clone)]
pub struct NetOptions {
    pub connect_timeout: Duration,
    pub timeout: Duration,
    /// The longest silence allowed mid-stream.
    pub idle_timeout: Duration,
    pub cacert: Option<std::path::PathBuf>,
}

impl Default for NetOptions {
    fn default() -> Self {
        NetOptions {
            connect_timeout: DEFAULT_CONNECT_TIMEOUT,
            timeout: DEFAULT_TIMEOUT,
            idle_timeout: DEFAULT_IDLE_TIMEOUT,
            cacert: None,
        }
    }
}

/// Proxy settings from `HTTPS_PROXY`, `HTTP_PROXY`, `ALL_PROXY` and
/// `NO_PROXY` (either case). hcl resolves them itself, rather than leaving it
/// to reqwest, so that an error can say the proxy was the layer that failed.
#[derive(Debug, Clone, Default)]
pub struct ProxyConfig {
    https: Option<String>,
    http: Option<String>,
    all: Option<String>,
    no_proxy: Vec<String>,
}

impl ProxyConfig {
    pub fn from_env(env: &dyn Fn(&str) -> Option<String>) -> Self {
        let get = |upper: &str| {
            env(upper)
                .or_else(|| env(&upper.to_ascii_lowercase()))
                .filter(|v| !v.trim().is_empty())
        };
        ProxyConfig {
            https: get("HTTPS_PROXY"),
            http: get("HTTP_PROXY"),
            all: get("ALL_PROXY"),
            no_proxy: get("NO_PROXY")
                .map(|v| {
                    v.split(',')
                        .map(|s| s.trim().to_ascii_lowercase())
                        .filter(|s| !s.is_empty())
                        .collect()
                })
                .unwrap_or_default(),
        }
    }

    fn bypassed(&self, host: &str) -> bool {
        let host = host
            .trim_start_matches('[')
            .trim_end_matches(']')
            .to_ascii_lowercase();
        let ip = host.parse::<IpAddr>().ok();
        self.no_proxy
            .iter()
            .any(|entry| no_proxy_matches(entry, &host, ip))
    }

    /// The proxy URL for a request URL, if one applies.
    pub fn for_url(&self, url: &reqwest::Url) -> Option<String> {
        let host = url.host_str()?;
        if self.bypassed(host) {
            return None;
        }
        let by_scheme = match url.scheme() {
            "https" => self.https.clone(),
            "http" => self.http.clone(),
            _ => None,
        };
        by_scheme.or_else(|| self.all.clone())
    }
}

/// One `NO_PROXY` entry: `*`, an IP address, a CIDR range (`10.0.0.0/8`,
/// `fd00::/8`), or a domain (`example.com` and `.example.com` both match the
/// domain and its subdomains), with an optional `:port`.
fn no_proxy_matches(entry: &str, host: &str, ip: Option<IpAddr>) -> bool {
    if entry == "*" {
        return true;
    }
    if let Some((net, bits)) = entry.split_once('/') {
        return match (net.parse::<IpAddr>(), bits.parse::<u32>(), ip) {
            (Ok(net), Ok(bits), Some(ip)) => in_cidr(ip, net, bits),
            _ => false,
        };
    }
    let unbracketed = entry.trim_start_matches('[').trim_end_matches(']');
    if let Ok(entry_ip) = unbracketed.parse::<IpAddr>() {
        return Some(entry_ip) == ip;
    }
    let name = match entry.rsplit_once(':') {
        Some((h, port)) if port.bytes().all(|b| b.is_ascii_digit()) => h,
        _ => entry,
    };
    let name = name.trim_start_matches('[').trim_end_matches(']');
    if let Ok(entry_ip) = name.parse::<IpAddr>() {
        return Some(entry_ip) == ip;
    }
    let bare = name.trim_start_matches("*.").trim_start_matches('.');
    !bare.is_empty() && (host == bare || host.ends_with(&format!(".{bare}")))
}

fn in_cidr(ip: IpAddr, net: IpAddr, bits: u32) -> bool {
    match (ip, net) {
        (IpAddr::V4(a), IpAddr::V4(n)) if bits <= 32 => {
            let mask = u32::MAX.checked_shl(32 - bits).unwrap_or(0);
            u32::from(a) & mask == u32::from(n) & mask
        }
        (IpAddr::V6(a), IpAddr::V6(n)) if bits <= 128 => {
            let mask = u128::MAX.checked_shl(128 - bits).unwrap_or(0);
            u128::from(a) & mask == u128::from(n) & mask
        }
        _ => false,
    }
}

pub struct Client {
    inner: reqwest::Client,
    proxy: ProxyConfig,
    idle_timeout: Duration,
}

impl Client {
    pub fn new(options: NetOptions, proxy: ProxyConfig) -> Result<Client> {
        let mut builder = reqwest::Client::builder()
            .user_agent(concat!("hcl/", env!("CARGO_PKG_VERSION")))
            .connect_timeout(options.connect_timeout)
            .timeout(options.timeout)
            .no_proxy();
        let for_closure = proxy.clone();
        builder = builder.proxy(reqwest::Proxy::custom(move |url| for_closure.for_url(url)));
        if let Some(path) = &options.cacert {
            for cert in load_certs(path)? {
                builder = builder.add_root_certificate(cert);
            }
        }
        let inner = builder
            .build()
            .map_err(|e| Error::usage(format!("could not set up the HTTP client: {e}")))?;
        Ok(Client {
            inner,
            proxy,
            idle_timeout: options.idle_timeout,
        })
    }

    /// The longest silence allowed between two chunks of a streamed body.
    pub fn idle_timeout(&self) -> Duration {
        self.idle_timeout
    }

    /// Build the reqwest request, attaching the real secrets.
    fn build(&self, req: &PreparedRequest, creds: &Credentials) -> Result<reqwest::Request> {
        let mut headers = HeaderMap::with_capacity(req.headers.len());
        for h in &req.headers {
            let value = match &h.value {
                HeaderValue::Plain(v) => v.clone(),
                HeaderValue::Key { role, prefix } => match creds.get(role) {
                    Some(k) => format!("{prefix}{}", k.secret.expose()),
                    None => continue,
                },
                HeaderValue::Literal(s) => s.expose().to_string(),
            };
            let name = HeaderName::from_bytes(h.name.as_bytes())
                .map_err(|_| Error::usage(format!("'{}' is not a valid header name", h.name)))?;
            let mut value = ReqHeaderValue::from_bytes(value.as_bytes()).map_err(|_| {
                // Never echo the value: it may be a key.
                Error::usage(format!(
                    "the value of header '{}' is not a valid header value",
                    h.name
                ))
            })?;
            if !matches!(h.value, HeaderValue::Plain(_)) {
                value.set_sensitive(true);
            }
            headers.append(name, value);
        }
        let mut url = reqwest::Url::parse(&req.url)
            .map_err(|e| Error::usage(format!("invalid URL '{}': {e}", req.url)))?;
        if let Some(info) = &req.userinfo {
            // reqwest sends it as Basic authorization.
            let (user, password) = match info.expose().split_once(':') {
                Some((u, p)) => (u, Some(p)),
                None => (info.expose(), None),
            };
            let set = url
                .set_username(user)
                .and_then(|()| url.set_password(password));
            if set.is_err() {
                return Err(Error::usage(format!(
                    "cannot put the user and password back into {}",
                    req.shown_url()
                )));
            }
        }
        let method = reqwest::Method::from_bytes(req.method.as_bytes())
            .map_err(|_| Error::usage(format!("invalid method {}", req.method)))?;
        self.inner
            .request(method, url)
            .headers(headers)
            .body(req.body.clone())
            .build()
            .map_err(|e| Error::usage(format!("could not build the request: {e}")))
    }

    /// Send and wait for the response headers.
    pub async fn send(&self, req: &PreparedRequest, creds: &Credentials) -> Result<Started> {
        let request = self.build(req, creds)?;
        let started = Instant::now();
        let response = self
            .inner
            .execute(request)
            .await
            .map_err(|e| self.classify(&e, &req.url))?;
        Ok(Started {
            ttfb: started.elapsed(),
            started,
            status: response.status().as_u16(),
            headers: response.headers().clone(),
            response,
        })
    }

    /// Send and read the whole body.
    pub async fn send_full(&self, req: &PreparedRequest, creds: &Credentials) -> Result<Exchange> {
        let started = self.send(req, creds).await?;
        let url = req.url.clone();
        let Started {
            started: t0,
            ttfb,
            status,
            headers,
            response,
        } = started;
        let body = response
            .bytes()
            .await
            .map_err(|e| self.classify(&e, &url))?;
        Ok(Exchange {
            status,
            headers,
            body: body.to_vec(),
            latency: t0.elapsed(),
            ttfb,
        })
    }

    /// Name the layer that failed: DNS, connect, TLS, proxy or timeout.
    pub fn classify(&self, err: &reqwest::Error, url: &str) -> Error {
        let via_proxy = reqwest::Url::parse(url)
            .ok()
            .and_then(|u| self.proxy.for_url(&u));
        classify(err, url, via_proxy.as_deref())
    }
}

/// Response headers are in; the body is still coming.
pub struct Started {
    pub started: Instant,
    pub ttfb: Duration,
    pub status: u16,
    pub headers: HeaderMap,
    pub response: reqwest::Response,
}

/// A complete exchange.
pub struct Exchange {
    pub status: u16,
    pub headers: HeaderMap,
    pub body: Vec<u8>,
    pub latency: Duration,
    pub ttfb: Duration,
}

fn load_certs(path: &Path) -> Result<Vec<reqwest::Certificate>> {
    let pem = std::fs::read(path)
        .map_err(|e| Error::usage(format!("cannot read --cacert {}: {e}", path.display())))?;
    let certs = reqwest::Certificate::from_pem_bundle(&pem).map_err(|e| {
        Error::usage(format!(
            "--cacert {} is not a PEM certificate: {e}",
            path.display()
        ))
    })?;
    if certs.is_empty() {
        return Err(Error::usage(format!(
            "--cacert {} holds no PEM certificate",
            path.display()
        )));
    }
    Ok(certs)
}

fn chain_text(
    err: &(dyn std::error::Error + 'static),
) -> (String, Option<std::io::ErrorKind>, String) {
    let mut all = String::new();
    let mut io_kind = None;
    let mut innermost = err.to_string();
    let mut cur: Option<&(dyn std::error::Error + 'static)> = Some(err);
    while let Some(e) = cur {
        let s = e.to_string();
        all.push_str(&s.to_ascii_lowercase());
        all.push_str(" | ");
        if let Some(io) = e.downcast_ref::<std::io::Error>() {
            io_kind.get_or_insert(io.kind());
        }
        innermost = s;
        cur = e.source();
    }
    (all, io_kind, innermost)
}

fn classify(err: &reqwest::Error, url: &str, proxy: Option<&str>) -> Error {
    use std::io::ErrorKind;
    let (all, io_kind, innermost) = chain_text(err);
    let layer =
        if err.is_timeout() || all.contains("timed out") || io_kind == Some(ErrorKind::TimedOut) {
            NetLayer::Timeout
        } else if proxy.is_some()
            && (err.is_connect() || all.contains("tunnel") || all.contains("proxy"))
        {
            NetLayer::Proxy
        } else if all.contains("dns error")
            || all.contains("failed to lookup address")
            || all.contains("name or service not known")
        {
            NetLayer::Dns
        } else if all.contains("tls")
            || all.contains("certificate")
            || all.contains("invalidcontenttype")
            || all.contains("corrupt message")
            || all.contains("handshake")
        {
            NetLayer::Tls
        } else if err.is_connect()
            || matches!(
                io_kind,
                Some(
                    ErrorKind::ConnectionRefused
                        | ErrorKind::AddrNotAvailable
                        | ErrorKind::HostUnreachable
                        | ErrorKind::NetworkUnreachable
                )
            )
        {
            NetLayer::Connect
        } else {
            NetLayer::Connection
        };
    let detail = match (layer, proxy) {
        (NetLayer::Proxy, Some(p)) => format!(
            "{innermost} (via proxy {}; check HTTPS_PROXY/ALL_PROXY/NO_PROXY)",
            redact_userinfo(p)
        ),
        (NetLayer::Timeout, _) => format!("{innermost} (raise --timeout or --connect-timeout)"),
        (NetLayer::Tls, _) if all.contains("causedasendentity") => "the server's certificate is a CA certificate (basicConstraints CA:TRUE) used as the server's own, which TLS refuses; sign a server certificate with it for the server's name, serve that, and keep giving the CA to --cacert".to_string(),
        (NetLayer::Tls, _) => format!("{innermost} (a corporate proxy may need --cacert FILE)"),
        _ => innermost,
    };
    Error::Network {
        layer,
        url: url.to_string(),
        detail,
    }
}

fn redact_userinfo(proxy: &str) -> String {
    match reqwest::Url::parse(proxy) {
        Ok(mut u) if !u.username().is_empty() || u.password().is_some() => {
            let _ = u.set_username("");
            let _ = u.set_password(None);
            u.to_string()
        }
        _ => proxy.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_proxy_matching() {
        let env = |k: &str| match k {
            "HTTPS_PROXY" => Some("http://proxy:3128".to_string()),
            "no_proxy" => Some("localhost, .internal.example,10.0.0.1".to_string()),
            _ => None,
        };
        let p = ProxyConfig::from_env(&env);
        let u = |s: &str| reqwest::Url::parse(s).unwrap();
        assert_eq!(
            p.for_url(&u("https://oai.helicone.ai/v1")).as_deref(),
            Some("http://proxy:3128")
        );
        assert_eq!(p.for_url(&u("https://localhost:8080/")), None);
        assert_eq!(p.for_url(&u("https://a.internal.example/")), None);
        assert_eq!(p.for_url(&u("https://internal.example/")), None);
        assert_eq!(p.for_url(&u("https://10.0.0.1/")), None);
        assert_eq!(p.for_url(&u("http://plain.example/")), None);
        let env = |k: &str| match k {
            "ALL_PROXY" => Some("socks5://proxy:1080".to_string()),
            "NO_PROXY" => {
                Some("10.0.0.0/8, fd00::/8, ::1, *.corp.example, api.local:8443".to_string())
            }
            _ => None,
        };
        let p = ProxyConfig::from_env(&env);
        assert_eq!(p.for_url(&u("https://10.20.30.40/")), None);
        assert!(p.for_url(&u("https://11.0.0.1/")).is_some());
        assert_eq!(p.for_url(&u("https://[fd12::1]/")), None);
        assert_eq!(p.for_url(&u("https://[::1]:8080/")), None);
        assert!(p.for_url(&u("https://[fe80::1]/")).is_some());
        assert_eq!(p.for_url(&u("https://git.corp.example/")), None);
        assert_eq!(p.for_url(&u("https://api.local/")), None);
        assert_eq!(
            p.for_url(&u("http://anything.example/")).as_deref(),
            Some("socks5://proxy:1080")
        );
    }
}
