//! A desk day through the command line: bootstrap, registration, a nomination with a form
//! signed by the test PKI, approval with confirmation, grants, overdue, audit. The officer's
//! session is opened through the store, as `sportello login` will after card authentication
//! (the card part is issue 4).

mod support;

use std::path::Path;
use std::process::{Command, Output};

use sportello::store::{officers, write_session_file, Store};
use support::fixtures;

fn run(data: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_sportello"))
        .env("SPORTELLO_DATA_DIR", data)
        .args(args)
        .output()
        .expect("run sportello")
}

fn ok(out: &Output) {
    assert!(
        out.status.success(),
        "{}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

fn audit_rows(data: &Path) -> usize {
    let out = run(data, &["audit", "export", "--json"]);
    serde_json::from_slice::<serde_json::Value>(&out.stdout)
        .expect("json")
        .as_array()
        .map(Vec::len)
        .unwrap_or(0)
}

#[test]
fn a_desk_day() {
    let data = tempfile::tempdir().expect("tempdir");
    let d = data.path();
    let f = fixtures();
    let s = |p: &Path| p.display().to_string();

    ok(&run(
        d,
        &[
            "officer",
            "add",
            "--cf",
            "BNCGNN70C15L219B",
            "--name",
            "Giovanni Bianchi",
        ],
    ));
    // Without a session, changes are refused in Italian and nothing is written.
    let refused = run(
        d,
        &[
            "company",
            "register",
            "--cf",
            "00743110157",
            "--name",
            "ACME",
            "--kind",
            "datore-privato",
        ],
    );
    assert_eq!(refused.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&refused.stderr).contains("sessione"));
    // Once an officer exists, what the desk trusts changes only in a session.
    let untrusted = run(d, &["trust", "import", &s(&f.pki.root_cert)]);
    assert_eq!(untrusted.status.code(), Some(1));
    assert!(!d.join("trust/anchors").exists(), "nothing imported");

    let db = d.join("sportello.db");
    let mut store = Store::open(&db).expect("open");
    let session = store
        .change(|tx| officers::open_session(tx, 1, &"ab".repeat(32), 30))
        .expect("session");
    drop(store);
    write_session_file(&db, session).expect("session file");
    ok(&run(d, &["trust", "import", &s(&f.pki.root_cert)]));

    ok(&run(
        d,
        &[
            "company",
            "register",
            "--cf",
            "00743110157",
            "--name",
            "ACME S.p.A.",
            "--kind",
            "datore-privato",
            "--pec",
            "acme@pec.example.it",
        ],
    ));
    let before = audit_rows(d);
    let bad_cf = run(
        d,
        &[
            "company",
            "register",
            "--cf",
            "00743110158",
            "--name",
            "Altra",
            "--kind",
            "datore-privato",
        ],
    );
    assert_eq!(bad_cf.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&bad_cf.stderr).contains("carattere di controllo"));
    let duplicate = run(
        d,
        &[
            "company",
            "register",
            "--cf",
            "00743110157",
            "--name",
            "ACME",
            "--kind",
            "datore-privato",
        ],
    );
    assert_eq!(duplicate.status.code(), Some(1));
    assert_eq!(
        audit_rows(d),
        before,
        "refusals leave the database as it was"
    );

    ok(&run(
        d,
        &[
            "unit",
            "add",
            "--company",
            "00743110157",
            "--name",
            "Magazzino",
        ],
    ));
    ok(&run(
        d,
        &[
            "person",
            "add",
            "--cf",
            "RSSMRA80A01H501U",
            "--surname",
            "ROSSI",
            "--name",
            "MARIO",
        ],
    ));
    ok(&run(
        d,
        &[
            "person",
            "add",
            "--cf",
            "VRDLCU85M41F205J",
            "--surname",
            "VERDI",
            "--name",
            "LUCIA",
            "--citizen",
        ],
    ));
    ok(&run(
        d,
        &[
            "rep",
            "add",
            "--company",
            "00743110157",
            "--person",
            "RSSMRA80A01H501U",
        ],
    ));

    let form = f.der("delega-cli.pdf.p7m");
    let id_doc = d.join("ci.pdf");
    std::fs::write(&id_doc, b"%PDF carta d'identita").expect("id doc");
    let expired = run(
        d,
        &[
            "nomination",
            "submit",
            "--company",
            "00743110157",
            "--admin",
            "VRDLCU85M41F205J",
            "--form",
            &s(&form),
            "--id-doc",
            &s(&id_doc),
            "--id-expiry",
            "2020-01-01",
        ],
    );
    assert_eq!(expired.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&expired.stderr).contains("scaduto"));
    let submitted = run(
        d,
        &[
            "nomination",
            "submit",
            "--json",
            "--company",
            "00743110157",
            "--admin",
            "VRDLCU85M41F205J",
            "--form",
            &s(&form),
            "--id-doc",
            &s(&id_doc),
            "--id-expiry",
            "2099-12-31",
        ],
    );
    ok(&submitted);
    let id = serde_json::from_slice::<serde_json::Value>(&submitted.stdout).expect("json")["id"]
        .as_i64()
        .expect("id")
        .to_string();

    let pending: serde_json::Value = serde_json::from_slice(
        &run(d, &["nomination", "list", "--state", "in-attesa", "--json"]).stdout,
    )
    .expect("json");
    assert_eq!(pending.as_array().map(Vec::len), Some(1));
    let unconfirmed = run(d, &["nomination", "approve", &id]);
    assert_eq!(unconfirmed.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&unconfirmed.stderr).contains("--confirm"));
    ok(&run(d, &["nomination", "approve", &id, "--confirm"]));

    ok(&run(
        d,
        &[
            "grant",
            "add",
            "--company",
            "00743110157",
            "--person",
            "VRDLCU85M41F205J",
            "--profile",
            "offerte-lavoro",
            "--unit",
            "Magazzino",
        ],
    ));
    let wrong_level = run(
        d,
        &[
            "grant",
            "add",
            "--company",
            "00743110157",
            "--person",
            "VRDLCU85M41F205J",
            "--profile",
            "co-storico",
            "--unit",
            "Magazzino",
        ],
    );
    assert_eq!(wrong_level.status.code(), Some(1));
    let grants: serde_json::Value = serde_json::from_slice(
        &run(d, &["grant", "list", "--company", "00743110157", "--json"]).stdout,
    )
    .expect("json");
    let grant = grants[0]["id"].as_i64().expect("grant").to_string();
    ok(&run(d, &["grant", "end", &grant, "--date", "2020-01-01"]));
    let overdue: serde_json::Value =
        serde_json::from_slice(&run(d, &["overdue", "--json"]).stdout).expect("json");
    assert_eq!(overdue.as_array().map(Vec::len), Some(1));
    ok(&run(
        d,
        &["grant", "revoke", &grant, "--reason", "fine rapporto"],
    ));

    let show =
        String::from_utf8_lossy(&run(d, &["company", "show", "00743110157"]).stdout).into_owned();
    assert!(
        show.contains("legale-rappresentante: ROSSI MARIO (RSSMRA80A01H501U)"),
        "{show}"
    );
    assert!(show.contains("Amministratori: VRDLCU85M41F205J"), "{show}");
    assert!(show.contains("offerte-lavoro (revocata)"), "{show}");
    let verify = run(d, &["audit", "verify"]);
    ok(&verify);
    let actions: Vec<String> =
        serde_json::from_slice::<serde_json::Value>(&run(d, &["audit", "export", "--json"]).stdout)
            .expect("json")
            .as_array()
            .expect("rows")
            .iter()
            .map(|r| r["action"].as_str().unwrap_or("").to_string())
            .collect();
    assert_eq!(
        actions,
        [
            "officer.add",
            "trust.import",
            "company.register",
            "unit.add",
            "person.add",
            "person.add",
            "representative.add",
            "nomination.submit",
            "nomination.approve",
            "grant.add",
            "grant.end",
            "grant.revoke",
        ]
    );
}
