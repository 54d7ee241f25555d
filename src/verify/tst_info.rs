//! Reading an RFC 3161 `TSTInfo` (the content a time-stamp token signs). Lenient the way
//! real tokens need: an extra OCTET STRING around the TSTInfo is unwrapped.

use const_oid::ObjectIdentifier;
use time::OffsetDateTime;

use crate::envelope::ber::{tags, Tlv};

use super::algorithms::DigestAlgorithm;
use super::asn1_time::parse_time;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TstInfoError {
    #[error("the TSTInfo is not valid ASN.1: {0}")]
    Asn1(String),
    #[error("the TSTInfo lacks {0}")]
    Missing(&'static str),
    #[error("the TSTInfo genTime cannot be read")]
    BadTime,
}

/// The fields of a TSTInfo the verification needs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TstInfo {
    pub policy: ObjectIdentifier,
    pub imprint_oid: ObjectIdentifier,
    /// `None` when the imprint's hash algorithm is not one this verifier knows.
    pub imprint_algorithm: Option<DigestAlgorithm>,
    pub imprint: Vec<u8>,
    /// INTEGER contents octets.
    pub serial: Vec<u8>,
    pub gen_time: OffsetDateTime,
}

fn asn1(e: impl std::fmt::Display) -> TstInfoError {
    TstInfoError::Asn1(e.to_string())
}

/// Parses the TSTInfo from the token's eContent octets.
pub fn parse_tst_info(bytes: &[u8]) -> Result<TstInfo, TstInfoError> {
    let (element, _) = Tlv::parse_prefix(bytes).map_err(asn1)?;
    // Seen in real tokens: the TSTInfo wrapped in one more OCTET STRING (one layer only).
    if element.tag.is_universal(tags::OCTET_STRING) {
        let unwrapped = element.string_bytes().map_err(asn1)?;
        let (inner, _) = Tlv::parse_prefix(&unwrapped).map_err(asn1)?;
        return read_fields(&inner);
    }
    read_fields(&element)
}

fn read_fields(element: &Tlv<'_>) -> Result<TstInfo, TstInfoError> {
    if !element.tag.is_universal(tags::SEQUENCE) {
        return Err(TstInfoError::Missing("its SEQUENCE"));
    }
    let mut fields = element.children().map_err(asn1)?;
    fields
        .expect_universal(tags::INTEGER, "version")
        .map_err(asn1)?;
    let policy = fields
        .expect_universal(tags::OID, "policy")
        .and_then(|t| t.oid())
        .map_err(asn1)?;
    let imprint = fields
        .expect_universal(tags::SEQUENCE, "messageImprint")
        .map_err(asn1)?;
    let mut imprint_fields = imprint.children().map_err(asn1)?;
    let imprint_oid = imprint_fields
        .expect_universal(tags::SEQUENCE, "hashAlgorithm")
        .and_then(|alg| alg.children())
        .and_then(|mut r| r.next())
        .and_then(|t| t.oid())
        .map_err(asn1)?;
    let hashed = imprint_fields
        .expect_universal(tags::OCTET_STRING, "hashedMessage")
        .and_then(|t| t.string_bytes())
        .map_err(asn1)?
        .into_owned();
    let serial = fields
        .expect_universal(tags::INTEGER, "serialNumber")
        .map_err(asn1)?
        .value
        .to_vec();
    let time = fields
        .expect_universal(tags::GENERALIZED_TIME, "genTime")
        .map_err(asn1)?;
    let gen_time = parse_time(&time).ok_or(TstInfoError::BadTime)?;
    Ok(TstInfo {
        policy,
        imprint_algorithm: DigestAlgorithm::from_oid(&imprint_oid),
        imprint_oid,
        imprint: hashed,
        serial,
        gen_time,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A TSTInfo with SHA-256 imprint `ab…` and genTime 2024-03-01 10:20:30Z.
    fn sample() -> Vec<u8> {
        let mut body = vec![0x02, 0x01, 0x01];
        body.extend([0x06, 0x03, 0x2a, 0x03, 0x04]);
        let alg = [
            0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x01, 0x05,
            0x00,
        ];
        let mut imprint = alg.to_vec();
        imprint.extend([0x04, 0x20]);
        imprint.extend([0xab; 32]);
        body.push(0x30);
        body.push(imprint.len() as u8);
        body.extend(imprint);
        body.extend([0x02, 0x02, 0x01, 0x00]);
        let time = b"20240301102030Z";
        body.push(0x18);
        body.push(time.len() as u8);
        body.extend(time);
        let mut out = vec![0x30, body.len() as u8];
        out.extend(body);
        out
    }

    #[test]
    fn reads_the_fields() {
        let info = parse_tst_info(&sample()).expect("parse");
        assert_eq!(info.imprint_algorithm, Some(DigestAlgorithm::Sha256));
        assert_eq!(info.imprint, vec![0xab; 32]);
        assert_eq!(info.serial, vec![0x01, 0x00]);
        assert_eq!(
            info.gen_time,
            time::macros::datetime!(2024-03-01 10:20:30 UTC)
        );
    }

    #[test]
    fn an_extra_octet_string_is_unwrapped() {
        let inner = sample();
        let mut wrapped = vec![0x04, inner.len() as u8];
        wrapped.extend(inner);
        assert!(parse_tst_info(&wrapped).is_ok());
    }

    #[test]
    fn truncated_and_flipped_inputs_are_errors_not_panics() {
        let good = sample();
        for cut in 0..good.len() {
            assert!(parse_tst_info(&good[..cut]).is_err(), "cut at {cut}");
        }
        for i in 0..good.len() {
            let mut bad = good.clone();
            bad[i] ^= 0xff;
            let _ = parse_tst_info(&bad);
        }
    }
}
