//! The window's state and the one place commands are applied.
//!
//! [`App`] holds the open [`Session`], preferences, background extraction, the dialogs in flight and the keyboard
//! state. Drawing lives in [`super::view`] and only pushes [`Command`]s; [`App::apply`] carries them out after the
//! frame. What each command does lives beside its concern: [`super::files`] (open, save, export),
//! [`super::persist`] (preferences, recovery), [`super::compare`] (comparing reviewers), the review edits here.

use std::path::PathBuf;
use std::time::Instant;

use super::commands::Command;
pub use super::commands::ConflictChoice;
pub use super::compare::{CompareDialog, Draft};
use super::dialogs::{FileDialogs, Purpose};
pub use super::files::{Conflict, ExportDialog, Extraction, PathPrompt, Pending, SAMPLE_NAME, SAMPLE_TEXT};
pub use super::memory::LibraryDialog;
use super::memory::{self, Memory};
pub use super::persist::{AUTOSAVE_EVERY, Prefs, Recovery, ThemeChoice};
pub use super::session::{Filter, Session, ShownCounts, SortBy, paragraphs};
use crate::extract::Extractor;
use crate::review::edit::{Coalesce, Edit};
use crate::review::surgery::{self, Surgery, SurgeryError};
use crate::review::{self, ClaimId, Review, Status};

/// The whole app.
pub struct App {
    pub session: Option<Session>,
    /// Claim memory: the library and the matcher, on their own thread.
    pub memory: Memory,
    /// The library given on the command line (`--library`): it wins over the one chosen in File > Library.
    pub library_given: Option<PathBuf>,
    /// `--no-remember`: this run adds no verdicts to the library, whatever the preference says.
    pub remember_off: bool,
    /// File > Library.
    pub library_dialog: Option<LibraryDialog>,
    /// "Which status?" for a reused rating that says neither true nor false: the claim and the match.
    pub reuse_ask: Option<(ClaimId, usize)>,
    pub prefs: Prefs,
    pub dialogs: Box<dyn FileDialogs>,
    pub data_dir: PathBuf,
    pub extractor: Extractor,
    pub commands: Vec<Command>,
    pub last_error: Option<String>,
    /// Why the last file could not be opened: shown above the document or the start screen until dismissed or
    /// another file opens.
    pub open_error: Option<String>,
    /// How many reviewer actions have been applied; a message or error fades after a few more (see
    /// [`App::apply`]).
    actions: u64,
    /// The message and error last seen, and the action count when they appeared.
    notice_seen: (Option<String>, Option<String>, u64),
    pub message: Option<String>,
    pub extraction: Option<Extraction>,
    pub confirm: Option<Pending>,
    /// The review file changed on disk since it was read or saved: asked before saving over it.
    pub conflict: Option<Conflict>,
    pub recoveries: Vec<(PathBuf, Recovery)>,
    pub export: Option<ExportDialog>,
    /// Where the desktop has no file dialog: the path the window asks for instead, and what it is for.
    pub path_prompt: Option<PathPrompt>,
    pub compare: Option<CompareDialog>,
    pub help_open: bool,
    /// Focus the note field on the next frame.
    pub focus_note: bool,
    /// Focus the search field on the next frame.
    pub focus_search: bool,
    /// Focus the newest source's URL field on the next frame (after "Add source").
    pub focus_new_source: bool,
    /// Ids of editable text fields drawn this frame: single-letter keys act only when none has focus.
    /// The path typed on the start screen ("Open a file by path"), for desktops without a file dialog.
    pub typed_path: String,
    pub editable_ids: Vec<egui::Id>,
    /// The document pane's paragraphs drawn this frame: focusable (for selecting text) but not for typing, so focus on
    /// one does not hold the single-letter keys.
    pub passive_ids: Vec<egui::Id>,
    pub passive_ids_last: Vec<egui::Id>,
    /// The editable fields of the previous frame (keys are handled before this frame's fields are drawn).
    pub editable_ids_last: Vec<egui::Id>,
    /// A typing run is under way: a key went into a text field, and neither Esc, Enter nor a click has ended it
    /// since. Single-letter keys wait until it ends.
    pub typing: bool,
    /// The button or link that has keyboard focus (reached with Tab), drawn with a focus ring.
    pub keyboard_focus: Option<egui::Id>,
    /// The text field that had keyboard focus at the start of the last frame.
    pub text_focus: Option<egui::Id>,
    /// A text field kept focused for one frame to read the characters typed just before Esc: let go next frame.
    pub release_focus: Option<egui::Id>,
    /// A menu of the menu bar was open in the last frame (Esc closes it first).
    pub menu_open: bool,
    pub quit_requested: bool,
    /// Closing was confirmed: let the window close.
    pub allow_close: bool,
    pub(super) last_autosave: Instant,
    pub(super) prefs_dirty: bool,
}

