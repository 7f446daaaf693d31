//! schema.org ClaimReview as JSON-LD: what search engines and fact-check aggregators read.
//!
//! One `ClaimReview` per reviewed claim, in one document: `{"@context": "https://schema.org", "@graph": [...]}`.
//! Required, always present (else an error naming the claim): `claimReviewed` (the claim's text), `reviewRating`
//! (`@type` Rating with `alternateName` Verified, Disputed or Unsourced) and `url` (the fact-check's URL,
//! [`Publication::fact_check_url`]). Recommended, filled where known: `author` (the reviewing organisation),
//! `datePublished` (the day of the review's last change), `itemReviewed` (a `Claim` with `author`, the source the
//! article credits, `appearance`, the article, and `datePublished`, the article's date). `ratingValue` is left out on
//! purpose: verified, disputed and unsourced are not points on one ordinal scale, and a number would say they were.
//! In a transcript, a claim whose words credit no one is the speaker's own: its speaker is the `itemReviewed`'s
//! `author` (a Person). A verdict reused from the claim library says so in `isBasedOn`: the earlier fact-check's URL,
//! or a `CreativeWork` naming its source and id when it has none.
//! A `claimReviewed` longer than [`CLAIM_REVIEWED_MAX_CHARS`] characters is a warning, not an error.

use serde_json::{Map, Value, json};

use super::{ExportError, Exported, Options, Warning, excerpt};
use crate::review::{Claim, Publication, ReviewFile};

/// The longest `claimReviewed` Google's fact-check guidelines recommend, in characters.
pub const CLAIM_REVIEWED_MAX_CHARS: usize = 75;

/// Words that make an attributed source an organisation rather than a person, for `itemReviewed.author.@type`.
const ORGANISATION_WORDS: &[&str] = &[
    "ministry",
    "department",
    "agency",
    "government",
    "office",
    "council",
    "committee",
    "commission",
    "institute",
    "university",
    "bank",
    "fund",
    "association",
    "union",
    "company",
    "corporation",
    "group",
    "times",
    "post",
    "journal",
    "news",
    "press",
    "reuters",
    "bureau",
    "authority",
    "army",
    "forces",
    "police",
    "court",
    "parliament",
    "congress",
    "senate",
    "party",
    "organization",
    "organisation",
    "foundation",
    "center",
    "centre",
    "survey",
    "report",
    "study",
    "census",
    "statistics",
    "administration",
    "service",
    "board",
    "network",
];

/// The ClaimReview JSON-LD of `file`'s reviewed claims.
pub fn export(file: &ReviewFile, options: &Options) -> Result<Exported, ExportError> {
    let claims: Vec<&Claim> = file.claims.iter().filter(|c| c.review.is_reviewed()).collect();
    let mut warnings = Vec::new();
    if options.all {
        let unreviewed = file.claims_at_threshold().count() - claims.len();
        if unreviewed > 0 {
            warnings.push(Warning {
                claim: None,
                message: format!(
                    "ClaimReview holds reviewed claims only: {unreviewed} unreviewed claim(s) left out (they have no \
                     rating to publish)"
                ),
            });
        }
    }
    check_required(&claims, &file.publication)?;
    let mut graph = Vec::with_capacity(claims.len());
    for claim in &claims {
        let text = claim_reviewed(claim);
        let chars = text.chars().count();
        if chars > CLAIM_REVIEWED_MAX_CHARS {
            warnings.push(Warning {
                claim: Some(claim.id.clone()),
                message: format!(
                    "claimReviewed is {chars} characters; ClaimReview guidelines recommend at most \
                     {CLAIM_REVIEWED_MAX_CHARS} (\"{}\")",
                    excerpt(&text, 60)
                ),
            });
        }
        graph.push(claim_review(file, claim, text));
    }
    let doc = json!({ "@context": "https://schema.org", "@graph": graph });
    let mut bytes = serde_json::to_vec_pretty(&doc)
        .map_err(|e| ExportError::Encode { format: "ClaimReview", message: e.to_string() })?;
    bytes.push(b'\n');
    Ok(Exported { bytes, warnings, claims: claims.len() })
}

