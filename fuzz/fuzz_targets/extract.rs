#![no_main]
//! Any text: sentence spans in bounds, on char boundaries, ordered, non-overlapping, non-empty; attribution spans
//! inside their sentence; scores in [0, 1]; deterministic.

use libfuzzer_sys::fuzz_target;

use claimdesk::extract::Extractor;

fuzz_target!(|text: &str| {
    let ex = Extractor::default();
    let sentences = ex.sentences(text);
    let mut last_end = 0;
    for s in &sentences {
        assert!(s.span.start >= last_end && s.span.start < s.span.end, "{:?}", s.span);
        assert!(s.span.slice(text).is_some(), "{:?}", s.span);
        assert!((0.0..=1.0).contains(&s.score));
        if let Some(a) = &s.attribution {
            assert!(s.span.contains(a.source_span) && s.span.contains(a.cue_span));
            assert!(a.source_span.slice(text).is_some() && a.cue_span.slice(text).is_some());
        }
        last_end = s.span.end;
    }
    assert_eq!(sentences, ex.sentences(text));
});
