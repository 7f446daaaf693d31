//! The interface a store implements ([`Store`]), and the plain values that cross it.
//!
//! The SQLite store ([`super::sqlite::SqliteStore`]) is the one there is; a PostgreSQL store for a newsroom can
//! implement the same trait. A store keeps sources, their entries (keyed by source and the id the source gives) and
//! one vector per entry and embedding model; it applies a batch of source updates in one transaction, and finds
//! candidates by full-text search. Matching itself (the index over vectors, ranking) is not the store's.

use std::collections::HashMap;
use std::path::Path;

use serde::{Deserialize, Serialize};

use super::{Embedder, Entry, LibraryError, Record, SourceInfo, Stats};

/// A source's complete new content: after it is applied, the source holds exactly `records`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SourceUpdate {
    pub info: SourceInfo,
    pub records: Vec<Record>,
}

/// What the store holds of one entry, to decide what an update changes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EntryState {
    pub row_hash: [u8; 32],
    pub text_hash: [u8; 32],
    /// The model of the stored vector, when there is one (always for the entry's current text).
    pub model: Option<String>,
}

/// What applying one source update changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct SyncCounts {
    pub added: u64,
    pub updated: u64,
    pub removed: u64,
    pub unchanged: u64,
    pub embedded: u64,
}

/// A store of the library's entries. Every method that changes something does it in one transaction: on error,
/// nothing changed.
pub trait Store: Send {
    /// The store's file (or address), for messages.
    fn location(&self) -> &Path;

    /// One line to show the user about the store's state, when there is something to say (a shared library working
    /// offline, on its local copy).
    fn notice(&self) -> Option<String> {
        None
    }

    /// Fails when the store cannot take imports and removals now (a shared library whose server is not reachable).
    fn require_server(&self) -> Result<(), LibraryError> {
        Ok(())
    }

    /// Try the server again now (a shared library working offline): `Ok(true)` when it is in use afterwards.
    fn reconnect(&self) -> Result<bool, LibraryError> {
        Ok(true)
    }

    /// The entries a source holds now, by the source's ids (empty for a source never imported).
    fn source_state(&self, key: &str) -> Result<HashMap<String, EntryState>, LibraryError>;

    /// Bring each source to its update's content, in one transaction. Entries whose text is new or changed get a
    /// vector from `vectors` (as the embedder encodes it, keyed by [`Record::text_hash`]), or from
    /// `embedder` when it is missing there (another process changed the source in between); without an embedder,
    /// none.
    fn apply(
        &mut self,
        updates: &[SourceUpdate],
        vectors: &HashMap<[u8; 32], Vec<u8>>,
        embedder: Option<&dyn Embedder>,
    ) -> Result<Vec<SyncCounts>, LibraryError>;

    /// Every entry, ordered by source name, then id.
    fn entries(&self) -> Result<Vec<Entry>, LibraryError>;

    /// The entries with these store keys, in the order given (keys no longer there are left out).
    fn entries_by_key(&self, keys: &[i64]) -> Result<Vec<Entry>, LibraryError>;

    /// Remove entries by their sources' ids (only `source`'s, when given: a source's name or key); with `source` and
    /// no ids, the whole source. Returns how many went.
    fn remove(&mut self, ids: &[String], source: Option<&str>) -> Result<u64, LibraryError>;

    fn stats(&self) -> Result<Stats, LibraryError>;

    /// Full-text candidates for `query`: store keys and a relevance score (higher is better), best first, leaving
    /// out entries of the document with fingerprint `exclude`.
    fn text_candidates(
        &self,
        query: &str,
        limit: usize,
        exclude: Option<&str>,
    ) -> Result<Vec<(i64, f32)>, LibraryError>;

    /// Call `f` for every entry with a vector from `model`: how the matcher's in-memory index is filled.
    fn for_each_vector(&self, model: &str, f: &mut dyn FnMut(IndexRow<'_>)) -> Result<(), LibraryError>;

    /// The store keys of the entries of the document with this fingerprint (a query's own document).
    fn keys_of_document(&self, fingerprint: &str) -> Result<Vec<i64>, LibraryError>;

    /// Entries with no vector of `model` (imported without it, or by an older build): key, claim, title.
    fn missing_vectors(&self, model: &str) -> Result<Vec<(i64, String, Option<String>)>, LibraryError>;

    /// Store vectors of `model` for these entries, in one transaction (entries gone in between are skipped).
    fn put_vectors(&mut self, model: &str, vectors: &[(i64, Vec<u8>)]) -> Result<(), LibraryError>;

    /// A number that changes whenever the library changes (by this process or another): an index built from the
    /// store is stale when it differs from the one it was built at.
    fn generation(&self) -> Result<u64, LibraryError>;
}

/// One entry as an index needs it: its key, the fingerprint of its document (to leave a query's own document out),
/// its text, and its stored vector.
#[derive(Debug, Clone, Copy)]
pub struct IndexRow<'a> {
    pub key: i64,
    pub fingerprint: Option<&'a str>,
    pub claim: &'a str,
    pub title: Option<&'a str>,
    pub vector: &'a [u8],
}

/// Whether applying `update` to a source in `state` would change nothing (so no write is needed).
pub(super) fn unchanged(update: &SourceUpdate, state: &HashMap<String, EntryState>, model: Option<&str>) -> bool {
    update.records.len() == state.len()
        && update.records.iter().all(|r| {
            state
                .get(&r.id)
                .is_some_and(|s| s.row_hash == r.row_hash() && model.is_none_or(|m| s.model.as_deref() == Some(m)))
        })
}
