//! The review model: claims, their reviews, and the review file that holds them.
//!
//! - [`Claim`]: a span of the document with its id, text, anchor, score, kinds, attribution, origin and [`Review`].
//! - [`ReviewFile`]: the self-contained JSON file (document text and fingerprint, extractor, claims with reviews);
//!   [`file`] loads (validating every field), saves (atomically) and re-anchors it.
//! - [`edit`]: every change a reviewer makes, as an invertible [`edit::Edit`], and the undo [`edit::History`].

pub mod disk;
pub mod edit;
pub mod file;
pub mod surgery;
pub mod update;

use serde::{Deserialize, Serialize};

use crate::Span;
use crate::document::Document;
use crate::extract::{Attribution, ClaimKind, Extractor, ExtractorInfo, Role, Sentence, Speaker};

pub use file::{BASE_VERSION, FORMAT_NAME, FORMAT_VERSION, ReviewError};

/// How many characters of context an anchor keeps on each side of a claim.
pub const ANCHOR_CONTEXT_CHARS: usize = 32;

/// A claim's stable id: the same text of the same document always gives the same id.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct ClaimId(pub String);

impl ClaimId {
    /// The id of an extracted claim: a hash of its text and of how many times the same text occurs before it, so ids
    /// stay the same when unrelated parts of the document change.
    pub fn for_extracted(text: &str, occurrence: usize) -> Self {
        Self(format!("c-{}", short_hash(&format!("{occurrence}\u{0}{text}"))))
    }

    /// The id of a manual claim, made unique against `taken`.
    pub fn for_manual(text: &str, span: Span, taken: impl Fn(&ClaimId) -> bool) -> Self {
        let mut salt = 0u32;
        loop {
            let id = Self(format!("m-{}", short_hash(&format!("{}:{}:{salt}\u{0}{text}", span.start, span.end))));
            if !taken(&id) {
                return id;
            }
            salt += 1;
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Display for ClaimId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

fn short_hash(s: &str) -> String {
    crate::document::fingerprint(s)[..12].to_owned()
}

/// A reviewer's verdict on a claim.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    #[default]
    Unreviewed,
    Verified,
    Disputed,
    Unsourced,
}

impl Status {
    pub const ALL: [Status; 4] = [Status::Unreviewed, Status::Verified, Status::Disputed, Status::Unsourced];

    pub fn as_str(self) -> &'static str {
        match self {
            Status::Unreviewed => "unreviewed",
            Status::Verified => "verified",
            Status::Disputed => "disputed",
            Status::Unsourced => "unsourced",
        }
    }

    /// The label shown to people ("Verified").
    pub fn label(self) -> &'static str {
        match self {
            Status::Unreviewed => "Unreviewed",
            Status::Verified => "Verified",
            Status::Disputed => "Disputed",
            Status::Unsourced => "Unsourced",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

impl std::fmt::Display for Status {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Evidence for a verdict: a URL or a citation, an optional quoted passage, an optional access date.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EvidenceSource {
    /// A URL or a citation ("Defense Ministry annual report 2021, p. 14").
    pub reference: String,
    /// The passage of the source that bears on the claim.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub quote: String,
    /// When the source was read, `YYYY-MM-DD`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub accessed: Option<String>,
}

/// A reviewer's review of one claim.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Review {
    pub status: Status,
    #[serde(default)]
    pub note: String,
    #[serde(default)]
    pub sources: Vec<EvidenceSource>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reviewer: Option<String>,
    /// The last change, RFC 3339.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub changed: Option<String>,
    /// Provenance of a merged review: every reviewer's own verdict on this claim, as `claimdesk merge` found them.
    /// Empty (and absent from the file) for a review made directly.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub verdicts: Vec<Verdict>,
    /// Who settled a disagreement between reviewers by taking this verdict, and whose verdict it was (format
    /// version 3).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub settled: Option<Settlement>,
    /// The earlier fact-check of the claim library this verdict was based on (reused with `u`; format version 3).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub based_on: Option<Box<LibraryRef>>,
}

/// An entry of the claim library as a review file refers to it: the earlier fact-check a verdict was based on, or a
/// match a reviewer dismissed for a claim. Kept whole enough to say what it was (and to link to it) without the
/// library.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LibraryRef {
    /// The entry's source in the library (a feed, or one reviewer's verdicts on a document), by its key.
    pub source: String,
    /// The id the source gives the entry, as written.
    pub id: String,
    /// The source's name, as people see it ("snopes.tsv", "Budget speech (Alice)").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// The fact-check's own URL, when it has one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// The earlier claim, as the library holds it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub claim: Option<String>,
    /// The earlier verdict or rating, as written ("disputed", "Mostly false").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub verdict: Option<String>,
}

impl LibraryRef {
    /// Whether `other` names the same library entry.
    pub fn same_entry(&self, other: &LibraryRef) -> bool {
        self.source == other.source && self.id == other.id
    }

    /// How an export names it: its URL, else its source and id.
    pub fn cite(&self) -> String {
        match &self.url {
            Some(url) => url.clone(),
            None => format!("{} #{}", self.name.as_deref().unwrap_or(&self.source), self.id),
        }
    }
}

/// How a disagreement between reviewers was settled: recorded with the verdict taken.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Settlement {
    /// The reviewer who settled it (the desk's reviewer name when they did).
    pub by: String,
    /// Whose verdict was taken; absent when the one who settled wrote a verdict of their own.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub verdict_of: Option<String>,
}

/// One reviewer's verdict on a claim, kept in a merged review file as provenance.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Verdict {
    /// Who gave it: the reviewer's name, else the name of the file it came from.
    pub reviewer: String,
    /// The review file it came from, as given to `claimdesk merge`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub file: Option<String>,
    /// The reviewer's review as it was in that file (its own `verdicts` are always empty).
    pub review: Review,
}

