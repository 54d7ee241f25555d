//! The batch report as a sheet: one row per signature (a file without any readable signature
//! still has its row). UTF-8 with a byte-order mark, so LibreOffice and Excel open it with
//! the accents intact; comma-separated with RFC 4180 quoting.

use crate::i18n::report_words::{qualified_text, signer_name, time_display, trusted_text};
use crate::i18n::{verify_text as t, Lang, Text};
use crate::verify::{Report, SignatureReport};

const BOM: &str = "\u{feff}";

const HEADER: [Text; 13] = [
    Text::new("file", "file"),
    Text::new("sha256", "sha256"),
    Text::new("livello", "level"),
    Text::new("id firma", "signature id"),
    Text::new("firmatario", "signer"),
    Text::new("codice fiscale", "codice fiscale"),
    Text::new("data di firma dichiarata", "declared signing time"),
    Text::new("marca temporale", "time-stamp time"),
    Text::new("indication", "indication"),
    Text::new("sub-indication", "sub-indication"),
    Text::new("firma integra", "signature intact"),
    Text::new("certificato attendibile", "certificate trusted"),
    Text::new("certificato qualificato", "qualified certificate"),
];

fn field(value: &str) -> String {
    if value.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", value.replace('"', "\"\""))
    } else {
        value.to_string()
    }
}

fn enum_name<T: serde::Serialize>(value: &T) -> String {
    serde_json::to_value(value)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default()
}

/// Times of the file's time-stamp tokens, joined.
fn timestamp_times(report: &Report) -> String {
    report
        .timestamp_tokens
        .iter()
        .filter_map(|t| t.gen_time.as_deref().map(time_display))
        .collect::<Vec<_>>()
        .join("; ")
}

fn signature_row(report: &Report, sig: &SignatureReport, lang: Lang) -> Vec<String> {
    let cf = sig
        .signer
        .as_ref()
        .and_then(|s| s.codice_fiscale.as_ref())
        .map(|cf| cf.value.clone())
        .unwrap_or_default();
    let intact = if sig.firma_integra() { t::YES } else { t::NO };
    vec![
        report.file.clone(),
        report.sha256.clone(),
        sig.level.to_string(),
        sig.id.clone(),
        if sig.signer.is_some() {
            signer_name(sig)
        } else {
            String::new()
        },
        cf,
        sig.signing_time
            .as_deref()
            .map(time_display)
            .unwrap_or_default(),
        timestamp_times(report),
        enum_name(&sig.indication),
        sig.sub_indication
            .map(|s| enum_name(&s))
            .unwrap_or_default(),
        intact.get(lang).to_string(),
        trusted_text(sig).get(lang).to_string(),
        qualified_text(sig, lang),
    ]
}

fn file_row(report: &Report) -> Vec<String> {
    vec![
        report.file.clone(),
        report.sha256.clone(),
        String::new(),
        String::new(),
        String::new(),
        String::new(),
        String::new(),
        timestamp_times(report),
        enum_name(&report.indication),
        report
            .sub_indication
            .map(|s| enum_name(&s))
            .unwrap_or_default(),
        String::new(),
        String::new(),
        String::new(),
    ]
}

pub fn encode(reports: &[Report], lang: Lang) -> Vec<u8> {
    let mut out = String::from(BOM);
    let mut push = |cells: Vec<String>| {
        let line: Vec<String> = cells.iter().map(|c| field(c)).collect();
        out.push_str(&line.join(","));
        out.push_str("\r\n");
    };
    push(HEADER.iter().map(|h| h.get(lang).to_string()).collect());
    for report in reports {
        if report.signatures.is_empty() {
            push(file_row(report));
        }
        for sig in &report.signatures {
            push(signature_row(report, sig, lang));
        }
    }
    out.into_bytes()
}

#[cfg(test)]
mod tests {
    use super::field;

    #[test]
    fn fields_with_separators_or_quotes_are_quoted() {
        assert_eq!(field("Rossi, Mario"), "\"Rossi, Mario\"");
        assert_eq!(field("a \"b\""), "\"a \"\"b\"\"\"");
        assert_eq!(field("Niccolò"), "Niccolò");
    }
}
