#![no_main]
//! Any bytes as a review file: an error, or a file that validates, survives save and load, exports in every format
//! without panicking (the lossless JSON export reads back to the same claims), and re-anchors onto a changed text
//! (a line added in front, the text cut in half) into a file that still validates with every claim kept.

use libfuzzer_sys::fuzz_target;

use claimdesk::export::{self, Format, Options};
use claimdesk::review::file::{from_slice, to_bytes, validate};
use claimdesk::review::update::reanchor;

fuzz_target!(|data: &[u8]| {
    let Ok(file) = from_slice(data, std::path::Path::new("fuzz.json")) else { return };
    assert!(validate(&file).is_empty());
    let again =
        from_slice(&to_bytes(&file), std::path::Path::new("again.json")).expect("a loaded file saves and loads");
    assert_eq!(again, file);

    for all in [false, true] {
        let options = Options { all, ..Options::default() };
        for format in Format::ALL {
            let _ = export::write(&file, format, &options);
        }
        let json = export::write(&file, Format::Json, &options).expect("the JSON export cannot fail");
        let back = export::import_json(&json.bytes).unwrap_or_else(|e| panic!("the JSON export reads back: {e}"));
        // Claims: reviewed ones, or with `all` every one at the file's threshold (export::selected); detached
        // claims are not in the text, so no threshold applies to them.
        let claims: Vec<_> = export::selected(&file, &options).into_iter().cloned().collect();
        let detached: Vec<_> = file.detached.iter().filter(|c| all || c.review.is_reviewed()).cloned().collect();
        assert_eq!(back.claims, claims);
        assert_eq!(back.detached, detached);
    }

    let text = &file.document.text;
    let mut half = text.len() / 2;
    while !text.is_char_boundary(half) {
        half -= 1;
    }
    for changed in [format!("A new first line.\n{text}"), text[..half].to_owned()] {
        let r = reanchor(&file, &changed);
        assert_eq!(validate(&r.file), vec![], "the re-anchored file validates");
        assert_eq!(r.file.claims.len() + r.file.detached.len(), file.claims.len() + file.detached.len(), "none lost");
        assert_eq!(r.detached.len(), r.file.detached.len());
    }
});
