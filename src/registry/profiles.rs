//! Profiles collaborators can be granted (seed 001 §6.1): the levels each allows
//! (G = the whole company, S = a unit) and the company kinds it needs. Their names for
//! people are in `crate::i18n::desk_words`.

use super::codes::stored_codes;
use super::kinds::CompanyKind;

stored_codes! {
    /// A profile a collaborator can be granted.
    pub enum Profile {
        Amministratore = "amministratore",
        CoGestione = "co-gestione",
        CoStorico = "co-storico",
        CoVisualizzazione = "co-visualizzazione",
        ProspettiCig = "prospetti-cig",
        OfferteLavoro = "offerte-lavoro",
        TirociniCompilatore = "tirocini-compilatore",
        TirociniValidatore = "tirocini-validatore",
        TirociniPubblico = "tirocini-pubblico",
        TirociniCertificatore = "tirocini-certificatore",
        TirociniOspitante = "tirocini-ospitante",
        ReteAttiva = "rete-attiva",
    }
}

/// The level a grant is given at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Level {
    /// Gruppo: the whole company.
    Company,
    /// Sottogruppo: one unit.
    Unit,
}

impl Profile {
    /// May be granted on the whole company (G).
    pub fn company_level(self) -> bool {
        use Profile::*;
        !matches!(
            self,
            ProspettiCig | OfferteLavoro | TirociniCompilatore | TirociniValidatore
        )
    }

    /// May be granted on a unit (S).
    pub fn unit_level(self) -> bool {
        use Profile::*;
        matches!(
            self,
            Amministratore
                | CoGestione
                | CoVisualizzazione
                | ProspettiCig
                | OfferteLavoro
                | TirociniCompilatore
                | TirociniValidatore
        )
    }

    pub fn allows(self, level: Level) -> bool {
        match level {
            Level::Company => self.company_level(),
            Level::Unit => self.unit_level(),
        }
    }

    /// The company must have one of these kinds (empty: any kind will do).
    pub fn needs_kind(self) -> &'static [CompanyKind] {
        match self {
            Profile::TirociniCompilatore | Profile::TirociniValidatore => {
                &[CompanyKind::PromotoreTirocinio]
            }
            Profile::TirociniPubblico => &[CompanyKind::DatorePubblico],
            Profile::ReteAttiva => &[CompanyKind::AccreditatoServiziLavoro],
            _ => &[],
        }
    }

    /// Whether a company of these kinds may use this profile.
    pub fn fits(self, kinds: &[CompanyKind]) -> bool {
        let needs = self.needs_kind();
        needs.is_empty() || needs.iter().any(|k| kinds.contains(k))
    }

    /// The profiles a company of these kinds may grant, in the desk's order.
    pub fn allowed_for(kinds: &[CompanyKind]) -> Vec<Profile> {
        Profile::ALL
            .iter()
            .copied()
            .filter(|p| p.fits(kinds))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The table of seed 001 §6.1 (G, S).
    #[test]
    fn levels_follow_the_seed_table() {
        let table = [
            ("amministratore", true, true),
            ("co-gestione", true, true),
            ("co-storico", true, false),
            ("co-visualizzazione", true, true),
            ("prospetti-cig", false, true),
            ("offerte-lavoro", false, true),
            ("tirocini-compilatore", false, true),
            ("tirocini-validatore", false, true),
            ("tirocini-pubblico", true, false),
            ("tirocini-certificatore", true, false),
            ("tirocini-ospitante", true, false),
            ("rete-attiva", true, false),
        ];
        assert_eq!(table.len(), Profile::ALL.len());
        for (code, g, s) in table {
            let p = Profile::from_code(code).expect(code);
            assert_eq!((p.company_level(), p.unit_level()), (g, s), "{code}");
        }
    }

    #[test]
    fn kinds_decide_the_profiles() {
        let private = Profile::allowed_for(&[CompanyKind::DatorePrivato]);
        assert!(!private.contains(&Profile::TirociniCompilatore));
        assert!(!private.contains(&Profile::ReteAttiva));
        let promoter =
            Profile::allowed_for(&[CompanyKind::DatorePrivato, CompanyKind::PromotoreTirocinio]);
        assert!(promoter.contains(&Profile::TirociniCompilatore));
        assert!(Profile::ReteAttiva.fits(&[CompanyKind::AccreditatoServiziLavoro]));
    }
}
