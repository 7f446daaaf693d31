//! The JSON of the Google Fact Check Tools claim search (`claims:search`): `{"claims": [{"text", "claimant",
//! "claimDate", "claimReview": [{"publisher": {"name", "site"}, "url", "title", "reviewDate", "textualRating",
//! "languageCode"}]}], "nextPageToken"}`.
//!
//! Each review of each claim is one entry (one claim checked by two publishers is two fact-checks): the claim's text
//! and claimant, the review's rating as written, URL, title, publisher, date and language. A claim with no review
//! has no verdict and is skipped.

use std::path::Path;

use serde_json::Value;

use super::{ImportError, Item, Place, field, kind_of};
use crate::library::Record;

/// The fact-checks of a claim search response.
/// Returns the fact-checks and how many claims had no review (skipped).
pub fn items(value: &Value, path: &Path) -> Result<(Vec<Item>, u64), ImportError> {
    let claims = value.get("claims").and_then(Value::as_array).map(Vec::as_slice).unwrap_or_default();
    let mut out = Vec::new();
    let mut skipped = 0;
    for (i, claim) in claims.iter().enumerate() {
        let at = format!("claims[{i}]");
        let Value::Object(claim) = claim else {
            return Err(Place::Item(at).error(path, format!("expected an object, found {}", kind_of(claim))));
        };
        let Some(text) = field(claim, "text") else {
            return Err(
                Place::Item(format!("{at}.text")).error(path, "missing or empty (the claim's text is required)")
            );
        };
        let reviews = match claim.get("claimReview") {
            None | Some(Value::Null) => &[][..],
            Some(Value::Array(reviews)) => reviews.as_slice(),
            Some(other) => {
                return Err(Place::Item(format!("{at}.claimReview"))
                    .error(path, format!("expected an array of reviews, found {}", kind_of(other))));
            }
        };
        if reviews.is_empty() {
            skipped += 1;
        }
        for (j, review) in reviews.iter().enumerate() {
            let place = Place::Item(format!("{at}.claimReview[{j}]"));
            let Value::Object(review) = review else {
                return Err(place.error(path, format!("expected an object, found {}", kind_of(review))));
            };
            let publisher = review.get("publisher").and_then(Value::as_object);
            out.push(Item {
                place,
                given_id: None,
                record: Record {
                    id: String::new(),
                    claim: text.clone(),
                    title: field(review, "title"),
                    verdict: field(review, "textualRating"),
                    status: None,
                    note: String::new(),
                    sources: Vec::new(),
                    url: field(review, "url"),
                    author: publisher.and_then(|p| field(p, "name").or_else(|| field(p, "site"))),
                    claimant: field(claim, "claimant"),
                    date: field(review, "reviewDate").or_else(|| field(claim, "claimDate")),
                    language: field(review, "languageCode"),
                },
            });
        }
    }
    if out.is_empty() {
        return Err(ImportError::at(path, None, "the Fact Check Tools response has no claim with a review"));
    }
    Ok((out, skipped))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_review_of_each_claim_is_a_fact_check() {
        let v: Value = serde_json::from_str(
            r#"{"claims":[{"text":"5G spreads the virus","claimant":"Posts","claimDate":"2020-04-01T00:00:00Z",
                "claimReview":[{"publisher":{"name":"AFP","site":"afp.com"},"url":"https://afp.example/a",
                   "title":"No, 5G does not","reviewDate":"2020-04-02T00:00:00Z","textualRating":"False","languageCode":"en"},
                  {"publisher":{"site":"other.example"},"url":"https://other.example/b","textualRating":"Pants on fire"}]},
               {"text":"Unreviewed"}],"nextPageToken":"x"}"#,
        )
        .unwrap();
        let (items, skipped) = items(&v, Path::new("g.json")).unwrap();
        assert_eq!((items.len(), skipped), (2, 1));
        assert_eq!(items[0].record.verdict.as_deref(), Some("False"));
        assert_eq!(items[0].record.author.as_deref(), Some("AFP"));
        assert_eq!(items[1].record.author.as_deref(), Some("other.example"));
        assert_eq!(items[1].record.date.as_deref(), Some("2020-04-01T00:00:00Z"));
        assert_eq!(items[1].record.claimant.as_deref(), Some("Posts"));
    }

    #[test]
    fn a_claim_without_text_is_named() {
        let v: Value =
            serde_json::from_str(r#"{"claims":[{"text":"a","claimReview":[]},{"claimReview":[]}]}"#).unwrap();
        assert_eq!(
            items(&v, Path::new("g.json")).unwrap_err().to_string(),
            "g.json: claims[1].text: missing or empty (the claim's text is required)"
        );
    }
}
