//! Claim memory in the window: the library and the matcher, on a thread of their own so the window never waits.
//!
//! [`Memory`] is the window's side: it sends [`Request`]s (match these claims, remember this review's verdicts,
//! search, import, stats) and picks up the [`Reply`]s when [`Memory::has_news`] says some arrived (the window then
//! applies `Command::MemoryNews`). The worker opens the library (created on first use) and loads the matcher only when
//! it has something to match, keeps the matcher's index until the library changes (the store's generation), embeds
//! entries stored without vectors (verdicts remembered on save are stored at once and embedded at the next match),
//! and matches a document's claims in batches, sending each batch as it is done; a newer match request replaces an
//! older one still running. A library that is locked, damaged or gone is one line of status, and the desk works on.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{Receiver, Sender, TryRecvError};

use crate::library::search::Matcher;
use crate::library::{Entry, Library, Query, Report, Stats};
use crate::review::{ClaimId, LibraryRef, ReviewFile};

/// How many matches are kept per claim: three are shown, the rest stand in for dismissed ones.
pub const KEPT: usize = 6;
/// How many matches the editor shows for a claim.
pub const SHOWN: usize = 3;
pub use crate::library::search::{SHOWN_FROM, STRONG};

/// A claim to match: its id and text.
pub type ClaimText = (ClaimId, String);

/// What the window asks the worker.
pub enum Request {
    /// Match these claims of the document with `fingerprint` (its own entries are left out).
    Match {
        fingerprint: String,
        claims: Vec<ClaimText>,
    },
    /// Remember `reviewer`'s verdicts of this review in the library.
    Sync {
        file: Box<ReviewFile>,
        reviewer: String,
    },
    /// Full-text search of the library (File > Library).
    Search {
        text: String,
    },
    Stats,
    /// Import these files (File > Library), with progress.
    Import {
        paths: Vec<PathBuf>,
    },
}

/// What the worker answers.
pub enum Reply {
    /// The shared library's server asks for a password, and none was given.
    NeedsPassword,
    /// The library's own line about its state (a shared library working offline on its local copy, saves waiting
    /// to be sent), or `None` when it has nothing to say.
    Notice(Option<String>),
    /// Matches for some claims of the document with `fingerprint`; `done` on the last batch.
    Matched {
        fingerprint: String,
        found: Vec<(ClaimId, Vec<Found>)>,
        done: bool,
    },
    /// The review's verdicts are in the library.
    Synced(Report),
    Searched(Vec<Entry>),
    Stats(Stats),
    /// An import's progress, as a line and a fraction.
    Progress(String, f32),
    Imported(Report),
    /// What failed, as one line; `off` when the library cannot be used at all.
    Failed {
        message: String,
        off: bool,
    },
}

/// An earlier fact-check found for a claim.
#[derive(Debug, Clone, PartialEq)]
pub struct Found {
    pub entry: Entry,
    /// The matcher's calibrated similarity, 0 to 1.
    pub score: f32,
}

impl Found {
    pub fn is_strong(&self) -> bool {
        self.score >= STRONG
    }
}

/// Whether the library can be used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MemoryStatus {
    /// Working on the first request.
    Starting,
    Ready,
    /// Cannot be used: why, as one line. The desk works on without memory.
    Off(String),
}

/// Matches with several reviewers' verdicts on one earlier claim (the same claim of the same document) kept
/// together where the best of them ranks, the newest verdict first, each with the group's similarity (it is the same
/// claim; the re-ranker's rank features alone made their scores differ). Other matches keep their order.
fn newest_first(matches: Vec<Found>) -> Vec<Found> {
    let same_claim = |f: &Found| {
        let s = &f.entry.source;
        s.fingerprint.as_ref().filter(|_| s.reviewer.is_some()).map(|fp| (fp.clone(), f.entry.record.id.clone()))
    };
    let mut groups: Vec<Vec<Found>> = Vec::new();
    for f in matches {
        let key = same_claim(&f);
        match groups.iter_mut().find(|g| key.is_some() && same_claim(&g[0]) == key) {
            Some(group) => group.push(f),
            None => groups.push(vec![f]),
        }
    }
    groups
        .into_iter()
        .flat_map(|mut group| {
            let best = group.iter().map(|f| f.score).fold(f32::MIN, f32::max);
            group.sort_by(|a, b| b.entry.record.date.cmp(&a.entry.record.date));
            group.into_iter().map(move |f| Found { score: best, ..f })
        })
        .collect()
}

