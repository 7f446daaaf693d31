//! Cheap agreement features between a query and a fact-check: numbers, years, capitalised names, negation and
//! words of opposite direction ("rising" against "falling", "North" against "South"). They let the re-ranker tell a
//! near miss from a match when the embeddings cannot (the two read almost alike). Twin of
//! `scripts/matching/features.py`: the word lists and rules must stay identical for the Rust and Python figures
//! to agree.

use std::collections::HashSet;

/// Words that deny or dispute what they stand in.
const NEGATION: &[&str] = &[
    "not",
    "no",
    "never",
    "none",
    "nobody",
    "nothing",
    "neither",
    "nor",
    "cannot",
    "without",
    "isn't",
    "aren't",
    "wasn't",
    "weren't",
    "don't",
    "doesn't",
    "didn't",
    "won't",
    "wouldn't",
    "can't",
    "couldn't",
    "shouldn't",
    "hasn't",
    "haven't",
    "hadn't",
    "fake",
    "false",
    "hoax",
];

/// Pairs of words that flip a claim's meaning.
const OPPOSITES: &[(&str, &str)] = &[
    ("rise", "fall"),
    ("rising", "falling"),
    ("rises", "falls"),
    ("rose", "fell"),
    ("increase", "decrease"),
    ("increased", "decreased"),
    ("increasing", "decreasing"),
    ("increases", "decreases"),
    ("up", "down"),
    ("more", "less"),
    ("more", "fewer"),
    ("higher", "lower"),
    ("high", "low"),
    ("gain", "loss"),
    ("gained", "lost"),
    ("win", "lose"),
    ("won", "lost"),
    ("legal", "illegal"),
    ("north", "south"),
    ("east", "west"),
    ("before", "after"),
    ("alive", "dead"),
    ("born", "died"),
    ("approve", "reject"),
    ("approved", "rejected"),
    ("support", "oppose"),
    ("supports", "opposes"),
    ("supported", "opposed"),
    ("ban", "allow"),
    ("banned", "allowed"),
    ("male", "female"),
    ("men", "women"),
    ("democrat", "republican"),
    ("democrats", "republicans"),
    ("democratic", "republican"),
    ("liberal", "conservative"),
    ("positive", "negative"),
    ("largest", "smallest"),
    ("most", "least"),
    ("best", "worst"),
    ("first", "last"),
    ("open", "closed"),
    ("arrested", "released"),
    ("guilty", "innocent"),
    ("true", "false"),
    ("lowest", "highest"),
    ("minimum", "maximum"),
    ("inside", "outside"),
    ("rich", "poor"),
    ("richer", "poorer"),
    ("growing", "shrinking"),
    ("grew", "shrank"),
];

/// Capitalised words that name nothing (sentence openers, tweet boilerplate).
const STOP_CAPS: &[&str] = &[
    "the", "a", "an", "this", "that", "these", "those", "it", "in", "on", "at", "of", "for", "and", "or", "but", "if",
    "when", "what", "why", "how", "who", "i", "we", "you", "he", "she", "they", "my", "our", "your", "his", "her",
    "their", "there", "here", "breaking", "news", "video", "photo", "watch", "just", "new",
];

/// Names of the features `agreement` returns, in order.
pub const NAMES: [&str; 8] =
    ["num_match", "num_miss", "year_match", "year_miss", "cap_overlap", "dcap_missing", "neg_flip", "opposite"];

/// What the features need from one text, computed once per text.
#[derive(Debug, Clone, Default)]
pub struct Side {
    words: HashSet<String>,
    /// Numbers that are not years, as canonical strings ("1,000" and "1000.0" are both "1000").
    nums: HashSet<String>,
    years: HashSet<String>,
    caps: HashSet<String>,
    negations: usize,
}

impl Side {
    /// Reads a text's words (lowercased `[a-z0-9]+`, with a `'t`-like suffix kept), numbers, years, capitalised
    /// words and negations.
    pub fn new(text: &str) -> Side {
        let low = text.to_lowercase().replace('\u{2019}', "'");
        let mut side = Side::default();
        for w in words(&low) {
            if NEGATION.contains(&w) || w.ends_with("n't") {
                side.negations += 1;
            }
            side.words.insert(w.to_owned());
        }
        for n in numbers(text) {
            let is_year = n.fract() == 0.0 && (1800.0..=2100.0).contains(&n);
            let key = format!("{n}");
            if is_year {
                side.years.insert(key);
            } else {
                side.nums.insert(key);
            }
        }
        for c in capitalised(text) {
            let c = c.to_ascii_lowercase();
            if !STOP_CAPS.contains(&c.as_str()) {
                side.caps.insert(c);
            }
        }
        side
    }
}

