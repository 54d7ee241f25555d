//! Companies, their declared kinds and units.

use serde::Serialize;

use super::db::{Db, DbError, Row};
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

pub fn id_by_cf(tx: &Db<'_>, cf: &str) -> Result<Option<i64>, DbError> {
    tx.query_opt(
        "SELECT id FROM companies WHERE codice_fiscale = ?1",
        &[cf.into()],
        |r| r.get(0),
    )
}

pub fn exists(tx: &Db<'_>, cf: &str) -> Result<bool, DbError> {
    Ok(id_by_cf(tx, cf)?.is_some())
}

/// Inserts the company, its kinds and its default unit.
pub fn insert(tx: &Db<'_>, company: &NewCompany<'_>, default_unit: &str) -> Result<i64, DbError> {
    let now = super::now_text();
    let id: i64 = tx.query_row(
        "INSERT INTO companies (codice_fiscale, name, registered_office, pec, created_at) VALUES (?1, ?2, ?3, ?4, ?5)
         RETURNING id",
        &[
            company.codice_fiscale.into(),
            company.name.into(),
            company.registered_office.into(),
            company.pec.into(),
            now.as_str().into(),
        ],
        |r| r.get(0),
    )?;
    for (kind, register) in company.kinds {
        tx.execute(
            "INSERT INTO company_kinds (company_id, kind, register_details) VALUES (?1, ?2, ?3)",
            &[id.into(), kind.into(), register.as_deref().into()],
        )?;
    }
    tx.execute(
        "INSERT INTO units (company_id, name, is_default, created_at) VALUES (?1, ?2, 1, ?3)",
        &[id.into(), default_unit.into(), now.as_str().into()],
    )?;
    Ok(id)
}

pub fn setting(tx: &Db<'_>, key: &str) -> Result<Option<String>, DbError> {
    tx.query_opt(
        "SELECT value FROM settings WHERE key = ?1",
        &[key.into()],
        |r| r.get(0),
    )
}

pub fn set_setting(tx: &Db<'_>, key: &str, value: &str) -> Result<(), DbError> {
    tx.execute(
        "INSERT INTO settings (key, value) VALUES (?1, ?2) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
        &[key.into(), value.into()],
    )?;
    Ok(())
}

pub fn insert_unit(tx: &Db<'_>, company_id: i64, name: &str) -> Result<i64, DbError> {
    tx.query_row(
        "INSERT INTO units (company_id, name, is_default, created_at) VALUES (?1, ?2, 0, ?3) RETURNING id",
        &[company_id.into(), name.into(), super::now_text().as_str().into()],
        |r| r.get(0),
    )
}

fn pair(r: &Row<'_>) -> Result<(String, String), DbError> {
    Ok((r.get(0)?, r.get(1)?))
}

impl Store {
    pub fn company(&self, cf: &str) -> Result<Option<Company>, StoreError> {
        let db = self.db();
        let base = db.query_opt(
            "SELECT id, codice_fiscale, name, registered_office, pec FROM companies WHERE codice_fiscale = ?1",
            &[cf.into()],
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
        )?;
        let Some(mut company) = base else {
            return Ok(None);
        };
        let id = [company.id.into()];
        company.kinds = db.query_map(
            "SELECT kind, register_details FROM company_kinds WHERE company_id = ?1 ORDER BY kind",
            &id,
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?;
        company.units = db.query_map(
            "SELECT name FROM units WHERE company_id = ?1 ORDER BY is_default DESC, name",
            &id,
            |r| r.get(0),
        )?;
        company.representatives = db.query_map(
            "SELECT p.codice_fiscale, p.surname || ' ' || p.name, r.role FROM representatives r
             JOIN people p ON p.id = r.person_id WHERE r.company_id = ?1 ORDER BY r.role, p.surname",
            &id,
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )?;
        company.administrators = db.query_map(
            "SELECT p.codice_fiscale FROM nominations n JOIN people p ON p.id = n.admin_person_id
             WHERE n.company_id = ?1 AND n.state = 'approvata' ORDER BY n.id",
            &id,
            |r| r.get(0),
        )?;
        Ok(Some(company))
    }

    /// Companies whose name or codice fiscale contains `filter` (all when empty).
    pub fn companies(&self, filter: &str) -> Result<Vec<(String, String)>, StoreError> {
        let pattern = format!("%{}%", filter.replace(['%', '_'], ""));
        Ok(self.db().query_map(
            "SELECT codice_fiscale, name FROM companies WHERE lower(name) LIKE lower(?1) OR lower(codice_fiscale) LIKE lower(?1)
             ORDER BY name",
            &[pattern.as_str().into()],
            pair,
        )?)
    }
}

/// Changes what may change of a company: everything but its codice fiscale.
pub fn update(
    tx: &Db<'_>,
    id: i64,
    name: &str,
    registered_office: Option<&str>,
    pec: Option<&str>,
) -> Result<(), DbError> {
    tx.execute(
        "UPDATE companies SET name = ?2, registered_office = ?3, pec = ?4 WHERE id = ?1",
        &[id.into(), name.into(), registered_office.into(), pec.into()],
    )?;
    Ok(())
}

/// `%filter%` for LIKE, with the caller's wildcards removed so a search means what it says.
/// Both sides are lowered: SQLite's LIKE ignores ASCII case, PostgreSQL's does not.
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
        let pattern = like_pattern(filter);
        Ok(self.db().query_map(
            "SELECT codice_fiscale, name FROM companies WHERE lower(name) LIKE lower(?1) OR lower(codice_fiscale) LIKE lower(?1)
             ORDER BY name, codice_fiscale LIMIT ?2 OFFSET ?3",
            &[pattern.as_str().into(), limit.into(), offset.into()],
            pair,
        )?)
    }

    /// How many companies match `filter` (all when empty).
    pub fn companies_count(&self, filter: &str) -> Result<i64, StoreError> {
        if filter.trim().is_empty() {
            return Ok(self
                .db()
                .query_row("SELECT count(*) FROM companies", &[], |r| r.get(0))?);
        }
        let pattern = like_pattern(filter);
        Ok(self.db().query_row(
            "SELECT count(*) FROM companies WHERE lower(name) LIKE lower(?1) OR lower(codice_fiscale) LIKE lower(?1)",
            &[pattern.as_str().into()],
            |r| r.get(0),
        )?)
    }
}

/// Replaces the company's declared kinds.
pub fn replace_kinds(
    tx: &Db<'_>,
    company_id: i64,
    kinds: &[(String, Option<String>)],
) -> Result<(), DbError> {
    tx.execute(
        "DELETE FROM company_kinds WHERE company_id = ?1",
        &[company_id.into()],
    )?;
    for (kind, register) in kinds {
        tx.execute(
            "INSERT INTO company_kinds (company_id, kind, register_details) VALUES (?1, ?2, ?3)",
            &[
                company_id.into(),
                kind.as_str().into(),
                register.as_deref().into(),
            ],
        )?;
    }
    Ok(())
}
