//! The report's time-stamp and revocation checks of one signature, worded with the proven
//! time, and the validity of a path at that time.

use der::Decode;
use time::OffsetDateTime;
use x509_cert::Certificate;

use super::acceptance::Poe;
use super::asn1_time::rfc3339;
use super::report::{Check, CheckStatus, RevocationState, TokenReport};
use super::revocation_check::PathRevocation;

/// `checks.timestamp`: proven (and by what), or why the time is only declared.
pub fn timestamp_check(poe: Option<&Poe>, tokens: &[TokenReport]) -> Check {
    if let Some(p) = poe {
        return Check::passed(format!(
            "the signature existed on {}: proven by {}",
            rfc3339(p.time),
            p.by
        ));
    }
    let worst = tokens
        .iter()
        .find(|t| t.check.status == CheckStatus::Failed)
        .or_else(|| {
            tokens
                .iter()
                .find(|t| t.check.status != CheckStatus::Passed)
        });
    match worst {
        None if tokens.is_empty() => Check::not_checked(
            "no time-stamp covers this signature: its signing time is only declared",
        ),
        // Valid tokens that do not cover this signature's certificate period count nowhere.
        None => Check::warning("the time-stamps do not prove when this signature was made"),
        Some(t) => Check::new(
            t.check.status,
            format!(
                "the {} time-stamp proves nothing: {}",
                t.source, t.check.message
            ),
        ),
    }
}

/// `checks.revocation`, judged against the proven time.
pub fn revocation_check(
    found: &PathRevocation,
    poe: Option<&Poe>,
    validation_time: OffsetDateTime,
) -> Check {
    let message = found.report.message.clone();
    match found.state() {
        RevocationState::Good => Check::passed(message),
        RevocationState::Unknown => Check::indeterminate(message),
        RevocationState::Revoked => match (found.revoked_at, poe) {
            (Some(at), _) if at > validation_time => {
                Check::passed(format!("{message}, after the validation time"))
            }
            (Some(at), Some(p)) if p.time < at => Check::warning(format!(
                "{message}; the signature is proven to exist before, on {} ({})",
                rfc3339(p.time),
                p.by
            )),
            _ => Check::failed(message),
        },
    }
}

/// Every certificate of the path (DER) was valid at `t`.
pub fn path_valid_at(path: &[Vec<u8>], t: OffsetDateTime) -> bool {
    !path.is_empty()
        && path.iter().all(|der| {
            Certificate::from_der(der).is_ok_and(|c| {
                let (from, until) = crate::identity::validity(&c);
                from <= t && t <= until
            })
        })
}
