//! Grants of profiles to collaborators: level and company-kind rules, registered citizens
//! only, revocation, suspension (a stolen administrator credential), end of relationship.

use crate::codice_fiscale::CodiceFiscale;
use crate::store::{grants, Store};

use super::profiles;
use super::{
    company_id, person_id, record, require_session, required_reason, RegistryError, SessionRef,
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
    let profile = profiles::find(profile_code)
        .ok_or_else(|| RegistryError::UnknownProfile(profile_code.to_string()))?;
    match unit {
        None if !profile.company_level => {
            return Err(RegistryError::LevelNotAllowed(
                profile.code.into(),
                "gruppo",
            ))
        }
        Some(_) if !profile.unit_level => {
            return Err(RegistryError::LevelNotAllowed(
                profile.code.into(),
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
        if !profile.needs_kind.is_empty() {
            let kinds = grants::company_kinds(tx, company)?;
            if !profile
                .needs_kind
                .iter()
                .any(|k| kinds.iter().any(|have| have == k))
            {
                return Err(RegistryError::KindNotAllowed(
                    profile.code.into(),
                    profile.needs_kind.join(", "),
                ));
            }
        }
        let unit_id = match unit {
            Some(name) => Some(
                grants::unit_id(tx, company, name)?
                    .ok_or_else(|| RegistryError::UnknownUnit(name.to_string()))?,
            ),
            None => None,
        };
        let id = grants::insert(tx, company, person, profile.code, unit_id)?;
        record(
            tx,
            &live,
            "grant.add",
            &format!("grant:{id}"),
            &format!(
                "{} granted to {person_cf} on {company_cf}{}",
                profile.code,
                unit.map(|u| format!(" / {u}")).unwrap_or_default()
            ),
            None,
        )?;
        Ok(id)
    })
}

/// Revokes (`revocata`) or suspends (`sospesa`) an active grant, with a reason. Audited.
pub fn change_state(
    store: &mut Store,
    session: Option<SessionRef>,
    id: i64,
    new_state: &str,
    reason: &str,
) -> Result<(), RegistryError> {
    let reason = required_reason(reason)?;
    store.change(|tx| {
        let live = require_session(tx, session)?;
        let current = grants::state(tx, id)?.ok_or(RegistryError::UnknownGrant(id))?;
        if current != "attiva" {
            return Err(RegistryError::GrantNotActive(id, current));
        }
        grants::set_state(tx, id, new_state, reason)?;
        record(
            tx,
            &live,
            if new_state == "sospesa" {
                "grant.suspend"
            } else {
                "grant.revoke"
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
