//! Views over CMS `ContentInfo`, `SignedData` and `SignerInfo` (RFC 5652), read leniently:
//! BER or DER, version and sid not cross-checked (real Actalis files use SignerInfo v3 with
//! issuerAndSerialNumber), `crls` may hold OCSP responses as `[1] OtherRevocationInfoFormat`.

use std::borrow::Cow;

use const_oid::ObjectIdentifier;

use super::ber::{tags, Reader, Tlv};
use super::error::EnvelopeError;
use super::oids;

/// Countersignatures nest; real ones go two deep. Cap it like envelope nesting.
pub const MAX_COUNTERSIGNATURE_DEPTH: usize = 16;

#[derive(Debug, Clone)]
pub struct ContentInfo<'a> {
    pub content_type: ObjectIdentifier,
    /// The element inside `[0] EXPLICIT`.
    pub content: Tlv<'a>,
    pub raw: Tlv<'a>,
}

impl<'a> ContentInfo<'a> {
    pub fn parse(tlv: Tlv<'a>) -> Result<Self, EnvelopeError> {
        if !tlv.tag.is_universal(tags::SEQUENCE) || !tlv.tag.constructed {
            return Err(EnvelopeError::NotAnEnvelope(format!(
                "the data does not start with an ASN.1 SEQUENCE (found {})",
                tlv.tag
            )));
        }
        let mut reader = tlv.children()?;
        let content_type = reader
            .expect_universal(tags::OID, "contentType")
            .and_then(|t| t.oid())
            .map_err(|e| EnvelopeError::NotAnEnvelope(format!("no content type: {e}")))?;
        let wrapper = reader
            .optional_context(0)?
            .ok_or_else(|| EnvelopeError::malformed("ContentInfo", "content missing"))?;
        let content = wrapper.children()?.next()?;
        Ok(ContentInfo {
            content_type,
            content,
            raw: tlv,
        })
    }
}

#[derive(Debug, Clone)]
pub struct AlgorithmId<'a> {
    pub oid: ObjectIdentifier,
    /// Whole parameters element, if present.
    pub params: Option<&'a [u8]>,
}

impl<'a> AlgorithmId<'a> {
    pub fn parse(tlv: &Tlv<'a>) -> Result<Self, EnvelopeError> {
        let mut reader = tlv.children()?;
        let oid = reader.expect_universal(tags::OID, "algorithm")?.oid()?;
        let params = reader.next_opt()?.map(|p| p.raw);
        Ok(AlgorithmId { oid, params })
    }
}

#[derive(Debug, Clone)]
pub enum SignerId<'a> {
    IssuerAndSerial {
        /// The issuer `Name` element as encoded.
        issuer: &'a [u8],
        /// INTEGER contents octets.
        serial: &'a [u8],
    },
    SubjectKeyIdentifier(Cow<'a, [u8]>),
}

#[derive(Debug, Clone)]
pub struct Attribute<'a> {
    pub oid: ObjectIdentifier,
    pub values: Vec<Tlv<'a>>,
}

/// The signed attributes as received: the element (for the exact bytes) and the parsed list.
#[derive(Debug, Clone)]
pub struct SignedAttributes<'a> {
    pub element: Tlv<'a>,
    pub list: Vec<Attribute<'a>>,
}

impl<'a> SignedAttributes<'a> {
    pub fn all(&self, oid: &ObjectIdentifier) -> impl Iterator<Item = &Attribute<'a>> {
        let oid = *oid;
        self.list.iter().filter(move |a| a.oid == oid)
    }
}

#[derive(Debug, Clone)]
pub struct SignerInfo<'a> {
    pub version: u64,
    pub sid: SignerId<'a>,
    pub digest_algorithm: AlgorithmId<'a>,
    pub signed_attrs: Option<SignedAttributes<'a>>,
    pub signature_algorithm: AlgorithmId<'a>,
    pub signature: Cow<'a, [u8]>,
    pub unsigned_attrs: Vec<Attribute<'a>>,
    pub countersignatures: Vec<SignerInfo<'a>>,
    /// Countersignature values that could not be read (kept so the report can say so).
    pub countersignature_errors: Vec<String>,
}

