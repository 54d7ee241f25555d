//! Content-addressed documents: a row with size, kind, original name and (for signed files)
//! the verification report; the bytes in a file under `<documents>/<sha256>` beside a SQLite
//! database (owner-only), or in the row itself on a server that desks on several machines
//! share.

use std::path::{Path, PathBuf};

use super::db::{Db, DbError, Row};

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
    tx: &Db<'_>,
    dir: &Path,
    bytes: &[u8],
    kind: &str,
    original_name: &str,
    verification: Option<&str>,
) -> Result<String, super::StoreError> {
    let sha = hex::encode(digest(DigestAlgorithm::Sha256, bytes));
    if tx.is_postgres() {
        tx.execute(
            "INSERT INTO documents (sha256, size, kind, original_name, stored_at, verification, content)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) ON CONFLICT DO NOTHING",
            &[
                sha.as_str().into(),
                (bytes.len() as i64).into(),
                kind.into(),
                original_name.into(),
                super::now_text().as_str().into(),
                verification.into(),
                bytes.into(),
            ],
        )?;
        return Ok(sha);
    }
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
        "INSERT INTO documents (sha256, size, kind, original_name, stored_at, verification)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT DO NOTHING",
        &[
            sha.as_str().into(),
            (bytes.len() as i64).into(),
            kind.into(),
            original_name.into(),
            super::now_text().as_str().into(),
            verification.into(),
        ],
    )?;
    Ok(sha)
}

fn document_from(r: &Row<'_>) -> Result<StoredDocument, DbError> {
    Ok(StoredDocument {
        sha256: r.get(0)?,
        kind: r.get(1)?,
        original_name: r.get(2)?,
        verification: r.get(3)?,
    })
}

pub fn get(tx: &Db<'_>, sha: &str) -> Result<Option<StoredDocument>, DbError> {
    tx.query_opt(
        "SELECT sha256, kind, original_name, verification FROM documents WHERE sha256 = ?1",
        &[sha.into()],
        document_from,
    )
}

/// `<data dir>/documents`, beside the database.
pub fn default_dir(db_path: &Path) -> PathBuf {
    db_path.parent().unwrap_or(Path::new(".")).join("documents")
}

impl super::Store {
    /// A stored document's row (with its verification report, when signed).
    pub fn document(&self, sha: &str) -> Result<Option<StoredDocument>, super::StoreError> {
        Ok(self.db().query_opt(
            "SELECT sha256, kind, original_name, verification FROM documents WHERE sha256 = ?1",
            &[sha.into()],
            document_from,
        )?)
    }

    /// A stored document's bytes: from the row on a server, from the file beside a SQLite
    /// database. `None` when there is no such document (or its file is gone).
    pub fn document_content(&self, sha: &str) -> Result<Option<Vec<u8>>, super::StoreError> {
        if self.is_postgres() {
            return Ok(self.db().query_opt(
                "SELECT content FROM documents WHERE sha256 = ?1",
                &[sha.into()],
                |r| r.get(0),
            )?);
        }
        if sha.len() != 64 || !sha.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Ok(None);
        }
        match std::fs::read(self.documents_dir.join(sha)) {
            Ok(bytes) => Ok(Some(bytes)),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(source) => Err(super::StoreError::Io {
                path: self.documents_dir.join(sha),
                source,
            }),
        }
    }
}
