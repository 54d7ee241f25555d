//! The desk workflow's vocabulary in words: states, roles, document kinds, company kinds and
//! profiles as the officer reads them, never as their stored codes.

use super::{Lang, Text};
use crate::registry::{
    AuditAction, CompanyKind, DocumentKind, GrantState, Level, NominationState, Profile,
    RepresentativeRole,
};

/// A registry value with its name in both languages.
pub trait Word: Copy {
    fn text(self) -> Text;

    fn word(self, lang: Lang) -> &'static str {
        self.text().get(lang)
    }
}

impl Word for NominationState {
    fn text(self) -> Text {
        match self {
            NominationState::Pending => Text::new("in attesa di approvazione", "awaiting approval"),
            NominationState::Approved => Text::new("approvata", "approved"),
            NominationState::Rejected => Text::new("respinta", "rejected"),
        }
    }
}

impl Word for GrantState {
    fn text(self) -> Text {
        match self {
            GrantState::Active => Text::new("attiva", "active"),
            GrantState::Revoked => Text::new("revocata", "revoked"),
            GrantState::Suspended => Text::new("sospesa", "suspended"),
        }
    }
}

impl Word for RepresentativeRole {
    fn text(self) -> Text {
        match self {
            RepresentativeRole::LegalRepresentative => {
                Text::new("legale rappresentante", "legal representative")
            }
            RepresentativeRole::Procuratore => Text::new(
                "procuratore con potere di firma",
                "attorney with signing power",
            ),
        }
    }
}

impl Word for DocumentKind {
    fn text(self) -> Text {
        match self {
            DocumentKind::DelegationForm => Text::new("modulo di delega", "delegation form"),
            DocumentKind::Procura => Text::new("procura", "power of attorney"),
            DocumentKind::IdentityDocument => {
                Text::new("documento di identità", "identity document")
            }
            DocumentKind::CardEvidence => Text::new(
                "prova dell'autenticazione con la carta",
                "card authentication evidence",
            ),
            DocumentKind::Other => Text::new("altro documento", "other document"),
        }
    }
}

impl Word for Level {
    fn text(self) -> Text {
        match self {
            Level::Company => Text::new("intera azienda (gruppo)", "whole company (group)"),
            Level::Unit => Text::new("unità organizzativa (sottogruppo)", "unit (subgroup)"),
        }
    }
}

impl Word for CompanyKind {
    fn text(self) -> Text {
        use CompanyKind::*;
        match self {
            DatorePrivato => Text::new("Datore di lavoro privato", "Private employer"),
            DatorePubblico => Text::new("Datore di lavoro pubblico", "Public employer"),
            AgenziaSomministrazione => {
                Text::new("Agenzia di somministrazione", "Temporary work agency")
            }
            PromotoreTirocinio => Text::new("Promotore di tirocinio", "Traineeship promoter"),
            AgenziaLavoro => Text::new(
                "Soggetto autorizzato all'intermediazione (Agenzia per il lavoro)",
                "Authorised placement agency",
            ),
            ConsulenteLavoro => Text::new("Consulenti del lavoro", "Labour consultants"),
            Avvocato => Text::new("Avvocati e procuratori legali", "Lawyers"),
            Commercialista => Text::new("Dottori commercialisti", "Chartered accountants"),
            Ragioniere => Text::new("Ragionieri", "Accountants"),
            PeritoCommerciale => Text::new("Periti commerciali", "Commercial experts"),
            AssociazioneCategoria => Text::new("Associazioni di categoria", "Trade associations"),
            AssociazioneAgricola => Text::new(
                "Associazioni di categoria dei datori di lavoro agricoli",
                "Associations of agricultural employers",
            ),
            ConsorzioImprese => Text::new(
                "Consorzi e gruppi di imprese",
                "Consortia and groups of companies",
            ),
            PeritoAgrario => Text::new(
                "Periti agrari e agrotecnici",
                "Agricultural experts and technicians",
            ),
            AccreditatoServiziLavoro => Text::new(
                "Soggetto accreditato ai servizi per il lavoro",
                "Accredited employment services provider",
            ),
        }
    }
}

