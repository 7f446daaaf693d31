//! Claim surgery: a reviewer changing which spans of the document are claims.
//!
//! Adding a span as a manual claim, merging a claim with the next one, splitting one at a position and deleting one
//! are each a function that looks at the review and returns the [`Edit`] that does it (applied through
//! [`super::edit::History`], so it can be undone) and the claim to select afterwards, or a [`SurgeryError`] saying
//! why it cannot be done. Nothing here changes the review; the window and any other front end apply the edit.

use super::edit::Edit;
use super::{Anchor, Claim, ClaimId, Origin, Review, ReviewFile};
use crate::Span;
use crate::extract::Extractor;

/// Why a claim could not be added, merged, split or deleted. The messages are the ones the window shows.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SurgeryError {
    #[error("Select some text in the document first")]
    EmptySelection,
    #[error("The selection overlaps the reviewed or manual claim \"{0}\": not added")]
    OverlapsWork(String),
    #[error("The selection overlaps claims that are not next to each other: not added")]
    NotContiguous,
    #[error("There is no next claim to merge with")]
    NoNextClaim,
    #[error("Only adjacent claims can be merged")]
    NotAdjacent,
    #[error("Put the text cursor inside the selected claim to split it")]
    CursorOutside,
    #[error("Splitting there would leave an empty claim")]
    EmptySide,
    #[error("There is no claim {0} to change")]
    NoSuchClaim(usize),
}

/// A surgery's edit and the claim to select once it is applied.
#[derive(Debug, Clone, PartialEq)]
pub struct Surgery {
    pub edit: Edit,
    pub select: ClaimId,
}

/// A claim made by hand from `span` of the file's text, scored and tagged by `extractor` like an extracted one, and
/// marked manual. Its id is unique against the file's claims and `also_taken`.
pub fn manual_claim(
    file: &ReviewFile,
    extractor: &Extractor,
    span: Span,
    review: Review,
    also_taken: &[&ClaimId],
) -> Claim {
    let text = &file.document.text;
    let analysed = extractor.analyse(text, span);
    let id = ClaimId::for_manual(&text[span.range()], span, |id| file.claim(id).is_some() || also_taken.contains(&id));
    Claim {
        id,
        span,
        text: text[span.range()].to_owned(),
        anchor: Anchor::around(text, span),
        score: analysed.score,
        kinds: analysed.kinds,
        attribution: analysed.attribution,
        speaker: analysed.speaker,
        origin: Origin::Manual,
        dismissed: Vec::new(),
        review,
    }
}

/// `span` without the whitespace at either end.
fn trimmed(text: &str, span: Span) -> Option<Span> {
    let slice = span.slice(text)?;
    let lead = slice.len() - slice.trim_start().len();
    Some(Span::new(span.start + lead, span.start + lead + slice.trim().len()))
}

/// Add the text selected at `selection` as a manual claim. It replaces the unreviewed extracted sentences it overlaps;
/// it may not overlap reviewed or manual claims, whose work would be lost.
pub fn add_manual(file: &ReviewFile, extractor: &Extractor, selection: Span) -> Result<Surgery, SurgeryError> {
    let span = trimmed(&file.document.text, selection).filter(|s| !s.is_empty()).ok_or(SurgeryError::EmptySelection)?;
    let overlapped: Vec<usize> = (0..file.claims.len()).filter(|&i| file.claims[i].span.overlaps(span)).collect();
    if let Some(&i) = overlapped.iter().find(|&&i| {
        let c = &file.claims[i];
        c.review.has_content() || c.is_manual()
    }) {
        return Err(SurgeryError::OverlapsWork(crate::export::excerpt(&file.claims[i].text, 40)));
    }
    if !overlapped.windows(2).all(|w| w[1] == w[0] + 1) {
        return Err(SurgeryError::NotContiguous);
    }
    let index = overlapped
        .first()
        .copied()
        .unwrap_or_else(|| file.claims.iter().position(|c| c.span.start > span.start).unwrap_or(file.claims.len()));
    let removed: Vec<Claim> = overlapped.iter().map(|&i| file.claims[i].clone()).collect();
    let claim = manual_claim(file, extractor, span, Review::default(), &[]);
    let select = claim.id.clone();
    Ok(Surgery { edit: Edit::Splice { index, removed, inserted: vec![claim] }, select })
}

