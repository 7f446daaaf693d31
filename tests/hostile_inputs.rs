//! Hostile inputs (the corpus in tests/data/bad/, plus cases made at run time: a folder, a missing file, an unreadable
//! file, a named pipe, a device, a 50 MB line). For each input that is bad, the command line exits 1 with exactly one
//! line on stderr naming the file and the problem, never panics and never hangs; the library returns an error; the
//! window shows the message and keeps the work in hand, still unsaved; and no file on disk changes. Inputs that are
//! unusual but good (UTF-16 with a byte-order mark, a 50 MB line) are read, with nothing on disk changed.
//!
//! Unreadable files: the tests may run as root, which reads through `chmod 000`. So the file is made mode 000 and,
//! when running as root, whoever reads it gives up root's file powers first: the command line runs as uid 65534
//! (`nobody`, through `Command::uid`), and the library and the window run on a thread whose file-system uid is set to
//! 65534 (`setfsuid`, which is per thread on Linux and drops root's permission override). The test first checks that
//! the file really is unreadable to that reader, so it can never pass by reading it.

mod common;
use common::*;

use std::collections::BTreeMap;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::Duration;

use claimdesk::gui::App;
use claimdesk::gui::commands::Command as AppCommand;
use claimdesk::gui::dialogs::ScriptedDialogs;

const BAD: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/bad");
/// No hostile input may make a command take longer than this (a hang is a failure, not a stuck test run).
const DEADLINE: Duration = Duration::from_secs(60);
/// The uid unreadable files are read as when the tests run as root.
const NOBODY: u32 = 65534;

fn is_root() -> bool {
    // SAFETY: geteuid has no preconditions and cannot fail.
    unsafe { libc::geteuid() == 0 }
}

/// Run `f` on a thread that reads files as an unprivileged user (when the tests run as root; else as themselves),
/// failing if it outlives [`DEADLINE`].
fn on_unprivileged_thread<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> T {
    let (tx, rx) = std::sync::mpsc::channel();
    let handle = std::thread::spawn(move || {
        if is_root() {
            // SAFETY: setfsuid only changes this thread's file-system uid; it has no memory-safety preconditions.
            unsafe { libc::setfsuid(NOBODY) };
        }
        let _ = tx.send(f());
    });
    match rx.recv_timeout(DEADLINE) {
        Ok(value) => value,
        Err(std::sync::mpsc::RecvTimeoutError::Timeout) => panic!("hung for {DEADLINE:?}"),
        // The thread panicked: pass its panic on.
        Err(std::sync::mpsc::RecvTimeoutError::Disconnected) => match handle.join() {
            Err(panic) => std::panic::resume_unwind(panic),
            Ok(()) => unreachable!("the thread sends before it ends"),
        },
    }
}

/// Every file under `dir` with its bytes (when readable), length, permissions and modification time.
type Snapshot = BTreeMap<PathBuf, (Option<Vec<u8>>, u64, u32, std::time::SystemTime)>;

fn snapshot(dir: &Path) -> Snapshot {
    let mut out = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap().filter_map(|e| e.ok()) {
            let p = e.path();
            let meta = std::fs::symlink_metadata(&p).unwrap();
            if meta.is_dir() {
                stack.push(p.clone());
            }
            // Only regular files are read: reading a pipe would block.
            let bytes = if meta.is_file() { std::fs::read(&p).ok() } else { None };
            out.insert(p, (bytes, meta.len(), meta.permissions().mode(), meta.modified().unwrap()));
        }
    }
    out
}

/// A copy of the bad corpus in a temp dir, so "nothing changed" is checked on files no other test touches.
fn corpus() -> (tempfile::TempDir, Vec<PathBuf>) {
    let dir = tempfile::tempdir().unwrap();
    // Searchable by the unprivileged reader, so each file fails for its own reason, not the folder's.
    std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
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
    assert_eq!(o.status.code(), Some(1), "{name}: exit code 1: {err}");
    assert_eq!(err.lines().count(), 1, "{name}: exactly one line: {err}");
    assert!(err.contains(&file.display().to_string()), "{name}: the message names the file: {err}");
    assert!(err.contains(problem), "{name}: the message says `{problem}`: {err}");
    assert!(!err.contains("panicked") && !err.contains("backtrace"), "{name}: {err}");
}

