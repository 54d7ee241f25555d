//! People, legal representatives and procuratori.

use rusqlite::{params, OptionalExtension, Transaction};

pub fn insert(
    tx: &Transaction<'_>,
    cf: &str,
    surname: &str,
    name: &str,
    citizen: bool,
) -> rusqlite::Result<i64> {
    let now = super::now_text();
    tx.execute(
        "INSERT INTO people (codice_fiscale, surname, name, citizen_since, created_at) VALUES (?1, ?2, ?3, ?4, ?5)",
        params![cf, surname, name, citizen.then_some(now.as_str()), now],
    )?;
    Ok(tx.last_insert_rowid())
}

pub fn id_by_cf(tx: &Transaction<'_>, cf: &str) -> rusqlite::Result<Option<i64>> {
    tx.query_row(
        "SELECT id FROM people WHERE codice_fiscale = ?1",
        params![cf],
        |r| r.get(0),
    )
    .optional()
}

/// "SURNAME NAME" of the person with this codice fiscale.
pub fn name_by_cf(tx: &Transaction<'_>, cf: &str) -> rusqlite::Result<Option<String>> {
    tx.query_row(
        "SELECT surname || ' ' || name FROM people WHERE codice_fiscale = ?1",
        params![cf],
        |r| r.get(0),
    )
    .optional()
}

pub fn add_representative(
    tx: &Transaction<'_>,
    company_id: i64,
    person_id: i64,
    role: &str,
    procura_sha256: Option<&str>,
) -> rusqlite::Result<()> {
    tx.execute(
        "INSERT INTO representatives (company_id, person_id, role, procura_sha256, created_at) VALUES (?1, ?2, ?3, ?4, ?5)",
        params![company_id, person_id, role, procura_sha256, super::now_text()],
    )?;
    Ok(())
}

/// Codici fiscali of the company's signatories: legal representatives, and procuratori
/// (whose procura is on file, as the schema requires).
pub fn signatories(
    tx: &Transaction<'_>,
    company_id: i64,
) -> rusqlite::Result<Vec<(String, String)>> {
    let mut stmt = tx.prepare(
        "SELECT p.codice_fiscale, r.role FROM representatives r JOIN people p ON p.id = r.person_id
         WHERE r.company_id = ?1 ORDER BY p.codice_fiscale",
    )?;
    let rows = stmt
        .query_map(params![company_id], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<Result<Vec<_>, _>>()?;
    Ok(rows)
}
