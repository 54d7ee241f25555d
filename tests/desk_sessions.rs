//! Desk sessions: a card authentication opens one, a refused one is recorded, logout ends it,
//! and a database made by the previous schema version is migrated without losing anything.

mod common;

use common::Backend;
use sportello::registry::{self, sessions, RegistryError, SessionRef};
use sportello::store::Store;

crate::on_both_engines!(
    a_passed_card_authentication_opens_a_session_that_allows_changes,
    a_failed_card_authentication_is_refused_and_recorded_without_a_session,
    a_card_of_someone_who_is_not_an_officer_is_refused,
    logout_ends_the_session_and_later_changes_are_refused
);

const OFFICER: &str = "BNCGNN70C15L219B";

fn bootstrap_on(backend: Backend, dir: &std::path::Path) -> Store {
    let mut store = backend.open(dir);
    registry::add_officer(&mut store, None, OFFICER, "Giovanni Bianchi").expect("bootstrap");
    store
}

fn request<'a>(cf: &'a str, passed: bool, reasons: &'a [String]) -> sessions::LoginRequest<'a> {
    sessions::LoginRequest {
        codice_fiscale: cf,
        passed,
        reasons,
        evidence_json: br#"{"card_kind":"cns","verdict":"PASSED"}"#,
        minutes: 30,
    }
}

fn actions(store: &Store) -> Vec<String> {
    store
        .audit_rows()
        .expect("audit")
        .into_iter()
        .map(|r| r.action)
        .collect()
}

fn a_passed_card_authentication_opens_a_session_that_allows_changes(backend: Backend) {
    let dir = tempfile::tempdir().expect("tmp");
    let mut store = bootstrap_on(backend, dir.path());
    let opened = sessions::login(&mut store, &request(OFFICER, true, &[])).expect("login");
    assert_eq!(opened.officer.codice_fiscale, OFFICER);
    let session = Some(SessionRef(opened.session_id));
    registry::add_officer(&mut store, session, "RSSMRA80A01H501U", "Mario Rossi")
        .expect("a change inside the session");
    let rows = store.audit_rows().expect("audit");
    let login = rows
        .iter()
        .find(|r| r.action == "login")
        .expect("login row");
    assert_eq!(login.session_id, Some(opened.session_id));
    assert_eq!(
        login.evidence_sha256.as_deref(),
        Some(opened.evidence_sha256.as_str()),
        "the login row points at the stored card evidence"
    );
    assert!(store.audit_verify().expect("verify").first_broken.is_none());
}

fn a_failed_card_authentication_is_refused_and_recorded_without_a_session(backend: Backend) {
    let dir = tempfile::tempdir().expect("tmp");
    let mut store = bootstrap_on(backend, dir.path());
    let reasons = vec!["certificate issuer is not trusted".to_string()];
    let err = sessions::login(&mut store, &request(OFFICER, false, &reasons)).unwrap_err();
    assert!(
        matches!(err, RegistryError::AuthenticationFailed(ref why) if why.contains("not trusted"))
    );
    assert!(err.italian().contains("Accesso negato"));
    assert_eq!(actions(&store), ["officer.add", "login.refused"]);
    let refused = store.audit_rows().expect("audit").pop().expect("row");
    assert_eq!(refused.session_id, None);
    assert!(
        refused.evidence_sha256.is_some(),
        "the refused card's evidence is kept"
    );
    let sessions_open = count(&store, "SELECT count(*) FROM sessions");
    assert_eq!(sessions_open, 0);
}

fn a_card_of_someone_who_is_not_an_officer_is_refused(backend: Backend) {
    let dir = tempfile::tempdir().expect("tmp");
    let mut store = bootstrap_on(backend, dir.path());
    let err = sessions::login(&mut store, &request("RSSMRA80A01H501U", true, &[])).unwrap_err();
    assert!(matches!(err, RegistryError::NotAnOfficer(ref cf) if cf == "RSSMRA80A01H501U"));
    assert_eq!(actions(&store), ["officer.add", "login.refused"]);
}

fn logout_ends_the_session_and_later_changes_are_refused(backend: Backend) {
    let dir = tempfile::tempdir().expect("tmp");
    let mut store = bootstrap_on(backend, dir.path());
    let opened = sessions::login(&mut store, &request(OFFICER, true, &[])).expect("login");
    let session = Some(SessionRef(opened.session_id));
    sessions::logout(&mut store, session).expect("logout");
    let err =
        registry::add_officer(&mut store, session, "RSSMRA80A01H501U", "Mario Rossi").unwrap_err();
    assert!(matches!(err, RegistryError::NoSession), "{err}");
    assert!(matches!(
        sessions::logout(&mut store, session),
        Err(RegistryError::NoSession)
    ));
    assert!(sessions::current(&mut store, session)
        .expect("current")
        .is_none());
    assert_eq!(actions(&store), ["officer.add", "login", "logout"]);
}

#[test]
fn a_version_1_database_is_migrated_and_keeps_its_data() {
    let dir = tempfile::tempdir().expect("tmp");
    let path = dir.path().join("desk.db");
    {
        let mut store = bootstrap_on(Backend::Sqlite, dir.path());
        sessions::login(&mut store, &request(OFFICER, true, &[])).expect("login");
    }
    // Make it what version 1 wrote: no ended_at column, no index by name.
    let conn = rusqlite::Connection::open(&path).expect("sqlite");
    conn.execute_batch(
        "DROP INDEX companies_by_name; ALTER TABLE sessions DROP COLUMN ended_at; PRAGMA user_version = 1;",
    )
        .expect("downgrade");
    drop(conn);
    let mut store = Store::open(&path).expect("reopen migrates");
    assert_eq!(
        count(&store, "PRAGMA user_version"),
        sportello::store::SCHEMA_VERSION
    );
    assert_eq!(
        count(
            &store,
            "SELECT count(*) FROM sessions WHERE ended_at IS NULL"
        ),
        1
    );
    assert!(store.audit_verify().expect("verify").first_broken.is_none());
    let again =
        sessions::login(&mut store, &request(OFFICER, true, &[])).expect("login after migration");
    sessions::logout(&mut store, Some(SessionRef(again.session_id))).expect("logout");
}

fn count(store: &Store, sql: &str) -> i64 {
    store.db().query_row(sql, &[], |r| r.get(0)).expect("count")
}
