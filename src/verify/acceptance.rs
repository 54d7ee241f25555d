//! The last step of ETSI EN 319 102-1 for one signature whose cryptography is sound: the
//! certificate path, its validity and revocation judged against the best signature time
//! (the earliest proof of existence), as DSS's past-signature validation does.

use time::OffsetDateTime;

use super::chain::ChainStatus;
use super::report::{Indication, RevocationState, SubIndication};

/// A proof that the signature existed at `time`, and what gives it (for messages).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Poe {
    pub time: OffsetDateTime,
    pub by: String,
}

/// The earliest of several proofs.
pub fn earliest(proofs: impl IntoIterator<Item = Option<Poe>>) -> Option<Poe> {
    proofs.into_iter().flatten().min_by_key(|p| p.time)
}

/// What the decision needs to know.
#[derive(Debug, Clone, Copy)]
pub struct Facts {
    /// `None` when no trust store was given.
    pub chain: Option<ChainStatus>,
    pub constraint_errors: bool,
    /// The crypto policy refused the algorithms at the best signature time.
    pub crypto_violation: bool,
    /// `None` when nobody was asked.
    pub revocation: Option<RevocationState>,
    /// When the revoked certificate was revoked.
    pub revoked_at: Option<OffsetDateTime>,
    /// The proven time, if any.
    pub poe: Option<OffsetDateTime>,
    pub validation_time: OffsetDateTime,
    /// Every certificate of the path was valid at the proven time.
    pub path_valid_at_poe: bool,
    /// The signer certificate's notBefore.
    pub signer_not_before: Option<OffsetDateTime>,
}

