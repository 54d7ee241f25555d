//! Nomination of a company's account administrator through the signed delegation form.

use time::Date;

use crate::codice_fiscale::CodiceFiscale;
use crate::i18n::Text;
use crate::store::{companies, documents, nominations, people, Store};
use crate::verify::{verify_bytes, VerifyOptions};
use crate::verify::{Indication, SubIndication};

use super::{
    company_id, person_id, record, require_session, required_reason, RegistryError, SessionRef,
};

/// Formats the desk accepts for forms (seed 001 §3): signed `.p7m`, or scans.
const ACCEPTED: [&str; 5] = [".p7m", ".pdf", ".jpg", ".jpeg", ".png"];

fn is_signed_name(name: &str) -> bool {
    name.to_ascii_lowercase().ends_with(".p7m")
}

pub struct IdentityDocument<'a> {
    pub bytes: &'a [u8],
    pub name: &'a str,
    pub expires_on: Date,
}

/// Submits a request: stores the form (verifying it when signed) and the identity documents,
/// which must be valid on the request date. Audited.
pub fn submit(
    store: &mut Store,
    session: Option<SessionRef>,
    company_cf: &str,
    admin_cf: &str,
    form: (&[u8], &str),
    identity_documents: &[IdentityDocument<'_>],
    verify: &VerifyOptions<'_>,
) -> Result<i64, RegistryError> {
    let company_cf = CodiceFiscale::parse(company_cf)?;
    let admin_cf = CodiceFiscale::parse(admin_cf)?;
    let (form_bytes, form_name) = form;
    let lower = form_name.to_ascii_lowercase();
    if !ACCEPTED.iter().any(|ext| lower.ends_with(ext)) {
        return Err(RegistryError::UnacceptedFormat(form_name.to_string()));
    }
    let today = time::OffsetDateTime::now_utc().date();
    if let Some(expired) = identity_documents.iter().find(|d| d.expires_on < today) {
        return Err(RegistryError::IdDocumentExpired(expired.name.to_string()));
    }
    // The report is kept with the form: the decision is made on it, and it is evidence.
    let report = is_signed_name(form_name).then(|| verify_bytes(form_name, form_bytes, verify));
    let report_json = report.as_ref().and_then(|r| serde_json::to_string(r).ok());
    let docs_dir = store.documents_dir.clone();
    store.change(|tx| {
        let live = require_session(tx, session)?;
        let company = company_id(tx, &company_cf)?;
        let admin = person_id(tx, &admin_cf)?;
        let form_sha = documents::put(
            tx,
            &docs_dir,
            form_bytes,
            "delegation-form",
            form_name,
            report_json.as_deref(),
        )?;
        let id = nominations::insert(tx, company, admin, &form_sha)?;
        for doc in identity_documents {
            let sha = documents::put(
                tx,
                &docs_dir,
                doc.bytes,
                "identity-document",
                doc.name,
                None,
            )?;
            nominations::add_id_document(tx, id, &sha, &doc.expires_on.to_string())?;
        }
        let verdict = report
            .as_ref()
            .map(|r| format!("form verdict {:?}/{:?}", r.indication, r.sub_indication))
            .unwrap_or_else(|| "unsigned form".into());
        record(
            tx,
            &live,
            "nomination.submit",
            &format!("nomination:{id}"),
            &format!(
                "administrator {admin_cf} for {company_cf}; {verdict}; {} identity document(s)",
                identity_documents.len()
            ),
            Some(&form_sha),
        )?;
        Ok(id)
    })
}

/// What the stored verification report of a signed form says: read here once, for the
/// approval rules and for the screens that show them.
#[derive(Debug, Clone)]
pub struct FormFacts {
    pub indication: Option<Indication>,
    pub sub_indication: Option<SubIndication>,
    /// The sub-indication as the report names it ("" when none), for messages.
    pub sub_indication_text: String,
    /// The outer signers (countersigners excluded).
    pub signers: Vec<FormSigner>,
}

#[derive(Debug, Clone)]
pub struct FormSigner {
    pub codice_fiscale: String,
    /// The codice fiscale's check character is right: only such a code can match a
    /// legal representative.
    pub codice_fiscale_valid: bool,
    pub name: String,
}

/// Why a form is *da verificare*; each answer has its own remedy for the officer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OpenQuestion {
    /// Revocation was not checked or the data was not usable: go online or import a CRL.
    RevocationUnknown,
    /// The certificate expired and nothing proves the signature is older: ask for a
    /// time-stamped file.
    NoProofOfTime,
    /// The certificate is revoked and nothing proves the signature is older.
    RevokedNoProof,
    /// No path to the trusted list: refresh the list, or ask for a qualified signature.
    NotTrusted,
    /// Anything else (algorithms, attributes): the details of the verification say.
    Other,
}

