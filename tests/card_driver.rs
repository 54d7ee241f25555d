//! The product's card driver through the real pcscd and the vpcd emulator: reading,
//! authentication and every refusal an officer can meet, the CIE chip check, hot-plug, two
//! readers at once and the `sportello card` command line.

mod emulator;
mod rig;

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Duration;

use emulator::{
    CardMaterial, CieMaterial, CieModel, CnsModel, CnsOptions, HolderOptions, VirtualCard,
};
use sportello::card::{
    self, AuthCheckKind, CardError, CardEvent, CardKind, ChipVerdict, Pin, Profiles, Verdict,
};
use sportello::trust::anchors::TrustStore;

const WAIT: Duration = Duration::from_secs(15);
const PIN: &str = "12345678";

fn profiles_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("card-profiles")
}

fn profiles() -> Profiles {
    Profiles::load(&[profiles_dir()]).expect("the shipped profiles load")
}

fn now() -> time::OffsetDateTime {
    time::OffsetDateTime::now_utc()
}

struct Cns {
    _dir: tempfile::TempDir,
    material: CardMaterial,
}

fn cns_material(holder: HolderOptions) -> Cns {
    let dir = tempfile::tempdir().expect("temp dir");
    let material = CardMaterial::generate(dir.path(), holder);
    Cns {
        _dir: dir,
        material,
    }
}

impl Cns {
    fn trust(&self) -> TrustStore {
        TrustStore::load(std::slice::from_ref(&self.material.ca_cert)).expect("test CA")
    }
    fn model(&self, tweak: impl FnOnce(&mut CnsOptions)) -> CnsModel {
        let mut options = CnsOptions::for_material(&self.material);
        tweak(&mut options);
        CnsModel::new(self.material.clone(), options)
    }
}

fn insert(claim: &rig::ReaderClaim, model: impl emulator::CardModel) -> emulator::CardHandle {
    let handle = VirtualCard::insert(claim.port, model);
    let ctx = pcsc::Context::establish(pcsc::Scope::User).expect("pcscd");
    rig::wait_for_card(&ctx, &claim.reader_name, true, WAIT);
    handle
}

fn authenticate(
    claim: &rig::ReaderClaim,
    cns: &Cns,
    pin: &str,
    confirm: bool,
) -> Result<card::AuthEvidence, CardError> {
    card::authenticate(
        &claim.reader_name,
        &profiles(),
        &Pin::new(pin),
        confirm,
        &cns.trust(),
        now(),
    )
}

/// VERIFY commands that carried a PIN.
fn pins_sent(handle: &emulator::CardHandle) -> usize {
    handle
        .apdu_log()
        .iter()
        .filter(|e| e.command.get(1) == Some(&0x20) && e.command.len() > 5)
        .count()
}

#[test]
fn read_a_cns_without_pin() {
    let cns = cns_material(HolderOptions::default());
    let claim = rig::claim_reader();
    let handle = insert(&claim, cns.model(|_| {}));
    let reading = card::read_card(&claim.reader_name, &profiles()).expect("read");
    assert_eq!(reading.kind, CardKind::Cns);
    assert_eq!(reading.profile, "cns-infocamere");
    assert_eq!(
        reading.serial.as_deref(),
        Some(cns.material.id_carta.as_str())
    );
    let personal = reading.personal.expect("personal data");
    assert_eq!(personal.codice_fiscale, "RSSMRA80A01H501U");
    assert_eq!(personal.surname, "ROSSI");
    assert_eq!(
        reading.certificate_der.as_deref(),
        Some(&cns.material.cert_der[..])
    );
    assert_eq!(pins_sent(&handle), 0);
}

#[test]
fn authenticate_a_cns_holder() {
    let cns = cns_material(HolderOptions::default());
    let claim = rig::claim_reader();
    let handle = insert(&claim, cns.model(|_| {}));
    let ev = authenticate(&claim, &cns, PIN, false).expect("authentication");
    assert_eq!(ev.verdict, Verdict::Passed, "{:?}", ev.reasons);
    assert_eq!(ev.codice_fiscale.as_deref(), Some("RSSMRA80A01H501U"));
    assert_eq!(ev.reader, claim.reader_name);
    assert_eq!(ev.serial, cns.material.id_carta);
    // 2048-bit key with key encipherment: PSO DECIPHER, ISO-chained.
    assert!(handle
        .apdu_log()
        .iter()
        .any(|e| e.command[..4] == [0x10, 0x2A, 0x80, 0x86]));
    assert_eq!(handle.pin_tries_left(), Some(3));
}