impl<'a> SignerInfo<'a> {
    pub fn parse(tlv: &Tlv<'a>, depth: usize) -> Result<Self, EnvelopeError> {
        let mut reader = tlv.children()?;
        let version = reader
            .expect_universal(tags::INTEGER, "version")?
            .small_uint()?;
        let sid_tlv = reader.next()?;
        let sid = if sid_tlv.tag.is_universal(tags::SEQUENCE) {
            let mut sid_reader = sid_tlv.children()?;
            let issuer = sid_reader.expect_universal(tags::SEQUENCE, "issuer")?.raw;
            let serial = sid_reader
                .expect_universal(tags::INTEGER, "serialNumber")?
                .value;
            SignerId::IssuerAndSerial { issuer, serial }
        } else if sid_tlv.tag.is_context(0) {
            SignerId::SubjectKeyIdentifier(sid_tlv.string_bytes()?)
        } else {
            return Err(EnvelopeError::malformed(
                "SignerInfo",
                format!("unknown signer identifier {}", sid_tlv.tag),
            ));
        };
        let digest_algorithm =
            AlgorithmId::parse(&reader.expect_universal(tags::SEQUENCE, "digestAlgorithm")?)?;
        let signed_attrs = match reader.optional_context(0)? {
            Some(element) => Some(SignedAttributes {
                list: parse_attributes(&element)?,
                element,
            }),
            None => None,
        };
        let signature_algorithm =
            AlgorithmId::parse(&reader.expect_universal(tags::SEQUENCE, "signatureAlgorithm")?)?;
        let signature = reader
            .expect_universal(tags::OCTET_STRING, "signature")?
            .string_bytes()?;
        let unsigned_attrs = match reader.optional_context(1)? {
            Some(element) => parse_attributes(&element)?,
            None => Vec::new(),
        };

        let mut countersignatures = Vec::new();
        let mut countersignature_errors = Vec::new();
        for attr in unsigned_attrs
            .iter()
            .filter(|a| a.oid == oids::ATTR_COUNTER_SIGNATURE)
        {
            for value in &attr.values {
                if depth >= MAX_COUNTERSIGNATURE_DEPTH {
                    countersignature_errors.push(format!(
                        "countersignatures nested deeper than {MAX_COUNTERSIGNATURE_DEPTH} levels were not read"
                    ));
                    continue;
                }
                match SignerInfo::parse(value, depth + 1) {
                    Ok(cs) => countersignatures.push(cs),
                    Err(e) => {
                        countersignature_errors.push(format!("unreadable countersignature: {e}"))
                    }
                }
            }
        }
        Ok(SignerInfo {
            version,
            sid,
            digest_algorithm,
            signed_attrs,
            signature_algorithm,
            signature,
            unsigned_attrs,
            countersignatures,
            countersignature_errors,
        })
    }
}

fn parse_attributes<'a>(set: &Tlv<'a>) -> Result<Vec<Attribute<'a>>, EnvelopeError> {
    let mut out = Vec::new();
    let mut reader = set.children()?;
    while let Some(attr) = reader.next_opt()? {
        let mut fields = attr.children()?;
        let oid = fields.expect_universal(tags::OID, "attrType")?.oid()?;
        let values = fields
            .expect_universal(tags::SET, "attrValues")?
            .child_list()?;
        out.push(Attribute { oid, values });
    }
    Ok(out)
}

/// An entry of `SignedData.crls`.
#[derive(Debug, Clone)]
pub enum RevocationEntry<'a> {
    Crl(&'a [u8]),
    /// `[1] OtherRevocationInfoFormat`: usually an OCSP response (id-ri-ocsp-response).
    Other {
        format: Option<ObjectIdentifier>,
        raw: &'a [u8],
    },
}

#[derive(Debug, Clone)]
pub struct SignedData<'a> {
    pub version: u64,
    pub digest_algorithms: Vec<AlgorithmId<'a>>,
    pub econtent_type: ObjectIdentifier,
    /// The eContent element (an OCTET STRING, possibly chunked); `None` when detached.
    pub econtent: Option<Tlv<'a>>,
    /// Each certificate as encoded (DER in practice).
    pub certificates: Vec<&'a [u8]>,
    pub crls: Vec<RevocationEntry<'a>>,
    pub signer_infos: Vec<SignerInfo<'a>>,
    /// SignerInfos that could not be read, with the reason.
    pub signer_info_errors: Vec<String>,
}

