//! `sportello nomination sign-at-desk`: "firma allo sportello". The desk prepares the
//! delegation form as a PDF from the registry's data, shows its SHA-256 and page count, the
//! legal representative signs it with a card (PIN typed by them, masked), the signed form is
//! verified and submitted with the signer's card evidence, without identity documents.

use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::i18n::{sign_text as t, Lang};
use crate::registry::delegation_form::{render, DelegationFormData};
use crate::registry::nominations::{delegation_form_data, submit_signed_at_desk, DeskSignature};
use crate::sign::{self, accept_signed, Mode, SignError, SignerCheck};
use crate::verify::{SignatureReport, VerifyOptions};

use super::desk_cmd::{current_session, open, print_json, refuse as refuse_registry};
use super::exit;
use super::sign_cmd::{anchors, open_signing_key, refuse, KeySource};

#[derive(Debug, clap::Args)]
pub struct SignAtDeskArgs {
    /// The company's codice fiscale.
    #[arg(long)]
    pub company: String,
    /// The legal representative who signs (codice fiscale).
    #[arg(long)]
    pub representative: String,
    /// The administrator being nominated (codice fiscale).
    #[arg(long)]
    pub admin: String,
    /// The office, as written on the form ("CPI di Trento").
    #[arg(long)]
    pub office: String,
    #[command(flatten)]
    pub key: KeySource,
    /// Extra trust anchors for the signer's certificate (repeatable).
    #[arg(long, value_name = "PATH")]
    pub trust: Vec<PathBuf>,
    #[arg(long)]
    pub json: bool,
}

#[derive(Serialize)]
struct DeskEvidence<'a> {
    form_sha256: &'a str,
    form_pages: usize,
    key: &'a str,
    signer: &'a SignerCheck,
    signature: &'a SignatureReport,
}

#[derive(Serialize)]
struct DeskOutcome<'a> {
    nomination: i64,
    form_sha256: &'a str,
    form_pages: usize,
    signature_id: &'a str,
    signer_codice_fiscale: &'a str,
}

fn key_label(source: &KeySource) -> String {
    match (&source.module, &source.reader) {
        (Some(module), _) => format!(
            "PKCS#11 token {} ({})",
            source.token.as_deref().unwrap_or("-"),
            module.display()
        ),
        (None, Some(reader)) => format!("card in reader {reader}"),
        (None, None) => "card in the desk's reader".to_string(),
    }
}

pub fn run(args: &SignAtDeskArgs, db: &crate::store::Location, data_dir: &Path, lang: Lang) -> i32 {
    let mut store = match open(db, lang) {
        Ok(s) => s,
        Err(code) => return code,
    };
    let session = current_session(db);
    let now = time::OffsetDateTime::now_utc();
    let data: DelegationFormData = match delegation_form_data(
        &mut store,
        &args.company,
        &args.representative,
        &args.admin,
        &args.office,
        now.date(),
    ) {
        Ok(d) => d,
        Err(e) => return refuse_registry(&e, lang),
    };
    let pdf = match render(&data) {
        Ok(p) => p,
        Err(e) => {
            log::error!("delegation form: {e}");
            eprintln!("{}: {e}", t::WRITE_FAILED.get(lang));
            return exit::SOFTWARE;
        }
    };
    // Shown before the card goes in: the person signs what the officer and they both see.
    eprintln!(
        "{}: SHA-256 {}, {} {}",
        t::FORM_PREPARED.get(lang),
        pdf.sha256,
        pdf.pages,
        t::PAGES.get(lang)
    );
    let anchors = match anchors(&args.trust, data_dir, lang) {
        Ok(a) => a,
        Err(code) => return code,
    };
    let (mut key, check) = match open_signing_key(&args.key, &anchors, now, lang) {
        Ok(k) => k,
        Err(code) => return code,
    };
    let signer_cf = check
        .identity
        .codice_fiscale
        .as_ref()
        .filter(|f| f.valid)
        .map(|f| f.value.clone())
        .unwrap_or_default();
    if signer_cf != data.representative_cf {
        drop(key);
        return refuse(
            &SignError::SignerRefused(format!(
                "the card belongs to {}, the form is for the legal representative {}",
                if signer_cf.is_empty() {
                    "-"
                } else {
                    &signer_cf
                },
                data.representative_cf
            )),
            lang,
        );
    }
    let signed = match sign::sign(&pdf.bytes, &Mode::New, key.as_mut(), now) {
        Ok(s) => s,
        Err(e) => return refuse(&e, lang),
    };
    drop(key);
    let name = format!("modulo-delega-{}.pdf.p7m", data.company_cf);
    let (_, ours) =
        match accept_signed(&name, &signed.envelope, &signed.signature_id, &anchors, now) {
            Ok(r) => r,
            Err(e) => return refuse(&e, lang),
        };
    let card = key_label(&args.key);
    let evidence = DeskEvidence {
        form_sha256: &pdf.sha256,
        form_pages: pdf.pages,
        key: &card,
        signer: &check,
        signature: &ours,
    };
    let evidence_json = match serde_json::to_vec_pretty(&evidence) {
        Ok(j) => j,
        Err(e) => {
            log::error!("desk evidence: {e}");
            return exit::SOFTWARE;
        }
    };
    let mut opts = VerifyOptions::now();
    opts.trust = Some(&anchors);
    let desk = DeskSignature {
        signer_cf: &signer_cf,
        card: &card,
        evidence_json: &evidence_json,
    };
    let id = match submit_signed_at_desk(
        &mut store,
        session,
        &args.company,
        &args.admin,
        (&signed.envelope, &name),
        &desk,
        &opts,
    ) {
        Ok(id) => id,
        Err(e) => return refuse_registry(&e, lang),
    };
    log::info!("nomination {id}: delegation form signed at the desk by {signer_cf} ({card})");
    if args.json {
        print_json(&DeskOutcome {
            nomination: id,
            form_sha256: &pdf.sha256,
            form_pages: pdf.pages,
            signature_id: &signed.signature_id,
            signer_codice_fiscale: &signer_cf,
        });
    } else {
        println!("{}: {id}", t::NOMINATION_SUBMITTED.get(lang));
    }
    exit::OK
}
