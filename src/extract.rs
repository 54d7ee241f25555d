//! Writing the signed document out of an envelope: streamed chunk by chunk, never over an
//! existing file, readable by the owner only, and never left half-written.

use std::fs::{self, OpenOptions};
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use crate::envelope;

#[derive(Debug, thiserror::Error)]
pub enum ExtractError {
    #[error("no attached document to extract")]
    NothingToExtract,
    #[error("{0} already exists")]
    Exists(PathBuf),
    #[error("cannot write {path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
}

fn io(path: &Path) -> impl FnOnce(std::io::Error) -> ExtractError + '_ {
    move |source| ExtractError::Io {
        path: path.to_path_buf(),
        source,
    }
}

/// Extracts the innermost signed document of `data` into `dir/name`.
pub fn extract_document(data: &[u8], dir: &Path, name: &str) -> Result<PathBuf, ExtractError> {
    let buffers = envelope::Buffers::new();
    let env = envelope::open(data, &buffers).map_err(|_| ExtractError::NothingToExtract)?;
    let content = env
        .innermost_content()
        .ok_or(ExtractError::NothingToExtract)?;
    // Only the final path component of the suggested name: a crafted file name must not
    // write outside the chosen folder.
    let safe_name = Path::new(name)
        .file_name()
        .map(|n| n.to_os_string())
        .unwrap_or_else(|| "documento".into());
    let target = dir.join(&safe_name);
    if target.exists() {
        return Err(ExtractError::Exists(target));
    }
    let (partial, file) = create_partial(dir, &safe_name.to_string_lossy())?;
    let mut writer = BufWriter::new(file);
    let mut write_error = None;
    let walk = content.for_each_chunk(|chunk| {
        if write_error.is_none() {
            if let Err(e) = writer.write_all(chunk) {
                write_error = Some(e);
            }
        }
    });
    let finished = match (walk, write_error) {
        (Err(_), _) => Err(ExtractError::NothingToExtract),
        (Ok(()), Some(e)) => Err(io(&partial)(e)),
        (Ok(()), None) => writer
            .into_inner()
            .map_err(|e| io(&partial)(e.into_error()))
            .and_then(|f| f.sync_all().map_err(io(&partial))),
    };
    if let Err(e) = finished {
        let _ = fs::remove_file(&partial);
        return Err(e);
    }
    publish(&partial, target)
}

/// A new owner-only file beside the target, to be published with [`publish`].
fn create_partial(dir: &Path, name: &str) -> Result<(PathBuf, fs::File), ExtractError> {
    // Unique per call too: a batch extracts on several threads at once.
    static PARTIALS: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    let partial = dir.join(format!(
        ".{name}.partial-{}-{}",
        std::process::id(),
        PARTIALS.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
    ));
    let mut options = OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let file = options.open(&partial).map_err(io(&partial))?;
    Ok((partial, file))
}

/// Gives the finished `partial` its name. A hard link fails if the name was taken
/// meanwhile: no overwrite even in a race. The partial file is gone afterwards either way.
fn publish(partial: &Path, target: PathBuf) -> Result<PathBuf, ExtractError> {
    let linked = fs::hard_link(partial, &target);
    let _ = fs::remove_file(partial);
    match linked {
        Ok(()) => Ok(target),
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
            Err(ExtractError::Exists(target))
        }
        Err(e) => Err(io(&target)(e)),
    }
}

/// Writes `bytes` to `target`, which must not exist: written beside it, synced, then linked
/// into place, so the name holds the whole file or nothing.
pub fn write_new_file(target: &Path, bytes: &[u8]) -> Result<PathBuf, ExtractError> {
    if target.exists() {
        return Err(ExtractError::Exists(target.to_path_buf()));
    }
    let dir = match target.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let name = target
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "firmato".into());
    let (partial, mut file) = create_partial(dir, &name)?;
    let written = file
        .write_all(bytes)
        .and_then(|()| file.sync_all())
        .map_err(io(&partial));
    drop(file);
    if let Err(e) = written {
        let _ = fs::remove_file(&partial);
        return Err(e);
    }
    publish(&partial, target.to_path_buf())
}
