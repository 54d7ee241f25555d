//! `sportello token list`: PKCS#11 modules, their tokens and the certificates on them.

use std::fmt::Write;
use std::path::PathBuf;

use clap::Subcommand;

use crate::card::pkcs11::{self, Candidate, ModuleListing};
use crate::card::{CardError, Profiles};
use crate::i18n::{card_text, Lang};

use super::exit;

#[derive(Debug, Subcommand)]
pub enum TokenCommand {
    /// Modules (from the card profiles, p11-kit and known vendor paths), tokens and
    /// certificates with their keys. No PIN is asked.
    List {
        /// Only this module.
        #[arg(long, value_name = "PATH")]
        module: Option<PathBuf>,
        /// Log in to this token (label or serial) to see the keys it shows only after login;
        /// the PIN is asked, checked against the profile, and the token logged out after.
        #[arg(long, value_name = "LABEL", requires = "module")]
        token: Option<String>,
        /// Read the PIN as one line from standard input instead of the terminal.
        #[arg(long, requires = "token")]
        pin_stdin: bool,
        #[arg(long)]
        json: bool,
    },
}

pub fn run(command: &TokenCommand, lang: Lang) -> i32 {
    let TokenCommand::List {
        module,
        token,
        pin_stdin,
        json,
    } = command;
    let profiles = match Profiles::load_default() {
        Ok(profiles) => profiles,
        Err(e) => {
            let e = CardError::Profile(e);
            log::error!("token list: {e}");
            eprintln!("{}", card_text::error(&e, lang));
            return exit::CONFIG;
        }
    };
    let candidates = match module {
        Some(path) => vec![Candidate {
            path: path.clone(),
            source: "--module".into(),
        }],
        None => pkcs11::candidates(&profiles, &pkcs11::p11kit_dirs()),
    };
    let pin = match token {
        Some(_) => match super::card_cmd::read_pin(*pin_stdin, lang) {
            Ok(pin) => Some(pin),
            Err(code) => return code,
        },
        None => None,
    };
    let with_login = match (token, &pin, module) {
        (Some(token), Some(pin), Some(module)) => {
            let rule = pkcs11::PinRule::for_token(&profiles, &module.display().to_string(), token);
            // Refused here, in the officer's language, before anything reaches the token.
            if let Err(e) = rule.check(pin) {
                log::error!("token list: {e}");
                eprintln!("{}", card_text::error(&e, lang));
                return exit::USAGE;
            }
            Some(pkcs11::ListLogin { token, pin, rule })
        }
        _ => None,
    };
    let listings: Vec<ModuleListing> = candidates
        .iter()
        .map(|c| pkcs11::list_module(c, with_login.as_ref()))
        .collect();
    // The PIN is wiped now, not when the listing has been printed.
    drop(pin);
    if *json {
        println!(
            "{}",
            serde_json::to_string_pretty(&listings).unwrap_or_default()
        );
    } else {
        print!("{}", render(&listings, lang));
    }
    // One module asked for and it failed: say so in the exit code too.
    match (module, listings.first()) {
        (Some(_), Some(l)) if l.error.is_some() => exit::UNAVAILABLE,
        _ => exit::OK,
    }
}

fn yes_no(value: bool, lang: Lang) -> &'static str {
    match (value, lang) {
        (true, Lang::It) => "sì",
        (false, Lang::It) => "no",
        (true, Lang::En) => "yes",
        (false, Lang::En) => "no",
    }
}

fn render(listings: &[ModuleListing], lang: Lang) -> String {
    let it = lang == Lang::It;
    let mut out = String::new();
    if listings.is_empty() {
        let _ = writeln!(
            out,
            "{}",
            if it {
                "Nessun modulo PKCS#11 installato."
            } else {
                "No PKCS#11 module installed."
            }
        );
    }
    for m in listings {
        let _ = writeln!(
            out,
            "{} {} ({})",
            if it { "Modulo" } else { "Module" },
            m.module,
            m.source
        );
        if let Some(library) = &m.library {
            let _ = writeln!(out, "  {library}");
        }
        if let Some(e) = &m.error {
            let _ = writeln!(
                out,
                "  {}: {e}",
                if it { "non utilizzabile" } else { "unusable" }
            );
        }
        if m.error.is_none() && m.tokens.is_empty() {
            let _ = writeln!(out, "  {}", if it { "nessun token" } else { "no token" });
        }
        for t in &m.tokens {
            let s = &t.token;
            let _ = writeln!(
                out,
                "  Token «{}» — {} {}, {} {} {}, {} {}",
                s.label,
                if it { "numero di serie" } else { "serial" },
                s.serial,
                if it { "produttore" } else { "manufacturer" },
                s.manufacturer,
                s.model,
                if it { "lettore" } else { "slot" },
                s.slot_description
            );
            let mut flags = Vec::new();
            if s.pin.count_low {
                flags.push(if it {
                    "PIN: tentativi in calo"
                } else {
                    "PIN: count low"
                });
            }
            if s.pin.final_try {
                flags.push(if it {
                    "PIN: ultimo tentativo"
                } else {
                    "PIN: final try"
                });
            }
            if s.pin.locked {
                flags.push(if it {
                    "PIN segnalato bloccato (OpenSC lo segnala anche sulle CNS sane)"
                } else {
                    "PIN reported locked (OpenSC reports it on healthy CNS too)"
                });
            }
            if s.protected_authentication_path {
                flags.push(if it { "PIN sul lettore" } else { "PIN pad" });
            }
            if !flags.is_empty() {
                let _ = writeln!(out, "    {}", flags.join("; "));
            }
            if let Some(e) = &t.error {
                let _ = writeln!(out, "    {e}");
            }
            for c in &t.certificates {
                let size = match (&c.curve, c.key_bits) {
                    (Some(curve), _) => curve.clone(),
                    (None, Some(bits)) => format!("{bits} bit"),
                    _ => "-".into(),
                };
                let _ = writeln!(
                    out,
                    "    {} {} «{}»: {} — {} {} ({})",
                    if it {
                        "Certificato id"
                    } else {
                        "Certificate id"
                    },
                    c.id,
                    c.label,
                    c.holder,
                    if it { "CF" } else { "tax code" },
                    c.codice_fiscale.as_deref().unwrap_or("-"),
                    c.subject
                );
                let _ = writeln!(
                    out,
                    "      {} {} {size}; {}: {}; {}: {}; {}: {}",
                    if it { "chiave" } else { "key" },
                    c.key_type,
                    if it {
                        "chiave privata visibile"
                    } else {
                        "private key visible"
                    },
                    yes_no(c.private_key_visible, lang),
                    if it {
                        "PIN a ogni firma"
                    } else {
                        "PIN for every signature"
                    },
                    c.always_authenticate.map_or("-", |a| yes_no(a, lang)),
                    if it {
                        "chiave di firma"
                    } else {
                        "signature key"
                    },
                    yes_no(c.signature_key, lang),
                );
                let _ = writeln!(
                    out,
                    "      {} {}; {} {}",
                    if it { "emesso da" } else { "issued by" },
                    c.issuer,
                    if it { "valido fino al" } else { "valid until" },
                    c.not_after
                );
            }
        }
    }
    out
}
