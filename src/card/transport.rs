//! The transport a driver talks through (pcscd in production, an in-process card in unit
//! tests, the vpcd emulator in integration tests) and the ISO 7816-4 exchange rules on top:
//! GET RESPONSE after 61xx, a retry with the right Le after 6Cxx, command chaining or
//! extended length for long commands.

use zeroize::Zeroizing;

use super::apdu::{Command, Response, SHORT_MAX};
use super::error::CardError;

/// One card, already inside a transaction when the caller holds it.
pub trait Transport {
    fn atr(&self) -> &[u8];
    /// Sends one APDU exactly as given and returns the raw response (data and status word).
    fn transmit(&mut self, apdu: &[u8]) -> Result<Vec<u8>, CardError>;
}

/// How a command whose data does not fit a short APDU is sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum LongCommands {
    /// ISO chaining: CLA bit 0x10 on every piece but the last.
    Chaining,
    /// One extended-length APDU.
    Extended,
}

/// GET RESPONSE rounds accepted before the card is considered broken: 64 KiB in 256-byte
/// pieces, never an endless loop on a card that keeps answering 61xx.
const MAX_GET_RESPONSE: usize = 257;

fn transmit_parsed(
    t: &mut dyn Transport,
    cmd: &Command,
    extended: bool,
) -> Result<Response, CardError> {
    // The encoded bytes may hold a PIN: wiped once sent.
    let raw = Zeroizing::new(cmd.encode(extended)?);
    log::trace!("APDU {cmd:?}");
    let response = Response::parse(&t.transmit(&raw)?)?;
    log::trace!("  -> {response:?}");
    Ok(response)
}

/// Sends `cmd` with the 7816-4 rules: long data per `long`, then 6Cxx and 61xx handling.
pub fn exchange(
    t: &mut dyn Transport,
    cmd: &Command,
    long: LongCommands,
) -> Result<Response, CardError> {
    let extended = cmd.needs_extended() && long == LongCommands::Extended;
    if cmd.data.len() > SHORT_MAX && long == LongCommands::Chaining {
        return chained(t, cmd);
    }
    single(t, cmd, extended)
}

fn single(t: &mut dyn Transport, cmd: &Command, extended: bool) -> Result<Response, CardError> {
    let mut response = transmit_parsed(t, cmd, extended)?;
    if response.sw1() == 0x6C {
        // Wrong Le: the card says the right one (00 = 256). Retried once only.
        let mut again = cmd.clone();
        again.le = Some(match response.sw2() {
            0 => 256,
            n => n as usize,
        });
        response = transmit_parsed(t, &again, extended)?;
        if response.sw1() == 0x6C {
            return Err(CardError::CardStatus(
                response.sw,
                "a read with the Le the card asked for",
            ));
        }
    }
    collect_remaining(t, response)
}

/// Follows 61xx with GET RESPONSE until the card has given everything.
fn collect_remaining(t: &mut dyn Transport, first: Response) -> Result<Response, CardError> {
    let mut data = first.data.clone();
    let mut sw = first.sw;
    let mut rounds = 0;
    while sw >> 8 == 0x61 {
        rounds += 1;
        if rounds > MAX_GET_RESPONSE {
            return Err(CardError::malformed(
                "the card never stops announcing more data (61xx)",
            ));
        }
        let le = match sw & 0xFF {
            0 => 256,
            n => n as usize,
        };
        let next = transmit_parsed(t, &Command::new(0x00, 0xC0, 0x00, 0x00).with_le(le), false)?;
        data.extend_from_slice(&next.data);
        sw = next.sw;
    }
    Ok(Response { data, sw })
}