/// The window's side of claim memory.
pub struct Memory {
    tx: Sender<Request>,
    rx: Receiver<Reply>,
    news: Arc<AtomicBool>,
    /// The window's context, so the worker can wake it when an answer arrives.
    wake: Arc<std::sync::OnceLock<egui::Context>>,
    /// Where the library is (a folder).
    pub location: PathBuf,
    pub status: MemoryStatus,
    /// The document the matches are for.
    pub fingerprint: Option<String>,
    /// Matches per claim of that document, best first.
    pub matches: HashMap<ClaimId, Vec<Found>>,
    /// A match request is being worked on.
    pub matching: bool,
    /// The last remembered-verdicts or import report, or failure, as one line for the status bar.
    pub last: Option<String>,
    /// The library's own line about its state (a shared library offline), for the status bar.
    pub notice: Option<String>,
    /// The shared library's server asked for a password none was given: File > Library asks for it.
    pub needs_password: bool,
    /// Matches arrived since the window last looked (`App::memory_news` then refreshes the list's strengths).
    pub answers_in: bool,
    /// File > Library's state.
    pub stats: Option<Stats>,
    pub search_results: Vec<Entry>,
    pub import_progress: Option<(String, f32)>,
}

impl Memory {
    /// Start the worker for the library in `location` (a folder, created on first use, or a server's URL, whose
    /// local copy and queue of saves live in `data_dir`).
    pub fn start(location: PathBuf, data_dir: &Path) -> Self {
        let (tx, requests) = std::sync::mpsc::channel();
        let (replies, rx) = std::sync::mpsc::channel();
        let news = Arc::new(AtomicBool::new(false));
        let wake = Arc::new(std::sync::OnceLock::new());
        let worker =
            Worker::new(location.clone(), data_dir.to_path_buf(), replies, Arc::clone(&news), Arc::clone(&wake));
        std::thread::Builder::new()
            .name("claim-memory".to_owned())
            .spawn(move || {
                // The matcher's parallel scans run on a pool that leaves a core to the window: on two cores, one
                // thread, so a frame never waits for a processor while the library is searched.
                let threads = std::thread::available_parallelism().map_or(1, |n| n.get().saturating_sub(1).max(1));
                match rayon::ThreadPoolBuilder::new()
                    .num_threads(threads)
                    .thread_name(|_| "claim-memory".into())
                    .build()
                {
                    Ok(pool) => pool.install(move || worker.run(requests)),
                    Err(_) => worker.run(requests),
                }
            })
            .map(|_| ())
            .unwrap_or_else(|e| eprintln!("claimdesk: claim memory could not start: {e}"));
        Self {
            tx,
            rx,
            news,
            wake,
            location,
            status: MemoryStatus::Starting,
            fingerprint: None,
            matches: HashMap::new(),
            matching: false,
            last: None,
            notice: None,
            needs_password: false,
            answers_in: false,
            stats: None,
            search_results: Vec::new(),
            import_progress: None,
        }
    }

    /// Let the worker wake the window (`ctx`) when an answer arrives.
    pub fn wake_with(&self, ctx: &egui::Context) {
        let _ = self.wake.set(ctx.clone());
    }

    /// Whether replies are waiting to be picked up ([`Memory::receive`]).
    pub fn has_news(&self) -> bool {
        self.news.load(Ordering::Acquire)
    }