impl Review {
    pub fn is_reviewed(&self) -> bool {
        self.status != Status::Unreviewed
    }

    /// Whether a reviewer put anything here: a status, a note, a source, or other reviewers' verdicts. A claim with
    /// review content is always a claim, whatever its score (see [`Claim::is_claim`]).
    pub fn has_content(&self) -> bool {
        self.is_reviewed() || !self.note.trim().is_empty() || !self.sources.is_empty() || !self.verdicts.is_empty()
    }
}

/// Where a claim came from. In the file: `{"kind":"extractor","name":…,"version":…}` or `{"kind":"manual"}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "lowercase")]
pub enum Origin {
    /// Found by an extractor.
    Extractor { name: String, version: String },
    /// Marked by a reviewer.
    Manual,
}

impl Origin {
    /// What a claim read without an origin holds until [`file::parse`] fills in the file's extractor (a claim in a
    /// version 1 file, where the origin is required, keeps it and fails validation).
    pub(crate) fn unstated() -> Self {
        Origin::Extractor { name: String::new(), version: String::new() }
    }

    pub(crate) fn is_unstated(&self) -> bool {
        matches!(self, Origin::Extractor { name, version } if name.is_empty() && version.is_empty())
    }
}

/// Read through a plain struct rather than serde's internally tagged enum, which buffers every origin (one per claim)
/// before it knows the variant: a third of the time of reading a claim went there.
impl<'de> Deserialize<'de> for Origin {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        use serde::de::Error;
        #[derive(Deserialize)]
        #[serde(rename_all = "lowercase")]
        enum Kind {
            Extractor,
            Manual,
        }
        #[derive(Deserialize)]
        #[serde(deny_unknown_fields)]
        struct Fields {
            kind: Kind,
            name: Option<String>,
            version: Option<String>,
        }
        let fields = Fields::deserialize(deserializer)?;
        match fields.kind {
            Kind::Extractor => {
                let name = fields.name.ok_or_else(|| D::Error::missing_field("name"))?;
                if name.is_empty() {
                    return Err(D::Error::invalid_value(serde::de::Unexpected::Str(""), &"an extractor's name"));
                }
                Ok(Origin::Extractor {
                    name,
                    version: fields.version.ok_or_else(|| D::Error::missing_field("version"))?,
                })
            }
            Kind::Manual if fields.name.is_some() => Err(D::Error::unknown_field("name", &["kind"])),
            Kind::Manual if fields.version.is_some() => Err(D::Error::unknown_field("version", &["kind"])),
            Kind::Manual => Ok(Origin::Manual),
        }
    }
}

