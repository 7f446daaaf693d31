//! The CheckThat! 2019 debates and speeches: reading them, writing each as the transcript a reviewer would open, and
//! measuring a scorer on whole held-out transcripts the way one reaches a reviewer.
//!
//! The data (Atanasova et al., "Overview of the CLEF-2019 CheckThat! Lab, Task 1: Check-Worthiness"; "free for general
//! research use") is a folder of tab-separated files, one per transcript, no header: line number, speaker, text,
//! label (1 when a fact-checking organisation chose to check the line). [`Debate::render`] writes a transcript as
//! "SPEAKER: text" lines; the extractor reads it as any transcript (speaker labels, turns, roles), and a line is
//! scored by its best sentence. [`leave_one_out`] holds out each transcript in turn (and, for the three 2016 debates
//! ClaimBuster also holds, ClaimBuster's copies of its sentences), trains on the rest, and ranks the held-out
//! transcript's lines: average precision per transcript and its mean (MAP, the lab's measure), precision at 5 and 10,
//! and a random ranking's expected average precision beside them.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::{
    DataError, Group, Rng, TrainConfig, TrainingData, average_precision, examples, fit, fit_transcripts, precision_at,
};
use crate::extract::context::{self, Prepared};
use crate::extract::model::LinearModel;
use crate::extract::{Extractor, Sentence};

/// One line of a debate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DebateLine {
    /// The speaker as the data names them ("TRUMP", "HOLT", "SYSTEM").
    pub speaker: String,
    pub text: String,
    /// A fact-checking organisation checked it.
    pub positive: bool,
}

/// One transcript of the debates.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Debate {
    /// The file's name without `.tsv` (`20160926_1pres`).
    pub name: String,
    pub lines: Vec<DebateLine>,
}

/// A debate written as a transcript.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rendered {
    pub text: String,
    /// Where each line starts in `text`.
    pub line_starts: Vec<usize>,
}

impl Debate {
    /// The debate's date, `YYYY-MM-DD`, from its name (`20160926_1pres`), when the name starts with a valid one.
    pub fn date(&self) -> Option<String> {
        let digits = self.name.get(..8).filter(|d| d.bytes().all(|b| b.is_ascii_digit()))?;
        let (year, month, day) = (&digits[..4], &digits[4..6], &digits[6..]);
        let valid = (1..=12).contains(&month.parse::<u32>().ok()?) && (1..=31).contains(&day.parse::<u32>().ok()?);
        valid.then(|| format!("{year}-{month}-{day}"))
    }

    /// The debate as a plain-text transcript: one "SPEAKER: text" line per line of the data.
    pub fn render(&self) -> Rendered {
        let mut text = String::with_capacity(self.lines.iter().map(|l| l.speaker.len() + l.text.len() + 3).sum());
        let mut line_starts = Vec::with_capacity(self.lines.len());
        for line in &self.lines {
            line_starts.push(text.len());
            text.push_str(&line.speaker);
            text.push_str(": ");
            text.push_str(&line.text);
            text.push('\n');
        }
        Rendered { text, line_starts }
    }

    pub fn labels(&self) -> Vec<bool> {
        self.lines.iter().map(|l| l.positive).collect()
    }
}

impl Rendered {
    /// The line holding byte `offset`.
    pub fn line_of(&self, offset: usize) -> usize {
        self.line_starts.partition_point(|&s| s <= offset).saturating_sub(1)
    }

    /// The sentences of the transcript as the extractor prepares them, boilerplate left out, each with its line.
    pub fn sentences(&self) -> Vec<(Prepared, usize)> {
        context::prepare_text(&self.text)
            .into_iter()
            .filter(|p| !p.boilerplate)
            .map(|p| {
                let line = self.line_of(p.span.start);
                (p, line)
            })
            .collect()
    }

    /// Each line's score: its best sentence's (0 for a line without one, such as a stage direction).
    pub fn line_scores(&self, sentences: &[Sentence]) -> Vec<f32> {
        let mut scores = vec![0.0f32; self.line_starts.len()];
        for s in sentences {
            let line = self.line_of(s.span.start);
            scores[line] = scores[line].max(s.score);
        }
        scores
    }
}

