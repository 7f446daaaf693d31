//! The trained scorer: logistic regression over hashed words and word pairs, the core's own features and, in a
//! transcript, the sentence's context.
//!
//! A sentence becomes a sparse vector without allocating: its words (lowercased ASCII letters, digits folded to
//! `0`, other characters kept) and each pair of neighbouring words are hashed (FNV-1a) into `2^bits` buckets, each
//! occurrence with the same value, chosen so that the hashed part of the vector has unit length (long sentences do
//! not win by word count alone); the dense part is [`RuleScorer::inputs`] (quantities, money, percentages,
//! comparatives, attribution cues, quotes, names, hedges, first person, questions, …) and the [`Context`] inputs
//! (the speaker's role and share of the words, the place in the transcript and in the turn; all zero outside a
//! transcript). In a transcript, a second, smaller table of word weights ([`LinearModel::transcript`], indexed by
//! the same hashes) adds what the debates taught beyond ClaimBuster's sentences; elsewhere it is not read, so a news
//! article scores exactly as the ClaimBuster-trained part says. The score is the logistic function of the weighted
//! sum. Weights are trained by [`crate::train`] on
//! the ClaimBuster crowdsourced sentences and the CheckThat 2019 debates and shipped in `assets/claimdesk-lr.bin`
//! (16-bit quantised), loaded once at start.

use std::sync::OnceLock;

use super::context::{Context, N_CONTEXT};
use super::features::{Features, features};
use super::score::{N_INPUTS, RuleScorer, Scorer};

/// The shipped weights.
pub const SHIPPED: &[u8] = include_bytes!("../../assets/claimdesk-lr.bin");
const MAGIC: &[u8; 7] = b"CDLR\x00\x00\x00";
/// The weights format this build reads and writes: 2 scaled the hashed features to unit length (1 did not); 3 adds
/// the context weights.
const FORMAT: u8 = 3;

