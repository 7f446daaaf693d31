//! Every case of tests/data/segmentation-cases.json (a text and the sentences a careful human cuts it into) through
//! ClaimDesk's segmenter: all must pass. `scripts/peer_segmentation.sh` runs the same cases through the binary and
//! through pysbd, and prints both pass counts.

use std::path::Path;

use claimdesk::extract::segment;
use serde::Deserialize;

#[derive(Deserialize)]
struct Cases {
    cases: Vec<Case>,
}

#[derive(Deserialize)]
struct Case {
    category: String,
    text: String,
    sentences: Vec<String>,
}

fn cases() -> Vec<Case> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/segmentation-cases.json");
    let json = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let cases: Cases = serde_json::from_str(&json).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    cases.cases
}

#[test]
fn the_case_file_holds_at_least_80_cases_each_quoting_its_text() {
    let cases = cases();
    assert!(cases.len() >= 80, "{} cases", cases.len());
    for c in &cases {
        assert!(!c.sentences.is_empty(), "{:?} expects no sentence", c.text);
        for s in &c.sentences {
            assert!(c.text.contains(s.as_str()), "{s:?} is not in {:?}", c.text);
        }
    }
}

#[test]
fn claimdesk_passes_every_segmentation_case() {
    let mut failures = Vec::new();
    let cases = cases();
    for c in &cases {
        let got: Vec<&str> = segment::sentences(&c.text).iter().map(|s| &c.text[s.range()]).collect();
        if got != c.sentences {
            failures.push(format!("[{}] {:?}\n  expected {:?}\n  got      {:?}", c.category, c.text, c.sentences, got));
        }
    }
    assert!(failures.is_empty(), "{} of {} cases fail:\n{}", failures.len(), cases.len(), failures.join("\n"));
}
