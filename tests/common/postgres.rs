//! Throwaway PostgreSQL servers for the tests: `initdb` + `pg_ctl` in a temporary folder,
//! socket only (`listen_addresses` empty, so parallel servers never collide), run as Debian's
//! `postgres` user when the tests run as root (initdb refuses root). A server stops when its
//! guard drops (also on a panic), and a watchdog stops it if the test process dies without
//! unwinding. Under `CI=true` a missing PostgreSQL fails loudly; elsewhere too: a skipped
//! engine would check nothing.

use std::os::unix::fs::PermissionsExt;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Mutex, OnceLock};

/// The folder holding `initdb`, `pg_ctl`, `postgres`, `createdb`.
pub fn bin_dir() -> PathBuf {
    let mut candidates: Vec<PathBuf> = Vec::new();
    if let Ok(entries) = std::fs::read_dir("/usr/lib/postgresql") {
        let mut versions: Vec<PathBuf> = entries.flatten().map(|e| e.path().join("bin")).collect();
        versions.sort();
        candidates.extend(versions.into_iter().rev());
    }
    if let Some(path) = std::env::var_os("PATH") {
        candidates.extend(std::env::split_paths(&path));
    }
    candidates
        .into_iter()
        .find(|d| d.join("initdb").is_file() && d.join("pg_ctl").is_file())
        .unwrap_or_else(|| {
            panic!(
                "PostgreSQL is not installed (initdb/pg_ctl not found): apt-get install postgresql{}",
                if std::env::var("CI").as_deref() == Ok("true") {
                    " — CI must install it (.ci/run)"
                } else {
                    ""
                }
            )
        })
}

/// uid and gid of the `postgres` user when we are root (None: run the server as ourselves).
fn server_user() -> Option<(u32, u32)> {
    let me = Command::new("id").arg("-u").output().ok()?;
    if String::from_utf8_lossy(&me.stdout).trim() != "0" {
        return None;
    }
    let passwd = std::fs::read_to_string("/etc/passwd").expect("read /etc/passwd");
    let line = passwd
        .lines()
        .find(|l| l.starts_with("postgres:"))
        .expect("running as root needs Debian's postgres user (apt-get install postgresql)");
    let fields: Vec<&str> = line.split(':').collect();
    Some((
        fields[2].parse().expect("postgres uid"),
        fields[3].parse().expect("postgres gid"),
    ))
}

static NEXT_PORT: AtomicU32 = AtomicU32::new(0);

pub struct PgServer {
    base: tempfile::TempDir,
    pub port: u16,
    bin: PathBuf,
    user: Option<(u32, u32)>,
    stopped: bool,
}

impl PgServer {
    /// Starts a fresh server (about a second).
    pub fn start() -> PgServer {
        let bin = bin_dir();
        let user = server_user();
        let base = tempfile::Builder::new()
            .prefix("sportello-pg-")
            .tempdir()
            .expect("server folder");
        if let Some((uid, gid)) = user {
            std::os::unix::fs::chown(base.path(), Some(uid), Some(gid)).expect("chown");
        }
        std::fs::set_permissions(base.path(), std::fs::Permissions::from_mode(0o711))
            .expect("chmod");
        // The port only names the socket file; pid and a counter keep names apart.
        let port = 20000
            + (std::process::id() % 2000) as u16 * 10
            + (NEXT_PORT.fetch_add(1, Ordering::SeqCst) % 10) as u16;
        let server = PgServer {
            base,
            port,
            bin,
            user,
            stopped: false,
        };
        let data = server.data_dir();
        server.run(
            "initdb",
            &[
                "-N",
                "-D",
                data.to_str().expect("utf-8 path"),
                "-U",
                "owner",
                "-A",
                "trust",
                "-E",
                "UTF8",
                "--locale=C.UTF-8",
                "--no-instructions",
            ],
        );
        server.pg_ctl_start("start");
        server.watchdog();
        server
    }

    pub fn socket_dir(&self) -> &Path {
        self.base.path()
    }

    fn data_dir(&self) -> PathBuf {
        self.base.path().join("data")
    }

    fn log_file(&self) -> PathBuf {
        self.base.path().join("server.log")
    }

    fn command(&self, tool: &str) -> Command {
        let mut command = Command::new(self.bin.join(tool));
        command.current_dir(self.base.path());
        if let Some((uid, gid)) = self.user {
            command.uid(uid).gid(gid);
        }
        command.stdin(Stdio::null());
        command
    }

