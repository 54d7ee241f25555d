//! `sportello card list | watch | read | auth`.

use std::io::BufRead;
use std::path::{Path, PathBuf};
use std::time::Duration;

use clap::Subcommand;

use crate::card::{self, CardError, CardEvent, CardKind, CardReading, Pin, Profiles};
use crate::i18n::{card_text as t, cli_text, Lang};
use crate::trust::store::Store;

use super::exit;

#[derive(Debug, Subcommand)]
pub enum CardCommand {
    /// The card profiles loaded and where each comes from (built in, or a folder).
    Profiles {
        #[arg(long)]
        json: bool,
    },
    /// Readers and the cards in them.
    List {
        #[arg(long)]
        json: bool,
    },
    /// Print reader and card events until Ctrl-C.
    Watch {
        #[arg(long)]
        json: bool,
    },
    /// Read a card without PIN (CNS data and certificate; CIE chip check).
    Read {
        /// The reader (default: the only one holding a card).
        #[arg(long, value_name = "NAME")]
        reader: Option<String>,
        /// CSCA certificates for the CIE chip check (repeatable; added to the profiles' ones).
        #[arg(long, value_name = "PATH")]
        csca: Vec<PathBuf>,
        #[arg(long)]
        json: bool,
    },
    /// Authenticate the card holder: PIN, signature of a fresh challenge, certificate checks.
    Auth {
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
        /// Extra trust anchors: a PEM bundle, a DER certificate or a folder (repeatable).
        #[arg(long, value_name = "PATH")]
        trust: Vec<PathBuf>,
        #[arg(long)]
        json: bool,
    },
}

/// sysexits codes for card errors.
fn code(e: &CardError) -> i32 {
    match e {
        CardError::PcscUnavailable(_) => exit::UNAVAILABLE,
        CardError::NoReader(_) | CardError::NoCard(_) => exit::NO_INPUT,
        CardError::UnknownCard { .. } | CardError::Malformed(_) => exit::DATA_ERR,
        CardError::Pkcs11ModuleNeeded { .. } => exit::UNAVAILABLE,
        CardError::WrongPin { .. } | CardError::PinBlocked => exit::NO_PERM,
        CardError::LastTryNeedsConfirmation | CardError::PinFormat { .. } => exit::USAGE,
        CardError::CardRemoved | CardError::Transport(_) | CardError::CardStatus(..) => {
            exit::TEMP_FAIL
        }
        CardError::Profile(_) => exit::CONFIG,
        CardError::Untrusted(_)
        | CardError::CfMismatch { .. }
        | CardError::AuthenticationFailed(_) => exit::FAILED,
        CardError::Cancelled => exit::OK,
        CardError::Pkcs11Module { .. } => exit::UNAVAILABLE,
        CardError::Pkcs11Failure { .. } => exit::TEMP_FAIL,
        CardError::TokenNotFound { .. } => exit::NO_INPUT,
        CardError::TokenAmbiguous { .. } | CardError::CiePinFormat => exit::USAGE,
        CardError::NoKey { .. } => exit::DATA_ERR,
    }
}

pub(super) fn fail(e: &CardError, lang: Lang) -> i32 {
    log::error!("card: {e}");
    eprintln!("{}", t::error(e, lang));
    code(e)
}

fn json<T: serde::Serialize>(value: &T) {
    println!(
        "{}",
        serde_json::to_string_pretty(value).unwrap_or_default()
    );
}

