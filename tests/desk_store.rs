//! The desk database: schema rules enforced by the engine itself (SQLite and PostgreSQL),
//! the hash-chained audit log, the bootstrap and session rules, refusals that leave the
//! database exactly as it was. Every test runs on both engines.

mod common;

use std::process::Command;

use common::Backend;
use sportello::registry::{self, CompanyRequest, RegistryError, SessionRef};
use sportello::store::officers;

crate::on_both_engines!(
    bootstrap_then_sessions,
    company_registration_and_its_refusals,
    the_schema_enforces_what_code_might_forget,
    tampering_behind_the_programs_back_is_named,
    deleting_the_newest_audit_rows_is_named_too,
);

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

fn bootstrap_then_sessions(backend: Backend) {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut store = backend.open(dir.path());
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

fn company_registration_and_its_refusals(backend: Backend) {
    let dir = tempfile::tempdir().expect("tempdir");
    let (mut store, session) = common::officer_in_session_on(backend, dir.path());
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

fn the_schema_enforces_what_code_might_forget(backend: Backend) {
    let dir = tempfile::tempdir().expect("tempdir");
    let (mut store, session) = common::officer_in_session_on(backend, dir.path());
    registry::register_company(
        &mut store,
        Some(session),
        &acme(vec![("datore-privato", None)]),
    )
    .expect("registered");
    let db = store.path.clone();
    drop(store);
    let d = dir.path();
    let change_cf = backend.raw(d, "UPDATE companies SET codice_fiscale = '01114601006'");
    assert!(change_cf.expect_err("refused").contains("cannot change"));
    let delete_unit = backend.raw(d, "DELETE FROM units");
    assert!(delete_unit
        .expect_err("refused")
        .contains("cannot be deleted"));
    let mut refusals = vec![
        "UPDATE audit_log SET summary = 'x'",
        "DELETE FROM audit_log",
    ];
    if backend == Backend::Postgres {
        refusals.extend(["TRUNCATE audit_log", "TRUNCATE companies CASCADE"]);
    }
    for sql in refusals {
        let out = backend.raw(d, sql);
        assert!(
            out.as_ref()
                .is_err_and(|e| e.contains("append-only") || e.contains("not deleted")),
            "{sql}: {out:?}"
        );
    }
    let store = backend.open(d);
    assert_eq!(store.integrity_check().expect("check"), "ok");
    assert_eq!(
        store
            .company("00743110157")
            .expect("q")
            .map(|c| c.units.len()),
        Some(1)
    );
    #[cfg(unix)]
    if backend == Backend::Sqlite {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(
            std::fs::metadata(&db).expect("meta").permissions().mode() & 0o077,
            0
        );
    }
}

fn tampering_behind_the_programs_back_is_named(backend: Backend) {
    let dir = tempfile::tempdir().expect("tempdir");
    let (mut store, session) = common::officer_in_session_on(backend, dir.path());
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
    drop(store);
    backend
        .tamper(
            dir.path(),
            "UPDATE audit_log SET summary = 'nothing happened' WHERE seq = 3",
        )
        .expect("a superuser can edit");
    let check = backend.open(dir.path()).audit_verify().expect("verify");
    assert_eq!(check.first_broken.as_ref().map(|(seq, _)| *seq), Some(3));

    let dir2 = tempfile::tempdir().expect("tempdir");
    let (mut store, session) = common::officer_in_session_on(backend, dir2.path());
    for (cf, name) in [("00743110157", "ACME"), ("01114601006", "Beta")] {
        let request = CompanyRequest {
            codice_fiscale: cf,
            name,
            ..acme(vec![("datore-privato", None)])
        };
        registry::register_company(&mut store, Some(session), &request).expect("registered");
    }
    drop(store);
    backend
        .tamper(dir2.path(), "DELETE FROM audit_log WHERE seq = 2")
        .expect("a superuser can delete");
    let check = backend.open(dir2.path()).audit_verify().expect("verify");
    assert_eq!(check.first_broken.as_ref().map(|(seq, _)| *seq), Some(3));

    // The CLI says it too, in Italian, with a failing exit code.
    let out = Command::new(env!("CARGO_BIN_EXE_sportello"))
        .arg("--data-dir")
        .arg(dir2.path())
        .arg("--db")
        .arg(backend.db_arg(dir2.path()))
        .args(["audit", "verify"])
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stdout).contains("REGISTRO ALTERATO: la riga 3"));
}

fn deleting_the_newest_audit_rows_is_named_too(backend: Backend) {
    let dir = tempfile::tempdir().expect("tempdir");
    let (mut store, session) = common::officer_in_session_on(backend, dir.path());
    for (cf, name) in [("00743110157", "ACME"), ("01114601006", "Beta")] {
        let request = CompanyRequest {
            codice_fiscale: cf,
            name,
            ..acme(vec![("datore-privato", None)])
        };
        registry::register_company(&mut store, Some(session), &request).expect("registered");
    }
    assert_eq!(store.audit_verify().expect("verify").first_broken, None);
    drop(store);
    // The chain that is left still fits together: only the recorded head shows the loss.
    backend
        .tamper(dir.path(), "DELETE FROM audit_log WHERE seq >= 2")
        .expect("a superuser can delete");
    let check = backend.open(dir.path()).audit_verify().expect("verify");
    let (seq, why) = check.first_broken.expect("truncation detected");
    assert_eq!(seq, 2, "the first missing row");
    assert!(why.contains("up to row 3"), "{why}");
    let out = Command::new(env!("CARGO_BIN_EXE_sportello"))
        .arg("--data-dir")
        .arg(dir.path())
        .arg("--db")
        .arg(backend.db_arg(dir.path()))
        .args(["audit", "verify"])
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(1));
}

/// `--db` with a URL never becomes a file: a server the desk cannot reach is an error, and so
/// is any other kind of URL (it used to create a folder named `postgresql:`).
#[test]
fn database_urls_are_never_taken_for_files() {
    let cwd = tempfile::tempdir().expect("tempdir");
    let run = |db: &str| {
        Command::new(env!("CARGO_BIN_EXE_sportello"))
            .current_dir(cwd.path())
            .arg("--data-dir")
            .arg(cwd.path().join("data"))
            .args(["--db", db, "audit", "verify"])
            .output()
            .expect("run")
    };
    let unreachable = run("postgresql://desk@%2Fnonexistent%2Fsocket:5432/registry");
    assert!(!unreachable.status.success());
    let said = String::from_utf8_lossy(&unreachable.stderr).into_owned();
    assert!(said.contains("Impossibile aprire l'archivio"), "{said}");
    for other in [
        "mysql://office/registry",
        "sqlite:desk.db",
        "postgresql:/tmp/x",
    ] {
        let out = run(other);
        assert_eq!(out.status.code(), Some(64), "{other}: a usage error");
        assert!(
            String::from_utf8_lossy(&out.stderr).contains("postgres://"),
            "{other}"
        );
    }
    let left: Vec<_> = std::fs::read_dir(cwd.path())
        .expect("list")
        .map(|e| e.expect("entry").file_name())
        .filter(|n| n != "data")
        .collect();
    assert!(left.is_empty(), "nothing created beside: {left:?}");
}
