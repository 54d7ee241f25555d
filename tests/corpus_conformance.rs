//! Conformance over ../shared/corpus/MANIFEST.tsv: for every real sample, the integrity
//! findings (readable or not, digest, signature, levels, signers, countersignatures, signer
//! codice fiscale) agree with the manifest's independent cryptographic check.

mod common;

use std::collections::BTreeMap;

use sportello::verify::{verify_bytes, CheckStatus, Report, SubIndication, VerifyOptions};

/// What the manifest's independent check found for one signature.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Expected {
    md: String,
    sig: String,
}

/// Parses `L0/s1:md=match,sig=OK(orig);L0/s1/cs1:...` into our signature ids
/// (`L0.S1`, `L0.S1.C1`). `L0/tsd/s1` is the envelope inside a .tsd: our `L0.S1`.
fn parse_independent(text: &str) -> Option<BTreeMap<String, Expected>> {
    if text.trim() == "PARSE_ERROR" {
        return None;
    }
    let mut out = BTreeMap::new();
    for entry in text.split(';') {
        let (path, findings) = entry.split_once(':').expect("entry has a colon");
        let mut id = String::new();
        for part in path.split('/') {
            if let Some(n) = part.strip_prefix('L') {
                id.push_str(&format!("L{n}"));
            } else if let Some(n) = part.strip_prefix("cs") {
                id.push_str(&format!(".C{n}"));
            } else if let Some(n) = part.strip_prefix('s') {
                id.push_str(&format!(".S{n}"));
            }
        }
        let mut md = String::new();
        let mut sig = String::new();
        for kv in findings.split(',') {
            if let Some(v) = kv.strip_prefix("md=") {
                md = v.to_string();
            } else if let Some(v) = kv.strip_prefix("sig=") {
                sig = v.to_string();
            }
        }
        out.insert(id, Expected { md, sig });
    }
    Some(out)
}

/// Codici fiscali named in the manifest's description (16-character personal form).
fn codici_fiscali_in(text: &str) -> Vec<String> {
    let bytes = text.as_bytes();
    let shape = "LLLLLLDDLDDLDDDL";
    let mut found = Vec::new();
    for start in 0..bytes.len().saturating_sub(15) {
        let window = &bytes[start..start + 16];
        let fits = window.iter().zip(shape.bytes()).all(|(b, s)| match s {
            b'L' => b.is_ascii_uppercase(),
            _ => b.is_ascii_digit(),
        });
        let bounded = start == 0 || !bytes[start - 1].is_ascii_alphanumeric();
        if fits && bounded {
            found.push(String::from_utf8_lossy(window).into_owned());
        }
    }
    found
}

/// Integrity sub-indications the manifest states for the signature itself (not for a
/// time-stamp inside it).
fn stated_integrity_outcome(expected: &str) -> Option<SubIndication> {
    let candidates = [
        ("FORMAT_FAILURE", SubIndication::FormatFailure),
        ("HASH_FAILURE", SubIndication::HashFailure),
        ("SIG_CRYPTO_FAILURE", SubIndication::SigCryptoFailure),
        (
            "NO_SIGNING_CERTIFICATE_FOUND",
            SubIndication::NoSigningCertificateFound,
        ),
        ("SIGNED_DATA_NOT_FOUND", SubIndication::SignedDataNotFound),
    ];
    candidates.iter().find_map(|(token, sub)| {
        let at = expected.find(token)?;
        let before = &expected[at.saturating_sub(20)..at];
        let about_timestamp = before.contains("TST") || before.contains("time-stamp");
        (!about_timestamp).then_some(*sub)
    })
}

fn verify(name: &str) -> Report {
    let path = common::corpus_file(name);
    let data = std::fs::read(&path).unwrap_or_else(|e| panic!("read {}: {e}", path.display()));
    verify_bytes(name, &data, &VerifyOptions::now())
}

