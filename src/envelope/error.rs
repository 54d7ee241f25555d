use super::ber::BerError;

/// Why bytes could not be read as a signed envelope.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EnvelopeError {
    #[error("not a signed envelope: {0}")]
    NotAnEnvelope(String),
    #[error("malformed ASN.1: {0}")]
    Ber(#[from] BerError),
    #[error("malformed {what}: {detail}")]
    Malformed { what: &'static str, detail: String },
    #[error("unsupported content type {0}")]
    UnsupportedContentType(String),
    #[error("invalid base64 text: {0}")]
    Base64(String),
    #[error("MIME message without a signed part")]
    MimeWithoutEnvelope,
}

impl EnvelopeError {
    pub fn malformed(what: &'static str, detail: impl std::fmt::Display) -> Self {
        EnvelopeError::Malformed {
            what,
            detail: detail.to_string(),
        }
    }
}
