//! EF_DatiPersonali and EF_IDCarta as a card could send them: never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use sportello::card::{cns, PersonalData};

fuzz_target!(|data: &[u8]| {
    if let Ok(p) = PersonalData::parse(data) {
        let _ = p.field(9);
    }
    let _ = cns::parse_id_carta(data);
    let _ = cns::parse_certificate_file(data);
});
