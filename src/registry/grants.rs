//! Grants of profiles to collaborators: level and company-kind rules, registered citizens
//! only, revocation, suspension (a stolen administrator credential), end of relationship.

use crate::codice_fiscale::CodiceFiscale;
use crate::store::{grants, Store};

use super::codes;
use super::{
    company_id, person_id, record, require_session, required_reason, CompanyKind, GrantState,
    Profile, RegistryError, SessionRef,
};

/// Grants `profile` to a person, on the whole company or on `unit`. Audited.
pub fn add(
    store: &mut Store,
    session: Option<SessionRef>,
    company_cf: &str,
    person_cf: &str,
    profile_code: &str,
    unit: Option<&str>,
) -> Result<i64, RegistryError> {
    let company_cf = CodiceFiscale::parse(company_cf)?;
    let person_cf = CodiceFiscale::parse(person_cf)?;
    let profile = Profile::from_code(profile_code.trim())
        .ok_or_else(|| RegistryError::UnknownProfile(profile_code.to_string()))?;
    match unit {
        None if !profile.company_level() => {
            return Err(RegistryError::LevelNotAllowed(
                profile.code().into(),
                "gruppo",
            ))
        }
        Some(_) if !profile.unit_level() => {
            return Err(RegistryError::LevelNotAllowed(
                profile.code().into(),
                "sottogruppo",
            ))
        }
        _ => {}
    }
    store.change(|tx| {
        let live = require_session(tx, session)?;
        let company = company_id(tx, &company_cf)?;
        let person = person_id(tx, &person_cf)?;
        if !grants::is_citizen(tx, person)? {
            return Err(RegistryError::NotACitizen(person_cf.to_string()));
        }
        let kinds: Vec<CompanyKind> = grants::company_kinds(tx, company)?
            .iter()
            .filter_map(|k| CompanyKind::from_code(k))
            .collect();
        if !profile.fits(&kinds) {
            let needed: Vec<&str> = profile.needs_kind().iter().map(|k| k.code()).collect();
            return Err(RegistryError::KindNotAllowed(
                profile.code().into(),
                needed.join(", "),
            ));
        }
        let unit_id = match unit {
            Some(name) => Some(
                grants::unit_id(tx, company, name)?
                    .ok_or_else(|| RegistryError::UnknownUnit(name.to_string()))?,
            ),
            None => None,
        };
        let id = grants::insert(tx, company, person, profile.code(), unit_id)?;
        record(
            tx,
            &live,
            "grant.add",
            &format!("grant:{id}"),
            &format!(
                "{} granted to {person_cf} on {company_cf}{}",
                profile.code(),
                unit.map(|u| format!(" / {u}")).unwrap_or_default()
            ),
            None,
        )?;
        Ok(id)
    })
}

/// Revokes or suspends an active grant, with a reason. Audited.
pub fn change_state(
    store: &mut Store,
    session: Option<SessionRef>,
    id: i64,
    new_state: GrantState,
    reason: &str,
) -> Result<(), RegistryError> {
    let reason = required_reason(reason)?;
    store.change(|tx| {
        let live = require_session(tx, session)?;
        let stored = grants::state(tx, id)?.ok_or(RegistryError::UnknownGrant(id))?;
        let current = codes::parse("grant state", &stored, GrantState::from_code)?;
        if current != GrantState::Active {
            return Err(RegistryError::GrantNotActive(id, stored));
        }
        grants::set_state(tx, id, new_state.code(), reason)?;
        record(
            tx,
            &live,
            match new_state {
                GrantState::Suspended => "grant.suspend",
                _ => "grant.revoke",
            },
            &format!("grant:{id}"),
            &format!("{new_state}: {reason}"),
            None,
        )?;
        Ok(())
    })
}

/// Records the end of the working relationship; the grant is overdue five days later.
pub fn end_relationship(
    store: &mut Store,
    session: Option<SessionRef>,
    id: i64,
    date: time::Date,
) -> Result<(), RegistryError> {
    store.change(|tx| {
        let live = require_session(tx, session)?;
        grants::state(tx, id)?.ok_or(RegistryError::UnknownGrant(id))?;
        grants::set_relationship_end(tx, id, &date.to_string())?;
        record(
            tx,
            &live,
            "grant.end",
            &format!("grant:{id}"),
            &format!("working relationship ended on {date}"),
            None,
        )?;
        Ok(())
    })
}
