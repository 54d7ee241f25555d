//! The signature of a signed structure (`SEQUENCE { tbs, algorithm, BIT STRING }`): CRLs and
//! BasicOCSPResponses are shaped like certificates.

use crate::crypto::algorithms::SignatureScheme;
use crate::crypto::signature_math::verify_message;
use crate::envelope::ber::{tags, Tlv};

/// The three parts of a signed structure.
#[derive(Debug, Clone, Copy)]
pub struct Signed<'a> {
    pub tbs: Tlv<'a>,
    pub algorithm: Tlv<'a>,
    pub signature: &'a [u8],
}

impl<'a> Signed<'a> {
    /// `parts` are the first three children of the structure.
    pub fn from_parts(parts: &[Tlv<'a>]) -> Option<Signed<'a>> {
        let (tbs, algorithm, sig) = (parts.first()?, parts.get(1)?, parts.get(2)?);
        if !tbs.tag.is_universal(tags::SEQUENCE)
            || !algorithm.tag.is_universal(tags::SEQUENCE)
            || !sig.tag.is_universal(tags::BIT_STRING)
            || sig.value.first() != Some(&0)
        {
            return None;
        }
        Some(Signed {
            tbs: *tbs,
            algorithm: *algorithm,
            signature: sig.value.get(1..)?,
        })
    }

    /// Checks the signature with the key in `spki_der`; the reason when it fails.
    pub fn verify_with(&self, spki_der: &[u8]) -> Result<(), String> {
        let mut fields = self
            .algorithm
            .children()
            .map_err(|e| format!("signature algorithm: {e}"))?;
        let oid = fields
            .next()
            .and_then(|t| t.oid())
            .map_err(|e| format!("signature algorithm: {e}"))?;
        let params = fields.next_opt().ok().flatten().map(|p| p.raw);
        let scheme = SignatureScheme::from_algorithm(&oid, params).map_err(|e| e.to_string())?;
        let hash = scheme
            .implied_hash()
            .ok_or_else(|| format!("signature algorithm {oid} names no hash"))?;
        verify_message(spki_der, &scheme, hash, self.tbs.raw, self.signature)
            .map_err(|e| e.to_string())
    }
}
