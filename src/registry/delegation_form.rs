//! The delegation form (modulo di delega) the desk prepares from a nomination's data, as a
//! one-page PDF for the legal representative to sign at the counter. Written directly (PDF 1.4,
//! the standard Helvetica font in WinAnsiEncoding, which every reader has): small, the same
//! bytes for the same data, and nothing read from disk at run time.

use time::Date;

use crate::crypto::algorithms::DigestAlgorithm;
use crate::crypto::digest::digest;

/// A4 in PDF points.
const PAGE_WIDTH: u32 = 595;
const PAGE_HEIGHT: u32 = 842;
const MARGIN: u32 = 60;
/// Characters per line at 11 pt that stay inside the margins in Helvetica.
const WRAP: usize = 85;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DelegationFormData {
    pub company_name: String,
    pub company_cf: String,
    pub representative_name: String,
    pub representative_cf: String,
    pub administrator_name: String,
    pub administrator_cf: String,
    pub office: String,
    pub date: Date,
}

#[derive(Debug, Clone)]
pub struct DelegationPdf {
    pub bytes: Vec<u8>,
    pub pages: usize,
    pub sha256: String,
}

#[derive(Debug, thiserror::Error)]
pub enum FormError {
    #[error("the form text holds a character the PDF font cannot show: {0:?}")]
    Unencodable(char),
}

/// A PDF string literal in WinAnsiEncoding (Latin-1 for the Italian letters), escaped.
fn pdf_string(text: &str) -> Result<Vec<u8>, FormError> {
    let mut out = vec![b'('];
    for c in text.chars() {
        let code = match c {
            '\u{2019}' => 0x92,
            c if (c as u32) < 0x7F || (0xA0..=0xFF).contains(&(c as u32)) => c as u32 as u8,
            other => return Err(FormError::Unencodable(other)),
        };
        if matches!(code, b'(' | b')' | b'\\') {
            out.push(b'\\');
        }
        out.push(code);
    }
    out.push(b')');
    Ok(out)
}

