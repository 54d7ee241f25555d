//! The desk end to end: the real `sportello` binary in a real terminal (a private tmux
//! server), the real pcscd with an emulated CNS in a vpcd reader of the card rig, and a demo
//! database made by `examples/demo_seed`. The officer logs in with the card, approves the
//! nomination signed by the legal representative, reads the audit log and quits; the
//! database then says what the screens said.
//!
//! Needs tmux and the card rig (pcscd + vsmartcard-vpcd, scripts/pcscd-rig.sh); the demo
//! seed is built by scripts/test.sh (`cargo build --locked --examples`).

mod emulator;
mod rig;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use emulator::{CardHandle, CardMaterial, CnsModel, CnsOptions, HolderOptions, VirtualCard};

/// The emulated card's PIN (CnsOptions::for_material).
const PIN: &str = "12345678";
const WRONG_PIN: &str = "11223344";
/// A screen that needs no card or file work appears well within this.
const SCREEN: Duration = Duration::from_secs(10);
/// Card authentication: PIN, challenge-response with a 2048-bit key, chain check.
const AUTH: Duration = Duration::from_secs(20);
/// pcscd polls vpcd readers: a pulled card must show on the home screen within this.
const PULLED: Duration = Duration::from_secs(3);

fn tmux_missing_is_fatal() {
    let found = Command::new("tmux")
        .arg("-V")
        .output()
        .is_ok_and(|o| o.status.success());
    assert!(
        found,
        "tmux is needed for the end-to-end TUI tests (apt-get install tmux)"
    );
}

/// What the pane's shell prints when the program under test has ended.
const EXITED: &str = "desk exited with status";

/// The pane's shell: runs the program, then reports; `exec sleep` keeps the pane (and its
/// terminal modes) until the test kills the server.
const AFTER_EXIT: &str = "\"$@\"; echo \"desk exited with status $?\"; stty -a; exec sleep 600";

/// A private tmux server running one program in a 120×40 pane. Dropping it kills the
/// server (and the program with it), also when the test panics.
struct Terminal {
    /// In the test's temporary directory (`-S`), not /tmp/tmux-UID (`-L`): tmux leaves its
    /// socket file behind, and the temporary directory takes it away.
    socket: PathBuf,
    /// Every screen captured, to check that the PIN never appeared in any of them.
    seen: Vec<String>,
}

impl Terminal {
    /// Starts `program args` in a new pane, under a shell that, once the program has ended,
    /// prints its exit status and the terminal modes and stays (the pane stays readable,
    /// and the modes show whether the program gave the terminal back).
    fn start(dir: &Path, program: &Path, args: &[&str]) -> Terminal {
        tmux_missing_is_fatal();
        static NEXT: AtomicUsize = AtomicUsize::new(0);
        let name = format!("tmux-{}", NEXT.fetch_add(1, Ordering::SeqCst));
        let socket = dir.join(format!("{name}.sock"));
        // Our own configuration, not the user's: no status line, so the pane is the whole
        // 120×40.
        let conf = dir.join(format!("{name}.conf"));
        std::fs::write(&conf, "set -g status off\n").expect("write the tmux configuration");
        let terminal = Terminal {
            socket,
            seen: Vec::new(),
        };
        let conf = conf.display().to_string();
        let program = program.display().to_string();
        let mut command = vec![
            "-f",
            &conf,
            "new-session",
            "-d",
            "-x",
            "120",
            "-y",
            "40",
            "-s",
            "desk",
            "--",
            "sh",
            "-c",
            AFTER_EXIT,
            "desk",
            &program,
        ];
        command.extend_from_slice(args);
        terminal.tmux(&command);
        terminal
    }

