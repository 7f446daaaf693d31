//! The sample article against its hand-labelled expectations (tests/fixtures/expected-claims.json), with the default
//! extractor: claims found once each, boilerplate never a claim, sources and kinds detected.

use std::path::Path;

use claimdesk::extract::{ClaimKind, Extractor, Sentence};
use serde::Deserialize;

#[derive(Deserialize)]
struct Expected {
    claims: Vec<ExpectedClaim>,
    not_claims: Vec<String>,
}

#[derive(Deserialize)]
struct ExpectedClaim {
    text: String,
    attributed_to: Option<String>,
    kinds: Vec<String>,
}

fn setup() -> (String, Vec<Sentence>, f32, Expected) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let doc =
        claimdesk::document::load(&root.join("seeds/israel-arab-security-ties.txt")).expect("sample article loads");
    let json = std::fs::read_to_string(root.join("tests/fixtures/expected-claims.json")).expect("fixture reads");
    let expected: Expected = serde_json::from_str(&json).expect("fixture parses");
    let ex = Extractor::default();
    let sentences = ex.sentences(&doc.text);
    (doc.text, sentences, ex.threshold(), expected)
}

fn claims_containing<'a>(text: &str, sentences: &'a [Sentence], threshold: f32, needle: &str) -> Vec<&'a Sentence> {
    sentences.iter().filter(|s| s.is_claim(threshold) && text[s.span.range()].contains(needle)).collect()
}

#[test]
fn every_expected_claim_is_inside_exactly_one_claim() {
    let (text, sentences, threshold, expected) = setup();
    for c in &expected.claims {
        let found = claims_containing(&text, &sentences, threshold, &c.text);
        assert_eq!(found.len(), 1, "{:?} should be in exactly one claim, found {}", c.text, found.len());
    }
}

#[test]
fn boilerplate_is_never_a_claim() {
    let (text, sentences, threshold, expected) = setup();
    for n in &expected.not_claims {
        let found = claims_containing(&text, &sentences, threshold, n);
        assert!(found.is_empty(), "{n:?} must not be a claim");
        let line = sentences.iter().find(|s| text[s.span.range()].contains(n.as_str()));
        let line = line.unwrap_or_else(|| panic!("{n:?} should still be a sentence"));
        assert!(line.boilerplate, "{n:?} is boilerplate");
        assert_eq!(line.score, 0.0, "boilerplate scores 0");
    }
}

#[test]
fn attributed_sources_are_found() {
    let (text, sentences, threshold, expected) = setup();
    for c in &expected.claims {
        let found = claims_containing(&text, &sentences, threshold, &c.text);
        let Some(s) = found.first() else { panic!("{:?} not extracted", c.text) };
        let got = s.attribution.as_ref().map(|a| a.source.to_lowercase());
        assert_eq!(got, c.attributed_to.as_ref().map(|a| a.to_lowercase()), "source of {:?}", c.text);
        if let Some(a) = &s.attribution {
            assert_eq!(&text[a.source_span.range()], a.source, "the source span is the name as written");
            assert!(s.span.contains(a.source_span) && s.span.contains(a.cue_span));
        }
    }
}

#[test]
fn listed_kinds_are_tagged() {
    let (text, sentences, threshold, expected) = setup();
    for c in &expected.claims {
        let found = claims_containing(&text, &sentences, threshold, &c.text);
        let Some(s) = found.first() else { panic!("{:?} not extracted", c.text) };
        for k in &c.kinds {
            let kind = ClaimKind::parse(k).unwrap_or_else(|| panic!("unknown kind {k:?} in the fixture"));
            assert!(s.kinds.contains(&kind), "{:?} should be tagged {k}, got {:?}", c.text, s.kinds);
        }
    }
}

#[test]
fn schanzer_quotation_stays_with_its_attribution() {
    let (text, sentences, _, _) = setup();
    let s = sentences
        .iter()
        .find(|s| text[s.span.range()].starts_with("Jonathan Schanzer"))
        .expect("the Schanzer sentence exists");
    assert!(text[s.span.range()].ends_with("institutionalize these gains.\""), "{}", &text[s.span.range()]);
}

#[test]
fn crlf_copy_of_the_sample_gives_the_same_sentences_and_sources() {
    let (text, sentences, _, _) = setup();
    let crlf = text.replace('\n', "\r\n");
    let again = Extractor::default().sentences(&crlf);
    assert_eq!(again.len(), sentences.len());
    for (a, b) in sentences.iter().zip(&again) {
        assert_eq!(&text[a.span.range()], &crlf[b.span.range()]);
        assert_eq!(a.attribution.as_ref().map(|x| &x.source), b.attribution.as_ref().map(|x| &x.source));
        assert_eq!(a.kinds, b.kinds);
        assert_eq!(a.score.to_bits(), b.score.to_bits());
    }
}
