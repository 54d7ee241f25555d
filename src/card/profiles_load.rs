//! Loading card profiles: the product's own (`card-profiles/*.toml`, compiled into the
//! program so an installed binary knows the cards wherever it lives), then the folders of
//! $SPORTELLO_CARD_PROFILES and the office's ($XDG_CONFIG_HOME/sportello/card-profiles),
//! which add profiles or replace them by `id`. A broken file is an error naming its path
//! and line: a desk that silently ignores a profile would call a known card unknown.

use std::path::{Path, PathBuf};

use serde::Deserialize;
use toml::Spanned;

use super::profile::{
    AtrPattern, CfSourceRule, CieRules, CnsFiles, Driver, IasSelect, KeyRules, PinRules, Pkcs11Pin,
    Pkcs11Rules, Profile, ProfileError, ProfileSource, SignPath,
};
use super::transport::LongCommands;

/// Largest profile file read: profiles are a few hundred lines at most.
const MAX_FILE: u64 = 1 << 20;

/// The product's `card-profiles/*.toml` (file name, text), compiled in by build.rs.
const SHIPPED: &[(&str, &str)] = include!(concat!(env!("OUT_DIR"), "/shipped_profiles.rs"));

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    #[serde(default)]
    profile: Vec<RawProfile>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawProfile {
    id: Spanned<String>,
    label: String,
    driver: Driver,
    #[serde(default)]
    atr: Vec<RawAtr>,
    #[serde(default)]
    pin: RawPin,
    #[serde(default)]
    files: RawFiles,
    #[serde(default)]
    key: RawKey,
    #[serde(default)]
    identity: RawIdentity,
    #[serde(default)]
    modules: Vec<String>,
    #[serde(default)]
    cie: RawCie,
    #[serde(default)]
    pkcs11: RawPkcs11,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, default)]
struct RawPkcs11 {
    pin: Pkcs11Pin,
    token_labels: Vec<String>,
    prefer: bool,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawAtr {
    value: Spanned<String>,
    mask: Option<Spanned<String>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, default)]
struct RawPin {
    min_length: usize,
    max_length: usize,
    reference: u8,
    pad_to: usize,
    pad_byte: u8,
}

impl Default for RawPin {
    // cards.md: CNS PINs are 5-8 digits, reference 0x10, padded with FF to 8 bytes.
    fn default() -> Self {
        RawPin {
            min_length: 5,
            max_length: 8,
            reference: 0x10,
            pad_to: 8,
            pad_byte: 0xFF,
        }
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, default)]
struct RawFiles {
    id_carta: Spanned<String>,
    certificate: Spanned<String>,
    personal_data: Spanned<String>,
}

impl Default for RawFiles {
    fn default() -> Self {
        RawFiles {
            id_carta: Spanned::new(0..0, "3F00/1000/1003".into()),
            certificate: Spanned::new(0..0, "3F00/1100/1101".into()),
            personal_data: Spanned::new(0..0, "3F00/1100/1102".into()),
        }
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, default)]
struct RawKey {
    reference: u8,
    sign_path: SignPath,
    extended_apdu: bool,
}

impl Default for RawKey {
    fn default() -> Self {
        RawKey {
            reference: 0x01,
            sign_path: SignPath::Auto,
            extended_apdu: false,
        }
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, default)]
struct RawIdentity {
    codice_fiscale: CfSourceRule,
}

impl Default for RawIdentity {
    fn default() -> Self {
        RawIdentity {
            codice_fiscale: CfSourceRule::Certificate,
        }
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, default)]
struct RawCie {
    ias_select: IasSelect,
    confirm_aid: bool,
    csca: Vec<String>,
}

impl Default for RawCie {
    fn default() -> Self {
        RawCie {
            ias_select: IasSelect::Aid,
            confirm_aid: false,
            csca: Vec::new(),
        }
    }
}

fn line_of(text: &str, offset: usize) -> usize {
    text.get(..offset).map_or(0, |before| {
        before.bytes().filter(|b| *b == b'\n').count() + 1
    })
}

/// Hex bytes written with or without spaces or colons: "3B FF 18", "3BFF18", "3B:FF".
pub fn parse_hex(text: &str) -> Option<Vec<u8>> {
    let compact: String = text
        .chars()
        .filter(|c| !c.is_whitespace() && *c != ':')
        .collect();
    hex::decode(compact).ok().filter(|b| !b.is_empty())
}

