//! The CAdES-BES writer with keys held by openssl (an independent signer): new envelopes,
//! parallel signatures, countersignatures and wrapping, RSA and ECDSA, each checked by the
//! product's verifier, by `openssl cms -verify -cades` and (tests/sign_pyhanko.sh) pyHanko;
//! signed attributes in DER order; content byte-identical; other signers' bytes untouched.

mod support;

use std::path::{Path, PathBuf};
use std::process::Command;

use sportello::card::signing_key::{KeyKind, SigningKey};
use sportello::card::CardError;
use sportello::crypto::algorithms::DigestAlgorithm;
use sportello::envelope::ber::Tlv;
use sportello::envelope::{self, Buffers};
use sportello::sign::{self, accept_signed, check_signer, Mode, SignError, SignerProblem};
use sportello::trust::anchors::TrustStore;
use support::pki::{openssl, Signer};
use support::{fixtures, DOCUMENT};

/// A key in a PEM file, signing through `openssl pkeyutl` (PKCS#1 v1.5 with DigestInfo for
/// RSA, DER ECDSA for EC keys).
struct OpensslKey {
    dir: PathBuf,
    key: PathBuf,
    cert_der: Vec<u8>,
    kind: KeyKind,
}

impl OpensslKey {
    fn new(signer: &Signer, kind: KeyKind) -> OpensslKey {
        let f = fixtures();
        OpensslKey {
            dir: f.pki.dir.clone(),
            key: signer.key.clone(),
            cert_der: f.pki.cert_der(signer),
            kind,
        }
    }
}

impl SigningKey for OpensslKey {
    fn certificate_der(&self) -> &[u8] {
        &self.cert_der
    }
    fn key_kind(&self) -> KeyKind {
        self.kind.clone()
    }
    fn sign_digest(&mut self, alg: DigestAlgorithm, digest: &[u8]) -> Result<Vec<u8>, CardError> {
        assert_eq!(alg, DigestAlgorithm::Sha256);
        let tmp = tempfile::NamedTempFile::new_in(&self.dir).expect("temp file");
        std::fs::write(tmp.path(), digest).expect("write digest");
        Ok(openssl(
            &self.dir,
            &[
                "pkeyutl",
                "-sign",
                "-inkey",
                self.key.to_str().unwrap_or_default(),
                "-in",
                tmp.path().to_str().unwrap_or_default(),
                "-pkeyopt",
                "digest:sha256",
            ],
        ))
    }
}

fn rsa() -> OpensslKey {
    OpensslKey::new(&fixtures().pki.rsa, KeyKind::Rsa { bits: 2048 })
}
fn rsa_second() -> OpensslKey {
    OpensslKey::new(&fixtures().pki.rsa_second, KeyKind::Rsa { bits: 2048 })
}
fn p256() -> OpensslKey {
    OpensslKey::new(&fixtures().pki.p256, KeyKind::Ec { curve: "P-256" })
}
fn p384() -> OpensslKey {
    OpensslKey::new(&fixtures().pki.p384, KeyKind::Ec { curve: "P-384" })
}

fn anchors() -> TrustStore {
    TrustStore::load(std::slice::from_ref(&fixtures().pki.root_cert)).expect("test root")
}

fn now() -> time::OffsetDateTime {
    time::OffsetDateTime::now_utc()
}

fn write(name: &str, data: &[u8]) -> PathBuf {
    let path = fixtures().pki.dir.join(name);
    std::fs::write(&path, data).expect("write envelope");
    path
}

/// `openssl cms -verify -cades`: every parallel signer, signing-certificate-v2 required.
/// Returns the content openssl extracted.
fn openssl_verifies(envelope: &Path) -> Vec<u8> {
    let f = fixtures();
    let out = Command::new("openssl")
        .current_dir(&f.pki.dir)
        .args([
            "cms", "-verify", "-cades", "-binary", "-inform", "DER", "-CAfile",
        ])
        .arg(&f.pki.root_cert)
        .arg("-in")
        .arg(envelope)
        .output()
        .expect("openssl");
    assert!(
        out.status.success(),
        "openssl cms -verify -cades refused {}: {}",
        envelope.display(),
        String::from_utf8_lossy(&out.stderr)
    );
    out.stdout
}

/// The product's verifier accepts signature `id`; returns the report's signature ids.
fn product_verifies(name: &str, envelope: &[u8], id: &str) -> Vec<String> {
    let (report, ours) = accept_signed(name, envelope, id, &anchors(), now())
        .unwrap_or_else(|e| panic!("{name}: {e}"));
    assert_eq!(ours.id, id);
    report.signatures.iter().map(|s| s.id.clone()).collect()
}

