//! PKCS#11 through Debian's OpenSC module, in-process, over the emulated CNS in the pcscd
//! rig: the token is listed, authenticates its holder with the same evidence as the native
//! driver, signs, refuses a wrong PIN (and the card counts it), and a card pulled in the
//! middle is reported as removed. OpenSC resets a card when it lets go of it and probes every
//! reader: one OpenSC test at a time, and no native driver on the same reader meanwhile.

mod emulator;
mod rig;

use std::path::Path;
use std::sync::{Mutex, OnceLock};
use std::time::Duration;

use der::{Decode, Encode};
use emulator::{CardHandle, CardMaterial, CnsModel, CnsOptions, HolderOptions, VirtualCard};
use sportello::card::pkcs11::{self, KeyChoice, KeyRequest, Pkcs11Key, TokenAuthRequest};
use sportello::card::signing_key::SigningKey;
use sportello::card::{AuthCheckKind, CardError, CardKind, Pin};
use sportello::crypto::algorithms::{DigestAlgorithm, SignatureScheme};
use sportello::crypto::digest::digest;
use sportello::crypto::signature_math::verify_digest;
use sportello::trust::anchors::TrustStore;

const MODULE: &str = "/usr/lib/x86_64-linux-gnu/opensc-pkcs11.so";
const PIN: &str = "12345678";

static ONE_AT_A_TIME: Mutex<()> = Mutex::new(());

/// One slot per reader and room for the rig's 16 (OpenSC's default shows only 4 readers).
const OPENSC_CONF: &str =
    "app opensc-pkcs11 {\n pkcs11 {\n  max_virtual_slots = 64;\n  slots_per_card = 1;\n }\n}\n";

/// OPENSC_CONF is read when the module initialises, once per process: set before any test
/// loads it (they all come through here first).
fn opensc_conf() -> &'static Path {
    static CONF: OnceLock<tempfile::TempDir> = OnceLock::new();
    let dir = CONF.get_or_init(|| {
        assert!(
            Path::new(MODULE).is_file(),
            "OpenSC's PKCS#11 module is missing (apt-get install opensc-pkcs11)"
        );
        let dir = tempfile::tempdir().expect("temp dir");
        let conf = dir.path().join("opensc.conf");
        std::fs::write(&conf, OPENSC_CONF).expect("write opensc.conf");
        std::env::set_var("OPENSC_CONF", &conf);
        dir
    });
    dir.path()
}

struct Setup {
    _dir: tempfile::TempDir,
    material: CardMaterial,
    claim: rig::ReaderClaim,
    card: CardHandle,
}

/// A card serial no other test's card has: other test binaries may have emulated cards with
/// the default serial in other readers, and OpenSC sees them all.
fn unique_id_carta() -> String {
    let mut bytes = [0u8; 8];
    getrandom::fill(&mut bytes).expect("random");
    let n = u64::from_be_bytes(bytes) % 10_000_000_000_000_000;
    format!("{n:016}")
}

fn setup(key_bits: u32) -> Setup {
    opensc_conf();
    let dir = tempfile::tempdir().expect("temp dir");
    let holder = HolderOptions {
        key_bits,
        id_carta: unique_id_carta(),
        ..HolderOptions::default()
    };
    let material = CardMaterial::generate(dir.path(), holder);
    let claim = rig::claim_reader();
    let model = CnsModel::new(material.clone(), CnsOptions::for_material(&material));
    let card = VirtualCard::insert(claim.port, model);
    let ctx = pcsc::Context::establish(pcsc::Scope::User).expect("connect to pcscd");
    rig::wait_for_card(&ctx, &claim.reader_name, true, Duration::from_secs(15));
    Setup {
        _dir: dir,
        material,
        claim,
        card,
    }
}

fn anchors(s: &Setup) -> TrustStore {
    let mut store = TrustStore::default();
    store.add_path(&s.material.ca_cert).expect("test CA");
    store
}

