//! OCSP response reading and judging on arbitrary bytes: never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use sportello::revocation::cert::CertView;
use sportello::revocation::ocsp;

fuzz_target!(|data: &[u8]| {
    // The input is a response, optionally followed by 0xFE and a certificate.
    let mut parts = data.splitn(2, |b| *b == 0xFE);
    let response = parts.next().unwrap_or_default();
    let cert = parts.next().and_then(|c| CertView::parse(c).ok());
    if let Ok(parsed) = ocsp::parse(response) {
        if let Some(cert) = &cert {
            let _ = parsed.judge(cert, cert, time::OffsetDateTime::UNIX_EPOCH, Some(b"nonce"));
            let _ = ocsp::request(cert, cert, b"nonce");
        }
    }
});
