//! Sentence segmentation fit for news text.
//!
//! This module owns cutting a document's exact text into sentence spans. It works in two steps:
//! 1. Paragraphs. A blank line always ends a paragraph. A single newline does too (news copy pasted as plain text puts
//!    one paragraph per line, and lines like "Follow us on Facebook" have no final period), unless the whole text
//!    looks hard-wrapped: most lines 50 to 100 characters long and most of them ending mid-sentence, in which case a
//!    single newline is a space. `\r` is whitespace, so CRLF text segments like LF text.
//! 2. Sentences inside a paragraph. A sentence ends after `.`, `!`, `?` or an ellipsis (with any closing quotes or
//!    brackets after it) when whitespace and then something that can start a sentence follow (not a lowercase
//!    letter). A `.` does not end a sentence after a title ("Gen.", "Mr."), an initial ("J."), a month before a
//!    number ("Jan. 6") or, unless a common sentence opener follows, after dotted abbreviations ("U.S.", "a.m.") and
//!    "Inc.", "Co.", "etc.". A quotation or a parenthesis that closes within its paragraph is never cut inside, so a
//!    quotation introduced by its attribution (`told the Journal: "… . …"`) stays one sentence with it.
//!
//! Spans are byte ranges into the original text, trimmed of whitespace, ordered, non-overlapping, never empty and on
//! char boundaries.

use super::abbreviations::{self, Abbreviation, Dotted, is_common_opener};
use super::boilerplate;
use crate::Span;

/// The longest quotation or parenthesis (in bytes) kept whole; longer ones are segmented inside, so one stray quote
/// mark cannot swallow a paragraph.
const MAX_QUOTE_BYTES: usize = 1500;

/// The sentences of `text` as byte spans, in order, non-overlapping, trimmed, on char boundaries.
pub fn sentences(text: &str) -> Vec<Span> {
    sentences_of_lines(text, &lines(text))
}

/// [`sentences`] of `text` whose [`lines`] have been found already (the extractor finds them once for transcript
/// detection and segmentation both).
pub fn sentences_of_lines(text: &str, lines: &[Span]) -> Vec<Span> {
    let mut out = Vec::with_capacity(text.len() / 100 + 1);
    let wrapped = lines_are_hard_wrapped(text, lines);
    for para in paragraphs_of_lines(text, lines, wrapped) {
        split_paragraph(text, para, &mut out);
    }
    out
}

/// The lines of `text`, as `text.split('\n')` gives them (without their line feeds; one more than there are line
/// feeds), found in one pass.
pub fn lines(text: &str) -> Vec<Span> {
    let mut out = Vec::with_capacity(text.len() / 64 + 1);
    let mut start = 0;
    for line in text.split_inclusive('\n') {
        let end = start + line.len();
        out.push(Span::new(start, end - usize::from(line.ends_with('\n'))));
        start = end;
    }
    if text.is_empty() || text.ends_with('\n') {
        out.push(Span::new(text.len(), text.len()));
    }
    out
}

/// The sentences of the part `span` of `text` (a transcript turn's words), appended to `out`: each line is a
/// paragraph of its own.
pub fn sentences_in(text: &str, span: Span, out: &mut Vec<Span>) {
    let mut start = span.start;
    for line in text[span.range()].split_inclusive('\n') {
        let end = start + line.len();
        split_paragraph(text, Span::new(start, end - usize::from(line.ends_with('\n'))), out);
        start = end;
    }
}

/// The paragraphs of `text` as byte ranges (untrimmed). With `wrapped`, only blank lines separate paragraphs;
/// otherwise every newline does.
pub fn paragraphs(text: &str, wrapped: bool) -> Vec<Span> {
    paragraphs_of_lines(text, &lines(text), wrapped)
}

/// [`paragraphs`] of `text` whose [`lines`] have been found already.
fn paragraphs_of_lines(text: &str, lines: &[Span], wrapped: bool) -> Vec<Span> {
    let mut out = Vec::with_capacity(if wrapped { lines.len() / 4 } else { lines.len() });
    let mut start = 0;
    // Every line but the last ends at a line feed.
    for line in &lines[..lines.len().saturating_sub(1)] {
        if !wrapped || text[line.range()].trim().is_empty() {
            out.push(Span::new(start, line.end));
            start = line.end + 1;
        }
    }
    out.push(Span::new(start, text.len()));
    out
}

