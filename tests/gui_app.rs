//! The real window, driven headlessly through its accessible labels with egui_kittest.

use claimdesk::gui::App;
use claimdesk::gui::dialogs::ScriptedDialogs;
use claimdesk::gui::view;
use claimdesk::review::Status;
use egui::Key;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;

fn harness(dialogs: ScriptedDialogs, data: &std::path::Path) -> Harness<'static, App> {
    let app = App::new(Box::new(dialogs), data.to_path_buf());
    Harness::builder().with_size(egui::vec2(1400.0, 900.0)).with_max_steps(32).build_ui_state(
        |ui, app: &mut App| {
            view::apply_prefs(app, ui.ctx());
            view::draw(app, ui);
            app.apply_pending();
        },
        app,
    )
}

fn statuses(h: &Harness<'_, App>, n: usize) -> Vec<Status> {
    let s = h.state().session.as_ref().expect("a document is open");
    let mut ids: Vec<usize> = (0..s.file.claims.len()).filter(|&i| s.is_shown_claim(&s.file.claims[i])).collect();
    ids.sort_by_key(|&i| s.file.claims[i].span.start);
    ids.iter().take(n).map(|&i| s.file.claims[i].review.status).collect()
}

fn selected_text(h: &Harness<'_, App>) -> String {
    h.state().session.as_ref().and_then(|s| s.selected_claim()).map(|c| c.text.clone()).unwrap_or_default()
}

#[test]
fn review_the_sample_by_keyboard_and_list_then_save_and_reopen() {
    let dir = tempfile::tempdir().unwrap();
    let dialogs = ScriptedDialogs::new();
    let mut h = harness(dialogs.clone(), &dir.path().join("data"));
    h.run();

    // The start screen opens the sample; the first claim is selected at once.
    h.get_by_label("Open the sample article").click();
    h.run();
    let first = selected_text(&h);
    assert!(first.starts_with("During his visit to Israel"), "{first}");

    // Keyboard: j moves down, k moves up.
    h.key_press(Key::J);
    h.run();
    let second = selected_text(&h);
    assert!(second.contains("Bahrain has been working"), "{second}");
    h.key_press(Key::K);
    h.run();
    assert_eq!(selected_text(&h), first);

    // 1, 2, 3 set the statuses and move on.
    for key in [Key::Num1, Key::Num2, Key::Num3] {
        h.key_press(key);
        h.run();
    }
    assert_eq!(statuses(&h, 4), vec![Status::Verified, Status::Disputed, Status::Unsourced, Status::Unreviewed]);

    // Undo twice, redo once.
    h.key_press_modifiers(egui::Modifiers::COMMAND, Key::Z);
    h.run();
    h.key_press_modifiers(egui::Modifiers::COMMAND, Key::Z);
    h.run();
    assert_eq!(statuses(&h, 3), vec![Status::Verified, Status::Unreviewed, Status::Unreviewed]);
    h.key_press_modifiers(egui::Modifiers::COMMAND, Key::Y);
    h.run();
    assert_eq!(statuses(&h, 3), vec![Status::Verified, Status::Disputed, Status::Unreviewed]);

    // The list: clicking a row selects its claim; the editor's status button sets it.
    h.get_by_label_contains("Israel has sold more than $3 billion").click();
    h.run();
    assert!(selected_text(&h).starts_with("Israel has sold more than $3 billion"));
    h.get_by_label("U Unsourced (3)").click();
    h.run();

    // A note, typed into the labelled note field, is one undo step.
    h.get_by_label_contains("Joseph Votel — ").click();
    h.run();
    h.key_press(Key::N);
    h.run();
    h.get_by_label("Note (n)").type_text("Checked CENTCOM records.");
    h.run();
    h.key_press(Key::Escape);
    h.run();
    let votel = h.state().session.as_ref().unwrap().selected_claim().unwrap().clone();
    assert_eq!(votel.review.note, "Checked CENTCOM records.");
    let depth = h.state().session.as_ref().unwrap().history.depth();
    h.key_press_modifiers(egui::Modifiers::COMMAND, Key::Z);
    h.run();
    assert_eq!(h.state().session.as_ref().unwrap().selected_claim().unwrap().review.note, "");
    assert_eq!(h.state().session.as_ref().unwrap().history.depth(), depth - 1, "the whole note was one step");
    h.key_press_modifiers(Key::Z.into_redo_modifiers(), Key::Z);
    h.run();
    assert_eq!(h.state().session.as_ref().unwrap().selected_claim().unwrap().review.note, "Checked CENTCOM records.");

    // A manual claim from a selection in the document pane.
    {
        let s = h.state_mut().session.as_mut().unwrap();
        let text = s.file.document.text.clone();
        let start = text.find("Israeli sailors have trained").unwrap();
        s.doc_selection = Some(claimdesk::Span::new(start, start + "Israeli sailors have trained".len()));
    }
    h.get_by_label("Add selected text as claim").click();
    h.run();
    assert!(h.state().session.as_ref().unwrap().selected_claim().unwrap().is_manual());

    // Save through the (scripted) dialog, then reopen the file: everything as left.
    let out = dir.path().join("review.json");
    dialogs.answer(&out);
    h.key_press_modifiers(egui::Modifiers::COMMAND, Key::S);
    h.run();
    assert!(!h.state().is_dirty(), "{:?}", h.state().last_error);
    let saved = h.state().session.as_ref().unwrap().file.clone();

    let mut again = harness(ScriptedDialogs::new(), &dir.path().join("data2"));
    again.state_mut().open_path(&out);
    again.run();
    let reopened = &again.state().session.as_ref().unwrap().file;
    assert_eq!(reopened, &saved);
    assert!(reopened.claims.iter().any(|c| c.is_manual() && c.text == "Israeli sailors have trained"));
    assert_eq!(reopened.claims.iter().filter(|c| c.review.status == Status::Unsourced).count(), 1);
}

