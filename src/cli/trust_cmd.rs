//! `sportello trust import | list | status`.

use std::path::Path;

use time::OffsetDateTime;

use crate::i18n::{trust_text as t, Lang};
use crate::trust::store::Store;
use crate::verify::asn1_time::rfc3339;

use super::{exit, TrustCommand};

fn fail(lang: Lang, e: &dyn std::fmt::Display) -> i32 {
    log::error!("trust: {e}");
    eprintln!("{}: {e}", t::FAILED.get(lang));
    exit::FAILED
}

pub fn run(command: &TrustCommand, data_dir: &Path, lang: Lang) -> i32 {
    let store = Store::open(data_dir);
    let now = OffsetDateTime::now_utc();
    match command {
        TrustCommand::Import { files, json } => match store.import(files) {
            Ok(done) => {
                if *json {
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
        },
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
