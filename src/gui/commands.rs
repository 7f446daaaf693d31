//! Commands: everything a reviewer can do, as values.
//!
//! Panels never change the state while drawing: they push [`Command`]s, and [`super::app::App::apply`] applies them
//! after the frame is drawn. [`TABLE`] gives each plain command its label, menu and shortcut: the menu bar, the
//! keyboard handling and the help overlay are all built from it, so they cannot disagree.

use egui::{Key, KeyboardShortcut, Modifiers};

use super::persist::ThemeChoice;
use crate::review::{ClaimId, EvidenceSource, Review, Status};

/// Something to do to the app's state.
#[derive(Debug, Clone, PartialEq)]
pub enum Command {
    // Navigation.
    NextClaim,
    PreviousClaim,
    Select(ClaimId),
    // Review edits.
    SetStatus(Status),
    SetNote(ClaimId, String),
    /// Replace a claim's sources; `Some(i)` coalesces typing into source `i`.
    SetSources(ClaimId, Vec<EvidenceSource>, Option<usize>),
    AddSource,
    EditNote,
    /// Esc: leave the text field being typed in; with none, close the dialog or overlay on top.
    LeaveField,
    /// End the current typing run (a text field lost focus): the next edit is a new undo step.
    SealHistory,
    Undo,
    Redo,
    // Claims.
    AddManualClaim,
    DeleteClaim,
    MergeWithNext,
    SplitClaim,
    /// Move the threshold (dragging the slider coalesces into one undo step until [`Command::SealHistory`]).
    SetThreshold(f32),
    // Files.
    Open,
    OpenReview,
    OpenSample,
    OpenPath(std::path::PathBuf),
    Save,
    SaveAs,
    Export,
    /// The export dialog's "Export…" button: ask where, then write.
    RunExport,
    /// The path prompt's "OK" (where the desktop has no file dialog): carry on with the typed path.
    AnswerPathPrompt,
    /// "Save your changes?" answered: `true` saves first, `false` discards; then what was held back goes ahead.
    AnswerUnsaved(bool),
    /// Dismiss the "could not open the file" banner.
    DismissOpenError,
    /// The reviewer's name, recorded with each change and remembered between runs.
    SetReviewer(String),
    /// Claim memory has answers waiting: take them.
    MemoryNews,
    /// Reuse a match's verdict, note and sources for a claim (`None`: the selected claim's best match; `u`), then move
    /// to the next claim.
    ReuseMatch(Option<(ClaimId, usize)>),
    /// Reuse a match with this status (the answer to "which status?" for a rating that says neither).
    ReuseAs(ClaimId, usize, Status),
    /// Dismiss a claim's `n`th match as wrong: it is not offered for this claim again (undoable).
    DismissMatch(ClaimId, usize),
    /// File > Library.
    OpenLibrary,
    /// Search the library (File > Library's field).
    SearchLibrary(String),
    /// Use the library in this folder (File > Library).
    UseLibrary(Option<std::path::PathBuf>),
    /// Connect to the shared library with this password (typed in File > Library when its server asks).
    LibraryPassword(String),
    /// Import these files into the library (`None`: ask with a file dialog).
    ImportIntoLibrary(Option<Vec<std::path::PathBuf>>),
    /// Turn "Add my verdicts to the library" on or off.
    ToggleRememberVerdicts,
    /// A background extraction has ended: open its review (or report its failure).
    FinishExtraction,
    /// "The review file changed on disk" answered.
    ResolveConflict(ConflictChoice),
    /// Restore the `n`th unsaved review found at start.
    RestoreRecovery(usize),
    /// Throw away the `n`th unsaved review found at start.
    DiscardRecovery(usize),
    CompareReviewers,
    /// Add another reviewer's file to the comparison: `None` asks with a file dialog.
    AddReviewerFile(Option<std::path::PathBuf>),
    /// Remove the comparison's `n`th other reviewer.
    RemoveReviewerFile(usize),
    /// Settle a disagreement of the comparison with this review: a reviewer's verdict (whose it is named), or one
    /// written anew (`None`).
    Settle(ClaimId, Review, Option<String>),
    /// Settle a claim of a merged file with its `n`th reviewer's verdict.
    SettleWithVerdict(ClaimId, usize),
    CloseDocument,
    Quit,
    // View.
    SearchClaims,
    ToggleHelp,
    SetTheme(ThemeChoice),
    ToggleBelowThreshold,
    ZoomIn,
    ZoomOut,
    ZoomReset,
}

