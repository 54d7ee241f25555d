//! The registry's own administration: what `db status` reports, the desk role `db init`
//! grants, and `db copy` from one registry into an empty one (a desk's SQLite file into the
//! office's server), rows, documents and audit log alike.

use serde::Serialize;

use super::db::{Db, DbError, Value};
use super::{audit, Engine, Store, StoreError};

#[derive(Debug, Clone, Serialize)]
pub struct Status {
    pub engine: &'static str,
    pub schema_version: i64,
    pub size_bytes: i64,
    /// `application_name` of the desks connected now (PostgreSQL only).
    pub connected_desks: Vec<String>,
    pub audit_rows: i64,
    pub last_audit_row: Option<audit::Row>,
}

impl Store {
    pub fn status(&self) -> Result<Status, StoreError> {
        let db = self.db();
        let last_audit_row = self.audit_page(0, 1)?.into_iter().next();
        let audit_rows = self.audit_count()?;
        Ok(match &self.engine {
            Engine::Sqlite(_) => Status {
                engine: "sqlite",
                schema_version: db.query_row("PRAGMA user_version", &[], |r| r.get(0))?,
                size_bytes: db.query_row(
                    "SELECT page_count * page_size FROM pragma_page_count(), pragma_page_size()",
                    &[],
                    |r| r.get(0),
                )?,
                connected_desks: Vec::new(),
                audit_rows,
                last_audit_row,
            },
            Engine::Postgres(_) => Status {
                engine: "postgresql",
                schema_version: db.query_row(
                    "SELECT max(version) FROM schema_version",
                    &[],
                    |r| r.get(0),
                )?,
                size_bytes: db.query_row(
                    "SELECT pg_database_size(current_database())",
                    &[],
                    |r| r.get(0),
                )?,
                connected_desks: db.query_map(
                    "SELECT application_name FROM pg_stat_activity
                     WHERE datname = current_database() AND application_name LIKE 'sportello-desk%'
                     ORDER BY application_name",
                    &[],
                    |r| r.get(0),
                )?,
                audit_rows,
                last_audit_row,
            },
        })
    }
}

#[derive(Debug, thiserror::Error)]
pub enum AdminError {
    #[error("{0} is not a valid role name (lower-case letters, digits and _)")]
    BadRoleName(String),
    #[error("the desk role {0} must be neither a superuser nor the owner of the tables")]
    RoleTooPowerful(String),
    #[error("db init and db copy's target need a PostgreSQL registry")]
    NotPostgres,
    #[error("the target registry is not empty ({0}): copying is refused")]
    TargetNotEmpty(String),
    #[error("the audit chain of the {side} registry is broken at row {seq}: {why}")]
    ChainBroken {
        side: &'static str,
        seq: i64,
        why: String,
    },
    #[error("document {0} is recorded but its content is missing")]
    MissingDocument(String),
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("database error: {0}")]
    Sql(#[from] DbError),
}

/// What a desk may do: read everything, add rows, change the rows the workflow changes. No
/// DELETE, no TRUNCATE, no UPDATE of the audit log, no DDL (so no trigger can be dropped).
const DESK_GRANTS: &[&str] = &[
    "GRANT USAGE ON SCHEMA public TO {role}",
    "GRANT SELECT, INSERT ON ALL TABLES IN SCHEMA public TO {role}",
    "GRANT UPDATE ON companies, sessions, nominations, grants, settings, audit_head TO {role}",
    "GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {role}",
    "REVOKE INSERT ON schema_version FROM {role}",
];

fn valid_role(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= 63
        && name.starts_with(|c: char| c.is_ascii_lowercase() || c == '_')
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
}

