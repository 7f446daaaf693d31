//! The in-memory match index the store fills from its rows: BM25 over its own term statistics, the int8
//! embeddings of every entry in one contiguous array (scanned by brute force on both cores), and the texts the
//! re-ranker's agreement features read. Removing an entry frees its slot for the next insert.

use std::collections::HashMap;

use rayon::prelude::*;

use super::features::{Side, agreement};
use super::rerank::{N_FEATURES, Presence, Reranker};
use super::{DIM, Embedding, Encoder, dot_i8};

const K1: f32 = 1.2;
const B: f32 = 0.75;

/// One match: the store's key, the calibrated score (0..1; a top hit at 0.5 or more was the right fact-check at
/// least 85% of the time on held-out data) and the two similarities behind it.
#[derive(Debug, Clone, PartialEq)]
pub struct Hit {
    pub key: u64,
    pub score: f64,
    pub bm25: f32,
    pub cosine: f32,
}

struct Entry {
    key: u64,
    /// Claim and title, joined by a space: what BM25 and the agreement features read.
    text: Box<str>,
}

/// An in-memory index of fact-checks, keyed by the store's ids.
pub struct MatchIndex {
    entries: Vec<Option<Entry>>,
    free: Vec<u32>,
    by_key: HashMap<u64, u32>,
    vectors: Vec<i8>,
    scales: Vec<f32>,
    terms: HashMap<Box<str>, u32>,
    postings: Vec<Vec<(u32, u32)>>,
    lengths: Vec<u32>,
    total_len: u64,
    reranker: Reranker,
    /// The second calibration of every hit's score ([`Presence`]); `None` while fitting it.
    presence: Option<Presence>,
}

impl std::fmt::Debug for MatchIndex {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MatchIndex").field("entries", &self.len()).finish()
    }
}

/// BM25's tokens: lowercased runs of ASCII letters and digits.
pub(crate) fn bm25_tokens(text: &str) -> Vec<String> {
    text.to_lowercase()
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_owned)
        .collect()
}

impl MatchIndex {
    /// An empty index scoring with `reranker` (usually [`Reranker::shipped`]).
    pub fn new(reranker: Reranker) -> MatchIndex {
        MatchIndex {
            entries: Vec::new(),
            free: Vec::new(),
            by_key: HashMap::new(),
            vectors: Vec::new(),
            scales: Vec::new(),
            terms: HashMap::new(),
            postings: Vec::new(),
            lengths: Vec::new(),
            total_len: 0,
            reranker,
            presence: Some(Presence::SHIPPED),
        }
    }

    /// Score with this second calibration (`None`: the re-ranker's calibrated, capped score alone, which is what
    /// [`Presence::fit`] is fitted on).
    pub fn set_presence(&mut self, presence: Option<Presence>) {
        self.presence = presence;
    }

    /// Entries in the index.
    pub fn len(&self) -> usize {
        self.by_key.len()
    }

    /// Whether the index holds no entry.
    pub fn is_empty(&self) -> bool {
        self.by_key.is_empty()
    }

    /// Adds a fact-check, or replaces the one with the same key.
    pub fn insert(&mut self, key: u64, claim: &str, title: &str, embedding: &Embedding) {
        self.remove(key);
        let slot = match self.free.pop() {
            Some(s) => s as usize,
            None => {
                self.entries.push(None);
                self.vectors.extend_from_slice(&[0; DIM]);
                self.scales.push(0.0);
                self.lengths.push(0);
                self.entries.len() - 1
            }
        };
        let text: Box<str> = format!("{claim} {title}").into();
        let tokens = bm25_tokens(&text);
        let mut counts: HashMap<&str, u32> = HashMap::new();
        for t in &tokens {
            *counts.entry(t).or_default() += 1;
        }
        for (t, n) in counts {
            let id = match self.terms.get(t) {
                Some(&id) => id,
                None => {
                    self.terms.insert(t.into(), self.postings.len() as u32);
                    self.postings.push(Vec::new());
                    (self.postings.len() - 1) as u32
                }
            };
            self.postings[id as usize].push((slot as u32, n));
        }
        self.lengths[slot] = tokens.len() as u32;
        self.total_len += tokens.len() as u64;
        self.vectors[slot * DIM..(slot + 1) * DIM].copy_from_slice(&embedding.q);
        self.scales[slot] = embedding.scale;
        self.entries[slot] = Some(Entry { key, text });
        self.by_key.insert(key, slot as u32);
    }

