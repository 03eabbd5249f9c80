//! What the live preview answers: files from memory, the `Host` rule, and the server-sent
//! event stream for reloads. [`server`](super::server) owns the sockets; this file maps a
//! parsed request [`Head`] to a [`Reply`].
//!
//! `GET /__ftlsite/events?v=N` is an SSE stream (`text/event-stream`), flushed after every
//! event: `event: reload` is sent as soon as the preview's version passes `N`, and a comment
//! every 15 s finds closed connections.
//!
//! `GET /__ftlsite/status` is the translation status dashboard of the latest good build
//! (`ftlsite report`'s page), with the reload script like every other page.
//! With `--edit`, requests under `/__ftlsite/edit/` go to the [editor](super::edit), which
//! alone reads request bodies ([`body_length`]); without it no such path exists, and any
//! method but `GET` and `HEAD` is 405.
//!
//! Only requests addressed to the preview itself are answered: the `Host` field must be
//! `127.0.0.1:PORT`, `localhost:PORT` or `[::1]:PORT`, PORT being the port actually bound
//! (without `:PORT` only when that is 80). Anything else is 403, so that a page whose domain
//! has been rebound to 127.0.0.1 (DNS rebinding) cannot read the preview; an HTTP/1.1 request
//! without `Host`, or with two, is 400.

use std::io::Write;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use super::request::{Head, Version};
pub use super::response::{reason, Response};
use super::{edit, inject, Preview};

/// The path of the event stream.
pub const EVENTS: &str = "/__ftlsite/events";

/// How long a dashboard request waits for the QA checks of a build already serving its pages.
const SETTLE_WAIT: std::time::Duration = std::time::Duration::from_secs(5);

/// The path of the translation status dashboard.
pub const STATUS: &str = "/__ftlsite/status";

/// Where the dashboard sits among the preview's files (no page or asset can be there: pages
/// are under a locale folder, assets under `assets/`).
pub const STATUS_FILE: &str = "__ftlsite/status.html";

/// How often an idle event stream sends a comment, to find connections that have gone away.
const PING: Duration = Duration::from_secs(15);

/// What to do with a request.
#[derive(Debug)]
pub enum Reply {
    /// Send this response.
    Response(Response),
    /// Turn the connection into an event stream, telling the page about versions after `seen`.
    Events {
        /// The version the page was built from.
        seen: u64,
    },
}

/// Refuses a request that is not addressed to the preview on `port` (see the module docs).
pub fn check_host(head: &Head, port: u16) -> Result<(), Response> {
    let mut hosts = head.values("host");
    match (hosts.next(), hosts.next()) {
        (None, _) if head.version == Version::Http10 => Ok(()),
        (None, _) => Err(Response::text(400, "the request has no Host header")),
        (Some(_), Some(_)) => Err(Response::text(
            400,
            "the request has more than one Host header",
        )),
        (Some(host), None) if allowed_host(host, port) => Ok(()),
        (Some(_), None) => Err(Response::text(
            403,
            &format!(
                "this preview answers only Host 127.0.0.1:{port}, localhost:{port} or [::1]:{port}"
            ),
        )),
    }
}

/// Whether `host` names this machine's loopback on `port`.
pub(super) fn allowed_host(host: &str, port: u16) -> bool {
    let (name, rest) = match host.rsplit_once(':') {
        Some((name, p)) if !host.ends_with(']') => (name, Some(p)),
        _ => (host, None),
    };
    let port_ok = match rest {
        Some(p) => p == port.to_string(),
        None => port == 80,
    };
    port_ok && (name == "127.0.0.1" || name == "[::1]" || name.eq_ignore_ascii_case("localhost"))
}

fn not_found() -> Response {
    Response::text(404, "")
}

/// How many body bytes the server must read before answering `head`: 0 except for a `POST`
/// to the editor, which must send `Content-Length` (411) of at most
/// [`MAX_BODY`](super::edit::MAX_BODY) (413) and no `Transfer-Encoding` (411).
pub fn body_length(head: &Head, preview: &Preview) -> Result<usize, Response> {
    let path = head.target.split('?').next().unwrap_or("");
    if preview.editor().is_none() || head.method != "POST" || !path.starts_with(edit::EDIT_PREFIX) {
        return Ok(0);
    }
    if head.values("transfer-encoding").next().is_some() {
        return Err(Response::text(411, "send the body with Content-Length"));
    }
    let mut lengths = head.values("content-length");
    let length = match (lengths.next(), lengths.next()) {
        (Some(v), None) if !v.is_empty() && v.bytes().all(|b| b.is_ascii_digit()) => v.parse().ok(),
        (None, _) => return Err(Response::text(411, "send the body with Content-Length")),
        _ => None,
    };
    match length {
        Some(n) if n <= edit::MAX_BODY => Ok(n),
        Some(_) => Err(Response::text(
            413,
            &format!("an editor request is at most {} bytes", edit::MAX_BODY),
        )),
        None => Err(Response::text(400, "invalid Content-Length")),
    }
}

