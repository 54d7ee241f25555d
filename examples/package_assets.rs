//! Writes what the Debian package ships beside the program, generated from the command
//! line's own clap definitions so they never drift from it: man pages (one per command)
//! and shell completions for bash, zsh and fish.
//!
//! `cargo run --example package_assets -- target/assets` (scripts/package-test.sh runs it
//! before `cargo deb`; the package's assets in Cargo.toml point there).

use std::path::PathBuf;
use std::process::ExitCode;

use clap::CommandFactory;
use clap_complete::Shell;

fn main() -> ExitCode {
    let Some(out) = std::env::args_os().nth(1).map(PathBuf::from) else {
        eprintln!("usage: package_assets OUT_DIR");
        return ExitCode::from(64);
    };
    match write_assets(&out) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("package_assets: {}: {e}", out.display());
            ExitCode::from(73)
        }
    }
}

fn write_assets(out: &std::path::Path) -> std::io::Result<()> {
    let man = out.join("man");
    let completions = out.join("completions");
    std::fs::create_dir_all(&man)?;
    std::fs::create_dir_all(&completions)?;
    let cmd = sportello::cli::Cli::command();
    // sportello.1, sportello-verify.1, sportello-card-auth.1, ...
    clap_mangen::generate_to(cmd.clone(), &man)?;
    for shell in [Shell::Bash, Shell::Zsh, Shell::Fish] {
        clap_complete::generate_to(shell, &mut cmd.clone(), "sportello", &completions)?;
    }
    Ok(())
}
