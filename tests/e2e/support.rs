//! Helpers shared by the end-to-end tests: run the binary, copy sites, read output trees.

use std::path::Path;
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

/// Runs `ftlsite` with `args` in `cwd`.
pub fn ftlsite(cwd: &Path, args: &[&str]) -> Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_ftlsite"))
        .args(args)
        .current_dir(cwd)
        .env("NO_COLOR", "1")
        .output()
        .expect("run ftlsite")
}

/// stdout and stderr as one string, for messages.
pub fn text(o: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
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
