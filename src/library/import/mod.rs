//! Reading fact-checks into the library: each file's format is detected by its content.
//!
//! - A JSON object with `"format": "claimdesk-review"`: a ClaimDesk review file ([`review`]): its reviewed claims,
//!   one source per reviewer.
//! - A JSON object with a `claims` array: the Google Fact Check Tools claim search ([`factcheck`]).
//! - Other JSON: schema.org ClaimReview JSON-LD ([`claimreview`]): one object, an array, an `@graph`, a `DataFeed`
//!   whose `dataFeedElement` items hold ClaimReviews, or JSON Lines of any of these.
//! - Anything else: a table ([`table`]) with a header row, TSV when its first line has a tab, else CSV.
//!
//! A file is read whole and checked before anything is written: a problem is an [`ImportError`] naming the file and
//! the line (or, inside one JSON document, the item's path) and what is wrong.

pub mod claimreview;
pub mod factcheck;
pub mod review;
pub mod table;

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use serde_json::Value;

use super::{Record, SourceInfo, SourceKind};

/// Input files larger than this are refused (a feed of a million fact-checks is about 500 MB).
pub const MAX_INPUT_BYTES: u64 = 2 * 1024 * 1024 * 1024;

/// Why a file could not be imported. Every message names the file, and the line or item at fault when there is one.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ImportError {
    #[error("{path}: {message}")]
    File { path: PathBuf, message: String },
    #[error("{path}: line {line}: {message}")]
    Line { path: PathBuf, line: u64, message: String },
    /// Inside one JSON document: the item's path (`@graph[3].reviewRating`).
    #[error("{path}: {at}: {message}")]
    Item { path: PathBuf, at: String, message: String },
    /// A message that already names the file (reading it, or a review file's own validation).
    #[error("{0}")]
    Read(String),
}

impl ImportError {
    /// An error at `line` of `path` (the whole file when `None`).
    pub fn at(path: &Path, line: Option<u64>, message: impl Into<String>) -> Self {
        match line {
            Some(line) => ImportError::Line { path: path.to_path_buf(), line, message: message.into() },
            None => ImportError::File { path: path.to_path_buf(), message: message.into() },
        }
    }
}

/// Where an item is in its file, for messages: a line, or a path inside one JSON document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Place {
    Line(u64),
    Item(String),
}

impl Place {
    pub fn error(&self, path: &Path, message: impl Into<String>) -> ImportError {
        match self {
            Place::Line(line) => ImportError::Line { path: path.to_path_buf(), line: *line, message: message.into() },
            Place::Item(at) => ImportError::Item { path: path.to_path_buf(), at: at.clone(), message: message.into() },
        }
    }
}

impl std::fmt::Display for Place {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Place::Line(line) => write!(f, "line {line}"),
            Place::Item(at) => f.write_str(at),
        }
    }
}

/// A source read from a file: its identity and its complete content.
#[derive(Debug, Clone, PartialEq)]
pub struct ReadSource {
    pub info: SourceInfo,
    pub records: Vec<Record>,
}

/// What a file held.
#[derive(Debug, Clone, PartialEq)]
pub struct ReadFile {
    /// The detected format.
    pub format: &'static str,
    /// One source for a feed; one per reviewer for a review file.
    pub sources: Vec<ReadSource>,
    /// Items that are not fact-checks, or repeated word for word.
    pub skipped: u64,
}

/// A fact-check as a reader found it, before ids are settled ([`settle_ids`]).
#[derive(Debug, Clone)]
pub struct Item {
    pub place: Place,
    /// The id the source gives it, if it gives one.
    pub given_id: Option<String>,
    pub record: Record,
}

/// Read, detect and check the file at `path`. `source_name` (`--source NAME`) names the source instead of the file's
/// path.
pub fn read_file(path: &Path, source_name: Option<&str>) -> Result<ReadFile, ImportError> {
    let text = read_text(path)?;
    let (format, items, skipped) = match detect(&text) {
        Detected::Review => return review::read(&text, path),
        Detected::FactCheckApi(value) => {
            let (items, skipped) = factcheck::items(&value, path)?;
            ("factcheck-api", items, skipped)
        }
        Detected::Json(values) => {
            let (items, skipped) = claimreview::items(&values, path)?;
            ("claimreview", items, skipped)
        }
        Detected::Table(delimiter) => {
            (if delimiter == b'\t' { "tsv" } else { "csv" }, table::items(&text, delimiter, path)?, 0)
        }
    };
    let (records, repeated) = settle_ids(items, path)?;
    let info = feed_source(path, source_name, format)?;
    Ok(ReadFile { format, sources: vec![ReadSource { info, records }], skipped: skipped + repeated })
}

