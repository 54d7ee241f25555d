//! Creates a demo desk database in a data directory, through the registry API: the demo
//! officer (the codice fiscale on the demo card), sample companies with kinds, units and
//! legal representatives, people, grants (one overdue) and pending nominations whose
//! delegation forms are `.p7m` files signed by a demo PKI made with the openssl CLI.
//! EVERYTHING HERE IS TEST MATERIAL: "DEMO - NON VALIDO".
//!
//! Usage: cargo run --example demo_seed -- DATA_DIR [ANCHOR.pem...]
//!        then: sportello --data-dir DATA_DIR
//! ANCHOR.pem: extra trust anchors, e.g. the CA of the emulated demo card (tests/emulator),
//! so that the demo officer's card login is trusted.

use std::path::{Path, PathBuf};
use std::process::{exit, Command};

use sportello::codice_fiscale::numeric_check_digit;
use sportello::registry::nominations::{self, IdentityDocument};
use sportello::registry::people::{add_person, add_representative};
use sportello::registry::{self, grants, CompanyRequest, RegistryError, SessionRef};
use sportello::store::{officers, Store};
use sportello::verify::VerifyOptions;

const OFFICER_CF: &str = "RSSMRA80A01H501U";
const OFFICER_NAME: &str = "MARIO ROSSI (DEMO)";
const MARK: &str = "DEMO - NON VALIDO";

fn fail(what: &str, e: impl std::fmt::Display) -> ! {
    eprintln!("demo_seed: {what}: {e}");
    exit(1)
}

fn openssl(dir: &Path, args: &[&str]) {
    match Command::new("openssl").current_dir(dir).args(args).output() {
        Ok(out) if out.status.success() => {}
        Ok(out) => fail(
            &format!("openssl {}", args.join(" ")),
            String::from_utf8_lossy(&out.stderr),
        ),
        Err(e) => fail("openssl is needed (apt-get install openssl)", e),
    }
}

/// A root CA and a signer certificate per person, shaped like Italian qualified ones.
fn demo_pki(dir: &Path, people: &[(&str, &str, &str)]) {
    openssl(
        dir,
        &[
            "genpkey",
            "-algorithm",
            "RSA",
            "-pkeyopt",
            "rsa_keygen_bits:2048",
            "-out",
            "root.key",
        ],
    );
    let subject = format!("/C=IT/O={MARK}/CN=Sportello DEMO Root CA - NON VALIDO");
    openssl(
        dir,
        &[
            "req",
            "-x509",
            "-key",
            "root.key",
            "-subj",
            &subject,
            "-days",
            "3650",
            "-addext",
            "basicConstraints=critical,CA:TRUE",
            "-addext",
            "keyUsage=critical,keyCertSign,cRLSign",
            "-out",
            "root.pem",
        ],
    );
    std::fs::write(
        dir.join("signer.ext"),
        "[v3]\nkeyUsage=critical,nonRepudiation\nsubjectKeyIdentifier=hash\nauthorityKeyIdentifier=keyid\n\
         certificatePolicies=1.3.76.16.6\n",
    )
    .unwrap_or_else(|e| fail("write signer.ext", e));
    for (serial, (cf, given, surname)) in (100u32..).zip(people) {
        let key = format!("{cf}.key");
        openssl(
            dir,
            &[
                "genpkey",
                "-algorithm",
                "RSA",
                "-pkeyopt",
                "rsa_keygen_bits:2048",
                "-out",
                &key,
            ],
        );
        let subject = format!(
            "/C=IT/O={MARK}/GN={given}/SN={surname}/serialNumber=TINIT-{cf}/CN={given} {surname}"
        );
        openssl(
            dir,
            &[
                "req",
                "-new",
                "-key",
                &key,
                "-subj",
                &subject,
                "-utf8",
                "-out",
                &format!("{cf}.csr"),
            ],
        );
        openssl(
            dir,
            &[
                "x509",
                "-req",
                "-in",
                &format!("{cf}.csr"),
                "-CA",
                "root.pem",
                "-CAkey",
                "root.key",
                "-set_serial",
                &serial.to_string(),
                "-days",
                "730",
                "-extfile",
                "signer.ext",
                "-extensions",
                "v3",
                "-out",
                &format!("{cf}.pem"),
            ],
        );
    }
}

