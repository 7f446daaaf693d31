//! CSV: one row per claim, RFC 4180 (written by the `csv` crate: fields with commas, quotes or line breaks are
//! quoted, quotes doubled, rows end in CRLF).
//!
//! Columns, in [`COLUMNS`] order: id, start, end (byte offsets into the document's text), status, text, source (the
//! source the article credits), score (four decimals), kinds (`;`-separated), note, sources (one per line, as
//! [`super::source_line`]), reviewer, changed (RFC 3339), speaker and speaker_role (in a transcript, who says the
//! claim and whether they are a `speaker`, `moderator` or `audience`; empty elsewhere), and based_on (the earlier
//! fact-check from the claim library the verdict was based on: its URL, else its source and id). New columns come
//! last so that the columns before them keep their places for readers of earlier exports.

use super::{ExportError, Exported, Options, selected, source_line};
use crate::review::ReviewFile;

/// The header row.
pub const COLUMNS: [&str; 15] = [
    "id",
    "start",
    "end",
    "status",
    "text",
    "source",
    "score",
    "kinds",
    "note",
    "sources",
    "reviewer",
    "changed",
    "speaker",
    "speaker_role",
    "based_on",
];

/// The CSV of `file`'s claims.
pub fn export(file: &ReviewFile, options: &Options) -> Result<Exported, ExportError> {
    let encode = |e: ::csv::Error| ExportError::Encode { format: "CSV", message: e.to_string() };
    let claims = selected(file, options);
    let mut writer = ::csv::WriterBuilder::new().terminator(::csv::Terminator::CRLF).from_writer(Vec::new());
    writer.write_record(COLUMNS).map_err(encode)?;
    for c in &claims {
        let kinds: Vec<&str> = c.kinds.iter().map(|k| k.as_str()).collect();
        let sources: Vec<String> = c.review.sources.iter().map(source_line).collect();
        writer
            .write_record([
                c.id.as_str(),
                &c.span.start.to_string(),
                &c.span.end.to_string(),
                c.review.status.as_str(),
                &c.text,
                c.source().unwrap_or(""),
                &format!("{:.4}", c.score),
                &kinds.join(";"),
                &c.review.note,
                &sources.join("\n"),
                c.review.reviewer.as_deref().unwrap_or(""),
                c.review.changed.as_deref().unwrap_or(""),
                c.speaker_name().unwrap_or(""),
                c.speaker.as_ref().map_or("", |s| s.role.as_str()),
                &c.review.based_on.as_ref().map(|b| b.cite()).unwrap_or_default(),
            ])
            .map_err(encode)?;
    }
    let bytes = writer.into_inner().map_err(|e| ExportError::Encode { format: "CSV", message: e.to_string() })?;
    Ok(Exported { bytes, warnings: Vec::new(), claims: claims.len() })
}
