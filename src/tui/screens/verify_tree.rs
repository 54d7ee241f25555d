//! The report as a tree (levels → signatures → countersignatures) and the details of the
//! selected node: signer, codice fiscale, issuer, times, the three desk verdicts and every
//! check with its message.

use ratatui::text::{Line, Span};

use crate::i18n::report_words::{
    qualified_text, revocation_text, signer_name, timestamp_text, trusted_text,
};
use crate::i18n::{check_words, when};
use crate::i18n::{outcome_word, sub_indication_text, tui_text as tt, verify_text as t, Lang};
use crate::tui::widgets::style;
use crate::verify::{Check, CheckStatus, Report, SignatureReport};
use jiff::tz::TimeZone;

#[derive(Debug, Clone, Copy)]
pub enum Node {
    /// Index into `report.levels`.
    Level(usize),
    /// Index into `report.signatures`, and its depth below the level.
    Signature(usize, usize),
}

/// Levels outside in, each followed by its signatures, each followed by its countersignatures.
pub fn nodes(report: &Report) -> Vec<Node> {
    fn children(report: &Report, parent: &str, depth: usize, out: &mut Vec<Node>) {
        for (i, s) in report.signatures.iter().enumerate() {
            if s.parent.as_deref() == Some(parent) {
                out.push(Node::Signature(i, depth));
                children(report, &s.id, depth + 1, out);
            }
        }
    }
    let mut out = Vec::new();
    for (li, level) in report.levels.iter().enumerate() {
        out.push(Node::Level(li));
        for (i, s) in report.signatures.iter().enumerate() {
            if s.level == level.level && s.parent.is_none() {
                out.push(Node::Signature(i, 1));
                children(report, &s.id, 2, &mut out);
            }
        }
    }
    out
}

pub fn node_line(report: &Report, node: Node, lang: Lang) -> Line<'static> {
    match node {
        Node::Level(i) => {
            let level = &report.levels[i];
            Line::from(Span::styled(
                format!(
                    "{} {} · {} · {}",
                    t::LEVEL.get(lang),
                    level.level,
                    level.kind,
                    level.encoding
                ),
                style::title(),
            ))
        }
        Node::Signature(i, depth) => {
            let sig = &report.signatures[i];
            let label = if sig.parent.is_some() {
                t::COUNTERSIGNATURE.get(lang)
            } else {
                t::SIGNATURE.get(lang)
            };
            // The verdict first: in a narrow tree the name is what gets cut, not the verdict.
            Line::from(vec![
                Span::raw(format!("{}└ ", "  ".repeat(depth - 1))),
                Span::styled(
                    outcome_word(sig.indication, lang).to_string(),
                    style::indication(sig.indication),
                ),
                Span::raw(format!(" {label} {}", signer_name(sig))),
            ])
        }
    }
}

fn field(name: &str, value: String) -> Line<'static> {
    Line::from(vec![
        Span::styled(format!("{name}: "), style::title()),
        Span::raw(value),
    ])
}

fn status_word(status: CheckStatus, lang: Lang) -> &'static str {
    match status {
        CheckStatus::Passed => tt::CHECK_PASSED.get(lang),
        CheckStatus::Failed => tt::CHECK_FAILED.get(lang),
        CheckStatus::Warning => tt::CHECK_WARNING.get(lang),
        CheckStatus::NotChecked => tt::CHECK_NOT_CHECKED.get(lang),
        CheckStatus::Indeterminate => tt::CHECK_INDETERMINATE.get(lang),
    }
}

fn check_line(name: &str, check: &Check, lang: Lang, zone: &TimeZone) -> Line<'static> {
    // The finding in the officer's language; the English message when it has no key.
    let said = match &check.key {
        Some(key) => check_words::check_text(key, lang, zone),
        None => check.message.clone(),
    };
    Line::from(vec![
        Span::styled(
            format!("{:<8} ", status_word(check.status, lang)),
            style::check(check.status),
        ),
        Span::styled(format!("{name}: "), style::title()),
        Span::raw(said),
    ])
}