/// The problem each corpus file must be reported with.
fn expected_problem(name: &str) -> &'static str {
    match name {
        "empty.txt" => "is empty",
        "binary.txt" => "binary file",
        "invalid-utf8.txt" => "not valid UTF-8 text (invalid byte at byte offset 21)",
        "utf16-odd-length.txt" => "not valid UTF-16",
        "truncated-review.json" => "claims[5].text: EOF while parsing a string (line 190, column 41)",
        "nested-review.json" => "not a valid review file: expected a JSON object at the top level, found an array",
        "nested-object-review.json" => "document.title: invalid type: map, expected a string",
        "not-json-review.json" => "expected a JSON object at the top level, found something that is not JSON",
        "wrong-version-review.json" => "version: 7 is not supported",
        "wrong-format-review.json" => "format: expected \"claimdesk-review\"",
        "fingerprint-mismatch-review.json" => "document.fingerprint: does not match the document's text",
        "span-out-of-bounds-review.json" => "claims[0].span.end: 1000000 is past the end of the document",
        "span-off-char-boundary-review.json" => "claims[6].span.end: 1082 is inside a character",
        "duplicate-ids-review.json" => "claims[1].id: duplicate id",
        "unknown-status-review.json" => "claims[0].review.status: unknown variant `mostly-true`",
        "absurd-numbers-review.json" => "claims[0].score: inf is outside 0 to 1",
        "negative-span-review.json" => "invalid value: integer `-1`, expected usize",
        "huge-number-review.json" => "claims[0].score: number out of range",
        "text-mismatch-review.json" => "claims[2].text: is not the document's text",
        other => panic!("{other} has no expectation: add one"),
    }
}

#[test]
fn every_bad_file_is_one_clear_line_and_nothing_changes() {
    let (dir, files) = corpus();
    let out = dir.path().join("out");
    // A good review to merge each bad one with (merge refuses one file given twice); outside the corpus folder.
    let elsewhere = tempfile::tempdir().unwrap();
    let good = elsewhere.path().join("good.json");
    let doc =
        claimdesk::document::load(&Path::new(env!("CARGO_MANIFEST_DIR")).join("seeds/israel-arab-security-ties.txt"))
            .unwrap();
    claimdesk::review::file::save(&claimdesk::review::ReviewFile::extract(&doc, &Default::default()), &good).unwrap();
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
            // Every command that loads a review file reports the same way.
            for args in [
                vec!["export", path, "--format", "csv", "-o", out.to_str().unwrap()],
                vec!["merge", path, good.to_str().unwrap(), "-o", out.to_str().unwrap()],
            ] {
                assert_one_line_error(&claimdesk(&args), f, problem);
            }
            // `validate` lists every problem, one per line, each naming the file.
            let v = claimdesk(&["validate", path]);
            let err = String::from_utf8_lossy(&v.stderr);
            assert_eq!(v.status.code(), Some(1), "{name}: {err}");
            assert!(err.contains(problem), "{name}: {err}");
            assert!(err.lines().all(|l| l.contains(path)), "{name}: every line names the file: {err}");
            let lib = claimdesk::review::file::load(f).expect_err("the library refuses it").to_string();
            assert!(lib.contains(problem) && lib.contains(path) && !lib.contains('\n'), "{name}: {lib}");
        } else {
            assert_one_line_error(&claimdesk(&["extract", path, "-o", out.to_str().unwrap()]), f, problem);
            let lib = claimdesk::document::load(f).expect_err("the library refuses it").to_string();
            assert!(lib.contains(problem) && lib.contains(path), "{name}: {lib}");
        }
        checked += 1;
    }
    assert_eq!(checked, files.len() - 1, "every corpus file but the UTF-16 one is refused");
    assert!(checked >= 18, "the corpus holds the cases: {checked}");
    assert_eq!(snapshot(dir.path()), before, "no file on disk changed, and nothing was written");
}

