//! The command line: parse arguments once into settings, run, and turn every error into one line and an exit code.
//!
//! Exit codes: 0 success, 1 bad input (one line on stderr naming the file and the problem), 2 usage.

use std::io::{BufRead, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};

use crate::document;
use crate::extract::Extractor;
use crate::review::{self, ReviewFile};

#[derive(Debug, Parser)]
#[command(
    name = "claimdesk",
    version,
    about = "A fact-checking workbench: extract check-worthy claims, review them, export the verdicts."
)]
#[command(args_conflicts_with_subcommands = true)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
    /// A document (.txt, .md, .html) or a review file (.json) to open in the window.
    pub file: Option<PathBuf>,
    /// Where Ctrl+S saves the review, without asking.
    #[arg(long, value_name = "OUT.json")]
    pub review: Option<PathBuf>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Extract the check-worthy claims of a document.
    Extract {
        /// The document (.txt, .md, .html, .htm); several documents or folders give JSON Lines, one review per
        /// document.
        #[arg(required = true, num_args = 1.., value_name = "FILE")]
        files: Vec<PathBuf>,
        /// json: a review file with every claim unreviewed; tsv: start, end, score, kinds, source, text per line.
        #[arg(long, value_enum, default_value_t = ExtractFormat::Json)]
        format: ExtractFormat,
        /// Include sentences below the threshold (and boilerplate, in tsv).
        #[arg(long)]
        all: bool,
        /// The check-worthiness threshold, 0 to 1 (default: the scorer's).
        #[arg(long, value_parser = parse_threshold)]
        threshold: Option<f32>,
        /// Write here instead of standard output.
        #[arg(short, long, value_name = "OUT")]
        output: Option<PathBuf>,
    },
    /// Score sentences: one per line on stdin, `score<TAB>0|1` per line on stdout.
    Score {
        /// The threshold for the 0/1 column (default: the scorer's).
        #[arg(long, value_parser = parse_threshold)]
        threshold: Option<f32>,
    },
    /// Carry a review over to a new version of its document: claims are re-anchored by their text and context,
    /// those that cannot be placed are kept (detached) and listed, new sentences are added unreviewed.
    Update {
        /// The review file.
        review: PathBuf,
        /// The new version of the document (.txt, .md, .html, .htm).
        document: PathBuf,
        /// Where to write the updated review (default: over REVIEW.json, the old one kept as REVIEW.json.bak).
        #[arg(short, long, value_name = "OUT.json")]
        output: Option<PathBuf>,
    },
    /// Check a review file: exit 0 if valid, else 1 with each problem listed.
    Validate { review: PathBuf },
    /// Export a review file's claims (reviewed ones unless --all) as JSON, ClaimReview JSON-LD, CSV or a report.
    Export {
        review: PathBuf,
        /// json: lossless, reads back; claimreview: schema.org ClaimReview JSON-LD; csv: one row per claim;
        /// markdown, html: a readable report.
        #[arg(long, value_enum, default_value_t = ExportFormat::Json)]
        format: ExportFormat,
        /// Export every claim, unreviewed ones too (ClaimReview always holds reviewed claims only).
        #[arg(long)]
        all: bool,
        /// The fact-check's URL (ClaimReview's `url`): saved into the review file.
        #[arg(long, value_name = "URL")]
        fact_check_url: Option<String>,
        /// The reviewing organisation (ClaimReview's `author`): saved into the review file.
        #[arg(long, value_name = "NAME")]
        organisation: Option<String>,
        /// The reviewed article's URL: saved into the review file.
        #[arg(long, value_name = "URL")]
        article_url: Option<String>,
        /// When the article was published, YYYY-MM-DD or RFC 3339: saved into the review file.
        #[arg(long, value_name = "DATE")]
        article_published: Option<String>,
        /// Where to write the export (`-`: standard output).
        #[arg(short, long, value_name = "OUT")]
        output: PathBuf,
    },
    /// Train the scorer on a labelled CSV; print 5-fold cross-validated figures and write the weights.
    Train {
        /// The labelled CSV, e.g. ../shared/data/claimbuster/crowdsourced.csv.
        #[arg(long, value_name = "CSV")]
        data: PathBuf,
        /// Where to write the weights, e.g. assets/claimdesk-lr.bin.
        #[arg(long, value_name = "MODEL")]
        out: PathBuf,
        /// Cross-validation folds.
        #[arg(long, default_value_t = 5)]
        folds: usize,
        /// Training epochs (default: the shipped model's).
        #[arg(long)]
        epochs: Option<u32>,
        /// AdaGrad learning rate (default: the shipped model's).
        #[arg(long)]
        learning_rate: Option<f32>,
        /// L2 penalty (default: the shipped model's).
        #[arg(long)]
        l2: Option<f32>,
        /// Hashed buckets: 2^BITS (default: the shipped model's).
        #[arg(long, value_parser = clap::value_parser!(u32).range(10..=24))]
        bits: Option<u32>,
        /// Weight of a check-worthy example (default: the shipped model's).
        #[arg(long)]
        positive_weight: Option<f32>,
        /// The default threshold written into the model.
        #[arg(long, value_parser = parse_threshold)]
        threshold: Option<f32>,
    },
    /// Save a review file over and over, changing one note each round (the crash-safety test kills it mid-save).
    #[command(hide = true)]
    StressSave {
        review: PathBuf,
        #[arg(long, default_value_t = 1000)]
        rounds: u32,
    },
    /// Measure the scorer on a labelled CSV (columns Text and Verdict; Verdict 1 = check-worthy factual).
    Eval {
        /// The labelled CSV, e.g. ../shared/data/claimbuster/crowdsourced.csv.
        #[arg(long, value_name = "CSV")]
        data: PathBuf,
        /// The threshold (default: the scorer's).
        #[arg(long, value_parser = parse_threshold)]
        threshold: Option<f32>,
        /// Which scorer: the trained model (default) or the first, rule-based one.
        #[arg(long, value_enum, default_value_t = ScorerChoice::Model)]
        scorer: ScorerChoice,
    },
    /// Merge several reviewers' files of one document; print how much they agree and where they differ.
    Merge {
        /// Two or more review files of the same document.
        #[arg(num_args = 2.., required = true, value_name = "REVIEW.json")]
        reviews: Vec<PathBuf>,
        /// Where to write the merged review file.
        #[arg(short, long, value_name = "MERGED.json")]
        output: PathBuf,
    },
}

