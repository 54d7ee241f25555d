//! The engine's use of revocation answers: which certificates it asks about, and the verdicts
//! that follow. The engine is pure and the source is its parameter, so these tests pass a
//! source that answers from a table; the real sources (CRL, OCSP) have their own tests.

mod common;
mod support;

use sportello::trust::TrustStore;
use sportello::verify::revocation::RevocationSource;
use sportello::verify::{
    verify_bytes, CheckStatus, Indication, Report, SubIndication, VerifyOptions,
};
use support::chains::{issue, sign, signer_subject, Issued, CA_EXT, SIGNER_EXT};
use support::pki::openssl;
use support::table_source::{good, revoked, TableSource};
use time::OffsetDateTime;

struct Chain {
    _dir: tempfile::TempDir,
    root: Issued,
    ca: Issued,
    signer: Issued,
    file: Vec<u8>,
}

fn der(path: &std::path::Path) -> Vec<u8> {
    openssl(
        path.parent().unwrap_or(std::path::Path::new(".")),
        &[
            "x509",
            "-in",
            path.to_str().unwrap_or_default(),
            "-outform",
            "DER",
        ],
    )
}

/// root → intermediate → signer, the intermediate carried in the envelope.
fn chain() -> Chain {
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path();
    let doc = d.join("doc.txt");
    std::fs::write(&doc, b"documento di prova").expect("doc");
    let root = issue(
        d,
        "root",
        "/O=SPORTELLO TEST PKI - NON VALIDO/CN=Revocation Root",
        CA_EXT,
        None,
        None,
    );
    let ca = issue(
        d,
        "ca",
        "/O=SPORTELLO TEST PKI - NON VALIDO/CN=Revocation CA",
        CA_EXT,
        Some(&root),
        None,
    );
    let signer = issue(
        d,
        "signer",
        &signer_subject("REV"),
        SIGNER_EXT,
        Some(&ca),
        None,
    );
    let file = std::fs::read(sign(d, &doc, &signer, &[&ca], "rev.p7m")).expect("p7m");
    Chain {
        _dir: dir,
        root,
        ca,
        signer,
        file,
    }
}

fn judge(chain: &Chain, source: Option<&dyn RevocationSource>) -> Report {
    let store = TrustStore::load(std::slice::from_ref(&chain.root.cert)).expect("anchor");
    let mut opts = VerifyOptions::now();
    opts.trust = Some(&store);
    opts.revocation = source;
    verify_bytes("rev.p7m", &chain.file, &opts)
}

#[test]
fn every_certificate_but_the_anchor_is_asked_about_with_its_issuer() {
    let c = chain();
    let (signer, ca, root) = (der(&c.signer.cert), der(&c.ca.cert), der(&c.root.cert));
    let mut source = TableSource::default();
    source.answers.insert(signer.clone(), good());
    source.answers.insert(ca.clone(), good());
    let report = judge(&c, Some(&source));
    let asked = source.asked.lock().expect("lock").clone();
    assert_eq!(asked, vec![(signer, ca.clone()), (ca, root)]);
    let sig = &report.signatures[0];
    assert_eq!(
        (report.indication, report.sub_indication),
        (Indication::TotalPassed, None),
        "{:?}",
        sig.checks
    );
    assert_eq!(sig.checks.revocation.status, CheckStatus::Passed);
    let json = serde_json::to_value(sig).expect("json");
    assert_eq!(json["revocation"]["status"], "good");
    assert_eq!(json["revocation"]["source"], "store");
    assert_eq!(json["revocation"]["this_update"], "2026-01-01T00:00:00Z");
}

#[test]
fn a_revoked_signer_without_proof_of_time_is_revoked_no_poe() {
    let c = chain();
    let mut source = TableSource::default();
    source.answers.insert(
        der(&c.signer.cert),
        revoked(OffsetDateTime::now_utc() - time::Duration::hours(1)),
    );
    source.answers.insert(der(&c.ca.cert), good());
    let report = judge(&c, Some(&source));
    assert_eq!(
        (report.indication, report.sub_indication),
        (Indication::Indeterminate, Some(SubIndication::RevokedNoPoe))
    );
    let sig = &report.signatures[0];
    assert_eq!(sig.checks.revocation.status, CheckStatus::Failed);
    let json = serde_json::to_value(sig).expect("json");
    assert_eq!(json["revocation"]["status"], "revoked");
    assert_eq!(json["revocation"]["reason"], "keyCompromise");
}

#[test]
fn an_unknown_intermediate_or_no_source_is_try_later() {
    let c = chain();
    let mut source = TableSource::default();
    source.answers.insert(der(&c.signer.cert), good());
    let report = judge(&c, Some(&source));
    assert_eq!(report.sub_indication, Some(SubIndication::TryLater));
    let sig = &report.signatures[0];
    assert_eq!(sig.checks.revocation.status, CheckStatus::Indeterminate);
    assert!(
        sig.checks.revocation.message.contains("Revocation CA"),
        "{}",
        sig.checks.revocation.message
    );
    let json = serde_json::to_value(sig).expect("json");
    assert_eq!(json["revocation"]["status"], "unknown");

    let unasked = judge(&c, None);
    assert_eq!(unasked.sub_indication, Some(SubIndication::TryLater));
    assert!(serde_json::to_value(&unasked.signatures[0]).expect("json")["revocation"].is_null());
}
