//! Connecting to the server: TLS when the URL asks for it, defaults and passwords (`PGPASSWORD`, `~/.pgpass`), and
//! errors that name the server without its password.

use std::path::{Path, PathBuf};

use postgres::Config;
use postgres::error::SqlState;

use super::*;
use crate::library::LibraryError;

/// TLS for the connection, through rustls with ring.
///
/// As libpq's `sslmode=require` (and `prefer`), the connection is encrypted and the server's certificate is not
/// checked against a certificate authority: that protects the password and the verdicts from anyone listening, not
/// from a server impersonated on the way (libpq's `verify-full`, which the URL parser here does not take yet).
pub(super) mod tls {
    use std::sync::Arc;

    use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
    use rustls::crypto::{CryptoProvider, verify_tls12_signature, verify_tls13_signature};
    use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
    use rustls::{DigitallySignedStruct, SignatureScheme};

    /// Checks the handshake's signatures (so the session key is the certificate holder's), not who the certificate
    /// names.
    #[derive(Debug)]
    struct EncryptOnly(Arc<CryptoProvider>);

    impl ServerCertVerifier for EncryptOnly {
        fn verify_server_cert(
            &self,
            _end_entity: &CertificateDer<'_>,
            _intermediates: &[CertificateDer<'_>],
            _server_name: &ServerName<'_>,
            _ocsp_response: &[u8],
            _now: UnixTime,
        ) -> Result<ServerCertVerified, rustls::Error> {
            Ok(ServerCertVerified::assertion())
        }

        fn verify_tls12_signature(
            &self,
            message: &[u8],
            cert: &CertificateDer<'_>,
            dss: &DigitallySignedStruct,
        ) -> Result<HandshakeSignatureValid, rustls::Error> {
            verify_tls12_signature(message, cert, dss, &self.0.signature_verification_algorithms)
        }

        fn verify_tls13_signature(
            &self,
            message: &[u8],
            cert: &CertificateDer<'_>,
            dss: &DigitallySignedStruct,
        ) -> Result<HandshakeSignatureValid, rustls::Error> {
            verify_tls13_signature(message, cert, dss, &self.0.signature_verification_algorithms)
        }

        fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
            self.0.signature_verification_algorithms.supported_schemes()
        }
    }

    pub(in crate::library::postgres) fn connector() -> tokio_postgres_rustls::MakeRustlsConnect {
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let config = rustls::ClientConfig::builder_with_provider(Arc::clone(&provider))
            .with_safe_default_protocol_versions()
            // ring's provider supports the default versions; this cannot fail with it.
            .unwrap_or_else(|_| rustls::ClientConfig::builder_with_protocol_versions(rustls::DEFAULT_VERSIONS))
            .dangerous()
            .with_custom_certificate_verifier(Arc::new(EncryptOnly(provider)))
            .with_no_client_auth();
        tokio_postgres_rustls::MakeRustlsConnect::new(config)
    }
}

/// What fails inside a write: the server, or a rule of the library (an id not found).
pub(super) enum Failure {
    Db(postgres::Error),
    Library(LibraryError),
}

impl From<postgres::Error> for Failure {
    fn from(e: postgres::Error) -> Self {
        Failure::Db(e)
    }
}

/// The user, host, port and database libpq would take when the URL leaves them out (`PGUSER`, `PGHOST`, `PGPORT`,
/// `PGDATABASE`, else the login name, the local socket, 5432), and the password when the URL has none
/// (`PGPASSWORD`, else `~/.pgpass` or `PGPASSFILE`).
pub(super) fn fill_defaults(config: &mut Config) {
    let env = |name: &str| std::env::var(name).ok().filter(|v| !v.is_empty());
    if config.get_user().is_none() {
        let user = env("PGUSER").or_else(|| env("USER")).unwrap_or_else(|| "postgres".to_owned());
        config.user(&user);
    }
    if config.get_hosts().is_empty() {
        match env("PGHOST") {
            Some(h) if h.starts_with('/') => config.host_path(h),
            Some(h) => config.host(&h),
            None if Path::new("/var/run/postgresql").is_dir() => config.host_path("/var/run/postgresql"),
            None => config.host("localhost"),
        };
    }
    if config.get_ports().is_empty()
        && let Some(port) = env("PGPORT").and_then(|p| p.parse().ok())
    {
        config.port(port);
    }
    if config.get_dbname().is_none() {
        let db = env("PGDATABASE").or_else(|| config.get_user().map(str::to_owned)).unwrap_or_default();
        config.dbname(&db);
    }
    if config.get_connect_timeout().is_none() {
        config.connect_timeout(CONNECT_TIMEOUT);
    }
    if config.get_application_name().is_none() {
        config.application_name("claimdesk");
    }
    if config.get_password().is_none() {
        if let Some(p) = env("PGPASSWORD") {
            config.password(p);
        } else if let Some(p) = pgpass_password(config) {
            config.password(p);
        }
    }
}

