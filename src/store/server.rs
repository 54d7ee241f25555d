//! PostgreSQL as the office's shared registry: connecting with the desk's settings, creating
//! the schema once under an advisory lock, and running each change the way SQLite's
//! `BEGIN IMMEDIATE` does — one writer at a time — so the audit chain stays linear and the
//! registry's check-then-insert rules hold across desks.

use std::cell::{Cell, RefCell};
use std::time::Duration;

use postgres::{Client, Config, IsolationLevel, NoTls};

use super::db::{Db, DbError, Handle};
use super::StoreError;

/// The schema for PostgreSQL, whole and current (version 3, as `schema.sql`).
const SCHEMA: &str = include_str!("../../schema.postgres.sql");
/// Steps from each older PostgreSQL schema to the next, `MIGRATIONS[i]` from version `3 + i`.
/// None yet: the first PostgreSQL schema is the current one.
const MIGRATIONS: &[&str] = &[];
const FIRST_VERSION: i64 = 3;

/// `pg_advisory_xact_lock` keys ("sportell" and the next number): every change takes the
/// first, schema creation and migrations the second.
pub const REGISTRY_LOCK: i64 = 0x7370_6f72_7465_6c6c;
pub const MIGRATION_LOCK: i64 = REGISTRY_LOCK + 1;

/// How long a change waits for the registry lock before giving up this attempt (like
/// SQLite's busy timeout), and how long a desk may sit inside a transaction doing nothing
/// (a frozen desk must not hold the audit chain forever). The connection string's own
/// `options=-c …` come after these and win.
const DEFAULT_OPTIONS: &str = "-c lock_timeout=10s -c idle_in_transaction_session_timeout=30s";
/// Attempts of one change when the server answers "try again" (serialization failure,
/// deadlock, lock timeout) or the connection dropped before the commit.
pub const MAX_ATTEMPTS: u32 = 5;

/// Why a statement of the current attempt failed, as far as retrying is concerned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Failure {
    /// 40001, 40P01, 55P03: the whole change can run again.
    Retry(&'static str),
    /// The connection is gone before COMMIT: the server rolled the change back.
    Lost,
    Other,
}

pub(crate) fn classify(e: &DbError) -> Failure {
    match e.sqlstate() {
        Some("40001") => Failure::Retry("serialization failure"),
        Some("40P01") => Failure::Retry("deadlock"),
        Some("55P03") => Failure::Retry("lock timeout"),
        Some(_) => Failure::Other,
        None if e.connection_lost() => Failure::Lost,
        None => Failure::Other,
    }
}

pub(crate) struct Server {
    pub(crate) client: RefCell<Client>,
    config: Config,
}

/// `sportello-desk <host> <pid>`: what `db status` lists as a connected desk.
fn application_name() -> String {
    let host = std::fs::read_to_string("/etc/hostname")
        .map(|h| h.trim().to_string())
        .unwrap_or_default();
    format!("sportello-desk {host} {}", std::process::id())
}

impl Server {
    pub(crate) fn connect(url: &str) -> Result<Server, StoreError> {
        let mut config: Config = url
            .parse()
            .map_err(|e: postgres::Error| StoreError::Sql(DbError::Connect(e.to_string())))?;
        if config.get_application_name().is_none() {
            config.application_name(&application_name());
        }
        let options = match config.get_options() {
            Some(own) => format!("{DEFAULT_OPTIONS} {own}"),
            None => DEFAULT_OPTIONS.to_string(),
        };
        config.options(&options);
        if config.get_connect_timeout().is_none() {
            config.connect_timeout(Duration::from_secs(10));
        }
        let client = open_client(&config).map_err(StoreError::Sql)?;
        Ok(Server {
            client: RefCell::new(client),
            config,
        })
    }

    /// A new connection when the old one died (the server restarted, the network dropped).
    pub(crate) fn reconnect_if_closed(&self) -> Result<(), DbError> {
        if self.client.borrow().is_closed() {
            let fresh = open_client(&self.config)?;
            *self.client.borrow_mut() = fresh;
        }
        Ok(())
    }

    /// Creates the schema on an empty database, or climbs the migrations, once even when
    /// several desks start together.
    pub(crate) fn migrate(&self) -> Result<(), StoreError> {
        let mut client = self.client.borrow_mut();
        let mut tx = client.transaction().map_err(DbError::from)?;
        tx.execute("SELECT pg_advisory_xact_lock($1)", &[&MIGRATION_LOCK])
            .map_err(DbError::from)?;
        let exists: bool = tx
            .query_one("SELECT to_regclass('schema_version') IS NOT NULL", &[])
            .and_then(|r| r.try_get(0))
            .map_err(DbError::from)?;
        let version: i64 = if exists {
            tx.query_one("SELECT coalesce(max(version), 0) FROM schema_version", &[])
                .and_then(|r| r.try_get(0))
                .map_err(DbError::from)?
        } else {
            0
        };
        let current = FIRST_VERSION + MIGRATIONS.len() as i64;
        if version > current {
            return Err(StoreError::TooNew {
                found: version,
                supported: current,
            });
        }
        if version == current {
            return Ok(());
        }
        if version == 0 {
            tx.batch_execute(SCHEMA).map_err(DbError::from)?;
        } else {
            let applied = usize::try_from(version - FIRST_VERSION)
                .map_err(|_| StoreError::BadVersion(version))?;
            for step in MIGRATIONS.iter().skip(applied) {
                tx.batch_execute(step).map_err(DbError::from)?;
            }
        }
        tx.execute("UPDATE schema_version SET version = $1", &[&current])
            .map_err(DbError::from)?;
        tx.commit().map_err(DbError::from)?;
        Ok(())
    }