/// Every SignerInfo's signed attributes (countersignatures too) are in DER SET OF order.
fn assert_der_order(envelope_bytes: &[u8]) {
    let buffers = Buffers::new();
    let env = envelope::open(envelope_bytes, &buffers).expect("envelope");
    fn check(si: &envelope::SignerInfo<'_>, seen: &mut usize) {
        if let Some(attrs) = &si.signed_attrs {
            let raws: Vec<&[u8]> = attrs
                .element
                .child_list()
                .expect("attributes")
                .iter()
                .map(|a| a.raw)
                .collect();
            let mut sorted = raws.clone();
            sorted.sort();
            assert_eq!(raws, sorted, "signed attributes not in DER order");
            assert!(!attrs.element.indefinite);
            *seen += 1;
        }
        for cs in &si.countersignatures {
            check(cs, seen);
        }
    }
    let mut seen = 0;
    for level in &env.levels {
        for si in &level.signed_data.signer_infos {
            check(si, &mut seen);
        }
    }
    assert!(seen > 0);
}

fn attribute_oids(envelope_bytes: &[u8], countersignature: bool) -> Vec<String> {
    let buffers = Buffers::new();
    let env = envelope::open(envelope_bytes, &buffers).expect("envelope");
    let si = &env.levels[0].signed_data.signer_infos[0];
    let si = if countersignature {
        &si.countersignatures[0]
    } else {
        si
    };
    si.signed_attrs
        .as_ref()
        .expect("signed attributes")
        .list
        .iter()
        .map(|a| a.oid.to_string())
        .collect()
}

fn new_envelope(key: &mut OpensslKey, name: &str) -> (Vec<u8>, PathBuf) {
    let signed = sign::sign(DOCUMENT, &Mode::New, key, now()).expect("sign");
    assert_eq!(signed.signature_id, "L0.S1");
    let path = write(name, &signed.envelope);
    (signed.envelope, path)
}

#[test]
fn new_envelopes_rsa_p256_p384_verify_everywhere() {
    for (mut key, name) in [
        (rsa(), "new-rsa.p7m"),
        (p256(), "new-p256.p7m"),
        (p384(), "new-p384.p7m"),
    ] {
        let (bytes, path) = new_envelope(&mut key, name);
        assert_eq!(product_verifies(name, &bytes, "L0.S1"), ["L0.S1"]);
        assert_eq!(openssl_verifies(&path), DOCUMENT, "{name}");
        assert_der_order(&bytes);
        // The whole file is DER: one definite-length element, nothing after it.
        let (outer, rest) = Tlv::parse_prefix(&bytes).expect("DER");
        assert!(rest.is_empty() && !outer.indefinite);
        // content-type, signing-time, message-digest, signing-certificate-v2 (DER order
        // puts them by encoding: shorter first).
        let mut oids = attribute_oids(&bytes, false);
        oids.sort();
        assert_eq!(
            oids,
            [
                "1.2.840.113549.1.9.16.2.47",
                "1.2.840.113549.1.9.3",
                "1.2.840.113549.1.9.4",
                "1.2.840.113549.1.9.5"
            ]
        );
    }
}

#[test]
fn extracted_content_is_byte_identical() {
    let mut key = rsa();
    let big = std::fs::read(&fixtures().big_document).expect("big document");
    let signed = sign::sign(&big, &Mode::New, &mut key, now()).expect("sign");
    let buffers = Buffers::new();
    let env = envelope::open(&signed.envelope, &buffers).expect("open");
    let content = env
        .innermost_content()
        .expect("attached")
        .contiguous()
        .expect("content");
    assert_eq!(&content[..], &big[..]);
}

