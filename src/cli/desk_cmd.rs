//! Desk commands over the SQLite store: officers, companies, the audit log.

use std::path::Path;

use crate::store::Location;

use crate::i18n::Lang;
use crate::registry::{self, CompanyRequest, RegistryError};
use crate::store::Store;

use super::{
    exit, AuditCommand, CompanyCommand, GrantCommand, NominationCommand, OfficerCommand,
    PersonCommand, RepCommand, UnitCommand,
};
use crate::registry::nominations::IdentityDocument;
use crate::registry::{grants, nominations, people};

pub(super) fn open(db: &Location, lang: Lang) -> Result<Store, i32> {
    Store::open_at(db).map_err(|e| {
        log::error!("database: {e}");
        let text = match lang {
            Lang::It => format!("Impossibile aprire l'archivio {}: {e}", db.describe()),
            Lang::En => format!("Cannot open the database {}: {e}", db.describe()),
        };
        eprintln!("{text}");
        exit::NO_INPUT
    })
}

pub(super) fn refuse(e: &RegistryError, lang: Lang) -> i32 {
    log::info!("refused: {e}");
    match lang {
        Lang::It => eprintln!("{}", e.italian()),
        Lang::En => eprintln!("Refused: {e}."),
    }
    exit::FAILED
}

pub(super) fn print_json<T: serde::Serialize>(value: &T) {
    println!(
        "{}",
        serde_json::to_string_pretty(value).unwrap_or_default()
    );
}

/// The officer's session recorded beside the database by card login; every change checks
/// in its transaction that it is live.
pub(super) fn current_session(db: &Location) -> Option<registry::SessionRef> {
    crate::store::read_session_file(db.local_path()).map(registry::SessionRef)
}

fn done(lang: Lang) -> i32 {
    println!(
        "{}",
        match lang {
            Lang::It => "Fatto.",
            Lang::En => "Done.",
        }
    );
    exit::OK
}

fn outcome<T>(result: Result<T, RegistryError>, lang: Lang) -> i32 {
    match result {
        Ok(_) => done(lang),
        Err(e) => refuse(&e, lang),
    }
}

fn read_file(path: &Path, lang: Lang) -> Result<Vec<u8>, i32> {
    std::fs::read(path).map_err(|e| {
        log::error!("cannot read {}: {e}", path.display());
        eprintln!(
            "{}: {} ({e})",
            crate::i18n::cli_text::CANNOT_OPEN.get(lang),
            path.display()
        );
        exit::NO_INPUT
    })
}

fn parse_date(text: &str, lang: Lang) -> Result<time::Date, i32> {
    let format = time::macros::format_description!("[year]-[month]-[day]");
    time::Date::parse(text.trim(), &format).map_err(|_| {
        eprintln!(
            "{}",
            match lang {
                Lang::It => format!("Data non valida «{text}»: usare AAAA-MM-GG."),
                Lang::En => format!("Invalid date «{text}»: use YYYY-MM-DD."),
            }
        );
        exit::USAGE
    })
}

pub fn officer(command: &OfficerCommand, db: &Location, lang: Lang) -> i32 {
    let mut store = match open(db, lang) {
        Ok(s) => s,
        Err(code) => return code,
    };
    match command {
        OfficerCommand::Add { cf, name, json } => {
            match registry::add_officer(&mut store, current_session(db), cf, name) {
                Ok(id) => {
                    if *json {
                        print_json(
                            &serde_json::json!({"id": id, "codice_fiscale": cf.trim().to_uppercase()}),
                        );
                    } else {
                        println!(
                            "{}",
                            match lang {
                                Lang::It => "Operatore aggiunto.",
                                Lang::En => "Officer added.",
                            }
                        );
                    }
                    exit::OK
                }
                Err(e) => refuse(&e, lang),
            }
        }
    }
}