/// Read every `*.tsv` file of `dir` (in name order) as a debate.
pub fn read_debates(dir: &Path) -> Result<Vec<Debate>, DataError> {
    let read_err =
        |path: &Path, e: &dyn std::fmt::Display| DataError::Read { path: path.to_path_buf(), message: e.to_string() };
    let entries = std::fs::read_dir(dir).map_err(|e| read_err(dir, &e))?;
    let mut files: Vec<PathBuf> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "tsv"))
        .collect();
    files.sort();
    if files.is_empty() {
        return Err(DataError::NoDebates { path: dir.to_path_buf() });
    }
    files.iter().map(|path| read_debate(path)).collect()
}

/// Read one debate file: `line_number<TAB>speaker<TAB>text<TAB>label` per line.
fn read_debate(path: &Path) -> Result<Debate, DataError> {
    let bytes =
        std::fs::read(path).map_err(|e| DataError::Read { path: path.to_path_buf(), message: e.to_string() })?;
    let text = String::from_utf8(bytes).map_err(|e| DataError::Read {
        path: path.to_path_buf(),
        message: format!("not UTF-8 text (invalid byte at offset {})", e.utf8_error().valid_up_to()),
    })?;
    let bad = |line: usize, message: String| DataError::BadLine { path: path.to_path_buf(), line, message };
    let mut lines = Vec::new();
    for (i, row) in text.lines().enumerate() {
        if row.trim().is_empty() {
            continue;
        }
        let fields: Vec<&str> = row.split('\t').collect();
        let [_, speaker, words, label] = fields[..] else {
            return Err(bad(i + 1, format!("has {} tab-separated fields; expected 4", fields.len())));
        };
        let positive = match label.trim() {
            "1" => true,
            "0" => false,
            other => return Err(bad(i + 1, format!("label `{other}` is not 0 or 1"))),
        };
        // A line break inside a field would make two lines of the transcript out of one.
        let clean = |s: &str| s.replace(['\r', '\n'], " ").trim().to_owned();
        lines.push(DebateLine { speaker: clean(speaker), text: clean(words), positive });
    }
    if lines.is_empty() {
        return Err(DataError::Empty { path: path.to_path_buf() });
    }
    let name = path.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
    Ok(Debate { name, lines })
}

/// One held-out transcript's figures.
#[derive(Debug, Clone, PartialEq)]
pub struct DebateScore {
    pub name: String,
    pub lines: usize,
    pub positives: usize,
    pub average_precision: f64,
    pub precision_at_5: f64,
    pub precision_at_10: f64,
    /// A random ranking's expected average precision (the mean over 1,000 seeded shuffles).
    pub random_average_precision: f64,
}

/// Leave-one-transcript-out figures.
#[derive(Debug, Clone, PartialEq)]
pub struct TranscriptEvaluation {
    pub debates: Vec<DebateScore>,
}

impl TranscriptEvaluation {
    fn mean(&self, f: impl Fn(&DebateScore) -> f64) -> f64 {
        self.debates.iter().map(f).sum::<f64>() / self.debates.len().max(1) as f64
    }

    /// Mean average precision over the transcripts.
    pub fn map(&self) -> f64 {
        self.mean(|d| d.average_precision)
    }

    pub fn precision_at_5(&self) -> f64 {
        self.mean(|d| d.precision_at_5)
    }

    pub fn precision_at_10(&self) -> f64 {
        self.mean(|d| d.precision_at_10)
    }

    /// A random ranking's MAP.
    pub fn random_map(&self) -> f64 {
        self.mean(|d| d.random_average_precision)
    }
}

/// A random ranking's expected average precision of `labels`: the mean over 1,000 seeded shuffles.
pub fn random_average_precision(labels: &[bool]) -> f64 {
    const ROUNDS: usize = 1000;
    let mut rng = Rng(0x5eed_1234_abcd_0001);
    let mut order: Vec<usize> = (0..labels.len()).collect();
    let positives = labels.iter().filter(|&&l| l).count();
    if positives == 0 {
        return 0.0;
    }
    let mut total = 0.0;
    for _ in 0..ROUNDS {
        rng.shuffle(&mut order);
        let (mut hits, mut sum) = (0usize, 0.0f64);
        for (rank, &i) in order.iter().enumerate() {
            if labels[i] {
                hits += 1;
                sum += hits as f64 / (rank + 1) as f64;
            }
        }
        total += sum / positives as f64;
    }
    total / ROUNDS as f64
}