/// The source of a feed file: named by `--source`, else by the file's absolute path (shown by its file name).
fn feed_source(path: &Path, source_name: Option<&str>, format: &str) -> Result<SourceInfo, ImportError> {
    let file_name =
        path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| path.display().to_string());
    let (key, name) = match source_name.map(str::trim) {
        Some(name) if !name.is_empty() => (format!("name:{name}"), name.to_owned()),
        Some(_) => return Err(ImportError::Read("--source: the name is empty".to_owned())),
        None => {
            let absolute =
                std::fs::canonicalize(path).map_err(|e| ImportError::at(path, None, format!("cannot resolve: {e}")))?;
            (format!("file:{}", absolute.display()), file_name)
        }
    };
    Ok(SourceInfo {
        key,
        kind: SourceKind::Feed,
        name,
        format: format.to_owned(),
        path: Some(path.display().to_string()),
        document_title: None,
        fingerprint: None,
        reviewer: None,
    })
}

/// The text of the file at `path`: refuses (naming the file) what is missing, a folder, a pipe or device, too
/// large, empty, binary, or not UTF-8 (or UTF-16 with a byte-order mark).
pub fn read_text(path: &Path) -> Result<String, ImportError> {
    let file_error = |message: String| ImportError::File { path: path.to_path_buf(), message };
    let meta = match std::fs::metadata(path) {
        Ok(m) => m,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Err(file_error("no such file".to_owned())),
        Err(e) => return Err(file_error(format!("cannot read: {e}"))),
    };
    if meta.is_dir() {
        return Err(file_error("is a folder, not a file".to_owned()));
    }
    if !meta.is_file() {
        return Err(file_error(
            "is not a regular file (a pipe, socket or device); save its contents to a file first".to_owned(),
        ));
    }
    if meta.len() > MAX_INPUT_BYTES {
        return Err(file_error(format!("is too large ({} bytes; the limit is {MAX_INPUT_BYTES} bytes)", meta.len())));
    }
    let bytes = std::fs::read(path).map_err(|e| file_error(format!("cannot read: {e}")))?;
    let text = crate::document::decode(&bytes, path).map_err(|e| ImportError::Read(e.to_string()))?;
    if text.trim().is_empty() {
        return Err(file_error("has nothing in it but blank space".to_owned()));
    }
    Ok(text)
}

/// What a file looks like.
#[derive(Debug)]
enum Detected {
    Review,
    FactCheckApi(Value),
    /// One JSON document, or JSON Lines: each value with the line it starts on.
    Json(Vec<(u64, Value)>),
    Table(u8),
}

fn detect(text: &str) -> Detected {
    let trimmed = text.trim_start();
    if trimmed.starts_with('{') || trimmed.starts_with('[') {
        let values = json_values(text);
        if let [(_, Value::Object(map))] = values.as_slice() {
            if map.get("format").and_then(Value::as_str) == Some(crate::review::FORMAT_NAME) {
                return Detected::Review;
            }
            if map.get("claims").is_some_and(Value::is_array) && !map.contains_key("@context") {
                let Some((_, value)) = values.into_iter().next() else { unreachable!("one value") };
                return Detected::FactCheckApi(value);
            }
        }
        return Detected::Json(values);
    }
    let first_line = text.lines().next().unwrap_or("");
    Detected::Table(if first_line.contains('\t') { b'\t' } else { b',' })
}

/// The JSON values of `text` with the line each starts on: one for a JSON document, one per line for JSON Lines. A
/// value that does not parse is kept as a `Value::String` holding the parser's message, prefixed by a NUL, so the
/// reader reports it at its line.
fn json_values(text: &str) -> Vec<(u64, Value)> {
    let mut stream = serde_json::Deserializer::from_str(text).into_iter::<Value>();
    let mut out = Vec::new();
    loop {
        let start = stream.byte_offset();
        match stream.next() {
            None => break,
            Some(Ok(v)) => {
                // The line of the value's first character, not of the whitespace before it.
                let skipped = text[start..].len() - text[start..].trim_start().len();
                out.push((line_of(text, start + skipped), v));
            }
            Some(Err(e)) => {
                out.push((e.line() as u64, Value::String(format!("\u{0}not valid JSON: {e}"))));
                break;
            }
        }
    }
    out
}

/// The 1-based line of byte offset `at` in `text`.
pub fn line_of(text: &str, at: usize) -> u64 {
    text.as_bytes()[..at.min(text.len())].iter().filter(|&&b| b == b'\n').count() as u64 + 1
}

