//! [`Pkcs11Key`]: a token's key opened for one person at the counter. Opening logs in;
//! dropping logs out and closes the session, so nothing stays logged in between two people.
//!
//! PKCS#11 login state belongs to the token and the process, not to one session: two keys of
//! one token open at once in one process share it, and dropping either logs both out. The
//! desk uses one key at a time.

use std::path::Path;
use std::sync::Arc;

use cryptoki::mechanism::Mechanism;
use cryptoki::object::ObjectHandle;
use cryptoki::session::{Session, UserType};
use cryptoki::slot::Slot;
use zeroize::Zeroizing;

use super::ecdsa::raw_to_der;
use super::login::{auth_pin, login, login_error};
use super::objects::{certified_keys, choose, key_kind, KeyChoice};
use super::pin_rule::PinRule;
use super::registry::{load, Module};
use super::token::{find_token, PinFlags, TokenSummary};
use crate::card::error::CardError;
use crate::card::pin::Pin;
use crate::card::signing_key::{KeyKind, SigningKey};
use crate::crypto::algorithms::DigestAlgorithm;
use crate::crypto::signature_math::digest_info;

/// Which module, token and key, and under which PIN rules.
#[derive(Debug, Clone)]
pub struct KeyRequest<'a> {
    pub module: &'a Path,
    /// Token label or serial; None: the only token present.
    pub token: Option<&'a str>,
    pub key: KeyChoice,
    /// None: the rule of the profile that names the module and token, else [`PinRule::ANY`].
    pub pin_rule: Option<PinRule>,
    /// Spend the PIN even when the token says one try is left.
    pub confirm_last_try: bool,
}

pub struct Pkcs11Key {
    module: Arc<Module>,
    /// Some until dropped.
    session: Option<Session>,
    slot: Slot,
    key: ObjectHandle,
    id: Vec<u8>,
    label: String,
    certificate_der: Vec<u8>,
    kind: KeyKind,
    always_authenticate: bool,
    token: TokenSummary,
    /// The card profile that describes the token, if any.
    profile: Option<String>,
    /// Kept only for keys that need it again for every signature.
    pin: Option<Pin>,
}

impl std::fmt::Debug for Pkcs11Key {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Pkcs11Key")
            .field("module", &self.module.path())
            .field("token", &self.token.label)
            .field("id", &hex::encode(&self.id))
            .field("kind", &self.kind)
            .field("always_authenticate", &self.always_authenticate)
            .finish()
    }
}

impl Pkcs11Key {
    /// Loads the module (once per process), finds the token, logs in with `pin` and finds the
    /// key. The PIN is checked against the rule before it is sent.
    pub fn open(request: &KeyRequest<'_>, pin: &Pin) -> Result<Pkcs11Key, CardError> {
        let module = load(request.module)?;
        let found = find_token(&module, request.token)?;
        let profiles = crate::card::Profiles::load_default()?;
        let profile = profiles
            .iter()
            .find(|p| p.drives_token(module.path(), &found.summary.label));
        let rule = match (&request.pin_rule, profile) {
            (Some(rule), _) => rule.clone(),
            (None, Some(profile)) => PinRule::of_profile(profile),
            (None, None) => PinRule::ANY,
        };
        let profile = profile.map(|p| p.id.clone());
        let flags = PinFlags::of(&found.info);
        // Checked before any session: a refused PIN leaves no trace on the token.
        rule.check(pin)?;
        let session = module
            .context()
            .open_ro_session(found.slot)
            .map_err(|e| module.error("C_OpenSession", e))?;
        login(
            &module,
            &session,
            found.slot,
            flags,
            &rule,
            pin,
            request.confirm_last_try,
        )?;
        // From here on a failure must log out: `Drop` does it once the key exists.
        let chosen = certified_keys(&module, &session)
            .and_then(|keys| choose(&found.summary.label, keys, &request.key))
            .and_then(|k| key_kind(&k.certificate_der).map(|kind| (k, kind)));
        let (chosen, kind) = match chosen {
            Ok(c) => c,
            Err(e) => {
                let _ = session.logout();
                return Err(e);
            }
        };
        let Some(key) = chosen.key else {
            let _ = session.logout();
            return Err(CardError::NoKey {
                token: found.summary.label.clone(),
                what: "no private key".into(),
            });
        };
        let always_authenticate = chosen.always_authenticate.unwrap_or(false);
        log::info!(
            "PKCS#11 {}: token «{}», key id {} ({kind:?}{})",
            module.path(),
            found.summary.label,
            hex::encode(&chosen.id),
            if always_authenticate {
                ", PIN for every signature"
            } else {
                ""
            }
        );
        Ok(Pkcs11Key {
            pin: always_authenticate.then(|| Pin::new(pin.expose().to_string())),
            module,
            session: Some(session),
            slot: found.slot,
            key,
            id: chosen.id,
            label: chosen.label,
            certificate_der: chosen.certificate_der,
            kind,
            always_authenticate,
            token: found.summary,
            profile,
        })
    }

    /// `CKA_ID` of the key (and its certificate).
    pub fn id(&self) -> &[u8] {
        &self.id
    }