impl Store {
    /// Creates the desk role if missing (LOGIN, no password: the office sets one or uses
    /// peer/certificate authentication) and grants it what desks need. Run as the owner.
    pub fn grant_desk_role(&mut self, role: &str) -> Result<(), AdminError> {
        if !self.is_postgres() {
            return Err(AdminError::NotPostgres);
        }
        // Role names cannot be bound as parameters; this one is checked to be a plain
        // identifier and quoted, so it cannot carry SQL.
        if !valid_role(role) {
            return Err(AdminError::BadRoleName(role.to_string()));
        }
        let quoted = format!("\"{role}\"");
        self.change(|tx: &Db<'_>| -> Result<(), AdminError> {
            let existing: Option<(bool, bool)> = tx.query_opt(
                "SELECT r.rolsuper, r.rolname = (SELECT tableowner FROM pg_tables WHERE tablename = 'audit_log' AND schemaname = 'public')
                 FROM pg_roles r WHERE r.rolname = ?1",
                &[role.into()],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )?;
            match existing {
                Some((superuser, owner)) if superuser || owner => {
                    return Err(AdminError::RoleTooPowerful(role.to_string()))
                }
                Some(_) => {}
                None => {
                    tx.execute(&format!("CREATE ROLE {quoted} LOGIN"), &[])?;
                }
            }
            for grant in DESK_GRANTS {
                tx.execute(&grant.replace("{role}", &quoted), &[])?;
            }
            Ok(())
        })
    }
}

/// The tables in the order their references allow, each with its columns and whether they
/// hold integers (`true`) or text.
const TABLES: &[(&str, &[(&str, bool)])] = &[
    (
        "officers",
        &[
            ("id", true),
            ("codice_fiscale", false),
            ("name", false),
            ("active", true),
            ("created_at", false),
        ],
    ),
    (
        "sessions",
        &[
            ("id", true),
            ("officer_id", true),
            ("started_at", false),
            ("expires_at", false),
            ("evidence_sha256", false),
            ("ended_at", false),
        ],
    ),
    (
        "companies",
        &[
            ("id", true),
            ("codice_fiscale", false),
            ("name", false),
            ("registered_office", false),
            ("pec", false),
            ("created_at", false),
        ],
    ),
    (
        "company_kinds",
        &[
            ("company_id", true),
            ("kind", false),
            ("register_details", false),
        ],
    ),
    (
        "units",
        &[
            ("id", true),
            ("company_id", true),
            ("name", false),
            ("is_default", true),
            ("created_at", false),
        ],
    ),
    (
        "people",
        &[
            ("id", true),
            ("codice_fiscale", false),
            ("surname", false),
            ("name", false),
            ("citizen_since", false),
            ("created_at", false),
        ],
    ),
    (
        "representatives",
        &[
            ("company_id", true),
            ("person_id", true),
            ("role", false),
            ("procura_sha256", false),
            ("created_at", false),
        ],
    ),
    (
        "nominations",
        &[
            ("id", true),
            ("company_id", true),
            ("admin_person_id", true),
            ("form_sha256", false),
            ("state", false),
            ("reason", false),
            ("submitted_at", false),
            ("decided_at", false),
        ],
    ),
    (
        "nomination_id_documents",
        &[
            ("nomination_id", true),
            ("document_sha256", false),
            ("expires_on", false),
        ],
    ),
    (
        "grants",
        &[
            ("id", true),
            ("company_id", true),
            ("person_id", true),
            ("profile", false),
            ("unit_id", true),
            ("state", false),
            ("granted_at", false),
            ("relationship_end", false),
            ("changed_at", false),
            ("reason", false),
        ],
    ),
];

/// Tables whose `id` is generated: the target's counter is moved past the copied ids.
const GENERATED_IDS: &[&str] = &[
    "officers",
    "sessions",
    "companies",
    "units",
    "people",
    "nominations",
    "grants",
];

#[derive(Debug, Clone, Serialize)]
pub struct CopyReport {
    /// (table, rows copied)
    pub tables: Vec<(String, i64)>,
    pub documents: i64,
    pub audit_rows: i64,
}

enum Cell {
    Int(Option<i64>),
    Text(Option<String>),
}

impl Cell {
    fn value(&self) -> Value<'_> {
        match self {
            Cell::Int(v) => (*v).into(),
            Cell::Text(v) => v.as_deref().into(),
        }
    }
}

