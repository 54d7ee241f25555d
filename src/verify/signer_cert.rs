//! Finding the signer's certificate among those the envelope carries.

use der::{Decode, Encode};
use x509_cert::Certificate;

use crate::envelope::SignerId;

use super::algorithms::DigestAlgorithm;
use super::digest::digest;

/// A certificate parsed from the envelope, with its encoding as received (hashes of the
/// signing-certificate attribute are over these exact bytes).
#[derive(Debug, Clone)]
pub struct EnvelopeCert<'a> {
    pub der: &'a [u8],
    pub cert: Certificate,
}

/// Parses every certificate of a SignedData; unreadable ones are skipped and counted.
pub fn parse_certificates<'a>(raw: &[&'a [u8]]) -> (Vec<EnvelopeCert<'a>>, usize) {
    let mut out = Vec::new();
    let mut unreadable = 0;
    for der in raw {
        match Certificate::from_der(der) {
            Ok(cert) => out.push(EnvelopeCert { der, cert }),
            Err(e) => {
                log::warn!("skipping unreadable certificate in envelope: {e}");
                unreadable += 1;
            }
        }
    }
    (out, unreadable)
}

fn strip_leading_zeros(bytes: &[u8]) -> &[u8] {
    let skip = bytes.iter().take_while(|b| **b == 0).count();
    &bytes[skip.min(bytes.len().saturating_sub(1))..]
}

fn matches_sid(sid: &SignerId<'_>, candidate: &EnvelopeCert<'_>) -> bool {
    let tbs = candidate.cert.tbs_certificate();
    match sid {
        SignerId::IssuerAndSerial { issuer, serial } => {
            let serial_ok =
                strip_leading_zeros(tbs.serial_number().as_bytes()) == strip_leading_zeros(serial);
            // The sid's issuer may be encoded differently from the certificate's (another
            // string type, case or spacing): compare as RFC 5280 §7.1 says.
            let issuer_ok = tbs
                .issuer()
                .to_der()
                .map(|encoded| crate::identity::names_match(&encoded, issuer))
                .unwrap_or(false);
            serial_ok && issuer_ok
        }
        SignerId::SubjectKeyIdentifier(ski) => {
            let declared = tbs
                .get_extension::<x509_cert::ext::pkix::SubjectKeyIdentifier>()
                .ok()
                .flatten()
                .map(|(_, id)| id.0.as_bytes().to_vec());
            match declared {
                Some(id) => id.as_slice() == ski.as_ref(),
                // RFC 5280 4.2.1.2 method (1): SHA-1 of the subjectPublicKey bits.
                None => {
                    let key = tbs.subject_public_key_info().subject_public_key.raw_bytes();
                    digest(DigestAlgorithm::Sha1, key) == ski.as_ref()
                }
            }
        }
    }
}

/// The certificate the SignerInfo names, if the envelope carries it.
pub fn find_signer_cert<'c, 'a>(
    sid: &SignerId<'_>,
    certs: &'c [EnvelopeCert<'a>],
) -> Option<&'c EnvelopeCert<'a>> {
    certs.iter().find(|c| matches_sid(sid, c))
}

/// A short description of the signer identifier, for messages.
pub fn describe_sid(sid: &SignerId<'_>) -> String {
    match sid {
        SignerId::IssuerAndSerial { serial, .. } => {
            format!(
                "issuer and serial number {}",
                hex::encode(strip_leading_zeros(serial))
            )
        }
        SignerId::SubjectKeyIdentifier(ski) => {
            format!("subject key identifier {}", hex::encode(ski))
        }
    }
}
