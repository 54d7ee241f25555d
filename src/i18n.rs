//! Every sentence the user reads, in Italian (default) and English, in one place.

use crate::verify::{Indication, SubIndication};

pub mod check_words;
pub mod desk_words;
pub mod report_words;
pub mod when;
pub use desk_words::Word;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum Lang {
    #[default]
    It,
    En,
}

/// A message with both translations side by side, so they cannot drift apart.
#[derive(Debug, Clone, Copy)]
pub struct Text {
    pub it: &'static str,
    pub en: &'static str,
}

impl Lang {
    /// English when LC_ALL (or, without it, LANG) names an English locale; Italian otherwise.
    pub fn from_locale() -> Lang {
        let locale = std::env::var("LC_ALL")
            .ok()
            .filter(|v| !v.is_empty())
            .or_else(|| std::env::var("LANG").ok())
            .unwrap_or_default();
        if locale.starts_with("en") {
            Lang::En
        } else {
            Lang::It
        }
    }
}

impl Text {
    pub const fn new(it: &'static str, en: &'static str) -> Self {
        Text { it, en }
    }
    pub fn get(&self, lang: Lang) -> &'static str {
        match lang {
            Lang::It => self.it,
            Lang::En => self.en,
        }
    }
}

pub mod verify_text {
    use super::Text;

    pub const FILE: Text = Text::new("File", "File");
    pub const SHA256: Text = Text::new("Impronta SHA-256", "SHA-256");
    pub const ENCODING: Text = Text::new("Formato", "Encoding");
    pub const CONTENT: Text = Text::new("Documento firmato", "Signed document");
    pub const BYTES: Text = Text::new("byte", "bytes");
    pub const LEVEL: Text = Text::new("Busta", "Envelope");
    pub const SIGNATURE: Text = Text::new("Firma", "Signature");
    pub const COUNTERSIGNATURE: Text = Text::new("Controfirma", "Countersignature");
    pub const FIRMA_INTEGRA: Text = Text::new("Firma integra", "Signature intact");
    pub const YES: Text = Text::new("sì", "yes");
    pub const NO: Text = Text::new("no", "no");
    pub const SIGNER: Text = Text::new("Firmatario", "Signer");
    pub const CODICE_FISCALE: Text = Text::new("Codice fiscale", "Codice fiscale");
    pub const CF_INVALID: Text = Text::new("NON VALIDO", "INVALID");
    pub const ISSUER: Text = Text::new("Emesso da", "Issued by");
    pub const SIGNING_TIME: Text = Text::new("Data di firma dichiarata", "Declared signing time");
    pub const SIGNING_TIME_NONE: Text = Text::new("non indicata", "not given");
    pub const CERT_VALIDITY: Text = Text::new("Validità certificato", "Certificate validity");
    pub const OUTCOME: Text = Text::new("Esito", "Outcome");
    pub const OVERALL: Text = Text::new("Esito complessivo", "Overall result");
    pub const WARNINGS: Text = Text::new("Avvisi", "Warnings");
    pub const NOT_CHECKED_YET: Text = Text::new("Non verificati", "Not checked");
    pub const NOT_CHECKED_CHAIN: Text = Text::new("catena di certificazione", "certificate chain");
    pub const NOT_CHECKED_REVOCATION: Text = Text::new("revoca", "revocation");
    pub const NOT_CHECKED_TIMESTAMP: Text = Text::new("marche temporali", "time-stamps");
    pub const NOT_CHECKED_QUALIFIED: Text =
        Text::new("qualificazione del certificato", "qualified status");
    pub const CERT_TRUSTED: Text = Text::new("Certificato attendibile", "Certificate trusted");
    pub const TRUSTED_YES: Text = Text::new("sì", "yes");
    pub const TRUSTED_NO: Text = Text::new(
        "no: non emesso da un certificatore attendibile",
        "no: not issued by a trusted provider",
    );
    pub const TRUSTED_EXPIRED: Text = Text::new(
        "scaduto o non ancora valido alla data di verifica",
        "expired or not yet valid at the validation time",
    );
    pub const CERT_QUALIFIED: Text = Text::new("Certificato qualificato", "Qualified certificate");
    pub const QUALIFIED_YES: Text = Text::new("sì", "yes");
    pub const QUALIFIED_NO: Text = Text::new("no", "no");
    pub const TRUSTED_UNKNOWN: Text = Text::new("non verificato", "not checked");
    pub const VALIDATION_TIME: Text = Text::new("Verifica alla data", "Validated at");
    pub const ASSERTED: Text = Text::new(
        "(data indicata dall'operatore, non provata)",
        "(asserted by the officer, not proven)",
    );
    pub const UNREADABLE: Text = Text::new(
        "File non leggibile come busta firmata",
        "Not readable as a signed envelope",
    );
    pub const TIMESTAMP_TOKENS: Text =
        Text::new("Marche temporali allegate", "Attached time-stamps");
    pub const CHECK_FORMAT: Text = Text::new("formato", "format");
    pub const CHECK_DIGEST: Text = Text::new("impronta del documento", "document digest");
    pub const CHECK_SIGNATURE: Text = Text::new("valore della firma", "signature value");
    pub const CHECK_ATTRIBUTES: Text = Text::new("attributi firmati", "signed attributes");
    pub const CHECK_VALIDITY: Text = Text::new("validità del certificato", "certificate validity");
    pub const CHECK_CRYPTO: Text = Text::new("algoritmi", "algorithms");
    pub const EXTRACTED: Text = Text::new("Documento estratto in", "Document extracted to");
    pub const TRUSTED_EXPIRED_AFTER_PROOF: Text = Text::new(
        "sì: scaduto dopo la data certa della firma",
        "yes: it expired after the proven signing time",
    );
    pub const TIMESTAMP: Text = Text::new("Marca temporale", "Time-stamp");
    pub const TS_PROVEN: Text = Text::new("data certa", "proven time");
    pub const TS_QUALIFIED: Text = Text::new("qualificata", "qualified");
    pub const TS_NOT_QUALIFIED: Text = Text::new(
        "non qualificata, TSA di fiducia dell'ufficio",
        "not qualified, a TSA the office trusts",
    );
    pub const TS_OTHER_SIGNATURE: Text = Text::new(
        "provata da una marca su un'altra firma della busta",
        "proven by a time-stamp on another signature of the envelope",
    );
    pub const TS_NONE: Text = Text::new(
        "nessuna: la data della firma è solo dichiarata",
        "none: the signing time is only declared",
    );
    pub const TS_INVALID: Text = Text::new(
        "presente ma non valida: la data della firma è solo dichiarata",
        "present but not valid: the signing time is only declared",
    );
    pub const REVOCATION: Text = Text::new("Revoca", "Revocation");
    pub const REV_GOOD: Text = Text::new("non revocato", "not revoked");
    pub const REV_REVOKED: Text = Text::new("revocato il", "revoked on");
    pub const REV_UNKNOWN: Text = Text::new("stato non verificabile", "status unknown");
    pub const REV_NOT_ASKED: Text = Text::new(
        "non verificata: nessun dato di revoca consultato",
        "not checked: no revocation data consulted",
    );
    pub const REV_DATA_OF: Text = Text::new("dati del", "data of");
    pub const REV_EMBEDDED: Text = Text::new("dati nella busta", "data in the envelope");
    pub const REV_STORE: Text = Text::new("CRL in archivio", "stored CRL");
    pub const REV_OCSP: Text = Text::new("risposta OCSP", "OCSP response");
    pub const REV_DOWNLOAD: Text = Text::new("CRL scaricata", "downloaded CRL");
}

