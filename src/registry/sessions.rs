//! Desk sessions: an officer's card authentication opens one, logout ends it.
//! The card part (challenge, signature, certificate path) is judged by `crate::card`; this
//! module only decides, from that judgement, whether an officer may work, and keeps the
//! evidence. A refused login is recorded too: who tried, with which card, and why.

use crate::codice_fiscale::CodiceFiscale;
use crate::store::audit::{self, Entry};
use crate::store::{documents, officers, Store};

use super::{require_session, RegistryError, SessionRef};

/// How long a desk session lasts unless the officer logs out first.
pub const DEFAULT_SESSION_MINUTES: i64 = 8 * 60;

/// The outcome of a card authentication, as the login needs it.
pub struct LoginRequest<'a> {
    /// The codice fiscale the card proved (from its verified certificate).
    pub codice_fiscale: &'a str,
    /// Whether the card authentication passed every check.
    pub passed: bool,
    /// Why it did not pass (English, for the log and the audit summary).
    pub reasons: &'a [String],
    /// The whole evidence record, stored as a `card-evidence` document.
    pub evidence_json: &'a [u8],
    pub minutes: i64,
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct OpenedSession {
    pub session_id: i64,
    pub officer: officers::Officer,
    pub expires_at: String,
    pub evidence_sha256: String,
}

/// Opens a session for the officer the card proved. Refused (and the attempt recorded in
/// the audit log with its evidence) when the authentication failed, the codice fiscale is
/// not an officer's, or the officer is inactive.
pub fn login(
    store: &mut Store,
    request: &LoginRequest<'_>,
) -> Result<OpenedSession, RegistryError> {
    let cf = CodiceFiscale::parse(request.codice_fiscale)?;
    if request.minutes <= 0 {
        return Err(RegistryError::BadSessionLength(request.minutes));
    }
    let docs_dir = store.documents_dir.clone();
    let refusal = store.change(|tx| {
        let evidence = documents::put(
            tx,
            &docs_dir,
            request.evidence_json,
            super::DocumentKind::CardEvidence.code(),
            "card-authentication.json",
            None,
        )?;
        let officer = officers::by_cf(tx, cf.as_str())?;
        let refusal = if !request.passed {
            Some(RegistryError::AuthenticationFailed(
                request.reasons.join("; "),
            ))
        } else {
            match &officer {
                None => Some(RegistryError::NotAnOfficer(cf.to_string())),
                Some(o) if !o.active => Some(RegistryError::OfficerInactive(cf.to_string())),
                Some(_) => None,
            }
        };
        match (refusal, officer) {
            (Some(refusal), officer) => {
                audit::append(
                    tx,
                    &Entry {
                        officer_id: officer.map(|o| o.id),
                        session_id: None,
                        action: "login.refused",
                        entity: &format!("officer:{cf}"),
                        summary: &format!("card login of {cf} refused: {refusal}"),
                        evidence_sha256: Some(&evidence),
                    },
                )?;
                Ok::<_, RegistryError>(Err(refusal))
            }
            (None, Some(officer)) => {
                let session_id =
                    officers::open_session(tx, officer.id, &evidence, request.minutes)?;
                let live =
                    officers::live_session(tx, session_id)?.ok_or(RegistryError::NoSession)?;
                audit::append(
                    tx,
                    &Entry {
                        officer_id: Some(officer.id),
                        session_id: Some(session_id),
                        action: "login",
                        entity: &format!("officer:{cf}"),
                        summary: &format!(
                            "{} ({cf}) logged in with a card until {}",
                            officer.name, live.expires_at
                        ),
                        evidence_sha256: Some(&evidence),
                    },
                )?;
                Ok(Ok(OpenedSession {
                    session_id,
                    officer,
                    expires_at: live.expires_at,
                    evidence_sha256: evidence,
                }))
            }
            (None, None) => Err(RegistryError::NotAnOfficer(cf.to_string())),
        }
    })?;
    refusal
}

/// Ends the session now. Audited; a session that is not live is refused.
pub fn logout(store: &mut Store, session: Option<SessionRef>) -> Result<(), RegistryError> {
    store.change(|tx| {
        let live = require_session(tx, session)?;
        officers::end_session(tx, live.id)?;
        audit::append(
            tx,
            &Entry {
                officer_id: Some(live.officer_id),
                session_id: Some(live.id),
                action: "logout",
                entity: &format!("session:{}", live.id),
                summary: "session ended by the officer",
                evidence_sha256: None,
            },
        )?;
        Ok(())
    })
}

/// The live session, if `session` still is one.
pub fn current(
    store: &mut Store,
    session: Option<SessionRef>,
) -> Result<Option<(officers::Session, officers::Officer)>, RegistryError> {
    let Some(session) = session else {
        return Ok(None);
    };
    store.read(|tx| {
        let Some(live) = officers::live_session(tx, session.0)? else {
            return Ok(None);
        };
        let officer = officers::by_id(tx, live.officer_id)?;
        Ok(officer.map(|o| (live, o)))
    })
}