/// Why a weights file could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ModelError {
    #[error("not a ClaimDesk model (bad magic bytes)")]
    BadMagic,
    #[error("model format {0}; this build reads format {FORMAT} (retrain with `claimdesk train`)")]
    BadFormat(u8),
    #[error("truncated: {0}")]
    Truncated(&'static str),
    #[error("bucket bits {0} is outside 10 to 24")]
    BadBits(u32),
    #[error("the model has {0} dense inputs; this build computes {N_INPUTS}")]
    DenseMismatch(u32),
    #[error("the model has {0} context inputs; this build computes {N_CONTEXT}")]
    ContextMismatch(u32),
    #[error("{0} is not a finite number")]
    NotFinite(&'static str),
    #[error("transcript table bits {0} exceed the hashed bits")]
    BadTranscriptBits(u32),
    #[error("{0} bytes after the weights")]
    Trailing(usize),
}

/// Write `weights` quantised to i16 after one f32 scale (the largest magnitude maps to `i16::MAX`).
fn write_quantised(out: &mut Vec<u8>, weights: &[f32]) {
    let max = weights.iter().fold(0.0f32, |m, w| m.max(w.abs()));
    let scale = if max > 0.0 { max / i16::MAX as f32 } else { 1.0 };
    out.extend_from_slice(&scale.to_le_bytes());
    for w in weights {
        let q = (w / scale).round().clamp(i16::MIN as f32, i16::MAX as f32) as i16;
        out.extend_from_slice(&q.to_le_bytes());
    }
}

/// Read `n` i16 weights at `*at` of `bytes`, times `scale`.
fn read_quantised(
    bytes: &[u8],
    at: &mut usize,
    n: usize,
    scale: f32,
    what: &'static str,
) -> Result<Vec<f32>, ModelError> {
    let body = bytes.get(*at..*at + 2 * n).ok_or(ModelError::Truncated(what))?;
    *at += 2 * n;
    Ok(body.chunks_exact(2).map(|c| i16::from_le_bytes([c[0], c[1]]) as f32 * scale).collect())
}

/// The 4 bytes at `*at` of `bytes`.
fn take4_at(bytes: &[u8], at: &mut usize, what: &'static str) -> Result<[u8; 4], ModelError> {
    let b = bytes.get(*at..*at + 4).ok_or(ModelError::Truncated(what))?;
    *at += 4;
    Ok([b[0], b[1], b[2], b[3]])
}

/// A linear model over hashed n-grams and dense features.
#[derive(Debug, Clone, PartialEq)]
pub struct LinearModel {
    pub bits: u32,
    pub bias: f32,
    pub threshold: f32,
    pub dense: [f32; N_INPUTS],
    /// The weights of the [`Context`] inputs.
    pub context: [f32; N_CONTEXT],
    pub hashed: Vec<f32>,
    /// Word weights read only in a transcript: `2^transcript_bits` of them (0 bits: none), indexed by the low bits
    /// of each hashed bucket.
    pub transcript_bits: u32,
    pub transcript: Vec<f32>,
    version: String,
}

impl LinearModel {
    /// A model with all weights zero.
    pub fn zeros(bits: u32, threshold: f32) -> Self {
        let mut m = Self {
            bits,
            bias: 0.0,
            threshold,
            dense: [0.0; N_INPUTS],
            context: [0.0; N_CONTEXT],
            hashed: vec![0.0; 1 << bits],
            transcript_bits: 0,
            transcript: Vec::new(),
            version: String::new(),
        };
        m.version = m.compute_version();
        m
    }

    /// The shipped model, loaded once.
    pub fn shipped() -> &'static LinearModel {
        static MODEL: OnceLock<LinearModel> = OnceLock::new();
        // The shipped bytes are checked by a test; should they ever be unreadable, the zero model scores everything
        // 0.5 rather than crashing the window.
        MODEL.get_or_init(|| Self::from_bytes(SHIPPED).unwrap_or_else(|_| Self::zeros(10, 0.5)))
    }

    /// Call `f` with the bucket of every distinct word and word pair of `sentence` (duplicates possible across
    /// collisions are fine: a repeated n-gram is passed each time it occurs).
    pub fn for_each_bucket(bits: u32, sentence: &str, mut f: impl FnMut(usize)) {
        const OFFSET: u64 = 0xcbf2_9ce4_8422_2325;
        const PRIME: u64 = 0x0000_0100_0000_01b3;
        let mask = (1u64 << bits) - 1;
        let bucket = |h: u64| ((h ^ (h >> 29)).wrapping_mul(0xbf58_476d_1ce4_e5b9) >> 17 & mask) as usize;
        let mut prev: u64 = 0x9e37_79b9; // a start-of-sentence marker, so the first word forms a pair too
        let mut h = OFFSET;
        let mut in_word = false;
        let bytes = sentence.as_bytes();
        for i in 0..=bytes.len() {
            let b = bytes.get(i).copied();
            let folded = match b {
                Some(c) if c.is_ascii_alphabetic() => Some(c.to_ascii_lowercase()),
                Some(c) if c.is_ascii_digit() => Some(b'0'),
                Some(b'\'' | b'%' | b'$') => b,
                Some(c) if c >= 0x80 => Some(c),
                _ => None,
            };
            match folded {
                Some(c) => {
                    h = (h ^ u64::from(c)).wrapping_mul(PRIME);
                    in_word = true;
                }
                None if in_word => {
                    f(bucket(h));
                    f(bucket(prev.rotate_left(17) ^ h.wrapping_mul(PRIME)));
                    prev = h;
                    h = OFFSET;
                    in_word = false;
                }
                None => {}
            }
            // A question mark is a strong signal on its own.
            if b == Some(b'?') {
                f(bucket(0x5151_5151));
            }
        }
    }

    /// The value of each hashed feature of a sentence with `n` of them: the hashed part of the vector has unit
    /// length, so long sentences do not outscore short ones by their word count alone.
    pub fn hashed_value(n: usize) -> f32 {
        if n == 0 { 0.0 } else { 1.0 / (n as f32).sqrt() }
    }

    /// A model with this one's weights and a transcript table of `2^bits` zeros (0: none).
    pub fn with_transcript_table(mut self, bits: u32) -> Self {
        self.transcript_bits = bits.min(self.bits);
        self.transcript = if bits == 0 { Vec::new() } else { vec![0.0; 1 << self.transcript_bits] };
        self.version = self.compute_version();
        self
    }

    /// The index into [`LinearModel::transcript`] of hashed bucket `bucket`.
    pub fn transcript_index(&self, bucket: usize) -> usize {
        bucket & ((1usize << self.transcript_bits) - 1)
    }

    /// The raw linear score (before the logistic function), without neighbours.
    pub fn margin(&self, sentence: &str, features: &Features, context: &Context) -> f32 {
        let (alone, transcript) = self.margin_parts(sentence, features, context);
        alone + transcript
    }

    /// A sentence's margin in two parts: its words and features alone ([`LinearModel::margin_of`]), and what its
    /// transcript context adds ([`LinearModel::transcript_margin`]).
    pub fn margin_parts(&self, sentence: &str, features: &Features, context: &Context) -> (f32, f32) {
        let (mut sum, mut n) = (0.0f32, 0usize);
        let mut words = 0.0f32;
        if context.transcript && !self.transcript.is_empty() {
            Self::for_each_bucket(self.bits, sentence, |i| {
                sum += self.hashed[i];
                words += self.transcript[self.transcript_index(i)];
                n += 1;
            });
        } else {
            Self::for_each_bucket(self.bits, sentence, |i| {
                sum += self.hashed[i];
                n += 1;
            });
        }
        let value = Self::hashed_value(n);
        (self.margin_of(&RuleScorer::inputs(features), sum * value), self.transcript_margin(context, words * value))
    }

    /// The raw linear score of a sentence alone, from the dense inputs and the hashed part's contribution (already
    /// scaled).
    pub fn margin_of(&self, dense: &[f32; N_INPUTS], hashed: f32) -> f32 {
        let mut z = self.bias + hashed;
        for (x, w) in dense.iter().zip(&self.dense) {
            z += x * w;
        }
        z
    }

    /// What a transcript adds to the margin: the context's weighted inputs and the transcript table's contribution
    /// (already scaled); 0 outside a transcript.
    pub fn transcript_margin(&self, context: &Context, words: f32) -> f32 {
        if !context.transcript {
            return 0.0;
        }
        let mut z = words;
        for (x, w) in context.inputs.iter().zip(&self.context) {
            z += x * w;
        }
        z
    }

    /// The model's weights as bytes: magic, bits, dense count, context count, bias, threshold, dense and context
    /// weights (f32), the hashed weights quantised to i16 with one f32 scale, then the transcript table's bits and,
    /// unless 0, its weights quantised the same way.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(36 + 4 * (N_INPUTS + N_CONTEXT) + 2 * self.hashed.len());
        out.extend_from_slice(MAGIC);
        out.push(FORMAT);
        out.extend_from_slice(&self.bits.to_le_bytes());
        out.extend_from_slice(&(N_INPUTS as u32).to_le_bytes());
        out.extend_from_slice(&(N_CONTEXT as u32).to_le_bytes());
        out.extend_from_slice(&self.bias.to_le_bytes());
        out.extend_from_slice(&self.threshold.to_le_bytes());
        for w in self.dense.iter().chain(&self.context) {
            out.extend_from_slice(&w.to_le_bytes());
        }
        write_quantised(&mut out, &self.hashed);
        out.extend_from_slice(&self.transcript_bits.to_le_bytes());
        if self.transcript_bits > 0 {
            write_quantised(&mut out, &self.transcript);
        }
        out
    }

    /// Read weights written by [`LinearModel::to_bytes`].
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, ModelError> {
        let rest = bytes.strip_prefix(MAGIC).ok_or(ModelError::BadMagic)?;
        let (&format, rest) = rest.split_first().ok_or(ModelError::BadMagic)?;
        if format != FORMAT {
            return Err(ModelError::BadFormat(format));
        }
        let mut at = 0usize;
        let mut take4 = |what: &'static str| take4_at(rest, &mut at, what);
        let bits = u32::from_le_bytes(take4("bits")?);
        if !(10..=24).contains(&bits) {
            return Err(ModelError::BadBits(bits));
        }
        let n_dense = u32::from_le_bytes(take4("dense count")?);
        if n_dense as usize != N_INPUTS {
            return Err(ModelError::DenseMismatch(n_dense));
        }
        let n_context = u32::from_le_bytes(take4("context count")?);
        if n_context as usize != N_CONTEXT {
            return Err(ModelError::ContextMismatch(n_context));
        }
        let finite = |v: f32, what: &'static str| if v.is_finite() { Ok(v) } else { Err(ModelError::NotFinite(what)) };
        let bias = finite(f32::from_le_bytes(take4("bias")?), "bias")?;
        let threshold = finite(f32::from_le_bytes(take4("threshold")?), "threshold")?;
        let mut dense = [0.0; N_INPUTS];
        for d in &mut dense {
            *d = finite(f32::from_le_bytes(take4("dense weights")?), "a dense weight")?;
        }
        let mut context = [0.0; N_CONTEXT];
        for c in &mut context {
            *c = finite(f32::from_le_bytes(take4("context weights")?), "a context weight")?;
        }
        let scale = finite(f32::from_le_bytes(take4("scale")?), "scale")?;
        let hashed = read_quantised(rest, &mut at, 1usize << bits, scale, "hashed weights")?;
        let transcript_bits = u32::from_le_bytes(take4_at(rest, &mut at, "transcript bits")?);
        if transcript_bits > bits {
            return Err(ModelError::BadTranscriptBits(transcript_bits));
        }
        let transcript = if transcript_bits == 0 {
            Vec::new()
        } else {
            let scale = finite(f32::from_le_bytes(take4_at(rest, &mut at, "transcript scale")?), "transcript scale")?;
            read_quantised(rest, &mut at, 1usize << transcript_bits, scale, "transcript weights")?
        };
        if at != rest.len() {
            return Err(ModelError::Trailing(rest.len() - at));
        }
        let mut m =
            Self { bits, bias, threshold, dense, context, hashed, transcript_bits, transcript, version: String::new() };
        m.version = m.compute_version();
        Ok(m)
    }

    fn compute_version(&self) -> String {
        let digest = crate::document::fingerprint_bytes(&self.to_bytes_unversioned());
        format!("{FORMAT}.0.0+{}", &digest[..8])
    }

    fn to_bytes_unversioned(&self) -> Vec<u8> {
        self.to_bytes()
    }
}

