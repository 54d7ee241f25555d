//! A CIE 3.0 as seen without PIN (cards.md §2): IAS and CIE applications, NIS by SFI,
//! EF 1005 (internal-auth public key), EF 1006 (SOD), and INTERNAL AUTHENTICATE with the
//! card doing PKCS#1 v1.5 padding. The PIN side needs secure messaging and is not emulated.

use super::apdu::{sw, Command, Response};
use super::card::CardModel;
use super::cie_material::CieMaterial;
use super::fs::FileSystem;
use super::rsa_key::sign_pkcs1_type1;

/// CIE 3.0, STMicroelectronics chip.
pub const ATR_CIE_STM: &[u8] = &[
    0x3B, 0x8B, 0x80, 0x01, 0x80, 0x66, 0x47, 0x50, 0x00, 0xB8, 0x00, 0x94, 0x82, 0x90, 0x00, 0xC5,
];
pub const IAS_AID: &[u8] = &[
    0xA0, 0x00, 0x00, 0x00, 0x30, 0x80, 0x00, 0x00, 0x00, 0x09, 0x81, 0x60, 0x01,
];
pub const CIE_AID: &[u8] = &[0xA0, 0x00, 0x00, 0x00, 0x00, 0x39];

/// DF of the CIE application under the IAS one (its FID is not used by readers: they
/// select it by AID).
const CIE_DF: [u16; 2] = [0x1100, 0x1200];

pub struct CieModel {
    atr: Vec<u8>,
    material: CieMaterial,
    fs: FileSystem,
    internal_auth_ready: bool,
}

impl CieModel {
    pub fn new(material: CieMaterial) -> CieModel {
        let mut fs = FileSystem::new(256);
        fs.add_df(&CIE_DF[..1], Some(IAS_AID));
        fs.add_df(&CIE_DF, Some(CIE_AID));
        let ef = |fid: u16| [CIE_DF[0], CIE_DF[1], fid];
        fs.add_ef(&ef(0x1001), material.nis.as_bytes().to_vec(), Some(1));
        fs.add_ef(&ef(0x1005), material.public_key_der.clone(), Some(5));
        fs.add_ef(&ef(0x1006), material.sod.clone(), Some(6));
        CieModel {
            atr: ATR_CIE_STM.to_vec(),
            material,
            fs,
            internal_auth_ready: false,
        }
    }

    pub fn with_atr(mut self, atr: &[u8]) -> CieModel {
        self.atr = atr.to_vec();
        self
    }
}

impl CardModel for CieModel {
    fn atr(&self) -> Vec<u8> {
        self.atr.clone()
    }

    fn reset(&mut self) {
        self.internal_auth_ready = false;
        self.fs.reset();
    }

    fn process(&mut self, cmd: &Command) -> Response {
        if cmd.cla != 0x00 {
            return Response::status(sw::CLA_NOT_SUPPORTED);
        }
        match cmd.ins {
            0xA4 => self.fs.select(cmd),
            0xB0 => self.fs.read_binary(cmd),
            0x22 => {
                // MSE SET for internal authentication: algorithm 02, key 83.
                let ok = (cmd.p1, cmd.p2) == (0x41, 0xA4)
                    && cmd.data == [0x80, 0x01, 0x02, 0x84, 0x01, 0x83];
                self.internal_auth_ready = ok;
                Response::status(if ok {
                    sw::OK
                } else {
                    sw::REFERENCED_DATA_NOT_FOUND
                })
            }
            0x88 => {
                if !self.internal_auth_ready {
                    return Response::status(sw::CONDITIONS_NOT_SATISFIED);
                }
                if cmd.data.is_empty() {
                    return Response::status(sw::WRONG_LENGTH);
                }
                match sign_pkcs1_type1(&self.material.key, &cmd.data) {
                    Ok(signature) => Response::ok(signature),
                    Err(status) => Response::status(status),
                }
            }
            _ => Response::status(sw::INS_NOT_SUPPORTED),
        }
    }
}
