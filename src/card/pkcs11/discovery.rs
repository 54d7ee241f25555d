//! Which PKCS#11 modules the desk knows: those the card profiles name (`modules = [...]`),
//! those registered with p11-kit (`/usr/share/p11-kit/modules`, `/etc/pkcs11/modules`,
//! `~/.config/pkcs11/modules`; a later folder's file of the same name overrides, disabled
//! entries are left out) and the known vendor paths that register nothing (the CIE
//! middleware). Each is loaded directly later: the p11-kit proxy would drag every module
//! into the process.

use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::card::profiles_load::Profiles;

/// Where p11-kit resolves a relative `module:` path.
pub const P11KIT_MODULE_DIR: &str = "/usr/lib/x86_64-linux-gnu/pkcs11";

/// Modules that register nothing with p11-kit, at the paths their installers use.
pub const VENDOR_PATHS: [&str; 2] = [
    // The Ministry's "Software CIE" package.
    "/usr/local/lib/libcie-pkcs11.so",
    // Bit4id, common on regional CNS and signature cards.
    "/usr/lib/libbit4xpki.so",
];

/// This program's name, as p11-kit's `enable-in` / `disable-in` lists name programs.
const PROGRAM: &str = "sportello";

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Candidate {
    pub path: PathBuf,
    /// Where the desk heard of it ("profile cns-infocamere", "p11-kit opensc-pkcs11.module",
    /// "known vendor path").
    pub source: String,
}

/// One p11-kit `.module` file, read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Registration {
    /// None: no `module:` (or an empty one), which disables the registration.
    pub module: Option<String>,
    pub disabled: bool,
    /// `trust-policy: yes`: a store of CA certificates (p11-kit-trust), not of keys.
    pub trust_policy: bool,
}

fn names_program(list: &str) -> bool {
    list.split([',', ' ', '\t'])
        .any(|name| name.trim() == PROGRAM)
}

/// Parses a p11-kit module file (`key: value` lines, `#` comments). Never fails: what it
/// does not understand it ignores, as p11-kit does.
pub fn parse_registration(text: &str) -> Registration {
    let mut module = None;
    let mut enable_in = None;
    let mut disable_in = None;
    let mut trust_policy = false;
    for line in text.lines() {
        let line = line.trim();
        if line.starts_with('#') {
            continue;
        }
        let Some((key, value)) = line.split_once(':') else {
            continue;
        };
        let value = value.trim();
        match key.trim() {
            "module" => module = Some(value.to_string()).filter(|v| !v.is_empty()),
            "enable-in" => enable_in = Some(value.to_string()),
            "disable-in" => disable_in = Some(value.to_string()),
            "trust-policy" => trust_policy = value.eq_ignore_ascii_case("yes"),
            _ => {}
        }
    }
    let disabled = module.is_none()
        || disable_in.as_deref().is_some_and(names_program)
        || enable_in.as_deref().is_some_and(|l| !names_program(l));
    Registration {
        module,
        disabled,
        trust_policy,
    }
}

/// p11-kit's folders, system first: $SPORTELLO_P11KIT_MODULES (a path list) replaces them.
pub fn p11kit_dirs() -> Vec<PathBuf> {
    if let Some(list) = std::env::var_os("SPORTELLO_P11KIT_MODULES").filter(|v| !v.is_empty()) {
        return std::env::split_paths(&list).collect();
    }
    let mut dirs = vec![
        PathBuf::from("/usr/share/p11-kit/modules"),
        PathBuf::from("/etc/pkcs11/modules"),
    ];
    let config = std::env::var_os("XDG_CONFIG_HOME")
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".config")));
    if let Some(config) = config {
        dirs.push(config.join("pkcs11").join("modules"));
    }
    dirs
}

/// The enabled key-store modules registered in `dirs` (later folders override a file of the
/// same name in earlier ones).
pub fn registered(dirs: &[PathBuf]) -> Vec<Candidate> {
    let mut by_name: Vec<(String, Registration)> = Vec::new();
    for dir in dirs {
        let Ok(entries) = std::fs::read_dir(dir) else {
            continue;
        };
        let mut files: Vec<PathBuf> = entries
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "module"))
            .collect();
        files.sort();
        for file in files {
            let Some(name) = file.file_name().map(|n| n.to_string_lossy().into_owned()) else {
                continue;
            };
            // Registration files are a few lines: a huge one is not read.
            let text = match std::fs::metadata(&file) {
                Ok(m) if m.len() <= 64 * 1024 => std::fs::read_to_string(&file).unwrap_or_default(),
                _ => String::new(),
            };
            by_name.retain(|(n, _)| *n != name);
            by_name.push((name, parse_registration(&text)));
        }
    }
    by_name
        .into_iter()
        .filter(|(_, r)| !r.disabled && !r.trust_policy)
        .filter_map(|(name, r)| {
            let module = r.module?;
            let path = if module.starts_with('/') {
                PathBuf::from(module)
            } else {
                Path::new(P11KIT_MODULE_DIR).join(module)
            };
            Some(Candidate {
                path,
                source: format!("p11-kit {name}"),
            })
        })
        .collect()
}

