//! PKCS#11 keys on real SoftHSM2 tokens, in-process through cryptoki: the signing key of a
//! token (RSA-2048, P-256, P-384), keys that need the PIN for every signature, a token shaped
//! like the CIE (key `CIE0`, 4-digit PIN), and the bad paths (wrong PIN, a PIN refused before
//! it reaches the token, a token without a key, a module that does not load). Every signature
//! is checked with the certificate's key by the product's own signature math.
//!
//! SoftHSM reads SOFTHSM2_CONF once per process (at C_Initialize): this binary makes one
//! token folder with several tokens, told apart by label.

mod support;

use std::path::Path;
use std::sync::OnceLock;

use cryptoki::session::SessionState;
use der::{Decode, Encode};
use sportello::card::pkcs11::{self, KeyChoice, KeyRequest, PinRule, Pkcs11Key};
use sportello::card::signing_key::{KeyKind, SigningKey};
use sportello::card::{CardError, Pin};
use sportello::crypto::algorithms::{DigestAlgorithm, SignatureScheme};
use sportello::crypto::digest::digest;
use sportello::crypto::signature_math::verify_digest;
use support::softhsm::{KeySpec, SoftHsm, CIE_PIN, MODULE, PIN};

struct Tokens {
    _dir: tempfile::TempDir,
    hsm: SoftHsm,
    rsa_auth: Vec<u8>,
    rsa_sign: Vec<u8>,
    p256: Vec<u8>,
    p384: Vec<u8>,
    cli_rsa: Vec<u8>,
}

/// The CIE-shaped token's profile: the SoftHSM module, token CIE-TEST, the CIE's PIN rule.
const CIE_PROFILE: &str = r#"
[[profile]]
id = "cie-softhsm-test"
label = "CIE (SoftHSM, test)"
driver = "pkcs11"
modules = ["/usr/lib/softhsm/libsofthsm2.so"]
[profile.pkcs11]
pin = "cie-last-four"
token_labels = ["CIE-TEST"]
"#;

fn tokens() -> &'static Tokens {
    static TOKENS: OnceLock<Tokens> = OnceLock::new();
    TOKENS.get_or_init(|| {
        let dir = tempfile::tempdir().expect("temp dir");
        let hsm = SoftHsm::new(dir.path());

        hsm.token("RSA", PIN);
        let rsa_auth = hsm.add_key("RSA", PIN, &KeySpec::rossi("rsa-auth", "rsa", "01", 101));
        let rsa_sign = hsm.add_key(
            "RSA",
            PIN,
            &KeySpec {
                key_usage: "critical,nonRepudiation",
                ..KeySpec::rossi("rsa-sign", "rsa", "02", 102)
            },
        );

        hsm.token("EC", PIN);
        let p256 = hsm.add_key(
            "EC",
            PIN,
            &KeySpec {
                key_usage: "critical,nonRepudiation",
                ..KeySpec::rossi("p256", "p256", "01", 103)
            },
        );
        let p384 = hsm.add_key("EC", PIN, &KeySpec::rossi("p384", "p384", "02", 104));

        hsm.token("ALWAYS", PIN);
        for (tag, kind, id, serial) in
            [("aa-rsa", "rsa", "01", 105), ("aa-p256", "p256", "02", 106)]
        {
            hsm.add_key(
                "ALWAYS",
                PIN,
                &KeySpec {
                    always_authenticate: true,
                    ..KeySpec::rossi(tag, kind, id, serial)
                },
            );
        }

        hsm.token("CIE-TEST", CIE_PIN);
        hsm.add_key(
            "CIE-TEST",
            CIE_PIN,
            &KeySpec {
                label: "CIE0",
                ..KeySpec::rossi("cie", "rsa", "43494530", 107)
            },
        );

        hsm.token("NOKEY", PIN);
        hsm.add_key(
            "NOKEY",
            PIN,
            &KeySpec {
                with_private_key: false,
                ..KeySpec::rossi("nokey", "rsa", "01", 108)
            },
        );

        hsm.token("WRONG", PIN);
        hsm.add_key("WRONG", PIN, &KeySpec::rossi("wrong", "rsa", "01", 109));

        // The command-line tests run in child processes: tokens of their own, so that no
        // two processes use one token at once.
        hsm.token("CLI-RSA", PIN);
        let cli_rsa = hsm.add_key("CLI-RSA", PIN, &KeySpec::rossi("cli-rsa", "rsa", "01", 111));
        hsm.add_key(
            "CLI-RSA",
            PIN,
            &KeySpec {
                key_usage: "critical,nonRepudiation",
                ..KeySpec::rossi("cli-rsa-sign", "rsa", "02", 113)
            },
        );
        hsm.token("CLI-EC", PIN);
        hsm.add_key("CLI-EC", PIN, &KeySpec::rossi("cli-ec", "p256", "01", 112));

        hsm.token("CLI-AA", PIN);
        hsm.add_key(
            "CLI-AA",
            PIN,
            &KeySpec {
                always_authenticate: true,
                ..KeySpec::rossi("cli-aa", "p256", "01", 114)
            },
        );

        // Login state is per token: the logout test has a token of its own.
        hsm.token("LOGOUT", PIN);
        hsm.add_key("LOGOUT", PIN, &KeySpec::rossi("logout", "p256", "01", 110));

        let profiles = dir.path().join("profiles");
        std::fs::create_dir_all(&profiles).expect("profiles folder");
        std::fs::write(profiles.join("cie-test.toml"), CIE_PROFILE).expect("write profile");
        // Before any test loads the module (they all come through here first): SoftHSM reads
        // its configuration at C_Initialize.
        std::env::set_var("SOFTHSM2_CONF", &hsm.conf);
        std::env::set_var("SPORTELLO_CARD_PROFILES", &profiles);
        Tokens {
            _dir: dir,
            hsm,
            rsa_auth,
            rsa_sign,
            p256,
            p384,
            cli_rsa,
        }
    })
}

