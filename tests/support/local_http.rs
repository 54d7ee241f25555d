//! A small HTTP/1.1 server on 127.0.0.1 (a free port), run by a test and stopped by `Drop`
//! even when the test fails. It serves CRLs by path and answers OCSP requests by running the
//! real `openssl ocsp` responder on each request (`-reqin`/`-respout`), so the responder never
//! listens on any address itself.

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::Duration;

/// What the server does with one request: (status, body).
pub type Handler = Arc<dyn Fn(&str, &str, &[u8]) -> (u16, Vec<u8>) + Send + Sync>;

pub struct LocalServer {
    pub addr: SocketAddr,
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
    /// How many requests arrived (every fetch is visible to the test).
    pub hits: Arc<AtomicUsize>,
}

fn read_request(stream: &mut TcpStream) -> Option<(String, String, Vec<u8>)> {
    stream.set_read_timeout(Some(Duration::from_secs(5))).ok()?;
    let mut buf = Vec::new();
    let mut chunk = [0u8; 4096];
    let header_end = loop {
        let n = stream.read(&mut chunk).ok()?;
        if n == 0 {
            return None;
        }
        buf.extend_from_slice(&chunk[..n]);
        if let Some(i) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            break i + 4;
        }
    };
    let head = String::from_utf8_lossy(&buf[..header_end]).to_string();
    let mut first = head.lines().next()?.split_whitespace();
    let method = first.next()?.to_string();
    let path = first.next()?.to_string();
    let length: usize = head
        .lines()
        .find_map(|l| {
            let (k, v) = l.split_once(':')?;
            k.eq_ignore_ascii_case("content-length")
                .then(|| v.trim().parse().ok())
                .flatten()
        })
        .unwrap_or(0);
    let mut body = buf[header_end..].to_vec();
    while body.len() < length {
        let n = stream.read(&mut chunk).ok()?;
        if n == 0 {
            break;
        }
        body.extend_from_slice(&chunk[..n]);
    }
    Some((method, path, body))
}

impl LocalServer {
    /// Serves `handler` on `listener` (from [`reserve`]) until dropped.
    pub fn start(listener: TcpListener, handler: Handler) -> LocalServer {
        Self::spawn(listener, Some(handler))
    }

    /// Accepts connections and never answers: a responder that is down but not refusing.
    pub fn silent(listener: TcpListener) -> LocalServer {
        Self::spawn(listener, None)
    }

    fn spawn(listener: TcpListener, handler: Option<Handler>) -> LocalServer {
        listener.set_nonblocking(true).expect("nonblocking");
        let addr = listener.local_addr().expect("local addr");
        let stop = Arc::new(AtomicBool::new(false));
        let hits = Arc::new(AtomicUsize::new(0));
        let (stop2, hits2) = (stop.clone(), hits.clone());
        let held: Arc<Mutex<Vec<TcpStream>>> = Arc::default();
        let thread = std::thread::spawn(move || {
            while !stop2.load(Ordering::SeqCst) {
                match listener.accept() {
                    Ok((mut stream, _)) => {
                        hits2.fetch_add(1, Ordering::SeqCst);
                        let _ = stream.set_nonblocking(false);
                        let Some(handler) = &handler else {
                            if let Ok(mut h) = held.lock() {
                                h.push(stream);
                            }
                            continue;
                        };
                        if let Some((method, path, body)) = read_request(&mut stream) {
                            let (status, out) = handler(&method, &path, &body);
                            let head = format!(
                                "HTTP/1.1 {status} X\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                                out.len()
                            );
                            let _ = stream.write_all(head.as_bytes());
                            let _ = stream.write_all(&out);
                        }
                    }
                    Err(_) => std::thread::sleep(Duration::from_millis(5)),
                }
            }
        });
        LocalServer {
            addr,
            stop,
            thread: Some(thread),
            hits,
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }
}

impl Drop for LocalServer {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

/// A free port on 127.0.0.1, for URLs that must be known before a server starts.
pub fn reserve() -> TcpListener {
    TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1:0")
}
