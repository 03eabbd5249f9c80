//! The live preview's HTTP/1.1 server: a std `TcpListener` on 127.0.0.1, its accept loop, and
//! one thread per connection within the bounds kept by the connection table (`conns.rs`).
//!
//! Stalled or hostile clients cannot hold the server:
//! - a request head must arrive within [`HEAD_TIMEOUT`] of the connection opening (or of the
//!   previous response on a kept-alive connection), else the connection closes (408 if part of
//!   a head had come);
//! - every write gives up after [`WRITE_TIMEOUT`] without progress, so a client that stops
//!   reading frees its thread;
//! - at most [`MAX_CONNECTIONS`] connections (threads) and [`MAX_EVENT_STREAMS`] event streams
//!   are open at once; `conns.rs` says who makes room for whom, and a connection that cannot
//!   be admitted gets 503;
//! - heads are bounded by [`MAX_HEAD_BYTES`] and [`MAX_HEADERS`] (431); only the editor's
//!   requests have a body, bounded too and due within [`HEAD_TIMEOUT`] of the head.
//!
//! The accept loop runs until the listener itself is broken. Errors that pass (a client that
//! reset before being accepted, running out of file descriptors or threads) are reported at
//! most once per [`REPORT_EVERY`], free the connection idle longest (waiting for a head or
//! streaming events), and are retried after a growing pause. [`Server::run`] returns only the
//! error of a listener that cannot accept any more, and the caller exits.

use std::io::{self, ErrorKind, Read};
use std::net::{Ipv4Addr, Shutdown, TcpListener, TcpStream};
use std::sync::Arc;
use std::time::{Duration, Instant};

use super::conns::{Conns, Slot};
pub use super::conns::{MAX_CONNECTIONS, MAX_EVENT_STREAMS};
use super::http::{self, Reply, Response};
use super::request::HeadReader;
pub use super::request::{MAX_HEADERS, MAX_HEAD_BYTES};
use super::Preview;

/// How long a connection may take to send a request head, counted from when it was accepted
/// or from the end of the previous response.
pub const HEAD_TIMEOUT: Duration = Duration::from_secs(10);

/// How long one write may block before the client is taken to be gone.
pub const WRITE_TIMEOUT: Duration = Duration::from_secs(10);

/// After an error response, how long the client's remaining input is read and dropped before
/// closing, so that closing with unread input (which sends a reset) cannot destroy the response
/// before the client has read it.
const LINGER: Duration = Duration::from_secs(2);

/// At most this much input is dropped while lingering.
const LINGER_BYTES: usize = 64 * 1024;

/// Passing accept failures are reported at most this often.
pub const REPORT_EVERY: Duration = Duration::from_secs(10);

/// First and longest pause after a failed accept.
const BACKOFF: (Duration, Duration) = (Duration::from_millis(10), Duration::from_secs(1));

/// The preview's listener and what its connections share.
#[derive(Debug)]
pub struct Server {
    listener: TcpListener,
    port: u16,
    preview: Arc<Preview>,
    conns: Arc<Conns>,
}

