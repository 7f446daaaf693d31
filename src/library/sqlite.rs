//! The library in one SQLite file (`library.sqlite` in the library's folder), through `rusqlite` with SQLite compiled
//! in.
//!
//! Why SQLite: one file, transactions that survive a killed process (the write-ahead log is replayed or ignored, never
//! half applied), readers that do not block the writer (WAL mode: `match` runs while an import writes), and FTS5 for
//! full-text search, all in a library that needs nothing installed. Every statement takes its values as parameters.
//!
//! Tables: `meta` (the format name and schema version), `sources` (one row per source: its key, kind, name, format
//! and, for review sources, the document and reviewer), `entries` (one row per fact-check, unique on source and the
//! source's id, with a hash of its fields and of its embedded text), `vectors` (one per entry: the model and the
//! vector as 16-bit floats), and `entries_fts` (an FTS5 index over claim and title, kept in step by triggers).
//!
//! A file that is not a library, or is damaged, is an error naming it; it is never written to or replaced.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::time::Duration;

use rusqlite::{Connection, OpenFlags, OptionalExtension, TransactionBehavior, params};

use super::store::{EntryState, IndexRow, SourceUpdate, Store, SyncCounts};
use super::{Embedder, Entry, LibraryError, Record, SourceInfo, SourceKind, Stats};
use crate::review::Status;

/// The file in the library's folder.
pub const FILE_NAME: &str = "library.sqlite";
/// The `format` value in `meta`: tells a library from any other SQLite file.
pub const FORMAT_NAME: &str = "claimdesk-library";
/// The schema this build writes and reads.
pub const SCHEMA_VERSION: i64 = 1;
/// How long a writer waits for another process's transaction before giving up.
pub const BUSY_TIMEOUT: Duration = Duration::from_secs(60);

