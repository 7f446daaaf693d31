//! Readable reports for an editor: Markdown and self-contained HTML.
//!
//! Both say the same things in the same order: the title, who reviewed (the reviewers the reviews name, and the
//! organisation), the date of the report, the article and the fact-check when known, a table counting the claims of
//! each status, then each exported claim once: its status, its words, its speaker (in a transcript), who the article credits for it, the
//! note, the evidence, who reviewed it and when, the earlier fact-check its verdict was based on (from the claim
//! library), and, in a merged review, every reviewer's verdict. What only tools need
//! (the document's fingerprint, the extractor, claim ids and byte positions) comes last, under "About this file".
//!
//! User text never becomes markup. Markdown: every character that could start emphasis, code, a link, raw HTML or an
//! entity is backslash-escaped, and so is anything at the start of a line that would open a heading, list, quote or
//! rule ([`markdown_escape`]). HTML: the page is written through [`HtmlWriter`], whose only ways to emit user text
//! escape it; tag and attribute names are `&'static str`; links are made only for http(s) URLs.

use super::{ExportError, Exported, Options, claimreview::is_http_url, selected, source_line};
use crate::review::{Claim, ReviewFile, Status};

/// The order statuses appear in the counts table: verdicts first, then what is left to do.
const TABLE_ORDER: [Status; 4] = [Status::Verified, Status::Disputed, Status::Unsourced, Status::Unreviewed];

/// The Markdown report of `file`.
pub fn markdown(file: &ReviewFile, options: &Options) -> Result<Exported, ExportError> {
    let claims = selected(file, options);
    let mut md = String::new();
    let line = |md: &mut String, s: &str| {
        md.push_str(s);
        md.push('\n');
    };
    line(&mut md, &format!("# Fact-check report: {}", markdown_escape_inline(&one_line(&file.document.title))));
    line(&mut md, "");
    for (label, value) in header_fields(file, options) {
        line(&mut md, &format!("- {label}: {}", markdown_escape_inline(&one_line(&value))));
    }
    line(&mut md, &format!("- Claims in this report: {} ({})", claims.len(), scope(options)));
    line(&mut md, "");
    line(&mut md, "## Summary");
    line(&mut md, "");
    line(&mut md, "| Status | Claims |");
    line(&mut md, "| --- | ---: |");
    let counts = file.counts();
    for status in TABLE_ORDER {
        line(&mut md, &format!("| {} | {} |", status.label(), counts[status as usize]));
    }
    line(&mut md, &format!("| **Total** | {} |", counts.iter().sum::<usize>()));
    line(&mut md, "");
    line(&mut md, "## Claims");
    for (n, c) in claims.iter().enumerate() {
        line(&mut md, "");
        line(&mut md, &format!("### {}. {}", n + 1, c.review.status.label()));
        line(&mut md, "");
        line(&mut md, &format!("> {}", markdown_escape_inline(&one_line(&c.text))));
        line(&mut md, "");
        for (label, value) in claim_fields(c) {
            line(&mut md, &format!("- {label}: {}", markdown_escape_inline(&one_line(&value))));
        }
        if !c.review.note.trim().is_empty() {
            line(&mut md, "");
            // Paragraphs stay paragraphs; within one, two trailing spaces make a hard line break so lines are kept.
            let paragraphs = note_paragraphs(&c.review.note);
            for (i, p) in paragraphs.iter().enumerate() {
                let lines: Vec<String> = p.iter().enumerate().map(|(j, l)| escape_md_line(l, i > 0 || j > 0)).collect();
                if i == 0 {
                    line(&mut md, &format!("**Note:** {}", lines.join("  \n")));
                } else {
                    line(&mut md, "");
                    line(&mut md, &lines.join("  \n"));
                }
            }
        }
        if !c.review.sources.is_empty() {
            line(&mut md, "");
            line(&mut md, "Sources:");
            line(&mut md, "");
            for s in &c.review.sources {
                line(&mut md, &format!("- {}", markdown_escape_inline(&one_line(&source_line(s)))));
            }
        }
        if !c.review.verdicts.is_empty() {
            line(&mut md, "");
            line(&mut md, "Reviewers' verdicts:");
            line(&mut md, "");
            for v in &c.review.verdicts {
                line(&mut md, &format!("- {}", markdown_escape_inline(&verdict_line(v))));
            }
        }
    }
    line(&mut md, "");
    line(&mut md, "## About this file");
    line(&mut md, "");
    for (label, value) in about_fields(file) {
        line(&mut md, &format!("- {label}: {}", markdown_escape_inline(&one_line(&value))));
    }
    if !claims.is_empty() {
        line(&mut md, "");
        line(&mut md, "| Claim | Id | Position (bytes) |");
        line(&mut md, "| ---: | --- | --- |");
        for (n, c) in claims.iter().enumerate() {
            line(&mut md, &format!("| {} | {} | {} |", n + 1, markdown_escape_inline(c.id.as_str()), c.span));
        }
    }
    Ok(Exported { bytes: md.into_bytes(), warnings: Vec::new(), claims: claims.len() })
}