impl App {
    /// A new app with no document open. `data_dir` holds preferences and recovery files.
    pub fn new(dialogs: Box<dyn FileDialogs>, data_dir: PathBuf) -> Self {
        let prefs = std::fs::read(data_dir.join("preferences.json"))
            .ok()
            .and_then(|b| serde_json::from_slice(&b).ok())
            .unwrap_or_default();
        let memory = Memory::start(memory::location(None, prefs_library(&prefs), &data_dir), &data_dir);
        let mut app = Self {
            session: None,
            memory,
            library_given: None,
            remember_off: false,
            library_dialog: None,
            reuse_ask: None,
            prefs,
            dialogs,
            data_dir,
            extractor: Extractor::default(),
            commands: Vec::new(),
            last_error: None,
            open_error: None,
            actions: 0,
            notice_seen: (None, None, 0),
            message: None,
            extraction: None,
            confirm: None,
            conflict: None,
            path_prompt: None,
            recoveries: Vec::new(),
            export: None,
            compare: None,
            help_open: false,
            focus_note: false,
            focus_search: false,
            focus_new_source: false,
            typed_path: String::new(),
            editable_ids: Vec::new(),
            passive_ids: Vec::new(),
            passive_ids_last: Vec::new(),
            editable_ids_last: Vec::new(),
            typing: false,
            keyboard_focus: None,
            menu_open: false,
            text_focus: None,
            release_focus: None,
            quit_requested: false,
            allow_close: false,
            last_autosave: Instant::now(),
            prefs_dirty: false,
        };
        app.recoveries = app.find_recoveries();
        app
    }

    /// The default folder for preferences and recovery files (`CLAIMDESK_DATA_DIR` overrides it).
    pub fn default_data_dir() -> PathBuf {
        crate::paths::data_dir()
    }

    pub fn recovery_dir(&self) -> PathBuf {
        self.data_dir.join("recovery")
    }

    /// Whether the "Compare reviewers" dialog is showing.
    pub fn compare_open(&self) -> bool {
        self.compare.as_ref().is_some_and(|c| c.open)
    }

    /// Queue a command; it is applied after the current frame.
    pub fn push(&mut self, command: Command) {
        self.commands.push(command);
    }

    pub fn is_dirty(&self) -> bool {
        self.session.as_ref().is_some_and(Session::is_dirty)
    }

    /// A file could not be opened: said above the document (or the start screen), where the reviewer looks.
    pub(super) fn fail_open(&mut self, message: impl Into<String>) {
        self.open_error = Some(message.into());
    }

    pub(super) fn fail(&mut self, message: impl Into<String>) {
        self.last_error = Some(message.into());
    }

    /// Apply every queued command, in order.
    pub fn apply_pending(&mut self) {
        let commands = std::mem::take(&mut self.commands);
        for c in commands {
            self.apply(c);
        }
    }