    fn send(&mut self, request: Request) {
        if self.tx.send(request).is_err() {
            self.status = MemoryStatus::Off("claim memory stopped".to_owned());
        }
    }

    /// Match the claims of `file` at its threshold (results replace those of another document).
    pub fn match_file(&mut self, file: &ReviewFile) {
        if matches!(self.status, MemoryStatus::Off(_)) {
            return;
        }
        let fingerprint = file.document.fingerprint.clone();
        if self.fingerprint.as_deref() != Some(fingerprint.as_str()) {
            self.matches.clear();
        }
        self.fingerprint = Some(fingerprint.clone());
        // Only what has no answer yet (the list grew: a lower threshold, a manual claim).
        let claims: Vec<ClaimText> = file
            .claims_at_threshold()
            .filter(|c| !self.matches.contains_key(&c.id))
            .map(|c| (c.id.clone(), c.text.clone()))
            .collect();
        if claims.is_empty() {
            return;
        }
        self.matching = true;
        self.send(Request::Match { fingerprint, claims });
    }

    /// Remember `reviewer`'s verdicts of `file` in the library (and match again: the library changed).
    pub fn remember(&mut self, file: &ReviewFile, reviewer: &str) {
        if matches!(self.status, MemoryStatus::Off(_)) {
            return;
        }
        self.send(Request::Sync { file: Box::new(file.clone()), reviewer: reviewer.to_owned() });
    }

    pub fn search(&mut self, text: &str) {
        self.send(Request::Search { text: text.to_owned() });
    }

    pub fn refresh_stats(&mut self) {
        self.send(Request::Stats);
    }

    pub fn import(&mut self, paths: Vec<PathBuf>) {
        self.import_progress = Some(("Reading…".to_owned(), 0.0));
        self.send(Request::Import { paths });
    }

    /// Take the replies that arrived. Returns whether the library changed (a sync or an import landed), so the
    /// window can match again.
    pub fn receive(&mut self) -> bool {
        self.news.store(false, Ordering::Release);
        let mut changed = false;
        loop {
            match self.rx.try_recv() {
                Ok(reply) => changed |= self.take(reply),
                Err(TryRecvError::Empty) => break,
                Err(TryRecvError::Disconnected) => {
                    self.status = MemoryStatus::Off("claim memory stopped".to_owned());
                    break;
                }
            }
        }
        changed
    }

    fn take(&mut self, reply: Reply) -> bool {
        if self.status == MemoryStatus::Starting && !matches!(reply, Reply::Failed { off: true, .. }) {
            self.status = MemoryStatus::Ready;
        }
        match reply {
            Reply::NeedsPassword => {
                self.needs_password = true;
                false
            }
            Reply::Notice(notice) => {
                self.notice = notice;
                false
            }
            Reply::Matched { fingerprint, found, done } => {
                if self.fingerprint.as_deref() == Some(fingerprint.as_str()) {
                    self.answers_in = true;
                    let found = found.into_iter().map(|(id, matches)| (id, newest_first(matches)));
                    self.matches.extend(found);
                    if done {
                        self.matching = false;
                    }
                }
                false
            }
            Reply::Synced(report) => {
                let changed = report.added + report.updated + report.removed;
                if changed > 0 {
                    self.last = Some(format!("Library: {changed} of your verdicts remembered"));
                }
                changed > 0
            }
            Reply::Searched(entries) => {
                self.search_results = entries;
                false
            }
            Reply::Stats(stats) => {
                self.stats = Some(stats);
                false
            }
            Reply::Progress(line, fraction) => {
                self.import_progress = Some((line, fraction));
                false
            }
            Reply::Imported(report) => {
                self.import_progress = None;
                self.last = Some(format!("Library: imported ({report})"));
                true
            }
            Reply::Failed { message, off } => {
                self.import_progress = None;
                self.matching = false;
                if off {
                    self.status = MemoryStatus::Off(message);
                } else {
                    self.last = Some(message);
                }
                false
            }
        }
    }

