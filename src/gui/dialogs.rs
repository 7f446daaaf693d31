//! File dialogs behind a trait, so tests and scripts answer them instead of a person.
//!
//! [`NativeDialogs`] uses rfd. On a machine without a desktop portal rfd returns `None` at once, which the app treats
//! as "cancelled", so nothing blocks. [`ScriptedDialogs`] answers from a queue: the egui_kittest tests use it.

use std::collections::VecDeque;
use std::path::PathBuf;
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
    /// An export; the extension of the chosen format.
    Export(&'static str),
}

/// Asks where to read or write a file.
pub trait FileDialogs {
    fn open(&self, purpose: Purpose) -> Option<PathBuf>;
    fn save(&self, purpose: Purpose, suggested_name: &str) -> Option<PathBuf>;
}

/// Native dialogs through rfd.
#[derive(Debug, Default)]
pub struct NativeDialogs;

impl FileDialogs for NativeDialogs {
    fn open(&self, purpose: Purpose) -> Option<PathBuf> {
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

    fn save(&self, purpose: Purpose, suggested_name: &str) -> Option<PathBuf> {
        let dialog = rfd::FileDialog::new().set_file_name(suggested_name);
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
}

impl ScriptedDialogs {
    pub fn new() -> Self {
        Self::default()
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
    fn open(&self, _purpose: Purpose) -> Option<PathBuf> {
        self.next()
    }

    fn save(&self, _purpose: Purpose, _suggested_name: &str) -> Option<PathBuf> {
        self.next()
    }
}
