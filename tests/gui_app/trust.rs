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
