//! The scriptable command line: argument parsing, output formats, exit codes.
//! No business rules here: it calls the library and formats what comes back.

mod card_cmd;
mod desk_cmd;
pub(crate) mod extract;
pub(crate) mod human;
mod login_cmd;
mod progress;
mod trust_cmd;
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
    pub const DATA_ERR: i32 = 65;
    pub const UNAVAILABLE: i32 = 69;
    pub const CANT_CREATE: i32 = 73;
    pub const TEMP_FAIL: i32 = 75;
    pub const NO_PERM: i32 = 77;
    pub const CONFIG: i32 = 78;
    pub const SOFTWARE: i32 = 70;
}

#[derive(Debug, Parser)]
#[command(
    name = "sportello",
    version,
    about = "Sportello CPI: firme digitali, carte, pratiche"
)]
pub struct Cli {
    /// Language of messages: it (default) or en. The screens (no command) also follow an
    /// English locale (LANG/LC_ALL starting with "en") when this is not given.
    #[arg(long, global = true, value_enum)]
    pub lang: Option<Lang>,
    /// Where the trust store and the database live (default: $SPORTELLO_DATA_DIR,
    /// $XDG_DATA_HOME/sportello or ~/.local/share/sportello).
    #[arg(long, global = true, value_name = "DIR")]
    pub data_dir: Option<PathBuf>,
    /// The desk database (default: sportello.db in the data directory).
    #[arg(long, global = true, value_name = "PATH")]
    pub db: Option<PathBuf>,
    /// Without a command, the desk's screens open.
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Verify signed files (.p7m, .p7s, .m7m, .tsd, .tsr) or whole folders of them.
    Verify(VerifyArgs),
    /// The printable verification report (PDF) of signed files.
    Report(ReportArgs),
    /// Manage trust anchors: the EU Trusted List of Italy and extra certificates.
    #[command(subcommand)]
    Trust(TrustCommand),
    /// Desk officers.
    #[command(subcommand)]
    Officer(OfficerCommand),
    /// Companies (aziende).
    #[command(subcommand)]
    Company(CompanyCommand),
    /// The tamper-evident audit log.
    #[command(subcommand)]
    Audit(AuditCommand),
    /// Administrator nominations.
    #[command(subcommand)]
    Nomination(NominationCommand),
    /// People (legal representatives, administrators, collaborators).
    #[command(subcommand)]
    Person(PersonCommand),
    /// Legal representatives and procuratori of companies.
    #[command(subcommand)]
    Rep(RepCommand),
    /// Units (sottogruppi) of companies.
    #[command(subcommand)]
    Unit(UnitCommand),
    /// Grants of profiles to collaborators.
    #[command(subcommand)]
    Grant(GrantCommand),
    /// Smart cards: readers, reading, holder authentication.
    #[command(subcommand)]
    Card(card_cmd::CardCommand),
    /// Open a desk session with the officer's card (PIN, challenge, certificate checks).
    Login {
        #[arg(long, value_name = "NAME")]
        reader: Option<String>,
        /// Read the PIN as one line from standard input instead of the terminal.
        #[arg(long)]
        pin_stdin: bool,
        /// Allow using the PIN when only one try is left.
        #[arg(long)]
        confirm_last_try: bool,
        /// Extra trust anchors for the card's certificate (repeatable).
        #[arg(long, value_name = "PATH")]
        trust: Vec<PathBuf>,
        /// How long the session lasts.
        #[arg(long, default_value_t = crate::registry::sessions::DEFAULT_SESSION_MINUTES)]
        minutes: i64,
        #[arg(long)]
        json: bool,
    },
    /// End the desk session now.
    Logout,
    /// Office policy: administrators per company (single = transitional phase, multiple).
    Policy {
        #[arg(value_parser = ["admins"])]
        setting: String,
        #[arg(value_parser = ["single", "multiple"])]
        value: String,
    },
    /// Active grants whose working relationship ended more than 5 days ago.
    Overdue {
        #[arg(long)]
        json: bool,
    },
}