pub mod cli_text {
    use super::Text;

    pub const CANNOT_OPEN: Text = Text::new("Impossibile aprire il file", "Cannot open the file");
    pub const EXTRACT_EXISTS: Text = Text::new(
        "Estrazione non eseguita: esiste già un file con questo nome (non viene sovrascritto)",
        "Not extracted: a file with this name already exists (never overwritten)",
    );
    pub const TRUST_UNREADABLE: Text = Text::new(
        "Certificati di fiducia non leggibili",
        "Trust anchors cannot be read",
    );
    pub const EXTRACT_FAILED: Text = Text::new("Estrazione non riuscita", "Extraction failed");
    pub const EXTRACT_NOTHING: Text = Text::new(
        "Nessun documento da estrarre (firma senza contenuto o file non leggibile)",
        "No document to extract (detached signature or unreadable file)",
    );
}

pub mod trust_text {
    use super::Text;

    pub const SOURCE_LOTL: Text = Text::new(
        "Fonte della lista delle liste UE",
        "Source of the EU list of lists",
    );
    pub const SOURCE_NATIONAL: Text = Text::new("Fonte della lista", "Source of the list");

    pub const FAILED: Text = Text::new(
        "Operazione sui certificati di fiducia non riuscita",
        "Trust store operation failed",
    );
    pub const IMPORTED: Text = Text::new("Importato", "Imported");
    pub const NO_LISTS: Text = Text::new(
        "Nessuna lista di fiducia importata: usare «sportello trust import».",
        "No trusted list imported: use «sportello trust import».",
    );
    pub const STALE: Text = Text::new("SCADUTA: aggiornare la lista", "STALE: update the list");
    pub const FRESH: Text = Text::new("aggiornata", "up to date");
    pub const ISSUED: Text = Text::new("emessa il", "issued");
    pub const NEXT_UPDATE: Text = Text::new("prossimo aggiornamento", "next update");
    pub const SERVICES: Text = Text::new("servizi", "services");
    pub const ANCHORS: Text = Text::new("Certificati di fiducia", "Trust anchors");
    pub const DAYS_AGO: Text = Text::new("giorni fa", "days ago");
    pub const CRL_STALE: Text = Text::new(
        "SCADUTA: aggiornare la CRL (sportello trust refresh --online)",
        "STALE: update the CRL (sportello trust refresh --online)",
    );
    pub const CRL_ENTRIES: Text = Text::new("certificati revocati", "revoked certificates");
    pub const OUT_OF_DATE: Text = Text::new("Da aggiornare", "Out of date");
    pub const NOTHING_TO_REFRESH: Text = Text::new(
        "Liste e CRL aggiornate: niente da scaricare.",
        "Lists and CRLs are up to date: nothing to fetch.",
    );
    pub const REFRESH_ONLINE_HINT: Text = Text::new(
        "Per scaricarle: sportello trust refresh --online",
        "To fetch them: sportello trust refresh --online",
    );
    pub const NOT_REFRESHED: Text = Text::new("Non aggiornato", "Not refreshed");
}

/// Shown before every result that relies on a list past its next update.
pub fn stale_list_warning(territory: &str, sequence: u64, next_update: &str, lang: Lang) -> String {
    match lang {
        Lang::It => format!(
            "ATTENZIONE: la lista di fiducia {territory} n. {sequence} non è aggiornata (aggiornamento previsto il {}): importare la lista corrente.",
            next_update.get(..10).unwrap_or(next_update)
        ),
        Lang::En => format!(
            "WARNING: the trusted list {territory} #{sequence} is stale (update was due {}): import the current list.",
            next_update.get(..10).unwrap_or(next_update)
        ),
    }
}

/// The Italian desk's word for the overall result.
pub fn outcome_word(indication: Indication, lang: Lang) -> &'static str {
    match indication {
        Indication::TotalPassed => Text::new("VALIDA", "VALID").get(lang),
        Indication::TotalFailed => Text::new("NON VALIDA", "NOT VALID").get(lang),
        Indication::Indeterminate => Text::new("DA VERIFICARE", "TO BE CHECKED").get(lang),
    }
}

/// A plain sentence for each sub-indication, for people who do not read ETSI codes.
pub fn sub_indication_text(sub: SubIndication, lang: Lang) -> &'static str {
    use SubIndication::*;
    let text = match sub {
        FormatFailure => Text::new(
            "la busta non è leggibile o non è conforme al formato",
            "the envelope is unreadable or not well-formed",
        ),
        HashFailure => Text::new(
            "il documento è stato modificato dopo la firma",
            "the document was changed after it was signed",
        ),
        SigCryptoFailure => Text::new(
            "il valore della firma non corrisponde: firma alterata o non valida",
            "the signature value does not verify: altered or invalid signature",
        ),
        Revoked => Text::new("il certificato era revocato al momento della firma", "the certificate was revoked when signing"),
        Expired => Text::new("il certificato era scaduto al momento della firma", "the certificate had expired when signing"),
        NotYetValid => Text::new("il certificato non era ancora valido", "the certificate was not yet valid"),
        NoSigningCertificateFound => Text::new(
            "il certificato del firmatario manca o non corrisponde a quello indicato nella firma",
            "the signer's certificate is missing or does not match the one the signature names",
        ),
        NoCertificateChainFound => Text::new(
            "il certificato non risulta emesso da un certificatore attendibile (catena non verificata)",
            "the certificate is not known to come from a trusted issuer (chain not verified)",
        ),
        OutOfBoundsNoPoe => Text::new(
            "il certificato è scaduto e non c'è prova che la firma sia precedente",
            "the certificate has expired and nothing proves the signature is older",
        ),
        OutOfBoundsNotRevoked => Text::new(
            "il certificato è scaduto (non risulta revocato)",
            "the certificate has expired (not known to be revoked)",
        ),
        RevokedNoPoe => Text::new(
            "il certificato è revocato e non si può stabilire se la firma sia precedente",
            "the certificate is revoked and the signature cannot be shown to be older",
        ),
        CryptoConstraintsFailure | CryptoConstraintsFailureNoPoe => Text::new(
            "algoritmo o lunghezza della chiave non più accettabili",
            "algorithm or key size no longer acceptable",
        ),
        SigConstraintsFailure => Text::new(
            "mancano o sono errati attributi obbligatori della firma",
            "mandatory signature attributes are missing or wrong",
        ),
        ChainConstraintsFailure => Text::new(
            "la catena dei certificati non rispetta i vincoli",
            "the certificate chain breaks its constraints",
        ),
        SignedDataNotFound => Text::new(
            "il documento firmato non è contenuto nella busta (firma separata)",
            "the signed document is not in the envelope (detached signature)",
        ),
        TryLater => Text::new(
            "lo stato di revoca non è stato verificato",
            "the revocation status was not checked",
        ),
    };
    text.get(lang)
}

