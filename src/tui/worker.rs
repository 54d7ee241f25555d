//! Background work: verification, the audit chain check and trust-store reading run on their
//! own threads; the card desk runs on one card thread that also watches for hot-plug. Results
//! come back on one channel, so the screen never waits for a card or a file.

use std::path::{Path, PathBuf};
use std::sync::mpsc::{self, Receiver, Sender};
use std::time::Duration;

use crate::i18n::{stale_list_warning, Lang};
use crate::verify::{verify_bytes, Report, VerifyOptions};

use super::card_desk::{CardDesk, PinBuffer};
use super::msg::{Msg, TrustSummary, Verified};

/// How long the card thread waits for hot-plug events before it looks at its requests:
/// insertions show within a second, requests start within a quarter of one.
const CARD_POLL: Duration = Duration::from_millis(250);

enum CardRequest {
    PinStatus(String),
    Authenticate {
        reader: String,
        pin: PinBuffer,
        confirm_last_try: bool,
    },
}

/// Starts background work; each job answers with one [`Msg`].
pub struct Jobs {
    tx: Sender<Msg>,
    card: Option<Sender<CardRequest>>,
    /// Jobs started and not yet answered.
    pub pending: usize,
}

impl Jobs {
    /// The channel, and jobs that send on it. No card thread until [`Jobs::start_card`].
    pub fn new() -> (Jobs, Receiver<Msg>) {
        let (tx, rx) = mpsc::channel();
        (
            Jobs {
                tx,
                card: None,
                pending: 0,
            },
            rx,
        )
    }

    /// Runs `desk` on the card thread: readers first, then on every hot-plug event.
    pub fn start_card(&mut self, mut desk: Box<dyn CardDesk>) {
        let (requests, inbox) = mpsc::channel::<CardRequest>();
        let tx = self.tx.clone();
        let spawned = std::thread::Builder::new()
            .name("card".into())
            .spawn(move || {
                let mut last = None;
                let mut changed = true;
                loop {
                    if changed {
                        let readers = desk.readers();
                        if last.as_ref() != Some(&readers) {
                            if tx.send(Msg::Readers(readers.clone())).is_err() {
                                return;
                            }
                            last = Some(readers);
                        }
                    }
                    match inbox.try_recv() {
                        Ok(request) => {
                            let msg = match request {
                                CardRequest::PinStatus(reader) => Msg::PinStatus {
                                    result: desk.pin_status(&reader),
                                    reader,
                                },
                                CardRequest::Authenticate {
                                    reader,
                                    pin,
                                    confirm_last_try,
                                } => Msg::Authenticated(desk.authenticate(
                                    &reader,
                                    &pin,
                                    confirm_last_try,
                                )),
                            };
                            if tx.send(msg).is_err() {
                                return;
                            }
                            // A card call may have reset or removed the card.
                            changed = true;
                            continue;
                        }
                        Err(mpsc::TryRecvError::Disconnected) => return,
                        Err(mpsc::TryRecvError::Empty) => {}
                    }
                    changed = match desk.wait_events(CARD_POLL) {
                        Ok(events) => !events.is_empty(),
                        Err(e) => {
                            // Report the failure once, then keep trying: pcscd may come back.
                            if last.as_ref() != Some(&Err(e.clone())) {
                                let _ = tx.send(Msg::Readers(Err(e.clone())));
                                last = Some(Err(e));
                            }
                            std::thread::sleep(CARD_POLL);
                            true
                        }
                    };
                }
            });
        match spawned {
            Ok(_) => self.card = Some(requests),
            Err(e) => log::error!("cannot start the card thread: {e}"),
        }
    }

    fn card_request(&mut self, request: CardRequest) {
        match &self.card {
            Some(card) if card.send(request).is_ok() => self.pending += 1,
            _ => log::error!("card thread not running"),
        }
    }

    pub fn pin_status(&mut self, reader: &str) {
        self.card_request(CardRequest::PinStatus(reader.to_string()));
    }

    pub fn authenticate(&mut self, reader: &str, pin: PinBuffer, confirm_last_try: bool) {
        self.card_request(CardRequest::Authenticate {
            reader: reader.to_string(),
            pin,
            confirm_last_try,
        });
    }

