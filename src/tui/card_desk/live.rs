//! The card desk over `crate::card`: pcscd readers, hot-plug, the CNS/CIE drivers and the
//! trust store of the data directory. Runs on the TUI's card thread.

use std::path::PathBuf;
use std::time::Duration;

use crate::card::{self, CardError, CardEvent, Pin, Profiles, Watcher};

use super::{
    Authenticated, CardDesk, CardEventView, CardFault, CardView, PinBuffer, PinState, ReaderView,
};

pub struct LiveCards {
    profiles: Result<Profiles, String>,
    data_dir: PathBuf,
    /// Made on first use and again after pcscd went away, so a desk started before pcscd
    /// recovers by itself.
    watcher: Option<Watcher>,
}

impl LiveCards {
    pub fn new(data_dir: PathBuf) -> LiveCards {
        let profiles = Profiles::load_default().map_err(|e| {
            log::error!("card profiles: {e}");
            e.to_string()
        });
        LiveCards {
            profiles,
            data_dir,
            watcher: None,
        }
    }

    fn profiles(&self) -> Result<&Profiles, CardFault> {
        self.profiles
            .as_ref()
            .map_err(|e| CardFault::Unavailable(e.clone()))
    }
}

fn fault(e: CardError) -> CardFault {
    log::info!("card: {e}");
    match e {
        CardError::NoReader(r) => CardFault::NoReader(r),
        CardError::NoCard(r) => CardFault::NoCard(r),
        CardError::UnknownCard { atr_hex } => CardFault::UnknownCard { atr_hex },
        CardError::WrongPin { tries_left } => CardFault::WrongPin { tries_left },
        CardError::PinBlocked => CardFault::PinBlocked,
        CardError::LastTryNeedsConfirmation => CardFault::LastTryNeedsConfirmation,
        CardError::PinFormat { .. } => CardFault::PinFormat,
        CardError::CardRemoved => CardFault::CardRemoved,
        CardError::Untrusted(why) => CardFault::Untrusted(why),
        CardError::CfMismatch {
            certificate,
            personal_data,
        } => CardFault::CfMismatch {
            certificate,
            personal_data,
        },
        CardError::PcscUnavailable(why) => CardFault::Unavailable(why),
        CardError::Pkcs11ModuleNeeded { .. } => CardFault::Unavailable(e.to_string()),
        other => CardFault::Other(other.to_string()),
    }
}

fn event_view(event: CardEvent) -> CardEventView {
    match event {
        CardEvent::ReaderAdded { reader } => CardEventView::ReaderAdded(reader),
        CardEvent::ReaderRemoved { reader } => CardEventView::ReaderRemoved(reader),
        CardEvent::CardInserted { reader, atr_hex } => {
            CardEventView::CardInserted { reader, atr_hex }
        }
        CardEvent::CardRemoved { reader } => CardEventView::CardRemoved { reader },
    }
}

impl CardDesk for LiveCards {
    fn readers(&mut self) -> Result<Vec<ReaderView>, CardFault> {
        let readers = card::list_readers(self.profiles()?).map_err(fault)?;
        Ok(readers
            .into_iter()
            .map(|r| ReaderView {
                name: r.name,
                card: r.card.map(|c| CardView {
                    atr_hex: c.atr_hex,
                    profile: c.profile,
                }),
            })
            .collect())
    }

    fn wait_events(&mut self, timeout: Duration) -> Result<Vec<CardEventView>, CardFault> {
        if self.watcher.is_none() {
            match Watcher::new() {
                Ok(w) => self.watcher = Some(w),
                Err(e) => {
                    // No pcscd yet: behave like a quiet wait, and say why once per round.
                    std::thread::sleep(timeout);
                    return Err(fault(e));
                }
            }
        }
        let Some(watcher) = self.watcher.as_mut() else {
            return Ok(Vec::new());
        };
        match watcher.wait(timeout) {
            Ok(events) => Ok(events.into_iter().map(event_view).collect()),
            Err(e) => {
                self.watcher = None;
                Err(fault(e))
            }
        }
    }

    fn pin_status(&mut self, reader: &str) -> Result<PinState, CardFault> {
        let status = card::pin_status(reader, self.profiles()?).map_err(fault)?;
        Ok(PinState {
            tries_left: status.tries_left,
            blocked: status.blocked,
        })
    }

    fn authenticate(
        &mut self,
        reader: &str,
        pin: &PinBuffer,
        confirm_last_try: bool,
    ) -> Result<Authenticated, CardFault> {
        let now = time::OffsetDateTime::now_utc();
        let (anchors, _stale) = crate::trust::store::Store::open(&self.data_dir)
            .load(now)
            .map_err(|e| CardFault::Other(format!("trust store: {e}")))?;
        let pin = Pin::new(pin.expose().to_string());
        let evidence = card::authenticate(
            reader,
            self.profiles()?,
            &pin,
            confirm_last_try,
            &anchors,
            now,
        )
        .map_err(fault)?;
        drop(pin);
        let evidence_json = serde_json::to_string_pretty(&evidence)
            .map_err(|e| CardFault::Other(format!("evidence: {e}")))?;
        Ok(Authenticated {
            codice_fiscale: evidence
                .codice_fiscale
                .clone()
                .unwrap_or_else(|| evidence.personal_data_codice_fiscale.clone()),
            name: evidence.name.clone(),
            passed: evidence.passed(),
            reasons: evidence.reasons.clone(),
            evidence_json,
        })
    }
}
