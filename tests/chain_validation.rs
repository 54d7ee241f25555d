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

mod defects {
    use super::*;
    use sportello::trust::{Anchor, GrantWindow};
    use support::chains::{issue, sign, signer_subject, CA_EXT, SIGNER_EXT};

    fn store_of(root: &support::chains::Issued) -> TrustStore {
        TrustStore::load(std::slice::from_ref(&root.cert)).expect("anchor")
    }

    fn chain_of(report: &Report) -> (Option<SubIndication>, String) {
        (
            report.sub_indication,
            report.signatures[0].checks.chain.message.clone(),
        )
    }

    #[test]
    fn each_defect_is_named() {
        let dir = tempfile::tempdir().expect("tempdir");
        let d = dir.path();
        let doc = d.join("doc.txt");
        std::fs::write(&doc, b"documento di prova").expect("doc");
        let root = issue(
            d,
            "root",
            "/O=SPORTELLO TEST PKI - NON VALIDO/CN=Defects Root",
            CA_EXT,
            None,
            None,
        );

        // A good intermediate, for contrast.
        let good_ca = issue(
            d,
            "good",
            "/O=SPORTELLO TEST PKI - NON VALIDO/CN=Good CA",
            CA_EXT,
            Some(&root),
            None,
        );
        let good = issue(
            d,
            "goodsigner",
            &signer_subject("good"),
            SIGNER_EXT,
            Some(&good_ca),
            None,
        );
        let report = judge_with(
            &sign(d, &doc, &good, &[&good_ca], "good.p7m"),
            Some(&store_of(&root)),
            None,
        );
        assert_eq!(
            report.sub_indication,
            Some(SubIndication::TryLater),
            "{:?}",
            chain_of(&report)
        );

        // Intermediate without basicConstraints.
        let no_bc = issue(
            d,
            "nobc",
            "/O=SPORTELLO TEST PKI - NON VALIDO/CN=No BC CA",
            "keyUsage=critical,keyCertSign",
            Some(&root),
            None,
        );
        let s = issue(
            d,
            "nobcsigner",
            &signer_subject("nobc"),
            SIGNER_EXT,
            Some(&no_bc),
            None,
        );
        let (sub, msg) = chain_of(&judge_with(
            &sign(d, &doc, &s, &[&no_bc], "nobc.p7m"),
            Some(&store_of(&root)),
            None,
        ));
        assert_eq!(sub, Some(SubIndication::ChainConstraintsFailure));
        assert!(msg.contains("basicConstraints"), "{msg}");

        // pathLenConstraint 0, yet another CA below it.
        let len0 = issue(
            d,
            "len0",
            "/O=SPORTELLO TEST PKI - NON VALIDO/CN=PathLen0 CA",
            &format!("{CA_EXT}\nbasicConstraints=critical,CA:TRUE,pathlen:0"),
            Some(&root),
            None,
        );
        let below = issue(
            d,
            "below",
            "/O=SPORTELLO TEST PKI - NON VALIDO/CN=Below CA",
            CA_EXT,
            Some(&len0),
            None,
        );
        let s = issue(
            d,
            "lensigner",
            &signer_subject("len"),
            SIGNER_EXT,
            Some(&below),
            None,
        );
        let (sub, msg) = chain_of(&judge_with(
            &sign(d, &doc, &s, &[&below, &len0], "len.p7m"),
            Some(&store_of(&root)),
            None,
        ));
        assert_eq!(sub, Some(SubIndication::ChainConstraintsFailure));
        assert!(msg.contains("pathLenConstraint"), "{msg}");

        // A CA whose key usage does not allow signing certificates.
        let no_ku = issue(
            d,
            "noku",
            "/O=SPORTELLO TEST PKI - NON VALIDO/CN=No KeyCertSign CA",
            "basicConstraints=critical,CA:TRUE\nkeyUsage=critical,digitalSignature",
            Some(&root),
            None,
        );
        let s = issue(
            d,
            "nokusigner",
            &signer_subject("noku"),
            SIGNER_EXT,
            Some(&no_ku),
            None,
        );
        let (sub, msg) = chain_of(&judge_with(
            &sign(d, &doc, &s, &[&no_ku], "noku.p7m"),
            Some(&store_of(&root)),
            None,
        ));
        assert_eq!(sub, Some(SubIndication::ChainConstraintsFailure));
        assert!(msg.contains("keyUsage"), "{msg}");

        // An unknown critical extension.
        let odd = issue(
            d,
            "odd",
            "/O=SPORTELLO TEST PKI - NON VALIDO/CN=Odd CA",
            &format!("{CA_EXT}\n1.3.6.1.4.1.99999.1=critical,DER:0500"),
            Some(&root),
            None,
        );
        let s = issue(
            d,
            "oddsigner",
            &signer_subject("odd"),
            SIGNER_EXT,
            Some(&odd),
            None,
        );
        let (sub, msg) = chain_of(&judge_with(
            &sign(d, &doc, &s, &[&odd], "odd.p7m"),
            Some(&store_of(&root)),
            None,
        ));
        assert_eq!(sub, Some(SubIndication::ChainConstraintsFailure));
        assert!(msg.contains("1.3.6.1.4.1.99999.1"), "{msg}");

        // Name mismatch: the signer names "Other CA" as issuer; the trusted CA with the same
        // key is called "Named CA". Same key, wrong name: no path.
        let named = issue(
            d,
            "named",
            "/O=SPORTELLO TEST PKI - NON VALIDO/CN=Named CA",
            CA_EXT,
            None,
            None,
        );
        let other = issue(
            d,
            "other",
            "/O=SPORTELLO TEST PKI - NON VALIDO/CN=Other CA",
            CA_EXT,
            None,
            Some(&named.key),
        );
        let s = issue(
            d,
            "mismatch",
            &signer_subject("mismatch"),
            SIGNER_EXT,
            Some(&other),
            None,
        );
        let (sub, _) = chain_of(&judge_with(
            &sign(d, &doc, &s, &[], "mismatch.p7m"),
            Some(&store_of(&named)),
            None,
        ));
        assert_eq!(sub, Some(SubIndication::NoCertificateChainFound));
    }

