//! Grants of profiles: levels, company kinds, registered citizens, states, overdue revocations.

mod common;

use common::Backend;
use sportello::registry::grants;
use sportello::registry::people::add_person;
use sportello::registry::{self, CompanyRequest, GrantState, RegistryError, SessionRef};
use sportello::store::Store;

crate::on_both_engines!(
    levels_kinds_and_citizens_decide,
    revocation_suspension_and_overdue,
    overdue_and_audit_export_on_the_command_line
);

fn desk(
    backend: Backend,
    kinds: Vec<(&str, Option<&str>)>,
) -> (tempfile::TempDir, Store, SessionRef) {
    let dir = tempfile::tempdir().expect("tempdir");
    let (mut store, session) = common::officer_in_session_on(backend, dir.path());
    let request = CompanyRequest {
        codice_fiscale: "00743110157",
        name: "ACME",
        registered_office: None,
        pec: None,
        kinds: kinds
            .into_iter()
            .map(|(k, a)| (k.to_string(), a.map(str::to_string)))
            .collect(),
    };
    registry::register_company(&mut store, Some(session), &request).expect("company");
    add_person(
        &mut store,
        Some(session),
        "VRDLCU85M41F205J",
        "VERDI",
        "LUCIA",
        true,
    )
    .expect("citizen");
    add_person(
        &mut store,
        Some(session),
        "RSSMRA80A01H501U",
        "ROSSI",
        "MARIO",
        false,
    )
    .expect("not a citizen");
    (dir, store, session)
}

fn levels_kinds_and_citizens_decide(backend: Backend) {
    let (_dir, mut store, s) = desk(backend, vec![("datore-privato", None)]);
    let before = store.audit_rows().expect("rows").len();
    let refusals: Vec<(Result<i64, RegistryError>, &str)> = vec![
        (
            grants::add(
                &mut store,
                Some(s),
                "00743110157",
                "VRDLCU85M41F205J",
                "co-storico",
                Some("Sede"),
            ),
            "sottogruppo",
        ),
        (
            grants::add(
                &mut store,
                Some(s),
                "00743110157",
                "VRDLCU85M41F205J",
                "offerte-lavoro",
                None,
            ),
            "gruppo",
        ),
        (
            grants::add(
                &mut store,
                Some(s),
                "00743110157",
                "VRDLCU85M41F205J",
                "rete-attiva",
                None,
            ),
            "accreditato-servizi-lavoro",
        ),
        (
            grants::add(
                &mut store,
                Some(s),
                "00743110157",
                "VRDLCU85M41F205J",
                "tirocini-compilatore",
                Some("Sede"),
            ),
            "promotore-tirocinio",
        ),
        (
            grants::add(
                &mut store,
                Some(s),
                "00743110157",
                "RSSMRA80A01H501U",
                "co-gestione",
                None,
            ),
            "cittadino registrato",
        ),
        (
            grants::add(
                &mut store,
                Some(s),
                "00743110157",
                "VRDLCU85M41F205J",
                "co-gestione",
                Some("Magazzino"),
            ),
            "Magazzino",
        ),
        (
            grants::add(
                &mut store,
                Some(s),
                "00743110157",
                "VRDLCU85M41F205J",
                "pilota",
                None,
            ),
            "sconosciuto",
        ),
    ];
    for (result, italian) in refusals {
        let err = result.expect_err("refused");
        assert!(err.italian().contains(italian), "{}", err.italian());
    }
    assert_eq!(
        store.audit_rows().expect("rows").len(),
        before,
        "refusals leave no trace"
    );
    grants::add(
        &mut store,
        Some(s),
        "00743110157",
        "VRDLCU85M41F205J",
        "co-gestione",
        None,
    )
    .expect("company level");
    grants::add(
        &mut store,
        Some(s),
        "00743110157",
        "VRDLCU85M41F205J",
        "offerte-lavoro",
        Some("Sede"),
    )
    .expect("unit level");
    let list = store.grants("00743110157").expect("grants");
    assert_eq!(list.len(), 2);
    assert_eq!(list[1].unit.as_deref(), Some("Sede"));

    let (_dir2, mut promoter, s2) = desk(
        backend,
        vec![("promotore-tirocinio", Some("Albo regionale n. 7"))],
    );
    grants::add(
        &mut promoter,
        Some(s2),
        "00743110157",
        "VRDLCU85M41F205J",
        "tirocini-compilatore",
        Some("Sede"),
    )
    .expect("a promoter may use the trainee profiles");
}

