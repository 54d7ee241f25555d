//! A desk day through the command line: bootstrap, card login of the officer on the emulated
//! CNS (through pcscd), registration, a nomination with a form signed by the test PKI,
//! approval, grants, overdue, audit, logout. And the card logins the desk must refuse.

mod common;
mod emulator;
mod rig;
mod support;

use std::io::Write;
use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::time::Duration;

use common::Backend;
use emulator::{CardHandle, CardMaterial, CnsModel, CnsOptions, HolderOptions, VirtualCard};
use support::fixtures;

const OFFICER_CF: &str = "BNCGNN70C15L219B";
const PIN: &str = "12345678";

/// An emulated CNS of `holder` in a reader of the rig, seen by pcscd.
struct CardAtTheDesk {
    claim: rig::ReaderClaim,
    material: CardMaterial,
    _dir: tempfile::TempDir,
    card: CardHandle,
}

fn card_at_the_desk(holder: HolderOptions) -> CardAtTheDesk {
    let claim = rig::claim_reader();
    let dir = tempfile::tempdir().expect("card dir");
    let material = CardMaterial::generate(dir.path(), holder);
    let card = VirtualCard::insert(
        claim.port,
        CnsModel::new(material.clone(), CnsOptions::for_material(&material)),
    );
    let ctx = pcsc::Context::establish(pcsc::Scope::User).expect("pcscd");
    rig::wait_for_card(&ctx, &claim.reader_name, true, Duration::from_secs(15));
    CardAtTheDesk {
        claim,
        material,
        _dir: dir,
        card,
    }
}

fn officer_card() -> HolderOptions {
    HolderOptions {
        surname: "BIANCHI".into(),
        name: "GIOVANNI".into(),
        codice_fiscale: OFFICER_CF.into(),
        ..HolderOptions::default()
    }
}

/// `sportello login` on the card's reader with the PIN typed on standard input.
fn login(data: &Path, card: &CardAtTheDesk, pin: &str) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_sportello"))
        .env("SPORTELLO_DATA_DIR", data)
        .args(["login", "--pin-stdin", "--reader", &card.claim.reader_name])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run sportello login");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(format!("{pin}\n").as_bytes())
        .expect("type the PIN");
    let out = child.wait_with_output().expect("login ends");
    let printed = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        !printed.contains(pin),
        "the PIN is never printed: {printed}"
    );
    out
}

fn actions(data: &Path) -> Vec<String> {
    serde_json::from_slice::<serde_json::Value>(&run(data, &["audit", "export", "--json"]).stdout)
        .expect("json")
        .as_array()
        .expect("rows")
        .iter()
        .map(|r| r["action"].as_str().unwrap_or("").to_string())
        .collect()
}

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
fn a_desk_day_on_sqlite() {
    a_desk_day(Backend::Sqlite);
}

/// The same day with the registry on a PostgreSQL server, named by the data directory's
/// `database` setting as an office would.
#[test]
fn a_desk_day_on_postgres() {
    a_desk_day(Backend::Postgres);
}

fn a_desk_day(backend: Backend) {
    let data = tempfile::tempdir().expect("tempdir");
    let d = data.path();
    if backend == Backend::Postgres {
        std::fs::write(d.join("database"), backend.db_arg(d)).expect("database setting");
    }
    let f = fixtures();
    let s = |p: &Path| p.display().to_string();
    let card = card_at_the_desk(officer_card());

    // Bootstrap: before the first officer, the office says which CA issues its officers'
    // cards; then the first officer.
    ok(&run(d, &["trust", "import", &s(&card.material.ca_cert)]));
    ok(&run(
        d,
        &[
            "officer",
            "add",
            "--cf",
            OFFICER_CF,
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
    let anchors_before = run(d, &["trust", "list", "--json"]).stdout;
    let untrusted = run(d, &["trust", "import", &s(&f.pki.root_cert)]);
    assert_eq!(untrusted.status.code(), Some(1));
    assert_eq!(
        run(d, &["trust", "list", "--json"]).stdout,
        anchors_before,
        "nothing imported"
    );

    // The officer logs in with the card: PIN, challenge signed by the card, certificate
    // checked against the anchor imported above, codice fiscale cross-checked.
    let logged_in = login(d, &card, PIN);
    ok(&logged_in);
    assert!(
        String::from_utf8_lossy(&logged_in.stdout).contains("Sessione aperta per Giovanni Bianchi")
    );
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
    assert_eq!(
        actions(d),
        [
            "trust.import",
            "officer.add",
            "login",
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

    // Logout ends the session: the next change is refused.
    ok(&run(d, &["logout"]));
    if backend == Backend::Postgres {
        assert!(
            !d.join("sportello.db").exists(),
            "the registry is on the server, not in a local file"
        );
    }
    let after = run(
        d,
        &["unit", "add", "--company", "00743110157", "--name", "Dopo"],
    );
    assert_eq!(after.status.code(), Some(1));
    assert_eq!(actions(d).last().map(String::as_str), Some("logout"));
    drop(card);
}

#[test]
fn card_logins_the_desk_refuses_are_recorded() {
    let data = tempfile::tempdir().expect("tempdir");
    let d = data.path();
    let officer = card_at_the_desk(officer_card());
    let citizen = card_at_the_desk(HolderOptions::default());
    // Each emulated card comes with its own test CA: the office trusts both.
    for card in [&officer, &citizen] {
        let ca = card.material.ca_cert.display().to_string();
        ok(&run(d, &["trust", "import", &ca]));
    }
    ok(&run(
        d,
        &[
            "officer",
            "add",
            "--cf",
            OFFICER_CF,
            "--name",
            "Giovanni Bianchi",
        ],
    ));

    // A wrong PIN costs a try, says so, and opens nothing.
    let wrong = login(d, &officer, "00000000");
    assert_eq!(wrong.status.code(), Some(77), "{wrong:?}");
    assert_eq!(officer.card.pin_tries_left(), Some(2));
    assert!(!d.join("sportello.db.session").exists());

    // A genuine card of someone who is not an officer: authenticated, then refused.
    let stranger = login(d, &citizen, PIN);
    assert_eq!(stranger.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&stranger.stderr).contains("non è un operatore"));

    // An officer's codice fiscale on a card from a CA the office does not trust.
    let forged = card_at_the_desk(HolderOptions {
        untrusted_issuer: true,
        ..officer_card()
    });
    let untrusted = login(d, &forged, PIN);
    assert_eq!(untrusted.status.code(), Some(1), "{untrusted:?}");
    assert!(
        !d.join("sportello.db.session").exists(),
        "no session was opened"
    );
    assert_eq!(
        actions(d),
        [
            "trust.import",
            "trust.import",
            "officer.add",
            "login.refused",
            "login.refused"
        ]
    );
    ok(&run(d, &["audit", "verify"]));
}
