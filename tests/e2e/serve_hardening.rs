//! `ftlsite serve` against hostile clients: thousands of silent sockets and event streams that
//! never read under a low file-descriptor limit, DNS-rebinding `Host` headers, oversized and
//! stalled request heads. The server runs as a child process on 127.0.0.1, port 0.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use ftlsite::serve::server::{MAX_CONNECTIONS, MAX_EVENT_STREAMS};

/// Threads of a serving process besides its connection threads: the main thread (the accept
/// loop) and a few spares; rayon's pool (one per core) is added where it is used.
const BASE_THREADS: usize = 8;

/// File descriptors besides the connections: stdio, the listener, spares.
const BASE_FDS: usize = 16;

/// How long a test waits for the server to catch up before it fails.
const PATIENCE: Duration = Duration::from_secs(60);

/// `ftlsite serve` of the embedded site under `ulimit -n fd_limit`; killed on drop.
struct Serve {
    child: Child,
    port: u16,
}

impl Serve {
    fn start(fd_limit: u32) -> Serve {
        let mut child = Command::new("sh")
            .arg("-c")
            .arg(format!(
                "ulimit -n {fd_limit} && exec \"$0\" serve --port 0"
            ))
            .arg(env!("CARGO_BIN_EXE_ftlsite"))
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("start ftlsite serve");
        let mut line = String::new();
        BufReader::new(child.stdout.take().expect("stdout"))
            .read_line(&mut line)
            .expect("read the url");
        let port = line
            .trim()
            .strip_prefix("serving http://127.0.0.1:")
            .and_then(|r| r.trim_end_matches('/').parse().ok())
            .unwrap_or_else(|| panic!("unexpected first line: {line:?}"));
        Serve { child, port }
    }

    fn connect(&self) -> TcpStream {
        let s = TcpStream::connect(("127.0.0.1", self.port)).expect("connect");
        s.set_read_timeout(Some(PATIENCE)).expect("read timeout");
        s.set_write_timeout(Some(PATIENCE)).expect("write timeout");
        s
    }

    /// Sends `raw` on a new connection and reads the answer to its end: (status, whole text).
    fn exchange(&self, raw: &[u8]) -> (u16, String) {
        let mut s = self.connect();
        s.write_all(raw).expect("send");
        let mut got = Vec::new();
        let _ = s.read_to_end(&mut got);
        let text = String::from_utf8_lossy(&got).into_owned();
        let status = text
            .strip_prefix("HTTP/1.1 ")
            .and_then(|r| r.get(..3))
            .and_then(|c| c.parse().ok())
            .unwrap_or(0);
        (status, text)
    }

    /// `GET target` with the `Host` fields given (`None`: the preview's own).
    fn get(&self, target: &str, hosts: Option<&[&str]>) -> (u16, String) {
        let own = format!("127.0.0.1:{}", self.port);
        let hosts = hosts.map(<[&str]>::to_vec).unwrap_or_else(|| vec![&own]);
        let fields: String = hosts.iter().map(|h| format!("Host: {h}\r\n")).collect();
        self.exchange(
            format!("GET {target} HTTP/1.1\r\n{fields}Connection: close\r\n\r\n").as_bytes(),
        )
    }

    /// Polls `GET /` until it answers 200 (the server may be shedding connections).
    fn wait_until_home_page_answers(&self) -> String {
        let deadline = Instant::now() + PATIENCE;
        loop {
            let (status, text) = self.get("/", None);
            if status == 200 {
                return text;
            }
            assert!(
                Instant::now() < deadline,
                "GET / never answered 200; last answer: {status} {text:?}"
            );
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    fn status_field(&self, name: &str) -> usize {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.child.id()))
            .expect("the server process is still alive");
        status
            .lines()
            .find_map(|l| l.strip_prefix(name))
            .and_then(|v| v.trim().parse().ok())
            .unwrap_or_else(|| panic!("no {name} in /proc status"))
    }

    fn threads(&self) -> usize {
        self.status_field("Threads:")
    }

