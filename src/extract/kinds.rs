//! Claim kinds. (Placeholder: the extraction work replaces it.)

use super::ClaimKind;

/// The kinds of claim `sentence` makes, sorted, without duplicates.
pub fn classify(sentence: &str, attributed: bool) -> Vec<ClaimKind> {
    let mut kinds = Vec::new();
    if sentence.chars().any(|c| c.is_ascii_digit()) {
        kinds.push(ClaimKind::Statistic);
    }
    if attributed {
        kinds.push(ClaimKind::Attribution);
    }
    kinds
}
