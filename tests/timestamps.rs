//! Time-stamps as proof of existence (issue 10): tokens made by TSAs that `openssl ts` runs
//! for the test, put where real files carry them, and the verdicts that follow from the
//! proven time (expiry, revocation).

mod common;
mod support;

use std::path::Path;
use std::process::Command;

use sportello::trust::TrustStore;
use sportello::verify::revocation::RevocationSource;
use sportello::verify::{
    verify_bytes, CheckStatus, Indication, Report, SignatureReport, SubIndication, VerifyOptions,
};
use support::der_edit::Envelope;
use support::table_source::{revoked, TableSource};
use support::tsa::{add_signature_time_stamp, make_tsa, Tsa};
use support::{countersign, fixtures, Fixtures};
use time::{Duration, OffsetDateTime};

fn root_store() -> TrustStore {
    TrustStore::load(&[fixtures().pki.root_cert.clone()]).expect("root anchor")
}

fn judge(
    data: &[u8],
    at: Option<OffsetDateTime>,
    revocation: Option<&dyn RevocationSource>,
) -> Report {
    let store = root_store();
    let mut opts = VerifyOptions::now();
    opts.trust = Some(&store);
    opts.revocation = revocation;
    if let Some(at) = at {
        opts.validation_time = at;
    }
    verify_bytes("stamped.p7m", data, &opts)
}

/// A TSA issued by the fixtures' root (the anchor the tests trust).
fn trusted_tsa(dir: &Path, tag: &str, dates: Option<(&str, &str)>) -> Tsa {
    let pki = &fixtures().pki;
    make_tsa(dir, tag, &pki.root_cert, &pki.dir.join("root.key"), dates)
}

/// The RSA signer's envelope with a signature-time-stamp over `over` (default: its
/// signature value, as it should be).
fn stamped(name: &str, tsa: &Tsa, over: Option<&[u8]>) -> Vec<u8> {
    let f = fixtures();
    let mut env = Envelope::parse(&Fixtures::read(&f.der(name)));
    let value = countersign::signature_of(&env.signer_infos().children[0]);
    let token = tsa.token(over.unwrap_or(&value), name);
    add_signature_time_stamp(&mut env, token);
    env.root.encode()
}

fn first(report: &Report) -> &SignatureReport {
    &report.signatures[0]
}

fn later() -> OffsetDateTime {
    // The test certificates are valid for a year from today.
    OffsetDateTime::now_utc() + Duration::days(400)
}

#[test]
fn a_good_token_proves_when_the_signature_existed() {
    let dir = tempfile::tempdir().expect("tempdir");
    let tsa = trusted_tsa(dir.path(), "good", None);
    let report = judge(&stamped("ts-good.p7m", &tsa, None), None, None);
    let sig = first(&report);
    assert!(sig.best_signature_time.is_some(), "{:?}", sig.timestamps);
    assert_eq!(sig.timestamps.len(), 1);
    let token = &sig.timestamps[0];
    assert_eq!(token.source, "signature-time-stamp");
    assert_eq!(
        token.check.status,
        CheckStatus::Passed,
        "{}",
        token.check.message
    );
    assert!(token.tsa.as_deref().unwrap_or("").contains("TSA good"));
    assert!(
        !token.qualified,
        "a TSA the office trusts is not a qualified one"
    );
    assert_eq!(sig.checks.timestamp.status, CheckStatus::Passed);
    let json = serde_json::to_value(sig).expect("json");
    assert_eq!(json["timestamps"][0]["status"], "passed");
    assert_eq!(
        json["best_signature_time"],
        token.gen_time.clone().expect("gen")
    );
    // Still waiting for revocation: a proven time is not a revocation check.
    assert_eq!(report.sub_indication, Some(SubIndication::TryLater));
}

#[test]
fn an_expired_signer_passes_only_with_a_token_from_before_expiry() {
    let dir = tempfile::tempdir().expect("tempdir");
    let tsa = trusted_tsa(dir.path(), "expiry", None);
    let with = judge(&stamped("ts-expiry.p7m", &tsa, None), Some(later()), None);
    assert_eq!(
        (with.indication, with.sub_indication),
        (Indication::TotalPassed, None),
        "{:?}",
        first(&with).checks
    );
    assert_eq!(first(&with).checks.validity.status, CheckStatus::Passed);
    assert!(first(&with).checks.validity.message.contains("expired on"));

    let plain = Fixtures::read(&fixtures().der("ts-expiry-plain.p7m"));
    let without = judge(&plain, Some(later()), None);
    assert_eq!(
        (without.indication, without.sub_indication),
        (
            Indication::Indeterminate,
            Some(SubIndication::OutOfBoundsNoPoe)
        )
    );
    assert!(first(&without).best_signature_time.is_none());
    assert_eq!(
        first(&without).checks.timestamp.status,
        CheckStatus::NotChecked
    );
}

