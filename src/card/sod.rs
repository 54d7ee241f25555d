//! The CIE's Document Security Object (EF 1006): `77 <len> ContentInfo(SignedData)` whose
//! eContent (type 2.23.136.1.1.1) is an ICAO-9303-shaped LDSSecurityObject listing hashes of
//! the chip's files (A1 = EF 1001, the NIS; A5 = EF 1005, the internal-auth key), signed by a
//! document signer certificate issued by the CSCA. Checked as the CIE middleware does
//! (`IAS::VerificaSOD`), plus the path to the CSCA, which the middleware leaves commented out.

use der::{Decode, Encode};
use serde::Serialize;
use time::OffsetDateTime;
use x509_cert::Certificate;

use super::error::CardError;
use crate::crypto::algorithms::{DigestAlgorithm, SignatureScheme};
use crate::crypto::digest::digest;
use crate::envelope::ber::{tags, Class, Tlv};
use crate::envelope::oids;
use crate::envelope::signed_data::{ContentInfo, SignedData, SignerId};
use crate::trust::anchors::TrustStore;
use crate::verify::chain::{validate, ChainStatus};
use crate::verify::signature_check::{over_signed_attributes, SignatureOutcome};

const LDS_SECURITY_OBJECT: &str = "2.23.136.1.1.1";

/// The parts of a SOD the checks need, borrowed from the file.
pub struct Sod<'a> {
    pub hash: DigestAlgorithm,
    /// (data group number, hash) as listed.
    pub groups: Vec<(u64, Vec<u8>)>,
    pub signed: SignedData<'a>,
    /// The LDSSecurityObject bytes (what messageDigest covers).
    pub econtent: Vec<u8>,
}

fn bad(what: impl Into<String>) -> CardError {
    CardError::malformed(format!("SOD: {}", what.into()))
}

/// Parses EF 1006 as read (padding after the object tolerated).
pub fn parse_sod(file: &[u8]) -> Result<Sod<'_>, CardError> {
    let (outer, _) = Tlv::parse_prefix(file).map_err(|e| bad(e.to_string()))?;
    // Tag 77 around the ContentInfo on the CIE; a bare ContentInfo is accepted too.
    let content_info = if outer.tag.class == Class::Application && outer.tag.number == 0x17 {
        Tlv::parse_prefix(outer.value)
            .map_err(|e| bad(e.to_string()))?
            .0
    } else {
        outer
    };
    let ci = ContentInfo::parse(content_info).map_err(|e| bad(e.to_string()))?;
    if ci.content_type != oids::ID_SIGNED_DATA {
        return Err(bad("not a SignedData"));
    }
    let signed = SignedData::parse(&ci.content).map_err(|e| bad(e.to_string()))?;
    if signed.econtent_type.to_string() != LDS_SECURITY_OBJECT {
        return Err(bad(format!(
            "eContentType {} is not an LDS security object",
            signed.econtent_type
        )));
    }
    let econtent = signed
        .econtent
        .as_ref()
        .ok_or_else(|| bad("no eContent"))?
        .string_bytes()
        .map_err(|e| bad(e.to_string()))?
        .into_owned();
    let (lds, _) = Tlv::parse_prefix(&econtent).map_err(|e| bad(e.to_string()))?;
    let mut fields = lds.children().map_err(|e| bad(e.to_string()))?;
    fields
        .expect_universal(tags::INTEGER, "version")
        .map_err(|e| bad(e.to_string()))?;
    let alg = fields
        .expect_universal(tags::SEQUENCE, "hashAlgorithm")
        .map_err(|e| bad(e.to_string()))?;
    let alg_oid = alg
        .children()
        .and_then(|mut c| c.next())
        .and_then(|t| t.oid())
        .map_err(|e| bad(e.to_string()))?;
    let hash = DigestAlgorithm::from_oid(&alg_oid)
        .ok_or_else(|| bad(format!("unknown hash algorithm {alg_oid}")))?;
    let list = fields
        .expect_universal(tags::SEQUENCE, "dataGroupHashValues")
        .map_err(|e| bad(e.to_string()))?;
    let mut groups = Vec::new();
    for entry in list.child_list().map_err(|e| bad(e.to_string()))? {
        let mut parts = entry.children().map_err(|e| bad(e.to_string()))?;
        let number = parts
            .expect_universal(tags::INTEGER, "dataGroupNumber")
            .and_then(|t| t.small_uint())
            .map_err(|e| bad(e.to_string()))?;
        let value = parts
            .expect_universal(tags::OCTET_STRING, "dataGroupHashValue")
            .map_err(|e| bad(e.to_string()))?;
        groups.push((number, value.value.to_vec()));
    }
    Ok(Sod {
        hash,
        groups,
        signed,
        econtent,
    })
}

/// One line of the SOD check.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct GroupCheck {
    /// 0xA1, 0xA5...
    pub group: u64,
    pub matches: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SodReport {
    pub hash_algorithm: String,
    pub groups: Vec<GroupCheck>,
    /// Groups the SOD lists that this check did not read (they need the PIN or are not used).
    pub groups_not_checked: Vec<u64>,
    pub signature_valid: bool,
    pub document_signer: Option<String>,
    /// None: no CSCA anchor configured, so the chain was not checked.
    pub chain_trusted: Option<bool>,
    /// English sentences for whatever failed.
    pub problems: Vec<String>,
}

