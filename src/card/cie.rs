//! CIE 3.0 chip check without PIN (cards.md §2, following the CIE middleware): select the
//! IAS then the CIE application, read the NIS, the internal-authentication key (EF 1005)
//! and the SOD (EF 1006), check the SOD, and have the chip sign a fresh random challenge
//! with INTERNAL AUTHENTICATE. It proves "the same genuine card", not who the holder is.

use serde::Serialize;
use time::OffsetDateTime;

use super::apdu::Command;
use super::error::CardError;
use super::files::{der_prefix, read_selected, select_fid};
use super::profile::{IasSelect, Profile};
use super::sod::{check_sod, SodReport};
use super::transport::{exchange, LongCommands, Transport};
use crate::crypto::signature_math::verify_pkcs1v15_unhashed;
use crate::trust::anchors::TrustStore;

pub const IAS_AID: [u8; 13] = [
    0xA0, 0x00, 0x00, 0x00, 0x30, 0x80, 0x00, 0x00, 0x00, 0x09, 0x81, 0x60, 0x01,
];
pub const CIE_AID: [u8; 6] = [0xA0, 0x00, 0x00, 0x00, 0x00, 0x39];
/// SOD data group numbers of the files read here (CIE middleware `hashSet`).
pub const GROUP_NIS: u64 = 0xA1;
pub const GROUP_INT_AUTH_KEY: u64 = 0xA5;
/// The middleware reads CIE files in pieces of 128 bytes (contactless frames).
const CIE_CHUNK: usize = 128;
/// Challenge length of INTERNAL AUTHENTICATE (IAS ECC: 8 bytes).
const CHALLENGE_LEN: usize = 8;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum ChipVerdict {
    /// SOD hashes, SOD signature up to the CSCA and the chip's answer all check.
    Passed,
    Failed,
    /// Nothing failed, but no CSCA anchor was configured: the SOD signer is not known good.
    Incomplete,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ChipCheck {
    /// Numero Identificativo per i Servizi: 12 digits.
    pub nis: String,
    pub verdict: ChipVerdict,
    pub sod: SodReport,
    pub internal_auth_valid: bool,
    pub challenge_hex: String,
    /// English sentences for what failed or was not checked.
    pub reasons: Vec<String>,
}

fn select(
    t: &mut dyn Transport,
    cmd: Command,
    profile: &Profile,
    atr: &[u8],
) -> Result<(), CardError> {
    let r = exchange(t, &cmd, LongCommands::Chaining)?;
    match r.sw {
        0x9000 => Ok(()),
        // The ATR is shared with other documents: no CIE application, no CIE.
        _ if profile.cie.confirm_aid => Err(CardError::UnknownCard {
            atr_hex: hex::encode_upper(atr),
        }),
        sw => Err(CardError::CardStatus(sw, "SELECT of the CIE application")),
    }
}

/// Selects IAS (or MF) then CIE; an ATR-only match is confirmed here.
pub fn select_cie(t: &mut dyn Transport, profile: &Profile) -> Result<(), CardError> {
    let atr = t.atr().to_vec();
    let ias = match profile.cie.ias_select {
        IasSelect::Aid => Command::new(0x00, 0xA4, 0x04, 0x0C).with_data(&IAS_AID),
        IasSelect::Mf => Command::new(0x00, 0xA4, 0x00, 0x00),
    };
    select(t, ias, profile, &atr)?;
    select(
        t,
        Command::new(0x00, 0xA4, 0x04, 0x0C).with_data(&CIE_AID),
        profile,
        &atr,
    )
}

pub fn read_nis(t: &mut dyn Transport) -> Result<String, CardError> {
    // READ BINARY with short EF identifier 1 (EF 1001, IdServizi).
    let r = exchange(
        t,
        &Command::new(0x00, 0xB0, 0x81, 0x00).with_le(12),
        LongCommands::Chaining,
    )?;
    let data = r.ok_or_status("READ BINARY of the NIS")?;
    let nis = data.get(..12).unwrap_or(&data);
    if nis.len() != 12 || !nis.iter().all(u8::is_ascii_digit) {
        return Err(CardError::malformed("the NIS is not 12 digits"));
    }
    Ok(String::from_utf8_lossy(nis).into_owned())
}

fn read_fid(t: &mut dyn Transport, fid: u16) -> Result<Vec<u8>, CardError> {
    select_fid(t, fid)?;
    read_selected(t, CIE_CHUNK)
}

fn der(tag: u8, content: &[u8]) -> Vec<u8> {
    let mut out = vec![tag];
    let len = content.len();
    match len {
        0..=0x7F => out.push(len as u8),
        0x80..=0xFF => out.extend_from_slice(&[0x81, len as u8]),
        _ => {
            out.push(0x82);
            out.extend_from_slice(&(len.min(0xFFFF) as u16).to_be_bytes());
        }
    }
    out.extend_from_slice(content);
    out
}

/// SubjectPublicKeyInfo around a PKCS#1 RSAPublicKey (what EF 1005 holds).
pub fn spki_from_rsa_public_key(rsa_public_key: &[u8]) -> Vec<u8> {
    const RSA_ALG: [u8; 15] = [
        0x30, 0x0D, 0x06, 0x09, 0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x01, 0x01, 0x05, 0x00,
    ];
    let mut bits = vec![0x00];
    bits.extend_from_slice(rsa_public_key);
    let mut body = RSA_ALG.to_vec();
    body.extend_from_slice(&der(0x03, &bits));
    der(0x30, &body)
}

/// Runs the whole check inside the caller's transaction.
pub fn chip_check(
    t: &mut dyn Transport,
    profile: &Profile,
    csca: &TrustStore,
    now: OffsetDateTime,
) -> Result<ChipCheck, CardError> {
    select_cie(t, profile)?;
    let nis = read_nis(t)?;
    let key_file = read_fid(t, 0x1005)?;
    let key = der_prefix(&key_file)
        .ok_or_else(|| CardError::malformed("EF 1005 does not hold a DER public key"))?
        .to_vec();
    let sod_file = read_fid(t, 0x1006)?;
    let sod = check_sod(
        &sod_file,
        &[(GROUP_NIS, nis.as_bytes()), (GROUP_INT_AUTH_KEY, &key)],
        csca,
        now,
    )?;

    let mut challenge = [0u8; CHALLENGE_LEN];
    getrandom::fill(&mut challenge)
        .map_err(|e| CardError::Transport(format!("no randomness from the OS: {e}")))?;
    let mse = Command::new(0x00, 0x22, 0x41, 0xA4).with_data(&[0x80, 0x01, 0x02, 0x84, 0x01, 0x83]);
    exchange(t, &mse, LongCommands::Chaining)?.ok_or_status("MSE SET (internal authentication)")?;
    let auth = Command::new(0x00, 0x88, 0x00, 0x00)
        .with_data(&challenge)
        .with_le(256);
    let answer =
        exchange(t, &auth, LongCommands::Chaining)?.ok_or_status("INTERNAL AUTHENTICATE")?;
    let internal_auth_valid =
        verify_pkcs1v15_unhashed(&spki_from_rsa_public_key(&key), &challenge, &answer).is_ok();

    let mut reasons = sod.problems.clone();
    if !internal_auth_valid {
        reasons.push(
            "the chip's answer to the challenge does not verify with its key (EF 1005)".into(),
        );
    }
    if !sod.groups_not_checked.is_empty() {
        let list: Vec<String> = sod
            .groups_not_checked
            .iter()
            .map(|g| format!("{g:02X}"))
            .collect();
        log::info!("SOD groups not read without PIN: {}", list.join(", "));
    }
    let failed = !sod.hashes_ok()
        || !sod.signature_valid
        || !internal_auth_valid
        || sod.chain_trusted == Some(false);
    let verdict = if failed {
        ChipVerdict::Failed
    } else if sod.chain_trusted.is_none() {
        reasons.push("no CSCA anchor is configured: the SOD signer was not checked".into());
        ChipVerdict::Incomplete
    } else {
        ChipVerdict::Passed
    };
    Ok(ChipCheck {
        nis,
        verdict,
        sod,
        internal_auth_valid,
        challenge_hex: hex::encode(challenge),
        reasons,
    })
}
