//! Measuring the matcher on CLEF 2020 CheckThat! Task 2 (Shaar et al., "That is a Known Lie", ACL 2020): the
//! fact-checks of `verified_claims.docs.tsv` go into a [`MatchIndex`], each tweet of a split is matched against
//! them, and the rankings are scored against the split's qrels (MAP@5, MRR, P@1), for BM25 alone and for the
//! full matcher, with how often a top hit scoring 0.5 or more is right and how many tweets get one.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use super::{Encoder, MatchError, MatchIndex, Presence, Reranker};

/// Which tweets to match.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Split {
    Train,
    Dev,
}

impl Split {
    fn dir(self) -> &'static str {
        match self {
            Split::Train => "train",
            Split::Dev => "dev",
        }
    }
}

/// Ranking quality of one method.
#[derive(Debug, Clone, PartialEq)]
pub struct Figures {
    pub map_at_5: f64,
    pub mrr: f64,
    pub precision_at_1: f64,
    /// Of the tweets whose top hit scores 0.5 or more, the share where it is a right fact-check (None for BM25,
    /// whose scores are not calibrated).
    pub precision_top_half: Option<f64>,
    /// The share of tweets whose top hit scores 0.5 or more.
    pub coverage_top_half: Option<f64>,
}

/// What [`evaluate`] measured.
#[derive(Debug, Clone, PartialEq)]
pub struct Report {
    pub split: Split,
    pub queries: usize,
    pub fact_checks: usize,
    pub bm25: Figures,
    pub matcher: Figures,
    /// Seconds spent embedding the fact-checks (the import cost).
    pub embed_seconds: f64,
    /// With every right fact-check of a tweet taken out of the library (a claim never checked before), the share of
    /// tweets whose top hit still scores 0.5 or more (a false "checked before"), and 0.2 or more (shown at all).
    pub absent_strong: f64,
    pub absent_shown: f64,
    /// The top hit's score and cosine of each tweet, its right fact-checks in the library (`present`, with whether
    /// the top hit is right) and taken out (`absent`): what a threshold or a cap is tuned on.
    pub present_tops: Vec<(f64, f32, bool)>,
    pub absent_tops: Vec<(f64, f32)>,
}

/// Reads the CheckThat files under `data_dir`, indexes every fact-check and measures a split, as shipped.
pub fn evaluate(data_dir: &Path, split: Split) -> Result<Report, MatchError> {
    evaluate_with(data_dir, split, Some(Presence::SHIPPED))
}

/// As [`evaluate`], scoring with this second calibration (`None`: without one, to fit it).
pub fn evaluate_with(data_dir: &Path, split: Split, presence: Option<Presence>) -> Result<Report, MatchError> {
    let encoder = Encoder::load()?;
    let docs = read_tsv(&data_dir.join("verified_claims.docs.tsv"), 3)?;
    let queries = read_tsv(&data_dir.join(split.dir()).join("tweets.queries.tsv"), 2)?;
    let qrels = read_qrels(&data_dir.join(split.dir()).join("tweet-vclaim-pairs.qrels"))?;
    let claims: Vec<&str> = docs.iter().map(|(_, f)| f[1].as_str()).collect();
    let started = std::time::Instant::now();
    let embeddings = encoder.embed(&claims);
    let embed_seconds = started.elapsed().as_secs_f64();
    let mut index = MatchIndex::new(Reranker::shipped()?);
    index.set_presence(presence);
    for ((id, f), e) in docs.iter().zip(&embeddings) {
        index.insert(*id, &f[1], &f[2], e);
    }
    let texts: Vec<&str> = queries.iter().map(|(_, f)| f[1].as_str()).collect();
    let q_emb = encoder.embed(&texts);
    let empty = HashSet::new();
    let (mut bm, mut full) = (Tally::default(), Tally::default());
    let (mut present_tops, mut absent_tops) = (Vec::new(), Vec::new());
    for (((qid, _), text), e) in queries.iter().zip(&texts).zip(&q_emb) {
        let rel = qrels.get(qid).unwrap_or(&empty);
        bm.add(&index.bm25_ranking(text, 10), None, rel);
        let hits = index.search_embedded(text, e, 10, |_| false);
        let keys: Vec<u64> = hits.iter().map(|h| h.key).collect();
        full.add(&keys, hits.first().map(|h| h.score), rel);
        if let Some(h) = hits.first() {
            present_tops.push((h.score, h.cosine, rel.contains(&h.key)));
        }
        if let Some(h) = index.search_embedded(text, e, 1, |k| rel.contains(&k)).first() {
            absent_tops.push((h.score, h.cosine));
        }
    }
    let share = |t: f64| absent_tops.iter().filter(|(s, _)| *s >= t).count() as f64 / queries.len().max(1) as f64;
    Ok(Report {
        split,
        queries: queries.len(),
        fact_checks: docs.len(),
        bm25: bm.figures(),
        matcher: full.figures(),
        embed_seconds,
        absent_strong: share(0.5),
        absent_shown: share(0.2),
        present_tops,
        absent_tops,
    })
}

