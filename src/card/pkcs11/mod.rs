//! PKCS#11 tokens through `cryptoki`: the second way to reach a key, beside the native CNS
//! driver. Modules are loaded directly, once per process ([`registry`]); tokens are chosen by
//! label or serial ([`token`]); a key is opened for one person and closed after
//! ([`Pkcs11Key`]).

mod auth;
pub mod discovery;
mod ecdsa;
pub mod key;
pub mod listing;
mod login;
pub mod objects;
pub mod pin_rule;
pub mod registry;
pub mod token;

pub use auth::{authenticate_token, TokenAuthRequest};
pub use discovery::{candidates, p11kit_dirs, Candidate};
pub use key::{KeyRequest, Pkcs11Key};
pub use listing::{list_module, CertificateListing, ListLogin, ModuleListing, TokenListing};
pub use objects::{CertifiedKey, KeyChoice};
pub use pin_rule::PinRule;
pub use registry::{load, Module};
pub use token::{find_token, tokens, FoundToken, PinFlags, TokenSummary};
