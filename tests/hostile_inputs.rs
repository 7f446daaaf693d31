//! Hostile inputs (the corpus in tests/data/bad/, plus cases made at run time): the command line exits 1 with one
//! line naming the file and the problem, never panics, and changes no file on disk; the library returns an error;
//! the window shows the message and keeps the work in hand.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const BAD: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/bad");

fn claimdesk(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_claimdesk")).args(args).output().expect("the binary runs")
}

/// Every file under `dir` with its bytes and modification time.
fn snapshot(dir: &Path) -> BTreeMap<PathBuf, (Vec<u8>, std::time::SystemTime)> {
    let mut out = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap().filter_map(|e| e.ok()) {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else if let Ok(bytes) = std::fs::read(&p) {
                let modified = e.metadata().and_then(|m| m.modified()).unwrap_or(std::time::UNIX_EPOCH);
                out.insert(p, (bytes, modified));
            }
        }
    }
    out
}

/// A copy of the bad corpus in a temp dir, so "nothing changed" is checked on files no other test touches.
fn corpus() -> (tempfile::TempDir, Vec<PathBuf>) {
    let dir = tempfile::tempdir().unwrap();
    let mut files = Vec::new();
    for e in std::fs::read_dir(BAD).unwrap().filter_map(|e| e.ok()) {
        let target = dir.path().join(e.file_name());
        std::fs::copy(e.path(), &target).unwrap();
        files.push(target);
    }
    files.sort();
    (dir, files)
}

fn assert_one_line_error(o: &Output, file: &Path, problem: &str) {
    let err = String::from_utf8_lossy(&o.stderr);
    let name = file.file_name().unwrap().to_string_lossy();
    assert_eq!(o.status.code(), Some(1), "{name}: {err}");
    assert_eq!(err.lines().count(), 1, "{name}: one line: {err}");
    assert!(err.contains(name.as_ref()), "{name}: the message names the file: {err}");
    assert!(err.contains(problem), "{name}: the message says `{problem}`: {err}");
    assert!(!err.contains("panicked") && !err.contains("backtrace"), "{name}: {err}");
}

/// The problem each corpus file must be reported with.
fn expected_problem(name: &str) -> &'static str {
    match name {
        "empty.txt" => "is empty",
        "binary.txt" => "binary file",
        "invalid-utf8.txt" => "byte offset 21",
        "utf16-odd-length.txt" => "not valid UTF-16",
        "truncated-review.json" => "EOF while parsing",
        "nested-review.json" | "nested-object-review.json" => "not a valid review file",
        "not-json-review.json" => "expected value",
        "wrong-version-review.json" => "version: 7 is not supported",
        "wrong-format-review.json" => "format: expected \"claimdesk-review\"",
        "fingerprint-mismatch-review.json" => "document.fingerprint",
        "span-out-of-bounds-review.json" => "claims[0].span.end",
        "span-off-char-boundary-review.json" => "inside a character",
        "duplicate-ids-review.json" => "duplicate id",
        "unknown-status-review.json" => "claims[0].review.status: unknown variant",
        "absurd-numbers-review.json" => "claims[0].score",
        "text-mismatch-review.json" => "claims[2].text",
        other => panic!("{other} has no expectation: add one"),
    }
}

#[test]
fn every_bad_file_is_one_clear_line_and_nothing_changes() {
    let (dir, files) = corpus();
    let out = dir.path().join("out");
    let before = snapshot(dir.path());
    let mut checked = 0;
    for f in &files {
        let name = f.file_name().unwrap().to_string_lossy().into_owned();
        if name == "utf16-bom.txt" {
            continue; // decodes: checked below
        }
        let path = f.to_str().unwrap();
        let problem = expected_problem(&name);
        if name.ends_with(".json") {
            // Any command that loads a review file reports the same way.
            assert_one_line_error(
                &claimdesk(&["export", path, "--format", "csv", "-o", out.to_str().unwrap()]),
                f,
                problem,
            );
            let v = claimdesk(&["validate", path]);
            assert_eq!(v.status.code(), Some(1), "{name}");
            assert!(String::from_utf8_lossy(&v.stderr).contains(problem), "{name}");
            assert!(claimdesk::review::file::load(f).is_err(), "{name}: the library refuses it");
        } else {
            assert_one_line_error(&claimdesk(&["extract", path, "-o", out.to_str().unwrap()]), f, problem);
            assert!(claimdesk::document::load(f).is_err(), "{name}: the library refuses it");
        }
        checked += 1;
    }
    assert!(checked >= 16, "the corpus holds the cases: {checked}");
    assert_eq!(snapshot(dir.path()), before, "no file on disk changed, and nothing was written");
}

