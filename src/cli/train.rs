//! `claimdesk train` and `claimdesk eval`: fit the scorer and measure it.

use std::path::Path;

use super::{Failure, ScorerChoice};
use crate::extract::Extractor;

pub(super) fn train(data: &Path, out: &Path, folds: usize, config: &crate::train::TrainConfig) -> Result<(), Failure> {
    use crate::train::{cross_validate, read_labelled};
    let rows = read_labelled(data)?;
    let config = *config;
    eprintln!("claimdesk: {} sentences; {folds}-fold cross-validation…", rows.len());
    let cv = cross_validate(&rows, &config, folds);
    for (k, m) in cv.per_fold.iter().enumerate() {
        println!("fold {}: {m}", k + 1);
    }
    println!("{folds}-fold cross-validated, pooled (every sentence scored by the model that did not see it):");
    print_metrics(&cv.metrics, "the default threshold, fixed before training");
    if (cv.metrics.threshold - 0.5).abs() > f32::EPSILON {
        print_metrics(&cv.at(0.5), "the classifier's own decision threshold");
    }
    println!("other thresholds (pooled, for choosing the default):");
    for t in [0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5] {
        let m = cv.at(t);
        println!(
            "  {t:.2}: precision {:.3}  recall {:.3}  F1 {:.3}  weighted F1 {:.3}",
            m.precision, m.recall, m.f1, m.weighted_f1
        );
    }
    let model = crate::train::train(&rows, &config);
    crate::atomic::write_atomic_with(out, &model.to_bytes(), crate::atomic::WriteOptions { keep_backup: false })?;
    use crate::extract::Scorer;
    println!("wrote {} ({} {})", out.display(), model.name(), model.version());
    Ok(())
}

pub(super) fn eval(data: &Path, threshold: Option<f32>, scorer: ScorerChoice) -> Result<(), Failure> {
    let rows = crate::train::read_labelled(data)?;
    let ex = match scorer {
        ScorerChoice::Model => Extractor::default(),
        ScorerChoice::Rules => Extractor::new(std::sync::Arc::new(crate::extract::RuleScorer)),
    };
    let ex = match threshold {
        Some(t) => ex.with_threshold(t),
        None => ex,
    };
    let scores = crate::train::score_all(ex.scorer(), &rows);
    let labels: Vec<bool> = rows.iter().map(|r| r.positive).collect();
    let m = crate::train::metrics(&scores, &labels, ex.threshold());
    println!("scorer: {} {}", ex.scorer().name(), ex.scorer().version());
    println!("data: {} ({} sentences, {} check-worthy)", data.display(), m.total, m.positives);
    print_metrics(&m, if threshold.is_some() { "as given" } else { "the scorer's default" });
    Ok(())
}

/// The figures `train` and `eval` print, one per line: F1 is the check-worthy class's; weighted F1 averages both
/// classes' F1 by their sizes, as the ClaimBuster papers report it.
fn print_metrics(m: &crate::train::Metrics, why: &str) {
    println!("threshold: {:.2} ({why})", m.threshold);
    println!("  precision: {:.3}", m.precision);
    println!("  recall: {:.3}", m.recall);
    println!("  F1 (check-worthy): {:.3}", m.f1);
    println!("  weighted F1 (both classes): {:.3}", m.weighted_f1);
    println!("  average precision: {:.3}", m.average_precision);
}
