//! The lossless JSON export and its import.
//!
//! The export carries everything needed to put the reviews back: the document's title, path, fingerprint and length
//! (not its text: the fingerprint ties the export to the exact text), the extractor, the publication details and every
//! exported claim whole (id, span, text, anchor, score, kinds, attribution, origin, review with its provenance).
//! [`import_json`] reads it back, checking every field, and [`ReviewedClaims::apply_to`] puts the reviews into a
//! review file of the same document.

use serde::{Deserialize, Serialize};

use super::{ExportError, Exported, Options};
use crate::extract::ExtractorInfo;
use crate::review::{Claim, Publication, ReviewFile};

/// The `format` field of every JSON export.
pub const FORMAT_NAME: &str = "claimdesk-reviewed-claims";
/// The version this build writes (and the newest it reads).
pub const FORMAT_VERSION: u32 = 1;

/// Which claims an export holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Scope {
    /// Reviewed claims only.
    Reviewed,
    /// Every claim, unreviewed ones too.
    All,
}

/// The document an export is about, without its text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExportedDocument {
    pub title: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
    /// SHA-256 of the document's text, lowercase hex.
    pub fingerprint: String,
    /// The text's length in bytes: every claim's span lies within it.
    pub length: usize,
}

/// The JSON export: the document, the extractor, the publication details and the claims with their reviews.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReviewedClaims {
    /// Always [`FORMAT_NAME`].
    pub format: String,
    /// [`FORMAT_VERSION`] when written by this version.
    pub version: u32,
    pub scope: Scope,
    pub document: ExportedDocument,
    pub extractor: ExtractorInfo,
    #[serde(default, skip_serializing_if = "Publication::is_empty")]
    pub publication: Publication,
    /// The exported claims in document order.
    pub claims: Vec<Claim>,
    /// Claims the review file could not place in the current text (see [`ReviewFile::detached`]), same selection.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub detached: Vec<Claim>,
}

impl ReviewedClaims {
    /// The export of `file` with `options`.
    pub fn from_file(file: &ReviewFile, options: &Options) -> Self {
        // Detached claims are not in the text, so no threshold applies to them: reviewed ones, or all with --all.
        let keep = |c: &&Claim| options.all || c.review.is_reviewed();
        Self {
            format: FORMAT_NAME.to_owned(),
            version: FORMAT_VERSION,
            scope: if options.all { Scope::All } else { Scope::Reviewed },
            document: ExportedDocument {
                title: file.document.title.clone(),
                path: file.document.path.clone(),
                fingerprint: file.document.fingerprint.clone(),
                length: file.document.text.len(),
            },
            extractor: file.extractor.clone(),
            publication: file.publication.clone(),
            claims: super::selected(file, options).into_iter().cloned().collect(),
            detached: file.detached.iter().filter(keep).cloned().collect(),
        }
    }

    /// Put the exported reviews into `file`, a review of the same document: a claim with the same id gets the
    /// exported review; an exported claim the file lacks is added when its text is at its span in the file's text.
    /// Returns how many claims changed. Fails, changing nothing, when the documents differ or a claim cannot be
    /// placed.
    pub fn apply_to(&self, file: &mut ReviewFile) -> Result<usize, ExportError> {
        if self.document.fingerprint != file.document.fingerprint {
            return Err(ExportError::InvalidField {
                field: "document.fingerprint".to_owned(),
                message: format!(
                    "the export is of another document (fingerprint {}, the review file's is {})",
                    self.document.fingerprint, file.document.fingerprint
                ),
            });
        }
        let mut updated = file.clone();
        let mut changed = 0;
        for (i, claim) in self.claims.iter().enumerate() {
            if let Some(existing) = updated.claim_mut(&claim.id) {
                if existing.review != claim.review {
                    existing.review = claim.review.clone();
                    changed += 1;
                }
                continue;
            }
            if claim.span.slice(&updated.document.text) != Some(claim.text.as_str()) {
                return Err(ExportError::InvalidField {
                    field: format!("claims[{i}].span"),
                    message: format!("claim {} is not at {} in the review file's text", claim.id, claim.span),
                });
            }
            let at = updated.claims.partition_point(|c| c.span <= claim.span);
            updated.claims.insert(at, claim.clone());
            changed += 1;
        }
        *file = updated;
        Ok(changed)
    }
}