    /// Whether `command` can be applied now (menus grey out the rest).
    pub fn enabled(&self, command: &Command) -> bool {
        let s = self.session.as_ref();
        // (Finding the selected claim walks the claims: only the commands that need one look.)
        let has_claim = || s.is_some_and(|s| s.selected_index().is_some());
        match command {
            Command::Undo => s.is_some_and(|s| s.history.can_undo()),
            Command::Redo => s.is_some_and(|s| s.history.can_redo()),
            Command::NextClaim
            | Command::PreviousClaim
            | Command::Save
            | Command::SaveAs
            | Command::Export
            | Command::CompareReviewers
            | Command::CloseDocument
            | Command::SearchClaims
            | Command::SetThreshold(_)
            | Command::ToggleBelowThreshold => s.is_some(),
            Command::RunExport => s.is_some() && self.export.is_some(),
            Command::AnswerPathPrompt => self.path_prompt.is_some(),
            Command::AnswerUnsaved(_) => self.confirm.is_some(),
            Command::ResolveConflict(_) => self.conflict.is_some() && s.is_some(),
            Command::RestoreRecovery(n) | Command::DiscardRecovery(n) => *n < self.recoveries.len(),
            Command::AddReviewerFile(_) | Command::RemoveReviewerFile(_) => s.is_some() && self.compare_open(),
            Command::Settle(..) | Command::SettleWithVerdict(..) => s.is_some(),
            Command::SetStatus(_)
            | Command::EditNote
            | Command::AddSource
            | Command::DeleteClaim
            | Command::MergeWithNext => has_claim(),
            Command::SplitClaim => s.is_some_and(|s| s.doc_cursor.is_some()) && has_claim(),
            Command::AddManualClaim => s.is_some_and(|s| s.doc_selection.is_some_and(|sel| !sel.is_empty())),
            _ => true,
        }
    }

    /// Apply one command: the only place the state changes.
    pub fn apply(&mut self, command: Command) {
        if !self.enabled(&command) {
            return;
        }
        let counts = !matches!(
            command,
            Command::SealHistory | Command::FinishExtraction | Command::SetReviewer(_) | Command::SetThreshold(_)
        );
        if counts {
            self.actions += 1;
            self.expire_notices();
        }
        self.apply_command(command);
        if counts {
            self.note_notices();
        }
    }

    /// A message or an error stays on the status bar for the action that caused it and the next two, then goes:
    /// "Saved to …" or an old error must not still show several actions later.
    const NOTICE_ACTIONS: u64 = 3;

    fn expire_notices(&mut self) {
        if self.actions.saturating_sub(self.notice_seen.2) > Self::NOTICE_ACTIONS {
            self.message = None;
            self.last_error = None;
        }
    }

    fn note_notices(&mut self) {
        if (&self.message, &self.last_error) != (&self.notice_seen.0, &self.notice_seen.1) {
            self.notice_seen = (self.message.clone(), self.last_error.clone(), self.actions);
        }
    }

