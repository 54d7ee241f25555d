//! The few facts of an X.509 certificate revocation checking needs, read with the project's
//! DER reader so every field keeps its bytes exactly as encoded (names are compared as
//! encoded, OCSP hashes the issuer's name and key bits as encoded).

use time::OffsetDateTime;

use crate::envelope::asn1_time::parse_time;
use crate::envelope::ber::{tags, BerError, Tlv};

pub const SUBJECT_KEY_IDENTIFIER: &str = "2.5.29.14";
pub const AUTHORITY_KEY_IDENTIFIER: &str = "2.5.29.35";
pub const BASIC_CONSTRAINTS: &str = "2.5.29.19";
pub const CRL_DISTRIBUTION_POINTS: &str = "2.5.29.31";
pub const EXTENDED_KEY_USAGE: &str = "2.5.29.37";
pub const AUTHORITY_INFO_ACCESS: &str = "1.3.6.1.5.5.7.1.1";
pub const OCSP_NOCHECK: &str = "1.3.6.1.5.5.7.48.1.5";
const ACCESS_METHOD_OCSP: &str = "1.3.6.1.5.5.7.48.1";
pub const KP_OCSP_SIGNING: &str = "1.3.6.1.5.5.7.3.9";

/// One extension: OID as text, criticality, the OCTET STRING's contents.
#[derive(Debug, Clone, Copy)]
pub struct Extension<'a> {
    pub oid: const_oid::ObjectIdentifier,
    pub critical: bool,
    pub value: &'a [u8],
}

impl Extension<'_> {
    pub fn is(&self, oid: &str) -> bool {
        self.oid.to_string() == oid
    }
}

/// Reads `Extensions ::= SEQUENCE OF Extension`.
pub fn read_extensions<'a>(seq: &Tlv<'a>) -> Result<Vec<Extension<'a>>, BerError> {
    let mut out = Vec::new();
    for ext in seq.child_list()? {
        let mut fields = ext.children()?;
        let oid = fields.next()?.oid()?;
        let mut next = fields.next()?;
        let mut critical = false;
        if next.tag.is_universal(tags::BOOLEAN) {
            critical = next.value.first().is_some_and(|b| *b != 0);
            next = fields.next()?;
        }
        if !next.tag.is_universal(tags::OCTET_STRING) {
            return Err(BerError::Invalid("extension value is not an OCTET STRING"));
        }
        out.push(Extension {
            oid,
            critical,
            value: next.value,
        });
    }
    Ok(out)
}

/// A certificate seen through its encoded fields.
#[derive(Debug, Clone)]
pub struct CertView<'a> {
    pub der: &'a [u8],
    /// The TBSCertificate's `signature` AlgorithmIdentifier, whole encoding.
    inner_algorithm: &'a [u8],
    pub serial: &'a [u8],
    /// The issuer Name, whole encoding.
    pub issuer: &'a [u8],
    /// The subject Name, whole encoding.
    pub subject: &'a [u8],
    /// The SubjectPublicKeyInfo, whole encoding.
    pub spki: &'a [u8],
    /// The subjectPublicKey BIT STRING's key bits (without the unused-bits octet).
    pub key_bits: &'a [u8],
    pub not_before: OffsetDateTime,
    pub not_after: OffsetDateTime,
    pub extensions: Vec<Extension<'a>>,
}

impl<'a> CertView<'a> {
    pub fn parse(der: &'a [u8]) -> Result<CertView<'a>, BerError> {
        let (cert, _) = Tlv::parse_prefix(der)?;
        if !cert.tag.is_universal(tags::SEQUENCE) {
            return Err(BerError::Invalid("a certificate is a SEQUENCE"));
        }
        let mut parts = cert.children()?;
        let tbs = parts.expect_universal(tags::SEQUENCE, "TBSCertificate")?;
        let mut f = tbs.children()?;
        // version [0] EXPLICIT, optional
        f.optional_context(0)?;
        let serial = f.expect_universal(tags::INTEGER, "serialNumber")?.value;
        let inner_algorithm = f.expect_universal(tags::SEQUENCE, "signature")?.raw;
        let issuer = f.expect_universal(tags::SEQUENCE, "issuer")?.raw;
        let validity = f.expect_universal(tags::SEQUENCE, "validity")?;
        let times = validity.child_list()?;
        let time_at = |i: usize| {
            times.get(i).and_then(parse_time).ok_or(BerError::Invalid(
                "certificate validity is not a valid time",
            ))
        };
        let (not_before, not_after) = (time_at(0)?, time_at(1)?);
        let subject = f.expect_universal(tags::SEQUENCE, "subject")?.raw;
        let spki_tlv = f.expect_universal(tags::SEQUENCE, "subjectPublicKeyInfo")?;
        let mut spki_fields = spki_tlv.children()?;
        spki_fields.expect_universal(tags::SEQUENCE, "algorithm")?;
        let bits = spki_fields.expect_universal(tags::BIT_STRING, "subjectPublicKey")?;
        let key_bits = bits.value.get(1..).unwrap_or_default();
        let mut extensions = Vec::new();
        while let Some(field) = f.next_opt()? {
            if field.tag.is_context(3) {
                let seq = field
                    .child_list()?
                    .into_iter()
                    .next()
                    .ok_or(BerError::Invalid("empty extensions"))?;
                extensions = read_extensions(&seq)?;
            }
        }
        Ok(CertView {
            der,
            inner_algorithm,
            serial,
            issuer,
            subject,
            spki: spki_tlv.raw,
            key_bits,
            not_before,
            not_after,
            extensions,
        })
    }

    /// Was this certificate signed by `issuer`'s key (with the algorithm it names inside and
    /// out)?
    pub fn check_signed_by(&self, issuer: &CertView<'_>) -> Result<(), String> {
        let (outer, _) = Tlv::parse_prefix(self.der).map_err(|e| e.to_string())?;
        let parts = outer.child_list().map_err(|e| e.to_string())?;
        let signed = super::signed::Signed::from_parts(&parts)
            .ok_or_else(|| "unreadable certificate".to_string())?;
        if signed.algorithm.raw != self.inner_algorithm || parts.len() != 3 {
            return Err(
                "the certificate names different signature algorithms inside and out".into(),
            );
        }
        signed.verify_with(issuer.spki)
    }

    pub fn extension(&self, oid: &str) -> Option<&Extension<'a>> {
        self.extensions.iter().find(|e| e.is(oid))
    }

