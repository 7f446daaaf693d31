//! Comparing reviewers: files named by their reviewers, plain headings, who settled what, and adopting verdicts on
//! claims this review left unreviewed.

use super::*;

#[test]
fn comparing_names_reviewers_not_paths_records_who_settled_and_adopts_verdicts_left_unreviewed() {
    let dir = tempfile::tempdir().unwrap();
    let (mine, bob) = reviewer_files(dir.path());
    // Bob also reviewed a claim Alice left unreviewed.
    let mut bob_file = claimdesk::review::file::load(&bob).unwrap();
    let threshold = bob_file.extractor.threshold;
    let fifth = {
        let mut shown: Vec<&mut Claim> = bob_file.claims.iter_mut().filter(|c| c.score >= threshold).collect();
        shown.sort_by_key(|c| c.span.start);
        shown[4].review.status = Status::Disputed;
        shown[4].review.note = "The exercise was in 2021".into();
        shown[4].review.reviewer = Some("Bob".into());
        shown[4].id.clone()
    };
    claimdesk::review::file::save(&bob_file, &bob).unwrap();

    let mut h = harness(ScriptedDialogs::new(), &dir.path().join("data"));
    h.state_mut().prefs.reviewer = "Carol".into();
    h.state_mut().open_path(&mine);
    h.run();
    menu(&mut h, "File", "Compare reviewers…");
    h.get_by_label("or its path:").focus();
    h.run();
    h.get_by_label("or its path:").type_text(&bob.display().to_string());
    h.run();
    click(&mut h, "Add");
    // Named by the reviewer its reviews record, with the file's name; the full path only on hover.
    h.get_by_label("Bob (bob.json)");
    assert!(h.query_by_label_contains(&dir.path().display().to_string()).is_none(), "no full path shown");
    h.get_by_label("This review: Alice (alice.json)");
    // Plain headings, and what kappa means.
    for heading in ["Times given", "All gave it", "Agreement on it", "κ against the rest"] {
        h.get_by_label(heading);
    }
    h.get_by_label_contains("κ (kappa) is agreement corrected for chance");

    // Settling records who settled it, and whose verdict was taken.
    let second = shown(&h)[1].clone();
    h.get_all_by_label("Use Bob's verdict").next().unwrap().click();
    h.run();
    let settled = file(&h).claim(&second.id).unwrap().review.settled.clone().expect("recorded");
    assert_eq!((settled.by.as_str(), settled.verdict_of.as_deref()), ("Carol", Some("Bob")));
    h.get_by_label_contains("by Carol, taking Bob's verdict");

    // Bob's verdict on a claim Alice left unreviewed can be adopted from here too.
    h.get_by_label("Reviewed by others, not in this review (1)");
    h.get_by_label("The exercise was in 2021");
    h.get_all_by_label("Use Bob's verdict").last().unwrap().click();
    h.run();
    let adopted = file(&h).claim(&fifth).unwrap().review.clone();
    assert_eq!((adopted.status, adopted.note.as_str()), (Status::Disputed, "The exercise was in 2021"));
    assert_eq!(adopted.settled.as_ref().map(|s| s.by.as_str()), Some("Carol"));
    chord(&mut h, CTRL, Key::Z);
    assert_eq!(file(&h).claim(&fifth).unwrap().review.status, Status::Unreviewed, "undoable like any edit");
}