    fn fds(&self) -> usize {
        std::fs::read_dir(format!("/proc/{}/fd", self.child.id()))
            .expect("the server process is still alive")
            .count()
    }

    fn assert_alive(&mut self) {
        assert!(
            self.child.try_wait().expect("wait").is_none(),
            "the server exited"
        );
    }
}

impl Drop for Serve {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn thread_bound() -> usize {
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    MAX_CONNECTIONS + BASE_THREADS + cores
}

/// How many sockets this test process may hold open at once, up to `wanted`.
fn sockets_we_can_hold(wanted: usize) -> usize {
    let limits = std::fs::read_to_string("/proc/self/limits").expect("read /proc/self/limits");
    let soft: usize = limits
        .lines()
        .find(|l| l.starts_with("Max open files"))
        .and_then(|l| l.split_whitespace().nth(3))
        .and_then(|v| v.parse().ok())
        .unwrap_or(1024);
    wanted.min(soft.saturating_sub(128))
}

#[test]
fn emfile_from_silent_sockets_leaves_the_acceptor_alive() {
    let mut serve = Serve::start(256);
    let wanted = sockets_we_can_hold(2000);
    assert!(wanted > 512, "need more sockets than the server's fd limit");
    let (mut max_threads, mut max_fds) = (serve.threads(), serve.fds());
    let mut silent = Vec::with_capacity(wanted);
    for i in 0..wanted {
        let mut s = serve.connect();
        // Half a request head, then silence. The server may already have shut it.
        let _ = s.write_all(b"GET / HTTP/1.1\r\nHost: x\r\n");
        silent.push(s);
        if i % 100 == 99 {
            max_threads = max_threads.max(serve.threads());
            max_fds = max_fds.max(serve.fds());
        }
    }
    let page = serve.wait_until_home_page_answers();
    assert!(page.contains("<html"), "{page}");
    max_threads = max_threads.max(serve.threads());
    max_fds = max_fds.max(serve.fds());
    serve.assert_alive();
    assert!(
        max_threads <= thread_bound(),
        "{max_threads} threads with {wanted} silent sockets (bound {})",
        thread_bound()
    );
    assert!(
        max_fds <= MAX_CONNECTIONS + BASE_FDS,
        "{max_fds} file descriptors with {wanted} silent sockets"
    );

    drop(silent);
    serve.wait_until_home_page_answers();
    serve.assert_alive();
}

#[test]
fn event_streams_that_never_read_are_bounded() {
    let mut serve = Serve::start(256);
    let total = 200;
    let request = format!(
        "GET /__ftlsite/events?v=1 HTTP/1.1\r\nHost: 127.0.0.1:{}\r\n\r\n",
        serve.port
    );
    let mut max_threads = serve.threads();
    let mut streams = Vec::new();
    for _ in 0..total {
        let mut s = serve.connect();
        s.write_all(request.as_bytes()).expect("send");
        streams.push(s);
        max_threads = max_threads.max(serve.threads());
    }
    serve.wait_until_home_page_answers();
    serve.assert_alive();
    assert!(
        max_threads <= thread_bound(),
        "{max_threads} threads with {total} event streams"
    );

    // The newest stream is served.
    let mut newest = streams.pop().expect("a stream");
    let mut head = Vec::new();
    while !head.ends_with(b"retry: 300\n\n") {
        let mut b = [0u8; 1];
        assert_eq!(newest.read(&mut b).expect("the newest stream's head"), 1);
        head.push(b[0]);
    }
    assert!(head.starts_with(b"HTTP/1.1 200 OK\r\n"));

    // All but MAX_EVENT_STREAMS of them are ended by the server (which ones depends on the
    // order their threads started streaming in).
    streams.push(newest);
    for s in &streams {
        s.set_nonblocking(true).expect("nonblocking");
    }
    let mut ended = vec![false; streams.len()];
    let deadline = Instant::now() + PATIENCE;
    while ended.iter().filter(|e| !**e).count() > MAX_EVENT_STREAMS {
        for (s, ended) in streams.iter_mut().zip(&mut ended) {
            *ended = *ended || closed_by_peer(s);
        }
        assert!(
            Instant::now() < deadline,
            "{} event streams are still open (bound {MAX_EVENT_STREAMS})",
            ended.iter().filter(|e| !**e).count()
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    serve.wait_until_home_page_answers();
    serve.assert_alive();
}

/// Reads what `s` (nonblocking) has received; true once the peer has closed it.
fn closed_by_peer(mut s: &TcpStream) -> bool {
    let mut buf = [0u8; 4096];
    loop {
        match s.read(&mut buf) {
            Ok(0) => return true,
            Ok(_) => {}
            Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => return false,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            // A reset, if it was shut before its request was read, is closed too.
            Err(_) => return true,
        }
    }
}

#[test]
fn dns_rebinding_host_is_refused() {
    let serve = Serve::start(1024);
    let port = serve.port;
    for host in [
        format!("127.0.0.1:{port}"),
        format!("localhost:{port}"),
        format!("[::1]:{port}"),
    ] {
        assert_eq!(serve.get("/", Some(&[&host])).0, 200, "{host}");
    }
    for host in [
        format!("attacker.example:{port}"),
        "attacker.example".to_string(),
        format!("127.0.0.1.attacker.example:{port}"),
        format!("127.0.0.1:{}", port.wrapping_add(1)),
        "127.0.0.1".to_string(),
    ] {
        let (status, text) = serve.get("/en-US/privacy/default.html", Some(&[&host]));
        assert_eq!(status, 403, "{host}: {text}");
        assert!(!text.contains("<html"), "{host}: page leaked");
    }
}

#[test]
fn missing_host_on_http11_is_400() {
    let serve = Serve::start(1024);
    let (status, text) = serve.get("/", Some(&[]));
    assert_eq!(status, 400, "{text}");
    assert!(text.contains("Host"), "{text}");
    let own = format!("127.0.0.1:{}", serve.port);
    assert_eq!(
        serve.get("/", Some(&[&own, &own])).0,
        400,
        "two Host fields"
    );
    let (status, _) = serve.exchange(b"GET / HTTP/1.0\r\n\r\n");
    assert_eq!(status, 200, "HTTP/1.0 needs no Host");
}

#[test]
fn oversized_request_head_gets_431() {
    let serve = Serve::start(1024);
    let host = format!("Host: 127.0.0.1:{}\r\n", serve.port);
    let big = format!(
        "GET / HTTP/1.1\r\n{host}X-Filler: {}\r\n\r\n",
        "a".repeat(20 * 1024)
    );
    let (status, text) = serve.exchange(big.as_bytes());
    assert_eq!(status, 431, "{text}");
    assert!(text.starts_with("HTTP/1.1 431 Request Header Fields Too Large\r\n"));

    let many: String = (0..200).map(|i| format!("X-Field-{i}: v\r\n")).collect();
    let (status, text) = serve.exchange(format!("GET / HTTP/1.1\r\n{host}{many}\r\n").as_bytes());
    assert_eq!(status, 431, "{text}");

    let long = format!("GET /{} HTTP/1.1\r\n{host}\r\n", "a".repeat(20 * 1024));
    assert_eq!(serve.exchange(long.as_bytes()).0, 414);

    assert_eq!(serve.get("/", None).0, 200, "still serving");
}

#[test]
fn silent_request_head_times_out() {
    let serve = Serve::start(1024);
    let mut partial = serve.connect();
    partial
        .write_all(b"GET / HTTP/1.1\r\nHost: x\r\n")
        .expect("send");
    let mut quiet = serve.connect();

    // Both are closed by the server, long before the client's own read timeout.
    let mut got = String::new();
    partial
        .read_to_string(&mut got)
        .expect("the server closes a stalled head");
    assert!(got.starts_with("HTTP/1.1 408 Request Timeout\r\n"), "{got}");
    let mut got = Vec::new();
    quiet
        .read_to_end(&mut got)
        .expect("the server closes a silent connection");
    assert!(
        got.is_empty(),
        "nothing is sent to a connection that never asked"
    );
}
