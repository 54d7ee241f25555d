//! sportello: the desk appliance of an Italian Centro per l'Impiego.
//! See docs/ and ../shared/docs/architecture.md for the parts and their dependencies.

pub mod batch;
pub mod card;
pub mod cli;
pub mod codice_fiscale;
pub mod crypto;
pub mod envelope;
pub mod exit;
pub mod export;
pub mod extract;
pub mod i18n;
pub mod identity;
pub mod logging;
pub mod pdf;
pub mod registry;
pub mod revocation;
pub mod sign;
pub mod store;
pub mod trust;
pub mod tui;
pub mod verify;
