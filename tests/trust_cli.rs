//! `sportello trust import | status | list` and verification against the imported store.

mod common;

use std::path::Path;
use std::process::{Command, Output};

fn run(data: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_sportello"))
        .env("SPORTELLO_DATA_DIR", data)
        .args(args)
        .output()
        .expect("run sportello")
}

fn shared(path: &str) -> String {
    common::shared_dir().join(path).display().to_string()
}

fn json(out: &Output) -> serde_json::Value {
    serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stdout)))
}

const LOTL: &str = "trust/EU-LOTL_seq332_2023-09-27.xml";
const IT: &str = "trust/TSL-IT_seq194_2023-09-26.xml";

#[test]
fn the_italian_list_needs_the_eu_list_and_a_good_signature() {
    let data = tempfile::tempdir().expect("tempdir");
    let alone = run(data.path(), &["trust", "import", &shared(IT)]);
    assert_eq!(alone.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&alone.stderr).contains("list of lists"));
    assert!(!data.path().join("trust/lists").exists(), "nothing written");

    let both = run(
        data.path(),
        &["trust", "import", &shared(IT), &shared(LOTL)],
    );
    assert_eq!(
        both.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&both.stderr)
    );
    let stored = data.path().join("trust/lists/IT.xml");
    let original = std::fs::read(&stored).expect("imported list");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(
            std::fs::metadata(&stored)
                .expect("meta")
                .permissions()
                .mode()
                & 0o077,
            0
        );
    }

    // A changed copy is refused and the imported list stays as it was.
    let text = std::fs::read_to_string(common::shared_dir().join(IT)).expect("list");
    let forged = data.path().join("forged.xml");
    std::fs::write(&forged, text.replacen("granted", "withdrawn", 1)).expect("write");
    let refused = run(
        data.path(),
        &["trust", "import", &forged.display().to_string()],
    );
    assert_eq!(refused.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&refused.stderr).contains("signature"));
    assert_eq!(std::fs::read(&stored).expect("still there"), original);

    let status = json(&run(data.path(), &["trust", "status", "--json"]));
    assert_eq!(status["lists"][0]["territory"], "IT");
    assert_eq!(status["lists"][0]["sequence_number"], 194);
    assert_eq!(status["lists"][0]["stale"], true);
    assert!(status["lists"][0]["age_days"]
        .as_i64()
        .is_some_and(|d| d > 365));
    let human =
        String::from_utf8_lossy(&run(data.path(), &["trust", "status"]).stdout).into_owned();
    assert!(human.contains("SCADUTA"), "{human}");
    assert!(
        human.contains("Fonte della lista IT: https://eidas.agid.gov.it/TL/TSL-IT.xml"),
        "the shipped sources: {human}"
    );

    let anchors = json(&run(data.path(), &["trust", "list", "--json"]));
    let anchors = anchors.as_array().expect("array");
    assert!(anchors.len() > 100);
    assert!(anchors.iter().all(|a| a["source"]
        .as_str()
        .is_some_and(|s| s.starts_with("Trusted List IT #194"))));
}

#[test]
fn verification_uses_the_imported_list_and_says_it_is_stale() {
    let data = tempfile::tempdir().expect("tempdir");
    let imported = run(
        data.path(),
        &["trust", "import", &shared(LOTL), &shared(IT)],
    );
    assert_eq!(imported.status.code(), Some(0));
    let file = common::corpus_file("parer_cades_bes.pdf.p7m")
        .display()
        .to_string();

    let then = json(&run(
        data.path(),
        &["verify", "--json", "--at", "2013-09-10", &file],
    ));
    assert_eq!(then["sub_indication"], "TRY_LATER");
    assert_eq!(then["signatures"][0]["checks"]["chain"]["status"], "passed");
    assert!(then["warnings"]
        .as_array()
        .expect("warnings")
        .iter()
        .any(|w| w.as_str().is_some_and(|w| w.contains("stale"))));

    let today = json(&run(data.path(), &["verify", "--json", &file]));
    assert_eq!(today["sub_indication"], "OUT_OF_BOUNDS_NO_POE");

    let foreign = json(&run(
        data.path(),
        &[
            "verify",
            "--json",
            &common::corpus_file("dss_Signature-C-DE_CRY-3.p7m")
                .display()
                .to_string(),
        ],
    ));
    assert_eq!(foreign["sub_indication"], "NO_CERTIFICATE_CHAIN_FOUND");

    let human =
        String::from_utf8_lossy(&run(data.path(), &["verify", "--at", "2013-09-10", &file]).stdout)
            .into_owned();
    assert!(
        human.starts_with("ATTENZIONE: la lista di fiducia IT n. 194 non è aggiornata"),
        "{human}"
    );
    assert!(human.contains("Certificato attendibile: sì"), "{human}");
}