/// The claim's text on one line, as `claimReviewed`.
fn claim_reviewed(claim: &Claim) -> String {
    claim.text.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn non_blank(s: Option<&str>) -> Option<&str> {
    s.map(str::trim).filter(|s| !s.is_empty())
}

/// Check every required field before writing anything: the first claim missing one is named, with how many more.
fn check_required(claims: &[&Claim], publication: &Publication) -> Result<(), ExportError> {
    let missing = |field: &'static str, hint: String, offenders: Vec<&&Claim>| -> Result<(), ExportError> {
        match offenders.first() {
            None => Ok(()),
            Some(first) => Err(ExportError::MissingField {
                format: "ClaimReview",
                claim: first.id.clone(),
                excerpt: excerpt(&first.text, 60),
                field,
                hint,
                more: offenders.len() - 1,
            }),
        }
    };
    match non_blank(publication.fact_check_url.as_deref()) {
        None => missing(
            "url",
            "the fact-check's URL is not set (publication.fact_check_url; on the command line --fact-check-url URL)"
                .to_owned(),
            claims.iter().collect(),
        )?,
        Some(url) if !is_http_url(url) => {
            return Err(ExportError::InvalidField {
                field: "publication.fact_check_url".to_owned(),
                message: format!("`{url}` is not an absolute http:// or https:// URL"),
            });
        }
        Some(_) => {}
    }
    missing(
        "claimReviewed",
        "the claim's text is empty".to_owned(),
        claims.iter().filter(|c| c.text.trim().is_empty()).collect(),
    )
}

/// Whether `s` is an absolute http(s) URL with a host: the only kind a published fact-check has.
pub fn is_http_url(s: &str) -> bool {
    let lower = s.to_ascii_lowercase();
    let rest = lower.strip_prefix("https://").or_else(|| lower.strip_prefix("http://"));
    match rest {
        Some(rest) => {
            let host = rest.split(['/', '?', '#']).next().unwrap_or("");
            !host.is_empty() && !s.chars().any(char::is_whitespace)
        }
        None => false,
    }
}

/// The day part (`YYYY-MM-DD`) of an RFC 3339 time or a date, when it is one.
fn date_part(s: &str) -> Option<String> {
    let day = s.trim().get(..10)?;
    time::Date::parse(day, time::macros::format_description!("[year]-[month]-[day]")).ok()?;
    Some(day.to_owned())
}

/// A date as given when it is a valid ISO 8601 date or RFC 3339 time, else `None` (never publish a malformed date).
fn iso_date(s: &str) -> Option<String> {
    let s = s.trim();
    if time::OffsetDateTime::parse(s, &time::format_description::well_known::Rfc3339).is_ok() {
        return Some(s.to_owned());
    }
    date_part(s).filter(|d| d.len() == s.len())
}

fn source_type(name: &str) -> &'static str {
    let lower = name.to_lowercase();
    let is_org = lower.split(|c: char| !c.is_alphanumeric()).any(|w| ORGANISATION_WORDS.contains(&w));
    // Acronyms (`IDF`, `UN`) are checked on the original spelling.
    let acronym =
        name.split(|c: char| !c.is_alphanumeric()).any(|w| w.len() >= 2 && w.chars().all(|c| c.is_ascii_uppercase()));
    if is_org || acronym { "Organization" } else { "Person" }
}

