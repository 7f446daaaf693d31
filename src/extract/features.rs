//! Sentence features: the cheap, hand-picked signals the rule scorer, the claim-kind tagger and trained scorers share.
//!
//! [`features`] reads a sentence in one pass over its bytes. Words are runs of ASCII letters and digits (plus any
//! non-ASCII byte, and apostrophes inside a word); a word is lowercased into a small stack buffer and matched against
//! fixed word lists with `match`, which the compiler turns into length-and-byte comparisons, so there is no
//! allocation and no regex per sentence. Numbers keep their inner `.` and `,` ("3.5", "1,200") as one token.
//!
//! [`Features::as_vector`] gives a fixed-length vector with every value in [0, 1] (booleans as 0/1, counts capped and
//! scaled), named by [`Features::NAMES`], for models that learn weights over these features.

/// What one sentence looks like, as counts and flags. Counts are exact; [`Features::as_vector`] scales them.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Features {
    /// Words in the sentence (numbers count as words).
    pub words: u32,
    /// Numeric tokens written with digits ("150", "3.5", "2021").
    pub numbers: u32,
    /// Number words ("six", "dozen", "million", "twice").
    pub number_words: u32,
    /// A currency sign ($ £ € ¥) or a currency word ("dollars", "euros").
    pub money: bool,
    /// A percentage: "%" or "percent" / "per cent" / "percentage".
    pub percent: bool,
    /// A four-digit year between 1800 and 2100.
    pub year: bool,
    /// How many of `numbers` are such years (not in the vector: `numbers - years` counts quantities).
    pub years: u32,
    /// A month or weekday name, or a relative date word ("yesterday", "last week" counts through "last").
    pub date_word: bool,
    /// Comparatives ("more", "less", "higher", "than", "fewer", "-er than").
    pub comparatives: u32,
    /// Superlatives ("most", "least", "largest", "best", "worst", other "-est" adjectives).
    pub superlatives: u32,
    /// Attribution cues ("said", "says", "according", "told", "reported", "citing", "announced", ...).
    pub attribution_cues: u32,
    /// Double quotation marks, straight or curly.
    pub quote_marks: u32,
    /// Capitalised words that do not start the sentence or a quotation (names, places, organisations).
    pub capitalised: u32,
    /// Words in capitals of two letters or more ("US", "CENTCOM", "NATO").
    pub acronyms: u32,
    /// Hedges ("may", "might", "could", "reportedly", "allegedly", "possibly", "likely").
    pub hedges: u32,
    /// First-person words ("I", "we", "my", "our", "me", "us" in lower case).
    pub first_person: u32,
    /// Second-person words ("you", "your").
    pub second_person: u32,
    /// Opinion verbs ("think", "believe", "feel", "hope", "want").
    pub opinion: u32,
    /// Negations ("not", "never", "no", "n't").
    pub negations: u32,
    /// The sentence contains a question mark.
    pub question: bool,
    /// Future and plan words ("will", "plans", "expected", "going", "intends", "forecast", "next").
    pub future: u32,
    /// Causal words ("because", "due", "caused", "led", "result", "therefore", "thanks").
    pub causal: u32,
}

/// The number of values in [`Features::as_vector`].
pub const N_FEATURES: usize = 22;

impl Features {
    /// The name of each value of [`Features::as_vector`], in order.
    pub const NAMES: [&'static str; N_FEATURES] = [
        "words",
        "numbers",
        "number_words",
        "money",
        "percent",
        "year",
        "date_word",
        "comparatives",
        "superlatives",
        "attribution_cues",
        "quote_marks",
        "capitalised",
        "acronyms",
        "hedges",
        "first_person",
        "second_person",
        "opinion",
        "negations",
        "question",
        "future",
        "causal",
        "short",
    ];

    /// The features as numbers in [0, 1]: flags as 0/1, counts divided by a cap and clipped (words by 40, names by
    /// 4, quote marks by 2, other counts by 2), and a final `short` flag for sentences under 6 words.
    pub fn as_vector(&self) -> [f32; N_FEATURES] {
        fn cap(n: u32, c: f32) -> f32 {
            (n as f32 / c).min(1.0)
        }
        fn flag(b: bool) -> f32 {
            if b { 1.0 } else { 0.0 }
        }
        [
            cap(self.words, 40.0),
            cap(self.numbers, 2.0),
            cap(self.number_words, 2.0),
            flag(self.money),
            flag(self.percent),
            flag(self.year),
            flag(self.date_word),
            cap(self.comparatives, 2.0),
            cap(self.superlatives, 2.0),
            cap(self.attribution_cues, 2.0),
            cap(self.quote_marks, 2.0),
            cap(self.capitalised, 4.0),
            cap(self.acronyms, 2.0),
            cap(self.hedges, 2.0),
            cap(self.first_person, 2.0),
            cap(self.second_person, 2.0),
            cap(self.opinion, 2.0),
            cap(self.negations, 2.0),
            flag(self.question),
            cap(self.future, 2.0),
            cap(self.causal, 2.0),
            flag(self.words < 6),
        ]
    }

