//! The one small interface both engines implement: run a statement, read one row, read many
//! rows. Every store file keeps ONE SQL text with `?1, ?2` placeholders; for PostgreSQL they
//! are renumbered `$1, $2` here (SQLite's own `$N` would number them by first appearance).
//! The registry holds a `&Db` inside its transaction and never learns which engine it is.

use std::cell::{Cell, RefCell};

use postgres::types::{IsNull, ToSql as PgToSql, Type};
use rusqlite::types::{ToSqlOutput, ValueRef};

use super::server::{note, Failure};

/// A statement's argument: the few shapes the registry stores.
#[derive(Debug, Clone, Copy)]
pub enum Value<'a> {
    Null,
    Int(i64),
    Text(&'a str),
    Bytes(&'a [u8]),
}

impl From<i64> for Value<'_> {
    fn from(v: i64) -> Self {
        Value::Int(v)
    }
}
impl<'a> From<&'a str> for Value<'a> {
    fn from(v: &'a str) -> Self {
        Value::Text(v)
    }
}
impl<'a> From<&'a String> for Value<'a> {
    fn from(v: &'a String) -> Self {
        Value::Text(v)
    }
}
impl<'a> From<&'a [u8]> for Value<'a> {
    fn from(v: &'a [u8]) -> Self {
        Value::Bytes(v)
    }
}
impl<'a, T: Into<Value<'a>>> From<Option<T>> for Value<'a> {
    fn from(v: Option<T>) -> Self {
        v.map_or(Value::Null, Into::into)
    }
}

impl rusqlite::ToSql for Value<'_> {
    fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
        Ok(ToSqlOutput::Borrowed(match *self {
            Value::Null => ValueRef::Null,
            Value::Int(v) => ValueRef::Integer(v),
            Value::Text(v) => ValueRef::Text(v.as_bytes()),
            Value::Bytes(v) => ValueRef::Blob(v),
        }))
    }
}

impl PgToSql for Value<'_> {
    fn to_sql(
        &self,
        ty: &Type,
        out: &mut postgres::types::private::BytesMut,
    ) -> Result<IsNull, Box<dyn std::error::Error + Sync + Send>> {
        match *self {
            Value::Null => Ok(IsNull::Yes),
            Value::Int(v) => v.to_sql(ty, out),
            Value::Text(v) => v.to_sql(ty, out),
            Value::Bytes(v) => v.to_sql(ty, out),
        }
    }

    // The column decides; a mismatch (e.g. text into bigint) is reported by the delegate.
    fn accepts(_ty: &Type) -> bool {
        true
    }

    postgres::types::to_sql_checked!();
}