/// The HTML report of `file`: one self-contained page.
pub fn html(file: &ReviewFile, options: &Options) -> Result<Exported, ExportError> {
    let claims = selected(file, options);
    let title = format!("Fact-check report: {}", file.document.title);
    let mut h = HtmlWriter::new();
    h.markup("<!DOCTYPE html>\n");
    h.open("html", &[("lang", "en")]);
    h.open("head", &[]);
    h.open("meta", &[("charset", "utf-8")]);
    h.element("title", &[], &title);
    h.open("style", &[]);
    h.markup(STYLE);
    h.close("style");
    h.close("head");
    h.open("body", &[]);
    h.element("h1", &[], &title);
    h.open("ul", &[("class", "about")]);
    for (label, value) in header_fields(file, options) {
        h.open("li", &[]);
        h.text(&format!("{label}: "));
        link_or_text(&mut h, &value);
        h.close("li");
    }
    h.element("li", &[], &format!("Claims in this report: {} ({})", claims.len(), scope(options)));
    h.close("ul");

    h.element("h2", &[], "Summary");
    h.open("table", &[("class", "counts")]);
    h.open("tr", &[]);
    h.element("th", &[], "Status");
    h.element("th", &[], "Claims");
    h.close("tr");
    let counts = file.counts();
    for status in TABLE_ORDER {
        h.open("tr", &[("class", status.as_str())]);
        h.element("td", &[], status.label());
        h.element("td", &[("class", "n")], &counts[status as usize].to_string());
        h.close("tr");
    }
    h.open("tr", &[("class", "total")]);
    h.element("th", &[], "Total");
    h.element("td", &[("class", "n")], &counts.iter().sum::<usize>().to_string());
    h.close("tr");
    h.close("table");

    h.element("h2", &[], "Claims");
    for (n, c) in claims.iter().enumerate() {
        h.open("article", &[("class", c.review.status.as_str()), ("id", &format!("claim-{}", n + 1))]);
        h.open("h3", &[]);
        h.text(&format!("{}. ", n + 1));
        h.element("span", &[("class", "status")], c.review.status.label());
        h.close("h3");
        h.element("blockquote", &[], &one_line(&c.text));
        h.open("ul", &[]);
        for (label, value) in claim_fields(c) {
            h.element("li", &[], &format!("{label}: {value}"));
        }
        h.close("ul");
        if !c.review.note.trim().is_empty() {
            h.open("p", &[("class", "note")]);
            h.element("strong", &[], "Note: ");
            h.text(c.review.note.trim());
            h.close("p");
        }
        if !c.review.sources.is_empty() {
            h.element("p", &[], "Sources:");
            h.open("ul", &[("class", "sources")]);
            for s in &c.review.sources {
                h.open("li", &[]);
                link_or_text(&mut h, s.reference.trim());
                let rest = source_line(s);
                h.text(rest.strip_prefix(s.reference.trim()).unwrap_or(""));
                h.close("li");
            }
            h.close("ul");
        }
        if !c.review.verdicts.is_empty() {
            h.element("p", &[], "Reviewers' verdicts:");
            h.open("ul", &[("class", "verdicts")]);
            for v in &c.review.verdicts {
                h.element("li", &[], &verdict_line(v));
            }
            h.close("ul");
        }
        h.close("article");
    }
    h.element("h2", &[], "About this file");
    h.open("ul", &[("class", "file")]);
    for (label, value) in about_fields(file) {
        h.element("li", &[], &format!("{label}: {value}"));
    }
    h.close("ul");
    if !claims.is_empty() {
        h.open("table", &[("class", "ids")]);
        h.open("tr", &[]);
        for head in ["Claim", "Id", "Position (bytes)"] {
            h.element("th", &[], head);
        }
        h.close("tr");
        for (n, c) in claims.iter().enumerate() {
            h.open("tr", &[]);
            h.element("td", &[("class", "n")], &(n + 1).to_string());
            h.element("td", &[], c.id.as_str());
            h.element("td", &[], &c.span.to_string());
            h.close("tr");
        }
        h.close("table");
    }
    h.close("body");
    h.close("html");
    Ok(Exported { bytes: h.finish().into_bytes(), warnings: Vec::new(), claims: claims.len() })
}

