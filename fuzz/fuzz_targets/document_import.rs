#![no_main]
//! Any bytes, as text, Markdown or HTML: an error, or a document whose fingerprint matches its text, whose title is
//! non-empty and trimmed, and whose text is not blank. Plain UTF-8 text is kept exactly (only a byte-order mark is
//! dropped); Markdown and HTML become paragraphs of single-spaced text separated by one blank line.

use libfuzzer_sys::fuzz_target;

use claimdesk::document::{Format, fingerprint, from_bytes};

fuzz_target!(|data: &[u8]| {
    for format in [Format::Text, Format::Markdown, Format::Html] {
        let Ok(doc) = from_bytes(data, std::path::Path::new("fuzz"), format) else { continue };
        assert_eq!(doc.fingerprint, fingerprint(&doc.text));
        assert!(!doc.title.is_empty() && doc.title == doc.title.trim(), "{format:?} title {:?}", doc.title);
        assert!(!doc.text.trim().is_empty(), "{format:?}: blank text accepted");
        match format {
            Format::Text => {
                let body = data.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(data);
                if let Ok(utf8) = std::str::from_utf8(body)
                    && !data.starts_with(b"\xFF\xFE")
                    && !data.starts_with(b"\xFE\xFF")
                {
                    assert_eq!(doc.text, utf8, "plain text is kept exactly");
                }
            }
            Format::Markdown | Format::Html => {
                for paragraph in doc.text.split("\n\n") {
                    assert!(!paragraph.is_empty(), "{format:?}: an empty paragraph in {:?}", doc.text);
                    assert!(
                        !paragraph.contains("  ") && paragraph.chars().all(|c| c == ' ' || !c.is_whitespace()),
                        "{format:?}: paragraph not single-spaced: {paragraph:?}"
                    );
                    assert_eq!(paragraph, paragraph.trim(), "{format:?}: paragraph not trimmed");
                }
            }
        }
    }
});
