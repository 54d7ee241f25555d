//! Recognising how an envelope was transported: binary DER/BER, bare base64 (LF or CRLF),
//! PEM, or a MIME `.m7m`. Decided by looking at the bytes, never by file names or headers.

use std::borrow::Cow;

use base64::Engine;

use super::ber::{tags, Tlv};
use super::error::EnvelopeError;

/// What a transport layer turned out to be.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Transport {
    Binary,
    Base64Lf,
    Base64Crlf,
    Pem,
    Mime,
}

impl Transport {
    pub fn label(self) -> &'static str {
        match self {
            Transport::Binary => "binary",
            Transport::Base64Lf => "base64",
            Transport::Base64Crlf => "base64-crlf",
            Transport::Pem => "PEM",
            Transport::Mime => "MIME",
        }
    }
}

/// The DER prefix of `ContentInfo { contentType id-signedData ... }` after the outer header.
const SIGNED_DATA_OID_TLV: [u8; 11] = [
    0x06, 0x09, 0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x07, 0x02,
];

fn is_base64_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'+' | b'/' | b'=' | b'-' | b'_')
}

fn trim_ascii_start(data: &[u8]) -> &[u8] {
    let data = data.strip_prefix(&[0xEF, 0xBB, 0xBF]).unwrap_or(data);
    let skip = data.iter().take_while(|b| b.is_ascii_whitespace()).count();
    &data[skip..]
}

/// Does the text look like base64 (alphabet and whitespace only, in its first kilobytes)?
fn looks_like_base64(data: &[u8]) -> bool {
    let sample = &data[..data.len().min(4096)];
    !sample.is_empty()
        && sample
            .iter()
            .all(|b| is_base64_byte(*b) || b.is_ascii_whitespace())
        && sample.iter().filter(|b| is_base64_byte(**b)).count() >= 16
}

/// Decodes base64 text, ignoring whitespace; accepts the standard and URL-safe alphabets and
/// missing padding, because signing tools disagree on all three.
pub fn decode_base64(text: &[u8]) -> Result<Vec<u8>, EnvelopeError> {
    let clean: Vec<u8> = text
        .iter()
        .copied()
        .filter(|b| !b.is_ascii_whitespace())
        .map(|b| match b {
            b'-' => b'+',
            b'_' => b'/',
            other => other,
        })
        .collect();
    let trimmed: &[u8] = {
        let end = clean.iter().rposition(|b| *b != b'=').map_or(0, |p| p + 1);
        &clean[..end]
    };
    base64::engine::general_purpose::STANDARD_NO_PAD
        .decode(trimmed)
        .map_err(|e| EnvelopeError::Base64(e.to_string()))
}

/// Whether `data` starts like a ContentInfo of type signedData (DER or BER header).
pub fn starts_like_signed_data(data: &[u8]) -> bool {
    if data.first() != Some(&0x30) {
        return false;
    }
    let header_len = match data.get(1) {
        Some(0x80) => 2,
        Some(b) if *b < 0x80 => 2,
        Some(b) => 2 + usize::from(b & 0x7F),
        None => return false,
    };
    data.get(header_len..header_len + SIGNED_DATA_OID_TLV.len()) == Some(&SIGNED_DATA_OID_TLV[..])
}

/// Whether `data` is a complete element that reads as a signed envelope (ContentInfo of
/// signedData) or an RFC 3161 TimeStampResp around one.
pub fn is_signed_envelope(data: &[u8]) -> bool {
    match Tlv::parse_prefix(data) {
        Ok((tlv, _)) => {
            starts_like_signed_data(data)
                || (tlv.tag.is_universal(tags::SEQUENCE)
                    && super::signed_data::time_stamp_resp_token(&tlv).is_some())
        }
        Err(_) => false,
    }
}

/// Strips a PEM armour (`-----BEGIN PKCS7-----`, `CMS`, anything) and decodes its body.
fn decode_pem(text: &[u8]) -> Result<Vec<u8>, EnvelopeError> {
    let text = String::from_utf8_lossy(text);
    let mut body = String::new();
    let mut inside = false;
    for line in text.lines() {
        let line = line.trim();
        if line.starts_with("-----BEGIN") {
            inside = true;
        } else if line.starts_with("-----END") {
            break;
        } else if inside && !line.contains(':') {
            // Header lines (Proc-Type: ...) of old PEM carry a colon and are skipped.
            body.push_str(line);
        }
    }
    if !inside {
        return Err(EnvelopeError::NotAnEnvelope(
            "PEM text without a BEGIN line".into(),
        ));
    }
    decode_base64(body.as_bytes())
}

fn looks_like_mime(data: &[u8]) -> bool {
    let head = String::from_utf8_lossy(&data[..data.len().min(2048)]).to_ascii_lowercase();
    head.contains("mime-version:")
        || head.starts_with("content-type:")
        || head.contains("\ncontent-type:")
}

