//! Every change to a review as an invertible value, and the undo history.
//!
//! As in helix, an edit knows how to undo itself: [`Edit::inverted`] gives the edit that takes the review back. The
//! [`History`] is two stacks of edits. Typing in one note coalesces into one step: edits recorded with the same
//! [`Coalesce`] key, one after another, merge into the first one's "before" and the last one's "after", until
//! [`History::seal`] is called (the window calls it when a text field loses focus).

use super::{Claim, ClaimId, LibraryRef, Publication, Review, ReviewFile};

/// One change to a review file.
#[derive(Debug, Clone, PartialEq)]
pub enum Edit {
    /// Replace a claim's review (status, note, sources, reviewer, time of change).
    SetReview { id: ClaimId, before: Review, after: Review },
    /// Replace `removed` claims at `index` by `inserted` ones: adding, deleting, merging and splitting claims.
    Splice { index: usize, removed: Vec<Claim>, inserted: Vec<Claim> },
    /// Change the publication details used by exports.
    SetPublication { before: Publication, after: Publication },
    /// Change the extractor threshold the claims are shown at (claims below it stay in the file, hidden).
    SetThreshold { before: f32, after: f32 },
    /// Replace the library matches dismissed for a claim (a wrong "checked before" match, not offered again).
    SetDismissed { id: ClaimId, before: Vec<LibraryRef>, after: Vec<LibraryRef> },
}

/// Why an edit could not be applied: the review is not in the state the edit expects.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EditError {
    #[error("no claim with id {0}")]
    NoSuchClaim(ClaimId),
    #[error("claims at {index} are not the ones this edit removes")]
    SpliceMismatch { index: usize },
}

impl Edit {
    /// The edit that undoes this one.
    pub fn inverted(&self) -> Edit {
        match self {
            Edit::SetReview { id, before, after } => {
                Edit::SetReview { id: id.clone(), before: after.clone(), after: before.clone() }
            }
            Edit::Splice { index, removed, inserted } => {
                Edit::Splice { index: *index, removed: inserted.clone(), inserted: removed.clone() }
            }
            Edit::SetPublication { before, after } => {
                Edit::SetPublication { before: after.clone(), after: before.clone() }
            }
            Edit::SetThreshold { before, after } => Edit::SetThreshold { before: *after, after: *before },
            Edit::SetDismissed { id, before, after } => {
                Edit::SetDismissed { id: id.clone(), before: after.clone(), after: before.clone() }
            }
        }
    }

    /// Apply this edit to `file`. Fails, changing nothing, when the file is not in the state the edit expects.
    pub fn apply(&self, file: &mut ReviewFile) -> Result<(), EditError> {
        match self {
            Edit::SetReview { id, after, .. } => {
                let claim = file.claim_mut(id).ok_or_else(|| EditError::NoSuchClaim(id.clone()))?;
                claim.review = after.clone();
            }
            Edit::Splice { index, removed, inserted } => {
                let end = index + removed.len();
                if end > file.claims.len() || file.claims[*index..end] != removed[..] {
                    return Err(EditError::SpliceMismatch { index: *index });
                }
                file.claims.splice(*index..end, inserted.iter().cloned());
            }
            Edit::SetPublication { after, .. } => file.publication = after.clone(),
            Edit::SetThreshold { after, .. } => file.extractor.threshold = *after,
            Edit::SetDismissed { id, after, .. } => {
                let claim = file.claim_mut(id).ok_or_else(|| EditError::NoSuchClaim(id.clone()))?;
                claim.dismissed = after.clone();
            }
        }
        Ok(())
    }

    /// The claim to select after this edit is applied, if it concerns one.
    pub fn focus(&self) -> Option<ClaimId> {
        match self {
            Edit::SetReview { id, .. } | Edit::SetDismissed { id, .. } => Some(id.clone()),
            Edit::Splice { inserted, removed, .. } => inserted.first().or(removed.first()).map(|c| c.id.clone()),
            Edit::SetPublication { .. } | Edit::SetThreshold { .. } => None,
        }
    }
}

