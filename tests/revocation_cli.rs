//! `sportello trust import x.crl`, `verify --crl`, `verify --online` and `trust status`, run as
//! the real binary against a test CA (openssl) whose responder and CRL are served on 127.0.0.1.

mod support;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::Arc;

use support::local_http::{reserve, LocalServer};
use support::pki::openssl;
use support::revocation_pki::{Responder, RevPki};

fn run(data: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_sportello"))
        .env("SPORTELLO_DATA_DIR", data)
        .args(["--lang", "en"])
        .args(args)
        .output()
        .expect("run sportello")
}

fn json(out: &Output) -> serde_json::Value {
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "{e}: {}\n{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    })
}

struct Setup {
    _dir: tempfile::TempDir,
    pki: Arc<RevPki>,
    good: String,
    revoked: String,
    _servers: Vec<LocalServer>,
}

fn sign(pki: &RevPki, tag: &str) -> String {
    std::fs::write(pki.dir.join("doc.txt"), b"Modulo di prova SPORTELLO TEST\n").expect("doc");
    let out = format!("{tag}.p7m");
    openssl(
        &pki.dir,
        &[
            "cms",
            "-sign",
            "-nodetach",
            "-binary",
            "-outform",
            "DER",
            "-md",
            "sha256",
            "-in",
            "doc.txt",
            "-signer",
            &format!("{tag}.pem"),
            "-inkey",
            &format!("{tag}.key"),
            "-out",
            &out,
        ],
    );
    pki.dir.join(out).display().to_string()
}

fn setup(serve: bool) -> Setup {
    let dir = tempfile::tempdir().expect("tempdir");
    let (crl_listener, ocsp_listener) = (reserve(), reserve());
    let crl_url = format!("http://{}/ca.crl", crl_listener.local_addr().expect("addr"));
    let ocsp_url = format!("http://{}/ocsp", ocsp_listener.local_addr().expect("addr"));
    let pki = Arc::new(RevPki::build(dir.path(), &crl_url, &ocsp_url));
    let mut servers = Vec::new();
    if serve {
        let p = pki.clone();
        servers.push(LocalServer::start(
            ocsp_listener,
            Arc::new(move |_, _, body| (200, p.ocsp_answer(body, Responder::Delegated))),
        ));
        let p = pki.clone();
        servers.push(LocalServer::start(
            crl_listener,
            Arc::new(move |_, _, _| (200, p.crl.clone())),
        ));
    }
    let good = sign(&pki, "good");
    let revoked = sign(&pki, "revoked");
    Setup {
        _dir: dir,
        pki,
        good,
        revoked,
        _servers: servers,
    }
}

fn revocation(report: &serde_json::Value) -> &serde_json::Value {
    &report["signatures"][0]["revocation"]
}

fn path(p: &Path) -> String {
    p.display().to_string()
}

#[test]
fn an_imported_crl_answers_offline_and_a_bad_one_is_never_stored() {
    let s = setup(false);
    let data = tempfile::tempdir().expect("tempdir");
    let ca = path(&s.pki.ca_pem);
    // The CRL's issuer must be known first.
    let early = run(data.path(), &["trust", "import", &path(&s.pki.crl_pem)]);
    assert_eq!(early.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&early.stderr).contains("no known CA issued this CRL"));
    let imported = run(
        data.path(),
        &["trust", "import", &ca, &path(&s.pki.crl_pem)],
    );
    assert_eq!(
        imported.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&imported.stderr)
    );

    let impostor: PathBuf = s.pki.dir.join("impostor.crl");
    std::fs::write(&impostor, &s.pki.impostor_crl).expect("write");
    let refused = run(data.path(), &["trust", "import", &path(&impostor)]);
    assert_eq!(refused.status.code(), Some(1));

    let status = json(&run(data.path(), &["trust", "status", "--json"]));
    let crls = status["crls"].as_array().expect("crls");
    assert_eq!(crls.len(), 1, "only the good CRL is kept: {status}");
    assert_eq!(crls[0]["entries"], 1);
    assert_eq!(crls[0]["age_days"], 0);
    assert_eq!(crls[0]["stale"], false);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let root = data.path().join("trust/crls");
        for entry in walk(&root) {
            let mode = std::fs::metadata(&entry)
                .expect("meta")
                .permissions()
                .mode();
            assert_eq!(mode & 0o077, 0, "{} is {mode:o}", entry.display());
        }
    }

    let good = json(&run(data.path(), &["verify", "--json", &s.good]));
    assert_eq!(revocation(&good)["status"], "good", "{good}");
    assert_eq!(revocation(&good)["source"], "store");
    assert!(revocation(&good)["this_update"].is_string());
    let revoked = json(&run(data.path(), &["verify", "--json", &s.revoked]));
    assert_eq!(revocation(&revoked)["status"], "revoked", "{revoked}");
    assert_eq!(revocation(&revoked)["reason"], "keyCompromise");
    assert_ne!(revoked["indication"], "TOTAL_PASSED");
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out = vec![dir.to_path_buf()];
    for entry in std::fs::read_dir(dir).expect("read_dir").flatten() {
        let p = entry.path();
        if p.is_dir() {
            out.extend(walk(&p));
        } else {
            out.push(p);
        }
    }
    out
}