/// The answers to [`Conflict`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ConflictChoice {
    /// Keep their file: reload it, giving up this session's unsaved changes.
    ReloadTheirs,
    /// Keep both: save this review under another name.
    SaveMineAsNew,
    /// Replace theirs with this review; theirs is kept as `NAME.bak`.
    Overwrite,
}

/// Which menu a command is listed in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Menu {
    File,
    Edit,
    Review,
    View,
    Help,
}

impl Menu {
    pub const ALL: [Menu; 5] = [Menu::File, Menu::Edit, Menu::Review, Menu::View, Menu::Help];

    pub fn label(self) -> &'static str {
        match self {
            Menu::File => "File",
            Menu::Edit => "Edit",
            Menu::Review => "Review",
            Menu::View => "View",
            Menu::Help => "Help",
        }
    }
}

/// A key that triggers a command.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Binding {
    /// A key with modifiers (Ctrl+S): works even while typing in a text field.
    Chord(KeyboardShortcut),
    /// A single key (j, 1, Down): only when no text field has focus.
    Single(Key),
}

impl Binding {
    pub fn label(&self) -> String {
        match self {
            Binding::Chord(s) => {
                let mut parts = Vec::new();
                if s.modifiers.command || s.modifiers.ctrl {
                    parts.push("Ctrl".to_owned());
                }
                if s.modifiers.shift {
                    parts.push("Shift".to_owned());
                }
                if s.modifiers.alt {
                    parts.push("Alt".to_owned());
                }
                parts.push(key_name(s.logical_key, true));
                parts.join("+")
            }
            Binding::Single(k) => key_name(*k, false),
        }
    }
}

/// A key as people write it: letters lowercase alone (`j`) and uppercase in chords (`Ctrl+S`).
fn key_name(key: Key, in_chord: bool) -> String {
    match key {
        Key::Plus | Key::Equals => "+".to_owned(),
        Key::Minus => "-".to_owned(),
        Key::Questionmark => "?".to_owned(),
        Key::Escape => "Esc".to_owned(),
        Key::ArrowDown => "Down".to_owned(),
        Key::ArrowUp => "Up".to_owned(),
        Key::Num0 => "0".to_owned(),
        Key::Num1 => "1".to_owned(),
        Key::Num2 => "2".to_owned(),
        Key::Num3 => "3".to_owned(),
        other => {
            let name = other.name();
            match (name.len(), in_chord) {
                (1, true) => name.to_ascii_uppercase(),
                (1, false) => name.to_ascii_lowercase(),
                _ => name.to_owned(),
            }
        }
    }
}

/// One row of the command table.
#[derive(Debug, Clone)]
pub struct Spec {
    pub command: Command,
    pub label: &'static str,
    pub menu: Menu,
    pub bindings: Vec<Binding>,
}

const CTRL: Modifiers = Modifiers::COMMAND;
const CTRL_SHIFT: Modifiers = Modifiers { shift: true, ..Modifiers::COMMAND };

const fn chord(modifiers: Modifiers, key: Key) -> Binding {
    Binding::Chord(KeyboardShortcut::new(modifiers, key))
}