#[test]
fn a_1024_bit_card_with_reference_0x10() {
    let cns = cns_material(HolderOptions {
        key_bits: 1024,
        id_carta: "7420000000054321".into(),
        ..HolderOptions::default()
    });
    let claim = rig::claim_reader();
    let _handle = insert(&claim, cns.model(|o| o.get_response = true));
    let ev = authenticate(&claim, &cns, PIN, false).expect("authentication");
    assert!(ev.passed(), "{:?}", ev.reasons);
    assert_eq!(ev.profile, "cns-sardegna-emilia-romagna");
}

#[test]
fn a_wrong_pin_spends_one_try_and_reports_it() {
    let cns = cns_material(HolderOptions::default());
    let claim = rig::claim_reader();
    let handle = insert(&claim, cns.model(|o| o.reports_tries_left = true));
    let e = authenticate(&claim, &cns, "11111111", false).unwrap_err();
    assert_eq!(
        e,
        CardError::WrongPin {
            tries_left: Some(2)
        }
    );
    assert_eq!(handle.pin_tries_left(), Some(2));
    assert_eq!(pins_sent(&handle), 1);
}

#[test]
fn a_blocked_card_refuses_without_a_pin_being_sent() {
    let cns = cns_material(HolderOptions::default());
    let claim = rig::claim_reader();
    let handle = insert(
        &claim,
        cns.model(|o| {
            o.reports_tries_left = true;
            o.pin_tries = 1;
        }),
    );
    // Block it: the one try, confirmed, with a wrong PIN.
    assert_eq!(
        authenticate(&claim, &cns, "11111111", true),
        Err(CardError::PinBlocked)
    );
    let sent = pins_sent(&handle);
    assert_eq!(
        authenticate(&claim, &cns, PIN, true),
        Err(CardError::PinBlocked)
    );
    assert_eq!(pins_sent(&handle), sent, "no PIN sent to a blocked card");
}

#[test]
fn the_last_try_needs_confirmation() {
    let cns = cns_material(HolderOptions::default());
    let claim = rig::claim_reader();
    let handle = insert(&claim, cns.model(|o| o.reports_tries_left = true));
    for left in [2, 1] {
        assert_eq!(
            authenticate(&claim, &cns, "11111111", false),
            Err(CardError::WrongPin {
                tries_left: Some(left)
            })
        );
    }
    assert_eq!(
        authenticate(&claim, &cns, PIN, false),
        Err(CardError::LastTryNeedsConfirmation)
    );
    assert_eq!(pins_sent(&handle), 2);
    let ev = authenticate(&claim, &cns, PIN, true).expect("confirmed");
    assert!(ev.passed(), "{:?}", ev.reasons);
    assert_eq!(handle.pin_tries_left(), Some(3));
}

#[test]
fn removal_during_authentication_gives_a_clean_error_and_no_evidence() {
    let cns = cns_material(HolderOptions::default());
    let claim = rig::claim_reader();
    let handle = insert(&claim, cns.model(|_| {}));
    // After the reads and the PIN, at the security environment, before the signature.
    handle.remove_after_apdus(13);
    let started = std::time::Instant::now();
    let e = authenticate(&claim, &cns, PIN, false).unwrap_err();
    assert!(matches!(e, CardError::CardRemoved), "{e:?}");
    assert!(started.elapsed() < Duration::from_secs(20), "no hang");
    let log = handle.apdu_log();
    assert!(
        log.iter()
            .any(|x| x.command[1] == 0x20 && x.command.len() > 5),
        "the PIN had gone"
    );
    assert!(
        !log.iter()
            .any(|x| x.command[1] == 0x2A && x.response.is_some()),
        "nothing signed"
    );
}

