//! `CKM_ECDSA` returns the raw `r ‖ s` (two halves of the curve's size); CMS and X.509 want
//! the DER `Ecdsa-Sig-Value ::= SEQUENCE { r INTEGER, s INTEGER }`.

use crate::card::error::CardError;

fn der_length(len: usize, out: &mut Vec<u8>) {
    if len < 0x80 {
        out.push(len as u8);
    } else {
        let bytes: Vec<u8> = len
            .to_be_bytes()
            .into_iter()
            .skip_while(|b| *b == 0)
            .collect();
        out.push(0x80 | bytes.len() as u8);
        out.extend_from_slice(&bytes);
    }
}

/// A positive INTEGER: no leading zeros, one zero byte when the top bit is set.
fn der_unsigned(value: &[u8], out: &mut Vec<u8>) {
    let trimmed = {
        let skip = value.iter().take_while(|b| **b == 0).count();
        &value[skip..]
    };
    let pad = trimmed.first().is_none_or(|b| b & 0x80 != 0);
    out.push(0x02);
    der_length(trimmed.len() + usize::from(pad), out);
    if pad {
        out.push(0);
    }
    out.extend_from_slice(trimmed);
}

/// `r ‖ s` → DER. An odd or empty length is not a raw ECDSA signature.
pub fn raw_to_der(raw: &[u8]) -> Result<Vec<u8>, CardError> {
    if raw.is_empty() || raw.len() % 2 != 0 {
        return Err(CardError::malformed(format!(
            "an ECDSA signature of {} bytes is not r‖s",
            raw.len()
        )));
    }
    let (r, s) = raw.split_at(raw.len() / 2);
    let mut body = Vec::with_capacity(raw.len() + 8);
    der_unsigned(r, &mut body);
    der_unsigned(s, &mut body);
    let mut out = vec![0x30];
    der_length(body.len(), &mut out);
    out.extend_from_slice(&body);
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn small_and_high_bit_halves() {
        let mut raw = vec![0u8; 64];
        raw[31] = 1;
        raw[32] = 0x80;
        let der = raw_to_der(&raw).unwrap();
        let mut expected = vec![0x30, 3 + 35, 0x02, 0x01, 0x01, 0x02, 33, 0x00, 0x80];
        expected.extend_from_slice(&[0; 31]);
        assert_eq!(der, expected);
    }

    #[test]
    fn p521_needs_a_long_length() {
        let raw = vec![0xFF; 132];
        let der = raw_to_der(&raw).unwrap();
        assert_eq!(&der[..3], [0x30, 0x81, 2 * (2 + 67)]);
        assert!(raw_to_der(&[1, 2, 3]).is_err());
        assert!(raw_to_der(&[]).is_err());
    }

    #[test]
    fn zero_halves_are_one_zero_byte() {
        assert_eq!(
            raw_to_der(&[0, 0]).unwrap(),
            [0x30, 6, 0x02, 1, 0, 0x02, 1, 0]
        );
    }
}