fn revocation_suspension_and_overdue(backend: Backend) {
    let (_dir, mut store, s) = desk(backend, vec![("datore-privato", None)]);
    let a = grants::add(
        &mut store,
        Some(s),
        "00743110157",
        "VRDLCU85M41F205J",
        "co-gestione",
        None,
    )
    .expect("a");
    let b = grants::add(
        &mut store,
        Some(s),
        "00743110157",
        "VRDLCU85M41F205J",
        "co-visualizzazione",
        None,
    )
    .expect("b");
    let today = time::OffsetDateTime::now_utc().date();
    grants::end_relationship(&mut store, Some(s), a, today - time::Duration::days(6))
        .expect("ended 6 days ago");
    grants::end_relationship(&mut store, Some(s), b, today - time::Duration::days(5))
        .expect("ended 5 days ago");
    let overdue = store.overdue_grants(today).expect("overdue");
    assert_eq!(
        overdue.iter().map(|g| g.id).collect::<Vec<_>>(),
        [a],
        "more than 5 days is overdue, 5 is not"
    );

    assert!(matches!(
        grants::change_state(&mut store, Some(s), a, GrantState::Revoked, ""),
        Err(RegistryError::ReasonNeeded)
    ));
    grants::change_state(&mut store, Some(s), a, GrantState::Revoked, "fine rapporto")
        .expect("revoked");
    assert!(
        store.overdue_grants(today).expect("overdue").is_empty(),
        "revoked grants are no longer overdue"
    );
    grants::change_state(
        &mut store,
        Some(s),
        b,
        GrantState::Suspended,
        "credenziali sottratte",
    )
    .expect("suspended");
    assert!(matches!(
        grants::change_state(&mut store, Some(s), b, GrantState::Revoked, "doppia"),
        Err(RegistryError::GrantNotActive(_, ref state)) if state == "sospesa"
    ));
    let actions: Vec<String> = store
        .audit_rows()
        .expect("rows")
        .into_iter()
        .map(|r| r.action)
        .collect();
    assert!(actions.ends_with(&["grant.revoke".to_string(), "grant.suspend".to_string()]));
    assert_eq!(store.audit_verify().expect("verify").first_broken, None);
}

fn overdue_and_audit_export_on_the_command_line(backend: Backend) {
    let (dir, mut store, s) = desk(backend, vec![("datore-privato", None)]);
    let a = grants::add(
        &mut store,
        Some(s),
        "00743110157",
        "VRDLCU85M41F205J",
        "co-gestione",
        None,
    )
    .expect("a");
    let today = time::OffsetDateTime::now_utc().date();
    grants::end_relationship(&mut store, Some(s), a, today - time::Duration::days(10))
        .expect("ended");
    let rows = store.audit_rows().expect("rows").len();
    drop(store);
    let db = backend.db_arg(dir.path());
    let run = |args: &[&str]| {
        std::process::Command::new(env!("CARGO_BIN_EXE_sportello"))
            .arg("--data-dir")
            .arg(dir.path())
            .arg("--db")
            .arg(&db)
            .args(args)
            .output()
            .expect("run")
    };
    let overdue: serde_json::Value =
        serde_json::from_slice(&run(&["overdue", "--json"]).stdout).expect("json");
    assert_eq!(overdue[0]["id"], a);
    assert_eq!(overdue[0]["person_cf"], "VRDLCU85M41F205J");
    let human = String::from_utf8_lossy(&run(&["overdue"]).stdout).into_owned();
    assert!(human.contains("fine rapporto"), "{human}");
    let export: serde_json::Value =
        serde_json::from_slice(&run(&["audit", "export", "--json"]).stdout).expect("json");
    assert_eq!(export.as_array().map(Vec::len), Some(rows));
    let verify = run(&["audit", "verify"]);
    assert_eq!(verify.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&verify.stdout).contains("Registro integro"));
}
