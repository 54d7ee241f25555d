//! Authenticating a card holder through a PKCS#11 token: the same evidence record as the
//! native CNS path (`card_kind: pkcs11`). A fresh challenge from the OS is signed by the
//! token's authentication key; the desk checks the signature with the certificate's key, the
//! certificate's path to a trusted anchor now, and reads the codice fiscale from the
//! certificate. The key is logged out and its session closed before this returns.

use std::path::Path;

use base64::Engine;
use der::{Decode, Encode};
use time::OffsetDateTime;
use x509_cert::Certificate;

use super::key::{KeyRequest, Pkcs11Key};
use super::objects::KeyChoice;
use super::pin_rule::PinRule;
use crate::card::auth::{AuthCheck, AuthCheckKind, AuthEvidence, Verdict};
use crate::card::error::CardError;
use crate::card::pin::Pin;
use crate::card::reading::CardKind;
use crate::card::signing_key::{KeyKind, SigningKey};
use crate::crypto::algorithms::{DigestAlgorithm, SignatureScheme};
use crate::crypto::digest::digest;
use crate::crypto::signature_math::verify_digest;
use crate::envelope::asn1_time::rfc3339;
use crate::trust::anchors::TrustStore;
use crate::verify::chain::{validate, ChainStatus};

/// Bytes of challenge: as long as the SHA-256 it is hashed into.
const CHALLENGE_LEN: usize = 32;

/// Which token authenticates its holder.
#[derive(Debug, Clone)]
pub struct TokenAuthRequest<'a> {
    pub module: &'a Path,
    /// Label or serial; None: the only token present.
    pub token: Option<&'a str>,
    pub confirm_last_try: bool,
    /// None: the rule of the profile that describes the token.
    pub pin_rule: Option<PinRule>,
}

/// PIN, challenge, signature, checks. Token and PIN problems are errors; a completed
/// exchange is evidence, PASSED or FAILED with its reasons.
pub fn authenticate_token(
    request: &TokenAuthRequest<'_>,
    pin: &Pin,
    anchors: &TrustStore,
    now: OffsetDateTime,
) -> Result<AuthEvidence, CardError> {
    let mut key = Pkcs11Key::open(
        &KeyRequest {
            module: request.module,
            token: request.token,
            key: KeyChoice::Authentication,
            pin_rule: request.pin_rule.clone(),
            confirm_last_try: request.confirm_last_try,
        },
        pin,
    )?;
    let mut challenge = [0u8; CHALLENGE_LEN];
    getrandom::fill(&mut challenge)
        .map_err(|e| CardError::Transport(format!("no randomness from the OS: {e}")))?;
    let hashed = digest(DigestAlgorithm::Sha256, &challenge);
    let signature = key.sign_digest(DigestAlgorithm::Sha256, &hashed)?;
    let evidence = judge(&key, &challenge, &hashed, &signature, anchors, now);
    // Logged out and closed before the evidence leaves.
    drop(key);
    Ok(evidence)
}

