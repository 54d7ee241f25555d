//! Card profile files as an office could write them: an error with a line, never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        if let Err(e) = sportello::card::parse_profiles(std::path::Path::new("fuzz.toml"), text) {
            assert!(e.line <= text.lines().count() + 1);
        }
    }
});
