//! The desk a reviewer can trust: no review overwritten by another document's, no change on disk replaced unasked,
//! no stray keys while typing, no dropped key presses.

use super::*;

const OTHER_TEXT: &str = "Exports rose 9% in 2021, the ministry said.\n\nImports fell by $3 billion in 2022, according to \
                          customs data.\n";

fn other_document(dir: &Path) -> PathBuf {
    let path = dir.join("other.txt");
    std::fs::write(&path, OTHER_TEXT).unwrap();
    path
}

fn bytes(path: &Path) -> Option<Vec<u8>> {
    std::fs::read(path).ok()
}

/// `--review review.json`, then Ctrl+O on another document: the title names the new document's own review file,
/// Save never goes to review.json, Save as onto it is refused naming both documents, and review.json and its backup
/// are as they were.
#[test]
fn a_second_document_never_overwrites_the_first_documents_review() {
    let dir = tempfile::tempdir().unwrap();
    let review = dir.path().join("review.json");
    let backup = dir.path().join("review.json.bak");
    let other = other_document(dir.path());
    let dialogs = ScriptedDialogs::new();
    let mut h = harness(dialogs.clone(), &dir.path().join("data"));
    h.state_mut().open_bound(&sample_path(), &review);
    h.run();
    assert!(h.state().title().contains("review.json"), "{}", h.state().title());
    press(&mut h, Key::Num1);
    chord(&mut h, CTRL, Key::S);
    let first = bytes(&review).expect("the first review is saved where --review said");
    let first_backup = bytes(&backup);

    dialogs.answer(&other);
    chord(&mut h, CTRL, Key::O);
    assert_eq!(file(&h).document.title, "other");
    let title = h.state().title();
    assert!(title.starts_with("other.review.json"), "{title}");
    press(&mut h, Key::Num1);
    // The first save asks where (the scripted dialog answers nothing): nothing is written anywhere.
    chord(&mut h, CTRL, Key::S);
    assert!(h.state().message.as_deref().unwrap_or("").starts_with("Not saved"), "{:?}", h.state().message);
    assert_eq!(bytes(&review).as_ref(), Some(&first));
    // Save as onto the first document's review: refused, naming both documents.
    dialogs.answer(&review);
    chord(&mut h, CTRL_SHIFT, Key::S);
    let err = h.state().last_error.clone().unwrap_or_default();
    assert!(
        err.contains("review.json") && err.contains("israel-arab-security-ties") && err.contains("\"other\""),
        "{err}"
    );
    assert!(h.state().is_dirty());
    // Closing asks; Save saves beside the document, where the reviewer is asked to.
    let own = dir.path().join("other.review.json");
    dialogs.answer(&own);
    chord(&mut h, CTRL, Key::W);
    click(&mut h, "Save");
    assert!(h.state().session.is_none(), "saved, then closed");
    let saved = claimdesk::review::file::load(&own).unwrap();
    assert_eq!(saved.document.title, "other");
    assert_eq!(saved.reviewed(), 1);
    assert_eq!(bytes(&review).as_ref(), Some(&first), "the first review is unchanged on disk");
    assert_eq!(bytes(&backup), first_backup, "and so is its backup");
}

/// Where the desktop has no file dialog, a later document's first save proposes NAME.review.json beside it.
#[test]
fn a_later_documents_first_save_proposes_its_own_file_beside_it() {
    let dir = tempfile::tempdir().unwrap();
    let review = dir.path().join("review.json");
    let other = other_document(dir.path());
    let mut h = harness(ScriptedDialogs::missing(), &dir.path().join("data"));
    h.state_mut().open_bound(&sample_path(), &review);
    h.run();
    h.state_mut().push(claimdesk::gui::commands::Command::OpenPath(other.clone()));
    h.run();
    press(&mut h, Key::Num1);
    chord(&mut h, CTRL, Key::S);
    let proposed = h.state().path_prompt.as_ref().expect("the first save asks where").text.clone();
    assert_eq!(proposed, dir.path().join("other.review.json").display().to_string());
    click(&mut h, "Save here");
    assert!(dir.path().join("other.review.json").exists());
    assert!(!review.exists(), "nothing went to the first document's path");
}

