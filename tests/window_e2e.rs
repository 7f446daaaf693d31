//! End to end in a real window under Xvfb: start `claimdesk <sample> --review <tmp>.json`, press 1, 2, 3, type a note
//! and press Ctrl+S with xdotool, and check the saved file and a screenshot.
//!
//! Needs Xvfb, xdotool and ImageMagick's `import`. Without them the test prints why and returns, unless
//! `CLAIMDESK_REQUIRE_DISPLAY_TESTS` is set (CI sets it), in which case their absence is a failure.
//! `CLAIMDESK_UPDATE_SCREENSHOT=1` copies the screenshot to docs/screenshot.png.

use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

fn have(tool: &str) -> bool {
    Command::new("sh")
        .arg("-c")
        .arg(format!("command -v {tool}"))
        .stdout(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

struct Killed(Child);

impl Drop for Killed {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn xdotool(display: &str, args: &[&str]) -> String {
    let out = Command::new("xdotool").args(args).env("DISPLAY", display).output().expect("xdotool runs");
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn wait_for(what: &str, timeout: Duration, mut ok: impl FnMut() -> bool) {
    let start = Instant::now();
    while !ok() {
        assert!(start.elapsed() < timeout, "timed out waiting for {what}");
        std::thread::sleep(Duration::from_millis(200));
    }
}

/// The note typed in the window.
const NOTE: &str = "The official is not named; no second source yet.";

#[test]
fn keys_in_a_real_window_reach_the_saved_review() {
    let required = std::env::var_os("CLAIMDESK_REQUIRE_DISPLAY_TESTS").is_some();
    let missing: Vec<&str> = ["Xvfb", "xdotool", "import"].into_iter().filter(|t| !have(t)).collect();
    if !missing.is_empty() {
        assert!(!required, "CLAIMDESK_REQUIRE_DISPLAY_TESTS is set but these tools are missing: {missing:?}");
        eprintln!(
            "SKIPPED keys_in_a_real_window_reach_the_saved_review: missing {missing:?} (install xvfb xdotool imagemagick)"
        );
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let display = format!(":{}", 90 + std::process::id() % 100);
    let _xvfb = Killed(
        Command::new("Xvfb")
            .args([display.as_str(), "-screen", "0", "1400x900x24", "-nolisten", "tcp"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("Xvfb starts"),
    );
    wait_for("Xvfb", Duration::from_secs(10), || {
        Command::new("xdotool")
            .arg("getmouselocation")
            .env("DISPLAY", &display)
            .output()
            .is_ok_and(|o| o.status.success())
    });

    let sample = Path::new(env!("CARGO_MANIFEST_DIR")).join("seeds/israel-arab-security-ties.txt");
    let review = dir.path().join("review.json");
    let log = std::fs::File::create(dir.path().join("app.log")).unwrap();
    let _app = Killed(
        Command::new(env!("CARGO_BIN_EXE_claimdesk"))
            .arg(&sample)
            .arg("--review")
            .arg(&review)
            .env("DISPLAY", &display)
            .env("LIBGL_ALWAYS_SOFTWARE", "1")
            .env("CLAIMDESK_DATA_DIR", dir.path().join("data"))
            .env_remove("WAYLAND_DISPLAY")
            .stdout(log.try_clone().unwrap())
            .stderr(log)
            .spawn()
            .expect("claimdesk starts"),
    );
    let mut window = String::new();
    wait_for("the ClaimDesk window", Duration::from_secs(60), || {
        window = xdotool(&display, &["search", "--name", "ClaimDesk"]).lines().next().unwrap_or("").to_owned();
        !window.is_empty()
    });
    // Let the first frames render before typing.
    std::thread::sleep(Duration::from_secs(3));
    xdotool(&display, &["windowfocus", "--sync", &window]);
    xdotool(&display, &["mousemove", "700", "450"]);
    for key in ["1", "2", "3"] {
        xdotool(&display, &["key", "--delay", "100", key]);
        std::thread::sleep(Duration::from_millis(600));
    }
    // Back to the third claim, a note typed into it (n focuses the note, Esc leaves it), then save.
    for key in ["k", "n"] {
        xdotool(&display, &["key", "--delay", "100", key]);
        std::thread::sleep(Duration::from_millis(400));
    }
    xdotool(&display, &["type", "--delay", "30", NOTE]);
    std::thread::sleep(Duration::from_millis(400));
    for key in ["Escape", "ctrl+s"] {
        xdotool(&display, &["key", "--delay", "100", key]);
        std::thread::sleep(Duration::from_millis(600));
    }
    wait_for("the saved review", Duration::from_secs(20), || review.exists());

    let file = claimdesk::review::file::load(&review).expect("the saved review is valid");
    let mut shown: Vec<_> =
        file.claims.iter().filter(|c| c.score >= file.extractor.threshold || c.review.is_reviewed()).collect();
    shown.sort_by_key(|c| c.span.start);
    let statuses: Vec<&str> = shown.iter().take(3).map(|c| c.review.status.as_str()).collect();
    assert_eq!(statuses, ["verified", "disputed", "unsourced"]);
    assert_eq!(shown[2].review.note, NOTE);
    assert!(shown.iter().skip(3).all(|c| !c.review.is_reviewed()), "nothing else was reviewed");

    // Wait for the repaint after saving, then take a screenshot and check it is not blank.
    std::thread::sleep(Duration::from_secs(1));
    let shot = dir.path().join("screenshot.png");
    let status = Command::new("import")
        .args(["-window", window.as_str()])
        .arg(&shot)
        .env("DISPLAY", &display)
        .status()
        .expect("import runs");
    assert!(status.success());
    let colours = Command::new("identify").args(["-format", "%k"]).arg(&shot).output().expect("identify runs");
    let colours: usize = String::from_utf8_lossy(&colours.stdout).trim().parse().unwrap_or(0);
    assert!(colours > 50, "the screenshot has only {colours} colours: the window did not render");
    if std::env::var_os("CLAIMDESK_UPDATE_SCREENSHOT").is_some() {
        let target = Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/screenshot.png");
        std::fs::create_dir_all(target.parent().unwrap()).unwrap();
        std::fs::copy(&shot, target).unwrap();
    }
}
