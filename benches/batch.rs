//! What a back-office user waits for: loading the trust store at start (the compact form
//! against re-parsing the list's XML) and a folder of real-sized files verified on two
//! threads with the Italian list loaded.
//! Run: `cargo bench --bench batch` (reads ../shared or $SPORTELLO_SHARED).

use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use sportello::trust::store::Store;
use sportello::verify::VerifyOptions;

fn shared() -> PathBuf {
    std::env::var_os("SPORTELLO_SHARED")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared"))
}

/// A data directory with the EU list of lists and the Italian list imported.
fn imported(dir: &Path) -> Store {
    let store = Store::open(dir);
    store
        .import(&[
            shared().join("trust/EU-LOTL_seq332_2023-09-27.xml"),
            shared().join("trust/TSL-IT_seq194_2023-09-26.xml"),
        ])
        .expect("import the Italian list");
    store
}

fn trust_load(c: &mut Criterion) {
    let now = time::OffsetDateTime::now_utc();
    let dir = tempfile::tempdir().expect("tempdir");
    let store = imported(dir.path());
    let mut group = c.benchmark_group("trust_store_load");
    group.bench_function("compact", |b| b.iter(|| store.load(now).expect("load")));
    std::fs::remove_file(dir.path().join("trust/lists/IT.compact")).expect("drop the compact form");
    group.sample_size(20);
    group.bench_function("xml", |b| b.iter(|| store.load(now).expect("load")));
    group.finish();
}

/// 1,000 files of 84–262 KB, copies of real corpus files.
const SAMPLES: [&str; 5] = [
    "parer_cades_bes.pdf.p7m",
    "dss_FD1_FD2_FEA.pdf.p7m",
    "parer_cades_T_1.pdf.p7m",
    "parer_tsd_cades_T.pdf.p7m.tsd",
    "parer_cades_bes_controfirma.doc.p7m",
];

fn folder(c: &mut Criterion) {
    let now = time::OffsetDateTime::now_utc();
    let data = tempfile::tempdir().expect("tempdir");
    let (trust, _) = imported(data.path()).load(now).expect("load");
    let files = tempfile::tempdir().expect("tempdir");
    for i in 0..1000 {
        let name = SAMPLES[i % SAMPLES.len()];
        std::fs::copy(
            shared().join("corpus").join(name),
            files.path().join(format!("{i:04}-{name}")),
        )
        .expect("copy");
    }
    let mut opts = VerifyOptions::now();
    opts.trust = Some(&trust);
    let cancel = AtomicBool::new(false);
    let mut group = c.benchmark_group("batch_folder");
    group.sample_size(10);
    group.throughput(Throughput::Elements(1000));
    for jobs in [1, 2] {
        group.bench_function(format!("1000_files_{jobs}_jobs"), |b| {
            b.iter(|| {
                let items = sportello::batch::collect(&[files.path().to_path_buf()], false);
                sportello::batch::verify_all(&items, &opts, jobs, &cancel, |_, _, _| (), |_| ())
            })
        });
    }
    group.finish();
}

criterion_group!(benches, trust_load, folder);
criterion_main!(benches);
