#![no_main]
//! The TSTInfo reader and the time-stamp token judge on arbitrary bytes: an error or a
//! finding, never a panic, and never a proof from bytes that are not a signed token.

use libfuzzer_sys::fuzz_target;
use sportello::envelope::ber::Tlv;
use sportello::verify::tst::{check_token, TokenSource, TsaTrust};

fuzz_target!(|data: &[u8]| {
    let _ = sportello::verify::tst_info::parse_tst_info(data);
    if let Ok((token, _)) = Tlv::parse_prefix(data) {
        // No trust store: nothing may come out as proof.
        let finding = check_token(&token, TokenSource::Tsr, &[data], &TsaTrust::new(None));
        assert!(finding.proves.is_none());
    }
});
