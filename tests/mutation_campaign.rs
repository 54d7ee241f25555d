//! The mutation campaign: thousands of changes to the bytes a signature protects (the signed
//! document, the signed attributes, the signature value) of a few real files, of several
//! kinds (one bit, one byte, a run of bytes zeroed, two bytes swapped). None may be judged
//! intact: a change the verifier misses would let a forged document pass at the desk.

mod common;

use std::ops::Range;

use sportello::envelope::{self, Buffers};
use sportello::verify::{verify_bytes, Indication, VerifyOptions};

/// Deterministic pseudo-random numbers (xorshift), so a failure can be replayed.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

fn offset_in(data: &[u8], slice: &[u8]) -> Option<Range<usize>> {
    let start = (slice.as_ptr() as usize).checked_sub(data.as_ptr() as usize)?;
    (start + slice.len() <= data.len() && !slice.is_empty()).then(|| start..start + slice.len())
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Region {
    Content,
    SignedAttributes,
    Signature,
}

/// Where each protected byte of the outer level's first signature lies in the file.
fn protected(data: &[u8]) -> Vec<(Region, Range<usize>)> {
    let buffers = Buffers::new();
    let env = envelope::open(data, &buffers).expect("a readable corpus file");
    let level = env.levels.first().expect("one level");
    let mut out = Vec::new();
    if let Some(content) = level.content {
        content
            .for_each_chunk(|chunk| {
                out.extend(offset_in(data, chunk).map(|r| (Region::Content, r)));
            })
            .expect("content");
    }
    let si = level.signed_data.signer_infos.first().expect("a signer");
    if let Some(attrs) = &si.signed_attrs {
        // Past the [0] tag byte, which is rewritten to SET before hashing anyway.
        if let Some(r) = offset_in(data, attrs.element.raw) {
            out.push((Region::SignedAttributes, r.start + 1..r.end));
        }
    }
    if let std::borrow::Cow::Borrowed(value) = &si.signature {
        out.extend(offset_in(data, value).map(|r| (Region::Signature, r)));
    }
    out
}

/// Applies mutation `kind` at `at`; false when it would change nothing.
fn mutate(data: &mut [u8], range: &Range<usize>, at: usize, kind: usize, rng: &mut Rng) -> bool {
    match kind {
        0 => data[at] ^= 1 << rng.below(8),
        1 => {
            let value = (rng.next() & 0xff) as u8;
            if value == data[at] {
                return false;
            }
            data[at] = value;
        }
        2 => {
            let end = (at + 1 + rng.below(8)).min(range.end);
            if data[at..end].iter().all(|b| *b == 0) {
                return false;
            }
            data[at..end].fill(0);
        }
        _ => {
            if at + 1 >= range.end || data[at] == data[at + 1] {
                return false;
            }
            data.swap(at, at + 1);
        }
    }
    true
}

#[test]
fn no_mutation_of_protected_bytes_is_judged_intact() {
    let files = [
        "slamdunk_OK.txt.p7m",
        "parer_cades_bes.pdf.p7m",
        "dss-cookbook_signedCadesB.p7m",
        "parer_cades_bes_controfirma.doc.p7m",
    ];
    let opts = VerifyOptions::now();
    let mut per_region = [0usize; 3];
    let mut total = 0;
    for name in files {
        let original = std::fs::read(common::corpus_file(name)).expect("read corpus file");
        let intact = verify_bytes(name, &original, &opts);
        assert!(
            intact.signatures.first().is_some_and(|s| s.firma_integra()),
            "{name} is intact before any change"
        );
        let regions = protected(&original);
        assert!(
            regions.len() >= 3,
            "{name}: content, attributes and signature found"
        );
        let mut rng = Rng(0x5107_7E11 ^ original.len() as u64);
        let mut done = 0;
        while done < 300 {
            // Regions are drawn evenly, not by size: the small ones matter as much.
            let region =
                [Region::Content, Region::SignedAttributes, Region::Signature][rng.below(3)];
            let ranges: Vec<&Range<usize>> = regions
                .iter()
                .filter(|(r, _)| *r == region)
                .map(|(_, range)| range)
                .collect();
            let range = ranges[rng.below(ranges.len())];
            let at = range.start + rng.below(range.len());
            let kind = rng.below(4);
            let mut damaged = original.clone();
            if !mutate(&mut damaged, range, at, kind, &mut rng) {
                continue;
            }
            let report = verify_bytes(name, &damaged, &opts);
            let first = report.signatures.iter().find(|s| s.id == "L0.S1");
            assert!(
                !first.is_some_and(|s| s.firma_integra()),
                "{name}: {region:?} mutation {kind} at byte {at} judged intact"
            );
            assert_ne!(report.indication, Indication::TotalPassed, "{name} at {at}");
            per_region[region as usize] += 1;
            done += 1;
        }
        total += done;
    }
    println!(
        "mutations: {total} (content {}, signed attributes {}, signature {}), none intact",
        per_region[0], per_region[1], per_region[2]
    );
    assert!(total >= 1000);
}
