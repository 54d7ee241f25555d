//! Signature verification: RSA PKCS#1 v1.5 and RSASSA-PSS over the raw RSA operation (so any
//! hash and any MGF1 hash work), ECDSA on P-256, P-384 and P-521 over a prehash.

use rsa::traits::PublicKeyParts;
use rsa::{BoxedUint, RsaPublicKey};
use signature::hazmat::PrehashVerifier;

use super::algorithms::{DigestAlgorithm, SignatureScheme};
use super::digest::{digest, Hasher};
use super::keys::{parse_spki, Curve, KeyError, PublicKey};

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SignatureError {
    #[error("the signature does not verify")]
    Invalid,
    /// The RSA operation recovers the right digest, but in an encoding PKCS#1 forbids.
    #[error("the signature does not verify: {0}")]
    NonCanonicalEncoding(&'static str),
    #[error("unsupported: {0}")]
    Unsupported(String),
    #[error("bad public key: {0}")]
    BadKey(String),
    #[error("the key does not fit the signature algorithm ({0})")]
    KeyMismatch(String),
}

impl From<KeyError> for SignatureError {
    fn from(e: KeyError) -> Self {
        match e {
            KeyError::UnsupportedCurve(_) => SignatureError::Unsupported(e.to_string()),
            KeyError::Malformed(_) => SignatureError::BadKey(e.to_string()),
        }
    }
}

/// Verifies `signature` over `message`, hashing it here with `hash`.
pub fn verify_message(
    spki_der: &[u8],
    scheme: &SignatureScheme,
    hash: DigestAlgorithm,
    message: &[u8],
    signature: &[u8],
) -> Result<(), SignatureError> {
    verify_digest(spki_der, scheme, hash, &digest(hash, message), signature)
}

/// Verifies `signature` over a message whose `hash` digest is `digest_value`.
pub fn verify_digest(
    spki_der: &[u8],
    scheme: &SignatureScheme,
    hash: DigestAlgorithm,
    digest_value: &[u8],
    signature: &[u8],
) -> Result<(), SignatureError> {
    if digest_value.len() != hash.output_len() {
        return Err(SignatureError::Invalid);
    }
    match (parse_spki(spki_der)?, scheme) {
        (PublicKey::Rsa { modulus, exponent }, SignatureScheme::RsaPkcs1v15 { .. }) => {
            let em = rsa_public(modulus, exponent, signature)?;
            pkcs1v15_matches(&em, hash, digest_value)
        }
        (
            PublicKey::Rsa { modulus, exponent },
            SignatureScheme::RsaPss {
                mgf1_hash,
                salt_len,
                ..
            },
        ) => {
            let em = rsa_public(modulus, exponent, signature)?;
            let mod_bits = bit_len(modulus);
            pss_verify(&em, mod_bits, hash, *mgf1_hash, *salt_len, digest_value)
        }
        (PublicKey::Ec { curve, point }, SignatureScheme::Ecdsa { .. }) => {
            ecdsa_verify(curve, point, digest_value, signature)
        }
        (PublicKey::Other { oid }, _) => Err(SignatureError::Unsupported(format!(
            "public key algorithm {oid}"
        ))),
        (PublicKey::Rsa { .. }, SignatureScheme::Ecdsa { .. }) => Err(SignatureError::KeyMismatch(
            "RSA key, ECDSA signature".into(),
        )),
        (PublicKey::Ec { .. }, _) => {
            Err(SignatureError::KeyMismatch("EC key, RSA signature".into()))
        }
    }
}

/// RSA with PKCS#1 v1.5 type-1 padding around `message` itself, without a DigestInfo: what
/// a chip returns to INTERNAL AUTHENTICATE (the CIE's answer to a challenge).
pub fn verify_pkcs1v15_unhashed(
    spki_der: &[u8],
    message: &[u8],
    signature: &[u8],
) -> Result<(), SignatureError> {
    let PublicKey::Rsa { modulus, exponent } = parse_spki(spki_der)? else {
        return Err(SignatureError::KeyMismatch("not an RSA key".into()));
    };
    let em = rsa_public(modulus, exponent, signature)?;
    let pad = em
        .len()
        .checked_sub(message.len() + 3)
        .filter(|p| *p >= 8)
        .ok_or(SignatureError::Invalid)?;
    let mut expected = Vec::with_capacity(em.len());
    expected.extend_from_slice(&[0x00, 0x01]);
    expected.extend(std::iter::repeat_n(0xFF, pad));
    expected.push(0x00);
    expected.extend_from_slice(message);
    if expected == em {
        Ok(())
    } else {
        Err(SignatureError::Invalid)
    }
}

fn bit_len(bytes: &[u8]) -> usize {
    bytes.first().map_or(0, |b| {
        (bytes.len() - 1) * 8 + (8 - b.leading_zeros() as usize)
    })
}

/// The RSA public operation s^e mod n, as a big-endian block of the modulus length.
fn rsa_public(
    modulus: &[u8],
    exponent: &[u8],
    signature: &[u8],
) -> Result<Vec<u8>, SignatureError> {
    let k = modulus.len();
    // RFC 8017 8.2.2: the signature has the modulus length. A shorter one is tolerated
    // (some tokens strip leading zero octets), a longer one never, zeros or not.
    let sig = {
        let skip = signature.iter().take_while(|b| **b == 0).count();
        &signature[skip..]
    };
    if signature.len() > k || sig.len() > k || signature.is_empty() {
        return Err(SignatureError::Invalid);
    }
    let precision =
        u32::try_from(k * 8).map_err(|_| SignatureError::BadKey("modulus too large".into()))?;
    let n = BoxedUint::from_be_slice(modulus, precision)
        .map_err(|_| SignatureError::BadKey("modulus".into()))?;
    let e = BoxedUint::from_be_slice(exponent, precision)
        .map_err(|_| SignatureError::BadKey("exponent".into()))?;
    let key = RsaPublicKey::new_with_max_size(n, e, 16384)
        .map_err(|e| SignatureError::BadKey(e.to_string()))?;
    let s = BoxedUint::from_be_slice(sig, precision).map_err(|_| SignatureError::Invalid)?;
    if s >= *key.n().as_ref() {
        return Err(SignatureError::Invalid);
    }
    let m = rsa::hazmat::rsa_encrypt(&key, &s).map_err(|_| SignatureError::Invalid)?;
    let bytes = m.to_be_bytes();
    // to_be_bytes has the precision's length; keep the last k bytes.
    let start = bytes.len().saturating_sub(k);
    let mut em = vec![0u8; k.saturating_sub(bytes.len() - start)];
    em.extend_from_slice(&bytes[start..]);
    Ok(em)
}

/// DER DigestInfo for `hash`, with or without the NULL parameters.
pub(crate) fn digest_info(hash: DigestAlgorithm, digest_value: &[u8], with_null: bool) -> Vec<u8> {
    let oid = hash.oid();
    let oid_bytes = oid.as_bytes();
    let mut alg = vec![0x06, oid_bytes.len() as u8];
    alg.extend_from_slice(oid_bytes);
    if with_null {
        alg.extend_from_slice(&[0x05, 0x00]);
    }
    let mut alg_seq = vec![0x30, alg.len() as u8];
    alg_seq.extend_from_slice(&alg);
    let mut body = alg_seq;
    body.push(0x04);
    body.push(digest_value.len() as u8);
    body.extend_from_slice(digest_value);
    let mut out = vec![0x30, body.len() as u8];
    out.extend_from_slice(&body);
    out
}

fn emsa_pkcs1v15(
    em_len: usize,
    hash: DigestAlgorithm,
    digest_value: &[u8],
    with_null: bool,
) -> Option<Vec<u8>> {
    let t = digest_info(hash, digest_value, with_null);
    let pad = em_len.checked_sub(t.len() + 3).filter(|p| *p >= 8)?;
    let mut expected = Vec::with_capacity(em_len);
    expected.extend_from_slice(&[0x00, 0x01]);
    expected.extend(std::iter::repeat_n(0xFF, pad));
    expected.push(0x00);
    expected.extend_from_slice(&t);
    Some(expected)
}

/// EMSA-PKCS1-v1_5 check (RFC 8017 9.2): 00 01 FF..FF 00 DigestInfo, compared whole.
/// Strict like OpenSSL and BouncyCastle (and so EU DSS): the DigestInfo algorithm carries
/// NULL parameters, SHA-3 included. The form without them is refused, but named.
fn pkcs1v15_matches(
    em: &[u8],
    hash: DigestAlgorithm,
    digest_value: &[u8],
) -> Result<(), SignatureError> {
    if emsa_pkcs1v15(em.len(), hash, digest_value, true).as_deref() == Some(em) {
        return Ok(());
    }
    if emsa_pkcs1v15(em.len(), hash, digest_value, false).as_deref() == Some(em) {
        return Err(SignatureError::NonCanonicalEncoding(
            "its DigestInfo omits the NULL parameters that PKCS#1 v1.5 requires",
        ));
    }
    Err(SignatureError::Invalid)
}

fn mgf1(seed: &[u8], len: usize, hash: DigestAlgorithm) -> Vec<u8> {
    let mut out = Vec::with_capacity(len + hash.output_len());
    let mut counter: u32 = 0;
    while out.len() < len {
        let mut h = Hasher::new(hash);
        h.update(seed);
        h.update(&counter.to_be_bytes());
        out.extend_from_slice(&h.finalize());
        counter = counter.wrapping_add(1);
    }
    out.truncate(len);
    out
}

/// EMSA-PSS-VERIFY (RFC 8017 9.1.2).
fn pss_verify(
    em_full: &[u8],
    mod_bits: usize,
    hash: DigestAlgorithm,
    mgf_hash: DigestAlgorithm,
    salt_len: usize,
    m_hash: &[u8],
) -> Result<(), SignatureError> {
    let em_bits = mod_bits.saturating_sub(1);
    let em_len = em_bits.div_ceil(8);
    // When modBits-1 is a multiple of 8 the encoded message is one octet shorter.
    let em = match em_full.len().checked_sub(em_len) {
        Some(0) => em_full,
        Some(1) if em_full.first() == Some(&0) => &em_full[1..],
        _ => return Err(SignatureError::Invalid),
    };
    let h_len = hash.output_len();
    if em_len < h_len + salt_len + 2 || em.last() != Some(&0xBC) {
        return Err(SignatureError::Invalid);
    }
    let masked_db = &em[..em_len - h_len - 1];
    let h = &em[em_len - h_len - 1..em_len - 1];
    let unused_bits = 8 * em_len - em_bits;
    let top_mask = 0xFFu8.checked_shr(unused_bits as u32).unwrap_or(0);
    if masked_db.first().is_some_and(|b| b & !top_mask != 0) {
        return Err(SignatureError::Invalid);
    }
    let db_mask = mgf1(h, masked_db.len(), mgf_hash);
    let mut db: Vec<u8> = masked_db.iter().zip(&db_mask).map(|(a, b)| a ^ b).collect();
    if let Some(first) = db.first_mut() {
        *first &= top_mask;
    }
    let ps_len = em_len - h_len - salt_len - 2;
    if db[..ps_len].iter().any(|b| *b != 0) || db.get(ps_len) != Some(&0x01) {
        return Err(SignatureError::Invalid);
    }
    let salt = &db[db.len() - salt_len..];
    let mut m_prime = Hasher::new(hash);
    m_prime.update(&[0u8; 8]);
    m_prime.update(m_hash);
    m_prime.update(salt);
    if m_prime.finalize() == h {
        Ok(())
    } else {
        Err(SignatureError::Invalid)
    }
}

fn ecdsa_verify(
    curve: Curve,
    point: &[u8],
    prehash: &[u8],
    sig: &[u8],
) -> Result<(), SignatureError> {
    macro_rules! verify_on {
        ($curve:ident) => {{
            let key = $curve::ecdsa::VerifyingKey::from_sec1_bytes(point)
                .map_err(|_| SignatureError::BadKey("invalid EC point".into()))?;
            // DER Ecdsa-Sig-Value in CMS; raw r||s from PKCS#11 tokens.
            let signature = $curve::ecdsa::Signature::from_der(sig)
                .or_else(|_| $curve::ecdsa::Signature::from_slice(sig))
                .map_err(|_| SignatureError::Invalid)?;
            key.verify_prehash(prehash, &signature)
                .map_err(|_| SignatureError::Invalid)
        }};
    }
    match curve {
        Curve::P256 => verify_on!(p256),
        Curve::P384 => verify_on!(p384),
        Curve::P521 => verify_on!(p521),
    }
}
