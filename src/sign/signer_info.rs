//! One new SignerInfo (RFC 5652 5.3): issuerAndSerialNumber, SHA-256, the signed attributes,
//! and the signature the key makes over their DER `SET OF` encoding.

use const_oid::ObjectIdentifier;
use der::{Decode, Encode};
use x509_cert::Certificate;

use crate::card::signing_key::{KeyKind, SigningKey};
use crate::crypto::algorithms::DigestAlgorithm;
use crate::crypto::digest::digest;
use crate::envelope::ber::{tags, Tlv};

use super::attributes::{signed_attributes, Signs};
use super::der_out::{self, CONTEXT_0, SET};
use super::SignError;

const SHA256_WITH_RSA: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.1.11");
const ECDSA_WITH_SHA256: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.10045.4.3.2");

/// The digest every signature made here uses.
pub const DIGEST: DigestAlgorithm = DigestAlgorithm::Sha256;

/// `AlgorithmIdentifier` of SHA-256, parameters absent (RFC 5754 2).
pub fn digest_algorithm_identifier() -> Vec<u8> {
    der_out::sequence(&[&der_out::oid(&DIGEST.oid())])
}

fn signature_algorithm_identifier(kind: &KeyKind) -> Vec<u8> {
    match kind {
        // RFC 4055 5: NULL parameters for the PKCS#1 v1.5 OIDs.
        KeyKind::Rsa { .. } => {
            der_out::sequence(&[&der_out::oid(&SHA256_WITH_RSA), &der_out::null()])
        }
        // RFC 5758 3.2: parameters absent.
        KeyKind::Ec { .. } => der_out::sequence(&[&der_out::oid(&ECDSA_WITH_SHA256)]),
    }
}

/// A token that hands back ECDSA as raw `r‖s` despite the trait's promise gets it turned into
/// the DER `Ecdsa-Sig-Value` CMS wants; a DER value passes through.
fn ecdsa_der(signature: Vec<u8>) -> Vec<u8> {
    let looks_der = matches!(
        Tlv::parse_prefix(&signature),
        Ok((tlv, rest)) if rest.is_empty() && tlv.tag.is_universal(tags::SEQUENCE) && tlv.tag.constructed
    );
    if looks_der || signature.len() % 2 != 0 {
        return signature;
    }
    let (r, s) = signature.split_at(signature.len() / 2);
    der_out::sequence(&[&der_out::unsigned_integer(r), &der_out::unsigned_integer(s)])
}

/// A SignerInfo made by `key` over `signs`.
pub struct MadeSignerInfo {
    pub der: Vec<u8>,
}

pub fn make(
    key: &mut dyn SigningKey,
    signs: &Signs<'_>,
    signing_time: time::OffsetDateTime,
) -> Result<MadeSignerInfo, SignError> {
    let cert_der = key.certificate_der().to_vec();
    let cert = Certificate::from_der(&cert_der)
        .map_err(|e| SignError::Certificate(format!("the signer certificate: {e}")))?;
    let tbs = cert.tbs_certificate();
    let issuer = tbs
        .issuer()
        .to_der()
        .map_err(|e| SignError::Certificate(e.to_string()))?;
    let sid = der_out::sequence(&[
        &issuer,
        &der_out::integer_contents(tbs.serial_number().as_bytes()),
    ]);

    let attrs = signed_attributes(signs, signing_time, &cert_der)?;
    let kind = key.key_kind();
    let mut signature = key.sign_digest(DIGEST, &digest(DIGEST, &attrs))?;
    if matches!(kind, KeyKind::Ec { .. }) {
        signature = ecdsa_der(signature);
    }
    // The same bytes under [0] IMPLICIT: only the identifier octet differs.
    let mut implicit_attrs = attrs;
    if let Some(first) = implicit_attrs.first_mut() {
        debug_assert_eq!(*first, SET);
        *first = CONTEXT_0;
    }
    let der = der_out::sequence(&[
        &der_out::small_integer(1),
        &sid,
        &digest_algorithm_identifier(),
        &implicit_attrs,
        &signature_algorithm_identifier(&kind),
        &der_out::octet_string(&signature),
    ]);
    Ok(MadeSignerInfo { der })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn raw_ecdsa_becomes_der() {
        let mut raw = vec![0u8; 64];
        raw[0] = 0x80;
        raw[32] = 0x01;
        let der = ecdsa_der(raw);
        assert_eq!(der[0], 0x30);
        assert_eq!(usize::from(der[1]) + 2, der.len());
        // r needs a leading zero (high bit set), s is 32 bytes starting 01.
        assert_eq!(&der[2..5], [0x02, 33, 0x00]);
        let already = der.clone();
        assert_eq!(ecdsa_der(already), der);
    }
}