/// ISO 7816-4 5.1.1.1 command chaining; Le goes with the last piece only.
fn chained(t: &mut dyn Transport, cmd: &Command) -> Result<Response, CardError> {
    let pieces: Vec<&[u8]> = cmd.data.chunks(SHORT_MAX).collect();
    let last = pieces.len().saturating_sub(1);
    for (i, piece) in pieces.iter().enumerate() {
        let mut part = Command::new(cmd.cla, cmd.ins, cmd.p1, cmd.p2).with_data(piece);
        if i < last {
            part.cla |= 0x10;
            let response = transmit_parsed(t, &part, false)?;
            if !response.is_ok() {
                return Ok(response);
            }
        } else {
            part.le = cmd.le;
            return single(t, &part, false);
        }
    }
    // No data at all: nothing to chain.
    single(t, cmd, false)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Answers from a script and records what it was sent.
    struct Scripted {
        answers: Vec<Vec<u8>>,
        sent: Vec<Vec<u8>>,
    }
    impl Transport for Scripted {
        fn atr(&self) -> &[u8] {
            &[0x3B]
        }
        fn transmit(&mut self, apdu: &[u8]) -> Result<Vec<u8>, CardError> {
            self.sent.push(apdu.to_vec());
            if self.answers.is_empty() {
                return Err(CardError::CardRemoved);
            }
            Ok(self.answers.remove(0))
        }
    }
    fn script(answers: &[&[u8]]) -> Scripted {
        Scripted {
            answers: answers.iter().map(|a| a.to_vec()).collect(),
            sent: Vec::new(),
        }
    }

    #[test]
    fn get_response_collects_everything() {
        let mut t = script(&[&[1, 0x61, 0x02], &[2, 3, 0x61, 0x00], &[4, 0x90, 0x00]]);
        let r = exchange(
            &mut t,
            &Command::new(0, 0x88, 0, 0).with_data(&[9]),
            LongCommands::Chaining,
        )
        .unwrap();
        assert_eq!(r.data, [1, 2, 3, 4]);
        assert!(r.is_ok());
        assert_eq!(t.sent[1], [0x00, 0xC0, 0x00, 0x00, 0x02]);
        assert_eq!(t.sent[2], [0x00, 0xC0, 0x00, 0x00, 0x00]);
    }

    #[test]
    fn wrong_le_is_retried_with_the_cards_value() {
        let mut t = script(&[&[0x6C, 0x0C], &[7; 14]]);
        let mut last = vec![7; 12];
        last.extend_from_slice(&[0x90, 0x00]);
        t.answers[1] = last;
        let r = exchange(
            &mut t,
            &Command::new(0, 0xB0, 0x81, 0).with_le(256),
            LongCommands::Chaining,
        )
        .unwrap();
        assert_eq!(r.data.len(), 12);
        assert_eq!(t.sent[1], [0x00, 0xB0, 0x81, 0x00, 0x0C]);
    }

    #[test]
    fn a_card_stuck_on_6c_is_an_error_not_a_loop() {
        let mut t = script(&[&[0x6C, 0x0C], &[0x6C, 0x0C], &[0x6C, 0x0C]]);
        assert!(exchange(
            &mut t,
            &Command::new(0, 0xB0, 0, 0).with_le(1),
            LongCommands::Chaining
        )
        .is_err());
        assert_eq!(t.sent.len(), 2);
    }

    #[test]
    fn endless_61xx_is_refused() {
        let mut t = script(&[]);
        t.answers = vec![vec![0x61, 0x01]; MAX_GET_RESPONSE + 2];
        assert!(matches!(
            exchange(
                &mut t,
                &Command::new(0, 0xB0, 0, 0).with_le(1),
                LongCommands::Chaining
            ),
            Err(CardError::Malformed(_))
        ));
    }

    #[test]
    fn long_data_is_chained_with_le_on_the_last_piece() {
        let mut t = script(&[&[0x90, 0x00], &[5, 0x90, 0x00]]);
        let cmd = Command::new(0x00, 0x2A, 0x80, 0x86)
            .with_data(&[0xAA; 257])
            .with_le(256);
        let r = exchange(&mut t, &cmd, LongCommands::Chaining).unwrap();
        assert_eq!(r.data, [5]);
        assert_eq!(&t.sent[0][..5], [0x10, 0x2A, 0x80, 0x86, 0xFF]);
        assert_eq!(t.sent[0].len(), 5 + 255);
        assert_eq!(t.sent[1], [0x00, 0x2A, 0x80, 0x86, 0x02, 0xAA, 0xAA, 0x00]);
    }

    #[test]
    fn chaining_stops_at_the_first_refusal() {
        let mut t = script(&[&[0x68, 0x84]]);
        let cmd = Command::new(0x00, 0x2A, 0x80, 0x86).with_data(&[0xAA; 600]);
        let r = exchange(&mut t, &cmd, LongCommands::Chaining).unwrap();
        assert_eq!(r.sw, 0x6884);
        assert_eq!(t.sent.len(), 1);
    }

    #[test]
    fn extended_when_the_profile_says_so() {
        let mut t = script(&[&[0x90, 0x00]]);
        let cmd = Command::new(0x00, 0x2A, 0x9E, 0x9A)
            .with_data(&[1; 256])
            .with_le(256);
        exchange(&mut t, &cmd, LongCommands::Extended).unwrap();
        assert_eq!(t.sent.len(), 1);
        assert_eq!(&t.sent[0][4..7], [0x00, 0x01, 0x00]);
    }

    #[test]
    fn removal_is_reported_not_hidden() {
        let mut t = script(&[&[0x61, 0x10]]);
        assert_eq!(
            exchange(
                &mut t,
                &Command::new(0, 0xB0, 0, 0).with_le(16),
                LongCommands::Chaining
            ),
            Err(CardError::CardRemoved)
        );
    }
}
