//! Selecting and reading transparent files: SELECT by path or file id, READ BINARY in
//! pieces until the card says the file has ended, and trimming DER objects stored in files
//! larger than they are (zero padding after a certificate).

use super::apdu::Command;
use super::error::CardError;
use super::transport::{exchange, LongCommands, Transport};

/// A file larger than this is not a CNS/CIE file: stop rather than read forever.
const MAX_FILE: usize = 32 * 1024;

/// SELECT by path from the MF (`00 A4 08 0C`), as cards.md captured from OpenSC.
pub fn select_path(t: &mut dyn Transport, path: &[u16]) -> Result<(), CardError> {
    let from_mf: Vec<u8> = path
        .iter()
        .skip_while(|fid| **fid == 0x3F00)
        .flat_map(|fid| fid.to_be_bytes())
        .collect();
    let cmd = Command::new(0x00, 0xA4, 0x08, 0x0C).with_data(&from_mf);
    let r = exchange(t, &cmd, LongCommands::Chaining)?;
    match r.sw {
        0x9000 => Ok(()),
        sw => Err(CardError::CardStatus(sw, "SELECT of a file")),
    }
}

/// SELECT by file id in the current DF (`00 A4 02 04`, as the CIE middleware does).
pub fn select_fid(t: &mut dyn Transport, fid: u16) -> Result<(), CardError> {
    let cmd = Command::new(0x00, 0xA4, 0x02, 0x04).with_data(&fid.to_be_bytes());
    let r = exchange(t, &cmd, LongCommands::Chaining)?;
    match r.sw {
        0x9000 => Ok(()),
        sw => Err(CardError::CardStatus(sw, "SELECT of a file")),
    }
}

/// Reads the selected file from offset 0 in pieces of `chunk` (<= 256) bytes until the card
/// answers 6282 (end reached), 6B00 (offset past the end) or a short/empty piece.
pub fn read_selected(t: &mut dyn Transport, chunk: usize) -> Result<Vec<u8>, CardError> {
    let chunk = chunk.clamp(1, 256);
    let mut content = Vec::new();
    loop {
        if content.len() >= MAX_FILE {
            return Err(CardError::malformed(format!(
                "a file larger than {MAX_FILE} bytes"
            )));
        }
        let offset = content.len() as u16;
        let [hi, lo] = offset.to_be_bytes();
        let cmd = Command::new(0x00, 0xB0, hi, lo).with_le(chunk);
        let r = exchange(t, &cmd, LongCommands::Chaining)?;
        match r.sw {
            0x9000 => {
                let got = r.data.len();
                content.extend_from_slice(&r.data);
                if got == 0 {
                    return Ok(content);
                }
            }
            0x6282 => {
                content.extend_from_slice(&r.data);
                return Ok(content);
            }
            // Past the end: a file whose size is a multiple of the piece size.
            0x6B00 if !content.is_empty() => return Ok(content),
            sw => return Err(CardError::CardStatus(sw, "READ BINARY")),
        }
    }
}

pub fn read_path(t: &mut dyn Transport, path: &[u16]) -> Result<Vec<u8>, CardError> {
    select_path(t, path)?;
    read_selected(t, 255)
}

/// The first DER TLV of `data` (the rest is padding). None when it is not one.
pub fn der_prefix(data: &[u8]) -> Option<&[u8]> {
    let first_len = *data.get(1)?;
    let (len, header) = if first_len < 0x80 {
        (first_len as usize, 2)
    } else {
        let n = (first_len & 0x7F) as usize;
        if n == 0 || n > 3 {
            return None;
        }
        let bytes = data.get(2..2 + n)?;
        (
            bytes.iter().fold(0usize, |acc, b| acc << 8 | *b as usize),
            2 + n,
        )
    };
    data.get(..header.checked_add(len)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn der_prefix_trims_padding() {
        let mut cert = vec![0x30, 0x82, 0x01, 0x00];
        cert.extend_from_slice(&[0xAA; 256]);
        let mut file = cert.clone();
        file.extend_from_slice(&[0; 500]);
        assert_eq!(der_prefix(&file), Some(&cert[..]));
        assert_eq!(der_prefix(&[0x30, 0x05, 1]), None);
        assert_eq!(der_prefix(&[0x30, 0x80]), None);
        assert_eq!(der_prefix(&[0x30, 0x84, 1, 1, 1, 1]), None);
        assert_eq!(
            der_prefix(&[0x30, 0x02, 1, 2, 0, 0]),
            Some(&[0x30, 0x02, 1, 2][..])
        );
        assert_eq!(der_prefix(&[]), None);
    }
}