#[test]
fn a_token_over_the_wrong_bytes_proves_nothing() {
    let dir = tempfile::tempdir().expect("tempdir");
    let tsa = trusted_tsa(dir.path(), "wrong", None);
    let report = judge(
        &stamped("ts-wrong.p7m", &tsa, Some(b"altri byte, non la firma")),
        Some(later()),
        None,
    );
    let sig = first(&report);
    assert_eq!(sig.timestamps[0].check.status, CheckStatus::Failed);
    assert!(sig.timestamps[0].check.message.contains("imprint"));
    assert!(sig.best_signature_time.is_none());
    assert_eq!(sig.checks.timestamp.status, CheckStatus::Failed);
    assert_eq!(report.sub_indication, Some(SubIndication::OutOfBoundsNoPoe));
}

#[test]
fn a_tsa_not_on_the_list_proves_nothing() {
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path();
    let other_root = support::chains::issue(
        d,
        "other-root",
        "/O=SPORTELLO TEST PKI - NON VALIDO/CN=Unlisted TSA Root",
        support::chains::CA_EXT,
        None,
        None,
    );
    let tsa = make_tsa(d, "unlisted", &other_root.cert, &other_root.key, None);
    let report = judge(&stamped("ts-unlisted.p7m", &tsa, None), Some(later()), None);
    let sig = first(&report);
    let token = &sig.timestamps[0];
    assert_eq!(token.check.status, CheckStatus::Indeterminate);
    assert!(
        token.check.message.contains("not on the trusted list"),
        "{}",
        token.check.message
    );
    assert!(sig.best_signature_time.is_none());
    assert_eq!(report.sub_indication, Some(SubIndication::OutOfBoundsNoPoe));
}

#[test]
fn a_tsa_certificate_expired_at_gen_time_proves_nothing() {
    let dir = tempfile::tempdir().expect("tempdir");
    let tsa = trusted_tsa(
        dir.path(),
        "old",
        Some(("20200101000000Z", "20210101000000Z")),
    );
    let report = judge(&stamped("ts-old.p7m", &tsa, None), None, None);
    let token = &first(&report).timestamps[0];
    assert_eq!(token.check.status, CheckStatus::Failed);
    assert!(
        token.check.message.contains("not valid at genTime"),
        "{}",
        token.check.message
    );
    assert!(first(&report).best_signature_time.is_none());
}

#[test]
fn revocation_is_judged_against_the_proven_time() {
    let dir = tempfile::tempdir().expect("tempdir");
    let tsa = trusted_tsa(dir.path(), "rev", None);
    let f = fixtures();
    let signer = f.pki.cert_der(&f.pki.rsa);
    let data = stamped("ts-rev.p7m", &tsa, None);
    let now = OffsetDateTime::now_utc();

    // Revoked an hour before the token: proof that signing came after the revocation.
    let mut before = TableSource::default();
    before
        .answers
        .insert(signer.clone(), revoked(now - Duration::hours(1)));
    let report = judge(&data, None, Some(&before));
    assert_eq!(
        (report.indication, report.sub_indication),
        (Indication::TotalFailed, Some(SubIndication::Revoked))
    );

    // Revoked a day after the token, checked two days later: the signature stands.
    let mut after = TableSource::default();
    after
        .answers
        .insert(signer.clone(), revoked(now + Duration::days(1)));
    let report = judge(&data, Some(now + Duration::days(2)), Some(&after));
    assert_eq!(
        (report.indication, report.sub_indication),
        (Indication::TotalPassed, None),
        "{:?}",
        first(&report).checks
    );
    assert_eq!(
        first(&report).checks.revocation.status,
        CheckStatus::Warning
    );
    let json = serde_json::to_value(first(&report)).expect("json");
    assert_eq!(json["revocation"]["status"], "revoked");

    // Revoked, and nothing proves when the signature was made.
    let plain = Fixtures::read(&f.der("ts-rev-plain.p7m"));
    let report = judge(&plain, None, Some(&before));
    assert_eq!(
        (report.indication, report.sub_indication),
        (Indication::Indeterminate, Some(SubIndication::RevokedNoPoe))
    );
}

