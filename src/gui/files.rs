//! Opening and saving: documents and review files in, the review out (never over another document's review, never
//! over a change made on disk since it was read without asking), background extraction of long documents, the
//! window's own path prompt where the desktop has no file dialog, and exports.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::mpsc::{Receiver, TryRecvError};

use super::app::App;
use super::commands::ConflictChoice;
use super::dialogs::Purpose;
use super::session::{Session, file_stem};
use crate::document::{self, Document};
use crate::review::edit::Edit;
use crate::review::update::Continued;
use crate::review::{self, ReviewFile};

/// The sample article, built in so "Open the sample" works from anywhere.
pub const SAMPLE_TEXT: &str = include_str!("../../seeds/israel-arab-security-ties.txt");

pub const SAMPLE_NAME: &str = "israel-arab-security-ties.txt";

/// Documents larger than this are extracted on a background thread, with progress.
pub const BACKGROUND_EXTRACTION_BYTES: usize = 256 * 1024;

/// A document being extracted on a background thread.
pub struct Extraction {
    pub name: String,
    pub total: usize,
    pub done: Arc<AtomicUsize>,
    /// Set when the thread has ended, whether it sent its review or failed: the window then applies
    /// [`super::commands::Command::FinishExtraction`].
    ended: Arc<AtomicBool>,
    rx: Receiver<ReviewFile>,
    review_path: Option<PathBuf>,
}

impl Extraction {
    pub fn fraction(&self) -> f32 {
        if self.total == 0 { 1.0 } else { self.done.load(Ordering::Relaxed) as f32 / self.total as f32 }
    }

    /// Whether the extraction thread has ended (its review, or its failure, is waiting to be picked up).
    pub fn ended(&self) -> bool {
        self.ended.load(Ordering::Acquire)
    }
}

/// Marks an extraction ended when its thread finishes, even by a panic.
struct EndGuard(Arc<AtomicBool>);

impl Drop for EndGuard {
    fn drop(&mut self) {
        self.0.store(true, Ordering::Release);
    }
}

/// What to do once the reviewer has answered "save your changes?".
#[derive(Debug, Clone, PartialEq)]
pub enum Pending {
    /// Open this file, or ask which (for this purpose).
    Open(Option<PathBuf>, Purpose),
    OpenSample,
    Close,
    Quit,
}

impl Pending {
    /// What it is, as the window says it ("closing the document").
    pub fn doing(&self) -> &'static str {
        match self {
            Pending::Open(..) | Pending::OpenSample => "opening another file",
            Pending::Close => "closing the document",
            Pending::Quit => "quitting",
        }
    }
}

/// The window's own "which file?" question, asked where the desktop has no file dialog service.
#[derive(Debug, Clone, PartialEq)]
pub struct PathPrompt {
    pub purpose: Purpose,
    /// The path as typed so far (a save starts with the suggested file name).
    pub text: String,
    /// Put the keyboard in the path field on the next frame (once, when the prompt opens).
    pub focus: bool,
    /// What the reviewer was doing when "Save your changes?" asked for this path: carried out once the review is
    /// saved where typed, as it would be after a file dialog's answer.
    pub then: Option<Pending>,
}

/// "The review file changed on disk": the save that found it, held until the reviewer chooses.
#[derive(Debug, Clone, PartialEq)]
pub struct Conflict {
    pub path: PathBuf,
    /// The title of the document their review is about (this document, or the text it was carried over from).
    pub theirs: String,
    /// How many claims their review has reviewed.
    pub reviewed: usize,
    /// What "Save your changes?" held back, carried out once this is settled.
    pub then: Option<Pending>,
}

/// The export dialog's state.
#[derive(Debug, Clone, PartialEq)]
pub struct ExportDialog {
    pub format: crate::export::Format,
    pub all: bool,
    /// The fact-check's URL (ClaimReview's required `url`): asked once, then kept in the review file.
    pub fact_check_url: String,
    pub organisation: String,
    pub article_url: String,
    /// Why the last attempt failed, shown in the dialog.
    pub error: Option<String>,
}