    fn apply_command(&mut self, command: Command) {
        match command {
            Command::NextClaim | Command::PreviousClaim => {
                let step = if command == Command::NextClaim { 1 } else { -1 };
                if let Some(s) = &mut self.session {
                    let id = s.neighbour(step);
                    s.select(id);
                }
            }
            Command::Select(id) => {
                if let Some(s) = &mut self.session {
                    s.history.seal();
                    s.select(Some(id));
                }
            }
            Command::SetStatus(status) => self.set_status(status),
            Command::SetNote(id, note) => {
                self.update_review(&id, Some(Coalesce::Note(id.clone())), |r| r.note = note);
            }
            Command::SetSources(id, sources, index) => {
                let key = index.map(|index| Coalesce::Source { id: id.clone(), index });
                self.update_review(&id, key, |r| r.sources = sources);
            }
            Command::AddSource => {
                if let Some(id) = self.session.as_ref().and_then(|s| s.selected.clone()) {
                    let accessed = today();
                    if let Some(s) = &mut self.session {
                        s.history.seal();
                    }
                    self.update_review(&id, None, |r| {
                        r.sources.push(review::EvidenceSource { accessed, ..Default::default() })
                    });
                    self.focus_new_source = true;
                }
            }
            Command::EditNote => self.focus_note = true,
            Command::SealHistory => {
                if let Some(s) = &mut self.session {
                    s.history.seal();
                }
            }
            Command::LeaveField => {
                if let Some(s) = &mut self.session {
                    s.history.seal();
                }
                // Nothing typed in: Esc closes what is on top.
                if self.path_prompt.is_some() {
                    self.path_prompt = None;
                } else if self.conflict.is_some() {
                    self.conflict = None;
                } else if self.confirm.is_some() {
                    self.confirm = None;
                } else if self.reuse_ask.is_some() {
                    self.reuse_ask = None;
                } else if self.export.is_some() {
                    self.export = None;
                } else if self.library_dialog.is_some() {
                    self.library_dialog = None;
                } else if let Some(c) = self.compare.as_mut().filter(|c| c.open) {
                    c.open = false;
                } else if self.help_open {
                    self.help_open = false;
                }
            }
            Command::Undo | Command::Redo => {
                let Some(s) = &mut self.session else { return };
                let result =
                    if command == Command::Undo { s.history.undo(&mut s.file) } else { s.history.redo(&mut s.file) };
                match result {
                    Ok(Some(focus)) => {
                        s.touch();
                        if let Some(id) = focus
                            && s.file.index_of(&id).is_some()
                        {
                            s.select(Some(id));
                        } else if s.selected_index().is_none() {
                            let first = s.visible().first().copied().map(|i| s.file.claims[i].id.clone());
                            s.select(first);
                        }
                    }
                    Ok(None) => {}
                    Err(e) => self.fail(format!("Cannot undo: {e}")),
                }
            }
            Command::AddManualClaim => self.add_manual_claim(),
            Command::DeleteClaim => self.delete_claim(),
            Command::MergeWithNext => self.merge_with_next(),
            Command::SplitClaim => self.split_claim(),
            Command::SetThreshold(t) => {
                let Some(s) = &mut self.session else { return };
                let (before, after) = (s.file.extractor.threshold, t.clamp(0.0, 1.0));
                if (before - after).abs() > f32::EPSILON
                    && let Err(e) = s.edit(Edit::SetThreshold { before, after }, Some(Coalesce::Threshold))
                {
                    self.fail(e);
                }
            }
            Command::Open | Command::OpenReview => {
                let purpose = if command == Command::Open { Purpose::Open } else { Purpose::OpenReviewFile };
                if self.is_dirty() {
                    self.confirm = Some(Pending::Open(None, purpose));
                } else if let Some(p) = self.ask_open(purpose) {
                    self.open_path(&p);
                }
            }
            Command::OpenPath(p) => {
                if self.is_dirty() {
                    self.confirm = Some(Pending::Open(Some(p), Purpose::Open));
                } else {
                    self.open_path(&p);
                }
            }
            Command::OpenSample => {
                if self.is_dirty() {
                    self.confirm = Some(Pending::OpenSample);
                } else {
                    self.open_sample();
                }
            }
            Command::Save => {
                self.save(false);
            }
            Command::SaveAs => {
                self.save(true);
            }
            Command::Export => {
                let publication = self.session.as_ref().map(|s| s.file.publication.clone()).unwrap_or_default();
                // The format and scope last chosen for this review file (else for the last one exported).
                let review = self.session.as_ref().map(|s| s.path.clone().unwrap_or_else(|| s.proposed.clone()));
                let (format, all) =
                    review.and_then(|r| self.prefs.export_choice(&r)).unwrap_or((crate::export::Format::Json, false));
                self.export = Some(ExportDialog {
                    format,
                    all,
                    fact_check_url: publication.fact_check_url.unwrap_or_default(),
                    organisation: publication.organisation.unwrap_or_default(),
                    article_url: publication.article_url.unwrap_or_default(),
                    error: None,
                });
            }
            Command::RunExport => {
                self.run_export();
            }
            Command::CompareReviewers => {
                let Some(s) = &self.session else { return };
                if let Some(c) = &mut self.compare {
                    c.open = true;
                    return;
                }
                self.compare = Some(CompareDialog {
                    open: true,
                    mine: s.file.clone(),
                    others: Vec::new(),
                    comparison: None,
                    path: String::new(),
                    drafts: Default::default(),
                });
            }
            Command::AnswerPathPrompt => self.answer_path_prompt(),
            Command::AnswerUnsaved(save_first) => self.resolve_confirm(save_first),
            Command::ResolveConflict(choice) => self.resolve_conflict(choice),
            Command::SetReviewer(name) => self.set_reviewer(name),
            Command::DismissOpenError => self.open_error = None,
            Command::FinishExtraction => {
                self.finish_extraction();
            }
            Command::MemoryNews => self.memory_news(),
            Command::ReuseMatch(target) => self.reuse_match(target, None),
            Command::ReuseAs(id, index, status) => self.reuse_match(Some((id, index)), Some(status)),
            Command::DismissMatch(id, index) => self.dismiss_match(&id, index),
            Command::OpenLibrary => {
                self.library_dialog = Some(LibraryDialog::default());
                self.memory.refresh_stats();
            }
            Command::SearchLibrary(text) => self.memory.search(&text),
            Command::UseLibrary(folder) => self.use_library(folder),
            Command::LibraryPassword(password) => self.library_password(password),
            Command::ImportIntoLibrary(paths) => self.import_into_library(paths),
            Command::ToggleRememberVerdicts => {
                self.prefs.remember_verdicts = !self.prefs.remember_verdicts;
                self.prefs_dirty = true;
            }
            Command::RestoreRecovery(n) => self.restore_recovery(n),
            Command::DiscardRecovery(n) => self.discard_recovery(n),
            Command::AddReviewerFile(path) => {
                let path = path.or_else(|| self.ask_open(Purpose::OpenReview));
                if let Some(p) = path {
                    self.add_reviewer_file(&p);
                }
            }
            Command::RemoveReviewerFile(i) => {
                if let Some(c) = &mut self.compare
                    && i < c.others.len()
                {
                    c.others.remove(i);
                }
                self.refresh_comparison();
            }
            Command::Settle(id, review, verdict_of) => self.settle(&id, review, verdict_of.as_deref()),
            Command::SettleWithVerdict(id, index) => {
                let by = self.prefs.reviewer.clone();
                let Some(s) = &mut self.session else { return };
                match crate::merge::settle_with_verdict(&s.file, &id, index, &by) {
                    Ok(edit) => {
                        s.history.seal();
                        if let Err(e) = s.edit(edit, None) {
                            self.fail(e);
                        }
                    }
                    Err(e) => self.fail(e.to_string()),
                }
            }
            Command::CloseDocument => {
                if self.is_dirty() {
                    self.confirm = Some(Pending::Close);
                } else {
                    self.close_session();
                }
            }
            Command::Quit => {
                if self.is_dirty() {
                    self.confirm = Some(Pending::Quit);
                } else {
                    self.allow_close = true;
                    self.quit_requested = true;
                }
            }
            Command::SearchClaims => self.focus_search = true,
            Command::ToggleHelp => self.help_open = !self.help_open,
            Command::SetTheme(theme) => {
                self.prefs.theme = theme;
                self.prefs_dirty = true;
            }
            Command::ToggleBelowThreshold => {
                self.prefs.show_below_threshold = !self.prefs.show_below_threshold;
                self.prefs_dirty = true;
            }
            Command::ZoomIn | Command::ZoomOut | Command::ZoomReset => {
                // The selected claim stays in view at the new size.
                if let Some(s) = &mut self.session {
                    s.scroll_to_selection = true;
                }
                self.prefs.zoom = match command {
                    Command::ZoomIn => (self.prefs.zoom + 0.1).min(3.0),
                    Command::ZoomOut => (self.prefs.zoom - 0.1).max(0.5),
                    _ => 1.0,
                };
                self.prefs_dirty = true;
            }
        }
    }