#[test]
fn a_reader_reconnects_after_the_card_was_pulled_out() {
    let cns = cns_material(HolderOptions::default());
    let claim = rig::claim_reader();
    let mut handle = insert(&claim, cns.model(|_| {}));
    let profiles = profiles();
    let read = |r: &mut card::PcscReader| {
        r.session(false, |t| {
            let p = profiles.match_atr(t.atr()).expect("profile");
            card::read_on(t, &claim.reader_name, p, &TrustStore::default(), now())
        })
    };
    let mut reader = card::PcscReader::open(&claim.reader_name).expect("open");
    assert!(read(&mut reader).is_ok());
    handle.remove();
    let ctx = pcsc::Context::establish(pcsc::Scope::User).expect("pcscd");
    rig::wait_for_card(&ctx, &claim.reader_name, false, WAIT);
    let e = read(&mut reader).unwrap_err();
    assert!(
        matches!(e, CardError::CardRemoved | CardError::NoCard(_)),
        "{e:?}"
    );
    handle.reinsert();
    rig::wait_for_card(&ctx, &claim.reader_name, true, WAIT);
    assert_eq!(
        read(&mut reader)
            .expect("after reinsertion")
            .serial
            .as_deref(),
        Some(cns.material.id_carta.as_str())
    );
}

#[test]
fn a_certificate_from_an_untrusted_ca_fails_with_the_reason() {
    let cns = cns_material(HolderOptions {
        untrusted_issuer: true,
        id_carta: "7420000000011111".into(),
        ..HolderOptions::default()
    });
    let claim = rig::claim_reader();
    let _handle = insert(&claim, cns.model(|_| {}));
    let ev = authenticate(&claim, &cns, PIN, false).expect("exchange completed");
    assert_eq!(ev.verdict, Verdict::Failed);
    let failed: Vec<_> = ev
        .checks
        .iter()
        .filter(|c| !c.passed)
        .map(|c| c.check)
        .collect();
    assert_eq!(failed, [AuthCheckKind::CertificatePath]);
    assert!(ev.reasons[0].contains("trusted anchor"), "{:?}", ev.reasons);
    assert!(matches!(ev.into_result(), Err(CardError::Untrusted(_))));
}

#[test]
fn a_codice_fiscale_mismatch_fails() {
    let cns = cns_material(HolderOptions {
        certificate_cf: Some("VRDLGU80A01H501Z".into()),
        id_carta: "7420000000022222".into(),
        ..HolderOptions::default()
    });
    let claim = rig::claim_reader();
    let _handle = insert(&claim, cns.model(|_| {}));
    let ev = authenticate(&claim, &cns, PIN, false).expect("exchange completed");
    assert_eq!(ev.verdict, Verdict::Failed);
    assert_eq!(
        ev.into_result(),
        Err(CardError::CfMismatch {
            certificate: "VRDLGU80A01H501Z".into(),
            personal_data: "RSSMRA80A01H501U".into()
        })
    );
}

#[test]
fn an_unknown_card_is_reported_with_its_atr() {
    let cns = cns_material(HolderOptions::default());
    let claim = rig::claim_reader();
    let atr = vec![0x3B, 0x02, 0x14, 0x50];
    let _handle = insert(&claim, cns.model(|o| o.atr = atr.clone()));
    let e = card::read_card(&claim.reader_name, &profiles()).unwrap_err();
    assert_eq!(
        e,
        CardError::UnknownCard {
            atr_hex: "3B021450".into()
        }
    );
    let listed = card::list_readers(&profiles()).expect("list");
    let mine = listed
        .iter()
        .find(|r| r.name == claim.reader_name)
        .expect("our reader");
    let presence = mine.card.as_ref().expect("a card");
    assert_eq!(
        (presence.atr_hex.as_str(), presence.profile.as_deref()),
        ("3B021450", None)
    );
}

fn cie_material(dir: &Path) -> CieMaterial {
    CieMaterial::generate(dir, "012345678901")
}

