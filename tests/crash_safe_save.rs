//! Crash-safe saving.
//!
//! 1. Kill a saving process at random moments, 200 times: the review file on disk is always complete and valid, and
//!    exactly the old version or one of the new ones, never half of either; its `NAME.bak` is too.
//! 2. Trace one save's system calls (strace): the temporary file is synced before it is renamed over the target, the
//!    previous version becomes `NAME.bak` before that, and the folder is synced after it.
//! 3. A save whose writes fail partway (the file size limit, EFBIG) fails naming the file and changes nothing.

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Duration;

use claimdesk::document::Document;
use claimdesk::extract::Extractor;
use claimdesk::review::{ReviewFile, file};

/// `loaded` is `original` with the first claim's note either untouched or `round N` for some N < `rounds`.
fn old_or_new(loaded: &ReviewFile, original: &ReviewFile, rounds: u32) -> Result<(), String> {
    let note = &loaded.claims.first().ok_or("no claims")?.review.note;
    let mut expected = original.clone();
    if !note.is_empty() {
        let n: u32 = note.strip_prefix("round ").and_then(|n| n.parse().ok()).ok_or(format!("note {note:?}"))?;
        if n >= rounds {
            return Err(format!("round {n} was never saved"));
        }
        expected.claims[0].review.note = note.clone();
    }
    if loaded == &expected { Ok(()) } else { Err("the file is neither the old version nor a new one".to_owned()) }
}

#[test]
fn killing_a_save_never_leaves_a_broken_file() {
    const KILLS: usize = 200;
    const ROUNDS: u32 = 1000;
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("review.json");
    let backup = claimdesk::atomic::backup_path(&target);
    // A review large enough that one save takes a few milliseconds, so kills land mid-write.
    let doc = Document::from_text("big", claimdesk::corpus::generate(11, 64 * 1024));
    let ex = Extractor::default();
    let review = ReviewFile::new(&doc, ex.info(), &ex.sentences(&doc.text));
    file::save(&review, &target).unwrap();
    // How long one save takes here: kills are spread over the first four saves after the first one.
    let mut times: Vec<Duration> = (0..3)
        .map(|_| {
            let t = std::time::Instant::now();
            file::save(&review, &target).unwrap();
            t.elapsed()
        })
        .collect();
    times.sort();
    let window_us = (times[1].as_micros() as u64 * 4).max(1_000);
    let mut seed: u64 = 0x2545_f491_4f6c_dd1d;
    let mut killed_mid_run = 0;
    let mut versions_seen = std::collections::BTreeSet::new();
    for attempt in 0..KILLS {
        let mut child = Command::new(env!("CARGO_BIN_EXE_claimdesk"))
            .args(["stress-save", target.to_str().unwrap(), "--rounds", &ROUNDS.to_string()])
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
        std::thread::sleep(Duration::from_micros(seed % window_us));
        if child.try_wait().unwrap().is_none() {
            killed_mid_run += 1;
        }
        child.kill().ok(); // SIGKILL: no destructor, no flush, no cleanup
        child.wait().unwrap();
        drop(reader);
        for (name, path) in [("the file", &target), ("the backup", &backup)] {
            let loaded = file::load(path).unwrap_or_else(|e| panic!("attempt {attempt}: {name} is broken: {e}"));
            old_or_new(&loaded, &review, ROUNDS).unwrap_or_else(|e| panic!("attempt {attempt}: {name}: {e}"));
            if name == "the file" {
                versions_seen.insert(loaded.claims[0].review.note.clone());
            }
        }
    }
    assert!(killed_mid_run >= KILLS * 3 / 4, "most kills must land while saving: {killed_mid_run} of {KILLS}");
    // The kills landed at different moments: the file on disk was many different versions.
    assert!(versions_seen.len() >= 3, "kills landed in too few saves: {versions_seen:?}");
    eprintln!(
        "{KILLS} kills, {killed_mid_run} while saving, one save ~{:?}, kills spread over {window_us} µs; versions left \
         on disk: {}",
        times[1],
        versions_seen.len()
    );
    // Temporary files of killed saves may remain beside the target (they are never the target, and never read).
    let strays: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n != "review.json" && n != "review.json.bak")
        .collect();
    assert!(strays.iter().all(|n| n.starts_with(".review.json.") && n.ends_with(".claimdesk-tmp")), "{strays:?}");
}

