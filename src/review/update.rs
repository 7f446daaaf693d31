//! Carrying a review over to a changed text: re-anchoring its claims, and adding the new text's sentences.
//!
//! [`reanchor`] places each claim again by its exact text and its context (the anchor kept around it); a claim that
//! cannot be placed is kept, with its review, as detached. [`update_document`] does that and then adds the sentences
//! of the new text that no claim covers. `claimdesk update`, the window's `--review` over a review of an earlier
//! text, and [`continue_or_carry_over`] all come here.

use std::collections::HashSet;

use super::{Anchor, Claim, ClaimId, ReviewFile};
use crate::Span;
use crate::document::Document;
use crate::extract::Extractor;

/// The outcome of [`reanchor`].
#[derive(Debug, Clone, PartialEq)]
pub struct Reanchored {
    /// The review on the new text.
    pub file: ReviewFile,
    /// How many claims had to move.
    pub moved: usize,
    /// Claims that could not be placed: kept in `file.detached`.
    pub detached: Vec<ClaimId>,
}

/// Place the claims of `file` in `new_text`, the document's changed text.
///
/// A claim whose exact text is still at its offsets stays. Otherwise every occurrence of its text is a candidate; the
/// one whose context (anchor prefix and suffix) matches best wins, ties going to the one nearest the old offset. A
/// claim whose text no longer occurs is moved to `detached`, with its review, and reported. Previously detached
/// claims are tried again.
pub fn reanchor(file: &ReviewFile, new_text: &str) -> Reanchored {
    let mut out = file.clone();
    out.document.text = new_text.to_owned();
    out.document.fingerprint = crate::document::fingerprint(new_text);
    out.claims.clear();
    out.detached.clear();
    let mut moved = 0;
    let mut detached = Vec::new();
    for claim in file.claims.iter().chain(&file.detached) {
        let old_span = claim.span;
        match place(claim, new_text) {
            Some(span) => {
                if span != old_span || file.detached.contains(claim) {
                    moved += 1;
                }
                let delta = span.start as isize - old_span.start as isize;
                let mut c = claim.clone();
                c.span = span;
                c.anchor = Anchor::around(new_text, span);
                if let Some(a) = &mut c.attribution {
                    let shift =
                        |s: Span| Span::new((s.start as isize + delta) as usize, (s.end as isize + delta) as usize);
                    let (src, cue) = (shift(a.source_span), shift(a.cue_span));
                    if src.is_valid_in(new_text)
                        && cue.is_valid_in(new_text)
                        && span.contains(src)
                        && span.contains(cue)
                    {
                        a.source_span = src;
                        a.cue_span = cue;
                    } else {
                        c.attribution = None;
                    }
                }
                out.claims.push(c);
            }
            None => {
                detached.push(claim.id.clone());
                out.detached.push(claim.clone());
            }
        }
    }
    out.claims.sort_by_key(|c| (c.span.start, c.span.end));
    Reanchored { file: out, moved, detached }
}

/// The outcome of [`update_document`].
#[derive(Debug, Clone, PartialEq)]
pub struct Updated {
    /// The review on the new version of the document.
    pub file: ReviewFile,
    /// Claims that had to move (their reviews kept).
    pub moved: usize,
    /// Claims that could not be placed: kept, with their reviews, in `file.detached`.
    pub detached: Vec<ClaimId>,
    /// Sentences of the new text that no claim covered, added as unreviewed claims.
    pub added: usize,
}

/// Carry a review over to a new version of its document: [`reanchor`] the claims on `doc`'s text, take the new
/// title, path and fingerprint, then extract the new text and add the sentences no placed claim overlaps (new
/// paragraphs, rewritten sentences) as unreviewed claims; like every review file, it then keeps every sentence that
/// is not boilerplate (see [`crate::review::keeps`]), and its threshold decides which are claims.
pub fn update_document(file: &ReviewFile, doc: &Document, extractor: &Extractor) -> Updated {
    let Reanchored { file: mut out, moved, detached } = reanchor(file, &doc.text);
    out.document.title = doc.title.clone();
    if let Some(path) = &doc.path {
        out.document.path = Some(path.display().to_string());
    }
    // The placed claims are sorted by start; `reach[i]` is the furthest end among the first i + 1 of them, so a
    // sentence overlaps a claim exactly when the claims starting before it ends reach past its start.
    let starts: Vec<usize> = out.claims.iter().map(|c| c.span.start).collect();
    let reach: Vec<usize> = out
        .claims
        .iter()
        .scan(0usize, |furthest, c| {
            *furthest = (*furthest).max(c.span.end);
            Some(*furthest)
        })
        .collect();
    let overlaps = |span: Span| {
        let before_end = starts.partition_point(|&start| start < span.end);
        before_end > 0 && reach[before_end - 1] > span.start
    };
    let fresh: Vec<_> =
        extractor.sentences(&doc.text).into_iter().filter(|s| crate::review::keeps(s) && !overlaps(s.span)).collect();
    let added = fresh.len();
    let mut taken: HashSet<ClaimId> = out.claims.iter().chain(&out.detached).map(|c| c.id.clone()).collect();
    let mut new_claims = ReviewFile::new(doc, extractor.info(), &fresh).claims;
    for c in &mut new_claims {
        // An extracted claim's id comes from its text and occurrence; a new sentence repeating an old claim's text
        // would get that claim's id, so count on until the id is free.
        let mut occurrence = 1;
        while taken.contains(&c.id) {
            c.id = ClaimId::for_extracted(&c.text, occurrence);
            occurrence += 1;
        }
        taken.insert(c.id.clone());
    }
    out.claims.extend(new_claims);
    out.claims.sort_by_key(|c| (c.span.start, c.span.end));
    Updated { file: out, moved, detached, added }
}

