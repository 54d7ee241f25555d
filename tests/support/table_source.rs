//! A `RevocationSource` that answers from a table, for engine-level tests: the engine is
//! pure and the source is its parameter. The real sources (CRL, OCSP) have their own tests.

use std::collections::HashMap;
use std::sync::Mutex;

use sportello::verify::revocation::{
    RevocationEvidence, RevocationOrigin, RevocationQuery, RevocationSource, RevocationStatus,
};
use time::OffsetDateTime;

/// Answers by certificate (DER); records every question; unknown for the rest.
#[derive(Default)]
pub struct TableSource {
    pub answers: HashMap<Vec<u8>, RevocationStatus>,
    pub asked: Mutex<Vec<(Vec<u8>, Vec<u8>)>>,
}

impl RevocationSource for TableSource {
    fn status(&self, query: &RevocationQuery<'_>) -> RevocationStatus {
        if let Ok(mut asked) = self.asked.lock() {
            asked.push((query.cert_der.to_vec(), query.issuer_der.to_vec()));
        }
        self.answers
            .get(query.cert_der)
            .cloned()
            .unwrap_or(RevocationStatus::Unknown {
                reason: "no CRL for this issuer".into(),
            })
    }
}

pub fn evidence() -> RevocationEvidence {
    RevocationEvidence {
        origin: RevocationOrigin::Store,
        this_update: time::macros::datetime!(2026-01-01 00:00 UTC),
        next_update: Some(time::macros::datetime!(2099-01-01 00:00 UTC)),
        issuer: "Test CA".into(),
        url: None,
    }
}

pub fn good() -> RevocationStatus {
    RevocationStatus::Good(evidence())
}

pub fn revoked(at: OffsetDateTime) -> RevocationStatus {
    RevocationStatus::Revoked {
        evidence: evidence(),
        revoked_at: at,
        reason: Some("keyCompromise".into()),
    }
}
