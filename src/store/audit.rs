//! The tamper-evident audit log: each row's hash covers its content and the previous row's
//! hash. Appended inside the transaction of the change it records.

use rusqlite::{params, OptionalExtension, Transaction};
use serde::Serialize;

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

/// Appends `entry` in the caller's transaction.
pub fn append(tx: &Transaction<'_>, entry: &Entry<'_>) -> rusqlite::Result<i64> {
    let last: Option<(i64, String)> = tx
        .query_row(
            "SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?;
    let (seq, prev) = match last {
        Some((s, h)) => (s + 1, h),
        None => (1, GENESIS.to_string()),
    };
    let at = super::now_text();
    let hash = row_hash(seq, &at, entry, &prev);
    tx.execute(
        "INSERT INTO audit_log (seq, at, officer_id, session_id, action, entity, summary, evidence_sha256, prev_hash, hash)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
        params![seq, at, entry.officer_id, entry.session_id, entry.action, entry.entity, entry.summary, entry.evidence_sha256, prev, hash],
    )?;
    Ok(seq)
}

/// One row as every audit query selects it: seq, at, officer_id, session_id, action, entity,
/// summary, evidence_sha256, prev_hash, hash.
fn row_from(r: &rusqlite::Row<'_>) -> rusqlite::Result<Row> {
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
        let mut stmt = self.conn.prepare(
            "SELECT seq, at, officer_id, session_id, action, entity, summary, evidence_sha256, prev_hash, hash
             FROM audit_log ORDER BY seq",
        )?;
        let rows = stmt
            .query_map([], row_from)?
            .collect::<Result<Vec<_>, _>>()?;
        Ok(rows)
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
    /// One page of the log, newest first: the viewer never loads the whole chain.
    pub fn audit_page(&self, offset: i64, limit: i64) -> Result<Vec<Row>, StoreError> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT seq, at, officer_id, session_id, action, entity, summary, evidence_sha256, prev_hash, hash
             FROM audit_log ORDER BY seq DESC LIMIT ?1 OFFSET ?2",
        )?;
        let rows = stmt
            .query_map(params![limit, offset], row_from)?
            .collect::<Result<Vec<_>, _>>()?;
        Ok(rows)
    }

    pub fn audit_count(&self) -> Result<i64, StoreError> {
        Ok(self
            .conn
            .query_row("SELECT count(*) FROM audit_log", [], |r| r.get(0))?)
    }
}