/// The result of removing transport layers.
#[derive(Debug)]
pub struct Unwrapped<'a> {
    pub bytes: Cow<'a, [u8]>,
    pub transport: Transport,
    /// Time-stamp responses found beside the envelope (MIME `.m7m`).
    pub extra_tokens: Vec<Vec<u8>>,
    /// What those responses are over: the envelope part's body as transmitted (the base64
    /// text), with and without the line break before the boundary.
    pub tokens_cover: Vec<Vec<u8>>,
}

/// Removes the transport layer of a file: returns the binary envelope bytes.
pub fn unwrap_transport(input: &[u8]) -> Result<Unwrapped<'_>, EnvelopeError> {
    if input.first() == Some(&0x30) {
        return Ok(Unwrapped {
            bytes: Cow::Borrowed(input),
            transport: Transport::Binary,
            extra_tokens: Vec::new(),
            tokens_cover: Vec::new(),
        });
    }
    let text = trim_ascii_start(input);
    if text.starts_with(b"-----BEGIN") {
        return Ok(Unwrapped {
            bytes: Cow::Owned(decode_pem(text)?),
            transport: Transport::Pem,
            extra_tokens: Vec::new(),
            tokens_cover: Vec::new(),
        });
    }
    if looks_like_mime(text) {
        return super::mime::unwrap_mime(text);
    }
    if looks_like_base64(text) {
        let crlf = text.windows(2).any(|w| w == b"\r\n");
        let bytes = decode_base64(text)?;
        return Ok(Unwrapped {
            bytes: Cow::Owned(bytes),
            transport: if crlf {
                Transport::Base64Crlf
            } else {
                Transport::Base64Lf
            },
            extra_tokens: Vec::new(),
            tokens_cover: Vec::new(),
        });
    }
    let shown: String = input
        .iter()
        .take(4)
        .map(|b| format!("{b:02X}"))
        .collect::<Vec<_>>()
        .join(" ");
    Err(EnvelopeError::NotAnEnvelope(format!(
        "unrecognised data (starts with {shown}): neither DER/BER, base64, PEM nor MIME"
    )))
}

/// Decides whether signed content is itself an envelope ("matrioska"), looking only at the
/// first bytes so that a large document is not scanned. Returns the transport if so.
pub fn nested_transport(prefix: &[u8]) -> Option<Transport> {
    if starts_like_signed_data(prefix) {
        return Some(Transport::Binary);
    }
    let text = trim_ascii_start(prefix);
    if text.starts_with(b"-----BEGIN") {
        return Some(Transport::Pem);
    }
    // Base64 of "30 80 06 09 2A 86 48 86 F7 0D 01 07 02" or "30 82 xx xx 06 09 ...":
    // decode the first few dozen characters and look for the signedData header.
    let head: Vec<u8> = text
        .iter()
        .copied()
        .filter(|b| !b.is_ascii_whitespace())
        .take(64)
        .collect();
    if head.len() >= 24 && head.iter().all(|b| is_base64_byte(*b)) {
        let usable = head.len() / 4 * 4;
        if let Ok(decoded) = decode_base64(&head[..usable]) {
            if starts_like_signed_data(&decoded) {
                return Some(Transport::Base64Lf);
            }
        }
    }
    None
}

/// Decodes nested content whose transport `nested_transport` recognised.
pub fn decode_nested(data: &[u8], transport: Transport) -> Result<Vec<u8>, EnvelopeError> {
    match transport {
        Transport::Pem => decode_pem(trim_ascii_start(data)),
        Transport::Base64Lf | Transport::Base64Crlf => decode_base64(trim_ascii_start(data)),
        Transport::Binary | Transport::Mime => Ok(data.to_vec()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_with_and_without_padding() {
        assert_eq!(decode_base64(b"TWFu\r\nTQ==").unwrap(), b"ManM");
        assert_eq!(decode_base64(b"TWFuTQ").unwrap(), b"ManM");
        assert!(decode_base64(b"TW!u").is_err());
    }

    #[test]
    fn garbage_is_refused_with_its_first_bytes() {
        let err = unwrap_transport(&[0x43, 0x83, 0x04, 0x17]).unwrap_err();
        assert!(err.to_string().contains("43 83 04 17"), "{err}");
    }

    #[test]
    fn recognises_base64_signed_data_prefix() {
        // "MIAGCSqGSIb3DQEHAqCA" is base64 of 30 80 06 09 2A 86 48 86 F7 0D 01 07 02 A0 80.
        assert_eq!(
            nested_transport(b"MIAGCSqGSIb3DQEHAqCAMIACAQEx"),
            Some(Transport::Base64Lf)
        );
        assert_eq!(nested_transport(b"Hello World, this is plain text"), None);
    }
}
