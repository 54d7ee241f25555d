//! Object identifiers the envelope reader needs to recognise.

use const_oid::ObjectIdentifier as Oid;

pub const ID_DATA: Oid = Oid::new_unwrap("1.2.840.113549.1.7.1");
pub const ID_SIGNED_DATA: Oid = Oid::new_unwrap("1.2.840.113549.1.7.2");
pub const ID_CT_TST_INFO: Oid = Oid::new_unwrap("1.2.840.113549.1.9.16.1.4");
pub const ID_CT_TIMESTAMPED_DATA: Oid = Oid::new_unwrap("1.2.840.113549.1.9.16.1.31");

pub const ATTR_CONTENT_TYPE: Oid = Oid::new_unwrap("1.2.840.113549.1.9.3");
pub const ATTR_MESSAGE_DIGEST: Oid = Oid::new_unwrap("1.2.840.113549.1.9.4");
pub const ATTR_SIGNING_TIME: Oid = Oid::new_unwrap("1.2.840.113549.1.9.5");
pub const ATTR_COUNTER_SIGNATURE: Oid = Oid::new_unwrap("1.2.840.113549.1.9.6");
pub const ATTR_SIGNING_CERTIFICATE: Oid = Oid::new_unwrap("1.2.840.113549.1.9.16.2.12");
pub const ATTR_SIGNING_CERTIFICATE_V2: Oid = Oid::new_unwrap("1.2.840.113549.1.9.16.2.47");
pub const ATTR_SIGNATURE_TIME_STAMP: Oid = Oid::new_unwrap("1.2.840.113549.1.9.16.2.14");
pub const ATTR_ARCHIVE_TIME_STAMP_V3: Oid = Oid::new_unwrap("0.4.0.1733.2.4");
pub const ATTR_CONTENT_HINTS: Oid = Oid::new_unwrap("1.2.840.113549.1.9.16.2.4");

/// A short English name for an attribute, for reports.
pub fn attribute_name(oid: &Oid) -> String {
    let known = [
        (ATTR_CONTENT_TYPE, "content-type"),
        (ATTR_MESSAGE_DIGEST, "message-digest"),
        (ATTR_SIGNING_TIME, "signing-time"),
        (ATTR_COUNTER_SIGNATURE, "countersignature"),
        (ATTR_SIGNING_CERTIFICATE, "signing-certificate"),
        (ATTR_SIGNING_CERTIFICATE_V2, "signing-certificate-v2"),
        (ATTR_SIGNATURE_TIME_STAMP, "signature-time-stamp"),
        (ATTR_ARCHIVE_TIME_STAMP_V3, "archive-time-stamp-v3"),
        (ATTR_CONTENT_HINTS, "content-hints"),
    ];
    known
        .iter()
        .find(|(k, _)| k == oid)
        .map(|(_, name)| (*name).to_string())
        .unwrap_or_else(|| oid.to_string())
}
