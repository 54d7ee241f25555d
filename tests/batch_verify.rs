//! `sportello verify` over folders: every file a row in path order, the awkward entries a
//! folder can hold (empty, FIFO, link loops, unreadable, vanishing) as rows with a reason,
//! extraction mirroring the folders, report files that are never overwritten, Ctrl-C.

mod common;

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

fn bin() -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_sportello"));
    cmd.env_remove("SPORTELLO_LOG");
    cmd
}

/// Runs with an empty data directory and a deadline: a batch that blocks (on a FIFO, say)
/// fails the test instead of hanging it.
fn run_in(data: &Path, args: &[&str]) -> Output {
    let mut child = bin()
        .args(args)
        .env("SPORTELLO_DATA_DIR", data)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run sportello");
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        if child.try_wait().expect("wait").is_some() {
            return child.wait_with_output().expect("output");
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            panic!("sportello {args:?} did not finish: blocked?");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

fn copy_corpus(name: &str, to: &Path) {
    std::fs::copy(common::corpus_file(name), to).expect("copy corpus file");
}

fn json_array(out: &Output) -> Vec<serde_json::Value> {
    serde_json::from_slice::<Vec<serde_json::Value>>(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "not a JSON array ({e}): {}\n{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    })
}

/// A copy of a good file with one byte of its signed document changed: HASH_FAILURE.
fn tampered_copy(name: &str, to: &Path) {
    let mut data = std::fs::read(common::corpus_file(name)).expect("read corpus file");
    let at = {
        let buffers = sportello::envelope::Buffers::new();
        let env = sportello::envelope::open(&data, &buffers).expect("envelope");
        let content = env.levels[0].content.expect("attached content");
        let mut first = None;
        content
            .for_each_chunk(|chunk| {
                if first.is_none() && !chunk.is_empty() {
                    first = Some(chunk.as_ptr() as usize - data.as_ptr() as usize);
                }
            })
            .expect("content");
        first.expect("content inside the file")
    };
    data[at] ^= 0x20;
    std::fs::write(to, data).expect("write");
}

/// A folder with two signed files at the top, one in a sub-folder, and a file that is not
/// an envelope.
fn sample_folder(root: &Path) -> PathBuf {
    let dir = root.join("in");
    std::fs::create_dir_all(dir.join("sub")).expect("mkdir");
    copy_corpus("slamdunk_OK.txt.p7m", &dir.join("b_ok.txt.p7m"));
    tampered_copy("slamdunk_OK.txt.p7m", &dir.join("a_tampered.txt.p7m"));
    copy_corpus("parer_cades_bes.pdf.p7m", &dir.join("sub/c.pdf.p7m"));
    std::fs::write(dir.join("note.txt"), "non sono una busta firmata").expect("write");
    dir
}

#[test]
fn a_folder_gives_one_row_per_file_in_path_order() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = sample_folder(tmp.path());
    let data = tmp.path().join("data");
    let dir_arg = dir.display().to_string();

    let flat = run_in(&data, &["verify", "--json", "--jobs", "2", &dir_arg]);
    let rows = json_array(&flat);
    let files: Vec<String> = rows
        .iter()
        .map(|r| r["file"].as_str().unwrap_or_default().to_string())
        .collect();
    let expected: Vec<String> = ["a_tampered.txt.p7m", "b_ok.txt.p7m", "note.txt"]
        .iter()
        .map(|n| dir.join(n).display().to_string())
        .collect();
    assert_eq!(files, expected, "top level only, sorted by name");
    assert_eq!(rows[0]["sub_indication"], "HASH_FAILURE");
    assert_eq!(rows[2]["indication"], "TOTAL_FAILED");
    assert_eq!(rows[2]["sub_indication"], "FORMAT_FAILURE");
    assert_eq!(flat.status.code(), Some(1), "worst over all files");

    let deep = run_in(&data, &["verify", "--json", "-r", "-j", "1", &dir_arg]);
    let rows = json_array(&deep);
    assert_eq!(rows.len(), 4);
    assert!(rows[3]["file"]
        .as_str()
        .is_some_and(|f| f.ends_with("sub/c.pdf.p7m")));
    // The summary goes to stderr beside JSON, so stdout stays one JSON document.
    let err = String::from_utf8_lossy(&deep.stderr);
    assert!(err.contains("Riepilogo: 4 file verificati"), "{err}");
    assert!(err.contains("a_tampered.txt.p7m: NON VALIDA"), "{err}");
}

#[test]
fn the_human_summary_counts_verdicts_and_names_the_files_not_valid() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = sample_folder(tmp.path());
    let out = run_in(
        &tmp.path().join("data"),
        &["verify", "--lang", "en", "-r", &dir.display().to_string()],
    );
    let text = String::from_utf8_lossy(&out.stdout);
    let summary = text.split("Summary:").nth(1).expect("a summary at the end");
    assert!(
        summary.contains("4 files verified — 0 valid, 2 not valid, 2 to be checked"),
        "{summary}"
    );
    assert!(summary
        .contains("a_tampered.txt.p7m: NOT VALID — the document was changed after it was signed"));
    assert!(summary.contains("note.txt: NOT VALID"));
    // A pipe gets no progress bar.
    assert!(!String::from_utf8_lossy(&out.stderr).contains('█'));
}

fn mkfifo(path: &Path) {
    let status = Command::new("mkfifo").arg(path).status().expect("mkfifo");
    assert!(status.success());
}

fn reason_of<'a>(rows: &'a [serde_json::Value], name: &str) -> &'a str {
    let row = rows
        .iter()
        .find(|r| r["file"].as_str().is_some_and(|f| f.ends_with(name)))
        .unwrap_or_else(|| panic!("no row for {name}: {rows:?}"));
    assert_eq!(row["indication"], "TOTAL_FAILED", "{name}");
    assert_eq!(row["sub_indication"], "FORMAT_FAILURE", "{name}");
    row["reason"].as_str().unwrap_or_default()
}