/// Train on everything but debate `held_out` and ClaimBuster's copies of its sentences.
pub fn train_holding_out(data: &TrainingData, config: &TrainConfig, held_out: usize) -> LinearModel {
    let examples = examples(data, config.bits);
    let (sentences, debates) = split(&examples, &without(&examples, held_out));
    fit_transcripts(fit(&examples, &sentences, config), &examples, &debates, config)
}

/// `subset` split into ClaimBuster's sentences (the first stage's) and debate sentences (the second's).
fn split(examples: &[super::Example], subset: &[usize]) -> (Vec<usize>, Vec<usize>) {
    subset.iter().partition(|&&i| !examples[i].is_debate())
}

/// The indices of `examples` that a fold holding out debate `k` trains on.
pub(crate) fn without(examples: &[super::Example], k: usize) -> Vec<usize> {
    (0..examples.len())
        .filter(|&i| !matches!(examples[i].group, Group::Debate(d) | Group::Sentence { copy_of: Some(d) } if d == k))
        .collect()
}

/// Score the lines of `debate` with `model`, through the extractor on the debate's transcript.
pub fn score_lines(debate: &Debate, model: LinearModel) -> Vec<f32> {
    let rendered = debate.render();
    let sentences = Extractor::new(Arc::new(model)).sentences(&rendered.text);
    rendered.line_scores(&sentences)
}

/// Leave-one-transcript-out: each debate ranked by a model trained without it (see the module documentation).
/// `progress` hears each debate's name as it starts.
pub fn leave_one_out(
    data: &TrainingData,
    config: &TrainConfig,
    progress: &mut dyn FnMut(&str),
) -> TranscriptEvaluation {
    let examples = examples(data, config.bits);
    // The first stage, on every ClaimBuster sentence, serves each fold whose debate ClaimBuster does not hold.
    let all_sentences: Vec<usize> = (0..examples.len()).filter(|&i| !examples[i].is_debate()).collect();
    let first = fit(&examples, &all_sentences, config);
    let mut debates = Vec::with_capacity(data.debates.len());
    for (k, debate) in data.debates.iter().enumerate() {
        progress(&debate.name);
        let (sentences, debate_sentences) = split(&examples, &without(&examples, k));
        let base =
            if sentences.len() == all_sentences.len() { first.clone() } else { fit(&examples, &sentences, config) };
        let model = fit_transcripts(base, &examples, &debate_sentences, config);
        let scores = score_lines(debate, model);
        debates.push(debate_score(debate, &scores));
    }
    TranscriptEvaluation { debates }
}

/// The result of [`nested`]: the held-out figures, and which setting of the grid each held-out debate was ranked
/// with.
#[derive(Debug, Clone, PartialEq)]
pub struct NestedEvaluation {
    pub evaluation: TranscriptEvaluation,
    /// For each debate, the index into the grid of the setting chosen without it.
    pub chosen: Vec<usize>,
}

/// The second-stage settings nested selection chooses among: each of `config`'s with the transcript table's L2
/// penalty and size varied (a small grid, named before any of it was measured on held-out data).
pub fn selection_grid(config: &TrainConfig) -> Vec<TrainConfig> {
    let mut grid = Vec::new();
    for transcript_bits in [0, 16] {
        for transcript_l2 in [1e-4, 1e-3, 3e-3, 1e-2] {
            grid.push(TrainConfig { transcript_bits, transcript_l2, ..*config });
        }
    }
    grid
}

