//! An ISO 7816-4 file system: DFs and transparent EFs addressed by FID, path, AID or SFI,
//! with SELECT and READ BINARY answered the way real cards do.

use super::apdu::{sw, Command, Response};

pub const MF: u16 = 0x3F00;

#[derive(Debug, Clone)]
enum Kind {
    Df { aid: Option<Vec<u8>> },
    Ef { data: Vec<u8>, sfi: Option<u8> },
}

#[derive(Debug, Clone)]
struct File {
    /// FIDs from the MF (exclusive) down to this file; empty for the MF itself.
    path: Vec<u16>,
    kind: Kind,
}

#[derive(Debug, Clone)]
pub struct FileSystem {
    files: Vec<File>,
    /// Path of the current file (a DF, or an EF whose parent is the current DF).
    current: Vec<u16>,
    /// Largest Le READ BINARY accepts (CNS cards take at most 255).
    max_read: usize,
}

impl FileSystem {
    pub fn new(max_read: usize) -> FileSystem {
        FileSystem {
            files: vec![File {
                path: Vec::new(),
                kind: Kind::Df { aid: None },
            }],
            current: Vec::new(),
            max_read,
        }
    }

    /// Adds a DF at `path` (FIDs below the MF), optionally with an application identifier.
    pub fn add_df(&mut self, path: &[u16], aid: Option<&[u8]>) {
        self.files.push(File {
            path: path.to_vec(),
            kind: Kind::Df {
                aid: aid.map(<[u8]>::to_vec),
            },
        });
    }

    pub fn add_ef(&mut self, path: &[u16], data: Vec<u8>, sfi: Option<u8>) {
        self.files.push(File {
            path: path.to_vec(),
            kind: Kind::Ef { data, sfi },
        });
    }

    /// Back to the MF, as after a reset.
    pub fn reset(&mut self) {
        self.current.clear();
    }

    fn find(&self, path: &[u16]) -> Option<&File> {
        self.files.iter().find(|f| f.path == path)
    }

    fn is_df(&self, path: &[u16]) -> bool {
        matches!(self.find(path).map(|f| &f.kind), Some(Kind::Df { .. }))
    }

    fn current_df(&self) -> Vec<u16> {
        if self.is_df(&self.current) {
            self.current.clone()
        } else {
            self.current[..self.current.len().saturating_sub(1)].to_vec()
        }
    }

    pub fn select(&mut self, cmd: &Command) -> Response {
        let target = match cmd.p1 {
            0x00 => self.by_fid(&cmd.data),
            0x01 => self.child(&cmd.data, true),
            0x02 => self.child(&cmd.data, false),
            0x03 => {
                let df = self.current_df();
                (!df.is_empty()).then(|| df[..df.len() - 1].to_vec())
            }
            0x04 => self.by_aid(&cmd.data),
            0x08 => self.by_path(Vec::new(), &cmd.data),
            0x09 => self.by_path(self.current_df(), &cmd.data),
            _ => return Response::status(sw::INCORRECT_P1P2),
        };
        let Some(path) = target else {
            return Response::status(sw::FILE_NOT_FOUND);
        };
        self.current = path;
        // P2 low bits: 00 FCI, 04 FCP, 0C no data. Without an Le field there is no room
        // for the template, so none is sent.
        match (cmd.p2 & 0x0C, cmd.le) {
            (0x0C, _) | (_, None) => Response::status(sw::OK),
            (_, Some(_)) => Response::ok(self.fcp()),
        }
    }

    /// Select by FID (P1=00): the MF, a child of the current DF, the parent DF, or a
    /// sibling, which is what ISO 7816-4 lets a card search.
    fn by_fid(&self, data: &[u8]) -> Option<Vec<u16>> {
        if data.is_empty() {
            return Some(Vec::new());
        }
        let fid = fid_of(data)?;
        if fid == MF {
            return Some(Vec::new());
        }
        let df = self.current_df();
        let mut child = df.clone();
        child.push(fid);
        if self.find(&child).is_some() {
            return Some(child);
        }
        if df.last() == Some(&fid) {
            return Some(df);
        }
        let parent = df[..df.len().saturating_sub(1)].to_vec();
        if parent.last() == Some(&fid) {
            return Some(parent);
        }
        let mut sibling = parent;
        sibling.push(fid);
        self.find(&sibling).map(|f| f.path.clone())
    }

