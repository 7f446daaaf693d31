//! `claimdesk extract` (one document, or many on every core) and `claimdesk score`.

use std::io::{BufRead, Write};
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
) -> Result<(), Failure> {
    let doc = document::load(path)?;
    let t = ex.threshold();
    let out = match format {
        // A review file keeps every sentence but boilerplate, whatever `--all` says: its threshold decides which are
        // claims (`review::Claim::is_claim`), so the window's slider can show more.
        ExtractFormat::Json => {
            let file = ReviewFile::extract(&doc, ex);
            String::from_utf8_lossy(&review::file::to_bytes(&file)).into_owned()
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

/// Extract many documents on every core; write JSON Lines (one compact review file per document, in input order);
/// report each failure on stderr and go on.
pub(super) fn extract_batch(paths: &[PathBuf], ex: &Extractor, output: Option<&Path>) -> Result<(), Failure> {
    use rayon::prelude::*;
    use std::io::IsTerminal;
    let files = collect_documents(paths)?;
    if files.is_empty() {
        let names: Vec<String> = paths.iter().map(|p| p.display().to_string()).collect();
        return Err(Failure::input(format!(
            "{}: is a folder with no documents in it (.txt, .md, .markdown, .html, .htm)",
            names.join(", ")
        )));
    }
    let bar = if std::io::stderr().is_terminal() {
        let bar = indicatif::ProgressBar::new(files.len() as u64);
        bar.set_style(
            indicatif::ProgressStyle::with_template("{bar:40} {pos}/{len} documents, {elapsed} (eta {eta})")
                .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
        );
        bar
    } else {
        indicatif::ProgressBar::hidden()
    };
    let results: Vec<Result<String, String>> = files
        .par_iter()
        .map(|path| {
            let result = document::load(path)
                .map_err(|e| e.to_string())
                .map(|doc| review::file::to_compact_string(&ReviewFile::extract(&doc, ex)));
            bar.inc(1);
            result
        })
        .collect();
    bar.finish_and_clear();
    let mut out = String::new();
    let mut failed = 0;
    for r in results {
        match r {
            Ok(line) => {
                out.push_str(&line);
                out.push('\n');
            }
            Err(message) => {
                failed += 1;
                eprintln!("claimdesk: {message}");
            }
        }
    }
    write_output(output, out.as_bytes())?;
    if failed > 0 {
        return Err(Failure::input(format!("{failed} of {} documents could not be extracted", files.len())));
    }
    Ok(())
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
