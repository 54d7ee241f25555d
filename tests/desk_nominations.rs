//! Nominations of the company administrator with delegation forms signed by a test PKI:
//! the verdict and the signer decide, refusals leave the database as it was.

mod common;
mod support;

use std::path::Path;

use common::Backend;
use sportello::registry::nominations::{self, IdentityDocument};
use sportello::registry::people::{add_person, add_representative};
use sportello::registry::{self, CompanyRequest, RegistryError, SessionRef};
use sportello::store::Store;
use sportello::trust::TrustStore;
use sportello::verify::VerifyOptions;
use support::{edits, fixtures, Fixtures};

crate::on_both_engines!(
    a_form_signed_by_the_legal_representative_is_approved_with_confirmation,
    a_form_that_passes_is_approved_without_confirmation,
    tampered_or_wrongly_signed_forms_are_refused,
    identity_documents_and_unsigned_forms,
    replacement_and_rejection,
    a_procuratore_signs_with_the_procura_on_file,
    several_administrators_when_the_policy_says_so
);

struct Desk {
    _dir: tempfile::TempDir,
    store: Store,
    session: SessionRef,
    trust: TrustStore,
}

/// A desk with an officer in session, the company ACME, its legal representative Mario Rossi
/// (the test PKI's main signer) and Lucia Verdi, the would-be administrator.
fn desk(backend: Backend) -> Desk {
    let dir = tempfile::tempdir().expect("tempdir");
    let (mut store, session) = common::officer_in_session_on(backend, dir.path());
    let request = CompanyRequest {
        codice_fiscale: "00743110157",
        name: "ACME S.p.A.",
        registered_office: None,
        pec: None,
        kinds: vec![("datore-privato".into(), None)],
    };
    registry::register_company(&mut store, Some(session), &request).expect("company");
    add_person(
        &mut store,
        Some(session),
        "RSSMRA80A01H501U",
        "ROSSI",
        "MARIO",
        false,
    )
    .expect("rep");
    add_person(
        &mut store,
        Some(session),
        "VRDLCU85M41F205J",
        "VERDI",
        "LUCIA",
        true,
    )
    .expect("admin");
    add_representative(
        &mut store,
        Some(session),
        "00743110157",
        "RSSMRA80A01H501U",
        None,
    )
    .expect("legal rep");
    let trust = TrustStore::load(&[fixtures().pki.root_cert.clone()]).expect("anchor");
    Desk {
        _dir: dir,
        store,
        session,
        trust,
    }
}

fn id_doc(expires_in_days: i64) -> IdentityDocument<'static> {
    IdentityDocument {
        bytes: b"scansione carta d'identita (prova)",
        name: "ci.pdf",
        expires_on: (time::OffsetDateTime::now_utc() + time::Duration::days(expires_in_days))
            .date(),
    }
}