impl Word for Profile {
    fn text(self) -> Text {
        use Profile::*;
        match self {
            Amministratore => Text::new("Amministratore", "Administrator"),
            CoGestione => Text::new("Gestione CO – SARE", "Mandatory communications – SARE"),
            CoStorico => Text::new(
                "Storico CO aziendali – SARE",
                "Company communications history – SARE",
            ),
            CoVisualizzazione => {
                Text::new("Visualizzazione CO – SARE", "View communications – SARE")
            }
            ProspettiCig => Text::new(
                "Gestione prospetti informativi e CIG",
                "Information returns and CIG",
            ),
            OfferteLavoro => Text::new("Gestione offerte di lavoro", "Job offers"),
            TirociniCompilatore => Text::new(
                "Tirocini promotore – compilatore",
                "Traineeship promoter – drafter",
            ),
            TirociniValidatore => Text::new(
                "Tirocini promotore – validatore",
                "Traineeship promoter – validator",
            ),
            TirociniPubblico => Text::new(
                "Gestione tirocini – soggetto pubblico",
                "Traineeships – public body",
            ),
            TirociniCertificatore => Text::new(
                "Gestione tirocini – soggetto certificatore",
                "Traineeships – certifying body",
            ),
            TirociniOspitante => Text::new(
                "Gestione tirocini – soggetto ospitante",
                "Traineeships – host",
            ),
            ReteAttiva => Text::new(
                "Gestione accreditamento Rete Attiva",
                "Rete Attiva accreditation",
            ),
        }
    }
}

impl Word for AuditAction {
    fn text(self) -> Text {
        use AuditAction::*;
        match self {
            OfficerAdd => Text::new("nuovo operatore", "officer added"),
            Login => Text::new("accesso con la carta", "card login"),
            LoginRefused => Text::new("accesso negato", "login refused"),
            Logout => Text::new("uscita", "logout"),
            CompanyRegister => Text::new("azienda registrata", "company registered"),
            CompanyUpdate => Text::new("azienda modificata", "company updated"),
            CompanyKinds => Text::new("tipologie modificate", "kinds changed"),
            UnitAdd => Text::new("nuova unità", "unit added"),
            PersonAdd => Text::new("persona registrata", "person registered"),
            RepresentativeAdd => Text::new("nuovo rappresentante", "representative added"),
            NominationSubmit => Text::new("richiesta presentata", "nomination submitted"),
            NominationApprove => Text::new("richiesta approvata", "nomination approved"),
            NominationReject => Text::new("richiesta respinta", "nomination rejected"),
            NominationReplace => Text::new("richiesta sostituita", "nomination replaced"),
            GrantAdd => Text::new("abilitazione concessa", "grant added"),
            GrantRevoke => Text::new("abilitazione revocata", "grant revoked"),
            GrantSuspend => Text::new("abilitazione sospesa", "grant suspended"),
            GrantEnd => Text::new("fine rapporto registrata", "relationship end recorded"),
            PolicySet => Text::new("regola modificata", "policy changed"),
            TrustImport => Text::new("certificati di fiducia importati", "trust imported"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every value has a non-empty word in both languages that is not a slug (a code with
    /// hyphens), and its code reads back as the same value.
    fn check<W: Word + PartialEq + std::fmt::Debug>(
        all: &[W],
        code: fn(W) -> &'static str,
        from: fn(&str) -> Option<W>,
    ) {
        for &value in all {
            let c = code(value);
            assert_eq!(from(c), Some(value), "{c} does not read back");
            for lang in [Lang::It, Lang::En] {
                let word = value.word(lang);
                assert!(!word.trim().is_empty(), "{c}: no {lang:?} word");
                assert!(
                    !c.contains('-') || word != c,
                    "{c}: the {lang:?} word is the code"
                );
            }
        }
        assert_eq!(from("nonsense"), None);
        assert_eq!(from(""), None);
    }

    #[test]
    fn every_value_has_words_and_its_code_round_trips() {
        check(
            NominationState::ALL,
            NominationState::code,
            NominationState::from_code,
        );
        check(GrantState::ALL, GrantState::code, GrantState::from_code);
        check(
            RepresentativeRole::ALL,
            RepresentativeRole::code,
            RepresentativeRole::from_code,
        );
        check(
            DocumentKind::ALL,
            DocumentKind::code,
            DocumentKind::from_code,
        );
        check(CompanyKind::ALL, CompanyKind::code, CompanyKind::from_code);
        check(Profile::ALL, Profile::code, Profile::from_code);
        check(AuditAction::ALL, AuditAction::code, AuditAction::from_code);
    }

    #[test]
    fn codes_are_distinct() {
        let mut codes: Vec<&str> = CompanyKind::ALL.iter().map(|k| k.code()).collect();
        codes.sort();
        codes.dedup();
        assert_eq!(codes.len(), CompanyKind::ALL.len());
        let mut codes: Vec<&str> = Profile::ALL.iter().map(|p| p.code()).collect();
        codes.sort();
        codes.dedup();
        assert_eq!(codes.len(), Profile::ALL.len());
    }

    #[test]
    fn the_desk_reads_italian_words() {
        assert_eq!(
            NominationState::Pending.word(Lang::It),
            "in attesa di approvazione"
        );
        assert_eq!(
            RepresentativeRole::LegalRepresentative.word(Lang::It),
            "legale rappresentante"
        );
        assert_eq!(
            DocumentKind::DelegationForm.word(Lang::It),
            "modulo di delega"
        );
        assert_eq!(
            DocumentKind::IdentityDocument.word(Lang::It),
            "documento di identità"
        );
    }
}
