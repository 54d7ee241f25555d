//! Signer identity on certificates shaped like older real ones: the SignerInfo names the
//! issuer with other string types, case or spacing than the certificate (RFC 5280 §7.1
//! comparison, as OpenSSL does), and the codice fiscale as the bare subject serialNumber.
//! Certificates and envelopes are generated with openssl for each variation.

mod support;

use std::path::{Path, PathBuf};

use sportello::identity::CfSource;
use sportello::verify::{verify_bytes, Report, SubIndication, VerifyOptions};
use support::chains::{issue, sign, Issued, CA_EXT, SIGNER_EXT};
use support::der_edit::{Envelope, Node};

const ROOT_SUBJECT: &str = "/C=IT/O=SPORTELLO TEST PKI - NON VALIDO/CN=Sportello Test Root CA";
const PRINTABLE: u8 = 0x13;
const UTF8: u8 = 0x0C;

/// (string tag, text) of one attribute value → its replacement.
type ValueEdit = Box<dyn Fn(u8, &str) -> (u8, String)>;

struct Material {
    dir: tempfile::TempDir,
    root: Issued,
    document: PathBuf,
}

fn material() -> Material {
    let dir = tempfile::tempdir().expect("tempdir");
    let root = issue(dir.path(), "root", ROOT_SUBJECT, CA_EXT, None, None);
    let document = dir.path().join("delega.txt");
    std::fs::write(&document, "Modulo di delega - prova SPORTELLO TEST\n").expect("write");
    Material {
        dir,
        root,
        document,
    }
}

impl Material {
    /// A DER envelope of the document signed by a new signer with `subject`.
    fn signed(&self, tag: &str, subject: &str) -> PathBuf {
        let signer = issue(
            self.dir.path(),
            tag,
            subject,
            SIGNER_EXT,
            Some(&self.root),
            None,
        );
        sign(
            self.dir.path(),
            &self.document,
            &signer,
            &[&self.root],
            &format!("{tag}.p7m"),
        )
    }

    /// `source` with the SignerInfo's issuer name rewritten value by value by `edit`
    /// (string tag, text) → (string tag, text). The sid is not signed: the signature stays good.
    fn with_sid_issuer(
        &self,
        source: &Path,
        name: &str,
        edit: impl Fn(u8, &str) -> (u8, String),
    ) -> PathBuf {
        let mut env = Envelope::parse(&std::fs::read(source).expect("read"));
        let signer_info = &mut env.signer_infos().children[0];
        let issuer = &mut signer_info.children[1].children[0];
        for rdn in &mut issuer.children {
            for atv in &mut rdn.children {
                let value = &atv.children[1];
                let text = String::from_utf8(value.value.clone()).expect("a string");
                let (tag, text) = edit(value.tag, &text);
                atv.children[1] = Node::primitive(tag, text.as_bytes());
            }
        }
        let path = self.dir.path().join(name);
        std::fs::write(&path, env.root.encode()).expect("write");
        path
    }
}

fn judge(path: &Path) -> Report {
    let data = std::fs::read(path).expect("read");
    verify_bytes(&path.display().to_string(), &data, &VerifyOptions::now())
}

/// OpenSSL finds the signer certificate and checks the signature (chain not checked).
fn openssl_reads(dir: &Path, path: &Path) -> bool {
    std::process::Command::new("openssl")
        .current_dir(dir)
        .args([
            "cms",
            "-verify",
            "-noverify",
            "-inform",
            "DER",
            "-out",
            "/dev/null",
            "-in",
        ])
        .arg(path)
        .output()
        .expect("openssl is needed (apt-get install openssl)")
        .status
        .success()
}

#[test]
fn the_signer_is_found_whatever_string_type_case_or_spacing_names_its_issuer() {
    let m = material();
    let subject = "/C=IT/O=SPORTELLO TEST PKI - NON VALIDO/serialNumber=TINIT-RSSMRA80A01H501U/CN=MARIO ROSSI";
    let original = m.signed("names", subject);
    // openssl writes C as PrintableString and the rest as UTF8String.
    let variations: [(&str, ValueEdit); 5] = [
        (
            "printable",
            Box::new(|_, t: &str| (PRINTABLE, t.to_string())),
        ),
        ("utf8", Box::new(|_, t: &str| (UTF8, t.to_string()))),
        ("upper", Box::new(|tag, t: &str| (tag, t.to_uppercase()))),
        ("lower", Box::new(|tag, t: &str| (tag, t.to_lowercase()))),
        (
            "spacing",
            Box::new(|tag, t: &str| (tag, format!("  {}  ", t.replace(' ', "   ")))),
        ),
    ];
    for (label, edit) in &variations {
        let path = m.with_sid_issuer(&original, &format!("{label}.p7m"), edit);
        assert_ne!(
            std::fs::read(&path).expect("read"),
            std::fs::read(&original).expect("read"),
            "{label}: the edit changed the encoding"
        );
        assert!(
            openssl_reads(m.dir.path(), &path),
            "{label}: OpenSSL reads it"
        );
        let report = judge(&path);
        assert_eq!(
            report.sub_indication,
            Some(SubIndication::NoCertificateChainFound),
            "{label}: the signer is found (only the test chain is untrusted): {:#?}",
            report.signatures
        );
        assert!(report.signatures[0].firma_integra(), "{label}");
    }

    // Another name is another issuer, for OpenSSL and for us.
    let other = m.with_sid_issuer(&original, "other.p7m", |tag, t| {
        (tag, t.replace("Root CA", "Root CB"))
    });
    assert!(!openssl_reads(m.dir.path(), &other));
    assert_eq!(
        judge(&other).sub_indication,
        Some(SubIndication::NoSigningCertificateFound)
    );
}

#[test]
fn a_bare_codice_fiscale_in_the_serial_number_counts_when_its_check_character_is_right() {
    let m = material();
    for (tag, serial, expected) in [
        ("personal", "RSSMRA80A01H501U", Some("RSSMRA80A01H501U")),
        ("numeric", "00743110157", Some("00743110157")),
        ("wrong-check", "RSSMRA80A01H501X", None),
        ("document-number", "AB12345678901234", None),
    ] {
        let subject = format!(
            "/C=IT/O=SPORTELLO TEST PKI - NON VALIDO/serialNumber={serial}/CN=SIGNER {tag}"
        );
        let report = judge(&m.signed(tag, &subject));
        let signer = report.signatures[0].signer.as_ref().expect("signer");
        assert_eq!(signer.serial_number.as_deref(), Some(serial), "{tag}");
        match expected {
            Some(code) => {
                let cf = signer.codice_fiscale.as_ref().expect("codice fiscale");
                assert_eq!(
                    (cf.value.as_str(), cf.valid, &cf.source),
                    (code, true, &CfSource::SubjectSerialNumberBare),
                    "{tag}"
                );
            }
            None => assert_eq!(signer.codice_fiscale, None, "{tag}: left alone"),
        }
    }
    // And in the JSON report.
    let report = judge(&m.signed(
        "json",
        "/C=IT/O=SPORTELLO TEST PKI - NON VALIDO/serialNumber=RSSMRA80A01H501U/CN=SIGNER json",
    ));
    let json = serde_json::to_value(&report).expect("JSON");
    assert_eq!(
        json["signatures"][0]["signer"]["codice_fiscale"]["source"],
        "subject_serial_number_bare"
    );
}