fn check_one(row: &common::ManifestRow) -> Vec<String> {
    let mut problems = Vec::new();
    let report = verify(&row.file);
    let mut complain = |p: String| problems.push(format!("{}: {p}", row.file));

    let Some(expected) = parse_independent(&row.independent) else {
        if report.sub_indication != Some(SubIndication::FormatFailure)
            || !report.signatures.is_empty()
        {
            complain(format!(
                "expected an unreadable file, got {:?}/{:?} with {} signature(s)",
                report.indication,
                report.sub_indication,
                report.signatures.len()
            ));
        }
        return problems;
    };

    let ours: BTreeMap<String, &sportello::verify::SignatureReport> = report
        .signatures
        .iter()
        .map(|s| (s.id.clone(), s))
        .collect();
    let expected_ids: Vec<&String> = expected.keys().collect();
    let our_ids: Vec<&String> = ours.keys().collect();
    if expected_ids != our_ids {
        complain(format!(
            "signatures {our_ids:?}, manifest says {expected_ids:?}"
        ));
        return problems;
    }

    for (id, exp) in &expected {
        let sig = ours[id];
        let digest = sig.checks.digest.status;
        let digest_ok = match exp.md.as_str() {
            "match" => digest == CheckStatus::Passed,
            "MISMATCH" => digest == CheckStatus::Failed,
            m if m.starts_with("detached") => digest == CheckStatus::Indeterminate,
            m if m.starts_with("n/a") => {
                digest == CheckStatus::Passed
                    && sig.checks.digest.message.contains("no signed attributes")
            }
            other => panic!("unknown md finding {other}"),
        };
        if !digest_ok {
            complain(format!(
                "{id}: digest {:?} ({}), manifest md={}",
                digest, sig.checks.digest.message, exp.md
            ));
        }
        let status = sig.checks.signature.status;
        let message = &sig.checks.signature.message;
        let sig_ok = match exp.sig.as_str() {
            "OK(orig)" => {
                status == CheckStatus::Passed
                    || (status == CheckStatus::Warning && message.contains("digestAlgorithm"))
            }
            s if s.starts_with("OK(only DER-sorted") => {
                status == CheckStatus::Warning && message.contains("sorting")
            }
            "BAD" => status == CheckStatus::Failed,
            "NO_SIGNER_CERT" => status == CheckStatus::Indeterminate,
            other => panic!("unknown sig finding {other}"),
        };
        if !sig_ok {
            complain(format!(
                "{id}: signature {status:?} ({message}), manifest sig={}",
                exp.sig
            ));
        }
    }

    for cf in codici_fiscali_in(&row.what) {
        let named = report.signatures.iter().any(|s| {
            s.signer
                .as_ref()
                .and_then(|p| p.codice_fiscale.as_ref())
                .is_some_and(|c| c.value == cf)
        });
        if !named {
            complain(format!("no signer with codice fiscale {cf}"));
        }
    }

    if let Some(sub) = stated_integrity_outcome(&row.expected) {
        if report.sub_indication != Some(sub) {
            complain(format!(
                "overall {:?}, manifest states {sub:?}",
                report.sub_indication
            ));
        }
    }
    problems
}

#[test]
fn every_corpus_sample_agrees_with_the_independent_check() {
    let rows = common::manifest();
    assert!(
        rows.len() >= 40,
        "manifest lists only {} samples",
        rows.len()
    );
    let problems: Vec<String> = rows.iter().flat_map(check_one).collect();
    let agreeing = rows.len()
        - problems
            .iter()
            .map(|p| p.split(':').next())
            .collect::<std::collections::BTreeSet<_>>()
            .len();
    println!("corpus agreement: {agreeing}/{} samples", rows.len());
    assert!(
        problems.is_empty(),
        "disagreements:\n{}",
        problems.join("\n")
    );
}

#[test]
fn manifest_encodings_are_recognised() {
    for row in common::manifest() {
        let report = verify(&row.file);
        if report.reason.is_some() {
            // Unreadable (tampered structure): nothing was recognised, by design.
            continue;
        }
        let encodings = report.encodings.join(",");
        let expect = |needle: &str| {
            assert!(
                encodings.contains(needle),
                "{}: encodings {encodings}, manifest says {}",
                row.file,
                row.encoding
            )
        };
        match row.encoding.as_str() {
            // The manifest describes the outermost bytes; for a .tsd that is the wrapper.
            e if e.starts_with("BER") && encodings.contains("TimeStampedData") => {}
            e if e.starts_with("BER") => expect("L0:BER"),
            e if e.starts_with("DER") => expect("L0:DER"),
            "BASE64" => expect("base64"),
            "PEM" => expect("PEM"),
            _ => {}
        }
        if row.encoding.contains("trailing") {
            assert!(
                report.warnings.iter().any(|w| w.contains("after the end")),
                "{}: trailing bytes not reported",
                row.file
            );
        }
    }
}

#[test]
fn the_signed_data_trap_is_not_followed() {
    // eContentType says id-signedData but the content is "Hello World": one level only.
    let report = verify("dss_cades-bes-signeddata-enveloping.p7m");
    assert_eq!(report.levels.len(), 1);
    let content = report.content.expect("content");
    assert_eq!(content.size, 11);
    assert_eq!(content.media_type, "text/plain");
}

#[test]
fn nested_and_tsd_levels_are_reported() {
    let nested = verify("parer_cades_T_1.pdf.p7m");
    assert_eq!(nested.levels.len(), 2);
    assert_eq!(nested.levels[1].signer_count, 2);
    assert_eq!(
        nested.content.as_ref().map(|c| c.media_type.as_str()),
        Some("application/pdf")
    );
    let tsd = verify("parer_tsd_cades_T.pdf.p7m.tsd");
    assert!(tsd.encodings.iter().any(|e| e == "TimeStampedData"));
    assert_eq!(tsd.levels.len(), 2);
    assert_eq!(tsd.timestamp_tokens.len(), 1);
    assert!(tsd.timestamp_tokens[0].gen_time.is_some());
    // Same document inside both: the .tsd wraps the nested .p7m.
    assert_eq!(
        tsd.content.map(|c| c.sha256),
        nested.content.map(|c| c.sha256)
    );
}