/// Every plain command with its label, menu and keys. Order within a menu is menu order; the help overlay lists
/// them in the same order, menu by menu.
pub fn table() -> Vec<Spec> {
    use Binding::Single;
    use Command as C;
    let spec = |command, label, menu, bindings: Vec<Binding>| Spec { command, label, menu, bindings };
    vec![
        spec(C::Open, "Open…", Menu::File, vec![chord(CTRL, Key::O)]),
        spec(C::OpenReview, "Open a review file…", Menu::File, vec![]),
        spec(C::OpenSample, "Open the sample article", Menu::File, vec![]),
        spec(C::Save, "Save", Menu::File, vec![chord(CTRL, Key::S)]),
        spec(C::SaveAs, "Save as…", Menu::File, vec![chord(CTRL_SHIFT, Key::S)]),
        spec(C::Export, "Export…", Menu::File, vec![chord(CTRL, Key::E)]),
        spec(C::CompareReviewers, "Compare reviewers…", Menu::File, vec![]),
        spec(C::OpenLibrary, "Library…", Menu::File, vec![]),
        spec(C::ToggleRememberVerdicts, "Add my verdicts to the library", Menu::File, vec![]),
        spec(C::CloseDocument, "Close document", Menu::File, vec![chord(CTRL, Key::W)]),
        spec(C::Quit, "Quit", Menu::File, vec![chord(CTRL, Key::Q)]),
        spec(C::Undo, "Undo", Menu::Edit, vec![chord(CTRL, Key::Z)]),
        spec(C::Redo, "Redo", Menu::Edit, vec![chord(CTRL_SHIFT, Key::Z), chord(CTRL, Key::Y)]),
        spec(C::SearchClaims, "Search claims", Menu::Edit, vec![chord(CTRL, Key::F)]),
        spec(C::EditNote, "Edit the note", Menu::Edit, vec![Single(Key::N)]),
        spec(C::LeaveField, "Leave a text field; close a dialog", Menu::Edit, vec![Single(Key::Escape)]),
        spec(C::NextClaim, "Next claim", Menu::Review, vec![Single(Key::J), Single(Key::ArrowDown)]),
        spec(C::PreviousClaim, "Previous claim", Menu::Review, vec![Single(Key::K), Single(Key::ArrowUp)]),
        spec(C::SetStatus(Status::Verified), "Mark verified, go to next", Menu::Review, vec![Single(Key::Num1)]),
        spec(C::SetStatus(Status::Disputed), "Mark disputed, go to next", Menu::Review, vec![Single(Key::Num2)]),
        spec(C::SetStatus(Status::Unsourced), "Mark unsourced, go to next", Menu::Review, vec![Single(Key::Num3)]),
        spec(C::SetStatus(Status::Unreviewed), "Back to unreviewed, go to next", Menu::Review, vec![Single(Key::Num0)]),
        spec(C::ReuseMatch(None), "Reuse the earlier verdict, go to next", Menu::Review, vec![Single(Key::U)]),
        spec(C::AddSource, "Add a source", Menu::Review, vec![]),
        spec(C::AddManualClaim, "Add selected text as a claim", Menu::Review, vec![chord(CTRL, Key::M)]),
        spec(C::SplitClaim, "Split claim at cursor", Menu::Review, vec![]),
        spec(C::MergeWithNext, "Merge with next claim", Menu::Review, vec![]),
        spec(C::DeleteClaim, "Delete claim", Menu::Review, vec![Single(Key::Delete)]),
        spec(C::ToggleBelowThreshold, "Show sentences below threshold", Menu::View, vec![]),
        spec(C::SetTheme(ThemeChoice::System), "Theme: follow the system", Menu::View, vec![]),
        spec(C::SetTheme(ThemeChoice::Light), "Theme: light", Menu::View, vec![]),
        spec(C::SetTheme(ThemeChoice::Dark), "Theme: dark", Menu::View, vec![]),
        spec(C::ZoomIn, "Zoom in", Menu::View, vec![chord(CTRL, Key::Plus), chord(CTRL, Key::Equals)]),
        spec(C::ZoomOut, "Zoom out", Menu::View, vec![chord(CTRL, Key::Minus)]),
        spec(C::ZoomReset, "Reset zoom", Menu::View, vec![chord(CTRL, Key::Num0)]),
        spec(C::ToggleHelp, "Keyboard shortcuts", Menu::Help, vec![Single(Key::F1), Single(Key::Questionmark)]),
    ]
}

