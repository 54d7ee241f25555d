//! In-process cards for the driver's unit tests: a CNS and a CIE that answer APDUs the way
//! cards.md describes, over test material made with the openssl command line (marked
//! "NON VALIDA"). The vpcd emulator of the integration tests plays the same part through
//! the real pcscd.

use std::collections::HashMap;
use std::path::Path;
use std::process::Command as Process;
use std::sync::OnceLock;

use der::{Decode, Encode};
use rsa::pkcs1::DecodeRsaPrivateKey;
use rsa::traits::PublicKeyParts;
use rsa::{BoxedUint, RsaPrivateKey};
use x509_cert::Certificate;

use super::error::CardError;
use super::personal_data::PersonalData;
use super::transport::Transport;
use crate::crypto::algorithms::DigestAlgorithm;
use crate::crypto::digest::digest;
use crate::trust::anchors::{Anchor, TrustStore};

pub const CF: &str = "RSSMRA80A01H501U";
pub const SERIAL: &str = "1234567890123456";
pub const NIS: &str = "123456789012";
pub const PIN: &str = "12345678";
pub const CNS_ATR: &str =
    "3B FF 18 00 00 81 31 FE 45 00 6B 04 05 01 00 01 21 01 43 4E 53 10 31 80 59";
pub const CIE_ATR: &str = "3B 8B 80 01 80 66 47 50 00 B8 00 94 82 90 00 C5";

/// Never called: raw RSA in tests runs without blinding.
struct NoRng;
impl rsa::rand_core::TryRng for NoRng {
    type Error = std::convert::Infallible;
    fn try_next_u32(&mut self) -> Result<u32, Self::Error> {
        Ok(4)
    }
    fn try_next_u64(&mut self) -> Result<u64, Self::Error> {
        Ok(4)
    }
    fn try_fill_bytes(&mut self, dst: &mut [u8]) -> Result<(), Self::Error> {
        dst.fill(4);
        Ok(())
    }
}
impl rsa::rand_core::TryCryptoRng for NoRng {}

/// The RSA private operation on a block of the modulus length.
pub fn rsa_private(key: &RsaPrivateKey, block: &[u8]) -> Vec<u8> {
    let k = key.size();
    let precision = key.n().as_ref().bits_precision();
    let c = BoxedUint::from_be_slice(block, precision).expect("block fits");
    let m = rsa::hazmat::rsa_decrypt(None::<&mut NoRng>, key, &c).expect("raw RSA");
    let bytes = m.to_be_bytes();
    let mut out = vec![0u8; k.saturating_sub(bytes.len())];
    out.extend_from_slice(&bytes[bytes.len().saturating_sub(k)..]);
    out
}

/// PKCS#1 v1.5 type 1 around `data` itself (what a chip's INTERNAL AUTHENTICATE returns).
pub fn sign_unhashed(key: &RsaPrivateKey, data: &[u8]) -> Vec<u8> {
    let k = key.size();
    let mut block = vec![0x00, 0x01];
    block.extend(std::iter::repeat_n(0xFF, k - data.len() - 3));
    block.push(0);
    block.extend_from_slice(data);
    rsa_private(key, &block)
}

pub fn sign_sha256(key: &RsaPrivateKey, data: &[u8]) -> Vec<u8> {
    let d: [u8; 32] = digest(DigestAlgorithm::Sha256, data).try_into().unwrap();
    rsa_private(
        key,
        &super::cns::pkcs1_block_sha256(&d, key.size()).unwrap(),
    )
}

pub struct Material {
    pub ca: TrustStore,
    pub other_ca: TrustStore,
    pub holder_key: RsaPrivateKey,
    pub holder_cert: Vec<u8>,
    /// Same key, another CF in the certificate.
    pub other_cf_cert: Vec<u8>,
    /// Same key and CF, issued by the untrusted CA.
    pub rogue_cert: Vec<u8>,
    pub csca: TrustStore,
    pub ds_key: RsaPrivateKey,
    pub ds_cert: Vec<u8>,
    pub chip_key: RsaPrivateKey,
    /// EF 1005: PKCS#1 RSAPublicKey.
    pub chip_public: Vec<u8>,
    pub other_chip_key: RsaPrivateKey,
}