#[test]
fn cosign_keeps_the_first_signer_bytes_and_both_verify() {
    let f = fixtures();
    // The first signature by openssl, DER and BER (streamed, indefinite lengths, chunked content).
    let der = f.pki.sign(
        &f.document,
        "first-der.p7m",
        &[&f.pki.rsa],
        &["-outform", "DER", "-nodetach", "-cades"],
    );
    let ber = f.pki.sign(
        &f.document,
        "first-ber.p7m",
        &[&f.pki.rsa],
        &["-outform", "DER", "-nodetach", "-cades", "-stream"],
    );
    for (source, mut key, out) in [
        (der, p256(), "cosigned-der.p7m"),
        (ber, rsa_second(), "cosigned-ber.p7m"),
    ] {
        let original = std::fs::read(&source).expect("read");
        let signed = sign::sign(&original, &Mode::Cosign, &mut key, now()).expect("cosign");
        assert_eq!(signed.signature_id, "L0.S2");
        let path = write(out, &signed.envelope);
        let ids = product_verifies(out, &signed.envelope, "L0.S2");
        assert_eq!(ids, ["L0.S1", "L0.S2"]);
        accept_signed(out, &signed.envelope, "L0.S1", &anchors(), now())
            .expect("first still whole");
        assert_eq!(openssl_verifies(&path), DOCUMENT);
        assert_der_order(&signed.envelope);

        // The first SignerInfo and the certificate appear byte for byte in the result.
        let buffers = Buffers::new();
        let before = envelope::open(&original, &buffers).expect("open");
        let first_sig = &before.levels[0].signed_data.signer_infos[0].signature;
        assert!(contains(&signed.envelope, first_sig));
        for cert in &before.levels[0].signed_data.certificates {
            assert!(contains(&signed.envelope, cert));
        }
    }
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

#[test]
fn countersignature_of_l0_s1() {
    let (bytes, _) = new_envelope(&mut rsa(), "to-countersign.p7m");
    let signed = sign::sign(
        &bytes,
        &Mode::Countersign("L0.S1".into()),
        &mut p256(),
        now(),
    )
    .expect("countersign");
    assert_eq!(signed.signature_id, "L0.S1.C1");
    let path = write("countersigned.p7m", &signed.envelope);
    let ids = product_verifies("countersigned.p7m", &signed.envelope, "L0.S1.C1");
    assert_eq!(ids, ["L0.S1", "L0.S1.C1"]);
    accept_signed(
        "countersigned.p7m",
        &signed.envelope,
        "L0.S1",
        &anchors(),
        now(),
    )
    .expect("the parent is untouched");
    assert_eq!(openssl_verifies(&path), DOCUMENT);
    assert_der_order(&signed.envelope);
    // RFC 5652 11.4: no content-type in a countersignature.
    let mut oids = attribute_oids(&signed.envelope, true);
    oids.sort();
    assert_eq!(
        oids,
        [
            "1.2.840.113549.1.9.16.2.47",
            "1.2.840.113549.1.9.4",
            "1.2.840.113549.1.9.5"
        ]
    );
    // A second countersignature goes beside the first.
    let again = sign::sign(
        &signed.envelope,
        &Mode::Countersign("L0.S1".into()),
        &mut rsa_second(),
        now(),
    )
    .expect("second countersignature");
    assert_eq!(again.signature_id, "L0.S1.C2");
    product_verifies("countersigned2.p7m", &again.envelope, "L0.S1.C2");
    accept_signed(
        "countersigned2.p7m",
        &again.envelope,
        "L0.S1.C1",
        &anchors(),
        now(),
    )
    .expect("the first countersignature is untouched");
}

#[test]
fn wrap_signs_the_whole_envelope() {
    let (inner, inner_path) = new_envelope(&mut rsa(), "inner.p7m");
    let signed = sign::sign(&inner, &Mode::Wrap, &mut p384(), now()).expect("wrap");
    let path = write("inner.p7m.p7m", &signed.envelope);
    let ids = product_verifies("inner.p7m.p7m", &signed.envelope, "L0.S1");
    assert_eq!(ids, ["L0.S1", "L1.S1"]);
    // openssl opens the outer envelope and gives back the inner one unchanged.
    assert_eq!(openssl_verifies(&path), inner);
    assert_eq!(openssl_verifies(&inner_path), DOCUMENT);
}

#[test]
fn refusals_name_their_reason() {
    let (bytes, _) = new_envelope(&mut rsa(), "refusals.p7m");
    let err = sign::sign(
        &bytes,
        &Mode::Countersign("L0.S2".into()),
        &mut rsa(),
        now(),
    )
    .unwrap_err();
    assert!(
        matches!(err, SignError::UnknownSignature(ref id) if id == "L0.S2"),
        "{err}"
    );
    let err = sign::sign(
        &bytes,
        &Mode::Countersign("bogus".into()),
        &mut rsa(),
        now(),
    )
    .unwrap_err();
    assert!(matches!(err, SignError::UnknownSignature(_)), "{err}");
    let wrapped = sign::sign(&bytes, &Mode::Wrap, &mut rsa(), now()).expect("wrap");
    let err = sign::sign(
        &wrapped.envelope,
        &Mode::Countersign("L1.S1".into()),
        &mut rsa(),
        now(),
    )
    .unwrap_err();
    assert!(matches!(err, SignError::NotOutermost(_)), "{err}");
    let err = sign::sign(DOCUMENT, &Mode::Cosign, &mut rsa(), now()).unwrap_err();
    assert!(matches!(err, SignError::NotAnEnvelope(_)), "{err}");
    let err = sign::sign(DOCUMENT, &Mode::Wrap, &mut rsa(), now()).unwrap_err();
    assert!(matches!(err, SignError::NotAnEnvelope(_)), "{err}");
    let f = fixtures();
    let detached = f.pki.sign(
        &f.document,
        "detached.p7s",
        &[&f.pki.rsa],
        &["-outform", "DER", "-cades"],
    );
    let err = sign::sign(
        &std::fs::read(detached).expect("read"),
        &Mode::Cosign,
        &mut rsa(),
        now(),
    )
    .unwrap_err();
    assert!(matches!(err, SignError::Detached), "{err}");
}

#[test]
fn untrusted_signer_is_refused_before_the_pin() {
    let key = rsa();
    let check = check_signer(key.certificate_der(), &TrustStore::default(), now()).expect("check");
    assert!(!check.acceptable());
    assert!(matches!(check.problems[0], SignerProblem::Untrusted { .. }));
    assert!(check.declared_qualified);
    assert_eq!(check.holder(), "MARIO ROSSI");
    let ok = check_signer(key.certificate_der(), &anchors(), now()).expect("check");
    assert!(ok.acceptable(), "{:?}", ok.problems);
    // A year and a half from now the test certificate has expired.
    let later = now() + time::Duration::days(548);
    let expired = check_signer(key.certificate_der(), &anchors(), later).expect("check");
    assert!(
        matches!(expired.problems[..], [SignerProblem::Expired { .. }]),
        "{:?}",
        expired.problems
    );
}

#[test]
fn a_key_that_does_not_match_the_certificate_is_caught_before_writing() {
    let mut key = rsa();
    key.cert_der = fixtures().pki.cert_der(&fixtures().pki.rsa_second);
    let signed = sign::sign(DOCUMENT, &Mode::New, &mut key, now()).expect("sign");
    let err =
        accept_signed("mismatch.p7m", &signed.envelope, "L0.S1", &anchors(), now()).unwrap_err();
    assert!(matches!(err, SignError::NotAccepted(_)), "{err}");
}

/// The pinned pyHanko venv (scripts/pyhanko-venv.sh, kept in target/ between runs). Missing
/// under CI=true fails loudly; elsewhere (no network, no python3-venv) the test says so.
fn pyhanko_python() -> Option<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let venv = Path::new(env!("CARGO_TARGET_TMPDIR")).join("pyhanko-venv");
    let out = Command::new(root.join("scripts/pyhanko-venv.sh"))
        .arg(&venv)
        .output();
    match out {
        Ok(o) if o.status.success() => Some(PathBuf::from(
            String::from_utf8_lossy(&o.stdout).trim().to_string(),
        )),
        other => {
            let why = match other {
                Ok(o) => String::from_utf8_lossy(&o.stderr).into_owned(),
                Err(e) => e.to_string(),
            };
            assert!(
                std::env::var("CI").as_deref() != Ok("true"),
                "pyHanko is needed (python3-venv and PyPI): {why}"
            );
            eprintln!("SKIPPED pyHanko checks: cannot make the venv: {why}");
            None
        }
    }
}