impl Server {
    /// Listens on `127.0.0.1:port` (0 picks a free port).
    pub fn bind(port: u16, preview: Arc<Preview>) -> io::Result<Server> {
        let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, port))?;
        let port = listener.local_addr()?.port();
        Ok(Server {
            listener,
            port,
            conns: Conns::new(preview.clone()),
            preview,
        })
    }

    /// The port actually bound.
    pub fn port(&self) -> u16 {
        self.port
    }

    /// Accepts and serves connections. Returns only when the listener can no longer accept,
    /// with that error; passing failures go to `on_error`, at most once per [`REPORT_EVERY`].
    pub fn run(self, mut on_error: impl FnMut(&io::Error)) -> io::Error {
        let mut backoff = BACKOFF.0;
        let mut last_report: Option<Instant> = None;
        loop {
            let failure = match self.listener.accept() {
                Ok((stream, _)) => self.admit(stream).err(),
                Err(e) if is_client_error(&e) => None,
                Err(e)
                    if e.kind() == ErrorKind::InvalidInput
                        || self.listener.local_addr().is_err() =>
                {
                    return e;
                }
                Err(e) => Some(e),
            };
            let Some(e) = failure else {
                backoff = BACKOFF.0;
                continue;
            };
            if last_report.is_none_or(|at| at.elapsed() >= REPORT_EVERY) {
                on_error(&e);
                last_report = Some(Instant::now());
            }
            // Most likely out of file descriptors or threads: give one back, then wait.
            self.conns.close_oldest_idle();
            std::thread::sleep(backoff);
            backoff = (backoff * 2).min(BACKOFF.1);
        }
    }

    /// Gives `stream` a slot and a thread, or refuses it with 503 when there is no slot. Fails
    /// only when no thread could be started.
    fn admit(&self, stream: TcpStream) -> io::Result<()> {
        // Reads get their timeouts from `Deadline`.
        if stream.set_write_timeout(Some(WRITE_TIMEOUT)).is_err() {
            return Ok(());
        }
        let stream = Arc::new(stream);
        let Ok(slot) = self.conns.admit(&stream) else {
            refuse(
                &stream,
                &format!("{MAX_CONNECTIONS} connections are busy; try again"),
            );
            return Ok(());
        };
        let (preview, port, id) = (self.preview.clone(), self.port, slot.id());
        let conn = stream.clone();
        let spawned = std::thread::Builder::new()
            .name("ftlsite-http".into())
            .spawn(move || {
                serve(&conn, &slot, &preview, port);
                // This thread lets go of the socket before it gives the slot back.
                drop(conn);
            });
        match spawned {
            Ok(thread) => {
                self.conns.started(id, thread);
                Ok(())
            }
            Err(e) => {
                refuse(
                    &stream,
                    "cannot start a thread for this connection; try again",
                );
                Err(e)
            }
        }
    }
}

/// Accept errors caused by one client, not by the server: retried at once.
fn is_client_error(e: &io::Error) -> bool {
    matches!(
        e.kind(),
        ErrorKind::ConnectionAborted | ErrorKind::ConnectionReset | ErrorKind::Interrupted
    )
}

/// Answers 503 with `detail` without blocking the accept loop, and closes.
fn refuse(stream: &TcpStream, detail: &str) {
    let busy = Response::text(503, detail).with_header("Retry-After", "1".into());
    if stream.set_nonblocking(true).is_ok() {
        let _ = busy.write_to(&mut &*stream, false, false);
        let _ = stream.shutdown(Shutdown::Write);
    }
}

/// A connection's reads, limited to end at `until` in all.
struct Deadline<'a> {
    stream: &'a TcpStream,
    until: Instant,
}

impl Read for Deadline<'_> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let left = self.until.saturating_duration_since(Instant::now());
        if left.is_zero() {
            return Err(ErrorKind::TimedOut.into());
        }
        self.stream.set_read_timeout(Some(left))?;
        let mut stream = self.stream;
        stream.read(buf)
    }
}

