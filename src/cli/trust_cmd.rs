//! `sportello trust import | list | status`.

use std::path::Path;

use crate::store::Location;

use time::OffsetDateTime;

use crate::envelope::asn1_time::rfc3339;
use crate::i18n::{trust_text as t, Lang};
use std::path::PathBuf;

use crate::revocation::refresh::{out_of_date, RefreshItem};
use crate::revocation::CrlStore;
use crate::trust::store::{Imported, Store};

use super::{exit, TrustCommand};

fn fail(lang: Lang, e: &dyn std::fmt::Display) -> i32 {
    log::error!("trust: {e}");
    eprintln!("{}: {e}", t::FAILED.get(lang));
    exit::FAILED
}

pub fn run(command: &TrustCommand, data_dir: &Path, db: &Location, lang: Lang) -> i32 {
    let store = Store::open(data_dir);
    let now = OffsetDateTime::now_utc();
    match command {
        TrustCommand::Import {
            files,
            accept_unpinned,
            json,
        } => {
            // Who may change what the desk trusts: anyone before the first officer exists,
            // afterwards an officer in session; recorded in the audit log.
            let mut desk = match crate::store::Store::open_at(db) {
                Ok(d) => d,
                Err(e) => return fail(lang, &e),
            };
            let session =
                crate::store::read_session_file(db.local_path()).map(crate::registry::SessionRef);
            let authorized = match crate::registry::authorize_trust_change(&mut desk, session) {
                Ok(s) => s,
                Err(e) => return refused(&e, lang),
            };
            import(
                &store,
                data_dir,
                &mut desk,
                authorized,
                files,
                ImportFlags {
                    accept_unpinned: *accept_unpinned,
                    json: *json,
                },
                lang,
            )
        }
        TrustCommand::Status { json } => status(&store, data_dir, now, *json, lang),
        TrustCommand::Refresh {
            online,
            lotl_url,
            json,
        } => {
            if !*online {
                return report_out_of_date(data_dir, lotl_url, now, *json, lang);
            }
            let mut desk = match crate::store::Store::open_at(db) {
                Ok(d) => d,
                Err(e) => return fail(lang, &e),
            };
            let session =
                crate::store::read_session_file(db.local_path()).map(crate::registry::SessionRef);
            let authorized = match crate::registry::authorize_trust_change(&mut desk, session) {
                Ok(s) => s,
                Err(e) => return refused(&e, lang),
            };
            refresh(&mut desk, authorized, data_dir, lotl_url, now, *json, lang)
        }
        TrustCommand::List { json } => match store.anchors(now) {
            Ok(anchors) => {
                let rows: Vec<serde_json::Value> = anchors
                    .iter()
                    .map(|a| {
                        let id = crate::identity::signer_identity(&a.cert, &a.der);
                        serde_json::json!({
                            "subject": id.subject,
                            "not_after": id.not_after,
                            "source": a.source,
                            "sha256": id.sha256_fingerprint,
                            "granted": a.granted.iter().map(|w| serde_json::json!({
                                "from": rfc3339(w.from),
                                "until": w.until.map(rfc3339),
                            })).collect::<Vec<_>>(),
                            "trusted_now": a.trusted_at(now),
                        })
                    })
                    .collect();
                if *json {
                    println!(
                        "{}",
                        serde_json::to_string_pretty(&rows).unwrap_or_default()
                    );
                } else {
                    for row in &rows {
                        let mark = if row["trusted_now"] == true { "+" } else { "-" };
                        println!(
                            "{mark} {}  [{}]",
                            row["subject"].as_str().unwrap_or(""),
                            row["source"].as_str().unwrap_or("")
                        );
                    }
                    println!("{}: {}", t::ANCHORS.get(lang), rows.len());
                }
                exit::OK
            }
            Err(e) => fail(lang, &e),
        },
    }
}

struct ImportFlags {
    accept_unpinned: bool,
    json: bool,
}