#[test]
fn utf16_with_a_bom_is_decoded() {
    let (dir, _) = corpus();
    let f = dir.path().join("utf16-bom.txt");
    let before = snapshot(dir.path());
    let doc = claimdesk::document::load(&f).unwrap();
    assert_eq!(doc.text, "Exports rose 7% in 2021, the ministry said.\n");
    let o = claimdesk(&["extract", f.to_str().unwrap(), "--format", "tsv"]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(String::from_utf8_lossy(&o.stdout).contains("the ministry"));
    let mut app = App::new(Box::new(ScriptedDialogs::new()), tempfile::tempdir().unwrap().path().join("data"));
    app.open_path(&f);
    assert_eq!(app.last_error, None);
    assert_eq!(app.session.as_ref().unwrap().file.document.text, doc.text, "the window shows the decoded text");
    assert_eq!(snapshot(dir.path()), before);
}

#[test]
fn a_folder_or_a_missing_file() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out.json");
    let folder = dir.path().join("a-folder.txt");
    std::fs::create_dir(&folder).unwrap();
    let review_folder = dir.path().join("folder-review.json");
    std::fs::create_dir(&review_folder).unwrap();
    let missing = dir.path().join("missing.txt");
    let missing_review = dir.path().join("missing-review.json");
    let before = snapshot(dir.path());

    let (f, rf) = (folder.to_str().unwrap(), review_folder.to_str().unwrap());
    let (m, mr, o) = (missing.to_str().unwrap(), missing_review.to_str().unwrap(), out.to_str().unwrap());
    // A folder given to `extract` is a batch of the documents in it: this one holds none.
    assert_one_line_error(&claimdesk(&["extract", f, "--format", "tsv"]), &folder, "no documents");
    assert_one_line_error(&claimdesk(&["validate", rf]), &review_folder, "is a folder, not a file");
    assert_one_line_error(&claimdesk(&["export", rf, "--format", "csv", "-o", o]), &review_folder, "is a folder");
    assert_one_line_error(&claimdesk(&["extract", m]), &missing, "no such file");
    assert_one_line_error(&claimdesk(&["extract", m, "--format", "tsv"]), &missing, "no such file");
    assert_one_line_error(&claimdesk(&["validate", mr]), &missing_review, "no such file");
    assert_one_line_error(&claimdesk(&["export", mr, "--format", "csv", "-o", o]), &missing_review, "no such file");
    let doc_err = |p: &Path| claimdesk::document::load(p).unwrap_err().to_string();
    let review_err = |p: &Path| claimdesk::review::file::load(p).unwrap_err().to_string();
    assert!(doc_err(&folder).ends_with("is a folder, not a file"), "{}", doc_err(&folder));
    assert!(doc_err(&missing).ends_with("no such file"), "{}", doc_err(&missing));
    assert!(review_err(&review_folder).ends_with("is a folder, not a file"), "{}", review_err(&review_folder));
    assert!(review_err(&missing_review).ends_with("no such file"), "{}", review_err(&missing_review));
    assert_eq!(snapshot(dir.path()), before, "nothing on disk changed");
}

