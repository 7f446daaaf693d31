//! The claim library: a local store of fact-checks (ours and other publishers'), to find earlier verdicts on a
//! claim.
//!
//! An [`Entry`] holds a fact-check: the claim, the verdict (a ClaimDesk [`Status`] or a publisher's rating kept as
//! written), note, sources, the fact-check's URL, author, date, language, and where it came from. Entries belong to a
//! source ([`SourceInfo`]): an imported feed (a file) or one reviewer's verdicts on one document (keyed by the
//! document's fingerprint and the reviewer). Within a source an entry is keyed by the id the source gives it, kept as
//! written, so two sources may both have an entry `1`.
//!
//! - [`Library`] is the one interface the command line and the window use: [`Library::open`],
//!   [`Library::open_default`], [`Library::import`], [`Library::sync_review`], [`Library::search_text`],
//!   [`Library::stats`], [`Library::list`], [`Library::remove`], [`Library::match_claims`].
//! - [`Store`] is what a store implements: [`sqlite::SqliteStore`] (one SQLite file with FTS5, `library.sqlite` in
//!   the library's folder) today; a PostgreSQL store for a newsroom can implement the same trait later.
//! - [`import`] reads the feed formats (ClaimReview JSON-LD, the Google Fact Check Tools JSON, CSV and TSV) and review
//!   files into [`Record`]s; [`export`] writes entries back out (ClaimReview, CSV), so nothing is trapped here.
//! - Embeddings are computed once, at import, by an [`Embedder`] (the matcher's model, [`matching`]), and stored
//!   beside the entry in the model's encoding; an entry whose embedded text has not changed is never embedded again.
//!
//! Every change is one transaction: an import of several files either lands whole or not at all.

pub mod export;
pub mod import;
pub mod matching;
#[cfg(feature = "shared-library")]
pub mod postgres;
pub mod reuse;
pub mod search;
#[cfg(feature = "shared-library")]
pub mod shared;
pub mod sqlite;
mod store;

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::review::{ReviewFile, Status};

pub use store::{EntryState, IndexRow, SourceUpdate, Store, SyncCounts};

/// The environment variable naming the library's folder (`--library DIR` wins over it).
pub const LIBRARY_ENV: &str = "CLAIMDESK_LIBRARY";

/// The library's folder when none is given: `CLAIMDESK_LIBRARY` when set (and not empty), else `library` in the
/// data folder ([`crate::paths::data_dir`]).
pub fn default_dir() -> PathBuf {
    if let Some(dir) = std::env::var_os(LIBRARY_ENV).filter(|d| !d.is_empty()) {
        return PathBuf::from(dir);
    }
    crate::paths::data_dir().join("library")
}

/// Whether `location` names a PostgreSQL server (`postgres://` or `postgresql://`) rather than a folder.
pub fn is_server_url(location: &str) -> bool {
    let lower = location.trim_start().to_ascii_lowercase();
    lower.starts_with("postgres://") || lower.starts_with("postgresql://")
}

/// `url` (a server's, with a user and no password) with `password` in its user part, percent-encoded: how a password
/// typed at a prompt is handed to the store, in memory only.
pub fn with_password(url: &str, password: &str) -> String {
    let encoded: String = password
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect();
    let redacted = redact(url);
    let Some(start) = redacted.find("://").map(|i| i + 3) else { return redacted };
    let authority_end = redacted[start..].find(['/', '?']).map_or(redacted.len(), |i| start + i);
    match redacted[start..authority_end].rfind('@') {
        Some(at) => format!("{}:{encoded}{}", &redacted[..start + at], &redacted[start + at..]),
        None => redacted,
    }
}