#[derive(Debug, Subcommand)]
pub enum NominationCommand {
    /// Requests, optionally in one state (in-attesa, approvata, respinta).
    List {
        #[arg(long)]
        state: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// Submit a request with the delegation form (verified when .p7m) and identity documents.
    Submit {
        #[arg(long)]
        company: String,
        #[arg(long)]
        admin: String,
        #[arg(long)]
        form: PathBuf,
        /// Identity document (repeatable; each followed by its --id-expiry).
        #[arg(long = "id-doc")]
        id_doc: Vec<PathBuf>,
        /// Expiry date (YYYY-MM-DD) of each --id-doc, in order.
        #[arg(long = "id-expiry")]
        id_expiry: Vec<String>,
        #[arg(long)]
        json: bool,
    },
    /// Approve a pending request (--confirm when the form's verdict is INDETERMINATE).
    Approve {
        id: i64,
        #[arg(long)]
        confirm: bool,
    },
    /// Reject a pending request with a reason.
    Reject {
        id: i64,
        #[arg(long)]
        reason: String,
    },
}

#[derive(Debug, Subcommand)]
pub enum PersonCommand {
    /// Register a person (--citizen: a registered citizen, who can be a collaborator).
    Add {
        #[arg(long)]
        cf: String,
        #[arg(long)]
        surname: String,
        #[arg(long)]
        name: String,
        #[arg(long)]
        citizen: bool,
    },
}

#[derive(Debug, Subcommand)]
pub enum RepCommand {
    /// Record a legal representative, or a procuratore with the procura document.
    Add {
        #[arg(long)]
        company: String,
        #[arg(long)]
        person: String,
        #[arg(long, requires = "procura")]
        procuratore: bool,
        #[arg(long)]
        procura: Option<PathBuf>,
    },
}

#[derive(Debug, Subcommand)]
pub enum UnitCommand {
    /// Add a unit (sottogruppo) to a company.
    Add {
        #[arg(long)]
        company: String,
        #[arg(long)]
        name: String,
    },
}

#[derive(Debug, Subcommand)]
pub enum GrantCommand {
    /// Grant a profile to a registered citizen, on the company or on a unit.
    Add {
        #[arg(long)]
        company: String,
        #[arg(long)]
        person: String,
        #[arg(long)]
        profile: String,
        #[arg(long)]
        unit: Option<String>,
    },
    /// Revoke an active grant.
    Revoke {
        id: i64,
        #[arg(long)]
        reason: String,
    },
    /// Suspend an active grant (e.g. stolen credentials).
    Suspend {
        id: i64,
        #[arg(long)]
        reason: String,
    },
    /// Record the end of the working relationship (revoke within 5 days).
    End {
        id: i64,
        #[arg(long)]
        date: String,
    },
    /// The grants of a company.
    List {
        #[arg(long)]
        company: String,
        #[arg(long)]
        json: bool,
    },
}

#[derive(Debug, Subcommand)]
pub enum OfficerCommand {
    /// Add an officer (the first one on an empty database needs no session).
    Add {
        #[arg(long)]
        cf: String,
        #[arg(long)]
        name: String,
        #[arg(long)]
        json: bool,
    },
}

#[derive(Debug, Subcommand)]
pub enum CompanyCommand {
    /// Register a company with its kinds (KIND or KIND=register details) and a default unit.
    Register {
        #[arg(long)]
        cf: String,
        #[arg(long)]
        name: String,
        #[arg(long, required = true)]
        kind: Vec<String>,
        #[arg(long)]
        pec: Option<String>,
        #[arg(long)]
        address: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// One company with kinds and units.
    Show {
        cf: String,
        #[arg(long)]
        json: bool,
    },
    /// Companies, optionally filtered by name or codice fiscale.
    List {
        #[arg(long)]
        search: Option<String>,
        #[arg(long)]
        json: bool,
    },
}

#[derive(Debug, Subcommand)]
pub enum AuditCommand {
    /// Recompute the hash chain and name the first broken row.
    Verify {
        #[arg(long)]
        json: bool,
    },
    /// Every row as JSON.
    Export {
        #[arg(long)]
        json: bool,
    },
}

#[derive(Debug, Subcommand)]
pub enum TrustCommand {
    /// Import Trusted Lists (EU list of lists first; a list whose signature fails is refused)
    /// or certificates (PEM/DER).
    Import {
        #[arg(required = true, value_name = "FILE")]
        files: Vec<PathBuf>,
        #[arg(long)]
        json: bool,
    },
    /// The anchors signatures may chain to.
    List {
        #[arg(long)]
        json: bool,
    },
    /// Imported lists: dates, staleness, counts.
    Status {
        #[arg(long)]
        json: bool,
    },
}

#[derive(Debug, clap::Args)]
pub struct VerifyArgs {
    /// Print the report as JSON (schema sportello.verify/1).
    #[arg(long)]
    pub json: bool,
    /// Write the signed document of each file into this folder (never overwrites).
    #[arg(long, value_name = "DIR")]
    pub extract: Option<PathBuf>,
    /// Trust anchors: a PEM bundle, a DER certificate or a folder of them (repeatable).
    #[arg(long, value_name = "PATH")]
    pub trust: Vec<PathBuf>,
    /// Validate as of this time ("verifica alla data"): RFC 3339, or a date (its last second, UTC).
    /// The report says the time was asserted, not proven.
    #[arg(long, value_name = "DATE", value_parser = parse_when)]
    pub at: Option<time::OffsetDateTime>,
    /// Also the files in sub-folders of a folder given.
    #[arg(long, short = 'r')]
    pub recursive: bool,
    /// Files verified at the same time (default: the number of cores).
    #[arg(long, short = 'j', value_name = "N")]
    pub jobs: Option<usize>,
    /// Write the batch report to FILE: .json, .csv or .pdf by its extension.
    #[arg(long, value_name = "FILE")]
    pub report: Option<PathBuf>,
    /// Overwrite the --report file if it exists.
    #[arg(long)]
    pub force: bool,
    /// Files or folders to verify (every file in a folder is tried).
    #[arg(required = true, value_name = "PATH")]
    pub files: Vec<PathBuf>,
}

#[derive(Debug, clap::Args)]
pub struct ReportArgs {
    /// The printable report (PDF) to write.
    #[arg(long, value_name = "OUT.pdf")]
    pub pdf: PathBuf,
    /// Overwrite OUT.pdf if it exists.
    #[arg(long)]
    pub force: bool,
    /// Trust anchors: a PEM bundle, a DER certificate or a folder of them (repeatable).
    #[arg(long, value_name = "PATH")]
    pub trust: Vec<PathBuf>,
    /// Validate as of this time ("verifica alla data"): RFC 3339, or a date.
    #[arg(long, value_name = "DATE", value_parser = parse_when)]
    pub at: Option<time::OffsetDateTime>,
    /// Also the files in sub-folders of a folder given.
    #[arg(long, short = 'r')]
    pub recursive: bool,
    /// Signed files or folders to put in the report.
    #[arg(required = true, value_name = "FILE")]
    pub files: Vec<PathBuf>,
}

/// `--at`: RFC 3339, or `YYYY-MM-DD` meaning the end of that day (UTC): a document registered
/// that day existed by then, and a certificate that expired during it is not given the benefit.
pub(crate) fn parse_when(text: &str) -> Result<time::OffsetDateTime, String> {
    use time::format_description::well_known::Rfc3339;
    if let Ok(t) = time::OffsetDateTime::parse(text, &Rfc3339) {
        return Ok(t);
    }
    let format = time::macros::format_description!("[year]-[month]-[day]");
    time::Date::parse(text, &format)
        .map(|d| d.with_hms(23, 59, 59).unwrap_or(d.midnight()).assume_utc())
        .map_err(|_| format!("«{text}» is not a date (YYYY-MM-DD) or an RFC 3339 time"))
}

fn db_path(db: &Option<PathBuf>, data_dir: &std::path::Path) -> PathBuf {
    db.clone()
        .unwrap_or_else(|| crate::store::default_path(data_dir))
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
    let data_dir = cli
        .data_dir
        .clone()
        .unwrap_or_else(crate::trust::store::default_data_dir);
    let db = db_path(&cli.db, &data_dir);
    let Some(command) = cli.command else {
        if std::fs::create_dir_all(&data_dir).is_ok() {
            crate::logging::init_to_file(&data_dir.join("sportello.log"));
        }
        let options = crate::tui::Options {
            db,
            data_dir,
            lang: cli.lang.unwrap_or_else(locale_lang),
        };
        return crate::tui::run(
            &options,
            Box::new(crate::tui::card_desk::LiveCards::new(
                options.data_dir.clone(),
            )),
        );
    };
    crate::logging::init();
    // Scripts rely on Italian output unless asked: the locale applies to the screens only.
    let lang = cli.lang.unwrap_or_default();
    match command {
        Command::Verify(args) => verify_cmd::run(&args, &data_dir, lang),
        Command::Report(args) => verify_cmd::report(&args, &data_dir, lang),
        Command::Trust(command) => trust_cmd::run(&command, &data_dir, &db, lang),
        Command::Officer(command) => desk_cmd::officer(&command, &db, lang),
        Command::Company(command) => desk_cmd::company(&command, &db, lang),
        Command::Audit(command) => desk_cmd::audit(&command, &db, lang),
        Command::Nomination(command) => desk_cmd::nomination(&command, &db, &data_dir, lang),
        Command::Person(command) => desk_cmd::person(&command, &db, lang),
        Command::Rep(command) => desk_cmd::rep(&command, &db, lang),
        Command::Unit(command) => desk_cmd::unit(&command, &db, lang),
        Command::Grant(command) => desk_cmd::grant(&command, &db, lang),
        Command::Overdue { json } => desk_cmd::overdue(json, &db, lang),
        Command::Card(command) => card_cmd::run(&command, &data_dir, lang),
        Command::Login {
            reader,
            pin_stdin,
            confirm_last_try,
            trust,
            minutes,
            json,
        } => login_cmd::login(
            &login_cmd::LoginArgs {
                reader: reader.as_deref(),
                pin_stdin,
                confirm_last_try,
                trust: &trust,
                minutes,
                json,
            },
            &db,
            &data_dir,
            lang,
        ),
        Command::Logout => login_cmd::logout(&db, lang),
        Command::Policy { value, .. } => desk_cmd::policy(&value, &db, lang),
    }
}

/// English when LC_ALL (or, without it, LANG) names an English locale; Italian otherwise.
fn locale_lang() -> Lang {
    let locale = std::env::var("LC_ALL")
        .ok()
        .filter(|v| !v.is_empty())
        .or_else(|| std::env::var("LANG").ok())
        .unwrap_or_default();
    if locale.starts_with("en") {
        Lang::En
    } else {
        Lang::It
    }
}
