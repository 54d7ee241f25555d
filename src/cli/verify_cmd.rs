//! `sportello verify` (files and folders, in parallel) and `sportello report` (the PDF).

use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use crate::batch::{self, Item, Summary};
use crate::export::{self, Context, ExportError, Format};
use crate::i18n::{cli_text, report_text, sub_indication_text, verify_text, Lang};
use crate::revocation::RevocationSources;
use crate::trust::store::{StaleList, Store};
use crate::trust::TrustStore;
use crate::verify::{Indication, Report, VerifyOptions};

use super::extract::{extract_document, ExtractError};
use super::progress::Progress;
use super::{exit, human, ReportArgs, VerifyArgs};

/// The exit code of a batch stopped with Ctrl-C (128 + SIGINT), as shells expect.
const INTERRUPTED: i32 = 130;

/// The imported store plus anchors given with --trust, or the exit code of the failure.
fn load_trust(
    data_dir: &Path,
    extra: &[PathBuf],
    now: time::OffsetDateTime,
    lang: Lang,
) -> Result<(TrustStore, Vec<StaleList>), i32> {
    let trust = Store::open(data_dir);
    let (mut store, mut warnings) = trust.load(now).map_err(|e| {
        log::error!("trust store: {e}");
        eprintln!("{}: {e}", cli_text::TRUST_UNREADABLE.get(lang));
        exit::NO_INPUT
    })?;
    // Given together, so a list of lists among them vouches for the national lists.
    match trust.add_trust_paths(&mut store, extra, now) {
        Ok(stale) => warnings.extend(stale),
        Err(e) => {
            log::error!("trust anchors: {e}");
            eprintln!("{}: {e}", cli_text::TRUST_UNREADABLE.get(lang));
            return Err(exit::NO_INPUT);
        }
    }
    Ok((store, warnings))
}

/// Where revocation answers come from: the envelope, CRLs given for the run, the store, and
/// the network only when asked.
fn revocation_source(
    data_dir: &Path,
    crl_files: &[PathBuf],
    online: bool,
    lang: Lang,
) -> Result<RevocationSources, i32> {
    let mut given_crls = Vec::new();
    for path in crl_files {
        match std::fs::read(path) {
            Ok(bytes) => given_crls.extend(crate::revocation::crl::crls_in_file(&bytes)),
            Err(e) => {
                log::error!("cannot read CRL {}: {e}", path.display());
                eprintln!(
                    "{}: {} ({e})",
                    cli_text::CANNOT_OPEN.get(lang),
                    path.display()
                );
                return Err(exit::NO_INPUT);
            }
        }
    }
    Ok(RevocationSources::for_data_dir(data_dir, online).with_crls(given_crls))
}

/// The time-stamps given with `--timestamp` (the same for every file of the run).
fn given_timestamps(paths: &[PathBuf], lang: Lang) -> Result<Vec<Vec<u8>>, i32> {
    paths
        .iter()
        .map(|tsr| {
            std::fs::read(tsr).map_err(|e| {
                log::error!("cannot read time-stamp {}: {e}", tsr.display());
                eprintln!(
                    "{}: {} ({e})",
                    cli_text::CANNOT_OPEN.get(lang),
                    tsr.display()
                );
                exit::NO_INPUT
            })
        })
        .collect()
}

fn options<'a>(
    store: &'a TrustStore,
    revocation: &'a RevocationSources,
    at: Option<time::OffsetDateTime>,
) -> VerifyOptions<'a> {
    let mut opts = VerifyOptions::now();
    opts.revocation = Some(revocation);
    if let Some(at) = at {
        opts.validation_time = at;
        opts.asserted = true;
    }
    if !store.is_empty() {
        opts.trust = Some(store);
    }
    opts
}

/// Ctrl-C sets the flag: no new file starts, what finished is still reported.
fn cancel_on_ctrl_c() -> Arc<AtomicBool> {
    let cancel = Arc::new(AtomicBool::new(false));
    let flag = Arc::clone(&cancel);
    if let Err(e) = ctrlc::set_handler(move || flag.store(true, Ordering::SeqCst)) {
        log::warn!("Ctrl-C handler not installed: {e}");
    }
    cancel
}

/// Checks the report path before any work: a known extension, not an existing file.
fn report_target(path: &Path, force: bool, lang: Lang) -> Result<Format, i32> {
    let Some(format) = Format::from_path(path) else {
        eprintln!(
            "{}: {}",
            report_text::REPORT_FORMAT.get(lang),
            path.display()
        );
        return Err(exit::USAGE);
    };
    if !force && std::fs::symlink_metadata(path).is_ok() {
        eprintln!(
            "{}: {}",
            report_text::REPORT_EXISTS.get(lang),
            path.display()
        );
        return Err(exit::CANT_CREATE);
    }
    Ok(format)
}

