//! Reading one input file without blocking and without copying large files: a FIFO, a
//! device or a socket is refused before anything waits on it.

use std::fs::{File, OpenOptions};
use std::io::Read;
use std::ops::Deref;
use std::path::Path;

/// Files up to this size are read into memory; larger ones are mapped, so a 1 GB envelope
/// is hashed where it lies.
const READ_LIMIT: u64 = 4 << 20;

/// A file's bytes.
pub enum FileBytes {
    Mapped(memmap2::Mmap),
    Owned(Vec<u8>),
}

impl Deref for FileBytes {
    type Target = [u8];
    fn deref(&self) -> &[u8] {
        match self {
            FileBytes::Mapped(map) => map,
            FileBytes::Owned(bytes) => bytes,
        }
    }
}

fn kind_of(meta: &std::fs::Metadata) -> &'static str {
    use std::os::unix::fs::FileTypeExt;
    let t = meta.file_type();
    if t.is_dir() {
        "a folder"
    } else if t.is_fifo() {
        "a FIFO (named pipe)"
    } else if t.is_socket() {
        "a socket"
    } else if t.is_block_device() || t.is_char_device() {
        "a device"
    } else {
        "not a regular file"
    }
}

/// Opens `path` for reading. Non-blocking, so opening a FIFO with no writer returns at once;
/// anything but a regular file is then refused with what it is.
pub fn open(path: &Path) -> std::io::Result<FileBytes> {
    use std::os::unix::fs::OpenOptionsExt;
    let file: File = OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NONBLOCK)
        .open(path)?;
    let meta = file.metadata()?;
    if !meta.is_file() {
        return Err(std::io::Error::other(format!("is {}", kind_of(&meta))));
    }
    if meta.len() <= READ_LIMIT {
        let mut bytes = Vec::with_capacity(meta.len() as usize);
        (&file).read_to_end(&mut bytes)?;
        return Ok(FileBytes::Owned(bytes));
    }
    // SAFETY: the map is read-only and lives only while one file is verified. If another
    // process truncates the file meanwhile, reads may fault; the desk verifies files it
    // received, not files being written, and copying a 1 GB envelope is the worse risk.
    let map = unsafe { memmap2::Mmap::map(&file)? };
    Ok(FileBytes::Mapped(map))
}
