#![no_main]
//! The Trusted List reader and its XML-signature check on arbitrary bytes: Ok or Err, never
//! a panic or a hang (lists arrive from files an officer picks).

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = sportello::trust::tsl::parse_trusted_list(data);
    let _ = sportello::trust::tsl::list_pointers(data);
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = sportello::trust::xmldsig::verify_list_signature(
            text,
            &[],
            time::OffsetDateTime::UNIX_EPOCH,
        );
    }
});
