//! The tamper-evident audit log: each row's hash covers its content and the previous row's
//! hash. Appended inside the transaction of the change it records.

use serde::Serialize;

use super::db::{Db, DbError, Row as DbRow};
use crate::crypto::algorithms::DigestAlgorithm;
use crate::crypto::digest::digest;

use super::{Store, StoreError};

pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// What a change records.
#[derive(Debug, Clone)]
pub struct Entry<'a> {
    pub officer_id: Option<i64>,
    pub session_id: Option<i64>,
    pub action: &'a str,
    pub entity: &'a str,
    pub summary: &'a str,
    pub evidence_sha256: Option<&'a str>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Row {
    pub seq: i64,
    pub at: String,
    pub officer_id: Option<i64>,
    pub session_id: Option<i64>,
    pub action: String,
    pub entity: String,
    pub summary: String,
    pub evidence_sha256: Option<String>,
    pub prev_hash: String,
    pub hash: String,
}

/// The hash of a row: fields separated by the ASCII unit separator so no field can run
/// into the next.
fn row_hash(seq: i64, at: &str, e: &Entry<'_>, prev: &str) -> String {
    let opt = |v: Option<i64>| v.map(|n| n.to_string()).unwrap_or_default();
    let text = [
        seq.to_string(),
        at.to_string(),
        opt(e.officer_id),
        opt(e.session_id),
        e.action.to_string(),
        e.entity.to_string(),
        e.summary.to_string(),
        e.evidence_sha256.unwrap_or("").to_string(),
        prev.to_string(),
    ]
    .join("\u{1f}");
    hex::encode(digest(DigestAlgorithm::Sha256, text.as_bytes()))
}

/// The newest row's seq and hash, if any.
pub fn last(tx: &Db<'_>) -> Result<Option<(i64, String)>, DbError> {
    tx.query_opt(
        "SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1",
        &[],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )
}

/// Appends `entry` in the caller's transaction (which holds the registry's write lock, so no
/// other desk appends in between).
pub fn append(tx: &Db<'_>, entry: &Entry<'_>) -> Result<i64, DbError> {
    let (seq, prev) = match last(tx)? {
        Some((s, h)) => (s + 1, h),
        None => (1, GENESIS.to_string()),
    };
    let at = tx.audit_time()?;
    let hash = row_hash(seq, &at, entry, &prev);
    insert_row(
        tx,
        &Row {
            seq,
            at,
            officer_id: entry.officer_id,
            session_id: entry.session_id,
            action: entry.action.to_string(),
            entity: entry.entity.to_string(),
            summary: entry.summary.to_string(),
            evidence_sha256: entry.evidence_sha256.map(str::to_string),
            prev_hash: prev,
            hash,
        },
    )?;
    Ok(seq)
}

/// Writes a row exactly as given (appending, or copying a log from another registry).
pub fn insert_row(tx: &Db<'_>, row: &Row) -> Result<(), DbError> {
    tx.execute(
        "INSERT INTO audit_log (seq, at, officer_id, session_id, action, entity, summary, evidence_sha256, prev_hash, hash)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
        &[
            row.seq.into(),
            row.at.as_str().into(),
            row.officer_id.into(),
            row.session_id.into(),
            row.action.as_str().into(),
            row.entity.as_str().into(),
            row.summary.as_str().into(),
            row.evidence_sha256.as_deref().into(),
            row.prev_hash.as_str().into(),
            row.hash.as_str().into(),
        ],
    )?;
    Ok(())
}

/// One row as every audit query selects it: seq, at, officer_id, session_id, action, entity,
/// summary, evidence_sha256, prev_hash, hash.
fn row_from(r: &DbRow<'_>) -> Result<Row, DbError> {
    Ok(Row {
        seq: r.get(0)?,
        at: r.get(1)?,
        officer_id: r.get(2)?,
        session_id: r.get(3)?,
        action: r.get(4)?,
        entity: r.get(5)?,
        summary: r.get(6)?,
        evidence_sha256: r.get(7)?,
        prev_hash: r.get(8)?,
        hash: r.get(9)?,
    })
}

/// The outcome of recomputing the chain.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ChainCheck {
    pub rows: i64,
    /// The first row that does not fit the chain, and why.
    pub first_broken: Option<(i64, String)>,
}

