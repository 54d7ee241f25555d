//! `sportello sign` with an emulated CNS in the pcscd rig (the native driver end to end):
//! the envelope verifies with openssl; a wrong PIN reports the tries left and writes nothing;
//! a card pulled mid-signature writes nothing; an expired or untrusted signer is refused
//! before the PIN is asked.

mod common;
mod emulator;
mod rig;

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use emulator::{CardMaterial, CnsModel, CnsOptions, HolderOptions, VirtualCard};

const WAIT: Duration = Duration::from_secs(15);
const PIN: &str = "12345678";
const DOCUMENT: &[u8] = b"Modulo di delega - documento di prova SPORTELLO TEST\n";

fn profiles_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("card-profiles")
}

struct Setup {
    dir: tempfile::TempDir,
    material: CardMaterial,
    document: PathBuf,
}

fn setup(holder: HolderOptions) -> Setup {
    let dir = tempfile::tempdir().expect("temp dir");
    let material = CardMaterial::generate(&dir.path().join("card"), holder);
    let document = dir.path().join("delega.txt");
    std::fs::write(&document, DOCUMENT).expect("write document");
    Setup {
        dir,
        material,
        document,
    }
}

impl Setup {
    fn insert(
        &self,
        claim: &rig::ReaderClaim,
        tweak: impl FnOnce(&mut CnsOptions),
    ) -> emulator::CardHandle {
        let mut options = CnsOptions::for_material(&self.material);
        tweak(&mut options);
        let handle = VirtualCard::insert(claim.port, CnsModel::new(self.material.clone(), options));
        let ctx = pcsc::Context::establish(pcsc::Scope::User).expect("pcscd");
        rig::wait_for_card(&ctx, &claim.reader_name, true, WAIT);
        handle
    }

    fn sign(&self, claim: &rig::ReaderClaim, pin: &str, extra: &[&str]) -> (i32, String, String) {
        let mut args = vec![
            "sign".to_string(),
            self.document.display().to_string(),
            "--reader".into(),
            claim.reader_name.clone(),
            "--pin-stdin".into(),
            "--trust".into(),
            self.material.ca_cert.display().to_string(),
        ];
        args.extend(extra.iter().map(|s| s.to_string()));
        let mut child = Command::new(env!("CARGO_BIN_EXE_sportello"))
            .args(&args)
            .arg("--data-dir")
            .arg(self.dir.path().join("data"))
            .env("SPORTELLO_CARD_PROFILES", profiles_dir())
            .env("XDG_CONFIG_HOME", self.dir.path())
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("run sportello");
        use std::io::Write;
        // The process may refuse before reading the PIN; a closed pipe is fine then.
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

    fn output(&self) -> PathBuf {
        self.dir.path().join("delega.txt.p7m")
    }

    fn no_output_left(&self) {
        assert!(!self.output().exists(), "a signed file was written");
        let leftovers: Vec<_> = std::fs::read_dir(self.dir.path())
            .expect("list")
            .filter_map(Result::ok)
            .filter(|e| e.file_name().to_string_lossy().contains("partial"))
            .collect();
        assert!(leftovers.is_empty(), "{leftovers:?}");
    }
}

/// VERIFY commands that carried a PIN.
fn pins_sent(handle: &emulator::CardHandle) -> usize {
    handle
        .apdu_log()
        .iter()
        .filter(|e| e.command.get(1) == Some(&0x20) && e.command.len() > 5)
        .count()
}

/// `-purpose any`: the CNS authentication certificate carries extendedKeyUsage clientAuth,
/// which openssl's default S/MIME purpose check refuses; the signature itself is checked.
fn openssl_verifies(envelope: &Path, ca: &Path) -> Vec<u8> {
    let out = Command::new("openssl")
        .args([
            "cms", "-verify", "-cades", "-binary", "-inform", "DER", "-purpose", "any", "-CAfile",
        ])
        .arg(ca)
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

#[test]
fn sign_with_an_emulated_cns() {
    let s = setup(HolderOptions::default());
    let claim = rig::claim_reader();
    let handle = s.insert(&claim, |_| {});
    let started = Instant::now();
    let (code, stdout, stderr) = s.sign(&claim, PIN, &["--lang", "en"]);
    let took = started.elapsed();
    assert_eq!(code, 0, "{stdout}\n{stderr}");
    eprintln!("one signature with the emulated CNS through pcscd (CLI, whole run): {took:?}");
    assert!(
        stderr.contains("Signing as: MARIO ROSSI (RSSMRA80A01H501U)"),
        "{stderr}"
    );
    assert!(stderr.contains("Not a qualified certificate"), "{stderr}");
    assert!(stdout.contains("L0.S1"), "{stdout}");
    assert_eq!(openssl_verifies(&s.output(), &s.material.ca_cert), DOCUMENT);
    assert_eq!(pins_sent(&handle), 1);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(s.output())
            .expect("meta")
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600);
    }
    // Never overwrites: a second run refuses before asking for anything.
    let (code, _, stderr) = s.sign(&claim, PIN, &[]);
    assert_eq!(code, 73, "{stderr}");
    assert!(stderr.contains("esiste già"), "{stderr}");
    assert_eq!(pins_sent(&handle), 1);

