//! Training and measuring scorers: reading the labelled data, fitting the logistic-regression scorer
//! ([`crate::extract::model::LinearModel`]) deterministically, cross-validation, and the measures (precision,
//! recall, F1, average precision, precision at k).
//!
//! Two data sets, cited wherever the weights derived from them ship:
//! - ClaimBuster's crowdsourced sentences (Arslan, Hassan, Li, Tremayne: "A Benchmark Dataset of Check-worthy
//!   Factual Claims", ICWSM 2020, doi:10.5281/zenodo.3609356): columns `Text` and `Verdict`, where Verdict 1 is a
//!   check-worthy factual sentence and 0 and -1 are the rest ([`read_labelled`]);
//! - the CheckThat! 2019 lab's debates and speeches (Atanasova et al., "Overview of the CLEF-2019 CheckThat! Lab,
//!   Task 1: Check-Worthiness"): whole transcripts, a line labelled 1 when a fact-checking organisation chose to
//!   check it ([`debates`]).
//!
//! A debate is trained on the way a transcript reaches the extractor: written as "SPEAKER: text" lines and run
//! through [`crate::extract::context::prepare`], so each sentence has its [`Context`] (speaker's role, turn,
//! position) and its line's label. Training has two stages. The first fits what scores a sentence alone (its words
//! and features) on ClaimBuster's sentences, exactly as before the debates were added, so an article scores as it
//! did. The second, with that fixed, fits what a transcript adds on the debates: the context weights and a smaller
//! table of word weights read only in transcripts. The two sets label different things (check-worthy, and actually
//! checked, ten times rarer), so the second stage gives the debates a bias of their own that the model leaves out:
//! scores in a transcript keep ClaimBuster's scale, which the default threshold is set on.

pub mod debates;

use std::path::{Path, PathBuf};

use crate::extract::Scorer;
use crate::extract::context::{Context, N_CONTEXT};
use crate::extract::features::features;
use crate::extract::model::{LinearModel, sigmoid};
use crate::extract::score::{N_INPUTS, RuleScorer};

pub use debates::{
    Debate, DebateLine, NestedEvaluation, TranscriptEvaluation, choose_setting, leave_one_out, nested, read_debates,
    selection_grid, train_holding_out,
};

/// One labelled sentence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Labelled {
    pub text: String,
    /// Check-worthy factual (Verdict 1).
    pub positive: bool,
    /// The transcript it comes from (ClaimBuster's `File_id`, such as `2016-09-26.txt`), when the file says.
    pub file_id: Option<String>,
}

/// Why labelled data could not be read. Names the file, and the row or line when it is about one.
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
    #[error("{path}: line {line}: {message}")]
    BadLine { path: PathBuf, line: usize, message: String },
    #[error("{path}: holds no debate files (*.tsv)")]
    NoDebates { path: PathBuf },
}

/// Read a CSV with columns `Text` and `Verdict` (and, if present, `File_id`; other columns are ignored).
pub fn read_labelled(path: &Path) -> Result<Vec<Labelled>, DataError> {
    let read_err = |e: &dyn std::fmt::Display| DataError::Read { path: path.to_path_buf(), message: e.to_string() };
    let mut reader = csv::Reader::from_path(path).map_err(|e| read_err(&e))?;
    let headers = reader.headers().map_err(|e| read_err(&e))?.clone();
    let find = |name: &str| headers.iter().position(|h| h.trim() == name);
    let column =
        |name: &'static str| find(name).ok_or(DataError::MissingColumn { path: path.to_path_buf(), column: name });
    let (text_col, verdict_col) = (column("Text")?, column("Verdict")?);
    let file_col = find("File_id");
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
        let file_id = file_col.and_then(|c| record.get(c)).map(str::trim).filter(|f| !f.is_empty()).map(str::to_owned);
        out.push(Labelled { text: record.get(text_col).unwrap_or("").to_owned(), positive, file_id });
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

/// Precision among the `k` highest scored items (ties broken by position, as a reviewer reading down a list sorted
/// by score, earliest first, would meet them).
pub fn precision_at(scores: &[f32], labels: &[bool], k: usize) -> f64 {
    let mut order: Vec<usize> = (0..scores.len().min(labels.len())).collect();
    order.sort_by(|&a, &b| scores[b].total_cmp(&scores[a]).then(a.cmp(&b)));
    let k = k.min(order.len());
    if k == 0 {
        return 0.0;
    }
    order[..k].iter().filter(|&&i| labels[i]).count() as f64 / k as f64
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
    /// Epochs over the debates (the second stage: context weights and the transcript table; 0: no second stage).
    pub transcript_epochs: u32,
    /// `2^transcript_bits` words in the transcript table (0: none, only the context weights).
    pub transcript_bits: u32,
    /// L2 penalty of the second stage.
    pub transcript_l2: f32,
    /// AdaGrad's learning rate in the second stage.
    pub transcript_learning_rate: f32,
    /// The weight of a sentence of a checked debate line, relative to one of an unchecked line: checked lines are
    /// rare (2.7%).
    pub debate_positive_weight: f32,
    /// Learn the context weights (switched off only to measure what they add).
    pub context: bool,
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
            transcript_epochs: 4,
            transcript_bits: 16,
            transcript_l2: 3e-3,
            transcript_learning_rate: 0.3,
            debate_positive_weight: 1.0,
            context: true,
            threshold: 0.2,
            seed: 20_260_425,
        }
    }
}

