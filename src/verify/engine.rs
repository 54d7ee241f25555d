//! The judgement of one file: every level, every signature, every countersignature.
//! A pure function of (bytes, validation time); the clock is a parameter.

use std::collections::HashMap;

use der::Encode;
use time::OffsetDateTime;

use crate::envelope::{self, Content, EnvelopeError, Level, SignerInfo};
use crate::identity::signer_identity;
use crate::trust::TrustStore;

use super::algorithms::{DigestAlgorithm, SignatureScheme};
use super::asn1_time::rfc3339;
use super::attributes::{self, CertReference, Signed};
use super::chain::{self, ChainStatus};
use super::crypto_policy;
use super::digest::{digest, Hasher};
use super::keys::public_key_kind;
use super::media::{document_name, sniff_media_type};
use super::qualified;
use super::report::{
    Check, CheckStatus, Checks, ContentReport, Indication, LevelReport, Report, SignatureReport,
    SubIndication, SCHEMA,
};
use super::revocation::RevocationSource;
use super::signature_check::{over_content_digest, over_signed_attributes, SignatureOutcome};
use super::signer_cert::{describe_sid, find_signer_cert, parse_certificates, EnvelopeCert};
use super::tst;

/// How to judge.
#[derive(Clone, Copy)]
pub struct VerifyOptions<'t> {
    pub validation_time: OffsetDateTime,
    /// True when the officer asserted the time ("verifica alla data").
    pub asserted: bool,
    /// Anchors to chain to; `None` leaves the chain unchecked.
    pub trust: Option<&'t TrustStore>,
    /// Where revocation answers come from; `None` leaves revocation unchecked (TRY_LATER).
    pub revocation: Option<&'t dyn RevocationSource>,
}

impl std::fmt::Debug for VerifyOptions<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("VerifyOptions")
            .field("validation_time", &self.validation_time)
            .field("asserted", &self.asserted)
            .field("trust", &self.trust.is_some())
            .field("revocation", &self.revocation.is_some())
            .finish()
    }
}

impl VerifyOptions<'_> {
    pub fn now() -> Self {
        let now = OffsetDateTime::now_utc();
        VerifyOptions {
            // Whole seconds: reports are compared and archived, sub-second noise helps no one.
            validation_time: now.replace_nanosecond(0).unwrap_or(now),
            asserted: false,
            trust: None,
            revocation: None,
        }
    }
}

/// What a signature signs: the level's content, or its parent's signature value.
#[derive(Clone, Copy)]
enum Target<'t> {
    Content {
        econtent_type: &'t const_oid::ObjectIdentifier,
    },
    ParentSignature(&'t [u8]),
}

/// Digests of a level's content, computed once per algorithm.
struct ContentDigests<'a> {
    content: Option<Content<'a>>,
    cache: HashMap<DigestAlgorithm, Result<Vec<u8>, String>>,
}

impl<'a> ContentDigests<'a> {
    /// Computes the digests of every algorithm in `algs` not yet cached in one read of the
    /// content: each chunk is fed to all the hashers while it is in the cache.
    fn prefill(&mut self, algs: &[DigestAlgorithm]) {
        let Some(content) = self.content else {
            return;
        };
        let mut wanted: Vec<DigestAlgorithm> = Vec::new();
        for alg in algs {
            if !self.cache.contains_key(alg) && !wanted.contains(alg) {
                wanted.push(*alg);
            }
        }
        if wanted.is_empty() {
            return;
        }
        let mut hashers: Vec<Hasher> = wanted.iter().map(|alg| Hasher::new(*alg)).collect();
        let walked = content.for_each_chunk(|chunk| {
            for hasher in &mut hashers {
                hasher.update(chunk);
            }
        });
        for (alg, hasher) in wanted.into_iter().zip(hashers) {
            let result = match &walked {
                Ok(()) => Ok(hasher.finalize()),
                Err(e) => Err(e.to_string()),
            };
            self.cache.insert(alg, result);
        }
    }

