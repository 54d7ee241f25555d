//! The registry's storage: SQLite (one desk, the embedded default) or PostgreSQL (an office's
//! desks sharing one registry), opened with the right settings and migrated, and the queries
//! the desk workflow needs. SQL lives here and nowhere else; both engines run the same SQL
//! text through `db::Db`.

pub mod admin;
pub mod audit;
pub mod audit_head;
pub mod companies;
pub mod db;
pub mod documents;
pub mod grants;
pub mod location;
pub mod nominations;
pub mod officers;
pub mod people;
pub(crate) mod server;

use std::path::{Path, PathBuf};

use rusqlite::Connection;

pub use db::{Db, DbError};
pub use location::{Location, LocationError};

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
    Sql(#[from] DbError),
    #[error("the database has schema version {found}, newer than this program ({supported})")]
    TooNew { found: i64, supported: i64 },
    #[error("the database has an impossible schema version {0}")]
    BadVersion(i64),
}

impl From<rusqlite::Error> for StoreError {
    fn from(e: rusqlite::Error) -> Self {
        StoreError::Sql(DbError::Sqlite(e))
    }
}

pub struct Store {
    pub(crate) engine: Engine,
    /// The SQLite file, or (for a server) the name this desk's own files are kept under.
    pub path: PathBuf,
    /// Where documents are kept, content-addressed, beside a SQLite database (a server keeps
    /// them in the database).
    pub documents_dir: PathBuf,
}

pub(crate) enum Engine {
    Sqlite(Connection),
    Postgres(Box<server::Server>),
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
    /// Opens the registry where `location` says: a SQLite file or a PostgreSQL server.
    pub fn open_at(location: &Location) -> Result<Store, StoreError> {
        match location {
            Location::Sqlite(path) => Store::open(path),
            Location::Postgres { url, local } => Store::connect(url, local),
        }
    }

    /// Connects to a PostgreSQL registry and creates or migrates its schema (once, whatever
    /// the number of desks starting). `local` names this desk's own files.
    pub fn connect(url: &str, local: &Path) -> Result<Store, StoreError> {
        let server = server::Server::connect(url)?;
        server.migrate()?;
        Ok(Store {
            engine: Engine::Postgres(Box::new(server)),
            path: local.to_path_buf(),
            documents_dir: documents::default_dir(local),
        })
    }

    pub fn is_postgres(&self) -> bool {
        matches!(self.engine, Engine::Postgres(_))
    }

    /// The bare connection, for reads outside a transaction.
    pub fn db(&self) -> Db<'_> {
        match &self.engine {
            Engine::Sqlite(conn) => Db::new(db::Handle::Sqlite(conn)),
            Engine::Postgres(server) => {
                if let Err(e) = server.reconnect_if_closed() {
                    log::warn!("registry server unreachable: {e}");
                }
                Db::new(db::Handle::PgClient(&server.client))
            }
        }
    }

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
            engine: Engine::Sqlite(conn),
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
        let Engine::Sqlite(conn) = &mut self.engine else {
            return Ok(());
        };
        let version: i64 = conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
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
        let tx = conn.transaction()?;
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

    /// Runs `change` in one transaction that holds the registry's write lock from its first
    /// statement (SQLite `BEGIN IMMEDIATE`, PostgreSQL `pg_advisory_xact_lock`); on any error
    /// nothing of it is kept. On PostgreSQL the change may run again when the server asks
    /// (serialization failure, deadlock, lock timeout, connection lost before the commit),
    /// so it must not have effects outside the transaction that a second run would repeat.
    pub fn change<T, E: From<DbError>>(
        &mut self,
        mut change: impl FnMut(&Db<'_>) -> Result<T, E>,
    ) -> Result<T, E> {
        let value = match &mut self.engine {
            Engine::Sqlite(conn) => {
                let tx = conn
                    .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)
                    .map_err(DbError::from)?;
                let value = change(&Db::new(db::Handle::Sqlite(&tx)))?;
                tx.commit().map_err(DbError::from)?;
                value
            }
            Engine::Postgres(server) => server.change(change)?,
        };
        self.record_audit_head();
        Ok(value)
    }

    /// After a commit: remember how far the audit chain goes (see audit_head). A failure
    /// here loses no data, only the truncation check's reach, so it is logged, not returned.
    fn record_audit_head(&self) {
        let head = self.db().query_opt(
            "SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1",
            &[],
            |r| Ok((r.get::<i64>(0)?, r.get::<String>(1)?)),
        );
        if let Ok(Some((seq, hash))) = head {
            if let Err(e) = audit_head::advance(&self.path, seq, &hash) {
                log::warn!("audit head not recorded: {e}");
            }
        }
    }

    /// Runs `read` in one deferred transaction: a consistent view, no write lock taken.
    pub fn read<T, E: From<DbError>>(
        &mut self,
        read: impl FnOnce(&Db<'_>) -> Result<T, E>,
    ) -> Result<T, E> {
        match &mut self.engine {
            Engine::Sqlite(conn) => {
                let tx = conn
                    .transaction_with_behavior(rusqlite::TransactionBehavior::Deferred)
                    .map_err(DbError::from)?;
                let value = read(&Db::new(db::Handle::Sqlite(&tx)))?;
                tx.finish().map_err(DbError::from)?;
                Ok(value)
            }
            Engine::Postgres(server) => server.read(read),
        }
    }

    /// SQLite's own consistency check; PostgreSQL has no equivalent (its pages carry
    /// checksums when the cluster was made with them) and answers "ok".
    pub fn integrity_check(&self) -> Result<String, StoreError> {
        match &self.engine {
            Engine::Sqlite(conn) => Ok(conn.query_row("PRAGMA integrity_check", [], |r| r.get(0))?),
            Engine::Postgres(_) => Ok("ok".into()),
        }
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
