//! The card test rig: one pcscd with 16 vpcd readers (scripts/pcscd-rig.sh), shared by all
//! test processes. `claim_reader()` gives a test a reader nobody else uses until it drops
//! the claim, through an exclusive file lock, so parallel tests and test binaries never
//! put two cards in one reader.
#![allow(dead_code)]

mod probe;

use std::fs::{File, OpenOptions};
use std::path::PathBuf;
use std::process::Command;
use std::sync::Once;
use std::time::{Duration, Instant};

pub const FIRST_PORT: u16 = 40000;
pub const READERS: u16 = 16;

pub fn rig_dir() -> PathBuf {
    std::env::var_os("SPORTELLO_RIG_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("/tmp/sportello-rig"))
}

/// PC/SC name of the reader whose vpcd listens on `port` (see scripts/pcscd-rig.sh: each
/// config entry "Sportello VPCD <n>" gives readers "... 00 00" and "... 00 01").
pub fn reader_name(port: u16) -> String {
    let index = port - FIRST_PORT;
    format!("Sportello VPCD {} 00 {:02}", index / 2, index % 2)
}

/// Starts the rig when it is not running (idempotent; the script refuses to touch a
/// foreign pcscd unless CI=true). A rig that cannot start fails the test loudly.
pub fn ensure_running() {
    static STARTED: Once = Once::new();
    STARTED.call_once(|| {
        let script = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("scripts/pcscd-rig.sh");
        std::fs::create_dir_all(rig_dir()).expect("create the rig directory");
        // Serialise starts across test binaries: two would race for the one pcscd.
        let lock = File::create(rig_dir().join("start.lock")).expect("create the start lock");
        rustix::fs::flock(&lock, rustix::fs::FlockOperation::LockExclusive)
            .expect("lock the rig start");
        let out = Command::new("bash")
            .arg(&script)
            .arg("start")
            .output()
            .expect("run scripts/pcscd-rig.sh");
        assert!(
            out.status.success(),
            "the card test rig (pcscd + vpcd) is not available: {}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
    });
}

/// A reader held by this test; dropping it lets another test take the reader.
#[derive(Debug)]
pub struct ReaderClaim {
    pub port: u16,
    pub reader_name: String,
    _lock: File,
}

/// Marks a reader set aside (see probe.rs) for as long as this pcscd runs; the rig script
/// clears the marks when it starts a new pcscd.
fn deaf_marker(port: u16) -> PathBuf {
    rig_dir().join(format!("reader-{port}.deaf"))
}

/// Claims a free reader that hears cards, waiting up to a minute when all 16 are busy.
pub fn claim_reader() -> ReaderClaim {
    ensure_running();
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        for port in FIRST_PORT..FIRST_PORT + READERS {
            let path = rig_dir().join(format!("reader-{port}.lock"));
            let file = OpenOptions::new()
                .create(true)
                .truncate(false)
                .write(true)
                .open(&path)
                .unwrap_or_else(|e| panic!("open {}: {e}", path.display()));
            // flock rather than std's File::try_lock: the crate's MSRV (1.85) predates it.
            match rustix::fs::flock(&file, rustix::fs::FlockOperation::NonBlockingLockExclusive) {
                Ok(()) => {
                    let deaf = deaf_marker(port);
                    if deaf.exists() {
                        continue;
                    }
                    let claim = ReaderClaim {
                        port,
                        reader_name: reader_name(port),
                        _lock: file,
                    };
                    // The previous holder's card may be gone from the socket but not yet
                    // from pcscd's view (it polls): a new card must not meet a stale state.
                    let ctx = pcsc::Context::establish(pcsc::Scope::User)
                        .expect("connect to the rig's pcscd");
                    wait_for_card(&ctx, &claim.reader_name, false, Duration::from_secs(15));
                    if probe::reader_hears_cards(&ctx, port, &claim.reader_name) {
                        return claim;
                    }
                    eprintln!(
                        "rig: reader {} no longer sees new cards (a vpcd quirk); set aside",
                        claim.reader_name
                    );
                    let _ = std::fs::write(&deaf, b"");
                }
                Err(rustix::io::Errno::WOULDBLOCK) => continue,
                Err(e) => panic!("lock {}: {e}", path.display()),
            }
        }
        assert!(
            Instant::now() < deadline,
            "all {READERS} rig readers stayed busy for a minute"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// Waits until pcscd reports the reader with (`present`) or without a card; panics after
/// `timeout` with the last state seen.
pub fn wait_for_card(ctx: &pcsc::Context, reader: &str, present: bool, timeout: Duration) {
    let name = std::ffi::CString::new(reader).expect("reader name without NUL");
    let mut states = [pcsc::ReaderState::new(name, pcsc::State::UNAWARE)];
    let deadline = Instant::now() + timeout;
    loop {
        let _ = ctx.get_status_change(Duration::from_millis(200), &mut states);
        let state = states[0].event_state();
        if state.contains(pcsc::State::PRESENT) == present && !state.contains(pcsc::State::UNKNOWN)
        {
            return;
        }
        assert!(
            Instant::now() < deadline,
            "reader {reader}: card {} not seen within {timeout:?} (state {state:?})",
            if present { "insertion" } else { "removal" }
        );
        states[0].sync_current_state();
    }
}
