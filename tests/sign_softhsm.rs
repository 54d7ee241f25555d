//! `sportello sign --module` with SoftHSM2 tokens the test makes: new (RSA), co-signed (P-256),
//! countersigned (a key that wants the PIN for every signature) and wrapped (P-384)
//! envelopes, each verified before writing by the product and afterwards by openssl; a wrong
//! PIN, a module that does not load and a certificate without its key write nothing.

mod common;
mod support;

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::OnceLock;
use std::time::Instant;

use support::softhsm::{KeySpec, SoftHsm, MODULE, PIN};

const DOCUMENT: &[u8] = b"Modulo di delega - documento di prova SPORTELLO TEST (PKCS#11)\n";

struct Tokens {
    dir: tempfile::TempDir,
    hsm: SoftHsm,
}

fn tokens() -> &'static Tokens {
    static TOKENS: OnceLock<Tokens> = OnceLock::new();
    TOKENS.get_or_init(|| {
        let dir = tempfile::tempdir().expect("temp dir");
        let hsm = SoftHsm::new(dir.path());
        hsm.token("FIRMA-RSA", PIN);
        hsm.add_key(
            "FIRMA-RSA",
            PIN,
            &KeySpec {
                key_usage: "critical,nonRepudiation",
                ..KeySpec::rossi("s-rsa", "rsa", "02", 201)
            },
        );
        hsm.token("FIRMA-EC", PIN);
        hsm.add_key(
            "FIRMA-EC",
            PIN,
            &KeySpec::rossi("s-p256", "p256", "01", 202),
        );
        hsm.add_key(
            "FIRMA-EC",
            PIN,
            &KeySpec::rossi("s-p384", "p384", "02", 203),
        );
        hsm.add_key(
            "FIRMA-EC",
            PIN,
            &KeySpec {
                with_private_key: false,
                ..KeySpec::rossi("s-nokey", "rsa", "09", 204)
            },
        );
        hsm.token("SEMPRE-PIN", PIN);
        hsm.add_key(
            "SEMPRE-PIN",
            PIN,
            &KeySpec {
                always_authenticate: true,
                ..KeySpec::rossi("s-always", "rsa", "01", 205)
            },
        );
        Tokens { dir, hsm }
    })
}

fn file(name: &str) -> PathBuf {
    tokens().dir.path().join(name)
}

fn document(name: &str) -> PathBuf {
    let path = file(name);
    std::fs::write(&path, DOCUMENT).expect("write document");
    path
}

