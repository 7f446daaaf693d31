//! Exports: the reviewed claims in formats people use elsewhere.

use serde::Serialize;

use crate::review::{Claim, DocumentInfo, ReviewFile};

/// The reviewed claims of a review file as lossless JSON: the document, the extractor and every claim with its
/// review, without the full document text (the fingerprint ties it to the text).
#[derive(Debug, Serialize)]
pub struct ReviewedClaims<'a> {
    pub format: &'static str,
    pub version: u32,
    pub document: &'a DocumentInfo,
    pub claims: Vec<&'a Claim>,
}

/// The reviewed claims of `file` as pretty JSON.
pub fn reviewed_claims_json(file: &ReviewFile) -> String {
    let out = ReviewedClaims {
        format: "claimdesk-reviewed-claims",
        version: 1,
        document: &file.document,
        claims: file.claims.iter().filter(|c| c.review.is_reviewed()).collect(),
    };
    serde_json::to_string_pretty(&out).unwrap_or_default()
}
