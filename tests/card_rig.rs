//! The card test rig through the real pcscd: an emulated card inserted into a claimed vpcd
//! reader is seen by PC/SC (ATR), its removal is seen, a removal in the middle of a command
//! is an error and not a hang, and two readers work at once.

mod emulator;
mod rig;

use std::ffi::CString;
use std::sync::mpsc;
use std::sync::OnceLock;
use std::time::Duration;

use emulator::{
    CardMaterial, CieMaterial, CieModel, CnsModel, CnsOptions, HolderOptions, VirtualCard,
};

const WAIT: Duration = Duration::from_secs(15);

fn material() -> &'static CardMaterial {
    static M: OnceLock<(tempfile::TempDir, CardMaterial)> = OnceLock::new();
    &M.get_or_init(|| {
        let dir = tempfile::tempdir().expect("temp dir");
        let holder = HolderOptions {
            key_bits: 1024,
            ..HolderOptions::default()
        };
        let m = CardMaterial::generate(dir.path(), holder);
        (dir, m)
    })
    .1
}

fn cns() -> CnsModel {
    CnsModel::new(material().clone(), CnsOptions::for_material(material()))
}

fn context() -> pcsc::Context {
    pcsc::Context::establish(pcsc::Scope::User).expect("connect to pcscd")
}

fn connect(ctx: &pcsc::Context, reader: &str) -> pcsc::Card {
    let name = CString::new(reader).expect("reader name");
    ctx.connect(&name, pcsc::ShareMode::Shared, pcsc::Protocols::ANY)
        .expect("connect to the emulated card")
}

fn transmit(card: &pcsc::Card, apdu: &[u8]) -> Vec<u8> {
    let mut buf = [0u8; pcsc::MAX_BUFFER_SIZE_EXTENDED];
    card.transmit(apdu, &mut buf).expect("transmit").to_vec()
}

#[test]
fn pcscd_lists_the_rig_readers() {
    rig::ensure_running();
    let ctx = context();
    let readers: Vec<String> = ctx
        .list_readers_owned()
        .expect("list readers")
        .iter()
        .map(|r| r.to_string_lossy().into_owned())
        .collect();
    for port in [rig::FIRST_PORT, rig::FIRST_PORT + rig::READERS - 1] {
        assert!(
            readers.contains(&rig::reader_name(port)),
            "{} missing from {readers:?}",
            rig::reader_name(port)
        );
    }
}

#[test]
fn inserted_card_shows_its_atr_and_answers() {
    let claim = rig::claim_reader();
    let _card = VirtualCard::insert(claim.port, cns());
    let ctx = context();
    rig::wait_for_card(&ctx, &claim.reader_name, true, WAIT);
    let card = connect(&ctx, &claim.reader_name);
    let (_, atr) = card
        .status2_owned()
        .map(|s| ((), s.atr().to_vec()))
        .expect("status");
    assert_eq!(atr, CnsOptions::for_material(material()).atr);
    let r = transmit(
        &card,
        &[0x00, 0xA4, 0x08, 0x0C, 0x04, 0x10, 0x00, 0x10, 0x03],
    );
    assert_eq!(r, [0x90, 0x00]);
    let r = transmit(&card, &[0x00, 0xB0, 0x00, 0x00, 0x10]);
    assert_eq!(&r[..16], material().id_carta.as_bytes());
    assert_eq!(&r[16..], [0x90, 0x00]);
}

#[test]
fn removal_is_seen_and_the_old_handle_fails() {
    let claim = rig::claim_reader();
    let mut handle = VirtualCard::insert(claim.port, cns());
    let ctx = context();
    rig::wait_for_card(&ctx, &claim.reader_name, true, WAIT);
    let card = connect(&ctx, &claim.reader_name);
    handle.remove();
    rig::wait_for_card(&ctx, &claim.reader_name, false, WAIT);
    let mut buf = [0u8; 300];
    let err = card
        .transmit(&[0x00, 0xB0, 0x00, 0x00, 0x10], &mut buf)
        .expect_err("a removed card cannot answer");
    assert!(
        matches!(
            err,
            pcsc::Error::RemovedCard | pcsc::Error::ResetCard | pcsc::Error::NoSmartcard
        ),
        "unexpected error {err:?}"
    );
    // Put back: seen again, counters kept.
    handle.reinsert();
    rig::wait_for_card(&ctx, &claim.reader_name, true, WAIT);
}