    /// Removes the entry with this key; returns whether there was one.
    pub fn remove(&mut self, key: u64) -> bool {
        let Some(slot) = self.by_key.remove(&key) else { return false };
        let s = slot as usize;
        if let Some(entry) = self.entries[s].take() {
            let mut seen = std::collections::HashSet::new();
            for t in bm25_tokens(&entry.text) {
                if seen.insert(t.clone())
                    && let Some(&id) = self.terms.get(t.as_str())
                {
                    self.postings[id as usize].retain(|&(d, _)| d != slot);
                }
            }
        }
        self.total_len -= u64::from(self.lengths[s]);
        self.lengths[s] = 0;
        self.scales[s] = 0.0;
        self.free.push(slot);
        true
    }

    /// The `k` best matches of `query` (embedded here), best first, skipping keys for which `exclude` is true.
    pub fn search(&self, encoder: &Encoder, query: &str, k: usize, exclude: impl Fn(u64) -> bool + Sync) -> Vec<Hit> {
        let embedding = encoder.embed(&[query]).pop().unwrap_or_else(|| Embedding::quantize(&[]));
        self.search_embedded(query, &embedding, k, exclude)
    }

    /// As [`MatchIndex::search`] with the query's embedding already computed (embed an article's claims in one
    /// batch, then search each).
    pub fn search_embedded(
        &self,
        query: &str,
        embedding: &Embedding,
        k: usize,
        exclude: impl Fn(u64) -> bool + Sync,
    ) -> Vec<Hit> {
        let pool = self.reranker.pool;
        let keep = |slot: usize| self.entries[slot].as_ref().is_some_and(|e| !exclude(e.key));
        let bm = self.bm25(query);
        let by_bm25 = top(bm.iter().enumerate().filter(|&(i, &s)| s > 0.0 && keep(i)).map(|(i, &s)| (s, i)), pool);
        let by_cos = self.cosine_top(embedding, pool, &keep);
        let bmax = by_bm25.first().map_or(0.0, |x| x.0).max(1e-9);
        let cmax = by_cos.first().map_or(0.0, |x| x.0);
        let mut cands: Vec<usize> = by_bm25.iter().chain(&by_cos).map(|x| x.1).collect();
        cands.sort_unstable();
        cands.dedup();
        let rank = |list: &[(f32, usize)], slot| list.iter().position(|x| x.1 == slot).unwrap_or(pool) as f64;
        let qside = Side::new(query);
        let mut hits: Vec<Hit> = cands
            .into_iter()
            .filter_map(|slot| {
                let entry = self.entries[slot].as_ref()?;
                let cos = self.cosine(embedding, slot);
                let b = bm[slot];
                let mut x = [0f64; N_FEATURES];
                x[..6].copy_from_slice(&[
                    f64::from(b),
                    f64::from(b / bmax),
                    (1.0 + rank(&by_bm25, slot)).ln(),
                    f64::from(cos),
                    f64::from(cos - cmax),
                    (1.0 + rank(&by_cos, slot)).ln(),
                ]);
                x[6..].copy_from_slice(&agreement(&qside, &Side::new(&entry.text)));
                let mut score = self.reranker.score(&x).min(f64::from(unrelated_cap(cos)));
                if let Some(p) = &self.presence {
                    score = p.apply(score, cos);
                }
                Some(Hit { key: entry.key, score, bm25: b, cosine: cos })
            })
            .collect();
        hits.sort_by(|a, b| b.score.total_cmp(&a.score).then(a.key.cmp(&b.key)));
        hits.truncate(k);
        hits
    }

    fn cosine(&self, q: &Embedding, slot: usize) -> f32 {
        dot_i8(&q.q, &self.vectors[slot * DIM..(slot + 1) * DIM]) as f32 * q.scale * self.scales[slot]
    }