/// `url` without its password (in the user part, or a `password=` parameter): what messages and `stats` show.
pub fn redact(url: &str) -> String {
    let (scheme, rest) = match url.find("://") {
        Some(i) => (&url[..i + 3], &url[i + 3..]),
        None => ("", url),
    };
    let authority_end = rest.find(['/', '?']).unwrap_or(rest.len());
    let (authority, tail) = rest.split_at(authority_end);
    let authority = match authority.rfind('@') {
        Some(at) => {
            let (user_info, host) = authority.split_at(at);
            let user = user_info.split(':').next().unwrap_or("");
            format!("{user}{host}")
        }
        None => authority.to_owned(),
    };
    let tail = match tail.find('?') {
        Some(q) => {
            let (path, query) = tail.split_at(q);
            let kept: Vec<&str> = query[1..]
                .split('&')
                .filter(|p| !p.is_empty() && !p.to_ascii_lowercase().starts_with("password="))
                .collect();
            if kept.is_empty() { path.to_owned() } else { format!("{path}?{}", kept.join("&")) }
        }
        None => tail.to_owned(),
    };
    format!("{scheme}{authority}{tail}")
}

/// Why the library could not do something. Every message names the library's file (or the input file at fault).
#[derive(Debug, thiserror::Error)]
pub enum LibraryError {
    #[error("{path}: cannot create the library's folder: {source}")]
    CreateFolder {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("{path}: is not a folder (--library names the library's folder)")]
    NotAFolder { path: PathBuf },
    #[error("{path}: not a ClaimDesk library ({message}); it was left as it is")]
    NotALibrary { path: PathBuf, message: String },
    #[error(
        "{path}: the library is damaged ({message}); it was left as it is (restore it from a backup, or move it away to start a new one)"
    )]
    Damaged { path: PathBuf, message: String },
    #[error("{path}: the library was made by a newer ClaimDesk (schema {found}; this one reads up to {supported})")]
    TooNew { path: PathBuf, found: i64, supported: i64 },
    #[error("{path}: the library is busy: another process has held it for {seconds} s; try again when it is done")]
    Busy { path: PathBuf, seconds: u64 },
    #[error(
        "{path}: the server asks for a password and none was given (set PGPASSWORD, add it to ~/.pgpass, or run on a terminal to be asked)"
    )]
    PasswordNeeded { path: PathBuf },
    #[error("{path}: cannot reach the shared library's server ({message})")]
    Unreachable { path: PathBuf, message: String },
    #[error(
        "{path}: this database role may not do that ({message}); saving verdicts needs the role claimdesk_reviewer, imports of feeds and removals claimdesk_editor (`claimdesk library setup-roles`)"
    )]
    Refused { path: PathBuf, message: String },
    #[error("{path}: cannot read the library: {message}")]
    Unreadable { path: PathBuf, message: String },
    #[error("{path}: {message}")]
    Database { path: PathBuf, message: String },
    #[error(transparent)]
    Import(#[from] import::ImportError),
    #[error("{0}")]
    NotFound(String),
    #[error("{0}")]
    Ambiguous(String),
}

/// What kind of source an entry came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SourceKind {
    /// A file of other fact-checks (ClaimReview, Fact Check Tools JSON, CSV, TSV).
    Feed,
    /// One reviewer's verdicts on one document, from a review file.
    Review,
}

impl SourceKind {
    pub fn as_str(self) -> &'static str {
        match self {
            SourceKind::Feed => "feed",
            SourceKind::Review => "review",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "feed" => Some(SourceKind::Feed),
            "review" => Some(SourceKind::Review),
            _ => None,
        }
    }
}

/// Where entries come from. Importing the same source again (same [`SourceInfo::key`]) brings its entries to the
/// source's new content.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SourceInfo {
    /// What identifies the source across imports: `file:` and the file's absolute path, `name:` and the name given
    /// with `--source`, or `review:` with the document's fingerprint and the reviewer.
    pub key: String,
    pub kind: SourceKind,
    /// What people see: the file's name, the `--source` name, or the document's title (and reviewer).
    pub name: String,
    /// The detected format (`claimreview`, `factcheck-api`, `csv`, `tsv`, `review`).
    pub format: String,
    /// The file it was last imported from, as given.
    pub path: Option<String>,
    /// For a review source: the document's title, fingerprint, and the reviewer ("" when the file names none).
    pub document_title: Option<String>,
    pub fingerprint: Option<String>,
    pub reviewer: Option<String>,
}

