//! A TLS listener on 127.0.0.1:0 that completes handshakes with a given
//! certificate and then closes: enough to stage certificate faults, which
//! the client sees during the handshake.

use std::io::Read;
use std::net::TcpListener;
use std::path::Path;
use std::sync::Arc;

use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer};

pub struct TlsServer {
    pub port: u16,
}

impl TlsServer {
    /// Serve the certificate chain and key in these PEM files.
    pub fn start(cert: &Path, key: &Path) -> TlsServer {
        let certs: Vec<CertificateDer<'static>> = CertificateDer::pem_file_iter(cert)
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        let key = PrivateKeyDer::from_pem_file(key).unwrap();
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let config = rustls::ServerConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .unwrap()
            .with_no_client_auth()
            .with_single_cert(certs, key)
            .unwrap();
        let config = Arc::new(config);
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(mut stream) = stream else { continue };
                let Ok(conn) = rustls::ServerConnection::new(config.clone()) else {
                    continue;
                };
                let mut tls = rustls::StreamOwned::new(conn, &mut stream);
                // Reading drives the handshake; the client gives up on the
                // certificate, which ends it.
                let mut buf = [0u8; 1024];
                let _ = tls.read(&mut buf);
            }
        });
        TlsServer { port }
    }
}
