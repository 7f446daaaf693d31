//! In-text attribution: the source a sentence credits, found from the cue that credits it.
//!
//! Three shapes of cue; the leftmost of the first two wins (in "Sunak said …, according to a statement" the speaker is
//! Sunak, the statement only the medium), and the third only when neither is present:
//! 1. "according to X": the source follows the cue up to the next clause break;
//! 2. "X said", "X told Y", "X reported", "X announced", ...: the source is the noun phrase before the cue, back to
//!    the previous clause break. When a comma comes right before the cue (`Joseph Votel, a retired Army general …,
//!    told`), the subject is the sentence's opening phrase before its first comma. Job titles before a name are
//!    dropped (`Defense Minister Benny Gantz said` credits "Benny Gantz"). After a closing quotation mark the order is
//!    inverted (`"…," said the official`) and the source follows the cue;
//! 3. "citing X", the weakest: it names the reporter's source only when nothing else is credited.
//!
//! Cues inside quotation marks are ignored: words a speaker says are not the sentence's attribution. Spans are byte
//! ranges relative to the sentence, on char boundaries, and the source is the text as written.

use super::Attribution;
use crate::Span;

/// The most words a source's name may have: longer "subjects" are whole clauses, not names.
const MAX_SOURCE_WORDS: usize = 12;

/// How far back (in words) a subject is looked for before a cue; a relative clause can make it longer than a name.
const MAX_SUBJECT_WALK: usize = 24;

/// A word of the sentence: byte range, relative to the sentence.
#[derive(Debug, Clone, Copy)]
struct Word {
    start: usize,
    end: usize,
}

/// The source `sentence` credits, with spans relative to the sentence, or `None` when it credits no one.
pub fn find(sentence: &str) -> Option<Attribution> {
    // Most sentences hold no cue word at all: a quick look for one spares them the full walk. Every cue is a run of
    // ASCII letters, so splitting at anything else finds each cue the walk below could (and perhaps more).
    let mut buf = [0u8; 16];
    let is_cue = |w: &[u8]| matches!(w, b"according" | b"citing") || is_subject_cue(w) || is_finding_cue(w);
    let has_cue = sentence
        .as_bytes()
        .split(|b| !b.is_ascii_alphabetic())
        .any(|piece| piece.len() >= 3 && lowercase(piece, &mut buf).is_some_and(is_cue));
    if !has_cue {
        return None;
    }
    let words = tokenize(sentence);
    if words.is_empty() {
        return None;
    }
    let quoted = quoted_regions(sentence);
    // Quoted regions and words are both in order: one cursor walks the regions, so the check stays linear.
    let mut q = 0usize;
    // Cue words are short ASCII words: lowercase into a stack buffer (`buf`) instead of allocating per word.

    let mut citing: Option<Attribution> = None;
    let mut subject: Option<Attribution> = None;
    for k in 0..words.len() {
        let word = words[k];
        while q < quoted.len() && quoted[q].1 <= word.start {
            q += 1;
        }
        if q < quoted.len() && quoted[q].0 <= word.start && word.end <= quoted[q].1 {
            continue;
        }
        let Some(w) = lowercase(&sentence.as_bytes()[words[k].start..words[k].end], &mut buf) else { continue };
        let next_is_to = || words.get(k + 1).is_some_and(|n| sentence[n.start..n.end].eq_ignore_ascii_case("to"));
        match w {
            b"according" if subject.is_none() && next_is_to() && gap_is_space(sentence, &words, k) => {
                let cue = Span::new(words[k].start, words[k + 1].end);
                if let Some(source) = forward_source(sentence, &words, k + 2) {
                    return Some(make(sentence, source, "according to", cue));
                }
            }
            b"citing" if citing.is_none() => {
                if let Some(source) = forward_source(sentence, &words, k + 1) {
                    citing = Some(make(sentence, source, "citing", span_of(words[k])));
                }
            }
            // "added" credits a speaker only as a verb of saying ("…, he added", "he added that …"), not with an
            // object ("We added 40,000 jobs").
            b"added" if gap_is_space(sentence, &words, k) && !next_is_that(sentence, &words, k) => {}
            _ if subject.is_none()
                && (is_subject_cue(w) || (is_finding_cue(w) && next_is_that(sentence, &words, k))) =>
            {
                if let Some(source) = subject_source(sentence, &words, k) {
                    // Cues are ASCII, so `w` is always text.
                    let cue = std::str::from_utf8(w).unwrap_or_default();
                    subject = Some(make(sentence, source, cue, span_of(words[k])));
                }
            }
            _ => {}
        }
    }
    subject.or(citing)
}

