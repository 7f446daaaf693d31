//! File dialogs behind a trait, so tests and scripts answer them instead of a person.
//!
//! [`NativeDialogs`] uses rfd. On a machine without a desktop portal rfd returns `None` at once; a person takes far
//! longer to cancel, so an answer that quick marks the service as missing ([`FileDialogs::available`]) and the
//! window asks for a typed path instead. [`ScriptedDialogs`] answers from a queue: the egui_kittest tests use it.

use std::collections::VecDeque;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

/// What a dialog is for: it picks the title and the file filters.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Purpose {
    /// A document or a review file.
    Open,
    /// A review file to work on.
    OpenReviewFile,
    /// Another reviewer's review file, to compare with.
    OpenReview,
    SaveReview,
    /// A file of fact-checks to import into the library.
    ImportFeed,
    /// An export; the extension of the chosen format.
    Export(&'static str),
}

/// Asks where to read or write a file.
pub trait FileDialogs {
    fn open(&self, purpose: Purpose) -> Option<PathBuf>;
    /// Ask where to write, proposing `suggested` (a folder and a file name).
    fn save(&self, purpose: Purpose, suggested: &Path) -> Option<PathBuf>;
    /// Whether this desktop can show file dialogs at all. When it cannot, `None` from [`open`](Self::open) or
    /// [`save`](Self::save) means "not asked", not "cancelled", and the window asks for a typed path.
    fn available(&self) -> bool {
        true
    }
}

/// Where time comes from: the system's clock in the window, a clock the test moves in tests, so that no test
/// decides on how long something really took.
pub trait Clock: Send + Sync {
    fn now(&self) -> std::time::Instant;
}

/// The system's monotonic clock.
#[derive(Debug, Default, Clone, Copy)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> std::time::Instant {
        std::time::Instant::now()
    }
}

/// Native dialogs through rfd.
pub struct NativeDialogs {
    /// Set once a dialog came back empty sooner than a person could have cancelled it.
    missing: std::sync::atomic::AtomicBool,
    clock: Box<dyn Clock>,
}

impl Default for NativeDialogs {
    fn default() -> Self {
        Self::with_clock(Box::new(SystemClock))
    }
}

impl std::fmt::Debug for NativeDialogs {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("NativeDialogs").field("missing", &self.missing).finish_non_exhaustive()
    }
}

impl NativeDialogs {
    /// Faster than any person cancels a dialog: rfd answered without showing one.
    const NO_SERVICE: std::time::Duration = std::time::Duration::from_millis(150);

    /// Native dialogs timed by `clock`.
    pub fn with_clock(clock: Box<dyn Clock>) -> Self {
        Self { missing: Default::default(), clock }
    }

    fn ask(&self, show: impl FnOnce() -> Option<PathBuf>) -> Option<PathBuf> {
        use std::sync::atomic::Ordering;
        if self.missing.load(Ordering::Relaxed) {
            return None;
        }
        let start = self.clock.now();
        let answer = show();
        if answer.is_none() && self.clock.now().saturating_duration_since(start) < Self::NO_SERVICE {
            self.missing.store(true, Ordering::Relaxed);
        }
        answer
    }
}

impl FileDialogs for NativeDialogs {
    fn available(&self) -> bool {
        !self.missing.load(std::sync::atomic::Ordering::Relaxed)
    }

    fn open(&self, purpose: Purpose) -> Option<PathBuf> {
        self.ask(|| Self::pick(purpose))
    }

    fn save(&self, purpose: Purpose, suggested: &Path) -> Option<PathBuf> {
        self.ask(|| Self::save_as(purpose, suggested))
    }
}

impl NativeDialogs {
    fn pick(purpose: Purpose) -> Option<PathBuf> {
        let dialog = rfd::FileDialog::new();
        let dialog = match purpose {
            Purpose::OpenReview => dialog.set_title("Add a reviewer's file").add_filter("Review file", &["json"]),
            Purpose::OpenReviewFile => dialog.set_title("Open a review file").add_filter("Review file", &["json"]),
            _ => dialog
                .set_title("Open a document or a review")
                .add_filter("Documents and reviews", &["txt", "md", "markdown", "html", "htm", "json"]),
        };
        dialog.add_filter("All files", &["*"]).pick_file()
    }

    fn save_as(purpose: Purpose, suggested: &Path) -> Option<PathBuf> {
        let name = suggested.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        let mut dialog = rfd::FileDialog::new().set_file_name(name);
        if let Some(folder) = suggested.parent().filter(|f| f.is_dir()) {
            dialog = dialog.set_directory(folder);
        }
        let dialog = match purpose {
            Purpose::Export(ext) => dialog.set_title("Export").add_filter(ext, &[ext]),
            _ => dialog.set_title("Save the review").add_filter("Review file", &["json"]),
        };
        dialog.save_file()
    }
}

/// Dialogs answered from a queue (tests): each call takes the next answer; an empty queue means "cancelled".
#[derive(Debug, Clone, Default)]
pub struct ScriptedDialogs {
    answers: Arc<Mutex<VecDeque<PathBuf>>>,
    missing: bool,
}

impl ScriptedDialogs {
    pub fn new() -> Self {
        Self::default()
    }

    /// A desktop without a file dialog service: every dialog answers nothing and says it cannot ask.
    pub fn missing() -> Self {
        Self { missing: true, ..Self::default() }
    }

    /// Queue the answer to the next dialog.
    pub fn answer(&self, path: impl Into<PathBuf>) {
        if let Ok(mut q) = self.answers.lock() {
            q.push_back(path.into());
        }
    }

    fn next(&self) -> Option<PathBuf> {
        self.answers.lock().ok().and_then(|mut q| q.pop_front())
    }
}

impl FileDialogs for ScriptedDialogs {
    fn available(&self) -> bool {
        !self.missing
    }

    fn open(&self, _purpose: Purpose) -> Option<PathBuf> {
        self.next()
    }

    fn save(&self, _purpose: Purpose, _suggested: &Path) -> Option<PathBuf> {
        self.next()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A clock that moves only when the test says.
    #[derive(Clone)]
    struct TestClock(Arc<Mutex<std::time::Instant>>);

    impl TestClock {
        fn advance(&self, by: std::time::Duration) {
            if let Ok(mut t) = self.0.lock() {
                *t += by;
            }
        }
    }

    impl Clock for TestClock {
        fn now(&self) -> std::time::Instant {
            self.0.lock().map(|t| *t).unwrap_or_else(|e| *e.into_inner())
        }
    }

    #[test]
    fn an_instant_empty_answer_marks_the_service_missing_a_slow_one_does_not() {
        let clock = TestClock(Arc::new(Mutex::new(std::time::Instant::now())));
        let slow = NativeDialogs::with_clock(Box::new(clock.clone()));
        // A person who took their time (twice the limit, by the test's clock) and cancelled.
        let cancelled = slow.ask(|| {
            clock.advance(NativeDialogs::NO_SERVICE * 2);
            None
        });
        assert_eq!(cancelled, None);
        assert!(slow.available(), "a person who took their time and cancelled");
        assert_eq!(slow.ask(|| Some(PathBuf::from("a.json"))), Some(PathBuf::from("a.json")));

        let missing = NativeDialogs::with_clock(Box::new(clock.clone()));
        // Just under the limit is still faster than a person.
        assert_eq!(
            missing.ask(|| {
                clock.advance(NativeDialogs::NO_SERVICE - std::time::Duration::from_millis(1));
                None
            }),
            None
        );
        assert!(!missing.available(), "rfd answered before any dialog could show");
        assert_eq!(missing.ask(|| panic!("not asked again")), None);
    }
}