/// The delegation form, signed (attached, DER) by `cf`.
fn signed_form(dir: &Path, cf: &str, company: &str) -> PathBuf {
    let text = dir.join(format!("delega-{company}.txt"));
    std::fs::write(
        &text,
        format!(
            "MODULO DI DELEGA - {MARK}\nAzienda {company}: il legale rappresentante nomina l'amministratore delle utenze.\n\
             Documento dimostrativo, privo di qualsiasi valore.\n"
        ),
    )
    .unwrap_or_else(|e| fail("write form", e));
    let out = dir.join(format!("delega-{company}-{cf}.txt.p7m"));
    let (cert, key) = (format!("{cf}.pem"), format!("{cf}.key"));
    openssl(
        dir,
        &[
            "cms",
            "-sign",
            "-binary",
            "-nodetach",
            "-md",
            "sha256",
            "-outform",
            "DER",
            "-in",
            &text.display().to_string(),
            "-signer",
            &cert,
            "-inkey",
            &key,
            "-out",
            &out.display().to_string(),
        ],
    );
    out
}

/// Kind codes, each with its register details when it is a soggetto abilitato.
type Kinds = Vec<(String, Option<String>)>;

fn company_cf(n: u64) -> String {
    let body = format!("{:010}", 9_870_000 + n);
    format!("{body}{}", numeric_check_digit(body.as_bytes()))
}

