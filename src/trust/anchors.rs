//! Trust anchors given as files: PEM bundles, DER certificates, or folders of them (a CA the
//! office trusts, a test PKI, a CSCA). An anchor may be an intermediate CA: that is how the
//! Trusted Lists publish them.

use std::path::{Path, PathBuf};

use der::Decode;
use time::OffsetDateTime;
use x509_cert::Certificate;

use crate::envelope::sniff::decode_base64;

#[derive(Debug, thiserror::Error)]
pub enum AnchorError {
    #[error("cannot read {path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{path}: no certificate found (expected PEM or DER)")]
    NoCertificate { path: PathBuf },
    #[error("{path}: certificate {index} is malformed: {reason}")]
    Malformed {
        path: PathBuf,
        index: usize,
        reason: String,
    },
}

/// When a Trusted List service was granted; an anchor counts only inside these windows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GrantWindow {
    pub from: OffsetDateTime,
    pub until: Option<OffsetDateTime>,
}

#[derive(Debug, Clone)]
pub struct Anchor {
    pub der: Vec<u8>,
    pub cert: Certificate,
    /// Where it came from (file path, or the Trusted List service name).
    pub source: String,
    /// Empty: trusted at any time (anchors the office added by hand).
    pub granted: Vec<GrantWindow>,
    /// For anchors from a Trusted List: what the service says about qualification.
    pub service: Option<ServiceFacts>,
}

/// What a Trusted List says about the service an anchor belongs to.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ServiceFacts {
    /// Last segments of the qualifier URIs (`QCWithQSCD`, `QCForLegalPerson`, `NotQualified`…).
    pub qualifiers: Vec<String>,
    /// Last segments of AdditionalServiceInformation URIs (`ForeSignatures`, `ForeSeals`…).
    pub additional_info: Vec<String>,
}

impl Anchor {
    pub fn trusted_at(&self, t: OffsetDateTime) -> bool {
        self.granted.is_empty()
            || self
                .granted
                .iter()
                .any(|w| w.from <= t && w.until.is_none_or(|until| t < until))
    }
}

/// The anchors a verification may chain to.
#[derive(Debug, Clone, Default)]
pub struct TrustStore {
    pub anchors: Vec<Anchor>,
    /// Time-stamping services of the Trusted Lists: they anchor time-stamp tokens only.
    pub timestamp_anchors: Vec<Anchor>,
}

impl TrustStore {
    pub fn is_empty(&self) -> bool {
        self.anchors.is_empty() && self.timestamp_anchors.is_empty()
    }

    /// The anchors a time-stamp token may chain to: the list's time-stamping services, and
    /// the certificates the office added by hand (a test or private TSA it trusts). CA/QC
    /// services of a list never anchor time-stamps.
    pub fn for_timestamps(&self) -> TrustStore {
        TrustStore {
            anchors: self
                .timestamp_anchors
                .iter()
                .chain(self.anchors.iter().filter(|a| a.service.is_none()))
                .cloned()
                .collect(),
            timestamp_anchors: Vec::new(),
        }
    }

    /// Loads every path: a PEM bundle, a DER certificate, or a folder of them.
    pub fn load(paths: &[PathBuf]) -> Result<TrustStore, AnchorError> {
        let mut store = TrustStore::default();
        for path in paths {
            store.add_path(path)?;
        }
        Ok(store)
    }

    pub fn add_path(&mut self, path: &Path) -> Result<(), AnchorError> {
        let io = |source| AnchorError::Io {
            path: path.to_path_buf(),
            source,
        };
        if path.is_dir() {
            let mut entries: Vec<PathBuf> = std::fs::read_dir(path)
                .map_err(io)?
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.is_file())
                .collect();
            entries.sort();
            for entry in entries {
                // A folder may hold CRLs and notes beside certificates: skip what is not one.
                match self.add_file(&entry) {
                    Ok(()) => {}
                    Err(
                        e @ (AnchorError::NoCertificate { .. } | AnchorError::Malformed { .. }),
                    ) => {
                        log::info!("skipping {}: {e}", entry.display());
                    }
                    Err(e) => return Err(e),
                }
            }
            return Ok(());
        }
        self.add_file(path)
    }

    fn add_file(&mut self, path: &Path) -> Result<(), AnchorError> {
        let data = std::fs::read(path).map_err(|source| AnchorError::Io {
            path: path.to_path_buf(),
            source,
        })?;
        let ders = certificates_in(&data);
        if ders.is_empty() {
            return Err(AnchorError::NoCertificate {
                path: path.to_path_buf(),
            });
        }
        for (index, der) in ders.into_iter().enumerate() {
            let cert = Certificate::from_der(&der).map_err(|e| AnchorError::Malformed {
                path: path.to_path_buf(),
                index: index + 1,
                reason: e.to_string(),
            })?;
            self.anchors.push(Anchor {
                der,
                cert,
                source: path.display().to_string(),
                granted: Vec::new(),
                service: None,
            });
        }
        Ok(())
    }
}

/// DER certificates in a file: PEM blocks (`CERTIFICATE`, any count) or one DER certificate.
pub fn certificates_in(data: &[u8]) -> Vec<Vec<u8>> {
    if data.first() == Some(&0x30) {
        return vec![data.to_vec()];
    }
    let text = String::from_utf8_lossy(data);
    let mut out = Vec::new();
    let mut body: Option<String> = None;
    for line in text.lines() {
        let line = line.trim();
        if line.starts_with("-----BEGIN") {
            body = line.contains("CERTIFICATE").then(String::new);
        } else if line.starts_with("-----END") {
            if let Some(b64) = body.take() {
                if let Ok(der) = decode_base64(b64.as_bytes()) {
                    out.push(der);
                }
            }
        } else if let Some(b) = body.as_mut() {
            b.push_str(line);
        }
    }
    out
}
