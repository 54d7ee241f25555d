//! Desk commands over the SQLite store: officers, companies, the audit log.

use std::path::Path;

use crate::i18n::Lang;
use crate::registry::{self, CompanyRequest, RegistryError};
use crate::store::Store;

use super::{exit, AuditCommand, CompanyCommand, NominationCommand, OfficerCommand};

fn open(db: &Path, lang: Lang) -> Result<Store, i32> {
    Store::open(db).map_err(|e| {
        log::error!("database: {e}");
        let text = match lang {
            Lang::It => format!("Impossibile aprire l'archivio {}: {e}", db.display()),
            Lang::En => format!("Cannot open the database {}: {e}", db.display()),
        };
        eprintln!("{text}");
        exit::NO_INPUT
    })
}

fn refuse(e: &RegistryError, lang: Lang) -> i32 {
    log::info!("refused: {e}");
    match lang {
        Lang::It => eprintln!("{}", e.italian()),
        Lang::En => eprintln!("Refused: {e}."),
    }
    exit::FAILED
}

fn print_json<T: serde::Serialize>(value: &T) {
    println!(
        "{}",
        serde_json::to_string_pretty(value).unwrap_or_default()
    );
}

/// The officer's session: until card login exists there is none, and changes that need one
/// are refused with that reason.
fn current_session() -> Option<registry::SessionRef> {
    None
}

pub fn officer(command: &OfficerCommand, db: &Path, lang: Lang) -> i32 {
    let mut store = match open(db, lang) {
        Ok(s) => s,
        Err(code) => return code,
    };
    match command {
        OfficerCommand::Add { cf, name, json } => {
            match registry::add_officer(&mut store, current_session(), cf, name) {
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

pub fn company(command: &CompanyCommand, db: &Path, lang: Lang) -> i32 {
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
            match registry::register_company(&mut store, current_session(), &request) {
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

pub fn audit(command: &AuditCommand, db: &Path, lang: Lang) -> i32 {
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

pub fn nomination(command: &NominationCommand, db: &Path, lang: Lang) -> i32 {
    let store = match open(db, lang) {
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
    }
}

pub fn overdue(json: bool, db: &Path, lang: Lang) -> i32 {
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
