//! Certification path building and validation (RFC 5280, the parts signature checking
//! needs): from the signer certificate through the envelope's certificates to an anchor,
//! checking signatures, name chaining, validity at the validation time, basicConstraints
//! and path length, keyUsage and unknown critical extensions.

use der::Encode;
use time::OffsetDateTime;
use x509_cert::Certificate;

use crate::envelope::ber::{tags, Tlv};
use crate::identity::validity;
use crate::trust::anchors::{ServiceFacts, TrustStore};

use super::algorithms::SignatureScheme;
use super::asn1_time::rfc3339;
use super::signature_math::verify_message;

/// Longest path tried; real Italian chains have two or three certificates.
const MAX_PATH: usize = 8;

/// Extensions this validator understands well enough to accept when critical.
const KNOWN_EXTENSIONS: [&str; 15] = [
    "2.5.29.9",
    "2.5.29.14",
    "2.5.29.15",
    "2.5.29.17",
    "2.5.29.18",
    "2.5.29.19",
    "2.5.29.31",
    "2.5.29.32",
    "2.5.29.35",
    "2.5.29.36",
    "2.5.29.37",
    "2.5.29.54",
    "1.3.6.1.5.5.7.1.1",
    "1.3.6.1.5.5.7.1.3",
    "2.5.29.46",
];
const BASIC_CONSTRAINTS: &str = "2.5.29.19";
const KEY_USAGE: &str = "2.5.29.15";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChainStatus {
    Trusted,
    /// No path to an anchor trusted at the validation time.
    NoChain,
    /// A path exists but breaks basicConstraints, keyUsage or a critical extension.
    ConstraintsFailure,
    /// A certificate of the path had expired at the validation time.
    Expired,
    /// A certificate of the path was not yet valid at the validation time.
    NotYetValid,
}

#[derive(Debug, Clone)]
pub struct ChainOutcome {
    pub status: ChainStatus,
    /// Subjects from the signer up to the anchor (when a path was found).
    pub path: Vec<String>,
    /// The same path as DER certificates, signer first, anchor last (revocation asks about
    /// each one but the anchor, with its issuer).
    pub certificates: Vec<Vec<u8>>,
    pub anchor_source: Option<String>,
    /// The Trusted List facts of the anchor reached, if it came from a list.
    pub anchor_service: Option<ServiceFacts>,
    /// English, for the report.
    pub message: String,
}

/// A certificate with the pieces path validation needs.
struct Node<'c> {
    cert: &'c Certificate,
    der: &'c [u8],
    anchor_source: Option<&'c str>,
    service: Option<&'c ServiceFacts>,
}

fn name_der(name: &x509_cert::name::Name) -> Vec<u8> {
    name.to_der().unwrap_or_default()
}

fn display(cert: &Certificate) -> String {
    crate::identity::signer_identity(cert, &[]).subject
}

/// Does `issuer`'s key verify `child`'s signature?
fn signed_by(child_der: &[u8], issuer: &Certificate) -> bool {
    let Ok((cert, _)) = Tlv::parse_prefix(child_der) else {
        return false;
    };
    let Ok(parts) = cert.child_list() else {
        return false;
    };
    let (Some(tbs), Some(alg), Some(sig)) = (parts.first(), parts.get(1), parts.get(2)) else {
        return false;
    };
    if !sig.tag.is_universal(tags::BIT_STRING) {
        return false;
    }
    let Some(sig_bytes) = sig.value.get(1..) else {
        return false;
    };
    let Ok(mut alg_fields) = alg.children() else {
        return false;
    };
    let Ok(oid) = alg_fields.next().and_then(|t| t.oid()) else {
        return false;
    };
    let params = alg_fields.next_opt().ok().flatten().map(|p| p.raw);
    let Ok(scheme) = SignatureScheme::from_algorithm(&oid, params) else {
        return false;
    };
    let Some(hash) = scheme.implied_hash() else {
        return false;
    };
    let Ok(spki) = issuer.tbs_certificate().subject_public_key_info().to_der() else {
        return false;
    };
    verify_message(&spki, &scheme, hash, tbs.raw, sig_bytes).is_ok()
}

fn extension<'c>(cert: &'c Certificate, oid: &str) -> Option<(bool, &'c [u8])> {
    cert.tbs_certificate()
        .extensions()
        .into_iter()
        .flatten()
        .find(|e| e.extn_id.to_string() == oid)
        .map(|e| (e.critical, e.extn_value.as_bytes()))
}

/// (is CA, path length limit) from basicConstraints.
fn basic_constraints(cert: &Certificate) -> (bool, Option<u64>) {
    let Some((_, value)) = extension(cert, BASIC_CONSTRAINTS) else {
        return (false, None);
    };
    let Ok((seq, _)) = Tlv::parse_prefix(value) else {
        return (false, None);
    };
    let fields = seq.child_list().unwrap_or_default();
    let ca = fields.first().is_some_and(|f| {
        f.tag.is_universal(tags::BOOLEAN) && f.value.first().is_some_and(|b| *b != 0)
    });
    let path_len = fields
        .iter()
        .find(|f| f.tag.is_universal(tags::INTEGER))
        .and_then(|f| f.small_uint().ok());
    (ca, path_len)
}

fn can_sign_certificates(cert: &Certificate) -> bool {
    match extension(cert, KEY_USAGE) {
        None => true,
        Some((_, value)) => Tlv::parse_prefix(value)
            .ok()
            .and_then(|(bits, _)| bits.value.get(1).copied())
            // keyCertSign is bit 5.
            .is_some_and(|first| first & 0x04 != 0),
    }
}