#[test]
fn office_anchors_are_imported_as_certificates() {
    let data = tempfile::tempdir().expect("tempdir");
    let out = run(
        data.path(),
        &["trust", "import", &shared("trust/misc/slamdunk-OK.crt")],
    );
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let anchors = json(&run(data.path(), &["trust", "list", "--json"]));
    assert_eq!(anchors.as_array().map(Vec::len), Some(1));
    let not_a_cert = data.path().join("note.txt");
    std::fs::write(&not_a_cert, "not a certificate").expect("write");
    let refused = run(
        data.path(),
        &["trust", "import", &not_a_cert.display().to_string()],
    );
    assert_eq!(refused.status.code(), Some(1));
}

#[test]
fn a_list_given_with_trust_is_checked_but_not_imported() {
    let data = tempfile::tempdir().expect("tempdir");
    let file = common::corpus_file("parer_cades_bes.pdf.p7m")
        .display()
        .to_string();
    // Without the EU list of lists there is no way to know who may sign the Italian list.
    let refused = run(data.path(), &["verify", "--trust", &shared(IT), &file]);
    assert_eq!(refused.status.code(), Some(66));
    assert!(run(data.path(), &["trust", "import", &shared(LOTL)])
        .status
        .success());
    let report = json(&run(
        data.path(),
        &[
            "verify",
            "--json",
            "--at",
            "2013-09-10",
            "--trust",
            &shared(IT),
            &file,
        ],
    ));
    assert_eq!(report["sub_indication"], "TRY_LATER");
    assert!(report["warnings"]
        .as_array()
        .expect("warnings")
        .iter()
        .any(|w| w.as_str().is_some_and(|w| w.contains("stale"))));
    assert!(
        !data.path().join("trust/lists").exists(),
        "--trust does not import"
    );
}

