//! The judgement of one file: every level, every signature, every countersignature.
//! A pure function of (bytes, validation time); the clock is a parameter.

use std::collections::HashMap;

use der::Encode;
use time::OffsetDateTime;

use crate::envelope::{self, Content, EnvelopeError, Level, SignerInfo};
use crate::identity::signer_identity;
use crate::trust::TrustStore;

use super::acceptance::{self, earliest, Poe};
use super::algorithms::{DigestAlgorithm, SignatureScheme};
use super::asn1_time::rfc3339;
use super::attributes::{self, CertReference, Signed};
use super::chain::{self, ChainStatus};
use super::check_message::CheckMessage as M;
use super::crypto_policy;
use super::digest::{digest, Hasher};
use super::embedded_revocation::EmbeddedData;
use super::keys::public_key_kind;
use super::media::{document_name, sniff_media_type};
use super::qualified;
use super::report::TokenReport;
use super::report::{
    Check, CheckStatus, Checks, ContentReport, Indication, LevelReport, Report, SignatureReport,
    SubIndication, SCHEMA,
};
use super::revocation::RevocationSource;
use super::revocation_check::{check_path, PathRevocation};
use super::signature_check::{over_content_digest, over_signed_attributes, SignatureOutcome};
use super::signer_cert::{describe_sid, find_signer_cert, parse_certificates, EnvelopeCert};
use super::time_checks::{path_valid_at, revocation_check, timestamp_check};
use super::tst::{check_token, unreadable_token, TokenFinding, TokenSource, TsaTrust};

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
    let later =
        |what: &str| Check::not_checked(format!("{what} not checked")).saying(M::NotChecked);
    Checks {
        format: Check::passed("the signature structure is readable").saying(M::StructureReadable),
        digest: later("content digest"),
        signature: later("signature value"),
        signed_attributes: later("signed attributes"),
        chain: Check::not_checked("the certificate chain was not checked against a trust store")
            .saying(M::NotChecked),
        validity: later("certificate validity"),
        revocation: Check::not_checked("revocation was not checked").saying(M::NotChecked),
        timestamp: Check::not_checked("time-stamps were not checked").saying(M::NotChecked),
        crypto_policy: later("cryptographic policy"),
        qualified: Check::not_checked("qualified status was not checked").saying(M::NotChecked),
    }
}

struct Judge<'r, 'a> {
    opts: &'r VerifyOptions<'r>,
    certs: &'r [EnvelopeCert<'a>],
    /// The same certificates, owned, as path building wants them.
    pool: Vec<(x509_cert::Certificate, Vec<u8>)>,
    /// The level's own CRLs and OCSP responses.
    embedded: EmbeddedData<'a>,
    level: usize,
    out: Vec<SignatureReport>,
    tsa: &'r TsaTrust<'r>,
    /// Proof covering every signature of the level (outer tokens, outer levels).
    inherited_poe: Option<Poe>,
    /// The tokens around the file (`.tsd`, `.m7m`, `.tsr`), judged once.
    outer_tokens: &'r [TokenReport],
    /// Signature time-stamps judged so far, by the token's address in the input.
    token_cache: HashMap<(usize, usize), TokenFinding>,
    /// The earliest proof of an intact signature of this level: it proves the content.
    level_poe: Option<Poe>,
}

