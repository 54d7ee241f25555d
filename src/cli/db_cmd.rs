//! `sportello db`: the registry's status, a PostgreSQL registry for the office's desks, and
//! copying a desk's registry into it.

use std::path::Path;

use crate::i18n::Lang;
use crate::store::admin::{self, AdminError};
use crate::store::{Location, Store};

use super::desk_cmd::{open, print_json};
use super::{exit, DbCommand};

pub fn run(command: &DbCommand, db: &Location, data_dir: &Path, lang: Lang) -> i32 {
    match command {
        DbCommand::Status { json } => status(db, *json, lang),
        DbCommand::Init { url, desk_role } => init(url, desk_role, data_dir, lang),
        DbCommand::Copy { from, to, json } => copy(from, to, data_dir, *json, lang),
    }
}

fn fail(e: &dyn std::fmt::Display, lang: Lang) -> i32 {
    log::error!("db: {e}");
    match lang {
        Lang::It => eprintln!("Operazione sull'archivio non riuscita: {e}"),
        Lang::En => eprintln!("Registry operation failed: {e}"),
    }
    exit::FAILED
}

fn location(text: &str, data_dir: &Path, lang: Lang) -> Result<Location, i32> {
    Location::parse(text, data_dir).map_err(|e| {
        match lang {
            Lang::It => eprintln!("{}", e.italian()),
            Lang::En => eprintln!("{e}"),
        }
        exit::USAGE
    })
}

fn status(db: &Location, json: bool, lang: Lang) -> i32 {
    let store = match open(db, lang) {
        Ok(s) => s,
        Err(code) => return code,
    };
    let status = match store.status() {
        Ok(s) => s,
        Err(e) => return fail(&e, lang),
    };
    if json {
        print_json(&status);
        return exit::OK;
    }
    let (engine, version, size, desks, rows, last) = match lang {
        Lang::It => (
            "Archivio",
            "versione schema",
            "dimensione",
            "sportelli collegati",
            "righe del registro",
            "ultima riga",
        ),
        Lang::En => (
            "Registry",
            "schema version",
            "size",
            "connected desks",
            "audit rows",
            "last row",
        ),
    };
    println!("{engine}: {} ({})", status.engine, db.describe());
    println!("  {version}: {}", status.schema_version);
    println!("  {size}: {} KiB", status.size_bytes / 1024);
    println!("  {desks}: {}", status.connected_desks.len());
    for desk in &status.connected_desks {
        println!("    {desk}");
    }
    println!("  {rows}: {}", status.audit_rows);
    if let Some(row) = &status.last_audit_row {
        println!(
            "  {last}: {} {} {} {}",
            row.seq, row.at, row.action, row.entity
        );
    }
    exit::OK
}

fn init(url: &str, role: &str, data_dir: &Path, lang: Lang) -> i32 {
    let location = match location(url, data_dir, lang) {
        Ok(l) if l.is_postgres() => l,
        Ok(_) => return fail(&AdminError::NotPostgres, lang),
        Err(code) => return code,
    };
    let mut store = match open(&location, lang) {
        Ok(s) => s,
        Err(code) => return code,
    };
    if let Err(e) = store.grant_desk_role(role) {
        return fail(&e, lang);
    }
    match lang {
        Lang::It => println!(
            "Archivio pronto su {}: gli sportelli si collegano come «{role}».",
            location.describe()
        ),
        Lang::En => println!(
            "Registry ready on {}: desks connect as \"{role}\".",
            location.describe()
        ),
    }
    exit::OK
}

fn copy(from: &str, to: &str, data_dir: &Path, json: bool, lang: Lang) -> i32 {
    let (from, to) = match (location(from, data_dir, lang), location(to, data_dir, lang)) {
        (Ok(f), Ok(t)) => (f, t),
        (Err(code), _) | (_, Err(code)) => return code,
    };
    if !to.is_postgres() {
        return fail(&AdminError::NotPostgres, lang);
    }
    // A missing source file is an error, not a new empty registry to copy.
    if let Location::Sqlite(path) = &from {
        if !path.is_file() {
            return fail(&format!("{}: no such registry file", path.display()), lang);
        }
    }
    let source = match Store::open_at(&from) {
        Ok(s) => s,
        Err(e) => return fail(&e, lang),
    };
    let mut target = match open(&to, lang) {
        Ok(s) => s,
        Err(code) => return code,
    };
    match admin::copy(&source, &mut target) {
        Ok(report) if json => {
            print_json(&report);
            exit::OK
        }
        Ok(report) => {
            for (table, rows) in &report.tables {
                println!("{table}: {rows}");
            }
            println!("documents: {}", report.documents);
            println!("audit_log: {}", report.audit_rows);
            exit::OK
        }
        Err(e) => fail(&e, lang),
    }
}