fn claim_review(file: &ReviewFile, claim: &Claim, text: String) -> Value {
    let publication = &file.publication;
    let url = non_blank(publication.fact_check_url.as_deref()).unwrap_or_default();
    let mut review = Map::new();
    review.insert("@type".into(), json!("ClaimReview"));
    // A distinct id per claim: several ClaimReviews share the fact-check's page.
    review.insert("@id".into(), json!(format!("{url}#{}", claim.id)));
    review.insert("url".into(), json!(url));
    review.insert("claimReviewed".into(), json!(text));
    let mut rating = Map::new();
    rating.insert("@type".into(), json!("Rating"));
    rating.insert("alternateName".into(), json!(claim.review.status.label()));
    if !claim.review.note.trim().is_empty() {
        rating.insert("ratingExplanation".into(), json!(claim.review.note.trim()));
    }
    review.insert("reviewRating".into(), Value::Object(rating));
    if let Some(org) = non_blank(publication.organisation.as_deref()) {
        review.insert("author".into(), json!({ "@type": "Organization", "name": org }));
    }
    if let Some(day) = claim.review.changed.as_deref().and_then(date_part) {
        review.insert("datePublished".into(), json!(day));
    }
    let citations: Vec<&str> =
        claim.review.sources.iter().map(|s| s.reference.trim()).filter(|r| !r.is_empty()).collect();
    if !citations.is_empty() {
        review.insert("citation".into(), json!(citations));
    }
    // The earlier fact-check this verdict reused (from the claim library): its page when it has one, else a name.
    if let Some(earlier) = &claim.review.based_on {
        let based_on = match earlier.url.as_deref().filter(|u| is_http_url(u)) {
            Some(url) => json!(url),
            None => json!({ "@type": "CreativeWork", "name": earlier.cite() }),
        };
        review.insert("isBasedOn".into(), based_on);
    }

    let mut item = Map::new();
    item.insert("@type".into(), json!("Claim"));
    if let Some(source) = non_blank(claim.source()) {
        item.insert("author".into(), json!({ "@type": source_type(source), "name": source }));
    } else if let Some(speaker) = non_blank(claim.speaker_name()) {
        item.insert("author".into(), json!({ "@type": "Person", "name": speaker }));
    }
    let mut appearance = Map::new();
    appearance.insert("@type".into(), json!("CreativeWork"));
    if let Some(article) = non_blank(publication.article_url.as_deref()) {
        appearance.insert("url".into(), json!(article));
    }
    if !file.document.title.trim().is_empty() {
        appearance.insert("headline".into(), json!(file.document.title.trim()));
    }
    let article_date = publication.article_published.as_deref().and_then(iso_date);
    if let Some(date) = &article_date {
        appearance.insert("datePublished".into(), json!(date));
    }
    if appearance.len() > 1 {
        item.insert("appearance".into(), Value::Object(appearance));
    }
    if let Some(date) = article_date {
        item.insert("datePublished".into(), json!(date));
    }
    review.insert("itemReviewed".into(), Value::Object(item));
    Value::Object(review)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn http_urls_only() {
        assert!(is_http_url("https://factcheck.example/2024/claims"));
        assert!(is_http_url("http://x.example"));
        assert!(!is_http_url("javascript:alert(1)"));
        assert!(!is_http_url("https://"));
        assert!(!is_http_url("https://a b.example"));
        assert!(!is_http_url("factcheck.example/page"));
    }

    #[test]
    fn dates_are_checked_before_publishing() {
        assert_eq!(date_part("2024-05-02T10:00:00Z").as_deref(), Some("2024-05-02"));
        assert_eq!(iso_date("2024-05-02").as_deref(), Some("2024-05-02"));
        assert_eq!(iso_date("2024-05-02T10:00:00+02:00").as_deref(), Some("2024-05-02T10:00:00+02:00"));
        assert_eq!(iso_date("May 2, 2024"), None);
        assert_eq!(iso_date("2024-13-40"), None);
    }

    #[test]
    fn source_types() {
        assert_eq!(source_type("the Defense Ministry"), "Organization");
        assert_eq!(source_type("the IDF"), "Organization");
        assert_eq!(source_type("a senior Bahraini official"), "Person");
        assert_eq!(source_type("Jane Smith"), "Person");
    }
}
