//! `claimdesk extract` (one document, or many on every core) and `claimdesk score`.

use std::io::{BufRead, IsTerminal, Write};
use std::path::{Path, PathBuf};

use super::{ExtractFormat, Failure, write_output};
use crate::document;
use crate::extract::Extractor;
use crate::extract::model::LinearModel;
use crate::review::{self, ReviewFile};

/// The extractor: the shipped scorer, or the weights at `model`, at `threshold` (default: the scorer's).
pub(super) fn extractor(threshold: Option<f32>, model: Option<&Path>) -> Result<Extractor, Failure> {
    let ex = match model {
        None => Extractor::default(),
        Some(path) => {
            let bytes = std::fs::read(path)
                .map_err(|e| Failure::input(format!("{}: cannot read the model: {e}", path.display())))?;
            let model = LinearModel::from_bytes(&bytes)
                .map_err(|e| Failure::input(format!("{}: not a model this build reads: {e}", path.display())))?;
            Extractor::new(std::sync::Arc::new(model))
        }
    };
    Ok(match threshold {
        Some(t) => ex.with_threshold(t),
        None => ex,
    })
}

pub(super) fn extract(
    path: &Path,
    format: ExtractFormat,
    all: bool,
    ex: &Extractor,
    output: Option<&Path>,
    matches: Option<MatchesTo<'_>>,
) -> Result<(), Failure> {
    let doc = document::load(path)?;
    let t = ex.threshold();
    let out = match format {
        // A review file keeps every sentence but boilerplate, whatever `--all` says: its threshold decides which are
        // claims (`review::Claim::is_claim`), so the window's slider can show more.
        ExtractFormat::Json => {
            let file = ReviewFile::extract(&doc, ex);
            let bytes = review::file::to_bytes(&file);
            if let Some(to) = matches {
                // Matched before anything is written, as in a batch.
                let lines = matches_jsonl(&[(path, file)], &to)?;
                write_output(output, &bytes)?;
                return write_output(Some(to.file), lines.as_bytes());
            }
            String::from_utf8_lossy(&bytes).into_owned()
        }
        ExtractFormat::Tsv => {
            let sentences = ex.sentences(&doc.text);
            let mut out = String::from(TSV_HEADER);
            for s in sentences.iter().filter(|s| all || s.is_claim(t)) {
                let kinds: Vec<&str> = s.kinds.iter().map(|k| k.as_str()).collect();
                let source = s.attribution.as_ref().map(|a| a.source.as_str()).unwrap_or("");
                let speaker = s.speaker.as_ref().map(|s| s.name.as_str()).unwrap_or("");
                // What the sentence is at this threshold: only `--all` lists the others.
                let claim = if s.boilerplate {
                    "boilerplate"
                } else if s.is_claim(t) {
                    "claim"
                } else {
                    "below"
                };
                out.push_str(&format!(
                    "{}\t{}\t{:.4}\t{claim}\t{}\t{}\t{}\t{}\n",
                    s.span.start,
                    s.span.end,
                    s.score,
                    kinds.join(","),
                    tsv_field(source),
                    tsv_field(speaker),
                    tsv_field(&doc.text[s.span.range()])
                ));
            }
            out
        }
    };
    write_output(output, out.as_bytes())
}

/// The header row of `extract --format tsv`: `claim` says what the sentence is at the threshold (`claim`; with
/// `--all` also `below` the threshold, or `boilerplate`, which never enters a review file); `source` is whom the
/// text credits, `speaker` who says it (in a transcript; empty elsewhere).
const TSV_HEADER: &str = "start\tend\tscore\tclaim\tkinds\tsource\tspeaker\ttext\n";

/// The extensions batch extraction picks up in folders.
const DOCUMENT_EXTENSIONS: &[&str] = &["txt", "md", "markdown", "html", "htm"];

