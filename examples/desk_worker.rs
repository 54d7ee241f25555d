//! Test helper process: performs real desk operations on a database in a loop, so tests can
//! kill it at random points (crash safety) or run two at once (concurrency).
//! Usage: desk_worker DB SEED COUNT   (the database must already have officer 1)

use sportello::codice_fiscale::numeric_check_digit;
use sportello::registry::people::add_person;
use sportello::registry::{self, CompanyRequest, SessionRef};
use sportello::store::{officers, Store};

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let (Some(db), Some(seed), Some(count)) = (args.get(1), args.get(2), args.get(3)) else {
        eprintln!("usage: desk_worker DB SEED COUNT");
        std::process::exit(64);
    };
    let seed: u64 = seed.parse().unwrap_or(0);
    let count: u64 = count.parse().unwrap_or(0);
    let mut store = match Store::open(std::path::Path::new(db)) {
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
        if let Err(e) = registry::register_company(&mut store, Some(session), &request) {
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

fn check(first15: &str) -> char {
    sportello::codice_fiscale::personal_check_character(first15.as_bytes())
}
