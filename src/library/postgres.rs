//! The library on a PostgreSQL server: a newsroom's shared library (`--library postgres://USER@HOST:PORT/DB`).
//!
//! Through the synchronous `postgres` crate, one connection per store. ClaimDesk creates and migrates its tables
//! itself (all prefixed `claimdesk_`, in the connection's schema): `claimdesk_schema` (one row: the schema version and
//! a generation counter bumped by every write), `claimdesk_sources`, `claimdesk_entries` (with the entry's vector as
//! `bytea` beside it, the database role that last wrote it and when, and a `tsvector` of claim and title under a GIN
//! index for [`Store::text_candidates`]), and `claimdesk_history` (every insert, update and delete of an entry, kept
//! by a trigger, with the role and the time). A schema newer than this build reads is refused with a message saying
//! so; nothing is written to it.
//!
//! Every statement takes its values as parameters. Writes are one transaction each, with sources locked in the order
//! of their keys and the generation row last, so concurrent writers never deadlock; a serialization failure or a
//! deadlock is retried. The password (from the URL, `PGPASSWORD`, or `~/.pgpass`) is used to connect and never kept
//! in anything printed: [`Store::location`] is the URL without it.

use std::cell::RefCell;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::time::Duration;

use postgres::error::SqlState;
use postgres::{Client, Config, GenericClient, NoTls, Row};

use super::store::{EntryState, IndexRow, SourceUpdate, Store, SyncCounts};
use super::{Embedder, Entry, LibraryError, Record, SourceInfo, SourceKind, Stats};
pub use super::{is_server_url, redact};
use crate::review::Status;

/// The schema this build writes and reads.
pub const SCHEMA_VERSION: i32 = 1;
/// How long connecting may take before the server counts as unreachable.
pub const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
/// The advisory lock taken while the schema is created or migrated (two first starts at once make it once).
const SCHEMA_LOCK: i64 = 0x436c_6169_6d44_6b31; // "ClaimDk1"
/// The most candidates [`Store::text_candidates`] returns, whatever the caller wants.
pub const MAX_CANDIDATES: usize = 200;
/// The most entries [`Store::text_candidates`] ranks on the server: the query's rarest words pick them (a claim's
/// common words, "said", "million", would make half the library a candidate), all its words rank them.
pub const CANDIDATE_ROWS: i64 = 1_000;

const SCHEMA: &str = "
CREATE TABLE claimdesk_schema (
    one BOOLEAN PRIMARY KEY DEFAULT TRUE CHECK (one),
    version INTEGER NOT NULL,
    generation BIGINT NOT NULL DEFAULT 0
);
CREATE TABLE claimdesk_sources (
    id BIGSERIAL PRIMARY KEY,
    key TEXT NOT NULL UNIQUE,
    kind TEXT NOT NULL,
    name TEXT NOT NULL,
    format TEXT NOT NULL,
    path TEXT,
    document_title TEXT,
    fingerprint TEXT,
    reviewer TEXT,
    owner TEXT NOT NULL DEFAULT session_user,
    imported TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX claimdesk_sources_fingerprint ON claimdesk_sources(fingerprint);
CREATE INDEX claimdesk_sources_name ON claimdesk_sources(name);
CREATE TABLE claimdesk_entries (
    id BIGSERIAL PRIMARY KEY,
    source BIGINT NOT NULL REFERENCES claimdesk_sources(id) ON DELETE CASCADE,
    ext_id TEXT NOT NULL,
    claim TEXT NOT NULL,
    title TEXT,
    verdict TEXT,
    status TEXT,
    note TEXT NOT NULL DEFAULT '',
    sources TEXT NOT NULL DEFAULT '[]',
    url TEXT,
    author TEXT,
    claimant TEXT,
    date TEXT,
    language TEXT,
    row_hash BYTEA NOT NULL,
    text_hash BYTEA NOT NULL,
    vector_model TEXT,
    vector BYTEA,
    written_by TEXT NOT NULL DEFAULT session_user,
    written_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    tsv TSVECTOR GENERATED ALWAYS AS (
        to_tsvector('english'::regconfig, claim || ' ' || coalesce(title, ''))
    ) STORED,
    UNIQUE (source, ext_id)
);
CREATE INDEX claimdesk_entries_ext_id ON claimdesk_entries(ext_id);
CREATE INDEX claimdesk_entries_tsv ON claimdesk_entries USING GIN (tsv);
CREATE TABLE claimdesk_history (
    id BIGSERIAL PRIMARY KEY,
    entry BIGINT NOT NULL,
    source_key TEXT,
    ext_id TEXT NOT NULL,
    op TEXT NOT NULL,
    old_row JSONB,
    new_row JSONB,
    by_role TEXT NOT NULL DEFAULT session_user,
    at TIMESTAMPTZ NOT NULL DEFAULT now(),
    -- The writing transaction: a mirror asks for the changes of transactions not finished when it last looked.
    xact BIGINT NOT NULL DEFAULT txid_current()
);
CREATE INDEX claimdesk_history_entry ON claimdesk_history(entry);
CREATE INDEX claimdesk_history_xact ON claimdesk_history(xact);
-- The keys of saves queued offline and sent since: each is applied once, however often it is sent.
CREATE TABLE claimdesk_applied (
    key TEXT PRIMARY KEY,
    by_role TEXT NOT NULL DEFAULT session_user,
    at TIMESTAMPTZ NOT NULL DEFAULT now()
);

-- Who wrote a row and when is the server's to say, not the client's.
CREATE FUNCTION claimdesk_stamp() RETURNS trigger LANGUAGE plpgsql AS $f$
BEGIN
    IF TG_TABLE_NAME = 'claimdesk_sources' THEN
        IF TG_OP = 'UPDATE' THEN NEW.owner := OLD.owner; ELSE NEW.owner := session_user; END IF;
    ELSE
        NEW.written_by := session_user;
        NEW.written_at := now();
    END IF;
    RETURN NEW;
END $f$;
CREATE TRIGGER claimdesk_sources_stamp BEFORE INSERT OR UPDATE ON claimdesk_sources
    FOR EACH ROW EXECUTE FUNCTION claimdesk_stamp();
CREATE TRIGGER claimdesk_entries_stamp BEFORE INSERT OR UPDATE ON claimdesk_entries
    FOR EACH ROW EXECUTE FUNCTION claimdesk_stamp();

-- Every change of an entry, kept: reviewers read the history but cannot write it, so the function runs as its owner.
CREATE FUNCTION claimdesk_log() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER SET search_path FROM CURRENT AS $f$
BEGIN
    IF TG_OP = 'DELETE' THEN
        INSERT INTO claimdesk_history(entry, source_key, ext_id, op, old_row)
        VALUES (OLD.id, (SELECT key FROM claimdesk_sources WHERE id = OLD.source), OLD.ext_id, 'delete',
                to_jsonb(OLD) - 'vector' - 'tsv');
        RETURN OLD;
    ELSIF TG_OP = 'UPDATE' THEN
        INSERT INTO claimdesk_history(entry, source_key, ext_id, op, old_row, new_row)
        VALUES (NEW.id, (SELECT key FROM claimdesk_sources WHERE id = NEW.source), NEW.ext_id, 'update',
                to_jsonb(OLD) - 'vector' - 'tsv', to_jsonb(NEW) - 'vector' - 'tsv');
        RETURN NEW;
    ELSE
        INSERT INTO claimdesk_history(entry, source_key, ext_id, op, new_row)
        VALUES (NEW.id, (SELECT key FROM claimdesk_sources WHERE id = NEW.source), NEW.ext_id, 'insert',
                to_jsonb(NEW) - 'vector' - 'tsv');
        RETURN NEW;
    END IF;
END $f$;
CREATE TRIGGER claimdesk_entries_log AFTER INSERT OR UPDATE OR DELETE ON claimdesk_entries
    FOR EACH ROW EXECUTE FUNCTION claimdesk_log();
";

/// The roles a newsroom grants its people, made by `claimdesk library setup-roles` (as the tables' owner, with the
/// right to create roles): `claimdesk_reader` reads and matches; `claimdesk_reviewer` also adds, changes and removes
/// its own verdicts (review sources it wrote: row-level security); `claimdesk_editor` also imports feeds and removes
/// anything. Each is a group (NOLOGIN): `GRANT claimdesk_reviewer TO alice` gives a login role its rights. Running it
/// again changes nothing.
pub const ROLES_SQL: &str = "
DO $r$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'claimdesk_reader') THEN
        CREATE ROLE claimdesk_reader NOLOGIN;
    END IF;
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'claimdesk_reviewer') THEN
        CREATE ROLE claimdesk_reviewer NOLOGIN IN ROLE claimdesk_reader;
    END IF;
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'claimdesk_editor') THEN
        CREATE ROLE claimdesk_editor NOLOGIN IN ROLE claimdesk_reviewer;
    END IF;