/// Answers one request for the preview listening on `port`; `body` is what [`body_length`]
/// asked the server to read.
pub fn route(head: &Head, body: &[u8], port: u16, preview: &Preview) -> Reply {
    if let Err(refused) = check_host(head, port) {
        return Reply::Response(refused);
    }
    if let Some(editor) = preview.editor() {
        if head.target.starts_with(edit::EDIT_PREFIX) {
            return Reply::Response(editor.handle(head, body, port));
        }
    }
    let get = match head.method.as_str() {
        "GET" => true,
        "HEAD" => false,
        _ => {
            return Reply::Response(
                Response::text(405, "").with_header("Allow", "GET, HEAD".into()),
            )
        }
    };
    let url = head.target.as_str();
    let (path, query) = url.split_once('?').unwrap_or((url, ""));
    if path == EVENTS {
        if !get {
            return Reply::Response(Response {
                content_type: "text/event-stream",
                body: Vec::new(),
                ..Response::text(200, "")
            });
        }
        let seen = query
            .split('&')
            .find_map(|kv| kv.strip_prefix("v="))
            .and_then(|v| v.parse().ok())
            .unwrap_or(0);
        return Reply::Events { seen };
    }
    if path == STATUS {
        // A dashboard that reloads with a new build waits for that build's QA checks.
        preview.wait_settled(SETTLE_WAIT);
        return Reply::Response(page(&format!("/{STATUS_FILE}"), path, "", preview));
    }
    Reply::Response(page(url, path, query, preview))
}

/// A file of the current build, a redirect to a folder's `/`, or 404. With the editor, a page
/// asked for with [`VARIANT_PARAM`](edit::VARIANT_PARAM) is its variant preview, and pages may
/// not be framed by other pages (the panel writes files).
fn page(url: &str, path: &str, query: &str, preview: &Preview) -> Response {
    let Some(rel) = resolve(url) else {
        return not_found();
    };
    let snap = preview.snapshot();
    if let Some(editor) = preview.editor() {
        let response = match edit::query_value(query, edit::VARIANT_PARAM) {
            Some(spec) if content_type(&rel).starts_with("text/html") => {
                edit::variant::page(editor, &rel, &spec, &snap)
            }
            _ => built(&rel, path, &snap),
        };
        return response
            .with_header("Content-Security-Policy", "frame-ancestors 'none'".into())
            .with_header("X-Frame-Options", "DENY".into());
    }
    built(&rel, path, &snap)
}

/// The built file `rel` with the snippet injected into HTML, a redirect, or 404.
fn built(rel: &str, path: &str, snap: &super::Snapshot) -> Response {
    let Some(files) = snap.files.clone() else {
        return Response {
            status: 500,
            content_type: "text/html; charset=utf-8",
            headers: Vec::new(),
            body: inject::error_page(snap).into_bytes(),
        };
    };
    match files.get(rel) {
        Some(bytes) => {
            let content_type = content_type(rel);
            let body = if content_type.starts_with("text/html") {
                inject::page(&String::from_utf8_lossy(bytes), snap).into_bytes()
            } else {
                bytes.to_vec()
            };
            Response {
                status: 200,
                content_type,
                headers: Vec::new(),
                body,
            }
        }
        None if files.contains_key(format!("{rel}/index.html").as_str()) => Response {
            body: Vec::new(),
            ..Response::text(301, "")
        }
        .with_header("Location", format!("{path}/")),
        None => not_found(),
    }
}

/// The head of an event stream, with the reconnection delay browsers should use.
pub const EVENTS_HEAD: &str = "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-store\r\nConnection: close\r\n\r\nretry: 300\n\n";

