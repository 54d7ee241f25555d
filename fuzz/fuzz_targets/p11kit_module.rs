//! p11-kit module registrations as any package could install them: read, never a panic; a
//! registration without a module is always disabled.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let registration = sportello::card::pkcs11::discovery::parse_registration(&text);
    if registration.module.is_none() {
        assert!(registration.disabled);
    }
});
