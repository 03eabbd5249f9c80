//! Live preview: build the site in memory through the same stages as `build`
//! (`site::load` → `catalog::load` → `validate::run` → `render::render`), serve the
//! [`RenderedSite`](crate::render::RenderedSite) from memory, and rebuild when the site folder
//! changes. Nothing is written to disk, except by the in-context editor of `serve --edit`
//! ([`edit`]), which writes translations into the site's `.ftl` files.
//!
//! The last good pages stay up while the site has errors; every HTML page then carries an
//! overlay listing the errors in `check`'s short form. Open pages reload themselves through
//! server-sent events on `/__ftlsite/events` (see [`http`]). Every build also makes the
//! translation status dashboard ([`crate::report`]), served at `/__ftlsite/status`.
//!
//! The HTTP/1.1 server is std only: [`server`] owns the listener on 127.0.0.1 and the
//! connection threads, bounded and timed out as its docs describe, [`request`] reads request
//! heads, and [`http`] decides what each request gets.

mod builder;
mod conns;
pub mod edit;
pub mod files;
pub mod http;
mod inject;
mod preview;
pub mod request;
mod response;
pub mod server;
mod watch;

pub use builder::{build, changed_ids, Builder};
pub use preview::{Preview, Snapshot};
pub use server::Server;
pub use watch::{watch, Watch};

use std::sync::Arc;

use crate::diagnostics::{text, Diagnostic};
use crate::pseudo::Pseudo;

/// What a preview build does besides the release build.
#[derive(Clone, Debug, Default)]
pub struct Options {
    /// Limit the targets to these locales (empty: all).
    pub locales: Vec<String>,
    /// Mark every localized element with its message id.
    pub ids: bool,
    /// Pseudo-locales to add.
    pub pseudo: Vec<Pseudo>,
    /// Build for the in-context editor: missing messages fall back (marked in the page) instead
    /// of stopping the build, and every localized text is marked with its id (see [`edit`]).
    pub edit: bool,
}

/// One problem shown in the overlay (and in the editor panel): `check`'s short line and the
/// help text.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Problem {
    /// `path:line:col: error[CODE]: message [locale]`.
    pub line: String,
    /// How to fix it.
    pub help: String,
}

impl Problem {
    /// The overlay line of a diagnostic, placed in `sources`.
    pub fn new(d: &Diagnostic, sources: &crate::diagnostics::SourceMap) -> Self {
        Problem {
            line: text::short(d, sources),
            help: d.help.clone(),
        }
    }
}

pub use files::Files;

/// The result of one preview build: the files, or the errors that stopped it.
#[derive(Clone, Debug)]
pub enum Outcome {
    /// Every output file, by output-relative path.
    Built(Arc<Files>),
    /// The build stopped; the previous pages stay up.
    Failed(Vec<Problem>),
    /// Every changed file has the bytes the last build read: nothing to publish (a file
    /// touched or rewritten unchanged, or a change the in-context editor already rebuilt).
    Unchanged,
    /// Newer changes arrived before the build had validated anything (an editor still writing
    /// the file): nothing to publish; the next build takes this one's changes with its own.
    Superseded,
}
