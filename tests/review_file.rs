//! The review file: save then load is identity, every malformed file is an error naming the field, re-anchoring.

use std::path::Path;

use claimdesk::document::Document;
use claimdesk::extract::Extractor;
use claimdesk::review::file::{self, ReviewError};
use claimdesk::review::{EvidenceSource, ReviewFile, Status};
use proptest::prelude::*;

const SAMPLE: &str = include_str!("../seeds/israel-arab-security-ties.txt");

fn sample() -> ReviewFile {
    let doc = Document::from_text("Sample", SAMPLE);
    let ex = Extractor::default();
    ReviewFile::new(&doc, ex.info(), &ex.sentences(&doc.text))
}

fn json(file: &ReviewFile) -> serde_json::Value {
    serde_json::to_value(file).unwrap()
}

/// Load `value` written to a file; return the error message.
fn load_err(value: &serde_json::Value) -> String {
    load_bytes_err(serde_json::to_vec(value).unwrap())
}

fn load_bytes_err(bytes: Vec<u8>) -> String {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("bad-review.json");
    std::fs::write(&p, bytes).unwrap();
    let err = file::load(&p).expect_err("a malformed file must not load");
    let msg = err.to_string();
    assert!(msg.contains("bad-review.json"), "the message names the file: {msg}");
    msg
}

#[test]
fn save_then_load_is_identity_and_keeps_a_backup() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("r.json");
    let mut f = sample();
    file::save(&f, &p).unwrap();
    f.claims[0].review.status = Status::Disputed;
    f.claims[0].review.note = "Checked: «wrong» ✓".into();
    f.claims[0].review.sources.push(EvidenceSource {
        reference: "https://example.org/report".into(),
        quote: "150 meetings".into(),
        accessed: Some("2026-11-25".into()),
    });
    f.claims[0].review.changed = Some("2026-11-25T10:00:00Z".into());
    file::save(&f, &p).unwrap();
    assert_eq!(file::load(&p).unwrap(), f);
    let backup = claimdesk::atomic::backup_path(&p);
    assert_eq!(
        file::load(&backup).unwrap().claims[0].review.status,
        Status::Unreviewed,
        "the previous version is kept"
    );
}

#[test]
fn malformed_files_name_the_field() {
    let good = json(&sample());
    type Breaker = Box<dyn Fn(&mut serde_json::Value)>;
    let cases: Vec<(&str, Breaker)> = vec![
        ("format", Box::new(|v| v["format"] = "something-else".into())),
        ("version", Box::new(|v| v["version"] = 99.into())),
        ("document.fingerprint", Box::new(|v| v["document"]["fingerprint"] = "abc".into())),
        ("claims[0].span.end", Box::new(|v| v["claims"][0]["span"]["end"] = 1_000_000.into())),
        ("claims[1].text", Box::new(|v| v["claims"][1]["text"] = "Not the document's text".into())),
        ("claims[2].id", Box::new(|v| v["claims"][2]["id"] = v["claims"][0]["id"].clone())),
        ("claims[0].review.status", Box::new(|v| v["claims"][0]["review"]["status"] = "probably".into())),
        ("claims[0].score", Box::new(|v| v["claims"][0]["score"] = 7.5.into())),
        ("claims[0].span.end", Box::new(|v| v["claims"][0]["span"]["end"] = u64::MAX.into())),
        ("extractor.threshold", Box::new(|v| v["extractor"]["threshold"] = (-3.0).into())),
        (
            "claims[0].review.changed",
            Box::new(|v| v["claims"][0]["review"] = serde_json::json!({"status": "verified", "changed": "tomorrow"})),
        ),
    ];
    for (field, break_it) in cases {
        let mut v = good.clone();
        break_it(&mut v);
        let msg = load_err(&v);
        assert!(msg.contains(field), "expected {field} in: {msg}");
    }
}

