//! The judgement: digests, signature math, attributes, signer identity, policy and the report.
//! Knows nothing of cards, workflow or screens.

// The primitives live below; re-exported so `verify::algorithms` and friends keep working.
pub use crate::crypto::{algorithms, digest, keys, signature_math};
pub use crate::envelope::asn1_time;

pub mod acceptance;
pub mod attributes;
pub mod chain;
pub mod check_message;
pub mod crypto_policy;
pub mod embedded_revocation;
pub mod engine;
pub mod media;
pub mod qualified;
pub mod report;
pub mod revocation;
pub mod revocation_check;
pub mod signature_check;
pub mod signer_cert;
pub mod time_checks;
pub mod tst;
pub mod tst_info;

pub use check_message::CheckMessage;
pub use engine::{verify_bytes, verify_with_tokens, VerifyOptions};
pub use report::{Check, CheckStatus, Indication, Report, SignatureReport, SubIndication};
