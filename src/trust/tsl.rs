//! ETSI TS 119 612 Trusted Lists: the services, their certificates, status history and
//! qualifiers. Parsing only; the list's XML signature must be checked before its anchors
//! are used (see `TrustedList::anchors`).

use time::format_description::well_known::Rfc3339;
use time::OffsetDateTime;

use super::anchors::{certificates_in, Anchor, GrantWindow, ServiceFacts};
use crate::envelope::sniff::decode_base64;

#[derive(Debug, thiserror::Error)]
pub enum TslError {
    #[error("not well-formed XML: {0}")]
    Xml(String),
    #[error("not a Trusted List: {0}")]
    NotATrustedList(&'static str),
    #[error("bad value in {field}: {value}")]
    BadValue { field: &'static str, value: String },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ServiceType {
    CaQc,
    CaPkc,
    TsaQtst,
    /// Directive-era qualified time-stamping (`TSA/TSS-QC`, `TSA/TSS-AdESQCandQES`).
    TsaTssQc,
    Tsa,
    IdV,
    Other,
}

impl ServiceType {
    fn from_uri(uri: &str) -> Self {
        match uri.rsplit_once("/Svctype/").map(|(_, t)| t) {
            Some("CA/QC") => ServiceType::CaQc,
            Some("CA/PKC") => ServiceType::CaPkc,
            Some("TSA/QTST") => ServiceType::TsaQtst,
            Some("TSA/TSS-QC") | Some("TSA/TSS-AdESQCandQES") => ServiceType::TsaTssQc,
            Some("TSA") => ServiceType::Tsa,
            Some("IdV") => ServiceType::IdV,
            _ => ServiceType::Other,
        }
    }
}

/// The last path segment of a status URI, e.g. `granted`, `withdrawn`, `accredited`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServiceStatus(pub String);

/// eIDAS applied from here; the Directive 1999/93 statuses describe only earlier periods.
const EIDAS_FROM: OffsetDateTime = time::macros::datetime!(2016-07-01 00:00 UTC);

impl ServiceStatus {
    /// Whether a status entry starting at `from` anchored signatures: `granted` since eIDAS,
    /// and the Directive 1999/93 statuses it replaced, for periods before 2016-07-01
    /// (TS 119 612 v2 annex).
    pub fn is_granted_from(&self, from: OffsetDateTime) -> bool {
        match self.0.as_str() {
            "granted" => true,
            "accredited" | "undersupervision" | "supervisionincessation" | "setbynationallaw" => {
                from < EIDAS_FROM
            }
            _ => false,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatusEntry {
    pub status: ServiceStatus,
    pub starting_time: OffsetDateTime,
}

#[derive(Debug, Clone)]
pub struct TrustService {
    pub provider: String,
    pub name: String,
    pub type_uri: String,
    pub service_type: ServiceType,
    /// DER certificates of the service's digital identity.
    pub certificates: Vec<Vec<u8>>,
    /// Current status first, then the history, newest first as the list writes it.
    pub statuses: Vec<StatusEntry>,
    /// Last segments of qualifier URIs (`QCWithQSCD`, `QCForLegalPerson`, …).
    pub qualifiers: Vec<String>,
    /// Last segments of AdditionalServiceInformation URIs (`ForeSignatures`, …).
    pub additional_info: Vec<String>,
}

impl TrustService {
    /// Periods during which the service was granted, from its status history.
    pub fn granted_windows(&self) -> Vec<GrantWindow> {
        let mut entries = self.statuses.clone();
        entries.sort_by_key(|e| e.starting_time);
        let mut windows = Vec::new();
        for (i, entry) in entries.iter().enumerate() {
            if entry.status.is_granted_from(entry.starting_time) {
                windows.push(GrantWindow {
                    from: entry.starting_time,
                    until: entries.get(i + 1).map(|next| next.starting_time),
                });
            }
        }
        windows
    }

    pub fn granted_at(&self, t: OffsetDateTime) -> bool {
        self.granted_windows()
            .iter()
            .any(|w| w.from <= t && w.until.is_none_or(|u| t < u))
    }
}

#[derive(Debug, Clone)]
pub struct TrustedList {
    pub territory: String,
    pub sequence_number: u64,
    pub issue_date: OffsetDateTime,
    pub next_update: Option<OffsetDateTime>,
    pub scheme_operator: String,
    pub services: Vec<TrustService>,
}

impl TrustedList {
    /// Past its next update, or closed (no next update: the scheme will publish no more).
    pub fn is_stale(&self, now: OffsetDateTime) -> bool {
        self.next_update.is_none_or(|next| now > next)
    }

    /// The services of the given types as anchors, each valid only while it was granted.
    /// Only for a list whose signature was checked.
    pub fn anchors(&self, types: &[ServiceType]) -> Vec<Anchor> {
        let mut out = Vec::new();
        for service in self
            .services
            .iter()
            .filter(|s| types.contains(&s.service_type))
        {
            let windows = service.granted_windows();
            if windows.is_empty() {
                continue;
            }
            for der in &service.certificates {
                if let Ok(cert) = <x509_cert::Certificate as der::Decode>::from_der(der) {
                    out.push(Anchor {
                        der: der.clone(),
                        cert,
                        source: format!(
                            "Trusted List {} #{}: {}",
                            self.territory, self.sequence_number, service.name
                        ),
                        granted: windows.clone(),
                        service: Some(ServiceFacts {
                            qualifiers: service.qualifiers.clone(),
                            additional_info: service.additional_info.clone(),
                        }),
                    });
                }
            }
        }
        out
    }
}

fn child<'a, 'i>(node: roxmltree::Node<'a, 'i>, name: &str) -> Option<roxmltree::Node<'a, 'i>> {
    node.children()
        .find(|c| c.is_element() && c.tag_name().name() == name)
}

fn children<'a, 'i>(
    node: roxmltree::Node<'a, 'i>,
    name: &'a str,
) -> impl Iterator<Item = roxmltree::Node<'a, 'i>> + 'a {
    node.children()
        .filter(move |c| c.is_element() && c.tag_name().name() == name)
}

fn text(node: Option<roxmltree::Node<'_, '_>>) -> String {
    node.and_then(|n| n.text())
        .map(|t| t.trim().to_string())
        .unwrap_or_default()
}

/// The first `Name`, preferring English.
fn name_of(node: Option<roxmltree::Node<'_, '_>>) -> String {
    let Some(node) = node else {
        return String::new();
    };
    let names: Vec<_> = children(node, "Name").collect();
    names
        .iter()
        .find(|n| {
            n.attributes()
                .any(|a| a.name() == "lang" && a.value() == "en")
        })
        .or(names.first())
        .and_then(|n| n.text())
        .map(|t| t.trim().to_string())
        .unwrap_or_default()
}

fn parse_time(field: &'static str, value: &str) -> Result<OffsetDateTime, TslError> {
    OffsetDateTime::parse(value.trim(), &Rfc3339).map_err(|_| TslError::BadValue {
        field,
        value: value.to_string(),
    })
}

fn last_segment(uri: &str) -> String {
    uri.trim()
        .rsplit('/')
        .next()
        .unwrap_or_default()
        .to_string()
}

fn status_entry(info: roxmltree::Node<'_, '_>) -> Result<StatusEntry, TslError> {
    Ok(StatusEntry {
        status: ServiceStatus(last_segment(&text(child(info, "ServiceStatus")))),
        starting_time: parse_time(
            "StatusStartingTime",
            &text(child(info, "StatusStartingTime")),
        )?,
    })
}

fn digital_identity_certs(info: roxmltree::Node<'_, '_>) -> Vec<Vec<u8>> {
    info.descendants()
        .filter(|n| n.is_element() && n.tag_name().name() == "X509Certificate")
        .filter_map(|n| n.text())
        .filter_map(|b64| decode_base64(b64.as_bytes()).ok())
        .flat_map(|der| certificates_in(&der))
        .collect()
}

fn parse_service(
    provider: &str,
    service: roxmltree::Node<'_, '_>,
) -> Result<TrustService, TslError> {
    let info = child(service, "ServiceInformation")
        .ok_or(TslError::NotATrustedList("service without information"))?;
    let type_uri = text(child(info, "ServiceTypeIdentifier"));
    let mut statuses = vec![status_entry(info)?];
    if let Some(history) = child(service, "ServiceHistory") {
        for instance in children(history, "ServiceHistoryInstance") {
            statuses.push(status_entry(instance)?);
        }
    }
    let uris = |element: &str| -> Vec<String> {
        info.descendants()
            .filter(|n| n.is_element() && n.tag_name().name() == element)
            .flat_map(|n| {
                n.descendants()
                    .filter(|d| d.is_element() && d.tag_name().name() == "URI")
                    .collect::<Vec<_>>()
            })
            .filter_map(|u| {
                u.attribute("uri")
                    .map(str::to_string)
                    .or_else(|| u.text().map(str::to_string))
            })
            .map(|u| last_segment(&u))
            .collect()
    };
    let qualifiers = info
        .descendants()
        .filter(|n| n.is_element() && n.tag_name().name() == "Qualifier")
        .filter_map(|q| q.attribute("uri"))
        .map(last_segment)
        .collect();
    Ok(TrustService {
        provider: provider.to_string(),
        name: name_of(child(info, "ServiceName")),
        service_type: ServiceType::from_uri(&type_uri),
        type_uri,
        certificates: digital_identity_certs(child(info, "ServiceDigitalIdentity").unwrap_or(info)),
        statuses,
        qualifiers,
        additional_info: uris("AdditionalServiceInformation"),
    })
}

pub fn parse_trusted_list(xml: &[u8]) -> Result<TrustedList, TslError> {
    let text_xml = std::str::from_utf8(xml).map_err(|e| TslError::Xml(e.to_string()))?;
    let doc = roxmltree::Document::parse(text_xml).map_err(|e| TslError::Xml(e.to_string()))?;
    let root = doc.root_element();
    if root.tag_name().name() != "TrustServiceStatusList" {
        return Err(TslError::NotATrustedList(
            "root is not TrustServiceStatusList",
        ));
    }
    let scheme = child(root, "SchemeInformation")
        .ok_or(TslError::NotATrustedList("no SchemeInformation"))?;
    let sequence = text(child(scheme, "TSLSequenceNumber"));
    let sequence_number = sequence.parse().map_err(|_| TslError::BadValue {
        field: "TSLSequenceNumber",
        value: sequence.clone(),
    })?;
    let issue_date = parse_time(
        "ListIssueDateTime",
        &text(child(scheme, "ListIssueDateTime")),
    )?;
    let next_update = child(scheme, "NextUpdate")
        .and_then(|n| child(n, "dateTime"))
        .map(|n| parse_time("NextUpdate", &text(Some(n))))
        .transpose()?;
    let mut services = Vec::new();
    if let Some(providers) = child(root, "TrustServiceProviderList") {
        for provider in children(providers, "TrustServiceProvider") {
            let provider_name =
                name_of(child(provider, "TSPInformation").and_then(|i| child(i, "TSPName")));
            if let Some(list) = child(provider, "TSPServices") {
                for service in children(list, "TSPService") {
                    services.push(parse_service(&provider_name, service)?);
                }
            }
        }
    }
    Ok(TrustedList {
        territory: text(child(scheme, "SchemeTerritory")),
        sequence_number,
        issue_date,
        next_update,
        scheme_operator: name_of(child(scheme, "SchemeOperatorName")),
        services,
    })
}

/// A pointer of the EU list of lists to a national list, with the certificates allowed to
/// sign it.
#[derive(Debug, Clone)]
pub struct ListPointer {
    pub territory: String,
    pub location: String,
    pub signer_certificates: Vec<Vec<u8>>,
}

/// The pointers to other lists (the EU list of lists names one per Member State).
pub fn list_pointers(xml: &[u8]) -> Result<Vec<ListPointer>, TslError> {
    let text_xml = std::str::from_utf8(xml).map_err(|e| TslError::Xml(e.to_string()))?;
    let doc = roxmltree::Document::parse(text_xml).map_err(|e| TslError::Xml(e.to_string()))?;
    let root = doc.root_element();
    let scheme = child(root, "SchemeInformation")
        .ok_or(TslError::NotATrustedList("no SchemeInformation"))?;
    let Some(pointers) = child(scheme, "PointersToOtherTSL") else {
        return Ok(Vec::new());
    };
    Ok(children(pointers, "OtherTSLPointer")
        .map(|pointer| ListPointer {
            territory: pointer
                .descendants()
                .find(|n| n.is_element() && n.tag_name().name() == "SchemeTerritory")
                .and_then(|n| n.text())
                .map(|t| t.trim().to_string())
                .unwrap_or_default(),
            location: text(child(pointer, "TSLLocation")),
            signer_certificates: child(pointer, "ServiceDigitalIdentities")
                .map(digital_identity_certs)
                .unwrap_or_default(),
        })
        .collect())
}