    // Co-signing the result needs --out, and adds L0.S2 by the same card.
    let cosigned = s.dir.path().join("delega.txt.cofirmato.p7m");
    let envelope = s.output().display().to_string();
    let (code, _, stderr) = sign_file(&s, &claim, &envelope, &["--cosign"]);
    assert_eq!(code, 64, "{stderr}");
    let (code, stdout, stderr) = sign_file(
        &s,
        &claim,
        &envelope,
        &[
            "--cosign",
            "--out",
            &cosigned.display().to_string(),
            "--json",
        ],
    );
    assert_eq!(code, 0, "{stderr}");
    let outcome: serde_json::Value = serde_json::from_str(&stdout).expect("json");
    assert_eq!(outcome["signature_id"], "L0.S2");
    assert_eq!(outcome["mode"], "cosign");
    assert_eq!(
        outcome["signer"]["identity"]["codice_fiscale"]["value"],
        "RSSMRA80A01H501U"
    );
    assert_eq!(openssl_verifies(&cosigned, &s.material.ca_cert), DOCUMENT);
}

fn sign_file(
    s: &Setup,
    claim: &rig::ReaderClaim,
    file: &str,
    extra: &[&str],
) -> (i32, String, String) {
    let mut args = vec!["--reader", &claim.reader_name, "--pin-stdin", "--trust"];
    let ca = s.material.ca_cert.display().to_string();
    args.push(&ca);
    args.extend_from_slice(extra);
    let mut child = Command::new(env!("CARGO_BIN_EXE_sportello"))
        .arg("sign")
        .arg(file)
        .args(&args)
        .arg("--data-dir")
        .arg(s.dir.path().join("data"))
        .env("SPORTELLO_CARD_PROFILES", profiles_dir())
        .env("XDG_CONFIG_HOME", s.dir.path())
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
        .write_all(format!("{PIN}\n").as_bytes());
    let out = child.wait_with_output().expect("wait");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn a_wrong_pin_reports_tries_left_and_writes_nothing() {
    let s = setup(HolderOptions::default());
    let claim = rig::claim_reader();
    let handle = s.insert(&claim, |o| o.reports_tries_left = true);
    let (code, _, stderr) = s.sign(&claim, "11112222", &["--lang", "en"]);
    assert_eq!(code, 77, "{stderr}");
    assert!(stderr.contains('2'), "tries left not reported: {stderr}");
    assert_eq!(handle.pin_tries_left(), Some(2));
    assert_eq!(pins_sent(&handle), 1, "a wrong PIN is never retried");
    s.no_output_left();
    // A PIN the profile's rules reject never reaches the card.
    let (code, _, stderr) = s.sign(&claim, "12ab", &[]);
    assert_eq!(code, 64, "{stderr}");
    assert_eq!(pins_sent(&handle), 1);
    s.no_output_left();
}

#[test]
fn a_card_pulled_mid_signature_writes_nothing() {
    let s = setup(HolderOptions::default());
    let claim = rig::claim_reader();
    let handle = s.insert(&claim, |_| {});
    // Learn how many APDUs a whole signature takes, on a throw-away copy of the document.
    let (code, _, stderr) = s.sign(&claim, PIN, &[]);
    assert_eq!(code, 0, "{stderr}");
    let total = handle.apdu_log().len();
    std::fs::remove_file(s.output()).expect("remove the first result");
    handle.clear_apdu_log();
    // The card goes away at the private-key operation, after the PIN was accepted.
    handle.remove_after_apdus(total - 1);
    let (code, _, stderr) = s.sign(&claim, PIN, &["--lang", "en"]);
    assert_ne!(code, 0, "{stderr}");
    assert!(
        stderr.to_lowercase().contains("remov") || stderr.to_lowercase().contains("card"),
        "{stderr}"
    );
    s.no_output_left();
}

#[test]
fn an_expired_signer_is_refused_before_the_pin() {
    let s = setup(HolderOptions {
        expired: true,
        ..HolderOptions::default()
    });
    let claim = rig::claim_reader();
    let handle = s.insert(&claim, |_| {});
    let (code, _, stderr) = s.sign(&claim, PIN, &["--lang", "en"]);
    assert_eq!(code, 1, "{stderr}");
    assert!(stderr.contains("expired"), "{stderr}");
    assert!(stderr.contains("before asking for the PIN"), "{stderr}");
    assert_eq!(pins_sent(&handle), 0);
    s.no_output_left();
}

#[test]
fn an_untrusted_signer_is_refused_before_the_pin() {
    let s = setup(HolderOptions {
        untrusted_issuer: true,
        id_carta: "7420000000099999".into(),
        ..HolderOptions::default()
    });
    let claim = rig::claim_reader();
    let handle = s.insert(&claim, |_| {});
    let (code, _, stderr) = s.sign(&claim, PIN, &[]);
    assert_eq!(code, 1, "{stderr}");
    assert!(
        stderr.contains("non è attendibile") || stderr.contains("not trusted"),
        "{stderr}"
    );
    assert_eq!(pins_sent(&handle), 0);
    s.no_output_left();
}

/// "Firma allo sportello": the desk prepares the form, Mario Rossi signs it with his CNS, the
/// nomination is submitted with the card evidence and approved without identity documents.
#[test]
fn the_delegation_form_signed_at_the_desk() {
    let s = setup(HolderOptions::default());
    let data = s.dir.path().join("data");
    std::fs::create_dir_all(&data).expect("data dir");
    let db = data.join("desk.db");
    common::acme_with_its_legal_representative(&data, &db);
    let claim = rig::claim_reader();
    let handle = s.insert(&claim, |_| {});
    let run = |args: &[&str]| {
        let mut child = Command::new(env!("CARGO_BIN_EXE_sportello"))
            .args(args)
            .arg("--data-dir")
            .arg(&data)
            .arg("--db")
            .arg(&db)
            .env("SPORTELLO_CARD_PROFILES", profiles_dir())
            .env("XDG_CONFIG_HOME", s.dir.path())
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
            .write_all(format!("{PIN}\n").as_bytes());
        let out = child.wait_with_output().expect("wait");
        (
            out.status.code().unwrap_or(-1),
            String::from_utf8_lossy(&out.stdout).into_owned(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    };
    let ca = s.material.ca_cert.display().to_string();
    let started = Instant::now();
    let (code, stdout, stderr) = run(&[
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
        "--reader",
        &claim.reader_name,
        "--pin-stdin",
        "--trust",
        &ca,
        "--json",
    ]);
    eprintln!(
        "one signature at the desk with the emulated CNS (prepare, sign, verify, submit): {:?}",
        started.elapsed()
    );
    assert_eq!(code, 0, "{stdout}{stderr}");
    assert!(
        stderr.contains("Modulo di delega preparato: SHA-256 "),
        "{stderr}"
    );
    assert!(stderr.contains("1 pagine"), "{stderr}");
    assert_eq!(pins_sent(&handle), 1);
    let outcome: serde_json::Value = serde_json::from_str(&stdout).expect("json");
    let id = outcome["nomination"].as_i64().expect("nomination id");
    assert_eq!(outcome["signer_codice_fiscale"], "RSSMRA80A01H501U");

    // The audit log says why no identity document was asked for.
    let (code, audit, _) = run(&["audit", "export", "--json"]);
    assert_eq!(code, 0);
    assert!(audit.contains("nomination.signed-at-desk"), "{audit}");
    assert!(audit.contains("no identity document is needed"), "{audit}");
    // Approved without any identity document (--confirm: revocation is not checked offline).
    let (code, _, stderr) = run(&["nomination", "approve", &id.to_string(), "--confirm"]);
    assert_eq!(code, 0, "{stderr}");
}
