//! CSV and TSV with a header row (RFC 4180 quoting: a quoted field may hold the delimiter, doubled quotes and line
//! breaks).
//!
//! The header must name the claim: `claim`, `claimReviewed`, `vclaim` or `text` (case, spaces, `_` and `-` do not
//! matter). Optional columns: the id (`id`, `vclaim_id`, `claim_id`, or a first column with no name), `title`
//! (`headline`), the verdict (`verdict`, `rating`, `textualRating`, `label`), `url`, `date` (`datePublished`,
//! `reviewDate`), `author` (`organisation`, `organization`, `publisher`, `reviewer`), `language` (`lang`,
//! `inLanguage`, `languageCode`), `claimant`, `note`, `sources` (one per line). Other columns are ignored. Every row
//! must have as many fields as the header; a row whose claim (or, with an id column, id) is empty is an error.

use std::path::Path;

use super::{ImportError, Item, Place};
use crate::library::Record;

/// Which field a header names: the first name found, in order, wins.
const COLUMNS: &[(Field, &[&str])] = &[
    (Field::Claim, &["claim", "claimreviewed", "vclaim", "text", "claimtext"]),
    (Field::Id, &["id", "vclaimid", "claimid"]),
    (Field::Title, &["title", "headline"]),
    (Field::Verdict, &["verdict", "rating", "textualrating", "label"]),
    (Field::Url, &["url", "factcheckurl", "link"]),
    (Field::Date, &["date", "datepublished", "reviewdate"]),
    (Field::Author, &["author", "organisation", "organization", "publisher", "reviewer"]),
    (Field::Language, &["language", "lang", "inlanguage", "languagecode"]),
    (Field::Claimant, &["claimant"]),
    (Field::Note, &["note", "explanation"]),
    (Field::Sources, &["sources", "citation", "citations"]),
];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Field {
    Claim,
    Id,
    Title,
    Verdict,
    Url,
    Date,
    Author,
    Language,
    Claimant,
    Note,
    Sources,
}

/// A header name without case, spaces, `_` or `-`.
fn normal(name: &str) -> String {
    name.chars().filter(|c| c.is_alphanumeric()).flat_map(char::to_lowercase).collect()
}

/// The column of each field, from the header.
fn columns(header: &csv::StringRecord) -> Vec<(Field, usize)> {
    let names: Vec<String> = header.iter().map(normal).collect();
    let mut out = Vec::new();
    for (field, aliases) in COLUMNS {
        let found = aliases.iter().find_map(|a| names.iter().position(|n| n == a));
        // An unnamed first column is the id (as in the CheckThat! verified-claims file).
        let found = found.or_else(|| (*field == Field::Id && names.first().is_some_and(String::is_empty)).then_some(0));
        if let Some(column) = found {
            out.push((*field, column));
        }
    }
    out
}

