//! Judging one RFC 3161 time-stamp token against exactly what it covers: the message
//! imprint, the token's CMS signature (the verifier's own signature code), the ESS
//! signing-certificate(-v2) reference, the TSA's path to a time-stamping service granted at
//! genTime, the TSA certificate valid at genTime, and the crypto policy at genTime.
//! A token that passes all of it is proof that the covered bytes existed at genTime.

use der::Encode;
use time::OffsetDateTime;
use x509_cert::ext::pkix::ExtendedKeyUsage;

use crate::envelope::ber::Tlv;
use crate::envelope::oids;
use crate::envelope::signed_data::{ContentInfo, SignedData};
use crate::envelope::tree::Content;
use crate::identity::signer_identity;
use crate::trust::TrustStore;

use super::algorithms::{DigestAlgorithm, SignatureScheme};
use super::asn1_time::rfc3339;
use super::attributes::{self, CertReference, Signed};
use super::chain::{self, ChainStatus};
use super::crypto_policy;
use super::digest::digest;
use super::keys::public_key_kind;
use super::report::{Check, CheckStatus, TokenReport};
use super::signature_check::{over_signed_attributes, SignatureOutcome};
use super::signer_cert::{find_signer_cert, parse_certificates, EnvelopeCert};
use super::tst_info::parse_tst_info;

/// id-kp-timeStamping.
const KP_TIME_STAMPING: const_oid::ObjectIdentifier =
    const_oid::ObjectIdentifier::new_unwrap("1.3.6.1.5.5.7.3.8");

/// Where a token was found; reported as `source`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenSource {
    SignatureTimeStamp,
    Tsd,
    M7m,
    Tsr,
}

impl TokenSource {
    pub fn label(self) -> &'static str {
        match self {
            TokenSource::SignatureTimeStamp => "signature-time-stamp",
            TokenSource::Tsd => "tsd",
            TokenSource::M7m => "m7m",
            TokenSource::Tsr => "tsr",
        }
    }

    pub fn from_outer(label: &str) -> TokenSource {
        match label {
            "tsd" => TokenSource::Tsd,
            "m7m" => TokenSource::M7m,
            _ => TokenSource::Tsr,
        }
    }

    /// What the imprint must be over, for messages.
    fn covers(self) -> &'static str {
        match self {
            TokenSource::SignatureTimeStamp => "the signature value",
            TokenSource::Tsd => "the content of the .tsd as stored",
            TokenSource::M7m => "the signed part of the .m7m as transmitted",
            TokenSource::Tsr => "the file beside it",
        }
    }
}

/// The judgement of one token.
#[derive(Debug, Clone)]
pub struct TokenFinding {
    pub report: TokenReport,
    /// genTime, when the token is valid proof of existence.
    pub proves: Option<OffsetDateTime>,
}

/// Anchors for time-stamps, built only when a token is met.
pub struct TsaTrust<'t> {
    store: Option<&'t TrustStore>,
    anchors: std::cell::OnceCell<TrustStore>,
}

impl<'t> TsaTrust<'t> {
    pub fn new(store: Option<&'t TrustStore>) -> Self {
        TsaTrust {
            store,
            anchors: std::cell::OnceCell::new(),
        }
    }

    fn anchors(&self) -> Option<&TrustStore> {
        let store = self.store?;
        Some(self.anchors.get_or_init(|| store.for_timestamps()))
    }
}

/// Findings gathered while checking, in the order of their weight.
#[derive(Default)]
struct Problems {
    /// Cryptographic failures: the token is wrong (imprint, digest, signature).
    failed: Vec<String>,
    /// The token may be right but cannot be relied on (trust, ESS, policy).
    indeterminate: Vec<String>,
}

/// A token that cannot even be read.
pub fn unreadable_token(source: TokenSource, reason: String) -> TokenFinding {
    TokenFinding {
        report: TokenReport {
            source: source.label().to_string(),
            gen_time: None,
            imprint_algorithm: None,
            tsa: None,
            qualified: false,
            check: Check::failed(format!("the time-stamp token cannot be read: {reason}")),
        },
        proves: None,
    }
}

