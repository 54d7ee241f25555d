//! A CNS / TS-CNS card (docs/cards.md §1): the real file system, PIN and PUK with counters,
//! and the authentication key used through MSE + PSO (sign or decipher), raw RSA on the card.

use rsa::traits::PublicKeyParts;

use super::apdu::{sw, Command, Response};
use super::card::CardModel;
use super::fs::FileSystem;
use super::material::CardMaterial;
use super::pin::PinCounter;
use super::rsa_key::raw_private;

/// Infocamere CNS, RSA-2048 (mask maker 09 = STIncard: PIN reference 0x90).
pub const ATR_INFOCAMERE_2048: &[u8] = &[
    0x3B, 0xFF, 0x18, 0x00, 0xFF, 0x81, 0x31, 0xFE, 0x55, 0x00, 0x6B, 0x02, 0x09, 0x02, 0x00, 0x01,
    0x11, 0x01, 0x43, 0x4E, 0x53, 0x11, 0x31, 0x80, 0x8E,
];
/// CNS Sardegna / Emilia-Romagna, RSA-1024 (mask maker 05: PIN reference 0x10).
pub const ATR_SARDEGNA_1024: &[u8] = &[
    0x3B, 0xFF, 0x18, 0x00, 0x00, 0x81, 0x31, 0xFE, 0x45, 0x00, 0x6B, 0x04, 0x05, 0x01, 0x00, 0x01,
    0x21, 0x01, 0x43, 0x4E, 0x53, 0x10, 0x31, 0x80, 0x59,
];

/// Authentication key reference (cards.md: key 0x01).
const AUTH_KEY: u8 = 0x01;

#[derive(Debug, Clone)]
pub struct CnsOptions {
    pub atr: Vec<u8>,
    pub pin: String,
    pub puk: String,
    /// VERIFY reference of the PIN (0x10, or 0x90 on STIncard masks); the PUK is the next.
    pub pin_reference: u8,
    pub pin_tries: u8,
    pub puk_tries: u8,
    /// Answer a VERIFY without data with `63Cx`. Real CNS cards cannot report remaining
    /// tries (cards.md §1), so by default such a VERIFY is refused with 6700.
    pub reports_tries_left: bool,
    /// Return response data through 61xx / GET RESPONSE (T=0 readers) instead of directly.
    pub get_response: bool,
}