/// The formats of `claimdesk export`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ExportFormat {
    Json,
    Claimreview,
    Csv,
    #[value(alias = "md")]
    Markdown,
    Html,
}

impl From<ExportFormat> for crate::export::Format {
    fn from(f: ExportFormat) -> Self {
        use crate::export::Format;
        match f {
            ExportFormat::Json => Format::Json,
            ExportFormat::Claimreview => Format::ClaimReview,
            ExportFormat::Csv => Format::Csv,
            ExportFormat::Markdown => Format::Markdown,
            ExportFormat::Html => Format::Html,
        }
    }
}

/// The scorers `claimdesk eval` can measure.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ScorerChoice {
    Model,
    Rules,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ExtractFormat {
    Json,
    Tsv,
}

fn parse_threshold(s: &str) -> Result<f32, String> {
    let t: f32 = s.parse().map_err(|_| format!("`{s}` is not a number"))?;
    if (0.0..=1.0).contains(&t) { Ok(t) } else { Err(format!("{t} is outside 0 to 1")) }
}

/// A failure with its exit code and message.
#[derive(Debug)]
pub struct Failure {
    pub code: u8,
    pub message: String,
}

impl Failure {
    /// Bad input: exit code 1.
    pub fn input(message: impl std::fmt::Display) -> Self {
        Self { code: 1, message: message.to_string() }
    }
}

impl<E: std::error::Error> From<E> for Failure {
    fn from(e: E) -> Self {
        Failure::input(e)
    }
}

/// The binary's entry point.
pub fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            // --help and --version print and succeed; real usage errors exit 2.
            let _ = e.print();
            return ExitCode::from(if e.use_stderr() { 2 } else { 0 });
        }
    };
    let outcome = run(cli);
    // Replaced backups are removed in the background; none is left behind when the program ends.
    crate::atomic::settle();
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(f) => {
            let first_line = f.message.lines().next().unwrap_or("").to_owned();
            let rest: Vec<&str> = f.message.lines().skip(1).collect();
            eprintln!("claimdesk: {first_line}");
            for line in rest {
                eprintln!("{line}");
            }
            ExitCode::from(f.code)
        }
    }
}

