//! Boilerplate: lines that are never claims. (Placeholder: the extraction work replaces it.)

/// Whether `sentence` is boilerplate (follow-us, subscribe, byline, credit, read-more, copyright).
pub fn is_boilerplate(sentence: &str) -> bool {
    let s = sentence.to_ascii_lowercase();
    s.starts_with("follow ") || s.starts_with("subscribe ")
}