/// Context kept around a claim so it can be found again when the document's text changes (like the W3C Web
/// Annotation TextQuoteSelector: the claim's own text is the exact part).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Anchor {
    /// Up to [`ANCHOR_CONTEXT_CHARS`] characters just before the claim.
    pub prefix: String,
    /// Up to [`ANCHOR_CONTEXT_CHARS`] characters just after the claim.
    pub suffix: String,
}

impl Anchor {
    /// The context around `span` in `text`.
    pub fn around(text: &str, span: Span) -> Self {
        let before = &text[..span.start];
        let prefix_start = before.char_indices().rev().nth(ANCHOR_CONTEXT_CHARS - 1).map(|(i, _)| i).unwrap_or(0);
        let after = &text[span.end..];
        let suffix_end = after.char_indices().nth(ANCHOR_CONTEXT_CHARS).map(|(i, _)| i).unwrap_or(after.len());
        Self { prefix: before[prefix_start..].to_owned(), suffix: after[..suffix_end].to_owned() }
    }
}

/// A claim in a document, with its review. Its derived `Serialize` states every field; the review file leaves out
/// what a reader takes for granted, through its own writer (`file::AsWritten`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Claim {
    pub id: ClaimId,
    /// Byte range in the document's text.
    pub span: Span,
    /// Exactly the document's text at `span`.
    pub text: String,
    pub anchor: Anchor,
    /// Check-worthiness in [0, 1] (manual claims: the score the scorer gives their text).
    pub score: f32,
    /// Absent in a review file when there are none.
    #[serde(default)]
    pub kinds: Vec<ClaimKind>,
    /// Absent in a review file when the text credits no one.
    #[serde(default)]
    pub attribution: Option<Attribution>,
    /// Who says it, in a transcript (format version 3): the claim is credited to its speaker, and also to the
    /// `attribution` when its own words credit someone else ("as the CBO said"). Absent elsewhere.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub speaker: Option<Speaker>,
    /// Absent in a review file (format version 2 on) when the claim was found by the file's own extractor.
    #[serde(default = "Origin::unstated")]
    pub origin: Origin,
    /// Library matches the reviewer dismissed as wrong for this claim: never offered for it again (format version 3).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub dismissed: Vec<LibraryRef>,
    /// Absent in a review file while the claim is unreviewed and has no note or sources.
    #[serde(default)]
    pub review: Review,
}

impl Claim {
    pub fn is_manual(&self) -> bool {
        self.origin == Origin::Manual
    }

    /// Whether this is one of *the claims* at `threshold`: scored at or above it, or carrying review content, or
    /// made by hand. A review file keeps every sentence of its document that is not boilerplate, each with its score,
    /// so the threshold can be moved both ways; this is the one definition of which of them are claims, used by the
    /// window's list and highlights, the counts, the exports and `extract --format tsv`.
    pub fn is_claim(&self, threshold: f32) -> bool {
        self.score >= threshold || self.is_manual() || self.review.has_content()
    }

    /// The source the claim's text credits, if any.
    pub fn source(&self) -> Option<&str> {
        self.attribution.as_ref().map(|a| a.source.as_str())
    }

    /// Who says the claim, in a transcript.
    pub fn speaker_name(&self) -> Option<&str> {
        self.speaker.as_ref().map(|s| s.name.as_str())
    }

    /// Whom the claim is credited to, as one line for a list: the speaker, and the source their words credit when
    /// there is one ("Joe Biden, citing the CBO"); either alone when only one is known.
    pub fn credited(&self) -> Option<String> {
        match (self.speaker_name(), self.source()) {
            (Some(speaker), Some(source)) => Some(format!("{speaker}, citing {source}")),
            (Some(one), None) | (None, Some(one)) => Some(one.to_owned()),
            (None, None) => None,
        }
    }
}

/// The document a review is about, stored whole so the file is self-contained.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DocumentInfo {
    pub title: String,
    /// Where the document was imported from, as given.
    #[serde(default)]
    pub path: Option<String>,
    /// SHA-256 of `text`, lowercase hex.
    pub fingerprint: String,
    pub text: String,
}