    /// Whether the sentence states a quantity: digits, number words, money or a percentage.
    pub fn has_quantity(&self) -> bool {
        self.numbers > self.years || self.number_words > 0 || self.money || self.percent
    }
}

/// Longest word matched against the word lists; longer words are still counted, just not looked up.
const MAX_WORD: usize = 24;

/// The features of one sentence, in one pass over its bytes.
pub fn features(sentence: &str) -> Features {
    let bytes = sentence.as_bytes();
    let mut f = Features::default();
    let mut buf = [0u8; MAX_WORD];
    let mut i = 0;
    // The last non-space byte before the current word: a capital after an opening quote or a colon starts a
    // quotation, not a name.
    let mut prev_sig: u8 = 0;
    let mut first_word = true;
    // The previous word, lowercased, for two-word cues ("according to", "per cent", "due to", "last week").
    let mut prev = [0u8; MAX_WORD];
    let mut prev_len = 0usize;
    while i < bytes.len() {
        let b = bytes[i];
        let punct = punct_len(bytes, i);
        if punct > 0 || !is_word_byte(b) {
            match b {
                b'"' => f.quote_marks += 1,
                b'$' => f.money = true,
                b'%' => f.percent = true,
                b'?' => f.question = true,
                // “ ” are E2 80 9C / E2 80 9D; € is E2 82 AC; £ and ¥ are C2 A3 and C2 A5.
                0xE2 => match bytes.get(i + 1..i + 3) {
                    Some(&[0x80, 0x9C | 0x9D]) => f.quote_marks += 1,
                    Some(&[0x82, 0xAC]) => f.money = true,
                    _ => {}
                },
                0xC2 if matches!(bytes.get(i + 1), Some(0xA3 | 0xA5)) => f.money = true,
                _ => {}
            }
            let is_space = b.is_ascii_whitespace() || (b == 0xC2 && bytes.get(i + 1) == Some(&0xA0));
            if !is_space {
                prev_sig = if punct == 3 && matches!(bytes.get(i + 2), Some(0x9C)) { b'"' } else { b };
            }
            i += punct.max(1);
            continue;
        }
        let start = i;
        let starts_digit = b.is_ascii_digit();
        let mut all_digits = starts_digit;
        let mut upper = 0usize;
        let mut len = 0usize;
        while i < bytes.len() {
            let c = bytes[i];
            if is_word_byte(c) {
                // Non-ASCII punctuation (curly quotes, dashes, currency signs) ends a word; the apostrophe stays.
                if c >= 0x80 && punct_len(bytes, i) > 0 {
                    break;
                }
                if !c.is_ascii_digit() {
                    all_digits = false;
                }
                if c.is_ascii_uppercase() {
                    upper += 1;
                }
                if len < MAX_WORD {
                    buf[len] = c.to_ascii_lowercase();
                }
                len += 1;
                i += 1;
            } else if (c == b'.' || c == b',')
                && starts_digit
                && bytes.get(i + 1).is_some_and(|n| n.is_ascii_digit())
                && i > start
                && bytes[i - 1].is_ascii_digit()
            {
                // "3.5", "1,200": one number.
                all_digits = false;
                if len < MAX_WORD {
                    buf[len] = c;
                }
                len += 1;
                i += 1;
            } else if c == b'\'' && bytes.get(i + 1).is_some_and(|n| n.is_ascii_alphabetic()) && len > 0 {
                if len < MAX_WORD {
                    buf[len] = c;
                }
                len += 1;
                i += 1;
            } else {
                break;
            }
        }
        f.words += 1;
        let word_len = i - start;
        if starts_digit {
            f.numbers += 1;
            if all_digits && word_len == 4 {
                let y = std::str::from_utf8(&bytes[start..i]).ok().and_then(|s| s.parse::<u32>().ok());
                if y.is_some_and(|y| (1800..=2100).contains(&y)) {
                    f.year = true;
                    f.years += 1;
                }
            }
        } else {
            let first = bytes[start];
            if first.is_ascii_uppercase() {
                let quote_start = matches!(prev_sig, b'"' | b':' | b'(');
                let whole_upper = upper == word_len && word_len >= 2;
                if whole_upper {
                    f.acronyms += 1;
                } else if !(first_word || quote_start || (word_len == 1 && first == b'I')) {
                    f.capitalised += 1;
                }
            }
            if len <= MAX_WORD {
                let w = &buf[..len];
                // "U.S.-led" is not causal: a word right after a hyphen only counts when it is not "led".
                if !(w == b"led" && start > 0 && bytes[start - 1] == b'-') {
                    classify_word(w, &prev[..prev_len], &bytes[start..i], &mut f);
                }
            }
        }
        if len <= MAX_WORD {
            prev[..len].copy_from_slice(&buf[..len]);
            prev_len = len;
        } else {
            prev_len = 0;
        }
        first_word = false;
        prev_sig = bytes[i - 1];
    }
    f
}