impl CnsOptions {
    /// Options that fit the material: the 2048-bit Infocamere ATR (reference 0x90) or the
    /// 1024-bit Sardegna ATR (reference 0x10), PIN 12345678, PUK 87654321, 3 and 10 tries.
    pub fn for_material(material: &CardMaterial) -> CnsOptions {
        let (atr, pin_reference) = if material.key.size() > 128 {
            (ATR_INFOCAMERE_2048, 0x90)
        } else {
            (ATR_SARDEGNA_1024, 0x10)
        };
        CnsOptions {
            atr: atr.to_vec(),
            pin: "12345678".into(),
            puk: "87654321".into(),
            pin_reference,
            pin_tries: 3,
            puk_tries: 10,
            reports_tries_left: false,
            get_response: false,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Operation {
    Sign,
    Decipher,
}

pub struct CnsModel {
    options: CnsOptions,
    material: CardMaterial,
    fs: FileSystem,
    pin: PinCounter,
    puk: PinCounter,
    pin_verified: bool,
    operation: Option<Operation>,
    /// ISO chaining in progress: (INS, P1, P2, data so far).
    chain: Option<(u8, u8, u8, Vec<u8>)>,
}

impl CnsModel {
    pub fn new(material: CardMaterial, options: CnsOptions) -> CnsModel {
        let mut fs = FileSystem::new(255);
        fs.add_df(&[0x1000], None);
        fs.add_ef(
            &[0x1000, 0x1003],
            material.id_carta.as_bytes().to_vec(),
            None,
        );
        fs.add_df(&[0x1100], None);
        fs.add_ef(&[0x1100, 0x1101], material.cert_der.clone(), None);
        fs.add_ef(&[0x1100, 0x1102], material.dati_personali.clone(), None);
        CnsModel {
            pin: PinCounter::new(&options.pin, 8, options.pin_tries),
            puk: PinCounter::new(&options.puk, 8, options.puk_tries),
            options,
            material,
            fs,
            pin_verified: false,
            operation: None,
            chain: None,
        }
    }

    fn verify(&mut self, cmd: &Command) -> Response {
        if cmd.p1 != 0 {
            return Response::status(sw::INCORRECT_P1P2);
        }
        let is_pin = cmd.p2 == self.options.pin_reference;
        let counter = if is_pin {
            &mut self.pin
        } else if cmd.p2 == self.options.pin_reference + 1 {
            &mut self.puk
        } else {
            return Response::status(sw::REFERENCED_DATA_NOT_FOUND);
        };
        if cmd.data.is_empty() {
            if !self.options.reports_tries_left {
                return Response::status(sw::WRONG_LENGTH);
            }
            return match counter.tries_left() {
                0 => Response::status(sw::AUTH_METHOD_BLOCKED),
                _ if is_pin && self.pin_verified => Response::status(sw::OK),
                n => Response::status(sw::tries_left(n)),
            };
        }
        match counter.verify(&cmd.data) {
            Ok(()) => {
                if is_pin {
                    self.pin_verified = true;
                }
                Response::status(sw::OK)
            }
            Err(status) => {
                if is_pin {
                    self.pin_verified = false;
                }
                Response::status(status)
            }
        }
    }

    /// RESET RETRY COUNTER: P1=00 PUK ‖ new PIN, P1=01 PUK only.
    fn reset_retry_counter(&mut self, cmd: &Command) -> Response {
        if cmd.p2 != self.options.pin_reference {
            return Response::status(sw::REFERENCED_DATA_NOT_FOUND);
        }
        let puk_len = self.puk.stored_len();
        let (puk, new_pin) = match cmd.p1 {
            0x00 if cmd.data.len() == puk_len + self.pin.stored_len() => {
                (&cmd.data[..puk_len], Some(&cmd.data[puk_len..]))
            }
            0x01 if cmd.data.len() == puk_len => (&cmd.data[..], None),
            0x00 | 0x01 => return Response::status(sw::WRONG_LENGTH),
            _ => return Response::status(sw::INCORRECT_P1P2),
        };
        if let Err(status) = self.puk.verify(puk) {
            return Response::status(status);
        }
        match new_pin {
            Some(block) => self.pin.replace(block),
            None => self.pin.unblock(),
        }
        Response::status(sw::OK)
    }

    fn manage_security_environment(&mut self, cmd: &Command) -> Response {
        match (cmd.p1, cmd.p2) {
            // RESTORE SE 03; OpenSC sends it with a trailing 00 the card tolerates.
            (0xF3, 0x03) => {
                self.operation = None;
                Response::status(sw::OK)
            }
            (0xF3, _) => Response::status(sw::REFERENCED_DATA_NOT_FOUND),
            (0xF1, 0xB6 | 0xB8) => {
                if cmd.data != [0x83, 0x01, AUTH_KEY] {
                    return Response::status(sw::REFERENCED_DATA_NOT_FOUND);
                }
                self.operation = Some(if cmd.p2 == 0xB6 {
                    Operation::Sign
                } else {
                    Operation::Decipher
                });
                Response::status(sw::OK)
            }
            _ => Response::status(sw::INCORRECT_P1P2),
        }
    }

    fn perform_security_operation(&mut self, cmd: &Command) -> Response {
        let wanted = match (cmd.p1, cmd.p2) {
            (0x9E, 0x9A) => Operation::Sign,
            (0x80, 0x86) => Operation::Decipher,
            _ => return Response::status(sw::INCORRECT_P1P2),
        };
        if !self.pin_verified {
            return Response::status(sw::SECURITY_STATUS_NOT_SATISFIED);
        }
        if self.operation != Some(wanted) {
            return Response::status(sw::CONDITIONS_NOT_SATISFIED);
        }
        let block = match wanted {
            Operation::Sign => &cmd.data[..],
            // Padding indicator byte 00, then the cryptogram.
            Operation::Decipher => match cmd.data.split_first() {
                Some((0x00, rest)) => rest,
                _ => return Response::status(sw::WRONG_DATA),
            },
        };
        match raw_private(&self.material.key, block) {
            Ok(out) => Response::ok(out),
            Err(status) => Response::status(status),
        }
    }

    fn dispatch(&mut self, cmd: &Command) -> Response {
        match cmd.ins {
            0xA4 => self.fs.select(cmd),
            0xB0 => self.fs.read_binary(cmd),
            0x20 => self.verify(cmd),
            0x2C => self.reset_retry_counter(cmd),
            0x22 => self.manage_security_environment(cmd),
            0x2A => self.perform_security_operation(cmd),
            _ => Response::status(sw::INS_NOT_SUPPORTED),
        }
    }
}

impl CardModel for CnsModel {
    fn atr(&self) -> Vec<u8> {
        self.options.atr.clone()
    }

    fn reset(&mut self) {
        self.pin_verified = false;
        self.operation = None;
        self.chain = None;
        self.fs.reset();
    }

    fn process(&mut self, cmd: &Command) -> Response {
        if cmd.cla & !0x10 != 0 {
            return Response::status(sw::CLA_NOT_SUPPORTED);
        }
        if cmd.is_chained() {
            if cmd.ins != 0x2A {
                return Response::status(sw::CLA_FUNCTION_NOT_SUPPORTED);
            }
            match &mut self.chain {
                Some((ins, p1, p2, data)) if (*ins, *p1, *p2) == (cmd.ins, cmd.p1, cmd.p2) => {
                    data.extend_from_slice(&cmd.data)
                }
                _ => self.chain = Some((cmd.ins, cmd.p1, cmd.p2, cmd.data.clone())),
            }
            return Response::status(sw::OK);
        }
        match self.chain.take() {
            Some((ins, p1, p2, mut data)) if (ins, p1, p2) == (cmd.ins, cmd.p1, cmd.p2) => {
                data.extend_from_slice(&cmd.data);
                let whole = Command {
                    data,
                    ..cmd.clone()
                };
                self.dispatch(&whole)
            }
            _ => self.dispatch(cmd),
        }
    }

    fn pin_tries_left(&self) -> Option<u8> {
        Some(self.pin.tries_left())
    }

    fn puk_tries_left(&self) -> Option<u8> {
        Some(self.puk.tries_left())
    }

    fn uses_get_response(&self) -> bool {
        self.options.get_response
    }
}
