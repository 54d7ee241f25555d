//! Administrator nominations and their identity documents.

use serde::Serialize;

use super::db::{Db, DbError, Row};
use super::{Store, StoreError};

#[derive(Debug, Clone, Serialize)]
pub struct Nomination {
    pub id: i64,
    pub company_id: i64,
    pub company_cf: String,
    pub company_name: String,
    pub admin_cf: String,
    /// Surname and name, as registered.
    pub admin_name: String,
    pub form_sha256: String,
    pub state: String,
    pub reason: Option<String>,
    pub submitted_at: String,
}

pub fn insert(
    tx: &Db<'_>,
    company_id: i64,
    admin_person_id: i64,
    form_sha256: &str,
) -> Result<i64, DbError> {
    tx.query_row(
        "INSERT INTO nominations (company_id, admin_person_id, form_sha256, state, submitted_at) VALUES (?1, ?2, ?3, 'in-attesa', ?4)
         RETURNING id",
        &[
            company_id.into(),
            admin_person_id.into(),
            form_sha256.into(),
            super::now_text().as_str().into(),
        ],
        |r| r.get(0),
    )
}

pub fn add_id_document(
    tx: &Db<'_>,
    nomination_id: i64,
    sha: &str,
    expires_on: &str,
) -> Result<(), DbError> {
    tx.execute(
        "INSERT INTO nomination_id_documents (nomination_id, document_sha256, expires_on) VALUES (?1, ?2, ?3)
         ON CONFLICT DO NOTHING",
        &[nomination_id.into(), sha.into(), expires_on.into()],
    )?;
    Ok(())
}

pub fn id_document_count(tx: &Db<'_>, nomination_id: i64) -> Result<i64, DbError> {
    tx.query_row(
        "SELECT count(*) FROM nomination_id_documents WHERE nomination_id = ?1",
        &[nomination_id.into()],
        |r| r.get(0),
    )
}

const SELECT: &str = "SELECT n.id, n.company_id, c.codice_fiscale, p.codice_fiscale, n.form_sha256, n.state, n.reason, n.submitted_at,
            c.name, p.surname || ' ' || p.name
     FROM nominations n JOIN companies c ON c.id = n.company_id JOIN people p ON p.id = n.admin_person_id";

fn row(r: &Row<'_>) -> Result<Nomination, DbError> {
    Ok(Nomination {
        id: r.get(0)?,
        company_id: r.get(1)?,
        company_cf: r.get(2)?,
        admin_cf: r.get(3)?,
        form_sha256: r.get(4)?,
        state: r.get(5)?,
        reason: r.get(6)?,
        submitted_at: r.get(7)?,
        company_name: r.get(8)?,
        admin_name: r.get(9)?,
    })
}

pub fn get(tx: &Db<'_>, id: i64) -> Result<Option<Nomination>, DbError> {
    tx.query_opt(&format!("{SELECT} WHERE n.id = ?1"), &[id.into()], row)
}

pub fn approved_for(tx: &Db<'_>, company_id: i64) -> Result<Vec<i64>, DbError> {
    tx.query_map(
        "SELECT id FROM nominations WHERE company_id = ?1 AND state = 'approvata'",
        &[company_id.into()],
        |r| r.get(0),
    )
}

pub fn decide(tx: &Db<'_>, id: i64, state: &str, reason: Option<&str>) -> Result<(), DbError> {
    tx.execute(
        "UPDATE nominations SET state = ?2, reason = ?3, decided_at = ?4 WHERE id = ?1",
        &[
            id.into(),
            state.into(),
            reason.into(),
            super::now_text().as_str().into(),
        ],
    )?;
    Ok(())
}

/// `(?1 IS NULL OR state = ?1)`: PostgreSQL must know the type of a parameter it sees only
/// beside NULL, hence the cast (valid SQLite too).
const STATE_FILTER: &str = "(CAST(?1 AS TEXT) IS NULL OR n.state = ?1)";

impl Store {
    pub fn nominations(&self, state: Option<&str>) -> Result<Vec<Nomination>, StoreError> {
        Ok(self.db().query_map(
            &format!("{SELECT} WHERE {STATE_FILTER} ORDER BY n.id"),
            &[state.into()],
            row,
        )?)
    }
}

/// A document attached to a nomination: the form or an identity document.
#[derive(Debug, Clone, Serialize)]
pub struct AttachedDocument {
    pub sha256: String,
    pub kind: String,
    pub original_name: String,
    pub size: i64,
    /// Identity documents only.
    pub expires_on: Option<String>,
}

impl Store {
    /// Nominations in `state` (all when `None`), newest last, one page.
    pub fn nominations_page(
        &self,
        state: Option<&str>,
        offset: i64,
        limit: i64,
    ) -> Result<Vec<Nomination>, StoreError> {
        Ok(self.db().query_map(
            &format!("{SELECT} WHERE {STATE_FILTER} ORDER BY n.id LIMIT ?2 OFFSET ?3"),
            &[state.into(), limit.into(), offset.into()],
            row,
        )?)
    }

    pub fn nominations_count(&self, state: Option<&str>) -> Result<i64, StoreError> {
        Ok(self.db().query_row(
            &format!("SELECT count(*) FROM nominations n WHERE {STATE_FILTER}"),
            &[state.into()],
            |r| r.get(0),
        )?)
    }

    pub fn nomination(&self, id: i64) -> Result<Option<Nomination>, StoreError> {
        Ok(self
            .db()
            .query_opt(&format!("{SELECT} WHERE n.id = ?1"), &[id.into()], row)?)
    }

    /// The delegation form first, then the identity documents.
    pub fn nomination_documents(&self, id: i64) -> Result<Vec<AttachedDocument>, StoreError> {
        Ok(self.db().query_map(
            "SELECT d.sha256, d.kind, d.original_name, d.size, CAST(NULL AS TEXT) FROM nominations n
               JOIN documents d ON d.sha256 = n.form_sha256 WHERE n.id = ?1
             UNION ALL
             SELECT d.sha256, d.kind, d.original_name, d.size, i.expires_on FROM nomination_id_documents i
               JOIN documents d ON d.sha256 = i.document_sha256 WHERE i.nomination_id = ?1",
            &[id.into()],
            |r| {
                Ok(AttachedDocument {
                    sha256: r.get(0)?,
                    kind: r.get(1)?,
                    original_name: r.get(2)?,
                    size: r.get(3)?,
                    expires_on: r.get(4)?,
                })
            },
        )?)
    }
}
