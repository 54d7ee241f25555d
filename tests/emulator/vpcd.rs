//! The vpcd wire protocol (vsmartcard's virtual reader): the card is a TCP client of the
//! reader; every frame is a 2-byte big-endian length and a payload.

use std::io::{self, Read, Write};
use std::net::TcpStream;

/// What the reader asked for in one frame.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Request {
    PowerOff,
    PowerOn,
    Reset,
    /// Answer with the ATR in one frame.
    Atr,
    Apdu(Vec<u8>),
    /// A control code this emulator does not know; it gets no answer.
    Unknown(u8),
}

/// Reads one frame; `Ok(None)` when the reader closed the connection.
pub fn read_request(stream: &mut TcpStream) -> io::Result<Option<Request>> {
    let mut len = [0u8; 2];
    match stream.read_exact(&mut len) {
        Ok(()) => {}
        Err(e) if e.kind() == io::ErrorKind::UnexpectedEof => return Ok(None),
        Err(e) => return Err(e),
    }
    let mut payload = vec![0u8; usize::from(u16::from_be_bytes(len))];
    stream.read_exact(&mut payload)?;
    Ok(Some(match payload.as_slice() {
        [0x00] => Request::PowerOff,
        [0x01] => Request::PowerOn,
        [0x02] => Request::Reset,
        [0x04] => Request::Atr,
        [code] => Request::Unknown(*code),
        _ => Request::Apdu(payload),
    }))
}

pub fn write_frame(stream: &mut TcpStream, payload: &[u8]) -> io::Result<()> {
    let len = u16::try_from(payload.len())
        .map_err(|_| io::Error::new(io::ErrorKind::InvalidInput, "vpcd frame over 64 KiB"))?;
    let mut frame = len.to_be_bytes().to_vec();
    frame.extend_from_slice(payload);
    stream.write_all(&frame)
}