pub fn company(command: &CompanyCommand, db: &Location, lang: Lang) -> i32 {
    let mut store = match open(db, lang) {
        Ok(s) => s,
        Err(code) => return code,
    };
    match command {
        CompanyCommand::Register {
            cf,
            name,
            kind,
            pec,
            address,
            json,
        } => {
            let kinds = kind
                .iter()
                .map(|k| match k.split_once('=') {
                    Some((code, albo)) => (code.trim().to_string(), Some(albo.trim().to_string())),
                    None => (k.trim().to_string(), None),
                })
                .collect();
            let request = CompanyRequest {
                codice_fiscale: cf,
                name,
                registered_office: address.as_deref(),
                pec: pec.as_deref(),
                kinds,
            };
            match registry::register_company(&mut store, current_session(db), &request) {
                Ok(id) => {
                    if *json {
                        print_json(&serde_json::json!({"id": id}));
                    } else {
                        println!(
                            "{}",
                            match lang {
                                Lang::It => "Azienda registrata.",
                                Lang::En => "Company registered.",
                            }
                        );
                    }
                    exit::OK
                }
                Err(e) => refuse(&e, lang),
            }
        }
        CompanyCommand::Show { cf, json } => match store.company(&cf.trim().to_uppercase()) {
            Ok(Some(c)) => {
                if *json {
                    print_json(&c);
                } else {
                    println!("{} — {}", c.codice_fiscale, c.name);
                    for (k, albo) in &c.kinds {
                        println!(
                            "  {k}{}",
                            albo.as_deref()
                                .map(|a| format!(" ({a})"))
                                .unwrap_or_default()
                        );
                    }
                    println!(
                        "  {}: {}",
                        match lang {
                            Lang::It => "Unità",
                            Lang::En => "Units",
                        },
                        c.units.join(", ")
                    );
                    for (cf, who, role) in &c.representatives {
                        println!("  {role}: {who} ({cf})");
                    }
                    let admins = if c.administrators.is_empty() {
                        "-".to_string()
                    } else {
                        c.administrators.join(", ")
                    };
                    let admins_label = match lang {
                        Lang::It => "Amministratori",
                        Lang::En => "Administrators",
                    };
                    println!("  {admins_label}: {admins}");
                    let grant_label = match lang {
                        Lang::It => "abilitazione",
                        Lang::En => "grant",
                    };
                    for g in store.grants(&c.codice_fiscale).unwrap_or_default() {
                        println!(
                            "  {grant_label} {}: {} {} ({})",
                            g.id, g.person_cf, g.profile, g.state
                        );
                    }
                }
                exit::OK
            }
            Ok(None) => {
                eprintln!(
                    "{}",
                    match lang {
                        Lang::It => "Azienda non trovata.",
                        Lang::En => "Company not found.",
                    }
                );
                exit::FAILED
            }
            Err(e) => refuse(&RegistryError::Store(e), lang),
        },
        CompanyCommand::List { search, json } => {
            match store.companies(search.as_deref().unwrap_or("")) {
                Ok(rows) => {
                    if *json {
                        print_json(
                            &rows
                                .iter()
                                .map(|(cf, n)| serde_json::json!({"codice_fiscale": cf, "name": n}))
                                .collect::<Vec<_>>(),
                        );
                    } else {
                        for (cf, name) in rows {
                            println!("{cf}  {name}");
                        }
                    }
                    exit::OK
                }
                Err(e) => refuse(&RegistryError::Store(e), lang),
            }
        }
    }
}

pub fn audit(command: &AuditCommand, db: &Location, lang: Lang) -> i32 {
    let store = match open(db, lang) {
        Ok(s) => s,
        Err(code) => return code,
    };
    match command {
        AuditCommand::Verify { json } => match store.audit_verify() {
            Ok(check) => {
                if *json {
                    print_json(&check);
                } else {
                    match (&check.first_broken, lang) {
                        (None, Lang::It) => {
                            println!("Registro integro: {} righe verificate.", check.rows)
                        }
                        (None, Lang::En) => {
                            println!("Audit log intact: {} rows verified.", check.rows)
                        }
                        (Some((seq, why)), Lang::It) => {
                            println!("REGISTRO ALTERATO: la riga {seq} non torna ({why}).")
                        }
                        (Some((seq, why)), Lang::En) => {
                            println!("AUDIT LOG TAMPERED: row {seq} does not fit ({why}).")
                        }
                    }
                }
                if check.first_broken.is_some() {
                    exit::FAILED
                } else {
                    exit::OK
                }
            }
            Err(e) => refuse(&RegistryError::Store(e), lang),
        },
        AuditCommand::Export { .. } => match store.audit_rows() {
            Ok(rows) => {
                print_json(&rows);
                exit::OK
            }
            Err(e) => refuse(&RegistryError::Store(e), lang),
        },
    }
}

