//! Properties of extraction over arbitrary and news-like text: spans valid, ordered, non-overlapping, trimmed and
//! non-empty; attribution spans inside their sentence; the same text always gives the same result.

use claimdesk::Span;
use claimdesk::extract::{Extractor, context, segment, transcript};
use proptest::prelude::*;

/// News-like text: fragments that stress the segmenter (abbreviations, decimals, quotes, ellipses, CRLF, blank lines).
fn news_like() -> impl Strategy<Value = String> {
    let fragment = prop::sample::select(vec![
        "The",
        " ",
        "U.S.",
        " Army",
        " said",
        ".",
        ". ",
        "\n",
        "\n\n",
        "\r\n",
        "\"",
        "\u{201C}",
        "\u{201D}",
        "3.5",
        "$3.5 billion",
        "7%",
        "...",
        "\u{2026}",
        "Gen.",
        " Smith",
        "J. R.",
        " according to",
        " the official",
        ",",
        " told",
        " citing",
        ":",
        "?",
        "!",
        "(",
        ")",
        "é",
        "\u{2019}s",
        "2021",
        " Follow us on Twitter",
        "By Jane Doe",
        "Mr.",
        " \u{2014} ",
        "\t",
    ]);
    prop::collection::vec(fragment, 0..40).prop_map(|v| v.concat())
}

/// `dropped`: how many characters (a transcript's speaker labels) are in no sentence.
fn check_spans(text: &str, spans: &[Span], dropped: usize) -> Result<(), TestCaseError> {
    let mut prev_end = 0;
    for s in spans {
        prop_assert!(s.is_valid_in(text), "span {s} not on char boundaries in {text:?}");
        prop_assert!(!s.is_empty(), "empty span {s} in {text:?}");
        prop_assert!(s.start >= prev_end, "span {s} overlaps or is out of order in {text:?}");
        let piece = &text[s.range()];
        prop_assert_eq!(piece, piece.trim(), "span {} is not trimmed in {:?}", s, text);
        prev_end = s.end;
    }
    // Nothing but whitespace falls between sentences.
    let covered: usize = spans.iter().map(|s| text[s.range()].chars().filter(|c| !c.is_whitespace()).count()).sum();
    prop_assert_eq!(
        covered + dropped,
        text.chars().filter(|c| !c.is_whitespace()).count(),
        "text dropped from {:?}",
        text
    );
    Ok(())
}

/// The characters of `text`'s speaker labels and their colons, when it is a transcript (they are in no sentence).
fn label_chars(text: &str) -> usize {
    transcript::detect(text).map_or(0, |t| {
        let visible = |s: &str| s.chars().filter(|c| !c.is_whitespace()).count();
        t.turns.iter().map(|turn| visible(&text[turn.label.start..turn.body.start])).sum()
    })
}

fn check_extraction(text: &str) -> Result<(), TestCaseError> {
    // A transcript is segmented turn by turn, without its labels; any other text as a whole.
    let spans: Vec<Span> = match transcript::detect(text) {
        Some(_) => context::prepare_text(text).iter().map(|p| p.span).collect(),
        None => segment::sentences(text),
    };
    check_spans(text, &spans, label_chars(text))?;
    let ex = Extractor::default();
    let first = ex.sentences(text);
    let second = ex.sentences(text);
    prop_assert_eq!(&first, &second, "extraction is deterministic");
    prop_assert_eq!(first.iter().map(|s| s.span).collect::<Vec<_>>(), spans);
    for s in &first {
        prop_assert!((0.0..=1.0).contains(&s.score));
        if s.boilerplate {
            prop_assert_eq!(s.score, 0.0);
        }
        let mut sorted = s.kinds.clone();
        sorted.sort();
        sorted.dedup();
        prop_assert_eq!(&sorted, &s.kinds);
        if let Some(a) = &s.attribution {
            prop_assert!(s.span.contains(a.source_span) && s.span.contains(a.cue_span), "{a:?} outside {}", s.span);
            prop_assert!(a.source_span.is_valid_in(text) && a.cue_span.is_valid_in(text));
            prop_assert!(!a.source_span.is_empty() && !a.cue_span.is_empty());
            prop_assert_eq!(&text[a.source_span.range()], a.source.as_str());
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn arbitrary_unicode_extracts_valid_spans(text in "\\PC*") {
        check_extraction(&text)?;
    }

    #[test]
    fn arbitrary_text_with_line_breaks_extracts_valid_spans(text in "[\\PC\n\r\t\"“”.…]{0,200}") {
        check_extraction(&text)?;
    }

    #[test]
    fn news_like_text_extracts_valid_spans(text in news_like()) {
        check_extraction(&text)?;
    }

    #[test]
    fn transcripts_extract_valid_spans_without_their_labels(text in transcript_like()) {
        check_extraction(&text)?;
        if let Some(t) = transcript::detect(&text) {
            let sentences = Extractor::default().sentences(&text);
            let first_turn = t.turns[0].body.start;
            for s in sentences.iter().filter(|s| s.span.start >= first_turn) {
                prop_assert!(s.speaker.is_some(), "{:?} in {:?} has no speaker", s.span, text);
            }
        }
    }
}

/// Transcript-like text: lines of a speaker label (of several shapes, some the same person) and news-like words,
/// with unlabelled lines and stage directions among them.
fn transcript_like() -> impl Strategy<Value = String> {
    let label = prop::sample::select(vec![
        "BIDEN: ",
        "Joe Biden: ",
        "MODERATOR (Jane Doe): ",
        "DOE: ",
        "SEN. MARIA ALVAREZ (D-CA), CANDIDATE: ",
        "(APPLAUSE) ALVAREZ: ",
        "Q: ",
        "A: ",
        "AUDIENCE: ",
        "",
        "(CROSSTALK) ",
        "  ",
    ]);
    prop::collection::vec((label, news_like()), 0..12)
        .prop_map(|lines| lines.into_iter().map(|(l, words)| format!("{l}{}\n", words.replace('\n', " "))).collect())
}

/// A regression guard: every byte of non-whitespace text ends up in some sentence (nothing is dropped).
#[test]
fn no_text_is_dropped() {
    let text = "One. \"Two. Three.\" Four\u{2026} five?\r\n\r\nSix (seven. eight) nine. U.S. Gen. J. R. Tolkien 3.5%";
    let spans = segment::sentences(text);
    let covered: usize = spans.iter().map(|s| text[s.range()].chars().filter(|c| !c.is_whitespace()).count()).sum();
    assert_eq!(covered, text.chars().filter(|c| !c.is_whitespace()).count());
}