pub fn run(command: &CardCommand, data_dir: &Path, lang: Lang) -> i32 {
    let profiles = match Profiles::load_default() {
        Ok(p) => p,
        Err(e) => return fail(&CardError::Profile(e), lang),
    };
    match command {
        CardCommand::Profiles { json: as_json } => list_profiles(&profiles, *as_json, lang),
        CardCommand::List { json: as_json } => list(&profiles, *as_json, lang),
        CardCommand::Watch { json: as_json } => watch(&profiles, *as_json, lang),
        CardCommand::Read {
            reader,
            csca,
            json: as_json,
        } => read(&profiles, reader.as_deref(), csca, *as_json, lang),
        CardCommand::Auth {
            reader,
            module,
            token,
            pin_stdin,
            confirm_last_try,
            trust,
            json: as_json,
        } => auth(
            &AuthRequest {
                reader: reader.as_deref(),
                module: module.as_deref(),
                token: token.as_deref(),
                pin_stdin: *pin_stdin,
                confirm_last_try: *confirm_last_try,
                trust,
            },
            data_dir,
            *as_json,
            lang,
        ),
    }
}

fn source_text(source: &card::ProfileSource, lang: Lang) -> String {
    match source {
        card::ProfileSource::BuiltIn(name) => {
            format!("{} (card-profiles/{name})", t::BUILT_IN.get(lang))
        }
        card::ProfileSource::File(path) => path.display().to_string(),
    }
}

fn list_profiles(profiles: &Profiles, as_json: bool, lang: Lang) -> i32 {
    let listing = profiles.listing();
    if as_json {
        json(&serde_json::json!({
            "profiles": listing,
            "folders": profiles.searched.iter().map(|d| serde_json::json!({
                "path": d,
                "exists": d.is_dir(),
            })).collect::<Vec<_>>(),
        }));
        return exit::OK;
    }
    for p in &listing {
        let driver = serde_json::to_value(p.driver)
            .ok()
            .and_then(|v| v.as_str().map(str::to_string))
            .unwrap_or_default();
        println!("{} [{driver}] {}", p.id, p.label);
        println!("    {}", source_text(&p.source, lang));
        if let Some(replaced) = &p.replaces {
            println!(
                "    {} {}",
                t::REPLACES.get(lang),
                source_text(replaced, lang)
            );
        }
    }
    println!("{}:", t::PROFILE_FOLDERS.get(lang));
    for dir in &profiles.searched {
        if dir.is_dir() {
            println!("    {}", dir.display());
        } else {
            println!("    {} ({})", dir.display(), t::FOLDER_MISSING.get(lang));
        }
    }
    exit::OK
}

fn card_label(profiles: &Profiles, presence: &card::CardPresence, lang: Lang) -> String {
    match presence.profile.as_deref().and_then(|id| profiles.get(id)) {
        Some(p) => format!("{} [{}]", p.label, p.id),
        None => format!("{} (ATR {})", t::UNKNOWN.get(lang), presence.atr_hex),
    }
}

fn list(profiles: &Profiles, as_json: bool, lang: Lang) -> i32 {
    let readers = match card::list_readers(profiles) {
        Ok(r) => r,
        Err(e) => return fail(&e, lang),
    };
    if as_json {
        json(&readers);
        return exit::OK;
    }
    if readers.is_empty() {
        println!("{}", t::NO_READERS.get(lang));
    }
    for r in &readers {
        let card = r.card.as_ref().map_or_else(
            || t::EMPTY.get(lang).to_string(),
            |c| card_label(profiles, c, lang),
        );
        println!("{}: {card}", r.name);
    }
    exit::OK
}

fn watch(profiles: &Profiles, as_json: bool, lang: Lang) -> i32 {
    let mut watcher = match card::Watcher::new() {
        Ok(w) => w,
        Err(e) => return fail(&e, lang),
    };
    let canceller = watcher.canceller();
    if let Err(e) = ctrlc::set_handler(move || canceller.cancel()) {
        log::warn!("no Ctrl-C handler: {e}");
    }
    if !as_json {
        println!("{}", t::WATCHING.get(lang));
        for (reader, atr) in watcher.current() {
            let card = atr.as_ref().map_or_else(
                || t::EMPTY.get(lang).to_string(),
                |atr| card_label(profiles, &card::card_presence(atr, profiles), lang),
            );
            println!("{reader}: {card}");
        }
    }
    loop {
        match watcher.wait(Duration::from_secs(60)) {
            Ok(events) => {
                for event in events {
                    if as_json {
                        println!("{}", serde_json::to_string(&event).unwrap_or_default());
                    } else {
                        println!("{}", describe(&event, profiles, lang));
                    }
                }
            }
            Err(CardError::Cancelled) => return exit::OK,
            Err(e) => return fail(&e, lang),
        }
    }
}

