//! Trust anchors with their validity windows. Knows nothing of cards, workflow or screens.

pub mod anchors;
pub mod tsl;

pub use anchors::{Anchor, AnchorError, GrantWindow, TrustStore};
