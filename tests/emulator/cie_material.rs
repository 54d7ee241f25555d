//! CIE 3.0 test material: NIS, the internal-authentication key (EF 1005 as RSAPublicKey),
//! a test CSCA, a document signer it issued, and the EF.SOD binding NIS and key.

use std::path::{Path, PathBuf};

use rsa::pkcs8::DecodePrivateKey;
use rsa::RsaPrivateKey;

use super::openssl::{ensure_ca, issue, openssl, pem_to_der, read, rsa_key, write};
use super::sod::{build_sod, lds_security_object};

pub const TEST_CSCA_NAME: &str = "SPORTELLO TEST CSCA - NON VALIDA";

#[derive(Debug, Clone)]
pub struct CieMaterial {
    pub dir: PathBuf,
    /// 12 ASCII digits (EF 1001, read with `00 B0 81 00 0C`).
    pub nis: String,
    pub key: RsaPrivateKey,
    /// EF 1005: PKCS#1 RSAPublicKey DER of `key`.
    pub public_key_der: Vec<u8>,
    /// EF 1006: `77 len CMS SignedData`.
    pub sod: Vec<u8>,
    pub csca_cert: PathBuf,
    pub csca_cert_der: Vec<u8>,
    pub document_signer_der: Vec<u8>,
}

impl CieMaterial {
    /// The material from `dir` when an earlier run made it for this NIS, else new material.
    pub fn load_or_generate(dir: &Path, nis: &str) -> CieMaterial {
        let done = dir.join("cie-1006.der").is_file()
            && std::fs::read(dir.join("cie-1001.txt")).is_ok_and(|n| n == nis.as_bytes());
        if !done {
            return CieMaterial::generate(dir, nis);
        }
        let key_der = read(dir, "cie-intauth.key.der");
        CieMaterial {
            dir: dir.to_path_buf(),
            nis: nis.to_string(),
            key: RsaPrivateKey::from_pkcs8_der(&key_der).expect("stored PKCS#8 RSA key"),
            public_key_der: read(dir, "cie-1005.der"),
            sod: read(dir, "cie-1006.der"),
            csca_cert: dir.join("test-csca.pem"),
            csca_cert_der: pem_to_der(dir, "test-csca.pem"),
            document_signer_der: pem_to_der(dir, "ds.pem"),
        }
    }

    pub fn generate(dir: &Path, nis: &str) -> CieMaterial {
        std::fs::create_dir_all(dir).expect("create the CIE material directory");
        ensure_ca(dir, "test-csca", TEST_CSCA_NAME);
        let key_der = rsa_key(dir, "cie-intauth.key", 2048);
        let key = RsaPrivateKey::from_pkcs8_der(&key_der).expect("openssl made a PKCS#8 RSA key");
        openssl(
            dir,
            &[
                "rsa",
                "-in",
                "cie-intauth.key",
                "-RSAPublicKey_out",
                "-outform",
                "DER",
                "-out",
                "cie-1005.der",
            ],
        );
        let public_key_der = read(dir, "cie-1005.der");

        rsa_key(dir, "ds.key", 2048);
        openssl(
            dir,
            &[
                "req", "-new", "-key", "ds.key", "-out", "ds.csr", "-subj",
                "/C=IT/O=SPORTELLO TEST - NON VALIDA/CN=SPORTELLO TEST DOCUMENT SIGNER - NON VALIDO",
            ],
        );
        write(
            dir,
            "ds.ext",
            b"[v3]\nbasicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature\n\
              subjectKeyIdentifier=hash\nauthorityKeyIdentifier=keyid\n",
        );
        issue(
            dir,
            "test-csca",
            "ds.csr",
            "ds.ext",
            "20240101000000Z",
            "20340101000000Z",
            "ds.pem",
        );
        let document_signer_der = pem_to_der(dir, "ds.pem");

        // Data groups as the middleware numbers them: A1 = EF 1001 (NIS), A5 = EF 1005.
        let lds = lds_security_object(&[(0xA1, nis.as_bytes()), (0xA5, &public_key_der)]);
        let sod = build_sod(dir, &lds, &document_signer_der);
        write(dir, "cie-1006.der", &sod);
        write(dir, "cie-1001.txt", nis.as_bytes());
        CieMaterial {
            dir: dir.to_path_buf(),
            nis: nis.to_string(),
            key,
            public_key_der,
            sod,
            csca_cert: dir.join("test-csca.pem"),
            csca_cert_der: pem_to_der(dir, "test-csca.pem"),
            document_signer_der,
        }
    }
}
