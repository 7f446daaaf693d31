//! Writing the library's entries out, so nothing put in it is trapped there.
//!
//! - [`claimreview`]: schema.org ClaimReview JSON-LD, `{"@context": "https://schema.org", "@graph": [...]}`, one
//!   `ClaimReview` per entry: `claimReviewed`, `reviewRating.alternateName` (the verdict as written), `url`,
//!   `headline`, `author`, `datePublished`, `inLanguage`, `itemReviewed` (a `Claim` with its `author`, the claimant,
//!   and for review entries the document's title as `appearance.headline`), `citation` (the sources) and
//!   `identifier` (the entry's id as its source gave it; `claimdesk library import` reads it back as the id). A
//!   reviewer's note is internal and stays out unless asked for (`ratingExplanation`).
//! - [`csv`]: every field of every entry, one row each (RFC 4180), under a header `claimdesk library import` reads.

use serde_json::{Map, Value, json};

use super::Entry;

/// The CSV header, in column order.
pub const CSV_COLUMNS: [&str; 16] = [
    "source",
    "id",
    "claim",
    "title",
    "verdict",
    "url",
    "date",
    "author",
    "claimant",
    "language",
    "note",
    "sources",
    "kind",
    "document_title",
    "fingerprint",
    "reviewer",
];

/// Entries as ClaimReview JSON-LD; the notes only when `include_notes`.
pub fn claimreview(entries: &[Entry], include_notes: bool) -> Vec<u8> {
    let graph: Vec<Value> = entries.iter().map(|e| claim_review(e, include_notes)).collect();
    let doc = json!({ "@context": "https://schema.org", "@graph": graph });
    let mut bytes = serde_json::to_vec_pretty(&doc).unwrap_or_default();
    bytes.push(b'\n');
    bytes
}

fn put(map: &mut Map<String, Value>, key: &str, value: Option<&str>) {
    if let Some(v) = value.map(str::trim).filter(|v| !v.is_empty()) {
        map.insert(key.to_owned(), json!(v));
    }
}

fn claim_review(entry: &Entry, include_notes: bool) -> Value {
    let r = &entry.record;
    let mut review = Map::new();
    review.insert("@type".into(), json!("ClaimReview"));
    review.insert("identifier".into(), json!(r.id));
    put(&mut review, "url", r.url.as_deref());
    review.insert("claimReviewed".into(), json!(r.claim));
    put(&mut review, "headline", r.title.as_deref());
    let mut rating = Map::new();
    rating.insert("@type".into(), json!("Rating"));
    put(&mut rating, "alternateName", r.verdict.as_deref());
    if include_notes {
        put(&mut rating, "ratingExplanation", Some(&r.note));
    }
    review.insert("reviewRating".into(), Value::Object(rating));
    if let Some(author) = r.author.as_deref().map(str::trim).filter(|a| !a.is_empty()) {
        review.insert("author".into(), json!({ "@type": "Organization", "name": author }));
    }
    put(&mut review, "datePublished", r.date.as_deref());
    put(&mut review, "inLanguage", r.language.as_deref());
    if !r.sources.is_empty() {
        review.insert("citation".into(), json!(r.sources));
    }
    let mut item = Map::new();
    item.insert("@type".into(), json!("Claim"));
    if let Some(claimant) = r.claimant.as_deref().map(str::trim).filter(|c| !c.is_empty()) {
        item.insert("author".into(), json!({ "@type": "Thing", "name": claimant }));
    }
    if let Some(title) = entry.source.document_title.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
        item.insert("appearance".into(), json!({ "@type": "CreativeWork", "headline": title }));
    }
    review.insert("itemReviewed".into(), Value::Object(item));
    Value::Object(review)
}

/// Entries as CSV, every field.
pub fn csv(entries: &[Entry]) -> Result<Vec<u8>, ::csv::Error> {
    let mut writer = ::csv::WriterBuilder::new().terminator(::csv::Terminator::CRLF).from_writer(Vec::new());
    writer.write_record(CSV_COLUMNS)?;
    for e in entries {
        let r = &e.record;
        let s = &e.source;
        let o = |v: &Option<String>| v.clone().unwrap_or_default();
        writer.write_record([
            s.name.clone(),
            r.id.clone(),
            r.claim.clone(),
            o(&r.title),
            o(&r.verdict),
            o(&r.url),
            o(&r.date),
            o(&r.author),
            o(&r.claimant),
            o(&r.language),
            r.note.clone(),
            r.sources.join("\n"),
            s.kind.as_str().to_owned(),
            o(&s.document_title),
            o(&s.fingerprint),
            o(&s.reviewer),
        ])?;
    }
    writer.into_inner().map_err(|e| e.into_error().into())
}