fn submit(
    desk: &mut Desk,
    form: &Path,
    docs: &[IdentityDocument<'_>],
) -> Result<i64, RegistryError> {
    submit_with(desk, form, docs, None)
}

fn submit_with(
    desk: &mut Desk,
    form: &Path,
    docs: &[IdentityDocument<'_>],
    revocation: Option<&dyn sportello::verify::revocation::RevocationSource>,
) -> Result<i64, RegistryError> {
    let bytes = Fixtures::read(form);
    let name = form
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or("modulo.p7m")
        .to_string();
    let mut opts = VerifyOptions::now();
    opts.trust = Some(&desk.trust);
    opts.revocation = revocation;
    nominations::submit(
        &mut desk.store,
        Some(desk.session),
        "00743110157",
        "VRDLCU85M41F205J",
        (&bytes, &name),
        docs,
        &opts,
    )
}

fn audit_len(store: &Store) -> usize {
    store.audit_rows().expect("rows").len()
}

fn a_form_signed_by_the_legal_representative_is_approved_with_confirmation(backend: Backend) {
    let mut d = desk(backend);
    let form = fixtures().der("delega-ok.pdf.p7m");
    let id = submit(&mut d, &form, &[]).expect("submitted");
    // Revocation is not checked yet: the verdict is INDETERMINATE, so the officer must confirm.
    let before = audit_len(&d.store);
    let err = nominations::approve(&mut d.store, Some(d.session), id, false)
        .expect_err("needs confirmation");
    assert!(
        matches!(err, RegistryError::NeedsConfirmation(ref sub) if sub == "TRY_LATER"),
        "{err}"
    );
    assert!(err.italian().contains("confermare"));
    // Why, and what the officer can do about it.
    assert!(err.italian().contains("revoca"), "{}", err.italian());
    assert!(err.italian().contains("CRL"), "{}", err.italian());
    assert_eq!(audit_len(&d.store), before, "a refusal changes nothing");
    nominations::approve(&mut d.store, Some(d.session), id, true).expect("approved");
    let last = d.store.audit_rows().expect("rows").pop().expect("row");
    assert_eq!(last.action, "nomination.approve");
    assert!(
        last.summary.contains("confirmed despite an INDETERMINATE"),
        "{}",
        last.summary
    );
    assert_eq!(
        d.store.nominations(Some("approvata")).expect("list").len(),
        1
    );
    assert_eq!(d.store.audit_verify().expect("verify").first_broken, None);
}

fn a_form_that_passes_is_approved_without_confirmation(backend: Backend) {
    let mut d = desk(backend);
    let form = fixtures().der("delega-passed.pdf.p7m");
    let f = fixtures();
    let mut source = support::table_source::TableSource::default();
    source
        .answers
        .insert(f.pki.cert_der(&f.pki.rsa), support::table_source::good());
    let id = submit_with(&mut d, &form, &[], Some(&source)).expect("submitted");
    nominations::approve(&mut d.store, Some(d.session), id, false).expect("approved at once");
    let last = d.store.audit_rows().expect("rows").pop().expect("row");
    assert_eq!(last.summary, "approved");
}

fn tampered_or_wrongly_signed_forms_are_refused(backend: Backend) {
    let mut d = desk(backend);
    let f = fixtures();
    let tampered = f.edited(
        &f.der("delega-src.p7m"),
        "delega-alterata.p7m",
        edits::flip_signature_byte,
    );
    let id = submit(&mut d, &tampered, &[]).expect("submitted: the verdict is kept as evidence");
    let err = nominations::approve(&mut d.store, Some(d.session), id, true).expect_err("refused");
    assert!(
        matches!(err, RegistryError::FormInvalid(ref sub) if sub == "SIG_CRYPTO_FAILURE"),
        "{err}"
    );

    // Signed by Lucia Verdi, who is not a representative of ACME.
    let wrong = f.pki.sign(
        &f.document,
        "delega-verdi.p7m",
        &[&f.pki.rsa_second],
        &["-nodetach", "-outform", "DER"],
    );
    let id = submit(&mut d, &wrong, &[]).expect("submitted");
    let err = nominations::approve(&mut d.store, Some(d.session), id, true).expect_err("refused");
    assert!(
        matches!(err, RegistryError::SignerNotRepresentative(ref who) if who.contains("VRDLCU85M41F205J")),
        "{err}"
    );
    assert!(err.italian().contains("non è legale rappresentante"));
    assert!(d
        .store
        .nominations(Some("approvata"))
        .expect("list")
        .is_empty());
}

fn identity_documents_and_unsigned_forms(backend: Backend) {
    let mut d = desk(backend);
    let scan = d._dir.path().join("delega.pdf");
    std::fs::write(&scan, b"%PDF-1.4 modulo firmato a mano").expect("scan");
    let before = audit_len(&d.store);
    let expired = submit(&mut d, &scan, &[id_doc(-1)]);
    assert!(matches!(expired, Err(RegistryError::IdDocumentExpired(_))));
    assert_eq!(audit_len(&d.store), before);

    let bare = submit(&mut d, &scan, &[]).expect("submitted");
    let err = nominations::approve(&mut d.store, Some(d.session), bare, false)
        .expect_err("needs an id document");
    assert!(matches!(err, RegistryError::NoIdentityDocument));
    let with_doc = submit(&mut d, &scan, &[id_doc(365)]).expect("submitted");
    nominations::approve(&mut d.store, Some(d.session), with_doc, false).expect("approved");

    let odd = d._dir.path().join("delega.docx");
    std::fs::write(&odd, b"PK").expect("docx");
    assert!(matches!(
        submit(&mut d, &odd, &[]),
        Err(RegistryError::UnacceptedFormat(_))
    ));
}

fn replacement_and_rejection(backend: Backend) {
    let mut d = desk(backend);
    let f = fixtures();
    let first = submit(&mut d, &f.der("delega-1.p7m"), &[]).expect("first");
    nominations::approve(&mut d.store, Some(d.session), first, true).expect("approved");
    let second = submit(&mut d, &f.der("delega-2.p7m"), &[]).expect("second");
    nominations::approve(&mut d.store, Some(d.session), second, true).expect("replaces");
    let rejected = d.store.nominations(Some("respinta")).expect("list");
    assert_eq!(rejected.len(), 1);
    assert_eq!(rejected[0].id, first);
    assert!(rejected[0]
        .reason
        .as_deref()
        .is_some_and(|r| r.contains("sostituita")));

    let third = submit(&mut d, &f.der("delega-3.p7m"), &[]).expect("third");
    assert!(matches!(
        nominations::reject(&mut d.store, Some(d.session), third, "  "),
        Err(RegistryError::ReasonNeeded)
    ));
    nominations::reject(&mut d.store, Some(d.session), third, "modulo incompleto")
        .expect("rejected");
    assert!(matches!(
        nominations::approve(&mut d.store, Some(d.session), third, true),
        Err(RegistryError::NotPending(_, _))
    ));
}

fn a_procuratore_signs_with_the_procura_on_file(backend: Backend) {
    let mut d = desk(backend);
    let f = fixtures();
    add_representative(
        &mut d.store,
        Some(d.session),
        "00743110157",
        "VRDLCU85M41F205J",
        Some((b"procura notarile (prova)", "procura.pdf")),
    )
    .expect("procuratore");
    let form = f.pki.sign(
        &f.document,
        "delega-procuratore.p7m",
        &[&f.pki.rsa_second],
        &["-nodetach", "-outform", "DER"],
    );
    let id = submit(&mut d, &form, &[]).expect("submitted");
    nominations::approve(&mut d.store, Some(d.session), id, true).expect("a procuratore may sign");
    // The stored documents are owner-only.
    #[cfg(unix)]
    if backend == Backend::Postgres {
        let form_sha = d
            .store
            .nomination(id)
            .expect("q")
            .expect("found")
            .form_sha256;
        assert_eq!(
            d.store
                .document_content(&form_sha)
                .expect("content")
                .as_deref(),
            Some(std::fs::read(&form).expect("form").as_slice()),
            "the server keeps the bytes"
        );
    } else {
        for entry in std::fs::read_dir(&d.store.documents_dir).expect("documents") {
            use std::os::unix::fs::PermissionsExt;
            let mode = entry
                .expect("entry")
                .metadata()
                .expect("meta")
                .permissions()
                .mode();
            assert_eq!(mode & 0o077, 0);
        }
    }
}

fn several_administrators_when_the_policy_says_so(backend: Backend) {
    let mut d = desk(backend);
    let f = fixtures();
    registry::set_administrators_policy(&mut d.store, Some(d.session), "multiple").expect("policy");
    assert!(matches!(
        registry::set_administrators_policy(&mut d.store, Some(d.session), "tutti"),
        Err(RegistryError::UnknownPolicy(_))
    ));
    let first = submit(&mut d, &f.der("delega-m1.p7m"), &[]).expect("first");
    nominations::approve(&mut d.store, Some(d.session), first, true).expect("approved");
    let second = submit(&mut d, &f.der("delega-m2.p7m"), &[]).expect("second");
    nominations::approve(&mut d.store, Some(d.session), second, true).expect("approved");
    assert_eq!(
        d.store.nominations(Some("approvata")).expect("list").len(),
        2,
        "nobody replaced"
    );
    assert!(d
        .store
        .audit_rows()
        .expect("rows")
        .iter()
        .any(|r| r.action == "policy.set"));
}
