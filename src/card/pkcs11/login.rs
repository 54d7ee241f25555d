//! `C_Login` with the desk's rules: the PIN is checked before it is sent, the last try is
//! spent only with the officer's word, a wrong PIN is never retried and reports the tries
//! the token admits to, and a session already logged in (PIN caching in the module) is
//! logged out first so this person's PIN is the one checked.

use cryptoki::error::{Error, RvError};
use cryptoki::session::{Session, UserType};
use cryptoki::slot::Slot;
use cryptoki::types::AuthPin;

use super::pin_rule::PinRule;
use super::registry::Module;
use super::token::PinFlags;
use crate::card::error::CardError;
use crate::card::pin::Pin;

pub(crate) fn auth_pin(pin: &Pin) -> AuthPin {
    AuthPin::from(pin.expose().to_string())
}

/// What a refused PIN means, from the token's flags before and after.
fn wrong_pin(before: PinFlags, after: Option<PinFlags>) -> CardError {
    match after {
        // A lock the token did not show before this PIN is real (OpenSC's false flag on
        // CNS tokens is there from the start).
        Some(after) if after.locked && !before.locked => CardError::PinBlocked,
        Some(after) if after.final_try => CardError::WrongPin {
            tries_left: Some(1),
        },
        _ => CardError::WrongPin { tries_left: None },
    }
}

pub(crate) fn login_error(
    module: &Module,
    slot: Slot,
    before: PinFlags,
    operation: &str,
    e: Error,
) -> CardError {
    match e {
        Error::Pkcs11(RvError::PinIncorrect, _) => {
            let after = module.context().get_token_info(slot).ok();
            wrong_pin(before, after.as_ref().map(PinFlags::of))
        }
        Error::Pkcs11(RvError::PinLocked, _) => CardError::PinBlocked,
        Error::Pkcs11(RvError::PinLenRange, _) => {
            let info = module.context().get_token_info(slot).ok();
            CardError::PinFormat {
                min: info.as_ref().map_or(0, |i| i.min_pin_length()),
                max: info.as_ref().map_or(0, |i| i.max_pin_length()),
            }
        }
        other => module.error(operation, other),
    }
}

/// Logs the user in on `session`, once.
pub fn login(
    module: &Module,
    session: &Session,
    slot: Slot,
    flags: PinFlags,
    rule: &PinRule,
    pin: &Pin,
    confirm_last_try: bool,
) -> Result<(), CardError> {
    rule.check(pin)?;
    if flags.final_try && !flags.locked && !confirm_last_try {
        return Err(CardError::LastTryNeedsConfirmation);
    }
    let secret = auth_pin(pin);
    let mut answer = session.login(UserType::User, Some(&secret));
    if let Err(Error::Pkcs11(RvError::UserAlreadyLoggedIn, _)) = answer {
        // Logged in by an earlier session of this process (or the module's PIN cache): the
        // PIN was not checked, so this is not a retry.
        session.logout().map_err(|e| module.error("C_Logout", e))?;
        answer = session.login(UserType::User, Some(&secret));
    }
    answer.map_err(|e| login_error(module, slot, flags, "C_Login", e))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tries_from_flags() {
        let none = PinFlags::default();
        let final_try = PinFlags {
            final_try: true,
            ..none
        };
        let locked = PinFlags {
            locked: true,
            ..none
        };
        assert_eq!(
            wrong_pin(none, Some(final_try)),
            CardError::WrongPin {
                tries_left: Some(1)
            }
        );
        assert_eq!(wrong_pin(none, Some(locked)), CardError::PinBlocked);
        // OpenSC's CNS flag: locked before and after says nothing.
        assert_eq!(
            wrong_pin(locked, Some(locked)),
            CardError::WrongPin { tries_left: None }
        );
        assert_eq!(
            wrong_pin(none, None),
            CardError::WrongPin { tries_left: None }
        );
    }
}
