//! Putting SignerInfos into envelopes: a new attached envelope, a parallel signature added to
//! an existing one, a countersignature added to one of its signatures. An existing envelope
//! is rebuilt around the raw bytes of everything it held (other signers, certificates, CRLs,
//! the content with its BER chunking), so nothing another signer signed or sent changes.

use const_oid::ObjectIdentifier;

use crate::envelope::ber::{tags, Tlv};
use crate::envelope::oids;
use crate::envelope::signed_data::{ContentInfo, SignedData, SignerInfo};

use super::der_out::{self, CONTEXT_0, CONTEXT_1, SET};
use super::signer_info::digest_algorithm_identifier;
use super::SignError;

fn content_info(signed_data: &[u8]) -> Vec<u8> {
    der_out::sequence(&[
        &der_out::oid(&oids::ID_SIGNED_DATA),
        &der_out::tlv(CONTEXT_0, signed_data),
    ])
}

/// A new attached envelope of `content` (id-data) with one signer and its certificate.
pub fn new_envelope(content: &[u8], signer_info: &[u8], cert_der: &[u8]) -> Vec<u8> {
    let encap = der_out::sequence(&[
        &der_out::oid(&oids::ID_DATA),
        &der_out::tlv(CONTEXT_0, &der_out::octet_string(content)),
    ]);
    let signed_data = der_out::sequence(&[
        &der_out::small_integer(1),
        &der_out::tlv(SET, &digest_algorithm_identifier()),
        &encap,
        &der_out::tlv(CONTEXT_0, cert_der),
        &der_out::tlv(SET, signer_info),
    ]);
    content_info(&signed_data)
}

/// The parts of an existing envelope's SignedData, as raw elements.
pub struct Existing<'a> {
    version: Tlv<'a>,
    digest_algorithms: Vec<Tlv<'a>>,
    encap: Tlv<'a>,
    certificates: Vec<Tlv<'a>>,
    crls: Option<Tlv<'a>>,
    signer_infos: Vec<Tlv<'a>>,
    pub signed_data: SignedData<'a>,
}

fn malformed(e: impl std::fmt::Display) -> SignError {
    SignError::NotAnEnvelope(e.to_string())
}

