//! The printable verification report: per file, the verdict first on a coloured band, then
//! the file's facts, each signature with the desk's three verdicts, the warnings in words;
//! at the end the trusted list used and a line for the officer's signature.

use crate::i18n::report_text as r;
use crate::i18n::report_words::{qualified_text, signer_name, time_display, trusted_text};
use crate::i18n::{outcome_word, sub_indication_text, verify_text as t, Lang};
use crate::pdf::{Color, Flow, Fonts, PdfError};
use crate::verify::{CheckStatus, Indication, Report, SignatureReport};

use super::Context;

fn verdict_color(indication: Indication) -> Color {
    match indication {
        Indication::TotalPassed => Color::GREEN,
        Indication::Indeterminate => Color::AMBER,
        Indication::TotalFailed => Color::RED,
    }
}

/// "VALIDA", or "NON VALIDA — il documento è stato modificato dopo la firma".
fn verdict_line(
    indication: Indication,
    sub: Option<crate::verify::SubIndication>,
    lang: Lang,
) -> String {
    match sub {
        Some(sub) => format!(
            "{} — {}",
            outcome_word(indication, lang),
            sub_indication_text(sub, lang)
        ),
        None => outcome_word(indication, lang).to_string(),
    }
}

fn human_size(bytes: u64, lang: Lang) -> String {
    let exact = format!("{bytes} {}", t::BYTES.get(lang));
    if bytes >= 1 << 20 {
        format!("{:.1} MB ({exact})", bytes as f64 / (1 << 20) as f64)
    } else if bytes >= 1 << 10 {
        format!("{:.1} KB ({exact})", bytes as f64 / 1024.0)
    } else {
        exact
    }
}

fn signature_section(flow: &mut Flow, sig: &SignatureReport, lang: Lang) {
    flow.set_indent(sig.parent.is_some() as usize);
    let kind = if sig.parent.is_some() {
        t::COUNTERSIGNATURE
    } else {
        t::SIGNATURE
    };
    flow.subheading(&format!(
        "{} {} — {}",
        kind.get(lang),
        sig.id,
        signer_name(sig)
    ));
    flow.row_colored(
        t::OUTCOME.get(lang),
        &verdict_line(sig.indication, sig.sub_indication, lang),
        verdict_color(sig.indication),
    );
    let intact = if sig.firma_integra() { t::YES } else { t::NO };
    flow.row(t::FIRMA_INTEGRA.get(lang), intact.get(lang));
    flow.row(t::CERT_TRUSTED.get(lang), trusted_text(sig).get(lang));
    flow.row(t::CERT_QUALIFIED.get(lang), &qualified_text(sig, lang));
    flow.row(t::SIGNER.get(lang), &signer_name(sig));
    if let Some(signer) = &sig.signer {
        if let Some(cf) = &signer.codice_fiscale {
            let mark = if cf.valid {
                String::new()
            } else {
                format!(" ({})", t::CF_INVALID.get(lang))
            };
            flow.row(t::CODICE_FISCALE.get(lang), &format!("{}{mark}", cf.value));
        }
        let issuer = signer
            .issuer_common_name
            .clone()
            .or_else(|| signer.issuer_organization.clone())
            .unwrap_or_else(|| signer.issuer.clone());
        flow.row(t::ISSUER.get(lang), &issuer);
        flow.row(
            t::CERT_VALIDITY.get(lang),
            &format!(
                "{} → {}",
                time_display(&signer.not_before),
                time_display(&signer.not_after)
            ),
        );
    }
    let when = sig
        .signing_time
        .as_deref()
        .map(time_display)
        .unwrap_or_else(|| t::SIGNING_TIME_NONE.get(lang).to_string());
    flow.row(t::SIGNING_TIME.get(lang), &when);
    flow.row(r::PDF_TIMESTAMP.get(lang), &sig.checks.timestamp.message);
    flow.row(
        r::PDF_ALGORITHMS.get(lang),
        &format!("{}, {}", sig.digest_algorithm, sig.signature_algorithm),
    );
    // The checks that did not pass, with their detail.
    let checks = [
        (t::CHECK_FORMAT, &sig.checks.format),
        (t::CHECK_DIGEST, &sig.checks.digest),
        (t::CHECK_SIGNATURE, &sig.checks.signature),
        (t::CHECK_ATTRIBUTES, &sig.checks.signed_attributes),
        (t::NOT_CHECKED_CHAIN, &sig.checks.chain),
        (t::CHECK_VALIDITY, &sig.checks.validity),
        (t::NOT_CHECKED_REVOCATION, &sig.checks.revocation),
        (t::CHECK_CRYPTO, &sig.checks.crypto_policy),
        (t::NOT_CHECKED_QUALIFIED, &sig.checks.qualified),
    ];
    for (name, check) in checks {
        let color = match check.status {
            CheckStatus::Failed => Color::RED,
            CheckStatus::Warning | CheckStatus::Indeterminate | CheckStatus::NotChecked => {
                Color::AMBER
            }
            CheckStatus::Passed => continue,
        };
        flow.row_colored(&format!("! {}", name.get(lang)), &check.message, color);
    }
    flow.space(4.0);
    flow.set_indent(0);
}