impl OpenQuestion {
    /// Why the form is *da verificare*, and what the officer can do: one line each.
    pub fn texts(self) -> (Text, Text) {
        use OpenQuestion::*;
        match self {
            RevocationUnknown => (
                Text::new(
                    "lo stato di revoca del certificato non è stato verificato",
                    "the certificate's revocation status was not checked",
                ),
                Text::new(
                    "verificare in rete (verify --online) o importare la CRL del certificatore (trust import FILE.crl), poi ripetere la verifica",
                    "check online (verify --online) or import the issuer's CRL (trust import FILE.crl), then verify again",
                ),
            ),
            NoProofOfTime => (
                Text::new(
                    "il certificato è scaduto e nessuna marca temporale prova che la firma sia precedente",
                    "the certificate has expired and no time-stamp proves the signature is older",
                ),
                Text::new(
                    "chiedere il file con marca temporale (.tsd, .m7m o .tsr) o verificare alla data di protocollo",
                    "ask for the time-stamped file (.tsd, .m7m or .tsr) or verify as of the registration date",
                ),
            ),
            RevokedNoProof => (
                Text::new(
                    "il certificato è revocato e nessuna marca temporale prova che la firma sia precedente",
                    "the certificate is revoked and no time-stamp proves the signature is older",
                ),
                Text::new(
                    "chiedere il file con marca temporale o un nuovo modulo firmato",
                    "ask for the time-stamped file or a newly signed form",
                ),
            ),
            NotTrusted => (
                Text::new(
                    "il certificato non risulta emesso da un certificatore della lista di fiducia",
                    "the certificate is not known to come from a provider on the trusted list",
                ),
                Text::new(
                    "aggiornare la lista di fiducia (trust refresh) o chiedere un modulo firmato con certificato qualificato",
                    "refresh the trusted list (trust refresh) or ask for a form signed with a qualified certificate",
                ),
            ),
            Other => (
                Text::new(
                    "la verifica della firma non è conclusiva",
                    "the signature verification is not conclusive",
                ),
                Text::new(
                    "controllare i dettagli nella schermata di verifica",
                    "look at the details on the verify screen",
                ),
            ),
        }
    }

    pub fn of(sub: Option<SubIndication>) -> OpenQuestion {
        match sub {
            Some(SubIndication::TryLater) => OpenQuestion::RevocationUnknown,
            Some(SubIndication::OutOfBoundsNoPoe | SubIndication::OutOfBoundsNotRevoked) => {
                OpenQuestion::NoProofOfTime
            }
            Some(SubIndication::RevokedNoPoe) => OpenQuestion::RevokedNoProof,
            Some(
                SubIndication::NoCertificateChainFound | SubIndication::ChainConstraintsFailure,
            ) => OpenQuestion::NotTrusted,
            _ => OpenQuestion::Other,
        }
    }
}

impl FormFacts {
    /// Set when the form's verdict is INDETERMINATE: what is missing for a decision.
    pub fn open_question(&self) -> Option<OpenQuestion> {
        (self.indication == Some(Indication::Indeterminate))
            .then(|| OpenQuestion::of(self.sub_indication))
    }

    fn valid_signer_cfs(&self) -> Vec<&str> {
        self.signers
            .iter()
            .filter(|s| s.codice_fiscale_valid)
            .map(|s| s.codice_fiscale.as_str())
            .collect()
    }
}

/// Reads a stored `sportello.verify/1` report; None when it is not one.
pub fn form_facts(report_json: &str) -> Option<FormFacts> {
    let report: serde_json::Value = serde_json::from_str(report_json).ok()?;
    let text = |v: &serde_json::Value| v.as_str().unwrap_or("").to_string();
    let signers = report["signatures"]
        .as_array()?
        .iter()
        .filter(|s| s["parent"].is_null())
        .map(|s| {
            let signer = &s["signer"];
            let name = match (signer["given_name"].as_str(), signer["surname"].as_str()) {
                (Some(g), Some(sn)) => format!("{g} {sn}"),
                _ => text(&signer["common_name"]),
            };
            FormSigner {
                codice_fiscale: text(&signer["codice_fiscale"]["value"]),
                codice_fiscale_valid: signer["codice_fiscale"]["valid"] == true,
                name,
            }
        })
        .collect();
    Some(FormFacts {
        indication: serde_json::from_value(report["indication"].clone()).ok(),
        sub_indication: serde_json::from_value(report["sub_indication"].clone()).ok(),
        sub_indication_text: text(&report["sub_indication"]),
        signers,
    })
}

