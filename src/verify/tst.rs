//! Reading RFC 3161 time-stamp tokens enough to describe them (generation time, imprint).
//! Judging them (TSA chain, imprint against the data) belongs to the time-stamp checks.

use crate::envelope::ber::{tags, Tlv};
use crate::envelope::signed_data::{ContentInfo, SignedData};
use crate::envelope::tree::Content;
use crate::envelope::OuterToken;

use super::algorithms::DigestAlgorithm;
use super::asn1_time::{parse_time, rfc3339};
use super::report::{Check, TokenReport};

/// Generation time and imprint of a token.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TstSummary {
    pub gen_time: Option<String>,
    pub imprint_algorithm: Option<String>,
    pub imprint: Vec<u8>,
}

/// Reads the TSTInfo inside a token (a ContentInfo element); `None` if it is not one.
pub fn summarize(token: &Tlv<'_>) -> Option<TstSummary> {
    let info = ContentInfo::parse(*token).ok()?;
    let signed = SignedData::parse(&info.content).ok()?;
    let element = signed.econtent?;
    let bytes = Content { element }.contiguous().ok()?;
    let (tst_info, _) = Tlv::parse_prefix(&bytes).ok()?;
    let mut fields = tst_info.children().ok()?;
    fields.expect_universal(tags::INTEGER, "version").ok()?;
    fields.expect_universal(tags::OID, "policy").ok()?;
    let imprint = fields
        .expect_universal(tags::SEQUENCE, "messageImprint")
        .ok()?;
    let mut imprint_fields = imprint.children().ok()?;
    let alg_oid = imprint_fields
        .next()
        .ok()?
        .children()
        .ok()?
        .next()
        .ok()?
        .oid()
        .ok()?;
    let hash = imprint_fields
        .next()
        .ok()?
        .string_bytes()
        .ok()?
        .into_owned();
    fields
        .expect_universal(tags::INTEGER, "serialNumber")
        .ok()?;
    let gen_time = fields.next().ok().and_then(|t| parse_time(&t)).map(rfc3339);
    Some(TstSummary {
        gen_time,
        imprint_algorithm: Some(
            DigestAlgorithm::from_oid(&alg_oid)
                .map(|a| a.name().to_string())
                .unwrap_or_else(|| alg_oid.to_string()),
        ),
        imprint: hash,
    })
}

pub fn describe_outer(token: &OuterToken<'_>) -> TokenReport {
    let summary = summarize(&token.token);
    TokenReport {
        source: token.source.to_string(),
        gen_time: summary.as_ref().and_then(|s| s.gen_time.clone()),
        imprint_algorithm: summary.as_ref().and_then(|s| s.imprint_algorithm.clone()),
        status: match summary {
            Some(_) => Check::not_checked("the time-stamp token was read but not checked yet"),
            None => Check::failed("the time-stamp token cannot be read"),
        },
    }
}
