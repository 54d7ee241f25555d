//! The PIN: held in memory that is wiped on drop, never printed, checked against the
//! profile's rules before it goes near a card, and encoded for VERIFY.

use zeroize::Zeroizing;

use super::error::CardError;
use super::profile::PinRules;

/// A PIN as typed by the holder. `Debug` shows only that it is a PIN.
pub struct Pin(Zeroizing<String>);

impl Pin {
    pub fn new(text: impl Into<String>) -> Pin {
        Pin(Zeroizing::new(text.into()))
    }

    /// Reads one line (the terminating newline is not part of the PIN).
    pub fn from_line(mut line: String) -> Pin {
        let pin = Pin::new(line.trim_end_matches(['\r', '\n']).to_string());
        zeroize::Zeroize::zeroize(&mut line);
        pin
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The PIN's text, for a PKCS#11 `C_Login` (which takes it as typed).
    pub(crate) fn expose(&self) -> &str {
        &self.0
    }

    /// The VERIFY data field: the digits in ASCII, padded as the profile says.
    pub fn verify_data(&self, rules: &PinRules) -> Result<Zeroizing<Vec<u8>>, CardError> {
        let digits = self.0.as_bytes();
        let fits = (rules.min_length..=rules.max_length).contains(&digits.len());
        if !fits || !digits.iter().all(u8::is_ascii_digit) {
            return Err(CardError::PinFormat {
                min: rules.min_length,
                max: rules.max_length,
            });
        }
        let mut data = Zeroizing::new(Vec::with_capacity(rules.pad_to.max(digits.len())));
        data.extend_from_slice(digits);
        while data.len() < rules.pad_to {
            data.push(rules.pad_byte);
        }
        Ok(data)
    }
}

impl std::fmt::Debug for Pin {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Pin(***)")
    }
}

/// What the card says about its PIN without being given one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct PinStatus {
    /// None: the card does not tell (many CNS cards), which is not the same as blocked.
    pub tries_left: Option<u8>,
    pub blocked: bool,
    /// Already verified in this card session (another application did it).
    pub verified: bool,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rules() -> PinRules {
        PinRules {
            min_length: 5,
            max_length: 8,
            reference: 0x10,
            pad_to: 8,
            pad_byte: 0xFF,
        }
    }

    #[test]
    fn pads_and_checks() {
        let data = Pin::new("12345").verify_data(&rules()).unwrap();
        assert_eq!(&data[..], b"12345\xFF\xFF\xFF");
        for bad in ["1234", "123456789", "12a45", "", "12345 "] {
            assert!(
                matches!(
                    Pin::new(bad).verify_data(&rules()),
                    Err(CardError::PinFormat { min: 5, max: 8 })
                ),
                "{bad:?}"
            );
        }
    }

    #[test]
    fn never_printed() {
        let pin = Pin::new("87654321");
        assert!(!format!("{pin:?}").contains("8765"));
        assert_eq!(Pin::from_line("12345\n".into()).len(), 5);
        assert_eq!(Pin::from_line("12345\r\n".into()).len(), 5);
    }
}
