//! `--db` and the data directory's `database` setting: any text is a file path, a PostgreSQL
//! URL or a clear refusal, never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use sportello::store::Location;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        if let Ok(location) = Location::parse(text, std::path::Path::new("/data")) {
            let _ = location.describe();
            let _ = location.local_path();
        }
    }
});