END $r$;
GRANT SELECT ON claimdesk_schema, claimdesk_sources, claimdesk_entries, claimdesk_history TO claimdesk_reader;
GRANT UPDATE (generation) ON claimdesk_schema TO claimdesk_reviewer;
GRANT INSERT, UPDATE, DELETE ON claimdesk_sources, claimdesk_entries TO claimdesk_reviewer;
GRANT USAGE ON SEQUENCE claimdesk_sources_id_seq, claimdesk_entries_id_seq TO claimdesk_reviewer;
GRANT SELECT, INSERT ON claimdesk_applied TO claimdesk_reviewer;
ALTER TABLE claimdesk_sources ENABLE ROW LEVEL SECURITY;
ALTER TABLE claimdesk_entries ENABLE ROW LEVEL SECURITY;
DROP POLICY IF EXISTS claimdesk_read ON claimdesk_sources;
DROP POLICY IF EXISTS claimdesk_read ON claimdesk_entries;
DROP POLICY IF EXISTS claimdesk_own_reviews ON claimdesk_sources;
DROP POLICY IF EXISTS claimdesk_own_reviews ON claimdesk_entries;
DROP POLICY IF EXISTS claimdesk_editor_all ON claimdesk_sources;
DROP POLICY IF EXISTS claimdesk_editor_all ON claimdesk_entries;
CREATE POLICY claimdesk_read ON claimdesk_sources FOR SELECT USING (true);
CREATE POLICY claimdesk_read ON claimdesk_entries FOR SELECT USING (true);
CREATE POLICY claimdesk_own_reviews ON claimdesk_sources FOR ALL TO claimdesk_reviewer
    USING (kind = 'review' AND owner = session_user) WITH CHECK (kind = 'review' AND owner = session_user);
CREATE POLICY claimdesk_own_reviews ON claimdesk_entries FOR ALL TO claimdesk_reviewer
    USING (EXISTS (SELECT 1 FROM claimdesk_sources s
                   WHERE s.id = source AND s.kind = 'review' AND s.owner = session_user))
    WITH CHECK (EXISTS (SELECT 1 FROM claimdesk_sources s
                        WHERE s.id = source AND s.kind = 'review' AND s.owner = session_user));
CREATE POLICY claimdesk_editor_all ON claimdesk_sources FOR ALL TO claimdesk_editor USING (true) WITH CHECK (true);
CREATE POLICY claimdesk_editor_all ON claimdesk_entries FOR ALL TO claimdesk_editor USING (true) WITH CHECK (true);
";

/// The columns [`row_to_entry`] reads, in its order.
const ENTRY_COLUMNS: &str = "e.id, e.ext_id, e.claim, e.title, e.verdict, e.status, e.note, e.sources, e.url, e.author, \
     e.claimant, e.date, e.language, s.key, s.kind, s.name, s.format, s.path, s.document_title, s.fingerprint, \
     s.reviewer";
const FROM_ENTRIES: &str = "FROM claimdesk_entries e JOIN claimdesk_sources s ON s.id = e.source";