const STYLE: &str = "body{font-family:system-ui,sans-serif;max-width:48rem;margin:2rem auto;padding:0 1rem;\
line-height:1.5;color:#222}table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:.25rem .75rem;\
text-align:left}td.n{text-align:right}article{border-left:4px solid #999;padding-left:1rem;margin:1.5rem 0}\
article.verified{border-color:#2a7}article.disputed{border-color:#c33}article.unsourced{border-color:#d90}\
blockquote{margin:.5rem 0;font-style:italic}.note{white-space:pre-wrap}";

fn scope(options: &Options) -> &'static str {
    if options.all { "all claims" } else { "reviewed claims only" }
}

fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// What the report says first about the review, as (label, value), values known only: who reviewed it, when the
/// report was made, the article and the fact-check.
fn header_fields(file: &ReviewFile, options: &Options) -> Vec<(&'static str, String)> {
    let p = &file.publication;
    let mut out = Vec::new();
    let mut push = |label, value: Option<&str>| {
        if let Some(v) = value.map(str::trim).filter(|v| !v.is_empty()) {
            out.push((label, v.to_owned()));
        }
    };
    let reviewers = reviewers(file);
    push(if reviewers.len() > 1 { "Reviewers" } else { "Reviewer" }, Some(&reviewers.join(", ")));
    push("Organisation", p.organisation.as_deref());
    let today = crate::review::now_rfc3339().get(..10).map(str::to_owned);
    push("Date of this report", options.date.clone().or(today).as_deref());
    push("Article", p.article_url.as_deref());
    push("Article published", p.article_published.as_deref());
    push("Fact-check", p.fact_check_url.as_deref());
    out
}

/// The reviewers the reviews name, most reviews first.
fn reviewers(file: &ReviewFile) -> Vec<String> {
    let mut counts: Vec<(String, usize)> = Vec::new();
    let named = file.claims.iter().filter_map(|c| c.review.reviewer.as_deref()).flat_map(|r| r.split(", "));
    for name in named.map(str::trim).filter(|n| !n.is_empty()) {
        match counts.iter_mut().find(|(n, _)| n == name) {
            Some((_, k)) => *k += 1,
            None => counts.push((name.to_owned(), 1)),
        }
    }
    counts.sort_by_key(|c| std::cmp::Reverse(c.1));
    counts.into_iter().map(|(n, _)| n).collect()
}

/// What only tools need, for the report's last section.
fn about_fields(file: &ReviewFile) -> Vec<(&'static str, String)> {
    vec![
        ("Document", file.document.title.clone()),
        ("Document fingerprint (SHA-256)", file.document.fingerprint.clone()),
        (
            "Extractor",
            format!("{} {} (threshold {})", file.extractor.name, file.extractor.version, file.extractor.threshold),
        ),
    ]
}

