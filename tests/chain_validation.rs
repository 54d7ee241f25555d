//! Certificate paths and "verifica alla data": anchors from files, validity at an asserted
//! time, and the verdicts that follow (issue 3, the part that needs no Trusted List).

mod common;
mod support;

use std::path::PathBuf;
use std::process::Command;

use sportello::trust::TrustStore;
use sportello::verify::{
    verify_bytes, CheckStatus, Indication, Report, SubIndication, VerifyOptions,
};
use support::{fixtures, Fixtures};
use time::macros::datetime;

fn judge_with(
    path: &std::path::Path,
    store: Option<&TrustStore>,
    at: Option<time::OffsetDateTime>,
) -> Report {
    let mut opts = VerifyOptions::now();
    opts.trust = store;
    if let Some(at) = at {
        opts.validation_time = at;
        opts.asserted = true;
    }
    verify_bytes(&path.display().to_string(), &Fixtures::read(path), &opts)
}

fn root_store() -> TrustStore {
    TrustStore::load(&[fixtures().pki.root_cert.clone()]).expect("root anchor")
}

#[test]
fn a_trusted_chain_waits_only_for_revocation() {
    let f = fixtures();
    let path = f.der("chain-ok.p7m");
    let store = root_store();
    let report = judge_with(&path, Some(&store), None);
    let sig = &report.signatures[0];
    assert_eq!(
        sig.checks.chain.status,
        CheckStatus::Passed,
        "{}",
        sig.checks.chain.message
    );
    assert!(sig.checks.chain.message.contains("Sportello Test Root CA"));
    assert_eq!(
        (report.indication, report.sub_indication),
        (Indication::Indeterminate, Some(SubIndication::TryLater))
    );
    assert_eq!(sig.checks.revocation.status, CheckStatus::Indeterminate);
}

#[test]
fn without_the_anchor_there_is_no_chain() {
    let f = fixtures();
    let path = f.der("chain-none.p7m");
    // Another PKI's root: the Italian CA bundle from the shared material.
    let other = TrustStore::load(&[
        common::shared_dir().join("trust/misc/italian-ca-bundle-fatturaelettronicaphp.pem")
    ])
    .expect("bundle");
    let report = judge_with(&path, Some(&other), None);
    assert_eq!(
        report.sub_indication,
        Some(SubIndication::NoCertificateChainFound)
    );
    assert_eq!(
        report.signatures[0].checks.chain.status,
        CheckStatus::Failed
    );
}

#[test]
fn asserted_time_decides_validity() {
    let f = fixtures();
    let path = f.der("chain-time.p7m");
    let store = root_store();
    // The test certificates are valid for a year from today.
    let later = time::OffsetDateTime::now_utc() + time::Duration::days(800);
    let expired = judge_with(&path, Some(&store), Some(later));
    assert_eq!(
        expired.sub_indication,
        Some(SubIndication::OutOfBoundsNoPoe)
    );
    assert!(expired.validation_time_asserted);

    let before = judge_with(&path, Some(&store), Some(datetime!(2020-01-01 00:00 UTC)));
    assert_eq!(
        (before.indication, before.sub_indication),
        (Indication::TotalFailed, Some(SubIndication::NotYetValid))
    );
}

#[test]
fn real_italian_signatures_chain_at_their_signing_time_and_expire_today() {
    let shared = common::shared_dir();
    let anchors: Vec<PathBuf> = vec![
        shared.join("trust/misc/italian-ca-bundle-fatturaelettronicaphp.pem"),
        shared.join("trust/parer"),
    ];
    let store = TrustStore::load(&anchors).expect("anchors");
    for (name, at) in [
        ("parer_cades_bes.pdf.p7m", datetime!(2013-09-08 12:00 UTC)),
        ("slamdunk_OK.txt.p7m", datetime!(2024-01-10 12:00 UTC)),
    ] {
        let path = common::corpus_file(name);
        let then = judge_with(&path, Some(&store), Some(at));
        assert_eq!(
            then.sub_indication,
            Some(SubIndication::TryLater),
            "{name} at {at}"
        );
        let today = judge_with(&path, Some(&store), None);
        assert_eq!(
            today.sub_indication,
            Some(SubIndication::OutOfBoundsNoPoe),
            "{name} today"
        );
    }
    // A Hungarian qualified signature does not chain to Italian anchors.
    let hu = judge_with(
        &common::corpus_file("dss_Signature-C-HU_MIC-1.p7m"),
        Some(&store),
        None,
    );
    assert_eq!(
        hu.sub_indication,
        Some(SubIndication::NoCertificateChainFound)
    );
}

#[test]
fn cli_takes_trust_and_at() {
    let f = fixtures();
    let path = f.der("chain-cli.p7m");
    let empty = tempfile::tempdir().expect("tempdir");
    let out = Command::new(env!("CARGO_BIN_EXE_sportello"))
        .env("SPORTELLO_DATA_DIR", empty.path())
        .args(["verify", "--json", "--at", "2020-01-01", "--trust"])
        .arg(&f.pki.root_cert)
        .arg(&path)
        .output()
        .expect("run");
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(report["validation_time"], "2020-01-01T23:59:59Z");
    assert_eq!(report["validation_time_asserted"], true);
    assert_eq!(report["sub_indication"], "NOT_YET_VALID");
    assert_eq!(out.status.code(), Some(1));

    let bad = Command::new(env!("CARGO_BIN_EXE_sportello"))
        .args(["verify", "--at", "ieri"])
        .arg(&path)
        .output()
        .expect("run");
    assert_eq!(bad.status.code(), Some(64));
    let missing = Command::new(env!("CARGO_BIN_EXE_sportello"))
        .args(["verify", "--trust", "/nonexistent/anchor.pem"])
        .arg(&path)
        .output()
        .expect("run");
    assert_eq!(missing.status.code(), Some(66));
}