#[derive(Default)]
struct Tally {
    n: usize,
    ap: f64,
    rr: f64,
    p1: f64,
    confident: usize,
    confident_right: usize,
    scored: bool,
}

impl Tally {
    fn add(&mut self, ranked: &[u64], top_score: Option<f64>, rel: &HashSet<u64>) {
        self.n += 1;
        let (mut hits, mut ap) = (0, 0.0);
        for (i, k) in ranked.iter().take(5).enumerate() {
            if rel.contains(k) {
                hits += 1;
                ap += f64::from(hits) / (i + 1) as f64;
            }
        }
        if !rel.is_empty() {
            self.ap += ap / rel.len().min(5) as f64;
        }
        if let Some(i) = ranked.iter().position(|k| rel.contains(k)) {
            self.rr += 1.0 / (i + 1) as f64;
        }
        let top_right = ranked.first().is_some_and(|k| rel.contains(k));
        self.p1 += f64::from(u8::from(top_right));
        if let Some(s) = top_score {
            self.scored = true;
            if s >= 0.5 {
                self.confident += 1;
                self.confident_right += usize::from(top_right);
            }
        }
    }

    fn figures(&self) -> Figures {
        let n = self.n.max(1) as f64;
        Figures {
            map_at_5: self.ap / n,
            mrr: self.rr / n,
            precision_at_1: self.p1 / n,
            precision_top_half: self.scored.then(|| self.confident_right as f64 / self.confident.max(1) as f64),
            coverage_top_half: self.scored.then(|| self.confident as f64 / n),
        }
    }
}

/// Rows of a tab-separated file with a header: (first column as id, all fields). Quoted fields may hold newlines.
fn read_tsv(path: &Path, fields: usize) -> Result<Vec<(u64, Vec<String>)>, MatchError> {
    let io = |e: std::io::Error| MatchError::Io { file: path.to_path_buf(), source: e };
    let file = std::fs::File::open(path).map_err(io)?;
    let mut reader = csv::ReaderBuilder::new().delimiter(b'\t').has_headers(true).flexible(true).from_reader(file);
    let mut out = Vec::new();
    for row in reader.records() {
        let bad = |line: u64, what: String| MatchError::BadData { file: PathBuf::from(path), line, what };
        let row = row.map_err(|e| bad(e.position().map_or(0, |p| p.line()), e.to_string()))?;
        let line = row.position().map_or(0, |p| p.line());
        if row.len() < fields {
            return Err(bad(line, format!("{} fields, expected {fields}", row.len())));
        }
        let id = row[0].trim().parse::<u64>().map_err(|_| bad(line, format!("id {:?} is not a number", &row[0])))?;
        out.push((id, row.iter().take(fields).map(str::to_owned).collect()));
    }
    Ok(out)
}

/// TREC qrels: `query 0 document relevance`; relevance 0 lines are left out.
fn read_qrels(path: &Path) -> Result<HashMap<u64, HashSet<u64>>, MatchError> {
    let text = std::fs::read_to_string(path).map_err(|e| MatchError::Io { file: path.to_path_buf(), source: e })?;
    let mut out: HashMap<u64, HashSet<u64>> = HashMap::new();
    for (i, line) in text.lines().enumerate() {
        let f: Vec<&str> = line.split_whitespace().collect();
        if f.is_empty() {
            continue;
        }
        let bad = || MatchError::BadData {
            file: path.to_path_buf(),
            line: i as u64 + 1,
            what: format!("not a qrels line: {line:?}"),
        };
        let (Some(q), Some(d), Some(r)) = (f.first(), f.get(2), f.get(3)) else { return Err(bad()) };
        let (q, d) = (q.parse::<u64>().map_err(|_| bad())?, d.parse::<u64>().map_err(|_| bad())?);
        if *r != "0" {
            out.entry(q).or_default().insert(d);
        }
    }
    Ok(out)
}
