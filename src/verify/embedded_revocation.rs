//! Gathering the revocation data an envelope carries, as raw DER for a `RevocationSource`:
//! `SignedData.crls` (CRLs, and OCSP responses as `[1] OtherRevocationInfoFormat`) and the
//! CAdES revocation-values unsigned attribute of a signature. Reading them is the source's job.

use const_oid::ObjectIdentifier;

use crate::envelope::ber::{tags, Tlv};
use crate::envelope::signed_data::RevocationEntry;
use crate::envelope::Attribute;

/// id-ri-ocsp-response (RFC 5940).
pub const ID_RI_OCSP_RESPONSE: ObjectIdentifier =
    ObjectIdentifier::new_unwrap("1.3.6.1.5.5.7.16.2");
/// id-aa-ets-revocationValues (RFC 5126).
pub const ATTR_REVOCATION_VALUES: ObjectIdentifier =
    ObjectIdentifier::new_unwrap("1.2.840.113549.1.9.16.2.24");

/// Raw CRLs and OCSP responses, borrowed from the envelope.
#[derive(Debug, Clone, Default)]
pub struct EmbeddedData<'a> {
    pub crls: Vec<&'a [u8]>,
    pub ocsp: Vec<&'a [u8]>,
}

impl<'a> EmbeddedData<'a> {
    /// The level's `crls` entries.
    pub fn from_level(entries: &[RevocationEntry<'a>]) -> Self {
        let mut out = EmbeddedData::default();
        for entry in entries {
            match entry {
                RevocationEntry::Crl(raw) => out.crls.push(raw),
                RevocationEntry::Other { format, raw } if *format == Some(ID_RI_OCSP_RESPONSE) => {
                    out.ocsp.extend(other_ocsp(raw));
                }
                RevocationEntry::Other { .. } => {}
            }
        }
        out
    }

    /// This data plus a signature's revocation-values attribute, if it has one.
    pub fn with_signature(&self, unsigned_attrs: &[Attribute<'a>]) -> Self {
        let mut out = self.clone();
        for value in unsigned_attrs
            .iter()
            .filter(|a| a.oid == ATTR_REVOCATION_VALUES)
            .flat_map(|a| a.values.iter())
        {
            add_revocation_values(value, &mut out);
        }
        out
    }
}

/// `[1] { format OID, info }`: the info is an OCSPResponse or BasicOCSPResponse, sometimes
/// wrapped in an OCTET STRING.
fn other_ocsp(raw: &[u8]) -> Option<&[u8]> {
    let (element, _) = Tlv::parse_prefix(raw).ok()?;
    let mut fields = element.children().ok()?;
    fields.next().ok()?;
    let info = fields.next().ok()?;
    unwrap_octet_string(info)
}

fn unwrap_octet_string(tlv: Tlv<'_>) -> Option<&[u8]> {
    if tlv.tag.is_universal(tags::OCTET_STRING) && !tlv.tag.constructed {
        let (inner, _) = Tlv::parse_prefix(tlv.value).ok()?;
        return Some(inner.raw);
    }
    tlv.tag.is_universal(tags::SEQUENCE).then_some(tlv.raw)
}

/// RevocationValues ::= SEQUENCE { crlVals [0] SEQUENCE OF CertificateList OPTIONAL,
/// ocspVals [1] SEQUENCE OF BasicOCSPResponse OPTIONAL, otherRevVals [2] … }. The module is
/// EXPLICIT; some writers tag implicitly, so both forms are read.
fn add_revocation_values<'a>(value: &Tlv<'a>, out: &mut EmbeddedData<'a>) {
    let Ok(fields) = value.child_list() else {
        return;
    };
    for field in fields {
        let items = sequence_of_items(&field);
        if field.tag.is_context(0) {
            out.crls.extend(items);
        } else if field.tag.is_context(1) {
            out.ocsp.extend(items);
        }
    }
}

/// The elements of an explicitly or implicitly tagged SEQUENCE OF signed structures.
fn sequence_of_items<'a>(field: &Tlv<'a>) -> Vec<&'a [u8]> {
    let Ok(children) = field.child_list() else {
        return Vec::new();
    };
    let explicit = children.len() == 1
        && children
            .first()
            .is_some_and(|only| !looks_signed(only) && only.tag.is_universal(tags::SEQUENCE));
    if explicit {
        return children
            .first()
            .and_then(|only| only.child_list().ok())
            .unwrap_or_default()
            .iter()
            .map(|t| t.raw)
            .collect();
    }
    children.iter().map(|t| t.raw).collect()
}

/// A signed structure (CertificateList, BasicOCSPResponse) ends with a BIT STRING signature
/// or, for BasicOCSPResponse, optional [0] certs after it.
fn looks_signed(tlv: &Tlv<'_>) -> bool {
    let Ok(parts) = tlv.child_list() else {
        return false;
    };
    parts
        .get(2)
        .is_some_and(|p| p.tag.is_universal(tags::BIT_STRING))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tlv(tag: u8, content: &[u8]) -> Vec<u8> {
        let mut out = vec![tag, content.len() as u8];
        out.extend_from_slice(content);
        out
    }

    fn fake_signed() -> Vec<u8> {
        let body = [tlv(0x30, &[]), tlv(0x30, &[]), tlv(0x03, &[0])].concat();
        tlv(0x30, &body)
    }

    #[test]
    fn revocation_values_explicit_and_implicit() {
        let crl = fake_signed();
        let explicit = tlv(
            0x30,
            &tlv(0xa0, &tlv(0x30, &[crl.clone(), crl.clone()].concat())),
        );
        let implicit = tlv(0x30, &tlv(0xa1, &crl));
        let (e, _) = Tlv::parse_prefix(&explicit).unwrap();
        let (i, _) = Tlv::parse_prefix(&implicit).unwrap();
        let mut out = EmbeddedData::default();
        add_revocation_values(&e, &mut out);
        add_revocation_values(&i, &mut out);
        assert_eq!(out.crls, vec![crl.as_slice(), crl.as_slice()]);
        assert_eq!(out.ocsp, vec![crl.as_slice()]);
    }

    #[test]
    fn ocsp_in_other_format_unwrapped_from_octet_string() {
        let resp = fake_signed();
        let oid = [0x06, 0x08, 0x2b, 0x06, 0x01, 0x05, 0x05, 0x07, 0x10, 0x02];
        let plain = tlv(0xa1, &[oid.to_vec(), resp.clone()].concat());
        let wrapped = tlv(0xa1, &[oid.to_vec(), tlv(0x04, &resp)].concat());
        assert_eq!(other_ocsp(&plain), Some(resp.as_slice()));
        assert_eq!(other_ocsp(&wrapped), Some(resp.as_slice()));
        assert_eq!(other_ocsp(&[0xa1, 0x05, 1, 2]), None);
    }
}
