//! Desk sessions opened by card authentication: the officer must exist and be active, the
//! evidence of the authentication is stored and named by the session and its audit row.

use crate::codice_fiscale::CodiceFiscale;
use crate::store::{audit, documents, officers, Store};

use super::{RegistryError, SessionRef};

/// How long a desk session lasts before the card is asked for again.
pub const SESSION_MINUTES: i64 = 30;

/// What the card part proved: whose card answered the challenge, and the evidence as JSON.
pub struct CardLogin<'a> {
    pub codice_fiscale: &'a str,
    /// `true` only when the card's signature over the challenge verified and its certificate
    /// chains to a trusted anchor.
    pub passed: bool,
    pub reasons: &'a [String],
    /// The serialised evidence (the card part's `AuthEvidence`), stored content-addressed.
    pub evidence_json: &'a str,
}

/// Opens a session for the officer whose card authenticated. Audited, with the evidence.
pub fn open_with_card(
    store: &mut Store,
    login: &CardLogin<'_>,
) -> Result<SessionRef, RegistryError> {
    let cf = CodiceFiscale::parse(login.codice_fiscale)?;
    if !login.passed {
        return Err(RegistryError::AuthenticationFailed(
            login.reasons.join("; "),
        ));
    }
    let docs_dir = store.documents_dir.clone();
    store.change(|tx| {
        let officer = officers::by_cf(tx, cf.as_str())?
            .ok_or_else(|| RegistryError::UnknownOfficer(cf.to_string()))?;
        if !officer.active {
            return Err(RegistryError::OfficerInactive(cf.to_string()));
        }
        let evidence = documents::put(
            tx,
            &docs_dir,
            login.evidence_json.as_bytes(),
            "card-evidence",
            "card-authentication.json",
            None,
        )?;
        let session = officers::open_session(tx, officer.id, &evidence, SESSION_MINUTES)?;
        audit::append(
            tx,
            &audit::Entry {
                officer_id: Some(officer.id),
                session_id: Some(session),
                action: "session.open",
                entity: &format!("officer:{cf}"),
                summary: &format!("desk session opened with the card of {cf}"),
                evidence_sha256: Some(&evidence),
            },
        )?;
        Ok(SessionRef(session))
    })
}