fn main() {
    let Some(data_dir) = std::env::args().nth(1).map(PathBuf::from) else {
        eprintln!("usage: demo_seed DATA_DIR");
        exit(64);
    };
    let db = sportello::store::default_path(&data_dir);
    if db.exists() {
        fail("refusing to touch an existing database", db.display());
    }
    let pki_dir = data_dir.join("demo-pki");
    std::fs::create_dir_all(&pki_dir).unwrap_or_else(|e| fail("create demo-pki", e));
    let people = [
        ("BNCGNN70C15L219B", "GIOVANNI", "BIANCHI"),
        ("VRDLCU85M41F205J", "LUCIA", "VERDI"),
    ];
    demo_pki(&pki_dir, &people);
    let root = pki_dir.join("root.pem");
    let mut anchors = vec![root.clone()];
    anchors.extend(std::env::args().skip(2).map(PathBuf::from));
    sportello::trust::store::Store::open(&data_dir)
        .import(&anchors)
        .unwrap_or_else(|e| fail("import the demo root", e));

    let mut store = Store::open(&db).unwrap_or_else(|e| fail("open the database", e));
    let officer = registry::add_officer(&mut store, None, OFFICER_CF, OFFICER_NAME)
        .unwrap_or_else(|e| fail("officer", e));
    // The seed works in a session of its own, opened through the store as the tests do; the
    // desk still logs in with the demo card.
    let session = store
        .change(|tx| officers::open_session(tx, officer, &"de".repeat(32), 10))
        .map(SessionRef)
        .unwrap_or_else(|e| fail("session", e));
    let s = Some(session);
    let ok = |what: &str, r: Result<(), RegistryError>| r.unwrap_or_else(|e| fail(what, e));

    let acme = "00743110157".to_string();
    let companies: Vec<(String, String, Kinds)> = vec![
        (
            acme.clone(),
            format!("ACME S.p.A. ({MARK})"),
            vec![("datore-privato".into(), None)],
        ),
        (
            company_cf(1),
            format!("Studio Lavoro Verdi ({MARK})"),
            vec![(
                "consulente-lavoro".into(),
                Some("Albo CdL Roma n. 0000 (DEMO)".into()),
            )],
        ),
        (
            company_cf(2),
            format!("Comune di Esempio ({MARK})"),
            vec![("datore-pubblico".into(), None)],
        ),
        (
            company_cf(3),
            format!("Tirocini & Formazione Soc. Coop. ({MARK})"),
            vec![
                ("datore-privato".into(), None),
                (
                    "promotore-tirocinio".into(),
                    Some("Accreditamento DEMO 1/2024".into()),
                ),
            ],
        ),
        (
            company_cf(4),
            format!("Agenzia Lavoro Sud ({MARK})"),
            vec![("accreditato-servizi-lavoro".into(), None)],
        ),
    ];
    for (cf, name, kinds) in &companies {
        let request = CompanyRequest {
            codice_fiscale: cf,
            name,
            registered_office: Some("Via Dimostrativa 1, Roma"),
            pec: Some("demo@pec.example.invalid"),
            kinds: kinds.clone(),
        };
        ok(
            "company",
            registry::register_company(&mut store, s, &request).map(|_| ()),
        );
    }
    ok(
        "unit",
        registry::add_unit(&mut store, s, &acme, "Filiale Napoli").map(|_| ()),
    );
    ok(
        "unit",
        registry::add_unit(&mut store, s, &company_cf(3), "Sede tirocini").map(|_| ()),
    );
    let citizens = [
        ("BNCGNN70C15L219B", "BIANCHI", "GIOVANNI", false),
        ("VRDLCU85M41F205J", "VERDI", "LUCIA", true),
        ("RSSMRA80A01H501U", "ROSSI", "MARIO", true),
    ];
    for (cf, surname, name, citizen) in citizens {
        ok(
            "person",
            add_person(&mut store, s, cf, surname, name, citizen).map(|_| ()),
        );
    }
    ok(
        "rep",
        add_representative(&mut store, s, &acme, "BNCGNN70C15L219B", None),
    );
    ok(
        "rep",
        add_representative(&mut store, s, &company_cf(3), "BNCGNN70C15L219B", None),
    );
    grants::add(
        &mut store,
        s,
        &acme,
        "VRDLCU85M41F205J",
        "co-gestione",
        None,
    )
    .unwrap_or_else(|e| fail("grant", e));
    let overdue = grants::add(
        &mut store,
        s,
        &acme,
        "RSSMRA80A01H501U",
        "offerte-lavoro",
        Some("Filiale Napoli"),
    )
    .unwrap_or_else(|e| fail("grant", e));
    let ended = (time::OffsetDateTime::now_utc() - time::Duration::days(12)).date();
    ok(
        "end",
        grants::end_relationship(&mut store, s, overdue, ended),
    );
    ok(
        "grant",
        grants::add(
            &mut store,
            s,
            &company_cf(3),
            "VRDLCU85M41F205J",
            "tirocini-compilatore",
            Some("Sede tirocini"),
        )
        .map(|_| ()),
    );

    let trust = sportello::trust::TrustStore::load(std::slice::from_ref(&root))
        .unwrap_or_else(|e| fail("load the demo root", e));
    let mut opts = VerifyOptions::now();
    opts.trust = Some(&trust);
    let id_doc = IdentityDocument {
        bytes: b"DEMO - NON VALIDO: scansione di un documento di identita dimostrativo",
        name: "carta-identita-demo.pdf",
        expires_on: (time::OffsetDateTime::now_utc() + time::Duration::days(900)).date(),
    };
    // One form signed by the legal representative, one by someone who is not.
    for (company, signer) in [
        (&acme, "BNCGNN70C15L219B"),
        (&company_cf(3), "VRDLCU85M41F205J"),
    ] {
        let form = signed_form(&pki_dir, signer, company);
        let bytes = std::fs::read(&form).unwrap_or_else(|e| fail("read form", e));
        let name = form
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        nominations::submit(
            &mut store,
            s,
            company,
            "VRDLCU85M41F205J",
            (&bytes, &name),
            std::slice::from_ref(&id_doc),
            &opts,
        )
        .unwrap_or_else(|e| fail("nomination", e));
    }
    // The seed's own session ends here: the desk logs in with the demo card.
    store
        .change(|tx| officers::end_session(tx, session.0))
        .unwrap_or_else(|e| fail("end the seed session", e));
    println!("Demo database ({MARK}): {}", db.display());
    println!("Signed demo forms and the demo PKI: {}", pki_dir.display());
    println!("Open the desk: sportello --data-dir {}", data_dir.display());
}
