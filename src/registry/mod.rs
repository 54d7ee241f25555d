//! The desk workflow: companies, officers, nominations, grants. Every use case takes the
//! officer's live session, runs in one transaction and appends its audit row in it.
//! Knows nothing of screens, PC/SC or SQL text.

mod codes;
pub mod delegation_form;
pub mod grants;
pub mod kinds;
pub mod nominations;
pub mod people;
pub mod profiles;
pub mod sessions;
pub mod views;
pub mod vocabulary;

pub use kinds::CompanyKind;
pub use profiles::{Level, Profile};
pub use vocabulary::{AuditAction, DocumentKind, GrantState, NominationState, RepresentativeRole};

use crate::codice_fiscale::{CfError, CodiceFiscale};
use crate::store::audit::{self, Entry};
use crate::store::{companies, officers, Store, StoreError};

#[derive(Debug, thiserror::Error)]
pub enum RegistryError {
    #[error("invalid codice fiscale: {0}")]
    InvalidCf(#[from] CfError),
    #[error("a company with codice fiscale {0} is already registered")]
    DuplicateCompany(String),
    #[error("an officer with codice fiscale {0} already exists")]
    DuplicateOfficer(String),
    #[error("unknown company kind {0}")]
    UnknownKind(String),
    #[error("at least one company kind is needed")]
    NoKind,
    #[error("kind {0} is a soggetto abilitato: its register (albo) details are needed")]
    RegisterDetailsNeeded(String),
    #[error("the name is empty")]
    EmptyName,
    #[error("this change needs an officer's live session (card login)")]
    NoSession,
    #[error("{0} is not a personal codice fiscale")]
    NotAPersonalCode(String),
    #[error("a person with codice fiscale {0} is already registered")]
    DuplicatePerson(String),
    #[error("no company with codice fiscale {0}")]
    UnknownCompany(String),
    #[error("no person with codice fiscale {0}")]
    UnknownPerson(String),
    #[error("{0}: accepted formats are .p7m, .pdf, .jpg, .png")]
    UnacceptedFormat(String),
    #[error("identity document {0} had expired on the request date")]
    IdDocumentExpired(String),
    #[error("no nomination {0}")]
    UnknownNomination(i64),
    #[error("nomination {0} is not pending (it is {1})")]
    NotPending(i64, String),
    #[error("the delegation form's signature is not valid ({0})")]
    FormInvalid(String),
    #[error("the form is signed by {0}, who is not a legal representative or procuratore of the company")]
    SignerNotRepresentative(String),
    #[error("the form's verdict is INDETERMINATE ({0}): the officer must confirm")]
    NeedsConfirmation(String),
    #[error("an unsigned form needs an identity document")]
    NoIdentityDocument,
    #[error("a rejection needs a reason")]
    ReasonNeeded,
    #[error("unknown profile {0}")]
    UnknownProfile(String),
    #[error("profile {0} cannot be granted at {1} level")]
    LevelNotAllowed(String, &'static str),
    #[error("profile {0} needs a company of kind {1}")]
    KindNotAllowed(String, String),
    #[error("{0} is not a registered citizen: only registered citizens can be collaborators")]
    NotACitizen(String),
    #[error("no unit named {0}")]
    UnknownUnit(String),
    #[error("a unit named {0} already exists")]
    DuplicateUnit(String),
    #[error("unknown policy value {0} (single or multiple)")]
    UnknownPolicy(String),
    #[error("no grant {0}")]
    UnknownGrant(i64),
    #[error("grant {0} is not active (it is {1})")]
    GrantNotActive(i64, String),
    #[error("card authentication failed: {0}")]
    AuthenticationFailed(String),
    #[error("{0} is not a desk officer")]
    NotAnOfficer(String),
    #[error("officer {0} is not active")]
    OfficerInactive(String),
    #[error("a session cannot last {0} minutes")]
    BadSessionLength(i64),
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("database error: {0}")]
    Sql(#[from] crate::store::DbError),
    #[error("the database holds an unknown {what} code «{code}»")]
    UnknownStoredCode { what: &'static str, code: String },
}

impl RegistryError {
    /// The sentence shown at the desk.
    pub fn italian(&self) -> String {
        match self {
            RegistryError::InvalidCf(e) => format!("Codice fiscale non valido. {}", e.italian()),
            RegistryError::DuplicateCompany(cf) => format!("L'azienda con codice fiscale {cf} è già registrata."),
            RegistryError::DuplicateOfficer(cf) => format!("L'operatore con codice fiscale {cf} esiste già."),
            RegistryError::UnknownKind(k) => format!("Tipologia azienda sconosciuta: «{k}»."),
            RegistryError::NoKind => "Indicare almeno una tipologia di azienda.".into(),
            RegistryError::RegisterDetailsNeeded(k) => {
                format!("La tipologia «{k}» è un soggetto abilitato: indicare gli estremi di iscrizione all'albo.")
            }
            RegistryError::EmptyName => "Il nome non può essere vuoto.".into(),
            RegistryError::NoSession => {
                "Operazione non consentita: serve una sessione aperta con la carta dell'operatore (sportello login).".into()
            }
            RegistryError::NotAPersonalCode(cf) => format!("{cf} non è il codice fiscale di una persona."),
            RegistryError::DuplicatePerson(cf) => format!("La persona con codice fiscale {cf} è già registrata."),
            RegistryError::UnknownCompany(cf) => format!("Nessuna azienda con codice fiscale {cf}."),
            RegistryError::UnknownPerson(cf) => format!("Nessuna persona con codice fiscale {cf}: registrarla prima."),
            RegistryError::UnacceptedFormat(n) => format!("{n}: formati accettati .p7m, .pdf, .jpg, .png."),
            RegistryError::IdDocumentExpired(n) => format!("Il documento di identità {n} era scaduto alla data della richiesta."),
            RegistryError::UnknownNomination(id) => format!("Nessuna richiesta numero {id}."),
            RegistryError::NotPending(id, state) => format!("La richiesta {id} non è in attesa (stato: {state})."),
            RegistryError::FormInvalid(sub) => format!(
                "Approvazione negata: la firma del modulo di delega non è valida ({sub})."
            ),
            RegistryError::SignerNotRepresentative(cfs) => format!(
                "Approvazione negata: il modulo è firmato da {cfs}, che non è legale rappresentante né procuratore dell'azienda."
            ),
            RegistryError::NeedsConfirmation(sub) => {
                let sub_indication = serde_json::from_value(serde_json::Value::String(sub.clone())).ok();
                let (why, what) = nominations::OpenQuestion::of(sub_indication).texts();
                let (why, what) = (why.it, what.it);
                format!(
                    "La verifica della firma è da completare ({sub}): {why}. Cosa fare: {what}. Per approvare comunque confermare esplicitamente (--confirm)."
                )
            }
            RegistryError::NoIdentityDocument => {
                "Un modulo non firmato digitalmente richiede un documento di identità.".into()
            }
            RegistryError::ReasonNeeded => "Serve una motivazione.".into(),
            RegistryError::UnknownProfile(p) => format!("Profilo sconosciuto: «{p}»."),
            RegistryError::LevelNotAllowed(p, level) => format!("Il profilo «{p}» non si assegna a livello di {level}."),
            RegistryError::KindNotAllowed(p, kinds) => format!(
                "Il profilo «{p}» richiede un'azienda di tipologia {kinds}."
            ),
            RegistryError::NotACitizen(cf) => format!(
                "{cf} non è un cittadino registrato: solo i cittadini registrati possono essere collaboratori."
            ),
            RegistryError::UnknownUnit(u) => format!("Nessuna unità organizzativa «{u}»."),
            RegistryError::DuplicateUnit(u) => format!("L'unità organizzativa «{u}» esiste già."),
            RegistryError::UnknownPolicy(v) => format!("Valore «{v}» non previsto: single oppure multiple."),
            RegistryError::UnknownGrant(id) => format!("Nessuna abilitazione numero {id}."),
            RegistryError::GrantNotActive(id, state) => format!("L'abilitazione {id} non è attiva (stato: {state})."),
            RegistryError::AuthenticationFailed(why) => format!(
                "Accesso negato: l'autenticazione con la carta non è riuscita ({why})."
            ),
            RegistryError::NotAnOfficer(cf) => format!(
                "Accesso negato: {cf} non è un operatore dello sportello."
            ),
            RegistryError::OfficerInactive(cf) => format!("Accesso negato: l'operatore {cf} è disattivato."),
            RegistryError::BadSessionLength(m) => format!("Una sessione non può durare {m} minuti."),
            RegistryError::UnknownStoredCode { code, .. } => {
                format!("L'archivio contiene un codice sconosciuto: «{code}».")
            }
            RegistryError::Store(_) | RegistryError::Sql(_) => format!("Errore dell'archivio: {self}"),
        }
    }
}

/// Appends the audit row of a change made in `live`'s session, in the change's transaction.
pub(crate) fn record(
    tx: &crate::store::Db<'_>,
    live: &officers::Session,
    action: &str,
    entity: &str,
    summary: &str,
    evidence_sha256: Option<&str>,
) -> Result<i64, crate::store::DbError> {
    audit::append(
        tx,
        &Entry {
            officer_id: Some(live.officer_id),
            session_id: Some(live.id),
            action,
            entity,
            summary,
            evidence_sha256,
        },
    )
}

/// The company's row id, or the refusal naming it.
pub(crate) fn company_id(
    tx: &crate::store::Db<'_>,
    cf: &CodiceFiscale,
) -> Result<i64, RegistryError> {
    companies::id_by_cf(tx, cf.as_str())?
        .ok_or_else(|| RegistryError::UnknownCompany(cf.to_string()))
}

/// The person's row id, or the refusal naming them.
pub(crate) fn person_id(
    tx: &crate::store::Db<'_>,
    cf: &CodiceFiscale,
) -> Result<i64, RegistryError> {
    crate::store::people::id_by_cf(tx, cf.as_str())?
        .ok_or_else(|| RegistryError::UnknownPerson(cf.to_string()))
}

/// A reason the officer must give (rejections, revocations, suspensions), trimmed.
pub(crate) fn required_reason(reason: &str) -> Result<&str, RegistryError> {
    let reason = reason.trim();
    if reason.is_empty() {
        Err(RegistryError::ReasonNeeded)
    } else {
        Ok(reason)
    }
}

/// An officer's live session, checked inside the transaction of each change.
#[derive(Debug, Clone, Copy)]
pub struct SessionRef(pub i64);

pub(crate) fn require_session(
    tx: &crate::store::Db<'_>,
    session: Option<SessionRef>,
) -> Result<officers::Session, RegistryError> {
    let id = session.ok_or(RegistryError::NoSession)?.0;
    officers::live_session(tx, id)?.ok_or(RegistryError::NoSession)
}

/// Adds an officer. On an empty database the first officer needs no session (someone must
/// exist before anyone can log in); afterwards a live session is required. Audited.
pub fn add_officer(
    store: &mut Store,
    session: Option<SessionRef>,
    cf: &str,
    name: &str,
) -> Result<i64, RegistryError> {
    let cf = CodiceFiscale::parse(cf)?;
    let name = name.trim();
    if name.is_empty() {
        return Err(RegistryError::EmptyName);
    }
    store.change(|tx| {
        let bootstrap = officers::count(tx)? == 0;
        let live = if bootstrap {
            None
        } else {
            Some(require_session(tx, session)?)
        };
        if officers::by_cf(tx, cf.as_str())?.is_some() {
            return Err(RegistryError::DuplicateOfficer(cf.to_string()));
        }
        let id = officers::insert(tx, cf.as_str(), name)?;
        let summary = format!(
            "officer {cf} ({name}) added{}",
            if bootstrap {
                " at bootstrap, without a session"
            } else {
                ""
            }
        );
        audit::append(
            tx,
            &Entry {
                officer_id: live.as_ref().map(|s| s.officer_id),
                session_id: live.as_ref().map(|s| s.id),
                action: "officer.add",
                entity: &format!("officer:{cf}"),
                summary: &summary,
                evidence_sha256: None,
            },
        )?;
        Ok(id)
    })
}

/// A company to register, as the officer typed it.
pub struct CompanyRequest<'a> {
    pub codice_fiscale: &'a str,
    pub name: &'a str,
    pub registered_office: Option<&'a str>,
    pub pec: Option<&'a str>,
    /// Kind codes, each with its register details when it is a soggetto abilitato.
    pub kinds: Vec<(String, Option<String>)>,
}

/// Every kind known, and register details for each soggetto abilitato; at least one kind.
fn checked_kinds(kinds: &[(String, Option<String>)]) -> Result<Vec<CompanyKind>, RegistryError> {
    if kinds.is_empty() {
        return Err(RegistryError::NoKind);
    }
    kinds
        .iter()
        .map(|(code, register)| {
            let kind = CompanyKind::from_code(code.trim())
                .ok_or_else(|| RegistryError::UnknownKind(code.clone()))?;
            if kind.is_soggetto_abilitato()
                && register.as_deref().is_none_or(|r| r.trim().is_empty())
            {
                return Err(RegistryError::RegisterDetailsNeeded(code.clone()));
            }
            Ok(kind)
        })
        .collect()
}

/// Replaces a company's declared kinds (with register details for soggetti abilitati).
/// Grants already made stay as they are. Audited.
pub fn set_company_kinds(
    store: &mut Store,
    session: Option<SessionRef>,
    cf: &str,
    kinds: &[(String, Option<String>)],
) -> Result<(), RegistryError> {
    let cf = CodiceFiscale::parse(cf)?;
    let checked = checked_kinds(kinds)?;
    let stored: Vec<(String, Option<String>)> = checked
        .iter()
        .zip(kinds)
        .map(|(kind, (_, register))| {
            let register = register
                .as_deref()
                .map(str::trim)
                .filter(|r| !r.is_empty())
                .map(str::to_string);
            (kind.code().to_string(), register)
        })
        .collect();
    store.change(|tx| {
        let live = require_session(tx, session)?;
        let id = company_id(tx, &cf)?;
        companies::replace_kinds(tx, id, &stored)?;
        let codes: Vec<&str> = checked.iter().map(|k| k.code()).collect();
        record(
            tx,
            &live,
            "company.kinds",
            &format!("company:{cf}"),
            &format!("company {cf} kinds now {}", codes.join(", ")),
            None,
        )?;
        Ok(())
    })
}

/// Registers a company with its default unit. Audited; refused whole on any error.
pub fn register_company(
    store: &mut Store,
    session: Option<SessionRef>,
    request: &CompanyRequest<'_>,
) -> Result<i64, RegistryError> {
    let cf = CodiceFiscale::parse(request.codice_fiscale)?;
    let name = request.name.trim();
    if name.is_empty() {
        return Err(RegistryError::EmptyName);
    }
    checked_kinds(&request.kinds)?;
    store.change(|tx| {
        let live = require_session(tx, session)?;
        if companies::exists(tx, cf.as_str())? {
            return Err(RegistryError::DuplicateCompany(cf.to_string()));
        }
        let id = companies::insert(
            tx,
            &companies::NewCompany {
                codice_fiscale: cf.as_str(),
                name,
                registered_office: request.registered_office,
                pec: request.pec,
                kinds: &request.kinds,
            },
            "Sede",
        )?;
        let kinds: Vec<&str> = request.kinds.iter().map(|(k, _)| k.as_str()).collect();
        record(
            tx,
            &live,
            "company.register",
            &format!("company:{cf}"),
            &format!("company {cf} «{name}» registered as {}", kinds.join(", ")),
            None,
        )?;
        Ok(id)
    })
}

/// Adds a unit (sottogruppo) to a company. Units are never deleted. Audited.
pub fn add_unit(
    store: &mut Store,
    session: Option<SessionRef>,
    company_cf: &str,
    name: &str,
) -> Result<i64, RegistryError> {
    let cf = CodiceFiscale::parse(company_cf)?;
    let name = name.trim();
    if name.is_empty() {
        return Err(RegistryError::EmptyName);
    }
    store.change(|tx| {
        let live = require_session(tx, session)?;
        let company = company_id(tx, &cf)?;
        if crate::store::grants::unit_id(tx, company, name)?.is_some() {
            return Err(RegistryError::DuplicateUnit(name.to_string()));
        }
        let id = companies::insert_unit(tx, company, name)?;
        record(
            tx,
            &live,
            "unit.add",
            &format!("company:{cf}"),
            &format!("unit «{name}» added"),
            None,
        )?;
        Ok(id)
    })
}

/// Changes to the trust store: free on an empty database (someone must trust the officers'
/// card CA before anyone can log in), afterwards only in a live session, and audited.
/// Call before changing the store; `record` after.
pub fn authorize_trust_change(
    store: &mut Store,
    session: Option<SessionRef>,
) -> Result<Option<SessionRef>, RegistryError> {
    store.change(|tx| {
        if officers::count(tx)? == 0 {
            return Ok(None);
        }
        let live = require_session(tx, session)?;
        Ok(Some(SessionRef(live.id)))
    })
}

/// Appends the audit row of a trust-store change made under `session`.
pub fn record_trust_change(
    store: &mut Store,
    session: Option<SessionRef>,
    summary: &str,
) -> Result<(), RegistryError> {
    store.change(|tx| {
        let live = match session {
            Some(s) => officers::live_session(tx, s.0)?,
            None => None,
        };
        audit::append(
            tx,
            &Entry {
                officer_id: live.as_ref().map(|s| s.officer_id),
                session_id: live.as_ref().map(|s| s.id),
                action: "trust.import",
                entity: "trust-store",
                summary,
                evidence_sha256: None,
            },
        )?;
        Ok(())
    })
}

/// The administrators policy: `single` (transitional: a new approval replaces the current
/// administrator) or `multiple`. Audited; needs a session.
pub fn set_administrators_policy(
    store: &mut Store,
    session: Option<SessionRef>,
    value: &str,
) -> Result<(), RegistryError> {
    if value != "single" && value != "multiple" {
        return Err(RegistryError::UnknownPolicy(value.to_string()));
    }
    store.change(|tx| {
        let live = require_session(tx, session)?;
        companies::set_setting(tx, "administrators", value)?;
        record(
            tx,
            &live,
            "policy.set",
            "setting:administrators",
            &format!("administrators per company: {value}"),
            None,
        )?;
        Ok(())
    })
}

/// Whether verifications at the desk may ask OCSP responders and download CRLs (the
/// certificates' own URLs only). Off unless an officer turned it on.
pub fn online_revocation(store: &mut Store) -> bool {
    store
        .read(|tx| companies::setting(tx, "online-revocation"))
        .ok()
        .flatten()
        .as_deref()
        == Some("on")
}

/// Turns online revocation checks `on` or `off`. Audited; needs a session.
pub fn set_online_revocation(
    store: &mut Store,
    session: Option<SessionRef>,
    value: &str,
) -> Result<(), RegistryError> {
    if value != "on" && value != "off" {
        return Err(RegistryError::UnknownPolicy(value.to_string()));
    }
    store.change(|tx| {
        let live = require_session(tx, session)?;
        companies::set_setting(tx, "online-revocation", value)?;
        record(
            tx,
            &live,
            "policy.set",
            "setting:online-revocation",
            &format!("online revocation checks: {value}"),
            None,
        )?;
        Ok(())
    })
}

/// Changes a company's name, registered office and PEC; the codice fiscale never changes
/// (the schema refuses it too). Audited.
pub fn update_company(
    store: &mut Store,
    session: Option<SessionRef>,
    cf: &str,
    name: &str,
    registered_office: Option<&str>,
    pec: Option<&str>,
) -> Result<(), RegistryError> {
    let cf = CodiceFiscale::parse(cf)?;
    let name = name.trim();
    if name.is_empty() {
        return Err(RegistryError::EmptyName);
    }
    let office = registered_office.map(str::trim).filter(|v| !v.is_empty());
    let pec = pec.map(str::trim).filter(|v| !v.is_empty());
    store.change(|tx| {
        let live = require_session(tx, session)?;
        let id = company_id(tx, &cf)?;
        companies::update(tx, id, name, office, pec)?;
        record(
            tx,
            &live,
            "company.update",
            &format!("company:{cf}"),
            &format!(
                "company {cf} now «{name}», office {}, PEC {}",
                office.unwrap_or("-"),
                pec.unwrap_or("-")
            ),
            None,
        )?;
        Ok(())
    })
}
