//! Who a certificate names: the person, the issuer, key usage, QC statements and the codice
//! fiscale, read from the places Italian certificates put it.

mod codice_fiscale_fields;
mod name_match;
mod names;

use der::Encode;
use serde::Serialize;
use time::OffsetDateTime;
use x509_cert::Certificate;

pub use codice_fiscale_fields::{cf_from_common_name, cf_from_serial_number, CfFinding, CfSource};
pub use name_match::names_match;
use names::{attribute, display_name};

use crate::crypto::algorithms::DigestAlgorithm;
use crate::crypto::digest::digest;
use crate::envelope::asn1_time::rfc3339;
use crate::envelope::ber::{tags, Tlv};

const OID_CN: &str = "2.5.4.3";
const OID_SURNAME: &str = "2.5.4.4";
const OID_SERIAL_NUMBER: &str = "2.5.4.5";
const OID_COUNTRY: &str = "2.5.4.6";
const OID_ORGANIZATION: &str = "2.5.4.10";
const OID_ORG_UNIT: &str = "2.5.4.11";
const OID_GIVEN_NAME: &str = "2.5.4.42";
const OID_KEY_USAGE: &str = "2.5.29.15";
const OID_CERT_POLICIES: &str = "2.5.29.32";
const OID_QC_STATEMENTS: &str = "1.3.6.1.5.5.7.1.3";
const QC_COMPLIANCE: &str = "0.4.0.1862.1.1";
const QC_SSCD: &str = "0.4.0.1862.1.4";
const QC_TYPE: &str = "0.4.0.1862.1.6";

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct QcStatements {
    pub present: bool,
    pub qc_compliance: bool,
    pub qc_sscd: bool,
    /// "esign", "eseal", "web"; often absent on real Italian certificates.
    pub qc_types: Vec<String>,
    pub other: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SignerIdentity {
    pub common_name: Option<String>,
    pub given_name: Option<String>,
    pub surname: Option<String>,
    pub organization: Option<String>,
    pub organizational_unit: Option<String>,
    pub country: Option<String>,
    /// The subject serialNumber attribute as written.
    pub serial_number: Option<String>,
    pub subject: String,
    pub issuer: String,
    pub issuer_common_name: Option<String>,
    pub issuer_organization: Option<String>,
    pub certificate_serial: String,
    pub not_before: String,
    pub not_after: String,
    pub key_usage: Vec<String>,
    pub key_usage_critical: bool,
    pub qc_statements: QcStatements,
    pub certificate_policies: Vec<String>,
    pub codice_fiscale: Option<CfFinding>,
    pub sha256_fingerprint: String,
}

/// The certificate's validity window.
pub fn validity(cert: &Certificate) -> (OffsetDateTime, OffsetDateTime) {
    let v = cert.tbs_certificate().validity();
    let convert = |t: &x509_cert::time::Time| {
        OffsetDateTime::from_unix_timestamp(t.to_unix_duration().as_secs() as i64)
            .unwrap_or(OffsetDateTime::UNIX_EPOCH)
    };
    (convert(&v.not_before), convert(&v.not_after))
}

const KEY_USAGE_NAMES: [&str; 9] = [
    "digitalSignature",
    "nonRepudiation",
    "keyEncipherment",
    "dataEncipherment",
    "keyAgreement",
    "keyCertSign",
    "cRLSign",
    "encipherOnly",
    "decipherOnly",
];

fn key_usage(value: &[u8]) -> Vec<String> {
    let Ok((bits, _)) = Tlv::parse_prefix(value) else {
        return vec!["malformed".into()];
    };
    if !bits.tag.is_universal(tags::BIT_STRING) {
        return vec!["malformed".into()];
    }
    let data = bits.value.get(1..).unwrap_or(&[]);
    KEY_USAGE_NAMES
        .iter()
        .enumerate()
        .filter(|(i, _)| {
            data.get(i / 8)
                .is_some_and(|byte| byte & (0x80 >> (i % 8)) != 0)
        })
        .map(|(_, name)| (*name).to_string())
        .collect()
}

fn qc_statements(value: &[u8]) -> QcStatements {
    let mut qc = QcStatements {
        present: true,
        ..QcStatements::default()
    };
    let statements = Tlv::parse_prefix(value).and_then(|(seq, _)| seq.child_list());
    let Ok(statements) = statements else {
        qc.other.push("malformed".into());
        return qc;
    };
    for statement in statements {
        let mut fields = match statement.children() {
            Ok(f) => f,
            Err(_) => {
                qc.other.push("malformed".into());
                continue;
            }
        };
        let Ok(id) = fields.next().and_then(|t| t.oid()) else {
            qc.other.push("malformed".into());
            continue;
        };
        match id.to_string().as_str() {
            QC_COMPLIANCE => qc.qc_compliance = true,
            QC_SSCD => qc.qc_sscd = true,
            QC_TYPE => {
                let types = fields
                    .next()
                    .and_then(|t| t.child_list())
                    .unwrap_or_default();
                for t in types {
                    let name = match t.oid().map(|o| o.to_string()).as_deref() {
                        Ok("0.4.0.1862.1.6.1") => "esign".to_string(),
                        Ok("0.4.0.1862.1.6.2") => "eseal".to_string(),
                        Ok("0.4.0.1862.1.6.3") => "web".to_string(),
                        Ok(other) => other.to_string(),
                        Err(_) => "malformed".to_string(),
                    };
                    qc.qc_types.push(name);
                }
            }
            other => qc.other.push(other.to_string()),
        }
    }
    qc
}

fn policies(value: &[u8]) -> Vec<String> {
    Tlv::parse_prefix(value)
        .and_then(|(seq, _)| seq.child_list())
        .map(|list| {
            list.iter()
                .filter_map(|info| info.children().ok()?.next().ok()?.oid().ok())
                .map(|o| o.to_string())
                .collect()
        })
        .unwrap_or_else(|_| vec!["malformed".into()])
}

/// Everything the report says about the signer, from the certificate as received.
pub fn signer_identity(cert: &Certificate, cert_der: &[u8]) -> SignerIdentity {
    let tbs = cert.tbs_certificate();
    let subject_der = tbs.subject().to_der().unwrap_or_default();
    let issuer_der = tbs.issuer().to_der().unwrap_or_default();
    let get = |oid: &str| attribute(&subject_der, oid);
    let (not_before, not_after) = validity(cert);

    let mut identity = SignerIdentity {
        common_name: get(OID_CN),
        given_name: get(OID_GIVEN_NAME),
        surname: get(OID_SURNAME),
        organization: get(OID_ORGANIZATION),
        organizational_unit: get(OID_ORG_UNIT),
        country: get(OID_COUNTRY),
        serial_number: get(OID_SERIAL_NUMBER),
        subject: display_name(&subject_der),
        issuer: display_name(&issuer_der),
        issuer_common_name: attribute(&issuer_der, OID_CN),
        issuer_organization: attribute(&issuer_der, OID_ORGANIZATION),
        certificate_serial: hex::encode_upper(tbs.serial_number().as_bytes()),
        not_before: rfc3339(not_before),
        not_after: rfc3339(not_after),
        key_usage: Vec::new(),
        key_usage_critical: false,
        qc_statements: QcStatements::default(),
        certificate_policies: Vec::new(),
        codice_fiscale: None,
        sha256_fingerprint: hex::encode(digest(DigestAlgorithm::Sha256, cert_der)),
    };
    for ext in tbs.extensions().into_iter().flatten() {
        let value = ext.extn_value.as_bytes();
        match ext.extn_id.to_string().as_str() {
            OID_KEY_USAGE => {
                identity.key_usage = key_usage(value);
                identity.key_usage_critical = ext.critical;
            }
            OID_QC_STATEMENTS => identity.qc_statements = qc_statements(value),
            OID_CERT_POLICIES => identity.certificate_policies = policies(value),
            _ => {}
        }
    }
    identity.codice_fiscale = identity
        .serial_number
        .as_deref()
        .and_then(cf_from_serial_number)
        .or_else(|| {
            identity
                .common_name
                .as_deref()
                .and_then(cf_from_common_name)
        });
    identity
}
