//! The command line: parse arguments once into settings, run, and turn every error into one line and an exit code.
//!
//! Exit codes: 0 success, 1 bad input (one line on stderr naming the file and the problem), 2 usage.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::review;

mod extract;
mod library;
mod reviews;
mod train;

use extract::{extract, extract_batch, score};
use library::{LibraryCommand, TableFormat, run_library, run_match};
use reviews::{PublicationArgs, export, merge, update, validate};
use train::{DataArgs, eval, eval_transcripts, train};

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
    /// The claim library the window uses (a folder, or a shared library's `postgres://USER@HOST:PORT/DB`; default:
    /// CLAIMDESK_LIBRARY, else the data folder's).
    #[arg(long, value_name = "DIR|URL")]
    pub library: Option<PathBuf>,
    /// Add none of this run's verdicts to the library on save (whatever the preference says).
    #[arg(long)]
    pub no_remember: bool,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Extract the check-worthy claims of a document.
    Extract {
        /// The document (.txt, .md, .html, .htm); several documents or folders give JSON Lines, one review per
        /// document.
        #[arg(required = true, num_args = 1.., value_name = "FILE")]
        files: Vec<PathBuf>,
        /// json: a review file with every claim unreviewed; tsv: start, end, score, claim, kinds, source, speaker, text
        /// per line.
        #[arg(long, value_enum, default_value_t = ExtractFormat::Json)]
        format: ExtractFormat,
        /// tsv: list every sentence, those below the threshold and boilerplate too (marked in the `claim` column). A
        /// review file (json) always keeps every sentence but boilerplate; its threshold decides which are claims.
        #[arg(long)]
        all: bool,
        /// The check-worthiness threshold, 0 to 1 (default: the scorer's).
        #[arg(long, value_parser = parse_threshold)]
        threshold: Option<f32>,
        /// Write here instead of standard output.
        #[arg(short, long, value_name = "OUT")]
        output: Option<PathBuf>,
        /// Write over OUT even when it holds a review with reviewed claims (kept as OUT.bak).
        #[arg(long)]
        force: bool,
        /// Score with these weights (written by `claimdesk train`) instead of the shipped ones.
        #[arg(long, value_name = "MODEL")]
        model: Option<PathBuf>,
        /// Also match every claim against the claim library and write each claim's best earlier fact-checks here, as
        /// JSON Lines (document, title, fingerprint, claim id, text, matches).
        #[arg(long, value_name = "FILE")]
        matches: Option<PathBuf>,
        /// The library --matches uses (default: CLAIMDESK_LIBRARY, else `library` in the data folder).
        #[arg(long, value_name = "DIR", requires = "matches")]
        library: Option<PathBuf>,
        /// Match by full-text search alone, without the matcher's model (tests of the store in debug builds).
        #[arg(long, hide = true, requires = "matches")]
        no_embedding: bool,
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
        #[arg(long, value_enum, default_value_t = crate::export::Format::Json)]
        format: crate::export::Format,
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
        /// Where to write the export (default, or `-`: standard output).
        #[arg(short, long, value_name = "OUT")]
        output: Option<PathBuf>,
    },
    /// Train the scorer on a labelled CSV (and the debates); print 5-fold cross-validated figures on the CSV's
    /// sentences and write the weights.
    Train {
        #[command(flatten)]
        data: TrainingDataArgs,
        /// Where to write the weights, e.g. assets/claimdesk-lr.bin.
        #[arg(long, value_name = "MODEL")]
        out: PathBuf,
        /// Cross-validation folds (0: none, only train).
        #[arg(long, default_value_t = 5)]
        folds: usize,
        /// Train without this debate (a file name without .tsv, e.g. 20160926_1pres) and ClaimBuster's copies of
        /// its sentences: the weights to rank it with, held out.
        #[arg(long, value_name = "DEBATE")]
        hold_out: Option<String>,
        #[command(flatten)]
        tuning: TuningArgs,
    },
    /// Rank each debate's lines with a model trained without it (leave one transcript out), through the extractor
    /// on the debate written as a "SPEAKER: text" transcript; print average precision per debate, MAP, P@5, P@10 and
    /// a random ranking's MAP.
    EvalTranscripts {
        #[command(flatten)]
        data: TrainingDataArgs,
        #[command(flatten)]
        tuning: TuningArgs,
        /// Nested: choose the second stage's settings (transcript table size and L2 penalty) for each held-out debate
        /// by grouped folds over the other debates, so the figure owes nothing to it (slower).
        #[arg(long)]
        nested: bool,
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
    /// The claim library: import fact-checks, see what it holds, remove or export entries.
    Library {
        /// The library: a folder, or a shared library's server as `postgres://USER@HOST:PORT/DB` (default:
        /// CLAIMDESK_LIBRARY, else `library` in the data folder).
        #[arg(long, global = true, value_name = "DIR|URL")]
        library: Option<PathBuf>,
        #[command(subcommand)]
        command: LibraryCommand,
    },
    /// Find fact-checks in the library that match each claim of INPUT (a review file, a table with `id` and `text`
    /// columns, or a document, whose claims are extracted first), or of --text.
    Match {
        /// A review file (.json), a table (.tsv, .csv) or a document.
        #[arg(value_name = "INPUT", required_unless_present = "text", conflicts_with = "text")]
        input: Option<PathBuf>,
        /// One claim to match instead of a file.
        #[arg(long, value_name = "CLAIM")]
        text: Option<String>,
        /// How many matches per claim.
        #[arg(long, default_value_t = 5, value_parser = clap::value_parser!(u32).range(1..=1000))]
        top: u32,
        /// tsv: one row per claim and match; json: the same, nested per claim.
        #[arg(long, value_enum, default_value_t = TableFormat::Tsv)]
        format: TableFormat,
        /// The library: a folder, or a shared library's server as `postgres://USER@HOST:PORT/DB` (default:
        /// CLAIMDESK_LIBRARY, else `library` in the data folder).
        #[arg(long, value_name = "DIR|URL")]
        library: Option<PathBuf>,
        /// Rank by full-text search alone, without the matcher's model (tests of the store in debug builds).
        #[arg(long, hide = true)]
        no_embedding: bool,
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

/// What the scorer learns from.
#[derive(Debug, Args)]
pub struct TrainingDataArgs {
    /// The labelled CSV, e.g. ../shared/data/claimbuster/crowdsourced.csv.
    #[arg(long, value_name = "CSV")]
    data: PathBuf,
    /// The CheckThat 2019 debates folder (*.tsv), e.g. ../shared/data/checkthat2019-debates/training.
    #[arg(long, value_name = "DIR")]
    debates: Option<PathBuf>,
}

/// How the scorer is trained; each setting defaults to the shipped model's.
#[derive(Debug, Args)]
pub struct TuningArgs {
    /// Training epochs.
    #[arg(long)]
    epochs: Option<u32>,
    /// AdaGrad learning rate.
    #[arg(long)]
    learning_rate: Option<f32>,
    /// L2 penalty.
    #[arg(long)]
    l2: Option<f32>,
    /// Hashed buckets: 2^BITS.
    #[arg(long, value_parser = clap::value_parser!(u32).range(10..=24))]
    bits: Option<u32>,
    /// Weight of a check-worthy example.
    #[arg(long)]
    positive_weight: Option<f32>,
    /// Epochs over the debates (the second stage; 0: none).
    #[arg(long)]
    transcript_epochs: Option<u32>,
    /// Words in the transcript table: 2^BITS (0: none).
    #[arg(long, value_parser = clap::value_parser!(u32).range(0..=24))]
    transcript_bits: Option<u32>,
    /// L2 penalty of the second stage.
    #[arg(long)]
    transcript_l2: Option<f32>,
    /// AdaGrad learning rate of the second stage.
    #[arg(long)]
    transcript_learning_rate: Option<f32>,
    /// Weight of a sentence of a checked debate line, relative to one of an unchecked line.
    #[arg(long)]
    debate_positive_weight: Option<f32>,
    /// Do not learn the context weights (to measure what they add).
    #[arg(long)]
    no_context: bool,
    /// The default threshold written into the model.
    #[arg(long, value_parser = parse_threshold)]
    threshold: Option<f32>,
}

impl TuningArgs {
    fn config(&self) -> crate::train::TrainConfig {
        let d = crate::train::TrainConfig::default();
        crate::train::TrainConfig {
            epochs: self.epochs.unwrap_or(d.epochs),
            learning_rate: self.learning_rate.unwrap_or(d.learning_rate),
            l2: self.l2.unwrap_or(d.l2),
            bits: self.bits.unwrap_or(d.bits),
            positive_weight: self.positive_weight.unwrap_or(d.positive_weight),
            transcript_epochs: self.transcript_epochs.unwrap_or(d.transcript_epochs),
            transcript_bits: self.transcript_bits.unwrap_or(d.transcript_bits),
            transcript_l2: self.transcript_l2.unwrap_or(d.transcript_l2),
            transcript_learning_rate: self.transcript_learning_rate.unwrap_or(d.transcript_learning_rate),
            debate_positive_weight: self.debate_positive_weight.unwrap_or(d.debate_positive_weight),
            context: !self.no_context && d.context,
            threshold: self.threshold.unwrap_or(d.threshold),
            seed: d.seed,
        }
    }
}

impl TrainingDataArgs {
    fn as_args(&self) -> DataArgs<'_> {
        DataArgs { sentences: &self.data, debates: self.debates.as_deref() }
    }
}

/// `claimdesk export --format` takes the export formats' own names (`export::Format::as_str`, and `md`), so the
/// command line has no copy of the list.
impl ValueEnum for crate::export::Format {
    fn value_variants<'a>() -> &'a [Self] {
        &crate::export::Format::ALL
    }

    fn to_possible_value(&self) -> Option<clap::builder::PossibleValue> {
        let value = clap::builder::PossibleValue::new(self.as_str());
        Some(if *self == crate::export::Format::Markdown { value.alias("md") } else { value })
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
        None => {
            let options = crate::gui::RunOptions { library: cli.library, remember: !cli.no_remember };
            crate::gui::run(cli.file, cli.review, options).map_err(|e| Failure::input(format!("{e:#}")))
        }
        #[cfg(not(feature = "gui"))]
        None => {
            let _ = (cli.file, cli.review, cli.library, cli.no_remember);
            Err(Failure { code: 2, message: "this build has no window (built without the `gui` feature)".to_owned() })
        }
        Some(Command::Extract {
            files,
            format,
            all,
            threshold,
            output,
            force,
            model,
            matches,
            library,
            no_embedding,
        }) => {
            if let Some(out) = output.as_deref()
                && !force
            {
                refuse_replacing_a_review(out)?;
            }
            if let Some(m) = matches.as_deref() {
                refuse_replacing_a_review(m)?;
                if output.as_deref().is_some_and(|o| o == m || same_file(o, m)) {
                    return Err(Failure {
                        code: 2,
                        message: format!("{}: --matches and -o name the same file", m.display()),
                    });
                }
                if format == ExtractFormat::Tsv {
                    return Err(Failure {
                        code: 2,
                        message: "--matches goes with review files, not --format tsv".into(),
                    });
                }
            }
            let ex = extract::extractor(threshold, model.as_deref())?;
            let to = matches.as_deref().map(|file| extract::MatchesTo {
                file,
                library: library.as_deref(),
                embed: !no_embedding,
            });
            if let [file] = files.as_slice()
                && !file.is_dir()
            {
                extract(file, format, all, &ex, output.as_deref(), to)
            } else {
                extract_batch(&files, &ex, output.as_deref(), to)
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
            export(&review, format, all, publication, output.as_deref().unwrap_or(Path::new("-")))
        }
        Some(Command::Merge { reviews, output }) => merge(&reviews, &output),
        Some(Command::Library { library, command }) => run_library(library.as_deref(), command),
        Some(Command::Match { input, text, top, format, library, no_embedding }) => {
            run_match(library.as_deref(), input.as_deref(), text, top as usize, format, !no_embedding)
        }
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
        Some(Command::Train { data, out, folds, hold_out, tuning }) => {
            train(&data.as_args(), &out, folds, hold_out.as_deref(), &tuning.config())
        }
        Some(Command::EvalTranscripts { data, tuning, nested }) => {
            eval_transcripts(&data.as_args(), &tuning.config(), nested)
        }
    }
}

/// `extract -o OUT` never silently replaces a review that holds a reviewer's work: it asks for `update` (which carries
/// the work over to the document) or `--force`.
fn refuse_replacing_a_review(out: &Path) -> Result<(), Failure> {
    if !out.is_file() {
        return Ok(());
    }
    match review::disk::existing_review(out) {
        Ok(holder) if holder.reviewed > 0 => Err(Failure::input(format!(
            "{}: holds a review of \"{}\" with {} reviewed claims; not replaced. To carry that work over to the \
             document, run `claimdesk update {} DOCUMENT`; to replace it anyway, add --force (it is kept as {}.bak)",
            out.display(),
            holder.title,
            holder.reviewed,
            out.display(),
            out.display()
        ))),
        _ => Ok(()),
    }
}

/// Whether two paths name the same existing file.
pub(crate) fn same_file(a: &Path, b: &Path) -> bool {
    match (std::fs::canonicalize(a), std::fs::canonicalize(b)) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    }
}

/// Write to `path` atomically, or to standard output.
pub(crate) fn write_output(path: Option<&Path>, bytes: &[u8]) -> Result<(), Failure> {
    match path {
        Some(p) if p != Path::new("-") => crate::atomic::write_atomic(p, bytes).map_err(Failure::input),
        _ => {
            let mut out = std::io::stdout().lock();
            out.write_all(bytes).and_then(|_| out.flush()).map_err(|e| Failure::input(format!("standard output: {e}")))
        }
    }
}
