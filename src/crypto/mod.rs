//! Cryptographic primitives shared by the parts above: algorithm identifiers, digests,
//! public keys and signature math. Knows nothing of envelopes' meaning, trust or workflow.

pub mod algorithms;
pub mod digest;
pub mod keys;
pub mod signature_math;