/// "3F00/1100/1101" → [0x3F00, 0x1100, 0x1101].
fn parse_path(text: &str) -> Option<Vec<u16>> {
    let parts: Option<Vec<u16>> = text
        .split('/')
        .map(|p| {
            let p = p.trim();
            (p.len() == 4)
                .then(|| u16::from_str_radix(p, 16).ok())
                .flatten()
        })
        .collect();
    parts.filter(|p| !p.is_empty())
}

struct FileCtx<'a> {
    source: &'a ProfileSource,
    text: &'a str,
}

impl FileCtx<'_> {
    fn error(&self, span: std::ops::Range<usize>, msg: impl Into<String>) -> ProfileError {
        ProfileError {
            path: self.source.error_path(),
            line: line_of(self.text, span.start),
            msg: msg.into(),
        }
    }

    fn convert(&self, raw: RawProfile) -> Result<Profile, ProfileError> {
        let id_span = raw.id.span();
        let id = raw.id.into_inner();
        if id.is_empty()
            || !id
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        {
            return Err(self.error(
                id_span,
                format!("profile id «{id}» must be letters, digits, - or _"),
            ));
        }
        let mut atrs = Vec::new();
        for atr in raw.atr {
            let span = atr.value.span();
            let value = parse_hex(atr.value.get_ref())
                .ok_or_else(|| self.error(span.clone(), "ATR value is not hex bytes"))?;
            let mask = match atr.mask {
                None => vec![0xFF; value.len()],
                Some(m) => {
                    let mspan = m.span();
                    parse_hex(m.get_ref())
                        .ok_or_else(|| self.error(mspan.clone(), "ATR mask is not hex bytes"))
                        .and_then(|mask| {
                            if mask.len() == value.len() {
                                Ok(mask)
                            } else {
                                Err(self.error(
                                    mspan,
                                    format!(
                                        "ATR mask has {} bytes, the value {}",
                                        mask.len(),
                                        value.len()
                                    ),
                                ))
                            }
                        })?
                }
            };
            if value.len() > 33 {
                return Err(self.error(span, "an ATR has at most 33 bytes"));
            }
            atrs.push(AtrPattern { value, mask });
        }
        if atrs.is_empty() && raw.driver != Driver::Pkcs11 {
            return Err(self.error(id_span, format!("profile {id} has no [[profile.atr]]")));
        }
        let pin = raw.pin;
        if pin.min_length == 0 || pin.min_length > pin.max_length || pin.max_length > 16 {
            return Err(self.error(
                id_span,
                format!(
                    "profile {id}: PIN lengths {}..{} make no sense",
                    pin.min_length, pin.max_length
                ),
            ));
        }
        if pin.pad_to != 0 && pin.pad_to < pin.max_length {
            return Err(self.error(
                id_span,
                format!(
                    "profile {id}: pad_to {} is shorter than the longest PIN",
                    pin.pad_to
                ),
            ));
        }
        let file = |s: Spanned<String>| {
            let span = s.span();
            parse_path(s.get_ref()).ok_or_else(|| {
                self.error(
                    span,
                    format!("«{}» is not a path like 3F00/1100/1101", s.get_ref()),
                )
            })
        };
        let csca = self.csca_paths(&raw.cie.csca, id_span)?;
        Ok(Profile {
            id,
            label: raw.label,
            driver: raw.driver,
            atrs,
            pin: PinRules {
                min_length: pin.min_length,
                max_length: pin.max_length,
                reference: pin.reference,
                pad_to: pin.pad_to,
                pad_byte: pin.pad_byte,
            },
            files: CnsFiles {
                id_carta: file(raw.files.id_carta)?,
                certificate: file(raw.files.certificate)?,
                personal_data: file(raw.files.personal_data)?,
            },
            key: KeyRules {
                reference: raw.key.reference,
                sign_path: raw.key.sign_path,
                long_commands: if raw.key.extended_apdu {
                    LongCommands::Extended
                } else {
                    LongCommands::Chaining
                },
            },
            codice_fiscale: raw.identity.codice_fiscale,
            modules: raw.modules,
            cie: CieRules {
                ias_select: raw.cie.ias_select,
                confirm_aid: raw.cie.confirm_aid,
                csca,
            },
            pkcs11: Pkcs11Rules {
                pin: raw.pkcs11.pin,
                token_labels: raw.pkcs11.token_labels,
                prefer: raw.pkcs11.prefer,
            },
            source: self.source.clone(),
        })
    }

    /// Relative CSCA paths are relative to the profile file. A compiled-in profile has no
    /// folder of its own, so it may only name absolute paths (an office that has the CSCA
    /// files names them in its own profile).
    fn csca_paths(
        &self,
        paths: &[String],
        span: std::ops::Range<usize>,
    ) -> Result<Vec<PathBuf>, ProfileError> {
        paths
            .iter()
            .map(|p| match self.source {
                ProfileSource::File(file) => Ok(file.parent().unwrap_or(Path::new(".")).join(p)),
                ProfileSource::BuiltIn(_) if Path::new(p).is_absolute() => Ok(PathBuf::from(p)),
                ProfileSource::BuiltIn(_) => Err(self.error(
                    span.clone(),
                    format!(
                        "CSCA path «{p}» is relative, but a built-in profile has no folder: \
                         use an absolute path or an office profile"
                    ),
                )),
            })
            .collect()
    }
}

