//! Documents: the text a reviewer checks.
//!
//! This module owns importing a file into a [`Document`]: decoding its bytes (UTF-8 with or without a byte-order mark,
//! UTF-16 with a byte-order mark), turning Markdown and HTML into their readable text, choosing a title and computing
//! the SHA-256 fingerprint that ties a review file to the exact text it was made on. Plain text is kept exactly as it
//! is (only a byte-order mark, which is encoding and not text, is dropped), so offsets into it match the file.
//! Markdown and HTML keep only their visible text, one paragraph per block, blocks separated by a blank line: markup,
//! code, scripts, styles and navigation never reach the extractor.

use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

/// The largest file ClaimDesk imports. Larger files are refused with a clear error rather than exhausting memory.
pub const MAX_DOCUMENT_BYTES: u64 = 256 * 1024 * 1024;

/// The format a document was imported from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    Text,
    Markdown,
    Html,
}

impl Format {
    /// The format a file name's extension says; anything unknown is read as plain text.
    pub fn from_path(path: &Path) -> Self {
        let ext = path.extension().and_then(|e| e.to_str()).map(|e| e.to_ascii_lowercase());
        match ext.as_deref() {
            Some("md" | "markdown" | "mdown" | "mkd") => Format::Markdown,
            Some("html" | "htm" | "xhtml") => Format::Html,
            _ => Format::Text,
        }
    }
}

/// A document: its exact text, a title, where it came from and its fingerprint.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Document {
    pub title: String,
    pub path: Option<PathBuf>,
    pub format: Format,
    pub text: String,
    /// SHA-256 of `text` (UTF-8 bytes), lowercase hex.
    pub fingerprint: String,
}

