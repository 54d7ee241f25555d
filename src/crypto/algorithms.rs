//! Digest and signature algorithms by object identifier, as CMS SignerInfos name them.

use const_oid::ObjectIdentifier as Oid;
use serde::Serialize;

use crate::envelope::ber::{tags, Tlv};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub enum DigestAlgorithm {
    Md5,
    Sha1,
    Sha224,
    Sha256,
    Sha384,
    Sha512,
    Sha3_224,
    Sha3_256,
    Sha3_384,
    Sha3_512,
}

const DIGESTS: [(DigestAlgorithm, &str, &str, usize); 10] = [
    (DigestAlgorithm::Md5, "1.2.840.113549.2.5", "MD5", 16),
    (DigestAlgorithm::Sha1, "1.3.14.3.2.26", "SHA-1", 20),
    (
        DigestAlgorithm::Sha224,
        "2.16.840.1.101.3.4.2.4",
        "SHA-224",
        28,
    ),
    (
        DigestAlgorithm::Sha256,
        "2.16.840.1.101.3.4.2.1",
        "SHA-256",
        32,
    ),
    (
        DigestAlgorithm::Sha384,
        "2.16.840.1.101.3.4.2.2",
        "SHA-384",
        48,
    ),
    (
        DigestAlgorithm::Sha512,
        "2.16.840.1.101.3.4.2.3",
        "SHA-512",
        64,
    ),
    (
        DigestAlgorithm::Sha3_224,
        "2.16.840.1.101.3.4.2.7",
        "SHA3-224",
        28,
    ),
    (
        DigestAlgorithm::Sha3_256,
        "2.16.840.1.101.3.4.2.8",
        "SHA3-256",
        32,
    ),
    (
        DigestAlgorithm::Sha3_384,
        "2.16.840.1.101.3.4.2.9",
        "SHA3-384",
        48,
    ),
    (
        DigestAlgorithm::Sha3_512,
        "2.16.840.1.101.3.4.2.10",
        "SHA3-512",
        64,
    ),
];

/// Signature OIDs that imply their hash: (OID, family, hash).
const SIGNATURES: [(&str, Family, DigestAlgorithm); 19] = [
    ("1.2.840.113549.1.1.4", Family::Rsa, DigestAlgorithm::Md5),
    ("1.2.840.113549.1.1.5", Family::Rsa, DigestAlgorithm::Sha1),
    (
        "1.2.840.113549.1.1.14",
        Family::Rsa,
        DigestAlgorithm::Sha224,
    ),
    (
        "1.2.840.113549.1.1.11",
        Family::Rsa,
        DigestAlgorithm::Sha256,
    ),
    (
        "1.2.840.113549.1.1.12",
        Family::Rsa,
        DigestAlgorithm::Sha384,
    ),
    (
        "1.2.840.113549.1.1.13",
        Family::Rsa,
        DigestAlgorithm::Sha512,
    ),
    (
        "2.16.840.1.101.3.4.3.13",
        Family::Rsa,
        DigestAlgorithm::Sha3_224,
    ),
    (
        "2.16.840.1.101.3.4.3.14",
        Family::Rsa,
        DigestAlgorithm::Sha3_256,
    ),
    (
        "2.16.840.1.101.3.4.3.15",
        Family::Rsa,
        DigestAlgorithm::Sha3_384,
    ),
    (
        "2.16.840.1.101.3.4.3.16",
        Family::Rsa,
        DigestAlgorithm::Sha3_512,
    ),
    ("1.2.840.10045.4.1", Family::Ecdsa, DigestAlgorithm::Sha1),
    (
        "1.2.840.10045.4.3.1",
        Family::Ecdsa,
        DigestAlgorithm::Sha224,
    ),
    (
        "1.2.840.10045.4.3.2",
        Family::Ecdsa,
        DigestAlgorithm::Sha256,
    ),
    (
        "1.2.840.10045.4.3.3",
        Family::Ecdsa,
        DigestAlgorithm::Sha384,
    ),
    (
        "1.2.840.10045.4.3.4",
        Family::Ecdsa,
        DigestAlgorithm::Sha512,
    ),
    (
        "2.16.840.1.101.3.4.3.9",
        Family::Ecdsa,
        DigestAlgorithm::Sha3_224,
    ),
    (
        "2.16.840.1.101.3.4.3.10",
        Family::Ecdsa,
        DigestAlgorithm::Sha3_256,
    ),
    (
        "2.16.840.1.101.3.4.3.11",
        Family::Ecdsa,
        DigestAlgorithm::Sha3_384,
    ),
    (
        "2.16.840.1.101.3.4.3.12",
        Family::Ecdsa,
        DigestAlgorithm::Sha3_512,
    ),
];

