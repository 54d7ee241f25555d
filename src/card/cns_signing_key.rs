//! [`SigningKey`] for a CNS in a PC/SC reader, through the native driver: the certificate is
//! read without PIN (so the desk can show and check the signer first), the PIN rules are
//! checked before anything reaches the card, and each signature is one transaction: card
//! identity check, VERIFY, the private-key operation, then a card reset so the verified PIN
//! does not outlive it. A wrong PIN is never retried; the last try needs the officer's word.

use der::Decode;
use x509_cert::Certificate;

use super::cns::{self, parse_id_carta};
use super::error::CardError;
use super::files::read_path;
use super::pcsc_transport::PcscReader;
use super::pin::Pin;
use super::profile::{Driver, Profile};
use super::profiles_load::Profiles;
use super::signing_key::{KeyKind, SigningKey};
use crate::crypto::algorithms::DigestAlgorithm;

pub struct CnsSigningKey {
    reader: PcscReader,
    profile: Profile,
    serial: String,
    certificate_der: Vec<u8>,
    certificate: Certificate,
    modulus_len: usize,
    pin: Option<Pin>,
    confirm_last_try: bool,
}

impl std::fmt::Debug for CnsSigningKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CnsSigningKey")
            .field("reader", &self.reader.name())
            .field("profile", &self.profile.id)
            .field("serial", &self.serial)
            .field("pin", &self.pin.as_ref().map(|_| "***"))
            .finish()
    }
}

impl CnsSigningKey {
    /// Reads the card in `reader` without PIN. Cards the native driver does not drive are
    /// refused with the PKCS#11 modules their profile names.
    pub fn open(reader: &str, profiles: &Profiles) -> Result<CnsSigningKey, CardError> {
        let mut pcsc = PcscReader::open(reader)?;
        let (profile, data) = pcsc.session(false, |t| {
            let profile = profiles
                .match_atr(t.atr())
                .ok_or_else(|| CardError::UnknownCard {
                    atr_hex: hex::encode_upper(t.atr()),
                })?
                .clone();
            if profile.driver != Driver::Cns {
                return Err(CardError::Pkcs11ModuleNeeded {
                    profile: profile.id.clone(),
                    modules: profile.modules.clone(),
                });
            }
            let data = cns::read(t, &profile)?;
            Ok((profile, data))
        })?;
        let certificate = Certificate::from_der(&data.certificate_der)
            .map_err(|e| CardError::malformed(e.to_string()))?;
        let modulus_len = cns::modulus_len(&certificate)?;
        Ok(CnsSigningKey {
            reader: pcsc,
            profile,
            serial: data.serial,
            certificate_der: data.certificate_der,
            certificate,
            modulus_len,
            pin: None,
            confirm_last_try: false,
        })
    }

    pub fn profile(&self) -> &Profile {
        &self.profile
    }

    /// EF_IDCarta of the card the key was opened on.
    pub fn serial(&self) -> &str {
        &self.serial
    }

    /// Takes the PIN for the signatures to come. Refused here, before the card sees it: a PIN
    /// the profile's rules reject, a blocked PIN, the last try without `confirm_last_try`.
    pub fn unlock(&mut self, pin: Pin, confirm_last_try: bool) -> Result<(), CardError> {
        pin.verify_data(&self.profile.pin)?;
        let profile = &self.profile;
        let status = self
            .reader
            .session(false, |t| cns::pin_status(t, profile))?;
        if status.blocked {
            return Err(CardError::PinBlocked);
        }
        if status.tries_left == Some(1) && !confirm_last_try {
            return Err(CardError::LastTryNeedsConfirmation);
        }
        self.pin = Some(pin);
        self.confirm_last_try = confirm_last_try;
        Ok(())
    }
}

impl SigningKey for CnsSigningKey {
    fn certificate_der(&self) -> &[u8] {
        &self.certificate_der
    }

    fn key_kind(&self) -> KeyKind {
        KeyKind::Rsa {
            bits: self.modulus_len * 8,
        }
    }

    fn sign_digest(&mut self, alg: DigestAlgorithm, digest: &[u8]) -> Result<Vec<u8>, CardError> {
        if alg != DigestAlgorithm::Sha256 {
            return Err(CardError::malformed(format!(
                "the CNS driver signs SHA-256 digests, not {}",
                alg.name()
            )));
        }
        let hashed: [u8; 32] = digest
            .try_into()
            .map_err(|_| CardError::malformed("a SHA-256 digest is 32 bytes"))?;
        let pin = self
            .pin
            .as_ref()
            .ok_or_else(|| CardError::AuthenticationFailed("no PIN was given".into()))?;
        let block = cns::pkcs1_block_sha256(&hashed, self.modulus_len)?;
        let path = cns::resolve_sign_path(&self.profile, &self.certificate);
        let profile = &self.profile;
        let serial = &self.serial;
        let certificate_der = &self.certificate_der;
        let confirm_last_try = self.confirm_last_try;
        // Reset afterwards: the verified PIN must not stay usable by another program.
        let result = self.reader.session(true, |t| {
            // The card in the reader now must be the one whose certificate was shown.
            let now_serial = parse_id_carta(&read_path(t, &profile.files.id_carta)?)?;
            let (now_cert, _) =
                cns::parse_certificate_file(&read_path(t, &profile.files.certificate)?)?;
            if &now_serial != serial || &now_cert != certificate_der {
                return Err(CardError::CardRemoved);
            }
            let status = cns::pin_status(t, profile)?;
            if status.blocked {
                return Err(CardError::PinBlocked);
            }
            if status.tries_left == Some(1) && !confirm_last_try {
                return Err(CardError::LastTryNeedsConfirmation);
            }
            cns::verify_pin(t, profile, pin)?;
            cns::raw_rsa(t, profile, path, &block)
        });
        if matches!(
            result,
            Err(CardError::WrongPin { .. } | CardError::PinBlocked)
        ) {
            // Never sent again: the next signature needs a PIN typed anew.
            self.pin = None;
        }
        result
    }
}
