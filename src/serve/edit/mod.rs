//! The in-context editor of `ftlsite serve --edit`: a panel injected into every preview page,
//! and the API it calls under [`EDIT_PREFIX`], which exists only with `--edit`.
//!
//! | request                                       | answer                                    |
//! |-----------------------------------------------|-------------------------------------------|
//! | `GET /__ftlsite/edit/entry?locale=L&id=ID`    | the entry's JSON ([`entry::EntryInfo`])   |
//! | `POST /__ftlsite/edit/save` (JSON body)       | written, refused or conflict ([`save`])   |
//! | `GET /PAGE?ftlsite-variant=ID:N:KEY`          | the page with select N of ID forced to KEY |
//!
//! Every API request must carry the run's token in `X-Ftlsite-Token` and pass the origin
//! rules of [`guard`]; the preview's own `Host` check comes first, as for every request. The
//! token is random per run and is written only into the pages the preview serves, which only a
//! loopback `Host` can read, so a page of another origin can neither read it nor send it.
//!
//! Writes go only to the `.ftl` files of the served site: the file is chosen by the server
//! from the site's catalogs (the file defining the message, or for a missing message the
//! locale's file mirroring the source file), never taken from the request, and must resolve
//! inside the site folder. Every write goes through [`crate::ftl::Document`] (only that entry's
//! bytes change) and [`crate::output::replace_file`] (atomically).

mod check;
pub mod entry;
pub mod guard;
pub mod save;
pub mod variant;

use std::collections::BTreeSet;
use std::hash::Hasher;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::mpsc::Sender;
use std::sync::{Arc, Mutex};

use super::http::Response;
use super::request::Head;
use super::Builder;
use crate::catalog::Catalogs;
use crate::site::Site;

/// Where the editor's API answers.
pub const EDIT_PREFIX: &str = "/__ftlsite/edit/";

/// The request header that carries the run's token.
pub const TOKEN_HEADER: &str = "x-ftlsite-token";

/// The query parameter of the variant preview (see [`variant`]).
pub const VARIANT_PARAM: &str = "ftlsite-variant";

/// Largest request body the API reads (`413 Content Too Large` beyond).
pub const MAX_BODY: usize = 64 * 1024;

/// The editor of one `serve --edit` run.
pub struct Editor {
    token: Arc<str>,
    root: PathBuf,
    builder: Arc<Mutex<Builder>>,
    rebuild: Sender<BTreeSet<String>>,
    /// Held while a save checks and writes, so two saves never interleave.
    saving: Mutex<()>,
}

impl std::fmt::Debug for Editor {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Editor")
            .field("root", &self.root)
            .finish_non_exhaustive()
    }
}

impl Editor {
    /// The editor of the site folder `root`, built by `builder`. After a save it sends the
    /// written path on `rebuild`, the channel the folder watch feeds, so the page reloads
    /// without waiting for the watch to settle. The token is 32 random bytes from the
    /// operating system.
    pub fn new(
        root: &Path,
        builder: Arc<Mutex<Builder>>,
        rebuild: Sender<BTreeSet<String>>,
    ) -> io::Result<Editor> {
        let mut bytes = [0u8; 32];
        getrandom::fill(&mut bytes).map_err(|e| io::Error::other(e.to_string()))?;
        let token: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
        Ok(Self::with_token(root, builder, rebuild, &token))
    }

    /// Like [`new`](Self::new) with a given token (tests).
    pub fn with_token(
        root: &Path,
        builder: Arc<Mutex<Builder>>,
        rebuild: Sender<BTreeSet<String>>,
        token: &str,
    ) -> Editor {
        Editor {
            token: token.into(),
            root: std::fs::canonicalize(root).unwrap_or_else(|_| root.to_path_buf()),
            builder,
            rebuild,
            saving: Mutex::new(()),
        }
    }

    /// The run's token, which the panel sends with every request.
    pub fn token(&self) -> Arc<str> {
        self.token.clone()
    }

