//! Merge and agreement: kappa on worked examples from the literature, the merge rule with provenance, matching by
//! anchored text, settling a disagreement as an undoable edit, different documents refused, and `claimdesk merge` via
//! the binary.
//!
//! Review files are built with `ReviewFile::new` from sentences whose spans the test chooses (the extractor only
//! analyses them), and statuses are set here: nothing depends on which sentences the extractor would pick.

mod common;
use common::*;

use std::path::{Path, PathBuf};

use claimdesk::Span;
use claimdesk::document::Document;
use claimdesk::extract::Extractor;
use claimdesk::merge::{self, Input, MergeError, Outcome, cohen_kappa, fleiss_kappa};
use claimdesk::review::edit::{Edit, History};
use claimdesk::review::{self, Anchor, ClaimId, EvidenceSource, Origin, Review, ReviewFile, Status};

/// A review file whose text is `sentences` joined by a space, holding the first `claims` of them as claims.
fn review_file(title: &str, sentences: &[String], claims: usize) -> ReviewFile {
    let text = sentences.join(" ");
    let doc = Document::from_text(title, text.clone());
    let ex = Extractor::default();
    let mut at = 0;
    let analysed: Vec<_> = sentences[..claims]
        .iter()
        .map(|s| {
            let start = at + text[at..].find(s.as_str()).expect("sentence in text");
            at = start + s.len();
            ex.analyse(&text, Span::new(start, at))
        })
        .collect();
    let file = ReviewFile::new(&doc, ex.info(), &analysed);
    assert_eq!(file.claims.len(), claims);
    file
}

fn sentences(texts: &[&str]) -> Vec<String> {
    texts.iter().map(|s| s.to_string()).collect()
}

fn verdict(status: Status, reviewer: &str) -> Review {
    Review {
        status,
        reviewer: Some(reviewer.to_owned()),
        changed: Some("2024-05-02T10:00:00Z".to_owned()),
        ..Default::default()
    }
}

/// One file per reviewer: `statuses[r][i]` is reviewer `r`'s status for claim `i`.
fn files_with(statuses: &[Vec<Status>], names: &[&str]) -> Vec<ReviewFile> {
    let claims = statuses[0].len();
    let texts: Vec<String> =
        (0..claims).map(|i| format!("Claim number {i} says the rate rose {i}% last year.")).collect();
    let base = review_file("Agreement", &texts, claims);
    statuses
        .iter()
        .zip(names)
        .map(|(row, name)| {
            let mut f = base.clone();
            for (c, &s) in f.claims.iter_mut().zip(row) {
                if s != Status::Unreviewed {
                    c.review = verdict(s, name);
                }
            }
            f
        })
        .collect()
}

fn inputs<'a>(names: &'a [&'a str], files: &'a [ReviewFile]) -> Vec<Input<'a>> {
    names.iter().zip(files).map(|(name, file)| Input { name, file }).collect()
}

/// Cohen's kappa, worked example from Wikipedia's "Cohen's kappa" article: 50 grant proposals, two readers; both
/// said yes to 20, both no to 15, A yes and B no to 5, A no and B yes to 10. p_o = 0.7, p_e = 0.5, κ = 0.4.
#[test]
fn cohen_kappa_matches_the_wikipedia_grant_example() {
    let k = cohen_kappa(&[vec![20, 5], vec![10, 15]]).unwrap();
    assert!((k - 0.4).abs() < 1e-12, "{k}");

    // The same ratings as two reviewers' files: yes = verified, no = disputed.
    let (v, d) = (Status::Verified, Status::Disputed);
    let mut a = Vec::new();
    let mut b = Vec::new();
    for (n, sa, sb) in [(20, v, v), (5, v, d), (10, d, v), (15, d, d)] {
        a.extend(std::iter::repeat_n(sa, n));
        b.extend(std::iter::repeat_n(sb, n));
    }
    let names = ["a.json", "b.json"];
    let files = files_with(&[a, b], &["reader A", "reader B"]);
    let c = merge::compare(&inputs(&names, &files)).unwrap();
    let ag = &c.agreement;
    assert_eq!(ag.claims, 50);
    assert!((ag.cohen_kappa.unwrap() - 0.4).abs() < 1e-12, "{:?}", ag.cohen_kappa);
    assert!((ag.percent_agreement.unwrap() - 0.7).abs() < 1e-12);
    assert_eq!(ag.fleiss_kappa, None, "Fleiss' kappa is for three or more reviewers");
    assert_eq!(c.disagreements().count(), 15);
    // Per status: verified against the rest is the same 2×2 table, so κ = 0.4; specific agreement 2·20/(2·20+15).
    let verified = &ag.per_status[0];
    assert_eq!((verified.status, verified.ratings, verified.unanimous), (Status::Verified, 55, 20));
    assert!((verified.kappa.unwrap() - 0.4).abs() < 1e-12);
    assert!((verified.specific_agreement.unwrap() - 40.0 / 55.0).abs() < 1e-12);
    let unsourced = &ag.per_status[2];
    assert_eq!((unsourced.ratings, unsourced.specific_agreement, unsourced.kappa), (0, None, None));
    assert_eq!(c.reviewers.iter().map(|r| r.name.as_str()).collect::<Vec<_>>(), ["reader A", "reader B"]);
}