/// Another program saves the review while it is open: the next save asks, and each answer does what it says.
#[test]
fn a_review_changed_on_disk_is_never_replaced_unasked() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("shared.json");
    let doc = claimdesk::document::load(&sample_path()).unwrap();
    let base = ReviewFile::extract(&doc, &claimdesk::extract::Extractor::default());
    claimdesk::review::file::save(&base, &path).unwrap();
    let dialogs = ScriptedDialogs::new();
    let mut h = harness(dialogs.clone(), &dir.path().join("data"));
    h.state_mut().open_path(&path);
    h.run();
    let mut round = 0;
    // Someone else marks the last shown claim disputed and saves.
    let mut theirs = |note: &str| {
        round += 1;
        let mut f = claimdesk::review::file::load(&path).unwrap();
        let last = f.claims.iter().rposition(|c| c.score >= f.extractor.threshold).unwrap();
        f.claims[last].review.status = Status::Disputed;
        f.claims[last].review.note = format!("{note} {round}");
        claimdesk::review::file::save(&f, &path).unwrap();
        std::fs::read(&path).unwrap()
    };

    // Overwrite: mine is saved, theirs kept as the backup.
    let their_bytes = theirs("theirs");
    press(&mut h, Key::Num1);
    chord(&mut h, CTRL, Key::S);
    h.get_by_label("The review file changed on disk");
    assert_eq!(bytes(&path).unwrap(), their_bytes, "nothing written before the reviewer chooses");
    click(&mut h, "Overwrite");
    assert!(!h.state().is_dirty());
    assert_eq!(bytes(&dir.path().join("shared.json.bak")).unwrap(), their_bytes, "theirs is kept as the backup");
    assert_eq!(claimdesk::review::file::load(&path).unwrap(), *file(&h));
    // Saving again needs no question: the file is the one this window wrote.
    press(&mut h, Key::Num2);
    chord(&mut h, CTRL, Key::S);
    assert!(h.state().conflict.is_none() && !h.state().is_dirty());

    // Keep theirs and reload: their file is the review now.
    let their_bytes = theirs("reload");
    press(&mut h, Key::Num3);
    chord(&mut h, CTRL, Key::S);
    click(&mut h, "Keep theirs and reload");
    assert_eq!(bytes(&path).unwrap(), their_bytes);
    assert_eq!(*file(&h), claimdesk::review::file::load(&path).unwrap());
    assert!(!h.state().is_dirty());

    // Save mine as a new file: both are kept.
    let their_bytes = theirs("both");
    press(&mut h, Key::Num3);
    let mine = dir.path().join("shared.mine.json");
    dialogs.answer(&mine);
    chord(&mut h, CTRL, Key::S);
    click(&mut h, "Save mine as a new file…");
    assert_eq!(bytes(&path).unwrap(), their_bytes);
    let saved = claimdesk::review::file::load(&mine).unwrap();
    assert_eq!(saved, *file(&h));
    assert!(saved.claims.iter().any(|c| c.review.status == Status::Unsourced));
    assert_eq!(h.state().session.as_ref().unwrap().path.as_deref(), Some(mine.as_path()));
}

/// Type `text` as a keyboard does: each character a key press (when it has a key) and its text, one frame each.
fn type_keys(h: &mut Harness<'_, App>, text: &str) {
    for c in text.chars() {
        let key = match c {
            ' ' => Some(Key::Space),
            ',' => Some(Key::Comma),
            c => Key::from_name(&c.to_ascii_uppercase().to_string()),
        };
        let modifiers = if c.is_ascii_uppercase() { Modifiers::SHIFT } else { Modifiers::NONE };
        if let Some(key) = key {
            h.input_mut().events.push(egui::Event::Key {
                key,
                physical_key: None,
                pressed: true,
                repeat: false,
                modifiers,
            });
        }
        h.input_mut().events.push(egui::Event::Text(c.to_string()));
        h.step();
    }
    h.run();
}

/// Press `keys` (no modifiers) all in one frame, after whatever else is queued for it.
fn one_frame(h: &mut Harness<'_, App>, keys: &[Key]) {
    for &key in keys {
        let event =
            egui::Event::Key { key, physical_key: None, pressed: true, repeat: false, modifiers: Modifiers::NONE };
        h.input_mut().events.push(event);
    }
    h.step();
    h.run();
}

/// Every claim's review and the selection, to compare before and after.
fn reviews_and_selection(h: &Harness<'_, App>) -> (Vec<claimdesk::review::Review>, String) {
    (file(h).claims.iter().map(|c| c.review.clone()).collect(), selected(h).id.0)
}

