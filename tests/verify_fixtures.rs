//! Every envelope form and every tampering, on fixtures a test PKI makes with openssl.

mod support;

use std::path::Path;

use sha2::{Digest, Sha256};
use sportello::verify::{
    verify_bytes, CheckStatus, Indication, Report, SubIndication, VerifyOptions,
};
use support::{edits, fixtures, pki::openssl, Fixtures, DOCUMENT};

fn judge(path: &Path) -> Report {
    let data = Fixtures::read(path);
    verify_bytes(&path.display().to_string(), &data, &VerifyOptions::now())
}

fn document_sha() -> String {
    hex::encode(Sha256::digest(DOCUMENT))
}

/// One intact signature by `cf`, over the test document, waiting only for the chain check.
fn assert_intact_single(report: &Report, cf: &str) {
    assert_eq!(
        report.signatures.len(),
        1,
        "{}: {:#?}",
        report.file,
        report.signatures
    );
    let sig = &report.signatures[0];
    assert!(sig.firma_integra(), "{}: {:#?}", report.file, sig.checks);
    let found = sig
        .signer
        .as_ref()
        .and_then(|s| s.codice_fiscale.as_ref())
        .expect("codice fiscale");
    assert_eq!(
        (found.value.as_str(), found.valid),
        (cf, true),
        "{}",
        report.file
    );
    assert_eq!(
        report.sub_indication,
        Some(SubIndication::NoCertificateChainFound),
        "{}",
        report.file
    );
    assert_eq!(
        report.content.as_ref().map(|c| c.sha256.clone()),
        Some(document_sha()),
        "{}",
        report.file
    );
}

#[test]
fn every_transport_form_is_read() {
    let f = fixtures();
    let der = f.der("der.p7m");
    let cases: Vec<(&str, std::path::PathBuf, &str)> = vec![
        ("DER", der.clone(), "L0:DER"),
        (
            "BER",
            f.pki.sign(
                &f.document,
                "ber.p7m",
                &[&f.pki.rsa],
                &["-nodetach", "-stream", "-outform", "DER"],
            ),
            "L0:BER",
        ),
        (
            "PEM",
            f.pki.sign(
                &f.document,
                "pem.p7m",
                &[&f.pki.rsa],
                &["-nodetach", "-outform", "PEM"],
            ),
            "PEM",
        ),
        ("base64 LF", f.base64(&der, "b64lf.p7m", "\n"), "base64"),
        (
            "base64 CRLF",
            f.base64(&der, "b64crlf.p7m", "\r\n"),
            "base64-crlf",
        ),
        (
            "subject key identifier",
            f.pki.sign(
                &f.document,
                "keyid.p7m",
                &[&f.pki.rsa],
                &["-nodetach", "-keyid", "-outform", "DER"],
            ),
            "L0:DER",
        ),
    ];
    for (what, path, encoding) in cases {
        let report = judge(&path);
        assert!(
            report.encodings.iter().any(|e| e == encoding),
            "{what}: {:?}",
            report.encodings
        );
        assert_intact_single(&report, "RSSMRA80A01H501U");
    }
}

#[test]
fn trailing_bytes_are_a_warning_not_a_failure() {
    let f = fixtures();
    let der = Fixtures::read(&f.der("trailing-src.p7m"));
    for (name, tail) in [("nul.p7m", vec![0u8]), ("junk.p7m", vec![0xA5u8; 2048])] {
        let path = f.pki.dir.join(name);
        std::fs::write(&path, [der.clone(), tail.clone()].concat()).expect("write");
        let report = judge(&path);
        assert_intact_single(&report, "RSSMRA80A01H501U");
        assert!(
            report
                .warnings
                .iter()
                .any(|w| w.contains(&format!("{} byte(s) after the end", tail.len()))),
            "{:?}",
            report.warnings
        );
    }
}

