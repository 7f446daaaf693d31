//! The claim matcher of the claim memory: given a claim, find the earlier fact-checks that verify it.
//!
//! Method (measured in `scripts/matching/RESULTS.md` on CLEF 2020 CheckThat! Task 2, tuned on train, reported on
//! dev): every fact-check is embedded once, at import, by all-MiniLM-L6-v2 ([`Encoder`], a hand-written BERT
//! forward pass with its own WordPiece tokenizer) and kept as an int8 vector with a scale ([`Embedding`], 388
//! bytes). A query is embedded too; [`MatchIndex::search`] takes the best candidates by BM25 over the index's own
//! term statistics and the best by cosine over *all* entries (a brute-force int8 scan on both cores), and a
//! logistic re-ranker ([`Reranker`], weights in `assets/matcher-reranker.json`) scores their union from the two
//! similarities, their ranks, and the agreement of numbers, years, names, negation and direction words
//! ([`features`]). Its output is mapped to a readable `score` in 0..1, calibrated on train folds so that a top hit
//! scoring 0.5 or more is the right fact-check at least 85% of the time.
//!
//! The store owns the rows; it fills a [`MatchIndex`] with `insert(key, claim, title, &embedding)` (persisting
//! [`Embedding::to_bytes`] as a BLOB) and asks it with `search` or, for several claims embedded in one batch,
//! `search_embedded`. [`evaluate`] measures all this on the CheckThat files.

mod encoder;
mod eval;
pub mod features;
mod index;
mod rerank;
mod tokenizer;

use std::path::PathBuf;

pub use encoder::{Encoder, MAX_TOKENS};
pub use eval::{Figures, Report, Split, evaluate, evaluate_with};
pub use index::{Hit, MatchIndex};
pub use rerank::{Presence, Reranker};

/// Dimensions of an embedding.
pub const DIM: usize = 384;

/// What can go wrong loading the matcher's assets or the evaluation data.
#[derive(Debug, thiserror::Error)]
pub enum MatchError {
    #[error("{file}: {what}")]
    BadAsset { file: PathBuf, what: String },
    #[error("{file}: {source}")]
    Io { file: PathBuf, source: std::io::Error },
    #[error("{file}, line {line}: {what}")]
    BadData { file: PathBuf, line: u64, what: String },
    #[error("an embedding must be {expected} bytes, got {got}")]
    BadEmbedding { expected: usize, got: usize },
}

/// A unit-length sentence embedding stored as int8 with one scale: `value[i] ≈ scale · q[i]`. Dot products run in
/// integers, so a scan over a million entries reads 388 MB and stays exact between platforms.
#[derive(Clone, PartialEq)]
pub struct Embedding {
    pub(crate) scale: f32,
    pub(crate) q: [i8; DIM],
}

impl std::fmt::Debug for Embedding {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Embedding(scale {}, {:?}…)", self.scale, &self.q[..4])
    }
}

impl Embedding {
    /// Bytes of [`Embedding::to_bytes`].
    pub const BYTES: usize = 4 + DIM;

    /// Quantises a vector of [`DIM`] values (missing values are 0, extra ones ignored): scale = max |v| / 127.
    pub fn quantize(v: &[f32]) -> Embedding {
        let max = v.iter().take(DIM).fold(0f32, |m, x| m.max(x.abs()));
        let scale = if max > 0.0 && max.is_finite() { max / 127.0 } else { 1.0 };
        let mut q = [0i8; DIM];
        for (o, &x) in q.iter_mut().zip(v) {
            *o = (x / scale).round().clamp(-127.0, 127.0) as i8;
        }
        Embedding { scale, q }
    }

    /// The values back as f32.
    pub fn to_f32(&self) -> Vec<f32> {
        self.q.iter().map(|&x| f32::from(x) * self.scale).collect()
    }

    /// Cosine-like similarity of two unit embeddings (their dot product).
    pub fn dot(&self, other: &Embedding) -> f32 {
        dot_i8(&self.q, &other.q) as f32 * self.scale * other.scale
    }

    /// `scale` (f32, little-endian) then the 384 int8 values: what the store keeps as a BLOB.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(Self::BYTES);
        out.extend_from_slice(&self.scale.to_le_bytes());
        out.extend(self.q.iter().map(|&x| x as u8));
        out
    }

    /// Reads [`Embedding::to_bytes`]; a wrong length or a scale that is not a positive finite number is an error.
    pub fn from_bytes(bytes: &[u8]) -> Result<Embedding, MatchError> {
        if bytes.len() != Self::BYTES {
            return Err(MatchError::BadEmbedding { expected: Self::BYTES, got: bytes.len() });
        }
        let scale = f32::from_le_bytes([bytes[0], bytes[1], bytes[2], bytes[3]]);
        if !(scale.is_finite() && scale > 0.0) {
            return Err(MatchError::BadEmbedding { expected: Self::BYTES, got: bytes.len() });
        }
        let mut q = [0i8; DIM];
        for (o, &b) in q.iter_mut().zip(&bytes[4..]) {
            *o = b as i8;
        }
        Ok(Embedding { scale, q })
    }
}

/// Integer dot product; written over chunks of 32 so the compiler vectorises it (pmaddwd and friends).
pub(crate) fn dot_i8(a: &[i8], b: &[i8]) -> i32 {
    let mut acc = [0i32; 32];
    for (x, y) in a.chunks_exact(32).zip(b.chunks_exact(32)) {
        for i in 0..32 {
            acc[i] += i32::from(x[i]) * i32::from(y[i]);
        }
    }
    acc.iter().sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedding_round_trips_through_bytes() {
        let v: Vec<f32> = (0..DIM).map(|i| ((i as f32) * 0.37).sin() / 14.0).collect();
        let e = Embedding::quantize(&v);
        let back = Embedding::from_bytes(&e.to_bytes()).unwrap();
        assert_eq!(back, e);
        let err: f32 = e.to_f32().iter().zip(&v).map(|(a, b)| (a - b).abs()).fold(0.0, f32::max);
        assert!(err <= e.scale / 2.0 + 1e-7, "quantisation error {err}");
        assert!(Embedding::from_bytes(&e.to_bytes()[1..]).is_err());
        let mut nan = e.to_bytes();
        nan[..4].copy_from_slice(&f32::NAN.to_le_bytes());
        assert!(Embedding::from_bytes(&nan).is_err());
    }

    #[test]
    fn integer_dot_matches_float_dot() {
        let a: Vec<f32> = (0..DIM).map(|i| ((i as f32) * 0.11).cos()).collect();
        let b: Vec<f32> = (0..DIM).map(|i| ((i as f32) * 0.07).sin()).collect();
        let (ea, eb) = (Embedding::quantize(&a), Embedding::quantize(&b));
        let exact: f32 = ea.to_f32().iter().zip(eb.to_f32()).map(|(x, y)| x * y).sum();
        assert!((ea.dot(&eb) - exact).abs() < 1e-3 * exact.abs().max(1.0));
    }
}
