//! The library's core API, as the window will use it: `sync_review` (one reviewer's verdicts of one review file, other
//! reviewers' kept), embedding once at import (only new or changed texts embedded again), `search_text`, and filling
//! an index from the stored vectors.

use std::sync::atomic::{AtomicUsize, Ordering};

use claimdesk::document::Document;
use claimdesk::extract::Extractor;
use claimdesk::library::{Embedder, ImportOptions, Library, Query, decode_vector, encode_vector};
use claimdesk::review::{ReviewFile, Status};

/// A deterministic stand-in for the matcher's model that counts the texts it embeds.
struct Counting {
    texts: AtomicUsize,
}

impl Embedder for Counting {
    fn model(&self) -> &str {
        "counting/1"
    }

    fn embed(&self, texts: &[(&str, Option<&str>)]) -> Vec<Vec<u8>> {
        self.texts.fetch_add(texts.len(), Ordering::SeqCst);
        texts.iter().map(|(claim, _)| encode_vector(&[claim.len() as f32 / 100.0, 0.5, -0.25, 1.0])).collect()
    }
}

fn doc_review() -> ReviewFile {
    let doc = Document::from_text(
        "Story",
        "Unemployment fell to 3.5% in 2023, the ministry said. The city budget grew by 12% last year. Exports to \
         China doubled since 2019, according to customs data.",
    );
    let ex = Extractor::default();
    ReviewFile::new(&doc, ex.info(), &ex.sentences(&doc.text))
}

#[test]
fn sync_review_keeps_other_reviewers_and_removes_what_was_unreviewed() {
    let dir = tempfile::tempdir().unwrap();
    let mut lib = Library::open(dir.path()).unwrap();
    let mut file = doc_review();
    assert!(file.claims.len() >= 3);
    // Alice's desk: her verdicts carry her name, or none (the desk's reviewer is hers).
    file.claims[0].review.status = Status::Verified;
    file.claims[0].review.reviewer = Some("alice".into());
    file.claims[1].review.status = Status::Disputed;
    // Bob reviewed the third claim in the same file: not Alice's to sync.
    file.claims[2].review.status = Status::Unsourced;
    file.claims[2].review.reviewer = Some("bob".into());
    let report = lib.sync_review(&file, "alice", None).unwrap();
    assert_eq!((report.added, report.removed), (2, 0));
    // A verdict naming no reviewer is taken as the syncing desk's: Bob's desk would count it as his. Once it names
    // Alice (as the window records), it is hers alone.
    assert_eq!(lib.store().source_state(&format!("review:{}:bob", file.document.fingerprint)).unwrap().len(), 0);
    file.claims[1].review.reviewer = Some("alice".into());
    let report = lib.sync_review(&file, "bob", None).unwrap();
    assert_eq!((report.added, report.removed), (1, 0));
    // Nothing changed: nothing written (the store's generation, bumped by every write, stays).
    let generation = lib.store().generation().unwrap();
    assert!(generation >= 2, "{generation}");
    let report = lib.sync_review(&file, "alice", None).unwrap();
    assert_eq!((report.added, report.updated, report.removed, report.unchanged), (0, 0, 0, 2));
    assert_eq!(lib.store().generation().unwrap(), generation);
    // Alice sets her first claim back to unreviewed and changes the second: one removed, one updated, Bob's kept.
    file.claims[0].review.status = Status::Unreviewed;
    file.claims[1].review.status = Status::Verified;
    let report = lib.sync_review(&file, "alice", None).unwrap();
    assert_eq!((report.added, report.updated, report.removed), (0, 1, 1));
    let all = lib.list().unwrap();
    assert_eq!(all.len(), 2);
    assert!(
        all.iter()
            .any(|e| e.source.reviewer.as_deref() == Some("bob") && e.record.verdict.as_deref() == Some("unsourced"))
    );
    assert!(all.iter().all(|e| e.source.fingerprint.as_deref() == Some(file.document.fingerprint.as_str())));
    // A deleted claim goes too.
    file.claims.remove(1);
    let report = lib.sync_review(&file, "alice", None).unwrap();
    assert_eq!(report.removed, 1);
    assert_eq!(lib.list().unwrap().len(), 1);
}

