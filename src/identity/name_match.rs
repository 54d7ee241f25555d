//! Comparing X.501 names as RFC 5280 §7.1 says: the same name may be encoded as
//! PrintableString in a certificate and as UTF8String in a SignerInfo that points to it, with
//! other case or spacing. Byte equality is tried first by the callers; this is the rule when
//! the bytes differ.

use super::names::decode_string;
use crate::envelope::ber::Tlv;

/// One attribute value, prepared for comparison: directory strings case-folded with their
/// insignificant spaces removed (RFC 4518 §2.6.1), anything else as its encoding.
#[derive(Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Value {
    Text(String),
    Raw(Vec<u8>),
}

/// Case folding and space handling of RFC 4518 (without NFKC, which no Italian name seen
/// needs): leading and trailing spaces dropped, inner runs of spaces made one.
fn prepare(text: &str) -> String {
    text.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

/// The RDNs of a DER name, each a sorted list of (type, value); `None` if it is not a name.
fn prepared_rdns(name_der: &[u8]) -> Option<Vec<Vec<(String, Value)>>> {
    let (name, rest) = Tlv::parse_prefix(name_der).ok()?;
    if !rest.is_empty() {
        return None;
    }
    let mut rdns = Vec::new();
    for rdn in name.child_list().ok()? {
        let mut atvs = Vec::new();
        for atv in rdn.child_list().ok()? {
            let mut fields = atv.children().ok()?;
            let oid = fields.next().ok()?.oid().ok()?.to_string();
            let value = fields.next().ok()?;
            let prepared = match decode_string(&value) {
                Some(text) => Value::Text(prepare(&text)),
                None => Value::Raw(value.raw.to_vec()),
            };
            atvs.push((oid, prepared));
        }
        // An RDN is a SET: the order of its attributes carries no meaning.
        atvs.sort();
        rdns.push(atvs);
    }
    Some(rdns)
}

/// Whether two DER-encoded names are the same name (RFC 5280 §7.1): same number of RDNs in
/// the same order, each with the same attributes, string values compared after case folding
/// and insignificant-space handling whatever string type encodes them.
pub fn names_match(a: &[u8], b: &[u8]) -> bool {
    if a == b {
        return true;
    }
    match (prepared_rdns(a), prepared_rdns(b)) {
        (Some(a), Some(b)) => a == b,
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A DER name from (oid body bytes, string tag, value) RDNs, one attribute each.
    fn name(rdns: &[(&[u8], u8, &str)]) -> Vec<u8> {
        fn tlv(tag: u8, body: &[u8]) -> Vec<u8> {
            assert!(body.len() < 128);
            let mut out = vec![tag, body.len() as u8];
            out.extend_from_slice(body);
            out
        }
        let mut body = Vec::new();
        for (oid, tag, value) in rdns {
            let atv = [tlv(0x06, oid), tlv(*tag, value.as_bytes())].concat();
            body.extend(tlv(0x31, &tlv(0x30, &atv)));
        }
        tlv(0x30, &body)
    }

    const C: &[u8] = &[0x55, 0x04, 0x06];
    const O: &[u8] = &[0x55, 0x04, 0x0A];
    const CN: &[u8] = &[0x55, 0x04, 0x03];
    const UTF8: u8 = 0x0C;
    const PRINTABLE: u8 = 0x13;

    fn reference() -> Vec<u8> {
        name(&[
            (C, PRINTABLE, "IT"),
            (O, UTF8, "ArubaPEC S.p.A."),
            (CN, UTF8, "ArubaPEC S.p.A. NG CA 3"),
        ])
    }

    #[test]
    fn string_type_case_and_spacing_do_not_matter() {
        let variations = [
            name(&[
                (C, PRINTABLE, "IT"),
                (O, PRINTABLE, "ArubaPEC S.p.A."),
                (CN, PRINTABLE, "ArubaPEC S.p.A. NG CA 3"),
            ]),
            name(&[
                (C, UTF8, "it"),
                (O, UTF8, "ARUBAPEC S.P.A."),
                (CN, UTF8, "arubapec s.p.a. ng ca 3"),
            ]),
            name(&[
                (C, PRINTABLE, " IT"),
                (O, UTF8, "ArubaPEC  S.p.A. "),
                (CN, PRINTABLE, "  ArubaPEC S.p.A.   NG CA 3"),
            ]),
        ];
        for variation in variations {
            assert!(names_match(&reference(), &variation), "{variation:02x?}");
            assert!(names_match(&variation, &reference()));
        }
    }

    #[test]
    fn different_names_stay_different() {
        let others = [
            name(&[
                (C, PRINTABLE, "IT"),
                (O, UTF8, "ArubaPEC S.p.A."),
                (CN, UTF8, "ArubaPEC S.p.A. NG CA 2"),
            ]),
            // Same attributes, other order of RDNs.
            name(&[
                (O, UTF8, "ArubaPEC S.p.A."),
                (C, PRINTABLE, "IT"),
                (CN, UTF8, "ArubaPEC S.p.A. NG CA 3"),
            ]),
            // A space inside a word is significant.
            name(&[
                (C, PRINTABLE, "IT"),
                (O, UTF8, "Aruba PEC S.p.A."),
                (CN, UTF8, "ArubaPEC S.p.A. NG CA 3"),
            ]),
            name(&[(C, PRINTABLE, "IT"), (O, UTF8, "ArubaPEC S.p.A.")]),
        ];
        for other in others {
            assert!(!names_match(&reference(), &other), "{other:02x?}");
        }
        assert!(!names_match(&reference(), b"not a name"));
        assert!(!names_match(&reference(), &[]));
    }
}