    #[test]
    fn anchors_count_only_inside_their_grant_windows() {
        let f = fixtures();
        let path = f.der("windows.p7m");
        let root_der = {
            let pem = std::fs::read(&f.pki.root_cert).expect("root");
            sportello::trust::anchors::certificates_in(&pem).remove(0)
        };
        let cert = <x509_cert::Certificate as der::Decode>::from_der(&root_der).expect("cert");
        let now = time::OffsetDateTime::now_utc();
        let with_window =
            |from: time::OffsetDateTime, until: Option<time::OffsetDateTime>| TrustStore {
                anchors: vec![Anchor {
                    der: root_der.clone(),
                    cert: cert.clone(),
                    source: "test window".into(),
                    granted: vec![GrantWindow { from, until }],
                    service: None,
                }],
                timestamp_anchors: Vec::new(),
            };
        // Granted from yesterday on: anchors a signature made now.
        let granted = with_window(now - time::Duration::days(1), None);
        assert_eq!(
            judge_with(&path, Some(&granted), None).sub_indication,
            Some(SubIndication::TryLater)
        );
        // Withdrawn an hour ago, before today's signature: no chain.
        let withdrawn = with_window(
            now - time::Duration::days(30),
            Some(now - time::Duration::hours(1)),
        );
        assert_eq!(
            judge_with(&path, Some(&withdrawn), None).sub_indication,
            Some(SubIndication::NoCertificateChainFound)
        );
        // Withdrawn after the signing time: still anchors that signature, checked later.
        let later = with_window(
            now - time::Duration::days(30),
            Some(now + time::Duration::hours(1)),
        );
        let report = judge_with(&path, Some(&later), Some(now + time::Duration::hours(2)));
        assert_eq!(
            report.sub_indication,
            Some(SubIndication::TryLater),
            "{}",
            report.signatures[0].checks.chain.message
        );
    }
}

#[test]
fn sha1_after_2012_is_a_crypto_constraint_failure() {
    let f = fixtures();
    let path = f.pki.sign(
        &f.document,
        "sha1.p7m",
        &[&f.pki.rsa],
        &["-nodetach", "-md", "sha1", "-outform", "DER"],
    );
    let report = judge_with(&path, Some(&root_store()), None);
    let sig = &report.signatures[0];
    assert!(sig.firma_integra());
    assert_eq!(sig.checks.chain.status, CheckStatus::Passed);
    assert_eq!(
        report.sub_indication,
        Some(SubIndication::CryptoConstraintsFailureNoPoe)
    );
    assert!(
        sig.checks.crypto_policy.message.contains("SHA-1"),
        "{}",
        sig.checks.crypto_policy.message
    );
}
