//! Company kinds (tipologie) and which are soggetti abilitati (../shared/docs/workflow.md).
//! Their names for people are in `crate::i18n::desk_words`.

use super::codes::stored_codes;

stored_codes! {
    /// A declared kind of company.
    pub enum CompanyKind {
        DatorePrivato = "datore-privato",
        DatorePubblico = "datore-pubblico",
        AgenziaSomministrazione = "agenzia-somministrazione",
        PromotoreTirocinio = "promotore-tirocinio",
        AgenziaLavoro = "agenzia-lavoro",
        ConsulenteLavoro = "consulente-lavoro",
        Avvocato = "avvocato",
        Commercialista = "commercialista",
        Ragioniere = "ragioniere",
        PeritoCommerciale = "perito-commerciale",
        AssociazioneCategoria = "associazione-categoria",
        AssociazioneAgricola = "associazione-agricola",
        ConsorzioImprese = "consorzio-imprese",
        PeritoAgrario = "perito-agrario",
        AccreditatoServiziLavoro = "accreditato-servizi-lavoro",
    }
}

impl CompanyKind {
    /// A soggetto abilitato acts for other employers and must give its register (albo)
    /// details (seed 001 §3.1, the starred kinds).
    pub fn is_soggetto_abilitato(self) -> bool {
        use CompanyKind::*;
        !matches!(
            self,
            DatorePrivato | DatorePubblico | AgenziaSomministrazione | AccreditatoServiziLavoro
        )
    }
}
