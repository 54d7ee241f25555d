//! The few DER encodings the CAdES writer needs, built by hand so that every byte written is
//! the byte the signature covers (no re-encoding by a library between signing and writing).

use const_oid::ObjectIdentifier;
use time::OffsetDateTime;

use crate::envelope::der_canon::push_length;

pub const SEQUENCE: u8 = 0x30;
pub const SET: u8 = 0x31;
pub const INTEGER: u8 = 0x02;
pub const OCTET_STRING: u8 = 0x04;
pub const NULL: u8 = 0x05;
pub const OID: u8 = 0x06;
pub const UTC_TIME: u8 = 0x17;
pub const GENERALIZED_TIME: u8 = 0x18;
/// `[0]` constructed (EXPLICIT wrappers and IMPLICIT SETs alike).
pub const CONTEXT_0: u8 = 0xA0;
pub const CONTEXT_1: u8 = 0xA1;
/// `[4]` constructed: GeneralName.directoryName (EXPLICIT, Name is a CHOICE).
pub const CONTEXT_4: u8 = 0xA4;

/// One element with a definite length.
pub fn tlv(tag: u8, content: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(content.len() + 6);
    out.push(tag);
    push_length(&mut out, content.len());
    out.extend_from_slice(content);
    out
}

/// A constructed element whose contents are `parts` in the given order.
pub fn constructed(tag: u8, parts: &[&[u8]]) -> Vec<u8> {
    tlv(tag, &parts.concat())
}

pub fn sequence(parts: &[&[u8]]) -> Vec<u8> {
    constructed(SEQUENCE, parts)
}

/// X.690 11.6: the elements of a DER SET OF in ascending order of their encodings, compared
/// as octet strings (a shorter encoding that is a prefix of a longer one comes first).
pub fn sort_set_elements(elements: &mut [Vec<u8>]) {
    elements.sort();
}

/// A DER `SET OF` (tag `tag`: 0x31, or 0xA0 for an IMPLICIT `[0]` SET) of `elements`.
pub fn set_of(tag: u8, mut elements: Vec<Vec<u8>>) -> Vec<u8> {
    sort_set_elements(&mut elements);
    tlv(tag, &elements.concat())
}

pub fn oid(oid: &ObjectIdentifier) -> Vec<u8> {
    tlv(OID, oid.as_bytes())
}

pub fn octet_string(bytes: &[u8]) -> Vec<u8> {
    tlv(OCTET_STRING, bytes)
}

pub fn null() -> Vec<u8> {
    vec![NULL, 0x00]
}

/// A non-negative INTEGER from its contents octets as found in a certificate (kept as is).
pub fn integer_contents(contents: &[u8]) -> Vec<u8> {
    tlv(INTEGER, contents)
}

pub fn small_integer(value: u8) -> Vec<u8> {
    if value < 0x80 {
        vec![INTEGER, 0x01, value]
    } else {
        vec![INTEGER, 0x02, 0x00, value]
    }
}

/// A non-negative INTEGER from big-endian magnitude bytes (ECDSA r and s).
pub fn unsigned_integer(magnitude: &[u8]) -> Vec<u8> {
    let skip = magnitude.iter().take_while(|b| **b == 0).count();
    let trimmed = &magnitude[skip..];
    let mut contents = Vec::with_capacity(trimmed.len() + 1);
    if trimmed.first().is_none_or(|b| b & 0x80 != 0) {
        contents.push(0);
    }
    contents.extend_from_slice(trimmed);
    tlv(INTEGER, &contents)
}

/// RFC 5280 4.1.2.5 / RFC 5652 11.3: UTCTime for 1950–2049, GeneralizedTime otherwise, in
/// whole seconds, UTC, with `Z`.
pub fn time(t: OffsetDateTime) -> Vec<u8> {
    let t = t.to_offset(time::UtcOffset::UTC);
    let (y, mo, d) = (t.year(), u8::from(t.month()), t.day());
    let (h, mi, s) = (t.hour(), t.minute(), t.second());
    if (1950..2050).contains(&y) {
        let text = format!("{:02}{mo:02}{d:02}{h:02}{mi:02}{s:02}Z", y % 100);
        tlv(UTC_TIME, text.as_bytes())
    } else {
        let text = format!("{y:04}{mo:02}{d:02}{h:02}{mi:02}{s:02}Z");
        tlv(GENERALIZED_TIME, text.as_bytes())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn set_of_is_sorted_by_encoding() {
        let set = set_of(
            SET,
            vec![vec![0x30, 0x01, 0x05], vec![0x04, 0x00], vec![0x30, 0x00]],
        );
        assert_eq!(set, [0x31, 0x07, 0x04, 0x00, 0x30, 0x00, 0x30, 0x01, 0x05]);
    }

    #[test]
    fn integers_stay_positive_and_minimal() {
        assert_eq!(unsigned_integer(&[0x00, 0x00, 0x7F]), [0x02, 0x01, 0x7F]);
        assert_eq!(unsigned_integer(&[0x80]), [0x02, 0x02, 0x00, 0x80]);
        assert_eq!(unsigned_integer(&[0x00]), [0x02, 0x01, 0x00]);
        assert_eq!(unsigned_integer(&[]), [0x02, 0x01, 0x00]);
        assert_eq!(small_integer(1), [0x02, 0x01, 0x01]);
    }

    #[test]
    fn signing_time_switches_at_2050() {
        let t = time::macros::datetime!(2026-12-03 15:04:05 UTC);
        assert_eq!(time(t), tlv(UTC_TIME, b"261203150405Z"));
        let t = time::macros::datetime!(1950-01-01 00:00:00 UTC);
        assert_eq!(time(t), tlv(UTC_TIME, b"500101000000Z"));
        let t = time::macros::datetime!(2050-01-01 00:00:00 UTC);
        assert_eq!(time(t), tlv(GENERALIZED_TIME, b"20500101000000Z"));
        let t = time::macros::datetime!(1949-12-31 23:59:59 UTC);
        assert_eq!(time(t), tlv(GENERALIZED_TIME, b"19491231235959Z"));
    }
}
