//! `sportello sign`: a CAdES-BES signature with the card in a reader (native CNS driver) or a
//! PKCS#11 token. The signer is shown and checked before the PIN; the result is verified by
//! the product's own verifier before it is written; nothing is overwritten.

use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::card::pkcs11::{KeyChoice, KeyRequest, Pkcs11Key};
use crate::card::signing_key::SigningKey;
use crate::card::{CardError, CnsSigningKey, Profiles};
use crate::i18n::{cli_text, sign_text as t, Lang};
use crate::sign::{self, accept_signed, check_signer, Mode, SignError, SignerCheck};
use crate::trust::anchors::TrustStore;
use crate::trust::store::Store;
use crate::verify::SignatureReport;

use super::card_cmd::{choose_reader, fail, read_pin};
use super::exit;
use super::extract::{write_new_file, ExtractError};
use crate::batch::read as input;

#[derive(Debug, clap::Args)]
#[command(group = clap::ArgGroup::new("mode").args(["cosign", "countersign", "wrap"]))]
pub struct SignArgs {
    /// The document to sign, or the envelope (.p7m) for --cosign, --countersign, --wrap.
    #[arg(value_name = "FILE")]
    pub file: PathBuf,
    /// Where to write (default FILE.p7m for a new envelope; required for an existing one).
    #[arg(long, value_name = "OUT")]
    pub out: Option<PathBuf>,
    #[command(flatten)]
    pub key: KeySource,
    /// Add a parallel signature to the envelope FILE.
    #[arg(long)]
    pub cosign: bool,
    /// Countersign the signature with this identifier (as `sportello verify` names it: L0.S1).
    #[arg(long, value_name = "ID")]
    pub countersign: Option<String>,
    /// Sign the whole envelope FILE again, as the content of a new one (.p7m.p7m).
    #[arg(long)]
    pub wrap: bool,
    /// Extra trust anchors for the signer's certificate (repeatable).
    #[arg(long, value_name = "PATH")]
    pub trust: Vec<PathBuf>,
    #[arg(long)]
    pub json: bool,
}

/// Where the signing key is: a card in a reader (native driver) or a PKCS#11 token.
#[derive(Debug, clap::Args)]
pub struct KeySource {
    /// The reader holding the card (native driver); default: the only reader with a card.
    #[arg(long, value_name = "NAME", conflicts_with = "module")]
    pub reader: Option<String>,
    /// A PKCS#11 module to reach the key through.
    #[arg(long, value_name = "PATH")]
    pub module: Option<PathBuf>,
    /// The token's label or serial (with --module).
    #[arg(long, value_name = "LABEL", requires = "module")]
    pub token: Option<String>,
    /// The key's CKA_ID in hex (with --module), when the token holds several.
    #[arg(long, value_name = "HEX", requires = "module")]
    pub key_id: Option<String>,
    /// Read the PIN as one line from standard input instead of the terminal.
    #[arg(long)]
    pub pin_stdin: bool,
    /// Allow using the PIN when only one try is left.
    #[arg(long)]
    pub confirm_last_try: bool,
}

impl SignArgs {
    fn mode(&self) -> Mode {
        match (&self.countersign, self.cosign, self.wrap) {
            (Some(id), _, _) => Mode::Countersign(id.clone()),
            (None, true, _) => Mode::Cosign,
            (None, false, true) => Mode::Wrap,
            (None, false, false) => Mode::New,
        }
    }
}

#[derive(Debug, Serialize)]
struct SignOutcome<'a> {
    file: String,
    output: String,
    mode: &'static str,
    signature_id: &'a str,
    signer: &'a SignerCheck,
    verification: &'a SignatureReport,
}

fn mode_name(mode: &Mode) -> &'static str {
    match mode {
        Mode::New => "new",
        Mode::Cosign => "cosign",
        Mode::Countersign(_) => "countersign",
        Mode::Wrap => "wrap",
    }
}

