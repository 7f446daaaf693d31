//! What several test files share: running the built binary, reading its output, saving review files.
//!
//! Each test file is its own crate and uses only some of these, so unused ones are not warned about.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use claimdesk::review::ReviewFile;

/// How long one run of the binary may take before it counts as hung.
pub const DEADLINE: Duration = Duration::from_secs(60);

/// Run the binary with `args`, as `uid` if given (and its group); kill it and fail if it outlives [`DEADLINE`].
pub fn run(args: &[&str], uid: Option<u32>) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_claimdesk"));
    cmd.args(args).stdin(Stdio::null()).stdout(Stdio::piped()).stderr(Stdio::piped());
    if let Some(uid) = uid {
        use std::os::unix::process::CommandExt;
        cmd.uid(uid).gid(uid);
    }
    let mut child = cmd.spawn().expect("the binary runs");
    let started = Instant::now();
    while child.try_wait().expect("the binary can be waited for").is_none() {
        if started.elapsed() > DEADLINE {
            child.kill().ok();
            child.wait().ok();
            panic!("claimdesk {args:?} hung for {DEADLINE:?}");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    child.wait_with_output().expect("the binary's output")
}

/// Run the binary with `args`.
pub fn claimdesk(args: &[&str]) -> Output {
    run(args, None)
}

pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// Save `file` as `name` in `dir`.
pub fn save(dir: &Path, name: &str, file: &ReviewFile) -> PathBuf {
    let path = dir.join(name);
    claimdesk::review::file::save(file, &path).expect("the review saves");
    path
}