/// Serves requests on one connection until it closes, fails, times out or becomes an event
/// stream.
fn serve(stream: &TcpStream, slot: &Slot, preview: &Preview, port: u16) {
    let mut reader = HeadReader::new();
    let mut out = stream;
    loop {
        slot.waiting();
        let mut src = Deadline {
            stream,
            until: Instant::now() + HEAD_TIMEOUT,
        };
        let head = match reader.read(&mut src) {
            Ok(head) => head,
            Err(e) => {
                if let Some(status) = e.status().filter(|_| !slot.stopped()) {
                    let _ = Response::text(status, &e.to_string()).write_to(&mut out, false, false);
                    linger(stream, slot);
                }
                return;
            }
        };
        slot.busy();
        let body = match http::body_length(&head, preview) {
            Ok(0) => Vec::new(),
            Ok(n) => {
                let mut src = Deadline {
                    stream,
                    until: Instant::now() + HEAD_TIMEOUT,
                };
                match reader.body(&mut src, n) {
                    Ok(body) => body,
                    Err(e) => {
                        if let Some(status) = e.status() {
                            let _ = Response::text(status, &e.to_string())
                                .write_to(&mut out, false, false);
                            linger(stream, slot);
                        }
                        return;
                    }
                }
            }
            Err(refused) => {
                let _ = refused.write_to(&mut out, false, false);
                linger(stream, slot);
                return;
            }
        };
        match http::route(&head, &body, port, preview) {
            Reply::Response(response) => {
                // After a refusal the client has nothing more to ask here.
                let keep_alive = head.keep_alive() && matches!(response.status, 200..=399 | 404);
                if response
                    .write_to(&mut out, head.method == "HEAD", keep_alive)
                    .is_err()
                {
                    return;
                }
                if !keep_alive {
                    linger(stream, slot);
                    return;
                }
            }
            Reply::Events { seen } => {
                let stop = slot.events();
                http::stream_events(&mut out, preview, seen, &stop);
                return;
            }
        }
    }
}

/// Ends the response side, then reads and drops what the client still sends for a short while
/// (see [`LINGER`]) before the connection is closed.
fn linger(stream: &TcpStream, slot: &Slot) {
    slot.waiting();
    if stream.shutdown(Shutdown::Write).is_err() {
        return;
    }
    let mut src = Deadline {
        stream,
        until: Instant::now() + LINGER,
    };
    let mut dropped = 0;
    let mut buf = [0u8; 4096];
    while dropped < LINGER_BYTES {
        match src.read(&mut buf) {
            Ok(0) | Err(_) => return,
            Ok(n) => dropped += n,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn started() -> (u16, Arc<Preview>) {
        let preview = Preview::new(false);
        let mut files = crate::serve::Files::new();
        files.insert(
            Arc::from("index.html"),
            Arc::from(&b"<body>home</body>"[..]),
        );
        preview.update(super::super::Outcome::Built(Arc::new(files)));
        let server = Server::bind(0, preview.clone()).unwrap();
        let port = server.port();
        std::thread::spawn(move || server.run(|_| {}));
        (port, preview)
    }

    fn exchange(port: u16, send: &[u8]) -> String {
        let mut s = TcpStream::connect(("127.0.0.1", port)).unwrap();
        s.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
        s.write_all(send).unwrap();
        let mut got = Vec::new();
        let _ = s.read_to_end(&mut got);
        String::from_utf8_lossy(&got).into_owned()
    }

    #[test]
    fn keep_alive_serves_pipelined_requests_in_order() {
        let (port, _) = started();
        let host = format!("Host: 127.0.0.1:{port}\r\n");
        let got = exchange(
            port,
            format!("GET / HTTP/1.1\r\n{host}\r\nHEAD /missing HTTP/1.1\r\n{host}\r\nGET / HTTP/1.1\r\n{host}Connection: close\r\n\r\n").as_bytes(),
        );
        let statuses: Vec<&str> = got
            .match_indices("HTTP/1.1 ")
            .filter_map(|(i, _)| got[i..].lines().next())
            .collect();
        assert_eq!(
            statuses,
            [
                "HTTP/1.1 200 OK",
                "HTTP/1.1 404 Not Found",
                "HTTP/1.1 200 OK"
            ],
            "{got}"
        );
        assert_eq!(got.matches("home").count(), 2, "{got}");
        assert!(got.ends_with("</body>"), "the last response closes: {got}");
    }

    #[test]
    fn an_oversized_head_is_answered_even_though_the_rest_is_unread() {
        let (port, _) = started();
        let big = format!(
            "GET / HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nX-Big: {}\r\n\r\n",
            "a".repeat(64 * 1024)
        );
        let got = exchange(port, big.as_bytes());
        assert!(got.starts_with("HTTP/1.1 431 "), "{got}");
    }
}