impl SodReport {
    pub fn hashes_ok(&self) -> bool {
        !self.groups.is_empty() && self.groups.iter().all(|g| g.matches)
    }
}

/// Checks the SOD against the files read from the chip and the CSCA anchors.
pub fn check_sod(
    file: &[u8],
    read: &[(u64, &[u8])],
    csca: &TrustStore,
    now: OffsetDateTime,
) -> Result<SodReport, CardError> {
    let sod = parse_sod(file)?;
    let mut problems = Vec::new();
    let mut groups = Vec::new();
    for (number, data) in read {
        let expected = sod.groups.iter().find(|(n, _)| n == number).map(|(_, h)| h);
        let matches = expected.is_some_and(|h| *h == digest(sod.hash, data));
        if expected.is_none() {
            problems.push(format!("the SOD has no hash for file group {number:02X}"));
        } else if !matches {
            problems.push(format!(
                "file group {number:02X} does not match its hash in the SOD"
            ));
        }
        groups.push(GroupCheck {
            group: *number,
            matches,
        });
    }
    let groups_not_checked = sod
        .groups
        .iter()
        .map(|(n, _)| *n)
        .filter(|n| !read.iter().any(|(r, _)| r == n))
        .collect();

    let (signature_valid, signer, chain_trusted) = check_signature(&sod, csca, now, &mut problems);
    Ok(SodReport {
        hash_algorithm: sod.hash.name().to_string(),
        groups,
        groups_not_checked,
        signature_valid,
        document_signer: signer,
        chain_trusted,
        problems,
    })
}

fn check_signature(
    sod: &Sod<'_>,
    csca: &TrustStore,
    now: OffsetDateTime,
    problems: &mut Vec<String>,
) -> (bool, Option<String>, Option<bool>) {
    let Some(si) = sod.signed.signer_infos.first() else {
        problems.push("the SOD has no signer".into());
        return (false, None, None);
    };
    let certs: Vec<(Certificate, Vec<u8>)> = sod
        .signed
        .certificates
        .iter()
        .filter_map(|der| Certificate::from_der(der).ok().map(|c| (c, der.to_vec())))
        .collect();
    let signer = certs.iter().find(|(c, _)| match &si.sid {
        SignerId::IssuerAndSerial { issuer, serial } => {
            c.tbs_certificate().issuer().to_der().ok().as_deref() == Some(*issuer)
                && c.tbs_certificate().serial_number().as_bytes() == *serial
        }
        SignerId::SubjectKeyIdentifier(_) => true,
    });
    let Some((cert, cert_der)) = signer else {
        problems.push("the SOD does not carry its document signer certificate".into());
        return (false, None, None);
    };
    let subject = crate::identity::signer_identity(cert, cert_der).subject;
    let Some(hash) = DigestAlgorithm::from_oid(&si.digest_algorithm.oid) else {
        problems.push("the SOD signer uses an unknown digest algorithm".into());
        return (false, Some(subject), None);
    };
    let valid = match &si.signed_attrs {
        None => {
            problems.push("the SOD signature has no signed attributes".into());
            false
        }
        Some(attrs) => {
            let content_type_ok = attrs.all(&oids::ATTR_CONTENT_TYPE).any(|a| {
                a.values
                    .first()
                    .and_then(|v| v.oid().ok())
                    .is_some_and(|o| o.to_string() == LDS_SECURITY_OBJECT)
            });
            let digest_ok = attrs.all(&oids::ATTR_MESSAGE_DIGEST).any(|a| {
                a.values
                    .first()
                    .is_some_and(|v| v.value == digest(hash, &sod.econtent).as_slice())
            });
            if !content_type_ok {
                problems.push("the SOD's signed content type is not an LDS security object".into());
            }
            if !digest_ok {
                problems.push("the SOD's content does not match its signed digest".into());
            }
            let scheme = SignatureScheme::from_algorithm(
                &si.signature_algorithm.oid,
                si.signature_algorithm.params,
            );
            let spki = cert.tbs_certificate().subject_public_key_info().to_der();
            let signature_ok = match (scheme, spki) {
                (Ok(scheme), Ok(spki)) => {
                    let hash = scheme.implied_hash().unwrap_or(hash);
                    match over_signed_attributes(attrs, &spki, &scheme, hash, &si.signature) {
                        SignatureOutcome::Valid
                        | SignatureOutcome::ValidOverDer
                        | SignatureOutcome::ValidAfterResort => true,
                        SignatureOutcome::Invalid(r) | SignatureOutcome::CannotCheck(r) => {
                            problems.push(format!("the SOD signature: {r}"));
                            false
                        }
                    }
                }
                (Err(e), _) => {
                    problems.push(format!("the SOD signature: {e}"));
                    false
                }
                (_, Err(e)) => {
                    problems.push(format!("the document signer key: {e}"));
                    false
                }
            };
            content_type_ok && digest_ok && signature_ok
        }
    };
    let chain_trusted = if csca.is_empty() {
        None
    } else {
        let others: Vec<(Certificate, Vec<u8>)> = certs
            .iter()
            .filter(|(_, d)| d != cert_der)
            .cloned()
            .collect();
        let outcome = validate(cert, cert_der, &others, csca, now, now);
        if outcome.status != ChainStatus::Trusted {
            problems.push(format!("document signer: {}", outcome.message));
        }
        Some(outcome.status == ChainStatus::Trusted)
    };
    (valid, Some(subject), chain_trusted)
}
