//! The drivers end to end over the in-process cards: what the officer gets from a card, and
//! every way authentication must refuse or fail.

use std::path::Path;

use time::OffsetDateTime;

use super::test_card::{material, SimCie, SimCns, CF, NIS, PIN, SERIAL};
use super::*;

fn now() -> OffsetDateTime {
    OffsetDateTime::now_utc()
}

/// A CNS profile for the in-process card's ATR, with `key` lines for the key table.
fn cns_profile(key: &str) -> Profile {
    let text = format!(
        r#"
[[profile]]
id = "cns-test"
label = "CNS di test"
driver = "cns"
[[profile.atr]]
value = "{}"
[profile.key]
{key}
"#,
        test_card::CNS_ATR
    );
    parse_profiles(Path::new("test.toml"), &text)
        .unwrap()
        .remove(0)
}

fn auth(
    card: &mut SimCns,
    profile: &Profile,
    pin: &str,
    confirm: bool,
    anchors: &crate::trust::anchors::TrustStore,
) -> Result<AuthEvidence, CardError> {
    authenticate_on(
        card,
        "Test VPCD 00 00",
        profile,
        &Pin::new(pin),
        confirm,
        anchors,
        now(),
    )
}

#[test]
fn read_gives_serial_personal_data_and_the_certificate_without_padding() {
    let mut card = SimCns::new();
    let reading = read_on(&mut card, "r", &cns_profile(""), &Default::default(), now()).unwrap();
    assert_eq!(reading.kind, CardKind::Cns);
    assert_eq!(reading.serial.as_deref(), Some(SERIAL));
    assert_eq!(reading.personal.as_ref().unwrap().codice_fiscale, CF);
    assert_eq!(reading.personal.as_ref().unwrap().surname, "ROSSI");
    assert_eq!(
        reading.certificate_der.as_deref(),
        Some(&material().holder_cert[..])
    );
    assert_eq!(
        reading.certificate.unwrap().codice_fiscale.as_deref(),
        Some(CF)
    );
    // Reading never asks for, nor sends, a PIN.
    assert!(card.log.iter().all(|a| a[1] != 0x20));
}

#[test]
fn authentication_passes_on_the_decipher_path_with_chaining() {
    let m = material();
    let mut card = SimCns::new();
    let evidence = auth(&mut card, &cns_profile(""), PIN, false, &m.ca).unwrap();
    assert_eq!(evidence.verdict, Verdict::Passed, "{:?}", evidence.reasons);
    assert!(evidence.checks.iter().all(|c| c.passed));
    assert_eq!(evidence.codice_fiscale.as_deref(), Some(CF));
    assert_eq!(evidence.serial, SERIAL);
    assert_eq!(evidence.name, "MARIO ROSSI");
    assert_eq!(evidence.challenge_hex.len(), 64);
    // The certificate allows key encipherment: `auto` takes the decipher path, chained.
    assert!(card.log.iter().any(|a| a[..4] == [0x10, 0x2A, 0x80, 0x86]));
    assert!(card.log.iter().any(|a| a[..4] == [0x00, 0x2A, 0x80, 0x86]));
    assert!(evidence.clone().into_result().is_ok());
    // A fresh challenge every time.
    let again = auth(&mut SimCns::new(), &cns_profile(""), PIN, false, &m.ca).unwrap();
    assert_ne!(again.challenge_hex, evidence.challenge_hex);
    let json = serde_json::to_string(&evidence).unwrap();
    assert!(json.contains("\"verdict\":\"PASSED\""));
}

#[test]
fn the_sign_path_uses_extended_length_or_chaining_as_the_profile_says() {
    let m = material();
    let mut card = SimCns::new();
    let ev = auth(
        &mut card,
        &cns_profile("sign_path = \"sign\"\nextended_apdu = true"),
        PIN,
        false,
        &m.ca,
    )
    .unwrap();
    assert_eq!(ev.verdict, Verdict::Passed, "{:?}", ev.reasons);
    let pso = card.log.iter().find(|a| a[1] == 0x2A).unwrap();
    assert_eq!(&pso[..7], [0x00, 0x2A, 0x9E, 0x9A, 0x00, 0x01, 0x00]);
    assert!(card.log.iter().any(|a| a[..4] == [0x00, 0x22, 0xF1, 0xB6]));

    let mut card = SimCns::new();
    let ev = auth(
        &mut card,
        &cns_profile("sign_path = \"sign\""),
        PIN,
        false,
        &m.ca,
    )
    .unwrap();
    assert_eq!(ev.verdict, Verdict::Passed);
    assert!(card.log.iter().any(|a| a[..4] == [0x10, 0x2A, 0x9E, 0x9A]));
}

