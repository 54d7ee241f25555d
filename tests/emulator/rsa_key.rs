//! The card's private-key operations: raw RSA (the host pads, CNS) and PKCS#1 v1.5 type-01
//! padding done on the card (CIE INTERNAL AUTHENTICATE).

use rsa::traits::PublicKeyParts;
use rsa::{BoxedUint, RsaPrivateKey};

use super::apdu::sw;

/// m^d mod n on a block exactly as long as the modulus, as the chip computes it.
/// A block of another length is 6700, a block not below the modulus is 6A80.
pub fn raw_private(key: &RsaPrivateKey, block: &[u8]) -> Result<Vec<u8>, u16> {
    let size = key.size();
    if block.len() != size {
        return Err(sw::WRONG_LENGTH);
    }
    let bits = key.n().as_ref().bits_precision();
    let c = BoxedUint::from_be_slice(block, bits).map_err(|_| sw::WRONG_DATA)?;
    let mut rng = getrandom::SysRng;
    let m =
        rsa::hazmat::rsa_decrypt_and_check(key, Some(&mut rng), &c).map_err(|_| sw::WRONG_DATA)?;
    let bytes = m.to_be_bytes();
    // Left-pad to the modulus length: the result is a fixed-size block.
    let mut out = vec![0u8; size.saturating_sub(bytes.len())];
    out.extend_from_slice(&bytes[bytes.len().saturating_sub(size)..]);
    Ok(out)
}

/// PKCS#1 v1.5 signature block (type 01) around `data`, then the private operation.
pub fn sign_pkcs1_type1(key: &RsaPrivateKey, data: &[u8]) -> Result<Vec<u8>, u16> {
    let size = key.size();
    if data.len() + 11 > size {
        return Err(sw::WRONG_LENGTH);
    }
    let mut block = vec![0x00, 0x01];
    block.resize(size - data.len() - 1, 0xFF);
    block.push(0x00);
    block.extend_from_slice(data);
    raw_private(key, &block)
}
