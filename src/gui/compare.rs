//! "Compare reviewers": this review against other reviewers' files of the same document, and settling their
//! disagreements (each settlement an undoable edit that records who settled it and whose verdict was taken).

use std::path::Path;

use super::app::App;
use crate::review::edit::Edit;
use crate::review::{self, ClaimId, Review, ReviewFile, Status};

/// A verdict being written in the comparison to settle a disagreement.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Draft {
    pub status: Option<Status>,
    pub note: String,
}

/// The "compare reviewers" window's state.
pub struct CompareDialog {
    /// Shown; closing keeps the files and the comparison for the next time it is opened.
    pub open: bool,
    /// This review as it was when the comparison started: the figures compare reviewers, so settling a
    /// disagreement (which edits the live review) does not move them.
    pub mine: ReviewFile,
    pub others: Vec<(String, ReviewFile)>,
    pub comparison: Option<Result<crate::merge::Comparison, String>>,
    /// A path typed in the dialog (for machines without a native file dialog).
    pub path: String,
    /// New verdicts being written, per disagreement.
    pub drafts: std::collections::HashMap<ClaimId, Draft>,
}

impl CompareDialog {
    /// This review's claim as it was when compared (what settling is measured against).
    pub fn compared_review(&self, id: &ClaimId) -> Option<&Review> {
        self.mine.claim(id).map(|c| &c.review)
    }
}

impl App {
    /// Add another reviewer's file to the comparison. A file that fails to load is reported; the comparison stays.
    pub fn add_reviewer_file(&mut self, path: &Path) {
        match review::file::load(path) {
            Ok(file) => {
                if let Some(c) = &mut self.compare {
                    c.others.push((path.display().to_string(), file));
                    c.path.clear();
                }
                self.refresh_comparison();
            }
            Err(e) => self.fail(e.to_string()),
        }
    }

    /// Compare this review (as it was when the comparison started) with the other reviewers' files.
    pub fn refresh_comparison(&mut self) {
        let (Some(s), Some(c)) = (&self.session, &mut self.compare) else { return };
        if c.others.is_empty() {
            c.comparison = None;
            return;
        }
        let mine = s.display_name();
        let mut inputs = vec![crate::merge::Input { name: &mine, file: &c.mine }];
        inputs.extend(c.others.iter().map(|(name, file)| crate::merge::Input { name, file }));
        c.comparison = Some(crate::merge::compare(&inputs).map_err(|e| e.to_string()));
    }

    /// Settle claim `id` with `review` (a reviewer's verdict or one written anew), as one undoable edit. With a
    /// comparison open, every reviewer's verdict on the claim is kept with it as provenance, as `claimdesk merge`
    /// keeps them.
    pub fn settle(&mut self, id: &ClaimId, review: Review, verdict_of: Option<&str>) {
        let reviewer = self.prefs.reviewer.trim().to_owned();
        let verdicts: Vec<review::Verdict> = self
            .compare
            .as_ref()
            .and_then(|c| c.comparison.as_ref()?.as_ref().ok())
            .and_then(|cmp| {
                let compared = cmp.claims.iter().find(|c| &c.claim.id == id)?;
                Some(
                    cmp.reviewers
                        .iter()
                        .zip(&compared.reviews)
                        .filter_map(|(r, rv)| {
                            let rv = rv.as_ref().filter(|rv| rv.is_reviewed())?;
                            Some(review::Verdict {
                                reviewer: r.name.clone(),
                                file: Some(r.file.clone()),
                                review: Review { verdicts: Vec::new(), ..rv.clone() },
                            })
                        })
                        .collect(),
                )
            })
            .unwrap_or_default();
        let Some(s) = &mut self.session else { return };
        let mut review = review;
        review.changed = None;
        if review.reviewer.is_none() && !reviewer.is_empty() {
            review.reviewer = Some(reviewer.clone());
        }
        match crate::merge::settle_with_review(&s.file, id, review, &reviewer, verdict_of) {
            Ok(mut edit) => {
                if let Edit::SetReview { after, .. } = &mut edit
                    && after.verdicts.is_empty()
                {
                    after.verdicts = verdicts;
                }
                s.history.seal();
                if let Err(e) = s.edit(edit, None) {
                    self.fail(e);
                }
            }
            Err(e) => self.fail(e.to_string()),
        }
        if let Some(c) = &mut self.compare {
            c.drafts.remove(id);
        }
    }
}
