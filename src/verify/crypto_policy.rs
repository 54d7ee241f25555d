//! Which algorithms and key sizes are acceptable at a given time (ETSI TS 119 312 dates as
//! DSS applies them, plus the Italian SHA-256 format rule).

use time::{macros::datetime, OffsetDateTime};

use super::algorithms::DigestAlgorithm;
use super::keys::PublicKeyKind;

/// SHA-1 for signatures: acceptable until this time.
pub const SHA1_UNTIL: OffsetDateTime = datetime!(2012-08-01 00:00 UTC);
/// RSA keys of fewer than 1900 bits (RSA-1024).
pub const RSA_1024_UNTIL: OffsetDateTime = datetime!(2019-10-01 00:00 UTC);
/// RSA keys of fewer than 3000 bits (RSA-2048).
pub const RSA_2048_UNTIL: OffsetDateTime = datetime!(2029-01-01 00:00 UTC);
/// Italian format rule (DPCM 22/02/2013, Delib. CNIPA 45/2009 as amended): SHA-256 from here.
pub const ITALIAN_SHA256_FROM: OffsetDateTime = datetime!(2011-07-01 00:00 UTC);

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PolicyFinding {
    /// The algorithm or key is not acceptable at the time judged.
    pub violations: Vec<String>,
    /// Not a failure under ETSI, but worth telling the officer (Italian format rule).
    pub warnings: Vec<String>,
}

impl PolicyFinding {
    pub fn acceptable(&self) -> bool {
        self.violations.is_empty()
    }
}

fn date(t: OffsetDateTime) -> String {
    format!("{:04}-{:02}-{:02}", t.year(), u8::from(t.month()), t.day())
}

/// Judges the hashes and the signer key at time `at`.
pub fn judge(
    hashes: &[DigestAlgorithm],
    key: Option<&PublicKeyKind>,
    at: OffsetDateTime,
) -> PolicyFinding {
    let mut violations = Vec::new();
    let mut warnings = Vec::new();
    for hash in hashes {
        match hash {
            DigestAlgorithm::Md5 => {
                violations.push("MD5 is not acceptable at any date".to_string())
            }
            DigestAlgorithm::Sha1 if at >= SHA1_UNTIL => violations.push(format!(
                "SHA-1 is acceptable for signatures only until {}",
                date(SHA1_UNTIL)
            )),
            _ => {}
        }
        if matches!(hash, DigestAlgorithm::Md5 | DigestAlgorithm::Sha1) && at >= ITALIAN_SHA256_FROM
        {
            warnings.push(format!(
                "Italian format rules require SHA-256 or stronger for signatures made after {}",
                date(ITALIAN_SHA256_FROM)
            ));
        }
    }
    match key {
        Some(PublicKeyKind::Rsa { bits }) if *bits < 1900 && at >= RSA_1024_UNTIL => violations
            .push(format!(
                "RSA keys of {bits} bits are acceptable only until {}",
                date(RSA_1024_UNTIL)
            )),
        Some(PublicKeyKind::Rsa { bits }) if *bits < 1024 => {
            violations.push(format!("RSA keys of {bits} bits are never acceptable"))
        }
        Some(PublicKeyKind::Rsa { bits }) if *bits < 3000 && at >= RSA_2048_UNTIL => violations
            .push(format!(
                "RSA keys of {bits} bits are acceptable only until {}",
                date(RSA_2048_UNTIL)
            )),
        Some(PublicKeyKind::Ec { bits, curve }) if *bits < 256 => violations.push(format!(
            "elliptic curve {curve} ({bits} bits) is below 256 bits"
        )),
        Some(PublicKeyKind::Other { oid }) => {
            violations.push(format!("public key algorithm {oid} is not supported"))
        }
        _ => {}
    }
    warnings.dedup();
    violations.dedup();
    PolicyFinding {
        violations,
        warnings,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_decide() {
        let rsa1024 = PublicKeyKind::Rsa { bits: 1024 };
        let before = datetime!(2015-01-01 00:00 UTC);
        let after = datetime!(2020-01-01 00:00 UTC);
        assert!(judge(&[DigestAlgorithm::Sha256], Some(&rsa1024), before).acceptable());
        assert!(!judge(&[DigestAlgorithm::Sha256], Some(&rsa1024), after).acceptable());
        assert!(!judge(
            &[DigestAlgorithm::Md5],
            None,
            datetime!(2001-01-01 00:00 UTC)
        )
        .acceptable());
        let sha1_2010 = judge(
            &[DigestAlgorithm::Sha1],
            None,
            datetime!(2010-01-01 00:00 UTC),
        );
        assert!(sha1_2010.acceptable() && sha1_2010.warnings.is_empty());
        let sha1_2012 = judge(
            &[DigestAlgorithm::Sha1],
            None,
            datetime!(2012-01-01 00:00 UTC),
        );
        assert!(sha1_2012.acceptable() && !sha1_2012.warnings.is_empty());
        let p256 = PublicKeyKind::Ec {
            curve: "P-256".into(),
            bits: 256,
        };
        assert!(judge(&[DigestAlgorithm::Sha256], Some(&p256), after).acceptable());
    }
}