/// What makes consecutive edits one undo step: typing into the same field of the same claim.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Coalesce {
    Note(ClaimId),
    Source {
        id: ClaimId,
        index: usize,
    },
    Publication,
    /// Dragging the threshold slider.
    Threshold,
}

#[derive(Debug, Clone, PartialEq)]
struct Step {
    edit: Edit,
    key: Option<Coalesce>,
}

/// Undo and redo stacks.
#[derive(Debug, Clone, Default)]
pub struct History {
    undo: Vec<Step>,
    redo: Vec<Step>,
    /// When false, the next coalescable edit starts a new step.
    open: bool,
}

impl History {
    pub fn new() -> Self {
        Self::default()
    }

    /// Apply `edit` to `file` and record it as one undo step; clears the redo stack.
    pub fn apply(&mut self, file: &mut ReviewFile, edit: Edit) -> Result<(), EditError> {
        self.apply_coalescing(file, edit, None)
    }

    /// Apply `edit` and record it, merging it into the previous step when both carry the same `key` and the
    /// history has not been sealed since.
    pub fn apply_coalescing(
        &mut self,
        file: &mut ReviewFile,
        edit: Edit,
        key: Option<Coalesce>,
    ) -> Result<(), EditError> {
        edit.apply(file)?;
        self.redo.clear();
        if let (true, Some(k), Some(top)) = (self.open, key.as_ref(), self.undo.last_mut())
            && top.key.as_ref() == Some(k)
            && let Some(merged) = merge(&top.edit, &edit)
        {
            top.edit = merged;
            return Ok(());
        }
        self.open = key.is_some();
        self.undo.push(Step { edit, key });
        Ok(())
    }

    /// End the current coalescing run: the next edit starts a new undo step.
    pub fn seal(&mut self) {
        self.open = false;
    }

    /// Undo the last step; returns the claim it concerned.
    pub fn undo(&mut self, file: &mut ReviewFile) -> Result<Option<Option<ClaimId>>, EditError> {
        self.open = false;
        let Some(step) = self.undo.pop() else { return Ok(None) };
        let inverse = step.edit.inverted();
        if let Err(e) = inverse.apply(file) {
            self.undo.push(step);
            return Err(e);
        }
        let focus = inverse.focus();
        self.redo.push(step);
        Ok(Some(focus))
    }

    /// Redo the last undone step; returns the claim it concerned.
    pub fn redo(&mut self, file: &mut ReviewFile) -> Result<Option<Option<ClaimId>>, EditError> {
        self.open = false;
        let Some(step) = self.redo.pop() else { return Ok(None) };
        if let Err(e) = step.edit.apply(file) {
            self.redo.push(step);
            return Err(e);
        }
        let focus = step.edit.focus();
        self.undo.push(step);
        Ok(Some(focus))
    }

    pub fn can_undo(&self) -> bool {
        !self.undo.is_empty()
    }

    pub fn can_redo(&self) -> bool {
        !self.redo.is_empty()
    }

    /// How many steps can be undone.
    pub fn depth(&self) -> usize {
        self.undo.len()
    }

    pub fn clear(&mut self) {
        *self = Self::default();
    }
}

