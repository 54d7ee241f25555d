//! Co-signing and countersigning read an existing envelope and rebuild it around its raw
//! parts: arbitrary bytes must give an error, never a panic. The key signs nothing (its
//! certificate is empty), so only the reading and the choice of the signature are exercised.
#![no_main]

use libfuzzer_sys::fuzz_target;
use sportello::card::signing_key::{KeyKind, SigningKey};
use sportello::card::CardError;
use sportello::crypto::algorithms::DigestAlgorithm;
use sportello::sign::{sign, Mode};

struct NoKey;

impl SigningKey for NoKey {
    fn certificate_der(&self) -> &[u8] {
        &[]
    }
    fn key_kind(&self) -> KeyKind {
        KeyKind::Rsa { bits: 2048 }
    }
    fn sign_digest(&mut self, _: DigestAlgorithm, _: &[u8]) -> Result<Vec<u8>, CardError> {
        Err(CardError::Cancelled)
    }
}

fuzz_target!(|data: &[u8]| {
    let when = time::OffsetDateTime::UNIX_EPOCH;
    for mode in [Mode::Cosign, Mode::Countersign("L0.S1".into()), Mode::Wrap] {
        let _ = sign(data, &mode, &mut NoKey, when);
    }
});
