//! The in-memory match index the store fills from its rows: BM25 over its own term statistics, the int8
//! embeddings of every entry in blocks of [`BLOCK`] (scanned by brute force on both cores), and the texts the
//! re-ranker's agreement features read. Removing an entry frees its slot for the next insert.
//!
//! Memory, for a million fact-checks (`examples/library_1m.rs`): the vectors are 388 MB whatever is done; the rest is
//! kept lean. Vectors grow a block at a time, never by copying the whole array (a doubling array of 384 MB copies into
//! 768 MB of fresh memory as it grows); a term's postings list each entry once per occurrence (4 bytes, a word twice
//! in an entry listed twice, side by side) rather than an (entry, count) pair, and are trimmed once filled.

use std::collections::HashMap;

use rayon::prelude::*;

use super::features::{Side, agreement, altered, negated};
use super::rerank::{N_FEATURES, Presence, Reranker};
use super::{DIM, Embedding, Encoder, dot_i8};

/// Entries per block of vectors: the unit the vectors grow by and the cosine scan shares out between cores.
const BLOCK: usize = 4096;

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
    /// Whether the claim (not the title) says "not" or the like ([`negated`]).
    claim_negated: bool,
}

/// An in-memory index of fact-checks, keyed by the store's ids.
pub struct MatchIndex {
    entries: Vec<Option<Entry>>,
    free: Vec<u32>,
    by_key: HashMap<u64, u32>,
    /// [`BLOCK`] entries' int8 vectors each, slot `s` at block `s / BLOCK`, row `s % BLOCK`.
    vectors: Vec<Box<[i8]>>,
    scales: Vec<f32>,
    terms: HashMap<Box<str>, u32>,
    /// Per term, the slots of the entries holding it, a slot once per occurrence (adjacent).
    postings: Vec<Vec<u32>>,
    /// Per term, the entries holding it (distinct slots of its postings).
    df: Vec<u32>,
    lengths: Vec<u32>,
    total_len: u64,
    reranker: Reranker,
    /// The second calibration of every hit's score ([`Presence`]); `None` while fitting it.
    presence: Option<Presence>,
    /// The most a near miss may score ([`NEAR_MISS_CAP`]; `None` to measure without it).
    near_miss_cap: Option<f64>,
}

