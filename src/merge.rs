//! Several reviewers' files of one document: matched claim by claim, compared, and merged with provenance.
//!
//! This module owns three things, all plain library code:
//! - matching: claims are the same claim across files when they have the same id, else the same anchored text
//!   (text, prefix and suffix: the files are of one document, so that is the same place);
//! - agreement: over the claims every reviewer reviewed, percent agreement, Cohen's kappa (two reviewers) or Fleiss'
//!   kappa (three or more), and per status the specific agreement and a kappa of that status against the rest
//!   ([`Agreement`]; the kappa formulas are also public on count tables, [`cohen_kappa`] and [`fleiss_kappa`]);
//! - merging: one review file whose claims carry every reviewer's verdict as provenance ([`Review::verdicts`]).
//!
//! The merge rule: when every reviewer who reviewed a claim gave it the same status, the merged review has that
//! status (their notes, labelled by reviewer when they differ, and the union of their sources); when two reviewers
//! differ, the merged claim stays unreviewed, with all verdicts kept, for an editor to settle with
//! [`settle_with_verdict`] or [`settle_with_review`], which give an [`Edit`] the window applies through its history.
//! A claim only some reviewers reviewed takes their verdict: reviewers often split an article between them.

use std::collections::HashMap;

use crate::review::edit::Edit;
use crate::review::{Claim, ClaimId, EvidenceSource, Publication, Review, ReviewFile, Settlement, Status, Verdict};

/// The statuses agreement is measured over: the three verdicts (an unreviewed claim is not a rating).
pub const RATED: [Status; 3] = [Status::Verified, Status::Disputed, Status::Unsourced];

/// One review file to merge, with the name it is known by (the path as given): errors and provenance use it.
#[derive(Debug, Clone, Copy)]
pub struct Input<'a> {
    pub name: &'a str,
    pub file: &'a ReviewFile,
}

/// Why files could not be compared or merged. Nothing is written when this happens.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MergeError {
    #[error("merging needs at least two review files, got {0}")]
    TooFew(usize),
    #[error(
        "{first} and {other} are reviews of different documents (fingerprints {first_fingerprint} and \
         {other_fingerprint}): nothing merged"
    )]
    DifferentDocuments { first: String, other: String, first_fingerprint: String, other_fingerprint: String },
}

/// Why a disagreement could not be settled.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SettleError {
    #[error("no claim with id {0}")]
    NoSuchClaim(ClaimId),
    #[error("claim {id} has {count} reviewers' verdicts; there is no verdict {index}")]
    NoSuchVerdict { id: ClaimId, index: usize, count: usize },
}

/// A reviewer: the name shown (the reviewer named in the file's reviews, else the file's name) and the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reviewer {
    pub name: String,
    pub file: String,
}

/// What the reviewers' verdicts on one claim come to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Nobody reviewed it.
    Unreviewed,
    /// Everyone who reviewed it gave it this status.
    Agreed(Status),
    /// At least two reviewers gave it different statuses.
    Disagreed,
}

/// One claim across the files.
#[derive(Debug, Clone, PartialEq)]
pub struct ComparedClaim {
    /// The claim as in the first file that has it (its review is that file's).
    pub claim: Claim,
    /// Each reviewer's review of it, in [`Comparison::reviewers`] order; `None` when the claim is not in their file.
    pub reviews: Vec<Option<Review>>,
    pub outcome: Outcome,
}

impl ComparedClaim {
    /// Whether every reviewer reviewed this claim: only such claims count in the agreement figures.
    pub fn reviewed_by_all(&self) -> bool {
        self.reviews.iter().all(|r| r.as_ref().is_some_and(Review::is_reviewed))
    }

    /// Each reviewer's status (`None`: not in their file).
    pub fn statuses(&self) -> Vec<Option<Status>> {
        self.reviews.iter().map(|r| r.as_ref().map(|r| r.status)).collect()
    }
}

