//! The native CNS / TS-CNS driver (cards.md §1): the files readable without PIN, VERIFY,
//! and the raw RSA operation on a block the host padded, by the sign or the decipher path.

use der::Decode;
use x509_cert::Certificate;

use super::apdu::Command;
use super::error::CardError;
use super::files::{der_prefix, read_path};
use super::personal_data::PersonalData;
use super::pin::{Pin, PinStatus};
use super::profile::{Profile, SignPath};
use super::transport::{exchange, LongCommands, Transport};
use crate::crypto::keys::{parse_spki, PublicKey};

/// What a CNS gives without PIN.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CnsData {
    /// EF_IDCarta: the card serial.
    pub serial: String,
    /// The authentication certificate, padding removed.
    pub certificate_der: Vec<u8>,
    pub personal: PersonalData,
}

/// EF_IDCarta: 16 ASCII digits, possibly followed by padding.
pub fn parse_id_carta(file: &[u8]) -> Result<String, CardError> {
    let end = file
        .iter()
        .rposition(|b| !matches!(b, 0x00 | 0xFF | b' '))
        .map_or(0, |i| i + 1);
    let text = &file[..end];
    if text.is_empty() || text.len() > 32 || !text.iter().all(u8::is_ascii_alphanumeric) {
        return Err(CardError::malformed("EF_IDCarta is not a card serial"));
    }
    Ok(String::from_utf8_lossy(text).into_owned())
}

/// The certificate in its file: one DER certificate, zero padding after it tolerated.
pub fn parse_certificate_file(file: &[u8]) -> Result<(Vec<u8>, Certificate), CardError> {
    let der = der_prefix(file)
        .ok_or_else(|| CardError::malformed("the certificate file does not hold a DER object"))?;
    let cert = Certificate::from_der(der)
        .map_err(|e| CardError::malformed(format!("the authentication certificate: {e}")))?;
    Ok((der.to_vec(), cert))
}

pub fn read(t: &mut dyn Transport, profile: &Profile) -> Result<CnsData, CardError> {
    let serial = parse_id_carta(&read_path(t, &profile.files.id_carta)?)?;
    let (certificate_der, _) = parse_certificate_file(&read_path(t, &profile.files.certificate)?)?;
    let personal = PersonalData::parse(&read_path(t, &profile.files.personal_data)?)?;
    Ok(CnsData {
        serial,
        certificate_der,
        personal,
    })
}

/// VERIFY without data: asks the PIN state, never spends a try (ISO 7816-4 11.5.6).
pub fn pin_status(t: &mut dyn Transport, profile: &Profile) -> Result<PinStatus, CardError> {
    let cmd = Command::new(0x00, 0x20, 0x00, profile.pin.reference);
    let r = exchange(t, &cmd, LongCommands::Chaining)?;
    Ok(match r.sw {
        0x9000 => PinStatus {
            tries_left: None,
            blocked: false,
            verified: true,
        },
        0x6983 => PinStatus {
            tries_left: Some(0),
            blocked: true,
            verified: false,
        },
        sw if sw & 0xFFF0 == 0x63C0 => PinStatus {
            tries_left: Some((sw & 0x0F) as u8),
            blocked: sw & 0x0F == 0,
            verified: false,
        },
        sw => {
            // Many CNS cards do not answer the question; that is "unknown", not "blocked".
            log::debug!("PIN status query answered {sw:04X}: tries left unknown");
            PinStatus {
                tries_left: None,
                blocked: false,
                verified: false,
            }
        }
    })
}

/// One VERIFY with the PIN. Never repeated here: a wrong PIN goes back to the officer.
pub fn verify_pin(t: &mut dyn Transport, profile: &Profile, pin: &Pin) -> Result<(), CardError> {
    let data = pin.verify_data(&profile.pin)?;
    let cmd = Command::new(0x00, 0x20, 0x00, profile.pin.reference).with_data(&data);
    let r = exchange(t, &cmd, LongCommands::Chaining)?;
    match r.sw {
        0x9000 => Ok(()),
        0x6983 => Err(CardError::PinBlocked),
        0x63C0 => Err(CardError::PinBlocked),
        sw if sw & 0xFFF0 == 0x63C0 => Err(CardError::WrongPin {
            tries_left: Some((sw & 0x0F) as u8),
        }),
        0x6300 => Err(CardError::WrongPin { tries_left: None }),
        sw => Err(CardError::CardStatus(sw, "VERIFY")),
    }
}

/// The path actually used: `auto` deciphers when the certificate allows encipherment.
pub fn resolve_sign_path(profile: &Profile, cert: &Certificate) -> SignPath {
    match profile.key.sign_path {
        SignPath::Auto => {
            let usage = crate::identity::signer_identity(cert, &[]).key_usage;
            if usage
                .iter()
                .any(|u| u == "keyEncipherment" || u == "dataEncipherment")
            {
                SignPath::Decipher
            } else {
                SignPath::Sign
            }
        }
        other => other,
    }
}