fn request(token: &str, key: KeyChoice) -> KeyRequest<'_> {
    KeyRequest {
        module: Path::new(MODULE),
        token: Some(token),
        key,
        pin_rule: None,
        confirm_last_try: false,
    }
}

/// PKCS#11 login state belongs to the token and the process, not to the session: two tests
/// logged in to one token at once would log each other out. One at a time.
static ONE_LOGIN_AT_A_TIME: std::sync::Mutex<()> = std::sync::Mutex::new(());

fn one_at_a_time() -> std::sync::MutexGuard<'static, ()> {
    ONE_LOGIN_AT_A_TIME
        .lock()
        .unwrap_or_else(|e| e.into_inner())
}

fn open(token: &str, key: KeyChoice, pin: &str) -> Result<Pkcs11Key, CardError> {
    tokens();
    Pkcs11Key::open(&request(token, key), &Pin::new(pin))
}

fn spki(cert_der: &[u8]) -> Vec<u8> {
    x509_cert::Certificate::from_der(cert_der)
        .expect("certificate")
        .tbs_certificate()
        .subject_public_key_info()
        .to_der()
        .expect("SPKI")
}

/// Signs a fresh message's digest with `key` and checks it with the certificate's key.
fn sign_and_check(key: &mut Pkcs11Key, alg: DigestAlgorithm) {
    let mut message = [0u8; 32];
    getrandom::fill(&mut message).expect("random");
    let hashed = digest(alg, &message);
    let signature = key.sign_digest(alg, &hashed).expect("sign");
    let scheme = match key.key_kind() {
        KeyKind::Rsa { .. } => SignatureScheme::RsaPkcs1v15 { hash: Some(alg) },
        KeyKind::Ec { .. } => SignatureScheme::Ecdsa { hash: Some(alg) },
    };
    verify_digest(
        &spki(key.certificate_der()),
        &scheme,
        alg,
        &hashed,
        &signature,
    )
    .unwrap_or_else(|e| panic!("{key:?}: the signature does not verify: {e}"));
}

fn slot_of(label: &str) -> (std::sync::Arc<pkcs11::Module>, cryptoki::slot::Slot) {
    let module = pkcs11::load(Path::new(MODULE)).expect("module");
    let found = pkcs11::find_token(&module, Some(label)).expect("token");
    (module, found.slot)
}

#[test]
fn the_signing_key_is_the_qualified_one_and_signs_rsa() {
    let _one = one_at_a_time();
    let t = tokens();
    let mut key = open("RSA", KeyChoice::Signing, PIN).expect("open");
    assert_eq!(key.certificate_der(), t.rsa_sign.as_slice());
    assert_eq!(key.id(), [2]);
    assert_eq!(key.key_kind(), KeyKind::Rsa { bits: 2048 });
    sign_and_check(&mut key, DigestAlgorithm::Sha256);
    sign_and_check(&mut key, DigestAlgorithm::Sha512);
}

