//! Kill a saving process at random moments, 200 times: the review file on disk is always complete and valid, the
//! old version or a new one, never half of either.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::time::Duration;

use claimdesk::document::Document;
use claimdesk::extract::Extractor;
use claimdesk::review::{ReviewFile, file};

#[test]
fn killing_a_save_never_leaves_a_broken_file() {
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("review.json");
    // A review large enough that one save takes a few milliseconds, so kills land mid-write.
    let doc = Document::from_text("big", claimdesk::corpus::generate(11, 64 * 1024));
    let ex = Extractor::default();
    let review = ReviewFile::new(&doc, ex.info(), &ex.sentences(&doc.text));
    file::save(&review, &target).unwrap();
    let mut seed: u64 = 0x2545_f491_4f6c_dd1d;
    let mut killed_mid_run = 0;
    for attempt in 0..200 {
        let mut child = Command::new(env!("CARGO_BIN_EXE_claimdesk"))
            .args(["stress-save", target.to_str().unwrap(), "--rounds", "1000"])
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        // Wait until the first save is done, so the kill lands among later saves.
        let mut first = String::new();
        // Kept open until the child is dead: a closed pipe would end the child early.
        let mut reader = BufReader::new(child.stdout.take().unwrap());
        reader.read_line(&mut first).unwrap();
        assert!(first.starts_with("saved"), "attempt {attempt}: {first}");
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        std::thread::sleep(Duration::from_micros(seed % 8_000));
        if child.try_wait().unwrap().is_none() {
            killed_mid_run += 1;
        }
        child.kill().ok(); // SIGKILL: no destructor, no flush, no cleanup
        child.wait().unwrap();
        drop(reader);
        let loaded = file::load(&target).unwrap_or_else(|e| panic!("attempt {attempt}: the file is broken: {e}"));
        assert_eq!(loaded.document.fingerprint, review.document.fingerprint);
        let note = &loaded.claims[0].review.note;
        assert!(note.is_empty() || note.starts_with("round "), "attempt {attempt}: {note}");
    }
    assert!(killed_mid_run >= 150, "most kills must land while saving: {killed_mid_run} of 200");
    // Temporary files of killed saves may remain (they are never the target); the target and its backup are valid.
    file::load(&claimdesk::atomic::backup_path(&target)).expect("the backup is valid too");
}
