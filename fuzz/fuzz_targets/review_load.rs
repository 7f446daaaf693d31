#![no_main]
//! Any bytes as a review file: an error, or a file that validates and survives save and load.

use libfuzzer_sys::fuzz_target;

use claimdesk::review::file::{from_slice, to_bytes, validate};

fuzz_target!(|data: &[u8]| {
    if let Ok(file) = from_slice(data, std::path::Path::new("fuzz.json")) {
        assert!(validate(&file).is_empty());
        let again = from_slice(&to_bytes(&file), std::path::Path::new("again.json")).expect("a loaded file saves and loads");
        assert_eq!(again, file);
    }
});
