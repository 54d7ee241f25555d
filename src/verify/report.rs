//! The verification report (`sportello.verify/1`, documented in docs/verify-report.md).
//! One set of structs for JSON output, the human output and the screens.

use serde::{Deserialize, Serialize};

use crate::identity::SignerIdentity;

use super::revocation::RevocationOrigin;

pub const SCHEMA: &str = "sportello.verify/1";

/// ETSI EN 319 102-1 main indication.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Indication {
    TotalPassed,
    Indeterminate,
    TotalFailed,
}

impl Indication {
    /// Higher is worse: a file is as good as its worst signature.
    pub fn severity(self) -> u8 {
        match self {
            Indication::TotalPassed => 0,
            Indication::Indeterminate => 1,
            Indication::TotalFailed => 2,
        }
    }
}

/// ETSI EN 319 102-1 sub-indications used by this verifier.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum SubIndication {
    FormatFailure,
    HashFailure,
    SigCryptoFailure,
    Revoked,
    Expired,
    NotYetValid,
    NoSigningCertificateFound,
    NoCertificateChainFound,
    OutOfBoundsNoPoe,
    OutOfBoundsNotRevoked,
    RevokedNoPoe,
    CryptoConstraintsFailure,
    CryptoConstraintsFailureNoPoe,
    SigConstraintsFailure,
    ChainConstraintsFailure,
    SignedDataNotFound,
    TryLater,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CheckStatus {
    Passed,
    Failed,
    Warning,
    NotChecked,
    Indeterminate,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Check {
    pub status: CheckStatus,
    /// English, for JSON and logs; the screens say `key` in the officer's language.
    pub message: String,
    /// What the check found, as a value (absent: only `message` says it).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub key: Option<super::CheckMessage>,
}

impl Check {
    pub fn new(status: CheckStatus, message: impl Into<String>) -> Self {
        Check {
            status,
            message: message.into(),
            key: None,
        }
    }
    /// The same check, with its finding as a value for the screens.
    pub fn saying(mut self, key: super::CheckMessage) -> Self {
        self.key = Some(key);
        self
    }
    pub fn passed(message: impl Into<String>) -> Self {
        Check::new(CheckStatus::Passed, message)
    }
    pub fn failed(message: impl Into<String>) -> Self {
        Check::new(CheckStatus::Failed, message)
    }
    pub fn warning(message: impl Into<String>) -> Self {
        Check::new(CheckStatus::Warning, message)
    }
    pub fn not_checked(message: impl Into<String>) -> Self {
        Check::new(CheckStatus::NotChecked, message)
    }
    pub fn indeterminate(message: impl Into<String>) -> Self {
        Check::new(CheckStatus::Indeterminate, message)
    }
}

/// The fixed set of checks every signature reports, in the order they are judged.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Checks {
    pub format: Check,
    pub digest: Check,
    pub signature: Check,
    pub signed_attributes: Check,
    pub chain: Check,
    pub validity: Check,
    pub revocation: Check,
    pub timestamp: Check,
    pub crypto_policy: Check,
    pub qualified: Check,
}

#[derive(Debug, Clone, Serialize)]
pub struct SignatureReport {
    pub id: String,
    pub level: usize,
    pub parent: Option<String>,
    pub signer: Option<SignerIdentity>,
    pub signing_time: Option<String>,
    pub digest_algorithm: String,
    pub signature_algorithm: String,
    pub indication: Indication,
    pub sub_indication: Option<SubIndication>,
    pub checks: Checks,
    /// The earliest time a valid time-stamp proves the signature existed (RFC 3339); null
    /// without such proof.
    pub best_signature_time: Option<String>,
    /// The time-stamp tokens covering this signature.
    pub timestamps: Vec<TokenReport>,
    /// The revocation answer for the signer's path; `None` when nobody was asked (no trusted
    /// path, or no revocation source).
    pub revocation: Option<RevocationReport>,
}

/// `good`, `revoked` or `unknown`, for the report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RevocationState {
    Good,
    Revoked,
    Unknown,
}

/// What revocation data said about a signature's certificates: the worst answer of the path
/// (a revoked certificate, else an unknown one, else the signer's good answer).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RevocationReport {
    pub status: RevocationState,
    /// `embedded`, `store`, `ocsp`, `crl-download`; null when no data was found.
    pub source: Option<RevocationOrigin>,
    pub this_update: Option<String>,
    pub next_update: Option<String>,
    /// The CRL issuer or OCSP responder.
    pub issuer: Option<String>,
    pub url: Option<String>,
    pub revoked_at: Option<String>,
    pub reason: Option<String>,
    /// The certificate the answer is about.
    pub subject: String,
    /// English, one line.
    pub message: String,
}

impl SignatureReport {
    /// The Italian desk's first verdict: document unchanged and signature math right.
    pub fn firma_integra(&self) -> bool {
        let good = |c: &Check| matches!(c.status, CheckStatus::Passed | CheckStatus::Warning);
        good(&self.checks.digest) && good(&self.checks.signature)
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct ContentReport {
    pub sha256: String,
    pub size: u64,
    pub media_type: String,
    /// File name for the extracted document: the file's name without its envelope suffixes.
    pub suggested_name: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct LevelReport {
    pub level: usize,
    pub kind: String,
    pub encoding: String,
    pub content_type: String,
    pub signer_count: usize,
    pub detached: bool,
}

/// One RFC 3161 time-stamp token and its judgement.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TokenReport {
    /// `signature-time-stamp`, `tsd`, `m7m` or `tsr`.
    pub source: String,
    pub gen_time: Option<String>,
    pub imprint_algorithm: Option<String>,
    /// The TSA certificate's subject.
    pub tsa: Option<String>,
    /// The TSA chains to a time-stamping service of a trusted list.
    pub qualified: bool,
    /// `status` and `message`: passed only when the token proves its genTime.
    #[serde(flatten)]
    pub check: Check,
}

#[derive(Debug, Clone, Serialize)]
pub struct Report {
    pub schema: &'static str,
    pub file: String,
    pub sha256: String,
    pub size: u64,
    pub encodings: Vec<String>,
    pub warnings: Vec<String>,
    pub validation_time: String,
    pub validation_time_asserted: bool,
    pub indication: Indication,
    pub sub_indication: Option<SubIndication>,
    pub reason: Option<String>,
    pub content: Option<ContentReport>,
    pub levels: Vec<LevelReport>,
    pub timestamp_tokens: Vec<TokenReport>,
    pub signatures: Vec<SignatureReport>,
}

impl Report {
    /// Sets the overall verdict to the worst signature's (the first such, outside in).
    pub fn settle_overall(&mut self) {
        let worst = self
            .signatures
            .iter()
            .fold(None::<&SignatureReport>, |acc, s| match acc {
                Some(a) if a.indication.severity() >= s.indication.severity() => Some(a),
                _ => Some(s),
            });
        match worst {
            Some(sig) => {
                self.indication = sig.indication;
                self.sub_indication = sig.sub_indication;
            }
            None => {
                self.indication = Indication::TotalFailed;
                self.sub_indication = Some(SubIndication::FormatFailure);
                if self.reason.is_none() {
                    self.reason = Some("the envelope holds no readable signature".into());
                }
            }
        }
    }
}