/// Streams events to `out` until a write fails or `stop` is set: `event: reload` whenever the
/// preview's version passes `seen`, a comment every 15 s otherwise.
pub fn stream_events(out: &mut impl Write, preview: &Preview, mut seen: u64, stop: &AtomicBool) {
    if out
        .write_all(EVENTS_HEAD.as_bytes())
        .and_then(|_| out.flush())
        .is_err()
    {
        return;
    }
    while let Some(now) = preview.wait_newer_unless(seen, PING, stop) {
        let msg = if now > seen {
            seen = now;
            format!("event: reload\ndata: {now}\n\n")
        } else {
            ": ping\n\n".to_string()
        };
        if stop.load(Ordering::Acquire)
            || out
                .write_all(msg.as_bytes())
                .and_then(|_| out.flush())
                .is_err()
        {
            return;
        }
    }
}

/// Maps a request target to an output path: `/` and `dir/` to their `index.html`. Anything that
/// could leave the output (`..`, `.`, empty segments, encoded `/` or `\`, backslashes, NUL,
/// absolute-form targets, invalid percent-encoding or UTF-8) is `None`, which is a 404.
pub fn resolve(target: &str) -> Option<String> {
    let path = target.split(['?', '#']).next().unwrap_or("");
    let rest = path.strip_prefix('/')?;
    if rest.starts_with('/') || path.contains('\\') {
        return None;
    }
    let mut bytes = Vec::with_capacity(rest.len());
    let raw = rest.as_bytes();
    let mut i = 0;
    while i < raw.len() {
        if raw[i] == b'%' {
            let hex = std::str::from_utf8(raw.get(i + 1..i + 3)?).ok()?;
            let b = u8::from_str_radix(hex, 16).ok()?;
            if matches!(b, b'/' | b'\\' | 0) {
                return None;
            }
            bytes.push(b);
            i += 3;
        } else {
            bytes.push(raw[i]);
            i += 1;
        }
    }
    let mut rel = String::from_utf8(bytes).ok()?;
    if rel.is_empty() || rel.ends_with('/') {
        rel.push_str("index.html");
    }
    crate::site::check_relative(&rel).ok()?;
    Some(rel)
}

