//! The office's PostgreSQL registry: `db init` with a desk role that cannot switch the rules
//! off, `db status`, and `db copy` of a desk's SQLite registry into the server.

mod common;

use std::process::{Command, Output};

use common::postgres;
use sportello::registry::{self, sessions, CompanyRequest};
use sportello::store::Store;

fn sportello(data: &std::path::Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_sportello"))
        .arg("--data-dir")
        .arg(data)
        .args(args)
        .output()
        .expect("run sportello")
}

fn ok(out: &Output) -> String {
    assert!(
        out.status.success(),
        "{}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn company<'a>(cf: &'a str, name: &'a str) -> CompanyRequest<'a> {
    CompanyRequest {
        codice_fiscale: cf,
        name,
        registered_office: None,
        pec: None,
        kinds: vec![("datore-privato".into(), None)],
    }
}

#[test]
fn the_desk_role_works_but_cannot_tamper() {
    let data = tempfile::tempdir().expect("data");
    let owner_url = postgres::fresh_database();
    ok(&sportello(
        data.path(),
        &["db", "init", &owner_url, "--desk-role", "desk"],
    ));
    let desk_url = owner_url.replacen("owner@", "desk@", 1);
    let (mut store, session) = {
        let mut store = Store::connect(&desk_url, &data.path().join("pg")).expect("desk connects");
        let officer = registry::add_officer(&mut store, None, "BNCGNN70C15L219B", "Giovanni")
            .expect("officer as the desk role");
        let session = store
            .change(|tx| {
                sportello::store::officers::open_session(tx, officer, &"ab".repeat(32), 30)
            })
            .expect("session");
        (store, registry::SessionRef(session))
    };
    registry::register_company(&mut store, Some(session), &company("00743110157", "ACME"))
        .expect("the desk role registers");
    registry::update_company(
        &mut store,
        Some(session),
        "00743110157",
        "ACME S.p.A.",
        None,
        None,
    )
    .expect("and updates");

    let mut desk = ::postgres::Client::connect(&desk_url, ::postgres::NoTls).expect("desk");
    for sql in [
        "UPDATE audit_log SET summary = 'nothing'",
        "DELETE FROM audit_log",
        "TRUNCATE audit_log",
        "DELETE FROM companies",
        "UPDATE companies SET codice_fiscale = '01114601006'",
        "DELETE FROM units",
        "SET session_replication_role = replica",
        "DROP TRIGGER audit_log_no_update ON audit_log",
        "ALTER TABLE audit_log DISABLE TRIGGER ALL",
        "UPDATE audit_head SET seq = 1",
        "CREATE TABLE x (a int)",
    ] {
        assert!(
            desk.batch_execute(sql).is_err(),
            "the desk role may not: {sql}"
        );
    }
    assert_eq!(store.audit_verify().expect("verify").first_broken, None);

    let refused = sportello(
        data.path(),
        &["db", "init", &owner_url, "--desk-role", "owner"],
    );
    assert!(!refused.status.success(), "the owner is not a desk role");
}

#[test]
fn status_names_the_engine_the_version_and_the_desks() {
    let data = tempfile::tempdir().expect("data");
    let url = postgres::fresh_database();
    let mut store = Store::connect(&url, &data.path().join("pg")).expect("connect");
    registry::add_officer(&mut store, None, "BNCGNN70C15L219B", "Giovanni").expect("officer");
    let out = ok(&sportello(
        data.path(),
        &["--db", &url, "db", "status", "--json"],
    ));
    let status: serde_json::Value = serde_json::from_str(&out).expect("json");
    assert_eq!(status["engine"], "postgresql");
    assert_eq!(status["schema_version"], 3);
    assert_eq!(status["audit_rows"], 1);
    assert_eq!(status["last_audit_row"]["action"], "officer.add");
    assert!(status["size_bytes"].as_i64().unwrap_or(0) > 0);
    let desks = status["connected_desks"].as_array().expect("desks");
    assert!(
        desks.len() >= 2,
        "this test's desk and the status command itself: {desks:?}"
    );
    let human = ok(&sportello(data.path(), &["--db", &url, "db", "status"]));
    assert!(human.contains("versione schema: 3"), "{human}");

    let sqlite = ok(&sportello(data.path(), &["db", "status", "--json"]));
    let sqlite: serde_json::Value = serde_json::from_str(&sqlite).expect("json");
    assert_eq!(sqlite["engine"], "sqlite");
}

#[test]
fn a_desks_sqlite_registry_is_copied_to_the_server_whole() {
    let data = tempfile::tempdir().expect("data");
    let file = data.path().join("desk.db");
    {
        let mut store = Store::open(&file).expect("sqlite");
        registry::add_officer(&mut store, None, "BNCGNN70C15L219B", "Giovanni").expect("officer");
        let opened = sessions::login(
            &mut store,
            &sessions::LoginRequest {
                codice_fiscale: "BNCGNN70C15L219B",
                passed: true,
                reasons: &[],
                evidence_json: br#"{"card_kind":"cns","verdict":"PASSED"}"#,
                minutes: 30,
            },
        )
        .expect("login");
        let session = Some(registry::SessionRef(opened.session_id));
        for (cf, name) in [("00743110157", "ACME"), ("01114601006", "Beta")] {
            registry::register_company(&mut store, session, &company(cf, name)).expect("company");
        }
        registry::add_unit(&mut store, session, "00743110157", "Filiale").expect("unit");
    }
    let url = postgres::fresh_database();
    let file_arg = file.display().to_string();
    let out = ok(&sportello(
        data.path(),
        &["db", "copy", &file_arg, &url, "--json"],
    ));
    let report: serde_json::Value = serde_json::from_str(&out).expect("json");
    assert_eq!(report["documents"], 1, "the card evidence, bytes included");
    assert_eq!(report["audit_rows"], 5);

    let source = Store::open(&file).expect("sqlite");
    let target = Store::connect(&url, &data.path().join("pg")).expect("server");
    assert_eq!(target.audit_verify().expect("verify").first_broken, None);
    assert_eq!(
        serde_json::to_value(source.audit_rows().expect("rows")).expect("json"),
        serde_json::to_value(target.audit_rows().expect("rows")).expect("json")
    );
    assert_eq!(
        source.companies("").expect("list"),
        target.companies("").expect("list")
    );
    assert_eq!(
        target
            .company("00743110157")
            .expect("q")
            .expect("acme")
            .units,
        ["Sede", "Filiale"]
    );
    let evidence = target.audit_rows().expect("rows")[1]
        .evidence_sha256
        .clone()
        .expect("login evidence");
    assert_eq!(
        target.document_content(&evidence).expect("content"),
        source.document_content(&evidence).expect("content")
    );
    // New rows on the server continue after the copied ids.
    let mut target = target;
    registry::add_officer(&mut target, None, "RSSMRA80A01H501U", "Mario")
        .expect_err("not at bootstrap any more: a session is needed");
    let again = sportello(data.path(), &["db", "copy", &file_arg, &url]);
    assert!(!again.status.success(), "a non-empty target is refused");
    assert!(String::from_utf8_lossy(&again.stderr).contains("not empty"));
}

/// Four desks starting together on an empty database create the schema exactly once.
#[test]
fn desks_starting_together_create_the_schema_once() {
    let data = tempfile::tempdir().expect("data");
    let url = postgres::fresh_database();
    let desks: Vec<_> = (0..4)
        .map(|i| {
            let url = url.clone();
            let local = data.path().join(format!("pg{i}"));
            std::thread::spawn(move || Store::connect(&url, &local).map(|_| ()))
        })
        .collect();
    for desk in desks {
        desk.join().expect("thread").expect("every desk starts");
    }
    let mut client = ::postgres::Client::connect(&url, ::postgres::NoTls).expect("owner");
    let versions: i64 = client
        .query_one("SELECT count(*) FROM schema_version", &[])
        .expect("versions")
        .get(0);
    assert_eq!(versions, 1);
}