/// `word` in ASCII lowercase, in `buf`, as bytes (no cue is anything but ASCII letters, so the bytes are compared
/// with byte strings and never need checking as UTF-8); `None` when it is longer than the buffer or not ASCII.
fn lowercase<'b>(bytes: &[u8], buf: &'b mut [u8; 16]) -> Option<&'b [u8]> {
    if bytes.len() > buf.len() || !bytes.is_ascii() {
        return None;
    }
    for (d, s) in buf.iter_mut().zip(bytes) {
        *d = s.to_ascii_lowercase();
    }
    Some(&buf[..bytes.len()])
}

fn make(sentence: &str, source: Span, cue: &str, cue_span: Span) -> Attribution {
    Attribution { source: sentence[source.range()].to_owned(), source_span: source, cue: cue.to_owned(), cue_span }
}

fn span_of(w: Word) -> Span {
    Span::new(w.start, w.end)
}

/// Verbs that credit their subject only with a "that" clause: "the study found that …" (but not "found dead").
fn is_finding_cue(w: &[u8]) -> bool {
    matches!(
        w,
        b"found" | b"finds" | b"concluded" | b"concludes" | b"showed" | b"shows" | b"estimates" | b"claims" | b"argued"
    )
}

fn next_is_that(s: &str, words: &[Word], k: usize) -> bool {
    words.get(k + 1).is_some_and(|n| s[n.start..n.end].eq_ignore_ascii_case("that")) && gap_is_space(s, words, k)
}

/// Verbs that credit the subject before them.
fn is_subject_cue(w: &[u8]) -> bool {
    matches!(
        w,
        b"said"
            | b"says"
            | b"say"
            | b"told"
            | b"tells"
            | b"reported"
            | b"announced"
            | b"stated"
            | b"added"
            | b"noted"
            | b"wrote"
            | b"writes"
            | b"tweeted"
            | b"claimed"
            | b"confirmed"
            | b"estimated"
            | b"warned"
            | b"explained"
            | b"insisted"
            | b"argued"
            | b"acknowledged"
            | b"admitted"
            | b"testified"
            | b"revealed"
            | b"disclosed"
            | b"predicted"
    )
}

/// Words: runs of letters and digits, keeping inner `.`, `'`, `’`, `-` and `&` ("U.S", "Israel's", "anti-drone"),
/// and a final `.` after a dotted abbreviation, an initial or a title ("U.S.", "J.", "Gen.") so it is no clause break.
fn tokenize(s: &str) -> Vec<Word> {
    let mut out = Vec::with_capacity(s.len() / 5 + 1);
    let mut i = 0;
    while i < s.len() {
        let (c, len) = char_at(s, i);
        if !is_alnum(c) {
            i += len;
            continue;
        }
        let start = i;
        let mut end = i + len;
        while end < s.len() {
            let (d, d_len) = char_at(s, end);
            let joins = is_alnum(d)
                || (matches!(d, '.' | '\'' | '\u{2019}' | '-' | '&')
                    && end + d_len < s.len()
                    && is_alnum(char_at(s, end + d_len).0));
            if !joins {
                break;
            }
            end += d_len;
        }
        let word = &s[start..end];
        if s.as_bytes().get(end) == Some(&b'.')
            && (word.contains('.') || is_initial(word) || super::abbreviations::is_abbreviation(word))
        {
            end += 1;
        }
        out.push(Word { start, end });
        i = end;
    }
    out
}

/// The character at byte `i` of `s` (a char boundary) and its length; ASCII without decoding.
fn char_at(s: &str, i: usize) -> (char, usize) {
    match s.as_bytes()[i] {
        b if b < 0x80 => (b as char, 1),
        _ => s[i..].chars().next().map_or(('\0', 1), |c| (c, c.len_utf8())),
    }
}

fn is_alnum(c: char) -> bool {
    if c.is_ascii() { c.is_ascii_alphanumeric() } else { c.is_alphanumeric() }
}

fn is_initial(w: &str) -> bool {
    let mut cs = w.chars();
    matches!((cs.next(), cs.next()), (Some(c), None) if c.is_uppercase())
}