    fn get(&mut self, alg: DigestAlgorithm) -> Option<Result<Vec<u8>, String>> {
        let content = self.content?;
        Some(
            self.cache
                .entry(alg)
                .or_insert_with(|| {
                    let mut hasher = Hasher::new(alg);
                    content
                        .for_each_chunk(|chunk| hasher.update(chunk))
                        .map(|()| hasher.finalize())
                        .map_err(|e| e.to_string())
                })
                .clone(),
        )
    }
}

fn unchecked_checks() -> Checks {
    let later = |what: &str| Check::not_checked(format!("{what} not checked"));
    Checks {
        format: Check::passed("the signature structure is readable"),
        digest: later("content digest"),
        signature: later("signature value"),
        signed_attributes: later("signed attributes"),
        chain: Check::not_checked("the certificate chain was not checked against a trust store"),
        validity: later("certificate validity"),
        revocation: Check::not_checked("revocation was not checked"),
        timestamp: Check::not_checked("time-stamps were not checked"),
        crypto_policy: later("cryptographic policy"),
        qualified: Check::not_checked("qualified status was not checked"),
    }
}

struct Judge<'r, 'a> {
    opts: &'r VerifyOptions<'r>,
    certs: &'r [EnvelopeCert<'a>],
    /// The same certificates, owned, as path building wants them.
    pool: Vec<(x509_cert::Certificate, Vec<u8>)>,
    level: usize,
    out: Vec<SignatureReport>,
}

