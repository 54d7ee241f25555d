//! The compact form of an imported Trusted List: its signature anchors (certificate DER,
//! service name, grant windows, qualifiers) and the facts the desk shows (territory,
//! sequence number, dates, number of services), written beside the list at import time.
//! Loading it costs a fraction of a millisecond where re-parsing the list's XML costs
//! about 16 ms at every start.
//!
//! It is only used while it matches the list it came from: the list file's size and
//! modification time are recorded (checked at every start with one `stat`), and the list's
//! SHA-256 (checked at import, and kept so the pairing can be audited). A mismatch, an
//! unknown version or a damaged file means the XML is parsed as before.

use std::path::Path;

use time::OffsetDateTime;

use super::anchors::{Anchor, GrantWindow, ServiceFacts};
use super::tsl::TrustedList;

const MAGIC: &[u8] = b"sportello-trust-compact/1\n";

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum CompactError {
    #[error("not a compact trust file (or another version)")]
    Magic,
    #[error("the compact trust file is truncated")]
    Truncated,
    #[error("the compact trust file is damaged: {0}")]
    Damaged(&'static str),
}

/// Which list file a compact form belongs to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceFile {
    pub len: u64,
    pub modified_ns: i128,
    pub sha256: [u8; 32],
}

impl SourceFile {
    /// Size and modification time of the file at `path` now (the SHA-256 is left zero).
    pub fn stat(path: &Path) -> Option<(u64, i128)> {
        let meta = std::fs::metadata(path).ok()?;
        let modified = meta.modified().ok()?;
        let ns = match modified.duration_since(std::time::UNIX_EPOCH) {
            Ok(d) => d.as_nanos() as i128,
            Err(e) => -(e.duration().as_nanos() as i128),
        };
        Some((meta.len(), ns))
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CompactList {
    pub source: SourceFile,
    pub territory: String,
    pub sequence_number: u64,
    pub issue_date: OffsetDateTime,
    pub next_update: Option<OffsetDateTime>,
    pub services: u64,
    pub anchors: Vec<CompactAnchor>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CompactAnchor {
    pub der: Vec<u8>,
    pub source: String,
    pub granted: Vec<GrantWindow>,
    pub service: Option<ServiceFacts>,
}

impl CompactList {
    pub fn of(list: &TrustedList, anchors: &[Anchor], source: SourceFile) -> Self {
        CompactList {
            source,
            territory: list.territory.clone(),
            sequence_number: list.sequence_number,
            issue_date: list.issue_date,
            next_update: list.next_update,
            services: list.services.len() as u64,
            anchors: anchors
                .iter()
                .map(|a| CompactAnchor {
                    der: a.der.clone(),
                    source: a.source.clone(),
                    granted: a.granted.clone(),
                    service: a.service.clone(),
                })
                .collect(),
        }
    }

    /// Past its next update, or closed: as `TrustedList::is_stale`.
    pub fn is_stale(&self, now: OffsetDateTime) -> bool {
        self.next_update.is_none_or(|next| now > next)
    }

    /// The anchors, their certificates decoded; one that does not decode is left out, as
    /// when the list itself is read.
    pub fn anchors(&self) -> Vec<Anchor> {
        self.anchors
            .iter()
            .filter_map(|a| {
                let cert = <x509_cert::Certificate as der::Decode>::from_der(&a.der).ok()?;
                Some(Anchor {
                    der: a.der.clone(),
                    cert,
                    source: a.source.clone(),
                    granted: a.granted.clone(),
                    service: a.service.clone(),
                })
            })
            .collect()
    }

    pub fn encode(&self) -> Vec<u8> {
        let mut w = Writer(Vec::with_capacity(
            self.anchors
                .iter()
                .map(|a| a.der.len() + 256)
                .sum::<usize>()
                + 256,
        ));
        w.0.extend_from_slice(MAGIC);
        w.u64(self.source.len);
        w.i128(self.source.modified_ns);
        w.bytes(&self.source.sha256);
        w.str(&self.territory);
        w.u64(self.sequence_number);
        w.time(self.issue_date);
        w.opt_time(self.next_update);
        w.u64(self.services);
        w.u64(self.anchors.len() as u64);
        for a in &self.anchors {
            w.bytes(&a.der);
            w.str(&a.source);
            w.u64(a.granted.len() as u64);
            for g in &a.granted {
                w.time(g.from);
                w.opt_time(g.until);
            }
            match &a.service {
                None => w.u64(0),
                Some(facts) => {
                    w.u64(1);
                    w.strings(&facts.qualifiers);
                    w.strings(&facts.additional_info);
                }
            }
        }
        w.0
    }

    pub fn decode(bytes: &[u8]) -> Result<Self, CompactError> {
        let rest = bytes.strip_prefix(MAGIC).ok_or(CompactError::Magic)?;
        let mut r = Reader(rest);
        let len = r.u64()?;
        let modified_ns = r.i128()?;
        let sha256: [u8; 32] = r
            .bytes()?
            .try_into()
            .map_err(|_| CompactError::Damaged("digest length"))?;
        let territory = r.str()?;
        let sequence_number = r.u64()?;
        let issue_date = r.time()?;
        let next_update = r.opt_time()?;
        let services = r.u64()?;
        let count = r.count()?;
        let mut anchors = Vec::with_capacity(count);
        for _ in 0..count {
            let der = r.bytes()?.to_vec();
            let source = r.str()?;
            let windows = r.count()?;
            let mut granted = Vec::with_capacity(windows);
            for _ in 0..windows {
                granted.push(GrantWindow {
                    from: r.time()?,
                    until: r.opt_time()?,
                });
            }
            let service = match r.u64()? {
                0 => None,
                1 => Some(ServiceFacts {
                    qualifiers: r.strings()?,
                    additional_info: r.strings()?,
                }),
                _ => return Err(CompactError::Damaged("service flag")),
            };
            anchors.push(CompactAnchor {
                der,
                source,
                granted,
                service,
            });
        }
        if !r.0.is_empty() {
            return Err(CompactError::Damaged("trailing bytes"));
        }
        Ok(CompactList {
            source: SourceFile {
                len,
                modified_ns,
                sha256,
            },
            territory,
            sequence_number,
            issue_date,
            next_update,
            services,
            anchors,
        })
    }

    /// The compact form at `compact`, if it is readable and still describes the list file
    /// at `list` (same size and modification time).
    pub fn read_matching(compact: &Path, list: &Path) -> Option<CompactList> {
        let bytes = std::fs::read(compact).ok()?;
        let decoded = match CompactList::decode(&bytes) {
            Ok(decoded) => decoded,
            Err(e) => {
                log::warn!("{}: {e}; reading the list's XML", compact.display());
                return None;
            }
        };
        let (len, modified_ns) = SourceFile::stat(list)?;
        if decoded.source.len != len || decoded.source.modified_ns != modified_ns {
            log::warn!(
                "{} does not match {} any more; reading the list's XML",
                compact.display(),
                list.display()
            );
            return None;
        }
        Some(decoded)
    }
}

struct Writer(Vec<u8>);

impl Writer {
    fn u64(&mut self, v: u64) {
        self.0.extend_from_slice(&v.to_le_bytes());
    }
    fn i128(&mut self, v: i128) {
        self.0.extend_from_slice(&v.to_le_bytes());
    }
    fn bytes(&mut self, b: &[u8]) {
        self.u64(b.len() as u64);
        self.0.extend_from_slice(b);
    }
    fn str(&mut self, s: &str) {
        self.bytes(s.as_bytes());
    }
    fn strings(&mut self, list: &[String]) {
        self.u64(list.len() as u64);
        for s in list {
            self.str(s);
        }
    }
    fn time(&mut self, t: OffsetDateTime) {
        self.i128(t.unix_timestamp_nanos());
    }
    fn opt_time(&mut self, t: Option<OffsetDateTime>) {
        match t {
            None => self.u64(0),
            Some(t) => {
                self.u64(1);
                self.time(t);
            }
        }
    }
}

struct Reader<'a>(&'a [u8]);

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Result<&'a [u8], CompactError> {
        if self.0.len() < n {
            return Err(CompactError::Truncated);
        }
        let (head, rest) = self.0.split_at(n);
        self.0 = rest;
        Ok(head)
    }
    fn u64(&mut self) -> Result<u64, CompactError> {
        let b = self.take(8)?;
        Ok(u64::from_le_bytes(
            b.try_into().map_err(|_| CompactError::Truncated)?,
        ))
    }
    fn i128(&mut self) -> Result<i128, CompactError> {
        let b = self.take(16)?;
        Ok(i128::from_le_bytes(
            b.try_into().map_err(|_| CompactError::Truncated)?,
        ))
    }
    /// A count of items, each at least one byte: never more than the bytes left.
    fn count(&mut self) -> Result<usize, CompactError> {
        let n = self.u64()?;
        if n > self.0.len() as u64 {
            return Err(CompactError::Truncated);
        }
        Ok(n as usize)
    }
    fn bytes(&mut self) -> Result<&'a [u8], CompactError> {
        let n = self.count()?;
        self.take(n)
    }
    fn str(&mut self) -> Result<String, CompactError> {
        String::from_utf8(self.bytes()?.to_vec()).map_err(|_| CompactError::Damaged("text"))
    }
    fn strings(&mut self) -> Result<Vec<String>, CompactError> {
        let n = self.count()?;
        (0..n).map(|_| self.str()).collect()
    }
    fn time(&mut self) -> Result<OffsetDateTime, CompactError> {
        OffsetDateTime::from_unix_timestamp_nanos(self.i128()?)
            .map_err(|_| CompactError::Damaged("time"))
    }
    fn opt_time(&mut self) -> Result<Option<OffsetDateTime>, CompactError> {
        match self.u64()? {
            0 => Ok(None),
            1 => Ok(Some(self.time()?)),
            _ => Err(CompactError::Damaged("time flag")),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> CompactList {
        CompactList {
            source: SourceFile {
                len: 42,
                modified_ns: 1_700_000_000_123_456_789,
                sha256: [7; 32],
            },
            territory: "IT".into(),
            sequence_number: 194,
            issue_date: OffsetDateTime::from_unix_timestamp(1_695_686_400).expect("time"),
            next_update: None,
            services: 3,
            anchors: vec![CompactAnchor {
                der: vec![0x30, 0x03, 1, 2, 3],
                source: "Trusted List IT #194: Servizio è".into(),
                granted: vec![GrantWindow {
                    from: OffsetDateTime::from_unix_timestamp(1_000).expect("time"),
                    until: Some(OffsetDateTime::from_unix_timestamp(2_000).expect("time")),
                }],
                service: Some(ServiceFacts {
                    qualifiers: vec!["QCWithQSCD".into()],
                    additional_info: vec![],
                }),
            }],
        }
    }

    #[test]
    fn round_trip_and_every_truncation_is_an_error() {
        let list = sample();
        let bytes = list.encode();
        assert_eq!(CompactList::decode(&bytes), Ok(list));
        for cut in 0..bytes.len() {
            assert!(CompactList::decode(&bytes[..cut]).is_err(), "cut at {cut}");
        }
        let mut longer = bytes.clone();
        longer.push(0);
        assert!(CompactList::decode(&longer).is_err());
        assert_eq!(CompactList::decode(b"<xml/>"), Err(CompactError::Magic));
    }
}
