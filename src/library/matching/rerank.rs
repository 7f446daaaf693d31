//! The learned re-ranker and its calibration: a logistic regression over the features of a (query, fact-check)
//! pair, and a logistic map of its output to the readable `score`. Both are fitted by
//! `scripts/matching/derive.py` on the CheckThat! 2020 train tweets (re-ranker on all of train, calibration on
//! the re-ranker's out-of-fold outputs) and ship in `assets/matcher-reranker.json`.

use serde::Deserialize;

use super::MatchError;
use super::features::NAMES;

/// Features per pair: six from the two retrievers, then the agreement features.
pub const N_FEATURES: usize = 6 + NAMES.len();
/// Feature names in order, as the asset lists them.
pub const FEATURES: [&str; N_FEATURES] = [
    "bm25",
    "bm25_rel",
    "bm25_logrank",
    "cos",
    "cos_gap",
    "cos_logrank",
    NAMES[0],
    NAMES[1],
    NAMES[2],
    NAMES[3],
    NAMES[4],
    NAMES[5],
    NAMES[6],
    NAMES[7],
];

const SHIPPED: &str = include_str!("../../../assets/matcher-reranker.json");

/// Re-ranker weights (over standardised features) and the calibration `score = σ(a·z + b)`.
#[derive(Debug, Clone, Deserialize)]
pub struct Reranker {
    /// Candidates taken from each retriever (BM25 and cosine) before re-ranking.
    pub pool: usize,
    features: Vec<String>,
    mean: Vec<f64>,
    scale: Vec<f64>,
    weights: Vec<f64>,
    bias: f64,
    calibration: [f64; 2],
}

impl Reranker {
    /// The shipped re-ranker (compiled in).
    pub fn shipped() -> Result<Reranker, MatchError> {
        Reranker::from_json(SHIPPED, "assets/matcher-reranker.json")
    }

    /// Reads a re-ranker from its JSON; `file` names it in errors.
    pub fn from_json(text: &str, file: &str) -> Result<Reranker, MatchError> {
        let bad = |what: String| MatchError::BadAsset { file: file.into(), what };
        let r: Reranker = serde_json::from_str(text).map_err(|e| bad(e.to_string()))?;
        if r.features != FEATURES {
            return Err(bad(format!("features {:?} are not this version's {FEATURES:?}", r.features)));
        }
        if r.mean.len() != N_FEATURES || r.scale.len() != N_FEATURES || r.weights.len() != N_FEATURES {
            return Err(bad(format!("mean, scale and weights must each hold {N_FEATURES} numbers")));
        }
        let finite = r
            .mean
            .iter()
            .chain(&r.scale)
            .chain(&r.weights)
            .chain([&r.bias])
            .chain(&r.calibration)
            .all(|v| v.is_finite());
        if !finite || r.scale.iter().any(|&s| s <= 0.0) || r.calibration[0] <= 0.0 {
            return Err(bad("a number is not finite, a scale is not positive, or the calibration slope is not".into()));
        }
        if r.pool == 0 || r.pool > 1000 {
            return Err(bad(format!("pool {} is outside 1..=1000", r.pool)));
        }
        Ok(r)
    }

    /// The re-ranker's raw output (log-odds) for one pair.
    pub fn raw(&self, x: &[f64; N_FEATURES]) -> f64 {
        let terms = x.iter().zip(&self.weights).zip(self.mean.iter().zip(&self.scale));
        self.bias + terms.map(|((v, w), (m, s))| w * (v - m) / s).sum::<f64>()
    }

    /// The calibrated score of a raw output: increasing, in (0, 1).
    pub fn calibrate(&self, z: f64) -> f64 {
        1.0 / (1.0 + (-(self.calibration[0] * z + self.calibration[1])).exp())
    }

    /// Calibrated score of one pair.
    pub fn score(&self, x: &[f64; N_FEATURES]) -> f64 {
        self.calibrate(self.raw(x))
    }
}

/// A second calibration, for what the window's "checked before" mark claims: the probability that a top hit is the
/// right earlier fact-check when a claim may never have been checked at all. The re-ranker's calibration was learned
/// where the right fact-check was always in the library, and several of its inputs are relative to the best candidate,
/// so for a claim never checked before its best candidate still scored 0.5 or more for 57% of the CheckThat! train
/// tweets (their right fact-checks taken out). This map, `σ(w_s · logit(score) + w_c · cosine + b)`, is fitted on
/// train's top hits, half with their right fact-checks in the library (label: the top hit is right) and half with
/// them taken out (label 0), by [`Presence::fit`]: `cargo run --release --example matching_eval -- DATA train --fit`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Presence {
    pub score: f64,
    pub cosine: f64,
    pub bias: f64,
}

