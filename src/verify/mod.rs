//! The judgement: digests, signature math, attributes, signer identity, policy and the report.
//! Knows nothing of cards, workflow or screens.

pub mod algorithms;
pub mod asn1_time;
pub mod attributes;
pub mod chain;
pub mod crypto_policy;
pub mod digest;
pub mod engine;
pub mod keys;
pub mod media;
pub mod qualified;
pub mod report;
pub mod signature_check;
pub mod signature_math;
pub mod signer_cert;
pub mod tst;

pub use engine::{verify_bytes, VerifyOptions};
pub use report::{Check, CheckStatus, Indication, Report, SignatureReport, SubIndication};
