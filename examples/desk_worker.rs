//! Test helper process: performs real desk operations on a database in a loop, so tests can
//! kill it at random points (crash safety) or run two at once (concurrency).
//! Usage: desk_worker DB SEED COUNT [DATA_DIR]   (the database must already have officer 1)
//! DB is a SQLite path or a postgres:// URL. A company's codice fiscale is printed only after
//! its registration committed: that line is the desk's acknowledgement.

use std::time::{Duration, Instant};

use sportello::codice_fiscale::numeric_check_digit;
use sportello::registry::people::add_person;
use sportello::registry::{self, CompanyRequest, RegistryError, SessionRef};
use sportello::store::{officers, DbError, Location, Store, StoreError};

/// How long a desk keeps trying one registration while the server is away (a restart).
const PATIENCE: Duration = Duration::from_secs(30);

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let (Some(db), Some(seed), Some(count)) = (args.get(1), args.get(2), args.get(3)) else {
        eprintln!("usage: desk_worker DB SEED COUNT [DATA_DIR]");
        std::process::exit(64);
    };
    let seed: u64 = seed.parse().unwrap_or(0);
    let count: u64 = count.parse().unwrap_or(0);
    let data_dir = std::path::PathBuf::from(args.get(4).map_or(".", String::as_str));
    let location = match Location::parse(db, &data_dir) {
        Ok(l) => l,
        Err(e) => {
            eprintln!("{e}");
            std::process::exit(64);
        }
    };
    let mut store = match Store::open_at(&location) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("{e}");
            std::process::exit(1);
        }
    };
    let session = match store.change(|tx| officers::open_session(tx, 1, &"ee".repeat(32), 60)) {
        Ok(id) => SessionRef(id),
        Err(e) => {
            eprintln!("{e}");
            std::process::exit(1);
        }
    };
    for i in 0..count {
        // A distinct valid 11-digit codice fiscale per seed and step.
        let body = format!("{:010}", seed * 1_000_000 + i);
        let cf = format!("{body}{}", numeric_check_digit(body.as_bytes()));
        let request = CompanyRequest {
            codice_fiscale: &cf,
            name: &format!("Azienda {seed}-{i}"),
            registered_office: None,
            pec: None,
            kinds: vec![("datore-privato".into(), None)],
        };
        if let Err(e) = register(&mut store, session, &request) {
            eprintln!("{cf}: {e}");
            std::process::exit(1);
        }
        // A second kind of change in between, so kills land in different operations.
        if i % 3 == 0 {
            let person = format!("RSSMRA80A01H50{}", i % 10);
            let _ = add_person(
                &mut store,
                Some(session),
                &format!("{person}{}", check(&person)),
                "ROSSI",
                "MARIO",
                true,
            );
        }
        println!("{cf}");
    }
}

/// Registers, riding out a server restart: a transient failure is tried again; a commit in
/// doubt is settled by looking the company up (a duplicate after a failed attempt means the
/// earlier attempt did commit).
fn register(
    store: &mut Store,
    session: SessionRef,
    request: &CompanyRequest<'_>,
) -> Result<(), RegistryError> {
    let started = Instant::now();
    let mut attempted = false;
    loop {
        match registry::register_company(store, Some(session), request) {
            Ok(_) => return Ok(()),
            Err(RegistryError::DuplicateCompany(_)) if attempted => return Ok(()),
            Err(e) if transient(&e) && started.elapsed() < PATIENCE => {
                eprintln!("{}: {e} (trying again)", request.codice_fiscale);
                attempted = true;
                std::thread::sleep(Duration::from_millis(200));
                if let Ok(Some(_)) = store.company(request.codice_fiscale) {
                    return Ok(());
                }
            }
            Err(e) => return Err(e),
        }
    }
}

fn transient(e: &RegistryError) -> bool {
    matches!(
        e,
        RegistryError::Sql(
            DbError::CommitInDoubt(_)
                | DbError::Connect(_)
                | DbError::GaveUp { .. }
                | DbError::Postgres(_)
        ) | RegistryError::Store(StoreError::Sql(_))
    )
}

fn check(first15: &str) -> char {
    sportello::codice_fiscale::personal_check_character(first15.as_bytes())
}