/// Publication details used by exports (schema.org ClaimReview): asked once, kept in the review file.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Publication {
    /// The fact-check's own URL.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fact_check_url: Option<String>,
    /// The reviewing organisation.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub organisation: Option<String>,
    /// The reviewed article's URL.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub article_url: Option<String>,
    /// When the article was published, `YYYY-MM-DD` or RFC 3339.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub article_published: Option<String>,
}

impl Publication {
    pub fn is_empty(&self) -> bool {
        *self == Self::default()
    }
}

/// A review file: a document, the extractor that found its claims, and the claims with their reviews.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReviewFile {
    /// Always [`FORMAT_NAME`].
    pub format: String,
    /// The format version the file was read as: 1 or 2 ([`BASE_VERSION`]; a version 3 file is held as 2, since the
    /// writer decides from what a file uses whether it needs version 3: `file::version_to_write`).
    pub version: u32,
    pub document: DocumentInfo,
    pub extractor: ExtractorInfo,
    #[serde(default, skip_serializing_if = "Publication::is_empty")]
    pub publication: Publication,
    /// Claims in document order.
    pub claims: Vec<Claim>,
    /// Claims that could not be placed in the current text after it changed: kept, reported, never dropped.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub detached: Vec<Claim>,
}

impl ReviewFile {
    /// A new review of `doc` by `extractor`: every sentence that is not boilerplate (see [`keeps`]), unreviewed,
    /// with its score, and the extractor's threshold, which decides which of them are claims
    /// ([`Claim::is_claim`]). `claimdesk extract -o`, batch extraction and the window all make review files here.
    pub fn extract(doc: &Document, extractor: &Extractor) -> Self {
        Self::extract_with_progress(doc, extractor, &mut |_| true)
    }

    /// [`ReviewFile::extract`], calling `progress(bytes_done)` now and then (see
    /// [`Extractor::sentences_with_progress`]).
    pub fn extract_with_progress(
        doc: &Document,
        extractor: &Extractor,
        progress: &mut dyn FnMut(usize) -> bool,
    ) -> Self {
        let sentences: Vec<Sentence> =
            extractor.sentences_with_progress(&doc.text, progress).into_iter().filter(keeps).collect();
        Self::new(doc, extractor.info(), &sentences)
    }

    /// Whether `claim` is a claim at this file's threshold ([`Claim::is_claim`]).
    pub fn is_claim(&self, claim: &Claim) -> bool {
        claim.is_claim(self.extractor.threshold)
    }

    /// The claims at this file's threshold, in file order.
    pub fn claims_at_threshold(&self) -> impl Iterator<Item = &Claim> {
        self.claims.iter().filter(|c| self.is_claim(c))
    }

    /// A new review of `doc` holding `sentences` as unreviewed claims.
    pub fn new(doc: &Document, extractor: ExtractorInfo, sentences: &[Sentence]) -> Self {
        let origin = Origin::Extractor { name: extractor.name.clone(), version: extractor.version.clone() };
        let mut seen: std::collections::HashMap<&str, usize> = std::collections::HashMap::new();
        let claims = sentences
            .iter()
            .map(|s| {
                let text = &doc.text[s.span.range()];
                let occurrence = seen.entry(text).or_insert(0);
                let id = ClaimId::for_extracted(text, *occurrence);
                *occurrence += 1;
                Claim {
                    id,
                    span: s.span,
                    text: text.to_owned(),
                    anchor: Anchor::around(&doc.text, s.span),
                    score: s.score,
                    kinds: s.kinds.clone(),
                    attribution: s.attribution.clone(),
                    speaker: s.speaker.clone(),
                    origin: origin.clone(),
                    dismissed: Vec::new(),
                    review: Review::default(),
                }
            })
            .collect();
        Self {
            format: FORMAT_NAME.to_owned(),
            version: BASE_VERSION,
            document: DocumentInfo {
                title: doc.title.clone(),
                path: doc.path.as_ref().map(|p| p.display().to_string()),
                fingerprint: doc.fingerprint.clone(),
                text: doc.text.clone(),
            },
            extractor,
            publication: Publication::default(),
            claims,
            detached: Vec::new(),
        }
    }