impl<'a> Judge<'_, 'a> {
    fn signature(
        &mut self,
        si: &SignerInfo<'_>,
        target: Target<'_>,
        digests: &mut ContentDigests<'a>,
        id: String,
        parent: Option<String>,
    ) {
        let mut checks = unchecked_checks();
        let cert = find_signer_cert(&si.sid, self.certs);
        let digest_alg = DigestAlgorithm::from_oid(&si.digest_algorithm.oid);
        let scheme = SignatureScheme::from_algorithm(
            &si.signature_algorithm.oid,
            si.signature_algorithm.params,
        );
        let signer = cert.map(|c| signer_identity(&c.cert, c.der));

        let mut format_errors: Vec<String> = si.countersignature_errors.clone();
        let mut hash_failure = false;
        let mut signed_data_missing = false;
        let mut cert_ref_problem: Option<String> = None;
        let mut constraint_errors: Vec<String> = Vec::new();
        let mut signing_time = None;

        // The signed attributes.
        let findings = si.signed_attrs.as_ref().map(|attrs| {
            let signed = match target {
                Target::Content { econtent_type, .. } => Signed::Content { econtent_type },
                Target::ParentSignature(_) => Signed::Countersignature,
            };
            attributes::examine(attrs, signed, cert)
        });
        if let Some(f) = &findings {
            format_errors.extend(f.format_errors.iter().cloned());
            constraint_errors.extend(f.constraint_errors.iter().cloned());
            signing_time = f.signing_time;
            let mut notes: Vec<String> = f.warnings.clone();
            match &f.cert_reference {
                Some(CertReference::Mismatch(reason)) => cert_ref_problem = Some(reason.clone()),
                Some(CertReference::Matches { version, warning }) => {
                    notes.push(format!(
                        "signing-certificate-v{version} matches the signer certificate"
                    ));
                    notes.extend(warning.clone());
                }
                Some(CertReference::Absent) => notes.push(
                    "no signing-certificate attribute: a plain CMS signature, not CAdES".into(),
                ),
                Some(CertReference::Unchecked) | None => {}
            }
            let problems: Vec<String> = f
                .format_errors
                .iter()
                .chain(f.constraint_errors.iter())
                .chain(cert_ref_problem.iter())
                .cloned()
                .collect();
            checks.signed_attributes = if !problems.is_empty() {
                Check::failed(problems.join("; "))
            } else if f.warnings.is_empty() {
                Check::passed(notes.join("; "))
            } else {
                Check::warning(notes.join("; "))
            };
        } else {
            checks.signed_attributes = Check::warning(
                "no signed attributes (old PKCS#7 form): no signing time, no certificate reference",
            );
        }

        // The digest of what was signed, by SignerInfo.digestAlgorithm.
        let signed_digest = |alg: DigestAlgorithm,
                             digests: &mut ContentDigests<'a>|
         -> Option<Result<Vec<u8>, String>> {
            match target {
                Target::Content { .. } => digests.get(alg),
                Target::ParentSignature(value) => Some(Ok(digest(alg, value))),
            }
        };
        match (&digest_alg, &findings) {
            (None, _) => {
                checks.digest = Check::indeterminate(format!(
                    "digest algorithm {} is not supported",
                    si.digest_algorithm.oid
                ))
            }
            (Some(alg), Some(f)) => match (signed_digest(*alg, digests), &f.message_digest) {
                (None, _) => {
                    signed_data_missing = true;
                    checks.digest = Check::indeterminate(
                        "detached signature: the signed document is not in the envelope",
                    );
                }
                (Some(Err(e)), _) => {
                    format_errors.push(e.clone());
                    checks.digest = Check::failed(format!("the content cannot be read: {e}"));
                }
                (Some(Ok(_)), None) => {
                    checks.digest = Check::failed("the message-digest attribute is missing");
                }
                (Some(Ok(actual)), Some(declared)) if actual == *declared => {
                    checks.digest = Check::passed(format!(
                        "{} of the content matches message-digest",
                        alg.name()
                    ));
                }
                (Some(Ok(_)), Some(_)) => {
                    hash_failure = true;
                    checks.digest = Check::failed(format!(
                        "{} of the content differs from message-digest: the document was changed after signing",
                        alg.name()
                    ));
                }
            },
            (Some(_), None) => {
                checks.digest = Check::passed(
                    "no signed attributes: the signature covers the content directly",
                );
            }
        }

        // The signature value.
        let mut sig_failure = false;
        let mut sig_hash = None;
        match (cert, &scheme, digest_alg) {
            (None, _, _) => {
                checks.signature = Check::indeterminate(format!(
                    "the signer certificate ({}) is not in the envelope",
                    describe_sid(&si.sid)
                ))
            }
            (_, Err(e), _) => {
                checks.signature =
                    Check::indeterminate(format!("signature algorithm not supported: {e}"))
            }
            (_, _, None) => {
                checks.signature = Check::indeterminate("digest algorithm not supported")
            }
            (Some(cert), Ok(scheme), Some(digest_alg)) => {
                let hash = scheme.implied_hash().unwrap_or(digest_alg);
                sig_hash = Some(hash);
                let mismatch = (hash != digest_alg).then(|| {
                    format!(
                        "signatureAlgorithm implies {} while digestAlgorithm says {}",
                        hash.name(),
                        digest_alg.name()
                    )
                });
                let spki = cert
                    .cert
                    .tbs_certificate()
                    .subject_public_key_info()
                    .to_der()
                    .unwrap_or_default();
                let outcome = match &findings {
                    Some(_) => si
                        .signed_attrs
                        .as_ref()
                        .map(|attrs| {
                            over_signed_attributes(attrs, &spki, scheme, hash, &si.signature)
                        })
                        .unwrap_or_else(|| {
                            SignatureOutcome::CannotCheck("no signed attributes".into())
                        }),
                    None => match signed_digest(hash, digests) {
                        Some(Ok(d)) => over_content_digest(&d, &spki, scheme, hash, &si.signature),
                        Some(Err(e)) => SignatureOutcome::CannotCheck(e),
                        None => SignatureOutcome::CannotCheck(
                            "detached signature without signed attributes: the document is needed"
                                .into(),
                        ),
                    },
                };
                let with_note = |base: String| match &mismatch {
                    Some(m) => format!("{base} ({m})"),
                    None => base,
                };
                checks.signature = match outcome {
                    SignatureOutcome::Valid => Check::new(
                        if mismatch.is_some() { CheckStatus::Warning } else { CheckStatus::Passed },
                        with_note(format!("{} verifies", scheme.name())),
                    ),
                    SignatureOutcome::ValidOverDer => Check::new(
                        if mismatch.is_some() { CheckStatus::Warning } else { CheckStatus::Passed },
                        with_note(format!(
                            "{} verifies over the DER encoding of the signed attributes (the file carries BER)",
                            scheme.name()
                        )),
                    ),
                    SignatureOutcome::ValidAfterResort => Check::warning(with_note(format!(
                        "{} verifies only after sorting the signed attributes into DER order",
                        scheme.name()
                    ))),
                    SignatureOutcome::Invalid(reason) => {
                        sig_failure = true;
                        let also = match (&mismatch, &findings, si.signed_attrs.as_ref()) {
                            (Some(_), Some(_), Some(attrs)) => {
                                let alt = over_signed_attributes(attrs, &spki, scheme_with_hash(scheme, digest_alg).as_ref().unwrap_or(scheme), digest_alg, &si.signature);
                                matches!(alt, SignatureOutcome::Valid | SignatureOutcome::ValidOverDer | SignatureOutcome::ValidAfterResort)
                                    .then(|| format!("; it would verify with {} from digestAlgorithm, which the declared algorithm does not allow", digest_alg.name()))
                            }
                            _ => None,
                        };
                        Check::failed(with_note(format!("{reason}{}", also.unwrap_or_default())))
                    }
                    SignatureOutcome::CannotCheck(reason) => Check::indeterminate(reason),
                };
            }
        }

        // Certificate validity at the validation time (without proof of an earlier time).
        if let Some(cert) = cert {
            let (not_before, not_after) = crate::identity::validity(&cert.cert);
            let at = self.opts.validation_time;
            checks.validity = if at < not_before {
                Check::failed(format!(
                    "the certificate is valid only from {}",
                    rfc3339(not_before)
                ))
            } else if at > not_after {
                Check::failed(format!(
                    "the certificate expired on {} (no proof that the signature is older)",
                    rfc3339(not_after)
                ))
            } else {
                Check::passed(format!(
                    "the certificate is valid until {}",
                    rfc3339(not_after)
                ))
            };
        } else {
            checks.validity = Check::indeterminate("no signer certificate");
        }

        // The certificate path, when a trust store is given.
        // Anchors are judged at the declared signing time when there is one (and it is not
        // after the validation time): a service withdrawn later still anchors the signature.
        let anchor_time = signing_time
            .filter(|t| *t <= self.opts.validation_time)
            .unwrap_or(self.opts.validation_time);
        let chain_outcome = match (self.opts.trust, cert) {
            (Some(store), Some(c)) => Some(chain::validate(
                &c.cert,
                c.der,
                &self.pool,
                store,
                self.opts.validation_time,
                anchor_time,
            )),
            _ => None,
        };
        if let Some(outcome) = &chain_outcome {
            checks.chain = match outcome.status {
                ChainStatus::Trusted => Check::passed(outcome.message.clone()),
                ChainStatus::Expired | ChainStatus::NotYetValid => {
                    Check::warning(outcome.message.clone())
                }
                ChainStatus::NoChain | ChainStatus::ConstraintsFailure => {
                    Check::failed(outcome.message.clone())
                }
            };
            if outcome.status == ChainStatus::Trusted {
                checks.revocation = Check::indeterminate(
                    "revocation was not checked: no CRL or OCSP data is consulted yet",
                );
            }
            if let (Some(identity), ChainStatus::Trusted | ChainStatus::Expired) =
                (&signer, &outcome.status)
            {
                checks.qualified = qualified::judge(identity, outcome.anchor_service.as_ref()).1;
            } else {
                // Not chaining to a Trusted List service: no legal value as a qualified signature.
                checks.qualified = Check::warning(format!("N/A: {}", outcome.message));
            }
        }

        // Cryptographic policy at the validation time (no proof of existence yet).
        let key = cert.and_then(|c| {
            c.cert
                .tbs_certificate()
                .subject_public_key_info()
                .to_der()
                .ok()
                .and_then(|spki| public_key_kind(&spki).ok())
        });
        let hashes: Vec<DigestAlgorithm> = digest_alg.into_iter().chain(sig_hash).collect();
        let policy = crypto_policy::judge(&hashes, key.as_ref(), self.opts.validation_time);
        let crypto_violation = !policy.acceptable();
        checks.crypto_policy = if crypto_violation {
            // The Italian format rule is a separate finding: keep it beside the violations.
            let all: Vec<String> = policy
                .violations
                .iter()
                .chain(policy.warnings.iter())
                .cloned()
                .collect();
            Check::failed(all.join("; "))
        } else if !policy.warnings.is_empty() {
            Check::warning(policy.warnings.join("; "))
        } else if hashes.is_empty() {
            Check::indeterminate("algorithms not recognised")
        } else {
            Check::passed("algorithms and key size acceptable at the validation time")
        };

        let tokens = si
            .unsigned_attrs
            .iter()
            .filter(|a| a.oid == envelope::oids::ATTR_SIGNATURE_TIME_STAMP)
            .map(|a| a.values.len())
            .sum::<usize>();
        if tokens > 0 {
            checks.timestamp = Check::not_checked(format!(
                "{tokens} signature time-stamp token(s) present, not checked yet"
            ));
        }
        if !format_errors.is_empty() {
            checks.format = Check::failed(format_errors.join("; "));
        }

        // ETSI EN 319 102-1 order: format, identification, cryptographic verification,
        // then chain and acceptance.
        let signer_known = cert.is_some() && cert_ref_problem.is_none();
        let (indication, sub) = if !format_errors.is_empty() {
            (Indication::TotalFailed, Some(SubIndication::FormatFailure))
        } else if hash_failure {
            (Indication::TotalFailed, Some(SubIndication::HashFailure))
        } else if sig_failure {
            (
                Indication::TotalFailed,
                Some(SubIndication::SigCryptoFailure),
            )
        } else if !signer_known {
            (
                Indication::Indeterminate,
                Some(SubIndication::NoSigningCertificateFound),
            )
        } else if signed_data_missing {
            (
                Indication::Indeterminate,
                Some(SubIndication::SignedDataNotFound),
            )
        } else if checks.signature.status == CheckStatus::Indeterminate
            || checks.digest.status == CheckStatus::Indeterminate
        {
            (
                Indication::Indeterminate,
                Some(SubIndication::CryptoConstraintsFailureNoPoe),
            )
        } else {
            match chain_outcome.as_ref().map(|o| &o.status) {
                None | Some(ChainStatus::NoChain) => (
                    Indication::Indeterminate,
                    Some(SubIndication::NoCertificateChainFound),
                ),
                Some(ChainStatus::ConstraintsFailure) => (
                    Indication::Indeterminate,
                    Some(SubIndication::ChainConstraintsFailure),
                ),
                Some(ChainStatus::NotYetValid) => {
                    (Indication::TotalFailed, Some(SubIndication::NotYetValid))
                }
                Some(ChainStatus::Expired) => (
                    Indication::Indeterminate,
                    Some(SubIndication::OutOfBoundsNoPoe),
                ),
                Some(ChainStatus::Trusted) if !constraint_errors.is_empty() => (
                    Indication::Indeterminate,
                    Some(SubIndication::SigConstraintsFailure),
                ),
                Some(ChainStatus::Trusted) if crypto_violation => (
                    Indication::Indeterminate,
                    Some(SubIndication::CryptoConstraintsFailureNoPoe),
                ),
                // Revocation is not consulted yet: the honest answer is "try later".
                Some(ChainStatus::Trusted) => {
                    (Indication::Indeterminate, Some(SubIndication::TryLater))
                }
            }
        };
        if let Some(problem) = &cert_ref_problem {
            checks.signature.message.push_str(&format!("; {problem}"));
        }

        self.out.push(SignatureReport {
            id: id.clone(),
            level: self.level,
            parent,
            signer,
            signing_time: signing_time.map(rfc3339),
            digest_algorithm: digest_alg
                .map(|a| a.name().to_string())
                .unwrap_or_else(|| si.digest_algorithm.oid.to_string()),
            signature_algorithm: scheme
                .as_ref()
                .map(SignatureScheme::name)
                .unwrap_or_else(|_| si.signature_algorithm.oid.to_string()),
            indication,
            sub_indication: sub,
            checks,
        });

        for (n, cs) in si.countersignatures.iter().enumerate() {
            let mut no_content = ContentDigests {
                content: None,
                cache: HashMap::new(),
            };
            self.signature(
                cs,
                Target::ParentSignature(&si.signature),
                &mut no_content,
                format!("{id}.C{}", n + 1),
                Some(id.clone()),
            );
        }
    }
}

