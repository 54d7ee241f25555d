//! Companies, their declared kinds and units.

use rusqlite::{params, OptionalExtension, Transaction};
use serde::Serialize;

use super::{Store, StoreError};

#[derive(Debug, Clone, Serialize)]
pub struct Company {
    pub id: i64,
    pub codice_fiscale: String,
    pub name: String,
    pub registered_office: Option<String>,
    pub pec: Option<String>,
    pub kinds: Vec<(String, Option<String>)>,
    pub units: Vec<String>,
    /// (codice fiscale, surname name, role)
    pub representatives: Vec<(String, String, String)>,
    /// Codici fiscali of approved administrators.
    pub administrators: Vec<String>,
}

pub struct NewCompany<'a> {
    pub codice_fiscale: &'a str,
    pub name: &'a str,
    pub registered_office: Option<&'a str>,
    pub pec: Option<&'a str>,
    pub kinds: &'a [(String, Option<String>)],
}

pub fn id_by_cf(tx: &Transaction<'_>, cf: &str) -> rusqlite::Result<Option<i64>> {
    tx.query_row(
        "SELECT id FROM companies WHERE codice_fiscale = ?1",
        params![cf],
        |r| r.get(0),
    )
    .optional()
}

pub fn exists(tx: &Transaction<'_>, cf: &str) -> rusqlite::Result<bool> {
    tx.query_row(
        "SELECT 1 FROM companies WHERE codice_fiscale = ?1",
        params![cf],
        |_| Ok(()),
    )
    .optional()
    .map(|r| r.is_some())
}

/// Inserts the company, its kinds and its default unit.
pub fn insert(
    tx: &Transaction<'_>,
    company: &NewCompany<'_>,
    default_unit: &str,
) -> rusqlite::Result<i64> {
    let now = super::now_text();
    tx.execute(
        "INSERT INTO companies (codice_fiscale, name, registered_office, pec, created_at) VALUES (?1, ?2, ?3, ?4, ?5)",
        params![company.codice_fiscale, company.name, company.registered_office, company.pec, now],
    )?;
    let id = tx.last_insert_rowid();
    for (kind, register) in company.kinds {
        tx.execute(
            "INSERT INTO company_kinds (company_id, kind, register_details) VALUES (?1, ?2, ?3)",
            params![id, kind, register],
        )?;
    }
    tx.execute(
        "INSERT INTO units (company_id, name, is_default, created_at) VALUES (?1, ?2, 1, ?3)",
        params![id, default_unit, now],
    )?;
    Ok(id)
}

pub fn setting(tx: &Transaction<'_>, key: &str) -> rusqlite::Result<Option<String>> {
    tx.query_row(
        "SELECT value FROM settings WHERE key = ?1",
        params![key],
        |r| r.get(0),
    )
    .optional()
}

pub fn set_setting(tx: &Transaction<'_>, key: &str, value: &str) -> rusqlite::Result<()> {
    tx.execute(
        "INSERT INTO settings (key, value) VALUES (?1, ?2) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
        params![key, value],
    )?;
    Ok(())
}

pub fn insert_unit(tx: &Transaction<'_>, company_id: i64, name: &str) -> rusqlite::Result<i64> {
    tx.execute(
        "INSERT INTO units (company_id, name, is_default, created_at) VALUES (?1, ?2, 0, ?3)",
        params![company_id, name, super::now_text()],
    )?;
    Ok(tx.last_insert_rowid())
}