/// Agreement on one status.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct StatusAgreement {
    pub status: Status,
    /// How many ratings gave this status.
    pub ratings: usize,
    /// On how many claims every reviewer gave this status.
    pub unanimous: usize,
    /// Of the pairs of ratings that involve this status, the share where both gave it (for two reviewers:
    /// 2a / (2a + b + c)); `None` when nobody used it.
    pub specific_agreement: Option<f64>,
    /// The kappa of this status against all others: Cohen's on the 2×2 table (two reviewers), Fleiss' per-category
    /// kappa (three or more); `None` when undefined (the status was used on every rating or on none).
    pub kappa: Option<f64>,
}

/// How much the reviewers agree, over the claims every one of them reviewed.
#[derive(Debug, Clone, PartialEq)]
pub struct Agreement {
    /// How many reviewers.
    pub reviewers: usize,
    /// How many claims the figures are over (reviewed by every reviewer).
    pub claims: usize,
    /// The share, 0 to 1, of those claims on which every reviewer gave the same status; `None` with no claims.
    pub percent_agreement: Option<f64>,
    /// The mean share of agreeing reviewer pairs per claim (Fleiss' P̄); equals `percent_agreement` for two.
    pub pairwise_agreement: Option<f64>,
    /// Cohen's kappa, with exactly two reviewers; `None` otherwise or when undefined.
    pub cohen_kappa: Option<f64>,
    /// Fleiss' kappa, with three or more reviewers; `None` otherwise or when undefined.
    pub fleiss_kappa: Option<f64>,
    /// Per status, in [`RATED`] order.
    pub per_status: Vec<StatusAgreement>,
}

/// The claims of several reviewers' files side by side, with the agreement figures.
#[derive(Debug, Clone, PartialEq)]
pub struct Comparison {
    pub reviewers: Vec<Reviewer>,
    /// Every claim found in any file, in document order.
    pub claims: Vec<ComparedClaim>,
    pub agreement: Agreement,
}

impl Comparison {
    /// The claims reviewers disagree on, in document order.
    pub fn disagreements(&self) -> impl Iterator<Item = &ComparedClaim> {
        self.claims.iter().filter(|c| c.outcome == Outcome::Disagreed)
    }

    /// How many claims some but not all reviewers reviewed (left out of the agreement figures).
    pub fn partially_reviewed(&self) -> usize {
        self.claims
            .iter()
            .filter(|c| !c.reviewed_by_all() && c.reviews.iter().flatten().any(Review::is_reviewed))
            .count()
    }
}

/// A merged review file and the comparison it came from.
#[derive(Debug, Clone, PartialEq)]
pub struct Merged {
    pub file: ReviewFile,
    pub comparison: Comparison,
}