impl App {
    /// Resolve the "save changes?" question: `save` first when asked, then carry out what was pending.
    pub(super) fn resolve_confirm(&mut self, save_first: bool) {
        let Some(pending) = self.confirm.take() else { return };
        if save_first && !self.save(false) {
            if let Some(prompt) = &mut self.path_prompt {
                // No file dialog here: the window asks where, and carries on once the review is saved there.
                prompt.then = Some(pending);
            } else if let Some(conflict) = &mut self.conflict {
                // The file changed on disk: carried on once the reviewer has chosen what to keep.
                conflict.then = Some(pending);
            }
            return; // Saving failed or was cancelled: keep the work, do nothing else.
        }
        self.carry_out(pending);
    }

    /// Do what "Save your changes?" held back, once the work is saved or discarded.
    pub(super) fn carry_out(&mut self, pending: Pending) {
        let replaces = matches!(pending, Pending::Open(..) | Pending::OpenSample);
        if let Some(s) = &mut self.session {
            if replaces {
                // Given up only once the other file has opened (see `install`): opening can still fail.
                s.discarded_at = Some(s.revision);
            } else {
                // Closing and quitting cannot fail: the work was saved or discarded on purpose, and its recovery
                // copy is no longer needed.
                let _ = std::fs::remove_file(&s.recovery);
                s.saved_revision = s.revision;
            }
        }
        match pending {
            Pending::Open(Some(p), _) => self.open_path(&p),
            Pending::Open(None, purpose) => {
                if let Some(p) = self.ask_open(purpose) {
                    self.open_path(&p);
                }
            }
            Pending::OpenSample => self.open_sample(),
            Pending::Close => self.close_session(),
            Pending::Quit => {
                self.allow_close = true;
                self.quit_requested = true;
            }
        }
    }

    /// Open a document (extracting its claims) or a review file. On failure the work in hand stays as it was.
    pub fn open_path(&mut self, path: &Path) {
        let is_review = path.extension().is_some_and(|e| e.eq_ignore_ascii_case("json"));
        if is_review {
            match self.load_review(path) {
                Ok(session) => {
                    self.install(session);
                    self.remember(path);
                }
                Err(e) => self.fail_open(e.to_string()),
            }
            return;
        }
        match document::load(path) {
            Ok(doc) => {
                self.remember(path);
                // A document opened here gets its own review file, proposed beside it on its first save.
                self.start_extraction(doc, None);
            }
            Err(e) => self.fail_open(e.to_string()),
        }
    }

    /// A session on the review file at `path`, which is where it saves. The file's stamp is taken before it is
    /// read, so a change made while it was being read is seen at the next save.
    pub(super) fn load_review(&self, path: &Path) -> Result<Session, review::ReviewError> {
        let stamp = review::disk::Stamp::of(path);
        let file = review::file::load(path)?;
        let mut session = Session::new(file, Some(path.to_path_buf()), &self.recovery_dir());
        session.on_disk = true;
        session.disk = stamp;
        Ok(session)
    }

