//! Training and measuring scorers on labelled sentences: reading a labelled CSV, fitting the logistic-regression
//! scorer ([`crate::extract::model::LinearModel`]) deterministically, k-fold cross-validation, and precision, recall,
//! F1 and average precision.
//!
//! The labelled data is the ClaimBuster crowdsourced set (Arslan, Hassan, Li, Tremayne: "A Benchmark Dataset of
//! Check-worthy Factual Claims", ICWSM 2020, doi:10.5281/zenodo.3609356): columns `Text` and `Verdict`, where
//! Verdict 1 is a check-worthy factual sentence and 0 and -1 are the rest.

use std::path::{Path, PathBuf};

use crate::extract::Scorer;
use crate::extract::features::features;
use crate::extract::model::LinearModel;
use crate::extract::score::{N_INPUTS, RuleScorer};

/// One labelled sentence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Labelled {
    pub text: String,
    /// Check-worthy factual (Verdict 1).
    pub positive: bool,
}

/// Why a labelled CSV could not be read. Names the file, and the row when it is about one.
#[derive(Debug, thiserror::Error)]
pub enum DataError {
    #[error("{path}: cannot read: {message}")]
    Read { path: PathBuf, message: String },
    #[error("{path}: no column named `{column}` in the header")]
    MissingColumn { path: PathBuf, column: &'static str },
    #[error("{path}: row {row}: Verdict `{value}` is not -1, 0 or 1")]
    BadVerdict { path: PathBuf, row: usize, value: String },
    #[error("{path}: holds no labelled rows")]
    Empty { path: PathBuf },
}

/// Read a CSV with columns `Text` and `Verdict` (other columns are ignored).
pub fn read_labelled(path: &Path) -> Result<Vec<Labelled>, DataError> {
    let read_err = |e: &dyn std::fmt::Display| DataError::Read { path: path.to_path_buf(), message: e.to_string() };
    let mut reader = csv::Reader::from_path(path).map_err(|e| read_err(&e))?;
    let headers = reader.headers().map_err(|e| read_err(&e))?.clone();
    let column = |name: &'static str| {
        headers
            .iter()
            .position(|h| h.trim() == name)
            .ok_or(DataError::MissingColumn { path: path.to_path_buf(), column: name })
    };
    let (text_col, verdict_col) = (column("Text")?, column("Verdict")?);
    let mut out = Vec::new();
    for (i, record) in reader.records().enumerate() {
        let record = record.map_err(|e| read_err(&e))?;
        let verdict = record.get(verdict_col).unwrap_or("").trim();
        let positive = match verdict {
            "1" | "1.0" => true,
            "0" | "-1" | "0.0" | "-1.0" => false,
            other => {
                return Err(DataError::BadVerdict { path: path.to_path_buf(), row: i + 2, value: other.to_owned() });
            }
        };
        out.push(Labelled { text: record.get(text_col).unwrap_or("").to_owned(), positive });
    }
    if out.is_empty() {
        return Err(DataError::Empty { path: path.to_path_buf() });
    }
    Ok(out)
}

/// Precision, recall, F1 at a threshold, and average precision over the ranking.
///
/// `precision`, `recall` and `f1` are those of the check-worthy class. `weighted_f1` is the mean of both classes'
/// F1 (check-worthy, and the rest) weighted by how many sentences each class has: the figure the ClaimBuster papers
/// report for their classifiers, so the one to compare with published baselines.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Metrics {
    pub threshold: f32,
    pub precision: f64,
    pub recall: f64,
    pub f1: f64,
    /// F1 of the other class (not check-worthy).
    pub f1_rest: f64,
    /// Support-weighted mean of `f1` and `f1_rest`.
    pub weighted_f1: f64,
    pub average_precision: f64,
    pub positives: usize,
    pub total: usize,
}

impl std::fmt::Display for Metrics {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "precision {:.3}  recall {:.3}  F1 {:.3}  weighted F1 {:.3}  average precision {:.3}  (threshold {:.2}; {} of {} \
             positive)",
            self.precision,
            self.recall,
            self.f1,
            self.weighted_f1,
            self.average_precision,
            self.threshold,
            self.positives,
            self.total
        )
    }
}

