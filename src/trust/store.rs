//! The imported trust store in the user's data directory: the EU list of lists, national
//! Trusted Lists whose signature was checked on import, and extra anchors the office added.
//!
//! Layout: `<data>/trust/lotl.xml`, `<data>/trust/lists/<territory>.xml` with its compact
//! form `<territory>.compact` (see `compact`), `<data>/trust/anchors/<sha256>.der`. Files are
//! readable by the owner only.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use time::OffsetDateTime;

use super::anchors::{certificates_in, Anchor, AnchorError, TrustStore};
use super::compact::{CompactList, SourceFile};
use super::shipped::pinned_lotl_signers;
use super::tsl::{list_pointers, parse_trusted_list, ServiceType, TrustedList, TslError};
use super::xmldsig::{verify_list_signature, XmlSignatureError};
use crate::crypto::algorithms::DigestAlgorithm;
use crate::crypto::digest::digest;

/// Service types whose certificates anchor signatures.
pub const SIGNATURE_SERVICES: [ServiceType; 1] = [ServiceType::CaQc];
/// Service types whose certificates anchor time-stamps (and only time-stamps).
pub const TIMESTAMP_SERVICES: [ServiceType; 2] = [ServiceType::TsaQtst, ServiceType::TsaTssQc];

/// Extension of the compact file of a list's time-stamping anchors.
const TSA_COMPACT: &str = "tsa.compact";

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("cannot access {path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{path}: {source}")]
    List { path: PathBuf, source: TslError },
    #[error("{path}: the list's signature is not valid: {source}")]
    Signature {
        path: PathBuf,
        source: XmlSignatureError,
    },
    #[error(
        "{path}: import the EU list of lists first: it names who may sign the {territory} list"
    )]
    NoListOfLists { path: PathBuf, territory: String },
    #[error(
        "{path}: the EU list of lists is signed by «{signer}», a certificate not pinned in the \
         program (trust-store/lotl-signers); import it with --accept-unpinned only when the \
         Official Journal names that signer"
    )]
    UnpinnedListOfLists { path: PathBuf, signer: String },
    #[error("{path}: the EU list of lists has no entry for {territory}")]
    NoPointer { path: PathBuf, territory: String },
    #[error(transparent)]
    Anchor(#[from] AnchorError),
}

/// What an import did, for the officer.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Imported {
    pub path: String,
    pub kind: &'static str,
    pub detail: String,
}

/// Freshness and size of an imported list.
#[derive(Debug, Clone, serde::Serialize)]
pub struct ListStatus {
    pub territory: String,
    pub sequence_number: u64,
    pub issue_date: String,
    /// Whole days since the list was issued.
    pub age_days: i64,
    pub next_update: Option<String>,
    pub stale: bool,
    pub services: usize,
    pub signature_anchors: usize,
}

/// A list past its next-update date: verifications that rely on it must say so.
#[derive(Debug, Clone)]
pub struct StaleList {
    pub territory: String,
    pub sequence_number: u64,
    pub next_update: String,
}

impl StaleList {
    /// The list, if it is stale at `now`.
    pub fn of(list: &TrustedList, now: OffsetDateTime) -> Option<StaleList> {
        list.is_stale(now).then(|| StaleList {
            territory: list.territory.clone(),
            sequence_number: list.sequence_number,
            next_update: list
                .next_update
                .map(crate::envelope::asn1_time::rfc3339)
                .unwrap_or_default(),
        })
    }

    /// English, for the JSON report and logs.
    pub fn warning(&self) -> String {
        format!(
            "the Trusted List {} #{} is stale: its next update was due {}; trust decisions rely on outdated data",
            self.territory, self.sequence_number, self.next_update
        )
    }
}

pub struct Store {
    root: PathBuf,
}

fn io(path: &Path) -> impl FnOnce(std::io::Error) -> StoreError + '_ {
    move |source| StoreError::Io {
        path: path.to_path_buf(),
        source,
    }
}