#[test]
fn each_signature_algorithm_verifies() {
    let f = fixtures();
    let p = &f.pki;
    let cases = [
        (
            "pss.p7m",
            &p.pss,
            vec!["-nodetach", "-outform", "DER"],
            "RSASSA-PSS (SHA-256, MGF1 SHA-256, salt 32)",
        ),
        (
            "p256.p7m",
            &p.p256,
            vec!["-nodetach", "-outform", "DER"],
            "ECDSA with SHA-256",
        ),
        (
            "p384.p7m",
            &p.p384,
            vec!["-nodetach", "-md", "sha384", "-outform", "DER"],
            "ECDSA with SHA-384",
        ),
        (
            "sha512.p7m",
            &p.rsa,
            vec!["-nodetach", "-md", "sha512", "-outform", "DER"],
            "RSA PKCS#1 v1.5",
        ),
    ];
    for (name, signer, opts, algorithm) in cases {
        let path = p.sign(&f.document, name, &[signer], &opts);
        let report = judge(&path);
        assert_intact_single(&report, signer.codice_fiscale);
        assert!(
            report.signatures[0]
                .signature_algorithm
                .starts_with(algorithm),
            "{name}: {}",
            report.signatures[0].signature_algorithm
        );
        assert_eq!(
            report.signatures[0].checks.crypto_policy.status,
            CheckStatus::Passed,
            "{name}"
        );
    }
}

#[test]
fn parallel_signers_are_judged_each_on_their_own() {
    let f = fixtures();
    let path = f.pki.sign(
        &f.document,
        "parallel.p7m",
        &[&f.pki.rsa, &f.pki.rsa_second],
        &["-nodetach", "-outform", "DER"],
    );
    let report = judge(&path);
    let ids: Vec<&str> = report.signatures.iter().map(|s| s.id.as_str()).collect();
    assert_eq!(ids, ["L0.S1", "L0.S2"]);
    let mut cfs: Vec<String> = report
        .signatures
        .iter()
        .filter(|s| s.firma_integra())
        .filter_map(|s| {
            s.signer
                .as_ref()?
                .codice_fiscale
                .as_ref()
                .map(|c| c.value.clone())
        })
        .collect();
    cfs.sort();
    assert_eq!(cfs, ["RSSMRA80A01H501U", "VRDLCU85M41F205J"]);
}

#[test]
fn nested_three_deep_with_mixed_encodings() {
    let f = fixtures();
    let p = &f.pki;
    let inner = f.der("delega.txt.p7m");
    let middle = f.wrap(
        &inner,
        "delega.txt.p7m.p7m",
        &p.rsa_second,
        &["-nodetach", "-stream", "-outform", "DER"],
    );
    let outer = f.wrap(
        &middle,
        "delega.txt.p7m.p7m.p7m",
        &p.p256,
        &["-nodetach", "-outform", "DER"],
    );
    let report = judge(&outer);
    let levels: Vec<(usize, usize)> = report
        .levels
        .iter()
        .map(|l| (l.level, l.signer_count))
        .collect();
    assert_eq!(levels, [(0, 1), (1, 1), (2, 1)]);
    assert_eq!(report.levels[1].encoding, "BER");
    assert!(report.signatures.iter().all(|s| s.firma_integra()));
    assert_eq!(
        report.content.as_ref().map(|c| c.sha256.clone()),
        Some(document_sha())
    );
    assert_eq!(
        report.content.as_ref().map(|c| c.suggested_name.as_str()),
        Some("delega.txt")
    );
    let signers: Vec<&str> = report
        .signatures
        .iter()
        .filter_map(|s| {
            s.signer
                .as_ref()?
                .codice_fiscale
                .as_ref()
                .map(|c| c.value.as_str())
        })
        .collect();
    assert_eq!(
        signers,
        ["RSSMRA80A01H501U", "VRDLCU85M41F205J", "RSSMRA80A01H501U"]
    );

    // The inner envelope carried as base64 text is found by sniffing too.
    let b64_inner = f.base64(&inner, "inner-b64.txt", "\n");
    let outer_b64 = f.wrap(
        &b64_inner,
        "b64-nested.p7m",
        &p.rsa_second,
        &["-nodetach", "-outform", "DER"],
    );
    let report = judge(&outer_b64);
    assert_eq!(report.levels.len(), 2);
    assert!(
        report.levels[1].encoding.starts_with("base64"),
        "{}",
        report.levels[1].encoding
    );
    assert!(report.signatures.iter().all(|s| s.firma_integra()));
}