fn chain_ok(store: &Store, side: &'static str) -> Result<i64, AdminError> {
    let check = store.audit_verify()?;
    match check.first_broken {
        None => Ok(check.rows),
        Some((seq, why)) => Err(AdminError::ChainBroken { side, seq, why }),
    }
}

/// Copies `from` into the empty PostgreSQL registry `to` in one transaction, verifying the
/// audit chain before (source) and after (target).
pub fn copy(from: &Store, to: &mut Store) -> Result<CopyReport, AdminError> {
    if !to.is_postgres() {
        return Err(AdminError::NotPostgres);
    }
    chain_ok(from, "source")?;
    let source = from.db();
    let mut read = Vec::new();
    for (table, columns) in TABLES {
        let names: Vec<&str> = columns.iter().map(|(c, _)| *c).collect();
        let rows = source.query_map(
            &format!("SELECT {} FROM {table}", names.join(", ")),
            &[],
            |r| {
                columns
                    .iter()
                    .enumerate()
                    .map(|(i, (_, int))| {
                        Ok(if *int {
                            Cell::Int(r.get(i)?)
                        } else {
                            Cell::Text(r.get(i)?)
                        })
                    })
                    .collect::<Result<Vec<_>, DbError>>()
            },
        )?;
        read.push((*table, names, rows));
    }
    let documents: Vec<(String, i64, String, String, String, Option<String>)> = source.query_map(
        "SELECT sha256, size, kind, original_name, stored_at, verification FROM documents",
        &[],
        |r| {
            Ok((
                r.get(0)?,
                r.get(1)?,
                r.get(2)?,
                r.get(3)?,
                r.get(4)?,
                r.get(5)?,
            ))
        },
    )?;
    let mut contents = Vec::with_capacity(documents.len());
    for (sha, ..) in &documents {
        contents.push(
            from.document_content(sha)?
                .ok_or_else(|| AdminError::MissingDocument(sha.clone()))?,
        );
    }
    let settings: Vec<(String, String)> =
        source.query_map("SELECT key, value FROM settings", &[], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })?;
    let audit_rows = from.audit_rows()?;

    let report = to.change(|tx: &Db<'_>| -> Result<CopyReport, AdminError> {
        let present: i64 = tx.query_row(
            "SELECT (SELECT count(*) FROM officers) + (SELECT count(*) FROM companies) + (SELECT count(*) FROM audit_log)",
            &[],
            |r| r.get(0),
        )?;
        if present > 0 {
            return Err(AdminError::TargetNotEmpty(format!("{present} officers, companies or audit rows")));
        }
        for ((sha, size, kind, name, stored_at, verification), bytes) in documents.iter().zip(&contents) {
            tx.execute(
                "INSERT INTO documents (sha256, size, kind, original_name, stored_at, verification, content)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                &[sha.into(), (*size).into(), kind.into(), name.into(), stored_at.into(), verification.as_deref().into(), bytes.as_slice().into()],
            )?;
        }
        let mut tables = Vec::new();
        for (table, names, rows) in &read {
            let placeholders: Vec<String> = (1..=names.len()).map(|i| format!("?{i}")).collect();
            let sql = format!(
                "INSERT INTO {table} ({}) VALUES ({})",
                names.join(", "),
                placeholders.join(", ")
            );
            for row in rows {
                let values: Vec<Value<'_>> = row.iter().map(Cell::value).collect();
                tx.execute(&sql, &values)?;
            }
            tables.push((table.to_string(), rows.len() as i64));
        }
        for table in GENERATED_IDS {
            tx.query_row(
                &format!("SELECT setval(pg_get_serial_sequence('{table}', 'id'), coalesce((SELECT max(id) FROM {table}), 0) + 1, false)"),
                &[],
                |_| Ok(()),
            )?;
        }
        for (key, value) in &settings {
            super::companies::set_setting(tx, key, value)?;
        }
        for row in &audit_rows {
            audit::insert_row(tx, row)?;
        }
        Ok(CopyReport {
            tables,
            documents: documents.len() as i64,
            audit_rows: audit_rows.len() as i64,
        })
    })?;
    chain_ok(to, "target")?;
    Ok(report)
}
