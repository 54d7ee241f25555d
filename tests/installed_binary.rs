//! The program away from its source tree: copied into an empty folder (as `cargo install`
//! or the Debian package leave it), it still knows the cards, authenticates the emulated
//! CNS through pcscd, lists where its card profiles come from and names its commit.

mod emulator;
mod rig;

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Duration;

use emulator::{CardMaterial, CnsModel, CnsOptions, HolderOptions, VirtualCard};

/// The built program copied alone into a fresh folder, run from another empty folder with
/// an empty home: nothing of the repository is reachable from it.
struct Installed {
    _bin: tempfile::TempDir,
    exe: PathBuf,
    home: tempfile::TempDir,
    cwd: tempfile::TempDir,
}

/// Copies are written under the write lock and programs started under the read lock: a child
/// forked by one test while another test still has its copy open for writing would hold that
/// descriptor until it execs, and the other test's exec would fail with "Text file busy".
static COPY_OR_SPAWN: std::sync::RwLock<()> = std::sync::RwLock::new(());

impl Installed {
    fn new() -> Installed {
        let bin = tempfile::tempdir().expect("bin dir");
        let exe = bin.path().join("sportello");
        {
            let _copying = COPY_OR_SPAWN.write().unwrap_or_else(|e| e.into_inner());
            std::fs::copy(env!("CARGO_BIN_EXE_sportello"), &exe).expect("copy the program");
        }
        Installed {
            _bin: bin,
            exe,
            home: tempfile::tempdir().expect("home"),
            cwd: tempfile::tempdir().expect("working dir"),
        }
    }

    fn config_dir(&self) -> PathBuf {
        self.home.path().join(".config")
    }

    fn command(&self, args: &[&str]) -> Command {
        let mut cmd = Command::new(&self.exe);
        cmd.args(args)
            .current_dir(self.cwd.path())
            .env("HOME", self.home.path())
            .env("XDG_CONFIG_HOME", self.config_dir())
            .env("XDG_DATA_HOME", self.home.path().join(".local/share"))
            .env_remove("SPORTELLO_CARD_PROFILES")
            .env_remove("SPORTELLO_DATA_DIR")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        cmd
    }

    fn run(&self, args: &[&str], stdin: &str) -> (i32, String, String) {
        self.run_with(self.command(args), stdin)
    }

    fn run_with(&self, mut cmd: Command, stdin: &str) -> (i32, String, String) {
        use std::io::Write;
        let mut child = {
            let _spawning = COPY_OR_SPAWN.read().unwrap_or_else(|e| e.into_inner());
            cmd.spawn().expect("run the copied program")
        };
        child
            .stdin
            .take()
            .expect("stdin")
            .write_all(stdin.as_bytes())
            .expect("write stdin");
        let out = child.wait_with_output().expect("wait");
        (
            out.status.code().unwrap_or(-1),
            String::from_utf8_lossy(&out.stdout).into_owned(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    }
}

#[test]
fn a_copied_program_recognises_and_authenticates_the_cns() {
    let installed = Installed::new();
    let material_dir = tempfile::tempdir().expect("card material");
    let material = CardMaterial::generate(material_dir.path(), HolderOptions::default());
    let claim = rig::claim_reader();
    let _card = VirtualCard::insert(
        claim.port,
        CnsModel::new(material.clone(), CnsOptions::for_material(&material)),
    );
    let ctx = pcsc::Context::establish(pcsc::Scope::User).expect("pcscd");
    rig::wait_for_card(&ctx, &claim.reader_name, true, Duration::from_secs(15));
    let reader = claim.reader_name.as_str();

    let (code, out, err) = installed.run(&["--lang", "en", "card", "list"], "");
    assert_eq!(code, 0, "{err}");
    assert!(
        out.contains(&format!("{reader}: CNS InfoCamere")),
        "the built-in profile names the card: {out}"
    );

    let ca = material.ca_cert.to_string_lossy().into_owned();
    let (code, out, err) = installed.run(
        &[
            "card",
            "auth",
            "--reader",
            reader,
            "--pin-stdin",
            "--trust",
            &ca,
            "--json",
        ],
        "12345678\n",
    );
    assert_eq!(code, 0, "{out}{err}");
    let evidence: serde_json::Value = serde_json::from_str(&out).expect("JSON evidence");
    assert_eq!(evidence["verdict"], "PASSED", "{out}");
    assert_eq!(evidence["profile"], "cns-infocamere", "{out}");
    assert_eq!(evidence["codice_fiscale"], "RSSMRA80A01H501U", "{out}");
}

fn listing(installed: &Installed, cmd: Command) -> serde_json::Value {
    let (code, out, err) = installed.run_with(cmd, "");
    assert_eq!(code, 0, "{err}");
    serde_json::from_str(&out).expect("JSON listing")
}

fn profile<'a>(listing: &'a serde_json::Value, id: &str) -> &'a serde_json::Value {
    listing["profiles"]
        .as_array()
        .expect("profiles")
        .iter()
        .find(|p| p["id"] == id)
        .unwrap_or_else(|| panic!("{id} in {listing}"))
}