/// Run a parsed command line.
pub fn run(cli: Cli) -> Result<(), Failure> {
    match cli.command {
        #[cfg(feature = "gui")]
        None => crate::gui::run(cli.file, cli.review).map_err(|e| Failure::input(format!("{e:#}"))),
        #[cfg(not(feature = "gui"))]
        None => {
            let _ = (cli.file, cli.review);
            Err(Failure { code: 2, message: "this build has no window (built without the `gui` feature)".to_owned() })
        }
        Some(Command::Extract { files, format, all, threshold, output }) => {
            if let [file] = files.as_slice()
                && !file.is_dir()
            {
                extract(file, format, all, threshold, output.as_deref())
            } else {
                extract_batch(&files, all, threshold, output.as_deref())
            }
        }
        Some(Command::Score { threshold }) => score(threshold),
        Some(Command::Validate { review }) => validate(&review),
        Some(Command::Update { review, document, output }) => update(&review, &document, output.as_deref()),
        Some(Command::Export {
            review,
            format,
            all,
            fact_check_url,
            organisation,
            article_url,
            article_published,
            output,
        }) => {
            let publication = PublicationArgs { fact_check_url, organisation, article_url, article_published };
            export(&review, format.into(), all, publication, &output)
        }
        Some(Command::Merge { reviews, output }) => merge(&reviews, &output),
        Some(Command::StressSave { review, rounds }) => {
            let mut file = review::file::load(&review)?;
            for round in 0..rounds {
                if let Some(c) = file.claims.first_mut() {
                    c.review.note = format!("round {round}");
                }
                review::file::save(&file, &review)?;
                // The crash test waits for the first line, so its kills land while saves are under way.
                println!("saved {round}");
            }
            Ok(())
        }
        Some(Command::Eval { data, threshold, scorer }) => eval(&data, threshold, scorer),
        Some(Command::Train { data, out, folds, epochs, learning_rate, l2, bits, positive_weight, threshold }) => {
            let d = crate::train::TrainConfig::default();
            let config = crate::train::TrainConfig {
                epochs: epochs.unwrap_or(d.epochs),
                learning_rate: learning_rate.unwrap_or(d.learning_rate),
                l2: l2.unwrap_or(d.l2),
                bits: bits.unwrap_or(d.bits),
                positive_weight: positive_weight.unwrap_or(d.positive_weight),
                threshold: threshold.unwrap_or(d.threshold),
                seed: d.seed,
            };
            train(&data, &out, folds, &config)
        }
    }
}

fn train(data: &Path, out: &Path, folds: usize, config: &crate::train::TrainConfig) -> Result<(), Failure> {
    use crate::train::{cross_validate, read_labelled};
    let rows = read_labelled(data)?;
    let config = *config;
    eprintln!("claimdesk: {} sentences; {folds}-fold cross-validation…", rows.len());
    let cv = cross_validate(&rows, &config, folds);
    for (k, m) in cv.per_fold.iter().enumerate() {
        println!("fold {}: {m}", k + 1);
    }
    println!("{folds}-fold cross-validated, pooled (every sentence scored by the model that did not see it):");
    print_metrics(&cv.metrics, "the default threshold, fixed before training");
    if (cv.metrics.threshold - 0.5).abs() > f32::EPSILON {
        print_metrics(&cv.at(0.5), "the classifier's own decision threshold");
    }
    println!("other thresholds (pooled, for choosing the default):");
    for t in [0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5] {
        let m = cv.at(t);
        println!(
            "  {t:.2}: precision {:.3}  recall {:.3}  F1 {:.3}  weighted F1 {:.3}",
            m.precision, m.recall, m.f1, m.weighted_f1
        );
    }
    let model = crate::train::train(&rows, &config);
    crate::atomic::write_atomic_with(out, &model.to_bytes(), crate::atomic::WriteOptions { keep_backup: false })?;
    use crate::extract::Scorer;
    println!("wrote {} ({} {})", out.display(), model.name(), model.version());
    Ok(())
}

