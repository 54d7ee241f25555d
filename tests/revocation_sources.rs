//! Revocation data from every place, judged by the real source the CLI and the desk use, against
//! a test CA made with openssl: CRLs from `openssl ca -gencrl`, OCSP answers from the
//! `openssl ocsp` responder behind a local HTTP server on 127.0.0.1, bad data of every kind.

mod support;

use std::sync::Arc;
use std::time::{Duration, Instant};

use sportello::revocation::cert::CertView;
use sportello::revocation::{ocsp, CrlStore, RevocationSources};
use sportello::verify::revocation::{
    EmbeddedRevocation, RevocationOrigin, RevocationQuery, RevocationSource, RevocationStatus,
};
use support::local_http::{reserve, LocalServer};
use support::revocation_pki::{Responder, RevPki};
use time::OffsetDateTime;

struct Rig {
    pki: Arc<RevPki>,
    _dir: tempfile::TempDir,
    crl_server: Option<LocalServer>,
    ocsp_server: Option<LocalServer>,
    crl_url: String,
    ocsp_url: String,
}

/// `ocsp`: who answers (None: a responder that accepts and never answers); `serve_crl`: whether
/// the distribution point answers (if not, nothing listens there).
fn rig(ocsp: Option<Responder>, serve_crl: bool) -> Rig {
    let dir = tempfile::tempdir().expect("tempdir");
    let (crl_listener, ocsp_listener) = (reserve(), reserve());
    let crl_url = format!("http://{}/ca.crl", crl_listener.local_addr().expect("addr"));
    let ocsp_url = format!("http://{}/ocsp", ocsp_listener.local_addr().expect("addr"));
    let pki = Arc::new(RevPki::build(dir.path(), &crl_url, &ocsp_url));
    let crl_server = serve_crl.then(|| {
        let p = pki.clone();
        LocalServer::start(
            crl_listener,
            Arc::new(move |method, path, _| match (method, path) {
                ("GET", "/ca.crl") => (200, p.crl.clone()),
                _ => (404, Vec::new()),
            }),
        )
    });
    let ocsp_server = match ocsp {
        Some(who) => {
            let p = pki.clone();
            Some(LocalServer::start(
                ocsp_listener,
                Arc::new(move |_, _, body| (200, p.ocsp_answer(body, who))),
            ))
        }
        None => Some(LocalServer::silent(ocsp_listener)),
    };
    Rig {
        pki,
        _dir: dir,
        crl_server,
        ocsp_server,
        crl_url,
        ocsp_url,
    }
}

fn ask(
    source: &dyn RevocationSource,
    cert: &[u8],
    issuer: &[u8],
    at: OffsetDateTime,
    embedded: EmbeddedRevocation<'_>,
) -> RevocationStatus {
    source.status(&RevocationQuery {
        cert_der: cert,
        issuer_der: issuer,
        validation_time: at,
        embedded,
    })
}

fn now() -> OffsetDateTime {
    OffsetDateTime::now_utc()
}

fn offline_with(crls: Vec<Vec<u8>>) -> RevocationSources {
    RevocationSources::new(None).with_crls(crls)
}

fn unknown_reason(status: &RevocationStatus) -> &str {
    match status {
        RevocationStatus::Unknown { reason } => reason,
        other => panic!("expected Unknown, got {other:?}"),
    }
}

fn origin(status: &RevocationStatus) -> RevocationOrigin {
    match status {
        RevocationStatus::Good(e) | RevocationStatus::Revoked { evidence: e, .. } => e.origin,
        RevocationStatus::Unknown { reason } => panic!("no answer: {reason}"),
    }
}

#[test]
fn a_current_crl_says_good_and_revoked() {
    let r = rig(Some(Responder::Delegated), false);
    let p = &r.pki;
    let source = offline_with(vec![p.crl.clone()]);
    let good = ask(&source, &p.good, &p.ca, now(), Default::default());
    assert!(matches!(good, RevocationStatus::Good(_)), "{good:?}");
    assert_eq!(origin(&good), RevocationOrigin::Store);
    match ask(&source, &p.revoked, &p.ca, now(), Default::default()) {
        RevocationStatus::Revoked {
            reason,
            revoked_at,
            evidence,
        } => {
            assert_eq!(reason.as_deref(), Some("keyCompromise"));
            assert!(revoked_at <= now());
            assert!(
                evidence.issuer.contains("Sportello Test Revocation CA"),
                "{}",
                evidence.issuer
            );
        }
        other => panic!("expected Revoked, got {other:?}"),
    }
}

