//! The scriptable command line: argument parsing, output formats, exit codes.
//! No business rules here: it calls the library and formats what comes back.

mod card_cmd;
mod db_cmd;
mod desk_cmd;
mod desk_sign_cmd;
pub(crate) use crate::extract;
pub(crate) mod human;
mod login_cmd;
mod progress;
mod sign_cmd;
mod token_cmd;
mod trust_cmd;
mod verify_cmd;

use std::path::PathBuf;

use clap::{Parser, Subcommand};

use crate::i18n::when::parse_when;
use crate::i18n::Lang;

pub use crate::exit;

#[derive(Debug, Parser)]
#[command(
    name = "sportello",
    version = concat!(env!("CARGO_PKG_VERSION"), " (commit ", env!("SPORTELLO_GIT_COMMIT"), ")"),
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
    /// The registry: a SQLite file, or the office's PostgreSQL server as a
    /// postgres:// URL (default: the data directory's `database` setting, else sportello.db
    /// in the data directory).
    #[arg(long, global = true, value_name = "PATH|URL")]
    pub db: Option<String>,
    /// Without a command, the desk's screens open.
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum DbCommand {
    /// Engine, schema version, size, connected desks, newest audit row.
    Status {
        #[arg(long)]
        json: bool,
    },
    /// Create the schema on a PostgreSQL server (connect as the owner) and grant the desks'
    /// role what it needs: not the owner, not a superuser, so the rules cannot be switched off.
    Init {
        #[arg(value_name = "URL")]
        url: String,
        #[arg(long, value_name = "NAME")]
        desk_role: String,
    },
    /// Copy a registry (e.g. a desk's SQLite file) into an empty PostgreSQL registry:
    /// documents and audit log included, the chain verified on both sides.
    Copy {
        #[arg(value_name = "FROM")]
        from: String,
        #[arg(value_name = "TO")]
        to: String,
        #[arg(long)]
        json: bool,
    },
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Verify signed files (.p7m, .p7s, .m7m, .tsd, .tsr) or whole folders of them.
    Verify(VerifyArgs),
    /// The registry itself: status, a PostgreSQL registry for the office's desks, copying a
    /// desk's SQLite registry into it.
    #[command(subcommand)]
    Db(DbCommand),
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
    /// Sign a document (CAdES-BES .p7m), or add a signature to an envelope.
    Sign(sign_cmd::SignArgs),
    /// PKCS#11 tokens: modules, tokens, certificates and keys.
    #[command(subcommand)]
    Token(token_cmd::TokenCommand),
    /// Open a desk session with the officer's card (PIN, challenge, certificate checks).
    Login {
        #[arg(long, value_name = "NAME", conflicts_with = "module")]
        reader: Option<String>,
        /// Authenticate through this PKCS#11 module instead of the native driver.
        #[arg(long, value_name = "PATH")]
        module: Option<PathBuf>,
        /// The token's label or serial (with --module; default: the only token).
        #[arg(long, value_name = "LABEL", requires = "module")]
        token: Option<String>,
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
    /// Office policy: administrators per company (`admins single|multiple`, single = transitional
    /// phase) or online revocation checks at the desk (`online-revocation on|off`).
    Policy {
        #[arg(value_parser = ["admins", "online-revocation"])]
        setting: String,
        #[arg(value_parser = ["single", "multiple", "on", "off"])]
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
    /// "Firma allo sportello": prepare the delegation form (PDF), have the legal representative
    /// sign it with a card, verify it and submit the request (no identity document needed).
    SignAtDesk(desk_sign_cmd::SignAtDeskArgs),
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
        /// Accept an EU list of lists whose signer is not among the certificates pinned in
        /// the program (its signature is still checked; the audit log says it was not pinned).
        #[arg(long)]
        accept_unpinned: bool,
        #[arg(long)]
        json: bool,
    },
    /// The anchors signatures may chain to.
    List {
        #[arg(long)]
        json: bool,
    },
    /// Imported lists and CRLs: dates, age, staleness, counts.
    Status {
        #[arg(long)]
        json: bool,
    },
    /// Fetch the EU list of lists and the Italian list it points to, verify and import them as
    /// `import` does, and download again the stored CRLs past their next update. Without
    /// `--online` only says what is out of date.
    Refresh {
        #[arg(long)]
        online: bool,
        /// Where the EU list of lists is published.
        #[arg(long, value_name = "URL", default_value = crate::revocation::refresh::EU_LOTL_URL)]
        lotl_url: String,
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
    /// A CRL (DER or PEM) to use for this run only (repeatable); it is checked like any other.
    #[arg(long, value_name = "PATH")]
    pub crl: Vec<PathBuf>,
    /// Ask OCSP responders and download CRLs named by the certificates (their own URLs only).
    #[arg(long)]
    pub online: bool,
    /// Validate as of this time ("verifica alla data"): RFC 3339, or a date (its last second, UTC).
    /// The report says the time was asserted, not proven.
    #[arg(long, value_name = "DATE", value_parser = parse_when)]
    pub at: Option<time::OffsetDateTime>,
    /// A detached RFC 3161 time-stamp (response or token) over the file (repeatable). A
    /// `FILE.tsr` beside the file is read without asking.
    #[arg(long = "timestamp", value_name = "TSR")]
    pub timestamps: Vec<PathBuf>,
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

/// Parses the arguments; `Err` carries the exit code when there is nothing to run (help,
/// version, a usage error, already printed).
pub fn parse() -> Result<Cli, i32> {
    Cli::try_parse().map_err(|e| {
        let code = match e.kind() {
            clap::error::ErrorKind::DisplayHelp
            | clap::error::ErrorKind::DisplayVersion
            | clap::error::ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => exit::OK,
            _ => exit::USAGE,
        };
        let _ = e.print();
        code
    })
}

impl Cli {
    /// Where the trust store and the database live.
    pub fn data_dir(&self) -> PathBuf {
        self.data_dir
            .clone()
            .unwrap_or_else(crate::trust::store::default_data_dir)
    }

    /// The desk database: a SQLite file or a PostgreSQL URL. Anything else URL-like is
    /// refused (printed here) with the usage exit code, never taken for a file name.
    pub fn db(&self) -> Result<crate::store::Location, i32> {
        crate::store::Location::resolve(self.db.as_deref(), &self.data_dir()).map_err(|e| {
            match self.lang.unwrap_or_default() {
                Lang::It => eprintln!("{}", e.italian()),
                Lang::En => eprintln!("{e}"),
            }
            exit::USAGE
        })
    }
}

/// Runs `command` and returns the process exit code. Without a command there is nothing
/// for the command line to do: the binary opens the screens instead.
pub fn run(cli: Cli) -> i32 {
    let data_dir = cli.data_dir();
    let db = match cli.db() {
        Ok(db) => db,
        Err(code) => return code,
    };
    let Some(command) = cli.command else {
        return exit::USAGE;
    };
    // Scripts rely on Italian output unless asked: the locale applies to the screens only.
    let lang = cli.lang.unwrap_or_default();
    match command {
        Command::Verify(args) => verify_cmd::run(&args, &data_dir, lang),
        Command::Db(command) => db_cmd::run(&command, &db, &data_dir, lang),
        Command::Report(args) => verify_cmd::report(&args, &data_dir, lang),
        Command::Trust(command) => trust_cmd::run(&command, &data_dir, &db, lang),
        Command::Officer(command) => desk_cmd::officer(&command, &db, lang),
        Command::Company(command) => desk_cmd::company(&command, &db, lang),
        Command::Audit(command) => desk_cmd::audit(&command, &db, lang),
        Command::Nomination(NominationCommand::SignAtDesk(args)) => {
            desk_sign_cmd::run(&args, &db, &data_dir, lang)
        }
        Command::Nomination(command) => desk_cmd::nomination(&command, &db, &data_dir, lang),
        Command::Person(command) => desk_cmd::person(&command, &db, lang),
        Command::Rep(command) => desk_cmd::rep(&command, &db, lang),
        Command::Unit(command) => desk_cmd::unit(&command, &db, lang),
        Command::Grant(command) => desk_cmd::grant(&command, &db, lang),
        Command::Overdue { json } => desk_cmd::overdue(json, &db, lang),
        Command::Card(command) => card_cmd::run(&command, &data_dir, lang),
        Command::Token(command) => token_cmd::run(&command, lang),
        Command::Login {
            reader,
            module,
            token,
            pin_stdin,
            confirm_last_try,
            trust,
            minutes,
            json,
        } => login_cmd::login(
            &login_cmd::LoginArgs {
                reader: reader.as_deref(),
                module: module.as_deref(),
                token: token.as_deref(),
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
        Command::Policy { setting, value } => desk_cmd::policy(&setting, &value, &db, lang),
        Command::Sign(args) => sign_cmd::run(&args, &data_dir, lang),
    }
}
