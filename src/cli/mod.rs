//! The scriptable command line: argument parsing, output formats, exit codes.
//! No business rules here: it calls the library and formats what comes back.

mod extract;
mod human;
mod input;
mod verify_cmd;

use std::path::PathBuf;

use clap::{Parser, Subcommand};

use crate::i18n::Lang;

/// sysexits.h codes, which scripts at the desk already know.
pub mod exit {
    pub const OK: i32 = 0;
    pub const FAILED: i32 = 1;
    pub const INDETERMINATE: i32 = 2;
    pub const USAGE: i32 = 64;
    pub const NO_INPUT: i32 = 66;
    pub const CANT_CREATE: i32 = 73;
}

#[derive(Debug, Parser)]
#[command(
    name = "sportello",
    version,
    about = "Sportello CPI: firme digitali, carte, pratiche"
)]
pub struct Cli {
    /// Language of messages: it (default) or en.
    #[arg(long, global = true, value_enum, default_value_t = Lang::It)]
    pub lang: Lang,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Verify signed files (.p7m, .p7s, .m7m, .tsd, .tsr).
    Verify(VerifyArgs),
}

#[derive(Debug, clap::Args)]
pub struct VerifyArgs {
    /// Print the report as JSON (schema sportello.verify/1).
    #[arg(long)]
    pub json: bool,
    /// Write the signed document of each file into this folder (never overwrites).
    #[arg(long, value_name = "DIR")]
    pub extract: Option<PathBuf>,
    /// Files to verify.
    #[arg(required = true, value_name = "FILE")]
    pub files: Vec<PathBuf>,
}

/// Runs the command line and returns the process exit code.
pub fn run() -> i32 {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let code = match e.kind() {
                clap::error::ErrorKind::DisplayHelp
                | clap::error::ErrorKind::DisplayVersion
                | clap::error::ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => exit::OK,
                _ => exit::USAGE,
            };
            let _ = e.print();
            return code;
        }
    };
    match cli.command {
        Command::Verify(args) => verify_cmd::run(&args, cli.lang),
    }
}