/// Cards at the counter: `sportello card …`, the login and the TUI.
pub mod card_text {
    use super::{Lang, Text};
    use crate::card::{AuthCheckKind, CardError, ChipVerdict, Verdict};

    pub const READER: Text = Text::new("Lettore", "Reader");
    pub const NO_READERS: Text = Text::new(
        "Nessun lettore di smart card collegato.",
        "No smart card reader connected.",
    );
    pub const EMPTY: Text = Text::new("nessuna carta", "no card");
    pub const UNKNOWN: Text = Text::new("carta non riconosciuta", "unknown card");
    pub const CARD: Text = Text::new("Carta", "Card");
    pub const PROFILE: Text = Text::new("Profilo", "Profile");
    pub const BUILT_IN: Text = Text::new("integrato nel programma", "built into the program");
    pub const REPLACES: Text = Text::new("sostituisce", "replaces");
    pub const PROFILE_FOLDERS: Text = Text::new(
        "Cartelle dei profili dell'ufficio",
        "Office profile folders",
    );
    pub const FOLDER_MISSING: Text = Text::new("non esiste", "does not exist");
    pub const ATR: Text = Text::new("ATR", "ATR");
    pub const SERIAL: Text = Text::new("Numero della carta", "Card number");
    pub const NIS: Text = Text::new(
        "NIS (identificativo per i servizi)",
        "NIS (service identifier)",
    );
    pub const HOLDER: Text = Text::new("Titolare", "Holder");
    pub const CODICE_FISCALE: Text = Text::new("Codice fiscale", "Codice fiscale");
    pub const BIRTH: Text = Text::new("Data di nascita", "Date of birth");
    pub const ISSUED_BY: Text = Text::new("Rilasciata da", "Issued by");
    pub const EXPIRES: Text = Text::new("Scadenza", "Expiry");
    pub const CERTIFICATE: Text = Text::new(
        "Certificato di autenticazione",
        "Authentication certificate",
    );
    pub const CERT_ISSUER: Text = Text::new("Emesso da", "Issued by");
    pub const CERT_VALID_UNTIL: Text = Text::new("Valido fino al", "Valid until");
    pub const CHIP_CHECK: Text = Text::new("Verifica del chip", "Chip check");
    pub const MODULE_NEEDED: Text = Text::new(
        "Questa carta si usa con un modulo PKCS#11, non ancora supportato da questa versione",
        "This card is used through a PKCS#11 module, not yet supported by this version",
    );
    pub const MODULES: Text = Text::new("Moduli possibili", "Candidate modules");
    pub const OUTCOME: Text = Text::new("Esito", "Outcome");
    pub const REASONS: Text = Text::new("Motivi", "Reasons");
    pub const PIN_PROMPT: Text = Text::new("PIN della carta: ", "Card PIN: ");
    pub const CHOOSE_READER: Text = Text::new(
        "Più lettori hanno una carta: indicare quale con --reader",
        "Several readers hold a card: choose one with --reader",
    );
    pub const PIN_UNREADABLE: Text = Text::new("PIN non leggibile", "Cannot read the PIN");
    pub const WATCHING: Text = Text::new(
        "In attesa di lettori e carte (Ctrl-C per terminare)…",
        "Watching readers and cards (Ctrl-C to stop)…",
    );
    pub const READER_ADDED: Text = Text::new("lettore collegato", "reader connected");
    pub const READER_REMOVED: Text = Text::new("lettore scollegato", "reader disconnected");
    pub const CARD_INSERTED: Text = Text::new("carta inserita", "card inserted");
    pub const CARD_REMOVED: Text = Text::new("carta estratta", "card removed");
    pub const PASSED_MARK: Text = Text::new("superato", "passed");
    pub const FAILED_MARK: Text = Text::new("NON superato", "FAILED");