/// Parses one profile file's text.
pub fn parse_profiles(path: &Path, text: &str) -> Result<Vec<Profile>, ProfileError> {
    parse_from(&ProfileSource::File(path.to_path_buf()), text)
}

fn parse_from(source: &ProfileSource, text: &str) -> Result<Vec<Profile>, ProfileError> {
    let raw: RawFile = toml::from_str(text).map_err(|e| ProfileError {
        path: source.error_path(),
        line: e.span().map_or(0, |s| line_of(text, s.start)),
        msg: e.message().trim().to_string(),
    })?;
    let ctx = FileCtx { source, text };
    raw.profile.into_iter().map(|p| ctx.convert(p)).collect()
}

/// Every profile the desk knows, in priority order.
#[derive(Debug, Clone, Default)]
pub struct Profiles {
    entries: Vec<Entry>,
    /// The folders that were looked at, for messages.
    pub searched: Vec<PathBuf>,
}

#[derive(Debug, Clone)]
struct Entry {
    /// A higher rank (a layer loaded later) wins when two profiles match one ATR.
    rank: usize,
    profile: Profile,
    /// What this profile replaced by having the same id.
    replaces: Option<ProfileSource>,
}

/// One loaded profile as `sportello card profiles` shows it.
#[derive(Debug, Clone, serde::Serialize)]
pub struct ProfileListing {
    pub id: String,
    pub label: String,
    pub driver: Driver,
    pub atr_patterns: usize,
    pub source: ProfileSource,
    /// The profile of the same id this one replaced (a shipped one, usually).
    pub replaces: Option<ProfileSource>,
}

impl Profiles {
    /// Loads every `*.toml` of each folder in order; a later folder overrides a profile of
    /// the same id and is preferred when two profiles match one ATR. Missing folders are
    /// skipped. Only these folders: see [`Profiles::load_default`] for the shipped ones.
    pub fn load(dirs: &[PathBuf]) -> Result<Profiles, ProfileError> {
        let mut profiles = Profiles::default();
        for (rank, dir) in dirs.iter().enumerate() {
            profiles.add_dir(rank, dir)?;
        }
        Ok(profiles)
    }

    /// The profiles compiled into the program (the product's `card-profiles/`).
    pub fn built_in() -> Result<Profiles, ProfileError> {
        let mut profiles = Profiles::default();
        for (name, text) in SHIPPED {
            for profile in parse_from(&ProfileSource::BuiltIn((*name).to_string()), text)? {
                profiles.add(0, profile);
            }
        }
        Ok(profiles)
    }

    /// The built-in profiles, then the folders of [`default_dirs`] over them.
    pub fn load_default() -> Result<Profiles, ProfileError> {
        Profiles::built_in_and(&default_dirs())
    }

    /// The built-in profiles, then `dirs` over them in order.
    pub fn built_in_and(dirs: &[PathBuf]) -> Result<Profiles, ProfileError> {
        let mut profiles = Profiles::built_in()?;
        for (rank, dir) in dirs.iter().enumerate() {
            profiles.add_dir(rank + 1, dir)?;
        }
        Ok(profiles)
    }

    fn add(&mut self, rank: usize, profile: Profile) {
        let replaces = self
            .entries
            .iter()
            .position(|e| e.profile.id == profile.id)
            .map(|at| self.entries.remove(at).profile.source);
        self.entries.push(Entry {
            rank,
            profile,
            replaces,
        });
    }

