//! The verification checks' findings in the officer's language (the report's English
//! `message` stays for JSON and logs).

use jiff::tz::TimeZone;

use super::{when, Lang};
use crate::verify::CheckMessage;

/// One sentence for a check's finding; times in the desk's zone.
pub fn check_text(m: &CheckMessage, lang: Lang, zone: &TimeZone) -> String {
    let it = lang == Lang::It;
    let pick = |i: &str, e: &str| if it { i.to_string() } else { e.to_string() };
    let at = |t: &str| when::date_time(t, zone);
    match m {
        CheckMessage::StructureReadable => pick(
            "la struttura della firma è leggibile",
            "the signature structure is readable",
        ),
        CheckMessage::DigestMatches { algorithm } => {
            if it {
                format!("l'impronta {algorithm} del documento corrisponde a quella firmata")
            } else {
                format!("the document's {algorithm} digest matches the signed one")
            }
        }
        CheckMessage::DigestDiffers { algorithm } => {
            if it {
                format!("l'impronta {algorithm} del documento è diversa da quella firmata: il documento è stato modificato dopo la firma")
            } else {
                format!("the document's {algorithm} digest differs from the signed one: it was changed after signing")
            }
        }
        CheckMessage::DigestAttributeMissing => pick(
            "manca l'attributo con l'impronta firmata (message-digest)",
            "the signed digest attribute (message-digest) is missing",
        ),
        CheckMessage::DigestCoveredDirectly => pick(
            "senza attributi firmati: la firma copre direttamente il documento",
            "no signed attributes: the signature covers the document directly",
        ),
        CheckMessage::DetachedContent => pick(
            "firma separata: il documento firmato non è nella busta",
            "detached signature: the signed document is not in the envelope",
        ),
        CheckMessage::SignatureVerifies { scheme } => {
            if it {
                format!("la firma {scheme} è verificata con la chiave del firmatario")
            } else {
                format!("the {scheme} signature verifies with the signer's key")
            }
        }
        CheckMessage::SignatureVerifiesOverDer { scheme } => {
            if it {
                format!("la firma {scheme} è verificata sulla codifica DER degli attributi firmati (il file usa BER)")
            } else {
                format!("the {scheme} signature verifies over the DER encoding of the signed attributes (the file carries BER)")
            }
        }
        CheckMessage::SignatureInvalid => pick(
            "il valore della firma non corrisponde: firma alterata o non valida",
            "the signature value does not verify: altered or invalid signature",
        ),
        CheckMessage::CertificateValidUntil { not_after } => {
            if it {
                format!("il certificato è valido fino al {}", at(not_after))
            } else {
                format!("the certificate is valid until {}", at(not_after))
            }
        }
        CheckMessage::CertificateNotYetValid { not_before } => {
            if it {
                format!("il certificato è valido solo dal {}", at(not_before))
            } else {
                format!("the certificate is valid only from {}", at(not_before))
            }
        }
        CheckMessage::CertificateExpired { not_after } => {
            if it {
                format!(
                    "il certificato è scaduto il {} (nessuna prova che la firma sia precedente)",
                    at(not_after)
                )
            } else {
                format!(
                    "the certificate expired on {} (no proof that the signature is older)",
                    at(not_after)
                )
            }
        }
        CheckMessage::NoSignerCertificate => pick(
            "manca il certificato del firmatario",
            "no signer certificate",
        ),
        CheckMessage::ChainTrusted => pick(
            "il certificato è emesso da un certificatore attendibile",
            "the certificate is issued by a trusted provider",
        ),
        CheckMessage::ChainNotFound => pick(
            "il certificato non risulta emesso da un certificatore attendibile",
            "the certificate is not known to come from a trusted provider",
        ),
        CheckMessage::AlgorithmsAcceptable => pick(
            "algoritmi e lunghezza della chiave accettabili alla data di verifica",
            "algorithms and key size acceptable at the validation time",
        ),
        CheckMessage::NotChecked => pick("non verificato", "not checked"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn every_message() -> Vec<CheckMessage> {
        use CheckMessage::*;
        let t = "2026-12-03T16:05:12Z".to_string();
        vec![
            StructureReadable,
            DigestMatches {
                algorithm: "SHA-256".into(),
            },
            DigestDiffers {
                algorithm: "SHA-256".into(),
            },
            DigestAttributeMissing,
            DigestCoveredDirectly,
            DetachedContent,
            SignatureVerifies {
                scheme: "RSA".into(),
            },
            SignatureVerifiesOverDer {
                scheme: "RSA".into(),
            },
            SignatureInvalid,
            CertificateValidUntil {
                not_after: t.clone(),
            },
            CertificateNotYetValid {
                not_before: t.clone(),
            },
            CertificateExpired { not_after: t },
            NoSignerCertificate,
            ChainTrusted,
            ChainNotFound,
            AlgorithmsAcceptable,
            NotChecked,
        ]
    }

    #[test]
    fn every_finding_has_its_own_italian_and_english_sentence() {
        let zone = TimeZone::posix("CET-1").expect("zone");
        let messages = every_message();
        for m in &messages {
            let it = check_text(m, Lang::It, &zone);
            let en = check_text(m, Lang::En, &zone);
            assert!(!it.is_empty() && !en.is_empty(), "{m:?}");
            assert_ne!(it, en, "{m:?}: the Italian sentence is the English one");
        }
        let mut italian: Vec<String> = messages
            .iter()
            .map(|m| check_text(m, Lang::It, &zone))
            .collect();
        italian.sort();
        italian.dedup();
        assert_eq!(
            italian.len(),
            messages.len(),
            "two findings share a sentence"
        );
    }

    #[test]
    fn times_in_findings_are_local() {
        let zone = TimeZone::posix("CET-1").expect("zone");
        let m = CheckMessage::CertificateExpired {
            not_after: "2026-12-03T16:05:12Z".into(),
        };
        assert!(check_text(&m, Lang::It, &zone).contains("2026-12-03 17:05:12 CET"));
    }

    #[test]
    fn the_key_is_serialised_beside_the_message() {
        let check = crate::verify::Check::passed("SHA-256 of the content matches message-digest")
            .saying(CheckMessage::DigestMatches {
                algorithm: "SHA-256".into(),
            });
        let json = serde_json::to_value(&check).expect("json");
        assert_eq!(
            json["message"],
            "SHA-256 of the content matches message-digest"
        );
        assert_eq!(json["key"]["code"], "digest_matches");
        assert_eq!(json["key"]["algorithm"], "SHA-256");
        let plain = serde_json::to_value(crate::verify::Check::passed("x")).expect("json");
        assert!(plain.get("key").is_none());
    }
}