    pub(super) fn set_status(&mut self, status: Status) {
        let reviewer = self.prefs.reviewer.trim().to_owned();
        let Some(s) = &mut self.session else { return };
        let Some(id) = s.selected.clone() else { return };
        let next = s.neighbour(1);
        s.history.seal();
        let Some(before) = s.file.claim(&id).map(|c| c.review.clone()) else { return };
        // The same status again changes nothing, so it is no undo step (the selection still moves on).
        if before.status != status {
            let mut after = before.clone();
            after.status = status;
            after.changed = Some(review::now_rfc3339());
            if !reviewer.is_empty() {
                after.reviewer = Some(reviewer);
            }
            if let Err(e) = s.edit(Edit::SetReview { id: id.clone(), before, after }, None) {
                self.fail(e);
                return;
            }
        }
        // Setting a status moves on to the next claim.
        if next.as_ref() != Some(&id) {
            s.select(next);
        }
    }

    pub(super) fn update_review(&mut self, id: &ClaimId, key: Option<Coalesce>, change: impl FnOnce(&mut Review)) {
        let reviewer = self.prefs.reviewer.trim().to_owned();
        let Some(s) = &mut self.session else { return };
        let Some(before) = s.file.claim(id).map(|c| c.review.clone()) else { return };
        let mut after = before.clone();
        change(&mut after);
        if after == before {
            return;
        }
        after.changed = Some(review::now_rfc3339());
        if !reviewer.is_empty() {
            after.reviewer = Some(reviewer);
        }
        if let Err(e) = s.edit(Edit::SetReview { id: id.clone(), before, after }, key) {
            self.fail(e);
        }
    }