    fn tmux(&self, args: &[&str]) -> String {
        let out = Command::new("tmux")
            .arg("-S")
            .arg(&self.socket)
            .args(args)
            // A test run from inside tmux must not talk to the outer server.
            .env_remove("TMUX")
            .output()
            .expect("run tmux");
        assert!(
            out.status.success(),
            "tmux {args:?} failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    /// Named keys (tmux key names: Enter, Escape, Tab, Down, ...).
    fn keys(&self, keys: &[&str]) {
        let mut args = vec!["send-keys", "-t", "desk"];
        args.extend_from_slice(keys);
        self.tmux(&args);
    }

    /// Characters typed as they are.
    fn type_text(&self, text: &str) {
        self.tmux(&["send-keys", "-t", "desk", "-l", text]);
    }

    fn capture(&mut self) -> String {
        let screen = self.tmux(&["capture-pane", "-p", "-t", "desk"]);
        self.seen.push(screen.clone());
        // To see what the test saw: SPORTELLO_E2E_SCREENS=1 cargo test --test tui_e2e -- --nocapture
        if std::env::var_os("SPORTELLO_E2E_SCREENS").is_some() {
            eprintln!("-----\n{screen}");
        }
        screen
    }

    /// Polls the screen until `ready` holds; panics after `timeout` showing the last screen.
    fn wait_for(&mut self, what: &str, timeout: Duration, ready: impl Fn(&str) -> bool) -> String {
        let deadline = Instant::now() + timeout;
        loop {
            let screen = self.capture();
            if ready(&screen) {
                return screen;
            }
            assert!(
                Instant::now() < deadline,
                "{what}: not on screen within {timeout:?}; the screen was:\n{screen}"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    fn wait_for_text(&mut self, text: &str, timeout: Duration) -> String {
        self.wait_for(&format!("{text:?}"), timeout, |s| s.contains(text))
    }

    /// `#{...}` formats of the pane (tmux's FORMATS).
    fn pane(&self, format: &str) -> String {
        self.tmux(&["display-message", "-p", "-t", "desk", format])
            .trim()
            .to_string()
    }

    /// Waits for the program to end; its exit status and the terminal modes (`stty -a`)
    /// after it.
    fn wait_exit(&mut self, timeout: Duration) -> (i32, String) {
        // `stty -a` prints several lines: wait for the local modes too (icanon or -icanon),
        // not just the first line, or a capture between them reads as raw mode.
        let screen = self.wait_for("the desk's exit", timeout, |s| {
            s.contains(EXITED) && s.contains("speed") && s.contains("icanon")
        });
        let after = &screen[screen.find(EXITED).unwrap_or(0) + EXITED.len()..];
        let status = after
            .split_whitespace()
            .next()
            .and_then(|w| w.parse().ok())
            .unwrap_or_else(|| panic!("no exit status on screen:\n{screen}"));
        (status, after.to_string())
    }

    /// Checks that the program left the terminal as it found it: out of the alternate
    /// screen, cursor shown, line editing and echo back (raw mode off).
    fn assert_terminal_restored(&self, modes: &str) {
        assert_eq!(
            self.pane("#{alternate_on}"),
            "0",
            "still in the alternate screen"
        );
        assert_eq!(self.pane("#{cursor_flag}"), "1", "the cursor stayed hidden");
        let words: Vec<&str> = modes
            .split(|c: char| c.is_whitespace() || c == ';')
            .collect();
        for mode in ["icanon", "echo", "isig"] {
            assert!(
                words.contains(&mode),
                "the terminal stayed in raw mode ({mode} off):\n{modes}"
            );
        }
    }

    fn assert_never_showed(&self, secret: &str) {
        for screen in &self.seen {
            assert!(
                !screen.contains(secret),
                "the PIN appeared on screen:\n{screen}"
            );
        }
    }
}

impl Drop for Terminal {
    fn drop(&mut self) {
        let _ = Command::new("tmux")
            .arg("-S")
            .arg(&self.socket)
            .arg("kill-server")
            .env_remove("TMUX")
            .output();
    }
}

fn desk_binary() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_sportello"))
}

/// The demo seed program, built beforehand by scripts/test.sh: target/debug/examples/demo_seed,
/// found beside the desk binary so that a CARGO_TARGET_DIR elsewhere works too.
fn demo_seed_binary() -> PathBuf {
    let path = desk_binary()
        .parent()
        .expect("the desk binary is in a directory")
        .join("examples/demo_seed");
    assert!(
        path.is_file(),
        "{} is missing: build it first with `cargo build --locked --examples` (scripts/test.sh does)",
        path.display()
    );
    path
}

/// Fills `data_dir` with the demo desk, trusting `card_ca` for the officer's card login.
fn seed_demo_desk(data_dir: &Path, card_ca: &Path) {
    let out = Command::new(demo_seed_binary())
        .arg(data_dir)
        .arg(card_ca)
        .output()
        .expect("run demo_seed");
    assert!(
        out.status.success(),
        "demo_seed failed: {}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

/// The demo officer's CNS (ROSSI MARIO, RSSMRA80A01H501U), in the claimed reader, once
/// pcscd sees it.
fn insert_officer_card(claim: &rig::ReaderClaim, material: &CardMaterial) -> CardHandle {
    let handle = VirtualCard::insert(
        claim.port,
        CnsModel::new(material.clone(), CnsOptions::for_material(material)),
    );
    let ctx = pcsc::Context::establish(pcsc::Scope::User).expect("connect to pcscd");
    rig::wait_for_card(&ctx, &claim.reader_name, true, Duration::from_secs(15));
    handle
}

fn start_desk(dir: &Path, data_dir: &Path) -> Terminal {
    let data_dir = data_dir.display().to_string();
    Terminal::start(
        dir,
        &desk_binary(),
        &["--data-dir", &data_dir, "--lang", "en"],
    )
}

/// The home screen's line for our reader (other tests may have cards in other readers).
fn home_reader_line(screen: &str, reader: &str) -> Option<String> {
    screen
        .lines()
        .find(|l| l.contains(&format!("{reader}: ")))
        .map(str::to_string)
}

fn wait_home_with_card(desk: &mut Terminal, reader: &str) -> String {
    desk.wait_for("the home screen with our card", SCREEN, |s| {
        s.contains("Sportello CPI · Home")
            && home_reader_line(s, reader)
                .is_some_and(|l| l.contains("card inserted (cns-infocamere)"))
    })
}

/// The login screen's chosen reader line (marked ▶).
fn chosen_reader(screen: &str) -> Option<String> {
    screen
        .lines()
        .find(|l| l.contains('▶'))
        .map(|l| l.trim_matches(|c| c == '│' || c == ' ').to_string())
}

/// Opens the login screen and makes our reader the chosen one: the login picks the first
/// reader with a card, which may hold another test's card.
fn open_login_on(desk: &mut Terminal, reader: &str) {
    desk.keys(&["l"]);
    desk.wait_for_text("Sportello CPI · Card login", SCREEN);
    let ours = format!("▶ {reader}: ");
    for _ in 0..rig::READERS {
        let screen = desk.wait_for("a chosen reader", SCREEN, |s| chosen_reader(s).is_some());
        if screen.contains(&ours) {
            return;
        }
        let before = chosen_reader(&screen);
        desk.keys(&["Tab"]);
        desk.wait_for("the next reader chosen", SCREEN, |s| {
            chosen_reader(s) != before
        });
    }
    let screen = desk.capture();
    panic!("Tab never chose {reader}; the screen was:\n{screen}");
}

/// Types the PIN and checks that the screen shows one dot per digit.
fn type_pin(desk: &mut Terminal, pin: &str) {
    desk.type_text(pin);
    desk.wait_for_text(&format!("PIN: {}▏", "•".repeat(pin.len())), SCREEN);
}

#[test]
fn officer_logs_in_approves_a_nomination_and_reads_the_audit_log() {
    let started = Instant::now();
    let claim = rig::claim_reader();
    let dir = tempfile::tempdir().expect("temp dir");
    let material = CardMaterial::generate(&dir.path().join("card"), HolderOptions::default());
    let data_dir = dir.path().join("data");
    seed_demo_desk(&data_dir, &material.ca_cert);
    let _card = insert_officer_card(&claim, &material);

    let mut desk = start_desk(dir.path(), &data_dir);
    let home = wait_home_with_card(&mut desk, &claim.reader_name);
    assert!(home.contains("No officer logged in"), "{home}");

    open_login_on(&mut desk, &claim.reader_name);
    type_pin(&mut desk, PIN);
    desk.keys(&["Enter"]);
    let home = desk.wait_for("the officer logged in on the home screen", AUTH, |s| {
        s.contains("Sportello CPI · Home") && s.contains("MARIO ROSSI (DEMO) (RSSMRA80A01H501U)")
    });
    assert!(home.contains("Officer: MARIO ROSSI (DEMO)"), "{home}");

    // The queue: the nomination for ACME, whose form its legal representative signed.
    desk.keys(&["4"]);
    let queue = desk.wait_for_text("Pending: 2", SCREEN);
    // States in words, and the company's name beside its code.
    let rows: Vec<&str> = queue
        .lines()
        .filter(|l| l.contains("awaiting approval"))
        .collect();
    let acme = rows
        .iter()
        .position(|l| l.contains("00743110157"))
        .unwrap_or_else(|| panic!("no pending ACME nomination:\n{queue}"));
    for _ in 0..acme {
        desk.keys(&["Down"]);
    }
    desk.keys(&["Enter"]);
    let detail = desk.wait_for_text("(00743110157)", SCREEN);
    assert!(detail.contains("State: awaiting approval"), "{detail}");
    assert!(
        detail.contains("(BNCGNN70C15L219B) ✓ legal representative"),
        "the form should be signed by the legal representative:\n{detail}"
    );

    // The demo PKI publishes no revocation data: the registry asks for a confirmation.
    desk.keys(&["a"]);
    desk.wait_for_text("approve anyway?", SCREEN);
    desk.keys(&["y"]);
    let detail = desk.wait_for_text("Nomination approved.", SCREEN);
    assert!(detail.contains("State: approved"), "{detail}");

    desk.keys(&["Escape"]);
    desk.wait_for_text("Pending: 1", SCREEN);
    desk.keys(&["Escape"]);
    desk.wait_for_text("Nominations awaiting approval: 1", SCREEN);
    desk.keys(&["6"]);
    let audit = desk.wait_for("the audit log, verified", SCREEN, |s| {
        s.contains("Audit log intact:") && s.contains("rows verified.")
    });
    let has_row = |action: &str, entity: &str| {
        audit
            .lines()
            .any(|l| l.contains(&format!(" {action} ")) && l.contains(entity))
    };
    // Actions in words.
    assert!(has_row("nomination approved", "nomination:"), "{audit}");
    assert!(has_row("card login", "officer:RSSMRA80A01H501U"), "{audit}");
    // The newest row is selected: its summary records the officer's confirmation.
    assert!(audit.contains("the officer confirmed"), "{audit}");

    desk.keys(&["Escape"]);
    desk.wait_for_text("Sportello CPI · Home", SCREEN);
    desk.keys(&["q"]);
    let (status, modes) = desk.wait_exit(SCREEN);
    assert_eq!(status, 0, "the desk's exit status");
    desk.assert_terminal_restored(&modes);
    desk.assert_never_showed(PIN);

    // The database says what the screens said.
    let db = sportello::store::default_path(&data_dir);
    let store = sportello::store::Store::open(&db).expect("open the desk database");
    let nominations = store.nominations(None).expect("nominations");
    let approved: Vec<_> = nominations
        .iter()
        .filter(|n| n.state == "approvata")
        .collect();
    assert_eq!(approved.len(), 1, "{nominations:?}");
    assert_eq!(approved[0].company_cf, "00743110157");
    let check = store.audit_verify().expect("audit verify");
    assert_eq!(check.first_broken, None);
    let rows = store.audit_rows().expect("audit rows");
    assert!(rows.iter().any(|r| r.action == "login"), "{rows:?}");
    assert!(
        rows.iter()
            .any(|r| r.action == "nomination.approve" && r.session_id.is_some()),
        "{rows:?}"
    );
    let cli = Command::new(desk_binary())
        .arg("--data-dir")
        .arg(&data_dir)
        .args(["audit", "verify"])
        .output()
        .expect("run sportello audit verify");
    assert!(
        cli.status.success(),
        "audit verify: {}",
        String::from_utf8_lossy(&cli.stdout)
    );
    eprintln!("end-to-end desk day: {:?}", started.elapsed());
}

#[test]
fn wrong_pin_shows_the_tries_left_and_a_pulled_card_shows_on_home() {
    let started = Instant::now();
    let claim = rig::claim_reader();
    let dir = tempfile::tempdir().expect("temp dir");
    let material = CardMaterial::generate(&dir.path().join("card"), HolderOptions::default());
    let data_dir = dir.path().join("data");
    let mut card = insert_officer_card(&claim, &material);

    let mut desk = start_desk(dir.path(), &data_dir);
    wait_home_with_card(&mut desk, &claim.reader_name);
    open_login_on(&mut desk, &claim.reader_name);
    type_pin(&mut desk, WRONG_PIN);
    desk.keys(&["Enter"]);
    let login = desk.wait_for_text("Wrong PIN. Tries left: 2", AUTH);
    assert!(login.contains("PIN tries left: 2"), "{login}");
    assert_eq!(card.pin_tries_left(), Some(2));

    desk.keys(&["Escape"]);
    wait_home_with_card(&mut desk, &claim.reader_name);
    card.remove();
    let pulled = Instant::now();
    let reader = claim.reader_name.clone();
    // The rig has many readers: the home screen lists those with a card and counts the
    // empty ones, so the pulled card's reader leaves the list.
    desk.wait_for("the pulled card on the home screen", PULLED, |s| {
        s.contains("Readers without a card:") && home_reader_line(s, &reader).is_none()
    });
    eprintln!("pulled card shown after {:?}", pulled.elapsed());

    desk.keys(&["q"]);
    let (status, modes) = desk.wait_exit(SCREEN);
    assert_eq!(status, 0, "the desk's exit status");
    desk.assert_terminal_restored(&modes);
    desk.assert_never_showed(WRONG_PIN);
    eprintln!("wrong PIN and pulled card: {:?}", started.elapsed());
}

/// Pids of the running processes whose command line holds every one of `parts`.
fn processes_with(parts: &[&str]) -> Vec<u32> {
    let Ok(entries) = std::fs::read_dir("/proc") else {
        return Vec::new();
    };
    entries
        .filter_map(|e| e.ok())
        .filter_map(|e| e.file_name().to_str()?.parse::<u32>().ok())
        .filter(|pid| {
            std::fs::read(format!("/proc/{pid}/cmdline")).is_ok_and(|c| {
                let line = String::from_utf8_lossy(&c).replace('\0', " ");
                parts.iter().all(|p| line.contains(p))
            })
        })
        .collect()
}

fn pcscd_pids() -> Vec<u32> {
    let mut pids: Vec<u32> = std::fs::read_dir("/proc")
        .expect("/proc")
        .filter_map(|e| e.ok())
        .filter_map(|e| e.file_name().to_str()?.parse::<u32>().ok())
        .filter(|pid| {
            std::fs::read_to_string(format!("/proc/{pid}/comm")).is_ok_and(|c| c.trim() == "pcscd")
        })
        .collect();
    pids.sort();
    pids
}

/// The demo as a user runs it (scripts/run.sh with the demo card in a rig reader): the desk
/// opens with the emulated card; once the officer quits, nothing the demo started is still
/// running, and the pcscd it found running (the rig's) is left as it was. (The demo stops a
/// pcscd it started itself; that case would need the machine's only pcscd stopped first,
/// which a shared test machine cannot allow.)
#[test]
fn the_demo_leaves_nothing_running() {
    let started = Instant::now();
    let claim = rig::claim_reader();
    let dir = tempfile::tempdir().expect("temp dir");
    let built = desk_binary()
        .parent()
        .expect("the desk binary is in a directory")
        .to_path_buf();
    demo_seed_binary();
    assert!(
        built.join("examples/card_emulator").is_file(),
        "examples/card_emulator is missing: build it first with `cargo build --locked --examples`"
    );
    let pcscd_before = pcscd_pids();
    assert!(
        !pcscd_before.is_empty(),
        "the card rig's pcscd should be running"
    );

    let script = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("scripts/run.sh");
    let port_arg = format!("SPORTELLO_DEMO_PORT={}", claim.port);
    let mut desk = Terminal::start(
        dir.path(),
        Path::new("env"),
        &[
            &format!("SPORTELLO_PREBUILT={}", built.display()),
            "SPORTELLO_DEMO=1",
            &port_arg,
            // No trusted lists to import: the demo card's CA is enough, and it is quicker.
            &format!("SPORTELLO_SHARED={}", dir.path().join("none").display()),
            &format!("TMPDIR={}", dir.path().display()),
            "bash",
            &script.display().to_string(),
            "--lang",
            "en",
        ],
    );
    desk.wait_for_text("Enter to open the desk", Duration::from_secs(60));
    let port = format!("--port {}", claim.port);
    let emulator = processes_with(&["card_emulator", &port]);
    assert_eq!(
        emulator.len(),
        1,
        "the demo's card emulator should be running"
    );
    desk.keys(&["Enter"]);
    wait_home_with_card(&mut desk, &claim.reader_name);

    desk.keys(&["q"]);
    let (status, modes) = desk.wait_exit(SCREEN);
    assert_eq!(status, 0, "the demo's exit status");
    desk.assert_terminal_restored(&modes);
    // Everything the demo starts works in its folder, made under our TMPDIR.
    let demo_folder = format!("{}/sportello-demo.", dir.path().display());
    let left = processes_with(&[&demo_folder]);
    assert!(
        left.is_empty(),
        "processes of the demo still run after it quit: {left:?}"
    );
    assert!(
        !std::path::Path::new(&format!("/proc/{}", emulator[0])).exists(),
        "the demo's card emulator still runs"
    );
    assert_eq!(
        pcscd_pids(),
        pcscd_before,
        "the demo must leave the pcscd it found as it was"
    );
    eprintln!("demo run and quit: {:?}", started.elapsed());
}
