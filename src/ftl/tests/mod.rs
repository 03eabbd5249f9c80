//! Tests of the writer as a whole: real corpora and the fmt fixtures (`corpus.rs`), generated
//! files and edits (`edits.rs`).
//!
//! The oracle is fluent-syntax's own parser and AST equality; the only layout it forgives is
//! written out in [`same_meaning`], independently of the writer's own check.

mod corpus;
mod edits;

use std::path::{Path, PathBuf};

use fluent_syntax::ast;
use fluent_syntax::parser;

use super::format;

pub(super) fn body(text: &str) -> Vec<ast::Entry<&str>> {
    match parser::parse(text) {
        Ok(r) | Err((r, _)) => r.body,
    }
}

/// What `format` promises to keep: the input with its byte order mark dropped and every line
/// ending made LF; CRs just before a line end or at the end of the file belong to the line
/// ending.
pub(super) fn normalized(input: &str) -> String {
    let mut text = input.strip_prefix('\u{feff}').unwrap_or(input).to_string();
    while text.contains("\r\n") {
        text = text.replace("\r\n", "\n");
    }
    text.trim_end_matches('\r').to_string()
}

/// Junk without the blank lines and line ending after its last line.
pub(super) fn junk_lines(content: &str) -> Vec<&str> {
    let mut lines: Vec<&str> = content.lines().collect();
    while lines.last().is_some_and(|l| l.chars().all(|c| c == ' ')) {
        lines.pop();
    }
    lines
}

/// Whether two entry lists are equal as ASTs, forgiving only the blank lines after Junk, Junk
/// of spaces only (a last line without line ending), and a comment with no lines against one
/// with a single empty line (a bare `#` at the end of a file).
pub(super) fn same_meaning(a: &[ast::Entry<&str>], b: &[ast::Entry<&str>]) -> Result<(), String> {
    let text = |e: &&ast::Entry<&str>| !matches!(e, ast::Entry::Junk { content } if junk_lines(content).is_empty());
    let a: Vec<_> = a.iter().filter(text).cloned().collect();
    let b: Vec<_> = b.iter().filter(text).cloned().collect();
    if a.len() != b.len() {
        return Err(format!("{} entries became {}", a.len(), b.len()));
    }
    for (i, (x, y)) in a.iter().zip(&b).enumerate() {
        let same = match (x, y) {
            (ast::Entry::Junk { content: p }, ast::Entry::Junk { content: q }) => {
                junk_lines(p) == junk_lines(q)
            }
            (ast::Entry::Comment(p), ast::Entry::Comment(q))
            | (ast::Entry::GroupComment(p), ast::Entry::GroupComment(q))
            | (ast::Entry::ResourceComment(p), ast::Entry::ResourceComment(q)) => {
                comment_lines(p) == comment_lines(q)
            }
            _ => x == y,
        };
        if !same {
            return Err(format!("entry {i} differs:\n{x:#?}\n{y:#?}"));
        }
    }
    Ok(())
}

pub(super) fn comment_lines<'a>(c: &ast::Comment<&'a str>) -> Vec<&'a str> {
    if c.content.is_empty() {
        vec![""]
    } else {
        c.content.clone()
    }
}

/// Formats `input` and checks idempotence and AST equality; returns whether it changed.
pub(super) fn check_format(name: &str, input: &str) -> Result<bool, String> {
    let once = format(input);
    let twice = format(&once);
    if twice != once {
        return Err(format!(
            "{name}: not idempotent\n--- once\n{once}\n--- twice\n{twice}"
        ));
    }
    let source = normalized(input);
    same_meaning(&body(&source), &body(&once)).map_err(|e| format!("{name}: {e}"))?;
    if !once.is_empty() && !once.ends_with('\n') || once.ends_with("\n\n") {
        return Err(format!("{name}: does not end with exactly one newline"));
    }
    Ok(once != input)
}

pub(super) fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The `.ftl` files under `dir`, sorted.
pub(super) fn ftl_files(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = walkdir::WalkDir::new(dir)
        .into_iter()
        .map(|e| e.unwrap().into_path())
        .filter(|p| p.extension().is_some_and(|e| e == "ftl"))
        .collect();
    files.sort();
    files
}