    /// The window title: the file name and an unsaved mark.
    pub fn title(&self) -> String {
        match &self.session {
            Some(s) => format!("{}{} — ClaimDesk", if s.is_dirty() { "● " } else { "" }, s.display_name()),
            None => "ClaimDesk".to_owned(),
        }
    }

    /// Apply a claim surgery's edit (see [`crate::review::surgery`]) and select the claim it names; a refusal is shown.
    fn surgery(&mut self, make: impl FnOnce(&Session, &Extractor) -> Result<Surgery, SurgeryError>) -> bool {
        let (Some(s), extractor) = (&mut self.session, &self.extractor) else { return false };
        let result = make(s, extractor).map_err(|e| e.to_string()).and_then(|Surgery { edit, select }| {
            s.edit(edit, None)?;
            s.select(Some(select));
            Ok(())
        });
        match result {
            Ok(()) => true,
            Err(e) => {
                self.fail(e);
                false
            }
        }
    }

    fn add_manual_claim(&mut self) {
        let Some(selection) = self.session.as_ref().and_then(|s| s.doc_selection) else { return };
        if self.surgery(|s, ex| surgery::add_manual(&s.file, ex, selection))
            && let Some(s) = &mut self.session
        {
            s.doc_selection = None;
            s.clear_doc_selection = true;
        }
    }

    fn merge_with_next(&mut self) {
        let Some(index) = self.session.as_ref().and_then(Session::selected_index) else { return };
        self.surgery(|s, ex| surgery::merge_with_next(&s.file, ex, index));
    }

    fn split_claim(&mut self) {
        let Some((index, at)) = self.session.as_ref().and_then(|s| Some((s.selected_index()?, s.doc_cursor?))) else {
            return;
        };
        self.surgery(|s, ex| surgery::split(&s.file, ex, index, at));
    }

    fn delete_claim(&mut self) {
        let Some(s) = &mut self.session else { return };
        let Some(index) = s.selected_index() else { return };
        let next = s.neighbour(1).filter(|n| Some(n) != s.selected.as_ref()).or_else(|| s.neighbour(-1));
        let excerpt = crate::export::excerpt(&s.file.claims[index].text, 32);
        let result = surgery::delete(&s.file, index).map_err(|e| e.to_string()).and_then(|edit| s.edit(edit, None));
        if let Err(e) = result {
            self.fail(e);
            return;
        }
        s.selected = None;
        s.select(next.filter(|id| s.file.index_of(id).is_some()));
        self.message = Some(format!("Deleted the claim \"{excerpt}\". Ctrl+Z brings it back."));
    }
}

