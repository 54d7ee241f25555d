//! Trust over the corpus: every signature that the manifest's independent checker (pyHanko
//! with the Italian Trusted List's roots, at signing time) found trusted chains to the
//! imported Italian list at its signing time; foreign and test PKIs do not; and the same
//! Italian files checked today are expired, not passed.

mod common;

use sportello::trust::tsl::{list_pointers, parse_trusted_list};
use sportello::trust::xmldsig::verify_list_signature;
use sportello::trust::TrustStore;
use sportello::verify::{
    verify_bytes, CheckStatus, Indication, Report, SubIndication, VerifyOptions,
};

/// The Italian list, imported as the product does: signature checked with the signers the
/// EU list of lists names.
fn italian_store() -> TrustStore {
    let shared = common::shared_dir();
    let it = std::fs::read(shared.join("trust/TSL-IT_seq194_2023-09-26.xml")).expect("IT list");
    let lotl = std::fs::read(shared.join("trust/EU-LOTL_seq332_2023-09-27.xml")).expect("LOTL");
    let signers: Vec<Vec<u8>> = list_pointers(&lotl)
        .expect("pointers")
        .into_iter()
        .filter(|p| p.territory == "IT")
        .flat_map(|p| p.signer_certificates)
        .collect();
    let list = parse_trusted_list(&it).expect("parse");
    verify_list_signature(&String::from_utf8_lossy(&it), &signers, list.issue_date)
        .expect("signature");
    TrustStore {
        anchors: list.anchors(&sportello::trust::store::SIGNATURE_SERVICES),
        timestamp_anchors: list.anchors(&sportello::trust::store::TIMESTAMP_SERVICES),
    }
}

fn judge(name: &str, store: &TrustStore, at: Option<time::OffsetDateTime>) -> Report {
    let data = std::fs::read(common::corpus_file(name)).expect("corpus");
    let mut opts = VerifyOptions::now();
    opts.trust = Some(store);
    if let Some(at) = at {
        opts.validation_time = at;
        opts.asserted = true;
    }
    verify_bytes(name, &data, &opts)
}

/// pyHanko's per-signer findings: top-level signatures in level order.
fn pyhanko_trusted(row: &str) -> Vec<bool> {
    row.split(" | ")
        .next()
        .unwrap_or("")
        .split(',')
        .filter(|s| !s.trim().is_empty())
        .map(|s| s.trim() == "INTACT:TRUSTED")
        .collect()
}

#[test]
fn genuine_italian_signatures_chain_at_their_signing_time() {
    let store = italian_store();
    let manifest = std::fs::read_to_string(common::shared_dir().join("corpus/MANIFEST.tsv"))
        .expect("manifest");
    let mut checked = 0;
    let mut proven_today = 0;
    for line in manifest.lines().skip(1) {
        let cols: Vec<&str> = line.split('\t').collect();
        let (Some(file), Some(pyhanko)) = (cols.first(), cols.last()) else {
            continue;
        };
        if file.starts_with("../") {
            continue;
        }
        let trusted = pyhanko_trusted(pyhanko);
        if !trusted.iter().any(|t| *t) {
            continue;
        }
        let first = judge(file, &store, None);
        let top: Vec<_> = first
            .signatures
            .iter()
            .filter(|s| s.parent.is_none())
            .collect();
        for (sig, expected_trusted) in top.iter().zip(&trusted) {
            if !expected_trusted {
                continue;
            }
            let signed_at = sig
                .signing_time
                .as_deref()
                .and_then(|t| {
                    time::OffsetDateTime::parse(t, &time::format_description::well_known::Rfc3339)
                        .ok()
                })
                .expect("trusted samples declare a signing time");
            let then = judge(file, &store, Some(signed_at + time::Duration::minutes(1)));
            let again = then
                .signatures
                .iter()
                .find(|s| s.id == sig.id)
                .expect("same signature");
            assert_eq!(
                again.checks.chain.status,
                CheckStatus::Passed,
                "{file} {}: {}",
                sig.id,
                again.checks.chain.message
            );
            assert!(again.checks.chain.message.contains("Trusted List IT #194"));
            assert_eq!(
                again.sub_indication,
                Some(SubIndication::TryLater),
                "{file} {}",
                sig.id
            );
            // Checked today, the same signature is expired: without proof of time it is not
            // passed; a qualified time-stamp from before the expiry makes it pass (CAD art. 24
            // c. 4-bis, EN 319 102-1 past-signature validation).
            let today = first
                .signatures
                .iter()
                .find(|s| s.id == sig.id)
                .expect("today");
            let expected = if today.best_signature_time.is_some() {
                proven_today += 1;
                None
            } else {
                Some(SubIndication::OutOfBoundsNoPoe)
            };
            assert_eq!(today.sub_indication, expected, "{file} {} today", sig.id);
            checked += 1;
        }
    }
    println!("Italian signatures chained at signing time: {checked}; proven by a time-stamp: {proven_today}");
    // parer_cades_T_1 (and the .tsd around it) carry InfoCert qualified time-stamps.
    assert!(
        proven_today >= 1,
        "no corpus signature was proven by its time-stamp"
    );
    assert!(
        checked >= 9,
        "only {checked} genuine Italian signatures checked"
    );
}

