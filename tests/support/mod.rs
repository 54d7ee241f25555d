//! Signed-envelope fixtures in every form the verifier must read, built once per test binary
//! from a test PKI with the openssl CLI (an independent signer), plus the edits openssl cannot
//! make (countersignatures, reordered attributes, tampering). Nothing generated is committed.
#![allow(dead_code)]

pub mod chains;
pub mod countersign;
pub mod der_edit;
pub mod local_http;
pub mod pki;
pub mod revocation_pki;
pub mod softhsm;
pub mod table_source;
pub mod tsa;

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use base64::Engine;
use der_edit::{oid, Envelope, Node, SIGNATURE, SIGNATURE_ALGORITHM, SIGNED_ATTRS};
use pki::{openssl, Pki};

pub const DOCUMENT: &[u8] =
    b"Modulo di delega - documento di prova SPORTELLO TEST\nIl legale rappresentante delega...\n";

pub struct Fixtures {
    _dir: tempfile::TempDir,
    pub pki: Pki,
    pub document: PathBuf,
    pub big_document: PathBuf,
    pub tsa_cert: PathBuf,
}

static FIXTURES: OnceLock<Fixtures> = OnceLock::new();

pub fn fixtures() -> &'static Fixtures {
    FIXTURES.get_or_init(|| {
        let dir = tempfile::tempdir().expect("tempdir");
        let pki = Pki::build(dir.path());
        let document = dir.path().join("delega.txt");
        std::fs::write(&document, DOCUMENT).expect("write document");
        let big_document = dir.path().join("grande.bin");
        let big: Vec<u8> = (0..1_048_576u32)
            .map(|i| (i.wrapping_mul(2654435761) >> 13) as u8)
            .collect();
        std::fs::write(&big_document, big).expect("write big document");
        let tsa_cert = make_tsa(&pki);
        Fixtures {
            _dir: dir,
            pki,
            document,
            big_document,
            tsa_cert,
        }
    })
}

fn make_tsa(pki: &Pki) -> PathBuf {
    let dir = &pki.dir;
    pki::new_key(dir, "tsa.key", "rsa");
    openssl(
        dir,
        &[
            "req",
            "-new",
            "-key",
            "tsa.key",
            "-subj",
            "/C=IT/O=SPORTELLO TEST PKI - NON VALIDO/CN=Test TSA",
            "-out",
            "tsa.csr",
        ],
    );
    std::fs::write(
        dir.join("tsa.ext"),
        "[v3]\nextendedKeyUsage=critical,timeStamping\nkeyUsage=critical,digitalSignature\n",
    )
    .expect("tsa ext");
    openssl(
        dir,
        &[
            "x509",
            "-req",
            "-in",
            "tsa.csr",
            "-CA",
            "root.pem",
            "-CAkey",
            "root.key",
            "-set_serial",
            "99",
            "-days",
            "365",
            "-extfile",
            "tsa.ext",
            "-extensions",
            "v3",
            "-out",
            "tsa.pem",
        ],
    );
    std::fs::write(dir.join("tsaserial"), "01\n").expect("serial");
    std::fs::write(
        dir.join("tsa.cnf"),
        "[tsa]\ndefault_tsa = tsa_config\n[tsa_config]\nserial = ./tsaserial\ncrypto_device = builtin\n\
         signer_digest = sha256\ndefault_policy = 1.2.3.4.1\ndigests = sha256\naccuracy = secs:1\n\
         ess_cert_id_alg = sha256\nordering = yes\ntsa_name = no\ness_cert_id_chain = no\n",
    )
    .expect("tsa config");
    dir.join("tsa.pem")
}

impl Fixtures {
    fn path(&self, name: &str) -> PathBuf {
        self.pki.dir.join(name)
    }

    fn write(&self, name: &str, bytes: &[u8]) -> PathBuf {
        let path = self.path(name);
        std::fs::write(&path, bytes).expect("write fixture");
        path
    }

    /// A DER envelope of the document by the main RSA signer (a fresh copy per name).
    pub fn der(&self, name: &str) -> PathBuf {
        self.pki.sign(
            &self.document,
            name,
            &[&self.pki.rsa],
            &["-nodetach", "-outform", "DER"],
        )
    }

    pub fn read(path: &Path) -> Vec<u8> {
        std::fs::read(path).expect("read fixture")
    }

    pub fn base64(&self, der: &Path, name: &str, line_end: &str) -> PathBuf {
        let text = base64::engine::general_purpose::STANDARD.encode(Self::read(der));
        let lines: Vec<&str> = text
            .as_bytes()
            .chunks(64)
            .map(|c| std::str::from_utf8(c).unwrap_or_default())
            .collect();
        self.write(name, (lines.join(line_end) + line_end).as_bytes())
    }

    /// Sign an existing file again (nesting): the content is the whole envelope file.
    pub fn wrap(&self, inner: &Path, name: &str, signer: &pki::Signer, form: &[&str]) -> PathBuf {
        self.pki.sign(inner, name, &[signer], form)
    }

    /// Applies `edit` to a DER envelope and writes the result.
    pub fn edited(&self, source: &Path, name: &str, edit: impl FnOnce(&mut Envelope)) -> PathBuf {
        let mut env = Envelope::parse(&Self::read(source));
        edit(&mut env);
        self.write(name, &env.root.encode())
    }

