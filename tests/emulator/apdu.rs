//! ISO 7816-4 command and response APDUs: parsing short and extended forms, status words.

/// Status words the emulated cards answer with (ISO 7816-4 meanings).
pub mod sw {
    pub const OK: u16 = 0x9000;
    /// End of file reached before Le bytes were read.
    pub const END_OF_FILE: u16 = 0x6282;
    pub const WRONG_LENGTH: u16 = 0x6700;
    pub const CLA_FUNCTION_NOT_SUPPORTED: u16 = 0x6884;
    pub const LAST_COMMAND_OF_CHAIN_EXPECTED: u16 = 0x6883;
    pub const SECURITY_STATUS_NOT_SATISFIED: u16 = 0x6982;
    pub const AUTH_METHOD_BLOCKED: u16 = 0x6983;
    pub const CONDITIONS_NOT_SATISFIED: u16 = 0x6985;
    pub const COMMAND_NOT_ALLOWED_NO_EF: u16 = 0x6986;
    pub const WRONG_DATA: u16 = 0x6A80;
    pub const FILE_NOT_FOUND: u16 = 0x6A82;
    pub const INCORRECT_P1P2: u16 = 0x6A86;
    pub const REFERENCED_DATA_NOT_FOUND: u16 = 0x6A88;
    pub const WRONG_P1P2: u16 = 0x6B00;
    pub const INS_NOT_SUPPORTED: u16 = 0x6D00;
    pub const CLA_NOT_SUPPORTED: u16 = 0x6E00;

    /// `63 Cx`: verification failed, x tries left.
    pub fn tries_left(n: u8) -> u16 {
        0x63C0 | u16::from(n.min(15))
    }
}

/// A parsed command APDU.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Command {
    pub cla: u8,
    pub ins: u8,
    pub p1: u8,
    pub p2: u8,
    pub data: Vec<u8>,
    /// Expected response length (Ne); `None` when the command has no Le field.
    pub le: Option<usize>,
}

impl Command {
    /// Parses cases 1-4, short and extended; malformed lengths are 6700 as on a real card.
    pub fn parse(bytes: &[u8]) -> Result<Command, u16> {
        if bytes.len() < 4 {
            return Err(sw::WRONG_LENGTH);
        }
        let (cla, ins, p1, p2) = (bytes[0], bytes[1], bytes[2], bytes[3]);
        let body = &bytes[4..];
        let (data, le) = match body.len() {
            0 => (Vec::new(), None),
            // Case 2 short: Le 00 means 256.
            1 => (Vec::new(), Some(short_le(body[0]))),
            _ if body[0] == 0 && body.len() >= 3 => parse_extended(body)?,
            _ => {
                let lc = usize::from(body[0]);
                match body.len() - 1 {
                    n if n == lc => (body[1..].to_vec(), None),
                    n if n == lc + 1 => (body[1..=lc].to_vec(), Some(short_le(body[lc + 1]))),
                    _ => return Err(sw::WRONG_LENGTH),
                }
            }
        };
        Ok(Command {
            cla,
            ins,
            p1,
            p2,
            data,
            le,
        })
    }

    /// ISO command chaining: CLA bit 5 says more commands of this chain follow.
    pub fn is_chained(&self) -> bool {
        self.cla & 0x10 != 0
    }
}

fn short_le(b: u8) -> usize {
    if b == 0 {
        256
    } else {
        usize::from(b)
    }
}

fn extended_le(hi: u8, lo: u8) -> usize {
    match usize::from(u16::from_be_bytes([hi, lo])) {
        0 => 65536,
        n => n,
    }
}

fn parse_extended(body: &[u8]) -> Result<(Vec<u8>, Option<usize>), u16> {
    if body.len() == 3 {
        return Ok((Vec::new(), Some(extended_le(body[1], body[2]))));
    }
    let lc = usize::from(u16::from_be_bytes([body[1], body[2]]));
    let rest = &body[3..];
    match rest.len() {
        n if n == lc && lc > 0 => Ok((rest.to_vec(), None)),
        n if n == lc + 2 && lc > 0 => Ok((
            rest[..lc].to_vec(),
            Some(extended_le(rest[lc], rest[lc + 1])),
        )),
        _ => Err(sw::WRONG_LENGTH),
    }
}

/// A response APDU: data then status word.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Response {
    pub data: Vec<u8>,
    pub sw: u16,
}

impl Response {
    pub fn ok(data: Vec<u8>) -> Response {
        Response { data, sw: sw::OK }
    }

    pub fn status(sw: u16) -> Response {
        Response {
            data: Vec::new(),
            sw,
        }
    }

    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = self.data.clone();
        out.extend_from_slice(&self.sw.to_be_bytes());
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_every_case() {
        let c = Command::parse(&[0, 0xB0, 0, 0, 0]).expect("case 2");
        assert_eq!((c.data.len(), c.le), (0, Some(256)));
        let c = Command::parse(&[0, 0xA4, 8, 0x0C, 2, 0x10, 0]).expect("case 3");
        assert_eq!((c.data, c.le), (vec![0x10, 0], None));
        let c = Command::parse(&[0, 0x2A, 0x9E, 0x9A, 1, 7, 0]).expect("case 4");
        assert_eq!((c.data, c.le), (vec![7], Some(256)));
        let c = Command::parse(&[0, 0x2A, 0x9E, 0x9A, 0, 0, 1, 7, 0, 0]).expect("case 4E");
        assert_eq!((c.data, c.le), (vec![7], Some(65536)));
        assert_eq!(
            Command::parse(&[0, 0x20, 0, 0x10, 8, 1]),
            Err(sw::WRONG_LENGTH)
        );
    }
}
