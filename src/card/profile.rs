//! Card profiles: what the desk knows about a card family (ATR patterns, driver, PIN rules,
//! files, keys). They live in TOML files so an office adds a card without a new build.

use std::path::PathBuf;

use serde::Deserialize;

use super::transport::LongCommands;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}:{line}: {msg}", path.display())]
pub struct ProfileError {
    pub path: PathBuf,
    /// 1-based; 0 when the problem is not at one place in the file.
    pub line: usize,
    pub msg: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Driver {
    Cns,
    Cie,
    Pkcs11,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum SignPath {
    /// Decipher when the certificate's keyUsage allows key or data encipherment (as real
    /// CNS authentication keys do), sign otherwise.
    Auto,
    /// MSE SET DST + PSO COMPUTE DIGITAL SIGNATURE.
    Sign,
    /// MSE SET CT + PSO DECIPHER of the padded block (keys that may also decipher).
    Decipher,
}

/// Where the codice fiscale of the holder is read from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum CfSourceRule {
    /// The certificate's CN (`<CF>/<serial>.<hash>` on CNS, `<CF>` on CIE) or serialNumber.
    Certificate,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AtrPattern {
    pub value: Vec<u8>,
    pub mask: Vec<u8>,
}

impl AtrPattern {
    pub fn matches(&self, atr: &[u8]) -> bool {
        atr.len() == self.value.len()
            && atr
                .iter()
                .zip(self.value.iter().zip(&self.mask))
                .all(|(a, (v, m))| a & m == v & m)
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PinRules {
    pub min_length: usize,
    pub max_length: usize,
    pub reference: u8,
    /// The PIN is padded to this many bytes with `pad_byte` (0 = no padding).
    pub pad_to: usize,
    pub pad_byte: u8,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CnsFiles {
    pub id_carta: Vec<u16>,
    pub certificate: Vec<u16>,
    pub personal_data: Vec<u16>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyRules {
    pub reference: u8,
    pub sign_path: SignPath,
    /// Long commands as one extended APDU (the card supports it) or by ISO chaining.
    pub long_commands: LongCommands,
}

/// How the CIE chip check selects its applications.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum IasSelect {
    /// SELECT the IAS application by AID.
    Aid,
    /// SELECT MF instead (NXP chips, as the CIE middleware does).
    Mf,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CieRules {
    pub ias_select: IasSelect,
    /// The ATR is shared with other documents: only selecting the CIE application proves it.
    pub confirm_aid: bool,
    /// CSCA certificates (files or folders) the SOD must chain to.
    pub csca: Vec<PathBuf>,
}

/// Which PINs the profile's PKCS#11 module takes.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Pkcs11Pin {
    /// The `[profile.pin]` lengths, digits only.
    #[default]
    Profile,
    /// The CIE module: exactly the last 4 digits of the 8-digit PIN.
    CieLastFour,
}

/// How the card is used through a PKCS#11 module.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Pkcs11Rules {
    pub pin: Pkcs11Pin,
    /// Token labels the profile describes (a trailing `*` matches a prefix); empty: every
    /// token of its modules.
    pub token_labels: Vec<String>,
    /// Go through the module even where the native driver knows the card.
    pub prefer: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Profile {
    pub id: String,
    pub label: String,
    pub driver: Driver,
    pub atrs: Vec<AtrPattern>,
    pub pin: PinRules,
    pub files: CnsFiles,
    pub key: KeyRules,
    pub codice_fiscale: CfSourceRule,
    /// PKCS#11 modules that can drive this card (the only way for `pkcs11`, CIE identity).
    pub modules: Vec<String>,
    pub cie: CieRules,
    pub pkcs11: Pkcs11Rules,
    /// Where it was loaded from.
    pub source: ProfileSource,
}

/// Where a profile comes from: compiled into the program, or a file of a folder.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(tag = "kind", content = "path", rename_all = "kebab-case")]
pub enum ProfileSource {
    /// One of the product's `card-profiles/*.toml`, compiled in (the file name).
    BuiltIn(String),
    /// A file of `$SPORTELLO_CARD_PROFILES` or of the office's folder.
    File(PathBuf),
}

impl ProfileSource {
    /// The path errors name: the file, or `(built-in)/card-profiles/NAME`.
    pub fn error_path(&self) -> PathBuf {
        match self {
            ProfileSource::BuiltIn(name) => PathBuf::from("(built-in)/card-profiles").join(name),
            ProfileSource::File(path) => path.clone(),
        }
    }
}

impl std::fmt::Display for ProfileSource {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ProfileSource::BuiltIn(name) => write!(f, "built-in card-profiles/{name}"),
            ProfileSource::File(path) => write!(f, "{}", path.display()),
        }
    }
}

impl Profile {
    pub fn matches(&self, atr: &[u8]) -> bool {
        self.atrs.iter().any(|p| p.matches(atr))
    }

    /// Whether this profile describes a token of `module` (a path or a file name, as in
    /// `modules`) labelled `label`.
    pub fn drives_token(&self, module: &str, label: &str) -> bool {
        let file_name = |m: &str| m.rsplit('/').next().unwrap_or(m).to_string();
        let names_module = self
            .modules
            .iter()
            .any(|m| m == module || file_name(m) == file_name(module));
        let names_label = self.pkcs11.token_labels.is_empty()
            || self
                .pkcs11
                .token_labels
                .iter()
                .any(|l| match l.strip_suffix('*') {
                    Some(prefix) => label.starts_with(prefix),
                    None => l == label,
                });
        names_module && names_label
    }
}