/// Metrics of `scores` against `labels` at `threshold` (a score at or above it is a positive prediction).
pub fn metrics(scores: &[f32], labels: &[bool], threshold: f32) -> Metrics {
    let (mut tp, mut fp, mut fn_, mut tn) = (0usize, 0usize, 0usize, 0usize);
    for (&s, &y) in scores.iter().zip(labels) {
        match (s >= threshold, y) {
            (true, true) => tp += 1,
            (true, false) => fp += 1,
            (false, true) => fn_ += 1,
            (false, false) => tn += 1,
        }
    }
    let ratio = |a: usize, b: usize| if b == 0 { 0.0 } else { a as f64 / b as f64 };
    let f1_of = |p: f64, r: f64| if p + r == 0.0 { 0.0 } else { 2.0 * p * r / (p + r) };
    let precision = ratio(tp, tp + fp);
    let recall = ratio(tp, tp + fn_);
    let f1 = f1_of(precision, recall);
    // The other class: its true positives are the true negatives.
    let f1_rest = f1_of(ratio(tn, tn + fn_), ratio(tn, tn + fp));
    let (positives, negatives) = (tp + fn_, tn + fp);
    let weighted_f1 = (positives as f64 * f1 + negatives as f64 * f1_rest) / (positives + negatives).max(1) as f64;
    Metrics {
        threshold,
        precision,
        recall,
        f1,
        f1_rest,
        weighted_f1,
        average_precision: average_precision(scores, labels),
        positives,
        total: positives + negatives,
    }
}

/// Average precision: the mean, over the positives, of the precision among all items scored at least as high as that
/// positive (ties are counted together, so the order of equal scores does not matter).
pub fn average_precision(scores: &[f32], labels: &[bool]) -> f64 {
    let mut order: Vec<usize> = (0..scores.len().min(labels.len())).collect();
    order.sort_by(|&a, &b| scores[b].total_cmp(&scores[a]));
    let positives = order.iter().filter(|&&i| labels[i]).count();
    if positives == 0 {
        return 0.0;
    }
    let (mut seen, mut hits, mut sum) = (0usize, 0usize, 0.0f64);
    let mut i = 0;
    while i < order.len() {
        // A group of equal scores.
        let mut j = i;
        let mut group_hits = 0;
        while j < order.len() && scores[order[j]] == scores[order[i]] {
            group_hits += usize::from(labels[order[j]]);
            j += 1;
        }
        seen += j - i;
        hits += group_hits;
        sum += group_hits as f64 * hits as f64 / seen as f64;
        i = j;
    }
    sum / positives as f64
}

/// Score every labelled sentence with `scorer` (no segmentation: each row is one sentence).
pub fn score_all(scorer: &dyn Scorer, data: &[Labelled]) -> Vec<f32> {
    data.iter().map(|d| scorer.score(&d.text).clamp(0.0, 1.0)).collect()
}

/// How the scorer is trained.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TrainConfig {
    /// `2^bits` hashed buckets.
    pub bits: u32,
    pub epochs: u32,
    /// AdaGrad's learning rate.
    pub learning_rate: f32,
    /// L2 penalty, applied to the weights an example touches.
    pub l2: f32,
    /// The weight of a positive example relative to a negative one.
    pub positive_weight: f32,
    /// The default threshold written into the model (fixed before training: it is not tuned on the test folds).
    pub threshold: f32,
    pub seed: u64,
}

impl Default for TrainConfig {
    fn default() -> Self {
        Self {
            bits: 18,
            epochs: 6,
            learning_rate: 0.3,
            l2: 1e-5,
            positive_weight: 1.0,
            threshold: 0.2,
            seed: 20_260_425,
        }
    }
}

/// A small deterministic generator (xorshift64*), so training gives the same weights on every machine.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn shuffle<T>(&mut self, v: &mut [T]) {
        for i in (1..v.len()).rev() {
            let j = (self.next() % (i as u64 + 1)) as usize;
            v.swap(i, j);
        }
    }
}

