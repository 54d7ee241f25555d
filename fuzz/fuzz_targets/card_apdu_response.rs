//! Response APDUs and the exchange rules (61xx, 6Cxx, chaining) against a card answering
//! arbitrary bytes: never a panic, never an endless loop.
#![no_main]

use libfuzzer_sys::fuzz_target;
use sportello::card::apdu::{Command, Response};
use sportello::card::{exchange, CardError, LongCommands, Transport};

/// Answers come from the fuzzer input, split at 0xFF 0xFE markers.
struct Fuzzed<'a> {
    answers: std::vec::IntoIter<&'a [u8]>,
}

impl Transport for Fuzzed<'_> {
    fn atr(&self) -> &[u8] {
        &[0x3B]
    }
    fn transmit(&mut self, _apdu: &[u8]) -> Result<Vec<u8>, CardError> {
        self.answers
            .next()
            .map(<[u8]>::to_vec)
            .ok_or(CardError::CardRemoved)
    }
}

fuzz_target!(|data: &[u8]| {
    let _ = Response::parse(data);
    let answers: Vec<&[u8]> = data.split(|b| *b == 0xFE).collect();
    let mut card = Fuzzed {
        answers: answers.into_iter(),
    };
    let long = Command::new(0x00, 0x2A, 0x80, 0x86)
        .with_data(&[0u8; 300])
        .with_le(256);
    let _ = exchange(&mut card, &long, LongCommands::Chaining);
    let _ = exchange(
        &mut card,
        &Command::new(0x00, 0xB0, 0, 0).with_le(256),
        LongCommands::Extended,
    );
    let _ = sportello::card::files::read_selected(&mut card, 255);
    let _ = sportello::card::sod::parse_sod(data);
});