fn key_request(s: &Setup, key: KeyChoice) -> KeyRequest<'_> {
    KeyRequest {
        module: Path::new(MODULE),
        token: Some(&s.material.id_carta),
        key,
        pin_rule: None,
        confirm_last_try: false,
    }
}

#[test]
fn opensc_lists_the_cns_token_with_its_certificate() {
    let _one = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    let s = setup(2048);
    let module = pkcs11::load(Path::new(MODULE)).expect("OpenSC loads");
    let listing = pkcs11::list_module(
        &pkcs11::Candidate {
            path: MODULE.into(),
            source: "test".into(),
        },
        None,
    );
    assert!(listing.error.is_none(), "{listing:?}");
    let token = listing
        .tokens
        .iter()
        .find(|t| t.token.serial == s.material.id_carta)
        .unwrap_or_else(|| panic!("the card's token in {listing:?}"));
    // "first last" from EF_DatiPersonali, and the PIN's name.
    assert!(
        token.token.label.starts_with("MARIO ROSSI"),
        "{}",
        token.token.label
    );
    assert_eq!(token.token.slot_description, s.claim.reader_name);
    // OpenSC's false flag on CNS tokens (see the login below: it does not block).
    assert!(token.token.pin.locked);
    let cert = token
        .certificates
        .iter()
        .find(|c| c.id == "01")
        .unwrap_or_else(|| panic!("the authentication certificate in {token:?}"));
    assert_eq!(cert.codice_fiscale.as_deref(), Some("RSSMRA80A01H501U"));
    assert_eq!(cert.key_type, "RSA");
    assert_eq!(cert.key_bits, Some(2048));
    drop(module);
    assert_eq!(s.card.pin_tries_left(), Some(3), "listing asks no PIN");
}

#[test]
fn opensc_authenticates_the_holder_with_the_native_evidence() {
    let _one = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    let s = setup(2048);
    let started = std::time::Instant::now();
    let evidence = pkcs11::authenticate_token(
        &TokenAuthRequest {
            module: Path::new(MODULE),
            token: Some(&s.material.id_carta),
            confirm_last_try: false,
            pin_rule: None,
        },
        &Pin::new(PIN),
        &anchors(&s),
        time::OffsetDateTime::now_utc(),
    )
    .expect("authentication");
    // Reported, not asserted: speed belongs in benches (README records the numbers).
    eprintln!(
        "one authentication through OpenSC and the emulated CNS: {:?}",
        started.elapsed()
    );
    assert!(evidence.passed(), "{:?}", evidence.reasons);
    assert_eq!(evidence.card_kind, CardKind::Pkcs11);
    assert_eq!(evidence.codice_fiscale.as_deref(), Some("RSSMRA80A01H501U"));
    assert_eq!(evidence.serial, s.material.id_carta);
    assert!(evidence
        .checks
        .iter()
        .any(|c| c.check == AuthCheckKind::CardSerial && c.passed));
    assert_eq!(s.card.pin_tries_left(), Some(3));
}

#[test]
fn opensc_signs_with_the_cns_key() {
    let _one = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    let s = setup(2048);
    let mut key = Pkcs11Key::open(&key_request(&s, KeyChoice::Signing), &Pin::new(PIN))
        .expect("open the CNS key");
    assert_eq!(key.certificate_der(), s.material.cert_der.as_slice());
    let hashed = digest(DigestAlgorithm::Sha256, b"Modulo di delega SPORTELLO TEST");
    let signature = key
        .sign_digest(DigestAlgorithm::Sha256, &hashed)
        .expect("sign");
    let spki = x509_cert::Certificate::from_der(&s.material.cert_der)
        .expect("certificate")
        .tbs_certificate()
        .subject_public_key_info()
        .to_der()
        .expect("SPKI");
    verify_digest(
        &spki,
        &SignatureScheme::RsaPkcs1v15 {
            hash: Some(DigestAlgorithm::Sha256),
        },
        DigestAlgorithm::Sha256,
        &hashed,
        &signature,
    )
    .expect("the CNS signature verifies");
}

