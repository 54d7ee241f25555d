//! X.509 CRLs (RFC 5280 §5): reading, the issuer's signature, scope and currency, and what a
//! CRL says about one certificate.

use time::OffsetDateTime;

use super::cert::{read_extensions, serial_key, uris_in, CertView, Extension};
use super::signed::Signed;
use crate::envelope::asn1_time::{parse_time, rfc3339};
use crate::envelope::ber::{tags, BerError, Tlv};

const CRL_NUMBER: &str = "2.5.29.20";
const DELTA_CRL_INDICATOR: &str = "2.5.29.27";
const ISSUING_DISTRIBUTION_POINT: &str = "2.5.29.28";
const AUTHORITY_KEY_IDENTIFIER: &str = "2.5.29.35";
const FRESHEST_CRL: &str = "2.5.29.46";
const EXPIRED_CERTS_ON_CRL: &str = "2.5.29.60";
const REASON_CODE: &str = "2.5.29.21";
const INVALIDITY_DATE: &str = "2.5.29.24";
const KEY_USAGE: &str = "2.5.29.15";

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CrlError {
    #[error("not a readable CRL: {0}")]
    Encoding(#[from] BerError),
    #[error("not a readable CRL: {0}")]
    Malformed(&'static str),
}

/// One revoked certificate.
#[derive(Debug, Clone)]
pub struct CrlEntry<'a> {
    pub serial: &'a [u8],
    pub revoked_at: OffsetDateTime,
    pub reason: Option<&'static str>,
    /// A critical entry extension this reader does not know (e.g. certificateIssuer of an
    /// indirect CRL): the entry cannot be understood.
    pub unknown_critical: Option<String>,
}

/// The IssuingDistributionPoint extension.
#[derive(Debug, Clone, Default)]
pub struct IssuingDistributionPoint {
    pub uris: Vec<String>,
    pub only_user_certs: bool,
    pub only_ca_certs: bool,
    pub only_some_reasons: bool,
    pub indirect: bool,
    pub only_attribute_certs: bool,
}

#[derive(Debug, Clone)]
pub struct Crl<'a> {
    pub der: &'a [u8],
    signed: Signed<'a>,
    /// The TBSCertList's own `signature` AlgorithmIdentifier, whole encoding.
    inner_algorithm: &'a [u8],
    /// The issuer Name, whole encoding.
    pub issuer: &'a [u8],
    pub this_update: OffsetDateTime,
    pub next_update: Option<OffsetDateTime>,
    pub entries: Vec<CrlEntry<'a>>,
    pub extensions: Vec<Extension<'a>>,
}

fn reason_name(code: u8) -> Option<&'static str> {
    Some(match code {
        0 => "unspecified",
        1 => "keyCompromise",
        2 => "cACompromise",
        3 => "affiliationChanged",
        4 => "superseded",
        5 => "cessationOfOperation",
        6 => "certificateHold",
        8 => "removeFromCRL",
        9 => "privilegeWithdrawn",
        10 => "aACompromise",
        _ => return None,
    })
}

/// `CRLReason ::= ENUMERATED` as its name.
pub fn reason_from_enumerated(der: &[u8]) -> Option<&'static str> {
    let (tlv, _) = Tlv::parse_prefix(der).ok()?;
    match tlv.value {
        [code] if tlv.tag.is_universal(10) => reason_name(*code),
        _ => None,
    }
}

fn read_entry<'a>(entry: &Tlv<'a>) -> Result<CrlEntry<'a>, CrlError> {
    let mut f = entry.children()?;
    let serial = f.expect_universal(tags::INTEGER, "userCertificate")?.value;
    let revoked_at = parse_time(&f.next()?).ok_or(CrlError::Malformed("bad revocationDate"))?;
    let mut reason = None;
    let mut unknown_critical = None;
    if let Some(exts) = f.next_opt()? {
        for ext in read_extensions(&exts)? {
            if ext.is(REASON_CODE) {
                reason = reason_from_enumerated(ext.value);
            } else if ext.critical && !ext.is(INVALIDITY_DATE) {
                unknown_critical = Some(ext.oid.to_string());
            }
        }
    }
    Ok(CrlEntry {
        serial,
        revoked_at,
        reason,
        unknown_critical,
    })
}