    pub fn verdict(v: Verdict, lang: Lang) -> &'static str {
        match v {
            Verdict::Passed => Text::new("AUTENTICATO", "AUTHENTICATED").get(lang),
            Verdict::Failed => Text::new("NON AUTENTICATO", "NOT AUTHENTICATED").get(lang),
        }
    }

    pub fn chip_verdict(v: ChipVerdict, lang: Lang) -> &'static str {
        match v {
            ChipVerdict::Passed => Text::new("SUPERATA: carta autentica", "PASSED: genuine card"),
            ChipVerdict::Failed => Text::new(
                "NON SUPERATA: carta non autentica o alterata",
                "FAILED: card not genuine or altered",
            ),
            ChipVerdict::Incomplete => Text::new(
                "INCOMPLETA: manca il certificato CSCA per verificare il firmatario del SOD",
                "INCOMPLETE: no CSCA certificate to check the SOD signer",
            ),
        }
        .get(lang)
    }

    pub fn check_name(kind: AuthCheckKind, lang: Lang) -> &'static str {
        match kind {
            AuthCheckKind::CardSignature => Text::new(
                "firma della carta sulla sfida",
                "card's signature of the challenge",
            ),
            AuthCheckKind::CertificatePath => Text::new(
                "certificato emesso da un certificatore attendibile",
                "certificate issued by a trusted provider",
            ),
            AuthCheckKind::CodiceFiscale => Text::new(
                "codice fiscale del certificato uguale a quello della carta",
                "certificate codice fiscale matches the card",
            ),
            AuthCheckKind::CardSerial => Text::new(
                "certificato di questa carta",
                "certificate of this very card",
            ),
        }
        .get(lang)
    }

    /// One sentence for the officer for every card error.
    pub fn error(e: &CardError, lang: Lang) -> String {
        let it = lang == Lang::It;
        match e {
            CardError::PcscUnavailable(_) => {
                if it {
                    "Il servizio delle smart card (pcscd) non è attivo.".into()
                } else {
                    "The smart card service (pcscd) is not running.".into()
                }
            }
            CardError::NoReader(r) if r.is_empty() => NO_READERS.get(lang).into(),
            CardError::NoReader(r) => {
                if it {
                    format!("Lettore «{r}» non trovato.")
                } else {
                    format!("Reader «{r}» not found.")
                }
            }
            CardError::NoCard(r) if r.is_empty() => {
                if it {
                    "Nessuna carta inserita.".into()
                } else {
                    "No card inserted.".into()
                }
            }
            CardError::NoCard(r) => {
                if it {
                    format!("Nessuna carta nel lettore «{r}».")
                } else {
                    format!("No card in reader «{r}».")
                }
            }
            CardError::UnknownCard { atr_hex } => {
                if it {
                    format!("Carta non riconosciuta (ATR {atr_hex}): aggiungerne il profilo nella cartella dell'ufficio ~/.config/sportello/card-profiles.")
                } else {
                    format!("Unknown card (ATR {atr_hex}): add its profile to the office folder ~/.config/sportello/card-profiles.")
                }
            }
            CardError::Pkcs11ModuleNeeded { modules, .. } => format!(
                "{}. {}: {}",
                MODULE_NEEDED.get(lang),
                MODULES.get(lang),
                if modules.is_empty() {
                    "-".to_string()
                } else {
                    modules.join(", ")
                }
            ),
            CardError::WrongPin {
                tries_left: Some(n),
            } => {
                if it {
                    format!("PIN errato: restano {n} tentativi.")
                } else {
                    format!("Wrong PIN: {n} tries left.")
                }
            }
            CardError::WrongPin { tries_left: None } => {
                if it {
                    "PIN errato.".into()
                } else {
                    "Wrong PIN.".into()
                }
            }
            CardError::PinBlocked => {
                if it {
                    "PIN bloccato: il titolare deve sbloccarlo con il PUK. Nessun PIN è stato inviato.".into()
                } else {
                    "PIN blocked: the holder must unblock it with the PUK. No PIN was sent.".into()
                }
            }
            CardError::LastTryNeedsConfirmation => {
                if it {
                    "Resta un solo tentativo per il PIN: ripetere confermando (--confirm-last-try). Un errore bloccherebbe la carta.".into()
                } else {
                    "One PIN try is left: repeat with confirmation (--confirm-last-try). A mistake would block the card.".into()
                }
            }
            CardError::PinFormat { min, max } => {
                if it {
                    format!("Il PIN deve avere da {min} a {max} cifre.")
                } else {
                    format!("The PIN must be {min} to {max} digits.")
                }
            }
            CardError::CardRemoved => {
                if it {
                    "La carta è stata estratta durante l'operazione: reinserirla e ripetere.".into()
                } else {
                    "The card was removed during the operation: insert it again and repeat.".into()
                }
            }
            CardError::Transport(d) => {
                if it {
                    format!("Errore di comunicazione con la carta ({d}).")
                } else {
                    format!("Card communication error ({d}).")
                }
            }
            CardError::CardStatus(sw, what) => {
                if it {
                    format!("La carta ha rifiutato l'operazione (codice {sw:04X}, {what}).")
                } else {
                    format!("The card refused the operation (status {sw:04X}, {what}).")
                }
            }
            CardError::Malformed(d) => {
                if it {
                    format!("Dati della carta non validi ({d}).")
                } else {
                    format!("Invalid card data ({d}).")
                }
            }
            CardError::Untrusted(d) => {
                if it {
                    format!("Il certificato della carta non è emesso da un certificatore attendibile ({d}).")
                } else {
                    format!("The card's certificate is not from a trusted provider ({d}).")
                }
            }
            CardError::CfMismatch {
                certificate,
                personal_data,
            } => {
                if it {
                    format!("Il codice fiscale del certificato ({certificate}) non corrisponde a quello della carta ({personal_data}).")
                } else {
                    format!("The certificate's codice fiscale ({certificate}) does not match the card's ({personal_data}).")
                }
            }
            CardError::AuthenticationFailed(d) => {
                if it {
                    format!("Autenticazione non riuscita ({d}).")
                } else {
                    format!("Authentication failed ({d}).")
                }
            }
            CardError::Profile(p) => {
                if it {
                    format!("Profilo carta non valido: {p}")
                } else {
                    format!("Invalid card profile: {p}")
                }
            }
            CardError::Cancelled => {
                if it {
                    "Operazione annullata.".into()
                } else {
                    "Cancelled.".into()
                }
            }
            CardError::Pkcs11Module { module, reason } => {
                if it {
                    format!("Il modulo PKCS#11 {module} non si carica ({reason}).")
                } else {
                    format!("The PKCS#11 module {module} does not load ({reason}).")
                }
            }
            CardError::Pkcs11Failure {
                module,
                operation,
                reason,
            } => {
                if it {
                    format!("Il modulo PKCS#11 {module} ha rifiutato l'operazione ({operation}: {reason}).")
                } else {
                    format!("The PKCS#11 module {module} refused the operation ({operation}: {reason}).")
                }
            }
            CardError::TokenNotFound { module, token } if token.is_empty() => {
                if it {
                    format!("Nessun token presente per il modulo {module}: inserire la carta o il token.")
                } else {
                    format!("No token present for module {module}: insert the card or token.")
                }
            }
            CardError::TokenNotFound { module, token } => {
                if it {
                    format!("Nessun token «{token}» per il modulo {module}.")
                } else {
                    format!("No token «{token}» for module {module}.")
                }
            }
            CardError::TokenAmbiguous { tokens, .. } => {
                if it {
                    format!(
                        "Sono presenti più token ({}): indicare quale con --token.",
                        tokens.join(", ")
                    )
                } else {
                    format!(
                        "Several tokens are present ({}): choose one with --token.",
                        tokens.join(", ")
                    )
                }
            }
            CardError::NoKey { token, what } => {
                if it {
                    format!("Il token «{token}» non ha una chiave utilizzabile ({what}).")
                } else {
                    format!("Token «{token}» has no usable key ({what}).")
                }
            }
            CardError::CiePinFormat => {
                if it {
                    "Per la CIE con il modulo PKCS#11 si digitano solo le ultime 4 cifre del PIN \
                     (il PIN completo ha 8 cifre). Il PIN non è stato inviato alla carta: un PIN \
                     di altra lunghezza consumerebbe un tentativo."
                        .into()
                } else {
                    "For the CIE through the PKCS#11 module type only the last 4 digits of the PIN \
                     (the full PIN has 8 digits). The PIN was not sent to the card: a PIN of another \
                     length would cost a try."
                        .into()
                }
            }
        }
    }
}