#[test]
fn the_authentication_key_and_a_key_by_id() {
    let _one = one_at_a_time();
    let t = tokens();
    let key = open("RSA", KeyChoice::Authentication, PIN).expect("open");
    assert_eq!(key.certificate_der(), t.rsa_auth.as_slice());
    drop(key);
    let key = open("RSA", KeyChoice::Id(vec![1]), PIN).expect("open by id");
    assert_eq!(key.certificate_der(), t.rsa_auth.as_slice());
}

#[test]
fn ecdsa_keys_sign_in_der() {
    let _one = one_at_a_time();
    let t = tokens();
    let mut key = open("EC", KeyChoice::Signing, PIN).expect("open");
    assert_eq!(key.certificate_der(), t.p256.as_slice());
    assert_eq!(key.key_kind(), KeyKind::Ec { curve: "P-256" });
    sign_and_check(&mut key, DigestAlgorithm::Sha256);
    drop(key);
    let mut key = open("EC", KeyChoice::Id(vec![2]), PIN).expect("open P-384");
    assert_eq!(key.certificate_der(), t.p384.as_slice());
    assert_eq!(key.key_kind(), KeyKind::Ec { curve: "P-384" });
    sign_and_check(&mut key, DigestAlgorithm::Sha384);
}

#[test]
fn always_authenticate_keys_sign_again_and_again() {
    let _one = one_at_a_time();
    for id in [1u8, 2] {
        let mut key = open("ALWAYS", KeyChoice::Id(vec![id]), PIN).expect("open");
        assert!(key.always_authenticate(), "key {id}");
        for _ in 0..2 {
            sign_and_check(&mut key, DigestAlgorithm::Sha256);
        }
    }
}

#[test]
fn dropping_the_key_logs_out() {
    let _one = one_at_a_time();
    let key = open("LOGOUT", KeyChoice::Signing, PIN).expect("open");
    let (module, slot) = slot_of("LOGOUT");
    let session = module.context().open_ro_session(slot).expect("session");
    assert_eq!(
        session.get_session_info().expect("info").session_state(),
        SessionState::RoUser,
        "logged in while the key is open"
    );
    drop(key);
    assert_eq!(
        session.get_session_info().expect("info").session_state(),
        SessionState::RoPublic,
        "nothing stays logged in after the key is dropped"
    );
}

#[test]
fn the_cie_shaped_token_takes_the_last_four_digits_only() {
    let _one = one_at_a_time();
    tokens();
    let (module, slot) = slot_of("CIE-TEST");
    for pin in ["12345", "12345678", "567"] {
        let e = open("CIE-TEST", KeyChoice::Signing, pin).expect_err(pin);
        assert_eq!(e, CardError::CiePinFormat, "{pin}");
        let info = module.context().get_token_info(slot).expect("token info");
        assert!(
            !info.user_pin_count_low(),
            "a refused PIN must not reach the token ({pin})"
        );
    }
    let text =
        sportello::i18n::card_text::error(&CardError::CiePinFormat, sportello::i18n::Lang::It);
    assert!(text.contains("ultime 4 cifre"), "{text}");
    let mut key = open("CIE-TEST", KeyChoice::Signing, CIE_PIN).expect("open CIE0");
    assert_eq!(key.id(), b"CIE0");
    assert_eq!(key.label(), "CIE0");
    sign_and_check(&mut key, DigestAlgorithm::Sha256);
}

#[test]
fn a_wrong_pin_is_refused_once_and_not_retried() {
    let _one = one_at_a_time();
    tokens();
    let (module, slot) = slot_of("WRONG");
    let e = open("WRONG", KeyChoice::Signing, "00000000").expect_err("wrong PIN");
    // SoftHSM does not count tries: it says only that a wrong PIN was given.
    assert_eq!(e, CardError::WrongPin { tries_left: None });
    let info = module.context().get_token_info(slot).expect("token info");
    assert!(info.user_pin_count_low(), "the token saw one wrong PIN");
    let mut key = open("WRONG", KeyChoice::Signing, PIN).expect("the right PIN still works");
    sign_and_check(&mut key, DigestAlgorithm::Sha256);
}

#[test]
fn a_pin_outside_the_rule_never_reaches_the_token() {
    let _one = one_at_a_time();
    tokens();
    let request = KeyRequest {
        pin_rule: Some(PinRule::Length {
            min: 5,
            max: 8,
            digits: true,
        }),
        ..request("NOKEY", KeyChoice::Signing)
    };
    let e = Pkcs11Key::open(&request, &Pin::new("12ab5")).expect_err("letters");
    assert_eq!(e, CardError::PinFormat { min: 5, max: 8 });
}