/// What opening a document with a review file of it gives: the review continued as it is, or carried over to a new
/// version of the text.
#[derive(Debug, Clone, PartialEq)]
pub enum Continued {
    /// The review file holds a review of exactly this text.
    Same(ReviewFile),
    /// The review file holds a review of an earlier version of the text: carried over ([`update_document`]). The
    /// file on disk still holds the old review until this one is saved.
    CarriedOver(Updated),
}

impl Continued {
    /// The review to work on.
    pub fn file(&self) -> &ReviewFile {
        match self {
            Continued::Same(file) => file,
            Continued::CarriedOver(up) => &up.file,
        }
    }

    pub fn into_file(self) -> ReviewFile {
        match self {
            Continued::Same(file) => file,
            Continued::CarriedOver(up) => up.file,
        }
    }
}

/// Continue `existing`, a review loaded from a file, on `doc`: as it is when `doc` is the text it was made on, else
/// carried over to `doc`'s text with `extractor` at the review's own threshold. `claimdesk update` and the window's
/// `claimdesk DOC --review OUT.json` both decide here.
pub fn continue_or_carry_over(existing: ReviewFile, doc: &Document, extractor: &Extractor) -> Continued {
    if existing.document.fingerprint == doc.fingerprint {
        return Continued::Same(existing);
    }
    let extractor = extractor.clone().with_threshold(existing.extractor.threshold);
    Continued::CarriedOver(update_document(&existing, doc, &extractor))
}

fn place(claim: &Claim, text: &str) -> Option<Span> {
    if claim.text.is_empty() {
        return None;
    }
    if claim.span.slice(text) == Some(claim.text.as_str()) {
        return Some(claim.span);
    }
    let mut best: Option<(usize, usize, Span)> = None; // (context score, distance, span); higher score, lower distance
    for (start, _) in text.match_indices(claim.text.as_str()) {
        let span = Span::new(start, start + claim.text.len());
        let score = common_suffix(&text[..start], &claim.anchor.prefix)
            + common_prefix(&text[span.end..], &claim.anchor.suffix);
        let distance = start.abs_diff(claim.span.start);
        let better = match best {
            None => true,
            Some((s, d, _)) => score > s || (score == s && distance < d),
        };
        if better {
            best = Some((score, distance, span));
        }
    }
    best.map(|(_, _, span)| span)
}

fn common_prefix(a: &str, b: &str) -> usize {
    a.chars().zip(b.chars()).take_while(|(x, y)| x == y).count()
}

fn common_suffix(a: &str, b: &str) -> usize {
    a.chars().rev().zip(b.chars().rev()).take_while(|(x, y)| x == y).count()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::review::Status;
    use crate::review::file::validate;

    use crate::review::two_claim_sample as sample;

    #[test]
    fn a_new_version_keeps_reviews_detaches_what_is_gone_and_adds_new_sentences() {
        let mut file = sample();
        file.claims[0].review.status = Status::Verified;
        file.claims[1].review.status = Status::Disputed;
        let new_text = "A new first paragraph: exports doubled to $9 billion in 2022, officials said.\n\
                        Sales rose 7% in 2021, the ministry said.\n\
                        Profits fell by $4 billion, according to the company.";
        let doc = Document::from_text("t2", new_text);
        let up = update_document(&file, &doc, &Extractor::default());
        assert_eq!(validate(&up.file), vec![]);
        assert_eq!(up.file.document.fingerprint, crate::document::fingerprint(new_text));
        assert_eq!(up.file.document.title, "t2");
        // The unchanged claim moved with its review; the rewritten one is kept, detached, with its review.
        assert_eq!(up.moved, 1);
        let kept = up.file.claim(&file.claims[0].id).expect("the unchanged claim is placed");
        assert_eq!(kept.review.status, Status::Verified);
        assert_eq!(&new_text[kept.span.range()], file.claims[0].text);
        assert_eq!(up.detached, vec![file.claims[1].id.clone()]);
        assert_eq!(up.file.detached[0].review.status, Status::Disputed);
        // The new first sentence and the rewritten one are new, unreviewed claims.
        assert_eq!(up.added, 2);
        let texts: Vec<&str> = up.file.claims.iter().map(|c| c.text.as_str()).collect();
        assert!(texts[0].starts_with("A new first paragraph"), "{texts:?}");
        assert!(texts.contains(&"Profits fell by $4 billion, according to the company."), "{texts:?}");
        // Carrying it over again changes nothing.
        let again = update_document(&up.file, &doc, &Extractor::default());
        assert_eq!((again.moved, again.added), (0, 0));
        assert_eq!(again.file.claims, up.file.claims);
    }

    #[test]
    fn reanchor_moves_claims_and_detaches_lost_ones() {
        let file = sample();
        let first = file.claims[0].text.clone();
        let new_text =
            format!("A new opening line.\n{}", file.document.text.replacen(&file.claims[1].text, "Gone.", 1));
        let r = reanchor(&file, &new_text);
        assert_eq!(r.detached, vec![file.claims[1].id.clone()]);
        assert_eq!(r.file.detached.len(), 1);
        let placed = r.file.claims.iter().find(|c| c.text == first).unwrap();
        assert_eq!(placed.span.slice(&new_text), Some(first.as_str()));
        assert_eq!(validate(&r.file), vec![]);
    }
}
