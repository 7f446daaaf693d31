//! schema.org ClaimReview JSON-LD, as fact-checkers publish it: one `ClaimReview` object, an array of them, an
//! `@graph`, a `DataFeed` whose `dataFeedElement` items (`DataFeedItem`s) hold ClaimReviews in `item`, or JSON
//! Lines of any of these.
//!
//! Fields read: `claimReviewed` (required; else `itemReviewed.name`), `reviewRating` (`alternateName`, else `name`,
//! else `ratingValue` with `bestRating`: the verdict as written; `ratingExplanation` as the note), `url`, `@id` (the
//! id, as written; else `identifier`), `headline` or `name` (the title), `author` (the organisation), `datePublished`, `inLanguage`,
//! `itemReviewed.author` (the claimant), `citation` (sources). Nodes of other types (an `Organization`, a
//! `WebPage`) are skipped and counted.

use std::path::Path;

use serde_json::{Map, Value};

use super::{ImportError, Item, Place, field, kind_of, text_of};
use crate::library::Record;

/// Whether `node` is a `ClaimReview` (`@type` may be a list, and may be written `schema:ClaimReview` or as a URL).
fn is_type(node: &Map<String, Value>, wanted: &str) -> bool {
    let matches =
        |t: &Value| t.as_str().is_some_and(|t| t == wanted || t.rsplit(['/', ':', '#']).next() == Some(wanted));
    match node.get("@type") {
        Some(Value::Array(types)) => types.iter().any(matches),
        Some(t) => matches(t),
        None => false,
    }
}

/// The ClaimReviews in `values` (one JSON document, or JSON Lines with the line each starts on), and how many other
/// nodes were skipped.
pub fn items(values: &[(u64, Value)], path: &Path) -> Result<(Vec<Item>, u64), ImportError> {
    let mut out = Vec::new();
    let mut skipped = 0;
    let lines = values.len() > 1;
    for (line, value) in values {
        if let Value::String(s) = value
            && let Some(message) = s.strip_prefix('\u{0}')
        {
            return Err(ImportError::at(path, Some(*line), message));
        }
        // In JSON Lines every item is named by its line; in one document, by its path.
        let here = |at: &str| if lines { Place::Line(*line) } else { Place::Item(at.to_owned()) };
        walk(value, "", &here, path, &mut out, &mut skipped)?;
    }
    if out.is_empty() {
        return Err(ImportError::at(
            path,
            None,
            "no ClaimReview found (expected schema.org ClaimReview JSON-LD: an object with \"@type\": \
             \"ClaimReview\", an array or @graph of them, or a DataFeed of them; or the Fact Check Tools JSON with \
             a `claims` array)",
        ));
    }
    Ok((out, skipped))
}

fn join(base: &str, key: &str) -> String {
    if base.is_empty() { key.to_owned() } else { format!("{base}.{key}") }
}

/// Find ClaimReviews: the node itself, or inside an array, `@graph`, `dataFeedElement` or a feed item's `item`.
fn walk(
    value: &Value,
    at: &str,
    here: &dyn Fn(&str) -> Place,
    path: &Path,
    out: &mut Vec<Item>,
    skipped: &mut u64,
) -> Result<(), ImportError> {
    match value {
        Value::Array(values) => {
            for (i, v) in values.iter().enumerate() {
                walk(v, &format!("{at}[{i}]"), here, path, out, skipped)?;
            }
        }
        Value::Object(node) if is_type(node, "ClaimReview") => {
            let place = here(if at.is_empty() { "the ClaimReview" } else { at });
            out.push(claim_review(node, place, path)?);
        }
        Value::Object(node) => {
            let mut container = false;
            for key in ["@graph", "dataFeedElement", "item"] {
                if let Some(inner) = node.get(key) {
                    container = true;
                    walk(inner, &join(at, key), here, path, out, skipped)?;
                }
            }
            if !container {
                *skipped += 1;
            }
        }
        other => {
            let place = here(if at.is_empty() { "the top level" } else { at });
            return Err(place.error(path, format!("expected a JSON object, found {}", kind_of(other))));
        }
    }
    Ok(())
}

