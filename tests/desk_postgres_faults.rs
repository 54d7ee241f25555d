//! Several desks on one PostgreSQL registry: three desk processes register companies at once,
//! one of them is SIGKILLed at random moments and started again, the server itself is crashed
//! and restarted (`pg_ctl restart -m immediate`) mid-run. Every registration a desk
//! acknowledged is there, nothing is half-applied, the audit chain verifies with no gap in
//! `seq`. And a desk frozen (SIGSTOP) inside its transaction does not block the others for
//! ever. A fixed number of operations, so the test takes seconds.

mod common;

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use common::postgres::PgServer;
use sportello::registry;
use sportello::store::Store;

/// The worker example (`scripts/test.sh` builds the examples before the tests).
fn worker() -> PathBuf {
    let exe = std::env::current_exe().expect("test exe");
    let path = exe
        .parent()
        .and_then(Path::parent)
        .expect("target dir")
        .join("examples")
        .join("desk_worker");
    assert!(
        path.is_file(),
        "{} is missing: run scripts/test.sh, or cargo build --examples before cargo test",
        path.display()
    );
    path
}

/// A desk process; its acknowledgements (one codice fiscale a line) are collected as they come.
fn spawn(url: &str, seed: u64, count: u64, data: &Path, acks: &Arc<Mutex<Vec<String>>>) -> Child {
    let mut child = Command::new(worker())
        .args([url, &seed.to_string(), &count.to_string()])
        .arg(data)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("start a desk");
    let out = child.stdout.take().expect("stdout");
    let acks = Arc::clone(acks);
    std::thread::spawn(move || {
        for line in BufReader::new(out).lines().map_while(Result::ok) {
            acks.lock().unwrap_or_else(|p| p.into_inner()).push(line);
        }
    });
    child
}

fn random_below(n: u64) -> u64 {
    let mut bytes = [0u8; 8];
    getrandom::fill(&mut bytes).expect("random");
    u64::from_le_bytes(bytes) % n.max(1)
}

fn bootstrapped(server: &PgServer, data: &Path) -> String {
    let url = server.create_database("registry");
    let mut store = Store::connect(&url, &data.join("postgres-test")).expect("connect");
    registry::add_officer(&mut store, None, "BNCGNN70C15L219B", "Giovanni Bianchi")
        .expect("officer");
    url
}

#[test]
fn three_desks_a_killed_desk_and_a_crashed_server_lose_nothing() {
    const STEADY: u64 = 60;
    let server = PgServer::start();
    let data = tempfile::tempdir().expect("data");
    let url = bootstrapped(&server, data.path());
    let acks = Arc::new(Mutex::new(Vec::new()));
    let mut steady: Vec<Child> = (1..=2)
        .map(|seed| spawn(&url, seed, STEADY, data.path(), &acks))
        .collect();
    let mut kills = 0;
    let mut restarts = 0;
    let mut victim_seed = 10;
    let mut victim = spawn(&url, victim_seed, 1_000, data.path(), &acks);
    let deadline = Instant::now() + Duration::from_secs(90);
    let mut restarted = false;
    while steady
        .iter_mut()
        .any(|c| c.try_wait().ok().flatten().is_none())
    {
        assert!(Instant::now() < deadline, "the desks did not finish");
        std::thread::sleep(Duration::from_millis(100 + random_below(300)));
        let done = acks.lock().unwrap_or_else(|p| p.into_inner()).len();
        if !restarted && done > STEADY as usize {
            server.restart_immediate();
            restarted = true;
            restarts += 1;
            continue;
        }
        victim.kill().expect("SIGKILL");
        let _ = victim.wait();
        kills += 1;
        victim_seed += 1;
        victim = spawn(&url, victim_seed, 1_000, data.path(), &acks);
    }
    victim.kill().expect("SIGKILL");
    let _ = victim.wait();
    kills += 1;
    for child in &mut steady {
        let status = child.wait().expect("wait");
        assert!(status.success(), "a steady desk gave up: {status}");
    }
    std::thread::sleep(Duration::from_millis(200));
    let acked = acks.lock().unwrap_or_else(|p| p.into_inner()).clone();
    assert!(restarts == 1, "the server was restarted mid-run");

    let store = Store::connect(&url, &data.path().join("postgres-test")).expect("reconnect");
    let check = store.audit_verify().expect("verify");
    assert_eq!(check.first_broken, None, "audit chain broken: {check:?}");
    let rows = store.audit_rows().expect("rows");
    let seqs: Vec<i64> = rows.iter().map(|r| r.seq).collect();
    assert_eq!(
        seqs,
        (1..=rows.len() as i64).collect::<Vec<_>>(),
        "seq has gaps"
    );
    let companies = store.companies("").expect("list");
    for cf in &acked {
        assert!(
            companies.iter().any(|(c, _)| c == cf),
            "{cf} was acknowledged but is missing"
        );
    }
    for (cf, _) in &companies {
        let company = store.company(cf).expect("query").expect("company");
        assert_eq!(company.units, ["Sede"], "{cf} without its unit");
        assert_eq!(
            rows.iter()
                .filter(|r| r.action == "company.register" && r.entity == format!("company:{cf}"))
                .count(),
            1,
            "{cf} without exactly one audit row"
        );
    }
    let steady_registered = companies
        .iter()
        .filter(|(_, name)| name.starts_with("Azienda 1-") || name.starts_with("Azienda 2-"))
        .count();
    assert_eq!(steady_registered, 2 * STEADY as usize);
    eprintln!(
        "faults: {} companies ({} acknowledged), {} audit rows, {kills} desk kills, {restarts} server restart",
        companies.len(),
        acked.len(),
        rows.len()
    );
}

