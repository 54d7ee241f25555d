//! People and their roles in companies.

use crate::codice_fiscale::{CfKind, CodiceFiscale};
use crate::store::{documents, people, Store};

use super::{
    company_id, person_id, record, require_session, DocumentKind, RegistryError,
    RepresentativeRole, SessionRef,
};

/// Registers a person (a registered citizen when `citizen`). Audited.
pub fn add_person(
    store: &mut Store,
    session: Option<SessionRef>,
    cf: &str,
    surname: &str,
    name: &str,
    citizen: bool,
) -> Result<i64, RegistryError> {
    let cf = CodiceFiscale::parse(cf)?;
    if cf.kind() != CfKind::Personal {
        return Err(RegistryError::NotAPersonalCode(cf.to_string()));
    }
    if surname.trim().is_empty() || name.trim().is_empty() {
        return Err(RegistryError::EmptyName);
    }
    store.change(|tx| {
        let live = require_session(tx, session)?;
        if people::id_by_cf(tx, cf.as_str())?.is_some() {
            return Err(RegistryError::DuplicatePerson(cf.to_string()));
        }
        let id = people::insert(tx, cf.as_str(), surname.trim(), name.trim(), citizen)?;
        record(
            tx,
            &live,
            "person.add",
            &format!("person:{cf}"),
            &format!(
                "{} {} added{}",
                name.trim(),
                surname.trim(),
                if citizen {
                    " as registered citizen"
                } else {
                    ""
                }
            ),
            None,
        )?;
        Ok(id)
    })
}

/// Records a legal representative, or a procuratore with the procura document. Audited.
pub fn add_representative(
    store: &mut Store,
    session: Option<SessionRef>,
    company_cf: &str,
    person_cf: &str,
    procura: Option<(&[u8], &str)>,
) -> Result<(), RegistryError> {
    let company_cf = CodiceFiscale::parse(company_cf)?;
    let person_cf = CodiceFiscale::parse(person_cf)?;
    let docs_dir = store.documents_dir.clone();
    store.change(|tx| {
        let live = require_session(tx, session)?;
        let company = company_id(tx, &company_cf)?;
        let person = person_id(tx, &person_cf)?;
        let (role, procura_sha) = match procura {
            Some((bytes, name)) => (
                RepresentativeRole::Procuratore,
                Some(documents::put(
                    tx,
                    &docs_dir,
                    bytes,
                    DocumentKind::Procura.code(),
                    name,
                    None,
                )?),
            ),
            None => (RepresentativeRole::LegalRepresentative, None),
        };
        people::add_representative(tx, company, person, role.code(), procura_sha.as_deref())?;
        record(
            tx,
            &live,
            "representative.add",
            &format!("company:{company_cf}"),
            &format!("{person_cf} recorded as {role} of {company_cf}"),
            procura_sha.as_deref(),
        )?;
        Ok(())
    })
}
