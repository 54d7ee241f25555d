//! Reading X.501 names attribute by attribute, decoding every directory string type real
//! certificates use (Printable, UTF-8, Teletex as Latin-1, BMP, Universal, IA5).

use crate::envelope::ber::{tags, Tlv};

pub(super) fn decode_string(value: &Tlv<'_>) -> Option<String> {
    let bytes = value.value;
    if value.tag.class != crate::envelope::ber::Class::Universal {
        return None;
    }
    match value.tag.number {
        tags::UTF8_STRING | tags::PRINTABLE_STRING | tags::IA5_STRING => {
            Some(String::from_utf8_lossy(bytes).into_owned())
        }
        // TeletexString: in practice Latin-1.
        tags::T61_STRING => Some(bytes.iter().map(|b| char::from(*b)).collect()),
        tags::BMP_STRING => {
            let units: Vec<u16> = bytes
                .chunks(2)
                .map(|c| u16::from_be_bytes([c[0], *c.get(1).unwrap_or(&0)]))
                .collect();
            Some(String::from_utf16_lossy(&units))
        }
        tags::UNIVERSAL_STRING => Some(
            bytes
                .chunks(4)
                .filter_map(|c| {
                    let mut word = [0u8; 4];
                    word[..c.len()].copy_from_slice(c);
                    char::from_u32(u32::from_be_bytes(word))
                })
                .collect(),
        ),
        _ => None,
    }
}

/// (OID, value) pairs of a DER Name in encoded order.
fn pairs(name_der: &[u8]) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let Ok((name, _)) = Tlv::parse_prefix(name_der) else {
        return out;
    };
    for rdn in name.child_list().unwrap_or_default() {
        for atv in rdn.child_list().unwrap_or_default() {
            let mut fields = match atv.children() {
                Ok(f) => f,
                Err(_) => continue,
            };
            let Ok(oid) = fields.next().and_then(|t| t.oid()) else {
                continue;
            };
            let value = fields.next().ok().and_then(|v| {
                decode_string(&v).or_else(|| Some(format!("#{}", hex::encode(v.raw))))
            });
            if let Some(value) = value {
                out.push((oid.to_string(), value));
            }
        }
    }
    out
}

/// The first value of an attribute, trimmed.
pub fn attribute(name_der: &[u8], oid: &str) -> Option<String> {
    pairs(name_der)
        .into_iter()
        .find(|(o, _)| o == oid)
        .map(|(_, v)| v.trim().to_string())
}

fn short_name(oid: &str) -> String {
    match oid {
        "2.5.4.3" => "CN",
        "2.5.4.4" => "SN",
        "2.5.4.5" => "serialNumber",
        "2.5.4.6" => "C",
        "2.5.4.7" => "L",
        "2.5.4.8" => "ST",
        "2.5.4.10" => "O",
        "2.5.4.11" => "OU",
        "2.5.4.12" => "title",
        "2.5.4.42" => "GN",
        "2.5.4.46" => "dnQualifier",
        "2.5.4.97" => "organizationIdentifier",
        "1.2.840.113549.1.9.1" => "emailAddress",
        other => other,
    }
    .to_string()
}

/// "C=IT, O=…, CN=…" in encoded order, like OpenSSL prints it.
pub fn display_name(name_der: &[u8]) -> String {
    pairs(name_der)
        .into_iter()
        .map(|(oid, value)| format!("{}={value}", short_name(&oid)))
        .collect::<Vec<_>>()
        .join(", ")
}