    pub fn claim(&self, id: &ClaimId) -> Option<&Claim> {
        self.claims.iter().find(|c| &c.id == id)
    }

    pub fn claim_mut(&mut self, id: &ClaimId) -> Option<&mut Claim> {
        self.claims.iter_mut().find(|c| &c.id == id)
    }

    pub fn index_of(&self, id: &ClaimId) -> Option<usize> {
        self.claims.iter().position(|c| &c.id == id)
    }

    /// How many claims (at the file's threshold: [`ReviewFile::is_claim`]) have each status, in [`Status::ALL`]
    /// order.
    pub fn counts(&self) -> [usize; 4] {
        let mut counts = [0; 4];
        for c in self.claims_at_threshold() {
            counts[c.review.status as usize] += 1;
        }
        counts
    }

    /// How many claims have a status other than unreviewed.
    pub fn reviewed(&self) -> usize {
        self.claims.iter().filter(|c| c.review.is_reviewed()).count()
    }

    /// The speakers the claims are credited to, in order of first appearance, each with how many claims (at any
    /// score) it speaks: empty unless the document is a transcript. For a speaker filter.
    pub fn speakers(&self) -> Vec<(Speaker, usize)> {
        let mut out: Vec<(Speaker, usize)> = Vec::new();
        for s in self.claims.iter().filter_map(|c| c.speaker.as_ref()) {
            match out.iter_mut().find(|(known, _)| known == s) {
                Some((_, n)) => *n += 1,
                None => out.push((s.clone(), 1)),
            }
        }
        out
    }

    /// Whether the document is a transcript: some claim has a speaker.
    pub fn is_transcript(&self) -> bool {
        self.claims.iter().any(|c| c.speaker.is_some())
    }
}

/// Whether `claim` is said by a speaker named `name` (a speaker filter's test).
pub fn said_by(claim: &Claim, name: &str) -> bool {
    claim.speaker_name() == Some(name)
}

/// Whether `claim` is said by someone in `role` (e.g. hide the moderators' questions).
pub fn said_in_role(claim: &Claim, role: Role) -> bool {
    claim.speaker.as_ref().is_some_and(|s| s.role == role)
}

/// Whether a review file keeps `sentence`: every sentence but boilerplate (follow-us prompts, bylines, credits),
/// which is never a claim and never enters a review file.
pub fn keeps(sentence: &Sentence) -> bool {
    !sentence.boilerplate
}

/// A review of two attributed statistics, one per line, for the review modules' unit tests.
#[cfg(test)]
pub(crate) fn two_claim_sample() -> ReviewFile {
    let doc = Document::from_text(
        "t",
        "Sales rose 7% in 2021, the ministry said.\nProfits fell by $3 billion, according to the company.",
    );
    ReviewFile::extract(&doc, &Extractor::default())
}

/// The current time as RFC 3339 (UTC), for [`Review::changed`].
pub fn now_rfc3339() -> String {
    time::OffsetDateTime::now_utc()
        .replace_nanosecond(0)
        .ok()
        .and_then(|t| t.format(&time::format_description::well_known::Rfc3339).ok())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_stable_and_distinguish_repeats() {
        assert_eq!(ClaimId::for_extracted("Sales rose.", 0), ClaimId::for_extracted("Sales rose.", 0));
        assert_ne!(ClaimId::for_extracted("Sales rose.", 0), ClaimId::for_extracted("Sales rose.", 1));
    }

    #[test]
    fn anchor_keeps_bounded_context_on_char_boundaries() {
        let text = "ééééééééééééééééééééééééééééééééééééé claim here. après";
        let start = text.find("claim").unwrap();
        let span = Span::new(start, start + "claim here.".len());
        let a = Anchor::around(text, span);
        assert_eq!(a.prefix.chars().count(), ANCHOR_CONTEXT_CHARS);
        assert!(text[..start].ends_with(&a.prefix));
        assert_eq!(a.suffix, " après");
    }

    #[test]
    fn now_is_rfc3339() {
        let now = now_rfc3339();
        assert!(time::OffsetDateTime::parse(&now, &time::format_description::well_known::Rfc3339).is_ok(), "{now}");
    }
}
