//! Helpers shared by the end-to-end tests: run the binary, copy sites, read output trees.

use std::path::{Path, PathBuf};
use std::process::Output;

pub use crate::tree::{copy_shipped_site, copy_tree, read_site_tree, read_tree, repo};

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

/// An HTML document as a browser builds it: html5ever's tree builder (markup5ever_rcdom), an
/// oracle independent of the code under test.
pub fn dom(html: &str) -> markup5ever_rcdom::RcDom {
    use html5ever::tendril::TendrilSink;
    html5ever::parse_document(markup5ever_rcdom::RcDom::default(), Default::default())
        .from_utf8()
        .read_from(&mut html.as_bytes())
        .unwrap()
}

/// Every element of a document in tree order: (tag name, attributes).
pub fn elements(html: &str) -> Vec<(String, Vec<(String, String)>)> {
    use markup5ever_rcdom::NodeData;
    let mut out = Vec::new();
    // The tree lives as long as the walk: dropping the document empties its nodes.
    let tree = dom(html);
    let mut todo = vec![tree.document.clone()];
    while let Some(node) = todo.pop() {
        if let NodeData::Element { name, attrs, .. } = &node.data {
            out.push((
                name.local.to_string(),
                attrs
                    .borrow()
                    .iter()
                    .map(|a| (a.name.local.to_string(), a.value.to_string()))
                    .collect(),
            ));
        }
        todo.extend(node.children.borrow().iter().rev().cloned());
    }
    out
}

/// Decodes character references as a browser would (for text taken from the source).
pub fn decode_entities(s: &str) -> String {
    visible_text(&format!("<p>{s}</p>"))
}

/// The visible text of an HTML document: the text nodes outside `script`, `style`, `head` and
/// `template`, whitespace collapsed.
pub fn visible_text(html: &str) -> String {
    use markup5ever_rcdom::NodeData;
    let mut out = String::new();
    let tree = dom(html);
    let mut todo = vec![tree.document.clone()];
    while let Some(node) = todo.pop() {
        match &node.data {
            NodeData::Element { name, .. }
                if matches!(&*name.local, "script" | "style" | "head" | "template") =>
            {
                continue
            }
            NodeData::Text { contents } => {
                out.push_str(&contents.borrow());
                out.push(' ');
            }
            _ => {}
        }
        todo.extend(node.children.borrow().iter().rev().cloned());
    }
    collapse(&out)
}

/// Collapses runs of whitespace to one space and trims.
pub fn collapse(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Every value of attribute `name` in `html`, in document order, as the tree has them.
pub fn attr_values(html: &str, name: &str) -> Vec<String> {
    elements(html)
        .into_iter()
        .flat_map(|(_, attrs)| attrs.into_iter().filter(|(n, _)| n == name).map(|(_, v)| v))
        .collect()
}