/// The PostgreSQL store.
pub struct PostgresStore {
    client: RefCell<Client>,
    /// The URL without its password, as a path for [`Store::location`].
    shown: PathBuf,
}

impl PostgresStore {
    /// Connect to the server of `url`, creating ClaimDesk's tables on first use (or migrating older ones).
    pub fn open(url: &str) -> Result<Self, LibraryError> {
        Self::open_with_password(url, None)
    }

    /// [`PostgresStore::open`], with a password for when the URL, `PGPASSWORD` and `~/.pgpass` give none.
    pub fn open_with_password(url: &str, password: Option<&str>) -> Result<Self, LibraryError> {
        let shown = PathBuf::from(redact(url));
        let mut config = Config::from_str(url).map_err(|e| LibraryError::Database {
            path: shown.clone(),
            // The parser's message names the part at fault, never the password's value.
            message: format!("not a PostgreSQL URL: {e}"),
        })?;
        fill_defaults(&mut config);
        if let (None, Some(p)) = (config.get_password(), password) {
            config.password(p);
        }
        let client = match config.get_ssl_mode() {
            postgres::config::SslMode::Disable => config.connect(NoTls),
            // As libpq: `prefer` (the default) uses TLS when the server offers it, `require` refuses a server that
            // does not.
            _ => config.connect(tls::connector()),
        }
        .map_err(|e| connect_error(&shown, &e))?;
        let store = Self { client: RefCell::new(client), shown };
        store.setup()?;
        Ok(store)
    }

    fn err(&self, e: postgres::Error) -> LibraryError {
        error(&self.shown, &e)
    }

    /// Create the roles of [`ROLES_SQL`] and their grants, in one transaction.
    pub fn setup_roles(&mut self) -> Result<(), LibraryError> {
        let mut client = self.client.borrow_mut();
        let mut tx = client.transaction().map_err(|e| self.err(e))?;
        tx.batch_execute(ROLES_SQL).map_err(|e| self.err(e))?;
        tx.commit().map_err(|e| self.err(e))
    }

    /// Create the tables when there are none; refuse a newer schema; migrate an older one (none yet: version 1 is
    /// the first).
    fn setup(&self) -> Result<(), LibraryError> {
        let mut client = self.client.borrow_mut();
        let found = schema_version(&mut *client).map_err(|e| self.err(e))?;
        let found = match found {
            Some(v) => v,
            None => {
                let mut tx = client.transaction().map_err(|e| self.err(e))?;
                tx.execute("SELECT pg_advisory_xact_lock($1)", &[&SCHEMA_LOCK]).map_err(|e| self.err(e))?;
                match schema_version(&mut tx).map_err(|e| self.err(e))? {
                    Some(v) => v,
                    None => {
                        tx.batch_execute(SCHEMA).map_err(|e| self.schema_error(e))?;
                        tx.execute("INSERT INTO claimdesk_schema(version) VALUES ($1)", &[&SCHEMA_VERSION])
                            .map_err(|e| self.err(e))?;
                        tx.commit().map_err(|e| self.err(e))?;
                        SCHEMA_VERSION
                    }
                }
            }
        };
        if found > SCHEMA_VERSION {
            return Err(LibraryError::TooNew {
                path: self.shown.clone(),
                found: found.into(),
                supported: SCHEMA_VERSION.into(),
            });
        }
        Ok(())
    }

    /// [`Store::apply`], once for `key`: when a save with this key was applied before (sent, then sent again after
    /// a crash), nothing is written and `None` is returned.
    pub fn apply_once(
        &mut self,
        key: &str,
        updates: &[SourceUpdate],
        vectors: &HashMap<[u8; 32], Vec<u8>>,
        embedder: Option<&dyn Embedder>,
    ) -> Result<Option<Vec<SyncCounts>>, LibraryError> {
        let mut order: Vec<usize> = (0..updates.len()).collect();
        order.sort_by(|a, b| updates[*a].info.key.cmp(&updates[*b].info.key));
        self.write(|tx| {
            let fresh =
                tx.execute("INSERT INTO claimdesk_applied(key) VALUES ($1) ON CONFLICT (key) DO NOTHING", &[&key])?;
            if fresh == 0 {
                return Ok(None);
            }
            let mut all = vec![SyncCounts::default(); updates.len()];
            for &i in &order {
                all[i] = apply_one(tx, &updates[i], vectors, embedder)?;
            }
            Ok(Some(all))
        })
    }

    /// The oldest transaction still running (every one before it has finished): read before what it guards, a
    /// mirror asks next time for the changes from there on ([`PostgresStore::sources_changed_since`]).
    pub fn snapshot_xmin(&self) -> Result<i64, LibraryError> {
        let row = self
            .client
            .borrow_mut()
            .query_one("SELECT txid_snapshot_xmin(txid_current_snapshot())::bigint", &[])
            .map_err(|e| self.err(e))?;
        Ok(row.get(0))
    }

    /// The keys of the sources whose entries transactions from `xmin` on changed (added, changed, removed).
    pub fn sources_changed_since(&self, xmin: i64) -> Result<Vec<String>, LibraryError> {
        let rows = self
            .client
            .borrow_mut()
            .query(
                "SELECT DISTINCT source_key FROM claimdesk_history WHERE xact >= $1 AND source_key IS NOT NULL",
                &[&xmin],
            )
            .map_err(|e| self.err(e))?;
        Ok(rows.iter().map(|r| r.get(0)).collect())
    }

    /// Every entry of these sources.
    pub fn entries_of_sources(&self, keys: &[String]) -> Result<Vec<Entry>, LibraryError> {
        self.query_entries("WHERE s.key = ANY($1) ORDER BY s.key, e.ext_id", &[&keys])
    }

    /// The vectors of `model` of these entries (those that have one).
    pub fn vectors_of(&self, model: &str, keys: &[i64]) -> Result<Vec<(i64, Vec<u8>)>, LibraryError> {
        let rows = self
            .client
            .borrow_mut()
            .query(
                "SELECT id, vector FROM claimdesk_entries WHERE id = ANY($1) AND vector_model = $2",
                &[&keys, &model],
            )
            .map_err(|e| self.err(e))?;
        Ok(rows.iter().map(|r| (r.get(0), r.get(1))).collect())
    }

