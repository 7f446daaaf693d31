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
use postgres::{Client, Config, NoTls};

use super::store::{EntryState, IndexRow, SourceUpdate, Store, SyncCounts};
use super::{Embedder, Entry, LibraryError, Stats};
pub use super::{is_server_url, redact};

mod connect;
mod rows;
mod schema;

pub use connect::pgpass_lookup;
use connect::*;
use rows::*;
use schema::*;
pub use schema::{CANDIDATE_ROWS, CONNECT_TIMEOUT, MAX_CANDIDATES, ROLES_SQL, SCHEMA_VERSION};

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
