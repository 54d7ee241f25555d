//! Guessing the media type of a signed document from its first bytes, and the name it
//! should be extracted under.

/// Media type from magic numbers; the file name is not trusted.
pub fn sniff_media_type(prefix: &[u8]) -> &'static str {
    let starts = |magic: &[u8]| prefix.starts_with(magic);
    if starts(b"%PDF-") {
        "application/pdf"
    } else if starts(b"PK\x03\x04") {
        "application/zip"
    } else if starts(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) {
        "application/x-ole-storage"
    } else if starts(&[0x89, b'P', b'N', b'G']) {
        "image/png"
    } else if starts(&[0xFF, 0xD8, 0xFF]) {
        "image/jpeg"
    } else if starts(b"II*\0") || starts(b"MM\0*") {
        "image/tiff"
    } else if starts(b"{\\rtf") {
        "application/rtf"
    } else if starts(&[0x30]) {
        "application/octet-stream"
    } else if looks_like_xml(prefix) {
        "application/xml"
    } else if std::str::from_utf8(prefix).is_ok()
        || prefix
            .iter()
            .all(|b| b.is_ascii_graphic() || b.is_ascii_whitespace() || *b >= 0xA0)
    {
        "text/plain"
    } else {
        "application/octet-stream"
    }
}

fn looks_like_xml(prefix: &[u8]) -> bool {
    let text = prefix.strip_prefix(&[0xEF, 0xBB, 0xBF]).unwrap_or(prefix);
    let skip = text.iter().take_while(|b| b.is_ascii_whitespace()).count();
    text.get(skip..)
        .is_some_and(|t| t.starts_with(b"<?xml") || t.starts_with(b"<"))
}

/// The document's name: the file name without its envelope suffixes (`.p7m`, `.m7m`,
/// `.tsd`, `.p7s`, repeated as in `x.pdf.p7m.p7m`).
pub fn document_name(file_name: &str) -> String {
    let mut name = file_name.to_string();
    loop {
        let lower = name.to_ascii_lowercase();
        let stripped = [".p7m", ".m7m", ".tsd", ".p7s", ".pkcs7"]
            .iter()
            .find(|ext| lower.ends_with(*ext) && lower.len() > ext.len());
        match stripped {
            Some(ext) => name.truncate(name.len() - ext.len()),
            None => break,
        }
    }
    if name.is_empty() || name == file_name {
        format!("{name}.contenuto")
    } else {
        name
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names() {
        assert_eq!(document_name("atto.pdf.p7m"), "atto.pdf");
        assert_eq!(document_name("atto.pdf.P7M.p7m"), "atto.pdf");
        assert_eq!(document_name("x.pdf.p7m.tsd"), "x.pdf");
        assert_eq!(document_name("firma.bin"), "firma.bin.contenuto");
    }

    #[test]
    fn magic() {
        assert_eq!(sniff_media_type(b"%PDF-1.4\n"), "application/pdf");
        assert_eq!(sniff_media_type(b"<?xml version"), "application/xml");
        assert_eq!(sniff_media_type(b"Hello World"), "text/plain");
        assert_eq!(
            sniff_media_type(&[0x00, 0x01, 0x02, 0x9F]),
            "application/octet-stream"
        );
    }
}
