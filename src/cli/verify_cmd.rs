//! `sportello verify`.

use std::io::Write;

use crate::i18n::{cli_text, verify_text, Lang};
use std::path::{Path, PathBuf};

use crate::trust::store::Store;
use crate::verify::{verify_with_tokens, Indication, Report, VerifyOptions};

use super::extract::{extract_document, ExtractError};
use super::{exit, human, input, VerifyArgs};

pub fn run(args: &VerifyArgs, data_dir: &Path, lang: Lang) -> i32 {
    let now = time::OffsetDateTime::now_utc();
    // The imported store (Trusted Lists, office anchors) plus anchors given with --trust.
    let trust = Store::open(data_dir);
    let (mut store, mut trust_warnings) = match trust.load(now) {
        Ok(loaded) => loaded,
        Err(e) => {
            log::error!("trust store: {e}");
            eprintln!("{}: {e}", cli_text::TRUST_UNREADABLE.get(lang));
            return exit::NO_INPUT;
        }
    };
    for path in &args.trust {
        match trust.add_trust_path(&mut store, path, now) {
            Ok(stale) => trust_warnings.extend(stale),
            Err(e) => {
                log::error!("trust anchors: {e}");
                eprintln!("{}: {e}", cli_text::TRUST_UNREADABLE.get(lang));
                return exit::NO_INPUT;
            }
        }
    }
    let mut given_crls = Vec::new();
    for path in &args.crl {
        match std::fs::read(path) {
            Ok(bytes) => given_crls.extend(crate::revocation::crl::crls_in_file(&bytes)),
            Err(e) => {
                log::error!("cannot read CRL {}: {e}", path.display());
                eprintln!(
                    "{}: {} ({e})",
                    cli_text::CANNOT_OPEN.get(lang),
                    path.display()
                );
                return exit::NO_INPUT;
            }
        }
    }
    let revocation = crate::revocation::RevocationSources::for_data_dir(data_dir, args.online)
        .with_crls(given_crls);
    let mut opts = VerifyOptions::now();
    opts.revocation = Some(&revocation);
    if let Some(at) = args.at {
        opts.validation_time = at;
        opts.asserted = true;
    }
    if !store.is_empty() {
        opts.trust = Some(&store);
    }
    let mut reports: Vec<Report> = Vec::new();
    let mut unopenable = false;
    let mut extract_failed = false;
    let stdout = std::io::stdout();
    for path in &args.files {
        let shown = path.display().to_string();
        let data = match input::open(path) {
            Ok(d) => d,
            Err(e) => {
                log::error!("cannot open {shown}: {e}");
                eprintln!("{}: {shown} ({e})", cli_text::CANNOT_OPEN.get(lang));
                unopenable = true;
                continue;
            }
        };
        let detached = match detached_tokens(path, &args.timestamps) {
            Ok(d) => d,
            Err((tsr, e)) => {
                log::error!("cannot read time-stamp {}: {e}", tsr.display());
                eprintln!(
                    "{}: {} ({e})",
                    cli_text::CANNOT_OPEN.get(lang),
                    tsr.display()
                );
                unopenable = true;
                continue;
            }
        };
        let detached_refs: Vec<&[u8]> = detached.iter().map(Vec::as_slice).collect();
        let mut report = verify_with_tokens(&shown, &data, &detached_refs, &opts);
        // Said on every verification that relies on a stale list, not once.
        report
            .warnings
            .extend(trust_warnings.iter().map(|s| s.warning()));
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
        if let Some(dir) = &args.extract {
            let name = report
                .content
                .as_ref()
                .map(|c| c.suggested_name.clone())
                .unwrap_or_default();
            match extract_document(&data, dir, &name) {
                Ok(written) => {
                    if !args.json {
                        println!(
                            "{}: {}\n",
                            verify_text::EXTRACTED.get(lang),
                            written.display()
                        );
                    }
                }
                Err(e) => {
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
        }
        reports.push(report);
    }
    if args.json {
        let rendered = if args.files.len() == 1 {
            reports.first().map(serde_json::to_string_pretty)
        } else {
            Some(serde_json::to_string_pretty(&reports))
        };
        if let Some(Ok(text)) = rendered {
            println!("{text}");
        }
    }
    if unopenable {
        return exit::NO_INPUT;
    }
    if extract_failed {
        return exit::CANT_CREATE;
    }
    exit_code(&reports)
}

/// The time-stamps given with `--timestamp`, and `FILE.tsr` beside `file` when there is one.
fn detached_tokens(
    file: &Path,
    given: &[PathBuf],
) -> Result<Vec<Vec<u8>>, (PathBuf, std::io::Error)> {
    let mut out = Vec::new();
    for tsr in given {
        out.push(std::fs::read(tsr).map_err(|e| (tsr.clone(), e))?);
    }
    let mut beside = file.as_os_str().to_owned();
    beside.push(".tsr");
    let beside = PathBuf::from(beside);
    if beside.is_file() && !given.contains(&beside) {
        out.push(std::fs::read(&beside).map_err(|e| (beside.clone(), e))?);
    }
    Ok(out)
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
