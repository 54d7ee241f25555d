//! Hot-plug: readers coming and going (the `\\?PnP?\Notification` pseudo-reader) and cards
//! inserted and removed, from SCardGetStatusChange. Cancellable from another thread.

use std::collections::BTreeMap;
use std::ffi::CString;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use pcsc::{Context, ReaderState, State, PNP_NOTIFICATION};
use serde::Serialize;

use super::error::CardError;
use super::pcsc_transport::{establish, map_error};
use super::readers::reader_names;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "event", rename_all = "snake_case")]
pub enum CardEvent {
    ReaderAdded { reader: String },
    ReaderRemoved { reader: String },
    CardInserted { reader: String, atr_hex: String },
    CardRemoved { reader: String },
}

/// Stops a [`Watcher::wait`] in progress (it returns `CardError::Cancelled`).
#[derive(Clone)]
pub struct WatchCanceller {
    ctx: Context,
    /// Seen between non-blocking rounds, where SCardCancel has nothing to interrupt.
    flag: Arc<AtomicBool>,
}

impl WatchCanceller {
    pub fn cancel(&self) {
        self.flag.store(true, Ordering::SeqCst);
        if let Err(e) = self.ctx.cancel() {
            log::info!("cancelling the card watcher: {e}");
        }
    }
}

/// pcsc-lite refuses more reader states in one SCardGetStatusChange
/// (PCSCLITE_MAX_READERS_CONTEXTS): a desk has two readers, the test rig sixteen.
const MAX_STATES_PER_CALL: usize = 16;
/// Pause between rounds when the readers do not fit one call.
const CHUNKED_ROUND: Duration = Duration::from_millis(100);

pub struct Watcher {
    ctx: Context,
    /// Index 0 is the PnP pseudo-reader.
    states: Vec<ReaderState>,
    /// What each reader held at the last look: Some(atr) or None.
    cards: BTreeMap<String, Option<Vec<u8>>>,
    cancelled: Arc<AtomicBool>,
}

fn card_in(state: &ReaderState) -> Option<Vec<u8>> {
    let s = state.event_state();
    (s.contains(State::PRESENT) && !s.contains(State::MUTE)).then(|| state.atr().to_vec())
}

impl Watcher {
    /// Starts from what is there now; the first events are the changes after this.
    pub fn new() -> Result<Watcher, CardError> {
        let ctx = establish()?;
        let mut w = Watcher {
            ctx,
            states: vec![ReaderState::new(PNP_NOTIFICATION(), State::UNAWARE)],
            cards: BTreeMap::new(),
            cancelled: Arc::new(AtomicBool::new(false)),
        };
        w.sync_readers()?;
        w.poll(Duration::ZERO)?;
        Ok(w)
    }

    pub fn canceller(&self) -> WatchCanceller {
        WatchCanceller {
            ctx: self.ctx.clone(),
            flag: Arc::clone(&self.cancelled),
        }
    }

    /// Readers and their cards as last seen.
    pub fn current(&self) -> &BTreeMap<String, Option<Vec<u8>>> {
        &self.cards
    }

    /// Adds states for new readers and drops vanished ones; returns reader events.
    fn sync_readers(&mut self) -> Result<Vec<CardEvent>, CardError> {
        let names = reader_names(&self.ctx)?;
        let mut events = Vec::new();
        let gone: Vec<String> = self
            .cards
            .keys()
            .filter(|k| !names.contains(k))
            .cloned()
            .collect();
        for name in gone {
            if self.cards.remove(&name).flatten().is_some() {
                events.push(CardEvent::CardRemoved {
                    reader: name.clone(),
                });
            }
            events.push(CardEvent::ReaderRemoved {
                reader: name.clone(),
            });
            self.states
                .retain(|s| s.name().to_string_lossy() != name.as_str());
        }
        for name in names {
            if self.cards.contains_key(&name) {
                continue;
            }
            let Ok(cname) = CString::new(name.as_str()) else {
                continue;
            };
            self.states.push(ReaderState::new(cname, State::UNAWARE));
            self.cards.insert(name.clone(), None);
            events.push(CardEvent::ReaderAdded { reader: name });
        }
        Ok(events)
    }

    /// More states than pcsc-lite takes in one call: they are polled in turn.
    fn chunked(&self) -> bool {
        self.states.len() > MAX_STATES_PER_CALL
    }

    /// One GetStatusChange (per chunk of readers); returns what changed.
    fn poll(&mut self, timeout: Duration) -> Result<Vec<CardEvent>, CardError> {
        let wait = if self.chunked() {
            Duration::ZERO
        } else {
            timeout
        };
        let mut any = false;
        for chunk in self.states.chunks_mut(MAX_STATES_PER_CALL) {
            match self.ctx.get_status_change(wait, chunk) {
                Ok(()) => any = true,
                Err(pcsc::Error::Timeout) => {}
                Err(e) => return Err(map_error(e, "")),
            }
        }
        if !any {
            return Ok(Vec::new());
        }
        let mut events = Vec::new();
        let mut readers_changed = false;
        for (i, state) in self.states.iter_mut().enumerate() {
            let changed = state.event_state().contains(State::CHANGED);
            if i == 0 {
                readers_changed |= changed;
                state.sync_current_state();
                continue;
            }
            if !changed {
                continue;
            }
            let name = state.name().to_string_lossy().into_owned();
            if state
                .event_state()
                .intersects(State::UNKNOWN | State::IGNORE)
            {
                readers_changed = true;
                state.sync_current_state();
                continue;
            }
            let now = card_in(state);
            let before = self.cards.get(&name).cloned().flatten();
            match (&before, &now) {
                (None, Some(atr)) => events.push(CardEvent::CardInserted {
                    reader: name.clone(),
                    atr_hex: hex::encode_upper(atr),
                }),
                (Some(_), None) => events.push(CardEvent::CardRemoved {
                    reader: name.clone(),
                }),
                // A swap faster than one poll: report both.
                (Some(a), Some(b)) if a != b => {
                    events.push(CardEvent::CardRemoved {
                        reader: name.clone(),
                    });
                    events.push(CardEvent::CardInserted {
                        reader: name.clone(),
                        atr_hex: hex::encode_upper(b),
                    });
                }
                _ => {}
            }
            self.cards.insert(name, now);
            state.sync_current_state();
        }
        if readers_changed {
            events.extend(self.sync_readers()?);
            // New readers start UNAWARE: learn their cards now rather than at the next call.
            if self
                .states
                .iter()
                .any(|s| s.current_state() == State::UNAWARE)
            {
                events.extend(self.poll(Duration::ZERO)?);
            }
        }
        Ok(events)
    }

    /// Waits up to `timeout` for changes; an empty list means nothing happened.
    pub fn wait(&mut self, timeout: Duration) -> Result<Vec<CardEvent>, CardError> {
        let deadline = Instant::now() + timeout;
        loop {
            if self.cancelled.swap(false, Ordering::SeqCst) {
                return Err(CardError::Cancelled);
            }
            let left = deadline.saturating_duration_since(Instant::now());
            let events = self.poll(left)?;
            if !events.is_empty() || left.is_zero() {
                return Ok(events);
            }
            if self.chunked() {
                // Non-blocking rounds: do not spin.
                std::thread::sleep(left.min(CHUNKED_ROUND));
            }
        }
    }
}