    /// The site folder, with links resolved.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// Answers a request under [`EDIT_PREFIX`] for the preview on `port`.
    pub fn handle(&self, head: &Head, body: &[u8], port: u16) -> Response {
        let url = head.target.as_str();
        let (path, query) = url.split_once('?').unwrap_or((url, ""));
        let action = path.strip_prefix(EDIT_PREFIX).unwrap_or("");
        let checked =
            guard::check_token(head, &self.token).and_then(|()| match head.method.as_str() {
                "POST" => guard::check_write(head, port),
                _ => guard::check_read(head, port),
            });
        if let Err(refused) = checked {
            return refused;
        }
        match (head.method.as_str(), action) {
            ("GET", "entry") => entry::answer(self, query),
            ("POST", "save") => save::answer(self, body),
            (_, "entry") => method_not_allowed("GET"),
            (_, "save") => method_not_allowed("POST"),
            _ => json_error(404, "no such editor request"),
        }
    }

    /// Runs `f` on the site and catalogs of the last good build; 503 when there is none yet.
    fn with_loaded<T>(
        &self,
        f: impl FnOnce(&Builder, &Site, &Catalogs) -> T,
    ) -> Result<T, Response> {
        let builder = self
            .builder
            .lock()
            .map_err(|_| json_error(500, "the preview's builder failed"))?;
        match builder.loaded() {
            Some((site, catalogs)) => Ok(f(&builder, site, catalogs)),
            None => Err(json_error(
                503,
                "no build has succeeded yet; fix the errors shown in the overlay first",
            )),
        }
    }

    /// Asks the rebuild loop to rebuild after `path` was written.
    fn rebuilt(&self, path: &str) {
        let _ = self.rebuild.send(BTreeSet::from([path.to_string()]));
    }
}

/// A version tag of a file's bytes, `absent` for a file that does not exist: what the panel
/// gets when it opens and sends back when it saves, to find changes made on disk meanwhile.
pub fn file_hash(bytes: Option<&[u8]>) -> String {
    match bytes {
        None => "absent".to_string(),
        Some(b) => {
            let mut h = std::hash::DefaultHasher::new();
            h.write(b);
            format!("{:016x}-{}", h.finish(), b.len())
        }
    }
}

/// A JSON response.
pub fn json(status: u16, value: &impl serde::Serialize) -> Response {
    Response {
        status,
        content_type: "application/json",
        headers: Vec::new(),
        body: serde_json::to_vec(value).unwrap_or_default(),
    }
}

/// `{"error": detail}` with `status`.
pub fn json_error(status: u16, detail: &str) -> Response {
    json(status, &serde_json::json!({ "error": detail }))
}

fn method_not_allowed(allow: &'static str) -> Response {
    json_error(405, "method not allowed").with_header("Allow", allow.into())
}

/// The value of `name` in a query string, percent-decoded; `None` when absent or not UTF-8.
pub fn query_value(query: &str, name: &str) -> Option<String> {
    query.split('&').find_map(|kv| {
        let (k, v) = kv.split_once('=').unwrap_or((kv, ""));
        (k == name).then(|| percent_decode(v)).flatten()
    })
}

/// `%XX` and `+` decoded; `None` for invalid escapes or UTF-8.
fn percent_decode(s: &str) -> Option<String> {
    let raw = s.as_bytes();
    let mut out = Vec::with_capacity(raw.len());
    let mut i = 0;
    while let Some(&b) = raw.get(i) {
        match b {
            b'%' => {
                let hex = std::str::from_utf8(raw.get(i + 1..i + 3)?).ok()?;
                out.push(u8::from_str_radix(hex, 16).ok()?);
                i += 3;
            }
            b'+' => {
                out.push(b' ');
                i += 1;
            }
            _ => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8(out).ok()
}

/// Whether `s` is a Fluent identifier: `[a-zA-Z][a-zA-Z0-9_-]*`.
pub fn is_identifier(s: &str) -> bool {
    let mut chars = s.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
}

/// Splits `id` or `id.attr` into the message id and the attribute; `None` unless both parts
/// are identifiers.
pub fn split_id(id: &str) -> Option<(&str, Option<&str>)> {
    let (msg, attr) = match id.split_once('.') {
        Some((m, a)) => (m, Some(a)),
        None => (id, None),
    };
    (is_identifier(msg) && attr.is_none_or(is_identifier)).then_some((msg, attr))
}

/// The 1-based line of byte `offset` in `text`.
pub fn line_of(text: &str, offset: usize) -> usize {
    text.as_bytes()
        .get(..offset)
        .map_or(0, |b| b.iter().filter(|&&c| c == b'\n').count())
        + 1
}

#[cfg(test)]
mod tests;