/// Nested leave-one-transcript-out: for each debate, the setting of `grid` with the best MAP over `inner_folds`
/// grouped folds of the other debates (whole debates per fold, ClaimBuster's copies held out with them) is chosen,
/// trained on all the other debates, and ranks the held-out debate through the extractor. The figure then owes
/// nothing to the held-out debate, the choice of setting included. Every setting of `grid` must share the first
/// stage's settings (those of `grid[0]`).
pub fn nested(
    data: &TrainingData,
    grid: &[TrainConfig],
    inner_folds: usize,
    progress: &mut dyn FnMut(&str),
) -> NestedEvaluation {
    let Some(first_config) = grid.first() else {
        return NestedEvaluation { evaluation: TranscriptEvaluation { debates: Vec::new() }, chosen: Vec::new() };
    };
    let mut folds = Folds::new(data, first_config);
    let n = data.debates.len();
    let mut debates = Vec::with_capacity(n);
    let mut chosen = Vec::with_capacity(n);
    for (k, debate) in data.debates.iter().enumerate() {
        progress(&debate.name);
        let others: Vec<usize> = (0..n).filter(|&j| j != k).collect();
        let best = folds.choose(data, grid, &others, &[k], inner_folds);
        chosen.push(best);
        let model = folds.train_excluding(&[k], &grid[best]);
        debates.push(debate_score(debate, &score_lines(debate, model)));
    }
    NestedEvaluation { evaluation: TranscriptEvaluation { debates }, chosen }
}

/// The setting of `grid` that [`nested`] selection chooses with every debate available: the one to ship.
pub fn choose_setting(data: &TrainingData, grid: &[TrainConfig], inner_folds: usize) -> Option<usize> {
    let first_config = grid.first()?;
    let all: Vec<usize> = (0..data.debates.len()).collect();
    Some(Folds::new(data, first_config).choose(data, grid, &all, &[], inner_folds))
}

/// Training with whole debates held out, the first stage cached by which of ClaimBuster's copies it leaves out.
struct Folds {
    examples: Vec<super::Example>,
    first_config: TrainConfig,
    /// Whether ClaimBuster holds copies of each debate's sentences.
    copied: Vec<bool>,
    /// Each debate's examples, as a range.
    ranges: Vec<std::ops::Range<usize>>,
    firsts: std::collections::HashMap<Vec<usize>, LinearModel>,
}

impl Folds {
    fn new(data: &TrainingData, first_config: &TrainConfig) -> Self {
        let examples = examples(data, first_config.bits);
        let n = data.debates.len();
        let copied = (0..n).map(|k| examples.iter().any(|e| e.group == Group::Sentence { copy_of: Some(k) })).collect();
        let ranges = (0..n)
            .map(|k| {
                let start = examples.iter().position(|e| e.group == Group::Debate(k)).unwrap_or(examples.len());
                let end = start + examples[start..].iter().take_while(|e| e.group == Group::Debate(k)).count();
                start..end
            })
            .collect();
        Self { examples, first_config: *first_config, copied, ranges, firsts: Default::default() }
    }

    /// A model trained without the debates `excluded` (and ClaimBuster's copies of them).
    fn train_excluding(&mut self, excluded: &[usize], config: &TrainConfig) -> LinearModel {
        let mut key: Vec<usize> = excluded.iter().copied().filter(|&k| self.copied[k]).collect();
        key.sort_unstable();
        let examples = &self.examples;
        let first_config = self.first_config;
        let first = self
            .firsts
            .entry(key)
            .or_insert_with_key(|key| {
                let sentences: Vec<usize> = (0..examples.len())
                    .filter(|&i| match examples[i].group {
                        Group::Debate(_) => false,
                        Group::Sentence { copy_of } => copy_of.is_none_or(|d| !key.contains(&d)),
                    })
                    .collect();
                fit(examples, &sentences, &first_config)
            })
            .clone();
        let debate_sentences: Vec<usize> = (0..examples.len())
            .filter(|&i| matches!(examples[i].group, Group::Debate(d) if !excluded.contains(&d)))
            .collect();
        fit_transcripts(first, examples, &debate_sentences, config)
    }

    /// The setting of `grid` with the best MAP over `inner_folds` grouped folds of the debates `pool` (each fold's
    /// model trained without its debates and `excluded`); ties go to the earlier setting.
    fn choose(
        &mut self,
        data: &TrainingData,
        grid: &[TrainConfig],
        pool: &[usize],
        excluded: &[usize],
        inner_folds: usize,
    ) -> usize {
        let folds = inner_folds.max(2);
        let groups: Vec<Vec<usize>> = (0..folds)
            .map(|g| pool.iter().copied().enumerate().filter(|(p, _)| p % folds == g).map(|(_, j)| j).collect())
            .filter(|g: &Vec<usize>| !g.is_empty())
            .collect();
        let mut best = (f64::NEG_INFINITY, 0usize);
        for (s, config) in grid.iter().enumerate() {
            let mut aps = Vec::with_capacity(pool.len());
            for group in &groups {
                let held: Vec<usize> = group.iter().chain(excluded).copied().collect();
                let model = self.train_excluding(&held, config);
                for &j in group {
                    let scores = self.line_scores(&model, j, data.debates[j].lines.len());
                    aps.push(average_precision(&scores, &data.debates[j].labels()));
                }
            }
            let map = aps.iter().sum::<f64>() / aps.len().max(1) as f64;
            if map > best.0 {
                best = (map, s);
            }
        }
        best.1
    }