/// Judges `token` (a ContentInfo element); `covered` lists the byte strings its imprint may
/// be over (one, except for `.m7m` bodies whose final line break is ambiguous).
pub fn check_token(
    token: &Tlv<'_>,
    source: TokenSource,
    covered: &[&[u8]],
    trust: &TsaTrust<'_>,
) -> TokenFinding {
    let info = match ContentInfo::parse(*token) {
        Ok(info) if info.content_type == oids::ID_SIGNED_DATA => info,
        Ok(info) => {
            return unreadable_token(
                source,
                format!("content type {} is not signed data", info.content_type),
            )
        }
        Err(e) => return unreadable_token(source, e.to_string()),
    };
    let signed = match SignedData::parse(&info.content) {
        Ok(s) => s,
        Err(e) => return unreadable_token(source, e.to_string()),
    };
    if signed.econtent_type != oids::ID_CT_TST_INFO {
        return unreadable_token(
            source,
            format!("it signs {}, not a TSTInfo", signed.econtent_type),
        );
    }
    let Some(element) = signed.econtent else {
        return unreadable_token(source, "the TSTInfo is missing".into());
    };
    let tst_bytes = match (Content { element }).contiguous() {
        Ok(b) => b,
        Err(e) => return unreadable_token(source, e.to_string()),
    };
    let info = match parse_tst_info(&tst_bytes) {
        Ok(i) => i,
        Err(e) => return unreadable_token(source, e.to_string()),
    };

    let mut problems = Problems::default();
    let mut report = TokenReport {
        source: source.label().to_string(),
        gen_time: Some(rfc3339(info.gen_time)),
        imprint_algorithm: Some(
            info.imprint_algorithm
                .map(|a| a.name().to_string())
                .unwrap_or_else(|| info.imprint_oid.to_string()),
        ),
        tsa: None,
        qualified: false,
        check: Check::not_checked(""),
    };

    // The imprint, over exactly what the token covers.
    match info.imprint_algorithm {
        None => problems.indeterminate.push(format!(
            "the imprint hash algorithm {} is not supported",
            info.imprint_oid
        )),
        Some(alg) => {
            if !covered.iter().any(|c| digest(alg, c) == info.imprint) {
                problems.failed.push(format!(
                    "the message imprint does not match {}",
                    source.covers()
                ));
            }
        }
    }

    // The token's own signature, by the verifier's signature code.
    let (certs, _) = parse_certificates(&signed.certificates);
    let Some(si) = signed.signer_infos.first() else {
        problems
            .failed
            .push("the token has no readable SignerInfo".into());
        return finish(report, problems, None, info.gen_time);
    };
    let tsa_anchor_certs: Vec<EnvelopeCert<'_>> = trust
        .anchors()
        .map(|s| {
            s.anchors
                .iter()
                .map(|a| EnvelopeCert {
                    der: &a.der,
                    cert: a.cert.clone(),
                })
                .collect()
        })
        .unwrap_or_default();
    let cert =
        find_signer_cert(&si.sid, &certs).or_else(|| find_signer_cert(&si.sid, &tsa_anchor_certs));
    if let Some(c) = cert {
        report.tsa = Some(signer_identity(&c.cert, c.der).subject);
    }
    let digest_alg = DigestAlgorithm::from_oid(&si.digest_algorithm.oid);
    let scheme =
        SignatureScheme::from_algorithm(&si.signature_algorithm.oid, si.signature_algorithm.params);
    let mut sig_hash = None;
    match (&si.signed_attrs, cert, digest_alg, &scheme) {
        (None, _, _, _) => problems
            .failed
            .push("the token has no signed attributes (RFC 3161 requires them)".into()),
        (_, None, _, _) => problems
            .indeterminate
            .push("the TSA certificate is neither in the token nor among the anchors".into()),
        (_, _, None, _) => problems.indeterminate.push(format!(
            "the token's digest algorithm {} is not supported",
            si.digest_algorithm.oid
        )),
        (_, _, _, Err(e)) => problems.indeterminate.push(format!(
            "the token's signature algorithm is not supported: {e}"
        )),
        (Some(attrs), Some(cert), Some(digest_alg), Ok(scheme)) => {
            let findings = attributes::examine(
                attrs,
                Signed::Content {
                    econtent_type: &oids::ID_CT_TST_INFO,
                },
                Some(cert),
            );
            problems
                .failed
                .extend(findings.format_errors.iter().cloned());
            problems
                .indeterminate
                .extend(findings.constraint_errors.iter().cloned());
            match &findings.message_digest {
                Some(declared) if *declared == digest(digest_alg, &tst_bytes) => {}
                Some(_) => problems
                    .failed
                    .push("the token's message-digest does not match its TSTInfo".into()),
                None => {}
            }
            match &findings.cert_reference {
                Some(CertReference::Matches { .. }) => {}
                Some(CertReference::Mismatch(reason)) => {
                    problems.indeterminate.push(format!("ESS: {reason}"))
                }
                _ => problems.indeterminate.push(
                    "the token has no ESS signing-certificate(-v2) naming the TSA certificate"
                        .into(),
                ),
            }
            let hash = scheme.implied_hash().unwrap_or(digest_alg);
            sig_hash = Some(hash);
            let spki = cert
                .cert
                .tbs_certificate()
                .subject_public_key_info()
                .to_der()
                .unwrap_or_default();
            match over_signed_attributes(attrs, &spki, scheme, hash, &si.signature) {
                SignatureOutcome::Valid
                | SignatureOutcome::ValidOverDer
                | SignatureOutcome::ValidAfterResort => {}
                SignatureOutcome::Invalid(reason) => problems
                    .failed
                    .push(format!("the token's signature does not verify: {reason}")),
                SignatureOutcome::CannotCheck(reason) => problems
                    .indeterminate
                    .push(format!("the token's signature cannot be checked: {reason}")),
            }
        }
    }

    // Who may time-stamp: a path to a time-stamping service granted at genTime, with the
    // TSA certificate valid at genTime.
    let mut trusted = false;
    if let Some(cert) = cert {
        if !has_time_stamping_usage(&cert.cert) {
            problems.indeterminate.push(
                "the TSA certificate is not for time-stamping (no id-kp-timeStamping)".into(),
            );
        }
        match trust.anchors() {
            None => {}
            Some(store) => {
                let pool: Vec<(x509_cert::Certificate, Vec<u8>)> = certs
                    .iter()
                    .map(|c| (c.cert.clone(), c.der.to_vec()))
                    .collect();
                let outcome = chain::validate(
                    &cert.cert,
                    cert.der,
                    &pool,
                    store,
                    info.gen_time,
                    info.gen_time,
                );
                match outcome.status {
                    ChainStatus::Trusted => {
                        trusted = true;
                        report.qualified = outcome.anchor_service.is_some();
                    }
                    ChainStatus::Expired | ChainStatus::NotYetValid => problems.failed.push(
                        format!("the TSA certificate was not valid at genTime: {}", outcome.message),
                    ),
                    ChainStatus::NoChain => problems.indeterminate.push(format!(
                        "the TSA is not on the trusted list (no time-stamping service granted at genTime): {}",
                        outcome.message
                    )),
                    ChainStatus::ConstraintsFailure => problems
                        .indeterminate
                        .push(format!("the TSA path is not acceptable: {}", outcome.message)),
                }
            }
        }
        // The crypto policy at genTime.
        let key = cert
            .cert
            .tbs_certificate()
            .subject_public_key_info()
            .to_der()
            .ok()
            .and_then(|spki| public_key_kind(&spki).ok());
        let hashes: Vec<DigestAlgorithm> = info
            .imprint_algorithm
            .into_iter()
            .chain(digest_alg)
            .chain(sig_hash)
            .collect();
        let policy = crypto_policy::judge(&hashes, key.as_ref(), info.gen_time);
        problems.indeterminate.extend(
            policy
                .violations
                .iter()
                .map(|v| format!("crypto policy at genTime: {v}")),
        );
    }
    let store_given = trust.anchors().is_some();
    finish(
        report,
        problems,
        Some((trusted, store_given)),
        info.gen_time,
    )
}

