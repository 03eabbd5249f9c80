//! Helpers shared by the end-to-end tests: run the binary, copy sites, read output trees.

use std::path::{Path, PathBuf};
use std::process::Output;

pub use crate::tree::{copy_shipped_site, copy_tree, read_tree, repo};

/// The multi-locale fixture plus `n` pages declared in `pages/*.toml`.
pub fn many_page_site(dir: &Path, n: usize) {
    copy_tree(&repo().join("tests/fixtures/sites/multi"), dir, &[]);
    std::fs::create_dir_all(dir.join("pages/more")).unwrap();
    for i in 0..n {
        std::fs::write(
            dir.join(format!("pages/more/{i:03}.toml")),
            format!("template = \"page.html\"\noutput = \"more/{i:03}.html\"\n[vars]\nupdated = \"2026-01-{:02}\"\nvisitor = \"Reader {i}\"\n", i % 28 + 1),
        )
        .unwrap();
    }
}

/// The names in `dir`, sorted.
pub fn names(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

/// Runs `ftlsite` with `args` in `cwd`, without colour.
pub fn ftlsite(cwd: &Path, args: &[&str]) -> Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_ftlsite"))
        .args(args)
        .current_dir(cwd)
        .env("NO_COLOR", "1")
        .env_remove("CLICOLOR_FORCE")
        .output()
        .expect("run ftlsite")
}

/// Runs `ftlsite` with `args` in the repository root.
pub fn run(args: &[&str]) -> Output {
    ftlsite(repo(), args)
}

/// The exit code (panics when the process was killed by a signal).
pub fn code(o: &Output) -> i32 {
    o.status.code().expect("exit code")
}

/// stdout and stderr as one string, for messages.
pub fn text(o: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

/// `tests/fixtures/check`.
pub fn fixtures_root() -> PathBuf {
    repo().join("tests/fixtures/check")
}

/// True when golden files should be rewritten instead of compared.
pub fn updating() -> bool {
    std::env::var_os("UPDATE_EXPECT").is_some_and(|v| !v.is_empty() && v != "0")
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

/// Decodes the few entities the renderer and ammonia produce.
pub fn decode_entities(s: &str) -> String {
    s.replace("&quot;", "\"")
        .replace("&#x27;", "'")
        .replace("&#39;", "'")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&nbsp;", "\u{a0}")
        .replace("&amp;", "&")
}

/// The visible text of an HTML document: tags, comments, script and style removed, entities
/// decoded, whitespace collapsed.
pub fn visible_text(html: &str) -> String {
    let mut out = String::new();
    let mut rest = html;
    while let Some(i) = rest.find('<') {
        out.push_str(&rest[..i]);
        out.push(' ');
        rest = &rest[i..];
        let end_marker = if rest.starts_with("<!--") {
            "-->"
        } else if rest.starts_with("<script") {
            "</script>"
        } else if rest.starts_with("<style") {
            "</style>"
        } else {
            ">"
        };
        match rest.find(end_marker) {
            Some(e) => rest = &rest[e + end_marker.len()..],
            None => rest = "",
        }
    }
    out.push_str(rest);
    collapse(&decode_entities(&out))
}

/// Collapses runs of whitespace to one space and trims.
pub fn collapse(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Every value of attribute `name` in `html` (quoted values only, as the renderer writes them).
pub fn attr_values(html: &str, name: &str) -> Vec<String> {
    let mut out = Vec::new();
    for quote in ['"', '\''] {
        let needle = format!(" {name}={quote}");
        let mut rest = html;
        while let Some(i) = rest.find(&needle) {
            rest = &rest[i + needle.len()..];
            if let Some(end) = rest.find(quote) {
                out.push(decode_entities(&rest[..end]));
            }
        }
    }
    out
}
