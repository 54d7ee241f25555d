//! Reading a card without PIN: what the officer sees when a card goes in. A CNS gives its
//! serial, personal data and certificate; a CIE gets the chip check; a PKCS#11 token is
//! recognised and reported as needing its module.

use base64::Engine;
use der::Decode;
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
use x509_cert::Certificate;

use super::cie::{chip_check, ChipCheck};
use super::cns;
use super::error::CardError;
use super::personal_data::PersonalData;
use super::profile::{Driver, Profile};
use super::transport::Transport;
use crate::trust::anchors::TrustStore;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum CardKind {
    Cns,
    Cie,
    Pkcs11,
}

impl From<Driver> for CardKind {
    fn from(d: Driver) -> Self {
        match d {
            Driver::Cns => CardKind::Cns,
            Driver::Cie => CardKind::Cie,
            Driver::Pkcs11 => CardKind::Pkcs11,
        }
    }
}

/// The certificate as the officer sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CertificateSummary {
    pub subject: String,
    pub issuer: String,
    pub not_before: String,
    pub not_after: String,
    pub codice_fiscale: Option<String>,
    pub sha256: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CardReading {
    pub kind: CardKind,
    pub reader: String,
    pub atr_hex: String,
    pub profile: String,
    pub profile_label: String,
    /// EF_IDCarta (CNS) or NIS (CIE).
    pub serial: Option<String>,
    pub personal: Option<PersonalData>,
    pub certificate: Option<CertificateSummary>,
    /// base64 DER, for callers that keep it.
    pub certificate_b64: Option<String>,
    #[serde(skip)]
    pub certificate_der: Option<Vec<u8>>,
    pub chip_check: Option<ChipCheck>,
    /// PKCS#11 modules that can drive the card (the only way for `pkcs11` tokens).
    pub modules: Vec<String>,
}

pub fn summary(der: &[u8]) -> Option<CertificateSummary> {
    let cert = Certificate::from_der(der).ok()?;
    let id = crate::identity::signer_identity(&cert, der);
    Some(CertificateSummary {
        subject: id.subject,
        issuer: id.issuer,
        not_before: id.not_before,
        not_after: id.not_after,
        codice_fiscale: id.codice_fiscale.map(|f| f.value),
        sha256: id.sha256_fingerprint,
    })
}

/// Reads the card inside the caller's transaction.
pub fn read_on(
    t: &mut dyn Transport,
    reader: &str,
    profile: &Profile,
    csca: &TrustStore,
    now: OffsetDateTime,
) -> Result<CardReading, CardError> {
    let mut reading = CardReading {
        kind: profile.driver.into(),
        reader: reader.to_string(),
        atr_hex: hex::encode_upper(t.atr()),
        profile: profile.id.clone(),
        profile_label: profile.label.clone(),
        serial: None,
        personal: None,
        certificate: None,
        certificate_b64: None,
        certificate_der: None,
        chip_check: None,
        modules: profile.modules.clone(),
    };
    match profile.driver {
        Driver::Cns => {
            let data = cns::read(t, profile)?;
            reading.serial = Some(data.serial);
            reading.personal = Some(data.personal);
            reading.certificate = summary(&data.certificate_der);
            reading.certificate_b64 =
                Some(base64::engine::general_purpose::STANDARD.encode(&data.certificate_der));
            reading.certificate_der = Some(data.certificate_der);
        }
        Driver::Cie => {
            let check = chip_check(t, profile, csca, now)?;
            reading.serial = Some(check.nis.clone());
            reading.chip_check = Some(check);
        }
        Driver::Pkcs11 => {}
    }
    Ok(reading)
}
