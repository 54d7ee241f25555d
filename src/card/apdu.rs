//! ISO 7816-4 command and response APDUs: the four cases, short and extended length.
//! Pure encoding; what to do with 61xx, 6Cxx and long commands lives in `exchange`.

use zeroize::Zeroize;

use super::error::CardError;

/// Largest data field of a short APDU.
pub const SHORT_MAX: usize = 255;
/// Largest data field or Le of an extended APDU.
pub const EXTENDED_MAX: usize = 65535;

/// A command APDU. Its data is wiped on drop: VERIFY carries the PIN.
#[derive(Clone, PartialEq, Eq)]
pub struct Command {
    pub cla: u8,
    pub ins: u8,
    pub p1: u8,
    pub p2: u8,
    pub data: Vec<u8>,
    /// Expected response length: None = no response data (cases 1 and 3);
    /// Some(256) in short form and Some(65536) in extended form encode as 00.
    pub le: Option<usize>,
}

impl Drop for Command {
    fn drop(&mut self) {
        self.data.zeroize();
    }
}

/// Never prints the data field: it may be a PIN.
impl std::fmt::Debug for Command {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{:02X} {:02X} {:02X} {:02X} Lc={} Le={:?}",
            self.cla,
            self.ins,
            self.p1,
            self.p2,
            self.data.len(),
            self.le
        )
    }
}

impl Command {
    pub fn new(cla: u8, ins: u8, p1: u8, p2: u8) -> Self {
        Command {
            cla,
            ins,
            p1,
            p2,
            data: Vec::new(),
            le: None,
        }
    }
    pub fn with_data(mut self, data: &[u8]) -> Self {
        self.data = data.to_vec();
        self
    }
    pub fn with_le(mut self, le: usize) -> Self {
        self.le = Some(le);
        self
    }

    /// Does this command need the extended form?
    pub fn needs_extended(&self) -> bool {
        self.data.len() > SHORT_MAX || self.le.is_some_and(|le| le > 256)
    }

    /// Encodes the command; `extended` selects the extended length form (ISO 7816-4 5.1).
    pub fn encode(&self, extended: bool) -> Result<Vec<u8>, CardError> {
        let nc = self.data.len();
        if !extended && self.needs_extended() {
            return Err(CardError::Transport(format!(
                "command {self:?} needs extended length, which this card profile does not allow"
            )));
        }
        if nc > EXTENDED_MAX || self.le.is_some_and(|le| le == 0 || le > EXTENDED_MAX + 1) {
            return Err(CardError::Transport(format!(
                "command {self:?} is too long"
            )));
        }
        let mut out = Vec::with_capacity(nc + 9);
        out.extend_from_slice(&[self.cla, self.ins, self.p1, self.p2]);
        if extended {
            if nc > 0 {
                out.push(0);
                out.extend_from_slice(&(nc as u16).to_be_bytes());
                out.extend_from_slice(&self.data);
            }
            if let Some(le) = self.le {
                if nc == 0 {
                    out.push(0);
                }
                // 65536 is written 00 00.
                out.extend_from_slice(&((le % 65536) as u16).to_be_bytes());
            }
        } else {
            if nc > 0 {
                out.push(nc as u8);
                out.extend_from_slice(&self.data);
            }
            if let Some(le) = self.le {
                // 256 is written 00.
                out.push((le % 256) as u8);
            }
        }
        Ok(out)
    }
}

/// A response APDU: data and status word.
#[derive(Clone, PartialEq, Eq)]
pub struct Response {
    pub data: Vec<u8>,
    pub sw: u16,
}

impl std::fmt::Debug for Response {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} bytes, SW {:04X}", self.data.len(), self.sw)
    }
}

impl Response {
    /// Splits raw bytes from the reader into data and status word.
    pub fn parse(raw: &[u8]) -> Result<Response, CardError> {
        let Some(split) = raw.len().checked_sub(2) else {
            return Err(CardError::malformed(format!(
                "a response of {} bytes has no status word",
                raw.len()
            )));
        };
        let (data, sw) = raw.split_at(split);
        Ok(Response {
            data: data.to_vec(),
            sw: u16::from_be_bytes([sw[0], sw[1]]),
        })
    }
    pub fn sw1(&self) -> u8 {
        (self.sw >> 8) as u8
    }
    pub fn sw2(&self) -> u8 {
        (self.sw & 0xFF) as u8
    }
    pub fn is_ok(&self) -> bool {
        self.sw == 0x9000
    }
    /// Ok(data) on 9000, otherwise the status word as an error naming `what`.
    pub fn ok_or_status(self, what: &'static str) -> Result<Vec<u8>, CardError> {
        if self.is_ok() {
            Ok(self.data.clone())
        } else {
            Err(CardError::CardStatus(self.sw, what))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn four_cases_short() {
        let c1 = Command::new(0x00, 0x22, 0xF3, 0x03);
        assert_eq!(c1.encode(false).unwrap(), [0x00, 0x22, 0xF3, 0x03]);
        let c2 = Command::new(0x00, 0xB0, 0x00, 0x10).with_le(256);
        assert_eq!(c2.encode(false).unwrap(), [0x00, 0xB0, 0x00, 0x10, 0x00]);
        let c3 = Command::new(0x00, 0xA4, 0x08, 0x0C).with_data(&[0x10, 0x00]);
        assert_eq!(
            c3.encode(false).unwrap(),
            [0x00, 0xA4, 0x08, 0x0C, 0x02, 0x10, 0x00]
        );
        let c4 = Command::new(0x00, 0x88, 0x00, 0x00)
            .with_data(&[1, 2])
            .with_le(256);
        assert_eq!(
            c4.encode(false).unwrap(),
            [0x00, 0x88, 0x00, 0x00, 0x02, 1, 2, 0x00]
        );
    }

    #[test]
    fn extended_forms() {
        let data = vec![0xAB; 300];
        let c4 = Command::new(0x00, 0x2A, 0x9E, 0x9A)
            .with_data(&data)
            .with_le(256);
        let enc = c4.encode(true).unwrap();
        assert_eq!(&enc[..7], [0x00, 0x2A, 0x9E, 0x9A, 0x00, 0x01, 0x2C]);
        assert_eq!(&enc[enc.len() - 2..], [0x01, 0x00]);
        assert_eq!(enc.len(), 7 + 300 + 2);
        let c2 = Command::new(0x00, 0xB0, 0, 0).with_le(65536);
        assert_eq!(c2.encode(true).unwrap(), [0, 0xB0, 0, 0, 0, 0, 0]);
        // A long command in a short-only profile is refused, not truncated.
        assert!(c4.encode(false).is_err());
    }

    #[test]
    fn responses() {
        assert!(Response::parse(&[]).is_err());
        assert!(Response::parse(&[0x90]).is_err());
        let r = Response::parse(&[1, 2, 0x63, 0xC2]).unwrap();
        assert_eq!(r.data, [1, 2]);
        assert_eq!((r.sw1(), r.sw2()), (0x63, 0xC2));
    }

    #[test]
    fn debug_hides_data() {
        let c = Command::new(0, 0x20, 0, 0x10).with_data(b"12345678");
        assert!(!format!("{c:?}").contains("31"));
    }
}