pub fn nomination(command: &NominationCommand, db: &Location, data_dir: &Path, lang: Lang) -> i32 {
    let mut store = match open(db, lang) {
        Ok(s) => s,
        Err(code) => return code,
    };
    match command {
        NominationCommand::List { state, json } => match store.nominations(state.as_deref()) {
            Ok(rows) => {
                if *json {
                    print_json(&rows);
                } else {
                    for n in rows {
                        println!(
                            "{:>5}  {}  {} → {}  {}",
                            n.id, n.state, n.company_cf, n.admin_cf, n.submitted_at
                        );
                    }
                }
                exit::OK
            }
            Err(e) => refuse(&RegistryError::Store(e), lang),
        },
        NominationCommand::Submit {
            company,
            admin,
            form,
            id_doc,
            id_expiry,
            json,
        } => {
            if id_doc.len() != id_expiry.len() {
                eprintln!(
                    "{}",
                    match lang {
                        Lang::It => "Ogni --id-doc vuole la sua --id-expiry.",
                        Lang::En => "Each --id-doc needs its --id-expiry.",
                    }
                );
                return exit::USAGE;
            }
            let form_bytes = match read_file(form, lang) {
                Ok(b) => b,
                Err(code) => return code,
            };
            let mut docs = Vec::new();
            for (path, expiry) in id_doc.iter().zip(id_expiry) {
                let bytes = match read_file(path, lang) {
                    Ok(b) => b,
                    Err(code) => return code,
                };
                let expires_on = match parse_date(expiry, lang) {
                    Ok(d) => d,
                    Err(code) => return code,
                };
                docs.push((
                    bytes,
                    path.file_name()
                        .map(|n| n.to_string_lossy().into_owned())
                        .unwrap_or_default(),
                    expires_on,
                ));
            }
            let documents: Vec<IdentityDocument<'_>> = docs
                .iter()
                .map(|(bytes, name, expires_on)| IdentityDocument {
                    bytes,
                    name,
                    expires_on: *expires_on,
                })
                .collect();
            // The form is judged against the imported trust store, as `verify` does.
            let now = time::OffsetDateTime::now_utc();
            let trust = match crate::trust::store::Store::open(data_dir).load(now) {
                Ok((store, _)) => store,
                Err(e) => {
                    eprintln!("{}: {e}", crate::i18n::cli_text::TRUST_UNREADABLE.get(lang));
                    return exit::NO_INPUT;
                }
            };
            let revocation = crate::revocation::RevocationSources::for_data_dir(
                data_dir,
                registry::online_revocation(&mut store),
            );
            let mut opts = crate::verify::VerifyOptions::now();
            if !trust.is_empty() {
                opts.trust = Some(&trust);
            }
            opts.revocation = Some(&revocation);
            let form_name = form
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            match nominations::submit(
                &mut store,
                current_session(db),
                company,
                admin,
                (&form_bytes, &form_name),
                &documents,
                &opts,
            ) {
                Ok(id) => {
                    if *json {
                        print_json(&serde_json::json!({"id": id}));
                    } else {
                        println!(
                            "{} {id}",
                            match lang {
                                Lang::It => "Richiesta registrata con numero",
                                Lang::En => "Request recorded as number",
                            }
                        );
                    }
                    exit::OK
                }
                Err(e) => refuse(&e, lang),
            }
        }
        NominationCommand::Approve { id, confirm } => outcome(
            nominations::approve(&mut store, current_session(db), *id, *confirm),
            lang,
        ),
        // Dispatched to desk_sign_cmd before the store is opened here.
        NominationCommand::SignAtDesk(_) => exit::SOFTWARE,
        NominationCommand::Reject { id, reason } => outcome(
            nominations::reject(&mut store, current_session(db), *id, reason),
            lang,
        ),
    }
}

pub fn person(command: &PersonCommand, db: &Location, lang: Lang) -> i32 {
    let mut store = match open(db, lang) {
        Ok(s) => s,
        Err(code) => return code,
    };
    match command {
        PersonCommand::Add {
            cf,
            surname,
            name,
            citizen,
        } => outcome(
            people::add_person(&mut store, current_session(db), cf, surname, name, *citizen),
            lang,
        ),
    }
}