    /// The matches to show for claim `id`: best first, those dismissed for it left out, at most [`SHOWN`].
    pub fn shown_for(&self, id: &ClaimId, dismissed: &[LibraryRef]) -> Vec<&Found> {
        let Some(found) = self.matches.get(id) else { return Vec::new() };
        found
            .iter()
            .filter(|f| f.score >= SHOWN_FROM)
            .filter(|f| !dismissed.iter().any(|d| d.source == f.entry.source.key && d.id == f.entry.record.id))
            .take(SHOWN)
            .collect()
    }

    /// The best match shown for claim `id`, if any.
    pub fn best_for(&self, id: &ClaimId, dismissed: &[LibraryRef]) -> Option<&Found> {
        self.shown_for(id, dismissed).into_iter().next()
    }
}

/// The worker's state: the library, opened on first use, the matcher, loaded when there is something to match, and
/// the matcher's index with the library's generation it was built at.
struct Worker {
    location: PathBuf,
    data_dir: PathBuf,
    replies: Sender<Reply>,
    news: Arc<AtomicBool>,
    wake: Arc<std::sync::OnceLock<egui::Context>>,
    library: Option<Library>,
    matcher: Option<Matcher>,
    index: Option<(u64, crate::library::matching::MatchIndex)>,
}

/// How many claims are matched between two looks at the request queue.
const BATCH: usize = 16;

impl Worker {
    fn new(
        location: PathBuf,
        data_dir: PathBuf,
        replies: Sender<Reply>,
        news: Arc<AtomicBool>,
        wake: Arc<std::sync::OnceLock<egui::Context>>,
    ) -> Self {
        Self { location, data_dir, replies, news, wake, library: None, matcher: None, index: None }
    }

    fn reply(&self, reply: Reply) {
        if self.replies.send(reply).is_ok() {
            self.news.store(true, Ordering::Release);
            if let Some(ctx) = self.wake.get() {
                ctx.request_repaint();
            }
        }
    }

    fn run(mut self, requests: Receiver<Request>) {
        let mut queued: std::collections::VecDeque<Request> = std::collections::VecDeque::new();
        loop {
            let request = match queued.pop_front() {
                Some(r) => r,
                None => match requests.recv() {
                    Ok(r) => r,
                    Err(_) => return, // the window is gone
                },
            };
            // A newer match replaces an older one waiting behind it.
            queued.extend(requests.try_iter());
            if matches!(request, Request::Match { .. }) && queued.iter().any(|r| matches!(r, Request::Match { .. })) {
                continue;
            }
            // (A shared library working offline tries its server again by itself, at most every 30 s, on a request,
            // and sends the saves waiting when it is back.)
            if let Err(message) = self.serve(request, &requests, &mut queued) {
                let off = self.library.is_none();
                self.reply(Reply::Failed { message, off });
            }
            let notice = self.library.as_ref().and_then(Library::notice);
            self.reply(Reply::Notice(notice));
        }
    }

    /// The library, opened (and created) on first use.
    fn library(&mut self) -> Result<&mut Library, String> {
        if self.library.is_none() {
            let library = Library::open_for_desk_in(&self.location, &self.data_dir).map_err(|e| {
                if matches!(e, crate::library::LibraryError::PasswordNeeded { .. }) {
                    self.reply(Reply::NeedsPassword);
                }
                format!("Claim memory off: {e}")
            })?;
            self.library = Some(library);
        }
        self.library.as_mut().ok_or_else(|| "Claim memory off".to_owned())
    }