#[test]
fn embeddings_are_computed_once_and_again_only_for_changed_text() {
    let dir = tempfile::tempdir().unwrap();
    let feed = dir.path().join("feed.csv");
    let model = Counting { texts: AtomicUsize::new(0) };
    let mut lib = Library::open(&dir.path().join("lib")).unwrap();
    let options = ImportOptions { source_name: None, embedder: Some(&model) };
    let import = |lib: &mut Library, text: &str| {
        std::fs::write(&feed, text).unwrap();
        let before = model.texts.load(Ordering::SeqCst);
        let report = lib.import(std::slice::from_ref(&feed), &options, &mut |_| {}).unwrap();
        (report, model.texts.load(Ordering::SeqCst) - before)
    };
    let (report, embedded) =
        import(&mut lib, "id,claim,title,verdict\n1,One.,T1,True\n2,Two.,T2,False\n3,Three.,,True\n");
    assert_eq!((report.added, report.embedded, embedded), (3, 3, 3));
    let (report, embedded) =
        import(&mut lib, "id,claim,title,verdict\n1,One.,T1,True\n2,Two.,T2,False\n3,Three.,,True\n");
    assert_eq!((report.unchanged, report.embedded, embedded), (3, 0, 0));
    // A new verdict is not a new text: updated, not embedded. A new title is, and a new entry is.
    let (report, embedded) =
        import(&mut lib, "id,claim,title,verdict\n1,One.,T1,Mostly true\n2,Two.,New title,False\n4,Four.,,True\n");
    assert_eq!((report.added, report.updated, report.removed, report.unchanged), (1, 2, 1, 0));
    assert_eq!((report.embedded, embedded), (2, 2));
    // Every entry has its vector, as the model encoded it, with its text: ready for an index.
    let mut rows = Vec::new();
    lib.store()
        .for_each_vector("counting/1", &mut |row| {
            rows.push((row.key, row.fingerprint.is_none(), row.claim.to_owned(), decode_vector(row.vector)))
        })
        .unwrap();
    assert_eq!(rows.len(), 3);
    assert!(rows.iter().all(|(_, no_fingerprint, _, v)| *no_fingerprint && v.len() == 4 && (v[1] - 0.5).abs() < 1e-3));
    assert!(rows.iter().any(|(_, _, claim, _)| claim == "Four."));
    assert!(lib.store().for_each_vector("another/1", &mut |_| panic!("no vectors of that model")).is_ok());
    assert_eq!(lib.stats().unwrap().embedded.get("counting/1"), Some(&3));
}

#[test]
fn search_text_and_match_find_entries_by_their_words() {
    let dir = tempfile::tempdir().unwrap();
    let feed = dir.path().join("feed.tsv");
    std::fs::write(
        &feed,
        "id\tclaim\ttitle\n1\tThe Eiffel Tower grows in summer.\tDoes the tower grow?\n2\tBananas are berries.\tBotany\n\
         3\tThe café served crêpes to 300 people.\tCrêpes\n",
    )
    .unwrap();
    let mut lib = Library::open(dir.path()).unwrap();
    lib.import(std::slice::from_ref(&feed), &ImportOptions::default(), &mut |_| {}).unwrap();
    let found = lib.search_text("towers growing", 10).unwrap();
    assert_eq!(found.iter().map(|e| e.record.id.as_str()).collect::<Vec<_>>(), ["1"], "stemmed: towers ~ tower");
    assert_eq!(lib.search_text("cafe crepes", 10).unwrap()[0].record.id, "3", "diacritics folded");
    assert!(lib.search_text("the of and", 10).unwrap().is_empty(), "only common words: nothing");
    assert!(lib.search_text("\"unbalanced ( OR NEAR", 10).is_ok(), "operators in the text are words, not syntax");
    let q = Query { id: "q".into(), text: "Are bananas berries?".into(), fingerprint: None };
    let matches = lib.match_claims(&[q], 5, None).unwrap();
    assert_eq!(matches[0][0].entry.record.id, "2");
    assert_eq!(matches[0][0].rank, 1);
}