/// For the mismatch diagnosis: the same scheme family with another hash.
fn scheme_with_hash(scheme: &SignatureScheme, hash: DigestAlgorithm) -> Option<SignatureScheme> {
    match scheme {
        SignatureScheme::RsaPkcs1v15 { .. } => {
            Some(SignatureScheme::RsaPkcs1v15 { hash: Some(hash) })
        }
        SignatureScheme::Ecdsa { .. } => Some(SignatureScheme::Ecdsa { hash: Some(hash) }),
        SignatureScheme::RsaPss { .. } => None,
    }
}

fn unreadable_signer(level: usize, id: String, reason: &str) -> SignatureReport {
    let mut checks = unchecked_checks();
    checks.format = Check::failed(format!("the SignerInfo cannot be read: {reason}"));
    SignatureReport {
        id,
        level,
        parent: None,
        signer: None,
        signing_time: None,
        digest_algorithm: String::new(),
        signature_algorithm: String::new(),
        indication: Indication::TotalFailed,
        sub_indication: Some(SubIndication::FormatFailure),
        checks,
    }
}

fn judge_level<'a>(
    level: &Level<'a>,
    opts: &VerifyOptions,
    out: &mut Vec<SignatureReport>,
    warnings: &mut Vec<String>,
) -> Option<ContentDigests<'a>> {
    let (certs, unreadable) = parse_certificates(&level.signed_data.certificates);
    if unreadable > 0 {
        warnings.push(format!(
            "level {}: {unreadable} certificate(s) in the envelope cannot be read",
            level.index
        ));
    }
    let mut judge = Judge {
        opts,
        certs: &certs,
        pool: certs
            .iter()
            .map(|c| (c.cert.clone(), c.der.to_vec()))
            .collect(),
        level: level.index,
        out: Vec::new(),
    };
    let mut digests = ContentDigests {
        content: level.content,
        cache: HashMap::new(),
    };
    // One read of the content for the signers' algorithms and the report's SHA-256.
    let wanted: Vec<DigestAlgorithm> = level
        .signed_data
        .signer_infos
        .iter()
        .filter_map(|si| DigestAlgorithm::from_oid(&si.digest_algorithm.oid))
        .chain([DigestAlgorithm::Sha256])
        .collect();
    digests.prefill(&wanted);
    for (n, si) in level.signed_data.signer_infos.iter().enumerate() {
        judge.signature(
            si,
            Target::Content {
                econtent_type: &level.signed_data.econtent_type,
            },
            &mut digests,
            format!("L{}.S{}", level.index, n + 1),
            None,
        );
    }
    let first_bad = level.signed_data.signer_infos.len();
    for (k, reason) in level.signed_data.signer_info_errors.iter().enumerate() {
        judge.out.push(unreadable_signer(
            level.index,
            format!("L{}.S{}", level.index, first_bad + k + 1),
            reason,
        ));
    }
    out.extend(judge.out);
    Some(digests)
}