#[test]
fn verify_crl_is_for_one_run_and_without_data_revocation_is_unknown() {
    let s = setup(false);
    let data = tempfile::tempdir().expect("tempdir");
    let ca = path(&s.pki.ca_pem);
    let crl = path(&s.pki.crl_pem);
    let with = json(&run(
        data.path(),
        &[
            "verify", "--json", "--trust", &ca, "--crl", &crl, &s.revoked,
        ],
    ));
    assert_eq!(revocation(&with)["status"], "revoked", "{with}");
    assert!(
        !data.path().join("trust/crls").exists(),
        "--crl stores nothing"
    );
    let without = json(&run(
        data.path(),
        &["verify", "--json", "--trust", &ca, &s.good],
    ));
    assert_eq!(revocation(&without)["status"], "unknown", "{without}");
    assert_eq!(
        without["signatures"][0]["sub_indication"], "TRY_LATER",
        "{without}"
    );
}

#[test]
fn verify_online_asks_the_responder() {
    let s = setup(true);
    let data = tempfile::tempdir().expect("tempdir");
    let ca = path(&s.pki.ca_pem);
    let good = json(&run(
        data.path(),
        &["verify", "--json", "--online", "--trust", &ca, &s.good],
    ));
    assert_eq!(revocation(&good)["status"], "good", "{good}");
    assert_eq!(revocation(&good)["source"], "ocsp");
    assert!(revocation(&good)["url"]
        .as_str()
        .is_some_and(|u| u.starts_with("http://127.0.0.1:")));
    let revoked = json(&run(
        data.path(),
        &["verify", "--json", "--online", "--trust", &ca, &s.revoked],
    ));
    assert_eq!(revocation(&revoked)["status"], "revoked", "{revoked}");
}

#[test]
fn trust_refresh_changes_nothing_when_the_list_of_lists_is_forged() {
    let data = tempfile::tempdir().expect("tempdir");
    let lotl = std::env::var_os("SPORTELLO_SHARED")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared"))
        .join("trust/EU-LOTL_seq332_2023-09-27.xml");
    let text = std::fs::read_to_string(&lotl).expect("the shared EU list of lists");
    let forged = text.replacen("<TSLSequenceNumber>", "<TSLSequenceNumber>9", 1);
    assert_ne!(forged, text);
    let listener = reserve();
    let url = format!(
        "http://{}/eu-lotl.xml",
        listener.local_addr().expect("addr")
    );
    let server = LocalServer::start(
        listener,
        Arc::new(move |_, _, _| (200, forged.clone().into_bytes())),
    );
    // Offline: only says what is out of date.
    let pending = json(&run(
        data.path(),
        &["trust", "refresh", "--json", "--lotl-url", &url],
    ));
    assert_eq!(pending[0]["kind"], "trusted-list", "{pending}");
    assert_eq!(server.hits.load(std::sync::atomic::Ordering::SeqCst), 0);

    let out = run(
        data.path(),
        &["trust", "refresh", "--online", "--json", "--lotl-url", &url],
    );
    assert_eq!(out.status.code(), Some(1));
    let items = json(&out);
    assert_eq!(items[0]["kind"], "list-of-lists");
    assert_eq!(items[0]["ok"], false);
    assert!(
        items[0]["detail"]
            .as_str()
            .is_some_and(|d| d.contains("signature")),
        "{items}"
    );
    assert!(
        !data.path().join("trust/lotl.xml").exists(),
        "nothing imported"
    );
    assert_eq!(server.hits.load(std::sync::atomic::Ordering::SeqCst), 1);
}
