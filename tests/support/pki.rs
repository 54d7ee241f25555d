//! A throw-away test PKI made with the `openssl` command-line tool: a root CA clearly marked
//! as test material and signer certificates shaped like Italian qualified ones.

use std::path::{Path, PathBuf};
use std::process::Command;

/// Runs openssl, failing the test loudly with its stderr when it fails or is missing.
pub fn openssl(dir: &Path, args: &[&str]) -> Vec<u8> {
    let out = Command::new("openssl")
        .current_dir(dir)
        .args(args)
        .output()
        .unwrap_or_else(|e| {
            panic!("openssl is needed for the test PKI (apt-get install openssl): {e}")
        });
    assert!(
        out.status.success(),
        "openssl {} failed: {}",
        args.join(" "),
        String::from_utf8_lossy(&out.stderr)
    );
    out.stdout
}

/// QCStatements with QcCompliance and QcSSCD, as Italian qualified certificates carry.
const QC_STATEMENTS_DER: &str = "DER:30143008060604008e4601013008060604008e460104";

#[derive(Debug, Clone)]
pub struct Signer {
    pub name: &'static str,
    pub codice_fiscale: &'static str,
    pub cert: PathBuf,
    pub key: PathBuf,
    /// Extra `openssl cms` options the key needs (PSS padding).
    pub cms_options: Vec<&'static str>,
}

pub struct Pki {
    pub dir: PathBuf,
    pub root_cert: PathBuf,
    pub rsa: Signer,
    pub rsa_second: Signer,
    pub pss: Signer,
    pub p256: Signer,
    pub p384: Signer,
    pub bad_cf: Signer,
    pub it_colon: Signer,
}

fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, text).expect("write PKI file");
    path
}

/// A new private key of `kind` (rsa, p256, p384) in `dir/file`.
pub fn new_key(dir: &Path, file: &str, kind: &str) -> PathBuf {
    match kind {
        "rsa" => openssl(
            dir,
            &[
                "genpkey",
                "-algorithm",
                "RSA",
                "-pkeyopt",
                "rsa_keygen_bits:2048",
                "-out",
                file,
            ],
        ),
        "p256" => openssl(
            dir,
            &[
                "genpkey",
                "-algorithm",
                "EC",
                "-pkeyopt",
                "ec_paramgen_curve:P-256",
                "-out",
                file,
            ],
        ),
        "p384" => openssl(
            dir,
            &[
                "genpkey",
                "-algorithm",
                "EC",
                "-pkeyopt",
                "ec_paramgen_curve:P-384",
                "-out",
                file,
            ],
        ),
        other => panic!("unknown key kind {other}"),
    };
    dir.join(file)
}

/// A test subject shaped like an Italian signer's.
pub fn person_subject(given_name: &str, surname: &str, serial_number: &str) -> String {
    format!("/C=IT/O=SPORTELLO TEST PKI - NON VALIDO/GN={given_name}/SN={surname}/serialNumber={serial_number}/CN={given_name} {surname}")
}

/// A new key of `kind` and its certificate from the root in `dir` (root.pem, root.key), with
/// `key_usage` (an openssl keyUsage value). Returns (certificate PEM, key PEM).
pub fn issue_certificate(
    dir: &Path,
    tag: &str,
    kind: &str,
    subject: &str,
    serial: u32,
    key_usage: &str,
) -> (PathBuf, PathBuf) {
    let key = new_key(dir, &format!("{tag}.key"), kind);
    let csr = format!("{tag}.csr");
    openssl(
        dir,
        &[
            "req",
            "-new",
            "-key",
            key.to_str().unwrap_or_default(),
            "-subj",
            subject,
            "-utf8",
            "-out",
            &csr,
        ],
    );
    let ext = write(
        dir,
        &format!("{tag}.ext"),
        &format!(
            "[v3]\nkeyUsage={key_usage}\nsubjectKeyIdentifier=hash\nauthorityKeyIdentifier=keyid\n\
             certificatePolicies=1.3.76.16.6,0.4.0.194112.1.2\n1.3.6.1.5.5.7.1.3={QC_STATEMENTS_DER}\n"
        ),
    );
    let cert = dir.join(format!("{tag}.pem"));
    openssl(
        dir,
        &[
            "x509",
            "-req",
            "-in",
            &csr,
            "-CA",
            "root.pem",
            "-CAkey",
            "root.key",
            "-set_serial",
            &serial.to_string(),
            "-days",
            "365",
            "-extfile",
            ext.to_str().unwrap_or_default(),
            "-extensions",
            "v3",
            "-out",
            cert.to_str().unwrap_or_default(),
        ],
    );
    (cert, key)
}

