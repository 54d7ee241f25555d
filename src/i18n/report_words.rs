//! A signature's report in the desk's words: who signed, whether the certificate is trusted
//! and qualified. Shared by the command line's text and the screens.

use super::{verify_text as t, Lang, Text};
use crate::verify::report::RevocationState;
use crate::verify::revocation::RevocationOrigin;
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
        (CheckStatus::Warning, CheckStatus::Passed) if sig.best_signature_time.is_some() => {
            t::TRUSTED_EXPIRED_AFTER_PROOF
        }
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

/// A report's RFC 3339 UTC time as people read it.
pub fn time_display(rfc3339: &str) -> String {
    rfc3339.replace('T', " ").replace('Z', " UTC")
}

/// "O (CN)" of a subject, or the subject itself.
fn short_subject(subject: &str) -> String {
    let part = |key: &str| {
        subject
            .split(", ")
            .find_map(|p| p.strip_prefix(key))
            .map(str::to_string)
    };
    match (part("O="), part("CN=")) {
        (Some(o), Some(cn)) => format!("{o} ({cn})"),
        (None, Some(cn)) => cn,
        (Some(o), None) => o,
        (None, None) => subject.to_string(),
    }
}

/// The *marca temporale* line: the proven time and its TSA, or why the time is only declared.
pub fn timestamp_text(sig: &SignatureReport, lang: Lang) -> String {
    let Some(best) = &sig.best_signature_time else {
        return if sig.timestamps.is_empty() {
            t::TS_NONE.get(lang).to_string()
        } else {
            t::TS_INVALID.get(lang).to_string()
        };
    };
    let token = sig
        .timestamps
        .iter()
        .find(|tk| tk.check.status == CheckStatus::Passed && tk.gen_time.as_ref() == Some(best));
    match token {
        Some(tk) => format!(
            "{}, {} ({}) — {}",
            time_display(best),
            short_subject(tk.tsa.as_deref().unwrap_or("-")),
            if tk.qualified {
                t::TS_QUALIFIED.get(lang)
            } else {
                t::TS_NOT_QUALIFIED.get(lang)
            },
            t::TS_PROVEN.get(lang)
        ),
        None => format!(
            "{} — {}, {}",
            time_display(best),
            t::TS_PROVEN.get(lang),
            t::TS_OTHER_SIGNATURE.get(lang)
        ),
    }
}

/// The revocation line: the answer, its source and the date of the data.
pub fn revocation_text(sig: &SignatureReport, lang: Lang) -> String {
    let Some(rev) = &sig.revocation else {
        return t::REV_NOT_ASKED.get(lang).to_string();
    };
    let source = rev.source.map(|s| match s {
        RevocationOrigin::Embedded => t::REV_EMBEDDED,
        RevocationOrigin::Store => t::REV_STORE,
        RevocationOrigin::Ocsp => t::REV_OCSP,
        RevocationOrigin::CrlDownload => t::REV_DOWNLOAD,
    });
    let data = match (source, &rev.this_update) {
        (Some(src), Some(when)) => format!(
            " — {}, {} {}",
            src.get(lang),
            t::REV_DATA_OF.get(lang),
            time_display(when)
        ),
        _ => String::new(),
    };
    match rev.status {
        RevocationState::Good => format!("{}{data}", t::REV_GOOD.get(lang)),
        RevocationState::Revoked => format!(
            "{} {}{}{data}",
            t::REV_REVOKED.get(lang),
            rev.revoked_at
                .as_deref()
                .map(time_display)
                .unwrap_or_default(),
            rev.reason
                .as_deref()
                .map(|r| format!(" ({r})"))
                .unwrap_or_default()
        ),
        // The reason is technical: English, like the check messages.
        RevocationState::Unknown => {
            // The reason without the certificate's subject: one line on the screen.
            let reason = rev
                .message
                .split_once(" unknown: ")
                .map_or(rev.message.as_str(), |(_, r)| r);
            format!("{}: {reason}", t::REV_UNKNOWN.get(lang))
        }
    }
}
