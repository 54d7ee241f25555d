//! Build-time facts the installed program needs without the source tree beside it:
//! the shipped card profiles and trust configuration (compiled in), and the git commit
//! `sportello --version` names.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;

fn main() {
    let root = PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").expect("set by cargo"));
    let out = PathBuf::from(std::env::var_os("OUT_DIR").expect("set by cargo"));

    embed_folder(
        &root,
        "card-profiles",
        "toml",
        &out.join("shipped_profiles.rs"),
    );
    embed_folder(
        &root,
        "trust-store",
        "toml",
        &out.join("shipped_trust_config.rs"),
    );
    embed_folder(
        &root,
        "trust-store/lotl-signers",
        "pem",
        &out.join("shipped_lotl_signers.rs"),
    );
    println!("cargo:rustc-env=SPORTELLO_GIT_COMMIT={}", git_commit(&root));
    println!("cargo:rerun-if-changed=build.rs");
}

/// Writes `&[(file name, contents)]` for every `*.ext` file of `root/folder`, sorted by name,
/// as `include_str!`s so a changed file rebuilds the program.
fn embed_folder(root: &Path, folder: &str, ext: &str, target: &Path) {
    let dir = root.join(folder);
    println!("cargo:rerun-if-changed={}", dir.display());
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .map(|entries| {
            entries
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.is_file() && p.extension().is_some_and(|x| x == ext))
                .collect()
        })
        .unwrap_or_default();
    files.sort();
    let mut code = String::from("&[\n");
    for file in files {
        let name = file
            .file_name()
            .and_then(|n| n.to_str())
            .expect("shipped file names are UTF-8");
        let _ = writeln!(
            code,
            "    ({name:?}, include_str!({:?})),",
            file.display().to_string()
        );
    }
    code.push(']');
    std::fs::write(target, code).expect("write into OUT_DIR");
}

/// The commit checked out, or "unknown" when building from a tree without git metadata.
fn git_commit(root: &Path) -> String {
    let git = |args: &[&str]| {
        Command::new("git")
            .args(args)
            .current_dir(root)
            .output()
            .ok()
            .filter(|o| o.status.success())
            .and_then(|o| String::from_utf8(o.stdout).ok())
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty())
    };
    let Some(commit) = git(&["rev-parse", "--short=12", "HEAD"]) else {
        return "unknown".into();
    };
    // Rebuild when HEAD moves: the HEAD file, the branch it names, and packed refs.
    let mut watched = vec![git(&["rev-parse", "--git-path", "HEAD"])];
    if let Some(branch) = git(&["symbolic-ref", "-q", "HEAD"]) {
        watched.push(git(&["rev-parse", "--git-path", &branch]));
    }
    watched.push(git(&["rev-parse", "--git-path", "packed-refs"]));
    for path in watched.into_iter().flatten() {
        let path = root.join(path);
        if path.exists() {
            println!("cargo:rerun-if-changed={}", path.display());
        }
    }
    commit
}