#[allow(clippy::too_many_arguments)]
fn issue(
    dir: &Path,
    tag: &str,
    kind: &str,
    subject: &str,
    serial: u32,
    name: &'static str,
    codice_fiscale: &'static str,
    cms_options: Vec<&'static str>,
) -> Signer {
    let (cert, key) = issue_certificate(dir, tag, kind, subject, serial, "critical,nonRepudiation");
    Signer {
        name,
        codice_fiscale,
        cert,
        key,
        cms_options,
    }
}

/// The test root CA (root.pem, root.key) in `dir`; returns root.pem.
pub fn make_root(dir: &Path) -> PathBuf {
    new_key(dir, "root.key", "rsa");
    openssl(
        dir,
        &[
            "req",
            "-x509",
            "-key",
            "root.key",
            "-subj",
            "/C=IT/O=SPORTELLO TEST PKI - NON VALIDO/CN=Sportello Test Root CA",
            "-days",
            "3650",
            "-addext",
            "basicConstraints=critical,CA:TRUE",
            "-addext",
            "keyUsage=critical,keyCertSign,cRLSign",
            "-out",
            "root.pem",
        ],
    );
    dir.join("root.pem")
}

impl Pki {
    pub fn build(dir: &Path) -> Pki {
        make_root(dir);
        let person = person_subject;
        Pki {
            dir: dir.to_path_buf(),
            root_cert: dir.join("root.pem"),
            rsa: issue(
                dir,
                "rsa",
                "rsa",
                &person("MARIO", "ROSSI", "TINIT-RSSMRA80A01H501U"),
                11,
                "MARIO ROSSI",
                "RSSMRA80A01H501U",
                vec![],
            ),
            rsa_second: issue(
                dir,
                "rsa2",
                "rsa",
                &person("LUCIA", "VERDI", "TINIT-VRDLCU85M41F205J"),
                12,
                "LUCIA VERDI",
                "VRDLCU85M41F205J",
                vec![],
            ),
            pss: issue(
                dir,
                "pss",
                "rsa",
                &person("GIOVANNI", "BIANCHI", "TINIT-BNCGNN70C15L219B"),
                13,
                "GIOVANNI BIANCHI",
                "BNCGNN70C15L219B",
                vec![
                    "-keyopt",
                    "rsa_padding_mode:pss",
                    "-keyopt",
                    "rsa_pss_saltlen:32",
                ],
            ),
            p256: issue(
                dir,
                "p256",
                "p256",
                &person("MARIO", "ROSSI", "TINIT-RSSMRA80A01H501U"),
                14,
                "MARIO ROSSI",
                "RSSMRA80A01H501U",
                vec![],
            ),
            p384: issue(
                dir,
                "p384",
                "p384",
                &person("LUCIA", "VERDI", "TINIT-VRDLCU85M41F205J"),
                15,
                "LUCIA VERDI",
                "VRDLCU85M41F205J",
                vec![],
            ),
            bad_cf: issue(
                dir,
                "badcf",
                "rsa",
                &person("ANNA", "NERI", "TINIT-RSSMRA80A01H501X"),
                16,
                "ANNA NERI",
                "RSSMRA80A01H501X",
                vec![],
            ),
            it_colon: issue(
                dir,
                "itcolon",
                "rsa",
                &person("MARIO", "ROSSI", "IT: RSSMRA80A01H501U"),
                17,
                "MARIO ROSSI",
                "RSSMRA80A01H501U",
                vec![],
            ),
        }
    }

    /// `openssl cms -sign` over `content`, with `signers`, writing `out`.
    pub fn sign(&self, content: &Path, out: &str, signers: &[&Signer], extra: &[&str]) -> PathBuf {
        let mut args: Vec<String> = ["cms", "-sign", "-binary", "-md", "sha256", "-in"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        args.push(content.display().to_string());
        for signer in signers {
            args.extend([
                "-signer".into(),
                signer.cert.display().to_string(),
                "-inkey".into(),
                signer.key.display().to_string(),
            ]);
            args.extend(signer.cms_options.iter().map(|s| s.to_string()));
        }
        args.extend(extra.iter().map(|s| s.to_string()));
        let path = self.dir.join(out);
        args.extend(["-out".into(), path.display().to_string()]);
        let refs: Vec<&str> = args.iter().map(String::as_str).collect();
        openssl(&self.dir, &refs);
        path
    }

    /// The signer certificate in DER.
    pub fn cert_der(&self, signer: &Signer) -> Vec<u8> {
        openssl(
            &self.dir,
            &[
                "x509",
                "-in",
                signer.cert.to_str().unwrap_or_default(),
                "-outform",
                "DER",
            ],
        )
    }
}