/// Delete claim `index`.
pub fn delete(file: &ReviewFile, index: usize) -> Result<Edit, SurgeryError> {
    let claim = file.claims.get(index).ok_or(SurgeryError::NoSuchClaim(index))?;
    Ok(Edit::Splice { index, removed: vec![claim.clone()], inserted: Vec::new() })
}

/// Merge claim `index` with the next claim in the document (at the file's threshold): the two become one manual
/// claim over both spans, keeping the first one's review, the second's status when the first has none, and both
/// notes and sources. Only adjacent claims merge: nothing but whitespace and sentences below the threshold between
/// them.
pub fn merge_with_next(file: &ReviewFile, extractor: &Extractor, index: usize) -> Result<Surgery, SurgeryError> {
    let first = file.claims.get(index).ok_or(SurgeryError::NoSuchClaim(index))?;
    let next_index = (0..file.claims.len())
        .filter(|&i| i != index && file.claims[i].span.start >= first.span.end && file.is_claim(&file.claims[i]))
        .min_by_key(|&i| file.claims[i].span.start)
        .ok_or(SurgeryError::NoNextClaim)?;
    let second = &file.claims[next_index];
    let between = Span::new(first.span.end, second.span.start);
    let blocked = file.claims.iter().any(|c| c.span.overlaps(between) && (c.review.has_content() || c.is_manual()));
    if blocked || next_index < index {
        return Err(SurgeryError::NotAdjacent);
    }
    let span = Span::new(first.span.start, second.span.end);
    let mut review = first.review.clone();
    if second.review.is_reviewed() && !review.is_reviewed() {
        review.status = second.review.status;
    }
    if !second.review.note.is_empty() {
        if !review.note.is_empty() {
            review.note.push('\n');
        }
        review.note.push_str(&second.review.note);
    }
    review.sources.extend(second.review.sources.iter().cloned());
    review.changed = Some(super::now_rfc3339());
    let removed: Vec<Claim> = file.claims[index..=next_index].to_vec();
    let merged = manual_claim(file, extractor, span, review, &[]);
    let select = merged.id.clone();
    Ok(Surgery { edit: Edit::Splice { index, removed, inserted: vec![merged] }, select })
}