impl Store {
    pub fn audit_rows(&self) -> Result<Vec<Row>, StoreError> {
        Ok(self.db().query_map(
            "SELECT seq, at, officer_id, session_id, action, entity, summary, evidence_sha256, prev_hash, hash
             FROM audit_log ORDER BY seq",
            &[],
            row_from,
        )?)
    }

    /// Recomputes every hash; names the first row that was edited, removed or inserted.
    pub fn audit_verify(&self) -> Result<ChainCheck, StoreError> {
        let rows = self.audit_rows()?;
        let mut prev = GENESIS.to_string();
        for (expected_seq, row) in (1i64..).zip(rows.iter()) {
            let broken = |why: &str| ChainCheck {
                rows: rows.len() as i64,
                first_broken: Some((row.seq, why.to_string())),
            };
            if row.seq != expected_seq {
                return Ok(broken("a row is missing before this one"));
            }
            if row.prev_hash != prev {
                return Ok(broken(
                    "it does not follow the previous row (a row was removed or replaced)",
                ));
            }
            let entry = Entry {
                officer_id: row.officer_id,
                session_id: row.session_id,
                action: &row.action,
                entity: &row.entity,
                summary: &row.summary,
                evidence_sha256: row.evidence_sha256.as_deref(),
            };
            if row_hash(row.seq, &row.at, &entry, &row.prev_hash) != row.hash {
                return Ok(broken("its content was changed after it was written"));
            }
            prev = row.hash.clone();
        }
        let rows_len = rows.len() as i64;
        let truncated = |why: String| ChainCheck {
            rows: rows_len,
            first_broken: Some((rows_len + 1, why)),
        };
        if let Some(why) = self.office_head_disagrees(&rows)? {
            return Ok(truncated(why));
        }
        match super::audit_head::read(&self.path) {
            Ok(None) => {}
            Ok(Some((seq, hash))) => match rows.iter().find(|r| r.seq == seq) {
                Some(row) if row.hash == hash => {}
                Some(_) => {
                    return Ok(truncated(format!(
                        "row {seq} is not the one recorded as the newest (rows were replaced)"
                    )))
                }
                None => {
                    return Ok(truncated(format!(
                        "the log went up to row {seq}: rows after {rows_len} were deleted"
                    )))
                }
            },
            Err(_) => {
                return Ok(truncated(
                    "the record of the newest row beside the database is damaged".into(),
                ))
            }
        }
        Ok(ChainCheck {
            rows: rows_len,
            first_broken: None,
        })
    }
}

impl Store {
    /// On a server the desks also keep the newest row in the registry (`audit_head`, moved
    /// forward in each change's transaction): rows deleted or replaced at the end of the log
    /// show against it even on a desk that never wrote them.
    fn office_head_disagrees(&self, rows: &[Row]) -> Result<Option<String>, StoreError> {
        if !self.is_postgres() {
            return Ok(None);
        }
        let head: Option<(i64, String)> =
            self.db()
                .query_opt("SELECT seq, hash FROM audit_head WHERE one = 1", &[], |r| {
                    Ok((r.get(0)?, r.get(1)?))
                })?;
        let Some((seq, hash)) = head else {
            return Ok(None);
        };
        Ok(match rows.iter().find(|r| r.seq == seq) {
            Some(row) if row.hash == hash => None,
            Some(_) => Some(format!(
                "row {seq} is not the one the registry recorded as the newest (rows were replaced)"
            )),
            None => Some(format!(
                "the registry recorded the log up to row {seq}: rows after {} were deleted",
                rows.len()
            )),
        })
    }

    /// One page of the log, newest first: the viewer never loads the whole chain.
    pub fn audit_page(&self, offset: i64, limit: i64) -> Result<Vec<Row>, StoreError> {
        Ok(self.db().query_map(
            "SELECT seq, at, officer_id, session_id, action, entity, summary, evidence_sha256, prev_hash, hash
             FROM audit_log ORDER BY seq DESC LIMIT ?1 OFFSET ?2",
            &[limit.into(), offset.into()],
            row_from,
        )?)
    }

    pub fn audit_count(&self) -> Result<i64, StoreError> {
        Ok(self
            .db()
            .query_row("SELECT count(*) FROM audit_log", &[], |r| r.get(0))?)
    }
}
