//! Officers and their desk sessions.

use rusqlite::{params, OptionalExtension, Transaction};
use serde::Serialize;

use super::{Store, StoreError};

#[derive(Debug, Clone, Serialize)]
pub struct Officer {
    pub id: i64,
    pub codice_fiscale: String,
    pub name: String,
    pub active: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct Session {
    pub id: i64,
    pub officer_id: i64,
    pub expires_at: String,
}

fn officer_from(r: &rusqlite::Row<'_>) -> rusqlite::Result<Officer> {
    Ok(Officer {
        id: r.get(0)?,
        codice_fiscale: r.get(1)?,
        name: r.get(2)?,
        active: r.get(3)?,
    })
}

pub fn insert(tx: &Transaction<'_>, cf: &str, name: &str) -> rusqlite::Result<i64> {
    tx.execute(
        "INSERT INTO officers (codice_fiscale, name, created_at) VALUES (?1, ?2, ?3)",
        params![cf, name, super::now_text()],
    )?;
    Ok(tx.last_insert_rowid())
}

pub fn count(tx: &Transaction<'_>) -> rusqlite::Result<i64> {
    tx.query_row("SELECT count(*) FROM officers", [], |r| r.get(0))
}

pub fn by_cf(tx: &Transaction<'_>, cf: &str) -> rusqlite::Result<Option<Officer>> {
    tx.query_row(
        "SELECT id, codice_fiscale, name, active FROM officers WHERE codice_fiscale = ?1",
        params![cf],
        officer_from,
    )
    .optional()
}

pub fn by_id(tx: &Transaction<'_>, id: i64) -> rusqlite::Result<Option<Officer>> {
    tx.query_row(
        "SELECT id, codice_fiscale, name, active FROM officers WHERE id = ?1",
        params![id],
        officer_from,
    )
    .optional()
}

/// Opens a session after card authentication; `evidence` is the stored evidence document.
pub fn open_session(
    tx: &Transaction<'_>,
    officer_id: i64,
    evidence: &str,
    minutes: i64,
) -> rusqlite::Result<i64> {
    let now = time::OffsetDateTime::now_utc();
    let expires = crate::envelope::asn1_time::rfc3339(now + time::Duration::minutes(minutes));
    tx.execute(
        "INSERT INTO sessions (officer_id, started_at, expires_at, evidence_sha256) VALUES (?1, ?2, ?3, ?4)",
        params![officer_id, super::now_text(), expires, evidence],
    )?;
    Ok(tx.last_insert_rowid())
}

/// The session if it exists, belongs to an active officer and has not expired.
pub fn live_session(tx: &Transaction<'_>, session_id: i64) -> rusqlite::Result<Option<Session>> {
    tx.query_row(
        "SELECT s.id, s.officer_id, s.expires_at FROM sessions s JOIN officers o ON o.id = s.officer_id
         WHERE s.id = ?1 AND o.active = 1 AND s.ended_at IS NULL AND s.expires_at > ?2",
        params![session_id, super::now_text()],
        |r| {
            Ok(Session {
                id: r.get(0)?,
                officer_id: r.get(1)?,
                expires_at: r.get(2)?,
            })
        },
    )
    .optional()
}

/// Ends a session before it expires (logout). Returns whether a live session was ended.
pub fn end_session(tx: &Transaction<'_>, session_id: i64) -> rusqlite::Result<bool> {
    let changed = tx.execute(
        "UPDATE sessions SET ended_at = ?2 WHERE id = ?1 AND ended_at IS NULL",
        params![session_id, super::now_text()],
    )?;
    Ok(changed == 1)
}

impl Store {
    pub fn officers(&self) -> Result<Vec<Officer>, StoreError> {
        let mut stmt = self
            .conn
            .prepare("SELECT id, codice_fiscale, name, active FROM officers ORDER BY id")?;
        let rows = stmt
            .query_map([], officer_from)?
            .collect::<Result<Vec<_>, _>>()?;
        Ok(rows)
    }
}

impl Store {
    /// The officer of a live session, with the session; `None` when it expired, was never
    /// opened, or its officer is no longer active.
    pub fn session_officer(
        &self,
        session_id: i64,
    ) -> Result<Option<(Officer, Session)>, StoreError> {
        Ok(self
            .conn
            .query_row(
                "SELECT o.id, o.codice_fiscale, o.name, o.active, s.id, s.expires_at
                 FROM sessions s JOIN officers o ON o.id = s.officer_id
                 WHERE s.id = ?1 AND o.active = 1 AND s.expires_at > ?2",
                params![session_id, super::now_text()],
                |r| {
                    Ok((
                        Officer {
                            id: r.get(0)?,
                            codice_fiscale: r.get(1)?,
                            name: r.get(2)?,
                            active: r.get(3)?,
                        },
                        Session {
                            id: r.get(4)?,
                            officer_id: r.get(0)?,
                            expires_at: r.get(5)?,
                        },
                    ))
                },
            )
            .optional()?)
    }
}