/// Whether `text` looks hard-wrapped: at least four lines followed by another non-blank line, four in five of them
/// 50 to 100 characters long, and most of them ending mid-sentence (no closing punctuation).
pub fn is_hard_wrapped(text: &str) -> bool {
    lines_are_hard_wrapped(text, &lines(text))
}

/// [`is_hard_wrapped`] of `text` whose [`lines`] have been found already.
fn lines_are_hard_wrapped(text: &str, lines: &[Span]) -> bool {
    let mut candidates = 0usize;
    let mut wrap_length = 0usize;
    let mut mid_sentence = 0usize;
    let mut lines = lines.iter().map(|l| &text[l.range()]).peekable();
    while let Some(line) = lines.next() {
        let line = line.trim_end();
        let Some(next) = lines.peek() else { break };
        if line.trim().is_empty() || next.trim().is_empty() {
            continue;
        }
        candidates += 1;
        let chars = line.chars().count();
        if (50..=100).contains(&chars) {
            wrap_length += 1;
        }
        if !line.ends_with(['.', '!', '?', ':', '"', '\u{201D}', '\u{2026}']) {
            mid_sentence += 1;
        }
    }
    candidates >= 4 && wrap_length * 5 >= candidates * 4 && mid_sentence * 2 > candidates
}

/// Split the paragraph `para` of `text` into trimmed sentence spans.
fn split_paragraph(text: &str, para: Span, out: &mut Vec<Span>) {
    let bytes = text.as_bytes();
    let end = para.end;
    let mut start = para.start;
    let mut i = para.start;
    let mut closers = Closers::default();
    while i < end {
        let b = bytes[i];
        // Quotations and parentheses that close within the paragraph are kept whole.
        if let Some(close) = opening(text, i, para)
            && let Some(after) = closers.find_close(text, i, end, close)
        {
            // A quotation ending in a terminator ("… gains.") can end the sentence after its closing mark, and so can a
            // stage direction ("(APPLAUSE) Thank you.").
            let close_len = text[..after].chars().next_back().map_or(1, char::len_utf8);
            let ends_with_terminator = text[i..after - close_len].trim_end().ends_with(['.', '!', '?', '\u{2026}'])
                || (matches!(close, ')' | ']') && boilerplate::is_stage_direction(&text[i..after]));
            i = after;
            if ends_with_terminator
                && let Some(next) = boundary_after(text, i, end)
                && !speech_tag_follows(text, next, end)
            {
                push_trimmed(text, start, i, out);
                start = next;
                i = next;
            }
            continue;
        }
        let term_len = match b {
            b'.' | b'!' | b'?' => 1,
            0xE2 if bytes.get(i + 1..i + 3) == Some(&[0x80, 0xA6]) => 3, // …
            _ => 0,
        };
        if term_len == 0 {
            i += 1;
            continue;
        }
        // Take the whole run of terminators and closing marks: "?!", "...", ".\"", ".)".
        let mut j = i + term_len;
        while j < end {
            match bytes[j] {
                b'.' | b'!' | b'?' | b'"' | b')' | b']' | b'\'' => j += 1,
                0xE2 if matches!(bytes.get(j + 1..j + 3), Some(&[0x80, 0xA6 | 0x9D | 0x99])) => j += 3,
                _ => break,
            }
        }
        let Some(next) = boundary_after(text, j, end).or_else(|| glued_boundary(text, start, i, j, end)) else {
            i = j;
            continue;
        };
        let single_period = b == b'.' && j == i + 1;
        if single_period && !period_ends_sentence(text, start, i, next, end) {
            i = j;
            continue;
        }
        push_trimmed(text, start, j, out);
        start = next;
        i = next;
    }
    push_trimmed(text, start, end, out);
}