/// The terminal UI's words: screens, keys, card and desk messages.
pub mod tui_text {
    use super::Text;

    // Screens and menu.
    pub const HOME_TITLE: Text = Text::new("Inizio", "Home");
    pub const MENU_TITLE: Text = Text::new("Menu", "Menu");
    pub const MENU_LOGIN: Text = Text::new("Accedi con la carta", "Log in with the card");
    pub const MENU_VERIFY: Text = Text::new("Verifica un file firmato", "Verify a signed file");
    pub const MENU_COMPANIES: Text = Text::new("Aziende", "Companies");
    pub const MENU_NOMINATIONS: Text = Text::new("Richieste di nomina", "Nominations");
    pub const MENU_GRANTS: Text = Text::new("Abilitazioni", "Grants");
    pub const MENU_AUDIT: Text = Text::new("Registro delle operazioni", "Audit log");
    pub const MENU_TRUST: Text = Text::new("Certificati di fiducia", "Trust store");
    pub const MENU_LOGOUT: Text = Text::new("Esci dalla sessione", "Log out");
    pub const STATUS_TITLE: Text = Text::new("Stato dello sportello", "Desk status");
    pub const LOGIN_TITLE: Text = Text::new("Accesso con la carta", "Card login");
    pub const VERIFY_TITLE: Text = Text::new("Verifica firma", "Verify signature");
    pub const COMPANIES_TITLE: Text = Text::new("Aziende", "Companies");
    pub const GRANTS_PICK_TITLE: Text = Text::new(
        "Abilitazioni: scegliere l'azienda",
        "Grants: choose the company",
    );
    pub const NOMINATIONS_TITLE: Text = Text::new(
        "Richieste di nomina amministratore",
        "Administrator nominations",
    );
    pub const AUDIT_TITLE: Text = Text::new("Registro delle operazioni", "Audit log");
    pub const TRUST_TITLE: Text = Text::new("Certificati di fiducia", "Trust store");
    pub const NEW_COMPANY: Text = Text::new("Nuova azienda", "New company");
    pub const EDIT_COMPANY: Text = Text::new("Modifica azienda", "Edit company");
    pub const HELP_TITLE: Text = Text::new("Tasti", "Keys");
    pub const HELP_EVERYWHERE: Text = Text::new("Ovunque", "Everywhere");

    // Keys.
    pub const KEY_HELP: Text = Text::new("aiuto", "help");
    pub const KEY_QUIT: Text = Text::new("esci", "quit");
    pub const KEY_QUIT_HOME: Text =
        Text::new("esci (dalla schermata iniziale)", "quit (from home)");
    pub const KEY_BACK: Text = Text::new("indietro", "back");
    pub const KEY_OPEN: Text = Text::new("apri", "open");
    pub const KEY_SHORTCUT: Text = Text::new("scelta rapida", "shortcut");
    pub const KEY_MOVE: Text = Text::new("scorri", "move");
    pub const KEY_CHOOSE: Text = Text::new("scegli", "choose");
    pub const KEY_PARENT: Text = Text::new("cartella superiore", "parent folder");
    pub const KEY_EXTRACT: Text = Text::new("estrai documento", "extract document");
    pub const KEY_AT_DATE: Text = Text::new("verifica alla data", "verify at a date");
    pub const KEY_OTHER_FILE: Text = Text::new("altro file", "other file");
    pub const KEY_PIN: Text = Text::new("PIN", "PIN");
    pub const KEY_LOGIN: Text = Text::new("accedi", "log in");
    pub const KEY_DELETE: Text = Text::new("cancella una cifra", "delete a digit");
    pub const KEY_NEXT_READER: Text = Text::new("altro lettore", "next reader");
    pub const KEY_SEARCH: Text = Text::new("cerca", "search");
    pub const KEY_NEW_COMPANY: Text = Text::new("nuova azienda", "new company");
    pub const KEY_CLEAR: Text = Text::new("svuota il campo", "clear the field");
    pub const KEY_EDIT: Text = Text::new("modifica", "edit");
    pub const KEY_ADD_UNIT: Text = Text::new("nuova unità", "add unit");
    pub const KEY_ADD_REP: Text = Text::new("legale rappr.", "legal rep.");
    pub const KEY_GRANTS: Text = Text::new("abilitazioni", "grants");
    pub const KEY_FIELD: Text = Text::new("campo", "field");
    pub const KEY_SAVE: Text = Text::new("salva", "save");
    pub const KEY_SAVE_LAST: Text =
        Text::new("salva (dall'ultimo campo)", "save (from the last field)");
    pub const KEY_CANCEL: Text = Text::new("annulla", "cancel");
    pub const KEY_FILTER: Text = Text::new("filtro stato", "state filter");
    pub const KEY_APPROVE: Text = Text::new("approva", "approve");
    pub const KEY_REJECT: Text = Text::new("respingi", "reject");
    pub const KEY_ADD_GRANT: Text = Text::new("nuova", "add");
    pub const KEY_REVOKE: Text = Text::new("revoca", "revoke");
    pub const KEY_SUSPEND: Text = Text::new("sospendi", "suspend");
    pub const KEY_END_DATE: Text = Text::new("fine rapporto", "end date");
    pub const KEY_MORE: Text = Text::new("altre righe", "more rows");
    pub const KEY_VERIFY_AGAIN: Text = Text::new("riverifica", "verify again");
    pub const KEY_RELOAD: Text = Text::new("ricarica", "reload");
    pub const PROMPT_KEYS: Text = Text::new(
        "Invio conferma · Esc annulla",
        "Enter confirms · Esc cancels",
    );
    pub const CONFIRM_KEYS: Text = Text::new("[S]ì / [N]o", "[Y]es / [N]o");
    pub const CONFIRM_TITLE: Text = Text::new("Conferma", "Confirm");