/// A sentence prepared for training: its buckets, the value of each (see [`LinearModel::hashed_value`]) and its
/// dense inputs.
struct Example {
    buckets: Vec<u32>,
    value: f32,
    dense: [f32; N_INPUTS],
    positive: bool,
}

impl Example {
    /// The model's probability that this sentence is check-worthy: exactly what [`LinearModel`] scores it.
    fn probability(&self, model: &LinearModel) -> f32 {
        let hashed: f32 = self.buckets.iter().map(|&b| model.hashed[b as usize]).sum();
        let z = model.margin_of(&self.dense, hashed * self.value);
        1.0 / (1.0 + (-z).exp())
    }
}

fn prepare(data: &[Labelled], bits: u32) -> Vec<Example> {
    data.iter()
        .map(|d| {
            let mut buckets = Vec::new();
            LinearModel::for_each_bucket(bits, &d.text, |i| buckets.push(i as u32));
            Example {
                value: LinearModel::hashed_value(buckets.len()),
                buckets,
                dense: RuleScorer::inputs(&features(&d.text)),
                positive: d.positive,
            }
        })
        .collect()
}

/// Fit the model on `data` with AdaGrad-scaled stochastic gradient descent on the logistic loss.
pub fn train(data: &[Labelled], config: &TrainConfig) -> LinearModel {
    let examples = prepare(data, config.bits);
    let order: Vec<usize> = (0..examples.len()).collect();
    fit(&examples, &order, config)
}

fn fit(examples: &[Example], subset: &[usize], config: &TrainConfig) -> LinearModel {
    let mut model = LinearModel::zeros(config.bits, config.threshold);
    let mut g_hashed = vec![1e-8f32; model.hashed.len()];
    let mut g_dense = [1e-8f32; N_INPUTS];
    let mut g_bias = 1e-8f32;
    let mut order = subset.to_vec();
    let mut rng = Rng(config.seed | 1);
    let lr = config.learning_rate;
    for _ in 0..config.epochs {
        rng.shuffle(&mut order);
        for &i in &order {
            let ex = &examples[i];
            let p = ex.probability(&model);
            let weight = if ex.positive { config.positive_weight } else { 1.0 };
            let g = (p - f32::from(u8::from(ex.positive))) * weight;
            g_bias += g * g;
            model.bias -= lr * g / g_bias.sqrt();
            for ((x, w), acc) in ex.dense.iter().zip(model.dense.iter_mut()).zip(g_dense.iter_mut()) {
                let gi = g * x + config.l2 * *w;
                *acc += gi * gi;
                *w -= lr * gi / acc.sqrt();
            }
            for &b in &ex.buckets {
                let (w, acc) = (&mut model.hashed[b as usize], &mut g_hashed[b as usize]);
                let gi = g * ex.value + config.l2 * *w;
                *acc += gi * gi;
                *w -= lr * gi / acc.sqrt();
            }
        }
    }
    // Round-trip through the shipped format so cross-validation measures exactly what would ship.
    LinearModel::from_bytes(&model.to_bytes()).unwrap_or(model)
}

/// The outcome of k-fold cross-validation: every sentence scored by the model that did not see it.
#[derive(Debug, Clone, PartialEq)]
pub struct CrossValidation {
    pub folds: usize,
    /// Pooled over the folds at the configured threshold.
    pub metrics: Metrics,
    /// Each fold's own metrics.
    pub per_fold: Vec<Metrics>,
    /// Every sentence's score from the fold that held it out, in the data's order.
    pub scores: Vec<f32>,
    /// Every sentence's label, in the data's order.
    pub labels: Vec<bool>,
}

impl CrossValidation {
    /// The pooled metrics at another threshold.
    pub fn at(&self, threshold: f32) -> Metrics {
        metrics(&self.scores, &self.labels, threshold)
    }
}

