//! The seam between the judgement and revocation data.
//!
//! The engine asks a `RevocationSource` about each certificate of a validated path (the signer and
//! every intermediate up to, not including, the anchor). Where the data comes from (the envelope,
//! the store, an OCSP responder, a downloaded CRL) is the source's business; the engine only turns
//! the answer into checks and, with the proven time, into an ETSI indication.

use serde::Serialize;
use time::OffsetDateTime;

/// Where an answer came from; reported per signature as `revocation.source`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum RevocationOrigin {
    /// A CRL or OCSP response carried by the envelope (`crls`, CAdES revocation values).
    Embedded,
    /// A CRL kept in the data directory (imported, given with `--crl`, or cached from a download).
    Store,
    /// An OCSP responder asked online.
    Ocsp,
    /// A CRL downloaded from the certificate's distribution point.
    CrlDownload,
}

/// The data an answer rests on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RevocationEvidence {
    pub origin: RevocationOrigin,
    /// CRL `thisUpdate` or OCSP `thisUpdate` (when the data speaks for).
    pub this_update: OffsetDateTime,
    pub next_update: Option<OffsetDateTime>,
    /// The CRL issuer or OCSP responder subject, for the report.
    pub issuer: String,
    /// The URL fetched, when fetched.
    pub url: Option<String>,
}

/// What is known of one certificate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RevocationStatus {
    /// Not revoked according to current data.
    Good(RevocationEvidence),
    /// Revoked (or on hold) since `revoked_at`.
    Revoked {
        evidence: RevocationEvidence,
        revoked_at: OffsetDateTime,
        /// CRLReason as text (`keyCompromise`, `certificateHold`, …) when given.
        reason: Option<String>,
    },
    /// No usable data: none found, stale, badly signed, responder down, `unknown`. English, for logs
    /// and the report; several reasons may be joined with "; ".
    Unknown { reason: String },
}

/// The envelope's own revocation data, as raw DER, for the source to use first.
#[derive(Debug, Clone, Copy, Default)]
pub struct EmbeddedRevocation<'a> {
    pub crls: &'a [&'a [u8]],
    /// DER `OCSPResponse` or `BasicOCSPResponse` values.
    pub ocsp: &'a [&'a [u8]],
}

/// One question: the status of `cert_der` (issued by `issuer_der`) at `validation_time`.
#[derive(Debug, Clone, Copy)]
pub struct RevocationQuery<'a> {
    pub cert_der: &'a [u8],
    pub issuer_der: &'a [u8],
    pub validation_time: OffsetDateTime,
    pub embedded: EmbeddedRevocation<'a>,
}

/// Anything that can answer revocation questions. Must not panic; network sources keep their own
/// short timeouts so a verification never hangs.
pub trait RevocationSource: Sync {
    fn status(&self, query: &RevocationQuery<'_>) -> RevocationStatus;
}
