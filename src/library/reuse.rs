//! Reusing an earlier fact-check of the library for a claim in front of a reviewer.
//!
//! [`status_for`] reads an entry's verdict as a ClaimDesk status: a ClaimDesk verdict as it is, a publisher's rating
//! by what it says ("False", "Pants on fire" are disputed; "True", "Mostly true" verified); a rating that says
//! neither ("Mixture", "Unproven") is `None`, and the reviewer is asked. [`reused_review`] is the review a reuse
//! gives: that status, the reviewer's own note kept with the earlier one appended, the earlier sources added, and
//! the entry it was based on recorded ([`LibraryRef`]). [`differences`] marks what differs between two claims'
//! words (numbers and years, names, negation), so a reviewer sees at a glance whether an earlier check is about the
//! same thing.

use super::Entry;
use crate::Span;
use crate::review::{EvidenceSource, LibraryRef, Review, Status};

/// The library entry as a review file refers to it.
pub fn library_ref(entry: &Entry) -> LibraryRef {
    let name = match (&entry.source.document_title, &entry.source.reviewer) {
        (Some(title), Some(reviewer)) if !reviewer.is_empty() => format!("{title} ({reviewer})"),
        (Some(title), _) => title.clone(),
        _ => entry.source.name.clone(),
    };
    LibraryRef {
        source: entry.source.key.clone(),
        id: entry.record.id.clone(),
        name: Some(name),
        url: entry.record.url.clone(),
        claim: Some(entry.record.claim.clone()),
        verdict: entry.record.verdict.clone(),
    }
}

/// Ratings that say a claim is false or misleading, as publishers write them (lowercase, compared word for word).
const FALSE_LIKE: &[&str] = &[
    "false",
    "mostly false",
    "pants on fire",
    "pants on fire!",
    "incorrect",
    "wrong",
    "fake",
    "misleading",
    "inaccurate",
    "not true",
    "untrue",
    "fabricated",
    "four pinocchios",
    "three pinocchios",
    "disputed",
    "debunked",
    "scam",
    "miscaptioned",
    "misattributed",
    "false context",
    "altered",
    "distorts the facts",
];

/// Ratings that say a claim is true.
const TRUE_LIKE: &[&str] =
    &["true", "mostly true", "correct", "accurate", "verified", "confirmed", "geppetto checkmark", "legit"];

/// The status an entry's verdict reads as; `None` when it says neither true nor false (or there is none).
pub fn status_for(entry: &Entry) -> Option<Status> {
    if let Some(status) = entry.record.status.filter(|s| *s != Status::Unreviewed) {
        return Some(status);
    }
    let rating = entry.record.verdict.as_deref()?;
    status_for_rating(rating)
}

/// A publisher's rating as a status: false-like ratings are disputed, true-like verified, anything else `None`.
pub fn status_for_rating(rating: &str) -> Option<Status> {
    let words: String = rating
        .to_lowercase()
        .chars()
        .map(|c| if c.is_alphanumeric() || c == '!' { c } else { ' ' })
        .collect::<String>()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    if let Some(status) = Status::parse(&words).filter(|s| *s != Status::Unreviewed) {
        return Some(status);
    }
    if FALSE_LIKE.contains(&words.as_str()) {
        Some(Status::Disputed)
    } else if TRUE_LIKE.contains(&words.as_str()) {
        Some(Status::Verified)
    } else {
        None
    }
}

/// The review a claim gets when the reviewer reuses `entry` with `status`: the note they wrote is kept and the
/// earlier one appended (with where it came from), the earlier sources and the fact-check's URL are added (once
/// each), and the entry is recorded as what the verdict was based on. The caller sets who and when.
pub fn reused_review(current: &Review, entry: &Entry, status: Status) -> Review {
    let reference = library_ref(entry);
    let mut review = current.clone();
    review.status = status;
    let earlier = entry.record.note.trim();
    let from = reference.name.clone().unwrap_or_else(|| entry.source.name.clone());
    let rating = entry.record.verdict.as_deref().map(|v| format!(" ({v})")).unwrap_or_default();
    let appended = if earlier.is_empty() {
        format!("Checked before: {from}{rating}.")
    } else {
        format!("Checked before: {from}{rating}: {earlier}")
    };
    if !review.note.contains(&appended) {
        if !review.note.trim().is_empty() {
            review.note.push_str("\n\n");
        }
        review.note.push_str(&appended);
    }
    let mut add = |reference: &str| {
        let reference = reference.trim();
        if !reference.is_empty() && !review.sources.iter().any(|s| s.reference.trim() == reference) {
            review.sources.push(EvidenceSource { reference: reference.to_owned(), ..EvidenceSource::default() });
        }
    };
    if let Some(url) = &entry.record.url {
        add(url);
    }
    for source in &entry.record.sources {
        add(source);
    }
    review.based_on = Some(Box::new(reference));
    review
}

