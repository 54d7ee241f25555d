//! Helpers shared by the integration tests.
#![allow(dead_code)]

pub mod postgres;

use std::path::{Path, PathBuf};

/// `../shared/` beside the repository (or `SPORTELLO_SHARED`). Tests that need it fail
/// loudly when it is missing: a skipped conformance test would check nothing.
pub fn shared_dir() -> PathBuf {
    let dir = std::env::var_os("SPORTELLO_SHARED")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared"));
    assert!(
        dir.join("corpus/MANIFEST.tsv").is_file(),
        "the shared test material is missing at {} (set SPORTELLO_SHARED)",
        dir.display()
    );
    dir
}

pub fn corpus_file(name: &str) -> PathBuf {
    shared_dir().join("corpus").join(name)
}

/// One row of corpus/MANIFEST.tsv.
#[derive(Debug, Clone)]
pub struct ManifestRow {
    pub file: String,
    pub what: String,
    pub encoding: String,
    pub expected: String,
    pub independent: String,
}

pub fn manifest() -> Vec<ManifestRow> {
    let text =
        std::fs::read_to_string(shared_dir().join("corpus/MANIFEST.tsv")).expect("read manifest");
    let mut lines = text.lines();
    let header: Vec<&str> = lines.next().expect("manifest header").split('\t').collect();
    let col = |name: &str| {
        header
            .iter()
            .position(|h| h.starts_with(name))
            .unwrap_or_else(|| panic!("manifest column {name} missing"))
    };
    let (f, w, e, x, i) = (
        col("file"),
        col("what"),
        col("encoding"),
        col("expected_outcome"),
        col("independent_crypto_check"),
    );
    lines
        .map(|l| l.split('\t').collect::<Vec<_>>())
        .filter(|cols| cols.len() > i && !cols[f].starts_with("../"))
        .map(|cols| ManifestRow {
            file: cols[f].to_string(),
            what: cols[w].to_string(),
            encoding: cols[e].to_string(),
            expected: cols[x].to_string(),
            independent: cols[i].to_string(),
        })
        .collect()
}

/// The engine a registry test runs on: every desk test runs on both (see `on_both_engines!`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// Which PostgreSQL database serves a test folder (one per folder, made on first use).
fn database_for(dir: &Path) -> String {
    use std::collections::HashMap;
    use std::sync::{Mutex, OnceLock};
    static BY_DIR: OnceLock<Mutex<HashMap<PathBuf, String>>> = OnceLock::new();
    let mut map = BY_DIR
        .get_or_init(Default::default)
        .lock()
        .unwrap_or_else(|p| p.into_inner());
    map.entry(dir.to_path_buf())
        .or_insert_with(postgres::fresh_database)
        .clone()
}

impl Backend {
    /// What `--db` says for the registry of the test folder `dir`.
    pub fn db_arg(self, dir: &Path) -> String {
        match self {
            Backend::Sqlite => dir.join("desk.db").display().to_string(),
            Backend::Postgres => database_for(dir),
        }
    }

    pub fn location(self, dir: &Path) -> sportello::store::Location {
        sportello::store::Location::parse(&self.db_arg(dir), dir).expect("location")
    }

    /// Opens (creating on first use) the registry of the test folder `dir`.
    pub fn open(self, dir: &Path) -> sportello::store::Store {
        sportello::store::Store::open_at(&self.location(dir)).expect("open")
    }

    /// Runs `sql` behind the program's back as the database's owner/superuser, with the
    /// append-only triggers out of the way: the tampering `audit verify` must still find.
    /// Returns the error text when the engine refused.
    pub fn tamper(self, dir: &Path, sql: &str) -> Result<(), String> {
        match self {
            Backend::Sqlite => {
                let sql = format!(
                    "DROP TRIGGER IF EXISTS audit_log_no_update; DROP TRIGGER IF EXISTS audit_log_no_delete; {sql}"
                );
                raw_sqlite(dir, &sql)
            }
            Backend::Postgres => raw_postgres(
                dir,
                &format!("SET session_replication_role = replica; {sql}"),
            ),
        }
    }

