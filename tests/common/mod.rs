//! Helpers shared by the integration tests.
#![allow(dead_code)]

use std::path::PathBuf;

/// `../shared/` beside the repository (or `SPORTELLO_SHARED`). Tests that need it fail
/// loudly when it is missing: a skipped conformance test would check nothing.
pub fn shared_dir() -> PathBuf {
    let dir = std::env::var_os("SPORTELLO_SHARED")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared"));
    assert!(
        dir.join("corpus/MANIFEST.tsv").is_file(),
        "the shared test material is missing at {} (set SPORTELLO_SHARED)",
        dir.display()
    );
    dir
}

pub fn corpus_file(name: &str) -> PathBuf {
    shared_dir().join("corpus").join(name)
}

/// One row of corpus/MANIFEST.tsv.
#[derive(Debug, Clone)]
pub struct ManifestRow {
    pub file: String,
    pub what: String,
    pub encoding: String,
    pub expected: String,
    pub independent: String,
}

pub fn manifest() -> Vec<ManifestRow> {
    let text =
        std::fs::read_to_string(shared_dir().join("corpus/MANIFEST.tsv")).expect("read manifest");
    let mut lines = text.lines();
    let header: Vec<&str> = lines.next().expect("manifest header").split('\t').collect();
    let col = |name: &str| {
        header
            .iter()
            .position(|h| h.starts_with(name))
            .unwrap_or_else(|| panic!("manifest column {name} missing"))
    };
    let (f, w, e, x, i) = (
        col("file"),
        col("what"),
        col("encoding"),
        col("expected_outcome"),
        col("independent_crypto_check"),
    );
    lines
        .map(|l| l.split('\t').collect::<Vec<_>>())
        .filter(|cols| cols.len() > i && !cols[f].starts_with("../"))
        .map(|cols| ManifestRow {
            file: cols[f].to_string(),
            what: cols[w].to_string(),
            encoding: cols[e].to_string(),
            expected: cols[x].to_string(),
            independent: cols[i].to_string(),
        })
        .collect()
}

/// A fresh desk database with its first officer and a live session for them, opened through
/// the store as card login will (the card part is issue 4).
pub fn officer_in_session(
    dir: &std::path::Path,
) -> (sportello::store::Store, sportello::registry::SessionRef) {
    let mut store = sportello::store::Store::open(&dir.join("desk.db")).expect("open");
    let officer =
        sportello::registry::add_officer(&mut store, None, "BNCGNN70C15L219B", "Giovanni Bianchi")
            .expect("bootstrap officer");
    let session = store
        .change(|tx| sportello::store::officers::open_session(tx, officer, &"ab".repeat(32), 30))
        .expect("session");
    (store, sportello::registry::SessionRef(session))
}