/// Quoted stretches of the sentence as byte ranges (marks included). Straight quotes pair up in order; a curly
/// opening mark pairs with the next closing one. An unclosed quotation is ignored.
fn quoted_regions(s: &str) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut open: Option<usize> = None;
    for (i, c) in s.char_indices() {
        match (c, open) {
            ('"' | '\u{201C}', None) => open = Some(i),
            ('"' | '\u{201D}', Some(a)) => {
                out.push((a, i + c.len_utf8()));
                open = None;
            }
            _ => {}
        }
    }
    out
}

/// The text between word `k` and word `k + 1` is only whitespace.
fn gap_is_space(s: &str, words: &[Word], k: usize) -> bool {
    words.get(k + 1).is_some_and(|n| s[words[k].end..n.start].chars().all(char::is_whitespace))
}

/// Whether the gap text between two words breaks a clause (a comma, a colon, a quotation mark, a dash, a bracket).
fn is_break(gap: &str) -> bool {
    gap.chars().any(|c| {
        matches!(
            c,
            ',' | ';'
                | ':'
                | '('
                | ')'
                | '['
                | ']'
                | '"'
                | '\u{201C}'
                | '\u{201D}'
                | '\u{2013}'
                | '\u{2014}'
                | '.'
                | '!'
                | '?'
        )
    }) || gap.contains(" - ")
}

/// Words that end a forward source: a new clause or a time adverbial starts.
fn ends_forward_source(w: &str) -> bool {
    matches!(
        w,
        "that"
            | "which"
            | "who"
            | "whom"
            | "whose"
            | "when"
            | "while"
            | "because"
            | "as"
            | "on"
            | "last"
            | "this"
            | "earlier"
            | "yesterday"
            | "today"
            | "in"
            | "and"
            | "but"
            | "to"
    )
}

/// The source after a cue, from word `from` to the next clause break, a clause word or the sentence end.
fn forward_source(s: &str, words: &[Word], from: usize) -> Option<Span> {
    let first = *words.get(from)?;
    // The cue and the source must not be separated by a break ("according to: …" is not a source).
    if from > 0 && is_break(&s[words[from - 1].end..first.start]) {
        return None;
    }
    let mut last = from;
    let mut k = from + 1;
    while k < words.len() && k - from < MAX_SOURCE_WORDS {
        if is_break(&s[words[k - 1].end..words[k].start]) {
            break;
        }
        let w = s[words[k].start..words[k].end].to_ascii_lowercase();
        // "in" keeps going inside a name-like phrase ("a report in the New York Times") only when what follows is
        // capitalised or a determiner; otherwise it starts an adverbial ("in 2021").
        if w == "in" && words.get(k + 1).is_some_and(|n| starts_name(&s[n.start..n.end])) {
            k += 1;
            continue;
        }
        if ends_forward_source(&w) {
            break;
        }
        last = k;
        k += 1;
    }
    Some(Span::new(first.start, words[last].end))
}

fn starts_name(w: &str) -> bool {
    w.starts_with(|c: char| c.is_uppercase()) || matches!(w, "the" | "a" | "an")
}

/// Auxiliaries between a subject and its cue: "Gantz has said".
fn is_perfect_aux(w: &str) -> bool {
    matches!(w, "has" | "have" | "had")
}

/// Words that make a cue not an attribution here: passives ("it was reported"), infinitives ("refused to say"),
/// modals and negations.
fn blocks_cue(w: &str) -> bool {
    matches!(
        w,
        "was"
            | "were"
            | "is"
            | "are"
            | "be"
            | "been"
            | "being"
            | "to"
            | "would"
            | "could"
            | "will"
            | "can"
            | "may"
            | "might"
            | "should"
            | "must"
            | "did"
            | "do"
            | "does"
            | "not"
            | "never"
            | "didn't"
            | "won't"
            | "as"
            | "if"
    )
}

/// Adverbs that sit between a subject and its cue and are not part of the name: "Gantz also said".
fn is_adverb_before_cue(w: &str) -> bool {
    matches!(
        w,
        "also"
            | "later"
            | "earlier"
            | "previously"
            | "recently"
            | "then"
            | "again"
            | "reportedly"
            | "separately"
            | "yesterday"
            | "today"
            | "once"
            | "repeatedly"
            | "publicly"
            | "privately"
            | "further"
            | "first"
    )
}

/// Relative words: a subject phrase stops before them ("officials who spoke on condition of anonymity said").
fn is_relative(w: &str) -> bool {
    matches!(w, "who" | "which" | "that" | "whose" | "whom")
}