impl SourceInfo {
    /// The source of one reviewer's verdicts on the document of `file`.
    pub fn review(file: &ReviewFile, reviewer: &str, path: Option<&Path>) -> Self {
        let title = file.document.title.clone();
        let name = if reviewer.is_empty() { title.clone() } else { format!("{title} ({reviewer})") };
        Self {
            key: format!("review:{}:{reviewer}", file.document.fingerprint),
            kind: SourceKind::Review,
            name,
            format: "review".to_owned(),
            path: path.map(|p| p.display().to_string()),
            document_title: Some(title),
            fingerprint: Some(file.document.fingerprint.clone()),
            reviewer: Some(reviewer.to_owned()),
        }
    }
}

/// A fact-check as a source gives it: everything an entry holds but where it came from.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Record {
    /// The id the source gives it, kept as written (for a review file, the claim's id).
    pub id: String,
    /// The claim checked.
    pub claim: String,
    /// The fact-check's headline, when the source gives one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// The verdict as written: a ClaimDesk status (`verified`, `disputed`, `unsourced`) or a publisher's rating
    /// ("False", "Mostly true").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub verdict: Option<String>,
    /// Set when the verdict is a ClaimDesk status (entries from review files).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<Status>,
    /// The reviewer's note (kept out of a ClaimReview export unless asked for).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub note: String,
    /// Sources and URLs the verdict rests on.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sources: Vec<String>,
    /// The fact-check's own URL.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// The reviewer or organisation that checked it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub author: Option<String>,
    /// Who made the claim, when the source says.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub claimant: Option<String>,
    /// When the fact-check was published or the verdict last changed, as written.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<String>,
    /// The language, when known (a BCP 47 tag as written, e.g. `en`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub language: Option<String>,
}

impl Record {
    /// The text an embedder reads: the claim, and the title when there is one. When it is unchanged, the stored
    /// embedding is kept.
    pub fn embed_text(&self) -> (&str, Option<&str>) {
        (&self.claim, self.title.as_deref().filter(|t| !t.trim().is_empty()))
    }

    /// A hash of what is embedded (see [`Record::embed_text`]).
    pub fn text_hash(&self) -> [u8; 32] {
        let (claim, title) = self.embed_text();
        let mut h = Sha256::new();
        h.update(claim.as_bytes());
        h.update([0u8]);
        h.update(title.unwrap_or("").as_bytes());
        h.finalize().into()
    }

    /// A hash of every field: an entry whose hash is unchanged is not rewritten on re-import.
    pub fn row_hash(&self) -> [u8; 32] {
        let json = serde_json::to_vec(self).unwrap_or_default();
        Sha256::digest(&json).into()
    }
}

/// An entry of the library: a [`Record`] and its source.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Entry {
    /// The store's own key for the entry (stable while the entry exists; not the source's id).
    #[serde(skip)]
    pub key: i64,
    pub source: SourceInfo,
    #[serde(flatten)]
    pub record: Record,
}

/// Figures for `claimdesk library stats`.
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
pub struct Stats {
    /// The library's database file.
    pub file: PathBuf,
    /// Its size on disk, with its write-ahead log.
    pub bytes: u64,
    pub entries: u64,
    pub sources: u64,
    /// Entries with an embedding from each model.
    pub embedded: BTreeMap<String, u64>,
    /// Entries per source name.
    pub per_source: Vec<(String, String, u64)>,
    /// Entries per verdict (as written, lowercased), the most common first.
    pub verdicts: Vec<(String, u64)>,
}

/// What an import, a sync or a removal changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
pub struct Report {
    pub added: u64,
    pub updated: u64,
    pub removed: u64,
    pub unchanged: u64,
    /// Items of the input that are not fact-checks (another schema.org type in a graph, an unreviewed claim of a
    /// review file, a row repeated word for word).
    pub skipped: u64,
    /// Entries embedded by this import (new or with a changed text).
    pub embedded: u64,
}

impl Report {
    fn add(&mut self, counts: SyncCounts) {
        self.added += counts.added;
        self.updated += counts.updated;
        self.removed += counts.removed;
        self.unchanged += counts.unchanged;
        self.embedded += counts.embedded;
    }
}

impl std::fmt::Display for Report {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} added, {} updated, {} removed, {} unchanged, {} skipped ({} embedded)",
            self.added, self.updated, self.removed, self.unchanged, self.skipped, self.embedded
        )
    }
}