#[test]
fn foreign_test_and_regional_pkis_do_not_chain() {
    let store = italian_store();
    for name in [
        "dss_Signature-C-HU_MIC-1.p7m",
        "dss_Signature-C-DE_CRY-3.p7m",
        "dss-cookbook_signedCadesB.p7m",
        "dss_test.txt.signed.qes.attached.p7s",
        "dss_Signature-CBp-B-1.p7m",
        "dss_Signature-C-X-1.p7m",
        "parer_p7m_md5.pdf.p7m",
    ] {
        let report = judge(name, &store, None);
        for sig in report
            .signatures
            .iter()
            .filter(|s| s.parent.is_none() && s.level == 0)
        {
            assert_eq!(
                sig.sub_indication,
                Some(SubIndication::NoCertificateChainFound),
                "{name} {}",
                sig.id
            );
        }
        assert_ne!(report.indication, Indication::TotalPassed);
    }
    // Three parallel signers: ArubaPEC and InfoCert chain, the Lombardy CRS card does not.
    let fd = judge(
        "dss_FD1_FD2_FEA.pdf.p7m",
        &store,
        Some(time::macros::datetime!(2015-08-10 12:00 UTC)),
    );
    let chains: Vec<CheckStatus> = fd
        .signatures
        .iter()
        .map(|s| s.checks.chain.status)
        .collect();
    assert_eq!(
        chains,
        [
            CheckStatus::Passed,
            CheckStatus::Passed,
            CheckStatus::Failed
        ]
    );
}

#[test]
fn qualified_status_follows_the_list() {
    let store = italian_store();
    let at = |t| Some(t);
    let label = |r: &Report, i: usize| {
        r.signatures[i]
            .checks
            .qualified
            .message
            .split(':')
            .next()
            .unwrap_or("")
            .to_string()
    };
    let postecert = judge(
        "parer_cades_bes.pdf.p7m",
        &store,
        at(time::macros::datetime!(2013-09-09 10:00 UTC)),
    );
    assert_eq!(label(&postecert, 0), "QESig");
    assert_eq!(
        postecert.signatures[0].checks.qualified.status,
        CheckStatus::Passed
    );
    // Aruba's 2023 certificate carries no QcType: it must not fail anything.
    let aruba = judge(
        "slamdunk_OK.txt.p7m",
        &store,
        at(time::macros::datetime!(2024-01-10 12:00 UTC)),
    );
    assert!(aruba.signatures[0]
        .signer
        .as_ref()
        .is_some_and(|s| s.qc_statements.qc_types.is_empty()));
    assert_eq!(label(&aruba, 0), "QESig");
    let fd = judge(
        "dss_FD1_FD2_FEA.pdf.p7m",
        &store,
        at(time::macros::datetime!(2015-08-10 12:00 UTC)),
    );
    assert_eq!(
        [label(&fd, 0), label(&fd, 1), label(&fd, 2)],
        ["QESig", "QESig", "N/A"]
    );
    // The MD5 file is signed with a regional CRS card: not qualified.
    let md5 = judge(
        "parer_p7m_md5.pdf.p7m",
        &store,
        at(time::macros::datetime!(2012-06-01 12:00 UTC)),
    );
    assert_eq!(label(&md5, 0), "N/A");
    assert_eq!(
        md5.signatures[0].checks.crypto_policy.status,
        CheckStatus::Failed
    );
    assert!(md5.signatures[0]
        .checks
        .crypto_policy
        .message
        .contains("MD5"));
}