    fn add_dir(&mut self, rank: usize, dir: &Path) -> Result<(), ProfileError> {
        self.searched.push(dir.to_path_buf());
        if !dir.is_dir() {
            log::info!("card profiles: {} does not exist, skipped", dir.display());
            return Ok(());
        }
        let io = |e: std::io::Error| ProfileError {
            path: dir.to_path_buf(),
            line: 0,
            msg: e.to_string(),
        };
        let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
            .map_err(io)?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "toml") && p.is_file())
            .collect();
        files.sort();
        for file in files {
            for profile in load_file(&file)? {
                self.add(rank, profile);
            }
        }
        Ok(())
    }

    /// Every profile in order of preference: a later layer (the office's folder,
    /// `$SPORTELLO_CARD_PROFILES`) before the built-in ones, load order among equals. Whoever
    /// looks for "the first profile that…" (a token's PIN rule, a module's profile) gets the
    /// office's own one.
    pub fn iter(&self) -> impl Iterator<Item = &Profile> {
        let mut entries: Vec<&Entry> = self.entries.iter().collect();
        entries.sort_by_key(|e| std::cmp::Reverse(e.rank));
        entries.into_iter().map(|e| &e.profile)
    }

    pub fn get(&self, id: &str) -> Option<&Profile> {
        self.iter().find(|p| p.id == id)
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// What is loaded and from where, sorted by id.
    pub fn listing(&self) -> Vec<ProfileListing> {
        let mut rows: Vec<ProfileListing> = self
            .entries
            .iter()
            .map(|e| ProfileListing {
                id: e.profile.id.clone(),
                label: e.profile.label.clone(),
                driver: e.profile.driver,
                atr_patterns: e.profile.atrs.len(),
                source: e.profile.source.clone(),
                replaces: e.replaces.clone(),
            })
            .collect();
        rows.sort_by(|a, b| a.id.cmp(&b.id));
        rows
    }

    /// The profile for this ATR: the highest-ranked match, the first loaded among equals.
    pub fn match_atr(&self, atr: &[u8]) -> Option<&Profile> {
        let best = self
            .entries
            .iter()
            .filter(|e| e.profile.matches(atr))
            .map(|e| e.rank)
            .max()?;
        self.entries
            .iter()
            .find(|e| e.rank == best && e.profile.matches(atr))
            .map(|e| &e.profile)
    }
}

fn load_file(path: &Path) -> Result<Vec<Profile>, ProfileError> {
    let fail = |msg: String| ProfileError {
        path: path.to_path_buf(),
        line: 0,
        msg,
    };
    let meta = std::fs::metadata(path).map_err(|e| fail(e.to_string()))?;
    if meta.len() > MAX_FILE {
        return Err(fail(format!(
            "{} bytes is too large for a profile file",
            meta.len()
        )));
    }
    let bytes = std::fs::read(path).map_err(|e| fail(e.to_string()))?;
    let text = String::from_utf8(bytes).map_err(|_| fail("not UTF-8 text".into()))?;
    parse_profiles(path, &text)
}

/// The folders loaded over the built-in profiles: $SPORTELLO_CARD_PROFILES (a path list),
/// then the office's folder. Nothing is looked for beside the program: an installed binary
/// must behave the same wherever it lives.
pub fn default_dirs() -> Vec<PathBuf> {
    let mut dirs = Vec::new();
    if let Some(list) = std::env::var_os("SPORTELLO_CARD_PROFILES").filter(|v| !v.is_empty()) {
        dirs.extend(std::env::split_paths(&list));
    }
    let config = std::env::var_os("XDG_CONFIG_HOME")
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".config")));
    if let Some(config) = config {
        dirs.push(config.join("sportello").join("card-profiles"));
    }
    dirs
}

#[cfg(test)]
mod tests {
    use super::*;

    const CNS: &str = r#"
[[profile]]
id = "cns-test"
label = "Test CNS"
driver = "cns"
[[profile.atr]]
value = "3B FF 18 00"
mask = "FF FF FF 00"
[profile.pin]
reference = 0x90
[profile.key]
sign_path = "sign"
extended_apdu = true
"#;

