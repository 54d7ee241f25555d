//! The PIN as typed at the desk: zeroized when dropped or cleared, never printed or logged.

use zeroize::{Zeroize, Zeroizing};

/// Longest PIN the desk accepts (CNS and CIE PINs are 5–8 digits).
const MAX_LEN: usize = 16;

#[derive(Default)]
pub struct PinBuffer(Zeroizing<String>);

impl PinBuffer {
    pub fn new() -> Self {
        // Capacity up front: a growing String would leave copies of the digits behind.
        PinBuffer(Zeroizing::new(String::with_capacity(MAX_LEN)))
    }

    /// Adds a digit; anything else is ignored (PINs are digits).
    pub fn push(&mut self, c: char) {
        if c.is_ascii_digit() && self.0.len() < MAX_LEN {
            self.0.push(c);
        }
    }

    pub fn pop(&mut self) {
        if let Some(c) = self.0.pop() {
            let mut c = c;
            c.zeroize();
        }
    }

    pub fn clear(&mut self) {
        self.0.zeroize();
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The digits, for the card call only.
    pub fn expose(&self) -> &str {
        &self.0
    }

    /// A zeroizing copy for the card thread (the screen keeps its own until the outcome).
    pub fn duplicate(&self) -> PinBuffer {
        let mut copy = PinBuffer::new();
        for c in self.0.chars() {
            copy.push(c);
        }
        copy
    }
}

impl std::fmt::Debug for PinBuffer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "PinBuffer(<{} digits>)", self.0.len())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_never_shows_digits_and_only_digits_are_kept() {
        let mut pin = PinBuffer::new();
        for c in "12a3?4".chars() {
            pin.push(c);
        }
        assert_eq!(pin.expose(), "1234");
        assert_eq!(format!("{pin:?}"), "PinBuffer(<4 digits>)");
        pin.pop();
        assert_eq!(pin.len(), 3);
        pin.clear();
        assert!(pin.is_empty());
    }
}