#[test]
fn a_wrong_pin_spends_one_try_and_says_how_many_are_left() {
    let m = material();
    let mut card = SimCns::new();
    let e = auth(&mut card, &cns_profile(""), "11111111", false, &m.ca).unwrap_err();
    assert_eq!(
        e,
        CardError::WrongPin {
            tries_left: Some(2)
        }
    );
    assert_eq!(card.tries, 2);
    assert_eq!(card.pins_sent(), 1, "never retried automatically");
    // Nothing was signed.
    assert!(card.log.iter().all(|a| a[1] != 0x2A));
}

#[test]
fn a_blocked_card_is_refused_without_sending_a_pin() {
    let m = material();
    let mut card = SimCns::new();
    card.tries = 0;
    assert_eq!(
        auth(&mut card, &cns_profile(""), PIN, true, &m.ca),
        Err(CardError::PinBlocked)
    );
    assert_eq!(card.pins_sent(), 0);
}

#[test]
fn the_last_try_needs_the_officers_confirmation() {
    let m = material();
    let mut card = SimCns::new();
    card.tries = 1;
    assert_eq!(
        auth(&mut card, &cns_profile(""), PIN, false, &m.ca),
        Err(CardError::LastTryNeedsConfirmation)
    );
    assert_eq!(card.pins_sent(), 0);
    let ev = auth(&mut card, &cns_profile(""), PIN, true, &m.ca).unwrap();
    assert!(ev.passed());
    assert_eq!(card.tries, 3);
}

#[test]
fn a_malformed_pin_never_reaches_the_card() {
    let m = material();
    let mut card = SimCns::new();
    for bad in ["123", "12345678901", "abcde"] {
        assert!(matches!(
            auth(&mut card, &cns_profile(""), bad, true, &m.ca),
            Err(CardError::PinFormat { min: 5, max: 8 })
        ));
    }
    assert!(card.log.is_empty());
}

#[test]
fn a_certificate_from_an_untrusted_ca_fails_with_the_reason() {
    let m = material();
    let mut card = SimCns::with_certificate(m.rogue_cert.clone());
    let ev = auth(&mut card, &cns_profile(""), PIN, false, &m.ca).unwrap();
    assert_eq!(ev.verdict, Verdict::Failed);
    let failed: Vec<_> = ev
        .checks
        .iter()
        .filter(|c| !c.passed)
        .map(|c| c.check)
        .collect();
    assert_eq!(failed, [AuthCheckKind::CertificatePath]);
    assert!(ev.reasons[0].contains("no path"), "{:?}", ev.reasons);
    assert!(matches!(ev.into_result(), Err(CardError::Untrusted(_))));
    // No anchors at all is a failure too, never a pass.
    let ev = auth(
        &mut SimCns::new(),
        &cns_profile(""),
        PIN,
        false,
        &Default::default(),
    )
    .unwrap();
    assert_eq!(ev.verdict, Verdict::Failed);
}

#[test]
fn a_codice_fiscale_mismatch_fails() {
    let m = material();
    let mut card = SimCns::new();
    card.set_personal_cf("VRDLGU80A01H501Z");
    let ev = auth(&mut card, &cns_profile(""), PIN, false, &m.ca).unwrap();
    assert_eq!(ev.verdict, Verdict::Failed);
    assert_eq!(
        ev.into_result(),
        Err(CardError::CfMismatch {
            certificate: CF.into(),
            personal_data: "VRDLGU80A01H501Z".into()
        })
    );
    // The certificate of another person on this card.
    let mut card = SimCns::with_certificate(m.other_cf_cert.clone());
    let ev = auth(&mut card, &cns_profile(""), PIN, false, &m.ca).unwrap();
    assert!(ev
        .checks
        .iter()
        .any(|c| c.check == AuthCheckKind::CodiceFiscale && !c.passed));
}

#[test]
fn a_card_whose_key_does_not_match_its_certificate_fails() {
    let m = material();
    let mut card = SimCns::new();
    card.key = m.ds_key.clone();
    let ev = auth(&mut card, &cns_profile(""), PIN, false, &m.ca).unwrap();
    assert_eq!(ev.verdict, Verdict::Failed);
    assert!(ev
        .checks
        .iter()
        .any(|c| c.check == AuthCheckKind::CardSignature && !c.passed));
}

#[test]
fn removal_during_authentication_is_a_clean_error() {
    let m = material();
    for after in [2, 7, 9, 11, 13] {
        let mut card = SimCns::new();
        card.remove_after = Some(after);
        assert_eq!(
            auth(&mut card, &cns_profile(""), PIN, false, &m.ca),
            Err(CardError::CardRemoved),
            "removed after {after} APDUs"
        );
    }
}

