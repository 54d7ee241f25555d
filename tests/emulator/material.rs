//! Test material for the emulated cards, made with the openssl CLI: test CAs named as test
//! material, the CNS holder's key and authentication certificate shaped like real ones, and
//! EF_DatiPersonali. Nothing here is committed: it is generated into a directory at test time.

use std::path::{Path, PathBuf};

use base64::Engine;
use rsa::pkcs8::DecodePrivateKey;
use rsa::RsaPrivateKey;
use sha1::{Digest, Sha1};

use super::openssl::{ensure_ca, issue, openssl, pem_to_der, rsa_key, write};

pub const TEST_CA_NAME: &str = "SPORTELLO TEST CA - NON VALIDA";
/// A second CA that tests do not trust.
pub const UNTRUSTED_CA_NAME: &str = "SPORTELLO TEST CA NON FIDATA - NON VALIDA";

/// Who the card belongs to and how its certificate is made.
#[derive(Debug, Clone)]
pub struct HolderOptions {
    pub surname: String,
    pub name: String,
    /// Codice fiscale in EF_DatiPersonali (field 9).
    pub codice_fiscale: String,
    /// A different codice fiscale in the certificate, for the cross-check tests.
    pub certificate_cf: Option<String>,
    /// EF_IDCarta: 16 ASCII digits.
    pub id_carta: String,
    pub key_bits: u32,
    /// Issued by the untrusted second test CA.
    pub untrusted_issuer: bool,
    /// Validity ended in the past.
    pub expired: bool,
}

impl Default for HolderOptions {
    fn default() -> Self {
        HolderOptions {
            surname: "ROSSI".into(),
            name: "MARIO".into(),
            codice_fiscale: "RSSMRA80A01H501U".into(),
            certificate_cf: None,
            id_carta: "7420000000012345".into(),
            key_bits: 2048,
            untrusted_issuer: false,
            expired: false,
        }
    }
}

/// Everything a CNS emulator and a test need.
#[derive(Debug, Clone)]
pub struct CardMaterial {
    pub dir: PathBuf,
    /// The trusted test CA (PEM) and its DER.
    pub ca_cert: PathBuf,
    pub ca_cert_der: Vec<u8>,
    /// The untrusted second CA (PEM).
    pub untrusted_ca_cert: PathBuf,
    pub key: RsaPrivateKey,
    pub cert_pem: PathBuf,
    pub cert_der: Vec<u8>,
    pub id_carta: String,
    pub dati_personali: Vec<u8>,
    pub holder: HolderOptions,
}

impl CardMaterial {
    /// The holder's material from `dir` when an earlier run made it, else new material.
    pub fn load_or_generate(dir: &Path, holder: HolderOptions) -> CardMaterial {
        let stem = format!("cns-{}", holder.id_carta);
        if !dir.join(format!("{stem}.pem")).is_file()
            || !dir.join(format!("{stem}.key.der")).is_file()
        {
            return CardMaterial::generate(dir, holder);
        }
        let key_der = super::openssl::read(dir, &format!("{stem}.key.der"));
        let key = RsaPrivateKey::from_pkcs8_der(&key_der).expect("stored PKCS#8 RSA key");
        let cert_pem = format!("{stem}.pem");
        CardMaterial {
            dir: dir.to_path_buf(),
            ca_cert: dir.join("test-ca.pem"),
            ca_cert_der: pem_to_der(dir, "test-ca.pem"),
            untrusted_ca_cert: dir.join("untrusted-ca.pem"),
            key,
            cert_der: pem_to_der(dir, &cert_pem),
            cert_pem: dir.join(cert_pem),
            id_carta: holder.id_carta.clone(),
            dati_personali: dati_personali(&holder),
            holder,
        }
    }

