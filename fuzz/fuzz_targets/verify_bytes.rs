#![no_main]
//! The whole judgement on arbitrary bytes: always a report, never a panic.

use libfuzzer_sys::fuzz_target;
use sportello::verify::{verify_bytes, VerifyOptions};

fuzz_target!(|data: &[u8]| {
    let opts = VerifyOptions {
        validation_time: time::macros::datetime!(2026-01-01 00:00 UTC),
        asserted: true,
        trust: None,
        revocation: None,
    };
    let _ = verify_bytes("fuzz", data, &opts);
});