    fn serve(
        &mut self,
        request: Request,
        requests: &Receiver<Request>,
        queued: &mut std::collections::VecDeque<Request>,
    ) -> Result<(), String> {
        match request {
            Request::Match { fingerprint, claims } => self.match_claims(fingerprint, claims, requests, queued),
            Request::Sync { file, reviewer } => {
                // Stored at once without vectors (cheap, and the model need not be loaded to save); embedded at the
                // next match.
                let report = self.library()?.sync_review(&file, &reviewer, None).map_err(|e| {
                    format!("Your verdicts are saved in the review file but were not added to the library: {e}")
                })?;
                self.reply(Reply::Synced(report));
                Ok(())
            }
            Request::Search { text } => {
                let found = self.library()?.search_text(&text, 50).map_err(|e| e.to_string())?;
                self.reply(Reply::Searched(found));
                Ok(())
            }
            Request::Stats => {
                let stats = self.library()?.stats().map_err(|e| e.to_string())?;
                self.reply(Reply::Stats(stats));
                Ok(())
            }
            Request::Import { paths } => {
                self.load_matcher()?;
                let replies = self.replies.clone();
                let news = Arc::clone(&self.news);
                let wake = Arc::clone(&self.wake);
                let mut progress = |p: crate::library::Progress| {
                    use crate::library::Progress;
                    let (line, fraction) = match p {
                        Progress::Reading { done, total } => {
                            (format!("Reading {done} of {total} files"), done as f32 / total.max(1) as f32 * 0.1)
                        }
                        Progress::Embedding { done, total } => (
                            format!("Embedding {done} of {total} fact-checks"),
                            0.1 + done as f32 / total.max(1) as f32 * 0.85,
                        ),
                        Progress::Writing => ("Writing".to_owned(), 0.97),
                    };
                    if replies.send(Reply::Progress(line, fraction)).is_ok() {
                        news.store(true, Ordering::Release);
                        if let Some(ctx) = wake.get() {
                            ctx.request_repaint();
                        }
                    }
                };
                let matcher = self.matcher.take();
                let options = crate::library::ImportOptions {
                    source_name: None,
                    embedder: matcher.as_ref().map(|m| m as &dyn crate::library::Embedder),
                };
                let result = self.library()?.import(&paths, &options, &mut progress).map_err(|e| e.to_string());
                self.matcher = matcher;
                self.reply(Reply::Imported(result?));
                Ok(())
            }
        }
    }

    fn load_matcher(&mut self) -> Result<(), String> {
        if self.matcher.is_none() {
            self.matcher = Some(Matcher::load().map_err(|e| format!("Claim memory off: {e}"))?);
        }
        Ok(())
    }

    fn match_claims(
        &mut self,
        fingerprint: String,
        claims: Vec<ClaimText>,
        requests: &Receiver<Request>,
        queued: &mut std::collections::VecDeque<Request>,
    ) -> Result<(), String> {
        let library = self.library()?;
        let entries = library.stats().map_err(|e| e.to_string())?.entries;
        if entries == 0 || claims.is_empty() {
            // Nothing checked before: no model to load.
            let found = claims.into_iter().map(|(id, _)| (id, Vec::new())).collect();
            self.reply(Reply::Matched { fingerprint, found, done: true });
            return Ok(());
        }
        self.load_matcher()?;
        let (Some(library), Some(matcher)) = (self.library.as_mut(), self.matcher.as_ref()) else {
            return Err("Claim memory off".to_owned());
        };
        // Verdicts remembered on save were stored without vectors: embedded now, once.
        library.embed_missing(matcher, &mut |_| {}).map_err(|e| e.to_string())?;
        let generation = library.store().generation().map_err(|e| e.to_string())?;
        if self.index.as_ref().is_none_or(|(g, _)| *g != generation) {
            let index = matcher.index(library.store()).map_err(|e| e.to_string())?;
            self.index = Some((generation, index));
        }
        let Some((_, index)) = self.index.as_ref() else { return Err("Claim memory off".to_owned()) };
        let total = claims.len();
        for (n, batch) in claims.chunks(BATCH).enumerate() {
            let queries: Vec<Query> = batch
                .iter()
                .map(|(id, text)| Query {
                    id: id.to_string(),
                    text: text.clone(),
                    fingerprint: Some(fingerprint.clone()),
                })
                .collect();
            let results = matcher.search(library.store(), index, &queries, KEPT).map_err(|e| e.to_string())?;
            let found = batch
                .iter()
                .zip(results)
                .map(|((id, _), matches)| {
                    (id.clone(), matches.into_iter().map(|m| Found { entry: m.entry, score: m.score }).collect())
                })
                .collect();
            let done = (n + 1) * BATCH >= total;
            if self.replies.send(Reply::Matched { fingerprint: fingerprint.clone(), found, done }).is_ok() {
                self.news.store(true, Ordering::Release);
                if let Some(ctx) = self.wake.get() {
                    ctx.request_repaint();
                }
            }
            // A newer request waiting: this match gives way (a newer match replaces it; anything else goes first).
            queued.extend(requests.try_iter());
            if !done && !queued.is_empty() {
                let newer = queued.iter().any(|r| matches!(r, Request::Match { .. }));
                if newer {
                    return Ok(());
                }
                let rest: Vec<ClaimText> = claims[(n + 1) * BATCH..].to_vec();
                queued.push_back(Request::Match { fingerprint, claims: rest });
                return Ok(());
            }
        }
        Ok(())
    }
}

