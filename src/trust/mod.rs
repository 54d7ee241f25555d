//! Trust anchors with their validity windows. Knows nothing of cards, workflow or screens.

pub mod anchors;
pub mod compact;
pub mod exc_c14n;
pub mod shipped;
pub mod store;
pub mod tsl;
pub mod xmldsig;

pub use anchors::{Anchor, AnchorError, GrantWindow, ServiceFacts, TrustStore};
