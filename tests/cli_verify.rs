//! `sportello verify` as a script or an officer uses it: exit codes, JSON, languages,
//! extraction that never overwrites.

mod common;

use std::process::{Command, Output};

/// Runs the binary with an empty data directory, so no imported trust store applies.
fn sportello(args: &[&str]) -> Output {
    static EMPTY: std::sync::OnceLock<tempfile::TempDir> = std::sync::OnceLock::new();
    let data = EMPTY.get_or_init(|| tempfile::tempdir().expect("tempdir"));
    Command::new(env!("CARGO_BIN_EXE_sportello"))
        .args(args)
        .env("SPORTELLO_DATA_DIR", data.path())
        .env_remove("SPORTELLO_LOG")
        .output()
        .expect("run sportello")
}

fn corpus(name: &str) -> String {
    common::corpus_file(name).display().to_string()
}

fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn json_report_has_the_documented_shape() {
    let out = sportello(&["verify", "--json", &corpus("slamdunk_OK.txt.p7m")]);
    assert_eq!(
        out.status.code(),
        Some(2),
        "indeterminate until trust is checked"
    );
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).expect("one JSON object");
    assert_eq!(report["schema"], "sportello.verify/1");
    assert_eq!(report["indication"], "INDETERMINATE");
    assert_eq!(report["sub_indication"], "NO_CERTIFICATE_CHAIN_FOUND");
    let sig = &report["signatures"][0];
    assert_eq!(sig["id"], "L0.S1");
    assert_eq!(sig["signer"]["codice_fiscale"]["value"], "TSSFPP87C29E889R");
    assert_eq!(sig["signer"]["codice_fiscale"]["valid"], true);
    for key in [
        "format",
        "digest",
        "signature",
        "signed_attributes",
        "chain",
        "validity",
        "revocation",
        "timestamp",
        "crypto_policy",
        "qualified",
    ] {
        assert!(
            sig["checks"][key]["status"].is_string(),
            "check {key} missing"
        );
    }
    for key in ["chain", "revocation", "timestamp", "qualified"] {
        assert_eq!(sig["checks"][key]["status"], "not_checked", "{key}");
    }
    let data = std::fs::read(common::corpus_file("slamdunk_OK.txt.p7m")).expect("read");
    let expected_sha = {
        use sha2::Digest;
        hex::encode(sha2::Sha256::digest(&data))
    };
    assert_eq!(report["sha256"], expected_sha);
    assert_eq!(report["size"], data.len());
}

#[test]
fn several_files_give_an_array_and_the_worst_exit_code() {
    let out = sportello(&[
        "verify",
        "--json",
        &corpus("slamdunk_OK.txt.p7m"),
        &corpus("dss_cades-enveloping-broken.pkcs7"),
    ]);
    assert_eq!(out.status.code(), Some(1));
    let reports: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON array");
    assert_eq!(reports.as_array().map(Vec::len), Some(2));
    assert_eq!(reports[1]["sub_indication"], "HASH_FAILURE");
}

#[test]
fn unreadable_file_is_one_failed_report() {
    let out = sportello(&["verify", "--json", &corpus("dss_malformed-cades.p7m")]);
    assert_eq!(out.status.code(), Some(1));
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    assert_eq!(report["indication"], "TOTAL_FAILED");
    assert_eq!(report["sub_indication"], "FORMAT_FAILURE");
    assert!(report["reason"].as_str().is_some_and(|r| !r.is_empty()));
}

#[test]
fn human_output_is_italian_by_default_and_english_on_request() {
    let it = stdout(&sportello(&["verify", &corpus("slamdunk_OK.txt.p7m")]));
    assert!(it.contains("Firma integra: sì"), "{it}");
    assert!(it.contains("Codice fiscale: TSSFPP87C29E889R"), "{it}");
    assert!(it.contains("Esito complessivo: DA VERIFICARE"), "{it}");
    let en = stdout(&sportello(&[
        "--lang",
        "en",
        "verify",
        &corpus("slamdunk_OK.txt.p7m"),
    ]));
    assert!(en.contains("Signature intact: yes"), "{en}");
    assert!(en.contains("Overall result: TO BE CHECKED"), "{en}");
    let broken = stdout(&sportello(&[
        "verify",
        &corpus("dss_cades-enveloping-broken.pkcs7"),
    ]));
    assert!(broken.contains("Firma integra: no"), "{broken}");
    assert!(broken.contains("modificato dopo la firma"), "{broken}");
}

#[test]
fn usage_errors_and_missing_files_have_their_codes() {
    assert_eq!(sportello(&["verify"]).status.code(), Some(64));
    assert_eq!(sportello(&["frobnicate"]).status.code(), Some(64));
    let missing = sportello(&["verify", "/nonexistent/file.p7m"]);
    assert_eq!(missing.status.code(), Some(66));
    assert!(String::from_utf8_lossy(&missing.stderr).contains("Impossibile aprire"));
}

#[test]
fn extraction_writes_the_document_once_and_never_overwrites() {
    let dir = tempfile::tempdir().expect("tempdir");
    let target = dir.path().to_str().expect("utf-8 path");
    let file = corpus("parer_cades_T_1.pdf.p7m");
    let first = sportello(&["verify", "--extract", target, &file]);
    assert_eq!(first.status.code(), Some(2));
    let written = dir.path().join("parer_cades_T_1.pdf");
    let bytes = std::fs::read(&written).expect("extracted document");
    assert!(
        bytes.starts_with(b"%PDF-"),
        "the innermost document is the PDF"
    );
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&written)
            .expect("meta")
            .permissions()
            .mode();
        assert_eq!(mode & 0o077, 0, "readable by the owner only");
    }
    std::fs::write(&written, b"officer's own file").expect("overwrite for the test");
    let second = sportello(&["verify", "--extract", target, &file]);
    assert_eq!(second.status.code(), Some(73));
    assert_eq!(
        std::fs::read(&written).expect("still there"),
        b"officer's own file"
    );
    let leftovers = std::fs::read_dir(dir.path()).expect("list").count();
    assert_eq!(leftovers, 1, "no partial files left behind");
}