/// Every document under `paths`, files given by name kept as given; in a folder, its files in name order, then its
/// subfolders in name order.
fn collect_documents(paths: &[PathBuf]) -> Result<Vec<PathBuf>, Failure> {
    let mut out = Vec::new();
    for p in paths {
        if !p.is_dir() {
            out.push(p.clone());
            continue;
        }
        let mut stack = vec![p.clone()];
        while let Some(dir) = stack.pop() {
            let entries = std::fs::read_dir(&dir)
                .map_err(|e| Failure::input(format!("{}: cannot read the folder: {e}", dir.display())))?;
            let mut children: Vec<PathBuf> = entries.filter_map(|e| e.ok()).map(|e| e.path()).collect();
            children.sort();
            let (folders, files): (Vec<PathBuf>, Vec<PathBuf>) = children.into_iter().partition(|c| c.is_dir());
            stack.extend(folders.into_iter().rev());
            for child in files {
                if child
                    .extension()
                    .and_then(|e| e.to_str())
                    .is_some_and(|e| DOCUMENT_EXTENSIONS.contains(&e.to_ascii_lowercase().as_str()))
                {
                    out.push(child);
                }
            }
        }
    }
    Ok(out)
}

/// Where `extract --matches` writes, and the library it matches against.
pub(super) struct MatchesTo<'a> {
    /// The JSON Lines file of each claim's best earlier fact-checks.
    pub file: &'a Path,
    /// The library's folder (default: the one every library command uses).
    pub library: Option<&'a Path>,
    /// Full-text search only, without the matcher's model (tests in debug builds).
    pub embed: bool,
}

/// How many earlier fact-checks `extract --matches` writes per claim, at most (as many as the window shows).
const MATCHES_PER_CLAIM: usize = 3;

/// Extract many documents on every core; write JSON Lines (one compact review file per document, in input order);
/// report each failure on stderr and go on. With `matches`, also match every claim against the claim library and
/// write its best earlier fact-checks to that file ([`write_matches`]).
pub(super) fn extract_batch(
    paths: &[PathBuf],
    ex: &Extractor,
    output: Option<&Path>,
    matches: Option<MatchesTo<'_>>,
) -> Result<(), Failure> {
    use rayon::prelude::*;
    let files = collect_documents(paths)?;
    if files.is_empty() {
        let names: Vec<String> = paths.iter().map(|p| p.display().to_string()).collect();
        return Err(Failure::input(format!(
            "{}: is a folder with no documents in it (.txt, .md, .markdown, .html, .htm)",
            names.join(", ")
        )));
    }
    let bar = progress(files.len(), "{bar:40} {pos}/{len} documents, {elapsed} (eta {eta})");
    let results: Vec<Result<ReviewFile, String>> = files
        .par_iter()
        .map(|path| {
            let result = document::load(path).map_err(|e| e.to_string()).map(|doc| ReviewFile::extract(&doc, ex));
            bar.inc(1);
            result
        })
        .collect();
    bar.finish_and_clear();
    let mut out = String::new();
    let mut failed = 0;
    let mut extracted = Vec::new();
    for (path, r) in files.iter().zip(results) {
        match r {
            Ok(file) => {
                out.push_str(&review::file::to_compact_string(&file));
                out.push('\n');
                extracted.push((path.as_path(), file));
            }
            Err(message) => {
                failed += 1;
                eprintln!("claimdesk: {message}");
            }
        }
    }
    // Matched before anything is written, so a library that cannot be opened leaves no half-done output.
    let matched = matches.as_ref().map(|to| matches_jsonl(&extracted, to)).transpose()?;
    write_output(output, out.as_bytes())?;
    if let (Some(to), Some(lines)) = (&matches, matched) {
        write_output(Some(to.file), lines.as_bytes())?;
    }
    if failed > 0 {
        return Err(Failure::input(format!("{failed} of {} documents could not be extracted", files.len())));
    }
    Ok(())
}