/// Fleiss' kappa, worked example from Fleiss (1971) as given in Wikipedia's "Fleiss' kappa" article: 10 subjects,
/// 14 raters, 5 categories; P̄ = 0.378, P̄e = 0.213, κ ≈ 0.210.
#[test]
fn fleiss_kappa_matches_the_wikipedia_worked_example() {
    let table = vec![
        vec![0, 0, 0, 0, 14],
        vec![0, 2, 6, 4, 2],
        vec![0, 0, 3, 5, 6],
        vec![0, 3, 9, 2, 0],
        vec![2, 2, 8, 1, 1],
        vec![7, 7, 0, 0, 0],
        vec![3, 2, 6, 3, 0],
        vec![2, 5, 3, 2, 2],
        vec![6, 5, 2, 1, 0],
        vec![0, 2, 2, 3, 7],
    ];
    let k = fleiss_kappa(&table).unwrap();
    assert!((k - 0.210).abs() < 0.0005, "{k}");
}

/// Three reviewers through files, against a hand computation. Ratings (V verified, D disputed, U unsourced):
/// claim 0 VVV, 1 VVD, 2 DDD, 3 UDU; claim 4 is reviewed by two only and is left out.
/// P_i = 1, 1/3, 1, 1/3, so P̄ = 2/3; p = (5/12, 5/12, 2/12), P̄e = 54/144 = 3/8; κ = (2/3 − 3/8)/(5/8) = 7/15.
#[test]
fn fleiss_kappa_of_three_reviewers_files_matches_a_hand_computation() {
    use Status::{Disputed as D, Unreviewed as N, Unsourced as U, Verified as V};
    let names = ["ann.json", "ben.json", "cat.json"];
    let files = files_with(&[vec![V, V, D, U, V], vec![V, V, D, D, N], vec![V, D, D, U, V]], &["ann", "ben", "cat"]);
    let c = merge::compare(&inputs(&names, &files)).unwrap();
    let ag = &c.agreement;
    assert_eq!((ag.reviewers, ag.claims), (3, 4));
    assert_eq!(c.partially_reviewed(), 1);
    assert!((ag.fleiss_kappa.unwrap() - 7.0 / 15.0).abs() < 1e-12, "{:?}", ag.fleiss_kappa);
    assert!((ag.pairwise_agreement.unwrap() - 2.0 / 3.0).abs() < 1e-12);
    assert!((ag.percent_agreement.unwrap() - 0.5).abs() < 1e-12);
    assert_eq!(ag.cohen_kappa, None);
    // Verified: pairs agreeing 3·2 + 2·1 = 8 of 5·2 = 10.
    assert!((ag.per_status[0].specific_agreement.unwrap() - 0.8).abs() < 1e-12);
    assert_eq!(ag.per_status[0].unanimous, 1);
    // The claim only ann and cat reviewed, both verified, is agreed.
    assert_eq!(c.claims[4].outcome, Outcome::Agreed(V));
}

