//! Company kinds (tipologie) and which are soggetti abilitati (../shared/docs/workflow.md).

/// (code, Italian name, soggetto abilitato: must give register details).
pub const KINDS: [(&str, &str, bool); 15] = [
    ("datore-privato", "Datore di lavoro privato", false),
    ("datore-pubblico", "Datore di lavoro pubblico", false),
    (
        "agenzia-somministrazione",
        "Agenzia di somministrazione",
        false,
    ),
    ("promotore-tirocinio", "Promotore di tirocinio", true),
    (
        "agenzia-lavoro",
        "Soggetto autorizzato all'intermediazione (Agenzia per il lavoro)",
        true,
    ),
    ("consulente-lavoro", "Consulenti del lavoro", true),
    ("avvocato", "Avvocati e procuratori legali", true),
    ("commercialista", "Dottori commercialisti", true),
    ("ragioniere", "Ragionieri", true),
    ("perito-commerciale", "Periti commerciali", true),
    ("associazione-categoria", "Associazioni di categoria", true),
    (
        "associazione-agricola",
        "Associazioni di categoria dei datori di lavoro agricoli",
        true,
    ),
    ("consorzio-imprese", "Consorzi e gruppi di imprese", true),
    ("perito-agrario", "Periti agrari e agrotecnici", true),
    (
        "accreditato-servizi-lavoro",
        "Soggetto accreditato ai servizi per il lavoro",
        false,
    ),
];

pub fn find(code: &str) -> Option<&'static (&'static str, &'static str, bool)> {
    KINDS.iter().find(|(c, _, _)| *c == code)
}