/// Split claim `index` at byte `at` of the document into two manual claims; the first keeps the review.
pub fn split(file: &ReviewFile, extractor: &Extractor, index: usize, at: usize) -> Result<Surgery, SurgeryError> {
    let claim = file.claims.get(index).ok_or(SurgeryError::NoSuchClaim(index))?;
    let text = &file.document.text;
    if at <= claim.span.start || at >= claim.span.end || !text.is_char_boundary(at) {
        return Err(SurgeryError::CursorOutside);
    }
    let left = trimmed(text, Span::new(claim.span.start, at)).filter(|s| !s.is_empty());
    let right = trimmed(text, Span::new(at, claim.span.end)).filter(|s| !s.is_empty());
    let (Some(left), Some(right)) = (left, right) else { return Err(SurgeryError::EmptySide) };
    let first = manual_claim(file, extractor, left, claim.review.clone(), &[]);
    let second = manual_claim(file, extractor, right, Review::default(), &[&first.id]);
    let select = first.id.clone();
    Ok(Surgery { edit: Edit::Splice { index, removed: vec![claim.clone()], inserted: vec![first, second] }, select })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::Document;
    use crate::review::edit::History;
    use crate::review::{Status, file::validate};

    const TEXT: &str = "Sales rose 7% in 2021, the ministry said. Profits fell by $3 billion, according to the \
                        company.\nExports doubled to $9 billion in 2022, officials said.";

    fn sample() -> (ReviewFile, Extractor) {
        let ex = Extractor::default().with_threshold(0.0);
        (ReviewFile::extract(&Document::from_text("t", TEXT), &ex), ex)
    }

    #[test]
    fn a_selection_becomes_a_manual_claim_replacing_the_sentences_it_covers() {
        let (mut file, ex) = sample();
        let before = file.clone();
        let start = TEXT.find("Profits").unwrap();
        let s = add_manual(&file, &ex, Span::new(start - 1, start + "Profits fell by $3 billion".len() + 2)).unwrap();
        let mut history = History::new();
        history.apply(&mut file, s.edit).unwrap();
        let added = file.claim(&s.select).unwrap();
        assert!(added.is_manual());
        assert_eq!(added.text, "Profits fell by $3 billion,", "trimmed to its words");
        assert_eq!(validate(&file), vec![]);
        history.undo(&mut file).unwrap();
        assert_eq!(file, before);
        // Whitespace only is no selection; a reviewed claim is not replaced.
        assert_eq!(add_manual(&file, &ex, Span::new(start - 1, start)), Err(SurgeryError::EmptySelection));
        file.claims[1].review.note = "checked".into();
        let err = add_manual(&file, &ex, Span::new(start, start + 7)).unwrap_err();
        assert!(matches!(err, SurgeryError::OverlapsWork(ref e) if e.starts_with("Profits")), "{err}");
    }

    #[test]
    fn split_then_merge_gives_the_text_back_and_keeps_the_review() {
        let (mut file, ex) = sample();
        file.claims[0].review.status = Status::Verified;
        let first = file.claims[0].clone();
        let at = first.span.start + first.text.find(" in 2021").unwrap();
        let s = split(&file, &ex, 0, at).unwrap();
        s.edit.apply(&mut file).unwrap();
        assert_eq!(file.claims.len(), 4);
        assert_eq!(file.claims[0].text, "Sales rose 7%");
        assert_eq!(file.claims[0].review.status, Status::Verified, "the first part keeps the review");
        assert_eq!(file.claims[1].text, "in 2021, the ministry said.");
        assert_ne!(file.claims[0].id, file.claims[1].id);
        assert_eq!(validate(&file), vec![]);
        let m = merge_with_next(&file, &ex, 0).unwrap();
        m.edit.apply(&mut file).unwrap();
        assert_eq!(file.claim(&m.select).unwrap().text, first.text);
        assert_eq!(file.claim(&m.select).unwrap().review.status, Status::Verified);
        // The cursor outside the claim, or at its edge, splits nothing.
        assert_eq!(split(&file, &ex, 0, file.claims[0].span.start), Err(SurgeryError::CursorOutside));
        assert_eq!(split(&file, &ex, 0, 10_000), Err(SurgeryError::CursorOutside));
    }

    #[test]
    fn merging_skips_sentences_below_the_threshold_and_the_last_has_no_next() {
        let (mut file, ex) = sample();
        let last = file.claims.len() - 1;
        assert_eq!(merge_with_next(&file, &ex, last), Err(SurgeryError::NoNextClaim));
        // The middle sentence below the threshold: the first merges with the third, over it.
        file.claims[1].score = 0.0;
        file.extractor.threshold = 0.5;
        file.claims[0].score = 0.9;
        file.claims[2].score = 0.9;
        let m = merge_with_next(&file, &ex, 0).unwrap();
        let Edit::Splice { removed, inserted, .. } = &m.edit else { panic!("{:?}", m.edit) };
        assert_eq!(removed.len(), 3);
        assert_eq!(inserted[0].span, Span::new(file.claims[0].span.start, file.claims[2].span.end));
        // ... unless it carries work: then it is the next claim itself.
        file.claims[1].review.note = "keep".into();
        let m = merge_with_next(&file, &ex, 0).unwrap();
        let Edit::Splice { removed, .. } = &m.edit else { panic!() };
        assert_eq!(removed.len(), 2);
        assert_eq!(delete(&file, 99), Err(SurgeryError::NoSuchClaim(99)));
        let d = delete(&file, 0).unwrap();
        assert!(matches!(d, Edit::Splice { index: 0, ref inserted, .. } if inserted.is_empty()));
    }
}
