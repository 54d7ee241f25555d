//! The EU Trusted List of Italy: parsed services, status history, staleness, and anchors that
//! count only while their service was granted.

mod common;

use sportello::trust::tsl::{
    parse_trusted_list, ServiceStatus, ServiceType, StatusEntry, TrustService,
};
use sportello::trust::TrustStore;
use sportello::verify::{verify_bytes, SubIndication, VerifyOptions};
use time::macros::datetime;

fn italian_list_xml() -> Vec<u8> {
    std::fs::read(common::shared_dir().join("trust/TSL-IT_seq194_2023-09-26.xml"))
        .expect("Italian list")
}

/// Services counted straight from the text, independently of the parser.
fn count_in_text(xml: &str, type_suffix: &str) -> usize {
    xml.split("<TSPService>")
        .skip(1)
        .filter(|service| {
            service
                .split("<ServiceTypeIdentifier>")
                .nth(1)
                .and_then(|rest| rest.split('<').next())
                .is_some_and(|uri| uri.ends_with(type_suffix))
        })
        .count()
}

#[test]
fn the_italian_list_parses_with_every_service() {
    let xml = italian_list_xml();
    let text = String::from_utf8_lossy(&xml);
    let list = parse_trusted_list(&xml).expect("parse");
    assert_eq!(list.territory, "IT");
    assert_eq!(list.sequence_number, 194);
    assert_eq!(list.issue_date, datetime!(2023-09-26 01:00 UTC));
    assert_eq!(list.services.len(), text.matches("<TSPService>").count());
    let ca_qc = list
        .services
        .iter()
        .filter(|s| s.service_type == ServiceType::CaQc)
        .count();
    assert_eq!(ca_qc, count_in_text(&text, "/Svctype/CA/QC"));
    let idv = list
        .services
        .iter()
        .filter(|s| s.service_type == ServiceType::IdV)
        .count();
    assert_eq!(idv, count_in_text(&text, "/Svctype/IdV"));
    let history: usize = list.services.iter().map(|s| s.statuses.len() - 1).sum();
    assert_eq!(history, text.matches("<ServiceHistoryInstance>").count());
    assert!(list
        .services
        .iter()
        .all(|s| !s.certificates.is_empty() || s.service_type == ServiceType::Other));
    assert!(list.is_stale(datetime!(2026-11-23 00:00 UTC)));
    assert!(!list.is_stale(datetime!(2023-10-01 00:00 UTC)));
}

#[test]
fn an_anchor_counts_only_while_granted() {
    let entry = |status: &str, t| StatusEntry {
        status: ServiceStatus(status.into()),
        starting_time: t,
    };
    let service = TrustService {
        provider: "Test".into(),
        name: "Test CA".into(),
        type_uri: "http://uri.etsi.org/TrstSvc/Svctype/CA/QC".into(),
        service_type: ServiceType::CaQc,
        certificates: Vec::new(),
        // Current status first, then history, as lists write them.
        statuses: vec![
            entry("withdrawn", datetime!(2020-01-01 00:00 UTC)),
            entry("granted", datetime!(2016-07-01 00:00 UTC)),
            entry("accredited", datetime!(2010-01-01 00:00 UTC)),
        ],
        qualifiers: Vec::new(),
        additional_info: Vec::new(),
    };
    assert!(!service.granted_at(datetime!(2009-06-01 00:00 UTC)));
    assert!(service.granted_at(datetime!(2012-06-01 00:00 UTC)));
    assert!(service.granted_at(datetime!(2019-12-31 23:59 UTC)));
    assert!(!service.granted_at(datetime!(2020-01-01 00:00 UTC)));

    // A Directive-era status recorded after eIDAS applied anchors nothing.
    let late = TrustService {
        statuses: vec![entry("undersupervision", datetime!(2017-01-01 00:00 UTC))],
        ..service
    };
    assert!(!late.granted_at(datetime!(2018-01-01 00:00 UTC)));
}

#[test]
fn a_closed_list_is_stale() {
    let mut list = parse_trusted_list(&italian_list_xml()).expect("parse");
    list.next_update = None;
    assert!(list.is_stale(datetime!(2023-10-01 00:00 UTC)));
}

#[test]
fn italian_signatures_chain_to_the_list_at_signing_time() {
    let list = parse_trusted_list(&italian_list_xml()).expect("parse");
    let store = TrustStore {
        anchors: list.anchors(&[ServiceType::CaQc]),
        timestamp_anchors: Vec::new(),
    };
    assert!(store.anchors.len() > 100);
    for (name, at) in [
        ("parer_cades_bes.pdf.p7m", datetime!(2013-09-08 12:00 UTC)),
        ("slamdunk_OK.txt.p7m", datetime!(2024-01-10 12:00 UTC)),
        (
            "dss_cades-double-signing-time.p7m",
            datetime!(2016-01-01 12:00 UTC),
        ),
    ] {
        let data = std::fs::read(common::corpus_file(name)).expect("corpus");
        let mut opts = VerifyOptions::now();
        opts.trust = Some(&store);
        opts.validation_time = at;
        opts.asserted = true;
        let report = verify_bytes(name, &data, &opts);
        let first = &report.signatures[0];
        assert_eq!(
            first.checks.chain.status,
            sportello::verify::CheckStatus::Passed,
            "{name}: {}",
            first.checks.chain.message
        );
        assert!(
            first.checks.chain.message.contains("Trusted List IT #194"),
            "{name}"
        );
    }
    // Foreign qualified signatures do not chain to the Italian list.
    for name in [
        "dss_Signature-C-HU_MIC-1.p7m",
        "dss-cookbook_signedCadesB.p7m",
        "dss_Signature-C-DE_CRY-3.p7m",
    ] {
        let data = std::fs::read(common::corpus_file(name)).expect("corpus");
        let mut opts = VerifyOptions::now();
        opts.trust = Some(&store);
        let report = verify_bytes(name, &data, &opts);
        assert_eq!(
            report.sub_indication,
            Some(SubIndication::NoCertificateChainFound),
            "{name}"
        );
    }
}

