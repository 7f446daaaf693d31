//! Matching claims against the library: the `top` closest entries to each query.
//!
//! With the matcher ([`Matcher`]: the MiniLM encoder and the re-ranker of [`super::matching`]), the method is the
//! matcher's: every entry's claim is embedded once, at import, and stored (int8 with a scale, 388 bytes); a query
//! fills a [`MatchIndex`] from the store ([`Store::for_each_vector`]), embeds the queries in one batch, and ranks
//! the union of the BM25 and cosine candidates with the re-ranker; the score is calibrated in 0..1 (a top hit at 0.5
//! or more was the right fact-check at least 85% of the time on held-out data). Without it, full-text ranking:
//! SQLite FTS5's BM25 over claim and title, higher is closer, not comparable across queries. Either way, entries
//! from the query's own document (same fingerprint) are never returned for it.

use std::collections::{HashMap, HashSet};

use super::matching::{Embedding, Encoder, MatchIndex, Reranker};
use super::{Embedder, LibraryError, Match, Query, Store};

/// The id stored with the matcher's vectors: the model and the encoding (int8 with a scale).
pub const MATCHER_MODEL: &str = "all-minilm-l6-v2/int8-1";

/// A match at or above this calibrated score is a strong one: the window marks its claim "checked before".
pub const STRONG: f32 = 0.5;
/// Matches below this calibrated score are not shown (the window) or written (`extract --matches`): they are not
/// about the same thing.
pub const SHOWN_FROM: f32 = 0.2;

/// The name of the method [`match_claims`] uses, for output and docs.
pub fn method(embedder: Option<&dyn Embedder>) -> &'static str {
    if embedder.is_some_and(|e| e.model() == MATCHER_MODEL) { "matcher" } else { "bm25" }
}

/// The matcher: the sentence encoder (embeds entries at import and queries at match time) and the re-ranker.
pub struct Matcher {
    encoder: Encoder,
    reranker: Reranker,
}

impl Matcher {
    /// Load the shipped model and re-ranker (compiled in).
    pub fn load() -> Result<Self, LibraryError> {
        let encoder = Encoder::load().map_err(|e| LibraryError::NotFound(format!("the matcher's model: {e}")))?;
        let reranker =
            Reranker::shipped().map_err(|e| LibraryError::NotFound(format!("the matcher's re-ranker: {e}")))?;
        Ok(Self { encoder, reranker })
    }

    /// An index of every entry of `store` with a vector of this model.
    pub fn index(&self, store: &dyn Store) -> Result<MatchIndex, LibraryError> {
        let mut index = MatchIndex::new(self.reranker.clone());
        let mut bad = 0usize;
        store.for_each_vector(MATCHER_MODEL, &mut |row| match Embedding::from_bytes(row.vector) {
            Ok(e) => index.insert(row.key as u64, row.claim, row.title.unwrap_or(""), &e),
            Err(_) => bad += 1,
        })?;
        if bad > 0 {
            return Err(LibraryError::Damaged {
                path: store.location().to_path_buf(),
                message: format!("{bad} stored vector(s) of {MATCHER_MODEL} are not valid"),
            });
        }
        index.shrink_to_fit();
        Ok(index)
    }

    /// The `top` best entries of `index` for each query, best first.
    pub fn search(
        &self,
        store: &dyn Store,
        index: &MatchIndex,
        queries: &[Query],
        top: usize,
    ) -> Result<Vec<Vec<Match>>, LibraryError> {
        let texts: Vec<&str> = queries.iter().map(|q| q.text.as_str()).collect();
        let embeddings = self.encoder.embed(&texts);
        let mut own: HashMap<&str, HashSet<u64>> = HashMap::new();
        for q in queries {
            if let Some(fp) = q.fingerprint.as_deref()
                && !own.contains_key(fp)
            {
                own.insert(fp, store.keys_of_document(fp)?.into_iter().map(|k| k as u64).collect());
            }
        }
        let empty = HashSet::new();
        let mut out = Vec::with_capacity(queries.len());
        for (q, e) in queries.iter().zip(&embeddings) {
            let exclude = q.fingerprint.as_deref().and_then(|fp| own.get(fp)).unwrap_or(&empty);
            let hits = index.search_embedded(&q.text, e, top, |key| exclude.contains(&key));
            let scored: Vec<(i64, f32)> = hits.iter().map(|h| (h.key as i64, h.score as f32)).collect();
            out.push(ranked(store, &scored, top)?);
        }
        Ok(out)
    }
}

impl Embedder for Matcher {
    fn model(&self) -> &str {
        MATCHER_MODEL
    }

    /// The claim alone is embedded (the matcher's research: one vector per fact-check, the claim's, ranks as well as
    /// claim and title after re-ranking, at half the cost).
    fn embed(&self, texts: &[(&str, Option<&str>)]) -> Vec<Vec<u8>> {
        let claims: Vec<&str> = texts.iter().map(|(claim, _)| *claim).collect();
        self.encoder.embed(&claims).iter().map(Embedding::to_bytes).collect()
    }
}

/// Entries for scored store keys, ranked from 1; keys no longer there (removed by another process in between) are
/// left out.
fn ranked(store: &dyn Store, scored: &[(i64, f32)], top: usize) -> Result<Vec<Match>, LibraryError> {
    let keys: Vec<i64> = scored.iter().map(|(k, _)| *k).collect();
    let mut entries: HashMap<i64, _> = store.entries_by_key(&keys)?.into_iter().map(|e| (e.key, e)).collect();
    Ok(scored
        .iter()
        .filter_map(|(key, score)| entries.remove(key).map(|entry| (entry, *score)))
        .take(top)
        .enumerate()
        .map(|(i, (entry, score))| Match { rank: i + 1, score, entry })
        .collect())
}

/// The `top` best entries for each query by full-text search (BM25), best first, ranks from 1.
pub fn match_claims(store: &dyn Store, queries: &[Query], top: usize) -> Result<Vec<Vec<Match>>, LibraryError> {
    let mut out = Vec::with_capacity(queries.len());
    for query in queries {
        let candidates = store.text_candidates(&query.text, top.max(1), query.fingerprint.as_deref())?;
        out.push(ranked(store, &candidates, top)?);
    }
    Ok(out)
}