/// File > Library: the library's figures, a search, another folder to use, and files to import.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct LibraryDialog {
    /// Words to search the library for.
    pub search: String,
    /// A folder typed to use as the library.
    pub folder: String,
    /// A path typed to import.
    pub import: String,
    /// The shared library's password, typed when its server asks (used for this run, kept nowhere).
    pub password: String,
}

/// The library folder the window uses: `--library DIR` when given, else the one chosen in File > Library, else
/// `CLAIMDESK_LIBRARY`, else `library` in the window's data folder.
pub fn location(given: Option<&Path>, chosen: Option<&Path>, data_dir: &Path) -> PathBuf {
    if let Some(p) = given.or(chosen) {
        return p.to_path_buf();
    }
    match std::env::var_os(crate::library::LIBRARY_ENV).filter(|v| !v.is_empty()) {
        Some(dir) => PathBuf::from(dir),
        None => data_dir.join("library"),
    }
}

/// What claim memory's commands do.
impl super::app::App {
    /// Take claim memory's answers; when the library changed (verdicts remembered, an import), match again.
    pub(super) fn memory_news(&mut self) {
        if self.memory.receive() {
            self.match_claims(true);
        }
        // Strengths walk every claim: only when answers came in (not for a notice, stats or a search).
        if std::mem::take(&mut self.memory.answers_in) {
            self.refresh_match_strengths();
        }
    }

    /// The best match's score of each claim, for the list's mark, filter and sort.
    pub(super) fn refresh_match_strengths(&mut self) {
        let Some(s) = &mut self.session else { return };
        let mut strengths = HashMap::new();
        for c in &s.file.claims {
            if let Some(best) = self.memory.best_for(&c.id, &c.dismissed) {
                strengths.insert(c.id.clone(), best.score);
            }
        }
        s.set_match_strengths(strengths);
    }

