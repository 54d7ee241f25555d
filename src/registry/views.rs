//! What the desk screens show, read through the registry as typed rows: states, roles,
//! kinds, profiles and document kinds are values (turned into words by `crate::i18n`), never
//! the stored text. Screens read these, not the store.

use crate::store::{self, Store};

use super::codes::parse;
use super::{
    nominations, CompanyKind, DocumentKind, GrantState, NominationState, Profile, RegistryError,
    RepresentativeRole,
};

pub use crate::store::audit::{ChainCheck, Row as AuditRow};

/// A company with everything the desk shows about it.
#[derive(Debug, Clone)]
pub struct CompanyView {
    pub codice_fiscale: String,
    pub name: String,
    pub registered_office: Option<String>,
    pub pec: Option<String>,
    /// Declared kinds, each with its register details (soggetti abilitati).
    pub kinds: Vec<(CompanyKind, Option<String>)>,
    /// The default unit first.
    pub units: Vec<String>,
    pub representatives: Vec<Representative>,
    /// Codici fiscali of approved administrators.
    pub administrators: Vec<String>,
}

impl CompanyView {
    pub fn kind_values(&self) -> Vec<CompanyKind> {
        self.kinds.iter().map(|(k, _)| *k).collect()
    }

    /// The profiles this company's kinds allow, in the desk's order.
    pub fn allowed_profiles(&self) -> Vec<Profile> {
        Profile::allowed_for(&self.kind_values())
    }
}

#[derive(Debug, Clone)]
pub struct Representative {
    pub codice_fiscale: String,
    /// Surname and name, as registered.
    pub name: String,
    pub role: RepresentativeRole,
}

pub fn company(store: &Store, cf: &str) -> Result<Option<CompanyView>, RegistryError> {
    let Some(c) = store.company(cf.trim())? else {
        return Ok(None);
    };
    let kinds = c
        .kinds
        .into_iter()
        .map(|(code, register)| {
            Ok((
                parse("company kind", &code, CompanyKind::from_code)?,
                register,
            ))
        })
        .collect::<Result<_, RegistryError>>()?;
    let representatives = c
        .representatives
        .into_iter()
        .map(|(codice_fiscale, name, role)| {
            Ok(Representative {
                codice_fiscale,
                name,
                role: parse("representative role", &role, RepresentativeRole::from_code)?,
            })
        })
        .collect::<Result<_, RegistryError>>()?;
    Ok(Some(CompanyView {
        codice_fiscale: c.codice_fiscale,
        name: c.name,
        registered_office: c.registered_office,
        pec: c.pec,
        kinds,
        units: c.units,
        representatives,
        administrators: c.administrators,
    }))
}

/// One line of the companies list.
#[derive(Debug, Clone)]
pub struct CompanyLine {
    pub codice_fiscale: String,
    pub name: String,
}

/// One page of companies whose name or codice fiscale contains `filter`, by name.
pub fn companies_page(
    store: &Store,
    filter: &str,
    offset: i64,
    limit: i64,
) -> Result<Vec<CompanyLine>, RegistryError> {
    Ok(store
        .companies_page(filter, offset, limit)?
        .into_iter()
        .map(|(codice_fiscale, name)| CompanyLine {
            codice_fiscale,
            name,
        })
        .collect())
}

pub fn companies_count(store: &Store, filter: &str) -> Result<i64, RegistryError> {
    Ok(store.companies_count(filter)?)
}

/// A nomination with the names beside the codes.
#[derive(Debug, Clone)]
pub struct NominationRow {
    pub id: i64,
    pub company_cf: String,
    pub company_name: String,
    pub admin_cf: String,
    /// Surname and name, as registered.
    pub admin_name: String,
    pub state: NominationState,
    pub reason: Option<String>,
    /// RFC 3339, UTC.
    pub submitted_at: String,
    pub form_sha256: String,
}

