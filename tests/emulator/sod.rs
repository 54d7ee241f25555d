//! The CIE's EF.SOD, assembled the way the real CIE middleware parses it (italia's
//! cie-middleware IAS::VerificaSOD reads it by position): `77 len ContentInfo`, SignedData
//! version 3, eContentType 2.23.136.1.1.1, the document signer certificate, one SignerInfo
//! (version 1, issuerAndSerialNumber, SHA-256) whose signed attributes are exactly
//! contentType then messageDigest, and signatureAlgorithm sha256WithRSAEncryption.
//! `openssl cms -sign` cannot make this (it always adds signingTime, which would sit between
//! the two, and writes rsaEncryption), so the structure is assembled here and only the RSA
//! signature comes from `openssl dgst -sign`; `openssl cms -verify` checks the result.

use std::path::Path;

use sha2::{Digest, Sha256};

use super::openssl::{openssl, read, write};

const OID_SIGNED_DATA: &[u8] = &[0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x07, 0x02];
const OID_SHA256: &[u8] = &[0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x01];
const OID_LDS_SECURITY_OBJECT: &[u8] = &[0x67, 0x81, 0x08, 0x01, 0x01, 0x01];
const OID_CONTENT_TYPE: &[u8] = &[0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x09, 0x03];
const OID_MESSAGE_DIGEST: &[u8] = &[0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x09, 0x04];
const OID_SHA256_WITH_RSA: &[u8] = &[0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x01, 0x0B];

/// One DER element.
pub fn tlv(tag: u8, content: &[u8]) -> Vec<u8> {
    let mut out = vec![tag];
    let len = content.len();
    match len {
        0..=0x7F => out.push(len as u8),
        0x80..=0xFF => out.extend_from_slice(&[0x81, len as u8]),
        _ => {
            out.push(0x82);
            out.extend_from_slice(&(len as u16).to_be_bytes());
        }
    }
    out.extend_from_slice(content);
    out
}

fn seq(parts: &[&[u8]]) -> Vec<u8> {
    tlv(0x30, &parts.concat())
}

/// The elements inside a DER SEQUENCE (or any constructed element): (tag, whole TLV).
pub fn children(der: &[u8]) -> Vec<(u8, Vec<u8>)> {
    let (_, content) = split(der);
    let mut rest = content;
    let mut out = Vec::new();
    while !rest.is_empty() {
        let total = header_len(rest) + content_len(rest);
        out.push((rest[0], rest[..total].to_vec()));
        rest = &rest[total..];
    }
    out
}

fn header_len(der: &[u8]) -> usize {
    match der[1] {
        n if n < 0x80 => 2,
        n => 2 + usize::from(n & 0x7F),
    }
}

fn content_len(der: &[u8]) -> usize {
    match der[1] {
        n if n < 0x80 => usize::from(n),
        n => der[2..2 + usize::from(n & 0x7F)]
            .iter()
            .fold(0, |acc, b| (acc << 8) | usize::from(*b)),
    }
}

fn split(der: &[u8]) -> (usize, &[u8]) {
    let h = header_len(der);
    (h, &der[h..h + content_len(der)])
}

/// LDSSecurityObject { version 0, SHA-256, dataGroupHashValues }. The data group number is
/// written as one content byte (`02 01 A1`): the middleware reads that byte as the number.
pub fn lds_security_object(groups: &[(u8, &[u8])]) -> Vec<u8> {
    let hashes: Vec<u8> = groups
        .iter()
        .flat_map(|(number, data)| {
            seq(&[&tlv(0x02, &[*number]), &tlv(0x04, &Sha256::digest(data))])
        })
        .collect();
    seq(&[
        &tlv(0x02, &[0]),
        &seq(&[&tlv(0x06, OID_SHA256)]),
        &tlv(0x30, &hashes),
    ])
}

/// The whole EF.SOD content, signed by the document signer `ds` (`ds.pem`, `ds.key`) in `dir`.
pub fn build_sod(dir: &Path, lds: &[u8], ds_cert_der: &[u8]) -> Vec<u8> {
    let digest = Sha256::digest(lds);
    let attrs = [
        seq(&[
            &tlv(0x06, OID_CONTENT_TYPE),
            &tlv(0x31, &tlv(0x06, OID_LDS_SECURITY_OBJECT)),
        ]),
        seq(&[
            &tlv(0x06, OID_MESSAGE_DIGEST),
            &tlv(0x31, &tlv(0x04, &digest)),
        ]),
    ]
    .concat();
    // The signature covers the attributes with the universal SET tag (RFC 5652 5.4).
    write(dir, "sod-signed-attrs.der", &tlv(0x31, &attrs));
    openssl(
        dir,
        &[
            "dgst",
            "-sha256",
            "-sign",
            "ds.key",
            "-out",
            "sod-signature.bin",
            "sod-signed-attrs.der",
        ],
    );
    let signature = read(dir, "sod-signature.bin");

    let tbs = &children(ds_cert_der)[0].1;
    let tbs_fields = children(tbs);
    // TBSCertificate: [0] version, serialNumber, signature, issuer, ...
    let serial = &tbs_fields[1].1;
    let issuer = &tbs_fields[3].1;
    let signer_info = seq(&[
        &tlv(0x02, &[1]),
        &seq(&[issuer, serial]),
        &seq(&[&tlv(0x06, OID_SHA256)]),
        &tlv(0xA0, &attrs),
        &seq(&[&tlv(0x06, OID_SHA256_WITH_RSA), &[0x05, 0x00]]),
        &tlv(0x04, &signature),
    ]);
    let signed_data = seq(&[
        &tlv(0x02, &[3]),
        &tlv(0x31, &seq(&[&tlv(0x06, OID_SHA256)])),
        &seq(&[
            &tlv(0x06, OID_LDS_SECURITY_OBJECT),
            &tlv(0xA0, &tlv(0x04, lds)),
        ]),
        &tlv(0xA0, ds_cert_der),
        &tlv(0x31, &signer_info),
    ]);
    let content_info = seq(&[&tlv(0x06, OID_SIGNED_DATA), &tlv(0xA0, &signed_data)]);
    tlv(0x77, &content_info)
}
