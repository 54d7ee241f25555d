//! Certificates on a token and the private keys that go with them (same `CKA_ID`), and the
//! choice of a key: by id, "the signing key" (an Italian signature card carries a qualified
//! key besides the authentication key: its certificate has nonRepudiation) or the
//! authentication key.

use cryptoki::object::{Attribute, AttributeType, CertificateType, ObjectClass, ObjectHandle};
use cryptoki::session::Session;
use der::Decode;
use x509_cert::Certificate;

use super::registry::Module;
use crate::card::error::CardError;
use crate::card::signing_key::KeyKind;
use crate::crypto::keys::{parse_spki, PublicKey};

/// Which key of the token.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum KeyChoice {
    /// `CKA_ID`.
    Id(Vec<u8>),
    /// The qualified signature key where there is one (nonRepudiation), else the only key.
    Signing,
    /// The authentication key (digitalSignature without nonRepudiation) where there is one.
    Authentication,
}

/// A certificate and, when visible, its private key.
#[derive(Debug, Clone)]
pub struct CertifiedKey {
    pub id: Vec<u8>,
    pub label: String,
    pub certificate_der: Vec<u8>,
    /// None: no private key with this id (or not visible without the PIN).
    pub key: Option<ObjectHandle>,
    /// `CKA_ALWAYS_AUTHENTICATE` of the key (None when the key is not visible or does not say).
    pub always_authenticate: Option<bool>,
    pub key_usage: Vec<String>,
}

impl CertifiedKey {
    pub fn signs_qualified(&self) -> bool {
        self.key_usage.iter().any(|u| u == "nonRepudiation")
    }
}

/// The certificate's key, as a signer wants to show it.
pub fn key_kind(certificate_der: &[u8]) -> Result<KeyKind, CardError> {
    let cert = Certificate::from_der(certificate_der)
        .map_err(|e| CardError::malformed(format!("token certificate: {e}")))?;
    let spki = der::Encode::to_der(cert.tbs_certificate().subject_public_key_info())
        .map_err(|e| CardError::malformed(format!("token certificate key: {e}")))?;
    match parse_spki(&spki).map_err(|e| CardError::malformed(e.to_string()))? {
        PublicKey::Rsa { modulus, .. } => Ok(KeyKind::Rsa {
            bits: modulus.first().map_or(0, |b| {
                (modulus.len() - 1) * 8 + (8 - b.leading_zeros() as usize)
            }),
        }),
        PublicKey::Ec { curve, .. } => Ok(KeyKind::Ec {
            curve: curve.name(),
        }),
        PublicKey::Other { oid } => Err(CardError::malformed(format!(
            "the certificate's key ({oid}) is neither RSA nor EC"
        ))),
    }
}

fn key_usage(der: &[u8]) -> Vec<String> {
    Certificate::from_der(der)
        .map(|c| crate::identity::signer_identity(&c, der).key_usage)
        .unwrap_or_default()
}

/// Every X.509 certificate on the token with its private key (keys are found only after
/// login on most tokens).
pub fn certified_keys(module: &Module, session: &Session) -> Result<Vec<CertifiedKey>, CardError> {
    let certificates = session
        .find_objects(&[
            Attribute::Class(ObjectClass::CERTIFICATE),
            Attribute::CertificateType(CertificateType::X_509),
        ])
        .map_err(|e| module.error("C_FindObjects (certificates)", e))?;
    let mut found = Vec::new();
    for handle in certificates {
        let attributes = session
            .get_attributes(
                handle,
                &[
                    AttributeType::Id,
                    AttributeType::Label,
                    AttributeType::Value,
                ],
            )
            .map_err(|e| module.error("C_GetAttributeValue (certificate)", e))?;
        let (mut id, mut label, mut der) = (Vec::new(), String::new(), Vec::new());
        for attribute in attributes {
            match attribute {
                Attribute::Id(v) => id = v,
                Attribute::Label(v) => label = String::from_utf8_lossy(&v).trim().to_string(),
                Attribute::Value(v) => der = v,
                _ => {}
            }
        }
        if der.is_empty() {
            continue;
        }
        let (key, always_authenticate) = private_key(module, session, &id)?;
        found.push(CertifiedKey {
            key_usage: key_usage(&der),
            id,
            label,
            certificate_der: der,
            key,
            always_authenticate,
        });
    }
    Ok(found)
}

fn private_key(
    module: &Module,
    session: &Session,
    id: &[u8],
) -> Result<(Option<ObjectHandle>, Option<bool>), CardError> {
    let keys = session
        .find_objects(&[
            Attribute::Class(ObjectClass::PRIVATE_KEY),
            Attribute::Id(id.to_vec()),
        ])
        .map_err(|e| module.error("C_FindObjects (private key)", e))?;
    let Some(key) = keys.first().copied() else {
        return Ok((None, None));
    };
    // Tokens that do not know the attribute (PKCS#11 2.20) simply leave it out.
    let always = session
        .get_attributes(key, &[AttributeType::AlwaysAuthenticate])
        .ok()
        .and_then(|attributes| {
            attributes.into_iter().find_map(|a| match a {
                Attribute::AlwaysAuthenticate(b) => Some(b),
                _ => None,
            })
        });
    Ok((Some(key), always))
}

/// The key `choice` names among `keys`.
pub fn choose(
    token: &str,
    keys: Vec<CertifiedKey>,
    choice: &KeyChoice,
) -> Result<CertifiedKey, CardError> {
    let no_key = |what: String| CardError::NoKey {
        token: token.to_string(),
        what,
    };
    if let KeyChoice::Id(id) = choice {
        let entry = keys
            .into_iter()
            .find(|k| &k.id == id)
            .ok_or_else(|| no_key(format!("no certificate with id {}", hex::encode(id))))?;
        if entry.key.is_none() {
            return Err(no_key(format!(
                "no private key for the certificate with id {}",
                hex::encode(id)
            )));
        }
        return Ok(entry);
    }
    let certificates = keys.len();
    let mut usable: Vec<CertifiedKey> = keys.into_iter().filter(|k| k.key.is_some()).collect();
    if usable.is_empty() {
        return Err(no_key(if certificates == 0 {
            "no certificate".into()
        } else {
            format!("no private key for its {certificates} certificate(s)")
        }));
    }
    let preferred = usable.iter().position(|k| match choice {
        KeyChoice::Signing => k.signs_qualified(),
        _ => !k.signs_qualified(),
    });
    Ok(usable.remove(preferred.unwrap_or(0)))
}
