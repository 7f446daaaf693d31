//! The open review in the window: the review file, its undo history, the selection, the list's filters and sort,
//! and the caches that keep a frame cheap on a long document (the listed claims, the counts, paragraph heights).

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use crate::Span;
use crate::extract::ClaimKind;
use crate::review::edit::{Coalesce, Edit, History};
use crate::review::{self, Claim, ClaimId, ReviewFile, Status};

/// How the claims list is sorted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SortBy {
    Position,
    Score,
    /// The strongest match in the library first ("checked before").
    Match,
}

/// What the claims list shows.
#[derive(Debug, Clone, PartialEq)]
pub struct Filter {
    /// Statuses shown, in [`Status::ALL`] order.
    pub statuses: [bool; 4],
    /// Only claims with this kind.
    pub kind: Option<ClaimKind>,
    pub search: String,
    pub sort: SortBy,
    /// In a transcript: whose claims the list shows.
    pub speaker: SpeakerFilter,
    /// Only claims with a strong match in the library ("checked before").
    pub checked_before: bool,
}

/// Whose claims the list shows, in a transcript.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub enum SpeakerFilter {
    #[default]
    Anyone,
    /// One speaker, by name.
    Only(String),
    /// Everyone but the moderators (their questions are rarely claims).
    NoModerators,
}

impl SpeakerFilter {
    pub fn admits(&self, claim: &Claim) -> bool {
        match self {
            SpeakerFilter::Anyone => true,
            SpeakerFilter::Only(name) => review::said_by(claim, name),
            SpeakerFilter::NoModerators => !review::said_in_role(claim, crate::extract::Role::Moderator),
        }
    }
}

impl Filter {
    /// The one status the list is filtered to, if it shows exactly one.
    pub fn showing_only(&self) -> Option<Status> {
        let mut shown = Status::ALL.into_iter().filter(|st| self.statuses[*st as usize]);
        match (shown.next(), shown.next()) {
            (Some(one), None) => Some(one),
            _ => None,
        }
    }
}

impl Default for Filter {
    fn default() -> Self {
        Self {
            statuses: [true; 4],
            kind: None,
            search: String::new(),
            sort: SortBy::Position,
            speaker: SpeakerFilter::Anyone,
            checked_before: false,
        }
    }
}

/// An open review.
pub struct Session {
    pub file: ReviewFile,
    pub history: History,
    /// Where Save writes: the review file opened, the path bound with `--review` for the document it was given
    /// with, or where the review was last saved. `None` until then: the first save asks, proposing `proposed`.
    pub path: Option<PathBuf>,
    /// Where the first save proposes to put the review: `NAME.review.json` beside the document.
    pub proposed: PathBuf,
    /// The file at `path` as this session read or last wrote it: a save checks it is still that file.
    pub disk: Option<review::disk::Stamp>,
    /// The fingerprint of the text this review was carried over from: its old review file may be replaced.
    pub carried_from: Option<String>,
    pub(super) revision: u64,
    pub(super) saved_revision: u64,
    pub(super) autosaved_revision: u64,
    pub selected: Option<ClaimId>,
    /// Where the selected claim was last found in `file.claims` (checked against its id before use).
    pub(super) selected_hint: std::cell::Cell<Option<usize>>,
    pub filter: Filter,
    /// Indices into `file.claims` the list shows, in list order.
    pub(super) visible: Vec<usize>,
    pub(super) visible_key: Option<(u64, Filter, u32, u64)>,
    /// The best score claim memory found for each claim (dismissed matches left out), and a counter of its changes
    /// (the list's cache depends on it: the "checked before" filter and sort).
    pub match_strength: HashMap<ClaimId, f32>,
    match_revision: u64,
    /// Counts over the claims shown at the threshold, cached by revision and threshold.
    pub(super) counts: Option<((u64, u32), ShownCounts)>,
    /// Scroll the document and the list to the selection on the next frame.
    pub scroll_to_selection: bool,
    /// Text selected in the document pane (byte span), for "add as claim".
    pub doc_selection: Option<Span>,
    /// Where the text cursor is in the document pane (byte offset), for "split at cursor".
    pub doc_cursor: Option<usize>,
    /// Clear the document pane's text selection on the next frame (it became a claim).
    pub clear_doc_selection: bool,
    /// The document's paragraphs (lines), as spans.
    pub paragraphs: Vec<Span>,
    /// Measured or estimated paragraph heights in points, for laying out only what is in view.
    pub heights: Vec<f32>,
    /// The most characters on one line of the document pane in the last frame (it should read at 60 and more).
    pub doc_line_chars: usize,
    /// The document pane's text width the heights were measured at.
    pub layout_width: f32,
    /// Frames left in which the document keeps the selected claim in view while its heights settle.
    pub scroll_frames: u8,
    /// Recovery file for this session's unsaved work.
    pub(super) recovery: PathBuf,
    /// Whether the review is on disk as shown (opened from a review file, or saved): the status bar says "Saved"
    /// only then.
    pub on_disk: bool,
    /// The revision at which the reviewer chose to discard this work for another file. It is given up only when that
    /// file has opened: should opening fail, the work stays in hand, unsaved, with its recovery copy.
    pub(super) discarded_at: Option<u64>,
}

