//! Administrator nominations and their identity documents.

use rusqlite::{params, OptionalExtension, Transaction};
use serde::Serialize;

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
    tx: &Transaction<'_>,
    company_id: i64,
    admin_person_id: i64,
    form_sha256: &str,
) -> rusqlite::Result<i64> {
    tx.execute(
        "INSERT INTO nominations (company_id, admin_person_id, form_sha256, state, submitted_at) VALUES (?1, ?2, ?3, 'in-attesa', ?4)",
        params![company_id, admin_person_id, form_sha256, super::now_text()],
    )?;
    Ok(tx.last_insert_rowid())
}

pub fn add_id_document(
    tx: &Transaction<'_>,
    nomination_id: i64,
    sha: &str,
    expires_on: &str,
) -> rusqlite::Result<()> {
    tx.execute(
        "INSERT OR IGNORE INTO nomination_id_documents (nomination_id, document_sha256, expires_on) VALUES (?1, ?2, ?3)",
        params![nomination_id, sha, expires_on],
    )?;
    Ok(())
}

pub fn id_document_count(tx: &Transaction<'_>, nomination_id: i64) -> rusqlite::Result<i64> {
    tx.query_row(
        "SELECT count(*) FROM nomination_id_documents WHERE nomination_id = ?1",
        params![nomination_id],
        |r| r.get(0),
    )
}

const SELECT: &str = "SELECT n.id, n.company_id, c.codice_fiscale, p.codice_fiscale, n.form_sha256, n.state, n.reason, n.submitted_at,
            c.name, p.surname || ' ' || p.name
     FROM nominations n JOIN companies c ON c.id = n.company_id JOIN people p ON p.id = n.admin_person_id";

fn row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Nomination> {
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

pub fn get(tx: &Transaction<'_>, id: i64) -> rusqlite::Result<Option<Nomination>> {
    tx.query_row(&format!("{SELECT} WHERE n.id = ?1"), params![id], row)
        .optional()
}

pub fn approved_for(tx: &Transaction<'_>, company_id: i64) -> rusqlite::Result<Vec<i64>> {
    let mut stmt =
        tx.prepare("SELECT id FROM nominations WHERE company_id = ?1 AND state = 'approvata'")?;
    let ids = stmt
        .query_map(params![company_id], |r| r.get(0))?
        .collect::<Result<Vec<_>, _>>()?;
    Ok(ids)
}

pub fn decide(
    tx: &Transaction<'_>,
    id: i64,
    state: &str,
    reason: Option<&str>,
) -> rusqlite::Result<()> {
    tx.execute(
        "UPDATE nominations SET state = ?2, reason = ?3, decided_at = ?4 WHERE id = ?1",
        params![id, state, reason, super::now_text()],
    )?;
    Ok(())
}

impl Store {
    pub fn nominations(&self, state: Option<&str>) -> Result<Vec<Nomination>, StoreError> {
        let mut stmt = self.conn.prepare(&format!(
            "{SELECT} WHERE (?1 IS NULL OR n.state = ?1) ORDER BY n.id"
        ))?;
        let rows = stmt
            .query_map(params![state], row)?
            .collect::<Result<Vec<_>, _>>()?;
        Ok(rows)
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
        let mut stmt = self.conn.prepare_cached(&format!(
            "{SELECT} WHERE (?1 IS NULL OR n.state = ?1) ORDER BY n.id LIMIT ?2 OFFSET ?3"
        ))?;
        let rows = stmt
            .query_map(params![state, limit, offset], row)?
            .collect::<Result<Vec<_>, _>>()?;
        Ok(rows)
    }

    pub fn nominations_count(&self, state: Option<&str>) -> Result<i64, StoreError> {
        Ok(self.conn.query_row(
            "SELECT count(*) FROM nominations WHERE (?1 IS NULL OR state = ?1)",
            params![state],
            |r| r.get(0),
        )?)
    }

    pub fn nomination(&self, id: i64) -> Result<Option<Nomination>, StoreError> {
        Ok(self
            .conn
            .query_row(&format!("{SELECT} WHERE n.id = ?1"), params![id], row)
            .optional()?)
    }

    /// The delegation form first, then the identity documents.
    pub fn nomination_documents(&self, id: i64) -> Result<Vec<AttachedDocument>, StoreError> {
        let mut stmt = self.conn.prepare(
            "SELECT d.sha256, d.kind, d.original_name, d.size, NULL FROM nominations n
               JOIN documents d ON d.sha256 = n.form_sha256 WHERE n.id = ?1
             UNION ALL
             SELECT d.sha256, d.kind, d.original_name, d.size, i.expires_on FROM nomination_id_documents i
               JOIN documents d ON d.sha256 = i.document_sha256 WHERE i.nomination_id = ?1",
        )?;
        let rows = stmt
            .query_map(params![id], |r| {
                Ok(AttachedDocument {
                    sha256: r.get(0)?,
                    kind: r.get(1)?,
                    original_name: r.get(2)?,
                    size: r.get(3)?,
                    expires_on: r.get(4)?,
                })
            })?
            .collect::<Result<Vec<_>, _>>()?;
        Ok(rows)
    }
}
