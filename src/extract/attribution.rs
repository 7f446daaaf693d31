//! In-text attribution. (Placeholder: the extraction work replaces it.)

use super::Attribution;
use crate::Span;

/// The source `sentence` credits, with spans relative to the sentence.
pub fn find(sentence: &str) -> Option<Attribution> {
    let cue = "according to ";
    let at = sentence.find(cue)?;
    let start = at + cue.len();
    let end = sentence[start..].find([',', '.']).map(|e| start + e).unwrap_or(sentence.len());
    Some(Attribution {
        source: sentence[start..end].to_owned(),
        source_span: Span::new(start, end),
        cue: "according to".to_owned(),
        cue_span: Span::new(at, at + cue.len() - 1),
    })
}
