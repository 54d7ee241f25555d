//! One revocation check: from the CRL store (read, signature checked, judged), and online
//! against the local OCSP responder (request with nonce, HTTP on 127.0.0.1, `openssl ocsp`
//! answering, response checked). Run: `cargo bench --bench revocation` (needs openssl).

use std::sync::Arc;
use std::time::Duration;

use criterion::{criterion_group, criterion_main, Criterion};
use sportello::revocation::cert::CertView;
use sportello::revocation::{CrlStore, RevocationSources};
use sportello::verify::revocation::{RevocationQuery, RevocationSource, RevocationStatus};
use time::OffsetDateTime;

#[allow(dead_code)]
#[path = "../tests/support/local_http.rs"]
mod local_http;
#[allow(dead_code)]
#[path = "../tests/support/pki.rs"]
mod pki;
#[allow(dead_code)]
#[path = "../tests/support/revocation_pki.rs"]
mod revocation_pki;

use local_http::{reserve, LocalServer};
use revocation_pki::{Responder, RevPki};

fn check(source: &dyn RevocationSource, pki: &RevPki) -> RevocationStatus {
    source.status(&RevocationQuery {
        cert_der: &pki.good,
        issuer_der: &pki.ca,
        validation_time: OffsetDateTime::now_utc(),
        embedded: Default::default(),
    })
}

fn revocation(c: &mut Criterion) {
    let dir = tempfile::tempdir().expect("tempdir");
    let (crl_listener, ocsp_listener) = (reserve(), reserve());
    let crl_url = format!("http://{}/ca.crl", crl_listener.local_addr().expect("addr"));
    let ocsp_url = format!("http://{}/ocsp", ocsp_listener.local_addr().expect("addr"));
    let pki = Arc::new(RevPki::build(dir.path(), &crl_url, &ocsp_url));
    let p = pki.clone();
    let _responder = LocalServer::start(
        ocsp_listener,
        Arc::new(move |_, _, body| (200, p.ocsp_answer(body, Responder::Delegated))),
    );
    drop(crl_listener);

    let data = tempfile::tempdir().expect("tempdir");
    let issuer = CertView::parse(&pki.ca).expect("ca");
    CrlStore::open(data.path())
        .add(&pki.crl, &issuer, None, OffsetDateTime::now_utc())
        .expect("store the CRL");
    let from_store = RevocationSources::new(Some(CrlStore::open(data.path())));
    assert!(matches!(
        check(&from_store, &pki),
        RevocationStatus::Good(_)
    ));

    let mut group = c.benchmark_group("revocation_check");
    group.bench_function("crl_store", |b| b.iter(|| check(&from_store, &pki)));
    group.sample_size(20);
    group.bench_function("ocsp_local_responder", |b| {
        b.iter(|| {
            // A new source each time: its per-run cache would answer otherwise.
            let online = RevocationSources::new(None).online(Duration::from_secs(5));
            let status = check(&online, &pki);
            assert!(matches!(status, RevocationStatus::Good(_)), "{status:?}");
        })
    });
    group.finish();
}

criterion_group!(benches, revocation);
criterion_main!(benches);
