//! ClaimDesk review files: their reviewed claims, one source per reviewer.
//!
//! An entry from a review file is keyed by the document's fingerprint, the reviewer and the claim's id: the source
//! key is `review:FINGERPRINT:REVIEWER` and the entry's id is the claim's. So several reviewers' verdicts on one
//! claim are all kept (a merged file's per-reviewer verdicts too), and importing a reviewer's file again brings only
//! that reviewer's entries up to date. The verdict is the ClaimDesk status; the note, sources, reviewer (else the
//! file's organisation) and time of the last change come along; the claimant is the source the text credits.

use std::collections::{BTreeSet, HashSet};
use std::path::Path;

use super::{ImportError, ReadFile, ReadSource};
use crate::library::{Record, SourceInfo};
use crate::review::{Claim, Review, ReviewFile};

/// Read a review file (validated as `claimdesk validate` does).
pub fn read(text: &str, path: &Path) -> Result<ReadFile, ImportError> {
    let file = crate::review::file::from_slice(text.as_bytes(), path).map_err(|e| ImportError::Read(e.to_string()))?;
    let mut sources = Vec::new();
    let mut skipped = 0;
    for reviewer in reviewers(&file) {
        let (records, skipped_here) = records_of(&file, &reviewer, false);
        skipped = skipped.max(skipped_here);
        sources.push(ReadSource { info: SourceInfo::review(&file, &reviewer, Some(path)), records });
    }
    if sources.is_empty() {
        // No one reviewed anything: nothing to add, nothing of anyone's to remove.
        skipped = file.claims_at_threshold().count() as u64;
    }
    Ok(ReadFile { format: "review", sources, skipped })
}

/// Everyone named on a claim's review or on a merged claim's verdicts, `""` for reviews that name no one.
fn reviewers(file: &ReviewFile) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for claim in file.claims.iter().chain(&file.detached) {
        if claim.review.has_content() || claim.review.reviewer.is_some() {
            out.insert(claim.review.reviewer.clone().unwrap_or_default());
        }
        for v in &claim.review.verdicts {
            out.insert(v.reviewer.clone());
        }
    }
    out
}

/// Whether `review` is `reviewer`'s: it names them, or names no one and `unattributed_too` (the desk saving its own
/// reviewer's work) or `reviewer` is `""`.
fn is_by(review: &Review, reviewer: &str, unattributed_too: bool) -> bool {
    match review.reviewer.as_deref() {
        Some(r) => r == reviewer,
        None => unattributed_too || reviewer.is_empty(),
    }
}

/// `reviewer`'s verdicts in `file` as records (claims and detached claims, and a merged claim's verdict by them),
/// and how many claims at the file's threshold are unreviewed (skipped).
pub fn records_of(file: &ReviewFile, reviewer: &str, unattributed_too: bool) -> (Vec<Record>, u64) {
    let mut records = Vec::new();
    let mut taken = HashSet::new();
    let mut skipped = 0;
    for claim in file.claims.iter().chain(&file.detached) {
        let own = Some(&claim.review).filter(|r| r.is_reviewed() && is_by(r, reviewer, unattributed_too));
        let merged = claim.review.verdicts.iter().find(|v| v.reviewer == reviewer && v.review.is_reviewed());
        match own.or(merged.map(|v| &v.review)) {
            Some(review) if taken.insert(claim.id.clone()) => records.push(record(file, claim, review, reviewer)),
            Some(_) => {}
            None if !claim.review.is_reviewed() && claim.review.verdicts.is_empty() && file.is_claim(claim) => {
                skipped += 1
            }
            None => {}
        }
    }
    (records, skipped)
}

/// `review` (the claim's own, or `reviewer`'s verdict in a merged file) as a record.
fn record(file: &ReviewFile, claim: &Claim, review: &Review, reviewer: &str) -> Record {
    Record {
        id: claim.id.to_string(),
        claim: claim.text.split_whitespace().collect::<Vec<_>>().join(" "),
        title: None,
        verdict: Some(review.status.as_str().to_owned()),
        status: Some(review.status),
        note: review.note.clone(),
        sources: review.sources.iter().map(crate::export::source_line).collect(),
        url: file.publication.fact_check_url.clone(),
        author: Some(reviewer.to_owned())
            .filter(|r| !r.is_empty())
            .or_else(|| review.reviewer.clone())
            .or_else(|| file.publication.organisation.clone()),
        claimant: claim.source().map(str::to_owned),
        date: review.changed.clone(),
        language: None,
    }
}