const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS sources (
    id INTEGER PRIMARY KEY,
    key TEXT NOT NULL UNIQUE,
    kind TEXT NOT NULL,
    name TEXT NOT NULL,
    format TEXT NOT NULL,
    path TEXT,
    document_title TEXT,
    fingerprint TEXT,
    reviewer TEXT,
    imported TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS sources_fingerprint ON sources(fingerprint);
CREATE INDEX IF NOT EXISTS sources_name ON sources(name);
CREATE TABLE IF NOT EXISTS entries (
    id INTEGER PRIMARY KEY,
    source INTEGER NOT NULL REFERENCES sources(id) ON DELETE CASCADE,
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
    row_hash BLOB NOT NULL,
    text_hash BLOB NOT NULL,
    UNIQUE (source, ext_id)
);
CREATE INDEX IF NOT EXISTS entries_ext_id ON entries(ext_id);
CREATE TABLE IF NOT EXISTS vectors (
    entry INTEGER PRIMARY KEY REFERENCES entries(id) ON DELETE CASCADE,
    model TEXT NOT NULL,
    data BLOB NOT NULL
);
CREATE VIRTUAL TABLE IF NOT EXISTS entries_fts USING fts5(
    claim, title, content='entries', content_rowid='id', tokenize='porter unicode61 remove_diacritics 2'
);
CREATE TRIGGER IF NOT EXISTS entries_ai AFTER INSERT ON entries BEGIN
    INSERT INTO entries_fts(rowid, claim, title) VALUES (new.id, new.claim, new.title);
END;
CREATE TRIGGER IF NOT EXISTS entries_ad AFTER DELETE ON entries BEGIN
    INSERT INTO entries_fts(entries_fts, rowid, claim, title) VALUES ('delete', old.id, old.claim, old.title);
END;
CREATE TRIGGER IF NOT EXISTS entries_au AFTER UPDATE OF claim, title ON entries BEGIN
    INSERT INTO entries_fts(entries_fts, rowid, claim, title) VALUES ('delete', old.id, old.claim, old.title);
    INSERT INTO entries_fts(rowid, claim, title) VALUES (new.id, new.claim, new.title);
END;
";

/// The columns [`row_to_entry`] reads, in its order.
const ENTRY_COLUMNS: &str = "e.id, e.ext_id, e.claim, e.title, e.verdict, e.status, e.note, e.sources, e.url, e.author, \
     e.claimant, e.date, e.language, s.key, s.kind, s.name, s.format, s.path, s.document_title, s.fingerprint, \
     s.reviewer";

/// The SQLite store.
pub struct SqliteStore {
    conn: Connection,
    path: PathBuf,
}

impl SqliteStore {
    /// Open (creating on first use) the library in folder `dir`.
    pub fn open(dir: &Path) -> Result<Self, LibraryError> {
        match std::fs::metadata(dir) {
            Ok(m) if !m.is_dir() => return Err(LibraryError::NotAFolder { path: dir.to_path_buf() }),
            Ok(_) => {}
            Err(_) => std::fs::create_dir_all(dir)
                .map_err(|source| LibraryError::CreateFolder { path: dir.to_path_buf(), source })?,
        }
        let path = dir.join(FILE_NAME);
        Self::open_file(&path)
    }

    /// Open (creating on first use) the library file at `path`.
    pub fn open_file(path: &Path) -> Result<Self, LibraryError> {
        check_header(path)?;
        let flags = OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_CREATE | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        let conn = Connection::open_with_flags(path, flags).map_err(|e| error(path, e))?;
        let store = Self { conn, path: path.to_path_buf() };
        store.setup()?;
        Ok(store)
    }

    fn err(&self, e: rusqlite::Error) -> LibraryError {
        error(&self.path, e)
    }

    fn setup(&self) -> Result<(), LibraryError> {
        let e = |err| self.err(err);
        self.conn.busy_timeout(BUSY_TIMEOUT).map_err(e)?;
        // The first statement reads the file: a file that is not a database fails here, before anything is written.
        let tables: i64 = self.conn.query_row("SELECT count(*) FROM sqlite_master", [], |r| r.get(0)).map_err(e)?;
        if tables > 0 {
            self.check_meta()?;
        }
        self.conn.pragma_update(None, "journal_mode", "WAL").map_err(e)?;
        // FULL: a committed import survives a power cut too, not only a killed process.
        self.conn.pragma_update(None, "synchronous", "FULL").map_err(e)?;
        self.conn.pragma_update(None, "foreign_keys", "ON").map_err(e)?;
        if tables == 0 {
            // Two processes may create it at once: the schema is made in one immediate transaction, idempotently.
            self.conn.execute_batch("BEGIN IMMEDIATE").map_err(e)?;
            let made = (|| {
                self.conn.execute_batch(SCHEMA)?;
                self.conn.execute(
                    "INSERT OR IGNORE INTO meta(key, value) VALUES ('format', ?1), ('schema', ?2)",
                    params![FORMAT_NAME, SCHEMA_VERSION.to_string()],
                )?;
                self.conn.execute_batch("COMMIT")
            })();
            if let Err(err) = made {
                let _ = self.conn.execute_batch("ROLLBACK");
                return Err(self.err(err));
            }
            self.check_meta()?;
        }
        Ok(())
    }

    /// The file is a ClaimDesk library of a schema this build reads.
    fn check_meta(&self) -> Result<(), LibraryError> {
        let not_library = |message: String| LibraryError::NotALibrary { path: self.path.clone(), message };
        let has_meta: bool = self
            .conn
            .query_row("SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'meta'", [], |r| {
                r.get::<_, i64>(0)
            })
            .map_err(|e| self.err(e))?
            > 0;
        if !has_meta {
            return Err(not_library("an SQLite database with other tables".to_owned()));
        }
        let get = |key: &str| -> Result<Option<String>, LibraryError> {
            self.conn
                .query_row("SELECT value FROM meta WHERE key = ?1", [key], |r| r.get(0))
                .optional()
                .map_err(|e| self.err(e))
        };
        match get("format")? {
            Some(f) if f == FORMAT_NAME => {}
            Some(f) => return Err(not_library(format!("its format is `{f}`"))),
            None => return Err(not_library("it has no format".to_owned())),
        }
        let schema = get("schema")?.unwrap_or_default();
        let found: i64 = schema.parse().map_err(|_| LibraryError::Damaged {
            path: self.path.clone(),
            message: format!("meta.schema: `{schema}` is not a number"),
        })?;
        if found > SCHEMA_VERSION {
            return Err(LibraryError::TooNew { path: self.path.clone(), found, supported: SCHEMA_VERSION });
        }
        Ok(())
    }

    fn source_id(&self, key: &str) -> Result<Option<i64>, LibraryError> {
        self.conn
            .query_row("SELECT id FROM sources WHERE key = ?1", [key], |r| r.get(0))
            .optional()
            .map_err(|e| self.err(e))
    }

    fn query_entries(&self, sql_tail: &str, params: impl rusqlite::Params) -> Result<Vec<Entry>, LibraryError> {
        let sql = format!("SELECT {ENTRY_COLUMNS} FROM entries e JOIN sources s ON s.id = e.source {sql_tail}");
        let mut stmt = self.conn.prepare_cached(&sql).map_err(|e| self.err(e))?;
        let rows = stmt.query_map(params, row_to_entry).map_err(|e| self.err(e))?;
        rows.collect::<rusqlite::Result<Vec<Entry>>>().map_err(|e| self.err(e))
    }
}

/// Count one more change ([`Store::generation`]).
fn bump_generation(conn: &Connection) -> rusqlite::Result<()> {
    conn.execute(
        "INSERT INTO meta(key, value) VALUES ('generation', '1')
         ON CONFLICT(key) DO UPDATE SET value = CAST(CAST(value AS INTEGER) + 1 AS TEXT)",
        [],
    )
    .map(|_| ())
}

/// Refuse, before SQLite touches it, a file that is not an SQLite database (SQLite would refuse it too, but a
/// clear message names what it is).
fn check_header(path: &Path) -> Result<(), LibraryError> {
    use std::io::Read;
    let meta = match std::fs::metadata(path) {
        Ok(m) => m,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
        Err(e) => return Err(LibraryError::Unreadable { path: path.to_path_buf(), message: e.to_string() }),
    };
    if meta.is_dir() {
        return Err(LibraryError::NotALibrary { path: path.to_path_buf(), message: "it is a folder".to_owned() });
    }
    if !meta.is_file() {
        return Err(LibraryError::NotALibrary {
            path: path.to_path_buf(),
            message: "it is not a regular file (a pipe, socket or device)".to_owned(),
        });
    }
    if meta.len() == 0 {
        // A library created by a process killed before its first transaction: SQLite starts it afresh.
        return Ok(());
    }
    let mut header = [0u8; 16];
    let mut file = std::fs::File::open(path)
        .map_err(|e| LibraryError::Unreadable { path: path.to_path_buf(), message: e.to_string() })?;
    let n = file
        .read(&mut header)
        .map_err(|e| LibraryError::Unreadable { path: path.to_path_buf(), message: e.to_string() })?;
    if n < 16 || &header != b"SQLite format 3\0" {
        return Err(LibraryError::NotALibrary {
            path: path.to_path_buf(),
            message: "the file does not start as an SQLite database does".to_owned(),
        });
    }
    Ok(())
}

/// An SQLite error as the library's error, naming the file.
fn error(path: &Path, e: rusqlite::Error) -> LibraryError {
    use rusqlite::ErrorCode as C;
    let path = path.to_path_buf();
    let message = e.to_string();
    match e.sqlite_error_code() {
        Some(C::DatabaseCorrupt) => LibraryError::Damaged { path, message },
        Some(C::NotADatabase) => LibraryError::NotALibrary { path, message },
        Some(C::DatabaseBusy | C::DatabaseLocked) => LibraryError::Busy { path, seconds: BUSY_TIMEOUT.as_secs() },
        Some(C::CannotOpen | C::PermissionDenied | C::ReadOnly | C::SystemIoFailure) => {
            LibraryError::Unreadable { path, message }
        }
        _ => LibraryError::Database { path, message },
    }
}

fn row_to_entry(r: &rusqlite::Row<'_>) -> rusqlite::Result<Entry> {
    let sources: String = r.get(7)?;
    let status: Option<String> = r.get(5)?;
    let kind: String = r.get(14)?;
    Ok(Entry {
        key: r.get(0)?,
        record: Record {
            id: r.get(1)?,
            claim: r.get(2)?,
            title: r.get(3)?,
            verdict: r.get(4)?,
            status: status.as_deref().and_then(Status::parse),
            note: r.get(6)?,
            sources: serde_json::from_str(&sources).unwrap_or_default(),
            url: r.get(8)?,
            author: r.get(9)?,
            claimant: r.get(10)?,
            date: r.get(11)?,
            language: r.get(12)?,
        },
        source: SourceInfo {
            key: r.get(13)?,
            kind: SourceKind::parse(&kind).unwrap_or(SourceKind::Feed),
            name: r.get(15)?,
            format: r.get(16)?,
            path: r.get(17)?,
            document_title: r.get(18)?,
            fingerprint: r.get(19)?,
            reviewer: r.get(20)?,
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

/// The words of a query a full-text search looks for: lowercased, letters and digits only (so never an operator),
/// each once, very common English words left out (they would make every entry a candidate), at most 64.
pub fn query_words(text: &str) -> Vec<String> {
    const STOP: &[&str] = &[
        "a", "an", "and", "are", "as", "at", "be", "but", "by", "for", "from", "has", "have", "he", "her", "his", "i",
        "in", "is", "it", "its", "of", "on", "or", "she", "that", "the", "their", "they", "this", "to", "was", "were",
        "will", "with", "who", "which", "we", "you", "not", "had", "been", "after", "said", "says",
    ];
    let mut words: Vec<String> = Vec::new();
    for w in text.split(|c: char| !c.is_alphanumeric()) {
        let w = w.to_lowercase();
        if w.is_empty() || STOP.contains(&w.as_str()) || words.contains(&w) {
            continue;
        }
        words.push(w);
        if words.len() == 64 {
            break;
        }
    }
    words
}

/// Words of a query as an FTS5 expression ([`query_words`]): each word quoted, joined by OR. Empty when no word is
/// left.
pub fn fts_query(text: &str) -> String {
    query_words(text).iter().map(|w| format!("\"{w}\"")).collect::<Vec<_>>().join(" OR ")
}

impl Store for SqliteStore {
    fn location(&self) -> &Path {
        &self.path
    }

    fn source_state(&self, key: &str) -> Result<HashMap<String, EntryState>, LibraryError> {
        let Some(source) = self.source_id(key)? else { return Ok(HashMap::new()) };
        let mut stmt = self
            .conn
            .prepare_cached(
                "SELECT e.ext_id, e.row_hash, e.text_hash, v.model FROM entries e
                 LEFT JOIN vectors v ON v.entry = e.id WHERE e.source = ?1",
            )
            .map_err(|e| self.err(e))?;
        let rows = stmt
            .query_map([source], |r| {
                let row: Vec<u8> = r.get(1)?;
                let text: Vec<u8> = r.get(2)?;
                Ok((
                    r.get::<_, String>(0)?,
                    EntryState { row_hash: hash32(&row), text_hash: hash32(&text), model: r.get(3)? },
                ))
            })
            .map_err(|e| self.err(e))?;
        rows.collect::<rusqlite::Result<HashMap<_, _>>>().map_err(|e| self.err(e))
    }

    fn apply(
        &mut self,
        updates: &[SourceUpdate],
        vectors: &HashMap<[u8; 32], Vec<u8>>,
        embedder: Option<&dyn Embedder>,
    ) -> Result<Vec<SyncCounts>, LibraryError> {
        let path = self.path.clone();
        let tx = self.conn.transaction_with_behavior(TransactionBehavior::Immediate).map_err(|e| error(&path, e))?;
        let mut all = Vec::with_capacity(updates.len());
        for update in updates {
            // The transaction derefs to the connection; on error it is dropped, which rolls it back.
            let counts = apply_one(&tx, update, vectors, embedder).map_err(|e| error(&path, e))?;
            all.push(counts);
        }
        bump_generation(&tx).map_err(|e| error(&path, e))?;
        tx.commit().map_err(|e| error(&path, e))?;
        Ok(all)
    }

    fn entries(&self) -> Result<Vec<Entry>, LibraryError> {
        self.query_entries("ORDER BY s.name, s.key, e.ext_id", [])
    }

    fn entries_by_key(&self, keys: &[i64]) -> Result<Vec<Entry>, LibraryError> {
        let mut out = Vec::with_capacity(keys.len());
        for key in keys {
            out.extend(self.query_entries("WHERE e.id = ?1", [key])?);
        }
        Ok(out)
    }

    fn remove(&mut self, ids: &[String], source: Option<&str>) -> Result<u64, LibraryError> {
        let path = self.path.clone();
        let tx = self.conn.transaction_with_behavior(TransactionBehavior::Immediate).map_err(|e| error(&path, e))?;
        let e = |err| error(&path, err);
        let sources: Vec<(i64, String)> = match source {
            Some(s) => {
                let mut stmt = tx.prepare("SELECT id, name FROM sources WHERE name = ?1 OR key = ?1").map_err(e)?;
                let rows = stmt.query_map([s], |r| Ok((r.get(0)?, r.get(1)?))).map_err(e)?;
                let found = rows.collect::<rusqlite::Result<Vec<_>>>().map_err(e)?;
                if found.is_empty() {
                    return Err(LibraryError::NotFound(format!("{}: no source named `{s}`", path.display())));
                }
                found
            }
            None => Vec::new(),
        };
        let mut removed = 0u64;
        if ids.is_empty() {
            for (id, _) in &sources {
                removed += tx
                    .query_row("SELECT count(*) FROM entries WHERE source = ?1", [id], |r| r.get::<_, i64>(0))
                    .map_err(e)? as u64;
                tx.execute("DELETE FROM entries WHERE source = ?1", [id]).map_err(e)?;
                tx.execute("DELETE FROM sources WHERE id = ?1", [id]).map_err(e)?;
            }
        }
        for id in ids {
            let mut stmt = tx
                .prepare_cached("SELECT e.id, e.source, s.name FROM entries e JOIN sources s ON s.id = e.source WHERE e.ext_id = ?1")
                .map_err(e)?;
            let rows = stmt
                .query_map([id], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, i64>(1)?, r.get::<_, String>(2)?)))
                .map_err(e)?;
            let mut found = rows.collect::<rusqlite::Result<Vec<_>>>().map_err(e)?;
            if source.is_some() {
                found.retain(|(_, s, _)| sources.iter().any(|(id, _)| id == s));
            }
            match found.len() {
                0 => {
                    let within = source.map(|s| format!(" in source `{s}`")).unwrap_or_default();
                    return Err(LibraryError::NotFound(format!(
                        "{}: no entry with id `{id}`{within}; nothing was removed",
                        path.display()
                    )));
                }
                1 => {}
                _ => {
                    let names: Vec<String> = found.iter().map(|(_, _, n)| format!("`{n}`")).collect();
                    return Err(LibraryError::Ambiguous(format!(
                        "{}: id `{id}` is in {} sources ({}); say which with --source NAME; nothing was removed",
                        path.display(),
                        found.len(),
                        names.join(", ")
                    )));
                }
            }
            tx.execute("DELETE FROM entries WHERE id = ?1", [found[0].0]).map_err(e)?;
            tx.execute(
                "DELETE FROM sources WHERE id = ?1 AND NOT EXISTS (SELECT 1 FROM entries WHERE source = ?1)",
                [found[0].1],
            )
            .map_err(e)?;
            removed += 1;
        }
        bump_generation(&tx).map_err(e)?;
        tx.commit().map_err(e)?;
        Ok(removed)
    }

    fn stats(&self) -> Result<Stats, LibraryError> {
        let e = |err| self.err(err);
        let count = |sql: &str| -> Result<u64, LibraryError> {
            self.conn.query_row(sql, [], |r| r.get::<_, i64>(0)).map(|n| n as u64).map_err(e)
        };
        let mut stats = Stats {
            file: self.path.clone(),
            entries: count("SELECT count(*) FROM entries")?,
            sources: count("SELECT count(*) FROM sources")?,
            ..Stats::default()
        };
        for suffix in ["", "-wal"] {
            let mut p = self.path.clone().into_os_string();
            p.push(suffix);
            stats.bytes += std::fs::metadata(PathBuf::from(p)).map(|m| m.len()).unwrap_or(0);
        }
        let mut stmt = self.conn.prepare("SELECT model, count(*) FROM vectors GROUP BY model").map_err(e)?;
        for row in stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?))).map_err(e)? {
            let (model, n) = row.map_err(e)?;
            stats.embedded.insert(model, n as u64);
        }
        let mut stmt = self
            .conn
            .prepare(
                "SELECT s.name, s.kind, count(e.id) FROM sources s LEFT JOIN entries e ON e.source = s.id
                 GROUP BY s.id ORDER BY s.name, s.key",
            )
            .map_err(e)?;
        for row in stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get::<_, i64>(2)? as u64))).map_err(e)? {
            stats.per_source.push(row.map_err(e)?);
        }
        let mut stmt = self
            .conn
            .prepare(
                "SELECT lower(coalesce(verdict, '')), count(*) AS n FROM entries GROUP BY 1 ORDER BY n DESC, 1 LIMIT 20",
            )
            .map_err(e)?;
        for row in stmt.query_map([], |r| Ok((r.get(0)?, r.get::<_, i64>(1)? as u64))).map_err(e)? {
            stats.verdicts.push(row.map_err(e)?);
        }
        Ok(stats)
    }

    fn text_candidates(
        &self,
        query: &str,
        limit: usize,
        exclude: Option<&str>,
    ) -> Result<Vec<(i64, f32)>, LibraryError> {
        let expr = fts_query(query);
        if expr.is_empty() || limit == 0 {
            return Ok(Vec::new());
        }
        let e = |err| self.err(err);
        let mut stmt = self
            .conn
            .prepare_cached(
                "SELECT rowid, rank FROM entries_fts WHERE entries_fts MATCH ?1
                 AND (?3 IS NULL OR rowid NOT IN (SELECT e.id FROM entries e JOIN sources s ON s.id = e.source
                                                  WHERE s.fingerprint = ?3))
                 ORDER BY rank LIMIT ?2",
            )
            .map_err(e)?;
        let rows = stmt
            .query_map(params![expr, limit as i64, exclude], |r| Ok((r.get(0)?, -(r.get::<_, f64>(1)? as f32))))
            .map_err(e)?;
        rows.collect::<rusqlite::Result<Vec<_>>>().map_err(e)
    }

    fn for_each_vector(&self, model: &str, f: &mut dyn FnMut(IndexRow<'_>)) -> Result<(), LibraryError> {
        let e = |err| self.err(err);
        let mut stmt = self
            .conn
            .prepare(
                "SELECT v.entry, s.fingerprint, e.claim, e.title, v.data FROM vectors v JOIN entries e ON e.id = v.entry
                 JOIN sources s ON s.id = e.source WHERE v.model = ?1",
            )
            .map_err(e)?;
        let mut rows = stmt.query([model]).map_err(e)?;
        while let Some(row) = rows.next().map_err(e)? {
            let text = |i: usize| -> Result<Option<&str>, LibraryError> {
                let value = row.get_ref(i).map_err(e)?;
                match value {
                    rusqlite::types::ValueRef::Null => Ok(None),
                    v => v.as_str().map(Some).map_err(|err| e(err.into())),
                }
            };
            let vector = row.get_ref(4).map_err(e)?.as_blob().map_err(|err| e(err.into()))?;
            f(IndexRow {
                key: row.get(0).map_err(e)?,
                fingerprint: text(1)?,
                claim: text(2)?.unwrap_or(""),
                title: text(3)?,
                vector,
            });
        }
        Ok(())
    }

    fn keys_of_document(&self, fingerprint: &str) -> Result<Vec<i64>, LibraryError> {
        let e = |err| self.err(err);
        let mut stmt = self
            .conn
            .prepare_cached("SELECT e.id FROM entries e JOIN sources s ON s.id = e.source WHERE s.fingerprint = ?1")
            .map_err(e)?;
        let rows = stmt.query_map([fingerprint], |r| r.get(0)).map_err(e)?;
        rows.collect::<rusqlite::Result<Vec<i64>>>().map_err(e)
    }

    fn missing_vectors(&self, model: &str) -> Result<Vec<(i64, String, Option<String>)>, LibraryError> {
        let e = |err| self.err(err);
        let mut stmt = self
            .conn
            .prepare(
                "SELECT e.id, e.claim, e.title FROM entries e LEFT JOIN vectors v ON v.entry = e.id AND v.model = ?1
                 WHERE v.entry IS NULL ORDER BY e.id",
            )
            .map_err(e)?;
        let rows = stmt.query_map([model], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?))).map_err(e)?;
        rows.collect::<rusqlite::Result<Vec<_>>>().map_err(e)
    }

    fn put_vectors(&mut self, model: &str, vectors: &[(i64, Vec<u8>)]) -> Result<(), LibraryError> {
        let path = self.path.clone();
        let e = |err| error(&path, err);
        let tx = self.conn.transaction_with_behavior(TransactionBehavior::Immediate).map_err(e)?;
        {
            let mut put = tx
                .prepare_cached(
                    "INSERT OR REPLACE INTO vectors(entry, model, data)
                     SELECT ?1, ?2, ?3 WHERE EXISTS (SELECT 1 FROM entries WHERE id = ?1)",
                )
                .map_err(e)?;
            for (key, data) in vectors {
                put.execute(params![key, model, data]).map_err(e)?;
            }
        }
        bump_generation(&tx).map_err(e)?;
        tx.commit().map_err(e)
    }

    fn generation(&self) -> Result<u64, LibraryError> {
        self.conn
            .query_row("SELECT value FROM meta WHERE key = 'generation'", [], |r| r.get::<_, String>(0))
            .optional()
            .map(|v| v.and_then(|v| v.parse().ok()).unwrap_or(0))
            .map_err(|e| self.err(e))
    }
}

