//! Whether two parsed Fluent files mean the same: the check every rewrite passes before the
//! writer hands its text back.
//!
//! The comparison is the AST's own equality with two exceptions, both layout the writer is
//! allowed to change: the blank lines at the end of a Junk entry (the parser gives a broken
//! entry the blank lines that follow it; the formatter collapses them like any others, and adds
//! the line ending a file's last line lacks), and a comment made of a bare `#` at the very end
//! of a file with no line ending (no lines) against the same `#` with one (one empty line).
//! Junk made only of spaces (a file's last line, with no line ending) is no text and is
//! skipped.

use fluent_syntax::ast;

/// Whether `a` and `b` are the same entries, up to the layout described in the module docs.
pub(crate) fn same_entries(a: &[ast::Entry<&str>], b: &[ast::Entry<&str>]) -> bool {
    let mut a = a.iter().filter(|e| !is_blank_junk(e));
    let mut b = b.iter().filter(|e| !is_blank_junk(e));
    loop {
        match (a.next(), b.next()) {
            (None, None) => return true,
            (Some(x), Some(y)) if same_entry(x, y) => {}
            _ => return false,
        }
    }
}

/// Junk made of spaces only: the last line of a file, with no line ending, holding nothing.
fn is_blank_junk(entry: &ast::Entry<&str>) -> bool {
    matches!(entry, ast::Entry::Junk { content } if junk_text(content).is_empty())
}

fn same_entry(a: &ast::Entry<&str>, b: &ast::Entry<&str>) -> bool {
    use ast::Entry::{Comment, GroupComment, Junk, ResourceComment};
    match (a, b) {
        (Junk { content: x }, Junk { content: y }) => junk_text(x) == junk_text(y),
        (Comment(x), Comment(y))
        | (GroupComment(x), GroupComment(y))
        | (ResourceComment(x), ResourceComment(y)) => comment_lines(x) == comment_lines(y),
        _ => a == b,
    }
}

/// Junk without its trailing blank lines and final line ending.
fn junk_text(content: &str) -> &str {
    let mut end = content.len();
    for line in content.split_inclusive('\n').rev() {
        if super::offset::is_blank_line(line) {
            end -= line.len();
        } else {
            break;
        }
    }
    let kept = content.get(..end).unwrap_or(content);
    let kept = kept.strip_suffix('\n').unwrap_or(kept);
    kept.strip_suffix('\r').unwrap_or(kept)
}

fn comment_lines<'a>(c: &'a ast::Comment<&str>) -> &'a [&'a str] {
    if c.content.is_empty() {
        &[""]
    } else {
        &c.content
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn body(text: &str) -> Vec<ast::Entry<&str>> {
        match fluent_syntax::parser::parse(text) {
            Ok(r) | Err((r, _)) => r.body,
        }
    }

    #[test]
    fn layout_of_junk_and_bare_comments_does_not_count() {
        assert!(same_entries(&body("bad = {\n\n\n"), &body("bad = {\n")));
        assert!(same_entries(&body("bad = {"), &body("bad = {\n")));
        assert!(same_entries(&body("a = 1\n#"), &body("a = 1\n#\n")));
        assert!(same_entries(&body("a = 1\n  "), &body("a = 1\n")));
    }

    #[test]
    fn content_counts() {
        assert!(!same_entries(&body("bad = {\n"), &body("bad = {{\n")));
        assert!(!same_entries(&body("a = 1\n"), &body("a = 2\n")));
        assert!(!same_entries(
            &body("# x\na = 1\n"),
            &body("# x\n\na = 1\n")
        ));
        assert!(!same_entries(&body("#  \n"), &body("#\n")));
        assert!(!same_entries(&body("a = 1\n"), &body("a = 1\nb = 2\n")));
    }
}
