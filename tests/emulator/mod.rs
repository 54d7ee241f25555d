//! A smart-card emulator for the tests, the demo and manual use: CNS and CIE models behind
//! vsmartcard's vpcd protocol, so the real pcscd, OpenSC and the product's driver talk to
//! them as to cards in a reader. See docs/cards.md (shared) and tests/rig for the readers.
#![allow(dead_code, unused_imports)]

pub mod apdu;
pub mod card;
pub mod cie;
pub mod cie_material;
pub mod cns;
pub mod fs;
pub mod material;
pub mod openssl;
pub mod pin;
pub mod rsa_key;
pub mod sod;
pub mod vpcd;

pub use card::{ApduExchange, CardHandle, CardModel, VirtualCard};
pub use cie::CieModel;
pub use cie_material::CieMaterial;
pub use cns::{CnsModel, CnsOptions};
pub use material::{CardMaterial, HolderOptions};