fn unknown_critical(cert: &Certificate) -> Option<String> {
    cert.tbs_certificate()
        .extensions()
        .into_iter()
        .flatten()
        .find(|e| e.critical && !KNOWN_EXTENSIONS.contains(&e.extn_id.to_string().as_str()))
        .map(|e| e.extn_id.to_string())
}

/// Depth-first search for issuers, anchors first. Returns the path signer → anchor.
fn find_path<'c>(
    path: &mut Vec<Node<'c>>,
    pool: &'c [(Certificate, Vec<u8>)],
    store: &'c TrustStore,
    anchor_time: OffsetDateTime,
) -> bool {
    let Some(current) = path.last() else {
        return false;
    };
    if current.anchor_source.is_some() {
        return true;
    }
    if path.len() >= MAX_PATH {
        return false;
    }
    let issuer_name = name_der(current.cert.tbs_certificate().issuer());
    let child_der = current.der;
    let anchors = store
        .anchors
        .iter()
        .filter(|a| a.trusted_at(anchor_time))
        .map(|a| Node {
            cert: &a.cert,
            der: &a.der,
            anchor_source: Some(a.source.as_str()),
            service: a.service.as_ref(),
        });
    let others = pool.iter().map(|(cert, der)| Node {
        cert,
        der,
        anchor_source: None,
        service: None,
    });
    for candidate in anchors.chain(others) {
        let already = path.iter().any(|n| n.der == candidate.der);
        if already || name_der(candidate.cert.tbs_certificate().subject()) != issuer_name {
            continue;
        }
        if !signed_by(child_der, candidate.cert) {
            continue;
        }
        path.push(candidate);
        if find_path(path, pool, store, anchor_time) {
            return true;
        }
        path.pop();
    }
    false
}

/// Builds and validates a path for `signer`: certificates must be valid at `at`; anchors
/// must have been granted at `anchor_time` (the signing time: a service withdrawn after a
/// signature was made still anchors it).
pub fn validate(
    signer: &Certificate,
    signer_der: &[u8],
    envelope_certs: &[(Certificate, Vec<u8>)],
    store: &TrustStore,
    at: OffsetDateTime,
    anchor_time: OffsetDateTime,
) -> ChainOutcome {
    // The signer itself may be an anchor (a certificate the office trusts directly).
    let direct = store
        .anchors
        .iter()
        .find(|a| a.der == signer_der && a.trusted_at(anchor_time));
    let mut path = vec![Node {
        cert: signer,
        der: signer_der,
        anchor_source: direct.map(|a| a.source.as_str()),
        service: direct.and_then(|a| a.service.as_ref()),
    }];
    if !find_path(&mut path, envelope_certs, store, anchor_time) {
        let untimely = store.anchors.iter().any(|a| {
            !a.trusted_at(anchor_time)
                && name_der(a.cert.tbs_certificate().subject())
                    == name_der(signer.tbs_certificate().issuer())
        });
        return ChainOutcome {
            status: ChainStatus::NoChain,
            path: Vec::new(),
            certificates: Vec::new(),
            anchor_source: None,
            anchor_service: None,
            message: if untimely {
                format!(
                    "the issuing CA is in the trust store but was not granted at {}",
                    rfc3339(anchor_time)
                )
            } else {
                "no path from the signer certificate to a trusted anchor".into()
            },
        };
    }
    let subjects: Vec<String> = path.iter().map(|n| display(n.cert)).collect();
    let certificates: Vec<Vec<u8>> = path.iter().map(|n| n.der.to_vec()).collect();
    let anchor_source = path
        .last()
        .and_then(|n| n.anchor_source.map(str::to_string));
    let anchor_service = path.last().and_then(|n| n.service.cloned());
    let outcome = |status, message: String| ChainOutcome {
        status,
        path: subjects.clone(),
        certificates: certificates.clone(),
        anchor_source: anchor_source.clone(),
        anchor_service: anchor_service.clone(),
        message,
    };

    for (depth, node) in path.iter().enumerate() {
        let (not_before, not_after) = validity(node.cert);
        let who = if depth == 0 {
            "the signer certificate".to_string()
        } else {
            format!("CA certificate {}", display(node.cert))
        };
        if at < not_before {
            return outcome(
                ChainStatus::NotYetValid,
                format!("{who} is valid only from {}", rfc3339(not_before)),
            );
        }
        if at > not_after {
            return outcome(
                ChainStatus::Expired,
                format!(
                    "{who} expired on {} and nothing proves the signature is older",
                    rfc3339(not_after)
                ),
            );
        }
        let is_anchor = node.anchor_source.is_some();
        if let Some(oid) = unknown_critical(node.cert).filter(|_| !is_anchor) {
            return outcome(
                ChainStatus::ConstraintsFailure,
                format!("{who} has an unknown critical extension {oid}"),
            );
        }
        if depth > 0 {
            let (ca, path_len) = basic_constraints(node.cert);
            if !ca && !is_anchor {
                return outcome(
                    ChainStatus::ConstraintsFailure,
                    format!("{who} is not marked as a CA (basicConstraints)"),
                );
            }
            // Intermediate CAs below this one (the signer does not count).
            let below = depth.saturating_sub(1) as u64;
            if path_len.is_some_and(|limit| below > limit) {
                return outcome(
                    ChainStatus::ConstraintsFailure,
                    format!("{who} allows a shorter path (pathLenConstraint)"),
                );
            }
            if !can_sign_certificates(node.cert) {
                return outcome(
                    ChainStatus::ConstraintsFailure,
                    format!("{who} may not sign certificates (keyUsage)"),
                );
            }
        }
    }
    let anchor = anchor_source.clone().unwrap_or_default();
    outcome(
        ChainStatus::Trusted,
        format!(
            "chains to the trusted anchor from {anchor}: {}",
            subjects.join(" → ")
        ),
    )
}
