//! WordPiece tokenization as BERT's uncased tokenizer does it (the reference is the `tokenizers` library behind
//! sentence-transformers): clean the text (drop control and unassigned characters, map whitespace to a space), put
//! spaces around CJK ideographs, strip accents (NFD, then drop nonspacing marks), lowercase, split on whitespace and
//! around every punctuation character, then cut each word greedily into the longest vocabulary pieces, later pieces
//! prefixed with `##`. A word that cannot be cut, or longer than 100 characters, becomes `[UNK]`.

use std::collections::HashMap;

use unicode_general_category::{GeneralCategory, get_general_category};
use unicode_normalization::UnicodeNormalization;

/// Words longer than this (in characters) are `[UNK]`, as in the reference.
const MAX_WORD_CHARS: usize = 100;

/// A WordPiece vocabulary and the ids of its special tokens.
#[derive(Debug, Clone)]
pub struct WordPiece {
    ids: HashMap<String, u32>,
    pub(crate) cls: u32,
    pub(crate) sep: u32,
    unk: u32,
}

impl WordPiece {
    /// Reads a vocabulary with one token a line, the line number being its id. Returns the name of a missing
    /// special token as the error.
    pub fn from_vocab(text: &str) -> Result<WordPiece, &'static str> {
        let ids: HashMap<String, u32> = text.lines().enumerate().map(|(i, t)| (t.to_owned(), i as u32)).collect();
        let get = |t: &'static str| ids.get(t).copied().ok_or(t);
        Ok(WordPiece { cls: get("[CLS]")?, sep: get("[SEP]")?, unk: get("[UNK]")?, ids })
    }

    /// Number of tokens in the vocabulary.
    pub(crate) fn len(&self) -> usize {
        self.ids.len()
    }

    /// The ids of `text` framed by `[CLS]` and `[SEP]`, at most `max_len` ids in all (longer text is cut at the end,
    /// as the reference truncates).
    pub fn encode(&self, text: &str, max_len: usize) -> Vec<u32> {
        let budget = max_len.saturating_sub(2);
        let mut out = Vec::with_capacity(64.min(max_len));
        out.push(self.cls);
        let normal = normalize(text);
        'words: for word in pre_tokenize(&normal) {
            for id in self.word_pieces(word) {
                if out.len() > budget {
                    break 'words;
                }
                out.push(id);
            }
        }
        out.push(self.sep);
        out
    }

    /// Greedy longest-match-first pieces of one word.
    fn word_pieces(&self, word: &str) -> Vec<u32> {
        if word.chars().count() > MAX_WORD_CHARS {
            return vec![self.unk];
        }
        let mut pieces = Vec::new();
        let mut start = 0;
        let mut buf = String::new();
        while start < word.len() {
            let mut end = word.len();
            let mut found = None;
            while end > start {
                buf.clear();
                if start > 0 {
                    buf.push_str("##");
                }
                buf.push_str(&word[start..end]);
                if let Some(&id) = self.ids.get(&buf) {
                    found = Some(id);
                    break;
                }
                // Step back one whole character.
                end = word[..end].char_indices().next_back().map_or(start, |(i, _)| i);
            }
            match found {
                Some(id) => {
                    pieces.push(id);
                    start = end;
                }
                None => return vec![self.unk],
            }
        }
        pieces
    }
}

/// BertNormalizer with clean_text, handle_chinese_chars, strip_accents and lowercase all on.
fn normalize(text: &str) -> String {
    let mut cleaned = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if c == '\0' || c == '\u{fffd}' || is_control(c) {
            continue;
        }
        if is_whitespace(c) {
            cleaned.push(' ');
        } else if is_chinese_char(c) {
            cleaned.push(' ');
            cleaned.push(c);
            cleaned.push(' ');
        } else {
            cleaned.push(c);
        }
    }
    let mut out = String::with_capacity(cleaned.len());
    for c in cleaned.nfd() {
        if get_general_category(c) == GeneralCategory::NonspacingMark {
            continue;
        }
        out.extend(c.to_lowercase());
    }
    out
}

/// BertPreTokenizer: words split on whitespace, each punctuation character a word of its own.
fn pre_tokenize(text: &str) -> impl Iterator<Item = &str> {
    let mut words = Vec::new();
    let mut start = None;
    for (i, c) in text.char_indices() {
        if c.is_whitespace() {
            if let Some(s) = start.take() {
                words.push(&text[s..i]);
            }
        } else if is_punctuation(c) {
            if let Some(s) = start.take() {
                words.push(&text[s..i]);
            }
            words.push(&text[i..i + c.len_utf8()]);
        } else if start.is_none() {
            start = Some(i);
        }
    }
    if let Some(s) = start {
        words.push(&text[s..]);
    }
    words.into_iter()
}

fn is_whitespace(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r') || c.is_whitespace()
}

/// Other (Cc, Cf, Cn, Co, Cs) but for tab and newlines, as the reference's `is_control`.
fn is_control(c: char) -> bool {
    if matches!(c, '\t' | '\n' | '\r') {
        return false;
    }
    matches!(
        get_general_category(c),
        GeneralCategory::Control
            | GeneralCategory::Format
            | GeneralCategory::Unassigned
            | GeneralCategory::PrivateUse
            | GeneralCategory::Surrogate
    )
}

fn is_punctuation(c: char) -> bool {
    c.is_ascii_punctuation()
        || matches!(
            get_general_category(c),
            GeneralCategory::ConnectorPunctuation
                | GeneralCategory::DashPunctuation
                | GeneralCategory::ClosePunctuation
                | GeneralCategory::FinalPunctuation
                | GeneralCategory::InitialPunctuation
                | GeneralCategory::OtherPunctuation
                | GeneralCategory::OpenPunctuation
        )
}

fn is_chinese_char(c: char) -> bool {
    matches!(c as u32,
        0x4E00..=0x9FFF | 0x3400..=0x4DBF | 0x20000..=0x2A6DF | 0x2A700..=0x2B73F | 0x2B740..=0x2B81F
        | 0x2B920..=0x2CEAF | 0xF900..=0xFAFF | 0x2F800..=0x2FA1F)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::library::matching::encoder::{MAX_TOKENS, SHIPPED_VOCAB};

    #[derive(serde::Deserialize)]
    struct Case {
        text: String,
        ids: Vec<u32>,
    }
    #[derive(serde::Deserialize)]
    struct Reference {
        cases: Vec<Case>,
    }

    #[test]
    fn token_ids_equal_the_reference_tokenizers() {
        let vocab = WordPiece::from_vocab(SHIPPED_VOCAB).unwrap();
        let r: Reference =
            serde_json::from_str(include_str!("../../../tests/fixtures/matching-reference.json")).unwrap();
        assert!(r.cases.len() >= 15);
        for c in &r.cases {
            assert_eq!(vocab.encode(&c.text, MAX_TOKENS), c.ids, "ids of {:?}", c.text);
        }
        assert!(r.cases.iter().any(|c| c.ids.len() == MAX_TOKENS), "the set has a truncated text");
    }

    #[test]
    fn pieces_are_greedy_longest_match() {
        let vocab = WordPiece::from_vocab("[PAD]\n[UNK]\n[CLS]\n[SEP]\nun\n##aff\n##able\n##a\naff\n").unwrap();
        assert_eq!(vocab.encode("Unaffable", 10), vec![2, 4, 5, 6, 3]);
        assert_eq!(vocab.encode("unaffablex", 10), vec![2, 1, 3]);
        assert_eq!(vocab.encode("un un un un", 4), vec![2, 4, 4, 3]);
    }
}