impl Scorer for LinearModel {
    fn name(&self) -> &str {
        "claimdesk-lr"
    }

    fn version(&self) -> &str {
        &self.version
    }

    fn default_threshold(&self) -> f32 {
        self.threshold
    }

    fn score(&self, sentence: &str) -> f32 {
        self.score_with(sentence, &features(sentence))
    }

    fn score_with(&self, sentence: &str, features: &Features) -> f32 {
        self.score_in_context(sentence, features, &Context::NONE)
    }

    fn score_in_context(&self, sentence: &str, features: &Features, context: &Context) -> f32 {
        sigmoid(self.margin(sentence, features, context))
    }
}

/// The logistic function.
pub fn sigmoid(z: f32) -> f32 {
    1.0 / (1.0 + (-z).exp())
}

/// The shipped model as a scorer.
#[derive(Debug, Clone, Copy, Default)]
pub struct ShippedModel;

impl Scorer for ShippedModel {
    fn name(&self) -> &str {
        LinearModel::shipped().name()
    }
    fn version(&self) -> &str {
        LinearModel::shipped().version()
    }
    fn default_threshold(&self) -> f32 {
        LinearModel::shipped().default_threshold()
    }
    fn score(&self, sentence: &str) -> f32 {
        LinearModel::shipped().score(sentence)
    }
    fn score_with(&self, sentence: &str, features: &Features) -> f32 {
        LinearModel::shipped().score_with(sentence, features)
    }
    fn score_in_context(&self, sentence: &str, features: &Features, context: &Context) -> f32 {
        LinearModel::shipped().score_in_context(sentence, features, context)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bytes_round_trip_within_quantisation() {
        let mut m = LinearModel::zeros(12, 0.3);
        m.bias = -1.5;
        m.dense[3] = 0.75;
        m.context[1] = -2.5;
        for (i, w) in m.hashed.iter_mut().enumerate() {
            *w = ((i % 17) as f32 - 8.0) / 4.0;
        }
        let back = LinearModel::from_bytes(&m.to_bytes()).unwrap();
        assert_eq!(back.bits, 12);
        assert_eq!(back.bias, -1.5);
        assert_eq!(back.dense, m.dense);
        assert_eq!(back.context, m.context);
        for (a, b) in back.hashed.iter().zip(&m.hashed) {
            assert!((a - b).abs() < 1e-3);
        }
        assert_eq!(LinearModel::from_bytes(&back.to_bytes()).unwrap(), back, "a second round trip is exact");
    }

    #[test]
    fn malformed_weights_are_errors() {
        assert_eq!(LinearModel::from_bytes(b"nonsense"), Err(ModelError::BadMagic));
        let good = LinearModel::zeros(10, 0.5).to_bytes();
        let mut old = good.clone();
        old[7] = 1;
        assert_eq!(LinearModel::from_bytes(&old), Err(ModelError::BadFormat(1)));
        assert!(matches!(LinearModel::from_bytes(&good[..good.len() - 1]), Err(ModelError::Truncated(_))));
        let mut bad_bits = good.clone();
        bad_bits[8..12].copy_from_slice(&40u32.to_le_bytes());
        assert_eq!(LinearModel::from_bytes(&bad_bits), Err(ModelError::BadBits(40)));
    }

    #[test]
    fn buckets_ignore_case_and_fold_digits() {
        let collect = |s: &str| {
            let mut v = Vec::new();
            LinearModel::for_each_bucket(16, s, |i| v.push(i));
            v
        };
        assert_eq!(collect("Sales rose 7%"), collect("sales ROSE 9%"));
        assert_ne!(collect("sales rose"), collect("rose sales"), "word pairs keep order");
        assert_eq!(collect("a b c").len(), 6, "three words, three pairs");
    }

    #[test]
    fn the_shipped_model_loads_and_ranks_sensibly() {
        let m = LinearModel::from_bytes(SHIPPED).expect("the shipped weights load");
        let claim = "Israel has sold more than $3 billion in arms to the Gulf nations, Gantz said.";
        let chatter = "Thank you very much, it's good to be here tonight.";
        assert!(m.score(claim) > m.score(chatter));
        for s in [claim, chatter, "", "?", "éé"] {
            let v = m.score(s);
            assert!((0.0..=1.0).contains(&v), "{s}: {v}");
        }
    }
}