#[test]
fn cards_that_do_not_tell_their_tries_still_work() {
    let m = material();
    let mut card = SimCns::new();
    card.reports_tries = false;
    assert!(auth(&mut card, &cns_profile(""), PIN, false, &m.ca)
        .unwrap()
        .passed());
}

#[test]
fn cie_and_pkcs11_cards_need_a_module_for_authentication() {
    let m = material();
    let profiles =
        Profiles::load(&[Path::new(env!("CARGO_MANIFEST_DIR")).join("card-profiles")]).unwrap();
    let cie = profiles.get("cie-3-stm").unwrap();
    let mut card = SimCns::new();
    let e = authenticate_on(
        &mut card,
        "r",
        cie,
        &Pin::new("12345678"),
        false,
        &m.ca,
        now(),
    )
    .unwrap_err();
    assert!(
        matches!(e, CardError::Pkcs11ModuleNeeded { ref modules, .. } if modules[0].contains("libcie-pkcs11"))
    );
    assert!(card.log.is_empty());
}

fn cie_profile(id: &str) -> Profile {
    Profiles::load(&[Path::new(env!("CARGO_MANIFEST_DIR")).join("card-profiles")])
        .unwrap()
        .get(id)
        .unwrap()
        .clone()
}

#[test]
fn cie_chip_check_passes_up_to_the_csca() {
    let m = material();
    let mut card = SimCie::new();
    let check = cie::chip_check(&mut card, &cie_profile("cie-3-stm"), &m.csca, now()).unwrap();
    assert_eq!(check.verdict, ChipVerdict::Passed, "{:?}", check.reasons);
    assert_eq!(check.nis, NIS);
    assert!(check.sod.hashes_ok() && check.sod.signature_valid && check.internal_auth_valid);
    assert_eq!(check.sod.chain_trusted, Some(true));
    // The chip answered through GET RESPONSE.
    assert!(card.log.iter().any(|a| a[1] == 0xC0));

    let reading = read_on(
        &mut SimCie::new(),
        "r",
        &cie_profile("cie-3-stm"),
        &m.csca,
        now(),
    )
    .unwrap();
    assert_eq!(reading.kind, CardKind::Cie);
    assert_eq!(reading.serial.as_deref(), Some(NIS));
}

#[test]
fn cie_chip_check_without_csca_is_incomplete_not_passed() {
    let check = cie::chip_check(
        &mut SimCie::new(),
        &cie_profile("cie-3-stm"),
        &Default::default(),
        now(),
    )
    .unwrap();
    assert_eq!(check.verdict, ChipVerdict::Incomplete);
}

#[test]
fn cie_chip_check_fails_on_a_tampered_sod_or_the_wrong_key() {
    let m = material();
    let profile = cie_profile("cie-3-stm");
    // The NIS was changed after the SOD was signed.
    let mut card = SimCie::new();
    card.nis = b"999999999999".to_vec();
    let check = cie::chip_check(&mut card, &profile, &m.csca, now()).unwrap();
    assert_eq!(check.verdict, ChipVerdict::Failed);
    assert!(
        check.reasons.iter().any(|r| r.contains("A1")),
        "{:?}",
        check.reasons
    );

    // One byte of the SOD's signature changed.
    let mut card = SimCie::new();
    let last = card.sod.len() - 5;
    card.sod[last] ^= 0x01;
    let check = cie::chip_check(&mut card, &profile, &m.csca, now()).unwrap();
    assert_eq!(check.verdict, ChipVerdict::Failed);
    assert!(!check.sod.signature_valid);

    // A cloned SOD on a chip with another key.
    let mut card = SimCie::new();
    card.key = m.other_chip_key.clone();
    let check = cie::chip_check(&mut card, &profile, &m.csca, now()).unwrap();
    assert_eq!(check.verdict, ChipVerdict::Failed);
    assert!(!check.internal_auth_valid);

    // A document signer from another authority.
    let check = cie::chip_check(&mut SimCie::new(), &profile, &m.other_ca, now()).unwrap();
    assert_eq!(check.verdict, ChipVerdict::Failed);
    assert_eq!(check.sod.chain_trusted, Some(false));
}

#[test]
fn a_gemalto_atr_without_the_cie_application_is_not_a_cie() {
    let mut card = SimCie::new();
    card.has_cie_application = false;
    let e = cie::chip_check(
        &mut card,
        &cie_profile("cie-3-gemalto"),
        &Default::default(),
        now(),
    )
    .unwrap_err();
    assert!(matches!(e, CardError::UnknownCard { .. }));
}

#[test]
fn nxp_chips_select_the_mf() {
    let mut card = SimCie::new();
    let _ = cie::chip_check(
        &mut card,
        &cie_profile("cie-3-nxp"),
        &Default::default(),
        now(),
    );
    assert_eq!(card.log[0], [0x00, 0xA4, 0x00, 0x00]);
}
