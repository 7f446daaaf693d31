//! The claim library's commands: `library import`, `stats`, `list`, `remove`, `export`, and `match`.
//!
//! The library is the folder given with `--library DIR`, else `CLAIMDESK_LIBRARY`, else `library` in the data folder
//! (`library::default_dir`); it is created on first use. A `postgres://` or `postgresql://` URL there names a shared
//! library on a PostgreSQL server instead (`Library::open_location`).

use std::io::IsTerminal;
use std::path::{Path, PathBuf};

use clap::{Subcommand, ValueEnum};

use super::{Failure, write_output};
use crate::library::search::Matcher;
use crate::library::{self, Library, Match, Progress, Query};
use crate::review;

#[derive(Debug, Subcommand)]
pub enum LibraryCommand {
    /// Import fact-checks: ClaimDesk review files, ClaimReview JSON-LD (object, array, @graph, JSON Lines, DataFeed),
    /// Fact Check Tools JSON, CSV or TSV (each detected by content). Importing a source again brings the library to
    /// its new content. All files in one transaction: a bad row or file changes nothing.
    Import {
        #[arg(required = true, num_args = 1.., value_name = "FILE")]
        files: Vec<PathBuf>,
        /// Name the source instead of identifying it by the file's path: files imported under one name are one
        /// source, wherever they are (a feed downloaded afresh each day).
        #[arg(long, value_name = "NAME")]
        source: Option<String>,
        /// Store without embedding (tests of the store itself, in debug builds where the model is slow); the next
        /// import or match embeds what is missing.
        #[arg(long, hide = true)]
        no_embedding: bool,
    },
    /// How many entries, sources, verdicts and embeddings the library holds, and its size on disk.
    Stats,
    /// Every entry: source, id, verdict, date, author, claim.
    List {
        #[arg(long, value_enum, default_value_t = TableFormat::Tsv)]
        format: TableFormat,
    },
    /// Remove entries by the ids their sources gave them (`--source NAME` alone removes the whole source).
    Remove {
        #[arg(value_name = "ID")]
        ids: Vec<String>,
        /// Only this source's entries (its name, as `library stats` shows it).
        #[arg(long, value_name = "NAME")]
        source: Option<String>,
    },
    /// On a shared library's server (`--library postgres://...`), as the tables' owner: create the roles
    /// claimdesk_reader (match), claimdesk_reviewer (also its own verdicts) and claimdesk_editor (also feeds and
    /// removals), to be granted to each person's login role.
    SetupRoles,
    /// Write every entry out as ClaimReview JSON-LD or CSV.
    Export {
        #[arg(long, value_enum)]
        format: LibraryExportFormat,
        /// Include reviewers' notes (ClaimReview's ratingExplanation); CSV always has them.
        #[arg(long)]
        include_notes: bool,
        /// Where to write (`-`: standard output).
        #[arg(short, long, value_name = "OUT")]
        output: PathBuf,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum TableFormat {
    Tsv,
    Json,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum LibraryExportFormat {
    Claimreview,
    Csv,
}

/// The matcher (its model is compiled in), loaded once per command that embeds or matches.
fn matcher() -> Result<Matcher, Failure> {
    Ok(Matcher::load()?)
}

/// A progress bar on standard error when it is a terminal (else hidden), following an import's or an embedding's
/// [`Progress`].
struct Bar {
    bar: indicatif::ProgressBar,
    stage: u8,
}

impl Bar {
    fn new() -> Self {
        let bar = if std::io::stderr().is_terminal() {
            indicatif::ProgressBar::new(0)
        } else {
            indicatif::ProgressBar::hidden()
        };
        Self { bar, stage: 0 }
    }

    fn style(template: &str) -> indicatif::ProgressStyle {
        indicatif::ProgressStyle::with_template(template).unwrap_or_else(|_| indicatif::ProgressStyle::default_bar())
    }

    fn show(&mut self, p: Progress) {
        match p {
            Progress::Reading { done, total } => {
                if self.stage != 1 {
                    self.stage = 1;
                    self.bar.set_style(Self::style("{bar:40} {pos}/{len} files read, {elapsed}"));
                    self.bar.set_length(total as u64);
                }
                self.bar.set_position(done as u64);
            }
            Progress::Embedding { done, total } => {
                if self.stage != 2 {
                    self.stage = 2;
                    self.bar.set_style(Self::style("{bar:40} {pos}/{len} embedded, {per_sec}, {elapsed} (eta {eta})"));
                    self.bar.set_length(total as u64);
                    self.bar.reset_eta();
                }
                self.bar.set_position(done as u64);
            }
            Progress::Writing => {
                self.stage = 3;
                self.bar.set_style(Self::style("{spinner} writing the library, {elapsed}"));
                self.bar.tick();
            }
        }
    }

    fn finish(self) {
        self.bar.finish_and_clear();
    }
}

fn open(dir: Option<&Path>) -> Result<Library, Failure> {
    let dir = dir.map(Path::to_path_buf).unwrap_or_else(library::default_dir);
    match Library::open_location(&dir) {
        // A shared library's server asks for a password that nothing gave: on a terminal, ask for it (not echoed).
        Err(library::LibraryError::PasswordNeeded { path }) if std::io::stdin().is_terminal() => {
            let password = read_password(&format!("Password for {}: ", path.display()))
                .map_err(|e| Failure::input(format!("{}: cannot read the password: {e}", path.display())))?;
            Ok(Library::open_location_with_password(&dir, Some(&password))?)
        }
        other => Ok(other?),
    }
}

/// A line typed on the terminal with echo off (the prompt on standard error); the echo is restored afterwards.
fn read_password(prompt: &str) -> std::io::Result<String> {
    use std::io::{BufRead, Write};
    eprint!("{prompt}");
    std::io::stderr().flush()?;
    // SAFETY: tcgetattr/tcsetattr on standard input, a terminal (checked by the caller), with a zeroed termios that
    // tcgetattr fills before it is read.
    let saved = unsafe {
        let mut t: libc::termios = std::mem::zeroed();
        if libc::tcgetattr(0, &mut t) != 0 {
            return Err(std::io::Error::last_os_error());
        }
        let saved = t;
        t.c_lflag &= !libc::ECHO;
        t.c_lflag |= libc::ECHONL;
        if libc::tcsetattr(0, libc::TCSANOW, &t) != 0 {
            return Err(std::io::Error::last_os_error());
        }
        saved
    };
    let mut line = String::new();
    let read = std::io::stdin().lock().read_line(&mut line);
    // SAFETY: as above; restores the settings read before.
    unsafe {
        libc::tcsetattr(0, libc::TCSANOW, &saved);
    }
    read?;
    Ok(line.trim_end_matches(['\n', '\r']).to_owned())
}

pub(super) fn run_library(dir: Option<&Path>, command: LibraryCommand) -> Result<(), Failure> {
    if let LibraryCommand::SetupRoles = command {
        return setup_roles(dir);
    }
    let mut lib = open(dir)?;
    match command {
        LibraryCommand::Import { files, source, no_embedding } => import(&mut lib, &files, source, !no_embedding),
        LibraryCommand::Stats => stats(&lib),
        LibraryCommand::SetupRoles => setup_roles(dir),
        LibraryCommand::List { format } => list(&lib, format),
        LibraryCommand::Remove { ids, source } => {
            if ids.is_empty() && source.is_none() {
                return Err(Failure {
                    code: 2,
                    message: "library remove: give the ids to remove, or --source NAME".to_owned(),
                });
            }
            let report = lib.remove(&ids, source.as_deref())?;
            println!(
                "{}: removed {} entr{}",
                lib.location().display(),
                report.removed,
                if report.removed == 1 { "y" } else { "ies" }
            );
            Ok(())
        }
        LibraryCommand::Export { format, include_notes, output } => {
            let entries = lib.list()?;
            let bytes = match format {
                LibraryExportFormat::Claimreview => library::export::claimreview(&entries, include_notes),
                LibraryExportFormat::Csv => library::export::csv(&entries)
                    .map_err(|e| Failure::input(format!("{}: cannot write CSV: {e}", output.display())))?,
            };
            write_output(Some(&output), &bytes)?;
            if output != Path::new("-") {
                eprintln!("claimdesk: wrote {} entries to {}", entries.len(), output.display());
            }
            Ok(())
        }
    }
}

fn setup_roles(dir: Option<&Path>) -> Result<(), Failure> {
    let location = dir.map(Path::to_path_buf).unwrap_or_else(library::default_dir);
    let url = location.to_str().filter(|l| library::is_server_url(l)).ok_or_else(|| Failure {
        code: 2,
        message: "library setup-roles: --library must name a PostgreSQL server (postgres://USER@HOST:PORT/DB)"
            .to_owned(),
    })?;
    #[cfg(feature = "shared-library")]
    {
        let mut store = library::postgres::PostgresStore::open(url)?;
        store.setup_roles()?;
        println!(
            "{}: roles claimdesk_reader, claimdesk_reviewer and claimdesk_editor are ready; grant one to each reviewer \
             (GRANT claimdesk_reviewer TO alice)",
            library::redact(url)
        );
        Ok(())
    }
    #[cfg(not(feature = "shared-library"))]
    Err(Failure::input(format!("{}: this build of ClaimDesk has no shared library", library::redact(url))))
}

fn import(lib: &mut Library, files: &[PathBuf], source: Option<String>, embed: bool) -> Result<(), Failure> {
    let model = if embed { Some(matcher()?) } else { None };
    let embedder = model.as_ref().map(|m| m as &dyn library::Embedder);
    let options = library::ImportOptions { source_name: source, embedder };
    let mut bar = Bar::new();
    let report = lib.import(files, &options, &mut |p| bar.show(p));
    let report = report.and_then(|r| {
        // Entries imported before the model was built in (or without it) are embedded now, once.
        let earlier = match &model {
            Some(m) => lib.embed_missing(m, &mut |p| bar.show(p))?,
            None => 0,
        };
        Ok((r, earlier))
    });
    bar.finish();
    let (report, earlier) = report?;
    println!("{}: {report}", lib.location().display());
    if earlier > 0 {
        println!("{}: {earlier} entries imported earlier without embeddings were embedded", lib.location().display());
    }
    Ok(())
}

fn stats(lib: &Library) -> Result<(), Failure> {
    let s = lib.stats()?;
    println!("library: {} ({:.1} MB)", s.file.display(), s.bytes as f64 / 1e6);
    println!("entries: {} from {} source(s)", s.entries, s.sources);
    if s.embedded.is_empty() {
        println!("embedded: none");
    }
    for (model, n) in &s.embedded {
        println!("embedded: {n} by {model}");
    }
    println!("sources:");
    for (name, kind, n) in &s.per_source {
        println!("  {n}\t{kind}\t{name}");
    }
    println!("verdicts:");
    for (verdict, n) in &s.verdicts {
        println!("  {n}\t{}", if verdict.is_empty() { "(none)" } else { verdict });
    }
    Ok(())
}

/// Tabs and line breaks inside a field would break the one-line-per-row shape: they become spaces.
fn tsv_field(s: &str) -> String {
    s.chars().map(|c| if matches!(c, '\t' | '\n' | '\r') { ' ' } else { c }).collect()
}

fn print(out: &str) -> Result<(), Failure> {
    write_output(None, out.as_bytes())
}

fn list(lib: &Library, format: TableFormat) -> Result<(), Failure> {
    let entries = lib.list()?;
    match format {
        TableFormat::Json => {
            let mut json = serde_json::to_string_pretty(&entries).map_err(Failure::input)?;
            json.push('\n');
            print(&json)
        }
        TableFormat::Tsv => {
            let mut out = String::from("source\tid\tverdict\tdate\tauthor\tclaim\n");
            for e in &entries {
                let r = &e.record;
                let o = |v: &Option<String>| tsv_field(v.as_deref().unwrap_or(""));
                out.push_str(&format!(
                    "{}\t{}\t{}\t{}\t{}\t{}\n",
                    tsv_field(&e.source.name),
                    tsv_field(&r.id),
                    o(&r.verdict),
                    o(&r.date),
                    o(&r.author),
                    tsv_field(&r.claim)
                ));
            }
            print(&out)
        }
    }
}

/// `claimdesk match`: the queries of INPUT (or `--text`), matched against the library.
pub(super) fn run_match(
    dir: Option<&Path>,
    input: Option<&Path>,
    text: Option<String>,
    top: usize,
    format: TableFormat,
    embed: bool,
) -> Result<(), Failure> {
    let queries = match (input, text) {
        (None, Some(text)) if !text.trim().is_empty() => {
            vec![Query { id: "text".to_owned(), text: text.trim().to_owned(), fingerprint: None }]
        }
        (None, Some(_)) => return Err(Failure { code: 2, message: "--text: the claim is empty".to_owned() }),
        (Some(path), None) => queries_of(path)?,
        _ => {
            return Err(Failure {
                code: 2,
                message: "match: give an INPUT file or --text \"CLAIM\", not both".to_owned(),
            });
        }
    };
    let (lib, model) = ready_to_match(dir, embed)?;
    let results = lib.match_claims(&queries, top, model.as_ref())?;
    match format {
        TableFormat::Tsv => print(&match_tsv(&queries, &results)),
        TableFormat::Json => {
            let mut json = serde_json::to_string_pretty(&match_json(&queries, &results)).map_err(Failure::input)?;
            json.push('\n');
            print(&json)
        }
    }
}

/// The library, and the matcher when `embed` (else matching is by full-text search alone), with every entry embedded
/// that was imported without a vector (once, with progress).
pub(super) fn ready_to_match(dir: Option<&Path>, embed: bool) -> Result<(Library, Option<Matcher>), Failure> {
    let mut lib = open(dir)?;
    let model = if embed { Some(matcher()?) } else { None };
    if let Some(m) = &model {
        let mut bar = Bar::new();
        let embedded = lib.embed_missing(m, &mut |p| bar.show(p));
        bar.finish();
        let embedded = match embedded {
            // A read-only role of a shared library matches what is embedded; the rest waits for a role that may
            // write.
            Err(e @ library::LibraryError::Refused { .. }) => {
                eprintln!("claimdesk: entries without embeddings are left out: {e}");
                0
            }
            other => other?,
        };
        if embedded > 0 {
            eprintln!(
                "claimdesk: {}: embedded the entries imported without embeddings (once)",
                lib.location().display()
            );
        }
    }
    Ok((lib, model))
}

/// The TSV header of `claimdesk match`.
pub const MATCH_COLUMNS: &str = "query_id\trank\tid\tsource\tscore\tverdict\tdate\tclaim";

fn match_tsv(queries: &[Query], results: &[Vec<Match>]) -> String {
    let mut out = format!("{MATCH_COLUMNS}\n");
    for (q, matches) in queries.iter().zip(results) {
        for m in matches {
            let r = &m.entry.record;
            out.push_str(&format!(
                "{}\t{}\t{}\t{}\t{:.4}\t{}\t{}\t{}\n",
                tsv_field(&q.id),
                m.rank,
                tsv_field(&r.id),
                tsv_field(&m.entry.source.name),
                m.score,
                tsv_field(r.verdict.as_deref().unwrap_or("")),
                tsv_field(r.date.as_deref().unwrap_or("")),
                tsv_field(&r.claim)
            ));
        }
    }
    out
}

/// One match as `match --format json` and `extract --matches` write it.
pub(super) fn match_entry(m: &Match) -> serde_json::Value {
    let r = &m.entry.record;
    serde_json::json!({
        "rank": m.rank,
        "id": r.id,
        "source": m.entry.source.name,
        "score": m.score,
        "verdict": r.verdict,
        "date": r.date,
        "claim": r.claim,
        "url": r.url,
        "author": r.author,
    })
}

fn match_json(queries: &[Query], results: &[Vec<Match>]) -> serde_json::Value {
    let entry = match_entry;
    serde_json::Value::Array(
        queries
            .iter()
            .zip(results)
            .map(|(q, matches)| {
                serde_json::json!({
                    "query_id": q.id,
                    "query": q.text,
                    "matches": matches.iter().map(entry).collect::<Vec<_>>(),
                })
            })
            .collect(),
    )
}

/// The queries of a match INPUT: a review file's claims (`.json`), a table's rows (`.tsv`, `.csv`: columns `id` and
/// `text`), or else a document's claims, extracted first.
fn queries_of(path: &Path) -> Result<Vec<Query>, Failure> {
    let ext = path.extension().and_then(|e| e.to_str()).map(str::to_ascii_lowercase).unwrap_or_default();
    match ext.as_str() {
        "json" => {
            let file = review::file::load(path)?;
            Ok(claims_as_queries(&file))
        }
        "tsv" | "csv" => table_queries(path, if ext == "tsv" { b'\t' } else { b',' }),
        _ => {
            let doc = crate::document::load(path)?;
            let file = review::ReviewFile::extract(&doc, &crate::extract::Extractor::default());
            Ok(claims_as_queries(&file))
        }
    }
}

pub(super) fn claims_as_queries(file: &review::ReviewFile) -> Vec<Query> {
    file.claims_at_threshold()
        .map(|c| Query {
            id: c.id.to_string(),
            text: c.text.split_whitespace().collect::<Vec<_>>().join(" "),
            fingerprint: Some(file.document.fingerprint.clone()),
        })
        .collect()
}

fn table_queries(path: &Path, delimiter: u8) -> Result<Vec<Query>, Failure> {
    let text = library::import::read_text(path)?;
    let err = |line: Option<u64>, m: String| Failure::input(library::import::ImportError::at(path, line, m));
    let mut reader = csv::ReaderBuilder::new().delimiter(delimiter).from_reader(text.as_bytes());
    let header = reader.headers().map_err(|e| err(Some(1), e.to_string()))?.clone();
    let column = |name: &str| header.iter().position(|h| h.trim().eq_ignore_ascii_case(name));
    let (Some(id), Some(claim)) = (column("id"), column("text")) else {
        return Err(err(Some(1), "the header must name an `id` and a `text` column".to_owned()));
    };
    let mut queries = Vec::new();
    for row in reader.records() {
        let row = row.map_err(|e| err(e.position().map(|p| p.line()), e.to_string()))?;
        let line = row.position().map(|p| p.line());
        let text = row.get(claim).map(str::trim).unwrap_or("");
        if text.is_empty() {
            return Err(err(line, "the text is empty".to_owned()));
        }
        queries.push(Query { id: row.get(id).unwrap_or("").to_owned(), text: text.to_owned(), fingerprint: None });
    }
    Ok(queries)
}
