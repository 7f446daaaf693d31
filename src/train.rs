//! Measuring scorers on labelled sentences: reading a labelled CSV and computing precision, recall, F1 and average
//! precision.
//!
//! The labelled data is the ClaimBuster crowdsourced set (Arslan, Hassan, Li, Tremayne: "A Benchmark Dataset of
//! Check-worthy Factual Claims", ICWSM 2020, doi:10.5281/zenodo.3609356): columns `Text` and `Verdict`, where
//! Verdict 1 is a check-worthy factual sentence and 0 and -1 are the rest.

use std::path::{Path, PathBuf};

use crate::extract::Scorer;

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
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Metrics {
    pub threshold: f32,
    pub precision: f64,
    pub recall: f64,
    pub f1: f64,
    pub average_precision: f64,
    pub positives: usize,
    pub total: usize,
}

impl std::fmt::Display for Metrics {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "precision {:.3}  recall {:.3}  F1 {:.3}  average precision {:.3}  (threshold {:.2}; {} of {} positive)",
            self.precision, self.recall, self.f1, self.average_precision, self.threshold, self.positives, self.total
        )
    }
}

/// Metrics of `scores` against `labels` at `threshold` (a score at or above it is a positive prediction).
pub fn metrics(scores: &[f32], labels: &[bool], threshold: f32) -> Metrics {
    let (mut tp, mut fp, mut fn_) = (0usize, 0usize, 0usize);
    for (&s, &y) in scores.iter().zip(labels) {
        match (s >= threshold, y) {
            (true, true) => tp += 1,
            (true, false) => fp += 1,
            (false, true) => fn_ += 1,
            (false, false) => {}
        }
    }
    let ratio = |a: usize, b: usize| if b == 0 { 0.0 } else { a as f64 / b as f64 };
    let precision = ratio(tp, tp + fp);
    let recall = ratio(tp, tp + fn_);
    let f1 = if precision + recall == 0.0 { 0.0 } else { 2.0 * precision * recall / (precision + recall) };
    Metrics {
        threshold,
        precision,
        recall,
        f1,
        average_precision: average_precision(scores, labels),
        positives: labels.iter().filter(|&&y| y).count(),
        total: labels.len(),
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
        // AP: positives at ranks 1, 3, 4: (1/1 + 2/3 + 3/4) / 3.
        assert!((m.average_precision - (1.0 + 2.0 / 3.0 + 0.75) / 3.0).abs() < 1e-9);
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
