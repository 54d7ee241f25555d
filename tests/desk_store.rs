//! The desk database: schema rules enforced by SQLite itself, the hash-chained audit log,
//! the bootstrap and session rules, refusals that leave the database exactly as it was.

mod common;

use std::path::Path;
use std::process::Command;

use sportello::registry::{self, CompanyRequest, RegistryError, SessionRef};
use sportello::store::{officers, Store};

fn open(dir: &Path) -> Store {
    Store::open(&dir.join("desk.db")).expect("open")
}

/// A database with a first officer and a live session for them.
fn with_session(dir: &Path) -> (Store, SessionRef) {
    common::officer_in_session(dir)
}

fn acme(kinds: Vec<(&str, Option<&str>)>) -> CompanyRequest<'static> {
    CompanyRequest {
        codice_fiscale: "00743110157",
        name: "ACME S.p.A.",
        registered_office: Some("Via Roma 1, Trento"),
        pec: Some("acme@pec.example.it"),
        kinds: kinds
            .into_iter()
            .map(|(k, a)| (k.to_string(), a.map(str::to_string)))
            .collect(),
    }
}

fn sqlite3(db: &Path, sql: &str) -> std::process::Output {
    Command::new("sqlite3")
        .arg(db)
        .arg(sql)
        .output()
        .expect("the sqlite3 tool is needed (apt-get install sqlite3)")
}

#[test]
fn bootstrap_then_sessions() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut store = open(dir.path());
    registry::add_officer(&mut store, None, "RSSMRA80A01H501U", "Mario Rossi")
        .expect("first officer without a session");
    let second = registry::add_officer(&mut store, None, "VRDLCU85M41F205J", "Lucia Verdi");
    assert!(matches!(second, Err(RegistryError::NoSession)));
    let session = store
        .change(|tx| officers::open_session(tx, 1, &"cd".repeat(32), 30))
        .expect("session");
    registry::add_officer(
        &mut store,
        Some(SessionRef(session)),
        "VRDLCU85M41F205J",
        "Lucia Verdi",
    )
    .expect("with session");
    let expired = store
        .change(|tx| officers::open_session(tx, 1, &"ef".repeat(32), -1))
        .map(|_| ());
    assert!(expired.is_err(), "a session cannot end before it starts");
    let rows = store.audit_rows().expect("rows");
    assert_eq!(rows.len(), 2);
    assert!(rows[0].summary.contains("bootstrap") && rows[0].officer_id.is_none());
    assert_eq!(
        (rows[1].officer_id, rows[1].session_id),
        (Some(1), Some(session))
    );
}

#[test]
fn company_registration_and_its_refusals() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (mut store, session) = with_session(dir.path());
    let before = store.audit_rows().expect("rows").len();

    let refusals = [
        (
            CompanyRequest {
                codice_fiscale: "00743110158",
                ..acme(vec![("datore-privato", None)])
            },
            "controllo",
        ),
        (acme(vec![]), "tipologia"),
        (acme(vec![("fabbrica-di-sogni", None)]), "sconosciuta"),
        (acme(vec![("consulente-lavoro", None)]), "albo"),
        (
            CompanyRequest {
                name: "  ",
                ..acme(vec![("datore-privato", None)])
            },
            "vuoto",
        ),
    ];
    for (request, italian) in refusals {
        let err =
            registry::register_company(&mut store, Some(session), &request).expect_err("refused");
        assert!(err.italian().contains(italian), "{}", err.italian());
    }
    assert!(matches!(
        registry::register_company(&mut store, None, &acme(vec![("datore-privato", None)])),
        Err(RegistryError::NoSession)
    ));
    assert_eq!(
        store.audit_rows().expect("rows").len(),
        before,
        "refusals leave no trace"
    );
    assert!(store.companies("").expect("list").is_empty());

    registry::register_company(
        &mut store,
        Some(session),
        &acme(vec![
            ("datore-privato", None),
            ("consulente-lavoro", Some("Albo CdL Trento n. 123")),
        ]),
    )
    .expect("registered");
    let company = store.company("00743110157").expect("query").expect("found");
    assert_eq!(company.units, ["Sede"]);
    assert_eq!(company.kinds.len(), 2);
    let dup = registry::register_company(
        &mut store,
        Some(session),
        &acme(vec![("datore-privato", None)]),
    );
    assert!(matches!(dup, Err(RegistryError::DuplicateCompany(_))));
    let last = store.audit_rows().expect("rows").pop().expect("row");
    assert_eq!(
        (last.action.as_str(), last.entity.as_str()),
        ("company.register", "company:00743110157")
    );
    assert_eq!(store.audit_verify().expect("verify").first_broken, None);
}

