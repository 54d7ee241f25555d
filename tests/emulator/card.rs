//! A virtual card in a virtual reader: a thread that connects to a vpcd port (insertion),
//! answers the reader with a card model, and closes the socket (removal) at will or at a
//! scripted APDU, so tests can pull the card out in the middle of a command.

use std::io;
use std::net::{Shutdown, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::thread::JoinHandle;
use std::time::Duration;

use super::apdu::{sw, Command, Response};
use super::vpcd::{read_request, write_frame, Request};

/// What a card does; CnsModel and CieModel implement it.
pub trait CardModel: Send + 'static {
    fn atr(&self) -> Vec<u8>;
    /// Power-off, power-on or reset: the security status is lost, counters are kept.
    fn reset(&mut self);
    fn process(&mut self, cmd: &Command) -> Response;
    fn pin_tries_left(&self) -> Option<u8> {
        None
    }
    fn puk_tries_left(&self) -> Option<u8> {
        None
    }
    /// T=0 style: data comes back through `61xx` and GET RESPONSE.
    fn uses_get_response(&self) -> bool {
        false
    }
}

/// One command and the card's answer, as the reader saw them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApduExchange {
    pub command: Vec<u8>,
    /// `None` when the card was pulled out instead of answering.
    pub response: Option<Vec<u8>>,
}

#[derive(Default)]
struct Script {
    /// Close the socket instead of answering once this many more APDUs were answered.
    remove_after: Option<usize>,
    latency: Duration,
    log: Vec<ApduExchange>,
    /// Data waiting for GET RESPONSE.
    pending: Vec<u8>,
}

struct Shared {
    model: Mutex<Box<dyn CardModel>>,
    script: Mutex<Script>,
    /// Set before a scripted removal closes the socket, so the test never sees the card as
    /// still inserted once the reader may have noticed it gone.
    pulled: AtomicBool,
}

fn lock<T: ?Sized>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    // A panicking test thread must not hide the card's state from the test.
    m.lock().unwrap_or_else(|e| e.into_inner())
}

pub struct VirtualCard;

impl VirtualCard {
    /// Inserts `model` into the vpcd reader on 127.0.0.1:`port`; panics when no reader
    /// listens there (the rig is not running).
    pub fn insert(port: u16, model: impl CardModel) -> CardHandle {
        VirtualCard::try_insert(port, model).unwrap_or_else(|e| {
            panic!("no vpcd reader on port {port} (is scripts/pcscd-rig.sh running?): {e}")
        })
    }

    pub fn try_insert(port: u16, model: impl CardModel) -> io::Result<CardHandle> {
        let mut handle = CardHandle {
            port,
            shared: Arc::new(Shared {
                model: Mutex::new(Box::new(model)),
                script: Mutex::new(Script::default()),
                pulled: AtomicBool::new(false),
            }),
            connection: None,
        };
        handle.try_reinsert()?;
        Ok(handle)
    }
}

struct Connection {
    stream: TcpStream,
    thread: JoinHandle<()>,
}

/// The test's hold on an inserted card. Dropping it removes the card.
pub struct CardHandle {
    port: u16,
    shared: Arc<Shared>,
    connection: Option<Connection>,
}

impl CardHandle {
    pub fn port(&self) -> u16 {
        self.port
    }

    /// Pulls the card out (closes the socket) and waits for the card thread to end.
    pub fn remove(&mut self) {
        if let Some(conn) = self.connection.take() {
            let _ = conn.stream.shutdown(Shutdown::Both);
            let _ = conn.thread.join();
        }
    }

    /// Puts the same card back: PIN counters survive, the security status does not.
    pub fn reinsert(&mut self) {
        let port = self.port;
        self.try_reinsert()
            .unwrap_or_else(|e| panic!("no vpcd reader on port {port}: {e}"));
    }

    fn try_reinsert(&mut self) -> io::Result<()> {
        self.remove();
        let stream = TcpStream::connect(("127.0.0.1", self.port))?;
        stream.set_nodelay(true)?;
        let reader = stream.try_clone()?;
        let shared = Arc::clone(&self.shared);
        lock(&shared.model).reset();
        shared.pulled.store(false, Ordering::SeqCst);
        let thread = std::thread::Builder::new()
            .name(format!("virtual-card-{}", self.port))
            .spawn(move || serve(reader, &shared))?;
        self.connection = Some(Connection { stream, thread });
        Ok(())
    }

