//! Content-addressed documents: the file under `<documents>/<sha256>`, owner-only, and a row
//! with size, kind, original name and (for signed files) the verification report.

use std::path::{Path, PathBuf};

use rusqlite::{params, OptionalExtension, Transaction};

use crate::crypto::algorithms::DigestAlgorithm;
use crate::crypto::digest::digest;

#[derive(Debug, Clone)]
pub struct StoredDocument {
    pub sha256: String,
    pub kind: String,
    pub original_name: String,
    pub verification: Option<String>,
}

/// Writes the bytes (atomically, once per content) and records the row in `tx`. A rolled-back
/// transaction may leave the file behind; it is harmless, being addressed by its content.
pub fn put(
    tx: &Transaction<'_>,
    dir: &Path,
    bytes: &[u8],
    kind: &str,
    original_name: &str,
    verification: Option<&str>,
) -> Result<String, super::StoreError> {
    let sha = hex::encode(digest(DigestAlgorithm::Sha256, bytes));
    let path = dir.join(&sha);
    if !path.exists() {
        std::fs::create_dir_all(dir).map_err(|source| super::StoreError::Io {
            path: dir.to_path_buf(),
            source,
        })?;
        super::owner_only(dir, 0o700)?;
        let partial = dir.join(format!(".{sha}.partial-{}", std::process::id()));
        let write = std::fs::write(&partial, bytes)
            .and_then(|()| std::fs::File::open(&partial).and_then(|f| f.sync_all()))
            .map_err(|source| super::StoreError::Io {
                path: partial.clone(),
                source,
            })
            .and_then(|()| super::owner_only(&partial, 0o600))
            .and_then(|()| {
                std::fs::rename(&partial, &path).map_err(|source| super::StoreError::Io {
                    path: path.clone(),
                    source,
                })
            });
        if let Err(e) = write {
            let _ = std::fs::remove_file(&partial);
            return Err(e);
        }
    }
    tx.execute(
        "INSERT OR IGNORE INTO documents (sha256, size, kind, original_name, stored_at, verification)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![sha, bytes.len() as i64, kind, original_name, super::now_text(), verification],
    )?;
    Ok(sha)
}

fn document_from(r: &rusqlite::Row<'_>) -> rusqlite::Result<StoredDocument> {
    Ok(StoredDocument {
        sha256: r.get(0)?,
        kind: r.get(1)?,
        original_name: r.get(2)?,
        verification: r.get(3)?,
    })
}

pub fn get(tx: &Transaction<'_>, sha: &str) -> rusqlite::Result<Option<StoredDocument>> {
    tx.query_row(
        "SELECT sha256, kind, original_name, verification FROM documents WHERE sha256 = ?1",
        params![sha],
        document_from,
    )
    .optional()
}

/// `<data dir>/documents`, beside the database.
pub fn default_dir(db_path: &Path) -> PathBuf {
    db_path.parent().unwrap_or(Path::new(".")).join("documents")
}

impl super::Store {
    /// A stored document's row (with its verification report, when signed).
    pub fn document(&self, sha: &str) -> Result<Option<StoredDocument>, super::StoreError> {
        Ok(self
            .conn
            .query_row(
                "SELECT sha256, kind, original_name, verification FROM documents WHERE sha256 = ?1",
                params![sha],
                document_from,
            )
            .optional()?)
    }
}
