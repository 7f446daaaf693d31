#![no_main]
//! Any text through the whole extraction pipeline. Sentence spans: in bounds, on char boundaries, ordered,
//! non-overlapping, non-empty, trimmed, and together covering every non-whitespace character but a transcript's
//! speaker labels (nothing dropped).
//! Attribution spans: non-empty, inside their sentence, the source's text at its span. Scores in [0, 1], boilerplate
//! scoring 0; kinds sorted without duplicates; the same text gives the same sentences. The review file made from the
//! sentences validates and survives save and load. Super-linear slowness shows as a libFuzzer timeout (`-timeout`).

use libfuzzer_sys::fuzz_target;

use claimdesk::document::Document;
use claimdesk::extract::Extractor;
use claimdesk::review::ReviewFile;
use claimdesk::review::file::{from_slice, to_bytes, validate};

/// Made once: building the default extractor loads the trained model's weights, which would dominate each run.
static EXTRACTOR: std::sync::LazyLock<Extractor> = std::sync::LazyLock::new(Extractor::default);

fuzz_target!(|text: &str| {
    let ex = &*EXTRACTOR;
    let sentences = ex.sentences(text);
    let mut last_end = 0;
    let mut covered = 0;
    for s in &sentences {
        assert!(s.span.start >= last_end && s.span.start < s.span.end, "{:?}", s.span);
        let piece = s.span.slice(text).unwrap_or_else(|| panic!("{:?} is not a slice of the text", s.span));
        assert_eq!(piece, piece.trim(), "{:?} is not trimmed", s.span);
        covered += piece.chars().filter(|c| !c.is_whitespace()).count();
        assert!((0.0..=1.0).contains(&s.score), "score {}", s.score);
        if s.boilerplate {
            assert_eq!(s.score, 0.0, "boilerplate scores 0");
        }
        assert!(s.kinds.windows(2).all(|w| w[0] < w[1]), "kinds sorted, no duplicates: {:?}", s.kinds);
        if let Some(a) = &s.attribution {
            assert!(s.span.contains(a.source_span) && s.span.contains(a.cue_span), "{a:?} outside {:?}", s.span);
            assert!(!a.source_span.is_empty() && !a.cue_span.is_empty(), "{a:?}");
            assert_eq!(a.source_span.slice(text), Some(a.source.as_str()), "{a:?}");
            assert!(a.cue_span.slice(text).is_some(), "{a:?}");
        }
        last_end = s.span.end;
    }
    // A transcript's speaker labels, with their colons, are never part of a sentence; every other character is.
    let labels: usize = claimdesk::extract::transcript::detect(text).map_or(0, |t| {
        let visible = |s: &str| s.chars().filter(|c| !c.is_whitespace()).count();
        t.turns.iter().map(|turn| visible(&text[turn.label.start..turn.body.start])).sum()
    });
    assert_eq!(covered + labels, text.chars().filter(|c| !c.is_whitespace()).count(), "text dropped");
    assert_eq!(sentences, ex.sentences(text), "deterministic");

    let doc = Document::from_text("fuzz", text);
    let review = ReviewFile::new(&doc, ex.info(), &sentences);
    assert_eq!(validate(&review), vec![], "a fresh review validates");
    let again = from_slice(&to_bytes(&review), std::path::Path::new("fuzz.json")).expect("a fresh review loads");
    assert_eq!(again, review);
});
