//! Claim kinds: what sort of claim a sentence makes, as tags.
//!
//! Built on [`features`](mod@super::features): a statistic states a quantity (digits other than a bare year, number words, money,
//! a percentage); a quote has a quotation of three words or more (scare quotes around one word are not a quote); an
//! attribution credits a source (found by [`super::attribution`]); a comparison has a comparative or a superlative;
//! a prediction speaks of the future or of plans; causal names a cause or an effect.

use super::ClaimKind;
use super::features::{Features, features};

/// The kinds of claim `sentence` makes, sorted, without duplicates. `attributed` says whether it credits a source.
pub fn classify(sentence: &str, attributed: bool) -> Vec<ClaimKind> {
    classify_with(sentence, &features(sentence), attributed)
}

/// Like [`classify`], with the sentence's features already computed.
pub fn classify_with(sentence: &str, f: &Features, attributed: bool) -> Vec<ClaimKind> {
    let mut kinds = Vec::new();
    if f.has_quantity() {
        kinds.push(ClaimKind::Statistic);
    }
    if f.quote_marks >= 2 && has_quotation(sentence) {
        kinds.push(ClaimKind::Quote);
    }
    if attributed {
        kinds.push(ClaimKind::Attribution);
    }
    if f.comparatives > 0 || f.superlatives > 0 {
        kinds.push(ClaimKind::Comparison);
    }
    if f.future > 0 {
        kinds.push(ClaimKind::Prediction);
    }
    if f.causal > 0 {
        kinds.push(ClaimKind::Causal);
    }
    // Pushed in ClaimKind order already; sorting keeps the promise if that order ever changes.
    kinds.sort();
    kinds.dedup();
    kinds
}

/// Whether `sentence` contains a quotation of three words or more between double quotation marks.
fn has_quotation(sentence: &str) -> bool {
    let mut open: Option<usize> = None;
    for (i, c) in sentence.char_indices() {
        match (c, open) {
            ('"' | '\u{201C}', None) => open = Some(i + c.len_utf8()),
            ('"' | '\u{201D}', Some(a)) => {
                if sentence[a..i].split_whitespace().count() >= 3 {
                    return true;
                }
                open = None;
            }
            _ => {}
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;
    use ClaimKind::*;

    #[test]
    fn statistic() {
        assert_eq!(classify("In 2021, 7% of sales went abroad.", false), [Statistic]);
        assert_eq!(classify("Israel has sold $3 billion in arms.", false), [Statistic]);
        assert_eq!(classify("Officials held 150 meetings.", false), [Statistic]);
        assert!(classify("He served until 2019.", false).is_empty(), "a bare year is not a statistic");
    }

    #[test]
    fn quote() {
        assert_eq!(classify("He said: \"It appears to be the dawn.\"", true), [Quote, Attribution]);
        assert_eq!(classify("He said: \u{201C}It appears to be the dawn.\u{201D}", true), [Quote, Attribution]);
        assert!(!classify("It was a \"historic\" day.", false).contains(&Quote));
    }

    #[test]
    fn comparison_prediction_causal() {
        assert_eq!(classify("It was America's largest exercise in Africa.", false), [Comparison]);
        assert_eq!(classify("Costs are higher than before.", false), [Comparison]);
        assert_eq!(classify("Biden will push for deeper ties.", false), [Comparison, Prediction]);
        assert_eq!(classify("The firm plans to hire.", false), [Prediction]);
        assert_eq!(classify("The flight was cancelled because of the storm.", false), [Causal]);
        assert_eq!(classify("The strike led to delays.", false), [Causal]);
        assert!(classify("The U.S.-led coalition met.", false).is_empty());
    }

    #[test]
    fn sorted_and_unique() {
        let k = classify("\"We will sell 5 more jets because it is cheaper,\" the minister said.", true);
        let mut sorted = k.clone();
        sorted.sort();
        sorted.dedup();
        assert_eq!(k, sorted);
        assert_eq!(k, [Statistic, Quote, Attribution, Comparison, Prediction, Causal]);
    }
}