    /// Debate `k`'s line scores by `model`, from its prepared sentences.
    fn line_scores(&self, model: &LinearModel, k: usize, lines: usize) -> Vec<f32> {
        let range = self.ranges[k].clone();
        let mut scores = vec![0.0f32; lines];
        for (e, s) in self.examples[range.clone()].iter().zip(super::score_in_context(model, &self.examples, range)) {
            scores[e.line] = scores[e.line].max(s);
        }
        scores
    }
}

/// The figures of one debate's line scores.
pub fn debate_score(debate: &Debate, scores: &[f32]) -> DebateScore {
    let labels = debate.labels();
    DebateScore {
        name: debate.name.clone(),
        lines: labels.len(),
        positives: labels.iter().filter(|&&l| l).count(),
        average_precision: average_precision(scores, &labels),
        precision_at_5: precision_at(scores, &labels, 5),
        precision_at_10: precision_at(scores, &labels, 10),
        random_average_precision: random_average_precision(&labels),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn debate() -> Debate {
        let line =
            |speaker: &str, text: &str, positive| DebateLine { speaker: speaker.into(), text: text.into(), positive };
        Debate {
            name: "20160926_test".into(),
            lines: vec![
                line("HOLT", "What will you do about jobs? Tell us.", false),
                line("CLINTON", "We will create 10 million jobs. That is my plan.", true),
                line("SYSTEM", "(APPLAUSE)", false),
                line("HOLT", "And you?", false),
                line("TRUMP", "We lose $800 billion a year on trade.", true),
            ],
        }
    }

    #[test]
    fn a_debate_renders_as_a_transcript_and_lines_take_their_best_sentence() {
        let d = debate();
        assert_eq!(d.date().as_deref(), Some("2016-09-26"));
        assert_eq!(Debate { name: "20182601_x".into(), lines: vec![] }.date(), None);
        let r = d.render();
        assert!(r.text.starts_with("HOLT: What will you do about jobs? Tell us.\nCLINTON: We will"));
        let prepared = r.sentences();
        let lines: Vec<usize> = prepared.iter().map(|(_, l)| *l).collect();
        assert_eq!(lines, [0, 0, 1, 1, 3, 4], "the stage direction is boilerplate and left out");
        let sentences = Extractor::default().sentences(&r.text);
        let scores = r.line_scores(&sentences);
        assert_eq!(scores.len(), 5);
        assert_eq!(scores[2], 0.0);
        let best = sentences.iter().filter(|s| r.line_of(s.span.start) == 1).map(|s| s.score).fold(0.0, f32::max);
        assert_eq!(scores[1], best);
    }

    #[test]
    fn a_random_ranking_scores_about_the_share_of_positives() {
        let labels: Vec<bool> = (0..200).map(|i| i % 20 == 0).collect();
        let ap = random_average_precision(&labels);
        assert!((0.04..0.12).contains(&ap), "{ap}");
    }

    #[test]
    fn a_bad_line_is_named() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("a.tsv"), "1\tHOLT\tHello.\t0\n2\tHOLT\tBye.\tmaybe\n").unwrap();
        let err = read_debates(dir.path()).unwrap_err().to_string();
        assert!(err.contains("a.tsv: line 2: label `maybe` is not 0 or 1"), "{err}");
        std::fs::write(dir.path().join("a.tsv"), "1\tHOLT\tHello.\n").unwrap();
        let err = read_debates(dir.path()).unwrap_err().to_string();
        assert!(err.contains("a.tsv: line 1: has 3 tab-separated fields; expected 4"), "{err}");
        let empty = tempfile::tempdir().unwrap();
        assert!(read_debates(empty.path()).unwrap_err().to_string().contains("holds no debate files"));
    }
}
