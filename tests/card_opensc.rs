//! Evidence that the emulator behaves like a CNS: Debian's OpenSC (itacns driver and its
//! PKCS#15 emulation) finds the token, lists the certificate and signs with the PIN through
//! the real pcscd, and openssl verifies the signature with the certificate's key.

mod emulator;
mod rig;

use std::path::Path;
use std::process::{Command, Output};
use std::sync::Mutex;
use std::time::Duration;

use emulator::{CardHandle, CardMaterial, CnsModel, CnsOptions, HolderOptions, VirtualCard};

const MODULE: &str = "/usr/lib/x86_64-linux-gnu/opensc-pkcs11.so";

/// Every pkcs11-tool run probes every card in every reader, and OpenSC may reset a card when
/// it lets go of it: one OpenSC test at a time keeps a login from being reset by a
/// neighbour's probe.
static ONE_AT_A_TIME: Mutex<()> = Mutex::new(());

struct Setup {
    _dir: tempfile::TempDir,
    material: CardMaterial,
    claim: rig::ReaderClaim,
    card: CardHandle,
}

fn setup(key_bits: u32) -> Setup {
    assert!(
        Path::new(MODULE).is_file(),
        "OpenSC's PKCS#11 module is missing (apt-get install opensc-pkcs11)"
    );
    let dir = tempfile::tempdir().expect("temp dir");
    let holder = HolderOptions {
        key_bits,
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

/// OpenSC's PKCS#11 module gives each reader 4 slots of 16 by default, so it shows only
/// the first 4 readers: the rig's 16 need one slot per reader and room for all.
const OPENSC_CONF: &str =
    "app opensc-pkcs11 {\n pkcs11 {\n  max_virtual_slots = 64;\n  slots_per_card = 1;\n }\n}\n";

fn opensc_conf() -> &'static Path {
    static CONF: std::sync::OnceLock<tempfile::TempDir> = std::sync::OnceLock::new();
    let dir = CONF.get_or_init(|| {
        let dir = tempfile::tempdir().expect("temp dir");
        std::fs::write(dir.path().join("opensc.conf"), OPENSC_CONF).expect("write opensc.conf");
        dir
    });
    dir.path()
}

fn run_pkcs11_tool(args: &[&str]) -> Output {
    Command::new("pkcs11-tool")
        .env("OPENSC_CONF", opensc_conf().join("opensc.conf"))
        .args(["--module", MODULE])
        .args(args)
        .output()
        .expect("pkcs11-tool is needed (apt-get install opensc)")
}

/// `-L` lines of our reader's slot: "Slot N (0xID): <reader>" and its indented details.
/// (pkcs11-tool's --slot-description does not match the blank-padded PKCS#11 field.)
fn slot_listing(s: &Setup) -> (String, String) {
    let out = stdout_ok(&run_pkcs11_tool(&["-L"]), "pkcs11-tool -L");
    let suffix = format!("): {}", s.claim.reader_name);
    let mut lines = out
        .lines()
        .skip_while(|l| !(l.starts_with("Slot ") && l.trim_end().ends_with(&suffix)));
    let head = lines
        .next()
        .unwrap_or_else(|| panic!("no slot for {} in {out}", s.claim.reader_name));
    let id = head
        .split(['(', ')'])
        .nth(1)
        .unwrap_or_else(|| panic!("slot id in {head}"))
        .to_string();
    let details: Vec<&str> = lines.take_while(|l| l.starts_with(' ')).collect();
    (id, details.join("\n"))
}

fn pkcs11_tool(s: &Setup, args: &[&str]) -> Output {
    let (slot, _) = slot_listing(s);
    let mut all = vec!["--slot", slot.as_str()];
    all.extend_from_slice(args);
    run_pkcs11_tool(&all)
}

fn stdout_ok(out: &Output, what: &str) -> String {
    assert!(
        out.status.success(),
        "{what} failed: {}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// pkcs11-tool --sign with the PIN, then openssl verifies with the certificate's key.
fn sign_and_verify(s: &Setup) {
    let dir = s.material.dir.as_path();
    let data = dir.join("document.txt");
    std::fs::write(&data, b"Modulo di prova SPORTELLO TEST\n").expect("write document");
    let sig = dir.join("document.sig");
    let out = pkcs11_tool(
        s,
        &[
            "--login",
            "--pin",
            "12345678",
            "--sign",
            "--mechanism",
            "SHA256-RSA-PKCS",
            "--id",
            "01",
            "--input-file",
            path(&data),
            "--output-file",
            path(&sig),
        ],
    );
    stdout_ok(&out, "pkcs11-tool --sign");
    let pubkey = dir.join("holder-pub.pem");
    let out = Command::new("openssl")
        .args([
            "x509",
            "-in",
            path(&s.material.cert_pem),
            "-pubkey",
            "-noout",
            "-out",
        ])
        .arg(&pubkey)
        .output()
        .expect("openssl");
    assert!(out.status.success(), "extract the public key");
    let out = Command::new("openssl")
        .args([
            "dgst",
            "-sha256",
            "-verify",
            path(&pubkey),
            "-signature",
            path(&sig),
        ])
        .arg(&data)
        .output()
        .expect("openssl");
    assert!(
        out.status.success(),
        "openssl rejects OpenSC's signature: {}",
        String::from_utf8_lossy(&out.stdout)
    );
}

fn path(p: &Path) -> &str {
    p.to_str().expect("UTF-8 temp path")
}

fn sent(card: &CardHandle, prefix: &[u8]) -> bool {
    card.apdu_log()
        .iter()
        .any(|e| e.command.starts_with(prefix))
}

#[test]
fn opensc_lists_the_cns_token() {
    let _one = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    let s = setup(2048);
    let (_, out) = slot_listing(&s);
    assert!(
        out.contains("MARIO ROSSI"),
        "token label from EF_DatiPersonali: {out}"
    );
    assert!(
        out.contains(&s.material.id_carta),
        "serial from EF_IDCarta: {out}"
    );
    // OpenSC's known false flag: a CNS cannot report tries left (VERIFY without data is
    // refused), and OpenSC shows that as a locked PIN. The PIN works all the same (below).
    assert!(out.contains("user PIN locked"), "{out}");
    assert_eq!(s.card.pin_tries_left(), Some(3));
}

#[test]
fn opensc_lists_and_reads_the_certificate() {
    let _one = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    let s = setup(2048);
    let out = stdout_ok(&pkcs11_tool(&s, &["--list-objects"]), "--list-objects");
    assert!(out.contains("Certificate Object"), "{out}");
    assert!(out.contains("RSSMRA80A01H501U"), "{out}");
    let der = s.material.dir.join("read-back.der");
    let out = pkcs11_tool(
        &s,
        &[
            "--read-object",
            "--type",
            "cert",
            "--id",
            "01",
            "--output-file",
            path(&der),
        ],
    );
    stdout_ok(&out, "--read-object");
    let read_back = std::fs::read(&der).expect("read the certificate OpenSC wrote");
    assert_eq!(read_back, s.material.cert_der);
}

#[test]
fn opensc_signs_with_a_2048_bit_cns_through_chained_decipher() {
    let _one = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    let s = setup(2048);
    sign_and_verify(&s);
    // The path real CNS take with OpenSC (cards.md §1): PIN reference 0x90 on an STIncard
    // mask, decipher SE, and PSO DECIPHER split by ISO chaining (CLA 10).
    assert!(sent(&s.card, &[0x00, 0x20, 0x00, 0x90, 0x08]));
    assert!(sent(
        &s.card,
        &[0x00, 0x22, 0xF1, 0xB8, 0x03, 0x83, 0x01, 0x01]
    ));
    assert!(sent(&s.card, &[0x10, 0x2A, 0x80, 0x86]));
    assert_eq!(s.card.pin_tries_left(), Some(3));
}

#[test]
fn opensc_signs_with_a_1024_bit_cns() {
    let _one = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    let s = setup(1024);
    sign_and_verify(&s);
    assert!(sent(&s.card, &[0x00, 0x20, 0x00, 0x10, 0x08]));
    assert!(
        !sent(&s.card, &[0x10, 0x2A]),
        "1024-bit blocks need no chaining"
    );
}

#[test]
fn a_wrong_pin_through_opensc_costs_a_try() {
    let _one = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    let s = setup(1024);
    let out = pkcs11_tool(&s, &["--login", "--pin", "99999999", "--list-objects"]);
    assert!(!out.status.success(), "a wrong PIN must fail C_Login");
    assert_eq!(s.card.pin_tries_left(), Some(2));
    // The right PIN resets the counter, as on the card.
    sign_and_verify(&s);
    assert_eq!(s.card.pin_tries_left(), Some(3));
}
