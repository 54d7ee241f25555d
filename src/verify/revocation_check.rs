//! Asking a `RevocationSource` about every certificate of a trusted path (the signer and each
//! intermediate, not the anchor) and folding the answers into one finding for the signature.

use der::Decode;
use time::OffsetDateTime;
use x509_cert::Certificate;

use super::asn1_time::rfc3339;
use super::embedded_revocation::EmbeddedData;
use super::report::{RevocationReport, RevocationState};
use super::revocation::{
    EmbeddedRevocation, RevocationEvidence, RevocationQuery, RevocationSource, RevocationStatus,
};

/// The path's answer: what the report shows, and when the revoked certificate was revoked.
#[derive(Debug, Clone)]
pub struct PathRevocation {
    pub report: RevocationReport,
    /// Set when a certificate of the path is revoked (the earliest such time).
    pub revoked_at: Option<OffsetDateTime>,
    /// The revoked certificate is the signer's own (not a CA's).
    pub signer_revoked: bool,
}

impl PathRevocation {
    pub fn state(&self) -> RevocationState {
        self.report.status
    }
}

fn subject_of(der: &[u8]) -> String {
    Certificate::from_der(der)
        .map(|c| crate::identity::signer_identity(&c, der).subject)
        .unwrap_or_else(|_| "an unreadable certificate".into())
}

fn with_evidence(
    status: RevocationState,
    evidence: Option<&RevocationEvidence>,
    subject: String,
    message: String,
) -> RevocationReport {
    RevocationReport {
        status,
        source: evidence.map(|e| e.origin),
        this_update: evidence.map(|e| rfc3339(e.this_update)),
        next_update: evidence.and_then(|e| e.next_update.map(rfc3339)),
        issuer: evidence.map(|e| e.issuer.clone()),
        url: evidence.and_then(|e| e.url.clone()),
        revoked_at: None,
        reason: None,
        subject,
        message,
    }
}

/// Asks `source` about `path` (DER, signer first, anchor last) at `validation_time`.
pub fn check_path(
    source: &dyn RevocationSource,
    path: &[Vec<u8>],
    embedded: &EmbeddedData<'_>,
    validation_time: OffsetDateTime,
) -> PathRevocation {
    let embedded = EmbeddedRevocation {
        crls: &embedded.crls,
        ocsp: &embedded.ocsp,
    };
    let mut first_good: Option<RevocationReport> = None;
    let mut unknown: Option<RevocationReport> = None;
    let mut revoked: Option<(RevocationReport, OffsetDateTime, bool)> = None;
    for (depth, pair) in path.windows(2).enumerate() {
        let (cert, issuer) = (&pair[0], &pair[1]);
        let query = RevocationQuery {
            cert_der: cert,
            issuer_der: issuer,
            validation_time,
            embedded,
        };
        let subject = subject_of(cert);
        match source.status(&query) {
            RevocationStatus::Good(evidence) => {
                if first_good.is_none() {
                    let message = format!(
                        "not revoked: {} data from {} issued {}",
                        origin_name(&evidence),
                        evidence.issuer,
                        rfc3339(evidence.this_update)
                    );
                    first_good = Some(with_evidence(
                        RevocationState::Good,
                        Some(&evidence),
                        subject,
                        message,
                    ));
                }
            }
            RevocationStatus::Revoked {
                evidence,
                revoked_at,
                reason,
            } => {
                let earlier = revoked.as_ref().is_none_or(|(_, at, _)| revoked_at < *at);
                if earlier {
                    let who = if depth == 0 {
                        "the signer certificate".to_string()
                    } else {
                        format!("CA certificate {subject}")
                    };
                    let message = format!(
                        "{who} was revoked on {}{} ({} data from {})",
                        rfc3339(revoked_at),
                        reason
                            .as_ref()
                            .map(|r| format!(", reason {r}"))
                            .unwrap_or_default(),
                        origin_name(&evidence),
                        evidence.issuer
                    );
                    let mut report =
                        with_evidence(RevocationState::Revoked, Some(&evidence), subject, message);
                    report.revoked_at = Some(rfc3339(revoked_at));
                    report.reason = reason;
                    revoked = Some((report, revoked_at, depth == 0));
                }
            }
            RevocationStatus::Unknown { reason } => {
                if unknown.is_none() {
                    let message = format!("revocation status of {subject} unknown: {reason}");
                    unknown = Some(with_evidence(
                        RevocationState::Unknown,
                        None,
                        subject,
                        message,
                    ));
                }
            }
        }
    }
    if let Some((report, at, signer)) = revoked {
        return PathRevocation {
            report,
            revoked_at: Some(at),
            signer_revoked: signer,
        };
    }
    let report = unknown.or(first_good).unwrap_or_else(|| {
        // A path of one: the signer certificate is itself an anchor the office trusts.
        with_evidence(
            RevocationState::Good,
            None,
            path.first().map(|d| subject_of(d)).unwrap_or_default(),
            "the signer certificate is itself a trust anchor: nothing to ask".into(),
        )
    });
    PathRevocation {
        report,
        revoked_at: None,
        signer_revoked: false,
    }
}

fn origin_name(evidence: &RevocationEvidence) -> &'static str {
    use super::revocation::RevocationOrigin::*;
    match evidence.origin {
        Embedded => "embedded",
        Store => "stored CRL",
        Ocsp => "OCSP",
        CrlDownload => "downloaded CRL",
    }
}