impl<'a> SignedData<'a> {
    pub fn parse(tlv: &Tlv<'a>) -> Result<Self, EnvelopeError> {
        if !tlv.tag.is_universal(tags::SEQUENCE) {
            return Err(EnvelopeError::malformed("SignedData", "not a SEQUENCE"));
        }
        let mut reader = tlv.children()?;
        let version = reader
            .expect_universal(tags::INTEGER, "version")?
            .small_uint()?;
        let mut digest_algorithms = Vec::new();
        let mut algs = reader
            .expect_universal(tags::SET, "digestAlgorithms")?
            .children()?;
        while let Some(alg) = algs.next_opt()? {
            digest_algorithms.push(AlgorithmId::parse(&alg)?);
        }
        let (econtent_type, econtent) =
            parse_encap(&reader.expect_universal(tags::SEQUENCE, "encapContentInfo")?)?;

        let mut certificates = Vec::new();
        if let Some(set) = reader.optional_context(0)? {
            let mut certs = set.children()?;
            while let Some(cert) = certs.next_opt()? {
                // Attribute certificates and other formats ([1]..[3]) are not signer certificates.
                if cert.tag.is_universal(tags::SEQUENCE) {
                    certificates.push(cert.raw);
                }
            }
        }
        let mut crls = Vec::new();
        if let Some(set) = reader.optional_context(1)? {
            let mut entries = set.children()?;
            while let Some(entry) = entries.next_opt()? {
                crls.push(parse_revocation_entry(&entry));
            }
        }
        let signer_set = reader.expect_universal(tags::SET, "signerInfos")?;
        let mut signer_infos = Vec::new();
        let mut signer_info_errors = Vec::new();
        let mut signers = signer_set.children()?;
        while let Some(si) = signers.next_opt()? {
            match SignerInfo::parse(&si, 0) {
                Ok(parsed) => signer_infos.push(parsed),
                Err(e) => signer_info_errors.push(e.to_string()),
            }
        }
        Ok(SignedData {
            version,
            digest_algorithms,
            econtent_type,
            econtent,
            certificates,
            crls,
            signer_infos,
            signer_info_errors,
        })
    }
}

fn parse_encap<'a>(tlv: &Tlv<'a>) -> Result<(ObjectIdentifier, Option<Tlv<'a>>), EnvelopeError> {
    let mut reader = tlv.children()?;
    let econtent_type = reader.expect_universal(tags::OID, "eContentType")?.oid()?;
    let econtent = match reader.optional_context(0)? {
        Some(wrapper) => {
            let mut inner = wrapper.children()?;
            inner.next_opt()?
        }
        None => None,
    };
    Ok((econtent_type, econtent))
}

fn parse_revocation_entry<'a>(entry: &Tlv<'a>) -> RevocationEntry<'a> {
    if entry.tag.is_context(1) {
        let format = entry
            .children()
            .ok()
            .and_then(|mut r| r.next().ok())
            .and_then(|t| t.oid().ok());
        RevocationEntry::Other {
            format,
            raw: entry.raw,
        }
    } else {
        RevocationEntry::Crl(entry.raw)
    }
}

/// RFC 5544 TimeStampedData: the envelope it carries and its time-stamp tokens.
#[derive(Debug, Clone)]
pub struct TimeStampedData<'a> {
    pub data_uri: Option<String>,
    /// The `content` OCTET STRING (possibly chunked); absent when the data is by reference.
    pub content: Option<Tlv<'a>>,
    /// Each `TimeStampAndCRL.timeStamp` (a ContentInfo).
    pub tokens: Vec<Tlv<'a>>,
}

impl<'a> TimeStampedData<'a> {
    pub fn parse(tlv: &Tlv<'a>) -> Result<Self, EnvelopeError> {
        let mut reader = tlv.children()?;
        reader.expect_universal(tags::INTEGER, "version")?;
        let mut data_uri = None;
        let mut content = None;
        let mut tokens = Vec::new();
        while let Some(field) = reader.next_opt()? {
            if field.tag.is_universal(tags::IA5_STRING) {
                data_uri = Some(String::from_utf8_lossy(&field.string_bytes()?).into_owned());
            } else if field.tag.is_universal(tags::OCTET_STRING) {
                content = Some(field);
            } else if field.tag.is_context(0) {
                // tstEvidence: SEQUENCE OF TimeStampAndCRL, tagged [0] IMPLICIT.
                let mut entries: Reader<'a> = field.children()?;
                while let Some(entry) = entries.next_opt()? {
                    if let Some(token) = entry.children()?.next_opt()? {
                        tokens.push(token);
                    }
                }
            }
            // MetaData (SEQUENCE) and other evidence kinds are not needed here.
        }
        Ok(TimeStampedData {
            data_uri,
            content,
            tokens,
        })
    }
}

/// If `tlv` is an RFC 3161 TimeStampResp, its token (a ContentInfo element).
pub fn time_stamp_resp_token<'a>(tlv: &Tlv<'a>) -> Option<Tlv<'a>> {
    if !tlv.tag.is_universal(tags::SEQUENCE) {
        return None;
    }
    let mut reader = tlv.children().ok()?;
    let status = reader.next().ok()?;
    // PKIStatusInfo is a SEQUENCE starting with an INTEGER status.
    let first = status.children().ok()?.next().ok()?;
    if !status.tag.is_universal(tags::SEQUENCE) || !first.tag.is_universal(tags::INTEGER) {
        return None;
    }
    let token = reader.next().ok()?;
    let info = ContentInfo::parse(token).ok()?;
    (info.content_type == oids::ID_SIGNED_DATA).then_some(token)
}
