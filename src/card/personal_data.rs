//! EF_DatiPersonali of CNS cards: six ASCII hex digits giving the length, then 16 fields,
//! each two ASCII hex digits of length and the value (cards.md §1).

use serde::Serialize;

use super::error::CardError;

/// The 16 fields in card order. Empty fields are empty strings, as on the card.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct PersonalData {
    pub issuer: String,
    pub issue_date: String,
    pub expiry_date: String,
    pub surname: String,
    pub name: String,
    /// ddmmyyyy as written.
    pub birth_date: String,
    pub sex: String,
    pub height: String,
    pub codice_fiscale: String,
    pub citizenship: String,
    pub birth_town: String,
    pub birth_country: String,
    pub birth_record: String,
    pub residence_town: String,
    pub address: String,
    pub travel_validity: String,
}

/// Field names in card order, for error messages.
const FIELDS: [&str; 16] = [
    "issuer",
    "issue date",
    "expiry date",
    "surname",
    "name",
    "birth date",
    "sex",
    "height",
    "codice fiscale",
    "citizenship",
    "birth town",
    "birth country",
    "birth record",
    "residence town",
    "address",
    "travel validity",
];

fn hex_number(bytes: &[u8], what: &str) -> Result<usize, CardError> {
    let text = std::str::from_utf8(bytes)
        .ok()
        .filter(|t| t.bytes().all(|b| b.is_ascii_hexdigit()))
        .ok_or_else(|| {
            CardError::malformed(format!("EF_DatiPersonali: the length of {what} is not hex"))
        })?;
    usize::from_str_radix(text, 16).map_err(|_| {
        CardError::malformed(format!("EF_DatiPersonali: the length of {what} is not hex"))
    })
}

/// Card text is ISO 8859-1 in practice; every byte maps to one character.
fn latin1(bytes: &[u8]) -> String {
    bytes
        .iter()
        .map(|b| char::from(*b))
        .collect::<String>()
        .trim()
        .to_string()
}

impl PersonalData {
    /// Parses the file as read (it may carry padding after the declared length).
    pub fn parse(file: &[u8]) -> Result<PersonalData, CardError> {
        let header = file
            .get(..6)
            .ok_or_else(|| CardError::malformed("EF_DatiPersonali is shorter than its header"))?;
        let declared = hex_number(header, "the file")?;
        let body = file.get(6..).unwrap_or_default();
        // Some cards count the header in the length; tolerate it but never read past the file.
        let body = body.get(..declared.min(body.len())).unwrap_or(body);
        let mut values: Vec<String> = Vec::with_capacity(16);
        let mut pos = 0usize;
        for field in FIELDS {
            let len_bytes = body.get(pos..pos + 2).ok_or_else(|| {
                CardError::malformed(format!("EF_DatiPersonali ends before the {field} field"))
            })?;
            let len = hex_number(len_bytes, field)?;
            pos += 2;
            let value = body.get(pos..pos + len).ok_or_else(|| {
                CardError::malformed(format!(
                    "EF_DatiPersonali: the {field} field says {len} bytes, the file has fewer"
                ))
            })?;
            values.push(latin1(value));
            pos += len;
        }
        let mut it = values.into_iter();
        let mut next = || it.next().unwrap_or_default();
        Ok(PersonalData {
            issuer: next(),
            issue_date: next(),
            expiry_date: next(),
            surname: next(),
            name: next(),
            birth_date: next(),
            sex: next(),
            height: next(),
            codice_fiscale: next(),
            citizenship: next(),
            birth_town: next(),
            birth_country: next(),
            birth_record: next(),
            residence_town: next(),
            address: next(),
            travel_validity: next(),
        })
    }

    /// Field 1..=16 by its number in the card layout (9 is the codice fiscale).
    pub fn field(&self, number: usize) -> Option<&str> {
        let all = [
            &self.issuer,
            &self.issue_date,
            &self.expiry_date,
            &self.surname,
            &self.name,
            &self.birth_date,
            &self.sex,
            &self.height,
            &self.codice_fiscale,
            &self.citizenship,
            &self.birth_town,
            &self.birth_country,
            &self.birth_record,
            &self.residence_town,
            &self.address,
            &self.travel_validity,
        ];
        number
            .checked_sub(1)
            .and_then(|i| all.get(i))
            .map(|s| s.as_str())
    }

    /// Encodes the fields the way cards store them (used by tests and the emulator).
    pub fn encode(&self) -> Vec<u8> {
        let mut body = String::new();
        for n in 1..=16 {
            let v = self.field(n).unwrap_or_default();
            body.push_str(&format!("{:02X}{v}", v.len()));
        }
        format!("{:06X}{body}", body.len()).into_bytes()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const CARDS_MD: &str = "00006C07TESTREG0801012020083112203005ROSSI05MARIO080101198001M0010RSSMRA80A01H501U0004H501000004H5010AVIA ROMA 100";

    #[test]
    fn the_cards_md_example() {
        let p = PersonalData::parse(CARDS_MD.as_bytes()).unwrap();
        assert_eq!(p.issuer, "TESTREG");
        assert_eq!(p.issue_date, "01012020");
        assert_eq!(p.expiry_date, "31122030");
        assert_eq!(p.surname, "ROSSI");
        assert_eq!(p.name, "MARIO");
        assert_eq!(p.birth_date, "01011980");
        assert_eq!(p.sex, "M");
        assert_eq!(p.height, "");
        assert_eq!(p.codice_fiscale, "RSSMRA80A01H501U");
        assert_eq!(p.field(9), Some("RSSMRA80A01H501U"));
        assert_eq!(p.birth_town, "H501");
        assert_eq!(p.residence_town, "H501");
        assert_eq!(p.address, "VIA ROMA 1");
        assert_eq!(p.travel_validity, "");
        assert_eq!(p.encode(), CARDS_MD.as_bytes());
    }

    #[test]
    fn padding_after_the_data_is_ignored() {
        let mut file = CARDS_MD.as_bytes().to_vec();
        file.extend_from_slice(&[0u8; 200]);
        assert_eq!(PersonalData::parse(&file).unwrap().surname, "ROSSI");
    }

    #[test]
    fn damaged_files_are_errors_naming_the_field() {
        let cut = &CARDS_MD.as_bytes()[..40];
        let e = PersonalData::parse(cut).unwrap_err();
        assert!(e.to_string().contains("surname"), "{e}");
        let bad_len = CARDS_MD.replace("05ROSSI", "ZZROSSI");
        assert!(PersonalData::parse(bad_len.as_bytes())
            .unwrap_err()
            .to_string()
            .contains("surname"));
        assert!(PersonalData::parse(b"0000").is_err());
        assert!(PersonalData::parse(b"").is_err());
        assert!(PersonalData::parse(b"FFFFFF").is_err());
    }

    #[test]
    fn accented_latin1_names() {
        let mut body = Vec::new();
        for value in (1..=16).map(|n| if n == 4 { &b"NICOL\xD2"[..] } else { &b"X"[..] }) {
            body.extend_from_slice(format!("{:02X}", value.len()).as_bytes());
            body.extend_from_slice(value);
        }
        let mut file = format!("{:06X}", body.len()).into_bytes();
        file.extend_from_slice(&body);
        assert_eq!(PersonalData::parse(&file).unwrap().surname, "NICOL\u{d2}");
    }
}