#[test]
fn keys_typed_after_tab_leaves_a_text_field_never_act_as_shortcuts() {
    let dir = tempfile::tempdir().unwrap();
    let (mut h, _) = with_sample(dir.path());
    click(&mut h, "Add source");
    h.get_by_label("Source 1: URL or citation").type_text("https://example.org/report");
    h.run();
    let before = reviews_and_selection(&h);
    // Tab lands on the "Open" link beside the URL; the reviewer, not looking, types on.
    press(&mut h, Key::Tab);
    assert!(h.state().keyboard_focus.is_some(), "the link has keyboard focus, drawn with a ring");
    type_keys(&mut h, "More than 7,500 personnel from 10 nations");
    assert_eq!(reviews_and_selection(&h), before, "no key acted: no note opened, no status, no move");

    // From the note field: Tab, then j j moves nothing.
    press(&mut h, Key::Escape);
    press(&mut h, Key::N);
    type_keys(&mut h, "Checked");
    press(&mut h, Key::Tab);
    let before = reviews_and_selection(&h);
    type_keys(&mut h, "jj1");
    assert_eq!(reviews_and_selection(&h), before);
    // Esc ends it: the keys act again.
    press(&mut h, Key::Escape);
    let first = selected(&h).id;
    press(&mut h, Key::J);
    assert_ne!(selected(&h).id, first, "navigating again");
}

#[test]
fn every_key_press_counts_in_order_however_many_arrive_in_one_frame() {
    let dir = tempfile::tempdir().unwrap();
    let (mut h, _) = with_sample(dir.path());
    let claims = shown(&h);
    let burst = |h: &mut Harness<'_, App>, keys: &[Key]| one_frame(h, keys);
    burst(&mut h, &[Key::J, Key::J, Key::J]);
    assert_eq!(selected(&h).id, claims[3].id, "three presses, three claims");
    burst(&mut h, &[Key::K, Key::K, Key::K, Key::K, Key::K]);
    assert_eq!(selected(&h).id, claims[0].id);
    // In order: verified (and on), next, disputed (and on).
    burst(&mut h, &[Key::Num1, Key::J, Key::Num2]);
    assert_eq!(statuses(&h, 4), [Status::Verified, Status::Unreviewed, Status::Disputed, Status::Unreviewed]);
    assert_eq!(selected(&h).id, claims[3].id);
}

#[test]
fn esc_closes_an_open_menu_first() {
    let dir = tempfile::tempdir().unwrap();
    let (mut h, _) = with_sample(dir.path());
    let before = reviews_and_selection(&h);
    click(&mut h, "File");
    assert!(h.query_by_label("Compare reviewers…").is_some(), "the menu is open");
    press(&mut h, Key::Escape);
    assert!(h.query_by_label("Compare reviewers…").is_none(), "Esc closed the menu");
    assert!(!h.state().menu_open);
    assert_eq!(reviews_and_selection(&h), before, "and did nothing else");
    // With the menu closed, keys act again.
    press(&mut h, Key::J);
    assert_ne!(reviews_and_selection(&h).1, before.1);
}

/// A claim with a note or a source but no status carries work: it stays listed and highlighted at any threshold.
#[test]
fn the_threshold_never_hides_a_claim_that_carries_work() {
    let dir = tempfile::tempdir().unwrap();
    let (mut h, _) = with_sample(dir.path());
    let lowest = shown(&h).into_iter().min_by(|a, b| a.score.total_cmp(&b.score)).unwrap();
    let second =
        shown(&h).into_iter().filter(|c| c.id != lowest.id).min_by(|a, b| a.score.total_cmp(&b.score)).unwrap();
    click_row(&mut h, &lowest.text[..20]);
    press(&mut h, Key::N);
    type_keys(&mut h, "Ask the ministry");
    press(&mut h, Key::Escape);
    click_row(&mut h, &second.text[..20]);
    click(&mut h, "Add source");
    h.get_by_label("Source 1: URL or citation").type_text("https://example.org");
    h.run();
    press(&mut h, Key::Escape);
    let above = lowest.score.max(second.score) + 0.01;
    h.get_by_role_and_label(egui::Role::Slider, "Threshold:").set_value_accesskit(f64::from(above.min(1.0)));
    h.run();
    for claim in [&lowest, &second] {
        assert!(shown(&h).iter().any(|c| c.id == claim.id), "{} stays a claim", claim.text);
        let prefix: String = claim.text.chars().take(20).collect();
        assert!(
            h.query_by(|n| n.role() == egui::Role::ListItem && n.label().is_some_and(|l| l.contains(&prefix)))
                .is_some(),
            "and it is listed: {prefix}"
        );
    }
}

#[test]
fn delete_says_what_it_deleted_and_a_change_that_changes_nothing_is_no_undo_step() {
    let dir = tempfile::tempdir().unwrap();
    let (mut h, _) = with_sample(dir.path());
    let first = selected(&h);
    press(&mut h, Key::Delete);
    let message = h.state().message.clone().unwrap_or_default();
    assert!(message.contains(&claimdesk::export::excerpt(&first.text, 30).replace('…', "")[..20]), "{message}");
    assert!(message.contains("Ctrl+Z"), "{message}");
    h.get_by_label_contains("Ctrl+Z brings it back");
    chord(&mut h, CTRL, Key::Z);
    assert!(file(&h).claim(&first.id).is_some(), "undo brings it back");
    assert!(!h.state().session.as_ref().unwrap().history.can_undo());
    // 0 on an unreviewed claim moves on but records nothing.
    let revision = h.state().session.as_ref().unwrap().revision();
    press(&mut h, Key::Num0);
    assert!(!h.state().session.as_ref().unwrap().history.can_undo(), "no undo step for no change");
    assert_eq!(h.state().session.as_ref().unwrap().revision(), revision, "and no change to save");
}

