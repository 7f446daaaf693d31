//! The desk's view of a shared library: the server when it can be reached, else a local mirror, with the verdicts
//! saved meanwhile queued and sent when the server is back, exactly once.
//!
//! [`SharedStore`] wraps a [`PostgresStore`] and a [`SqliteStore`] mirror in the data folder
//! (`shared/<16 hex digits of the URL without its password>/`). On connecting it first sends what is queued, then
//! refreshes the mirror when the server's generation differs from the one last mirrored: the first time every
//! source, then the sources whose entries `claimdesk_history` shows changed by transactions since (with the matcher's
//! vectors). When the server cannot be reached (on opening, or when a call fails that way later) it works on
//! the mirror and says so in one line ([`Store::notice`]); every 30 s a call tries the server again.
//!
//! Offline, a save of a reviewer's verdicts ([`Store::apply`] of review sources) is written to `queue/` as one JSON
//! file (the source updates, every vector they need, and a random key) with a crash-safe write, then applied to the
//! mirror so matching sees it. Sending one applies it in one server transaction together with its key in
//! `claimdesk_applied`: a file sent but not yet deleted when the process died is skipped the next time, so each is
//! applied once. Imports and removals need the server ([`Store::require_server`]).
//!
//! Keys: the mirror's entries are shown with negative keys, the server's are positive, so an index built on one is
//! never read against the other (a key of the wrong kind finds nothing).

use std::cell::{Cell, RefCell};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::postgres::PostgresStore;
use super::search::MATCHER_MODEL;
use super::sqlite::SqliteStore;
use super::store::{EntryState, IndexRow, SourceUpdate, Store, SyncCounts};
use super::{Embedder, Entry, LibraryError, Record, SourceKind, Stats, redact};

/// How often an offline store tries the server again.
pub const RETRY: Duration = Duration::from_secs(30);
/// Added to the mirror's generation offline, so an index built online is seen as stale.
const OFFLINE_GENERATION: u64 = 1 << 40;

/// One queued save: its key (sent with it, so it is applied once), the source updates and their vectors.
#[derive(Serialize, Deserialize)]
struct Queued {
    key: String,
    updates: Vec<SourceUpdate>,
    model: Option<String>,
    /// Hex text hash → vector, for every record of `updates` when `model` is set.
    vectors: HashMap<String, Vec<u8>>,
}

/// Vectors computed when the save was queued, handed back by text hash when it is sent.
struct Recorded<'a> {
    model: &'a str,
    vectors: &'a HashMap<[u8; 32], Vec<u8>>,
}

