//! `claimdesk train`, `claimdesk eval` and `claimdesk eval-transcripts`: fit the scorer and measure it.

use std::path::Path;

use super::{Failure, ScorerChoice};
use crate::extract::{Extractor, Scorer};
use crate::train::{TrainConfig, TrainingData};

/// What `train` and `eval-transcripts` learn from.
pub(super) struct DataArgs<'a> {
    /// ClaimBuster's labelled CSV.
    pub sentences: &'a Path,
    /// The CheckThat 2019 debates folder, if given.
    pub debates: Option<&'a Path>,
}

fn read(data: &DataArgs<'_>) -> Result<TrainingData, Failure> {
    let sentences = crate::train::read_labelled(data.sentences)?;
    let debates = match data.debates {
        Some(dir) => crate::train::read_debates(dir)?,
        None => Vec::new(),
    };
    let lines: usize = debates.iter().map(|d| d.lines.len()).sum();
    eprintln!("claimdesk: {} sentences; {} debates ({lines} lines)", sentences.len(), debates.len());
    Ok(TrainingData { sentences, debates })
}

pub(super) fn train(
    data: &DataArgs<'_>,
    out: &Path,
    folds: usize,
    hold_out: Option<&str>,
    config: &TrainConfig,
) -> Result<(), Failure> {
    let data = read(data)?;
    let held_out = match hold_out {
        None => None,
        Some(name) => Some(data.debates.iter().position(|d| d.name == name).ok_or_else(|| {
            let names: Vec<&str> = data.debates.iter().map(|d| d.name.as_str()).collect();
            Failure::input(format!("--hold-out {name}: no such debate (the debates are: {})", names.join(", ")))
        })?),
    };
    if folds > 0 {
        eprintln!("claimdesk: {folds}-fold cross-validation on ClaimBuster's sentences…");
        let cv = crate::train::cross_validate(&data, config, folds);
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
    }
    let model = match held_out {
        Some(k) => crate::train::train_holding_out(&data, config, k),
        None => crate::train::train(&data, config),
    };
    if !data.debates.is_empty() {
        let weights: Vec<String> =
            crate::extract::Context::NAMES.iter().zip(&model.context).map(|(n, w)| format!("{n} {w:+.2}")).collect();
        println!("transcript weights: {}", weights.join(", "));
    }
    crate::atomic::write_atomic_with(out, &model.to_bytes(), crate::atomic::WriteOptions { keep_backup: false })?;
    let without = hold_out.map(|n| format!(", without {n}")).unwrap_or_default();
    println!("wrote {} ({} {}{without})", out.display(), model.name(), model.version());
    Ok(())
}

pub(super) fn eval_transcripts(data: &DataArgs<'_>, config: &TrainConfig, nested: bool) -> Result<(), Failure> {
    let data = read(data)?;
    if data.debates.is_empty() {
        return Err(Failure::input("eval-transcripts needs the debates: --debates DIR"));
    }
    let mut progress = |name: &str| eprintln!("claimdesk: holding out {name}…");
    let eval = if nested {
        let grid = crate::train::selection_grid(config);
        let n = crate::train::nested(&data, &grid, 6, &mut progress);
        println!("nested: each debate ranked with the setting chosen by 6 grouped folds of the other debates");
        for (d, &s) in n.evaluation.debates.iter().zip(&n.chosen) {
            println!("  {}: transcript bits {}, L2 {}", d.name, grid[s].transcript_bits, grid[s].transcript_l2);
        }
        if let Some(s) = crate::train::choose_setting(&data, &grid, 6) {
            println!(
                "with every debate (the setting to ship): transcript bits {}, L2 {}",
                grid[s].transcript_bits, grid[s].transcript_l2
            );
        }
        n.evaluation
    } else {
        crate::train::leave_one_out(&data, config, &mut progress)
    };
    println!("{:<28}{:>6}{:>10}{:>8}{:>7}{:>7}{:>9}", "transcript", "lines", "positive", "AP", "P@5", "P@10", "random");
    for d in &eval.debates {
        println!(
            "{:<28}{:>6}{:>10}{:>8.3}{:>7.2}{:>7.2}{:>9.3}",
            d.name,
            d.lines,
            d.positives,
            d.average_precision,
            d.precision_at_5,
            d.precision_at_10,
            d.random_average_precision
        );
    }
    println!(
        "{:<28}{:>6}{:>10}{:>8.3}{:>7.2}{:>7.2}{:>9.3}",
        "mean (leave one out)",
        "",
        "",
        eval.map(),
        eval.precision_at_5(),
        eval.precision_at_10(),
        eval.random_map()
    );
    println!("MAP {:.3} (random ranking {:.3})", eval.map(), eval.random_map());
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
