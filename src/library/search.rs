//! Matching claims against the library: the `top` closest entries to each query.
//!
//! The method here is full-text ranking: SQLite FTS5's BM25 over each entry's claim and title (Porter-stemmed,
//! diacritics folded, very common words left out of the query), and the score is BM25's (higher is closer; not
//! comparable across queries). The matcher (embeddings, re-ranking, calibrated scores) replaces it where it is
//! built in. Entries from the query's own document (same fingerprint) are never returned for it.

use super::{Embedder, LibraryError, Match, Query, Store};

/// How many candidates full-text search fetches per query (more than `top`, so a re-ranker has room).
pub const CANDIDATES: usize = 50;

/// The name of the method [`match_claims`] uses, for output and docs.
pub fn method(_embedder: Option<&dyn Embedder>) -> &'static str {
    "bm25"
}

/// The `top` best entries for each query, best first, ranks from 1.
pub fn match_claims(
    store: &dyn Store,
    queries: &[Query],
    top: usize,
    _embedder: Option<&dyn Embedder>,
) -> Result<Vec<Vec<Match>>, LibraryError> {
    let mut out = Vec::with_capacity(queries.len());
    for query in queries {
        let candidates = store.text_candidates(&query.text, top.max(1), query.fingerprint.as_deref())?;
        let keys: Vec<i64> = candidates.iter().map(|(k, _)| *k).collect();
        // Keyed, not zipped: an entry removed by another process in between is simply left out.
        let mut entries: std::collections::HashMap<i64, _> =
            store.entries_by_key(&keys)?.into_iter().map(|e| (e.key, e)).collect();
        let matches = candidates
            .iter()
            .filter_map(|(key, score)| entries.remove(key).map(|entry| (entry, *score)))
            .take(top)
            .enumerate()
            .map(|(i, (entry, score))| Match { rank: i + 1, score, entry })
            .collect();
        out.push(matches);
    }
    Ok(out)
}
