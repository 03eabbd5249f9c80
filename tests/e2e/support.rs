//! Helpers shared by the end-to-end tests: run the binary, copy sites, read output trees.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Output;

/// The repository root (the shipped site lives here).
pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
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

/// Copies the shipped site (site.toml, locales, templates, assets) into `dest`.
pub fn copy_shipped_site(dest: &Path) {
    for name in ["site.toml", "locales", "templates", "assets"] {
        copy_tree(&repo().join(name), &dest.join(name));
    }
}

/// Recursively copies a file or folder.
pub fn copy_tree(from: &Path, to: &Path) {
    if from.is_dir() {
        std::fs::create_dir_all(to).unwrap();
        for e in std::fs::read_dir(from).unwrap() {
            let e = e.unwrap();
            copy_tree(&e.path(), &to.join(e.file_name()));
        }
    } else {
        std::fs::create_dir_all(to.parent().unwrap()).unwrap();
        std::fs::copy(from, to).unwrap();
    }
}

/// Every file under `dir`, by `/`-separated relative path.
pub fn read_tree(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut out = BTreeMap::new();
    fn walk(base: &Path, dir: &Path, out: &mut BTreeMap<String, Vec<u8>>) {
        let mut entries: Vec<_> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        entries.sort();
        for p in entries {
            if p.is_dir() {
                walk(base, &p, out);
            } else {
                let rel = p
                    .strip_prefix(base)
                    .unwrap()
                    .to_string_lossy()
                    .replace('\\', "/");
                out.insert(rel, std::fs::read(&p).unwrap());
            }
        }
    }
    walk(dir, dir, &mut out);
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