/// What the report says about one claim besides its words, note and sources, as (label, value).
fn claim_fields(c: &Claim) -> Vec<(&'static str, String)> {
    let mut out = Vec::new();
    if let Some(speaker) = &c.speaker {
        let role = if speaker.role.is_speaker() { String::new() } else { format!(" ({})", speaker.role) };
        out.push(("Speaker", format!("{}{role}", speaker.name.trim())));
    }
    out.push(("Credited to", c.source().map(str::trim).filter(|s| !s.is_empty()).unwrap_or("no one").to_owned()));
    let mut by = c.review.reviewer.as_deref().map(str::trim).filter(|r| !r.is_empty()).map(str::to_owned);
    if let Some(t) = c.review.changed.as_deref().and_then(|t| t.get(..10)) {
        by = Some(format!("{} on {t}", by.unwrap_or_else(|| "unnamed".to_owned())));
    }
    if let Some(by) = by.filter(|_| c.review.is_reviewed()) {
        out.push(("Reviewed by", by));
    }
    if let Some(settled) = &c.review.settled {
        let how = match &settled.verdict_of {
            Some(who) => format!("by {}, taking {who}'s verdict", settled.by),
            None => format!("by {}", settled.by),
        };
        out.push(("Disagreement settled", how));
    }
    if let Some(earlier) = &c.review.based_on {
        let verdict = earlier.verdict.as_deref().map(|v| format!(" ({})", v.trim())).unwrap_or_default();
        out.push(("Based on", format!("{}{verdict}", earlier.cite())));
    }
    out
}

/// A note as paragraphs (split at blank lines) of non-blank lines.
fn note_paragraphs(note: &str) -> Vec<Vec<&str>> {
    let mut out: Vec<Vec<&str>> = vec![Vec::new()];
    for l in note.trim().lines() {
        if l.trim().is_empty() {
            if out.last().is_some_and(|p| !p.is_empty()) {
                out.push(Vec::new());
            }
        } else if let Some(p) = out.last_mut() {
            p.push(l);
        }
    }
    out.retain(|p| !p.is_empty());
    out
}

fn verdict_line(v: &crate::review::Verdict) -> String {
    let mut s = format!("{}: {}", v.reviewer, v.review.status.label());
    if !v.review.note.trim().is_empty() {
        s.push_str(&format!(" — {}", one_line(&v.review.note)));
    }
    s
}

fn link_or_text(h: &mut HtmlWriter, value: &str) {
    if is_http_url(value) {
        h.element("a", &[("href", value)], value);
    } else {
        h.text(value);
    }
}

/// `s` as Markdown text that renders as exactly `s`: no emphasis, code, links, HTML, entities, headings, lists,
/// quotes or rules can come out of it. Line breaks are kept; each line is escaped on its own.
pub fn markdown_escape(s: &str) -> String {
    s.lines().map(|l| escape_md_line(l, true)).collect::<Vec<_>>().join("\n")
}

/// Like [`markdown_escape`] for text that continues a line (`- Label: VALUE`): its first line is not at the start of
/// a Markdown line, so what only matters there (`1990.`, `-`, `#`) is left as it is.
pub fn markdown_escape_inline(s: &str) -> String {
    s.lines().enumerate().map(|(i, l)| escape_md_line(l, i > 0)).collect::<Vec<_>>().join("\n")
}

