//! End-to-end tests: the real `ftlsite` binary on real site folders, in one test crate.
//!
//! Golden data is reviewed like code. Fixture snapshots (`tests/snapshots/`) are insta
//! snapshots: `cargo insta test` then `cargo insta review`, or `INSTA_UPDATE=always cargo test`
//! and a review of the diff; CI runs with `INSTA_UPDATE=no`. `docs/diagnostics.md` is
//! regenerated with `UPDATE_EXPECT=1 cargo test --test e2e docs`.
//!
//! The browser tests need Chromium and chromedriver; they are `#[ignore]`d and run with
//! `cargo test -- --include-ignored` (as CI does).
#![allow(
    clippy::unwrap_used,
    reason = "a test fails loudly on unexpected input"
)]

mod activation;
#[cfg(feature = "serve")]
mod browser;
mod build_errors;
mod build_script;
mod ci_formats;
mod cli;
mod docs;
mod fixtures;
mod fmt;
mod hostile;
mod incremental;
mod locales;
mod mutation;
mod output;
mod parity;
mod qa;
mod report;
mod safety;
#[cfg(all(feature = "serve", target_os = "linux"))]
mod serve_hardening;
mod shards;
mod shipped_site;
mod stale;
mod support;
mod sweep;
mod tree;
