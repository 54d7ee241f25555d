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
    pub const NOT_CHECKED_YET: Text = Text::new(
        "Non ancora verificati: catena di certificazione, revoca, marche temporali, qualificazione del certificato.",
        "Not checked yet: certificate chain, revocation, time-stamps, qualified status.",
    );
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
