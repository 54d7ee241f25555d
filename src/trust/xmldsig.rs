//! The enveloped XML signature of a Trusted List (XAdES-BES as the lists use it): every
//! Reference digest over its exclusively canonicalised target, then the signature over the
//! canonical SignedInfo, with a certificate the list of lists names for that list.

use der::{Decode, Encode};
use time::OffsetDateTime;
use x509_cert::Certificate;

use crate::crypto::algorithms::{DigestAlgorithm, SignatureScheme};
use crate::crypto::digest::digest;
use crate::crypto::signature_math::verify_message;
use crate::envelope::sniff::decode_base64;

use super::exc_c14n::canonicalize;

const EXC_C14N: &str = "http://www.w3.org/2001/10/xml-exc-c14n#";
const ENVELOPED: &str = "http://www.w3.org/2000/09/xmldsig#enveloped-signature";

#[derive(Debug, thiserror::Error)]
pub enum XmlSignatureError {
    #[error("not well-formed XML: {0}")]
    Xml(String),
    #[error("the list is not signed")]
    Unsigned,
    #[error("unsupported {what}: {uri}")]
    Unsupported { what: &'static str, uri: String },
    #[error("reference {0} does not match: the list was changed after signing")]
    DigestMismatch(String),
    #[error("the signature value does not verify")]
    BadSignature,
    #[error("the list was signed by a certificate that is not allowed to sign it")]
    UnknownSigner,
    #[error("the signer certificate was not valid on the list's issue date {0}")]
    SignerNotValid(String),
    #[error("malformed signature: {0}")]
    Malformed(&'static str),
}

/// What a good signature tells.
#[derive(Debug, Clone)]
pub struct SignatureOutcome {
    pub signer_subject: String,
    pub signer_sha256: String,
}

fn element<'a, 'i>(node: roxmltree::Node<'a, 'i>, name: &str) -> Option<roxmltree::Node<'a, 'i>> {
    node.children()
        .find(|c| c.is_element() && c.tag_name().name() == name)
}

fn algorithm(node: Option<roxmltree::Node<'_, '_>>) -> String {
    node.and_then(|n| n.attribute("Algorithm"))
        .unwrap_or("")
        .to_string()
}

fn digest_algorithm(uri: &str) -> Result<DigestAlgorithm, XmlSignatureError> {
    match uri {
        "http://www.w3.org/2001/04/xmlenc#sha256" => Ok(DigestAlgorithm::Sha256),
        "http://www.w3.org/2001/04/xmldsig-more#sha384" => Ok(DigestAlgorithm::Sha384),
        "http://www.w3.org/2001/04/xmlenc#sha512" => Ok(DigestAlgorithm::Sha512),
        other => Err(XmlSignatureError::Unsupported {
            what: "digest method",
            uri: other.to_string(),
        }),
    }
}

fn signature_method(uri: &str) -> Result<(SignatureScheme, DigestAlgorithm), XmlSignatureError> {
    let rsa = |h| (SignatureScheme::RsaPkcs1v15 { hash: Some(h) }, h);
    let ec = |h| (SignatureScheme::Ecdsa { hash: Some(h) }, h);
    match uri {
        "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256" => Ok(rsa(DigestAlgorithm::Sha256)),
        "http://www.w3.org/2001/04/xmldsig-more#rsa-sha384" => Ok(rsa(DigestAlgorithm::Sha384)),
        "http://www.w3.org/2001/04/xmldsig-more#rsa-sha512" => Ok(rsa(DigestAlgorithm::Sha512)),
        "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha256" => Ok(ec(DigestAlgorithm::Sha256)),
        "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha384" => Ok(ec(DigestAlgorithm::Sha384)),
        other => Err(XmlSignatureError::Unsupported {
            what: "signature method",
            uri: other.to_string(),
        }),
    }
}

fn base64_text(
    node: Option<roxmltree::Node<'_, '_>>,
    what: &'static str,
) -> Result<Vec<u8>, XmlSignatureError> {
    let text = node
        .and_then(|n| n.text())
        .ok_or(XmlSignatureError::Malformed(what))?;
    decode_base64(text.as_bytes()).map_err(|_| XmlSignatureError::Malformed(what))
}

/// Checks the list's signature; `allowed_signers` are DER certificates (from the list of
/// lists), `issue_date` the list's own, when the signer certificate must have been valid.
pub fn verify_list_signature(
    xml: &str,
    allowed_signers: &[Vec<u8>],
    issue_date: OffsetDateTime,
) -> Result<SignatureOutcome, XmlSignatureError> {
    let doc = roxmltree::Document::parse(xml).map_err(|e| XmlSignatureError::Xml(e.to_string()))?;
    let root = doc.root_element();
    let signature = element(root, "Signature").ok_or(XmlSignatureError::Unsigned)?;
    let signed_info =
        element(signature, "SignedInfo").ok_or(XmlSignatureError::Malformed("no SignedInfo"))?;
    let c14n_method = algorithm(element(signed_info, "CanonicalizationMethod"));
    if c14n_method != EXC_C14N {
        return Err(XmlSignatureError::Unsupported {
            what: "canonicalization",
            uri: c14n_method,
        });
    }
    let (scheme, hash) = signature_method(&algorithm(element(signed_info, "SignatureMethod")))?;

    let mut references = 0;
    for reference in signed_info
        .children()
        .filter(|c| c.is_element() && c.tag_name().name() == "Reference")
    {
        references += 1;
        let uri = reference.attribute("URI").unwrap_or("");
        let transforms: Vec<String> = element(reference, "Transforms")
            .map(|t| {
                t.children()
                    .filter(|c| c.is_element())
                    .map(|c| algorithm(Some(c)))
                    .collect()
            })
            .unwrap_or_default();
        for transform in &transforms {
            if transform != EXC_C14N && transform != ENVELOPED {
                return Err(XmlSignatureError::Unsupported {
                    what: "transform",
                    uri: transform.clone(),
                });
            }
        }
        let (apex, exclude) = if uri.is_empty() {
            if !transforms.iter().any(|t| t == ENVELOPED) {
                return Err(XmlSignatureError::Malformed(
                    "whole-document reference without the enveloped transform",
                ));
            }
            (root, Some(signature.id()))
        } else {
            let id = uri
                .strip_prefix('#')
                .ok_or(XmlSignatureError::Malformed("external reference"))?;
            let target = doc
                .descendants()
                .find(|n| n.is_element() && n.attribute("Id") == Some(id))
                .ok_or(XmlSignatureError::Malformed(
                    "reference to a missing element",
                ))?;
            (target, None)
        };
        let canonical = canonicalize(apex, xml, exclude);
        let alg = digest_algorithm(&algorithm(element(reference, "DigestMethod")))?;
        let declared = base64_text(element(reference, "DigestValue"), "DigestValue")?;
        if digest(alg, canonical.as_bytes()) != declared {
            return Err(XmlSignatureError::DigestMismatch(if uri.is_empty() {
                "\"\" (the list)".into()
            } else {
                uri.to_string()
            }));
        }
    }
    if references == 0 {
        return Err(XmlSignatureError::Malformed("no Reference"));
    }

    let signer_der = base64_text(
        signature
            .descendants()
            .find(|n| n.is_element() && n.tag_name().name() == "X509Certificate"),
        "X509Certificate",
    )?;
    if !allowed_signers.contains(&signer_der) {
        return Err(XmlSignatureError::UnknownSigner);
    }
    let cert = Certificate::from_der(&signer_der)
        .map_err(|_| XmlSignatureError::Malformed("signer certificate"))?;
    let (not_before, not_after) = crate::identity::validity(&cert);
    if issue_date < not_before || issue_date > not_after {
        return Err(XmlSignatureError::SignerNotValid(
            crate::envelope::asn1_time::rfc3339(issue_date),
        ));
    }
    let spki = cert
        .tbs_certificate()
        .subject_public_key_info()
        .to_der()
        .map_err(|_| XmlSignatureError::Malformed("signer key"))?;
    let value = base64_text(element(signature, "SignatureValue"), "SignatureValue")?;
    let signed_info_c14n = canonicalize(signed_info, xml, None);
    verify_message(&spki, &scheme, hash, signed_info_c14n.as_bytes(), &value)
        .map_err(|_| XmlSignatureError::BadSignature)?;
    Ok(SignatureOutcome {
        signer_subject: crate::identity::signer_identity(&cert, &signer_der).subject,
        signer_sha256: hex::encode(digest(DigestAlgorithm::Sha256, &signer_der)),
    })
}
