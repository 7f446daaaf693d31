//! Properties of review edits: undo then redo is identity; undoing everything gives back the original; export then
//! import is identity.

use claimdesk::document::Document;
use claimdesk::extract::Extractor;
use claimdesk::review::edit::{Coalesce, Edit, History};
use claimdesk::review::{EvidenceSource, Review, ReviewFile, Status};
use proptest::prelude::*;

const SAMPLE: &str = include_str!("../seeds/israel-arab-security-ties.txt");

fn sample() -> ReviewFile {
    let doc = Document::from_text("Sample", SAMPLE);
    let ex = Extractor::default();
    ReviewFile::new(&doc, ex.info(), &ex.sentences(&doc.text))
}

#[derive(Debug, Clone)]
enum Op {
    Status(usize, Status),
    Note(usize, String, bool),
    Source(usize, String),
    Delete(usize),
    Undo,
    Redo,
}

fn op() -> impl Strategy<Value = Op> {
    let status =
        prop_oneof![Just(Status::Unreviewed), Just(Status::Verified), Just(Status::Disputed), Just(Status::Unsourced)];
    prop_oneof![
        (0..20usize, status).prop_map(|(i, s)| Op::Status(i, s)),
        (0..20usize, "\\PC{0,12}", any::<bool>()).prop_map(|(i, n, c)| Op::Note(i, n, c)),
        (0..20usize, "\\PC{0,12}").prop_map(|(i, r)| Op::Source(i, r)),
        (0..20usize).prop_map(Op::Delete),
        Just(Op::Undo),
        Just(Op::Redo),
    ]
}

fn edit_review(file: &ReviewFile, i: usize, change: impl FnOnce(&mut Review)) -> Option<Edit> {
    let c = file.claims.get(i % file.claims.len().max(1))?;
    let before = c.review.clone();
    let mut after = before.clone();
    change(&mut after);
    Some(Edit::SetReview { id: c.id.clone(), before, after })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn undo_then_redo_is_identity_and_undo_all_restores(ops in prop::collection::vec(op(), 1..40)) {
        let original = sample();
        let mut file = original.clone();
        let mut history = History::new();
        for op in ops {
            match op {
                Op::Status(i, s) => if let Some(e) = edit_review(&file, i, |r| r.status = s) {
                    history.apply(&mut file, e).unwrap();
                },
                Op::Note(i, n, coalesce) => if let Some(e) = edit_review(&file, i, |r| r.note = n) {
                    let key = if let Edit::SetReview { id, .. } = &e { Some(Coalesce::Note(id.clone())) } else { None };
                    history.apply_coalescing(&mut file, e, key.filter(|_| coalesce)).unwrap();
                },
                Op::Source(i, r) => if let Some(e) = edit_review(&file, i, |rv| rv.sources.push(EvidenceSource { reference: r, ..Default::default() })) {
                    history.apply(&mut file, e).unwrap();
                },
                Op::Delete(i) => if !file.claims.is_empty() {
                    let index = i % file.claims.len();
                    let removed = vec![file.claims[index].clone()];
                    history.apply(&mut file, Edit::Splice { index, removed, inserted: vec![] }).unwrap();
                },
                Op::Undo => {
                    // Undo then redo leaves the file as it was.
                    let before = file.clone();
                    if history.undo(&mut file).unwrap().is_some() {
                        history.redo(&mut file).unwrap();
                        prop_assert_eq!(&file, &before);
                    }
                }
                Op::Redo => { history.redo(&mut file).unwrap(); }
            }
        }
        while history.undo(&mut file).unwrap().is_some() {}
        prop_assert_eq!(file, original);
    }

    #[test]
    fn export_then_import_is_identity(statuses in prop::collection::vec(0..4usize, 1..14), note in "\\PC{0,30}") {
        let mut file = sample();
        for (c, s) in file.claims.iter_mut().zip(statuses) {
            c.review.status = Status::ALL[s];
            c.review.note = note.clone();
        }
        let options = claimdesk::export::Options { all: true, ..Default::default() };
        let out = claimdesk::export::write(&file, claimdesk::export::Format::Json, &options).unwrap();
        let back = claimdesk::export::import_json(&out.bytes).unwrap();
        let mut restored = file.clone();
        for c in &mut restored.claims {
            c.review = Review::default();
        }
        back.apply_to(&mut restored).unwrap();
        prop_assert_eq!(restored.claims, file.claims);
    }
}
