//! The newest audit row's seq and hash, kept in a file beside the database. The hash chain
//! shows an edited or removed row in the middle, but deleting the newest rows leaves a
//! shorter chain that still fits together; the head file remembers how far the chain went.
//! (Whoever can rewrite both files can still hide it: an office that needs more prints or
//! sends the head elsewhere — `audit verify --json` gives it.)

use std::io::Write;
use std::path::{Path, PathBuf};

use super::{owner_only, StoreError};

pub fn head_file(db: &Path) -> PathBuf {
    PathBuf::from(format!("{}.audit-head", db.display()))
}

/// The recorded head, if any: `(seq, hash)`. A damaged file reads as none and is reported by
/// the check as damaged, not trusted.
pub fn read(db: &Path) -> Result<Option<(i64, String)>, HeadError> {
    let text = match std::fs::read_to_string(head_file(db)) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(_) => return Err(HeadError::Unreadable),
    };
    let mut parts = text.split_whitespace();
    let seq = parts.next().and_then(|s| s.parse::<i64>().ok());
    let hash = parts
        .next()
        .filter(|h| h.len() == 64 && h.bytes().all(|b| b.is_ascii_hexdigit()));
    match (seq, hash, parts.next()) {
        (Some(seq), Some(hash), None) if seq > 0 => Ok(Some((seq, hash.to_string()))),
        _ => Err(HeadError::Damaged),
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HeadError {
    Unreadable,
    Damaged,
}

/// Records `(seq, hash)` unless the file already names a later row (another process may have
/// committed after us). Written to a temporary file and renamed, so a crash leaves either
/// the old head or the new one.
pub fn advance(db: &Path, seq: i64, hash: &str) -> Result<(), StoreError> {
    if let Ok(Some((recorded, _))) = read(db) {
        if recorded >= seq {
            return Ok(());
        }
    }
    let path = head_file(db);
    let tmp = PathBuf::from(format!("{}.tmp{}", path.display(), std::process::id()));
    let io = |source| StoreError::Io {
        path: path.clone(),
        source,
    };
    let mut file = std::fs::File::create(&tmp).map_err(io)?;
    owner_only(&tmp, 0o600)?;
    file.write_all(format!("{seq} {hash}\n").as_bytes())
        .and_then(|()| file.sync_all())
        .map_err(io)?;
    std::fs::rename(&tmp, &path).map_err(io)
}
