#![no_main]
//! Any bytes, as text, Markdown or HTML: an error or a document whose fingerprint matches its text.

use libfuzzer_sys::fuzz_target;

use claimdesk::document::{Format, fingerprint, from_bytes};

fuzz_target!(|data: &[u8]| {
    for format in [Format::Text, Format::Markdown, Format::Html] {
        if let Ok(doc) = from_bytes(data, std::path::Path::new("fuzz"), format) {
            assert_eq!(doc.fingerprint, fingerprint(&doc.text));
        }
    }
});