/// The source of a subject cue at word `k`.
fn subject_source(s: &str, words: &[Word], k: usize) -> Option<Span> {
    let mut end = k; // exclusive word index of the subject
    while end > 0 {
        let w = s[words[end - 1].start..words[end - 1].end].to_ascii_lowercase();
        if is_break(&s[words[end - 1].end..words[end].start]) {
            break;
        }
        if blocks_cue(&w) {
            return None;
        }
        if is_perfect_aux(&w) || is_adverb_before_cue(&w) {
            end -= 1;
            continue;
        }
        break;
    }
    // Walk back to the previous clause break, but not further than a subject can be long: this keeps a sentence
    // with many cues linear.
    let mut start = end;
    while start > 0 && !is_break(&s[words[start - 1].end..words[start].start]) {
        if end - start > MAX_SUBJECT_WALK {
            return None;
        }
        start -= 1;
    }
    let gap_before_cue = &s[if end > 0 { words[end - 1].end } else { 0 }..words[end].start];
    if start == end {
        // Nothing between the previous break and the cue.
        if end > 0 && gap_before_cue.contains(['"', '\u{201D}']) {
            // `"…," said the official`: the source follows.
            return forward_source(s, words, k + 1);
        }
        if end > 0 && gap_before_cue.contains(',') {
            return opening_subject(s, words, end);
        }
        return None;
    }
    // Cut at a relative word: "officials who spoke … said" credits "officials".
    let mut stop = end;
    for j in start..end {
        if is_relative(&s[words[j].start..words[j].end].to_ascii_lowercase()) {
            stop = j;
            break;
        }
    }
    if stop == start {
        // ", which was released on Tuesday, said": the subject opens the sentence.
        return opening_subject(s, words, start);
    }
    if stop - start > MAX_SOURCE_WORDS {
        return None;
    }
    let start = skip_opening_adverbial(s, words, start, stop);
    let (a, b) = strip_title(s, words, start, stop);
    Some(Span::new(words[a].start, words[b - 1].end))
}

/// A subject chunk opening with an adverbial without a comma ("On Tuesday the ministry said", "In 2021 Israeli
/// officials said"): the subject starts at the last determiner, or else after the preposition and its first word.
/// After "as" ("…, as the CBO said") it starts at the next word.
fn skip_opening_adverbial(s: &str, words: &[Word], start: usize, stop: usize) -> usize {
    let text = |j: usize| &s[words[j].start..words[j].end];
    // "…, as the CBO said": the subject follows "as".
    if text(start).eq_ignore_ascii_case("as") && stop - start >= 2 {
        return start + 1;
    }
    let opens_adverbial = matches!(
        text(start).to_ascii_lowercase().as_str(),
        "in" | "on" | "at" | "since" | "during" | "after" | "before" | "by" | "from" | "last" | "earlier" | "later"
    );
    if !opens_adverbial || stop - start < 2 {
        return start;
    }
    let determiner = (start + 2..stop).rev().find(|&j| matches!(text(j), "the" | "a" | "an" | "one" | "The" | "A"));
    determiner.unwrap_or(start + 2).min(stop - 1)
}

/// The opening phrase of the sentence up to its first clause break, as the subject of a cue at word `before`
/// (`Joseph Votel, a retired Army general …, told`). It must be short and look like a noun phrase.
fn opening_subject(s: &str, words: &[Word], before: usize) -> Option<Span> {
    let mut end = 1;
    while end < before && end <= 8 && !is_break(&s[words[end - 1].end..words[end].start]) {
        end += 1;
    }
    if end > 8 || end >= before {
        return None;
    }
    // Skip a leading conjunction ("But the report, …, said").
    let mut start = 0;
    let first = s[words[0].start..words[0].end].to_ascii_lowercase();
    if matches!(first.as_str(), "but" | "and" | "yet" | "so") && end > 1 {
        start = 1;
    }
    let head = &s[words[start].start..words[start].end];
    let head_low = head.to_ascii_lowercase();
    let looks_like_subject = head.starts_with(|c: char| c.is_uppercase())
        || matches!(head_low.as_str(), "the" | "a" | "an" | "one" | "two" | "three" | "several" | "some" | "many");
    // An opening adverbial ("In recent months,", "Since 2020,") is not a subject.
    let adverbial = matches!(
        head_low.as_str(),
        "in" | "on"
            | "at"
            | "since"
            | "during"
            | "after"
            | "before"
            | "for"
            | "by"
            | "with"
            | "from"
            | "as"
            | "when"
            | "while"
            | "although"
            | "though"
            | "if"
            | "additionally"
            | "meanwhile"
            | "however"
            | "also"
            | "still"
            | "last"
            | "this"
            | "earlier"
            | "later"
            | "then"
            | "now"
            | "today"
            | "yesterday"
            | "overall"
            | "instead"
    );
    if !looks_like_subject || adverbial || !s[words[end - 1].end..words[end].start].contains(',') {
        return None;
    }
    let (a, b) = strip_title(s, words, start, end);
    Some(Span::new(words[a].start, words[b - 1].end))
}