    #[test]
    fn parses_with_defaults_from_cards_md() {
        let p = parse_profiles(Path::new("x.toml"), CNS).unwrap();
        let p = &p[0];
        assert_eq!(p.pin.reference, 0x90);
        assert_eq!(
            (p.pin.min_length, p.pin.max_length, p.pin.pad_to),
            (5, 8, 8)
        );
        assert_eq!(p.files.certificate, [0x3F00, 0x1100, 0x1101]);
        assert_eq!(p.key.sign_path, SignPath::Sign);
        assert_eq!(p.key.long_commands, LongCommands::Extended);
        assert!(p.matches(&[0x3B, 0xFF, 0x18, 0x42]));
        assert!(!p.matches(&[0x3B, 0xFF, 0x19, 0x00]));
        assert!(!p.matches(&[0x3B, 0xFF, 0x18]));
    }

    #[test]
    fn broken_files_name_the_line() {
        let bad_hex = CNS.replace("3B FF 18 00", "3B FF 1G 00");
        let e = parse_profiles(Path::new("cns.toml"), &bad_hex).unwrap_err();
        assert_eq!(e.line, 7, "{e}");
        assert!(e.to_string().starts_with("cns.toml:7:"), "{e}");

        let syntax = CNS.replace("driver = \"cns\"", "driver = cns");
        let e = parse_profiles(Path::new("cns.toml"), &syntax).unwrap_err();
        assert_eq!(e.line, 5, "{e}");

        let unknown = CNS.replace("reference = 0x90", "refrence = 0x90");
        let e = parse_profiles(Path::new("cns.toml"), &unknown).unwrap_err();
        assert!(e.msg.contains("refrence"), "{e}");

        let mask = CNS.replace("FF FF FF 00\"", "FF FF\"");
        assert!(parse_profiles(Path::new("m.toml"), &mask).is_err());
        let driver = CNS.replace("\"cns\"", "\"floppy\"");
        assert!(parse_profiles(Path::new("d.toml"), &driver).is_err());
    }

    #[test]
    fn office_profiles_override_and_win() {
        let shipped = tempfile::tempdir().unwrap();
        let office = tempfile::tempdir().unwrap();
        std::fs::write(shipped.path().join("a.toml"), CNS).unwrap();
        let other = CNS
            .replace("cns-test", "cns-office")
            .replace("Test CNS", "Office");
        std::fs::write(office.path().join("b.toml"), other).unwrap();
        let profiles = Profiles::load(&[
            shipped.path().to_path_buf(),
            office.path().to_path_buf(),
            PathBuf::from("/nonexistent/card-profiles"),
        ])
        .unwrap();
        assert_eq!(profiles.iter().count(), 2);
        assert_eq!(
            profiles.match_atr(&[0x3B, 0xFF, 0x18, 0]).unwrap().id,
            "cns-office"
        );

        let broken = tempfile::tempdir().unwrap();
        std::fs::write(broken.path().join("z.toml"), "[[profile]]\nid = 3\n").unwrap();
        let e = Profiles::load(&[broken.path().to_path_buf()]).unwrap_err();
        assert!(e.path.ends_with("z.toml"));
        assert_eq!(e.line, 2);
    }