/// `$SPORTELLO_DATA_DIR`, else `$XDG_DATA_HOME/sportello`, else `~/.local/share/sportello`.
pub fn default_data_dir() -> PathBuf {
    if let Some(dir) = std::env::var_os("SPORTELLO_DATA_DIR") {
        return PathBuf::from(dir);
    }
    if let Some(dir) = std::env::var_os("XDG_DATA_HOME") {
        return PathBuf::from(dir).join("sportello");
    }
    let home = std::env::var_os("HOME")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("."));
    home.join(".local/share/sportello")
}

/// Writes `bytes` to `path` atomically (temporary file, then rename), owner-only.
pub(crate) fn write_private(path: &Path, bytes: &[u8]) -> Result<(), StoreError> {
    let dir = path.parent().unwrap_or(Path::new("."));
    create_private_dir(dir)?;
    let temporary = path.with_extension(format!("partial-{}", std::process::id()));
    let mut options = fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let result = options
        .open(&temporary)
        .and_then(|mut f| f.write_all(bytes).and_then(|()| f.sync_all()))
        .and_then(|()| fs::rename(&temporary, path));
    if result.is_err() {
        let _ = fs::remove_file(&temporary);
    }
    result.map_err(io(path))
}

pub(crate) fn create_private_dir(dir: &Path) -> Result<(), StoreError> {
    fs::create_dir_all(dir).map_err(io(dir))?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        fs::set_permissions(dir, fs::Permissions::from_mode(0o700)).map_err(io(dir))?;
    }
    Ok(())
}

/// National lists point back to the EU list too; the list of lists is the one whose
/// territory is EU.
fn is_list_of_lists(xml: &[u8]) -> bool {
    parse_trusted_list(xml).is_ok_and(|l| l.territory == "EU")
}

impl Store {
    pub fn open(data_dir: &Path) -> Store {
        Store {
            root: data_dir.join("trust"),
        }
    }

    fn lotl_path(&self) -> PathBuf {
        self.root.join("lotl.xml")
    }

    fn lists_dir(&self) -> PathBuf {
        self.root.join("lists")
    }

    fn anchors_dir(&self) -> PathBuf {
        self.root.join("anchors")
    }

    /// Imports Trusted Lists (the EU list of lists first) and certificates. A list whose
    /// signature fails, or a list of lists not signed by a pinned certificate, is refused
    /// and nothing of it is written.
    pub fn import(&self, paths: &[PathBuf]) -> Result<Vec<Imported>, StoreError> {
        self.import_with(paths, false)
    }

    /// [`Store::import`]; `accept_unpinned`: the officer accepts a list of lists whose
    /// signer is not pinned in the program (its signature is still checked with the
    /// certificate it carries, and the import says it was not pinned).
    pub fn import_with(
        &self,
        paths: &[PathBuf],
        accept_unpinned: bool,
    ) -> Result<Vec<Imported>, StoreError> {
        let mut files: Vec<(PathBuf, Vec<u8>)> = Vec::new();
        for path in paths {
            files.push((path.clone(), fs::read(path).map_err(io(path))?));
        }
        // The list of lists says who signs the national lists: take it first.
        files.sort_by_key(|(_, bytes)| !is_list_of_lists(bytes));
        let mut done = Vec::new();
        for (path, bytes) in files {
            let shown = path.display().to_string();
            let looks_xml = bytes.iter().find(|b| !b.is_ascii_whitespace()) == Some(&b'<');
            if looks_xml && is_list_of_lists(&bytes) {
                done.push(self.import_list_of_lists(&path, &bytes, accept_unpinned)?);
            } else if looks_xml {
                done.push(self.import_national_list(&path, &bytes)?);
            } else {
                let ders = certificates_in(&bytes);
                if ders.is_empty() {
                    return Err(AnchorError::NoCertificate { path }.into());
                }
                let mut probe = TrustStore::default();
                probe.add_path(&path)?;
                for anchor in &probe.anchors {
                    let name = format!(
                        "{}.der",
                        hex::encode(digest(DigestAlgorithm::Sha256, &anchor.der))
                    );
                    write_private(&self.anchors_dir().join(name), &anchor.der)?;
                }
                done.push(Imported {
                    path: shown,
                    kind: "anchors",
                    detail: format!("{} certificate(s)", probe.anchors.len()),
                });
            }
        }
        Ok(done)
    }