#[test]
fn awkward_entries_are_rows_with_a_reason_and_the_batch_finishes() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = tmp.path().join("in");
    std::fs::create_dir_all(dir.join("sub")).expect("mkdir");
    copy_corpus("slamdunk_OK.txt.p7m", &dir.join("good.p7m"));
    std::fs::write(dir.join("empty.p7m"), b"").expect("write");
    mkfifo(&dir.join("pipe.p7m"));
    std::os::unix::fs::symlink("loop_b.p7m", dir.join("loop_a.p7m")).expect("link");
    std::os::unix::fs::symlink("loop_a.p7m", dir.join("loop_b.p7m")).expect("link");
    std::os::unix::fs::symlink("..", dir.join("sub/up")).expect("link");
    std::os::unix::fs::symlink("nowhere.p7m", dir.join("dangling.p7m")).expect("link");
    let out = run_in(
        &tmp.path().join("data"),
        &["verify", "--json", "-r", &dir.display().to_string()],
    );
    let rows = json_array(&out);
    assert!(reason_of(&rows, "empty.p7m").contains("not a signed envelope"));
    assert!(reason_of(&rows, "pipe.p7m").contains("FIFO"));
    assert!(reason_of(&rows, "loop_a.p7m").contains("symbolic links"));
    assert!(reason_of(&rows, "loop_b.p7m").contains("symbolic links"));
    assert!(reason_of(&rows, "sub/up").contains("loop"));
    assert!(reason_of(&rows, "dangling.p7m").contains("No such file"));
    let good = rows
        .iter()
        .find(|r| r["file"].as_str().is_some_and(|f| f.ends_with("good.p7m")))
        .expect("the good file is still verified");
    assert_eq!(good["indication"], "INDETERMINATE");
    assert_eq!(out.status.code(), Some(66), "some inputs could not be read");
    assert!(String::from_utf8_lossy(&out.stderr).contains("Impossibile aprire il file"));
}

