//! What the screens need from the card part, as a small trait: [`LiveCards`] over
//! `crate::card` (pcscd, CNS/CIE drivers) in the binary and the end-to-end test,
//! [`Simulated`] in the snapshot tests, [`Unwired`] where card support is off.

mod live;
mod pin;
mod simulated;

use std::time::Duration;

pub use live::LiveCards;
pub use pin::PinBuffer;
pub use simulated::{Simulated, SimulatedCard};

/// A reader and what is in it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReaderView {
    pub name: String,
    pub card: Option<CardView>,
}

/// A card in a reader: its ATR and the card profile that recognised it (none: unknown card).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CardView {
    pub atr_hex: String,
    pub profile: Option<String>,
}

/// Hot-plug events, as `card::CardEvent`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CardEventView {
    ReaderAdded(String),
    ReaderRemoved(String),
    CardInserted { reader: String, atr_hex: String },
    CardRemoved { reader: String },
}

/// The PIN counter as the card reports it (without spending a try).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PinState {
    pub tries_left: Option<u8>,
    pub blocked: bool,
}

/// What a successful challenge-response proved, and the evidence to keep.
#[derive(Debug, Clone)]
pub struct Authenticated {
    pub codice_fiscale: String,
    pub name: String,
    /// `card::AuthEvidence::verdict == "PASSED"`.
    pub passed: bool,
    pub reasons: Vec<String>,
    /// `card::AuthEvidence` serialised as JSON: stored with the session.
    pub evidence_json: String,
}

/// The card part's refusals the screens tell apart (mirrors `card::CardError`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CardFault {
    NoReader(String),
    NoCard(String),
    UnknownCard {
        atr_hex: String,
    },
    WrongPin {
        tries_left: Option<u8>,
    },
    PinBlocked,
    LastTryNeedsConfirmation,
    PinFormat,
    CardRemoved,
    Untrusted(String),
    CfMismatch {
        certificate: String,
        personal_data: String,
    },
    /// Card support is not available in this build or on this machine.
    Unavailable(String),
    Other(String),
}

/// Readers, hot-plug, PIN status and card authentication. Runs on the card thread only, so
/// a slow card never holds up the screen.
pub trait CardDesk: Send {
    /// Every reader with the card in it, if any.
    fn readers(&mut self) -> Result<Vec<ReaderView>, CardFault>;
    /// Waits up to `timeout` for hot-plug events; an empty list when nothing happened.
    fn wait_events(&mut self, timeout: Duration) -> Result<Vec<CardEventView>, CardFault>;
    /// The PIN tries left, read without spending one.
    fn pin_status(&mut self, reader: &str) -> Result<PinState, CardFault>;
    /// Verifies the PIN and runs challenge-response with the card's authentication key.
    /// With one try left the card part refuses unless `confirm_last_try`.
    fn authenticate(
        &mut self,
        reader: &str,
        pin: &PinBuffer,
        confirm_last_try: bool,
    ) -> Result<Authenticated, CardFault>;
}

/// The card desk of a build without card support: says so on every call.
pub struct Unwired;

impl Unwired {
    fn fault() -> CardFault {
        CardFault::Unavailable("card support is not connected in this build".into())
    }
}

impl CardDesk for Unwired {
    fn readers(&mut self) -> Result<Vec<ReaderView>, CardFault> {
        Err(Self::fault())
    }
    fn wait_events(&mut self, timeout: Duration) -> Result<Vec<CardEventView>, CardFault> {
        std::thread::sleep(timeout);
        Ok(Vec::new())
    }
    fn pin_status(&mut self, _reader: &str) -> Result<PinState, CardFault> {
        Err(Self::fault())
    }
    fn authenticate(
        &mut self,
        _reader: &str,
        _pin: &PinBuffer,
        _confirm_last_try: bool,
    ) -> Result<Authenticated, CardFault> {
        Err(Self::fault())
    }
}