impl Embedder for Recorded<'_> {
    fn model(&self) -> &str {
        self.model
    }

    fn embed(&self, texts: &[(&str, Option<&str>)]) -> Vec<Vec<u8>> {
        texts
            .iter()
            .map(|(claim, title)| {
                let r = Record { claim: (*claim).to_owned(), title: title.map(str::to_owned), ..Record::default() };
                self.vectors.get(&r.text_hash()).cloned().unwrap_or_default()
            })
            .collect()
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn unhex(s: &str) -> Option<[u8; 32]> {
    let mut out = [0u8; 32];
    if s.len() != 64 {
        return None;
    }
    for (i, o) in out.iter_mut().enumerate() {
        *o = u8::from_str_radix(s.get(i * 2..i * 2 + 2)?, 16).ok()?;
    }
    Some(out)
}

/// The shared library with its mirror and queue.
pub struct SharedStore {
    /// The URL as given (with its password, if it has one: needed to reconnect; never shown).
    url: String,
    shown: PathBuf,
    dir: PathBuf,
    server: RefCell<Option<PostgresStore>>,
    mirror: RefCell<SqliteStore>,
    /// Why the server is not in use (`None`: it is).
    offline: RefCell<Option<String>>,
    /// Saves this role was refused while sending the queue.
    refused: RefCell<Option<String>>,
    last_attempt: Cell<Instant>,
}

impl SharedStore {
    /// Open the shared library of `url`, its mirror and queue in a folder of `data` (`shared/...`). A server that
    /// cannot be reached is not an error: the store works on the mirror and says so ([`Store::notice`]).
    pub fn open(url: &str, data: &Path) -> Result<Self, LibraryError> {
        let shown = redact(url);
        let id: String = hex(&Sha256::digest(shown.as_bytes())[..8]);
        let dir = data.join("shared").join(id);
        let mirror = SqliteStore::open(&dir)?;
        std::fs::create_dir_all(dir.join("queue"))
            .map_err(|source| LibraryError::CreateFolder { path: dir.join("queue"), source })?;
        // A short note beside the mirror says whose it is (the URL without its password).
        let _ = std::fs::write(dir.join("server.txt"), format!("{shown}\n"));
        let store = Self {
            url: url.to_owned(),
            shown: PathBuf::from(shown),
            dir,
            server: RefCell::new(None),
            mirror: RefCell::new(mirror),
            offline: RefCell::new(None),
            refused: RefCell::new(None),
            last_attempt: Cell::new(Instant::now()),
        };
        store.connect()?;
        Ok(store)
    }

    /// Whether the server is in use now.
    pub fn is_online(&self) -> bool {
        self.server.borrow().is_some()
    }

    /// How many saves wait in the queue.
    pub fn queued(&self) -> usize {
        self.queue_files().len()
    }

    /// Try the server now: send the queue, refresh the mirror. `Ok(false)` when it still cannot be reached.
    pub fn connect(&self) -> Result<bool, LibraryError> {
        self.last_attempt.set(Instant::now());
        let mut server = match PostgresStore::open(&self.url) {
            Ok(s) => s,
            Err(LibraryError::Unreachable { message, .. }) => {
                self.go_offline(&message);
                return Ok(false);
            }
            Err(e) => return Err(e),
        };
        match self.flush(&mut server).and_then(|()| self.refresh(&server)) {
            Ok(()) => {}
            Err(LibraryError::Unreachable { message, .. }) => {
                self.go_offline(&message);
                return Ok(false);
            }
            Err(e) => return Err(e),
        }
        *self.server.borrow_mut() = Some(server);
        *self.offline.borrow_mut() = None;
        Ok(true)
    }

    fn go_offline(&self, message: &str) {
        *self.server.borrow_mut() = None;
        *self.offline.borrow_mut() = Some(message.to_owned());
    }

    /// When offline and the last try is [`RETRY`] old, try again.
    fn maybe_reconnect(&self) {
        if self.server.borrow().is_none() && self.last_attempt.get().elapsed() >= RETRY {
            let _ = self.connect();
        }
    }

    fn queue_files(&self) -> Vec<PathBuf> {
        let mut files: Vec<PathBuf> = std::fs::read_dir(self.dir.join("queue"))
            .into_iter()
            .flatten()
            .flatten()
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|e| e == "json"))
            .collect();
        files.sort();
        files
    }

    /// Send every queued save, oldest first; each file goes once it is on the server.
    fn flush(&self, server: &mut PostgresStore) -> Result<(), LibraryError> {
        for file in self.queue_files() {
            let bad = |message: String| LibraryError::Damaged { path: file.clone(), message };
            let bytes = std::fs::read(&file).map_err(|e| bad(e.to_string()))?;
            let queued: Queued = serde_json::from_slice(&bytes).map_err(|e| bad(e.to_string()))?;
            let vectors: HashMap<[u8; 32], Vec<u8>> =
                queued.vectors.iter().filter_map(|(h, v)| Some((unhex(h)?, v.clone()))).collect();
            let recorded = queued.model.as_deref().map(|model| Recorded { model, vectors: &vectors });
            let embedder = recorded.as_ref().map(|r| r as &dyn Embedder);
            match server.apply_once(&queued.key, &queued.updates, &vectors, embedder) {
                Ok(_) => {}
                Err(e @ LibraryError::Refused { .. }) => {
                    // This role may not share verdicts: kept aside, not sent again and again.
                    let refused = self.dir.join("refused");
                    let _ = std::fs::create_dir_all(&refused);
                    let _ = std::fs::rename(&file, refused.join(file.file_name().unwrap_or_default()));
                    *self.refused.borrow_mut() = Some(format!("verdicts saved offline were not shared: {e}"));
                    continue;
                }
                Err(e) => return Err(e),
            }
            std::fs::remove_file(&file).map_err(|e| bad(format!("sent, but cannot be removed: {e}")))?;
        }
        Ok(())
    }

    /// Bring the mirror to the server's content when the server changed since it was last mirrored: the sources the
    /// history says changed since then (every source the first time), each brought to its content on the server.
    fn refresh(&self, server: &PostgresStore) -> Result<(), LibraryError> {
        let marker = self.dir.join("mirrored");
        let generation = server.generation()?;
        // "GENERATION XMIN": the server's generation and oldest running transaction when it was last mirrored.
        let text = std::fs::read_to_string(&marker).unwrap_or_default();
        let mut fields = text.split_whitespace().map(|f| f.parse::<i64>().ok());
        let (mirrored, since) = (fields.next().flatten(), fields.next().flatten());
        if mirrored == Some(generation as i64) {
            return Ok(());
        }
        // Read before the entries: a change committed meanwhile is asked for again next time, never missed.
        let xmin = server.snapshot_xmin()?;
        let changed = match since {
            Some(since) => Some(server.sources_changed_since(since)?),
            None => None,
        };
        let entries = match &changed {
            Some(keys) if keys.is_empty() => Vec::new(),
            Some(keys) => server.entries_of_sources(keys)?,
            None => server.entries()?,
        };
        let mut mirror = self.mirror.borrow_mut();
        let mut by_key: HashMap<(String, String), i64> = HashMap::new();
        let mut merged: HashMap<String, SourceUpdate> = HashMap::new();
        for e in entries {
            by_key.insert((e.source.key.clone(), e.record.id.clone()), e.key);
            merged
                .entry(e.source.key.clone())
                .or_insert_with(|| SourceUpdate { info: e.source.clone(), records: Vec::new() })
                .records
                .push(e.record);
        }
        // Sources with no entries left on the server go from the mirror too.
        let gone: Vec<String> = match &changed {
            Some(keys) => keys.iter().filter(|k| !merged.contains_key(*k)).cloned().collect(),
            None => mirror.entries()?.into_iter().map(|e| e.source.key).filter(|k| !merged.contains_key(k)).collect(),
        };
        for key in gone {
            let info = super::SourceInfo {
                key: key.clone(),
                kind: SourceKind::Feed,
                name: key.clone(),
                format: String::new(),
                path: None,
                document_title: None,
                fingerprint: None,
                reviewer: None,
            };
            merged.insert(key, SourceUpdate { info, records: Vec::new() });
        }
        let updates: Vec<SourceUpdate> = merged.into_values().collect();
        if !updates.is_empty() {
            mirror.apply(&updates, &HashMap::new(), None)?;
        }
        // The matcher's vectors of the entries the mirror lacks them for.
        let missing: Vec<i64> = mirror.missing_vectors(MATCHER_MODEL)?.into_iter().map(|(k, ..)| k).collect();
        if !missing.is_empty() && !by_key.is_empty() {
            let mut server_to_local: HashMap<i64, i64> = HashMap::new();
            for e in mirror.entries_by_key(&missing)? {
                if let Some(server_key) = by_key.get(&(e.source.key, e.record.id)) {
                    server_to_local.insert(*server_key, e.key);
                }
            }
            let wanted: Vec<i64> = server_to_local.keys().copied().collect();
            let vectors: Vec<(i64, Vec<u8>)> = server
                .vectors_of(MATCHER_MODEL, &wanted)?
                .into_iter()
                .filter_map(|(k, v)| server_to_local.get(&k).map(|l| (*l, v)))
                .collect();
            mirror.put_vectors(MATCHER_MODEL, &vectors)?;
        }
        crate::atomic::write_atomic_with(
            &marker,
            format!("{generation} {xmin}\n").as_bytes(),
            crate::atomic::WriteOptions { keep_backup: false },
        )
        .map_err(|e| LibraryError::Unreadable { path: marker.clone(), message: e.to_string() })?;
        Ok(())
    }

    /// `online` on the server when there is one; on the mirror when there is none or it cannot be reached now.
    fn read<T>(
        &self,
        online: impl FnOnce(&PostgresStore) -> Result<T, LibraryError>,
        offline: impl FnOnce(&SqliteStore) -> Result<T, LibraryError>,
    ) -> Result<T, LibraryError> {
        self.maybe_reconnect();
        let result = self.server.borrow().as_ref().map(online);
        match result {
            Some(Err(LibraryError::Unreachable { message, .. })) => self.go_offline(&message),
            Some(other) => return other,
            None => {}
        }
        offline(&self.mirror.borrow())
    }

    /// Queue a save made offline, then apply it to the mirror.
    fn queue(
        &self,
        updates: &[SourceUpdate],
        vectors: &HashMap<[u8; 32], Vec<u8>>,
        embedder: Option<&dyn Embedder>,
    ) -> Result<Vec<SyncCounts>, LibraryError> {
        if let Some(u) = updates.iter().find(|u| u.info.kind != SourceKind::Review) {
            return Err(self.needs_server(&format!("importing `{}`", u.info.name)));
        }
        let mut all: HashMap<[u8; 32], Vec<u8>> = HashMap::new();
        if let Some(embedder) = embedder {
            for r in updates.iter().flat_map(|u| &u.records) {
                let hash = r.text_hash();
                if let std::collections::hash_map::Entry::Vacant(slot) = all.entry(hash) {
                    let v = match vectors.get(&hash) {
                        Some(v) => v.clone(),
                        None => embedder.embed(&[r.embed_text()]).into_iter().next().unwrap_or_default(),
                    };
                    slot.insert(v);
                }
            }
        }
        let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap_or_default().as_nanos();
        let mut seed = Sha256::new();
        seed.update(nanos.to_le_bytes());
        seed.update(std::process::id().to_le_bytes());
        seed.update(serde_json::to_vec(updates).unwrap_or_default());
        let key = hex(&seed.finalize()[..16]);
        let queued = Queued {
            key: key.clone(),
            updates: updates.to_vec(),
            model: embedder.map(|e| e.model().to_owned()),
            vectors: all.iter().map(|(h, v)| (hex(h), v.clone())).collect(),
        };
        let bytes = serde_json::to_vec(&queued).map_err(|e| LibraryError::Database {
            path: self.shown.clone(),
            message: format!("cannot queue the save: {e}"),
        })?;
        // Named by time first, so the queue is sent in the order it was saved.
        let file = self.dir.join("queue").join(format!("{nanos:032}-{key}.json"));
        crate::atomic::write_atomic_with(&file, &bytes, crate::atomic::WriteOptions { keep_backup: false })
            .map_err(|e| LibraryError::Unreadable { path: file.clone(), message: e.to_string() })?;
        let recorded = embedder.map(|e| Recorded { model: e.model(), vectors: &all });
        self.mirror.borrow_mut().apply(updates, &all, recorded.as_ref().map(|r| r as &dyn Embedder))
    }

    fn needs_server(&self, what: &str) -> LibraryError {
        LibraryError::Unreachable {
            path: self.shown.clone(),
            message: format!("{what} needs the server; nothing was changed"),
        }
    }
}

