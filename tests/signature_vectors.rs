//! Signature math against keys and signatures made by the `openssl` command line,
//! independent of the code under test: every RSA hash, PSS parameter sets (including a
//! 2049-bit modulus), ECDSA curves with truncated and longer hashes, mismatched and
//! unsupported keys. Ported from a helper's independent implementation of the same API.

use sportello::verify::algorithms::{DigestAlgorithm, SignatureScheme};
use sportello::verify::digest::digest;
use sportello::verify::signature_math::{verify_digest, verify_message, SignatureError};
use std::path::PathBuf;
use std::process::Command;

const MESSAGE: &[u8] = b"Dichiarazione di immediata disponibilita' - sportello 3\n";

struct Ossl {
    dir: tempfile::TempDir,
}

impl Ossl {
    fn new() -> Self {
        Ossl {
            dir: tempfile::TempDir::new().unwrap(),
        }
    }

    fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    fn run(&self, args: &[&str]) {
        let out = Command::new("openssl")
            .args(args)
            .current_dir(self.dir.path())
            .output()
            .expect("the openssl command line tool is needed by these tests");
        assert!(
            out.status.success(),
            "openssl {args:?} failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }

    /// Generates a key with `genpkey` options and returns its name.
    fn genkey(&self, name: &str, algorithm: &str, opts: &[&str]) -> String {
        let mut args = vec!["genpkey", "-algorithm", algorithm, "-out", name];
        for opt in opts {
            args.extend(["-pkeyopt", opt]);
        }
        self.run(&args);
        name.to_string()
    }

    fn rsa(&self, name: &str, bits: usize) -> String {
        self.genkey(name, "RSA", &[&format!("rsa_keygen_bits:{bits}")])
    }

    fn ec(&self, name: &str, curve: &str) -> String {
        self.genkey(name, "EC", &[&format!("ec_paramgen_curve:{curve}")])
    }

    fn spki(&self, key: &str) -> Vec<u8> {
        let out = format!("{key}.spki");
        self.run(&[
            "pkey", "-in", key, "-pubout", "-outform", "DER", "-out", &out,
        ]);
        std::fs::read(self.path(&out)).unwrap()
    }

    /// `openssl dgst -<md> -sign key [-sigopt ..]` over `message`.
    fn sign(&self, key: &str, md: &str, sigopts: &[&str], message: &[u8]) -> Vec<u8> {
        std::fs::write(self.path("msg"), message).unwrap();
        let md_flag = format!("-{md}");
        let mut args = vec!["dgst", md_flag.as_str(), "-sign", key, "-out", "sig"];
        for opt in sigopts {
            args.extend(["-sigopt", opt]);
        }
        args.push("msg");
        self.run(&args);
        std::fs::read(self.path("sig")).unwrap()
    }

    /// Raw private-key operation with PKCS#1 type 1 padding over `data` (no hashing).
    fn pkeyutl_sign(&self, key: &str, data: &[u8]) -> Vec<u8> {
        std::fs::write(self.path("tbs"), data).unwrap();
        self.run(&[
            "pkeyutl", "-sign", "-inkey", key, "-in", "tbs", "-out", "rawsig",
        ]);
        std::fs::read(self.path("rawsig")).unwrap()
    }
}

fn flip(data: &[u8], bit: usize) -> Vec<u8> {
    let mut v = data.to_vec();
    let i = (bit / 8) % v.len();
    v[i] ^= 1 << (bit % 8);
    v
}

/// Valid verifies; a flipped bit in the message or in the signature is Invalid.
fn assert_sound(
    spki: &[u8],
    scheme: &SignatureScheme,
    hash: DigestAlgorithm,
    sig: &[u8],
    what: &str,
) {
    assert_eq!(
        verify_message(spki, scheme, hash, MESSAGE, sig),
        Ok(()),
        "{what}"
    );
    assert_eq!(
        verify_digest(spki, scheme, hash, &digest(hash, MESSAGE), sig),
        Ok(()),
        "{what} (digest)"
    );
    for bit in [0, 7, 100, MESSAGE.len() * 8 - 1] {
        assert_eq!(
            verify_message(spki, scheme, hash, &flip(MESSAGE, bit), sig),
            Err(SignatureError::Invalid),
            "{what}: message bit {bit}"
        );
    }
    for bit in [3, 77, sig.len() * 4, sig.len() * 8 - 2] {
        assert_eq!(
            verify_message(spki, scheme, hash, MESSAGE, &flip(sig, bit)),
            Err(SignatureError::Invalid),
            "{what}: signature bit {bit}"
        );
    }
}

#[test]
fn rsa_pkcs1v15_every_hash() {
    let o = Ossl::new();
    let key = o.rsa("rsa.pem", 2048);
    let spki = o.spki(&key);
    let cases = [
        ("md5", DigestAlgorithm::Md5),
        ("sha1", DigestAlgorithm::Sha1),
        ("sha224", DigestAlgorithm::Sha224),
        ("sha256", DigestAlgorithm::Sha256),
        ("sha384", DigestAlgorithm::Sha384),
        ("sha512", DigestAlgorithm::Sha512),
        ("sha3-224", DigestAlgorithm::Sha3_224),
        ("sha3-256", DigestAlgorithm::Sha3_256),
        ("sha3-384", DigestAlgorithm::Sha3_384),
        ("sha3-512", DigestAlgorithm::Sha3_512),
    ];
    for (md, hash) in cases {
        let sig = o.sign(&key, md, &[], MESSAGE);
        assert_sound(
            &spki,
            &SignatureScheme::RsaPkcs1v15 { hash: Some(hash) },
            hash,
            &sig,
            md,
        );
        // Plain rsaEncryption: the hash comes from the caller.
        assert_eq!(
            verify_message(
                &spki,
                &SignatureScheme::RsaPkcs1v15 { hash: None },
                hash,
                MESSAGE,
                &sig
            ),
            Ok(())
        );
    }
    // The DigestInfo names the hash: the right digest under the wrong hash name fails.
    let sig = o.sign(&key, "sha256", &[], MESSAGE);
    let sha256 = digest(DigestAlgorithm::Sha256, MESSAGE);
    assert_eq!(
        verify_digest(
            &spki,
            &SignatureScheme::RsaPkcs1v15 { hash: None },
            DigestAlgorithm::Sha3_256,
            &sha256,
            &sig
        ),
        Err(SignatureError::Invalid)
    );
}

#[test]
fn rsa_wrong_key_and_bad_lengths() {
    let o = Ossl::new();
    let key = o.rsa("a.pem", 2048);
    let other = o.rsa("b.pem", 2048);
    let scheme = SignatureScheme::RsaPkcs1v15 {
        hash: Some(DigestAlgorithm::Sha256),
    };
    let sig = o.sign(&key, "sha256", &[], MESSAGE);
    let h = DigestAlgorithm::Sha256;
    assert_eq!(
        verify_message(&o.spki(&other), &scheme, h, MESSAGE, &sig),
        Err(SignatureError::Invalid)
    );
    let spki = o.spki(&key);
    let mut longer = vec![0u8];
    longer.extend_from_slice(&sig);
    assert_eq!(
        verify_message(&spki, &scheme, h, MESSAGE, &longer),
        Err(SignatureError::Invalid),
        "a signature longer than the modulus is refused even with a zero prefix"
    );
    assert_eq!(
        verify_message(&spki, &scheme, h, MESSAGE, &[]),
        Err(SignatureError::Invalid)
    );
    assert_eq!(
        verify_message(&spki, &scheme, h, MESSAGE, &[0xff; 256]),
        Err(SignatureError::Invalid),
        "a signature above the modulus is refused"
    );
}

#[test]
fn rsa_digest_info_without_null_parameters_is_named_and_refused() {
    let o = Ossl::new();
    let key = o.rsa("rsa.pem", 2048);
    let spki = o.spki(&key);
    let scheme = SignatureScheme::RsaPkcs1v15 { hash: None };
    for (prefix, hash) in [
        // SEQUENCE { SEQUENCE { OID sha256 } OCTET STRING (32) }, written out by hand.
        (
            "302f300b06096086480165030402010420",
            DigestAlgorithm::Sha256,
        ),
        // The same for SHA-1.
        ("301f300706052b0e03021a0414", DigestAlgorithm::Sha1),
    ] {
        let mut info = hex::decode(prefix).unwrap();
        info.extend(digest(hash, MESSAGE));
        let sig = o.pkeyutl_sign(&key, &info);
        // The RSA operation recovers the right digest, but PKCS#1 v1.5 requires the NULL
        // parameters; OpenSSL and BouncyCastle (EU DSS) refuse this form, and so do we,
        // naming the defect.
        assert!(
            matches!(
                verify_message(&spki, &scheme, hash, MESSAGE, &sig),
                Err(SignatureError::NonCanonicalEncoding(_))
            ),
            "{prefix}"
        );
    }
}

#[test]
fn rsa_signature_with_leading_zero_octets_stripped() {
    let o = Ossl::new();
    let key = o.rsa("rsa.pem", 2048);
    let spki = o.spki(&key);
    let scheme = SignatureScheme::RsaPkcs1v15 { hash: None };
    // Search messages until openssl produces a signature starting with 0x00 (1 in 256).
    for i in 0..4000u32 {
        let msg = format!("message {i}");
        let sig = o.sign(&key, "sha256", &[], msg.as_bytes());
        if sig[0] == 0 {
            let h = DigestAlgorithm::Sha256;
            assert_eq!(
                verify_message(&spki, &scheme, h, msg.as_bytes(), &sig[1..]),
                Ok(())
            );
            return;
        }
    }
    panic!("no signature with a leading zero octet in 4000 tries");
}

#[test]
fn rsa_pss_parameter_sets() {
    let o = Ossl::new();
    let key = o.rsa("rsa.pem", 2048);
    let spki = o.spki(&key);
    let cases = [
        (
            "sha256",
            "sha256",
            32,
            DigestAlgorithm::Sha256,
            DigestAlgorithm::Sha256,
        ),
        (
            "sha3-256",
            "sha3-256",
            32,
            DigestAlgorithm::Sha3_256,
            DigestAlgorithm::Sha3_256,
        ),
        (
            "sha256",
            "sha1",
            20,
            DigestAlgorithm::Sha256,
            DigestAlgorithm::Sha1,
        ),
        (
            "sha512",
            "sha512",
            64,
            DigestAlgorithm::Sha512,
            DigestAlgorithm::Sha512,
        ),
        (
            "sha1",
            "sha1",
            0,
            DigestAlgorithm::Sha1,
            DigestAlgorithm::Sha1,
        ),
    ];
    for (md, mgf, salt, hash, mgf1_hash) in cases {
        let sig = o.sign(
            &key,
            md,
            &[
                "rsa_padding_mode:pss",
                &format!("rsa_pss_saltlen:{salt}"),
                &format!("rsa_mgf1_md:{mgf}"),
            ],
            MESSAGE,
        );
        let scheme = SignatureScheme::RsaPss {
            hash,
            mgf1_hash,
            salt_len: salt,
        };
        let what = scheme.name();
        assert_sound(&spki, &scheme, hash, &sig, &what);
        let wrong_salt = SignatureScheme::RsaPss {
            hash,
            mgf1_hash,
            salt_len: salt + 1,
        };
        assert_eq!(
            verify_message(&spki, &wrong_salt, hash, MESSAGE, &sig),
            Err(SignatureError::Invalid),
            "{what}: declared salt length must match"
        );
        let wrong_mgf = SignatureScheme::RsaPss {
            hash,
            mgf1_hash: DigestAlgorithm::Sha384,
            salt_len: salt,
        };
        assert_eq!(
            verify_message(&spki, &wrong_mgf, hash, MESSAGE, &sig),
            Err(SignatureError::Invalid),
            "{what}: MGF1 hash matters"
        );
        // PSS signatures are not PKCS#1 v1.5 ones.
        assert_eq!(
            verify_message(
                &spki,
                &SignatureScheme::RsaPkcs1v15 { hash: None },
                hash,
                MESSAGE,
                &sig
            ),
            Err(SignatureError::Invalid)
        );
    }
}

#[test]
fn rsa_pss_when_modulus_bits_are_one_more_than_a_multiple_of_8() {
    // emLen is then k - 1 and the RSA output has an extra leading zero octet.
    let o = Ossl::new();
    let key = o.rsa("rsa.pem", 2049);
    let spki = o.spki(&key);
    let sig = o.sign(
        &key,
        "sha256",
        &[
            "rsa_padding_mode:pss",
            "rsa_pss_saltlen:32",
            "rsa_mgf1_md:sha256",
        ],
        MESSAGE,
    );
    let scheme = SignatureScheme::RsaPss {
        hash: DigestAlgorithm::Sha256,
        mgf1_hash: DigestAlgorithm::Sha256,
        salt_len: 32,
    };
    assert_sound(
        &spki,
        &scheme,
        DigestAlgorithm::Sha256,
        &sig,
        "RSA-2049 PSS",
    );
}

/// Ecdsa-Sig-Value DER → r||s, each left-padded to `n` octets (parsed with the BER reader,
/// not with the ecdsa crate under test).
fn der_to_raw(der: &[u8], n: usize) -> Vec<u8> {
    use sportello::envelope::ber::Tlv;
    let (seq, _) = Tlv::parse_prefix(der).unwrap();
    let mut out = Vec::new();
    for int in seq.child_list().unwrap() {
        let v: Vec<u8> = int.value.iter().copied().skip_while(|b| *b == 0).collect();
        out.extend(std::iter::repeat_n(0u8, n - v.len()));
        out.extend(v);
    }
    out
}

#[test]
fn ecdsa_curves_and_hashes() {
    let o = Ossl::new();
    let cases = [
        ("P-256", 32, "sha256", DigestAlgorithm::Sha256),
        ("P-384", 48, "sha384", DigestAlgorithm::Sha384),
        ("P-521", 66, "sha512", DigestAlgorithm::Sha512),
        // Digest longer than the order: truncated.
        ("P-256", 32, "sha512", DigestAlgorithm::Sha512),
        // Digest shorter than the order.
        ("P-521", 66, "sha1", DigestAlgorithm::Sha1),
        ("P-384", 48, "sha3-256", DigestAlgorithm::Sha3_256),
    ];
    for (curve, n, md, hash) in cases {
        let key = o.ec(&format!("{curve}.pem"), curve);
        let spki = o.spki(&key);
        let sig = o.sign(&key, md, &[], MESSAGE);
        let what = format!("{curve} {md}");
        let scheme = SignatureScheme::Ecdsa { hash: Some(hash) };
        assert_sound(&spki, &scheme, hash, &sig, &what);
        assert_eq!(
            verify_message(
                &spki,
                &SignatureScheme::Ecdsa { hash: None },
                hash,
                MESSAGE,
                &sig
            ),
            Ok(())
        );

        let raw = der_to_raw(&sig, n);
        assert_eq!(raw.len(), 2 * n);
        let d = digest(hash, MESSAGE);
        assert_eq!(
            verify_digest(&spki, &scheme, hash, &d, &raw),
            Ok(()),
            "{what} raw"
        );
        assert_eq!(
            verify_digest(&spki, &scheme, hash, &d, &flip(&raw, 9)),
            Err(SignatureError::Invalid),
            "{what} raw flipped"
        );

        let other = o.ec(&format!("{curve}-other.pem"), curve);
        assert_eq!(
            verify_message(&o.spki(&other), &scheme, hash, MESSAGE, &sig),
            Err(SignatureError::Invalid),
            "{what} wrong key"
        );
    }
}

#[test]
fn key_scheme_mismatch_and_unsupported_keys() {
    let o = Ossl::new();
    let ec = o.spki(&o.ec("ec.pem", "P-256"));
    let rsa = o.spki(&o.rsa("rsa.pem", 1024));
    let h = DigestAlgorithm::Sha256;
    let pkcs1 = SignatureScheme::RsaPkcs1v15 { hash: Some(h) };
    let ecdsa = SignatureScheme::Ecdsa { hash: Some(h) };
    assert!(matches!(
        verify_message(&ec, &pkcs1, h, MESSAGE, &[1; 64]),
        Err(SignatureError::KeyMismatch(_))
    ));
    assert!(matches!(
        verify_message(&rsa, &ecdsa, h, MESSAGE, &[1; 64]),
        Err(SignatureError::KeyMismatch(_))
    ));

    let ed = o.spki(&o.genkey("ed.pem", "ED25519", &[]));
    assert!(matches!(
        verify_message(&ed, &ecdsa, h, MESSAGE, &[1; 64]),
        Err(SignatureError::Unsupported(_))
    ));
    let bp = o.spki(&o.ec("bp.pem", "brainpoolP256r1"));
    assert!(matches!(
        verify_message(&bp, &ecdsa, h, MESSAGE, &[1; 64]),
        Err(SignatureError::Unsupported(_))
    ));
    assert!(matches!(
        verify_message(&[0x30, 0x00], &ecdsa, h, MESSAGE, &[1; 64]),
        Err(SignatureError::BadKey(_))
    ));
}

#[test]
fn public_key_kinds() {
    use sportello::verify::keys::{public_key_kind, PublicKeyKind};
    let o = Ossl::new();
    assert_eq!(
        public_key_kind(&o.spki(&o.rsa("r.pem", 2048))).unwrap(),
        PublicKeyKind::Rsa { bits: 2048 }
    );
    assert_eq!(
        public_key_kind(&o.spki(&o.rsa("r3.pem", 3072))).unwrap(),
        PublicKeyKind::Rsa { bits: 3072 }
    );
    for (curve, bits) in [
        ("P-256", 256),
        ("P-384", 384),
        ("P-521", 521),
        ("brainpoolP256r1", 256),
    ] {
        assert_eq!(
            public_key_kind(&o.spki(&o.ec(&format!("{curve}.pem"), curve))).unwrap(),
            PublicKeyKind::Ec {
                curve: curve.to_string(),
                bits
            }
        );
    }
    assert_eq!(
        public_key_kind(&o.spki(&o.genkey("ed.pem", "ED25519", &[]))).unwrap(),
        PublicKeyKind::Other {
            oid: "1.3.101.112".into()
        }
    );
    // RSASSA-PSS-restricted keys (SPKI algorithm id-RSASSA-PSS) are RSA keys too.
    let pss = o.genkey("pss.pem", "RSA-PSS", &["rsa_keygen_bits:2048"]);
    assert_eq!(
        public_key_kind(&o.spki(&pss)).unwrap(),
        PublicKeyKind::Rsa { bits: 2048 }
    );
}
