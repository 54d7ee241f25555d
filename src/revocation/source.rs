//! The one `RevocationSource` the engine is given: the envelope's own data first, then CRLs
//! given for this run, then the CRL store, then (when the officer allowed it) the network:
//! OCSP from the certificate's AIA first, then its CRL distribution point. Every answer says
//! where it came from; every fetch is cached for the run, and downloaded CRLs in the store.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::Duration;

use time::OffsetDateTime;

use super::cert::CertView;
use super::crl::{self, CrlAnswer};
use super::crl_store::{subject_of, CrlStore};
use super::fetch::Fetcher;
use super::ocsp::{self, OcspAnswer};
use crate::verify::revocation::{
    RevocationEvidence, RevocationOrigin, RevocationQuery, RevocationSource, RevocationStatus,
};

/// The response body and the nonce sent, or why there is none.
type OcspExchange = Result<(Vec<u8>, Vec<u8>), String>;

struct Online {
    fetcher: Fetcher,
    /// Downloaded CRLs (or why the download failed) by URL, for this run.
    crls: Mutex<HashMap<String, Result<Vec<u8>, String>>>,
    /// OCSP answers by (URL, certificate).
    ocsp: Mutex<HashMap<(String, Vec<u8>), OcspExchange>>,
}

/// Revocation data from every place the desk may use.
#[derive(Default)]
pub struct RevocationSources {
    extra_crls: Vec<Vec<u8>>,
    store: Option<CrlStore>,
    online: Option<Online>,
}

/// Answers found so far; a revocation in verified data outweighs a "good" of the same stage.
#[derive(Default)]
struct Findings {
    decisive: Vec<RevocationStatus>,
    reasons: Vec<String>,
}

impl Findings {
    fn take(&mut self) -> Option<RevocationStatus> {
        let revoked = self
            .decisive
            .iter()
            .position(|s| matches!(s, RevocationStatus::Revoked { .. }));
        match revoked {
            Some(i) => Some(self.decisive.swap_remove(i)),
            None if !self.decisive.is_empty() => Some(self.decisive.remove(0)),
            None => None,
        }
    }

    fn note(&mut self, what: &str, reason: String) {
        let line = format!("{what}: {reason}");
        if !self.reasons.contains(&line) {
            self.reasons.push(line);
        }
    }
}

fn evidence(
    origin: RevocationOrigin,
    this_update: OffsetDateTime,
    next_update: Option<OffsetDateTime>,
    signer_der: &[u8],
    url: Option<&str>,
) -> RevocationEvidence {
    RevocationEvidence {
        origin,
        this_update,
        next_update,
        issuer: subject_of(signer_der),
        url: url.map(str::to_string),
    }
}

/// What one CRL says, or why it says nothing.
fn from_crl(
    der: &[u8],
    cert: &CertView<'_>,
    issuer: &CertView<'_>,
    at: OffsetDateTime,
    origin: RevocationOrigin,
    url: Option<&str>,
) -> Result<RevocationStatus, String> {
    let parsed = crl::parse(der).map_err(|e| e.to_string())?;
    parsed.check_issued_by(issuer)?;
    let ev = || {
        evidence(
            origin,
            parsed.this_update,
            parsed.next_update,
            issuer.der,
            url,
        )
    };
    match parsed.judge(cert, at) {
        CrlAnswer::Good => Ok(RevocationStatus::Good(ev())),
        CrlAnswer::Revoked { at, reason } => Ok(RevocationStatus::Revoked {
            evidence: ev(),
            revoked_at: at,
            reason: reason.map(str::to_string),
        }),
        CrlAnswer::Unknown(why) => Err(why),
    }
}

/// What one OCSP response says, or why it says nothing.
fn from_ocsp(
    der: &[u8],
    cert: &CertView<'_>,
    issuer: &CertView<'_>,
    at: OffsetDateTime,
    nonce: Option<&[u8]>,
    origin: RevocationOrigin,
    url: Option<&str>,
) -> Result<RevocationStatus, String> {
    let parsed = ocsp::parse(der).map_err(|e| e.to_string())?;
    match parsed.judge(cert, issuer, at, nonce) {
        OcspAnswer::Good {
            this_update,
            next_update,
            signer,
        } => Ok(RevocationStatus::Good(evidence(
            origin,
            this_update,
            next_update,
            &signer,
            url,
        ))),
        OcspAnswer::Revoked {
            this_update,
            next_update,
            signer,
            at,
            reason,
        } => Ok(RevocationStatus::Revoked {
            evidence: evidence(origin, this_update, next_update, &signer, url),
            revoked_at: at,
            reason: reason.map(str::to_string),
        }),
        OcspAnswer::Unknown(why) => Err(why),
    }
}

impl RevocationSources {
    /// Offline, with the store of `data_dir` when given.
    pub fn new(store: Option<CrlStore>) -> RevocationSources {
        RevocationSources {
            store,
            ..RevocationSources::default()
        }
    }

    /// CRLs for this run only (`verify --crl`).
    pub fn with_crls(mut self, crls: Vec<Vec<u8>>) -> RevocationSources {
        self.extra_crls = crls;
        self
    }

    /// Allows fetching from the certificates' own URLs, each fetch bounded by `timeout`.
    pub fn online(mut self, timeout: Duration) -> RevocationSources {
        self.online = Some(Online {
            fetcher: Fetcher::new(timeout),
            crls: Mutex::new(HashMap::new()),
            ocsp: Mutex::new(HashMap::new()),
        });
        self
    }

    /// What every verification of the desk uses: the data directory's CRL store, and the
    /// network when `online`.
    pub fn for_data_dir(data_dir: &std::path::Path, online: bool) -> RevocationSources {
        let sources = RevocationSources::new(Some(CrlStore::open(data_dir)));
        if online {
            sources.online(super::fetch::DEFAULT_TIMEOUT)
        } else {
            sources
        }
    }

