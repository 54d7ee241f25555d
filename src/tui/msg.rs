//! What background work sends back to the screen thread.

use std::path::PathBuf;

use crate::store::audit::ChainCheck;
use crate::trust::store::ListStatus;
use crate::verify::Report;

use super::card_desk::{Authenticated, CardFault, PinState, ReaderView};

/// The trust store as the home and trust screens show it.
#[derive(Debug, Clone)]
pub struct TrustSummary {
    pub lists: Vec<ListStatus>,
    pub anchors: usize,
}

impl TrustSummary {
    pub fn any_stale(&self) -> bool {
        self.lists.iter().any(|l| l.stale)
    }
}

/// A finished verification.
#[derive(Debug, Clone)]
pub struct Verified {
    pub path: PathBuf,
    pub report: Report,
    /// Desk sentences for each stale list the verdict relied on.
    pub stale_warnings: Vec<String>,
}

#[derive(Debug)]
pub enum Msg {
    Readers(Result<Vec<ReaderView>, CardFault>),
    PinStatus {
        reader: String,
        result: Result<PinState, CardFault>,
    },
    Authenticated(Result<Authenticated, CardFault>),
    Verified(Box<Result<Verified, String>>),
    AuditChecked(Result<ChainCheck, String>),
    Trust(Result<TrustSummary, String>),
    /// The printable report was written (its path), or why not.
    Printed(Result<PathBuf, String>),
}

impl Msg {
    /// Whether this answers a job the screens started (readers updates come on their own).
    pub fn ends_job(&self) -> bool {
        !matches!(self, Msg::Readers(_))
    }
}
