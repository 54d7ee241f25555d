//! Crash safety and concurrency on the real SQLite file: a worker process doing real desk
//! operations is killed with SIGKILL at random points, or two run at once.

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Duration;

use sportello::registry;
use sportello::store::Store;

/// The worker example, built by the test command (`scripts/test.sh` runs
/// `cargo build --examples` first).
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

fn bootstrapped(dir: &Path) -> PathBuf {
    let db = dir.join("desk.db");
    let mut store = Store::open(&db).expect("open");
    registry::add_officer(&mut store, None, "BNCGNN70C15L219B", "Giovanni Bianchi")
        .expect("officer");
    db
}

/// Every company has its default unit and its audit row; the chain verifies.
fn assert_consistent(db: &Path) -> usize {
    let store = Store::open(db).expect("reopen after crash");
    assert_eq!(store.integrity_check().expect("integrity"), "ok");
    let check = store.audit_verify().expect("verify");
    assert_eq!(check.first_broken, None, "audit chain broken: {check:?}");
    let companies = store.companies("").expect("list");
    let rows = store.audit_rows().expect("rows");
    for (cf, _) in &companies {
        let company = store.company(cf).expect("query").expect("company");
        assert_eq!(company.units, ["Sede"], "{cf} registered without its unit");
        assert!(
            rows.iter()
                .any(|r| r.action == "company.register" && r.entity == format!("company:{cf}")),
            "{cf} registered without its audit row"
        );
    }
    let registered = rows
        .iter()
        .filter(|r| r.action == "company.register")
        .count();
    assert_eq!(
        registered,
        companies.len(),
        "an audit row without its company"
    );
    companies.len()
}

#[test]
fn sigkill_at_random_points_leaves_a_consistent_database() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = bootstrapped(dir.path());
    let mut state: u64 = 0x9E3779B97F4A7C15;
    let mut total = 0;
    for round in 0..12u64 {
        let mut child = Command::new(worker())
            .arg(&db)
            .arg(round.to_string())
            .arg("100000")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("spawn worker");
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        std::thread::sleep(Duration::from_millis(30 + state % 250));
        child.kill().expect("SIGKILL");
        let _ = child.wait();
        total = assert_consistent(&db);
    }
    assert!(
        total > 0,
        "the workers registered nothing before being killed"
    );
    println!("companies after 12 kills: {total}");

    // The crashed desk's registry moves to the office's server whole.
    let url = common::postgres::fresh_database();
    let out = Command::new(env!("CARGO_BIN_EXE_sportello"))
        .arg("--data-dir")
        .arg(dir.path())
        .args(["db", "copy"])
        .arg(&db)
        .arg(&url)
        .output()
        .expect("db copy");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let source = Store::open(&db).expect("source");
    let target = Store::connect(&url, &dir.path().join("pg")).expect("target");
    assert_eq!(target.audit_verify().expect("verify").first_broken, None);
    assert_eq!(
        target.audit_rows().expect("rows").len(),
        source.audit_rows().expect("rows").len()
    );
    assert_eq!(
        target.companies("").expect("list"),
        source.companies("").expect("list")
    );
}

#[test]
fn two_processes_on_one_database_lose_nothing() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = bootstrapped(dir.path());
    let per_worker = 60;
    let children: Vec<_> = [1u64, 2]
        .iter()
        .map(|seed| {
            Command::new(worker())
                .arg(&db)
                .arg(seed.to_string())
                .arg(per_worker.to_string())
                .stdout(Stdio::null())
                .stderr(Stdio::piped())
                .spawn()
                .expect("spawn worker")
        })
        .collect();
    for child in children {
        let out = child.wait_with_output().expect("wait");
        assert!(
            out.status.success(),
            "worker failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    assert_eq!(assert_consistent(&db), 2 * per_worker);
}