#[test]
fn removal_mid_command_is_an_error_not_a_hang() {
    let claim = rig::claim_reader();
    let handle = VirtualCard::insert(claim.port, cns());
    let ctx = context();
    rig::wait_for_card(&ctx, &claim.reader_name, true, WAIT);
    let card = connect(&ctx, &claim.reader_name);
    handle.remove_after_apdus(1);
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let mut buf = [0u8; 300];
        let first = card
            .transmit(
                &[0x00, 0xA4, 0x08, 0x0C, 0x04, 0x10, 0x00, 0x10, 0x03],
                &mut buf,
            )
            .map(|r| r.to_vec());
        let second = card
            .transmit(&[0x00, 0xB0, 0x00, 0x00, 0x10], &mut buf)
            .map(|r| r.to_vec());
        let _ = tx.send((first, second));
    });
    let (first, second) = rx
        .recv_timeout(Duration::from_secs(30))
        .expect("a card pulled out mid-command must not hang the transmit");
    assert_eq!(first, Ok(vec![0x90, 0x00]), "{:?}", handle.apdu_log());
    // vpcd reads the closed socket as an empty answer and pcscd passes it on as success:
    // a response without a status word. Either that or an error; never a hang or data.
    assert!(
        second.as_ref().map_or(true, |r| r.len() < 2),
        "the unanswered APDU must fail: {second:?}"
    );
    let log = handle.apdu_log();
    assert_eq!(
        log.last().map(|e| e.response.is_none()),
        Some(true),
        "{log:?}"
    );
    rig::wait_for_card(&ctx, &claim.reader_name, false, WAIT);
    assert!(!handle.is_inserted());
}

#[test]
fn two_readers_at_once() {
    let (a, b) = (rig::claim_reader(), rig::claim_reader());
    assert_ne!(a.port, b.port);
    let dir = tempfile::tempdir().expect("temp dir");
    let cie = CieMaterial::generate(dir.path(), "012345678901");
    let _cns = VirtualCard::insert(a.port, cns());
    let _cie = VirtualCard::insert(b.port, CieModel::new(cie));
    let ctx = context();
    rig::wait_for_card(&ctx, &a.reader_name, true, WAIT);
    rig::wait_for_card(&ctx, &b.reader_name, true, WAIT);
    let (ca, cb) = (connect(&ctx, &a.reader_name), connect(&ctx, &b.reader_name));
    let atr = |c: &pcsc::Card| c.status2_owned().expect("status").atr().to_vec();
    assert_eq!(atr(&ca), CnsOptions::for_material(material()).atr);
    assert_eq!(atr(&cb), emulator::cie::ATR_CIE_STM);
    // Both answer, interleaved.
    assert_eq!(
        transmit(
            &cb,
            &[0x00, 0xA4, 0x04, 0x0C, 0x06, 0xA0, 0x00, 0x00, 0x00, 0x00, 0x39]
        ),
        [0x90, 0x00]
    );
    assert_eq!(
        transmit(&ca, &[0x00, 0xA4, 0x08, 0x0C, 0x04, 0x10, 0x00, 0x10, 0x03]),
        [0x90, 0x00]
    );
    let nis = transmit(&cb, &[0x00, 0xB0, 0x81, 0x00, 0x0C]);
    assert_eq!(&nis[..12], b"012345678901");
}

#[test]
fn a_reader_takes_a_new_card_after_removal_under_a_connection() {
    let claim = rig::claim_reader();
    let ctx = context();
    for _ in 0..2 {
        let mut handle = VirtualCard::insert(claim.port, cns());
        rig::wait_for_card(&ctx, &claim.reader_name, true, WAIT);
        let name = CString::new(claim.reader_name.clone()).expect("reader name");
        let card = ctx
            .connect(&name, pcsc::ShareMode::Exclusive, pcsc::Protocols::ANY)
            .expect("connect");
        handle.remove();
        rig::wait_for_card(&ctx, &claim.reader_name, false, WAIT);
        drop(card);
    }
}