impl Session {
    pub fn new(file: ReviewFile, path: Option<PathBuf>, recovery_dir: &Path) -> Self {
        let paragraphs = paragraphs(&file.document.text);
        let heights = vec![0.0; paragraphs.len()];
        let recovery = recovery_dir
            .join(format!("{}.json", &file.document.fingerprint[..16.min(file.document.fingerprint.len())]));
        let proposed = proposed_path(&file);
        let mut s = Self {
            file,
            history: History::new(),
            path,
            proposed,
            disk: None,
            carried_from: None,
            revision: 0,
            saved_revision: 0,
            autosaved_revision: 0,
            selected: None,
            selected_hint: std::cell::Cell::new(None),
            filter: Filter::default(),
            visible: Vec::new(),
            visible_key: None,
            counts: None,
            match_strength: HashMap::new(),
            match_revision: 0,
            scroll_to_selection: true,
            doc_selection: None,
            doc_cursor: None,
            clear_doc_selection: false,
            paragraphs,
            heights,
            doc_line_chars: 0,
            layout_width: 0.0,
            scroll_frames: 0,
            recovery,
            on_disk: false,
            discarded_at: None,
        };
        let first = s.visible().first().copied();
        s.selected = first.map(|i| s.file.claims[i].id.clone());
        s
    }

    pub fn is_dirty(&self) -> bool {
        self.revision != self.saved_revision
    }

    pub fn revision(&self) -> u64 {
        self.revision
    }

    pub(super) fn touch(&mut self) {
        self.revision += 1;
    }

    pub fn threshold(&self) -> f32 {
        self.file.extractor.threshold
    }

    /// Whether `claim` is a claim at the current threshold ([`Claim::is_claim`]: claims with review content and
    /// manual claims always are).
    pub fn is_shown_claim(&self, claim: &Claim) -> bool {
        claim.is_claim(self.threshold())
    }

    /// How many claims are shown at the threshold, per status, and how many sentences are below it. Cached by
    /// revision and threshold: a frame of a 20,000-sentence document should not walk every claim for each count.
    pub fn counts(&mut self) -> ShownCounts {
        let key = (self.revision, self.threshold().to_bits());
        if let Some((k, counts)) = &self.counts
            && *k == key
        {
            return *counts;
        }
        let mut counts = ShownCounts::default();
        for c in &self.file.claims {
            if self.is_shown_claim(c) {
                counts.per_status[c.review.status as usize] += 1;
                counts.shown += 1;
            } else {
                counts.below_threshold += 1;
            }
        }
        self.counts = Some((key, counts));
        counts
    }

    /// The claims the list shows, as indices into `file.claims`, in list order. Cached by revision and filter.
    pub fn visible(&mut self) -> &[usize] {
        // Match strengths change the list only through the "checked before" filter and the sort by match: claim
        // memory's answers arriving in the background do not rebuild it otherwise.
        let by_match = self.filter.checked_before || self.filter.sort == SortBy::Match;
        let key = (
            self.revision,
            self.filter.clone(),
            self.threshold().to_bits(),
            if by_match { self.match_revision } else { 0 },
        );
        if self.visible_key.as_ref() != Some(&key) {
            let needle = self.filter.search.to_lowercase();
            let mut v: Vec<usize> = (0..self.file.claims.len())
                .filter(|&i| {
                    let c = &self.file.claims[i];
                    self.is_shown_claim(c)
                        && self.filter.statuses[c.review.status as usize]
                        && self.filter.kind.is_none_or(|k| c.kinds.contains(&k))
                        && self.filter.speaker.admits(c)
                        && (!self.filter.checked_before
                            || self.match_strength.get(&c.id).is_some_and(|s| *s >= crate::gui::memory::STRONG))
                        && (needle.is_empty()
                            || c.text.to_lowercase().contains(&needle)
                            || c.source().is_some_and(|s| s.to_lowercase().contains(&needle))
                            || c.speaker_name().is_some_and(|s| s.to_lowercase().contains(&needle))
                            || c.review.note.to_lowercase().contains(&needle))
                })
                .collect();
            match self.filter.sort {
                SortBy::Position => v.sort_by_key(|&i| self.file.claims[i].span.start),
                SortBy::Score => {
                    v.sort_by(|&a, &b| self.file.claims[b].score.total_cmp(&self.file.claims[a].score).then(a.cmp(&b)))
                }
                SortBy::Match => {
                    let strength = |i: usize| self.match_strength.get(&self.file.claims[i].id).copied().unwrap_or(-1.0);
                    v.sort_by(|&a, &b| strength(b).total_cmp(&strength(a)).then(a.cmp(&b)))
                }
            }
            self.visible = v;
            self.visible_key = Some(key);
        }
        &self.visible
    }