    /// Runs `sql` as the owner with every rule of the schema in force.
    pub fn raw(self, dir: &Path, sql: &str) -> Result<(), String> {
        match self {
            Backend::Sqlite => raw_sqlite(dir, sql),
            Backend::Postgres => raw_postgres(dir, sql),
        }
    }
}

fn raw_sqlite(dir: &Path, sql: &str) -> Result<(), String> {
    let out = std::process::Command::new("sqlite3")
        .arg(dir.join("desk.db"))
        .arg(sql)
        .output()
        .expect("the sqlite3 tool is needed (apt-get install sqlite3)");
    let stderr = String::from_utf8_lossy(&out.stderr).to_string();
    if out.status.success() && stderr.is_empty() {
        Ok(())
    } else {
        Err(stderr)
    }
}

fn raw_postgres(dir: &Path, sql: &str) -> Result<(), String> {
    let mut client = ::postgres::Client::connect(&database_for(dir), ::postgres::NoTls)
        .expect("connect as owner");
    client.batch_execute(sql).map_err(|e| {
        e.as_db_error()
            .map(|d| d.message().to_string())
            .unwrap_or_else(|| e.to_string())
    })
}

/// Generates `sqlite::NAME` and `postgres::NAME` tests from `fn NAME(backend: Backend)`.
#[macro_export]
macro_rules! on_both_engines {
    ($($name:ident),* $(,)?) => {
        mod sqlite {
            $(#[test]
            fn $name() {
                super::$name($crate::common::Backend::Sqlite)
            })*
        }
        mod postgres {
            $(#[test]
            fn $name() {
                super::$name($crate::common::Backend::Postgres)
            })*
        }
    };
}

/// A fresh desk database with its first officer and a live session for them, opened through
/// the store as card login will (the card part is issue 4).
pub fn officer_in_session(
    dir: &std::path::Path,
) -> (sportello::store::Store, sportello::registry::SessionRef) {
    officer_in_session_on(Backend::Sqlite, dir)
}

/// `officer_in_session` on the chosen engine.
pub fn officer_in_session_on(
    backend: Backend,
    dir: &std::path::Path,
) -> (sportello::store::Store, sportello::registry::SessionRef) {
    let mut store = backend.open(dir);
    let officer =
        sportello::registry::add_officer(&mut store, None, "BNCGNN70C15L219B", "Giovanni Bianchi")
            .expect("bootstrap officer");
    let session = store
        .change(|tx| sportello::store::officers::open_session(tx, officer, &"ab".repeat(32), 30))
        .expect("session");
    (store, sportello::registry::SessionRef(session))
}

/// A desk in `data` (database `db`) with an officer in session (its session file written),
/// the company ACME S.p.A., its legal representative MARIO ROSSI (the test PKI's signer) and
/// LUCIA VERDI, citizen, the administrator to be named: the counter where a form is signed.
pub fn acme_with_its_legal_representative(data: &Path, db: &Path) {
    use sportello::registry::{self, people, CompanyRequest};
    let (mut store, session) = officer_in_session(data);
    let request = CompanyRequest {
        codice_fiscale: "00743110157",
        name: "ACME S.p.A.",
        registered_office: None,
        pec: None,
        kinds: vec![("datore-privato".into(), None)],
    };
    registry::register_company(&mut store, Some(session), &request).expect("company");
    people::add_person(
        &mut store,
        Some(session),
        "RSSMRA80A01H501U",
        "ROSSI",
        "MARIO",
        false,
    )
    .expect("rep");
    people::add_person(
        &mut store,
        Some(session),
        "VRDLCU85M41F205J",
        "VERDI",
        "LUCIA",
        true,
    )
    .expect("admin");
    people::add_representative(
        &mut store,
        Some(session),
        "00743110157",
        "RSSMRA80A01H501U",
        None,
    )
    .expect("legal rep");
    sportello::store::write_session_file(db, session.0).expect("session file");
}