/// How far an import has got, for a progress bar.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Progress {
    /// Files read and checked, of all given.
    Reading { done: usize, total: usize },
    /// Entries embedded, of all that need it.
    Embedding { done: usize, total: usize },
    /// Writing the transaction.
    Writing,
}

/// Turns texts into vectors: the matcher's model. The store keeps each vector as the bytes this returns, with
/// [`Embedder::model`], and hands them back as they were ([`Store::for_each_vector`]): the encoding (the matcher's
/// int8 with a scale, or [`encode_vector`]'s 16-bit floats) is the model's business. Implementations must be
/// deterministic for a given model id: stored vectors are reused while the id and the embedded text are unchanged.
pub trait Embedder: Send + Sync {
    /// A name and version for the model, stored with each vector (`minilm-l6-v2/1`).
    fn model(&self) -> &str;
    /// One encoded vector per `(claim, title)`.
    fn embed(&self, texts: &[(&str, Option<&str>)]) -> Vec<Vec<u8>>;
}

/// Options of [`Library::import`].
#[derive(Default)]
pub struct ImportOptions<'a> {
    /// The source's name instead of the file's path (`--source NAME`): files imported under the same name are the
    /// same source, wherever they are.
    pub source_name: Option<String>,
    /// Embeds new and changed entries; without one, entries are stored without vectors.
    pub embedder: Option<&'a dyn Embedder>,
}

/// One claim to match against the library.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Query {
    /// The query's id as given (a claim id, a table's `id` column, `text` for `--text`).
    pub id: String,
    pub text: String,
    /// The fingerprint of the document the claim is from: entries from the same document are never matched to it.
    pub fingerprint: Option<String>,
}

/// One match of a query.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Match {
    /// From 1.
    pub rank: usize,
    /// Higher is closer; what it means depends on the method ([`search::method`]).
    pub score: f32,
    pub entry: Entry,
}

/// The claim library: one store behind one interface.
pub struct Library {
    store: Box<dyn Store>,
}

impl Library {
    /// Open the library in `dir`, creating the folder and the library on first use. A file there that is not a
    /// library, or is damaged, is an error naming it, and is never replaced.
    pub fn open(dir: &Path) -> Result<Self, LibraryError> {
        Ok(Self { store: Box::new(sqlite::SqliteStore::open(dir)?) })
    }

    /// Open the library at `location`: a PostgreSQL server when it is a `postgres://` or `postgresql://` URL (a
    /// newsroom's shared library, [`postgres::PostgresStore`]), else the folder it names ([`Library::open`]).
    pub fn open_location(location: &Path) -> Result<Self, LibraryError> {
        Self::open_location_with_password(location, None)
    }

    /// [`Library::open_location`], with the password for a server whose URL, `PGPASSWORD` and `~/.pgpass` give none
    /// (typed at a prompt). It is used to connect and kept nowhere else.
    pub fn open_location_with_password(location: &Path, password: Option<&str>) -> Result<Self, LibraryError> {
        let _ = password; // used only when built with the shared library
        match location.to_str() {
            #[cfg(feature = "shared-library")]
            Some(url) if is_server_url(url) => {
                Ok(Self { store: Box::new(postgres::PostgresStore::open_with_password(url.trim(), password)?) })
            }
            #[cfg(not(feature = "shared-library"))]
            Some(url) if is_server_url(url) => Err(LibraryError::Database {
                path: PathBuf::from(redact(url)),
                message: "this build of ClaimDesk has no shared library (built without the `shared-library` feature)"
                    .to_owned(),
            }),
            _ => Self::open(location),
        }
    }

    /// Open the library at `location` for the desk (the window): as [`Library::open_location`], except that a shared
    /// library keeps a local mirror and a queue in the data folder ([`shared::SharedStore`]), so it matches and saves
    /// while its server cannot be reached ([`Library::notice`] says so), and sends the saves when it is back.
    pub fn open_for_desk(location: &Path) -> Result<Self, LibraryError> {
        Self::open_for_desk_in(location, &crate::paths::data_dir())
    }