#[test]
fn a_token_without_a_key_for_its_certificate() {
    let _one = one_at_a_time();
    tokens();
    let e = open("NOKEY", KeyChoice::Signing, PIN).expect_err("no key");
    assert!(
        matches!(&e, CardError::NoKey { token, what } if token == "NOKEY" && what.contains("private key")),
        "{e:?}"
    );
    let e = open("NOKEY", KeyChoice::Id(vec![1]), PIN).expect_err("no key by id");
    assert!(matches!(e, CardError::NoKey { .. }), "{e:?}");
    let e = open("RSA", KeyChoice::Id(vec![9]), PIN).expect_err("no such id");
    assert!(matches!(e, CardError::NoKey { .. }), "{e:?}");
}

#[test]
fn tokens_are_chosen_by_label_or_serial() {
    let _one = one_at_a_time();
    tokens();
    let e = open("NO SUCH TOKEN", KeyChoice::Signing, PIN).expect_err("unknown label");
    assert!(matches!(e, CardError::TokenNotFound { .. }), "{e:?}");
    let module = pkcs11::load(Path::new(MODULE)).expect("module");
    let rsa = pkcs11::find_token(&module, Some("RSA")).expect("by label");
    let by_serial = pkcs11::find_token(&module, Some(&rsa.summary.serial)).expect("by serial");
    assert_eq!(by_serial.summary.label, "RSA");
    let e = pkcs11::find_token(&module, None).expect_err("several tokens, none named");
    assert!(matches!(e, CardError::TokenAmbiguous { .. }), "{e:?}");
}

#[test]
fn a_module_that_does_not_load_is_named() {
    let t = tokens();
    let missing = Path::new("/nonexistent/libnot-there-pkcs11.so");
    let e = pkcs11::load(missing).expect_err("missing module");
    assert!(
        matches!(&e, CardError::Pkcs11Module { module, .. } if module.contains("libnot-there-pkcs11.so")),
        "{e:?}"
    );
    let garbage = t.hsm.dir.join("libgarbage-pkcs11.so");
    std::fs::write(&garbage, b"not a shared object").expect("write");
    let e = pkcs11::load(&garbage).expect_err("not a library");
    assert!(
        matches!(&e, CardError::Pkcs11Module { module, .. } if module.contains("libgarbage-pkcs11.so")),
        "{e:?}"
    );
    let text = sportello::i18n::card_text::error(&e, sportello::i18n::Lang::It);
    assert!(text.contains("libgarbage-pkcs11.so"), "{text}");
}

/// `sportello ARGS` with the test tokens and profiles, the PIN typed on standard input.
fn cli(data: &Path, args: &[&str], pin: Option<&str>) -> std::process::Output {
    use std::io::Write;
    use std::process::{Command, Stdio};
    let t = tokens();
    let mut child = Command::new(env!("CARGO_BIN_EXE_sportello"))
        .env("SOFTHSM2_CONF", &t.hsm.conf)
        .env(
            "SPORTELLO_CARD_PROFILES",
            std::env::var_os("SPORTELLO_CARD_PROFILES").expect("profiles set by tokens()"),
        )
        .env("SPORTELLO_DATA_DIR", data)
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run sportello");
    let mut stdin = child.stdin.take().expect("stdin");
    if let Some(pin) = pin {
        stdin
            .write_all(format!("{pin}\n").as_bytes())
            .expect("type the PIN");
    }
    drop(stdin);
    let out = child.wait_with_output().expect("sportello ends");
    if let Some(pin) = pin {
        let printed = format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(
            !printed.contains(pin),
            "the PIN is never printed: {printed}"
        );
    }
    out
}

fn root(t: &Tokens) -> &str {
    t.hsm.root_cert.to_str().expect("UTF-8 path")
}