fn write_report(
    path: &Path,
    format: Format,
    force: bool,
    reports: &[Report],
    data_dir: &Path,
    lang: Lang,
) -> Result<(), i32> {
    let now = time::OffsetDateTime::now_utc();
    let context = Context {
        lang,
        lists: Store::open(data_dir).status(now).unwrap_or_default(),
        produced_at: crate::envelope::asn1_time::rfc3339(now.replace_nanosecond(0).unwrap_or(now)),
    };
    let written = export::encode(format, reports, &context)
        .and_then(|bytes| export::write_new(path, &bytes, force));
    match written {
        Ok(()) => {
            eprintln!(
                "{}: {}",
                report_text::REPORT_WRITTEN.get(lang),
                path.display()
            );
            Ok(())
        }
        Err(e) => {
            log::error!("report {}: {e}", path.display());
            let text = match e {
                ExportError::Exists(_) => report_text::REPORT_EXISTS,
                _ => report_text::REPORT_FAILED,
            };
            eprintln!("{}: {} ({e})", text.get(lang), path.display());
            Err(exit::CANT_CREATE)
        }
    }
}

/// The one-line reason of a file that is not valid.
fn one_line_reason(report: &Report, lang: Lang) -> String {
    report
        .reason
        .clone()
        .or_else(|| {
            report
                .sub_indication
                .map(|s| sub_indication_text(s, lang).to_string())
        })
        .unwrap_or_default()
}

fn print_summary(out: &mut dyn Write, summary: &Summary, lang: Lang) {
    use report_text as r;
    let _ = writeln!(
        out,
        "{}: {} {} — {} {}, {} {}, {} {}",
        r::SUMMARY.get(lang),
        summary.total(),
        r::FILES_VERIFIED.get(lang),
        summary.passed,
        r::COUNT_VALID.get(lang),
        summary.failed,
        r::COUNT_INVALID.get(lang),
        summary.indeterminate,
        r::COUNT_TO_CHECK.get(lang),
    );
    if summary.unreadable > 0 {
        let _ = writeln!(
            out,
            "  ({} {})",
            summary.unreadable,
            r::COUNT_UNREADABLE.get(lang)
        );
    }
    if !summary.not_valid.is_empty() {
        let _ = writeln!(out, "{}:", r::NOT_VALID_FILES.get(lang));
        for (file, indication, reason) in &summary.not_valid {
            let _ = writeln!(
                out,
                "  {file}: {} — {reason}",
                crate::i18n::outcome_word(*indication, lang)
            );
        }
    }
}

/// Where the document of `item` is extracted: the folder layout under `dir` mirrors the
/// folder given on the command line.
fn extract_item(
    dir: &Path,
    item: &Item,
    data: &[u8],
    report: &Report,
) -> Result<PathBuf, ExtractError> {
    let name = report
        .content
        .as_ref()
        .map(|c| c.suggested_name.clone())
        .unwrap_or_default();
    let target_dir = dir.join(&item.relative_dir);
    if !item.relative_dir.as_os_str().is_empty() {
        use std::os::unix::fs::DirBuilderExt;
        std::fs::DirBuilder::new()
            .recursive(true)
            .mode(0o700)
            .create(&target_dir)
            .map_err(|source| ExtractError::Io {
                path: target_dir.clone(),
                source,
            })?;
    }
    extract_document(data, &target_dir, &name)
}

