//! The review file on disk: reading with validation, the format versions, and what a file that is not a review
//! file looks like. Checking ([`validate`]) and writing ([`save`], [`to_bytes`]) have their own modules.
//!
//! Loading never trusts the file. JSON syntax and type errors name the field path (`claims[3].review.status`);
//! then [`validate`] checks what types cannot: the format name and version, the fingerprint against the text, every
//! span in bounds and on char boundaries, each claim's text against the document slice, unique ids, scores and
//! thresholds in [0, 1], dates that parse. Every problem is reported, not just the first.
//!
//! Saving goes through [`crate::atomic::write_atomic_streaming`]: a crash never leaves half a file, and the previous
//! version is kept as `NAME.bak`. A file is written at the lowest version that holds what it uses
//! ([`version_to_write`]): version 2 unless a version-3 field is set.

use serde::Deserialize;
use std::path::{Path, PathBuf};

use super::{Origin, Review, ReviewFile};

mod validate;
mod write;

pub use validate::{is_date, validate};
pub use write::{save, to_bytes, to_compact_string, write_to};

/// The `format` field of every review file.
pub const FORMAT_NAME: &str = "claimdesk-review";
/// The newest version this build reads; a file is written as this version only when it uses what version 3 added
/// (see [`version_3_fields`]).
pub const FORMAT_VERSION: u32 = 3;
/// The version a file that uses nothing version 3 added is written as, so a desk one version behind can open it.
pub const BASE_VERSION: u32 = 2;
/// The longest speaker's name a claim may hold: a label is a name and a title or two, not a paragraph.
pub const MAX_SPEAKER_CHARS: usize = 200;
/// Review files larger than this are refused: a real review of a book is a few tens of megabytes.
pub const MAX_REVIEW_BYTES: u64 = 512 * 1024 * 1024;

/// One thing wrong with a review file: the field at fault and what is wrong with it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// A path like `claims[3].span.end`.
    pub field: String,
    pub message: String,
}

impl Problem {
    fn new(field: impl Into<String>, message: impl Into<String>) -> Self {
        Self { field: field.into(), message: message.into() }
    }
}

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.field, self.message)
    }
}