/// What the store holds of an entry, while a source is being brought up to date.
struct Held {
    row: i64,
    row_hash: Vec<u8>,
    text_hash: Vec<u8>,
    model: Option<String>,
}

/// Bring one source to `update`'s content inside the caller's transaction.
fn apply_one(
    conn: &Connection,
    update: &SourceUpdate,
    vectors: &HashMap<[u8; 32], Vec<u8>>,
    embedder: Option<&dyn Embedder>,
) -> rusqlite::Result<SyncCounts> {
    let info = &update.info;
    let now = crate::review::now_rfc3339();
    conn.execute(
        "INSERT INTO sources(key, kind, name, format, path, document_title, fingerprint, reviewer, imported)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)
         ON CONFLICT(key) DO UPDATE SET kind = ?2, name = ?3, format = ?4, path = coalesce(?5, path),
             document_title = ?6, fingerprint = ?7, reviewer = ?8, imported = ?9",
        params![
            info.key,
            info.kind.as_str(),
            info.name,
            info.format,
            info.path,
            info.document_title,
            info.fingerprint,
            info.reviewer,
            now
        ],
    )?;
    let source: i64 = conn.query_row("SELECT id FROM sources WHERE key = ?1", [&info.key], |r| r.get(0))?;
    // What the source holds now, by the source's ids.
    let mut existing: HashMap<String, Held> = HashMap::new();
    {
        let mut stmt = conn.prepare_cached(
            "SELECT e.ext_id, e.id, e.row_hash, e.text_hash, v.model FROM entries e
             LEFT JOIN vectors v ON v.entry = e.id WHERE e.source = ?1",
        )?;
        let rows = stmt.query_map([source], |r| {
            Ok((r.get(0)?, Held { row: r.get(1)?, row_hash: r.get(2)?, text_hash: r.get(3)?, model: r.get(4)? }))
        })?;
        for row in rows {
            let (id, state): (String, Held) = row?;
            existing.insert(id, state);
        }
    }
    let mut counts = SyncCounts::default();
    let model = embedder.map(|e| e.model());
    let mut insert = conn.prepare_cached(
        "INSERT INTO entries(source, ext_id, claim, title, verdict, status, note, sources, url, author, claimant,
             date, language, row_hash, text_hash)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)",
    )?;
    let mut update_row = conn.prepare_cached(
        "UPDATE entries SET claim = ?2, title = ?3, verdict = ?4, status = ?5, note = ?6, sources = ?7, url = ?8,
             author = ?9, claimant = ?10, date = ?11, language = ?12, row_hash = ?13, text_hash = ?14
         WHERE id = ?1",
    )?;
    let mut put_vector =
        conn.prepare_cached("INSERT OR REPLACE INTO vectors(entry, model, data) VALUES (?1, ?2, ?3)")?;
    let mut drop_vector = conn.prepare_cached("DELETE FROM vectors WHERE entry = ?1")?;
    for record in &update.records {
        let row_hash = record.row_hash();
        let text_hash = record.text_hash();
        let sources_json = serde_json::to_string(&record.sources).unwrap_or_else(|_| "[]".to_owned());
        let status = record.status.map(|s| s.as_str());
        let (row, needs_vector) = match existing.remove(&record.id) {
            Some(Held { row, row_hash: old_row_hash, text_hash: old_text_hash, model: old_model }) => {
                let text_changed = old_text_hash != text_hash;
                if old_row_hash == row_hash {
                    counts.unchanged += 1;
                } else {
                    update_row.execute(params![
                        row,
                        record.claim,
                        record.title,
                        record.verdict,
                        status,
                        record.note,
                        sources_json,
                        record.url,
                        record.author,
                        record.claimant,
                        record.date,
                        record.language,
                        &row_hash[..],
                        &text_hash[..]
                    ])?;
                    counts.updated += 1;
                }
                if text_changed {
                    // A vector is only ever of the entry's current text.
                    drop_vector.execute([row])?;
                }
                (row, model.is_some() && (text_changed || old_model.as_deref() != model))
            }
            None => {
                insert.execute(params![
                    source,
                    record.id,
                    record.claim,
                    record.title,
                    record.verdict,
                    status,
                    record.note,
                    sources_json,
                    record.url,
                    record.author,
                    record.claimant,
                    record.date,
                    record.language,
                    &row_hash[..],
                    &text_hash[..]
                ])?;
                counts.added += 1;
                (conn.last_insert_rowid(), model.is_some())
            }
        };
        if let (true, Some(embedder)) = (needs_vector, embedder) {
            match vectors.get(&text_hash) {
                Some(v) => put_vector.execute(params![row, embedder.model(), v])?,
                None => {
                    let v = embedder.embed(&[record.embed_text()]).into_iter().next().unwrap_or_default();
                    put_vector.execute(params![row, embedder.model(), v])?
                }
            };
            counts.embedded += 1;
        }
    }
    let mut delete = conn.prepare_cached("DELETE FROM entries WHERE id = ?1")?;
    for held in existing.values() {
        delete.execute([held.row])?;
        counts.removed += 1;
    }
    // A source left with no entries is forgotten.
    conn.execute(
        "DELETE FROM sources WHERE id = ?1 AND NOT EXISTS (SELECT 1 FROM entries WHERE source = ?1)",
        [source],
    )?;
    Ok(counts)
}
