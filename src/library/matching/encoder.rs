//! The sentence encoder: all-MiniLM-L6-v2 (a 6-layer BERT, hidden 384, 12 heads, feed-forward 1536) run by a
//! hand-written forward pass over `matrixmultiply`'s sgemm, then mean pooling and L2 normalisation, as
//! sentence-transformers does. The weights ship in `assets/minilm-l6-v2.f16.bin` (format below, written by
//! `scripts/matching/derive.py`); the big matrices are widened to f32 once at load, the word-embedding table stays
//! f16 and is widened row by row as tokens are looked up.
//!
//! Weights file, little-endian throughout: the 8 bytes `CDMLM\0\0\x01`; six u32: vocabulary size, hidden size,
//! layers, heads, feed-forward size, positions; then f16 tensors in this order, linear weights stored
//! `[in][out]` (so a row of activations times the matrix is one sgemm without transposes): word embeddings
//! `[vocab][hidden]`, position embeddings with token type 0 added `[positions][hidden]`, embedding layer norm
//! gain and bias; per layer: query-key-value weights `[hidden][3·hidden]` and bias, attention output weights
//! `[hidden][hidden]` and bias, layer norm gain and bias, feed-forward in `[hidden][ffn]` and bias, out
//! `[ffn][hidden]` and bias, layer norm gain and bias.

use rayon::prelude::*;

use super::tokenizer::WordPiece;
use super::{Embedding, MatchError};

const MAGIC: &[u8; 8] = b"CDMLM\0\0\x01";
/// sentence-transformers cuts this model's input at 256 tokens.
pub const MAX_TOKENS: usize = 256;
const LN_EPS: f32 = 1e-12;
/// Tokens packed into one forward pass: enough rows for sgemm to run near its peak, few enough to stay in cache.
const CHUNK_TOKENS: usize = 384;

/// The compiled-in weights and vocabulary (see the module doc for the weights format).
pub const SHIPPED_WEIGHTS: &[u8] = include_bytes!("../../../assets/minilm-l6-v2.f16.bin");
/// The compiled-in WordPiece vocabulary, one token a line.
pub const SHIPPED_VOCAB: &str = include_str!("../../../assets/minilm-vocab.txt");

struct Layer {
    qkv_w: Vec<f32>,
    qkv_b: Vec<f32>,
    out_w: Vec<f32>,
    out_b: Vec<f32>,
    ln1_g: Vec<f32>,
    ln1_b: Vec<f32>,
    ff1_w: Vec<f32>,
    ff1_b: Vec<f32>,
    ff2_w: Vec<f32>,
    ff2_b: Vec<f32>,
    ln2_g: Vec<f32>,
    ln2_b: Vec<f32>,
}

/// A loaded sentence encoder. Cheap to share across threads (`&Encoder` is all `embed` needs).
pub struct Encoder {
    vocab: WordPiece,
    hidden: usize,
    heads: usize,
    ffn: usize,
    word_emb: Vec<u16>,
    pos_emb: Vec<f32>,
    emb_ln_g: Vec<f32>,
    emb_ln_b: Vec<f32>,
    layers: Vec<Layer>,
}

impl std::fmt::Debug for Encoder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Encoder").field("hidden", &self.hidden).field("layers", &self.layers.len()).finish()
    }
}

struct Reader<'a> {
    bytes: &'a [u8],
    at: usize,
    file: &'a str,
}

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize, what: &'static str) -> Result<&'a [u8], MatchError> {
        let end = self.at.checked_add(n).filter(|&e| e <= self.bytes.len());
        let end =
            end.ok_or_else(|| MatchError::BadAsset { file: self.file.into(), what: format!("truncated at {what}") })?;
        let out = &self.bytes[self.at..end];
        self.at = end;
        Ok(out)
    }
    fn u32(&mut self, what: &'static str) -> Result<usize, MatchError> {
        let b = self.take(4, what)?;
        Ok(u32::from_le_bytes([b[0], b[1], b[2], b[3]]) as usize)
    }
    fn f16s(&mut self, n: usize, what: &'static str) -> Result<Vec<u16>, MatchError> {
        let b = self.take(n * 2, what)?;
        Ok(b.chunks_exact(2).map(|c| u16::from_le_bytes([c[0], c[1]])).collect())
    }
    fn f32s(&mut self, n: usize, what: &'static str) -> Result<Vec<f32>, MatchError> {
        let b = self.take(n * 2, what)?;
        let v: Vec<f32> = b.chunks_exact(2).map(|c| f16_to_f32(u16::from_le_bytes([c[0], c[1]]))).collect();
        if v.iter().all(|x| x.is_finite()) {
            Ok(v)
        } else {
            Err(MatchError::BadAsset {
                file: self.file.into(),
                what: format!("{what} holds a value that is not finite"),
            })
        }
    }
}