    fn run(&self, tool: &str, args: &[&str]) -> Output {
        let out = self
            .command(tool)
            .args(args)
            .output()
            .unwrap_or_else(|e| panic!("{tool}: {e}"));
        assert!(
            out.status.success(),
            "{tool} {args:?} failed: {}{}\nserver log:\n{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr),
            std::fs::read_to_string(self.log_file()).unwrap_or_default()
        );
        out
    }

    /// `start` or `restart`, always with a log file (without one the server keeps the
    /// caller's stdout, and a caller reading that pipe waits forever).
    fn pg_ctl_start(&self, verb: &str) {
        let options = format!(
            "-c listen_addresses= -c port={} -c unix_socket_directories={} -c max_connections=50 -c fsync=on",
            self.port,
            self.base.path().display()
        );
        let mut args = vec![
            "-D".to_string(),
            self.data_dir().display().to_string(),
            "-l".to_string(),
            self.log_file().display().to_string(),
            "-w".to_string(),
            "-t".to_string(),
            "30".to_string(),
            "-o".to_string(),
            options,
        ];
        if verb == "restart" {
            args.extend(["-m".to_string(), "immediate".to_string()]);
        }
        args.push(verb.to_string());
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        self.run("pg_ctl", &args);
    }

    /// Crashes the server (`-m immediate`: no checkpoint, recovery on the way up) and starts
    /// it again.
    pub fn restart_immediate(&self) {
        self.pg_ctl_start("restart");
    }

    /// Stops the server if this process dies without running the guard (SIGKILL, abort).
    fn watchdog(&self) {
        let script = format!(
            "while [ -d /proc/{pid} ]; do sleep 1; done; '{pg_ctl}' -D '{data}' -m immediate -w stop >/dev/null 2>&1; rm -rf '{base}'",
            pid = std::process::id(),
            pg_ctl = self.bin.join("pg_ctl").display(),
            data = self.data_dir().display(),
            base = self.base.path().display(),
        );
        let mut watchdog = Command::new("sh");
        watchdog
            .args(["-c", &script])
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null());
        if let Some((uid, gid)) = self.user {
            watchdog.uid(uid).gid(gid);
        }
        let _ = watchdog.spawn();
    }

    /// A new empty database owned by `owner`; returns its URL (socket folder as host).
    pub fn create_database(&self, name: &str) -> String {
        self.psql("postgres", &format!("CREATE DATABASE \"{name}\""));
        self.url("owner", name)
    }

    pub fn url(&self, user: &str, database: &str) -> String {
        let host = self.base.path().display().to_string().replace('/', "%2F");
        format!("postgresql://{user}@{host}:{}/{database}", self.port)
    }

    /// Runs SQL as the owner (a superuser) through the `postgres` crate.
    pub fn psql(&self, database: &str, sql: &str) -> Vec<postgres::SimpleQueryMessage> {
        let mut client = postgres::Client::connect(&self.url("owner", database), postgres::NoTls)
            .expect("connect as owner");
        client
            .simple_query(sql)
            .unwrap_or_else(|e| panic!("{sql}: {e}"))
    }

    /// The first column of the first row of a query, as text.
    pub fn scalar(&self, database: &str, sql: &str) -> String {
        self.psql(database, sql)
            .into_iter()
            .find_map(|m| match m {
                postgres::SimpleQueryMessage::Row(r) => r.get(0).map(str::to_string),
                _ => None,
            })
            .unwrap_or_default()
    }

    pub fn stop(&mut self) {
        if !self.stopped {
            self.stopped = true;
            let _ = self
                .command("pg_ctl")
                .args([
                    "-D",
                    self.data_dir().to_str().unwrap_or(""),
                    "-m",
                    "fast",
                    "-w",
                    "stop",
                ])
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .status();
        }
    }
}

impl Drop for PgServer {
    fn drop(&mut self) {
        self.stop();
    }
}

/// One server per test binary, shared by its tests (each test gets its own database). It is
/// stopped by its watchdog when the test binary exits.
pub fn shared() -> &'static Mutex<PgServer> {
    static SERVER: OnceLock<Mutex<PgServer>> = OnceLock::new();
    SERVER.get_or_init(|| Mutex::new(PgServer::start()))
}

/// A fresh database on the shared server; returns its URL.
pub fn fresh_database() -> String {
    static NEXT: AtomicU32 = AtomicU32::new(0);
    let name = format!("desk{}", NEXT.fetch_add(1, Ordering::SeqCst));
    let server = shared().lock().unwrap_or_else(|p| p.into_inner());
    server.create_database(&name)
}
