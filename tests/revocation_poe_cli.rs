//! Revocation against the proven time, end to end: the real binary, a CRL made by
//! `openssl ca`, and a signature-time-stamp from a TSA run by `openssl ts` (issue 10).

mod support;

use std::path::Path;
use std::process::Command;

use support::der_edit::Envelope;
use support::pki::openssl;
use support::revocation_pki::RevPki;
use support::tsa::{add_signature_time_stamp, make_tsa, Tsa};
use support::{countersign, Fixtures};

struct Setup {
    _dir: tempfile::TempDir,
    pki: RevPki,
    tsa: Tsa,
}

fn setup() -> Setup {
    let dir = tempfile::tempdir().expect("tempdir");
    // Offline: the URLs in the certificates are never fetched (no --online).
    let pki = RevPki::build(
        dir.path(),
        "http://127.0.0.1:9/ca.crl",
        "http://127.0.0.1:9/ocsp",
    );
    let tsa = make_tsa(
        dir.path(),
        "tsa",
        &pki.ca_pem,
        &dir.path().join("ca.key"),
        None,
    );
    Setup {
        _dir: dir,
        pki,
        tsa,
    }
}

fn s(p: &Path) -> String {
    p.display().to_string()
}

/// `tag`.pem/.key of the revocation PKI signs a document; with `stamp`, a time-stamp over
/// the signature value is added now.
fn signed(setup: &Setup, tag: &str, stamp: bool) -> String {
    let dir = &setup.pki.dir;
    std::fs::write(dir.join("doc.txt"), b"Modulo di prova SPORTELLO TEST\n").expect("doc");
    let out = dir.join(format!("{tag}-{stamp}.p7m"));
    openssl(
        dir,
        &[
            "cms",
            "-sign",
            "-nodetach",
            "-binary",
            "-outform",
            "DER",
            "-md",
            "sha256",
            "-in",
            "doc.txt",
            "-signer",
            &format!("{tag}.pem"),
            "-inkey",
            &format!("{tag}.key"),
            "-out",
            &s(&out),
        ],
    );
    if stamp {
        let mut env = Envelope::parse(&Fixtures::read(&out));
        let value = countersign::signature_of(&env.signer_infos().children[0]);
        add_signature_time_stamp(&mut env, setup.tsa.token(&value, &format!("{tag}-ts")));
        std::fs::write(&out, env.root.encode()).expect("stamped");
    }
    s(&out)
}

fn verify(setup: &Setup, crl: &Path, file: &str) -> serde_json::Value {
    let data = tempfile::tempdir().expect("data dir");
    let out = Command::new(env!("CARGO_BIN_EXE_sportello"))
        .env("SPORTELLO_DATA_DIR", data.path())
        .args(["--lang", "en", "verify", "--json", "--trust"])
        .arg(&setup.pki.ca_pem)
        .arg("--crl")
        .arg(crl)
        .arg(file)
        .output()
        .expect("run sportello");
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "{e}: {}\n{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    })
}

fn verdict(report: &serde_json::Value) -> (String, String) {
    let sig = &report["signatures"][0];
    (
        sig["indication"].as_str().unwrap_or("").to_string(),
        sig["sub_indication"].as_str().unwrap_or("").to_string(),
    )
}

#[test]
fn revoked_before_the_proven_time_fails_and_without_proof_is_revoked_no_poe() {
    let s = setup();
    // The PKI revoked `revoked` when it was built: the time-stamp made now comes after.
    let stamped = verify(&s, &s.pki.crl_pem, &signed(&s, "revoked", true));
    assert!(
        stamped["signatures"][0]["best_signature_time"].is_string(),
        "{stamped}"
    );
    assert_eq!(stamped["signatures"][0]["revocation"]["status"], "revoked");
    assert_eq!(
        verdict(&stamped),
        ("TOTAL_FAILED".into(), "REVOKED".into()),
        "{stamped}"
    );
    let plain = verify(&s, &s.pki.crl_pem, &signed(&s, "revoked", false));
    assert_eq!(
        verdict(&plain),
        ("INDETERMINATE".into(), "REVOKED_NO_POE".into()),
        "{plain}"
    );
}

#[test]
fn revoked_after_the_proven_time_passes() {
    let s = setup();
    let dir = &s.pki.dir;
    let file = signed(&s, "good", true);
    // CRL revocation dates have whole seconds, like genTime: revoke clearly later.
    std::thread::sleep(std::time::Duration::from_millis(2100));
    openssl(
        dir,
        &[
            "ca",
            "-config",
            "ca.cnf",
            "-revoke",
            "good.pem",
            "-crl_reason",
            "keyCompromise",
        ],
    );
    openssl(
        dir,
        &[
            "ca",
            "-config",
            "ca.cnf",
            "-gencrl",
            "-crlexts",
            "crl_ext",
            "-out",
            "after.crl.pem",
        ],
    );
    let report = verify(&s, &dir.join("after.crl.pem"), &file);
    let sig = &report["signatures"][0];
    assert_eq!(sig["revocation"]["status"], "revoked", "{report}");
    assert_eq!(sig["checks"]["revocation"]["status"], "warning", "{report}");
    assert_eq!(
        verdict(&report),
        ("TOTAL_PASSED".into(), String::new()),
        "{report}"
    );
}