    /// Generates the holder's key and certificate into `dir` (CAs are made once per dir and
    /// shared by every holder generated there; holder files are named after EF_IDCarta).
    pub fn generate(dir: &Path, holder: HolderOptions) -> CardMaterial {
        std::fs::create_dir_all(dir).expect("create the card material directory");
        ensure_ca(dir, "test-ca", TEST_CA_NAME);
        ensure_ca(dir, "untrusted-ca", UNTRUSTED_CA_NAME);
        let stem = format!("cns-{}", holder.id_carta);
        let key_der = rsa_key(dir, &format!("{stem}.key"), holder.key_bits);
        let key = RsaPrivateKey::from_pkcs8_der(&key_der).expect("openssl made a PKCS#8 RSA key");

        let cert_cf = holder
            .certificate_cf
            .clone()
            .unwrap_or_else(|| holder.codice_fiscale.clone());
        let subj = format!(
            "/C=IT/O=SPORTELLO TEST - NON VALIDA/OU=Carta Nazionale dei Servizi di prova\
             /SN={}/GN={}/serialNumber=IT:{}/dnQualifier={}/CN={}",
            holder.surname,
            holder.name,
            cert_cf,
            holder.id_carta,
            // The CN holds a '/', which -subj wants escaped.
            common_name(&cert_cf, &holder.id_carta).replace('/', "\\/"),
        );
        openssl(
            dir,
            &[
                "req",
                "-new",
                "-key",
                &format!("{stem}.key"),
                "-subj",
                &subj,
                "-out",
                &format!("{stem}.csr"),
            ],
        );
        // Real CNS authentication certificates allow deciphering too, so OpenSC takes the
        // decipher path to sign with them.
        write(
            dir,
            &format!("{stem}.ext"),
            b"[v3]\nbasicConstraints=critical,CA:FALSE\n\
              keyUsage=critical,digitalSignature,keyEncipherment\n\
              extendedKeyUsage=clientAuth\nsubjectKeyIdentifier=hash\n\
              authorityKeyIdentifier=keyid\n",
        );
        let ca = if holder.untrusted_issuer {
            "untrusted-ca"
        } else {
            "test-ca"
        };
        let (start, end) = if holder.expired {
            ("20200101000000Z", "20230101000000Z")
        } else {
            ("20240101000000Z", "20340101000000Z")
        };
        let cert_pem = format!("{stem}.pem");
        issue(
            dir,
            ca,
            &format!("{stem}.csr"),
            &format!("{stem}.ext"),
            start,
            end,
            &cert_pem,
        );

        CardMaterial {
            dir: dir.to_path_buf(),
            ca_cert: dir.join("test-ca.pem"),
            ca_cert_der: pem_to_der(dir, "test-ca.pem"),
            untrusted_ca_cert: dir.join("untrusted-ca.pem"),
            key,
            cert_der: pem_to_der(dir, &cert_pem),
            cert_pem: dir.join(cert_pem),
            id_carta: holder.id_carta.clone(),
            dati_personali: dati_personali(&holder),
            holder,
        }
    }
}

/// CN of a real CNS authentication certificate: `<CF>/<EF_IDCarta>.<base64 SHA-1>`.
/// SHA-1 keeps the CN within X.520's 64 characters, as on the real cards.
pub fn common_name(cf: &str, id_carta: &str) -> String {
    let hash = Sha1::digest(format!("{cf}/{id_carta}").as_bytes());
    format!(
        "{cf}/{id_carta}.{}",
        base64::engine::general_purpose::STANDARD.encode(hash)
    )
}

/// EF_DatiPersonali: 6 hex digits of length, then 16 fields of 2 hex digits length + value.
pub fn dati_personali(h: &HolderOptions) -> Vec<u8> {
    let fields = [
        "TESTREG",  // issuer
        "01012024", // issue date
        "01012034", // expiry
        &h.surname, // surname
        &h.name,    // name
        "01011980", // birth date
        "M",        // sex
        "",         // height
        &h.codice_fiscale,
        "",           // citizenship
        "H501",       // birth town
        "",           // birth country
        "",           // birth record
        "H501",       // residence town
        "VIA ROMA 1", // address
        "",           // travel validity
    ];
    let body: String = fields
        .iter()
        .map(|f| format!("{:02X}{f}", f.len()))
        .collect();
    format!("{:06X}{body}", body.len()).into_bytes()
}