/// Everything the scorer learns from: ClaimBuster's sentences and, optionally, the debates.
#[derive(Debug, Clone, Default)]
pub struct TrainingData {
    pub sentences: Vec<Labelled>,
    pub debates: Vec<Debate>,
}

/// A small deterministic generator (xorshift64*), so training gives the same weights on every machine.
pub(crate) struct Rng(pub(crate) u64);

impl Rng {
    pub(crate) fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    pub(crate) fn shuffle<T>(&mut self, v: &mut [T]) {
        for i in (1..v.len()).rev() {
            let j = (self.next() % (i as u64 + 1)) as usize;
            v.swap(i, j);
        }
    }
}

/// Where an example comes from: which examples a fold leaves out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Group {
    /// A ClaimBuster sentence; `copy_of` is the debate (index into [`TrainingData::debates`]) whose transcript it was
    /// taken from, when that debate is in the debates too.
    Sentence { copy_of: Option<usize> },
    /// A sentence of a debate (index into [`TrainingData::debates`]).
    Debate(usize),
}

/// A sentence prepared for training: its buckets, the value of each (see [`LinearModel::hashed_value`]), its dense
/// inputs and context.
pub(crate) struct Example {
    buckets: Vec<u32>,
    value: f32,
    dense: [f32; N_INPUTS],
    context: Context,
    positive: bool,
    pub(crate) group: Group,
    /// A debate sentence's line (0 for ClaimBuster's).
    pub(crate) line: usize,
}

impl Example {
    fn new(
        bits: u32,
        text: &str,
        f: &crate::extract::Features,
        context: Context,
        positive: bool,
        group: Group,
    ) -> Self {
        let mut buckets = Vec::new();
        LinearModel::for_each_bucket(bits, text, |i| buckets.push(i as u32));
        Example {
            value: LinearModel::hashed_value(buckets.len()),
            buckets,
            dense: RuleScorer::inputs(f),
            context,
            positive,
            group,
            line: 0,
        }
    }

    fn is_debate(&self) -> bool {
        matches!(self.group, Group::Debate(_))
    }

    /// The model's margin for this sentence alone (no transcript): exactly what [`LinearModel`] computes for it.
    fn margin(&self, model: &LinearModel) -> f32 {
        let hashed: f32 = self.buckets.iter().map(|&b| model.hashed[b as usize]).sum();
        model.margin_of(&self.dense, hashed * self.value)
    }

    /// The model's probability that this sentence, alone, is check-worthy: exactly what [`LinearModel`] scores it.
    fn probability(&self, model: &LinearModel) -> f32 {
        1.0 / (1.0 + (-self.margin(model)).exp())
    }

    /// The model's margin for this sentence in its context (in a transcript: the context and the transcript table
    /// too): exactly what [`LinearModel::margin`] computes.
    fn margin_in_context(&self, model: &LinearModel) -> f32 {
        let words = if self.context.transcript && !model.transcript.is_empty() {
            self.buckets.iter().map(|&b| model.transcript[model.transcript_index(b as usize)]).sum::<f32>()
        } else {
            0.0
        };
        self.margin(model) + model.transcript_margin(&self.context, words * self.value)
    }
}

