//! ftlsite: build multilingual static sites from Fluent catalogs and MiniJinja templates, and
//! check their translations.
//!
//! The pipeline runs one way: [`site::load`] → [`catalog::load`] → [`validate::run`] →
//! [`render::render`] → [`output::write`]. The first three stages live in the `ftlsite-core`
//! crate, which build.rs shares, and are re-exported here; only `site`, `catalog` and `output`
//! touch the file system.
#![deny(missing_docs)]

pub use ftlsite_core::{
    activation, catalog, diagnostics, html, intl, links, site, template, validate,
};

pub mod cli;
pub mod ftl;
pub mod memory;
pub mod output;
pub mod pseudo;
pub mod render;
pub mod report;
#[cfg(feature = "serve")]
pub mod serve;
pub mod embedded {
    //! The shipped site, compiled into the binary by build.rs.
    include!(concat!(env!("OUT_DIR"), "/embedded.rs"));
}
