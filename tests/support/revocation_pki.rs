//! A test CA that publishes revocation data, made with the `openssl` CLI: certificates carrying
//! a CRL distribution point and an OCSP URL on 127.0.0.1, CRLs made by `openssl ca -gencrl`,
//! OCSP answers made by `openssl ocsp` as a responder, and the bad data the checks must refuse.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

use super::pki::{new_key, openssl};

/// Who signs OCSP answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Responder {
    /// The CA's own key.
    Ca,
    /// A responder certificate issued by the CA with id-kp-OCSPSigning and nocheck.
    Delegated,
    /// A certificate issued by the CA without id-kp-OCSPSigning.
    Unauthorised,
}

pub struct RevPki {
    pub dir: PathBuf,
    pub ca: Vec<u8>,
    pub ca_pem: PathBuf,
    pub good: Vec<u8>,
    pub revoked: Vec<u8>,
    /// Issued by the CA but absent from its database: the responder says `unknown`.
    pub unrecorded: Vec<u8>,
    /// Expired in 2021, never revoked.
    pub expired: Vec<u8>,
    /// Current, lists `revoked` (keyCompromise).
    pub crl: Vec<u8>,
    pub crl_pem: PathBuf,
    /// Same issuer name and key identifier as the CA, another key.
    pub impostor_crl: Vec<u8>,
    /// Another CA's CRL.
    pub other_issuer_crl: Vec<u8>,
    /// A delta CRL.
    pub delta_crl: Vec<u8>,
    /// A CRL whose issuing distribution point covers CA certificates only.
    pub ca_only_crl: Vec<u8>,
    counter: AtomicUsize,
}

const CA_SUBJECT: &str = "/C=IT/O=SPORTELLO TEST PKI - NON VALIDO/CN=Sportello Test Revocation CA";
/// Fixed, so the impostor can copy it.
const CA_KEY_ID: &str = "5E:11:AB:CD:00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF";

fn write(dir: &Path, name: &str, text: &str) {
    std::fs::write(dir.join(name), text).expect("write PKI file");
}

fn read(dir: &Path, name: &str) -> Vec<u8> {
    std::fs::read(dir.join(name)).expect("read PKI file")
}

fn ca_config(dir: &Path, name: &str, cert: &str, key: &str) {
    let db = format!("{name}.index");
    write(dir, &db, "");
    write(dir, &format!("{name}.serial"), "1000\n");
    write(dir, &format!("{name}.crlnumber"), "01\n");
    std::fs::create_dir_all(dir.join(format!("{name}.newcerts"))).expect("newcerts");
    write(
        dir,
        &format!("{name}.cnf"),
        &format!(
            "[ca]\ndefault_ca=d\n[d]\ndatabase={db}\nnew_certs_dir={name}.newcerts\ncertificate={cert}\n\
             private_key={key}\nserial={name}.serial\ncrlnumber={name}.crlnumber\ndefault_md=sha256\n\
             default_days=365\ndefault_crl_days=7\npolicy=p\nunique_subject=no\nemail_in_dn=no\n\
             crl_extensions=crl_ext\n[p]\ncommonName=supplied\norganizationName=optional\ncountryName=optional\n\
             [crl_ext]\nauthorityKeyIdentifier=keyid:always\n\
             [delta_ext]\nauthorityKeyIdentifier=keyid:always\n2.5.29.27=critical,DER:020101\n\
             [ca_only_ext]\nauthorityKeyIdentifier=keyid:always\nissuingDistributionPoint=critical,@idp\n\
             [idp]\nonlyCA=TRUE\n"
        ),
    );
}

fn self_signed(dir: &Path, key: &str, subject: &str, key_id: &str, out: &str) {
    openssl(
        dir,
        &[
            "req",
            "-x509",
            "-key",
            key,
            "-subj",
            subject,
            "-days",
            "3650",
            "-addext",
            "basicConstraints=critical,CA:TRUE",
            "-addext",
            "keyUsage=critical,keyCertSign,cRLSign",
            "-addext",
            &format!("subjectKeyIdentifier={key_id}"),
            "-out",
            out,
        ],
    );
}

fn gencrl(dir: &Path, name: &str, extensions: &str, out: &str) -> Vec<u8> {
    openssl(
        dir,
        &[
            "ca",
            "-config",
            &format!("{name}.cnf"),
            "-gencrl",
            "-crlexts",
            extensions,
            "-out",
            out,
        ],
    );
    openssl(dir, &["crl", "-in", out, "-outform", "DER"])
}

fn der_of(dir: &Path, pem: &str) -> Vec<u8> {
    openssl(dir, &["x509", "-in", pem, "-outform", "DER"])
}