#[test]
fn card_auth_through_a_token_gives_the_same_evidence_as_a_card() {
    let t = tokens();
    let data = tempfile::tempdir().expect("data dir");
    let out = cli(
        data.path(),
        &[
            "card",
            "auth",
            "--module",
            MODULE,
            "--token",
            "CLI-RSA",
            "--pin-stdin",
            "--trust",
            root(t),
            "--json",
        ],
        Some(PIN),
    );
    assert!(out.status.success(), "{out:?}");
    let evidence: sportello::card::AuthEvidence =
        serde_json::from_slice(&out.stdout).expect("evidence JSON");
    assert_eq!(evidence.card_kind, sportello::card::CardKind::Pkcs11);
    assert!(evidence.passed(), "{:?}", evidence.reasons);
    assert_eq!(evidence.codice_fiscale.as_deref(), Some("RSSMRA80A01H501U"));
    assert_eq!(evidence.name, "MARIO ROSSI");
    // The authentication key, not the qualified signature key.
    let der = base64::Engine::decode(
        &base64::engine::general_purpose::STANDARD,
        &evidence.certificate_b64,
    )
    .expect("base64");
    assert_eq!(der, t.cli_rsa);
    assert_eq!(evidence.challenge_hex.len(), 64);

    // A token whose CA nobody here trusts: the exchange completes, the verdict fails.
    let out = cli(
        data.path(),
        &[
            "card",
            "auth",
            "--module",
            MODULE,
            "--token",
            "CLI-EC",
            "--pin-stdin",
            "--json",
        ],
        Some(PIN),
    );
    assert_eq!(out.status.code(), Some(1), "{out:?}");
    let evidence: sportello::card::AuthEvidence =
        serde_json::from_slice(&out.stdout).expect("evidence JSON");
    assert!(!evidence.passed());
    assert!(evidence
        .checks
        .iter()
        .any(|c| c.check == sportello::card::AuthCheckKind::CardSignature && c.passed));
}

#[test]
fn login_with_a_token_opens_the_officers_session() {
    let t = tokens();
    let data = tempfile::tempdir().expect("data dir");
    let d = data.path();
    let ok = |out: std::process::Output| {
        assert!(out.status.success(), "{out:?}");
        out
    };
    ok(cli(d, &["trust", "import", root(t)], None));
    ok(cli(
        d,
        &[
            "officer",
            "add",
            "--cf",
            "RSSMRA80A01H501U",
            "--name",
            "Mario Rossi",
        ],
        None,
    ));
    let out = ok(cli(
        d,
        &[
            "login",
            "--module",
            MODULE,
            "--token",
            "CLI-RSA",
            "--pin-stdin",
        ],
        Some(PIN),
    ));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("Sessione aperta per"), "{text}");
    ok(cli(d, &["logout"], None));
}

#[test]
fn the_cli_refuses_a_cie_pin_of_the_wrong_length_in_italian() {
    tokens();
    let data = tempfile::tempdir().expect("data dir");
    let out = cli(
        data.path(),
        &[
            "card",
            "auth",
            "--module",
            MODULE,
            "--token",
            "CIE-TEST",
            "--pin-stdin",
        ],
        Some("56789"),
    );
    assert_eq!(out.status.code(), Some(64), "{out:?}");
    let text = String::from_utf8_lossy(&out.stderr);
    assert!(text.contains("ultime 4 cifre"), "{text}");
    assert!(text.contains("non è stato inviato"), "{text}");
}

#[test]
fn token_list_shows_tokens_certificates_and_keys() {
    tokens();
    let data = tempfile::tempdir().expect("data dir");
    let out = cli(
        data.path(),
        &["token", "list", "--module", MODULE, "--json"],
        None,
    );
    assert!(out.status.success(), "{out:?}");
    let modules: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    let module = &modules[0];
    assert_eq!(module["module"], MODULE);
    assert!(module["error"].is_null(), "{module}");
    let tokens = module["tokens"].as_array().expect("tokens");
    let token = |label: &str| {
        tokens
            .iter()
            .find(|t| t["label"] == label)
            .unwrap_or_else(|| panic!("token {label} in {module}"))
    };
    let rsa = token("RSA");
    assert_eq!(rsa["manufacturer"], "SoftHSM project");
    assert!(!rsa["serial"].as_str().unwrap_or_default().is_empty());
    let certs = rsa["certificates"].as_array().expect("certificates");
    assert_eq!(certs.len(), 2, "{rsa}");
    for c in certs {
        assert_eq!(c["key_type"], "RSA");
        assert_eq!(c["key_bits"], 2048);
        assert_eq!(c["holder"], "MARIO ROSSI");
        assert_eq!(c["codice_fiscale"], "RSSMRA80A01H501U");
        assert_eq!(c["signature_key"], c["id"] == "02", "{c}");
    }
    let ec = token("EC");
    let mut curves: Vec<&str> = ec["certificates"]
        .as_array()
        .expect("certificates")
        .iter()
        .filter_map(|c| c["curve"].as_str())
        .collect();
    // Tokens list objects in no particular order.
    curves.sort_unstable();
    assert_eq!(curves, ["P-256", "P-384"]);
    let cie = token("CIE-TEST");
    assert_eq!(cie["certificates"][0]["id"], hex::encode("CIE0"));
    assert_eq!(cie["certificates"][0]["label"], "CIE0");
    // The human listing, in Italian.
    let out = cli(data.path(), &["token", "list", "--module", MODULE], None);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("Token «RSA»"), "{text}");
    assert!(text.contains("RSSMRA80A01H501U"), "{text}");
    assert!(text.contains("chiave RSA 2048 bit"), "{text}");
}