    /// `CKA_LABEL` of the certificate.
    pub fn label(&self) -> &str {
        &self.label
    }

    pub fn token(&self) -> &TokenSummary {
        &self.token
    }

    /// The id of the card profile that describes the token, if any.
    pub fn profile_id(&self) -> Option<&str> {
        self.profile.as_deref()
    }

    pub fn module_path(&self) -> &str {
        self.module.path()
    }

    pub fn always_authenticate(&self) -> bool {
        self.always_authenticate
    }

    fn session(&self) -> Result<&Session, CardError> {
        self.session.as_ref().ok_or(CardError::CardRemoved)
    }

    /// The token's private-key operation on `input` with `mechanism`.
    fn sign_raw(&self, mechanism: &Mechanism, input: &[u8]) -> Result<Vec<u8>, CardError> {
        let session = self.session()?;
        if !self.always_authenticate {
            return session
                .sign(mechanism, self.key, input)
                .map_err(|e| self.module.error("C_Sign", e));
        }
        // C_SignInit, then the context-specific login, then C_Sign: cryptoki's `sign` does
        // init and sign in one call, so the login could not go between them.
        session
            .sign_init(mechanism, self.key)
            .map_err(|e| self.module.error("C_SignInit", e))?;
        let pin = self.pin.as_ref().ok_or(CardError::PinBlocked)?;
        let flags = self
            .module
            .context()
            .get_token_info(self.slot)
            .map(|i| PinFlags::of(&i))
            .unwrap_or_default();
        session
            .login(UserType::ContextSpecific, Some(&auth_pin(pin)))
            .map_err(|e| login_error(&self.module, self.slot, flags, "C_Login (context)", e))?;
        single_part_sign(&self.module, session, input)
    }
}

/// `C_Sign` straight from the module's function list, on an operation already initialised.
fn single_part_sign(
    module: &Module,
    session: &Session,
    input: &[u8],
) -> Result<Vec<u8>, CardError> {
    let raw = module.raw();
    if raw.C_Sign.is_err() {
        return Err(CardError::Pkcs11Failure {
            module: module.path().to_string(),
            operation: "C_Sign".into(),
            reason: "the module does not export C_Sign".into(),
        });
    }
    let check = |rv: cryptoki_sys::CK_RV| {
        cryptoki::error::Rv::from(rv)
            .into_result(cryptoki::context::Function::Sign)
            .map_err(|e| module.error("C_Sign", e))
    };
    let mut data = input.to_vec();
    let data_len = cryptoki_sys::CK_ULONG::try_from(data.len())
        .map_err(|_| CardError::malformed("data too long to sign"))?;
    let mut len: cryptoki_sys::CK_ULONG = 0;
    // SAFETY: the session handle is live (borrowed from `session`), `data` outlives both
    // calls, and the first call only writes the needed length into `len`.
    check(unsafe {
        raw.C_Sign(
            session.handle(),
            data.as_mut_ptr(),
            data_len,
            std::ptr::null_mut(),
            &mut len,
        )
    })?;
    let mut signature = vec![0u8; usize::try_from(len).unwrap_or(0)];
    // SAFETY: `signature` holds the `len` bytes the module asked for.
    check(unsafe {
        raw.C_Sign(
            session.handle(),
            data.as_mut_ptr(),
            data_len,
            signature.as_mut_ptr(),
            &mut len,
        )
    })?;
    signature.truncate(usize::try_from(len).unwrap_or(0));
    Ok(signature)
}

impl SigningKey for Pkcs11Key {
    fn certificate_der(&self) -> &[u8] {
        &self.certificate_der
    }

    fn key_kind(&self) -> KeyKind {
        self.kind.clone()
    }

    fn sign_digest(&mut self, alg: DigestAlgorithm, digest: &[u8]) -> Result<Vec<u8>, CardError> {
        if digest.len() != alg.output_len() {
            return Err(CardError::malformed(format!(
                "a {} digest has {} bytes, not {}",
                alg.name(),
                alg.output_len(),
                digest.len()
            )));
        }
        match self.kind {
            // CKM_RSA_PKCS over DigestInfo: every RSA module has it (the CIE's included),
            // and it takes a digest computed here.
            KeyKind::Rsa { .. } => {
                let info = Zeroizing::new(digest_info(alg, digest, true));
                self.sign_raw(&Mechanism::RsaPkcs, &info)
            }
            // CKM_ECDSA signs the hash given (SoftHSM has no CKM_ECDSA_SHA256) and answers
            // r‖s.
            KeyKind::Ec { .. } => raw_to_der(&self.sign_raw(&Mechanism::Ecdsa, digest)?),
        }
    }
}

impl Drop for Pkcs11Key {
    fn drop(&mut self) {
        if let Some(session) = self.session.take() {
            if let Err(e) = session.logout() {
                log::debug!("PKCS#11 {}: C_Logout: {e}", self.module.path());
            }
            if let Err(e) = session.close() {
                log::debug!("PKCS#11 {}: C_CloseSession: {e}", self.module.path());
            }
        }
    }
}
