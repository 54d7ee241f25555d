//! Profiles collaborators can be granted (seed 001 §6.1): the levels each allows
//! (G = the whole company, S = a unit) and the company kinds it needs.

pub struct Profile {
    pub code: &'static str,
    pub name: &'static str,
    pub company_level: bool,
    pub unit_level: bool,
    /// The company must have one of these kinds (empty: any).
    pub needs_kind: &'static [&'static str],
}

pub const PROFILES: [Profile; 12] = [
    Profile {
        code: "amministratore",
        name: "Amministratore",
        company_level: true,
        unit_level: true,
        needs_kind: &[],
    },
    Profile {
        code: "co-gestione",
        name: "Gestione CO – SARE",
        company_level: true,
        unit_level: true,
        needs_kind: &[],
    },
    Profile {
        code: "co-storico",
        name: "Storico CO aziendali – SARE",
        company_level: true,
        unit_level: false,
        needs_kind: &[],
    },
    Profile {
        code: "co-visualizzazione",
        name: "Visualizzazione CO – SARE",
        company_level: true,
        unit_level: true,
        needs_kind: &[],
    },
    Profile {
        code: "prospetti-cig",
        name: "Gestione prospetti informativi e CIG",
        company_level: false,
        unit_level: true,
        needs_kind: &[],
    },
    Profile {
        code: "offerte-lavoro",
        name: "Gestione offerte di lavoro",
        company_level: false,
        unit_level: true,
        needs_kind: &[],
    },
    Profile {
        code: "tirocini-compilatore",
        name: "Tirocini promotore – compilatore",
        company_level: false,
        unit_level: true,
        needs_kind: &["promotore-tirocinio"],
    },
    Profile {
        code: "tirocini-validatore",
        name: "Tirocini promotore – validatore",
        company_level: false,
        unit_level: true,
        needs_kind: &["promotore-tirocinio"],
    },
    Profile {
        code: "tirocini-pubblico",
        name: "Gestione tirocini – soggetto pubblico",
        company_level: true,
        unit_level: false,
        needs_kind: &["datore-pubblico"],
    },
    Profile {
        code: "tirocini-certificatore",
        name: "Gestione tirocini – soggetto certificatore",
        company_level: true,
        unit_level: false,
        needs_kind: &[],
    },
    Profile {
        code: "tirocini-ospitante",
        name: "Gestione tirocini – soggetto ospitante",
        company_level: true,
        unit_level: false,
        needs_kind: &[],
    },
    Profile {
        code: "rete-attiva",
        name: "Gestione accreditamento Rete Attiva",
        company_level: true,
        unit_level: false,
        needs_kind: &["accreditato-servizi-lavoro"],
    },
];

pub fn find(code: &str) -> Option<&'static Profile> {
    PROFILES.iter().find(|p| p.code == code)
}
