//! The library's reliability under process death and concurrency.
//!
//! 1. Kill an importing process at random moments, 80 times (at least 50 of them while it runs): the library is always exactly the old content
//!    or the complete new content of the source, never a mix, and passes SQLite's integrity check.
//! 2. Two processes import while a third matches, all at once: all finish, and nothing is lost.

use std::collections::BTreeSet;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use claimdesk::library::Library;

/// A TSV of `rows` fact-checks: ids from `first`, the claim's text marked with `version`.
fn feed(path: &Path, first: usize, rows: usize, version: &str) -> BTreeSet<(String, String)> {
    let mut text = String::from("id\tclaim\tverdict\n");
    let mut expected = BTreeSet::new();
    for i in first..first + rows {
        // Every third row's text differs between versions, so a re-import updates, adds and removes.
        let tag = if i % 3 == 0 { version } else { "same" };
        let claim =
            format!("Claim {i} ({tag}): the budget for district {} grew by {}% in {}.", i % 97, i % 40, 1990 + i % 35);
        text.push_str(&format!("{i}\t{claim}\tFalse\n"));
        expected.insert((i.to_string(), claim));
    }
    std::fs::write(path, text).unwrap();
    expected
}

fn contents(lib: &Path) -> BTreeSet<(String, String)> {
    let library = Library::open(lib).unwrap_or_else(|e| panic!("the library does not open: {e}"));
    library
        .list()
        .unwrap_or_else(|e| panic!("the library cannot be read: {e}"))
        .into_iter()
        .map(|e| (e.record.id, e.record.claim))
        .collect()
}

fn import_command(lib: &Path, file: &Path) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_claimdesk"));
    // Without embedding: this tests the store's transaction (the debug build's model would take most of the time,
    // before the write, where a kill proves nothing about the store).
    cmd.args(["library", "import", "--no-embedding", "--source", "feed", "--library"])
        .arg(lib)
        .arg(file)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped());
    cmd
}

#[test]
fn killing_an_import_leaves_the_library_old_or_complete() {
    const KILLS: usize = 80;
    let dir = tempfile::tempdir().unwrap();
    let lib = dir.path().join("lib");
    let old_file = dir.path().join("old.tsv");
    let new_file = dir.path().join("new.tsv");
    let old = feed(&old_file, 0, 6000, "old");
    let new = feed(&new_file, 1500, 6000, "new");
    assert_ne!(old, new);
    // Calibrate: how long one import takes here, so kills are spread over its whole run.
    // The first import creates the library; the timed ones change it, as the killed ones will.
    let out = import_command(&lib, &old_file).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let mut took = Vec::new();
    for file in [&new_file, &old_file, &new_file, &old_file, &new_file, &old_file] {
        let t = Instant::now();
        let out = import_command(&lib, file).output().unwrap();
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        took.push(t.elapsed());
    }
    took.sort();
    let typical = took[took.len() / 2];
    let mut window_us = (typical.as_micros() as u64).max(1000);
    assert_eq!(contents(&lib), old);
    let mut seed: u64 = 0x9e37_79b9_7f4a_7c15;
    let (mut stayed_old, mut became_new, mut killed_running) = (0, 0, 0);
    // At least KILLS kills; more (up to 3 x KILLS) while the kills have not yet landed on both sides of the commit,
    // moving the window every 20 kills: on a loaded machine an import runs slower than it did when timed above.
    let mut attempt = 0;
    while attempt < KILLS || (attempt < 3 * KILLS && !(stayed_old >= 5 && became_new >= 1)) {
        if attempt > 0 && attempt % 20 == 0 {
            if became_new == 0 {
                window_us = window_us * 3 / 2;
            } else if stayed_old < 5 {
                window_us = window_us * 2 / 3;
            }
        }
        attempt += 1;
        let current = contents(&lib);
        let (target_file, target) = if current == old { (&new_file, &new) } else { (&old_file, &old) };
        let mut child = import_command(&lib, target_file).spawn().unwrap();
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        std::thread::sleep(Duration::from_micros(seed % window_us));
        if child.try_wait().unwrap().is_none() {
            killed_running += 1;
        }
        child.kill().ok(); // SIGKILL: no destructor, no rollback, no cleanup
        child.wait().unwrap();
        let after = contents(&lib);
        if after == current {
            stayed_old += 1;
        } else if &after == target {
            became_new += 1;
        } else {
            panic!(
                "attempt {attempt}: the library is neither the old content nor the new ({} entries; old {}, new {})",
                after.len(),
                current.len(),
                target.len()
            );
        }
    }
    eprintln!(
        "{attempt} kills ({killed_running} while importing; one import ~{:?}, kills spread last over {window_us} µs): \
         {stayed_old} left the old content, {became_new} the new",
        typical
    );
    // At least 50 kills of a process that was still importing (the rest found it done, which must be fine too).
    assert!(killed_running >= 50, "too few kills landed while importing: {killed_running} of {KILLS}");
    assert!(
        stayed_old >= 5 && became_new >= 1,
        "kills landed in too narrow a window: {stayed_old} old, {became_new} new"
    );
    let conn = rusqlite::Connection::open(lib.join("library.sqlite")).unwrap();
    let check: String = conn.query_row("PRAGMA integrity_check", [], |r| r.get(0)).unwrap();
    assert_eq!(check, "ok");
}