fn file_section(flow: &mut Flow, number: usize, report: &Report, lang: Lang) {
    flow.heading(&format!(
        "{} {number}: {}",
        r::PDF_FILE_SECTION.get(lang),
        file_name(&report.file)
    ));
    flow.banner(
        &format!(
            "{}: {}",
            t::OVERALL.get(lang),
            verdict_line(report.indication, report.sub_indication, lang)
        ),
        verdict_color(report.indication),
    );
    flow.row(r::PDF_NAME.get(lang), &report.file);
    flow.row(r::PDF_SIZE.get(lang), &human_size(report.size, lang));
    flow.row(t::SHA256.get(lang), &report.sha256);
    let how = if report.validation_time_asserted {
        r::PDF_ASSERTED
    } else {
        r::PDF_CURRENT
    };
    flow.row(
        r::PDF_VALIDATION_TIME.get(lang),
        &format!(
            "{} ({})",
            time_display(&report.validation_time),
            how.get(lang)
        ),
    );
    if !report.encodings.is_empty() {
        flow.row(t::ENCODING.get(lang), &report.encodings.join(", "));
    }
    if let Some(content) = &report.content {
        flow.row(
            r::PDF_SIGNED_DOCUMENT.get(lang),
            &format!(
                "{} ({}, {})",
                content.suggested_name,
                content.media_type,
                human_size(content.size, lang)
            ),
        );
    }
    let stamps: Vec<String> = report
        .timestamp_tokens
        .iter()
        .map(|tok| {
            format!(
                "{} ({})",
                tok.gen_time
                    .as_deref()
                    .map(time_display)
                    .unwrap_or_else(|| "?".into()),
                tok.source
            )
        })
        .collect();
    if !stamps.is_empty() {
        flow.row(t::TIMESTAMP_TOKENS.get(lang), &stamps.join("; "));
    }
    if let Some(reason) = &report.reason {
        flow.row_colored(r::PDF_REASON.get(lang), reason, Color::RED);
    }
    for warning in &report.warnings {
        flow.row_colored(t::WARNINGS.get(lang), warning, Color::AMBER);
    }
    flow.subheading(r::PDF_SIGNATURES.get(lang));
    if report.signatures.is_empty() {
        flow.paragraph(r::PDF_NO_SIGNATURES.get(lang));
    }
    for sig in &report.signatures {
        signature_section(flow, sig, lang);
    }
}

fn file_name(shown: &str) -> String {
    std::path::Path::new(shown)
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| shown.to_string())
}

fn trust_section(flow: &mut Flow, context: &Context) {
    let lang = context.lang;
    flow.heading(r::PDF_TRUST_LISTS.get(lang));
    if context.lists.is_empty() {
        flow.paragraph(r::PDF_NO_TRUST_LIST.get(lang));
    }
    for list in &context.lists {
        flow.row(r::PDF_TERRITORY.get(lang), &list.territory);
        flow.row(r::PDF_SEQUENCE.get(lang), &list.sequence_number.to_string());
        flow.row(r::PDF_ISSUED.get(lang), &time_display(&list.issue_date));
        if let Some(next) = &list.next_update {
            flow.row(r::PDF_NEXT_UPDATE.get(lang), &time_display(next));
        }
        if list.stale {
            flow.row_colored("", r::PDF_STALE.get(lang), Color::RED);
        } else {
            flow.row("", r::PDF_CURRENT_LIST.get(lang));
        }
        flow.space(4.0);
    }
}

/// The PDF of `reports`.
pub fn encode(reports: &[Report], context: &Context) -> Result<Vec<u8>, PdfError> {
    let lang = context.lang;
    let language = match lang {
        Lang::It => "it",
        Lang::En => "en",
    };
    let mut flow = Flow::new(
        Fonts::embedded()?,
        r::PDF_TITLE.get(lang),
        language,
        r::PDF_FOOTER.get(lang),
    );
    flow.title(r::PDF_TITLE.get(lang));
    flow.row(
        r::PDF_GENERATED.get(lang),
        &time_display(&context.produced_at),
    );
    if reports.len() > 1 {
        let count = |i: Indication| reports.iter().filter(|rep| rep.indication == i).count();
        flow.row(
            r::PDF_FILES.get(lang),
            &format!(
                "{} — {} {}, {} {}, {} {}",
                reports.len(),
                count(Indication::TotalPassed),
                r::COUNT_VALID.get(lang),
                count(Indication::TotalFailed),
                r::COUNT_INVALID.get(lang),
                count(Indication::Indeterminate),
                r::COUNT_TO_CHECK.get(lang)
            ),
        );
    }
    flow.space(6.0);
    for (i, report) in reports.iter().enumerate() {
        file_section(&mut flow, i + 1, report, lang);
    }
    trust_section(&mut flow, context);
    flow.space(24.0);
    flow.paragraph(r::PDF_SIGN_HERE.get(lang));
    flow.finish()
}
