//! Smart cards at the counter: readers and hot-plug (PC/SC), card profiles, the APDU
//! transport, the native CNS driver, the CIE 3.0 chip check and challenge-response
//! authentication that produces an [`AuthEvidence`] record.
//!
//! Everything card-specific goes through [`Transport`], so the same driver runs on pcscd,
//! on the vpcd emulator of the tests and on an in-process card in unit tests.

pub mod apdu;
pub mod cns;
mod error;
pub mod files;
pub mod personal_data;
mod pin;
pub mod profile;
mod profiles_load;
pub mod transport;

pub use error::CardError;
pub use personal_data::PersonalData;
pub use pin::{Pin, PinStatus};
pub use profile::{Driver, Profile, ProfileError, SignPath};
pub use profiles_load::{default_dirs, parse_hex, parse_profiles, Profiles};
pub use transport::{exchange, LongCommands, Transport};