    /// The selected claim's index in `file.claims`. Each panel asks every frame, and finding an id walks the claims
    /// (20,000 of them in a long document), so the last answer is kept and used while the claim at that index still
    /// has the selected id (ids are unique, so it is then right).
    pub fn selected_index(&self) -> Option<usize> {
        let id = self.selected.as_ref()?;
        if let Some(i) = self.selected_hint.get()
            && self.file.claims.get(i).is_some_and(|c| &c.id == id)
        {
            return Some(i);
        }
        let found = self.file.index_of(id);
        self.selected_hint.set(found);
        found
    }

    pub fn selected_claim(&self) -> Option<&Claim> {
        self.selected_index().map(|i| &self.file.claims[i])
    }

    /// The claim `step` places after (or before, when negative) the selection in the list.
    pub(super) fn neighbour(&mut self, step: isize) -> Option<ClaimId> {
        let current = self.selected_index();
        let visible = self.visible().to_vec();
        if visible.is_empty() {
            return None;
        }
        let pos = current.and_then(|c| visible.iter().position(|&i| i == c));
        let next = match pos {
            Some(p) => (p as isize + step).clamp(0, visible.len() as isize - 1) as usize,
            None => {
                // The selection is filtered out: go to the first visible claim after it in the document.
                let start = current.map(|c| self.file.claims[c].span.start).unwrap_or(0);
                visible.iter().position(|&i| self.file.claims[i].span.start > start).unwrap_or(0)
            }
        };
        Some(self.file.claims[visible[next]].id.clone())
    }

    /// The claim whose span contains byte `offset`, preferring claims the list shows.
    pub fn claim_at(&self, offset: usize) -> Option<&Claim> {
        let mut hit = None;
        for c in &self.file.claims {
            if c.span.start <= offset && offset < c.span.end {
                if self.is_shown_claim(c) {
                    return Some(c);
                }
                hit.get_or_insert(c);
            }
        }
        hit
    }

    pub(super) fn select(&mut self, id: Option<ClaimId>) {
        if id.is_some() {
            self.selected = id;
            self.scroll_to_selection = true;
        }
    }

    /// Apply `edit` through the history, marking the session changed.
    pub(super) fn edit(&mut self, edit: Edit, key: Option<Coalesce>) -> Result<(), String> {
        self.history.apply_coalescing(&mut self.file, edit, key).map_err(|e| e.to_string())?;
        self.touch();
        Ok(())
    }

    /// The best match score of each claim, from claim memory (the list's mark, filter and sort follow it).
    pub fn set_match_strengths(&mut self, strengths: HashMap<ClaimId, f32>) {
        if strengths != self.match_strength {
            self.match_strength = strengths;
            self.match_revision += 1;
        }
    }

    /// The review file's name, as the title bar shows it: where Save writes, or else where the first save will
    /// propose to write.
    pub fn display_name(&self) -> String {
        let path = self.path.as_ref().unwrap_or(&self.proposed);
        path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| self.file.document.title.clone())
    }
}

/// Counts over a session's claims at its threshold (see [`Session::counts`]).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ShownCounts {
    /// Claims shown (at or above the threshold, or reviewed, or manual).
    pub shown: usize,
    /// Shown claims per status, in [`Status::ALL`] order.
    pub per_status: [usize; 4],
    /// Sentences below the threshold, hidden.
    pub below_threshold: usize,
}

impl ShownCounts {
    pub fn reviewed(&self) -> usize {
        self.shown - self.per_status[Status::Unreviewed as usize]
    }
}

/// The document's paragraphs: its lines, without their line breaks (empty lines included, so heights add up).
pub fn paragraphs(text: &str) -> Vec<Span> {
    let mut out = Vec::new();
    let mut start = 0;
    for (i, b) in text.bytes().enumerate() {
        if b == b'\n' {
            let end = if i > start && text.as_bytes()[i - 1] == b'\r' { i - 1 } else { i };
            out.push(Span::new(start, end));
            start = i + 1;
        }
    }
    out.push(Span::new(start, text.len()));
    out
}

/// Where a review's first save proposes to write: `NAME.review.json` beside its document (the current folder when the
/// document's folder is not there, as for the built-in sample).
pub(super) fn proposed_path(file: &ReviewFile) -> PathBuf {
    let name = format!("{}.review.json", file_stem(file));
    let folder = file.document.path.as_deref().and_then(|p| Path::new(p).parent()).filter(|f| f.is_dir());
    match folder {
        Some(f) if !f.as_os_str().is_empty() => f.join(name),
        _ => std::env::current_dir().unwrap_or_default().join(name),
    }
}

pub(super) fn file_stem(file: &ReviewFile) -> String {
    file.document
        .path
        .as_deref()
        .and_then(|p| Path::new(p).file_stem())
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| file.document.title.clone())
}