/// Why a file could not be imported. Every message names the file.
#[derive(Debug, thiserror::Error)]
pub enum DocumentError {
    /// Missing, a folder, a pipe or device, too large, or unreadable.
    #[error(transparent)]
    Read(#[from] crate::fsread::ReadError),
    #[error("{path}: is empty")]
    Empty { path: PathBuf },
    #[error("{path}: is too large ({size} bytes; the limit is {limit} bytes)")]
    TooLarge { path: PathBuf, size: u64, limit: u64 },
    #[error("{path}: looks like a binary file, not text (NUL byte at byte offset {offset})")]
    Binary { path: PathBuf, offset: usize },
    #[error("{path}: is not valid UTF-8 text (invalid byte at byte offset {offset})")]
    InvalidUtf8 { path: PathBuf, offset: usize },
    #[error("{path}: is not valid UTF-16 text (bad or unpaired code unit at byte offset {offset})")]
    InvalidUtf16 { path: PathBuf, offset: usize },
    #[error("{path}: has no readable text")]
    NoText { path: PathBuf },
}

impl Document {
    /// A document made from text already in memory (tests, the clipboard, a review file's stored text).
    pub fn from_text(title: impl Into<String>, text: impl Into<String>) -> Self {
        let text = text.into();
        Self { title: title.into(), path: None, format: Format::Text, fingerprint: fingerprint(&text), text }
    }
}

/// SHA-256 of `text`, lowercase hex.
pub fn fingerprint(text: &str) -> String {
    fingerprint_bytes(text.as_bytes())
}

/// SHA-256 of `bytes`, lowercase hex.
pub fn fingerprint_bytes(bytes: &[u8]) -> String {
    let digest = Sha256::digest(bytes);
    let mut out = String::with_capacity(64);
    for byte in digest {
        use std::fmt::Write;
        let _ = write!(out, "{byte:02x}");
    }
    out
}

/// Import the file at `path`, choosing the format by its extension.
pub fn load(path: &Path) -> Result<Document, DocumentError> {
    let bytes = crate::fsread::read_bounded(path, MAX_DOCUMENT_BYTES)?;
    let mut doc = from_bytes(&bytes, path, Format::from_path(path))?;
    doc.path = Some(path.to_path_buf());
    Ok(doc)
}

/// Import `bytes` as a document of `format`; `path` names the file in errors and gives the fallback title.
pub fn from_bytes(bytes: &[u8], path: &Path, format: Format) -> Result<Document, DocumentError> {
    let raw = decode(bytes, path)?;
    let (title, text) = match format {
        Format::Text => (headline(&raw).map(str::to_owned), raw),
        Format::Markdown => markdown_text(&raw),
        Format::Html => html_text(&raw),
    };
    if text.trim().is_empty() {
        return Err(if bytes.is_empty() {
            DocumentError::Empty { path: path.to_path_buf() }
        } else {
            DocumentError::NoText { path: path.to_path_buf() }
        });
    }
    let title = title
        .filter(|t| !t.trim().is_empty())
        .or_else(|| path.file_stem().map(|s| s.to_string_lossy().into_owned()))
        .unwrap_or_else(|| "Untitled".to_owned());
    Ok(Document { title: title.trim().to_owned(), path: None, format, fingerprint: fingerprint(&text), text })
}

/// A plain text's headline: its first line when that line looks like one (at most 150 characters and 20 words, not
/// ending in a full stop, and followed by a blank line), else `None` (the file name is the title then).
fn headline(text: &str) -> Option<&str> {
    let mut lines = text.lines();
    let first = lines.next()?.trim();
    let blank_after = lines.next().is_some_and(|l| l.trim().is_empty());
    let short = first.chars().count() <= 150 && first.split_whitespace().count() <= 20;
    let sentence_end = first.ends_with(['.', ',', ';', ':']);
    (blank_after && short && !first.is_empty() && !sentence_end).then_some(first)
}

/// Decode bytes to text: UTF-8 (a leading byte-order mark is dropped) or UTF-16 with a byte-order mark.
pub fn decode(bytes: &[u8], path: &Path) -> Result<String, DocumentError> {
    if bytes.is_empty() {
        return Err(DocumentError::Empty { path: path.to_path_buf() });
    }
    if let Some(rest) = bytes.strip_prefix(&[0xFF, 0xFE]) {
        return decode_utf16(rest, path, u16::from_le_bytes, 2);
    }
    if let Some(rest) = bytes.strip_prefix(&[0xFE, 0xFF]) {
        return decode_utf16(rest, path, u16::from_be_bytes, 2);
    }
    let (body, skipped) = match bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]) {
        Some(rest) => (rest, 3),
        None => (bytes, 0),
    };
    if let Some(offset) = body.iter().position(|&b| b == 0) {
        return Err(DocumentError::Binary { path: path.to_path_buf(), offset: offset + skipped });
    }
    match std::str::from_utf8(body) {
        Ok(text) => Ok(text.to_owned()),
        Err(e) => Err(DocumentError::InvalidUtf8 { path: path.to_path_buf(), offset: e.valid_up_to() + skipped }),
    }
}

fn decode_utf16(body: &[u8], path: &Path, unit: fn([u8; 2]) -> u16, bom_len: usize) -> Result<String, DocumentError> {
    if !body.len().is_multiple_of(2) {
        return Err(DocumentError::InvalidUtf16 { path: path.to_path_buf(), offset: bom_len + body.len() - 1 });
    }
    let units = body.chunks_exact(2).map(|c| unit([c[0], c[1]]));
    let mut text = String::with_capacity(body.len() / 2);
    for (i, ch) in char::decode_utf16(units).enumerate() {
        match ch {
            Ok('\0') => return Err(DocumentError::Binary { path: path.to_path_buf(), offset: bom_len + 2 * i }),
            Ok(c) => text.push(c),
            // `i` counts decoded items, which is exact up to the first error: every earlier item was one unit or a
            // pair, so locate the unit precisely by re-walking.
            Err(_) => {
                let offset = bom_len + 2 * utf16_units_before(&text);
                return Err(DocumentError::InvalidUtf16 { path: path.to_path_buf(), offset });
            }
        }
    }
    Ok(text)
}

fn utf16_units_before(text: &str) -> usize {
    text.chars().map(char::len_utf16).sum()
}