    fn schema_error(&self, e: postgres::Error) -> LibraryError {
        if e.code() == Some(&SqlState::INSUFFICIENT_PRIVILEGE) {
            return LibraryError::Database {
                path: self.shown.clone(),
                message: "the database has no ClaimDesk tables yet and this role may not create them; connect once \
                          as the database's owner to create them"
                    .to_owned(),
            };
        }
        self.err(e)
    }

    fn query_entries(
        &self,
        tail: &str,
        params: &[&(dyn postgres::types::ToSql + Sync)],
    ) -> Result<Vec<Entry>, LibraryError> {
        let sql = format!("SELECT {ENTRY_COLUMNS} {FROM_ENTRIES} {tail}");
        let rows = self.client.borrow_mut().query(sql.as_str(), params).map_err(|e| self.err(e))?;
        rows.iter().map(|r| row_to_entry(r).map_err(|e| self.err(e))).collect()
    }

    /// Run `f` in one transaction, again when the server aborts it for a deadlock or a serialization failure.
    fn write<T>(
        &self,
        mut f: impl FnMut(&mut postgres::Transaction<'_>) -> Result<T, Failure>,
    ) -> Result<T, LibraryError> {
        let mut client = self.client.borrow_mut();
        let mut attempt = 0;
        loop {
            attempt += 1;
            let mut tx = client.transaction().map_err(|e| self.err(e))?;
            let result = f(&mut tx).and_then(|v| {
                bump_generation(&mut tx)?;
                Ok(v)
            });
            let result = match result {
                Ok(v) => tx.commit().map(|()| v).map_err(Failure::Db),
                Err(e) => Err(e),
            };
            match result {
                Ok(v) => return Ok(v),
                Err(Failure::Db(e))
                    if attempt < 5
                        && matches!(e.code(), Some(c) if *c == SqlState::T_R_DEADLOCK_DETECTED
                            || *c == SqlState::T_R_SERIALIZATION_FAILURE) =>
                {
                    std::thread::sleep(Duration::from_millis(20 * attempt));
                }
                Err(Failure::Db(e)) => return Err(self.err(e)),
                Err(Failure::Library(e)) => return Err(e),
            }
        }
    }
}

/// TLS for the connection, through rustls with ring.
///
/// As libpq's `sslmode=require` (and `prefer`), the connection is encrypted and the server's certificate is not
/// checked against a certificate authority: that protects the password and the verdicts from anyone listening, not
/// from a server impersonated on the way (libpq's `verify-full`, which the URL parser here does not take yet).
mod tls {
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