fn judge(
    key: &Pkcs11Key,
    challenge: &[u8],
    hashed: &[u8],
    signature: &[u8],
    anchors: &TrustStore,
    now: OffsetDateTime,
) -> AuthEvidence {
    let der = key.certificate_der();
    let token = key.token();
    let mut checks = Vec::new();
    let cert = Certificate::from_der(der);
    let identity = cert
        .as_ref()
        .ok()
        .map(|c| crate::identity::signer_identity(c, der));

    let scheme = match key.key_kind() {
        KeyKind::Rsa { .. } => SignatureScheme::RsaPkcs1v15 {
            hash: Some(DigestAlgorithm::Sha256),
        },
        KeyKind::Ec { .. } => SignatureScheme::Ecdsa {
            hash: Some(DigestAlgorithm::Sha256),
        },
    };
    let spki = cert
        .as_ref()
        .ok()
        .and_then(|c| c.tbs_certificate().subject_public_key_info().to_der().ok())
        .unwrap_or_default();
    let sig = verify_digest(&spki, &scheme, DigestAlgorithm::Sha256, hashed, signature);
    checks.push(AuthCheck {
        check: AuthCheckKind::CardSignature,
        passed: sig.is_ok(),
        detail: match &sig {
            Ok(()) => "the token signed the challenge with the certificate's key".into(),
            Err(e) => format!("the token's signature of the challenge: {e}"),
        },
    });

    let (chain_ok, chain_detail) = match &cert {
        Ok(c) => {
            let chain = validate(c, der, &[], anchors, now, now);
            (
                chain.status == ChainStatus::Trusted,
                if anchors.is_empty() {
                    "no trust anchors are configured".into()
                } else {
                    chain.message
                },
            )
        }
        Err(e) => (
            false,
            format!("the token's certificate does not parse: {e}"),
        ),
    };
    checks.push(AuthCheck {
        check: AuthCheckKind::CertificatePath,
        passed: chain_ok,
        detail: chain_detail,
    });

    // No personal data file to compare with: the certificate's code must be there and valid.
    let cf = identity.as_ref().and_then(|i| i.codice_fiscale.as_ref());
    checks.push(AuthCheck {
        check: AuthCheckKind::CodiceFiscale,
        passed: cf.is_some_and(|f| f.valid),
        detail: match cf {
            None => "the certificate carries no codice fiscale".into(),
            Some(f) if !f.valid => format!(
                "the certificate's codice fiscale {} is invalid: {}",
                f.value,
                f.problem.clone().unwrap_or_default()
            ),
            Some(f) => format!("codice fiscale {} in the certificate", f.value),
        },
    });

    // A CNS through OpenSC: CN `<CF>/<card serial>.<hash>`, and the token serial is the card's.
    if let Some(cn_serial) = identity
        .as_ref()
        .and_then(|i| i.common_name.as_deref())
        .and_then(|cn| cn.split_once('/'))
        .map(|(_, rest)| rest.split('.').next().unwrap_or_default().to_string())
    {
        let same = cn_serial == token.serial;
        checks.push(AuthCheck {
            check: AuthCheckKind::CardSerial,
            passed: same,
            detail: if same {
                format!(
                    "card serial {} in the certificate and on the token",
                    token.serial
                )
            } else {
                format!(
                    "the certificate is for card {cn_serial}, this token is {}",
                    token.serial
                )
            },
        });
    }

    let reasons: Vec<String> = checks
        .iter()
        .filter(|c| !c.passed)
        .map(|c| c.detail.clone())
        .collect();
    let name = identity
        .as_ref()
        .map(|i| {
            [i.given_name.clone(), i.surname.clone()]
                .into_iter()
                .flatten()
                .collect::<Vec<_>>()
                .join(" ")
        })
        .filter(|n| !n.trim().is_empty())
        .or_else(|| identity.as_ref().and_then(|i| i.common_name.clone()))
        .unwrap_or_else(|| token.label.clone());
    AuthEvidence {
        card_kind: CardKind::Pkcs11,
        profile: key.profile_id().unwrap_or("pkcs11").to_string(),
        reader: if token.slot_description.is_empty() {
            key.module_path().to_string()
        } else {
            format!("{} ({})", token.slot_description, key.module_path())
        },
        atr_hex: String::new(),
        serial: token.serial.clone(),
        certificate_sha256: identity
            .as_ref()
            .map(|i| i.sha256_fingerprint.clone())
            .unwrap_or_default(),
        certificate_subject: identity
            .as_ref()
            .map(|i| i.subject.clone())
            .unwrap_or_default(),
        certificate_issuer: identity
            .as_ref()
            .map(|i| i.issuer.clone())
            .unwrap_or_default(),
        certificate_b64: base64::engine::general_purpose::STANDARD.encode(der),
        codice_fiscale: cf.map(|f| f.value.clone()),
        // A token has no EF_DatiPersonali: the certificate is the only source.
        personal_data_codice_fiscale: String::new(),
        name: name.trim().to_string(),
        challenge_hex: hex::encode(challenge),
        signature_hex: hex::encode(signature),
        time: rfc3339(now),
        verdict: if reasons.is_empty() {
            Verdict::Passed
        } else {
            Verdict::Failed
        },
        checks,
        reasons,
    }
}
