//! A deterministic generator of varied news-like text, for benchmarks, the peer comparison and tests.
//!
//! The text mixes what extraction meets in news: attributed statements ("…, the ministry said."), quotations with
//! their attribution, statistics with money and percentages, abbreviations (U.S., Gen., Mr., Jan.), questions,
//! opinion, boilerplate lines (follow-us, subscribe, bylines), and paragraphs of one to five sentences. The same seed
//! and size always give the same bytes.

/// A small deterministic generator (splitmix64).
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[(self.next() % items.len() as u64) as usize]
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

const SOURCES: &[&str] = &[
    "the ministry",
    "a senior official",
    "the Wall Street Journal",
    "Reuters",
    "the central bank",
    "Gen. Mark Ellison",
    "Mr. Okafor",
    "the U.S. Census Bureau",
    "two people familiar with the talks",
    "the company's chief executive, Dana Whitfield",
];
const SUBJECTS: &[&str] = &[
    "Exports",
    "Unemployment",
    "The city's population",
    "Defense spending",
    "Average rents",
    "The number of registered voters",
    "Wheat production",
    "Hospital admissions",
    "The trade deficit",
    "Carbon emissions",
];
const VERBS: &[&str] = &["rose", "fell", "climbed", "dropped", "grew", "shrank"];
const PLACES: &[&str] =
    &["in the U.S.", "in Europe", "across the region", "in the capital", "in rural areas", "on the Gulf coast"];
const OPINIONS: &[&str] = &[
    "Critics say the plan is a mistake.",
    "It was a long day for everyone involved.",
    "What happens next is anyone's guess?",
    "I think we can do better than this.",
    "The mood in the room was tense... and then it lifted.",
    "Residents gathered outside the town hall on Tuesday evening.",
];
const BOILERPLATE: &[&str] = &[
    "Follow us on Facebook, Twitter, and Instagram",
    "Subscribe to our daily newsletter and never miss our top stories!",
    "By Jane Doe, Staff Writer",
    "Photo: Reuters",
    "Read more: The week in review",
    "© 2024 The Daily Example. All rights reserved.",
];
const MONTHS: &[&str] = &["Jan.", "Feb.", "March", "April", "Aug.", "Sept.", "Oct.", "Dec."];

fn sentence(rng: &mut Rng, out: &mut String) {
    let source = rng.pick(SOURCES);
    match rng.below(7) {
        0 => {
            let n = rng.below(90) + 1;
            let d = rng.below(10);
            out.push_str(&format!(
                "{} {} {n}.{d}% {} in {}, according to {source}.",
                rng.pick(SUBJECTS),
                rng.pick(VERBS),
                rng.pick(PLACES),
                2000 + rng.below(25)
            ));
        }
        1 => {
            let b = rng.below(900) + 1;
            out.push_str(&format!(
                "The government will spend ${b}.{} billion on the program by {}, {source} said.",
                rng.below(10),
                2026 + rng.below(10)
            ));
        }
        2 => {
            out.push_str(&format!(
                "{source} told reporters on {} {}: \"We have never seen numbers like these. The trend is clear.\"",
                rng.pick(MONTHS),
                rng.below(28) + 1
            ));
        }
        3 => {
            out.push_str(&format!(
                "{} is now higher than at any time since {}, {source} reported, citing internal figures.",
                rng.pick(SUBJECTS),
                1950 + rng.below(70)
            ));
        }
        4 => {
            out.push_str(&format!(
                "Because of the drought, {} {} by {} percent last year.",
                rng.pick(SUBJECTS).to_lowercase(),
                rng.pick(VERBS),
                rng.below(40) + 2
            ));
        }
        5 => out.push_str(rng.pick(OPINIONS)),
        _ => {
            out.push_str(&format!(
                "\"This is the largest investment in a generation,\" said {source}, adding that {} workers would be hired.",
                (rng.below(90) + 10) * 100
            ));
        }
    }
}

/// About `bytes` bytes (never more, at least one paragraph) of news-like text from `seed`.
pub fn generate(seed: u64, bytes: usize) -> String {
    let mut rng = Rng(seed);
    let mut out = String::with_capacity(bytes + 512);
    let mut paragraph = String::new();
    loop {
        paragraph.clear();
        if rng.below(8) == 0 {
            paragraph.push_str(rng.pick(BOILERPLATE));
        } else {
            for i in 0..(1 + rng.below(5)) {
                if i > 0 {
                    paragraph.push(' ');
                }
                sentence(&mut rng, &mut paragraph);
            }
        }
        if !out.is_empty() && out.len() + paragraph.len() + 1 > bytes {
            break;
        }
        if !out.is_empty() {
            out.push('\n');
        }
        out.push_str(&paragraph);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_seed_same_text_and_size_respected() {
        let a = generate(7, 50_000);
        assert_eq!(a, generate(7, 50_000));
        assert_ne!(a, generate(8, 50_000));
        assert!(a.len() <= 50_000 && a.len() > 45_000, "{}", a.len());
    }

    #[test]
    fn the_corpus_yields_claims_and_boilerplate() {
        let text = generate(1, 20_000);
        let ex = crate::extract::Extractor::default();
        let sentences = ex.sentences(&text);
        assert!(sentences.iter().any(|s| s.boilerplate));
        assert!(sentences.iter().filter(|s| s.is_claim(ex.threshold())).count() > 50);
    }
}