    pub(super) fn connector() -> tokio_postgres_rustls::MakeRustlsConnect {
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
enum Failure {
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
fn fill_defaults(config: &mut Config) {
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
fn pgpass_password(config: &Config) -> Option<String> {
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

/// The schema version of the database, `None` when ClaimDesk's tables are not there.
fn schema_version(client: &mut impl GenericClient) -> Result<Option<i32>, postgres::Error> {
    let exists: bool = client.query_one("SELECT to_regclass('claimdesk_schema') IS NOT NULL", &[])?.get(0);
    if !exists {
        return Ok(None);
    }
    Ok(client.query_opt("SELECT version FROM claimdesk_schema", &[])?.map(|r| r.get(0)))
}

/// Count one more change ([`Store::generation`]): the last statement of every write, so the row is locked only
/// briefly, and always after the sources (no lock-order cycle).
fn bump_generation(tx: &mut postgres::Transaction<'_>) -> Result<(), postgres::Error> {
    tx.execute("UPDATE claimdesk_schema SET generation = generation + 1", &[]).map(|_| ())
}

/// A failure to connect, as the library's error.
fn connect_error(shown: &Path, e: &postgres::Error) -> LibraryError {
    if e.as_db_error().is_some() {
        return error(shown, e);
    }
    if describe(e).contains("password missing") {
        return LibraryError::PasswordNeeded { path: shown.to_path_buf() };
    }
    LibraryError::Unreachable { path: shown.to_path_buf(), message: describe(e) }
}

/// The error's message: the server's own (with its detail and hint) when it sent one, else the client's.
fn describe(e: &postgres::Error) -> String {
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
fn error(shown: &Path, e: &postgres::Error) -> LibraryError {
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

fn row_to_entry(r: &Row) -> Result<Entry, postgres::Error> {
    let sources: String = r.try_get(7)?;
    let status: Option<String> = r.try_get(5)?;
    let kind: String = r.try_get(14)?;
    Ok(Entry {
        key: r.try_get(0)?,
        record: Record {
            id: r.try_get(1)?,
            claim: r.try_get(2)?,
            title: r.try_get(3)?,
            verdict: r.try_get(4)?,
            status: status.as_deref().and_then(Status::parse),
            note: r.try_get(6)?,
            sources: serde_json::from_str(&sources).unwrap_or_default(),
            url: r.try_get(8)?,
            author: r.try_get(9)?,
            claimant: r.try_get(10)?,
            date: r.try_get(11)?,
            language: r.try_get(12)?,
        },
        source: SourceInfo {
            key: r.try_get(13)?,
            kind: SourceKind::parse(&kind).unwrap_or(SourceKind::Feed),
            name: r.try_get(15)?,
            format: r.try_get(16)?,
            path: r.try_get(17)?,
            document_title: r.try_get(18)?,
            fingerprint: r.try_get(19)?,
            reviewer: r.try_get(20)?,
        },
    })
}

fn hash32(bytes: &[u8]) -> [u8; 32] {
    let mut out = [0u8; 32];
    if bytes.len() == 32 {
        out.copy_from_slice(bytes);
    }
    out
}

/// From this many new entries of one source, they are written with COPY.
const COPY_FROM: usize = 1000;

/// One entry as a line of COPY's text format: fields by tabs, `\N` for none, backslashes and line breaks escaped,
/// bytes as `\\x` and hex.
#[allow(clippy::too_many_arguments)]
fn copy_row(
    out: &mut Vec<u8>,
    source: i64,
    r: &Record,
    status: Option<&str>,
    sources_json: &str,
    row_hash: &[u8],
    text_hash: &[u8],
    model: Option<&str>,
    vector: Option<&[u8]>,
) {
    fn text(out: &mut Vec<u8>, v: Option<&str>) {
        let Some(v) = v else {
            out.extend_from_slice(b"\\N\t");
            return;
        };
        for b in v.bytes() {
            match b {
                b'\\' => out.extend_from_slice(b"\\\\"),
                b'\n' => out.extend_from_slice(b"\\n"),
                b'\r' => out.extend_from_slice(b"\\r"),
                b'\t' => out.extend_from_slice(b"\\t"),
                b => out.push(b),
            }
        }
        out.push(b'\t');
    }
    fn bytes(out: &mut Vec<u8>, v: Option<&[u8]>) {
        match v {
            None => out.extend_from_slice(b"\\N"),
            Some(v) => {
                out.extend_from_slice(b"\\\\x");
                for b in v {
                    out.extend_from_slice(format!("{b:02x}").as_bytes());
                }
            }
        }
        out.push(b'\t');
    }
    text(out, Some(&source.to_string()));
    text(out, Some(&r.id));
    text(out, Some(&r.claim));
    text(out, r.title.as_deref());
    text(out, r.verdict.as_deref());
    text(out, status);
    text(out, Some(&r.note));
    text(out, Some(sources_json));
    text(out, r.url.as_deref());
    text(out, r.author.as_deref());
    text(out, r.claimant.as_deref());
    text(out, r.date.as_deref());
    text(out, r.language.as_deref());
    bytes(out, Some(row_hash));
    bytes(out, Some(text_hash));
    text(out, model);
    bytes(out, vector);
    // The last field's tab becomes the line's end.
    out.pop();
    out.push(b'\n');
}

impl Store for PostgresStore {
    fn location(&self) -> &Path {
        &self.shown
    }

    fn source_state(&self, key: &str) -> Result<HashMap<String, EntryState>, LibraryError> {
        let rows = self
            .client
            .borrow_mut()
            .query(
                "SELECT e.ext_id, e.row_hash, e.text_hash, e.vector_model FROM claimdesk_entries e
                 JOIN claimdesk_sources s ON s.id = e.source WHERE s.key = $1",
                &[&key],
            )
            .map_err(|e| self.err(e))?;
        let mut out = HashMap::with_capacity(rows.len());
        for r in rows {
            let row: Vec<u8> = r.get(1);
            let text: Vec<u8> = r.get(2);
            out.insert(r.get(0), EntryState { row_hash: hash32(&row), text_hash: hash32(&text), model: r.get(3) });
        }
        Ok(out)
    }

    fn apply(
        &mut self,
        updates: &[SourceUpdate],
        vectors: &HashMap<[u8; 32], Vec<u8>>,
        embedder: Option<&dyn Embedder>,
    ) -> Result<Vec<SyncCounts>, LibraryError> {
        // Sources are locked in the order of their keys: two imports of the same sources never wait on each other
        // in a cycle.
        let mut order: Vec<usize> = (0..updates.len()).collect();
        order.sort_by(|a, b| updates[*a].info.key.cmp(&updates[*b].info.key));
        let all = self.write(|tx| {
            let mut all = vec![SyncCounts::default(); updates.len()];
            for &i in &order {
                all[i] = apply_one(tx, &updates[i], vectors, embedder)?;
            }
            Ok(all)
        })?;
        // After a large import, fresh statistics: text_candidates picks a query's rare words by them. (A role that
        // does not own the table gets a warning, not an error; autovacuum catches up then.)
        if all.iter().map(|c| c.added + c.updated).sum::<u64>() >= COPY_FROM as u64 {
            let _ = self.client.borrow_mut().batch_execute("ANALYZE claimdesk_entries");
        }
        Ok(all)
    }

    fn entries(&self) -> Result<Vec<Entry>, LibraryError> {
        self.query_entries("ORDER BY s.name, s.key, e.ext_id", &[])
    }

    fn entries_by_key(&self, keys: &[i64]) -> Result<Vec<Entry>, LibraryError> {
        let found = self.query_entries("WHERE e.id = ANY($1)", &[&keys])?;
        let mut by_key: HashMap<i64, Entry> = found.into_iter().map(|e| (e.key, e)).collect();
        Ok(keys.iter().filter_map(|k| by_key.remove(k)).collect())
    }

    fn remove(&mut self, ids: &[String], source: Option<&str>) -> Result<u64, LibraryError> {
        let shown = self.shown.display().to_string();
        self.write(|tx| {
            let sources: Vec<(i64, String)> = match source {
                Some(s) => {
                    let rows = tx.query(
                        "SELECT id, name FROM claimdesk_sources WHERE name = $1 OR key = $1 ORDER BY key",
                        &[&s],
                    )?;
                    if rows.is_empty() {
                        return Err(Failure::Library(LibraryError::NotFound(format!(
                            "{shown}: no source named `{s}`"
                        ))));
                    }
                    rows.iter().map(|r| (r.get(0), r.get(1))).collect()
                }
                None => Vec::new(),
            };
            let mut removed = 0u64;
            if ids.is_empty() {
                for (id, name) in &sources {
                    let held: i64 =
                        tx.query_one("SELECT count(*) FROM claimdesk_entries WHERE source = $1", &[id])?.get(0);
                    let gone = tx.execute("DELETE FROM claimdesk_entries WHERE source = $1", &[id])?;
                    let source_gone = tx.execute("DELETE FROM claimdesk_sources WHERE id = $1", &[id])?;
                    if gone != held as u64 || source_gone == 0 {
                        // Row-level security hides rows the role may not delete: say so rather than pretend.
                        return Err(Failure::Library(LibraryError::Refused {
                            path: PathBuf::from(&shown),
                            message: format!("this role may not remove the source `{name}`"),
                        }));
                    }
                    removed += gone;
                }
            }
            for id in ids {
                let rows = tx.query(
                    "SELECT e.id, e.source, s.name FROM claimdesk_entries e JOIN claimdesk_sources s ON s.id = e.source
                     WHERE e.ext_id = $1",
                    &[id],
                )?;
                let mut found: Vec<(i64, i64, String)> = rows.iter().map(|r| (r.get(0), r.get(1), r.get(2))).collect();
                if source.is_some() {
                    found.retain(|(_, s, _)| sources.iter().any(|(id, _)| id == s));
                }
                match found.len() {
                    0 => {
                        let within = source.map(|s| format!(" in source `{s}`")).unwrap_or_default();
                        return Err(Failure::Library(LibraryError::NotFound(format!(
                            "{shown}: no entry with id `{id}`{within}; nothing was removed"
                        ))));
                    }
                    1 => {}
                    _ => {
                        let names: Vec<String> = found.iter().map(|(_, _, n)| format!("`{n}`")).collect();
                        return Err(Failure::Library(LibraryError::Ambiguous(format!(
                            "{shown}: id `{id}` is in {} sources ({}); say which with --source NAME; nothing was removed",
                            found.len(),
                            names.join(", ")
                        ))));
                    }
                }
                let deleted = tx.execute("DELETE FROM claimdesk_entries WHERE id = $1", &[&found[0].0])?;
                if deleted == 0 {
                    // Row-level security hides rows the role may not delete: say so rather than pretend.
                    return Err(Failure::Library(LibraryError::Refused {
                        path: PathBuf::from(&shown),
                        message: format!("this role may not remove entry `{id}` of `{}`", found[0].2),
                    }));
                }
                tx.execute(
                    "DELETE FROM claimdesk_sources WHERE id = $1
                     AND NOT EXISTS (SELECT 1 FROM claimdesk_entries WHERE source = $1)",
                    &[&found[0].1],
                )?;
                removed += 1;
            }
            Ok(removed)
        })
    }

    fn stats(&self) -> Result<Stats, LibraryError> {
        let mut client = self.client.borrow_mut();
        let e = |err| error(&self.shown, &err);
        let count = |client: &mut Client, sql: &str| -> Result<u64, LibraryError> {
            client.query_one(sql, &[]).map(|r| r.get::<_, i64>(0) as u64).map_err(e)
        };
        let mut stats = Stats {
            file: self.shown.clone(),
            entries: count(&mut client, "SELECT count(*) FROM claimdesk_entries")?,
            sources: count(&mut client, "SELECT count(*) FROM claimdesk_sources")?,
            bytes: count(
                &mut client,
                "SELECT (pg_total_relation_size('claimdesk_entries') + pg_total_relation_size('claimdesk_sources')
                         + pg_total_relation_size('claimdesk_history')
                         + pg_total_relation_size('claimdesk_applied'))::bigint",
            )?,
            ..Stats::default()
        };
        let rows = client
            .query(
                "SELECT vector_model, count(*) FROM claimdesk_entries WHERE vector_model IS NOT NULL GROUP BY 1",
                &[],
            )
            .map_err(e)?;
        for r in rows {
            stats.embedded.insert(r.get(0), r.get::<_, i64>(1) as u64);
        }
        let rows = client
            .query(
                "SELECT s.name, s.kind, count(e.id) FROM claimdesk_sources s
                 LEFT JOIN claimdesk_entries e ON e.source = s.id GROUP BY s.id ORDER BY s.name, s.key",
                &[],
            )
            .map_err(e)?;
        for r in rows {
            stats.per_source.push((r.get(0), r.get(1), r.get::<_, i64>(2) as u64));
        }
        let rows = client
            .query(
                "SELECT lower(coalesce(verdict, '')), count(*) AS n FROM claimdesk_entries
                 GROUP BY 1 ORDER BY n DESC, 1 LIMIT 20",
                &[],
            )
            .map_err(e)?;
        for r in rows {
            stats.verdicts.push((r.get(0), r.get::<_, i64>(1) as u64));
        }
        Ok(stats)
    }

    fn text_candidates(
        &self,
        query: &str,
        limit: usize,
        exclude: Option<&str>,
    ) -> Result<Vec<(i64, f32)>, LibraryError> {
        let words = super::sqlite::query_words(query);
        if words.is_empty() || limit == 0 {
            return Ok(Vec::new());
        }
        let limit = limit.min(MAX_CANDIDATES) as i64;
        let mut client = self.client.borrow_mut();
        // How common each word is, from the statistics ANALYZE keeps of the tsvector column (its most common
        // lexemes and their frequencies; a word not among them is rarer than all of them). Reading them costs
        // nothing like counting would.
        let stats = client
            .query(
                "SELECT w, l.lex IS NOT NULL, (SELECT st.most_common_elem_freqs[
                            array_position(st.most_common_elems::text::text[], l.lex)]
                         FROM pg_stats st WHERE st.schemaname = current_schema()
                          AND st.tablename = 'claimdesk_entries' AND st.attname = 'tsv')
                 FROM unnest($1::text[]) AS w,
                      LATERAL (SELECT (tsvector_to_array(to_tsvector('english'::regconfig, w)))[1] AS lex) l",
                &[&words],
            )
            .map_err(|e| self.err(e))?;
        let mut known: Vec<(String, f32)> = stats
            .iter()
            .filter(|r| r.get::<_, bool>(1))
            .map(|r| (r.get::<_, String>(0), r.get::<_, Option<f32>>(2).unwrap_or(0.0)))
            .collect();
        known.sort_by(|a, b| a.1.total_cmp(&b.1));
        let total: f32 = client
            .query_one(
                "SELECT greatest(reltuples, 1)::real FROM pg_class WHERE oid = 'claimdesk_entries'::regclass",
                &[],
            )
            .map_err(|e| self.err(e))?
            .get(0);
        // The rarest words find the candidates (as many as the cap holds by their frequencies; at least one), every
        // word ranks them.
        let mut rare = Vec::new();
        let mut expected = 0.0f32;
        for (w, freq) in known {
            let rows = freq * total;
            if !rare.is_empty() && expected + rows > CANDIDATE_ROWS as f32 {
                break;
            }
            expected += rows;
            rare.push(w);
        }
        if rare.is_empty() {
            return Ok(Vec::new());
        }
        let found = client
            .query(
                "SELECT c.id, ts_rank_cd(c.tsv, to_tsquery('english'::regconfig, $4), 1)::real AS rank
                 FROM (SELECT e.id, e.tsv, e.source FROM claimdesk_entries e
                       WHERE e.tsv @@ to_tsquery('english'::regconfig, $1) LIMIT $5) c
                 WHERE ($3::text IS NULL OR c.source NOT IN (SELECT id FROM claimdesk_sources WHERE fingerprint = $3))
                 ORDER BY rank DESC, c.id LIMIT $2",
                &[&rare.join(" | "), &limit, &exclude, &words.join(" | "), &CANDIDATE_ROWS],
            )
            .map_err(|e| self.err(e))?;
        Ok(found.iter().map(|r| (r.get(0), r.get(1))).collect())
    }

    fn for_each_vector(&self, model: &str, f: &mut dyn FnMut(IndexRow<'_>)) -> Result<(), LibraryError> {
        const BATCH: i32 = 5_000;
        let mut client = self.client.borrow_mut();
        let e = |err| error(&self.shown, &err);
        // A cursor, so a million entries stream in batches rather than arrive at once.
        let mut tx = client.build_transaction().read_only(true).start().map_err(e)?;
        let portal = tx
            .bind(
                "SELECT e.id, s.fingerprint, e.claim, e.title, e.vector FROM claimdesk_entries e
                 JOIN claimdesk_sources s ON s.id = e.source WHERE e.vector_model = $1",
                &[&model],
            )
            .map_err(e)?;
        loop {
            let rows = tx.query_portal(&portal, BATCH).map_err(e)?;
            for r in &rows {
                let fingerprint: Option<&str> = r.try_get(1).map_err(e)?;
                let title: Option<&str> = r.try_get(3).map_err(e)?;
                f(IndexRow {
                    key: r.try_get(0).map_err(e)?,
                    fingerprint,
                    claim: r.try_get(2).map_err(e)?,
                    title,
                    vector: r.try_get(4).map_err(e)?,
                });
            }
            if rows.len() < BATCH as usize {
                break;
            }
        }
        tx.commit().map_err(e)
    }

    fn keys_of_document(&self, fingerprint: &str) -> Result<Vec<i64>, LibraryError> {
        let rows = self
            .client
            .borrow_mut()
            .query(
                "SELECT e.id FROM claimdesk_entries e JOIN claimdesk_sources s ON s.id = e.source
                 WHERE s.fingerprint = $1",
                &[&fingerprint],
            )
            .map_err(|e| self.err(e))?;
        Ok(rows.iter().map(|r| r.get(0)).collect())
    }

    fn missing_vectors(&self, model: &str) -> Result<Vec<(i64, String, Option<String>)>, LibraryError> {
        let rows = self
            .client
            .borrow_mut()
            .query(
                "SELECT id, claim, title FROM claimdesk_entries
                 WHERE vector_model IS DISTINCT FROM $1 ORDER BY id",
                &[&model],
            )
            .map_err(|e| self.err(e))?;
        Ok(rows.iter().map(|r| (r.get(0), r.get(1), r.get(2))).collect())
    }

    fn put_vectors(&mut self, model: &str, vectors: &[(i64, Vec<u8>)]) -> Result<(), LibraryError> {
        self.write(|tx| {
            let put = tx.prepare("UPDATE claimdesk_entries SET vector_model = $2, vector = $3 WHERE id = $1")?;
            for (key, data) in vectors {
                tx.execute(&put, &[key, &model, data])?;
            }
            Ok(())
        })
    }

    fn generation(&self) -> Result<u64, LibraryError> {
        let row = self
            .client
            .borrow_mut()
            .query_one("SELECT generation FROM claimdesk_schema", &[])
            .map_err(|e| self.err(e))?;
        Ok(row.get::<_, i64>(0) as u64)
    }
}

/// Bring one source to `update`'s content inside the caller's transaction.
fn apply_one(
    tx: &mut postgres::Transaction<'_>,
    update: &SourceUpdate,
    vectors: &HashMap<[u8; 32], Vec<u8>>,
    embedder: Option<&dyn Embedder>,
) -> Result<SyncCounts, postgres::Error> {
    let info = &update.info;
    // The upsert locks the source's row until the transaction ends: two writers of one source take turns, and the
    // second reads what the first committed.
    let source: i64 = tx
        .query_one(
            "INSERT INTO claimdesk_sources(key, kind, name, format, path, document_title, fingerprint, reviewer)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
             ON CONFLICT (key) DO UPDATE SET kind = $2, name = $3, format = $4,
                 path = coalesce($5, claimdesk_sources.path), document_title = $6, fingerprint = $7, reviewer = $8,
                 imported = now()
             RETURNING id",
            &[
                &info.key,
                &info.kind.as_str(),
                &info.name,
                &info.format,
                &info.path,
                &info.document_title,
                &info.fingerprint,
                &info.reviewer,
            ],
        )?
        .get(0);
    struct Held {
        row: i64,
        row_hash: Vec<u8>,
        text_hash: Vec<u8>,
        model: Option<String>,
    }
    let mut existing: HashMap<String, Held> = HashMap::new();
    for r in tx.query(
        "SELECT ext_id, id, row_hash, text_hash, vector_model FROM claimdesk_entries WHERE source = $1",
        &[&source],
    )? {
        existing.insert(r.get(0), Held { row: r.get(1), row_hash: r.get(2), text_hash: r.get(3), model: r.get(4) });
    }
    let mut counts = SyncCounts::default();
    let model = embedder.map(|e| e.model());
    let insert = tx.prepare(
        "INSERT INTO claimdesk_entries(source, ext_id, claim, title, verdict, status, note, sources, url, author,
             claimant, date, language, row_hash, text_hash, vector_model, vector)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17)",
    )?;
    let update_row = tx.prepare(
        "UPDATE claimdesk_entries SET claim = $2, title = $3, verdict = $4, status = $5, note = $6, sources = $7,
             url = $8, author = $9, claimant = $10, date = $11, language = $12, row_hash = $13, text_hash = $14
         WHERE id = $1",
    )?;
    let put_vector = tx.prepare("UPDATE claimdesk_entries SET vector_model = $2, vector = $3 WHERE id = $1")?;
    let drop_vector = tx.prepare("UPDATE claimdesk_entries SET vector_model = NULL, vector = NULL WHERE id = $1")?;
    let vector_of = |record: &Record, text_hash: &[u8; 32]| -> Vec<u8> {
        match (vectors.get(text_hash), embedder) {
            (Some(v), _) => v.clone(),
            (None, Some(embedder)) => embedder.embed(&[record.embed_text()]).into_iter().next().unwrap_or_default(),
            (None, None) => Vec::new(),
        }
    };
    // Many new entries (a large feed's first import) go in by COPY: one stream instead of a statement each.
    let new_count = update.records.iter().filter(|r| !existing.contains_key(&r.id)).count();
    let mut bulk: Option<Vec<&Record>> = (new_count >= COPY_FROM).then(Vec::new);
    for record in &update.records {
        let row_hash = record.row_hash();
        let text_hash = record.text_hash();
        let sources_json = serde_json::to_string(&record.sources).unwrap_or_else(|_| "[]".to_owned());
        let status = record.status.map(|s| s.as_str());
        match existing.remove(&record.id) {
            Some(held) => {
                let text_changed = held.text_hash != text_hash;
                if held.row_hash == row_hash {
                    counts.unchanged += 1;
                } else {
                    tx.execute(
                        &update_row,
                        &[
                            &held.row,
                            &record.claim,
                            &record.title,
                            &record.verdict,
                            &status,
                            &record.note,
                            &sources_json,
                            &record.url,
                            &record.author,
                            &record.claimant,
                            &record.date,
                            &record.language,
                            &&row_hash[..],
                            &&text_hash[..],
                        ],
                    )?;
                    counts.updated += 1;
                }
                if text_changed && model.is_none() {
                    // A vector is only ever of the entry's current text.
                    tx.execute(&drop_vector, &[&held.row])?;
                }
                if let Some(m) = model
                    && (text_changed || held.model.as_deref() != Some(m))
                {
                    tx.execute(&put_vector, &[&held.row, &m, &vector_of(record, &text_hash)])?;
                    counts.embedded += 1;
                }
            }
            None if bulk.is_some() => {
                if let Some(new) = bulk.as_mut() {
                    new.push(record);
                }
                counts.added += 1;
                if model.is_some() {
                    counts.embedded += 1;
                }
            }
            None => {
                let vector = model.map(|_| vector_of(record, &text_hash));
                tx.execute(
                    &insert,
                    &[
                        &source,
                        &record.id,
                        &record.claim,
                        &record.title,
                        &record.verdict,
                        &status,
                        &record.note,
                        &sources_json,
                        &record.url,
                        &record.author,
                        &record.claimant,
                        &record.date,
                        &record.language,
                        &&row_hash[..],
                        &&text_hash[..],
                        &model,
                        &vector,
                    ],
                )?;
                counts.added += 1;
                if model.is_some() {
                    counts.embedded += 1;
                }
            }
        }
    }
    if let Some(new) = bulk {
        let mut writer = tx.copy_in(
            "COPY claimdesk_entries(source, ext_id, claim, title, verdict, status, note, sources, url, author,
                 claimant, date, language, row_hash, text_hash, vector_model, vector) FROM STDIN",
        )?;
        let mut line = Vec::with_capacity(4096);
        for record in new {
            let text_hash = record.text_hash();
            let sources_json = serde_json::to_string(&record.sources).unwrap_or_else(|_| "[]".to_owned());
            let vector = model.map(|_| vector_of(record, &text_hash));
            line.clear();
            let status = record.status.map(|s| s.as_str());
            copy_row(
                &mut line,
                source,
                record,
                status,
                &sources_json,
                &record.row_hash(),
                &text_hash,
                model,
                vector.as_deref(),
            );
            // A write error is the connection's: finish() below reports it as the server's error.
            if std::io::Write::write_all(&mut writer, &line).is_err() {
                break;
            }
        }
        writer.finish()?;
    }
    if !existing.is_empty() {
        let gone: Vec<i64> = existing.values().map(|h| h.row).collect();
        counts.removed = tx.execute("DELETE FROM claimdesk_entries WHERE id = ANY($1)", &[&gone])?;
    }
    // A source left with no entries is forgotten.
    tx.execute(
        "DELETE FROM claimdesk_sources WHERE id = $1 AND NOT EXISTS (SELECT 1 FROM claimdesk_entries WHERE source = $1)",
        &[&source],
    )?;
    Ok(counts)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pgpass_matches_by_host_port_database_and_user_with_wildcards_and_escapes() {
        let text = "# a comment\nother:5432:news:alice:no\ndb:*:news:alice:pa\\:ss\n*:*:*:*:fallback\n";
        assert_eq!(pgpass_lookup(text, "db", "5433", "news", "alice").as_deref(), Some("pa:ss"));
        assert_eq!(pgpass_lookup(text, "x", "1", "y", "z").as_deref(), Some("fallback"));
        assert_eq!(pgpass_lookup("db:5432:news:alice\n", "db", "5432", "news", "alice"), None);
    }

    #[test]
    fn a_tsquery_holds_only_words() {
        let words = super::super::sqlite::query_words;
        assert_eq!(words("'); DROP TABLE claimdesk_entries; --"), ["drop", "table", "claimdesk", "entries"]);
        assert!(words("the of").is_empty());
    }
}
