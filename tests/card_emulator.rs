//! The emulated cards' behaviour through the real pcscd, as the card driver will meet it:
//! status words at file ends, PIN counters and blocking, 6982 without PIN, security status
//! lost on reset, GET RESPONSE, and the CIE's internal authentication and SOD.

mod emulator;
mod rig;

use std::ffi::CString;
use std::process::Command;
use std::sync::OnceLock;
use std::time::Duration;

use emulator::{
    CardHandle, CardMaterial, CieMaterial, CieModel, CnsModel, CnsOptions, HolderOptions,
    VirtualCard,
};
use rsa::pkcs1::DecodeRsaPublicKey;
use rsa::traits::PublicKeyParts;
use rsa::{BoxedUint, RsaPublicKey};

fn material() -> &'static CardMaterial {
    static M: OnceLock<(tempfile::TempDir, CardMaterial)> = OnceLock::new();
    &M.get_or_init(|| {
        let dir = tempfile::tempdir().expect("temp dir");
        let m = CardMaterial::generate(dir.path(), HolderOptions::default());
        (dir, m)
    })
    .1
}

/// A card in a claimed reader and a PC/SC connection to it.
struct Session {
    // Fields drop in order: disconnect from the card before pulling it out.
    card: pcsc::Card,
    handle: CardHandle,
    _ctx: pcsc::Context,
    _claim: rig::ReaderClaim,
}

impl Session {
    fn new(model: impl emulator::CardModel) -> Session {
        let claim = rig::claim_reader();
        let handle = VirtualCard::insert(claim.port, model);
        let ctx = pcsc::Context::establish(pcsc::Scope::User).expect("connect to pcscd");
        rig::wait_for_card(&ctx, &claim.reader_name, true, Duration::from_secs(15));
        let name = CString::new(claim.reader_name.clone()).expect("reader name");
        let card = ctx
            .connect(&name, pcsc::ShareMode::Exclusive, pcsc::Protocols::ANY)
            .expect("connect to the card");
        Session {
            handle,
            card,
            _ctx: ctx,
            _claim: claim,
        }
    }

    fn cns(options: impl FnOnce(&mut CnsOptions)) -> Session {
        let mut o = CnsOptions::for_material(material());
        options(&mut o);
        Session::new(CnsModel::new(material().clone(), o))
    }

    /// Response data and status word.
    fn send(&self, apdu: &[u8]) -> (Vec<u8>, u16) {
        let mut buf = [0u8; pcsc::MAX_BUFFER_SIZE_EXTENDED];
        let r = self.card.transmit(apdu, &mut buf).expect("transmit");
        assert!(r.len() >= 2, "response without status word: {r:02X?}");
        let (data, sw) = r.split_at(r.len() - 2);
        (data.to_vec(), u16::from_be_bytes([sw[0], sw[1]]))
    }

    fn sw(&self, apdu: &[u8]) -> u16 {
        self.send(apdu).1
    }
}

const SELECT_CERT: &[u8] = &[0x00, 0xA4, 0x08, 0x0C, 0x04, 0x11, 0x00, 0x11, 0x01];

fn verify(reference: u8, pin: &str) -> Vec<u8> {
    let mut apdu = vec![0x00, 0x20, 0x00, reference, 0x08];
    apdu.extend(emulator::pin::pad(pin.as_bytes(), 8));
    apdu
}

#[test]
fn read_binary_pieces_offsets_and_file_end() {
    let s = Session::cns(|_| {});
    let cert = &material().cert_der;
    assert_eq!(s.sw(SELECT_CERT), 0x9000);
    let mut read = Vec::new();
    while read.len() < cert.len() {
        let off = read.len() as u16;
        let [hi, lo] = off.to_be_bytes();
        let (data, sw) = s.send(&[0x00, 0xB0, hi, lo, 0xFF]);
        read.extend_from_slice(&data);
        if sw == 0x6282 {
            break;
        }
        assert_eq!(sw, 0x9000);
    }
    assert_eq!(&read, cert);
    let [hi, lo] = (cert.len() as u16).to_be_bytes();
    assert_eq!(
        s.sw(&[0x00, 0xB0, hi, lo, 0x10]),
        0x6B00,
        "offset at the end"
    );
    assert_eq!(
        s.sw(&[0x00, 0xB0, 0x00, 0x00, 0x00]),
        0x6700,
        "CNS reads at most 255"
    );
    // By FID, as real cards accept: DF 1000 then EF 1003.
    assert_eq!(s.sw(&[0x00, 0xA4, 0x00, 0x0C, 0x02, 0x3F, 0x00]), 0x9000);
    assert_eq!(s.sw(&[0x00, 0xA4, 0x00, 0x0C, 0x02, 0x10, 0x00]), 0x9000);
    assert_eq!(s.sw(&[0x00, 0xA4, 0x00, 0x0C, 0x02, 0x10, 0x03]), 0x9000);
    let (serial, sw) = s.send(&[0x00, 0xB0, 0x00, 0x00, 0x10]);
    assert_eq!(
        (serial.as_slice(), sw),
        (material().id_carta.as_bytes(), 0x9000)
    );
    assert_eq!(
        s.sw(&[0x00, 0xA4, 0x08, 0x0C, 0x04, 0x11, 0x00, 0x11, 0x09]),
        0x6A82
    );
    // EF_DatiPersonali with its 16 fields.
    assert_eq!(
        s.sw(&[0x00, 0xA4, 0x08, 0x0C, 0x04, 0x11, 0x00, 0x11, 0x02]),
        0x9000
    );
    let (personal, _) = s.send(&[0x00, 0xB0, 0x00, 0x00, 0xFF]);
    assert!(personal.starts_with(b"00006C07TESTREG"), "{personal:?}");
}

