//! The human-readable verification report (Italian by default).

use std::fmt::Write;

pub(crate) use crate::i18n::report_words::time_display;
use crate::i18n::report_words::{
    qualified_text, revocation_text, signer_name, timestamp_text, trusted_text,
};
use crate::i18n::{outcome_word, sub_indication_text, verify_text as t, Lang};
use crate::verify::{CheckStatus, Report, SignatureReport};

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
