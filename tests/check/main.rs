//! `ftlsite check` end to end: one fixture site per diagnostic code, output formats, exit codes,
//! the generated code table, the no-panic sweep and the build script's own check.
//!
//! Golden files (`tests/fixtures/check/*/expected.*` and `docs/diagnostics.md`) are regenerated
//! by one command, then reviewed like code:
//!
//! ```text
//! UPDATE_EXPECT=1 cargo test --test check
//! ```
#![allow(
    clippy::unwrap_used,
    reason = "test helpers fail the test on a broken fixture; that is their job"
)]

mod build_script;
mod cli;
mod docs;
mod fixtures;
mod support;
mod sweep;
#[path = "../common/tree.rs"]
mod tree;