    fn spawn(&mut self, name: &str, job: impl FnOnce() -> Msg + Send + 'static) {
        let tx = self.tx.clone();
        let spawned = std::thread::Builder::new()
            .name(name.into())
            .spawn(move || {
                let _ = tx.send(job());
            });
        match spawned {
            Ok(_) => self.pending += 1,
            Err(e) => log::error!("cannot start {name}: {e}"),
        }
    }

    /// Verifies `path` against the imported trust store, at `at` when the officer asserted a
    /// time ("verifica alla data"); revocation from the CRL store, and online when the desk's
    /// setting allows it.
    pub fn verify(
        &mut self,
        path: PathBuf,
        at: Option<time::OffsetDateTime>,
        data_dir: PathBuf,
        online: bool,
        lang: Lang,
    ) {
        self.spawn("verify", move || {
            Msg::Verified(Box::new(verify_file(&path, at, &data_dir, online, lang)))
        });
    }

    /// Writes the printable report of `report` to `out` (never over an existing file).
    pub fn print_report(&mut self, report: Report, out: PathBuf, data_dir: PathBuf, lang: Lang) {
        self.spawn("print", move || {
            Msg::Printed(print_report(&report, &out, &data_dir, lang).map(|()| out))
        });
    }

    /// Recomputes the audit chain on a connection of its own.
    pub fn audit_verify(&mut self, db: crate::store::Location) {
        self.spawn("audit", move || {
            Msg::AuditChecked(
                crate::store::Store::open_at(&db)
                    .and_then(|s| s.audit_verify())
                    .map_err(|e| e.to_string()),
            )
        });
    }

    /// Reads the imported lists and anchors (parsing a national list takes a moment).
    pub fn trust_status(&mut self, data_dir: PathBuf) {
        self.spawn("trust", move || {
            let now = time::OffsetDateTime::now_utc();
            let store = crate::trust::store::Store::open(&data_dir);
            Msg::Trust(
                store
                    .status(now)
                    .and_then(|lists| {
                        Ok(TrustSummary {
                            lists,
                            anchors: store.anchors(now)?.len(),
                        })
                    })
                    .map_err(|e| e.to_string()),
            )
        });
    }
}

fn verify_file(
    path: &Path,
    at: Option<time::OffsetDateTime>,
    data_dir: &Path,
    online: bool,
    lang: Lang,
) -> Result<Verified, String> {
    let data = std::fs::read(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let now = time::OffsetDateTime::now_utc();
    let (trust, stale) = crate::trust::store::Store::open(data_dir)
        .load(now)
        .map_err(|e| e.to_string())?;
    let mut opts = VerifyOptions::now();
    if let Some(at) = at {
        opts.validation_time = at;
        opts.asserted = true;
    }
    if !trust.is_empty() {
        opts.trust = Some(&trust);
    }
    let revocation = crate::revocation::RevocationSources::for_data_dir(data_dir, online);
    opts.revocation = Some(&revocation);
    let mut report = verify_bytes(&path.display().to_string(), &data, &opts);
    report.warnings.extend(stale.iter().map(|s| s.warning()));
    Ok(Verified {
        path: path.to_path_buf(),
        report,
        stale_warnings: stale
            .iter()
            .map(|s| stale_list_warning(&s.territory, s.sequence_number, &s.next_update, lang))
            .collect(),
    })
}

fn print_report(report: &Report, out: &Path, data_dir: &Path, lang: Lang) -> Result<(), String> {
    let now = time::OffsetDateTime::now_utc();
    let context = crate::export::Context {
        lang,
        lists: crate::trust::store::Store::open(data_dir)
            .status(now)
            .unwrap_or_default(),
        produced_at: crate::envelope::asn1_time::rfc3339(now.replace_nanosecond(0).unwrap_or(now)),
    };
    crate::export::pdf::encode(std::slice::from_ref(report), &context)
        .map_err(crate::export::ExportError::from)
        .and_then(|bytes| crate::export::write_new(out, &bytes, false))
        .map_err(|e| e.to_string())
}

/// Waits up to `timeout` for one message (the event loop's idle wait).
pub fn recv_for(rx: &Receiver<Msg>, timeout: Duration) -> Option<Msg> {
    rx.recv_timeout(timeout).ok()
}
