//! What can go wrong between the desk and a card, as one typed error the CLI and the TUI
//! translate (src/i18n.rs, `card_text`). Messages here are English, for logs.

use super::profile::ProfileError;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CardError {
    /// pcscd is not running or refuses us.
    #[error("the PC/SC service is not available: {0}")]
    PcscUnavailable(String),
    /// An empty string means "no reader at all".
    #[error("reader not found: {0}")]
    NoReader(String),
    #[error("no card in reader {0}")]
    NoCard(String),
    #[error("unknown card (ATR {atr_hex})")]
    UnknownCard { atr_hex: String },
    #[error("card profile {profile} needs a PKCS#11 module (candidates: {})", modules.join(", "))]
    Pkcs11ModuleNeeded {
        profile: String,
        modules: Vec<String>,
    },
    #[error("wrong PIN ({})", tries_left.map_or("tries left unknown".to_string(), |n| format!("{n} tries left")))]
    WrongPin { tries_left: Option<u8> },
    #[error("the PIN is blocked: unblock it with the PUK")]
    PinBlocked,
    #[error("one PIN try is left: the officer must confirm before it is used")]
    LastTryNeedsConfirmation,
    #[error("the PIN must be {min} to {max} digits")]
    PinFormat { min: usize, max: usize },
    #[error("the card was removed or reset during the operation")]
    CardRemoved,
    #[error("card transport error: {0}")]
    Transport(String),
    /// An unexpected status word, with what was being done.
    #[error("the card answered {0:04X} to {1}")]
    CardStatus(u16, &'static str),
    /// Data read from the card does not have the expected shape.
    #[error("malformed card data: {0}")]
    Malformed(String),
    #[error("the certificate is not trusted: {0}")]
    Untrusted(String),
    #[error("codice fiscale mismatch: certificate {certificate}, personal data {personal_data}")]
    CfMismatch {
        certificate: String,
        personal_data: String,
    },
    #[error("authentication failed: {0}")]
    AuthenticationFailed(String),
    #[error("{0}")]
    Profile(#[from] ProfileError),
    #[error("cancelled")]
    Cancelled,
    /// A PKCS#11 module that cannot be loaded or initialised.
    #[error("PKCS#11 module {module}: {reason}")]
    Pkcs11Module { module: String, reason: String },
    /// A PKCS#11 call failed, with what was being done.
    #[error("PKCS#11 module {module}, {operation}: {reason}")]
    Pkcs11Failure {
        module: String,
        operation: String,
        reason: String,
    },
    /// No token with this label or serial (an empty `token`: no token at all).
    #[error("PKCS#11 module {module}: no token {token}")]
    TokenNotFound { module: String, token: String },
    /// Several tokens and none named.
    #[error("PKCS#11 module {module}: several tokens ({}), choose one by label", tokens.join(", "))]
    TokenAmbiguous { module: String, tokens: Vec<String> },
    /// The token has no certificate with a private key (of this id).
    #[error("token {token}: {what}")]
    NoKey { token: String, what: String },
    /// The CIE module takes only the last 4 digits of the 8-digit PIN.
    #[error("the CIE's PKCS#11 PIN is the last 4 digits of its PIN")]
    CiePinFormat,
}

impl CardError {
    pub fn malformed(what: impl Into<String>) -> Self {
        CardError::Malformed(what.into())
    }
}