    /// BM25 of every slot (0 where no query word occurs), each distinct query word counted once.
    fn bm25(&self, query: &str) -> Vec<f32> {
        let mut scores = vec![0f32; self.entries.len()];
        let n = self.len() as f32;
        if n == 0.0 {
            return scores;
        }
        let avg = self.total_len as f32 / n;
        let mut words = bm25_tokens(query);
        words.sort_unstable();
        words.dedup();
        for w in words {
            let Some(&id) = self.terms.get(w.as_str()) else { continue };
            let post = &self.postings[id as usize];
            let df = post.len() as f32;
            let idf = (1.0 + (n - df + 0.5) / (df + 0.5)).ln();
            for &(slot, tf) in post {
                let tf = tf as f32;
                let norm = K1 * (1.0 - B + B * self.lengths[slot as usize] as f32 / avg);
                scores[slot as usize] += idf * tf * (K1 + 1.0) / (tf + norm);
            }
        }
        scores
    }

    /// The `pool` entries most similar to `q`, best first: each core scans its share and keeps its own best.
    fn cosine_top(&self, q: &Embedding, pool: usize, keep: &(impl Fn(usize) -> bool + Sync)) -> Vec<(f32, usize)> {
        const CHUNK: usize = 4096;
        let parts: Vec<Vec<(f32, usize)>> = self
            .vectors
            .par_chunks(CHUNK * DIM)
            .enumerate()
            .map(|(c, block)| {
                let base = c * CHUNK;
                let mut best: Vec<(f32, usize)> = Vec::with_capacity(pool + 1);
                let mut floor = f32::NEG_INFINITY;
                for (i, v) in block.chunks_exact(DIM).enumerate() {
                    let slot = base + i;
                    let s = dot_i8(&q.q, v) as f32 * q.scale * self.scales[slot];
                    if (best.len() < pool || s > floor) && keep(slot) {
                        let at = best.partition_point(|x| x.0 >= s);
                        best.insert(at, (s, slot));
                        best.truncate(pool);
                        if best.len() == pool {
                            floor = best[pool - 1].0;
                        }
                    }
                }
                best
            })
            .collect();
        top(parts.into_iter().flatten(), pool)
    }
}

/// The `n` largest (score, slot) pairs, best first (ties by slot, so results do not depend on thread timing).
fn top(items: impl Iterator<Item = (f32, usize)>, n: usize) -> Vec<(f32, usize)> {
    let mut v: Vec<(f32, usize)> = items.collect();
    let cmp = |a: &(f32, usize), b: &(f32, usize)| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1));
    if v.len() > n && n > 0 {
        v.select_nth_unstable_by(n - 1, cmp);
        v.truncate(n);
    }
    v.sort_by(cmp);
    v.truncate(n);
    v
}

impl MatchIndex {
    /// Keys ranked by BM25 alone (the baseline the evaluation reports beside the matcher).
    pub fn bm25_ranking(&self, query: &str, k: usize) -> Vec<u64> {
        let scores = self.bm25(query);
        let live = scores.iter().enumerate().filter(|&(i, &s)| s > 0.0 && self.entries[i].is_some());
        top(live.map(|(i, &s)| (s, i)), k)
            .into_iter()
            .filter_map(|(_, i)| self.entries[i].as_ref().map(|e| e.key))
            .collect()
    }
}

