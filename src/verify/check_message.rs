//! What a check found, as a value: the screens say it in the officer's language
//! (`crate::i18n::check_words`), while the check's English `message` stays as it is for the
//! JSON report and the logs. A check without one shows its `message`.

use serde::Serialize;

/// A check's finding. Serialised in the report beside `message` as
/// `"key": {"code": "...", ...parameters}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "code", rename_all = "snake_case")]
pub enum CheckMessage {
    /// The SignerInfo and its envelope could be read.
    StructureReadable,
    /// The content's digest equals the signed message-digest attribute.
    DigestMatches {
        algorithm: String,
    },
    /// The content's digest differs: the document was changed after signing.
    DigestDiffers {
        algorithm: String,
    },
    DigestAttributeMissing,
    /// No signed attributes: the signature covers the content itself.
    DigestCoveredDirectly,
    /// The signed document is not in the envelope.
    DetachedContent,
    /// The signature value verifies with the signer's key.
    SignatureVerifies {
        scheme: String,
    },
    /// It verifies only over the DER re-encoding of BER signed attributes.
    SignatureVerifiesOverDer {
        scheme: String,
    },
    /// The signature value does not verify.
    SignatureInvalid,
    CertificateValidUntil {
        not_after: String,
    },
    CertificateNotYetValid {
        not_before: String,
    },
    CertificateExpired {
        not_after: String,
    },
    NoSignerCertificate,
    /// The certificate chains to a trusted anchor.
    ChainTrusted,
    /// No path to a trusted anchor.
    ChainNotFound,
    AlgorithmsAcceptable,
    /// The check was not made (the status says so; the area is the check's own).
    NotChecked,
}