    /// `claimdesk DOC --review OUT.json`: open `path` with saves bound to `review_out`. When `review_out` already
    /// holds a review of the document, that review is continued; of an earlier version of it, the review is carried
    /// over to the new text ([`review::update::update_document`]: claims re-anchored with their reviews, those that
    /// cannot be placed kept as detached, new sentences added). A fresh extraction never replaces a review on disk.
    /// The path is bound for this document (or review) only: a document opened later gets its own review file.
    pub fn open_bound(&mut self, path: &Path, review_out: &Path) {
        let is_review = path.extension().is_some_and(|e| e.eq_ignore_ascii_case("json"));
        if is_review {
            // A review file given with --review: it is saved to the bound path (its own file is left as it was).
            self.open_path(path);
            if let Some(s) = &mut self.session {
                s.path = Some(review_out.to_path_buf());
                s.disk = None;
                s.on_disk = false;
            }
            return;
        }
        if !review_out.exists() {
            match document::load(path) {
                Ok(doc) => {
                    self.remember(path);
                    self.start_extraction(doc, Some(review_out.to_path_buf()));
                }
                Err(e) => self.fail_open(e.to_string()),
            }
            return;
        }
        let stamp = review::disk::Stamp::of(review_out);
        let existing = match review::file::load(review_out) {
            Ok(file) => file,
            Err(e) => return self.fail_open(format!("{e} (given with --review: it is left as it is)")),
        };
        let doc = match document::load(path) {
            Ok(doc) => doc,
            Err(e) => return self.fail_open(e.to_string()),
        };
        self.remember(path);
        let name = review_out.file_name().map_or_else(String::new, |n| n.to_string_lossy().into_owned());
        let previous_fingerprint = existing.document.fingerprint.clone();
        let up = match review::update::continue_or_carry_over(existing, &doc, &self.extractor) {
            Continued::Same(existing) => {
                let mut session = Session::new(existing, Some(review_out.to_path_buf()), &self.recovery_dir());
                session.on_disk = true;
                session.disk = stamp;
                self.install(session);
                self.message = Some(format!("Continuing the review in {name}"));
                return;
            }
            Continued::CarriedOver(up) => up,
        };
        let carried_from = Some(previous_fingerprint);
        let mut session = Session::new(up.file, Some(review_out.to_path_buf()), &self.recovery_dir());
        session.disk = stamp;
        session.carried_from = carried_from;
        session.touch(); // Not saved yet: the file on disk still holds the review of the old text.
        self.install(session);
        self.message = Some(format!(
            "The document changed since {name} was saved: its review was carried over ({} claims moved, {} new, {} \
             could not be placed and are kept as detached)",
            up.moved,
            up.added,
            up.detached.len()
        ));
    }

    pub fn open_sample(&mut self) {
        // The same title as when the file is opened from disk (its name), so both give the same review.
        let mut doc = Document::from_text(SAMPLE_NAME.trim_end_matches(".txt"), SAMPLE_TEXT);
        doc.path = Some(PathBuf::from(format!("seeds/{SAMPLE_NAME}")));
        self.start_extraction(doc, None);
    }

    /// Extract `doc`'s claims: at once for short documents, on a thread with progress for long ones. `review_path`
    /// is where its review saves when one was bound to it (`--review`); else its first save asks.
    pub fn start_extraction(&mut self, doc: Document, review_path: Option<PathBuf>) {
        let extractor = self.extractor.clone();
        if doc.text.len() < BACKGROUND_EXTRACTION_BYTES {
            let file = ReviewFile::extract(&doc, &extractor);
            self.install(Session::new(file, review_path, &self.recovery_dir()));
            return;
        }
        let (tx, rx) = std::sync::mpsc::channel();
        let done = Arc::new(AtomicUsize::new(0));
        let progress = Arc::clone(&done);
        let name = doc.title.clone();
        let total = doc.text.len();
        let ended = Arc::new(AtomicBool::new(false));
        let guard = EndGuard(Arc::clone(&ended));
        std::thread::spawn(move || {
            let _guard = guard;
            let file = ReviewFile::extract_with_progress(&doc, &extractor, &mut |n| {
                progress.store(n, Ordering::Relaxed);
                true
            });
            let _ = tx.send(file);
        });
        self.extraction = Some(Extraction { name, total, done, ended, rx, review_path });
    }

    /// Pick up a finished background extraction ([`Extraction::ended`]): its review becomes the open one. Returns
    /// whether one is still running.
    pub(super) fn finish_extraction(&mut self) -> bool {
        let Some(job) = &self.extraction else { return false };
        match job.rx.try_recv() {
            Ok(file) => {
                let path = job.review_path.clone();
                self.extraction = None;
                self.install(Session::new(file, path, &self.recovery_dir()));
                false
            }
            Err(TryRecvError::Empty) => true,
            Err(TryRecvError::Disconnected) => {
                self.extraction = None;
                self.fail_open("Extraction stopped unexpectedly");
                false
            }
        }
    }

