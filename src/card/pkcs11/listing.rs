//! What `sportello token list` shows: per module its tokens, per token the certificates with
//! their key (CKA_ID, type and size, always-authenticate where visible), the holder and the
//! codice fiscale read from the certificate. No PIN is asked: private keys most tokens show
//! only after login are reported as not visible.

use der::Decode;
use serde::Serialize;
use x509_cert::Certificate;

use super::discovery::Candidate;
use super::login::login;
use super::objects::{certified_keys, key_kind};
use super::pin_rule::PinRule;
use super::registry::{load, Module};
use super::token::{tokens, FoundToken, TokenSummary};
use crate::card::error::CardError;
use crate::card::pin::Pin;
use crate::card::signing_key::KeyKind;

#[derive(Debug, Clone, Serialize)]
pub struct CertificateListing {
    /// CKA_ID, hex.
    pub id: String,
    pub label: String,
    /// "RSA" or "EC".
    pub key_type: String,
    pub key_bits: Option<usize>,
    pub curve: Option<String>,
    /// A private key with this id is visible (most tokens show keys only after login).
    pub private_key_visible: bool,
    pub always_authenticate: Option<bool>,
    /// nonRepudiation: a (qualified) signature key rather than an authentication key.
    pub signature_key: bool,
    pub key_usage: Vec<String>,
    pub holder: String,
    pub codice_fiscale: Option<String>,
    pub subject: String,
    pub issuer: String,
    pub not_after: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct TokenListing {
    #[serde(flatten)]
    pub token: TokenSummary,
    pub certificates: Vec<CertificateListing>,
    /// English; the certificates could not be read.
    pub error: Option<String>,
}

/// Log in to one token while listing, to see the keys it shows only after login.
#[derive(Debug)]
pub struct ListLogin<'a> {
    /// Label or serial.
    pub token: &'a str,
    pub pin: &'a Pin,
    pub rule: PinRule,
}

#[derive(Debug, Clone, Serialize)]
pub struct ModuleListing {
    pub module: String,
    pub source: String,
    /// The library's own description and maker.
    pub library: Option<String>,
    /// English; the module did not load or list its slots.
    pub error: Option<String>,
    pub tokens: Vec<TokenListing>,
}

fn certificate(k: &super::objects::CertifiedKey) -> CertificateListing {
    let cert = Certificate::from_der(&k.certificate_der).ok();
    let identity = cert
        .as_ref()
        .map(|c| crate::identity::signer_identity(c, &k.certificate_der));
    let kind = key_kind(&k.certificate_der).ok();
    let holder = identity
        .as_ref()
        .map(|i| {
            let name = [i.given_name.clone(), i.surname.clone()]
                .into_iter()
                .flatten()
                .collect::<Vec<_>>()
                .join(" ");
            if name.is_empty() {
                i.common_name.clone().unwrap_or_default()
            } else {
                name
            }
        })
        .unwrap_or_default();
    CertificateListing {
        id: hex::encode(&k.id),
        label: k.label.clone(),
        key_type: match kind {
            Some(KeyKind::Rsa { .. }) => "RSA".into(),
            Some(KeyKind::Ec { .. }) => "EC".into(),
            None => "?".into(),
        },
        key_bits: match kind {
            Some(KeyKind::Rsa { bits }) => Some(bits),
            Some(KeyKind::Ec { curve }) => curve.get(2..).and_then(|b| b.parse().ok()),
            None => None,
        },
        curve: match kind {
            Some(KeyKind::Ec { curve }) => Some(curve.to_string()),
            _ => None,
        },
        private_key_visible: k.key.is_some(),
        always_authenticate: k.always_authenticate,
        signature_key: k.signs_qualified(),
        key_usage: k.key_usage.clone(),
        holder,
        codice_fiscale: identity
            .as_ref()
            .and_then(|i| i.codice_fiscale.as_ref().map(|f| f.value.clone())),
        subject: identity
            .as_ref()
            .map(|i| i.subject.clone())
            .unwrap_or_default(),
        issuer: identity
            .as_ref()
            .map(|i| i.issuer.clone())
            .unwrap_or_default(),
        not_after: identity
            .as_ref()
            .map(|i| i.not_after.clone())
            .unwrap_or_default(),
    }
}

fn token(module: &Module, found: FoundToken, with_login: Option<&ListLogin<'_>>) -> TokenListing {
    let with_login =
        with_login.filter(|l| l.token == found.summary.label || l.token == found.summary.serial);
    let read = || -> Result<Vec<CertificateListing>, CardError> {
        let session = module
            .context()
            .open_ro_session(found.slot)
            .map_err(|e| module.error("C_OpenSession", e))?;
        if let Some(l) = with_login {
            login(
                module,
                &session,
                found.slot,
                super::token::PinFlags::of(&found.info),
                &l.rule,
                l.pin,
                false,
            )?;
        }
        let keys = certified_keys(module, &session);
        if with_login.is_some() {
            let _ = session.logout();
        }
        // The session closes on drop.
        Ok(keys?.iter().map(certificate).collect())
    };
    let (certificates, error) = match read() {
        Ok(c) => (c, None),
        Err(e) => (Vec::new(), Some(e.to_string())),
    };
    TokenListing {
        token: found.summary,
        certificates,
        error,
    }
}

/// Loads the module and lists its tokens; a module that fails is listed with its error.
/// With `with_login`, that token is listed after login (and logged out after).
pub fn list_module(candidate: &Candidate, with_login: Option<&ListLogin<'_>>) -> ModuleListing {
    let mut listing = ModuleListing {
        module: candidate.path.display().to_string(),
        source: candidate.source.clone(),
        library: None,
        error: None,
        tokens: Vec::new(),
    };
    let module = match load(&candidate.path) {
        Ok(m) => m,
        Err(e) => {
            listing.error = Some(e.to_string());
            return listing;
        }
    };
    listing.library = module.context().get_library_info().ok().map(|i| {
        format!(
            "{} ({})",
            i.library_description().trim(),
            i.manufacturer_id().trim()
        )
    });
    match tokens(&module) {
        Ok(found) => {
            listing.tokens = found
                .into_iter()
                .map(|t| token(&module, t, with_login))
                .collect()
        }
        Err(e) => listing.error = Some(e.to_string()),
    }
    listing
}
