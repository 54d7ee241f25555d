//! Reading input files without copying them.

use std::fs::File;
use std::ops::Deref;
use std::path::Path;

/// A file's bytes: memory-mapped, so a 1 GB envelope is hashed where it lies.
pub enum FileBytes {
    Mapped(memmap2::Mmap),
    Empty,
}

impl Deref for FileBytes {
    type Target = [u8];
    fn deref(&self) -> &[u8] {
        match self {
            FileBytes::Mapped(map) => map,
            FileBytes::Empty => &[],
        }
    }
}

pub fn open(path: &Path) -> std::io::Result<FileBytes> {
    let file = File::open(path)?;
    let meta = file.metadata()?;
    if meta.is_dir() {
        return Err(std::io::Error::other("is a directory"));
    }
    if meta.len() == 0 {
        return Ok(FileBytes::Empty);
    }
    // SAFETY: the map is read-only and lives only while one command runs. If another
    // process truncates the file meanwhile, reads may fault; the desk verifies files it
    // received, not files being written, and copying a 1 GB envelope is the worse risk.
    let map = unsafe { memmap2::Mmap::map(&file)? };
    Ok(FileBytes::Mapped(map))
}