fn describe(event: &CardEvent, profiles: &Profiles, lang: Lang) -> String {
    match event {
        CardEvent::ReaderAdded { reader } => format!("{reader}: {}", t::READER_ADDED.get(lang)),
        CardEvent::ReaderRemoved { reader } => {
            format!("{reader}: {}", t::READER_REMOVED.get(lang))
        }
        CardEvent::CardInserted { reader, atr_hex } => {
            let atr = card::parse_hex(atr_hex).unwrap_or_default();
            format!(
                "{reader}: {} — {}",
                t::CARD_INSERTED.get(lang),
                card_label(profiles, &card::card_presence(&atr, profiles), lang)
            )
        }
        CardEvent::CardRemoved { reader } => format!("{reader}: {}", t::CARD_REMOVED.get(lang)),
    }
}

/// The named reader, or the only one holding a card.
pub(super) fn choose_reader(
    profiles: &Profiles,
    reader: Option<&str>,
    lang: Lang,
) -> Result<String, i32> {
    if let Some(r) = reader {
        return Ok(r.to_string());
    }
    let readers = card::list_readers(profiles).map_err(|e| fail(&e, lang))?;
    if readers.is_empty() {
        return Err(fail(&CardError::NoReader(String::new()), lang));
    }
    let with_card: Vec<&card::ReaderStatus> = readers.iter().filter(|r| r.card.is_some()).collect();
    match with_card.as_slice() {
        [] => Err(fail(&CardError::NoCard(String::new()), lang)),
        [one] => Ok(one.name.clone()),
        many => {
            eprintln!("{}:", t::CHOOSE_READER.get(lang));
            for r in many {
                eprintln!("  {}", r.name);
            }
            Err(exit::USAGE)
        }
    }
}

fn read(
    profiles: &Profiles,
    reader: Option<&str>,
    csca: &[PathBuf],
    as_json: bool,
    lang: Lang,
) -> i32 {
    let reader = match choose_reader(profiles, reader, lang) {
        Ok(r) => r,
        Err(code) => return code,
    };
    let anchors = match card::csca_store(profiles, csca) {
        Ok(a) => a,
        Err(e) => return fail(&e, lang),
    };
    let reading =
        match card::read_card_with(&reader, profiles, &anchors, time::OffsetDateTime::now_utc()) {
            Ok(r) => r,
            Err(e) => return fail(&e, lang),
        };
    if as_json {
        json(&reading);
    } else {
        print!("{}", render_reading(&reading, lang));
    }
    match (&reading.kind, &reading.chip_check) {
        (CardKind::Cie, Some(c)) if c.verdict == card::ChipVerdict::Failed => exit::FAILED,
        (CardKind::Cie, Some(c)) if c.verdict == card::ChipVerdict::Incomplete => {
            exit::INDETERMINATE
        }
        _ => exit::OK,
    }
}

/// ddmmyyyy → dd/mm/yyyy.
fn date(text: &str) -> String {
    match (text.get(..2), text.get(2..4), text.get(4..8)) {
        (Some(d), Some(m), Some(y)) if text.len() == 8 => format!("{d}/{m}/{y}"),
        _ => text.to_string(),
    }
}