    pub(super) fn install(&mut self, session: Session) {
        if let Some(old) = &self.session {
            if !old.is_dirty() || old.discarded_at == Some(old.revision) {
                let _ = std::fs::remove_file(&old.recovery);
            } else {
                // Unsaved work that was not given up (edited after "discard", while a long document was being
                // extracted): its recovery copy is brought up to date and kept, to be offered at the next start.
                self.autosave_now();
            }
        }
        // Dialogs belong to the review they were opened on.
        self.export = None;
        self.compare = None;
        self.session = Some(session);
        self.last_error = None;
        self.open_error = None;
        self.message = None;
        self.match_claims(false);
    }

    /// Ask claim memory for the open review's claims: those not matched yet, or all of them when `again` (the library
    /// changed). The answers come back on the memory's thread.
    pub(super) fn match_claims(&mut self, again: bool) {
        let Some(s) = &self.session else { return };
        if again {
            self.memory.matches.clear();
        }
        self.memory.match_file(&s.file);
    }

    pub(super) fn close_session(&mut self) {
        self.export = None;
        self.compare = None;
        if let Some(s) = self.session.take() {
            let _ = std::fs::remove_file(&s.recovery);
        }
    }

    pub(super) fn remember(&mut self, path: &Path) {
        let p = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
        self.prefs.recent.retain(|r| r != &p);
        self.prefs.recent.insert(0, p);
        self.prefs.recent.truncate(10);
        self.prefs_dirty = true;
    }

    /// Ask which file to read for `purpose`. Where the desktop has no file dialog, the window's path prompt asks
    /// instead, and [`Command::AnswerPathPrompt`] carries on with the answer.
    pub(super) fn ask_open(&mut self, purpose: Purpose) -> Option<PathBuf> {
        let answer = self.dialogs.open(purpose);
        if answer.is_none() && !self.dialogs.available() {
            self.path_prompt = Some(PathPrompt { purpose, text: String::new(), focus: true, then: None });
        }
        answer
    }

    /// Ask where to write for `purpose`, as [`ask_open`](Self::ask_open) does.
    pub(super) fn ask_save(&mut self, purpose: Purpose, suggested: &Path) -> Option<PathBuf> {
        let answer = self.dialogs.save(purpose, suggested);
        if answer.is_none() && !self.dialogs.available() {
            let text = suggested.display().to_string();
            self.path_prompt = Some(PathPrompt { purpose, text, focus: true, then: None });
        }
        answer
    }

    /// Carry on with the path typed into the path prompt, as a file dialog's answer would have.
    pub(super) fn answer_path_prompt(&mut self) {
        let Some(prompt) = self.path_prompt.take() else { return };
        let typed = prompt.text.trim();
        if typed.is_empty() {
            self.path_prompt = Some(prompt);
            return;
        }
        let path = PathBuf::from(typed);
        match prompt.purpose {
            Purpose::Open | Purpose::OpenReviewFile => self.open_path(&path),
            Purpose::OpenReview => self.add_reviewer_file(&path),
            Purpose::ImportFeed => self.import_into_library(Some(vec![path])),
            Purpose::SaveReview => {
                if self.save_to(path, true) {
                    if let Some(pending) = prompt.then {
                        self.carry_out(pending);
                    }
                } else if let Some(conflict) = &mut self.conflict {
                    conflict.then = prompt.then;
                }
            }
            Purpose::Export(_) => {
                self.export_to(path);
            }
        }
    }

    /// Save the review (asking where when no path is known, or when `ask`). Returns whether it was saved.
    pub fn save(&mut self, ask: bool) -> bool {
        let Some(s) = &self.session else { return false };
        // Save as proposes beside the review's own file; a first save, beside the document.
        let suggested = s.path.clone().unwrap_or_else(|| s.proposed.clone());
        let (path, explicit) = match (s.path.clone(), ask) {
            (Some(p), false) => (Some(p), false),
            _ => (self.ask_save(Purpose::SaveReview, &suggested), true),
        };
        let Some(path) = path else {
            if self.path_prompt.is_some() {
                // No file dialog here: the window asks for the path, and saves when it is given.
                return false;
            }
            // Cancelled, or no file dialog on this desktop: the work stays in hand (and in its recovery copy).
            self.message = Some(
                "Not saved: no file was chosen. Without a file dialog, start with `claimdesk FILE --review OUT.json` \
                 to save without asking."
                    .to_owned(),
            );
            return false;
        };
        self.save_to(path, explicit)
    }