/// The JSON export of `file`, pretty-printed.
pub fn export(file: &ReviewFile, options: &Options) -> Result<Exported, ExportError> {
    let out = ReviewedClaims::from_file(file, options);
    let mut bytes =
        serde_json::to_vec_pretty(&out).map_err(|e| ExportError::Encode { format: "json", message: e.to_string() })?;
    bytes.push(b'\n');
    Ok(Exported { bytes, warnings: Vec::new(), claims: out.claims.len() })
}

/// Read a JSON export back, checking every field.
pub fn import_json(bytes: &[u8]) -> Result<ReviewedClaims, ExportError> {
    let bad = |field: String, message: String| ExportError::Import { field, message };
    // Check the header before the whole shape, so an unrelated JSON file gets a clear message.
    let value: serde_json::Value =
        serde_json::from_slice(bytes).map_err(|e| bad("(file)".to_owned(), format!("not JSON: {e}")))?;
    match value.get("format").and_then(|f| f.as_str()) {
        Some(FORMAT_NAME) => {}
        Some(other) => return Err(bad("format".to_owned(), format!("is `{other}`, expected `{FORMAT_NAME}`"))),
        None => return Err(bad("format".to_owned(), format!("missing (expected `{FORMAT_NAME}`)"))),
    }
    let out: ReviewedClaims = serde_json::from_value(value).map_err(|e| bad("(file)".to_owned(), e.to_string()))?;
    if out.version == 0 || out.version > FORMAT_VERSION {
        return Err(bad(
            "version".to_owned(),
            format!("{} is not supported (this build reads 1 to {FORMAT_VERSION})", out.version),
        ));
    }
    let fp = &out.document.fingerprint;
    if fp.len() != 64 || !fp.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b)) {
        return Err(bad("document.fingerprint".to_owned(), format!("`{fp}` is not a lowercase SHA-256 hex digest")));
    }
    let mut seen = std::collections::HashSet::new();
    for (list, claims) in [("claims", &out.claims), ("detached", &out.detached)] {
        for (i, c) in claims.iter().enumerate() {
            let at = |field: &str| format!("{list}[{i}].{field}");
            if !seen.insert(&c.id) {
                return Err(bad(at("id"), format!("duplicate id {}", c.id)));
            }
            // A detached claim could not be placed in the current text: its span refers to the text it was made on,
            // so, as in a review file, it is not checked against this document.
            let placed = list == "claims";
            if placed && (c.span.start > c.span.end || c.span.end > out.document.length) {
                return Err(bad(
                    at("span"),
                    format!("{} is outside the document's {} bytes", c.span, out.document.length),
                ));
            }
            if placed && c.span.len() != c.text.len() {
                return Err(bad(
                    at("text"),
                    format!("is {} bytes but the span {} covers {}", c.text.len(), c.span, c.span.len()),
                ));
            }
            if !(0.0..=1.0).contains(&c.score) {
                return Err(bad(at("score"), format!("{} is outside 0 to 1", c.score)));
            }
            if out.scope == Scope::Reviewed && !c.review.is_reviewed() {
                return Err(bad(at("review.status"), "is unreviewed in an export of reviewed claims".to_owned()));
            }
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::Document;
    use crate::extract::Extractor;
    use crate::review::Status;

    /// Found by the `review_load` fuzz target: a valid review file whose detached claim keeps its span in the old,
    /// longer text exported fine, but the export was refused on import ("detached[0].span ... is outside the
    /// document's N bytes"), so export then import was not identity.
    #[test]
    fn detached_claims_with_spans_from_the_old_text_read_back() {
        let doc = Document::from_text("t", "Sales rose 7% in 2021, the ministry said. Profits fell by $3 billion.");
        let ex = Extractor::default();
        let mut file = ReviewFile::new(&doc, ex.info(), &ex.sentences(&doc.text));
        let mut lost = file.claims[0].clone();
        lost.id = crate::review::ClaimId("c-lost".to_owned());
        lost.text = "Exports tripled in the first half, the bureau said.".to_owned();
        lost.span = crate::Span::new(9_000, 9_000 + lost.text.len() + 7); // the old text's offsets
        lost.review.status = Status::Verified;
        file.detached.push(lost);
        assert_eq!(crate::review::file::validate(&file), vec![], "the review file is valid");
        for all in [false, true] {
            let exported = export(&file, &Options { all, ..Default::default() }).unwrap();
            let back = import_json(&exported.bytes).unwrap_or_else(|e| panic!("all={all}: {e}"));
            assert_eq!(back.detached, file.detached);
        }
    }
}
