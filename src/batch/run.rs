//! The parallel run: files are verified on a pool of `jobs` threads and handed back in the
//! order of the list, whatever finished first. A cancel flag (Ctrl-C) stops new files from
//! starting; every file already verified is still handed back.

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc;

use rayon::prelude::*;

use crate::verify::{verify_bytes, verify_with_tokens, Report, VerifyOptions};

use super::read;
use super::walk::Item;

/// One verified file.
pub struct Done<T> {
    pub index: usize,
    pub report: Report,
    /// The file could not be read at all (its report is a FORMAT_FAILURE saying why).
    pub unreadable: bool,
    /// What the caller's per-file step returned (e.g. the extraction), when the file was read.
    pub extra: Option<T>,
}

/// The report of a file that could not be read: a FORMAT_FAILURE with the reason, built by
/// the engine so it has every field any report has.
fn unreadable_report(shown: &str, reason: &str, opts: &VerifyOptions<'_>) -> Report {
    let mut report = verify_bytes(shown, b"", opts);
    report.sha256 = String::new();
    report.reason = Some(format!("cannot read the file: {reason}"));
    report
}

/// The detached time-stamps over `path`: those given for the run, and `FILE.tsr` beside it.
fn detached_tokens(path: &Path, given: &[Vec<u8>]) -> Vec<Vec<u8>> {
    let mut out = given.to_vec();
    let mut beside = path.as_os_str().to_owned();
    beside.push(".tsr");
    let beside = std::path::PathBuf::from(beside);
    if beside.is_file() {
        match std::fs::read(&beside) {
            Ok(bytes) if !out.contains(&bytes) => out.push(bytes),
            Ok(_) => {}
            Err(e) => log::warn!("cannot read the time-stamp {}: {e}", beside.display()),
        }
    }
    out
}

fn verify_item<T>(
    item: &Item,
    opts: &VerifyOptions<'_>,
    given_tokens: &[Vec<u8>],
    per_file: &(impl Fn(&Item, &[u8], &Report) -> T + Sync),
    index: usize,
) -> Done<T> {
    let shown = item.path.display().to_string();
    if let Some(reason) = &item.problem {
        return Done {
            index,
            report: unreadable_report(&shown, reason, opts),
            unreadable: true,
            extra: None,
        };
    }
    match read::open(&item.path) {
        Ok(data) => {
            let tokens = detached_tokens(&item.path, given_tokens);
            let refs: Vec<&[u8]> = tokens.iter().map(Vec::as_slice).collect();
            let report = verify_with_tokens(&shown, &data, &refs, opts);
            let extra = per_file(item, &data, &report);
            Done {
                index,
                report,
                unreadable: false,
                extra: Some(extra),
            }
        }
        Err(e) => {
            log::warn!("cannot read {shown}: {e}");
            Done {
                index,
                report: unreadable_report(&shown, &e.to_string(), opts),
                unreadable: true,
                extra: None,
            }
        }
    }
}

/// Verifies `items` on `jobs` threads and calls `on_done` for each in list order.
/// `per_file` runs on the worker right after a readable file is verified, with its bytes.
/// Returns how many files were handed back (fewer than `items.len()` when cancelled).
pub fn verify_all<T: Send>(
    items: &[Item],
    opts: &VerifyOptions<'_>,
    jobs: usize,
    cancel: &AtomicBool,
    per_file: impl Fn(&Item, &[u8], &Report) -> T + Sync,
    on_done: impl FnMut(Done<T>),
) -> usize {
    verify_all_with(items, opts, &[], jobs, cancel, per_file, on_done)
}

/// `verify_all` with detached time-stamps given for the run (`verify --timestamp`), judged
/// over every file besides its own `FILE.tsr`.
pub fn verify_all_with<T: Send>(
    items: &[Item],
    opts: &VerifyOptions<'_>,
    given_tokens: &[Vec<u8>],
    jobs: usize,
    cancel: &AtomicBool,
    per_file: impl Fn(&Item, &[u8], &Report) -> T + Sync,
    mut on_done: impl FnMut(Done<T>),
) -> usize {
    let pool = match rayon::ThreadPoolBuilder::new()
        .num_threads(jobs.max(1))
        .thread_name(|i| format!("verify-{i}"))
        .build()
    {
        Ok(pool) => Some(pool),
        Err(e) => {
            log::warn!("no thread pool ({e}); verifying on one thread");
            None
        }
    };
    let (tx, rx) = mpsc::channel::<Done<T>>();
    let mut handed = 0;
    std::thread::scope(|scope| {
        let per_file = &per_file;
        scope.spawn(move || {
            let work = |tx: &mut mpsc::Sender<Done<T>>, (index, item): (usize, &Item)| {
                if cancel.load(Ordering::Relaxed) {
                    return;
                }
                // A send fails only when the receiver is gone: nothing left to do then.
                let _ = tx.send(verify_item(item, opts, given_tokens, per_file, index));
            };
            match &pool {
                Some(pool) => pool.install(|| {
                    items
                        .par_iter()
                        .enumerate()
                        .with_max_len(1)
                        .for_each_with(tx, work)
                }),
                None => {
                    let mut tx = tx;
                    items.iter().enumerate().for_each(|job| work(&mut tx, job));
                }
            }
        });
        // Hand results back in list order; later ones wait until the gap before them fills.
        let mut waiting: BTreeMap<usize, Done<T>> = BTreeMap::new();
        let mut next = 0;
        for done in rx {
            waiting.insert(done.index, done);
            while let Some(done) = waiting.remove(&next) {
                on_done(done);
                handed += 1;
                next += 1;
            }
        }
        // Cancelled: the files that did finish, still in order.
        for (_, done) in waiting {
            on_done(done);
            handed += 1;
        }
    });
    handed
}

/// The number of threads when `--jobs` is not given: the machine's cores.
pub fn default_jobs() -> usize {
    std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(1)
}

/// The display form of a path, as the reports name files.
pub fn shown(path: &Path) -> String {
    path.display().to_string()
}