#[test]
fn a_wrong_pin_through_opensc_is_counted_by_the_card_and_not_retried() {
    let _one = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    let s = setup(1024);
    let e = Pkcs11Key::open(&key_request(&s, KeyChoice::Signing), &Pin::new("99999999"))
        .expect_err("wrong PIN");
    // A CNS cannot report tries, and OpenSC's lock flag was there before: no number, no lock.
    assert_eq!(e, CardError::WrongPin { tries_left: None });
    assert_eq!(s.card.pin_tries_left(), Some(2), "exactly one try spent");
    let key = Pkcs11Key::open(&key_request(&s, KeyChoice::Signing), &Pin::new(PIN));
    assert!(key.is_ok(), "the right PIN works: {key:?}");
}

#[test]
fn a_card_pulled_mid_signature_is_reported_removed() {
    let _one = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    let mut s = setup(2048);
    let mut key = Pkcs11Key::open(&key_request(&s, KeyChoice::Signing), &Pin::new(PIN))
        .expect("open the CNS key");
    s.card.remove();
    let ctx = pcsc::Context::establish(pcsc::Scope::User).expect("pcscd");
    rig::wait_for_card(&ctx, &s.claim.reader_name, false, Duration::from_secs(15));
    let hashed = digest(DigestAlgorithm::Sha256, b"document");
    let e = key
        .sign_digest(DigestAlgorithm::Sha256, &hashed)
        .expect_err("no card, no signature");
    assert_eq!(e, CardError::CardRemoved, "{e:?}");
}

/// A profile for the emulated card that says "go through OpenSC" (`prefer = true`).
fn preferring_profile(dir: &Path, atr: &[u8]) -> std::path::PathBuf {
    let profiles = dir.join("profiles");
    std::fs::create_dir_all(&profiles).expect("profiles folder");
    let spaced: Vec<String> = atr.iter().map(|b| format!("{b:02X}")).collect();
    std::fs::write(
        profiles.join("cns-via-opensc.toml"),
        format!(
            "[[profile]]\nid = \"cns-via-opensc\"\nlabel = \"CNS via OpenSC\"\ndriver = \"cns\"\n\
             modules = [\"{MODULE}\"]\n[[profile.atr]]\nvalue = \"{}\"\n[profile.pkcs11]\nprefer = true\n",
            spaced.join(" ")
        ),
    )
    .expect("write profile");
    profiles
}

#[test]
fn a_profile_that_prefers_the_module_sends_card_auth_through_it() {
    use std::io::Write;
    use std::process::{Command, Stdio};
    let _one = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    let s = setup(1024);
    let profiles = preferring_profile(
        s.material.dir.as_path(),
        &CnsOptions::for_material(&s.material).atr,
    );
    let data = tempfile::tempdir().expect("data dir");
    let mut child = Command::new(env!("CARGO_BIN_EXE_sportello"))
        .env("OPENSC_CONF", opensc_conf().join("opensc.conf"))
        .env("SPORTELLO_CARD_PROFILES", &profiles)
        .env("SPORTELLO_DATA_DIR", data.path())
        .args([
            "card",
            "auth",
            "--reader",
            &s.claim.reader_name,
            "--pin-stdin",
            "--trust",
            s.material.ca_cert.to_str().expect("UTF-8 path"),
            "--json",
        ])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run sportello");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(format!("{PIN}\n").as_bytes())
        .expect("type the PIN");
    let out = child.wait_with_output().expect("sportello ends");
    assert!(out.status.success(), "{out:?}");
    let evidence: sportello::card::AuthEvidence =
        serde_json::from_slice(&out.stdout).expect("evidence JSON");
    assert_eq!(evidence.card_kind, CardKind::Pkcs11, "through the module");
    assert_eq!(evidence.profile, "cns-via-opensc");
    assert!(evidence.passed(), "{:?}", evidence.reasons);
}