/// The library folder chosen in File > Library, if any.
fn prefs_library(prefs: &Prefs) -> Option<&std::path::Path> {
    prefs.library.as_deref()
}

fn today() -> Option<String> {
    let now = review::now_rfc3339();
    (now.len() >= 10).then(|| now[..10].to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Span;
    use crate::gui::dialogs::ScriptedDialogs;

    fn app() -> (App, tempfile::TempDir) {
        let dir = tempfile::tempdir().unwrap();
        let mut app = App::new(Box::new(ScriptedDialogs::new()), dir.path().join("data"));
        app.open_sample();
        (app, dir)
    }

    #[test]
    fn opening_selects_the_first_claim() {
        let (mut app, _dir) = app();
        let s = app.session.as_mut().unwrap();
        let first = s.visible()[0];
        assert_eq!(s.selected_index(), Some(first));
    }

    #[test]
    fn status_moves_on_and_undo_restores() {
        let (mut app, _dir) = app();
        let first = app.session.as_ref().unwrap().selected.clone().unwrap();
        app.apply(Command::SetStatus(Status::Verified));
        let s = app.session.as_ref().unwrap();
        assert_eq!(s.file.claim(&first).unwrap().review.status, Status::Verified);
        assert_ne!(s.selected.as_ref(), Some(&first), "moved to the next claim");
        assert!(s.is_dirty());
        app.apply(Command::Undo);
        let s = app.session.as_ref().unwrap();
        assert_eq!(s.file.claim(&first).unwrap().review.status, Status::Unreviewed);
        assert_eq!(s.selected.as_ref(), Some(&first));
        app.apply(Command::Redo);
        assert_eq!(app.session.as_ref().unwrap().file.claim(&first).unwrap().review.status, Status::Verified);
    }

    #[test]
    fn manual_claim_split_merge_delete_are_undoable() {
        let (mut app, _dir) = app();
        let original = app.session.as_ref().unwrap().file.clone();
        let text = original.document.text.clone();
        let start = text.find("Israeli sailors").unwrap();
        {
            let s = app.session.as_mut().unwrap();
            s.doc_selection = Some(Span::new(start, start + "Israeli sailors have trained".len()));
        }
        app.apply(Command::AddManualClaim);
        let s = app.session.as_ref().unwrap();
        let manual = s.selected_claim().unwrap();
        assert!(manual.is_manual());
        assert_eq!(manual.text, "Israeli sailors have trained");
        assert!(review::file::validate(&s.file).is_empty());
        app.apply(Command::Undo);
        assert_eq!(app.session.as_ref().unwrap().file, original);

        // Split the first claim and merge it back.
        let s = app.session.as_mut().unwrap();
        let first = s.selected_claim().unwrap().clone();
        s.doc_cursor = Some(first.span.start + first.text.find(' ').unwrap());
        app.apply(Command::SplitClaim);
        let s = app.session.as_ref().unwrap();
        assert_eq!(s.file.claims.len(), original.claims.len() + 1);
        assert!(review::file::validate(&s.file).is_empty(), "{:?}", review::file::validate(&s.file));
        app.apply(Command::MergeWithNext);
        let s = app.session.as_ref().unwrap();
        assert_eq!(s.selected_claim().unwrap().text, first.text);
        app.apply(Command::Undo);
        app.apply(Command::Undo);
        assert_eq!(app.session.as_ref().unwrap().file, original);

        app.apply(Command::DeleteClaim);
        assert_eq!(app.session.as_ref().unwrap().file.claims.len(), original.claims.len() - 1);
        app.apply(Command::Undo);
        assert_eq!(app.session.as_ref().unwrap().file, original);
    }

    #[test]
    fn the_selected_index_follows_the_claim_when_others_move() {
        let (mut app, _dir) = app();
        let s = app.session.as_mut().unwrap();
        let last = s.file.claims.last().unwrap().id.clone();
        s.selected = Some(last.clone());
        let before = s.selected_index().unwrap();
        // Claims before it go away (however they went): the remembered index is stale and must not be used.
        s.file.claims.remove(0);
        assert_eq!(s.selected_index(), Some(before - 1));
        assert_eq!(s.selected_claim().unwrap().id, last);
        s.file.claims.pop();
        assert_eq!(s.selected_index(), None);
    }

    #[test]
    fn counts_are_over_the_claims_shown_at_the_threshold() {
        let (mut app, _dir) = app();
        app.apply(Command::SetStatus(Status::Verified));
        let s = app.session.as_mut().unwrap();
        let all = s.file.claims.len();
        let c = s.counts();
        assert_eq!((c.shown, c.reviewed(), c.below_threshold), (all, 1, 0));
        app.apply(Command::SetThreshold(1.0));
        let s = app.session.as_mut().unwrap();
        let expected = s.file.claims.iter().filter(|c| c.score >= 1.0 || c.review.is_reviewed()).count();
        assert!(expected < all);
        let c = s.counts();
        assert_eq!((c.shown, c.reviewed(), c.below_threshold), (expected, 1, all - expected), "the reviewed one stays");
        app.apply(Command::Undo);
        assert_eq!(app.session.as_mut().unwrap().counts().shown, all);
    }

    #[test]
    fn autosave_then_restore_gives_back_the_work() {
        let (mut app, dir) = app();
        app.apply(Command::SetStatus(Status::Disputed));
        app.autosave_now();
        let lost = app.session.as_ref().unwrap().file.clone();
        drop(app); // a crash: nothing saved
        let mut again = App::new(Box::new(ScriptedDialogs::new()), dir.path().join("data"));
        assert_eq!(again.recoveries.len(), 1);
        again.restore_recovery(0);
        let s = again.session.as_ref().unwrap();
        assert_eq!(s.file, lost);
        assert!(s.is_dirty());
    }

    #[test]
    fn discarding_for_a_file_that_fails_to_open_keeps_the_work() {
        let (mut app, dir) = app();
        app.apply(Command::SetStatus(Status::Verified));
        app.autosave_now();
        let recovery = app.session.as_ref().unwrap().recovery.clone();
        assert!(recovery.exists());
        let bad = dir.path().join("bad.json");
        std::fs::write(&bad, b"{").unwrap();
        app.apply(Command::OpenPath(bad));
        assert!(app.confirm.is_some(), "unsaved work: asks first");
        app.resolve_confirm(false); // Discard.
        assert!(app.open_error.as_deref().unwrap().contains("bad.json"));
        let s = app.session.as_ref().unwrap();
        assert!(s.is_dirty(), "the open failed: the work is still unsaved, so closing will ask");
        assert!(recovery.exists(), "and its recovery copy is kept");
        // Discarding for a file that does open gives the work up, recovery copy included.
        let good = dir.path().join("good.txt");
        std::fs::write(&good, "Exports rose 9% in 2021, the ministry said.\n").unwrap();
        app.apply(Command::OpenPath(good));
        app.resolve_confirm(false);
        assert!(app.open_error.is_none(), "{:?}", app.open_error);
        assert!(!recovery.exists());
        assert!(!app.is_dirty());
    }

    #[test]
    fn a_bad_file_keeps_the_work_in_hand() {
        let (mut app, dir) = app();
        app.apply(Command::SetStatus(Status::Verified));
        let before = app.session.as_ref().unwrap().file.clone();
        let bad = dir.path().join("bad.json");
        std::fs::write(&bad, b"{\"format\": \"claimdesk-review\", \"version\": 1").unwrap();
        // Opening with unsaved work asks first; answer "discard" is not given: answer by saving is not possible
        // without a path, so open directly.
        app.open_path(&bad);
        assert!(app.open_error.as_deref().unwrap().contains("bad.json"));
        assert_eq!(app.session.as_ref().unwrap().file, before);
    }
}