/// The password `~/.pgpass` (or `PGPASSFILE`) gives for the config's first host, port, database and user: lines
/// `host:port:database:user:password`, `*` matching anything, `\:` and `\\` escaped, the first match winning.
pub(super) fn pgpass_password(config: &Config) -> Option<String> {
    let file = std::env::var_os("PGPASSFILE")
        .filter(|f| !f.is_empty())
        .map(PathBuf::from)
        .or_else(|| dirs::home_dir().map(|h| h.join(".pgpass")))?;
    let text = std::fs::read_to_string(file).ok()?;
    let host = match config.get_hosts().first() {
        Some(postgres::config::Host::Tcp(h)) => h.clone(),
        _ => "localhost".to_owned(),
    };
    let port = config.get_ports().first().copied().unwrap_or(5432).to_string();
    let db = config.get_dbname().unwrap_or("");
    let user = config.get_user().unwrap_or("");
    pgpass_lookup(&text, &host, &port, db, user)
}

/// The password of the first line of a `.pgpass` text that matches.
pub fn pgpass_lookup(text: &str, host: &str, port: &str, db: &str, user: &str) -> Option<String> {
    for line in text.lines() {
        if line.trim_start().starts_with('#') || line.trim().is_empty() {
            continue;
        }
        let mut fields = Vec::new();
        let mut field = String::new();
        let mut chars = line.chars();
        while let Some(c) = chars.next() {
            match c {
                '\\' => field.extend(chars.next()),
                ':' if fields.len() < 4 => fields.push(std::mem::take(&mut field)),
                c => field.push(c),
            }
        }
        fields.push(field);
        if fields.len() != 5 {
            continue;
        }
        let matches = |pattern: &str, value: &str| pattern == "*" || pattern == value;
        if matches(&fields[0], host)
            && matches(&fields[1], port)
            && matches(&fields[2], db)
            && matches(&fields[3], user)
        {
            return fields.pop();
        }
    }
    None
}

/// A failure to connect, as the library's error.
pub(super) fn connect_error(shown: &Path, e: &postgres::Error) -> LibraryError {
    if e.as_db_error().is_some() {
        return error(shown, e);
    }
    if describe(e).contains("password missing") {
        return LibraryError::PasswordNeeded { path: shown.to_path_buf() };
    }
    LibraryError::Unreachable { path: shown.to_path_buf(), message: describe(e) }
}

/// The error's message: the server's own (with its detail and hint) when it sent one, else the client's.
pub(super) fn describe(e: &postgres::Error) -> String {
    match e.as_db_error() {
        Some(db) => {
            let mut m = db.message().to_owned();
            if let Some(d) = db.detail() {
                m.push_str(&format!(" ({d})"));
            }
            m
        }
        None => {
            let mut m = e.to_string();
            let mut source = std::error::Error::source(e);
            while let Some(s) = source {
                m.push_str(&format!(": {s}"));
                source = s.source();
            }
            m
        }
    }
}

/// A server error as the library's error, naming the server (never with the password).
pub(super) fn error(shown: &Path, e: &postgres::Error) -> LibraryError {
    let path = shown.to_path_buf();
    let message = describe(e);
    if e.is_closed() || (e.as_db_error().is_none() && e.code().is_none()) {
        return LibraryError::Unreachable { path, message };
    }
    match e.code() {
        Some(c) if *c == SqlState::INSUFFICIENT_PRIVILEGE => LibraryError::Refused { path, message },
        Some(c) if c.code().starts_with("42") && message.contains("row-level security") => {
            LibraryError::Refused { path, message }
        }
        // Connection exceptions, and the server shutting down or starting up.
        Some(c) if c.code().starts_with("08") || c.code().starts_with("57P") => {
            LibraryError::Unreachable { path, message }
        }
        _ => LibraryError::Database { path, message },
    }
}
