//! Finding a token: by its label or serial, never by slot number (slot ids change: SoftHSM
//! reassigns them, the p11-kit proxy renumbers them). Tokens that are not initialised are
//! not tokens anyone can use.

use cryptoki::slot::{Slot, TokenInfo};
use serde::Serialize;

use super::registry::Module;
use crate::card::error::CardError;

/// What a token says about its user PIN without being given one.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct PinFlags {
    /// `CKF_USER_PIN_COUNT_LOW`: a wrong PIN was given since the last good one.
    pub count_low: bool,
    /// `CKF_USER_PIN_FINAL_TRY`: one more wrong PIN locks it.
    pub final_try: bool,
    /// `CKF_USER_PIN_LOCKED`. OpenSC sets it on healthy CNS cards (they cannot report tries):
    /// login is decided on `C_Login`'s answer, never refused on this flag alone.
    pub locked: bool,
}

impl PinFlags {
    pub fn of(info: &TokenInfo) -> PinFlags {
        PinFlags {
            count_low: info.user_pin_count_low(),
            final_try: info.user_pin_final_try(),
            locked: info.user_pin_locked(),
        }
    }
}

/// A token as the listing shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TokenSummary {
    pub slot_description: String,
    pub label: String,
    pub serial: String,
    pub manufacturer: String,
    pub model: String,
    pub pin: PinFlags,
    /// PIN lengths the token accepts.
    pub pin_min_length: usize,
    pub pin_max_length: usize,
    pub login_required: bool,
    /// A PIN pad on the reader: the PIN is typed there, not here.
    pub protected_authentication_path: bool,
}

/// One token present in a slot.
#[derive(Debug, Clone)]
pub struct FoundToken {
    pub slot: Slot,
    pub info: TokenInfo,
    pub summary: TokenSummary,
}

fn summary(module: &Module, slot: Slot, info: &TokenInfo) -> TokenSummary {
    let slot_description = module
        .context()
        .get_slot_info(slot)
        .map(|s| s.slot_description().trim().to_string())
        .unwrap_or_default();
    TokenSummary {
        slot_description,
        label: info.label().trim().to_string(),
        serial: info.serial_number().trim().to_string(),
        manufacturer: info.manufacturer_id().trim().to_string(),
        model: info.model().trim().to_string(),
        pin: PinFlags::of(info),
        pin_min_length: info.min_pin_length(),
        pin_max_length: info.max_pin_length(),
        login_required: info.login_required(),
        protected_authentication_path: info.protected_authentication_path(),
    }
}

/// Every initialised token the module sees now.
pub fn tokens(module: &Module) -> Result<Vec<FoundToken>, CardError> {
    let slots = module
        .context()
        .get_slots_with_token()
        .map_err(|e| module.error("C_GetSlotList", e))?;
    let mut found = Vec::new();
    for slot in slots {
        // A token pulled between the two calls is simply not there any more.
        let Ok(info) = module.context().get_token_info(slot) else {
            continue;
        };
        if !info.token_initialized() {
            continue;
        }
        let summary = summary(module, slot, &info);
        found.push(FoundToken {
            slot,
            info,
            summary,
        });
    }
    Ok(found)
}

/// The token whose label or serial is `name` (or whose slot is the reader `name`: OpenSC
/// names its slots after the readers); without a name, the only token there is.
pub fn find_token(module: &Module, name: Option<&str>) -> Result<FoundToken, CardError> {
    let all = tokens(module)?;
    let mut matching: Vec<FoundToken> = match name {
        Some(name) => all
            .into_iter()
            .filter(|t| {
                let name = name.trim();
                t.summary.label == name
                    || t.summary.serial == name
                    || t.summary.slot_description == name
            })
            .collect(),
        None => all,
    };
    match matching.len() {
        0 => Err(CardError::TokenNotFound {
            module: module.path().to_string(),
            token: name.unwrap_or_default().to_string(),
        }),
        1 => Ok(matching.remove(0)),
        _ => Err(CardError::TokenAmbiguous {
            module: module.path().to_string(),
            tokens: matching
                .iter()
                .map(|t| format!("{} ({})", t.summary.label, t.summary.serial))
                .collect(),
        }),
    }
}
