//! Checking a SignerInfo's signature value: over the signed attributes as received, then over
//! their DER re-encoding (signers sign DER; some files carry BER or unsorted SET OF).

use crate::envelope::der_canon::{to_der, SetOrder};
use crate::envelope::signed_data::SignedAttributes;

use super::algorithms::{DigestAlgorithm, SignatureScheme};
use super::signature_math::{verify_digest, verify_message, SignatureError};

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SignatureOutcome {
    /// Verified over the bytes as received.
    Valid,
    /// Verified only after re-encoding the attributes in DER, keeping their order
    /// (the file carries them in BER).
    ValidOverDer,
    /// Verified only after sorting the attributes into DER SET OF order.
    ValidAfterResort,
    Invalid(String),
    CannotCheck(String),
}

fn describe(e: &SignatureError) -> String {
    e.to_string()
}

/// Ok(true) verified, Ok(false) did not (with the reason when it is more specific than
/// "does not verify"), Err when the check could not be made at all.
fn attempt(
    spki: &[u8],
    scheme: &SignatureScheme,
    hash: DigestAlgorithm,
    message: &[u8],
    signature: &[u8],
    reason: &mut Option<String>,
) -> Result<bool, String> {
    match verify_message(spki, scheme, hash, message, signature) {
        Ok(()) => Ok(true),
        Err(SignatureError::Invalid) => Ok(false),
        Err(e @ SignatureError::NonCanonicalEncoding(_)) => {
            *reason = Some(describe(&e));
            Ok(false)
        }
        Err(other) => Err(describe(&other)),
    }
}

/// The signature over signed attributes.
pub fn over_signed_attributes(
    attrs: &SignedAttributes<'_>,
    spki: &[u8],
    scheme: &SignatureScheme,
    hash: DigestAlgorithm,
    signature: &[u8],
) -> SignatureOutcome {
    // As received, with the [0] IMPLICIT tag replaced by the universal SET tag.
    let mut received = attrs.element.raw.to_vec();
    if let Some(first) = received.first_mut() {
        *first = 0x31;
    }
    let mut reason = None;
    match attempt(spki, scheme, hash, &received, signature, &mut reason) {
        Ok(true) => return SignatureOutcome::Valid,
        Ok(false) => {}
        Err(reason) => return SignatureOutcome::CannotCheck(reason),
    }
    let kept = match to_der(&attrs.element, Some(0x31), SetOrder::AsReceived) {
        Ok(v) => v,
        Err(e) => {
            return SignatureOutcome::Invalid(format!(
                "signed attributes cannot be re-encoded: {e}"
            ))
        }
    };
    if kept != received && attempt(spki, scheme, hash, &kept, signature, &mut None) == Ok(true) {
        return SignatureOutcome::ValidOverDer;
    }
    if let Ok(sorted) = to_der(&attrs.element, Some(0x31), SetOrder::Canonical) {
        if sorted != kept && attempt(spki, scheme, hash, &sorted, signature, &mut None) == Ok(true)
        {
            return SignatureOutcome::ValidAfterResort;
        }
    }
    SignatureOutcome::Invalid(
        reason.unwrap_or_else(|| "the signature value does not match the signed attributes".into()),
    )
}

/// The signature directly over the content (no signed attributes), given its digest.
pub fn over_content_digest(
    content_digest: &[u8],
    spki: &[u8],
    scheme: &SignatureScheme,
    hash: DigestAlgorithm,
    signature: &[u8],
) -> SignatureOutcome {
    match verify_digest(spki, scheme, hash, content_digest, signature) {
        Ok(()) => SignatureOutcome::Valid,
        Err(SignatureError::Invalid) => {
            SignatureOutcome::Invalid("the signature value does not match the content".into())
        }
        Err(e @ SignatureError::NonCanonicalEncoding(_)) => SignatureOutcome::Invalid(describe(&e)),
        Err(other) => SignatureOutcome::CannotCheck(describe(&other)),
    }
}