/// The corpus files with time-stamp tokens: the manifest's expectations, and where it says
/// nothing, what `openssl ts -verify` says.
#[test]
fn corpus_time_stamps_prove_what_they_should() {
    let store = italian_store();
    // CAdES-T: an InfoCert qualified time-stamp (2013) over the outer signature; it proves
    // the inner envelope's two signatures too.
    let cades_t = judge("parer_cades_T_1.pdf.p7m", &store, None);
    let outer = &cades_t.signatures[0].timestamps[0];
    assert_eq!(outer.source, "signature-time-stamp");
    assert_eq!(
        outer.check.status,
        CheckStatus::Passed,
        "{}",
        outer.check.message
    );
    assert!(outer.qualified);
    assert!(cades_t
        .signatures
        .iter()
        .all(|s| s.best_signature_time.as_deref() == Some("2013-03-07T14:44:30Z")));

    // Its detached .tsr and the .tsd come from a private test TSA whose certificate had
    // expired (ParER: "TSD marca SHA1 KO"; openssl ts -verify: certificate has expired).
    let data = std::fs::read(common::corpus_file("parer_cades_T_1.pdf.p7m")).expect("p7m");
    let tsr = std::fs::read(common::corpus_file("parer_cades_T_1.pdf.p7m.tsr")).expect("tsr");
    let mut opts = VerifyOptions::now();
    opts.trust = Some(&store);
    let with_tsr =
        sportello::verify::verify_with_tokens("parer_cades_T_1.pdf.p7m", &data, &[&tsr], &opts);
    let token = &with_tsr.timestamp_tokens[0];
    assert_eq!(token.source, "tsr");
    assert!(
        !token.check.message.contains("imprint"),
        "the imprint is over the file"
    );
    assert_ne!(token.check.status, CheckStatus::Passed);
    let tsd = judge("parer_tsd_cades_T.pdf.p7m.tsd", &store, None);
    assert_eq!(tsd.timestamp_tokens[0].source, "tsd");
    assert!(!tsd.timestamp_tokens[0].check.message.contains("imprint"));
    assert_ne!(tsd.timestamp_tokens[0].check.status, CheckStatus::Passed);
    assert!(tsd
        .signatures
        .iter()
        .all(|s| s.best_signature_time.is_some()));

    // DSS negative samples: a modified imprint, a wrong signing-certificate reference.
    let modified = judge("dss_BpT_modified_ts_hash.p7m", &store, None);
    let token = &modified.signatures[0].timestamps[0];
    assert_eq!(token.check.status, CheckStatus::Failed);
    assert!(
        token.check.message.contains("imprint"),
        "{}",
        token.check.message
    );
    let wrong_ref = judge("dss_cms-wrong-sign-cert-ref.p7m", &store, None);
    let token = &wrong_ref.signatures[0].timestamps[0];
    assert_ne!(token.check.status, CheckStatus::Passed);
    assert!(wrong_ref.signatures[0].best_signature_time.is_none());
}