/// One ClaimReview as an item.
fn claim_review(node: &Map<String, Value>, place: Place, path: &Path) -> Result<Item, ImportError> {
    let item_reviewed = node.get("itemReviewed").and_then(Value::as_object);
    let claim = match node.get("claimReviewed") {
        Some(v @ (Value::Object(_) | Value::Array(_) | Value::Bool(_))) => {
            return Err(place.error(path, format!("claimReviewed: expected the claim's text, found {}", kind_of(v))));
        }
        Some(v) => text_of(v),
        None => None,
    }
    .or_else(|| item_reviewed.and_then(|i| field(i, "name")));
    let Some(claim) = claim else {
        return Err(place.error(path, "claimReviewed: missing or empty (the claim checked is required)"));
    };
    let rating = node.get("reviewRating").and_then(Value::as_object);
    let verdict = rating.and_then(|r| {
        field(r, "alternateName").or_else(|| field(r, "name")).or_else(|| {
            let value = field(r, "ratingValue")?;
            Some(match field(r, "bestRating") {
                Some(best) => format!("{value}/{best}"),
                None => value,
            })
        })
    });
    let citations: Vec<String> = match node.get("citation") {
        Some(Value::Array(list)) => list.iter().filter_map(text_of).collect(),
        Some(v) => text_of(v).into_iter().collect(),
        None => Vec::new(),
    };
    let record = Record {
        id: String::new(),
        claim,
        title: field(node, "headline").or_else(|| field(node, "name")),
        verdict,
        status: None,
        note: rating.and_then(|r| field(r, "ratingExplanation")).unwrap_or_default(),
        sources: citations,
        url: field(node, "url"),
        author: field(node, "author").or_else(|| field(node, "publisher")),
        claimant: item_reviewed.and_then(|i| field(i, "author")),
        date: field(node, "datePublished").or_else(|| field(node, "dateCreated")),
        language: field(node, "inLanguage"),
    };
    // `identifier` when there is no `@id`: what `claimdesk library export` writes for an id that is not a URL.
    let given_id = ["@id", "identifier"]
        .iter()
        .find_map(|k| node.get(*k).and_then(Value::as_str).filter(|s| !s.trim().is_empty()))
        .map(str::to_owned);
    Ok(Item { place, given_id, record })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &str) -> Result<(Vec<Item>, u64), ImportError> {
        let values: Vec<(u64, Value)> = serde_json::Deserializer::from_str(text)
            .into_iter::<Value>()
            .enumerate()
            .map(|(i, v)| (i as u64 + 1, v.unwrap()))
            .collect();
        items(&values, Path::new("f.json"))
    }

    #[test]
    fn a_data_feed_of_claim_reviews() {
        let feed = r#"{"@context":"https://schema.org","@type":"DataFeed","dataFeedElement":[
            {"@type":"DataFeedItem","item":[{"@type":"ClaimReview","claimReviewed":"The moon is cheese.",
              "reviewRating":{"@type":"Rating","ratingValue":1,"bestRating":5},"url":"https://f.example/1",
              "author":{"@type":"Organization","name":"F"},"itemReviewed":{"@type":"Claim","author":{"name":"Bob"}}}]},
            {"@type":"DataFeedItem","item":{"@type":["ClaimReview"],"claimReviewed":"Water is wet.",
              "reviewRating":{"alternateName":"True"}}}]}"#;
        let (items, skipped) = read(feed).unwrap();
        assert_eq!((items.len(), skipped), (2, 0));
        assert_eq!(items[0].record.verdict.as_deref(), Some("1/5"));
        assert_eq!(items[0].record.author.as_deref(), Some("F"));
        assert_eq!(items[0].record.claimant.as_deref(), Some("Bob"));
        assert_eq!(items[1].record.verdict.as_deref(), Some("True"));
        assert_eq!(items[1].place, Place::Item("dataFeedElement[1].item".to_owned()));
    }

    #[test]
    fn other_nodes_are_skipped_and_a_claim_is_required() {
        let (items, skipped) = read(
            r#"{"@graph":[{"@type":"Organization","name":"F"},{"@type":"schema:ClaimReview","claimReviewed":"x"}]}"#,
        )
        .unwrap();
        assert_eq!((items.len(), skipped), (1, 1));
        let err = read(r#"[{"@type":"ClaimReview","claimReviewed":"a"},{"@type":"ClaimReview","claimReviewed":"  "}]"#)
            .unwrap_err();
        assert_eq!(err.to_string(), "f.json: [1]: claimReviewed: missing or empty (the claim checked is required)");
        let err =
            read("{\"@type\":\"ClaimReview\",\"claimReviewed\":\"a\"}\n{\"@type\":\"ClaimReview\"}\n").unwrap_err();
        assert_eq!(err.to_string(), "f.json: line 2: claimReviewed: missing or empty (the claim checked is required)");
    }
}
