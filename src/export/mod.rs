//! Exports: a review file's claims in formats people use elsewhere.
//!
//! One entry point, [`write()`], turns a [`ReviewFile`] into the bytes of one [`Format`]; the command line
//! (`claimdesk export`) and the window (Ctrl+E) both call it, so they always agree. Each format lives in its own
//! module: [`json`] (lossless, with [`import_json`] to read it back), [`claimreview`] (schema.org ClaimReview as
//! JSON-LD, checked against the required-field rules before anything is written), [`csv`] (RFC 4180, one row per
//! claim) and [`report`] (a readable Markdown or HTML report). Problems that do not stop an export (a long
//! `claimReviewed`) come back as [`Warning`]s beside the bytes; problems that do (a missing required field) are an
//! [`ExportError`] naming the claim and the field.

pub mod claimreview;
pub mod csv;
pub mod json;
pub mod report;

use std::path::{Path, PathBuf};

use crate::review::{Claim, ClaimId, ReviewFile};

pub use json::{ExportedDocument, ReviewedClaims, import_json};

/// The formats [`write()`] produces.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Format {
    /// Lossless JSON of the claims and their reviews; [`import_json`] reads it back.
    Json,
    /// schema.org ClaimReview as JSON-LD, one per reviewed claim.
    ClaimReview,
    /// RFC 4180 CSV, one row per claim.
    Csv,
    /// A readable Markdown report.
    Markdown,
    /// A readable, self-contained HTML report.
    Html,
}

impl Format {
    pub const ALL: [Format; 5] = [Format::Json, Format::ClaimReview, Format::Csv, Format::Markdown, Format::Html];

    /// The name used on the command line (`--format claimreview`).
    pub fn as_str(self) -> &'static str {
        match self {
            Format::Json => "json",
            Format::ClaimReview => "claimreview",
            Format::Csv => "csv",
            Format::Markdown => "markdown",
            Format::Html => "html",
        }
    }

    /// The label shown to people in menus.
    pub fn label(self) -> &'static str {
        match self {
            Format::Json => "JSON (lossless)",
            Format::ClaimReview => "ClaimReview JSON-LD (schema.org)",
            Format::Csv => "CSV",
            Format::Markdown => "Markdown report",
            Format::Html => "HTML report",
        }
    }

    /// The usual file extension, without the dot: what a save dialog proposes.
    pub fn extension(self) -> &'static str {
        match self {
            Format::Json => "json",
            Format::ClaimReview => "jsonld",
            Format::Csv => "csv",
            Format::Markdown => "md",
            Format::Html => "html",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        let s = s.to_ascii_lowercase();
        Self::ALL.into_iter().find(|f| f.as_str() == s || (s == "md" && *f == Format::Markdown))
    }
}

impl std::fmt::Display for Format {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What to export.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Options {
    /// Export every claim, unreviewed ones too (default: reviewed claims only). ClaimReview always holds reviewed
    /// claims only: an unreviewed claim has no rating to publish.
    pub all: bool,
    /// The date a report gives as its own, `YYYY-MM-DD` (default: today, in UTC).
    pub date: Option<String>,
}

/// A problem that does not stop an export: shown to the reviewer, never fatal.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Warning {
    /// The claim concerned, if the warning is about one.
    pub claim: Option<ClaimId>,
    pub message: String,
}

impl std::fmt::Display for Warning {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.claim {
            Some(id) => write!(f, "claim {id}: {}", self.message),
            None => f.write_str(&self.message),
        }
    }
}

/// The result of an export: the bytes to write and the warnings to show.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Exported {
    pub bytes: Vec<u8>,
    pub warnings: Vec<Warning>,
    /// How many claims the export holds.
    pub claims: usize,
}