/// Each claim of each extracted document (at its threshold) with its best earlier fact-checks in the library, as
/// JSON Lines: `{"document": PATH, "title", "fingerprint", "claim": ID, "text", "matches": [...]}`, one line per claim
/// in document order, `matches` as `match --format json` gives them (at most [`MATCHES_PER_CLAIM`], best first;
/// with the matcher, only those at [`SHOWN_FROM`](crate::library::search::SHOWN_FROM) or more, so an empty list
/// means nothing similar was checked before). A claim's own document's entries are never its matches.
fn matches_jsonl(extracted: &[(&Path, ReviewFile)], to: &MatchesTo<'_>) -> Result<String, Failure> {
    use super::library::{claims_as_queries, match_entry, ready_to_match};
    let (lib, model) = ready_to_match(to.library, to.embed)?;
    let queries: Vec<_> = extracted.iter().map(|(_, file)| claims_as_queries(file)).collect();
    let all: Vec<_> = queries.iter().flatten().cloned().collect();
    let bar = progress(all.len(), "{bar:40} {pos}/{len} claims matched, {elapsed} (eta {eta})");
    let mut results = Vec::with_capacity(all.len());
    for chunk in all.chunks(64) {
        results.extend(lib.match_claims(chunk, MATCHES_PER_CLAIM, model.as_ref())?);
        bar.inc(chunk.len() as u64);
    }
    bar.finish_and_clear();
    let mut results = results.into_iter();
    let mut out = String::new();
    for ((path, file), queries) in extracted.iter().zip(&queries) {
        for (q, matches) in queries.iter().zip(results.by_ref()) {
            let shown = matches
                .iter()
                .filter(|m| model.is_none() || m.score >= crate::library::search::SHOWN_FROM)
                .map(match_entry)
                .collect::<Vec<_>>();
            let line = MatchLine {
                document: path.display().to_string(),
                title: &file.document.title,
                fingerprint: &file.document.fingerprint,
                claim: &q.id,
                text: &q.text,
                matches: shown,
            };
            out.push_str(&serde_json::to_string(&line).map_err(Failure::input)?);
            out.push('\n');
        }
    }
    Ok(out)
}

/// One line of `extract --matches`, its fields in this order (a `json!` map would sort them).
#[derive(serde::Serialize)]
struct MatchLine<'a> {
    document: String,
    title: &'a str,
    fingerprint: &'a str,
    claim: &'a str,
    text: &'a str,
    matches: Vec<serde_json::Value>,
}

/// A progress bar of `len` steps drawn with `template` on standard error when it is a terminal, else hidden.
fn progress(len: usize, template: &str) -> indicatif::ProgressBar {
    if !std::io::stderr().is_terminal() {
        return indicatif::ProgressBar::hidden();
    }
    let bar = indicatif::ProgressBar::new(len as u64);
    bar.set_style(
        indicatif::ProgressStyle::with_template(template).unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
    );
    bar
}

/// Tabs and line breaks inside a field would break the one-line-per-claim shape: they become spaces.
fn tsv_field(s: &str) -> String {
    s.chars().map(|c| if matches!(c, '\t' | '\n' | '\r') { ' ' } else { c }).collect()
}

pub(super) fn score(threshold: Option<f32>) -> Result<(), Failure> {
    let ex = extractor(threshold, None)?;
    let t = ex.threshold();
    let stdin = std::io::stdin();
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    for (n, line) in stdin.lock().split(b'\n').enumerate() {
        let line = line.map_err(|e| Failure::input(format!("standard input: cannot read: {e}")))?;
        let line = String::from_utf8(line).map_err(|e| {
            Failure::input(format!(
                "standard input: line {} is not valid UTF-8 (byte {})",
                n + 1,
                e.utf8_error().valid_up_to()
            ))
        })?;
        let sentence = line.trim_end_matches('\r');
        let s = ex.scorer().score(sentence).clamp(0.0, 1.0);
        writeln!(out, "{s:.4}\t{}", u8::from(s >= t)).map_err(|e| Failure::input(format!("standard output: {e}")))?;
    }
    out.flush().map_err(|e| Failure::input(format!("standard output: {e}")))
}
