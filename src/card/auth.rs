//! Challenge-response authentication with a CNS: a fresh random challenge, the card signs
//! it after VERIFY, and the desk checks the signature with the certificate's key, the
//! certificate's path to a trusted anchor now, and the codice fiscale against the card's
//! personal data. The result is an [`AuthEvidence`] record for the audit log.

use base64::Engine;
use der::{Decode, Encode};
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
use x509_cert::Certificate;

use super::cns;
use super::error::CardError;
use super::pin::Pin;
use super::profile::{Driver, Profile};
use super::reading::CardKind;
use super::transport::Transport;
use crate::crypto::algorithms::{DigestAlgorithm, SignatureScheme};
use crate::crypto::digest::digest;
use crate::crypto::signature_math::verify_message;
use crate::envelope::asn1_time::rfc3339;
use crate::trust::anchors::TrustStore;
use crate::verify::chain::{validate, ChainStatus};

/// Bytes of challenge: as long as the SHA-256 it is hashed into.
const CHALLENGE_LEN: usize = 32;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Verdict {
    Passed,
    Failed,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AuthCheckKind {
    /// The card's signature of the challenge verifies with the certificate's key.
    CardSignature,
    /// The certificate chains to a trusted anchor and is valid now.
    CertificatePath,
    /// The certificate's codice fiscale equals EF_DatiPersonali field 9.
    CodiceFiscale,
    /// The card serial in the certificate's CN equals EF_IDCarta.
    CardSerial,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuthCheck {
    pub check: AuthCheckKind,
    pub passed: bool,
    /// English.
    pub detail: String,
}

/// What the desk records about one authentication.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuthEvidence {
    pub card_kind: CardKind,
    pub profile: String,
    pub reader: String,
    pub atr_hex: String,
    /// EF_IDCarta.
    pub serial: String,
    pub certificate_sha256: String,
    pub certificate_subject: String,
    pub certificate_issuer: String,
    /// The certificate itself (base64 DER), so the record can be checked again later.
    pub certificate_b64: String,
    /// From the certificate (None when it carries none).
    pub codice_fiscale: Option<String>,
    /// EF_DatiPersonali field 9, which the certificate's must equal.
    pub personal_data_codice_fiscale: String,
    pub name: String,
    pub challenge_hex: String,
    pub signature_hex: String,
    /// RFC 3339, the time the checks were made for.
    pub time: String,
    pub verdict: Verdict,
    pub checks: Vec<AuthCheck>,
    /// English sentences for the failed checks (empty when PASSED).
    pub reasons: Vec<String>,
}

impl AuthEvidence {
    pub fn passed(&self) -> bool {
        self.verdict == Verdict::Passed
    }

    /// The evidence when it passed; otherwise the first failure as an error.
    pub fn into_result(self) -> Result<AuthEvidence, CardError> {
        let Some(failed) = self.checks.iter().find(|c| !c.passed) else {
            return Ok(self);
        };
        Err(match failed.check {
            AuthCheckKind::CertificatePath => CardError::Untrusted(failed.detail.clone()),
            AuthCheckKind::CodiceFiscale => CardError::CfMismatch {
                certificate: self.codice_fiscale.clone().unwrap_or_default(),
                personal_data: self.personal_data_codice_fiscale.clone(),
            },
            _ => CardError::AuthenticationFailed(failed.detail.clone()),
        })
    }
}

/// Refuses what must not reach the card: a malformed PIN, a card that is not a CNS.
fn precheck(profile: &Profile, pin: &Pin) -> Result<(), CardError> {
    match profile.driver {
        Driver::Cns => {}
        Driver::Cie | Driver::Pkcs11 => {
            return Err(CardError::Pkcs11ModuleNeeded {
                profile: profile.id.clone(),
                modules: profile.modules.clone(),
            })
        }
    }
    pin.verify_data(&profile.pin).map(|_| ())
}

/// The whole exchange on one card, inside the caller's transaction.
pub fn authenticate_on(
    t: &mut dyn Transport,
    reader: &str,
    profile: &Profile,
    pin: &Pin,
    confirm_last_try: bool,
    anchors: &TrustStore,
    now: OffsetDateTime,
) -> Result<AuthEvidence, CardError> {
    precheck(profile, pin)?;
    let data = cns::read(t, profile)?;
    let cert = Certificate::from_der(&data.certificate_der)
        .map_err(|e| CardError::malformed(e.to_string()))?;
    let k = cns::modulus_len(&cert)?;

    // Never spend the last try, nor any try on a blocked PIN, without the officer's word.
    let status = cns::pin_status(t, profile)?;
    if status.blocked {
        return Err(CardError::PinBlocked);
    }
    if status.tries_left == Some(1) && !confirm_last_try {
        return Err(CardError::LastTryNeedsConfirmation);
    }
    cns::verify_pin(t, profile, pin)?;

    let mut challenge = [0u8; CHALLENGE_LEN];
    getrandom::fill(&mut challenge)
        .map_err(|e| CardError::Transport(format!("no randomness from the OS: {e}")))?;
    let hashed: [u8; 32] = digest(DigestAlgorithm::Sha256, &challenge)
        .try_into()
        .map_err(|_| CardError::Transport("SHA-256 is not 32 bytes".into()))?;
    let block = cns::pkcs1_block_sha256(&hashed, k)?;
    let path = cns::resolve_sign_path(profile, &cert);
    let signature = cns::raw_rsa(t, profile, path, &block)?;

    Ok(judge(
        reader,
        profile,
        t.atr(),
        &data,
        &cert,
        &challenge,
        &signature,
        anchors,
        now,
    ))
}

#[allow(clippy::too_many_arguments)]
fn judge(
    reader: &str,
    profile: &Profile,
    atr: &[u8],
    data: &cns::CnsData,
    cert: &Certificate,
    challenge: &[u8],
    signature: &[u8],
    anchors: &TrustStore,
    now: OffsetDateTime,
) -> AuthEvidence {
    let der = &data.certificate_der;
    let identity = crate::identity::signer_identity(cert, der);
    let mut checks = Vec::new();

    let spki = cert
        .tbs_certificate()
        .subject_public_key_info()
        .to_der()
        .unwrap_or_default();
    let scheme = SignatureScheme::RsaPkcs1v15 {
        hash: Some(DigestAlgorithm::Sha256),
    };
    let sig = verify_message(
        &spki,
        &scheme,
        DigestAlgorithm::Sha256,
        challenge,
        signature,
    );
    checks.push(AuthCheck {
        check: AuthCheckKind::CardSignature,
        passed: sig.is_ok(),
        detail: match &sig {
            Ok(()) => "the card signed the challenge with the certificate's key".into(),
            Err(e) => format!("the card's signature of the challenge: {e}"),
        },
    });

    let chain = validate(cert, der, &[], anchors, now, now);
    checks.push(AuthCheck {
        check: AuthCheckKind::CertificatePath,
        passed: chain.status == ChainStatus::Trusted,
        detail: if anchors.is_empty() {
            "no trust anchors are configured".into()
        } else {
            chain.message.clone()
        },
    });

    let personal_cf = data.personal.codice_fiscale.trim().to_uppercase();
    let cf = identity.codice_fiscale.as_ref();
    checks.push(AuthCheck {
        check: AuthCheckKind::CodiceFiscale,
        passed: cf.is_some_and(|f| f.valid && f.value == personal_cf),
        detail: match cf {
            None => "the certificate carries no codice fiscale".into(),
            Some(f) if !f.valid => format!(
                "the certificate's codice fiscale {} is invalid: {}",
                f.value,
                f.problem.clone().unwrap_or_default()
            ),
            Some(f) if f.value == personal_cf => {
                format!(
                    "codice fiscale {} in the certificate and in the personal data",
                    f.value
                )
            }
            Some(f) => format!(
                "the certificate names {}, the card's personal data {personal_cf}",
                f.value
            ),
        },
    });

    // CN `<CF>/<serial>.<hash>`: the certificate must belong to this very card.
    if let Some(cn_serial) = identity
        .common_name
        .as_deref()
        .and_then(|cn| cn.split_once('/'))
        .map(|(_, rest)| rest.split('.').next().unwrap_or_default().to_string())
    {
        checks.push(AuthCheck {
            check: AuthCheckKind::CardSerial,
            passed: cn_serial == data.serial,
            detail: if cn_serial == data.serial {
                format!(
                    "card serial {} in the certificate and in EF_IDCarta",
                    data.serial
                )
            } else {
                format!(
                    "the certificate is for card {cn_serial}, this card is {}",
                    data.serial
                )
            },
        });
    }

    let reasons: Vec<String> = checks
        .iter()
        .filter(|c| !c.passed)
        .map(|c| c.detail.clone())
        .collect();
    let name = if data.personal.surname.is_empty() {
        [identity.given_name.clone(), identity.surname.clone()]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join(" ")
    } else {
        format!("{} {}", data.personal.name, data.personal.surname)
    };
    AuthEvidence {
        card_kind: CardKind::Cns,
        profile: profile.id.clone(),
        reader: reader.to_string(),
        atr_hex: hex::encode_upper(atr),
        serial: data.serial.clone(),
        certificate_sha256: identity.sha256_fingerprint.clone(),
        certificate_subject: identity.subject.clone(),
        certificate_issuer: identity.issuer.clone(),
        certificate_b64: base64::engine::general_purpose::STANDARD.encode(der),
        codice_fiscale: cf.map(|f| f.value.clone()),
        personal_data_codice_fiscale: personal_cf,
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