/// Every example of `data`: ClaimBuster's sentences first, then each debate's sentences in order.
pub(crate) fn examples(data: &TrainingData, bits: u32) -> Vec<Example> {
    let copy_of = |s: &Labelled| {
        let file = s.file_id.as_deref()?;
        data.debates.iter().position(|d| d.date().is_some_and(|date| file.starts_with(date.as_str())))
    };
    let mut out: Vec<Example> = data
        .sentences
        .iter()
        .map(|s| {
            let group = Group::Sentence { copy_of: copy_of(s) };
            Example::new(bits, &s.text, &features(&s.text), Context::NONE, s.positive, group)
        })
        .collect();
    for (k, debate) in data.debates.iter().enumerate() {
        let rendered = debate.render();
        for (p, line) in rendered.sentences() {
            let text = &rendered.text[p.span.range()];
            let mut ex =
                Example::new(bits, text, &p.features, p.context, debate.lines[line].positive, Group::Debate(k));
            ex.line = line;
            out.push(ex);
        }
    }
    out
}

/// Fit the model on `data`: first on ClaimBuster's sentences alone (a sentence's own words and features), then,
/// with that part fixed, the context weights and the transcript table on the debates.
pub fn train(data: &TrainingData, config: &TrainConfig) -> LinearModel {
    let examples = examples(data, config.bits);
    let (sentences, debates): (Vec<usize>, Vec<usize>) = (0..examples.len()).partition(|&i| !examples[i].is_debate());
    let model = fit(&examples, &sentences, config);
    fit_transcripts(model, &examples, &debates, config)
}

