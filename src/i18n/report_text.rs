//! Sentences of the batch run, the report files and the printed report (issue 12).

use super::Text;

pub const SUMMARY: Text = Text::new("Riepilogo", "Summary");
pub const FILES_VERIFIED: Text = Text::new("file verificati", "files verified");
pub const COUNT_VALID: Text = Text::new("validi", "valid");
pub const COUNT_INVALID: Text = Text::new("non validi", "not valid");
pub const COUNT_TO_CHECK: Text = Text::new("da verificare", "to be checked");
pub const COUNT_UNREADABLE: Text = Text::new("illeggibili", "unreadable");
pub const NOT_VALID_FILES: Text = Text::new("File non validi", "Files not valid");
pub const INTERRUPTED: Text = Text::new(
    "Interrotto: i file già verificati sono nel rapporto",
    "Interrupted: the files already verified are in the report",
);
pub const REPORT_EXISTS: Text = Text::new(
    "Il rapporto esiste già (non viene sovrascritto; usare --force)",
    "The report already exists (not overwritten; use --force)",
);
pub const REPORT_FORMAT: Text = Text::new(
    "Formato del rapporto non riconosciuto: usare .json, .csv o .pdf",
    "Unknown report format: use .json, .csv or .pdf",
);
pub const REPORT_WRITTEN: Text = Text::new("Rapporto scritto in", "Report written to");
pub const REPORT_FAILED: Text = Text::new(
    "Impossibile scrivere il rapporto",
    "Cannot write the report",
);

// The printed report.
pub const PDF_TITLE: Text = Text::new(
    "Rapporto di verifica delle firme digitali",
    "Digital signature verification report",
);
pub const PDF_FOOTER: Text = Text::new(
    "sportello · rapporto di verifica",
    "sportello · verification report",
);
pub const PDF_GENERATED: Text = Text::new("Redatto il", "Produced on");
pub const PDF_FILES: Text = Text::new("File esaminati", "Files examined");
pub const PDF_FILE_SECTION: Text = Text::new("File", "File");
pub const PDF_NAME: Text = Text::new("Nome del file", "File name");
pub const PDF_SIZE: Text = Text::new("Dimensione", "Size");
pub const PDF_VALIDATION_TIME: Text = Text::new("Data della verifica", "Verification time");
pub const PDF_ASSERTED: Text = Text::new(
    "indicata dall'operatore (non provata)",
    "asserted by the officer (not proven)",
);
pub const PDF_CURRENT: Text = Text::new("ora corrente", "current time");
pub const PDF_TIMESTAMP: Text = Text::new("Marca temporale", "Time-stamp");
pub const PDF_NO_TIMESTAMP: Text = Text::new("nessuna", "none");
pub const PDF_SIGNATURES: Text = Text::new("Firme", "Signatures");
pub const PDF_NO_SIGNATURES: Text = Text::new("Nessuna firma leggibile.", "No readable signature.");
pub const PDF_ALGORITHMS: Text = Text::new("Algoritmi", "Algorithms");
pub const PDF_REASON: Text = Text::new("Motivo", "Reason");
pub const PDF_TRUST_LISTS: Text = Text::new("Elenco di fiducia usato", "Trusted list used");
pub const PDF_NO_TRUST_LIST: Text = Text::new(
    "Nessun elenco di fiducia importato: l'attendibilità dei certificati non è stata verificata.",
    "No trusted list imported: the certificates' trust was not checked.",
);
pub const PDF_TERRITORY: Text = Text::new("Stato", "Territory");
pub const PDF_SEQUENCE: Text = Text::new("Numero di sequenza", "Sequence number");
pub const PDF_ISSUED: Text = Text::new("Emesso il", "Issued on");
pub const PDF_NEXT_UPDATE: Text = Text::new("Prossimo aggiornamento", "Next update");
pub const PDF_STALE: Text = Text::new(
    "SCADUTO: l'elenco non è aggiornato",
    "STALE: the list is out of date",
);
pub const PDF_CURRENT_LIST: Text = Text::new("aggiornato", "current");
pub const PDF_SIGNATURE_OF: Text = Text::new("Firma di", "Signature of");
pub const PDF_SIGNED_DOCUMENT: Text = Text::new("Documento firmato", "Signed document");
pub const PDF_RESULT: Text = Text::new("Esito", "Result");
pub const PDF_SIGNATURE_BY: Text = Text::new("firmato da", "signed by");
pub const PDF_SIGN_HERE: Text = Text::new(
    "Verificato da (nome e firma dell'operatore): ______________________________",
    "Checked by (officer's name and signature): ______________________________",
);

// The progress bar.
pub const PROGRESS_VALID: Text = Text::new("validi", "valid");
pub const PROGRESS_INVALID: Text = Text::new("non validi", "invalid");
pub const PROGRESS_TO_CHECK: Text = Text::new("da verificare", "to check");

// The verify screen's "Stampa rapporto".
pub const KEY_PRINT: Text = Text::new("stampa rapporto", "print report");
pub const PRINT_TITLE: Text = Text::new(
    "Stampa rapporto: file PDF da scrivere",
    "Print report: PDF file to write",
);
pub const PRINT_HINT: Text = Text::new(
    "Il rapporto (PDF A4) è scritto in questo file; un file esistente non viene sovrascritto.",
    "The report (A4 PDF) is written to this file; an existing file is never overwritten.",
);
pub const PRINTING: Text = Text::new("Preparazione del rapporto…", "Preparing the report…");