fn failed_report(
    file: &str,
    file_sha256: Vec<u8>,
    data: &[u8],
    opts: &VerifyOptions<'_>,
    error: &EnvelopeError,
) -> Report {
    Report {
        schema: SCHEMA,
        file: file.to_string(),
        sha256: hex::encode(file_sha256),
        size: data.len() as u64,
        encodings: Vec::new(),
        warnings: Vec::new(),
        validation_time: rfc3339(opts.validation_time),
        validation_time_asserted: opts.asserted,
        indication: Indication::TotalFailed,
        sub_indication: Some(SubIndication::FormatFailure),
        reason: Some(error.to_string()),
        content: None,
        levels: Vec::new(),
        timestamp_tokens: Vec::new(),
        signatures: Vec::new(),
    }
}

/// From this size on, the file's own SHA-256 is computed on a second thread while the
/// envelope is read and its content hashed: the two digests cover different byte ranges, so
/// each needs its own pass, and a large file then costs about one pass of wall time.
const PARALLEL_FILE_HASH: usize = 8 << 20;

/// Judges the bytes of one file. Never panics; an unreadable file is a TOTAL_FAILED report.
pub fn verify_bytes(file: &str, data: &[u8], opts: &VerifyOptions<'_>) -> Report {
    let file_sha256 = || digest(DigestAlgorithm::Sha256, data);
    if data.len() < PARALLEL_FILE_HASH {
        return judge_file(file, data, opts, file_sha256);
    }
    std::thread::scope(|scope| {
        let spawned = std::thread::Builder::new()
            .name("file-sha256".into())
            .spawn_scoped(scope, file_sha256);
        match spawned {
            Ok(handle) => judge_file(file, data, opts, move || {
                handle.join().unwrap_or_else(|_| file_sha256())
            }),
            Err(_) => judge_file(file, data, opts, file_sha256),
        }
    })
}