/// Approves a pending request. Refused when the form's verdict is TOTAL_FAILED or when no
/// signer is a legal representative (or a procuratore with procura); an INDETERMINATE
/// verdict needs `confirm`, which is recorded. One administrator per company: the one
/// approved before is set to rejected ("sostituita"), its grants untouched. Audited.
pub fn approve(
    store: &mut Store,
    session: Option<SessionRef>,
    id: i64,
    confirm: bool,
) -> Result<(), RegistryError> {
    store.change(|tx| {
        let live = require_session(tx, session)?;
        let nomination = nominations::get(tx, id)?.ok_or(RegistryError::UnknownNomination(id))?;
        if nomination.state != "in-attesa" {
            return Err(RegistryError::NotPending(id, nomination.state));
        }
        let form = documents::get(tx, &nomination.form_sha256)?
            .ok_or(RegistryError::UnknownNomination(id))?;
        let mut confirmed = None;
        match form.verification.as_deref().and_then(form_facts) {
            Some(facts) => {
                if facts.indication == Some(Indication::TotalFailed) {
                    return Err(RegistryError::FormInvalid(facts.sub_indication_text));
                }
                let signatories = people::signatories(tx, nomination.company_id)?;
                let signer_cfs = facts.valid_signer_cfs();
                if !signer_cfs
                    .iter()
                    .any(|cf| signatories.iter().any(|(allowed, _)| allowed == cf))
                {
                    return Err(RegistryError::SignerNotRepresentative(
                        signer_cfs.join(", "),
                    ));
                }
                if facts.indication != Some(Indication::TotalPassed) {
                    if !confirm {
                        return Err(RegistryError::NeedsConfirmation(facts.sub_indication_text));
                    }
                    confirmed = Some(facts.sub_indication_text);
                }
            }
            None => {
                // A scanned form: the officer checked the signature; an identity document is needed.
                if nominations::id_document_count(tx, id)? == 0 {
                    return Err(RegistryError::NoIdentityDocument);
                }
            }
        }
        // Transitional phase: one administrator per company, the new one replaces the old.
        let single = companies::setting(tx, "administrators")?.as_deref() != Some("multiple");
        let replaced = if single {
            nominations::approved_for(tx, nomination.company_id)?
        } else {
            Vec::new()
        };
        for previous in replaced {
            let reason = format!("sostituita dalla richiesta {id}");
            nominations::decide(tx, previous, "respinta", Some(&reason))?;
            record(
                tx,
                &live,
                "nomination.replace",
                &format!("nomination:{previous}"),
                &format!("replaced by nomination {id}; existing grants survive"),
                None,
            )?;
        }
        nominations::decide(tx, id, "approvata", None)?;
        let summary = match &confirmed {
            Some(sub) => format!(
                "approved; the officer confirmed despite an INDETERMINATE form verdict ({sub})"
            ),
            None => "approved".to_string(),
        };
        record(
            tx,
            &live,
            "nomination.approve",
            &format!("nomination:{id}"),
            &summary,
            Some(&nomination.form_sha256),
        )?;
        Ok(())
    })
}

/// Rejects a pending request with a reason. Audited.
pub fn reject(
    store: &mut Store,
    session: Option<SessionRef>,
    id: i64,
    reason: &str,
) -> Result<(), RegistryError> {
    let reason = required_reason(reason)?;
    store.change(|tx| {
        let live = require_session(tx, session)?;
        let nomination = nominations::get(tx, id)?.ok_or(RegistryError::UnknownNomination(id))?;
        if nomination.state != "in-attesa" {
            return Err(RegistryError::NotPending(id, nomination.state));
        }
        nominations::decide(tx, id, "respinta", Some(reason))?;
        record(
            tx,
            &live,
            "nomination.reject",
            &format!("nomination:{id}"),
            &format!("rejected: {reason}"),
            None,
        )?;
        Ok(())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn facts(indication: Indication, sub: Option<SubIndication>) -> FormFacts {
        FormFacts {
            indication: Some(indication),
            sub_indication: sub,
            sub_indication_text: String::new(),
            signers: Vec::new(),
        }
    }

    #[test]
    fn only_an_indeterminate_form_has_an_open_question_with_its_remedy() {
        assert_eq!(facts(Indication::TotalPassed, None).open_question(), None);
        assert_eq!(
            facts(Indication::TotalFailed, Some(SubIndication::Revoked)).open_question(),
            None
        );
        let cases = [
            (
                SubIndication::TryLater,
                OpenQuestion::RevocationUnknown,
                "CRL",
            ),
            (
                SubIndication::OutOfBoundsNoPoe,
                OpenQuestion::NoProofOfTime,
                "marca temporale",
            ),
            (
                SubIndication::RevokedNoPoe,
                OpenQuestion::RevokedNoProof,
                "marca temporale",
            ),
            (
                SubIndication::NoCertificateChainFound,
                OpenQuestion::NotTrusted,
                "lista di fiducia",
            ),
        ];
        for (sub, question, remedy) in cases {
            let q = facts(Indication::Indeterminate, Some(sub)).open_question();
            assert_eq!(q, Some(question));
            assert!(question.texts().1.it.contains(remedy), "{sub:?}");
        }
    }
}