#[test]
fn countersignatures_recursively() {
    let f = fixtures();
    let path = f.countersigned("counter.p7m", true);
    // openssl still verifies the parent signature after the countersignature was added.
    openssl(
        &f.pki.dir,
        &[
            "cms",
            "-verify",
            "-noverify",
            "-binary",
            "-inform",
            "DER",
            "-in",
            path.to_str().unwrap_or_default(),
            "-out",
            "/dev/null",
        ],
    );
    let report = judge(&path);
    let ids: Vec<(&str, Option<&str>)> = report
        .signatures
        .iter()
        .map(|s| (s.id.as_str(), s.parent.as_deref()))
        .collect();
    assert_eq!(
        ids,
        [
            ("L0.S1", None),
            ("L0.S1.C1", Some("L0.S1")),
            ("L0.S1.C1.C1", Some("L0.S1.C1"))
        ]
    );
    for sig in &report.signatures {
        assert!(sig.firma_integra(), "{}: {:#?}", sig.id, sig.checks);
    }
    let c1 = &report.signatures[1];
    assert_eq!(
        c1.signer.as_ref().and_then(|s| s.surname.as_deref()),
        Some("VERDI")
    );
    assert_eq!(c1.signing_time.as_deref(), Some("2026-01-01T12:00:00Z"));

    // A countersignature whose signature byte changed fails alone; the parent stays intact.
    let broken = f.edited(&path, "counter-broken.p7m", |env| {
        let si = &mut env.signer_infos().children[0];
        let unsigned = si.find(0xA1).expect("unsigned attrs");
        let counter = &mut si.children[unsigned].children[0].children[1].children[0];
        let sig = &mut counter.children[support::der_edit::SIGNATURE].value;
        sig[7] ^= 0x40;
    });
    let report = judge(&broken);
    assert!(report.signatures[0].firma_integra());
    assert!(!report.signatures[1].firma_integra());
    assert_eq!(
        report.signatures[1].sub_indication,
        Some(SubIndication::SigCryptoFailure)
    );
    assert_eq!(report.indication, Indication::TotalFailed);
}

#[test]
fn tampering_is_caught_and_named() {
    let f = fixtures();
    let der = f.der("tamper-src.p7m");
    let bytes = Fixtures::read(&der);

    let at = bytes
        .windows(DOCUMENT.len())
        .position(|w| w == DOCUMENT)
        .expect("document inside");
    let mut changed = bytes.clone();
    changed[at + 5] ^= 0x20;
    let content = f.pki.dir.join("tampered-content.p7m");
    std::fs::write(&content, &changed).expect("write");
    let report = judge(&content);
    assert_eq!(report.sub_indication, Some(SubIndication::HashFailure));
    assert_eq!(
        report.signatures[0].checks.digest.status,
        CheckStatus::Failed
    );

    let signature = f.edited(&der, "tampered-signature.p7m", edits::flip_signature_byte);
    let report = judge(&signature);
    assert_eq!(report.sub_indication, Some(SubIndication::SigCryptoFailure));
    assert_eq!(
        report.signatures[0].checks.digest.status,
        CheckStatus::Passed
    );

    let attribute = f.edited(&der, "tampered-attribute.p7m", edits::change_signing_time);
    let report = judge(&attribute);
    assert_eq!(report.sub_indication, Some(SubIndication::SigCryptoFailure));

    let truncated = f.pki.dir.join("truncated.p7m");
    std::fs::write(&truncated, &bytes[..bytes.len() / 2]).expect("write");
    let report = judge(&truncated);
    assert_eq!(
        (report.indication, report.sub_indication),
        (Indication::TotalFailed, Some(SubIndication::FormatFailure))
    );
    assert!(report.reason.is_some());
}

#[test]
fn reordered_attributes_verify_only_after_der_sorting() {
    let f = fixtures();
    let der = f.der("reorder-src.p7m");
    let reordered = f.edited(&der, "reordered.p7m", edits::reorder_signed_attributes);
    let report = judge(&reordered);
    let sig = &report.signatures[0];
    assert_eq!(
        sig.checks.signature.status,
        CheckStatus::Warning,
        "{}",
        sig.checks.signature.message
    );
    assert!(sig.checks.signature.message.contains("sorting"));
    assert!(sig.firma_integra());
}

#[test]
fn declared_algorithm_mismatch_is_reported() {
    let f = fixtures();
    let der = f.der("mismatch-src.p7m");
    let lying = f.edited(&der, "sha512-claimed.p7m", edits::claim_sha512_with_rsa);
    let report = judge(&lying);
    let sig = &report.signatures[0];
    assert_eq!(report.sub_indication, Some(SubIndication::SigCryptoFailure));
    assert!(
        sig.checks.signature.message.contains("SHA-512"),
        "{}",
        sig.checks.signature.message
    );
    assert!(
        sig.checks
            .signature
            .message
            .contains("would verify with SHA-256"),
        "{}",
        sig.checks.signature.message
    );
}