/// The fact-checks of a CSV (`delimiter` b',') or TSV (b'\t') text.
pub fn items(text: &str, delimiter: u8, path: &Path) -> Result<Vec<Item>, ImportError> {
    let kind = if delimiter == b'\t' { "TSV" } else { "CSV" };
    let mut reader =
        csv::ReaderBuilder::new().delimiter(delimiter).has_headers(true).flexible(false).from_reader(text.as_bytes());
    let header = reader.headers().map_err(|e| csv_error(e, path, kind))?.clone();
    let columns = columns(&header);
    if !columns.iter().any(|(f, _)| *f == Field::Claim) {
        let names: Vec<&str> = header.iter().collect();
        return Err(ImportError::at(
            path,
            Some(1),
            format!(
                "the header names no claim column (found: {}; expected one of claim, claimReviewed, vclaim, text)",
                names.iter().map(|n| format!("`{n}`")).collect::<Vec<_>>().join(", ")
            ),
        ));
    }
    let mut out = Vec::new();
    let mut row = csv::StringRecord::new();
    loop {
        match reader.read_record(&mut row) {
            Ok(false) => break,
            Ok(true) => {}
            Err(e) => return Err(csv_error(e, path, kind)),
        }
        let line = row.position().map(|p| p.line()).unwrap_or(0);
        // A blank line (one empty field in a one-column table) is not a row.
        if row.len() == 1 && row.get(0).is_some_and(|f| f.trim().is_empty()) && header.len() > 1 {
            continue;
        }
        let get =
            |field: Field| -> Option<&str> { columns.iter().find(|(f, _)| *f == field).and_then(|(_, c)| row.get(*c)) };
        let opt = |field: Field| get(field).map(str::trim).filter(|s| !s.is_empty()).map(str::to_owned);
        let place = Place::Line(line);
        let claim = opt(Field::Claim).ok_or_else(|| place.error(path, "the claim is empty"))?;
        let given_id = match get(Field::Id) {
            Some(id) if id.trim().is_empty() => return Err(place.error(path, "the id is empty")),
            Some(id) => Some(id.to_owned()),
            None => None,
        };
        let sources = get(Field::Sources)
            .map(|s| s.lines().map(str::trim).filter(|l| !l.is_empty()).map(str::to_owned).collect())
            .unwrap_or_default();
        out.push(Item {
            place,
            given_id,
            record: Record {
                id: String::new(),
                claim,
                title: opt(Field::Title),
                verdict: opt(Field::Verdict),
                status: None,
                note: opt(Field::Note).unwrap_or_default(),
                sources,
                url: opt(Field::Url),
                author: opt(Field::Author),
                claimant: opt(Field::Claimant),
                date: opt(Field::Date),
                language: opt(Field::Language),
            },
        });
    }
    if out.is_empty() {
        return Err(ImportError::at(path, None, format!("the {kind} has a header but no rows")));
    }
    Ok(out)
}

fn csv_error(e: csv::Error, path: &Path, kind: &str) -> ImportError {
    let line = e.position().map(|p| p.line());
    let message = match e.kind() {
        csv::ErrorKind::UnequalLengths { expected_len, len, .. } => {
            format!("has {len} field(s) but the header has {expected_len} (a stray delimiter, or a quote not closed?)")
        }
        _ => format!("not valid {kind}: {e}"),
    };
    ImportError::at(path, line, message)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoted_line_breaks_and_an_unnamed_id_column() {
        let tsv = "\tvclaim\ttitle\n0\t\"A \"\"quoted\"\"\nclaim\"\tT0\n1\tplain\tT1\n";
        let items = items(tsv, b'\t', Path::new("v.tsv")).unwrap();
        assert_eq!(items.len(), 2);
        assert_eq!(items[0].record.claim, "A \"quoted\"\nclaim");
        assert_eq!(items[0].given_id.as_deref(), Some("0"));
        assert_eq!(items[1].place, Place::Line(4));
        assert_eq!(items[1].record.title.as_deref(), Some("T1"));
    }

    #[test]
    fn header_names_are_matched_loosely() {
        let csv = "Claim Reviewed,Textual-Rating,URL\nx,False,https://a.example\n";
        let items = items(csv, b',', Path::new("a.csv")).unwrap();
        assert_eq!(items[0].record.verdict.as_deref(), Some("False"));
        assert_eq!(items[0].given_id, None);
    }

    #[test]
    fn bad_rows_name_their_line() {
        let p = Path::new("a.csv");
        let e = |t: &str| items(t, b',', p).unwrap_err().to_string();
        assert_eq!(
            e("id,claim\n1,a\n2,b,c\n"),
            "a.csv: line 3: has 3 field(s) but the header has 2 (a stray delimiter, or a quote not closed?)"
        );
        assert_eq!(e("id,claim\n1,a\n2,  \n"), "a.csv: line 3: the claim is empty");
        assert_eq!(e("id,claim\n,a\n"), "a.csv: line 2: the id is empty");
        assert!(
            e("id,verdict\n1,a\n")
                .starts_with("a.csv: line 1: the header names no claim column (found: `id`, `verdict`;")
        );
        assert_eq!(e("id,claim\n"), "a.csv: the CSV has a header but no rows");
    }
}