/// Root reads any file, so the unreadable file is tried as an ordinary user: the test
/// drops privileges with setpriv (util-linux) for the whole run.
#[test]
fn a_file_without_read_permission_is_a_row_for_an_ordinary_user() {
    use std::os::unix::fs::PermissionsExt;
    let tmp = tempfile::tempdir().expect("tempdir");
    std::fs::set_permissions(tmp.path(), std::fs::Permissions::from_mode(0o755)).expect("chmod");
    let dir = tmp.path().join("in");
    std::fs::create_dir(&dir).expect("mkdir");
    copy_corpus("slamdunk_OK.txt.p7m", &dir.join("a_readable.p7m"));
    copy_corpus("slamdunk_OK.txt.p7m", &dir.join("b_secret.p7m"));
    std::fs::create_dir(dir.join("c_closed")).expect("mkdir");
    std::fs::set_permissions(
        dir.join("b_secret.p7m"),
        std::fs::Permissions::from_mode(0o000),
    )
    .expect("chmod");
    std::fs::set_permissions(dir.join("c_closed"), std::fs::Permissions::from_mode(0o000))
        .expect("chmod");
    let mut child = Command::new("setpriv")
        .args(["--reuid=65534", "--regid=65534", "--clear-groups", "--"])
        .arg(env!("CARGO_BIN_EXE_sportello"))
        .args(["verify", "--json", "-r"])
        .arg(&dir)
        .env("SPORTELLO_DATA_DIR", tmp.path().join("data"))
        .env("HOME", tmp.path())
        .env_remove("SPORTELLO_LOG")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("setpriv (util-linux) runs the binary as nobody");
    let deadline = Instant::now() + Duration::from_secs(60);
    while child.try_wait().expect("wait").is_none() {
        assert!(Instant::now() < deadline, "blocked");
        std::thread::sleep(Duration::from_millis(20));
    }
    let out = child.wait_with_output().expect("output");
    let rows = json_array(&out);
    assert_eq!(rows.len(), 3, "{rows:?}");
    assert_eq!(rows[0]["indication"], "INDETERMINATE");
    assert!(reason_of(&rows, "b_secret.p7m").contains("Permission denied"));
    assert!(reason_of(&rows, "c_closed").contains("cannot list the folder"));
    assert_eq!(out.status.code(), Some(66));
}

/// A file listed by the walk and gone before it is read (another program moved it).
#[test]
fn a_file_that_vanishes_during_the_run_is_a_row() {
    use std::sync::atomic::AtomicBool;
    let tmp = tempfile::tempdir().expect("tempdir");
    copy_corpus("slamdunk_OK.txt.p7m", &tmp.path().join("a.p7m"));
    copy_corpus("slamdunk_OK.txt.p7m", &tmp.path().join("b.p7m"));
    let items = sportello::batch::collect(&[tmp.path().to_path_buf()], false);
    assert_eq!(items.len(), 2);
    std::fs::remove_file(tmp.path().join("b.p7m")).expect("remove");
    let opts = sportello::verify::VerifyOptions::now();
    let mut rows = Vec::new();
    let handed = sportello::batch::verify_all(
        &items,
        &opts,
        2,
        &AtomicBool::new(false),
        |_, _, _| (),
        |done| rows.push((done.unreadable, done.report)),
    );
    assert_eq!(handed, 2);
    assert!(!rows[0].0);
    assert!(rows[1].0);
    let reason = rows[1].1.reason.clone().unwrap_or_default();
    assert!(reason.contains("No such file"), "{reason}");
}

#[test]
fn extraction_mirrors_the_folders_and_never_overwrites() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = sample_folder(tmp.path());
    let out_dir = tmp.path().join("out");
    std::fs::create_dir(&out_dir).expect("mkdir");
    let data = tmp.path().join("data");
    let args = [
        "verify",
        "-r",
        "--extract",
        &out_dir.display().to_string(),
        &dir.display().to_string(),
    ]
    .map(str::to_string);
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let first = run_in(&data, &args);
    assert!(out_dir.join("b_ok.txt").is_file());
    assert!(out_dir.join("a_tampered.txt").is_file());
    assert!(
        out_dir.join("sub/c.pdf").is_file(),
        "the sub-folder is mirrored"
    );
    assert_eq!(
        first.status.code(),
        Some(73),
        "note.txt has nothing to extract"
    );
    let before = std::fs::read(out_dir.join("sub/c.pdf")).expect("read");
    std::fs::write(out_dir.join("b_ok.txt"), b"kept").expect("write");
    let second = run_in(&data, &args);
    assert_eq!(second.status.code(), Some(73));
    assert_eq!(
        std::fs::read(out_dir.join("b_ok.txt")).expect("read"),
        b"kept"
    );
    assert_eq!(
        std::fs::read(out_dir.join("sub/c.pdf")).expect("read"),
        before
    );
    assert!(String::from_utf8_lossy(&second.stderr).contains("non viene sovrascritto"));
}