    #[test]
    fn every_shipped_file_is_compiled_in() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("card-profiles");
        let from_folder = Profiles::load(&[dir]).unwrap();
        let built_in = Profiles::built_in().unwrap();
        let ids = |p: &Profiles| p.listing().into_iter().map(|l| l.id).collect::<Vec<_>>();
        assert_eq!(ids(&built_in), ids(&from_folder));
        assert!(built_in
            .iter()
            .all(|p| matches!(p.source, ProfileSource::BuiltIn(_))));
    }

    #[test]
    fn folders_add_to_and_replace_the_built_in_profiles() {
        let office = tempfile::tempdir().unwrap();
        let replacement = CNS
            .replace("cns-test", "cns-infocamere")
            .replace("Test CNS", "CNS InfoCamere dell'ufficio");
        std::fs::write(office.path().join("infocamere.toml"), replacement).unwrap();
        std::fs::write(office.path().join("extra.toml"), CNS).unwrap();
        let built_in = Profiles::built_in().unwrap();
        let profiles = Profiles::built_in_and(&[office.path().to_path_buf()]).unwrap();
        assert_eq!(profiles.iter().count(), built_in.iter().count() + 1);
        let listing = profiles.listing();
        let infocamere = listing.iter().find(|l| l.id == "cns-infocamere").unwrap();
        assert_eq!(infocamere.label, "CNS InfoCamere dell'ufficio");
        assert_eq!(
            infocamere.source,
            ProfileSource::File(office.path().join("infocamere.toml"))
        );
        assert_eq!(
            infocamere.replaces,
            Some(ProfileSource::BuiltIn("cns-infocamere.toml".into()))
        );
        let untouched = listing.iter().find(|l| l.id == "cie-3-stm").unwrap();
        assert_eq!(
            untouched.source,
            ProfileSource::BuiltIn("cie-3.toml".into())
        );
        assert_eq!(untouched.replaces, None);
    }

    #[test]
    fn csca_paths_are_relative_to_the_file_and_absolute_when_built_in() {
        let cie = "[[profile]]\nid = \"c\"\nlabel = \"C\"\ndriver = \"cie\"\n\
                   [[profile.atr]]\nvalue = \"3B 8B\"\n[profile.cie]\ncsca = [\"csca/it.pem\"]\n";
        let p = parse_profiles(Path::new("/etc/office/cie.toml"), cie).unwrap();
        assert_eq!(p[0].cie.csca, [PathBuf::from("/etc/office/csca/it.pem")]);
        let built_in = ProfileSource::BuiltIn("cie.toml".into());
        let e = parse_from(&built_in, cie).unwrap_err();
        assert!(e.msg.contains("relative"), "{e}");
        assert_eq!(e.path, PathBuf::from("(built-in)/card-profiles/cie.toml"));
        let absolute = cie.replace("csca/it.pem", "/usr/share/csca/it.pem");
        let p = parse_from(&built_in, &absolute).unwrap();
        assert_eq!(p[0].cie.csca, [PathBuf::from("/usr/share/csca/it.pem")]);
    }

    #[test]
    fn shipped_profiles_load_and_recognise_cards_md_atrs() {
        let profiles = Profiles::built_in().unwrap();
        let atr = |s: &str| parse_hex(s).unwrap();
        let cases = [
            (
                "3B FF 18 00 FF 81 31 FE 55 00 6B 02 09 02 00 01 11 01 43 4E 53 11 31 80 8E",
                0x90,
            ),
            (
                "3B FF 18 00 FF 81 31 FE 55 00 6B 02 09 02 00 01 11 01 43 4E 53 10 31 80 8F",
                0x90,
            ),
            (
                "3B FF 18 00 00 81 31 FE 45 00 6B 04 05 01 00 01 21 01 43 4E 53 10 31 80 59",
                0x10,
            ),
            (
                "3B FF 18 00 00 81 31 FE 45 00 6B 05 05 91 20 01 F1 01 43 4E 53 10 31 80 38",
                0x10,
            ),
            (
                "3B DF 18 00 81 31 FE 7D 00 6B 15 0C 01 81 01 11 01 43 4E 53 10 31 80 E8",
                0x10,
            ),
            (
                "3B FF 18 00 FF C1 0A 31 FE 55 00 6B 05 08 C8 0C 01 11 01 43 4E 53 10 31 80 05",
                0x10,
            ),
        ];
        let mut ids = std::collections::HashSet::new();
        for (text, reference) in cases {
            let p = profiles
                .match_atr(&atr(text))
                .unwrap_or_else(|| panic!("{text}"));
            assert_eq!(p.driver, Driver::Cns);
            assert_eq!(p.pin.reference, reference, "{}", p.id);
            ids.insert(p.id.clone());
        }
        assert_eq!(ids.len(), 6, "each family has its own profile");
        for text in [
            "3B 8B 80 01 80 66 47 50 00 B8 00 94 82 90 00 C5",
            "3B 8E 80 01 80 31 80 65 49 54 4E 58 50 12 0F FF 82 90 F0",
            "3B 8F 80 01 80 31 80 65 B0 85 04 00 11 12 0F FF 82 90 00 8A",
        ] {
            assert_eq!(
                profiles.match_atr(&atr(text)).unwrap().driver,
                Driver::Cie,
                "{text}"
            );
        }
        let gemalto = profiles
            .match_atr(&atr(
                "3B 8F 80 01 80 31 80 65 B0 85 04 00 11 12 0F FF 82 90 00 8A",
            ))
            .unwrap();
        assert!(gemalto.cie.confirm_aid);
        assert!(profiles.iter().any(|p| p.driver == Driver::Pkcs11));
        assert!(profiles.match_atr(&atr("3B 00")).is_none());
    }
}