impl Encoder {
    /// The shipped model (compiled in). Takes well under half a second: the matrices are widened to f32 in parallel.
    pub fn load() -> Result<Encoder, MatchError> {
        Encoder::from_bytes(SHIPPED_WEIGHTS, SHIPPED_VOCAB, "assets/minilm-l6-v2.f16.bin")
    }

    /// A model from weights in the format of the module doc and a vocabulary; `file` names the weights in errors.
    pub fn from_bytes(weights: &[u8], vocab: &str, file: &str) -> Result<Encoder, MatchError> {
        let vocab = WordPiece::from_vocab(vocab).map_err(|t| MatchError::BadAsset {
            file: "assets/minilm-vocab.txt".into(),
            what: format!("the vocabulary has no {t}"),
        })?;
        let mut r = Reader { bytes: weights, at: 0, file };
        if r.take(8, "magic")? != MAGIC {
            return Err(MatchError::BadAsset {
                file: file.into(),
                what: "not a ClaimDesk MiniLM weights file (magic)".into(),
            });
        }
        let (v, h, nl, heads, ffn, pos) =
            (r.u32("vocab")?, r.u32("hidden")?, r.u32("layers")?, r.u32("heads")?, r.u32("ffn")?, r.u32("positions")?);
        if h != super::DIM
            || heads == 0
            || h % heads != 0
            || v != vocab.len()
            || pos < MAX_TOKENS
            || nl > 64
            || ffn > 16384
        {
            return Err(MatchError::BadAsset {
                file: file.into(),
                what: format!(
                    "shape vocab {v} hidden {h} heads {heads} positions {pos} does not fit the {}-token vocabulary",
                    vocab.len()
                ),
            });
        }
        let word_emb = r.f16s(v * h, "word embeddings")?;
        let pos_emb = r.f32s(pos * h, "position embeddings")?;
        let emb_ln_g = r.f32s(h, "embedding layer norm")?;
        let emb_ln_b = r.f32s(h, "embedding layer norm")?;
        // Slice the file per layer first, then widen the layers in parallel.
        let mut raw = Vec::with_capacity(nl);
        let per_layer = 2 * (h * 3 * h + 3 * h + h * h + h + 2 * h + h * ffn + ffn + ffn * h + h + 2 * h);
        for _ in 0..nl {
            raw.push(r.take(per_layer, "layer weights")?);
        }
        if r.at != weights.len() {
            return Err(MatchError::BadAsset { file: file.into(), what: "trailing bytes after the last layer".into() });
        }
        let layers = raw
            .par_iter()
            .map(|bytes| {
                let mut l = Reader { bytes, at: 0, file };
                Ok(Layer {
                    qkv_w: l.f32s(h * 3 * h, "attention weights")?,
                    qkv_b: l.f32s(3 * h, "attention bias")?,
                    out_w: l.f32s(h * h, "attention output weights")?,
                    out_b: l.f32s(h, "attention output bias")?,
                    ln1_g: l.f32s(h, "attention layer norm")?,
                    ln1_b: l.f32s(h, "attention layer norm")?,
                    ff1_w: l.f32s(h * ffn, "feed-forward weights")?,
                    ff1_b: l.f32s(ffn, "feed-forward bias")?,
                    ff2_w: l.f32s(ffn * h, "feed-forward weights")?,
                    ff2_b: l.f32s(h, "feed-forward bias")?,
                    ln2_g: l.f32s(h, "output layer norm")?,
                    ln2_b: l.f32s(h, "output layer norm")?,
                })
            })
            .collect::<Result<Vec<_>, MatchError>>()?;
        Ok(Encoder { vocab, hidden: h, heads, ffn, word_emb, pos_emb, emb_ln_g, emb_ln_b, layers })
    }

    /// Token ids of `text` as the model sees them (`[CLS] … [SEP]`, at most 256).
    pub fn token_ids(&self, text: &str) -> Vec<u32> {
        self.vocab.encode(text, MAX_TOKENS)
    }