/// A mirror key as shown (negative), and back.
fn shown_key(k: i64) -> i64 {
    -k
}

impl Store for SharedStore {
    fn location(&self) -> &Path {
        &self.shown
    }

    fn notice(&self) -> Option<String> {
        let refused = self.refused.borrow().clone();
        let offline = self.offline.borrow().clone().map(|reason| {
            let queued = self.queued();
            let waiting = if queued > 0 { format!("; {queued} save(s) wait to be sent") } else { String::new() };
            format!(
                "{}: the shared library cannot be reached ({reason}); matching against the local copy, and verdicts \
                 saved now are sent when it is back{waiting}",
                self.shown.display()
            )
        });
        match (offline, refused) {
            (Some(o), Some(r)) => Some(format!("{o}; {r}")),
            (o, r) => o.or(r),
        }
    }

    fn require_server(&self) -> Result<(), LibraryError> {
        self.maybe_reconnect();
        if self.is_online() { Ok(()) } else { Err(self.needs_server("importing or removing entries")) }
    }

    fn reconnect(&self) -> Result<bool, LibraryError> {
        self.connect()
    }

    fn source_state(&self, key: &str) -> Result<HashMap<String, EntryState>, LibraryError> {
        self.read(|s| s.source_state(key), |m| m.source_state(key))
    }

