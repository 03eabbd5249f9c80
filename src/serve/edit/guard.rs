//! Who may use the editor's API: the rules checked before any request is looked at.
//!
//! - **Token.** Every request carries the run's token in `X-Ftlsite-Token` (403 otherwise). A
//!   custom header cannot be sent across origins without a CORS preflight, which the preview
//!   never grants, and the token itself is only in pages that a loopback `Host` can read.
//! - **Origin.** A write (`POST`) must come from the preview's own origin: an `Origin` of
//!   `http://127.0.0.1:PORT`, `http://localhost:PORT` or `http://[::1]:PORT` (PORT the port
//!   bound), or no `Origin` and `Sec-Fetch-Site: same-origin`. A read may omit both (browsers
//!   send no `Origin` on same-origin `GET`s), but one that is present must say the same.
//!   `Sec-Fetch-Site`, when sent, must be `same-origin` for every request.
//! - **Body.** A write's body is JSON (`Content-Type: application/json`, 415 otherwise) of at
//!   most [`MAX_BODY`](super::MAX_BODY) bytes, sent with `Content-Length` (checked by
//!   [`crate::serve::http::body_length`]).

use super::super::http::allowed_host;
use super::super::request::Head;
use super::{json_error, TOKEN_HEADER};
use crate::serve::http::Response;

/// 403 unless the request carries exactly one `X-Ftlsite-Token` equal to `token`.
pub fn check_token(head: &Head, token: &str) -> Result<(), Response> {
    let mut values = head.values(TOKEN_HEADER);
    match (values.next(), values.next()) {
        (Some(sent), None) if same(sent.as_bytes(), token.as_bytes()) => Ok(()),
        _ => Err(json_error(
            403,
            "missing or wrong editor token; reload the page from the preview",
        )),
    }
}

/// Compares without stopping at the first difference, so timing does not tell how much of a
/// guessed token was right.
fn same(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// The rules for a read: a present `Origin` or `Sec-Fetch-Site` must name this preview.
pub fn check_read(head: &Head, port: u16) -> Result<(), Response> {
    check_fetch_site(head)?;
    match single(head, "origin")? {
        None => Ok(()),
        Some(origin) => check_origin(origin, port),
    }
}

/// The rules for a write: same origin, said by `Origin` or by `Sec-Fetch-Site`, and a JSON
/// body.
pub fn check_write(head: &Head, port: u16) -> Result<(), Response> {
    check_fetch_site(head)?;
    match single(head, "origin")? {
        Some(origin) => check_origin(origin, port)?,
        None if head.values("sec-fetch-site").next() == Some("same-origin") => {}
        None => {
            return Err(json_error(
                403,
                "a write must say where it comes from (Origin or Sec-Fetch-Site)",
            ))
        }
    }
    let json = single(head, "content-type")?.is_some_and(|t| {
        t.split(';')
            .next()
            .is_some_and(|m| m.trim().eq_ignore_ascii_case("application/json"))
    });
    if json {
        Ok(())
    } else {
        Err(json_error(415, "the body must be application/json"))
    }
}

/// The one value of field `name`, if any; 400 when it is repeated.
fn single<'a>(head: &'a Head, name: &'a str) -> Result<Option<&'a str>, Response> {
    let mut values = head.values(name);
    match (values.next(), values.next()) {
        (v, None) => Ok(v),
        _ => Err(json_error(400, &format!("more than one {name} header"))),
    }
}

fn check_fetch_site(head: &Head) -> Result<(), Response> {
    match single(head, "sec-fetch-site")? {
        None | Some("same-origin") => Ok(()),
        Some(_) => Err(json_error(
            403,
            "the editor answers only requests from the preview's own pages",
        )),
    }
}

/// 403 unless `origin` is this preview's: `http://` and a loopback host on `port`.
fn check_origin(origin: &str, port: u16) -> Result<(), Response> {
    match origin.strip_prefix("http://") {
        Some(host) if allowed_host(host, port) => Ok(()),
        _ => Err(json_error(
            403,
            &format!("requests from {origin} may not use the editor"),
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::serve::request::Version;

    fn head(method: &str, fields: &[(&str, &str)]) -> Head {
        Head {
            method: method.into(),
            target: "/__ftlsite/edit/save".into(),
            version: Version::Http11,
            headers: fields
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
        }
    }

    fn status(r: Result<(), Response>) -> u16 {
        r.err().map_or(200, |r| r.status)
    }

    #[test]
    fn the_token_must_match_exactly() {
        let ok = head("POST", &[("x-ftlsite-token", "abc")]);
        assert_eq!(status(check_token(&ok, "abc")), 200);
        for fields in [
            &[][..],
            &[("x-ftlsite-token", "abd")],
            &[("x-ftlsite-token", "ab")],
            &[("x-ftlsite-token", "abc"), ("x-ftlsite-token", "abc")],
        ] {
            assert_eq!(
                status(check_token(&head("POST", fields), "abc")),
                403,
                "{fields:?}"
            );
        }
    }

    #[test]
    fn writes_come_from_the_preview_only() {
        let json = ("content-type", "application/json; charset=utf-8");
        let write = |fields: &[(&str, &str)]| status(check_write(&head("POST", fields), 4000));
        assert_eq!(write(&[("origin", "http://127.0.0.1:4000"), json]), 200);
        assert_eq!(write(&[("origin", "http://localhost:4000"), json]), 200);
        assert_eq!(write(&[("origin", "http://[::1]:4000"), json]), 200);
        assert_eq!(write(&[("sec-fetch-site", "same-origin"), json]), 200);
        for origin in [
            "http://evil.example",
            "http://127.0.0.1:4001",
            "https://127.0.0.1:4000",
            "http://127.0.0.1:4000.evil.example",
            "null",
            "",
        ] {
            assert_eq!(write(&[("origin", origin), json]), 403, "{origin}");
        }
        assert_eq!(write(&[json]), 403, "no Origin and no Sec-Fetch-Site");
        assert_eq!(
            write(&[
                ("origin", "http://127.0.0.1:4000"),
                ("sec-fetch-site", "cross-site"),
                json
            ]),
            403
        );
        assert_eq!(
            write(&[
                ("origin", "http://127.0.0.1:4000"),
                ("sec-fetch-site", "same-site"),
                json
            ]),
            403
        );
        assert_eq!(write(&[("origin", "http://127.0.0.1:4000")]), 415);
        assert_eq!(
            write(&[
                ("origin", "http://127.0.0.1:4000"),
                ("content-type", "text/plain")
            ]),
            415
        );
        assert_eq!(
            write(&[
                ("origin", "http://127.0.0.1:4000"),
                ("origin", "http://127.0.0.1:4000"),
                json
            ]),
            400
        );
    }

    #[test]
    fn reads_may_omit_the_origin_but_not_lie_about_it() {
        let read = |fields: &[(&str, &str)]| status(check_read(&head("GET", fields), 4000));
        assert_eq!(read(&[]), 200);
        assert_eq!(read(&[("sec-fetch-site", "same-origin")]), 200);
        assert_eq!(read(&[("origin", "http://localhost:4000")]), 200);
        assert_eq!(read(&[("origin", "http://evil.example")]), 403);
        assert_eq!(read(&[("sec-fetch-site", "cross-site")]), 403);
    }
}