    // Home.
    pub const READERS: Text = Text::new("Lettori e carte", "Readers and cards");
    pub const READERS_LOOKING: Text = Text::new("ricerca dei lettori…", "looking for readers…");
    pub const NO_READERS: Text = Text::new("Nessun lettore collegato.", "No reader connected.");
    pub const NO_READER: Text = Text::new("Lettore non trovato", "Reader not found");
    pub const NO_CARD: Text = Text::new("nessuna carta", "no card");
    pub const READERS_WITHOUT_CARD: Text =
        Text::new("Lettori senza carta:", "Readers without a card:");
    pub const CARD_PRESENT: Text = Text::new("carta inserita", "card inserted");
    pub const CARD_UNKNOWN: Text = Text::new("carta non riconosciuta", "unknown card");
    pub const OFFICER: Text = Text::new("Operatore", "Officer");
    pub const NOT_LOGGED_IN: Text = Text::new("Nessun operatore collegato", "No officer logged in");
    pub const SESSION_UNTIL: Text = Text::new("sessione fino alle", "session until");
    pub const DESK_WORK: Text = Text::new("Pratiche", "Desk work");
    pub const PENDING_NOMINATIONS: Text = Text::new(
        "Richieste in attesa di approvazione",
        "Nominations awaiting approval",
    );
    pub const OVERDUE_REVOCATIONS: Text = Text::new(
        "Revoche in ritardo (oltre 5 giorni)",
        "Overdue revocations (over 5 days)",
    );
    pub const COMPANIES_REGISTERED: Text = Text::new("Aziende registrate", "Registered companies");
    pub const TRUST_LISTS: Text = Text::new("Liste di fiducia", "Trusted lists");
    pub const TRUST_NO_LISTS: Text = Text::new(
        "nessuna lista di fiducia importata",
        "no trusted list imported",
    );
    pub const ANCHORS_WORD: Text = Text::new("certificati", "anchors");
    pub const STALE: Text = Text::new("SCADUTA", "STALE");
    pub const FRESH: Text = Text::new("aggiornata", "up to date");
    pub const NEXT_UPDATE: Text = Text::new("prossimo aggiornamento", "next update");
    pub const LOADING: Text = Text::new("lettura…", "reading…");
    pub const LOGGED_OUT: Text = Text::new("Sessione chiusa.", "Logged out.");

    // Login and card messages.
    pub const INSERT_CARD: Text = Text::new(
        "Inserire la carta dell'operatore (CNS o CIE)",
        "Insert the officer's card (CNS or CIE)",
    );
    pub const TRIES_LEFT: Text = Text::new("Tentativi PIN rimasti", "PIN tries left");
    pub const AUTHENTICATING: Text = Text::new(
        "Verifica del PIN e autenticazione in corso…",
        "Checking the PIN and authenticating…",
    );
    pub const LOGIN_HINT: Text = Text::new(
        "Il PIN non viene mai mostrato né registrato. Dopo 3 errori la carta si blocca: serve il PUK.",
        "The PIN is never shown or recorded. After 3 mistakes the card blocks: the PUK is needed.",
    );
    pub const WRONG_PIN: Text =
        Text::new("PIN errato. Tentativi rimasti:", "Wrong PIN. Tries left:");
    pub const WRONG_PIN_NO_COUNT: Text = Text::new("PIN errato.", "Wrong PIN.");
    pub const PIN_BLOCKED: Text = Text::new(
        "PIN BLOCCATO: sbloccare la carta con il PUK presso l'ente emittente.",
        "PIN BLOCKED: unblock the card with the PUK at the issuer.",
    );
    pub const LAST_TRY: Text = Text::new(
        "Resta UN SOLO tentativo: se il PIN è sbagliato la carta si blocca. Procedere?",
        "ONE try left: a wrong PIN blocks the card. Go ahead?",
    );
    pub const PIN_FORMAT: Text = Text::new(
        "Il PIN deve avere da 5 a 8 cifre.",
        "The PIN must have 5 to 8 digits.",
    );
    pub const CARD_REMOVED: Text = Text::new(
        "La carta è stata rimossa: reinserirla.",
        "The card was removed: insert it again.",
    );
    pub const CARD_UNKNOWN_LONG: Text = Text::new(
        "Carta non riconosciuta: non è una CNS o CIE tra quelle configurate",
        "Unknown card: not a configured CNS or CIE",
    );
    pub const CARD_UNTRUSTED: Text = Text::new(
        "Carta non attendibile: il certificato non è emesso da un certificatore fidato",
        "Untrusted card: its certificate is not from a trusted issuer",
    );
    pub const CARD_UNAVAILABLE: Text = Text::new(
        "Lettura delle carte non disponibile in questa installazione.",
        "Card reading is not available in this installation.",
    );
    pub const CARD_ERROR: Text = Text::new("Errore della carta", "Card error");

    // Verify.
    pub const PICK_FILE: Text = Text::new("Scegliere il file", "Choose the file");
    pub const PICK_HINT: Text = Text::new(
        "In verde i file firmati (.p7m .p7s .m7m .tsd .tsr). Invio apre la cartella o verifica il file.",
        "Signed files (.p7m .p7s .m7m .tsd .tsr) in green. Enter opens the folder or verifies the file.",
    );
    pub const VERIFYING: Text = Text::new("Verifica in corso:", "Verifying:");
    pub const TREE: Text = Text::new("Buste e firme", "Envelopes and signatures");
    pub const DETAILS: Text = Text::new("Dettagli", "Details");
    pub const NO_CONTENT: Text = Text::new(
        "Nessun documento contenuto (firma separata o file illeggibile)",
        "No document inside (detached or unreadable)",
    );
    pub const EXTRACT_TITLE: Text = Text::new(
        "Estrai il documento nella cartella",
        "Extract the document into the folder",
    );
    pub const EXTRACT_HINT: Text = Text::new(
        "Un file esistente non viene mai sovrascritto.",
        "An existing file is never overwritten.",
    );
    pub const AT_DATE_TITLE: Text = Text::new("Verifica alla data", "Verify at a date");
    pub const AT_DATE_HINT: Text = Text::new(
        "AAAA-MM-GG (fine del giorno, UTC) o data e ora RFC 3339. La data è dichiarata dall'operatore, non provata.",
        "YYYY-MM-DD (end of day, UTC) or an RFC 3339 time. The date is asserted by the officer, not proven.",
    );
    pub const BAD_DATE: Text = Text::new(
        "Data non valida: usare AAAA-MM-GG.",
        "Invalid date: use YYYY-MM-DD.",
    );
    pub const ALGORITHMS: Text = Text::new("Algoritmi", "Algorithms");
    pub const CHECKS: Text = Text::new("Controlli", "Checks");
    pub const CHECK_CHAIN: Text = Text::new("catena di certificazione", "certificate chain");
    pub const CHECK_REVOCATION: Text = Text::new("revoca", "revocation");
    pub const CHECK_TIMESTAMP: Text = Text::new("marca temporale", "time-stamp");
    pub const CHECK_QUALIFIED: Text = Text::new("qualificazione", "qualified status");
    pub const CHECK_PASSED: Text = Text::new("OK", "OK");
    pub const CHECK_FAILED: Text = Text::new("ERRATO", "FAILED");
    pub const CHECK_WARNING: Text = Text::new("AVVISO", "WARNING");
    pub const CHECK_NOT_CHECKED: Text = Text::new("NON FATTO", "NOT DONE");
    pub const CHECK_INDETERMINATE: Text = Text::new("INCERTO", "UNSURE");
    pub const CONTENT_TYPE: Text = Text::new("Tipo di contenuto", "Content type");
    pub const SIGNERS: Text = Text::new("Firmatari", "Signers");
    pub const DETACHED: Text = Text::new(
        "Firma separata: il documento non è nella busta",
        "Detached: the document is not in the envelope",
    );