    fn apply(
        &mut self,
        updates: &[SourceUpdate],
        vectors: &HashMap<[u8; 32], Vec<u8>>,
        embedder: Option<&dyn Embedder>,
    ) -> Result<Vec<SyncCounts>, LibraryError> {
        self.maybe_reconnect();
        let result = self.server.borrow_mut().as_mut().map(|s| s.apply(updates, vectors, embedder));
        match result {
            Some(Err(LibraryError::Unreachable { message, .. })) => self.go_offline(&message),
            Some(Ok(counts)) => {
                // The mirror follows the desk's own saves, so going offline later still matches them.
                let reviews: Vec<SourceUpdate> =
                    updates.iter().filter(|u| u.info.kind == SourceKind::Review).cloned().collect();
                if !reviews.is_empty() {
                    let _ = self.mirror.borrow_mut().apply(&reviews, vectors, embedder);
                }
                return Ok(counts);
            }
            Some(Err(e)) => return Err(e),
            None => {}
        }
        self.queue(updates, vectors, embedder)
    }

    fn entries(&self) -> Result<Vec<Entry>, LibraryError> {
        self.read(
            |s| s.entries(),
            |m| {
                let mut all = m.entries()?;
                all.iter_mut().for_each(|e| e.key = shown_key(e.key));
                Ok(all)
            },
        )
    }