    /// True while the card is in the reader (a scripted removal ends it by itself).
    pub fn is_inserted(&self) -> bool {
        self.connection
            .as_ref()
            .is_some_and(|c| !c.thread.is_finished())
            && !self.shared.pulled.load(Ordering::SeqCst)
    }

    /// Answers `n` more APDUs, then the card is pulled out instead of answering the next.
    pub fn remove_after_apdus(&self, n: usize) {
        lock(&self.shared.script).remove_after = Some(n);
    }

    /// Delay before every answer, like a slow chip doing RSA.
    pub fn set_latency(&self, latency: Duration) {
        lock(&self.shared.script).latency = latency;
    }

    pub fn pin_tries_left(&self) -> Option<u8> {
        lock(&self.shared.model).pin_tries_left()
    }

    pub fn puk_tries_left(&self) -> Option<u8> {
        lock(&self.shared.model).puk_tries_left()
    }

    pub fn apdu_log(&self) -> Vec<ApduExchange> {
        lock(&self.shared.script).log.clone()
    }

    pub fn clear_apdu_log(&self) {
        lock(&self.shared.script).log.clear();
    }
}

impl Drop for CardHandle {
    fn drop(&mut self) {
        self.remove();
    }
}

fn serve(mut stream: TcpStream, shared: &Shared) {
    while let Ok(Some(request)) = read_request(&mut stream) {
        let answer = match request {
            Request::PowerOff | Request::PowerOn | Request::Reset => {
                lock(&shared.model).reset();
                lock(&shared.script).pending.clear();
                None
            }
            Request::Atr => Some(lock(&shared.model).atr()),
            Request::Unknown(_) => None,
            Request::Apdu(apdu) => match answer_apdu(shared, &apdu) {
                Some(response) => Some(response),
                None => {
                    // Scripted removal: the reader gets no answer, only a closed socket.
                    shared.pulled.store(true, Ordering::SeqCst);
                    let _ = stream.shutdown(Shutdown::Both);
                    return;
                }
            },
        };
        if let Some(bytes) = answer {
            if write_frame(&mut stream, &bytes).is_err() {
                return;
            }
        }
    }
}

fn answer_apdu(shared: &Shared, apdu: &[u8]) -> Option<Vec<u8>> {
    let latency = {
        let mut script = lock(&shared.script);
        match script.remove_after {
            Some(0) => {
                script.remove_after = None;
                script.log.push(ApduExchange {
                    command: apdu.to_vec(),
                    response: None,
                });
                return None;
            }
            Some(n) => script.remove_after = Some(n - 1),
            None => {}
        }
        script.latency
    };
    if !latency.is_zero() {
        std::thread::sleep(latency);
    }
    let response = match Command::parse(apdu) {
        Err(status) => Response::status(status),
        Ok(cmd) => {
            let mut model = lock(&shared.model);
            if model.uses_get_response() {
                get_response_protocol(&mut model, &mut lock(&shared.script).pending, &cmd)
            } else {
                model.process(&cmd)
            }
        }
    };
    let bytes = response.to_bytes();
    lock(&shared.script).log.push(ApduExchange {
        command: apdu.to_vec(),
        response: Some(bytes.clone()),
    });
    Some(bytes)
}

/// T=0 cards return response data only through GET RESPONSE (00 C0 00 00 Le) after `61xx`.
fn get_response_protocol(
    model: &mut MutexGuard<'_, Box<dyn CardModel>>,
    pending: &mut Vec<u8>,
    cmd: &Command,
) -> Response {
    if cmd.ins == 0xC0 && cmd.cla & 0xF0 == 0 {
        if pending.is_empty() {
            return Response::status(sw::CONDITIONS_NOT_SATISFIED);
        }
        let n = cmd.le.unwrap_or(256).min(pending.len());
        let data: Vec<u8> = pending.drain(..n).collect();
        return match pending.len() {
            0 => Response::ok(data),
            left => Response {
                data,
                sw: 0x6100 | (left.min(256) % 256) as u16,
            },
        };
    }
    pending.clear();
    let response = model.process(cmd);
    if response.data.is_empty() || response.sw != sw::OK {
        return response;
    }
    *pending = response.data;
    Response::status(0x6100 | (pending.len().min(256) % 256) as u16)
}
