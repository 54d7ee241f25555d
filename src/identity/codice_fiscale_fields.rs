//! Where Italian certificates put the codice fiscale: the subject serialNumber as
//! `TINIT-<CF>` (AgID Det. 121/2019) or `IT:<CF>` (older, sometimes with stray spaces), or
//! bare (older certificates: the code alone, taken only when its check character is right),
//! and the CN of CNS (`<CF>/<card serial>.<hash>`) and CIE (`<CF>`) authentication
//! certificates.

use serde::Serialize;

use crate::codice_fiscale::CodiceFiscale;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CfSource {
    SubjectSerialNumber,
    /// The subject serialNumber is the code alone, with no `TINIT-`/`IT:` prefix.
    SubjectSerialNumberBare,
    CommonName,
}

/// A codice fiscale found in a certificate. An invalid one is reported, never dropped.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CfFinding {
    pub value: String,
    pub source: CfSource,
    pub valid: bool,
    /// Why it is invalid (English).
    pub problem: Option<String>,
}

fn finding(candidate: &str, source: CfSource) -> CfFinding {
    let value = candidate.trim().to_uppercase();
    match CodiceFiscale::parse(&value) {
        Ok(_) => CfFinding {
            value,
            source,
            valid: true,
            problem: None,
        },
        Err(e) => CfFinding {
            value,
            source,
            valid: false,
            problem: Some(e.to_string()),
        },
    }
}

fn looks_like_code(text: &str) -> bool {
    (text.len() == 16 || text.len() == 11) && text.chars().all(|c| c.is_ascii_alphanumeric())
}

pub fn cf_from_serial_number(serial: &str) -> Option<CfFinding> {
    let compact: String = serial.chars().filter(|c| !c.is_whitespace()).collect();
    let upper = compact.to_uppercase();
    let prefixed = upper
        .strip_prefix("TINIT-")
        .or_else(|| upper.strip_prefix("IT:"))
        .or_else(|| upper.strip_prefix("IT-"));
    match prefixed {
        Some(code) => looks_like_code(code).then(|| finding(code, CfSource::SubjectSerialNumber)),
        None => cf_from_bare_serial_number(serial),
    }
}

/// A serialNumber that is the code alone. Serial numbers are often other things (document
/// numbers, CA-internal ids) of the same shape, so only a code whose check character is
/// right counts; anything else is left alone, not reported as an invalid code.
fn cf_from_bare_serial_number(serial: &str) -> Option<CfFinding> {
    let code = serial.trim().to_uppercase();
    let shaped =
        looks_like_code(&code) && (code.len() == 16 || code.chars().all(|c| c.is_ascii_digit()));
    (shaped && CodiceFiscale::parse(&code).is_ok())
        .then(|| finding(&code, CfSource::SubjectSerialNumberBare))
}

pub fn cf_from_common_name(cn: &str) -> Option<CfFinding> {
    let first = cn.trim().split('/').next()?.trim();
    (first.len() == 16 && first.chars().all(|c| c.is_ascii_alphanumeric()))
        .then(|| finding(first, CfSource::CommonName))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn serial_number_forms() {
        for form in [
            "TINIT-RSSMRA80A01H501U",
            "IT:RSSMRA80A01H501U",
            "IT: RSSMRA80A01H501U",
            " IT:rssmra80a01h501u",
        ] {
            let f = cf_from_serial_number(form).unwrap_or_else(|| panic!("{form}"));
            assert_eq!(f.value, "RSSMRA80A01H501U");
            assert!(f.valid);
        }
        assert!(cf_from_serial_number("TINIT-00743110157").is_some_and(|f| f.valid));
        assert!(cf_from_serial_number("1234567").is_none());
        assert!(cf_from_serial_number("CA1234567").is_none());
        let bad = cf_from_serial_number("TINIT-AAAAAA11A11A111A").unwrap();
        assert!(!bad.valid && bad.problem.is_some_and(|p| p.contains("check character")));
    }

    #[test]
    fn bare_serial_numbers_count_only_with_the_right_check_character() {
        for (form, code) in [
            ("RSSMRA80A01H501U", "RSSMRA80A01H501U"),
            (" rssmra80a01h501u ", "RSSMRA80A01H501U"),
            ("00743110157", "00743110157"),
        ] {
            let f = cf_from_serial_number(form).unwrap_or_else(|| panic!("{form}"));
            assert_eq!(
                (f.value.as_str(), f.valid, f.source),
                (code, true, CfSource::SubjectSerialNumberBare),
                "{form}"
            );
        }
        for other in [
            "RSSMRA80A01H501X",  // check character wrong
            "00743110158",       // check digit wrong
            "AB12345678901234",  // a document number of the same length
            "0074311015A",       // 11 characters, not all digits
            "RSSMRA80A01H 501U", // not one word
            "12345678901",       // 11 digits, check digit wrong
        ] {
            assert_eq!(cf_from_serial_number(other), None, "{other}");
        }
    }

    #[test]
    fn common_name_forms() {
        let cns = cf_from_common_name("RSSMRA80A01H501U/1234567890123456.abcdEFGH+/=").unwrap();
        assert_eq!(
            (cns.value.as_str(), cns.valid, cns.source),
            ("RSSMRA80A01H501U", true, CfSource::CommonName)
        );
        assert!(cf_from_common_name("RSSMRA80A01H501U").is_some_and(|f| f.valid));
        assert!(cf_from_common_name("Mario Rossi").is_none());
    }
}