/// Markdown to readable text: one paragraph per block (heading, paragraph, list item, quote), blocks separated by a
/// blank line. Code blocks, HTML blocks and link targets are markup, not prose, and are left out. The first heading
/// is the title.
fn markdown_text(source: &str) -> (Option<String>, String) {
    use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};

    let mut paragraphs: Vec<String> = Vec::new();
    let mut current = String::new();
    let mut title: Option<String> = None;
    let mut in_heading = false;
    let mut code_depth = 0usize;
    let flush = |current: &mut String, paragraphs: &mut Vec<String>| {
        let p = collapse_whitespace(current);
        if !p.is_empty() {
            paragraphs.push(p);
        }
        current.clear();
    };
    for event in Parser::new_ext(source, Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH) {
        match event {
            Event::Start(Tag::CodeBlock(_)) => code_depth += 1,
            Event::End(TagEnd::CodeBlock) => code_depth = code_depth.saturating_sub(1),
            Event::Start(Tag::Heading { .. }) => {
                flush(&mut current, &mut paragraphs);
                in_heading = true;
            }
            Event::End(TagEnd::Heading(_)) => {
                if in_heading && title.is_none() {
                    let t = collapse_whitespace(&current);
                    if !t.is_empty() {
                        title = Some(t);
                    }
                }
                in_heading = false;
                flush(&mut current, &mut paragraphs);
            }
            Event::Start(Tag::Paragraph | Tag::Item | Tag::BlockQuote(_) | Tag::TableRow | Tag::TableHead)
            | Event::End(
                TagEnd::Paragraph | TagEnd::Item | TagEnd::BlockQuote(_) | TagEnd::TableRow | TagEnd::TableHead,
            ) => flush(&mut current, &mut paragraphs),
            Event::Text(t) | Event::Code(t) if code_depth == 0 => current.push_str(&t),
            Event::SoftBreak | Event::HardBreak if code_depth == 0 => current.push(' '),
            Event::End(TagEnd::TableCell) => current.push_str(" | "),
            _ => {}
        }
    }
    flush(&mut current, &mut paragraphs);
    (title, paragraphs.join("\n\n"))
}

/// Elements whose content is never article text.
const HTML_SKIPPED: &[&str] = &[
    "script", "style", "noscript", "template", "nav", "header", "footer", "aside", "form", "button", "select", "svg",
    "iframe", "object", "canvas", "head", "menu", "dialog",
];

/// Elements that start a new paragraph.
const HTML_BLOCKS: &[&str] = &[
    "p",
    "div",
    "section",
    "article",
    "main",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "li",
    "ul",
    "ol",
    "dl",
    "dt",
    "dd",
    "blockquote",
    "pre",
    "table",
    "tr",
    "td",
    "th",
    "figure",
    "figcaption",
    "br",
    "hr",
    "address",
    "body",
    "caption",
    "details",
    "summary",
];

/// HTML to its visible article text. The text comes from `<article>` when the page has one (else `<main>`, else
/// `<body>`); scripts, styles, navigation, headers, footers, asides and forms are dropped; each block element becomes
/// its own paragraph. The title is the first `<h1>`, else `<title>`.
fn html_text(source: &str) -> (Option<String>, String) {
    use scraper::{Html, Selector};

    let html = Html::parse_document(source);
    let select = |css: &str| Selector::parse(css).ok();
    let first_text = |css: &str| {
        let sel = select(css)?;
        let el = html.select(&sel).next()?;
        let t = collapse_whitespace(&el.text().collect::<String>());
        (!t.is_empty()).then_some(t)
    };
    let title = first_text("h1").or_else(|| first_text("title"));
    let root = ["article", "main", "body"]
        .iter()
        .filter_map(|css| select(css))
        .find_map(|sel| html.select(&sel).next())
        .unwrap_or_else(|| html.root_element());

    let mut paragraphs = Vec::new();
    let mut current = String::new();
    walk_html(*root, &mut current, &mut paragraphs);
    let p = collapse_whitespace(&current);
    if !p.is_empty() {
        paragraphs.push(p);
    }
    (title, paragraphs.join("\n\n"))
}

