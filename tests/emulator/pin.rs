//! A PIN (or PUK) with its retry counter, as the card's operating system keeps it.

use super::apdu::sw;

#[derive(Debug, Clone)]
pub struct PinCounter {
    /// The reference value as stored: ASCII digits padded with FF to `stored_len`.
    value: Vec<u8>,
    max_tries: u8,
    tries_left: u8,
}

impl PinCounter {
    pub fn new(pin: &str, stored_len: usize, max_tries: u8) -> PinCounter {
        PinCounter {
            value: pad(pin.as_bytes(), stored_len),
            max_tries,
            tries_left: max_tries,
        }
    }

    pub fn tries_left(&self) -> u8 {
        self.tries_left
    }

    pub fn is_blocked(&self) -> bool {
        self.tries_left == 0
    }

    /// Checks a candidate block; every wrong one costs a try and a blocked PIN refuses
    /// even the right value (6983), as cards do.
    pub fn verify(&mut self, candidate: &[u8]) -> Result<(), u16> {
        if self.is_blocked() {
            return Err(sw::AUTH_METHOD_BLOCKED);
        }
        if candidate.len() != self.value.len() {
            return Err(sw::WRONG_LENGTH);
        }
        if candidate == self.value.as_slice() {
            self.tries_left = self.max_tries;
            Ok(())
        } else {
            self.tries_left -= 1;
            Err(sw::tries_left(self.tries_left))
        }
    }

    /// A new value and a full counter (RESET RETRY COUNTER after a correct PUK).
    pub fn replace(&mut self, new_block: &[u8]) {
        self.value = new_block.to_vec();
        self.tries_left = self.max_tries;
    }

    pub fn unblock(&mut self) {
        self.tries_left = self.max_tries;
    }

    pub fn stored_len(&self) -> usize {
        self.value.len()
    }
}

/// ASCII PIN padded with FF, the CNS format.
pub fn pad(pin: &[u8], len: usize) -> Vec<u8> {
    let mut out = pin.to_vec();
    out.resize(len.max(pin.len()), 0xFF);
    out
}
