//! OCSP (RFC 6960): the request for one certificate (with a nonce), and reading and judging a
//! response: who signed it (the CA, or a responder the CA delegated with id-kp-OCSPSigning),
//! which certificate it speaks for, whether it is current, and what it says.

use time::{Duration, OffsetDateTime};

use super::cert::{serial_key, CertView, KP_OCSP_SIGNING, OCSP_NOCHECK};
use super::der_write::{integer, octet_string, sequence, tlv};
use super::signed::Signed;
use crate::crypto::algorithms::DigestAlgorithm;
use crate::crypto::digest::digest;
use crate::envelope::asn1_time::{parse_time, rfc3339};
use crate::envelope::ber::{tags, BerError, Tlv};

const BASIC_RESPONSE: &str = "1.3.6.1.5.5.7.48.1.1";
const NONCE: &str = "1.3.6.1.5.5.7.48.1.2";
/// sha1 AlgorithmIdentifier with NULL parameters, as every responder understands.
const SHA1_ALGORITHM: [u8; 11] = [
    0x30, 0x09, 0x06, 0x05, 0x2B, 0x0E, 0x03, 0x02, 0x1A, 0x05, 0x00,
];
const NONCE_OID: [u8; 11] = [
    0x06, 0x09, 0x2B, 0x06, 0x01, 0x05, 0x05, 0x07, 0x30, 0x01, 0x02,
];
/// A response without nextUpdate says "newer information is always available": it is taken
/// as current only this long after its thisUpdate.
const CURRENT_WITHOUT_NEXT_UPDATE: Duration = Duration::hours(1);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum OcspError {
    #[error("not a readable OCSP response: {0}")]
    Encoding(#[from] BerError),
    #[error("not a readable OCSP response: {0}")]
    Malformed(&'static str),
    #[error("the OCSP responder answered with status {0} (not successful)")]
    NotSuccessful(u64),
}

/// An OCSP request for `cert` (issued by `issuer`) carrying `nonce`.
pub fn request(cert: &CertView<'_>, issuer: &CertView<'_>, nonce: &[u8]) -> Vec<u8> {
    let cert_id = sequence(&[
        &SHA1_ALGORITHM,
        &octet_string(&digest(DigestAlgorithm::Sha1, issuer.subject)),
        &octet_string(&digest(DigestAlgorithm::Sha1, issuer.key_bits)),
        &integer(cert.serial),
    ]);
    let request_list = sequence(&[&sequence(&[&cert_id])]);
    let nonce_ext = sequence(&[&NONCE_OID, &octet_string(&octet_string(nonce))]);
    let extensions = tlv(0xA2, &sequence(&[&nonce_ext]));
    sequence(&[&sequence(&[&request_list, &extensions])])
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CertStatus {
    Good,
    Revoked {
        at: OffsetDateTime,
        reason: Option<&'static str>,
    },
    Unknown,
}

#[derive(Debug, Clone)]
pub struct SingleResponse<'a> {
    hash: Option<DigestAlgorithm>,
    name_hash: &'a [u8],
    key_hash: &'a [u8],
    serial: &'a [u8],
    pub status: CertStatus,
    pub this_update: OffsetDateTime,
    pub next_update: Option<OffsetDateTime>,
}

#[derive(Debug, Clone, Copy)]
pub enum ResponderId<'a> {
    ByName(&'a [u8]),
    ByKey(&'a [u8]),
}

#[derive(Debug, Clone)]
pub struct OcspResponse<'a> {
    signed: Signed<'a>,
    pub responder: ResponderId<'a>,
    pub produced_at: OffsetDateTime,
    pub responses: Vec<SingleResponse<'a>>,
    pub nonce: Option<&'a [u8]>,
    pub certs: Vec<&'a [u8]>,
}

fn read_single<'a>(tlv: &Tlv<'a>) -> Result<SingleResponse<'a>, OcspError> {
    let mut f = tlv.children()?;
    let cert_id = f.expect_universal(tags::SEQUENCE, "CertID")?;
    let mut id = cert_id.children()?;
    let alg = id.expect_universal(tags::SEQUENCE, "hashAlgorithm")?;
    let hash = alg
        .children()?
        .next()
        .and_then(|o| o.oid())
        .ok()
        .and_then(|o| DigestAlgorithm::from_oid(&o));
    let name_hash = id
        .expect_universal(tags::OCTET_STRING, "issuerNameHash")?
        .value;
    let key_hash = id
        .expect_universal(tags::OCTET_STRING, "issuerKeyHash")?
        .value;
    let serial = id.expect_universal(tags::INTEGER, "serialNumber")?.value;
    let status_tlv = f.next()?;
    let status = match status_tlv.tag.number {
        0 if status_tlv.tag.is_context(0) => CertStatus::Good,
        1 if status_tlv.tag.is_context(1) => {
            let mut info = status_tlv.children()?;
            let at = parse_time(&info.next()?).ok_or(OcspError::Malformed("bad revocationTime"))?;
            let reason = info
                .optional_context(0)?
                .and_then(|r| super::crl::reason_from_enumerated(r.value));
            CertStatus::Revoked { at, reason }
        }
        2 if status_tlv.tag.is_context(2) => CertStatus::Unknown,
        _ => return Err(OcspError::Malformed("unknown certStatus")),
    };
    let this_update = parse_time(&f.next()?).ok_or(OcspError::Malformed("bad thisUpdate"))?;
    let mut next_update = None;
    if let Some(next) = f.optional_context(0)? {
        let inner = next.children()?.next()?;
        next_update = Some(parse_time(&inner).ok_or(OcspError::Malformed("bad nextUpdate"))?);
    }
    Ok(SingleResponse {
        hash,
        name_hash,
        key_hash,
        serial,
        status,
        this_update,
        next_update,
    })
}

