//! HTTP side of the live preview, on tiny_http: one thread per request, files from memory,
//! and server-sent events for reloads.
//!
//! `GET /__ftlsite/events?v=N` is an SSE stream (`text/event-stream`). tiny_http buffers a
//! streamed response body in 8 KiB chunks, so the stream is written on the raw connection
//! (`Request::into_writer`) and flushed after every event: `event: reload` is sent as soon as
//! the preview's version passes `N`, and a comment every 15 s finds closed connections.

use std::io::Write;
use std::sync::Arc;
use std::time::Duration;

use tiny_http::{Header, Method, Request, Response, Server, StatusCode};

use super::{inject, Preview};

/// The path of the event stream.
pub const EVENTS: &str = "/__ftlsite/events";

/// Answers requests until the server is dropped, each on its own thread.
pub fn run(server: Arc<Server>, preview: Arc<Preview>) {
    for request in server.incoming_requests() {
        let preview = preview.clone();
        std::thread::spawn(move || handle(request, &preview));
    }
}

fn header(name: &str, value: &str) -> Option<Header> {
    Header::from_bytes(name.as_bytes(), value.as_bytes()).ok()
}

fn respond(
    request: Request,
    status: u16,
    content_type: &str,
    body: Vec<u8>,
    extra: &[(&str, &str)],
) {
    let mut response = Response::from_data(body).with_status_code(StatusCode(status));
    for (name, value) in std::iter::once(&("Content-Type", content_type))
        .chain(std::iter::once(&("Cache-Control", "no-store")))
        .chain(extra.iter())
    {
        if let Some(h) = header(name, value) {
            response.add_header(h);
        }
    }
    let _ = request.respond(response);
}

fn not_found(request: Request) {
    respond(
        request,
        404,
        "text/plain; charset=utf-8",
        b"404 not found\n".to_vec(),
        &[],
    );
}

/// Serves one request.
pub fn handle(request: Request, preview: &Preview) {
    if !matches!(request.method(), Method::Get | Method::Head) {
        respond(
            request,
            405,
            "text/plain; charset=utf-8",
            b"405 method not allowed\n".to_vec(),
            &[("Allow", "GET, HEAD")],
        );
        return;
    }
    let url = request.url().to_string();
    let (path, query) = match url.split_once('?') {
        Some((p, q)) => (p, q),
        None => (url.as_str(), ""),
    };
    if path == EVENTS {
        let seen = query
            .split('&')
            .find_map(|kv| kv.strip_prefix("v="))
            .and_then(|v| v.parse().ok())
            .unwrap_or(0);
        events(request, preview, seen);
        return;
    }
    let Some(rel) = resolve(&url) else {
        not_found(request);
        return;
    };
    let snap = preview.snapshot();
    let Some(files) = snap.files.clone() else {
        let body = inject::error_page(&snap).into_bytes();
        respond(request, 500, "text/html; charset=utf-8", body, &[]);
        return;
    };
    match files.get(&rel) {
        Some(bytes) => {
            let ctype = content_type(&rel);
            let body = if ctype.starts_with("text/html") {
                inject::page(&String::from_utf8_lossy(bytes), &snap).into_bytes()
            } else {
                bytes.clone()
            };
            respond(request, 200, ctype, body, &[]);
        }
        None if files.contains_key(&format!("{rel}/index.html")) => {
            let location = format!("{path}/");
            respond(
                request,
                301,
                "text/plain; charset=utf-8",
                Vec::new(),
                &[("Location", &location)],
            );
        }
        None => not_found(request),
    }
}

/// The SSE stream: a reload event whenever the version passes `seen`.
fn events(request: Request, preview: &Preview, mut seen: u64) {
    let mut out = request.into_writer();
    let head = "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-store\r\nConnection: close\r\n\r\nretry: 300\n\n";
    if out
        .write_all(head.as_bytes())
        .and_then(|_| out.flush())
        .is_err()
    {
        return;
    }
    loop {
        let now = preview.wait_newer(seen, Duration::from_secs(15));
        let msg = if now > seen {
            seen = now;
            format!("event: reload\ndata: {now}\n\n")
        } else {
            ": ping\n\n".to_string()
        };
        if out
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