#[test]
fn utf16_with_a_bom_is_decoded() {
    let f = Path::new(BAD).join("utf16-bom.txt");
    let doc = claimdesk::document::load(&f).unwrap();
    assert_eq!(doc.text, "Exports rose 7% in 2021, the ministry said.\n");
    let o = claimdesk(&["extract", f.to_str().unwrap(), "--format", "tsv"]);
    assert!(o.status.success());
    assert!(String::from_utf8_lossy(&o.stdout).contains("the ministry"));
}

#[test]
fn folders_missing_and_unreadable_files() {
    let dir = tempfile::tempdir().unwrap();
    let folder = dir.path().join("a-folder.txt");
    std::fs::create_dir(&folder).unwrap();
    assert_one_line_error(&claimdesk(&["extract", folder.to_str().unwrap(), "--format", "tsv"]), &folder, "folder");
    let missing = dir.path().join("missing.txt");
    assert_one_line_error(&claimdesk(&["extract", missing.to_str().unwrap()]), &missing, "no such file");
    let review_folder = dir.path().join("folder-review.json");
    std::fs::create_dir(&review_folder).unwrap();
    assert_one_line_error(&claimdesk(&["validate", review_folder.to_str().unwrap()]), &review_folder, "folder");

    // An unreadable file. Root reads through chmod 000, so there the file stays readable: then the command must
    // simply succeed, which is asserted instead.
    use std::os::unix::fs::PermissionsExt;
    let locked = dir.path().join("locked.txt");
    std::fs::write(&locked, "Exports rose 7% in 2021, the ministry said.\n").unwrap();
    std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o000)).unwrap();
    let readable = std::fs::read(&locked).is_ok();
    let o = claimdesk(&["extract", locked.to_str().unwrap(), "--format", "tsv"]);
    if readable {
        eprintln!("running as root: chmod 000 does not stop reads, so locked.txt must extract normally");
        assert!(o.status.success());
    } else {
        assert_one_line_error(&o, &locked, "cannot read");
    }
}

#[test]
fn a_50_megabyte_line_is_handled() {
    // 50 MB of words with no sentence end: one enormous "sentence". It must neither crash nor hang.
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("one-line.txt");
    let words = ["growth ", "rose ", "7% ", "the ", "ministry ", "U.S. ", "$3 ", "billion ", "said, ", "and "];
    let mut text = String::with_capacity(50 * 1024 * 1024 + 16);
    let mut i = 0usize;
    while text.len() < 50 * 1024 * 1024 {
        text.push_str(words[(i * 7 + i / 3) % words.len()]);
        i += 1;
    }
    std::fs::write(&f, &text).unwrap();
    let out = dir.path().join("one-line.json");
    let o = claimdesk(&["extract", f.to_str().unwrap(), "--all", "-o", out.to_str().unwrap()]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let review = claimdesk::review::file::load(&out).expect("the output is a valid review file");
    assert!(!review.claims.is_empty());
}

#[test]
fn the_window_shows_each_error_and_keeps_the_work() {
    use claimdesk::gui::App;
    use claimdesk::gui::commands::Command;
    use claimdesk::gui::dialogs::ScriptedDialogs;
    let (dir, files) = corpus();
    let mut app = App::new(Box::new(ScriptedDialogs::new()), dir.path().join("data"));
    app.open_sample();
    app.apply(Command::SetStatus(claimdesk::review::Status::Disputed));
    let work = app.session.as_ref().unwrap().file.clone();
    for f in files.iter().filter(|f| !f.ends_with("utf16-bom.txt")) {
        app.last_error = None;
        app.open_path(f);
        let err = app.last_error.clone().unwrap_or_default();
        assert!(err.contains(f.file_name().unwrap().to_str().unwrap()), "{}: {err}", f.display());
        assert_eq!(app.session.as_ref().unwrap().file, work, "{}: the work in hand is kept", f.display());
        assert!(app.session.as_ref().unwrap().is_dirty());
    }
}
