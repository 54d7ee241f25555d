//! SQLite: opening with the right pragmas, migrations from `schema.sql`, and the queries the
//! desk workflow needs. SQL lives here and nowhere else.

pub mod audit;
pub mod audit_head;
pub mod companies;
pub mod documents;
pub mod grants;
pub mod nominations;
pub mod officers;
pub mod people;

use std::path::{Path, PathBuf};

use rusqlite::Connection;

/// The documented schema, whole and current, applied to a new database.
const SCHEMA: &str = include_str!("../../schema.sql");
/// Steps from each older version to the next: `MIGRATIONS[i]` takes version `i + 1` to `i + 2`.
const MIGRATIONS: &[&str] = &[
    include_str!("../../migrations/002_session_end.sql"),
    include_str!("../../migrations/003_companies_by_name.sql"),
];
pub const SCHEMA_VERSION: i64 = 1 + MIGRATIONS.len() as i64;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("database {path}: {source}")]
    Open {
        path: PathBuf,
        source: rusqlite::Error,
    },
    #[error("cannot prepare {path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("database error: {0}")]
    Sql(#[from] rusqlite::Error),
    #[error("the database has schema version {found}, newer than this program ({supported})")]
    TooNew { found: i64, supported: i64 },
    #[error("the database has an impossible schema version {0}")]
    BadVersion(i64),
}

pub struct Store {
    pub(crate) conn: Connection,
    pub path: PathBuf,
    /// Where documents are kept, content-addressed, beside the database.
    pub documents_dir: PathBuf,
}

/// `<data dir>/sportello.db`.
pub fn default_path(data_dir: &Path) -> PathBuf {
    data_dir.join("sportello.db")
}

#[cfg(unix)]
pub(crate) fn owner_only(path: &Path, mode: u32) -> Result<(), StoreError> {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).map_err(|source| {
        StoreError::Io {
            path: path.to_path_buf(),
            source,
        }
    })
}

#[cfg(not(unix))]
pub(crate) fn owner_only(_path: &Path, _mode: u32) -> Result<(), StoreError> {
    Ok(())
}

impl Store {
    /// Opens (creating if needed) the database: WAL, foreign keys, a busy timeout so two
    /// desks on one file wait instead of failing, owner-only permissions, migrations.
    pub fn open(path: &Path) -> Result<Store, StoreError> {
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).map_err(|source| StoreError::Io {
                path: dir.to_path_buf(),
                source,
            })?;
        }
        let open_error = |source| StoreError::Open {
            path: path.to_path_buf(),
            source,
        };
        let conn = Connection::open(path).map_err(open_error)?;
        owner_only(path, 0o600)?;
        conn.pragma_update(None, "journal_mode", "WAL")
            .map_err(open_error)?;
        conn.pragma_update(None, "foreign_keys", "ON")
            .map_err(open_error)?;
        conn.pragma_update(None, "synchronous", "FULL")
            .map_err(open_error)?;
        conn.busy_timeout(std::time::Duration::from_secs(10))
            .map_err(open_error)?;
        let mut store = Store {
            conn,
            path: path.to_path_buf(),
            documents_dir: documents::default_dir(path),
        };
        store.migrate()?;
        // The WAL and shared-memory files hold the same data: owner-only too.
        for suffix in ["-wal", "-shm"] {
            let side = PathBuf::from(format!("{}{suffix}", path.display()));
            if side.exists() {
                owner_only(&side, 0o600)?;
            }
        }
        Ok(store)
    }

    fn migrate(&mut self) -> Result<(), StoreError> {
        let version: i64 = self
            .conn
            .pragma_query_value(None, "user_version", |r| r.get(0))?;
        if version > SCHEMA_VERSION {
            return Err(StoreError::TooNew {
                found: version,
                supported: SCHEMA_VERSION,
            });
        }
        if version == SCHEMA_VERSION {
            return Ok(());
        }
        // One transaction for the whole climb: a failed step leaves the old version intact.
        let tx = self.conn.transaction()?;
        if version == 0 {
            tx.execute_batch(SCHEMA)?;
        } else {
            let applied =
                usize::try_from(version - 1).map_err(|_| StoreError::BadVersion(version))?;
            for step in MIGRATIONS.iter().skip(applied) {
                tx.execute_batch(step)?;
            }
        }
        tx.pragma_update(None, "user_version", SCHEMA_VERSION)?;
        tx.commit()?;
        Ok(())
    }

    /// Runs `change` in one transaction; on any error nothing of it is kept.
    pub fn change<T, E: From<rusqlite::Error>>(
        &mut self,
        change: impl FnOnce(&rusqlite::Transaction<'_>) -> Result<T, E>,
    ) -> Result<T, E> {
        let tx = self
            .conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        let value = change(&tx)?;
        tx.commit()?;
        self.record_audit_head();
        Ok(value)
    }

    /// After a commit: remember how far the audit chain goes (see audit_head). A failure
    /// here loses no data, only the truncation check's reach, so it is logged, not returned.
    fn record_audit_head(&self) {
        let head = self.conn.query_row(
            "SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1",
            [],
            |r| Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?)),
        );
        if let Ok((seq, hash)) = head {
            if let Err(e) = audit_head::advance(&self.path, seq, &hash) {
                log::warn!("audit head not recorded: {e}");
            }
        }
    }

    /// Runs `read` in one deferred transaction: a consistent view, no write lock taken.
    pub fn read<T, E: From<rusqlite::Error>>(
        &mut self,
        read: impl FnOnce(&rusqlite::Transaction<'_>) -> Result<T, E>,
    ) -> Result<T, E> {
        let tx = self
            .conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Deferred)?;
        let value = read(&tx)?;
        tx.finish()?;
        Ok(value)
    }

    pub fn integrity_check(&self) -> Result<String, StoreError> {
        Ok(self
            .conn
            .query_row("PRAGMA integrity_check", [], |r| r.get(0))?)
    }
}

/// The file beside the database that holds the desk's open session id (written by card
/// login, owner-only). The session itself is checked in the database on every change.
pub fn session_file(db: &Path) -> PathBuf {
    PathBuf::from(format!("{}.session", db.display()))
}

/// Records the open session for later commands.
pub fn write_session_file(db: &Path, session_id: i64) -> Result<(), StoreError> {
    let path = session_file(db);
    std::fs::write(&path, session_id.to_string()).map_err(|source| StoreError::Io {
        path: path.clone(),
        source,
    })?;
    owner_only(&path, 0o600)
}

/// Forgets the recorded session (logout). A missing file is already forgotten.
pub fn remove_session_file(db: &Path) -> Result<(), StoreError> {
    let path = session_file(db);
    match std::fs::remove_file(&path) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(source) => Err(StoreError::Io { path, source }),
    }
}

/// The session id recorded for this database, if any.
pub fn read_session_file(db: &Path) -> Option<i64> {
    std::fs::read_to_string(session_file(db))
        .ok()?
        .trim()
        .parse()
        .ok()
}

/// Now, as stored: RFC 3339 UTC with seconds.
pub fn now_text() -> String {
    let now = time::OffsetDateTime::now_utc();
    crate::envelope::asn1_time::rfc3339(now.replace_nanosecond(0).unwrap_or(now))
}
