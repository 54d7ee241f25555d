//! Report files for a batch of verifications, chosen by the file's extension: the JSON array
//! of `sportello.verify/1` reports, a CSV sheet with one row per signature, or the printable
//! PDF. Every format reads the same `verify::Report` structs. A report file is written whole
//! or not at all, owner-only, and never over an existing file unless asked.

pub mod csv;
pub mod pdf;

use std::fs::{self, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};

use crate::i18n::Lang;
use crate::trust::store::ListStatus;
use crate::verify::Report;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Json,
    Csv,
    Pdf,
}

impl Format {
    pub fn from_path(path: &Path) -> Option<Format> {
        let ext = path.extension()?.to_str()?.to_ascii_lowercase();
        match ext.as_str() {
            "json" => Some(Format::Json),
            "csv" => Some(Format::Csv),
            "pdf" => Some(Format::Pdf),
            _ => None,
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    #[error("{0} already exists")]
    Exists(PathBuf),
    #[error("cannot write {path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("cannot encode the report: {0}")]
    Encode(String),
    #[error(transparent)]
    Pdf(#[from] crate::pdf::PdfError),
}

/// What the printed report says besides the reports themselves.
#[derive(Debug, Clone)]
pub struct Context {
    pub lang: Lang,
    /// The trusted lists the verification used.
    pub lists: Vec<ListStatus>,
    /// When the report is produced (RFC 3339).
    pub produced_at: String,
}

/// The bytes of a report file in `format`.
pub fn encode(
    format: Format,
    reports: &[Report],
    context: &Context,
) -> Result<Vec<u8>, ExportError> {
    match format {
        Format::Json => {
            serde_json::to_vec_pretty(reports).map_err(|e| ExportError::Encode(e.to_string()))
        }
        Format::Csv => Ok(csv::encode(reports, context.lang)),
        Format::Pdf => Ok(pdf::encode(reports, context)?),
    }
}

/// Writes `bytes` to `path`: first to a hidden file beside it, then linked into place, so a
/// reader never sees half a report; without `force` an existing file is left alone, even
/// one that appears meanwhile.
pub fn write_new(path: &Path, bytes: &[u8], force: bool) -> Result<(), ExportError> {
    let io = |source| ExportError::Io {
        path: path.to_path_buf(),
        source,
    };
    if !force && fs::symlink_metadata(path).is_ok() {
        return Err(ExportError::Exists(path.to_path_buf()));
    }
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "report".into());
    let partial = dir.join(format!(".{name}.partial-{}", std::process::id()));
    let mut options = OpenOptions::new();
    options.write(true).create_new(true);
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let written = options.open(&partial).and_then(|mut file| {
        file.write_all(bytes)?;
        file.sync_all()
    });
    if let Err(e) = written {
        let _ = fs::remove_file(&partial);
        return Err(io(e));
    }
    let placed = if force {
        fs::rename(&partial, path)
    } else {
        // A hard link fails if the name was taken meanwhile: no overwrite even in a race.
        let linked = fs::hard_link(&partial, path);
        let _ = fs::remove_file(&partial);
        linked
    };
    match placed {
        Ok(()) => Ok(()),
        Err(e) => {
            let _ = fs::remove_file(&partial);
            if e.kind() == std::io::ErrorKind::AlreadyExists {
                Err(ExportError::Exists(path.to_path_buf()))
            } else {
                Err(io(e))
            }
        }
    }
}
