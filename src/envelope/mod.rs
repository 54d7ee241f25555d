//! Turning bytes into envelopes: sniffing the encoding, reading BER while keeping raw slices,
//! and views over CMS SignedData, SignerInfo and RFC 5544 TimeStampedData.
//! Knows nothing of trust, time, cards, storage or screens.

pub mod asn1_time;
pub mod ber;
pub mod der_canon;
mod error;
mod mime;
pub mod oids;
pub mod signed_data;
pub mod sniff;
pub mod tree;

pub use error::EnvelopeError;
pub use signed_data::{AlgorithmId, Attribute, SignedData, SignerId, SignerInfo};
pub use tree::{open, Buffers, Content, Envelope, Level, LevelKind, OuterToken};
