//! Re-encoding a BER element as DER.
//!
//! A signature covers the DER encoding of the signed attributes. Some signers emit them in
//! BER (indefinite lengths) or in an order that is not DER's sorted SET OF order, and sign
//! the DER form anyway. These functions produce that DER form so the check can be retried.

use super::ber::{tags, BerError, Class, Tlv, MAX_DEPTH};

/// How SET OF elements are treated when re-encoding.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SetOrder {
    /// Keep the order in which the elements were received.
    AsReceived,
    /// Sort the elements by their encodings (X.690 11.6).
    Canonical,
}

/// Re-encodes `tlv` as DER, replacing its identifier octet with `outer_tag` when given
/// (the signed attributes arrive as `[0] IMPLICIT` and are signed as a universal SET).
pub fn to_der(tlv: &Tlv<'_>, outer_tag: Option<u8>, order: SetOrder) -> Result<Vec<u8>, BerError> {
    let mut out = Vec::with_capacity(tlv.raw.len());
    let treat_as_set = outer_tag == Some(0x31) || tlv.tag.is_universal(tags::SET);
    encode(tlv, outer_tag, treat_as_set, order, &mut out, 0)?;
    Ok(out)
}

fn encode(
    tlv: &Tlv<'_>,
    outer_tag: Option<u8>,
    is_set: bool,
    order: SetOrder,
    out: &mut Vec<u8>,
    depth: usize,
) -> Result<(), BerError> {
    if depth > MAX_DEPTH {
        return Err(BerError::TooDeep);
    }
    let is_string = tlv.tag.class == Class::Universal
        && matches!(
            tlv.tag.number,
            tags::BIT_STRING
                | tags::OCTET_STRING
                | tags::UTF8_STRING
                | tags::PRINTABLE_STRING
                | tags::T61_STRING
                | tags::IA5_STRING
                | tags::UTC_TIME
                | tags::GENERALIZED_TIME
                | tags::UNIVERSAL_STRING
                | tags::BMP_STRING
        );
    let identifier = identifier_octets(tlv)?;
    if !tlv.tag.constructed {
        push_header(out, outer_tag, &identifier, tlv.value.len());
        out.extend_from_slice(tlv.value);
        return Ok(());
    }
    if is_string {
        // DER forbids the constructed form of string types: join the segments.
        let joined = tlv.string_bytes()?;
        let mut primitive = identifier.clone();
        primitive[0] &= !0x20;
        push_header(out, outer_tag.map(|t| t & !0x20), &primitive, joined.len());
        out.extend_from_slice(&joined);
        return Ok(());
    }
    let mut children: Vec<Vec<u8>> = Vec::new();
    let mut reader = tlv.children()?;
    while let Some(child) = reader.next_opt()? {
        let mut buf = Vec::with_capacity(child.raw.len());
        let child_is_set = child.tag.is_universal(tags::SET);
        encode(&child, None, child_is_set, order, &mut buf, depth + 1)?;
        children.push(buf);
    }
    if is_set && order == SetOrder::Canonical {
        children.sort();
    }
    let len: usize = children.iter().map(Vec::len).sum();
    push_header(out, outer_tag, &identifier, len);
    for child in children {
        out.extend_from_slice(&child);
    }
    Ok(())
}

fn identifier_octets(tlv: &Tlv<'_>) -> Result<Vec<u8>, BerError> {
    let header_len = tlv.value_offset - tlv.offset;
    let header = tlv
        .raw
        .get(..header_len)
        .ok_or(BerError::Invalid("header out of range"))?;
    // The identifier ends at the first octet after the tag number's base-128 run.
    let mut end = 1;
    if header.first().map(|b| b & 0x1f) == Some(0x1f) {
        while header.get(end).is_some_and(|b| b & 0x80 != 0) {
            end += 1;
        }
        end += 1;
    }
    header
        .get(..end)
        .map(<[u8]>::to_vec)
        .ok_or(BerError::Invalid("header out of range"))
}

fn push_header(out: &mut Vec<u8>, outer_tag: Option<u8>, identifier: &[u8], len: usize) {
    match outer_tag {
        Some(tag) => out.push(tag),
        None => out.extend_from_slice(identifier),
    }
    push_length(out, len);
}

pub fn push_length(out: &mut Vec<u8>, len: usize) {
    if len < 0x80 {
        out.push(len as u8);
        return;
    }
    let bytes = len.to_be_bytes();
    let skip = bytes.iter().take_while(|b| **b == 0).count();
    out.push(0x80 | (bytes.len() - skip) as u8);
    out.extend_from_slice(&bytes[skip..]);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sorts_sets_and_defines_lengths() {
        // [0] indefinite { SEQ{02 01 02}, SEQ{02 01 01} }
        let data = [
            0xA0, 0x80, 0x30, 0x03, 0x02, 0x01, 0x02, 0x30, 0x03, 0x02, 0x01, 0x01, 0, 0,
        ];
        let (tlv, _) = Tlv::parse_prefix(&data).unwrap();
        let kept = to_der(&tlv, Some(0x31), SetOrder::AsReceived).unwrap();
        assert_eq!(
            kept,
            [0x31, 0x0A, 0x30, 0x03, 0x02, 0x01, 0x02, 0x30, 0x03, 0x02, 0x01, 0x01]
        );
        let sorted = to_der(&tlv, Some(0x31), SetOrder::Canonical).unwrap();
        assert_eq!(
            sorted,
            [0x31, 0x0A, 0x30, 0x03, 0x02, 0x01, 0x01, 0x30, 0x03, 0x02, 0x01, 0x02]
        );
    }

    #[test]
    fn joins_chunked_strings() {
        let data = [0x24, 0x80, 0x04, 0x01, b'a', 0x04, 0x01, b'b', 0, 0];
        let (tlv, _) = Tlv::parse_prefix(&data).unwrap();
        assert_eq!(
            to_der(&tlv, None, SetOrder::AsReceived).unwrap(),
            [0x04, 0x02, b'a', b'b']
        );
    }

    #[test]
    fn long_lengths() {
        let mut out = Vec::new();
        push_length(&mut out, 0x1234);
        assert_eq!(out, [0x82, 0x12, 0x34]);
    }
}