/// Reads an `OCSPResponse` (which must be successful and basic) or a bare `BasicOCSPResponse`.
pub fn parse(der: &[u8]) -> Result<OcspResponse<'_>, OcspError> {
    let (outer, rest) = Tlv::parse_prefix(der)?;
    if !rest.is_empty() || !outer.tag.is_universal(tags::SEQUENCE) {
        return Err(OcspError::Malformed("not a single OCSPResponse"));
    }
    let mut f = outer.children()?;
    let first = f.next()?;
    let basic = if first.tag.is_universal(10) {
        let status = first.small_uint().unwrap_or(u64::MAX);
        let code = first
            .value
            .first()
            .copied()
            .map(u64::from)
            .unwrap_or(status);
        if code != 0 {
            return Err(OcspError::NotSuccessful(code));
        }
        let bytes = f
            .optional_context(0)?
            .ok_or(OcspError::Malformed("no responseBytes"))?;
        let mut rb = bytes
            .children()?
            .expect_universal(tags::SEQUENCE, "ResponseBytes")?
            .children()?;
        let kind = rb.next()?.oid()?;
        if kind.to_string() != BASIC_RESPONSE {
            return Err(OcspError::Malformed("not a basic OCSP response"));
        }
        let octets = rb.expect_universal(tags::OCTET_STRING, "response")?;
        let (basic, rest) = Tlv::parse_prefix(octets.value)?;
        if !rest.is_empty() || !basic.tag.is_universal(tags::SEQUENCE) {
            return Err(OcspError::Malformed("not a single BasicOCSPResponse"));
        }
        basic
    } else {
        outer
    };
    parse_basic(basic)
}