impl RevPki {
    /// `crl_url` and `ocsp_url` go into every end-entity certificate.
    pub fn build(dir: &Path, crl_url: &str, ocsp_url: &str) -> RevPki {
        new_key(dir, "ca.key", "rsa");
        self_signed(dir, "ca.key", CA_SUBJECT, CA_KEY_ID, "ca.pem");
        ca_config(dir, "ca", "ca.pem", "ca.key");
        write(
            dir,
            "leaf.ext",
            &format!(
                "[v3]\nbasicConstraints=CA:FALSE\nkeyUsage=critical,nonRepudiation\n\
                 subjectKeyIdentifier=hash\nauthorityKeyIdentifier=keyid\n\
                 crlDistributionPoints=URI:{crl_url}\nauthorityInfoAccess=OCSP;URI:{ocsp_url}\n\
                 [responder]\nbasicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature\n\
                 extendedKeyUsage=OCSPSigning\nnoCheck=ignored\n\
                 [rogue]\nbasicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature\n"
            ),
        );
        let issue = |tag: &str, extra: &[&str]| {
            new_key(dir, &format!("{tag}.key"), "p256");
            openssl(
                dir,
                &[
                    "req",
                    "-new",
                    "-key",
                    &format!("{tag}.key"),
                    "-subj",
                    &format!("/C=IT/O=SPORTELLO TEST PKI - NON VALIDO/CN=Test {tag}"),
                    "-out",
                    &format!("{tag}.csr"),
                ],
            );
            let mut args = vec![
                "ca", "-batch", "-notext", "-config", "ca.cnf", "-extfile", "leaf.ext",
            ];
            let csr = format!("{tag}.csr");
            let out = format!("{tag}.pem");
            args.extend_from_slice(&["-in", &csr, "-out", &out]);
            args.extend_from_slice(extra);
            if !extra.contains(&"-extensions") {
                args.extend_from_slice(&["-extensions", "v3"]);
            }
            openssl(dir, &args);
            der_of(dir, &out)
        };
        let good = issue("good", &[]);
        let revoked = issue("revoked", &[]);
        let expired = issue(
            "expired",
            &[
                "-startdate",
                "20200101000000Z",
                "-enddate",
                "20210101000000Z",
            ],
        );
        issue("responder", &["-extensions", "responder"]);
        issue("rogue", &["-extensions", "rogue"]);
        openssl(
            dir,
            &[
                "ca",
                "-config",
                "ca.cnf",
                "-revoke",
                "revoked.pem",
                "-crl_reason",
                "keyCompromise",
            ],
        );
        // Signed by the CA but never recorded in its database.
        new_key(dir, "unrecorded.key", "p256");
        openssl(
            dir,
            &[
                "req",
                "-new",
                "-key",
                "unrecorded.key",
                "-subj",
                "/CN=Test unrecorded",
                "-out",
                "unrecorded.csr",
            ],
        );
        openssl(
            dir,
            &[
                "x509",
                "-req",
                "-in",
                "unrecorded.csr",
                "-CA",
                "ca.pem",
                "-CAkey",
                "ca.key",
                "-set_serial",
                "777777",
                "-days",
                "30",
                "-extfile",
                "leaf.ext",
                "-extensions",
                "v3",
                "-out",
                "unrecorded.pem",
            ],
        );
        let unrecorded = der_of(dir, "unrecorded.pem");
        let crl = gencrl(dir, "ca", "crl_ext", "ca.crl.pem");
        let delta_crl = gencrl(dir, "ca", "delta_ext", "delta.crl.pem");
        let ca_only_crl = gencrl(dir, "ca", "ca_only_ext", "ca_only.crl.pem");

        // Same name and key identifier, another key.
        new_key(dir, "impostor.key", "rsa");
        self_signed(dir, "impostor.key", CA_SUBJECT, CA_KEY_ID, "impostor.pem");
        ca_config(dir, "impostor", "impostor.pem", "impostor.key");
        let impostor_crl = gencrl(dir, "impostor", "crl_ext", "impostor.crl.pem");

        new_key(dir, "other.key", "p256");
        self_signed(
            dir,
            "other.key",
            "/C=IT/O=SPORTELLO TEST PKI - NON VALIDO/CN=Another Test CA",
            "01:02:03:04",
            "other.pem",
        );
        ca_config(dir, "other", "other.pem", "other.key");
        let other_issuer_crl = gencrl(dir, "other", "crl_ext", "other.crl.pem");

        RevPki {
            dir: dir.to_path_buf(),
            ca: der_of(dir, "ca.pem"),
            ca_pem: dir.join("ca.pem"),
            good,
            revoked,
            unrecorded,
            expired,
            crl,
            crl_pem: dir.join("ca.crl.pem"),
            impostor_crl,
            other_issuer_crl,
            delta_crl,
            ca_only_crl,
            counter: AtomicUsize::new(0),
        }
    }

    /// The real `openssl ocsp` responder's answer to `request`, signed by `who`.
    pub fn ocsp_answer(&self, request: &[u8], who: Responder) -> Vec<u8> {
        let n = self.counter.fetch_add(1, Ordering::SeqCst);
        let (req, resp) = (format!("req{n}.der"), format!("resp{n}.der"));
        std::fs::write(self.dir.join(&req), request).expect("write request");
        let (signer, key) = match who {
            Responder::Ca => ("ca.pem", "ca.key"),
            Responder::Delegated => ("responder.pem", "responder.key"),
            Responder::Unauthorised => ("rogue.pem", "rogue.key"),
        };
        openssl(
            &self.dir,
            &[
                "ocsp", "-index", "ca.index", "-CA", "ca.pem", "-rsigner", signer, "-rkey", key,
                "-reqin", &req, "-respout", &resp, "-nmin", "60",
            ],
        );
        read(&self.dir, &resp)
    }
}