/// Redo is Ctrl+Shift+Z as well as Ctrl+Y.
trait RedoModifiers {
    fn into_redo_modifiers(self) -> egui::Modifiers;
}

impl RedoModifiers for Key {
    fn into_redo_modifiers(self) -> egui::Modifiers {
        egui::Modifiers { shift: true, ..egui::Modifiers::COMMAND }
    }
}

#[test]
fn a_file_that_fails_to_load_shows_its_error_and_keeps_the_work() {
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("broken.json");
    std::fs::write(&bad, b"{ not json").unwrap();
    let dialogs = ScriptedDialogs::new();
    let mut h = harness(dialogs.clone(), &dir.path().join("data"));
    h.run();
    h.get_by_label("Open the sample article").click();
    h.run();
    h.key_press(Key::Num2);
    h.run();
    let before = h.state().session.as_ref().unwrap().file.clone();
    // Open asks first because of unsaved work; "Discard changes" is not chosen: cancel, then open a bad file
    // after saving.
    let saved = dir.path().join("kept.json");
    dialogs.answer(&saved);
    dialogs.answer(&bad);
    h.key_press_modifiers(egui::Modifiers::COMMAND, Key::O);
    h.run();
    h.get_by_label("Save").click();
    h.run();
    let err = h.state().last_error.clone().unwrap_or_default();
    assert!(err.contains("broken.json"), "{err}");
    assert_eq!(h.state().session.as_ref().unwrap().file, before);
    assert!(saved.exists());
    // The error is on screen, in the status bar.
    h.get_by_label_contains("broken.json");
}

#[test]
fn help_overlay_lists_the_keyboard_contract() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = harness(ScriptedDialogs::new(), &dir.path().join("data"));
    h.run();
    h.key_press(Key::F1);
    h.run();
    assert!(h.query_all_by_label("Keyboard shortcuts").count() >= 1);
    h.get_by_label("j / Down");
    h.get_by_label("Ctrl+Shift+z / Ctrl+y");
}