/// Why an export could not be made, or an exported file not read back.
#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    /// A field the format requires is missing: names the claim, the field and how to fix it.
    #[error("claim {claim} (\"{excerpt}\"): {format} requires `{field}`: {hint}{}", more_claims(*.more))]
    MissingField {
        format: &'static str,
        claim: ClaimId,
        excerpt: String,
        field: &'static str,
        hint: String,
        /// How many further claims have the same problem.
        more: usize,
    },
    /// A field has a value the format cannot carry.
    #[error("{field}: {message}")]
    InvalidField { field: String, message: String },
    #[error("cannot encode the {format} export: {message}")]
    Encode { format: &'static str, message: String },
    /// An exported JSON file that cannot be read back; `field` is a JSON path into it.
    #[error("not a ClaimDesk JSON export: {field}: {message}")]
    Import { field: String, message: String },
    /// The export could not be written; names the file.
    #[error(transparent)]
    Write(#[from] crate::atomic::WriteError),
}

fn more_claims(more: usize) -> String {
    match more {
        0 => String::new(),
        1 => " (and 1 more claim)".to_owned(),
        n => format!(" (and {n} more claims)"),
    }
}

impl ExportError {
    /// The same error with `path` named in front, for messages about a file the caller knows.
    pub fn in_file(self, path: &Path) -> FileExportError {
        FileExportError { path: path.to_path_buf(), source: self }
    }
}

/// An [`ExportError`] about a named file (the review file exported, or the export read back).
#[derive(Debug, thiserror::Error)]
#[error("{path}: {source}")]
pub struct FileExportError {
    pub path: PathBuf,
    #[source]
    pub source: ExportError,
}

/// The claims an export holds, in document order: reviewed ones, or with [`Options::all`] every claim at the file's
/// threshold ([`ReviewFile::is_claim`]), unreviewed ones too; sentences below the threshold are not claims.
pub fn selected<'a>(file: &'a ReviewFile, options: &Options) -> Vec<&'a Claim> {
    file.claims.iter().filter(|c| c.review.is_reviewed() || (options.all && file.is_claim(c))).collect()
}

/// Export `file` as `format`.
pub fn write(file: &ReviewFile, format: Format, options: &Options) -> Result<Exported, ExportError> {
    let mut exported = match format {
        Format::Json => json::export(file, options),
        Format::ClaimReview => claimreview::export(file, options),
        Format::Csv => csv::export(file, options),
        Format::Markdown => report::markdown(file, options),
        Format::Html => report::html(file, options),
    }?;
    if exported.claims == 0 {
        let message = if options.all || format == Format::ClaimReview {
            "no claims to export: the export is empty".to_owned()
        } else {
            "no reviewed claims: the export is empty (export every claim with --all)".to_owned()
        };
        exported.warnings.push(Warning { claim: None, message });
    }
    Ok(exported)
}

/// Export `file` as `format` and write it to `out` atomically. Returns the export (for its warnings) once written.
pub fn save(file: &ReviewFile, format: Format, options: &Options, out: &Path) -> Result<Exported, ExportError> {
    let exported = write(file, format, options)?;
    crate::atomic::write_atomic(out, &exported.bytes)?;
    Ok(exported)
}

/// The reviewed claims of `file` as pretty JSON: the [`Format::Json`] export of reviewed claims, kept for callers of
/// the first version of this module. Prefer [`write()`], which also reports errors.
pub fn reviewed_claims_json(file: &ReviewFile) -> String {
    json::export(file, &Options::default()).map(|e| String::from_utf8_lossy(&e.bytes).into_owned()).unwrap_or_default()
}

/// A claim's text shortened to about `max` characters on one line, for messages.
pub fn excerpt(text: &str, max: usize) -> String {
    let one_line = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if one_line.chars().count() <= max {
        return one_line;
    }
    let cut: String = one_line.chars().take(max.saturating_sub(1)).collect();
    format!("{}…", cut.trim_end())
}

/// Sources of a claim formatted one per line: `reference — “quote” (accessed DATE)`. Used by CSV and the reports.
pub fn source_line(source: &crate::review::EvidenceSource) -> String {
    let mut line = source.reference.trim().to_owned();
    if !source.quote.trim().is_empty() {
        line.push_str(&format!(" — “{}”", source.quote.trim()));
    }
    if let Some(date) = source.accessed.as_deref().filter(|d| !d.trim().is_empty()) {
        line.push_str(&format!(" (accessed {})", date.trim()));
    }
    line
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_round_trip_their_names() {
        for f in Format::ALL {
            assert_eq!(Format::parse(f.as_str()), Some(f));
        }
        assert_eq!(Format::parse("MD"), Some(Format::Markdown));
        assert_eq!(Format::parse("pdf"), None);
    }

    #[test]
    fn excerpt_is_one_bounded_line() {
        assert_eq!(excerpt("Sales\n rose  7%.", 40), "Sales rose 7%.");
        let long = excerpt(&"word ".repeat(40), 20);
        assert!(long.ends_with('…') && long.chars().count() <= 20, "{long}");
    }
}