#[test]
fn cie_chip_check_passes_and_fails() {
    let dir = tempfile::tempdir().expect("temp dir");
    let material = cie_material(dir.path());
    let csca = TrustStore::load(std::slice::from_ref(&material.csca_cert)).expect("CSCA");
    let claim = rig::claim_reader();

    let handle = insert(&claim, CieModel::new(material.clone()));
    let reading =
        card::read_card_with(&claim.reader_name, &profiles(), &csca, now()).expect("read");
    let check = reading.chip_check.expect("chip check");
    assert_eq!(check.verdict, ChipVerdict::Passed, "{:?}", check.reasons);
    assert_eq!(reading.serial.as_deref(), Some("012345678901"));
    drop(handle);

    // A SOD altered after signing.
    let mut tampered = material.clone();
    let at = tampered.sod.len() / 2;
    tampered.sod[at] ^= 0x01;
    let claim = rig::claim_reader();
    let handle = insert(&claim, CieModel::new(tampered));
    let result = card::read_card_with(&claim.reader_name, &profiles(), &csca, now());
    match result {
        Ok(r) => assert_eq!(r.chip_check.expect("check").verdict, ChipVerdict::Failed),
        // A flipped length byte makes the SOD unreadable: also a refusal.
        Err(e) => assert!(matches!(e, CardError::Malformed(_)), "{e:?}"),
    }
    drop(handle);

    // A copied SOD on a chip with another key.
    let other = cie_material(&dir.path().join("other"));
    let mut cloned = material.clone();
    cloned.key = other.key.clone();
    let claim = rig::claim_reader();
    let _handle = insert(&claim, CieModel::new(cloned));
    let check = card::read_card_with(&claim.reader_name, &profiles(), &csca, now())
        .expect("read")
        .chip_check
        .expect("check");
    assert_eq!(check.verdict, ChipVerdict::Failed);
    assert!(!check.internal_auth_valid);
}

#[test]
fn two_readers_at_once() {
    let cns = cns_material(HolderOptions::default());
    let dir = tempfile::tempdir().expect("temp dir");
    let cie = cie_material(dir.path());
    let (a, b) = (rig::claim_reader(), rig::claim_reader());
    let _h1 = insert(&a, cns.model(|_| {}));
    let _h2 = insert(&b, CieModel::new(cie));
    let listed = card::list_readers(&profiles()).expect("list");
    let profile_of = |name: &str| {
        listed
            .iter()
            .find(|r| r.name == name)
            .and_then(|r| r.card.as_ref())
            .and_then(|c| c.profile.clone())
    };
    assert_eq!(
        profile_of(&a.reader_name).as_deref(),
        Some("cns-infocamere")
    );
    assert_eq!(profile_of(&b.reader_name).as_deref(), Some("cie-3-stm"));
    let (ra, rb) = (a.reader_name.clone(), b.reader_name.clone());
    let trust = cns.trust();
    let t = std::thread::spawn(move || card::read_card(&rb, &profiles()));
    let ev =
        card::authenticate(&ra, &profiles(), &Pin::new(PIN), false, &trust, now()).expect("auth");
    assert!(ev.passed());
    let cie_reading = t.join().expect("thread").expect("CIE read");
    assert_eq!(cie_reading.kind, CardKind::Cie);
}

#[test]
fn the_watcher_sees_insertion_and_removal() {
    let cns = cns_material(HolderOptions::default());
    let claim = rig::claim_reader();
    let mut watcher = card::Watcher::new().expect("watcher");
    let mut handle = VirtualCard::insert(claim.port, cns.model(|_| {}));
    let mine = |e: &CardEvent| match e {
        CardEvent::CardInserted { reader, .. } | CardEvent::CardRemoved { reader } => {
            *reader == claim.reader_name
        }
        _ => false,
    };
    let mut seen = Vec::new();
    let deadline = std::time::Instant::now() + WAIT;
    while !seen
        .iter()
        .any(|e| matches!(e, CardEvent::CardInserted { .. }))
        && std::time::Instant::now() < deadline
    {
        seen.extend(
            watcher
                .wait(Duration::from_secs(1))
                .expect("wait")
                .into_iter()
                .filter(mine),
        );
    }
    assert!(
        matches!(&seen[..], [CardEvent::CardInserted { .. }]),
        "{seen:?}"
    );
    handle.remove();
    let mut seen = Vec::new();
    let deadline = std::time::Instant::now() + WAIT;
    while seen.is_empty() && std::time::Instant::now() < deadline {
        seen.extend(
            watcher
                .wait(Duration::from_secs(1))
                .expect("wait")
                .into_iter()
                .filter(mine),
        );
    }
    assert!(
        matches!(&seen[..], [CardEvent::CardRemoved { .. }]),
        "{seen:?}"
    );

    // Cancellable from another thread.
    let canceller = watcher.canceller();
    // Other tests' cards come and go meanwhile: wait until the watcher stops.
    let t = std::thread::spawn(move || loop {
        if let Err(e) = watcher.wait(Duration::from_secs(30)) {
            return e;
        }
    });
    std::thread::sleep(Duration::from_millis(200));
    canceller.cancel();
    assert_eq!(t.join().expect("thread"), CardError::Cancelled);
}