fn walk_html(node: ego_tree::NodeRef<'_, scraper::Node>, current: &mut String, paragraphs: &mut Vec<String>) {
    // An explicit stack rather than recursion: hostile HTML can nest tens of thousands of levels deep.
    enum Step<'a> {
        Enter(ego_tree::NodeRef<'a, scraper::Node>),
        LeaveBlock,
    }
    let mut stack = vec![Step::Enter(node)];
    let flush = |current: &mut String, paragraphs: &mut Vec<String>| {
        let p = collapse_whitespace(current);
        if !p.is_empty() {
            paragraphs.push(p);
        }
        current.clear();
    };
    while let Some(step) = stack.pop() {
        match step {
            Step::LeaveBlock => flush(current, paragraphs),
            Step::Enter(n) => match n.value() {
                scraper::Node::Text(t) => current.push_str(t),
                scraper::Node::Element(el) => {
                    let name = el.name();
                    if HTML_SKIPPED.contains(&name)
                        || el.attr("hidden").is_some()
                        || el.attr("aria-hidden") == Some("true")
                    {
                        continue;
                    }
                    let block = HTML_BLOCKS.contains(&name);
                    if block {
                        flush(current, paragraphs);
                        stack.push(Step::LeaveBlock);
                    }
                    let children: Vec<_> = n.children().collect();
                    for child in children.into_iter().rev() {
                        stack.push(Step::Enter(child));
                    }
                }
                scraper::Node::Document | scraper::Node::Fragment => {
                    let children: Vec<_> = n.children().collect();
                    for child in children.into_iter().rev() {
                        stack.push(Step::Enter(child));
                    }
                }
                _ => {}
            },
        }
    }
}

