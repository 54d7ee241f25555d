//! Judging the signed attributes of one SignerInfo: content-type, message-digest,
//! signing-time and the signing-certificate reference (v1 or v2).

use const_oid::ObjectIdentifier;
use time::OffsetDateTime;

use crate::envelope::ber::{tags, Tlv};
use crate::envelope::oids;
use crate::envelope::signed_data::SignedAttributes;

use super::algorithms::DigestAlgorithm;
use super::asn1_time::parse_time;
use super::digest::digest;
use super::signer_cert::EnvelopeCert;

/// What the signing-certificate attribute says about the signer certificate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CertReference {
    /// No signing-certificate attribute: a plain CMS signature, not CAdES.
    Absent,
    Matches {
        version: u8,
        warning: Option<String>,
    },
    Mismatch(String),
    /// The attribute is there but the certificate it would be compared with is not.
    Unchecked,
}

#[derive(Debug, Clone, Default)]
pub struct AttributeFindings {
    /// Violations of CMS syntax (duplicated single-instance attributes): FORMAT_FAILURE.
    pub format_errors: Vec<String>,
    /// Mandatory attributes missing or wrong: SIG_CONSTRAINTS_FAILURE.
    pub constraint_errors: Vec<String>,
    pub warnings: Vec<String>,
    pub message_digest: Option<Vec<u8>>,
    pub signing_time: Option<OffsetDateTime>,
    pub cert_reference: Option<CertReference>,
}

/// Which SignerInfo the attributes belong to: content-type is required on a signature of
/// content and forbidden on a countersignature (RFC 5652 §11.1).
#[derive(Debug, Clone, Copy)]
pub enum Signed<'o> {
    Content { econtent_type: &'o ObjectIdentifier },
    Countersignature,
}

fn single<'a>(
    attrs: &'a SignedAttributes<'_>,
    oid: &ObjectIdentifier,
    findings: &mut AttributeFindings,
) -> Option<&'a Tlv<'a>> {
    let all: Vec<_> = attrs.all(oid).collect();
    if all.len() > 1 {
        findings.format_errors.push(format!(
            "the {} attribute appears {} times; it must appear once",
            oids::attribute_name(oid),
            all.len()
        ));
    }
    let first = all.first()?;
    if first.values.len() != 1 {
        findings.format_errors.push(format!(
            "the {} attribute has {} values; it must have one",
            oids::attribute_name(oid),
            first.values.len()
        ));
    }
    first.values.first()
}

pub fn examine(
    attrs: &SignedAttributes<'_>,
    signed: Signed<'_>,
    signer: Option<&EnvelopeCert<'_>>,
) -> AttributeFindings {
    let mut findings = AttributeFindings::default();

    let content_type = single(attrs, &oids::ATTR_CONTENT_TYPE, &mut findings).map(|v| v.oid());
    match (signed, content_type) {
        (Signed::Content { econtent_type }, Some(Ok(declared))) if declared != *econtent_type => {
            findings.constraint_errors.push(format!(
                "content-type attribute {declared} differs from the envelope's content type {econtent_type}"
            ))
        }
        (Signed::Content { .. }, Some(Err(_))) => findings
            .format_errors
            .push("the content-type attribute is not an object identifier".into()),
        (Signed::Content { .. }, None) => findings
            .constraint_errors
            .push("the content-type attribute is missing".into()),
        (Signed::Countersignature, Some(_)) => findings
            .warnings
            .push("a countersignature should not carry a content-type attribute".into()),
        _ => {}
    }

    match single(attrs, &oids::ATTR_MESSAGE_DIGEST, &mut findings) {
        Some(value) if value.tag.is_universal(tags::OCTET_STRING) => {
            findings.message_digest = value.string_bytes().ok().map(|b| b.into_owned());
        }
        Some(_) => findings
            .format_errors
            .push("the message-digest attribute is not an OCTET STRING".into()),
        None => findings
            .format_errors
            .push("the message-digest attribute is missing".into()),
    }

    if let Some(value) = single(attrs, &oids::ATTR_SIGNING_TIME, &mut findings) {
        match parse_time(value) {
            Some(t) => findings.signing_time = Some(t),
            None => findings
                .warnings
                .push("the signing-time attribute cannot be read".into()),
        }
    }

    findings.cert_reference = Some(check_cert_reference(attrs, signer, &mut findings));
    findings
}