#[test]
fn damaged_lists_are_errors_not_panics() {
    let xml = italian_list_xml();
    for cut in [0, 1, 100, 5_000, xml.len() / 3, xml.len() - 10] {
        assert!(parse_trusted_list(&xml[..cut]).is_err(), "cut at {cut}");
    }
    assert!(parse_trusted_list(b"<html><body>not a list</body></html>").is_err());
    assert!(parse_trusted_list(&[0xFF, 0xFE, 0x00]).is_err());
}

mod signature {
    use super::*;
    use sportello::trust::tsl::list_pointers;
    use sportello::trust::xmldsig::{verify_list_signature, XmlSignatureError};

    fn italian_signers() -> Vec<Vec<u8>> {
        let lotl = std::fs::read(common::shared_dir().join("trust/EU-LOTL_seq332_2023-09-27.xml"))
            .expect("LOTL");
        list_pointers(&lotl)
            .expect("pointers")
            .into_iter()
            .filter(|p| p.territory == "IT")
            .flat_map(|p| p.signer_certificates)
            .collect()
    }

    fn italian_text() -> String {
        String::from_utf8(italian_list_xml()).expect("utf-8")
    }

    #[test]
    fn the_italian_list_is_signed_by_a_certificate_the_eu_list_names() {
        let signers = italian_signers();
        assert!(!signers.is_empty());
        let outcome =
            verify_list_signature(&italian_text(), &signers, datetime!(2023-09-26 01:00 UTC))
                .expect("valid");
        let expected =
            std::fs::read(common::shared_dir().join("trust/TSL-IT_seq194_signer-cert.der"))
                .expect("signer");
        assert_eq!(
            outcome.signer_sha256,
            hex::encode(<sha2::Sha256 as sha2::Digest>::digest(&expected))
        );
        assert!(outcome.signer_subject.contains("AgID"));
    }

    #[test]
    fn a_changed_list_is_refused() {
        let signers = italian_signers();
        let at = datetime!(2023-09-26 01:00 UTC);
        let text = italian_text();
        let renamed = text.replacen("Banca d'Italia", "Banca d'Itaila", 1);
        assert!(matches!(
            verify_list_signature(&renamed, &signers, at),
            Err(XmlSignatureError::DigestMismatch(_))
        ));
        let start = text.find("<TSPService>").expect("service");
        let end = text[start..]
            .find("</TSPService>")
            .map(|e| start + e + "</TSPService>".len())
            .expect("end");
        let removed = format!("{}{}", &text[..start], &text[end..]);
        assert!(matches!(
            verify_list_signature(&removed, &signers, at),
            Err(XmlSignatureError::DigestMismatch(_))
        ));
        let value_at = text.find("<ds:SignatureValue").expect("value");
        let digit = value_at + text[value_at..].find('>').expect(">") + 5;
        let mut bytes = text.clone().into_bytes();
        bytes[digit] = if bytes[digit] == b'A' { b'B' } else { b'A' };
        let forged = String::from_utf8(bytes).expect("utf-8");
        assert!(matches!(
            verify_list_signature(&forged, &signers, at),
            Err(XmlSignatureError::BadSignature)
        ));
    }

    #[test]
    fn only_the_named_signers_and_only_when_valid() {
        let lotl = std::fs::read(common::shared_dir().join("trust/EU-LOTL_seq332_2023-09-27.xml"))
            .expect("LOTL");
        let german: Vec<Vec<u8>> = list_pointers(&lotl)
            .expect("pointers")
            .into_iter()
            .filter(|p| p.territory == "DE")
            .flat_map(|p| p.signer_certificates)
            .collect();
        let text = italian_text();
        assert!(matches!(
            verify_list_signature(&text, &german, datetime!(2023-09-26 01:00 UTC)),
            Err(XmlSignatureError::UnknownSigner)
        ));
        // The signer certificate has expired since: as of today it would not do.
        assert!(matches!(
            verify_list_signature(&text, &italian_signers(), datetime!(2035-01-01 00:00 UTC)),
            Err(XmlSignatureError::SignerNotValid(_))
        ));
    }

    #[test]
    fn canonical_form_matches_libxml2() {
        // An independent canonicaliser over the whole list of lists (no signature removal).
        let path = common::shared_dir().join("trust/EU-LOTL_seq332_2023-09-27.xml");
        let out = std::process::Command::new("xmllint")
            .arg("--exc-c14n")
            .arg(&path)
            .output()
            .expect("xmllint is needed (apt-get install libxml2-utils)");
        assert!(out.status.success());
        let xml = std::fs::read_to_string(&path).expect("LOTL");
        let doc = roxmltree::Document::parse(&xml).expect("parse");
        let ours = sportello::trust::exc_c14n::canonicalize(doc.root_element(), &xml, None);
        assert!(
            ours.as_bytes() == out.stdout.as_slice(),
            "canonical forms differ"
        );
    }
}