    /// [`Library::open_for_desk`] with the local copy and the queue of a shared library in `data_dir`.
    pub fn open_for_desk_in(location: &Path, data_dir: &Path) -> Result<Self, LibraryError> {
        let _ = data_dir; // used only when built with the shared library
        #[cfg(feature = "shared-library")]
        if let Some(url) = location.to_str().filter(|l| is_server_url(l)) {
            let store = shared::SharedStore::open(url.trim(), data_dir)?;
            return Ok(Self { store: Box::new(store) });
        }
        Self::open_location(location)
    }

    /// One line about the library's state when there is something to say: a shared library working on its local
    /// copy because its server cannot be reached, saves waiting to be sent.
    pub fn notice(&self) -> Option<String> {
        self.store.notice()
    }

    /// Try a shared library's server again now (when it works offline): sends the saves waiting, refreshes the local
    /// copy. `Ok(true)` when the server is in use afterwards; always for a library in a folder.
    pub fn reconnect(&mut self) -> Result<bool, LibraryError> {
        self.store.reconnect()
    }

    /// Open the library at [`default_dir`] (a folder or a server's URL, see [`Library::open_location`]).
    pub fn open_default() -> Result<Self, LibraryError> {
        Self::open_location(&default_dir())
    }

    /// A library over any store (a second store, or a test double).
    pub fn with_store(store: Box<dyn Store>) -> Self {
        Self { store }
    }

    /// The store's file or address, for messages.
    pub fn location(&self) -> &Path {
        self.store.location()
    }

    /// The store, for what the interface above does not cover (the matcher's index loading).
    pub fn store(&self) -> &dyn Store {
        self.store.as_ref()
    }

    /// Import files (each format detected by content) in one transaction: every file is read and checked first; a
    /// bad row or file is an error naming the file, line and problem, and then nothing is changed. Importing a source
    /// again brings its entries to the source's new content (added, updated, and those gone from it removed).
    pub fn import(
        &mut self,
        paths: &[PathBuf],
        options: &ImportOptions<'_>,
        progress: &mut dyn FnMut(Progress),
    ) -> Result<Report, LibraryError> {
        self.store.require_server()?;
        let mut updates = Vec::new();
        let mut report = Report::default();
        let mut seen_keys: HashMap<String, PathBuf> = HashMap::new();
        for (done, path) in paths.iter().enumerate() {
            progress(Progress::Reading { done, total: paths.len() });
            let read = import::read_file(path, options.source_name.as_deref())?;
            report.skipped += read.skipped;
            for source in read.sources {
                if let Some(earlier) = seen_keys.insert(source.info.key.clone(), path.clone()) {
                    return Err(LibraryError::Import(import::ImportError::at(
                        path,
                        None,
                        format!(
                            "is the same source as {} (`{}`); import one at a time or give each its own --source",
                            earlier.display(),
                            source.info.name
                        ),
                    )));
                }
                updates.push(SourceUpdate { info: source.info, records: source.records });
            }
        }
        progress(Progress::Reading { done: paths.len(), total: paths.len() });
        for counts in self.apply(updates, options.embedder, progress)? {
            report.add(counts);
        }
        Ok(report)
    }

    /// Bring the library to `file`'s verdicts by `reviewer`, in one transaction: every reviewed claim whose review is
    /// `reviewer`'s (or names no reviewer) becomes or updates an entry keyed by the document's fingerprint, the
    /// claim's id and the reviewer; this reviewer's entries of claims now unreviewed or deleted are removed; other
    /// reviewers' entries stay. Nothing is written when nothing changed.
    pub fn sync_review(
        &mut self,
        file: &ReviewFile,
        reviewer: &str,
        embedder: Option<&dyn Embedder>,
    ) -> Result<Report, LibraryError> {
        let (records, skipped) = import::review::records_of(file, reviewer, true);
        let update = SourceUpdate { info: SourceInfo::review(file, reviewer, None), records };
        let mut report = Report { skipped, ..Report::default() };
        for counts in self.apply(vec![update], embedder, &mut |_| {})? {
            report.add(counts);
        }
        Ok(report)
    }

