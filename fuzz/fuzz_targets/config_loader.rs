//! Arbitrary text as `nova.toml`.
#![no_main]

use libfuzzer_sys::fuzz_target;
use std::path::Path;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = nova::config::parse_str(text, Path::new("nova.toml"));
    }
});