#[test]
fn a_frozen_desk_does_not_hold_the_registry_for_ever() {
    let server = PgServer::start();
    let data = tempfile::tempdir().expect("data");
    let base = bootstrapped(&server, data.path());
    // A desk that sits idle inside a transaction is cut off after two seconds.
    let url = format!("{base}?options=-c%20idle_in_transaction_session_timeout%3D2000");

    // The frozen desk: takes the registry lock, then stops (as SIGSTOP would, mid-change).
    let mut frozen = postgres::Client::connect(&url, postgres::NoTls).expect("frozen desk");
    let mut tx = frozen.transaction().expect("begin");
    tx.execute(
        "SELECT pg_advisory_xact_lock($1)",
        &[&0x7370_6f72_7465_6c6c_i64],
    )
    .expect("lock");
    // A real desk process stopped with SIGSTOP while it holds the lock.
    let acks = Arc::new(Mutex::new(Vec::new()));
    let started = Instant::now();
    let mut other = spawn(&url, 7, 3, data.path(), &acks);
    let status = other.wait().expect("wait");
    assert!(status.success(), "the other desk gave up: {status}");
    assert_eq!(acks.lock().unwrap_or_else(|p| p.into_inner()).len(), 3);
    let waited = started.elapsed();
    assert!(
        waited >= Duration::from_millis(1500),
        "it did wait for the lock ({waited:?})"
    );
    assert!(
        waited < Duration::from_secs(30),
        "not for ever ({waited:?})"
    );
    assert!(tx.commit().is_err(), "the frozen desk's change was void");

    // The same with a desk process frozen by SIGSTOP while it works.
    let mut stopped = spawn(&url, 8, 1_000, data.path(), &acks);
    std::thread::sleep(Duration::from_millis(500));
    let pid = stopped.id().to_string();
    Command::new("kill")
        .args(["-STOP", &pid])
        .status()
        .expect("SIGSTOP");
    let before = acks.lock().unwrap_or_else(|p| p.into_inner()).len();
    let mut third = spawn(&url, 9, 3, data.path(), &acks);
    assert!(
        third.wait().expect("wait").success(),
        "a desk was blocked for ever"
    );
    assert!(acks.lock().unwrap_or_else(|p| p.into_inner()).len() >= before + 3);
    stopped.kill().expect("SIGKILL");
    let _ = stopped.wait();
    let store = Store::connect(&base, &data.path().join("postgres-test")).expect("reconnect");
    assert_eq!(store.audit_verify().expect("verify").first_broken, None);
}