/// If whitespace follows `j` and then something that can start a sentence, the position of that start.
fn boundary_after(text: &str, j: usize, end: usize) -> Option<usize> {
    let rest = &text[j..end];
    let trimmed = rest.trim_start();
    if trimmed.len() == rest.len() {
        return None; // no whitespace: "3.5", "U.S.-led", "end.\"Next" is still one token
    }
    let c = trimmed.chars().next()?;
    // A full stop after a space is part of a spaced ellipsis (". . ."), not a new sentence.
    if c.is_lowercase() || matches!(c, ',' | ';' | ':' | ')' | ']' | '%' | '.') {
        return None;
    }
    Some(end - trimmed.len())
}

/// Whether the single `.` at `dot` ends a sentence whose successor starts at `next`. Titles, initials and
/// abbreviations do not, unless (for abbreviations that also end sentences) what follows starts a new sentence; see
/// [`abbreviations`] for the one list of them.
fn period_ends_sentence(text: &str, sentence_start: usize, dot: usize, next: usize, end: usize) -> bool {
    let before = &text[sentence_start..dot];
    // The word before the dot, with inner dots ("U.S", "a.m", "Ph.D", "example.com").
    let word_start = before
        .char_indices()
        .rev()
        .find(|&(_, c)| !(c.is_alphanumeric() || c == '.'))
        .map_or(0, |(k, c)| k + c.len_utf8());
    let word = &before[word_start..];
    let Some(first) = word.chars().next() else {
        return true;
    };
    // A list marker opening the sentence: "1. First item", "b. Second item".
    let marker =
        word.bytes().all(|b| b.is_ascii_digit()) || (word.len() == 1 && word.as_bytes()[0].is_ascii_lowercase());
    if before[..word_start].trim().is_empty() && word.len() <= 3 && marker {
        return false;
    }
    if first.is_ascii_digit() {
        return true; // a figure ends the sentence: "The vote was 52-48. 20 senators …"
    }
    let rest = &text[next..end];
    let next_word = next_word(rest);
    if word.len() == first.len_utf8() && first.is_uppercase() {
        return false; // an initial: "J. R. R. Tolkien", "George W. Bush"
    }
    match abbreviations::dotted(word) {
        Some(Dotted::Address) => return true,
        Some(Dotted::Initials) => return false,
        // A figure after a place is mostly part of the sentence ("the U.S. 10-year yield", "U.S. $3 billion").
        Some(Dotted::Place) if next_word.starts_with(|c: char| c.is_ascii_digit()) => return false,
        Some(Dotted::Place) => return new_sentence_after_name(rest, next_word, abbreviations::continues_place),
        Some(Dotted::Time) => return new_sentence_after_name(rest, next_word, abbreviations::continues_time),
        Some(Dotted::Other) => return is_common_opener(next_word),
        None => {}
    }
    let figure_follows = next_word.starts_with(|c: char| c.is_ascii_digit());
    match abbreviations::classify(word) {
        None => true,
        Some(Abbreviation::NeverFinal) => false,
        Some(Abbreviation::Month) if figure_follows => false,
        Some(Abbreviation::MaybeFinal) if word == "No" && figure_follows => false,
        Some(Abbreviation::Month | Abbreviation::MaybeFinal) => is_common_opener(next_word),
    }
}

/// After "U.S." or "p.m.", whether `rest` (starting with `word`) starts a new sentence: a figure or a common
/// opener does; a word that `continues` the name or the time ("U.S. Army", "5 p.m. Eastern") does not; otherwise a
/// capitalised word followed by a lower-case one does ("… in the U.K. Prices rose …"), a run of capitalised words
/// (a name: "U.S. President Joe Biden") does not.
fn new_sentence_after_name(rest: &str, word: &str, continues: fn(&str) -> bool) -> bool {
    if word.starts_with(|c: char| c.is_ascii_digit()) || is_common_opener(word) {
        return true;
    }
    if continues(word) || !word.starts_with(char::is_uppercase) {
        return false;
    }
    let after = rest.trim_start_matches(|c: char| !c.is_alphanumeric());
    let after = &after[word.len().min(after.len())..];
    // Only a space between the two words: "Prices rose", not "Prices, …" or "Smith." (a name that ends a clause).
    after.starts_with(' ') && next_word(after).starts_with(char::is_lowercase)
}