#[test]
fn tsd_and_m7m_tokens_cover_every_signature_inside() {
    let f = fixtures();
    for path in [f.tsd("ts-wrap.p7m.tsd"), f.m7m("ts-wrap.m7m")] {
        let report = judge(&Fixtures::read(&path), Some(later()), None);
        let token = &report.timestamp_tokens[0];
        assert_eq!(
            token.check.status,
            CheckStatus::Passed,
            "{}: {}",
            path.display(),
            token.check.message
        );
        let sig = first(&report);
        assert_eq!(sig.best_signature_time, token.gen_time);
        assert_eq!(sig.timestamps[0].source, token.source);
        assert_eq!(
            report.indication,
            Indication::TotalPassed,
            "{}",
            path.display()
        );
    }
}

#[test]
fn a_truncated_or_flipped_token_never_proves_anything() {
    let dir = tempfile::tempdir().expect("tempdir");
    let tsa = trusted_tsa(dir.path(), "fuzzed", None);
    let good = stamped("ts-fuzzed.p7m", &tsa, None);
    let response = tsa.response(b"any", "fuzzed-detached");
    // Damage the token inside the envelope at a spread of positions, and cut it short.
    let start = good.len() - response.len().min(good.len() / 2);
    for i in (start..good.len()).step_by(97) {
        let mut bad = good.clone();
        bad[i] ^= 0x5a;
        let report = judge(&bad, Some(later()), None);
        for sig in &report.signatures {
            if sig.best_signature_time.is_some() {
                assert!(
                    sig.timestamps
                        .iter()
                        .any(|t| t.check.status == CheckStatus::Passed),
                    "byte {i}: a proof without a passed token"
                );
            }
        }
    }
    let store = root_store();
    let mut opts = VerifyOptions::now();
    opts.trust = Some(&store);
    let p7m = Fixtures::read(&fixtures().der("ts-detached-fuzz.p7m"));
    for cut in (0..response.len()).step_by(53) {
        let report =
            sportello::verify::verify_with_tokens("f.p7m", &p7m, &[&response[..cut]], &opts);
        assert_ne!(report.timestamp_tokens[0].check.status, CheckStatus::Passed);
        assert!(first(&report).best_signature_time.is_none());
    }
}

#[test]
fn cli_reads_the_tsr_beside_the_file_and_timestamp_given() {
    let f = fixtures();
    let dir = tempfile::tempdir().expect("tempdir");
    let tsa = trusted_tsa(dir.path(), "cli", None);
    let file = dir.path().join("delega.txt.p7m");
    std::fs::copy(f.der("ts-cli.p7m"), &file).expect("copy");
    let bytes = Fixtures::read(&file);
    std::fs::write(
        dir.path().join("delega.txt.p7m.tsr"),
        tsa.response(&bytes, "beside"),
    )
    .expect("tsr");
    let data = tempfile::tempdir().expect("data dir");
    let run = |extra: &[&std::ffi::OsStr]| -> serde_json::Value {
        let out = Command::new(env!("CARGO_BIN_EXE_sportello"))
            .env("SPORTELLO_DATA_DIR", data.path())
            .args(["verify", "--json", "--trust"])
            .arg(&f.pki.root_cert)
            .args(extra)
            .arg(&file)
            .output()
            .expect("run");
        serde_json::from_slice(&out.stdout).expect("json")
    };
    let report = run(&[]);
    assert_eq!(report["timestamp_tokens"][0]["source"], "tsr");
    assert_eq!(report["timestamp_tokens"][0]["status"], "passed");
    assert!(report["signatures"][0]["best_signature_time"].is_string());

    // --timestamp with a response over other bytes: read, judged, and proves nothing.
    let other = dir.path().join("other.tsr");
    std::fs::write(&other, tsa.response(b"un altro file", "other")).expect("tsr");
    let report = run(&["--timestamp".as_ref(), other.as_os_str()]);
    assert_eq!(report["timestamp_tokens"][0]["status"], "failed");
    assert_eq!(report["timestamp_tokens"][1]["status"], "passed");
}
