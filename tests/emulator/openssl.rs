//! Runs the openssl command-line tool: the test PKI is made by an independent implementation.

use std::path::Path;
use std::process::Command;

/// Runs `openssl ARGS` in `dir`, panicking with its stderr when it fails or is missing.
pub fn openssl(dir: &Path, args: &[&str]) -> Vec<u8> {
    let out = Command::new("openssl")
        .current_dir(dir)
        .args(args)
        .output()
        .unwrap_or_else(|e| {
            panic!("openssl is needed for the card test material (apt-get install openssl): {e}")
        });
    assert!(
        out.status.success(),
        "openssl {} failed: {}",
        args.join(" "),
        String::from_utf8_lossy(&out.stderr)
    );
    out.stdout
}

pub fn read(dir: &Path, name: &str) -> Vec<u8> {
    std::fs::read(dir.join(name))
        .unwrap_or_else(|e| panic!("read {}: {e}", dir.join(name).display()))
}

pub fn write(dir: &Path, name: &str, data: &[u8]) {
    std::fs::write(dir.join(name), data)
        .unwrap_or_else(|e| panic!("write {}: {e}", dir.join(name).display()));
}

/// A test CA: self-signed, 10 years, named as test material. Made once per directory.
pub fn ensure_ca(dir: &Path, stem: &str, common_name: &str) {
    if dir.join(format!("{stem}.pem")).is_file() && dir.join(format!("{stem}.key")).is_file() {
        return;
    }
    let subj = format!("/C=IT/O=SPORTELLO TEST - NON VALIDA/CN={common_name}");
    openssl(
        dir,
        &[
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-sha256",
            "-keyout",
            &format!("{stem}.key"),
            "-out",
            &format!("{stem}.pem"),
            "-days",
            "3650",
            "-subj",
            &subj,
            "-addext",
            "basicConstraints=critical,CA:TRUE",
            "-addext",
            "keyUsage=critical,keyCertSign,cRLSign",
            "-addext",
            "subjectKeyIdentifier=hash",
        ],
    );
    // `openssl ca` keeps a database; it lets certificates carry any validity period.
    write(dir, &format!("{stem}.index"), b"");
    write(
        dir,
        &format!("{stem}.cnf"),
        format!(
            "[ca]\ndefault_ca = test_ca\n[test_ca]\ndatabase = {stem}.index\n\
             new_certs_dir = .\nserial = {stem}.serial\ndefault_md = sha256\n\
             policy = anything\nunique_subject = no\nemail_in_dn = no\n\
             [anything]\ncountryName = optional\norganizationName = optional\n\
             organizationalUnitName = optional\ncommonName = supplied\nsurname = optional\n\
             givenName = optional\nserialNumber = optional\ndnQualifier = optional\n"
        )
        .as_bytes(),
    );
    write(dir, &format!("{stem}.serial"), b"1000\n");
}

/// Issues `csr` under the CA `stem` with the extensions in section `v3` of `ext`, valid from
/// `start` to `end` (openssl ca date format, e.g. 20240101000000Z).
pub fn issue(dir: &Path, stem: &str, csr: &str, ext: &str, start: &str, end: &str, out: &str) {
    openssl(
        dir,
        &[
            "ca",
            "-batch",
            "-notext",
            "-preserveDN",
            "-config",
            &format!("{stem}.cnf"),
            "-cert",
            &format!("{stem}.pem"),
            "-keyfile",
            &format!("{stem}.key"),
            "-in",
            csr,
            "-out",
            out,
            "-extfile",
            ext,
            "-extensions",
            "v3",
            "-startdate",
            start,
            "-enddate",
            end,
        ],
    );
}

/// A new RSA key as PEM (`name`) and PKCS#8 DER (`name.der`).
pub fn rsa_key(dir: &Path, name: &str, bits: u32) -> Vec<u8> {
    openssl(
        dir,
        &[
            "genpkey",
            "-algorithm",
            "RSA",
            "-pkeyopt",
            &format!("rsa_keygen_bits:{bits}"),
            "-out",
            name,
        ],
    );
    openssl(
        dir,
        &[
            "pkcs8",
            "-topk8",
            "-nocrypt",
            "-in",
            name,
            "-outform",
            "DER",
            "-out",
            &format!("{name}.der"),
        ],
    );
    read(dir, &format!("{name}.der"))
}

pub fn pem_to_der(dir: &Path, pem: &str) -> Vec<u8> {
    openssl(dir, &["x509", "-in", pem, "-outform", "DER"])
}