    /// Embeds texts, in order. Texts are packed into chunks of a few hundred tokens that run on both cores; a single
    /// text splits its matrix products across the cores instead.
    pub fn embed(&self, texts: &[&str]) -> Vec<Embedding> {
        self.embed_f32(texts).iter().map(|v| Embedding::quantize(v)).collect()
    }

    /// Unit-length f32 embeddings, before quantisation (what the reference vectors are compared with).
    pub fn embed_f32(&self, texts: &[&str]) -> Vec<Vec<f32>> {
        let ids: Vec<Vec<u32>> = texts.par_iter().map(|t| self.token_ids(t)).collect();
        // Chunks of consecutive texts up to CHUNK_TOKENS tokens (a longer text is a chunk alone).
        let mut chunks: Vec<std::ops::Range<usize>> = Vec::new();
        let (mut start, mut tokens) = (0, 0);
        for (i, t) in ids.iter().enumerate() {
            if tokens > 0 && tokens + t.len() > CHUNK_TOKENS {
                chunks.push(start..i);
                (start, tokens) = (i, 0);
            }
            tokens += t.len();
        }
        if start < ids.len() {
            chunks.push(start..ids.len());
        }
        let out: Vec<Vec<Vec<f32>>> = chunks.par_iter().map(|c| self.forward(&ids[c.clone()])).collect();
        out.into_iter().flatten().collect()
    }

    /// One forward pass over several sequences packed row after row (no padding): the linear layers see all their
    /// tokens at once, attention stays within each sequence.
    fn forward(&self, seqs: &[Vec<u32>]) -> Vec<Vec<f32>> {
        let h = self.hidden;
        let t: usize = seqs.iter().map(Vec::len).sum();
        let mut x = vec![0f32; t * h];
        let mut row = 0;
        for s in seqs {
            for (p, &id) in s.iter().enumerate() {
                let dst = &mut x[row * h..(row + 1) * h];
                let src = &self.word_emb[id as usize * h..(id as usize + 1) * h];
                let pos = &self.pos_emb[p * h..(p + 1) * h];
                for ((d, &w), &q) in dst.iter_mut().zip(src).zip(pos) {
                    *d = f16_to_f32(w) + q;
                }
                row += 1;
            }
        }
        layer_norm(&mut x, h, &self.emb_ln_g, &self.emb_ln_b);
        let mut qkv = vec![0f32; t * 3 * h];
        let mut ctx = vec![0f32; t * h];
        let mut tmp = vec![0f32; t * h];
        let mut inter = vec![0f32; t * self.ffn];
        for l in &self.layers {
            matmul(&x, t, h, &l.qkv_w, 3 * h, &l.qkv_b, &mut qkv);
            let mut off = 0;
            for s in seqs {
                self.attention(
                    &qkv[off * 3 * h..(off + s.len()) * 3 * h],
                    s.len(),
                    &mut ctx[off * h..(off + s.len()) * h],
                );
                off += s.len();
            }
            matmul(&ctx, t, h, &l.out_w, h, &l.out_b, &mut tmp);
            add_assign(&mut x, &tmp);
            layer_norm(&mut x, h, &l.ln1_g, &l.ln1_b);
            matmul(&x, t, h, &l.ff1_w, self.ffn, &l.ff1_b, &mut inter);
            inter.iter_mut().for_each(|v| *v = gelu(*v));
            matmul(&inter, t, self.ffn, &l.ff2_w, h, &l.ff2_b, &mut tmp);
            add_assign(&mut x, &tmp);
            layer_norm(&mut x, h, &l.ln2_g, &l.ln2_b);
        }
        let mut out = Vec::with_capacity(seqs.len());
        let mut off = 0;
        for s in seqs {
            let mut v = vec![0f32; h];
            for r in off..off + s.len() {
                add_assign(&mut v, &x[r * h..(r + 1) * h]);
            }
            off += s.len();
            let norm = v.iter().map(|a| a * a).sum::<f32>().sqrt().max(1e-12);
            v.iter_mut().for_each(|a| *a /= norm);
            out.push(v);
        }
        out
    }

