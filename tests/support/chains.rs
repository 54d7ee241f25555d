//! Certificate chains with one defect each, made with openssl for path-validation tests.

use std::path::{Path, PathBuf};

use super::pki::openssl;

/// A CA or signer made for a scenario: its certificate and key files.
pub struct Issued {
    pub cert: PathBuf,
    pub key: PathBuf,
}

fn key(dir: &Path, tag: &str) -> PathBuf {
    super::pki::new_key(dir, &format!("{tag}.key"), "rsa")
}

/// Issues `tag` with `subject` and the extension lines `ext`, signed by `issuer`
/// (self-signed when `issuer` is None). `reuse_key` signs with an existing key.
pub fn issue(
    dir: &Path,
    tag: &str,
    subject: &str,
    ext: &str,
    issuer: Option<&Issued>,
    reuse_key: Option<&Path>,
) -> Issued {
    let key = reuse_key
        .map(Path::to_path_buf)
        .unwrap_or_else(|| key(dir, tag));
    let ext_file = dir.join(format!("{tag}.ext"));
    std::fs::write(&ext_file, format!("[v3]\n{ext}\n")).expect("ext");
    let cert = dir.join(format!("{tag}.pem"));
    let (k, e, c) = (
        key.to_str().unwrap_or_default().to_string(),
        ext_file.to_str().unwrap_or_default().to_string(),
        cert.to_str().unwrap_or_default().to_string(),
    );
    match issuer {
        None => {
            openssl(
                dir,
                &[
                    "req",
                    "-x509",
                    "-key",
                    &k,
                    "-subj",
                    subject,
                    "-days",
                    "365",
                    "-config",
                    &e,
                    "-extensions",
                    "v3",
                    "-out",
                    &c,
                ],
            );
        }
        Some(ca) => {
            let csr = dir.join(format!("{tag}.csr"));
            let csr_s = csr.to_str().unwrap_or_default().to_string();
            openssl(
                dir,
                &["req", "-new", "-key", &k, "-subj", subject, "-out", &csr_s],
            );
            let serial = (tag.bytes().map(u32::from).sum::<u32>() + 1000).to_string();
            openssl(
                dir,
                &[
                    "x509",
                    "-req",
                    "-in",
                    &csr_s,
                    "-CA",
                    ca.cert.to_str().unwrap_or_default(),
                    "-CAkey",
                    ca.key.to_str().unwrap_or_default(),
                    "-set_serial",
                    &serial,
                    "-days",
                    "365",
                    "-extfile",
                    &e,
                    "-extensions",
                    "v3",
                    "-out",
                    &c,
                ],
            );
        }
    }
    Issued { cert, key }
}

pub const CA_EXT: &str = "basicConstraints=critical,CA:TRUE\nkeyUsage=critical,keyCertSign,cRLSign\nsubjectKeyIdentifier=hash";
pub const SIGNER_EXT: &str = "keyUsage=critical,nonRepudiation\nsubjectKeyIdentifier=hash";

pub fn signer_subject(tag: &str) -> String {
    format!("/C=IT/O=SPORTELLO TEST PKI - NON VALIDO/serialNumber=TINIT-RSSMRA80A01H501U/CN=MARIO ROSSI {tag}")
}

/// Signs `document` with `signer`, carrying `extra` CA certificates in the envelope.
pub fn sign(dir: &Path, document: &Path, signer: &Issued, extra: &[&Issued], out: &str) -> PathBuf {
    let bundle = dir.join(format!("{out}.chain.pem"));
    let mut pem = Vec::new();
    for ca in extra {
        pem.extend(std::fs::read(&ca.cert).expect("ca pem"));
    }
    std::fs::write(&bundle, pem).expect("bundle");
    let path = dir.join(out);
    let mut args = vec![
        "cms",
        "-sign",
        "-binary",
        "-nodetach",
        "-md",
        "sha256",
        "-outform",
        "DER",
        "-in",
        document.to_str().unwrap_or_default(),
        "-signer",
        signer.cert.to_str().unwrap_or_default(),
        "-inkey",
        signer.key.to_str().unwrap_or_default(),
        "-out",
        path.to_str().unwrap_or_default(),
    ];
    if !extra.is_empty() {
        args.extend(["-certfile", bundle.to_str().unwrap_or_default()]);
    }
    openssl(dir, &args);
    path
}
