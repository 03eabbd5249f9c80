//! Helpers: run the real binary, copy fixtures to a temp dir, normalize temp paths.

use std::path::{Path, PathBuf};
use std::process::Output;

pub use crate::tree::{copy_shipped_site, copy_tree, repo};

/// `tests/fixtures/check`.
pub fn fixtures_root() -> PathBuf {
    repo().join("tests/fixtures/check")
}

/// True when golden files should be rewritten instead of compared.
pub fn updating() -> bool {
    std::env::var_os("UPDATE_EXPECT").is_some_and(|v| !v.is_empty() && v != "0")
}

/// Runs `ftlsite` with `args`, without colour.
pub fn ftlsite(args: &[&str]) -> Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_ftlsite"))
        .args(args)
        .env("NO_COLOR", "1")
        .env_remove("CLICOLOR_FORCE")
        .output()
        .expect("run ftlsite")
}

/// The exit code (panics when the process was killed by a signal).
pub fn code(o: &Output) -> i32 {
    o.status.code().expect("exit code")
}

/// `text` with every spelling of `tmp` replaced by `[TMP]`.
pub fn redact(text: &str, tmp: &Path) -> String {
    let mut out = text.to_string();
    let mut spellings = vec![tmp.display().to_string()];
    if let Ok(c) = std::fs::canonicalize(tmp) {
        spellings.push(c.display().to_string());
    }
    spellings.sort_by_key(|s| std::cmp::Reverse(s.len()));
    for s in spellings {
        out = out.replace(&s, "[TMP]");
    }
    out
}