    fn import_list_of_lists(
        &self,
        path: &Path,
        bytes: &[u8],
        accept_unpinned: bool,
    ) -> Result<Imported, StoreError> {
        let checked = checked_list_of_lists(path, bytes, accept_unpinned)?;
        write_private(&self.lotl_path(), bytes)?;
        let pinning = if checked.pinned {
            "pinned in the program"
        } else {
            "NOT pinned in the program: accepted by the officer (--accept-unpinned)"
        };
        Ok(Imported {
            path: path.display().to_string(),
            kind: "list-of-lists",
            detail: format!(
                "EU list of lists #{} ({} pointers), signed by {}, {pinning}",
                checked.list.sequence_number,
                list_pointers(bytes).map(|p| p.len()).unwrap_or(0),
                checked.signer,
            ),
        })
    }

    /// Parses a national list and checks its signature with the signers the imported EU
    /// list of lists names for its territory. Writes nothing.
    pub fn verified_list(
        &self,
        path: &Path,
        bytes: &[u8],
    ) -> Result<(TrustedList, String), StoreError> {
        self.verified_list_against(path, bytes, None)
    }

    /// [`Store::verified_list`] against `lotl` (a list of lists already checked), or the
    /// imported one when `None`.
    fn verified_list_against(
        &self,
        path: &Path,
        bytes: &[u8],
        lotl: Option<&[u8]>,
    ) -> Result<(TrustedList, String), StoreError> {
        let list = parse_trusted_list(bytes).map_err(|source| StoreError::List {
            path: path.to_path_buf(),
            source,
        })?;
        let lotl = match lotl {
            Some(given) => given.to_vec(),
            None => fs::read(self.lotl_path()).map_err(|_| StoreError::NoListOfLists {
                path: path.to_path_buf(),
                territory: list.territory.clone(),
            })?,
        };
        let signers: Vec<Vec<u8>> = list_pointers(&lotl)
            .map_err(|source| StoreError::List {
                path: self.lotl_path(),
                source,
            })?
            .into_iter()
            .filter(|p| p.territory == list.territory)
            .flat_map(|p| p.signer_certificates)
            .collect();
        if signers.is_empty() {
            return Err(StoreError::NoPointer {
                path: path.to_path_buf(),
                territory: list.territory,
            });
        }
        let outcome =
            verify_list_signature(&String::from_utf8_lossy(bytes), &signers, list.issue_date)
                .map_err(|source| StoreError::Signature {
                    path: path.to_path_buf(),
                    source,
                })?;
        Ok((list, outcome.signer_subject))
    }

    fn import_national_list(&self, path: &Path, bytes: &[u8]) -> Result<Imported, StoreError> {
        let (list, signer) = self.verified_list(path, bytes)?;
        let territory: String = list
            .territory
            .chars()
            .filter(char::is_ascii_alphanumeric)
            .collect();
        let xml_path = self.lists_dir().join(format!("{territory}.xml"));
        write_private(&xml_path, bytes)?;
        self.write_compact(&xml_path, bytes, &list)?;
        Ok(Imported {
            path: path.display().to_string(),
            kind: "trusted-list",
            detail: format!(
                "{} #{}: {} services, signed by {signer}",
                list.territory,
                list.sequence_number,
                list.services.len(),
            ),
        })
    }

    /// Anchors from `--trust PATH` without importing: see [`Store::add_trust_paths`].
    pub fn add_trust_path(
        &self,
        store: &mut TrustStore,
        path: &Path,
        now: OffsetDateTime,
    ) -> Result<Option<StaleList>, StoreError> {
        Ok(self
            .add_trust_paths(store, std::slice::from_ref(&path.to_path_buf()), now)?
            .pop())
    }