/// The most a near miss scores: a candidate that says the opposite of the query in one of the word pairs the
/// re-ranker knows ("rising" against "falling", North against South, more against fewer), or the query's sentence
/// with a figure, a year or a negation altered ([`altered`]: most of its words, none of its figures, or a "not" in
/// one of the query and the fact-check's claim only). Below 0.5, so such a near miss is never marked "checked before"; it is still shown (from 0.2),
/// with what differs marked. Chosen on the CheckThat! train tweets (`matching_eval -- DATA train`, with and without
/// `--no-near-miss-cap`): capping on opposite words cost 0.0015 of the tweets their right top hit's mark, on an
/// altered sentence nothing. Capping on any differing figure or year, or any "not" on one side only, cost 0.09 to
/// 0.12, since real repeats often differ that way when worded apart: the re-ranker's weights weigh those instead.
pub const NEAR_MISS_CAP: f64 = 0.45;

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
            df: Vec::new(),
            lengths: Vec::new(),
            total_len: 0,
            reranker,
            presence: Some(Presence::SHIPPED),
            near_miss_cap: Some(NEAR_MISS_CAP),
        }
    }

    /// Cap near misses' scores at `cap` (`None`: leave them as scored, to measure what the cap does).
    pub fn set_near_miss_cap(&mut self, cap: Option<f64>) {
        self.near_miss_cap = cap;
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
                if self.entries.len().is_multiple_of(BLOCK) {
                    self.vectors.push(vec![0; BLOCK * DIM].into_boxed_slice());
                }
                self.entries.push(None);
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
                    self.df.push(0);
                    (self.postings.len() - 1) as u32
                }
            };
            let post = &mut self.postings[id as usize];
            post.extend(std::iter::repeat_n(slot as u32, n as usize));
            self.df[id as usize] += 1;
        }
        self.lengths[slot] = tokens.len() as u32;
        self.total_len += tokens.len() as u64;
        self.vector_mut(slot).copy_from_slice(&embedding.q);
        self.scales[slot] = embedding.scale;
        self.entries[slot] = Some(Entry { key, text, claim_negated: negated(claim) });
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
                    let post = &mut self.postings[id as usize];
                    let before = post.len();
                    post.retain(|&d| d != slot);
                    if post.len() < before {
                        self.df[id as usize] -= 1;
                    }
                }
            }
        }
        self.total_len -= u64::from(self.lengths[s]);
        self.lengths[s] = 0;
        self.scales[s] = 0.0;
        self.free.push(slot);
        true
    }

    /// Gives back the room the postings grew into while the index was filled (call once filled: a million entries'
    /// postings hold about a third more room than they use).
    pub fn shrink_to_fit(&mut self) {
        for post in &mut self.postings {
            post.shrink_to_fit();
        }
        self.postings.shrink_to_fit();
        self.df.shrink_to_fit();
        self.entries.shrink_to_fit();
        self.scales.shrink_to_fit();
        self.lengths.shrink_to_fit();
    }

    fn vector(&self, slot: usize) -> &[i8] {
        let row = slot % BLOCK;
        &self.vectors[slot / BLOCK][row * DIM..(row + 1) * DIM]
    }

    fn vector_mut(&mut self, slot: usize) -> &mut [i8] {
        let row = slot % BLOCK;
        &mut self.vectors[slot / BLOCK][row * DIM..(row + 1) * DIM]
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
                let dside = Side::new(&entry.text);
                x[6..].copy_from_slice(&agreement(&qside, &dside));
                let mut score = self.reranker.score(&x).min(f64::from(unrelated_cap(cos)));
                if let Some(p) = &self.presence {
                    score = p.apply(score, cos);
                }
                // `opposite` (features::NAMES[7]): one side says rising where the other says falling, North where
                // the other says South.
                // Or it is the query's sentence with a figure, a year or a negation altered (`features::altered`).
                if let Some(cap) = self.near_miss_cap
                    && (x[13] > 0.0 || altered(&qside, &dside, entry.claim_negated))
                {
                    score = score.min(cap);
                }
                Some(Hit { key: entry.key, score, bm25: b, cosine: cos })
            })
            .collect();
        hits.sort_by(|a, b| b.score.total_cmp(&a.score).then(a.key.cmp(&b.key)));
        hits.truncate(k);
        hits
    }

    fn cosine(&self, q: &Embedding, slot: usize) -> f32 {
        dot_i8(&q.q, self.vector(slot)) as f32 * q.scale * self.scales[slot]
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
            let df = self.df[id as usize] as f32;
            let idf = (1.0 + (n - df + 0.5) / (df + 0.5)).ln();
            for run in self.postings[id as usize].chunk_by(|a, b| a == b) {
                let (slot, tf) = (run[0], run.len() as f32);
                let norm = K1 * (1.0 - B + B * self.lengths[slot as usize] as f32 / avg);
                scores[slot as usize] += idf * tf * (K1 + 1.0) / (tf + norm);
            }
        }
        scores
    }

    /// The `pool` entries most similar to `q`, best first: each core scans its share and keeps its own best.
    fn cosine_top(&self, q: &Embedding, pool: usize, keep: &(impl Fn(usize) -> bool + Sync)) -> Vec<(f32, usize)> {
        let filled = self.entries.len();
        let parts: Vec<Vec<(f32, usize)>> = self
            .vectors
            .par_iter()
            .enumerate()
            .map(|(c, block)| {
                let base = c * BLOCK;
                let block = &block[..(filled - base).min(BLOCK) * DIM];
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

/// The `n` largest (score, slot) pairs, best first (ties by slot, so results do not depend on thread timing). Keeps
/// only those `n` while it reads: BM25 can score most of a million entries, and collecting them all to pick 20 took
/// 16 MB a query.
fn top(items: impl Iterator<Item = (f32, usize)>, n: usize) -> Vec<(f32, usize)> {
    use std::cmp::Ordering::Less;
    let first = |a: &(f32, usize), b: &(f32, usize)| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)) == Less;
    let mut best: Vec<(f32, usize)> = Vec::with_capacity(n + 1);
    if n == 0 {
        return best;
    }
    for item in items {
        if best.len() == n && !first(&item, &best[n - 1]) {
            continue;
        }
        let at = best.partition_point(|x| first(x, &item));
        best.insert(at, item);
        best.truncate(n);
    }
    best
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
            ("Drinking bleach cures the flu", "Drinking bleach does not cure the flu", 5),
        ];
        for (right, near, key) in cases {
            let (s_right, s_near) = (score_of(&index, &enc, right, key), score_of(&index, &enc, near, key));
            eprintln!("{s_right:.3} {right:?}\n{s_near:.3} {near:?}");
            assert!(s_right >= 0.5, "{right:?} scores {s_right}, below a match");
            assert!(s_near < s_right - 0.1, "{near:?} scores {s_near}, too close to {s_right}");
            // A direction, a country, a year, a figure or a negation turned around is capped below a match.
            assert!(s_near < 0.5, "{near:?} scores {s_near}: it would be marked checked before");
        }
        // Worded apart, another year or figure is not capped (real repeats often differ so), but it scores lower.
        for (right, other, key) in [
            ("In 2018 the jobless rate was 4.1 percent", "In 2009 the jobless rate was 4.1 percent", 2),
            ("A new bridge cost the city $2 million", "A new bridge cost the city $9 million", 3),
        ] {
            let (s_right, s_other) = (score_of(&index, &enc, right, key), score_of(&index, &enc, other, key));
            eprintln!("{s_right:.3} {right:?}\n{s_other:.3} {other:?}");
            assert!(s_other < s_right, "{other:?} scores {s_other}, not below {right:?} at {s_right}");
        }
        // The same figure written otherwise is the same claim.
        let s = score_of(&index, &enc, "The city spent $2,000,000 on a new bridge in 2015", 3);
        assert!(s >= 0.5, "the same figure written otherwise scores {s}");
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
    fn entries_past_the_first_block_and_words_said_twice_are_scored() {
        let unit = |d: usize| {
            let mut v = vec![0f32; DIM];
            v[d] = 1.0;
            Embedding::quantize(&v)
        };
        let mut index = MatchIndex::new(Reranker::shipped().unwrap());
        for i in 0..BLOCK + 10 {
            index.insert(i as u64, &format!("filler {i}"), "", &unit(0));
        }
        let far = BLOCK as u64 + 7;
        index.insert(far, "tax tax tax cut", "", &unit(5));
        index.insert(1, "tax cut", "", &unit(0));
        let by_cos = index.cosine_top(&unit(5), 3, &|_| true);
        assert_eq!(by_cos[0], (1.0, index.by_key[&far] as usize));
        // BM25 by the formula: a word three times in an entry counts three times.
        let scores = index.bm25("tax");
        let (n, avg) = (index.len() as f32, index.total_len as f32 / index.len() as f32);
        let idf = (1.0 + (n - 2.0 + 0.5) / 2.5f32).ln();
        let bm = |tf: f32, len: f32| idf * tf * (K1 + 1.0) / (tf + K1 * (1.0 - B + B * len / avg));
        let (s_far, s_one) = (scores[index.by_key[&far] as usize], scores[index.by_key[&1] as usize]);
        assert!((s_far - bm(3.0, 4.0)).abs() < 1e-5 && (s_one - bm(1.0, 2.0)).abs() < 1e-5, "{s_far} {s_one}");
        assert_eq!(index.bm25_ranking("tax", 5), vec![far, 1]);
        // Removing takes an entry out of its words' postings and their counts; its slot is used again.
        assert!(index.remove(far));
        assert_eq!(index.bm25_ranking("tax", 5), vec![1]);
        index.insert(far, "tax again", "", &unit(5));
        assert_eq!(index.cosine_top(&unit(5), 1, &|_| true)[0].0, 1.0);
        assert_eq!(index.bm25_ranking("tax", 5).len(), 2);
        index.shrink_to_fit();
        assert_eq!(index.bm25_ranking("tax", 5).len(), 2);
    }

    #[test]
    fn top_keeps_the_best_in_order_ties_by_slot() {
        let items = [(0.5, 9), (0.9, 3), (0.5, 2), (0.1, 1), (0.9, 1), (0.7, 4)];
        assert_eq!(top(items.into_iter(), 4), vec![(0.9, 1), (0.9, 3), (0.7, 4), (0.5, 2)]);
        assert!(top(items.into_iter(), 0).is_empty());
        assert_eq!(top(items.into_iter(), 10).len(), 6);
    }

    #[test]
    fn an_empty_index_finds_nothing() {
        let index = MatchIndex::new(Reranker::shipped().unwrap());
        assert!(index.search_embedded("anything", &Embedding::quantize(&[0.1; DIM]), 5, |_| false).is_empty());
        assert!(index.bm25_ranking("anything", 5).is_empty());
    }
}