#[test]
fn pin_counter_blocks_and_puk_unblocks() {
    let s = Session::cns(|_| {});
    let pin_ref = 0x90; // the Infocamere ATR has an STIncard mask
    assert_eq!(
        s.sw(&verify(0x10, "12345678")),
        0x6A88,
        "STIncard wants 0x90"
    );
    assert_eq!(
        s.sw(&[0x00, 0x20, 0x00, pin_ref]),
        0x6700,
        "no tries-left query on a CNS"
    );
    assert_eq!(s.sw(&verify(pin_ref, "11111")), 0x63C2);
    assert_eq!(s.handle.pin_tries_left(), Some(2));
    assert_eq!(s.sw(&verify(pin_ref, "11111")), 0x63C1);
    assert_eq!(s.sw(&verify(pin_ref, "11111")), 0x63C0);
    assert_eq!(s.sw(&verify(pin_ref, "12345678")), 0x6983, "blocked");
    // RESET RETRY COUNTER with the PUK and a new PIN.
    let mut rrc = vec![0x00, 0x2C, 0x00, pin_ref, 0x10];
    rrc.extend(emulator::pin::pad(b"87654321", 8));
    rrc.extend(emulator::pin::pad(b"24680", 8));
    assert_eq!(s.sw(&rrc), 0x9000);
    assert_eq!(s.handle.pin_tries_left(), Some(3));
    assert_eq!(s.sw(&verify(pin_ref, "24680")), 0x9000);
    assert_eq!(s.handle.puk_tries_left(), Some(10));
}

#[test]
fn tries_left_query_when_the_option_says_the_card_can() {
    let s = Session::cns(|o| o.reports_tries_left = true);
    assert_eq!(s.sw(&verify(0x90, "00000")), 0x63C2);
    assert_eq!(s.sw(&[0x00, 0x20, 0x00, 0x90]), 0x63C2);
}

/// PKCS#1 v1.5 block of a SHA-256 DigestInfo, as OpenSC pads for the card.
fn padded_digest_info(size: usize, digest: &[u8; 32]) -> Vec<u8> {
    let mut info = vec![
        0x30, 0x31, 0x30, 0x0D, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x01,
        0x05, 0x00, 0x04, 0x20,
    ];
    info.extend_from_slice(digest);
    let mut block = vec![0x00, 0x01];
    block.resize(size - info.len() - 1, 0xFF);
    block.push(0x00);
    block.extend(info);
    block
}

fn public_key_of_cert() -> RsaPublicKey {
    RsaPublicKey::from(&material().key)
}

fn raw_public(key: &RsaPublicKey, sig: &[u8]) -> Vec<u8> {
    let s = BoxedUint::from_be_slice(sig, key.n().as_ref().bits_precision()).expect("signature");
    let m = rsa::hazmat::rsa_encrypt(key, &s).expect("raw RSA");
    let bytes = m.to_be_bytes();
    bytes[bytes.len() - key.size()..].to_vec()
}

#[test]
fn signing_needs_the_pin_and_a_reset_forgets_it() {
    let mut s = Session::cns(|_| {});
    let block = padded_digest_info(256, &[7u8; 32]);
    let mse = [0x00, 0x22, 0xF1, 0xB6, 0x03, 0x83, 0x01, 0x01];
    // PSO CDS with a 256-byte block: ISO chaining, 255 + 1.
    let chained = |s: &Session| {
        let mut first = vec![0x10, 0x2A, 0x9E, 0x9A, 0xFF];
        first.extend_from_slice(&block[..255]);
        assert_eq!(s.sw(&first), 0x9000);
        s.send(&[0x00, 0x2A, 0x9E, 0x9A, 0x01, block[255], 0x00])
    };
    assert_eq!(s.sw(&mse), 0x9000);
    assert_eq!(chained(&s).1, 0x6982, "no PIN yet");
    assert_eq!(s.sw(&verify(0x90, "12345678")), 0x9000);
    assert_eq!(s.sw(&mse), 0x9000);
    let (sig, sw) = chained(&s);
    assert_eq!(sw, 0x9000);
    assert_eq!(raw_public(&public_key_of_cert(), &sig), block);
    s.card
        .reconnect(
            pcsc::ShareMode::Exclusive,
            pcsc::Protocols::ANY,
            pcsc::Disposition::ResetCard,
        )
        .expect("reset the card");
    assert_eq!(s.sw(&mse), 0x9000);
    assert_eq!(chained(&s).1, 0x6982, "a reset clears the security status");
    assert_eq!(
        s.handle.pin_tries_left(),
        Some(3),
        "counters survive the reset"
    );
}