    /// The subjectKeyIdentifier's octets.
    pub fn subject_key_id(&self) -> Option<&'a [u8]> {
        let ext = self.extension(SUBJECT_KEY_IDENTIFIER)?;
        let (tlv, _) = Tlv::parse_prefix(ext.value).ok()?;
        Some(tlv.value)
    }

    pub fn is_ca(&self) -> bool {
        self.extension(BASIC_CONSTRAINTS)
            .and_then(|e| Tlv::parse_prefix(e.value).ok())
            .and_then(|(seq, _)| seq.child_list().ok())
            .and_then(|kids| kids.first().copied())
            .is_some_and(|b| b.tag.is_universal(tags::BOOLEAN) && b.value.first() == Some(&0xFF))
    }

    /// HTTP(S) URLs of the CRL distribution points (fullName URIs only).
    pub fn crl_urls(&self) -> Vec<String> {
        let Some(ext) = self.extension(CRL_DISTRIBUTION_POINTS) else {
            return Vec::new();
        };
        let mut out = Vec::new();
        if let Ok((seq, _)) = Tlv::parse_prefix(ext.value) {
            for dp in seq.child_list().unwrap_or_default() {
                // DistributionPoint { distributionPoint [0] { fullName [0] GeneralNames } }
                let names = dp
                    .child_list()
                    .ok()
                    .and_then(|f| f.into_iter().find(|t| t.tag.is_context(0)))
                    .and_then(|dpn| dpn.child_list().ok())
                    .and_then(|c| c.into_iter().find(|t| t.tag.is_context(0)));
                if let Some(full) = names {
                    out.extend(uris_in(&full));
                }
            }
        }
        out.retain(|u| is_http(u));
        out
    }

    /// HTTP(S) URLs of the OCSP responders named in the AIA.
    pub fn ocsp_urls(&self) -> Vec<String> {
        let Some(ext) = self.extension(AUTHORITY_INFO_ACCESS) else {
            return Vec::new();
        };
        let mut out = Vec::new();
        if let Ok((seq, _)) = Tlv::parse_prefix(ext.value) {
            for ad in seq.child_list().unwrap_or_default() {
                let Ok(mut f) = ad.children() else { continue };
                let is_ocsp = f
                    .next()
                    .and_then(|o| o.oid())
                    .is_ok_and(|o| o.to_string() == ACCESS_METHOD_OCSP);
                if let (true, Ok(name)) = (is_ocsp, f.next()) {
                    if name.tag.is_context(6) {
                        out.push(String::from_utf8_lossy(name.value).into_owned());
                    }
                }
            }
        }
        out.retain(|u| is_http(u));
        out
    }

    /// Extended key usage contains `purpose`.
    pub fn has_extended_key_usage(&self, purpose: &str) -> bool {
        self.extension(EXTENDED_KEY_USAGE)
            .and_then(|e| Tlv::parse_prefix(e.value).ok())
            .and_then(|(seq, _)| seq.child_list().ok())
            .is_some_and(|kids| {
                kids.iter()
                    .any(|k| k.oid().is_ok_and(|o| o.to_string() == purpose))
            })
    }

    pub fn valid_at(&self, t: OffsetDateTime) -> bool {
        self.not_before <= t && t <= self.not_after
    }
}

/// The URIs (`[6] IA5String`) among GeneralNames.
pub fn uris_in(general_names: &Tlv<'_>) -> Vec<String> {
    general_names
        .child_list()
        .unwrap_or_default()
        .into_iter()
        .filter(|n| n.tag.is_context(6))
        .map(|n| String::from_utf8_lossy(n.value).into_owned())
        .collect()
}

fn is_http(url: &str) -> bool {
    let lower = url.to_ascii_lowercase();
    lower.starts_with("http://") || lower.starts_with("https://")
}

/// INTEGER contents without leading zero octets, so `00 8F` and `8F` compare equal.
pub fn serial_key(serial: &[u8]) -> &[u8] {
    let skip = serial
        .iter()
        .take_while(|b| **b == 0)
        .count()
        .min(serial.len().saturating_sub(1));
    &serial[skip..]
}