    /// Save the review to `path`, which becomes where Ctrl+S saves. Returns whether it was saved. `explicit`: the
    /// reviewer chose `path` just now (Save as, or a first save), rather than it being the review's own file.
    ///
    /// A save never replaces work it does not know about: a file holding a review of another document is refused,
    /// naming both documents; a review file that changed since this session read or wrote it (another reviewer,
    /// `claimdesk update`, a synced folder) is left alone until the reviewer chooses ([`Conflict`]); and a file at the
    /// review's own path that is no review at all is not saved over.
    pub fn save_to(&mut self, path: PathBuf, explicit: bool) -> bool {
        use review::disk::Target;
        let Some(s) = &self.session else { return false };
        // Saving again to the file this session wrote or read needs no check (this is the common case).
        let own = s.path.as_deref() == Some(path.as_path());
        let stamp = if own { s.disk.as_ref() } else { None };
        match review::disk::check_target(&path, stamp, &s.file.document.fingerprint, s.carried_from.as_deref()) {
            Target::Free | Target::Ours => {}
            Target::Changed(theirs) => {
                self.conflict = Some(Conflict { path, theirs: theirs.title, reviewed: theirs.reviewed, then: None });
                return false;
            }
            Target::OtherDocument(theirs) => {
                self.fail(format!(
                    "Not saved: {} holds the review of \"{}\", another document than this one (\"{}\"); choose \
                     another file with Save as (Ctrl+Shift+S)",
                    path.display(),
                    theirs.title,
                    s.file.document.title
                ));
                return false;
            }
            Target::NotAReview(why) if !explicit => {
                self.fail(format!("Not saved over it: {why}; choose another file with Save as (Ctrl+Shift+S)"));
                return false;
            }
            // Chosen on purpose, in a dialog that asked before replacing it: the old file is kept as NAME.bak.
            Target::NotAReview(_) => {}
        }
        self.write_review(path)
    }

    /// Write the review to `path` (its previous content kept as `NAME.bak`), which becomes where Ctrl+S saves.
    pub(super) fn write_review(&mut self, path: PathBuf) -> bool {
        let Some(s) = &mut self.session else { return false };
        match review::file::save(&s.file, &path) {
            Ok(()) => {
                s.saved_revision = s.revision;
                s.autosaved_revision = s.revision;
                s.disk = review::disk::Stamp::of(&path);
                s.carried_from = None;
                s.path = Some(path.clone());
                s.on_disk = true;
                let _ = std::fs::remove_file(&s.recovery);
                // The status bar says where ("Saved to NAME"); the message would only repeat it.
                self.message = None;
                self.last_error = None;
                // Every verdict remembered: this reviewer's verdicts go to the library (unless turned off).
                if self.prefs.remember_verdicts && !self.remember_off {
                    let reviewer = self.prefs.reviewer.trim().to_owned();
                    if let Some(s) = &self.session {
                        self.memory.remember(&s.file, &reviewer);
                    }
                }
                self.remember(&path);
                true
            }
            Err(e) => {
                self.fail(e.to_string());
                false
            }
        }
    }