/// The first word of `s` (letters only).
fn next_word(s: &str) -> &str {
    let s = s.trim_start_matches(|c: char| !c.is_alphanumeric());
    let end = s.find(|c: char| !c.is_alphanumeric()).unwrap_or(s.len());
    &s[..end]
}

/// A new sentence glued to the terminator at `term_start..j` with no space: "The plan failed.The minister resigned.",
/// "Is it true?Yes." It counts only between ordinary words: a lower-case word of two letters or more before (not part
/// of an address, a file name or an abbreviation: "Amazon.com", "J.K.", "U.S.") and a capitalised word after.
fn glued_boundary(text: &str, sentence_start: usize, term_start: usize, j: usize, end: usize) -> Option<usize> {
    let bytes = text.as_bytes();
    let next = *bytes.get(j)?;
    if j + 1 >= end || !next.is_ascii_uppercase() || !bytes[j + 1].is_ascii_lowercase() {
        return None;
    }
    // Only plain terminators in the run: not a closing quote or bracket, which already had their chance.
    if !bytes[term_start..j].iter().all(|b| matches!(b, b'.' | b'!' | b'?')) {
        return None;
    }
    let before = &text[sentence_start..term_start];
    let token_start =
        before.char_indices().rev().find(|&(_, c)| c.is_whitespace()).map_or(0, |(k, c)| k + c.len_utf8());
    let token = &before[token_start..];
    let letters = token.trim_start_matches(['"', '(', '\'', '\u{201C}']);
    let ordinary = letters.len() >= 2
        && letters.bytes().all(|b| b.is_ascii_alphabetic())
        && letters.bytes().rev().take(2).all(|b| b.is_ascii_lowercase());
    ordinary.then_some(j)
}

/// After a quotation that ends in its own punctuation, whether a speaker's name and a speech verb follow, which keep
/// the quotation's sentence going: `"Is it done?" Mary asked.`, `"Stop!" Officer Jones shouted.`
fn speech_tag_follows(text: &str, next: usize, end: usize) -> bool {
    for (k, w) in text[next..end].split_whitespace().take(4).enumerate() {
        let w = w.trim_end_matches(|c: char| !c.is_alphanumeric());
        if is_speech_verb(w) {
            return k > 0;
        }
        if (k == 0 && is_common_opener(w)) || !w.starts_with(char::is_uppercase) {
            return false;
        }
    }
    false
}

fn is_speech_verb(w: &str) -> bool {
    matches!(
        w,
        "said"
            | "says"
            | "asked"
            | "asks"
            | "shouted"
            | "replied"
            | "added"
            | "told"
            | "wrote"
            | "cried"
            | "whispered"
            | "answered"
            | "insisted"
            | "continued"
            | "explained"
            | "exclaimed"
            | "yelled"
            | "tweeted"
            | "responded"
            | "recalled"
            | "declared"
            | "warned"
    )
}

/// If `text[i..]` opens a quotation or a parenthesis, the character that closes it. A straight `"` opens only at the
/// start of the paragraph or after whitespace, an opening bracket, a dash or a colon.
fn opening(text: &str, i: usize, para: Span) -> Option<char> {
    let bytes = text.as_bytes();
    match bytes[i] {
        b'(' => Some(')'),
        b'[' => Some(']'),
        b'"' => {
            let prev = text[para.start..i].chars().next_back();
            match prev {
                None => Some('"'),
                Some(p) if p.is_whitespace() || matches!(p, '(' | '[' | ':' | '\u{2014}' | '\u{2013}' | '-') => {
                    Some('"')
                }
                _ => None,
            }
        }
        0xE2 if bytes.get(i + 1..i + 3) == Some(&[0x80, 0x9C]) => Some('\u{201D}'), // “ … ”
        _ => None,
    }
}