/// Reads a DER CRL.
pub fn parse(der: &[u8]) -> Result<Crl<'_>, CrlError> {
    let (outer, rest) = Tlv::parse_prefix(der)?;
    if !rest.is_empty() || !outer.tag.is_universal(tags::SEQUENCE) {
        return Err(CrlError::Malformed("not a single CertificateList"));
    }
    let parts = outer.child_list()?;
    let signed = Signed::from_parts(&parts).ok_or(CrlError::Malformed("no signature"))?;
    let mut f = signed.tbs.children()?;
    if f.peek_tag().is_some_and(|t| t.is_universal(tags::INTEGER)) {
        let version = f.next()?.small_uint()?;
        if version != 1 {
            return Err(CrlError::Malformed("unknown CRL version"));
        }
    }
    let inner_algorithm = f.expect_universal(tags::SEQUENCE, "signature")?.raw;
    let issuer = f.expect_universal(tags::SEQUENCE, "issuer")?.raw;
    let this_update = parse_time(&f.next()?).ok_or(CrlError::Malformed("bad thisUpdate"))?;
    let mut next_update = None;
    let mut entries = Vec::new();
    let mut extensions = Vec::new();
    while let Some(field) = f.next_opt()? {
        if field.tag.is_universal(tags::UTC_TIME) || field.tag.is_universal(tags::GENERALIZED_TIME)
        {
            next_update = Some(parse_time(&field).ok_or(CrlError::Malformed("bad nextUpdate"))?);
        } else if field.tag.is_universal(tags::SEQUENCE) {
            for entry in field.child_list()? {
                entries.push(read_entry(&entry)?);
            }
        } else if field.tag.is_context(0) {
            let seq = field
                .child_list()?
                .into_iter()
                .next()
                .ok_or(CrlError::Malformed("empty crlExtensions"))?;
            extensions = read_extensions(&seq)?;
        } else {
            return Err(CrlError::Malformed("unexpected field in TBSCertList"));
        }
    }
    Ok(Crl {
        der,
        signed,
        inner_algorithm,
        issuer,
        this_update,
        next_update,
        entries,
        extensions,
    })
}

/// DER CRLs in a file: PEM blocks (`X509 CRL`) or one DER CRL.
pub fn crls_in_file(bytes: &[u8]) -> Vec<Vec<u8>> {
    let text = String::from_utf8_lossy(bytes);
    if text.contains("-----BEGIN X509 CRL-----") {
        return text
            .split("-----BEGIN X509 CRL-----")
            .skip(1)
            .filter_map(|block| block.split("-----END X509 CRL-----").next())
            .filter_map(|b64| crate::envelope::sniff::decode_base64(b64.as_bytes()).ok())
            .collect();
    }
    vec![bytes.to_vec()]
}

fn bool_flag(tlv: &Tlv<'_>) -> bool {
    tlv.value.first().is_some_and(|b| *b != 0)
}