    fn child(&self, data: &[u8], want_df: bool) -> Option<Vec<u16>> {
        let mut path = self.current_df();
        path.push(fid_of(data)?);
        (self.find(&path).is_some() && self.is_df(&path) == want_df).then_some(path)
    }

    fn by_aid(&self, aid: &[u8]) -> Option<Vec<u16>> {
        self.files.iter().find_map(|f| match &f.kind {
            Kind::Df { aid: Some(a) } if a == aid => Some(f.path.clone()),
            _ => None,
        })
    }

    fn by_path(&self, start: Vec<u16>, data: &[u8]) -> Option<Vec<u16>> {
        if data.is_empty() || data.len() % 2 != 0 {
            return None;
        }
        let mut path = start;
        for (i, pair) in data.chunks(2).enumerate() {
            let fid = u16::from_be_bytes([pair[0], pair[1]]);
            // A path may start with the MF's own FID; cards accept it.
            if i == 0 && fid == MF && path.is_empty() {
                continue;
            }
            path.push(fid);
        }
        self.find(&path).map(|f| f.path.clone())
    }

    /// FCP template: size (80), descriptor (82), FID (83), life cycle (8A, operational).
    fn fcp(&self) -> Vec<u8> {
        let fid = self.current.last().copied().unwrap_or(MF);
        let mut body = Vec::new();
        match self.find(&self.current).map(|f| &f.kind) {
            Some(Kind::Ef { data, .. }) => {
                let size = u16::try_from(data.len()).unwrap_or(u16::MAX);
                body.extend_from_slice(&[0x80, 0x02]);
                body.extend_from_slice(&size.to_be_bytes());
                body.extend_from_slice(&[0x82, 0x01, 0x01]);
            }
            _ => body.extend_from_slice(&[0x82, 0x01, 0x38]),
        }
        body.extend_from_slice(&[0x83, 0x02]);
        body.extend_from_slice(&fid.to_be_bytes());
        body.extend_from_slice(&[0x8A, 0x01, 0x05]);
        let mut out = vec![0x62, body.len() as u8];
        out.extend(body);
        out
    }

    pub fn read_binary(&mut self, cmd: &Command) -> Response {
        let offset;
        if cmd.p1 & 0x80 != 0 {
            // Short EF identifier in P1, offset in P2 (the CIE reads its NIS this way).
            let sfi = cmd.p1 & 0x1F;
            let df = self.current_df();
            let found = self.files.iter().find(|f| {
                f.path.len() == df.len() + 1
                    && f.path.starts_with(&df)
                    && matches!(f.kind, Kind::Ef { sfi: Some(s), .. } if s == sfi)
            });
            let Some(file) = found else {
                return Response::status(sw::FILE_NOT_FOUND);
            };
            self.current = file.path.clone();
            offset = usize::from(cmd.p2);
        } else {
            offset = usize::from(u16::from_be_bytes([cmd.p1 & 0x7F, cmd.p2]));
        }
        let Some(le) = cmd.le else {
            return Response::status(sw::WRONG_LENGTH);
        };
        if le > self.max_read {
            return Response::status(sw::WRONG_LENGTH);
        }
        let Some(Kind::Ef { data, .. }) = self.find(&self.current).map(|f| &f.kind) else {
            return Response::status(sw::COMMAND_NOT_ALLOWED_NO_EF);
        };
        if offset >= data.len() {
            return Response::status(sw::WRONG_P1P2);
        }
        let end = (offset + le).min(data.len());
        let chunk = data[offset..end].to_vec();
        if end - offset < le {
            Response {
                data: chunk,
                sw: sw::END_OF_FILE,
            }
        } else {
            Response::ok(chunk)
        }
    }
}

fn fid_of(data: &[u8]) -> Option<u16> {
    match data {
        [hi, lo] => Some(u16::from_be_bytes([*hi, *lo])),
        _ => None,
    }
}