/// Finds closing marks in one paragraph, remembering the last answer per mark: a paragraph full of unclosed
/// brackets or quotes is then scanned once, not once per opening mark.
#[derive(Default)]
struct Closers {
    /// Per closing kind (`)`, straight `"`, curly `”` or `"`, `]`): where the last search started and what it found.
    memo: [Option<(usize, Option<usize>)>; 4],
}

impl Closers {
    /// The position just after the `close` that matches the opening mark at `open`, within the paragraph ending at
    /// `end` and at most [`MAX_QUOTE_BYTES`] away.
    fn find_close(&mut self, text: &str, open: usize, end: usize, close: char) -> Option<usize> {
        let first = open + text[open..].chars().next()?.len_utf8();
        let kind = match close {
            ')' => 0,
            '"' => 1,
            ']' => 3,
            _ => 2,
        };
        let at = match self.memo[kind] {
            // A search from at or before `first` that found nothing, or found a mark at or after `first`, still holds.
            Some((from, found)) if from <= first && found.is_none_or(|f| f >= first) => found,
            _ => {
                let window = &text[first..end];
                // A straight quote also closes a curly opening, as mixed marks are common in pasted text.
                let found = match kind {
                    0 => window.find(')'),
                    1 => window.find('"'),
                    3 => window.find(']'),
                    _ => window.find(['\u{201D}', '"']),
                }
                .map(|k| first + k);
                self.memo[kind] = Some((first, found));
                found
            }
        }?;
        if at - open > MAX_QUOTE_BYTES {
            return None;
        }
        let close_len = text[at..].chars().next()?.len_utf8();
        Some(at + close_len)
    }
}

