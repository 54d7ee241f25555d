//! `trust refresh`: the EU list of lists and the Italian list it points to, fetched and imported
//! exactly as `trust import` imports files (a list whose signature fails changes nothing), and
//! the stored CRLs past their next update downloaded again from where they came from.

use std::path::{Path, PathBuf};

use time::OffsetDateTime;

use super::cert::CertView;
use super::crl_store::CrlStore;
use super::fetch::Fetcher;
use crate::trust::store::Store;
use crate::trust::tsl::list_pointers;

/// Where the European Commission publishes the list of lists.
pub const EU_LOTL_URL: &str = "https://ec.europa.eu/tools/lotl/eu-lotl.xml";
/// The territory whose list the desk uses.
const TERRITORY: &str = "IT";

/// One thing refresh did or tried.
#[derive(Debug, Clone, serde::Serialize)]
pub struct RefreshItem {
    /// `list-of-lists`, `trusted-list`, `crl`.
    pub kind: &'static str,
    pub url: String,
    pub ok: bool,
    /// What was imported, or why nothing changed (English).
    pub detail: String,
}

/// What is out of date, without fetching anything: (kind, URL).
pub fn out_of_date(data_dir: &Path, lotl_url: &str, now: OffsetDateTime) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let lists = Store::open(data_dir).lists().unwrap_or_default();
    if lists.is_empty() || lists.iter().any(|l| l.is_stale(now)) {
        out.push(("trusted-list".to_string(), lotl_url.to_string()));
    }
    for (_, url) in CrlStore::open(data_dir).stale_downloads(now) {
        out.push(("crl".to_string(), url));
    }
    out
}

/// Downloads to a staging file in the data directory (the importer reads paths); removed after.
fn staged(data_dir: &Path, name: &str, bytes: &[u8]) -> Result<PathBuf, String> {
    let path = data_dir
        .join("trust")
        .join(format!(".refresh-{}-{name}", std::process::id()));
    crate::trust::store::write_private(&path, bytes).map_err(|e| e.to_string())?;
    Ok(path)
}

fn import_fetched(
    data_dir: &Path,
    fetcher: &Fetcher,
    kind: &'static str,
    url: &str,
) -> (RefreshItem, Option<Vec<u8>>) {
    let result = fetcher
        .get(url)
        .map_err(|e| e.to_string())
        .and_then(|bytes| {
            let path = staged(data_dir, "list.xml", &bytes)?;
            let imported = Store::open(data_dir)
                .import(std::slice::from_ref(&path))
                .map_err(|e| e.to_string());
            let _ = std::fs::remove_file(&path);
            imported.map(|done| (done, bytes))
        });
    match result {
        Ok((done, bytes)) => (
            RefreshItem {
                kind,
                url: url.to_string(),
                ok: true,
                detail: done
                    .iter()
                    .map(|d| d.detail.clone())
                    .collect::<Vec<_>>()
                    .join("; "),
            },
            Some(bytes),
        ),
        Err(detail) => (
            RefreshItem {
                kind,
                url: url.to_string(),
                ok: false,
                detail,
            },
            None,
        ),
    }
}

/// Fetches and imports; every step is reported, failures included.
pub fn refresh(
    data_dir: &Path,
    lotl_url: &str,
    fetcher: &Fetcher,
    now: OffsetDateTime,
) -> Vec<RefreshItem> {
    let mut items = Vec::new();
    let (item, lotl) = import_fetched(data_dir, fetcher, "list-of-lists", lotl_url);
    items.push(item);
    // The pointer comes from the list of lists just verified, or else from the imported one.
    let lotl = lotl.or_else(|| std::fs::read(data_dir.join("trust").join("lotl.xml")).ok());
    let pointer = lotl.and_then(|xml| {
        let pointers = list_pointers(&xml).ok()?;
        let ours: Vec<_> = pointers
            .into_iter()
            .filter(|p| p.territory == TERRITORY)
            .collect();
        ours.iter()
            .find(|p| p.location.to_ascii_lowercase().ends_with(".xml"))
            .or(ours.first())
            .map(|p| p.location.clone())
    });
    match pointer {
        Some(url) => items.push(import_fetched(data_dir, fetcher, "trusted-list", &url).0),
        None => items.push(RefreshItem {
            kind: "trusted-list",
            url: String::new(),
            ok: false,
            detail: format!("the list of lists names no {TERRITORY} list"),
        }),
    }
    let crls = CrlStore::open(data_dir);
    for (issuer_der, url) in crls.stale_downloads(now) {
        let detail = fetcher
            .get(&url)
            .map_err(|e| e.to_string())
            .and_then(|der| {
                let issuer = CertView::parse(&issuer_der).map_err(|e| e.to_string())?;
                crls.add(&der, &issuer, Some(&url), now)
                    .map_err(|e| e.to_string())
            });
        items.push(match detail {
            Ok(stored) => RefreshItem {
                kind: "crl",
                url,
                ok: true,
                detail: format!(
                    "{}: issued {}, next update {}",
                    stored.issuer,
                    stored.this_update,
                    stored.next_update.unwrap_or_else(|| "-".into())
                ),
            },
            Err(detail) => RefreshItem {
                kind: "crl",
                url,
                ok: false,
                detail,
            },
        });
    }
    items
}