fn parse_basic(basic: Tlv<'_>) -> Result<OcspResponse<'_>, OcspError> {
    let parts = basic.child_list()?;
    let signed = Signed::from_parts(&parts).ok_or(OcspError::Malformed("no signature"))?;
    let mut certs = Vec::new();
    if let Some(list) = parts.get(3).filter(|t| t.tag.is_context(0)) {
        let seq = list.children()?.expect_universal(tags::SEQUENCE, "certs")?;
        for cert in seq.child_list()? {
            if !cert.tag.is_universal(tags::SEQUENCE) {
                return Err(OcspError::Malformed(
                    "certs holds something else than a certificate",
                ));
            }
            certs.push(cert.raw);
        }
    }
    if parts.len() > 4 || parts.get(3).is_some_and(|t| !t.tag.is_context(0)) {
        return Err(OcspError::Malformed(
            "unexpected field in BasicOCSPResponse",
        ));
    }
    let mut f = signed.tbs.children()?;
    if let Some(version) = f.optional_context(0)? {
        // An explicitly encoded default (v1 = 0) is not DER, but real responders send it.
        if version.children()?.next()?.small_uint()? != 0 {
            return Err(OcspError::Malformed("unknown response version"));
        }
    }
    let rid = f.next()?;
    let responder = match rid.tag.number {
        1 if rid.tag.is_context(1) => ResponderId::ByName(rid.children()?.next()?.raw),
        2 if rid.tag.is_context(2) => ResponderId::ByKey(
            rid.children()?
                .expect_universal(tags::OCTET_STRING, "KeyHash")?
                .value,
        ),
        _ => return Err(OcspError::Malformed("bad responderID")),
    };
    let produced_at = parse_time(&f.expect_universal(tags::GENERALIZED_TIME, "producedAt")?)
        .ok_or(OcspError::Malformed("bad producedAt"))?;
    let mut responses = Vec::new();
    for single in f
        .expect_universal(tags::SEQUENCE, "responses")?
        .child_list()?
    {
        responses.push(read_single(&single)?);
    }
    let mut nonce = None;
    if let Some(exts) = f.optional_context(1)? {
        let seq = exts.children()?.next()?;
        for ext in super::cert::read_extensions(&seq)? {
            if ext.is(NONCE) {
                // RFC 8954: the value is an OCTET STRING; some responders send the raw octets.
                nonce = Some(match Tlv::parse_prefix(ext.value) {
                    Ok((inner, rest))
                        if rest.is_empty() && inner.tag.is_universal(tags::OCTET_STRING) =>
                    {
                        inner.value
                    }
                    _ => ext.value,
                });
            }
        }
    }
    Ok(OcspResponse {
        signed,
        responder,
        produced_at,
        responses,
        nonce,
        certs,
    })
}

/// What a response says about one certificate, with the subject of whoever signed it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OcspAnswer {
    Good {
        this_update: OffsetDateTime,
        next_update: Option<OffsetDateTime>,
        /// The certificate (DER) whose key signed the response: the CA's or its delegate's.
        signer: Vec<u8>,
    },
    Revoked {
        this_update: OffsetDateTime,
        next_update: Option<OffsetDateTime>,
        signer: Vec<u8>,
        at: OffsetDateTime,
        reason: Option<&'static str>,
    },
    Unknown(String),
}

struct Signer {
    spki: Vec<u8>,
    der: Vec<u8>,
}

fn matches_responder(id: ResponderId<'_>, cert: &CertView<'_>) -> bool {
    match id {
        ResponderId::ByName(name) => name == cert.subject,
        ResponderId::ByKey(hash) => hash == digest(DigestAlgorithm::Sha1, cert.key_bits).as_slice(),
    }
}

