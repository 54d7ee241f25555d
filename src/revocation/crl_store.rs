//! CRLs kept in the data directory, per issuer, newest first. Only CRLs whose signature
//! verifies with their issuer's key are written; files are owner-only and written atomically.
//!
//! Layout: `<data>/trust/crls/<issuer id>/issuer.der` (the CA certificate that verified them),
//! `…/url` (where they were downloaded from, when downloaded), `…/<thisUpdate>-<hash>.crl`.

use std::fs;
use std::path::{Path, PathBuf};

use time::OffsetDateTime;

use super::cert::CertView;
use super::crl::{self, CrlError};
use crate::crypto::algorithms::DigestAlgorithm;
use crate::crypto::digest::digest;
use crate::envelope::asn1_time::rfc3339;
use crate::trust::store::write_private;

/// CRLs kept per issuer; older ones are dropped.
const KEPT_PER_ISSUER: usize = 3;

#[derive(Debug, thiserror::Error)]
pub enum CrlStoreError {
    #[error("cannot access {path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error(transparent)]
    Crl(#[from] CrlError),
    #[error("refused: {0}")]
    Refused(String),
    #[error(
        "no known CA issued this CRL ({0}); import the CA's certificate or its Trusted List first"
    )]
    NoIssuer(String),
    #[error("{0}: no CRL found (expected PEM or DER)")]
    NoCrl(String),
}

/// One stored CRL, for `trust status` and import summaries.
#[derive(Debug, Clone, serde::Serialize)]
pub struct StoredCrl {
    pub issuer: String,
    pub number: Option<String>,
    pub this_update: String,
    pub next_update: Option<String>,
    pub entries: usize,
    /// Whole days since `this_update`.
    pub age_days: i64,
    pub stale: bool,
    pub url: Option<String>,
}

pub struct CrlStore {
    root: PathBuf,
}

fn io(path: &Path) -> impl FnOnce(std::io::Error) -> CrlStoreError + '_ {
    move |source| CrlStoreError::Io {
        path: path.to_path_buf(),
        source,
    }
}

/// The subject of a certificate as one line, for people.
pub fn subject_of(cert_der: &[u8]) -> String {
    use der::Decode;
    x509_cert::Certificate::from_der(cert_der)
        .map(|c| crate::identity::signer_identity(&c, cert_der).subject)
        .unwrap_or_else(|_| "(unreadable certificate)".into())
}

fn file_stamp(t: OffsetDateTime) -> String {
    format!(
        "{:04}{:02}{:02}T{:02}{:02}{:02}Z",
        t.year(),
        u8::from(t.month()),
        t.day(),
        t.hour(),
        t.minute(),
        t.second()
    )
}

impl CrlStore {
    pub fn open(data_dir: &Path) -> CrlStore {
        CrlStore {
            root: data_dir.join("trust").join("crls"),
        }
    }

    /// One folder per CA key: the same name with a new key is another issuer.
    fn issuer_dir(&self, issuer: &CertView<'_>) -> PathBuf {
        let id = digest(
            DigestAlgorithm::Sha256,
            &[issuer.subject, issuer.spki].concat(),
        );
        self.root.join(hex::encode(&id[..16]))
    }

    /// Checks `crl_der` against `issuer` and keeps it. A bad CRL is refused and nothing is
    /// written. `url` is where it was downloaded from.
    pub fn add(
        &self,
        crl_der: &[u8],
        issuer: &CertView<'_>,
        url: Option<&str>,
        now: OffsetDateTime,
    ) -> Result<StoredCrl, CrlStoreError> {
        let parsed = crl::parse(crl_der)?;
        parsed
            .check_issued_by(issuer)
            .map_err(CrlStoreError::Refused)?;
        if let Some(why) = parsed.unusable() {
            return Err(CrlStoreError::Refused(why));
        }
        let dir = self.issuer_dir(issuer);
        crate::trust::store::create_private_dir(&self.root).map_err(store_io)?;
        write_private(&dir.join("issuer.der"), issuer.der).map_err(store_io)?;
        if let Some(url) = url {
            write_private(&dir.join("url"), url.as_bytes()).map_err(store_io)?;
        }
        let name = format!(
            "{}-{}.crl",
            file_stamp(parsed.this_update),
            hex::encode(&digest(DigestAlgorithm::Sha256, crl_der)[..8])
        );
        write_private(&dir.join(name), crl_der).map_err(store_io)?;
        for old in self.files_in(&dir).into_iter().skip(KEPT_PER_ISSUER) {
            let _ = fs::remove_file(old);
        }
        let url = url
            .map(str::to_string)
            .or_else(|| fs::read_to_string(dir.join("url")).ok());
        Ok(describe(&parsed, issuer.der, url, now))
    }

