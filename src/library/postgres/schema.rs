//! The shared library's tables: the schema ClaimDesk creates and migrates, the roles `library setup-roles` makes,
//! and the version and generation rows.

use std::time::Duration;

use postgres::GenericClient;

/// The schema this build writes and reads.
pub const SCHEMA_VERSION: i32 = 1;
/// How long connecting may take before the server counts as unreachable.
pub const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
/// The advisory lock taken while the schema is created or migrated (two first starts at once make it once).
pub(super) const SCHEMA_LOCK: i64 = 0x436c_6169_6d44_6b31; // "ClaimDk1"
/// The most candidates [`crate::library::Store::text_candidates`] returns, whatever the caller wants.
pub const MAX_CANDIDATES: usize = 200;
/// The most entries [`crate::library::Store::text_candidates`] ranks on the server: the query's rarest words pick them (a claim's
/// common words, "said", "million", would make half the library a candidate), all its words rank them.
pub const CANDIDATE_ROWS: i64 = 1_000;

pub(super) const SCHEMA: &str = "
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
pub(super) const ENTRY_COLUMNS: &str = "e.id, e.ext_id, e.claim, e.title, e.verdict, e.status, e.note, e.sources, e.url, e.author, \
     e.claimant, e.date, e.language, s.key, s.kind, s.name, s.format, s.path, s.document_title, s.fingerprint, \
     s.reviewer";
pub(super) const FROM_ENTRIES: &str = "FROM claimdesk_entries e JOIN claimdesk_sources s ON s.id = e.source";

/// The schema version of the database, `None` when ClaimDesk's tables are not there.
pub(super) fn schema_version(client: &mut impl GenericClient) -> Result<Option<i32>, postgres::Error> {
    let exists: bool = client.query_one("SELECT to_regclass('claimdesk_schema') IS NOT NULL", &[])?.get(0);
    if !exists {
        return Ok(None);
    }
    Ok(client.query_opt("SELECT version FROM claimdesk_schema", &[])?.map(|r| r.get(0)))
}

/// Count one more change ([`Store::generation`]): the last statement of every write, so the row is locked only
/// briefly, and always after the sources (no lock-order cycle).
pub(super) fn bump_generation(tx: &mut postgres::Transaction<'_>) -> Result<(), postgres::Error> {
    tx.execute("UPDATE claimdesk_schema SET generation = generation + 1", &[]).map(|_| ())
}