fn eval(data: &Path, threshold: Option<f32>, scorer: ScorerChoice) -> Result<(), Failure> {
    let rows = crate::train::read_labelled(data)?;
    let ex = match scorer {
        ScorerChoice::Model => Extractor::default(),
        ScorerChoice::Rules => Extractor::new(std::sync::Arc::new(crate::extract::RuleScorer)),
    };
    let ex = match threshold {
        Some(t) => ex.with_threshold(t),
        None => ex,
    };
    let scores = crate::train::score_all(ex.scorer(), &rows);
    let labels: Vec<bool> = rows.iter().map(|r| r.positive).collect();
    let m = crate::train::metrics(&scores, &labels, ex.threshold());
    println!("scorer: {} {}", ex.scorer().name(), ex.scorer().version());
    println!("data: {} ({} sentences, {} check-worthy)", data.display(), m.total, m.positives);
    print_metrics(&m, if threshold.is_some() { "as given" } else { "the scorer's default" });
    Ok(())
}

/// The figures `train` and `eval` print, one per line: F1 is the check-worthy class's; weighted F1 averages both
/// classes' F1 by their sizes, as the ClaimBuster papers report it.
fn print_metrics(m: &crate::train::Metrics, why: &str) {
    println!("threshold: {:.2} ({why})", m.threshold);
    println!("  precision: {:.3}", m.precision);
    println!("  recall: {:.3}", m.recall);
    println!("  F1 (check-worthy): {:.3}", m.f1);
    println!("  weighted F1 (both classes): {:.3}", m.weighted_f1);
    println!("  average precision: {:.3}", m.average_precision);
}

fn extractor(threshold: Option<f32>) -> Extractor {
    let ex = Extractor::default();
    match threshold {
        Some(t) => ex.with_threshold(t),
        None => ex,
    }
}