    // Companies.
    pub const SEARCH_COMPANY: Text = Text::new(
        "Cerca per ragione sociale o codice fiscale",
        "Search by name or codice fiscale",
    );
    pub const SHOWN: Text = Text::new("mostrate", "shown");
    pub const NO_MATCH: Text = Text::new("Nessuna azienda corrisponde.", "No company matches.");
    pub const COMPANY: Text = Text::new("Azienda", "Company");
    pub const CF: Text = Text::new("Codice fiscale", "Codice fiscale");
    pub const COMPANY_NAME: Text = Text::new("Ragione sociale", "Company name");
    pub const OFFICE: Text = Text::new("Sede legale", "Registered office");
    pub const PEC: Text = Text::new("PEC", "PEC");
    pub const KINDS: Text = Text::new("Tipologie", "Kinds");
    pub const KINDS_FIELD: Text = Text::new(
        "Tipologie (codici separati da virgola; codice=albo per i soggetti abilitati)",
        "Kinds (codes separated by commas; code=register for soggetti abilitati)",
    );
    pub const KIND_CODES: Text = Text::new("Codici delle tipologie", "Kind codes");
    pub const KIND_STAR: Text = Text::new(
        "* soggetto abilitato: indicare gli estremi dell'albo",
        "* soggetto abilitato: give the register details",
    );
    pub const UNITS: Text = Text::new("Unità organizzative", "Units");
    pub const REPRESENTATIVES: Text = Text::new(
        "Legali rappresentanti e procuratori",
        "Legal representatives and procuratori",
    );
    pub const ADMINISTRATORS: Text = Text::new("Amministratori", "Administrators");
    pub const GRANTS: Text = Text::new("Abilitazioni", "Grants");
    pub const WHOLE_COMPANY: Text = Text::new("intera azienda", "whole company");
    pub const NOT_FOUND: Text = Text::new("Non trovato.", "Not found.");
    pub const CF_NEVER_CHANGES: Text = Text::new(
        "Il codice fiscale di un'azienda non cambia mai.",
        "A company's codice fiscale never changes.",
    );
    pub const NEEDS_LOGIN: Text = Text::new(
        "Per salvare serve una sessione aperta con la carta dell'operatore.",
        "Saving needs a session opened with the officer's card.",
    );
    pub const ADD_UNIT_TITLE: Text = Text::new("Nuova unità organizzativa", "New unit");
    pub const ADD_UNIT_HINT: Text = Text::new(
        "Le unità non si cancellano: la loro storia resta.",
        "Units are never deleted: their history stays.",
    );
    pub const ADD_REP_TITLE: Text =
        Text::new("Nuovo legale rappresentante", "New legal representative");
    pub const ADD_REP_HINT: Text = Text::new(
        "Codice fiscale di una persona già registrata.",
        "Codice fiscale of a registered person.",
    );
    pub const DONE: Text = Text::new("Fatto.", "Done.");

    // Nominations.
    pub const NOMINATION: Text = Text::new("Richiesta", "Nomination");
    pub const STATE: Text = Text::new("Stato", "State");
    pub const ADMINISTRATOR: Text = Text::new("Amministratore", "Administrator");
    pub const SUBMITTED: Text = Text::new("Presentata", "Submitted");
    pub const FILTER_PENDING: Text = Text::new("In attesa", "Pending");
    pub const FILTER_ALL: Text = Text::new("Tutte", "All");
    pub const FILTER_APPROVED: Text = Text::new("Approvate", "Approved");
    pub const FILTER_REJECTED: Text = Text::new("Respinte", "Rejected");
    pub const FORM_VERDICT: Text = Text::new("Modulo di delega", "Delegation form");
    pub const TO_CHECK_WHAT: Text = Text::new("Cosa fare", "What to do");
    pub const SIGNED_BY: Text = Text::new("firmato da", "signed by");
    pub const NOT_A_REPRESENTATIVE: Text = Text::new(
        "✗ NON è legale rappresentante",
        "✗ NOT a legal representative",
    );
    pub const UNSIGNED_FORM: Text = Text::new(
        "Modulo non firmato digitalmente: servono i documenti di identità.",
        "Form not digitally signed: identity documents are needed.",
    );
    pub const DOCUMENTS: Text = Text::new("Documenti", "Documents");
    pub const EXPIRES: Text = Text::new("scade il", "expires");
    pub const APPROVED: Text = Text::new("Richiesta approvata.", "Nomination approved.");
    pub const REJECTED: Text = Text::new("Richiesta respinta.", "Nomination rejected.");
    pub const CONFIRM_INDETERMINATE: Text = Text::new(
        "La verifica della firma è DA VERIFICARE: approvare comunque? La conferma viene registrata",
        "The signature verdict is TO BE CHECKED: approve anyway? The confirmation is recorded",
    );
    pub const REJECT_TITLE: Text = Text::new("Respingi la richiesta", "Reject the nomination");
    pub const REJECT_HINT: Text = Text::new(
        "Motivazione (obbligatoria, comunicata al richiedente).",
        "Reason (required, sent to the applicant).",
    );