    /// Reuse match `index` (of those shown) for claim `id`, or the selected claim's best (`u`). A rating that says
    /// neither true nor false asks which status first.
    pub(super) fn reuse_match(&mut self, target: Option<(ClaimId, usize)>, status: Option<crate::review::Status>) {
        let Some(s) = &self.session else { return };
        let Some((id, index)) = target.or_else(|| s.selected.clone().map(|id| (id, 0))) else { return };
        let Some(before) = s.file.claim(&id).map(|c| c.review.clone()) else { return };
        let dismissed = s.file.claim(&id).map(|c| c.dismissed.clone()).unwrap_or_default();
        let Some(found) = self.memory.shown_for(&id, &dismissed).get(index).map(|f| (*f).clone()) else {
            // Not an error: there is nothing to reuse (yet).
            self.message = Some(if self.memory.matching {
                "Claim memory is still matching this document's claims; u works once this one's are in".to_owned()
            } else {
                "Nothing checked before to reuse for this claim".to_owned()
            });
            return;
        };
        let Some(status) = status.or_else(|| crate::library::reuse::status_for(&found.entry)) else {
            self.reuse_ask = Some((id, index));
            return;
        };
        self.reuse_ask = None;
        let reviewer = self.prefs.reviewer.trim().to_owned();
        let Some(s) = &mut self.session else { return };
        let mut after = crate::library::reuse::reused_review(&before, &found.entry, status);
        after.changed = Some(crate::review::now_rfc3339());
        if !reviewer.is_empty() {
            after.reviewer = Some(reviewer);
        }
        let next = s.neighbour(1);
        s.history.seal();
        if let Err(e) = s.edit(crate::review::edit::Edit::SetReview { id: id.clone(), before, after }, None) {
            self.fail(e);
            return;
        }
        // As `1` to `3` do: on to the next claim.
        if s.selected.as_ref() == Some(&id) && next.as_ref() != Some(&id) {
            s.select(next);
        }
    }

    /// Dismiss match `index` (of those shown) for claim `id`: kept in the review file, never offered for it again.
    pub(super) fn dismiss_match(&mut self, id: &ClaimId, index: usize) {
        let Some(s) = &mut self.session else { return };
        let Some(claim) = s.file.claim(id) else { return };
        let Some(found) = self.memory.shown_for(id, &claim.dismissed).get(index).map(|f| (*f).clone()) else { return };
        let before = claim.dismissed.clone();
        let mut after = before.clone();
        after.push(crate::library::reuse::library_ref(&found.entry));
        s.history.seal();
        let edit = crate::review::edit::Edit::SetDismissed { id: id.clone(), before, after };
        if let Err(e) = s.edit(edit, None) {
            self.fail(e);
        }
        self.refresh_match_strengths();
    }

    /// Use the library given on the command line (`--library`) for this run; the preference is left as it is.
    pub fn use_library_given(&mut self, folder: PathBuf) {
        self.library_given = Some(folder.clone());
        self.memory = Memory::start(folder, &self.data_dir);
    }

    /// Use the library in `folder` (`None`: the default one), from now on and in later runs.
    /// Connect to the shared library again, with the password typed in File > Library (in memory only: the
    /// preferences keep the URL without it).
    pub(super) fn library_password(&mut self, password: String) {
        let url = self.memory.location.to_string_lossy().into_owned();
        if !crate::library::is_server_url(&url) {
            return;
        }
        let location = PathBuf::from(crate::library::with_password(&url, &password));
        self.memory = Memory::start(location, &self.data_dir);
        self.memory.refresh_stats();
        self.match_claims(true);
    }

    pub(super) fn use_library(&mut self, folder: Option<PathBuf>) {
        // A server's URL is remembered without its password (which is used for this run only).
        self.prefs.library = folder.as_ref().map(|f| match f.to_str() {
            Some(url) if crate::library::is_server_url(url) => PathBuf::from(crate::library::redact(url)),
            _ => f.clone(),
        });
        self.prefs_dirty = true;
        let location = location(folder.as_deref(), None, &self.data_dir);
        self.memory = Memory::start(location, &self.data_dir);
        self.memory.refresh_stats();
        self.match_claims(true);
    }

    /// Import `paths` into the library, or ask which file.
    pub(super) fn import_into_library(&mut self, paths: Option<Vec<PathBuf>>) {
        let paths = match paths {
            Some(p) => p,
            None => match self.dialogs.open(super::dialogs::Purpose::ImportFeed) {
                Some(p) => vec![p],
                None => {
                    if !self.dialogs.available() {
                        self.message = Some("Type the file's path in File > Library to import it".to_owned());
                    }
                    return;
                }
            },
        };
        if !paths.is_empty() {
            self.memory.import(paths);
        }
    }
}
