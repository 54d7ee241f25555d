//! Damaged input: every corpus file truncated at many points and with many single-byte
//! changes gives an error or a verdict, never a panic; a change inside the signed content
//! or inside a signature value is never judged intact.

mod common;

use sportello::envelope::{self, Buffers};
use sportello::verify::{verify_bytes, Indication, Report, VerifyOptions};

/// Deterministic pseudo-random positions (xorshift), so a failure can be replayed.
struct Positions(u64);

impl Positions {
    fn next(&mut self, below: usize) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 % below as u64) as usize
    }
}

fn corpus_files() -> Vec<(String, Vec<u8>)> {
    common::manifest()
        .into_iter()
        .map(|row| {
            let data = std::fs::read(common::corpus_file(&row.file)).expect("read corpus file");
            (row.file, data)
        })
        .collect()
}

/// Offsets (in the file) of bytes that are signed content of level 0 and of each level-0
/// signature value. Only for binary files, where views point into the file itself.
struct Regions {
    content: Vec<std::ops::Range<usize>>,
    signatures: Vec<(usize, std::ops::Range<usize>)>,
}

fn offset_in(data: &[u8], slice: &[u8]) -> Option<std::ops::Range<usize>> {
    let start = (slice.as_ptr() as usize).checked_sub(data.as_ptr() as usize)?;
    (start + slice.len() <= data.len() && !slice.is_empty()).then(|| start..start + slice.len())
}

fn regions(data: &[u8]) -> Option<Regions> {
    let buffers = Buffers::new();
    let env = envelope::open(data, &buffers).ok()?;
    if !env.encodings.is_empty() && env.encodings.iter().any(|e| e != "TimeStampResp") {
        return None;
    }
    let level = env.levels.first()?;
    let mut content = Vec::new();
    if let Some(c) = level.content {
        c.for_each_chunk(|chunk| content.extend(offset_in(data, chunk)))
            .ok()?;
    }
    let signatures = level
        .signed_data
        .signer_infos
        .iter()
        .enumerate()
        .filter_map(|(i, si)| match &si.signature {
            std::borrow::Cow::Borrowed(b) => offset_in(data, b).map(|r| (i, r)),
            std::borrow::Cow::Owned(_) => None,
        })
        .collect();
    Some(Regions {
        content,
        signatures,
    })
}

fn judge(name: &str, data: &[u8]) -> Report {
    let result = std::panic::catch_unwind(|| verify_bytes(name, data, &VerifyOptions::now()));
    match result {
        Ok(report) => report,
        Err(_) => panic!(
            "verification panicked on damaged {name} ({} bytes)",
            data.len()
        ),
    }
}

#[test]
fn truncated_files_never_panic() {
    let mut checked = 0;
    for (name, data) in corpus_files() {
        let mut positions = Positions(0x5EED ^ data.len() as u64);
        let mut cuts: Vec<usize> = (0..48).map(|_| positions.next(data.len())).collect();
        cuts.extend([0, 1, 2, 3, 4, data.len() / 2, data.len().saturating_sub(1)]);
        for cut in cuts {
            let report = judge(&name, &data[..cut]);
            // A truncated file is never valid (its content or structure is incomplete).
            assert_ne!(
                report.indication,
                Indication::TotalPassed,
                "{name} cut at {cut}"
            );
            checked += 1;
        }
    }
    println!("truncations checked: {checked}");
}

#[test]
fn single_byte_changes_never_panic() {
    let mut checked = 0;
    for (name, data) in corpus_files() {
        let mut positions = Positions(0xC0FFEE ^ data.len() as u64);
        for _ in 0..64 {
            let mut damaged = data.clone();
            let at = positions.next(data.len());
            damaged[at] ^= 1 << positions.next(8);
            judge(&name, &damaged);
            checked += 1;
        }
    }
    println!("byte changes checked: {checked}");
}

#[test]
fn changed_content_or_signature_is_never_intact() {
    let mut content_changes = 0;
    let mut signature_changes = 0;
    for (name, data) in corpus_files() {
        let Some(regions) = regions(&data) else {
            continue;
        };
        let mut positions = Positions(0xBADD ^ data.len() as u64);
        let content_bytes: usize = regions.content.iter().map(|r| r.len()).sum();
        for _ in 0..if content_bytes > 0 { 12 } else { 0 } {
            let range = &regions.content[positions.next(regions.content.len())];
            let at = range.start + positions.next(range.len());
            let mut damaged = data.clone();
            damaged[at] ^= 0x20;
            let report = judge(&name, &damaged);
            for sig in report
                .signatures
                .iter()
                .filter(|s| s.level == 0 && s.parent.is_none())
            {
                assert!(
                    !sig.firma_integra(),
                    "{name}: content byte {at} changed, yet {} is judged intact",
                    sig.id
                );
            }
            content_changes += 1;
        }
        for (index, range) in &regions.signatures {
            for _ in 0..6 {
                let at = range.start + positions.next(range.len());
                let mut damaged = data.clone();
                damaged[at] ^= 0x01;
                let report = judge(&name, &damaged);
                let id = format!("L0.S{}", index + 1);
                if let Some(sig) = report.signatures.iter().find(|s| s.id == id) {
                    assert!(
                        !sig.firma_integra(),
                        "{name}: signature byte {at} changed, yet {id} is judged intact"
                    );
                }
                signature_changes += 1;
            }
        }
    }
    println!("content changes: {content_changes}, signature changes: {signature_changes}");
    assert!(content_changes > 300 && signature_changes > 200);
}