/// Why a review file could not be loaded or saved. Every message names the file.
#[derive(Debug, thiserror::Error)]
pub enum ReviewError {
    /// Missing, a folder, a pipe or device, too large, or unreadable.
    #[error(transparent)]
    Read(#[from] crate::fsread::ReadError),
    #[error("{path}: not a valid review file: {message}")]
    Json { path: PathBuf, message: String },
    #[error("{path}: {}", problems.iter().map(|p| p.to_string()).collect::<Vec<_>>().join("; "))]
    Invalid { path: PathBuf, problems: Vec<Problem> },
    #[error(transparent)]
    Write(#[from] crate::atomic::WriteError),
}

impl ReviewError {
    /// The validation problems, when the file parsed but is not valid.
    pub fn problems(&self) -> &[Problem] {
        match self {
            ReviewError::Invalid { problems, .. } => problems,
            _ => &[],
        }
    }
}

/// Load and validate the review file at `path`.
pub fn load(path: &Path) -> Result<ReviewFile, ReviewError> {
    let bytes = read(path)?;
    from_slice(&bytes, path)
}

/// The bytes of the review file at `path`: refuses, naming the file, what is missing, a folder, a pipe or device,
/// too large or unreadable.
pub fn read(path: &Path) -> Result<Vec<u8>, ReviewError> {
    Ok(crate::fsread::read_bounded(path, MAX_REVIEW_BYTES)?)
}

/// Parse and validate review-file bytes; `path` names the file in errors.
pub fn from_slice(bytes: &[u8], path: &Path) -> Result<ReviewFile, ReviewError> {
    let file = parse(bytes, path)?;
    let problems = validate(&file);
    if problems.is_empty() { Ok(file) } else { Err(ReviewError::Invalid { path: path.to_path_buf(), problems }) }
}

/// Parse without validating (the `validate` command lists problems of files that parse).
pub fn parse(bytes: &[u8], path: &Path) -> Result<ReviewFile, ReviewError> {
    // The common case, a good file, takes one plain parse. Only a file that fails is looked at again, more slowly,
    // to say what is wrong with it and where.
    // One UTF-8 check of the whole file, rather than one per string as a byte-slice parse does.
    if let Ok(text) = std::str::from_utf8(bytes) {
        let mut de = serde_json::Deserializer::from_str(text);
        if let Ok(mut file) = ReviewFile::deserialize(&mut de)
            && de.end().is_ok()
        {
            fill_implied_origins(&mut file);
            return settle_version(file, path);
        }
    }
    Err(diagnose(bytes, path))
}

/// Every field of `file` that format version 3 added and that holds something, as field paths
/// (`claims[3].review.settled`). A file with none is written as [`BASE_VERSION`] (or as version 1, when it was read
/// as one); a file with any is written as version 3; a file that declares an older version and has any is refused.
/// A field added to the file format this round is added here.
pub fn version_3_fields(file: &ReviewFile) -> Vec<String> {
    let mut fields = Vec::new();
    for (list, claims) in [("claims", &file.claims), ("detached", &file.detached)] {
        for (i, claim) in claims.iter().enumerate() {
            if claim.speaker.is_some() {
                fields.push(format!("{list}[{i}].speaker"));
            }
            if !claim.dismissed.is_empty() {
                fields.push(format!("{list}[{i}].dismissed"));
            }
            review_version_3_fields(&claim.review, &format!("{list}[{i}].review"), &mut fields);
        }
    }
    fields
}

/// The version 3 fields of a review (and of the reviewers' verdicts kept in it), at `at`.
fn review_version_3_fields(review: &Review, at: &str, fields: &mut Vec<String>) {
    if review.settled.is_some() {
        fields.push(format!("{at}.settled"));
    }
    if review.based_on.is_some() {
        fields.push(format!("{at}.based_on"));
    }
    for (v, verdict) in review.verdicts.iter().enumerate() {
        review_version_3_fields(&verdict.review, &format!("{at}.verdicts[{v}].review"), fields);
    }
}

/// Whether `review` (or a verdict kept in it) uses a field version 3 added.
fn review_uses_version_3(review: &Review) -> bool {
    review.settled.is_some()
        || review.based_on.is_some()
        || review.verdicts.iter().any(|v| review_uses_version_3(&v.review))
}

/// Whether `file` uses anything format version 3 added (without naming the fields: a save asks this of every file).
fn uses_version_3(file: &ReviewFile) -> bool {
    file.claims
        .iter()
        .chain(&file.detached)
        .any(|c| c.speaker.is_some() || !c.dismissed.is_empty() || review_uses_version_3(&c.review))
}

/// The version `file` is written as: 3 when it uses what version 3 added, else the version it was read as (1 or 2).
pub fn version_to_write(file: &ReviewFile) -> u32 {
    if uses_version_3(file) { FORMAT_VERSION } else { file.version.min(BASE_VERSION) }
}

/// A parsed file's version, checked and settled: a field of version 3 in a file that says it is older is refused,
/// naming the field; a version 3 file is held as version 2 plus what it uses, so the writer alone decides the
/// version it is saved as.
fn settle_version(mut file: ReviewFile, path: &Path) -> Result<ReviewFile, ReviewError> {
    if file.version < FORMAT_VERSION {
        let fields = version_3_fields(&file);
        if !fields.is_empty() {
            let said = file.version;
            let problems = fields
                .into_iter()
                .map(|f| Problem::new(f, format!("needs format version 3, but the file says version {said}")))
                .collect();
            return Err(ReviewError::Invalid { path: path.to_path_buf(), problems });
        }
    }
    if file.version == FORMAT_VERSION {
        file.version = BASE_VERSION;
    }
    Ok(file)
}

/// From version 2 on, a claim found by the file's own extractor states no origin: give it the extractor's.
fn fill_implied_origins(file: &mut ReviewFile) {
    if file.version < 2 {
        return;
    }
    let ReviewFile { extractor, claims, detached, .. } = file;
    for claim in claims.iter_mut().chain(detached.iter_mut()).filter(|c| c.origin.is_unstated()) {
        claim.origin = Origin::Extractor { name: extractor.name.clone(), version: extractor.version.clone() };
    }
}

/// What `bytes`, which are not a review file, look like, when that is something else a reviewer may have in hand:
/// a document, another JSON (a ClaimDesk export, ClaimReview, the JSON Lines of batch extraction), or a binary
/// file. `None` when they look like a review file with something wrong in it (that is named by the parse error).
pub fn looks_like(bytes: &[u8]) -> Option<String> {
    if bytes.contains(&0) {
        return Some("a binary file".to_owned());
    }
    let text = std::str::from_utf8(bytes).ok()?;
    let trimmed = text.trim_start_matches('\u{feff}').trim();
    if trimmed.is_empty() {
        return None; // "the file is empty" says it better
    }
    if let Ok(value) = serde_json::from_str::<serde_json::Value>(trimmed) {
        let format = value.get("format").and_then(|f| f.as_str());
        let context = value.get("@context").is_some() || value.get("@graph").is_some();
        return match format {
            Some(FORMAT_NAME) => None,
            Some(other) => Some(format!("a JSON file of another format (\"{}\")", clip(other))),
            None if context => Some("schema.org JSON-LD (a ClaimReview export?)".to_owned()),
            None => Some("a JSON file that is not a ClaimDesk review".to_owned()),
        };
    }
    let lines: Vec<&str> = trimmed.lines().filter(|l| !l.trim().is_empty()).collect();
    let reviews = lines.iter().filter(|l| l.contains(&format!("\"format\":\"{FORMAT_NAME}\""))).count();
    if lines.len() > 1 && reviews == lines.len() {
        return Some(format!("JSON Lines of {reviews} review files (the output of batch extraction)"));
    }
    if trimmed.starts_with('{') || trimmed.starts_with('[') {
        return None; // broken JSON: the parse error says where
    }
    let lower = trimmed.get(..trimmed.len().min(200)).unwrap_or(trimmed).to_ascii_lowercase();
    let kind = if lower.starts_with("<!doctype html") || lower.starts_with("<html") {
        "an HTML document"
    } else if lower.starts_with('#') {
        "a Markdown document"
    } else {
        "a text document"
    };
    Some(kind.to_owned())
}

/// Why `bytes` is not a review file: the format or version when those are wrong, else the field at fault, with its
/// line and column.
fn diagnose(bytes: &[u8], path: &Path) -> ReviewError {
    let json_err = |message: String| ReviewError::Json { path: path.to_path_buf(), message };
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return json_err("the file is empty".to_owned());
    }
    // A review file is one JSON object. Anything else (an array, which serde would read as the fields in order; a
    // number; text) is named as such instead of by the first field it happens to break.
    let first = bytes.iter().find(|b| !b.is_ascii_whitespace());
    if first != Some(&b'{') {
        let found = match first {
            Some(b'[') => "an array",
            Some(b'"') => "a string",
            Some(b'-' | b'0'..=b'9') => "a number",
            Some(b't' | b'f' | b'n') if serde_json::from_slice::<serde_json::Value>(bytes).is_ok() => {
                "true, false or null"
            }
            _ => "something that is not JSON",
        };
        return json_err(format!("expected a JSON object at the top level, found {found}"));
    }
    // A first look at the format name and version, so a file of another format or a newer version gets that
    // message rather than a complaint about a field it happens to lack.
    #[derive(serde::Deserialize)]
    struct Header {
        format: Option<serde_json::Value>,
        version: Option<serde_json::Value>,
    }
    if let Ok(header) = serde_json::from_slice::<Header>(bytes) {
        match header.format.as_ref().and_then(|f| f.as_str()) {
            Some(FORMAT_NAME) => {}
            Some(other) => {
                return json_err(format!("format: expected \"{FORMAT_NAME}\", found \"{}\"", clip(other)));
            }
            None => return json_err(format!("format: missing (not a {FORMAT_NAME} file)")),
        }
        match header.version.as_ref().and_then(|v| v.as_u64()) {
            Some(v) if v >= 1 && v <= u64::from(FORMAT_VERSION) => {}
            Some(v) => {
                return json_err(format!(
                    "version: {v} is not supported (this ClaimDesk reads versions 1 to {FORMAT_VERSION})"
                ));
            }
            None => return json_err("version: missing or not a whole number".to_owned()),
        }
    }
    let mut de = serde_json::Deserializer::from_slice(bytes);
    if let Err(e) = serde_path_to_error::deserialize::<_, ReviewFile>(&mut de) {
        // serde_path_to_error writes `?` for a field it had not named yet (the file ended, or broke, before the
        // key): `claims[3].review.?` is reported as `claims[3].review`.
        let path = e.path().to_string();
        let field = path.trim_end_matches('?').trim_end_matches('.');
        let inner = e.into_inner();
        let at = if inner.line() > 0 {
            format!(" (line {}, column {})", inner.line(), inner.column())
        } else {
            String::new()
        };
        let message = strip_position(&inner.to_string());
        return if field.is_empty() || field == "." {
            json_err(format!("{message}{at}"))
        } else {
            json_err(format!("{field}: {message}{at}"))
        };
    }
    match de.end() {
        Err(e) => json_err(format!("trailing characters after the review (line {}, column {})", e.line(), e.column())),
        // The fast parse failed, so this one should have too; should they ever disagree, say so rather than guess.
        Ok(()) => json_err("not a valid review file".to_owned()),
    }
}

/// serde_json appends " at line L column C"; the position is reported separately.
fn strip_position(message: &str) -> String {
    match message.rfind(" at line ") {
        Some(i) => message[..i].to_owned(),
        None => message.to_owned(),
    }
}

/// The first 60 characters of `s`, with an ellipsis when cut.
pub fn clip(s: &str) -> String {
    if s.chars().count() > 60 { format!("{}…", s.chars().take(60).collect::<String>()) } else { s.to_owned() }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Span;
    use crate::review::{ClaimId, Status};

    use crate::review::two_claim_sample as sample;

    /// The sample with its first claim reviewed (an unreviewed claim's review is left out of the file).
    fn reviewed_sample() -> ReviewFile {
        let mut file = sample();
        file.claims[0].review.status = Status::Verified;
        file
    }

    #[test]
    fn a_fresh_review_is_valid_and_round_trips() {
        let mut file = sample();
        file.claims[0].review.status = Status::Verified;
        file.claims[0].review.changed = Some(crate::review::now_rfc3339());
        assert_eq!(validate(&file), vec![]);
        let back = from_slice(&to_bytes(&file), Path::new("r.json")).unwrap();
        assert_eq!(back, file);
    }

    #[test]
    fn an_unnamed_field_is_not_shown_as_a_question_mark() {
        let err = from_slice(b"{", Path::new("r.json")).unwrap_err().to_string();
        assert_eq!(err, "r.json: not a valid review file: EOF while parsing an object (line 1, column 1)");
        let file = to_bytes(&reviewed_sample());
        let cut = std::str::from_utf8(&file).unwrap().find("\"status\"").unwrap() + 3;
        let err = from_slice(&file[..cut], Path::new("r.json")).unwrap_err().to_string();
        assert!(err.starts_with("r.json: not a valid review file: claims[0].review: EOF while parsing"), "{err}");
    }

    #[test]
    fn the_files_own_extractor_is_implied_and_other_origins_are_stated() {
        let mut file = sample();
        file.claims[1].origin = Origin::Manual;
        file.claims[0].origin = Origin::Extractor { name: "older-model".into(), version: "0.9".into() };
        let mut more = sample().claims.remove(0);
        more.id = ClaimId("c-third".into());
        more.span = Span::new(0, 5);
        more.text = "Sales".into();
        let own = more.origin.clone();
        file.claims.push(more);
        let text = String::from_utf8(to_bytes(&file)).unwrap();
        let lines: Vec<&str> = text.lines().filter(|l| l.contains("\"id\":")).collect();
        assert!(lines[0].contains(r#""origin":{"kind":"extractor","name":"older-model","version":"0.9"}"#), "{text}");
        assert!(lines[1].contains(r#""origin":{"kind":"manual"}"#), "{text}");
        assert!(!lines[2].contains("origin"), "the file's own extractor goes unstated: {text}");
        let back = from_slice(text.as_bytes(), Path::new("r.json")).unwrap();
        assert_eq!(back.claims[2].origin, own);
        assert_eq!(back, file);
        assert_eq!(from_slice(to_compact_string(&file).as_bytes(), Path::new("r.json")).unwrap(), file);
        // An export (any serialisation outside the review file) states every origin.
        assert!(serde_json::to_string(&file.claims[2]).unwrap().contains("claimdesk-"));
        // ... and every other field, empty or not: only the review file leaves them out.
        let mut bare = file.claims[2].clone();
        (bare.kinds, bare.attribution) = (Vec::new(), None);
        let outside = serde_json::to_string(&bare).unwrap();
        for field in ["\"review\":{\"status\":\"unreviewed\"", "\"kinds\":[]", "\"attribution\":null"] {
            assert!(outside.contains(field), "{field} in {outside}");
        }
        let mut inside = file.clone();
        inside.claims = vec![bare];
        let inside = String::from_utf8(to_bytes(&inside)).unwrap();
        for field in ["\"review\"", "\"kinds\"", "\"attribution\"", "\"origin\""] {
            assert!(!inside.contains(field), "{field} left out of {inside}");
        }
    }

    #[test]
    fn a_version_1_file_states_every_origin() {
        let mut file = sample();
        file.version = 1;
        let text = String::from_utf8(to_bytes(&file)).unwrap();
        assert_eq!(text.matches("\"origin\"").count(), file.claims.len(), "{text}");
        assert_eq!(from_slice(text.as_bytes(), Path::new("r.json")).unwrap(), file);
        // Without its origin, a version 1 claim is refused, naming the field.
        let start = text.find(",\"origin\":").unwrap();
        let end = start + text[start..].find('}').unwrap() + 1;
        let broken = format!("{}{}", &text[..start], &text[end..]);
        let err = from_slice(broken.as_bytes(), Path::new("r.json")).unwrap_err().to_string();
        assert!(err.contains("claims[0].origin: missing"), "{err}");
        // An extractor origin with no name is not a way to leave the origin out.
        let name = format!(r#""name":"{}""#, file.extractor.name);
        let empty = text.replacen(&name, r#""name":"""#, 1);
        assert_ne!(empty, text);
        let err = from_slice(empty.as_bytes(), Path::new("r.json")).unwrap_err().to_string();
        assert!(err.contains("claims[0].origin: invalid value"), "{err}");
    }

    #[test]
    fn a_file_is_written_as_version_3_only_when_it_uses_what_version_3_added() {
        let plain = reviewed_sample();
        let text = String::from_utf8(to_bytes(&plain)).unwrap();
        assert!(text.contains("\"version\": 2"), "a file using nothing new stays version 2: {text}");
        assert_eq!(from_slice(text.as_bytes(), Path::new("r.json")).unwrap(), plain);

        let mut settled = reviewed_sample();
        settled.claims[0].review.settled =
            Some(crate::review::Settlement { by: "carol".into(), verdict_of: Some("bob".into()) });
        assert_eq!(version_3_fields(&settled), vec!["claims[0].review.settled".to_owned()]);
        let text = String::from_utf8(to_bytes(&settled)).unwrap();
        assert!(text.contains("\"version\": 3"), "{text}");
        let back = from_slice(text.as_bytes(), Path::new("r.json")).unwrap();
        assert_eq!(back, settled, "read back whole (held as 2 plus what it uses)");
        assert_eq!(back.version, BASE_VERSION);

        // Taking the new field away again gives a version 2 file.
        let mut undone = back;
        undone.claims[0].review.settled = None;
        assert!(String::from_utf8(to_bytes(&undone)).unwrap().contains("\"version\": 2"));

        // A file that says it is older than what it holds is refused, naming the field.
        let older = text.replacen("\"version\": 3", "\"version\": 2", 1);
        let err = from_slice(older.as_bytes(), Path::new("r.json")).unwrap_err().to_string();
        assert_eq!(err, "r.json: claims[0].review.settled: needs format version 3, but the file says version 2");
        // A version 1 file stays version 1 until it uses something new.
        let mut v1 = reviewed_sample();
        v1.version = 1;
        assert!(String::from_utf8(to_bytes(&v1)).unwrap().contains("\"version\": 1"));
        v1.claims[0].review.settled = settled.claims[0].review.settled.clone();
        assert!(String::from_utf8(to_bytes(&v1)).unwrap().contains("\"version\": 3"));
        // A newer version than this build reads is named as such.
        let newer = text.replacen("\"version\": 3", "\"version\": 4", 1);
        let err = from_slice(newer.as_bytes(), Path::new("r.json")).unwrap_err().to_string();
        assert!(err.contains("version: 4 is not supported (this ClaimDesk reads versions 1 to 3)"), "{err}");
    }

    #[test]
    fn a_verdict_based_on_a_library_entry_and_dismissed_matches_are_version_3() {
        use crate::review::LibraryRef;
        let entry = |id: &str| LibraryRef {
            source: "file:/feeds/snopes.tsv".into(),
            id: id.into(),
            name: Some("snopes.tsv".into()),
            url: Some(format!("https://example.org/check/{id}")),
            claim: Some("Sales rose 7% in 2021.".into()),
            verdict: Some("True".into()),
        };
        let mut file = reviewed_sample();
        file.claims[0].review.based_on = Some(Box::new(entry("17")));
        file.claims[1].dismissed = vec![entry("42")];
        assert_eq!(version_3_fields(&file), ["claims[0].review.based_on", "claims[1].dismissed"]);
        let text = String::from_utf8(to_bytes(&file)).unwrap();
        assert!(text.contains("\"version\": 3") && text.contains("\"dismissed\":[{"), "{text}");
        assert_eq!(from_slice(text.as_bytes(), Path::new("r.json")).unwrap(), file);
        let older = text.replacen("\"version\": 3", "\"version\": 2", 1);
        let err = from_slice(older.as_bytes(), Path::new("r.json")).unwrap_err().to_string();
        assert!(err.contains("claims[0].review.based_on: needs format version 3"), "{err}");
        assert!(err.contains("claims[1].dismissed: needs format version 3"), "{err}");
        // A dismissal is an undoable edit like any other.
        let mut history = crate::review::edit::History::new();
        let before = file.clone();
        let id = file.claims[0].id.clone();
        let edit = crate::review::edit::Edit::SetDismissed { id, before: Vec::new(), after: vec![entry("9")] };
        history.apply(&mut file, edit).unwrap();
        assert_eq!(file.claims[0].dismissed.len(), 1);
        history.undo(&mut file).unwrap();
        assert_eq!(file, before);
    }

    #[test]
    fn an_unknown_field_is_named_not_dropped() {
        // A misspelt field would otherwise be dropped silently on the next save, and the reviewer's text with it.
        let json = String::from_utf8(to_bytes(&reviewed_sample())).unwrap().replacen("\"status\"", "\"stauts\"", 1);
        let err = from_slice(json.as_bytes(), Path::new("r.json")).unwrap_err().to_string();
        assert!(
            err.starts_with("r.json: not a valid review file: claims[0].review.stauts: unknown field `stauts`"),
            "{err}"
        );
        let json = String::from_utf8(to_bytes(&sample())).unwrap().replacen("{", "{\"comment\": \"mine\",", 1);
        let err = from_slice(json.as_bytes(), Path::new("r.json")).unwrap_err().to_string();
        assert!(err.contains("unknown field `comment`"), "{err}");
    }

    #[test]
    fn a_top_level_that_is_not_an_object_is_named() {
        for (bytes, found) in [
            (&b"[[[[1]]]]"[..], "found an array"),
            (b" \"text\"", "found a string"),
            (b"42", "found a number"),
            (b"null", "found true, false or null"),
            (b"claimdesk-review version 1", "found something that is not JSON"),
        ] {
            let err = from_slice(bytes, Path::new("r.json")).unwrap_err().to_string();
            assert!(
                err.starts_with("r.json: not a valid review file: expected a JSON object at the top level"),
                "{err}"
            );
            assert!(err.ends_with(found), "{err}");
        }
    }

    #[test]
    fn every_problem_is_named() {
        let mut file = sample();
        file.document.fingerprint = "0".repeat(64);
        file.claims[0].text.push('x');
        file.claims[1].id = file.claims[0].id.clone();
        file.claims[1].span.end = 10_000;
        file.claims[1].score = 7.0;
        file.claims[1].review.changed = Some("yesterday".into());
        let fields: Vec<String> = validate(&file).into_iter().map(|p| p.field).collect();
        for expected in [
            "document.fingerprint",
            "claims[0].text",
            "claims[1].id",
            "claims[1].span.end",
            "claims[1].score",
            "claims[1].review.changed",
        ] {
            assert!(fields.iter().any(|f| f == expected), "{expected} not in {fields:?}");
        }
    }
}
