//! Public keys from SubjectPublicKeyInfo: what kind and how large (for the crypto policy),
//! and the parts the signature math needs.

use serde::Serialize;

use crate::envelope::ber::{tags, Tlv};

use super::algorithms::{EC_PUBLIC_KEY, RSASSA_PSS, RSA_ENCRYPTION};

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub enum PublicKeyKind {
    Rsa { bits: usize },
    Ec { curve: String, bits: usize },
    Other { oid: String },
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum KeyError {
    #[error("malformed public key: {0}")]
    Malformed(&'static str),
    #[error("unsupported elliptic curve {0}")]
    UnsupportedCurve(String),
}

/// The parts of a public key the verifier works with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PublicKey<'a> {
    Rsa {
        modulus: &'a [u8],
        exponent: &'a [u8],
    },
    Ec {
        curve: Curve,
        point: &'a [u8],
    },
    Other {
        oid: String,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Curve {
    P256,
    P384,
    P521,
}

impl Curve {
    pub fn name(self) -> &'static str {
        match self {
            Curve::P256 => "P-256",
            Curve::P384 => "P-384",
            Curve::P521 => "P-521",
        }
    }
    pub fn bits(self) -> usize {
        match self {
            Curve::P256 => 256,
            Curve::P384 => 384,
            Curve::P521 => 521,
        }
    }
}

fn strip_zeros(bytes: &[u8]) -> &[u8] {
    let skip = bytes.iter().take_while(|b| **b == 0).count();
    &bytes[skip..]
}

/// Reads a DER SubjectPublicKeyInfo.
pub fn parse_spki(spki_der: &[u8]) -> Result<PublicKey<'_>, KeyError> {
    let bad = KeyError::Malformed;
    let (spki, _) = Tlv::parse_prefix(spki_der).map_err(|_| bad("not DER"))?;
    let mut fields = spki.children().map_err(|_| bad("not a SEQUENCE"))?;
    let alg = fields
        .expect_universal(tags::SEQUENCE, "algorithm")
        .map_err(|_| bad("no algorithm"))?;
    let mut alg_fields = alg.children().map_err(|_| bad("algorithm"))?;
    let oid = alg_fields
        .next()
        .and_then(|t| t.oid())
        .map_err(|_| bad("algorithm OID"))?;
    let params = alg_fields.next_opt().map_err(|_| bad("parameters"))?;
    let bits = fields
        .expect_universal(tags::BIT_STRING, "subjectPublicKey")
        .map_err(|_| bad("no key bits"))?;
    let key = match bits.value.split_first() {
        Some((0, rest)) => rest,
        _ => return Err(bad("key bit string has unused bits")),
    };
    let text = oid.to_string();
    if text == RSA_ENCRYPTION || text == RSASSA_PSS {
        let (rsa, _) = Tlv::parse_prefix(key).map_err(|_| bad("RSA key"))?;
        let mut parts = rsa.children().map_err(|_| bad("RSA key"))?;
        let modulus = parts
            .expect_universal(tags::INTEGER, "modulus")
            .map_err(|_| bad("RSA modulus"))?
            .value;
        let exponent = parts
            .expect_universal(tags::INTEGER, "exponent")
            .map_err(|_| bad("RSA exponent"))?
            .value;
        return Ok(PublicKey::Rsa {
            modulus: strip_zeros(modulus),
            exponent: strip_zeros(exponent),
        });
    }
    if text == EC_PUBLIC_KEY {
        let curve_oid = params
            .and_then(|p| p.oid().ok())
            .ok_or(bad("EC key without a named curve"))?
            .to_string();
        let curve = match curve_oid.as_str() {
            "1.2.840.10045.3.1.7" => Curve::P256,
            "1.3.132.0.34" => Curve::P384,
            "1.3.132.0.35" => Curve::P521,
            _ => return Err(KeyError::UnsupportedCurve(curve_oid)),
        };
        return Ok(PublicKey::Ec { curve, point: key });
    }
    Ok(PublicKey::Other { oid: text })
}

/// Curves this verifier cannot check, known by name and size for reports and policy.
const OTHER_CURVES: [(&str, &str, usize); 6] = [
    ("1.2.840.10045.3.1.1", "P-192", 192),
    ("1.3.132.0.33", "P-224", 224),
    ("1.3.132.0.10", "secp256k1", 256),
    ("1.3.36.3.3.2.8.1.1.7", "brainpoolP256r1", 256),
    ("1.3.36.3.3.2.8.1.1.11", "brainpoolP384r1", 384),
    ("1.3.36.3.3.2.8.1.1.13", "brainpoolP512r1", 512),
];

pub fn public_key_kind(spki_der: &[u8]) -> Result<PublicKeyKind, KeyError> {
    let parsed = match parse_spki(spki_der) {
        Err(KeyError::UnsupportedCurve(oid)) => {
            return OTHER_CURVES
                .iter()
                .find(|(o, _, _)| *o == oid)
                .map(|(_, name, bits)| PublicKeyKind::Ec {
                    curve: (*name).to_string(),
                    bits: *bits,
                })
                .ok_or(KeyError::UnsupportedCurve(oid));
        }
        other => other?,
    };
    Ok(match parsed {
        PublicKey::Rsa { modulus, .. } => {
            let lead_bits = modulus
                .first()
                .map_or(0, |b| 8 - b.leading_zeros() as usize);
            PublicKeyKind::Rsa {
                bits: modulus.len().saturating_sub(1) * 8 + lead_bits,
            }
        }
        PublicKey::Ec { curve, .. } => PublicKeyKind::Ec {
            curve: curve.name().into(),
            bits: curve.bits(),
        },
        PublicKey::Other { oid } => PublicKeyKind::Other { oid },
    })
}