/// A mode-000 file, and the proof that the reader the tests use cannot read it.
fn locked_files(dir: &Path) -> Vec<PathBuf> {
    // The folder stays searchable to everyone: only the files themselves are unreadable.
    std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o755)).unwrap();
    let review = std::fs::read(Path::new(BAD).join("unknown-status-review.json")).unwrap();
    let review = String::from_utf8(review).unwrap().replace("\"mostly-true\"", "\"verified\"");
    let files = vec![dir.join("locked.txt"), dir.join("locked-review.json")];
    std::fs::write(&files[0], "Exports rose 7% in 2021, the ministry said.\n").unwrap();
    std::fs::write(&files[1], review).unwrap();
    for f in &files {
        std::fs::set_permissions(f, std::fs::Permissions::from_mode(0o000)).unwrap();
    }
    let probe = files.clone();
    let readable = on_unprivileged_thread(move || probe.iter().filter(|f| std::fs::read(f).is_ok()).count());
    assert_eq!(readable, 0, "the test's reader must not be able to read a mode-000 file");
    files
}

#[test]
fn an_unreadable_file() {
    let dir = tempfile::tempdir().unwrap();
    let files = locked_files(dir.path());
    let before = snapshot(dir.path());
    let uid = is_root().then_some(NOBODY);
    let (doc, review) = (files[0].to_str().unwrap(), files[1].to_str().unwrap());
    let out = std::env::temp_dir().join(format!("claimdesk-unreadable-{}.json", std::process::id()));
    let o = out.to_str().unwrap();
    for (args, file) in [
        (vec!["extract", doc, "--format", "tsv"], &files[0]),
        (vec!["extract", doc, "-o", o], &files[0]),
        (vec!["validate", review], &files[1]),
        (vec!["export", review, "--format", "csv", "-o", o], &files[1]),
    ] {
        assert_one_line_error(&run(&args, uid), file, "cannot read: Permission denied");
    }
    assert!(!out.exists(), "nothing was written");
    let paths = files.clone();
    let errors = on_unprivileged_thread(move || {
        [
            claimdesk::document::load(&paths[0]).err().map(|e| e.to_string()),
            claimdesk::review::file::load(&paths[1]).err().map(|e| e.to_string()),
        ]
    });
    for (e, f) in errors.iter().zip(&files) {
        let e = e.as_deref().expect("the library refuses it");
        assert!(e.contains(f.to_str().unwrap()) && e.contains("cannot read: Permission denied"), "{e}");
    }
    assert_eq!(snapshot(dir.path()), before, "nothing on disk changed");
}

/// A named pipe nobody writes to: reading it would block forever. A device like /dev/zero: reading never ends.
#[test]
fn a_pipe_or_a_device_is_refused_without_reading() {
    let dir = tempfile::tempdir().unwrap();
    let mut pipes = Vec::new();
    for name in ["pipe.txt", "pipe-review.json"] {
        let p = dir.path().join(name);
        let made = Command::new("mkfifo").arg(&p).status().expect("mkfifo runs");
        assert!(made.success());
        pipes.push(p);
    }
    let before = snapshot(dir.path());
    let (doc, review) = (pipes[0].to_str().unwrap(), pipes[1].to_str().unwrap());
    let problem = "is not a regular file";
    assert_one_line_error(&claimdesk(&["extract", doc, "--format", "tsv"]), &pipes[0], problem);
    assert_one_line_error(&claimdesk(&["validate", review]), &pipes[1], problem);
    assert_one_line_error(&claimdesk(&["export", review, "--format", "csv", "-o", "/dev/null"]), &pipes[1], problem);
    assert_one_line_error(&claimdesk(&["extract", "/dev/zero", "--format", "tsv"]), Path::new("/dev/zero"), problem);
    let paths = pipes.clone();
    let errors = on_unprivileged_thread(move || {
        [
            claimdesk::document::load(&paths[0]).err().map(|e| e.to_string()),
            claimdesk::review::file::load(&paths[1]).err().map(|e| e.to_string()),
        ]
    });
    assert!(errors.iter().all(|e| e.as_deref().is_some_and(|e| e.contains(problem))), "{errors:?}");
    assert_eq!(snapshot(dir.path()), before, "nothing on disk changed");
}

