//! Codici fiscali printed in real certificates of the shared corpus (issued by CAs, so their
//! check characters are right by construction), test codes with wrong check characters, and
//! omocodic variants whose check characters were computed outside this crate.
//! Vectors collected and independently checked by the identity helper session.

use sportello::codice_fiscale::{CfError, CfKind, CodiceFiscale};

const REAL_PERSONAL: [&str; 13] = [
    "RSSMRA80A01H501U",
    "BNGLGU67B18G388A",
    "TSSFPP87C29E889R",
    "DLGMRC65L15A794Y",
    "RNLLSN92T28H910T",
    "PPLDRN82A60F205U",
    "BVOLGU53E22B691F",
    "DSTLSN52A01C342F",
    "SSSGPP47D19G570I",
    "CCCNRC58E24D548L",
    "SNGFNC61T09B885D",
    "BNCFBA83R06F205N",
    "MRTCLD54D10A794P",
];

const REAL_NUMERIC: [&str; 6] = [
    "07945211006", // InfoCert
    "80062590379", // Regione Emilia-Romagna
    "01879020517", // ArubaPEC
    "80050050154", // Regione Lombardia
    "12922020156", // Lombardia Integrata
    "01131710376", // Università di Bologna
];

#[test]
fn real_codes_are_valid() {
    for code in REAL_PERSONAL {
        let cf = CodiceFiscale::parse(code).unwrap_or_else(|e| panic!("{code}: {e}"));
        assert_eq!((cf.as_str(), cf.kind()), (code, CfKind::Personal));
    }
    for code in REAL_NUMERIC {
        let cf = CodiceFiscale::parse(code).unwrap_or_else(|e| panic!("{code}: {e}"));
        assert_eq!((cf.as_str(), cf.kind()), (code, CfKind::Numeric));
    }
}

#[test]
fn every_other_final_character_is_refused() {
    for code in REAL_PERSONAL {
        for c in 'A'..='Z' {
            let changed = format!("{}{c}", &code[..15]);
            assert_eq!(
                CodiceFiscale::parse(&changed).is_ok(),
                changed == code,
                "{changed}"
            );
        }
    }
    for code in REAL_NUMERIC {
        for d in '0'..='9' {
            let changed = format!("{}{d}", &code[..10]);
            assert_eq!(
                CodiceFiscale::parse(&changed).is_ok(),
                changed == code,
                "{changed}"
            );
        }
    }
}

#[test]
fn test_codes_from_the_corpus_are_invalid() {
    assert_eq!(
        CodiceFiscale::parse("AAAAAA11A11A111A"),
        Err(CfError::BadCheckCharacter {
            expected: 'H',
            found: 'A'
        })
    );
    assert_eq!(
        CodiceFiscale::parse("TESTST11R11G812I"),
        Err(CfError::BadCheckCharacter {
            expected: 'R',
            found: 'I'
        })
    );
}

#[test]
fn omocodic_codes() {
    for code in ["RSSMRA80A01H50MM", "RSSMRA80A01H5LMX", "RSSMRA80A01HRLMS"] {
        let cf = CodiceFiscale::parse(code).unwrap_or_else(|e| panic!("{code}: {e}"));
        let d = cf.personal_details().expect("details");
        assert_eq!(
            (d.year_two_digits, d.month, d.day, d.female),
            (80, 1, 1, false),
            "{code}"
        );
    }
}
