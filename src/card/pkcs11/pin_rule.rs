//! Which PINs may go to a PKCS#11 token: checked here, before `C_Login`, because a PIN the
//! token refuses still costs a try on many cards. The CIE's module is the sharpest case: its
//! PIN is the last 4 digits of the 8-digit PIN, and any other length is sent to the card.

use crate::card::error::CardError;
use crate::card::pin::Pin;
use crate::card::profile::{Pkcs11Pin, Profile};
use crate::card::profiles_load::Profiles;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PinRule {
    /// `min..=max` characters, digits only when `digits`.
    Length {
        min: usize,
        max: usize,
        digits: bool,
    },
    /// Exactly 4 digits: the last 4 of the CIE's 8-digit PIN.
    CieLastFour,
}

impl PinRule {
    /// For a token no profile describes: what PKCS#11 itself allows.
    pub const ANY: PinRule = PinRule::Length {
        min: 1,
        max: 64,
        digits: false,
    };

    /// The rule of `profile` for its PKCS#11 module.
    pub fn of_profile(profile: &Profile) -> PinRule {
        match profile.pkcs11.pin {
            Pkcs11Pin::CieLastFour => PinRule::CieLastFour,
            Pkcs11Pin::Profile => PinRule::Length {
                min: profile.pin.min_length,
                max: profile.pin.max_length,
                digits: true,
            },
        }
    }

    /// The rule for a token of `module` labelled `label`: the first profile that names the
    /// module (path or file name) and whose token labels (when it lists any) include it.
    pub fn for_token(profiles: &Profiles, module: &str, label: &str) -> PinRule {
        profiles
            .iter()
            .find(|p| p.drives_token(module, label))
            .map_or(PinRule::ANY, PinRule::of_profile)
    }

    /// Refuses a PIN that must not reach the token.
    pub fn check(&self, pin: &Pin) -> Result<(), CardError> {
        let text = pin.expose();
        let length = text.chars().count();
        let all_digits = text.bytes().all(|b| b.is_ascii_digit());
        match *self {
            PinRule::CieLastFour if length == 4 && all_digits => Ok(()),
            PinRule::CieLastFour => Err(CardError::CiePinFormat),
            PinRule::Length { min, max, digits } => {
                if (min..=max).contains(&length) && (all_digits || !digits) {
                    Ok(())
                } else {
                    Err(CardError::PinFormat { min, max })
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cie_takes_exactly_four_digits() {
        assert!(PinRule::CieLastFour.check(&Pin::new("5678")).is_ok());
        for bad in ["12345678", "12345", "123", "12a4", ""] {
            assert_eq!(
                PinRule::CieLastFour.check(&Pin::new(bad)),
                Err(CardError::CiePinFormat),
                "{bad}"
            );
        }
    }

    #[test]
    fn lengths_and_digits() {
        let rule = PinRule::Length {
            min: 5,
            max: 8,
            digits: true,
        };
        assert!(rule.check(&Pin::new("12345")).is_ok());
        assert!(rule.check(&Pin::new("1234")).is_err());
        assert!(rule.check(&Pin::new("1234x")).is_err());
        assert!(PinRule::ANY.check(&Pin::new("pass phrase")).is_ok());
        assert!(PinRule::ANY.check(&Pin::new("")).is_err());
    }
}