/// The indication for a signature whose format, digest and signature value passed.
pub fn decide(f: &Facts) -> (Indication, Option<SubIndication>) {
    use Indication::{Indeterminate, TotalFailed, TotalPassed};
    let path = match f.chain {
        None | Some(ChainStatus::NoChain) => {
            return (Indeterminate, Some(SubIndication::NoCertificateChainFound))
        }
        Some(ChainStatus::ConstraintsFailure) => {
            return (Indeterminate, Some(SubIndication::ChainConstraintsFailure))
        }
        Some(ChainStatus::NotYetValid) => return (TotalFailed, Some(SubIndication::NotYetValid)),
        Some(status) => status,
    };
    if let (Some(poe), Some(not_before)) = (f.poe, f.signer_not_before) {
        if poe < not_before {
            // Proof that the signature existed before its certificate did.
            return (TotalFailed, Some(SubIndication::NotYetValid));
        }
    }
    // Certificate validation (EN 319 102-1 X.509 block) comes before signature acceptance:
    // revocation first, then expiry, each against the proven time.
    // A revocation after the validation time (an asserted "verifica alla data") did not
    // exist then.
    let revoked_at = f.revoked_at.filter(|at| *at <= f.validation_time);
    if let Some(revoked_at) = revoked_at {
        match f.poe {
            Some(poe) if poe < revoked_at => {}
            Some(_) => return (TotalFailed, Some(SubIndication::Revoked)),
            None => return (Indeterminate, Some(SubIndication::RevokedNoPoe)),
        }
    }
    let revocation = match (f.revocation, revoked_at) {
        (Some(RevocationState::Revoked), None) => Some(RevocationState::Good),
        (other, _) => other,
    };
    let proven_while_valid = f.poe.is_some() && f.path_valid_at_poe;
    if path == ChainStatus::Expired && !proven_while_valid {
        return if revocation == Some(RevocationState::Good) {
            (Indeterminate, Some(SubIndication::OutOfBoundsNotRevoked))
        } else {
            (Indeterminate, Some(SubIndication::OutOfBoundsNoPoe))
        };
    }
    if f.constraint_errors {
        return (Indeterminate, Some(SubIndication::SigConstraintsFailure));
    }
    if f.crypto_violation {
        return (
            Indeterminate,
            Some(SubIndication::CryptoConstraintsFailureNoPoe),
        );
    }
    if path == ChainStatus::Expired {
        // Proof that the signature existed while the certificates were valid, and no
        // revocation before it: EN 319 102-1 past-signature validation passes.
        return (TotalPassed, None);
    }
    match revocation {
        // Good, or revoked after the proven time.
        Some(RevocationState::Good) | Some(RevocationState::Revoked) => (TotalPassed, None),
        Some(RevocationState::Unknown) | None => (Indeterminate, Some(SubIndication::TryLater)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    fn base() -> Facts {
        Facts {
            chain: Some(ChainStatus::Trusted),
            constraint_errors: false,
            crypto_violation: false,
            revocation: Some(RevocationState::Good),
            revoked_at: None,
            poe: None,
            validation_time: datetime!(2026-12-01 00:00 UTC),
            path_valid_at_poe: false,
            signer_not_before: Some(datetime!(2020-01-01 00:00 UTC)),
        }
    }

    fn revoked(at: OffsetDateTime, poe: Option<OffsetDateTime>) -> Facts {
        Facts {
            revocation: Some(RevocationState::Revoked),
            revoked_at: Some(at),
            poe,
            path_valid_at_poe: poe.is_some(),
            ..base()
        }
    }

    #[test]
    fn revocation_against_the_proven_time() {
        let r = datetime!(2025-06-01 00:00 UTC);
        assert_eq!(
            decide(&revoked(r, Some(datetime!(2025-01-01 00:00 UTC)))),
            (Indication::TotalPassed, None)
        );
        assert_eq!(
            decide(&revoked(r, Some(datetime!(2025-07-01 00:00 UTC)))),
            (Indication::TotalFailed, Some(SubIndication::Revoked))
        );
        assert_eq!(
            decide(&revoked(r, None)),
            (Indication::Indeterminate, Some(SubIndication::RevokedNoPoe))
        );
        // Revoked after an asserted validation time: it was not revoked then.
        let asserted = Facts {
            validation_time: datetime!(2025-05-01 00:00 UTC),
            ..revoked(r, None)
        };
        assert_eq!(decide(&asserted), (Indication::TotalPassed, None));
    }

    #[test]
    fn expiry_against_the_proven_time() {
        let expired = Facts {
            chain: Some(ChainStatus::Expired),
            revocation: Some(RevocationState::Unknown),
            ..base()
        };
        assert_eq!(decide(&expired).1, Some(SubIndication::OutOfBoundsNoPoe));
        let not_revoked = Facts {
            revocation: Some(RevocationState::Good),
            ..expired
        };
        assert_eq!(
            decide(&not_revoked).1,
            Some(SubIndication::OutOfBoundsNotRevoked)
        );
        let proven = Facts {
            poe: Some(datetime!(2021-01-01 00:00 UTC)),
            path_valid_at_poe: true,
            ..expired
        };
        assert_eq!(decide(&proven), (Indication::TotalPassed, None));
        let proven_too_late = Facts {
            path_valid_at_poe: false,
            ..proven
        };
        assert_eq!(
            decide(&proven_too_late).1,
            Some(SubIndication::OutOfBoundsNoPoe)
        );
        let before_issue = Facts {
            poe: Some(datetime!(2019-01-01 00:00 UTC)),
            ..proven
        };
        assert_eq!(
            decide(&before_issue),
            (Indication::TotalFailed, Some(SubIndication::NotYetValid))
        );
    }

    #[test]
    fn unknown_revocation_waits() {
        let unknown = Facts {
            revocation: Some(RevocationState::Unknown),
            poe: Some(datetime!(2021-01-01 00:00 UTC)),
            ..base()
        };
        assert_eq!(decide(&unknown).1, Some(SubIndication::TryLater));
        let unasked = Facts {
            revocation: None,
            ..base()
        };
        assert_eq!(decide(&unasked).1, Some(SubIndication::TryLater));
    }
}
