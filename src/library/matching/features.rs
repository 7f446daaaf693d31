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
    /// Numbers followed by a scale word, scaled ("2 million" and "$2m" are both "2000000").
    scaled: HashSet<String>,
    caps: HashSet<String>,
    negations: usize,
}

impl Side {
    /// Reads a text's words (lowercased `[a-z0-9]+`, with a `'t`-like suffix kept), numbers, years, capitalised
    /// words and negations.
    pub fn new(text: &str) -> Side {
        let low = lowered(text);
        let mut side = Side::default();
        for w in words(&low) {
            if is_negation(w) {
                side.negations += 1;
            }
            side.words.insert(w.to_owned());
        }
        for (n, end) in numbers(text) {
            let is_year = n.fract() == 0.0 && (1800.0..=2100.0).contains(&n);
            let key = format!("{n}");
            if is_year {
                side.years.insert(key);
            } else {
                side.nums.insert(key);
            }
            if let Some(scale) = scale_after(text, end) {
                side.scaled.insert(format!("{}", (n * scale).round()));
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

/// The least share of the query's words (numbers aside) that a fact-check must hold for a differing figure, year or
/// negation to make it [`altered`]: the same sentence with that changed. On the CheckThat! 2020 tweets (`train`, each
/// tweet's three best candidates) a right fact-check held at most 0.51 of its tweet's words where a figure or year
/// differed, and no candidate at all reached 0.6 with one differing: real repeats that differ in a figure are worded
/// apart. With a "not" on one side, one right fact-check held 0.71 (a tweet's "NOT REPEALED" beside the law it
/// quotes): one of 800.
pub const SAME_WORDS: f64 = 0.7;

/// Whether `d` is `q`'s sentence with a figure, a year or a negation altered: at least [`SAME_WORDS`] of the query's
/// words (numbers aside) are in `d` (claim and title), and both give a figure (or a year) and share none of them ("2
/// million" shares with "2,000,000" and "$2m"), or one of the query and the fact-check's *claim* (`claim_negated`)
/// says "not" (or "never", "no", ...) and the other does not. The claim alone, for the negation: a fact-check's title
/// often denies the claim it checks ("No, 5G does not spread the virus" for "5G spreads the virus"). Not a re-ranker
/// input: the matcher caps such a candidate below a match (`index::NEAR_MISS_CAP`).
pub fn altered(q: &Side, d: &Side, claim_negated: bool) -> bool {
    let year_miss = !q.years.is_empty() && !d.years.is_empty() && q.years.is_disjoint(&d.years);
    let shares_a_figure = q.nums.iter().chain(&q.scaled).any(|n| d.nums.contains(n) || d.scaled.contains(n));
    let num_miss = !q.nums.is_empty() && !d.nums.is_empty() && !shares_a_figure;
    let neg_flip = (q.negations > 0) != claim_negated;
    if !(year_miss || num_miss || neg_flip) {
        return false;
    }
    let words: Vec<&String> = q.words.iter().filter(|w| !w.bytes().all(|b| b.is_ascii_digit())).collect();
    let held = words.iter().filter(|w| d.words.contains(**w)).count();
    !words.is_empty() && held as f64 >= SAME_WORDS * words.len() as f64
}

/// Whether a text says "not", "never", "no", "isn't", ... (the words [`Side`] counts as negations).
pub fn negated(text: &str) -> bool {
    words(&lowered(text)).any(is_negation)
}

fn lowered(text: &str) -> String {
    text.to_lowercase().replace('\u{2019}', "'")
}

fn is_negation(w: &str) -> bool {
    NEGATION.contains(&w) || w.ends_with("n't")
}

/// The scale of a figure ending at byte `end` of `text`: a word right after it (a space or none between) such as
/// "million" or "bn".
fn scale_after(text: &str, end: usize) -> Option<f64> {
    let rest = text.get(end..)?;
    let rest = rest.strip_prefix(' ').unwrap_or(rest);
    let word: String = rest.chars().take_while(char::is_ascii_alphabetic).map(|c| c.to_ascii_lowercase()).collect();
    match word.as_str() {
        "thousand" | "thousands" | "k" => Some(1e3),
        "million" | "millions" | "m" | "mn" => Some(1e6),
        "billion" | "billions" | "bn" => Some(1e9),
        "trillion" | "trillions" | "tn" => Some(1e12),
        _ => None,
    }
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

/// `[0-9][0-9,]*(\.[0-9]+)?`, commas dropped, as numbers, each with the byte where it ends.
fn numbers(text: &str) -> Vec<(f64, usize)> {
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
            out.push((v, i));
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
    fn the_same_sentence_with_another_figure_year_or_negation_is_altered() {
        let d = Side::new("The city spent $2 million on a new bridge in 2015. Did the City Spend $2 Million?");
        let near = |q: &str| altered(&Side::new(q), &d, false);
        assert!(near("The city spent $9 million on a new bridge in 2015"));
        assert!(near("The city spent $2 million on a new bridge in 2009"));
        assert!(near("The city never spent $2 million on a new bridge in 2015"));
        assert!(!near("Did the city spend $2 million on a new bridge in 2015?"));
        // The negation is read in the fact-check's claim, not its title, which often denies the claim.
        let (claim, title) = ("5G spreads the virus.", "No, 5G does not spread the virus");
        let d = Side::new(&format!("{claim} {title}"));
        assert!(!altered(&Side::new("Does 5G spread the virus?"), &d, negated(claim)));
        assert!(altered(&Side::new("5G does not spread the virus"), &d, negated(claim)));
        assert!(negated("It isn\u{2019}t so") && negated("NEVER") && !negated("Nothingness is a word"));
        // The same figure written otherwise, or the figure left out, is not another figure.
        assert!(!near("The city spent $2,000,000 on a new bridge in 2015"));
        assert!(!near("The city spent $2m on a new bridge in 2015"));
        assert!(!near("The city spent money on a new bridge"));
        // A claim worded apart that differs in a figure is left to the re-ranker.
        assert!(!near("Officials say 9 million dollars went to a bridge that nobody wanted"));
        let scaled = Side::new("about 2.5 million people, 3bn dollars");
        assert!(scaled.scaled.contains("2500000") && scaled.scaled.contains("3000000000"));
        assert!(Side::new("5 km and 7 men").scaled.is_empty());
    }

    #[test]
    fn opposite_directions_are_counted() {
        let q = Side::new("Poverty is rising");
        assert_eq!(agreement(&q, &Side::new("Poverty is falling"))[7], 1.0);
        assert_eq!(agreement(&q, &Side::new("Poverty is rising fast"))[7], 0.0);
        assert_eq!(agreement(&Side::new("South Korea"), &Side::new("North Korea"))[7], 1.0);
    }
}