/// The features of a (query, fact-check) pair, in the order of [`NAMES`]; each is 0 when neither text carries
/// anything of its kind.
pub fn agreement(q: &Side, d: &Side) -> [f64; 8] {
    let num_match = q.nums.intersection(&d.nums).count();
    let num_miss = !q.nums.is_empty() && !d.nums.is_empty() && num_match == 0;
    let year_match = q.years.intersection(&d.years).count();
    let year_miss = !q.years.is_empty() && !d.years.is_empty() && year_match == 0;
    let cap_overlap = q.caps.iter().filter(|c| d.words.contains(*c)).count() as f64 / (1 + q.caps.len()) as f64;
    let dcap_missing = d.caps.iter().filter(|c| !q.words.contains(*c)).count() as f64 / (1 + d.caps.len()) as f64;
    let neg_flip = (q.negations > 0) != (d.negations > 0);
    let mut opposite = 0;
    for &(a, b) in OPPOSITES {
        for (x, y) in [(a, b), (b, a)] {
            if q.words.contains(x) && d.words.contains(y) && !q.words.contains(y) && !d.words.contains(x) {
                opposite += 1;
            }
        }
    }
    [
        num_match as f64,
        f64::from(u8::from(num_miss)),
        year_match as f64,
        f64::from(u8::from(year_miss)),
        cap_overlap,
        dcap_missing,
        f64::from(u8::from(neg_flip)),
        opposite.min(2) as f64,
    ]
}

/// `[a-z0-9]+('[a-z]+)?` over lowercased text.
fn words(low: &str) -> impl Iterator<Item = &str> {
    let b = low.as_bytes();
    let mut i = 0;
    std::iter::from_fn(move || {
        while i < b.len() && !b[i].is_ascii_alphanumeric() {
            i += 1;
        }
        if i >= b.len() {
            return None;
        }
        let start = i;
        while i < b.len() && b[i].is_ascii_alphanumeric() {
            i += 1;
        }
        if i + 1 < b.len() && b[i] == b'\'' && b[i + 1].is_ascii_lowercase() {
            i += 1;
            while i < b.len() && b[i].is_ascii_lowercase() {
                i += 1;
            }
        }
        Some(&low[start..i])
    })
}

/// `[0-9][0-9,]*(\.[0-9]+)?`, commas dropped, as numbers.
fn numbers(text: &str) -> Vec<f64> {
    let b = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        if !b[i].is_ascii_digit() {
            i += 1;
            continue;
        }
        let mut s = String::new();
        while i < b.len() && (b[i].is_ascii_digit() || b[i] == b',') {
            if b[i] != b',' {
                s.push(b[i] as char);
            }
            i += 1;
        }
        if i + 1 < b.len() && b[i] == b'.' && b[i + 1].is_ascii_digit() {
            s.push('.');
            i += 1;
            while i < b.len() && b[i].is_ascii_digit() {
                s.push(b[i] as char);
                i += 1;
            }
        }
        if let Ok(v) = s.parse::<f64>() {
            out.push(v);
        }
    }
    out
}

/// ASCII words of two or more letters starting with a capital, not preceded by a letter or digit.
fn capitalised(text: &str) -> Vec<&str> {
    let b = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        if b[i].is_ascii_alphabetic() {
            let start = i;
            while i < b.len() && b[i].is_ascii_alphabetic() {
                i += 1;
            }
            let after_alnum = start > 0 && b[start - 1].is_ascii_digit();
            if !after_alnum && b[start].is_ascii_uppercase() && i - start >= 2 {
                out.push(&text[start..i]);
            }
        } else {
            i += 1;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_years_and_names_are_read() {
        let s = Side::new("In 2019, 1,500 people in North Korea didn't vote; 3.5 percent");
        assert!(s.years.contains("2019"));
        assert!(s.nums.contains("1500") && s.nums.contains("3.5"));
        assert!(s.caps.contains("north") && s.caps.contains("korea") && !s.caps.contains("in"));
        assert_eq!(s.negations, 1);
    }

    #[test]
    fn a_different_year_or_figure_is_a_miss() {
        let q = Side::new("Unemployment hit 4.1 percent in 2018");
        let same = agreement(&q, &Side::new("Unemployment was 4.1 percent in 2018."));
        let other = agreement(&q, &Side::new("Unemployment was 7.9 percent in 2012."));
        assert_eq!((same[0], same[1], same[2], same[3]), (1.0, 0.0, 1.0, 0.0));
        assert_eq!((other[0], other[1], other[2], other[3]), (0.0, 1.0, 0.0, 1.0));
    }

    #[test]
    fn opposite_directions_are_counted() {
        let q = Side::new("Poverty is rising");
        assert_eq!(agreement(&q, &Side::new("Poverty is falling"))[7], 1.0);
        assert_eq!(agreement(&q, &Side::new("Poverty is rising fast"))[7], 0.0);
        assert_eq!(agreement(&Side::new("South Korea"), &Side::new("North Korea"))[7], 1.0);
    }
}