impl<'a> Judge<'_, 'a> {
    /// The signature-time-stamp tokens on `si`, each over its signature value.
    fn tokens_of(&mut self, si: &SignerInfo<'a>) -> Vec<TokenFinding> {
        let mut found = Vec::new();
        for token in si
            .unsigned_attrs
            .iter()
            .filter(|a| a.oid == envelope::oids::ATTR_SIGNATURE_TIME_STAMP)
            .flat_map(|a| a.values.iter())
        {
            let key = (token.raw.as_ptr() as usize, token.raw.len());
            let tsa = self.tsa;
            let finding = self
                .token_cache
                .entry(key)
                .or_insert_with(|| {
                    check_token(
                        token,
                        TokenSource::SignatureTimeStamp,
                        &[si.signature.as_ref()],
                        tsa,
                    )
                })
                .clone();
            found.push(finding);
        }
        found
    }

    /// The earliest time a countersignature of `si` (or one below it) is proven to exist,
    /// when that countersignature's message-digest is over `si`'s signature value: knowing
    /// that hash at a time proves the value existed then.
    fn countersignature_poe(&mut self, si: &SignerInfo<'a>, id: &str) -> Option<Poe> {
        let mut proofs = Vec::new();
        for (n, cs) in si.countersignatures.iter().enumerate() {
            if !countersigns(cs, &si.signature) {
                continue;
            }
            let cs_id = format!("{id}.C{}", n + 1);
            let own = self
                .tokens_of(cs)
                .iter()
                .filter_map(|f| f.proves)
                .min()
                .map(|time| Poe {
                    time,
                    by: format!("a time-stamp on countersignature {cs_id}"),
                });
            proofs.push(own);
            proofs.push(self.countersignature_poe(cs, &cs_id));
        }
        earliest(proofs)
    }

    fn signature(
        &mut self,
        si: &SignerInfo<'a>,
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
                    )
                    .saying(M::DetachedContent);
                }
                (Some(Err(e)), _) => {
                    format_errors.push(e.clone());
                    checks.digest = Check::failed(format!("the content cannot be read: {e}"));
                }
                (Some(Ok(_)), None) => {
                    checks.digest = Check::failed("the message-digest attribute is missing")
                        .saying(M::DigestAttributeMissing);
                }
                (Some(Ok(actual)), Some(declared)) if actual == *declared => {
                    checks.digest = Check::passed(format!(
                        "{} of the content matches message-digest",
                        alg.name()
                    ))
                    .saying(M::DigestMatches {
                        algorithm: alg.name().to_string(),
                    });
                }
                (Some(Ok(_)), Some(_)) => {
                    hash_failure = true;
                    checks.digest = Check::failed(format!(
                        "{} of the content differs from message-digest: the document was changed after signing",
                        alg.name()
                    ))
                    .saying(M::DigestDiffers { algorithm: alg.name().to_string() });
                }
            },
            (Some(_), None) => {
                checks.digest = Check::passed(
                    "no signed attributes: the signature covers the content directly",
                )
                .saying(M::DigestCoveredDirectly);
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
                    )
                    .saying(M::SignatureVerifies { scheme: scheme.name().to_string() }),
                    SignatureOutcome::ValidOverDer => Check::new(
                        if mismatch.is_some() { CheckStatus::Warning } else { CheckStatus::Passed },
                        with_note(format!(
                            "{} verifies over the DER encoding of the signed attributes (the file carries BER)",
                            scheme.name()
                        )),
                    )
                    .saying(M::SignatureVerifiesOverDer { scheme: scheme.name().to_string() }),
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
                            .saying(M::SignatureInvalid)
                    }
                    SignatureOutcome::CannotCheck(reason) => Check::indeterminate(reason),
                };
            }
        }

        // Proof of existence: this signature's own time-stamps, those of its countersignatures
        // (each proves the value it countersigns), and what covers the whole level.
        let own_tokens = self.tokens_of(si);
        let own_poe = own_tokens
            .iter()
            .filter_map(|f| f.proves)
            .min()
            .map(|time| Poe {
                time,
                by: format!("a time-stamp on signature {id}"),
            });
        let counter_poe = self.countersignature_poe(si, &id);
        let poe = earliest([self.inherited_poe.clone(), own_poe, counter_poe]);
        let judged_at = poe.as_ref().map_or(self.opts.validation_time, |p| p.time);
        let mut timestamps: Vec<TokenReport> =
            own_tokens.iter().map(|f| f.report.clone()).collect();
        timestamps.extend(self.outer_tokens.iter().cloned());
        checks.timestamp = timestamp_check(poe.as_ref(), &timestamps);

        // Certificate validity at the validation time, or at the proven time when it expired.
        let signer_validity = cert.map(|c| crate::identity::validity(&c.cert));
        if let Some((not_before, not_after)) = signer_validity {
            let at = self.opts.validation_time;
            checks.validity = if at < not_before {
                Check::failed(format!(
                    "the certificate is valid only from {}",
                    rfc3339(not_before)
                ))
                .saying(M::CertificateNotYetValid {
                    not_before: rfc3339(not_before),
                })
            } else if at > not_after {
                match &poe {
                    Some(p) if p.time <= not_after && p.time >= not_before => {
                        Check::passed(format!(
                            "the certificate expired on {}, after the signature was proven to exist ({}, {})",
                            rfc3339(not_after),
                            rfc3339(p.time),
                            p.by
                        ))
                    }
                    _ => Check::failed(format!(
                        "the certificate expired on {} (no proof that the signature is older)",
                        rfc3339(not_after)
                    ))
                    .saying(M::CertificateExpired {
                        not_after: rfc3339(not_after),
                    }),
                }
            } else {
                Check::passed(format!(
                    "the certificate is valid until {}",
                    rfc3339(not_after)
                ))
                .saying(M::CertificateValidUntil {
                    not_after: rfc3339(not_after),
                })
            };
        } else {
            checks.validity =
                Check::indeterminate("no signer certificate").saying(M::NoSignerCertificate);
        }

        // The certificate path, when a trust store is given.
        // Anchors are judged at the declared signing time when there is one (and it is not
        // after the proven or validation time): a service withdrawn later still anchors it.
        let anchor_time = signing_time
            .filter(|t| *t <= judged_at)
            .unwrap_or(judged_at);
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
                ChainStatus::Trusted => {
                    Check::passed(outcome.message.clone()).saying(M::ChainTrusted)
                }
                ChainStatus::Expired | ChainStatus::NotYetValid => {
                    Check::warning(outcome.message.clone())
                }
                ChainStatus::NoChain => {
                    Check::failed(outcome.message.clone()).saying(M::ChainNotFound)
                }
                ChainStatus::ConstraintsFailure => Check::failed(outcome.message.clone()),
            };
            if let (Some(identity), ChainStatus::Trusted | ChainStatus::Expired) =
                (&signer, &outcome.status)
            {
                checks.qualified = qualified::judge(identity, outcome.anchor_service.as_ref()).1;
            } else {
                // Not chaining to a Trusted List service: no legal value as a qualified signature.
                checks.qualified = Check::warning(format!("N/A: {}", outcome.message));
            }
        }
        let path_found = chain_outcome
            .as_ref()
            .is_some_and(|o| matches!(o.status, ChainStatus::Trusted | ChainStatus::Expired));
        let path_valid_at_poe = match (&poe, &chain_outcome) {
            (Some(p), Some(o)) => path_valid_at(&o.certificates, p.time),
            _ => false,
        };

        // Revocation of every certificate of the path but the anchor.
        let revocation: Option<PathRevocation> = match (&chain_outcome, self.opts.revocation) {
            (Some(outcome), Some(source)) if path_found => {
                let embedded = self.embedded.with_signature(&si.unsigned_attrs);
                Some(check_path(
                    source,
                    &outcome.certificates,
                    &embedded,
                    self.opts.validation_time,
                ))
            }
            _ => None,
        };
        match &revocation {
            Some(found) => {
                checks.revocation = revocation_check(found, poe.as_ref(), self.opts.validation_time)
            }
            None if path_found => {
                checks.revocation = Check::indeterminate(
                    "revocation was not checked: no revocation data source was given",
                );
            }
            None => {}
        }

        // Cryptographic policy at the best signature time.
        let key = cert.and_then(|c| {
            c.cert
                .tbs_certificate()
                .subject_public_key_info()
                .to_der()
                .ok()
                .and_then(|spki| public_key_kind(&spki).ok())
        });
        let hashes: Vec<DigestAlgorithm> = digest_alg.into_iter().chain(sig_hash).collect();
        let policy = crypto_policy::judge(&hashes, key.as_ref(), judged_at);
        let crypto_violation = !policy.acceptable();
        let when = if poe.is_some() {
            "the proven signing time"
        } else {
            "the validation time"
        };
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
            Check::passed(format!("algorithms and key size acceptable at {when}"))
        };
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
            acceptance::decide(&acceptance::Facts {
                chain: chain_outcome.as_ref().map(|o| o.status),
                constraint_errors: !constraint_errors.is_empty(),
                crypto_violation,
                revocation: revocation.as_ref().map(PathRevocation::state),
                revoked_at: revocation.as_ref().and_then(|r| r.revoked_at),
                poe: poe.as_ref().map(|p| p.time),
                validation_time: self.opts.validation_time,
                path_valid_at_poe,
                signer_not_before: signer_validity.map(|(from, _)| from),
            })
        };
        if let Some(problem) = &cert_ref_problem {
            checks.signature.message.push_str(&format!("; {problem}"));
        }

        let intact = [&checks.digest, &checks.signature]
            .iter()
            .all(|c| matches!(c.status, CheckStatus::Passed | CheckStatus::Warning));
        if parent.is_none() && intact {
            self.level_poe = earliest([self.level_poe.take(), poe.clone()]);
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
            best_signature_time: poe.as_ref().map(|p| rfc3339(p.time)),
            timestamps,
            revocation: revocation.map(|r| r.report),
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
        best_signature_time: None,
        timestamps: Vec::new(),
        revocation: None,
    }
}