/// The `(pid, call, arguments, result)` of each line of an `strace -f` log.
fn syscalls(log: &str) -> Vec<(String, String, String, String)> {
    log.lines()
        .filter_map(|line| {
            let (pid, rest) = line.split_once(' ')?;
            let rest = rest.trim_start();
            let open = rest.find('(')?;
            let equals = rest.rfind(" = ")?;
            let args = rest[open + 1..equals].trim_end().strip_suffix(')')?;
            Some((pid.to_owned(), rest[..open].to_owned(), args.to_owned(), rest[equals + 3..].to_owned()))
        })
        .collect()
}

/// The quoted strings among a call's arguments.
fn quoted(args: &str) -> Vec<String> {
    args.split('"').skip(1).step_by(2).map(str::to_owned).collect()
}

#[test]
fn a_save_syncs_the_file_renames_it_and_syncs_the_folder() {
    let strace = Command::new("strace").arg("-V").output().map(|o| o.status.success()).unwrap_or(false);
    if !strace {
        assert!(
            std::env::var_os("CLAIMDESK_REQUIRE_STRACE").is_none(),
            "strace is missing and CLAIMDESK_REQUIRE_STRACE is set (as .ci/run does)"
        );
        eprintln!("SKIPPED: strace is not installed; .ci/run installs it and requires this test");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("review.json");
    let doc = Document::from_text("t", "Sales rose 7% in 2021, the ministry said. Profits fell by $3 billion.");
    let ex = Extractor::default();
    file::save(&ReviewFile::new(&doc, ex.info(), &ex.sentences(&doc.text)), &target).unwrap();
    let log_path = dir.path().join("strace.log");
    let status = Command::new("strace")
        .args(["-f", "-qq", "-e", "trace=openat,open,write,fsync,fdatasync,rename,renameat,renameat2,link,linkat"])
        .arg("-o")
        .arg(&log_path)
        .arg(env!("CARGO_BIN_EXE_claimdesk"))
        .args(["stress-save", target.to_str().unwrap(), "--rounds", "1"])
        .stdout(Stdio::null())
        .status()
        .unwrap();
    assert!(status.success());
    let log = std::fs::read_to_string(&log_path).unwrap();
    let calls = syscalls(&log);
    let folder = dir.path().to_str().unwrap().to_owned();
    let target_s = target.to_str().unwrap().to_owned();
    let bak = format!("{target_s}.bak");

    // Follow file descriptors: which path each one was opened on. They are the process's, shared by its threads, so
    // a descriptor is known by its number alone.
    let mut fds: std::collections::HashMap<String, String> = Default::default();
    let mut events: Vec<String> = Vec::new();
    for (_, call, args, result) in &calls {
        match call.as_str() {
            "openat" | "open" => {
                let fd = result.split(' ').next().unwrap().parse::<i32>();
                if let (Some(path), Ok(fd @ 0..)) = (quoted(args).first(), fd) {
                    fds.insert(fd.to_string(), path.clone());
                    events.push(format!("open {path}"));
                }
            }
            "fsync" | "fdatasync" => {
                let fd = args.trim().to_owned();
                let path = fds.get(&fd).cloned().unwrap_or_default();
                events.push(format!("sync {path}"));
            }
            "write" => {
                let fd = args.split(',').next().unwrap().trim().to_owned();
                if let Some(path) = fds.get(&fd) {
                    events.push(format!("write {path}"));
                }
            }
            "rename" | "renameat" | "renameat2" | "link" | "linkat" => {
                let q = quoted(args);
                if q.len() == 2 {
                    events.push(format!(
                        "{} {} -> {}",
                        if call.starts_with("link") { "link" } else { "rename" },
                        q[0],
                        q[1]
                    ));
                }
            }
            _ => {}
        }
    }
    let pos = |pred: &dyn Fn(&str) -> bool, what: &str| {
        events.iter().position(|e| pred(e)).unwrap_or_else(|| panic!("no {what} in:\n{}", events.join("\n")))
    };
    let is_tmp = |p: &str| p.starts_with(&format!("{folder}/.review.json.")) && p.ends_with(".claimdesk-tmp");
    let final_rename =
        pos(&|e| e.starts_with("rename ") && e.ends_with(&format!(" -> {target_s}")), "rename over target");
    let tmp = events[final_rename].trim_start_matches("rename ").split(" -> ").next().unwrap().to_owned();
    assert!(is_tmp(&tmp) && !tmp.contains(".bak."), "the new version comes from a temporary file beside it: {tmp}");
    let last_write = events.iter().rposition(|e| e == &format!("write {tmp}")).expect("the bytes are written");
    let sync_tmp = pos(&|e| e == format!("sync {tmp}"), "sync of the temporary file");
    assert!(last_write < sync_tmp && sync_tmp < final_rename, "written, synced, then renamed:\n{}", events.join("\n"));
    let backup = pos(&|e| e.starts_with("rename ") && e.ends_with(&format!(" -> {bak}")), "the backup");
    let link = pos(&|e| e.starts_with(&format!("link {target_s} -> ")), "a link to the old version");
    assert!(link < backup && backup < final_rename, "NAME.bak is the old version, in place before the rename");
    let folder_open =
        events[final_rename..].iter().position(|e| e == &format!("open {folder}")).map(|i| i + final_rename);
    let folder_open =
        folder_open.unwrap_or_else(|| panic!("the folder is opened after the rename:\n{}", events.join("\n")));
    assert!(
        events[folder_open..].iter().any(|e| e == &format!("sync {folder}")),
        "the folder is synced after the rename:\n{}",
        events.join("\n")
    );
    // And the result: the new file and its backup are both valid.
    file::load(&target).unwrap();
    file::load(Path::new(&bak)).unwrap();
}

/// The save's writes fail halfway through (the child's file size limit is below the file's size, and SIGXFSZ is
/// ignored, so each write past it fails with EFBIG): the save reports the file and the error, and the review on
/// disk, its backup and the folder are exactly as they were.
#[cfg(target_os = "linux")]
#[test]
fn a_save_whose_writes_fail_changes_nothing_and_names_the_file() {
    use std::os::unix::process::CommandExt;
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("review.json");
    let doc = Document::from_text("big", claimdesk::corpus::generate(5, 512 * 1024));
    let ex = Extractor::default();
    let review = ReviewFile::new(&doc, ex.info(), &ex.sentences(&doc.text));
    file::save(&review, &target).unwrap();
    file::save(&review, &target).unwrap();
    let size = std::fs::metadata(&target).unwrap().len();
    assert!(size > 2 * 1024 * 1024, "the file spans many of the save's 256 kB buffers: {size} bytes");
    let listing = || {
        let mut names: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    };
    let (before, bak_before, names_before) =
        (std::fs::read(&target).unwrap(), std::fs::read(claimdesk::atomic::backup_path(&target)).unwrap(), listing());
    let limit = size / 2;
    let mut child = Command::new(env!("CARGO_BIN_EXE_claimdesk"));
    child.args(["stress-save", target.to_str().unwrap(), "--rounds", "1"]);
    // SAFETY: between fork and exec, only async-signal-safe calls (setrlimit, signal) and no allocation.
    unsafe {
        child.pre_exec(move || {
            let rl = libc::rlimit { rlim_cur: limit, rlim_max: limit };
            if libc::setrlimit(libc::RLIMIT_FSIZE, &rl) != 0
                || libc::signal(libc::SIGXFSZ, libc::SIG_IGN) == libc::SIG_ERR
            {
                return Err(std::io::Error::last_os_error());
            }
            Ok(())
        });
    }
    let out = child.output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "the save fails: {stderr}");
    assert!(stderr.contains(&target.display().to_string()), "the error names the file: {stderr}");
    assert!(stderr.contains("too large"), "and says why (EFBIG: File too large): {stderr}");
    assert!(!String::from_utf8_lossy(&out.stdout).contains("saved"), "nothing reported saved");
    assert_eq!(std::fs::read(&target).unwrap(), before, "the review on disk is untouched");
    assert_eq!(std::fs::read(claimdesk::atomic::backup_path(&target)).unwrap(), bak_before, "and its backup");
    assert_eq!(listing(), names_before, "no temporary file is left behind");
}
