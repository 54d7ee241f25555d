//! SoftHSM2 tokens made by the tests: a token folder and `softhsm2.conf` of their own, tokens
//! initialised with `softhsm2-util`, keys and certificates from the test PKI (pki.rs)
//! imported with `pkcs11-tool`. SoftHSM reads `SOFTHSM2_CONF` at `C_Initialize`, once per
//! process: a test binary that loads the module in-process uses one [`SoftHsm`] for all its
//! tests, with the tokens told apart by label.

use std::path::{Path, PathBuf};
use std::process::Command;

use super::pki::{issue_certificate, make_root, openssl, person_subject};

pub const MODULE: &str = "/usr/lib/softhsm/libsofthsm2.so";
pub const SO_PIN: &str = "87654321";
pub const PIN: &str = "12345678";
/// The CIE module's PIN: the last 4 digits of the 8-digit one.
pub const CIE_PIN: &str = "5678";

pub struct SoftHsm {
    pub dir: PathBuf,
    pub conf: PathBuf,
    pub root_cert: PathBuf,
}

/// One key to put on a token.
pub struct KeySpec<'a> {
    pub tag: &'a str,
    /// rsa, p256, p384.
    pub kind: &'a str,
    /// CKA_ID, hex.
    pub id: &'a str,
    pub label: &'a str,
    pub subject: String,
    pub serial: u32,
    /// openssl keyUsage value.
    pub key_usage: &'a str,
    pub always_authenticate: bool,
    /// false: only the certificate goes on the token.
    pub with_private_key: bool,
}

impl<'a> KeySpec<'a> {
    /// A key of MARIO ROSSI (RSSMRA80A01H501U) for authentication.
    pub fn rossi(tag: &'a str, kind: &'a str, id: &'a str, serial: u32) -> KeySpec<'a> {
        KeySpec {
            tag,
            kind,
            id,
            label: "",
            subject: person_subject("MARIO", "ROSSI", "TINIT-RSSMRA80A01H501U"),
            serial,
            key_usage: "critical,digitalSignature",
            always_authenticate: false,
            with_private_key: true,
        }
    }
}

fn path(p: &Path) -> &str {
    p.to_str().expect("UTF-8 temp path")
}

impl SoftHsm {
    /// A token folder, its config and the test root CA in `dir`.
    pub fn new(dir: &Path) -> SoftHsm {
        assert!(
            Path::new(MODULE).is_file(),
            "SoftHSM2 is missing (apt-get install softhsm2)"
        );
        let tokens = dir.join("tokens");
        std::fs::create_dir_all(&tokens).expect("token folder");
        let conf = dir.join("softhsm2.conf");
        std::fs::write(
            &conf,
            format!(
                "directories.tokendir = {}\nobjectstore.backend = file\nlog.level = ERROR\n",
                tokens.display()
            ),
        )
        .expect("write softhsm2.conf");
        let root_cert = make_root(dir);
        SoftHsm {
            dir: dir.to_path_buf(),
            conf,
            root_cert,
        }
    }

    fn run(&self, program: &str, args: &[&str]) -> String {
        let out = Command::new(program)
            .env("SOFTHSM2_CONF", &self.conf)
            .current_dir(&self.dir)
            .args(args)
            .output()
            .unwrap_or_else(|e| {
                panic!("{program} is needed (apt-get install softhsm2 opensc): {e}")
            });
        assert!(
            out.status.success(),
            "{program} {} failed: {}{}",
            args.join(" "),
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    /// A new token labelled `label` with user PIN `pin`.
    pub fn token(&self, label: &str, pin: &str) {
        self.run(
            "softhsm2-util",
            &[
                "--init-token",
                "--free",
                "--label",
                label,
                "--so-pin",
                SO_PIN,
                "--pin",
                pin,
            ],
        );
    }

    /// Issues a certificate for `spec` and writes it (and its key) to the token.
    /// Returns the certificate in DER.
    pub fn add_key(&self, token: &str, pin: &str, spec: &KeySpec<'_>) -> Vec<u8> {
        let (cert_pem, key_pem) = issue_certificate(
            &self.dir,
            spec.tag,
            spec.kind,
            &spec.subject,
            spec.serial,
            spec.key_usage,
        );
        let cert_der = self.dir.join(format!("{}.cert.der", spec.tag));
        openssl(
            &self.dir,
            &[
                "x509",
                "-in",
                path(&cert_pem),
                "-outform",
                "DER",
                "-out",
                path(&cert_der),
            ],
        );
        let key_der = self.dir.join(format!("{}.key.der", spec.tag));
        openssl(
            &self.dir,
            &[
                "pkey",
                "-in",
                path(&key_pem),
                "-outform",
                "DER",
                "-out",
                path(&key_der),
            ],
        );
        let mut common = vec![
            "--module",
            MODULE,
            "--token-label",
            token,
            "--login",
            "--pin",
            pin,
            "--id",
            spec.id,
        ];
        if !spec.label.is_empty() {
            common.extend(["--label", spec.label]);
        }
        if spec.with_private_key {
            let mut args = common.clone();
            args.extend([
                "--write-object",
                path(&key_der),
                "--type",
                "privkey",
                "--usage-sign",
            ]);
            if spec.always_authenticate {
                args.push("--always-auth");
            }
            self.run("pkcs11-tool", &args);
        }
        let mut args = common;
        args.extend(["--write-object", path(&cert_der), "--type", "cert"]);
        self.run("pkcs11-tool", &args);
        std::fs::read(&cert_der).expect("read certificate")
    }
}
