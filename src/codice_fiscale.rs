//! The Italian codice fiscale: 16-character personal codes (with omocodia) and 11-digit
//! numeric codes (companies, and provisional personal codes), with their check characters.
//! Shared by verification (signer identity), cards and the desk workflow.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct CodiceFiscale(String);

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CfKind {
    Personal,
    Numeric,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CfError {
    #[error("a codice fiscale has 16 characters (or 11 digits), this one has {0}")]
    WrongLength(usize),
    #[error("character {found:?} at position {position} is not allowed there")]
    BadCharacter { position: usize, found: char },
    #[error("invalid month letter {0:?}")]
    BadMonth(char),
    #[error("invalid day of birth {0}")]
    BadDay(u32),
    #[error("wrong check character: expected {expected}, found {found}")]
    BadCheckCharacter { expected: char, found: char },
}

impl CfError {
    /// The sentence shown at the desk.
    pub fn italian(&self) -> String {
        match self {
            CfError::WrongLength(n) => {
                format!("Il codice fiscale deve avere 16 caratteri (o 11 cifre): ne ha {n}.")
            }
            CfError::BadCharacter { position, found } => {
                format!("Il carattere «{found}» in posizione {position} non è ammesso.")
            }
            CfError::BadMonth(c) => format!("La lettera del mese «{c}» non è valida."),
            CfError::BadDay(d) => format!("Il giorno di nascita {d} non è valido."),
            CfError::BadCheckCharacter { expected, found } => {
                format!("Il carattere di controllo è errato: atteso {expected}, trovato {found}.")
            }
        }
    }
}

/// Letters standing for digits in omocodic codes (0..9).
const OMOCODIA: &[u8; 10] = b"LMNPQRSTUV";
const MONTHS: &[u8; 12] = b"ABCDEHLMPRST";
/// Values of characters in odd positions (1st, 3rd, …) for the check character, 0-9 then A-Z.
const ODD_DIGITS: [u32; 10] = [1, 0, 5, 7, 9, 13, 15, 17, 19, 21];
const ODD_LETTERS: [u32; 26] = [
    1, 0, 5, 7, 9, 13, 15, 17, 19, 21, 2, 4, 18, 20, 11, 3, 6, 8, 12, 14, 16, 10, 22, 25, 24, 23,
];
/// Positions (0-based) that hold digits, possibly replaced by omocodia letters.
const DIGIT_POSITIONS: [usize; 7] = [6, 7, 9, 10, 12, 13, 14];

fn odd_value(c: u8) -> u32 {
    match c {
        b'0'..=b'9' => ODD_DIGITS[usize::from(c - b'0')],
        _ => ODD_LETTERS[usize::from(c.saturating_sub(b'A')).min(25)],
    }
}

fn even_value(c: u8) -> u32 {
    match c {
        b'0'..=b'9' => u32::from(c - b'0'),
        _ => u32::from(c.saturating_sub(b'A')),
    }
}

/// The check character of the first 15 characters of a personal code.
pub fn personal_check_character(first15: &[u8]) -> char {
    let sum: u32 = first15
        .iter()
        .enumerate()
        .map(|(i, c)| {
            if i % 2 == 0 {
                odd_value(*c)
            } else {
                even_value(*c)
            }
        })
        .sum();
    char::from(b'A' + (sum % 26) as u8)
}

/// The check digit of the first 10 digits of a numeric code.
pub fn numeric_check_digit(first10: &[u8]) -> u32 {
    let sum: u32 = first10
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let d = u32::from(c - b'0');
            if i % 2 == 1 {
                let doubled = d * 2;
                if doubled > 9 {
                    doubled - 9
                } else {
                    doubled
                }
            } else {
                d
            }
        })
        .sum();
    (10 - sum % 10) % 10
}

fn undo_omocodia(c: u8) -> u8 {
    OMOCODIA
        .iter()
        .position(|l| *l == c)
        .map_or(c, |d| b'0' + d as u8)
}

/// Birth details encoded in a personal code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PersonalDetails {
    pub year_two_digits: u32,
    pub month: u32,
    pub day: u32,
    pub female: bool,
}