    /// Scaled dot-product attention of one sequence, all heads; `qkv` rows are `[q | k | v]`.
    fn attention(&self, qkv: &[f32], len: usize, ctx: &mut [f32]) {
        let h = self.hidden;
        let d = h / self.heads;
        let scale = 1.0 / (d as f32).sqrt();
        let mut scores = vec![0f32; len];
        for head in 0..self.heads {
            let (qo, ko, vo) = (head * d, h + head * d, 2 * h + head * d);
            for i in 0..len {
                let q = &qkv[i * 3 * h + qo..i * 3 * h + qo + d];
                let mut max = f32::NEG_INFINITY;
                for (j, s) in scores.iter_mut().enumerate() {
                    let k = &qkv[j * 3 * h + ko..j * 3 * h + ko + d];
                    *s = dot(q, k) * scale;
                    max = max.max(*s);
                }
                let mut sum = 0.0;
                for s in scores.iter_mut() {
                    *s = (*s - max).exp();
                    sum += *s;
                }
                let out = &mut ctx[i * h + head * d..i * h + head * d + d];
                out.iter_mut().for_each(|o| *o = 0.0);
                for (j, &p) in scores.iter().enumerate() {
                    let v = &qkv[j * 3 * h + vo..j * 3 * h + vo + d];
                    let p = p / sum;
                    for (o, &vv) in out.iter_mut().zip(v) {
                        *o += p * vv;
                    }
                }
            }
        }
    }
}

fn dot(a: &[f32], b: &[f32]) -> f32 {
    // Eight partial sums: lets the compiler keep several vector lanes busy instead of one serial chain.
    let mut acc = [0f32; 8];
    let (ca, cb) = (a.chunks_exact(8), b.chunks_exact(8));
    let tail: f32 = ca.remainder().iter().zip(cb.remainder()).map(|(x, y)| x * y).sum();
    for (x, y) in ca.zip(cb) {
        for i in 0..8 {
            acc[i] += x[i] * y[i];
        }
    }
    acc.iter().sum::<f32>() + tail
}

fn add_assign(a: &mut [f32], b: &[f32]) {
    for (x, &y) in a.iter_mut().zip(b) {
        *x += y;
    }
}

fn layer_norm(x: &mut [f32], h: usize, g: &[f32], b: &[f32]) {
    for row in x.chunks_exact_mut(h) {
        let mean = row.iter().sum::<f32>() / h as f32;
        let var = row.iter().map(|v| (v - mean) * (v - mean)).sum::<f32>() / h as f32;
        let inv = 1.0 / (var + LN_EPS).sqrt();
        for ((v, &gg), &bb) in row.iter_mut().zip(g).zip(b) {
            *v = (*v - mean) * inv * gg + bb;
        }
    }
}

/// BERT's exact GELU, x·Φ(x), through an erf accurate to about 1e-7.
fn gelu(x: f32) -> f32 {
    0.5 * x * (1.0 + erf(x * std::f32::consts::FRAC_1_SQRT_2))
}

/// Abramowitz and Stegun 7.1.26 (absolute error below 1.5e-7).
fn erf(x: f32) -> f32 {
    let s = x.signum();
    let x = x.abs();
    let t = 1.0 / (1.0 + 0.327_591_1 * x);
    let y = 1.0
        - (((((1.061_405_4 * t - 1.453_152_1) * t) + 1.421_413_7) * t - 0.284_496_72) * t + 0.254_829_6)
            * t
            * (-x * x).exp();
    s * y
}

/// Shares a raw pointer across the two halves of a split product; each half writes disjoint elements.
#[derive(Clone, Copy)]
struct SendPtr(*mut f32);
// SAFETY: the halves given to different threads write disjoint rows or columns of the output.
unsafe impl Send for SendPtr {}
unsafe impl Sync for SendPtr {}