#[test]
fn bad_crls_say_nothing() {
    let r = rig(Some(Responder::Delegated), false);
    let p = &r.pki;
    let mut broken = p.crl.clone();
    let last = broken.len() - 1;
    broken[last] ^= 0x01;
    for (crl, expected) in [
        (broken, "does not verify"),
        (p.impostor_crl.clone(), "does not verify"),
        (p.other_issuer_crl.clone(), "another issuer"),
        (p.delta_crl.clone(), "delta CRLs are not supported"),
        (p.ca_only_crl.clone(), "CA certificates only"),
    ] {
        for cert in [&p.good, &p.revoked] {
            let status = ask(
                &offline_with(vec![crl.clone()]),
                cert,
                &p.ca,
                now(),
                Default::default(),
            );
            let reason = unknown_reason(&status);
            assert!(reason.contains(expected), "{expected}: {reason}");
        }
    }
}

#[test]
fn a_crl_past_its_next_update_is_not_current() {
    let r = rig(Some(Responder::Delegated), false);
    let p = &r.pki;
    let later = now() + time::Duration::days(30);
    let source = offline_with(vec![p.crl.clone()]);
    let reason =
        unknown_reason(&ask(&source, &p.good, &p.ca, later, Default::default())).to_string();
    assert!(reason.contains("not current"), "{reason}");
    // A revocation it lists stays a fact.
    assert!(matches!(
        ask(&source, &p.revoked, &p.ca, later, Default::default()),
        RevocationStatus::Revoked { .. }
    ));
}

#[test]
fn absence_from_a_crl_says_nothing_for_a_certificate_already_expired() {
    let r = rig(Some(Responder::Delegated), false);
    let p = &r.pki;
    let status = ask(
        &offline_with(vec![p.crl.clone()]),
        &p.expired,
        &p.ca,
        now(),
        Default::default(),
    );
    assert!(
        unknown_reason(&status).contains("had expired"),
        "{status:?}"
    );
}

#[test]
fn offline_without_data_is_unknown_and_says_why() {
    let r = rig(Some(Responder::Delegated), true);
    let p = &r.pki;
    let status = ask(
        &RevocationSources::new(None),
        &p.good,
        &p.ca,
        now(),
        Default::default(),
    );
    assert!(unknown_reason(&status).contains("--online"), "{status:?}");
    assert_eq!(
        r.ocsp_server
            .as_ref()
            .map(|s| s.hits.load(std::sync::atomic::Ordering::SeqCst)),
        Some(0)
    );
}

fn online() -> RevocationSources {
    RevocationSources::new(None).online(Duration::from_secs(1))
}

#[test]
fn online_ocsp_good_from_a_delegated_responder_is_reported_and_cached() {
    let r = rig(Some(Responder::Delegated), false);
    let p = &r.pki;
    let source = online();
    let status = ask(&source, &p.good, &p.ca, now(), Default::default());
    match &status {
        RevocationStatus::Good(e) => {
            assert_eq!(e.origin, RevocationOrigin::Ocsp);
            assert_eq!(e.url.as_deref(), Some(r.ocsp_url.as_str()));
            assert!(e.issuer.contains("Test responder"), "{}", e.issuer);
            assert!(e.next_update.is_some());
        }
        other => panic!("expected Good, got {other:?}"),
    }
    let again = ask(&source, &p.good, &p.ca, now(), Default::default());
    assert_eq!(again, status);
    let hits = r
        .ocsp_server
        .as_ref()
        .map(|s| s.hits.load(std::sync::atomic::Ordering::SeqCst));
    assert_eq!(
        hits,
        Some(1),
        "the second question is answered from the cache"
    );
}

#[test]
fn online_ocsp_revoked_signed_by_the_ca() {
    let r = rig(Some(Responder::Ca), false);
    let p = &r.pki;
    match ask(&online(), &p.revoked, &p.ca, now(), Default::default()) {
        RevocationStatus::Revoked {
            evidence, reason, ..
        } => {
            assert_eq!(evidence.origin, RevocationOrigin::Ocsp);
            assert_eq!(reason.as_deref(), Some("keyCompromise"));
        }
        other => panic!("expected Revoked, got {other:?}"),
    }
}

#[test]
fn ocsp_unknown_is_unknown() {
    let r = rig(Some(Responder::Delegated), false);
    let p = &r.pki;
    let status = ask(&online(), &p.unrecorded, &p.ca, now(), Default::default());
    assert!(
        unknown_reason(&status).contains("does not know the certificate"),
        "{status:?}"
    );
}

