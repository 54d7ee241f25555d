//! People, legal representatives and procuratori.

use super::db::{Db, DbError};

pub fn insert(
    tx: &Db<'_>,
    cf: &str,
    surname: &str,
    name: &str,
    citizen: bool,
) -> Result<i64, DbError> {
    let now = super::now_text();
    tx.query_row(
        "INSERT INTO people (codice_fiscale, surname, name, citizen_since, created_at) VALUES (?1, ?2, ?3, ?4, ?5)
         RETURNING id",
        &[
            cf.into(),
            surname.into(),
            name.into(),
            citizen.then_some(now.as_str()).into(),
            now.as_str().into(),
        ],
        |r| r.get(0),
    )
}

pub fn id_by_cf(tx: &Db<'_>, cf: &str) -> Result<Option<i64>, DbError> {
    tx.query_opt(
        "SELECT id FROM people WHERE codice_fiscale = ?1",
        &[cf.into()],
        |r| r.get(0),
    )
}

/// "SURNAME NAME" of the person with this codice fiscale.
pub fn name_by_cf(tx: &Db<'_>, cf: &str) -> Result<Option<String>, DbError> {
    tx.query_opt(
        "SELECT surname || ' ' || name FROM people WHERE codice_fiscale = ?1",
        &[cf.into()],
        |r| r.get(0),
    )
}

pub fn add_representative(
    tx: &Db<'_>,
    company_id: i64,
    person_id: i64,
    role: &str,
    procura_sha256: Option<&str>,
) -> Result<(), DbError> {
    tx.execute(
        "INSERT INTO representatives (company_id, person_id, role, procura_sha256, created_at) VALUES (?1, ?2, ?3, ?4, ?5)",
        &[
            company_id.into(),
            person_id.into(),
            role.into(),
            procura_sha256.into(),
            super::now_text().as_str().into(),
        ],
    )?;
    Ok(())
}

/// Codici fiscali of the company's signatories: legal representatives, and procuratori
/// (whose procura is on file, as the schema requires).
pub fn signatories(tx: &Db<'_>, company_id: i64) -> Result<Vec<(String, String)>, DbError> {
    tx.query_map(
        "SELECT p.codice_fiscale, r.role FROM representatives r JOIN people p ON p.id = r.person_id
         WHERE r.company_id = ?1 ORDER BY p.codice_fiscale",
        &[company_id.into()],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )
}