impl<'a> Existing<'a> {
    /// Reads a binary (DER or BER) CMS envelope. Base64 or PEM files are refused: a signature
    /// added inside a transport encoding would be invisible to whoever decodes it.
    pub fn parse(data: &'a [u8]) -> Result<Existing<'a>, SignError> {
        let (outer, _trailing) = Tlv::parse_prefix(data).map_err(malformed)?;
        let info = ContentInfo::parse(outer).map_err(malformed)?;
        if info.content_type != oids::ID_SIGNED_DATA {
            return Err(SignError::NotAnEnvelope(format!(
                "the content type is {}, not signed data",
                info.content_type
            )));
        }
        let signed_data = SignedData::parse(&info.content).map_err(malformed)?;
        if !signed_data.signer_info_errors.is_empty() {
            return Err(SignError::NotAnEnvelope(format!(
                "a signature in the envelope cannot be read: {}",
                signed_data.signer_info_errors.join("; ")
            )));
        }
        let mut fields = info.content.children().map_err(malformed)?;
        let version = fields.next().map_err(malformed)?;
        let digest_algorithms = fields
            .expect_universal(tags::SET, "digestAlgorithms")
            .and_then(|s| s.child_list())
            .map_err(malformed)?;
        let encap = fields
            .expect_universal(tags::SEQUENCE, "encapContentInfo")
            .map_err(malformed)?;
        let certificates = match fields.optional_context(0).map_err(malformed)? {
            Some(set) => set.child_list().map_err(malformed)?,
            None => Vec::new(),
        };
        let crls = fields.optional_context(1).map_err(malformed)?;
        let signer_infos = fields
            .expect_universal(tags::SET, "signerInfos")
            .and_then(|s| s.child_list())
            .map_err(malformed)?;
        Ok(Existing {
            version,
            digest_algorithms,
            encap,
            certificates,
            crls,
            signer_infos,
            signed_data,
        })
    }

    pub fn content_type(&self) -> &ObjectIdentifier {
        &self.signed_data.econtent_type
    }

    /// The SignerInfo called `L0.S<n>` by the verifier (1-based, in file order).
    pub fn signer(&self, id: &str) -> Result<(usize, &SignerInfo<'a>), SignError> {
        let unknown = || SignError::UnknownSignature(id.to_string());
        let rest = id.strip_prefix('L').ok_or_else(unknown)?;
        let (level, signer) = rest.split_once(".S").ok_or_else(unknown)?;
        let level: usize = level.parse().map_err(|_| unknown())?;
        let n: usize = signer.parse().map_err(|_| unknown())?;
        if level != 0 {
            // Inner envelopes are content signed by the outer signers: changing them would
            // break every outer signature.
            return Err(SignError::NotOutermost(id.to_string()));
        }
        let index = n.checked_sub(1).ok_or_else(unknown)?;
        let si = self
            .signed_data
            .signer_infos
            .get(index)
            .ok_or_else(unknown)?;
        Ok((index, si))
    }

    /// The envelope again, with `signer_infos` in place of the old list and `cert_der` among
    /// the certificates (once).
    fn rebuild(&self, signer_infos: &[Vec<u8>], cert_der: &[u8]) -> Vec<u8> {
        let sha256 = digest_algorithm_identifier();
        let mut algorithms: Vec<Vec<u8>> = self
            .digest_algorithms
            .iter()
            .map(|t| t.raw.to_vec())
            .collect();
        let has_sha256 = self
            .signed_data
            .digest_algorithms
            .iter()
            .any(|a| a.oid == super::signer_info::DIGEST.oid());
        if !has_sha256 {
            algorithms.push(sha256);
        }
        let mut certificates: Vec<&[u8]> = self.certificates.iter().map(|t| t.raw).collect();
        if !certificates.contains(&cert_der) {
            certificates.push(cert_der);
        }
        let mut parts: Vec<Vec<u8>> = vec![
            self.version.raw.to_vec(),
            der_out::tlv(SET, &algorithms.concat()),
            self.encap.raw.to_vec(),
            der_out::tlv(CONTEXT_0, &certificates.concat()),
        ];
        if let Some(crls) = &self.crls {
            parts.push(crls.raw.to_vec());
        }
        parts.push(der_out::tlv(SET, &signer_infos.concat()));
        let refs: Vec<&[u8]> = parts.iter().map(Vec::as_slice).collect();
        content_info(&der_out::sequence(&refs))
    }

    /// Adds a parallel signer after the existing ones (so their identifiers do not change).
    pub fn with_parallel_signer(&self, signer_info: &[u8], cert_der: &[u8]) -> Vec<u8> {
        let mut infos: Vec<Vec<u8>> = self.signer_infos.iter().map(|t| t.raw.to_vec()).collect();
        infos.push(signer_info.to_vec());
        self.rebuild(&infos, cert_der)
    }

    /// Adds `countersignature` (a SignerInfo) as a countersignature attribute of the signer at
    /// `index`, after its existing unsigned attributes.
    pub fn with_countersignature(
        &self,
        index: usize,
        countersignature: &[u8],
        cert_der: &[u8],
    ) -> Result<Vec<u8>, SignError> {
        let parent = self
            .signer_infos
            .get(index)
            .ok_or_else(|| SignError::UnknownSignature(format!("L0.S{}", index + 1)))?;
        let attribute = der_out::sequence(&[
            &der_out::oid(&oids::ATTR_COUNTER_SIGNATURE),
            &der_out::tlv(SET, countersignature),
        ]);
        let mut kept: Vec<&[u8]> = Vec::new();
        let mut unsigned: Vec<&[u8]> = Vec::new();
        for field in parent.child_list().map_err(malformed)? {
            if field.tag.is_context(1) {
                unsigned.extend(field.child_list().map_err(malformed)?.iter().map(|a| a.raw));
            } else {
                kept.push(field.raw);
            }
        }
        unsigned.push(&attribute);
        let unsigned_element = der_out::tlv(CONTEXT_1, &unsigned.concat());
        kept.push(&unsigned_element);
        let rebuilt_parent = der_out::sequence(&kept);
        let infos: Vec<Vec<u8>> = self
            .signer_infos
            .iter()
            .enumerate()
            .map(|(i, t)| {
                if i == index {
                    rebuilt_parent.clone()
                } else {
                    t.raw.to_vec()
                }
            })
            .collect();
        Ok(self.rebuild(&infos, cert_der))
    }
}