impl<'a> Crl<'a> {
    pub fn extension(&self, oid: &str) -> Option<&Extension<'a>> {
        self.extensions.iter().find(|e| e.is(oid))
    }

    pub fn is_delta(&self) -> bool {
        self.extension(DELTA_CRL_INDICATOR).is_some()
    }

    /// The cRLNumber, as hex, when present.
    pub fn number(&self) -> Option<String> {
        let ext = self.extension(CRL_NUMBER)?;
        let (tlv, _) = Tlv::parse_prefix(ext.value).ok()?;
        Some(hex::encode(tlv.value))
    }

    /// The authorityKeyIdentifier's keyIdentifier.
    pub fn authority_key_id(&self) -> Option<&'a [u8]> {
        let ext = self.extension(AUTHORITY_KEY_IDENTIFIER)?;
        let (seq, _) = Tlv::parse_prefix(ext.value).ok()?;
        seq.child_list()
            .ok()?
            .into_iter()
            .find(|t| t.tag.is_context(0))
            .map(|t| t.value)
    }

    /// ExpiredCertsOnCRL: entries of certificates that expired after this time are kept.
    pub fn expired_certs_on_crl(&self) -> Option<OffsetDateTime> {
        let ext = self.extension(EXPIRED_CERTS_ON_CRL)?;
        let (tlv, _) = Tlv::parse_prefix(ext.value).ok()?;
        parse_time(&tlv)
    }

    pub fn issuing_distribution_point(&self) -> Result<Option<IssuingDistributionPoint>, String> {
        let Some(ext) = self.extension(ISSUING_DISTRIBUTION_POINT) else {
            return Ok(None);
        };
        let bad = |e: BerError| format!("unreadable issuing distribution point: {e}");
        let (seq, _) = Tlv::parse_prefix(ext.value).map_err(bad)?;
        let mut idp = IssuingDistributionPoint::default();
        for field in seq.child_list().map_err(bad)? {
            match field.tag.number {
                0 if field.tag.is_context(0) => {
                    for name in field.child_list().map_err(bad)? {
                        if name.tag.is_context(0) {
                            idp.uris.extend(uris_in(&name));
                        }
                    }
                }
                1 => idp.only_user_certs = bool_flag(&field),
                2 => idp.only_ca_certs = bool_flag(&field),
                3 => idp.only_some_reasons = true,
                4 => idp.indirect = bool_flag(&field),
                5 => idp.only_attribute_certs = bool_flag(&field),
                _ => {}
            }
        }
        Ok(Some(idp))
    }

    /// Is this CRL signed by `issuer` (same name, same key, the key allowed to sign CRLs, the
    /// same algorithm inside and out)? A key identifier is never taken as proof: the
    /// signature is checked with the issuer's key.
    pub fn check_issued_by(&self, issuer: &CertView<'_>) -> Result<(), String> {
        if self.issuer != issuer.subject {
            return Err("the CRL is from another issuer".into());
        }
        if self.inner_algorithm != self.signed.algorithm.raw {
            return Err(
                "the CRL names different signature algorithms inside and outside its signed part"
                    .into(),
            );
        }
        if let Some(ku) = issuer.extension(KEY_USAGE) {
            // keyUsage BIT STRING: bit 6 is cRLSign.
            let allowed = Tlv::parse_prefix(ku.value)
                .ok()
                .and_then(|(bits, _)| bits.value.get(1).copied())
                .is_some_and(|first| first & 0x02 != 0);
            if !allowed {
                return Err("the issuer's key is not allowed to sign CRLs".into());
            }
        }
        self.signed
            .verify_with(issuer.spki)
            .map_err(|e| format!("the CRL's signature does not verify with its issuer's key ({e})"))
    }

    /// Refusals that make this CRL unusable for any certificate.
    pub fn unusable(&self) -> Option<String> {
        if self.is_delta() {
            return Some("delta CRLs are not supported; a complete CRL is needed".into());
        }
        if let Some(ext) = self.extensions.iter().find(|e| {
            e.critical
                && ![
                    CRL_NUMBER,
                    ISSUING_DISTRIBUTION_POINT,
                    AUTHORITY_KEY_IDENTIFIER,
                    FRESHEST_CRL,
                    EXPIRED_CERTS_ON_CRL,
                ]
                .iter()
                .any(|known| e.is(known))
        }) {
            return Some(format!(
                "the CRL has an unknown critical extension {}",
                ext.oid
            ));
        }
        None
    }

    /// Does this CRL cover `cert` at all? `None` when it does, else why not.
    pub fn out_of_scope(&self, cert: &CertView<'_>) -> Option<String> {
        let idp = match self.issuing_distribution_point() {
            Ok(Some(idp)) => idp,
            Ok(None) => return None,
            Err(e) => return Some(e),
        };
        if idp.indirect {
            return Some("indirect CRLs are not supported".into());
        }
        if idp.only_attribute_certs {
            return Some("the CRL covers attribute certificates only".into());
        }
        if idp.only_some_reasons {
            return Some("the CRL covers only some revocation reasons".into());
        }
        let ca = cert.is_ca();
        if idp.only_ca_certs && !ca {
            return Some("the CRL covers CA certificates only".into());
        }
        if idp.only_user_certs && ca {
            return Some("the CRL covers end-entity certificates only".into());
        }
        let cert_points = cert.crl_urls();
        if !idp.uris.is_empty()
            && !cert_points.is_empty()
            && !idp.uris.iter().any(|u| cert_points.contains(u))
        {
            return Some(format!(
                "the CRL's distribution point ({}) is not one of the certificate's",
                idp.uris.join(", ")
            ));
        }
        None
    }

    /// What this CRL, already known to be signed by the certificate's issuer, says about `cert`
    /// at `at`.
    pub fn judge(&self, cert: &CertView<'_>, at: OffsetDateTime) -> CrlAnswer {
        if let Some(why) = self.unusable().or_else(|| self.out_of_scope(cert)) {
            return CrlAnswer::Unknown(why);
        }
        let serial = serial_key(cert.serial);
        if let Some(entry) = self.entries.iter().find(|e| serial_key(e.serial) == serial) {
            if let Some(oid) = &entry.unknown_critical {
                return CrlAnswer::Unknown(format!(
                    "the CRL entry has an unknown critical extension {oid}"
                ));
            }
            if entry.reason != Some("removeFromCRL") {
                return CrlAnswer::Revoked {
                    at: entry.revoked_at,
                    reason: entry.reason,
                };
            }
        }
        if let Some(next) = self.next_update {
            if next < at {
                return CrlAnswer::Unknown(format!(
                    "the CRL is not current: its next update was due {}",
                    rfc3339(next)
                ));
            }
        }
        if cert.not_after < self.this_update {
            let kept_since = self.expired_certs_on_crl();
            if kept_since.is_none_or(|since| since > cert.not_after) {
                return CrlAnswer::Unknown(format!(
                    "the certificate had expired ({}) before the CRL was issued ({}), and the CRL \
                     does not say it keeps expired certificates",
                    rfc3339(cert.not_after),
                    rfc3339(self.this_update)
                ));
            }
        }
        CrlAnswer::Good
    }
}

/// What a CRL says about one certificate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CrlAnswer {
    Good,
    Revoked {
        at: OffsetDateTime,
        reason: Option<&'static str>,
    },
    Unknown(String),
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn garbage_is_an_error() {
        assert!(parse(b"").is_err());
        assert!(parse(&[0x30, 0x03, 0x02, 0x01, 0x01]).is_err());
        assert!(parse(&[0x30, 0x80]).is_err());
    }

    #[test]
    fn reasons_by_code() {
        assert_eq!(
            reason_from_enumerated(&[0x0a, 0x01, 0x01]),
            Some("keyCompromise")
        );
        assert_eq!(
            reason_from_enumerated(&[0x0a, 0x01, 0x06]),
            Some("certificateHold")
        );
        assert_eq!(reason_from_enumerated(&[0x0a, 0x01, 0x07]), None);
    }
}