#[test]
fn two_imports_and_a_match_at_once_all_finish_and_nothing_is_lost() {
    let dir = tempfile::tempdir().unwrap();
    let lib = dir.path().join("lib");
    let a = dir.path().join("a.tsv");
    let b = dir.path().join("b.tsv");
    let a_rows = feed(&a, 0, 5000, "a");
    let b_rows = feed(&b, 0, 5000, "b");
    let spawn_import = |file: &Path, name: &str| {
        Command::new(env!("CARGO_BIN_EXE_claimdesk"))
            .args(["library", "import", "--no-embedding", "--source", name, "--library"])
            .arg(&lib)
            .arg(file)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap()
    };
    // Seed the library so the matcher has something to read from its first query.
    let first = spawn_import(&a, "seed").wait_with_output().unwrap();
    assert!(first.status.success(), "{}", String::from_utf8_lossy(&first.stderr));
    let importers = [spawn_import(&a, "a"), spawn_import(&b, "b")];
    let matcher = std::thread::spawn({
        let lib = lib.clone();
        move || {
            let mut outputs = Vec::new();
            for i in 0..10 {
                let out = Command::new(env!("CARGO_BIN_EXE_claimdesk"))
                    .args(["match", "--no-embedding", "--library"])
                    .arg(&lib)
                    .args(["--text", &format!("the budget for district {i} grew")])
                    .stdin(Stdio::null())
                    .output()
                    .unwrap();
                outputs.push(out);
            }
            outputs
        }
    });
    for child in importers {
        let out = child.wait_with_output().unwrap();
        assert!(out.status.success(), "an import failed: {}", String::from_utf8_lossy(&out.stderr));
    }
    for out in matcher.join().unwrap() {
        assert!(out.status.success(), "a match failed: {}", String::from_utf8_lossy(&out.stderr));
        assert!(String::from_utf8_lossy(&out.stdout).lines().count() > 1, "a match found nothing");
    }
    let library = Library::open(&lib).unwrap();
    let all = library.list().unwrap();
    assert_eq!(all.len(), 15000);
    for (name, rows) in [("seed", &a_rows), ("a", &a_rows), ("b", &b_rows)] {
        let got: BTreeSet<(String, String)> = all
            .iter()
            .filter(|e| e.source.name == name)
            .map(|e| (e.record.id.clone(), e.record.claim.clone()))
            .collect();
        assert_eq!(&got, rows, "source {name}");
    }
}