pub const RSA_ENCRYPTION: &str = "1.2.840.113549.1.1.1";
pub const RSASSA_PSS: &str = "1.2.840.113549.1.1.10";
pub const MGF1: &str = "1.2.840.113549.1.1.8";
pub const EC_PUBLIC_KEY: &str = "1.2.840.10045.2.1";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Family {
    Rsa,
    Ecdsa,
}

fn oid(text: &str) -> Option<Oid> {
    Oid::new(text).ok()
}

impl DigestAlgorithm {
    /// Also accepts a signature OID in a digest field, a mistake some old tools made.
    pub fn from_oid(o: &Oid) -> Option<Self> {
        DIGESTS
            .iter()
            .find(|(_, text, _, _)| oid(text).as_ref() == Some(o))
            .map(|(alg, ..)| *alg)
            .or_else(|| {
                SIGNATURES
                    .iter()
                    .find(|(text, ..)| oid(text).as_ref() == Some(o))
                    .map(|(_, _, alg)| *alg)
            })
    }

    fn entry(&self) -> &'static (DigestAlgorithm, &'static str, &'static str, usize) {
        // Every variant is in the table; the fallback only keeps this total.
        DIGESTS
            .iter()
            .find(|(alg, ..)| alg == self)
            .unwrap_or(&DIGESTS[3])
    }

    pub fn oid(&self) -> Oid {
        oid(self.entry().1).unwrap_or(const_oid::db::rfc5912::ID_SHA_256)
    }

    pub fn name(&self) -> &'static str {
        self.entry().2
    }

    pub fn output_len(&self) -> usize {
        self.entry().3
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub enum SignatureScheme {
    /// `rsaEncryption` (hash `None`: SignerInfo.digestAlgorithm decides) or an RSA OID
    /// naming its hash.
    RsaPkcs1v15 {
        hash: Option<DigestAlgorithm>,
    },
    RsaPss {
        hash: DigestAlgorithm,
        mgf1_hash: DigestAlgorithm,
        salt_len: usize,
    },
    Ecdsa {
        hash: Option<DigestAlgorithm>,
    },
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AlgorithmError {
    #[error("unknown signature algorithm {0}")]
    Unknown(String),
    #[error("malformed RSASSA-PSS parameters: {0}")]
    BadPssParams(&'static str),
    #[error("unsupported hash {0} in RSASSA-PSS parameters")]
    UnsupportedHash(String),
}

impl SignatureScheme {
    pub fn from_algorithm(o: &Oid, params_der: Option<&[u8]>) -> Result<Self, AlgorithmError> {
        if oid(RSA_ENCRYPTION).as_ref() == Some(o) {
            return Ok(SignatureScheme::RsaPkcs1v15 { hash: None });
        }
        if oid(EC_PUBLIC_KEY).as_ref() == Some(o) {
            return Ok(SignatureScheme::Ecdsa { hash: None });
        }
        if oid(RSASSA_PSS).as_ref() == Some(o) {
            return parse_pss_params(params_der);
        }
        SIGNATURES
            .iter()
            .find(|(text, ..)| oid(text).as_ref() == Some(o))
            .map(|(_, family, hash)| match family {
                Family::Rsa => SignatureScheme::RsaPkcs1v15 { hash: Some(*hash) },
                Family::Ecdsa => SignatureScheme::Ecdsa { hash: Some(*hash) },
            })
            .ok_or_else(|| AlgorithmError::Unknown(o.to_string()))
    }

    pub fn implied_hash(&self) -> Option<DigestAlgorithm> {
        match self {
            SignatureScheme::RsaPkcs1v15 { hash } | SignatureScheme::Ecdsa { hash } => *hash,
            SignatureScheme::RsaPss { hash, .. } => Some(*hash),
        }
    }

    pub fn name(&self) -> String {
        match self {
            SignatureScheme::RsaPkcs1v15 { hash: Some(h) } => {
                format!("RSA PKCS#1 v1.5 with {}", h.name())
            }
            SignatureScheme::RsaPkcs1v15 { hash: None } => "RSA PKCS#1 v1.5".into(),
            SignatureScheme::RsaPss {
                hash,
                mgf1_hash,
                salt_len,
            } => format!(
                "RSASSA-PSS ({}, MGF1 {}, salt {salt_len})",
                hash.name(),
                mgf1_hash.name()
            ),
            SignatureScheme::Ecdsa { hash: Some(h) } => format!("ECDSA with {}", h.name()),
            SignatureScheme::Ecdsa { hash: None } => "ECDSA".into(),
        }
    }
}

fn hash_of_algorithm_id(tlv: &Tlv<'_>) -> Result<DigestAlgorithm, AlgorithmError> {
    let o = tlv
        .children()
        .and_then(|mut r| r.expect_universal(tags::OID, "algorithm"))
        .and_then(|t| t.oid())
        .map_err(|_| AlgorithmError::BadPssParams("hash algorithm"))?;
    DigestAlgorithm::from_oid(&o).ok_or_else(|| AlgorithmError::UnsupportedHash(o.to_string()))
}

/// RSASSA-PSS-params (RFC 4055): every field has a default (SHA-1, MGF1-SHA-1, 20, 1).
fn parse_pss_params(params: Option<&[u8]>) -> Result<SignatureScheme, AlgorithmError> {
    let mut hash = DigestAlgorithm::Sha1;
    let mut mgf1_hash = DigestAlgorithm::Sha1;
    let mut salt_len = 20usize;
    let bad = AlgorithmError::BadPssParams;
    if let Some(der) = params {
        let (seq, _) = Tlv::parse_prefix(der).map_err(|_| bad("not DER"))?;
        if !seq.tag.is_universal(tags::NULL) {
            let mut fields = seq.children().map_err(|_| bad("not a SEQUENCE"))?;
            while let Some(field) = fields.next_opt().map_err(|_| bad("field"))? {
                let inner = field
                    .children()
                    .and_then(|mut r| r.next())
                    .map_err(|_| bad("explicit tag"))?;
                match field.tag.number {
                    0 => hash = hash_of_algorithm_id(&inner)?,
                    1 => {
                        let mut mgf = inner.children().map_err(|_| bad("mask generation"))?;
                        let mgf_oid = mgf
                            .next()
                            .and_then(|t| t.oid())
                            .map_err(|_| bad("mask generation"))?;
                        if oid(MGF1).as_ref() != Some(&mgf_oid) {
                            return Err(bad("mask generation function is not MGF1"));
                        }
                        let mgf_hash = mgf.next().map_err(|_| bad("MGF1 hash"))?;
                        mgf1_hash = hash_of_algorithm_id(&mgf_hash)?;
                    }
                    2 => {
                        let n = inner.small_uint().map_err(|_| bad("salt length"))?;
                        salt_len = usize::try_from(n).map_err(|_| bad("salt length"))?;
                    }
                    3 => {
                        if inner.small_uint().ok() != Some(1) {
                            return Err(bad("trailer field must be 1"));
                        }
                    }
                    _ => return Err(bad("unknown field")),
                }
            }
        }
    }
    Ok(SignatureScheme::RsaPss {
        hash,
        mgf1_hash,
        salt_len,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn oids_round_trip() {
        for (alg, ..) in DIGESTS {
            assert_eq!(DigestAlgorithm::from_oid(&alg.oid()), Some(alg));
        }
        let sha256_rsa = Oid::new_unwrap("1.2.840.113549.1.1.11");
        assert_eq!(
            SignatureScheme::from_algorithm(&sha256_rsa, None),
            Ok(SignatureScheme::RsaPkcs1v15 {
                hash: Some(DigestAlgorithm::Sha256)
            })
        );
        // Some tools put the signature OID where the digest OID belongs.
        assert_eq!(
            DigestAlgorithm::from_oid(&sha256_rsa),
            Some(DigestAlgorithm::Sha256)
        );
    }

    #[test]
    fn pss_defaults_and_params() {
        let pss = Oid::new_unwrap(RSASSA_PSS);
        assert_eq!(
            SignatureScheme::from_algorithm(&pss, None),
            Ok(SignatureScheme::RsaPss {
                hash: DigestAlgorithm::Sha1,
                mgf1_hash: DigestAlgorithm::Sha1,
                salt_len: 20
            })
        );
        // SHA-256, MGF1-SHA-256, salt 32 (as OpenSSL writes them).
        let params = hex::decode(
            "3034a00f300d06096086480165030402010500a11c301a06092a864886f70d010108300d06096086480165030402010500a203020120",
        )
        .unwrap();
        assert_eq!(
            SignatureScheme::from_algorithm(&pss, Some(&params)),
            Ok(SignatureScheme::RsaPss {
                hash: DigestAlgorithm::Sha256,
                mgf1_hash: DigestAlgorithm::Sha256,
                salt_len: 32
            })
        );
        assert!(
            SignatureScheme::from_algorithm(&pss, Some(&[0x30, 0x03, 0xA0, 0x01, 0x00])).is_err()
        );
    }
}
