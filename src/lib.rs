//! ftlsite: build multilingual static sites from Fluent catalogs and MiniJinja templates, and
//! check their translations.
//!
//! The pipeline runs one way: [`site::load`] → [`catalog::load`] → [`validate::run`] →
//! [`render::render`] → [`output::write`]. Each stage returns data; only `site`, `catalog` and
//! `output` touch the file system.
#![deny(missing_docs)]

pub mod catalog;
pub mod cli;
pub mod diagnostics;
pub mod ftl;
pub mod intl;
pub mod output;
pub mod pseudo;
pub mod render;
#[cfg(feature = "serve")]
pub mod serve;
pub mod site;
pub mod validate;
pub mod embedded {
    //! The shipped site, compiled into the binary by build.rs.
    include!(concat!(env!("OUT_DIR"), "/embedded.rs"));
}
