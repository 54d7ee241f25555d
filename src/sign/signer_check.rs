//! Whether a certificate may sign at the desk, decided before the PIN is asked (so a refusal
//! costs no try), and whether what was signed passes the product's own verifier before it
//! is written.
//!
//! Policy: an expired, not yet valid or untrusted signer certificate is refused, not allowed
//! with a confirmation. Such a signature is worth nothing to the office (CAD art. 24 c.4-bis:
//! a signature with an expired certificate counts as no signature; an unknown CA gives
//! INDETERMINATE at verification, which the nomination rules cannot approve without doubt),
//! and the person at the counter is better served by being told before typing the PIN.

use der::Decode;
use time::OffsetDateTime;
use x509_cert::Certificate;

use crate::identity::{signer_identity, validity, SignerIdentity};
use crate::trust::anchors::TrustStore;
use crate::verify::chain::{validate, ChainStatus};
use crate::verify::{verify_bytes, CheckStatus, Report, SignatureReport, VerifyOptions};

use super::SignError;

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(tag = "problem", rename_all = "snake_case")]
pub enum SignerProblem {
    Expired { not_after: String },
    NotYetValid { not_before: String },
    Untrusted { reason: String },
}

impl std::fmt::Display for SignerProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            SignerProblem::Expired { not_after } => {
                write!(f, "the certificate expired on {not_after}")
            }
            SignerProblem::NotYetValid { not_before } => {
                write!(f, "the certificate is valid only from {not_before}")
            }
            SignerProblem::Untrusted { reason } => {
                write!(f, "the certificate is not trusted: {reason}")
            }
        }
    }
}

/// Who would sign, as shown before the PIN is asked.
#[derive(Debug, Clone, serde::Serialize)]
pub struct SignerCheck {
    pub identity: SignerIdentity,
    /// The certificate declares itself qualified (QcCompliance) for a secure device (QcSSCD).
    pub declared_qualified: bool,
    pub problems: Vec<SignerProblem>,
}

impl SignerCheck {
    pub fn acceptable(&self) -> bool {
        self.problems.is_empty()
    }

    /// The holder's name as people read it.
    pub fn holder(&self) -> String {
        let id = &self.identity;
        match (&id.given_name, &id.surname) {
            (Some(g), Some(s)) => format!("{g} {s}"),
            _ => id.common_name.clone().unwrap_or_else(|| id.subject.clone()),
        }
    }

    pub fn into_result(self) -> Result<SignerCheck, SignError> {
        match self.problems.first() {
            None => Ok(self),
            Some(p) => Err(SignError::SignerRefused(p.to_string())),
        }
    }
}

/// Checks `cert_der` at `now` against `anchors`.
pub fn check_signer(
    cert_der: &[u8],
    anchors: &TrustStore,
    now: OffsetDateTime,
) -> Result<SignerCheck, SignError> {
    let cert = Certificate::from_der(cert_der)
        .map_err(|e| SignError::Certificate(format!("the signer certificate: {e}")))?;
    let identity = signer_identity(&cert, cert_der);
    let (not_before, not_after) = validity(&cert);
    let mut problems = Vec::new();
    if now > not_after {
        problems.push(SignerProblem::Expired {
            not_after: identity.not_after.clone(),
        });
    } else if now < not_before {
        problems.push(SignerProblem::NotYetValid {
            not_before: identity.not_before.clone(),
        });
    }
    let chain = validate(&cert, cert_der, &[], anchors, now, now);
    match chain.status {
        ChainStatus::Trusted => {}
        // Validity was reported above, in plainer words.
        ChainStatus::Expired | ChainStatus::NotYetValid if !problems.is_empty() => {}
        _ => problems.push(SignerProblem::Untrusted {
            reason: if anchors.is_empty() {
                "no trust anchors are configured".into()
            } else {
                chain.message.clone()
            },
        }),
    }
    let qc = &identity.qc_statements;
    Ok(SignerCheck {
        declared_qualified: qc.qc_compliance && qc.qc_sscd,
        identity,
        problems,
    })
}

/// Verifies `envelope` as the desk would and returns the report when the signature
/// `signature_id` is whole: structure, digest, signature value, signed attributes, chain and
/// validity. Revocation is not asked (the desk is offline), so the verdict itself is
/// INDETERMINATE (TRY_LATER) at best; that is not a reason to refuse.
pub fn accept_signed(
    file_name: &str,
    envelope: &[u8],
    signature_id: &str,
    anchors: &TrustStore,
    now: OffsetDateTime,
) -> Result<(Report, SignatureReport), SignError> {
    let mut opts = VerifyOptions::now();
    opts.validation_time = now;
    opts.trust = Some(anchors);
    let report = verify_bytes(file_name, envelope, &opts);
    let ours = report
        .signatures
        .iter()
        .find(|s| s.id == signature_id)
        .cloned()
        .ok_or_else(|| {
            SignError::NotAccepted(format!(
                "the verifier does not find signature {signature_id} in the result"
            ))
        })?;
    let c = &ours.checks;
    let required = [
        ("structure", &c.format),
        ("digest", &c.digest),
        ("signature value", &c.signature),
        ("signed attributes", &c.signed_attributes),
        ("certificate chain", &c.chain),
        ("certificate validity", &c.validity),
    ];
    let failures: Vec<String> = required
        .iter()
        .filter(|(_, check)| check.status != CheckStatus::Passed)
        .map(|(name, check)| format!("{name}: {}", check.message))
        .collect();
    if !failures.is_empty() {
        return Err(SignError::NotAccepted(failures.join("; ")));
    }
    Ok((report, ours))
}
