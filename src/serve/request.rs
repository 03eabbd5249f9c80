//! HTTP/1.1 request heads for the live preview: read under a size bound, parsed strictly.
//!
//! The preview answers `GET` and `HEAD`, so a request is mostly its head (only the editor's
//! `POST`s carry a body, read by [`HeadReader::body`]): the request line and
//! the header fields up to the empty line. [`HeadReader`] reads heads one after another from a
//! connection (keeping bytes a client pipelined past the first head) and refuses anything a
//! browser would not send, rather than guessing: a head over [`MAX_HEAD_BYTES`] or with more
//! than [`MAX_HEADERS`] fields is [`HeadError::TooLarge`] (431), a request line over
//! [`MAX_REQUEST_LINE`] is [`HeadError::UriTooLong`] (414), and malformed syntax is
//! [`HeadError::Malformed`] (400). Lines may end in CRLF or a bare LF (RFC 9112 §2.2).

use std::io::{ErrorKind, Read};

/// Largest request head accepted, request line, header fields and line ends included.
/// Browsers send well under 8 KiB to a local preview; larger heads get
/// `431 Request Header Fields Too Large`.
pub const MAX_HEAD_BYTES: usize = 16 * 1024;

/// Most header fields accepted in one request (`431` beyond).
pub const MAX_HEADERS: usize = 64;

/// Longest request line accepted (`414 URI Too Long` beyond).
pub const MAX_REQUEST_LINE: usize = 8 * 1024;

/// How much is read from the connection at a time.
const CHUNK: usize = 4096;

/// The HTTP version of a request.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Version {
    /// HTTP/1.0: no `Host` required, the connection closes after the response.
    Http10,
    /// HTTP/1.1: `Host` required, connections persist unless `Connection: close`.
    Http11,
}

/// A parsed request head.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Head {
    /// The method token, case-sensitive as sent (`GET`).
    pub method: String,
    /// The request target exactly as sent (`/en-US/?x=1`); only visible ASCII.
    pub target: String,
    /// The protocol version.
    pub version: Version,
    /// Header fields in order: lower-cased name, value with surrounding blanks removed
    /// (bytes that are not UTF-8 become U+FFFD).
    pub headers: Vec<(String, String)>,
}

