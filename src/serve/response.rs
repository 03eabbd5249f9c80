//! Responses of the live preview: status, content type, extra fields and body, written as one
//! HTTP/1.1 message.

use std::io::Write;

/// A complete response.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Response {
    /// The status code.
    pub status: u16,
    /// The `Content-Type`.
    pub content_type: &'static str,
    /// Fields besides `Content-Type`, `Content-Length`, `Cache-Control` and `Connection`.
    pub headers: Vec<(&'static str, String)>,
    /// The body (sent for `GET`, counted for `HEAD`).
    pub body: Vec<u8>,
}

impl Response {
    /// A plain-text response: `"{status} {reason}: {detail}\n"`.
    pub fn text(status: u16, detail: &str) -> Response {
        let body = if detail.is_empty() {
            format!("{status} {}\n", reason(status))
        } else {
            format!("{status} {}: {detail}\n", reason(status))
        };
        Response {
            status,
            content_type: "text/plain; charset=utf-8",
            headers: Vec::new(),
            body: body.into_bytes(),
        }
    }

    /// The response with one more header field.
    pub fn with_header(mut self, name: &'static str, value: String) -> Response {
        self.headers.push((name, value));
        self
    }

    /// Writes the response; `head_only` for `HEAD` (the body is counted, not sent), and
    /// `keep_alive` says whether the connection stays open for another request.
    pub fn write_to(
        &self,
        out: &mut impl Write,
        head_only: bool,
        keep_alive: bool,
    ) -> std::io::Result<()> {
        let mut head = format!(
            "HTTP/1.1 {} {}\r\nContent-Type: {}\r\nContent-Length: {}\r\nCache-Control: no-store\r\n",
            self.status,
            reason(self.status),
            self.content_type,
            self.body.len()
        );
        for (name, value) in &self.headers {
            head.push_str(&format!("{name}: {value}\r\n"));
        }
        head.push_str(if keep_alive {
            "Connection: keep-alive\r\n\r\n"
        } else {
            "Connection: close\r\n\r\n"
        });
        out.write_all(head.as_bytes())?;
        if !head_only {
            out.write_all(&self.body)?;
        }
        out.flush()
    }
}

/// The reason phrase of every status the preview sends.
pub fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        301 => "Moved Permanently",
        400 => "Bad Request",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        408 => "Request Timeout",
        409 => "Conflict",
        411 => "Length Required",
        413 => "Content Too Large",
        414 => "URI Too Long",
        415 => "Unsupported Media Type",
        422 => "Unprocessable Content",
        431 => "Request Header Fields Too Large",
        500 => "Internal Server Error",
        503 => "Service Unavailable",
        505 => "HTTP Version Not Supported",
        _ => "",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn responses_count_their_body_and_say_whether_the_connection_stays() {
        let r = Response::text(431, "too big");
        let mut out = Vec::new();
        r.write_to(&mut out, false, false).unwrap();
        let text = String::from_utf8(out).unwrap();
        assert_eq!(
            text,
            "HTTP/1.1 431 Request Header Fields Too Large\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: 45\r\nCache-Control: no-store\r\nConnection: close\r\n\r\n431 Request Header Fields Too Large: too big\n"
        );
        let mut out = Vec::new();
        r.write_to(&mut out, true, true).unwrap();
        let text = String::from_utf8(out).unwrap();
        assert!(
            text.ends_with(
                "Content-Length: 45\r\nCache-Control: no-store\r\nConnection: keep-alive\r\n\r\n"
            ),
            "{text}"
        );
    }
}