    pub fn is_online(&self) -> bool {
        self.online.is_some()
    }

    fn ask_ocsp(
        &self,
        online: &Online,
        url: &str,
        cert: &CertView<'_>,
        issuer: &CertView<'_>,
    ) -> OcspExchange {
        let key = (url.to_string(), cert.der.to_vec());
        if let Some(cached) = online.ocsp.lock().ok().and_then(|c| c.get(&key).cloned()) {
            return cached;
        }
        let mut nonce = [0u8; 16];
        let result = getrandom::fill(&mut nonce)
            .map_err(|e| format!("no randomness for the nonce: {e}"))
            .and_then(|()| {
                online
                    .fetcher
                    .post_ocsp(url, &ocsp::request(cert, issuer, &nonce))
                    .map_err(|e| e.to_string())
            })
            .map(|body| (body, nonce.to_vec()));
        if let Ok(mut cache) = online.ocsp.lock() {
            cache.insert(key, result.clone());
        }
        result
    }

    fn download_crl(&self, online: &Online, url: &str) -> Result<Vec<u8>, String> {
        if let Some(cached) = online.crls.lock().ok().and_then(|c| c.get(url).cloned()) {
            return cached;
        }
        let result = online.fetcher.get(url).map_err(|e| e.to_string());
        if let Ok(mut cache) = online.crls.lock() {
            cache.insert(url.to_string(), result.clone());
        }
        result
    }

    fn ask_online(
        &self,
        online: &Online,
        cert: &CertView<'_>,
        issuer: &CertView<'_>,
        at: OffsetDateTime,
        found: &mut Findings,
    ) {
        for url in cert.ocsp_urls() {
            let answer = self
                .ask_ocsp(online, &url, cert, issuer)
                .and_then(|(body, nonce)| {
                    from_ocsp(
                        &body,
                        cert,
                        issuer,
                        at,
                        Some(&nonce),
                        RevocationOrigin::Ocsp,
                        Some(&url),
                    )
                });
            match answer {
                Ok(status) => {
                    found.decisive.push(status);
                    return;
                }
                Err(why) => found.note(&format!("OCSP {url}"), why),
            }
        }
        for url in cert.crl_urls() {
            let body = match self.download_crl(online, &url) {
                Ok(body) => body,
                Err(why) => {
                    found.note("CRL download", why);
                    continue;
                }
            };
            match from_crl(
                &body,
                cert,
                issuer,
                at,
                RevocationOrigin::CrlDownload,
                Some(&url),
            ) {
                Ok(status) => {
                    if let Some(store) = &self.store {
                        if let Err(e) =
                            store.add(&body, issuer, Some(&url), OffsetDateTime::now_utc())
                        {
                            log::warn!("downloaded CRL not cached: {e}");
                        }
                    }
                    found.decisive.push(status);
                    return;
                }
                Err(why) => found.note(&format!("CRL {url}"), why),
            }
        }
    }
}

impl RevocationSource for RevocationSources {
    fn status(&self, query: &RevocationQuery<'_>) -> RevocationStatus {
        let (cert, issuer) = match (
            CertView::parse(query.cert_der),
            CertView::parse(query.issuer_der),
        ) {
            (Ok(c), Ok(i)) => (c, i),
            (Err(e), _) | (_, Err(e)) => {
                return RevocationStatus::Unknown {
                    reason: format!("unreadable certificate: {e}"),
                }
            }
        };
        let at = query.validation_time;
        let mut found = Findings::default();

        // 1. The envelope's own data.
        for der in query.embedded.ocsp {
            match from_ocsp(
                der,
                &cert,
                &issuer,
                at,
                None,
                RevocationOrigin::Embedded,
                None,
            ) {
                Ok(status) => found.decisive.push(status),
                Err(why) => found.note("embedded OCSP response", why),
            }
        }
        for der in query.embedded.crls {
            match from_crl(der, &cert, &issuer, at, RevocationOrigin::Embedded, None) {
                Ok(status) => found.decisive.push(status),
                Err(why) => found.note("embedded CRL", why),
            }
        }
        if let Some(status) = found.take() {
            return status;
        }

        // 2. CRLs given for this run, then 3. the store (newest first).
        for der in &self.extra_crls {
            match from_crl(der, &cert, &issuer, at, RevocationOrigin::Store, None) {
                Ok(status) => found.decisive.push(status),
                Err(why) => found.note("CRL given", why),
            }
        }
        if let Some(status) = found.take() {
            return status;
        }
        if let Some(store) = &self.store {
            for der in store.for_issuer(&issuer) {
                match from_crl(&der, &cert, &issuer, at, RevocationOrigin::Store, None) {
                    Ok(status) => {
                        found.decisive.push(status);
                        break;
                    }
                    Err(why) => found.note("stored CRL", why),
                }
            }
        }
        if let Some(status) = found.take() {
            return status;
        }

        // 4. The network, when allowed.
        match &self.online {
            Some(online) => {
                if cert.ocsp_urls().is_empty() && cert.crl_urls().is_empty() {
                    found.note(
                        "online",
                        "the certificate names no OCSP responder and no CRL distribution point"
                            .into(),
                    );
                }
                self.ask_online(online, &cert, &issuer, at, &mut found);
            }
            None => found.note(
                "offline",
                "no network check was allowed (use --online, or import a CRL)".into(),
            ),
        }
        if let Some(status) = found.take() {
            return status;
        }
        let reason = if found.reasons.is_empty() {
            "no revocation data for this certificate".to_string()
        } else {
            found.reasons.join("; ")
        };
        RevocationStatus::Unknown { reason }
    }
}