#[test]
fn get_response_when_the_card_uses_it() {
    let s = Session::cns(|o| o.get_response = true);
    assert_eq!(
        s.sw(&[0x00, 0xA4, 0x08, 0x0C, 0x04, 0x10, 0x00, 0x10, 0x03]),
        0x9000
    );
    let (data, sw) = s.send(&[0x00, 0xB0, 0x00, 0x00, 0x10]);
    assert!(data.is_empty());
    assert_eq!(sw, 0x6110);
    let (data, sw) = s.send(&[0x00, 0xC0, 0x00, 0x00, 0x10]);
    assert_eq!(
        (data.as_slice(), sw),
        (material().id_carta.as_bytes(), 0x9000)
    );
}

#[test]
fn latency_slows_answers() {
    let s = Session::cns(|_| {});
    s.handle.set_latency(Duration::from_millis(300));
    let start = std::time::Instant::now();
    assert_eq!(s.sw(&[0x00, 0xA4, 0x00, 0x0C, 0x02, 0x3F, 0x00]), 0x9000);
    assert!(start.elapsed() >= Duration::from_millis(300));
}

#[test]
fn cie_nis_internal_authentication_and_sod() {
    let dir = tempfile::tempdir().expect("temp dir");
    let m = CieMaterial::generate(dir.path(), "012345678901");
    let s = Session::new(CieModel::new(m.clone()));
    let ias = [
        0x00, 0xA4, 0x04, 0x0C, 0x0D, 0xA0, 0x00, 0x00, 0x00, 0x30, 0x80, 0x00, 0x00, 0x00, 0x09,
        0x81, 0x60, 0x01,
    ];
    assert_eq!(s.sw(&ias), 0x9000);
    assert_eq!(
        s.sw(&[0x00, 0xA4, 0x04, 0x0C, 0x06, 0xA0, 0x00, 0x00, 0x00, 0x00, 0x39]),
        0x9000
    );
    let (nis, sw) = s.send(&[0x00, 0xB0, 0x81, 0x00, 0x0C]);
    assert_eq!((nis.as_slice(), sw), (b"012345678901".as_slice(), 0x9000));
    // EF 1005 as the middleware reads files: SELECT 02 04, then 128-byte pieces.
    let read_file = |fid: [u8; 2]| {
        assert_eq!(
            s.sw(&[0x00, 0xA4, 0x02, 0x04, 0x02, fid[0], fid[1]]),
            0x9000
        );
        let mut out = Vec::new();
        loop {
            let [hi, lo] = (out.len() as u16).to_be_bytes();
            let (data, sw) = s.send(&[0x00, 0xB0, hi, lo, 0x80]);
            out.extend(data);
            match sw {
                0x9000 => continue,
                0x6282 | 0x6B00 => return out,
                other => panic!("READ BINARY {other:04X}"),
            }
        }
    };
    let pubkey_der = read_file([0x10, 0x05]);
    assert_eq!(pubkey_der, m.public_key_der);
    let sod = read_file([0x10, 0x06]);
    assert_eq!(sod, m.sod);
    // Chip authenticity: MSE SET then INTERNAL AUTHENTICATE of a challenge.
    assert_eq!(
        s.sw(&[0x00, 0x22, 0x41, 0xA4, 0x06, 0x80, 0x01, 0x02, 0x84, 0x01, 0x83]),
        0x9000
    );
    let challenge = [1u8, 2, 3, 4, 5, 6, 7, 8];
    let mut ia = vec![0x00, 0x88, 0x00, 0x00, 0x08];
    ia.extend_from_slice(&challenge);
    ia.push(0x00);
    let (sig, sw) = s.send(&ia);
    assert_eq!(sw, 0x9000);
    let key = RsaPublicKey::from_pkcs1_der(&pubkey_der).expect("EF 1005 is an RSAPublicKey");
    let block = raw_public(&key, &sig);
    assert_eq!(&block[..2], [0x00, 0x01]);
    assert!(block.ends_with(&challenge));
    // The SOD is a CMS SignedData openssl verifies up to the test CSCA.
    let cms = dir.path().join("sod.cms");
    let (_, content) = sod.split_at(4); // 77 82 LL LL
    std::fs::write(&cms, content).expect("write the CMS");
    let out = Command::new("openssl")
        .args([
            "cms", "-verify", "-inform", "DER", "-binary", "-purpose", "any", "-CAfile",
        ])
        .arg(&m.csca_cert)
        .arg("-in")
        .arg(&cms)
        .output()
        .expect("openssl");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        out.stdout,
        emulator::sod::lds_security_object(&[(0xA1, b"012345678901"), (0xA5, &pubkey_der),])
    );
}
