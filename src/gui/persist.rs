//! What the window keeps between runs: preferences (reviewer name, theme, zoom, recent files, export choices) and
//! recovery files (unsaved work, autosaved every few seconds, offered back at the next start). The review itself is
//! never kept here: it goes to its own review file.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};

use super::app::App;
use super::session::Session;
use crate::review::{self, ReviewFile};

/// How often unsaved work is written to the recovery file.
pub const AUTOSAVE_EVERY: Duration = Duration::from_secs(5);

/// Preferences remembered between runs (never the review itself).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Prefs {
    pub reviewer: String,
    pub theme: ThemeChoice,
    pub recent: Vec<PathBuf>,
    pub zoom: f32,
    pub show_below_threshold: bool,
    /// The export format and scope last chosen for each review file, most recent first.
    pub exports: Vec<ExportChoice>,
    /// Add my verdicts to the library when I save ("every verdict remembered").
    pub remember_verdicts: bool,
    /// The library folder chosen in File > Library (else the default, in the data folder).
    pub library: Option<PathBuf>,
}

/// The export dialog's choices for one review file, proposed again the next time it is exported.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ExportChoice {
    /// The review file (or, before its first save, the path it is proposed at).
    pub review: PathBuf,
    /// The format's command-line name (`csv`).
    pub format: String,
    /// All claims, not only reviewed ones.
    pub all: bool,
}

impl Prefs {
    /// How many review files' export choices are remembered.
    const EXPORTS_KEPT: usize = 50;

    /// The export choices remembered for `review`, else the most recent ones for any file.
    pub fn export_choice(&self, review: &std::path::Path) -> Option<(crate::export::Format, bool)> {
        let choice = self.exports.iter().find(|c| c.review == review).or(self.exports.first())?;
        Some((crate::export::Format::parse(&choice.format)?, choice.all))
    }

    /// Remember `format` and `all` as `review`'s export choices.
    pub fn remember_export(&mut self, review: &std::path::Path, format: crate::export::Format, all: bool) {
        self.exports.retain(|c| c.review != review);
        let choice = ExportChoice { review: review.to_path_buf(), format: format.as_str().to_owned(), all };
        self.exports.insert(0, choice);
        self.exports.truncate(Self::EXPORTS_KEPT);
    }
}

impl Default for Prefs {
    fn default() -> Self {
        Self {
            reviewer: String::new(),
            theme: ThemeChoice::System,
            recent: Vec::new(),
            zoom: 1.0,
            show_below_threshold: false,
            exports: Vec::new(),
            remember_verdicts: true,
            library: None,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum ThemeChoice {
    System,
    Light,
    Dark,
}

/// A recovery file found at start: unsaved work of an earlier run.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Recovery {
    pub saved_at: String,
    pub review_path: Option<PathBuf>,
    pub file: ReviewFile,
    /// The review file at `review_path` as the session had read or written it.
    #[serde(default)]
    pub disk: Option<review::disk::Stamp>,
    /// The text the review was carried over from (see [`Session::carried_from`]).
    #[serde(default)]
    pub carried_from: Option<String>,
}

impl App {
    pub(super) fn find_recoveries(&self) -> Vec<(PathBuf, Recovery)> {
        let Ok(entries) = std::fs::read_dir(self.recovery_dir()) else { return Vec::new() };
        let mut found: Vec<(PathBuf, Recovery)> = entries
            .filter_map(|e| e.ok())
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|e| e == "json"))
            .filter_map(|p| {
                let bytes = std::fs::read(&p).ok()?;
                let r: Recovery = serde_json::from_slice(&bytes).ok()?;
                // A recovery file is a review file inside: it must pass the same validation.
                review::file::validate(&r.file).is_empty().then_some((p, r))
            })
            .collect();
        found.sort_by(|a, b| b.1.saved_at.cmp(&a.1.saved_at));
        found
    }

    /// Restore recovered work (the first offered recovery file, or the one at `index`).
    pub(super) fn restore_recovery(&mut self, index: usize) {
        if index >= self.recoveries.len() {
            return;
        }
        let (path, rec) = self.recoveries.remove(index);
        let mut session = Session::new(rec.file, rec.review_path, &self.recovery_dir());
        session.disk = rec.disk;
        session.carried_from = rec.carried_from;
        session.recovery = path;
        session.revision = 1; // unsaved until the reviewer saves it
        self.install(session);
        self.message = Some("Restored unsaved work".to_owned());
    }

    pub(super) fn discard_recovery(&mut self, index: usize) {
        if index < self.recoveries.len() {
            let (path, _) = self.recoveries.remove(index);
            let _ = std::fs::remove_file(path);
        }
    }

    /// At `now` (the window passes the frame's time; tests pass the time they mean), write unsaved work to the
    /// recovery file if [`AUTOSAVE_EVERY`] has passed since the last autosave and the work changed since.
    pub fn autosave(&mut self, now: Instant) {
        if now.saturating_duration_since(self.last_autosave) < AUTOSAVE_EVERY {
            return;
        }
        self.last_autosave = now;
        self.autosave_now();
    }

    /// When unsaved work was last autosaved (or the app started): the next autosave is due [`AUTOSAVE_EVERY`] after.
    pub fn last_autosave(&self) -> Instant {
        self.last_autosave
    }

    /// Write unsaved work to the recovery file now, if it changed since the last autosave (on exit, and when a
    /// session with unsaved work is replaced).
    pub fn autosave_now(&mut self) {
        let Some(s) = &mut self.session else { return };
        if !s.is_dirty() || s.autosaved_revision == s.revision {
            return;
        }
        let rec = Recovery {
            saved_at: review::now_rfc3339(),
            review_path: s.path.clone(),
            file: s.file.clone(),
            disk: s.disk.clone(),
            carried_from: s.carried_from.clone(),
        };
        let bytes = serde_json::to_vec(&rec).unwrap_or_default();
        if let Some(dir) = s.recovery.parent() {
            let _ = std::fs::create_dir_all(dir);
        }
        let options = crate::atomic::WriteOptions { keep_backup: false };
        match crate::atomic::write_atomic_with(&s.recovery, &bytes, options) {
            Ok(()) => s.autosaved_revision = s.revision,
            Err(e) => self.last_error = Some(format!("Autosave failed: {e}")),
        }
    }

    /// Save preferences when they changed.
    pub fn save_prefs(&mut self) {
        if !self.prefs_dirty {
            return;
        }
        self.prefs_dirty = false;
        let _ = std::fs::create_dir_all(&self.data_dir);
        if let Ok(bytes) = serde_json::to_vec_pretty(&self.prefs) {
            let options = crate::atomic::WriteOptions { keep_backup: false };
            let _ = crate::atomic::write_atomic_with(&self.data_dir.join("preferences.json"), &bytes, options);
        }
    }

    pub fn set_reviewer(&mut self, name: String) {
        if self.prefs.reviewer != name {
            self.prefs.reviewer = name;
            self.prefs_dirty = true;
        }
    }
}