/// What a level inherits about time.
struct LevelTime<'r> {
    tsa: &'r TsaTrust<'r>,
    inherited: Option<Poe>,
    outer_tokens: &'r [TokenReport],
}

/// Does countersignature `cs` carry a message-digest over `parent_signature`?
fn countersigns(cs: &SignerInfo<'_>, parent_signature: &[u8]) -> bool {
    let Some(alg) = DigestAlgorithm::from_oid(&cs.digest_algorithm.oid) else {
        return false;
    };
    let Some(attrs) = &cs.signed_attrs else {
        return false;
    };
    let expected = digest(alg, parent_signature);
    attrs
        .all(&envelope::oids::ATTR_MESSAGE_DIGEST)
        .flat_map(|a| a.values.first())
        .any(|v| {
            v.string_bytes()
                .is_ok_and(|b| b.as_ref() == expected.as_slice())
        })
}

fn judge_level<'a>(
    level: &Level<'a>,
    opts: &VerifyOptions,
    time: &LevelTime<'_>,
    out: &mut Vec<SignatureReport>,
    warnings: &mut Vec<String>,
) -> (Option<ContentDigests<'a>>, Option<Poe>) {
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
        embedded: EmbeddedData::from_level(&level.signed_data.crls),
        level: level.index,
        out: Vec::new(),
        tsa: time.tsa,
        inherited_poe: time.inherited.clone(),
        outer_tokens: time.outer_tokens,
        token_cache: HashMap::new(),
        level_poe: None,
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
    (Some(digests), judge.level_poe)
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
    verify_with_tokens(file, data, &[], opts)
}