    // Grants.
    pub const COLLABORATOR: Text = Text::new("Collaboratore", "Collaborator");
    pub const PROFILE: Text = Text::new("Profilo", "Profile");
    pub const UNIT: Text = Text::new("Unità", "Unit");
    pub const RELATIONSHIP_END: Text = Text::new("Fine rapporto", "Relationship end");
    pub const OVERDUE: Text = Text::new("IN RITARDO", "OVERDUE");
    pub const ADD_GRANT_TITLE: Text = Text::new("Nuova abilitazione", "New grant");
    pub const COLLABORATOR_CF: Text = Text::new(
        "Codice fiscale del collaboratore (cittadino registrato)",
        "Collaborator's codice fiscale (registered citizen)",
    );
    pub const PROFILES_ALLOWED_BY_KINDS: Text = Text::new(
        "profili consentiti dalle tipologie dell'azienda",
        "profiles the company's kinds allow",
    );
    pub const LEVEL: Text = Text::new("Livello", "Level");
    pub const ONLY_LEVEL: Text = Text::new(
        "l'unico per questo profilo",
        "the only one for this profile",
    );
    pub const KEY_ADD_PROCURATORE: Text = Text::new("procuratore", "procuratore");
    pub const ADD_PROCURATORE_TITLE: Text = Text::new("Nuovo procuratore", "New procuratore");
    pub const PROCURATORE_CF: Text = Text::new(
        "Codice fiscale del procuratore (persona già registrata)",
        "The procuratore's codice fiscale (a registered person)",
    );
    pub const PROCURA_FILE: Text = Text::new(
        "File della procura (percorso: .pdf .p7m .jpg .png)",
        "The procura's file (path: .pdf .p7m .jpg .png)",
    );
    pub const PROCURA_UNREADABLE: Text = Text::new(
        "File della procura non leggibile",
        "Cannot read the procura's file",
    );
    pub const REVOKE_TITLE: Text = Text::new("Revoca l'abilitazione", "Revoke the grant");
    pub const SUSPEND_TITLE: Text = Text::new("Sospendi l'abilitazione", "Suspend the grant");
    pub const REASON_HINT: Text = Text::new("Motivazione (obbligatoria).", "Reason (required).");
    pub const END_TITLE: Text = Text::new(
        "Fine del rapporto di lavoro",
        "End of the working relationship",
    );
    pub const DATE_HINT: Text = Text::new(
        "AAAA-MM-GG: la revoca va fatta entro 5 giorni.",
        "YYYY-MM-DD: revoke within 5 days.",
    );

    // Audit and trust.
    pub const AUDIT_CHECKING: Text = Text::new(
        "Verifica della catena del registro in corso…",
        "Checking the audit chain…",
    );
    pub const WHEN: Text = Text::new("Quando", "When");
    pub const ACTION: Text = Text::new("Operazione", "Action");
    pub const ENTITY: Text = Text::new("Oggetto", "Entity");
    pub const HASH: Text = Text::new("impronta", "hash");
    pub const TERRITORY: Text = Text::new("Paese", "Territory");
    pub const TRUST_STALE_HINT: Text = Text::new(
        "Una lista è SCADUTA: le verifiche che la usano lo segnalano. Importare la lista corrente.",
        "A list is STALE: verifications relying on it say so. Import the current list.",
    );
    pub const DATA_DIR: Text = Text::new("Cartella dei dati:", "Data folder:");
    pub const CANNOT_OPEN_DB: Text =
        Text::new("Impossibile aprire l'archivio", "Cannot open the database");
}

/// `sportello sign` and signing at the desk.
pub mod sign_text {
    use super::{Lang, Text};
    use crate::sign::SignError;

    pub const SIGNER: Text = Text::new("Firmerà", "Signing as");
    pub const ISSUER: Text = Text::new("Certificato emesso da", "Certificate issued by");
    pub const VALID_UNTIL: Text = Text::new("Valido fino al", "Valid until");
    pub const DECLARED_QUALIFIED: Text = Text::new(
        "Il certificato si dichiara qualificato (firma qualificata)",
        "The certificate declares itself qualified (qualified signature)",
    );
    pub const NOT_QUALIFIED: Text = Text::new(
        "Certificato non qualificato: firma elettronica avanzata, non qualificata",
        "Not a qualified certificate: an advanced, not a qualified, electronic signature",
    );
    pub const REFUSED: Text = Text::new(
        "Firma rifiutata prima di chiedere il PIN",
        "Signing refused before asking for the PIN",
    );
    pub const WRITTEN: Text =
        Text::new("Documento firmato scritto in", "Signed document written to");
    pub const SIGNATURE_ID: Text = Text::new("Nuova firma", "New signature");
    pub const VERIFIED: Text = Text::new(
        "Verificata prima della scrittura: firma integra, certificato attendibile e valido",
        "Verified before writing: signature intact, certificate trusted and valid",
    );
    pub const OUT_REQUIRED: Text = Text::new(
        "Per una busta già firmata indicare il file di uscita con --out",
        "For an envelope that is already signed, give the output file with --out",
    );
    pub const EXISTS: Text = Text::new(
        "Il file di uscita esiste già: non viene sovrascritto",
        "The output file already exists: it is not overwritten",
    );
    pub const WRITE_FAILED: Text = Text::new("Scrittura non riuscita", "Writing failed");
    pub const FORM_PREPARED: Text =
        Text::new("Modulo di delega preparato", "Delegation form prepared");
    pub const PAGES: Text = Text::new("pagine", "pages");
    pub const NOMINATION_SUBMITTED: Text = Text::new(
        "Modulo firmato allo sportello, verificato e allegato alla richiesta (nessun documento d'identità richiesto)",
        "Form signed at the counter, verified and attached to the request (no identity document needed)",
    );

    pub fn error(e: &SignError, lang: Lang) -> String {
        let it = lang == Lang::It;
        match e {
            SignError::Card(card) => super::card_text::error(card, lang),
            SignError::Certificate(d) => {
                if it {
                    format!("Il certificato del firmatario non è utilizzabile ({d}).")
                } else {
                    format!("The signer certificate cannot be used ({d}).")
                }
            }
            SignError::NotAnEnvelope(d) => {
                if it {
                    format!("Il file non è una busta firmata leggibile (.p7m binaria): {d}.")
                } else {
                    format!("The file is not a readable signed envelope (binary .p7m): {d}.")
                }
            }
            SignError::Detached => {
                if it {
                    "La busta non contiene il documento (firma separata): non si può aggiungere una firma parallela.".into()
                } else {
                    "The envelope does not contain the document (detached signature): no parallel signature can be added.".into()
                }
            }
            SignError::UnknownSignature(id) => {
                if it {
                    format!("Nella busta non c'è la firma {id} (gli identificativi sono come L0.S1, vedi «sportello verify»).")
                } else {
                    format!("There is no signature {id} in the envelope (identifiers look like L0.S1, see «sportello verify»).")
                }
            }
            SignError::NotOutermost(id) => {
                if it {
                    format!("La firma {id} è in una busta interna: si possono controfirmare solo le firme della busta esterna.")
                } else {
                    format!("Signature {id} is in an inner envelope: only the outer envelope's signatures can be countersigned.")
                }
            }
            SignError::SignerRefused(d) => {
                if it {
                    format!("Firma rifiutata: {d}. Una firma con questo certificato non sarebbe accettata dall'ufficio.")
                } else {
                    format!("Signing refused: {d}. A signature with this certificate would not be accepted by the office.")
                }
            }
            SignError::NotAccepted(d) => {
                if it {
                    format!(
                        "Il documento firmato non supera la verifica e non è stato scritto ({d})."
                    )
                } else {
                    format!("The signed document fails verification and was not written ({d}).")
                }
            }
        }
    }
}
pub mod report_text;
