//! Autosave and recovery, with a real crash.
//!
//! A child process (this same test binary, started with `CLAIMDESK_RECOVERY_CHILD` set) runs the window's app
//! headlessly: it opens a saved review, makes unsaved edits of every kind (status, note, sources, a manual claim, a
//! deleted claim, an undone change), lets the 5-second autosave timer write the recovery file, reports the review it
//! holds, and waits. The test kills it with SIGKILL: no destructor, no exit handler, no last save. Then a new start
//! of the real window (egui_kittest, driven by its labels) must offer the recovery; "Restore" must give back a review
//! equal to the lost one, still unsaved and bound to its file; Ctrl+S must write it there and drop the recovery file.
//! A second crash checks "Discard"; a damaged recovery file is never offered and never crashes the start.
//!
//! `harness = false` (see Cargo.toml): the binary is its own child, so it needs its own `main`.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command as Process, Stdio};
use std::time::Duration;

use claimdesk::Span;
use claimdesk::gui::App;
use claimdesk::gui::commands::Command;
use claimdesk::gui::dialogs::ScriptedDialogs;
use claimdesk::gui::view;
use claimdesk::review::{EvidenceSource, ReviewFile, Status, file};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;

const SAMPLE: &str = include_str!("../seeds/israel-arab-security-ties.txt");

fn main() {
    if let Some(dir) = std::env::var_os("CLAIMDESK_RECOVERY_CHILD") {
        child(Path::new(&dir));
        return;
    }
    restore_after_a_crash_gives_back_the_lost_review();
    discard_after_a_crash_drops_the_recovery();
    a_damaged_recovery_file_is_not_offered();
    println!("recovery: 3 scenarios passed");
}

/// The child: unsaved edits, the autosave timer, then wait to be killed.
fn child(dir: &Path) {
    let mut app = App::new(Box::new(ScriptedDialogs::new()), dir.join("data"));
    app.open_path(&dir.join("review.json"));
    assert_eq!(app.last_error, None);
    app.apply(Command::SetStatus(Status::Disputed)); // the first claim; moves to the second
    let second = app.session.as_ref().unwrap().selected.clone().unwrap();
    app.apply(Command::SetNote(second.clone(), "Checked against CENTCOM records.".to_owned()));
    app.apply(Command::SealHistory);
    let source = EvidenceSource {
        reference: "https://example.org/centcom".to_owned(),
        quote: "150 meetings".to_owned(),
        accessed: Some("2024-05-01".to_owned()),
    };
    app.apply(Command::SetSources(second.clone(), vec![source], None));
    app.apply(Command::SetStatus(Status::Verified)); // the second claim; moves to the third
    app.apply(Command::SetStatus(Status::Unsourced)); // the third, then undone
    app.apply(Command::Undo);
    app.apply(Command::DeleteClaim); // the third claim
    let s = app.session.as_mut().unwrap();
    let start = s.file.document.text.find("Israeli sailors").unwrap();
    s.doc_selection = Some(Span::new(start, start + "Israeli sailors have trained".len()));
    app.apply(Command::AddManualClaim);
    assert!(app.session.as_ref().unwrap().is_dirty());

    // The timer: nothing is written before 5 seconds have passed, then the recovery file is. (The time is passed
    // in: the test says when "now" is instead of waiting for it.)
    let start = app.last_autosave();
    app.autosave(start + claimdesk::gui::app::AUTOSAVE_EVERY - Duration::from_millis(100));
    assert!(recovery_files(&dir.join("data")).is_empty(), "autosaved before its time");
    app.autosave(start + claimdesk::gui::app::AUTOSAVE_EVERY + Duration::from_millis(100));
    assert_eq!(recovery_files(&dir.join("data")).len(), 1, "autosaved after 5 seconds");
    assert_eq!(app.last_error, None);

    let held = &app.session.as_ref().unwrap().file;
    std::fs::write(dir.join("expected.json"), file::to_bytes(held)).unwrap();
    println!("autosaved");
    loop {
        std::thread::sleep(Duration::from_secs(1)); // until killed
    }
}

fn recovery_files(data: &Path) -> Vec<PathBuf> {
    std::fs::read_dir(data.join("recovery"))
        .map(|d| d.filter_map(|e| e.ok()).map(|e| e.path()).collect())
        .unwrap_or_default()
}