    /// Settle "the review file changed on disk" as the reviewer chose.
    pub(super) fn resolve_conflict(&mut self, choice: ConflictChoice) {
        let Some(conflict) = self.conflict.take() else { return };
        let done = match choice {
            ConflictChoice::Overwrite => self.write_review(conflict.path.clone()),
            ConflictChoice::ReloadTheirs => match self.load_review(&conflict.path) {
                Ok(session) => {
                    if let Some(old) = &mut self.session {
                        // Given up on purpose: their file is the review now.
                        old.discarded_at = Some(old.revision);
                    }
                    self.install(session);
                    self.message = Some(format!("Reloaded {} as saved on disk", conflict.path.display()));
                    true
                }
                Err(e) => {
                    self.fail_open(e.to_string());
                    false
                }
            },
            ConflictChoice::SaveMineAsNew => {
                let stem = conflict.path.file_stem().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
                let stem = stem.trim_end_matches(".review").to_owned();
                let who = self.prefs.reviewer.trim().replace(['/', '\\'], "-");
                let mine = if who.is_empty() { "mine".to_owned() } else { who };
                let suggested = conflict.path.with_file_name(format!("{stem}.{mine}.review.json"));
                match self.ask_save(Purpose::SaveReview, &suggested) {
                    Some(path) => self.save_to(path, true),
                    None => {
                        if let Some(prompt) = &mut self.path_prompt {
                            prompt.then = conflict.then.clone();
                        }
                        false
                    }
                }
            }
        };
        if done && let Some(pending) = conflict.then {
            self.carry_out(pending);
        }
    }

    /// Export with the export dialog's settings. Returns whether it was written. A problem is shown in the dialog,
    /// which stays open.
    pub fn run_export(&mut self) -> bool {
        let Some(dialog) = self.export.clone() else { return false };
        let Some(s) = &mut self.session else { return false };
        // The fact-check URL, organisation and article URL are asked once and kept in the review file (an undoable
        // edit), so the next export, here or on the command line, has them.
        let before = s.file.publication.clone();
        let mut after = before.clone();
        let nonempty = |v: &str| (!v.trim().is_empty()).then(|| v.trim().to_owned());
        after.fact_check_url = nonempty(&dialog.fact_check_url);
        after.organisation = nonempty(&dialog.organisation);
        after.article_url = nonempty(&dialog.article_url);
        if after != before {
            s.history.seal();
            if let Err(e) = s.edit(Edit::SetPublication { before, after }, None) {
                self.fail(e);
                return false;
            }
        }
        let review = s.path.clone().unwrap_or_else(|| s.proposed.clone());
        self.prefs.remember_export(&review, dialog.format, dialog.all);
        self.prefs_dirty = true;
        let Some(s) = &mut self.session else { return false };
        let options = crate::export::Options { all: dialog.all, ..Default::default() };
        let file = s.file.clone();
        // Check before asking where: a missing required field is reported in the dialog, naming the claim.
        if let Err(e) = crate::export::write(&file, dialog.format, &options) {
            if let Some(d) = &mut self.export {
                d.error = Some(e.to_string());
            }
            return false;
        }
        let folder = s.path.as_ref().unwrap_or(&s.proposed).parent().map(Path::to_path_buf).unwrap_or_default();
        let suggested = folder.join(format!("{}.{}", file_stem(&file), dialog.format.extension()));
        let Some(out) = self.ask_save(Purpose::Export(dialog.format.extension()), &suggested) else { return false };
        self.export_to(out)
    }

    /// Export with the export dialog's settings to `out`. Returns whether it was written.
    pub fn export_to(&mut self, out: PathBuf) -> bool {
        let (Some(dialog), Some(s)) = (&self.export, &self.session) else { return false };
        let (format, options) = (dialog.format, crate::export::Options { all: dialog.all, ..Default::default() });
        match crate::export::save(&s.file, format, &options, &out) {
            Ok(exported) => {
                let warnings: Vec<String> = exported.warnings.iter().map(|w| w.to_string()).collect();
                self.message = Some(format!("Exported {} claims to {}", exported.claims, out.display()));
                self.last_error = (!warnings.is_empty()).then(|| format!("Export warnings: {}", warnings.join("; ")));
                self.export = None;
                true
            }
            Err(e) => {
                if let Some(d) = &mut self.export {
                    d.error = Some(e.in_file(&out).to_string());
                }
                false
            }
        }
    }
}