const OFFICE_INFOCAMERE: &str = r#"
[[profile]]
id = "cns-infocamere"
label = "CNS InfoCamere dell'ufficio"
driver = "cns"
[[profile.atr]]
value = "3B FF 18 00 FF 81 31 FE 55 00 6B 02 09 02 00 01 11 01 43 4E 53 11 31 80 8E"
"#;

const EXTRA_TOKEN: &str = r#"
[[profile]]
id = "token-regione"
label = "Token della regione"
driver = "pkcs11"
modules = ["/usr/lib/libbit4xpki.so"]
"#;

#[test]
fn card_profiles_lists_the_built_in_ones_and_what_folders_add_or_replace() {
    let installed = Installed::new();
    let built_in = listing(
        &installed,
        installed.command(&["card", "profiles", "--json"]),
    );
    let infocamere = profile(&built_in, "cns-infocamere");
    assert_eq!(infocamere["source"]["kind"], "built-in");
    assert_eq!(infocamere["source"]["path"], "cns-infocamere.toml");
    let shipped = built_in["profiles"].as_array().expect("profiles").len();
    let in_repository = sportello::card::Profiles::load(&[
        Path::new(env!("CARGO_MANIFEST_DIR")).join("card-profiles")
    ])
    .expect("the repository's profiles")
    .iter()
    .count();
    assert_eq!(
        shipped, in_repository,
        "every shipped profile is built in: {built_in}"
    );

    let office = installed.config_dir().join("sportello/card-profiles");
    std::fs::create_dir_all(&office).expect("office folder");
    std::fs::write(office.join("infocamere.toml"), OFFICE_INFOCAMERE).expect("write");
    let extra = tempfile::tempdir().expect("extra folder");
    std::fs::write(extra.path().join("token.toml"), EXTRA_TOKEN).expect("write");
    let mut cmd = installed.command(&["card", "profiles", "--json"]);
    cmd.env("SPORTELLO_CARD_PROFILES", extra.path());
    let layered = listing(&installed, cmd);
    assert_eq!(
        layered["profiles"].as_array().expect("profiles").len(),
        shipped + 1
    );
    let replaced = profile(&layered, "cns-infocamere");
    assert_eq!(replaced["label"], "CNS InfoCamere dell'ufficio");
    assert_eq!(
        Path::new(replaced["source"]["path"].as_str().expect("a path")),
        office.join("infocamere.toml")
    );
    assert_eq!(replaced["replaces"]["kind"], "built-in");
    assert_eq!(
        profile(&layered, "token-regione")["source"]["path"],
        extra.path().join("token.toml").to_string_lossy().as_ref()
    );

    // The human listing says the same in Italian.
    let mut cmd = installed.command(&["card", "profiles"]);
    cmd.env("SPORTELLO_CARD_PROFILES", extra.path());
    let (code, out, _) = installed.run_with(cmd, "");
    assert_eq!(code, 0);
    assert!(
        out.contains("integrato nel programma (card-profiles/cie-3.toml)"),
        "{out}"
    );
    assert!(
        out.contains("sostituisce integrato nel programma (card-profiles/cns-infocamere.toml)"),
        "{out}"
    );

    // A broken office file stops the program with its path and line.
    std::fs::write(office.join("broken.toml"), "[[profile]]\nid = 3\n").expect("write");
    let (code, _, err) = installed.run(&["card", "profiles"], "");
    assert_eq!(code, 78, "{err}");
    assert!(err.contains("broken.toml:2"), "{err}");
}

#[test]
fn version_names_the_commit_it_was_built_from() {
    let installed = Installed::new();
    let (code, out, _) = installed.run(&["--version"], "");
    assert_eq!(code, 0);
    let commit = Command::new("git")
        .args(["rev-parse", "--short=12", "HEAD"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .ok()
        .filter(|o| o.status.success())
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string())
        .unwrap_or_else(|| "unknown".into());
    assert_eq!(
        out.trim(),
        format!("sportello {} (commit {commit})", env!("CARGO_PKG_VERSION"))
    );
}