fn sportello(args: &[&str], pin: &str) -> (i32, String, String) {
    let t = tokens();
    let mut child = Command::new(env!("CARGO_BIN_EXE_sportello"))
        .args(args)
        .args(["--pin-stdin", "--trust"])
        .arg(&t.hsm.root_cert)
        .arg("--data-dir")
        .arg(t.dir.path().join("data"))
        .env("SOFTHSM2_CONF", &t.hsm.conf)
        .env(
            "SPORTELLO_CARD_PROFILES",
            Path::new(env!("CARGO_MANIFEST_DIR")).join("card-profiles"),
        )
        .env("XDG_CONFIG_HOME", t.dir.path())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run sportello");
    use std::io::Write;
    let _ = child
        .stdin
        .take()
        .expect("stdin")
        .write_all(format!("{pin}\n").as_bytes());
    let out = child.wait_with_output().expect("wait");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn openssl_verifies(envelope: &Path) -> Vec<u8> {
    let out = Command::new("openssl")
        .args([
            "cms", "-verify", "-cades", "-binary", "-inform", "DER", "-CAfile",
        ])
        .arg(&tokens().hsm.root_cert)
        .arg("-in")
        .arg(envelope)
        .output()
        .expect("openssl");
    assert!(
        out.status.success(),
        "openssl: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out.stdout
}

fn s(p: &Path) -> String {
    p.display().to_string()
}

#[test]
fn new_cosigned_countersigned_and_wrapped_through_pkcs11() {
    let doc = document("delega-p11.txt");
    let started = Instant::now();
    let (code, stdout, stderr) = sportello(
        &[
            "sign",
            &s(&doc),
            "--module",
            MODULE,
            "--token",
            "FIRMA-RSA",
            "--lang",
            "en",
        ],
        PIN,
    );
    eprintln!(
        "one signature with SoftHSM (CLI, whole run): {:?}",
        started.elapsed()
    );
    assert_eq!(code, 0, "{stdout}{stderr}");
    assert!(
        stderr.contains("Signing as: MARIO ROSSI (RSSMRA80A01H501U)"),
        "{stderr}"
    );
    let signed = file("delega-p11.txt.p7m");
    assert_eq!(openssl_verifies(&signed), DOCUMENT);

    let cosigned = file("delega-p11.cofirmato.p7m");
    let (code, stdout, stderr) = sportello(
        &[
            "sign",
            &s(&signed),
            "--cosign",
            "--out",
            &s(&cosigned),
            "--module",
            MODULE,
            "--token",
            "FIRMA-EC",
            "--key-id",
            "01",
            "--json",
        ],
        PIN,
    );
    assert_eq!(code, 0, "{stdout}{stderr}");
    let outcome: serde_json::Value = serde_json::from_str(&stdout).expect("json");
    assert_eq!(outcome["signature_id"], "L0.S2");
    assert_eq!(
        outcome["verification"]["signature_algorithm"],
        "ECDSA with SHA-256"
    );
    assert_eq!(openssl_verifies(&cosigned), DOCUMENT);

    let countersigned = file("delega-p11.controfirmato.p7m");
    let (code, stdout, stderr) = sportello(
        &[
            "sign",
            &s(&cosigned),
            "--countersign",
            "L0.S2",
            "--out",
            &s(&countersigned),
            "--module",
            MODULE,
            "--token",
            "SEMPRE-PIN",
            "--json",
        ],
        PIN,
    );
    assert_eq!(code, 0, "{stdout}{stderr}");
    let outcome: serde_json::Value = serde_json::from_str(&stdout).expect("json");
    assert_eq!(outcome["signature_id"], "L0.S2.C1");
    assert_eq!(openssl_verifies(&countersigned), DOCUMENT);

    let wrapped = file("delega-p11.p7m.p7m");
    let (code, stdout, stderr) = sportello(
        &[
            "sign",
            &s(&countersigned),
            "--wrap",
            "--out",
            &s(&wrapped),
            "--module",
            MODULE,
            "--token",
            "FIRMA-EC",
            "--key-id",
            "02",
        ],
        PIN,
    );
    assert_eq!(code, 0, "{stdout}{stderr}");
    assert_eq!(
        openssl_verifies(&wrapped),
        std::fs::read(&countersigned).expect("read")
    );
    // The whole onion through the product's verifier: every signature intact.
    let (code, stdout, _) = {
        let out = Command::new(env!("CARGO_BIN_EXE_sportello"))
            .args(["verify", "--json", "--trust"])
            .arg(&tokens().hsm.root_cert)
            .arg(&wrapped)
            .arg("--data-dir")
            .arg(tokens().dir.path().join("data"))
            .output()
            .expect("verify");
        (
            out.status.code(),
            String::from_utf8_lossy(&out.stdout).into_owned(),
            (),
        )
    };
    let report: serde_json::Value = serde_json::from_str(&stdout).expect("report");
    let ids: Vec<&str> = report["signatures"]
        .as_array()
        .expect("signatures")
        .iter()
        .map(|s| s["id"].as_str().unwrap_or_default())
        .collect();
    assert_eq!(ids, ["L0.S1", "L1.S1", "L1.S2", "L1.S2.C1"], "{code:?}");
    for sig in report["signatures"].as_array().expect("signatures") {
        assert_eq!(sig["checks"]["signature"]["status"], "passed", "{sig}");
        assert_eq!(sig["checks"]["chain"]["status"], "passed", "{sig}");
    }
}

#[test]
fn a_wrong_pin_writes_nothing() {
    let doc = document("delega-wrong-pin.txt");
    let (code, _, stderr) = sportello(
        &[
            "sign",
            &s(&doc),
            "--module",
            MODULE,
            "--token",
            "FIRMA-RSA",
            "--lang",
            "en",
        ],
        "00000000",
    );
    assert_eq!(code, 77, "{stderr}");
    assert!(stderr.to_lowercase().contains("pin"), "{stderr}");
    assert!(!file("delega-wrong-pin.txt.p7m").exists());
}

#[test]
fn a_module_that_does_not_load_is_named() {
    let doc = document("delega-no-module.txt");
    let (code, _, stderr) = sportello(
        &[
            "sign",
            &s(&doc),
            "--module",
            "/usr/lib/nessun-modulo-pkcs11.so",
            "--lang",
            "en",
        ],
        PIN,
    );
    assert_ne!(code, 0);
    assert!(stderr.contains("nessun-modulo-pkcs11.so"), "{stderr}");
    assert!(!file("delega-no-module.txt.p7m").exists());
}

#[test]
fn a_certificate_without_its_key_writes_nothing() {
    let doc = document("delega-no-key.txt");
    let (code, _, stderr) = sportello(
        &[
            "sign",
            &s(&doc),
            "--module",
            MODULE,
            "--token",
            "FIRMA-EC",
            "--key-id",
            "09",
            "--lang",
            "en",
        ],
        PIN,
    );
    assert_ne!(code, 0, "{stderr}");
    assert!(!file("delega-no-key.txt.p7m").exists());
}

/// "Firma allo sportello" with a PKCS#11 token: prepared, signed, verified, submitted.
#[test]
fn the_delegation_form_signed_at_the_desk_with_a_token() {
    let t = tokens();
    let data = t.dir.path().join("desk-data");
    std::fs::create_dir_all(&data).expect("data dir");
    let db = data.join("desk.db");
    common::acme_with_its_legal_representative(&data, &db);
    let started = Instant::now();
    let (code, stdout, stderr) = sportello(
        &[
            "nomination",
            "sign-at-desk",
            "--company",
            "00743110157",
            "--representative",
            "RSSMRA80A01H501U",
            "--admin",
            "VRDLCU85M41F205J",
            "--office",
            "CPI di Trento",
            "--module",
            MODULE,
            "--token",
            "FIRMA-RSA",
            "--db",
            &s(&db),
            "--json",
        ],
        PIN,
    );
    eprintln!(
        "one signature at the desk with SoftHSM (prepare, sign, verify, submit): {:?}",
        started.elapsed()
    );
    assert_eq!(code, 0, "{stdout}{stderr}");
    let outcome: serde_json::Value = serde_json::from_str(&stdout).expect("json");
    assert_eq!(outcome["signer_codice_fiscale"], "RSSMRA80A01H501U");
    assert_eq!(outcome["form_pages"], 1);
}
