//! The core of ftlsite: everything `ftlsite check`, `ftlsite build`, `ftlsite serve` and the
//! build script share, so that all of them report the same codes at the same positions.
//!
//! The stages it holds run one way: [`site::load`] (config and files) → [`catalog::load`]
//! (Fluent catalogs) → [`validate::run`] (every check that can be decided without writing a
//! page). Findings are [`diagnostics::Diagnostic`]s: a code, a file id and a byte span into the
//! site's [`diagnostics::SourceMap`]; line and column are computed only when they are shown.
#![deny(missing_docs)]

pub mod activation;
pub mod catalog;
pub mod diagnostics;
pub mod glossary;
pub mod html;
pub mod intl;
pub mod links;
pub mod site;
pub mod template;
pub mod validate;