#[test]
fn pyhanko_accepts_new_countersigned_and_wrapped_envelopes() {
    let Some(python) = pyhanko_python() else {
        return;
    };
    let (rsa_env, rsa_path) = new_envelope(&mut rsa(), "py-rsa.p7m");
    let (_, p256_path) = new_envelope(&mut p256(), "py-p256.p7m");
    let (_, p384_path) = new_envelope(&mut p384(), "py-p384.p7m");
    let countersigned = sign::sign(
        &rsa_env,
        &Mode::Countersign("L0.S1".into()),
        &mut p256(),
        now(),
    )
    .expect("countersign");
    let countersigned_path = write("py-countersigned.p7m", &countersigned.envelope);
    let wrapped = sign::sign(&rsa_env, &Mode::Wrap, &mut p384(), now()).expect("wrap");
    let wrapped_path = write("py-wrapped.p7m.p7m", &wrapped.envelope);
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/pyhanko_check.py");
    let out = Command::new(python)
        .arg(script)
        .arg(&fixtures().pki.root_cert)
        .args([
            &rsa_path,
            &p256_path,
            &p384_path,
            &countersigned_path,
            &wrapped_path,
        ])
        .output()
        .expect("run pyHanko");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "pyHanko refused: {stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(stdout.matches("pyHanko OK").count(), 5, "{stdout}");
    assert!(
        stdout.contains(
            "py-countersigned.p7m: pyHanko OK (sha256_rsa), countersignatures checked: 1"
        ),
        "{stdout}"
    );
}