#[test]
fn ocsp_from_an_unauthorised_responder_is_refused() {
    let r = rig(Some(Responder::Unauthorised), false);
    let p = &r.pki;
    let status = ask(&online(), &p.good, &p.ca, now(), Default::default());
    assert!(
        unknown_reason(&status).contains("not authorised"),
        "{status:?}"
    );
}

#[test]
fn a_silent_responder_times_out_quickly_and_the_crl_is_used_then_kept() {
    let r = rig(None, true);
    let p = &r.pki;
    let data = tempfile::tempdir().expect("tempdir");
    let source =
        RevocationSources::new(Some(CrlStore::open(data.path()))).online(Duration::from_secs(1));
    let started = Instant::now();
    let status = ask(&source, &p.good, &p.ca, now(), Default::default());
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "took {:?}",
        started.elapsed()
    );
    match &status {
        RevocationStatus::Good(e) => {
            assert_eq!(e.origin, RevocationOrigin::CrlDownload);
            assert_eq!(e.url.as_deref(), Some(r.crl_url.as_str()));
        }
        other => panic!("expected Good from the CRL, got {other:?}"),
    }
    // Offline afterwards: the downloaded CRL answers from the store, with its date.
    let offline = RevocationSources::new(Some(CrlStore::open(data.path())));
    let stored = ask(&offline, &p.revoked, &p.ca, now(), Default::default());
    assert_eq!(origin(&stored), RevocationOrigin::Store);
    assert!(r.crl_server.is_some());
}

#[test]
fn responder_and_distribution_point_down_gives_a_clear_reason_without_hanging() {
    let r = rig(None, false);
    let p = &r.pki;
    let started = Instant::now();
    let status = ask(&online(), &p.good, &p.ca, now(), Default::default());
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "took {:?}",
        started.elapsed()
    );
    let reason = unknown_reason(&status);
    assert!(reason.contains("no answer within 1 s"), "{reason}");
    assert!(reason.contains("CRL download"), "{reason}");
}

#[test]
fn embedded_ocsp_answers_first() {
    let r = rig(Some(Responder::Delegated), false);
    let p = &r.pki;
    let (cert, issuer) = (
        CertView::parse(&p.good).expect("cert"),
        CertView::parse(&p.ca).expect("ca"),
    );
    let response = p.ocsp_answer(
        &ocsp::request(&cert, &issuer, b"0123456789abcdef"),
        Responder::Delegated,
    );
    let ocsp_list: [&[u8]; 1] = [&response];
    let embedded = EmbeddedRevocation {
        crls: &[],
        ocsp: &ocsp_list,
    };
    let status = ask(
        &RevocationSources::new(None),
        &p.good,
        &p.ca,
        now(),
        embedded,
    );
    assert_eq!(origin(&status), RevocationOrigin::Embedded);
    // The same response says nothing for another certificate.
    let other = ask(
        &RevocationSources::new(None),
        &p.revoked,
        &p.ca,
        now(),
        embedded,
    );
    assert!(unknown_reason(&other).contains("does not speak for this certificate"));
}

#[test]
fn damaged_crls_and_ocsp_responses_never_say_good() {
    let r = rig(Some(Responder::Delegated), false);
    let p = &r.pki;
    let (cert, issuer) = (
        CertView::parse(&p.good).expect("cert"),
        CertView::parse(&p.ca).expect("ca"),
    );
    let response = p.ocsp_answer(
        &ocsp::request(&cert, &issuer, b"0123456789abcdef"),
        Responder::Delegated,
    );
    let offline = RevocationSources::new(None);
    let mut variants: Vec<(bool, Vec<u8>, String)> = Vec::new();
    for original in [(true, &p.crl), (false, &response)] {
        let bytes = original.1;
        for i in 0..bytes.len() {
            let mut flipped = bytes.clone();
            flipped[i] ^= 0x04;
            variants.push((
                original.0,
                flipped,
                format!("byte {i} of {} flipped", bytes.len()),
            ));
        }
        for cut in (0..bytes.len()).step_by(7) {
            variants.push((original.0, bytes[..cut].to_vec(), format!("cut at {cut}")));
        }
    }
    for (is_crl, data, what) in &variants {
        let one: [&[u8]; 1] = [data];
        let embedded = if *is_crl {
            EmbeddedRevocation {
                crls: &one,
                ocsp: &[],
            }
        } else {
            EmbeddedRevocation {
                crls: &[],
                ocsp: &one,
            }
        };
        let status = ask(&offline, &p.good, &p.ca, now(), embedded);
        assert!(
            matches!(status, RevocationStatus::Unknown { .. }),
            "a damaged {} ({what}) passed: {status:?}",
            if *is_crl { "CRL" } else { "OCSP response" }
        );
    }
}