#[test]
fn detached_and_attribute_less_signatures() {
    let f = fixtures();
    let detached = f.pki.sign(
        &f.document,
        "detached.p7s",
        &[&f.pki.rsa],
        &["-outform", "DER"],
    );
    let report = judge(&detached);
    assert_eq!(
        report.sub_indication,
        Some(SubIndication::SignedDataNotFound)
    );
    assert_eq!(
        report.signatures[0].checks.signature.status,
        CheckStatus::Passed
    );
    assert!(report.content.is_none() && report.levels[0].detached);

    let no_attrs = f.pki.sign(
        &f.document,
        "noattr.p7m",
        &[&f.pki.rsa],
        &["-nodetach", "-noattr", "-outform", "DER"],
    );
    let report = judge(&no_attrs);
    assert_intact_single(&report, "RSSMRA80A01H501U");
    assert!(report.signatures[0].signing_time.is_none());
    assert!(report.signatures[0]
        .checks
        .digest
        .message
        .contains("no signed attributes"));
}

#[test]
fn codice_fiscale_forms_and_invalid_codes() {
    let f = fixtures();
    let it_colon = f.pki.sign(
        &f.document,
        "itcolon.p7m",
        &[&f.pki.it_colon],
        &["-nodetach", "-outform", "DER"],
    );
    assert_intact_single(&judge(&it_colon), "RSSMRA80A01H501U");

    let bad = f.pki.sign(
        &f.document,
        "badcf.p7m",
        &[&f.pki.bad_cf],
        &["-nodetach", "-outform", "DER"],
    );
    let report = judge(&bad);
    let cf = report.signatures[0]
        .signer
        .as_ref()
        .and_then(|s| s.codice_fiscale.clone())
        .expect("reported");
    assert_eq!(cf.value, "RSSMRA80A01H501X");
    assert!(!cf.valid);
    assert!(cf.problem.is_some_and(|p| p.contains("check character")));
    let signer = report.signatures[0].signer.as_ref().expect("signer");
    assert!(signer.qc_statements.qc_compliance && signer.qc_statements.qc_sscd);
    assert_eq!(signer.key_usage, ["nonRepudiation"]);
    assert!(signer.key_usage_critical);
}

#[test]
fn m7m_and_tsd_wrappers() {
    let f = fixtures();
    let m7m = judge(&f.m7m("delega.txt.m7m"));
    assert!(
        m7m.encodings.iter().any(|e| e == "MIME"),
        "{:?}",
        m7m.encodings
    );
    assert_intact_single(&m7m, "RSSMRA80A01H501U");
    assert_eq!(m7m.timestamp_tokens.len(), 1);
    assert_eq!(
        m7m.timestamp_tokens[0].imprint_algorithm.as_deref(),
        Some("SHA-256")
    );
    assert!(m7m.timestamp_tokens[0].gen_time.is_some());

    let tsd = judge(&f.tsd("delega.txt.p7m.tsd"));
    assert!(tsd.encodings.iter().any(|e| e == "TimeStampedData"));
    assert_intact_single(&tsd, "RSSMRA80A01H501U");
    assert_eq!(tsd.timestamp_tokens.len(), 1);
    assert_eq!(
        tsd.content.as_ref().map(|c| c.suggested_name.as_str()),
        Some("delega.txt")
    );

    // A detached .tsr read on its own: a time-stamp token level.
    let p7m = f.der("tsr-subject.p7m");
    let tsr = judge(&f.timestamp_response(&p7m, "tsr-subject.p7m.tsr"));
    assert_eq!(tsr.levels[0].kind, "time-stamp-token");
    assert!(tsr.signatures[0].firma_integra());
}

#[test]
fn large_chunked_content_is_hashed_in_place() {
    let f = fixtures();
    let path = f.pki.sign(
        &f.big_document,
        "grande.bin.p7m",
        &[&f.pki.rsa],
        &["-nodetach", "-stream", "-outform", "DER"],
    );
    let report = judge(&path);
    assert!(report.encodings.iter().any(|e| e == "L0:BER"));
    assert_intact_single_content(&report, &Fixtures::read(&f.big_document));
}

fn assert_intact_single_content(report: &Report, document: &[u8]) {
    assert!(report.signatures[0].firma_integra());
    let content = report.content.as_ref().expect("content");
    assert_eq!(content.sha256, hex::encode(Sha256::digest(document)));
    assert_eq!(content.size, document.len() as u64);
}
