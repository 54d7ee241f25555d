//! The human-readable verification report (Italian by default).

use std::fmt::Write;

use crate::i18n::{outcome_word, sub_indication_text, verify_text as t, Lang};
use crate::verify::report::RevocationState;
use crate::verify::revocation::RevocationOrigin;
use crate::verify::{CheckStatus, Report, SignatureReport};

pub(crate) fn signer_name(sig: &SignatureReport) -> String {
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

pub(crate) fn time_display(rfc3339: &str) -> String {
    rfc3339.replace('T', " ").replace('Z', " UTC")
}

/// "Certificato attendibile": chain and validity together, as the desk reads them.
pub(crate) fn trusted_text(sig: &SignatureReport) -> crate::i18n::Text {
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
pub(crate) fn qualified_text(sig: &SignatureReport, lang: Lang) -> String {
    let label = sig.checks.qualified.message.split(':').next().unwrap_or("");
    match sig.checks.qualified.status {
        CheckStatus::NotChecked | CheckStatus::Indeterminate => {
            t::TRUSTED_UNKNOWN.get(lang).to_string()
        }
        _ if label.starts_with("QE") => format!("{} ({label})", t::QUALIFIED_YES.get(lang)),
        _ => format!("{} ({label})", t::QUALIFIED_NO.get(lang)),
    }
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
pub(crate) fn timestamp_text(sig: &SignatureReport, lang: Lang) -> String {
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
pub(crate) fn revocation_text(sig: &SignatureReport, lang: Lang) -> String {
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
        RevocationState::Unknown => format!("{}: {}", t::REV_UNKNOWN.get(lang), rev.message),
    }
}

fn signature_block(out: &mut String, sig: &SignatureReport, lang: Lang) {
    let label = if sig.parent.is_some() {
        t::COUNTERSIGNATURE.get(lang)
    } else {
        t::SIGNATURE.get(lang)
    };
    let yes_no = if sig.firma_integra() { t::YES } else { t::NO };
    let _ = writeln!(out, "  {label} {}", sig.id);
    let _ = writeln!(
        out,
        "    {}: {}",
        t::FIRMA_INTEGRA.get(lang),
        yes_no.get(lang)
    );
    let _ = writeln!(out, "    {}: {}", t::SIGNER.get(lang), signer_name(sig));
    if let Some(signer) = &sig.signer {
        if let Some(cf) = &signer.codice_fiscale {
            let mark = if cf.valid {
                String::new()
            } else {
                format!(" ({})", t::CF_INVALID.get(lang))
            };
            let _ = writeln!(
                out,
                "    {}: {}{mark}",
                t::CODICE_FISCALE.get(lang),
                cf.value
            );
        }
        let issuer = signer
            .issuer_common_name
            .clone()
            .or_else(|| signer.issuer_organization.clone())
            .unwrap_or_else(|| signer.issuer.clone());
        let _ = writeln!(out, "    {}: {issuer}", t::ISSUER.get(lang));
        let _ = writeln!(
            out,
            "    {}: {} → {}",
            t::CERT_VALIDITY.get(lang),
            time_display(&signer.not_before),
            time_display(&signer.not_after)
        );
    }
    let when = sig
        .signing_time
        .as_deref()
        .map(time_display)
        .unwrap_or_else(|| t::SIGNING_TIME_NONE.get(lang).to_string());
    let _ = writeln!(out, "    {}: {when}", t::SIGNING_TIME.get(lang));
    let trusted = trusted_text(sig);
    let _ = writeln!(
        out,
        "    {}: {}",
        t::CERT_TRUSTED.get(lang),
        trusted.get(lang)
    );
    let qualified = qualified_text(sig, lang);
    let _ = writeln!(out, "    {}: {qualified}", t::CERT_QUALIFIED.get(lang));
    let _ = writeln!(
        out,
        "    {}: {}",
        t::TIMESTAMP.get(lang),
        timestamp_text(sig, lang)
    );
    let _ = writeln!(
        out,
        "    {}: {}",
        t::REVOCATION.get(lang),
        revocation_text(sig, lang)
    );
    let reason = sig
        .sub_indication
        .map(|s| format!(": {}", sub_indication_text(s, lang)))
        .unwrap_or_default();
    let _ = writeln!(
        out,
        "    {}: {}{reason}",
        t::OUTCOME.get(lang),
        outcome_word(sig.indication, lang)
    );
    // Failures and warnings of the checks, with the technical detail (English, like logs).
    let checks = [
        ("format", &sig.checks.format),
        ("digest", &sig.checks.digest),
        ("signature", &sig.checks.signature),
        ("signed_attributes", &sig.checks.signed_attributes),
        ("validity", &sig.checks.validity),
        ("crypto_policy", &sig.checks.crypto_policy),
    ];
    for (name, check) in checks {
        if matches!(
            check.status,
            CheckStatus::Failed | CheckStatus::Warning | CheckStatus::Indeterminate
        ) {
            let _ = writeln!(out, "    ! {name}: {}", check.message);
        }
    }
}

/// Renders one report as text for the desk.
pub fn render(report: &Report, lang: Lang) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "{}: {}", t::FILE.get(lang), report.file);
    let _ = writeln!(out, "  {}: {}", t::SHA256.get(lang), report.sha256);
    if let Some(reason) = &report.reason {
        let _ = writeln!(out, "  {}: {reason}", t::UNREADABLE.get(lang));
    }
    if !report.encodings.is_empty() {
        let _ = writeln!(
            out,
            "  {}: {}",
            t::ENCODING.get(lang),
            report.encodings.join(", ")
        );
    }
    if let Some(content) = &report.content {
        let _ = writeln!(
            out,
            "  {}: {} ({}, {} {})",
            t::CONTENT.get(lang),
            content.suggested_name,
            content.media_type,
            content.size,
            t::BYTES.get(lang)
        );
    }
    let asserted = if report.validation_time_asserted {
        format!(" {}", t::ASSERTED.get(lang))
    } else {
        String::new()
    };
    let _ = writeln!(
        out,
        "  {}: {}{asserted}",
        t::VALIDATION_TIME.get(lang),
        time_display(&report.validation_time)
    );
    for sig in &report.signatures {
        signature_block(&mut out, sig, lang);
    }
    if !report.timestamp_tokens.is_empty() {
        let times: Vec<String> = report
            .timestamp_tokens
            .iter()
            .map(|t| {
                t.gen_time
                    .as_deref()
                    .map(time_display)
                    .unwrap_or_else(|| "?".into())
            })
            .collect();
        let _ = writeln!(
            out,
            "  {}: {}",
            t::TIMESTAMP_TOKENS.get(lang),
            times.join(", ")
        );
    }
    for warning in &report.warnings {
        let _ = writeln!(out, "  {}: {warning}", t::WARNINGS.get(lang));
    }
    let unchecked: Vec<&str> = [
        (
            t::NOT_CHECKED_CHAIN,
            report
                .signatures
                .iter()
                .any(|s| s.checks.chain.status == CheckStatus::NotChecked),
        ),
        (
            t::NOT_CHECKED_REVOCATION,
            report.signatures.iter().any(|s| {
                matches!(
                    s.checks.revocation.status,
                    CheckStatus::NotChecked | CheckStatus::Indeterminate
                )
            }),
        ),
        (
            t::NOT_CHECKED_TIMESTAMP,
            report
                .signatures
                .iter()
                .any(|s| s.checks.timestamp.status == CheckStatus::NotChecked),
        ),
        (
            t::NOT_CHECKED_QUALIFIED,
            report
                .signatures
                .iter()
                .any(|s| s.checks.qualified.status == CheckStatus::NotChecked),
        ),
    ]
    .iter()
    .filter(|(_, missing)| *missing)
    .map(|(text, _)| text.get(lang))
    .collect();
    if !unchecked.is_empty() {
        let _ = writeln!(
            out,
            "  {}: {}.",
            t::NOT_CHECKED_YET.get(lang),
            unchecked.join(", ")
        );
    }
    let reason = report
        .sub_indication
        .map(|s| format!(" — {}", sub_indication_text(s, lang)))
        .unwrap_or_default();
    let _ = writeln!(
        out,
        "{}: {}{reason}",
        t::OVERALL.get(lang),
        outcome_word(report.indication, lang)
    );
    out
}
