//! The revocation data DSS samples carry (foreign and test PKIs), read and judged by the real
//! source with the certificates each file carries: CRLs and OCSP responses in `crls` and in
//! CAdES revocation values, with their deliberate defects.

mod common;

use sportello::envelope::signed_data::SignerId;
use sportello::revocation::cert::{serial_key, CertView};
use sportello::revocation::{crl, ocsp, RevocationSources};
use sportello::verify::embedded_revocation::EmbeddedData;
use sportello::verify::revocation::{
    EmbeddedRevocation, RevocationQuery, RevocationSource, RevocationStatus,
};

/// What the source says about each signer of `name`, at each embedded response's own time.
fn answers(name: &str) -> Vec<(String, RevocationStatus)> {
    let data = std::fs::read(common::corpus_file(name)).expect("corpus file");
    let buffers = sportello::envelope::tree::Buffers::default();
    let env = sportello::envelope::tree::open(&data, &buffers).expect("envelope");
    let mut out = Vec::new();
    for level in &env.levels {
        let sd = &level.signed_data;
        let certs: Vec<CertView<'_>> = sd
            .certificates
            .iter()
            .filter_map(|c| CertView::parse(c).ok())
            .collect();
        let base = EmbeddedData::from_level(&sd.crls);
        for si in &sd.signer_infos {
            let data = base.with_signature(&si.unsigned_attrs);
            let signer = certs.iter().find(|c| match &si.sid {
                SignerId::IssuerAndSerial { issuer, serial } => {
                    c.issuer == *issuer && serial_key(c.serial) == serial_key(serial)
                }
                SignerId::SubjectKeyIdentifier(id) => c.subject_key_id() == Some(id.as_ref()),
            });
            let Some(signer) = signer else { continue };
            let Some(issuer) = certs.iter().find(|c| c.subject == signer.issuer) else {
                continue;
            };
            // Judge at the time the data speaks for: the first response's or CRL's own date.
            let at = data
                .ocsp
                .iter()
                .filter_map(|o| ocsp::parse(o).ok())
                .flat_map(|o| o.responses.into_iter().map(|r| r.this_update))
                .chain(
                    data.crls
                        .iter()
                        .filter_map(|c| crl::parse(c).ok())
                        .map(|c| c.this_update),
                )
                .min();
            let Some(at) = at else { continue };
            let query = RevocationQuery {
                cert_der: signer.der,
                issuer_der: issuer.der,
                validation_time: at,
                embedded: EmbeddedRevocation {
                    crls: &data.crls,
                    ocsp: &data.ocsp,
                },
            };
            out.push((
                format!("{name} level {}", level.index),
                RevocationSources::new(None).status(&query),
            ));
        }
    }
    out
}

#[test]
fn a_delegated_luxtrust_ocsp_response_says_good_at_its_time() {
    let got = answers("dss_test.txt.signed.qes.attached.p7s");
    assert_eq!(got.len(), 1, "{got:?}");
    match &got[0].1 {
        RevocationStatus::Good(e) => {
            assert_eq!(
                e.origin,
                sportello::verify::revocation::RevocationOrigin::Embedded
            );
            assert!(
                e.issuer.contains("LuxTrust S.A. OCSP Server"),
                "{}",
                e.issuer
            );
        }
        other => panic!("expected Good, got {other:?}"),
    }
}

#[test]
fn a_crl_of_another_ca_in_a_double_lta_file_says_nothing_for_the_signer() {
    let got = answers("dss_CAdESDoubleLTA.p7m");
    assert_eq!(got.len(), 1, "{got:?}");
    match &got[0].1 {
        RevocationStatus::Unknown { reason } => {
            assert!(reason.contains("another issuer"), "{reason}")
        }
        other => panic!("expected Unknown, got {other:?}"),
    }
}
