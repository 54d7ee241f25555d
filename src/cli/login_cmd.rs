//! `sportello login` and `sportello logout`: the officer's card opens a desk session, which
//! every later command finds beside the database.

use std::path::{Path, PathBuf};

use crate::store::Location;

use crate::i18n::Lang;
use crate::registry::sessions::{self, LoginRequest};

use super::card_cmd::{authenticate_holder, print_evidence, AuthRequest};
use super::desk_cmd::{current_session, open, print_json, refuse};
use super::exit;

pub struct LoginArgs<'a> {
    pub reader: Option<&'a str>,
    pub module: Option<&'a Path>,
    pub token: Option<&'a str>,
    pub pin_stdin: bool,
    pub confirm_last_try: bool,
    pub trust: &'a [PathBuf],
    pub minutes: i64,
    pub json: bool,
}

pub fn login(args: &LoginArgs<'_>, db: &Location, data_dir: &Path, lang: Lang) -> i32 {
    // Open the database first: a PIN should not be spent when the session cannot be kept.
    let mut store = match open(db, lang) {
        Ok(s) => s,
        Err(code) => return code,
    };
    let request = AuthRequest {
        reader: args.reader,
        module: args.module,
        token: args.token,
        pin_stdin: args.pin_stdin,
        confirm_last_try: args.confirm_last_try,
        trust: args.trust,
    };
    let evidence = match authenticate_holder(&request, data_dir, lang) {
        Ok(ev) => ev,
        Err(code) => return code,
    };
    let evidence_json = match serde_json::to_vec_pretty(&evidence) {
        Ok(j) => j,
        Err(e) => {
            log::error!("evidence: {e}");
            return exit::SOFTWARE;
        }
    };
    // A card whose certificate names no codice fiscale fails authentication anyway; the
    // personal data's code still says whose card was tried.
    let cf = evidence
        .codice_fiscale
        .clone()
        .unwrap_or_else(|| evidence.personal_data_codice_fiscale.clone());
    let request = LoginRequest {
        codice_fiscale: &cf,
        passed: evidence.passed(),
        reasons: &evidence.reasons,
        evidence_json: &evidence_json,
        minutes: args.minutes,
    };
    let opened = match sessions::login(&mut store, &request) {
        Ok(o) => o,
        Err(e) => {
            if !args.json {
                print_evidence(&evidence, lang);
            }
            return refuse(&e, lang);
        }
    };
    if let Err(e) = crate::store::write_session_file(db.local_path(), opened.session_id) {
        log::error!("session file: {e}");
        eprintln!(
            "{}",
            match lang {
                Lang::It => format!("Sessione aperta ma non registrata accanto all'archivio: {e}"),
                Lang::En => format!("Session opened but not recorded beside the database: {e}"),
            }
        );
        return exit::CANT_CREATE;
    }
    if args.json {
        print_json(&opened);
    } else {
        println!(
            "{}",
            match lang {
                Lang::It => format!(
                    "Sessione aperta per {} ({}) fino a {}.",
                    opened.officer.name, opened.officer.codice_fiscale, opened.expires_at
                ),
                Lang::En => format!(
                    "Session open for {} ({}) until {}.",
                    opened.officer.name, opened.officer.codice_fiscale, opened.expires_at
                ),
            }
        );
    }
    exit::OK
}

pub fn logout(db: &Location, lang: Lang) -> i32 {
    let mut store = match open(db, lang) {
        Ok(s) => s,
        Err(code) => return code,
    };
    let result = sessions::logout(&mut store, current_session(db));
    // Forget the session file whatever the outcome: a session that is not live is useless.
    if let Err(e) = crate::store::remove_session_file(db.local_path()) {
        log::error!("session file: {e}");
    }
    match result {
        Ok(()) => {
            println!(
                "{}",
                match lang {
                    Lang::It => "Sessione chiusa.",
                    Lang::En => "Session ended.",
                }
            );
            exit::OK
        }
        Err(e) => refuse(&e, lang),
    }
}