impl Head {
    /// The values of every field called `name` (lower case), in order.
    pub fn values<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a str> + 'a {
        self.headers
            .iter()
            .filter(move |(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    /// Whether the `Connection` field lists `token` (case-insensitive).
    fn connection_has(&self, token: &str) -> bool {
        self.values("connection")
            .flat_map(|v| v.split(','))
            .any(|t| t.trim().eq_ignore_ascii_case(token))
    }

    /// Whether the request announces a body (`Transfer-Encoding`, or a `Content-Length` other
    /// than 0). The preview never reads bodies, so such a connection is closed after the
    /// response instead of being read out of step.
    pub fn has_body(&self) -> bool {
        self.values("transfer-encoding").next().is_some()
            || self.values("content-length").any(|v| v.trim() != "0")
    }

    /// Whether the connection may carry another request after this one: HTTP/1.1 without
    /// `Connection: close` and without a body.
    pub fn keep_alive(&self) -> bool {
        self.version == Version::Http11 && !self.connection_has("close") && !self.has_body()
    }
}

/// Why no head could be read.
#[derive(Debug, thiserror::Error)]
pub enum HeadError {
    /// The client closed the connection before sending a byte of a new request.
    #[error("connection closed")]
    Closed,
    /// The client closed the connection in the middle of a head.
    #[error("connection closed in the middle of a request head")]
    Truncated,
    /// No head arrived in time; `partial` when some of it did.
    #[error("request head timed out")]
    TimedOut {
        /// Whether part of a head had arrived.
        partial: bool,
    },
    /// Reading the connection failed.
    #[error("cannot read the request: {0}")]
    Io(#[from] std::io::Error),
    /// The head is larger than [`MAX_HEAD_BYTES`] or has more than [`MAX_HEADERS`] fields.
    #[error("request head over {MAX_HEAD_BYTES} bytes or {MAX_HEADERS} header fields")]
    TooLarge,
    /// The request line is longer than [`MAX_REQUEST_LINE`].
    #[error("request line over {MAX_REQUEST_LINE} bytes")]
    UriTooLong,
    /// An HTTP version other than 1.0 and 1.1.
    #[error("HTTP version not supported")]
    Version,
    /// Syntax that HTTP/1.1 does not allow.
    #[error("malformed request: {0}")]
    Malformed(&'static str),
}

impl HeadError {
    /// The status to answer with before closing, or `None` to close without a response (the
    /// client is gone, or never started a request).
    pub fn status(&self) -> Option<u16> {
        match self {
            HeadError::Closed
            | HeadError::Truncated
            | HeadError::Io(_)
            | HeadError::TimedOut { partial: false } => None,
            HeadError::TimedOut { partial: true } => Some(408),
            HeadError::TooLarge => Some(431),
            HeadError::UriTooLong => Some(414),
            HeadError::Version => Some(505),
            HeadError::Malformed(_) => Some(400),
        }
    }
}

/// Reads request heads from one connection, keeping bytes received past the end of a head
/// for the next call.
#[derive(Debug, Default)]
pub struct HeadReader {
    buf: Vec<u8>,
}

impl HeadReader {
    /// A reader with nothing buffered.
    pub fn new() -> HeadReader {
        HeadReader::default()
    }

    /// Reads and parses the next head from `src`. Timeouts come from `src`: a read failing
    /// with `TimedOut` or `WouldBlock` ends the wait. Never buffers more than
    /// [`MAX_HEAD_BYTES`] plus one read.
    pub fn read(&mut self, src: &mut impl Read) -> Result<Head, HeadError> {
        let mut scanned = 0;
        loop {
            // RFC 9112 §2.2: empty lines before a request line are ignored.
            let blank = self
                .buf
                .iter()
                .take_while(|b| matches!(b, b'\r' | b'\n'))
                .count();
            if blank > 0 {
                self.buf.drain(..blank);
                scanned = 0;
            }
            if let Some(end) = head_end(&self.buf, scanned) {
                if end > MAX_HEAD_BYTES {
                    return Err(oversized(&self.buf));
                }
                let head: Vec<u8> = self.buf.drain(..end).collect();
                return parse(&head);
            }
            if self.buf.len() >= MAX_HEAD_BYTES {
                return Err(oversized(&self.buf));
            }
            if !self.buf.contains(&b'\n') && self.buf.len() > MAX_REQUEST_LINE {
                return Err(HeadError::UriTooLong);
            }
            scanned = self.buf.len().saturating_sub(3);
            let mut chunk = [0u8; CHUNK];
            match src.read(&mut chunk) {
                Ok(0) if self.buf.is_empty() => return Err(HeadError::Closed),
                Ok(0) => return Err(HeadError::Truncated),
                Ok(n) => self.buf.extend_from_slice(chunk.get(..n).unwrap_or(&[])),
                Err(e) if e.kind() == ErrorKind::Interrupted => {}
                Err(e) if matches!(e.kind(), ErrorKind::TimedOut | ErrorKind::WouldBlock) => {
                    return Err(HeadError::TimedOut {
                        partial: !self.buf.is_empty(),
                    })
                }
                Err(e) => return Err(HeadError::Io(e)),
            }
        }
    }
}

impl HeadReader {
    /// Reads the `len` body bytes that follow the last head (those already buffered first),
    /// for the editor's requests; the caller bounds `len`. A client that stops early is
    /// [`HeadError::Truncated`], one too slow [`HeadError::TimedOut`] (408).
    pub fn body(&mut self, src: &mut impl Read, len: usize) -> Result<Vec<u8>, HeadError> {
        let take = len.min(self.buf.len());
        let mut body: Vec<u8> = self.buf.drain(..take).collect();
        let mut chunk = [0u8; CHUNK];
        while body.len() < len {
            let want = (len - body.len()).min(CHUNK);
            match src.read(chunk.get_mut(..want).unwrap_or(&mut [])) {
                Ok(0) => return Err(HeadError::Truncated),
                Ok(n) => body.extend_from_slice(chunk.get(..n).unwrap_or(&[])),
                Err(e) if e.kind() == ErrorKind::Interrupted => {}
                Err(e) if matches!(e.kind(), ErrorKind::TimedOut | ErrorKind::WouldBlock) => {
                    return Err(HeadError::TimedOut { partial: true })
                }
                Err(e) => return Err(HeadError::Io(e)),
            }
        }
        Ok(body)
    }
}

/// 414 when the request line alone is too long, else 431.
fn oversized(buf: &[u8]) -> HeadError {
    let line = buf.iter().position(|&b| b == b'\n').unwrap_or(buf.len());
    if line > MAX_REQUEST_LINE {
        HeadError::UriTooLong
    } else {
        HeadError::TooLarge
    }
}

/// The length of the head at the start of `buf` (through the empty line), searching from
/// `from`; `None` while incomplete.
fn head_end(buf: &[u8], from: usize) -> Option<usize> {
    let mut i = from;
    while let Some(pos) = buf.get(i..)?.iter().position(|&b| b == b'\n') {
        let nl = i + pos;
        match buf.get(nl + 1..) {
            Some([b'\n', ..]) => return Some(nl + 2),
            Some([b'\r', b'\n', ..]) => return Some(nl + 3),
            _ => i = nl + 1,
        }
    }
    None
}

/// `tchar` from RFC 9110 §5.6.2: what method and field names are made of.
fn is_token(s: &[u8]) -> bool {
    !s.is_empty()
        && s.iter()
            .all(|&b| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b))
}

/// Parses a complete head (through its empty line).
fn parse(head: &[u8]) -> Result<Head, HeadError> {
    let mut lines = head
        .split(|&b| b == b'\n')
        .map(|l| l.strip_suffix(b"\r").unwrap_or(l));
    let request_line = lines.next().unwrap_or_default();
    if request_line.len() > MAX_REQUEST_LINE {
        return Err(HeadError::UriTooLong);
    }
    let mut parts = request_line.split(|&b| b == b' ');
    let (Some(method), Some(target), Some(version), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(HeadError::Malformed(
            "the request line is not `METHOD TARGET HTTP/1.1`",
        ));
    };
    if !is_token(method) {
        return Err(HeadError::Malformed("invalid method"));
    }
    if target.is_empty() || !target.iter().all(|b| b.is_ascii_graphic()) {
        return Err(HeadError::Malformed("invalid request target"));
    }
    let version = match version {
        b"HTTP/1.1" => Version::Http11,
        b"HTTP/1.0" => Version::Http10,
        [b'H', b'T', b'T', b'P', b'/', major, b'.', minor]
            if major.is_ascii_digit() && minor.is_ascii_digit() =>
        {
            return Err(HeadError::Version)
        }
        _ => return Err(HeadError::Malformed("invalid HTTP version")),
    };
    let mut headers = Vec::new();
    for line in lines {
        if line.is_empty() {
            break;
        }
        if headers.len() == MAX_HEADERS {
            return Err(HeadError::TooLarge);
        }
        if matches!(line.first(), Some(b' ' | b'\t')) {
            return Err(HeadError::Malformed("folded header line"));
        }
        let Some(colon) = line.iter().position(|&b| b == b':') else {
            return Err(HeadError::Malformed("header line without `:`"));
        };
        let (name, value) = line.split_at(colon);
        if !is_token(name) {
            return Err(HeadError::Malformed("invalid header name"));
        }
        let value = value.get(1..).unwrap_or_default().trim_ascii();
        if value.iter().any(|&b| (b < 0x20 && b != b'\t') || b == 0x7f) {
            return Err(HeadError::Malformed("control character in a header value"));
        }
        headers.push((
            String::from_utf8_lossy(name).to_ascii_lowercase(),
            String::from_utf8_lossy(value).into_owned(),
        ));
    }
    Ok(Head {
        method: String::from_utf8_lossy(method).into_owned(),
        target: String::from_utf8_lossy(target).into_owned(),
        version,
        headers,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A source that hands out `data` a few bytes at a time, then reports a timeout.
    struct Trickle<'a> {
        data: &'a [u8],
        step: usize,
    }

    impl Read for Trickle<'_> {
        fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
            if self.data.is_empty() {
                return Err(ErrorKind::TimedOut.into());
            }
            let n = self.step.min(buf.len()).min(self.data.len());
            let (now, rest) = self.data.split_at(n);
            buf[..n].copy_from_slice(now);
            self.data = rest;
            Ok(n)
        }
    }

    fn read_all(data: &[u8]) -> Vec<Result<Head, HeadError>> {
        let mut src = data;
        let mut r = HeadReader::new();
        let mut out = Vec::new();
        loop {
            let h = r.read(&mut src);
            let done = h.is_err();
            out.push(h);
            if done {
                return out;
            }
        }
    }

    fn one(data: &[u8]) -> Result<Head, HeadError> {
        HeadReader::new().read(&mut &data[..])
    }

    #[test]
    fn parses_a_browser_request() {
        let h = one(b"GET /en-US/?x=1 HTTP/1.1\r\nHost: 127.0.0.1:8000\r\nAccept:  text/html \r\nConnection: keep-alive, Upgrade\r\n\r\n").unwrap();
        assert_eq!(h.method, "GET");
        assert_eq!(h.target, "/en-US/?x=1");
        assert_eq!(h.version, Version::Http11);
        assert_eq!(h.values("host").collect::<Vec<_>>(), ["127.0.0.1:8000"]);
        assert_eq!(h.values("accept").collect::<Vec<_>>(), ["text/html"]);
        assert!(h.keep_alive());
    }

    #[test]
    fn pipelined_heads_are_read_in_turn_and_bare_lf_is_accepted() {
        let out = read_all(b"\r\nGET /a HTTP/1.1\nHost: h\n\nHEAD /b HTTP/1.0\r\n\r\n");
        assert_eq!(out.len(), 3);
        let (a, b) = (out[0].as_ref().unwrap(), out[1].as_ref().unwrap());
        assert_eq!((a.target.as_str(), a.method.as_str()), ("/a", "GET"));
        assert_eq!((b.target.as_str(), b.version), ("/b", Version::Http10));
        assert!(!b.keep_alive(), "HTTP/1.0 closes");
        assert!(matches!(out[2], Err(HeadError::Closed)));
    }

    #[test]
    fn a_head_split_across_reads_is_joined() {
        let data = b"GET / HTTP/1.1\r\nHost: h\r\n\r\n";
        for step in 1..data.len() {
            let h = HeadReader::new().read(&mut Trickle { data, step }).unwrap();
            assert_eq!(h.values("host").next(), Some("h"), "step {step}");
        }
    }

    #[test]
    fn silence_times_out_and_says_whether_a_head_had_started() {
        let mut r = HeadReader::new();
        let e = r.read(&mut Trickle { data: b"", step: 1 }).unwrap_err();
        assert!(matches!(e, HeadError::TimedOut { partial: false }));
        assert_eq!(e.status(), None);
        let e = r
            .read(&mut Trickle {
                data: b"GET / HTTP/1.1\r\nHost: x\r\n",
                step: 5,
            })
            .unwrap_err();
        assert!(matches!(e, HeadError::TimedOut { partial: true }));
        assert_eq!(e.status(), Some(408));
        let e = HeadReader::new().read(&mut &b"GET / HT"[..]).unwrap_err();
        assert!(matches!(e, HeadError::Truncated));
    }

    #[test]
    fn oversized_heads_get_431_and_long_targets_414() {
        let big = format!("GET / HTTP/1.1\r\nX-Big: {}\r\n\r\n", "a".repeat(20 * 1024));
        let e = one(big.as_bytes()).unwrap_err();
        assert_eq!(e.status(), Some(431), "{e}");

        let many: String = (0..=MAX_HEADERS).map(|i| format!("X-{i}: v\r\n")).collect();
        let e = one(format!("GET / HTTP/1.1\r\n{many}\r\n").as_bytes()).unwrap_err();
        assert_eq!(e.status(), Some(431), "{e}");

        let long = format!("GET /{} HTTP/1.1\r\n\r\n", "a".repeat(MAX_REQUEST_LINE));
        assert_eq!(one(long.as_bytes()).unwrap_err().status(), Some(414));
        let endless = format!("GET /{}", "a".repeat(3 * MAX_HEAD_BYTES));
        assert_eq!(one(endless.as_bytes()).unwrap_err().status(), Some(414));

        // Exactly at the bound is fine.
        let head = "GET / HTTP/1.1\r\nX: \r\n\r\n";
        let pad = "a".repeat(MAX_HEAD_BYTES - head.len());
        let exact = format!("GET / HTTP/1.1\r\nX: {pad}\r\n\r\n");
        assert_eq!(exact.len(), MAX_HEAD_BYTES);
        assert!(one(exact.as_bytes()).is_ok());
        let over = format!("GET / HTTP/1.1\r\nX: a{pad}\r\n\r\n");
        assert_eq!(one(over.as_bytes()).unwrap_err().status(), Some(431));
    }

    #[test]
    fn malformed_heads_get_400_and_other_versions_505() {
        for bad in [
            &b"GET /\r\n\r\n"[..],
            b"GET  / HTTP/1.1\r\n\r\n",
            b"GET / HTTP/1.1 x\r\n\r\n",
            b"G(T / HTTP/1.1\r\n\r\n",
            b"GET /a\x01 HTTP/1.1\r\n\r\n",
            "GET /é HTTP/1.1\r\n\r\n".as_bytes(),
            b"GET / HTTP/1.1\r\nHost : x\r\n\r\n",
            b"GET / HTTP/1.1\r\nHost x\r\n\r\n",
            b"GET / HTTP/1.1\r\nHost: x\r\n folded\r\n\r\n",
            b"GET / HTTP/1.1\r\nX: a\x00b\r\n\r\n",
            b"GET / HTTP/1.1\r\nX: a\rb\r\n\r\n",
            b"GET / FTP/1.1\r\n\r\n",
        ] {
            let e = one(bad).unwrap_err();
            assert_eq!(
                e.status(),
                Some(400),
                "{:?}: {e}",
                String::from_utf8_lossy(bad)
            );
        }
        assert_eq!(
            one(b"GET / HTTP/2.0\r\n\r\n").unwrap_err().status(),
            Some(505)
        );
    }

    #[test]
    fn a_body_is_read_after_its_head_from_the_buffer_and_the_stream() {
        let data = b"POST /a HTTP/1.1\r\nContent-Length: 10\r\n\r\n0123456789GET";
        for step in 1..data.len() {
            let mut src = Trickle { data, step };
            let mut r = HeadReader::new();
            let h = r.read(&mut src).unwrap();
            assert_eq!(h.method, "POST");
            assert_eq!(r.body(&mut src, 10).unwrap(), b"0123456789", "step {step}");
        }
        let mut src = &b"POST / HTTP/1.1\r\n\r\nabc"[..];
        let mut r = HeadReader::new();
        r.read(&mut src).unwrap();
        assert!(matches!(r.body(&mut src, 5), Err(HeadError::Truncated)));
        let mut r = HeadReader::new();
        let mut src = Trickle {
            data: b"POST / HTTP/1.1\r\n\r\nab",
            step: 64,
        };
        r.read(&mut src).unwrap();
        assert_eq!(r.body(&mut src, 5).unwrap_err().status(), Some(408));
    }

    #[test]
    fn bodies_and_connection_close_end_the_connection() {
        let h = |extra: &str| one(format!("GET / HTTP/1.1\r\n{extra}\r\n").as_bytes()).unwrap();
        assert!(h("Content-Length: 0\r\n").keep_alive());
        assert!(!h("Content-Length: 5\r\n").keep_alive());
        assert!(!h("Transfer-Encoding: chunked\r\n").keep_alive());
        assert!(!h("Connection: Close\r\n").keep_alive());
        assert!(h("Connection: keep-alive\r\n").keep_alive());
    }
}