    fn entries_by_key(&self, keys: &[i64]) -> Result<Vec<Entry>, LibraryError> {
        self.read(
            |s| s.entries_by_key(&keys.iter().copied().filter(|k| *k > 0).collect::<Vec<_>>()),
            |m| {
                let local: Vec<i64> = keys.iter().filter(|k| **k < 0).map(|k| shown_key(*k)).collect();
                let mut found = m.entries_by_key(&local)?;
                found.iter_mut().for_each(|e| e.key = shown_key(e.key));
                Ok(found)
            },
        )
    }

    fn remove(&mut self, ids: &[String], source: Option<&str>) -> Result<u64, LibraryError> {
        self.require_server()?;
        let result = self.server.borrow_mut().as_mut().map(|s| s.remove(ids, source));
        match result {
            Some(Err(LibraryError::Unreachable { message, .. })) => {
                self.go_offline(&message);
                Err(self.needs_server("removing entries"))
            }
            Some(other) => other,
            None => Err(self.needs_server("removing entries")),
        }
    }

    fn stats(&self) -> Result<Stats, LibraryError> {
        self.read(|s| s.stats(), |m| m.stats())
    }

    fn text_candidates(
        &self,
        query: &str,
        limit: usize,
        exclude: Option<&str>,
    ) -> Result<Vec<(i64, f32)>, LibraryError> {
        self.read(
            |s| s.text_candidates(query, limit, exclude),
            |m| Ok(m.text_candidates(query, limit, exclude)?.into_iter().map(|(k, s)| (shown_key(k), s)).collect()),
        )
    }

    fn for_each_vector(&self, model: &str, f: &mut dyn FnMut(IndexRow<'_>)) -> Result<(), LibraryError> {
        // The server is tried first; a failure part way leaves `f` with some rows: the caller's index is rebuilt
        // anyway, since the generation changes when the store goes offline.
        let mut rows_seen = false;
        let online = {
            let server = self.server.borrow();
            server.as_ref().map(|s| {
                s.for_each_vector(model, &mut |row| {
                    rows_seen = true;
                    f(row)
                })
            })
        };
        match online {
            Some(Err(LibraryError::Unreachable { message, .. })) => {
                self.go_offline(&message);
                if rows_seen {
                    return Err(LibraryError::Unreachable { path: self.shown.clone(), message });
                }
            }
            Some(other) => return other,
            None => {}
        }
        self.mirror.borrow().for_each_vector(model, &mut |row| f(IndexRow { key: shown_key(row.key), ..row }))
    }

    fn keys_of_document(&self, fingerprint: &str) -> Result<Vec<i64>, LibraryError> {
        self.read(
            |s| s.keys_of_document(fingerprint),
            |m| Ok(m.keys_of_document(fingerprint)?.into_iter().map(shown_key).collect()),
        )
    }

    fn missing_vectors(&self, model: &str) -> Result<Vec<(i64, String, Option<String>)>, LibraryError> {
        self.read(
            |s| s.missing_vectors(model),
            |m| Ok(m.missing_vectors(model)?.into_iter().map(|(k, c, t)| (shown_key(k), c, t)).collect()),
        )
    }

    fn put_vectors(&mut self, model: &str, vectors: &[(i64, Vec<u8>)]) -> Result<(), LibraryError> {
        let online: Vec<(i64, Vec<u8>)> = vectors.iter().filter(|(k, _)| *k > 0).cloned().collect();
        let local: Vec<(i64, Vec<u8>)> =
            vectors.iter().filter(|(k, _)| *k < 0).map(|(k, v)| (shown_key(*k), v.clone())).collect();
        if !online.is_empty() {
            let result = self.server.borrow_mut().as_mut().map(|s| s.put_vectors(model, &online));
            match result {
                Some(Err(LibraryError::Unreachable { message, .. })) => self.go_offline(&message),
                Some(Err(e)) => return Err(e),
                _ => {}
            }
        }
        if !local.is_empty() {
            self.mirror.borrow_mut().put_vectors(model, &local)?;
        }
        Ok(())
    }

    fn generation(&self) -> Result<u64, LibraryError> {
        self.read(|s| s.generation(), |m| Ok(m.generation()? + OFFLINE_GENERATION))
    }
}