    /// Apply source updates in one transaction, embedding first (outside the write lock) what is new or changed.
    fn apply(
        &mut self,
        updates: Vec<SourceUpdate>,
        embedder: Option<&dyn Embedder>,
        progress: &mut dyn FnMut(Progress),
    ) -> Result<Vec<SyncCounts>, LibraryError> {
        // Unchanged sources cost one read each and no write.
        let mut states = Vec::with_capacity(updates.len());
        for u in &updates {
            states.push(self.store.source_state(&u.info.key)?);
        }
        if updates.iter().zip(&states).all(|(u, s)| store::unchanged(u, s, embedder.map(|e| e.model()))) {
            return Ok(updates
                .iter()
                .map(|u| SyncCounts { unchanged: u.records.len() as u64, ..SyncCounts::default() })
                .collect());
        }
        let mut vectors: HashMap<[u8; 32], Vec<u8>> = HashMap::new();
        if let Some(embedder) = embedder {
            let mut wanted: Vec<&Record> = Vec::new();
            let mut seen = std::collections::HashSet::new();
            for (u, state) in updates.iter().zip(&states) {
                for r in &u.records {
                    let hash = r.text_hash();
                    let fresh = state
                        .get(&r.id)
                        .is_some_and(|s| s.text_hash == hash && s.model.as_deref() == Some(embedder.model()));
                    if !fresh && seen.insert(hash) {
                        wanted.push(r);
                    }
                }
            }
            vectors = embed_all(embedder, &wanted, progress);
        }
        progress(Progress::Writing);
        self.store.apply(&updates, &vectors, embedder)
    }

    /// Entries whose claim or title contain the words of `query` (full-text search, best first), at most `limit`.
    pub fn search_text(&self, query: &str, limit: usize) -> Result<Vec<Entry>, LibraryError> {
        let keys: Vec<i64> = self.store.text_candidates(query, limit, None)?.into_iter().map(|(k, _)| k).collect();
        self.store.entries_by_key(&keys)
    }

    pub fn stats(&self) -> Result<Stats, LibraryError> {
        self.store.stats()
    }

    /// Every entry, ordered by source name and id.
    pub fn list(&self) -> Result<Vec<Entry>, LibraryError> {
        self.store.entries()
    }

    /// Remove entries by the ids their sources gave them, in one transaction. With `source` (a source's name or
    /// key), only that source's; an id held by several sources without `source` is an error listing them; an id
    /// found nowhere is an error. With `source` and no ids, the whole source goes.
    pub fn remove(&mut self, ids: &[String], source: Option<&str>) -> Result<Report, LibraryError> {
        self.store.require_server()?;
        let removed = self.store.remove(ids, source)?;
        Ok(Report { removed, ..Report::default() })
    }

    /// The `top` closest entries to each query, best first: by the matcher when given one, else by full-text
    /// search (see [`search`]). Entries of a query's own document are left out.
    pub fn match_claims(
        &self,
        queries: &[Query],
        top: usize,
        matcher: Option<&search::Matcher>,
    ) -> Result<Vec<Vec<Match>>, LibraryError> {
        match matcher {
            Some(m) => {
                let index = m.index(self.store.as_ref())?;
                m.search(self.store.as_ref(), &index, queries, top)
            }
            None => search::match_claims(self.store.as_ref(), queries, top),
        }
    }

    /// Embed, in one transaction, every entry that has no vector of `embedder`'s model (imported without a model,
    /// or before it changed); returns how many. Does nothing, and writes nothing, when none is missing.
    pub fn embed_missing(
        &mut self,
        embedder: &dyn Embedder,
        progress: &mut dyn FnMut(Progress),
    ) -> Result<usize, LibraryError> {
        const BATCH: usize = 64;
        let missing = self.store.missing_vectors(embedder.model())?;
        if missing.is_empty() {
            return Ok(0);
        }
        let mut vectors = Vec::with_capacity(missing.len());
        progress(Progress::Embedding { done: 0, total: missing.len() });
        for chunk in missing.chunks(BATCH) {
            let texts: Vec<(&str, Option<&str>)> = chunk.iter().map(|(_, c, t)| (c.as_str(), t.as_deref())).collect();
            for ((key, ..), v) in chunk.iter().zip(embedder.embed(&texts)) {
                vectors.push((*key, v));
            }
            progress(Progress::Embedding { done: vectors.len(), total: missing.len() });
        }
        progress(Progress::Writing);
        self.store.put_vectors(embedder.model(), &vectors)?;
        Ok(vectors.len())
    }
}

