//! A card desk in memory, for the screen tests: readers, a card with a PIN counter, and
//! insertion/removal driven by the test. It proves nothing: its evidence says so, and it
//! never reports a passed authentication unless the test asks for one.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use super::{
    Authenticated, CardDesk, CardEventView, CardFault, CardView, PinBuffer, PinState, ReaderView,
};

#[derive(Debug, Clone)]
pub struct SimulatedCard {
    pub atr_hex: String,
    /// `None`: an unknown card (no profile matches its ATR).
    pub profile: Option<String>,
    pub codice_fiscale: String,
    pub name: String,
    pub pin: String,
    pub tries_left: u8,
    /// Whether the card's certificate chains to a trusted anchor.
    pub trusted: bool,
}

#[derive(Debug, Default)]
struct State {
    readers: Vec<(String, Option<SimulatedCard>)>,
    events: Vec<CardEventView>,
}

/// Cloneable handle: the test keeps one to insert and remove cards while the card thread
/// owns the other.
#[derive(Debug, Clone, Default)]
pub struct Simulated(Arc<Mutex<State>>);

impl Simulated {
    pub fn new(readers: &[&str]) -> Self {
        let sim = Simulated::default();
        if let Ok(mut s) = sim.0.lock() {
            s.readers = readers.iter().map(|r| (r.to_string(), None)).collect();
        }
        sim
    }

    pub fn insert(&self, reader: &str, card: SimulatedCard) {
        if let Ok(mut s) = self.0.lock() {
            let atr_hex = card.atr_hex.clone();
            if let Some(slot) = s.readers.iter_mut().find(|(r, _)| r == reader) {
                slot.1 = Some(card);
                s.events.push(CardEventView::CardInserted {
                    reader: reader.to_string(),
                    atr_hex,
                });
            }
        }
    }

    pub fn remove(&self, reader: &str) {
        if let Ok(mut s) = self.0.lock() {
            if let Some(slot) = s.readers.iter_mut().find(|(r, _)| r == reader) {
                slot.1 = None;
                s.events.push(CardEventView::CardRemoved {
                    reader: reader.to_string(),
                });
            }
        }
    }

    fn with<T>(&self, f: impl FnOnce(&mut State) -> Result<T, CardFault>) -> Result<T, CardFault> {
        let mut state = self
            .0
            .lock()
            .map_err(|_| CardFault::Other("simulated desk poisoned".into()))?;
        f(&mut state)
    }
}

fn card_in<'s>(state: &'s mut State, reader: &str) -> Result<&'s mut SimulatedCard, CardFault> {
    let slot = state
        .readers
        .iter_mut()
        .find(|(r, _)| r == reader)
        .ok_or_else(|| CardFault::NoReader(reader.to_string()))?;
    let card = slot
        .1
        .as_mut()
        .ok_or_else(|| CardFault::NoCard(reader.to_string()))?;
    if card.profile.is_none() {
        return Err(CardFault::UnknownCard {
            atr_hex: card.atr_hex.clone(),
        });
    }
    Ok(card)
}

impl CardDesk for Simulated {
    fn readers(&mut self) -> Result<Vec<ReaderView>, CardFault> {
        self.with(|s| {
            Ok(s.readers
                .iter()
                .map(|(name, card)| ReaderView {
                    name: name.clone(),
                    card: card.as_ref().map(|c| CardView {
                        atr_hex: c.atr_hex.clone(),
                        profile: c.profile.clone(),
                    }),
                })
                .collect())
        })
    }

    fn wait_events(&mut self, timeout: Duration) -> Result<Vec<CardEventView>, CardFault> {
        let events = self.with(|s| Ok(std::mem::take(&mut s.events)))?;
        if events.is_empty() {
            std::thread::sleep(timeout.min(Duration::from_millis(20)));
        }
        Ok(events)
    }

    fn pin_status(&mut self, reader: &str) -> Result<PinState, CardFault> {
        self.with(|s| {
            let card = card_in(s, reader)?;
            Ok(PinState {
                tries_left: Some(card.tries_left),
                blocked: card.tries_left == 0,
            })
        })
    }

    fn authenticate(
        &mut self,
        reader: &str,
        pin: &PinBuffer,
        confirm_last_try: bool,
    ) -> Result<Authenticated, CardFault> {
        self.with(|s| {
            let card = card_in(s, reader)?;
            if card.tries_left == 0 {
                return Err(CardFault::PinBlocked);
            }
            if card.tries_left == 1 && !confirm_last_try {
                return Err(CardFault::LastTryNeedsConfirmation);
            }
            if pin.len() < 5 {
                return Err(CardFault::PinFormat);
            }
            if pin.expose() != card.pin {
                card.tries_left -= 1;
                return Err(if card.tries_left == 0 {
                    CardFault::PinBlocked
                } else {
                    CardFault::WrongPin {
                        tries_left: Some(card.tries_left),
                    }
                });
            }
            card.tries_left = 3;
            if !card.trusted {
                return Err(CardFault::Untrusted(
                    "the card's certificate is not issued by a trusted CA".into(),
                ));
            }
            Ok(Authenticated {
                codice_fiscale: card.codice_fiscale.clone(),
                name: card.name.clone(),
                passed: true,
                reasons: Vec::new(),
                evidence_json: serde_json::json!({
                    "simulated": "SIMULATED CARD - TEST ONLY, NOT EVIDENCE",
                    "reader": reader,
                    "codice_fiscale": card.codice_fiscale,
                })
                .to_string(),
            })
        })
    }
}
