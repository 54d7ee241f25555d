//! The seam between signing (CAdES writing, authentication challenges) and whatever holds the key:
//! the native CNS driver over a transport, or a PKCS#11 token. A `SigningKey` is open for one
//! person at the counter: it is logged in when made and logs out when dropped.

use crate::crypto::algorithms::DigestAlgorithm;

use super::error::CardError;

/// The public half, as a signer wants to show it before asking for the PIN.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum KeyKind {
    Rsa {
        bits: usize,
    },
    /// Named curve: `P-256`, `P-384`, `P-521`.
    Ec {
        curve: &'static str,
    },
}

pub trait SigningKey {
    /// The key's certificate, DER.
    fn certificate_der(&self) -> &[u8];

    fn key_kind(&self) -> KeyKind;

    /// Signs a message digest computed by the caller with `alg`.
    /// RSA: the PKCS#1 v1.5 signature over `DigestInfo(alg, digest)`.
    /// ECDSA: the DER `Ecdsa-Sig-Value` (`SEQUENCE { r, s }`), whatever the token returned.
    /// A key that needs the PIN for every signature asks for it here again (it keeps the PIN it was
    /// opened with, in zeroizing memory, only as long as it lives).
    fn sign_digest(&mut self, alg: DigestAlgorithm, digest: &[u8]) -> Result<Vec<u8>, CardError>;
}
