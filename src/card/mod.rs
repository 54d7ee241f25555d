//! Smart cards at the counter: readers and hot-plug (PC/SC), card profiles, the APDU
//! transport, the native CNS driver, the CIE 3.0 chip check and challenge-response
//! authentication that produces an [`AuthEvidence`] record.
//!
//! Everything card-specific goes through [`Transport`], so the same driver runs on pcscd,
//! on the vpcd emulator of the tests and on an in-process card in unit tests.

pub mod apdu;
mod auth;
pub mod cie;
pub mod cns;
mod cns_signing_key;
mod error;
pub mod files;
mod operations;
mod pcsc_transport;
pub mod personal_data;
mod pin;
pub mod pkcs11;
pub mod profile;
mod profiles_load;
mod readers;
mod reading;
pub mod signing_key;
pub mod sod;
pub mod transport;
mod watcher;

#[cfg(test)]
mod driver_tests;
#[cfg(test)]
mod test_card;

pub use auth::{authenticate_on, AuthCheck, AuthCheckKind, AuthEvidence, Verdict};
pub use cie::{ChipCheck, ChipVerdict};
pub use cns_signing_key::CnsSigningKey;
pub use error::CardError;
pub use operations::{authenticate, csca_store, pin_status, read_card, read_card_with};
pub use pcsc_transport::PcscReader;
pub use personal_data::PersonalData;
pub use pin::{Pin, PinStatus};
pub use profile::{Driver, Pkcs11Pin, Pkcs11Rules, Profile, ProfileError, ProfileSource, SignPath};
pub use profiles_load::{default_dirs, parse_hex, parse_profiles, ProfileListing, Profiles};
pub use readers::{list_readers, presence as card_presence, CardPresence, ReaderStatus};
pub use reading::{read_on, CardKind, CardReading, CertificateSummary};
pub use transport::{exchange, LongCommands, Transport};
pub use watcher::{CardEvent, WatchCanceller, Watcher};