/// Keys typed right after a key that opens a field (n) or a dialog, in the same frame, are not shortcuts.
#[test]
fn keys_after_one_that_opens_a_field_in_the_same_frame_are_not_shortcuts() {
    let dir = tempfile::tempdir().unwrap();
    let (mut h, _) = with_sample(dir.path());
    let before = reviews_and_selection(&h);
    one_frame(&mut h, &[Key::N, Key::J, Key::Num1]);
    assert_eq!(reviews_and_selection(&h), before, "j and 1 after n did not move or mark");
}

/// Characters typed just before Esc, arriving in the same frame, still land in the field (and in one undo step).
#[test]
fn the_last_characters_before_esc_are_not_lost() {
    let dir = tempfile::tempdir().unwrap();
    let (mut h, _) = with_sample(dir.path());
    press(&mut h, Key::N);
    type_keys(&mut h, "Checked");
    h.input_mut().events.push(egui::Event::Text(" twice.".to_owned()));
    one_frame(&mut h, &[Key::Escape]);
    assert_eq!(selected(&h).review.note, "Checked twice.");
    let depth = h.state().session.as_ref().unwrap().history.depth();
    chord(&mut h, CTRL, Key::Z);
    assert_eq!(selected(&h).review.note, "", "the whole note is one undo step");
    assert_eq!(h.state().session.as_ref().unwrap().history.depth(), depth - 1);
    chord(&mut h, CTRL_SHIFT, Key::Z);
    // Out of the field: keys act again.
    let first = selected(&h).id;
    press(&mut h, Key::J);
    assert_ne!(selected(&h).id, first);
}

/// `n` puts what is typed at the end of this claim's note, wherever the cursor was left in another claim's note
/// (the note field is one widget for every claim: its cursor had stayed at the other note's length).
#[test]
fn n_types_at_the_end_of_this_claims_note() {
    let dir = tempfile::tempdir().unwrap();
    let (mut h, _) = with_sample(dir.path());
    click_row(&mut h, "Jonathan Schanzer");
    press(&mut h, Key::N);
    type_keys(&mut h, "Earlier note");
    press(&mut h, Key::Escape);
    click_row(&mut h, "Joseph Votel");
    press(&mut h, Key::N);
    type_keys(&mut h, "Not named.");
    press(&mut h, Key::Escape);
    click_row(&mut h, "Jonathan Schanzer");
    press(&mut h, Key::N);
    type_keys(&mut h, " More.");
    press(&mut h, Key::Escape);
    assert_eq!(selected(&h).review.note, "Earlier note More.");
}

/// Where the desktop has no file dialog, a path typed right after Ctrl+O lands in the prompt that asks for it (on
/// the frame a modal opens egui refuses focus to what it holds: one request had been lost).
#[test]
fn a_path_typed_right_after_ctrl_o_lands_in_the_prompt() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = harness(ScriptedDialogs::missing(), &dir.path().join("data"));
    h.run();
    chord(&mut h, CTRL, Key::O);
    type_keys(&mut h, "other");
    assert_eq!(h.state().path_prompt.as_ref().expect("asked for a path").text, "other");
}

/// While the path prompt asks (no file dialog service), chords do not act behind it: Ctrl+O after Ctrl+S had stacked
/// an "Unsaved changes" question on top of the "Save the review as" prompt (found driving the window under Xvfb).
#[test]
fn chords_wait_while_the_path_prompt_asks() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = harness(ScriptedDialogs::missing(), &dir.path().join("data"));
    h.run();
    h.get_by_label("Open the sample article").click();
    h.run();
    press(&mut h, Key::J);
    press(&mut h, Key::Num1);
    chord(&mut h, CTRL, Key::S);
    assert!(h.state().path_prompt.is_some(), "Save asks for a path");
    chord(&mut h, CTRL, Key::O);
    assert!(h.state().confirm.is_none(), "Ctrl+O acted behind the prompt");
    assert!(h.state().path_prompt.is_some(), "the prompt is still there");
    press(&mut h, Key::Escape);
    assert!(h.state().path_prompt.is_none());
    chord(&mut h, CTRL, Key::O);
    assert!(h.state().confirm.is_some() || h.state().path_prompt.is_some(), "Ctrl+O acts once the prompt is gone");
}