/// 50 MB of words on one line, with no line break: it is read, not refused, and the input is left alone.
#[test]
fn a_50_megabyte_line_is_handled() {
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("one-line.txt");
    let words = ["growth ", "rose ", "7% ", "the ", "ministry ", "U.S. ", "$3 ", "billion ", "said, ", "and "];
    let mut text = String::with_capacity(50 * 1024 * 1024 + 16);
    let mut i = 0usize;
    while text.len() < 50 * 1024 * 1024 {
        text.push_str(words[(i * 7 + i / 3) % words.len()]);
        i += 1;
    }
    assert!(!text.contains('\n'));
    std::fs::write(&f, &text).unwrap();
    let before = snapshot(dir.path());
    let out = std::env::temp_dir().join(format!("claimdesk-one-line-{}.json", std::process::id()));
    let o = claimdesk(&["extract", f.to_str().unwrap(), "--all", "-o", out.to_str().unwrap()]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let review = claimdesk::review::file::load(&out).expect("the output is a valid review file");
    std::fs::remove_file(&out).unwrap();
    assert_eq!(review.document.text.len(), text.len());
    assert!(!review.claims.is_empty());
    assert_eq!(snapshot(dir.path()), before, "the input is unchanged");
}

/// The window: each bad input shows its message naming the file; the work in hand stays, still unsaved; no file
/// on disk changes. Runs on an unprivileged thread (see the module comment) so the mode-000 files are unreadable.
#[test]
fn the_window_shows_each_error_and_keeps_the_work() {
    let (dir, corpus_files) = corpus();
    let mut cases: Vec<(PathBuf, &'static str)> = corpus_files
        .iter()
        .filter(|f| !f.ends_with("utf16-bom.txt"))
        .map(|f| (f.clone(), expected_problem(f.file_name().unwrap().to_str().unwrap())))
        .collect();
    let extra = dir.path().join("extra");
    std::fs::create_dir(&extra).unwrap();
    for f in locked_files(&extra) {
        cases.push((f, "cannot read: Permission denied"));
    }
    for name in ["a-folder.txt", "a-folder-review.json"] {
        std::fs::create_dir(extra.join(name)).unwrap();
        cases.push((extra.join(name), "is a folder, not a file"));
    }
    for name in ["missing.txt", "missing-review.json"] {
        cases.push((extra.join(name), "no such file"));
    }
    for name in ["pipe.txt", "pipe-review.json"] {
        let p = extra.join(name);
        assert!(Command::new("mkfifo").arg(&p).status().unwrap().success());
        cases.push((p, "is not a regular file"));
    }
    cases.push((PathBuf::from("/dev/zero"), "is not a regular file"));
    // The data folder (preferences, recovery) is elsewhere, writable by the unprivileged reader.
    let data = tempfile::tempdir().unwrap();
    std::fs::set_permissions(data.path(), std::fs::Permissions::from_mode(0o777)).unwrap();
    let data_dir = data.path().join("data");
    let before = snapshot(dir.path());
    let count = cases.len();

    let checked = on_unprivileged_thread(move || {
        let mut app = App::new(Box::new(ScriptedDialogs::new()), data_dir);
        app.open_sample();
        app.apply(AppCommand::SetStatus(claimdesk::review::Status::Disputed));
        let work = app.session.as_ref().unwrap().file.clone();
        for (f, problem) in &cases {
            app.open_error = None;
            app.open_path(f);
            let err = app.open_error.clone().unwrap_or_default();
            assert!(err.contains(&f.display().to_string()), "{}: the message names the file: {err:?}", f.display());
            assert!(err.contains(problem), "{}: the message says `{problem}`: {err:?}", f.display());
            let s = app.session.as_ref().unwrap();
            assert_eq!(s.file, work, "{}: the work in hand is kept", f.display());
            assert!(s.is_dirty(), "{}: and still marked unsaved", f.display());
        }
        cases.len()
    });
    assert_eq!(checked, count);
    assert!(checked >= 27, "every case reached the window: {checked}");
    assert_eq!(snapshot(dir.path()), before, "no file on disk changed");
}