/// The Content-Type for an output path.
pub fn content_type(path: &str) -> &'static str {
    let ext = path.rsplit_once('.').map(|(_, e)| e).unwrap_or("");
    match ext.to_ascii_lowercase().as_str() {
        "html" | "htm" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "svg" => "image/svg+xml",
        "xml" => "application/xml; charset=utf-8",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "webp" => "image/webp",
        "ico" => "image/x-icon",
        "json" => "application/json",
        "txt" => "text/plain; charset=utf-8",
        "woff2" => "font/woff2",
        _ => "application/octet-stream",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resolves_pages_and_directories() {
        assert_eq!(resolve("/").as_deref(), Some("index.html"));
        assert_eq!(
            resolve("/en-US/privacy/").as_deref(),
            Some("en-US/privacy/index.html")
        );
        assert_eq!(
            resolve("/zh-CN/privacy/default.html?x=1#top").as_deref(),
            Some("zh-CN/privacy/default.html")
        );
        assert_eq!(resolve("/a%20b.css").as_deref(), Some("a b.css"));
    }

    #[test]
    fn refuses_everything_that_could_leave_the_output() {
        for t in [
            "/../etc/passwd",
            "/en-US/../../etc/passwd",
            "/%2e%2e/etc/passwd",
            "/%2E%2E%2fetc%2fpasswd",
            "/en-US%2f..%2f..%2fsecret",
            "/..%5c..%5cwin.ini",
            "/..\\..\\win.ini",
            "//etc/passwd",
            "http://127.0.0.1/etc/passwd",
            "etc/passwd",
            "/./index.html",
            "/a//b.html",
            "/%00",
            "/%zz",
            "/%ff",
            "/C:/Windows/win.ini",
        ] {
            assert_eq!(resolve(t), None, "{t}");
        }
    }

    fn head(method: &str, target: &str, version: Version, hosts: &[&str]) -> Head {
        Head {
            method: method.into(),
            target: target.into(),
            version,
            headers: hosts
                .iter()
                .map(|h| ("host".to_string(), h.to_string()))
                .collect(),
        }
    }

    fn status(head: &Head, preview: &Preview) -> u16 {
        match route(head, &[], 4000, preview) {
            Reply::Response(r) => r.status,
            Reply::Events { .. } => 0,
        }
    }

    #[test]
    fn only_loopback_hosts_on_the_bound_port_are_answered() {
        let p = Preview::new(false);
        p.update(super::super::Outcome::Built(Default::default()));
        let get = |hosts: &[&str]| status(&head("GET", "/missing", Version::Http11, hosts), &p);
        for ok in [
            "127.0.0.1:4000",
            "localhost:4000",
            "LocalHost:4000",
            "[::1]:4000",
        ] {
            assert_eq!(get(&[ok]), 404, "{ok}");
        }
        for refused in [
            "evil.example:4000",
            "evil.example",
            "127.0.0.1",
            "127.0.0.1:4001",
            "127.0.0.1:04000",
            "localhost:4000.evil.example",
            "127.0.0.2:4000",
            "[::1]",
            "::1:4000",
            "localhost.:4000",
            "",
        ] {
            assert_eq!(get(&[refused]), 403, "{refused}");
        }
        assert_eq!(get(&[]), 400, "HTTP/1.1 requires Host");
        assert_eq!(get(&["127.0.0.1:4000", "127.0.0.1:4000"]), 400);
        assert_eq!(status(&head("GET", "/x", Version::Http10, &[]), &p), 404);
        assert_eq!(
            status(&head("GET", "/x", Version::Http10, &["evil.example"]), &p),
            403
        );
        assert!(allowed_host("localhost", 80) && allowed_host("127.0.0.1:80", 80));
        assert!(allowed_host("[::1]", 80) && !allowed_host("localhost", 8080));
    }

    #[test]
    fn methods_events_and_redirects() {
        let p = Preview::new(false);
        let mut files = crate::serve::Files::new();
        files.insert(
            std::sync::Arc::from("en-US/index.html"),
            std::sync::Arc::from(&b"<body>x</body>"[..]),
        );
        p.update(super::super::Outcome::Built(std::sync::Arc::new(files)));
        let h = |m: &str, t: &str| head(m, t, Version::Http11, &["127.0.0.1:4000"]);
        assert_eq!(status(&h("POST", "/"), &p), 405);
        assert_eq!(status(&h("GET", "/en-US/"), &p), 200);
        assert!(matches!(
            route(&h("GET", "/__ftlsite/events?v=7"), &[], 4000, &p),
            Reply::Events { seen: 7 }
        ));
        assert_eq!(status(&h("HEAD", "/__ftlsite/events"), &p), 200);
        let Reply::Response(r) = route(&h("GET", "/en-US?a"), &[], 4000, &p) else {
            panic!("not a response")
        };
        assert_eq!(r.status, 301);
        assert_eq!(r.headers, [("Location", "/en-US/".to_string())]);
    }

    #[test]
    fn event_streams_announce_new_versions_and_end_when_stopped() {
        /// Records what is written; sets `stop` once `events` events have been written.
        struct Page<'a> {
            got: Vec<u8>,
            events: usize,
            stop: &'a AtomicBool,
        }
        impl Write for Page<'_> {
            fn write(&mut self, b: &[u8]) -> std::io::Result<usize> {
                self.got.extend_from_slice(b);
                if String::from_utf8_lossy(&self.got).matches("\n\n").count() > self.events {
                    self.stop.store(true, Ordering::Release);
                }
                Ok(b.len())
            }
            fn flush(&mut self) -> std::io::Result<()> {
                Ok(())
            }
        }
        let p = Preview::new(false);
        p.update(super::super::Outcome::Failed(Vec::new()));
        let stop = AtomicBool::new(false);
        let mut page = Page {
            got: Vec::new(),
            events: 1,
            stop: &stop,
        };
        stream_events(&mut page, &p, 0, &stop);
        assert_eq!(
            String::from_utf8(page.got).unwrap(),
            format!("{EVENTS_HEAD}event: reload\ndata: 1\n\n")
        );

        // A page that already has the latest version hears nothing until it is stopped.
        let stop = AtomicBool::new(false);
        let got = std::thread::scope(|s| {
            let streamer = s.spawn(|| {
                let mut page = Page {
                    got: Vec::new(),
                    events: usize::MAX,
                    stop: &stop,
                };
                stream_events(&mut page, &p, 1, &stop);
                page.got
            });
            stop.store(true, Ordering::Release);
            p.wake();
            streamer.join().unwrap()
        });
        assert_eq!(String::from_utf8(got).unwrap(), EVENTS_HEAD);
    }

    #[test]
    fn content_types() {
        assert_eq!(content_type("a/b.html"), "text/html; charset=utf-8");
        assert_eq!(content_type("assets/x.svg"), "image/svg+xml");
        assert_eq!(
            content_type("sitemap.xml"),
            "application/xml; charset=utf-8"
        );
        assert_eq!(content_type("a.png"), "image/png");
        assert_eq!(content_type("a.css"), "text/css; charset=utf-8");
        assert_eq!(content_type("a.js"), "text/javascript; charset=utf-8");
    }
}