fn escape_md_line(line: &str, line_start: bool) -> String {
    // Leading spaces would make an indented code block after a blank line.
    let line = if line_start { line.trim_start() } else { line };
    let mut out = String::with_capacity(line.len() + 8);
    // A run of digits followed by `.` or `)` at the start of a line opens an ordered list.
    let digits = line.bytes().take_while(u8::is_ascii_digit).count();
    let ordered = line_start && digits > 0 && matches!(line.as_bytes().get(digits), Some(b'.' | b')'));
    for (i, ch) in line.char_indices() {
        let at_start = line_start && i == 0;
        let special = matches!(ch, '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '|' | '~' | '&' | '!')
            || (at_start && matches!(ch, '#' | '-' | '+' | '='))
            || (ordered && i == digits);
        if special {
            out.push('\\');
        }
        out.push(ch);
    }
    out
}

/// `s` with `&`, `<`, `>`, `"` and `'` escaped: safe in HTML text and in quoted attribute values.
pub fn html_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for ch in s.chars() {
        match ch {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// Builds an HTML page where user text can only go in escaped: tag and attribute names are static, attribute values
/// and text are escaped, and only `&'static str` markup is written raw.
pub struct HtmlWriter {
    out: String,
}

impl HtmlWriter {
    fn new() -> Self {
        Self { out: String::new() }
    }

    /// Markup known at compile time (the doctype, the style sheet).
    fn markup(&mut self, s: &'static str) {
        self.out.push_str(s);
    }

    fn open(&mut self, tag: &'static str, attrs: &[(&'static str, &str)]) {
        self.out.push('<');
        self.out.push_str(tag);
        for (name, value) in attrs {
            self.out.push(' ');
            self.out.push_str(name);
            self.out.push_str("=\"");
            self.out.push_str(&html_escape(value));
            self.out.push('"');
        }
        self.out.push('>');
    }

    fn close(&mut self, tag: &'static str) {
        self.out.push_str("</");
        self.out.push_str(tag);
        self.out.push('>');
        // A line break after block elements keeps the page readable as source; never after inline ones, where it
        // would be text (visible in the `white-space: pre-wrap` note).
        if !matches!(tag, "a" | "code" | "span" | "strong" | "em") {
            self.out.push('\n');
        }
    }

    fn text(&mut self, s: &str) {
        self.out.push_str(&html_escape(s));
    }

    fn element(&mut self, tag: &'static str, attrs: &[(&'static str, &str)], text: &str) {
        self.open(tag, attrs);
        self.text(text);
        self.close(tag);
    }

    fn finish(self) -> String {
        self.out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What a CommonMark renderer makes of `md`: the markup it opens (anything but a paragraph) and its text.
    fn render(md: &str) -> (Vec<String>, String) {
        use pulldown_cmark::{Event, Options, Parser, Tag};
        let mut markup = Vec::new();
        let mut text = String::new();
        for event in Parser::new_ext(md, Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH) {
            match event {
                Event::Start(Tag::Paragraph) | Event::End(_) => {}
                Event::Text(t) => text.push_str(&t),
                Event::SoftBreak | Event::HardBreak => text.push('\n'),
                other => markup.push(format!("{other:?}")),
            }
        }
        (markup, text)
    }

    #[test]
    fn markdown_escape_renders_as_the_plain_text() {
        let hostile = [
            "<script>alert(1)</script> *bold* _it_ `code` [x](javascript:alert(1)) ![i](y) ~~s~~ &amp; a|b",
            "# not a heading",
            "- not a list",
            "+ not a list",
            "1990. not an ordered list",
            "7) nor this",
            "> not a quote",
            "===",
            "    not code",
            "back\\slash <http://autolink.example>",
            "Sales rose 7.5% (from 3) - see [1]",
        ];
        for text in hostile {
            let cases = [
                (markdown_escape(text), text.trim_start().to_owned()),
                (format!("para: {}", markdown_escape(text)), format!("para: {}", text.trim_start())),
                (format!("para: {}", markdown_escape_inline(text)), format!("para: {text}")),
            ];
            for (md, expected) in cases {
                let (markup, rendered) = render(&md);
                assert!(markup.is_empty(), "{text:?} rendered markup {markup:?} from {md:?}");
                assert_eq!(rendered, expected, "from {md:?}");
            }
        }
    }

    proptest::proptest! {
        /// Any printable line, escaped, renders back as exactly itself (bar the edge spaces Markdown always trims).
        #[test]
        fn any_line_renders_as_itself(text in "[ -~àé€“”]{0,60}") {
            let (markup, rendered) = render(&format!("para: {}", markdown_escape_inline(&text)));
            proptest::prop_assert!(markup.is_empty(), "{:?} rendered {:?}", text, markup);
            let expected = format!("para: {text}");
            proptest::prop_assert_eq!(rendered.as_str(), expected.trim_end());
            let (markup, rendered) = render(&markdown_escape(&text));
            proptest::prop_assert!(markup.is_empty(), "{:?} alone rendered {:?}", text, markup);
            proptest::prop_assert_eq!(rendered.as_str(), text.trim());
        }
    }

    #[test]
    fn html_escape_covers_text_and_attributes() {
        assert_eq!(html_escape(r#"<a href="x">'&'</a>"#), "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;");
    }
}
