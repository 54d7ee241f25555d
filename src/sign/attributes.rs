//! The signed attributes of a CAdES-BES signature (ETSI EN 319 122-1 5.2) and of a
//! countersignature (RFC 5652 11.4), encoded as the DER `SET OF` the signature covers.

use const_oid::ObjectIdentifier;
use der::{Decode, Encode};
use time::OffsetDateTime;
use x509_cert::Certificate;

use crate::crypto::algorithms::DigestAlgorithm;
use crate::crypto::digest::digest;
use crate::envelope::oids;

use super::der_out::{self, CONTEXT_4, SET};
use super::SignError;

/// What the signature is over: a document (with its content type) or a parent signature.
pub enum Signs<'a> {
    Content {
        content_type: &'a ObjectIdentifier,
        digest: &'a [u8],
    },
    /// RFC 5652 11.4: the digest of the parent's signature value; no content-type.
    ParentSignature { digest: &'a [u8] },
}

fn attribute(oid: &ObjectIdentifier, value: &[u8]) -> Vec<u8> {
    der_out::sequence(&[&der_out::oid(oid), &der_out::tlv(SET, value)])
}

/// `SigningCertificateV2 { certs SEQUENCE OF ESSCertIDv2 }` with one ESSCertIDv2: SHA-256
/// certHash (the default algorithm, so left out) and issuerSerial.
fn signing_certificate_v2(cert_der: &[u8]) -> Result<Vec<u8>, SignError> {
    let cert = Certificate::from_der(cert_der)
        .map_err(|e| SignError::Certificate(format!("the signer certificate: {e}")))?;
    let tbs = cert.tbs_certificate();
    let issuer = tbs
        .issuer()
        .to_der()
        .map_err(|e| SignError::Certificate(e.to_string()))?;
    let serial = der_out::integer_contents(tbs.serial_number().as_bytes());
    let general_names = der_out::sequence(&[&der_out::tlv(CONTEXT_4, &issuer)]);
    let issuer_serial = der_out::sequence(&[&general_names, &serial]);
    let cert_hash = der_out::octet_string(&digest(DigestAlgorithm::Sha256, cert_der));
    let ess_cert_id = der_out::sequence(&[&cert_hash, &issuer_serial]);
    Ok(der_out::sequence(&[&der_out::sequence(&[&ess_cert_id])]))
}

/// The signed attributes as the DER `SET OF` (tag 0x31) the signature is computed over.
/// In the SignerInfo the same bytes go with the tag changed to `[0]` IMPLICIT (0xA0).
pub fn signed_attributes(
    signs: &Signs<'_>,
    signing_time: OffsetDateTime,
    cert_der: &[u8],
) -> Result<Vec<u8>, SignError> {
    let mut attrs = Vec::with_capacity(4);
    let message_digest = match signs {
        Signs::Content {
            content_type,
            digest,
        } => {
            attrs.push(attribute(
                &oids::ATTR_CONTENT_TYPE,
                &der_out::oid(content_type),
            ));
            digest
        }
        Signs::ParentSignature { digest } => digest,
    };
    attrs.push(attribute(
        &oids::ATTR_SIGNING_TIME,
        &der_out::time(signing_time),
    ));
    attrs.push(attribute(
        &oids::ATTR_MESSAGE_DIGEST,
        &der_out::octet_string(message_digest),
    ));
    attrs.push(attribute(
        &oids::ATTR_SIGNING_CERTIFICATE_V2,
        &signing_certificate_v2(cert_der)?,
    ));
    Ok(der_out::set_of(SET, attrs))
}
