//! `sportello trust import | list | status`.

use std::path::Path;

use crate::store::Location;

use time::OffsetDateTime;

use crate::envelope::asn1_time::rfc3339;
use crate::i18n::{trust_text as t, Lang};
use crate::trust::store::Store;

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
        TrustCommand::Import { files, json } => {
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
                Err(e) => {
                    log::info!("refused: {e}");
                    eprintln!(
                        "{}",
                        match lang {
                            Lang::It => e.italian(),
                            Lang::En => format!("Refused: {e}."),
                        }
                    );
                    return exit::FAILED;
                }
            };
            import(&store, &mut desk, authorized, files, *json, lang)
        }
        TrustCommand::Status { json } => match store.status(now) {
            Ok(lists) => {
                if *json {
                    println!(
                        "{}",
                        serde_json::to_string_pretty(&lists).unwrap_or_default()
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
                        "{} #{}: {} {}, {} {}, {} {} — {freshness}",
                        l.territory,
                        l.sequence_number,
                        t::ISSUED.get(lang),
                        l.issue_date,
                        t::NEXT_UPDATE.get(lang),
                        l.next_update.unwrap_or_else(|| "-".into()),
                        l.services,
                        t::SERVICES.get(lang)
                    );
                }
                exit::OK
            }
            Err(e) => fail(lang, &e),
        },
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

fn import(
    store: &Store,
    desk: &mut crate::store::Store,
    session: Option<crate::registry::SessionRef>,
    files: &[std::path::PathBuf],
    json: bool,
    lang: Lang,
) -> i32 {
    match store.import(files) {
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