/// Give every item its id, as the source gave it, or else one made from what it holds: the fact-check's URL when no
/// other item without an id has that URL, else the URL with `#` and a hash of the claim, and without a URL `h-` and a
/// hash of the claim. Items repeated word for word are dropped (counted); two different items with one id are an
/// error naming both.
pub fn settle_ids(items: Vec<Item>, path: &Path) -> Result<(Vec<Record>, u64), ImportError> {
    let mut url_uses: HashMap<&str, usize> = HashMap::new();
    for item in items.iter().filter(|i| i.given_id.is_none()) {
        if let Some(url) = item.record.url.as_deref() {
            *url_uses.entry(url).or_default() += 1;
        }
    }
    let ids: Vec<String> = items
        .iter()
        .map(|item| match (&item.given_id, item.record.url.as_deref()) {
            (Some(id), _) => id.clone(),
            (None, Some(url)) if url_uses.get(url) == Some(&1) => url.to_owned(),
            (None, Some(url)) => format!("{url}#{}", short_hash(&item.record.claim)),
            (None, None) => format!("h-{}", short_hash(&item.record.claim)),
        })
        .collect();
    let mut seen: HashMap<String, usize> = HashMap::new();
    let mut records: Vec<Record> = Vec::with_capacity(items.len());
    let mut places: Vec<&Place> = Vec::with_capacity(items.len());
    let mut repeated = 0;
    for (item, id) in items.iter().zip(ids) {
        let mut record = item.record.clone();
        record.id = id.clone();
        match seen.get(&id) {
            Some(&earlier) if records[earlier] == record => repeated += 1,
            Some(&earlier) => {
                return Err(item.place.error(
                    path,
                    format!(
                        "id `{id}` is also at {}, with other content; each fact-check needs its own id",
                        places[earlier]
                    ),
                ));
            }
            None => {
                seen.insert(id, records.len());
                records.push(record);
                places.push(&item.place);
            }
        }
    }
    Ok((records, repeated))
}

fn short_hash(s: &str) -> String {
    crate::document::fingerprint(s)[..12].to_owned()
}

/// A JSON value as text: a string (trimmed), a number, or an object's `name` (or `alternateName`, `@value`, `url`);
/// an array gives its first such text. `None` for null, a blank string, or nothing usable.
pub fn text_of(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.trim().to_owned()).filter(|s| !s.is_empty()),
        Value::Number(n) => Some(n.to_string()),
        Value::Object(map) => {
            ["name", "alternateName", "@value", "url"].iter().find_map(|k| map.get(*k).and_then(text_of))
        }
        Value::Array(items) => items.iter().find_map(text_of),
        _ => None,
    }
}

/// The field `key` of `map` as text ([`text_of`]); `None` when it is absent or empty.
pub fn field(map: &serde_json::Map<String, Value>, key: &str) -> Option<String> {
    map.get(key).and_then(text_of)
}

/// What a JSON value is, for messages ("an array").
pub fn kind_of(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "true or false",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn item(line: u64, id: Option<&str>, claim: &str, url: Option<&str>) -> Item {
        Item {
            place: Place::Line(line),
            given_id: id.map(str::to_owned),
            record: Record { claim: claim.to_owned(), url: url.map(str::to_owned), ..Record::default() },
        }
    }

    #[test]
    fn ids_are_kept_as_written_or_made_from_the_url() {
        let items = vec![
            item(2, Some(" 007"), "a", None),
            item(3, None, "b", Some("https://x.example/1")),
            item(4, None, "c", Some("https://x.example/2")),
            item(5, None, "d", Some("https://x.example/2")),
            item(6, None, "e", None),
        ];
        let (records, repeated) = settle_ids(items, Path::new("f.csv")).unwrap();
        assert_eq!(repeated, 0);
        assert_eq!(records[0].id, " 007");
        assert_eq!(records[1].id, "https://x.example/1");
        assert!(records[2].id.starts_with("https://x.example/2#"), "{}", records[2].id);
        assert_ne!(records[2].id, records[3].id);
        assert!(records[4].id.starts_with("h-"));
    }

    #[test]
    fn a_repeated_id_with_other_content_names_both_lines() {
        let items = vec![item(2, Some("1"), "a", None), item(3, Some("1"), "a", None), item(7, Some("1"), "b", None)];
        let err = settle_ids(items, Path::new("f.csv")).unwrap_err();
        assert_eq!(
            err.to_string(),
            "f.csv: line 7: id `1` is also at line 2, with other content; each fact-check needs its own id"
        );
        let (records, repeated) =
            settle_ids(vec![item(2, Some("1"), "a", None), item(3, Some("1"), "a", None)], Path::new("f")).unwrap();
        assert_eq!((records.len(), repeated), (1, 1));
    }

    #[test]
    fn detection_by_content() {
        assert!(matches!(detect("{\"format\": \"claimdesk-review\"}"), Detected::Review));
        assert!(matches!(detect("{\"claims\": []}"), Detected::FactCheckApi(_)));
        assert!(matches!(detect("[{\"@type\": \"ClaimReview\"}]"), Detected::Json(_)));
        assert!(matches!(detect("{\"a\":1}\n{\"a\":2}\n"), Detected::Json(v) if v.len() == 2 && v[1].0 == 2));
        assert!(matches!(detect("\tvclaim\ttitle\n0\ta\tb\n"), Detected::Table(b'\t')));
        assert!(matches!(detect("id,claim\n1,a\n"), Detected::Table(b',')));
    }
}