pub fn rep(command: &RepCommand, db: &Location, lang: Lang) -> i32 {
    let mut store = match open(db, lang) {
        Ok(s) => s,
        Err(code) => return code,
    };
    match command {
        RepCommand::Add {
            company,
            person,
            procura,
            ..
        } => {
            let procura_bytes = match procura.as_deref().map(|p| read_file(p, lang)).transpose() {
                Ok(b) => b,
                Err(code) => return code,
            };
            let procura_name = procura
                .as_deref()
                .and_then(|p| p.file_name())
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            let procura_arg = procura_bytes.as_deref().map(|b| (b, procura_name.as_str()));
            outcome(
                people::add_representative(
                    &mut store,
                    current_session(db),
                    company,
                    person,
                    procura_arg,
                ),
                lang,
            )
        }
    }
}

pub fn unit(command: &UnitCommand, db: &Location, lang: Lang) -> i32 {
    let mut store = match open(db, lang) {
        Ok(s) => s,
        Err(code) => return code,
    };
    match command {
        UnitCommand::Add { company, name } => outcome(
            registry::add_unit(&mut store, current_session(db), company, name),
            lang,
        ),
    }
}

pub fn grant(command: &GrantCommand, db: &Location, lang: Lang) -> i32 {
    let mut store = match open(db, lang) {
        Ok(s) => s,
        Err(code) => return code,
    };
    let session = current_session(db);
    match command {
        GrantCommand::Add {
            company,
            person,
            profile,
            unit,
        } => outcome(
            grants::add(
                &mut store,
                session,
                company,
                person,
                profile,
                unit.as_deref(),
            ),
            lang,
        ),
        GrantCommand::Revoke { id, reason } => outcome(
            grants::change_state(
                &mut store,
                session,
                *id,
                registry::GrantState::Revoked,
                reason,
            ),
            lang,
        ),
        GrantCommand::Suspend { id, reason } => outcome(
            grants::change_state(
                &mut store,
                session,
                *id,
                registry::GrantState::Suspended,
                reason,
            ),
            lang,
        ),
        GrantCommand::End { id, date } => match parse_date(date, lang) {
            Ok(d) => outcome(grants::end_relationship(&mut store, session, *id, d), lang),
            Err(code) => code,
        },
        GrantCommand::List { company, json } => {
            match store.grants(&company.trim().to_uppercase()) {
                Ok(rows) => {
                    if *json {
                        print_json(&rows);
                    } else {
                        for g in rows {
                            println!(
                                "{:>5}  {}  {}  {}  {}",
                                g.id,
                                g.state,
                                g.person_cf,
                                g.profile,
                                g.unit.unwrap_or_else(|| "-".into())
                            );
                        }
                    }
                    exit::OK
                }
                Err(e) => refuse(&RegistryError::Store(e), lang),
            }
        }
    }
}

pub fn overdue(json: bool, db: &Location, lang: Lang) -> i32 {
    let store = match open(db, lang) {
        Ok(s) => s,
        Err(code) => return code,
    };
    match store.overdue_grants(time::OffsetDateTime::now_utc().date()) {
        Ok(rows) => {
            if json {
                print_json(&rows);
            } else if rows.is_empty() {
                println!(
                    "{}",
                    match lang {
                        Lang::It => "Nessuna revoca in ritardo.",
                        Lang::En => "No overdue revocations.",
                    }
                );
            } else {
                for g in rows {
                    println!(
                        "{:>5}  {} {} {}  {}: {}",
                        g.id,
                        g.company_cf,
                        g.person_cf,
                        g.profile,
                        match lang {
                            Lang::It => "fine rapporto",
                            Lang::En => "relationship ended",
                        },
                        g.relationship_end.unwrap_or_default()
                    );
                }
            }
            exit::OK
        }
        Err(e) => refuse(&RegistryError::Store(e), lang),
    }
}

pub fn policy(setting: &str, value: &str, db: &Location, lang: Lang) -> i32 {
    let mut store = match open(db, lang) {
        Ok(s) => s,
        Err(code) => return code,
    };
    let result = if setting == "online-revocation" {
        registry::set_online_revocation(&mut store, current_session(db), value)
    } else {
        registry::set_administrators_policy(&mut store, current_session(db), value)
    };
    outcome(result, lang)
}