#[test]
fn report_files_by_extension_never_overwritten_without_force() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = sample_folder(tmp.path());
    let data = tmp.path().join("data");
    let dir_arg = dir.display().to_string();
    let json = tmp.path().join("rapporto.json");
    let csv = tmp.path().join("rapporto.csv");
    run_in(
        &data,
        &[
            "verify",
            "-r",
            "--report",
            &json.display().to_string(),
            &dir_arg,
        ],
    );
    let reports: Vec<serde_json::Value> =
        serde_json::from_slice(&std::fs::read(&json).expect("json written")).expect("array");
    assert_eq!(reports.len(), 4);
    assert!(reports.iter().all(|r| r["schema"] == "sportello.verify/1"));

    run_in(
        &data,
        &[
            "verify",
            "-r",
            "--report",
            &csv.display().to_string(),
            &dir_arg,
        ],
    );
    let bytes = std::fs::read(&csv).expect("csv written");
    assert!(
        bytes.starts_with("\u{feff}".as_bytes()),
        "UTF-8 byte-order mark"
    );
    let text = String::from_utf8(bytes).expect("UTF-8");
    let mut lines = text.lines();
    assert_eq!(
        lines.next().map(|l| l.trim_start_matches('\u{feff}')),
        Some("file,sha256,livello,id firma,firmatario,codice fiscale,data di firma dichiarata,marca temporale,indication,sub-indication,firma integra,certificato attendibile,certificato qualificato")
    );
    let rows: Vec<&str> = lines.collect();
    assert_eq!(
        rows.len(),
        4,
        "one row per signature, one for the file without any"
    );
    let tampered = rows.iter().find(|r| r.contains("a_tampered")).expect("row");
    assert!(tampered.contains("TSSFPP87C29E889R"), "{tampered}");
    assert!(tampered.contains("HASH_FAILURE"));
    let ok = rows.iter().find(|r| r.contains("b_ok")).expect("row");
    assert!(ok.contains(",sì,"), "accents intact: {ok}");
    assert!(rows
        .iter()
        .any(|r| r.contains("note.txt") && r.contains("FORMAT_FAILURE")));

    std::fs::write(&csv, "mine").expect("write");
    let again = run_in(
        &data,
        &["verify", "--report", &csv.display().to_string(), &dir_arg],
    );
    assert_eq!(again.status.code(), Some(73));
    assert_eq!(std::fs::read(&csv).expect("read"), b"mine");
    assert!(String::from_utf8_lossy(&again.stderr).contains("--force"));
    let forced = run_in(
        &data,
        &[
            "verify",
            "--force",
            "--report",
            &csv.display().to_string(),
            &dir_arg,
        ],
    );
    assert_eq!(forced.status.code(), Some(1));
    assert_ne!(std::fs::read(&csv).expect("read"), b"mine");
    let odd = run_in(&data, &["verify", "--report", "x.docx", &dir_arg]);
    assert_eq!(odd.status.code(), Some(64));
}

#[test]
fn ctrl_c_stops_the_batch_and_still_writes_what_finished() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = tmp.path().join("many");
    std::fs::create_dir(&dir).expect("mkdir");
    let original = common::corpus_file("slamdunk_OK.txt.p7m");
    // Hard links: thousands of files for the price of one.
    for i in 0..4000 {
        std::fs::hard_link(&original, dir.join(format!("f{i:05}.p7m"))).expect("link");
    }
    let report = tmp.path().join("partial.json");
    let mut child = bin()
        .args(["verify", "--jobs", "1", "--report"])
        .arg(&report)
        .arg(&dir)
        .env("SPORTELLO_DATA_DIR", tmp.path().join("data"))
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn");
    // Once the first report is out, the batch is under way: interrupt it.
    let stdout = child.stdout.take().expect("stdout");
    let mut lines = BufReader::new(stdout).lines();
    let first = lines.next().expect("some output").expect("line");
    assert!(first.starts_with("File:"), "{first}");
    let pid = child.id() as libc::pid_t;
    // SAFETY: a plain kill(2) of the child this test started.
    assert_eq!(unsafe { libc::kill(pid, libc::SIGINT) }, 0);
    let rest: Vec<String> = lines.map_while(Result::ok).collect();
    let out = child.wait_with_output().expect("wait");
    assert_eq!(out.status.code(), Some(130), "interrupted");
    let written: Vec<serde_json::Value> =
        serde_json::from_slice(&std::fs::read(&report).expect("the report is written"))
            .expect("a whole JSON array");
    assert!(
        !written.is_empty() && written.len() < 4000,
        "{}",
        written.len()
    );
    assert!(rest.iter().any(|l| l.starts_with("Riepilogo:")));
    assert!(String::from_utf8_lossy(&out.stderr).contains("Interrotto"));
}