    /// DER envelope with a countersignature by the second signer (and, if `deep`, a
    /// countersignature of that countersignature by the first).
    pub fn countersigned(&self, name: &str, deep: bool) -> PathBuf {
        let source = self.der(&format!("{name}.src"));
        let pki = &self.pki;
        self.edited(&source, name, |env| {
            let parent_sig = countersign::signature_of(&env.signer_infos().children[0]);
            let mut counter = countersign::countersignature(
                pki,
                &pki.rsa_second,
                &parent_sig,
                &format!("{name}-c1"),
            );
            if deep {
                let inner_sig = countersign::signature_of(&counter);
                let deeper =
                    countersign::countersignature(pki, &pki.rsa, &inner_sig, &format!("{name}-c2"));
                countersign::attach(&mut counter, deeper);
            }
            countersign::attach(&mut env.signer_infos().children[0], counter);
            env.add_certificate(&pki.cert_der(&pki.rsa_second));
        })
    }

    /// RFC 3161 response over `file` from the test TSA.
    pub fn timestamp_response(&self, file: &Path, name: &str) -> PathBuf {
        let query = self.path(&format!("{name}.tsq"));
        openssl(
            &self.pki.dir,
            &[
                "ts",
                "-query",
                "-data",
                file.to_str().unwrap_or_default(),
                "-sha256",
                "-cert",
                "-no_nonce",
                "-out",
                query.to_str().unwrap_or_default(),
            ],
        );
        let reply = self.path(name);
        openssl(
            &self.pki.dir,
            &[
                "ts",
                "-reply",
                "-config",
                "tsa.cnf",
                "-section",
                "tsa_config",
                "-queryfile",
                query.to_str().unwrap_or_default(),
                "-signer",
                "tsa.pem",
                "-inkey",
                "tsa.key",
                "-out",
                reply.to_str().unwrap_or_default(),
            ],
        );
        reply
    }

    /// `.m7m`: MIME with the p7m and its time-stamp response, both base64 although the
    /// headers claim binary, like real files.
    pub fn m7m(&self, name: &str) -> PathBuf {
        let p7m = self.der(&format!("{name}.p7m"));
        let b64 = |p: &Path| {
            let t = base64::engine::general_purpose::STANDARD.encode(Self::read(p));
            t.as_bytes()
                .chunks(76)
                .map(|c| String::from_utf8_lossy(c).into_owned())
                .collect::<Vec<_>>()
                .join("\r\n")
        };
        // Like real .m7m files, the time-stamp is over the p7m part as transmitted (base64).
        let body = self.write(&format!("{name}.p7m.b64"), b64(&p7m).as_bytes());
        let tsr = self.timestamp_response(&body, &format!("{name}.tsr"));
        let text = format!(
            "MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"----=_Part_0\"\r\n\r\n\
             ------=_Part_0\r\nContent-Type: application/pkcs7-mime; name=\"delega.txt.p7m\"\r\nContent-Transfer-Encoding: binary\r\n\r\n{}\r\n\
             ------=_Part_0\r\nContent-Type: application/timestamp-reply\r\nContent-Transfer-Encoding: binary\r\n\r\n{}\r\n\
             ------=_Part_0--\r\n",
            b64(&p7m),
            b64(&tsr)
        );
        self.write(name, text.as_bytes())
    }

    /// `.tsd` (RFC 5544) around a DER p7m with one time-stamp token over it.
    pub fn tsd(&self, name: &str) -> PathBuf {
        let p7m = self.der(&format!("{name}.p7m"));
        let tsr = Self::read(&self.timestamp_response(&p7m, &format!("{name}.tsr")));
        let (resp, _) = Node::parse(&tsr);
        let token = resp.children[1].clone();
        let tsd = Node::seq(
            0x30,
            vec![
                oid("1.2.840.113549.1.9.16.1.31"),
                Node::seq(
                    0xA0,
                    vec![Node::seq(
                        0x30,
                        vec![
                            Node::primitive(0x02, &[1]),
                            Node::primitive(0x04, &Self::read(&p7m)),
                            Node::seq(0xA0, vec![Node::seq(0x30, vec![token])]),
                        ],
                    )],
                ),
            ],
        );
        self.write(name, &tsd.encode())
    }
}

/// Edits used by the tampering fixtures.
pub mod edits {
    use super::*;

    pub fn flip_signature_byte(env: &mut Envelope) {
        let sig = &mut env.signer_infos().children[0].children[SIGNATURE].value;
        let mid = sig.len() / 2;
        sig[mid] ^= 0x01;
    }

    /// Changes one digit of the signing-time (staying a valid time): 2x → 2x+1 seconds.
    pub fn change_signing_time(env: &mut Envelope) {
        let attrs = &mut env.signer_infos().children[0].children[SIGNED_ATTRS];
        let signing_time = oid("1.2.840.113549.1.9.5");
        let attr = attrs
            .children
            .iter_mut()
            .find(|a| a.children[0] == signing_time)
            .expect("signing-time attribute");
        let time = &mut attr.children[1].children[0].value;
        let seconds_tens = time.len() - 3;
        time[seconds_tens] = if time[seconds_tens] == b'0' {
            b'1'
        } else {
            b'0'
        };
    }

    /// Puts the signed attributes out of DER order; the signature was made over DER order.
    pub fn reorder_signed_attributes(env: &mut Envelope) {
        let attrs = &mut env.signer_infos().children[0].children[SIGNED_ATTRS];
        attrs.children.reverse();
    }

    pub fn claim_sha512_with_rsa(env: &mut Envelope) {
        env.signer_infos().children[0].children[SIGNATURE_ALGORITHM] = Node::seq(
            0x30,
            vec![oid("1.2.840.113549.1.1.13"), Node::primitive(0x05, &[])],
        );
    }
}