#[test]
fn the_schema_enforces_what_code_might_forget() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (mut store, session) = with_session(dir.path());
    registry::register_company(
        &mut store,
        Some(session),
        &acme(vec![("datore-privato", None)]),
    )
    .expect("registered");
    let db = store.path.clone();
    drop(store);
    let change_cf = sqlite3(&db, "UPDATE companies SET codice_fiscale = '01114601006'");
    assert!(String::from_utf8_lossy(&change_cf.stderr).contains("cannot change"));
    let delete_unit = sqlite3(&db, "DELETE FROM units");
    assert!(String::from_utf8_lossy(&delete_unit.stderr).contains("cannot be deleted"));
    for sql in [
        "UPDATE audit_log SET summary = 'x'",
        "DELETE FROM audit_log",
    ] {
        let out = sqlite3(&db, sql);
        assert!(
            String::from_utf8_lossy(&out.stderr).contains("append-only"),
            "{sql}"
        );
    }
    let store = Store::open(&db).expect("reopen");
    assert_eq!(store.integrity_check().expect("check"), "ok");
    assert_eq!(
        store
            .company("00743110157")
            .expect("q")
            .map(|c| c.units.len()),
        Some(1)
    );
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(
            std::fs::metadata(&db).expect("meta").permissions().mode() & 0o077,
            0
        );
    }
}

#[test]
fn tampering_behind_the_programs_back_is_named() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (mut store, session) = with_session(dir.path());
    for (cf, name) in [
        ("00743110157", "ACME"),
        ("01114601006", "Beta"),
        ("12345678903", "Gamma"),
    ] {
        let request = CompanyRequest {
            codice_fiscale: cf,
            name,
            ..acme(vec![("datore-privato", None)])
        };
        registry::register_company(&mut store, Some(session), &request).expect("registered");
    }
    assert_eq!(store.audit_verify().expect("verify").rows, 4);
    let db = store.path.clone();
    drop(store);
    let edit = sqlite3(&db, "DROP TRIGGER audit_log_no_update; UPDATE audit_log SET summary = 'nothing happened' WHERE seq = 3;");
    assert!(edit.status.success());
    let check = Store::open(&db)
        .expect("open")
        .audit_verify()
        .expect("verify");
    assert_eq!(check.first_broken.as_ref().map(|(seq, _)| *seq), Some(3));

    let dir2 = tempfile::tempdir().expect("tempdir");
    let (mut store, session) = with_session(dir2.path());
    for (cf, name) in [("00743110157", "ACME"), ("01114601006", "Beta")] {
        let request = CompanyRequest {
            codice_fiscale: cf,
            name,
            ..acme(vec![("datore-privato", None)])
        };
        registry::register_company(&mut store, Some(session), &request).expect("registered");
    }
    let db = store.path.clone();
    drop(store);
    sqlite3(
        &db,
        "DROP TRIGGER audit_log_no_delete; DELETE FROM audit_log WHERE seq = 2;",
    );
    let check = Store::open(&db)
        .expect("open")
        .audit_verify()
        .expect("verify");
    assert_eq!(check.first_broken.as_ref().map(|(seq, _)| *seq), Some(3));

    // The CLI says it too, in Italian, with a failing exit code.
    let out = Command::new(env!("CARGO_BIN_EXE_sportello"))
        .arg("--db")
        .arg(&db)
        .args(["audit", "verify"])
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stdout).contains("REGISTRO ALTERATO: la riga 3"));
}

#[test]
fn deleting_the_newest_audit_rows_is_named_too() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (mut store, session) = with_session(dir.path());
    for (cf, name) in [("00743110157", "ACME"), ("01114601006", "Beta")] {
        let request = CompanyRequest {
            codice_fiscale: cf,
            name,
            ..acme(vec![("datore-privato", None)])
        };
        registry::register_company(&mut store, Some(session), &request).expect("registered");
    }
    assert_eq!(store.audit_verify().expect("verify").first_broken, None);
    let db = store.path.clone();
    drop(store);
    // The chain that is left still fits together: only the recorded head shows the loss.
    sqlite3(
        &db,
        "DROP TRIGGER audit_log_no_delete; DELETE FROM audit_log WHERE seq >= 2;",
    );
    let check = Store::open(&db)
        .expect("open")
        .audit_verify()
        .expect("verify");
    let (seq, why) = check.first_broken.expect("truncation detected");
    assert_eq!(seq, 2, "the first missing row");
    assert!(why.contains("up to row 3"), "{why}");
    let out = Command::new(env!("CARGO_BIN_EXE_sportello"))
        .arg("--db")
        .arg(&db)
        .args(["audit", "verify"])
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(1));
}