/// Judges the bytes of one file with detached time-stamp responses or tokens over the whole
/// file (`FILE.tsr` beside it, `verify --timestamp`). Never panics.
pub fn verify_with_tokens(
    file: &str,
    data: &[u8],
    detached: &[&[u8]],
    opts: &VerifyOptions<'_>,
) -> Report {
    let file_sha256 = || digest(DigestAlgorithm::Sha256, data);
    if data.len() < PARALLEL_FILE_HASH {
        return judge_file(file, data, detached, opts, file_sha256);
    }
    std::thread::scope(|scope| {
        let spawned = std::thread::Builder::new()
            .name("file-sha256".into())
            .spawn_scoped(scope, file_sha256);
        match spawned {
            Ok(handle) => judge_file(file, data, detached, opts, move || {
                handle.join().unwrap_or_else(|_| file_sha256())
            }),
            Err(_) => judge_file(file, data, detached, opts, file_sha256),
        }
    })
}

fn judge_file(
    file: &str,
    data: &[u8],
    detached: &[&[u8]],
    opts: &VerifyOptions<'_>,
    file_sha256: impl FnOnce() -> Vec<u8>,
) -> Report {
    let buffers = envelope::Buffers::new();
    let env = match envelope::open(data, &buffers) {
        Ok(env) => env,
        Err(e) => return failed_report(file, file_sha256(), data, opts, &e),
    };
    let tsa = TsaTrust::new(opts.trust);
    let mut outer: Vec<TokenFinding> = env
        .outer_tokens
        .iter()
        .map(|t| check_token(&t.token, TokenSource::from_outer(t.source), &t.covers, &tsa))
        .collect();
    for bytes in detached {
        outer.push(match envelope::tree::open_detached_token(bytes) {
            Ok(token) => check_token(&token, TokenSource::Tsr, &[data], &tsa),
            Err(e) => unreadable_token(TokenSource::Tsr, e.to_string()),
        });
    }
    let outer_reports: Vec<TokenReport> = outer.iter().map(|f| f.report.clone()).collect();
    let mut inherited = earliest(outer.iter().map(|f| {
        f.proves.map(|time| Poe {
            time,
            by: format!("the {} time-stamp over the whole file", f.report.source),
        })
    }));

    let mut encodings = env.encodings.clone();
    let mut warnings = env.warnings.clone();
    let mut signatures = Vec::new();
    let mut innermost_digests = None;
    for level in &env.levels {
        encodings.push(format!("L{}:{}", level.index, level.encoding));
        let time = LevelTime {
            tsa: &tsa,
            inherited: inherited.clone(),
            outer_tokens: &outer_reports,
        };
        let (digests, level_poe) = judge_level(level, opts, &time, &mut signatures, &mut warnings);
        innermost_digests = digests;
        // An intact signature proven at T proves that what it signs (the next level) existed.
        inherited = earliest([inherited, level_poe]);
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
    let timestamp_tokens = outer_reports;

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