/// Bytes that make up words: ASCII letters and digits, and every byte of a non-ASCII character (so "Israel’s" and
/// "naïve" are one word).
#[inline]
fn is_word_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b >= 0x80
}

/// The length of the non-ASCII punctuation character at `i` (0 when there is none): the General Punctuation block
/// (dashes, curly quotes, ellipsis; not the apostrophe ’), currency signs (€) and Latin-1 punctuation (no-break space,
/// £, ¥, «, »). These must split words even though their bytes are non-ASCII.
#[inline]
fn punct_len(bytes: &[u8], i: usize) -> usize {
    match bytes[i] {
        0xE2 => match bytes.get(i + 1..i + 3) {
            Some(&[0x80, 0x99]) => 0,
            Some(&[0x80..=0x82, _]) => 3,
            _ => 0,
        },
        0xC2 => match bytes.get(i + 1) {
            Some(0xA0..=0xBF) => 2,
            _ => 0,
        },
        _ => 0,
    }
}

/// Count one lowercased word `w` (after `prev`) into `f`. `raw` is the word as written, for case-sensitive checks.
fn classify_word(w: &[u8], prev: &[u8], raw: &[u8], f: &mut Features) {
    match w {
        // Number words.
        b"two" | b"three" | b"four" | b"five" | b"six" | b"seven" | b"eight" | b"nine" | b"ten" | b"eleven"
        | b"twelve" | b"twenty" | b"thirty" | b"forty" | b"fifty" | b"hundred" | b"hundreds" | b"thousand"
        | b"thousands" | b"million" | b"millions" | b"billion" | b"billions" | b"trillion" | b"dozen" | b"dozens"
        | b"half" | b"twice" | b"double" | b"doubled" | b"tripled" | b"quarter" | b"third" | b"majority" => {
            f.number_words += 1
        }
        b"dollar" | b"dollars" | b"euro" | b"euros" | b"cents" | b"usd" | b"bucks" => f.money = true,
        b"percent" | b"percentage" | b"percentages" => f.percent = true,
        b"cent" if prev == b"per" => f.percent = true,
        b"january" | b"february" | b"march" | b"april" | b"june" | b"july" | b"august" | b"september" | b"october"
        | b"november" | b"december" | b"monday" | b"tuesday" | b"wednesday" | b"thursday" | b"friday" | b"saturday"
        | b"sunday" | b"yesterday" | b"today" | b"tomorrow" | b"jan" | b"feb" | b"aug" | b"sept" | b"oct" | b"nov"
        | b"dec" => f.date_word = true,
        b"week" | b"month" | b"year" | b"months" | b"years" | b"decade" | b"decades"
            if matches!(prev, b"last" | b"this" | b"next" | b"past") =>
        {
            f.date_word = true
        }
        // "May" the month is ambiguous with the hedge; a capital May not starting the sentence reads as the month.
        b"may" => {
            if raw[0] == b'M' {
                f.date_word = true;
            } else {
                f.hedges += 1;
            }
        }
        // Comparatives.
        b"more" | b"less" | b"fewer" | b"than" | b"higher" | b"lower" | b"larger" | b"smaller" | b"bigger"
        | b"greater" | b"better" | b"worse" | b"faster" | b"slower" | b"cheaper" | b"older" | b"younger"
        | b"longer" | b"shorter" | b"richer" | b"poorer" | b"stronger" | b"weaker" | b"deeper" | b"increased"
        | b"decreased" | b"compared" | b"rose" | b"fell" | b"grew" | b"declined" | b"dropped" => f.comparatives += 1,
        // Superlatives.
        b"most" | b"least" | b"best" | b"worst" | b"largest" | b"biggest" | b"highest" | b"lowest" | b"smallest"
        | b"greatest" | b"fastest" | b"longest" | b"oldest" | b"richest" | b"poorest" | b"strongest" | b"record" => {
            f.superlatives += 1
        }
        // Attribution cues.
        b"said" | b"says" | b"according" | b"told" | b"reported" | b"reports" | b"citing" | b"cited" | b"stated"
        | b"claimed" | b"claims" | b"announced" | b"added" | b"noted" | b"explained" | b"wrote" | b"tweeted"
        | b"confirmed" | b"revealed" | b"disclosed" | b"estimated" | b"estimates" | b"testified" | b"insisted"
        | b"warned" | b"acknowledged" | b"admitted" | b"denied" => f.attribution_cues += 1,
        // Hedges.
        b"might" | b"could" | b"reportedly" | b"allegedly" | b"possibly" | b"perhaps" | b"likely" | b"probably"
        | b"apparently" | b"seems" | b"seem" | b"suggests" | b"maybe" | b"unclear" | b"purportedly" => f.hedges += 1,
        // First person ("US" in capitals is the country, so only a lowercase "us").
        b"i" | b"we" | b"my" | b"our" | b"me" | b"ours" | b"myself" | b"ourselves" | b"i'm" | b"we're" | b"i've"
        | b"we've" | b"i'll" | b"we'll" | b"i'd" => f.first_person += 1,
        b"us" if raw == b"us" => f.first_person += 1,
        b"you" | b"your" | b"yours" | b"yourself" | b"you're" | b"you've" | b"you'll" => f.second_person += 1,
        b"think" | b"believe" | b"feel" | b"hope" | b"want" | b"wish" | b"love" | b"guess" | b"agree" | b"opinion" => {
            f.opinion += 1
        }
        b"not" | b"never" | b"no" | b"none" | b"nobody" | b"nothing" | b"neither" | b"nor" | b"cannot" => {
            f.negations += 1
        }
        // Future and plans.
        b"will" | b"won't" | b"shall" | b"plans" | b"planned" | b"planning" | b"expected" | b"expects" | b"intends"
        | b"intend" | b"forecast" | b"forecasts" | b"projected" | b"predicted" | b"predicts" | b"upcoming"
        | b"aims" | b"vowed" | b"pledged" | b"promised" | b"scheduled" | b"soon" => f.future += 1,
        b"going" | b"plan" | b"set" | b"due" if matches!(prev, b"is" | b"are" | b"was" | b"were" | b"'s") => {
            // "is going to", "is set to", "are due to": plans. ("due to" without a copula is causal, below.)
            f.future += 1
        }
        b"next" if !matches!(prev, b"the") => f.future += 1,
        // Causal.
        b"because" | b"due" | b"caused" | b"causes" | b"cause" | b"causing" | b"led" | b"leads" | b"result"
        | b"resulted" | b"results" | b"therefore" | b"thus" | b"hence" | b"consequently" | b"owing" | b"thanks"
        | b"blamed" | b"triggered" | b"attributed" => f.causal += 1,
        _ => {
            if let Some(n) = w.strip_suffix(b"n't") {
                f.negations += 1;
                if n == b"wo" {
                    f.future += 1;
                }
            } else if w.ends_with(b"est") && w.len() >= 7 && !is_est_noun(w) {
                // Other superlatives: "toughest", "wealthiest". Short "-est" words are mostly nouns ("test", "west").
                f.superlatives += 1;
            }
        }
    }
}