fn has_time_stamping_usage(cert: &x509_cert::Certificate) -> bool {
    match cert.tbs_certificate().get_extension::<ExtendedKeyUsage>() {
        Ok(Some((_, eku))) => eku.0.contains(&KP_TIME_STAMPING),
        _ => false,
    }
}

fn finish(
    mut report: TokenReport,
    mut problems: Problems,
    trust: Option<(bool, bool)>,
    gen_time: OffsetDateTime,
) -> TokenFinding {
    dedup(&mut problems.failed);
    dedup(&mut problems.indeterminate);
    let proves = problems.failed.is_empty()
        && problems.indeterminate.is_empty()
        && trust.is_some_and(|(trusted, _)| trusted);
    report.check = if !problems.failed.is_empty() {
        let all: Vec<String> = problems
            .failed
            .iter()
            .chain(problems.indeterminate.iter())
            .cloned()
            .collect();
        Check::failed(all.join("; "))
    } else if !problems.indeterminate.is_empty() {
        Check::indeterminate(problems.indeterminate.join("; "))
    } else if trust.is_some_and(|(_, store_given)| !store_given) {
        Check::new(
            CheckStatus::NotChecked,
            "the token is intact but its TSA was not checked against a trust store",
        )
    } else {
        Check::passed(format!(
            "valid time-stamp of {} by {}{}",
            rfc3339(gen_time),
            report.tsa.clone().unwrap_or_default(),
            if report.qualified {
                " (a time-stamping service of the trusted list)"
            } else {
                " (a TSA the office trusts, not on the trusted list)"
            }
        ))
    };
    TokenFinding {
        report,
        proves: proves.then_some(gen_time),
    }
}

fn dedup(list: &mut Vec<String>) {
    let mut seen = std::collections::HashSet::new();
    list.retain(|m| seen.insert(m.clone()));
}
