//! Officers and their desk sessions.

use serde::Serialize;

use super::db::{Db, DbError, Row};
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

fn officer_from(r: &Row<'_>) -> Result<Officer, DbError> {
    Ok(Officer {
        id: r.get(0)?,
        codice_fiscale: r.get(1)?,
        name: r.get(2)?,
        active: r.get(3)?,
    })
}

pub fn insert(tx: &Db<'_>, cf: &str, name: &str) -> Result<i64, DbError> {
    tx.query_row(
        "INSERT INTO officers (codice_fiscale, name, created_at) VALUES (?1, ?2, ?3) RETURNING id",
        &[cf.into(), name.into(), super::now_text().as_str().into()],
        |r| r.get(0),
    )
}

pub fn count(tx: &Db<'_>) -> Result<i64, DbError> {
    tx.query_row("SELECT count(*) FROM officers", &[], |r| r.get(0))
}

pub fn by_cf(tx: &Db<'_>, cf: &str) -> Result<Option<Officer>, DbError> {
    tx.query_opt(
        "SELECT id, codice_fiscale, name, active FROM officers WHERE codice_fiscale = ?1",
        &[cf.into()],
        officer_from,
    )
}

pub fn by_id(tx: &Db<'_>, id: i64) -> Result<Option<Officer>, DbError> {
    tx.query_opt(
        "SELECT id, codice_fiscale, name, active FROM officers WHERE id = ?1",
        &[id.into()],
        officer_from,
    )
}

/// Opens a session after card authentication; `evidence` is the stored evidence document.
pub fn open_session(
    tx: &Db<'_>,
    officer_id: i64,
    evidence: &str,
    minutes: i64,
) -> Result<i64, DbError> {
    let now = time::OffsetDateTime::now_utc();
    let expires = crate::envelope::asn1_time::rfc3339(now + time::Duration::minutes(minutes));
    tx.query_row(
        "INSERT INTO sessions (officer_id, started_at, expires_at, evidence_sha256) VALUES (?1, ?2, ?3, ?4)
         RETURNING id",
        &[
            officer_id.into(),
            super::now_text().as_str().into(),
            expires.as_str().into(),
            evidence.into(),
        ],
        |r| r.get(0),
    )
}

/// The session if it exists, belongs to an active officer and has not expired.
pub fn live_session(tx: &Db<'_>, session_id: i64) -> Result<Option<Session>, DbError> {
    tx.query_opt(
        "SELECT s.id, s.officer_id, s.expires_at FROM sessions s JOIN officers o ON o.id = s.officer_id
         WHERE s.id = ?1 AND o.active = 1 AND s.ended_at IS NULL AND s.expires_at > ?2",
        &[session_id.into(), super::now_text().as_str().into()],
        |r| {
            Ok(Session {
                id: r.get(0)?,
                officer_id: r.get(1)?,
                expires_at: r.get(2)?,
            })
        },
    )
}

/// Ends a session before it expires (logout). Returns whether a live session was ended.
pub fn end_session(tx: &Db<'_>, session_id: i64) -> Result<bool, DbError> {
    let changed = tx.execute(
        "UPDATE sessions SET ended_at = ?2 WHERE id = ?1 AND ended_at IS NULL",
        &[session_id.into(), super::now_text().as_str().into()],
    )?;
    Ok(changed == 1)
}

impl Store {
    pub fn officers(&self) -> Result<Vec<Officer>, StoreError> {
        Ok(self.db().query_map(
            "SELECT id, codice_fiscale, name, active FROM officers ORDER BY id",
            &[],
            officer_from,
        )?)
    }
}

impl Store {
    /// The officer of a live session, with the session; `None` when it expired, was never
    /// opened, or its officer is no longer active.
    pub fn session_officer(
        &self,
        session_id: i64,
    ) -> Result<Option<(Officer, Session)>, StoreError> {
        Ok(self.db().query_opt(
            "SELECT o.id, o.codice_fiscale, o.name, o.active, s.id, s.expires_at
                 FROM sessions s JOIN officers o ON o.id = s.officer_id
                 WHERE s.id = ?1 AND o.active = 1 AND s.expires_at > ?2",
            &[session_id.into(), super::now_text().as_str().into()],
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
        )?)
    }
}
