//! Turning bytes into envelopes: sniffing the encoding, reading BER while keeping raw slices,
//! and views over CMS SignedData, SignerInfo and RFC 5544 TimeStampedData.

pub mod ber;
pub mod der_canon;