impl Store {
    pub fn company(&self, cf: &str) -> Result<Option<Company>, StoreError> {
        let base = self
            .conn
            .query_row(
                "SELECT id, codice_fiscale, name, registered_office, pec FROM companies WHERE codice_fiscale = ?1",
                params![cf],
                |r| {
                    Ok(Company {
                        id: r.get(0)?,
                        codice_fiscale: r.get(1)?,
                        name: r.get(2)?,
                        registered_office: r.get(3)?,
                        pec: r.get(4)?,
                        kinds: Vec::new(),
                        units: Vec::new(),
                        representatives: Vec::new(),
                        administrators: Vec::new(),
                    })
                },
            )
            .optional()?;
        let Some(mut company) = base else {
            return Ok(None);
        };
        let mut kinds = self.conn.prepare(
            "SELECT kind, register_details FROM company_kinds WHERE company_id = ?1 ORDER BY kind",
        )?;
        company.kinds = kinds
            .query_map(params![company.id], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<Result<Vec<_>, _>>()?;
        let mut units = self.conn.prepare(
            "SELECT name FROM units WHERE company_id = ?1 ORDER BY is_default DESC, name",
        )?;
        company.units = units
            .query_map(params![company.id], |r| r.get(0))?
            .collect::<Result<Vec<_>, _>>()?;
        let mut reps = self.conn.prepare(
            "SELECT p.codice_fiscale, p.surname || ' ' || p.name, r.role FROM representatives r
             JOIN people p ON p.id = r.person_id WHERE r.company_id = ?1 ORDER BY r.role, p.surname",
        )?;
        company.representatives = reps
            .query_map(params![company.id], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?))
            })?
            .collect::<Result<Vec<_>, _>>()?;
        let mut admins = self.conn.prepare(
            "SELECT p.codice_fiscale FROM nominations n JOIN people p ON p.id = n.admin_person_id
             WHERE n.company_id = ?1 AND n.state = 'approvata' ORDER BY n.id",
        )?;
        company.administrators = admins
            .query_map(params![company.id], |r| r.get(0))?
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Some(company))
    }

    /// Companies whose name or codice fiscale contains `filter` (all when empty).
    pub fn companies(&self, filter: &str) -> Result<Vec<(String, String)>, StoreError> {
        let pattern = format!("%{}%", filter.replace(['%', '_'], ""));
        let mut stmt = self.conn.prepare(
            "SELECT codice_fiscale, name FROM companies WHERE name LIKE ?1 OR codice_fiscale LIKE ?1 ORDER BY name",
        )?;
        let rows = stmt
            .query_map(params![pattern], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<Result<Vec<_>, _>>()?;
        Ok(rows)
    }
}

/// Changes what may change of a company: everything but its codice fiscale.
pub fn update(
    tx: &Transaction<'_>,
    id: i64,
    name: &str,
    registered_office: Option<&str>,
    pec: Option<&str>,
) -> rusqlite::Result<()> {
    tx.execute(
        "UPDATE companies SET name = ?2, registered_office = ?3, pec = ?4 WHERE id = ?1",
        params![id, name, registered_office, pec],
    )?;
    Ok(())
}

/// `%filter%` for LIKE, with the caller's wildcards removed so a search means what it says.
fn like_pattern(filter: &str) -> String {
    format!("%{}%", filter.trim().replace(['%', '_'], ""))
}

impl Store {
    /// One page of companies whose name or codice fiscale contains `filter`, by name: the
    /// screens never hold the whole register.
    pub fn companies_page(
        &self,
        filter: &str,
        offset: i64,
        limit: i64,
    ) -> Result<Vec<(String, String)>, StoreError> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT codice_fiscale, name FROM companies WHERE name LIKE ?1 OR codice_fiscale LIKE ?1
             ORDER BY name, codice_fiscale LIMIT ?2 OFFSET ?3",
        )?;
        let rows = stmt
            .query_map(params![like_pattern(filter), limit, offset], |r| {
                Ok((r.get(0)?, r.get(1)?))
            })?
            .collect::<Result<Vec<_>, _>>()?;
        Ok(rows)
    }

    /// How many companies match `filter` (all when empty).
    pub fn companies_count(&self, filter: &str) -> Result<i64, StoreError> {
        if filter.trim().is_empty() {
            return Ok(self
                .conn
                .query_row("SELECT count(*) FROM companies", [], |r| r.get(0))?);
        }
        Ok(self.conn.query_row(
            "SELECT count(*) FROM companies WHERE name LIKE ?1 OR codice_fiscale LIKE ?1",
            params![like_pattern(filter)],
            |r| r.get(0),
        )?)
    }
}

/// Replaces the company's declared kinds.
pub fn replace_kinds(
    tx: &Transaction<'_>,
    company_id: i64,
    kinds: &[(String, Option<String>)],
) -> rusqlite::Result<()> {
    tx.execute(
        "DELETE FROM company_kinds WHERE company_id = ?1",
        params![company_id],
    )?;
    for (kind, register) in kinds {
        tx.execute(
            "INSERT INTO company_kinds (company_id, kind, register_details) VALUES (?1, ?2, ?3)",
            params![company_id, kind, register],
        )?;
    }
    Ok(())
}