fn openssl(dir: &Path, args: &[&str]) {
    let out = Process::new("openssl")
        .args(args)
        .current_dir(dir)
        .output()
        .expect("the openssl command line tool is needed by these tests");
    assert!(
        out.status.success(),
        "openssl {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

fn pem_to_der(dir: &Path, pem: &str) -> Vec<u8> {
    let der = format!("{pem}.der");
    openssl(dir, &["x509", "-in", pem, "-outform", "DER", "-out", &der]);
    std::fs::read(dir.join(der)).unwrap()
}

fn key(dir: &Path, name: &str, bits: &str) -> RsaPrivateKey {
    openssl(dir, &["genrsa", "-out", name, bits]);
    let der = format!("{name}.der");
    openssl(
        dir,
        &[
            "rsa",
            "-in",
            name,
            "-traditional",
            "-outform",
            "DER",
            "-out",
            &der,
        ],
    );
    RsaPrivateKey::from_pkcs1_der(&std::fs::read(dir.join(der)).unwrap()).unwrap()
}

fn ca(dir: &Path, name: &str, subject: &str) {
    key(dir, &format!("{name}.key"), "2048");
    openssl(
        dir,
        &[
            "req",
            "-x509",
            "-new",
            "-key",
            &format!("{name}.key"),
            "-out",
            &format!("{name}.pem"),
            "-days",
            "3650",
            "-subj",
            subject,
            "-addext",
            "basicConstraints=critical,CA:true",
            "-addext",
            "keyUsage=critical,keyCertSign,cRLSign",
        ],
    );
}

fn issue(dir: &Path, ca: &str, key: &str, out: &str, subject: &str, usage: &str) -> Vec<u8> {
    let csr = format!("{out}.csr");
    openssl(
        dir,
        &["req", "-new", "-key", key, "-out", &csr, "-subj", subject],
    );
    let ext = format!("{out}.ext");
    std::fs::write(
        dir.join(&ext),
        format!("keyUsage=critical,{usage}\nbasicConstraints=CA:false\n"),
    )
    .unwrap();
    openssl(
        dir,
        &[
            "x509",
            "-req",
            "-in",
            &csr,
            "-CA",
            &format!("{ca}.pem"),
            "-CAkey",
            &format!("{ca}.key"),
            "-CAcreateserial",
            "-days",
            "1000",
            "-out",
            &format!("{out}.pem"),
            "-extfile",
            &ext,
        ],
    );
    pem_to_der(dir, &format!("{out}.pem"))
}

fn store(der: Vec<u8>) -> TrustStore {
    TrustStore {
        anchors: vec![Anchor {
            cert: Certificate::from_der(&der).unwrap(),
            der,
            source: "test".into(),
            granted: Vec::new(),
            service: None,
        }],
        timestamp_anchors: Vec::new(),
    }
}

pub fn material() -> &'static Material {
    static M: OnceLock<Material> = OnceLock::new();
    M.get_or_init(|| {
        let tmp = tempfile::tempdir().unwrap();
        let d = tmp.path();
        ca(d, "ca", "/CN=SPORTELLO TEST CA - NON VALIDA/O=Test");
        ca(d, "other", "/CN=ALTRA CA DI TEST - NON VALIDA/O=Test");
        ca(d, "csca", "/CN=CSCA TEST - NON VALIDA/C=IT");
        let holder_key = key(d, "holder.key", "2048");
        let subject =
            |cf: &str| format!("/CN={cf}\\/{SERIAL}.dGVzdA==/serialNumber=TINIT-{cf}/C=IT");
        let usage = "digitalSignature,keyEncipherment";
        let holder_cert = issue(d, "ca", "holder.key", "holder", &subject(CF), usage);
        let other_cf_cert = issue(
            d,
            "ca",
            "holder.key",
            "othercf",
            &subject("VRDLGU80A01H501Z"),
            usage,
        );
        let rogue_cert = issue(d, "other", "holder.key", "rogue", &subject(CF), usage);
        let ds_key = key(d, "ds.key", "2048");
        let ds_cert = issue(
            d,
            "csca",
            "ds.key",
            "ds",
            "/CN=DOCUMENT SIGNER TEST - NON VALIDO/C=IT",
            "digitalSignature",
        );
        let chip_key = key(d, "chip.key", "1024");
        openssl(
            d,
            &[
                "rsa",
                "-in",
                "chip.key",
                "-RSAPublicKey_out",
                "-outform",
                "DER",
                "-out",
                "chip.pub",
            ],
        );
        let chip_public = std::fs::read(d.join("chip.pub")).unwrap();
        Material {
            ca: store(pem_to_der(d, "ca.pem")),
            other_ca: store(pem_to_der(d, "other.pem")),
            holder_key,
            holder_cert,
            other_cf_cert,
            rogue_cert,
            csca: store(pem_to_der(d, "csca.pem")),
            ds_key,
            ds_cert,
            chip_key,
            chip_public,
            other_chip_key: key(d, "chip2.key", "1024"),
        }
    })
}

/// A parsed command APDU (short or extended).
struct Apdu {
    cla: u8,
    ins: u8,
    p1: u8,
    p2: u8,
    data: Vec<u8>,
    le: Option<usize>,
}

fn parse(apdu: &[u8]) -> Option<Apdu> {
    let (h, body) = apdu.split_at_checked(4)?;
    let (data, le) = match body.len() {
        0 => (Vec::new(), None),
        1 => (
            Vec::new(),
            Some(if body[0] == 0 { 256 } else { body[0] as usize }),
        ),
        _ if body[0] != 0 => {
            let lc = body[0] as usize;
            let data = body.get(1..1 + lc)?.to_vec();
            let le = body
                .get(1 + lc)
                .map(|b| if *b == 0 { 256 } else { *b as usize });
            (data, le)
        }
        3 => (
            Vec::new(),
            Some(u16::from_be_bytes([body[1], body[2]]) as usize),
        ),
        _ => {
            let lc = u16::from_be_bytes([body[1], body[2]]) as usize;
            let data = body.get(3..3 + lc)?.to_vec();
            let le = body
                .get(3 + lc..5 + lc)
                .map(|b| u16::from_be_bytes([b[0], b[1]]) as usize);
            (data, le)
        }
    };
    Some(Apdu {
        cla: h[0],
        ins: h[1],
        p1: h[2],
        p2: h[3],
        data,
        le,
    })
}

fn sw(data: Vec<u8>, sw: u16) -> Vec<u8> {
    let mut out = data;
    out.extend_from_slice(&sw.to_be_bytes());
    out
}

fn read_binary(content: &[u8], offset: usize, le: usize) -> Vec<u8> {
    if offset >= content.len() {
        return sw(Vec::new(), 0x6B00);
    }
    let end = (offset + le).min(content.len());
    let piece = content[offset..end].to_vec();
    if piece.len() < le {
        sw(piece, 0x6282)
    } else {
        sw(piece, 0x9000)
    }
}

/// The in-process CNS.
pub struct SimCns {
    pub atr: Vec<u8>,
    pub files: HashMap<Vec<u16>, Vec<u8>>,
    selected: Option<Vec<u16>>,
    pub pin: Vec<u8>,
    pub pin_reference: u8,
    pub tries: u8,
    /// Does VERIFY without data report the tries left (63Cx)?
    pub reports_tries: bool,
    verified: bool,
    pub key: RsaPrivateKey,
    se: Option<u8>,
    chain: Vec<u8>,
    /// Every APDU received, in order.
    pub log: Vec<Vec<u8>>,
    /// The card vanishes when this many APDUs have been answered.
    pub remove_after: Option<usize>,
}

impl SimCns {
    pub fn new() -> SimCns {
        SimCns::with_certificate(material().holder_cert.clone())
    }

    pub fn with_certificate(cert: Vec<u8>) -> SimCns {
        let m = material();
        let mut cert_file = cert;
        // Real cards keep the certificate in a larger, zero-padded file.
        cert_file.extend_from_slice(&[0u8; 300]);
        let personal = PersonalData {
            issuer: "TESTREG".into(),
            surname: "ROSSI".into(),
            name: "MARIO".into(),
            codice_fiscale: CF.into(),
            ..PersonalData::default()
        };
        let mut files = HashMap::new();
        files.insert(vec![0x1000, 0x1003], SERIAL.as_bytes().to_vec());
        files.insert(vec![0x1100, 0x1101], cert_file);
        files.insert(vec![0x1100, 0x1102], personal.encode());
        let mut pin = PIN.as_bytes().to_vec();
        pin.resize(8, 0xFF);
        SimCns {
            atr: super::parse_hex(CNS_ATR).unwrap(),
            files,
            selected: None,
            pin,
            pin_reference: 0x10,
            tries: 3,
            reports_tries: true,
            verified: false,
            key: m.holder_key.clone(),
            se: None,
            chain: Vec::new(),
            log: Vec::new(),
            remove_after: None,
        }
    }

    pub fn set_personal_cf(&mut self, cf: &str) {
        let mut p = PersonalData::parse(&self.files[&vec![0x1100, 0x1102]]).unwrap();
        p.codice_fiscale = cf.into();
        self.files.insert(vec![0x1100, 0x1102], p.encode());
    }

    /// VERIFY commands that carried a PIN.
    pub fn pins_sent(&self) -> usize {
        self.log
            .iter()
            .filter(|a| a.get(1) == Some(&0x20) && a.len() > 5)
            .count()
    }

    fn answer(&mut self, a: Apdu) -> Vec<u8> {
        match (a.ins, a.p1, a.p2) {
            (0xA4, 0x08, _) => {
                let path: Vec<u16> = a
                    .data
                    .chunks(2)
                    .map(|c| u16::from_be_bytes([c[0], *c.get(1).unwrap_or(&0)]))
                    .collect();
                if self.files.contains_key(&path) {
                    self.selected = Some(path);
                    sw(Vec::new(), 0x9000)
                } else {
                    sw(Vec::new(), 0x6A82)
                }
            }
            (0xB0, hi, lo) => {
                let Some(content) = self.selected.as_ref().and_then(|p| self.files.get(p)) else {
                    return sw(Vec::new(), 0x6986);
                };
                read_binary(
                    content,
                    (hi as usize) << 8 | lo as usize,
                    a.le.unwrap_or(256),
                )
            }
            (0x20, 0x00, r) if r == self.pin_reference => {
                if self.tries == 0 {
                    return sw(Vec::new(), 0x6983);
                }
                if a.data.is_empty() {
                    return match (self.verified, self.reports_tries) {
                        (true, _) => sw(Vec::new(), 0x9000),
                        (false, true) => sw(Vec::new(), 0x63C0 | self.tries as u16),
                        (false, false) => sw(Vec::new(), 0x6A86),
                    };
                }
                if a.data == self.pin {
                    self.tries = 3;
                    self.verified = true;
                    sw(Vec::new(), 0x9000)
                } else {
                    self.tries -= 1;
                    self.verified = false;
                    if self.tries == 0 {
                        sw(Vec::new(), 0x6983)
                    } else {
                        sw(Vec::new(), 0x63C0 | self.tries as u16)
                    }
                }
            }
            (0x20, _, _) => sw(Vec::new(), 0x6A88),
            (0x22, 0xF3, 0x03) => sw(Vec::new(), 0x9000),
            (0x22, 0xF1, p2 @ (0xB6 | 0xB8)) if a.data == [0x83, 0x01, 0x01] => {
                self.se = Some(p2);
                sw(Vec::new(), 0x9000)
            }
            (0x2A, 0x9E, 0x9A) if self.se == Some(0xB6) => {
                self.chain.extend_from_slice(&a.data);
                if a.cla & 0x10 != 0 {
                    return sw(Vec::new(), 0x9000);
                }
                let all = std::mem::take(&mut self.chain);
                self.private_op(&all)
            }
            (0x2A, 0x80, 0x86) if self.se == Some(0xB8) => {
                self.chain.extend_from_slice(&a.data);
                if a.cla & 0x10 != 0 {
                    return sw(Vec::new(), 0x9000);
                }
                let all = std::mem::take(&mut self.chain);
                match all.split_first() {
                    Some((0x00, block)) => self.private_op(block),
                    _ => sw(Vec::new(), 0x6A80),
                }
            }
            (0x2A, _, _) => sw(Vec::new(), 0x6985),
            _ => sw(Vec::new(), 0x6D00),
        }
    }

    fn private_op(&mut self, block: &[u8]) -> Vec<u8> {
        if !self.verified {
            return sw(Vec::new(), 0x6982);
        }
        if block.len() != self.key.size() {
            return sw(Vec::new(), 0x6700);
        }
        sw(rsa_private(&self.key, block), 0x9000)
    }
}

impl Transport for SimCns {
    fn atr(&self) -> &[u8] {
        &self.atr
    }
    fn transmit(&mut self, apdu: &[u8]) -> Result<Vec<u8>, CardError> {
        if self.remove_after.is_some_and(|n| self.log.len() >= n) {
            self.verified = false;
            return Err(CardError::CardRemoved);
        }
        self.log.push(apdu.to_vec());
        match parse(apdu) {
            Some(a) => Ok(self.answer(a)),
            None => Ok(sw(Vec::new(), 0x6700)),
        }
    }
}

fn tlv(tag: &[u8], content: &[u8]) -> Vec<u8> {
    let mut out = tag.to_vec();
    let n = content.len();
    if n < 0x80 {
        out.push(n as u8);
    } else if n < 0x100 {
        out.extend_from_slice(&[0x81, n as u8]);
    } else {
        out.extend_from_slice(&[0x82, (n >> 8) as u8, n as u8]);
    }
    out.extend_from_slice(content);
    out
}

fn cat(parts: &[Vec<u8>]) -> Vec<u8> {
    parts.concat()
}

const OID_SHA256: [u8; 11] = [
    0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x01,
];
const OID_SHA256_RSA: [u8; 11] = [
    0x06, 0x09, 0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x01, 0x0B,
];
const OID_SIGNED_DATA: [u8; 11] = [
    0x06, 0x09, 0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x07, 0x02,
];
const OID_CONTENT_TYPE: [u8; 11] = [
    0x06, 0x09, 0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x09, 0x03,
];
const OID_MESSAGE_DIGEST: [u8; 11] = [
    0x06, 0x09, 0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x09, 0x04,
];
const OID_LDS: [u8; 8] = [0x06, 0x06, 0x67, 0x81, 0x08, 0x01, 0x01, 0x01];

/// EF 1006 over these files, signed by the test document signer.
pub fn build_sod(nis: &[u8], int_auth_key: &[u8]) -> Vec<u8> {
    let m = material();
    let sha = |d: &[u8]| digest(DigestAlgorithm::Sha256, d);
    let alg = tlv(&[0x30], &cat(&[OID_SHA256.to_vec(), vec![0x05, 0x00]]));
    let group = |n: u8, d: &[u8]| {
        tlv(
            &[0x30],
            &cat(&[vec![0x02, 0x02, 0x00, n], tlv(&[0x04], &sha(d))]),
        )
    };
    let lds = tlv(
        &[0x30],
        &cat(&[
            vec![0x02, 0x01, 0x00],
            alg.clone(),
            tlv(
                &[0x30],
                &cat(&[group(0xA1, nis), group(0xA5, int_auth_key)]),
            ),
        ]),
    );
    let attrs = cat(&[
        tlv(
            &[0x30],
            &cat(&[OID_CONTENT_TYPE.to_vec(), tlv(&[0x31], &OID_LDS)]),
        ),
        tlv(
            &[0x30],
            &cat(&[
                OID_MESSAGE_DIGEST.to_vec(),
                tlv(&[0x31], &tlv(&[0x04], &sha(&lds))),
            ]),
        ),
    ]);
    let signature = sign_sha256(&m.ds_key, &tlv(&[0x31], &attrs));
    let ds = Certificate::from_der(&m.ds_cert).unwrap();
    let issuer = ds.tbs_certificate().issuer().to_der().unwrap();
    let serial = ds.tbs_certificate().serial_number().as_bytes().to_vec();
    let signer_info = tlv(
        &[0x30],
        &cat(&[
            vec![0x02, 0x01, 0x01],
            tlv(&[0x30], &cat(&[issuer, tlv(&[0x02], &serial)])),
            alg.clone(),
            tlv(&[0xA0], &attrs),
            tlv(&[0x30], &cat(&[OID_SHA256_RSA.to_vec(), vec![0x05, 0x00]])),
            tlv(&[0x04], &signature),
        ]),
    );
    let signed_data = tlv(
        &[0x30],
        &cat(&[
            vec![0x02, 0x01, 0x03],
            tlv(&[0x31], &alg),
            tlv(
                &[0x30],
                &cat(&[OID_LDS.to_vec(), tlv(&[0xA0], &tlv(&[0x04], &lds))]),
            ),
            tlv(&[0xA0], &m.ds_cert),
            tlv(&[0x31], &signer_info),
        ]),
    );
    let content_info = tlv(
        &[0x30],
        &cat(&[OID_SIGNED_DATA.to_vec(), tlv(&[0xA0], &signed_data)]),
    );
    tlv(&[0x77], &content_info)
}

/// The in-process CIE 3.0.
pub struct SimCie {
    pub atr: Vec<u8>,
    pub nis: Vec<u8>,
    pub ef1005: Vec<u8>,
    pub sod: Vec<u8>,
    pub key: RsaPrivateKey,
    /// Answer INTERNAL AUTHENTICATE with 61xx and make the host GET RESPONSE.
    pub via_get_response: bool,
    pending: Vec<u8>,
    selected: u16,
    pub has_cie_application: bool,
    pub log: Vec<Vec<u8>>,
}

impl SimCie {
    pub fn new() -> SimCie {
        let m = material();
        SimCie {
            atr: super::parse_hex(CIE_ATR).unwrap(),
            nis: NIS.as_bytes().to_vec(),
            ef1005: m.chip_public.clone(),
            sod: build_sod(NIS.as_bytes(), &m.chip_public),
            key: m.chip_key.clone(),
            via_get_response: true,
            pending: Vec::new(),
            selected: 0,
            has_cie_application: true,
            log: Vec::new(),
        }
    }

    fn answer(&mut self, a: Apdu) -> Vec<u8> {
        match (a.ins, a.p1, a.p2) {
            (0xA4, 0x04, 0x0C) if a.data == super::cie::IAS_AID => sw(Vec::new(), 0x9000),
            (0xA4, 0x04, 0x0C) if a.data == super::cie::CIE_AID && self.has_cie_application => {
                sw(Vec::new(), 0x9000)
            }
            (0xA4, 0x04, _) => sw(Vec::new(), 0x6A82),
            (0xA4, 0x02, 0x04) => {
                self.selected = u16::from_be_bytes([a.data[0], a.data[1]]);
                sw(Vec::new(), 0x9000)
            }
            (0xB0, 0x81, 0x00) => read_binary(&self.nis.clone(), 0, a.le.unwrap_or(256)),
            (0xB0, hi, lo) if hi < 0x80 => {
                let content = match self.selected {
                    0x1005 => self.ef1005.clone(),
                    0x1006 => self.sod.clone(),
                    _ => return sw(Vec::new(), 0x6986),
                };
                read_binary(
                    &content,
                    (hi as usize) << 8 | lo as usize,
                    a.le.unwrap_or(256),
                )
            }
            (0x22, 0x41, 0xA4) => sw(Vec::new(), 0x9000),
            (0x88, 0x00, 0x00) => {
                let sig = sign_unhashed(&self.key, &a.data);
                if self.via_get_response {
                    self.pending = sig;
                    sw(Vec::new(), 0x6100 | (self.pending.len() % 256) as u16)
                } else {
                    sw(sig, 0x9000)
                }
            }
            (0xC0, _, _) => {
                let n = a.le.unwrap_or(256).min(self.pending.len());
                let piece: Vec<u8> = self.pending.drain(..n).collect();
                sw(piece, 0x9000)
            }
            _ => sw(Vec::new(), 0x6D00),
        }
    }
}

impl Transport for SimCie {
    fn atr(&self) -> &[u8] {
        &self.atr
    }
    fn transmit(&mut self, apdu: &[u8]) -> Result<Vec<u8>, CardError> {
        self.log.push(apdu.to_vec());
        Ok(parse(apdu).map_or_else(|| sw(Vec::new(), 0x6700), |a| self.answer(a)))
    }
}