fn two_reviewers() -> (Vec<ReviewFile>, Vec<String>) {
    let texts = sentences(&[
        "Sales rose 7% in 2021, the ministry said.",
        "Profits fell by $3 billion last year.",
        "The army will deploy 500 troops next year.",
        "Unemployment reached 4.1% in March.",
        "Exports doubled to 12 million tonnes.",
    ]);
    let base = review_file("Two reviewers", &texts, 4);
    let mut alice = base.clone();
    let mut bob = base.clone();
    let s1 = EvidenceSource { reference: "https://stats.example/1".to_owned(), ..Default::default() };
    let s2 = EvidenceSource { reference: "Annual report, p. 4".to_owned(), ..Default::default() };
    alice.claims[0].review =
        Review { note: "Table 3.".to_owned(), sources: vec![s1.clone()], ..verdict(Status::Verified, "alice") };
    bob.claims[0].review = Review {
        note: "Checked the report.".to_owned(),
        sources: vec![s1.clone(), s2.clone()],
        changed: Some("2024-05-03T08:00:00Z".to_owned()),
        ..verdict(Status::Verified, "bob")
    };
    alice.claims[1].review = verdict(Status::Verified, "alice");
    bob.claims[1].review = Review { note: "It fell by $2 billion.".to_owned(), ..verdict(Status::Disputed, "bob") };
    alice.claims[2].review = verdict(Status::Unsourced, "alice");
    // Both mark the fifth sentence by hand: different ids, same place.
    for (file, id) in [(&mut alice, "m-aaaaaaaaaaaa"), (&mut bob, "m-bbbbbbbbbbbb")] {
        let text = file.document.text.clone();
        let start = text.find("Exports").unwrap();
        let span = Span::new(start, text.len());
        let mut manual = file.claims[0].clone();
        manual.id = ClaimId(id.to_owned());
        manual.span = span;
        manual.text = text[span.range()].to_owned();
        manual.anchor = Anchor::around(&text, span);
        manual.origin = Origin::Manual;
        manual.attribution = None;
        manual.review = verdict(Status::Disputed, if id.starts_with("m-a") { "alice" } else { "bob" });
        file.claims.push(manual);
    }
    (vec![alice, bob], texts)
}

#[test]
fn merge_keeps_agreed_statuses_leaves_disagreements_unreviewed_and_keeps_every_verdict() {
    let (files, _) = two_reviewers();
    let names = ["alice.json", "bob.json"];
    let merged = merge::merge(&inputs(&names, &files)).unwrap();
    let m = &merged.file;
    assert_eq!(m.claims.len(), 5, "the two manual claims are one claim");
    assert_eq!(m.document, files[0].document);

    let agreed = &m.claims[0].review;
    assert_eq!(agreed.status, Status::Verified);
    assert_eq!(agreed.note, "alice: Table 3.\n\nbob: Checked the report.");
    assert_eq!(agreed.sources.len(), 2, "union of sources without repeats");
    assert_eq!(agreed.reviewer.as_deref(), Some("alice, bob"));
    assert_eq!(agreed.changed.as_deref(), Some("2024-05-03T08:00:00Z"), "the latest change");
    assert_eq!(agreed.verdicts.len(), 2);
    assert_eq!(agreed.verdicts[1].reviewer, "bob");
    assert_eq!(agreed.verdicts[1].file.as_deref(), Some("bob.json"));
    assert_eq!(agreed.verdicts[1].review, files[1].claims[0].review);

    let disputed = &m.claims[1].review;
    assert_eq!(disputed.status, Status::Unreviewed, "a disagreement waits for an editor");
    let statuses: Vec<Status> = disputed.verdicts.iter().map(|v| v.review.status).collect();
    assert_eq!(statuses, [Status::Verified, Status::Disputed]);
    assert_eq!(disputed.verdicts[1].review.note, "It fell by $2 billion.");

    assert_eq!(m.claims[2].review.status, Status::Unsourced, "reviewed by one: their verdict");
    assert_eq!(m.claims[2].review.verdicts.len(), 2);
    assert_eq!(m.claims[3].review, Review::default(), "nobody reviewed it: no verdicts");
    assert_eq!(m.claims[4].review.status, Status::Disputed);
    assert_eq!(m.claims[4].id.as_str(), "m-aaaaaaaaaaaa", "the first file's claim represents the match");

    let c = &merged.comparison;
    let dis: Vec<&str> = c.disagreements().map(|d| d.claim.id.as_str()).collect();
    assert_eq!(dis, [m.claims[1].id.as_str()]);
    assert_eq!(c.agreement.claims, 3, "claims 0, 1 and the manual one were reviewed by both");

    // The merged file saves and loads back with its provenance.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("merged.json");
    review::file::save(m, &path).unwrap();
    assert_eq!(&review::file::load(&path).unwrap(), m);
}