    /// Imports the CRLs of a file (PEM or DER), each checked against the CA certificate
    /// among `candidates` that issued it.
    pub fn import(
        &self,
        path: &Path,
        candidates: &[Vec<u8>],
        now: OffsetDateTime,
    ) -> Result<Vec<StoredCrl>, CrlStoreError> {
        let bytes = fs::read(path).map_err(io(path))?;
        let ders = crl::crls_in_file(&bytes);
        // Check all first: a file is imported whole or not at all.
        let mut checked = Vec::new();
        for der in &ders {
            let parsed = crl::parse(der)?;
            let issuer = candidates
                .iter()
                .filter_map(|c| CertView::parse(c).ok())
                .find(|c| parsed.check_issued_by(c).is_ok())
                .ok_or_else(|| CrlStoreError::NoIssuer(path.display().to_string()))?;
            checked.push((der, issuer));
        }
        if checked.is_empty() {
            return Err(CrlStoreError::NoCrl(path.display().to_string()));
        }
        checked
            .into_iter()
            .map(|(der, issuer)| self.add(der, &issuer, None, now))
            .collect()
    }

    fn files_in(&self, dir: &Path) -> Vec<PathBuf> {
        let Ok(entries) = fs::read_dir(dir) else {
            return Vec::new();
        };
        let mut files: Vec<PathBuf> = entries
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "crl"))
            .collect();
        // File names start with thisUpdate: newest first.
        files.sort();
        files.reverse();
        files
    }

    /// The stored CRLs of `issuer`, newest first.
    pub fn for_issuer(&self, issuer: &CertView<'_>) -> Vec<Vec<u8>> {
        self.files_in(&self.issuer_dir(issuer))
            .iter()
            .filter_map(|p| fs::read(p).ok())
            .collect()
    }

    fn issuer_dirs(&self) -> Vec<PathBuf> {
        let Ok(entries) = fs::read_dir(&self.root) else {
            return Vec::new();
        };
        let mut dirs: Vec<PathBuf> = entries
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.is_dir())
            .collect();
        dirs.sort();
        dirs
    }

    /// The newest CRL of every issuer, for `trust status`.
    pub fn status(&self, now: OffsetDateTime) -> Vec<StoredCrl> {
        self.issuer_dirs()
            .iter()
            .filter_map(|dir| {
                let issuer = fs::read(dir.join("issuer.der")).ok()?;
                let newest = fs::read(self.files_in(dir).first()?).ok()?;
                let parsed = crl::parse(&newest).ok()?;
                let url = fs::read_to_string(dir.join("url")).ok();
                Some(describe(&parsed, &issuer, url, now))
            })
            .collect()
    }

    /// Issuers whose newest CRL is past its next update and that were downloaded from a URL:
    /// (issuer certificate, URL).
    pub fn stale_downloads(&self, now: OffsetDateTime) -> Vec<(Vec<u8>, String)> {
        self.issuer_dirs()
            .iter()
            .filter_map(|dir| {
                let url = fs::read_to_string(dir.join("url")).ok()?;
                let issuer = fs::read(dir.join("issuer.der")).ok()?;
                let newest = fs::read(self.files_in(dir).first()?).ok()?;
                let parsed = crl::parse(&newest).ok()?;
                parsed
                    .next_update
                    .is_some_and(|n| n < now)
                    .then_some((issuer, url))
            })
            .collect()
    }
}

fn store_io(e: crate::trust::store::StoreError) -> CrlStoreError {
    match e {
        crate::trust::store::StoreError::Io { path, source } => CrlStoreError::Io { path, source },
        other => CrlStoreError::Refused(other.to_string()),
    }
}

fn describe(
    parsed: &crl::Crl<'_>,
    issuer_der: &[u8],
    url: Option<String>,
    now: OffsetDateTime,
) -> StoredCrl {
    StoredCrl {
        issuer: subject_of(issuer_der),
        number: parsed.number(),
        this_update: rfc3339(parsed.this_update),
        next_update: parsed.next_update.map(rfc3339),
        entries: parsed.entries.len(),
        age_days: (now - parsed.this_update).whole_days(),
        stale: parsed.next_update.is_some_and(|n| n < now),
        url,
    }
}
