//! Checking a parsed review file for what its types cannot say: the format name and version, the fingerprint
//! against the text, every span in bounds and on char boundaries, each claim's text against the document slice,
//! unique ids, scores and thresholds in [0, 1], dates that parse. Every problem is reported, not just the first.

use std::collections::HashSet;

use super::{FORMAT_NAME, FORMAT_VERSION, MAX_SPEAKER_CHARS, Problem, clip};
use crate::Span;
use crate::review::{Claim, ClaimId, Review, ReviewFile};

/// Every problem with a parsed review file; empty when it is valid.
pub fn validate(file: &ReviewFile) -> Vec<Problem> {
    let mut problems = Vec::new();
    if file.format != FORMAT_NAME {
        problems.push(Problem::new("format", format!("expected \"{FORMAT_NAME}\", found \"{}\"", clip(&file.format))));
    }
    if file.version == 0 || file.version > FORMAT_VERSION {
        problems.push(Problem::new(
            "version",
            format!("{} is not supported (this ClaimDesk reads versions 1 to {FORMAT_VERSION})", file.version),
        ));
    }
    let text = &file.document.text;
    let actual = crate::document::fingerprint(text);
    if file.document.fingerprint != actual {
        problems.push(Problem::new(
            "document.fingerprint",
            format!("does not match the document's text (the text's SHA-256 is {actual})"),
        ));
    }
    let t = file.extractor.threshold;
    if !(0.0..=1.0).contains(&t) {
        problems.push(Problem::new("extractor.threshold", format!("{t} is outside 0 to 1")));
    }
    let mut ids: HashSet<&ClaimId> = HashSet::with_capacity(file.claims.len() + file.detached.len());
    for (i, claim) in file.claims.iter().enumerate() {
        // Field paths are written out only for a problem: a good file of 20,000 claims allocates none of them.
        let at = || format!("claims[{i}]");
        check_claim(claim, text, &at, true, &mut problems);
        if !ids.insert(&claim.id) {
            problems.push(Problem::new(format!("{}.id", at()), format!("duplicate id {}", clip(&claim.id.0))));
        }
    }
    for (i, claim) in file.detached.iter().enumerate() {
        let at = || format!("detached[{i}]");
        // Detached claims could not be placed in this text: their spans refer to the old one and are not checked.
        check_claim(claim, text, &at, false, &mut problems);
        if !ids.insert(&claim.id) {
            problems.push(Problem::new(format!("{}.id", at()), format!("duplicate id {}", clip(&claim.id.0))));
        }
    }
    problems
}

/// The path of a field, made only when a problem names it.
type At<'a> = &'a dyn Fn() -> String;

fn check_claim(claim: &Claim, text: &str, at: At<'_>, placed: bool, problems: &mut Vec<Problem>) {
    if claim.id.0.trim().is_empty() {
        problems.push(Problem::new(format!("{}.id", at()), "is empty"));
    }
    if claim.origin.is_unstated() {
        problems.push(Problem::new(format!("{}.origin", at()), "missing (a version 1 file states every origin)"));
    }
    if !claim.score.is_finite() || !(0.0..=1.0).contains(&claim.score) {
        problems.push(Problem::new(format!("{}.score", at()), format!("{} is outside 0 to 1", claim.score)));
    }
    if placed {
        check_span(claim.span, text, &|| format!("{}.span", at()), problems);
        if let Some(slice) = claim.span.slice(text) {
            if slice != claim.text {
                problems.push(Problem::new(
                    format!("{}.text", at()),
                    format!("is not the document's text at {} (\"{}\")", claim.span, clip(slice)),
                ));
            }
            if claim.span.is_empty() {
                problems.push(Problem::new(format!("{}.span", at()), "is empty"));
            }
        }
        if let Some(a) = &claim.attribution {
            check_span(a.source_span, text, &|| format!("{}.attribution.source_span", at()), problems);
            check_span(a.cue_span, text, &|| format!("{}.attribution.cue_span", at()), problems);
        }
    }
    if let Some(speaker) = &claim.speaker {
        let name = speaker.name.trim();
        if name.is_empty() {
            problems.push(Problem::new(format!("{}.speaker.name", at()), "is empty"));
        } else if name.chars().count() > MAX_SPEAKER_CHARS || name.contains(['\n', '\r']) {
            problems.push(Problem::new(
                format!("{}.speaker.name", at()),
                format!(
                    "\"{}\" is not a speaker's name (one line of at most {MAX_SPEAKER_CHARS} characters)",
                    clip(name)
                ),
            ));
        }
    }
    check_review(&claim.review, &|| format!("{}.review", at()), problems);
    for (v, verdict) in claim.review.verdicts.iter().enumerate() {
        check_review(&verdict.review, &|| format!("{}.review.verdicts[{v}].review", at()), problems);
    }
}

fn check_span(span: Span, text: &str, at: At<'_>, problems: &mut Vec<Problem>) {
    if span.start > span.end {
        problems.push(Problem::new(at(), format!("start {} is after end {}", span.start, span.end)));
    } else if span.end > text.len() {
        problems.push(Problem::new(
            format!("{}.end", at()),
            format!("{} is past the end of the document ({} bytes)", span.end, text.len()),
        ));
    } else {
        for (name, offset) in [("start", span.start), ("end", span.end)] {
            if !text.is_char_boundary(offset) {
                problems.push(Problem::new(format!("{}.{name}", at()), format!("{offset} is inside a character")));
            }
        }
    }
}

fn check_review(review: &Review, at: At<'_>, problems: &mut Vec<Problem>) {
    use time::format_description::well_known::Rfc3339;
    if let Some(changed) = &review.changed
        && time::OffsetDateTime::parse(changed, &Rfc3339).is_err()
    {
        problems
            .push(Problem::new(format!("{}.changed", at()), format!("\"{}\" is not an RFC 3339 time", clip(changed))));
    }
    for (s, source) in review.sources.iter().enumerate() {
        if let Some(accessed) = &source.accessed
            && !is_date(accessed)
        {
            problems.push(Problem::new(
                format!("{}.sources[{s}].accessed", at()),
                format!("\"{}\" is not a YYYY-MM-DD date", clip(accessed)),
            ));
        }
    }
}

/// Whether `s` is a calendar date `YYYY-MM-DD`.
pub fn is_date(s: &str) -> bool {
    let format = time::macros::format_description!("[year]-[month]-[day]");
    time::Date::parse(s, &format).is_ok()
}