/// Collapse runs of whitespace to one space and trim.
fn collapse_whitespace(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for word in s.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(name: &str) -> PathBuf {
        PathBuf::from(name)
    }

    #[test]
    fn a_plain_texts_title_is_its_headline_when_it_has_one() {
        let title = |text: &str| from_bytes(text.as_bytes(), &p("story.txt"), Format::Text).unwrap().title;
        assert_eq!(
            title("Gulf states buy Israeli drones\n\nBahrain bought 12 drones in 2021.\n"),
            "Gulf states buy Israeli drones"
        );
        assert_eq!(title("\u{feff}Gulf states buy drones\r\n\r\nBahrain bought 12.\r\n"), "Gulf states buy drones");
        // A first sentence is not a headline, nor a line with no blank line after it, nor a very long line.
        assert_eq!(title("Bahrain bought 12 drones in 2021.\n\nMore later.\n"), "story");
        assert_eq!(title("Gulf states buy drones\nBahrain bought 12 drones.\n"), "story");
        assert_eq!(title(&format!("{}\n\nText.\n", "word ".repeat(30))), "story");
        // The sample article starts with a long sentence: its title stays the file name.
        let sample = include_str!("../seeds/israel-arab-security-ties.txt");
        assert_eq!(from_bytes(sample.as_bytes(), &p("sample.txt"), Format::Text).unwrap().title, "sample");
    }

    #[test]
    fn plain_text_is_kept_exactly_without_bom() {
        let doc = from_bytes(b"\xEF\xBB\xBFLine one.\r\nLine two.", &p("a.txt"), Format::Text).unwrap();
        assert_eq!(doc.text, "Line one.\r\nLine two.");
        assert_eq!(doc.title, "a");
        assert_eq!(doc.fingerprint, fingerprint("Line one.\r\nLine two."));
        assert_eq!(doc.fingerprint.len(), 64);
    }

    #[test]
    fn invalid_utf8_names_file_and_offset() {
        let err = from_bytes(b"abc\xFFdef", &p("bad.txt"), Format::Text).unwrap_err();
        let msg = err.to_string();
        assert!(msg.contains("bad.txt") && msg.contains("offset 3"), "{msg}");
    }

    #[test]
    fn binary_is_refused() {
        let err = from_bytes(b"PK\x03\x04\x00\x00", &p("x.txt"), Format::Text).unwrap_err();
        assert!(matches!(err, DocumentError::Binary { offset: 4, .. }), "{err}");
    }

    #[test]
    fn empty_is_refused() {
        assert!(matches!(from_bytes(b"", &p("e.txt"), Format::Text), Err(DocumentError::Empty { .. })));
        assert!(matches!(from_bytes(b"  \n ", &p("e.txt"), Format::Text), Err(DocumentError::NoText { .. })));
    }

    #[test]
    fn utf16_with_bom_is_decoded() {
        let mut le = vec![0xFF, 0xFE];
        for u in "Héllo 7%".encode_utf16() {
            le.extend_from_slice(&u.to_le_bytes());
        }
        assert_eq!(from_bytes(&le, &p("u.txt"), Format::Text).unwrap().text, "Héllo 7%");
        let mut be = vec![0xFE, 0xFF];
        for u in "Hi".encode_utf16() {
            be.extend_from_slice(&u.to_be_bytes());
        }
        assert_eq!(from_bytes(&be, &p("u.txt"), Format::Text).unwrap().text, "Hi");
        let err = from_bytes(&[0xFF, 0xFE, 0x41, 0x00, 0x00, 0xD8], &p("u.txt"), Format::Text).unwrap_err();
        assert!(matches!(err, DocumentError::InvalidUtf16 { offset: 4, .. }), "{err}");
    }

    #[test]
    fn markdown_keeps_text_not_markup() {
        let md = "# The Title\n\nSales rose **7%** in [2021](http://x.example).\n\n```\nlet x = 5;\n```\n\n- One item.\n- Two.";
        let doc = from_bytes(md.as_bytes(), &p("a.md"), Format::Markdown).unwrap();
        assert_eq!(doc.title, "The Title");
        assert_eq!(doc.text, "The Title\n\nSales rose 7% in 2021.\n\nOne item.\n\nTwo.");
    }

    #[test]
    fn html_keeps_visible_article_text() {
        let html = r#"<html><head><title>Page</title><style>p{}</style><script>var a = "Sales rose 9%.";</script></head>
            <body><nav>Home | News</nav><article><h1>Headline here</h1><p>Sales rose
            <b>7%</b> in 2021.</p><p>Second paragraph.</p></article><footer>Copyright 2024</footer></body></html>"#;
        let doc = from_bytes(html.as_bytes(), &p("a.html"), Format::Html).unwrap();
        assert_eq!(doc.title, "Headline here");
        assert_eq!(doc.text, "Headline here\n\nSales rose 7% in 2021.\n\nSecond paragraph.");
    }

    #[test]
    fn deeply_nested_html_does_not_overflow() {
        let html = format!("{}text{}", "<div>".repeat(20_000), "</div>".repeat(20_000));
        let doc = from_bytes(html.as_bytes(), &p("deep.html"), Format::Html).unwrap();
        assert_eq!(doc.text, "text");
    }

    #[test]
    fn load_reports_missing_and_folder() {
        let err = load(Path::new("/no/such/file.txt")).unwrap_err();
        assert!(err.to_string().contains("/no/such/file.txt") && err.to_string().contains("no such file"));
        let dir = std::env::temp_dir();
        assert!(matches!(load(&dir), Err(DocumentError::Read(crate::fsread::ReadError::IsADirectory { .. }))));
    }

    /// Reading `/dev/zero` never ends and reading a pipe nobody writes to never returns: both are refused before
    /// they are opened (before this check, `claimdesk extract /dev/zero` grew until memory ran out).
    #[cfg(unix)]
    #[test]
    fn devices_and_pipes_are_refused_without_reading() {
        let err = load(Path::new("/dev/zero")).unwrap_err();
        assert!(matches!(err, DocumentError::Read(crate::fsread::ReadError::NotAFile { .. })), "{err}");
        assert!(err.to_string().starts_with("/dev/zero: is not a regular file"), "{err}");
    }
}