fn judge_file(
    file: &str,
    data: &[u8],
    opts: &VerifyOptions<'_>,
    file_sha256: impl FnOnce() -> Vec<u8>,
) -> Report {
    let buffers = envelope::Buffers::new();
    let env = match envelope::open(data, &buffers) {
        Ok(env) => env,
        Err(e) => return failed_report(file, file_sha256(), data, opts, &e),
    };
    let mut encodings = env.encodings.clone();
    let mut warnings = env.warnings.clone();
    let mut signatures = Vec::new();
    let mut innermost_digests = None;
    for level in &env.levels {
        encodings.push(format!("L{}:{}", level.index, level.encoding));
        innermost_digests = judge_level(level, opts, &mut signatures, &mut warnings);
    }
    let levels = env
        .levels
        .iter()
        .map(|l| LevelReport {
            level: l.index,
            kind: l.kind.label().to_string(),
            encoding: l.encoding.clone(),
            content_type: l.signed_data.econtent_type.to_string(),
            signer_count: l.signed_data.signer_infos.len() + l.signed_data.signer_info_errors.len(),
            detached: l.content.is_none(),
        })
        .collect();

    let file_name = std::path::Path::new(file)
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| file.to_string());
    let content = env.innermost_content().and_then(|c| {
        let sha = innermost_digests
            .as_mut()
            .and_then(|d| d.get(DigestAlgorithm::Sha256))
            .and_then(Result::ok)?;
        Some(ContentReport {
            sha256: hex::encode(sha),
            size: c.len().ok()?,
            media_type: sniff_media_type(&c.prefix(512).ok()?).to_string(),
            suggested_name: document_name(&file_name),
        })
    });
    let timestamp_tokens = env.outer_tokens.iter().map(tst::describe_outer).collect();

    let mut report = Report {
        schema: SCHEMA,
        file: file.to_string(),
        sha256: hex::encode(file_sha256()),
        size: data.len() as u64,
        encodings,
        warnings,
        validation_time: rfc3339(opts.validation_time),
        validation_time_asserted: opts.asserted,
        indication: Indication::TotalFailed,
        sub_indication: None,
        reason: None,
        content,
        levels,
        timestamp_tokens,
        signatures,
    };
    report.settle_overall();
    report
}