/// `folds`-fold cross-validation with a fixed, seeded split.
pub fn cross_validate(data: &[Labelled], config: &TrainConfig, folds: usize) -> CrossValidation {
    let folds = folds.max(2);
    let examples = prepare(data, config.bits);
    let mut order: Vec<usize> = (0..examples.len()).collect();
    Rng(config.seed.rotate_left(7) | 1).shuffle(&mut order);
    let mut scores = vec![0.0f32; examples.len()];
    let mut per_fold = Vec::with_capacity(folds);
    for k in 0..folds {
        let test: Vec<(usize, usize)> = order.iter().copied().enumerate().filter(|(pos, _)| pos % folds == k).collect();
        let train: Vec<usize> =
            order.iter().copied().enumerate().filter(|(pos, _)| pos % folds != k).map(|(_, i)| i).collect();
        let model = fit(&examples, &train, config);
        let mut fold_scores = Vec::with_capacity(test.len());
        let mut fold_labels = Vec::with_capacity(test.len());
        for (_, i) in test {
            let ex = &examples[i];
            let s = ex.probability(&model);
            scores[i] = s;
            fold_scores.push(s);
            fold_labels.push(ex.positive);
        }
        per_fold.push(metrics(&fold_scores, &fold_labels, config.threshold));
    }
    let labels: Vec<bool> = examples.iter().map(|e| e.positive).collect();
    CrossValidation { folds, metrics: metrics(&scores, &labels, config.threshold), per_fold, scores, labels }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn metrics_on_a_worked_example() {
        // Scores and labels: predicted positive at 0.5 are items 0, 1, 2 (tp, fp, tp); item 3 is a missed positive.
        let scores = [0.9, 0.8, 0.6, 0.4, 0.1];
        let labels = [true, false, true, true, false];
        let m = metrics(&scores, &labels, 0.5);
        assert!((m.precision - 2.0 / 3.0).abs() < 1e-9);
        assert!((m.recall - 2.0 / 3.0).abs() < 1e-9);
        assert!((m.f1 - 2.0 / 3.0).abs() < 1e-9);
        // The rest: item 4 is a true negative, item 1 a false positive, item 3 a false negative: precision 1/2,
        // recall 1/2, F1 1/2. Weighted by support (3 and 2): (3 * 2/3 + 2 * 1/2) / 5 = 0.6, as scikit-learn's
        // f1_score(average="weighted") gives on these labels.
        assert!((m.f1_rest - 0.5).abs() < 1e-9);
        assert!((m.weighted_f1 - 0.6).abs() < 1e-9);
        // AP: positives at ranks 1, 3, 4: (1/1 + 2/3 + 3/4) / 3.
        assert!((m.average_precision - (1.0 + 2.0 / 3.0 + 0.75) / 3.0).abs() < 1e-9);
    }

    fn synthetic() -> Vec<Labelled> {
        let mut out = Vec::new();
        for i in 0..200 {
            out.push(Labelled { text: format!("Sales rose {i}% in 2021, the ministry said."), positive: true });
            out.push(Labelled {
                text: format!("I think we should talk about it, friend number {i}."),
                positive: false,
            });
        }
        out
    }

    #[test]
    fn training_is_deterministic_and_learns() {
        let config = TrainConfig { bits: 12, epochs: 3, ..TrainConfig::default() };
        let a = train(&synthetic(), &config);
        let b = train(&synthetic(), &config);
        assert_eq!(a, b);
        assert!(a.score("Exports fell 9% in 2020, the agency said.") > 0.8);
        assert!(a.score("I think we should talk, friend.") < 0.2);
        let cv = cross_validate(&synthetic(), &config, 5);
        assert_eq!(cv.per_fold.len(), 5);
        assert!(cv.metrics.f1 > 0.95, "{}", cv.metrics);
    }

    #[test]
    fn ties_do_not_depend_on_order() {
        let a = average_precision(&[0.5, 0.5], &[true, false]);
        let b = average_precision(&[0.5, 0.5], &[false, true]);
        assert_eq!(a, b);
        assert!((a - 0.5).abs() < 1e-9);
    }

    #[test]
    fn csv_with_bad_verdict_names_the_row() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("d.csv");
        std::fs::write(&p, "Text,Verdict\n\"Sales rose 7%.\",1\nHello,maybe\n").unwrap();
        let err = read_labelled(&p).unwrap_err().to_string();
        assert!(err.contains("d.csv") && err.contains("row 3"), "{err}");
    }
}