pub fn run(args: &VerifyArgs, data_dir: &Path, lang: Lang) -> i32 {
    let now = time::OffsetDateTime::now_utc();
    let report_format = match &args.report {
        Some(path) => match report_target(path, args.force, lang) {
            Ok(format) => Some(format),
            Err(code) => return code,
        },
        None => None,
    };
    let (store, trust_warnings) = match load_trust(data_dir, &args.trust, now, lang) {
        Ok(loaded) => loaded,
        Err(code) => return code,
    };
    let revocation = match revocation_source(data_dir, &args.crl, args.online, lang) {
        Ok(source) => source,
        Err(code) => return code,
    };
    let given_tokens = match given_timestamps(&args.timestamps, lang) {
        Ok(tokens) => tokens,
        Err(code) => return code,
    };
    let opts = options(&store, &revocation, args.at);
    let items = batch::collect(&args.files, args.recursive);
    let single = args.files.len() == 1 && items.len() == 1 && items[0].path == args.files[0];
    let cancel = cancel_on_ctrl_c();
    let progress = Progress::new(items.len(), lang);
    let jobs = args.jobs.unwrap_or_else(batch::run::default_jobs);

    let mut reports: Vec<Report> = Vec::with_capacity(items.len());
    let mut summary = Summary::default();
    let mut extract_failed = false;
    let stdout = std::io::stdout();
    let extract_dir = args.extract.as_deref();
    batch::verify_all_with(
        &items,
        &opts,
        &given_tokens,
        jobs,
        &cancel,
        |item, data, report| extract_dir.map(|dir| extract_item(dir, item, data, report)),
        |done| {
            let mut report = done.report;
            // Said on every verification that relies on a stale list, not once.
            report
                .warnings
                .extend(trust_warnings.iter().map(|s| s.warning()));
            let shown = report.file.clone();
            progress.suspend(|| {
                if done.unreadable {
                    eprintln!(
                        "{}: {shown} ({})",
                        cli_text::CANNOT_OPEN.get(lang),
                        report.reason.as_deref().unwrap_or("")
                    );
                }
                if !args.json {
                    let mut out = stdout.lock();
                    for stale in &trust_warnings {
                        let _ = writeln!(
                            out,
                            "{}",
                            crate::i18n::stale_list_warning(
                                &stale.territory,
                                stale.sequence_number,
                                &stale.next_update,
                                lang
                            )
                        );
                    }
                    let _ = writeln!(out, "{}", human::render(&report, lang));
                }
                match done.extra.flatten() {
                    Some(Ok(written)) if !args.json => println!(
                        "{}: {}\n",
                        verify_text::EXTRACTED.get(lang),
                        written.display()
                    ),
                    Some(Ok(_)) | None => {}
                    Some(Err(e)) => {
                        extract_failed = true;
                        log::error!("extraction from {shown} failed: {e}");
                        let text = match &e {
                            ExtractError::Exists(_) => cli_text::EXTRACT_EXISTS,
                            ExtractError::NothingToExtract => cli_text::EXTRACT_NOTHING,
                            ExtractError::Io { .. } => cli_text::EXTRACT_FAILED,
                        };
                        eprintln!("{}: {shown} ({e})", text.get(lang));
                    }
                }
            });
            summary.add(&report, done.unreadable, one_line_reason(&report, lang));
            progress.done(&summary);
            reports.push(report);
        },
    );
    progress.finish();
    let interrupted = cancel.load(Ordering::SeqCst);

    if args.json {
        let rendered = if single {
            reports.first().map(serde_json::to_string_pretty)
        } else {
            Some(serde_json::to_string_pretty(&reports))
        };
        if let Some(Ok(text)) = rendered {
            println!("{text}");
        }
    }
    if items.len() > 1 || interrupted {
        // On stdout with the human report; beside JSON it would break the JSON.
        if args.json {
            print_summary(&mut std::io::stderr(), &summary, lang);
        } else {
            print_summary(&mut stdout.lock(), &summary, lang);
        }
    }
    if interrupted {
        eprintln!("{}", report_text::INTERRUPTED.get(lang));
    }
    let mut report_failed = false;
    if let (Some(path), Some(format)) = (&args.report, report_format) {
        report_failed = write_report(path, format, args.force, &reports, data_dir, lang).is_err();
    }
    if interrupted {
        return INTERRUPTED;
    }
    if summary.unreadable > 0 {
        return exit::NO_INPUT;
    }
    if extract_failed || report_failed {
        return exit::CANT_CREATE;
    }
    exit_code(&reports)
}

/// `sportello report FILE... --pdf OUT.pdf`.
pub fn report(args: &ReportArgs, data_dir: &Path, lang: Lang) -> i32 {
    let now = time::OffsetDateTime::now_utc();
    let format = match report_target(&args.pdf, args.force, lang) {
        Ok(Format::Pdf) => Format::Pdf,
        Ok(_) => {
            eprintln!(
                "{}: {}",
                report_text::REPORT_FORMAT.get(lang),
                args.pdf.display()
            );
            return exit::USAGE;
        }
        Err(code) => return code,
    };
    let (store, trust_warnings) = match load_trust(data_dir, &args.trust, now, lang) {
        Ok(loaded) => loaded,
        Err(code) => return code,
    };
    // The printed report relies on what the desk already has: the envelope and the store.
    let revocation = RevocationSources::for_data_dir(data_dir, false);
    let opts = options(&store, &revocation, args.at);
    let items = batch::collect(&args.files, args.recursive);
    let cancel = cancel_on_ctrl_c();
    let mut reports = Vec::with_capacity(items.len());
    let mut unreadable = false;
    batch::verify_all(
        &items,
        &opts,
        batch::run::default_jobs(),
        &cancel,
        |_, _, _| (),
        |done| {
            let mut report = done.report;
            report
                .warnings
                .extend(trust_warnings.iter().map(|s| s.warning()));
            if done.unreadable {
                unreadable = true;
                eprintln!(
                    "{}: {} ({})",
                    cli_text::CANNOT_OPEN.get(lang),
                    report.file,
                    report.reason.as_deref().unwrap_or("")
                );
            }
            reports.push(report);
        },
    );
    if cancel.load(Ordering::SeqCst) {
        eprintln!("{}", report_text::INTERRUPTED.get(lang));
    }
    if write_report(&args.pdf, format, args.force, &reports, data_dir, lang).is_err() {
        return exit::CANT_CREATE;
    }
    if cancel.load(Ordering::SeqCst) {
        INTERRUPTED
    } else if unreadable {
        exit::NO_INPUT
    } else {
        exit_code(&reports)
    }
}

fn exit_code(reports: &[Report]) -> i32 {
    if reports
        .iter()
        .any(|r| r.indication == Indication::TotalFailed)
    {
        exit::FAILED
    } else if reports
        .iter()
        .all(|r| r.indication == Indication::TotalPassed)
    {
        exit::OK
    } else {
        exit::INDETERMINATE
    }
}
