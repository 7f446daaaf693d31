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
    fn a_bad_reranker_file_is_named() {
        let err = Reranker::from_json("{}", "assets/matcher-reranker.json").unwrap_err().to_string();
        assert!(err.starts_with("assets/matcher-reranker.json: "), "{err}");
        let good = Reranker::shipped().unwrap();
        let text = SHIPPED.replace(&format!("\"pool\": {}", good.pool), "\"pool\": 0");
        assert!(Reranker::from_json(&text, "x.json").is_err());
    }
}