fn refused(e: &crate::registry::RegistryError, lang: Lang) -> i32 {
    log::info!("refused: {e}");
    eprintln!(
        "{}",
        match lang {
            Lang::It => e.italian(),
            Lang::En => format!("Refused: {e}."),
        }
    );
    exit::FAILED
}

/// A CRL file: named `.crl`, PEM `X509 CRL`, or DER that reads as a CRL.
fn is_crl_file(path: &Path) -> bool {
    if path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("crl"))
    {
        return true;
    }
    std::fs::read(path).is_ok_and(|bytes| {
        String::from_utf8_lossy(&bytes).contains("-----BEGIN X509 CRL-----")
            || crate::revocation::crl::parse(&bytes).is_ok()
    })
}

/// Imports CRLs into the store, each checked against the CA certificate that issued it
/// among the trusted anchors; all files are checked before anything is written.
fn import_crls(
    data_dir: &Path,
    store: &Store,
    files: &[PathBuf],
    now: OffsetDateTime,
) -> Result<Vec<Imported>, String> {
    if files.is_empty() {
        return Ok(Vec::new());
    }
    let anchors = store.anchors(now).map_err(|e| e.to_string())?;
    let candidates: Vec<Vec<u8>> = anchors.into_iter().map(|a| a.der).collect();
    let crls = CrlStore::open(data_dir);
    let mut done = Vec::new();
    for path in files {
        let stored = crls
            .import(path, &candidates, now)
            .map_err(|e| format!("{}: {e}", path.display()))?;
        done.extend(stored.into_iter().map(|s| Imported {
            path: path.display().to_string(),
            kind: "crl",
            detail: format!(
                "CRL of {}: issued {}, next update {}, {} entries",
                s.issuer,
                s.this_update,
                s.next_update.unwrap_or_else(|| "-".into()),
                s.entries
            ),
        }));
    }
    Ok(done)
}

fn import(
    store: &Store,
    data_dir: &Path,
    desk: &mut crate::store::Store,
    session: Option<crate::registry::SessionRef>,
    files: &[std::path::PathBuf],
    flags: ImportFlags,
    lang: Lang,
) -> i32 {
    let json = flags.json;
    let (crl_files, others): (Vec<PathBuf>, Vec<PathBuf>) =
        files.iter().cloned().partition(|p| is_crl_file(p));
    let now = OffsetDateTime::now_utc();
    // Lists and certificates first: a CRL is checked against the anchors they bring.
    let result = if others.is_empty() {
        Ok(Vec::new())
    } else {
        store
            .import_with(&others, flags.accept_unpinned)
            .map_err(|e| e.to_string())
    }
    .and_then(|mut done| {
        done.extend(import_crls(data_dir, store, &crl_files, now)?);
        Ok(done)
    });
    match result {
        Ok(done) => {
            let summary: Vec<String> = done
                .iter()
                .map(|i| format!("{} {}: {}", i.kind, i.path, i.detail))
                .collect();
            if let Err(e) = crate::registry::record_trust_change(desk, session, &summary.join("; "))
            {
                return fail(lang, &e);
            }
            if json {
                println!(
                    "{}",
                    serde_json::to_string_pretty(&done).unwrap_or_default()
                );
            } else {
                for item in done {
                    println!("{}: {} ({})", t::IMPORTED.get(lang), item.path, item.detail);
                }
            }
            exit::OK
        }
        Err(e) => fail(lang, &e),
    }
}

