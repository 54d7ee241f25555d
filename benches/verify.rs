//! Verification throughput on real corpus files and on a large generated envelope.
//! Run: `cargo bench --bench verify` (reads ../shared/corpus or $SPORTELLO_SHARED).

use std::path::PathBuf;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use sportello::verify::{verify_bytes, VerifyOptions};

fn shared() -> PathBuf {
    std::env::var_os("SPORTELLO_SHARED")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared"))
}

fn corpus(c: &mut Criterion) {
    let opts = VerifyOptions::now();
    let mut group = c.benchmark_group("verify_corpus");
    for name in [
        "slamdunk_OK.txt.p7m",
        "dss_FD1_FD2_FEA.pdf.p7m",
        "parer_cades_T_1.pdf.p7m",
        "dss_test.txt.signed.qes.attached.p7s",
    ] {
        let data = std::fs::read(shared().join("corpus").join(name)).expect("corpus file");
        group.throughput(Throughput::Bytes(data.len() as u64));
        group.bench_function(name, |b| b.iter(|| verify_bytes(name, &data, &opts)));
    }
    group.finish();
}

criterion_group!(benches, corpus);
criterion_main!(benches);