    /// Anchors from `--trust PATH...` without importing: Trusted Lists (signature checked),
    /// or certificates (a PEM bundle, DER, or a folder). A list of lists among them (its
    /// signer pinned, as on import) vouches for the national lists given with it; without
    /// one, the imported list of lists does. Returns the stale lists.
    pub fn add_trust_paths(
        &self,
        store: &mut TrustStore,
        paths: &[PathBuf],
        now: OffsetDateTime,
    ) -> Result<Vec<StaleList>, StoreError> {
        let mut lotl: Option<Vec<u8>> = None;
        let mut lists: Vec<(&Path, Vec<u8>)> = Vec::new();
        let mut certificates: Vec<&Path> = Vec::new();
        for path in paths {
            let looks_xml = path.is_file()
                && fs::read(path)
                    .map(|b| b.iter().find(|c| !c.is_ascii_whitespace()) == Some(&b'<'))
                    .unwrap_or(false);
            if !looks_xml {
                certificates.push(path);
                continue;
            }
            let bytes = fs::read(path).map_err(io(path))?;
            if is_list_of_lists(&bytes) {
                checked_list_of_lists(path, &bytes, false)?;
                lotl = Some(bytes);
            } else {
                lists.push((path, bytes));
            }
        }
        for path in certificates {
            store.add_path(path)?;
        }
        let mut stale = Vec::new();
        for (path, bytes) in lists {
            let (list, _) = self.verified_list_against(path, &bytes, lotl.as_deref())?;
            store.anchors.extend(list.anchors(&SIGNATURE_SERVICES));
            store
                .timestamp_anchors
                .extend(list.anchors(&TIMESTAMP_SERVICES));
            stale.extend(StaleList::of(&list, now));
        }
        Ok(stale)
    }

    /// The files of the imported national lists, in name order.
    fn list_paths(&self) -> Vec<PathBuf> {
        let Ok(entries) = fs::read_dir(self.lists_dir()) else {
            return Vec::new();
        };
        let mut paths: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
        paths.retain(|p| p.extension().is_some_and(|e| e == "xml"));
        paths.sort();
        paths
    }

    fn read_list(path: &Path) -> Result<TrustedList, StoreError> {
        let bytes = fs::read(path).map_err(io(path))?;
        parse_trusted_list(&bytes).map_err(|source| StoreError::List {
            path: path.to_path_buf(),
            source,
        })
    }

    /// The imported national lists.
    pub fn lists(&self) -> Result<Vec<TrustedList>, StoreError> {
        self.list_paths()
            .iter()
            .map(|path| Self::read_list(path))
            .collect()
    }

    /// Writes the compact form of the list just written at `xml_path` (see `compact`).
    fn write_compact(
        &self,
        xml_path: &Path,
        bytes: &[u8],
        list: &TrustedList,
    ) -> Result<(), StoreError> {
        let (len, modified_ns) = SourceFile::stat(xml_path).ok_or_else(|| StoreError::Io {
            path: xml_path.to_path_buf(),
            source: std::io::Error::other("cannot read the file's size and time"),
        })?;
        let mut sha256 = [0u8; 32];
        sha256.copy_from_slice(&digest(DigestAlgorithm::Sha256, bytes));
        let source = SourceFile {
            len,
            modified_ns,
            sha256,
        };
        // Two compact files: the anchors of signatures, and those of time-stamps (TSA
        // services), each checked against the same list file when read.
        let tsa = CompactList::of(list, &list.anchors(&TIMESTAMP_SERVICES), source.clone());
        write_private(&xml_path.with_extension(TSA_COMPACT), &tsa.encode())?;
        let compact = CompactList::of(list, &list.anchors(&SIGNATURE_SERVICES), source);
        write_private(&xml_path.with_extension("compact"), &compact.encode())
    }

    pub fn status(&self, now: OffsetDateTime) -> Result<Vec<ListStatus>, StoreError> {
        Ok(self
            .lists()?
            .iter()
            .map(|l| ListStatus {
                territory: l.territory.clone(),
                sequence_number: l.sequence_number,
                issue_date: crate::envelope::asn1_time::rfc3339(l.issue_date),
                age_days: (now - l.issue_date).whole_days(),
                next_update: l.next_update.map(crate::envelope::asn1_time::rfc3339),
                stale: l.is_stale(now),
                services: l.services.len(),
                signature_anchors: l.anchors(&SIGNATURE_SERVICES).len(),
            })
            .collect())
    }