fn status(store: &Store, data_dir: &Path, now: OffsetDateTime, json: bool, lang: Lang) -> i32 {
    let lists = match store.status(now) {
        Ok(lists) => lists,
        Err(e) => return fail(lang, &e),
    };
    let crls = CrlStore::open(data_dir).status(now);
    if json {
        println!(
            "{}",
            serde_json::to_string_pretty(&serde_json::json!({"lists": lists, "crls": crls}))
                .unwrap_or_default()
        );
        return exit::OK;
    }
    if lists.is_empty() {
        println!("{}", t::NO_LISTS.get(lang));
    }
    for l in lists {
        let freshness = if l.stale {
            t::STALE.get(lang)
        } else {
            t::FRESH.get(lang)
        };
        println!(
            "{} #{}: {} {} ({} {}), {} {}, {} {} — {freshness}",
            l.territory,
            l.sequence_number,
            t::ISSUED.get(lang),
            l.issue_date,
            l.age_days,
            t::DAYS_AGO.get(lang),
            t::NEXT_UPDATE.get(lang),
            l.next_update.unwrap_or_else(|| "-".into()),
            l.services,
            t::SERVICES.get(lang)
        );
    }
    for c in crls {
        let freshness = if c.stale {
            t::CRL_STALE.get(lang)
        } else {
            t::FRESH.get(lang)
        };
        println!(
            "CRL {}: {} {} ({} {}), {} {}, {} {} — {freshness}",
            c.issuer,
            t::ISSUED.get(lang),
            c.this_update,
            c.age_days,
            t::DAYS_AGO.get(lang),
            t::NEXT_UPDATE.get(lang),
            c.next_update.unwrap_or_else(|| "-".into()),
            c.entries,
            t::CRL_ENTRIES.get(lang)
        );
    }
    if let Some(sources) = crate::trust::shipped::sources() {
        println!(
            "{}: {}",
            t::SOURCE_LOTL.get(lang),
            sources.list_of_lists.url
        );
        for national in sources.national {
            println!(
                "{} {}: {}",
                t::SOURCE_NATIONAL.get(lang),
                national.territory,
                national.url
            );
        }
    }
    exit::OK
}

fn report_out_of_date(
    data_dir: &Path,
    lotl_url: &str,
    now: OffsetDateTime,
    json: bool,
    lang: Lang,
) -> i32 {
    let pending = out_of_date(data_dir, lotl_url, now);
    if json {
        let rows: Vec<serde_json::Value> = pending
            .iter()
            .map(|(kind, url)| serde_json::json!({"kind": kind, "url": url}))
            .collect();
        println!(
            "{}",
            serde_json::to_string_pretty(&rows).unwrap_or_default()
        );
        return exit::OK;
    }
    if pending.is_empty() {
        println!("{}", t::NOTHING_TO_REFRESH.get(lang));
    }
    for (kind, url) in &pending {
        println!("{}: {kind} {url}", t::OUT_OF_DATE.get(lang));
    }
    if !pending.is_empty() {
        println!("{}", t::REFRESH_ONLINE_HINT.get(lang));
    }
    exit::OK
}

fn refresh(
    desk: &mut crate::store::Store,
    session: Option<crate::registry::SessionRef>,
    data_dir: &Path,
    lotl_url: &str,
    now: OffsetDateTime,
    json: bool,
    lang: Lang,
) -> i32 {
    let fetcher = crate::revocation::fetch::Fetcher::new(std::time::Duration::from_secs(30));
    let items: Vec<RefreshItem> =
        crate::revocation::refresh::refresh(data_dir, lotl_url, &fetcher, now);
    let summary: Vec<String> = items
        .iter()
        .filter(|i| i.ok)
        .map(|i| format!("refresh {} {}: {}", i.kind, i.url, i.detail))
        .collect();
    if !summary.is_empty() {
        if let Err(e) = crate::registry::record_trust_change(desk, session, &summary.join("; ")) {
            return fail(lang, &e);
        }
    }
    if json {
        println!(
            "{}",
            serde_json::to_string_pretty(&items).unwrap_or_default()
        );
    } else {
        for i in &items {
            let mark = if i.ok {
                t::IMPORTED.get(lang)
            } else {
                t::NOT_REFRESHED.get(lang)
            };
            println!("{mark}: {} {} ({})", i.kind, i.url, i.detail);
        }
    }
    if items.iter().all(|i| i.ok) {
        exit::OK
    } else {
        exit::FAILED
    }
}
