//! End-to-end tests: the real `ftlsite` binary on real site folders.
#![allow(
    clippy::unwrap_used,
    reason = "a test fails loudly on unexpected input"
)]

mod build_errors;
mod locales;
mod safety;
#[cfg(all(feature = "serve", target_os = "linux"))]
mod serve_hardening;
mod shards;
mod shipped_site;
mod stale;
mod support;
#[path = "../common/tree.rs"]
mod tree;