    /// Every anchor for signature verification, and the lists that are stale.
    pub fn load(&self, now: OffsetDateTime) -> Result<(TrustStore, Vec<StaleList>), StoreError> {
        let mut store = TrustStore::default();
        let mut warnings = Vec::new();
        for path in self.list_paths() {
            // The compact form written at import, while it still matches the list file.
            let compact = CompactList::read_matching(&path.with_extension("compact"), &path);
            let tsa = CompactList::read_matching(&path.with_extension(TSA_COMPACT), &path);
            if let (Some(compact), Some(tsa)) = (compact, tsa) {
                if compact.is_stale(now) {
                    warnings.push(StaleList {
                        territory: compact.territory.clone(),
                        sequence_number: compact.sequence_number,
                        next_update: compact
                            .next_update
                            .map(crate::envelope::asn1_time::rfc3339)
                            .unwrap_or_default(),
                    });
                }
                store.anchors.extend(compact.anchors());
                store.timestamp_anchors.extend(tsa.anchors());
                continue;
            }
            let list = Self::read_list(&path)?;
            warnings.extend(StaleList::of(&list, now));
            store.anchors.extend(list.anchors(&SIGNATURE_SERVICES));
            store
                .timestamp_anchors
                .extend(list.anchors(&TIMESTAMP_SERVICES));
        }
        if self.anchors_dir().is_dir() {
            store.add_path(&self.anchors_dir())?;
        }
        Ok((store, warnings))
    }

    /// Every anchor with where it came from, for `trust list`.
    pub fn anchors(&self, now: OffsetDateTime) -> Result<Vec<Anchor>, StoreError> {
        Ok(self.load(now)?.0.anchors)
    }
}

/// A list of lists whose signature was checked, and by whom.
struct CheckedListOfLists {
    list: TrustedList,
    signer: String,
    pinned: bool,
}

/// The list of lists' signature, checked against the pinned signers; when its signer is
/// not pinned, refused unless `accept_unpinned` (then checked with the certificate it
/// carries, which proves integrity but not who signed).
fn checked_list_of_lists(
    path: &Path,
    bytes: &[u8],
    accept_unpinned: bool,
) -> Result<CheckedListOfLists, StoreError> {
    let list = parse_trusted_list(bytes).map_err(|source| StoreError::List {
        path: path.to_path_buf(),
        source,
    })?;
    let text = String::from_utf8_lossy(bytes);
    let signature_error = |source| StoreError::Signature {
        path: path.to_path_buf(),
        source,
    };
    match verify_list_signature(&text, &pinned_lotl_signers(), list.issue_date) {
        Ok(outcome) => Ok(CheckedListOfLists {
            list,
            signer: outcome.signer_subject,
            pinned: true,
        }),
        Err(XmlSignatureError::UnknownSigner) => {
            let outcome = verify_list_signature(&text, &embedded_signer(&text), list.issue_date)
                .map_err(signature_error)?;
            if !accept_unpinned {
                return Err(StoreError::UnpinnedListOfLists {
                    path: path.to_path_buf(),
                    signer: outcome.signer_subject,
                });
            }
            Ok(CheckedListOfLists {
                list,
                signer: outcome.signer_subject,
                pinned: false,
            })
        }
        Err(other) => Err(signature_error(other)),
    }
}

fn embedded_signer(xml: &str) -> Vec<Vec<u8>> {
    roxmltree::Document::parse(xml)
        .ok()
        .and_then(|doc| {
            let signature = doc
                .root_element()
                .children()
                .find(|c| c.is_element() && c.tag_name().name() == "Signature")?;
            let cert = signature
                .descendants()
                .find(|n| n.is_element() && n.tag_name().name() == "X509Certificate")?;
            crate::envelope::sniff::decode_base64(cert.text()?.as_bytes()).ok()
        })
        .into_iter()
        .collect()
}