/// "-est" words that are not superlatives.
fn is_est_noun(w: &[u8]) -> bool {
    matches!(
        w,
        b"interest"
            | b"request"
            | b"protest"
            | b"suggest"
            | b"forest"
            | b"honest"
            | b"modest"
            | b"contest"
            | b"harvest"
            | b"invest"
            | b"arrest"
            | b"digest"
            | b"manifest"
            | b"conquest"
            | b"bequest"
            | b"southwest"
            | b"northwest"
            | b"midwest"
            | b"earnest"
            | b"dishonest"
            | b"interest's"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_numbers_money_percent_and_years() {
        let f = features("Israel has sold more than $3.5 billion in arms, and in 2021, 7% went to 1,200 firms.");
        assert_eq!(f.numbers, 4, "3.5, 2021, 7, 1,200: {f:?}");
        assert!(f.money);
        assert!(f.percent);
        assert!(f.year);
        assert_eq!(f.number_words, 1, "billion");
        assert!(f.comparatives >= 2, "more than");
        assert!(f.has_quantity());
    }

    #[test]
    fn years_need_four_digits_in_range() {
        assert!(!features("He paid 3000 for it.").year);
        assert!(!features("Room 12345.").year);
        assert!(features("Back in 1999 things were different.").year);
    }

    #[test]
    fn percent_words_and_currency_signs() {
        assert!(features("Turnout rose 12 per cent.").percent);
        assert!(features("Costs were 40 percent higher.").percent);
        assert!(features("It cost €40.").money);
        assert!(features("It cost £40.").money);
        assert!(features("It cost forty dollars.").money);
        assert!(!features("It cost a lot.").money);
    }

    #[test]
    fn attribution_cues_and_quotes() {
        let f = features("\u{201C}We are ready,\u{201D} the official told reporters, according to Reuters.");
        assert_eq!(f.quote_marks, 2);
        assert_eq!(f.attribution_cues, 2, "told, according: {f:?}");
        assert_eq!(f.first_person, 1);
        let f = features("Gantz said \"yes\" citing reports.");
        assert_eq!(f.quote_marks, 2);
        assert_eq!(f.attribution_cues, 3, "said, citing, reports");
    }

    #[test]
    fn capitalised_names_not_at_sentence_or_quote_start() {
        let f = features("The deal, said Defense Minister Benny Gantz, was \"Historic\" for the US.");
        assert_eq!(f.capitalised, 4, "Defense Minister Benny Gantz: {f:?}");
        assert_eq!(f.acronyms, 1, "US");
        assert_eq!(f.first_person, 0, "US is not us");
        assert_eq!(features("I said it.").capitalised, 0);
    }

    #[test]
    fn hedges_first_person_questions_opinion() {
        let f = features("We think it might reportedly fail, don't you?");
        assert_eq!(f.hedges, 2);
        assert_eq!(f.first_person, 1);
        assert_eq!(f.opinion, 1);
        assert_eq!(f.second_person, 1);
        assert_eq!(f.negations, 1);
        assert!(f.question);
        assert!(!features("It failed.").question);
    }

    #[test]
    fn may_is_a_hedge_or_a_month() {
        let f = features("Prices may rise.");
        assert_eq!(f.hedges, 1);
        assert!(!f.date_word);
        let f = features("Prices rose in May.");
        assert_eq!(f.hedges, 0);
        assert!(f.date_word);
    }

    #[test]
    fn future_and_causal() {
        let f = features("Biden will push for more, and the firm plans to hire because sales are expected to rise.");
        assert_eq!(f.future, 3, "will, plans, expected: {f:?}");
        assert_eq!(f.causal, 1);
        assert_eq!(features("The flight is due to leave.").future, 1);
        assert_eq!(features("It fell due to rain.").causal, 1);
        assert_eq!(features("It won't happen.").future, 1);
    }

    #[test]
    fn superlatives() {
        let f = features("It was America's largest exercise and the toughest test in the west.");
        assert_eq!(f.superlatives, 2, "largest, toughest; not test or west: {f:?}");
    }

    #[test]
    fn length_in_words() {
        assert_eq!(features("").words, 0);
        assert_eq!(features("One two, three-four.").words, 4);
        assert_eq!(features("Israel’s naïve plan").words, 3, "apostrophes and accents stay inside words");
    }

    #[test]
    fn vector_is_in_unit_range_and_named() {
        let f = features("In 2021, 7% of Israel's $3 billion sales went to 150 firms, the most ever, Gantz said.");
        let v = f.as_vector();
        assert_eq!(v.len(), Features::NAMES.len());
        assert!(v.iter().all(|x| (0.0..=1.0).contains(x)), "{v:?}");
        let idx = |name: &str| Features::NAMES.iter().position(|n| *n == name).unwrap_or(usize::MAX);
        assert_eq!(v[idx("money")], 1.0);
        assert_eq!(v[idx("percent")], 1.0);
        assert_eq!(v[idx("short")], 0.0);
    }

    #[test]
    fn odd_input_does_not_panic() {
        for s in ["\u{E2}", "’’’", "“", "9.", ".9", "1,", "$", "'", "a'", "x\u{201D}y", "\u{20AC}\u{20AC}", "é"]
        {
            let _ = features(s);
        }
        let long = "a".repeat(100) + " said " + &"9".repeat(50);
        let f = features(&long);
        assert_eq!(f.words, 3);
        assert_eq!(f.attribution_cues, 1);
    }
}
