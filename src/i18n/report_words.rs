//! A signature's report in the desk's words: who signed, whether the certificate is trusted
//! and qualified. Shared by the command line's text and the screens.

use super::{verify_text as t, Lang, Text};
use crate::verify::{CheckStatus, SignatureReport};

/// The signer as people say it: given name and surname, else the certificate's name.
pub fn signer_name(sig: &SignatureReport) -> String {
    let Some(signer) = &sig.signer else {
        return "-".into();
    };
    match (&signer.given_name, &signer.surname) {
        (Some(g), Some(s)) => format!("{g} {s}"),
        _ => signer
            .common_name
            .clone()
            .unwrap_or_else(|| signer.subject.clone()),
    }
}

/// "Certificato attendibile": chain and validity together, as the desk reads them.
pub fn trusted_text(sig: &SignatureReport) -> Text {
    match (sig.checks.chain.status, sig.checks.validity.status) {
        (CheckStatus::Passed, CheckStatus::Passed) => t::TRUSTED_YES,
        (CheckStatus::Passed | CheckStatus::Warning, _) => t::TRUSTED_EXPIRED,
        (CheckStatus::Failed, _) => t::TRUSTED_NO,
        _ => t::TRUSTED_UNKNOWN,
    }
}

/// "Certificato qualificato": yes/no with the ETSI label, or not checked.
pub fn qualified_text(sig: &SignatureReport, lang: Lang) -> String {
    let label = sig.checks.qualified.message.split(':').next().unwrap_or("");
    match sig.checks.qualified.status {
        CheckStatus::NotChecked | CheckStatus::Indeterminate => {
            t::TRUSTED_UNKNOWN.get(lang).to_string()
        }
        _ if label.starts_with("QE") => format!("{} ({label})", t::QUALIFIED_YES.get(lang)),
        _ => format!("{} ({label})", t::QUALIFIED_NO.get(lang)),
    }
}
