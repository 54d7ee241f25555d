//! Turning the command line's paths into the list of files to verify, in a stable order:
//! the paths as given, a folder's entries sorted by name. Problems met while walking
//! (a folder that cannot be listed, a broken link, a link loop) become items with a reason,
//! so they are rows of the report and never stop the batch.

use std::collections::HashSet;
use std::fs;
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Item {
    pub path: PathBuf,
    /// The folder of the file relative to the folder given on the command line (empty for
    /// a file given directly): where its extracted document goes.
    pub relative_dir: PathBuf,
    /// Why the file cannot be verified, when the walk already knows.
    pub problem: Option<String>,
}

impl Item {
    fn file(path: PathBuf, relative_dir: PathBuf) -> Self {
        Item {
            path,
            relative_dir,
            problem: None,
        }
    }

    fn problem(path: PathBuf, relative_dir: PathBuf, reason: String) -> Self {
        Item {
            path,
            relative_dir,
            problem: Some(reason),
        }
    }
}

/// Every file to verify under `paths`. A folder gives its files (and, with `recursive`,
/// its sub-folders' files); links are followed, each folder visited once.
pub fn collect(paths: &[PathBuf], recursive: bool) -> Vec<Item> {
    let mut items = Vec::new();
    let mut visited = HashSet::new();
    for path in paths {
        match fs::metadata(path) {
            Ok(meta) if meta.is_dir() => {
                visited.insert((meta.dev(), meta.ino()));
                walk_folder(path, Path::new(""), recursive, &mut visited, &mut items);
            }
            // Anything else is tried as a file: reading says what is wrong with it.
            _ => items.push(Item::file(path.clone(), PathBuf::new())),
        }
    }
    items
}

fn walk_folder(
    folder: &Path,
    relative: &Path,
    recursive: bool,
    visited: &mut HashSet<(u64, u64)>,
    items: &mut Vec<Item>,
) {
    let entries = match fs::read_dir(folder) {
        Ok(entries) => entries,
        Err(e) => {
            items.push(Item::problem(
                folder.to_path_buf(),
                relative.to_path_buf(),
                format!("cannot list the folder: {e}"),
            ));
            return;
        }
    };
    let mut names: Vec<_> = entries
        .filter_map(|e| e.ok().map(|e| e.file_name()))
        .collect();
    names.sort();
    for name in names {
        let path = folder.join(&name);
        match fs::metadata(&path) {
            Ok(meta) if meta.is_dir() => {
                if !recursive {
                    continue;
                }
                if !visited.insert((meta.dev(), meta.ino())) {
                    items.push(Item::problem(
                        path,
                        relative.to_path_buf(),
                        "folder already visited: a symbolic link loop, not followed again".into(),
                    ));
                    continue;
                }
                walk_folder(&path, &relative.join(&name), recursive, visited, items);
            }
            Ok(_) => items.push(Item::file(path, relative.to_path_buf())),
            Err(e) => items.push(Item::problem(
                path,
                relative.to_path_buf(),
                format!("cannot reach the file: {e}"),
            )),
        }
    }
}