/// Compare the files: match their claims and measure agreement. Fails when there are fewer than two files or when
/// they are of different documents.
pub fn compare(inputs: &[Input<'_>]) -> Result<Comparison, MergeError> {
    if inputs.len() < 2 {
        return Err(MergeError::TooFew(inputs.len()));
    }
    let first = &inputs[0];
    for other in &inputs[1..] {
        if other.file.document.fingerprint != first.file.document.fingerprint {
            return Err(MergeError::DifferentDocuments {
                first: first.name.to_owned(),
                other: other.name.to_owned(),
                first_fingerprint: first.file.document.fingerprint.clone(),
                other_fingerprint: other.file.document.fingerprint.clone(),
            });
        }
    }
    let reviewers = reviewers(inputs);
    let n = inputs.len();

    // Group claims: by id first, else by anchored text. A group holds at most one claim per file. Each file is
    // matched by id before anchors, so a reviewer's manual claim at an extracted claim's place never takes the slot
    // that file's own extracted claim (same id) should have.
    type AnchorKey = (String, String, String);
    let mut groups: Vec<(Claim, Vec<Option<Review>>)> = Vec::new();
    let mut by_id: HashMap<ClaimId, Vec<usize>> = HashMap::new();
    let mut by_anchor: HashMap<AnchorKey, Vec<usize>> = HashMap::new();
    for (i, input) in inputs.iter().enumerate() {
        let anchor_key = |c: &Claim| (c.text.clone(), c.anchor.prefix.clone(), c.anchor.suffix.clone());
        let mut placed: Vec<(usize, &Claim)> = Vec::new();
        let mut pending: Vec<&Claim> = Vec::new();
        for claim in &input.file.claims {
            let free = by_id.get(&claim.id).and_then(|gs| gs.iter().copied().find(|&g| groups[g].1[i].is_none()));
            match free {
                Some(g) if !placed.iter().any(|(p, _)| *p == g) => placed.push((g, claim)),
                _ => pending.push(claim),
            }
        }
        for (g, claim) in &placed {
            groups[*g].1[i] = Some(claim.review.clone());
        }
        for claim in pending {
            let free =
                by_anchor.get(&anchor_key(claim)).and_then(|gs| gs.iter().copied().find(|&g| groups[g].1[i].is_none()));
            let g = free.unwrap_or_else(|| {
                groups.push((claim.clone(), vec![None; n]));
                groups.len() - 1
            });
            groups[g].1[i] = Some(claim.review.clone());
            placed.push((g, claim));
        }
        for (g, claim) in placed {
            // Provenance is one level deep: a merged file merged again keeps its old verdicts only in itself.
            if let Some(review) = groups[g].1[i].as_mut() {
                review.verdicts.clear();
            }
            let ids = by_id.entry(claim.id.clone()).or_default();
            if !ids.contains(&g) {
                ids.push(g);
            }
            let anchors = by_anchor.entry(anchor_key(claim)).or_default();
            if !anchors.contains(&g) {
                anchors.push(g);
            }
        }
    }
    let mut claims: Vec<ComparedClaim> = groups
        .into_iter()
        .map(|(claim, reviews)| {
            let outcome = outcome(&reviews);
            ComparedClaim { claim, reviews, outcome }
        })
        .collect();
    // Stable: claims at the same span keep the order files listed them in.
    claims.sort_by_key(|c| c.claim.span);
    let agreement = agreement(&claims, n);
    Ok(Comparison { reviewers, claims, agreement })
}

/// Compare the files and merge them into one review file (see the module's merge rule).
pub fn merge(inputs: &[Input<'_>]) -> Result<Merged, MergeError> {
    let comparison = compare(inputs)?;
    let base = inputs[0].file;
    let claims = comparison.claims.iter().map(|c| merged_claim(c, &comparison.reviewers)).collect();
    let mut detached: Vec<Claim> = Vec::new();
    for input in inputs {
        for d in &input.file.detached {
            if !detached.iter().any(|x| x.id == d.id) {
                detached.push(d.clone());
            }
        }
    }
    // Start from the first file so fields this module does not know about are kept.
    let mut file = base.clone();
    file.publication = merged_publication(inputs);
    file.claims = claims;
    file.detached = detached;
    Ok(Merged { file, comparison })
}

/// The edit that settles claim `id` of a merged file with verdict `index` (its status, note, sources and reviewer),
/// keeping every verdict as provenance and recording that `by` settled it with that reviewer's verdict. Apply it
/// through [`crate::review::edit::History::apply`] so it can be undone.
pub fn settle_with_verdict(file: &ReviewFile, id: &ClaimId, index: usize, by: &str) -> Result<Edit, SettleError> {
    let claim = file.claim(id).ok_or_else(|| SettleError::NoSuchClaim(id.clone()))?;
    let before = claim.review.clone();
    let verdict = before.verdicts.get(index).ok_or_else(|| SettleError::NoSuchVerdict {
        id: id.clone(),
        index,
        count: before.verdicts.len(),
    })?;
    let after = Review {
        status: verdict.review.status,
        note: verdict.review.note.clone(),
        sources: verdict.review.sources.clone(),
        reviewer: verdict.review.reviewer.clone().or_else(|| Some(verdict.reviewer.clone())),
        changed: now(),
        verdicts: before.verdicts.clone(),
        settled: Some(Settlement { by: settler(by), verdict_of: Some(verdict.reviewer.clone()) }),
        based_on: verdict.review.based_on.clone(),
    };
    Ok(Edit::SetReview { id: id.clone(), before, after })
}

/// The edit that settles claim `id` with `review`, keeping every verdict as provenance and recording that `by`
/// settled it: `verdict_of` names the reviewer whose verdict `review` is, or is `None` for a verdict `by` wrote.
pub fn settle_with_review(
    file: &ReviewFile,
    id: &ClaimId,
    review: Review,
    by: &str,
    verdict_of: Option<&str>,
) -> Result<Edit, SettleError> {
    let claim = file.claim(id).ok_or_else(|| SettleError::NoSuchClaim(id.clone()))?;
    let before = claim.review.clone();
    let settled = Some(Settlement { by: settler(by), verdict_of: verdict_of.map(str::to_owned) });
    let after =
        Review { changed: review.changed.clone().or_else(now), verdicts: before.verdicts.clone(), settled, ..review };
    Ok(Edit::SetReview { id: id.clone(), before, after })
}

/// Who settled, as recorded: the name given, or a plain "unnamed reviewer" when the desk has no reviewer name set.
fn settler(by: &str) -> String {
    let by = by.trim();
    if by.is_empty() { "unnamed reviewer".to_owned() } else { by.to_owned() }
}

fn now() -> Option<String> {
    Some(crate::review::now_rfc3339()).filter(|t| !t.is_empty())
}

/// The reviewers' names: the reviewer most often named in a file's reviews, else the file's name without folder
/// and extension; repeated names get the file's name added so every reviewer stays distinguishable.
fn reviewers(inputs: &[Input<'_>]) -> Vec<Reviewer> {
    let mut names: Vec<String> = inputs
        .iter()
        .map(|input| {
            let mut counts: HashMap<&str, usize> = HashMap::new();
            for c in &input.file.claims {
                if let Some(r) = c.review.reviewer.as_deref().map(str::trim).filter(|r| !r.is_empty()) {
                    *counts.entry(r).or_insert(0) += 1;
                }
            }
            let most = counts.into_iter().max_by(|a, b| a.1.cmp(&b.1).then(b.0.cmp(a.0))).map(|(r, _)| r.to_owned());
            most.unwrap_or_else(|| {
                std::path::Path::new(input.name)
                    .file_stem()
                    .map(|s| s.to_string_lossy().into_owned())
                    .unwrap_or_else(|| input.name.to_owned())
            })
        })
        .collect();
    // Two reviewers of one name are told apart by the shortest end of their files' paths that differs (the file
    // name, else its folder too: never more of the path than that takes), and by a number when even the paths are
    // the same; a name is never given twice.
    let tail = |input: &Input<'_>, parts: usize| {
        let path = std::path::Path::new(input.name);
        let comps: Vec<String> = path.components().map(|c| c.as_os_str().to_string_lossy().into_owned()).collect();
        comps[comps.len().saturating_sub(parts)..].join("/")
    };
    let groups: Vec<String> = names.clone();
    for name in groups {
        let same: Vec<usize> = (0..names.len()).filter(|&j| names[j] == name).collect();
        if same.len() < 2 {
            continue;
        }
        let longest = same.iter().map(|&j| std::path::Path::new(inputs[j].name).components().count()).max();
        let parts = (1..=longest.unwrap_or(1)).find(|&parts| {
            let tails: Vec<String> = same.iter().map(|&j| tail(&inputs[j], parts)).collect();
            tails.iter().collect::<std::collections::HashSet<_>>().len() == tails.len()
        });
        for (n, &j) in same.iter().enumerate() {
            names[j] = match parts {
                Some(parts) => format!("{name} ({})", tail(&inputs[j], parts)),
                None => format!("{name} #{}", n + 1),
            };
        }
    }
    names.into_iter().zip(inputs).map(|(name, input)| Reviewer { name, file: input.name.to_owned() }).collect()
}

fn outcome(reviews: &[Option<Review>]) -> Outcome {
    let mut statuses = reviews.iter().flatten().map(|r| r.status).filter(|s| *s != Status::Unreviewed);
    match statuses.next() {
        None => Outcome::Unreviewed,
        Some(first) if statuses.all(|s| s == first) => Outcome::Agreed(first),
        Some(_) => Outcome::Disagreed,
    }
}

fn rated_index(status: Status) -> Option<usize> {
    RATED.iter().position(|s| *s == status)
}

/// The agreement figures over the claims every one of `n` reviewers reviewed.
fn agreement(claims: &[ComparedClaim], n: usize) -> Agreement {
    // Subjects × categories counts, and for two reviewers the confusion matrix.
    let mut counts: Vec<Vec<usize>> = Vec::new();
    let mut matrix = vec![vec![0usize; RATED.len()]; RATED.len()];
    for c in claims.iter().filter(|c| c.reviewed_by_all()) {
        let ratings: Vec<usize> = c.reviews.iter().flatten().filter_map(|r| rated_index(r.status)).collect();
        let mut row = vec![0usize; RATED.len()];
        for &r in &ratings {
            row[r] += 1;
        }
        counts.push(row);
        if let [a, b] = ratings[..] {
            matrix[a][b] += 1;
        }
    }
    let items = counts.len();
    let unanimous = counts.iter().filter(|row| row.contains(&n)).count();
    let ratio = |a: usize, b: usize| (b > 0).then(|| a as f64 / b as f64);
    let per_status = RATED
        .iter()
        .enumerate()
        .map(|(j, &status)| {
            let ratings: usize = counts.iter().map(|row| row[j]).sum();
            let agreeing_pairs: usize = counts.iter().map(|row| row[j] * row[j].saturating_sub(1)).sum();
            let kappa = if n == 2 {
                // This status against the rest, as a 2×2 table.
                let mut binary = vec![vec![0usize; 2]; 2];
                for (a, row) in matrix.iter().enumerate() {
                    for (b, &count) in row.iter().enumerate() {
                        binary[usize::from(a != j)][usize::from(b != j)] += count;
                    }
                }
                cohen_kappa(&binary)
            } else {
                fleiss_category_kappas(&counts).and_then(|k| k[j])
            };
            StatusAgreement {
                status,
                ratings,
                unanimous: counts.iter().filter(|row| row[j] == n).count(),
                specific_agreement: ratio(agreeing_pairs, ratings * (n - 1)),
                kappa,
            }
        })
        .collect();
    Agreement {
        reviewers: n,
        claims: items,
        percent_agreement: ratio(unanimous, items),
        pairwise_agreement: fleiss_observed(&counts),
        cohen_kappa: if n == 2 { cohen_kappa(&matrix) } else { None },
        fleiss_kappa: if n >= 3 { fleiss_kappa(&counts) } else { None },
        per_status,
    }
}

/// Cohen's kappa from a square confusion matrix (`matrix[a][b]`: subjects the first rater put in category `a` and
/// the second in `b`): (p_o − p_e) / (1 − p_e). `None` when the matrix is empty, not square, or p_e is 1.
pub fn cohen_kappa(matrix: &[Vec<usize>]) -> Option<f64> {
    let k = matrix.len();
    if k == 0 || matrix.iter().any(|row| row.len() != k) {
        return None;
    }
    let total: usize = matrix.iter().flatten().sum();
    if total == 0 {
        return None;
    }
    let total = total as f64;
    let observed = (0..k).map(|i| matrix[i][i]).sum::<usize>() as f64 / total;
    let expected: f64 = (0..k)
        .map(|c| {
            let row: usize = matrix[c].iter().sum();
            let col: usize = matrix.iter().map(|r| r[c]).sum();
            (row as f64 / total) * (col as f64 / total)
        })
        .sum();
    kappa_from(observed, expected)
}

fn kappa_from(observed: f64, expected: f64) -> Option<f64> {
    // When chance agreement is total (every rating in one category) kappa is 0/0: undefined, not 1.
    (1.0 - expected > 1e-12).then(|| (observed - expected) / (1.0 - expected))
}

/// The raters per subject, when every row has the same number, at least two.
fn raters_per_subject(counts: &[Vec<usize>]) -> Option<usize> {
    let n: usize = counts.first()?.iter().sum();
    (n >= 2 && counts.iter().all(|row| row.iter().sum::<usize>() == n && row.len() == counts[0].len())).then_some(n)
}

/// Fleiss' P̄: the mean over subjects of the share of agreeing rater pairs.
fn fleiss_observed(counts: &[Vec<usize>]) -> Option<f64> {
    let n = raters_per_subject(counts)? as f64;
    let sum: f64 =
        counts.iter().map(|row| (row.iter().map(|&c| (c * c) as f64).sum::<f64>() - n) / (n * (n - 1.0))).sum();
    Some(sum / counts.len() as f64)
}

/// Fleiss' kappa from a subjects × categories table (`counts[i][j]`: raters who put subject `i` in category `j`;
/// every subject rated by the same number of raters, at least two): (P̄ − P̄e) / (1 − P̄e). `None` when the table is
/// empty, uneven, or P̄e is 1.
pub fn fleiss_kappa(counts: &[Vec<usize>]) -> Option<f64> {
    let n = raters_per_subject(counts)?;
    let observed = fleiss_observed(counts)?;
    let total = (counts.len() * n) as f64;
    let expected: f64 = (0..counts[0].len())
        .map(|j| counts.iter().map(|row| row[j]).sum::<usize>() as f64 / total)
        .map(|p| p * p)
        .sum();
    kappa_from(observed, expected)
}

/// Fleiss' per-category kappas, κ_j = 1 − Σ_i n_ij (n − n_ij) / (N n (n − 1) p_j q_j), each `None` when category `j`
/// was used on no rating or on every one; `None` overall when the table is empty or uneven.
pub fn fleiss_category_kappas(counts: &[Vec<usize>]) -> Option<Vec<Option<f64>>> {
    let n = raters_per_subject(counts)?;
    let subjects = counts.len() as f64;
    let nf = n as f64;
    Some(
        (0..counts[0].len())
            .map(|j| {
                let p = counts.iter().map(|row| row[j]).sum::<usize>() as f64 / (subjects * nf);
                let disagreement: f64 = counts.iter().map(|row| (row[j] * (n - row[j])) as f64).sum();
                let denominator = subjects * nf * (nf - 1.0) * p * (1.0 - p);
                (denominator > 1e-12).then(|| 1.0 - disagreement / denominator)
            })
            .collect(),
    )
}

/// The merged claim: the claim as first found, with the merged review and every reviewer's verdict.
fn merged_claim(c: &ComparedClaim, reviewers: &[Reviewer]) -> Claim {
    let mut claim = c.claim.clone();
    let given: Vec<(&Reviewer, &Review)> =
        reviewers.iter().zip(&c.reviews).filter_map(|(who, r)| r.as_ref().map(|r| (who, r))).collect();
    let verdicts: Vec<Verdict> = given
        .iter()
        .map(|(who, r)| Verdict { reviewer: who.name.clone(), file: Some(who.file.clone()), review: (*r).clone() })
        .collect();
    claim.review = match c.outcome {
        Outcome::Unreviewed => Review::default(),
        Outcome::Disagreed => Review { verdicts, ..Review::default() },
        Outcome::Agreed(status) => {
            let agreeing: Vec<&(&Reviewer, &Review)> = given.iter().filter(|(_, r)| r.status == status).collect();
            let mut notes: Vec<(&str, &str)> = Vec::new();
            for (who, r) in &agreeing {
                let note = r.note.trim();
                if !note.is_empty() && !notes.iter().any(|(_, n)| *n == note) {
                    notes.push((who.name.as_str(), note));
                }
            }
            let note = match notes.as_slice() {
                [] => String::new(),
                [(_, only)] => (*only).to_owned(),
                many => many.iter().map(|(who, n)| format!("{who}: {n}")).collect::<Vec<_>>().join("\n\n"),
            };
            let mut sources: Vec<EvidenceSource> = Vec::new();
            for (_, r) in &agreeing {
                for s in &r.sources {
                    if !sources.iter().any(|x| x.reference == s.reference && x.quote == s.quote) {
                        sources.push(s.clone());
                    }
                }
            }
            let mut names: Vec<String> = Vec::new();
            for (who, r) in &agreeing {
                let name = r.reviewer.clone().filter(|n| !n.trim().is_empty()).unwrap_or_else(|| who.name.clone());
                if !names.contains(&name) {
                    names.push(name);
                }
            }
            let changed = agreeing.iter().filter_map(|(_, r)| r.changed.as_deref()).max_by(|a, b| compare_times(a, b));
            Review {
                status,
                note,
                sources,
                reviewer: Some(names.join(", ")).filter(|n| !n.is_empty()),
                changed: changed.map(str::to_owned),
                verdicts,
                settled: None,
                // Agreeing reviewers may have based their verdicts on the same earlier fact-check: kept when all
                // name one and the same.
                based_on: {
                    let mut refs = agreeing.iter().map(|(_, r)| r.based_on.as_ref());
                    let first = refs.next().flatten();
                    first.filter(|f| refs.all(|r| r.is_some_and(|r| r.same_entry(f)))).cloned()
                },
            }
        }
    };
    claim
}

/// Order RFC 3339 times by the instant they name; text order for anything unparseable.
fn compare_times(a: &str, b: &str) -> std::cmp::Ordering {
    let parse = |s: &str| time::OffsetDateTime::parse(s, &time::format_description::well_known::Rfc3339).ok();
    match (parse(a), parse(b)) {
        (Some(x), Some(y)) => x.cmp(&y),
        _ => a.cmp(b),
    }
}

/// Each publication field from the first file that sets it.
fn merged_publication(inputs: &[Input<'_>]) -> Publication {
    let mut merged = inputs[0].file.publication.clone();
    let fields: [fn(&mut Publication) -> &mut Option<String>; 4] =
        [|p| &mut p.fact_check_url, |p| &mut p.organisation, |p| &mut p.article_url, |p| &mut p.article_published];
    for field in fields {
        if field(&mut merged).as_deref().is_none_or(|v| v.trim().is_empty()) {
            *field(&mut merged) = inputs
                .iter()
                .find_map(|i| field(&mut i.file.publication.clone()).clone().filter(|v| !v.trim().is_empty()));
        }
    }
    merged
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn perfect_agreement_is_one_and_chance_only_is_undefined() {
        assert_eq!(cohen_kappa(&[vec![5, 0], vec![0, 5]]), Some(1.0));
        assert_eq!(cohen_kappa(&[vec![10, 0], vec![0, 0]]), None, "all in one category: 0/0");
        assert_eq!(cohen_kappa(&[]), None);
        assert_eq!(fleiss_kappa(&[vec![3, 0], vec![0, 3]]), Some(1.0));
        assert_eq!(fleiss_kappa(&[vec![3, 0], vec![2, 0]]), None, "uneven rows");
    }

    #[test]
    fn reviewers_are_named_by_their_reviews_else_their_files_and_stay_distinct() {
        use crate::document::Document;
        let doc = Document::from_text("t", "Sales rose 7% in 2021.");
        let ex = crate::extract::Extractor::default();
        let sentence = ex.analyse(&doc.text, crate::Span::new(0, doc.text.len()));
        let plain = ReviewFile::new(&doc, ex.info(), &[sentence]);
        let mut named = plain.clone();
        named.claims[0].review.reviewer = Some("alice".to_owned());
        let files = [named.clone(), plain.clone(), plain.clone(), named];
        let names = ["one/a.json", "x/r.json", "y/r.json", "two/b.json"];
        let inputs: Vec<Input<'_>> = names.iter().zip(&files).map(|(name, file)| Input { name, file }).collect();
        let got: Vec<String> = reviewers(&inputs).into_iter().map(|r| r.name).collect();
        assert_eq!(got, ["alice (a.json)", "r (x/r.json)", "r (y/r.json)", "alice (b.json)"]);
        // The same path twice (the command line refuses it; a caller may not): numbered, never one name twice.
        let inputs = [Input { name: "/tmp/r.json", file: &files[1] }, Input { name: "/tmp/r.json", file: &files[2] }];
        let got: Vec<String> = reviewers(&inputs).into_iter().map(|r| r.name).collect();
        assert_eq!(got, ["r #1", "r #2"]);
    }

    #[test]
    fn systematic_disagreement_is_negative() {
        let k = cohen_kappa(&[vec![0, 5], vec![5, 0]]).unwrap();
        assert!((k + 1.0).abs() < 1e-12, "{k}");
    }
}