impl CodiceFiscale {
    /// Parses and validates: trims, upper-cases, checks shape and check character.
    pub fn parse(input: &str) -> Result<Self, CfError> {
        let normalized: String = input.trim().to_uppercase();
        if let Some((position, found)) = normalized.chars().enumerate().find(|(_, c)| !c.is_ascii())
        {
            return Err(CfError::BadCharacter {
                position: position + 1,
                found,
            });
        }
        let bytes = normalized.as_bytes();
        match bytes.len() {
            16 => validate_personal(bytes)?,
            11 => validate_numeric(bytes)?,
            n => return Err(CfError::WrongLength(n)),
        }
        Ok(CodiceFiscale(normalized))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn kind(&self) -> CfKind {
        if self.0.len() == 16 {
            CfKind::Personal
        } else {
            CfKind::Numeric
        }
    }

    pub fn personal_details(&self) -> Option<PersonalDetails> {
        if self.kind() != CfKind::Personal {
            return None;
        }
        let b = self.0.as_bytes();
        let num = |i: usize, j: usize| -> u32 {
            u32::from(undo_omocodia(b[i]) - b'0') * 10 + u32::from(undo_omocodia(b[j]) - b'0')
        };
        let month = MONTHS.iter().position(|m| *m == b[8])? as u32 + 1;
        let raw_day = num(9, 10);
        Some(PersonalDetails {
            year_two_digits: num(6, 7),
            month,
            day: if raw_day > 40 { raw_day - 40 } else { raw_day },
            female: raw_day > 40,
        })
    }
}

fn validate_personal(b: &[u8]) -> Result<(), CfError> {
    for (i, c) in b.iter().enumerate() {
        let ok = if DIGIT_POSITIONS.contains(&i) {
            c.is_ascii_digit() || OMOCODIA.contains(c)
        } else {
            c.is_ascii_uppercase()
        };
        if !ok {
            return Err(CfError::BadCharacter {
                position: i + 1,
                found: char::from(*c),
            });
        }
    }
    if !MONTHS.contains(&b[8]) {
        return Err(CfError::BadMonth(char::from(b[8])));
    }
    let day = u32::from(undo_omocodia(b[9]) - b'0') * 10 + u32::from(undo_omocodia(b[10]) - b'0');
    if !(1..=31).contains(&day) && !(41..=71).contains(&day) {
        return Err(CfError::BadDay(day));
    }
    let expected = personal_check_character(&b[..15]);
    let found = char::from(b[15]);
    if expected != found {
        return Err(CfError::BadCheckCharacter { expected, found });
    }
    Ok(())
}

fn validate_numeric(b: &[u8]) -> Result<(), CfError> {
    if let Some(position) = b.iter().position(|c| !c.is_ascii_digit()) {
        return Err(CfError::BadCharacter {
            position: position + 1,
            found: char::from(b[position]),
        });
    }
    let expected = numeric_check_digit(&b[..10]);
    let found = u32::from(b[10] - b'0');
    if expected != found {
        return Err(CfError::BadCheckCharacter {
            expected: char::from_digit(expected, 10).unwrap_or('?'),
            found: char::from(b[10]),
        });
    }
    Ok(())
}

impl TryFrom<String> for CodiceFiscale {
    type Error = CfError;
    fn try_from(value: String) -> Result<Self, CfError> {
        CodiceFiscale::parse(&value)
    }
}

impl From<CodiceFiscale> for String {
    fn from(cf: CodiceFiscale) -> String {
        cf.0
    }
}

impl std::fmt::Display for CodiceFiscale {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::str::FromStr for CodiceFiscale {
    type Err = CfError;
    fn from_str(s: &str) -> Result<Self, CfError> {
        CodiceFiscale::parse(s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn real_and_textbook_codes() {
        // Codes from the corpus (real qualified certificates) and the textbook example.
        for good in [
            "RSSMRA80A01H501U",
            "TSSFPP87C29E889R",
            "BNGLGU67B18G388A",
            " rssmra80a01h501u ",
        ] {
            assert!(CodiceFiscale::parse(good).is_ok(), "{good}");
        }
        assert_eq!(
            CodiceFiscale::parse("AAAAAA11A11A111A"),
            Err(CfError::BadCheckCharacter {
                expected: 'H',
                found: 'A'
            })
        );
    }

    #[test]
    fn omocodia_is_accepted_and_decoded() {
        // The last digit 1 of H501 replaced by M (= 1): the check character is recomputed.
        let cf = CodiceFiscale::parse("RSSMRA80A01H50MU").unwrap_err();
        assert_eq!(
            cf,
            CfError::BadCheckCharacter {
                expected: 'M',
                found: 'U'
            }
        );
        let omocodic = CodiceFiscale::parse("RSSMRA80A01H50MM").unwrap();
        let d = omocodic.personal_details().unwrap();
        assert_eq!(
            (d.year_two_digits, d.month, d.day, d.female),
            (80, 1, 1, false)
        );
    }

    #[test]
    fn shape_errors() {
        assert_eq!(
            CodiceFiscale::parse("RSSMRA80"),
            Err(CfError::WrongLength(8))
        );
        assert_eq!(
            CodiceFiscale::parse("RSSMRA80Z01H501U"),
            Err(CfError::BadMonth('Z'))
        );
        assert_eq!(
            CodiceFiscale::parse("RSSMRA80A35H501U"),
            Err(CfError::BadDay(35))
        );
        assert!(matches!(
            CodiceFiscale::parse("RSSMR480A01H501U"),
            Err(CfError::BadCharacter { position: 6, .. })
        ));
        let female = CodiceFiscale::parse("BNCLRA85M41F205").map(|_| ());
        assert_eq!(female, Err(CfError::WrongLength(15)));
    }

    #[test]
    fn numeric_codes() {
        assert!(CodiceFiscale::parse("00743110157").is_ok());
        assert_eq!(
            CodiceFiscale::parse("00743110158"),
            Err(CfError::BadCheckCharacter {
                expected: '7',
                found: '8'
            })
        );
        assert_eq!(
            CodiceFiscale::parse("00743110157").unwrap().kind(),
            CfKind::Numeric
        );
        assert!(CfError::WrongLength(3).italian().contains("16 caratteri"));
    }
}