/// A profile's module name as a file: absolute paths as written, bare names looked up where
/// modules are installed.
fn resolve(name: &str) -> Option<PathBuf> {
    if name.starts_with('/') {
        return Some(PathBuf::from(name));
    }
    installed(name)
}

/// The first of `modules` (as profiles write them) that is installed here.
pub fn first_installed(modules: &[String]) -> Option<PathBuf> {
    modules
        .iter()
        .filter_map(|m| resolve(m))
        .find(|p| p.is_file())
}

fn installed(name: &str) -> Option<PathBuf> {
    [
        P11KIT_MODULE_DIR,
        "/usr/lib/x86_64-linux-gnu",
        "/usr/lib",
        "/usr/local/lib",
    ]
    .iter()
    .map(|dir| Path::new(dir).join(name))
    .find(|p| p.is_file())
}

/// Every installed module the desk knows, each once (by its real file), profiles first.
pub fn candidates(profiles: &Profiles, p11kit: &[PathBuf]) -> Vec<Candidate> {
    let mut all = Vec::new();
    for profile in profiles.iter() {
        for name in &profile.modules {
            if let Some(path) = resolve(name) {
                all.push(Candidate {
                    path,
                    source: format!("profile {}", profile.id),
                });
            }
        }
    }
    all.extend(registered(p11kit));
    all.extend(VENDOR_PATHS.iter().map(|p| Candidate {
        path: PathBuf::from(p),
        source: "known vendor path".into(),
    }));
    let mut seen = Vec::new();
    all.retain(|c| {
        let Ok(real) = std::fs::canonicalize(&c.path) else {
            log::debug!("PKCS#11 module {} is not installed", c.path.display());
            return false;
        };
        if seen.contains(&real) {
            return false;
        }
        seen.push(real);
        true
    });
    all
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn registrations_as_debian_ships_them() {
        let opensc = parse_registration("# comment\nmodule: opensc-pkcs11.so\n");
        assert_eq!(opensc.module.as_deref(), Some("opensc-pkcs11.so"));
        assert!(!opensc.disabled && !opensc.trust_policy);
        let trust = parse_registration(
            "module: p11-kit-trust.so\npriority: 1\ntrust-policy: yes\ndisable-in: p11-kit-proxy\n",
        );
        assert!(trust.trust_policy && !trust.disabled);
    }

    #[test]
    fn disabled_entries() {
        assert!(parse_registration("module:\n").disabled);
        assert!(parse_registration("priority: 3\n").disabled);
        assert!(parse_registration("module: x.so\ndisable-in: firefox, sportello\n").disabled);
        assert!(parse_registration("module: x.so\nenable-in: firefox\n").disabled);
        assert!(!parse_registration("module: x.so\nenable-in: sportello\n").disabled);
        assert!(!parse_registration("module: x.so\ndisable-in: p11-kit-proxy\n").disabled);
    }

    #[test]
    fn a_later_folder_overrides_and_relative_paths_resolve() {
        let system = tempfile::tempdir().unwrap();
        let user = tempfile::tempdir().unwrap();
        std::fs::write(system.path().join("a.module"), "module: liba.so\n").unwrap();
        std::fs::write(system.path().join("b.module"), "module: /opt/b.so\n").unwrap();
        std::fs::write(user.path().join("a.module"), "module:\n").unwrap();
        let found = registered(&[system.path().to_path_buf(), user.path().to_path_buf()]);
        assert_eq!(
            found,
            [Candidate {
                path: PathBuf::from("/opt/b.so"),
                source: "p11-kit b.module".into()
            }]
        );
        std::fs::write(user.path().join("a.module"), "module: liba.so\n").unwrap();
        let found = registered(&[user.path().to_path_buf()]);
        assert_eq!(found[0].path, Path::new(P11KIT_MODULE_DIR).join("liba.so"));
    }
}
