//! CRL reading and judging on arbitrary bytes: never a panic. The same bytes are also read as
//! a certificate, so judging sees hostile certificates too.
#![no_main]

use libfuzzer_sys::fuzz_target;
use sportello::revocation::cert::CertView;
use sportello::revocation::crl;

fuzz_target!(|data: &[u8]| {
    let _ = crl::crls_in_file(data);
    let cert = CertView::parse(data).ok();
    if let Some(cert) = &cert {
        let _ = (cert.crl_urls(), cert.ocsp_urls(), cert.is_ca(), cert.subject_key_id());
    }
    if let Ok(parsed) = crl::parse(data) {
        let _ = (
            parsed.unusable(),
            parsed.number(),
            parsed.authority_key_id(),
            parsed.expired_certs_on_crl(),
            parsed.issuing_distribution_point(),
        );
        if let Some(cert) = &cert {
            let _ = parsed.check_issued_by(cert);
            let _ = parsed.judge(cert, time::OffsetDateTime::UNIX_EPOCH);
        }
    }
});