/// Every key binding with its command, built once from [`table`]. Chords with more modifiers come first: egui
/// matches Ctrl+Z against Ctrl+Shift+Z too (it ignores extra Shift and Alt), so the more specific one must win.
pub fn bindings() -> &'static [(Binding, Command)] {
    static BINDINGS: std::sync::OnceLock<Vec<(Binding, Command)>> = std::sync::OnceLock::new();
    BINDINGS.get_or_init(|| {
        let mut all: Vec<(Binding, Command)> = table()
            .into_iter()
            .flat_map(|spec| spec.bindings.into_iter().map(move |b| (b, spec.command.clone())))
            .collect();
        all.sort_by_key(|(b, _)| match b {
            Binding::Chord(s) => std::cmp::Reverse(u8::from(s.modifiers.shift) + u8::from(s.modifiers.alt) + 1),
            Binding::Single(_) => std::cmp::Reverse(0),
        });
        all
    })
}

/// The command a key press triggers, if any: chords always (unless `chords` is false, while a question is asked),
/// single keys only when `singles` says the reviewer is navigating.
pub fn command_for(key: Key, modifiers: Modifiers, chords: bool, singles: bool) -> Option<&'static Command> {
    bindings().iter().find_map(|(binding, command)| {
        let hit = match binding {
            Binding::Chord(s) => chords && key == s.logical_key && modifiers.matches_logically(s.modifiers),
            Binding::Single(k) => singles && key == *k && modifiers.matches_logically(Modifiers::NONE),
        };
        hit.then_some(command)
    })
}

/// The shortcut text shown beside a command in menus and help ("j / Down"); keys that read the same are listed once
/// (Ctrl+Plus and Ctrl+Equals are both "Ctrl++").
pub fn shortcut_text(spec: &Spec) -> String {
    let mut labels: Vec<String> = Vec::new();
    for label in spec.bindings.iter().map(Binding::label) {
        if !labels.contains(&label) {
            labels.push(label);
        }
    }
    labels.join(" / ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_two_commands_share_a_key() {
        let table = table();
        let mut seen = Vec::new();
        for spec in &table {
            for b in &spec.bindings {
                assert!(!seen.contains(b), "{:?} bound twice", b);
                seen.push(*b);
            }
        }
    }

    #[test]
    fn the_keyboard_contract_is_in_the_table() {
        let table = table();
        let keys_of = |c: Command| table.iter().find(|s| s.command == c).map(shortcut_text).unwrap_or_default();
        assert_eq!(keys_of(Command::NextClaim), "j / Down");
        assert_eq!(keys_of(Command::PreviousClaim), "k / Up");
        assert_eq!(keys_of(Command::SetStatus(Status::Verified)), "1");
        assert_eq!(keys_of(Command::SetStatus(Status::Disputed)), "2");
        assert_eq!(keys_of(Command::SetStatus(Status::Unsourced)), "3");
        assert_eq!(keys_of(Command::SetStatus(Status::Unreviewed)), "0");
        assert_eq!(keys_of(Command::EditNote), "n");
        assert_eq!(keys_of(Command::LeaveField), "Esc");
        assert_eq!(keys_of(Command::Undo), "Ctrl+Z");
        assert_eq!(keys_of(Command::Redo), "Ctrl+Shift+Z / Ctrl+Y");
        assert_eq!(keys_of(Command::Save), "Ctrl+S");
        assert_eq!(keys_of(Command::SaveAs), "Ctrl+Shift+S");
        assert_eq!(keys_of(Command::Open), "Ctrl+O");
        assert_eq!(keys_of(Command::Export), "Ctrl+E");
        assert_eq!(keys_of(Command::SearchClaims), "Ctrl+F");
        assert_eq!(keys_of(Command::ToggleHelp), "F1 / ?");
        assert_eq!(keys_of(Command::ZoomIn), "Ctrl++");
        assert_eq!(keys_of(Command::ZoomOut), "Ctrl+-");
    }
}