/// The most a match may score when its words and the query's are this far apart (cosine of their embeddings).
///
/// The re-ranker's calibration was learned where the right fact-check was always in the library, and several of its
/// inputs are relative (the BM25 and cosine of a candidate against the best one): in a small library, or for a claim
/// nothing in the library is about, its best candidate can score high while being about something else (a claim on
/// arms sales matched to "bananas in Norway" at 0.7 in a three-entry library). An unrelated topic is caught by the
/// absolute cosine: at 0.30 and below a match is capped at 0.15 (not shown), from 0.45 up it is not capped, linear
/// between. Measured on the CheckThat 2020 train tweets (all-MiniLM-L6-v2 on the claim): 87% of right answers have a
/// cosine of 0.45 or more (their score is unchanged), while unrelated entries (another topic) sit far below 0.30.
pub fn unrelated_cap(cosine: f32) -> f32 {
    const FLOOR: (f32, f32) = (0.30, 0.15);
    const FREE: f32 = 0.45;
    if cosine >= FREE {
        1.0
    } else if cosine <= FLOOR.0 {
        FLOOR.1
    } else {
        FLOOR.1 + (cosine - FLOOR.0) / (FREE - FLOOR.0) * (1.0 - FLOOR.1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A small library: the fact-checks the near-miss tests aim at, among unrelated ones.
    fn library(enc: &Encoder) -> MatchIndex {
        let docs = [
            ("North Korea fired two ballistic missiles into the sea.", "Did North Korea Fire Missiles?"),
            ("Poverty is rising in the United States.", "Is Poverty Rising?"),
            ("Unemployment hit 4.1 percent in 2018.", "Was Unemployment 4.1 Percent in 2018?"),
            ("The city spent $2 million on a new bridge in 2015.", "Did the City Spend $2 Million on a Bridge?"),
            ("A photograph shows a shark swimming on a flooded highway.", "Shark on the Highway"),
            ("Drinking bleach cures the flu.", "Does Bleach Cure the Flu?"),
            ("The senator voted against funding veterans' hospitals.", "Senator Voted Against Veterans"),
            ("Vaccines cause autism in children.", "Do Vaccines Cause Autism?"),
        ];
        let texts: Vec<String> = docs.iter().map(|d| d.0.to_owned()).collect();
        let refs: Vec<&str> = texts.iter().map(String::as_str).collect();
        let mut index = MatchIndex::new(Reranker::shipped().unwrap());
        for (i, (d, e)) in docs.iter().zip(enc.embed(&refs)).enumerate() {
            index.insert(i as u64, d.0, d.1, &e);
        }
        index
    }

    fn score_of(index: &MatchIndex, enc: &Encoder, query: &str, key: u64) -> f64 {
        index.search(enc, query, 8, |_| false).into_iter().find(|h| h.key == key).map_or(0.0, |h| h.score)
    }

    #[test]
    fn near_misses_score_clearly_below_the_match() {
        let enc = Encoder::load().unwrap();
        let index = library(&enc);
        let cases = [
            // (right query, near miss, key): a different country, direction, year and figure.
            (
                "North Korea fired two ballistic missiles into the sea",
                "South Korea fired two ballistic missiles into the sea",
                0,
            ),
            ("Poverty is rising in the United States", "Poverty is falling in the United States", 1),
            ("Unemployment hit 4.1 percent in 2018", "Unemployment hit 4.1 percent in 2009", 2),
            (
                "The city spent $2 million on a new bridge in 2015",
                "The city spent $9 million on a new bridge in 2015",
                3,
            ),
        ];
        for (right, near, key) in cases {
            let (s_right, s_near) = (score_of(&index, &enc, right, key), score_of(&index, &enc, near, key));
            eprintln!("{s_right:.3} {right:?}\n{s_near:.3} {near:?}");
            assert!(s_right >= 0.5, "{right:?} scores {s_right}, below a match");
            assert!(s_near < s_right - 0.1, "{near:?} scores {s_near}, too close to {s_right}");
            // Known gap (RESULTS.md): in a library holding nothing closer, a near miss is lowered by about 0.2 but
            // still scores above 0.5; the issue asks for below 0.5. Kept visible here rather than hidden.
        }
    }

    #[test]
    fn search_excludes_removes_and_replaces() {
        let enc = Encoder::load().unwrap();
        let mut index = library(&enc);
        let q = "Drinking bleach cures the flu";
        assert_eq!(index.search(&enc, q, 1, |_| false)[0].key, 5);
        assert_ne!(index.search(&enc, q, 1, |k| k == 5)[0].key, 5);
        assert!(index.remove(5));
        assert!(!index.remove(5));
        assert_eq!(index.len(), 7);
        assert!(index.search(&enc, q, 8, |_| false).iter().all(|h| h.key != 5));
        let e = enc.embed(&["Drinking bleach cures the flu."]).remove(0);
        index.insert(42, "Drinking bleach cures the flu.", "Bleach and the Flu", &e);
        index.insert(42, "Drinking bleach cures the flu.", "Bleach and the Flu", &e);
        assert_eq!(index.len(), 8);
        let hits = index.search(&enc, q, 3, |_| false);
        assert_eq!(hits[0].key, 42);
        assert!(hits.windows(2).all(|w| w[0].score >= w[1].score));
        assert!(hits.iter().all(|h| (0.0..=1.0).contains(&h.score)));
        assert_eq!(index.bm25_ranking(q, 1), vec![42]);
    }

    #[test]
    fn an_empty_index_finds_nothing() {
        let index = MatchIndex::new(Reranker::shipped().unwrap());
        assert!(index.search_embedded("anything", &Embedding::quantize(&[0.1; DIM]), 5, |_| false).is_empty());
        assert!(index.bm25_ranking("anything", 5).is_empty());
    }
}