/// `out[m×n] = a[m×k] · w[k×n] + bias`, all row-major. Large products are split in two across rayon's threads: by
/// rows when there are many, else by columns (one short query still uses both cores).
fn matmul(a: &[f32], m: usize, k: usize, w: &[f32], n: usize, bias: &[f32], out: &mut [f32]) {
    assert!(a.len() >= m * k && w.len() >= k * n && out.len() >= m * n && bias.len() >= n);
    for row in out[..m * n].chunks_exact_mut(n) {
        row.copy_from_slice(&bias[..n]);
    }
    let c = SendPtr(out.as_mut_ptr());
    // SAFETY: the asserts above keep every index in bounds; the two calls write disjoint parts of `out`.
    let part = move |r0: usize, r1: usize, c0: usize, c1: usize| unsafe {
        let c = c;
        matrixmultiply::sgemm(
            r1 - r0,
            k,
            c1 - c0,
            1.0,
            a.as_ptr().add(r0 * k),
            k as isize,
            1,
            w.as_ptr().add(c0),
            n as isize,
            1,
            1.0,
            c.0.add(r0 * n + c0),
            n as isize,
            1,
        );
    };
    if m * n * k < 1 << 21 {
        part(0, m, 0, n);
    } else if m >= 64 {
        let mid = m / 2;
        rayon::join(|| part(0, mid, 0, n), || part(mid, m, 0, n));
    } else {
        let mid = n / 2;
        rayon::join(|| part(0, m, 0, mid), || part(0, m, mid, n));
    }
}

/// IEEE half to single precision (subnormals included).
pub(crate) fn f16_to_f32(h: u16) -> f32 {
    let sign = ((h as u32) & 0x8000) << 16;
    let exp = ((h >> 10) & 0x1f) as u32;
    let man = (h & 0x3ff) as u32;
    let bits = match (exp, man) {
        (0, 0) => sign,
        (0, _) => {
            // Subnormal: normalise the mantissa.
            let shift = man.leading_zeros() - 21;
            sign | ((113 - shift) << 23) | (((man << shift) & 0x3ff) << 13)
        }
        (0x1f, _) => sign | 0x7f80_0000 | (man << 13),
        _ => sign | ((exp + 112) << 23) | (man << 13),
    };
    f32::from_bits(bits)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(serde::Deserialize)]
    struct Case {
        text: String,
        vector: Vec<f32>,
    }
    #[derive(serde::Deserialize)]
    struct Reference {
        cases: Vec<Case>,
    }

    #[test]
    fn embeddings_equal_the_reference_vectors() {
        let enc = Encoder::load().unwrap();
        let r: Reference =
            serde_json::from_str(include_str!("../../../tests/fixtures/matching-reference.json")).unwrap();
        let texts: Vec<&str> = r.cases.iter().map(|c| c.text.as_str()).collect();
        // One batch (packed chunks) and one text at a time must both agree with the reference.
        let batch = enc.embed_f32(&texts);
        for (c, v) in r.cases.iter().zip(&batch) {
            let cos: f32 = c.vector.iter().zip(v).map(|(a, b)| a * b).sum();
            assert!(cos > 0.999, "cosine {cos} for {:?}", c.text);
            let single = enc.embed_f32(&[c.text.as_str()]).remove(0);
            let same: f32 = single.iter().zip(v).map(|(a, b)| a * b).sum();
            assert!(same > 0.99999, "batched and single embeddings differ ({same}) for {:?}", c.text);
        }
    }

    #[test]
    fn f16_conversion_covers_normals_subnormals_and_specials() {
        assert_eq!(f16_to_f32(0x3c00), 1.0);
        assert_eq!(f16_to_f32(0xc000), -2.0);
        assert_eq!(f16_to_f32(0x0001), 2f32.powi(-24));
        assert_eq!(f16_to_f32(0x03ff), 1023.0 * 2f32.powi(-24));
        assert_eq!(f16_to_f32(0x7bff), 65504.0);
        assert!(f16_to_f32(0x7c00).is_infinite() && f16_to_f32(0x7e00).is_nan());
        assert_eq!(f16_to_f32(0x8000).to_bits(), 0x8000_0000);
    }

    #[test]
    fn a_bad_weights_file_is_named_and_refused() {
        let err = Encoder::from_bytes(b"nonsense", SHIPPED_VOCAB, "x.bin").unwrap_err().to_string();
        assert!(err.starts_with("x.bin: "), "{err}");
        let cut = &SHIPPED_WEIGHTS[..SHIPPED_WEIGHTS.len() - 2];
        assert!(Encoder::from_bytes(cut, SHIPPED_VOCAB, "x.bin").is_err());
    }

    #[test]
    fn gelu_matches_known_values() {
        for (x, y) in [(0.0, 0.0), (1.0, 0.841_344_7), (-1.0, -0.158_655_3), (3.0, 2.995_950_4)] {
            assert!((gelu(x) - y).abs() < 1e-6, "gelu({x}) = {}", gelu(x));
        }
    }
}
