//! The operations callers use, on a named reader through pcscd: read a card, ask its PIN
//! state, authenticate its holder. Each is one PC/SC transaction.

use time::OffsetDateTime;

use super::auth::{authenticate_on, AuthEvidence};
use super::cns;
use super::error::CardError;
use super::pcsc_transport::PcscReader;
use super::pin::{Pin, PinStatus};
use super::profile::{Driver, Profile};
use super::profiles_load::Profiles;
use super::reading::{read_on, CardReading};
use super::transport::Transport;
use crate::trust::anchors::TrustStore;

fn profile_for<'p>(t: &dyn Transport, profiles: &'p Profiles) -> Result<&'p Profile, CardError> {
    profiles
        .match_atr(t.atr())
        .ok_or_else(|| CardError::UnknownCard {
            atr_hex: hex::encode_upper(t.atr()),
        })
}

/// The CSCA anchors the CIE profiles name, plus `extra`.
pub fn csca_store(
    profiles: &Profiles,
    extra: &[std::path::PathBuf],
) -> Result<TrustStore, CardError> {
    let mut paths: Vec<std::path::PathBuf> = profiles
        .iter()
        .filter(|p| p.driver == Driver::Cie)
        .flat_map(|p| p.cie.csca.iter().cloned())
        .collect();
    paths.extend(extra.iter().cloned());
    paths.sort();
    paths.dedup();
    let mut store = TrustStore::default();
    for path in paths {
        store
            .add_path(&path)
            .map_err(|e| CardError::Transport(format!("CSCA anchors: {e}")))?;
    }
    Ok(store)
}

/// Reads the card in `reader` without PIN (CIE: chip check up to `csca`).
pub fn read_card_with(
    reader: &str,
    profiles: &Profiles,
    csca: &TrustStore,
    now: OffsetDateTime,
) -> Result<CardReading, CardError> {
    let mut r = PcscReader::open(reader)?;
    r.session(false, |t| {
        let profile = profile_for(t, profiles)?;
        read_on(t, reader, profile, csca, now)
    })
}

/// [`read_card_with`] with the CSCA anchors the profiles configure, checked now.
pub fn read_card(reader: &str, profiles: &Profiles) -> Result<CardReading, CardError> {
    let csca = csca_store(profiles, &[])?;
    read_card_with(reader, profiles, &csca, OffsetDateTime::now_utc())
}

pub fn pin_status(reader: &str, profiles: &Profiles) -> Result<PinStatus, CardError> {
    let mut r = PcscReader::open(reader)?;
    r.session(false, |t| {
        let profile = profile_for(t, profiles)?;
        if profile.driver != Driver::Cns {
            return Err(CardError::Pkcs11ModuleNeeded {
                profile: profile.id.clone(),
                modules: profile.modules.clone(),
            });
        }
        cns::pin_status(t, profile)
    })
}

/// Authenticates the holder of the card in `reader`. Card and PIN problems are errors;
/// a completed exchange is evidence, PASSED or FAILED with its reasons. The card is reset
/// afterwards so the verified PIN does not outlive the call.
pub fn authenticate(
    reader: &str,
    profiles: &Profiles,
    pin: &Pin,
    confirm_last_try: bool,
    anchors: &TrustStore,
    now: OffsetDateTime,
) -> Result<AuthEvidence, CardError> {
    let mut r = PcscReader::open(reader)?;
    r.session(true, |t| {
        let profile = profile_for(t, profiles)?;
        authenticate_on(t, reader, profile, pin, confirm_last_try, anchors, now)
    })
}