#[test]
fn settling_a_disagreement_is_an_undoable_edit_that_keeps_the_verdicts() {
    let (files, _) = two_reviewers();
    let names = ["alice.json", "bob.json"];
    let mut m = merge::merge(&inputs(&names, &files)).unwrap().file;
    let id = m.claims[1].id.clone();
    let before = m.clone();
    let mut history = History::new();

    let edit = merge::settle_with_verdict(&m, &id, 1, "carol").unwrap();
    assert!(matches!(&edit, Edit::SetReview { id: e, .. } if *e == id));
    history.apply(&mut m, edit).unwrap();
    let settled = &m.claim(&id).unwrap().review;
    assert_eq!(settled.status, Status::Disputed);
    assert_eq!(settled.note, "It fell by $2 billion.");
    assert_eq!(settled.reviewer.as_deref(), Some("bob"));
    assert_eq!(settled.verdicts, before.claim(&id).unwrap().review.verdicts, "provenance kept");
    // Who settled it, and whose verdict was taken, are recorded beside it; the file becomes version 3 for that.
    let settlement = settled.settled.as_ref().expect("the settlement is recorded");
    assert_eq!((settlement.by.as_str(), settlement.verdict_of.as_deref()), ("carol", Some("bob")));
    let written = claimdesk::review::file::to_bytes(&m);
    assert!(String::from_utf8_lossy(&written).contains("\"version\": 3"));
    assert_eq!(claimdesk::review::file::from_slice(&written, std::path::Path::new("m.json")).unwrap(), m);
    history.undo(&mut m).unwrap();
    assert_eq!(m, before);

    let own = Review { status: Status::Unsourced, note: "Neither figure is sourced.".to_owned(), ..Default::default() };
    let edit = merge::settle_with_review(&m, &id, own, "carol", None).unwrap();
    history.apply(&mut m, edit).unwrap();
    let settled = &m.claim(&id).unwrap().review;
    assert_eq!((settled.status, settled.note.as_str()), (Status::Unsourced, "Neither figure is sourced."));
    assert_eq!(settled.settled.as_ref().map(|s| (s.by.as_str(), s.verdict_of.clone())), Some(("carol", None)));
    assert_eq!(settled.verdicts.len(), 2);
    assert!(settled.changed.is_some());

    let err = merge::settle_with_verdict(&m, &id, 7, "carol").unwrap_err();
    assert!(err.to_string().contains("no verdict 7"), "{err}");
    let err = merge::settle_with_verdict(&m, &ClaimId("c-nope".to_owned()), 0, "carol").unwrap_err();
    assert!(err.to_string().contains("c-nope"), "{err}");
}

#[test]
fn files_of_different_documents_are_refused_naming_both() {
    let (files, _) = two_reviewers();
    let other = review_file("Other", &sentences(&["A different article said 9% of voters agreed."]), 1);
    let names = ["alice.json", "other.json"];
    let both = [files[0].clone(), other];
    let err = merge::compare(&inputs(&names, &both)).unwrap_err();
    assert!(matches!(err, MergeError::DifferentDocuments { .. }));
    let msg = err.to_string();
    assert!(msg.contains("alice.json") && msg.contains("other.json"), "{msg}");
    let one = ["alice.json"];
    assert_eq!(merge::compare(&inputs(&one, &files[..1])).unwrap_err(), MergeError::TooFew(1));
}

// ---- the binary ----

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