#[derive(Debug, thiserror::Error)]
pub enum DbError {
    #[error("{0}")]
    Sqlite(#[from] rusqlite::Error),
    #[error("{}", pg_message(.0))]
    Postgres(#[from] postgres::Error),
    #[error("a query expected one row and found none")]
    NoRow,
    #[error("cannot reach the registry server: {0}")]
    Connect(String),
    /// The connection dropped while COMMIT was on its way: the change may or may not be in.
    #[error("the connection to the registry was lost while committing ({0}): look the change up before repeating it")]
    CommitInDoubt(String),
    #[error("the registry stayed busy: gave up after {attempts} attempts ({last})")]
    GaveUp { attempts: u32, last: String },
}

/// The server's own words (a trigger's message included), not the crate's "db error".
fn pg_message(e: &postgres::Error) -> String {
    match e.as_db_error() {
        Some(db) => format!("{} ({})", db.message(), db.code().code()),
        None => e.to_string(),
    }
}

impl DbError {
    /// The SQLSTATE of a PostgreSQL error, if the server sent one.
    pub fn sqlstate(&self) -> Option<&str> {
        match self {
            DbError::Postgres(e) => e.code().map(|c| c.code()),
            _ => None,
        }
    }

    /// The connection to the server is gone (server restart, network): the transaction was
    /// rolled back by the server unless it was committing.
    pub fn connection_lost(&self) -> bool {
        match self {
            DbError::Postgres(e) => {
                e.is_closed() || (e.as_db_error().is_none() && e.code().is_none())
            }
            _ => false,
        }
    }
}

/// One value read back from a row.
pub trait FromColumn: Sized {
    fn from_sqlite(row: &rusqlite::Row<'_>, i: usize) -> rusqlite::Result<Self>;
    fn from_pg(row: &postgres::Row, i: usize) -> Result<Self, postgres::Error>;
}

macro_rules! same_cell {
    ($($t:ty),*) => {$(
        impl FromColumn for $t {
            fn from_sqlite(row: &rusqlite::Row<'_>, i: usize) -> rusqlite::Result<Self> {
                row.get(i)
            }
            fn from_pg(row: &postgres::Row, i: usize) -> Result<Self, postgres::Error> {
                row.try_get(i)
            }
        }
    )*};
}
same_cell!(
    i64,
    Option<i64>,
    String,
    Option<String>,
    Vec<u8>,
    Option<Vec<u8>>
);

/// Flags are `0/1` integers in both schemas; a PostgreSQL expression (`x IS NOT NULL`) is a
/// boolean.
impl FromColumn for bool {
    fn from_sqlite(row: &rusqlite::Row<'_>, i: usize) -> rusqlite::Result<Self> {
        row.get(i)
    }
    fn from_pg(row: &postgres::Row, i: usize) -> Result<Self, postgres::Error> {
        if row.columns().get(i).map(|c| c.type_()) == Some(&Type::BOOL) {
            row.try_get(i)
        } else {
            row.try_get::<_, i64>(i).map(|v| v != 0)
        }
    }
}

/// A row of either engine.
pub enum Row<'r> {
    Sqlite(&'r rusqlite::Row<'r>),
    Postgres(&'r postgres::Row),
}

impl Row<'_> {
    pub fn get<T: FromColumn>(&self, i: usize) -> Result<T, DbError> {
        match self {
            Row::Sqlite(r) => Ok(T::from_sqlite(r, i)?),
            Row::Postgres(r) => Ok(T::from_pg(r, i)?),
        }
    }
}

/// A connection or a transaction of either engine. Inside `Store::change` it is the change's
/// transaction; from the store's read methods it is the bare connection.
pub struct Db<'a> {
    handle: Handle<'a>,
    /// The first PostgreSQL failure seen, for `Store::change`'s retry loop: the change's
    /// own error type hides it, and once a statement failed the transaction is void anyway.
    failure: Cell<Option<Failure>>,
}

pub(crate) enum Handle<'a> {
    Sqlite(&'a rusqlite::Connection),
    PgClient(&'a RefCell<postgres::Client>),
    PgTx(RefCell<postgres::Transaction<'a>>),
}

/// `?N` placeholders renumbered `$N`. The store's SQL has no `?` inside string literals.
pub fn to_postgres(sql: &str) -> String {
    let mut out = String::with_capacity(sql.len());
    let mut chars = sql.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '?' && chars.peek().is_some_and(char::is_ascii_digit) {
            out.push('$');
        } else {
            out.push(c);
        }
    }
    out
}

fn pg_args<'v>(args: &'v [Value<'_>]) -> Vec<&'v (dyn PgToSql + Sync)> {
    args.iter().map(|a| a as &(dyn PgToSql + Sync)).collect()
}

impl<'a> Db<'a> {
    pub(crate) fn new(handle: Handle<'a>) -> Db<'a> {
        Db {
            handle,
            failure: Cell::new(None),
        }
    }

    pub(crate) fn into_handle(self) -> Handle<'a> {
        self.handle
    }

    pub(crate) fn failure(&self) -> Option<Failure> {
        self.failure.get()
    }

    /// Passes a PostgreSQL result through, remembering how it failed.
    fn pg<T>(&self, result: Result<T, postgres::Error>) -> Result<T, DbError> {
        result.map_err(|e| {
            let e = DbError::from(e);
            note(&self.failure, &e);
            e
        })
    }

    pub fn is_postgres(&self) -> bool {
        !matches!(self.handle, Handle::Sqlite(_))
    }

    /// Runs a statement; returns the rows it changed.
    pub fn execute(&self, sql: &str, args: &[Value<'_>]) -> Result<u64, DbError> {
        match &self.handle {
            Handle::Sqlite(c) => {
                let mut stmt = c.prepare_cached(sql)?;
                Ok(stmt.execute(rusqlite::params_from_iter(args.iter()))? as u64)
            }
            Handle::PgClient(c) => {
                self.pg(c.borrow_mut().execute(&to_postgres(sql), &pg_args(args)))
            }
            Handle::PgTx(t) => self.pg(t.borrow_mut().execute(&to_postgres(sql), &pg_args(args))),
        }
    }

    /// Every row, each turned into a `T` by `each`.
    pub fn query_map<T>(
        &self,
        sql: &str,
        args: &[Value<'_>],
        mut each: impl FnMut(&Row<'_>) -> Result<T, DbError>,
    ) -> Result<Vec<T>, DbError> {
        let pg_rows = match &self.handle {
            Handle::Sqlite(c) => {
                let mut stmt = c.prepare_cached(sql)?;
                let mut rows = stmt.query(rusqlite::params_from_iter(args.iter()))?;
                let mut out = Vec::new();
                while let Some(r) = rows.next()? {
                    out.push(each(&Row::Sqlite(r))?);
                }
                return Ok(out);
            }
            Handle::PgClient(c) => {
                self.pg(c.borrow_mut().query(&to_postgres(sql), &pg_args(args)))?
            }
            Handle::PgTx(t) => self.pg(t.borrow_mut().query(&to_postgres(sql), &pg_args(args)))?,
        };
        pg_rows.iter().map(|r| each(&Row::Postgres(r))).collect()
    }

    /// The first row, if any.
    pub fn query_opt<T>(
        &self,
        sql: &str,
        args: &[Value<'_>],
        mut each: impl FnMut(&Row<'_>) -> Result<T, DbError>,
    ) -> Result<Option<T>, DbError> {
        match &self.handle {
            Handle::Sqlite(c) => {
                let mut stmt = c.prepare_cached(sql)?;
                let mut rows = stmt.query(rusqlite::params_from_iter(args.iter()))?;
                match rows.next()? {
                    Some(r) => Ok(Some(each(&Row::Sqlite(r))?)),
                    None => Ok(None),
                }
            }
            Handle::PgClient(c) => {
                let row = self.pg(c.borrow_mut().query_opt(&to_postgres(sql), &pg_args(args)))?;
                row.map(|r| each(&Row::Postgres(&r))).transpose()
            }
            Handle::PgTx(t) => {
                let row = self.pg(t.borrow_mut().query_opt(&to_postgres(sql), &pg_args(args)))?;
                row.map(|r| each(&Row::Postgres(&r))).transpose()
            }
        }
    }

    /// Exactly one row expected (counts, `INSERT … RETURNING`).
    pub fn query_row<T>(
        &self,
        sql: &str,
        args: &[Value<'_>],
        each: impl FnMut(&Row<'_>) -> Result<T, DbError>,
    ) -> Result<T, DbError> {
        self.query_opt(sql, args, each)?.ok_or(DbError::NoRow)
    }

    /// Several statements without arguments (schema scripts).
    pub fn execute_batch(&self, sql: &str) -> Result<(), DbError> {
        match &self.handle {
            Handle::Sqlite(c) => Ok(c.execute_batch(sql)?),
            Handle::PgClient(c) => self.pg(c.borrow_mut().batch_execute(sql)),
            Handle::PgTx(t) => self.pg(t.borrow_mut().batch_execute(sql)),
        }
    }

    /// The time an audit row carries, RFC 3339 UTC with seconds. On PostgreSQL it is the
    /// server's clock read inside the locked transaction, so times grow with `seq` whatever
    /// the desks' clocks say (`now()` would be the transaction's start, before the lock wait).
    pub fn audit_time(&self) -> Result<String, DbError> {
        if !self.is_postgres() {
            return Ok(super::now_text());
        }
        self.query_row(
            "SELECT to_char(clock_timestamp() AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')",
            &[],
            |r| r.get(0),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::to_postgres;

    #[test]
    fn placeholders_are_renumbered_for_postgres() {
        assert_eq!(
            to_postgres("SELECT a FROM t WHERE b = ?1 AND (?2 IS NULL OR c = ?2) LIMIT ?10"),
            "SELECT a FROM t WHERE b = $1 AND ($2 IS NULL OR c = $2) LIMIT $10"
        );
        assert_eq!(to_postgres("SELECT '?' , x"), "SELECT '?' , x");
    }
}