/// A saved review of the sample with one claim verified, and a crashed session's unsaved work on top of it.
/// Returns the folder, the saved review and the review the crashed session held.
fn crash() -> (tempfile::TempDir, ReviewFile, ReviewFile) {
    let dir = tempfile::tempdir().unwrap();
    let doc = claimdesk::document::Document::from_text("Sample", SAMPLE);
    let ex = claimdesk::extract::Extractor::default();
    let mut saved = ReviewFile::new(&doc, ex.info(), &ex.sentences(&doc.text));
    saved.claims[5].review.status = Status::Verified;
    file::save(&saved, &dir.path().join("review.json")).unwrap();

    let mut child = Process::new(std::env::current_exe().unwrap())
        .env("CLAIMDESK_RECOVERY_CHILD", dir.path())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut line = String::new();
    let mut out = BufReader::new(child.stdout.take().unwrap());
    out.read_line(&mut line).unwrap();
    assert_eq!(line.trim(), "autosaved", "the child got to its autosave");
    child.kill().unwrap(); // SIGKILL: the crash
    let status = child.wait().unwrap();
    assert!(!status.success(), "the child was killed, it did not exit");

    let lost = file::from_slice(&std::fs::read(dir.path().join("expected.json")).unwrap(), Path::new("expected"))
        .expect("the child's review is valid");
    assert_ne!(lost, saved, "the crashed session held unsaved edits");
    let on_disk = file::load(&dir.path().join("review.json")).unwrap();
    assert_eq!(on_disk, saved, "the crash left the saved review as it was");
    assert_eq!(recovery_files(&dir.path().join("data")).len(), 1, "the recovery file outlived the crash");
    (dir, saved, lost)
}

fn window(data: &Path) -> Harness<'static, App> {
    let app = App::new(Box::new(ScriptedDialogs::new()), data.to_path_buf());
    Harness::builder().with_size(egui::vec2(1400.0, 900.0)).with_max_steps(32).build_ui_state(
        |ui, app: &mut App| {
            view::apply_prefs(app, ui.ctx());
            view::draw(app, ui);
            app.apply_pending();
        },
        app,
    )
}

fn restore_after_a_crash_gives_back_the_lost_review() {
    let (dir, saved, lost) = crash();
    let data = dir.path().join("data");
    let review_path = dir.path().join("review.json");
    let mut h = window(&data);
    h.run();
    // The new start offers the recovery.
    assert_eq!(h.state().recoveries.len(), 1);
    h.get_by_label("Restore unsaved work?");
    h.get_by_label("Restore").click();
    h.run();
    let s = h.state().session.as_ref().expect("the work is back");
    assert_eq!(s.file, lost, "the restored review equals the lost one");
    assert!(s.is_dirty(), "restored work is unsaved until saved");
    assert_eq!(s.path.as_deref(), Some(review_path.as_path()), "and still bound to its review file");
    assert!(h.state().recoveries.is_empty());

    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::S);
    h.run();
    assert_eq!(h.state().last_error, None);
    assert_eq!(file::load(&review_path).unwrap(), lost, "Ctrl+S wrote the restored review to its file");
    assert_eq!(file::load(&claimdesk::atomic::backup_path(&review_path)).unwrap(), saved, "the old one is NAME.bak");
    assert!(recovery_files(&data).is_empty(), "a clean save drops the recovery file");
    drop(h);
    assert!(App::new(Box::new(ScriptedDialogs::new()), data).recoveries.is_empty(), "nothing offered next time");
    println!("recovery: restore after a crash: ok");
}

fn discard_after_a_crash_drops_the_recovery() {
    let (dir, saved, _) = crash();
    let data = dir.path().join("data");
    let mut h = window(&data);
    h.run();
    h.get_by_label("Discard").click();
    h.run();
    assert!(h.state().session.is_none() && h.state().recoveries.is_empty());
    assert!(recovery_files(&data).is_empty(), "discarding removes the recovery file");
    assert_eq!(file::load(&dir.path().join("review.json")).unwrap(), saved, "the saved review is untouched");
    println!("recovery: discard after a crash: ok");
}

fn a_damaged_recovery_file_is_not_offered() {
    let (dir, _, _) = crash();
    let data = dir.path().join("data");
    let recovery = recovery_files(&data).remove(0);
    let bytes = std::fs::read(&recovery).unwrap();
    std::fs::write(&recovery, &bytes[..bytes.len() / 2]).unwrap();
    let mut h = window(&data);
    h.run();
    assert!(h.state().recoveries.is_empty(), "half a recovery file is not offered");
    assert!(h.query_by_label("Restore unsaved work?").is_none());
    assert_eq!(std::fs::read(&recovery).unwrap(), &bytes[..bytes.len() / 2], "nor deleted: it is left for a person");
    println!("recovery: a damaged recovery file: ok");
}