/// RSA modulus length in bytes of the certificate's key.
pub fn modulus_len(cert: &Certificate) -> Result<usize, CardError> {
    use der::Encode;
    let spki = cert
        .tbs_certificate()
        .subject_public_key_info()
        .to_der()
        .map_err(|e| CardError::malformed(e.to_string()))?;
    match parse_spki(&spki) {
        Ok(PublicKey::Rsa { modulus, .. }) => Ok(modulus.len()),
        Ok(_) => Err(CardError::malformed("the authentication key is not RSA")),
        Err(e) => Err(CardError::malformed(e.to_string())),
    }
}

/// DER DigestInfo prefix for SHA-256 (RFC 8017 9.2 note 1).
const SHA256_DIGEST_INFO: [u8; 19] = [
    0x30, 0x31, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x01, 0x05,
    0x00, 0x04, 0x20,
];

/// EMSA-PKCS1-v1_5 block `00 01 FF.. 00 DigestInfo(SHA-256)` of `k` bytes: the card does
/// raw RSA, the host pads (cards.md).
pub fn pkcs1_block_sha256(digest: &[u8; 32], k: usize) -> Result<Vec<u8>, CardError> {
    let t_len = SHA256_DIGEST_INFO.len() + digest.len();
    let pad = k
        .checked_sub(t_len + 3)
        .filter(|p| *p >= 8)
        .ok_or_else(|| CardError::malformed(format!("an RSA key of {k} bytes is too short")))?;
    let mut block = Vec::with_capacity(k);
    block.extend_from_slice(&[0x00, 0x01]);
    block.extend(std::iter::repeat_n(0xFF, pad));
    block.push(0x00);
    block.extend_from_slice(&SHA256_DIGEST_INFO);
    block.extend_from_slice(digest);
    Ok(block)
}

/// The card's private-key operation on `block` (already padded to the modulus length).
pub fn raw_rsa(
    t: &mut dyn Transport,
    profile: &Profile,
    path: SignPath,
    block: &[u8],
) -> Result<Vec<u8>, CardError> {
    let key = profile.key.reference;
    let sig = match path {
        SignPath::Sign | SignPath::Auto => {
            // Restore SE 3, then the signing key.
            let restore = Command::new(0x00, 0x22, 0xF3, 0x03).with_le(256);
            check(
                exchange(t, &restore, LongCommands::Chaining)?,
                "MSE RESTORE",
            )?;
            let set = Command::new(0x00, 0x22, 0xF1, 0xB6).with_data(&[0x83, 0x01, key]);
            check(
                exchange(t, &set, LongCommands::Chaining)?,
                "MSE SET (signature)",
            )?;
            let pso = Command::new(0x00, 0x2A, 0x9E, 0x9A)
                .with_data(block)
                .with_le(256);
            exchange(t, &pso, profile.key.long_commands)?
        }
        SignPath::Decipher => {
            let set = Command::new(0x00, 0x22, 0xF1, 0xB8).with_data(&[0x83, 0x01, key]);
            check(
                exchange(t, &set, LongCommands::Chaining)?,
                "MSE SET (decipher)",
            )?;
            // Padding-indicator byte 00, then the block; ISO chaining for 2048-bit keys.
            let mut data = Vec::with_capacity(block.len() + 1);
            data.push(0x00);
            data.extend_from_slice(block);
            let pso = Command::new(0x00, 0x2A, 0x80, 0x86)
                .with_data(&data)
                .with_le(256);
            exchange(t, &pso, LongCommands::Chaining)?
        }
    };
    match sig.sw {
        0x9000 if !sig.data.is_empty() => Ok(sig.data),
        0x9000 => Err(CardError::malformed("the card returned an empty signature")),
        sw => Err(CardError::CardStatus(sw, "the signature (PSO)")),
    }
}

fn check(r: super::apdu::Response, what: &'static str) -> Result<(), CardError> {
    if r.is_ok() {
        Ok(())
    } else {
        Err(CardError::CardStatus(r.sw, what))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn id_carta_with_padding() {
        assert_eq!(
            parse_id_carta(b"1234567890123456").unwrap(),
            "1234567890123456"
        );
        assert_eq!(
            parse_id_carta(b"1234567890123456\0\0\xFF").unwrap(),
            "1234567890123456"
        );
        assert!(parse_id_carta(b"\0\0\0").is_err());
        assert!(parse_id_carta(b"12\x01").is_err());
        assert!(parse_id_carta(b"").is_err());
    }

    #[test]
    fn pkcs1_block_shape() {
        let block = pkcs1_block_sha256(&[7; 32], 256).unwrap();
        assert_eq!(block.len(), 256);
        assert_eq!(&block[..2], [0, 1]);
        assert_eq!(block[256 - 52], 0);
        assert_eq!(&block[256 - 32..], [7; 32]);
        assert!(pkcs1_block_sha256(&[7; 32], 60).is_err());
    }
}