#[test]
fn a_span_inside_a_character_is_refused() {
    let doc = Document::from_text("t", "Prices rose 7% – said the café owner.");
    let ex = Extractor::default();
    let mut v = json(&ReviewFile::new(&doc, ex.info(), &ex.sentences(&doc.text)));
    let dash = doc.text.find('–').unwrap();
    v["claims"][0]["span"]["end"] = (dash + 1).into();
    let msg = load_err(&v);
    assert!(msg.contains("claims[0].span.end") && msg.contains("inside a character"), "{msg}");
}

#[test]
fn truncated_empty_and_deeply_nested_json_are_errors() {
    let bytes = serde_json::to_vec_pretty(&sample()).unwrap();
    for cut in [1, bytes.len() / 3, bytes.len() / 2, bytes.len() - 2] {
        let msg = load_bytes_err(bytes[..cut].to_vec());
        assert!(msg.contains("not a valid review file"), "{msg}");
    }
    assert!(load_bytes_err(Vec::new()).contains("empty"));
    let nested = "[".repeat(100_000).into_bytes();
    let msg = load_bytes_err(nested);
    assert!(msg.contains("not a valid review file"), "{msg}");
}

#[test]
fn missing_file_and_folder_are_named() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("nope.json");
    use claimdesk::fsread::ReadError;
    assert!(matches!(file::load(&missing), Err(ReviewError::Read(ReadError::NotFound { .. }))));
    assert!(matches!(file::load(dir.path()), Err(ReviewError::Read(ReadError::IsADirectory { .. }))));
}

#[test]
fn reanchoring_moves_claims_and_keeps_the_lost_ones() {
    let mut f = sample();
    f.claims[3].review.status = Status::Verified;
    let lost = f.claims[5].clone();
    let moved = f.claims[3].clone();
    let new_text = format!("EDITOR'S NOTE: updated.\n{}", SAMPLE.replacen(&lost.text, "", 1));
    let r = claimdesk::review::update::reanchor(&f, &new_text);
    assert_eq!(r.detached, vec![lost.id.clone()]);
    assert_eq!(r.file.detached[0].id, lost.id, "kept, not dropped");
    let placed = r.file.claim(&moved.id).unwrap();
    assert_eq!(placed.span.start, moved.span.start + "EDITOR'S NOTE: updated.\n".len());
    assert_eq!(placed.review.status, Status::Verified);
    assert!(file::validate(&r.file).is_empty(), "{:?}", file::validate(&r.file));
    // Saved and loaded again, the detached claim is still there.
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("moved.json");
    file::save(&r.file, &p).unwrap();
    assert_eq!(file::load(&p).unwrap(), r.file);
}

fn status() -> impl Strategy<Value = Status> {
    prop_oneof![Just(Status::Unreviewed), Just(Status::Verified), Just(Status::Disputed), Just(Status::Unsourced)]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    /// Any text, any notes, sources and reviewer names: save then load gives the same value.
    #[test]
    fn save_then_load_is_identity_for_any_review(
        text in "\\PC{1,400}",
        edits in prop::collection::vec((status(), "\\PC{0,40}", "\\PC{0,30}", "\\PC{0,30}", prop::option::of("\\PC{0,12}")), 0..6),
    ) {
        prop_assume!(!text.trim().is_empty());
        let doc = Document::from_text("t", text);
        let ex = Extractor::default();
        let mut f = ReviewFile::new(&doc, ex.info(), &ex.sentences(&doc.text));
        for (i, (st, note, reference, quote, reviewer)) in edits.into_iter().enumerate() {
            if f.claims.is_empty() { break; }
            let n = f.claims.len();
            let r = &mut f.claims[i % n].review;
            r.status = st;
            r.note = note;
            r.sources.push(EvidenceSource { reference, quote, accessed: None });
            r.reviewer = reviewer;
        }
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("r.json");
        file::save(&f, &p).unwrap();
        prop_assert_eq!(file::load(&p).unwrap(), f);
    }

    /// Arbitrary bytes never panic the loader.
    #[test]
    fn arbitrary_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..300)) {
        let _ = file::from_slice(&bytes, Path::new("x.json"));
    }
}
