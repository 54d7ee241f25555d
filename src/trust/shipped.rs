//! The trust configuration shipped with the program (`trust-store/` at the repository root,
//! compiled in by build.rs): where the EU list of lists and the Italian list are published,
//! and the certificates pinned as signers of the list of lists.

use serde::Deserialize;

use super::anchors::certificates_in;

/// `trust-store/lotl-signers/*.pem` (file name, text).
const LOTL_SIGNERS: &[(&str, &str)] =
    include!(concat!(env!("OUT_DIR"), "/shipped_lotl_signers.rs"));
/// `trust-store/*.toml` (file name, text).
const CONFIG: &[(&str, &str)] = include!(concat!(env!("OUT_DIR"), "/shipped_trust_config.rs"));

/// The certificates (DER) allowed to sign the EU list of lists.
pub fn pinned_lotl_signers() -> Vec<Vec<u8>> {
    LOTL_SIGNERS
        .iter()
        .flat_map(|(_, pem)| certificates_in(pem.as_bytes()))
        .collect()
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct Sources {
    pub list_of_lists: ListOfListsSource,
    #[serde(default)]
    pub national: Vec<NationalSource>,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct ListOfListsSource {
    pub url: String,
    /// The folder of trust-store/ holding the pinned signers (documentation only: they are
    /// compiled in).
    pub signers: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct NationalSource {
    pub territory: String,
    pub url: String,
}

/// `trust-store/sources.toml`; `None` only if the shipped file is broken, which the unit
/// test below rules out for every build.
pub fn sources() -> Option<Sources> {
    let (_, text) = CONFIG.iter().find(|(name, _)| *name == "sources.toml")?;
    toml::from_str(text)
        .map_err(|e| log::error!("trust-store/sources.toml: {e}"))
        .ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shipped_sources_name_the_eu_list_and_the_italian_list() {
        let sources = sources().expect("trust-store/sources.toml parses");
        assert_eq!(
            sources.list_of_lists.url,
            "https://ec.europa.eu/tools/lotl/eu-lotl.xml"
        );
        assert!(sources
            .national
            .iter()
            .any(|n| n.territory == "IT" && n.url == "https://eidas.agid.gov.it/TL/TSL-IT.xml"));
    }

    #[test]
    fn every_pinned_signer_file_holds_one_certificate() {
        assert!(!LOTL_SIGNERS.is_empty());
        for (name, pem) in LOTL_SIGNERS {
            let ders = certificates_in(pem.as_bytes());
            assert_eq!(ders.len(), 1, "{name}");
            assert!(
                <x509_cert::Certificate as der::Decode>::from_der(&ders[0]).is_ok(),
                "{name} is a certificate"
            );
        }
        assert_eq!(pinned_lotl_signers().len(), LOTL_SIGNERS.len());
    }
}