pub(super) fn refuse(e: &SignError, lang: Lang) -> i32 {
    if let SignError::Card(card) = e {
        return fail(card, lang);
    }
    log::error!("sign: {e}");
    eprintln!("{}", t::error(e, lang));
    match e {
        SignError::NotAnEnvelope(_)
        | SignError::Detached
        | SignError::UnknownSignature(_)
        | SignError::NotOutermost(_) => exit::DATA_ERR,
        SignError::SignerRefused(_) | SignError::NotAccepted(_) | SignError::Certificate(_) => {
            exit::FAILED
        }
        SignError::Card(_) => exit::SOFTWARE,
    }
}

pub(super) fn anchors(trust: &[PathBuf], data_dir: &Path, lang: Lang) -> Result<TrustStore, i32> {
    let now = time::OffsetDateTime::now_utc();
    let store = Store::open(data_dir);
    let unreadable = |e: &dyn std::fmt::Display| {
        log::error!("trust store: {e}");
        eprintln!("{}: {e}", cli_text::TRUST_UNREADABLE.get(lang));
        exit::NO_INPUT
    };
    let (mut anchors, _) = store.load(now).map_err(|e| unreadable(&e))?;
    for path in trust {
        store
            .add_trust_path(&mut anchors, path, now)
            .map_err(|e| unreadable(&e))?;
    }
    Ok(anchors)
}

fn output_path(args: &SignArgs, mode: &Mode, lang: Lang) -> Result<PathBuf, i32> {
    let out = match (&args.out, mode) {
        (Some(out), _) => out.clone(),
        (None, Mode::New) => {
            let mut name = args.file.as_os_str().to_os_string();
            name.push(".p7m");
            PathBuf::from(name)
        }
        (None, _) => {
            eprintln!("{}", t::OUT_REQUIRED.get(lang));
            return Err(exit::USAGE);
        }
    };
    if out.exists() {
        eprintln!("{}: {}", t::EXISTS.get(lang), out.display());
        return Err(exit::CANT_CREATE);
    }
    Ok(out)
}

fn show_signer(check: &SignerCheck, lang: Lang) {
    let id = &check.identity;
    let cf = id
        .codice_fiscale
        .as_ref()
        .map(|f| format!(" ({})", f.value))
        .unwrap_or_default();
    eprintln!("{}: {}{cf}", t::SIGNER.get(lang), check.holder());
    eprintln!("  {}: {}", t::ISSUER.get(lang), id.issuer);
    eprintln!("  {}: {}", t::VALID_UNTIL.get(lang), id.not_after);
    let qualified = if check.declared_qualified {
        t::DECLARED_QUALIFIED
    } else {
        t::NOT_QUALIFIED
    };
    eprintln!("  {}", qualified.get(lang));
}

/// Shows who would sign and refuses an expired or untrusted certificate.
fn check_and_show(
    cert_der: &[u8],
    anchors: &TrustStore,
    now: time::OffsetDateTime,
    lang: Lang,
) -> Result<SignerCheck, i32> {
    let check = check_signer(cert_der, anchors, now).map_err(|e| refuse(&e, lang))?;
    show_signer(&check, lang);
    if !check.acceptable() {
        eprintln!("{}", t::REFUSED.get(lang));
        let problems: Vec<String> = check.problems.iter().map(ToString::to_string).collect();
        return Err(refuse(&SignError::SignerRefused(problems.join("; ")), lang));
    }
    Ok(check)
}

/// The key `source` names, the signer shown and checked, the PIN given. Refusals are printed
/// and come back as the exit code.
pub(super) fn open_signing_key(
    source: &KeySource,
    anchors: &TrustStore,
    now: time::OffsetDateTime,
    lang: Lang,
) -> Result<(Box<dyn SigningKey>, SignerCheck), i32> {
    match &source.module {
        Some(module) => open_pkcs11_key(module, source, anchors, now, lang),
        None => open_card_key(source, anchors, now, lang),
    }
}