/// The first stage: fit a sentence's own weights (bias, dense, hashed) on the examples `subset` of `examples`
/// (ClaimBuster's sentences) with AdaGrad-scaled stochastic gradient descent on the logistic loss.
pub(crate) fn fit(examples: &[Example], subset: &[usize], config: &TrainConfig) -> LinearModel {
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

/// The second stage: with `model`'s own weights fixed, fit the context weights and the transcript table on the
/// examples `subset` of `examples` (debate sentences). The debates label what fact-checkers actually checked, ten
/// times rarer than ClaimBuster's check-worthy: a bias of their own absorbs that, and is left out of the model, so
/// scores in a transcript stay on the scale the default threshold was set on.
pub(crate) fn fit_transcripts(
    model: LinearModel,
    examples: &[Example],
    subset: &[usize],
    config: &TrainConfig,
) -> LinearModel {
    if subset.is_empty() || config.transcript_epochs == 0 {
        return model;
    }
    let mut model = model.with_transcript_table(config.transcript_bits);
    // Each sentence's margin from the fixed first stage.
    let base: Vec<f32> = examples.iter().map(|e| e.margin(&model)).collect();
    let mut g_words = vec![1e-8f32; model.transcript.len()];
    let mut g_context = [1e-8f32; N_CONTEXT];
    let (mut debate_bias, mut g_bias) = (0.0f32, 1e-8f32);
    let mut order = subset.to_vec();
    let mut rng = Rng(config.seed.rotate_left(13) | 1);
    let (lr, l2) = (config.transcript_learning_rate, config.transcript_l2);
    for _ in 0..config.transcript_epochs {
        rng.shuffle(&mut order);
        for &i in &order {
            let ex = &examples[i];
            let words = if model.transcript.is_empty() {
                0.0
            } else {
                ex.buckets.iter().map(|&b| model.transcript[model.transcript_index(b as usize)]).sum::<f32>()
            };
            let z = base[i] + debate_bias + model.transcript_margin(&ex.context, words * ex.value);
            let p = 1.0 / (1.0 + (-z).exp());
            let weight = if ex.positive { config.debate_positive_weight } else { 1.0 };
            let g = (p - f32::from(u8::from(ex.positive))) * weight;
            g_bias += g * g;
            debate_bias -= lr * g / g_bias.sqrt();
            if config.context {
                for ((x, w), acc) in ex.context.inputs.iter().zip(model.context.iter_mut()).zip(g_context.iter_mut()) {
                    let gi = g * x + l2 * *w;
                    *acc += gi * gi;
                    *w -= lr * gi / acc.sqrt();
                }
            }
            if !model.transcript.is_empty() {
                for &b in &ex.buckets {
                    let k = model.transcript_index(b as usize);
                    let (w, acc) = (&mut model.transcript[k], &mut g_words[k]);
                    let gi = g * ex.value + l2 * *w;
                    *acc += gi * gi;
                    *w -= lr * gi / acc.sqrt();
                }
            }
        }
    }
    LinearModel::from_bytes(&model.to_bytes()).unwrap_or(model)
}

/// The scores `model` gives the examples `subset` in their context: what [`LinearModel`] gives the same sentences
/// through the extractor.
pub(crate) fn score_in_context(model: &LinearModel, examples: &[Example], subset: std::ops::Range<usize>) -> Vec<f32> {
    examples[subset].iter().map(|e| sigmoid(e.margin_in_context(model))).collect()
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

/// `folds`-fold cross-validation over ClaimBuster's sentences with a fixed, seeded split: what scores a sentence
/// alone (the first stage; the debates train only what a transcript adds).
pub fn cross_validate(data: &TrainingData, config: &TrainConfig, folds: usize) -> CrossValidation {
    let folds = folds.max(2);
    let sentences = TrainingData { sentences: data.sentences.clone(), debates: Vec::new() };
    let examples = examples(&sentences, config.bits);
    let mut order: Vec<usize> = (0..examples.len()).collect();
    Rng(config.seed.rotate_left(7) | 1).shuffle(&mut order);
    let mut scores = vec![0.0f32; examples.len()];
    let mut per_fold = Vec::with_capacity(folds);
    for k in 0..folds {
        let test: Vec<usize> = order.iter().enumerate().filter(|(pos, _)| pos % folds == k).map(|(_, &i)| i).collect();
        let train: Vec<usize> = order.iter().enumerate().filter(|(pos, _)| pos % folds != k).map(|(_, &i)| i).collect();
        let model = fit(&examples, &train, config);
        let mut fold_scores = Vec::with_capacity(test.len());
        let mut fold_labels = Vec::with_capacity(test.len());
        for i in test {
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

    fn synthetic() -> TrainingData {
        let mut sentences = Vec::new();
        for i in 0..200 {
            let text = format!("Sales rose {i}% in 2021, the ministry said.");
            sentences.push(Labelled { text, positive: true, file_id: None });
            let text = format!("I think we should talk about it, friend number {i}.");
            sentences.push(Labelled { text, positive: false, file_id: None });
        }
        TrainingData { sentences, debates: Vec::new() }
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
    fn debates_are_trained_on_with_their_context_and_their_copies_held_out() {
        let line =
            |speaker: &str, text: &str, positive| DebateLine { speaker: speaker.into(), text: text.into(), positive };
        let mut data = synthetic();
        data.sentences[0].file_id = Some("2016-09-26.txt".into());
        let mut lines = Vec::new();
        for i in 0..40 {
            lines.push(line("HOLT", "What is your plan? Tell us about it.", false));
            lines.push(line("CLINTON", &format!("We lost {i} million jobs in 2008."), true));
            lines.push(line("CLINTON", "I think we can do better than that.", false));
        }
        data.debates.push(Debate { name: "20160926_test".into(), lines });
        let config = TrainConfig { bits: 12, epochs: 3, ..TrainConfig::default() };
        let ex = examples(&data, config.bits);
        assert_eq!(ex.len(), 400 + 40 * 4, "every sentence of every line, the question line's two");
        assert_eq!(ex[0].group, Group::Sentence { copy_of: Some(0) }, "ClaimBuster's copy of the debate");
        assert_eq!(ex[1].group, Group::Sentence { copy_of: None });
        assert!(ex[400..].iter().any(|e| e.context.inputs[0] == 1.0), "the questioner is a moderator");
        assert_eq!(debates::without(&ex, 0).len(), 399, "holding the debate out holds out its copies too");
        let model = train(&data, &config);
        assert_ne!(model.context, [0.0; N_CONTEXT], "context weights are learnt");
        let scores = debates::score_lines(&data.debates[0], model);
        let eval = debates::debate_score(&data.debates[0], &scores);
        assert!(eval.average_precision > 0.9, "{eval:?}");
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