/// Job titles dropped before a name: `Defense Minister Benny Gantz` credits "Benny Gantz".
fn is_job_title(w: &str) -> bool {
    matches!(
        w.to_ascii_lowercase().trim_end_matches('.'),
        "minister"
            | "president"
            | "secretary"
            | "spokesman"
            | "spokeswoman"
            | "spokesperson"
            | "director"
            | "chairman"
            | "chairwoman"
            | "chair"
            | "ceo"
            | "ambassador"
            | "governor"
            | "gov"
            | "senator"
            | "sen"
            | "rep"
            | "representative"
            | "gen"
            | "general"
            | "adm"
            | "admiral"
            | "col"
            | "colonel"
            | "lt"
            | "maj"
            | "major"
            | "capt"
            | "captain"
            | "commander"
            | "chief"
            | "mayor"
            | "king"
            | "queen"
            | "prince"
            | "princess"
            | "premier"
            | "chancellor"
            | "speaker"
            | "envoy"
            | "judge"
            | "justice"
            | "professor"
            | "prof"
            | "sheikh"
            | "analyst"
            | "economist"
            | "founder"
            | "leader"
    )
}

/// Drop job titles before a name: if a job title is followed only by capitalised words (one to four), the source is
/// those words. Returns the word range `(a, b)` to keep.
fn strip_title(s: &str, words: &[Word], a: usize, b: usize) -> (usize, usize) {
    let Some(last_title) = (a..b).rev().find(|&j| is_job_title(&s[words[j].start..words[j].end])) else {
        return (a, b);
    };
    // "Secretary of State Antony Blinken": a title's "of X" complement is not the name; the name is then the last
    // two words.
    let after = last_title + 1;
    let first_after = words.get(after).map(|w| &s[w.start..w.end]);
    let name_start = if matches!(first_after, Some("of" | "for")) && b >= after + 4 { b - 2 } else { after };
    let name = name_start..b;
    let is_name = !name.is_empty()
        && name.len() <= 4
        && name.clone().all(|j| s[words[j].start..words[j].end].starts_with(|c: char| c.is_uppercase()));
    if is_name { (name_start, b) } else { (a, b) }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn source(s: &str) -> Option<String> {
        find(s).map(|a| {
            assert_eq!(&s[a.source_span.range()], a.source, "source span matches the text");
            assert!(!a.cue_span.is_empty() && a.cue_span.is_valid_in(s));
            a.source
        })
    }

    fn cue(s: &str) -> Option<String> {
        find(s).map(|a| s[a.cue_span.range()].to_owned())
    }

    #[test]
    fn according_to() {
        let s = "Bahrain trains its officers, according to a senior Bahraini official.";
        assert_eq!(source(s).as_deref(), Some("a senior Bahraini official"));
        assert_eq!(cue(s).as_deref(), Some("according to"));
        let s = "And in the most sensitive effort yet, according to the Wall Street Journal, officials confer.";
        assert_eq!(source(s).as_deref(), Some("the Wall Street Journal"));
        assert_eq!(source("Sales rose, according to U.S. officials.").as_deref(), Some("U.S. officials"));
        assert_eq!(
            source("It fell, according to a report in the New York Times on Monday.").as_deref(),
            Some("a report in the New York Times")
        );
    }

    #[test]
    fn subject_said() {
        assert_eq!(source("Israel agreed to provide drones, the official said.").as_deref(), Some("the official"));
        assert_eq!(source("Israel has sold arms, Gantz said.").as_deref(), Some("Gantz"));
        assert_eq!(source("The ministry said 150 people died.").as_deref(), Some("The ministry"));
        assert_eq!(
            source("Officials who spoke on condition of anonymity said it was over.").as_deref(),
            Some("Officials")
        );
        assert_eq!(source("Gantz has also said it was over.").as_deref(), Some("Gantz"));
        assert_eq!(source("On Tuesday the ministry said 5 died.").as_deref(), Some("the ministry"));
        assert_eq!(source("In 2021 Israeli officials said 5 died.").as_deref(), Some("Israeli officials"));
        assert_eq!(source("In a statement the ministry said 5 died.").as_deref(), Some("the ministry"));
        assert_eq!(source("Later he said 5 died.").as_deref(), Some("he"));
        assert_eq!(source("Costs rose 5%, as the CBO said.").as_deref(), Some("the CBO"));
        assert_eq!(source("\"It is over,\" he added.").as_deref(), Some("he"));
        assert_eq!(source("He added that it was over.").as_deref(), Some("He"));
        assert_eq!(source("We added 40,000 jobs."), None);
        assert_eq!(
            source("We added 40,000 jobs, as the Bureau of Labor Statistics reported in March.").as_deref(),
            Some("the Bureau of Labor Statistics")
        );
    }

    #[test]
    fn job_titles_are_dropped_before_names() {
        let s = "Officials held 150 meetings, Defense Minister Benny Gantz said last week.";
        assert_eq!(source(s).as_deref(), Some("Benny Gantz"));
        assert_eq!(cue(s).as_deref(), Some("said"));
        assert_eq!(source("The Prime Minister said so.").as_deref(), Some("The Prime Minister"));
        let s = "\"It is a turning point,\" Secretary of State Antony Blinken told reporters.";
        assert_eq!(source(s).as_deref(), Some("Antony Blinken"));
        assert_eq!(
            source("The study, published in Nature, found that 1 in 5 adults are ill.").as_deref(),
            Some("The study")
        );
        assert_eq!(source("Rescuers found 12 bodies."), None);
    }

    #[test]
    fn told_with_appositive_credits_the_opening_name() {
        let s = "Joseph Votel, a retired Army general who served as head of CENTCOM until 2019, told the Wall Street \
                 Journal that \"Israel has the potential.\"";
        assert_eq!(source(s).as_deref(), Some("Joseph Votel"));
        assert_eq!(cue(s).as_deref(), Some("told"));
        let s = "The report, which was released on Tuesday, said the army grew.";
        assert_eq!(source(s).as_deref(), Some("The report"));
        // An opening adverbial is not a subject.
        assert_eq!(source("In recent months, as the war went on, said nothing."), None);
    }

    #[test]
    fn reported_beats_citing() {
        let s =
            "Biden will push for deeper ties, the Wall Street Journal reported on Tuesday, citing senior officials.";
        assert_eq!(source(s).as_deref(), Some("the Wall Street Journal"));
        assert_eq!(cue(s).as_deref(), Some("reported"));
        assert_eq!(source("Prices rose, citing senior officials.").as_deref(), Some("senior officials"));
        assert_eq!(cue("Prices rose, citing senior officials.").as_deref(), Some("citing"));
    }

    #[test]
    fn leftmost_of_according_to_and_said_wins() {
        let s = "Prime Minister Rishi Sunak said emissions would fall, according to a statement.";
        assert_eq!(source(s).as_deref(), Some("Rishi Sunak"));
        let s = "According to the report, officials said emissions would fall.";
        assert_eq!(source(s).as_deref(), Some("the report"));
    }

    #[test]
    fn inverted_after_a_quotation() {
        assert_eq!(source("\"We are ready,\" said the official.").as_deref(), Some("the official"));
        assert_eq!(source("\u{201C}We are ready,\u{201D} he said.").as_deref(), Some("he"));
    }

    #[test]
    fn cues_inside_quotes_are_ignored() {
        assert_eq!(source("\"They told us nothing,\" the mayor said.").as_deref(), Some("the mayor"));
        assert_eq!(source("He wrote \"as the critics said, it failed\"."), Some("He".to_owned()));
    }

    #[test]
    fn many_cues_and_quotes_stay_fast_and_sane() {
        let s = "a ".repeat(5000) + &"said ".repeat(5000);
        assert_eq!(find(&s), None, "no subject within reach");
        let s = "\"x\" ".repeat(5000) + "the mayor said.";
        assert_eq!(source(&s).as_deref(), Some("the mayor"));
    }

    #[test]
    fn no_source() {
        assert_eq!(source("Israeli sailors have trained with Arab counterparts in the Red Sea."), None);
        assert_eq!(source("It was reported that prices rose."), None);
        assert_eq!(source("He refused to say whether it happened."), None);
        assert_eq!(source("according to"), None);
        assert_eq!(source(""), None);
        assert_eq!(source("said"), None);
    }
}