fn push_trimmed(text: &str, start: usize, end: usize, out: &mut Vec<Span>) {
    if start >= end {
        return;
    }
    let piece = &text[start..end];
    let lead = piece.len() - piece.trim_start().len();
    let trimmed = piece.trim();
    if !trimmed.is_empty() {
        out.push(Span::new(start + lead, start + lead + trimmed.len()));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn split(text: &str) -> Vec<&str> {
        sentences(text).iter().map(|s| &text[s.range()]).collect()
    }

    #[test]
    fn plain_sentences() {
        assert_eq!(split("One. Two! Three? Four"), ["One.", "Two!", "Three?", "Four"]);
    }

    #[test]
    fn us_abbreviation_does_not_split() {
        assert_eq!(split("The U.S. Army said so. Then it left."), ["The U.S. Army said so.", "Then it left."]);
        assert_eq!(split("He moved to the U.S. The move was hard."), ["He moved to the U.S.", "The move was hard."]);
    }

    #[test]
    fn titles_and_initials_do_not_split() {
        assert_eq!(split("Gen. Smith arrived. Mr. Jones left."), ["Gen. Smith arrived.", "Mr. Jones left."]);
        assert_eq!(split("J. R. R. Tolkien wrote it. It sold."), ["J. R. R. Tolkien wrote it.", "It sold."]);
        assert_eq!(split("On Jan. 6 they met."), ["On Jan. 6 they met."]);
    }

    #[test]
    fn numbers_money_and_percent_do_not_split() {
        assert_eq!(
            split("It grew 3.5 times to $3.5 billion, or 7%. Next."),
            ["It grew 3.5 times to $3.5 billion, or 7%.", "Next."]
        );
    }

    #[test]
    fn ellipsis() {
        assert_eq!(split("Wait... what happened?"), ["Wait... what happened?"]);
        assert_eq!(split("Wait\u{2026} what? No."), ["Wait\u{2026} what?", "No."]);
        assert_eq!(split("He paused... Then he spoke."), ["He paused...", "Then he spoke."]);
    }

    #[test]
    fn quotation_with_inner_periods_stays_with_attribution() {
        let text = "Schanzer told the Journal: \"It is a new chapter. The key is gains.\" Then he left.";
        assert_eq!(
            split(text),
            ["Schanzer told the Journal: \"It is a new chapter. The key is gains.\"", "Then he left."]
        );
        let text = "He said: \u{201C}One. Two.\u{201D} Next one.";
        assert_eq!(split(text), ["He said: \u{201C}One. Two.\u{201D}", "Next one."]);
        assert_eq!(split("\"We are ready. Fully,\" he said."), ["\"We are ready. Fully,\" he said."]);
        assert_eq!(split("\"Is it done?\" he asked."), ["\"Is it done?\" he asked."]);
    }

    #[test]
    fn unclosed_quote_does_not_swallow_the_paragraph() {
        assert_eq!(split("He said \"one. Two. Three."), ["He said \"one.", "Two.", "Three."]);
    }

    #[test]
    fn many_unclosed_brackets_still_segment() {
        let text = "(a. ".repeat(2000) + "B.";
        let got = sentences(&text);
        assert!(!got.is_empty());
        let text = format!("He said ({}) It ended. Then.", "Yes. ".repeat(400));
        assert!(split(&text).len() > 300, "a parenthesis longer than the limit is cut inside");
        let text = format!("He said ({}) It ended. Then.", "Yes. ".repeat(100));
        assert_eq!(split(&text).len(), 3, "a shorter one is kept whole");
    }

    #[test]
    fn paragraph_breaks_always_end_sentences() {
        assert_eq!(split("Follow us on Facebook\nThe army said so."), ["Follow us on Facebook", "The army said so."]);
        assert_eq!(split("A quote \"opens\n\nand closes\" later"), ["A quote \"opens", "and closes\" later"]);
        assert_eq!(split("No end\n\n\nMore"), ["No end", "More"]);
    }

    #[test]
    fn crlf_is_whitespace() {
        let text = "First line.\r\nSecond line. Third.\r\n\r\nFourth\r\n";
        assert_eq!(split(text), ["First line.", "Second line.", "Third.", "Fourth"]);
    }

    #[test]
    fn hard_wrapped_text_joins_lines() {
        let text = "The committee met on Tuesday to discuss the budget for the coming\n\
                    year, and members agreed that spending on roads would rise by a\n\
                    third. The chairman said the plan was the most ambitious in a\n\
                    decade and that the council would vote on it in the spring after\n\
                    a public consultation. Critics disagreed.\n\nA new paragraph.";
        assert!(is_hard_wrapped(text));
        let got = split(text);
        assert_eq!(got.len(), 4, "{got:?}");
        assert!(got[0].starts_with("The committee") && got[0].ends_with("third."));
        assert_eq!(got[3], "A new paragraph.");
        assert!(!is_hard_wrapped("Short.\nLines.\nHere.\nAnd here.\nMore."));
    }

    #[test]
    fn list_markers_do_not_split() {
        assert_eq!(split("1. First item\n2. Second item. Done."), ["1. First item", "2. Second item.", "Done."]);
    }

    #[test]
    fn a_figure_after_a_place_stays_in_the_sentence_and_one_after_a_time_starts_one() {
        assert_eq!(split("It costs U.S. $3 billion. Fine."), ["It costs U.S. $3 billion.", "Fine."]);
        assert_eq!(split("The U.S. 10-year yield rose."), ["The U.S. 10-year yield rose."]);
        assert_eq!(split("It left at 5 p.m. 20 stayed."), ["It left at 5 p.m.", "20 stayed."]);
    }

    #[test]
    fn a_glued_sentence_after_unicode_whitespace_is_found_on_char_boundaries() {
        assert_eq!(split("Prices\u{3000}fell.Then rose."), ["Prices\u{3000}fell.", "Then rose."]);
        assert_eq!(split("\u{a0}ab.Cd"), ["ab.", "Cd"]);
    }

    #[test]
    fn lowercase_after_period_does_not_split() {
        assert_eq!(split("Use e.g. this one. Fine."), ["Use e.g. this one.", "Fine."]);
    }

    #[test]
    fn spans_are_trimmed_and_never_empty() {
        assert!(sentences("").is_empty());
        assert!(sentences(" \n\r\n\t ").is_empty());
        let text = "  Hi there.   Bye.  ";
        for s in sentences(text) {
            let piece = &text[s.range()];
            assert_eq!(piece, piece.trim());
            assert!(!piece.is_empty());
        }
    }
}