fn extract(
    path: &Path,
    format: ExtractFormat,
    all: bool,
    threshold: Option<f32>,
    output: Option<&Path>,
) -> Result<(), Failure> {
    let doc = document::load(path)?;
    let ex = extractor(threshold);
    let sentences = ex.sentences(&doc.text);
    let t = ex.threshold();
    let out = match format {
        ExtractFormat::Json => {
            let chosen: Vec<_> = sentences.into_iter().filter(|s| !s.boilerplate && (all || s.score >= t)).collect();
            let file = ReviewFile::new(&doc, ex.info(), &chosen);
            String::from_utf8_lossy(&review::file::to_bytes(&file)).into_owned()
        }
        ExtractFormat::Tsv => {
            let mut out = String::new();
            for s in sentences.iter().filter(|s| all || s.is_claim(t)) {
                let kinds: Vec<&str> = s.kinds.iter().map(|k| k.as_str()).collect();
                let source = s.attribution.as_ref().map(|a| a.source.as_str()).unwrap_or("");
                out.push_str(&format!(
                    "{}\t{}\t{:.4}\t{}\t{}\t{}\n",
                    s.span.start,
                    s.span.end,
                    s.score,
                    kinds.join(","),
                    tsv_field(source),
                    tsv_field(&doc.text[s.span.range()])
                ));
            }
            out
        }
    };
    write_output(output, out.as_bytes())
}

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
fn extract_batch(paths: &[PathBuf], all: bool, threshold: Option<f32>, output: Option<&Path>) -> Result<(), Failure> {
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
    let ex = extractor(threshold);
    let t = ex.threshold();
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
            let result = document::load(path).map_err(|e| e.to_string()).map(|doc| {
                let chosen: Vec<_> =
                    ex.sentences(&doc.text).into_iter().filter(|s| !s.boilerplate && (all || s.score >= t)).collect();
                review::file::to_compact_string(&ReviewFile::new(&doc, ex.info(), &chosen))
            });
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

fn score(threshold: Option<f32>) -> Result<(), Failure> {
    let ex = extractor(threshold);
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

fn validate(path: &Path) -> Result<(), Failure> {
    // Parse first (syntax and types name their field), then list every validation problem, one per line.
    let bytes = review::file::read(path)?;
    let file = review::file::parse(&bytes, path)?;
    let problems = review::file::validate(&file);
    if problems.is_empty() {
        println!("{}: valid ({} claims, {} reviewed)", path.display(), file.claims.len(), file.reviewed());
        return Ok(());
    }
    let lines: Vec<String> = problems.iter().map(|p| format!("{}: {p}", path.display())).collect();
    Err(Failure::input(format!("{}: {} problem(s) found\n{}", path.display(), problems.len(), lines.join("\n"))))
}

/// Publication details given on the command line: each one set replaces the review file's.
struct PublicationArgs {
    fact_check_url: Option<String>,
    organisation: Option<String>,
    article_url: Option<String>,
    article_published: Option<String>,
}

fn export(
    path: &Path,
    format: crate::export::Format,
    all: bool,
    given: PublicationArgs,
    output: &Path,
) -> Result<(), Failure> {
    if same_file(path, output) {
        return Err(Failure::input(format!(
            "{}: is the review file being exported; choose another output (-o) so the review is not overwritten",
            output.display()
        )));
    }
    let mut file = review::file::load(path)?;
    let before = file.publication.clone();
    let mut publication = before.clone();
    let set = |field: &mut Option<String>, value: Option<String>| {
        if let Some(v) = value {
            *field = Some(v.trim().to_owned()).filter(|v| !v.is_empty());
        }
    };
    if let Some(url) = given.fact_check_url.as_deref().map(str::trim).filter(|u| !u.is_empty())
        && !crate::export::claimreview::is_http_url(url)
    {
        return Err(Failure::input(format!("--fact-check-url: `{url}` is not an absolute http:// or https:// URL")));
    }
    set(&mut publication.fact_check_url, given.fact_check_url);
    set(&mut publication.organisation, given.organisation);
    set(&mut publication.article_url, given.article_url);
    set(&mut publication.article_published, given.article_published);
    file.publication = publication;
    let options = crate::export::Options { all };
    let exported = crate::export::write(&file, format, &options).map_err(|e| Failure::input(e.in_file(path)))?;
    for warning in &exported.warnings {
        eprintln!("claimdesk: warning: {}: {warning}", path.display());
    }
    // Asked once, kept: the details given are saved (atomically) into the review file once the export is known good.
    if file.publication != before {
        review::file::save(&file, path)?;
    }
    write_output(Some(output), &exported.bytes)?;
    if output != Path::new("-") {
        eprintln!("claimdesk: wrote {} claim(s) as {} to {}", exported.claims, format, output.display());
    }
    Ok(())
}

fn update(path: &Path, document: &Path, output: Option<&Path>) -> Result<(), Failure> {
    let file = review::file::load(path)?;
    let doc = document::load(document)?;
    let output = output.unwrap_or(path);
    if same_file(document, output) {
        return Err(Failure::input(format!(
            "{}: is the document; choose another output (-o) so the document is not overwritten",
            output.display()
        )));
    }
    if doc.fingerprint == file.document.fingerprint {
        eprintln!("claimdesk: {}: the document's text is unchanged; nothing to update", document.display());
        if same_file(path, output) {
            return Ok(());
        }
    }
    let extractor = Extractor::default().with_threshold(file.extractor.threshold);
    let up = review::file::update_document(&file, &doc, &extractor);
    review::file::save(&up.file, output)?;
    let mut report = format!(
        "Updated {} to {}: {} claims, {} moved, {} new, {} detached\n",
        path.display(),
        document.display(),
        up.file.claims.len(),
        up.moved,
        up.added,
        up.detached.len()
    );
    for id in &up.detached {
        if let Some(c) = up.file.detached.iter().find(|c| &c.id == id) {
            let status = c.review.status.as_str();
            report.push_str(&format!("  detached {id} ({status}): {}\n", crate::review::file::clip(&c.text)));
        }
    }
    report.push_str(&format!("wrote {}\n", output.display()));
    print!("{report}");
    Ok(())
}

/// Whether two paths name the same existing file.
fn same_file(a: &Path, b: &Path) -> bool {
    match (std::fs::canonicalize(a), std::fs::canonicalize(b)) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    }
}

fn merge(paths: &[PathBuf], output: &Path) -> Result<(), Failure> {
    use crate::merge::{Input, Outcome};

    // Merging into one of the inputs would replace a reviewer's own file with the merge.
    if let Some(input) = paths.iter().find(|p| same_file(p, output)) {
        return Err(Failure::input(format!(
            "{}: is one of the files being merged; choose another output (-o) so no reviewer's file is overwritten",
            input.display()
        )));
    }

    let files = paths.iter().map(|p| review::file::load(p)).collect::<Result<Vec<_>, _>>()?;
    let names: Vec<String> = paths.iter().map(|p| p.display().to_string()).collect();
    let inputs: Vec<Input<'_>> = names.iter().zip(&files).map(|(name, file)| Input { name, file }).collect();
    let merged = crate::merge::merge(&inputs)?;
    review::file::save(&merged.file, output)?;

    let c = &merged.comparison;
    let a = &c.agreement;
    let who: Vec<&str> = c.reviewers.iter().map(|r| r.name.as_str()).collect();
    let mut out = String::new();
    let disagreements: Vec<_> = c.disagreements().collect();
    // "Agreed" is said only of claims every reviewer reviewed; a verdict only some gave is counted apart.
    let (agreed, by_some): (Vec<_>, Vec<_>) =
        c.claims.iter().filter(|x| matches!(x.outcome, Outcome::Agreed(_))).partition(|x| x.reviewed_by_all());
    out.push_str(&format!(
        "Merged {} reviewers ({}) into {}: {} claims, {} agreed by all, {} reviewed by only some, {} disagreements, \
         {} unreviewed\n",
        c.reviewers.len(),
        who.join(", "),
        output.display(),
        c.claims.len(),
        agreed.len(),
        by_some.len(),
        disagreements.len(),
        c.claims.iter().filter(|x| x.outcome == Outcome::Unreviewed).count()
    ));
    let pct = |v: Option<f64>| v.map_or("n/a".to_owned(), |v| format!("{:.1}%", v * 100.0));
    let num = |v: Option<f64>| v.map_or("n/a".to_owned(), |v| format!("{v:.3}"));
    out.push_str(&format!("Agreement over the {} claims every reviewer reviewed", a.claims));
    let partial = c.partially_reviewed();
    if partial > 0 {
        out.push_str(&format!(" ({partial} reviewed by only some are left out)"));
    }
    out.push_str(":\n");
    out.push_str(&format!("  percent agreement: {}\n", pct(a.percent_agreement)));
    if a.reviewers == 2 {
        out.push_str(&format!("  Cohen's kappa: {}\n", num(a.cohen_kappa)));
    } else {
        out.push_str(&format!("  mean pairwise agreement: {}\n", pct(a.pairwise_agreement)));
        out.push_str(&format!("  Fleiss' kappa: {}\n", num(a.fleiss_kappa)));
    }
    out.push_str("  per status: ratings, all agree, specific agreement, kappa\n");
    for s in &a.per_status {
        out.push_str(&format!(
            "    {:<10} {:>5} {:>5} {:>7} {:>7}\n",
            s.status.label(),
            s.ratings,
            s.unanimous,
            pct(s.specific_agreement),
            num(s.kappa)
        ));
    }
    if !disagreements.is_empty() {
        out.push_str(&format!(
            "Disagreements ({}), left unreviewed in the merged file for an editor:\n",
            disagreements.len()
        ));
        for d in disagreements {
            out.push_str(&format!("  {} \"{}\"\n", d.claim.id, crate::export::excerpt(&d.claim.text, 70)));
            let verdicts: Vec<String> = c
                .reviewers
                .iter()
                .zip(&d.reviews)
                .map(|(r, v)| format!("{}: {}", r.name, v.as_ref().map_or("(absent)", |v| v.status.as_str())))
                .collect();
            out.push_str(&format!("      {}\n", verdicts.join(" | ")));
        }
    }
    let mut stdout = std::io::stdout().lock();
    stdout
        .write_all(out.as_bytes())
        .and_then(|_| stdout.flush())
        .map_err(|e| Failure::input(format!("standard output: {e}")))
}

/// Write to `path` atomically, or to standard output.
fn write_output(path: Option<&Path>, bytes: &[u8]) -> Result<(), Failure> {
    match path {
        Some(p) if p != Path::new("-") => crate::atomic::write_atomic(p, bytes).map_err(Failure::input),
        _ => {
            let mut out = std::io::stdout().lock();
            out.write_all(bytes).and_then(|_| out.flush()).map_err(|e| Failure::input(format!("standard output: {e}")))
        }
    }
}
