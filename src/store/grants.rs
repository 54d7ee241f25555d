//! Grants of profiles to collaborators.

use rusqlite::{params, OptionalExtension, Transaction};
use serde::Serialize;

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

pub fn unit_id(tx: &Transaction<'_>, company_id: i64, name: &str) -> rusqlite::Result<Option<i64>> {
    tx.query_row(
        "SELECT id FROM units WHERE company_id = ?1 AND name = ?2",
        params![company_id, name],
        |r| r.get(0),
    )
    .optional()
}

pub fn company_kinds(tx: &Transaction<'_>, company_id: i64) -> rusqlite::Result<Vec<String>> {
    let mut stmt = tx.prepare("SELECT kind FROM company_kinds WHERE company_id = ?1")?;
    let kinds = stmt
        .query_map(params![company_id], |r| r.get(0))?
        .collect::<Result<Vec<_>, _>>()?;
    Ok(kinds)
}

pub fn is_citizen(tx: &Transaction<'_>, person_id: i64) -> rusqlite::Result<bool> {
    tx.query_row(
        "SELECT citizen_since IS NOT NULL FROM people WHERE id = ?1",
        params![person_id],
        |r| r.get(0),
    )
}

pub fn insert(
    tx: &Transaction<'_>,
    company_id: i64,
    person_id: i64,
    profile: &str,
    unit_id: Option<i64>,
) -> rusqlite::Result<i64> {
    tx.execute(
        "INSERT INTO grants (company_id, person_id, profile, unit_id, state, granted_at) VALUES (?1, ?2, ?3, ?4, 'attiva', ?5)",
        params![company_id, person_id, profile, unit_id, super::now_text()],
    )?;
    Ok(tx.last_insert_rowid())
}

pub fn state(tx: &Transaction<'_>, id: i64) -> rusqlite::Result<Option<String>> {
    tx.query_row("SELECT state FROM grants WHERE id = ?1", params![id], |r| {
        r.get(0)
    })
    .optional()
}

pub fn set_state(tx: &Transaction<'_>, id: i64, state: &str, reason: &str) -> rusqlite::Result<()> {
    tx.execute(
        "UPDATE grants SET state = ?2, reason = ?3, changed_at = ?4 WHERE id = ?1",
        params![id, state, reason, super::now_text()],
    )?;
    Ok(())
}

pub fn set_relationship_end(tx: &Transaction<'_>, id: i64, date: &str) -> rusqlite::Result<()> {
    tx.execute(
        "UPDATE grants SET relationship_end = ?2, changed_at = ?3 WHERE id = ?1",
        params![id, date, super::now_text()],
    )?;
    Ok(())
}

const SELECT: &str = "SELECT g.id, c.codice_fiscale, p.codice_fiscale, g.profile, u.name, g.state, g.relationship_end,
            p.surname || ' ' || p.name
     FROM grants g JOIN companies c ON c.id = g.company_id JOIN people p ON p.id = g.person_id
     LEFT JOIN units u ON u.id = g.unit_id";

fn row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Grant> {
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
    pub fn overdue_grants(&self, today: time::Date) -> Result<Vec<Grant>, StoreError> {
        let mut stmt = self.conn.prepare(&format!(
            "{SELECT} WHERE g.state = 'attiva' AND g.relationship_end IS NOT NULL
               AND date(g.relationship_end, '+5 days') < date(?1) ORDER BY g.relationship_end"
        ))?;
        let rows = stmt
            .query_map(params![today.to_string()], row)?
            .collect::<Result<Vec<_>, _>>()?;
        Ok(rows)
    }

    pub fn grants(&self, company_cf: &str) -> Result<Vec<Grant>, StoreError> {
        let mut stmt = self.conn.prepare(&format!(
            "{SELECT} WHERE c.codice_fiscale = ?1 ORDER BY g.id"
        ))?;
        let rows = stmt
            .query_map(params![company_cf], row)?
            .collect::<Result<Vec<_>, _>>()?;
        Ok(rows)
    }
}
