//! A reader check before a test gets the reader: a bare card is put in and pulled out, and
//! pcscd must see both. vpcd sometimes leaves a reader deaf to new cards after a previous
//! test's card was pulled while a PC/SC handle was still open (seen on the rig, cause in
//! vpcd not found); a test that then waits for its card fails for a reason that is not its
//! own. A deaf reader is set aside for the life of this pcscd, and the next one is tried.

use std::io::{Read, Write};
use std::net::{Shutdown, TcpStream};
use std::time::{Duration, Instant};

/// The Infocamere CNS ATR: any well-formed ATR would do; pcscd only powers the card up.
const PROBE_ATR: [u8; 25] = [
    0x3B, 0xFF, 0x18, 0x00, 0xFF, 0x81, 0x31, 0xFE, 0x55, 0x00, 0x6B, 0x02, 0x09, 0x02, 0x00, 0x01,
    0x11, 0x01, 0x43, 0x4E, 0x53, 0x11, 0x31, 0x80, 0x8E,
];

/// Answers the vpcd protocol minimally: the ATR when asked, "instruction not supported"
/// to any APDU (a middleware probing new cards may send some), nothing to power controls.
fn serve(mut stream: TcpStream) {
    loop {
        let mut len = [0u8; 2];
        if stream.read_exact(&mut len).is_err() {
            return;
        }
        let mut frame = vec![0u8; usize::from(u16::from_be_bytes(len))];
        if stream.read_exact(&mut frame).is_err() {
            return;
        }
        let answer: &[u8] = match frame.as_slice() {
            [0x04] => &PROBE_ATR,
            [_] => continue,
            _ => &[0x6D, 0x00],
        };
        let mut out = (answer.len() as u16).to_be_bytes().to_vec();
        out.extend_from_slice(answer);
        if stream.write_all(&out).is_err() {
            return;
        }
    }
}

fn seen(ctx: &pcsc::Context, reader: &str, present: bool, timeout: Duration) -> bool {
    let Ok(name) = std::ffi::CString::new(reader) else {
        return false;
    };
    let mut states = [pcsc::ReaderState::new(name, pcsc::State::UNAWARE)];
    let deadline = Instant::now() + timeout;
    while Instant::now() < deadline {
        let _ = ctx.get_status_change(Duration::from_millis(200), &mut states);
        let state = states[0].event_state();
        if state.contains(pcsc::State::PRESENT) == present && !state.contains(pcsc::State::UNKNOWN)
        {
            return true;
        }
        states[0].sync_current_state();
    }
    false
}

/// True when pcscd sees a card put into and pulled out of the reader on `port`.
pub fn reader_hears_cards(ctx: &pcsc::Context, port: u16, reader: &str) -> bool {
    let Ok(stream) = TcpStream::connect(("127.0.0.1", port)) else {
        return false;
    };
    let Ok(served) = stream.try_clone() else {
        return false;
    };
    let card = std::thread::spawn(move || serve(served));
    let inserted = seen(ctx, reader, true, Duration::from_secs(5));
    let _ = stream.shutdown(Shutdown::Both);
    let _ = card.join();
    inserted && seen(ctx, reader, false, Duration::from_secs(5))
}