#[test]
fn token_list_finds_modules_from_profiles_and_p11kit_and_names_the_broken_one() {
    let t = tokens();
    let data = tempfile::tempdir().expect("data dir");
    let registrations = data.path().join("p11-kit");
    std::fs::create_dir_all(&registrations).expect("p11-kit folder");
    let broken = data.path().join("libbroken-pkcs11.so");
    std::fs::write(&broken, b"not a library").expect("write");
    std::fs::write(
        registrations.join("broken.module"),
        format!("module: {}\n", broken.display()),
    )
    .expect("write");
    // Installed but disabled for this program: it must not even be loaded.
    let disabled = data.path().join("libdisabled-pkcs11.so");
    std::fs::write(&disabled, b"not a library either").expect("write");
    std::fs::write(
        registrations.join("off.module"),
        format!("module: {}\ndisable-in: sportello\n", disabled.display()),
    )
    .expect("write");
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_sportello"))
        .env("SOFTHSM2_CONF", &t.hsm.conf)
        .env(
            "SPORTELLO_CARD_PROFILES",
            std::env::var_os("SPORTELLO_CARD_PROFILES").expect("profiles"),
        )
        .env("SPORTELLO_P11KIT_MODULES", &registrations)
        .env("SPORTELLO_DATA_DIR", data.path())
        .args(["token", "list", "--json"])
        .output()
        .expect("run sportello");
    assert!(out.status.success(), "{out:?}");
    let modules: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    let modules = modules.as_array().expect("modules");
    let softhsm = modules
        .iter()
        .find(|m| m["module"] == MODULE)
        .expect("SoftHSM from the CIE test profile");
    assert_eq!(softhsm["source"], "profile cie-softhsm-test");
    assert!(!softhsm["tokens"].as_array().expect("tokens").is_empty());
    let failed = modules
        .iter()
        .find(|m| m["source"] == "p11-kit broken.module")
        .expect("the broken registration is listed");
    assert!(
        failed["error"]
            .as_str()
            .unwrap_or_default()
            .contains("libbroken-pkcs11.so"),
        "{failed}"
    );
    assert!(
        !modules.iter().any(|m| m["source"] == "p11-kit off.module"
            || m["module"]
                .as_str()
                .unwrap_or_default()
                .contains("libdisabled")),
        "a disabled registration is not loaded: {modules:?}"
    );
}

#[test]
fn token_list_after_login_shows_always_authenticate_keys() {
    tokens();
    let data = tempfile::tempdir().expect("data dir");
    let listing = |args: &[&str], pin: Option<&str>| {
        let out = cli(data.path(), args, pin);
        assert!(out.status.success(), "{out:?}");
        let modules: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
        modules[0]["tokens"]
            .as_array()
            .expect("tokens")
            .iter()
            .find(|t| t["label"] == "CLI-AA")
            .expect("token CLI-AA")["certificates"][0]
            .clone()
    };
    // Without the PIN SoftHSM shows no private key.
    let cert = listing(&["token", "list", "--module", MODULE, "--json"], None);
    assert_eq!(cert["private_key_visible"], false, "{cert}");
    assert!(cert["always_authenticate"].is_null(), "{cert}");
    let cert = listing(
        &[
            "token",
            "list",
            "--module",
            MODULE,
            "--token",
            "CLI-AA",
            "--pin-stdin",
            "--json",
        ],
        Some(PIN),
    );
    assert_eq!(cert["private_key_visible"], true, "{cert}");
    assert_eq!(cert["always_authenticate"], true, "{cert}");
    assert_eq!(cert["curve"], "P-256", "{cert}");
}