    /// Runs `change` in one READ COMMITTED transaction that first takes the registry lock,
    /// retrying the whole change when the server says to. A change that fails for its own
    /// reasons (a refusal) is not retried.
    pub(crate) fn change<T, E: From<DbError>>(
        &self,
        mut change: impl FnMut(&Db<'_>) -> Result<T, E>,
    ) -> Result<T, E> {
        let mut last = String::new();
        for attempt in 1..=MAX_ATTEMPTS {
            if attempt > 1 {
                backoff(attempt);
            }
            self.reconnect_if_closed()?;
            let mut client = self.client.borrow_mut();
            let begun = client
                .build_transaction()
                .isolation_level(IsolationLevel::ReadCommitted)
                .start()
                .map_err(DbError::from);
            let tx = match begun {
                Ok(tx) => tx,
                Err(e) => match classify(&e) {
                    Failure::Lost | Failure::Retry(_) => {
                        last = e.to_string();
                        continue;
                    }
                    Failure::Other => return Err(e.into()),
                },
            };
            let db = Db::new(Handle::PgTx(RefCell::new(tx)));
            let outcome = db
                .execute("SELECT pg_advisory_xact_lock(?1)", &[REGISTRY_LOCK.into()])
                .map_err(E::from)
                .and_then(|_| change(&db))
                .and_then(|value| {
                    db.execute(
                        "INSERT INTO audit_head (one, seq, hash)
                         SELECT 1, seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1
                         ON CONFLICT (one) DO UPDATE SET seq = excluded.seq, hash = excluded.hash
                         WHERE audit_head.seq <> excluded.seq",
                        &[],
                    )
                    .map_err(E::from)?;
                    Ok(value)
                });
            let failure = db.failure();
            let Handle::PgTx(tx) = db.into_handle() else {
                unreachable!("a change runs in a PostgreSQL transaction")
            };
            let tx = tx.into_inner();
            match outcome {
                Ok(value) => match tx.commit().map_err(DbError::from) {
                    Ok(()) => return Ok(value),
                    Err(e) => match classify(&e) {
                        // Sent or not, we cannot know: the caller looks its row up.
                        Failure::Lost => return Err(DbError::CommitInDoubt(e.to_string()).into()),
                        Failure::Retry(why) => last = format!("{why}: {e}"),
                        Failure::Other => return Err(e.into()),
                    },
                },
                Err(refusal) => {
                    drop(tx);
                    match failure {
                        Some(Failure::Retry(why)) => last = why.to_string(),
                        Some(Failure::Lost) => last = "connection lost".to_string(),
                        _ => return Err(refusal),
                    }
                }
            }
            log::info!("registry change retried (attempt {attempt}): {last}");
        }
        Err(DbError::GaveUp {
            attempts: MAX_ATTEMPTS,
            last,
        }
        .into())
    }

    /// Runs `read` in one read-only REPEATABLE READ transaction: a consistent view.
    pub(crate) fn read<T, E: From<DbError>>(
        &self,
        read: impl FnOnce(&Db<'_>) -> Result<T, E>,
    ) -> Result<T, E> {
        self.reconnect_if_closed()?;
        let mut client = self.client.borrow_mut();
        let tx = client
            .build_transaction()
            .isolation_level(IsolationLevel::RepeatableRead)
            .read_only(true)
            .start()
            .map_err(DbError::from)?;
        let db = Db::new(Handle::PgTx(RefCell::new(tx)));
        read(&db)
    }
}

fn open_client(config: &Config) -> Result<Client, DbError> {
    config
        .connect(NoTls)
        .map_err(|e| DbError::Connect(DbError::from(e).to_string()))
}

/// A short, growing, slightly scattered pause, so desks that collided do not collide again.
fn backoff(attempt: u32) {
    let mut jitter = [0u8; 1];
    let _ = getrandom::fill(&mut jitter);
    let millis = 20 * u64::from(attempt) + u64::from(jitter[0] % 40);
    std::thread::sleep(Duration::from_millis(millis));
}

/// Remembers, for the retry loop, the first failure of a statement in this attempt.
pub(crate) fn note(slot: &Cell<Option<Failure>>, e: &DbError) {
    if slot.get().is_none() {
        slot.set(Some(classify(e)));
    }
}