impl Presence {
    /// Fitted by the command above on CheckThat! 2020 train (800 tweets, each twice).
    pub const SHIPPED: Presence = Presence { score: 0.745_956, cosine: 3.866_568, bias: -3.948_907 };

    /// The second calibration of a (calibrated, capped) score and its cosine: increasing in both.
    pub fn apply(&self, score: f64, cosine: f32) -> f64 {
        let s = score.clamp(1e-4, 1.0 - 1e-4);
        let z = self.score * (s / (1.0 - s)).ln() + self.cosine * f64::from(cosine) + self.bias;
        1.0 / (1.0 + (-z).exp())
    }

    /// Logistic regression (batch gradient descent, L2 1e-3) of "the top hit is right" on the top hits' scores and
    /// cosines: `present` with their right fact-checks in the library (score, cosine, right), `absent` without.
    pub fn fit(present: &[(f64, f32, bool)], absent: &[(f64, f32)]) -> Presence {
        let logit = |s: f64| {
            let s = s.clamp(1e-4, 1.0 - 1e-4);
            (s / (1.0 - s)).ln()
        };
        let rows: Vec<([f64; 2], f64)> = present
            .iter()
            .map(|&(s, c, right)| ([logit(s), f64::from(c)], f64::from(u8::from(right))))
            .chain(absent.iter().map(|&(s, c)| ([logit(s), f64::from(c)], 0.0)))
            .collect();
        let n = rows.len().max(1) as f64;
        let (mut w, mut b) = ([0.0f64; 2], 0.0f64);
        for _ in 0..3000 {
            let (mut gw, mut gb) = ([0.0f64; 2], 0.0f64);
            for (x, y) in &rows {
                let p = 1.0 / (1.0 + (-(w[0] * x[0] + w[1] * x[1] + b)).exp());
                gw[0] += (p - y) * x[0];
                gw[1] += (p - y) * x[1];
                gb += p - y;
            }
            for i in 0..2 {
                w[i] -= 0.5 * (gw[i] / n + 1e-3 * w[i]);
            }
            b -= 0.5 * gb / n;
        }
        Presence { score: w[0], cosine: w[1], bias: b }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shipped_reranker_loads_and_its_calibration_is_monotone_in_0_1() {
        let r = Reranker::shipped().unwrap();
        let mut last = 0.0;
        for i in -400..=400 {
            let s = r.calibrate(f64::from(i) / 20.0);
            assert!((0.0..=1.0).contains(&s), "score {s} outside 0..1");
            assert!(s >= last, "calibration not monotone at {i}");
            last = s;
        }
        assert!(r.calibrate(-20.0) < 0.05 && r.calibrate(20.0) > 0.95);
    }

    #[test]
    fn the_second_calibration_rises_with_score_and_cosine_and_fits_what_it_is_given() {
        let p = Presence::SHIPPED;
        assert!(p.apply(0.9, 0.8) > p.apply(0.9, 0.5) && p.apply(0.9, 0.5) > p.apply(0.6, 0.5));
        // A top hit as the window met it: a same-topic neighbour of a claim never checked (score 0.7, cosine 0.45)
        // no longer marks "checked before"; a reworded repeat (0.9, 0.85) does.
        assert!(p.apply(0.7, 0.45) < 0.5 && p.apply(0.9, 0.85) > 0.7, "{p:?}");
        // Fitting: hits with a high cosine are right, low ones never: the fitted cosine weight is positive and large.
        let present: Vec<(f64, f32, bool)> = (0..100).map(|i| (0.8, 0.5 + i as f32 / 250.0, i >= 50)).collect();
        let absent: Vec<(f64, f32)> = (0..100).map(|i| (0.8, 0.3 + i as f32 / 500.0)).collect();
        let fitted = Presence::fit(&present, &absent);
        assert!(fitted.cosine > 3.0, "{fitted:?}");
        assert!(fitted.apply(0.8, 0.9) > 0.5 && fitted.apply(0.8, 0.4) < 0.2, "{fitted:?}");
    }

    #[test]
    fn a_bad_reranker_file_is_named() {
        let err = Reranker::from_json("{}", "assets/matcher-reranker.json").unwrap_err().to_string();
        assert!(err.starts_with("assets/matcher-reranker.json: "), "{err}");
        let good = Reranker::shipped().unwrap();
        let text = SHIPPED.replace(&format!("\"pool\": {}", good.pool), "\"pool\": 0");
        assert!(Reranker::from_json(&text, "x.json").is_err());
    }
}
