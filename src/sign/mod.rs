//! Writing CAdES-BES signatures (ETSI EN 319 122-1): a new attached envelope, a parallel
//! signature on an existing one, a countersignature (RFC 5652 11.4), or the whole envelope
//! signed again as content ("matrioska"). The key is whatever implements
//! [`SigningKey`](crate::card::signing_key::SigningKey): the native CNS driver or a PKCS#11
//! token. A pure function of (input bytes, mode, key, signing time); nothing is written here.

mod assemble;
mod attributes;
pub mod der_out;
mod signer_check;
mod signer_info;

use time::OffsetDateTime;

use crate::card::signing_key::SigningKey;
use crate::card::CardError;
use crate::crypto::digest::{digest, Hasher};
use crate::envelope::tree::Content;

use assemble::Existing;
use attributes::Signs;
pub use signer_check::{accept_signed, check_signer, SignerCheck, SignerProblem};
pub use signer_info::DIGEST;

/// What to sign.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Mode {
    /// The input is a document: a new attached envelope.
    New,
    /// The input is an envelope: a parallel signature over the same content.
    Cosign,
    /// The input is an envelope: a countersignature of the signature with this identifier
    /// (`L0.S1`, as the verifier names them).
    Countersign(String),
    /// The input is an envelope: signed again as the content of a new envelope.
    Wrap,
}

#[derive(Debug, thiserror::Error)]
pub enum SignError {
    #[error(transparent)]
    Card(#[from] CardError),
    #[error("the signer certificate cannot be used: {0}")]
    Certificate(String),
    #[error("not a signed envelope: {0}")]
    NotAnEnvelope(String),
    #[error(
        "the envelope does not contain the document (detached signature): it cannot be co-signed"
    )]
    Detached,
    #[error("no signature {0} in the envelope (identifiers are like L0.S1)")]
    UnknownSignature(String),
    #[error("signing refused: {0}")]
    SignerRefused(String),
    #[error("the signed result does not pass verification: {0}")]
    NotAccepted(String),
    #[error("signature {0} is inside a nested envelope: only the outermost envelope's signatures can be countersigned")]
    NotOutermost(String),
}

/// The envelope made, and the identifier the verifier gives the new signature.
#[derive(Debug, Clone)]
pub struct Signed {
    pub envelope: Vec<u8>,
    pub signature_id: String,
}

/// Signs `input` as `mode` says, with `key`, dated `signing_time`.
pub fn sign(
    input: &[u8],
    mode: &Mode,
    key: &mut dyn SigningKey,
    signing_time: OffsetDateTime,
) -> Result<Signed, SignError> {
    let cert_der = key.certificate_der().to_vec();
    match mode {
        Mode::New => Ok(Signed {
            envelope: envelope_of(input, key, signing_time, &cert_der)?,
            signature_id: "L0.S1".into(),
        }),
        Mode::Wrap => {
            // Only an envelope is wrapped: signing a plain document "again" is a mistake.
            Existing::parse(input)?;
            Ok(Signed {
                envelope: envelope_of(input, key, signing_time, &cert_der)?,
                signature_id: "L0.S1".into(),
            })
        }
        Mode::Cosign => {
            let existing = Existing::parse(input)?;
            let element = existing.signed_data.econtent.ok_or(SignError::Detached)?;
            let mut hasher = Hasher::new(DIGEST);
            Content { element }
                .for_each_chunk(|chunk| hasher.update(chunk))
                .map_err(|e| SignError::NotAnEnvelope(e.to_string()))?;
            let content_digest = hasher.finalize();
            let made = signer_info::make(
                key,
                &Signs::Content {
                    content_type: existing.content_type(),
                    digest: &content_digest,
                },
                signing_time,
            )?;
            Ok(Signed {
                envelope: existing.with_parallel_signer(&made.der, &cert_der),
                signature_id: format!("L0.S{}", existing.signed_data.signer_infos.len() + 1),
            })
        }
        Mode::Countersign(id) => {
            let existing = Existing::parse(input)?;
            let (index, parent) = existing.signer(id)?;
            let parent_digest = digest(DIGEST, &parent.signature);
            let counters_before =
                parent.countersignatures.len() + parent.countersignature_errors.len();
            let made = signer_info::make(
                key,
                &Signs::ParentSignature {
                    digest: &parent_digest,
                },
                signing_time,
            )?;
            Ok(Signed {
                envelope: existing.with_countersignature(index, &made.der, &cert_der)?,
                signature_id: format!("L0.S{}.C{}", index + 1, counters_before + 1),
            })
        }
    }
}

fn envelope_of(
    content: &[u8],
    key: &mut dyn SigningKey,
    signing_time: OffsetDateTime,
    cert_der: &[u8],
) -> Result<Vec<u8>, SignError> {
    let content_digest = digest(DIGEST, content);
    let made = signer_info::make(
        key,
        &Signs::Content {
            content_type: &crate::envelope::oids::ID_DATA,
            digest: &content_digest,
        },
        signing_time,
    )?;
    Ok(assemble::new_envelope(content, &made.der, cert_der))
}
