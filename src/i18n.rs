//! Every sentence the user reads, in Italian (default) and English, in one place.

use crate::verify::{Indication, SubIndication};

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
                    format!("Carta non riconosciuta (ATR {atr_hex}): aggiungerne il profilo in card-profiles.")
                } else {
                    format!("Unknown card (ATR {atr_hex}): add its profile to card-profiles.")
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
        }
    }
}