#[test]
fn cli_merge_prints_agreement_and_disagreements_and_writes_the_merged_file() {
    let dir = tempfile::tempdir().unwrap();
    let (files, _) = two_reviewers();
    let a = save(dir.path(), "alice.json", &files[0]);
    let b = save(dir.path(), "bob.json", &files[1]);
    let out = dir.path().join("merged.json");
    let run = claimdesk(&["merge", s(&a), s(&b), "-o", s(&out)]);
    assert!(run.status.success(), "{}", String::from_utf8_lossy(&run.stderr));
    let stdout = String::from_utf8_lossy(&run.stdout);
    // Over the 3 claims both reviewed: 2 agree, so 66.7%; κ from the 3×3 table [[1,1,0],[0,1,0],[0,0,0]]:
    // p_o = 2/3, p_e = (2/3)(1/3) + (1/3)(2/3) = 4/9, κ = (2/3 − 4/9)/(5/9) = 0.4.
    assert!(stdout.contains("percent agreement: 66.7%"), "{stdout}");
    assert!(stdout.contains("Cohen's kappa: 0.400"), "{stdout}");
    // The claim only alice reviewed is not called agreed.
    assert!(stdout.contains("2 agreed by all, 1 reviewed by only some, 1 disagreements, 1 unreviewed"), "{stdout}");
    assert!(stdout.contains("Disagreements (1)"), "{stdout}");
    assert!(
        stdout.contains(files[0].claims[1].id.as_str()) && stdout.contains("alice: verified | bob: disputed"),
        "{stdout}"
    );
    let merged = review::file::load(&out).unwrap();
    assert_eq!(merged.claims.len(), 5);
    assert_eq!(merged.claims[1].review.verdicts.len(), 2);

    // Three reviewers: Fleiss' kappa.
    let names = ["ann", "ben", "cat"];
    use Status::{Disputed as D, Unsourced as U, Verified as V};
    let three = files_with(&[vec![V, V, D, U], vec![V, V, D, D], vec![V, D, D, U]], &names);
    let paths: Vec<PathBuf> = three.iter().zip(names).map(|(f, n)| save(dir.path(), &format!("{n}.json"), f)).collect();
    let out3 = dir.path().join("merged3.json");
    let run = claimdesk(&["merge", s(&paths[0]), s(&paths[1]), s(&paths[2]), "-o", s(&out3)]);
    assert!(run.status.success(), "{}", String::from_utf8_lossy(&run.stderr));
    let stdout = String::from_utf8_lossy(&run.stdout);
    assert!(stdout.contains("Fleiss' kappa: 0.467"), "{stdout}");
    assert!(stdout.contains("Disagreements (2)"), "{stdout}");
}

#[test]
fn cli_merge_of_different_documents_names_both_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let (files, _) = two_reviewers();
    let other = review_file("Other", &sentences(&["A different article said 9% of voters agreed."]), 1);
    let a = save(dir.path(), "alice.json", &files[0]);
    let o = save(dir.path(), "other.json", &other);
    let out = dir.path().join("merged.json");
    let run = claimdesk(&["merge", s(&a), s(&o), "-o", s(&out)]);
    assert_eq!(run.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(
        stderr.contains("alice.json") && stderr.contains("other.json") && stderr.contains("different documents"),
        "{stderr}"
    );
    assert!(!out.exists(), "nothing written");
    // One file is a usage error.
    let run = claimdesk(&["merge", s(&a), "-o", s(&out)]);
    assert_eq!(run.status.code(), Some(2));
    assert!(!out.exists());
}

#[test]
fn cli_merge_refuses_to_overwrite_an_input() {
    let dir = tempfile::tempdir().unwrap();
    let (files, _) = two_reviewers();
    let a = save(dir.path(), "alice.json", &files[0]);
    let b = save(dir.path(), "bob.json", &files[1]);
    let run = claimdesk(&["merge", s(&a), s(&b), "-o", s(&b)]);
    assert_eq!(run.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&run.stderr).contains("bob.json"));
    assert_eq!(review::file::load(&b).unwrap(), files[1], "bob's file is untouched");
}
