//! Which readers are there and what is in them.

use pcsc::{ReaderState, State};
use serde::Serialize;

use super::error::CardError;
use super::pcsc_transport::{establish, map_error};
use super::profiles_load::Profiles;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CardPresence {
    pub atr_hex: String,
    #[serde(skip)]
    pub atr: Vec<u8>,
    /// The profile id when the ATR is recognised.
    pub profile: Option<String>,
    pub profile_label: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ReaderStatus {
    pub name: String,
    pub card: Option<CardPresence>,
}

pub fn presence(atr: &[u8], profiles: &Profiles) -> CardPresence {
    let profile = profiles.match_atr(atr);
    CardPresence {
        atr_hex: hex::encode_upper(atr),
        atr: atr.to_vec(),
        profile: profile.map(|p| p.id.clone()),
        profile_label: profile.map(|p| p.label.clone()),
    }
}

/// Reader names, empty when there is none (not an error: readers come and go).
pub fn reader_names(ctx: &pcsc::Context) -> Result<Vec<String>, CardError> {
    match ctx.list_readers_owned() {
        Ok(names) => Ok(names
            .into_iter()
            .map(|n| n.to_string_lossy().into_owned())
            .collect()),
        Err(pcsc::Error::NoReadersAvailable) => Ok(Vec::new()),
        Err(e) => Err(map_error(e, "")),
    }
}

pub fn list_readers(profiles: &Profiles) -> Result<Vec<ReaderStatus>, CardError> {
    let ctx = establish()?;
    let names = reader_names(&ctx)?;
    if names.is_empty() {
        return Ok(Vec::new());
    }
    let mut states: Vec<ReaderState> = names
        .iter()
        .filter_map(|n| std::ffi::CString::new(n.as_str()).ok())
        .map(|n| ReaderState::new(n, State::UNAWARE))
        .collect();
    ctx.get_status_change(std::time::Duration::ZERO, &mut states)
        .or_else(|e| match e {
            // UNAWARE states always change; a timeout here means nothing to report.
            pcsc::Error::Timeout => Ok(()),
            e => Err(map_error(e, "")),
        })?;
    Ok(states
        .iter()
        .map(|s| ReaderStatus {
            name: s.name().to_string_lossy().into_owned(),
            card: s
                .event_state()
                .contains(State::PRESENT)
                .then(|| presence(s.atr(), profiles)),
        })
        .collect())
}