fn render_reading(r: &CardReading, lang: Lang) -> String {
    use std::fmt::Write;
    let mut out = String::new();
    let _ = writeln!(out, "{}: {}", t::READER.get(lang), r.reader);
    let _ = writeln!(
        out,
        "{}: {} [{}]",
        t::CARD.get(lang),
        r.profile_label,
        r.profile
    );
    let _ = writeln!(out, "{}: {}", t::ATR.get(lang), r.atr_hex);
    match r.kind {
        CardKind::Cns => {
            let _ = writeln!(
                out,
                "{}: {}",
                t::SERIAL.get(lang),
                r.serial.as_deref().unwrap_or("-")
            );
            if let Some(p) = &r.personal {
                let _ = writeln!(out, "{}: {} {}", t::HOLDER.get(lang), p.name, p.surname);
                let _ = writeln!(out, "{}: {}", t::CODICE_FISCALE.get(lang), p.codice_fiscale);
                let _ = writeln!(out, "{}: {}", t::BIRTH.get(lang), date(&p.birth_date));
                let _ = writeln!(out, "{}: {}", t::ISSUED_BY.get(lang), p.issuer);
                let _ = writeln!(out, "{}: {}", t::EXPIRES.get(lang), date(&p.expiry_date));
            }
            if let Some(c) = &r.certificate {
                let _ = writeln!(out, "{}: {}", t::CERTIFICATE.get(lang), c.subject);
                let _ = writeln!(out, "  {}: {}", t::CERT_ISSUER.get(lang), c.issuer);
                let _ = writeln!(out, "  {}: {}", t::CERT_VALID_UNTIL.get(lang), c.not_after);
            }
        }
        CardKind::Cie => {
            let _ = writeln!(
                out,
                "{}: {}",
                t::NIS.get(lang),
                r.serial.as_deref().unwrap_or("-")
            );
            if let Some(c) = &r.chip_check {
                let _ = writeln!(
                    out,
                    "{}: {}",
                    t::CHIP_CHECK.get(lang),
                    t::chip_verdict(c.verdict, lang)
                );
                for reason in &c.reasons {
                    let _ = writeln!(out, "  - {reason}");
                }
            }
        }
        CardKind::Pkcs11 => {
            let _ = writeln!(out, "{}", t::MODULE_NEEDED.get(lang));
            let _ = writeln!(out, "{}: {}", t::MODULES.get(lang), r.modules.join(", "));
        }
    }
    out
}

pub(super) fn read_pin(from_stdin: bool, lang: Lang) -> Result<Pin, i32> {
    let unreadable = |e: std::io::Error| {
        log::error!("reading the PIN: {e}");
        eprintln!("{}", t::PIN_UNREADABLE.get(lang));
        exit::NO_INPUT
    };
    if from_stdin {
        // Exactly one line: the rest of standard input is not ours.
        let mut line = String::new();
        std::io::stdin()
            .lock()
            .read_line(&mut line)
            .map_err(unreadable)?;
        return Ok(Pin::from_line(line));
    }
    rpassword::prompt_password(t::PIN_PROMPT.get(lang))
        .map(Pin::from_line)
        .map_err(unreadable)
}

#[allow(clippy::too_many_arguments)]
/// How the desk asks a card to authenticate its holder (`card auth` and `login`).
pub(super) struct AuthRequest<'a> {
    pub reader: Option<&'a str>,
    /// A PKCS#11 module: the token authenticates instead of a card on the native driver.
    pub module: Option<&'a Path>,
    pub token: Option<&'a str>,
    pub pin_stdin: bool,
    pub confirm_last_try: bool,
    pub trust: &'a [PathBuf],
}

/// The PKCS#11 module the card in `reader` is to be used through, when its profile says so.
fn module_for_reader(profiles: &Profiles, reader: &str) -> Option<PathBuf> {
    let readers = card::list_readers(profiles).ok()?;
    let id = readers
        .into_iter()
        .find(|r| r.name == reader)?
        .card?
        .profile?;
    let profile = profiles.get(&id)?;
    if !(profile.pkcs11.prefer || profile.driver != card::Driver::Cns) {
        return None;
    }
    card::pkcs11::discovery::first_installed(&profile.modules)
}