fn signature_details(sig: &SignatureReport, lang: Lang, zone: &TimeZone) -> Vec<Line<'static>> {
    let time_display = |t: &str| when::date_time(t, zone);
    let mut lines = vec![Line::from(vec![
        Span::styled(format!("{}: ", t::OUTCOME.get(lang)), style::title()),
        Span::styled(
            outcome_word(sig.indication, lang).to_string(),
            style::indication(sig.indication),
        ),
        Span::raw(
            sig.sub_indication
                .map(|s| format!(" — {}", sub_indication_text(s, lang)))
                .unwrap_or_default(),
        ),
    ])];
    let yes_no = if sig.firma_integra() { t::YES } else { t::NO };
    lines.push(Line::from(vec![
        Span::styled(format!("{}: ", t::FIRMA_INTEGRA.get(lang)), style::title()),
        Span::styled(
            yes_no.get(lang),
            if sig.firma_integra() {
                style::good()
            } else {
                style::bad()
            },
        ),
    ]));
    lines.push(field(
        t::CERT_TRUSTED.get(lang),
        trusted_text(sig).get(lang).to_string(),
    ));
    lines.push(field(
        t::CERT_QUALIFIED.get(lang),
        qualified_text(sig, lang),
    ));
    lines.push(field(t::TIMESTAMP.get(lang), timestamp_text(sig, lang)));
    lines.push(field(t::REVOCATION.get(lang), revocation_text(sig, lang)));
    lines.push(field(t::SIGNER.get(lang), signer_name(sig)));
    if let Some(signer) = &sig.signer {
        if let Some(cf) = &signer.codice_fiscale {
            let mark = if cf.valid {
                String::new()
            } else {
                format!(" ({})", t::CF_INVALID.get(lang))
            };
            lines.push(field(
                t::CODICE_FISCALE.get(lang),
                format!("{}{mark}", cf.value),
            ));
        }
        let issuer = signer
            .issuer_common_name
            .clone()
            .or_else(|| signer.issuer_organization.clone())
            .unwrap_or_else(|| signer.issuer.clone());
        lines.push(field(t::ISSUER.get(lang), issuer));
        lines.push(field(
            t::CERT_VALIDITY.get(lang),
            format!(
                "{} → {}",
                time_display(&signer.not_before),
                time_display(&signer.not_after)
            ),
        ));
    }
    lines.push(field(
        t::SIGNING_TIME.get(lang),
        sig.signing_time
            .as_deref()
            .map(time_display)
            .unwrap_or_else(|| t::SIGNING_TIME_NONE.get(lang).to_string()),
    ));
    lines.push(field(
        tt::ALGORITHMS.get(lang),
        format!("{} / {}", sig.digest_algorithm, sig.signature_algorithm),
    ));
    lines.push(Line::from(""));
    lines.push(Line::from(Span::styled(
        tt::CHECKS.get(lang),
        style::title(),
    )));
    let c = &sig.checks;
    for (name, check) in [
        (t::CHECK_FORMAT, &c.format),
        (t::CHECK_DIGEST, &c.digest),
        (t::CHECK_SIGNATURE, &c.signature),
        (t::CHECK_ATTRIBUTES, &c.signed_attributes),
        (tt::CHECK_CHAIN, &c.chain),
        (t::CHECK_VALIDITY, &c.validity),
        (tt::CHECK_REVOCATION, &c.revocation),
        (tt::CHECK_TIMESTAMP, &c.timestamp),
        (t::CHECK_CRYPTO, &c.crypto_policy),
        (tt::CHECK_QUALIFIED, &c.qualified),
    ] {
        lines.push(check_line(name.get(lang), check, lang, zone));
    }
    lines
}

pub fn details(
    report: &Report,
    node: Option<Node>,
    lang: Lang,
    zone: &TimeZone,
) -> Vec<Line<'static>> {
    match node {
        Some(Node::Signature(i, _)) => signature_details(&report.signatures[i], lang, zone),
        Some(Node::Level(i)) => {
            let level = &report.levels[i];
            let mut lines = vec![
                field(
                    t::LEVEL.get(lang),
                    format!("{} ({})", level.level, level.kind),
                ),
                field(t::ENCODING.get(lang), level.encoding.clone()),
                field(tt::CONTENT_TYPE.get(lang), level.content_type.clone()),
                field(tt::SIGNERS.get(lang), level.signer_count.to_string()),
            ];
            if level.detached {
                lines.push(Line::from(Span::styled(
                    tt::DETACHED.get(lang),
                    style::warn(),
                )));
            }
            lines
        }
        None => report
            .reason
            .iter()
            .map(|r| field(t::UNREADABLE.get(lang), r.clone()))
            .collect(),
    }
}
