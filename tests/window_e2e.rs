//! End to end in a real window under Xvfb: start `claimdesk <sample> --review <tmp>.json`, press 1, 2, 3, type a note
//! and press Ctrl+S with xdotool; then open a second document with Ctrl+O whose first claim repeats the sample's
//! first in other words, reuse the verdict the sample's save put in the claim library with `u`, and save it; check
//! that the first review is unchanged on disk, the second saved beside its document with the reused verdict and the
//! library entry it was based on, and screenshots rendered.
//!
//! Every wait is for a condition (the window's title, a file on disk) with a deadline, never a fixed pause.
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
        // SIGTERM first, so Xvfb removes its lock file (a SIGKILL leaves it for the next run to trip on).
        if let Ok(pid) = i32::try_from(self.0.id()) {
            // SAFETY: kill(2) on a child process this test started and has not reaped.
            unsafe { libc::kill(pid, libc::SIGTERM) };
        }
        let deadline = Instant::now() + Duration::from_secs(3);
        while Instant::now() < deadline {
            if let Ok(Some(_)) = self.0.try_wait() {
                return;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

struct Display {
    name: String,
}

impl Display {
    fn xdotool(&self, args: &[&str]) -> String {
        let out = Command::new("xdotool").args(args).env("DISPLAY", &self.name).output().expect("xdotool runs");
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    fn keys(&self, window: &str, keys: &[&str]) {
        for key in keys {
            let _ = window; // XTEST keys go to the focused window (winit ignores events sent to a window directly)
            self.xdotool(&["key", "--delay", "60", key]);
        }
    }

    fn title(&self, window: &str) -> String {
        self.xdotool(&["getwindowname", window]).trim().to_owned()
    }

    /// A screenshot of `window` to `shot`, checked not blank; copied to `docs/NAME` (README's) with
    /// `CLAIMDESK_UPDATE_SCREENSHOT`.
    fn screenshot(&self, window: &str, shot: &Path, name: &str) {
        let status = Command::new("import")
            .args(["-window", window])
            .arg(shot)
            .env("DISPLAY", &self.name)
            .status()
            .expect("import runs");
        assert!(status.success());
        let colours = Command::new("identify").args(["-format", "%k"]).arg(shot).output().expect("identify runs");
        let colours: usize = String::from_utf8_lossy(&colours.stdout).trim().parse().unwrap_or(0);
        assert!(colours > 50, "{name} has only {colours} colours: the window did not render");
        if std::env::var_os("CLAIMDESK_UPDATE_SCREENSHOT").is_some() {
            let target = Path::new(env!("CARGO_MANIFEST_DIR")).join("docs").join(name);
            std::fs::create_dir_all(target.parent().unwrap()).unwrap();
            std::fs::copy(shot, target).unwrap();
        }
    }
}

/// Wait until `ok` holds, polling; fail naming `what` after `timeout`.
fn wait_for(what: &str, timeout: Duration, mut ok: impl FnMut() -> bool) {
    let start = Instant::now();
    while !ok() {
        assert!(start.elapsed() < timeout, "timed out waiting for {what}");
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// Try `act` until `ok` holds (each try given `each` to show its effect), at most `tries` times: keys sent before a
/// dialog has the keyboard are lost, so the attempt is repeated rather than timed.
fn until(what: &str, tries: usize, each: Duration, mut act: impl FnMut(), mut ok: impl FnMut() -> bool) {
    for _ in 0..tries {
        act();
        let start = Instant::now();
        while start.elapsed() < each {
            if ok() {
                return;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }
    panic!("{what} did not happen after {tries} tries");
}

/// The note typed in the window.
const NOTE: &str = "The official is not named; no second source yet.";

#[test]
fn keys_in_a_real_window_reach_the_saved_review_and_a_second_document_never_touches_it() {
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
    // Xvfb picks a free display itself and says which (-displayfd), so runs never collide.
    let mut xvfb = Command::new("Xvfb")
        .args(["-displayfd", "1", "-screen", "0", "1400x900x24", "-nolisten", "tcp"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("Xvfb starts");
    let mut number = String::new();
    {
        use std::io::BufRead;
        let stdout = xvfb.stdout.take().expect("Xvfb's output");
        std::io::BufReader::new(stdout).read_line(&mut number).expect("Xvfb says its display");
    }
    let _xvfb = Killed(xvfb);
    let display = Display { name: format!(":{}", number.trim()) };
    wait_for("Xvfb", Duration::from_secs(10), || {
        Command::new("xdotool")
            .arg("getmouselocation")
            .env("DISPLAY", &display.name)
            .output()
            .is_ok_and(|o| o.status.success())
    });

    let sample = Path::new(env!("CARGO_MANIFEST_DIR")).join("seeds/israel-arab-security-ties.txt");
    let review = dir.path().join("review.json");
    let other = dir.path().join("other.txt");
    // Its first claim is the sample's first, reworded; its second is about something else.
    std::fs::write(
        &other,
        "US President Joe Biden will press for closer and more open security ties between Israel and Arab states \
         during his visit, the Wall Street Journal reported.\n\nImports fell by $3 billion in 2022.\n",
    )
    .unwrap();
    let log = std::fs::File::create(dir.path().join("app.log")).unwrap();
    let _app = Killed(
        Command::new(env!("CARGO_BIN_EXE_claimdesk"))
            .arg(&sample)
            .arg("--review")
            .arg(&review)
            .env("DISPLAY", &display.name)
            .env("LIBGL_ALWAYS_SOFTWARE", "1")
            .env("CLAIMDESK_DATA_DIR", dir.path().join("data"))
            .env_remove("WAYLAND_DISPLAY")
            .stdout(log.try_clone().unwrap())
            .stderr(log)
            .spawn()
            .expect("claimdesk starts"),
    );
    let mut window = String::new();
    let start = Instant::now();
    while window.is_empty() {
        window = display.xdotool(&["search", "--name", "ClaimDesk"]).lines().next().unwrap_or("").to_owned();
        let log = std::fs::read_to_string(dir.path().join("app.log")).unwrap_or_default();
        assert!(start.elapsed() < Duration::from_secs(60), "no ClaimDesk window after 60 s; its output:\n{log}");
        std::thread::sleep(Duration::from_millis(50));
    }
    // Drawn, with the review's file in the title.
    wait_for("the title to name review.json", Duration::from_secs(30), || {
        display.title(&window) == "review.json — ClaimDesk"
    });
    display.xdotool(&["windowfocus", "--sync", &window]);
    display.xdotool(&["mousemove", "700", "450"]);
    // The first key is pressed until it shows (a window just mapped may not take keys yet), then the others.
    until(
        "the first key to land",
        5,
        Duration::from_secs(3),
        || {
            display.xdotool(&["windowfocus", "--sync", &window]);
            display.keys(&window, &["1"]);
        },
        || display.title(&window).starts_with("● "),
    );
    display.keys(&window, &["2", "3"]);
    // Back to the third claim, a note typed into it (n focuses the note, Esc leaves it), then save.
    display.keys(&window, &["k", "n"]);
    display.xdotool(&["type", "--delay", "30", NOTE]);
    display.keys(&window, &["Escape", "ctrl+s"]);
    wait_for("the saved review", Duration::from_secs(20), || review.exists());
    wait_for("the title to show it saved", Duration::from_secs(10), || !display.title(&window).starts_with("● "));

    let file = claimdesk::review::file::load(&review).expect("the saved review is valid");
    let mut shown: Vec<_> = file.claims_at_threshold().collect();
    shown.sort_by_key(|c| c.span.start);
    let statuses: Vec<&str> = shown.iter().take(3).map(|c| c.review.status.as_str()).collect();
    assert_eq!(statuses, ["verified", "disputed", "unsourced"]);
    assert_eq!(shown[2].review.note, NOTE);
    assert!(shown.iter().skip(3).all(|c| !c.review.is_reviewed()), "nothing else was reviewed");
    let first = std::fs::read(&review).unwrap();

    // A screenshot of the reviewed sample (README's), not blank.
    display.screenshot(&window, &dir.path().join("screenshot.png"), "screenshot.png");
    // A second document: Ctrl+O asks for its path (no file dialog service here), it opens under its own name.
    let other_path = other.display().to_string();
    until(
        "opening the second document",
        5,
        Duration::from_secs(3),
        || {
            display.keys(&window, &["Escape", "ctrl+o"]);
            display.xdotool(&["type", "--delay", "20", &other_path]);
            display.keys(&window, &["Return"]);
        },
        || display.title(&window) == "other.review.json — ClaimDesk",
    );
    // Claim memory matches it in the background (the sample's verdicts went into the library when it was saved): u
    // reuses the earlier verdict once the match is in, and does nothing before.
    until(
        "reusing the earlier verdict with u",
        20,
        Duration::from_secs(3),
        || display.keys(&window, &["u"]),
        || display.title(&window).starts_with("● other.review.json"),
    );
    // Back to that claim, for README's screenshot of its "Checked before".
    display.keys(&window, &["k"]);
    display.screenshot(&window, &dir.path().join("memory.png"), "screenshot-memory.png");
    // Its first save asks where, proposing other.review.json beside it: Return takes the proposal.
    let own = dir.path().join("other.review.json");
    until(
        "saving the second review",
        5,
        Duration::from_secs(3),
        || display.keys(&window, &["ctrl+s", "Return"]),
        || own.exists(),
    );
    let second = claimdesk::review::file::load(&own).expect("the second review is valid");
    assert_eq!(second.document.text, std::fs::read_to_string(&other).unwrap());
    assert_eq!(second.reviewed(), 1);
    let reused = &second.claims_at_threshold().next().expect("a claim").review;
    assert_eq!(reused.status, claimdesk::review::Status::Verified, "the sample's first verdict");
    let based_on = reused.based_on.as_deref().expect("the library entry it was based on");
    assert_eq!(based_on.claim.as_deref(), Some(shown[0].text.as_str()), "{based_on:?}");
    assert_eq!(based_on.verdict.as_deref(), Some("verified"));
    assert_eq!(std::fs::read(&review).unwrap(), first, "the first review is unchanged on disk");
    assert!(!dir.path().join("review.json.bak").exists(), "and never saved over");
}