/// Runs the card authentication against the data dir's trust store plus `trust`; card and
/// PIN problems are printed and come back as the exit code.
pub(super) fn authenticate_holder(
    request: &AuthRequest<'_>,
    data_dir: &Path,
    lang: Lang,
) -> Result<card::AuthEvidence, i32> {
    let profiles = Profiles::load_default().map_err(|e| fail(&CardError::Profile(e), lang))?;
    let now = time::OffsetDateTime::now_utc();
    let store = Store::open(data_dir);
    let (mut anchors, _) = store.load(now).map_err(|e| {
        log::error!("trust store: {e}");
        eprintln!("{}: {e}", cli_text::TRUST_UNREADABLE.get(lang));
        exit::NO_INPUT
    })?;
    store
        .add_trust_paths(&mut anchors, request.trust, now)
        .map_err(|e| {
            log::error!("trust anchors: {e}");
            eprintln!("{}: {e}", cli_text::TRUST_UNREADABLE.get(lang));
            exit::NO_INPUT
        })?;
    // The profile says which way to go: its module where it prefers one (or where there is
    // no native driver for the card), the native driver otherwise.
    let routed;
    let (module, token) = match request.module {
        Some(module) => (Some(module), request.token),
        None => {
            let reader = choose_reader(&profiles, request.reader, lang)?;
            routed = module_for_reader(&profiles, &reader).map(|m| (m, reader));
            match &routed {
                Some((module, reader)) => (Some(module.as_path()), Some(reader.as_str())),
                None => (None, None),
            }
        }
    };
    if let Some(module) = module {
        let pin = read_pin(request.pin_stdin, lang)?;
        let evidence = card::pkcs11::authenticate_token(
            &card::pkcs11::TokenAuthRequest {
                module,
                token,
                confirm_last_try: request.confirm_last_try,
                pin_rule: None,
            },
            &pin,
            &anchors,
            now,
        )
        .map_err(|e| fail(&e, lang))?;
        drop(pin);
        log::info!(
            "PKCS#11 authentication with {}: {:?} for {:?} ({})",
            module.display(),
            evidence.verdict,
            evidence.codice_fiscale,
            evidence.reasons.join("; ")
        );
        return Ok(evidence);
    }
    let reader = choose_reader(&profiles, request.reader, lang)?;
    let pin = read_pin(request.pin_stdin, lang)?;
    let evidence = card::authenticate(
        &reader,
        &profiles,
        &pin,
        request.confirm_last_try,
        &anchors,
        now,
    )
    .map_err(|e| fail(&e, lang))?;
    drop(pin);
    log::info!(
        "card authentication on {reader}: {:?} for {:?} ({})",
        evidence.verdict,
        evidence.codice_fiscale,
        evidence.reasons.join("; ")
    );
    Ok(evidence)
}

/// The evidence as the desk reads it: outcome, holder, each check.
pub(super) fn print_evidence(evidence: &card::AuthEvidence, lang: Lang) {
    println!(
        "{}: {}",
        t::OUTCOME.get(lang),
        t::verdict(evidence.verdict, lang)
    );
    println!("{}: {}", t::HOLDER.get(lang), evidence.name);
    println!(
        "{}: {}",
        t::CODICE_FISCALE.get(lang),
        evidence.codice_fiscale.as_deref().unwrap_or("-")
    );
    println!("{}: {}", t::SERIAL.get(lang), evidence.serial);
    for check in &evidence.checks {
        let mark = if check.passed {
            t::PASSED_MARK
        } else {
            t::FAILED_MARK
        };
        println!("  {}: {}", t::check_name(check.check, lang), mark.get(lang));
        if !check.passed {
            println!("    ({})", check.detail);
        }
    }
}

fn auth(request: &AuthRequest<'_>, data_dir: &Path, as_json: bool, lang: Lang) -> i32 {
    let evidence = match authenticate_holder(request, data_dir, lang) {
        Ok(ev) => ev,
        Err(code) => return code,
    };
    if as_json {
        json(&evidence);
    } else {
        print_evidence(&evidence, lang);
    }
    if evidence.passed() {
        exit::OK
    } else {
        exit::FAILED
    }
}
