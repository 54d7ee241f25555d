//! Time-stamping authorities made with `openssl ts`, and the edits that put their tokens
//! where real files carry them (signature-time-stamp attributes).

use std::path::{Path, PathBuf};

use super::der_edit::{oid, Envelope, Node};
use super::pki::{new_key, openssl};

const SIGNATURE_TIME_STAMP: &str = "1.2.840.113549.1.9.16.2.14";

/// A TSA: its certificate and key, and the `openssl ts` configuration that uses them.
pub struct Tsa {
    pub dir: PathBuf,
    pub tag: String,
    pub cert: PathBuf,
    pub key: PathBuf,
}

fn s(p: &Path) -> String {
    p.to_str().unwrap_or_default().to_string()
}

/// A TSA certificate for `tag`, issued by `ca_cert`/`ca_key`; `dates` (YYYYMMDDHHMMSSZ) set
/// its validity through `openssl ca` (for a TSA that had expired before it stamped).
pub fn make_tsa(
    dir: &Path,
    tag: &str,
    ca_cert: &Path,
    ca_key: &Path,
    dates: Option<(&str, &str)>,
) -> Tsa {
    let key = new_key(dir, &format!("{tag}.key"), "rsa");
    let csr = dir.join(format!("{tag}.csr"));
    openssl(
        dir,
        &[
            "req",
            "-new",
            "-key",
            &s(&key),
            "-subj",
            &format!("/C=IT/O=SPORTELLO TEST PKI - NON VALIDO/CN=TSA {tag}"),
            "-out",
            &s(&csr),
        ],
    );
    let ext = dir.join(format!("{tag}.ext"));
    std::fs::write(
        &ext,
        "[v3]\nextendedKeyUsage=critical,timeStamping\nkeyUsage=critical,digitalSignature\n",
    )
    .expect("tsa ext");
    let cert = dir.join(format!("{tag}.pem"));
    match dates {
        None => {
            openssl(
                dir,
                &[
                    "x509",
                    "-req",
                    "-in",
                    &s(&csr),
                    "-CA",
                    &s(ca_cert),
                    "-CAkey",
                    &s(ca_key),
                    "-set_serial",
                    "4242",
                    "-days",
                    "365",
                    "-extfile",
                    &s(&ext),
                    "-extensions",
                    "v3",
                    "-out",
                    &s(&cert),
                ],
            );
        }
        Some((start, end)) => {
            let db = dir.join(format!("{tag}.index"));
            std::fs::write(&db, "").expect("index");
            std::fs::write(dir.join(format!("{tag}.serial")), "1000\n").expect("serial");
            let cnf = dir.join(format!("{tag}.ca.cnf"));
            std::fs::write(
                &cnf,
                format!(
                    "[ca]\ndefault_ca = c\n[c]\ndatabase = {}\nnew_certs_dir = {}\nserial = {}\n\
                     default_md = sha256\npolicy = p\nunique_subject = no\n\
                     [p]\ncountryName = optional\norganizationName = optional\ncommonName = supplied\n",
                    s(&db),
                    s(dir),
                    s(&dir.join(format!("{tag}.serial")))
                ),
            )
            .expect("ca cnf");
            openssl(
                dir,
                &[
                    "ca",
                    "-batch",
                    "-config",
                    &s(&cnf),
                    "-in",
                    &s(&csr),
                    "-cert",
                    &s(ca_cert),
                    "-keyfile",
                    &s(ca_key),
                    "-startdate",
                    start,
                    "-enddate",
                    end,
                    "-extfile",
                    &s(&ext),
                    "-extensions",
                    "v3",
                    "-notext",
                    "-out",
                    &s(&cert),
                ],
            );
        }
    }
    std::fs::write(dir.join(format!("{tag}.tsaserial")), "01\n").expect("serial");
    std::fs::write(
        dir.join(format!("{tag}.tsa.cnf")),
        format!(
            "[tsa]\ndefault_tsa = t\n[t]\nserial = {}\ncrypto_device = builtin\n\
             signer_digest = sha256\ndefault_policy = 1.2.3.4.1\ndigests = sha256\naccuracy = secs:1\n\
             ess_cert_id_alg = sha256\nordering = yes\ntsa_name = no\ness_cert_id_chain = no\n",
            s(&dir.join(format!("{tag}.tsaserial")))
        ),
    )
    .expect("tsa config");
    Tsa {
        dir: dir.to_path_buf(),
        tag: tag.to_string(),
        cert,
        key,
    }
}

impl Tsa {
    /// An RFC 3161 response (DER) over `data`.
    pub fn response(&self, data: &[u8], name: &str) -> Vec<u8> {
        let input = self.dir.join(format!("{name}.data"));
        std::fs::write(&input, data).expect("data");
        let query = self.dir.join(format!("{name}.tsq"));
        openssl(
            &self.dir,
            &[
                "ts",
                "-query",
                "-data",
                &s(&input),
                "-sha256",
                "-cert",
                "-no_nonce",
                "-out",
                &s(&query),
            ],
        );
        let reply = self.dir.join(format!("{name}.tsr"));
        openssl(
            &self.dir,
            &[
                "ts",
                "-reply",
                "-config",
                &s(&self.dir.join(format!("{}.tsa.cnf", self.tag))),
                "-queryfile",
                &s(&query),
                "-signer",
                &s(&self.cert),
                "-inkey",
                &s(&self.key),
                "-out",
                &s(&reply),
            ],
        );
        std::fs::read(reply).expect("reply")
    }

    /// The token (ContentInfo) of a response over `data`.
    pub fn token(&self, data: &[u8], name: &str) -> Node {
        let (resp, _) = Node::parse(&self.response(data, name));
        resp.children[1].clone()
    }
}

/// Adds a signature-time-stamp attribute holding `token` to the first SignerInfo.
pub fn add_signature_time_stamp(env: &mut Envelope, token: Node) {
    let attr = Node::seq(
        0x30,
        vec![oid(SIGNATURE_TIME_STAMP), Node::seq(0x31, vec![token])],
    );
    let si = &mut env.signer_infos().children[0];
    match si.find(0xA1) {
        Some(i) => si.children[i].children.push(attr),
        None => si.children.push(Node::seq(0xA1, vec![attr])),
    }
}