fn sportello(args: &[&str], stdin: &str, data_dir: &Path) -> (i32, String, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_sportello"))
        .args(args)
        .arg("--data-dir")
        .arg(data_dir)
        .env("SPORTELLO_CARD_PROFILES", profiles_dir())
        .env("XDG_CONFIG_HOME", data_dir)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run sportello");
    use std::io::Write;
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(stdin.as_bytes())
        .expect("write PIN");
    let out = child.wait_with_output().expect("wait");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn the_card_command_line() {
    let cns = cns_material(HolderOptions::default());
    let claim = rig::claim_reader();
    let _handle = insert(&claim, cns.model(|o| o.reports_tries_left = true));
    let data = tempfile::tempdir().expect("data dir");
    let ca = cns.material.ca_cert.to_string_lossy().into_owned();
    let reader = claim.reader_name.as_str();

    let (code, out, _) = sportello(&["card", "read", "--reader", reader], "", data.path());
    assert_eq!(code, 0);
    assert!(
        out.contains("RSSMRA80A01H501U") && out.contains("Numero della carta"),
        "{out}"
    );

    let (code, out, err) = sportello(
        &[
            "card",
            "auth",
            "--reader",
            reader,
            "--pin-stdin",
            "--trust",
            &ca,
            "--json",
        ],
        "12345678\nnot the PIN\n",
        data.path(),
    );
    assert_eq!(code, 0, "{err}");
    let ev: serde_json::Value = serde_json::from_str(&out).expect("JSON evidence");
    assert_eq!(ev["verdict"], "PASSED");
    assert!(
        !out.contains("12345678"),
        "the PIN never appears in the output"
    );

    let (code, _, err) = sportello(
        &[
            "card",
            "auth",
            "--reader",
            reader,
            "--pin-stdin",
            "--trust",
            &ca,
        ],
        "11111111\n",
        data.path(),
    );
    assert_eq!(code, 77);
    assert!(err.contains("PIN errato: restano 2 tentativi"), "{err}");

    // Without the test CA the same card does not authenticate.
    let (code, out, _) = sportello(
        &["card", "auth", "--reader", reader, "--pin-stdin"],
        "12345678\n",
        data.path(),
    );
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("NON AUTENTICATO"), "{out}");

    let (code, out, _) = sportello(&["--lang", "en", "card", "list"], "", data.path());
    assert_eq!(code, 0);
    assert!(out.contains(&format!("{reader}: CNS InfoCamere")), "{out}");
}

#[test]
fn an_office_profile_takes_the_sign_path_with_extended_apdus() {
    let office = tempfile::tempdir().expect("office profiles");
    std::fs::write(
        office.path().join("infocamere-sign.toml"),
        r#"
[[profile]]
id = "office-infocamere-sign"
label = "CNS InfoCamere, percorso firma"
driver = "cns"
[[profile.atr]]
value = "3B FF 18 00 FF 81 31 FE 55 00 6B 02 09 02 00 01 11 01 43 4E 53 11 31 80 8E"
[profile.pin]
reference = 0x90
[profile.key]
sign_path = "sign"
extended_apdu = true
"#,
    )
    .expect("write profile");
    let profiles = Profiles::load(&[profiles_dir(), office.path().to_path_buf()]).expect("load");
    let cns = cns_material(HolderOptions::default());
    let claim = rig::claim_reader();
    let handle = insert(&claim, cns.model(|_| {}));
    let ev = card::authenticate(
        &claim.reader_name,
        &profiles,
        &Pin::new(PIN),
        false,
        &cns.trust(),
        now(),
    )
    .expect("authentication");
    assert!(ev.passed(), "{:?}", ev.reasons);
    assert_eq!(ev.profile, "office-infocamere-sign");
    let pso = handle
        .apdu_log()
        .into_iter()
        .find(|e| e.command[1] == 0x2A)
        .expect("a PSO");
    // One extended-length PSO COMPUTE DIGITAL SIGNATURE with the 256-byte block.
    assert_eq!(
        &pso.command[..7],
        [0x00, 0x2A, 0x9E, 0x9A, 0x00, 0x01, 0x00]
    );
}
