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
        /// The document: .txt, .md, .html or .htm.
        file: PathBuf,
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
    /// Check a review file: exit 0 if valid, else 1 with each problem listed.
    Validate { review: PathBuf },
    /// Export a review file's reviewed claims.
    Export {
        review: PathBuf,
        /// Where to write the export.
        #[arg(short, long, value_name = "OUT")]
        output: PathBuf,
    },
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
    match run(cli) {
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
        None => crate::gui::run(cli.file, cli.review).map_err(|e| Failure::input(format!("{e:#}"))),
        Some(Command::Extract { file, format, all, threshold, output }) => {
            extract(&file, format, all, threshold, output.as_deref())
        }
        Some(Command::Score { threshold }) => score(threshold),
        Some(Command::Validate { review }) => validate(&review),
        Some(Command::Export { review, output }) => {
            let file = review::file::load(&review)?;
            let json = crate::export::reviewed_claims_json(&file);
            write_output(Some(&output), json.as_bytes())
        }
    }
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
            let mut json = serde_json::to_string_pretty(&file).map_err(Failure::input)?;
            json.push('\n');
            json
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
    let file = review::file::load(path)?;
    println!("{}: valid ({} claims, {} reviewed)", path.display(), file.claims.len(), file.reviewed());
    Ok(())
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