/// Embed `records` in batches, reporting progress; the encoded vectors keyed by their text hash.
fn embed_all(
    embedder: &dyn Embedder,
    records: &[&Record],
    progress: &mut dyn FnMut(Progress),
) -> HashMap<[u8; 32], Vec<u8>> {
    const BATCH: usize = 64;
    let mut out = HashMap::with_capacity(records.len());
    progress(Progress::Embedding { done: 0, total: records.len() });
    for (i, chunk) in records.chunks(BATCH).enumerate() {
        let texts: Vec<(&str, Option<&str>)> = chunk.iter().map(|r| r.embed_text()).collect();
        for (r, v) in chunk.iter().zip(embedder.embed(&texts)) {
            out.insert(r.text_hash(), v);
        }
        progress(Progress::Embedding { done: (i * BATCH + chunk.len()).min(records.len()), total: records.len() });
    }
    out
}

/// A vector as little-endian 16-bit floats: a compact encoding for an [`Embedder`] of floats (1M x 384 takes 768
/// MB instead of 1.5 GB).
pub fn encode_vector(v: &[f32]) -> Vec<u8> {
    v.iter().flat_map(|x| half::f16::from_f32(*x).to_le_bytes()).collect()
}

/// A vector of [`encode_vector`] back as floats (a trailing odd byte, which it never writes, is ignored).
pub fn decode_vector(bytes: &[u8]) -> Vec<f32> {
    bytes.chunks_exact(2).map(|b| half::f16::from_le_bytes([b[0], b[1]]).to_f32()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    #[cfg(feature = "shared-library")]
    fn a_typed_password_goes_into_the_user_part_percent_encoded() {
        let url = with_password("postgres://alice@db.example:5432/news?sslmode=require", "a:b@c/d e");
        assert_eq!(url, "postgres://alice:a%3Ab%40c%2Fd%20e@db.example:5432/news?sslmode=require");
        assert_eq!(redact(&url), "postgres://alice@db.example:5432/news?sslmode=require");
        // One already there is replaced.
        assert_eq!(with_password("postgres://alice:old@db/news", "new"), "postgres://alice:new@db/news");
        let parsed: ::postgres::Config = url.parse().unwrap();
        assert_eq!(parsed.get_password(), Some(&b"a:b@c/d e"[..]));
    }

    #[test]
    fn redact_removes_the_password_wherever_it_is_written() {
        assert_eq!(redact("postgres://alice:s3cret@db.example:5432/news"), "postgres://alice@db.example:5432/news");
        assert_eq!(redact("postgresql://alice@db/news?sslmode=require"), "postgresql://alice@db/news?sslmode=require");
        assert_eq!(redact("postgres://db/news?password=s3cret&sslmode=require"), "postgres://db/news?sslmode=require");
        assert_eq!(redact("postgres://a:b:c@h/d?PASSWORD=x"), "postgres://a@h/d");
        assert_eq!(redact("postgres://h"), "postgres://h");
    }

    #[test]
    fn urls_name_servers_and_everything_else_is_a_folder() {
        assert!(is_server_url("postgres://h/db"));
        assert!(is_server_url("PostgreSQL://h/db"));
        assert!(!is_server_url("/home/me/library"));
        assert!(!is_server_url("postgres"));
    }

    #[test]
    fn vectors_round_trip_at_half_precision() {
        let v = [0.5f32, -0.25, 0.1, 0.0, 1.0];
        let back = decode_vector(&encode_vector(&v));
        assert_eq!(back.len(), v.len());
        for (a, b) in v.iter().zip(&back) {
            assert!((a - b).abs() < 1e-3, "{a} vs {b}");
        }
    }

    #[test]
    fn text_hash_ignores_fields_that_are_not_embedded() {
        let a = Record { id: "1".into(), claim: "Sales rose.".into(), ..Record::default() };
        let mut b = a.clone();
        b.verdict = Some("False".into());
        assert_eq!(a.text_hash(), b.text_hash());
        assert_ne!(a.row_hash(), b.row_hash());
        b.title = Some("Did sales rise?".into());
        assert_ne!(a.text_hash(), b.text_hash());
    }
}