/// The card in a reader (native driver): its certificate is read and checked before the
/// PIN is asked, so a refused signer costs no try.
fn open_card_key(
    args: &KeySource,
    anchors: &TrustStore,
    now: time::OffsetDateTime,
    lang: Lang,
) -> Result<(Box<dyn SigningKey>, SignerCheck), i32> {
    let profiles = Profiles::load_default().map_err(|e| fail(&CardError::Profile(e), lang))?;
    let reader = choose_reader(&profiles, args.reader.as_deref(), lang)?;
    let mut key = CnsSigningKey::open(&reader, &profiles).map_err(|e| fail(&e, lang))?;
    let check = check_and_show(key.certificate_der(), anchors, now, lang)?;
    let pin = read_pin(args.pin_stdin, lang)?;
    key.unlock(pin, args.confirm_last_try)
        .map_err(|e| fail(&e, lang))?;
    Ok((Box::new(key), check))
}

/// A PKCS#11 token: the key (and so the certificate that goes with it) is found after login,
/// so here the PIN comes first; a refused signer logs out at once, nothing signed.
fn open_pkcs11_key(
    module: &Path,
    args: &KeySource,
    anchors: &TrustStore,
    now: time::OffsetDateTime,
    lang: Lang,
) -> Result<(Box<dyn SigningKey>, SignerCheck), i32> {
    let choice = match &args.key_id {
        Some(text) => match hex::decode(text.trim()) {
            Ok(id) if !id.is_empty() => KeyChoice::Id(id),
            _ => {
                eprintln!("--key-id: {text}");
                return Err(exit::USAGE);
            }
        },
        None => KeyChoice::Signing,
    };
    let request = KeyRequest {
        module,
        token: args.token.as_deref(),
        key: choice,
        pin_rule: None,
        confirm_last_try: args.confirm_last_try,
    };
    let pin = read_pin(args.pin_stdin, lang)?;
    let key = Pkcs11Key::open(&request, &pin).map_err(|e| fail(&e, lang))?;
    drop(pin);
    let check = check_and_show(key.certificate_der(), anchors, now, lang)?;
    Ok((Box::new(key), check))
}

pub fn run(args: &SignArgs, data_dir: &Path, lang: Lang) -> i32 {
    let mode = args.mode();
    let out = match output_path(args, &mode, lang) {
        Ok(o) => o,
        Err(code) => return code,
    };
    let shown = args.file.display().to_string();
    let data = match input::open(&args.file) {
        Ok(d) => d,
        Err(e) => {
            log::error!("cannot open {shown}: {e}");
            eprintln!("{}: {shown} ({e})", cli_text::CANNOT_OPEN.get(lang));
            return exit::NO_INPUT;
        }
    };
    let anchors = match anchors(&args.trust, data_dir, lang) {
        Ok(a) => a,
        Err(code) => return code,
    };
    let now = time::OffsetDateTime::now_utc();
    let (mut key, check) = match open_signing_key(&args.key, &anchors, now, lang) {
        Ok(k) => k,
        Err(code) => return code,
    };
    let signed = match sign::sign(&data, &mode, key.as_mut(), now) {
        Ok(s) => s,
        Err(e) => return refuse(&e, lang),
    };
    drop(key);
    let out_name = out.display().to_string();
    let (_, ours) = match accept_signed(
        &out_name,
        &signed.envelope,
        &signed.signature_id,
        &anchors,
        now,
    ) {
        Ok(r) => r,
        Err(e) => return refuse(&e, lang),
    };
    if let Err(e) = write_new_file(&out, &signed.envelope) {
        log::error!("writing {out_name}: {e}");
        let text = match e {
            ExtractError::Exists(_) => t::EXISTS,
            _ => t::WRITE_FAILED,
        };
        eprintln!("{}: {out_name} ({e})", text.get(lang));
        return exit::CANT_CREATE;
    }
    log::info!(
        "signed {shown} as {} ({}) into {out_name}",
        signed.signature_id,
        mode_name(&mode)
    );
    if args.json {
        let outcome = SignOutcome {
            file: shown,
            output: out_name,
            mode: mode_name(&mode),
            signature_id: &signed.signature_id,
            signer: &check,
            verification: &ours,
        };
        println!(
            "{}",
            serde_json::to_string_pretty(&outcome).unwrap_or_default()
        );
    } else {
        println!("{}", t::VERIFIED.get(lang));
        println!("{}: {}", t::SIGNATURE_ID.get(lang), signed.signature_id);
        println!("{}: {out_name}", t::WRITTEN.get(lang));
    }
    exit::OK
}