/// `first` then `second` as one edit, when both change the same thing.
fn merge(first: &Edit, second: &Edit) -> Option<Edit> {
    match (first, second) {
        (Edit::SetReview { id: a, before, .. }, Edit::SetReview { id: b, after, .. }) if a == b => {
            Some(Edit::SetReview { id: a.clone(), before: before.clone(), after: after.clone() })
        }
        (Edit::SetPublication { before, .. }, Edit::SetPublication { after, .. }) => {
            Some(Edit::SetPublication { before: before.clone(), after: after.clone() })
        }
        (Edit::SetThreshold { before, .. }, Edit::SetThreshold { after, .. }) => {
            Some(Edit::SetThreshold { before: *before, after: *after })
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::Document;
    use crate::extract::Extractor;
    use crate::review::Status;

    fn sample() -> ReviewFile {
        let doc = Document::from_text("t", "Sales rose 7% in 2021, the ministry said.\nProfits fell by $3 billion.");
        let ex = Extractor::default();
        let sentences = ex.sentences(&doc.text);
        ReviewFile::new(&doc, ex.info(), &sentences)
    }

    fn set_note(file: &ReviewFile, id: &ClaimId, note: &str) -> Edit {
        let before = file.claim(id).unwrap().review.clone();
        let after = Review { note: note.to_owned(), ..before.clone() };
        Edit::SetReview { id: id.clone(), before, after }
    }

    #[test]
    fn undo_then_redo_restores_each_state() {
        let mut file = sample();
        let original = file.clone();
        let id = file.claims[0].id.clone();
        let mut h = History::new();
        let before = file.claim(&id).unwrap().review.clone();
        let after = Review { status: Status::Disputed, ..before.clone() };
        h.apply(&mut file, Edit::SetReview { id: id.clone(), before, after }).unwrap();
        let edited = file.clone();
        assert_eq!(h.undo(&mut file).unwrap(), Some(Some(id.clone())));
        assert_eq!(file, original);
        h.redo(&mut file).unwrap();
        assert_eq!(file, edited);
        assert!(h.redo(&mut file).unwrap().is_none(), "nothing left to redo");
    }

    #[test]
    fn dragging_the_threshold_is_one_step() {
        let mut file = sample();
        let original = file.extractor.threshold;
        let mut h = History::new();
        let mut before = original;
        for after in [0.3, 0.4, 0.55] {
            h.apply_coalescing(&mut file, Edit::SetThreshold { before, after }, Some(Coalesce::Threshold)).unwrap();
            before = after;
        }
        assert_eq!(file.extractor.threshold, 0.55);
        assert_eq!(h.depth(), 1);
        assert_eq!(h.undo(&mut file).unwrap(), Some(None));
        assert_eq!(file.extractor.threshold, original);
        h.redo(&mut file).unwrap();
        assert_eq!(file.extractor.threshold, 0.55);
    }

    #[test]
    fn typing_in_one_note_is_one_step_until_sealed() {
        let mut file = sample();
        let original = file.clone();
        let id = file.claims[0].id.clone();
        let mut h = History::new();
        for note in ["C", "Ch", "Che", "Chec", "Check"] {
            let e = set_note(&file, &id, note);
            h.apply_coalescing(&mut file, e, Some(Coalesce::Note(id.clone()))).unwrap();
        }
        assert_eq!(h.depth(), 1);
        h.seal();
        let e = set_note(&file, &id, "Checked");
        h.apply_coalescing(&mut file, e, Some(Coalesce::Note(id.clone()))).unwrap();
        assert_eq!(h.depth(), 2);
        h.undo(&mut file).unwrap();
        assert_eq!(file.claim(&id).unwrap().review.note, "Check");
        h.undo(&mut file).unwrap();
        assert_eq!(file, original);
    }

    #[test]
    fn splice_removes_and_restores_claims() {
        let mut file = sample();
        let original = file.clone();
        let mut h = History::new();
        let removed = vec![file.claims[0].clone()];
        h.apply(&mut file, Edit::Splice { index: 0, removed, inserted: vec![] }).unwrap();
        assert_eq!(file.claims.len(), original.claims.len() - 1);
        h.undo(&mut file).unwrap();
        assert_eq!(file, original);
    }

    #[test]
    fn mismatched_splice_changes_nothing() {
        let mut file = sample();
        let original = file.clone();
        let wrong = vec![file.claims[1].clone()];
        let err = Edit::Splice { index: 0, removed: wrong, inserted: vec![] }.apply(&mut file).unwrap_err();
        assert_eq!(err, EditError::SpliceMismatch { index: 0 });
        assert_eq!(file, original);
    }
}