fn wrap(text: &str) -> Vec<String> {
    let mut lines = Vec::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        if !line.is_empty() && line.chars().count() + 1 + word.chars().count() > WRAP {
            lines.push(std::mem::take(&mut line));
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines
}

/// The form's text, paragraph by paragraph (the first is the title).
pub fn paragraphs(d: &DelegationFormData) -> Vec<String> {
    let date = format!(
        "{:02}/{:02}/{}",
        d.date.day(),
        u8::from(d.date.month()),
        d.date.year()
    );
    vec![
        "MODULO DI DELEGA - NOMINA DELL'AMMINISTRATORE DELLE UTENZE".to_string(),
        format!(
            "Azienda: {} - codice fiscale {}",
            d.company_name, d.company_cf
        ),
        format!(
            "Il/La sottoscritto/a {}, codice fiscale {}, in qualità di legale rappresentante \
             dell'azienda sopra indicata,",
            d.representative_name, d.representative_cf
        ),
        format!(
            "DELEGA {}, codice fiscale {}, quale amministratore delle utenze dell'azienda \
             presso i servizi per il lavoro, con facoltà di abilitare collaboratori e di \
             assegnare loro i profili previsti.",
            d.administrator_name, d.administrator_cf
        ),
        "Il delegante dichiara di essere consapevole che l'amministratore risponde \
         dell'uso delle utenze e che la revoca dei collaboratori va effettuata entro 5 giorni \
         dalla cessazione del rapporto di lavoro."
            .to_string(),
        format!("Luogo e data: {}, {date}", d.office),
        "Firmato digitalmente allo sportello dal legale rappresentante, identificato con la \
         propria carta (CAD art. 65; DPR 445/2000 art. 38)."
            .to_string(),
    ]
}

/// The page's content stream: each paragraph wrapped, the title in bold.
fn content_stream(d: &DelegationFormData) -> Result<Vec<u8>, FormError> {
    let mut out = Vec::new();
    let mut y = PAGE_HEIGHT - MARGIN - 20;
    for (n, paragraph) in paragraphs(d).iter().enumerate() {
        let (font, size) = if n == 0 { ("F2", 13) } else { ("F1", 11) };
        for line in wrap(paragraph) {
            out.extend_from_slice(format!("BT /{font} {size} Tf {MARGIN} {y} Td ").as_bytes());
            out.extend_from_slice(&pdf_string(&line)?);
            out.extend_from_slice(b" Tj ET\n");
            y = y.saturating_sub(size * 3 / 2);
        }
        y = y.saturating_sub(10);
    }
    Ok(out)
}

/// Renders the form. The same data gives the same bytes.
pub fn render(d: &DelegationFormData) -> Result<DelegationPdf, FormError> {
    let content = content_stream(d)?;
    let font = |base: &str| {
        format!("<< /Type /Font /Subtype /Type1 /BaseFont /{base} /Encoding /WinAnsiEncoding >>")
            .into_bytes()
    };
    let mut stream = format!("<< /Length {} >>\nstream\n", content.len()).into_bytes();
    stream.extend_from_slice(&content);
    stream.extend_from_slice(b"\nendstream");
    let objects: Vec<Vec<u8>> = vec![
        b"<< /Type /Catalog /Pages 2 0 R >>".to_vec(),
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_vec(),
        format!(
            "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 {PAGE_WIDTH} {PAGE_HEIGHT}] \
             /Resources << /Font << /F1 4 0 R /F2 5 0 R >> >> /Contents 6 0 R >>"
        )
        .into_bytes(),
        font("Helvetica"),
        font("Helvetica-Bold"),
        stream,
    ];
    let mut bytes = b"%PDF-1.4\n%\xE2\xE3\xCF\xD3\n".to_vec();
    let mut offsets = Vec::with_capacity(objects.len());
    for (n, object) in objects.iter().enumerate() {
        offsets.push(bytes.len());
        bytes.extend_from_slice(format!("{} 0 obj\n", n + 1).as_bytes());
        bytes.extend_from_slice(object);
        bytes.extend_from_slice(b"\nendobj\n");
    }
    let xref = bytes.len();
    bytes.extend_from_slice(
        format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).as_bytes(),
    );
    for offset in offsets {
        bytes.extend_from_slice(format!("{offset:010} 00000 n \n").as_bytes());
    }
    bytes.extend_from_slice(
        format!(
            "trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n",
            objects.len() + 1
        )
        .as_bytes(),
    );
    Ok(DelegationPdf {
        sha256: hex::encode(digest(DigestAlgorithm::Sha256, &bytes)),
        bytes,
        pages: 1,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn data() -> DelegationFormData {
        DelegationFormData {
            company_name: "ACME SRL".into(),
            company_cf: "01234567890".into(),
            representative_name: "MARIO ROSSI".into(),
            representative_cf: "RSSMRA80A01H501U".into(),
            administrator_name: "LUCIA VERDI".into(),
            administrator_cf: "VRDLCU85M41F205J".into(),
            office: "CPI di Trento".into(),
            date: time::macros::date!(2026 - 12 - 03),
        }
    }

    #[test]
    fn a_one_page_pdf_with_the_nomination_data() {
        let pdf = render(&data()).expect("render");
        assert!(pdf.bytes.starts_with(b"%PDF-"));
        assert!(pdf.bytes.ends_with(b"%%EOF\n"));
        // Latin-1 letters are encoded, not dropped: "qualità" ends in 0xE0.
        assert!(pdf.bytes.windows(7).any(|w| w == b"qualit\xE0"));
        assert_eq!(pdf.pages, 1);
        assert_eq!(pdf.sha256.len(), 64);
        // The same data gives the same document (its SHA-256 is shown and signed).
        assert_eq!(render(&data()).expect("render").bytes, pdf.bytes);
        let text = paragraphs(&data()).join("\n");
        for needle in [
            "ACME SRL",
            "RSSMRA80A01H501U",
            "LUCIA VERDI",
            "CPI di Trento",
            "03/12/2026",
        ] {
            assert!(text.contains(needle), "{needle}");
        }
    }

    #[test]
    fn strings_are_escaped_and_foreign_letters_refused() {
        assert_eq!(pdf_string("a(b)\\").unwrap(), b"(a\\(b\\)\\\\)");
        assert!(matches!(
            pdf_string("\u{4e2d}"),
            Err(FormError::Unencodable(_))
        ));
    }

    #[test]
    fn long_paragraphs_wrap() {
        let lines = wrap(&"parola ".repeat(40));
        assert!(lines.len() > 1);
        assert!(lines.iter().all(|l| l.chars().count() <= WRAP));
    }
}