/// The words of `earlier` that differ from `this` claim in what matters for a fact: numbers and years, names
/// (capitalised words), and negation. Spans are byte ranges of `earlier`.
pub fn differences(this: &str, earlier: &str) -> Vec<Span> {
    let key = |w: &str| w.trim_matches(|c: char| !c.is_alphanumeric()).to_lowercase();
    let ours: std::collections::HashSet<String> = words(this).map(|(_, w)| key(w)).collect();
    let negated = |text: &str| words(text).any(|(_, w)| NEGATIONS.contains(&key(w).as_str()));
    let negation_differs = negated(this) != negated(earlier);
    let mut out = Vec::new();
    for (i, (start, w)) in words(earlier).enumerate() {
        let k = key(w);
        if k.is_empty() {
            continue;
        }
        let number = k.chars().any(|c| c.is_ascii_digit());
        // A capitalised word: a name ("South", "Korea", "Biden"), unless it is a common word opening the sentence.
        let capital = w.chars().find(|c| c.is_alphanumeric()).is_some_and(char::is_uppercase);
        let name = capital && (i > 0 || !OPENERS.contains(&k.as_str()));
        let negation = NEGATIONS.contains(&k.as_str());
        let matters = number || name || (negation && negation_differs);
        if matters && (!ours.contains(&k) || negation) {
            let lead = w.len() - w.trim_start_matches(|c: char| !c.is_alphanumeric()).len();
            let core = w.trim_matches(|c: char| !c.is_alphanumeric());
            out.push(Span::new(start + lead, start + lead + core.len()));
        }
    }
    out
}

/// Words that open many sentences, capitalised there only for that.
const OPENERS: &[&str] = &[
    "the", "a", "an", "in", "on", "at", "this", "that", "these", "those", "there", "it", "he", "she", "they", "we",
    "i", "you", "our", "his", "her", "their", "its", "my", "as", "for", "by", "with", "from", "after", "before",
    "since", "when", "if", "more", "most", "some", "all", "no", "not", "one", "two", "three", "every", "each", "about",
];

const NEGATIONS: &[&str] =
    &["not", "no", "never", "none", "nobody", "nothing", "neither", "nor", "isn", "wasn", "didn"];

/// The whitespace-separated words of `text` with their byte offsets.
fn words(text: &str) -> impl Iterator<Item = (usize, &str)> {
    text.split_whitespace().map(move |w| (w.as_ptr() as usize - text.as_ptr() as usize, w))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::library::{Record, SourceInfo, SourceKind};

    fn entry(verdict: Option<&str>, status: Option<Status>, note: &str) -> Entry {
        Entry {
            key: 1,
            source: SourceInfo {
                key: "file:/feeds/snopes.tsv".into(),
                kind: SourceKind::Feed,
                name: "snopes.tsv".into(),
                format: "tsv".into(),
                path: None,
                document_title: None,
                fingerprint: None,
                reviewer: None,
            },
            record: Record {
                id: "812".into(),
                claim: "North Korea fired three missiles in 2019.".into(),
                verdict: verdict.map(str::to_owned),
                status,
                note: note.into(),
                sources: vec!["https://example.org/kcna".into()],
                url: Some("https://example.org/fact-check/812".into()),
                ..Record::default()
            },
        }
    }

    #[test]
    fn ratings_read_as_statuses_or_ask() {
        for (rating, status) in [
            ("False", Some(Status::Disputed)),
            ("Mostly False", Some(Status::Disputed)),
            ("Pants on Fire!", Some(Status::Disputed)),
            ("misleading", Some(Status::Disputed)),
            ("TRUE", Some(Status::Verified)),
            ("Mostly true", Some(Status::Verified)),
            ("verified", Some(Status::Verified)),
            ("unsourced", Some(Status::Unsourced)),
            ("Mixture", None),
            ("Unproven", None),
            ("Half True", None),
            ("unreviewed", None),
        ] {
            assert_eq!(status_for_rating(rating), status, "{rating}");
        }
        // A ClaimDesk verdict is taken as it is.
        assert_eq!(status_for(&entry(Some("whatever"), Some(Status::Unsourced), "")), Some(Status::Unsourced));
        assert_eq!(status_for(&entry(None, None, "")), None);
    }

    #[test]
    fn a_reuse_keeps_the_reviewers_note_appends_the_earlier_one_and_records_the_entry() {
        let e = entry(Some("False"), None, "KCNA reported two launches, not three.");
        let mut current = Review { note: "Asked the ministry.".into(), ..Review::default() };
        current.sources.push(EvidenceSource { reference: "https://example.org/kcna".into(), ..Default::default() });
        let r = reused_review(&current, &e, Status::Disputed);
        assert_eq!(r.status, Status::Disputed);
        assert_eq!(
            r.note,
            "Asked the ministry.\n\nChecked before: snopes.tsv (False): KCNA reported two launches, not three."
        );
        let refs: Vec<&str> = r.sources.iter().map(|s| s.reference.as_str()).collect();
        assert_eq!(refs, ["https://example.org/kcna", "https://example.org/fact-check/812"], "each source once");
        let based = r.based_on.as_deref().unwrap();
        assert_eq!((based.id.as_str(), based.url.as_deref()), ("812", Some("https://example.org/fact-check/812")));
        // Reusing the same entry again adds nothing twice.
        let again = reused_review(&r, &e, Status::Disputed);
        assert_eq!((again.note, again.sources), (r.note, r.sources));
    }

    #[test]
    fn differences_mark_numbers_names_and_negation() {
        let earlier = "North Korea fired three missiles in 2019.";
        let marked = |this: &str| -> Vec<String> {
            differences(this, earlier).into_iter().map(|s| earlier[s.range()].to_owned()).collect()
        };
        assert_eq!(marked("North Korea fired three missiles in 2019."), Vec::<String>::new());
        assert_eq!(marked("South Korea fired three missiles in 2019."), ["North"]);
        assert_eq!(marked("North Korea fired three missiles in 2021."), ["2019"]);
        let earlier = "Poverty is not rising in Ohio.";
        let marked: Vec<&str> =
            differences("Poverty is rising in Ohio.", earlier).into_iter().map(|s| &earlier[s.range()]).collect();
        assert_eq!(marked, ["not"]);
    }
}