fn nomination_row(n: store::nominations::Nomination) -> Result<NominationRow, RegistryError> {
    Ok(NominationRow {
        state: parse("nomination state", &n.state, NominationState::from_code)?,
        id: n.id,
        company_cf: n.company_cf,
        company_name: n.company_name,
        admin_cf: n.admin_cf,
        admin_name: n.admin_name,
        reason: n.reason,
        submitted_at: n.submitted_at,
        form_sha256: n.form_sha256,
    })
}

/// Nominations in `state` (all when `None`), oldest first, one page.
pub fn nominations_page(
    store: &Store,
    state: Option<NominationState>,
    offset: i64,
    limit: i64,
) -> Result<Vec<NominationRow>, RegistryError> {
    store
        .nominations_page(state.map(NominationState::code), offset, limit)?
        .into_iter()
        .map(nomination_row)
        .collect()
}

pub fn nominations_count(
    store: &Store,
    state: Option<NominationState>,
) -> Result<i64, RegistryError> {
    Ok(store.nominations_count(state.map(NominationState::code))?)
}

pub fn nomination(store: &Store, id: i64) -> Result<Option<NominationRow>, RegistryError> {
    store.nomination(id)?.map(nomination_row).transpose()
}

/// What the stored verification report of the nomination's form says (None: not signed).
pub fn form_facts(
    store: &Store,
    nomination: &NominationRow,
) -> Result<Option<nominations::FormFacts>, RegistryError> {
    Ok(store
        .document(&nomination.form_sha256)?
        .and_then(|d| d.verification)
        .and_then(|json| nominations::form_facts(&json)))
}

/// A document attached to a nomination.
#[derive(Debug, Clone)]
pub struct AttachedDocument {
    pub sha256: String,
    pub kind: DocumentKind,
    pub original_name: String,
    pub size: i64,
    /// Identity documents only (YYYY-MM-DD).
    pub expires_on: Option<String>,
}

/// The delegation form first, then the identity documents.
pub fn nomination_documents(
    store: &Store,
    id: i64,
) -> Result<Vec<AttachedDocument>, RegistryError> {
    store
        .nomination_documents(id)?
        .into_iter()
        .map(|d| {
            Ok(AttachedDocument {
                kind: parse("document kind", &d.kind, DocumentKind::from_code)?,
                sha256: d.sha256,
                original_name: d.original_name,
                size: d.size,
                expires_on: d.expires_on,
            })
        })
        .collect()
}

/// A grant of a profile to a collaborator.
#[derive(Debug, Clone)]
pub struct GrantRow {
    pub id: i64,
    pub company_cf: String,
    pub person_cf: String,
    /// Surname and name, as registered.
    pub person_name: String,
    pub profile: Profile,
    /// `None`: the whole company.
    pub unit: Option<String>,
    pub state: GrantState,
    /// YYYY-MM-DD.
    pub relationship_end: Option<String>,
}

fn grant_row(g: store::grants::Grant) -> Result<GrantRow, RegistryError> {
    Ok(GrantRow {
        profile: parse("profile", &g.profile, Profile::from_code)?,
        state: parse("grant state", &g.state, GrantState::from_code)?,
        id: g.id,
        company_cf: g.company_cf,
        person_cf: g.person_cf,
        person_name: g.person_name,
        unit: g.unit,
        relationship_end: g.relationship_end,
    })
}

pub fn grants_of(store: &Store, company_cf: &str) -> Result<Vec<GrantRow>, RegistryError> {
    store
        .grants(company_cf.trim())?
        .into_iter()
        .map(grant_row)
        .collect()
}

/// Active grants whose working relationship ended more than five days before `today`.
pub fn overdue_grants(store: &Store, today: time::Date) -> Result<Vec<GrantRow>, RegistryError> {
    store
        .overdue_grants(today)?
        .into_iter()
        .map(grant_row)
        .collect()
}

/// One page of the audit log, newest first.
pub fn audit_page(store: &Store, offset: i64, limit: i64) -> Result<Vec<AuditRow>, RegistryError> {
    Ok(store.audit_page(offset, limit)?)
}

pub fn audit_count(store: &Store) -> Result<i64, RegistryError> {
    Ok(store.audit_count()?)
}