#[test]
fn the_eu_list_and_the_italian_list_given_together_need_no_import() {
    let data = tempfile::tempdir().expect("tempdir");
    let file = common::corpus_file("parer_cades_bes.pdf.p7m")
        .display()
        .to_string();
    // Either order: the list of lists vouches for the national list given with it.
    for (first, second) in [(LOTL, IT), (IT, LOTL)] {
        let out = run(
            data.path(),
            &[
                "verify",
                "--json",
                "--at",
                "2013-09-10",
                "--trust",
                &shared(first),
                "--trust",
                &shared(second),
                &file,
            ],
        );
        assert_ne!(
            out.status.code(),
            Some(66),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let report = json(&out);
        assert_eq!(report["sub_indication"], "TRY_LATER", "{report}");
        assert_eq!(
            report["signatures"][0]["checks"]["chain"]["status"], "passed",
            "{report}"
        );
    }
    // The list of lists alone anchors nothing: it only says who signs the national lists.
    let alone = json(&run(
        data.path(),
        &["verify", "--json", "--trust", &shared(LOTL), &file],
    ));
    assert_eq!(alone["sub_indication"], "NO_CERTIFICATE_CHAIN_FOUND");
    assert!(
        !data.path().join("trust").exists(),
        "--trust imports nothing"
    );
}

/// The EU list of lists signed again, validly, by a throw-away certificate that is not
/// pinned in the program (valid on the list's issue date).
fn resigned_list_of_lists(dir: &Path) -> std::path::PathBuf {
    let openssl = |args: &[&str]| {
        let out = Command::new("openssl")
            .current_dir(dir)
            .args(args)
            .output()
            .expect("openssl is needed (apt-get install openssl)");
        assert!(
            out.status.success(),
            "openssl {args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        out.stdout
    };
    std::fs::write(
        dir.join("ca.cnf"),
        "[ca]\ndefault_ca = t\n[t]\ndatabase = index.txt\nnew_certs_dir = .\nserial = serial\n\
         default_md = sha256\npolicy = any\nunique_subject = no\n[any]\ncommonName = supplied\n",
    )
    .expect("write");
    std::fs::write(dir.join("index.txt"), "").expect("write");
    std::fs::write(dir.join("serial"), "01\n").expect("write");
    openssl(&[
        "req",
        "-new",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-keyout",
        "k.pem",
        "-subj",
        "/CN=Firmatario non fissato - NON VALIDO",
        "-out",
        "r.csr",
    ]);
    openssl(&[
        "ca",
        "-batch",
        "-config",
        "ca.cnf",
        "-selfsign",
        "-keyfile",
        "k.pem",
        "-in",
        "r.csr",
        "-startdate",
        "20230101000000Z",
        "-enddate",
        "20330101000000Z",
        "-notext",
        "-out",
        "c.pem",
    ]);
    let cert_der = openssl(&["x509", "-in", "c.pem", "-outform", "DER"]);
    use base64::Engine;
    let b64 = base64::engine::general_purpose::STANDARD;

    let text = std::fs::read_to_string(common::shared_dir().join(LOTL)).expect("LOTL");
    let signature_at = text.rfind("<ds:Signature ").expect("the list's signature");
    let replace_text = |text: &str, from: usize, tag: &str, value: &str| -> String {
        let open = from + text[from..].find(&format!("<{tag}")).expect("tag");
        let start = open + text[open..].find('>').expect(">") + 1;
        let end = start + text[start..].find("</").expect("close");
        format!("{}{value}{}", &text[..start], &text[end..])
    };
    let text = replace_text(
        &text,
        signature_at,
        "ds:X509Certificate",
        &b64.encode(&cert_der),
    );
    let doc = roxmltree::Document::parse(&text).expect("XML");
    let signed_info = doc
        .descendants()
        .find(|n| n.tag_name().name() == "SignedInfo")
        .expect("SignedInfo");
    let canonical = sportello::trust::exc_c14n::canonicalize(signed_info, &text, None);
    std::fs::write(dir.join("signed-info.xml"), canonical).expect("write");
    let value = openssl(&["dgst", "-sha256", "-sign", "k.pem", "signed-info.xml"]);
    let text = replace_text(&text, signature_at, "ds:SignatureValue", &b64.encode(value));
    let path = dir.join("resigned-lotl.xml");
    std::fs::write(&path, text).expect("write");
    path
}

#[test]
fn a_list_of_lists_not_signed_by_a_pinned_certificate_needs_the_officer_s_word() {
    let data = tempfile::tempdir().expect("tempdir");
    let work = tempfile::tempdir().expect("tempdir");
    let resigned = resigned_list_of_lists(work.path());
    let resigned = resigned.display().to_string();

    // The list as published is signed by a pinned certificate.
    let pinned = json(&run(
        data.path(),
        &["trust", "import", "--json", &shared(LOTL)],
    ));
    let detail = pinned[0]["detail"].as_str().expect("detail");
    assert!(detail.contains(", pinned in the program"), "{detail}");
    let stored = std::fs::read(data.path().join("trust/lotl.xml")).expect("stored");

    let refused = run(data.path(), &["trust", "import", &resigned]);
    assert_eq!(refused.status.code(), Some(1));
    let err = String::from_utf8_lossy(&refused.stderr);
    assert!(
        err.contains("Firmatario non fissato") && err.contains("--accept-unpinned"),
        "{err}"
    );
    assert_eq!(
        std::fs::read(data.path().join("trust/lotl.xml")).expect("stored"),
        stored,
        "the refused list replaced nothing"
    );
    // Nor does it vouch for anything when given with --trust.
    let file = common::corpus_file("parer_cades_bes.pdf.p7m")
        .display()
        .to_string();
    let given = run(
        data.path(),
        &[
            "verify",
            "--trust",
            &resigned,
            "--trust",
            &shared(IT),
            &file,
        ],
    );
    assert_eq!(given.status.code(), Some(66));

    let accepted = run(
        data.path(),
        &["trust", "import", "--accept-unpinned", &resigned],
    );
    assert_eq!(
        accepted.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&accepted.stderr)
    );
    let audit = String::from_utf8_lossy(&run(data.path(), &["audit", "export", "--json"]).stdout)
        .into_owned();
    assert!(
        audit.contains("NOT pinned"),
        "the audit log says so: {audit}"
    );

    // A signature that does not verify is refused even with --accept-unpinned.
    let broken = work.path().join("broken-lotl.xml");
    let text = std::fs::read_to_string(work.path().join("resigned-lotl.xml")).expect("read");
    std::fs::write(
        &broken,
        text.replacen("<TSLSequenceNumber>332", "<TSLSequenceNumber>333", 1),
    )
    .expect("write");
    let refused = run(
        data.path(),
        &[
            "trust",
            "import",
            "--accept-unpinned",
            &broken.display().to_string(),
        ],
    );
    assert_eq!(refused.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&refused.stderr).contains("signature"));
}