impl<'a> OcspResponse<'a> {
    /// The key that signed this response, if the CA signed it or authorised its signer.
    /// The certificate whose key signed this response, if the CA signed it or authorised its
    /// signer.
    fn authorised_signer(&self, issuer: &CertView<'_>) -> Result<Signer, String> {
        if matches_responder(self.responder, issuer) {
            return Ok(Signer {
                spki: issuer.spki.to_vec(),
                der: issuer.der.to_vec(),
            });
        }
        let delegate = self
            .certs
            .iter()
            .filter_map(|der| CertView::parse(der).ok())
            .find(|c| matches_responder(self.responder, c))
            .ok_or("the OCSP response is signed by a responder that is neither the CA nor carries its certificate")?;
        if delegate.issuer != issuer.subject {
            return Err(
                "the OCSP responder's certificate was not issued by the certificate's CA".into(),
            );
        }
        delegate.check_signed_by(issuer).map_err(|_| {
            "the OCSP responder's certificate was not signed by the certificate's CA".to_string()
        })?;
        if !delegate.has_extended_key_usage(KP_OCSP_SIGNING) {
            return Err(
                "the OCSP responder is not authorised by the CA (no id-kp-OCSPSigning)".into(),
            );
        }
        if !delegate.valid_at(self.produced_at) {
            return Err("the OCSP responder's certificate was not valid when it answered".into());
        }
        if delegate.extension(OCSP_NOCHECK).is_none() {
            // RFC 6960 4.2.2.2.1: without id-pkix-ocsp-nocheck the responder's own status
            // should be checked; a responder answering for itself would be circular, so
            // such a delegate is logged and accepted like most clients do.
            log::info!("OCSP responder certificate without id-pkix-ocsp-nocheck accepted");
        }
        Ok(Signer {
            spki: delegate.spki.to_vec(),
            der: delegate.der.to_vec(),
        })
    }

    fn single_for(
        &self,
        cert: &CertView<'_>,
        issuer: &CertView<'_>,
    ) -> Option<&SingleResponse<'a>> {
        self.responses.iter().find(|s| {
            s.hash.is_some_and(|h| {
                serial_key(s.serial) == serial_key(cert.serial)
                    && s.name_hash == digest(h, issuer.subject).as_slice()
                    && s.key_hash == digest(h, issuer.key_bits).as_slice()
            })
        })
    }

    /// What this response says about `cert` at `at`. With `expected_nonce`, a response
    /// carrying another nonce is a replay and refused.
    pub fn judge(
        &self,
        cert: &CertView<'_>,
        issuer: &CertView<'_>,
        at: OffsetDateTime,
        expected_nonce: Option<&[u8]>,
    ) -> OcspAnswer {
        let signer = match self.authorised_signer(issuer) {
            Ok(signer) => signer,
            Err(why) => return OcspAnswer::Unknown(why),
        };
        if let Err(e) = self.signed.verify_with(&signer.spki) {
            return OcspAnswer::Unknown(format!(
                "the OCSP response's signature does not verify ({e})"
            ));
        }
        if let (Some(expected), Some(got)) = (expected_nonce, self.nonce) {
            if expected != got {
                return OcspAnswer::Unknown("the OCSP response's nonce is not the one sent".into());
            }
        }
        let Some(single) = self.single_for(cert, issuer) else {
            return OcspAnswer::Unknown(
                "the OCSP response does not speak for this certificate".into(),
            );
        };
        let current_until = single
            .next_update
            .unwrap_or(single.this_update + CURRENT_WITHOUT_NEXT_UPDATE);
        let revoked_before = matches!(single.status, CertStatus::Revoked { at: r, .. } if r <= at);
        if current_until < at && !revoked_before {
            return OcspAnswer::Unknown(format!(
                "the OCSP response is not current at {}: it was produced {}{}",
                rfc3339(at),
                rfc3339(single.this_update),
                single
                    .next_update
                    .map(|n| format!(", next update {}", rfc3339(n)))
                    .unwrap_or_default()
            ));
        }
        match single.status {
            CertStatus::Good => OcspAnswer::Good {
                this_update: single.this_update,
                next_update: single.next_update,
                signer: signer.der.clone(),
            },
            CertStatus::Revoked { at: when, reason } => OcspAnswer::Revoked {
                this_update: single.this_update,
                next_update: single.next_update,
                signer: signer.der.clone(),
                at: when,
                reason,
            },
            CertStatus::Unknown => {
                OcspAnswer::Unknown("the OCSP responder does not know the certificate".into())
            }
        }
    }
}
