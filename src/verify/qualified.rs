//! Qualified status of a signature, labelled as EU DSS does (`QESig`, `AdESig-QC`, `AdESig`,
//! `N/A`), from the certificate's QC statements overridden by the Trusted List's qualifiers.
//! A missing QcType fails nothing (real Aruba certificates have none).

use crate::identity::SignerIdentity;
use crate::trust::ServiceFacts;

use super::report::Check;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Qualification {
    QeSig,
    QeSeal,
    AdesQc,
    Ades,
    NotApplicable,
}

impl Qualification {
    pub fn label(self) -> &'static str {
        match self {
            Qualification::QeSig => "QESig",
            Qualification::QeSeal => "QESeal",
            Qualification::AdesQc => "AdESig-QC",
            Qualification::Ades => "AdESig",
            Qualification::NotApplicable => "N/A",
        }
    }
}

fn has(list: &[String], name: &str) -> bool {
    list.iter().any(|q| q.eq_ignore_ascii_case(name))
}

/// Judges qualification; `service` is `None` when the anchor is not from a Trusted List.
pub fn judge(signer: &SignerIdentity, service: Option<&ServiceFacts>) -> (Qualification, Check) {
    let Some(service) = service else {
        return (
            Qualification::NotApplicable,
            Check::not_checked("N/A: the certificate does not chain to a Trusted List service"),
        );
    };
    let q = &service.qualifiers;
    let qc =
        (signer.qc_statements.qc_compliance || has(q, "QCStatement")) && !has(q, "NotQualified");
    let qscd = (signer.qc_statements.qc_sscd
        || has(q, "QCWithSSCD")
        || has(q, "QCWithQSCD")
        || has(q, "QCQSCDManagedOnBehalf"))
        && !has(q, "QCNoSSCD")
        && !has(q, "QCNoQSCD");
    let for_seal = has(q, "QCForLegalPerson")
        || has(q, "QCForESeal")
        || signer.qc_statements.qc_types.iter().any(|t| t == "eseal");
    let mut notes = Vec::new();
    if !signer.key_usage.is_empty() && !signer.key_usage.iter().any(|k| k == "nonRepudiation") {
        notes.push("the signing certificate lacks nonRepudiation".to_string());
    }
    let label = match (qc, qscd, for_seal) {
        (true, true, false) => Qualification::QeSig,
        (true, true, true) => Qualification::QeSeal,
        (true, false, _) => Qualification::AdesQc,
        (false, _, _) => Qualification::Ades,
    };
    let basis = format!(
        "{}: QcCompliance {}, QSCD {}{}",
        label.label(),
        if qc { "yes" } else { "no" },
        if qscd { "yes" } else { "no" },
        if q.is_empty() {
            String::new()
        } else {
            format!(", list qualifiers {}", q.join(", "))
        }
    );
    notes.insert(0, basis);
    let message = notes.join("; ");
    let check = match label {
        Qualification::QeSig | Qualification::QeSeal if notes.len() == 1 => Check::passed(message),
        _ => Check::warning(message),
    };
    (label, check)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::identity::QcStatements;

    fn signer(qc: bool, sscd: bool, key_usage: &[&str]) -> SignerIdentity {
        SignerIdentity {
            common_name: None,
            given_name: None,
            surname: None,
            organization: None,
            organizational_unit: None,
            country: None,
            serial_number: None,
            subject: String::new(),
            issuer: String::new(),
            issuer_common_name: None,
            issuer_organization: None,
            certificate_serial: String::new(),
            not_before: String::new(),
            not_after: String::new(),
            key_usage: key_usage.iter().map(|s| s.to_string()).collect(),
            key_usage_critical: true,
            qc_statements: QcStatements {
                present: qc || sscd,
                qc_compliance: qc,
                qc_sscd: sscd,
                qc_types: Vec::new(),
                other: Vec::new(),
            },
            certificate_policies: Vec::new(),
            codice_fiscale: None,
            sha256_fingerprint: String::new(),
        }
    }

    fn facts(qualifiers: &[&str]) -> ServiceFacts {
        ServiceFacts {
            qualifiers: qualifiers.iter().map(|s| s.to_string()).collect(),
            additional_info: Vec::new(),
        }
    }

    #[test]
    fn labels() {
        let nr = ["nonRepudiation"];
        assert_eq!(
            judge(&signer(true, true, &nr), Some(&facts(&[]))).0,
            Qualification::QeSig
        );
        // No QcType and no list qualifiers: still qualified.
        assert_eq!(
            judge(&signer(true, false, &nr), Some(&facts(&["QCWithQSCD"]))).0,
            Qualification::QeSig
        );
        assert_eq!(
            judge(&signer(true, false, &nr), Some(&facts(&[]))).0,
            Qualification::AdesQc
        );
        assert_eq!(
            judge(&signer(true, true, &nr), Some(&facts(&["NotQualified"]))).0,
            Qualification::Ades
        );
        assert_eq!(
            judge(
                &signer(false, false, &nr),
                Some(&facts(&["QCStatement", "QCWithQSCD"]))
            )
            .0,
            Qualification::QeSig
        );
        assert_eq!(
            judge(
                &signer(true, true, &nr),
                Some(&facts(&["QCForLegalPerson"]))
            )
            .0,
            Qualification::QeSeal
        );
        assert_eq!(
            judge(&signer(true, true, &nr), None).0,
            Qualification::NotApplicable
        );
        let (label, check) = judge(
            &signer(true, true, &["digitalSignature"]),
            Some(&facts(&[])),
        );
        assert_eq!(label, Qualification::QeSig);
        assert!(check.message.contains("nonRepudiation"));
        assert_eq!(check.status, crate::verify::CheckStatus::Warning);
    }
}