fn check_cert_reference(
    attrs: &SignedAttributes<'_>,
    signer: Option<&EnvelopeCert<'_>>,
    findings: &mut AttributeFindings,
) -> CertReference {
    let v2: Vec<_> = attrs.all(&oids::ATTR_SIGNING_CERTIFICATE_V2).collect();
    let v1: Vec<_> = attrs.all(&oids::ATTR_SIGNING_CERTIFICATE).collect();
    if v2.len() + v1.len() > 1 {
        // Seen in real files (dss "double signing certificate"): DSS reads the first and
        // calls the signature not ETSI-conformant. Say so, but judge by the first.
        findings.warnings.push(format!(
            "{} signing-certificate attributes are present; only one is allowed",
            v2.len() + v1.len()
        ));
    }
    let (version, value) = match (v2.first(), v1.first()) {
        (Some(a), _) => (2u8, a.values.first()),
        (None, Some(a)) => (1u8, a.values.first()),
        (None, None) => return CertReference::Absent,
    };
    let Some(value) = value else {
        return CertReference::Mismatch("the signing-certificate attribute is empty".into());
    };
    let Some(signer) = signer else {
        return CertReference::Unchecked;
    };
    match first_cert_hash(value, version) {
        Ok((alg, declared)) => {
            let actual = digest(alg, signer.der);
            if actual == declared {
                let warning = (version == 1 && alg != DigestAlgorithm::Sha1).then(|| {
                    format!(
                        "signing-certificate (v1) carries a {} hash; v1 is defined for SHA-1 only",
                        alg.name()
                    )
                });
                CertReference::Matches { version, warning }
            } else {
                CertReference::Mismatch(format!(
                    "the signing-certificate-v{version} attribute names another certificate ({} hash differs)",
                    alg.name()
                ))
            }
        }
        Err(reason) => CertReference::Mismatch(reason),
    }
}

/// The hash algorithm and hash of the first ESSCertID(v2) in a SigningCertificate(V2).
fn first_cert_hash(value: &Tlv<'_>, version: u8) -> Result<(DigestAlgorithm, Vec<u8>), String> {
    let unreadable =
        |what: &str| format!("the signing-certificate attribute is unreadable ({what})");
    let mut outer = value.children().map_err(|_| unreadable("not a SEQUENCE"))?;
    let certs = outer
        .next()
        .map_err(|_| unreadable("no certificate list"))?;
    let first = certs
        .children()
        .and_then(|mut r| r.next())
        .map_err(|_| unreadable("empty certificate list"))?;
    let mut fields = first.children().map_err(|_| unreadable("bad ESSCertID"))?;
    let mut alg = if version == 2 {
        DigestAlgorithm::Sha256
    } else {
        DigestAlgorithm::Sha1
    };
    let mut next = fields.next().map_err(|_| unreadable("no hash"))?;
    if next.tag.is_universal(tags::SEQUENCE) {
        let oid = next
            .children()
            .and_then(|mut r| r.next())
            .and_then(|t| t.oid())
            .map_err(|_| unreadable("bad hash algorithm"))?;
        alg = DigestAlgorithm::from_oid(&oid).ok_or_else(|| {
            format!("the signing-certificate hash algorithm {oid} is not supported")
        })?;
        next = fields.next().map_err(|_| unreadable("no hash"))?;
    }
    let hash = next
        .string_bytes()
        .map_err(|_| unreadable("bad hash"))?
        .into_owned();
    if version == 1 && hash.len() != alg.output_len() {
        // A v1 attribute carrying a longer hash: take the algorithm its length implies.
        if let Some(by_len) = [
            DigestAlgorithm::Sha256,
            DigestAlgorithm::Sha384,
            DigestAlgorithm::Sha512,
        ]
        .into_iter()
        .find(|a| a.output_len() == hash.len())
        {
            alg = by_len;
        }
    }
    Ok((alg, hash))
}
