//! Grants of profiles to collaborators.

use serde::Serialize;

use super::db::{Db, DbError, Row};
use super::{Store, StoreError};

#[derive(Debug, Clone, Serialize)]
pub struct Grant {
    pub id: i64,
    pub company_cf: String,
    pub person_cf: String,
    /// Surname and name, as registered.
    pub person_name: String,
    pub profile: String,
    pub unit: Option<String>,
    pub state: String,
    pub relationship_end: Option<String>,
}

pub fn unit_id(tx: &Db<'_>, company_id: i64, name: &str) -> Result<Option<i64>, DbError> {
    tx.query_opt(
        "SELECT id FROM units WHERE company_id = ?1 AND name = ?2",
        &[company_id.into(), name.into()],
        |r| r.get(0),
    )
}

pub fn company_kinds(tx: &Db<'_>, company_id: i64) -> Result<Vec<String>, DbError> {
    tx.query_map(
        "SELECT kind FROM company_kinds WHERE company_id = ?1",
        &[company_id.into()],
        |r| r.get(0),
    )
}

pub fn is_citizen(tx: &Db<'_>, person_id: i64) -> Result<bool, DbError> {
    tx.query_row(
        "SELECT citizen_since IS NOT NULL FROM people WHERE id = ?1",
        &[person_id.into()],
        |r| r.get(0),
    )
}

pub fn insert(
    tx: &Db<'_>,
    company_id: i64,
    person_id: i64,
    profile: &str,
    unit_id: Option<i64>,
) -> Result<i64, DbError> {
    tx.query_row(
        "INSERT INTO grants (company_id, person_id, profile, unit_id, state, granted_at) VALUES (?1, ?2, ?3, ?4, 'attiva', ?5)
         RETURNING id",
        &[
            company_id.into(),
            person_id.into(),
            profile.into(),
            unit_id.into(),
            super::now_text().as_str().into(),
        ],
        |r| r.get(0),
    )
}

pub fn state(tx: &Db<'_>, id: i64) -> Result<Option<String>, DbError> {
    tx.query_opt(
        "SELECT state FROM grants WHERE id = ?1",
        &[id.into()],
        |r| r.get(0),
    )
}

pub fn set_state(tx: &Db<'_>, id: i64, state: &str, reason: &str) -> Result<(), DbError> {
    tx.execute(
        "UPDATE grants SET state = ?2, reason = ?3, changed_at = ?4 WHERE id = ?1",
        &[
            id.into(),
            state.into(),
            reason.into(),
            super::now_text().as_str().into(),
        ],
    )?;
    Ok(())
}

pub fn set_relationship_end(tx: &Db<'_>, id: i64, date: &str) -> Result<(), DbError> {
    tx.execute(
        "UPDATE grants SET relationship_end = ?2, changed_at = ?3 WHERE id = ?1",
        &[id.into(), date.into(), super::now_text().as_str().into()],
    )?;
    Ok(())
}

const SELECT: &str = "SELECT g.id, c.codice_fiscale, p.codice_fiscale, g.profile, u.name, g.state, g.relationship_end,
            p.surname || ' ' || p.name
     FROM grants g JOIN companies c ON c.id = g.company_id JOIN people p ON p.id = g.person_id
     LEFT JOIN units u ON u.id = g.unit_id";

fn row(r: &Row<'_>) -> Result<Grant, DbError> {
    Ok(Grant {
        id: r.get(0)?,
        company_cf: r.get(1)?,
        person_cf: r.get(2)?,
        profile: r.get(3)?,
        unit: r.get(4)?,
        state: r.get(5)?,
        relationship_end: r.get(6)?,
        person_name: r.get(7)?,
    })
}

impl Store {
    /// Active grants whose working relationship ended more than five days before `today`
    /// (seed 001 §6.4: revoke within 5 days).
    /// The relationship ended on or before `today - 6 days`, i.e. its end plus five days is
    /// before today. Dates are `YYYY-MM-DD`, so text order is date order in both engines.
    pub fn overdue_grants(&self, today: time::Date) -> Result<Vec<Grant>, StoreError> {
        let latest_end = today
            .checked_sub(time::Duration::days(5))
            .unwrap_or(time::Date::MIN)
            .to_string();
        Ok(self.db().query_map(
            &format!(
                "{SELECT} WHERE g.state = 'attiva' AND g.relationship_end IS NOT NULL
                   AND g.relationship_end < ?1 ORDER BY g.relationship_end"
            ),
            &[latest_end.as_str().into()],
            row,
        )?)
    }

    pub fn grants(&self, company_cf: &str) -> Result<Vec<Grant>, StoreError> {
        Ok(self.db().query_map(
            &format!("{SELECT} WHERE c.codice_fiscale = ?1 ORDER BY g.id"),
            &[company_cf.into()],
            row,
        )?)
    }
}
